#!/usr/bin/env bash
# t0104: writes through the API: triage, import uploads with their report, accounts, units and
# persons; every write lands in the audit log under the user who made it, and the chain verifies.
. "$(dirname "$0")/serve_lib.sh"
DB="$T/w.db"
demo_db "$DB"
mkdir -p "$T/spool"
seq0=$(sq "$DB" "SELECT MAX(seq) FROM audit_log")
start_server "$DB" --max-upload 1 --tmp-dir "$T/spool"
J=(-H 'Content-Type: application/json')
login auditor || fail "auditor signs in"
login admin || fail "admin signs in"
unit=$(sq "$DB" "SELECT unit_code FROM app_user WHERE username='auditor'")
wid=$(sq "$DB" "SELECT id FROM warning WHERE unit_code='$unit' ORDER BY id LIMIT 1")
T_="/api/v1/warnings/$wid/triage"

# Triage.
expect_status 422 "dismiss without a reason" auditor POST "$T_" "${J[@]}" -d '{"action":"dismiss"}'
expect_eq "$(body_json .error.where)" reason "the error names the field"
expect_status 422 "a reason of blanks is no reason" auditor POST "$T_" "${J[@]}" -d '{"action":"dismiss","reason":"  "}'
expect_status 422 "an unknown action" auditor POST "$T_" "${J[@]}" -d '{"action":"close"}'
expect_status 422 "a reason over 2000 bytes" auditor POST "$T_" "${J[@]}" \
    -d "{\"action\":\"acknowledge\",\"reason\":\"$(head -c 2001 /dev/zero | tr '\0' x)\"}"
expect_status 422 "action must be a string" auditor POST "$T_" "${J[@]}" -d '{"action":1}'
expect_status 200 "acknowledge" auditor POST "$T_" "${J[@]}" -d '{"action":"acknowledge"}'
expect_eq "$(body_json .status)" acknowledged "the warning is acknowledged"
expect_status 409 "acknowledging twice is a conflict" auditor POST "$T_" "${J[@]}" -d '{"action":"acknowledge"}'
expect_eq "$(body_json .error.code)" conflict "conflict"
expect_status 200 "escalate" auditor POST "$T_" "${J[@]}" -d '{"action":"escalate","reason":"金额较大，报区审计局"}'
expect_status 200 "dismiss with a reason" auditor POST "$T_" "${J[@]}" -d '{"action":"dismiss","reason":"已核实：系正常报销"}'
expect_eq "$(body_json '[.status, .status_reason, .status_by] | join("|")')" "dismissed|已核实：系正常报销|auditor" \
    "status, reason and user are recorded"
[ -n "$(body_json .status_at)" ] && ok "and the time" || fail "no status_at"
expect_status 200 "GET /warnings/{id} shows the decision" auditor GET "/api/v1/warnings/$wid"
expect_eq "$(body_json .status)" dismissed "dismissed"
expect_status 404 "a warning id that is not a number" auditor POST "/api/v1/warnings/abc/triage" "${J[@]}" -d '{"action":"escalate"}'
expect_status 404 "a warning that does not exist" auditor POST "/api/v1/warnings/99999999/triage" "${J[@]}" -d '{"action":"escalate"}'
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM audit_log WHERE seq > $seq0 AND tbl='warning' AND action='update' AND actor='user:auditor' AND row_key='$wid'")" 3 \
    "three triage decisions, three audit entries by user:auditor"

# Import uploads (internal auditor, own unit).
cat >"$T/l2023.csv" <<'EOF'
voucher_date,voucher_no,account_code,debit,credit,summary,counterparty
2023-03-05,1,5001,1280.00,,购买办公用品,某某文具店
2023-03-05,1,1002,,1280.00,购买办公用品,某某文具店
2023-03-06,2,5001,500.00,,差旅费,
2023-03-06,2,1002,,400.00,差旅费,
EOF
U="/api/v1/units/$unit/imports"
expect_status 201 "upload a CSV" auditor POST "$U?filename=l2023.csv&year=2023" --data-binary @"$T/l2023.csv"
expect_eq "$(body_json '[.status, .path, .unit, (.lines|tostring), (.years|map(tostring)|join(","))] | join("|")')" \
    "imported|l2023.csv|$unit|4|2023" "the import report: status, file, unit, lines, years"
[ "$(body_json .findings_total)" -ge 1 ] && ok "the unbalanced voucher is a finding in the report" || fail "no finding"
expect_eq "$(body_json .sha256)" "$(sha256sum "$T/l2023.csv" | cut -d' ' -f1)" "the report carries the file's SHA-256"
expect_eq "$(sq "$DB" "SELECT path FROM ledger_source ORDER BY id DESC LIMIT 1")" l2023.csv "the source is recorded under its uploaded name"
expect_status 200 "the same file again" auditor POST "$U?filename=l2023.csv" --data-binary @"$T/l2023.csv"
expect_eq "$(body_json .status)" already_imported "is recognised"
sed 's/1280.00/1290.00/' "$T/l2023.csv" >"$T/l2023b.csv"
expect_status 409 "another file for a year with data" auditor POST "$U?filename=l2023b.csv" --data-binary @"$T/l2023b.csv"
expect_status 201 "...with replace=true" auditor POST "$U?filename=l2023b.csv&replace=true" --data-binary @"$T/l2023b.csv"
n_src=$(sq "$DB" "SELECT COUNT(*) FROM ledger_source")
printf 'voucher_date,voucher_no,account_code,debit,credit\n2022-01-05,1,5001,12.345,\n' >"$T/bad.csv"
expect_status 422 "a file with a bad amount is rejected" auditor POST "$U?filename=bad.csv" --data-binary @"$T/bad.csv"
expect_eq "$(body_json .error.where)" "bad.csv:2:debit" "the error names file:line:field"
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM ledger_source")" "$n_src" "and nothing was written"
expect_status 400 "an upload without ?filename=" auditor POST "$U" --data-binary @"$T/l2023.csv"
expect_status 400 "a file name with a path" auditor POST "$U?filename=..%2Fx.csv" --data-binary @"$T/l2023.csv"
head -c 1100000 /dev/zero >"$T/big.bin"
expect_status 413 "an upload over --max-upload" auditor POST "$U?filename=big.csv" --data-binary @"$T/big.bin"
expect_status 200 "GET /units/{code}/ledger shows the new year" auditor GET "/api/v1/units/$unit/ledger?year=2023"
expect_eq "$(body_json '.books[0].lines')" 4 "four lines in 2023"
expect_eq "$(ls "$T/spool" | wc -l | tr -d ' ')" 0 "no spooled upload is left behind"
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM audit_log WHERE seq > $seq0 AND action='import' AND actor='user:auditor'")" 2 \
    "imports are in the audit log under the auditor"

