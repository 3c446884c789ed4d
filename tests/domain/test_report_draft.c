/* test_report_draft.c - the first drafts of the four reports (issue 16) on a small hand-built
 * district: every section of each kind present and filled, the figures in the text equal to the
 * data, findings items with amount, evidence, basis and recommendation, rectification items
 * with their events, the plan's projects from the risk ranking with their reasons, and every
 * document passing report_doc_check. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/catalog.h"
#include "domain/grid.h"
#include "domain/report.h"
#include "domain/report_draft.h"
#include "domain/scope.h"
#include "util/uscc.h"
#include "../testutil.h"
#include "util/banned.h"

typedef struct world {
    ag_store *st;
    char u[19];
    int64_t pid;
    audit_actor admin;
} world;

static void sql(world *w, const char *fmt, ...)
{
    char buf[6000];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    ag_error err;
    must(store_exec(w->st, buf, &err), &err);
}

static int64_t person(world *w, const char *name, const char *role)
{
    ag_error err;
    int64_t id = 0;
    grid_person_in p = {name, w->u, NULL, NULL, NULL, role};
    must(grid_person_add(w->st, &p, &id, &err), &err);
    return id;
}

/* A finding of project 1 with seq, item, amount (fen) and a rectification item in state. */
static void finding(world *w, int seq, const char *item, long long fen, const char *sev,
                    const char *state, const char *deadline)
{
    sql(w,
        "INSERT INTO finding (project_id, seq, unit_code, item, catalog_version, title,"
        " description, amount, basis, severity, recommendation, created_by, created_at) VALUES"
        " (%lld, %d, '%s', '%s', 1, '问题标题%d', '事实描述%d', %lld, '定性依据%d', '%s',"
        " '审计建议%d', 't', '2026-02-10T02:00:00Z');"
        "INSERT INTO rectification (finding_id, project_id, unit_code, class, deadline, measures,"
        " state, result, created_at) VALUES ((SELECT MAX(id) FROM finding), %lld, '%s',"
        " 'immediate', '%s', '整改措施%d', '%s', %s, '2026-02-20T02:00:00Z');",
        (long long)w->pid, seq, w->u, item, seq, seq, fen, seq, sev, seq, (long long)w->pid, w->u,
        deadline, seq, state, !strcmp(state, "closed") ? "'整改结果已落实'" : "NULL");
}

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    ag_error err;
    setenv("AUDITGRID_NOW", "2026-05-01T02:00:00Z", 1);
    w->st = ag_test_fresh_db("report_draft.db");
    must(grid_district_init(w->st, "120104", "天津市南开区", &err), &err);
    must(catalog_install_default(w->st, NULL, &err), &err);
    grid_cell_in d01 = {"D01", "dept", "区教育局", 0, 1};
    must(grid_cell_add(w->st, &d01, &err), &err);
    snprintf(w->u, sizeof w->u, "12120104MB0000001");
    w->u[17] = uscc_check_char(w->u);
    w->u[18] = '\0';
    grid_unit_in u = {w->u, "第一中学", "学校", "D01", NULL, true, NULL};
    must(grid_unit_add(w->st, &u, &err), &err);
    person(w, "王校长", "principal");
    int64_t a1 = person(w, "李审计", "auditor");
    int64_t a2 = person(w, "张审计", "auditor");
    person(w, "赵审计", "auditor");
    person(w, "钱审计", "auditor");
    sql(w,
        "INSERT INTO ia_body (unit_code, independent, body_name, supervisor_person_id, updated_by,"
        " updated_at) VALUES ('%s', 1, '审计室', %lld, 't', '2026-01-05T00:00:00Z');"
        "INSERT INTO training_session (held_on, topic, system, hours_tenths, created_by,"
        " created_at) VALUES ('2026-03-10', '内审实务', '教育', 35, 't', '2026-03-10T00:00:00Z');"
        "INSERT INTO training_attendance (session_id, person_id) VALUES (1, %lld), (1, %lld);",
        w->u, (long long)a1, (long long)a1, (long long)a2);
    sql(w,
        "INSERT INTO audit_project (code, name, kind, unit_code, period_from, period_to, items,"
        " catalog_version, stage, stage_at, created_by, created_at) VALUES ('NK-2026-001',"
        " '第一中学2025年度财务收支审计', 'special', '%s', '2025-01-01', '2025-12-31',"
        " '[\"F01\",\"F03\",\"K2\"]', 1, 'rectify', '2026-03-01T00:00:00Z', 't',"
        " '2026-01-20T02:00:00Z');"
        "INSERT INTO audit_team (project_id, person_id, role) VALUES (1, %lld, 'lead'),"
        " (1, %lld, 'member');"
        "INSERT INTO audit_record (project_id, kind, title, doc_no, body, created_by, created_at)"
        " VALUES (1, 'notice', '审计通知书', '南审通〔2026〕1号', NULL, 't',"
        " '2026-01-21T02:00:00Z'), (1, 'response', '书面意见', NULL,"
        " '对审计报告无异议，将认真整改。', 't', '2026-03-05T02:00:00Z');",
        w->u, (long long)a1, (long long)a2);
    w->pid = 1;
    /* 3 findings: 1,234,567.89 + 100.00 + 0 = 1,234,667.89 yuan; one closed, one overdue */
    finding(w, 1, "F03", 123456789, "high", "closed", "2026-03-31");
    finding(w, 2, "F01", 10000, "medium", "open", "2026-04-15");
    finding(w, 3, "K2", 0, "low", "in_progress", "2026-12-31");
    sql(w,
        "INSERT INTO scan_run (started_at, actor, catalog_version, rows, warnings, new_warnings,"
        " seconds) VALUES ('2026-01-10T00:00:00Z', 't', '1', 0, 0, 0, '0');"
        "INSERT INTO warning (fingerprint, unit_code, item, rule, severity, warn_date, amount,"
        " message, evidence, catalog_version, status, first_scan, last_scan) VALUES ('fp1', '%s',"
        " 'F03', 'r', 'high', '2025-06-01', 123456789, '大额支付未经审批', '{}', '1', 'escalated',"
        " 1, 1), ('fp2', '%s', 'F05', 'r', 'medium', '2025-07-01', 500, '网银U盾未分人保管', '{}',"
        " '1', 'open', 1, 1);"
        "INSERT INTO attachment (sha256, bytes, mime, filename, unit_code, owner_kind, owner_id,"
        " created_by, created_at) VALUES ('ab', 3, 'application/pdf', '付款凭证.pdf', '%s',"
        " 'finding', 1, 't', '2026-02-11T00:00:00Z'), ('cd', 3, 'application/pdf', '整改通知.pdf',"
        " '%s', 'rect_event', 2, 't', '2026-03-20T00:00:00Z');"
        "INSERT INTO finding_evidence (finding_id, kind, ref_id, note, created_by, created_at)"
        " VALUES (1, 'warning', 1, '系统预警', 't', '2026-02-11T00:00:00Z'), (1, 'attachment',"
        " 1, NULL, 't', '2026-02-11T00:00:00Z');"
        "INSERT INTO rect_event (rect_id, kind, body, created_by, created_at) VALUES"
        " (1, 'measures', '补办审批手续', 't', '2026-03-01T02:00:00Z'),"
        " (1, 'claim', '已补办并追回资金', 't', '2026-03-20T02:00:00Z'),"
        " (1, 'close', '核验通过', 't', '2026-03-25T02:00:00Z');",
        w->u, w->u, w->u, w->u);
    memset(&w->admin, 0, sizeof w->admin);
    must(scope_init(&w->admin.scope, "admin", NULL, NULL, 0, &err), &err);
    w->admin.name = "user:admin";
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    store_close(w->st);
    free(w);
    unsetenv("AUDITGRID_NOW");
    return 0;
}

