#!/usr/bin/env bash
# Hostile-load benchmark (issue 12): normal traffic through the shared harness, first alone, then beside hostile
# callers that send degenerate prompts and drop their streams after the first byte (hostile-client.js), so the gateway
# must count those prompts itself. The hostile callers' model is served by a second mock that streams its 20 chunks
# 20 ms apart, so their streams really are cut mid-way. Compares the normal calls' latency in the two runs (one invocation, one host), and
# reads the gateway's own figures on token counting from /metrics: how many calls were counted, how long each took
# on the counting thread, and how many were counted by length because the queue was full. Request threads do no
# counting by construction (TokenCounting).
# Usage (from the repository root; run nothing else meanwhile):
#   DURATION=15 WARMUP=5 taskset -c 0 bench/hostile/run.sh
# REPEAT=n alternates the two runs n times (alone, beside, alone, beside, ...), so the host's drift between runs shows.
set -euo pipefail
source "$(dirname "$0")/../lib/modelgate.sh"
HOSTILE_MOCK_PORT="${HOSTILE_MOCK_PORT:-18081}"
HOSTILE_RATE="${HOSTILE_RATE:-20}"
PROMPT_CHARS="${PROMPT_CHARS:-100000}"
HOSTILE_PROMPTS="${HOSTILE_PROMPTS:-degenerate}"
REPEAT="${REPEAT:-1}"
export RATES="${RATES:-1000}" MAX="${MAX:-0}" SCENARIOS="${SCENARIOS:-chat stream}"
MOCK_PORT="$HOSTILE_MOCK_PORT" MOCK_CHUNK_DELAY_MS=20 taskset -c 0 node "$HARNESS/mock-upstream.js" >/dev/null 2>&1 &
HOSTILE_MOCK=$!
HOSTILE=
PID=
trap 'kill $PID $HOSTILE_MOCK $HOSTILE 2>/dev/null || true; wait $PID 2>/dev/null || true' EXIT
MODELGATE_ENV="MODELGATE_METRICS_PUBLIC=true" start_modelgate
provider=$(add_provider mock "http://127.0.0.1:$MOCK_PORT/v1")
add_model "$provider" gpt-4o-mini
slow=$(add_provider slow-mock "http://127.0.0.1:$HOSTILE_MOCK_PORT/v1")
add_model "$slow" slow-mini
key=$(new_key bench)
hostile=$(new_key hostile)
# The runtime's own figures around each run: GC pause time and collections by generation (System.Runtime meter).
gc_figures() { curl -sf "http://127.0.0.1:$PORT/metrics" | grep -E '^dotnet_gc_(pause_time|collections)' | sed 's/{otel_scope_name="System.Runtime"[,]*/{/' || true; }
run() {
  gc_figures >"$WORK/gc-before-$1.txt"
  GATEWAY_PID="$PID" GATEWAY_AUTH="Bearer $key" MOCK_PORT="$MOCK_PORT" OUT_DIR="$WORK/$1" "$HARNESS/run.sh" "http://127.0.0.1:$PORT" "modelgate-$1"
  gc_figures >"$WORK/gc-after-$1.txt"
}
gc_delta() { paste -d' ' "$WORK/gc-before-$1.txt" "$WORK/gc-after-$1.txt" | awk '{printf "%s %+g\n", $1, $4 - $2}'; }

# First a run that is discarded (the first seconds after a start are measured, and reported, by bench/gateway), then
# normal traffic alone, then beside the hostile callers, which run through every pass of that run.
run warm-up >/dev/null
for i in $(seq "$REPEAT"); do
  run "alone-$i"
  node "$ROOT/bench/hostile/hostile-client.js" "http://127.0.0.1:$PORT" "$hostile" slow-mini "$HOSTILE_RATE" "$PROMPT_CHARS" "$HOSTILE_PROMPTS" >"$WORK/hostile-$i.json" &
  HOSTILE=$!
  run "beside-hostile-$i"
  kill -TERM $HOSTILE 2>/dev/null || true; wait $HOSTILE 2>/dev/null || true
done

for i in $(seq "$REPEAT"); do
  echo; echo "## normal traffic alone ($i of $REPEAT)"; cat "$WORK/alone-$i/table.md"; echo "GC during the run (both targets):"; gc_delta "alone-$i"
  echo; echo "## beside hostile callers ($i of $REPEAT: $HOSTILE_RATE req/s, $PROMPT_CHARS-character $HOSTILE_PROMPTS prompts, dropped after the first byte)"
  cat "$WORK/beside-hostile-$i/table.md"; cat "$WORK/hostile-$i.json" 2>/dev/null || true; echo "GC during the run (both targets):"; gc_delta "beside-hostile-$i"
done
echo; echo "## token counting in the gateway (/metrics)"
curl -sf "http://127.0.0.1:$PORT/metrics" | grep -E '^modelgate_usage_token_counting|^modelgate_usage_counted_by_length' || echo "(no counting metrics)"
echo "RSS: $(awk '/VmRSS/ {print $2/1024 " MB"}' /proc/$PID/status)"
