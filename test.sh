#!/usr/bin/env bash
# Fresh Debian machine -> every test. The integration and browser tests run against a throwaway PostgreSQL
# (PostGIS, pgRouting) container, or GRIDMAP_TEST_DB when set: this script installs Debian's docker.io,
# starts the engine on loopback if none answers, builds the test image once (scripts/test-image.sh, reused
# afterwards) and at the end removes every test container and stops the engine it started. Without an engine
# the tests fall back to a private cluster, except under CI=true, where that is a failure.
# Every test project runs even when one fails. Slow whole-city runs are benchmarks, not tests.
# The last line is "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"
GRIDMAP_EXTRA_PACKAGES=(gdal-bin osmium-tool redis-server chromium fonts-noto-cjk python3-networkx)
if ! source scripts/install-deps.sh; then
    echo "0 passed, 1 failed"
    exit 1
fi
set +e # install-deps.sh restores our options; be explicit: a failing step must not end this script early
source scripts/test-docker.sh
trap gridmap_docker_down EXIT
trap 'exit 130' INT TERM

results=test-results
rm -rf "$results"
mkdir -p "$results"
if [ -z "${GRIDMAP_TEST_DB:-}" ]; then
    gridmap_docker_up || echo "docker: no engine or no test image; the tests use the private cluster$([ "${CI:-}" = true ] && echo ', which fails under CI=true')"
fi
if ! dotnet build GridMap.sln -v quiet -nologo; then
    echo "build failed"
    echo "0 passed, 1 failed"
    exit 1
fi
for project in tests/*/*.csproj; do
    name=$(basename "$project" .csproj)
    dotnet test "$project" --no-build --filter "Category!=Slow" --logger "trx;LogFileName=$name.trx" \
        --results-directory "$results" 2>&1 | tee "$results/$name.log"
done
gridmap_docker_down

passed=0
failed=0
for trx in "$results"/*.trx; do
    [ -e "$trx" ] || continue
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
    p=$(echo "$counters" | sed -n 's/.* passed="\([0-9]*\)".*/\1/p')
    f=$(echo "$counters" | sed -n 's/.* failed="\([0-9]*\)".*/\1/p')
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
done
# The slowest tests (from the trx files), for finding what should be [Trait("Category","Slow")].
grep -ho '<UnitTestResult [^>]*>' "$results"/*.trx 2> /dev/null \
    | sed -n 's/.*testName="\([^"]*\)".*duration="\([^"]*\)".*/\2 \1/p' | sort -r > "$results/durations.txt"
echo "slowest tests (all in $results/durations.txt):"
head -5 "$results/durations.txt"
# STYLE.md: the code style is checked like a test.
if dotnet format GridMap.sln --verify-no-changes --no-restore > "$results/format.log" 2>&1; then
    echo "format: ok"
    passed=$((passed + 1))
else
    echo "format: dotnet format --verify-no-changes found changes (see $results/format.log)"
    head -20 "$results/format.log"
    failed=$((failed + 1))
fi
projects=$(ls tests/*/*.csproj | wc -l)
trxs=$(ls "$results"/*.trx 2>/dev/null | wc -l)
if [ "$trxs" -lt "$projects" ]; then
    echo "only $trxs of $projects test projects reported results"
    failed=$((failed + projects - trxs))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
