#!/usr/bin/env bash
# t0240: the 0–5A internal-control grade (issue 15 §1) on the demo district: the JSON of
# `rating compute` (30 pilot units, at least four grades with a 5A and a vetoed 0), a published
# year that a new rubric leaves alone, publication in the audit log, refusals with their exit
# codes and both languages; then the API through the real server: who may fill in, review and
# publish, evidence on an answer, the unit and year objects, the grade history, the dashboard.
. "$(dirname "$0")/serve_lib.sh"
DB="$T/r.db"
export AG_TODAY=2026-12-07
"$AG" --db "$DB" demo --lines 0 --no-serve >"$T/demo.out" 2>&1 || { cat "$T/demo.out"; exit 1; }
ag() { "$AG" --db "$DB" "$@"; }
A=12120104MBKX0792XX # the demo leader's unit, with the demo's 2025 findings

# The compute objects of 2025.
expect_exit 0 "rating compute --json" ag --json rating compute --year 2025
cp "$T/out" "$T/y2025.json"
expect_eq "$(jq length "$T/out")" 30 "the 30 pilot units"
expect_eq "$(jq '[.[] | select(has("unit") and has("score") and has("applicable") and has("level") and has("grade") and has("veto") and (.deductions | type == "array"))] | length' "$T/out")" 30 \
    "every object has unit, score, applicable, level, grade, veto, deductions"
grades=$(jq -r '[.[].grade] | unique | join(",")' "$T/out")
[ "$(jq '[.[].grade] | unique | length' "$T/out")" -ge 4 ] && ok "at least four grades ($grades)" || fail "grades: $grades"
expect_eq "$(jq '[.[] | select(.grade == "5A")] | length > 0' "$T/out")" true "a 5A"
expect_eq "$(jq -r '[.[] | select(.grade == "0") | "\(.level)|\(.veto != null)"] | unique | join(",")' "$T/out")" "0|true" \
    "a 0 is level 0 with the veto's reason"
expect_eq "$(jq -r '[.[] | select(.grade == "0") | .veto_code] | join(",")' "$T/out")" not_filed "the demo's late filing"
expect_eq "$(jq '[.[] | select(.applicable < 100)] | length' "$T/out")" 1 "one unit without construction projects"
expect_eq "$(jq -r '.[] | select(.applicable < 100) | .applicable' "$T/out")" 92 "B5's 8 points out"
expect_eq "$(jq '[.[].deductions[]] as $all | [$all[] | select((.indicator | type) == "string" and (.point | type) == "string" and (.deduct | type) == "number" and (.reason | type) == "string" and (.evidence | type) == "object")] | length == ($all | length) and ($all | length) > 0' "$T/out")" true \
    "every deduction has indicator, point, deduct, reason, evidence"
# The leader's unit: its findings deduct, its repeat offence doubled, and ≥ 90 with a major finding open is 4A.
f=$(sq "$DB" "SELECT f.id FROM finding f JOIN audit_project p ON p.id = f.project_id WHERE f.unit_code = '$A' AND f.repeat_of IS NOT NULL AND p.period_to LIKE '2025%'")
expect_eq "$(jq -r --arg u "$A" --argjson f "$f" '.[] | select(.unit == $u) | .deductions[] | select(.evidence.finding_id == $f) | "\(.deduct_full)|\(.kind)"' "$T/out")" "10|finding" \
    "the repeat offence deducts twice the major 5"
expect_eq "$(jq -r --arg u "$A" '.[] | select(.unit == $u) | "\(.grade)|\(.score >= 90)|\([.special[].kind] | index("five_a_fail") != null)"' "$T/out")" "4A|true|true" \
    "≥ 90 with a major finding open: 4A with the reason"
expect_exit 0 "rating compute in words" ag rating compute --year 2025
expect_grep "5A级" "$T/out" "the grades in Chinese"
expect_grep "一票否决" "$T/out" "the veto in Chinese"
expect_grep "扣分" "$T/out" "the deductions"

# The year is published, in the audit log; a second publication is refused.
expect_exit 0 "rating year" ag --json rating year --year 2025
expect_eq "$(jq -r '"\(.published)|\(.rubric_version)|\(.self_eval_due)|\(.counts.pending)"' "$T/out")" "true|1|2026-03-31|0" "published, rubric 1"
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM audit_log WHERE tbl = 'rating_grade' AND action = 'insert'")" 30 "each frozen grade audit-logged"
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM audit_log WHERE tbl = 'rating_year' AND action = 'update' AND row_key = '2025'")" 1 "the publication audit-logged"
expect_exit 3 "publish again" ag rating publish --year 2025
expect_grep "已发布" "$T/err" "says so in Chinese"
expect_grep "published" "$T/err" "and in English"
expect_exit 3 "publish 2026 while units are pending" ag rating publish --year 2026
expect_grep "截止日" "$T/err" "names the due date"

