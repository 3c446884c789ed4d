#!/usr/bin/env bash
# t0230: the grid liaison's cadence (issue 14 §5) under a controlled clock: the demo district has
# exactly two units off cadence; a unit on cadence slips the day after its contact falls due
# (--today and AG_TODAY), its reminder is written once, a log takes it off the to-do and answers
# the reminder; the bureau's cadence; every refusal names its option; the same through the API.
. "$(dirname "$0")/serve_lib.sh"
DB="$T/l.db"
export AG_TODAY=2026-12-07
"$AG" --db "$DB" demo --lines 0 --no-serve >"$T/demo.out" 2>&1 || { cat "$T/demo.out"; exit 1; }
ag() { "$AG" --db "$DB" "$@"; }
plus() { date -u -d "$1 +$2 days" +%F; }

# The demo: two units slipped as of its today, one contact and one visit, each reminded once.
expect_exit 0 "liaison todo --json" ag --json liaison todo
expect_eq "$(jq -r '[.today, .units, .total, ([.items[].kind] | sort | join(","))] | join("|")' "$T/out")" \
    "2026-12-07|2|2|contact,visit" "exactly two units slipped in the demo"
slipped=$(jq -r '[.items[].unit_code] | join(",")' "$T/out")
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM notification WHERE kind LIKE 'liaison_%' AND audience = 'bureau'")" 2 \
    "the demo's two reminders, for the bureau"
expect_exit 0 "liaison todo in words" ag liaison todo
expect_grep "逾期未走访" "$T/out" "the visit slip in Chinese"
expect_grep "涉及 2 个单位" "$T/out" "and the count"

# A unit on cadence: its contact falls due 30 days after its last contact or visit.
U=$(sq "$DB" "SELECT u.code FROM unit u WHERE u.cell_id = 'S01' AND instr('$slipped', u.code) = 0 ORDER BY u.code LIMIT 1")
last=$(sq "$DB" "SELECT MAX(log_date) FROM liaison_log WHERE unit_code = '$U'")
due=$(plus "$last" 30)
[ -n "$U" ] && [ -n "$last" ] || { echo "no unit on cadence"; exit 1; }
expect_exit 0 "todo on the due day" ag --json --today "$due" liaison todo --cell S01
expect_eq "$(jq -r --arg u "$U" '[.items[] | select(.unit_code == $u)] | length' "$T/out")" 0 "not slipped on its due day"
expect_exit 0 "todo the day after" ag --json --today "$(plus "$due" 1)" liaison todo --cell S01
expect_eq "$(jq -r --arg u "$U" '[.items[] | select(.unit_code == $u) | "\(.kind)|\(.last)|\(.due)|\(.days_overdue)"] | join(",")' "$T/out")" \
    "contact|$last|$due|1" "slipped the day after, by one day"
AG_TODAY="$(plus "$due" 1)" "$AG" --db "$DB" --json liaison todo --cell S01 >"$T/env.json"
expect_eq "$(jq -r --arg u "$U" '[.items[] | select(.unit_code == $u)] | length' "$T/env.json")" 1 "AG_TODAY moves the day too"
expect_exit 0 "--today=DATE overrides AG_TODAY" ag --json "--today=$due" liaison todo --cell S01
expect_eq "$(jq -r .today "$T/out")" "$due" "the day is --today's"

# Reminders: written once for the slip.
day1=$(plus "$due" 1)
ag --json --today "$day1" liaison todo >"$T/day1.json"
expect_exit 0 "remind" ag --json --today "$day1" liaison remind
expect_eq "$(jq .created "$T/out")" "$(($(jq .total "$T/day1.json") - 2))" \
    "one new reminder per slip of that day, but the demo's two (same due dates) already there"
expect_exit 0 "remind again" ag --json --today "$day1" liaison remind
expect_eq "$(jq .created "$T/out")" 0 "idempotent"
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM notification WHERE unit_code = '$U' AND kind = 'liaison_contact' AND liaison_due = '$due' AND read_at IS NULL")" 1 \
    "the reminder names the unit and its due date"

