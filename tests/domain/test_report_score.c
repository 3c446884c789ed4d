/* test_report_score.c - the seven criteria of a report's quality (issue 16) on documents built by
 * hand: each criterion's arithmetic, the rescaling to 100 for plan and summary (no facts,
 * characterisation or recommendation), the reviewer's points over the automatic ones, stored per
 * version, and the `use` criterion against the rectification ledger. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/report.h"
#include "dept_world.h"
#include "util/banned.h"

static json_t *field(const char *key, const char *text)
{
    return json_pack("{s:s,s:s,s:s}", "key", key, "label", key, "text", text);
}

/* An item with fields given as key, text pairs ending in NULL. */
static json_t *item(const char *ref_kind, int64_t ref_id, const char *title, ...)
{
    json_t *fields = json_array();
    va_list ap;
    va_start(ap, title);
    for (;;) {
        const char *k = va_arg(ap, const char *);
        if (!k)
            break;
        const char *t = va_arg(ap, const char *);
        json_array_append_new(fields, field(k, t));
    }
    va_end(ap);
    json_t *ref = json_pack("{s:s,s:n,s:n}", "kind", ref_kind, "id", "code");
    if (ref_id)
        json_object_set_new(ref, "id", json_integer(ref_id));
    return json_pack("{s:s,s:o,s:s,s:o}", "type", "item", "ref", ref, "title", title, "fields",
                     fields);
}

static json_t *para(const char *text)
{
    return json_pack("{s:s,s:s}", "type", "p", "text", text);
}

static void add(json_t *doc, const char *key, json_t *block /* NULL: an empty section */)
{
    json_t *blocks = json_array();
    if (block)
        json_array_append_new(blocks, block);
    json_array_append_new(json_object_get(doc, "sections"),
                          json_pack("{s:s,s:s,s:o}", "key", key, "heading", key, "blocks", blocks));
}

static json_t *doc(const char *kind, const char *unit_name, bool year)
{
    json_t *d = json_pack("{s:s,s:s,s:s,s:s,s:[]}", "format", REPORT_FORMAT, "kind", kind, "title",
                          "报告", "date", "2026-03-02", "sections");
    if (unit_name)
        json_object_set_new(d, "unit_name", json_string(unit_name));
    if (year)
        json_object_set_new(d, "year", json_integer(2026));
    return d;
}

static const json_t *crit(const json_t *score, const char *code)
{
    json_t *cs = json_object_get(score, "criteria");
    for (size_t i = 0; i < json_array_size(cs); i++)
        if (!strcmp(json_string_value(json_object_get(json_array_get(cs, i), "code")), code))
            return json_array_get(cs, i);
    return NULL;
}

static double pts(const json_t *score, const char *code)
{
    const json_t *c = crit(score, code);
    assert_non_null(c);
    json_t *p = json_object_get(c, "points");
    return json_is_null(p) ? -1 : json_number_value(p);
}

static double total(const json_t *score)
{
    return json_number_value(json_object_get(score, "total"));
}

/* An audit report: 5 of 6 required sections with content (the response is empty), 4 of the 6
 * basic facts, three findings of which two have facts + amount + evidence, two a basis, two a
 * recommendation. */
static json_t *audit_doc(int64_t f1, int64_t f2, int64_t f3)
{
    json_t *d = doc("audit", "第二中学", true);
    add(d, "basics",
        item("unit", 0, "第二中学", "name", "第二中学", "code", "121", "kind", "学校", "leader",
             "陈校长", "parent", "", "funds", " ", NULL));
    add(d, "scope", para("2025年度财务收支"));
    add(d, "opinion", para("内部控制基本有效"));
    json_t *fs = json_array();
    json_array_append_new(fs, item("finding", f1, "问题一", "facts", "超标准列支", "amount",
                                   "1,200.00", "evidence", "凭证12号", "basis", "《预算法》",
                                   "recommendation", "退回", NULL));
    json_array_append_new(fs, item("finding", f2, "问题二", "facts", "未招标", "amount",
                                   "30,000.00", "evidence", "", "basis", "《招标投标法》", NULL));
    json_array_append_new(fs, item("finding", f3, "问题三", "facts", "账实不符", "amount", "5.00",
                                   "evidence", "盘点表", "recommendation", "清查", NULL));
    json_array_append_new(
        json_object_get(d, "sections"),
        json_pack("{s:s,s:s,s:o}", "key", "findings", "heading", "问题", "blocks", fs));
    add(d, "handling", para("责令整改"));
    add(d, "response", NULL);
    return d;
}

