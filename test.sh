#!/usr/bin/env bash
# The README's test command: finds headless Chromium for the report tests (installing Debian's when root or sudo allows),
# then runs the whole suite. 'dotnet build' and 'dotnet test' themselves never install system packages.
set -euo pipefail
cd "$(dirname "$0")"
bash tests/tools/install-chromium.sh
exec dotnet test SecHubFanout.sln "$@"
