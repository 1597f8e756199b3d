#!/usr/bin/env bash
# What the limits step adds to a gateway call when limits are counted in Redis (issue 15): runs the shared harness
# against Modelgate twice in one session — limits off, then every call under five Redis-counted limits (the provider's
# requests and tokens per minute, the key's requests and tokens per minute and requests in flight, all far above the
# load so nothing is refused) — and prints both tables. Redis runs on the harness's core (0), the gateway on core 1.
# Usage (from the repository root; run nothing else meanwhile):
#   RATES=1000 MAX=0 SCENARIOS=chat DURATION=15 WARMUP=10 taskset -c 0 bench/gateway/run-limits.sh
set -euo pipefail
source "$(dirname "$0")/../lib/modelgate.sh"
REDIS_PORT="${REDIS_PORT:-16379}"
taskset -c 0 redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --daemonize yes --pidfile "/tmp/modelgate-bench-redis.pid" >/dev/null
trap 'kill $PID 2>/dev/null || true; kill "$(cat /tmp/modelgate-bench-redis.pid)" 2>/dev/null || true' EXIT

run() {
  local label=$1 limits=$2
  MODELGATE_ENV="${BASE_ENV:-} ${limits:+MODELGATE_REDIS=127.0.0.1:$REDIS_PORT}" start_modelgate
  provider=$(add_provider mock "http://127.0.0.1:$MOCK_PORT/v1")
  add_model "$provider" gpt-4o-mini
  add_model "$provider" text-embedding-3-small embedding
  if [ -n "$limits" ]; then
    admin_api -X PUT -d '{"requests_per_minute":100000000,"tokens_per_minute":1000000000000}' "http://127.0.0.1:$PORT/api/v1/llm-providers/$provider" >/dev/null
    key=$(admin_api -d '{"name":"bench","requests_per_minute":100000000,"tokens_per_minute":1000000000000,"concurrent_requests":1000000}' \
      "http://127.0.0.1:$PORT/api/v1/keys" | json_field key)
  else
    key=$(new_key bench)
  fi
  echo "== $label"
  GATEWAY_PID="$PID" GATEWAY_AUTH="Bearer $key" MOCK_PORT="$MOCK_PORT" "$HARNESS/run.sh" "http://127.0.0.1:$PORT" "modelgate-$label"
  kill "$PID" 2>/dev/null || true
  wait "$PID" 2>/dev/null || true
}

run limits-off ""
run limits-redis on
