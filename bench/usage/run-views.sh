#!/usr/bin/env bash
# The usage views over a big history (issue 18), on SQLite and then on PostgreSQL (a throwaway server on loopback with
# its default durability: fsync, synchronous commit and full-page writes on). For each engine:
#   1. the server, published as deployed and started from its own working folder, creates its schema; the console is
#      signed in (the session is kept in the database, so the cookie outlives restarts); the server is stopped;
#   2. with the server STOPPED, `usage-seed` writes <records> calls spread evenly over the last <days> days through the
#      real usage writer (rollups built by production code; ~1,000 series): the writer's records/s with rollups on;
#   3. the server is restarted for each measurement, so each "first request" is the first after /health answers:
#      GET /api/v1/usage?from=<now-30d>&to=<now>&group_by=model, then (another restart) /usage?range=30d, followed in that
#      process by WRK_SECONDS (10) of wrk -t1 -c1 on each (warm p50/p99, and the server's CPU time per request, which a
#      busy machine changes less than latency), with the server's RSS before and after; then (another restart) the same
#      sequence for 7 days, whose RSS is compared with 30 days'. "First" means a fresh process; the operating system's
#      page cache stays warm (the seed has just written the data);
#   4. storage per call: SQLite's file after a checkpoint, PostgreSQL's tables after VACUUM ANALYZE (each table too).
# Nothing is pinned: the server, the database and wrk share the machine's cores; the load average is printed.
# The server runs with its defaults but for usage retention (days + 2, so nothing seeded is pruned).
# Builds take /tmp/mg-build.lock (shared with other builds on the machine). Figures go to docs/benchmarks.md.
# Usage: bench/usage/run-views.sh [records] [days]   (default 10000000 30). KEEP=1 keeps the work folder.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
records=${1:-10000000}
days=${2:-30}
wrk_seconds=${WRK_SECONDS:-10}
source scripts/test-services.sh   # pg_bin, free_port
command -v wrk >/dev/null || { echo "run-views.sh needs wrk (apt-get install -y wrk)" >&2; exit 1; }

started_at=$(date +%s)
dir=$(mktemp -d /tmp/modelgate-usage-views.XXXXXX)
token=mg-usage-views-bench-token-0123456789
# Raw rows are kept long enough that no record of the span is pruned, even when the seed ends on the next UTC day.
retention=$((days + 2))
hourly_retention=$((retention > 45 ? retention : 45))
pid=""
pg_dir=""
pg_stop=()
declare -A R

cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [ -n "$pg_dir" ]; then "${pg_stop[@]}" >/dev/null 2>&1 || true; rm -rf "$pg_dir"; fi
  if [ "${KEEP:-0}" = 1 ]; then echo "work folder kept: $dir"; else rm -rf "$dir"; fi
}
trap cleanup EXIT

echo "== host"
uname -a
echo "cores: $(nproc), CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), memory: $(free -g | awk '/^Mem:/ {print $2}') GiB"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "data set: $records calls over $days days; raw retention set to $retention days so none is pruned"

echo "== build (waits for /tmp/mg-build.lock)"
flock /tmp/mg-build.lock dotnet publish src/Modelgate.Server -c Release -o "$dir/app" --nologo -v quiet >/dev/null
flock /tmp/mg-build.lock dotnet build bench/Modelgate.Benchmarks -c Release --nologo -v quiet >/dev/null
bench_dll=$root/bench/Modelgate.Benchmarks/bin/Release/net10.0/Modelgate.Benchmarks.dll

ms_of() { python3 -c "import sys; v=sys.argv[1]; print(round(float(v[:-2]) if v.endswith('ms') else float(v[:-2])/1000 if v.endswith('us') else float(v[:-1])*1000, 1))" "$1"; }
# CPU time the server has used (user + system), ms: per request, a figure a busy machine changes less than latency.
clk_tck=$(getconf CLK_TCK)
cpu_ms() { sed 's/.*) //' "/proc/$pid/stat" | awk -v t="$clk_tck" '{printf "%.0f", ($12 + $13) * 1000 / t}'; }
rss_mb() { ps -o rss= -p "$pid" | awk '{printf "%.0f", $1/1024}'; }
iso_ago() { date -u -d "@$(($(date +%s) - $1 * 86400))" +%Y-%m-%dT%H:%M:%SZ; }

