/* test_iabody.c - internal-audit bodies and working groups (issue 14 §4): what each unit lacks,
 * the counts the dashboard shows, the checks of a record and who may record it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/iabody.h"
#include "domain/iabody.h"
#include "domain/soe.h"
#include "../testutil.h"
#include "soe_fixture.h"
#include "util/banned.h"

static int setup(void **state)
{
    *state = soe_world_new("iabody.db");
    return 0;
}

static int teardown(void **state)
{
    soe_world_free(*state);
    return 0;
}

/* The whole group of unit u: its principal leads, its auditor audits, three more people. */
static void record_full(soe_world *w, int u, bool independent)
{
    ag_error err;
    int64_t d, p, f;
    soe_person(w, u, "纪检", NULL, &d);
    soe_person(w, u, "人事", NULL, &p);
    soe_person(w, u, "财务", NULL, &f);
    iabody_member m[] = {{w->principal[u], "leader"},
                         {d, "discipline"},
                         {p, "personnel"},
                         {f, "finance"},
                         {w->auditor[u], "audit"}};
    iabody_in in = {independent, "审计科", w->principal[u], m, 5};
    must(app_iabody_set(w->st, &w->admin, w->code[u], &in, &err), &err);
}

static json_int_t count(const json_t *o, const char *k)
{
    return json_integer_value(json_object_get(json_object_get(o, "counts"), k));
}

static void missing_counts_follow_what_is_recorded(void **state)
{
    soe_world *w = *state;
    ag_error err;
    json_t *o = NULL;
    must(iabody_missing(w->st, NULL, &o, &err), &err);
    assert_int_equal(json_integer_value(json_object_get(o, "units")), NUNITS);
    assert_int_equal(json_integer_value(json_object_get(o, "incomplete")), NUNITS);
    assert_int_equal(count(o, "body"), NUNITS);
    assert_int_equal(count(o, "supervisor"), NUNITS);
    assert_int_equal(count(o, "group"), NUNITS);
    json_t *first = json_object_get(json_array_get(json_object_get(o, "items"), 0), "missing");
    assert_int_equal(json_array_size(first), 7);
    json_decref(o);

    record_full(w, SCH, true);
    record_full(w, G1, false); /* no independent body: only "body" is missing */
    /* G2: a body and a leader, but the group has only its 组长 */
    iabody_member lead[] = {{w->principal[G2], "leader"}};
    iabody_in part = {true, NULL, w->principal[G2], lead, 1};
    must(app_iabody_set(w->st, &w->admin, w->code[G2], &part, &err), &err);

    must(iabody_missing(w->st, NULL, &o, &err), &err);
    assert_int_equal(json_integer_value(json_object_get(o, "complete")), 1);
    assert_int_equal(json_integer_value(json_object_get(o, "incomplete")), NUNITS - 1);
    assert_int_equal(count(o, "body"), 3);       /* G1 (not independent), G1S1, G1S2 */
    assert_int_equal(count(o, "supervisor"), 2); /* G1S1, G1S2 */
    assert_int_equal(count(o, "group"), 3);      /* G1S1, G1S2, G2 */
    json_decref(o);

    json_t *g = NULL;
    must(iabody_get(w->st, w->code[G2], &g, &err), &err);
    char got[120] = "";
    json_t *miss = json_object_get(g, "missing");
    for (size_t i = 0; i < json_array_size(miss); i++)
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", i ? "," : "",
                 json_string_value(json_array_get(miss, i)));
    assert_string_equal(got, "discipline,personnel,finance,audit");
    assert_true(json_is_true(json_object_get(g, "independent")));
    json_decref(g);

    /* Scoped: the chief auditor of G1 counts its group and subsidiaries only. */
    audit_actor chief = soe_actor("chief_auditor", w->code[G1], 0, "user:c");
    must(iabody_missing(w->st, &chief.scope, &o, &err), &err);
    assert_int_equal(json_integer_value(json_object_get(o, "units")), 3);
    assert_int_equal(count(o, "body"), 3);
    json_decref(o);
}

static void a_record_is_checked_and_replaces_the_group(void **state)
{
    soe_world *w = *state;
    ag_error err;
    iabody_member two[] = {{w->principal[SCH], "leader"}, {w->auditor[SCH], "leader"}};
    iabody_in in = {true, NULL, 0, two, 2};
    assert_int_equal(iabody_set(w->st, w->code[SCH], &in, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "members");
    iabody_member other[] = {{w->auditor[G1], "audit"}};
    in = (iabody_in){true, NULL, 0, other, 1};
    assert_int_equal(iabody_set(w->st, w->code[SCH], &in, &err), AG_ERR_INPUT);
    iabody_member odd[] = {{w->auditor[SCH], "cashier"}};
    in = (iabody_in){true, NULL, 0, odd, 1};
    assert_int_equal(iabody_set(w->st, w->code[SCH], &in, &err), AG_ERR_INPUT);
    in = (iabody_in){true, NULL, w->principal[G1], NULL, 0};
    assert_int_equal(iabody_set(w->st, w->code[SCH], &in, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "supervisor");

    record_full(w, SCH, true);
    iabody_member one[] = {{w->auditor[SCH], "audit"}};
    in = (iabody_in){true, "审计处", w->principal[SCH], one, 1};
    must(app_iabody_set(w->st, &w->admin, w->code[SCH], &in, &err), &err);
    json_t *g = NULL;
    must(iabody_get(w->st, w->code[SCH], &g, &err), &err);
    assert_int_equal(json_array_size(json_object_get(g, "group")), 1);
    assert_string_equal(json_string_value(json_object_get(g, "body_name")), "审计处");
    json_decref(g);
}

static void a_unit_records_its_own_set_up_only(void **state)
{
    soe_world *w = *state;
    ag_error err;
    iabody_in in = {true, NULL, 0, NULL, 0};
    audit_actor own = soe_actor("auditor", w->code[SCH], w->auditor[SCH], "user:a");
    must(app_iabody_set(w->st, &own, w->code[SCH], &in, &err), &err);
    assert_int_equal(app_iabody_set(w->st, &own, w->code[G1], &in, &err), AG_ERR_NOTFOUND);
    audit_actor reviewer = soe_actor("reviewer", NULL, 0, "user:r");
    assert_int_equal(app_iabody_set(w->st, &reviewer, w->code[G1], &in, &err), AG_ERR_DENIED);
    audit_actor chief = soe_actor("chief_auditor", w->code[G1], 0, "user:c");
    must(app_iabody_set(w->st, &chief, w->code[G1S2], &in, &err), &err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(missing_counts_follow_what_is_recorded, setup, teardown),
        cmocka_unit_test_setup_teardown(a_record_is_checked_and_replaces_the_group, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_unit_records_its_own_set_up_only, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
