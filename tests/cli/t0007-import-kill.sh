#!/usr/bin/env bash
# t0007: kill -9 in the middle of an import leaves the database exactly as it was.
. "$(dirname "$0")/lib.sh"
DB="$T/k.db"
"$AG" ledger generate --out "$T/gen" --lines 400000 --units 1 --years 1 --seed 5 >/dev/null 2>&1
f=$(ls "$T"/gen/*-2024.csv)
code=$(basename "$f" | cut -c1-18)
"$AG" --db "$DB" init >/dev/null
"$AG" --db "$DB" unit add --code "$code" --name 测试单位 --type 机关 >/dev/null
snapshot() { sqlite3 "$DB" "SELECT (SELECT COUNT(*) FROM ledger_line), (SELECT COUNT(*) FROM ledger_source), (SELECT COUNT(*) FROM ledger_book), (SELECT COUNT(*) FROM audit_log), (SELECT hash FROM audit_head)"; }
before=$(snapshot)
killed=0
for delay in 0.3 0.6 1.0; do
    "$AG" --db "$DB" import --unit "$code" "$f" >/dev/null 2>&1 &
    pid=$!
    sleep $delay
    if kill -9 $pid 2>/dev/null; then killed=$((killed + 1)); fi
    wait $pid 2>/dev/null
    expect_eq "$(snapshot)" "$before" "after kill -9 at ${delay}s the database is as before"
done
[ $killed -gt 0 ] && ok "at least one import was killed mid-way ($killed)" || fail "no import was killed mid-way"
expect_exit 0 "the audit log verifies after the kills" "$AG" --db "$DB" audit-log verify
expect_exit 0 "the import then completes" "$AG" --db "$DB" --json import --unit "$code" "$f"
expect_eq "$(jq -r '.[0].lines' "$T/out")" "$(($(wc -l <"$f") - 1))" "every line of the file is imported"
finish