static void each_criterion_of_an_audit_report(void **state)
{
    (void)state;
    json_t *d = audit_doc(0, 0, 0), *s = NULL;
    ag_error err;
    must(report_doc_check(d, &err), &err);
    must(report_score_compute(NULL, d, &s, &err), &err);
    assert_int_equal(json_array_size(json_object_get(s, "criteria")), 7);
    assert_float_equal(pts(s, "completeness"), 16.7, 1e-9); /* 20 × 5/6 */
    assert_float_equal(pts(s, "basics"), 6.7, 1e-9);        /* 10 × 4/6: blank is missing */
    assert_float_equal(pts(s, "opinion"), -1, 1e-9);        /* the reviewer's, not yet set */
    assert_false(json_is_true(json_object_get(crit(s, "opinion"), "auto"))); /* never automatic */
    assert_float_equal(pts(s, "facts"), 10, 1e-9);                           /* 15 × 2/3 */
    assert_float_equal(pts(s, "characterisation"), 10, 1e-9);
    assert_float_equal(pts(s, "recommendation"), 10, 1e-9);
    assert_float_equal(pts(s, "use"), 0, 1e-9); /* no store: nothing tracked */
    /* 16.7 + 6.7 + 10 + 10 + 10 of 100 */
    assert_float_equal(total(s), 53.4, 1e-9);
    const json_t *c = crit(s, "facts");
    assert_int_equal(json_integer_value(json_object_get(c, "max")), 15);
    assert_true(json_is_true(json_object_get(c, "auto")));
    assert_string_equal(json_string_value(json_object_get(c, "name_zh")), "事实描述");
    assert_non_null(strstr(json_string_value(json_object_get(c, "basis_zh")), "问题 3 个"));
    assert_true(json_is_null(json_object_get(c, "by")));
    json_decref(s);
    json_decref(d);
    /* no problems at all: the problem criteria are full */
    d = doc("audit", "第二中学", true);
    add(d, "findings", NULL);
    must(report_score_compute(NULL, d, &s, &err), &err);
    assert_float_equal(pts(s, "facts"), 15, 1e-9);
    assert_float_equal(pts(s, "completeness"), 0, 1e-9);
    assert_float_equal(pts(s, "basics"), 0, 1e-9);
    json_decref(s);
    json_decref(d);
}

static void a_rectification_report(void **state)
{
    (void)state;
    json_t *d = doc("rectification", "第二中学", true), *s = NULL;
    json_object_set_new(d, "project_code", json_string("P1"));
    add(d, "summary", para("已整改"));
    json_t *its = json_array();
    json_array_append_new(its,
                          item("finding", 0, "问题一", "facts", "超标准列支", "measures", "退回",
                               "result", "已退回", "evidence", "收据", "state", "已销号", NULL));
    json_array_append_new(its, item("finding", 0, "问题二", "facts", "未招标", "measures", "",
                                    "result", "", "evidence", "", "state", "整改中", NULL));
    json_array_append_new(
        json_object_get(d, "sections"),
        json_pack("{s:s,s:s,s:o}", "key", "items", "heading", "事项", "blocks", its));
    add(d, "open", NULL);
    ag_error err;
    must(report_score_compute(NULL, d, &s, &err), &err);
    assert_float_equal(pts(s, "completeness"), 13.3, 1e-9);    /* 2 of the 3 required */
    assert_float_equal(pts(s, "basics"), 10, 1e-9);            /* unit and project named */
    assert_float_equal(pts(s, "facts"), 7.5, 1e-9);            /* 1 of 2 with facts and evidence */
    assert_float_equal(pts(s, "characterisation"), 7.5, 1e-9); /* measures */
    assert_float_equal(pts(s, "recommendation"), 7.5, 1e-9);   /* results */
    assert_float_equal(pts(s, "use"), 10, 1e-9); /* without a store: both carry a state */
    assert_float_equal(total(s), 55.8, 1e-9);
    json_decref(s);
    json_decref(d);
}

