#!/usr/bin/env bash
# t0009: scanning CSV files and the store; rescans add nothing twice and keep triage decisions.
. "$(dirname "$0")/lib.sh"
"$AG" ledger generate --out "$T/gen" --lines 60000 --units 3 --seed 9 >/dev/null 2>&1
files=$(ls "$T"/gen/*-20*.csv)
planted=$(tail -n +2 "$T/gen/ground_truth.csv" | cut -d, -f1 | sort -u | wc -l)

expect_exit 0 "scan --csv runs" "$AG" scan --csv $files --staff "$T/gen/staff.csv"
n=$(wc -l <"$T/out")
[ "$n" -gt 0 ] && ok "warnings come out as JSON lines ($n)" || fail "no warnings"
expect_eq "$(jq -r 'select(.voucher != null) | .voucher' "$T/out" | grep -cv -- '-')" 0 "vouchers read type-number"
expect_eq "$(jq -r '.amount' "$T/out" | grep -cvE '^-?[0-9]+\.[0-9]{2}$')" 0 "amounts are decimal strings"
expect_eq "$(jq -r 'has("item") and has("rule") and has("severity") and has("unit") and has("date") and has("message") and has("evidence")' "$T/out" | sort -u)" true "every warning has the documented keys"
expect_grep "扫描 scanned" "$T/err" "a summary goes to stderr"
cp "$T/out" "$T/a.jsonl"
expect_exit 0 "scan with one thread" "$AG" scan --threads 1 --csv $files --staff "$T/gen/staff.csv"
if cmp -s "$T/out" "$T/a.jsonl"; then ok "the same warnings in the same order with 1 thread"; else fail "thread count changed the output"; fi
expect_exit 0 "scan with the files in another order" "$AG" scan --csv $(ls "$T"/gen/*-20*.csv | sort -r) --staff "$T/gen/staff.csv"
expect_eq "$(jq -r .fingerprint "$T/out" | sort | md5sum)" "$(jq -r .fingerprint "$T/a.jsonl" | sort | md5sum)" "argument order does not change the findings"

printf '{"format":"auditgrid-rules/1","version":"t","rules":[{"id":"big","item":"F03","primitive":"round_amount","severity":"low","params":{"min_amount":10000,"multiple":10000},"filter":"amount >= 100000 &&","message":"x"}]}' >"$T/bad.json"
expect_exit 3 "a bad filter is rejected" "$AG" scan --csv $files --catalog "$T/bad.json"
expect_grep "big" "$T/err" "the error names the rule"
expect_exit 2 "files without --csv are a usage error" "$AG" scan $files

# The store: import, scan, rescan.
DB="$T/s.db"
"$AG" --db "$DB" init >/dev/null
for f in $files; do
    code=$(basename "$f" | cut -c1-18)
    "$AG" --db "$DB" unit add --code "$code" --name "单位$code" --type "$([ "${code:0:1}" = 9 ] && echo 国企 || echo 机关)" >/dev/null 2>&1
    "$AG" --db "$DB" import --unit "$code" "$f" >/dev/null || fail "import $f"
done
expect_exit 0 "scan the store" "$AG" --db "$DB" --json scan
first=$(jq .warnings "$T/out")
expect_eq "$(jq .new_warnings "$T/out")" "$first" "the first scan records every warning as new"
expect_eq "$(sqlite3 "$DB" "SELECT COUNT(*) FROM warning")" "$first" "one row per warning"
id=$(sqlite3 "$DB" "SELECT id FROM warning ORDER BY id LIMIT 1")
sqlite3 "$DB" "UPDATE warning SET status='dismissed', status_reason='已核实' WHERE id=$id"
expect_exit 0 "rescan" "$AG" --db "$DB" --json scan
expect_eq "$(jq .new_warnings "$T/out")" 0 "a rescan adds nothing"
expect_eq "$(sqlite3 "$DB" "SELECT COUNT(*) FROM warning")" "$first" "and duplicates nothing"
expect_eq "$(sqlite3 "$DB" "SELECT status FROM warning WHERE id=$id")" dismissed "the triage decision is kept"
expect_exit 0 "warnings list --item F03 --json" "$AG" --db "$DB" warnings list --item F03 --json
expect_eq "$(jq '[.items[].item] | unique | join(",")' -r "$T/out")" F03 "the item filter holds"
expect_exit 0 "warnings list --status dismissed" "$AG" --db "$DB" warnings list --status dismissed --json
expect_eq "$(jq .total "$T/out")" 1 "one dismissed warning"
expect_exit 2 "an unknown status is a usage error" "$AG" --db "$DB" warnings list --status closed
expect_exit 0 "the audit log verifies after scans" "$AG" --db "$DB" audit-log verify
finish
