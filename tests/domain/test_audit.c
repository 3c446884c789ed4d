/* test_audit.c - audit projects from plan to closure: every stage, every refused transition. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "domain/attach.h"
#include "domain/audit.h"
#include "domain/catalog.h"
#include "domain/grid.h"
#include "domain/rectify.h"
#include "util/uscc.h"
#include "../testutil.h"

/* ---- helpers ------------------------------------------------------------ */

/* Asserts that a call failed with `code` and that its Chinese message says
 * `zh` (NULL: any message) and the English one is filled in too. */
static void refused(ag_err rc, ag_err code, const ag_error *err, const char *zh)
{
    if (rc != code)
        fail_msg("expected %s, got %s: %s", ag_err_name(code), ag_err_name(rc),
                 rc ? err->en : "(ok)");
    if (zh && !strstr(err->zh, zh))
        fail_msg("expected \"%s\" in \"%s\"", zh, err->zh);
    assert_true(err->en[0] != '\0');
}

static void code_for(const char *head, int n, char out[19])
{
    snprintf(out, 19, "%s120104MB%07d", head, n);
    out[17] = uscc_check_char(out);
    out[18] = '\0';
}

static int64_t count(ag_store *st, const char *sql)
{
    int64_t n = -1;
    ag_error err;
    must(store_query_int(st, &n, &err, sql, NULL), &err);
    return n;
}

static int64_t int_of(ag_store *st, const char *sql, int64_t arg)
{
    ag_stmt *s = NULL;
    ag_error err;
    bool row = false;
    must(store_prepare(st, sql, &s, &err), &err);
    assert_int_equal(store_bind_int(s, 1, arg), AG_OK);
    must(store_step(s, &row, &err), &err);
    int64_t v = row ? store_col_int(s, 0) : -1;
    store_finalize(s);
    return v;
}

/* The district of every test: A (a pilot school in D01, audited), B (a
 * hospital in D02, whose auditor leads), C (an institution in D03, a
 * member's unit), X (a street office in S01, out of everyone's way). */
typedef struct fx {
    ag_store *st;
    char dir[1100];
    char A[19], B[19], C[19], X[19];
    int64_t leader_a, aud_a, aud_b, aud_c, aud_x, bureau;
    ag_scope admin, reviewer, sup_d01, sup_d02, lead_a, sa, sb, sc, sx, sb_nobody;
    int64_t line_a, line_x, warn_a, warn_x;
} fx;

static ag_scope scope_of(const char *role, const char *unit, const char *cell, int64_t person)
{
    ag_scope sc;
    ag_error err;
    must(scope_init(&sc, role, unit, cell, person, &err), &err);
    return sc;
}

/* An actor for a scope, named like an account: one name per role and
 * person ("user:auditor" for the first, "user:auditor-7" for person 7), so
 * two people never share a name and the same person always has one. */
static audit_actor act(const ag_scope *sc)
{
    static const char *const names[AG_ROLE_COUNT] = {
        "user:admin",  "user:reviewer", "user:liaison", "user:supervisor",
        "user:leader", "user:auditor",  "user:chief"};
    static char ring[64][48];
    static int next;
    const char *name = names[sc->role];
    if (sc->person_id > 0) {
        char *buf = ring[next++ % 64];
        snprintf(buf, sizeof ring[0], "%s-%lld", names[sc->role], (long long)sc->person_id);
        name = buf;
    }
    audit_actor a = {*sc, name};
    return a;
}

static int64_t person(ag_store *st, const char *name, const char *unit, const char *role)
{
    grid_person_in p = {name, unit, role ? "内审人员" : "审计局干部", NULL, NULL, role};
    int64_t id = 0;
    ag_error err;
    must(grid_person_add(st, &p, &id, &err), &err);
    return id;
}

static void exec(ag_store *st, const char *sql)
{
    ag_error err;
    must(store_exec(st, sql, &err), &err);
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    char path[1024];
    ag_test_path(path, sizeof path, "audit.db");
    snprintf(f->dir, sizeof f->dir, "%s.files", path);
    ag_error err;
    must(store_open(path, AG_STORE_CREATE, &f->st, &err), &err);
    ag_store *st = f->st;
    must(grid_district_init(st, "120104", "天津市南开区", &err), &err);
    must(catalog_install_default(st, NULL, &err), &err);
    grid_cell_in cells[] = {{"D01", "dept", "区教育局", 0, 1},
                            {"D02", "dept", "区卫生健康委员会", 0, 2},
                            {"D03", "dept", "区财政局", 0, 3},
                            {"S01", "street", "长虹街道", 0, 4}};
    for (int i = 0; i < 4; i++)
        must(grid_cell_add(st, &cells[i], &err), &err);
    code_for("12", 1, f->A);
    code_for("12", 2, f->B);
    code_for("12", 3, f->C);
    code_for("11", 4, f->X);
    grid_unit_in units[] = {{f->A, "天津市南开区第一中学", "学校", "D01", NULL, true, NULL},
                            {f->B, "天津市南开区人民医院", "医院", "D02", NULL, true, NULL},
                            {f->C, "天津市南开区财政国库支付中心", "事业", "D03", NULL, true, NULL},
                            {f->X, "长虹街道办事处", "街道", "S01", NULL, false, NULL}};
    for (int i = 0; i < 4; i++)
        must(grid_unit_add(st, &units[i], &err), &err);
    f->leader_a = person(st, "张校长", f->A, "principal");
    f->aud_a = person(st, "李内审", f->A, "auditor");
    f->aud_b = person(st, "王组长", f->B, "auditor");
    f->aud_c = person(st, "赵组员", f->C, "auditor");
    f->aud_x = person(st, "孙内审", f->X, "auditor");
    f->bureau = person(st, "周审计", NULL, NULL);
    f->admin = scope_of("admin", NULL, NULL, 0);
    f->reviewer = scope_of("reviewer", NULL, NULL, 0);
    f->sup_d01 = scope_of("supervisor", NULL, "D01", 0);
    f->sup_d02 = scope_of("supervisor", NULL, "D02", 0);
    f->lead_a = scope_of("leader", f->A, NULL, f->leader_a);
    f->sa = scope_of("auditor", f->A, NULL, f->aud_a);
    f->sb = scope_of("auditor", f->B, NULL, f->aud_b);
    f->sc = scope_of("auditor", f->C, NULL, f->aud_c);
    f->sx = scope_of("auditor", f->X, NULL, f->aud_x);
    f->sb_nobody = scope_of("auditor", f->B, NULL, 0);

    /* One ledger line and one warning each for A and X. */
    char sql[4096];
    snprintf(
        sql, sizeof sql,
        "INSERT INTO ledger_source (id, unit_code, path, format, encoding, sha256, bytes,"
        " status, years, vouchers, lines, debit_total, credit_total, findings, report,"
        " imported_at, imported_by) VALUES"
        " (1, '%s', 'a.csv', 'csv', 'utf-8', 'aa', 1, 'active', '2025', 1, 1, 0, 0, 0, '{}',"
        " '2026-01-05T00:00:00Z', 'test'),"
        " (2, '%s', 'x.csv', 'csv', 'utf-8', 'bb', 1, 'active', '2025', 1, 1, 0, 0, 0, '{}',"
        " '2026-01-05T00:00:00Z', 'test');"
        "INSERT INTO ledger_book (id, unit_code, fiscal_year, chart_profile, created_at)"
        " VALUES (1, '%s', 2025, 'gov2019', 'x'), (2, '%s', 2025, 'gov2019', 'x');"
        "INSERT INTO ledger_line (id, book_id, source_id, src_line, period, voucher_date,"
        " voucher_type, voucher_no, line_no, summary, account_code, account_name, debit,"
        " credit) VALUES"
        " (11, 1, 1, 2, 3, '2025-03-12', '记', '15', 1, '支付校服款', '1002', '银行存款',"
        " 0, 9500000),"
        " (12, 2, 2, 2, 3, '2025-03-12', '记', '7', 1, '备用金', '1001', '库存现金', 0, 800000);"
        "INSERT INTO scan_run (id, started_at, actor, catalog_version, rows, warnings,"
        " new_warnings, seconds) VALUES (1, 'x', 'test', '1', 2, 2, 2, '0.1');"
        "INSERT INTO warning (id, fingerprint, unit_code, item, rule, severity, warn_date,"
        " amount, message, evidence, catalog_version, first_scan, last_scan) VALUES"
        " (21, 'fa', '%s', 'F03', 'dup_payment', 'high', '2025-03-12', 9500000,"
        " '疑似重复支付', '{}', '1', 1, 1),"
        " (22, 'fx', '%s', 'F02', 'cash_over_limit', 'medium', '2025-03-12', 800000,"
        " '库存现金超限额', '{}', '1', 1, 1);",
        f->A, f->X, f->A, f->X, f->A, f->X);
    exec(st, sql);
    f->line_a = 11;
    f->line_x = 12;
    f->warn_a = 21;
    f->warn_x = 22;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    store_close(f->st);
    free(f);
    return 0;
}

