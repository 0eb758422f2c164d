#!/usr/bin/env bash
# Copies MapLibre GL JS from npm into the viewer (src/GridMap.Api/wwwroot/vendor/). The copied files are
# committed, so run.sh and intranet machines need no npm and no CDN. Run again only to change the version.
# Version 5 ships a single UMD file (worker inlined), so the viewer needs no bundler.
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:-5.24.1}
out=src/GridMap.Api/wwwroot/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "maplibre-gl@$version" > /dev/null && tar -xzf maplibre-gl-*.tgz)
mkdir -p "$out"
cp "$work/package/dist/maplibre-gl.js" "$work/package/dist/maplibre-gl.css" "$out/"
cp "$work/package/LICENSE.txt" "$out/maplibre-gl.LICENSE.txt"
echo "maplibre-gl $version" > "$out/VERSION"
ls -l "$out"
