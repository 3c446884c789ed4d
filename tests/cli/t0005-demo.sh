#!/usr/bin/env bash
# t0005: the demo district has the shape the programme describes, deterministically.
. "$(dirname "$0")/lib.sh"
expect_exit 0 "demo builds" "$AG" --db "$T/d1.db" demo --seed 7 --lines 30000 --no-serve --json
expect_eq "$(jq .cells "$T/out")" 34 "34 grid cells"
expect_eq "$(jq .pilot_units "$T/out")" 30 "30 pilot units"
units=$(jq .units "$T/out")
[ "$units" -ge 140 ] && [ "$units" -le 160 ] && ok "about 150 units ($units)" || fail "about 150 units ($units)"
expect_eq "$(jq '.accounts | length' "$T/out")" 8 "one account per role, and auditor2"
expect_eq "$(jq -r '[.accounts[].role] | unique | length' "$T/out")" 7 "all seven roles"
expect_eq "$(jq -r '.accounts[7] | "\(.username) \(.role)"' "$T/out")" "auditor2 auditor" \
    "auditor2 is an internal auditor"
expect_eq "$(jq -c .audits "$T/out")" '{"projects":3,"rectifications":5,"overdue":1}' \
    "the summary counts the audits, the rectification items and the one overdue"
# The audit workflow: a closed earlier audit, a cross audit in rectification, a self-check in the field
# (not counting the standing ledger that takes the supervision visit's finding, issue 14 §2).
expect_eq "$(sqlite3 "$T/d1.db" "SELECT group_concat(ks, ',') FROM (SELECT kind || ':' || stage AS ks FROM audit_project WHERE id NOT IN (SELECT project_id FROM xa_assignment WHERE project_id IS NOT NULL) AND standing IS NULL ORDER BY id)")" \
    "special:closed,cross:rectify,self_check:field" "three audit projects, one per phase"
expect_eq "$(sqlite3 "$T/d1.db" "SELECT group_concat(state, ',') FROM (SELECT state FROM rectification \
    WHERE project_id = (SELECT id FROM audit_project WHERE kind = 'cross') ORDER BY state)")" \
    "claimed,closed,in_progress,open" "the cross audit's items: claimed, closed, in progress, overdue"
expect_eq "$(sqlite3 "$T/d1.db" "SELECT COUNT(*) FROM finding WHERE repeat_of IS NOT NULL")" 1 "one 屡审屡犯 finding"
expect_eq "$(sqlite3 "$T/d1.db" "SELECT COUNT(*) FROM notification WHERE kind = 'overdue'")" 2 \
    "the overdue item is escalated to the leader and the supervisor"
expect_eq "$(find "$T/d1.db.files" -type f | wc -l)" "$(sqlite3 "$T/d1.db" "SELECT COUNT(DISTINCT sha256) FROM attachment")" \
    "the evidence files are stored beside the database"
expect_eq "$(jq '.ledgers.ledger_lines' "$T/out")" 30000 "the pilot units' ledgers are imported"
expect_eq "$(ls "$T"/ledgers/*-2024.csv | wc -l)" 30 "one 2024 ledger file per pilot unit beside the database"
[ -f "$T/ledgers/ground_truth.csv" ] && ok "the ground truth is written beside the ledgers" || fail "ground_truth.csv"
"$AG" --db "$T/d1.db" unit list --pilot --json >"$T/p1.json"
expect_eq "$(jq length "$T/p1.json")" 30 "unit list --pilot --json lists the 30"
expect_eq "$(jq '[.[] | select(.principal == null)] | length' "$T/p1.json")" 0 "every pilot unit has a principal leader"
expect_eq "$(jq '[.[] | select((.auditors | length) < 1 or (.auditors | length) > 3)] | length' "$T/p1.json")" 0 \
    "every pilot unit has 1-3 internal auditors"
"$AG" --db "$T/d1.db" grid show --json >"$T/g.json"
expect_eq "$(jq '[.cells[] | select(.kind == "street")] | length' "$T/g.json")" 12 "12 street cells"
expect_eq "$(jq -r '[.cells[] | select(.kind == "street") | .name] | join(",")' "$T/g.json")" \
    "长虹街道,鼓楼街道,兴南街道,广开街道,万兴街道,学府街道,向阳路街道,嘉陵道街道,王顶堤街道,水上公园街道,体育中心街道,华苑街道" \
    "the 12 streets of 南开区"
expect_eq "$(jq -r .district.code "$T/g.json")" 120104 "division code 120104"
# Every credit code in the demo passes the same check the CLI applies.
"$AG" --db "$T/d1.db" unit list --json | jq -r '.[].code' >"$T/codes"
"$AG" --db "$T/chk.db" init >/dev/null
bad=0
while read -r code; do
    "$AG" --db "$T/chk.db" unit add --code "$code" --name x --type 事业 >/dev/null 2>&1 || bad=$((bad + 1))
done <"$T/codes"
expect_eq "$bad" 0 "every demo credit code is valid"
expect_exit 0 "the demo's audit log verifies" "$AG" --db "$T/d1.db" audit-log verify
pilot=$(jq -r '.[0].code' "$T/p1.json")
expect_exit 0 "a pilot unit has books" "$AG" --db "$T/d1.db" ledger show --unit "$pilot" --json
expect_eq "$(jq -r '[.[].year] | join(",")' "$T/out")" "2024,2025" "two fiscal years of books"
# Determinism.
"$AG" --db "$T/d2.db" demo --seed 7 --lines 30000 --no-serve >/dev/null 2>&1
"$AG" --db "$T/d2.db" unit list --json >"$T/u2.json"
"$AG" --db "$T/d1.db" unit list --json >"$T/u1.json"
if cmp -s "$T/u1.json" "$T/u2.json"; then ok "the same seed gives the same district"; else fail "the same seed gives the same district"; fi
"$AG" --db "$T/d3.db" demo --seed 8 --lines 0 --no-serve >/dev/null 2>&1
"$AG" --db "$T/d3.db" unit list --json >"$T/u3.json"
if cmp -s "$T/u1.json" "$T/u3.json"; then fail "another seed gives another district"; else ok "another seed gives another district"; fi
expect_exit 3 "demo refuses to overwrite an existing database" "$AG" --db "$T/d1.db" demo --lines 0 --no-serve
expect_exit 0 "demo --force replaces it" "$AG" --db "$T/d1.db" demo --force --no-serve --seed 7 --lines 0
finish
