/* test_soe.c - SOE groups and chief auditors (issue 14 §3): who is a group, appointments and their
 * checks, the chief auditor's scope (the group and its subsidiaries only), audits of subsidiaries
 * and the quarterly report to the state-assets cell. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/soe.h"
#include "domain/soe.h"
#include "domain/submission.h"
#include "domain/wf_query.h"
#include "../testutil.h"
#include "soe_fixture.h"
#include "util/banned.h"

static int setup(void **state)
{
    setenv("AUDITGRID_NOW", "2026-06-01T02:00:00Z", 1);
    *state = soe_world_new("soe.db");
    return 0;
}

static int teardown(void **state)
{
    soe_world_free(*state);
    unsetenv("AUDITGRID_NOW");
    return 0;
}

/* The codes of an array of objects, joined by spaces, as fixture names (G1, G1S1, …). */
static void codes_of(soe_world *w, const json_t *arr, char *out, size_t n)
{
    static const char *const tag[NUNITS] = {"G1", "G1S1", "G1S2", "G2", "SCH"};
    out[0] = '\0';
    for (size_t i = 0; i < json_array_size(arr); i++) {
        const char *c = json_string_value(json_object_get(json_array_get(arr, i), "code"));
        for (int k = 0; k < NUNITS; k++)
            if (!strcmp(c, w->code[k]))
                snprintf(out + strlen(out), n - strlen(out), "%s%s", i ? " " : "", tag[k]);
    }
}

static void set_chief(soe_world *w, int64_t person, const char *date, ag_err want)
{
    ag_error err;
    soe_chief_in in = {w->code[G1], person, date, "南开国资任〔2026〕3号"};
    ag_err rc = app_soe_chief_set(w->st, &w->admin, &in, &err);
    if (want == AG_OK)
        must(rc, &err);
    else
        assert_int_equal(rc, want);
}

