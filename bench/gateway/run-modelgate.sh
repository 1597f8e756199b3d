#!/usr/bin/env bash
# Load benchmark of the Modelgate gateway with the shared harness (../shared/bench): builds the server in Release,
# starts it pinned to one core on a fresh data folder, configures the mock upstream as an OpenAI-compatible
# provider (models gpt-4o-mini and text-embedding-3-small) and a virtual key, then runs the harness.
# Usage (from the repository root):
#   DURATION=15 WARMUP=10 taskset -c 0 bench/gateway/run-modelgate.sh     (run.sh knobs apply: RATES, SCENARIOS, ...)
# taskset -c 0 keeps the harness's own /proc sampling off the gateway's core (the gateway is pinned to core 1 below);
# run Portkey the same way (docs/benchmarks.md). Run nothing else meanwhile. Requires wrk (apt-get install -y wrk) and node.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HARNESS="${HARNESS:-$ROOT/../shared/bench}"
PORT="${PORT:-5080}"
MOCK_PORT="${MOCK_PORT:-18080}"
GATEWAY_CPUS="${GATEWAY_CPUS:-1}"
WORK=$(mktemp -d /tmp/modelgate-bench.XXXXXX)
TOKEN="bench-admin-$(date +%s)"

dotnet publish "$ROOT/src/Modelgate.Server" -c Release -o "$WORK/app" --nologo -v quiet >/dev/null
MODELGATE_DATA_DIR="$WORK/data" MODELGATE_ADMIN_TOKEN="$TOKEN" Logging__LogLevel__Default=Warning \
  taskset -c "$GATEWAY_CPUS" dotnet "$WORK/app/Modelgate.Server.dll" --urls "http://127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/health" && break; sleep 0.2; done

api() { curl -sf -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }
provider=$(api -d "{\"name\":\"mock\",\"type\":\"openai-compatible\",\"base_url\":\"http://127.0.0.1:$MOCK_PORT/v1\",\"api_key\":\"sk-mock\"}" \
  "http://127.0.0.1:$PORT/api/v1/llm-providers" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
api -d "{\"provider_id\":\"$provider\",\"model_id\":\"gpt-4o-mini\"}" "http://127.0.0.1:$PORT/api/v1/llm-models" >/dev/null
api -d "{\"provider_id\":\"$provider\",\"model_id\":\"text-embedding-3-small\",\"type\":\"embedding\"}" "http://127.0.0.1:$PORT/api/v1/llm-models" >/dev/null
key=$(api -d '{"name":"bench"}' "http://127.0.0.1:$PORT/api/v1/keys" | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')

echo "modelgate pid=$PID on :$PORT (cpus $GATEWAY_CPUS), data in $WORK"
GATEWAY_PID="$PID" GATEWAY_AUTH="Bearer $key" MOCK_PORT="$MOCK_PORT" "$HARNESS/run.sh" "http://127.0.0.1:$PORT" modelgate
