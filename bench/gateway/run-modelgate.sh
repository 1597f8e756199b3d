#!/usr/bin/env bash
# Load benchmark of the Modelgate gateway with the shared harness (../shared/bench): builds the server in Release,
# starts it pinned to one core on a fresh data folder, configures the mock upstream as an OpenAI-compatible
# provider (models gpt-4o-mini and text-embedding-3-small) and a virtual key, then runs the harness.
# Usage (from the repository root):
#   DURATION=15 WARMUP=10 taskset -c 0 bench/gateway/run-modelgate.sh     (run.sh knobs apply: RATES, SCENARIOS, ...)
# taskset -c 0 keeps the harness's own /proc sampling off the gateway's core (the gateway is pinned to core 1 below);
# run Portkey the same way (docs/benchmarks.md). Run nothing else meanwhile. Requires wrk (apt-get install -y wrk) and node.
set -euo pipefail
source "$(dirname "$0")/../lib/modelgate.sh"
start_modelgate
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true' EXIT
provider=$(add_provider mock "http://127.0.0.1:$MOCK_PORT/v1")
add_model "$provider" gpt-4o-mini
add_model "$provider" text-embedding-3-small embedding
key=$(new_key bench)
GATEWAY_PID="$PID" GATEWAY_AUTH="Bearer $key" MOCK_PORT="$MOCK_PORT" "$HARNESS/run.sh" "http://127.0.0.1:$PORT" modelgate
