#!/usr/bin/env bash
# The admin console's pages with a realistic catalog (10 providers, 200 models) and usage history (default
# 1,000,000 calls over 30 days, SQLite), one signed-in user at a time: requests/s and latency per page with wrk.
# Figures go to docs/benchmarks.md. Usage: bench/console/run.sh [records]
set -euo pipefail
cd "$(dirname "$0")/../.."
records=${1:-1000000}
dotnet build -c Release src/Modelgate.Server >/dev/null
dotnet build -c Release bench/Modelgate.Benchmarks >/dev/null

dir=$(mktemp -d /tmp/modelgate-console-bench.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
token=mg-console-bench-token-0123456789
base=http://127.0.0.1:$port
MODELGATE_DATA_DIR=$dir MODELGATE_ADMIN_TOKEN=$token Logging__LogLevel__Default=Warning \
  dotnet src/Modelgate.Server/bin/Release/net10.0/Modelgate.Server.dll --urls "$base" >"$dir/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 100); do curl -sf "$base/health" >/dev/null && break; sleep 0.2; done

api() { curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@"; }
: >"$dir/models.txt"
for p in $(seq 1 10); do
  provider=$(api -X POST "$base/api/v1/llm-providers" -d "{\"name\":\"provider-$p\",\"type\":\"openai-compatible\",\"base_url\":\"http://127.0.0.1:9/v1\",\"api_key\":\"sk-bench-$p-0000000000000000\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  for m in $(seq 1 20); do
    api -X POST "$base/api/v1/llm-models" -d "{\"provider_id\":\"$provider\",\"model_id\":\"model-$p-$m\",\"input_price_per_million\":0.5,\"output_price_per_million\":1.5,\"context_window\":128000}" \
      | python3 -c 'import json,sys; m=json.load(sys.stdin); print(m["id"], m["model_id"])' >>"$dir/models.txt"
  done
done
model=$(head -n 1 "$dir/models.txt" | cut -d' ' -f1)
api -X PUT "$base/api/v1/llm-defaults/chat" -d "{\"model_id\":\"$model\"}" >/dev/null
api -X PUT "$base/api/v1/llm-defaults/agents" -d "{\"model_id\":\"$model\"}" >/dev/null
dotnet bench/Modelgate.Benchmarks/bin/Release/net10.0/Modelgate.Benchmarks.dll console-seed "Data Source=$dir/modelgate.db" "$dir/models.txt" "$records" 30

# Sign in as a browser would: the form's CSRF token, then the session cookie.
csrf=$(curl -sf -c "$dir/jar" "$base/sign-in" | sed -n 's/.*name="__csrf" type="hidden" value="\([^"]*\)".*/\1/p' | head -n 1)
curl -sf -b "$dir/jar" -c "$dir/jar" -o /dev/null --data-urlencode "token=$token" --data-urlencode "__csrf=$csrf" "$base/sign-in"
cookie=$(awk '$6 ~ /^modelgate_/ {printf "%s=%s; ", $6, $7}' "$dir/jar")

printf '%-22s %10s %10s %10s\n' page "req/s" "p50 ms" "p99 ms"
for page in / /providers /models /defaults "/usage?range=24h" "/usage?range=7d" "/usage?range=30d" /history /audit /instances; do
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$base$page")
  [ "$status" = 200 ] || { echo "$page answered $status"; exit 1; }
  wrk -t1 -c1 -d10s --latency -H "Cookie: $cookie" "$base$page" >"$dir/wrk.txt"
  rps=$(awk '/Requests\/sec/ {print $2}' "$dir/wrk.txt")
  p50=$(awk '$1=="50%" {print $2}' "$dir/wrk.txt")
  p99=$(awk '$1=="99%" {print $2}' "$dir/wrk.txt")
  ms() { python3 -c "import sys; v=sys.argv[1]; print(round(float(v[:-2]) if v.endswith('ms') else float(v[:-2])/1000 if v.endswith('us') else float(v[:-1])*1000, 1))" "$1"; }
  printf '%-22s %10s %10s %10s\n' "$page" "$rps" "$(ms "$p50")" "$(ms "$p99")"
done
echo "server RSS: $(ps -o rss= -p $pid | awk '{printf "%.0f MB", $1/1024}')"
