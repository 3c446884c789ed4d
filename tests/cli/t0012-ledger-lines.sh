#!/usr/bin/env bash
# t0012: `ledger lines` finds a unit's voucher lines by year, period, voucher, account, counterparty,
# amount and dates, pages through them in voucher order, never shows another unit's lines and refuses
# malformed filters in both languages.
. "$(dirname "$0")/lib.sh"
DB="$T/l.db"
"$AG" --db "$DB" demo --lines 50000 --no-serve >"$T/demo.out" 2>&1 || { cat "$T/demo.out"; exit 1; }
ag() { "$AG" --db "$DB" "$@"; }
sq() { sqlite3 "$DB" "$1"; }
# Two pilot units with books; A's first year.
A=$(sq "SELECT unit_code FROM ledger_book GROUP BY unit_code ORDER BY unit_code LIMIT 1")
X=$(sq "SELECT unit_code FROM ledger_book WHERE unit_code <> '$A' GROUP BY unit_code ORDER BY unit_code LIMIT 1")
Y=$(sq "SELECT MIN(fiscal_year) FROM ledger_book WHERE unit_code = '$A'")
BOOK=$(sq "SELECT id FROM ledger_book WHERE unit_code = '$A' AND fiscal_year = $Y")
[ -n "$A" ] && [ -n "$X" ] && [ -n "$BOOK" ] || { echo "no demo books"; exit 1; }
in_book() { sq "SELECT COUNT(*) FROM ledger_line WHERE book_id = $BOOK AND $1"; }

expect_exit 0 "a unit-year's lines" ag --json ledger lines --unit "$A" --year "$Y" --limit 5
expect_eq "$(jq .total "$T/out")" "$(in_book 1)" "total is every line of the book"
expect_eq "$(jq '.items | length' "$T/out")" 5 "--limit 5 gives five"
expect_eq "$(jq -r '.items | map(.id) | join(",")' "$T/out")" \
    "$(sq "SELECT group_concat(id) FROM (SELECT id FROM ledger_line WHERE book_id = $BOOK
        ORDER BY voucher_date, voucher_type, LENGTH(voucher_no), voucher_no, line_no, id LIMIT 5)")" \
    "in voucher-date, voucher, line order"
expect_eq "$(jq -r '.items[0] | [has("id","year","period","voucher_date","voucher","line_no","summary",
    "account_code","account_name","debit","credit","counterparty","dept","project","maker","reviewer",
    "source","src_line")] | all | tostring' "$T/out")" true "every documented field is there"
expect_eq "$(jq -r '.items[0].debit | test("^-?[0-9]+\\.[0-9]{2}$")' "$T/out")" true "amounts in yuan as text"
ag --json ledger lines --unit "$A" --year "$Y" --limit 6 >"$T/six"
expect_exit 0 "the second page" ag --json ledger lines --unit "$A" --year "$Y" --limit 3 --offset 3
expect_eq "$(jq -c '[.items[].id]' "$T/out")" "$(jq -c '[.items[3:6][].id]' "$T/six")" "pages continue one another"

# A voucher as shown, with leading zeros or not.
read -r P VT VN <<<"$(sq "SELECT period, voucher_type, voucher_no FROM ledger_line WHERE book_id = $BOOK
    AND period = 3 ORDER BY id LIMIT 1" | tr '|' ' ')"
expect_exit 0 "--voucher TYPE-0NO in a period" ag --json ledger lines --unit "$A" --year "$Y" --period "$P" --voucher "$VT-000$VN"
expect_eq "$(jq .total "$T/out")" "$(in_book "period = $P AND voucher_type = '$VT' AND voucher_no = '$VN'")" "the voucher's lines"
expect_eq "$(jq -r "[.items[] | .voucher == \"$VT-$VN\" and .period == $P] | all" "$T/out")" true "all of that voucher"

expect_exit 0 "--account is a prefix" ag --json ledger lines --unit "$A" --year "$Y" --account 1002 --limit 500
expect_eq "$(jq .total "$T/out")" "$(in_book "account_code LIKE '1002%'")" "1002 and its sub-accounts"
expect_exit 0 "--counterparty is a substring" ag --json ledger lines --unit "$A" --year "$Y" --counterparty 有限公司
expect_eq "$(jq .total "$T/out")" "$(in_book "counterparty LIKE '%有限公司%'")" "counterparties containing 有限公司"
expect_exit 0 "--summary is a substring" ag --json ledger lines --unit "$A" --summary 支付
expect_eq "$(jq .total "$T/out")" \
    "$(sq "SELECT COUNT(*) FROM ledger_line l JOIN ledger_book b ON b.id = l.book_id WHERE b.unit_code = '$A' AND summary LIKE '%支付%'")" \
    "summaries containing 支付, every year"