# Starts the published server from the engine's folder with the settings in server_env; sets pid, base, R[engine.start_ms].
start_server() {
  local port; port=$(free_port)
  base=http://127.0.0.1:$port
  local t0; t0=$(date +%s%N)
  (cd "$edir" && exec env "${server_env[@]}" dotnet "$dir/app/Modelgate.Server.dll" --urls "$base" >>"$edir/server.log" 2>&1) &
  pid=$!
  for _ in $(seq 600); do
    if curl -sf -o /dev/null "$base/health"; then
      R[$engine.start_ms]=$(( ($(date +%s%N) - t0) / 1000000 ))
      return
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "the server did not start; its log:"; tail -n 40 "$edir/server.log"; exit 1
}

stop_server() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""; }

sign_in() {
  local csrf
  csrf=$(curl -sf -c "$edir/jar" "$base/sign-in" | sed -n 's/.*name="__csrf" type="hidden" value="\([^"]*\)".*/\1/p' | head -n 1)
  curl -sf -b "$edir/jar" -c "$edir/jar" -o /dev/null --data-urlencode "token=$token" --data-urlencode "__csrf=$csrf" "$base/sign-in"
  cookie=$(awk '$6 ~ /^modelgate_/ {printf "%s=%s; ", $6, $7}' "$edir/jar")
}

# One request, timed by curl; fails unless 200. Prints milliseconds. Args: name, then curl arguments.
first_request() {
  local name=$1; shift
  local out; out=$(curl -s -o "$edir/$name.body" -w '%{http_code} %{time_total}' "$@")
  [ "${out%% *}" = 200 ] || { echo "$name answered ${out%% *}: $(head -c 400 "$edir/$name.body")" >&2; exit 1; }
  python3 -c "import sys; print(round(float(sys.argv[1]) * 1000, 1))" "${out#* }"
}

# wrk -t1 -c1 for wrk_seconds; sets R[engine.key.p50|p99|rps]. Args: key, url, header.
warm() {
  local key=$1 url=$2 header=$3
  local cpu0; cpu0=$(cpu_ms)
  # A long timeout: wrk's default (2 s) would leave slow answers out of the percentiles.
  wrk -t1 -c1 -d"${wrk_seconds}s" --timeout 60s --latency -H "$header" "$url" >"$edir/wrk-$key.txt"
  if grep -qE 'Non-2xx|Socket errors' "$edir/wrk-$key.txt"; then echo "$key: $(grep -E 'Non-2xx|Socket errors' "$edir/wrk-$key.txt")"; exit 1; fi
  R[$engine.$key.p50]=$(ms_of "$(awk '$1=="50%" {print $2}' "$edir/wrk-$key.txt")")
  R[$engine.$key.p99]=$(ms_of "$(awk '$1=="99%" {print $2}' "$edir/wrk-$key.txt")")
  R[$engine.$key.rps]=$(awk '/Requests\/sec/ {printf "%.1f", $2}' "$edir/wrk-$key.txt")
  R[$engine.$key.n]=$(awk '/requests in/ {print $1}' "$edir/wrk-$key.txt")
  R[$engine.$key.cpu]=$(python3 -c "import sys; print(round((int(sys.argv[2]) - int(sys.argv[1])) / int(sys.argv[3]), 1))" "$cpu0" "$(cpu_ms)" "${R[$engine.$key.n]}")
  echo "  $key: p50 ${R[$engine.$key.p50]} ms, p99 ${R[$engine.$key.p99]} ms, ${R[$engine.$key.rps]} req/s (${R[$engine.$key.n]} requests, server CPU ${R[$engine.$key.cpu]} ms each)"
}

