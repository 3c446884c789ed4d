#!/usr/bin/env bash
# t0107: the inbox's cell, date and sort parameters and GET /api/v1/dashboard, each figure checked
# against the same count made independently with sqlite3 on the demo database, per scope.
. "$(dirname "$0")/serve_lib.sh"
DB="$T/a.db"
AUDITGRID_NOW=2026-03-02T09:00:00Z demo_db "$DB"
SCHOOL=12120104MBKX0792XX
GROUP=91120104MA4257977U

# ids of a page, one line: from the API, and from SQL.
api_ids() { body_json '[.items[].id] | map(tostring) | join(" ")'; }
sql_ids() { sq "$DB" "SELECT group_concat(id, ' ') FROM (SELECT id FROM warning w $1)"; }
SEV="CASE severity WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END"
D01="unit_code IN (SELECT code FROM unit WHERE cell_id = 'D01')"

# Three imports moved to the edges of March 2026 in the district's time (UTC+8): the first is
# 1 March 00:30 there, the second still February, the third already 1 April.
sq "$DB" "UPDATE ledger_source SET imported_at = '2026-02-28T16:30:00Z' WHERE id = (SELECT MIN(id) FROM ledger_source)"
sq "$DB" "UPDATE ledger_source SET imported_at = '2026-02-28T15:59:59Z' WHERE id = (SELECT MIN(id) + 1 FROM ledger_source)"
sq "$DB" "UPDATE ledger_source SET imported_at = '2026-03-31T16:00:00Z' WHERE id = (SELECT MIN(id) + 2 FROM ledger_source)"
AUDITGRID_NOW=2026-03-15T00:00:00Z start_server "$DB"
for u in admin supervisor chief auditor liaison; do login $u || fail "$u signs in"; done

# ---- GET /api/v1/warnings: cell, from, to, sort ----------------------------------------------
expect_status 200 "cell=D01" admin GET "/api/v1/warnings?cell=D01&per_page=1"
expect_eq "$(body_json .total)" "$(sq "$DB" "SELECT COUNT(*) FROM warning WHERE $D01")" "cell counts the warnings of its units"
expect_status 200 "from and to, inclusive" admin GET "/api/v1/warnings?from=2024-03-01&to=2024-06-30&per_page=1"
expect_eq "$(body_json .total)" "$(sq "$DB" "SELECT COUNT(*) FROM warning WHERE warn_date BETWEEN '2024-03-01' AND '2024-06-30'")" "dates count inclusively"
day=$(sq "$DB" "SELECT warn_date FROM warning GROUP BY warn_date ORDER BY COUNT(*) DESC, warn_date LIMIT 1")
expect_status 200 "from = to is one day" admin GET "/api/v1/warnings?from=$day&to=$day&per_page=1"
expect_eq "$(body_json .total)" "$(sq "$DB" "SELECT COUNT(*) FROM warning WHERE warn_date = '$day'")" "the warnings of $day"
expect_status 200 "from alone" admin GET "/api/v1/warnings?from=2025-01-01&per_page=1"
expect_eq "$(body_json .total)" "$(sq "$DB" "SELECT COUNT(*) FROM warning WHERE warn_date >= '2025-01-01'")" "from 2025 on"
expect_status 200 "all filters at once" admin GET "/api/v1/warnings?cell=D01&from=2024-01-01&to=2024-12-31&status=open&severity=high&per_page=1"
expect_eq "$(body_json .total)" "$(sq "$DB" "SELECT COUNT(*) FROM warning WHERE $D01 AND warn_date LIKE '2024-%' AND status = 'open' AND severity = 'high'")" "the filters combine"