AMT=$(sq "SELECT debit FROM ledger_line WHERE book_id = $BOOK AND debit > 0 ORDER BY debit DESC LIMIT 1")
YUAN=$(printf '%d.%02d' $((AMT / 100)) $((AMT % 100)))
expect_exit 0 "--amount in yuan" ag --json ledger lines --unit "$A" --amount "$YUAN"
expect_eq "$(jq .total "$T/out")" \
    "$(sq "SELECT COUNT(*) FROM ledger_line l JOIN ledger_book b ON b.id = l.book_id WHERE b.unit_code = '$A' AND (debit = $AMT OR credit = $AMT)")" \
    "lines of exactly $YUAN on either side"
expect_eq "$(jq -r "[.items[] | .debit == \"$YUAN\" or .credit == \"$YUAN\"] | all" "$T/out")" true "each one of that amount"
expect_exit 0 "--min-amount" ag --json ledger lines --unit "$A" --year "$Y" --min-amount 100000
expect_eq "$(jq .total "$T/out")" "$(in_book "(debit >= 10000000 OR credit >= 10000000)")" "lines of 100 000 yuan or more"
expect_exit 0 "--from/--to" ag --json ledger lines --unit "$A" --from "$Y-03-01" --to "$Y-03-31" --limit 500
expect_eq "$(jq .total "$T/out")" "$(in_book "voucher_date BETWEEN '$Y-03-01' AND '$Y-03-31'")" "March's lines"
expect_eq "$(jq -r '[.items[].voucher_date | startswith("'"$Y"'-03-")] | all' "$T/out")" true "all in March"

# Never another unit's lines: every id comes from A's books, none from X's.
expect_exit 0 "a wide search" ag --json ledger lines --unit "$A" --counterparty 公司 --limit 500
ids=$(jq -r '[.items[].id] | join(",")' "$T/out")
expect_eq "$(sq "SELECT COUNT(*) FROM ledger_line l JOIN ledger_book b ON b.id = l.book_id WHERE l.id IN ($ids) AND b.unit_code <> '$A'")" 0 "no line of another unit"
XL=$(sq "SELECT l.id FROM ledger_line l JOIN ledger_book b ON b.id = l.book_id WHERE b.unit_code = '$X' LIMIT 1")
expect_exit 0 "X's own search" ag --json ledger lines --unit "$X" --limit 500
expect_eq "$(jq "[.items[].id] | index($XL) != null" "$T/out")" true "X's lines are X's"

expect_exit 0 "text output" ag ledger lines --unit "$A" --year "$Y" --limit 2
expect_grep "共 $(in_book 1) 行" "$T/out" "says how many in all"
expect_grep "^#[0-9]" "$T/out" "each line starts with its id"
expect_exit 0 "nothing found is not an error" ag ledger lines --unit "$A" --summary 没有这样的摘要
expect_grep "no matching lines" "$T/out" "and says so"

# Refusals: usage errors (2) in both languages, an unknown unit (3).
expect_exit 2 "--unit is required" ag ledger lines --year "$Y"
expect_exit 3 "an unknown unit" ag ledger lines --unit 12120104MB0000000X
expect_grep "no unit" "$T/err" "names the unit"
expect_exit 2 "--year out of range" ag ledger lines --unit "$A" --year 1800
expect_exit 2 "--period 14" ag ledger lines --unit "$A" --period 14
expect_exit 2 "a voucher without its number" ag ledger lines --unit "$A" --voucher 记-
expect_grep "凭证字-凭证号" "$T/err" "in Chinese"
expect_grep "type-number" "$T/err" "and in English"
expect_exit 2 "--amount not an amount" ag ledger lines --unit "$A" --amount 12,3x
expect_exit 2 "--amount 0" ag ledger lines --unit "$A" --amount 0
expect_exit 2 "--min-amount negative" ag ledger lines --unit "$A" --min-amount -5
expect_exit 2 "--from not a day" ag ledger lines --unit "$A" --from "$Y-02-30"
expect_exit 2 "--from after --to" ag ledger lines --unit "$A" --from "$Y-06-01" --to "$Y-05-31"
expect_grep "is after" "$T/err" "says which way round"
expect_exit 2 "--limit 501" ag ledger lines --unit "$A" --limit 501
expect_exit 2 "--offset negative" ag ledger lines --unit "$A" --offset -1
expect_exit 0 "help" ag ledger lines --help
expect_grep "counterparty" "$T/out" "help lists the filters"
finish
