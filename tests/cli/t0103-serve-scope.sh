#!/usr/bin/env bash
# t0103: every role against every endpoint and unit scope (DESIGN.md §2): allowed, 403 for a role
# a route does not admit, 404 (never revealing existence) for units and warnings out of scope.
. "$(dirname "$0")/serve_lib.sh"
DB="$T/m.db"
demo_db "$DB"
start_server "$DB"
J=(-H 'Content-Type: application/json')
users=(admin reviewer liaison supervisor leader auditor chief)

# The units each demo account may see, straight from the database.
scope_sql() {
    local u=$1
    local role unit cell person
    IFS='|' read -r role unit cell person <<<"$(sq "$DB" "SELECT role, unit_code, cell_id, person_id FROM app_user WHERE username='$u'")"
    local assigned="SELECT ap.unit_code FROM audit_project ap JOIN audit_team tm ON tm.project_id = ap.id WHERE tm.person_id = ${person:-0} AND ap.stage <> 'closed'"
    case $role in
    admin | reviewer) echo "SELECT code FROM unit" ;;
    liaison) echo "SELECT code FROM unit WHERE cell_id='$cell' OR cell_id IN (SELECT cell_id FROM cell_liaison WHERE person_id=${person:-0})" ;;
    supervisor) echo "SELECT code FROM unit WHERE cell_id='$cell'" ;;
    leader) echo "SELECT code FROM unit WHERE code='$unit'" ;;
    # An internal auditor also sees the units whose (open) audit it is on the team of: the demo's
    # published cross-audit round puts pilot units' auditors on other units' teams.
    auditor) echo "SELECT code FROM unit WHERE code='$unit' OR code IN ($assigned)" ;;
    chief_auditor) echo "SELECT code FROM unit WHERE code='$unit' OR parent_code='$unit' OR code IN ($assigned)" ;;
    esac
}

for u in "${users[@]}"; do login "$u" || fail "$u signs in"; done
ok "every demo role signs in"

