#!/usr/bin/env bash
# Makes sure a redis-server binary (7.0 or later) is on PATH. Installs Debian's package when
# we are root on a Debian/Ubuntu machine; otherwise says exactly how to get one and fails.
set -euo pipefail

if command -v redis-server >/dev/null 2>&1; then
  exit 0
fi
if [ -n "${REDIS_SERVER_BIN:-}" ] && [ -x "${REDIS_SERVER_BIN}" ]; then
  exit 0
fi

echo "redis-server not found: installing it" >&2
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  # Debian's package may start a system service on 6379; we never use it, our stack
  # and tests start their own servers.
  exit 0
fi
if command -v brew >/dev/null 2>&1; then
  brew install redis
  exit 0
fi
cat >&2 <<'MSG'
Could not install redis-server automatically. Install Redis 7 or later, then run again:
  Debian/Ubuntu:  sudo apt-get install -y redis-server
  Fedora/RHEL:    sudo dnf install -y redis
  macOS:          brew install redis
  Windows:        use WSL2 (Ubuntu) and the Debian/Ubuntu line above
Or point the stack at an existing Redis with REDIS_URL=redis://host:6379/0, or set
REDIS_SERVER_BIN to the path of a redis-server binary.
MSG
exit 1