static void plan_and_summary_rescale(void **state)
{
    (void)state;
    ag_error err;
    /* the plan: four criteria (55 points) rescaled to 100 */
    json_t *d = doc("plan", "第一中学", true), *s = NULL;
    add(d, "basis", para("依据"));
    add(d, "risk", para("排序"));
    json_t *ps = json_array();
    json_array_append_new(ps, item("unit", 0, "项目一", "scope", "资金", "timing", "一季度",
                                   "resources", "李审计", "reason", "风险高", NULL));
    json_array_append_new(
        ps, item("unit", 0, "项目二", "scope", "资产", "timing", "", "resources", "李审计", NULL));
    json_array_append_new(
        json_object_get(d, "sections"),
        json_pack("{s:s,s:s,s:o}", "key", "projects", "heading", "项目", "blocks", ps));
    add(d, "resources", para("两名内审人员"));
    must(report_doc_check(d, &err), &err);
    must(report_score_compute(NULL, d, &s, &err), &err);
    assert_int_equal(json_array_size(json_object_get(s, "criteria")), 4);
    assert_null(crit(s, "facts"));
    assert_null(crit(s, "characterisation"));
    assert_null(crit(s, "recommendation"));
    assert_float_equal(pts(s, "completeness"), 20, 1e-9);
    assert_float_equal(pts(s, "basics"), 7.5, 1e-9); /* 5 for unit + year, 5 × 1/2 projects */
    assert_float_equal(pts(s, "opinion"), -1, 1e-9);
    assert_float_equal(pts(s, "use"), -1, 1e-9); /* no store to check against */
    assert_float_equal(total(s), 50, 1e-9);      /* 27.5 / 55 × 100 */
    json_decref(s);
    json_decref(d);
    /* the summary: 3 of 6 required sections, unit and year named */
    d = doc("summary", "第一中学", true);
    add(d, "plan_exec", para("完成"));
    add(d, "findings", para("问题"));
    add(d, "amounts", para("金额"));
    must(report_score_compute(NULL, d, &s, &err), &err);
    assert_float_equal(pts(s, "completeness"), 10, 1e-9);
    assert_float_equal(pts(s, "basics"), 10, 1e-9);
    assert_float_equal(total(s), 36.4, 1e-9); /* 20 / 55 × 100 = 36.36 */
    json_decref(s);
    json_decref(d);
    /* no year: basics 0 */
    d = doc("summary", "第一中学", false);
    must(report_score_compute(NULL, d, &s, &err), &err);
    assert_float_equal(pts(s, "basics"), 0, 1e-9);
    json_decref(s);
    json_decref(d);
}

static int64_t create_audit(dept_world *w, json_t *d)
{
    ag_error err;
    int64_t id = 0;
    must(report_create(w->st, &w->admin, "audit", 1, NULL, 0, d, &id, &err), &err);
    return id;
}