/* The section key of doc, failing when absent. */
static json_t *section(json_t *doc, const char *key)
{
    json_t *ss = json_object_get(doc, "sections");
    for (size_t i = 0; i < json_array_size(ss); i++)
        if (!strcmp(json_string_value(json_object_get(json_array_get(ss, i), "key")), key))
            return json_array_get(ss, i);
    fail_msg("no section %s", key);
    return NULL;
}

/* All the text of a section (paragraphs, table cells, item titles and fields) in one string. */
static void section_text(json_t *sec, char *out, size_t n)
{
    size_t len = 0;
    out[0] = '\0';
    json_t *bs = json_object_get(sec, "blocks");
    for (size_t i = 0; i < json_array_size(bs); i++) {
        json_t *b = json_array_get(bs, i);
        const char *t = json_string_value(json_object_get(b, "text"));
        if (t)
            len += (size_t)snprintf(out + len, len < n ? n - len : 0, "%s\n", t);
        json_t *rows = json_object_get(b, "rows");
        for (size_t r = 0; r < json_array_size(rows); r++)
            for (size_t c = 0; c < json_array_size(json_array_get(rows, r)); c++)
                len +=
                    (size_t)snprintf(out + len, len < n ? n - len : 0, "%s|",
                                     json_string_value(json_array_get(json_array_get(rows, r), c)));
        json_t *fs = json_object_get(b, "fields");
        for (size_t f = 0; f < json_array_size(fs); f++)
            len +=
                (size_t)snprintf(out + len, len < n ? n - len : 0, "%s：%s\n",
                                 json_string_value(json_object_get(json_array_get(fs, f), "label")),
                                 json_string_value(json_object_get(json_array_get(fs, f), "text")));
        if (len >= n)
            return;
    }
}

