# shellcheck shell=bash disable=SC2034
# Shared settings for scripts/kafka/*.sh. Sourced, not run.
#
# Environment (all optional):
#   KAFKA_PORT             PLAINTEXT listener port on 127.0.0.1        (default 9092)
#   KAFKA_CONTROLLER_PORT  KRaft CONTROLLER listener port              (default KAFKA_PORT+1)
#   KAFKA_WORK_DIR         root of jars/logs/data/pid files            (default <repo>/.kafka)
#   KAFKA_DATA_DIR         metadata + log segments of this instance    (default $KAFKA_WORK_DIR/data/$KAFKA_PORT)
#   KAFKA_HEAP_OPTS        JVM heap                                    (default -Xms1g -Xmx1g, Kafka's own)
#   KAFKA_JVM_OPTS         extra JVM options, appended
#   KAFKA_START_TIMEOUT    seconds start.sh waits for readiness        (default 60)
#   KAFKA_STOP_TIMEOUT     seconds stop.sh waits after SIGTERM         (default 30)
#   KAFKA_EXTRA_PROPERTIES newline-separated key=value lines appended to the broker config
#   KAFKA_CDS=0            start.sh: no class-data-sharing archive (slower JVM start)
#   KAFKA_WARM=0           start.sh: skip warming the group/transaction coordinators
#   JAVA_HOME / MVN        java from $JAVA_HOME/bin if set; maven command (default mvn)
#
# One broker instance per port: its generated config, log4j2 config and pid file live in
# $KAFKA_WORK_DIR/run/<port>/, its logs in $KAFKA_WORK_DIR/logs/<port>/.

KAFKA_SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KAFKA_REPO_ROOT="$(cd "$KAFKA_SCRIPT_DIR/../.." && pwd)"

KAFKA_WORK_DIR="${KAFKA_WORK_DIR:-$KAFKA_REPO_ROOT/.kafka}"
KAFKA_LIBS_DIR="$KAFKA_WORK_DIR/libs"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}"
KAFKA_DATA_DIR="${KAFKA_DATA_DIR:-$KAFKA_WORK_DIR/data/$KAFKA_PORT}"
KAFKA_RUN_DIR="$KAFKA_WORK_DIR/run/$KAFKA_PORT"
KAFKA_LOG_DIR="$KAFKA_WORK_DIR/logs/$KAFKA_PORT"
KAFKA_PID_FILE="$KAFKA_RUN_DIR/kafka.pid"
KAFKA_CONFIG_FILE="$KAFKA_RUN_DIR/server.properties"
KAFKA_LOG4J_FILE="$KAFKA_RUN_DIR/log4j2.properties"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms1g -Xmx1g}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-60}"
KAFKA_STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"

if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
  KAFKA_JAVA="$JAVA_HOME/bin/java"
else
  KAFKA_JAVA="java"
fi

kafka_log() { printf '[kafka] %s\n' "$*" >&2; }
kafka_die() { printf '[kafka] ERROR: %s\n' "$*" >&2; exit 1; }

# Absolute path (the directory need not exist yet).
kafka_abspath() {
  case "$1" in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s/%s\n' "$PWD" "$1" ;;
  esac
}
KAFKA_DATA_DIR="$(kafka_abspath "$KAFKA_DATA_DIR")"

# The version pinned in pom.xml.
kafka_pinned_version() {
  sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$KAFKA_SCRIPT_DIR/pom.xml" | head -n1
}

# True while $1 is a live (non-zombie) process.
kafka_pid_alive() {
  kill -0 "$1" 2>/dev/null || return 1
  local state
  state="$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null || true)"
  [[ "$state" != "Z" && "$state" != "X" ]]
}

# Pid of this port's broker if it is running, else empty (and a stale pid file is removed).
kafka_running_pid() {
  [[ -f "$KAFKA_PID_FILE" ]] || return 0
  local pid
  pid="$(cat "$KAFKA_PID_FILE" 2>/dev/null || true)"
  if [[ "$pid" =~ ^[0-9]+$ ]] && kafka_pid_alive "$pid" \
     && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'kafka\.Kafka'; then
    printf '%s\n' "$pid"
  else
    rm -f "$KAFKA_PID_FILE"
  fi
}

# True when something accepts TCP connections on 127.0.0.1:$1.
kafka_port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Exclusive lock on fd 9 for the rest of the calling script (no-op without flock).
kafka_lock() {
  mkdir -p "$(dirname "$1")"
  exec 9>"$1"
  if command -v flock >/dev/null 2>&1; then
    flock -w "${2:-300}" 9 || kafka_die "timed out waiting for lock $1"
  fi
}

# Stop this port's broker: SIGTERM (controlled shutdown), wait up to KAFKA_STOP_TIMEOUT s,
# then SIGKILL. Removes the pid file. Returns 0 also when it was not running.
kafka_stop_instance() {
  local pid start_ns waited killed=""
  pid="$(kafka_running_pid)"
  if [[ -z "$pid" ]]; then
    rm -f "$KAFKA_PID_FILE"
    kafka_log "broker on port $KAFKA_PORT is not running"
    return 0
  fi
  start_ns=$(date +%s%N)
  kafka_log "stopping broker on port $KAFKA_PORT (pid $pid, SIGTERM, timeout ${KAFKA_STOP_TIMEOUT}s) ..."
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + KAFKA_STOP_TIMEOUT))
  while kafka_pid_alive "$pid" && ((SECONDS < deadline)); do sleep 0.2; done
  if kafka_pid_alive "$pid"; then
    kafka_log "still running after ${KAFKA_STOP_TIMEOUT}s: SIGKILL"
    killed=1
    kill -KILL "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 10))
    while kafka_pid_alive "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
    kafka_pid_alive "$pid" && { kafka_log "pid $pid survived SIGKILL"; return 1; }
  fi
  rm -f "$KAFKA_PID_FILE"
  # A graceful exit of a broker started with -XX:ArchiveClassesAtExit leaves a complete
  # class-data-sharing archive: keep it for the next starts (see start.sh).
  if [[ -z "${killed:-}" && -s "$KAFKA_RUN_DIR/cds-dump.jsa" && -s "$KAFKA_RUN_DIR/cds-dump.target" ]]; then
    local target
    target="$(cat "$KAFKA_RUN_DIR/cds-dump.target")"
    if [[ -d "$(dirname "$target")" && ! -e "$target" ]]; then
      mv -f "$KAFKA_RUN_DIR/cds-dump.jsa" "$target" && kafka_log "saved class-data-sharing archive $target"
    fi
  fi
  rm -f "$KAFKA_RUN_DIR/cds-dump.jsa" "$KAFKA_RUN_DIR/cds-dump.target"
  waited=$(( ($(date +%s%N) - start_ns) / 1000000 ))
  kafka_log "stopped broker on port $KAFKA_PORT in ${waited} ms"
}
