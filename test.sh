#!/usr/bin/env bash
# Runs every test of Modelgate against real servers: SQLite, plus a throwaway PostgreSQL and Redis on loopback
# that this script installs (Debian packages) if missing and starts itself, and the admin console in
# Debian's headless Chromium (installed if missing), with the real npm clients of tests/clients (npm ci).
# Prints "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")"
source scripts/test-services.sh
trap stop_services EXIT

start_postgres
start_redis
ensure_chromium
install_npm_clients

results=TestResults
rm -rf "$results"
status=0
dotnet test Modelgate.sln -c Release --logger "trx" --results-directory "$results" "$@" || status=$?

# Sum the outcomes from the TRX files, so the last line counts every test that ran.
python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for f in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(f).getroot().find("t:ResultSummary/t:Counters", ns)
    passed += int(c.get("passed")); failed += int(c.get("failed")) + int(c.get("error")) + int(c.get("timeout"))
    skipped += int(c.get("notExecuted"))
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