# Refusals.
expect_exit 2 "a year out of range" ag rating compute --year 1999
expect_exit 2 "a year that is no number" ag rating compute --year twenty
expect_grep "year" "$T/err" "names --year"
expect_exit 3 "an unknown unit" ag rating compute --year 2025 --unit 12120104MB0000000X
expect_grep "不存在" "$T/err" "in Chinese"
expect_grep "no unit" "$T/err" "and in English"
echo '{"format":"auditgrid-rating-rubric/1","indicators":[]}' >"$T/bad.json"
expect_exit 3 "a bad rubric file" ag rating rubric-install "$T/bad.json"
expect_grep "bad.json:indicators" "$T/err" "names the field"
expect_grep "评级细则错误" "$T/err" "in Chinese"
expect_grep "bad rating rubric" "$T/err" "and in English"
expect_exit 3 "a missing rubric file" ag rating rubric-install "$T/none.json"
expect_exit 2 "rubric-install without a file" ag rating rubric-install
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM rating_rubric")" 1 "nothing installed"

# The rubric, then a changed one: a new version; 2025 answers the same frozen grades.
expect_exit 0 "rating rubric --json" ag --json rating rubric
expect_eq "$(jq -r '[.version, (.indicators | length), ([.indicators[] | select(.level == "unit") | .points] | add), ([.indicators[] | select(.level == "business") | .points] | add)] | join("|")' "$T/out")" "1|12|60|40" \
    "12 indicators, unit level 60, business level 40"
expect_eq "$(jq -r '.indicators[0] | "\(.code)|\(.points)|\([.points_list[].points] | join(","))"' "$T/out")" "U1|14|4,3,3,4" "内控启动 14 = 4 + 3 + 3 + 4"
jq '.bands[0].min = 99 | .deductions.major = 50 | .format = "auditgrid-rating-rubric/1" | del(.version, .installed_at, .installed_by, .total_points)' "$T/out" >"$T/strict.json"
expect_exit 0 "rubric-install" ag --json rating rubric-install "$T/strict.json"
expect_eq "$(jq .version "$T/out")" 2 "version 2"
expect_exit 0 "2025 again" ag --json rating compute --year 2025
expect_eq "$(jq -S . "$T/out" | sha256sum)" "$(jq -S . "$T/y2025.json" | sha256sum)" "the published year does not move"
expect_exit 0 "2026 under the new rubric" ag --json rating compute --year 2026 --unit "$A"
expect_eq "$(jq -r '.[0] | "\(.rubric_version)|\(.state)"' "$T/out")" "1|pending" "2026 keeps the rubric it started with (the demo's drafts)"
expect_exit 0 "2027, not started" ag --json rating compute --year 2027 --unit "$A"
expect_eq "$(jq -r '.[0].rubric_version' "$T/out")" 2 "a new year takes the new rubric"

# The API.
start_server "$DB"
J=(-H 'Content-Type: application/json')
for u in admin leader reviewer supervisor; do login $u || fail "$u signs in"; done
B=$(sq "$DB" "SELECT code FROM unit WHERE pilot = 1 AND code <> '$A' ORDER BY code LIMIT 1")
expect_status 200 "the year" admin GET /api/v1/rating/years/2025
expect_eq "$(body_json '[.year, .published, .rubric_version, (.items | length), ([.counts[]] | add)] | join("|")')" "2025|true|1|30|30" \
    "year, published, its rubric, 30 units counted once"
expect_eq "$(body_json '[.items[] | select(has("unit_name") and has("cell_id") and has("cell_name") and (.self_state | IN("none","draft","filed")) and (.review_state | IN("none","reviewed")))] | length')" 30 \
    "each item names its unit, cell, self and review state"
