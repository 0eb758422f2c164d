#!/usr/bin/env bash
# Builds, once, the PostgreSQL 15 + PostGIS 3 + pgRouting image the test suites run in containers, from
# Debian packages only (no registry): debootstrap a minimal Debian 12 from the machine's own apt mirror,
# import it as a base image, then build tests/docker/Dockerfile on it. The tag carries a hash of
# tests/docker/, so changing the Dockerfile or the entrypoint builds a new image; an existing one is reused.
# Needs a running Docker engine (scripts/test-docker.sh starts one) and root for debootstrap.
# Prints the image name on stdout; progress goes to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."

# The same rule as PostgresFixture.DefaultImage: sha256 of Dockerfile then entrypoint.sh, first 12 hex digits.
hash=$(cat tests/docker/Dockerfile tests/docker/entrypoint.sh | sha256sum | cut -c1-12)
image="gridmap-test-postgis:$hash"
base="gridmap-debian-base:bookworm"

if docker image inspect "$image" > /dev/null 2>&1; then
    echo "$image"
    exit 0
fi

# The first bookworm (not -security) URI of the machine's apt sources, one-line or deb822 format.
debian_mirror() {
    local uri
    uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2> /dev/null \
        | awk '$1 == "deb" && / bookworm / { for (i = 2; i <= NF; i++) if ($i ~ /^(https?|file):/) { print $i; exit } }')
    if [ -z "$uri" ]; then
        uri=$(cat /etc/apt/sources.list.d/*.sources 2> /dev/null \
            | awk '/^URIs:/ { u = $2 } /^Suites:/ && / bookworm( |$)/ { print u; exit }')
    fi
    echo "${uri:-http://deb.debian.org/debian}"
}

if ! docker image inspect "$base" > /dev/null 2>&1; then
    mirror=$(debian_mirror)
    rootfs=$(mktemp -d /tmp/gridmap-rootfs-XXXXXX)
    trap 'rm -rf "$rootfs"' EXIT
    echo "test image: debootstrap bookworm from $mirror (about 1-2 min, once)" >&2
    debootstrap --variant=minbase bookworm "$rootfs" "$mirror" > "$rootfs.log" 2>&1 \
        || { tail -20 "$rootfs.log" >&2; rm -f "$rootfs.log"; exit 1; }
    rm -f "$rootfs.log"
    tar -C "$rootfs" -c . | docker import - "$base" > /dev/null
    rm -rf "$rootfs"
fi

echo "test image: building $image (PostgreSQL, PostGIS, pgRouting from apt; about 1-2 min, once)" >&2
# Host network: the build's apt reaches the same mirror as the machine, without the bridge's NAT.
log=$(mktemp /tmp/gridmap-image-XXXXXX.log)
if ! docker build --network host --build-arg "BASE=$base" -t "$image" tests/docker > "$log" 2>&1; then
    tail -30 "$log" >&2
    rm -f "$log"
    exit 1
fi
rm -f "$log"
echo "$image"
