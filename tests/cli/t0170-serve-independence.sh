#!/usr/bin/env bash
# t0170: independence (独立性) through the API, in every project kind: nobody of the audited unit
# or of its SOE group joins the team of an outside audit, a self-check's team is the unit's own
# internal audit (or the bureau), bureau staff (persons of no unit) may join any team, the team
# does not approve its own plan, and each refusal names its rule in both languages.
. "$(dirname "$0")/serve_lib.sh"
DB="$T/i.db"
demo_db "$DB"
# The audited unit A with an internal auditor; an internal auditor of another unit O outside A's
# group; an SOE unit G whose parent H is an SOE too, with a person of H.
A=$(sq "$DB" "SELECT u.code FROM unit u JOIN unit_subject s ON s.unit_code = u.code AND s.role = 'auditor'
    WHERE u.type <> '国企' ORDER BY u.code LIMIT 1")
a_p=$(sq "$DB" "SELECT person_id FROM unit_subject WHERE unit_code = '$A' AND role = 'auditor' ORDER BY person_id LIMIT 1")
o_p=$(sq "$DB" "SELECT s.person_id FROM unit_subject s JOIN unit u ON u.code = s.unit_code
    WHERE s.role = 'auditor' AND u.code <> '$A' AND u.type <> '国企' ORDER BY s.person_id LIMIT 1")
G=$(sq "$DB" "SELECT u.code FROM unit u JOIN unit h ON h.code = u.parent_code
    WHERE u.type = '国企' AND h.type = '国企' AND EXISTS (SELECT 1 FROM person p WHERE p.unit_code = h.code)
    ORDER BY u.code LIMIT 1")
h_p=$(sq "$DB" "SELECT p.id FROM person p JOIN unit u ON u.code = p.unit_code
    JOIN unit g ON g.parent_code = u.code WHERE g.code = '$G' ORDER BY p.id LIMIT 1")
[ -n "$A" ] && [ -n "$a_p" ] && [ -n "$o_p" ] && [ -n "$G" ] && [ -n "$h_p" ] || {
    echo "no suitable demo units ($A $a_p $o_p $G $h_p)"
    exit 1
}
# Bureau staff: a person of no unit.
"$AG" --db "$DB" --json person add --name 局审计员甲 >"$T/p.json" || fail "a bureau person"
b_p=$(jq -r .id "$T/p.json")
expect_eq "$(sq "$DB" "SELECT unit_code IS NULL FROM person WHERE id = $b_p")" 1 "the bureau person has no unit"

start_server "$DB"
J=(-H 'Content-Type: application/json')
login admin || fail "admin signs in"
login supervisor || fail "supervisor signs in"

# create KIND UNIT -- a project; its id in $P.
create() {
    expect_status 201 "$1: the bureau creates a project on $2" admin POST /api/v1/audits "${J[@]}" \
        -d "{\"name\":\"独立性测试 $1 $2\",\"kind\":\"$1\",\"unit_code\":\"$2\",\"period_from\":\"2025-01-01\",\"period_to\":\"2025-12-31\",\"items\":[\"F03\"]}"
    P=$(body_json .id)
}

# refused KIND PERSON RULE_ZH RULE_EN DESCRIPTION -- adding PERSON to $P's team is refused (422)
# on the field person_id, and both messages name the rule.
refused() {
    expect_status 422 "$1: $5" admin POST "/api/v1/audits/$P/team" "${J[@]}" -d "{\"person_id\":$2}"
    expect_eq "$(body_json .error.where)" person_id "$1: the refusal names the field"
    expect_grep "独立性规则：$3" "$T/body" "$1: the refusal names the rule ($3)"
    expect_grep "independence rule: $4" "$T/body" "$1: and in English"
}

for kind in cross special tracking econ_resp; do
    create "$kind" "$A"
    expect_eq "$(body_json '[.independence[].code] | join(",")')" \
        "team_not_audited_unit,team_not_soe_group,approver_not_author,approver_not_team,verifier_team_or_bureau,verifier_not_audited_unit,verifier_not_claimer" \
        "$kind: the project states its rules"
    refused "$kind" "$a_p" 回避被审计单位 "recusal from the audited unit" "the audited unit's own auditor is refused"
    expect_status 201 "$kind: bureau staff may lead" admin POST "/api/v1/audits/$P/team" "${J[@]}" \
        -d "{\"person_id\":$b_p,\"role\":\"lead\"}"
    expect_status 201 "$kind: an auditor of another unit may join" admin POST "/api/v1/audits/$P/team" "${J[@]}" \
        -d "{\"person_id\":$o_p}"
    expect_eq "$(body_json '.team | length')" 2 "$kind: the team has the two accepted members"
    create "$kind" "$G"
    refused "$kind" "$h_p" 回避同一国企集团 "recusal from the audited unit's SOE group" "a person of the SOE group's head is refused"
done

# A self-check: the unit's own internal audit and the bureau, nobody of another unit.
create self_check "$A"
expect_eq "$(body_json '[.independence[].code] | join(",")')" \
    "team_own_internal_audit,approver_not_author,approver_not_team,verifier_team_or_bureau,verifier_not_claimer" \
    "self_check: the project states its rules"
refused self_check "$o_p" 自查由本单位内审实施 "a self-check is done by the unit's own internal audit" "an auditor of another unit is refused"
expect_status 201 "self_check: the unit's own auditor leads" admin POST "/api/v1/audits/$P/team" "${J[@]}" \
    -d "{\"person_id\":$a_p,\"role\":\"lead\"}"
expect_status 201 "self_check: bureau staff may join" admin POST "/api/v1/audits/$P/team" "${J[@]}" \
    -d "{\"person_id\":$b_p}"

# The plan's approver is not on the team: a bureau account that is the team's lead writes the plan
# and may not approve it; the refusal names the rule.
create cross "$A"
expect_status 201 "an account for the bureau person" admin POST /api/v1/users "${J[@]}" \
    -d "{\"username\":\"jushen\",\"role\":\"admin\",\"person_id\":$b_p,\"password\":\"$PW\"}"
login jushen || fail "the bureau person signs in"
expect_status 201 "the bureau person leads" admin POST "/api/v1/audits/$P/team" "${J[@]}" \
    -d "{\"person_id\":$b_p,\"role\":\"lead\"}"
expect_status 201 "the lead writes the plan" jushen POST "/api/v1/audits/$P/records" "${J[@]}" \
    -d '{"kind":"plan","title":"审计实施方案"}'
expect_status 403 "the team's lead does not approve its plan" jushen POST "/api/v1/audits/$P/records" "${J[@]}" \
    -d '{"kind":"plan_approval","title":"同意"}'
expect_grep "独立性规则：" "$T/body" "the refusal names an independence rule"
expect_grep "independence rule: " "$T/body" "and in English"
expect_status 201 "the bureau itself (an admin of no person) approves" admin POST "/api/v1/audits/$P/records" "${J[@]}" \
    -d '{"kind":"plan_approval","title":"同意实施"}'
finish
