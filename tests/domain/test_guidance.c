/* test_guidance.c - guidance opinions answered and overdue under a controlled clock, the 提醒
 * they raise, who may issue and reply, supervision visits whose findings become rectification
 * items, and the department's one view (issue 14 §2). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/guidance.h"
#include "domain/dashboard.h"
#include "domain/guidance.h"
#include "dept_world.h"
#include "util/clock.h"
#include "util/banned.h"

static const char *str(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static int64_t num(json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

/* An opinion of actor a to units A and B due 2026-03-10. */
static int64_t issue_ab(dept_world *w, const audit_actor *a)
{
    const char *units[] = {w->ua, w->ub};
    guidance_in in = {.subject = "加强资金支付审批",
                      .body = "请核查2025年度大额资金支付的审批记录并书面答复。",
                      .due_date = "2026-03-10",
                      .units = units,
                      .nunits = 2};
    json_t *o = NULL;
    ag_error err;
    must(app_guidance_issue(w->st, a, &in, &o, &err), &err);
    int64_t id = num(o, "id");
    json_decref(o);
    return id;
}

static json_t *target(json_t *op, const char *unit)
{
    json_t *ts = json_object_get(op, "targets");
    for (size_t i = 0; i < json_array_size(ts); i++)
        if (!strcmp(str(json_array_get(ts, i), "unit_code"), unit))
            return json_array_get(ts, i);
    fail_msg("no target %s", unit);
    return NULL;
}

static void an_opinion_is_checked_field_by_field(void **state)
{
    dept_world *w = *state;
    ag_error err;
    const char *units[] = {w->ua, w->ua};
    guidance_in in = {
        .subject = "x", .body = "y", .due_date = "2026-02-30", .units = units, .nunits = 1};
    dept_refused(app_guidance_issue(w->st, &w->sup_d01, &in, NULL, &err), AG_ERR_INPUT, &err);
    assert_string_equal(err.where, "due_date");
    in.due_date = "2026-03-01"; /* yesterday */
    dept_refused(app_guidance_issue(w->st, &w->sup_d01, &in, NULL, &err), AG_ERR_INPUT, &err);
    assert_string_equal(err.where, "due_date");
    in.due_date = "2026-03-10";
    in.nunits = 2;
    dept_refused(app_guidance_issue(w->st, &w->sup_d01, &in, NULL, &err), AG_ERR_INPUT, &err);
    assert_string_equal(err.where, "units");
    in.nunits = 0;
    dept_refused(app_guidance_issue(w->st, &w->sup_d01, &in, NULL, &err), AG_ERR_INPUT, &err);
    in.nunits = 1;
    in.subject = "";
    dept_refused(app_guidance_issue(w->st, &w->sup_d01, &in, NULL, &err), AG_ERR_INPUT, &err);
    assert_string_equal(err.where, "subject");
    assert_int_equal(dept_count(w->st, "SELECT COUNT(*) FROM guidance_opinion"), 0);
}