static void groups_are_soes_without_a_parent_soe(void **state)
{
    soe_world *w = *state;
    ag_error err;
    json_t *list = NULL;
    char got[200];
    must(soe_group_list(w->st, NULL, &list, &err), &err);
    codes_of(w, list, got, sizeof got);
    assert_string_equal(got, "G1 G2");
    assert_int_equal(json_array_size(list), 2);
    json_decref(list);
    assert_int_equal(soe_group_check(w->st, w->code[G1S1], &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "group");
    assert_int_equal(soe_group_check(w->st, w->code[SCH], &err), AG_ERR_INPUT);
    assert_int_equal(soe_group_check(w->st, "91120104MA0000000X", &err), AG_ERR_NOTFOUND);
}

static void an_appointment_is_checked_and_replaces_the_previous_one(void **state)
{
    soe_world *w = *state;
    ag_error err;
    json_t *missing = NULL;
    char got[200];
    must(soe_groups_missing(w->st, NULL, &missing, &err), &err);
    codes_of(w, missing, got, sizeof got);
    assert_int_equal(json_array_size(missing), 2);
    json_decref(missing);

    set_chief(w, w->auditor[SCH], "2026-03-01", AG_ERR_INPUT); /* not a person of the group */
    set_chief(w, w->chief, "2026-13-01", AG_ERR_INPUT);
    set_chief(w, w->chief, "2026-06-02", AG_ERR_INPUT); /* after today */
    soe_chief_in nodoc = {w->code[G1], w->chief, "2026-03-01", ""};
    assert_int_equal(app_soe_chief_set(w->st, &w->admin, &nodoc, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "doc_no");
    audit_actor leader = soe_actor("leader", w->code[G1], w->principal[G1], "user:l");
    soe_chief_in ok = {w->code[G1], w->chief, "2026-03-01", "文号"};
    assert_int_equal(app_soe_chief_set(w->st, &leader, &ok, &err), AG_ERR_DENIED);

    set_chief(w, w->chief, "2026-03-01", AG_OK);
    must(soe_groups_missing(w->st, NULL, &missing, &err), &err);
    codes_of(w, missing, got, sizeof got);
    assert_string_equal(got, "G2");
    json_decref(missing);
    int64_t n = 0;
    must(wf_query_int(w->st, &n, &err,
                      "SELECT COUNT(*) FROM unit_subject WHERE role = 'chief_auditor' AND"
                      " person_id = ?",
                      "i", w->chief),
         &err);
    assert_int_equal(n, 1);

    /* A new appointment replaces the old one: one chief auditor subject per group. */
    set_chief(w, w->chief2, "2026-05-01", AG_OK);
    must(wf_query_int(w->st, &n, &err,
                      "SELECT COUNT(*) FROM unit_subject WHERE role = 'chief_auditor' AND"
                      " unit_code = ?",
                      "t", w->code[G1]),
         &err);
    assert_int_equal(n, 1);
    json_t *g = NULL;
    must(soe_group_get(w->st, NULL, w->code[G1], &g, &err), &err);
    json_t *ca = json_object_get(g, "chief_auditor");
    assert_int_equal(json_integer_value(json_object_get(ca, "person_id")), w->chief2);
    assert_string_equal(json_string_value(json_object_get(ca, "appointed_on")), "2026-05-01");
    assert_string_equal(json_string_value(json_object_get(ca, "doc_no")), "南开国资任〔2026〕3号");
    json_decref(g);
}

static void the_chief_auditor_sees_the_group_and_its_subsidiaries_only(void **state)
{
    soe_world *w = *state;
    ag_error err;
    set_chief(w, w->chief, "2026-03-01", AG_OK);
    audit_actor chief = soe_actor("chief_auditor", w->code[G1], w->chief, "user:chief");
    json_t *list = NULL;
    char got[200];
    must(soe_group_list(w->st, &chief.scope, &list, &err), &err);
    codes_of(w, list, got, sizeof got);
    assert_string_equal(got, "G1");
    json_decref(list);
    json_t *g = NULL;
    must(soe_group_get(w->st, &chief.scope, w->code[G1], &g, &err), &err);
    codes_of(w, json_object_get(g, "subsidiaries"), got, sizeof got);
    assert_string_equal(got, "G1S1 G1S2");
    json_decref(g);
    assert_int_equal(soe_group_get(w->st, &chief.scope, w->code[G2], &g, &err), AG_ERR_NOTFOUND);
    bool visible = true;
    must(scope_unit_visible(w->st, &chief.scope, w->code[SCH], &visible, &err), &err);
    assert_false(visible);
    must(scope_unit_visible(w->st, &chief.scope, w->code[G1S2], &visible, &err), &err);
    assert_true(visible);
    must(scope_unit_visible(w->st, &chief.scope, w->code[G2], &visible, &err), &err);
    assert_false(visible);
}

static void the_chief_auditor_plans_audits_of_subsidiaries_and_files_quarterly(void **state)
{
    soe_world *w = *state;
    ag_error err;
    set_chief(w, w->chief, "2026-03-01", AG_OK);
    audit_actor chief = soe_actor("chief_auditor", w->code[G1], w->chief, "user:chief");
    static const char *const items[] = {"F03", "K3"};
    audit_project_in p = {
        NULL, "城投置业2026年内部审计", NULL, w->code[G1S1], "2026-01-01", "2026-03-31", items, 2};
    int64_t id = 0, n = 0;
    must(app_soe_plan_audit(w->st, &chief, w->code[G1], &p, &id, &err), &err);
    must(wf_query_int(w->st, &n, &err,
                      "SELECT COUNT(*) FROM audit_team WHERE project_id = ? AND person_id = ?"
                      " AND role = 'lead'",
                      "ii", id, w->chief),
         &err);
    assert_int_equal(n, 1);
    p.unit_code = w->code[SCH];
    assert_int_equal(app_soe_plan_audit(w->st, &chief, w->code[G1], &p, &id, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "unit_code");
    /* Another group is out of its scope: not found, as if it did not exist. */
    p.unit_code = w->code[G2];
    assert_int_equal(app_soe_plan_audit(w->st, &chief, w->code[G2], &p, &id, &err),
                     AG_ERR_NOTFOUND);
    /* The group's own leader sees it but does not act as its chief auditor. */
    audit_actor leader = soe_actor("leader", w->code[G1], w->principal[G1], "user:l");
    p.unit_code = w->code[G1S1];
    assert_int_equal(app_soe_plan_audit(w->st, &leader, w->code[G1], &p, &id, &err), AG_ERR_DENIED);

    assert_int_equal(
        app_soe_file_quarterly(w->st, &chief, w->code[G1], "2026Q5", "季度报告", "…", &id, &err),
        AG_ERR_INPUT);
    assert_string_equal(err.where, "period");
    must(app_soe_file_quarterly(w->st, &chief, w->code[G1], "2026Q2", "二季度总审计师工作报告",
                                "正文", &id, &err),
         &err);
    json_t *s = NULL;
    must(submission_get(w->st, &w->admin, id, &s, &err), &err);
    assert_string_equal(json_string_value(json_object_get(s, "kind")), "soe_quarterly");
    assert_string_equal(json_string_value(json_object_get(s, "to_cell")), "D22");
    assert_string_equal(json_string_value(json_object_get(s, "period")), "2026Q2");
    json_decref(s);
    audit_actor other = soe_actor("auditor", w->code[G2], w->auditor[G2], "user:o");
    assert_int_equal(
        app_soe_file_quarterly(w->st, &other, w->code[G1], "2026Q2", "x", "y", &id, &err),
        AG_ERR_NOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(groups_are_soes_without_a_parent_soe, setup, teardown),
        cmocka_unit_test_setup_teardown(an_appointment_is_checked_and_replaces_the_previous_one,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(the_chief_auditor_sees_the_group_and_its_subsidiaries_only,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            the_chief_auditor_plans_audits_of_subsidiaries_and_files_quarterly, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
