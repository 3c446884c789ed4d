#!/usr/bin/env bash
# t0140: a warning's life through the API (issue 12 §2): the unit triages, an escalation and a
# sampled dismissal become notices for the bureau, the bureau (or the cell's liaison) reviews,
# a warning becomes a finding or is used as one's evidence and is then 已确认 naming it. The
# record carries the actions the signed-in user may take; every change is audit-logged.
. "$(dirname "$0")/serve_lib.sh"
DB="$T/w.db"
demo_db "$DB"
start_server "$DB"
J=(-H 'Content-Type: application/json')
for u in auditor admin reviewer leader; do login $u || fail "$u signs in"; done
unit=$(sq "$DB" "SELECT unit_code FROM app_user WHERE username='auditor'")
high=$(sq "$DB" "SELECT id FROM warning WHERE unit_code='$unit' AND severity='high' AND status='open' ORDER BY id LIMIT 1")
esc=$(sq "$DB" "SELECT id FROM warning WHERE unit_code='$unit' AND severity='high' AND status='open' ORDER BY id LIMIT 1 OFFSET 1")
low=$(sq "$DB" "SELECT id FROM warning WHERE unit_code='$unit' AND severity<>'high' AND status='open' ORDER BY id LIMIT 1")
seq0=$(sq "$DB" "SELECT MAX(seq) FROM audit_log")

# The record says what this user may do, from the one table.
expect_status 200 "the auditor reads a warning" auditor GET "/api/v1/warnings/$high"
expect_eq "$(body_json '[.actions[].action] | join(",")')" "acknowledge,dismiss,escalate" "the unit's triage actions"
expect_eq "$(body_json '.state + "|" + .unit_name + "|" + (.rule_name // "none")' | cut -d'|' -f1)" open "state open"
[ "$(body_json .unit_name)" != null ] && ok "the unit by name" || fail "no unit_name"
expect_status 200 "the reviewer reads it" reviewer GET "/api/v1/warnings/$high"
expect_eq "$(body_json '.actions | length')" 0 "the bureau has nothing to do on an open warning"
expect_status 403 "nor may it act there" reviewer POST "/api/v1/warnings/$high/triage" "${J[@]}" -d '{"action":"acknowledge"}'

# The rules by their Chinese names, for the inbox's filter.
expect_status 200 "GET /warning-rules" leader GET /api/v1/warning-rules
expect_eq "$(body_json '.items[] | select(.id == "dup_payment") | .name')" 重复支付 "dup_payment is 重复支付"

# The share of sampled dismissals is a setting, changed by the admin only.
expect_status 200 "GET the review share" auditor GET /api/v1/settings/warning-review
expect_eq "$(body_json '.share')" 20 "20 % by default"
expect_status 403 "an auditor does not set it" auditor PUT /api/v1/settings/warning-review "${J[@]}" -d '{"share":0}'
expect_status 422 "over 100 is refused" admin PUT /api/v1/settings/warning-review "${J[@]}" -d '{"share":101}'
expect_eq "$(body_json .error.where)" share "naming the field"
expect_status 200 "the admin sets 0 %" admin PUT /api/v1/settings/warning-review "${J[@]}" -d '{"share":0}'
expect_eq "$(body_json '.share')" 0 "the new share is served"

# A high-severity dismissal always waits for review; a low one with share 0 is final.
expect_status 200 "the auditor dismisses a high warning" auditor POST "/api/v1/warnings/$high/triage" "${J[@]}" \
    -d '{"action":"dismiss","reason":"已核实：系正常报销"}'
expect_eq "$(body_json '.status + "|" + .state')" "dismissed|review" "it is 待复核"
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM notification WHERE audience='bureau' AND kind='warning_review' AND warning_id=$high")" 1 \
    "a notice for the bureau"
expect_status 200 "the review queue" admin GET "/api/v1/warnings?state=review"
expect_eq "$(body_json "[.items[].id] | index($high) != null")" true "lists it"
expect_status 403 "the unit does not review its own dismissal" auditor POST "/api/v1/warnings/$high/triage" "${J[@]}" -d '{"action":"accept"}'
expect_status 200 "the reviewer upholds it" reviewer POST "/api/v1/warnings/$high/triage" "${J[@]}" -d '{"action":"accept"}'
expect_eq "$(body_json '.state + "|" + .review_by')" "dismissed|reviewer" "final, with the reviewer"
expect_status 200 "a low dismissal" auditor POST "/api/v1/warnings/$low/triage" "${J[@]}" -d '{"action":"dismiss","reason":"重复导入"}'
expect_eq "$(body_json '.state')" dismissed "not sampled: final"
expect_status 200 "the admin reads it" admin GET "/api/v1/warnings/$low"
expect_eq "$(body_json '.actions | length')" 0 "nothing left to review"

