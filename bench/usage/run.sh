#!/usr/bin/env bash
# The usage writer's throughput and row size on SQLite (a file in a temp folder) and on PostgreSQL (a throwaway
# server on loopback with its default durability: fsync and synchronous commit on). Figures go to docs/benchmarks.md.
# Usage: bench/usage/run.sh [records]   (default 200000)
set -euo pipefail
cd "$(dirname "$0")/../.."
records=${1:-200000}
source scripts/test-services.sh
trap stop_services EXIT

dotnet build -c Release bench/Modelgate.Benchmarks >/dev/null
run() { dotnet bench/Modelgate.Benchmarks/bin/Release/net10.0/Modelgate.Benchmarks.dll usage-writer "$@"; }

dir=$(mktemp -d /tmp/modelgate-usage-bench.XXXXXX)
echo "== SQLite"
run sqlite "Data Source=$dir/usage.db" "$records"

echo "== PostgreSQL (fsync on)"
start_postgres >/dev/null
# The test servers run with fsync off; this benchmark wants the defaults.
psql_bin="$(pg_bin)/psql"
"$psql_bin" -h 127.0.0.1 -p "$(echo "$MODELGATE_TEST_POSTGRES" | sed 's/.*Port=\([0-9]*\).*/\1/')" -U postgres -q -c "ALTER SYSTEM SET fsync = on" -c "ALTER SYSTEM SET synchronous_commit = on" -c "SELECT pg_reload_conf()" >/dev/null
"$psql_bin" -h 127.0.0.1 -p "$(echo "$MODELGATE_TEST_POSTGRES" | sed 's/.*Port=\([0-9]*\).*/\1/')" -U postgres -q -c "CREATE DATABASE usage_bench" >/dev/null
run postgres "${MODELGATE_TEST_POSTGRES/Database=postgres/Database=usage_bench}" "$records"
rm -rf "$dir"
