#!/usr/bin/env bash
# t0011: a cross audit from plan to closure from the command line: team, stage records, findings
# with evidence, the rectification ledger with an attachment, verification and closure, the XLSX
# ledger and closure certificate read back, overdue escalation on a controlled clock, a repeat
# offence in a second audit, and every refused step (wrong stage, missing record, bad input).
. "$(dirname "$0")/lib.sh"
DB="$T/a.db"
export AUDITGRID_NOW=2026-03-02
"$AG" --db "$DB" demo --lines 50000 --no-serve >"$T/demo.out" 2>&1 || { cat "$T/demo.out"; exit 1; }
ag() { "$AG" --db "$DB" "$@"; }
sq() { sqlite3 "$DB" "$1"; }
# The audited unit: a pilot unit with books, a principal and an internal auditor and no audit of
# the demo's; the team: two internal auditors of another unit who are on no team yet.
A=$(sq "SELECT u.code FROM unit u WHERE u.pilot = 1 AND u.cell_id IS NOT NULL
    AND u.code NOT IN (SELECT unit_code FROM audit_project WHERE id NOT IN (SELECT project_id FROM xa_assignment WHERE project_id IS NOT NULL))
    AND EXISTS (SELECT 1 FROM warning w WHERE w.unit_code = u.code)
    AND EXISTS (SELECT 1 FROM unit_subject s WHERE s.unit_code = u.code AND s.role = 'principal')
    AND EXISTS (SELECT 1 FROM unit_subject s WHERE s.unit_code = u.code AND s.role = 'auditor')
    ORDER BY u.code LIMIT 1")
cell=$(sq "SELECT cell_id FROM unit WHERE code='$A'")
B=$(sq "SELECT s.unit_code FROM unit_subject s WHERE s.role = 'auditor' AND s.unit_code <> '$A'
    AND s.person_id NOT IN (SELECT person_id FROM audit_team WHERE project_id NOT IN (SELECT project_id FROM xa_assignment WHERE project_id IS NOT NULL))
    GROUP BY s.unit_code HAVING COUNT(*) >= 2 ORDER BY s.unit_code LIMIT 1")
lead=$(sq "SELECT person_id FROM unit_subject WHERE unit_code='$B' AND role='auditor' ORDER BY person_id LIMIT 1")
member=$(sq "SELECT person_id FROM unit_subject WHERE unit_code='$B' AND role='auditor' ORDER BY person_id DESC LIMIT 1")
insider=$(sq "SELECT person_id FROM unit_subject WHERE unit_code='$A' AND role='auditor' LIMIT 1")
[ -n "$A" ] && [ -n "$lead" ] && [ "$lead" != "$member" ] && [ -n "$insider" ] || { echo "demo persons missing"; exit 1; }
seq0=$(sq "SELECT MAX(seq) FROM audit_log")
n_projects=$(sq "SELECT COUNT(*) FROM audit_project")

# 审前: the project, its team and the four records.
expect_exit 2 "audit create without --items is a usage error" ag audit create --name x --kind cross --unit $A --from 2025-01-01 --to 2025-12-31
expect_exit 3 "an unknown kind is refused" ag audit create --name x --kind audit --unit $A --from 2025-01-01 --to 2025-12-31 --items F03
expect_exit 3 "an item not in the catalog is refused" ag audit create --name x --kind cross --unit $A --from 2025-01-01 --to 2025-12-31 --items F99
expect_exit 3 "a period that ends before it starts is refused" ag audit create --name x --kind cross --unit $A --from 2025-12-31 --to 2025-01-01 --items F03
expect_eq "$(sq "SELECT COUNT(*) FROM audit_project")" "$n_projects" "refused projects leave nothing"
expect_exit 0 "audit create" ag --json audit create --name 2026年第一轮交叉互审 --kind cross --unit $A \
    --from 2025-01-01 --to 2025-12-31 --items F03,F10,K2
P=$(jq -r .id "$T/out")
P_CODE=$(jq -r .code "$T/out")
expect_eq "$(jq -r '[.stage, (.code|test("^SJ-2026-[0-9]{3}$")|tostring), (.items|join(","))] | join("|")' "$T/out")" \
    "pre|true|F03,F10,K2" "stage pre, a generated code, the scope"
expect_exit 0 "audit show names what is missing" ag audit show "$P"
expect_grep "尚未确定审计组组长" "$T/out" "no lead yet"
expect_exit 3 "in a cross audit nobody comes from the audited unit" ag audit team "$P" --person "$insider" --role lead
expect_grep "in a cross audit" "$T/err" "the refusal says why"
expect_exit 0 "the lead joins" ag audit team "$P" --person "$lead" --role lead
expect_exit 0 "a member joins" ag audit team "$P" --person "$member"
expect_exit 2 "audit team without an id" ag audit team --person "$member"
expect_exit 2 "audit team with a non-numeric id" ag audit team abc --person "$member"
expect_exit 3 "a working paper before fieldwork is the wrong stage" ag audit record "$P" --kind working_paper --title 底稿
expect_exit 3 "advancing without the records" ag audit advance "$P"
expect_grep "plan" "$T/err" "names the first missing record"
expect_exit 0 "plan" ag audit record "$P" --kind plan --title 审计实施方案
expect_exit 0 "plan approval" ag audit record "$P" --kind plan_approval --title 方案审批意见
expect_exit 0 "notice" ag audit record "$P" --kind notice --title 审计通知书 --doc-no 南审通〔2026〕12号
expect_exit 0 "survey" ag audit record "$P" --kind survey --title 审前调查记录
expect_grep "audit advance $P" "$T/out" "the stage is complete"
expect_exit 0 "advance to fieldwork" ag --json audit advance "$P"
expect_eq "$(jq -r .stage "$T/out")" field "stage field"

# 审中: working papers and findings with evidence.
expect_exit 3 "a finding outside the project's items" ag audit finding "$P" --item F01 --title x --description y --basis z --severity low
expect_exit 3 "an amount with three decimals" ag audit finding "$P" --item F03 --title x --description y --basis z --severity low --amount 12.345
expect_exit 0 "a working paper" ag audit record "$P" --kind working_paper --title 资金支付审批检查底稿
expect_exit 0 "finding 1 (phased)" ag --json audit finding "$P" --item F03 --title 大额支付无集体决策 \
    --description "2025年3月向某公司支付95000元，无“三重一大”集体决策记录" --amount 95,000.00 \
    --basis "《行政事业单位内部控制规范（试行）》第二十九条" --severity high --class phased --responsible 董秀凯
F1=$(jq -r .id "$T/out")
expect_eq "$(jq -r '[.amount, .rect_class, (.repeat|tostring)] | join("|")' "$T/out")" "95000.00|phased|false" \
    "amount in yuan, the class, no repeat"
expect_exit 0 "finding 2 (immediate)" ag --json audit finding "$P" --item F10 --title 专项资金未专款专用 \
    --description 挪用专项资金购置办公设备 --amount 1280.50 --basis 《预算法》第五十七条 --severity medium
F2=$(jq -r .id "$T/out")
wid=$(sq "SELECT id FROM warning WHERE unit_code='$A' ORDER BY id LIMIT 1")
other_w=$(sq "SELECT id FROM warning WHERE unit_code<>'$A' ORDER BY id LIMIT 1")
expect_exit 0 "a warning as evidence" ag audit evidence "$F1" --kind warning --ref "$wid" --note 支付凭证
expect_exit 3 "the same evidence twice" ag audit evidence "$F1" --kind warning --ref "$wid"
expect_exit 3 "another unit's warning is not evidence here" ag audit evidence "$F1" --kind warning --ref "$other_w"
expect_exit 0 "audit show --finding" ag --json audit show --finding "$F1"
expect_eq "$(jq -r '.evidence | length' "$T/out")" 1 "one piece of evidence"

# 审后: draft, response, final report; entering 整改 opens the ledger.
expect_exit 0 "advance to the report" ag audit advance "$P"
expect_exit 3 "the final report before the response" ag audit record "$P" --kind final_report --title 审计报告
expect_exit 0 "draft report" ag audit record "$P" --kind draft_report --title 审计报告（征求意见稿）
expect_exit 0 "the unit's response" ag audit record "$P" --kind response --title 关于审计报告的反馈意见
expect_exit 0 "final report" ag audit record "$P" --kind final_report --title 审计报告 --doc-no 南审报〔2026〕3号
expect_exit 3 "a finding after fieldwork is the wrong stage" ag audit finding "$P" --item F03 --title x --description y --basis z --severity low
expect_exit 0 "advance to rectification" ag audit advance "$P"
expect_exit 0 "rectify list --project" ag --json rectify list --project "$P"
expect_eq "$(jq -r .total "$T/out")" 2 "one item per finding"
R1=$(jq -r ".items[] | select(.finding_id == $F1) | .id" "$T/out")
R2=$(jq -r ".items[] | select(.finding_id == $F2) | .id" "$T/out")
expect_eq "$(jq -r ".items[] | select(.id == $R1) | [.deadline, .state, .notice_no] | join(\"|\")" "$T/out")" \
    "2026-08-29|open|南审通〔2026〕12号" "phased: 180 days, open, the notice number"
expect_eq "$(jq -r ".items[] | select(.id == $R2) | .deadline" "$T/out")" 2026-04-01 "immediate: 30 days"

# The audited unit's side, with an attachment as evidence.
printf '%%PDF-1.4\n%% 整改证明\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' >"$T/proof.pdf"
expect_exit 3 "an executable is not an attachment" ag attach add --unit $A /bin/sh
expect_exit 0 "attach add" ag --json attach add --unit $A "$T/proof.pdf" --name 整改情况说明.pdf
ATT=$(jq -r .id "$T/out")
expect_eq "$(jq -r '[.mime, .filename, .sha256] | join("|")' "$T/out")" \
    "application/pdf|整改情况说明.pdf|$(sha256sum "$T/proof.pdf" | cut -d' ' -f1)" "type from the content, the name, the SHA-256"
expect_exit 3 "a claim without evidence" ag rectify claim "$R1" --result 已整改
expect_exit 0 "measures" ag rectify measures "$R1" --text 修订资金支付审批制度，重大支出提交党组会审议
expect_exit 0 "progress" ag rectify progress "$R1" --text 制度已修订，待印发
expect_grep "整改中" "$T/out" "open → in progress"
expect_exit 2 "--attach with junk" ag rectify claim "$R1" --result x --attach 1,x
expect_exit 3 "a claim with another unit's item's attachment id that does not exist" ag rectify claim "$R1" --result x --attach 999999
expect_exit 0 "claim with the attachment" ag rectify claim "$R1" --result 已追回资金并印发新制度 --attach "$ATT"
expect_grep "claimed" "$T/out" "claimed"
expect_exit 3 "the certificate of an item not closed" ag rectify certificate "$R1" --out "$T/c.xlsx"
[ ! -e "$T/c.xlsx" ] && ok "and no file" || fail "a certificate file was written"
expect_exit 3 "reopening needs a note" ag rectify verify "$R1" --decision reopen
expect_exit 0 "verify: close (销号)" ag --json rectify verify "$R1" --decision close
expect_eq "$(jq -r '[.state, (.events|map(.kind)|join(","))] | join("|")' "$T/out")" \
    "closed|measures,progress,claim,close" "closed, with every event"
expect_exit 0 "attach get --out" ag attach get "$ATT" --out "$T/back.pdf"
cmp -s "$T/proof.pdf" "$T/back.pdf" && ok "the file comes back unchanged" || fail "the file differs"
expect_exit 0 "the closure certificate" ag rectify certificate "$R1" --out "$T/cert.xlsx"

# Closing the project needs every item closed and a follow-up record.
expect_exit 0 "follow-up record" ag audit record "$P" --kind followup --title 整改跟踪检查
expect_exit 3 "closing with an item open" ag audit advance "$P"
expect_exit 3 "an attachment already used is not used again" ag rectify progress "$R2" --text x --attach "$ATT"
printf '调账凭证：记-45，2026-03-20\n' >"$T/voucher.txt"
expect_exit 0 "a text file as evidence" ag --json attach add --unit $A "$T/voucher.txt"
ATT2=$(jq -r .id "$T/out")
expect_eq "$(jq -r .mime "$T/out")" "text/plain; charset=utf-8" "plain text, UTF-8"
expect_exit 0 "progress on item 2 with the evidence" ag rectify progress "$R2" --text 已退回专项资金 --attach "$ATT2"
expect_exit 0 "claim item 2 (evidence given with the progress)" ag rectify claim "$R2" --result 已退回并调账
expect_exit 0 "reopen with a note" ag rectify verify "$R2" --decision reopen --note 缺少调账凭证
expect_grep "in_progress" "$T/out" "back in progress"
expect_exit 0 "claim again" ag rectify claim "$R2" --result 已补充调账凭证
expect_exit 3 "continuous is not for an immediate item" ag rectify verify "$R2" --decision continuous --note x
expect_exit 0 "close item 2" ag rectify verify "$R2" --decision close
expect_exit 0 "advance: closed" ag --json audit advance "$P"
expect_eq "$(jq -r .stage "$T/out")" closed "the project is closed"
expect_exit 3 "nothing advances after closed" ag audit advance "$P"

# The ledger as XLSX, read back.
expect_exit 0 "rectify export" ag rectify export --out "$T/ledger.xlsx" --project "$P"
expect_eq "$(head -c 4 "$T/ledger.xlsx" | od -An -tx1 | tr -d ' \n')" 504b0304 "the export is a zip container"
if command -v node >/dev/null; then
    node "$(dirname "$0")/xlsx_text.mjs" "$T/ledger.xlsx" >"$T/ledger.txt"
    expect_grep "^sheet: 整改台账$" "$T/ledger.txt" "the sheet 整改台账"
    for h in 通知书号 项目 被审计单位 问题摘要 定性依据 整改类型 整改措施 整改期限 责任人 整改进展 整改结果 证明材料; do
        grep -qx "$h" "$T/ledger.txt" || fail "no column $h"
    done
    ok "the columns auditors use"
    expect_grep "^大额支付无集体决策$" "$T/ledger.txt" "finding 1's row"
    expect_grep "^南审通〔2026〕12号$" "$T/ledger.txt" "the notice number"
    expect_grep "^整改情况说明.pdf$" "$T/ledger.txt" "the evidence file"
    expect_grep "^已销号$" "$T/ledger.txt" "the state"
    node "$(dirname "$0")/xlsx_text.mjs" "$T/cert.xlsx" >"$T/cert.txt"
    expect_grep "^sheet: 对账销号单$" "$T/cert.txt" "the certificate's sheet"
    expect_grep "董秀凯" "$T/cert.txt" "the certificate names the responsible person"
    # The command line writes the same form as the server: the item with its name, not its code only.
    expect_grep "^F03 资金支付审批$" "$T/cert.txt" "the certificate names the item (F03 资金支付审批)"
else
    ok "# skip: node is not installed, the XLSX is not read back"
fi
expect_exit 1 "export into a folder that does not exist" ag rectify export --out "$T/no/such/dir/x.xlsx"

# A second audit of the same unit finds the same item again: 屡审屡犯.
expect_exit 0 "a second project" ag --json audit create --name 2026年第二轮交叉互审 --kind cross --unit $A \
    --from 2026-01-01 --to 2026-02-28 --items F03
P2=$(jq -r .id "$T/out")
ag audit team "$P2" --person "$lead" --role lead >/dev/null
for k in plan plan_approval notice survey; do ag audit record "$P2" --kind $k --title "$k" >/dev/null; done
expect_exit 0 "into fieldwork" ag audit advance "$P2"
expect_exit 0 "the same item again" ag --json audit finding "$P2" --item F03 --title 大额支付仍无集体决策 \
    --description 再次发现 --amount 50000 --basis 同上 --severity high
expect_eq "$(jq -r '[(.repeat|tostring), (.repeat_of|tostring)] | join("|")' "$T/out")" "true|$F1" \
    "marked 屡审屡犯, pointing at the closed finding"
P2_CODE=$(ag --json audit show "$P2" | jq -r .code)
expect_exit 0 "audit list" ag audit list --unit $A
expect_grep "$P_CODE" "$T/out" "the first project is listed"
expect_grep "$P2_CODE" "$T/out" "and the second"

# Overdue escalation on a controlled clock (cron runs rectify escalate).
for k in working_paper; do ag audit record "$P2" --kind $k --title 底稿 >/dev/null; done
ag audit advance "$P2" >/dev/null
for k in draft_report response final_report; do ag audit record "$P2" --kind $k --title "$k" >/dev/null; done
expect_exit 0 "into rectification" ag audit advance "$P2"
R3=$(ag --json rectify list --project "$P2" | jq -r '.items[0].id')
expect_exit 0 "on the day, nothing of the unit is overdue" ag --json rectify escalate
expect_eq "$(sq "SELECT COUNT(*) FROM notification WHERE unit_code='$A' AND kind <> 'cross_audit'")" 0 "no notification"
AUDITGRID_NOW=2026-04-05 expect_exit 0 "four days after the deadline" ag --json rectify escalate
[ "$(jq -r .escalated "$T/out")" -ge 1 ] && ok "escalated" || fail "nothing escalated"
AUDITGRID_NOW=2026-04-06 expect_exit 0 "again the next day" ag --json rectify escalate
expect_eq "$(jq -r .escalated "$T/out")" 0 "escalation is idempotent"
expect_eq "$(sq "SELECT group_concat(audience || ':' || COALESCE(person_id, '') || ':' || COALESCE(cell_id, ''), ',') FROM (SELECT * FROM notification WHERE rect_id=$R3 ORDER BY audience)")" \
    "leader:$(sq "SELECT person_id FROM unit_subject WHERE unit_code='$A' AND role='principal'"):$cell,supervisor::$cell" \
    "the principal leader and the supervisor (the unit's cell) are notified"
sq "UPDATE notification SET read_at='2026-04-06T01:00:00Z' WHERE rect_id=$R3 AND audience='supervisor'"
expect_exit 0 "rectify notifications --unread" ag --json rectify notifications --unread
expect_eq "$(jq -r "[.unread, .total, ([.items[] | select(.rect_id == $R3) | .audience] | join(\",\"))] | map(tostring) | join(\"|\")" "$T/out")" \
    "$(sq "SELECT COUNT(*) FROM notification WHERE read_at IS NULL")|$(sq "SELECT COUNT(*) FROM notification WHERE read_at IS NULL")|leader" \
    "only the unread, with the unread count"
expect_exit 0 "rectify notifications" ag rectify notifications
grep -q "未读 unread" "$T/out" && ok "unread ones are marked" || fail "no unread mark"
AUDITGRID_NOW=2026-04-05 expect_exit 0 "rectify list --state overdue" ag --json rectify list --state overdue --project "$P2"
expect_eq "$(jq -r '[.total, .items[0].days_overdue] | map(tostring) | join("|")' "$T/out")" "1|4" "overdue by 4 days"
AUDITGRID_NOW=2026-04-05 expect_exit 3 "a deadline in the past" ag rectify deadline "$R3" --date 2026-04-01 --reason x
AUDITGRID_NOW=2026-04-05 expect_exit 0 "a new deadline" ag rectify deadline "$R3" --date 2026-05-10 --reason 需协调财政局
AUDITGRID_NOW=2026-05-11 expect_exit 0 "overdue again after the new deadline" ag --json rectify escalate
expect_eq "$(sq "SELECT COUNT(*) FROM rect_event WHERE rect_id=$R3 AND kind='escalate'")" 2 "escalates again"

# Deadline defaults.
expect_exit 2 "settings out of range" ag rectify settings --phased 0
expect_exit 0 "settings" ag --json rectify settings --phased 120
expect_eq "$(jq -r '[.immediate, .phased, .continuous] | map(tostring) | join(",")' "$T/out")" 30,120,365 "phased now 120 days"

# Everything is in the audit log under the command line's actor, and the chain holds.
expect_eq "$(sq "SELECT COUNT(*) FROM audit_log WHERE seq > $seq0 AND actor NOT LIKE 'cli:%'")" 0 "every write is logged as cli:"
for t in audit_project audit_team audit_record finding finding_evidence rectification rect_event attachment notification; do
    [ "$(sq "SELECT COUNT(*) FROM audit_log WHERE seq > $seq0 AND tbl='$t'")" -gt 0 ] || fail "no audit entry for $t"
done
ok "every workflow table is in the audit log"
expect_exit 0 "audit-log verify" ag audit-log verify

# A stored file altered on disk is refused, not handed out.
sha=$(sha256sum "$T/proof.pdf" | cut -d' ' -f1)
[ -f "$DB.files/${sha:0:2}/$sha" ] && ok "stored beside the database by its SHA-256" || fail "no $DB.files/${sha:0:2}/$sha"
printf 'x' >>"$DB.files/${sha:0:2}/$sha"
expect_exit 1 "attach get of an altered file" ag attach get "$ATT" --out "$T/bad.pdf"
[ ! -e "$T/bad.pdf" ] && ok "and nothing written" || fail "an altered file was written out"

# attach gc: an old file no row refers to goes, a referenced one stays, a fresh orphan stays.
orphan="$DB.files/ab/ab$(printf '0%.0s' $(seq 62))"
fresh="$DB.files/ab/ab$(printf '1%.0s' $(seq 62))"
mkdir -p "$DB.files/ab" && printf 'orphan' >"$orphan" && printf 'uploading' >"$fresh"
touch -d '3 hours ago' "$orphan"
expect_exit 0 "attach gc" ag --json attach gc
expect_eq "$(jq -c '[.files, .temps, .bytes]' "$T/out")" "[1,0,6]" "gc removed the one old orphan (6 bytes)"
[ ! -e "$orphan" ] && [ -e "$fresh" ] && [ -f "$DB.files/${sha:0:2}/$sha" ] && ok "the fresh orphan and the used file stay" ||
    fail "gc removed the wrong files"
expect_exit 2 "attach gc refuses a negative age" ag attach gc --min-age-minutes -5
finish
