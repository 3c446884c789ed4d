#!/usr/bin/env bash
# t0210: a competent department's guidance and supervision end to end (issue 14 §2): the demo's
# opinions (one overdue) and visit, an opinion issued, answered and overdue under a controlled
# clock with its 提醒, a submission returned and accepted from the command line, and the same
# over the server: who may issue, reply, decide and see the department view.
. "$(dirname "$0")/serve_lib.sh"
DB="$T/g.db"
export AUDITGRID_NOW=2026-03-02
"$AG" --db "$DB" demo --lines 2000 --no-serve >"$T/demo.out" 2>&1 || { cat "$T/demo.out"; exit 1; }
ag() { "$AG" --db "$DB" "$@"; }
q() { sqlite3 "$DB" "$1"; }

# The demo: three opinions, exactly one overdue, reminded; a visit whose finding is a rectification item.
expect_exit 0 "guidance list" ag --json guidance list
expect_eq "$(jq -r '.total' "$T/out")" 3 "the demo has three opinions"
expect_exit 0 "guidance list --state overdue" ag --json guidance list --state overdue
expect_eq "$(jq -r '.total' "$T/out")" 1 "one of them is overdue"
expect_eq "$(q "SELECT COUNT(*) FROM notification WHERE kind = 'guidance_overdue' AND audience = 'supervisor'")" 1 "the overdue one is in the department's 提醒"
expect_eq "$(q "SELECT COUNT(*) FROM supervision_finding sf JOIN rectification r ON r.finding_id = sf.finding_id")" 1 "the visit's finding is a rectification item"

# Issue, reply, overdue, remind.
A=$(q "SELECT code FROM unit WHERE cell_id = 'D01' ORDER BY code LIMIT 1 OFFSET 4")
B=$(q "SELECT code FROM unit WHERE cell_id = 'D01' ORDER BY code LIMIT 1 OFFSET 5")
[ -n "$A" ] && [ -n "$B" ] || { echo "demo units missing"; exit 1; }
expect_exit 2 "issue without --due is a usage error" ag guidance issue --units "$A" --subject s --body b
expect_exit 3 "a due date in the past is refused" ag guidance issue --units "$A" --subject s --body b --due 2026-03-01
expect_grep "due_date" "$T/err" "the refusal names the field"
expect_exit 3 "an unknown unit is refused" ag guidance issue --units 91120104MA0000000X --subject s --body b --due 2026-03-10
expect_exit 0 "guidance issue" ag --json guidance issue --units "$A,$B" --subject 核查食堂资金 --body 请核查并答复 --due 2026-03-10 --cell D01
G=$(jq -r .id "$T/out")
expect_eq "$(jq -r '[.issuer, .state, (.targets|length|tostring)] | join("|")' "$T/out")" "区教育局|open|2" "issued in D01's name to two units"
expect_exit 3 "a unit not addressed cannot reply" ag guidance reply "$G" --unit "$(q "SELECT code FROM unit WHERE cell_id = 'S01' LIMIT 1")" --reply x
expect_exit 0 "unit A replies" ag --json guidance reply "$G" --unit "$A" --reply 已核查
expect_eq "$(jq -r --arg a "$A" '.targets[] | select(.unit_code == $a) | .state' "$T/out")" replied "A has replied"
AUDITGRID_NOW=2026-03-11 expect_exit 0 "the due date passes" ag --json guidance show "$G"
expect_eq "$(jq -r --arg b "$B" '[.state, (.targets[] | select(.unit_code == $b) | .state)] | join("|")' "$T/out")" "overdue|overdue" "B is overdue, and the opinion with it"
AUDITGRID_NOW=2026-03-11 expect_exit 0 "guidance remind" ag --json guidance remind
expect_eq "$(jq -r .reminded "$T/out")" 1 "one unit reminded"
AUDITGRID_NOW=2026-03-11 expect_exit 0 "guidance remind again" ag --json guidance remind
expect_eq "$(jq -r .reminded "$T/out")" 0 "reminding is idempotent"
expect_eq "$(q "SELECT COUNT(*) FROM notification WHERE opinion_id = $G AND unit_code = '$B'")" 2 "the leader and the department are told"

