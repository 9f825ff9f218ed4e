#!/usr/bin/env bash
# Self-contained single-file builds of sechub-fanout (no .NET needed where they run), one per platform, into
# artifacts/bin/<rid>/. Usage: tools/SecHubFanout.Cli/publish-binaries.sh [rid ...]  (default: all four below)
set -euo pipefail
cd "$(dirname "$0")/../.."
rids=("$@")
if [ ${#rids[@]} -eq 0 ]; then
  rids=(linux-x64 linux-arm64 osx-arm64 win-x64)
fi
for rid in "${rids[@]}"; do
  dotnet publish tools/SecHubFanout.Cli -c Release -r "$rid" --self-contained \
    -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true -p:DebugType=embedded \
    -p:PublishDocumentationFile=false -p:PublishReferencesDocumentationFiles=false \
    -o "artifacts/bin/$rid"
  echo "artifacts/bin/$rid/$( [ "${rid%%-*}" = win ] && echo sechub-fanout.exe || echo sechub-fanout )"
done
