#!/usr/bin/env bash
# t0260: the four reports (issue 16) on the demo district: each kind drafted from the data, shown,
# a section edited from a file (a stale base refused), exported as DOCX (its document.xml carries
# the title), HTML and PDF (pdftotext, when LibreOffice is installed); filed, returned with a
# comment, edited and refiled, accepted, every version kept; the score and the reviewer's
# points; the bureau's queue; the risk ranking's order and arithmetic and its weights; the
# deadlines; the reminders under a controlled clock; refusals in Chinese and English with their
# exit codes. Then the API through the real server: drafting, a section saved on a stale base
# (409), filing, the review, the score, the exports' headers, the settings and who may do what.
. "$(dirname "$0")/serve_lib.sh"
DB="$T/r.db"
export AG_TODAY=2026-12-07
"$AG" --db "$DB" demo --lines 0 --no-serve >"$T/demo.out" 2>&1 || { cat "$T/demo.out"; exit 1; }
ag() { "$AG" --db "$DB" "$@"; }
A=12120104MBKX0792XX # the demo leader's unit
AN=$(sq "$DB" "SELECT name FROM unit WHERE code = '$A'")
# Subjects no demo report takes: A's 2027 plan and 2026 summary, a project with findings (the most)
# without an audit report, another without a rectification report.
P=$(sq "$DB" "SELECT p.id FROM audit_project p WHERE NOT EXISTS (SELECT 1 FROM report r WHERE r.kind = 'audit' AND r.project_id = p.id) ORDER BY (SELECT COUNT(*) FROM finding f WHERE f.project_id = p.id) DESC, p.id LIMIT 1")
R=$(sq "$DB" "SELECT p.id FROM audit_project p WHERE p.id <> $P AND NOT EXISTS (SELECT 1 FROM report r WHERE r.kind = 'rectification' AND r.project_id = p.id) ORDER BY (SELECT COUNT(*) FROM finding f WHERE f.project_id = p.id) DESC, p.id LIMIT 1")
NF=$(sq "$DB" "SELECT COUNT(*) FROM finding WHERE project_id = $P")
before=$(sq "$DB" "SELECT COUNT(*) FROM report")

# ---- drafting each kind ---------------------------------------------------------------------
expect_exit 0 "draft a plan" ag --json report draft --kind plan --unit "$A" --year 2027
PLAN=$(jq .id "$T/out")
expect_eq "$(jq -r '[.kind, .state, .version, .unit_code, .year, .content.format, .content.kind] | join("|")' "$T/out")" \
    "plan|draft|1|$A|2027|auditgrid-report/1|plan" "a draft plan, version 1, its content document"
expect_eq "$(jq -r '[.content.sections[].key] | join(",")' "$T/out")" "basis,risk,projects,resources,measures" \
    "the plan's sections"
expect_eq "$(jq '[.content.sections[] | select(.key == "projects") | .blocks[] | select(.type == "item")] | length > 0' "$T/out")" true \
    "the plan proposes projects"
expect_eq "$(jq -r '.kind_zh' "$T/out")" "年度内部审计计划" "the kind in Chinese"
expect_exit 0 "draft an audit report" ag --json report draft --kind audit --project "$P"
AUD=$(jq .id "$T/out")
expect_eq "$(jq -r '[.kind, .project_id, .state] | join("|")' "$T/out")" "audit|$P|draft" "an audit report of the project"
expect_eq "$(jq -r '[.content.sections[].key] | join(",")' "$T/out")" "basics,scope,opinion,findings,handling,response" \
    "the audit report's sections"
expect_eq "$(jq '[.content.sections[] | select(.key == "findings") | .blocks[] | select(.type == "item" and .ref.kind == "finding")] | length' "$T/out")" "$NF" \
    "one item per finding of the project"
expect_eq "$(jq -r '.content.sections[] | select(.key == "basics") | .blocks[] | select(.type == "item") | .ref.kind' "$T/out" | head -1)" unit \
    "the basics name the unit"
TITLE=$(jq -r .content.title "$T/out")
[ -n "$TITLE" ] && ok "a title ($TITLE)" || fail "no title"
expect_exit 0 "draft a rectification report" ag --json report draft --kind rectification --project "$R"
RECT=$(jq .id "$T/out")
expect_eq "$(jq -r '[.content.sections[].key] | join(",")' "$T/out")" "summary,items,open,next" "the rectification report's sections"
expect_exit 0 "draft a work summary" ag --json report draft --kind summary --unit "$A" --year 2026
SUM=$(jq .id "$T/out")
expect_eq "$(jq -r '[.content.sections[].key] | join(",")' "$T/out")" "plan_exec,findings,amounts,rect,system,next" \
    "the summary's sections"
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM report")" $((before + 4)) "four reports more"
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM audit_log WHERE tbl = 'report' AND action = 'insert'")" \
    "$(sq "$DB" "SELECT COUNT(*) FROM report")" "each audit-logged"