static int64_t attachment(fx *f, const char *unit, const char *name)
{
    char body[200];
    snprintf(body, sizeof body, "%s：证明材料正文，%s\n", name, unit);
    int64_t id = 0;
    ag_error err;
    must(attach_put(f->st, f->dir, unit, name, body, strlen(body), &id, NULL, &err), &err);
    return id;
}

static int64_t create(fx *f, const ag_scope *sc, const char *kind, const char *unit,
                      const char *const *items, int n)
{
    audit_project_in in = {
        NULL, "2025年度资金安全交叉互审", kind, unit, "2025-01-01", "2025-12-31", items, n};
    audit_actor a = act(sc);
    int64_t id = 0;
    ag_error err;
    must(audit_project_create(f->st, &a, &in, &id, &err), &err);
    assert_true(id > 0);
    return id;
}

static int64_t record(fx *f, const ag_scope *sc, int64_t project, const char *kind,
                      const char *doc_no)
{
    audit_record_in in = {kind, "资料", doc_no, "正文", NULL, 0};
    audit_actor a = act(sc);
    int64_t id = 0;
    ag_error err;
    must(audit_record_add(f->st, &a, project, &in, &id, &err), &err);
    assert_true(id > 0);
    return id;
}

static ag_err try_record(fx *f, const ag_scope *sc, int64_t project, const char *kind,
                         ag_error *err)
{
    audit_record_in in = {kind, "资料", NULL, NULL, NULL, 0};
    audit_actor a = act(sc);
    return audit_record_add(f->st, &a, project, &in, NULL, err);
}

static const char *advance(fx *f, const ag_scope *sc, int64_t project)
{
    audit_actor a = act(sc);
    const char *stage = NULL;
    ag_error err;
    must(app_audit_advance(f->st, &a, project, &stage, &err), &err);
    return stage;
}

static ag_err try_advance(fx *f, const ag_scope *sc, int64_t project, ag_error *err)
{
    audit_actor a = act(sc);
    return app_audit_advance(f->st, &a, project, NULL, err);
}

static void team(fx *f, const ag_scope *sc, int64_t project, int64_t who, const char *role)
{
    audit_actor a = act(sc);
    ag_error err;
    must(audit_team_add(f->st, &a, project, who, role, &err), &err);
}

static audit_finding_in finding_of(const char *item, const char *basis, int64_t amount)
{
    audit_finding_in in = {item,
                           "问题摘要",
                           "2025年3月以现金支付校服款，超出现金使用范围。",
                           amount,
                           basis,
                           "high",
                           "严格执行现金管理规定",
                           "王会计",
                           0,
                           NULL};
    return in;
}

static int64_t finding(fx *f, const ag_scope *sc, int64_t project, const char *item,
                       const char *rect_class)
{
    audit_finding_in in = finding_of(item, "《现金管理暂行条例》第五条", 950000);
    in.rect_class = rect_class;
    audit_actor a = act(sc);
    int64_t id = 0;
    ag_error err;
    must(audit_finding_add(f->st, &a, project, &in, &id, &err), &err);
    assert_true(id > 0);
    return id;
}

static const char *stage_of(fx *f, int64_t project)
{
    static char stage[16];
    json_t *p = NULL;
    ag_error err;
    must(audit_project_get(f->st, project, NULL, &p, &err), &err);
    snprintf(stage, sizeof stage, "%s", json_string_value(json_object_get(p, "stage")));
    json_decref(p);
    return stage;
}

static json_t *missing(fx *f, int64_t project)
{
    json_t *m = NULL;
    ag_error err;
    must(audit_stage_missing(f->st, project, &m, &err), &err);
    return m;
}

static bool missing_has(fx *f, int64_t project, const char *code)
{
    json_t *m = missing(f, project);
    bool yes = false;
    for (size_t i = 0; i < json_array_size(m); i++)
        yes |= !strcmp(json_string_value(json_object_get(json_array_get(m, i), "code")), code);
    json_decref(m);
    return yes;
}

static bool sees(fx *f, const ag_scope *sc, const char *unit)
{
    bool v = false;
    ag_error err;
    must(scope_unit_visible(f->st, sc, unit, &v, &err), &err);
    return v;
}

static int64_t rect_of(fx *f, int64_t finding_id)
{
    return int_of(f->st, "SELECT id FROM rectification WHERE finding_id = ?", finding_id);
}

static const char *const CROSS_ITEMS[] = {"F02", "F03", "K2"};

/* A cross audit of A led by B's auditor with C's auditor, advanced by the
 * admin to stage field with the pre-audit records in place. */
static int64_t cross_in_field(fx *f)
{
    int64_t p = create(f, &f->admin, "cross", f->A, CROSS_ITEMS, 3);
    team(f, &f->admin, p, f->aud_b, "lead");
    team(f, &f->sb, p, f->aud_c, "member");
    record(f, &f->sb, p, "plan", NULL);
    record(f, &f->sup_d01, p, "plan_approval", NULL);
    record(f, &f->sb, p, "notice", "南审通〔2026〕12号");
    record(f, &f->sc, p, "survey", NULL);
    assert_string_equal(advance(f, &f->sb, p), "field");
    return p;
}

/* Takes a project in field with findings through report to rectify. */
static void field_to_rectify(fx *f, int64_t p)
{
    record(f, &f->sc, p, "working_paper", NULL);
    assert_string_equal(advance(f, &f->sb, p), "report");
    record(f, &f->sb, p, "draft_report", NULL);
    record(f, &f->lead_a, p, "response", NULL);
    record(f, &f->sb, p, "final_report", "南审报〔2026〕3号");
    assert_string_equal(advance(f, &f->sb, p), "rectify");
}

/* The audited unit claims an item with one evidence file; the team closes
 * it (or makes it continuous). */
static void rectify_done(fx *f, int64_t rect, const char *decision)
{
    audit_actor unit = act(&f->sa), lead = act(&f->sb);
    int64_t file = attachment(f, f->A, "整改证明.txt");
    ag_error err;
    must(rectify_claim(f->st, &unit, rect, "已整改到位", &file, 1, &err), &err);
    must(rectify_verify(f->st, &lead, rect, decision, "核实到位", &err), &err);
}

/* ---- tests ---------------------------------------------------------------- */

static void test_record_stages(void **state)
{
    (void)state;
    static const char *const want[][2] = {
        {"plan", "pre"},        {"plan_approval", "pre"},   {"notice", "pre"},
        {"survey", "pre"},      {"working_paper", "field"}, {"draft_report", "report"},
        {"response", "report"}, {"final_report", "report"}, {"followup", "rectify"}};
    assert_int_equal(audit_record_kind_count, 9);
    for (int i = 0; i < 9; i++) {
        assert_string_equal(audit_record_kinds[i], want[i][0]);
        assert_string_equal(audit_record_stage(want[i][0]), want[i][1]);
    }
    assert_null(audit_record_stage("memo"));
    assert_null(audit_record_stage(NULL));
    assert_int_equal(audit_stage_count, 5);
    assert_string_equal(audit_stages[4], "closed");
    assert_int_equal(audit_kind_count, 5);
}

