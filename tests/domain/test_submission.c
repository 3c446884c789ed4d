/* test_submission.c - a unit's submissions (报送): filing, who decides, accept / return / refile,
 * the list by status and what each scope sees (issue 14 §2). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/submission.h"
#include "domain/submission.h"
#include "dept_world.h"
#include "util/banned.h"

static int64_t file_one(dept_world *w, const audit_actor *a, const char *unit, const char *cell)
{
    submission_in in = {.kind = "soe_quarterly",
                        .unit_code = unit,
                        .to_cell = cell,
                        .period = "2026Q1",
                        .title = "第一季度工作报告",
                        .body = "正文"};
    json_t *o = NULL;
    ag_error err;
    must(app_submission_file(w->st, a, &in, &o, &err), &err);
    int64_t id = json_integer_value(json_object_get(o, "id"));
    assert_string_equal(json_string_value(json_object_get(o, "state")), "filed");
    json_decref(o);
    return id;
}

static void actions_are(dept_world *w, const audit_actor *a, int64_t id, const char *want)
{
    json_t *o = NULL;
    ag_error err;
    must(submission_get(w->st, a, id, &o, &err), &err);
    char got[64] = "";
    json_t *acts = json_object_get(o, "actions");
    for (size_t i = 0; i < json_array_size(acts); i++) {
        strncat(got, i ? "," : "", sizeof got - strlen(got) - 1);
        strncat(got, json_string_value(json_array_get(acts, i)), sizeof got - strlen(got) - 1);
    }
    json_decref(o);
    assert_string_equal(got, want);
}

static void a_filing_is_checked_field_by_field(void **state)
{
    dept_world *w = *state;
    ag_error err;
    submission_in bad_kind = {.kind = "Quarterly Report", .unit_code = w->ua, .title = "x"};
    dept_refused(app_submission_file(w->st, &w->auditor_a, &bad_kind, NULL, &err), AG_ERR_INPUT,
                 &err);
    assert_string_equal(err.where, "kind");
    submission_in no_title = {.kind = "annual_plan", .unit_code = w->ua, .title = ""};
    dept_refused(app_submission_file(w->st, &w->auditor_a, &no_title, NULL, &err), AG_ERR_INPUT,
                 &err);
    assert_string_equal(err.where, "title");
    submission_in no_cell = {
        .kind = "annual_plan", .unit_code = w->ua, .to_cell = "X99", .title = "计划"};
    dept_refused(app_submission_file(w->st, &w->auditor_a, &no_cell, NULL, &err), AG_ERR_NOTFOUND,
                 &err);
    assert_string_equal(err.where, "to_cell");
    assert_int_equal(dept_count(w->st, "SELECT COUNT(*) FROM submission"), 0);
}

static void only_the_unit_files_for_itself(void **state)
{
    dept_world *w = *state;
    ag_error err;
    submission_in in = {.kind = "annual_plan", .unit_code = w->ua, .title = "2026年内审计划"};
    /* another unit's leader does not even see unit A */
    dept_refused(app_submission_file(w->st, &w->leader_c, &in, NULL, &err), AG_ERR_NOTFOUND, &err);
    /* the department and the bureau's reviewers decide, they do not file */
    dept_refused(app_submission_file(w->st, &w->sup_d01, &in, NULL, &err), AG_ERR_DENIED, &err);
    dept_refused(app_submission_file(w->st, &w->reviewer, &in, NULL, &err), AG_ERR_DENIED, &err);
    assert_int_equal(dept_count(w->st, "SELECT COUNT(*) FROM submission"), 0);
    file_one(w, &w->leader_a, w->ua, "D01");
    assert_int_equal(dept_count(w->st, "SELECT COUNT(*) FROM submission_event"), 1);
}