# An escalation reaches the bureau's notifications (not the unit's), and the bureau reviews it.
expect_status 200 "the auditor escalates" auditor POST "/api/v1/warnings/$esc/triage" "${J[@]}" -d '{"action":"escalate","reason":"金额较大"}'
expect_status 200 "the admin's notifications" admin GET "/api/v1/notifications?limit=500"
expect_eq "$(body_json "[.items[] | select(.warning_id == $esc)][0] | .audience + \"|\" + .kind")" "bureau|warning_escalated" \
    "the escalation is a notice for the bureau"
expect_status 200 "the auditor's notifications" auditor GET "/api/v1/notifications?limit=500"
expect_eq "$(body_json '[.items[] | select(.audience == "bureau")] | length')" 0 "the bureau's notices are not the unit's"
expect_status 200 "the leader's notifications" leader GET "/api/v1/notifications?limit=500"
expect_eq "$(body_json '[.items[] | select(.audience == "bureau")] | length')" 0 "nor the leader's"
expect_status 200 "the admin reads the escalation" admin GET "/api/v1/warnings/$esc"
expect_eq "$(body_json '[.actions[].action] | join(",")')" "dismiss,reopen,to_finding,to_rectification" "the bureau's review actions"
expect_status 422 "reopen needs a note" admin POST "/api/v1/warnings/$esc/triage" "${J[@]}" -d '{"action":"reopen"}'
expect_eq "$(body_json .error.where)" reason "naming the field"
expect_status 200 "the admin reopens it" admin POST "/api/v1/warnings/$esc/triage" "${J[@]}" -d '{"action":"reopen","reason":"请补充付款依据"}'
expect_eq "$(body_json '.state + "|" + .review_note')" "open|请补充付款依据" "back to 未处理 with the note"

# The bureau turns a warning into a finding of a project in fieldwork.
proj=$(sq "$DB" "SELECT id FROM audit_project WHERE stage='field' LIMIT 1")
punit=$(sq "$DB" "SELECT unit_code FROM audit_project WHERE id=$proj")
pitem=$(sq "$DB" "SELECT value FROM audit_project p, json_each(p.items) WHERE p.id=$proj AND value IN (SELECT item FROM warning WHERE unit_code='$punit') LIMIT 1")
wf=$(sq "$DB" "SELECT id FROM warning WHERE unit_code='$punit' AND item='$pitem' AND status='open' ORDER BY id LIMIT 1")
expect_status 422 "to_finding needs a project" admin POST "/api/v1/warnings/$wf/triage" "${J[@]}" -d '{"action":"to_finding"}'
expect_status 200 "the admin turns it into a finding" admin POST "/api/v1/warnings/$wf/triage" "${J[@]}" \
    -d "{\"action\":\"to_finding\",\"project_id\":$proj}"
expect_eq "$(body_json '.state')" acknowledged "已确认"
fid=$(body_json .finding.id)
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM finding_evidence WHERE finding_id=$fid AND kind='warning' AND ref_id=$wf")" 1 \
    "the warning is the finding's evidence"
expect_eq "$(body_json '.finding.project_code')" "$(sq "$DB" "SELECT code FROM audit_project WHERE id=$proj")" "named with its project"

# A warning attached as evidence of a finding is 已确认 naming it.
w2=$(sq "$DB" "SELECT id FROM warning WHERE unit_code='$punit' AND status='open' ORDER BY id LIMIT 1")
expect_status 201 "evidence from a warning" admin POST "/api/v1/findings/$fid/evidence" "${J[@]}" \
    -d "{\"kind\":\"warning\",\"ref_id\":$w2}"
expect_status 200 "the warning" admin GET "/api/v1/warnings/$w2"
expect_eq "$(body_json '.state + "|" + (.finding.id|tostring)')" "acknowledged|$fid" "已确认 with the finding"

expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM audit_log WHERE seq > $seq0 AND tbl='warning' AND action='update'")" 7 \
    "each decision is an audit entry"
expect_exit 0 "the audit log verifies" "$AG" --db "$DB" audit-log verify
finish