expect_exit 0 "show in words" ag report show --id "$AUD"
expect_grep "审计报告 #$AUD" "$T/out" "the kind in Chinese"
expect_grep "草稿" "$T/out" "the state in Chinese"
expect_grep "被审计单位书面意见" "$T/out" "the sections by heading"
expect_exit 0 "show the plan" ag report show --id "$PLAN"
expect_grep "$AN" "$T/out" "the unit by name"
expect_grep "2027 年度" "$T/out" "and the year"

# Refusals of drafting.
expect_exit 3 "the same plan again" ag report draft --kind plan --unit "$A" --year 2027
expect_grep "$PLAN" "$T/err" "names the existing report"
grep -q "错误" "$T/err" && grep -q "error" "$T/err" && ok "in Chinese and English" || fail "languages: $(cat "$T/err")"
expect_exit 2 "an unknown kind" ag report draft --kind memo --unit "$A" --year 2027
expect_grep "plan" "$T/err" "lists the kinds"
expect_exit 2 "an audit report without a project" ag report draft --kind audit --unit "$A" --year 2027
expect_grep "project" "$T/err" "asks for --project"
expect_exit 2 "a plan with a project" ag report draft --kind plan --project "$P"
expect_exit 2 "a year out of range" ag report draft --kind plan --unit "$A" --year 1999
expect_exit 3 "an unknown project" ag report draft --kind audit --project 99999
expect_grep "不存在" "$T/err" "in Chinese"
expect_exit 3 "an unknown unit" ag report draft --kind summary --unit 12120104MB0000000X --year 2026
expect_exit 3 "an unknown report" ag report show --id 99999
expect_exit 2 "a report id of junk" ag report show --id abc

# ---- a section edited from a file -----------------------------------------------------------
cat >"$T/resp.json" <<'EOF'
[{"type":"p","text":"被审计单位对审计报告反映的问题无异议，将于规定期限内整改到位。"},
 {"type":"p","text":"单位负责人：张明"}]
EOF
expect_exit 0 "edit the response" ag --json report edit --id "$AUD" --section response --file "$T/resp.json" --base 1
expect_eq "$(jq -r '[.version, (.content.sections[] | select(.key == "response") | .blocks[0].text)] | join("|")' "$T/out")" \
    "2|被审计单位对审计报告反映的问题无异议，将于规定期限内整改到位。" "version 2 with the new text"
expect_exit 3 "an edit on a stale base" ag report edit --id "$AUD" --section response --file "$T/resp.json" --base 1
expect_grep "已被" "$T/err" "says it was changed (zh)"
expect_grep "\-\-base" "$T/err" "names --base"
echo '[{"type":"marquee","text":"x"}]' >"$T/bad.json"
expect_exit 3 "a block of an unknown type" ag report edit --id "$AUD" --section response --file "$T/bad.json"
expect_grep "type" "$T/err" "names the field"
expect_exit 3 "an unknown section" ag report edit --id "$AUD" --section preface --file "$T/resp.json"
echo '{"blocks": nope' >"$T/junk.json"
expect_exit 3 "a file that is no JSON" ag report edit --id "$AUD" --section response --file "$T/junk.json"
expect_grep "第 1 行" "$T/err" "names the line"
expect_exit 3 "a missing file" ag report edit --id "$AUD" --section response --file "$T/none.json"
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM report_version WHERE report_id = $AUD")" 2 "nothing written by the refusals"
echo '{"blocks":[{"type":"p","text":"本次审计依据《审计法》《审计署关于内部审计工作的规定》。"}]}' >"$T/scope.json"
expect_exit 0 "an object with blocks" ag --json report edit --id "$AUD" --section scope --file "$T/scope.json"
expect_eq "$(jq .version "$T/out")" 3 "version 3"

