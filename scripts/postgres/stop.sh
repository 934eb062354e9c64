#!/usr/bin/env bash
# Stop the throwaway PostgreSQL cluster that scripts/postgres/start.sh started on PG_PORT.
#
#   scripts/postgres/stop.sh [--wipe]
#
#   --wipe    also delete its directory (.pgdata/<port>)
#
# Not running: says so and exits 0.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

wipe=0
for arg in "$@"; do
  case "$arg" in
    --wipe) wipe=1 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) pg_die "stop.sh: unknown argument: $arg" ;;
  esac
done

bin="$(pg_bin)"
if [[ -f "$PG_DIR/data/postmaster.pid" ]]; then
  # fast: disconnects clients and stops at once, without waiting for them to leave.
  pg_as_owner "$bin/pg_ctl" -D "$PG_DIR/data" stop -m fast -w -t 30 >/dev/null || pg_as_owner "$bin/pg_ctl" -D "$PG_DIR/data" stop -m immediate -w >/dev/null
  pg_log "stopped (127.0.0.1:$PG_PORT)"
else
  pg_log "not running on 127.0.0.1:$PG_PORT"
fi
if [[ $wipe -eq 1 && -e "$PG_DIR" ]]; then
  case "$PG_DIR" in */.pgdata/*) rm -rf "$PG_DIR" ;; *) pg_die "--wipe deletes only directories under .pgdata/, not $PG_DIR" ;; esac
fi