static void a_department_guides_only_its_own_units(void **state)
{
    dept_world *w = *state;
    ag_error err;
    const char *units[] = {w->uc};
    guidance_in in = {
        .subject = "x", .body = "y", .due_date = "2026-03-10", .units = units, .nunits = 1};
    dept_refused(app_guidance_issue(w->st, &w->sup_d01, &in, NULL, &err), AG_ERR_NOTFOUND, &err);
    dept_refused(app_guidance_issue(w->st, &w->leader_c, &in, NULL, &err), AG_ERR_DENIED, &err);
    dept_refused(app_guidance_issue(w->st, &w->reviewer, &in, NULL, &err), AG_ERR_DENIED, &err);
    must(app_guidance_issue(w->st, &w->sup_s01, &in, NULL, &err), &err);
    int64_t id = issue_ab(w, &w->sup_d01);
    json_t *o = NULL;
    must(guidance_get(w->st, id, &w->sup_d01.scope, &o, &err), &err);
    assert_string_equal(str(o, "cell_id"), "D01");
    assert_string_equal(str(o, "issuer"), "区教育局");
    json_decref(o);
    /* S01's department and unit C see nothing of D01's opinion */
    dept_refused(guidance_get(w->st, id, &w->sup_s01.scope, &o, &err), AG_ERR_NOTFOUND, &err);
    dept_refused(guidance_get(w->st, id, &w->leader_c.scope, &o, &err), AG_ERR_NOTFOUND, &err);
    /* unit A sees its own part only */
    must(guidance_get(w->st, id, &w->leader_a.scope, &o, &err), &err);
    assert_int_equal(json_array_size(json_object_get(o, "targets")), 1);
    json_decref(o);
    /* a bureau admin may issue in a department's name */
    in.cell_id = "D01";
    units[0] = w->ua;
    must(app_guidance_issue(w->st, &w->admin, &in, &o, &err), &err);
    assert_string_equal(str(o, "cell_id"), "D01");
    json_decref(o);
}

static void an_opinion_answered_and_overdue(void **state)
{
    dept_world *w = *state;
    ag_error err;
    int64_t id = issue_ab(w, &w->sup_d01);
    /* only the addressed unit's own people answer for it */
    dept_refused(app_guidance_reply(w->st, &w->leader_a, id, w->ub, "代答", NULL, 0, NULL, &err),
                 AG_ERR_NOTFOUND, &err);
    dept_refused(app_guidance_reply(w->st, &w->sup_d01, id, w->ua, "代答", NULL, 0, NULL, &err),
                 AG_ERR_DENIED, &err);
    dept_refused(app_guidance_reply(w->st, &w->leader_c, id, w->uc, "无关", NULL, 0, NULL, &err),
                 AG_ERR_NOTFOUND, &err);
    dept_refused(app_guidance_reply(w->st, &w->leader_a, id, w->ua, "", NULL, 0, NULL, &err),
                 AG_ERR_INPUT, &err);
    json_t *o = NULL;
    must(app_guidance_reply(w->st, &w->auditor_a, id, w->ua, "已逐笔核查，补齐审批记录。", NULL, 0,
                            &o, &err),
         &err);
    /* the unit's answer shows its own part; the department sees every unit's */
    assert_int_equal(json_array_size(json_object_get(o, "targets")), 1);
    json_decref(o);
    must(guidance_get(w->st, id, &w->sup_d01.scope, &o, &err), &err);
    assert_string_equal(str(target(o, w->ua), "state"), "replied");
    assert_string_equal(str(target(o, w->ub), "state"), "waiting");
    assert_string_equal(str(o, "state"), "open");
    json_decref(o);
    guidance_filter over = {.state = "overdue"};
    must(guidance_list(w->st, &w->sup_d01.scope, &over, &o, &err), &err);
    assert_int_equal(num(o, "total"), 0);
    json_decref(o);
    /* the due date passes: B is overdue, the opinion with it */
    setenv("AUDITGRID_NOW", "2026-03-11", 1);
    must(guidance_list(w->st, &w->sup_d01.scope, &over, &o, &err), &err);
    assert_int_equal(num(o, "total"), 1);
    json_t *row = json_array_get(json_object_get(o, "items"), 0);
    assert_string_equal(str(row, "state"), "overdue");
    assert_int_equal(num(row, "overdue"), 1);
    assert_int_equal(num(row, "answered"), 1);
    json_decref(o);
    /* A, having replied, has nothing overdue */
    must(guidance_list(w->st, &w->leader_a.scope, &over, &o, &err), &err);
    assert_int_equal(num(o, "total"), 0);
    json_decref(o);
    /* B replies late: recorded, marked late, and the opinion is answered */
    must(
        app_guidance_reply(w->st, &w->leader_b, id, w->ub, "逾期答复：已整改。", NULL, 0, &o, &err),
        &err);
    json_decref(o);
    must(guidance_get(w->st, id, &w->sup_d01.scope, &o, &err), &err);
    assert_string_equal(str(target(o, w->ub), "state"), "late");
    assert_string_equal(str(o, "state"), "answered");
    json_decref(o);
}