static void reviewer_points_override_per_version(void **state)
{
    dept_world *w = *state;
    ag_store *st = w->st;
    ag_error err;
    must(store_exec(st,
                    "INSERT INTO audit_project (id, code, name, kind, unit_code, period_from,"
                    " period_to, items, catalog_version, stage, stage_at, created_by, created_at)"
                    " SELECT 1, 'P1', '审计', 'cross', code, '2025-01-01', '2025-12-31', '[]', 1,"
                    " 'report', '2026-02-20T02:00:00Z', 't', '2026-01-10T02:00:00Z' FROM unit"
                    " WHERE name = '第二中学'",
                    &err),
         &err);
    /* findings 1 and 2 of the project, only 1 in the rectification ledger */
    char q[2000];
    snprintf(q, sizeof q,
             "INSERT INTO finding (id, project_id, seq, unit_code, item, catalog_version, title,"
             " description, basis, severity, created_by, created_at) VALUES"
             " (1, 1, 1, '%s', 'F01', 1, 't', 'd', 'b', 'medium', 't', '2026-02-01T02:00:00Z'),"
             " (2, 1, 2, '%s', 'F01', 1, 't', 'd', 'b', 'medium', 't', '2026-02-01T02:00:00Z');"
             "INSERT INTO rectification (finding_id, project_id, unit_code, class, deadline,"
             " state, created_at) VALUES (1, 1, '%s', 'immediate', '2026-06-30', 'open', 't');",
             w->ub, w->ub, w->ub);
    must(store_exec(st, q, &err), &err);
    json_t *d = audit_doc(1, 2, 0);
    int64_t id = create_audit(w, d);
    json_t *s = NULL;
    must(report_score_get(st, &w->admin, id, &s, &err), &err);
    assert_int_equal(json_integer_value(json_object_get(s, "version")), 1);
    assert_float_equal(pts(s, "use"), 3.3, 1e-9); /* 1 of 3 problems tracked */
    assert_float_equal(total(s), 56.7, 1e-9);
    json_decref(s);
    /* the reviewer: bounds, criteria of the kind, admin only */
    json_t *bad = json_pack("{s:i}", "opinion", 16);
    dept_refused(report_score_set(st, &w->admin, id, bad, &err), AG_ERR_INPUT, &err);
    assert_string_equal(err.where, "opinion");
    json_decref(bad);
    bad = json_pack("{s:f}", "opinion", 12.25);
    dept_refused(report_score_set(st, &w->admin, id, bad, &err), AG_ERR_INPUT, &err);
    json_decref(bad);
    bad = json_pack("{s:i}", "style", 3);
    dept_refused(report_score_set(st, &w->admin, id, bad, &err), AG_ERR_INPUT, &err);
    assert_string_equal(err.where, "style");
    dept_refused(report_score_set(st, &w->reviewer, id, bad, &err), AG_ERR_DENIED, &err);
    json_decref(bad);
    json_t *pts_in = json_pack("{s:f,s:i}", "opinion", 12.5, "facts", 15);
    dept_refused(report_score_set(st, &w->leader_b, id, pts_in, &err), AG_ERR_DENIED, &err);
    must(report_score_set(st, &w->admin, id, pts_in, &err), &err);
    json_decref(pts_in);
    must(report_score_get(st, &w->admin, id, &s, &err), &err);
    assert_float_equal(pts(s, "opinion"), 12.5, 1e-9);
    assert_float_equal(pts(s, "facts"), 15, 1e-9);
    const json_t *c = crit(s, "facts");
    assert_false(json_is_true(json_object_get(c, "auto")));
    assert_string_equal(json_string_value(json_object_get(c, "by")), "user:admin");
    assert_float_equal(json_number_value(json_object_get(c, "auto_points")), 10, 1e-9);
    assert_true(json_is_true(json_object_get(crit(s, "basics"), "auto")));
    /* 16.7 + 6.7 + 12.5 + 15 + 10 + 10 + 3.3 */
    assert_float_equal(total(s), 74.2, 1e-9);
    json_decref(s);
    /* null takes a point back to the automatic one */
    pts_in = json_pack("{s:n}", "facts");
    must(report_score_set(st, &w->admin, id, pts_in, &err), &err);
    json_decref(pts_in);
    must(report_score_get(st, &w->admin, id, &s, &err), &err);
    assert_float_equal(pts(s, "facts"), 10, 1e-9);
    assert_float_equal(total(s), 69.2, 1e-9);
    json_decref(s);
    /* the score follows the filed version: a new version is scored afresh once filed */
    json_t *resp = json_pack("[{s:s,s:s}]", "type", "p", "text", "无异议");
    must(report_save_section(st, &w->admin, id, "response", resp, 0, NULL, &err), &err);
    json_decref(resp);
    must(report_score_get(st, &w->admin, id, &s, &err), &err);
    assert_int_equal(json_integer_value(json_object_get(s, "version")), 2);
    assert_float_equal(pts(s, "completeness"), 20, 1e-9);
    assert_float_equal(pts(s, "opinion"), -1, 1e-9); /* version 2 has no points yet */
    json_decref(s);
    must(report_file(st, &w->admin, id, &err), &err);
    pts_in = json_pack("{s:i}", "opinion", 14);
    must(report_score_set(st, &w->admin, id, pts_in, &err), &err);
    json_decref(pts_in);
    /* the report object carries the filed version's score; the list its total */
    json_t *o = NULL;
    must(report_get(st, &w->admin, id, &o, &err), &err);
    json_t *sc = json_object_get(o, "score");
    assert_int_equal(json_integer_value(json_object_get(sc, "version")), 2);
    assert_float_equal(pts(sc, "opinion"), 14, 1e-9);
    /* the compute of a report object is that same score */
    must(report_score_compute(st, o, &s, &err), &err);
    assert_float_equal(total(s), total(sc), 1e-9);
    json_decref(s);
    json_decref(o);
    assert_int_equal(dept_count(st, "SELECT COUNT(*) FROM report_score WHERE version = 1"), 1);
    assert_int_equal(dept_count(st, "SELECT COUNT(*) FROM report_score WHERE version = 2"), 1);
    assert_true(dept_count(st, "SELECT COUNT(*) FROM audit_log WHERE tbl = 'report_score'") >= 4);
    double t = 0;
    bool has = false;
    must(report_score_total(st, id, &t, &has, &err), &err);
    assert_true(has);
    assert_float_equal(t, 20 + 6.7 + 14 + 10 + 10 + 10 + 3.3, 1e-9);
    json_decref(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_criterion_of_an_audit_report),
        cmocka_unit_test(a_rectification_report),
        cmocka_unit_test(plan_and_summary_rescale),
        cmocka_unit_test_setup_teardown(reviewer_points_override_per_version, dept_setup,
                                        dept_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
