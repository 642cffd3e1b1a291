#!/usr/bin/env bash
# `npm run soak -- --minutes 30`: the fault-injection run of the test suite, as long as you
# like, with the same report (tools/e2e/src/chaos; docs/reliability.md). Installs what it lacks.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-node-modules.sh
bash scripts/ensure-redis-server.sh
TSX_TSCONFIG_PATH=tsconfig.base.json exec node --require tsx/cjs tools/e2e/src/chaos/soak.ts "$@"