for s in date -date amount -amount severity -severity unit -unit; do
    key=${s#-}
    dir=$([ "$s" = "$key" ] && echo ASC || echo DESC)
    case $key in
    date) order="warn_date $dir, unit_code, id" ;;
    amount) order="amount $dir, unit_code, warn_date, id" ;;
    severity) order="$SEV $dir, unit_code, warn_date, id" ;;
    unit) order="unit_code $dir, warn_date, id" ;;
    esac
    expect_status 200 "sort=$s" admin GET "/api/v1/warnings?sort=$s&per_page=40&page=2"
    expect_eq "$(api_ids)" "$(sql_ids "ORDER BY $order LIMIT 40 OFFSET 40")" "sort=$s orders the whole list (page 2)"
done
expect_status 200 "sort with a filter" admin GET "/api/v1/warnings?cell=D01&sort=-amount&per_page=10"
expect_eq "$(api_ids)" "$(sql_ids "WHERE $D01 ORDER BY amount DESC, unit_code, warn_date, id LIMIT 10")" "the largest of D01"
expect_status 200 "no sort" admin GET "/api/v1/warnings?per_page=60"
expect_eq "$(api_ids)" "$(sql_ids "ORDER BY unit_code, warn_date, id LIMIT 60")" "the default order is unchanged: unit, date, id"

for bad in "from=2024-02-30" "from=2024-1-05" "to=20240105" "to=2024/01/05" "from=" "sort=amount_desc" "sort=" "sort=id"; do
    expect_status 400 "$bad is refused" admin GET "/api/v1/warnings?$bad"
    expect_eq "$(body_json '.error.code + " " + .error.where')" "bad_request ${bad%%=*}" "  as bad_request at ${bad%%=*}"
done
expect_status 400 "from after to" admin GET "/api/v1/warnings?from=2024-06-01&to=2024-05-31"
expect_eq "$(body_json .error.message)" "起始日期 2024-06-01 晚于截止日期 2024-05-31" "  in Chinese"
expect_eq "$(body_json .error.message_en)" "from 2024-06-01 is after to 2024-05-31" "  and in English"

expect_status 200 "a supervisor's own cell" supervisor GET "/api/v1/warnings?cell=D01&per_page=1"
expect_eq "$(body_json .total)" "$(sq "$DB" "SELECT COUNT(*) FROM warning WHERE $D01")" "is all it sees"
expect_status 200 "another cell" supervisor GET "/api/v1/warnings?cell=D02&per_page=1"
expect_eq "$(body_json .total)" 0 "matches nothing for a supervisor of D01"
expect_status 200 "an auditor sorting" auditor GET "/api/v1/warnings?sort=-severity&per_page=500"
expect_eq "$(api_ids)" "$(sql_ids "WHERE unit_code = '$SCHOOL' ORDER BY $SEV DESC, unit_code, warn_date, id")" "sorts within its scope"

