#!/usr/bin/env bash
# t0250: the internal-audit performance assessment (issue 15 §2) on the demo district: the CLI's
# JSON (total = sum of items, competition ranks in the district and the cell, the bonus cap, the
# penalty), 2025 published and frozen (audit-logged, a later data change does not move it), 2026
# in progress; refusals with their exit codes, the option at fault and both languages; a new
# rubric version leaves a started year alone; the same through the real server with its roles.
. "$(dirname "$0")/serve_lib.sh"
DB="$T/a.db"
export AG_TODAY=2026-12-07
"$AG" --db "$DB" demo --lines 0 --no-serve >"$T/demo.out" 2>&1 || { cat "$T/demo.out"; exit 1; }
ag() { "$AG" --db "$DB" "$@"; }

# ---- the demo's 2025: published, 30 pilot units, every rank consistent with the totals
expect_exit 0 "assess compute --json" ag --json assess compute --year 2025
cp "$T/out" "$T/y2025.json"
expect_eq "$(jq 'length' "$T/y2025.json")" 30 "the 30 pilot units"
expect_eq "$(jq '[.[] | select((.items | map(.score) | add) != .total)] | length' "$T/y2025.json")" 0 \
    "every total is the sum of its items"
expect_eq "$(jq '[.[] | keys_unsorted[0:5] | join(",")] | unique | join("|")' -r "$T/y2025.json")" \
    "unit,total,items,rank_district,rank_cell" "the issue's fields, in its order"
expect_eq "$(jq '[.[].items[] | has("indicator") and has("score") and has("max") and has("source") and has("basis")] | all' "$T/y2025.json")" true \
    "every item has indicator, score, max, source and basis"
expect_eq "$(jq '. as $a | [.[] | . as $u | select(.rank_district != 1 + ([$a[] | select(.total > $u.total)] | length))] | length' "$T/y2025.json")" 0 \
    "district ranks are competition ranks of the totals"
expect_eq "$(jq '. as $a | [.[] | . as $u | select(.rank_cell != 1 + ([$a[] | select(.cell_id == $u.cell_id and .total > $u.total)] | length))] | length' "$T/y2025.json")" 0 \
    "cell ranks are competition ranks within the cell"
expect_eq "$(jq '[group_by(.rank_district)[] | select(length > 1)] | length > 0' "$T/y2025.json")" true \
    "the demo has a tie, sharing a rank"
expect_eq "$(jq '[.[] | .items | map(select(.group == "B") | .score) | add] | max' "$T/y2025.json")" 5 \
    "a bonus of 3 + 3 is capped at 5"
expect_eq "$(jq '[.[].items[] | select(.indicator == "P1") | .score] | min' "$T/y2025.json")" -5 \
    "the falsified data cost 5 points"
expect_eq "$(jq '[.[].state] | unique | join(",")' -r "$T/y2025.json")" published "all published"
expect_eq "$(jq '[.[] | .items[] | select(.source == "data" and .computed == null)] | length' "$T/y2025.json")" 0 \
    "data items say what they computed"
expect_exit 0 "the ranking in words" ag assess compute --year 2025
expect_grep "排名" "$T/out" "a Chinese table"
expect_grep "已公布" "$T/out" "with the state in Chinese"
expect_exit 0 "one cell" ag --json assess compute --year 2025 --cell D01
expect_eq "$(jq '[.[].cell_id] | unique | join(",")' -r "$T/out")" D01 "--cell keeps its units"
expect_eq "$(jq -c '[.[].rank_district]' "$T/out")" \
    "$(jq -c '[.[] | select(.cell_id == "D01") | .rank_district]' "$T/y2025.json")" "with their district ranks"

# ---- publication is audit-logged and frozen
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM audit_log WHERE tbl = 'assess_year' AND action = 'update' AND row_key = '2025'")" 1 \
    "the publication is in the audit log"
expect_eq "$(sq "$DB" "SELECT published_by FROM assess_year WHERE year = 2025")" system:demo "naming who published"
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM audit_log WHERE tbl = 'assess_result'")" 30 "one frozen result per unit"
TOP=$(jq -r '.[0].unit' "$T/y2025.json")
sqlite3 "$DB" "UPDATE ia_body SET independent = 0 WHERE unit_code = '$TOP'"
expect_exit 0 "compute after a data change" ag --json assess compute --year 2025
expect_eq "$(jq -c '[.[] | [.unit, .total, .rank_district]]' "$T/out")" \
    "$(jq -c '[.[] | [.unit, .total, .rank_district]]' "$T/y2025.json")" "the published year does not move"
