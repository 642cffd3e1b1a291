#!/usr/bin/env bash
# `npm test`: installs what the tests need, then lint, typecheck and every project's tests
# (unit and real-Redis integration) through Nx.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-node-modules.sh
bash scripts/ensure-redis-server.sh
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
npx nx run-many -t lint typecheck --output-style=static
# Integration suites start their own redis-server processes; one project at a time keeps a
# 2-core machine responsive and the timings honest.
npx nx run-many -t test --parallel=1 --output-style=static "$@"
