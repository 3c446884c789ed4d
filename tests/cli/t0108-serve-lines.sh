#!/usr/bin/env bash
# t0108: GET /api/v1/units/{code}/ledger/lines: every role within its scope (404 outside, the same
# answer as a unit that does not exist), each filter against the database, paging, refused filters
# (400 naming the parameter), and a line found this way attached as evidence to an audit finding.
. "$(dirname "$0")/serve_lib.sh"
DB="$T/l.db"
demo_db "$DB"
start_server "$DB"
for u in admin reviewer liaison supervisor auditor; do login $u || fail "$u signs in"; done
L=/api/v1/units
# The demo auditor's own unit (in D01, the supervisor's cell; not S01, the liaison's), a unit of
# another cell with books, and the unit of the demo project in the field with its finding.
A=$(sq "$DB" "SELECT unit_code FROM app_user WHERE username = 'auditor'")
O=$(sq "$DB" "SELECT unit_code FROM ledger_book b JOIN unit u ON u.code = b.unit_code
    WHERE u.cell_id NOT IN ('D01', 'S01') ORDER BY unit_code LIMIT 1")
P_UNIT=$(sq "$DB" "SELECT unit_code FROM audit_project WHERE stage = 'field' ORDER BY id LIMIT 1")
F=$(sq "$DB" "SELECT f.id FROM finding f JOIN audit_project p ON p.id = f.project_id
    WHERE p.stage = 'field' ORDER BY f.id LIMIT 1")
Y=$(sq "$DB" "SELECT MIN(fiscal_year) FROM ledger_book WHERE unit_code = '$A'")
[ -n "$A" ] && [ -n "$O" ] && [ -n "$F" ] && [ -n "$Y" ] || { echo "demo data missing"; exit 1; }
count() { # count UNIT CONDITION -- the unit's lines that meet the condition
    sq "$DB" "SELECT COUNT(*) FROM ledger_line l JOIN ledger_book b ON b.id = l.book_id
        WHERE b.unit_code = '$1' AND $2"
}
get() { # get WHO PATH [--data-urlencode k=v ...] -- a GET with an encoded query
    local who=$1 path=$2
    shift 2
    req "$who" GET "$path" -G "$@"
}

# Scope: 200 inside, 404 outside exactly like a unit that does not exist.
expect_status 200 "auditor: own unit's lines" auditor GET "$L/$A/ledger/lines"
expect_eq "$(body_json '[.total, .page, .per_page, (.items | length)] | join(",")')" \
    "$(count "$A" 1),1,50,50" "total, page, per_page and a page of 50"
expect_status 404 "auditor: another unit is 404" auditor GET "$L/$O/ledger/lines"
expect_eq "$(body_json '[.error.code, .error.message_en] | join("|")')" "not_found|no unit $O" "as not found"
expect_status 404 "auditor: a unit that does not exist" auditor GET "$L/12120104MB0000000X/ledger/lines"
expect_eq "$(body_json '[.error.code, .error.message_en] | join("|")')" "not_found|no unit 12120104MB0000000X" \
    "the same answer"
expect_status 404 "liaison (S01): a D01 unit is 404" liaison GET "$L/$A/ledger/lines"
expect_status 200 "supervisor (D01): a D01 unit" supervisor GET "$L/$A/ledger/lines?per_page=1"
expect_status 404 "supervisor: a unit of another cell is 404" supervisor GET "$L/$O/ledger/lines"
expect_status 200 "reviewer: any unit" reviewer GET "$L/$O/ledger/lines?per_page=1"
expect_eq "$(body_json .total)" "$(count "$O" 1)" "all of that unit's lines"
expect_status 401 "anonymous: 401" anon GET "$L/$A/ledger/lines"
expect_status 405 "read-only" admin POST "$L/$A/ledger/lines"

# Filters, each against the database.
get auditor "$L/$A/ledger/lines" --data-urlencode "year=$Y" --data-urlencode per_page=3
expect_eq "$STATUS|$(body_json .total)" "200|$(count "$A" "b.fiscal_year = $Y")" "year"
expect_eq "$(body_json '.items[0] | [.year, (.debit | test("^-?[0-9]+\\.[0-9]{2}$")), (.source | type)] | map(tostring) | join(",")')" \
    "$Y,true,string" "fields: the year, amounts in yuan as text, the source file"
expect_eq "$(body_json '[.items[].id] | join(",")')" \
    "$(sq "$DB" "SELECT group_concat(id) FROM (SELECT l.id FROM ledger_line l JOIN ledger_book b ON b.id = l.book_id
        WHERE b.unit_code = '$A' AND b.fiscal_year = $Y ORDER BY voucher_date, voucher_type,
        LENGTH(voucher_no), voucher_no, line_no, l.id LIMIT 3)")" "in voucher order"
read -r VT VN <<<"$(sq "$DB" "SELECT voucher_type, voucher_no FROM ledger_line l JOIN ledger_book b ON b.id = l.book_id
    WHERE b.unit_code = '$A' AND b.fiscal_year = $Y AND period = 2 ORDER BY l.id DESC LIMIT 1" | tr '|' ' ')"
get auditor "$L/$A/ledger/lines" --data-urlencode "year=$Y" --data-urlencode period=2 --data-urlencode "voucher=$VT-00$VN"
expect_eq "$STATUS|$(body_json .total)" \
    "200|$(count "$A" "b.fiscal_year = $Y AND period = 2 AND voucher_type = '$VT' AND voucher_no = '$VN'")" "period and voucher"
expect_eq "$(body_json "[.items[].voucher == \"$VT-$VN\"] | all")" true "only that voucher"
get auditor "$L/$A/ledger/lines" --data-urlencode account=1002
expect_eq "$STATUS|$(body_json .total)" "200|$(count "$A" "account_code LIKE '1002%'")" "account prefix"
get auditor "$L/$A/ledger/lines" --data-urlencode counterparty=有限公司 --data-urlencode "year=$Y"
expect_eq "$STATUS|$(body_json .total)" "200|$(count "$A" "b.fiscal_year = $Y AND counterparty LIKE '%有限公司%'")" "counterparty substring"
get auditor "$L/$A/ledger/lines" --data-urlencode summary=支付
expect_eq "$STATUS|$(body_json .total)" "200|$(count "$A" "summary LIKE '%支付%'")" "summary substring"
AMT=$(sq "$DB" "SELECT credit FROM ledger_line l JOIN ledger_book b ON b.id = l.book_id WHERE b.unit_code = '$A' AND credit > 0 ORDER BY l.id LIMIT 1")
YUAN=$(printf '%d.%02d' $((AMT / 100)) $((AMT % 100)))
get auditor "$L/$A/ledger/lines" --data-urlencode "amount=$YUAN"
expect_eq "$STATUS|$(body_json .total)" "200|$(count "$A" "(debit = $AMT OR credit = $AMT)")" "amount $YUAN on either side"
get auditor "$L/$A/ledger/lines" --data-urlencode min_amount=50000 --data-urlencode "from=$Y-04-01" --data-urlencode "to=$Y-06-30"
expect_eq "$STATUS|$(body_json .total)" \
    "200|$(count "$A" "(debit >= 5000000 OR credit >= 5000000) AND voucher_date BETWEEN '$Y-04-01' AND '$Y-06-30'")" \
    "min_amount with a date range"

# Paging: pages continue one another; the bounds of page and per_page.
get auditor "$L/$A/ledger/lines" --data-urlencode per_page=6
cp "$T/body" "$T/six"
get auditor "$L/$A/ledger/lines" --data-urlencode per_page=3 --data-urlencode page=2
expect_eq "$(jq -c '[.items[].id]' "$T/body")" "$(jq -c '[.items[3:6][].id]' "$T/six")" "page 2 of 3 follows page 1"
expect_eq "$(body_json '[.page, .per_page] | join(",")')" "2,3" "page and per_page echoed"
expect_status 400 "page=0" auditor GET "$L/$A/ledger/lines?page=0"
expect_status 400 "per_page=501" auditor GET "$L/$A/ledger/lines?per_page=501"

# Refused filters: 400 naming the parameter, before anything about the unit is said.
for bad in year=abc year=1800 period=14 amount=abc amount=0 min_amount=-1 from=2024-02-30 to=2024/01/01; do
    expect_status 400 "$bad is refused" auditor GET "$L/$A/ledger/lines?$bad"
    expect_eq "$(body_json '[.error.code, .error.where] | join("|")')" "bad_request|${bad%%=*}" "$bad: names ${bad%%=*}"
done
get auditor "$L/$A/ledger/lines" --data-urlencode voucher=记-
expect_eq "$STATUS|$(body_json .error.where)" "400|voucher" "a voucher without its number"
expect_eq "$(body_json '.error.message | test("凭证字-凭证号")'),$(body_json '.error.message_en | test("type-number")')" \
    "true,true" "in both languages"
expect_status 400 "from after to" auditor GET "$L/$A/ledger/lines?from=2024-06-01&to=2024-05-31"

# A line found by the search is evidence for the finding of the demo project in the field (admin
# may add it); a line of another unit found the same way is refused.
get admin "$L/$P_UNIT/ledger/lines" --data-urlencode counterparty=公司 --data-urlencode per_page=1
LINE=$(body_json '.items[0].id')
expect_eq "$STATUS|$(count "$P_UNIT" "l.id = $LINE")" "200|1" "a line of the audited unit found"
J=(-H 'Content-Type: application/json')
expect_status 201 "the found line as evidence" admin POST "/api/v1/findings/$F/evidence" "${J[@]}" \
    -d "{\"kind\":\"ledger_line\",\"ref_id\":$LINE,\"note\":\"付款分录\"}"
expect_eq "$(body_json "[.evidence[] | select(.kind == \"ledger_line\" and .ref_id == $LINE)] | length")" 1 \
    "the finding lists it"
get admin "$L/$A/ledger/lines" --data-urlencode per_page=1
OTHER=$(body_json '.items[0].id')
expect_status 404 "a line of another unit is not evidence" admin POST "/api/v1/findings/$F/evidence" "${J[@]}" \
    -d "{\"kind\":\"ledger_line\",\"ref_id\":$OTHER}"
finish
