#!/usr/bin/env bash
# import.sh - 1,000,000 canonical CSV lines into a fresh database: auditgrid import
# (parse, validate, normalise, findings, audit entry) against the sqlite3 shell's
# `.import` of the same file into a plain table. Prints medians and the ratio.
# Usage: bench/import.sh [LINES]   (needs hyperfine: scripts/deps.sh bench)
set -euo pipefail
cd "$(dirname "$0")/.."
LINES=${1:-1000000}
AG=${AG_BIN:-build/auditgrid}
W=${BENCH_DIR:-$(mktemp -d /tmp/ag-bench-import.XXXXXX)}
scripts/deps.sh bench >/dev/null
[ -x "$AG" ] || make build >/dev/null

"$AG" ledger generate --out "$W/gen" --lines "$LINES" --units 1 --years 1 --seed 1 >/dev/null 2>&1
f=$(ls "$W"/gen/*-2024.csv)
code=$(basename "$f" | cut -c1-18)
echo "file: $f ($(du -h "$f" | cut -f1), $(($(wc -l <"$f") - 1)) lines)"

prep_ag="rm -f $W/b.db*; $AG --db $W/b.db init >/dev/null; $AG --db $W/b.db unit add --code $code --name bench --type 机关 >/dev/null"
prep_sq="rm -f $W/s.db*"
hyperfine --warmup 1 --runs "${RUNS:-5}" --export-json "$W/import.json" \
    --prepare "$prep_ag" -n auditgrid "$AG --db $W/b.db import --unit $code $f" \
    --prepare "$prep_sq" -n sqlite3 "sqlite3 $W/s.db '.import --csv $f t'"

ag=$(jq '.results[] | select(.command == "auditgrid") | .median' "$W/import.json")
sq=$(jq '.results[] | select(.command == "sqlite3") | .median' "$W/import.json")
eval "$prep_ag"
mem_ag=$(/usr/bin/time -f %M "$AG" --db "$W/b.db" import --unit "$code" "$f" 2>&1 >/dev/null | tail -1)
eval "$prep_sq"
mem_sq=$(/usr/bin/time -f %M sqlite3 "$W/s.db" ".import --csv $f t" 2>&1 >/dev/null | tail -1)
printf '\nmedian: auditgrid %.2f s, sqlite3 .import %.2f s, ratio %.2fx (target <= 1.5x)\n' "$ag" "$sq" \
    "$(echo "$ag / $sq" | bc -l)"
printf 'peak memory: auditgrid %d KiB, sqlite3 %d KiB\n' "$mem_ag" "$mem_sq"
[ -n "${BENCH_DIR:-}" ] || rm -rf "$W"
