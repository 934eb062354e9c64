# Shared by scripts/postgres/start.sh and stop.sh: where the throwaway cluster lives and who runs it.
PG_SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PG_ROOT="$(cd "$PG_SCRIPT_DIR/../.." && pwd)"
PG_PORT="${PG_PORT:-55432}"
# Under the project's gitignored .pgdata/, one directory per port, so parallel runs do not meet.
PG_DIR="${PG_DIR:-$PG_ROOT/.pgdata/$PG_PORT}"
PG_USER_NAME="${PG_USER_NAME:-saferoads}"
PG_DATABASE="${PG_DATABASE:-saferoads}"

pg_log() { echo "[postgres] $*" >&2; }
pg_die() { pg_log "$*"; exit 1; }

# The server binaries: PG_BIN, else Debian's newest /usr/lib/postgresql/<major>/bin, else PATH.
pg_bin() {
  if [[ -n "${PG_BIN:-}" ]]; then echo "$PG_BIN"; return; fi
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"
  if [[ -n "$d" && -x "$d/initdb" ]]; then echo "$d"; return; fi
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return; fi
  pg_die "PostgreSQL server binaries not found (apt-get install postgresql, or set PG_BIN)"
}

# PostgreSQL refuses to run as root: as root (CI), the cluster belongs to the `postgres` user.
pg_as_owner() {
  if [[ "$(id -u)" -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin postgres
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}