static void test_create_refusals(void **state)
{
    fx *f = *state;
    ag_error err;
    const char *items[] = {"F02", "F03"};
    audit_project_in in = {NULL, "交叉互审", "cross", f->A, "2025-01-01", "2025-12-31", items, 2};
    audit_actor a = act(&f->reviewer);
    refused(audit_project_create(f->st, &a, &in, NULL, &err), AG_ERR_DENIED, &err, "审阅");
    a = act(&f->lead_a);
    refused(audit_project_create(f->st, &a, &in, NULL, &err), AG_ERR_DENIED, &err, "管理员");
    a = act(&f->sup_d01);
    refused(audit_project_create(f->st, &a, &in, NULL, &err), AG_ERR_DENIED, &err, NULL);
    /* An internal auditor creates only self-checks, and only of its unit. */
    a = act(&f->sa);
    refused(audit_project_create(f->st, &a, &in, NULL, &err), AG_ERR_DENIED, &err, "自查");
    in.kind = "self_check";
    in.unit_code = f->X;
    refused(audit_project_create(f->st, &a, &in, NULL, &err), AG_ERR_NOTFOUND, &err, "不存在");
    char notfound_x[512];
    snprintf(notfound_x, sizeof notfound_x, "%s", err.zh);
    in.unit_code = "12120104MB9999999X";
    audit_actor adm = act(&f->admin);
    refused(audit_project_create(f->st, &adm, &in, NULL, &err), AG_ERR_NOTFOUND, &err, NULL);
    /* Out of scope reads exactly like missing, apart from the code echoed. */
    assert_non_null(strstr(notfound_x, f->X));
    assert_non_null(strstr(err.zh, "12120104MB9999999X"));

    in.unit_code = f->A;
    in.kind = "cross";
    a = adm;
    struct {
        const char *field;
        audit_project_in in;
        const char *zh;
    } bad[] = {
        {"kind", {NULL, "n", "audit", f->A, "2025-01-01", "2025-12-31", items, 2}, "项目类型"},
        {"name", {NULL, "", "cross", f->A, "2025-01-01", "2025-12-31", items, 2}, "项目名称"},
        {"name", {NULL, "a\001b", "cross", f->A, "2025-01-01", "2025-12-31", items, 2}, "控制字符"},
        {"period_from", {NULL, "n", "cross", f->A, "2025/01/01", "2025-12-31", items, 2}, "YYYY"},
        {"period_to", {NULL, "n", "cross", f->A, "2025-01-01", "2025-02-30", items, 2}, "YYYY"},
        {"period_to", {NULL, "n", "cross", f->A, "2025-12-31", "2025-01-01", items, 2}, "早于"},
        {"items", {NULL, "n", "cross", f->A, "2025-01-01", "2025-12-31", items, 0}, "至少"},
        {"code", {"SJ 01", "n", "cross", f->A, "2025-01-01", "2025-12-31", items, 2}, "项目编号"},
        {"unit_code", {NULL, "n", "cross", "", "2025-01-01", "2025-12-31", items, 2}, "被审计单位"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        refused(audit_project_create(f->st, &a, &bad[i].in, NULL, &err), AG_ERR_INPUT, &err,
                bad[i].zh);
        assert_string_equal(err.where, bad[i].field);
    }
    char long_name[300];
    memset(long_name, 'x', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    in.name = long_name;
    refused(audit_project_create(f->st, &a, &in, NULL, &err), AG_ERR_INPUT, &err, "过长");
    in.name = "交叉互审";
    const char *dup[] = {"F02", "F02"};
    in.items = dup;
    refused(audit_project_create(f->st, &a, &in, NULL, &err), AG_ERR_INPUT, &err, "重复");
    const char *unknown[] = {"F02", "F99"};
    in.items = unknown;
    refused(audit_project_create(f->st, &a, &in, NULL, &err), AG_ERR_INPUT, &err, "F99");
    in.items = items;
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM audit_project"), 0);

    /* Codes: generated per year, or given and then unique. */
    int64_t id = 0;
    must(audit_project_create(f->st, &a, &in, &id, &err), &err);
    json_t *p = NULL;
    must(audit_project_get(f->st, id, NULL, &p, &err), &err);
    assert_non_null(strstr(json_string_value(json_object_get(p, "code")), "SJ-"));
    assert_string_equal(json_string_value(json_object_get(p, "stage")), "pre");
    json_decref(p);
    in.code = "NK-2026-X1";
    must(audit_project_create(f->st, &a, &in, NULL, &err), &err);
    refused(audit_project_create(f->st, &a, &in, NULL, &err), AG_ERR_EXISTS, &err, "已被占用");
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM audit_project"), 2);
}

static void test_team(void **state)
{
    fx *f = *state;
    ag_error err;
    int64_t p = create(f, &f->admin, "cross", f->A, CROSS_ITEMS, 3);
    audit_actor b = act(&f->sb), adm = act(&f->admin), rev = act(&f->reviewer);
    /* Before the assignment B's auditor does not even see the project. */
    refused(audit_team_add(f->st, &b, p, f->aud_b, "lead", &err), AG_ERR_NOTFOUND, &err, "不存在");
    refused(audit_team_add(f->st, &rev, p, f->aud_b, "lead", &err), AG_ERR_DENIED, &err, NULL);
    refused(audit_team_add(f->st, &adm, p, f->aud_b, "boss", &err), AG_ERR_INPUT, &err, "lead");
    refused(audit_team_add(f->st, &adm, p, 9999, "lead", &err), AG_ERR_NOTFOUND, &err, "人员");
    /* Independence: nobody from the audited unit audits it. */
    refused(audit_team_add(f->st, &adm, p, f->aud_a, "member", &err), AG_ERR_INPUT, &err,
            "不得来自被审计单位");
    refused(audit_team_add(f->st, &adm, p, f->leader_a, "lead", &err), AG_ERR_INPUT, &err,
            "不得来自被审计单位");
    team(f, &f->admin, p, f->aud_b, "lead");
    refused(audit_team_add(f->st, &adm, p, f->aud_c, "lead", &err), AG_ERR_EXISTS, &err, "组长");
    refused(audit_team_add(f->st, &adm, p, f->aud_b, "member", &err), AG_ERR_EXISTS, &err, "已在");
    /* A disabled (停用) person joins no team, a disabled unit gets no project. */
    must(grid_person_set_disabled(f->st, f->aud_c, true, &err), &err);
    refused(audit_team_add(f->st, &adm, p, f->aud_c, "member", &err), AG_ERR_INPUT, &err, "已停用");
    must(grid_person_set_disabled(f->st, f->aud_c, false, &err), &err);
    must(grid_unit_set_disabled(f->st, f->A, true, &err), &err);
    audit_project_in in = {NULL,         "停用单位的项目", "cross",     f->A,
                           "2025-01-01", "2025-12-31",     CROSS_ITEMS, 3};
    int64_t none = 0;
    refused(audit_project_create(f->st, &adm, &in, &none, &err), AG_ERR_INPUT, &err, "已停用");
    must(grid_unit_set_disabled(f->st, f->A, false, &err), &err);
    /* The lead staffs the team; a member may not. */
    team(f, &f->sb, p, f->aud_c, "member");
    audit_actor c = act(&f->sc);
    refused(audit_team_add(f->st, &c, p, f->bureau, "member", &err), AG_ERR_DENIED, &err, "组长");
    team(f, &f->sb, p, f->bureau, "member"); /* a bureau person has no unit */

    bool yes = false;
    must(audit_is_team(f->st, &b, p, true, &yes, &err), &err);
    assert_true(yes);
    must(audit_is_team(f->st, &c, p, true, &yes, &err), &err);
    assert_false(yes);
    must(audit_is_team(f->st, &c, p, false, &yes, &err), &err);
    assert_true(yes);
    must(audit_is_team(f->st, &adm, p, true, &yes, &err), &err);
    assert_true(yes);
    audit_actor x = act(&f->sx), a = act(&f->sa), nobody = act(&f->sb_nobody);
    must(audit_is_team(f->st, &x, p, false, &yes, &err), &err);
    assert_false(yes);
    must(audit_is_team(f->st, &a, p, false, &yes, &err), &err);
    assert_false(yes);
    must(audit_is_team(f->st, &nobody, p, false, &yes, &err), &err);
    assert_false(yes);
    must(audit_is_team(f->st, &rev, p, false, &yes, &err), &err);
    assert_false(yes);
    refused(audit_is_team(f->st, &adm, 4242, false, &yes, &err), AG_ERR_NOTFOUND, &err, NULL);

    json_t *o = NULL;
    must(audit_project_get(f->st, p, &f->sb, &o, &err), &err);
    json_t *t = json_object_get(o, "team");
    assert_int_equal(json_array_size(t), 3);
    json_t *lead = json_array_get(t, 0);
    assert_string_equal(json_string_value(json_object_get(lead, "role")), "lead");
    assert_string_equal(json_string_value(json_object_get(lead, "name")), "王组长");
    assert_string_equal(json_string_value(json_object_get(lead, "from_unit")), f->B);
    assert_string_equal(json_string_value(json_object_get(lead, "from_unit_name")),
                        "天津市南开区人民医院");
    assert_true(json_is_null(json_object_get(json_array_get(t, 2), "from_unit")));
    assert_string_equal(json_string_value(json_object_get(o, "lead")), "王组长");
    json_decref(o);
}

/* The whole cross audit, 审前 → 审中 → 审后 → closed, with what each stage
 * refuses on the way. */
static void test_cross_audit_walk(void **state)
{
    fx *f = *state;
    ag_error err;
    int64_t p = create(f, &f->admin, "cross", f->A, CROSS_ITEMS, 3);

    /* 审前: nothing is in place; the first missing thing is named. */
    refused(try_advance(f, &f->admin, p, &err), AG_ERR_INPUT, &err, "组长");
    assert_string_equal(err.where, "team_lead");
    team(f, &f->admin, p, f->aud_b, "lead");
    team(f, &f->sb, p, f->aud_c, "member");
    refused(try_advance(f, &f->sb, p, &err), AG_ERR_INPUT, &err, "审计实施方案");
    assert_non_null(strstr(err.zh, "共缺 4 项"));
    assert_true(missing_has(f, p, "plan") && missing_has(f, p, "plan_approval") &&
                missing_has(f, p, "notice") && missing_has(f, p, "survey"));
    /* Who files the plan: the team, not the audited unit nor a reviewer;
     * someone who cannot see the project hears it does not exist. */
    refused(try_record(f, &f->lead_a, p, "plan", &err), AG_ERR_DENIED, &err, "审计组成员");
    refused(try_record(f, &f->sa, p, "plan", &err), AG_ERR_DENIED, &err, NULL);
    refused(try_record(f, &f->reviewer, p, "plan", &err), AG_ERR_DENIED, &err, "审阅");
    refused(try_record(f, &f->sx, p, "plan", &err), AG_ERR_NOTFOUND, &err, "不存在");
    refused(try_record(f, &f->sb, p, "working_paper", &err), AG_ERR_INPUT, &err, "审中");
    refused(try_record(f, &f->sb, p, "minutes", &err), AG_ERR_INPUT, &err, "资料类型");
    refused(try_record(f, &f->sup_d01, p, "plan_approval", &err), AG_ERR_INPUT, &err, "须先登记");
    audit_record_in blank = {"plan", " ", NULL, NULL, NULL, 0};
    audit_actor b = act(&f->sb);
    refused(audit_record_add(f->st, &b, p, &blank, NULL, &err), AG_ERR_INPUT, &err, "标题");
    int64_t plan_file = attachment(f, f->A, "实施方案.txt");
    int64_t other_file = attachment(f, f->X, "别处.txt");
    audit_record_in plan = {
        "plan", "2025年度资金安全交叉互审实施方案", NULL, "审计范围：F02、F03、K2", &other_file, 1};
    refused(audit_record_add(f->st, &b, p, &plan, NULL, &err), AG_ERR_NOTFOUND, &err, NULL);
    plan.attachment_ids = &plan_file;
    int64_t plan_id = 0;
    must(audit_record_add(f->st, &b, p, &plan, &plan_id, &err), &err);
    assert_int_equal(int_of(f->st, "SELECT owner_id FROM attachment WHERE id = ?", plan_file),
                     plan_id);
    /* Approval comes from outside the team: the lead may not approve its
     * own plan, nor may the department of another cell. */
    refused(try_record(f, &f->sb, p, "plan_approval", &err), AG_ERR_DENIED, &err, "主管部门");
    refused(try_record(f, &f->lead_a, p, "plan_approval", &err), AG_ERR_DENIED, &err, NULL);
    refused(try_record(f, &f->sup_d02, p, "plan_approval", &err), AG_ERR_NOTFOUND, &err, NULL);
    record(f, &f->sup_d01, p, "plan_approval", NULL);
    record(f, &f->sc, p, "notice", "南审通〔2026〕12号");
    refused(try_advance(f, &f->sb, p, &err), AG_ERR_INPUT, &err, "审前调查");
    record(f, &f->sb, p, "survey", NULL);
    /* Only the lead (or admin) advances. */
    refused(try_advance(f, &f->sc, p, &err), AG_ERR_DENIED, &err, "组长");
    refused(try_advance(f, &f->reviewer, p, &err), AG_ERR_DENIED, &err, NULL);
    refused(try_advance(f, &f->lead_a, p, &err), AG_ERR_DENIED, &err, NULL);
    refused(try_advance(f, &f->sx, p, &err), AG_ERR_NOTFOUND, &err, NULL);
    json_t *o = NULL;
    must(audit_project_get(f->st, p, NULL, &o, &err), &err);
    assert_true(json_is_true(json_object_get(o, "may_advance")));
    json_decref(o);
    assert_string_equal(advance(f, &f->sb, p), "field");

    /* 审中. */
    refused(try_record(f, &f->sb, p, "notice", &err), AG_ERR_INPUT, &err, "审前");
    refused(try_advance(f, &f->sb, p, &err), AG_ERR_INPUT, &err, "审计工作底稿");
    audit_actor c = act(&f->sc), lead = act(&f->lead_a), rev = act(&f->reviewer), x = act(&f->sx);
    audit_finding_in in = finding_of("F02", "《现金管理暂行条例》第五条", 950000);
    refused(audit_finding_add(f->st, &lead, p, &in, NULL, &err), AG_ERR_DENIED, &err, "审计组");
    refused(audit_finding_add(f->st, &rev, p, &in, NULL, &err), AG_ERR_DENIED, &err, NULL);
    refused(audit_finding_add(f->st, &x, p, &in, NULL, &err), AG_ERR_NOTFOUND, &err, NULL);
    in.item = "F09";
    refused(audit_finding_add(f->st, &c, p, &in, NULL, &err), AG_ERR_INPUT, &err, "审计范围");
    in.item = "F02";
    in.amount = -1;
    refused(audit_finding_add(f->st, &c, p, &in, NULL, &err), AG_ERR_INPUT, &err, "金额");
    in.amount = 950000;
    in.severity = "urgent";
    refused(audit_finding_add(f->st, &c, p, &in, NULL, &err), AG_ERR_INPUT, &err, "严重程度");
    in.severity = "high";
    in.rect_class = "someday";
    refused(audit_finding_add(f->st, &c, p, &in, NULL, &err), AG_ERR_INPUT, &err, "整改类型");
    in.rect_class = NULL;
    in.title = "";
    refused(audit_finding_add(f->st, &c, p, &in, NULL, &err), AG_ERR_INPUT, &err, "问题摘要");
    in.title = "以现金支付大额校服款";
    in.responsible_person_id = f->aud_b; /* not of the audited unit */
    refused(audit_finding_add(f->st, &c, p, &in, NULL, &err), AG_ERR_NOTFOUND, &err, "责任人");
    in.responsible_person_id = f->aud_a;
    in.responsible = NULL;
    int64_t f1 = 0, f2 = 0, f3 = 0;
    must(audit_finding_add(f->st, &c, p, &in, &f1, &err), &err);
    /* A draft finding without its basis yet. */
    audit_finding_in draft = finding_of("F03", NULL, 12000000);
    draft.title = "同一笔设备款重复支付";
    must(audit_finding_add(f->st, &c, p, &draft, &f2, &err), &err);
    f3 = finding(f, &f->sb, p, "K2", "phased");
    json_t *fj = NULL;
    must(audit_finding_get(f->st, f1, &f->sb, &fj, &err), &err);
    assert_int_equal(json_integer_value(json_object_get(fj, "seq")), 1);
    assert_int_equal(json_integer_value(json_object_get(fj, "amount")), 950000);
    assert_string_equal(json_string_value(json_object_get(fj, "responsible")), "李内审");
    assert_string_equal(json_string_value(json_object_get(fj, "rect_class")), "immediate");
    assert_string_equal(json_string_value(json_object_get(fj, "item_name")), "现金与公务卡");
    assert_false(json_is_true(json_object_get(fj, "repeat")));
    assert_true(json_is_null(json_object_get(fj, "repeat_of")));
    assert_true(json_is_null(json_object_get(fj, "rectification_id")));
    json_decref(fj);
    /* Out of scope: a finding is as absent as a missing one. */
    refused(audit_finding_get(f->st, f1, &f->sx, &fj, &err), AG_ERR_NOTFOUND, &err, "不存在");

    record(f, &f->sc, p, "working_paper", NULL);
    refused(try_advance(f, &f->sb, p, &err), AG_ERR_INPUT, &err, "第 2 号审计发现缺少定性依据");
    assert_string_equal(err.where, "finding_basis");
    draft.basis = "《行政事业单位内部控制规范（试行）》第二十九条";
    audit_actor xb = act(&f->sx);
    refused(audit_finding_update(f->st, &xb, f2, &draft, &err), AG_ERR_NOTFOUND, &err, NULL);
    refused(audit_finding_update(f->st, &lead, f2, &draft, &err), AG_ERR_DENIED, &err, NULL);
    must(audit_finding_update(f->st, &c, f2, &draft, &err), &err);
    assert_false(missing_has(f, p, "finding_basis"));
    assert_string_equal(advance(f, &f->sb, p), "report");
    /* Findings and evidence belong to the fieldwork. */
    refused(audit_finding_add(f->st, &c, p, &in, NULL, &err), AG_ERR_INPUT, &err, "审中");
    refused(audit_finding_update(f->st, &c, f2, &draft, &err), AG_ERR_INPUT, &err, "审中");
    refused(audit_evidence_add(f->st, &c, f1, "warning", f->warn_a, NULL, &err), AG_ERR_INPUT, &err,
            "审中");

    /* 审后·报告: draft, the unit's response, then the final report. */
    refused(try_record(f, &f->lead_a, p, "response", &err), AG_ERR_INPUT, &err, "须先登记");
    refused(try_record(f, &f->sb, p, "final_report", &err), AG_ERR_INPUT, &err, "须先登记");
    refused(try_record(f, &f->sb, p, "followup", &err), AG_ERR_INPUT, &err, "整改");
    record(f, &f->sb, p, "draft_report", "南审征〔2026〕3号");
    /* The response is the audited unit's: not the team's, not the bureau's reviewer. */
    refused(try_record(f, &f->sc, p, "response", &err), AG_ERR_DENIED, &err, "被审计单位");
    refused(try_record(f, &f->reviewer, p, "response", &err), AG_ERR_DENIED, &err, NULL);
    refused(try_record(f, &f->sup_d01, p, "response", &err), AG_ERR_DENIED, &err, NULL);
    record(f, &f->lead_a, p, "response", NULL);
    refused(try_advance(f, &f->sb, p, &err), AG_ERR_INPUT, &err, "审计报告");
    record(f, &f->sb, p, "final_report", "南审报〔2026〕3号");
    /* A later response makes the final report stale. */
    record(f, &f->sa, p, "response", NULL);
    refused(try_advance(f, &f->sb, p, &err), AG_ERR_INPUT, &err, "之后");
    assert_string_equal(err.where, "final_after_response");
    record(f, &f->sb, p, "final_report", "南审报〔2026〕3号");
    assert_string_equal(advance(f, &f->sb, p), "rectify");

    /* 审后·整改: one ledger item per finding. */
    assert_int_equal(int_of(f->st, "SELECT COUNT(*) FROM rectification WHERE project_id = ?", p),
                     3);
    must(audit_finding_get(f->st, f1, NULL, &fj, &err), &err);
    assert_int_equal(json_integer_value(json_object_get(fj, "rectification_id")), rect_of(f, f1));
    json_decref(fj);
    refused(try_advance(f, &f->sb, p, &err), AG_ERR_INPUT, &err, "3 项整改事项");
    assert_true(missing_has(f, p, "followup"));
    rectify_done(f, rect_of(f, f1), "close");
    rectify_done(f, rect_of(f, f2), "close");
    refused(try_advance(f, &f->sb, p, &err), AG_ERR_INPUT, &err, "1 项整改事项");
    rectify_done(f, rect_of(f, f3), "continuous"); /* long-term work still counts */
    refused(try_advance(f, &f->sb, p, &err), AG_ERR_INPUT, &err, "整改跟踪检查记录");
    refused(try_record(f, &f->lead_a, p, "followup", &err), AG_ERR_DENIED, &err, NULL);
    record(f, &f->sc, p, "followup", NULL);
    must(audit_project_get(f->st, p, &f->sb, &o, &err), &err);
    assert_int_equal(json_integer_value(json_object_get(o, "open_rectifications")), 1);
    assert_string_equal(json_string_value(json_object_get(o, "notice_no")), "南审通〔2026〕12号");
    json_decref(o);
    assert_string_equal(advance(f, &f->sb, p), "closed");

    /* Closed: nothing moves any more, and B's and C's auditors no longer
     * see A (the assignment ended). */
    refused(try_advance(f, &f->admin, p, &err), AG_ERR_INPUT, &err, "已结项");
    refused(try_record(f, &f->admin, p, "followup", &err), AG_ERR_INPUT, &err, "已结项");
    audit_actor adm = act(&f->admin);
    refused(audit_team_add(f->st, &adm, p, f->bureau, "member", &err), AG_ERR_INPUT, &err,
            "已结项");
    assert_false(sees(f, &f->sb, f->A));
    assert_false(sees(f, &f->sc, f->A));
    refused(audit_project_get(f->st, p, &f->sb, &o, &err), AG_ERR_NOTFOUND, &err, NULL);
    assert_true(missing_has(f, p, "closed"));

    /* Every write went through the audited store. */
    int64_t writes = count(f->st, "SELECT COUNT(*) FROM audit_log WHERE tbl IN ('audit_project',"
                                  " 'audit_team', 'audit_record', 'finding', 'finding_evidence')");
    int64_t rows = count(f->st, "SELECT (SELECT COUNT(*) FROM audit_project) + (SELECT COUNT(*)"
                                " FROM audit_team) + (SELECT COUNT(*) FROM audit_record) +"
                                " (SELECT COUNT(*) FROM finding) + (SELECT COUNT(*) FROM"
                                " finding_evidence)");
    assert_true(writes >= rows + 5); /* + stage updates and one finding update */
    ag_audit_report rep;
    must(store_audit_verify(f->st, &rep, &err), &err);
}

static void test_evidence(void **state)
{
    fx *f = *state;
    ag_error err;
    int64_t p = cross_in_field(f);
    int64_t fid = finding(f, &f->sc, p, "F03", NULL);
    audit_actor c = act(&f->sc), rev = act(&f->reviewer), lead = act(&f->lead_a), x = act(&f->sx);
    must(audit_evidence_add(f->st, &c, fid, "ledger_line", f->line_a, "付款凭证", &err), &err);
    refused(audit_evidence_add(f->st, &c, fid, "ledger_line", f->line_a, NULL, &err), AG_ERR_EXISTS,
            &err, "已附");
    /* Another unit's line or warning is not evidence here. */
    refused(audit_evidence_add(f->st, &c, fid, "ledger_line", f->line_x, NULL, &err),
            AG_ERR_NOTFOUND, &err, "分录行");
    refused(audit_evidence_add(f->st, &c, fid, "ledger_line", 999, NULL, &err), AG_ERR_NOTFOUND,
            &err, "分录行");
    must(audit_evidence_add(f->st, &c, fid, "warning", f->warn_a, "引入预警", &err), &err);
    refused(audit_evidence_add(f->st, &c, fid, "warning", f->warn_x, NULL, &err), AG_ERR_NOTFOUND,
            &err, "预警");
    int64_t mine = attachment(f, f->A, "银行回单.txt"), theirs = attachment(f, f->X, "回单.txt");
    refused(audit_evidence_add(f->st, &c, fid, "attachment", theirs, NULL, &err), AG_ERR_NOTFOUND,
            &err, "附件");
    must(audit_evidence_add(f->st, &c, fid, "attachment", mine, NULL, &err), &err);
    refused(audit_evidence_add(f->st, &c, fid, "attachment", mine, NULL, &err), AG_ERR_EXISTS, &err,
            NULL);
    assert_int_equal(int_of(f->st, "SELECT owner_id FROM attachment WHERE id = ?", mine), fid);
    refused(audit_evidence_add(f->st, &c, fid, "photo", 1, NULL, &err), AG_ERR_INPUT, &err,
            "证据类型");
    refused(audit_evidence_add(f->st, &rev, fid, "warning", f->warn_a, NULL, &err), AG_ERR_DENIED,
            &err, NULL);
    refused(audit_evidence_add(f->st, &lead, fid, "ledger_line", f->line_a, NULL, &err),
            AG_ERR_DENIED, &err, NULL);
    refused(audit_evidence_add(f->st, &x, fid, "warning", f->warn_x, NULL, &err), AG_ERR_NOTFOUND,
            &err, "审计发现");
    refused(audit_evidence_add(f->st, &c, 4242, "warning", f->warn_a, NULL, &err), AG_ERR_NOTFOUND,
            &err, "审计发现");

    json_t *o = NULL;
    must(audit_finding_get(f->st, fid, &f->sc, &o, &err), &err);
    json_t *ev = json_object_get(o, "evidence");
    assert_int_equal(json_array_size(ev), 3);
    const char *line = json_string_value(json_object_get(json_array_get(ev, 0), "summary"));
    assert_non_null(strstr(line, "记-15"));
    assert_non_null(strstr(line, "95,000.00"));
    const char *warn = json_string_value(json_object_get(json_array_get(ev, 1), "summary"));
    assert_non_null(strstr(warn, "疑似重复支付"));
    assert_string_equal(json_string_value(json_object_get(json_array_get(ev, 1), "note")),
                        "引入预警");
    const char *file = json_string_value(json_object_get(json_array_get(ev, 2), "summary"));
    assert_non_null(strstr(file, "银行回单.txt"));
    json_decref(o);
}

/* 屡审屡犯: a finding on an item at a unit where an earlier audit's finding
 * on the same item was rectified and closed. */
static void test_repeat_offence(void **state)
{
    fx *f = *state;
    ag_error err;
    int64_t p1 = cross_in_field(f);
    int64_t old_f02 = finding(f, &f->sc, p1, "F02", NULL);
    int64_t old_k2 = finding(f, &f->sc, p1, "K2", "phased");
    /* Before the earlier one is closed, a new finding is no repeat. */
    const char *items[] = {"F02", "F03", "K2"};
    int64_t p2 = create(f, &f->admin, "special", f->A, items, 3);
    team(f, &f->admin, p2, f->bureau, "lead");
    record(f, &f->admin, p2, "plan", NULL);
    record(f, &f->admin, p2, "plan_approval", NULL);
    record(f, &f->admin, p2, "notice", NULL);
    record(f, &f->admin, p2, "survey", NULL);
    assert_string_equal(advance(f, &f->admin, p2), "field");
    int64_t early = finding(f, &f->admin, p2, "F02", NULL);
    json_t *o = NULL;
    must(audit_finding_get(f->st, early, NULL, &o, &err), &err);
    assert_false(json_is_true(json_object_get(o, "repeat")));
    json_decref(o);

    field_to_rectify(f, p1);
    rectify_done(f, rect_of(f, old_f02), "close");
    rectify_done(f, rect_of(f, old_k2), "continuous");

    int64_t again = finding(f, &f->admin, p2, "F02", NULL);
    int64_t k2 = finding(f, &f->admin, p2, "K2", NULL);
    int64_t f03 = finding(f, &f->admin, p2, "F03", NULL);
    must(audit_finding_get(f->st, again, NULL, &o, &err), &err);
    assert_true(json_is_true(json_object_get(o, "repeat")));
    assert_int_equal(json_integer_value(json_object_get(o, "repeat_of")), old_f02);
    json_decref(o);
    /* Continuous work is not closed, and an item never found is new. */
    must(audit_finding_get(f->st, k2, NULL, &o, &err), &err);
    assert_false(json_is_true(json_object_get(o, "repeat")));
    json_decref(o);
    must(audit_finding_get(f->st, f03, NULL, &o, &err), &err);
    assert_false(json_is_true(json_object_get(o, "repeat")));
    json_decref(o);
    /* A correction to the item is judged afresh. */
    audit_actor adm = act(&f->admin);
    audit_finding_in in = finding_of("F02", "《现金管理暂行条例》第五条", 1);
    must(audit_finding_update(f->st, &adm, f03, &in, &err), &err);
    must(audit_finding_get(f->st, f03, NULL, &o, &err), &err);
    assert_true(json_is_true(json_object_get(o, "repeat")));
    assert_int_equal(json_integer_value(json_object_get(o, "seq")), 4);
    json_decref(o);
    /* The same item at another unit is not a repeat at A's. */
    const char *f02[] = {"F02"};
    int64_t p3 = create(f, &f->admin, "special", f->X, f02, 1);
    team(f, &f->admin, p3, f->bureau, "lead");
    record(f, &f->admin, p3, "plan", NULL);
    record(f, &f->admin, p3, "plan_approval", NULL);
    record(f, &f->admin, p3, "notice", NULL);
    record(f, &f->admin, p3, "survey", NULL);
    advance(f, &f->admin, p3);
    int64_t elsewhere = finding(f, &f->admin, p3, "F02", NULL);
    must(audit_finding_get(f->st, elsewhere, NULL, &o, &err), &err);
    assert_false(json_is_true(json_object_get(o, "repeat")));
    json_decref(o);
    /* The project page shows the mark too. */
    must(audit_project_get(f->st, p2, NULL, &o, &err), &err);
    json_t *fs = json_object_get(o, "findings");
    assert_int_equal(json_array_size(fs), 4);
    assert_true(json_is_true(json_object_get(json_array_get(fs, 1), "repeat")));
    assert_int_equal(json_integer_value(json_object_get(o, "finding_count")), 4);
    json_decref(o);
}

/* An internal auditor sees an audited unit only while assigned to its audit. */
static void test_assignment_scope(void **state)
{
    fx *f = *state;
    ag_error err;
    assert_false(sees(f, &f->sb, f->A));
    int64_t p = create(f, &f->admin, "cross", f->A, CROSS_ITEMS, 3);
    json_t *o = NULL;
    refused(audit_project_get(f->st, p, &f->sb, &o, &err), AG_ERR_NOTFOUND, &err, "不存在");
    char absent[512];
    refused(audit_project_get(f->st, 4242, &f->sb, &o, &err), AG_ERR_NOTFOUND, &err, NULL);
    snprintf(absent, sizeof absent, "%s", err.zh);
    team(f, &f->admin, p, f->aud_b, "lead");
    assert_true(sees(f, &f->sb, f->A));
    assert_true(sees(f, &f->sb, f->B));
    assert_false(sees(f, &f->sb, f->C));
    assert_false(sees(f, &f->sb_nobody, f->A)); /* an account without its person */
    must(audit_project_get(f->st, p, &f->sb, &o, &err), &err);
    json_decref(o);
    /* Visible is not owned: B's auditor may not open a self-check of A. */
    const char *items[] = {"F02"};
    audit_project_in in = {NULL, "自查", "self_check", f->A, "2025-01-01", "2025-12-31", items, 1};
    audit_actor b = act(&f->sb);
    refused(audit_project_create(f->st, &b, &in, NULL, &err), AG_ERR_DENIED, &err, "本单位");
    /* Lists follow scope. */
    audit_filter all = {0};
    must(audit_project_list(f->st, &all, &f->sx, &o, &err), &err);
    assert_int_equal(json_integer_value(json_object_get(o, "total")), 0);
    json_decref(o);
    must(audit_project_list(f->st, &all, &f->sb, &o, &err), &err);
    assert_int_equal(json_integer_value(json_object_get(o, "total")), 1);
    json_decref(o);
    must(audit_project_list(f->st, &all, &f->lead_a, &o, &err), &err);
    assert_int_equal(json_integer_value(json_object_get(o, "total")), 1);
    json_decref(o);
    must(audit_project_list(f->st, &all, &f->sup_d02, &o, &err), &err);
    assert_int_equal(json_integer_value(json_object_get(o, "total")), 0);
    json_decref(o);
    /* Closing the project ends the assignment. */
    exec(f->st, "UPDATE audit_project SET stage = 'closed'");
    assert_false(sees(f, &f->sb, f->A));
    refused(audit_project_get(f->st, p, &f->sb, &o, &err), AG_ERR_NOTFOUND, &err, NULL);
    /* Out of scope and missing read the same, but for the id. */
    char *cut = strstr(absent, "4242");
    assert_non_null(cut);
    assert_non_null(strstr(err.zh, cut + 4));
}

static void test_self_check(void **state)
{
    fx *f = *state;
    ag_error err;
    const char *items[] = {"F01", "F06"};
    int64_t p = create(f, &f->sa, "self_check", f->A, items, 2);
    audit_actor a = act(&f->sa), c = act(&f->sc), lead = act(&f->lead_a);
    /* The unit staffs its own self-check until it has a lead; another
     * unit's auditor cannot. */
    refused(audit_team_add(f->st, &c, p, f->aud_c, "lead", &err), AG_ERR_NOTFOUND, &err, NULL);
    refused(audit_team_add(f->st, &lead, p, f->aud_a, "lead", &err), AG_ERR_DENIED, &err, NULL);
    must(audit_team_add(f->st, &a, p, f->aud_a, "lead", &err), &err);
    /* A self-check's team comes from the unit itself: no independence rule. */
    int64_t second = person(f->st, "钱专员", f->A, "auditor");
    must(audit_team_add(f->st, &a, p, second, "member", &err), &err);
    record(f, &f->sa, p, "plan", NULL);
    /* A self-check's plan is approved by the unit's leader (or the
     * department), never by the auditors running it. */
    refused(try_record(f, &f->sa, p, "plan_approval", &err), AG_ERR_DENIED, &err, NULL);
    record(f, &f->lead_a, p, "plan_approval", NULL);
    record(f, &f->sa, p, "notice", NULL);
    record(f, &f->sa, p, "survey", NULL);
    assert_string_equal(advance(f, &f->sa, p), "field");
    int64_t fid = finding(f, &f->sa, p, "F06", NULL);
    assert_true(fid > 0);
    json_t *o = NULL;
    audit_filter byunit = {.unit_code = f->A, .stage = "field", .kind = "self_check"};
    must(audit_project_list(f->st, &byunit, &f->lead_a, &o, &err), &err);
    assert_int_equal(json_integer_value(json_object_get(o, "total")), 1);
    json_t *sum = json_array_get(json_object_get(o, "items"), 0);
    assert_int_equal(json_integer_value(json_object_get(sum, "findings")), 1);
    assert_string_equal(json_string_value(json_object_get(sum, "lead")), "李内审");
    json_decref(o);
    /* A leader's cross audit of a cell is not a self-check: no approval. */
    int64_t cross = create(f, &f->admin, "cross", f->A, CROSS_ITEMS, 3);
    team(f, &f->admin, cross, f->aud_b, "lead");
    record(f, &f->sb, cross, "plan", NULL);
    refused(try_record(f, &f->lead_a, cross, "plan_approval", &err), AG_ERR_DENIED, &err, NULL);
}

static void test_list_and_shapes(void **state)
{
    fx *f = *state;
    ag_error err;
    int64_t p = cross_in_field(f);
    finding(f, &f->sc, p, "F02", NULL);
    const char *one[] = {"K7"};
    create(f, &f->admin, "econ_resp", f->X, one, 1);
    json_t *o = NULL;
    audit_filter bad = {.stage = "done"};
    refused(audit_project_list(f->st, &bad, NULL, &o, &err), AG_ERR_INPUT, &err, "阶段");
    audit_filter badkind = {.kind = "audit"};
    refused(audit_project_list(f->st, &badkind, NULL, &o, &err), AG_ERR_INPUT, &err, NULL);
    audit_filter all = {0};
    must(audit_project_list(f->st, &all, NULL, &o, &err), &err);
    assert_int_equal(json_integer_value(json_object_get(o, "total")), 2);
    json_t *first = json_array_get(json_object_get(o, "items"), 1);
    static const char *const keys[] = {"id",
                                       "code",
                                       "name",
                                       "kind",
                                       "unit_code",
                                       "unit_name",
                                       "period_from",
                                       "period_to",
                                       "items",
                                       "stage",
                                       "stage_at",
                                       "lead",
                                       "findings",
                                       "open_rectifications",
                                       "overdue_rectifications",
                                       "created_at",
                                       "notice_no"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (!json_object_get(first, keys[i]))
            fail_msg("summary lacks %s", keys[i]);
    assert_string_equal(json_string_value(json_object_get(first, "unit_name")),
                        "天津市南开区第一中学");
    assert_int_equal(json_array_size(json_object_get(first, "items")), 3);
    assert_string_equal(json_string_value(json_array_get(json_object_get(first, "items"), 2)),
                        "K2");
    json_decref(o);
    audit_filter page = {.limit = 1, .offset = 1};
    must(audit_project_list(f->st, &page, NULL, &o, &err), &err);
    assert_int_equal(json_integer_value(json_object_get(o, "total")), 2);
    assert_int_equal(json_array_size(json_object_get(o, "items")), 1);
    assert_int_equal(
        json_integer_value(json_object_get(json_array_get(json_object_get(o, "items"), 0), "id")),
        p);
    json_decref(o);

    must(audit_project_get(f->st, p, NULL, &o, &err), &err);
    json_t *recs = json_object_get(o, "records");
    assert_int_equal(json_array_size(recs), 4);
    json_t *r0 = json_array_get(recs, 0);
    static const char *const rkeys[] = {"id",   "kind",       "stage",      "title",      "doc_no",
                                        "body", "created_by", "created_at", "attachments"};
    for (size_t i = 0; i < sizeof rkeys / sizeof rkeys[0]; i++)
        if (!json_object_get(r0, rkeys[i]))
            fail_msg("record lacks %s", rkeys[i]);
    assert_string_equal(json_string_value(json_object_get(r0, "stage")), "pre");
    assert_int_equal(
        strncmp(json_string_value(json_object_get(r0, "created_by")), "user:auditor", 12), 0);
    json_t *miss = json_object_get(o, "missing");
    assert_int_equal(json_array_size(miss), 1);
    json_t *m0 = json_array_get(miss, 0);
    assert_string_equal(json_string_value(json_object_get(m0, "code")), "working_paper");
    assert_non_null(json_string_value(json_object_get(m0, "en")));
    assert_true(json_is_false(json_object_get(o, "may_advance")));
    json_t *f0 = json_array_get(json_object_get(o, "findings"), 0);
    static const char *const fkeys[] = {
        "id",         "project_id",     "project_code",    "project_name", "seq",       "unit_code",
        "unit_name",  "item",           "title",           "description",  "amount",    "basis",
        "severity",   "recommendation", "responsible",     "rect_class",   "repeat_of", "repeat",
        "created_by", "created_at",     "rectification_id"};
    for (size_t i = 0; i < sizeof fkeys / sizeof fkeys[0]; i++)
        if (!json_object_get(f0, fkeys[i]))
            fail_msg("finding lacks %s", fkeys[i]);
    assert_null(json_object_get(f0, "evidence"));
    json_decref(o);
    assert_string_equal(stage_of(f, p), "field");
}

/* ---- independence in every project kind (独立性) -------------------------- */

static const char *const KINDS[] = {"self_check", "cross", "special", "tracking", "econ_resp"};
#define NKINDS 5

/* An SOE group in its own cell: head H (with its chief auditor) and two
 * subsidiaries H1, H2, each with an internal auditor. */
typedef struct soe_fx {
    char H[19], H1[19], H2[19];
    int64_t chief, aud_h1, aud_h2;
} soe_fx;

static void soe_group(fx *f, soe_fx *g)
{
    ag_error err;
    grid_cell_in cell = {"G01", "soe", "区国资委", 0, 5};
    must(grid_cell_add(f->st, &cell, &err), &err);
    code_for("91", 11, g->H);
    code_for("91", 12, g->H1);
    code_for("91", 13, g->H2);
    grid_unit_in units[] = {{g->H, "南开城投集团", "国企", "G01", NULL, false, NULL},
                            {g->H1, "南开城投建设公司", "国企", "G01", g->H, false, NULL},
                            {g->H2, "南开城投物业公司", "国企", "G01", g->H, false, NULL}};
    for (int i = 0; i < 3; i++)
        must(grid_unit_add(f->st, &units[i], &err), &err);
    g->chief = person(f->st, "冯总审", g->H, "chief_auditor");
    g->aud_h1 = person(f->st, "陈内审", g->H1, "auditor");
    g->aud_h2 = person(f->st, "褚内审", g->H2, "auditor");
}

/* A refusal of audit_team_add naming `rule` (its Chinese name in the
 * message, the English one too), with nothing written. */
static void team_refused(fx *f, int64_t project, int64_t who, audit_rule rule, const char *zh)
{
    audit_actor adm = act(&f->admin);
    ag_error err;
    int64_t before = count(f->st, "SELECT COUNT(*) FROM audit_team");
    refused(audit_team_add(f->st, &adm, project, who, "member", &err), AG_ERR_INPUT, &err, zh);
    audit_rule_name n = audit_rule_info(rule);
    char want[200];
    snprintf(want, sizeof want, "（独立性规则：%s）", n.zh);
    if (!strstr(err.zh, want))
        fail_msg("expected \"%s\" in \"%s\"", want, err.zh);
    if (!strstr(err.en, n.en))
        fail_msg("expected \"%s\" in \"%s\"", n.en, err.en);
    assert_string_equal(err.where, "person_id");
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM audit_team"), before);
}

static void test_independence_table(void **state)
{
    (void)state;
    /* One row per kind; every kind keeps approver and verifier apart. */
    for (int k = 0; k < NKINDS; k++) {
        const audit_independence *ind = audit_independence_of(KINDS[k]);
        assert_non_null(ind);
        assert_string_equal(ind->kind, KINDS[k]);
        bool self = !strcmp(KINDS[k], "self_check");
        assert_int_equal(ind->rule[AUDIT_RULE_TEAM_NOT_UNIT], !self);
        assert_int_equal(ind->rule[AUDIT_RULE_TEAM_NOT_GROUP], !self);
        assert_int_equal(ind->rule[AUDIT_RULE_TEAM_OWN_AUDIT], self);
        assert_true(ind->rule[AUDIT_RULE_APPROVER_NOT_AUTHOR]);
        assert_true(ind->rule[AUDIT_RULE_APPROVER_NOT_TEAM]);
        assert_true(ind->rule[AUDIT_RULE_VERIFIER_TEAM]);
        assert_int_equal(ind->rule[AUDIT_RULE_VERIFIER_NOT_UNIT], !self);
        assert_true(ind->rule[AUDIT_RULE_VERIFIER_NOT_CLAIMER]);
        json_t *j = audit_independence_json(KINDS[k]);
        assert_int_equal(json_array_size(j), self ? 5 : 7);
        json_decref(j);
    }
    assert_null(audit_independence_of("audit"));
    assert_null(audit_independence_of(NULL));
    json_t *none = audit_independence_json("audit");
    assert_int_equal(json_array_size(none), 0);
    json_decref(none);
    for (int r = 0; r < AUDIT_RULE_COUNT; r++) {
        audit_rule_name n = audit_rule_info((audit_rule)r);
        assert_non_null(n.code);
        assert_non_null(n.zh);
        assert_non_null(n.en);
    }
    assert_null(audit_rule_info(AUDIT_RULE_COUNT).code);
    assert_string_equal(audit_rule_info(AUDIT_RULE_TEAM_NOT_UNIT).zh, "回避被审计单位");
}

static void test_person_relation(void **state)
{
    fx *f = *state;
    soe_fx g;
    soe_group(f, &g);
    ag_error err;
    audit_relation rel;
    struct {
        int64_t who;
        const char *unit;
        audit_relation want;
    } cases[] = {
        {f->aud_a, f->A, AUDIT_REL_UNIT},    {f->leader_a, f->A, AUDIT_REL_UNIT},
        {f->aud_b, f->A, AUDIT_REL_OTHER},   {f->bureau, f->A, AUDIT_REL_BUREAU},
        {g.aud_h2, g.H1, AUDIT_REL_GROUP},   {g.chief, g.H1, AUDIT_REL_GROUP},
        {g.aud_h1, g.H, AUDIT_REL_GROUP},    {g.aud_h1, g.H1, AUDIT_REL_UNIT},
        {f->aud_b, g.H1, AUDIT_REL_OTHER},   {g.aud_h1, f->A, AUDIT_REL_OTHER},
        {f->bureau, g.H1, AUDIT_REL_BUREAU},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        must(audit_person_relation(f->st, cases[i].who, cases[i].unit, &rel, &err), &err);
        if (rel != cases[i].want)
            fail_msg("case %zu: relation %d, want %d", i, (int)rel, (int)cases[i].want);
    }
    /* A subject of the unit counts as its person wherever it sits. */
    int64_t b2 = person(f->st, "蒋兼职", f->B, "auditor");
    must(grid_subject_set(f->st, f->A, b2, "auditor", &err), &err);
    must(audit_person_relation(f->st, b2, f->A, &rel, &err), &err);
    assert_int_equal(rel, AUDIT_REL_UNIT);
    refused(audit_person_relation(f->st, 9999, f->A, &rel, &err), AG_ERR_NOTFOUND, &err, "人员");
}

/* Every kind but a self-check: nobody of the audited unit or its SOE group;
 * a self-check: the unit's (group's) own people; bureau staff in all. */
static void test_team_independence_in_every_kind(void **state)
{
    fx *f = *state;
    soe_fx g;
    soe_group(f, &g);
    int64_t b2 = person(f->st, "蒋兼职", f->B, "auditor");
    ag_error err;
    must(grid_subject_set(f->st, f->A, b2, "auditor", &err), &err);
    const char *items[] = {"F03"};
    for (int k = 0; k < NKINDS; k++) {
        bool self = !strcmp(KINDS[k], "self_check");
        int64_t p = create(f, &f->admin, KINDS[k], f->A, items, 1);
        int64_t q = create(f, &f->admin, KINDS[k], g.H1, items, 1);
        if (!self) {
            /* The special audit that took the school's own cashier. */
            team_refused(f, p, f->aud_a, AUDIT_RULE_TEAM_NOT_UNIT, "审计组成员不得来自被审计单位");
            team_refused(f, p, f->leader_a, AUDIT_RULE_TEAM_NOT_UNIT, "不得来自被审计单位");
            team_refused(f, p, b2, AUDIT_RULE_TEAM_NOT_UNIT, "不得来自被审计单位");
            team(f, &f->admin, p, f->aud_b, "lead");
            team(f, &f->admin, p, f->bureau, "member");
            /* The group: neither the sister company nor the head. */
            team_refused(f, q, g.aud_h1, AUDIT_RULE_TEAM_NOT_UNIT, "不得来自被审计单位");
            team_refused(f, q, g.aud_h2, AUDIT_RULE_TEAM_NOT_GROUP, "国企集团");
            team_refused(f, q, g.chief, AUDIT_RULE_TEAM_NOT_GROUP, "国企集团");
            team(f, &f->admin, q, f->aud_b, "lead");
            team(f, &f->admin, q, f->bureau, "member");
        } else {
            team_refused(f, p, f->aud_b, AUDIT_RULE_TEAM_OWN_AUDIT, "自查的审计组");
            team_refused(f, p, g.aud_h1, AUDIT_RULE_TEAM_OWN_AUDIT, "自查的审计组");
            team(f, &f->admin, p, f->aud_a, "lead");
            team(f, &f->admin, p, b2, "member"); /* a subject of A */
            team(f, &f->admin, p, f->bureau, "member");
            team_refused(f, q, f->aud_b, AUDIT_RULE_TEAM_OWN_AUDIT, "自查的审计组");
            team(f, &f->admin, q, g.aud_h1, "lead");
            team(f, &f->admin, q, g.aud_h2, "member");
            team(f, &f->admin, q, g.chief, "member");
            team(f, &f->admin, q, f->bureau, "member");
        }
        /* The project shows the rules that bind it. */
        json_t *o = NULL;
        must(audit_project_get(f->st, p, NULL, &o, &err), &err);
        json_t *ind = json_object_get(o, "independence");
        assert_int_equal(json_array_size(ind), self ? 5 : 7);
        assert_string_equal(json_string_value(json_object_get(json_array_get(ind, 0), "code")),
                            self ? "team_own_internal_audit" : "team_not_audited_unit");
        json_decref(o);
    }
}

/* Files a plan as sc and returns the refusal (or AG_OK) of approving it as
 * approver. */
static ag_err approve(fx *f, const ag_scope *approver, int64_t p, ag_error *err)
{
    return try_record(f, approver, p, "plan_approval", err);
}

static void approval_refused(fx *f, const ag_scope *approver, int64_t p, audit_rule rule)
{
    ag_error err;
    int64_t before = count(f->st, "SELECT COUNT(*) FROM audit_record");
    audit_rule_name n = audit_rule_info(rule);
    char want[200];
    snprintf(want, sizeof want, "（独立性规则：%s）", n.zh);
    refused(approve(f, approver, p, &err), AG_ERR_DENIED, &err, want);
    if (!strstr(err.en, n.en))
        fail_msg("expected \"%s\" in \"%s\"", n.en, err.en);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM audit_record"), before);
}

/* The plan's approver is neither its author nor on the team, in every kind. */
static void test_plan_approval_independence_in_every_kind(void **state)
{
    fx *f = *state;
    ag_error err;
    const char *items[] = {"F03"};
    /* A department auditor (an account of the D01 supervisor with a person)
     * and a bureau admin with a person of its own. */
    int64_t p_sup = person(f->st, "教育局审计科", f->X, NULL);
    int64_t p_adm = person(f->st, "吴科长", NULL, NULL);
    ag_scope sup_p = scope_of("supervisor", NULL, "D01", p_sup);
    ag_scope adm_p = scope_of("admin", NULL, NULL, p_adm);
    for (int k = 0; k < NKINDS; k++) {
        bool self = !strcmp(KINDS[k], "self_check");
        /* p: the team's plan; the approver from the team is refused. */
        int64_t p = create(f, &f->admin, KINDS[k], f->A, items, 1);
        if (self) {
            team(f, &f->admin, p, f->aud_a, "lead");
            team(f, &f->admin, p, f->leader_a, "member");
            record(f, &f->sa, p, "plan", NULL);
            /* The leader on the team does not approve the team's plan. */
            approval_refused(f, &f->lead_a, p, AUDIT_RULE_APPROVER_NOT_TEAM);
            /* Nor the leader who wrote a plan (as a team member). */
            record(f, &f->lead_a, p, "plan", NULL);
            approval_refused(f, &f->lead_a, p, AUDIT_RULE_APPROVER_NOT_AUTHOR);
            /* The department approves it. */
            must(approve(f, &f->sup_d01, p, &err), &err);
        } else {
            team(f, &f->admin, p, f->aud_b, "lead");
            team(f, &f->admin, p, p_sup, "member");
            record(f, &f->sb, p, "plan", NULL);
            approval_refused(f, &sup_p, p, AUDIT_RULE_APPROVER_NOT_TEAM);
            /* The department auditor wrote a plan of the team: author. */
            record(f, &sup_p, p, "plan", NULL);
            approval_refused(f, &sup_p, p, AUDIT_RULE_APPROVER_NOT_AUTHOR);
            must(approve(f, &f->sup_d01, p, &err), &err);
        }
        /* q: an admin with a person writes the plan and may not approve
         * it; the bureau's own (person-less) admin account may. */
        int64_t q = create(f, &f->admin, KINDS[k], f->A, items, 1);
        team(f, &f->admin, q, self ? f->aud_a : f->aud_b, "lead");
        record(f, &adm_p, q, "plan", NULL);
        approval_refused(f, &adm_p, q, AUDIT_RULE_APPROVER_NOT_AUTHOR);
        if (self) /* the unit's leader, off the team, approves a self-check */
            must(approve(f, &f->lead_a, q, &err), &err);
        else
            must(approve(f, &f->admin, q, &err), &err);
        assert_int_equal(count(f->st, "SELECT COUNT(*) FROM audit_record WHERE kind ="
                                      " 'plan_approval'"),
                         2 * (k + 1));
    }
}

/* ---- issue 13 (usecase): the stage table and the actions it serves ---- */

/* "advance>field", or "" when the scope may not advance the project. */
static const char *stage_actions(fx *f, const ag_scope *sc, int64_t project)
{
    static char buf[64];
    audit_actor a = act(sc);
    json_t *arr = NULL;
    ag_error err;
    must(audit_actions(f->st, &a, project, &arr, &err), &err);
    buf[0] = '\0';
    if (json_array_size(arr) == 1) {
        json_t *x = json_array_get(arr, 0);
        assert_non_null(json_string_value(json_object_get(x, "label")));
        snprintf(buf, sizeof buf, "%s>%s", json_string_value(json_object_get(x, "action")),
                 json_string_value(json_object_get(x, "next")));
    }
    assert_true(json_array_size(arr) <= 1);
    json_decref(arr);
    return buf;
}

static void test_stage_actions(void **state)
{
    fx *f = *state;
    int64_t p = cross_in_field(f);
    assert_string_equal(stage_actions(f, &f->sb, p), "advance>report"); /* the lead */
    assert_string_equal(stage_actions(f, &f->admin, p), "advance>report");
    assert_string_equal(stage_actions(f, &f->sc, p), ""); /* a member */
    assert_string_equal(stage_actions(f, &f->reviewer, p), "");
    field_to_rectify(f, p);
    assert_string_equal(stage_actions(f, &f->sb, p), "advance>closed");
    /* The table is the stages in order. */
    assert_int_equal(audit_stage_transition_count, audit_stage_count - 1);
    for (int i = 0; i < audit_stage_transition_count; i++) {
        assert_string_equal(audit_stage_transitions[i].from, audit_stages[i]);
        assert_string_equal(audit_stage_transitions[i].to, audit_stages[i + 1]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_record_stages),
        cmocka_unit_test_setup_teardown(test_create_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_team, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cross_audit_walk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_evidence, setup, teardown),
        cmocka_unit_test_setup_teardown(test_repeat_offence, setup, teardown),
        cmocka_unit_test_setup_teardown(test_assignment_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_self_check, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_and_shapes, setup, teardown),
        cmocka_unit_test(test_independence_table),
        cmocka_unit_test_setup_teardown(test_person_relation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stage_actions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_team_independence_in_every_kind, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plan_approval_independence_in_every_kind, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
