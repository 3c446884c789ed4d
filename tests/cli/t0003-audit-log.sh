#!/usr/bin/env bash
# t0003: every write is in the hash-chained audit log; editing the SQLite file directly is detected.
. "$(dirname "$0")/lib.sh"
DB="$T/l.db"
"$AG" --db "$DB" init >/dev/null
"$AG" --db "$DB" grid add-cell --id D01 --kind dept --name 区教育局 >/dev/null
"$AG" --db "$DB" unit add --code 12120104MB1234567K --name 测试学校 --type 学校 --cell D01 >/dev/null
"$AG" --db "$DB" person add --name 王丽 --unit 12120104MB1234567K --role principal >/dev/null

expect_exit 0 "an untouched log verifies" "$AG" --db "$DB" audit-log verify
n=$(sqlite3 "$DB" "SELECT COUNT(*) FROM audit_log")
expect_eq "$(sqlite3 "$DB" "SELECT COUNT(*) FROM audit_log WHERE tbl='unit' AND action='insert' AND row_key='12120104MB1234567K'")" 1 \
    "the unit insert was logged under its key"
expect_eq "$(sqlite3 "$DB" "SELECT COUNT(*) FROM audit_log WHERE actor LIKE 'cli:%' AND tbl='person'")" 1 \
    "the person insert was logged with the acting user"

cp "$DB" "$T/orig.db"
reset() { cp "$T/orig.db" "$DB"; rm -f "$DB-wal" "$DB-shm"; }

reset
sqlite3 "$DB" "UPDATE audit_log SET actor='someone-else' WHERE seq=5"
expect_exit 1 "an altered entry fails verification with exit 1" "$AG" --db "$DB" audit-log verify
expect_grep "audit_log#5" "$T/err" "the first broken entry (5) is named"

reset
sqlite3 "$DB" "UPDATE unit SET name='改名' WHERE 1=0; UPDATE audit_log SET after_digest='00' WHERE seq=$n"
expect_exit 1 "an altered digest in the last entry is detected" "$AG" --db "$DB" audit-log verify
expect_grep "audit_log#$n" "$T/err" "the altered last entry is named"

reset
sqlite3 "$DB" "DELETE FROM audit_log WHERE seq=3"
expect_exit 1 "a removed middle entry is detected" "$AG" --db "$DB" audit-log verify
expect_grep "audit_log#3" "$T/err" "the missing entry (3) is named"

reset
sqlite3 "$DB" "DELETE FROM audit_log WHERE seq=$n"
expect_exit 1 "a removed last entry is detected" "$AG" --db "$DB" audit-log verify
expect_grep "audit_log#$n" "$T/err" "the removed last entry is named"

reset
expect_exit 0 "--json verify on an intact log" "$AG" --db "$DB" --json audit-log verify
expect_eq "$(jq .ok "$T/out")" true "json says ok"
expect_eq "$(jq .entries "$T/out")" "$n" "json counts the entries"
sqlite3 "$DB" "UPDATE audit_log SET ts='2020-01-01T00:00:00Z' WHERE seq=2"
expect_exit 1 "--json verify on a tampered log exits 1" "$AG" --db "$DB" --json audit-log verify
expect_eq "$(jq .first_bad_entry "$T/out")" 2 "json names the first bad entry"
finish