static void the_addressee_accepts_or_returns_with_a_note(void **state)
{
    dept_world *w = *state;
    ag_error err;
    int64_t id = file_one(w, &w->auditor_a, w->ua, "D01");
    actions_are(w, &w->sup_d01, id, "accept,return");
    actions_are(w, &w->auditor_a, id, "");
    /* a department of another cell sees nothing of it */
    dept_refused(app_submission_decide(w->st, &w->sup_s01, id, "accept", NULL, NULL, &err),
                 AG_ERR_NOTFOUND, &err);
    /* the unit does not decide its own filing */
    dept_refused(app_submission_decide(w->st, &w->leader_a, id, "accept", NULL, NULL, &err),
                 AG_ERR_DENIED, &err);
    dept_refused(app_submission_decide(w->st, &w->sup_d01, id, "return", "", NULL, &err),
                 AG_ERR_INPUT, &err);
    assert_string_equal(err.where, "note");
    dept_refused(app_submission_decide(w->st, &w->sup_d01, id, "approve", NULL, NULL, &err),
                 AG_ERR_INPUT, &err);
    json_t *o = NULL;
    must(app_submission_decide(w->st, &w->sup_d01, id, "return", "请补充附件", &o, &err), &err);
    assert_string_equal(json_string_value(json_object_get(o, "state")), "returned");
    assert_string_equal(json_string_value(json_object_get(o, "note")), "请补充附件");
    assert_string_equal(json_string_value(json_object_get(o, "decided_by")), "user:edu");
    json_decref(o);
    /* decided once: a returned filing is not accepted until it is filed again */
    dept_refused(app_submission_decide(w->st, &w->sup_d01, id, "accept", NULL, NULL, &err),
                 AG_ERR_INPUT, &err);
    actions_are(w, &w->auditor_a, id, "refile");
    dept_refused(app_submission_refile(w->st, &w->sup_d01, id, NULL, NULL, NULL, &err),
                 AG_ERR_DENIED, &err);
    must(app_submission_refile(w->st, &w->auditor_a, id, "第一季度工作报告（补充）", NULL, NULL,
                               &err),
         &err);
    must(app_submission_decide(w->st, &w->sup_d01, id, "accept", NULL, &o, &err), &err);
    assert_string_equal(json_string_value(json_object_get(o, "state")), "accepted");
    json_t *h = json_object_get(o, "history");
    assert_int_equal(json_array_size(h), 4);
    const char *want[] = {"file", "return", "refile", "accept"};
    for (int i = 0; i < 4; i++)
        assert_string_equal(
            json_string_value(json_object_get(json_array_get(h, (size_t)i), "action")), want[i]);
    json_decref(o);
}

static void a_filing_to_the_bureau_is_the_admins_to_decide(void **state)
{
    dept_world *w = *state;
    ag_error err;
    int64_t id = file_one(w, &w->auditor_a, w->ua, NULL);
    actions_are(w, &w->sup_d01, id, "");
    dept_refused(app_submission_decide(w->st, &w->sup_d01, id, "accept", NULL, NULL, &err),
                 AG_ERR_DENIED, &err);
    must(app_submission_decide(w->st, &w->admin, id, "accept", "同意备案", NULL, &err), &err);
}

static void the_list_counts_by_status_over_the_scope(void **state)
{
    dept_world *w = *state;
    ag_error err;
    int64_t a1 = file_one(w, &w->auditor_a, w->ua, "D01");
    file_one(w, &w->leader_b, w->ub, "D01");
    file_one(w, &w->leader_c, w->uc, "S01");
    /* unit C files to D01's department: D01 sees it though C is not its unit */
    int64_t c2 = file_one(w, &w->leader_c, w->uc, "D01");
    must(app_submission_decide(w->st, &w->sup_d01, a1, "accept", NULL, NULL, &err), &err);
    json_t *l = NULL;
    submission_filter all = {0};
    must(submission_list(w->st, &w->sup_d01, &all, &l, &err), &err);
    assert_int_equal(json_integer_value(json_object_get(l, "total")), 3);
    json_t *counts = json_object_get(l, "counts");
    assert_int_equal(json_integer_value(json_object_get(counts, "filed")), 2);
    assert_int_equal(json_integer_value(json_object_get(counts, "accepted")), 1);
    json_decref(l);
    submission_filter filed = {.state = "filed"};
    must(submission_list(w->st, &w->sup_d01, &filed, &l, &err), &err);
    assert_int_equal(json_array_size(json_object_get(l, "items")), 2);
    assert_int_equal(
        json_integer_value(json_object_get(json_array_get(json_object_get(l, "items"), 0), "id")),
        c2);
    json_decref(l);
    must(submission_list(w->st, &w->leader_a, &all, &l, &err), &err);
    assert_int_equal(json_integer_value(json_object_get(l, "total")), 1);
    json_decref(l);
    must(submission_list(w->st, &w->sup_s01, &all, &l, &err), &err);
    assert_int_equal(json_integer_value(json_object_get(l, "total")), 2);
    json_decref(l);
    submission_filter bad = {.state = "pending"};
    dept_refused(submission_list(w->st, &w->admin, &bad, &l, &err), AG_ERR_INPUT, &err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_filing_is_checked_field_by_field, dept_setup,
                                        dept_teardown),
        cmocka_unit_test_setup_teardown(only_the_unit_files_for_itself, dept_setup, dept_teardown),
        cmocka_unit_test_setup_teardown(the_addressee_accepts_or_returns_with_a_note, dept_setup,
                                        dept_teardown),
        cmocka_unit_test_setup_teardown(a_filing_to_the_bureau_is_the_admins_to_decide, dept_setup,
                                        dept_teardown),
        cmocka_unit_test_setup_teardown(the_list_counts_by_status_over_the_scope, dept_setup,
                                        dept_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