expect_eq "$(body_json "[.items[] | select(.unit == \"$A\") | .grade] | join(\",\")")" \
    "$(jq -r --arg u "$A" '.[] | select(.unit == $u) | .grade' "$T/y2025.json")" "the same grade as the CLI"
expect_status 200 "the leader's year" leader GET /api/v1/rating/years/2025
expect_eq "$(body_json '[.items[].unit] | join(",")')" "$A" "its own unit only"
expect_status 404 "a year of junk" admin GET /api/v1/rating/years/20x5
expect_status 200 "the rubric" reviewer GET /api/v1/rating/rubric
expect_eq "$(body_json '[.version, (.indicators[0].points_list[0] | has("criteria_zh")), (.bands[0].grade), (.vetoes | length)] | join("|")')" "2|true|5A|3" "latest version, points with criteria, bands, vetoes"
expect_status 200 "version 1" reviewer GET "/api/v1/rating/rubric?version=1"
expect_eq "$(body_json .bands[0].min)" 90 "the default 5A band"
expect_status 200 "the unit object" leader GET "/api/v1/units/$A/rating/2025"
expect_eq "$(body_json '[.unit, .year, .published, .can_edit_self, .can_review, .self.state, .review.state, (.result.grade | type)] | join("|")')" \
    "$A|2025|true|false|false|filed|reviewed|string" "published: nothing to edit"
expect_status 404 "another unit's object" leader GET "/api/v1/units/$B/rating/2025"
# 2026: the leader fills in its own unit, not another's; only the bureau reviews and publishes.
expect_status 200 "the leader saves its draft" leader PUT "/api/v1/units/$A/rating/2026/self" "${J[@]}" \
    -d '{"answers":[{"point":"U1.1","score":4,"note":"领导小组已成立"},{"point":"U1.2","score":2.5}],"inapplicable":["B5"]}'
expect_eq "$(body_json '[.self.state, .can_edit_self, (.self.answers[] | select(.point == "U1.2") | .score), (.self.inapplicable | join(","))] | join("|")')" "draft|true|2.5|B5" \
    "a draft with its answers"
expect_status 404 "not another unit's" leader PUT "/api/v1/units/$B/rating/2026/self" "${J[@]}" -d '{"answers":[]}'
expect_status 403 "a reviewer does not fill in" reviewer PUT "/api/v1/units/$A/rating/2026/self" "${J[@]}" -d '{"answers":[]}'
expect_status 403 "a supervisor does not fill in" supervisor PUT "/api/v1/units/$A/rating/2026/self" "${J[@]}" -d '{"answers":[]}'
expect_status 422 "a score over the point's" leader PUT "/api/v1/units/$A/rating/2026/self" "${J[@]}" -d '{"answers":[{"point":"U1.1","score":5}]}'
expect_eq "$(body_json .error.where)" "answers[0].score" "naming the field"
case "$(body_json .error.message)" in *U1.1*) ok "the message names the point" ;; *) fail "message: $(body_json .error.message)" ;; esac
[ -n "$(body_json .error.message_en)" ] && ok "and has English" || fail "no message_en"
expect_status 422 "B3 cannot be inapplicable" leader PUT "/api/v1/units/$A/rating/2026/self" "${J[@]}" -d '{"inapplicable":["B3"]}'
expect_eq "$(body_json .error.where)" "inapplicable[0]" "naming it"
# Evidence: upload, then name it in the answer.
printf '领导小组成立文件\n' >"$T/ev.txt"
expect_status 201 "upload" leader POST "/api/v1/units/$A/attachments?filename=ev.txt" --data-binary @"$T/ev.txt"
ATT=$(body_json .id)
expect_status 200 "the evidence on U1.1" leader PUT "/api/v1/units/$A/rating/2026/self" "${J[@]}" \
    -d "{\"answers\":[{\"point\":\"U1.1\",\"score\":4,\"attachment_ids\":[$ATT]}]}"
expect_eq "$(body_json '[.self.answers[] | select(.point == "U1.1") | .attachments[].filename] | join(",")')" ev.txt "listed with the answer"
expect_eq "$(sq "$DB" "SELECT owner_kind FROM attachment WHERE id = $ATT")" rating_answer "owned by the answer"
expect_status 403 "the leader does not review" leader POST "/api/v1/units/$A/rating/2026/review" "${J[@]}" -d '{"adjustments":[]}'
expect_status 422 "nothing filed yet to review" admin POST "/api/v1/units/$A/rating/2026/review" "${J[@]}" -d '{"adjustments":[]}'
expect_status 200 "the leader files" leader POST "/api/v1/units/$A/rating/2026/self/file"
expect_eq "$(body_json '[.self.state, .self.late, .can_edit_self] | join("|")')" "filed|false|false" "filed on time"
expect_status 422 "no change once filed" leader PUT "/api/v1/units/$A/rating/2026/self" "${J[@]}" -d '{"answers":[]}'
expect_status 422 "an adjustment without a reason" admin POST "/api/v1/units/$A/rating/2026/review" "${J[@]}" \
    -d '{"adjustments":[{"point":"U1.2","score":1,"reason":""}]}'
expect_eq "$(body_json .error.where)" "adjustments[0].reason" "naming the field"
expect_status 200 "the bureau adjusts" admin POST "/api/v1/units/$A/rating/2026/review" "${J[@]}" \
    -d '{"adjustments":[{"point":"U1.2","score":1,"reason":"培训签到记录不全"}],"note":"复核"}'
expect_eq "$(body_json '[.review.state, .review.adjustments[0].point, .review.adjustments[0].score, .review.adjustments[0].reason, .can_review] | join("|")')" \
    "reviewed|U1.2|1|培训签到记录不全|true" "the review"
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM audit_log WHERE tbl = 'rating_adjustment' AND actor = 'user:admin'")" 1 "the adjustment audit-logged as the admin"
expect_status 403 "the leader does not publish" leader POST /api/v1/rating/years/2026/publish
expect_status 422 "2026 cannot be published yet" admin POST /api/v1/rating/years/2026/publish
expect_status 200 "the grade history" leader GET "/api/v1/units/$A/ratings"
expect_eq "$(body_json '[.items[] | "\(.year):\(.published)"] | join(",")')" "2026:false,2025:true" "newest first"
expect_status 200 "the dashboard" admin GET /api/v1/dashboard
expect_eq "$(body_json "[.by_unit[] | select(.code == \"$A\") | .grade] | join(\",\")")" \
    "$(jq -r --arg u "$A" '.[] | select(.unit == $u) | .grade' "$T/y2025.json")" "by_unit grade: the latest published year's"
expect_eq "$(body_json '[.by_unit[] | select(.grade != null)] | length')" 30 "the 30 graded units"
finish
