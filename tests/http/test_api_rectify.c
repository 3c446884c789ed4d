/* test_api_rectify.c - the rectification ledger through the real server: lists
 * and summary agree with the database, items are scoped, the XLSX downloads are
 * workbooks, the deadline settings are the bureau's to change, notices reach
 * their audience. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "../testutil.h"
#include "apitest.h"

static apit_server S;
static apit_client ADMIN, LEADER, CHIEF, SUPERVISOR;

static int setup(void **state)
{
    (void)state;
    apit_start(&S, "api-rectify.db", 0);
    apit_login(&S, "admin", NULL, &ADMIN);
    apit_login(&S, "leader", NULL, &LEADER);
    apit_login(&S, "chief", NULL, &CHIEF);
    apit_login(&S, "supervisor", NULL, &SUPERVISOR);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    apit_stop(&S);
    return 0;
}

static void the_ledger_and_its_summary(void **state)
{
    (void)state;
    json_t *j = NULL;
    assert_int_equal(apit_json(&S, &ADMIN, "GET", "/api/v1/rectifications", NULL, &j), 200);
    long long all = apit_sql_int(&S, "SELECT COUNT(*) FROM rectification");
    assert_true(all > 0);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), all);
    json_decref(j);
    assert_int_equal(apit_json(&S, &ADMIN, "GET", "/api/v1/rectifications/summary", NULL, &j), 200);
    assert_int_equal(json_integer_value(json_object_get(j, "closed")),
                     apit_sql_int(&S, "SELECT COUNT(*) FROM rectification WHERE state = 'closed'"));
    assert_int_equal(
        json_integer_value(json_object_get(j, "claimed")),
        apit_sql_int(&S, "SELECT COUNT(*) FROM rectification WHERE state = 'claimed'"));
    json_decref(j);
    assert_int_equal(apit_json(&S, &CHIEF, "GET", "/api/v1/rectifications", NULL, &j), 200);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 0);
    json_decref(j);
}

static void an_item_is_scoped(void **state)
{
    (void)state;
    long long id = apit_sql_int(&S, "SELECT MIN(id) FROM rectification WHERE state = 'open'");
    char path[100];
    snprintf(path, sizeof path, "/api/v1/rectifications/%lld", id);
    json_t *r = NULL;
    assert_int_equal(apit_json(&S, &LEADER, "GET", path, NULL, &r), 200);
    assert_string_equal(apit_str(r, "state"), "open");
    assert_true(strlen(apit_str(r, "unit_name")) > 0);
    assert_true(strlen(apit_str(r, "deadline")) == 10);
    json_decref(r);
    assert_int_equal(apit_json(&S, &CHIEF, "GET", path, NULL, NULL), 404);
    /* The audited unit claims only what is in progress; an open item is the wrong
     * state. */
    snprintf(path, sizeof path, "/api/v1/rectifications/%lld/verify", id);
    assert_int_equal(apit_json(&S, &LEADER, "POST", path, "{\"decision\":\"close\"}", NULL), 403);
}

static void downloads_are_workbooks(void **state)
{
    (void)state;
    apit_resp r;
    apit_raw(&S, &ADMIN, "GET", "/api/v1/rectifications/export.xlsx", NULL, NULL, 0, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_true(r.body_len > 1000);
    assert_memory_equal(r.body, "PK\x03\x04", 4);
    assert_non_null(strcasestr(r.headers, "content-disposition: attachment"));
    apit_resp_free(&r);
    long long id = apit_sql_int(&S, "SELECT MIN(id) FROM rectification WHERE state = 'closed'");
    char path[120];
    snprintf(path, sizeof path, "/api/v1/rectifications/%lld/certificate.xlsx", id);
    apit_raw(&S, &LEADER, "GET", path, NULL, NULL, 0, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_memory_equal(r.body, "PK\x03\x04", 4);
    apit_resp_free(&r);
    apit_raw(&S, &CHIEF, "GET", path, NULL, NULL, 0, NULL, &r);
    assert_int_equal(r.status, 404);
    apit_resp_free(&r);
}

static void deadline_settings(void **state)
{
    (void)state;
    json_t *j = NULL;
    assert_int_equal(apit_json(&S, &LEADER, "GET", "/api/v1/settings/rectify-deadlines", NULL, &j),
                     200);
    assert_int_equal(json_integer_value(json_object_get(j, "immediate")), 30);
    json_decref(j);
    const char *body = "{\"immediate\":20,\"phased\":120,\"continuous\":365}";
    assert_int_equal(
        apit_json(&S, &LEADER, "PUT", "/api/v1/settings/rectify-deadlines", body, NULL), 403);
    assert_int_equal(apit_json(&S, &ADMIN, "PUT", "/api/v1/settings/rectify-deadlines", body, NULL),
                     200);
    assert_int_equal(apit_json(&S, &LEADER, "GET", "/api/v1/settings/rectify-deadlines", NULL, &j),
                     200);
    assert_int_equal(json_integer_value(json_object_get(j, "immediate")), 20);
    assert_int_equal(json_integer_value(json_object_get(j, "phased")), 120);
    json_decref(j);
    assert_int_equal(apit_json(&S, &ADMIN, "PUT", "/api/v1/settings/rectify-deadlines",
                               "{\"immediate\":-1,\"phased\":120,\"continuous\":365}", &j),
                     422);
    assert_string_equal(apit_str(json_object_get(j, "error"), "where"), "immediate");
    json_decref(j);
}

/* Notices: the supervisor sees those of its cell, marking one read lowers the
 * unread count. */
static void notices(void **state)
{
    (void)state;
    json_t *j = NULL;
    assert_int_equal(apit_json(&S, &SUPERVISOR, "GET", "/api/v1/notifications", NULL, &j), 200);
    long long unread = json_integer_value(json_object_get(j, "unread"));
    json_t *items = json_object_get(j, "items");
    assert_true(json_array_size(items) > 0);
    long long id = json_integer_value(json_object_get(json_array_get(items, 0), "id"));
    assert_true(strlen(apit_str(json_array_get(items, 0), "message_zh")) > 0);
    json_decref(j);
    char path[100];
    snprintf(path, sizeof path, "/api/v1/notifications/%lld/read", id);
    assert_int_equal(apit_json(&S, &SUPERVISOR, "POST", path, NULL, NULL), 200);
    assert_int_equal(apit_json(&S, &SUPERVISOR, "GET", "/api/v1/notifications", NULL, &j), 200);
    assert_int_equal(json_integer_value(json_object_get(j, "unread")), unread - 1);
    json_decref(j);
    assert_int_equal(apit_json(&S, &CHIEF, "POST", path, NULL, NULL), 404);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_ledger_and_its_summary),
        cmocka_unit_test(an_item_is_scoped),
        cmocka_unit_test(downloads_are_workbooks),
        cmocka_unit_test(deadline_settings),
        cmocka_unit_test(notices),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
