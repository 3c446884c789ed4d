#!/usr/bin/env bash
# t0120: replacing a unit's books is for the unit itself and the bureau (issue 12 §7). A member
# of the unit's audit team from another unit reads the books but replace=true is 403, with a
# message in both languages that names no command-line option; the unit's own auditor may.
# Sources show the file's base name, never a server path, and how they came in, in words.
. "$(dirname "$0")/serve_lib.sh"
DB="$T/r.db"
demo_db "$DB"
A=$(sq "$DB" "SELECT unit_code FROM app_user WHERE username = 'auditor'")
# An internal auditor of another unit, outside A's group, with an account of its own.
o_unit=$(sq "$DB" "SELECT s.unit_code FROM unit_subject s JOIN unit u ON u.code = s.unit_code
    WHERE s.role = 'auditor' AND u.code <> '$A' AND u.type <> '国企'
    AND COALESCE(u.parent_code, '') <> '$A' ORDER BY u.code LIMIT 1")
o_p=$(sq "$DB" "SELECT person_id FROM unit_subject WHERE unit_code = '$o_unit' AND role = 'auditor' ORDER BY person_id LIMIT 1")
[ -n "$A" ] && [ -n "$o_unit" ] && [ -n "$o_p" ] || {
    echo "no suitable demo units ($A $o_unit $o_p)"
    exit 1
}
printf '%s\n' "$PW" | "$AG" --db "$DB" user add --username crossaud --role auditor --unit "$o_unit" \
    --person "$o_p" --password-stdin >/dev/null || fail "an account for the other unit's auditor"

mkdir -p "$T/spool"
start_server "$DB" --tmp-dir "$T/spool"
J=(-H 'Content-Type: application/json')
login admin || fail "admin signs in"
login auditor || fail "the unit's auditor signs in"
login crossaud || fail "the other unit's auditor signs in"

# A cross audit of A with the other unit's auditor on its team.
expect_status 201 "the bureau creates a cross audit of A" admin POST /api/v1/audits "${J[@]}" \
    -d "{\"name\":\"交叉互审 替换测试\",\"kind\":\"cross\",\"unit_code\":\"$A\",\"period_from\":\"2025-01-01\",\"period_to\":\"2025-12-31\",\"items\":[\"F03\"]}"
P=$(body_json .id)
expect_status 201 "the other unit's auditor joins the team" admin POST "/api/v1/audits/$P/team" "${J[@]}" \
    -d "{\"person_id\":$o_p}"

cat >"$T/l2023.csv" <<'CSV'
voucher_date,voucher_no,account_code,debit,credit,summary
2023-03-05,1,5001,1280.00,,购买办公用品
2023-03-05,1,1002,,1280.00,购买办公用品
CSV
sed 's/1280.00/1290.00/' "$T/l2023.csv" >"$T/l2023b.csv"
U="/api/v1/units/$A/imports"
expect_status 201 "the unit's own auditor imports 2023" auditor POST "$U?filename=l2023.csv" --data-binary @"$T/l2023.csv"
expect_status 200 "the team member reads the audited unit's books" crossaud GET "/api/v1/units/$A/ledger?year=2023"
expect_eq "$(body_json '.books[0].lines')" 2 "two lines"
lines0=$(sq "$DB" "SELECT COUNT(*) FROM ledger_line l JOIN ledger_book b ON b.id = l.book_id WHERE b.unit_code = '$A'")
src0=$(sq "$DB" "SELECT COUNT(*) FROM ledger_source")

expect_status 403 "the team member from another unit may not replace the books" crossaud POST \
    "$U?filename=l2023b.csv&replace=true" --data-binary @"$T/l2023b.csv"
expect_eq "$(body_json .error.where)" replace "the refusal names the field replace"
expect_grep "本单位的内审人员或审计局" "$T/body" "the refusal says who may (Chinese)"
expect_grep "audit bureau may replace" "$T/body" "and in English"
if grep -q -- '--' "$T/body"; then fail "the refusal names a command-line option"; else ok "the refusal names no command-line option"; fi
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM ledger_line l JOIN ledger_book b ON b.id = l.book_id WHERE b.unit_code = '$A'")" \
    "$lines0" "the books are unchanged"
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM ledger_source")" "$src0" "no source was recorded"
expect_status 201 "the unit's own auditor may replace them" auditor POST "$U?filename=l2023b.csv&replace=true" \
    --data-binary @"$T/l2023b.csv"
expect_eq "$(body_json .status)" imported "replaced"

# Sources: the base name and how they came in; an old row that kept a server path shows its base name.
sq "$DB" "UPDATE ledger_source SET path = '/srv/spool/auditgrid-upload.ab12cd/l2023b.csv' WHERE id = (SELECT MAX(id) FROM ledger_source)"
expect_status 200 "the unit's books" auditor GET "/api/v1/units/$A/ledger?year=2023"
expect_eq "$(body_json '.books[0].sources[0].path')" l2023b.csv "a source shows the file's base name"
expect_eq "$(body_json '.books[0].sources[0].imported_via')" 网页上传 "an upload is 网页上传"
if grep -q '/srv/spool' "$T/body"; then fail "the ledger shows a server path"; else ok "the ledger shows no server path"; fi
expect_status 200 "the lines of 2023" auditor GET "/api/v1/units/$A/ledger/lines?year=2023"
expect_eq "$(body_json '[.items[].source] | unique | join(",")')" l2023b.csv "lines name the source by its base name"
expect_status 200 "a book imported from the command line" auditor GET "/api/v1/units/$A/ledger?year=2024"
expect_eq "$(body_json '.books[0].sources[0].imported_via')" 命令行导入 "a command-line import is 命令行导入"
expect_eq "$(body_json '.books[0].sources[0].path | test("/")')" false "with no folder in its name"
finish