expect_exit 0 "2026 is computed live" ag --json assess compute --year 2026 --unit "$TOP"
expect_eq "$(jq -r '.[0].items[] | select(.indicator == "A1.1") | .score' "$T/out")" 3 \
    "while the open year sees the change (not independent: half of 6)"
expect_exit 3 "publishing again" ag assess publish --year 2025
expect_grep "已公布" "$T/err" "refused in Chinese"
expect_grep "published" "$T/err" "and in English"

# ---- the stages, in order, with reasons
U=$(sq "$DB" "SELECT unit_code FROM assess_unit WHERE year = 2026 AND state = 'none' ORDER BY unit_code LIMIT 1")
expect_exit 3 "a review before the self-assessment is submitted" \
    ag assess review --year 2026 --unit "$U" --stage dept
expect_grep "错误（--stage）" "$T/err" "names --stage"
expect_grep "未自评" "$T/err" "says the stage it is at"
expect_exit 3 "a data indicator is not entered" \
    ag assess self --year 2026 --unit "$U" --indicator A1.1 --score 6 --basis 自评
expect_grep "错误（--indicator）" "$T/err" "names --indicator"
expect_grep "computed from data" "$T/err" "in English too"
expect_exit 3 "half points only" ag assess self --year 2026 --unit "$U" --indicator B1 --score 2.3 --basis 奖
expect_grep "错误（--score）" "$T/err" "names --score"
expect_exit 3 "above the indicator's points" ag assess self --year 2026 --unit "$U" --indicator B1 --score 4 --basis 奖
expect_exit 3 "a bonus needs its basis" ag assess self --year 2026 --unit "$U" --indicator B2 --score 1
expect_grep "错误（--basis）" "$T/err" "names --basis"
expect_exit 3 "only the bureau enters the penalty" ag assess self --year 2026 --unit "$U" --indicator P1 --score -5 --basis 无
expect_exit 2 "--score is a number" ag assess self --year 2026 --unit "$U" --indicator B1 --score two
expect_exit 0 "self: a prize" ag --json assess self --year 2026 --unit "$U" --indicator B1 --score 2 --basis 获市竞赛二等奖
expect_eq "$(jq -r '[.state, .draft, (.result.items[] | select(.indicator == "B1") | .score)] | join("|")' "$T/out")" \
    "none|true|2" "a draft with its score"
expect_exit 0 "submit" ag --json assess submit --year 2026 --unit "$U"
expect_eq "$(jq -r .state "$T/out")" self "submitted"
expect_exit 3 "submitted: no more self edits" ag assess self --year 2026 --unit "$U" --indicator B1 --score 3 --basis 奖
expect_exit 3 "the bureau only after the department" ag assess review --year 2026 --unit "$U" --stage bureau
expect_exit 3 "a changed score needs a reason" ag assess review --year 2026 --unit "$U" --stage dept --indicator B1 --score 1
expect_grep "错误（--reason）" "$T/err" "names --reason"
expect_exit 0 "the department lowers it with a reason" \
    ag --json assess review --year 2026 --unit "$U" --stage dept --indicator B1 --score 1 --reason 证书为三等奖
expect_eq "$(jq -r '[.history[] | "\(.stage):\(.indicator):\(.from)→\(.to):\(.reason)"] | join(",")' "$T/out")" \
    "self:B1:null→2:获市竞赛二等奖,dept:B1:2→1:证书为三等奖" "the history records from → to with why"
expect_exit 0 "the bureau adjusts a data item" \
    ag --json assess review --year 2026 --unit "$U" --stage bureau --indicator A5.3 --score 4 --reason 有一项报送晚于期限
expect_eq "$(jq -r '[.state, (.result.items[] | select(.indicator == "A5.3") | "\(.score)/\(.computed)/\(.stage)")] | join("|")' "$T/out")" \
    "bureau|4/5/bureau" "the latest stage's value wins, the computed value kept"
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM audit_log WHERE tbl = 'assess_change' AND row_key IN (SELECT id FROM assess_change WHERE unit_code = '$U' AND year = 2026)")" 3 \
    "every change is in the audit log"
