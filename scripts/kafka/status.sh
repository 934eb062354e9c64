#!/usr/bin/env bash
# Report whether the local Kafka broker on KAFKA_PORT (9092) runs and serves requests.
# Exit status: 0 ready, 1 not running, 2 running but not answering.
#
#   scripts/kafka/status.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

pid="$(kafka_running_pid)"
if [[ -z "$pid" ]]; then
  echo "not running (port $KAFKA_PORT)"
  exit 1
fi
if command -v node >/dev/null 2>&1; then
  if md="$(node "$KAFKA_SCRIPT_DIR/probe.js" 127.0.0.1 "$KAFKA_PORT" 2000)"; then
    echo "ready: Kafka $(kafka_pinned_version) pid $pid on 127.0.0.1:$KAFKA_PORT $md"
    exit 0
  fi
  echo "running (pid $pid) but not ready on 127.0.0.1:$KAFKA_PORT: $md"
  exit 2
fi
if kafka_port_open "$KAFKA_PORT"; then
  echo "ready: Kafka $(kafka_pinned_version) pid $pid on 127.0.0.1:$KAFKA_PORT (port open)"
  exit 0
fi
echo "running (pid $pid) but port $KAFKA_PORT closed"
exit 2
