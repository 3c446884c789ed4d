/* test_training.c - training sessions (issue 14 §4): hours per calendar year from the sessions
 * attended, competitions with scores, the checks of a session, all-or-nothing recording. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/training.h"
#include "domain/training.h"
#include "domain/wf_query.h"
#include "../testutil.h"
#include "soe_fixture.h"
#include "util/banned.h"

static int setup(void **state)
{
    *state = soe_world_new("training.db");
    return 0;
}

static int teardown(void **state)
{
    soe_world_free(*state);
    return 0;
}

static int64_t session(soe_world *w, const char *date, int64_t tenths, bool competition,
                       const app_training_attendee *att, int n)
{
    ag_error err;
    int64_t id = 0;
    training_session_in in = {date, "内审实务", "教育", tenths, competition};
    must(app_training_add(w->st, &w->admin, &in, att, n, &id, &err), &err);
    return id;
}

static int64_t hours(soe_world *w, int64_t person, int year)
{
    ag_error err;
    int64_t t = -1;
    must(training_person_hours(w->st, person, year, &t, &err), &err);
    return t;
}

static void hours_count_the_sessions_attended_in_the_calendar_year(void **state)
{
    soe_world *w = *state;
    ag_error err;
    app_training_attendee a[] = {{w->auditor[SCH], -1}, {w->auditor[G1], -1}};
    session(w, "2025-12-31", 30, false, a, 2);
    session(w, "2026-01-01", 25, false, a, 1);
    session(w, "2026-12-31", 40, false, a, 1);
    session(w, "2027-01-01", 10, false, a, 2);
    session(w, "2026-06-01", 80, false, NULL, 0); /* nobody came */
    assert_int_equal(hours(w, w->auditor[SCH], 2026), 65);
    assert_int_equal(hours(w, w->auditor[SCH], 2025), 30);
    assert_int_equal(hours(w, w->auditor[G1], 2026), 0);
    assert_int_equal(hours(w, w->auditor[G1], 2027), 10);
    int64_t t = 0;
    assert_int_equal(training_person_hours(w->st, 999999, 2026, &t, &err), AG_ERR_NOTFOUND);

    json_t *list = NULL;
    must(training_hours_list(w->st, NULL, 2026, &list, &err), &err);
    json_t *top = json_array_get(list, 0);
    assert_int_equal(json_integer_value(json_object_get(top, "person_id")), w->auditor[SCH]);
    assert_string_equal(json_string_value(json_object_get(top, "hours")), "6.5");
    assert_int_equal(json_array_size(list), NUNITS); /* every internal auditor, 0 included */
    json_decref(list);
    audit_actor leader = soe_actor("leader", w->code[G1], 0, "user:l");
    must(training_hours_list(w->st, &leader.scope, 2026, &list, &err), &err);
    assert_int_equal(json_array_size(list), 1);
    json_decref(list);
}

static void a_competition_has_scores_and_attending_again_updates_them(void **state)
{
    soe_world *w = *state;
    ag_error err;
    int64_t plain = session(w, "2026-03-01", 30, false, NULL, 0);
    int64_t comp = session(w, "2026-09-16", 80, true, NULL, 0);
    assert_int_equal(training_attend(w->st, plain, w->auditor[SCH], 900, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "score");
    assert_int_equal(training_attend(w->st, comp, w->auditor[SCH], 1001, &err), AG_ERR_INPUT);
    app_training_attendee a[] = {{w->auditor[SCH], 925}, {w->auditor[G2], 880}};
    must(app_training_attend(w->st, &w->admin, comp, a, 2, &err), &err);
    app_training_attendee again[] = {{w->auditor[SCH], 955}};
    must(app_training_attend(w->st, &w->admin, comp, again, 1, &err), &err);
    assert_int_equal(hours(w, w->auditor[SCH], 2026), 80); /* counted once */
    json_t *list = NULL;
    must(training_session_list(w->st, NULL, 2026, &list, &err), &err);
    json_t *s = json_array_get(list, 0); /* newest first: the competition */
    assert_true(json_is_true(json_object_get(s, "competition")));
    json_t *first = json_array_get(json_object_get(s, "attendance"), 0);
    assert_string_equal(json_string_value(json_object_get(first, "score")), "95.5");
    assert_int_equal(json_integer_value(json_object_get(s, "attendees")), 2);
    json_decref(list);
}

static void a_session_is_checked_and_recorded_all_or_nothing(void **state)
{
    soe_world *w = *state;
    ag_error err;
    training_session_in bad[] = {{"2026-02-30", "t", "教育", 30, false},
                                 {"2026-02-01", "", "教育", 30, false},
                                 {"2026-02-01", "t", "", 30, false},
                                 {"2026-02-01", "t", "教育", 0, false},
                                 {"2026-02-01", "t", "教育", 241, false}};
    static const char *const field[] = {"date", "topic", "system", "hours", "hours"};
    for (int i = 0; i < 5; i++) {
        assert_int_equal(app_training_add(w->st, &w->admin, &bad[i], NULL, 0, NULL, &err),
                         AG_ERR_INPUT);
        assert_string_equal(err.where, field[i]);
    }
    training_session_in ok = {"2026-02-01", "t", "教育", 30, false};
    app_training_attendee a[] = {{w->auditor[SCH], -1}, {999999, -1}};
    assert_int_equal(app_training_add(w->st, &w->admin, &ok, a, 2, NULL, &err), AG_ERR_NOTFOUND);
    int64_t n = -1;
    must(wf_query_int(w->st, &n, &err, "SELECT COUNT(*) FROM training_session", ""), &err);
    assert_int_equal(n, 0);
    audit_actor aud = soe_actor("auditor", w->code[SCH], 0, "user:a");
    assert_int_equal(app_training_add(w->st, &aud, &ok, NULL, 0, NULL, &err), AG_ERR_DENIED);
}

static void tenths_read_and_print_one_decimal(void **state)
{
    (void)state;
    int64_t t = 0;
    char out[24];
    assert_true(training_tenths_parse("3.5", &t));
    assert_int_equal(t, 35);
    assert_true(training_tenths_parse("12", &t));
    assert_int_equal(t, 120);
    assert_false(training_tenths_parse("3.55", &t));
    assert_false(training_tenths_parse("-1", &t));
    assert_false(training_tenths_parse("", &t));
    assert_false(training_tenths_parse(".5", &t));
    training_tenths_format(35, out);
    assert_string_equal(out, "3.5");
    training_tenths_format(80, out);
    assert_string_equal(out, "8");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(hours_count_the_sessions_attended_in_the_calendar_year,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(a_competition_has_scores_and_attending_again_updates_them,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(a_session_is_checked_and_recorded_all_or_nothing, setup,
                                        teardown),
        cmocka_unit_test(tenths_read_and_print_one_decimal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