static void has(json_t *doc, const char *key, const char *needle)
{
    static char buf[65536];
    section_text(section(doc, key), buf, sizeof buf);
    if (!strstr(buf, needle))
        fail_msg("section %s lacks \"%s\":\n%s", key, needle, buf);
}

/* The field key of item block b. */
static const char *field(json_t *b, const char *key)
{
    json_t *fs = json_object_get(b, "fields");
    for (size_t i = 0; i < json_array_size(fs); i++)
        if (!strcmp(json_string_value(json_object_get(json_array_get(fs, i), "key")), key))
            return json_string_value(json_object_get(json_array_get(fs, i), "text"));
    fail_msg("no field %s", key);
    return NULL;
}

/* Every section of the kind present in order with its heading, filled, and the document valid. */
static void check_shape(json_t *doc, const char *kind)
{
    ag_error err;
    int n = 0;
    const report_section_def *defs = report_sections(kind, &n);
    json_t *ss = json_object_get(doc, "sections");
    must(report_doc_check(doc, &err), &err);
    assert_string_equal(json_string_value(json_object_get(doc, "format")), REPORT_FORMAT);
    assert_string_equal(json_string_value(json_object_get(doc, "kind")), kind);
    assert_string_equal(json_string_value(json_object_get(doc, "date")), "2026-05-01");
    assert_int_equal(json_array_size(ss), n);
    for (int i = 0; i < n; i++) {
        json_t *s = json_array_get(ss, (size_t)i);
        assert_string_equal(json_string_value(json_object_get(s, "key")), defs[i].key);
        assert_string_equal(json_string_value(json_object_get(s, "heading")), defs[i].heading_zh);
        if (!report_section_has_content(s))
            fail_msg("section %s is empty", defs[i].key);
    }
}

static json_t *build(world *w, const char *kind, int64_t pid, int year)
{
    json_t *doc = NULL;
    ag_error err;
    must(report_draft_build(w->st, &w->admin, kind, pid, pid ? NULL : w->u, year, &doc, &err),
         &err);
    check_shape(doc, kind);
    return doc;
}

