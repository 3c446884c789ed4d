#!/usr/bin/env bash
# t0106: the audit workflow through the API as the people who do it: the bureau creates a cross
# audit, a team lead from another unit files the records and findings, the audited unit's leader
# responds and its auditor claims with an uploaded attachment, the lead verifies and closes. Every
# refusal is checked: wrong stage (422), wrong role (403), out of scope (404, identical to missing),
# downloads outside scope, missing CSRF; then overdue escalation on a controlled clock, who sees
# the notifications, the XLSX downloads and a repeat offence in a second audit.
. "$(dirname "$0")/serve_lib.sh"
DB="$T/w.db"
export AUDITGRID_NOW=2026-03-02T09:00:00Z
demo_db "$DB"
# The audited unit: a pilot unit of cell D01 (the demo supervisor's) with books, a principal and
# an internal auditor, and no audit or account of the demo's; the team: two internal auditors of
# a unit elsewhere who are on no team yet.
A=$(sq "$DB" "SELECT u.code FROM unit u WHERE u.cell_id = 'D01' AND u.pilot = 1
    AND u.code NOT IN (SELECT unit_code FROM audit_project WHERE id NOT IN (SELECT project_id FROM xa_assignment WHERE project_id IS NOT NULL))
    AND u.code NOT IN (SELECT unit_code FROM app_user WHERE unit_code IS NOT NULL)
    AND EXISTS (SELECT 1 FROM warning w WHERE w.unit_code = u.code)
    AND EXISTS (SELECT 1 FROM unit_subject s WHERE s.unit_code = u.code AND s.role = 'principal')
    AND EXISTS (SELECT 1 FROM unit_subject s WHERE s.unit_code = u.code AND s.role = 'auditor')
    ORDER BY u.code LIMIT 1")
B=$(sq "$DB" "SELECT s.unit_code FROM unit_subject s JOIN unit u ON u.code = s.unit_code
    WHERE s.role = 'auditor' AND u.cell_id <> 'D01' AND s.person_id NOT IN (SELECT person_id FROM audit_team WHERE project_id NOT IN (SELECT project_id FROM xa_assignment WHERE project_id IS NOT NULL))
    AND u.code NOT IN (SELECT unit_code FROM audit_project WHERE id NOT IN (SELECT project_id FROM xa_assignment WHERE project_id IS NOT NULL))
    AND u.code NOT IN (SELECT unit_code FROM app_user WHERE unit_code IS NOT NULL)
    GROUP BY s.unit_code HAVING COUNT(*) >= 2 ORDER BY s.unit_code LIMIT 1")
lead_p=$(sq "$DB" "SELECT person_id FROM unit_subject WHERE unit_code='$B' AND role='auditor' ORDER BY person_id LIMIT 1")
member_p=$(sq "$DB" "SELECT person_id FROM unit_subject WHERE unit_code='$B' AND role='auditor' ORDER BY person_id DESC LIMIT 1")
principal_p=$(sq "$DB" "SELECT person_id FROM unit_subject WHERE unit_code='$A' AND role='principal'")
uauditor_p=$(sq "$DB" "SELECT person_id FROM unit_subject WHERE unit_code='$A' AND role='auditor' ORDER BY person_id LIMIT 1")
[ -n "$A" ] && [ -n "$B" ] && [ "$lead_p" != "$member_p" ] || { echo "no suitable demo units"; exit 1; }
seq0=$(sq "$DB" "SELECT MAX(seq) FROM audit_log")
mkdir -p "$T/spool"
start_server "$DB" --tmp-dir "$T/spool"
J=(-H 'Content-Type: application/json')
for u in admin reviewer supervisor liaison chief; do login $u || fail "$u signs in"; done

# Accounts for the audited unit's leader and auditor and for the team, linked to their persons;
# a leader of the team's own unit.
expect_status 201 "the audited unit's leader" admin POST /api/v1/users "${J[@]}" \
    -d "{\"username\":\"ul\",\"role\":\"leader\",\"unit_code\":\"$A\",\"person_id\":$principal_p,\"password\":\"$PW\"}"
expect_status 201 "the audited unit's internal auditor" admin POST /api/v1/users "${J[@]}" \
    -d "{\"username\":\"ua\",\"role\":\"auditor\",\"unit_code\":\"$A\",\"person_id\":$uauditor_p,\"password\":\"$PW\"}"
expect_status 201 "the team lead's account (linked to a person)" admin POST /api/v1/users "${J[@]}" \
    -d "{\"username\":\"guo\",\"role\":\"auditor\",\"unit_code\":\"$B\",\"person_id\":$lead_p,\"password\":\"$PW\"}"
expect_status 201 "a member's account" admin POST /api/v1/users "${J[@]}" \
    -d "{\"username\":\"yang\",\"role\":\"auditor\",\"unit_code\":\"$B\",\"person_id\":$member_p,\"password\":\"$PW\"}"
expect_status 201 "the leader of the team's unit" admin POST /api/v1/users "${J[@]}" \
    -d "{\"username\":\"liufeng\",\"role\":\"leader\",\"unit_code\":\"$B\",\"password\":\"$PW\"}"
for u in ul ua guo yang liufeng; do login $u || fail "$u signs in"; done

# 审前 (pre-audit).
NEW="{\"name\":\"2026年交叉互审（第二中学）\",\"kind\":\"cross\",\"unit_code\":\"$A\",\"period_from\":\"2025-01-01\",\"period_to\":\"2025-12-31\",\"items\":[\"F03\",\"F10\"]}"
expect_status 403 "a reviewer may not create audits" reviewer POST /api/v1/audits "${J[@]}" -d "$NEW"
expect_status 403 "a leader may not create audits" ul POST /api/v1/audits "${J[@]}" -d "$NEW"
expect_status 403 "an internal auditor may not create a cross audit" guo POST /api/v1/audits "${J[@]}" -d "$NEW"
expect_status 422 "items must be catalog codes" admin POST /api/v1/audits "${J[@]}" \
    -d "{\"name\":\"x\",\"kind\":\"cross\",\"unit_code\":\"$A\",\"period_from\":\"2025-01-01\",\"period_to\":\"2025-12-31\",\"items\":[3]}"
expect_status 422 "an unknown field" admin POST /api/v1/audits "${J[@]}" -d '{"nme":"x"}'
expect_status 201 "the bureau creates the audit" admin POST /api/v1/audits "${J[@]}" -d "$NEW"
P=$(body_json .id)
expect_eq "$(body_json '[.stage, .kind, .unit_code, (.items|join(","))] | join("|")')" "pre|cross|$A|F03,F10" "stage pre"
STATUS=$(curl -s -o "$T/body" -w '%{http_code}' -b "$T/admin.jar" "${J[@]}" -d "{\"person_id\":$lead_p,\"role\":\"lead\"}" \
    "$URL/api/v1/audits/$P/team")
expect_eq "$STATUS|$(body_json .error.code)" "403|csrf" "CSRF: a write without the token is refused"
STATUS=$(curl -s -o "$T/body" -w '%{http_code}' -b "$T/admin.jar" -H 'X-CSRF-Token: forged' "${J[@]}" \
    -d "{\"person_id\":$lead_p,\"role\":\"lead\"}" "$URL/api/v1/audits/$P/team")
expect_eq "$STATUS|$(body_json .error.code)" "403|csrf" "CSRF: a wrong token is refused"
expect_status 403 "CSRF: a foreign Origin" admin POST "/api/v1/audits/$P/team" "${J[@]}" -H 'Origin: http://evil.example' \
    -d "{\"person_id\":$lead_p,\"role\":\"lead\"}"
expect_status 403 "a leader may not staff a team" ul POST "/api/v1/audits/$P/team" "${J[@]}" -d "{\"person_id\":$lead_p}"
expect_status 201 "the bureau appoints the lead" admin POST "/api/v1/audits/$P/team" "${J[@]}" \
    -d "{\"person_id\":$lead_p,\"role\":\"lead\"}"
expect_status 201 "the lead adds a member" guo POST "/api/v1/audits/$P/team" "${J[@]}" -d "{\"person_id\":$member_p}"
expect_eq "$(body_json '[.team[] | .role] | sort | join(",")')" "lead,member" "lead and member"
expect_status 200 "the lead now sees the audited unit" guo GET "/api/v1/units/$A"
expect_status 404 "another unit's leader does not see the project" liufeng GET "/api/v1/audits/$P"
miss_body=$(jq -c .error "$T/body" | sed 's/[0-9][0-9]*/N/g')
expect_status 404 "a project that does not exist" liufeng GET "/api/v1/audits/99999"
expect_eq "$(jq -c .error "$T/body" | sed 's/[0-9][0-9]*/N/g')" "$miss_body" "the same answer for out of scope and missing"
expect_status 404 "the chief auditor of an SOE group does not see it either" chief GET "/api/v1/audits/$P"
expect_status 200 "the list is scoped" chief GET /api/v1/audits
expect_eq "$(body_json "[.items[] | select(.name | startswith(\"2026年交叉互审：\") | not)] | length")" 0 "the chief auditor's list is empty (but the 2026 round's)"
R=/api/v1/audits/$P/records
expect_status 422 "a working paper in 审前 is the wrong stage" guo POST "$R" "${J[@]}" -d '{"kind":"working_paper","title":"底稿"}'
expect_eq "$(body_json .error.where)" stage "the error names the stage"
expect_status 201 "plan" guo POST "$R" "${J[@]}" -d '{"kind":"plan","title":"审计实施方案"}'
expect_eq "$(body_json '[.kind, .project_stage, (.may_advance|tostring)] | join("|")')" "plan|pre|false" "the record and what is still missing"
expect_status 403 "the team does not approve its own plan" guo POST "$R" "${J[@]}" -d '{"kind":"plan_approval","title":"同意"}'
expect_status 201 "the supervisor of the unit's cell approves it" supervisor POST "$R" "${J[@]}" -d '{"kind":"plan_approval","title":"同意实施"}'
expect_status 201 "notice" guo POST "$R" "${J[@]}" -d '{"kind":"notice","title":"审计通知书","doc_no":"南审通〔2026〕12号"}'
expect_status 403 "a member may not advance" yang POST "/api/v1/audits/$P/advance"
expect_status 422 "advancing without the survey" guo POST "/api/v1/audits/$P/advance"
expect_status 201 "survey" yang POST "$R" "${J[@]}" -d '{"kind":"survey","title":"审前调查"}'
expect_status 403 "a leader may not advance (role)" ul POST "/api/v1/audits/$P/advance"
expect_status 200 "the lead advances to 审中" guo POST "/api/v1/audits/$P/advance"
expect_eq "$(body_json .stage)" field "stage field"

# 审中 (fieldwork): a finding with a warning and an uploaded file as evidence.
expect_status 201 "working paper" yang POST "$R" "${J[@]}" -d '{"kind":"working_paper","title":"支付审批检查底稿"}'
F='{"item":"F03","title":"大额支付无集体决策","description":"向某公司支付95000元，无会议纪要","amount":"95000.00","basis":"《行政事业单位内部控制规范（试行）》第二十九条","severity":"high","rect_class":"immediate","responsible":"董秀凯"}'
expect_status 422 "amount as a number is refused" guo POST "/api/v1/audits/$P/findings" "${J[@]}" -d '{"item":"F03","title":"x","description":"y","amount":95000,"severity":"high"}'
expect_status 403 "the audited unit does not write findings" ul POST "/api/v1/audits/$P/findings" "${J[@]}" -d "$F"
expect_status 201 "the lead records a finding" guo POST "/api/v1/audits/$P/findings" "${J[@]}" -d "$F"
F1=$(body_json .id)
expect_eq "$(body_json '[.amount, .seq, (.repeat|tostring)] | map(tostring) | join("|")')" "95000.00|1|false" "money as a yuan string, seq 1"
F2B='{"item":"F10","title":"专项资金未专款专用","description":"挪用专项资金","amount":"1280.50","basis":"《预算法》第五十七条","severity":"medium","rect_class":"phased"}'
expect_status 201 "a second finding" yang POST "/api/v1/audits/$P/findings" "${J[@]}" -d "$F2B"
F2=$(body_json .id)
wid=$(sq "$DB" "SELECT id FROM warning WHERE unit_code='$A' ORDER BY id LIMIT 1")
expect_status 201 "a warning as evidence" guo POST "/api/v1/findings/$F1/evidence" "${J[@]}" -d "{\"kind\":\"warning\",\"ref_id\":$wid,\"note\":\"支付凭证\"}"
printf '%%PDF-1.4\n%% 工作底稿附件\n%%%%EOF\n' >"$T/wp.pdf"
U="/api/v1/units/$A/attachments"
expect_status 201 "the team uploads a scan to the audited unit" guo POST "$U?filename=%E5%BA%95%E7%A8%BF.pdf" --data-binary @"$T/wp.pdf"
WATT=$(body_json .id)
expect_status 201 "the scan as evidence" guo POST "/api/v1/findings/$F1/evidence" "${J[@]}" -d "{\"kind\":\"attachment\",\"ref_id\":$WATT}"
expect_eq "$(body_json '.evidence | map(.kind) | sort | join(",")')" "attachment,warning" "two pieces of evidence"
expect_status 200 "GET /findings/{id}" ul GET "/api/v1/findings/$F1"
expect_status 404 "a finding out of scope" liufeng GET "/api/v1/findings/$F1"
expect_status 200 "the lead advances to 审后" guo POST "/api/v1/audits/$P/advance"

# 审后: draft, the unit's response, final report.
expect_status 422 "a finding after fieldwork" guo POST "/api/v1/audits/$P/findings" "${J[@]}" -d "$F"
expect_status 201 "draft report" guo POST "$R" "${J[@]}" -d '{"kind":"draft_report","title":"审计报告（征求意见稿）"}'
expect_status 403 "the team does not write the unit's response" guo POST "$R" "${J[@]}" -d '{"kind":"response","title":"意见"}'
expect_status 201 "the audited unit's leader responds" ul POST "$R" "${J[@]}" -d '{"kind":"response","title":"关于审计报告征求意见稿的反馈意见","body":"无异议"}'
expect_status 201 "final report" guo POST "$R" "${J[@]}" -d '{"kind":"final_report","title":"审计报告","doc_no":"南审报〔2026〕3号"}'
expect_status 200 "into 整改" guo POST "/api/v1/audits/$P/advance"
expect_eq "$(body_json .stage)" rectify "stage rectify"

# The rectification ledger.
expect_status 200 "the leader's ledger" ul GET /api/v1/rectifications
expect_eq "$(body_json .total)" 2 "two items"
R1=$(body_json ".items[] | select(.finding_id == $F1) | .id")
R2=$(body_json ".items[] | select(.finding_id == $F2) | .id")
expect_eq "$(body_json ".items[] | select(.id == $R1) | [.state, .deadline, .amount, .notice_no] | join(\"|\")")" \
    "open|2026-04-01|95000.00|南审通〔2026〕12号" "open, 30 days, the amount and the notice"
expect_status 200 "filter by state" ul GET "/api/v1/rectifications?state=open&project=$P"
expect_eq "$(body_json .total)" 2 "both open"
expect_status 400 "an unknown state" ul GET "/api/v1/rectifications?state=late"
expect_status 200 "another unit's leader sees none of them" liufeng GET /api/v1/rectifications
expect_eq "$(body_json .total)" 0 "an empty ledger"
expect_status 404 "an item out of scope" liufeng GET "/api/v1/rectifications/$R1"
X=/api/v1/rectifications/$R1
expect_status 403 "the team does not write the unit's measures" guo POST "$X/measures" "${J[@]}" -d '{"measures":"x"}'
expect_status 403 "a reviewer never writes" reviewer POST "$X/measures" "${J[@]}" -d '{"measures":"x"}'
expect_status 404 "another unit's leader: not found" liufeng POST "$X/measures" "${J[@]}" -d '{"measures":"x"}'
expect_status 200 "the leader sets the measures" ul POST "$X/measures" "${J[@]}" -d '{"measures":"修订资金支付审批制度"}'
expect_status 422 "verifying an open item is the wrong state" guo POST "$X/verify" "${J[@]}" -d '{"decision":"close"}'
expect_status 422 "a claim without evidence" ua POST "$X/claim" "${J[@]}" -d '{"result":"已整改"}'
printf '%%PDF-1.4\n%% 整改证明材料\n%%%%EOF\n' >"$T/proof.pdf"
expect_status 400 "an upload without ?filename=" ua POST "$U" --data-binary @"$T/proof.pdf"
expect_status 422 "an executable is refused" ua POST "$U?filename=x.pdf" --data-binary @/bin/sh
head -c $((20 * 1024 * 1024 + 1)) /dev/zero >"$T/big.bin"
expect_status 413 "an upload over 20 MiB" ua POST "$U?filename=big.pdf" --data-binary @"$T/big.bin"
expect_status 404 "an upload to a unit out of scope" chief POST "$U?filename=p.pdf" --data-binary @"$T/proof.pdf"
expect_status 403 "a reviewer may not upload" reviewer POST "$U?filename=p.pdf" --data-binary @"$T/proof.pdf"
expect_status 201 "the unit's auditor uploads the proof" ua POST "$U?filename=%E6%95%B4%E6%94%B9%E8%AF%81%E6%98%8E.pdf" --data-binary @"$T/proof.pdf"
ATT=$(body_json .id)
expect_eq "$(body_json '[.filename, .mime, .sha256] | join("|")')" "整改证明.pdf|application/pdf|$(sha256sum "$T/proof.pdf" | cut -d' ' -f1)" \
    "the UTF-8 name, the type from the content, the SHA-256"
expect_eq "$(ls "$T/spool" | wc -l | tr -d ' ')" 0 "no spooled upload is left behind"
expect_status 200 "the attachment's metadata" supervisor GET "/api/v1/attachments/$ATT"
expect_status 404 "metadata out of scope" liufeng GET "/api/v1/attachments/$ATT"
expect_status 200 "download within scope" ul GET "/api/v1/attachments/$ATT/content"
cmp -s "$T/body" "$T/proof.pdf" && ok "the same bytes" || fail "the download differs"
grep -qi '^Content-Type: application/pdf' "$T/headers" && ok "Content-Type: the stored type" || fail "wrong Content-Type"
grep -qi '^X-Content-Type-Options: nosniff' "$T/headers" && ok "nosniff" || fail "no nosniff"
grep -qi "^Content-Disposition: attachment; filename=\"[^\"]*\.pdf\"; filename\*=UTF-8''%E6%95%B4%E6%94%B9%E8%AF%81%E6%98%8E\.pdf" "$T/headers" &&
    ok "Content-Disposition with the UTF-8 name (RFC 6266/5987)" || fail "Content-Disposition: $(grep -i disposition "$T/headers")"
expect_status 404 "download outside scope" liufeng GET "/api/v1/attachments/$ATT/content"
out_body=$(jq -c .error "$T/body" | sed 's/[0-9][0-9]*/N/g')
expect_status 404 "download of a missing attachment" liufeng GET "/api/v1/attachments/99999/content"
expect_eq "$(jq -c .error "$T/body" | sed 's/[0-9][0-9]*/N/g')" "$out_body" "the same answer"
expect_status 404 "the chief auditor cannot download it either" chief GET "/api/v1/attachments/$ATT/content"
expect_status 200 "the auditor claims with the proof" ua POST "$X/claim" "${J[@]}" -d "{\"result\":\"已追回资金并印发新制度\",\"attachment_ids\":[$ATT]}"
expect_eq "$(body_json .state)" claimed "claimed"
expect_status 403 "the audited unit does not verify its own claim" ua POST "$X/verify" "${J[@]}" -d '{"decision":"close"}'
expect_status 422 "reopening needs a note" guo POST "$X/verify" "${J[@]}" -d '{"decision":"reopen"}'
expect_status 422 "no certificate before closure" ul GET "$X/certificate.xlsx"
expect_status 200 "the lead verifies and closes (销号)" guo POST "$X/verify" "${J[@]}" -d '{"decision":"close"}'
expect_eq "$(body_json '[.state, .verified_by] | join("|")')" "closed|user:guo" "closed by the lead"

# Downloads: the closure certificate and the ledger as XLSX.
XLSX='application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
expect_status 200 "the closure certificate" ul GET "$X/certificate.xlsx"
grep -qi "^Content-Type: $XLSX" "$T/headers" && ok "served as XLSX" || fail "wrong type: $(grep -i content-type "$T/headers")"
expect_eq "$(head -c 4 "$T/body" | od -An -tx1 | tr -d ' \n')" 504b0304 "a zip container"
cp "$T/body" "$T/cert.xlsx"
expect_status 404 "the certificate out of scope" liufeng GET "$X/certificate.xlsx"
expect_status 200 "the ledger export" supervisor GET "/api/v1/rectifications/export.xlsx?unit=$A"
grep -qi "^Content-Type: $XLSX" "$T/headers" && ok "served as XLSX" || fail "wrong type"
grep -qi "^Content-Disposition: attachment;.*filename\*=UTF-8''" "$T/headers" && ok "as a download" || fail "no Content-Disposition"
grep -qi '^Cache-Control: no-store' "$T/headers" && ok "not cached" || fail "cacheable"
cp "$T/body" "$T/ledger.xlsx"
expect_eq "$(ls "$T/spool" | wc -l | tr -d ' ')" 0 "no export file is left behind"
if command -v node >/dev/null; then
    node "$(dirname "$0")/xlsx_text.mjs" "$T/ledger.xlsx" >"$T/ledger.txt"
    expect_grep "^sheet: 整改台账$" "$T/ledger.txt" "the sheet 整改台账"
    expect_grep "^大额支付无集体决策$" "$T/ledger.txt" "the finding's row"
    expect_grep "^整改证明.pdf$" "$T/ledger.txt" "the evidence file"
    node "$(dirname "$0")/xlsx_text.mjs" "$T/cert.xlsx" >"$T/cert.txt"
    expect_grep "^sheet: 对账销号单$" "$T/cert.txt" "the certificate's sheet"
else
    ok "# skip: node is not installed, the XLSX is not read back"
fi
expect_status 200 "an export for someone who sees nothing is an empty ledger" liufeng GET /api/v1/rectifications/export.xlsx
expect_status 400 "an export with a bad filter" ul GET "/api/v1/rectifications/export.xlsx?project=x"

# Settings and manual escalation are the bureau's.
expect_status 200 "anyone reads the deadline defaults" ul GET /api/v1/settings/rectify-deadlines
expect_eq "$(body_json '[.immediate, .phased, .continuous] | map(tostring) | join(",")')" 30,180,365 "the built-in defaults"
expect_status 403 "a leader may not change them" ul PUT /api/v1/settings/rectify-deadlines "${J[@]}" -d '{"phased":120}'
expect_status 422 "out of range" admin PUT /api/v1/settings/rectify-deadlines "${J[@]}" -d '{"phased":0}'
expect_status 200 "the bureau changes one" admin PUT /api/v1/settings/rectify-deadlines "${J[@]}" -d '{"phased":120}'
expect_eq "$(body_json .phased)" 120 "phased 120 days"
expect_status 403 "escalation by hand is the bureau's" ul POST /api/v1/rectifications/escalate
expect_status 200 "the bureau escalates by hand" admin POST /api/v1/rectifications/escalate
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM notification WHERE unit_code='$A' AND kind <> 'cross_audit'")" 0 "nothing of the unit is overdue yet"
expect_status 200 "summary" ul GET /api/v1/rectifications/summary
expect_eq "$(body_json '[.open, .closed, .overdue] | map(tostring) | join(",")')" "1,1,0" "one open, one closed"

# Overdue: the server restarted three days after item 2's deadline escalates at start;
# notifications go to the unit's leader and its supervisor only.
d2=$(sq "$DB" "SELECT deadline FROM rectification WHERE id=$R2")
stop_server
AUDITGRID_NOW="$(date -u -d "$d2 + 3 days" +%Y-%m-%d)T09:00:00Z" start_server "$DB" --tmp-dir "$T/spool"
for u in admin supervisor liaison ul ua chief guo liufeng; do login $u || fail "$u signs in again"; done
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM notification WHERE rect_id=$R2")" 2 "escalated at start: two notifications"
expect_eq "$(sq "$DB" "SELECT actor FROM audit_log WHERE tbl='notification' ORDER BY seq DESC LIMIT 1")" system:escalate \
    "written by the server's escalation"
# The demo's own notices to the unit (its cross-audit round, a guidance opinion overdue) are not
# this test's subject: the leader reads them (all but the overdue one) first, and the checks below look at kind overdue.
expect_status 200 "the leader's notices of the demo" ul GET /api/v1/notifications
for n in $(body_json '.items[] | select(.read_at == null and .kind != "overdue") | .id'); do
    expect_status 200 "the leader reads the demo's notice $n" ul POST "/api/v1/notifications/$n/read" "${J[@]}" -d '{}'
done
expect_status 200 "the leader's notifications" ul GET /api/v1/notifications
expect_eq "$(body_json '[.items[] | select(.kind == "overdue")] | [length, .[0].audience, .[0].rect_id, .[0].kind] | map(tostring) | join("|")')" "1|leader|$R2|overdue" "the leader's notice"
expect_status 200 "the supervisor's notifications" supervisor GET /api/v1/notifications
expect_eq "$(body_json "[.items[] | select(.unit_code == \"$A\" and .kind == \"overdue\") | .audience] | join(\",\")")" supervisor "the supervisor's notice"
for u in liaison chief guo liufeng; do
    expect_status 200 "$u's notifications" $u GET /api/v1/notifications
    expect_eq "$(body_json "[.items[] | select(.unit_code == \"$A\")] | length")" 0 "$u sees none of the unit's"
done
expect_status 200 "the ledger shows it overdue" ul GET "/api/v1/rectifications?state=overdue"
expect_eq "$(body_json '[.total, .items[0].id, .items[0].days_overdue] | map(tostring) | join("|")')" "1|$R2|3" "overdue by 3 days"
expect_status 200 "a second run escalates nothing" admin POST /api/v1/rectifications/escalate
expect_eq "$(body_json .escalated)" 0 "idempotent"

# Marking a notice read: whoever it reaches, but not a reviewer; the body may be empty or {}.
N=$(sq "$DB" "SELECT id FROM notification WHERE rect_id=$R2 AND audience='leader'")
NS=$(sq "$DB" "SELECT id FROM notification WHERE rect_id=$R2 AND audience='supervisor'")
login reviewer || fail "reviewer signs in again"
expect_status 200 "the leader's unread notices, one at most" ul GET "/api/v1/notifications?unread=1&limit=1"
expect_eq "$(body_json '[.unread, .total, (.items|length), .items[0].read_at] | map(tostring) | join("|")')" "1|1|1|null" \
    "one unread, read_at null"
STATUS=$(curl -s -o "$T/body" -w '%{http_code}' -b "$T/ul.jar" -X POST "$URL/api/v1/notifications/$N/read")
expect_eq "$STATUS|$(body_json .error.code)" "403|csrf" "CSRF: marking read without the token is refused"
expect_status 403 "a reviewer only reads notices" reviewer POST "/api/v1/notifications/$N/read"
expect_status 404 "another unit's leader may not mark it" liufeng POST "/api/v1/notifications/$N/read"
oos_body=$(jq -c .error "$T/body" | sed 's/[0-9][0-9]*/N/g')
expect_status 404 "a notice that does not exist" liufeng POST "/api/v1/notifications/99999/read"
expect_eq "$(jq -c .error "$T/body" | sed 's/[0-9][0-9]*/N/g')" "$oos_body" "the same answer for out of scope and missing"
expect_status 404 "the supervisor may not mark the leader's copy" supervisor POST "/api/v1/notifications/$N/read"
expect_status 422 "a body with a field" ul POST "/api/v1/notifications/$N/read" "${J[@]}" -d '{"all":true}'
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM notification WHERE rect_id=$R2 AND read_at IS NULL")" 2 "refusals write nothing"
expect_status 200 "the leader marks it read" ul POST "/api/v1/notifications/$N/read"
expect_eq "$(body_json '[.id, .audience, (.read_at != null)] | map(tostring) | join("|")')" "$N|leader|true" "the notice, read"
read1=$(body_json .read_at)
log1=$(sq "$DB" "SELECT MAX(seq) FROM audit_log")
expect_status 200 "again, with {}: idempotent" ul POST "/api/v1/notifications/$N/read" "${J[@]}" -d '{}'
expect_eq "$(body_json .read_at)|$(sq "$DB" "SELECT MAX(seq) FROM audit_log")" "$read1|$log1" "nothing written, first reading time kept"
expect_status 200 "the leader's notices after reading" ul GET /api/v1/notifications
expect_eq "$(body_json '[.unread, ([.items[] | select(.kind == "overdue")] | length), ([.items[] | select(.kind == "overdue")][0].read_at)] | map(tostring) | join("|")')" "0|1|$read1" "still listed, read"
expect_status 200 "no unread left" ul GET "/api/v1/notifications?unread=1"
expect_eq "$(body_json '[.unread, .total, (.items|length)] | map(tostring) | join("|")')" "0|0|0" "unread filter"
expect_status 400 "a bad unread filter" ul GET "/api/v1/notifications?unread=yes"
expect_status 200 "the supervisor's copy is still unread" supervisor GET "/api/v1/notifications?unread=1"
expect_eq "$(body_json "[.items[] | select(.id == $NS)] | length")" 1 "the supervisor's own"

# A second audit of the same unit finds F03 again: 屡审屡犯.
expect_status 201 "a second audit" admin POST /api/v1/audits "${J[@]}" \
    -d "{\"name\":\"2026年专项审计\",\"kind\":\"special\",\"unit_code\":\"$A\",\"period_from\":\"2026-01-01\",\"period_to\":\"2026-06-30\",\"items\":[\"F03\"]}"
P2=$(body_json .id)
expect_status 201 "its lead" admin POST "/api/v1/audits/$P2/team" "${J[@]}" -d "{\"person_id\":$lead_p,\"role\":\"lead\"}"
for k in plan plan_approval notice survey; do
    req admin POST "/api/v1/audits/$P2/records" "${J[@]}" -d "{\"kind\":\"$k\",\"title\":\"$k\"}"
done
expect_status 200 "into fieldwork" guo POST "/api/v1/audits/$P2/advance"
expect_status 201 "F03 again" guo POST "/api/v1/audits/$P2/findings" "${J[@]}" -d "$F"
expect_eq "$(body_json '[(.repeat|tostring), (.repeat_of|tostring)] | join("|")')" "true|$F1" "marked 屡审屡犯"
expect_status 200 "the project list as the lead" guo GET "/api/v1/audits?unit=$A"
expect_eq "$(body_json "[.items[] | select(.name | startswith(\"2026年交叉互审：\") | not)] | length")" 2 "two audits of the unit (but the 2026 round's)"
expect_status 400 "a bad stage filter" guo GET "/api/v1/audits?stage=done"

# Everything through the server is in the audit log under a user (escalation under the server),
# and the chain holds.
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM audit_log WHERE seq > $seq0 AND actor NOT LIKE 'user:%' AND actor <> 'system:escalate'")" 0 \
    "every write is logged under its user"
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM audit_log WHERE seq > $seq0 AND tbl='rect_event' AND actor='user:guo'")" 1 "the closure event, by the lead"
expect_status 200 "the chain verifies" admin GET /api/v1/audit-log/verify
expect_eq "$(body_json .ok)" true "ok"
sleep 0.2
if grep -q "$PW" "$T/serve.err"; then fail "a password in the log"; else ok "no password in the log"; fi
finish
