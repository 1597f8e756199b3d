#!/usr/bin/env bash
# Memory after overload (issue 12): the published server, started from its own folder and pinned to core 1, takes a
# burst of CONNECTIONS simultaneous streaming calls (the mock upstream answers each after MOCK_DELAY_MS, so they
# overlap); RSS and the open connections to the provider are sampled before, at the peak, and every 10 s for 90 s after.
# Usage (from the repository root; run nothing else meanwhile): taskset -c 0 bench/burst/run.sh
# (MODELGATE_MEMORY_TRIM=false ... to measure without the memory trimmer)
set -euo pipefail
source "$(dirname "$0")/../lib/modelgate.sh"
CONNECTIONS="${CONNECTIONS:-5000}"
# Each call holds a socket in the client, the gateway and the mock: room for them all, as far as the hard limit allows.
ulimit -n "$(ulimit -Hn)"
(( $(ulimit -n) > CONNECTIONS * 2 )) || { echo "bench/burst: the open-file limit ($(ulimit -n)) is too low for $CONNECTIONS connections" >&2; exit 1; }
BURST=
PID=
MOCK_PORT="$MOCK_PORT" MOCK_DELAY_MS="${MOCK_DELAY_MS:-1000}" node "$HARNESS/mock-upstream.js" >/dev/null 2>&1 &
MOCK=$!
trap 'kill $PID $MOCK $BURST 2>/dev/null || true; wait $PID $MOCK 2>/dev/null || true' EXIT
MODELGATE_ENV="MODELGATE_MEMORY_TRIM=${MODELGATE_MEMORY_TRIM:-true} Logging__LogLevel__Modelgate.Server.Hosting.MemoryTrimmer=Debug" start_modelgate
provider=$(add_provider mock "http://127.0.0.1:$MOCK_PORT/v1")
add_model "$provider" gpt-4o-mini
key=$(new_key burst)

rss() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$PID/status"; }
upstream() { ss -Htn state established "( dport = :$MOCK_PORT )" | wc -l; }
# Warm: a hundred ordinary calls, then a few seconds of quiet, as "before".
node "$ROOT/bench/burst/burst-client.js" "http://127.0.0.1:$PORT" "$key" gpt-4o-mini 100 >/dev/null
sleep 5
before=$(rss)
echo "before: RSS ${before} MB, upstream connections $(upstream)"
node "$ROOT/bench/burst/burst-client.js" "http://127.0.0.1:$PORT" "$key" gpt-4o-mini "$CONNECTIONS" >"$WORK/burst.json" &
BURST=$!
peak=0; peak_conns=0
while kill -0 $BURST 2>/dev/null; do r=$(rss); c=$(upstream); (( r > peak )) && peak=$r; (( c > peak_conns )) && peak_conns=$c; sleep 0.5; done
echo "burst: $(cat "$WORK/burst.json")"
echo "peak: RSS ${peak} MB, upstream connections ${peak_conns}"
for s in 10 20 30 40 50 60 70 80 90; do sleep 10; echo "after ${s} s: RSS $(rss) MB, upstream connections $(upstream)"; done
after=$(rss)
echo "after 90 s: $(( (after - before) * 100 / before ))% above before (target: within 20% within a minute)"