api_url() { echo "$base/api/v1/usage?from=$(iso_ago "$1")&to=$(iso_ago 0)&group_by=model"; }

measure() {
  local connection=$1
  echo "== $engine: first start (schema), sign-in"
  start_server
  sign_in
  stop_server

  echo "== $engine: seed with the server stopped (usage-seed)"
  local t0; t0=$(date +%s)
  dotnet "$bench_dll" usage-seed "$engine" "$connection" "$records" "$days" | tee "$edir/seed.txt"
  R[$engine.seed_s]=$(( $(date +%s) - t0 ))
  R[$engine.writer]=$(sed -n 's/.*-> \([0-9,]*\) records\/s committed.*/\1/p' "$edir/seed.txt")
  R[$engine.steady]=$(sed -n 's/^steady state *\([0-9,]*\) records.*/\1/p' "$edir/seed.txt")

  echo "== $engine: API, 30 days, first request after a restart"
  R[$engine.load]=$(cut -d' ' -f1-3 /proc/loadavg)
  echo "  load average: ${R[$engine.load]}"
  start_server
  R[$engine.rss_start]=$(rss_mb)
  R[$engine.api30.first]=$(first_request api30 -H "Authorization: Bearer $token" "$(api_url 30)")
  R[$engine.api30.answer]=$(python3 -c "import json,sys; a=json.load(open(sys.argv[1])); print(f\"{len(a['groups'])} groups, {a['totals']['requests']:,} requests\")" "$edir/api30.body")
  echo "  ${R[$engine.api30.first]} ms (start to /health ${R[$engine.start_ms]} ms; answer: ${R[$engine.api30.answer]})"
  stop_server

  echo "== $engine: page, 30 days, first request after a restart; then warm runs of both"
  start_server
  R[$engine.page30.first]=$(first_request page30 -H "Cookie: $cookie" "$base/usage?range=30d")
  echo "  ${R[$engine.page30.first]} ms ($(wc -c <"$edir/page30.body") bytes)"
  R[$engine.rss30_before]=$(rss_mb)
  warm api30 "$(api_url 30)" "Authorization: Bearer $token"
  warm page30 "$base/usage?range=30d" "Cookie: $cookie"
  R[$engine.rss30_after]=$(rss_mb)
  stop_server

  echo "== $engine: the same for 7 days (another restart)"
  start_server
  R[$engine.page7.first]=$(first_request page7 -H "Cookie: $cookie" "$base/usage?range=7d")
  R[$engine.rss7_before]=$(rss_mb)
  warm api7 "$(api_url 7)" "Authorization: Bearer $token"
  warm page7 "$base/usage?range=7d" "Cookie: $cookie"
  R[$engine.rss7_after]=$(rss_mb)
  stop_server
}

tables=(usage_records usage_hourly usage_daily usage_series key_spend)

# Sets R[engine.<table>] to "bytes rows", R[engine.total] to the bytes of the five tables (indexes included), and
# prints each table's rows, table bytes and index bytes.
storage_detail() { printf '  %-14s %12s rows %14s bytes table %14s bytes indexes %8.1f bytes/row\n' "$1" "$2" "$3" "$4" "$(python3 -c "import sys; print((int(sys.argv[1]) + int(sys.argv[2])) / max(1, int(sys.argv[3])))" "$3" "$4" "$2")"; }

storage_sqlite() {
  local db=$edir/data/modelgate.db
  sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
  R[sqlite.file]=$(stat -c %s "$db")
  echo "== sqlite: storage (file $(du -h "$db" | cut -f1), after a checkpoint)"
  local total=0 t table index rows
  for t in "${tables[@]}"; do
    table=$(sqlite3 "$db" "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = '$t';")
    index=$(sqlite3 "$db" "SELECT coalesce(sum(d.pgsize), 0) FROM dbstat d JOIN sqlite_master m ON m.name = d.name WHERE m.tbl_name = '$t' AND m.type = 'index';")
    rows=$(sqlite3 "$db" "SELECT count(*) FROM $t;")
    storage_detail "$t" "$rows" "$table" "$index"
    R[sqlite.$t]="$((table + index)) $rows"
    total=$((total + table + index))
  done
  R[sqlite.total]=$total
}

