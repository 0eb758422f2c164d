#!/usr/bin/env bash
# Sourced by test.sh: a Docker engine and the test image for the integration and browser suites
# (Testcontainers). Defines gridmap_docker_up and gridmap_docker_down; sets no shell options.
#
# gridmap_docker_up: installs Debian's docker.io and debootstrap when missing (root), starts dockerd on
# loopback when no engine answers, builds the test image once (scripts/test-image.sh) and exports what
# Testcontainers needs here. Returns 1 when that fails; the fixtures then use the private cluster, except
# under CI=true, where a missing engine fails the tests.
# gridmap_docker_down: removes every Testcontainers container and stops the engine only if up started it.

gridmap_docker_started_pid=""
gridmap_docker_log=""
gridmap_docker_used=""

gridmap_docker_up() {
    gridmap_docker_used=1
    if ! command -v dockerd > /dev/null 2>&1 || ! command -v debootstrap > /dev/null 2>&1; then
        gridmap_install docker.io debootstrap || return 1
    fi
    if ! docker info > /dev/null 2>&1; then
        if [ "$(id -u)" -ne 0 ]; then
            echo "docker: no engine answers and only root can start one here" >&2
            return 1
        fi
        gridmap_docker_log=$(mktemp /tmp/gridmap-dockerd-XXXXXX.log)
        echo "docker: starting dockerd on 127.0.0.1 (log $gridmap_docker_log)" >&2
        dockerd --ip=127.0.0.1 > "$gridmap_docker_log" 2>&1 &
        gridmap_docker_started_pid=$!
        local waited=0
        until docker info > /dev/null 2>&1; do
            if ! kill -0 "$gridmap_docker_started_pid" 2> /dev/null || [ "$waited" -ge 60 ]; then
                echo "docker: dockerd did not come up:" >&2
                tail -5 "$gridmap_docker_log" >&2
                gridmap_docker_down
                return 1
            fi
            sleep 1
            waited=$((waited + 1))
        done
    fi
    # Debian 12's engine speaks API 1.41; Testcontainers would ask for 1.44 and be refused.
    local api
    api=$(docker version --format '{{.Server.APIVersion}}' 2> /dev/null)
    if [ -n "$api" ] && [ -z "${DOCKER_API_VERSION:-}" ] && [ "$(printf '%s\n1.44\n' "$api" | sort -V | head -1)" != 1.44 ]; then
        export DOCKER_API_VERSION="$api"
    fi
    # Ryuk's image cannot be pulled without a registry; gridmap_docker_down removes the containers instead.
    export TESTCONTAINERS_RYUK_DISABLED=true
    # This machine may look like a container (/.dockerenv): published ports are on loopback all the same.
    export TESTCONTAINERS_HOST_OVERRIDE="${TESTCONTAINERS_HOST_OVERRIDE:-127.0.0.1}"
    local image
    image=$(scripts/test-image.sh) || { echo "docker: the test image could not be built" >&2; return 1; }
    export GRIDMAP_TEST_IMAGE="$image"
    echo "docker: test database image $image" >&2
}

gridmap_docker_down() {
    # Only after gridmap_docker_up: a run with GRIDMAP_TEST_DB leaves the engine and its containers alone.
    if [ -n "$gridmap_docker_used" ] && docker info > /dev/null 2>&1; then
        local leftovers
        leftovers=$(docker ps -aq --filter label=org.testcontainers=true)
        # shellcheck disable=SC2086
        [ -z "$leftovers" ] || docker rm -f -v $leftovers > /dev/null
    fi
    if [ -n "$gridmap_docker_started_pid" ]; then
        kill "$gridmap_docker_started_pid" 2> /dev/null
        local waited=0
        while kill -0 "$gridmap_docker_started_pid" 2> /dev/null && [ "$waited" -lt 30 ]; do
            sleep 1
            waited=$((waited + 1))
        done
        wait "$gridmap_docker_started_pid" 2> /dev/null
        gridmap_docker_started_pid=""
        rm -f "$gridmap_docker_log"
    fi
}
