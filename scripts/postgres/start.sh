#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster on 127.0.0.1 for tests and development: initdb into
# .pgdata/<port> (gitignored), pg_ctl start, create the database. Trust authentication on the
# loopback only: it is a test cluster, never a deployment.
#
#   scripts/postgres/start.sh [--fresh]
#
#   --fresh   stop the cluster if it runs and wipe its directory first
#
# Prints the connection string on stdout (postgres://saferoads@127.0.0.1:<port>/saferoads).
# Already running: prints it again and exits 0. Env: PG_PORT (55432), PG_DIR, PG_BIN,
# PG_USER_NAME (saferoads), PG_DATABASE (saferoads), PG_START_TIMEOUT (60 s).
# As root, the cluster runs as the `postgres` user (created if missing).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

fresh=0
for arg in "$@"; do
  case "$arg" in
    --fresh) fresh=1 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) pg_die "start.sh: unknown argument: $arg" ;;
  esac
done

bin="$(pg_bin)"
url="postgres://$PG_USER_NAME@127.0.0.1:$PG_PORT/$PG_DATABASE"

if [[ -f "$PG_DIR/data/postmaster.pid" ]] && pg_as_owner "$bin/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1; then
  if [[ $fresh -eq 0 ]]; then
    pg_log "already running on 127.0.0.1:$PG_PORT ($PG_DIR)"
    echo "$url"
    exit 0
  fi
  pg_as_owner "$bin/pg_ctl" -D "$PG_DIR/data" stop -m immediate -w >/dev/null
fi
if [[ $fresh -eq 1 && -e "$PG_DIR" ]]; then
  case "$PG_DIR" in */.pgdata/*) rm -rf "$PG_DIR" ;; *) pg_die "--fresh wipes only directories under .pgdata/, not $PG_DIR" ;; esac
fi

mkdir -p "$PG_DIR"
[[ "$(id -u)" -eq 0 ]] && chown postgres: "$PG_DIR"
if [[ ! -f "$PG_DIR/data/PG_VERSION" ]]; then
  pg_as_owner "$bin/initdb" -D "$PG_DIR/data" -U "$PG_USER_NAME" -A trust -E UTF8 --no-locale --no-sync >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log" >&2; pg_die "initdb failed"; }
fi

# Durability off: a test cluster's data is thrown away, and fsyncs would only slow the tests.
opts="-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories=$PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
if ! pg_as_owner "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -o "$opts" -w -t "${PG_START_TIMEOUT:-60}" start >/dev/null; then
  tail -n 40 "$PG_DIR/server.log" >&2 || true
  pg_die "the server did not start on 127.0.0.1:$PG_PORT (log: $PG_DIR/server.log)"
fi

if ! pg_as_owner "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER_NAME" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$PG_DATABASE'" | grep -q 1; then
  pg_as_owner "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER_NAME" "$PG_DATABASE"
fi
pg_log "ready on 127.0.0.1:$PG_PORT ($("$bin/postgres" --version), data in $PG_DIR)"
echo "$url"
