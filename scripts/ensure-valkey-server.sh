#!/usr/bin/env bash
# Makes sure a valkey-server binary (8.0 or later) is on PATH, for the Valkey pass of `npm test`
# (REDIS_TEST_SERVER=valkey). Installs Debian's package when we are root on a Debian/Ubuntu
# machine: from the release itself when it has one, else on bookworm from bookworm-backports
# (added to apt's sources if missing). Otherwise says exactly how to get one and fails.
# Debian's package would start a system service on 6379, where `npm start` puts its own Redis:
# the install runs with service starts forbidden, and the service is disabled and stopped.
set -euo pipefail

if command -v valkey-server >/dev/null 2>&1; then
  exit 0
fi

backports_list=/etc/apt/sources.list.d/bookworm-backports.sources
codename=$( (. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}") || true)

explain() {
  cat >&2 <<'MSG'
Could not install valkey-server automatically. Install Valkey 8 or later, then run again:
  Debian 12 (bookworm), as root:
    echo 'deb http://deb.debian.org/debian bookworm-backports main' > /etc/apt/sources.list.d/bookworm-backports.list
    apt-get update && apt-get install -y -t bookworm-backports valkey-server
    systemctl disable --now valkey-server   # the tests and `npm start` run their own servers
  Debian 13 or later, Ubuntu 24.10 or later:  sudo apt-get install -y valkey-server
  Fedora/RHEL:    sudo dnf install -y valkey
  macOS:          brew install valkey
Or put a valkey-server 8 binary on PATH, or point REDIS_TEST_SERVER at it:
  REDIS_TEST_SERVER=/path/to/valkey-server npm test
Or skip npm test's Valkey pass (CI runs it): TEST_VALKEY=0 npm test
MSG
  exit 1
}

if ! command -v apt-get >/dev/null 2>&1 || [ "$(id -u)" != "0" ]; then
  if command -v brew >/dev/null 2>&1; then
    brew install valkey
    exit 0
  fi
  explain
fi

export DEBIAN_FRONTEND=noninteractive
echo "valkey-server not found: installing it" >&2
apt-get update -qq || explain
target=()
if ! apt-cache show valkey-server >/dev/null 2>&1; then
  if [ "$codename" != "bookworm" ]; then
    echo "this release ($codename) has no valkey-server package" >&2
    explain
  fi
  if [ ! -e "$backports_list" ] && ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    echo "adding bookworm-backports to apt's sources ($backports_list)" >&2
    cat >"$backports_list" <<'SOURCES'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
    apt-get update -qq || explain
  fi
  target=(-t bookworm-backports)
fi

# Forbid service starts during the install (the Debian way: policy-rc.d answering 101), unless
# a policy is already in place (container images often ship one); ours is removed afterwards.
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  own_policy=1
fi
status=0
apt-get install -y -qq --no-install-recommends "${target[@]}" valkey-server >/dev/null || status=$?
if [ "$own_policy" = 1 ]; then rm -f "$policy"; fi
if [ "$status" != 0 ]; then
  echo "apt-get install valkey-server failed (exit $status)" >&2
  explain
fi

# Never let a system Valkey hold 6379: disable the service, and stop it should it be running.
if [ -d /run/systemd/system ]; then
  systemctl disable --now valkey-server.service >/dev/null 2>&1 || true
elif [ -x /etc/init.d/valkey-server ]; then
  update-rc.d valkey-server disable >/dev/null 2>&1 || true
  /etc/init.d/valkey-server stop >/dev/null 2>&1 || true
fi
command -v valkey-server >/dev/null 2>&1 || explain
