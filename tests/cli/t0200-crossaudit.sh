#!/usr/bin/env bash
# t0200: cross-audit rounds (交叉互审) from the command line: the demo's published 2026 round keeps
# every hard constraint; a plan of the pilot units is reproducible for a seed and printed as the
# issue's JSON; infeasible rounds exit 3 with the reason named and write nothing; an edit that
# breaks a constraint is refused with the constraint named; publishing creates one cross project
# per audited unit with its team and notifies the units; the 回避声明 gate the stage 审前.
. "$(dirname "$0")/lib.sh"
DB="$T/x.db"
"$AG" --db "$DB" demo --lines 0 --no-serve >"$T/demo.out" 2>&1 || { cat "$T/demo.out"; exit 1; }
ag() { "$AG" --db "$DB" "$@"; }
sq() { sqlite3 "$DB" "$1"; }

# ---- the demo's round ----
expect_exit 0 "the demo's round is shown" ag crossaudit show --round 2026年交叉互审 --json
cp "$T/out" "$T/demo.json"
expect_eq "$(jq -r 'keys | join(",")' "$T/demo.json")" "assignments,round,score,violations" "JSON has exactly the issue's keys"
expect_eq "$(jq '.assignments | length' "$T/demo.json")" 30 "30 pilot units audited"
expect_eq "$(jq '.violations | length' "$T/demo.json")" 0 "no hard constraint broken"
expect_eq "$(jq '[.assignments[] | select(.audited == .auditor_unit)] | length' "$T/demo.json")" 0 "nobody audits their own unit"
expect_eq "$(jq '[.assignments[] | .team[] | select(.role == "lead")] | length' "$T/demo.json")" 30 "one lead per team"
expect_eq "$(jq '[.assignments[] | . as $a | .team[] | select(.role == "lead" and .unit != $a.auditor_unit)] | length' "$T/demo.json")" 0 "every lead is of the auditing unit"
expect_eq "$(jq '[.assignments[] | .team[].person_id] | (length == (unique | length))' "$T/demo.json")" true "a person on one team at most"
expect_eq "$(jq '[.assignments[] | .team | length | select(. < 2 or . > 4)] | length' "$T/demo.json")" 0 "team sizes within 2-4"
expect_eq "$(jq '[.assignments[] | {k: (.audited + ">" + .auditor_unit), r: (.auditor_unit + ">" + .audited)}] as $p | [$p[] | .r as $r | select([$p[].k] | index($r))] | length' "$T/demo.json")" 0 "no two units audit each other"
expect_eq "$(jq -r '[.assignments[] | .team[] | .person_id, .name, .unit, .role] | map(type) | unique | join(",")' "$T/demo.json")" "number,string" "team members carry person_id, name, unit and role"
# nobody audits their own SOE group or a unit they were a person of
n=$(sq "SELECT COUNT(*) FROM xa_team t JOIN xa_assignment a ON a.id = t.assignment_id
  JOIN person p ON p.id = t.person_id WHERE p.unit_code = a.audited
  OR EXISTS (SELECT 1 FROM unit_subject s WHERE s.person_id = p.id AND s.unit_code = a.audited)
  OR EXISTS (SELECT 1 FROM person_unit_history h WHERE h.person_id = p.id AND h.unit_code = a.audited)")
expect_eq "$n" 0 "no member of, or formerly of, the audited unit"
expect_eq "$(sq "SELECT COUNT(*) FROM audit_project WHERE kind = 'cross' AND id IN (SELECT project_id FROM xa_assignment)")" 30 "the demo round is published: 30 cross projects"
expect_eq "$(sq "SELECT COUNT(*) FROM notification WHERE kind = 'cross_audit' AND audience = 'leader'")" 60 "audited and auditing units notified"

# ---- a new round: plan, reproducible ----
expect_exit 0 "plan a 2027 round" ag crossaudit plan --round R27 --year 2027 --seed 11 --json
cp "$T/out" "$T/r1.json"
expect_exit 0 "plan it again with the seed" ag crossaudit plan --round R27 --year 2027 --seed 11 --json
cmp -s "$T/out" "$T/r1.json" && ok "same seed, same plan" || fail "same seed, same plan"
expect_eq "$(jq '.violations | length' "$T/r1.json")" 0 "the plan keeps every constraint"
expect_eq "$(jq -s '[.[0].assignments, .[1].assignments] | transpose | map(select(.[0].auditor_unit == .[1].auditor_unit)) | length' "$T/demo.json" "$T/r1.json")" 0 "no pair of the previous round repeats"
expect_exit 0 "plan with another seed" ag crossaudit plan --round R27 --year 2027 --seed 12 --json
cmp -s "$T/out" "$T/r1.json" && fail "another seed, another plan" || ok "another seed, another plan"
expect_exit 0 "back to seed 11" ag crossaudit plan --round R27 --year 2027 --seed 11 --json
cmp -s "$T/out" "$T/r1.json" && ok "the draft is the seed's plan again" || fail "the draft is the seed's plan again"
expect_exit 0 "text output" ag crossaudit show --round R27
expect_grep "硬约束 hard constraints: 全部满足" "$T/out" "the text says every constraint is kept"
expect_grep "评分 score" "$T/out" "the text shows the score"

# ---- infeasible rounds ----
two=$(sq "SELECT group_concat(code) FROM (SELECT code FROM unit WHERE pilot = 1 ORDER BY code LIMIT 2)")
rounds=$(sq "SELECT COUNT(*) FROM xa_round")
expect_exit 3 "two units only: refused" ag crossaudit plan --round Two --year 2027 --units "$two"
expect_grep "只有两个单位，只能互审" "$T/err" "the reason is named"
expect_exit 3 "teams of five: refused" ag crossaudit plan --round Big --year 2027 --team-min 5 --team-max 6 --json
expect_grep "只有.名内审人员，审计组至少需要5人" "$T/err" "the unit with too few auditors is named"
expect_eq "$(jq '.assignments | length' "$T/out")" 0 "no partial plan in the JSON"
expect_eq "$(sq "SELECT COUNT(*) FROM xa_round")" "$rounds" "nothing written"
expect_exit 3 "an unknown unit" ag crossaudit plan --round U --year 2027 --units 91120104MA0000000X
expect_exit 2 "--year is required" ag crossaudit plan --round U

# ---- edits ----
A=$(jq -r '.assignments[0].audited' "$T/r1.json")
B=$(jq -r '.assignments[0].auditor_unit' "$T/r1.json")
A_audits=$(jq -r --arg a "$A" '.assignments[] | select(.auditor_unit == $a) | .audited' "$T/r1.json" | head -1)
expect_exit 3 "own unit refused" ag crossaudit assign --round R27 --audited "$A" --auditor-unit "$A"
expect_grep "回避本单位" "$T/err" "the constraint is named"
expect_exit 3 "mutual audit refused" ag crossaudit assign --round R27 --audited "$A" --auditor-unit "$A_audits"
expect_grep "不得互审" "$T/err" "mutual named"
other=$(jq -r --arg a "$A" '.assignments[] | select(.audited != $a) | .team[0].person_id' "$T/r1.json" | head -1)
lead=$(jq -r '.assignments[0].team[0].person_id' "$T/r1.json")
expect_exit 3 "a person on two teams refused" ag crossaudit assign --round R27 --audited "$A" --auditor-unit "$B" --team "$lead,$other"
expect_grep "每人每轮只参加一个审计组\|组长来自审计单位" "$T/err" "one team named"
expect_exit 3 "a team of one refused" ag crossaudit assign --round R27 --audited "$A" --auditor-unit "$B" --team "$lead"
expect_grep "审计组人数" "$T/err" "team size named"
ag crossaudit show --round R27 --json >"$T/after.json"
cmp -s "$T/after.json" "$T/r1.json" && ok "refused edits wrote nothing" || fail "refused edits wrote nothing"

# ---- publish and the declarations ----
before=$(sq "SELECT COUNT(*) FROM audit_project")
expect_exit 0 "publish" ag crossaudit publish --round R27
expect_eq "$(( $(sq "SELECT COUNT(*) FROM audit_project") - before ))" 30 "one project per audited unit"
pid=$(sq "SELECT a.project_id FROM xa_assignment a JOIN xa_round r ON r.id = a.round_id WHERE r.name = 'R27' ORDER BY a.id LIMIT 1")
expect_eq "$(sq "SELECT kind || ':' || stage FROM audit_project WHERE id = $pid")" "cross:pre" "a cross project in 审前"
expect_eq "$(sq "SELECT COUNT(*) FROM audit_team WHERE project_id = $pid")" "$(jq '.assignments[0].team | length' "$T/r1.json")" "with its team"
expect_exit 3 "publishing twice refused" ag crossaudit publish --round R27
expect_exit 3 "审前 gated by the declarations" ag audit advance "$pid"
expect_grep "尚未签署回避声明" "$T/err" "the unsigned member is named"
expect_exit 0 "audit show" ag --json audit show "$pid"
expect_eq "$(jq -r '[.missing[].code] | index("declarations") != null' "$T/out")" true \
    "the project lists the unsigned declarations among what it still needs"
for p in $(sq "SELECT person_id FROM audit_team WHERE project_id = $pid"); do
    ag crossaudit declare --project "$pid" --person "$p" >/dev/null || fail "declare $p"
done
expect_exit 3 "signed declarations: now the records are missing" ag audit advance "$pid"
if grep -q "回避声明" "$T/err"; then fail "the gate opened"; else ok "the gate opened"; fi
expect_exit 0 "audit show" ag --json audit show "$pid"
expect_eq "$(jq -r '[.missing[].code] | index("declarations")' "$T/out")" null "and the project no longer lists it"
expect_exit 3 "signing twice refused" ag crossaudit declare --project "$pid" --person "$p"
finish