static void test_audit(void **state)
{
    world *w = *state;
    sql(w, "UPDATE finding SET recommendation = '审计建议1。', description = '事实描述1。'"
           " WHERE id = 1;");
    json_t *doc = build(w, "audit", w->pid, 0);
    assert_string_equal(json_string_value(json_object_get(doc, "title")),
                        "关于第一中学2025年度财务收支审计的审计报告");
    assert_string_equal(json_string_value(json_object_get(doc, "issuer")), "第一中学审计室");
    assert_string_equal(json_string_value(json_object_get(doc, "project_code")), "NK-2026-001");
    assert_int_equal(json_integer_value(json_object_get(doc, "year")), 2026);
    json_t *basics = json_array_get(json_object_get(section(doc, "basics"), "blocks"), 0);
    assert_string_equal(json_string_value(json_object_get(basics, "type")), "item");
    assert_string_equal(field(basics, "name"), "第一中学");
    assert_string_equal(field(basics, "code"), w->u);
    assert_string_equal(field(basics, "kind"), "学校");
    assert_string_equal(field(basics, "leader"), "王校长");
    assert_string_equal(field(basics, "funds"), "尚未导入账套数据");
    has(doc, "scope", "李审计（组长）、张审计");
    has(doc, "scope", "银行账户管理、资金支付审批、预算执行与财务收支");
    has(doc, "scope", "南审通〔2026〕1号");
    has(doc, "opinion",
        "审计发现问题 3 个，涉及金额 1,234,667.89 元，其中高风险 1 个、中风险 1 个、"
        "低风险 1 个");
    json_t *fb = json_object_get(section(doc, "findings"), "blocks");
    assert_int_equal(json_array_size(fb), 3);
    json_t *f1 = json_array_get(fb, 0);
    json_t *ref = json_object_get(f1, "ref");
    assert_string_equal(json_string_value(json_object_get(ref, "kind")), "finding");
    assert_int_equal(json_integer_value(json_object_get(ref, "id")), 1);
    assert_string_equal(json_string_value(json_object_get(f1, "title")), "问题标题1");
    assert_string_equal(field(f1, "amount"), "1,234,567.89 元");
    assert_string_equal(field(f1, "basis"), "定性依据1");
    assert_string_equal(field(f1, "recommendation"), "审计建议1。");
    assert_string_equal(field(f1, "facts"), "事实描述1（资金支付审批，高风险）。");
    assert_non_null(strstr(field(f1, "evidence"), "预警 1：大额支付未经审批（系统预警）"));
    assert_non_null(strstr(field(f1, "evidence"), "附件 付款凭证.pdf"));
    assert_string_equal(field(json_array_get(fb, 1), "amount"), "100.00 元");
    assert_string_equal(field(json_array_get(fb, 2), "amount"), "");
    has(doc, "opinion", "在资金支付审批、银行账户管理、预算执行与财务收支等方面存在问题");
    has(doc, "handling", "“问题标题1”：审计建议1（立行立改，整改期限 2026-03-31）。");
    has(doc, "handling", "“问题标题2”：审计建议2（立行立改，整改期限 2026-04-15）");
    has(doc, "response", "对审计报告无异议，将认真整改。");
    has(doc, "response", "2026-03-05");
    json_decref(doc);
}

static void test_rectification(void **state)
{
    world *w = *state;
    json_t *doc = build(w, "rectification", w->pid, 0);
    has(doc, "summary", "3 个问题（涉及金额 1,234,667.89 元）");
    has(doc, "summary", "纳入整改台账 3 项，已销号 1 项");
    has(doc, "summary", "尚未完成 2 项（其中逾期 1 项），整改完成率 33.3%");
    has(doc, "summary", "已整改问题涉及金额 1,234,567.89 元");
    json_t *ib = json_object_get(section(doc, "items"), "blocks");
    assert_int_equal(json_array_size(ib), 3);
    json_t *i1 = json_array_get(ib, 0), *i2 = json_array_get(ib, 1);
    assert_string_equal(field(i1, "state"), "已销号");
    assert_string_equal(field(i1, "measures"), "整改措施1");
    assert_string_equal(field(i1, "result"), "整改结果已落实");
    assert_non_null(strstr(field(i1, "evidence"), "2026-03-20 申请销号：已补办并追回资金"));
    assert_non_null(strstr(field(i1, "evidence"), "2026-03-01 整改措施：补办审批手续"));
    assert_string_equal(field(i1, "deadline"), "2026-03-31（立行立改）");
    assert_string_equal(field(i2, "state"), "未整改（已逾期）");
    has(doc, "open", "“问题标题2”：整改期限 2026-04-15，当前未整改，已逾期");
    has(doc, "open", "“问题标题3”");
    has(doc, "next", "尚未完成整改的 2 项问题（其中逾期 1 项）");
    json_decref(doc);
}

