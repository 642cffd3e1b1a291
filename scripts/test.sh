#!/usr/bin/env bash
# `npm test`: installs what the tests need, then lint, typecheck and every project's tests
# (unit and real-Redis integration) through Nx, then the Valkey pass, and prints one summary line.
# `npm test -- --valkey-only` runs the Valkey pass alone; other arguments go to `nx run-many`.
set -euo pipefail
cd "$(dirname "$0")/.."
valkey_only=false
if [ "${1:-}" = "--valkey-only" ]; then
  valkey_only=true
  shift
fi
bash scripts/ensure-node-modules.sh
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false FORCE_COLOR=0
log=$(mktemp)
valkey_log=$(mktemp)
trap 'rm -f "$log" "$valkey_log"' EXIT
status=0

# jest prints "Tests:  1 failed, 2 skipped, 40 passed, 43 total" per run: add them up.
count() {
  (grep -hE '^Tests: ' "$@" || true) | awk '
    { for (i = 2; i <= NF; i++) { n = $i + 0; w = $(i + 1); sub(/,/, "", w);
        if (w == "passed") p += n; else if (w == "failed") f += n; else if (w == "skipped") s += n } }
    END { printf "%d passed, %d failed, %d skipped", p, f, s }'
}

if [ "$valkey_only" = false ]; then
  bash scripts/ensure-redis-server.sh
  bash scripts/ensure-chromium.sh
  npx nx run-many -t lint typecheck --output-style=static
  # Integration suites start their own redis-server processes; one project at a time keeps a
  # 2-core machine responsive and the timings honest.
  # A bound well above a normal run (about 8 minutes on 2 cores): a test process that never
  # ends fails the run with this message instead of running into the CI's own time limit.
  limit="${TEST_TIME_LIMIT:-45m}"
  timeout --kill-after=30s "$limit" npx nx run-many -t test --parallel=1 --output-style=static "$@" 2>&1 | tee "$log" || status=$?
  if [ "$status" = 124 ] || [ "$status" = 137 ]; then
    echo "npm test: the tests did not finish within $limit (TEST_TIME_LIMIT); the project running last hung" >&2
  fi
fi

# The Valkey pass: the same harness with every server a valkey-server (REDIS_TEST_SERVER=valkey,
# or a valkey-server path given in REDIS_TEST_SERVER), running the harness's own tests, the
# redis-client integration suite (standalone, TLS, ACL, cluster) and one end-to-end delivery
# test (two gateways, WebSocket clients, events published across a server restart).
# TEST_VALKEY=0 skips it. About 3 minutes on 2 cores; each part is bounded by 10 minutes.
valkey_summary="valkey-server: skipped (TEST_VALKEY=0)"
if [ "${TEST_VALKEY:-1}" != 0 ]; then
  case "$(basename "${REDIS_TEST_SERVER:-}")" in
    valkey-server*) valkey="$REDIS_TEST_SERVER" ;;
    *) valkey=valkey; bash scripts/ensure-valkey-server.sh ;;
  esac
  binary=$([ "$valkey" = valkey ] && echo valkey-server || echo "$valkey")
  version=$("$binary" --version | sed -n 's/.* v=\([^ ]*\).*/\1/p')
  echo "== Valkey pass: valkey-server ${version}"
  started=$SECONDS
  for part in \
    'libs/redis-testing/jest.config.js:\.int-spec\.ts$' \
    'libs/redis-client/jest.config.js:\.int-spec\.ts$' \
    'apps/streaming-gateway/jest.config.js:src/redis-restart\.int-spec\.ts$'; do
    part_status=0
    REDIS_TEST_SERVER="$valkey" timeout --kill-after=30s 10m \
      npx jest --ci --config "${part%%:*}" --testPathPatterns "${part#*:}" 2>&1 | tee -a "$valkey_log" || part_status=$?
    if [ "$part_status" = 124 ] || [ "$part_status" = 137 ]; then
      echo "npm test: the Valkey pass of ${part%%:*} did not finish within 10 minutes" >&2
    fi
    if [ "$part_status" != 0 ] && [ "$status" = 0 ]; then status=$part_status; fi
  done
  valkey_summary="valkey-server ${version}: $(count "$valkey_log") in $((SECONDS - started)) s"
fi

if [ "$valkey_only" = true ]; then
  echo "jest: ${valkey_summary}"
else
  echo "jest: $(count "$log" "$valkey_log") (redis-server: $(count "$log"); ${valkey_summary})"
fi
exit "$status"
