#!/usr/bin/env bash
# t0006: ledger import from the command line: reports, re-import, --replace, refusals that write nothing.
. "$(dirname "$0")/lib.sh"
DB="$T/i.db"
U=12120104MB1234567K
"$AG" --db "$DB" init >/dev/null
"$AG" --db "$DB" unit add --code $U --name 测试学校 --type 学校 >/dev/null

cat >"$T/a.csv" <<'CSV'
voucher_date,voucher_type,voucher_no,line_no,summary,account_code,account_name,debit,credit,counterparty,maker,reviewer
2024-01-05,记,1,1,购办公用品,500101,业务活动费用-办公费,"1,200.00",,天津某公司,张三,李四
2024-01-05,记,1,2,购办公用品,1002,银行存款,,1200.00,天津某公司,张三,李四
2024-01-06,记,2,1,付款,500101,业务活动费用,300.00,,某公司,张三,李四
2024-01-06,记,2,2,付款,1002,银行存款,,200.00,某公司,张三,李四
2024-02-07,记,1,1,x,9999,怪科目,1,,,张三,李四
2024-02-07,记,1,1,x,1002,银行存款,,1,,张三,李四
CSV
state() { sqlite3 "$DB" "SELECT (SELECT COUNT(*) FROM ledger_line), (SELECT COUNT(*) FROM ledger_source), (SELECT COUNT(*) FROM audit_log)"; }

expect_exit 3 "an unknown unit is refused" "$AG" --db "$DB" import --unit 12120104MB1234567X "$T/a.csv"
expect_grep "unit add" "$T/err" "the refusal hints to add the unit"
expect_exit 2 "import without a file is a usage error" "$AG" --db "$DB" import --unit $U
expect_exit 0 "a CSV imports" "$AG" --db "$DB" --json import --unit $U "$T/a.csv"
expect_eq "$(jq -r '.[0].status' "$T/out")" imported "status imported"
expect_eq "$(jq -r '.[0].lines' "$T/out")" 6 "6 lines"
expect_eq "$(jq -r '.[0].vouchers' "$T/out")" 3 "3 vouchers (numbering restarts each month)"
expect_eq "$(jq -r '.[0].debit_total' "$T/out")" 1501.00 "debit total to the fen"
expect_eq "$(jq -r '.[0].credit_total' "$T/out")" 1401.00 "credit total to the fen"
expect_eq "$(jq -r '.[0].findings_by_kind.unbalanced_voucher' "$T/out")" 1 "the unbalanced voucher is a finding"
expect_eq "$(jq -r '.[0].findings_by_kind.unknown_account' "$T/out")" 1 "the unknown account is a finding"
expect_eq "$(jq -r '.[0].findings_by_kind.duplicate_line' "$T/out")" 1 "the duplicate line number is a finding"
expect_eq "$(jq -r '.[0].sha256' "$T/out")" "$(sha256sum "$T/a.csv" | cut -d' ' -f1)" "the file's SHA-256 is recorded"
before=$(state)
expect_exit 0 "importing the same file again succeeds" "$AG" --db "$DB" --json import --unit $U "$T/a.csv"
expect_eq "$(jq -r '.[0].status' "$T/out")" already_imported "and says already_imported"
expect_eq "$(state)" "$before" "and changes nothing"
cp "$T/a.csv" "$T/copy-of-a.csv"
expect_exit 0 "the same bytes under another name are recognised" "$AG" --db "$DB" --json import --unit $U "$T/copy-of-a.csv"
expect_eq "$(jq -r '.[0].status' "$T/out")" already_imported "as already imported"

sed 's/天津某公司/天津某某公司/' "$T/a.csv" >"$T/b.csv"
expect_exit 3 "another file for a year with data is refused" "$AG" --db "$DB" import --unit $U "$T/b.csv"
expect_grep "replace" "$T/err" "the refusal names --replace"
expect_eq "$(state)" "$before" "the refusal writes nothing"
expect_exit 0 "--replace replaces the year" "$AG" --db "$DB" --json import --unit $U --replace "$T/b.csv"
expect_eq "$(sqlite3 "$DB" "SELECT COUNT(*) FROM ledger_line")" 6 "still 6 lines after replacing"
expect_eq "$(sqlite3 "$DB" "SELECT COUNT(*) FROM ledger_line WHERE counterparty='天津某某公司'")" 2 "the lines are the new file's"
expect_eq "$(sqlite3 "$DB" "SELECT status FROM ledger_source ORDER BY id" | tr '\n' ,)" "replaced,active," "the old source is marked replaced"

# Structural faults: file, line and field named; nothing written.
before=$(state)
printf 'voucher_date,voucher_no,account_code,debit,credit\n2024-03-01,1,1002,10.00,\n2024-03-01,1,4001,,1O.00\n' >"$T/bad.csv"
expect_exit 3 "a bad amount rejects the file" "$AG" --db "$DB" import --unit $U --append "$T/bad.csv"
expect_grep "bad.csv:3" "$T/err" "the fault names the file and line"
expect_grep "credit" "$T/err" "the fault names the field"
printf 'voucher_date,voucher_no,account_code,debit,credit\n2024-03-01,1,1002,10.00,\n2024-02-30,1,4001,,10.00\n' >"$T/bad2.csv"
expect_exit 3 "an impossible date rejects the file" "$AG" --db "$DB" import --unit $U --append "$T/bad2.csv"
expect_grep "bad2.csv:3" "$T/err" "the date fault names line 3"
printf 'voucher_date,voucher_no,debit,credit\n2024-03-01,1,10.00,\n' >"$T/bad3.csv"
expect_exit 3 "a missing required column rejects the file" "$AG" --db "$DB" import --unit $U --append "$T/bad3.csv"
expect_grep "account_code\|科目" "$T/err" "the missing column is named"
expect_exit 3 "rows of another year than --year reject the file" "$AG" --db "$DB" import --unit $U --year 2025 --append "$T/a.csv"
expect_grep "fiscal_year" "$T/err" "the year fault names the field"
expect_eq "$(state)" "$before" "structural faults write nothing"
expect_exit 0 "the audit log still verifies" "$AG" --db "$DB" audit-log verify

# A file spanning two years: each finding belongs to its year's book.
printf 'voucher_date,voucher_no,account_code,debit,credit\n2022-03-01,1,1002,10.00,\n2022-03-01,1,4001,,10.00\n2023-03-01,1,1002,10.00,\n2023-03-01,1,4001,,9.00\n' >"$T/two.csv"
expect_exit 0 "a two-year file imports" "$AG" --db "$DB" --json import --unit $U "$T/two.csv"
expect_eq "$(jq -r '.[0].years | join(",")' "$T/out")" 2022,2023 "both years are booked"
expect_eq "$(sqlite3 "$DB" "SELECT b.fiscal_year FROM ledger_finding f JOIN ledger_book b ON b.id = f.book_id WHERE f.kind='unbalanced_voucher' AND b.fiscal_year IN (2022, 2023)")" 2023 "the unbalanced voucher is a finding of 2023's book"
expect_exit 0 "ledger show --json" "$AG" --db "$DB" ledger show --unit $U --year 2024 --json
expect_eq "$(jq -r .lines "$T/out")" 6 "ledger show counts the lines"
expect_eq "$(jq -r '.sources | length' "$T/out")" 1 "one active source"
expect_exit 3 "ledger show of a year without data" "$AG" --db "$DB" ledger show --unit $U --year 2020
finish