static void test_plan(void **state)
{
    world *w = *state;
    ag_error err;
    json_t *doc = build(w, "plan", 0, 2026), *rank = NULL;
    assert_string_equal(json_string_value(json_object_get(doc, "title")),
                        "第一中学2026年度内部审计计划");
    assert_true(json_is_null(json_object_get(doc, "project_code")));
    must(report_risk_rank(w->st, w->u, 2026, NULL, &rank, &err), &err);
    assert_string_equal(json_string_value(json_object_get(rank, "basis")), "areas");
    /* 4 internal auditors: 2 projects, the two riskiest areas, each with its reason */
    json_t *pb = json_object_get(section(doc, "projects"), "blocks");
    assert_int_equal(json_array_size(pb), 2);
    for (size_t i = 0; i < 2; i++) {
        json_t *it = json_array_get(pb, i);
        json_t *e = json_array_get(json_object_get(rank, "entries"), i);
        assert_string_equal(json_string_value(json_object_get(json_object_get(it, "ref"), "kind")),
                            "area");
        assert_string_equal(json_string_value(json_object_get(json_object_get(it, "ref"), "code")),
                            json_string_value(json_object_get(e, "code")));
        assert_string_equal(field(it, "reason"),
                            json_string_value(json_object_get(e, "reason_zh")));
        assert_non_null(strstr(field(it, "reason"), "风险得分"));
        assert_non_null(strstr(field(it, "scope"), json_string_value(json_object_get(e, "name"))));
    }
    assert_string_equal(field(json_array_get(pb, 0), "timing"), "第一季度（1月至3月）实施");
    assert_string_equal(field(json_array_get(pb, 1), "timing"), "第三季度（7月至9月）实施");
    assert_string_equal(field(json_array_get(pb, 0), "resources"),
                        "审计组：李审计（组长）、张审计，共 2 人");
    assert_string_equal(field(json_array_get(pb, 1), "resources"),
                        "审计组：赵审计（组长）、钱审计，共 2 人");
    /* the ranking table lists all 20 areas */
    json_t *rb = json_object_get(section(doc, "risk"), "blocks");
    json_t *tbl = json_array_get(rb, 1);
    assert_string_equal(json_string_value(json_object_get(tbl, "type")), "table");
    assert_int_equal(json_array_size(json_object_get(tbl, "rows")), 20);
    has(doc, "risk", "未处理预警（按风险等级加权 高3 中2 低1） 25");
    has(doc, "resources", "本单位现有内部审计人员 4 人：李审计、张审计、赵审计、钱审计");
    has(doc, "resources", "内部审计机构：审计室（独立设置）");
    has(doc, "basis", "2025年本单位共实施内部审计项目 0 个");
    has(doc, "basis", "目前尚有 2 项问题未完成整改（其中逾期 1 项）；最近一次内控评级：未评级");
    has(doc, "measures", "对尚未完成整改的 2 项问题（其中逾期 1 项）");
    json_decref(rank);
    json_decref(doc);
}