# Accounts, units and persons (administrator).
expect_status 201 "POST /users" admin POST /api/v1/users "${J[@]}" \
    -d "{\"username\":\"wangli\",\"role\":\"auditor\",\"unit_code\":\"$unit\",\"password\":\"Another#Pass1\",\"display_name\":\"王丽\"}"
expect_eq "$(body_json .username)" wangli "the account is created"
expect_status 409 "the same username again" admin POST /api/v1/users "${J[@]}" \
    -d '{"username":"WangLi","role":"admin","password":"Another#Pass1"}'
expect_status 400 "a leader without a unit" admin POST /api/v1/users "${J[@]}" \
    -d '{"username":"zhao","role":"leader","password":"Another#Pass1"}'
login wangli 'Another#Pass1' && ok "the new account signs in" || fail "the new account cannot sign in"
expect_status 200 "GET /users" admin GET "/api/v1/users?per_page=2&page=2"
expect_eq "$(body_json '[.total, .page, .per_page, (.items|length)] | map(tostring) | join(",")')" "9,2,2,2" "users are paginated"
if grep -q 'password' "$T/body"; then fail "/users shows password data"; else ok "/users shows no password data"; fi
expect_status 200 "GET /units (now cached)" admin GET "/api/v1/units?per_page=1"
n_units=$(body_json .total)
expect_status 200 "GET /units again" admin GET "/api/v1/units?per_page=1"
expect_eq "$(body_json .total)" "$n_units" "the same answer"
expect_status 201 "POST /units" admin POST /api/v1/units "${J[@]}" \
    -d '{"code":"12120104MB1234567K","name":"南开区某小学","type":"学校","cell_id":"D01","pilot":true}'
expect_eq "$(body_json '[.code, .cell_id, (.pilot|tostring)] | join("|")')" "12120104MB1234567K|D01|true" "the unit as stored"
expect_status 200 "GET /units after the write" admin GET "/api/v1/units?per_page=1"
expect_eq "$(body_json .total)" "$((n_units + 1))" "a write makes cached answers stale at once"
expect_status 409 "the same unit again" admin POST /api/v1/units "${J[@]}" \
    -d '{"code":"12120104MB1234567K","name":"x","type":"学校"}'
expect_status 422 "a wrong check character" admin POST /api/v1/units "${J[@]}" \
    -d '{"code":"12120104MB1234567A","name":"x","type":"学校"}'
grep -q "K" "$T/body" && ok "the error gives the right check character" || fail "no check character"
expect_status 201 "POST /units/{code}/persons" admin POST /api/v1/units/12120104MB1234567K/persons "${J[@]}" \
    -d '{"name":"王丽","title":"校长","phone":"022-27001234","role":"principal"}'
expect_status 200 "the person appears with the role" admin GET /api/v1/units/12120104MB1234567K/persons
expect_eq "$(body_json '.items[0] | [.name, .phone, (.roles|join(","))] | join("|")')" "王丽|022-27001234|principal" "name, phone, role"
expect_status 404 "persons for a unit that does not exist" admin POST /api/v1/units/12120104MB7654321X/persons "${J[@]}" -d '{"name":"x"}'
sleep 0.2
if grep -q "022-27001234" "$T/serve.err"; then fail "a phone number in the log"; else ok "no phone number in the log"; fi

# The audit log, through the API and the CLI.
expect_status 200 "GET /audit-log?actor=user:admin&table=unit" admin GET "/api/v1/audit-log?actor=user:admin&table=unit"
expect_eq "$(body_json '.items[0] | [.action, .key] | join("|")')" "insert|12120104MB1234567K" "the unit's insert, by the admin"
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM audit_log WHERE seq > $seq0 AND actor NOT LIKE 'user:%'")" 0 \
    "every write through the server is in the audit log under a user"
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM audit_log WHERE seq > $seq0 AND tbl='app_user' AND actor='user:admin'")" 1 "the account creation"
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM audit_log WHERE seq > $seq0 AND tbl='person' AND actor='user:admin'")" 1 "the person"
expect_status 200 "GET /audit-log/verify" admin GET /api/v1/audit-log/verify
expect_eq "$(body_json .ok)" true "the chain verifies"
stop_server
expect_exit 0 "auditgrid audit-log verify passes" "$AG" --db "$DB" audit-log verify
sqlite3 "$DB" "UPDATE audit_log SET actor='user:mallory' WHERE seq = $((seq0 + 2))"
start_server "$DB"
login admin || fail "admin signs in again"
expect_status 200 "verify after tampering" admin GET /api/v1/audit-log/verify
expect_eq "$(body_json '[(.ok|tostring), (.bad_seq|tostring)] | join("|")')" "false|$((seq0 + 2))" "names the altered entry"
finish
