#!/usr/bin/env bash
# Stop the local Kafka broker gracefully: SIGTERM (controlled shutdown), wait up to
# KAFKA_STOP_TIMEOUT seconds (30), then SIGKILL. Removes the pid file; keeps the data.
#
#   scripts/kafka/stop.sh          # the broker on KAFKA_PORT (9092)
#   scripts/kafka/stop.sh --all    # every broker started from this work dir
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

all=0
for arg in "$@"; do
  case "$arg" in
    --all) all=1 ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) kafka_die "stop.sh: unknown argument: $arg" ;;
  esac
done

if [[ $all -eq 1 ]]; then
  rc=0
  for dir in "$KAFKA_WORK_DIR"/run/*/; do
    [[ -f "$dir/kafka.pid" ]] || continue
    port="$(basename "$dir")"
    KAFKA_PORT="$port" KAFKA_CONTROLLER_PORT='' "$0" || rc=1
  done
  exit $rc
fi

kafka_lock "$KAFKA_RUN_DIR/lock"
kafka_stop_instance
