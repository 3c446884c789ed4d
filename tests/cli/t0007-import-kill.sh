#!/usr/bin/env bash
# t0007: kill -9 in the middle of an import leaves the visible books exactly as they were; a
# large import is written in batches, so readers keep the old book until the switch and other
# writers are not kept waiting for the whole import (issue 12 §7).
. "$(dirname "$0")/lib.sh"
DB="$T/k.db"
"$AG" ledger generate --out "$T/gen" --lines 400000 --units 1 --years 1 --seed 5 >/dev/null 2>&1
"$AG" ledger generate --out "$T/gen2" --lines 300000 --units 1 --years 1 --seed 5 >/dev/null 2>&1
f=$(ls "$T"/gen/*-2024.csv)
f2=$(ls "$T"/gen2/*-2024.csv)
code=$(basename "$f" | cut -c1-18)
"$AG" --db "$DB" init >/dev/null
"$AG" --db "$DB" unit add --code "$code" --name 测试单位 --type 机关 >/dev/null
# What readers see: lines of visible books, active sources, visible books, the audit trail.
visible() {
    sqlite3 "$DB" "SELECT (SELECT COUNT(*) FROM ledger_line l JOIN ledger_book b ON b.id = l.book_id WHERE b.fiscal_year > 0), (SELECT COUNT(*) FROM ledger_source WHERE status = 'active'), (SELECT COUNT(*) FROM ledger_book WHERE fiscal_year > 0), (SELECT COUNT(*) FROM audit_log), (SELECT hash FROM audit_head)"
}
# What is stored at all, staging rows included.
stored() { sqlite3 "$DB" "SELECT (SELECT COUNT(*) FROM ledger_line), (SELECT COUNT(*) FROM ledger_source), (SELECT COUNT(*) FROM ledger_book), (SELECT COUNT(*) FROM ledger_stage)"; }
before=$(visible)
killed=0
for delay in 0.3 0.6 1.0 1.6; do
    "$AG" --db "$DB" import --unit "$code" "$f" >/dev/null 2>&1 &
    pid=$!
    sleep $delay
    if kill -9 $pid 2>/dev/null; then killed=$((killed + 1)); fi
    wait $pid 2>/dev/null
    expect_eq "$(visible)" "$before" "after kill -9 at ${delay}s the visible books are as before"
done
[ $killed -gt 0 ] && ok "at least one import was killed mid-way ($killed)" || fail "no import was killed mid-way"
expect_exit 0 "the audit log verifies after the kills" "$AG" --db "$DB" audit-log verify
expect_exit 0 "the import then completes" "$AG" --db "$DB" --json import --unit "$code" "$f"
n1=$(($(wc -l <"$f") - 1))
expect_eq "$(jq -r '.[0].lines' "$T/out")" "$n1" "every line of the file is imported"
expect_eq "$(stored)" "$n1|1|1|0" "what the killed imports left was removed: one book, one source, no staging rows"
expect_exit 0 "the ledger reads back" "$AG" --db "$DB" --json ledger show --unit "$code"
expect_eq "$(jq -r '.[0].lines' "$T/out")" "$n1" "ledger show counts the lines of the visible book"

# A replacing import in the background: every read in the meantime sees the old book whole,
# and a write of another session gets its turn between two batches, in the first third of the
# import (at about a sixth: one batch of six)
# (with all lines in one transaction, the first write of another session finished only
# after the staging, at about half of the import). The check is on when the first write
# finished, not on the longest wait: on a loaded machine any one write may be slow. The other
# session is auditgrid itself (a settings write), which waits on the lock the product's way.
n2=$(($(wc -l <"$f2") - 1))
start=$(date +%s%N)
"$AG" --db "$DB" import --unit "$code" --replace "$f2" >"$T/rep.out" 2>&1 &
pid=$!
reads=0 torn=0 waits=0 longest=0 first=0
while kill -0 $pid 2>/dev/null; do
    c=$(sqlite3 -cmd ".timeout 5000" "$DB" "SELECT COUNT(*) FROM ledger_line l JOIN ledger_book b ON b.id = l.book_id WHERE b.unit_code = '$code' AND b.fiscal_year = 2024" 2>/dev/null)
    if [ -n "$c" ]; then
        reads=$((reads + 1))
        [ "$c" = "$n1" ] || [ "$c" = "$n2" ] || torn=$((torn + 1))
    fi
    t0=$(date +%s%N)
    if "$AG" --db "$DB" liaison cadence --contact-days 30 >/dev/null 2>&1; then
        waits=$((waits + 1))
        [ $first -eq 0 ] && first=$((($(date +%s%N) - start) / 1000000))
    fi
    w=$((($(date +%s%N) - t0) / 1000000))
    [ $w -gt $longest ] && longest=$w
done
wait $pid
expect_eq "$?" "0" "the replacing import succeeds"
total=$((($(date +%s%N) - start) / 1000000))
[ $reads -gt 2 ] && ok "readers read during the import ($reads reads)" || fail "too few reads during the import ($reads)"
expect_eq "$torn" "0" "no read saw a half-written book"
[ $waits -gt 2 ] && ok "other writers wrote during the import ($waits writes)" || fail "other writers could not write ($waits)"
[ $first -gt 0 ] && [ $((first * 3)) -lt $total ] &&
    ok "another session wrote in the first third of the import (at ${first} ms of ${total} ms; longest wait ${longest} ms)" ||
    fail "the first write of another session finished at ${first} ms of the import's ${total} ms"
expect_eq "$(stored)" "$n2|2|1|0" "the replaced book is gone, the old source kept as replaced, no staging rows"
expect_eq "$(sqlite3 "$DB" "SELECT status FROM ledger_source ORDER BY id")" "replaced
active" "the old source is marked replaced, the new one active"

# Killed while replacing: the old book (the second file) stays, whole.
before=$(visible)
"$AG" --db "$DB" import --unit "$code" --replace "$f" >/dev/null 2>&1 &
pid=$!
sleep 1.2
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
expect_eq "$(visible)" "$before" "a replacing import killed mid-way leaves the old book visible and whole"
expect_exit 0 "the audit log verifies" "$AG" --db "$DB" audit-log verify
finish