for u in "${users[@]}"; do
    q=$(scope_sql "$u")
    sq "$DB" "$q ORDER BY code" >"$T/want.$u"
    n=$(wc -l <"$T/want.$u" | tr -d ' ')
    in_unit=$(head -1 "$T/want.$u")
    out_unit=$(sq "$DB" "SELECT code FROM unit WHERE code NOT IN ($q) ORDER BY code LIMIT 1")

    expect_status 200 "$u: GET /units" "$u" GET "/api/v1/units?per_page=500"
    expect_eq "$(body_json .total)" "$n" "$u: /units counts exactly the units in scope ($n)"
    body_json '.items[].code' | sort >"$T/got"
    cmp -s "$T/got" "$T/want.$u" && ok "$u: /units lists exactly those units" || fail "$u: /units lists other units"
    expect_status 200 "$u: GET /grid" "$u" GET /api/v1/grid
    body_json '[.cells[].units[].code, .unassigned[].code] | .[]' | sort >"$T/got"
    cmp -s "$T/got" "$T/want.$u" && ok "$u: /grid holds exactly those units" || fail "$u: /grid shows other units"
    expect_status 200 "$u: GET /units/{in scope}" "$u" GET "/api/v1/units/$in_unit"
    expect_status 200 "$u: GET /units/{in scope}/persons" "$u" GET "/api/v1/units/$in_unit/persons"
    expect_status 200 "$u: GET /units/{in scope}/ledger" "$u" GET "/api/v1/units/$in_unit/ledger"
    wn=$(sq "$DB" "SELECT COUNT(*) FROM warning WHERE unit_code IN ($q)")
    expect_status 200 "$u: GET /warnings" "$u" GET "/api/v1/warnings?per_page=500"
    expect_eq "$(body_json .total)" "$wn" "$u: /warnings counts the warnings in scope ($wn)"
    expect_eq "$(body_json "[.items[].unit] - [$(sed 's/.*/"&"/' "$T/want.$u" | paste -sd,)] | length")" 0 "$u: every listed warning is in scope"
    expect_status 200 "$u: GET /catalog" "$u" GET /api/v1/catalog
    if [ -n "$out_unit" ]; then
        for sub in "" /persons /ledger; do
            expect_status 404 "$u: GET /units/{out of scope}$sub is 404" "$u" GET "/api/v1/units/$out_unit$sub"
            sed "s/$out_unit/CODE/g" "$T/body" >"$T/out404"
            req "$u" GET "/api/v1/units/91120104MA000000X0$sub"
            sed "s/91120104MA000000X0/CODE/g" "$T/body" >"$T/none404"
            cmp -s "$T/out404" "$T/none404" && ok "$u: ...exactly like a unit that does not exist" || fail "$u: out-of-scope 404 differs from a missing unit's"
        done
        expect_status 200 "$u: GET /warnings?unit={out of scope}" "$u" GET "/api/v1/warnings?unit=$out_unit"
        expect_eq "$(body_json .total)" 0 "$u: ...lists nothing"
        ow=$(sq "$DB" "SELECT id FROM warning WHERE unit_code NOT IN ($q) LIMIT 1")
        expect_status 404 "$u: GET /warnings/{out of scope} is 404" "$u" GET "/api/v1/warnings/$ow"
    fi
    iw=$(sq "$DB" "SELECT id FROM warning WHERE unit_code IN ($q) LIMIT 1")
    [ -n "$iw" ] && expect_status 200 "$u: GET /warnings/{in scope}" "$u" GET "/api/v1/warnings/$iw"

    # Admin-only routes.
    want=403
    [ "$u" = admin ] && want=200
    expect_status $want "$u: GET /users" "$u" GET /api/v1/users
    expect_status $want "$u: GET /audit-log" "$u" GET /api/v1/audit-log
    expect_status $want "$u: GET /audit-log/verify" "$u" GET /api/v1/audit-log/verify
    [ "$u" = admin ] || expect_eq "$(body_json .error.code)" forbidden "$u: forbidden"
    want=403
    [ "$u" = admin ] && want=422
    expect_status $want "$u: POST /units (admin; a bad code here)" "$u" POST /api/v1/units "${J[@]}" \
        -d '{"code":"bad","name":"x","type":"机关"}'
    want=403
    [ "$u" = admin ] && want=201
    expect_status $want "$u: POST /units/{code}/persons (admin)" "$u" POST "/api/v1/units/$in_unit/persons" \
        "${J[@]}" -d "{\"name\":\"测试$u\",\"title\":\"科员\"}"
    want=403
    [ "$u" = admin ] && want=422
    expect_status $want "$u: POST /users (admin)" "$u" POST /api/v1/users "${J[@]}" \
        -d '{"username":"x","role":"boss","password":"long enough pw"}'

    # Imports: internal auditors and chief auditors, in scope.
    case $u in auditor | chief) want=422 ;; *) want=403 ;; esac
    expect_status $want "$u: POST /units/{in scope}/imports" "$u" POST \
        "/api/v1/units/$in_unit/imports?filename=empty.csv" --data-binary ''
    if [ $want = 422 ]; then
        expect_status 404 "$u: POST /units/{out of scope}/imports is 404" "$u" POST \
            "/api/v1/units/$out_unit/imports?filename=x.csv" --data-binary 'a,b'
    fi
    # Triage: internal auditors, chief auditors and grid liaisons, in scope.
    case $u in auditor | chief | liaison) want=200 ;; *) want=403 ;; esac
    if [ -n "$iw" ]; then
        expect_status $want "$u: POST /warnings/{in scope}/triage" "$u" POST "/api/v1/warnings/$iw/triage" \
            "${J[@]}" -d '{"action":"escalate","reason":"请单位说明"}'
    fi
    if [ $want = 200 ]; then
        expect_status 404 "$u: POST /warnings/{out of scope}/triage is 404" "$u" POST "/api/v1/warnings/$ow/triage" \
            "${J[@]}" -d '{"action":"escalate"}'
    fi
done
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM warning WHERE status <> 'open' AND status_by NOT IN ('auditor','chief','liaison')")" 0 \
    "only the roles allowed to triage changed warnings"
for u in "${users[@]}"; do expect_status 200 "$u: DELETE /session" "$u" DELETE /api/v1/session; done
expect_exit 0 "the audit log still verifies" "$AG" --db "$DB" audit-log verify
finish