expect_exit 3 "2026 cannot be published with units still open" ag assess publish --year 2026
expect_grep "尚未经审计局审定" "$T/err" "names the unit that is not done"
expect_exit 3 "an unknown unit" ag assess unit --year 2026 --unit 12120104MB0000000X
expect_exit 2 "a year out of range" ag assess compute --year 1999

# ---- rubrics: a new version, checked; a started year keeps its own
expect_exit 0 "assess rubric --json" ag --json assess rubric
expect_eq "$(jq -r '[.version, .format, (.indicators | length), ([.groups[] | select(.kind == "base") | .max] | add)] | join("|")' "$T/out")" \
    "1|auditgrid-assess-rubric/1|19|100" "the shipped rubric is version 1, 100 base points"
jq '.groups[0].max = 21' "$(dirname "$0")/../../catalog/assess.json" >"$T/bad.json"
expect_exit 3 "a group whose points do not add up" ag assess rubric-install "$T/bad.json"
expect_grep "groups\[0\].max" "$T/err" "names the field"
jq '.groups[1].indicators[0].metric = "guess"' "$(dirname "$0")/../../catalog/assess.json" >"$T/bad2.json"
expect_exit 3 "an unknown metric" ag assess rubric-install "$T/bad2.json"
expect_grep "groups\[1\].indicators\[0\].metric" "$T/err" "names the indicator's field"
expect_grep "unknown metric" "$T/err" "in English too"
jq '.groups[0].indicators[0].max = 8 | .groups[0].indicators[1].max = 4' \
    "$(dirname "$0")/../../catalog/assess.json" >"$T/v2.json"
expect_exit 0 "a valid rubric" ag --json assess rubric-install "$T/v2.json"
expect_eq "$(jq .version "$T/out")" 2 "installed as version 2"
expect_exit 0 "the same again" ag --json assess rubric-install "$T/v2.json"
expect_eq "$(jq .version "$T/out")" 2 "installs nothing new"
expect_exit 0 "2026 after the new rubric" ag --json assess unit --year 2026 --unit "$U"
expect_eq "$(jq -r '[.rubric_version, (.result.items[] | select(.indicator == "A1.1") | .max)] | join("|")' "$T/out")" \
    "1|6" "a started year keeps its rubric version"
expect_exit 0 "a year not started takes the latest" ag --json assess compute --year 2027 --unit "$U"
expect_eq "$(jq -r '.[0].items[] | select(.indicator == "A1.1") | .max' "$T/out")" 8 "version 2 there"

# ---- the server: roles, scope and the contract's JSON
start_server "$DB"
for u in admin reviewer supervisor leader auditor2; do login "$u" || fail "login $u"; done
LEADER_UNIT=$(sq "$DB" "SELECT unit_code FROM app_user WHERE username = 'leader'")
expect_status 200 "GET /assess/rubric" reviewer GET /api/v1/assess/rubric
expect_eq "$(body_json '[.indicators[0] | has("code","name_zh","name_en","max","source","basis_zh","basis_en")] | all')" true \
    "indicators with the contract's fields"
expect_status 200 "GET /assess/years/2025" reviewer GET /api/v1/assess/years/2025
expect_eq "$(body_json '[.year, .published, (.items | length), ([.items[].state] | unique | join(","))] | join("|")')" \
    "2025|true|30|published" "the published year"
expect_eq "$(body_json '[.items[] | has("unit","total","items","rank_district","rank_cell","unit_name","cell_id","cell_name","state")] | all')" true \
    "items with the contract's fields"
expect_eq "$(body_json '[.items[].rank_district] | . == sort')" true "sorted by rank"
expect_status 200 "the supervisor's view" supervisor GET /api/v1/assess/years/2025
expect_eq "$(body_json '[.items[].cell_id] | unique | join(",")')" D01 "its cell only"
expect_eq "$(jq -c '[.items[] | .rank_district] | tostring' "$T/body")" \
    "$(jq -c '[.[] | select(.cell_id == "D01") | .rank_district] | tostring' "$T/y2025.json")" "with district ranks"
