#!/usr/bin/env bash
# Makes sure a Chromium for the dashboard's browser test is present (CHROMIUM_BIN, or
# /usr/bin/chromium). Installs Debian's package when we are root on a Debian/Ubuntu machine;
# otherwise says how to get one. Never fails: without a browser only the browser test fails,
# and it says the same.
set -uo pipefail

bin="${CHROMIUM_BIN:-/usr/bin/chromium}"
if [ -x "$bin" ]; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  echo "chromium not found: installing Debian's package (for the dashboard's browser test)" >&2
  if DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1 ||
     { DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }; then
    exit 0
  fi
fi
cat >&2 <<'MSG'
No Chromium found for the dashboard's browser test (it will fail until one is there):
  Debian/Ubuntu:  sudo apt-get install -y chromium
  elsewhere:      point CHROMIUM_BIN at a Chromium or Chrome binary
MSG
exit 0