# Refusals name the option; nothing is written.
n0=$(sq "$DB" "SELECT COUNT(*) FROM liaison_log")
expect_exit 3 "an unknown kind" ag --today "$day1" liaison log --unit "$U" --kind phone --person 王芳
expect_grep "错误（--kind）" "$T/err" "names --kind"
expect_exit 3 "a date after today" ag --today "$day1" liaison log --unit "$U" --kind contact --person 王芳 --date "$(plus "$day1" 1)"
expect_grep "不能晚于今天" "$T/err" "says why"
expect_grep "错误（--date）" "$T/err" "names --date"
expect_exit 3 "an unknown unit" ag liaison log --unit 12120104MB0000000X --kind contact --person 王芳
expect_exit 2 "--person is required" ag liaison log --unit "$U" --kind contact
expect_exit 2 "--today must be a date" ag --today 2026-02-30 liaison todo
expect_grep "YYYY-MM-DD" "$T/err" "naming the form"
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM liaison_log")" "$n0" "refused logs write nothing"

# A contact (in Chinese) takes the unit off the to-do and answers its reminder.
expect_exit 0 "liaison log" ag --json --today "$day1" liaison log --unit "$U" --kind 联系 --person 王芳 \
    --notes 了解内审制度落实情况 --followups 两周内补齐内审台账
expect_eq "$(jq -r '[.kind, .kind_zh, .date, .person, .followups] | join("|")' "$T/out")" \
    "contact|联系|$day1|王芳|两周内补齐内审台账" "the entry"
expect_exit 0 "todo after the log" ag --json --today "$day1" liaison todo --cell S01
expect_eq "$(jq -r --arg u "$U" '[.items[] | select(.unit_code == $u)] | length' "$T/out")" 0 "off the to-do"
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM notification WHERE unit_code = '$U' AND kind = 'liaison_contact' AND read_at IS NULL")" 0 \
    "its reminder is read"
expect_exit 0 "due again 30 days after the log" ag --json --today "$(plus "$day1" 31)" liaison todo --cell S01
expect_eq "$(jq -r --arg u "$U" '[.items[] | select(.unit_code == $u and .kind == "contact") | .due] | join(",")' "$T/out")" "$(plus "$day1" 30)" \
    "counted from the log"
expect_exit 0 "liaison logs --unit" ag --json liaison logs --unit "$U"
expect_eq "$(jq -r '.items[0].date + "|" + .items[0].notes' "$T/out")" "$day1|了解内审制度落实情况" "newest first"
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM audit_log WHERE tbl = 'liaison_log' AND row_key = (SELECT MAX(id) FROM liaison_log)")" 1 \
    "the log is in the audit log"

# The bureau's cadence.
expect_exit 0 "liaison cadence" ag --json liaison cadence
expect_eq "$(jq -r '"\(.contact_days)|\(.visit_days)"' "$T/out")" "30|90" "a month and a quarter by default"
expect_exit 2 "out of range" ag liaison cadence --contact-days 400
expect_exit 2 "zero" ag liaison cadence --visit-days 0
expect_exit 0 "a 60-day visit cadence" ag --json liaison cadence --visit-days 60
expect_eq "$(jq -r '"\(.contact_days)|\(.visit_days)"' "$T/out")" "30|60" "set"
want=$(sq "$DB" "SELECT COUNT(*) FROM (SELECT unit_code FROM liaison_log WHERE kind = 'visit' GROUP BY unit_code
    HAVING MAX(log_date) < '$(plus 2026-12-07 -60)')")
expect_exit 0 "todo under the new cadence" ag --json liaison todo
expect_eq "$(jq '[.items[] | select(.kind == "visit")] | length' "$T/out")" "$want" "every unit last visited over 60 days ago"
[ "$want" -gt 1 ] && ok "more visits are due" || fail "the 60-day cadence changed nothing"
expect_exit 0 "back to a quarter" ag liaison cadence --visit-days 90