/* A unit with a subordinate unit: the plan ranks the units and proposes audits of them. */
static void test_plan_units(void **state)
{
    world *w = *state;
    ag_error err;
    char sub[19];
    snprintf(sub, sizeof sub, "12120104MB0000002");
    sub[17] = uscc_check_char(sub);
    sub[18] = '\0';
    grid_unit_in u = {sub, "第一中学附属小学", "学校", "D01", w->u, true, NULL};
    must(grid_unit_add(w->st, &u, &err), &err);
    sql(w,
        "INSERT INTO warning (fingerprint, unit_code, item, rule, severity, warn_date, amount,"
        " message, evidence, catalog_version, status, first_scan, last_scan) VALUES ('fp9', '%s',"
        " 'F06', 'r', 'high', '2025-06-01', 0, '银行余额不符', '{}', '1', 'open', 1, 1);",
        sub);
    json_t *doc = build(w, "plan", 0, 2026);
    json_t *pb = json_object_get(section(doc, "projects"), "blocks");
    assert_int_equal(json_array_size(pb), 2);
    json_t *p1 = json_array_get(pb, 0), *p2 = json_array_get(pb, 1);
    assert_string_equal(json_string_value(json_object_get(json_object_get(p1, "ref"), "kind")),
                        "unit");
    assert_string_equal(json_string_value(json_object_get(json_object_get(p1, "ref"), "code")),
                        sub);
    assert_string_equal(json_string_value(json_object_get(p1, "title")),
                        "第一中学附属小学财务收支及内部控制审计");
    assert_non_null(strstr(field(p1, "scope"), "审计内容：银行对账与账实相符"));
    assert_non_null(strstr(field(p1, "reason"), "风险得分 55.00，排名第 1"));
    assert_non_null(strstr(field(p1, "reason"), "未处理预警 1 条（按风险等级加权 3）"));
    assert_non_null(strstr(field(p2, "scope"),
                           "审计内容：银行账户管理、网银U盾、印鉴与票据、预算执行与财务收支"));
    assert_non_null(strstr(field(p2, "reason"), "风险得分 51.67，排名第 2"));
    has(doc, "risk", "对第一中学的 2 个单位（本单位及所属单位）进行风险评估");
    json_decref(doc);
}

static void test_summary(void **state)
{
    world *w = *state;
    json_t *doc = build(w, "summary", 0, 2026);
    has(doc, "plan_exec", "2026年共实施内部审计项目 1 个，已出具审计报告进入整改或办结 1 个");
    has(doc, "plan_exec", "NK-2026-001|第一中学2025年度财务收支审计|专项审计|");
    has(doc, "findings", "年内共实施内部审计项目 1 个，发现问题 3 个，涉及金额 1,234,667.89 元");
    has(doc, "findings", "F03 资金支付审批|1|1,234,567.89|1|1|");
    has(doc, "findings", "F01 银行账户管理|1|100.00|0|0|");
    has(doc, "amounts", "已完成整改销号的问题涉及金额 1,234,567.89 元");
    has(doc, "amounts", "尚在整改中的问题涉及金额 100.00 元");
    has(doc, "rect", "整改完成率 33.3%");
    has(doc, "system", "审计室（独立设置）");
    has(doc, "system", "年内参加业务培训 1 场次、共 7.0 学时");
    has(doc, "next", "2027年");
    json_decref(doc);
    /* a year without projects still fills every section */
    doc = build(w, "summary", 0, 2024);
    has(doc, "plan_exec", "2024年共实施内部审计项目 0 个");
    has(doc, "rect", "无纳入整改台账的事项");
    json_decref(doc);
}

static void test_errors(void **state)
{
    world *w = *state;
    json_t *doc = NULL;
    ag_error err;
    assert_int_equal(report_draft_build(w->st, &w->admin, "memo", 0, w->u, 2026, &doc, &err),
                     AG_ERR_INPUT);
    assert_string_equal(err.where, "kind");
    assert_int_equal(report_draft_build(w->st, &w->admin, "audit", 99, NULL, 0, &doc, &err),
                     AG_ERR_NOTFOUND);
    assert_string_equal(err.where, "project_id");
    assert_int_equal(report_draft_build(w->st, &w->admin, "plan", 0, "nope", 2026, &doc, &err),
                     AG_ERR_NOTFOUND);
    assert_int_equal(report_draft_build(w->st, &w->admin, "plan", 0, w->u, 1900, &doc, &err),
                     AG_ERR_INPUT);
    assert_null(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_audit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rectification, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plan_units, setup, teardown),
        cmocka_unit_test_setup_teardown(test_summary, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
