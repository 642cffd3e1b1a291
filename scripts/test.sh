#!/usr/bin/env bash
# `npm test`: installs what the tests need, then lint, typecheck and every project's tests
# (unit and real-Redis integration) through Nx, and prints one summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-node-modules.sh
bash scripts/ensure-redis-server.sh
bash scripts/ensure-chromium.sh
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false FORCE_COLOR=0
npx nx run-many -t lint typecheck --output-style=static
# Integration suites start their own redis-server processes; one project at a time keeps a
# 2-core machine responsive and the timings honest.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# A bound well above a normal run (about 8 minutes on 2 cores): a test process that never
# ends fails the run with this message instead of running into the CI's own time limit.
limit="${TEST_TIME_LIMIT:-45m}"
timeout --kill-after=30s "$limit" npx nx run-many -t test --parallel=1 --output-style=static "$@" 2>&1 | tee "$log" || status=$?
if [ "$status" = 124 ] || [ "$status" = 137 ]; then
  echo "npm test: the tests did not finish within $limit (TEST_TIME_LIMIT); the project running last hung" >&2
fi
# jest prints "Tests:  1 failed, 2 skipped, 40 passed, 43 total" per project: add them up.
summary=$( (grep -E '^Tests: ' "$log" || true) | awk '
  { for (i = 2; i <= NF; i++) { n = $i + 0; w = $(i + 1); sub(/,/, "", w);
      if (w == "passed") p += n; else if (w == "failed") f += n; else if (w == "skipped") s += n } }
  END { printf "%d passed, %d failed, %d skipped", p, f, s }')
echo "jest: ${summary}"
exit "$status"
