#!/usr/bin/env bash
# Fetch the pinned Apache Kafka broker's runtime jars from Maven Central into .kafka/libs/.
# Needs only Java + Maven. Idempotent: does nothing when the jars for the current
# scripts/kafka/pom.xml are already there. `--force` re-fetches.
#
#   scripts/kafka/fetch.sh [--force]
#
# Maven options can be passed through MAVEN_OPTS (e.g. -Dmaven.repo.local=/some/dir).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

force=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) kafka_die "fetch.sh: unknown argument: $arg" ;;
  esac
done

version="$(kafka_pinned_version)"
[[ -n "$version" ]] || kafka_die "no <kafka.version> in $KAFKA_SCRIPT_DIR/pom.xml"
pom_sum="$(sha256sum "$KAFKA_SCRIPT_DIR/pom.xml" | cut -d' ' -f1)"
stamp_want="kafka=$version pom=$pom_sum"
stamp_file="$KAFKA_LIBS_DIR/.fetched"

have_libs() {
  [[ -f "$stamp_file" && "$(cat "$stamp_file")" == "$stamp_want" ]] \
    && compgen -G "$KAFKA_LIBS_DIR/kafka_2.13-$version.jar" >/dev/null \
    && compgen -G "$KAFKA_LIBS_DIR/kafka-server-$version.jar" >/dev/null
}

if [[ $force -eq 0 ]] && have_libs; then
  kafka_log "Kafka $version jars already in $KAFKA_LIBS_DIR (skipping fetch)"
  exit 0
fi

kafka_lock "$KAFKA_WORK_DIR/fetch.lock"
# Another process may have fetched while we waited for the lock.
if [[ $force -eq 0 ]] && have_libs; then
  kafka_log "Kafka $version jars already in $KAFKA_LIBS_DIR (skipping fetch)"
  exit 0
fi

command -v "${MVN:-mvn}" >/dev/null 2>&1 || kafka_die "Maven ('${MVN:-mvn}') not found on PATH"

tmp="$KAFKA_WORK_DIR/libs.tmp.$$"
rm -rf "$tmp"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT

kafka_log "fetching Kafka $version broker jars with Maven into $KAFKA_LIBS_DIR ..."
start_s=$SECONDS
mvn_log="$KAFKA_WORK_DIR/fetch-maven.log"
if ! "${MVN:-mvn}" -B -q -f "$KAFKA_SCRIPT_DIR/pom.xml" \
      dependency:copy-dependencies \
      -DincludeScope=runtime \
      -DoutputDirectory="$tmp" >"$mvn_log" 2>&1; then
  tail -n 40 "$mvn_log" >&2
  kafka_die "Maven failed to fetch Kafka $version (full output: $mvn_log)"
fi
compgen -G "$tmp/kafka_2.13-$version.jar" >/dev/null || kafka_die "kafka_2.13-$version.jar missing after fetch"

printf '%s\n' "$stamp_want" >"$tmp/.fetched"
rm -rf "$KAFKA_LIBS_DIR"
mv "$tmp" "$KAFKA_LIBS_DIR"
trap - EXIT
rm -f "$mvn_log"
kafka_log "fetched $(find "$KAFKA_LIBS_DIR" -name '*.jar' | wc -l) jars ($(du -sh "$KAFKA_LIBS_DIR" | cut -f1)) in $((SECONDS - start_s))s"
