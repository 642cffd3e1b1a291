#!/usr/bin/env bash
# Installs the workspace's Node packages when they are missing or older than the lockfile.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing Node packages (npm ci)..." >&2
  npm ci --no-audit --no-fund
fi