# ---- exports --------------------------------------------------------------------------------
expect_exit 0 "export DOCX" ag report export --id "$AUD" --format docx --out "$T/a.docx"
expect_grep "已导出" "$T/out" "says so"
unzip -p "$T/a.docx" word/document.xml >"$T/doc.xml" 2>/dev/null
doctext=$(sed -e 's/<[^>]*>//g' "$T/doc.xml")
case "$doctext" in *"$TITLE"*) ok "document.xml carries the title" ;; *) fail "no title in document.xml" ;; esac
case "$doctext" in *"将于规定期限内整改到位"*) ok "and the edited response" ;; *) fail "no response text in document.xml" ;; esac
expect_exit 0 "export HTML" ag report export --id "$AUD" --format html --out "$T/a.html"
expect_grep "$TITLE" "$T/a.html" "the HTML carries the title"
expect_grep "<html" "$T/a.html" "a whole page"
expect_exit 0 "export version 1" ag report export --id "$AUD" --format html --out "$T/v1.html" --version 1
grep -q "将于规定期限内整改到位" "$T/v1.html" && fail "version 1 has the later text" || ok "version 1 has not the later text"
if command -v soffice >/dev/null 2>&1 || [ -x /usr/bin/soffice ]; then
    expect_exit 0 "export PDF" ag report export --id "$AUD" --format pdf --out "$T/a.pdf"
    if command -v pdftotext >/dev/null 2>&1; then
        pdftotext "$T/a.pdf" - 2>/dev/null | tr -d ' \n' >"$T/pdf.txt"
        grep -q "$(printf %s "$TITLE" | tr -d ' ')" "$T/pdf.txt" && ok "the PDF's text has the title" || fail "no title in the PDF's text"
    else
        ok "# skip: pdftotext missing"
    fi
else
    expect_exit 1 "PDF without LibreOffice" ag report export --id "$AUD" --format pdf --out "$T/a.pdf"
    expect_grep "libreoffice" "$T/err" "names the package"
fi
expect_exit 2 "an unknown format" ag report export --id "$AUD" --format odt --out "$T/a.odt"
expect_exit 3 "an unknown version" ag report export --id "$AUD" --format html --out "$T/v9.html" --version 9

# ---- filing, return, refiling, acceptance ---------------------------------------------------
expect_exit 0 "file" ag --json report file --id "$AUD"
expect_eq "$(jq -r '[.state, .filed_version, (.filed_at | length > 0)] | join("|")' "$T/out")" "filed|3|true" "filed, version 3 frozen"
expect_exit 3 "no edit once filed" ag report edit --id "$AUD" --section response --file "$T/resp.json"
expect_exit 3 "no second filing" ag report file --id "$AUD"
expect_exit 3 "a return needs a comment" ag report review --id "$AUD" --return
expect_grep "意见" "$T/err" "in Chinese"
expect_grep "comment" "$T/err" "and in English"
expect_exit 2 "accept and return at once" ag report review --id "$AUD" --accept --return
expect_exit 2 "neither" ag report review --id "$AUD" --comment x
expect_exit 0 "return with a comment" ag --json report review --id "$AUD" --return --comment "问题定性依据不足，请补充法规条款"
expect_eq "$(jq -r '[.state, (.comments | map(select(.action == "return")) | .[0].comment)] | join("|")' "$T/out")" \
    "returned|问题定性依据不足，请补充法规条款" "returned with the comment"
expect_exit 0 "edit the returned report" ag --json report edit --id "$AUD" --section response --file "$T/resp.json" --base 3
expect_eq "$(jq .version "$T/out")" 4 "version 4"
expect_exit 0 "refile" ag --json report file --id "$AUD"
expect_eq "$(jq -r '[.state, .filed_version] | join("|")' "$T/out")" "filed|4" "refiled with version 4"
expect_exit 0 "accept" ag --json report review --id "$AUD" --accept --comment "同意备案"
expect_eq "$(jq -r .state "$T/out")" accepted "accepted"
expect_exit 3 "nothing more to review" ag report review --id "$AUD" --accept
expect_exit 0 "show --json" ag --json report show --id "$AUD"
expect_eq "$(jq -r '[.versions[].version] | join(",")' "$T/out")" "4,3,2,1" "every version kept, newest first"
expect_eq "$(jq -r '[.versions[] | select(.filed) | .version] | join(",")' "$T/out")" "4,3" "the filed ones marked"
expect_eq "$(jq -r '[.comments[] | .action] | map(select(. == "return" or . == "accept")) | sort | join(",")' "$T/out")" "accept,return" \
    "the return and the acceptance in the comments"
