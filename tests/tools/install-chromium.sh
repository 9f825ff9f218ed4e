#!/usr/bin/env bash
# Makes sure the report tests find a headless Chromium. Looks where the tests look (CHROME_PATH, then chromium,
# chromium-browser, google-chrome on PATH, then the macOS applications); when none is there it installs Debian's
# chromium if apt-get and root (or password-less sudo) are at hand, else says how to get one. Never fails: without
# Chromium only the report tests fail, each with one line saying what to do.
set -uo pipefail

found() {
  if [ -n "${CHROME_PATH:-}" ] && [ -x "$CHROME_PATH" ]; then return 0; fi
  for name in chromium chromium-browser google-chrome; do
    if command -v "$name" >/dev/null 2>&1; then return 0; fi
  done
  for app in "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome" "/Applications/Chromium.app/Contents/MacOS/Chromium"; do
    if [ -x "$app" ]; then return 0; fi
  done
  return 1
}

if found; then
  exit 0
fi

as_root=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root="sudo"
  fi
fi

if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" = "0" ] || [ -n "$as_root" ]; }; then
  echo "Installing Debian's chromium for the report tests (apt-get)..."
  export DEBIAN_FRONTEND=noninteractive
  # Other builds may hold the dpkg lock for a while: wait for it instead of failing.
  $as_root apt-get -o DPkg::Lock::Timeout=600 update -qq \
    && $as_root apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends chromium fonts-dejavu-core
  if found; then
    exit 0
  fi
fi

echo "note: no headless Chromium found, so the report tests will fail. Install one (Debian/Ubuntu: sudo apt-get install chromium;" \
  "macOS: brew install --cask chromium) or set CHROME_PATH to a Chrome/Chromium executable." >&2
exit 0
