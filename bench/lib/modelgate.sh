# Shared by the benchmark scripts: publish Modelgate, start it as deployed (from its own folder, pinned to a core,
# settings from the environment only) and configure it through the admin API. Source it, then call:
#   start_modelgate                     publishes and starts the server on $PORT, pinned to $GATEWAY_CPUS; sets PID, WORK
#   add_provider NAME BASE_URL          prints the new provider's id (openai-compatible, key sk-mock)
#   add_model PROVIDER_ID MODEL [TYPE]  adds a model to a provider
#   new_key NAME                        prints a new virtual key
# Extra settings for the server go in MODELGATE_ENV (e.g. MODELGATE_ENV="MODELGATE_METRICS_PUBLIC=true").
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HARNESS="${HARNESS:-$ROOT/../shared/bench}"
PORT="${PORT:-5080}"
MOCK_PORT="${MOCK_PORT:-18080}"
GATEWAY_CPUS="${GATEWAY_CPUS:-1}"
TOKEN="bench-admin-$(date +%s)-$$"

start_modelgate() {
  WORK=$(mktemp -d /tmp/modelgate-bench.XXXXXX)
  dotnet publish "$ROOT/src/Modelgate.Server" -c Release -o "$WORK/app" --nologo -v quiet >/dev/null
  # shellcheck disable=SC2086
  (cd "$WORK" && exec env MODELGATE_DATA_DIR="$WORK/data" MODELGATE_ADMIN_TOKEN="$TOKEN" Logging__LogLevel__Default=Warning ${MODELGATE_ENV:-} \
    taskset -c "$GATEWAY_CPUS" dotnet "$WORK/app/Modelgate.Server.dll" --urls "http://127.0.0.1:$PORT" >"$WORK/server.log" 2>&1) &
  PID=$!
  for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/health" && break; sleep 0.2; done
  echo "modelgate pid=$PID on :$PORT (cpus $GATEWAY_CPUS), data in $WORK"
}

admin_api() { curl -sf -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }
json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

add_provider() {
  admin_api -d "{\"name\":\"$1\",\"type\":\"openai-compatible\",\"base_url\":\"$2\",\"api_key\":\"sk-mock\"}" \
    "http://127.0.0.1:$PORT/api/v1/llm-providers" | json_field id
}

add_model() {
  admin_api -d "{\"provider_id\":\"$1\",\"model_id\":\"$2\",\"type\":\"${3:-chat}\"}" "http://127.0.0.1:$PORT/api/v1/llm-models" >/dev/null
}

new_key() { admin_api -d "{\"name\":\"$1\"}" "http://127.0.0.1:$PORT/api/v1/keys" | json_field key; }