expect_exit 0 "show in words" ag report show --id "$AUD"
expect_grep "已采纳" "$T/out" "accepted in Chinese"
expect_grep "退回" "$T/out" "the return in the comments"
expect_grep "问题定性依据不足" "$T/out" "with its text"
expect_grep "第 4 版" "$T/out" "the versions"
[ "$(sq "$DB" "SELECT COUNT(*) FROM audit_log WHERE tbl LIKE 'report%' AND action IN ('insert', 'update')")" -ge 8 ] &&
    ok "the versions and states audit-logged" || fail "too few report audit-log entries"

# ---- the score ------------------------------------------------------------------------------
expect_exit 0 "score --json" ag --json report score --id "$AUD"
expect_eq "$(jq -r '[.criteria[].code] | join(",")' "$T/out")" "completeness,basics,opinion,facts,characterisation,recommendation,use" \
    "the seven criteria of an audit report"
expect_eq "$(jq '(.total | type) == "number" and .total >= 0 and .total <= 100' "$T/out")" true "a total of 0–100"
expect_eq "$(jq -r '.criteria[] | select(.code == "opinion") | .points' "$T/out")" null "the opinion waits for the reviewer"
expect_exit 0 "score --set" ag --json report score --id "$AUD" --set opinion=12
expect_eq "$(jq -r '.criteria[] | select(.code == "opinion") | "\(.points)|\(.auto)|\(.by != null)"' "$T/out")" "12|false|true" \
    "the reviewer's points"
expect_exit 0 "score in words" ag report score --id "$AUD"
expect_grep "评价意见" "$T/out" "the criteria in Chinese"
expect_exit 3 "points over the maximum" ag report score --id "$AUD" --set opinion=16
expect_exit 3 "an unknown criterion" ag report score --id "$AUD" --set style=3
expect_exit 2 "points of junk" ag report score --id "$AUD" --set opinion=abc
expect_exit 0 "the plan's score" ag --json report score --id "$PLAN"
expect_eq "$(jq '[.criteria[].code] | index("facts")' "$T/out")" null "no fact criterion for a plan"

# ---- lists and the bureau's queue -----------------------------------------------------------
expect_exit 0 "file the plan" ag report file --id "$PLAN"
expect_exit 0 "list --queue" ag --json report list --queue
expect_eq "$(jq '[.items[] | select(.state != "filed")] | length' "$T/out")" 0 "only filed reports in the queue"
expect_eq "$(jq --argjson id "$PLAN" '[.items[] | select(.id == $id)] | length' "$T/out")" 1 "the plan in it"
expect_eq "$(jq '[.items[] | has("content") or has("versions")] | any' "$T/out")" false "list items without content"
expect_exit 0 "list --kind audit" ag --json report list --kind audit --unit "$(sq "$DB" "SELECT unit_code FROM audit_project WHERE id = $P")"
expect_eq "$(jq -r --argjson id "$AUD" '[.items[] | select(.id == $id) | .score_total | type] | join(",")' "$T/out")" number "with its score"
expect_exit 0 "list --year 2027" ag --json report list --year 2027 --kind plan
expect_eq "$(jq -r '[.items[].year] | unique | join(",")' "$T/out")" 2027 "the year's"
expect_exit 0 "list in words" ag report list --state draft
expect_grep "草稿" "$T/out" "the state in Chinese"
expect_grep "份报告" "$T/out" "the count"
expect_exit 2 "a state of junk" ag report list --state lost
expect_exit 2 "a kind of junk" ag report list --kind memo

# ---- the risk ranking and its weights -------------------------------------------------------
expect_exit 0 "risk --json" ag --json report risk --unit "$A" --year 2027
cp "$T/out" "$T/risk.json"
expect_eq "$(jq -r '[.unit_code, .year, (.basis | IN("units", "areas")), (.factors | length)] | join("|")' "$T/out")" "$A|2027|true|6" \
    "the unit, the year, the basis, six factors"
expect_eq "$(jq '[.entries[].rank] == [range(1; (.entries | length) + 1)]' "$T/out")" true "ranks 1..n"
expect_eq "$(jq '[.entries[].score] as $s | [range(1; $s | length) | select($s[.] > $s[. - 1])] | length' "$T/out")" 0 \
    "ordered by score, highest first"
expect_eq "$(jq '.entries[0] as $e | ([.factors[] | . as $f | $e.factors[$f.code] | select(.norm != null) | .points] | add) as $p |
    ([.factors[] | . as $f | select($e.factors[$f.code].norm != null) | .weight] | add) as $w |
    (($p / $w * 100) - $e.score) | fabs < 0.02' "$T/out")" true "the first score is Σ points / Σ weights × 100"