# ---- GET /api/v1/dashboard -------------------------------------------------------------------
# dash WHO UNITS_PREDICATE -- the dashboard of WHO against SQL over the units u with UNITS_PREDICATE.
dash() {
    local who=$1 p=$2
    local W="unit_code IN (SELECT code FROM unit u WHERE $p)"
    expect_status 200 "$who: GET /dashboard" "$who" GET /api/v1/dashboard
    cp "$T/body" "$T/dash-$who.json"
    expect_eq "$(body_json .month)" 2026-03 "$who: the month of AUDITGRID_NOW"
    expect_eq "$(body_json '[.units, .pilot_units] | join(" ")')" \
        "$(sq "$DB" "SELECT COUNT(*) || ' ' || SUM(pilot) FROM unit u WHERE $p")" "$who: units and pilot units"
    expect_eq "$(body_json '.open_warnings | [.total, .high, .medium, .low] | join(" ")')" \
        "$(sq "$DB" "SELECT COUNT(*) || ' ' || COALESCE(SUM(severity = 'high'), 0) || ' ' || COALESCE(SUM(severity = 'medium'), 0)
                     || ' ' || COALESCE(SUM(severity = 'low'), 0) FROM warning WHERE status = 'open' AND $W")" \
        "$who: open warnings by severity"
    expect_eq "$(body_json .imports_this_month)" \
        "$(sq "$DB" "SELECT COUNT(*) FROM ledger_source WHERE strftime('%Y-%m', imported_at, '+8 hours') = '2026-03' AND $W")" \
        "$who: imports this month (UTC+8)"
    expect_eq "$(body_json '.by_item[] | "\(.item) \(.open) \(.total)"')" \
        "$(sq "$DB" "SELECT ci.code || ' ' || COALESCE(SUM(w.status = 'open'), 0) || ' ' || COUNT(w.id) FROM catalog_item ci
                     LEFT JOIN warning w ON w.item = ci.code AND w.$W
                     WHERE ci.version = (SELECT MAX(version) FROM catalog_version) GROUP BY ci.code ORDER BY ci.sort_order")" \
        "$who: warnings by catalog item, all 20 items"
    expect_eq "$(body_json '.by_cell[] | "\(.cell_id) \(.units) \(.open) \(.total)"')" \
        "$(sq "$DB" "SELECT c.id || ' ' || (SELECT COUNT(*) FROM unit u WHERE u.cell_id = c.id AND $p)
                     || ' ' || (SELECT COUNT(*) FROM warning w JOIN unit x ON x.code = w.unit_code WHERE x.cell_id = c.id AND w.status = 'open' AND w.$W)
                     || ' ' || (SELECT COUNT(*) FROM warning w JOIN unit x ON x.code = w.unit_code WHERE x.cell_id = c.id AND w.$W)
                     FROM grid_cell c WHERE EXISTS (SELECT 1 FROM unit u WHERE u.cell_id = c.id AND $p) ORDER BY c.sort_order, c.id")" \
        "$who: warnings and units by cell, in grid order"
    expect_eq "$(body_json '.by_unit[] | select(.open > 0) | "\(.code) \(.high) \(.medium) \(.low)"')" \
        "$(sq "$DB" "SELECT unit_code || ' ' || SUM(severity = 'high') || ' ' || SUM(severity = 'medium') || ' ' || SUM(severity = 'low')
                     FROM warning WHERE status = 'open' AND $W GROUP BY unit_code ORDER BY unit_code")" \
        "$who: open warnings per unit"
    expect_eq "$(body_json '.by_unit | length')" "$(sq "$DB" "SELECT COUNT(*) FROM unit u WHERE $p")" "$who: every unit in by_unit"
    # Rectification (整改): overdue is open or in_progress past the deadline, as of the server's
    # day in the district (AUDITGRID_NOW, UTC+8).
    expect_eq "$(body_json '.rectification | [.not_closed, .open, .overdue, .claimed, .continuous, .closed] | join(" ")')" \
        "$(sq "$DB" "SELECT COALESCE(SUM(state <> 'closed'), 0) || ' ' || COALESCE(SUM(state IN ('open', 'in_progress')), 0)
                     || ' ' || COALESCE(SUM(state IN ('open', 'in_progress') AND deadline < '$TODAY'), 0)
                     || ' ' || COALESCE(SUM(state = 'claimed'), 0) || ' ' || COALESCE(SUM(state = 'continuous'), 0)
                     || ' ' || COALESCE(SUM(state = 'closed'), 0) FROM rectification WHERE $W")" \
        "$who: rectification items by state, and overdue as of $TODAY"
    expect_eq "$(body_json '.rectification.by_unit[] | "\(.code) \(.open) \(.overdue)"')" \
        "$(sq "$DB" "SELECT unit_code || ' ' || SUM(state IN ('open', 'in_progress')) || ' '
                     || SUM(state IN ('open', 'in_progress') AND deadline < '$TODAY')
                     FROM rectification WHERE $W GROUP BY unit_code ORDER BY unit_code")" \
        "$who: open and overdue rectification per unit"
}
TODAY=2026-03-15
dash admin "1 = 1"
expect_eq "$(body_json '.imports_this_month')" 58 "admin: the 60 imports less the one moved to February and the one to April"
expect_eq "$(body_json '.rectification | [.not_closed, .open, .overdue, .claimed, .continuous, .closed] | join(" ")')" \
    "4 3 1 1 0 2" "admin: the demo's items: in progress, overdue, claimed, two closed, and the supervision visit's open one (issue 14 §2)"
