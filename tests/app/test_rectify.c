/* test_rectify.c (app) - the default rectification deadlines set all or nothing on a real database
 * file, as the CLI's rectify settings and PUT /api/v1/settings/rectify-deadlines do. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/rectify.h"
#include "domain/rectify.h"
#include "../testutil.h"

static int setup(void **state)
{
    *state = ag_test_fresh_db("app-rectify.db");
    return 0;
}

static int teardown(void **state)
{
    store_close(*state);
    return 0;
}

static int days(ag_store *st, const char *cls)
{
    int d = 0;
    ag_error err;
    must(rectify_deadline_days(st, cls, &d, &err), &err);
    return d;
}

static void deadlines_are_set_all_or_nothing(void **state)
{
    ag_store *st = *state;
    ag_error err;
    /* 0 leaves a class alone. */
    const int set[3] = {10, 0, 20};
    must(app_rectify_set_deadlines(st, set, &err), &err);
    assert_int_equal(days(st, "immediate"), 10);
    assert_int_equal(days(st, "phased"), 180);
    assert_int_equal(days(st, "continuous"), 20);
    /* One value out of range: none changes, the refusal names it. */
    const int bad[3] = {5, 2000, 0};
    assert_int_equal(app_rectify_set_deadlines(st, bad, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "days");
    assert_non_null(strstr(err.en, "2000"));
    assert_int_equal(days(st, "immediate"), 10);
    assert_int_equal(days(st, "phased"), 180);
    assert_false(store_in_tx(st));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(deadlines_are_set_all_or_nothing, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