expect_eq "$(jq '[.entries[] | .factors[] | select(.norm != null) | (.norm >= 0 and .norm <= 1)] | all' "$T/out")" true "norms within 0–1"
expect_exit 0 "risk in words" ag report risk --unit "$A" --year 2027
expect_grep "风险分" "$T/out" "in Chinese"
expect_exit 0 "weights" ag --json report weights
expect_eq "$(jq -r '[.weights.warnings, .weights.findings, .weights.repeat, .weights.grade, .weights.years, .weights.funds] | join(",")' "$T/out")" \
    "25,20,10,15,15,15" "the default weights"
expect_exit 0 "weights --set" ag --json report weights --set warnings=50,funds=0
expect_eq "$(jq -r '[.weights.warnings, .weights.funds] | join(",")' "$T/out")" "50,0" "set"
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM audit_log WHERE action IN ('insert', 'update') AND row_key LIKE 'report_risk_%'")" 2 "audit-logged"
expect_exit 0 "the ranking under the new weights" ag --json report risk --unit "$A" --year 2027
expect_eq "$(jq -r '[.weights.warnings, (.factors[] | select(.code == "funds") | .weight)] | join(",")' "$T/out")" "50,0" "takes them"
expect_exit 3 "an unknown factor" ag report weights --set luck=5
expect_exit 3 "a weight over 100" ag report weights --set warnings=101
expect_exit 2 "a weight of junk" ag report weights --set warnings=lots
expect_exit 0 "weights in words" ag report weights
expect_grep "默认 25" "$T/out" "with the defaults"

# ---- deadlines and reminders ----------------------------------------------------------------
expect_exit 0 "deadlines" ag --json report deadlines
expect_eq "$(jq -r '[.plan_due, .summary_due, .audit_days, .rect_days] | join("|")' "$T/out")" "01-31|01-31|30|60" "the defaults"
expect_exit 0 "deadlines --set" ag --json report deadlines --set plan_due=02-15,audit_days=20
expect_eq "$(jq -r '[.plan_due, .summary_due, .audit_days, .rect_days] | join("|")' "$T/out")" "02-15|01-31|20|60" "set"
expect_exit 0 "the plan's due day follows" ag --json report show --id "$PLAN"
expect_eq "$(jq -r .due "$T/out")" 2027-02-15 "due 2027-02-15"
expect_exit 3 "a day that does not exist" ag report deadlines --set plan_due=02-30
expect_exit 3 "days out of range" ag report deadlines --set rect_days=0
expect_exit 2 "junk" ag report deadlines --set plan_due
expect_exit 0 "deadlines in words" ag report deadlines
expect_grep "年度内部审计计划" "$T/out" "in Chinese"
expect_exit 0 "remind before the plans' due day" env AG_TODAY=2027-02-10 "$AG" --db "$DB" --json report remind
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM notification WHERE report_due = '2027-02-15'")" 0 "no notice of a 2027 plan before 2027-02-15"
expect_exit 0 "reminders after the due day" env AG_TODAY=2027-02-20 "$AG" --db "$DB" --json report remind
n=$(jq .reminded "$T/out")
late=$(sq "$DB" "SELECT COUNT(*) FROM notification WHERE report_due = '2027-02-15'")
[ "$n" -gt 0 ] && [ "$late" -gt 0 ] && [ "$late" -le "$n" ] && ok "notices of the late 2027 plans ($late of $n)" || fail "reminders: $n, plans $late"
expect_eq "$(sq "$DB" "SELECT COUNT(*) FROM notification WHERE report_due = '2027-02-15' AND unit_code = '$A' AND report_id = $PLAN")" 0 \
    "none for the plan filed in time"
expect_exit 0 "idempotent" env AG_TODAY=2027-02-20 "$AG" --db "$DB" --json report remind
expect_eq "$(jq .reminded "$T/out")" 0 "nothing twice"
expect_exit 0 "remind in words" env AG_TODAY=2027-02-21 "$AG" --db "$DB" report remind
expect_grep "提醒" "$T/out" "in Chinese"
[ "$(sq "$DB" "SELECT COUNT(*) FROM notification WHERE report_due IS NOT NULL")" -ge "$n" ] && ok "the notices written" || fail "no notices"
expect_exit 0 "help" ag help report draft
expect_grep "年度内部审计计划" "$T/out" "the kinds in the help"

