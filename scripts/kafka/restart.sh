#!/usr/bin/env bash
# Restart the local Kafka broker keeping its data: stop.sh then start.sh (same env).
# Extra arguments go to start.sh (e.g. --fresh).
#
#   scripts/kafka/restart.sh
set -euo pipefail
dir="$(dirname "${BASH_SOURCE[0]}")"
"$dir/stop.sh"
exec "$dir/start.sh" "$@"
