/* test_api_dashboard.c - the district's dashboard through the real server, on
 * scanned demo books: its figures are the database's, scoped to the caller. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "../testutil.h"
#include "apitest.h"

static apit_server S;

static int setup(void **state)
{
    (void)state;
    apit_start(&S, "api-dashboard.db", 50000);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    apit_stop(&S);
    return 0;
}

static void the_bureau_sees_the_district(void **state)
{
    (void)state;
    apit_client c;
    apit_login(&S, "admin", NULL, &c);
    json_t *d = NULL;
    assert_int_equal(apit_json(&S, &c, "GET", "/api/v1/dashboard", NULL, &d), 200);
    assert_int_equal(json_integer_value(json_object_get(d, "units")),
                     apit_sql_int(&S, "SELECT COUNT(*) FROM unit"));
    assert_int_equal(json_integer_value(json_object_get(d, "pilot_units")), 30);
    json_t *ow = json_object_get(d, "open_warnings");
    long long open = apit_sql_int(&S, "SELECT COUNT(*) FROM warning WHERE status = 'open'");
    assert_true(open > 0);
    assert_int_equal(json_integer_value(json_object_get(ow, "total")), open);
    assert_int_equal(json_integer_value(json_object_get(ow, "high")) +
                         json_integer_value(json_object_get(ow, "medium")) +
                         json_integer_value(json_object_get(ow, "low")),
                     open);
    json_t *by = json_object_get(d, "by_item");
    assert_int_equal(json_array_size(by), 20);
    long long sum = 0;
    for (size_t i = 0; i < json_array_size(by); i++) {
        json_t *it = json_array_get(by, i);
        assert_true(strlen(apit_str(it, "name_zh")) > 0);
        sum += json_integer_value(json_object_get(it, "open"));
    }
    assert_int_equal(sum, open);
    json_decref(d);
}

/* A unit's leader sees the figures of its own unit only. */
static void a_leader_sees_its_unit(void **state)
{
    (void)state;
    apit_client c;
    apit_login(&S, "leader", NULL, &c);
    json_t *d = NULL;
    assert_int_equal(apit_json(&S, &c, "GET", "/api/v1/dashboard", NULL, &d), 200);
    assert_int_equal(json_integer_value(json_object_get(d, "units")), 1);
    json_t *me = NULL;
    assert_int_equal(apit_json(&S, &c, "GET", "/api/v1/me", NULL, &me), 200);
    char sql[300];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM warning WHERE status = 'open' AND unit_code = '%s'",
             apit_str(json_object_get(me, "user"), "unit_code"));
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(d, "open_warnings"), "total")),
        apit_sql_int(&S, sql));
    json_decref(me);
    json_decref(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_bureau_sees_the_district),
        cmocka_unit_test(a_leader_sees_its_unit),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