# ---- the API --------------------------------------------------------------------------------
start_server "$DB"
J=(-H 'Content-Type: application/json')
for u in admin leader reviewer auditor2; do login $u || fail "$u signs in"; done
B=$(sq "$DB" "SELECT u.code FROM unit u WHERE u.pilot = 1 AND u.code <> '$A' AND NOT EXISTS (SELECT 1 FROM report r WHERE r.kind = 'summary' AND r.unit_code = u.code AND r.year = 2026) ORDER BY u.code LIMIT 1")
expect_status 200 "the list" admin GET /api/v1/reports
expect_eq "$(body_json .total)" "$(sq "$DB" "SELECT COUNT(*) FROM report")" "every report for the bureau"
expect_status 200 "the leader's list" leader GET "/api/v1/reports?per_page=500"
expect_eq "$(body_json "[.items[] | select(.unit_code != \"$A\")] | length")" 0 "its own unit's only"
expect_status 200 "the queue" admin GET "/api/v1/reports?queue=1"
expect_eq "$(body_json '[.items[] | select(.state != "filed")] | length')" 0 "filed ones only"
expect_status 400 "a kind of junk" admin GET "/api/v1/reports?kind=memo"
expect_status 201 "draft a summary" admin POST /api/v1/reports "${J[@]}" -d "{\"kind\":\"summary\",\"unit_code\":\"$B\",\"year\":2026}"
ID=$(body_json .id)
expect_eq "$(body_json '[.kind, .state, .version, .editable] | join("|")')" "summary|draft|1|true" "a draft, editable"
expect_status 409 "the same again" admin POST /api/v1/reports "${J[@]}" -d "{\"kind\":\"summary\",\"unit_code\":\"$B\",\"year\":2026}"
expect_status 422 "an audit report without a project" admin POST /api/v1/reports "${J[@]}" -d '{"kind":"audit"}'
expect_eq "$(body_json .error.where)" project_id "names project_id"
expect_status 404 "the leader drafts for another unit" leader POST /api/v1/reports "${J[@]}" -d "{\"kind\":\"plan\",\"unit_code\":\"$B\",\"year\":2028}"
expect_status 403 "a reviewer drafts nothing" reviewer POST /api/v1/reports "${J[@]}" -d "{\"kind\":\"plan\",\"unit_code\":\"$A\",\"year\":2028}"
expect_status 201 "the leader drafts its own plan" leader POST /api/v1/reports "${J[@]}" -d "{\"kind\":\"plan\",\"unit_code\":\"$A\",\"year\":2028}"
LP=$(body_json .id)
expect_status 200 "the report" reviewer GET "/api/v1/reports/$ID"
expect_eq "$(body_json '[.kind_zh, .state_zh, (.content.sections | length)] | join("|")')" "年度内部审计工作总结|草稿|6" "named in Chinese"
expect_status 404 "another unit's report" leader GET "/api/v1/reports/$ID"
expect_status 404 "no such report" admin GET /api/v1/reports/99999
expect_status 200 "save a section" admin PUT "/api/v1/reports/$ID/sections/next" "${J[@]}" \
    -d '{"blocks":[{"type":"p","text":"下一年度重点开展经济责任审计和专项资金审计。"}],"base_version":1}'
expect_eq "$(body_json '[.version, (.content.sections[] | select(.key == "next") | .blocks[0].text)] | join("|")')" \
    "2|下一年度重点开展经济责任审计和专项资金审计。" "version 2"
expect_status 409 "a stale base_version" admin PUT "/api/v1/reports/$ID/sections/next" "${J[@]}" \
    -d '{"blocks":[{"type":"p","text":"旧稿"}],"base_version":1}'
expect_eq "$(body_json .error.code)" conflict "a conflict"
[ -n "$(body_json .error.message)" ] && [ -n "$(body_json .error.message_en)" ] && ok "said in both languages" || fail "error: $(cat "$T/body")"
expect_status 422 "blocks of junk" admin PUT "/api/v1/reports/$ID/sections/next" "${J[@]}" -d '{"blocks":"x","base_version":2}'
expect_status 422 "an unknown field" admin PUT "/api/v1/reports/$ID/sections/next" "${J[@]}" -d '{"blocks":[],"base":2}'
expect_status 200 "version 1" admin GET "/api/v1/reports/$ID/versions/1"
expect_eq "$(body_json '[.report_id, .version, .filed, (.content.format)] | join("|")')" "$ID|1|false|auditgrid-report/1" "the version object"
expect_status 404 "no version 9" admin GET "/api/v1/reports/$ID/versions/9"
expect_status 200 "redraft" admin POST "/api/v1/reports/$ID/redraft"
expect_eq "$(body_json .version)" 3 "a new version from the data"
expect_status 200 "file" admin POST "/api/v1/reports/$ID/file" "${J[@]}" -d '{}'
expect_eq "$(body_json '[.state, .filed_version, .editable] | join("|")')" "filed|3|false" "filed"
expect_status 422 "no edit once filed" admin PUT "/api/v1/reports/$ID/sections/next" "${J[@]}" -d '{"blocks":[],"base_version":3}'
expect_status 403 "a reviewer does not decide" reviewer POST "/api/v1/reports/$ID/review" "${J[@]}" -d '{"action":"accept"}'
expect_status 422 "a return without a comment" admin POST "/api/v1/reports/$ID/review" "${J[@]}" -d '{"action":"return"}'
expect_eq "$(body_json .error.where)" comment "names comment"
expect_status 422 "an action of junk" admin POST "/api/v1/reports/$ID/review" "${J[@]}" -d '{"action":"maybe"}'
expect_status 200 "return" admin POST "/api/v1/reports/$ID/review" "${J[@]}" -d '{"action":"return","comment":"请补充挽回损失金额"}'
expect_eq "$(body_json '[.state, (.comments[] | select(.action == "return") | .comment)] | join("|")')" "returned|请补充挽回损失金额" "returned"
expect_status 200 "refile" admin POST "/api/v1/reports/$ID/file"
expect_status 200 "accept with points" admin POST "/api/v1/reports/$ID/review" "${J[@]}" \
    -d '{"action":"accept","comment":"同意","scores":{"opinion":13}}'
expect_eq "$(body_json '[.state, (.score.criteria[] | select(.code == "opinion") | .points)] | join("|")')" "accepted|13" "accepted, scored"
expect_status 200 "the score" leader GET "/api/v1/reports/$LP/score"
expect_eq "$(body_json '(.criteria | length) > 0 and (.total | type) == "number"')" true "a SCORE"
expect_status 403 "the leader does not score" leader PUT "/api/v1/reports/$LP/score" "${J[@]}" -d '{"scores":{"opinion":5}}'
expect_status 200 "the bureau scores" admin PUT "/api/v1/reports/$ID/score" "${J[@]}" -d '{"scores":{"opinion":14}}'
expect_eq "$(body_json '.criteria[] | select(.code == "opinion") | .points')" 14 "the new points"
expect_status 422 "points of junk" admin PUT "/api/v1/reports/$ID/score" "${J[@]}" -d '{"scores":{"opinion":"a lot"}}'
# The audited unit writes its response (征求意见) to an audit report, nothing else, and files nothing.
PA=$(sq "$DB" "SELECT p.id FROM audit_project p WHERE p.unit_code = '$A' AND NOT EXISTS (SELECT 1 FROM report r WHERE r.kind = 'audit' AND r.project_id = p.id) AND NOT EXISTS (SELECT 1 FROM audit_team t JOIN app_user u ON u.person_id = t.person_id WHERE t.project_id = p.id AND u.username = 'leader') ORDER BY p.id LIMIT 1")
if [ -n "$PA" ]; then
    expect_status 201 "the bureau drafts an audit report of the leader's unit" admin POST /api/v1/reports "${J[@]}" -d "{\"kind\":\"audit\",\"project_id\":$PA}"
    AR=$(body_json .id)
    expect_eq "$(body_json '.response_due | length')" 10 "the response is due on a day"
    expect_status 200 "the audited unit sees it" leader GET "/api/v1/reports/$AR"
    expect_eq "$(body_json '[.editable_sections[]] | join(",")')" response "it may edit the response only"
    expect_status 200 "it writes its response" leader PUT "/api/v1/reports/$AR/sections/response" "${J[@]}" \
        -d '{"blocks":[{"type":"p","text":"我单位对审计报告无异议。"}],"base_version":1}'
    expect_eq "$(body_json .version)" 2 "a new version"
    req leader PUT "/api/v1/reports/$AR/sections/findings" "${J[@]}" -d '{"blocks":[],"base_version":2}'
    case "$STATUS" in 403 | 422) ok "not the findings ($STATUS)" ;; *) fail "the findings: $STATUS" ;; esac
    req leader POST "/api/v1/reports/$AR/file"
    case "$STATUS" in 403 | 422) ok "and it does not file ($STATUS)" ;; *) fail "the audited unit filed: $STATUS" ;; esac
    expect_eq "$(sq "$DB" "SELECT state FROM report WHERE id = $AR")" draft "still a draft"
