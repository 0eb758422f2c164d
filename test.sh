#!/usr/bin/env bash
# Fresh Debian machine -> every test. The tests start their own throwaway PostgreSQL cluster (or use
# GRIDMAP_TEST_DB) and remove it. Slow whole-city runs are benchmarks, not tests.
# The last line is "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"
GRIDMAP_EXTRA_PACKAGES=(gdal-bin osmium-tool redis-server chromium fonts-noto-cjk python3-networkx)
source scripts/install-deps.sh || { echo "0 passed, 1 failed"; exit 1; }

results=test-results
rm -rf "$results"
mkdir -p "$results"
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