# The same through the API, the server's clock on the demo's day.
start_server "$DB"
J=(-H 'Content-Type: application/json')
for u in admin liaison leader; do login $u || fail "$u signs in"; done
expect_status 200 "the liaison's to-do" liaison GET /api/v1/liaison/todo
expect_eq "$(body_json '[.items[] | .cell_id + ":" + .kind] | join(",")')" "S01:contact" "its cell's slip only"
V=$(body_json '.items[0].unit_code')
other=$(sq "$DB" "SELECT code FROM unit WHERE cell_id = 'D01' ORDER BY code LIMIT 1")
expect_status 200 "its reminder in 提醒" liaison GET /api/v1/notifications
expect_eq "$(body_json "[.items[] | select(.kind == \"liaison_contact\" and .unit_code == \"$V\")] | length")" 1 "the liaison sees it"
expect_status 403 "a leader does not log" leader POST /api/v1/liaison/logs "${J[@]}" \
    -d "{\"unit_code\":\"$V\",\"kind\":\"contact\",\"person\":\"王芳\"}"
expect_status 404 "nor the liaison outside its cells" liaison POST /api/v1/liaison/logs "${J[@]}" \
    -d "{\"unit_code\":\"$other\",\"kind\":\"contact\",\"person\":\"王芳\"}"
expect_status 422 "an unknown kind" liaison POST /api/v1/liaison/logs "${J[@]}" \
    -d "{\"unit_code\":\"$V\",\"kind\":\"call\",\"person\":\"王芳\"}"
expect_eq "$(body_json .error.where)" kind "naming the field"
case "$(cat "$T/body")" in *--*) fail "the API names a command-line option" ;; *) ok "no command-line option in the API's words" ;; esac
expect_status 422 "an unknown field" liaison POST /api/v1/liaison/logs "${J[@]}" \
    -d "{\"unit_code\":\"$V\",\"kind\":\"visit\",\"person\":\"王芳\",\"phone\":\"1\"}"
expect_status 201 "the liaison logs a visit" liaison POST /api/v1/liaison/logs "${J[@]}" \
    -d "{\"unit_code\":\"$V\",\"kind\":\"visit\",\"person\":\"王芳\",\"notes\":\"走访检查\"}"
expect_eq "$(body_json '.date + "|" + .kind_zh + "|" + .unit_code')" "2026-12-07|走访|$V" "dated today, Beijing"
expect_status 200 "the to-do again" liaison GET /api/v1/liaison/todo
expect_eq "$(body_json .total)" 0 "nothing left for the liaison"
expect_status 200 "the unit's log" leader GET "/api/v1/liaison/logs?unit=$V"
expect_status 200 "the dashboard" admin GET /api/v1/dashboard
expect_eq "$(body_json '"\(.liaison.units)|\(.liaison.contact)|\(.liaison.visit)"')" "1|0|1" "one unit left, its visit"
expect_status 403 "the liaison does not set the cadence" liaison PUT /api/v1/liaison/cadence "${J[@]}" -d '{"visit_days":45}'
expect_status 422 "out of range" admin PUT /api/v1/liaison/cadence "${J[@]}" -d '{"contact_days":0}'
expect_eq "$(body_json .error.where)" contact_days "naming the field"
expect_status 200 "the admin sets it" admin PUT /api/v1/liaison/cadence "${J[@]}" -d '{"contact_days":20}'
expect_eq "$(body_json '"\(.contact_days)|\(.visit_days)"')" "20|90" "the cadence served"
expect_status 200 "remind" admin POST /api/v1/liaison/remind "${J[@]}" -d '{}'
n=$(body_json .created)
[ "$n" -gt 0 ] && ok "the 20-day cadence gives new reminders ($n)" || fail "no new reminders"
expect_status 200 "remind again" admin POST /api/v1/liaison/remind "${J[@]}" -d '{}'
expect_eq "$(body_json .created)" 0 "idempotent"
finish