dash supervisor "u.cell_id = 'D01'"
# An internal auditor (and a chief auditor) also sees the units whose open audit it is on the
# team of: the demo's published cross-audit round puts them on other pilot units' teams.
assigned() {
    echo "u.code IN (SELECT ap.unit_code FROM audit_project ap JOIN audit_team tm ON tm.project_id = ap.id
        WHERE tm.person_id = (SELECT person_id FROM app_user WHERE username = '$1') AND ap.stage <> 'closed')"
}
dash chief "(u.code = '$GROUP' OR u.parent_code = '$GROUP' OR $(assigned chief))"
dash auditor "(u.code = '$SCHOOL' OR $(assigned auditor))"
dash liaison "u.cell_id IN (SELECT id FROM grid_cell WHERE id = 'S01' UNION SELECT cell_id FROM cell_liaison WHERE person_id = (SELECT person_id FROM app_user WHERE username = 'liaison'))"
expect_eq "$(jq -r '[.by_cell[].cell_id] | join(" ")' "$T/dash-supervisor.json")" D01 "the supervisor's dashboard has its cell only"

expect_status 200 "HEAD /dashboard" admin HEAD /api/v1/dashboard
expect_status 405 "POST /dashboard" admin POST /api/v1/dashboard
expect_status 401 "a dashboard needs a session" anon GET /api/v1/dashboard

# Cached, and fresh after a change: a triage moves one warning out of "open".
expect_status 200 "the dashboard again (from the cache)" admin GET /api/v1/dashboard
cmp -s "$T/body" "$T/dash-admin.json" && ok "the same document" || fail "the cached dashboard differs"
id=$(sq "$DB" "SELECT MIN(id) FROM warning WHERE unit_code = '$SCHOOL' AND status = 'open' AND severity = 'high'")
expect_status 200 "the auditor acknowledges warning $id" auditor POST "/api/v1/warnings/$id/triage" \
    -H 'Content-Type: application/json' -d '{"action":"acknowledge"}'
expect_status 200 "the dashboard after the triage" admin GET /api/v1/dashboard
expect_eq "$(body_json '.open_warnings | [.total, .high] | join(" ")')" \
    "$(jq -r '.open_warnings | [.total - 1, .high - 1] | join(" ")' "$T/dash-admin.json")" "one open high warning fewer"

# A moved deadline takes the item out of overdue at once, for the unit's tile too.
rid=$(sq "$DB" "SELECT id FROM rectification WHERE state IN ('open', 'in_progress') AND deadline < '$TODAY'")
expect_status 200 "admin moves the deadline of the overdue item $rid" admin POST "/api/v1/rectifications/$rid/deadline" \
    -H 'Content-Type: application/json' -d '{"deadline":"2026-06-30","reason":"补充审议需时"}'
expect_status 200 "the dashboard after the move" admin GET /api/v1/dashboard
expect_eq "$(body_json '.rectification.overdue')" 0 "no overdue item left"
expect_eq "$(body_json ".rectification.by_unit[] | select(.code == \"$SCHOOL\") | .overdue")" 0 "nor at the school"

# The month turns at midnight in the district: 31 March 16:00 UTC is 1 April there.
stop_server
AUDITGRID_NOW=2026-03-31T16:00:00Z start_server "$DB"
login admin || fail "admin signs in again"
expect_status 200 "the dashboard on 1 April (UTC+8)" admin GET /api/v1/dashboard
expect_eq "$(body_json '.month + " " + (.imports_this_month | tostring)')" "2026-04 1" "April has the one import of 1 April"
expect_eq "$(body_json '.rectification | [.open, .overdue] | join(" ")')" \
    "$(sq "$DB" "SELECT SUM(state IN ('open', 'in_progress')) || ' ' || SUM(state IN ('open', 'in_progress') AND deadline < '2026-04-01') FROM rectification")" \
    "on 1 April, the items due by 31 March are overdue"
finish
