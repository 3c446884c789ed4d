#!/usr/bin/env bash
# t0220: SOE chief auditors, internal-audit bodies and training from the command line (issue 14 §3–§4).
. "$(dirname "$0")/lib.sh"
DB="$T/d.db"
expect_exit 0 "the demo district builds" "$AG" --db "$DB" demo --seed 7 --lines 0 --no-serve --json
q() { sqlite3 "$DB" "$1"; }

# §3 chief auditors: every SOE group but one has one in the demo.
expect_exit 0 "soe chief-auditor list" "$AG" --db "$DB" --json soe chief-auditor list
expect_eq "$(jq length "$T/out")" "$(q "SELECT COUNT(*) FROM unit u WHERE type = '国企' AND (parent_code IS NULL OR parent_code NOT IN (SELECT code FROM unit WHERE type = '国企'))")" \
    "every district SOE group is listed, subsidiaries are not"
expect_eq "$(jq '[.[] | select(.chief_auditor == null)] | length' "$T/out")" 1 "one group has no chief auditor"
G=$(jq -r '[.[] | select(.chief_auditor == null)][0].code' "$T/out")
P=$(q "SELECT person_id FROM unit_subject WHERE unit_code = '$G' AND role = 'principal'")
OTHER=$(q "SELECT id FROM person WHERE unit_code <> '$G' AND unit_code IS NOT NULL LIMIT 1")
expect_exit 2 "set without the document number is a usage error" \
    "$AG" --db "$DB" soe chief-auditor set --group "$G" --person "$P" --date 2026-03-01
expect_exit 3 "a person of another unit is refused" \
    "$AG" --db "$DB" soe chief-auditor set --group "$G" --person "$OTHER" --date 2026-03-01 --doc 南开国资任〔2026〕9号
expect_grep "person" "$T/err" "the refusal names the person field"
SUB=$(q "SELECT code FROM unit WHERE parent_code IS NOT NULL AND type = '国企' LIMIT 1")
expect_exit 3 "a subsidiary is no group" \
    "$AG" --db "$DB" soe chief-auditor set --group "$SUB" --person "$P" --date 2026-03-01 --doc x
expect_exit 0 "the missing group registers its chief auditor" \
    "$AG" --db "$DB" --json soe chief-auditor set --group "$G" --person "$P" --date 2026-03-01 --doc 南开国资任〔2026〕9号
expect_eq "$(jq -r .chief_auditor.doc_no "$T/out")" "南开国资任〔2026〕9号" "the document number is kept"
expect_eq "$(q "SELECT COUNT(*) FROM unit_subject WHERE unit_code = '$G' AND role = 'chief_auditor'")" 1 \
    "the person became the group's chief auditor"
"$AG" --db "$DB" --json soe chief-auditor list >"$T/l.json"
expect_eq "$(jq '[.[] | select(.chief_auditor == null)] | length' "$T/l.json")" 0 "no group is left without"
expect_exit 0 "the quarterly report goes to the state-assets cell" \
    "$AG" --db "$DB" --json soe quarterly --group "$G" --period 2026Q3 --title 三季度工作报告 --body 正文
expect_eq "$(q "SELECT kind || ' ' || to_cell FROM submission WHERE id = $(jq .id "$T/out")")" "soe_quarterly D22" \
    "a submission of kind soe_quarterly to 区国资委"
expect_exit 3 "a quarter is YYYYQn" "$AG" --db "$DB" soe quarterly --group "$G" --period 2026-3 --title x

# §4 internal-audit bodies.
expect_exit 0 "iabody missing" "$AG" --db "$DB" --json iabody missing
expect_eq "$(jq '.units == .complete + .incomplete' "$T/out")" true "complete and incomplete add up"
expect_eq "$(jq '.items | length' "$T/out")" "$(jq .incomplete "$T/out")" "every incomplete unit is listed"
U=$(jq -r '[.items[] | select(.missing | index("supervisor"))][0].code' "$T/out")
before=$(jq .counts.supervisor "$T/out")
UP=$(q "SELECT person_id FROM unit_subject WHERE unit_code = '$U' AND role = 'principal'")
UA=$(q "SELECT person_id FROM unit_subject WHERE unit_code = '$U' AND role = 'auditor' LIMIT 1")
expect_exit 0 "iabody set records a body, its leader and group" \
    "$AG" --db "$DB" --json iabody set --unit "$U" --independent yes --name 审计科 --supervisor "$UP" --leader "$UP" --audit "$UA"
expect_eq "$(jq -c .missing "$T/out")" '["discipline","personnel","finance"]' "the show names the places still empty"
"$AG" --db "$DB" --json iabody missing >"$T/m.json"
expect_exit 0 "iabody show, as text" "$AG" --db "$DB" iabody show --unit "$U"
expect_grep '缺少 missing: 纪检监察成员、组织人事成员、财务管理成员 (discipline, personnel, finance)' "$T/out" \
    "the text names the empty places in Chinese"
expect_eq "$(jq .counts.supervisor "$T/m.json")" "$((before - 1))" "one unit fewer lacks a supervising leader"
FAR=$(q "SELECT id FROM person WHERE unit_code IS NOT NULL AND unit_code <> '$U' LIMIT 1")
expect_exit 3 "a member of another unit is refused" \
    "$AG" --db "$DB" iabody set --unit "$U" --independent no --leader "$FAR"
expect_grep "members" "$T/err" "the refusal names the members field"
expect_exit 2 "--independent is yes or no" "$AG" --db "$DB" iabody set --unit "$U" --independent maybe
expect_exit 0 "iabody show" "$AG" --db "$DB" iabody show --unit "$U"
expect_grep "审计科" "$T/out" "the body's name is shown"

# §4 training: hours per calendar year.
expect_exit 0 "training add with attendees" \
    "$AG" --db "$DB" --json training add --date 2026-10-15 --topic 内控评价实务 --system 教育 --hours 2.5 --attendees "$UA"
S=$(jq .id "$T/out")
expect_exit 0 "training add in 2025" \
    "$AG" --db "$DB" training add --date 2025-12-31 --topic 年终培训 --system 财政 --hours 3 --attendees "$UA"
base=$(q "SELECT COALESCE(SUM(s.hours_tenths), 0) FROM training_attendance a JOIN training_session s ON s.id = a.session_id WHERE a.person_id = $UA AND s.held_on LIKE '2026-%'")
expect_exit 0 "training hours --person" "$AG" --db "$DB" --json training hours --year 2026 --person "$UA"
expect_eq "$(jq -r .hours "$T/out")" "$(awk -v t="$base" 'BEGIN { if (t % 10) printf "%d.%d", t / 10, t % 10; else printf "%d", t / 10 }')" \
    "the 2026 hours are the sessions of 2026 only"
expect_exit 3 "a score at a plain session is refused" \
    "$AG" --db "$DB" training attend --session "$S" --persons "$UA:90"
expect_exit 3 "an impossible date is refused" \
    "$AG" --db "$DB" training add --date 2026-02-30 --topic x --system 教育 --hours 1
expect_exit 0 "training list --year 2026" "$AG" --db "$DB" --json training list --year 2026
expect_eq "$(jq '[.[] | select(.competition)] | length' "$T/out")" 1 "the demo has one skills competition"
expect_eq "$(jq '[.[] | select(.competition) | .attendance[] | select(.score == null)] | length' "$T/out")" 0 \
    "everybody at the competition has a score"
expect_exit 0 "the audit log is intact" "$AG" --db "$DB" audit-log verify
finish
