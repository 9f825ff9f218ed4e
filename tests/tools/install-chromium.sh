#!/usr/bin/env bash
# Installs Debian's chromium for the report rendering tests, once; does nothing when it is already there.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "error: the report tests need headless Chromium at /usr/bin/chromium. Install it with 'sudo apt-get install -y chromium' (Debian/Ubuntu) and build again." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# Other builds may hold the dpkg lock for a while: wait for it instead of failing.
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends chromium
if [ ! -x /usr/bin/chromium ]; then
  echo "error: apt-get installed chromium but /usr/bin/chromium is missing." >&2
  exit 1
fi