static void overdue_opinions_reach_reminders_and_the_dashboard(void **state)
{
    dept_world *w = *state;
    ag_error err;
    int64_t id = issue_ab(w, &w->sup_d01);
    must(app_guidance_reply(w->st, &w->leader_a, id, w->ua, "已答复", NULL, 0, NULL, &err), &err);
    int64_t n = -1;
    must(app_guidance_remind(w->st, &n, &err), &err);
    assert_int_equal(n, 0); /* nothing is due yet */
    setenv("AUDITGRID_NOW", "2026-03-11", 1);
    must(app_guidance_remind(w->st, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_int_equal(dept_count(w->st, "SELECT COUNT(*) FROM notification WHERE kind ="
                                       " 'guidance_overdue' AND audience = 'leader'"),
                     1);
    assert_int_equal(dept_count(w->st, "SELECT COUNT(*) FROM notification WHERE kind ="
                                       " 'guidance_overdue' AND audience = 'supervisor'"
                                       " AND cell_id = 'D01' AND opinion_id IS NOT NULL"),
                     1);
    must(app_guidance_remind(w->st, &n, &err), &err);
    assert_int_equal(n, 0); /* idempotent */
    json_t *d = NULL;
    must(dashboard_get(w->st, &w->sup_d01.scope, ag_clock_now(), &d, &err), &err);
    json_t *g = json_object_get(d, "guidance");
    assert_int_equal(num(g, "overdue_opinions"), 1);
    assert_string_equal(str(json_array_get(json_object_get(g, "overdue"), 0), "unit_code"), w->ub);
    json_decref(d);
    must(dashboard_get(w->st, &w->leader_a.scope, ag_clock_now(), &d, &err), &err);
    assert_int_equal(num(json_object_get(d, "guidance"), "overdue_opinions"), 0);
    json_decref(d);
}

static void a_visit_finding_enters_the_rectification_chain(void **state)
{
    dept_world *w = *state;
    ag_error err;
    guidance_visit_in vi = {.unit_code = w->ua, .visit_date = "2026-03-01", .subject = "督导检查"};
    dept_refused(app_guidance_visit_add(w->st, &w->leader_a, &vi, NULL, &err), AG_ERR_DENIED, &err);
    vi.visit_date = "2026-03-05";
    dept_refused(app_guidance_visit_add(w->st, &w->sup_d01, &vi, NULL, &err), AG_ERR_INPUT, &err);
    assert_string_equal(err.where, "visit_date");
    vi.visit_date = "2026-03-01";
    json_t *v = NULL;
    must(app_guidance_visit_add(w->st, &w->sup_d01, &vi, &v, &err), &err);
    int64_t vid = num(v, "id");
    assert_string_equal(str(v, "cell_id"), "D01");
    json_decref(v);
    audit_finding_in fi = {.item = "F03",
                           .title = "大额支付缺少集体决策",
                           .description = "3笔大额支付未见集体决策记录",
                           .amount = 1200000,
                           .basis = "内部控制规范第四十条",
                           .severity = "medium",
                           .rect_class = "phased"};
    dept_refused(app_guidance_visit_finding(w->st, &w->sup_s01, vid, &fi, NULL, NULL, &err),
                 AG_ERR_NOTFOUND, &err);
    int64_t rid = 0;
    must(app_guidance_visit_finding(w->st, &w->sup_d01, vid, &fi, &rid, &v, &err), &err);
    assert_true(rid > 0);
    json_t *fl = json_object_get(v, "finding_list");
    assert_int_equal(json_array_size(fl), 1);
    assert_int_equal(num(json_array_get(fl, 0), "rectification_id"), rid);
    assert_string_equal(str(json_array_get(fl, 0), "rect_state"), "open");
    json_decref(v);
    /* the same chain as an audit's: a rectification item of unit A in its standing ledger */
    char sql[300];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM rectification r JOIN audit_project p ON p.id = r.project_id"
             " WHERE r.id = %lld AND r.unit_code = '%s' AND r.class = 'phased'"
             " AND p.standing = 'warning'",
             (long long)rid, w->ua);
    assert_int_equal(dept_count(w->st, sql), 1);
    /* refused findings leave nothing */
    fi.item = "Z99";
    dept_refused(app_guidance_visit_finding(w->st, &w->sup_d01, vid, &fi, NULL, NULL, &err),
                 AG_ERR_INPUT, &err);
    assert_int_equal(dept_count(w->st, "SELECT COUNT(*) FROM supervision_finding"), 1);
    assert_int_equal(dept_count(w->st, "SELECT COUNT(*) FROM finding"), 1);
}

static void the_department_sees_its_units_in_one_view(void **state)
{
    dept_world *w = *state;
    ag_error err;
    issue_ab(w, &w->sup_d01);
    guidance_visit_in vi = {.unit_code = w->ub, .visit_date = "2026-03-01", .subject = "督导检查"};
    json_t *v = NULL;
    must(app_guidance_visit_add(w->st, &w->sup_d01, &vi, &v, &err), &err);
    audit_finding_in fi = {
        .item = "F01", .title = "账户未备案", .description = "d", .basis = "b", .severity = "high"};
    must(app_guidance_visit_finding(w->st, &w->sup_d01, num(v, "id"), &fi, NULL, NULL, &err), &err);
    json_decref(v);
    setenv("AUDITGRID_NOW", "2026-03-11", 1);
    json_t *d = NULL;
    must(guidance_department(w->st, &w->sup_d01, "S01" /* ignored */, &d, &err), &err);
    assert_string_equal(str(json_object_get(d, "cell"), "id"), "D01");
    json_t *c = json_object_get(d, "counts");
    assert_int_equal(num(c, "units"), 2);
    assert_int_equal(num(c, "findings"), 1);
    assert_int_equal(num(c, "open_rectifications"), 1);
    assert_int_equal(num(c, "overdue_opinions"), 2);
    json_t *units = json_object_get(d, "units");
    assert_int_equal(json_array_size(units), 2);
    assert_string_equal(str(json_array_get(units, 1), "code"), w->ub);
    assert_int_equal(num(json_array_get(units, 1), "findings"), 1);
    assert_int_equal(json_array_size(json_object_get(d, "rectifications")), 1);
    json_decref(d);
    /* who may look: a reviewer names the cell, a unit may not, a liaison its own cells */
    must(guidance_department(w->st, &w->reviewer, "S01", &d, &err), &err);
    assert_int_equal(num(json_object_get(d, "counts"), "units"), 1);
    json_decref(d);
    dept_refused(guidance_department(w->st, &w->leader_a, "D01", &d, &err), AG_ERR_NOTFOUND, &err);
    dept_refused(guidance_department(w->st, &w->liaison, "S01", &d, &err), AG_ERR_NOTFOUND, &err);
    must(guidance_department(w->st, &w->liaison, "D01", &d, &err), &err);
    json_decref(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(an_opinion_is_checked_field_by_field, dept_setup,
                                        dept_teardown),
        cmocka_unit_test_setup_teardown(a_department_guides_only_its_own_units, dept_setup,
                                        dept_teardown),
        cmocka_unit_test_setup_teardown(an_opinion_answered_and_overdue, dept_setup, dept_teardown),
        cmocka_unit_test_setup_teardown(overdue_opinions_reach_reminders_and_the_dashboard,
                                        dept_setup, dept_teardown),
        cmocka_unit_test_setup_teardown(a_visit_finding_enters_the_rectification_chain, dept_setup,
                                        dept_teardown),
        cmocka_unit_test_setup_teardown(the_department_sees_its_units_in_one_view, dept_setup,
                                        dept_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
