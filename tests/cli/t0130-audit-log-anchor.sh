#!/usr/bin/env bash
# t0130: the audit log's external anchor. `audit-log head` prints the head hash and the entry
# count to keep elsewhere; `audit-log verify --expect HASH` fails when the newest entry was
# deleted and audit_head moved back to the one before it - a change the chain alone cannot see.
. "$(dirname "$0")/lib.sh"
DB="$T/a.db"
"$AG" --db "$DB" init >/dev/null
"$AG" --db "$DB" grid add-cell --id D01 --kind dept --name 区教育局 >/dev/null
"$AG" --db "$DB" unit add --code 12120104MB1234567K --name 测试学校 --type 学校 --cell D01 >/dev/null

expect_exit 0 "head on an intact log" "$AG" --db "$DB" --json audit-log head
anchor=$(jq -r .head_hash "$T/out")
n=$(jq .entries "$T/out")
expect_eq "$n" "$(sqlite3 "$DB" "SELECT COUNT(*) FROM audit_log")" "head counts every entry"
expect_eq "$anchor" "$(sqlite3 "$DB" "SELECT hash FROM audit_log WHERE seq=$n")" \
    "the head hash is the newest entry's hash"
expect_eq "$(jq .head_seq "$T/out")" "$n" "the head is the newest entry"

expect_exit 0 "head in text names the hash and the count" "$AG" --db "$DB" audit-log head
expect_grep "^$anchor\$" "$T/out" "the hash stands alone on the first line"
expect_grep "条数 entries: $n" "$T/out" "the count is printed"

expect_exit 0 "verify --expect the head" "$AG" --db "$DB" audit-log verify --expect "$anchor"
expect_grep "matches the anchor" "$T/out" "the anchor is confirmed"

# The log grows after the anchor was taken: the anchor is still in it.
"$AG" --db "$DB" person add --name 王丽 --unit 12120104MB1234567K --role principal >/dev/null
expect_exit 0 "an older anchor holds while the log grows" "$AG" --db "$DB" --json audit-log verify --expect "$anchor"
expect_eq "$(jq .anchor_seq "$T/out")" "$n" "the anchor is found at its entry"

# Take a fresh anchor, then remove the newest entry and move audit_head back to the one before.
"$AG" --db "$DB" --json audit-log head >"$T/anchor.json"
anchor=$(jq -r .head_hash "$T/anchor.json")
last=$(jq .head_seq "$T/anchor.json")
prev=$((last - 1))
sqlite3 "$DB" "DELETE FROM audit_log WHERE seq=$last;
  UPDATE audit_head SET seq=$prev, hash=(SELECT hash FROM audit_log WHERE seq=$prev) WHERE id=1"
expect_exit 0 "the chain alone does not see the truncation" "$AG" --db "$DB" audit-log verify
expect_exit 1 "verify --expect sees it and exits 1" "$AG" --db "$DB" audit-log verify --expect "$anchor"
expect_grep "锚点" "$T/err" "the message names the anchor (Chinese)"
expect_grep "anchor" "$T/err" "and in English"
expect_exit 1 "--json verify --expect says not ok" "$AG" --db "$DB" --json audit-log verify --expect "$anchor"
expect_eq "$(jq .ok "$T/out")" false "json ok is false"

expect_exit 2 "an anchor that is not a hash is a usage error" "$AG" --db "$DB" audit-log verify --expect xyz
expect_exit 0 "head has its help" "$AG" audit-log head --help
expect_grep "链头" "$T/out" "the help says what head prints"
expect_exit 0 "verify has its help" "$AG" audit-log verify --help
expect_grep "\-\-expect HASH" "$T/out" "the help names --expect"
finish
