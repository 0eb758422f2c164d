#!/usr/bin/env bash
# Fresh Debian machine -> GridMap with the demo city on http://127.0.0.1:5000.
# Installs what is missing, builds, starts the private database in data/db, loads the demo city on
# first start and serves. Extra arguments go to `gridmap serve` (e.g. --urls http://0.0.0.0:8080).
set -euo pipefail
cd "$(dirname "$0")"
GRIDMAP_EXTRA_PACKAGES=()
source scripts/install-deps.sh
dotnet build src/GridMap.Cli -c Release -v quiet -nologo >&2
dotnet build src/GridMap.Api -c Release -v quiet -nologo >&2
exec dotnet src/GridMap.Cli/bin/Release/net10.0/gridmap.dll serve "$@"
