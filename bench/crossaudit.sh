#!/usr/bin/env bash
# crossaudit.sh - the cross-audit planner (交叉互审, issue 14 §1) on a seeded district of 300 units
# (20 cells, SOE groups, 2-4 internal auditors per unit, a previous round, some former units),
# against the naive baseline a bureau would otherwise script: random restarts (each unit in a random
# order draws a random auditing unit that keeps the constraints; restart on a dead end), which is
# what a spreadsheet macro or a quick script does and needs no theory. Both run on the same
# in-memory model (bench/crossaudit/bench.c, linked against the build's libagcore.a), so the
# database is out of the comparison; the end-to-end `auditgrid crossaudit plan` on the demo is timed
# too. Prints the medians and the ratio. The issue's target: under 1 s for 300 units.
#
# Usage: bench/crossaudit.sh [UNITS] [RUNS]     (default 300 5; BUILD=build, AG_BIN)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-300}
RUNS=${2:-5}
BUILD=${BUILD:-build}
AG=${AG_BIN:-$BUILD/auditgrid}
W=${BENCH_DIR:-$(mktemp -d /tmp/ag-bench-xa.XXXXXX)}
[ -f "$BUILD/libagcore.a" ] || cmake --build "$BUILD" -j2 >/dev/null
cc -std=c17 -O2 -D_GNU_SOURCE -Isrc bench/crossaudit/bench.c "$BUILD/libagcore.a" \
    $(pkg-config --libs jansson sqlite3 libsodium libzip expat libmicrohttpd xlsxwriter) \
    -lpthread -lm -o "$W/xa-bench"
echo "machine: $(nproc) cores; auditgrid $(git rev-parse --short HEAD 2>/dev/null || echo '?'); $(date -u +%Y-%m-%d)"
"$W/xa-bench" "$N" "$RUNS"
if [ -x "$AG" ]; then
    "$AG" --db "$W/demo.db" demo --lines 0 --no-serve >/dev/null 2>&1
    s=$(date +%s.%N)
    "$AG" --db "$W/demo.db" crossaudit plan --round bench --year 2027 --json >/dev/null
    e=$(date +%s.%N)
    printf 'end to end: auditgrid crossaudit plan over the demo'"'"'s 30 pilot units (load, plan, store): %.3f s\n' \
        "$(echo "$e - $s" | bc -l)"
fi
[ -n "${BENCH_DIR:-}" ] || rm -rf "$W"
