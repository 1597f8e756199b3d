#!/usr/bin/env bash
# Starts the real servers the tests need, on loopback, in throwaway folders: PostgreSQL and Redis (installed from
# Debian's packages when missing); and makes sure Debian's Chromium is there for the browser tests.
# Installs the npm clients the client tests run (tests/clients). Sourced by test.sh; exports MODELGATE_TEST_POSTGRES,
# MODELGATE_TEST_REDIS, MODELGATE_REDIS_SERVER (for tests that stop and start a Redis of their own) and
# MODELGATE_CHROMIUM, and registers cleanup.

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then as_root apt-get update -qq >/dev/null; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

start_postgres() {
  if [ -z "$(pg_bin)" ]; then
    echo "test.sh: installing PostgreSQL (Debian package)"
    apt_install postgresql
  fi
  local bin; bin=$(pg_bin)
  PG_DIR=$(mktemp -d /tmp/modelgate-pg.XXXXXX)
  local port; port=$(free_port)
  local run=()
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$PG_DIR"; run=(runuser -u postgres --); fi
  "${run[@]}" "$bin/initdb" -D "$PG_DIR/data" -A trust -U postgres >/dev/null
  "${run[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -w -l "$PG_DIR/log" \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" start >/dev/null
  PG_STOP=("${run[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -m immediate stop)
  export MODELGATE_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
  echo "test.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

# Redis for the limits shared by a fleet: one throwaway server for the tests, and the binary for tests that need a Redis
# of their own to stop and start.
start_redis() {
  if ! command -v redis-server >/dev/null 2>&1; then
    echo "test.sh: installing Redis (Debian package)"
    apt_install redis-server
  fi
  REDIS_DIR=$(mktemp -d /tmp/modelgate-redis.XXXXXX)
  local port; port=$(free_port)
  redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --daemonize yes \
    --dir "$REDIS_DIR" --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/log"
  for _ in $(seq 1 50); do
    if redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; then break; fi
    sleep 0.1
  done
  export MODELGATE_TEST_REDIS="127.0.0.1:$port"
  export MODELGATE_REDIS_SERVER; MODELGATE_REDIS_SERVER=$(command -v redis-server)
  echo "test.sh: Redis $(redis-server --version | awk '{print $3}' | sed 's/v=//') on 127.0.0.1:$port"
}

# The console's browser tests drive Debian's Chromium through Playwright (never a downloaded browser).
ensure_chromium() {
  if ! command -v chromium >/dev/null 2>&1; then
    echo "test.sh: installing Chromium (Debian package)"
    apt_install chromium
  fi
  export MODELGATE_CHROMIUM; MODELGATE_CHROMIUM=$(command -v chromium)
  echo "test.sh: $("$MODELGATE_CHROMIUM" --version 2>/dev/null | head -n 1)"
}

# The client tests run real npm clients (tests/clients): installed from the lock file with npm ci, and only when the lock
# file changed since the last install. They need Node.js 20 or later (the image has it; Debian's own nodejs is older).
install_npm_clients() {
  if ! command -v npm >/dev/null 2>&1; then
    echo "test.sh: Node.js 20+ with npm is needed for the npm client tests (tests/clients)" >&2
    exit 1
  fi
  local dir=tests/clients stamp=tests/clients/node_modules/.installed-lock
  local lock; lock=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$lock" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error --prefer-offline)
    echo "$lock" > "$stamp"
  fi
  echo "test.sh: npm clients on Node $(node --version)"
}

stop_services() {
  if [ -n "${PG_DIR:-}" ]; then "${PG_STOP[@]}" >/dev/null 2>&1 || true; rm -rf "$PG_DIR"; fi
  if [ -n "${REDIS_DIR:-}" ]; then kill "$(cat "$REDIS_DIR/redis.pid" 2>/dev/null)" 2>/dev/null || true; rm -rf "$REDIS_DIR"; fi
}