else
    ok "# skip: no project of the leader's unit without an audit report"
fi
# Exports.
expect_status 200 "DOCX" admin GET "/api/v1/reports/$ID/export?format=docx"
grep -qi "^content-type: application/vnd.openxmlformats-officedocument.wordprocessingml.document" "$T/headers" && ok "the DOCX type" || fail "type: $(grep -i content-type "$T/headers")"
grep -qi "^content-disposition: attachment;.*filename\*=UTF-8''" "$T/headers" && ok "an RFC 5987 file name" || fail "disposition: $(grep -i disposition "$T/headers")"
grep -qi "filename\*=UTF-8''%E5%B9%B4%E5%BA%A6" "$T/headers" && ok "the Chinese name (年度…)" || fail "name: $(grep -i disposition "$T/headers")"
[ "$(head -c 2 "$T/body")" = PK ] && ok "a zip" || fail "not a zip"
expect_status 200 "HTML" reviewer GET "/api/v1/reports/$ID/export?format=html&version=1"
grep -qi "^content-type: text/html" "$T/headers" && ok "the HTML type" || fail "type: $(grep -i content-type "$T/headers")"
grep -qi "^content-disposition: inline" "$T/headers" && ok "inline" || fail "disposition: $(grep -i disposition "$T/headers")"
expect_grep "<html" "$T/body" "a page"
req admin GET "/api/v1/reports/$ID/export?format=pdf"
case "$STATUS" in
200) grep -qi "^content-type: application/pdf" "$T/headers" && [ "$(head -c 4 "$T/body")" = "%PDF" ] && ok "a PDF" || fail "not a PDF" ;;
503) [ "$(body_json .error.code)" = unavailable ] && ok "no LibreOffice: 503 unavailable" || fail "503 of $(cat "$T/body")" ;;
*) fail "PDF status $STATUS" ;;
esac
expect_status 400 "a format of junk" admin GET "/api/v1/reports/$ID/export?format=odt"
expect_status 404 "another unit's export" leader GET "/api/v1/reports/$ID/export?format=html"
# The ranking, the settings, the reminders.
expect_status 200 "the risk ranking" leader GET "/api/v1/reports/risk?unit=$A&year=2027"
expect_eq "$(body_json '[.unit_code, (.entries | length > 0)] | join("|")')" "$A|true" "of the unit"
expect_status 404 "another unit's ranking" leader GET "/api/v1/reports/risk?unit=$B&year=2027"
expect_status 400 "a year of junk" admin GET "/api/v1/reports/risk?unit=$A&year=soon"
expect_status 200 "the weights" leader GET /api/v1/settings/report-weights
expect_eq "$(body_json '[.weights.warnings, (.factors | length)] | join("|")')" "50|6" "as set"
expect_status 403 "the leader sets no weights" leader PUT /api/v1/settings/report-weights "${J[@]}" -d '{"weights":{"warnings":10}}'
expect_status 200 "the bureau does" admin PUT /api/v1/settings/report-weights "${J[@]}" -d '{"weights":{"warnings":25,"funds":15}}'
expect_eq "$(body_json '[.weights.warnings, .weights.funds] | join(",")')" "25,15" "back to the defaults"
expect_status 422 "a weight of junk" admin PUT /api/v1/settings/report-weights "${J[@]}" -d '{"weights":{"warnings":"x"}}'
expect_status 200 "the deadlines" leader GET /api/v1/settings/report-deadlines
expect_eq "$(body_json .plan_due)" 02-15 "as set"
expect_status 200 "set the deadlines" admin PUT /api/v1/settings/report-deadlines "${J[@]}" -d '{"plan_due":"01-31","audit_days":30}'
expect_eq "$(body_json '[.plan_due, .audit_days] | join("|")')" "01-31|30" "set"
expect_status 422 "a deadline of junk" admin PUT /api/v1/settings/report-deadlines "${J[@]}" -d '{"plan_due":"13-01"}'
expect_status 403 "the leader sets no deadlines" leader PUT /api/v1/settings/report-deadlines "${J[@]}" -d '{"plan_due":"01-31"}'
expect_status 403 "the leader sends no reminders" leader POST /api/v1/reports/remind
expect_status 200 "the bureau does" admin POST /api/v1/reports/remind
expect_eq "$(body_json '.reminded | type')" number "{reminded: n}"
finish