storage_postgres() {
  local psql=("$(pg_bin)/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d modelgate -qAt)
  "${psql[@]}" -c "VACUUM ANALYZE" >/dev/null
  R[postgres.file]=$("${psql[@]}" -c "SELECT pg_database_size('modelgate')")
  echo "== postgres: storage (after VACUUM ANALYZE; table bytes include TOAST)"
  local total=0 t bytes index rows
  for t in "${tables[@]}"; do
    bytes=$("${psql[@]}" -c "SELECT pg_total_relation_size('$t')")
    index=$("${psql[@]}" -c "SELECT pg_indexes_size('$t')")
    rows=$("${psql[@]}" -c "SELECT count(*) FROM $t")
    storage_detail "$t" "$rows" "$((bytes - index))" "$index"
    R[postgres.$t]="$bytes $rows"
    total=$((total + bytes))
  done
  R[postgres.total]=$total
}

# --- SQLite
engine=sqlite
edir=$dir/sqlite
mkdir -p "$edir/data"
server_env=(MODELGATE_DATA_DIR="$edir/data" MODELGATE_ADMIN_TOKEN="$token" Logging__LogLevel__Default=Warning
  MODELGATE_USAGE_RETENTION_DAYS="$retention" MODELGATE_USAGE_HOURLY_RETENTION_DAYS="$hourly_retention")
measure "Data Source=$edir/data/modelgate.db"
storage_sqlite

# --- PostgreSQL: its own cluster with the defaults (no fsync=off, unlike the test servers).
engine=postgres
edir=$dir/postgres
mkdir -p "$edir/data"
pg_dir=$(mktemp -d /tmp/modelgate-views-pg.XXXXXX)
pg_port=$(free_port)
run_pg=()
if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$pg_dir"; run_pg=(runuser -u postgres --); fi
"${run_pg[@]}" "$(pg_bin)/initdb" -D "$pg_dir/data" -A trust -U postgres >/dev/null
"${run_pg[@]}" "$(pg_bin)/pg_ctl" -D "$pg_dir/data" -w -l "$pg_dir/log" -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir" start >/dev/null
pg_stop=("${run_pg[@]}" "$(pg_bin)/pg_ctl" -D "$pg_dir/data" -m fast stop)
"$(pg_bin)/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -qAt -c "CREATE DATABASE modelgate" >/dev/null
R[postgres.settings]=$("$(pg_bin)/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -qAt -F ' ' \
  -c "SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ', ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers', 'work_mem')")
echo "== PostgreSQL $("$(pg_bin)/postgres" --version | awk '{print $3}'): ${R[postgres.settings]}"
pg_connection="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=modelgate"
server_env=(MODELGATE_DATA_DIR="$edir/data" MODELGATE_DATABASE="$pg_connection" MODELGATE_ADMIN_TOKEN="$token" Logging__LogLevel__Default=Warning
  MODELGATE_USAGE_RETENTION_DAYS="$retention" MODELGATE_USAGE_HOURLY_RETENTION_DAYS="$hourly_retention")
measure "$pg_connection"
storage_postgres

# --- The table
per_call() { python3 -c "import sys; print(f'{int(sys.argv[1]) / int(sys.argv[2]):.1f}')" "$1" "$records"; }
row() { printf '%-52s %16s %16s %16s\n' "$@"; }
echo
echo "== usage views: $records calls over $days days, ~1,000 series; $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
row "" "SQLite" "PostgreSQL" "target"
row "writer, records/s committed (rollups on)" "${R[sqlite.writer]}" "${R[postgres.writer]}" ">= 50,000"
row "writer, steady state after the first tenth" "${R[sqlite.steady]}" "${R[postgres.steady]}" ">= 50,000"
row "seed wall time, s" "${R[sqlite.seed_s]}" "${R[postgres.seed_s]}" ""
row "server start to /health, ms (last restart)" "${R[sqlite.start_ms]}" "${R[postgres.start_ms]}" ""
row "API 30d group_by=model: first request, ms" "${R[sqlite.api30.first]}" "${R[postgres.api30.first]}" "< 500"
row "API 30d: warm p50 / p99, ms" "${R[sqlite.api30.p50]} / ${R[sqlite.api30.p99]}" "${R[postgres.api30.p50]} / ${R[postgres.api30.p99]}" "< 100 / < 300"
row "API 30d: warm req/s (1 connection)" "${R[sqlite.api30.rps]}" "${R[postgres.api30.rps]}" ""
row "API 30d: server CPU ms per request (warm)" "${R[sqlite.api30.cpu]}" "${R[postgres.api30.cpu]}" ""
row "page /usage?range=30d: first request, ms" "${R[sqlite.page30.first]}" "${R[postgres.page30.first]}" "< 500"
row "page 30d: warm p50 / p99, ms" "${R[sqlite.page30.p50]} / ${R[sqlite.page30.p99]}" "${R[postgres.page30.p50]} / ${R[postgres.page30.p99]}" "< 100 / < 300"
row "page 30d: warm req/s (1 connection)" "${R[sqlite.page30.rps]}" "${R[postgres.page30.rps]}" ""
row "page 30d: server CPU ms per request (warm)" "${R[sqlite.page30.cpu]}" "${R[postgres.page30.cpu]}" ""
row "API 7d: warm p50 / p99, ms" "${R[sqlite.api7.p50]} / ${R[sqlite.api7.p99]}" "${R[postgres.api7.p50]} / ${R[postgres.api7.p99]}" ""
row "page 7d: first request, ms" "${R[sqlite.page7.first]}" "${R[postgres.page7.first]}" ""
row "page 7d: warm p50 / p99, ms" "${R[sqlite.page7.p50]} / ${R[sqlite.page7.p99]}" "${R[postgres.page7.p50]} / ${R[postgres.page7.p99]}" ""
row "server RSS after start (API 30d process), MB" "${R[sqlite.rss_start]}" "${R[postgres.rss_start]}" ""
row "RSS 30d: before / after warm runs, MB" "${R[sqlite.rss30_before]} / ${R[sqlite.rss30_after]}" "${R[postgres.rss30_before]} / ${R[postgres.rss30_after]}" ""
row "RSS 7d: before / after warm runs, MB" "${R[sqlite.rss7_before]} / ${R[sqlite.rss7_after]}" "${R[postgres.rss7_before]} / ${R[postgres.rss7_after]}" "30d ~ 7d"
for t in "${tables[@]}"; do
  read -r sb sr <<<"${R[sqlite.$t]}"
  read -r pb pr <<<"${R[postgres.$t]}"
  row "bytes/call: $t (rows: $sr / $pr)" "$(per_call "$sb")" "$(per_call "$pb")" ""
done
row "bytes/call: the five tables with indexes" "$(per_call "${R[sqlite.total]}")" "$(per_call "${R[postgres.total]}")" "< 300"
row "bytes/call: whole SQLite file / PostgreSQL database" "$(per_call "${R[sqlite.file]}")" "$(per_call "${R[postgres.file]}")" ""
row "load average (1, 5, 15 min) before the queries" "${R[sqlite.load]}" "${R[postgres.load]}" ""
echo "answers: SQLite ${R[sqlite.api30.answer]}; PostgreSQL ${R[postgres.api30.answer]}"
echo "PostgreSQL settings: ${R[postgres.settings]}"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg); wall time $(( $(date +%s) - started_at )) s"
