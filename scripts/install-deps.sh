#!/usr/bin/env bash
# Installs what GridMap needs from Debian's packages when it is missing: PostgreSQL 15 with PostGIS and
# pgRouting (the private cluster), osmium-tool (gridmap import osm of .pbf files), and what test.sh adds.
# Sourced by run.sh and test.sh; safe to run again (it only installs what is absent). It runs with
# -euo pipefail and gives the caller its own shell options back at the end (test.sh must go on after a
# failing test project); when something is missing it returns 1 rather than exiting the caller.
gridmap_caller_options=$(set +o)
set -euo pipefail

gridmap_missing_packages() {
    local missing=()
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    echo "${missing[@]:-}"
}

gridmap_install() {
    local missing
    missing=$(gridmap_missing_packages "$@")
    if [ -z "$missing" ]; then
        return 0
    fi
    if [ "$(id -u)" -ne 0 ]; then
        echo "GridMap needs these Debian packages: $missing (run as root, or: sudo apt-get install $missing)" >&2
        return 1
    fi
    echo "installing: $missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    # Other work on the machine may hold the dpkg lock for a while: wait for it rather than fail.
    apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
    # shellcheck disable=SC2086
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $missing >&2
}

if ! command -v dotnet >/dev/null 2>&1; then
    echo "GridMap needs the .NET 10 SDK (dotnet on PATH); Debian 12 does not package it." >&2
    eval "$gridmap_caller_options"
    return 1 2> /dev/null || exit 1
fi

# The Debian package starts a system cluster on 5432; GridMap does not use it (it runs its own).
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if ! gridmap_install postgresql-15 postgresql-15-postgis-3 postgresql-15-pgrouting osmium-tool "${GRIDMAP_EXTRA_PACKAGES[@]}"; then
    eval "$gridmap_caller_options"
    return 1 2> /dev/null || exit 1
fi
eval "$gridmap_caller_options"
