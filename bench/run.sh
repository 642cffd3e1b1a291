#!/usr/bin/env bash
# Runs one benchmark (or all) from bench/src/*.bench.ts with the workspace's path aliases.
#   bash bench/run.sh                 # every benchmark
#   bash bench/run.sh cache           # bench/src/cache.bench.ts
#   bash bench/run.sh cache --quick   # a shorter run (for a smoke check)
#   bash bench/run.sh charts          # redraws docs/benchmarks.md's charts; runs no benchmark
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = charts ]; then
  exec node node_modules/tsx/dist/cli.mjs --tsconfig tsconfig.base.json bench/src/redraw-charts.ts
fi
bash scripts/ensure-redis-server.sh
names=("$@")
extra=()
if [ "${#names[@]}" -gt 0 ] && [[ "${names[0]}" != --* ]]; then
  files=("bench/src/${names[0]}.bench.ts"); extra=("${names[@]:1}")
else
  files=(bench/src/*.bench.ts); extra=("${names[@]}")
fi
for f in "${files[@]}"; do
  echo "== $f"
  node node_modules/tsx/dist/cli.mjs --tsconfig tsconfig.base.json "$f" "${extra[@]}"
done