expect_status 200 "?cell=" admin GET "/api/v1/assess/years/2025?cell=D01"
expect_eq "$(body_json '[.items[].cell_id] | unique | join(",")')" D01 "the filter"
expect_status 404 "a bad year" admin GET /api/v1/assess/years/abc
expect_status 200 "the leader's unit in 2026" leader GET "/api/v1/units/$LEADER_UNIT/assess/2026"
expect_eq "$(body_json '[.state, .draft, .can_self, .can_submit, .can_dept, .can_bureau, (.entered | length > 0), has("history")] | map(tostring) | join("|")')" \
    "none|true|true|true|false|false|true|true" "a draft the leader may edit and submit"
expect_eq "$(body_json '.entered[] | select(.indicator == "B1") | .hint.kind')" training_competition \
    "the prize comes with what the training record knows"
expect_status 404 "another unit is not the leader's" leader GET "/api/v1/units/$U/assess/2026"
expect_status 422 "a data indicator through the API" leader PUT "/api/v1/units/$LEADER_UNIT/assess/2026/self" \
    -H 'Content-Type: application/json' -d '{"items":[{"indicator":"A1.1","score":6,"basis":"x"}]}'
expect_eq "$(body_json '[.error.where, (.error.message | length > 0), (.error.message_en | test("computed"))] | map(tostring) | join("|")')" \
    "items[0].indicator|true|true" "names the field, zh and en"
expect_status 200 "the leader saves a prize" leader PUT "/api/v1/units/$LEADER_UNIT/assess/2026/self" \
    -H 'Content-Type: application/json' -d '{"items":[{"indicator":"B1","score":2.5,"basis":"市竞赛二等奖"}]}'
expect_eq "$(body_json '.entered[] | select(.indicator == "B1") | "\(.score)|\(.basis)"')" "2.5|市竞赛二等奖" "saved"
expect_status 403 "the reviewer cannot review" reviewer POST "/api/v1/units/$LEADER_UNIT/assess/2026/review" \
    -H 'Content-Type: application/json' -d '{"stage":"dept"}'
expect_status 200 "the leader submits" leader POST "/api/v1/units/$LEADER_UNIT/assess/2026/self/submit"
expect_eq "$(body_json '[.state, .can_self] | map(tostring) | join("|")')" "self|false" "submitted"
expect_status 422 "a change without a reason" supervisor POST "/api/v1/units/$LEADER_UNIT/assess/2026/review" \
    -H 'Content-Type: application/json' -d '{"stage":"dept","items":[{"indicator":"B1","score":2}]}'
expect_eq "$(body_json .error.where)" "items[0].reason" "names the reason"
expect_status 403 "the supervisor is not the bureau" supervisor POST "/api/v1/units/$LEADER_UNIT/assess/2026/review" \
    -H 'Content-Type: application/json' -d '{"stage":"bureau"}'
expect_status 200 "the supervisor of the unit's cell reviews" supervisor POST "/api/v1/units/$LEADER_UNIT/assess/2026/review" \
    -H 'Content-Type: application/json' -d '{"stage":"dept","items":[{"indicator":"B1","score":2,"reason":"按证书计2分"}],"note":"属实"}'
expect_eq "$(body_json '[.state, (.history | last | "\(.stage)|\(.from)|\(.to)|\(.reason)|\(.by)")] | join("|")')" \
    "dept|dept|2.5|2|按证书计2分|user:supervisor" "recorded with who and why"
OTHER=$(sq "$DB" "SELECT code FROM unit WHERE pilot = 1 AND cell_id <> 'D01' AND code NOT IN (SELECT unit_code FROM assess_unit WHERE year = 2026) ORDER BY code LIMIT 1")
ag assess submit --year 2026 --unit "$OTHER" >/dev/null 2>&1 || fail "submit $OTHER"
expect_status 404 "a supervisor of another cell cannot review" supervisor POST "/api/v1/units/$OTHER/assess/2026/review" \
    -H 'Content-Type: application/json' -d '{"stage":"dept"}'
expect_status 200 "the bureau's final score" admin POST "/api/v1/units/$LEADER_UNIT/assess/2026/review" \
    -H 'Content-Type: application/json' -d '{"stage":"bureau","items":[]}'
expect_eq "$(body_json '.state')" bureau "accepted as it is"
expect_status 403 "the leader cannot publish" leader POST /api/v1/assess/years/2026/publish
expect_status 422 "2026 is not complete" admin POST /api/v1/assess/years/2026/publish
expect_eq "$(body_json '.error.where')" year "names the year"
finish