# Submissions from the command line.
expect_exit 0 "submission file" ag --json submission file --kind soe_quarterly --unit "$A" --to D01 --period 2026Q1 --title 第一季度报告
S=$(jq -r .id "$T/out")
expect_exit 2 "a return needs a note" ag submission return "$S"
expect_exit 0 "submission return" ag submission return "$S" --note 请补充附件
expect_exit 3 "a returned submission is not accepted" ag submission accept "$S"
expect_grep "cannot be accepted" "$T/err" "the refusal says why"
expect_exit 0 "submission list --state returned" ag --json submission list --state returned
expect_eq "$(jq -r '[.counts.returned, .items[0].note] | join("|")' "$T/out")" "1|请补充附件" "listed by status with the note"
expect_exit 3 "an unknown state is refused" ag submission list --state pending

# The same over the server.
start_server "$DB"
login supervisor && login leader && login admin && login reviewer || { echo "cannot sign in"; exit 1; }
LU=$(q "SELECT unit_code FROM app_user WHERE username = 'leader'")
expect_status 200 "the department view" supervisor GET /api/v1/department
expect_eq "$(body_json '[.cell.id, (.counts.units > 0|tostring), (.counts.overdue_opinions >= 1|tostring), (.units|length > 0|tostring)] | join("|")')" "D01|true|true|true" "its cell's counts and units"
expect_status 403 "a unit's leader has no department view" leader GET /api/v1/department
expect_status 403 "a leader cannot issue" leader POST /api/v1/guidance -H 'Content-Type: application/json' -d "{\"subject\":\"x\",\"body\":\"y\",\"due_date\":\"2026-03-20\",\"units\":[\"$LU\"]}"
expect_status 201 "the department issues to the leader's unit" supervisor POST /api/v1/guidance -H 'Content-Type: application/json' -d "{\"subject\":\"报送年度计划\",\"body\":\"请报送\",\"due_date\":\"2026-03-20\",\"units\":[\"$LU\"]}"
O=$(body_json .id)
expect_status 200 "the leader sees it" leader GET "/api/v1/guidance/$O"
expect_status 200 "the leader replies for its unit" leader POST "/api/v1/guidance/$O/reply" -H 'Content-Type: application/json' -d '{"reply":"已报送"}'
expect_eq "$(body_json '.targets[0].state')" replied "the reply is recorded"
expect_status 201 "the leader files a submission to D01" leader POST /api/v1/submissions -H 'Content-Type: application/json' -d '{"kind":"annual_plan","to_cell":"D01","period":"2026","title":"2026年度内审计划"}'
S2=$(body_json .id)
expect_status 403 "a leader cannot accept" leader POST "/api/v1/submissions/$S2/accept" -H 'Content-Type: application/json' -d '{}'
expect_status 422 "returning needs a note" supervisor POST "/api/v1/submissions/$S2/return" -H 'Content-Type: application/json' -d '{}'
grep -q -- '--' "$T/body" && fail "the web error names no command-line option" || ok "the web error names no command-line option"
expect_status 200 "the department accepts" supervisor POST "/api/v1/submissions/$S2/accept" -H 'Content-Type: application/json' -d '{"note":"同意"}'
expect_eq "$(body_json .state)" accepted "accepted"
expect_status 200 "submissions by status" supervisor GET "/api/v1/submissions?state=accepted"
expect_eq "$(body_json '.counts.accepted >= 1')" true "counts by status"
expect_status 200 "the dashboard names the overdue opinions" supervisor GET /api/v1/dashboard
expect_eq "$(body_json '.guidance.overdue_opinions >= 1')" true "overdue opinions on the dashboard"
V=$(q "SELECT id FROM supervision_visit LIMIT 1")
expect_status 201 "a visit finding over the API" supervisor POST "/api/v1/guidance/visits/$V/findings" -H 'Content-Type: application/json' -d '{"item":"F01","title":"银行账户未备案","description":"1个账户未备案","basis":"银行账户管理办法","severity":"low"}'
expect_eq "$(body_json '.rectification_id > 0')" true "it is a rectification item"
stop_server
finish
