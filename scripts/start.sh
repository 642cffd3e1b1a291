#!/usr/bin/env bash
# `npm start`: installs what is missing, then runs the local stack (tools/dev-stack).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-node-modules.sh
if [ -z "${REDIS_URL:-}" ]; then
  bash scripts/ensure-redis-server.sh
fi
TSX_TSCONFIG_PATH=tsconfig.base.json exec node --require tsx/cjs tools/dev-stack/src/main.ts "$@"
