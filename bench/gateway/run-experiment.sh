#!/usr/bin/env bash
# What an alias and a live experiment cost at the gateway: the shared harness's requests name model "gpt-4o-mini",
# which here is a (deprecation) alias of model mock-a instead of a model. MODE=alias: the alias only. MODE=experiment:
# the alias under an experiment splitting calls 50/50 between mock-a and mock-b by request (each call is assigned by
# a hash, as a session would be). Compare with bench/gateway/run-modelgate.sh (the model named directly), in one run.
# Usage (from the repository root), as run-modelgate.sh:
#   MODE=experiment RATES=1000 MAX=1 SCENARIOS="chat stream" DURATION=10 WARMUP=5 taskset -c 0 bench/gateway/run-experiment.sh
set -euo pipefail
source "$(dirname "$0")/../lib/modelgate.sh"
MODE="${MODE:-experiment}"
start_modelgate
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true' EXIT
provider=$(add_provider mock "http://127.0.0.1:$MOCK_PORT/v1")
add_model "$provider" mock-a
add_model "$provider" mock-b
add_model "$provider" text-embedding-3-small embedding
admin_api -X PUT -d '{"model_id":"mock-a","deprecated":true}' "http://127.0.0.1:$PORT/api/v1/aliases/gpt-4o-mini" >/dev/null
if [ "$MODE" = experiment ]; then
  admin_api -d '{"name":"bench","target":"gpt-4o-mini","stickiness":"request","variants":[{"name":"control","weight":50},{"name":"b","model_id":"mock-b","weight":50}]}' \
    "http://127.0.0.1:$PORT/api/v1/experiments" >/dev/null
fi
key=$(new_key bench)
# One call first, to show what the gateway made of the model name (the alias and, with MODE=experiment, the arm).
curl -s -D - -o /dev/null -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
  -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}' "http://127.0.0.1:$PORT/v1/chat/completions" | grep -i '^x-modelgate-\(experiment\|deprecated\)' || true
GATEWAY_PID="$PID" GATEWAY_AUTH="Bearer $key" MOCK_PORT="$MOCK_PORT" "$HARNESS/run.sh" "http://127.0.0.1:$PORT" "modelgate-$MODE"
