/* test_api_admin.c - accounts and the audit log through the real server: the
 * bureau lists and adds accounts, pages the audit log and checks its hash
 * chain, which finds a changed row. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "../testutil.h"
#include "apitest.h"

static apit_server S;
static apit_client ADMIN, REVIEWER;

static int setup(void **state)
{
    (void)state;
    apit_start(&S, "api-admin.db", 0);
    apit_login(&S, "admin", NULL, &ADMIN);
    apit_login(&S, "reviewer", NULL, &REVIEWER);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    apit_stop(&S);
    return 0;
}

static void accounts(void **state)
{
    (void)state;
    json_t *j = NULL;
    assert_int_equal(apit_json(&S, &ADMIN, "GET", "/api/v1/users", NULL, &j), 200);
    assert_int_equal(json_integer_value(json_object_get(j, "total")),
                     apit_sql_int(&S, "SELECT COUNT(*) FROM app_user"));
    /* Never a password hash in the list. */
    char *text = json_dumps(j, 0);
    assert_null(strstr(text, "argon2"));
    assert_null(strstr(text, "password"));
    free(text);
    json_decref(j);
    assert_int_equal(apit_json(&S, &REVIEWER, "GET", "/api/v1/users", NULL, NULL), 403);

    const char *body = "{\"username\":\"newrev\",\"role\":\"reviewer\",\"display_"
                       "name\":\"新审阅员\","
                       "\"password\":\"Heping#Road2026\"}";
    assert_int_equal(apit_json(&S, &REVIEWER, "POST", "/api/v1/users", body, NULL), 403);
    assert_int_equal(apit_json(&S, &ADMIN, "POST", "/api/v1/users", body, &j), 201);
    json_decref(j);
    assert_int_equal(apit_json(&S, &ADMIN, "POST", "/api/v1/users", body, NULL), 409);
    apit_client c;
    apit_login(&S, "newrev", "Heping#Road2026", &c);
    assert_int_equal(apit_json(&S, &c, "GET", "/api/v1/me", NULL, &j), 200);
    assert_string_equal(apit_str(json_object_get(j, "user"), "role"), "reviewer");
    json_decref(j);
    /* A leader needs a unit: refused naming the field, nothing written. */
    long long n = apit_sql_int(&S, "SELECT COUNT(*) FROM app_user");
    assert_int_equal(apit_json(&S, &ADMIN, "POST", "/api/v1/users",
                               "{\"username\":\"x1\",\"role\":\"leader\","
                               "\"password\":\"Heping#Road2026\"}",
                               &j),
                     400);
    assert_string_equal(apit_str(json_object_get(j, "error"), "where"), "unit_code");
    json_decref(j);
    assert_int_equal(apit_sql_int(&S, "SELECT COUNT(*) FROM app_user"), n);
}

static void the_audit_log_and_its_chain(void **state)
{
    (void)state;
    json_t *j = NULL;
    assert_int_equal(apit_json(&S, &ADMIN, "GET", "/api/v1/audit-log?per_page=5", NULL, &j), 200);
    long long n = apit_sql_int(&S, "SELECT COUNT(*) FROM audit_log");
    assert_int_equal(json_integer_value(json_object_get(j, "total")), n);
    json_t *items = json_object_get(j, "items");
    assert_int_equal(json_array_size(items), 5);
    long long prev = json_integer_value(json_object_get(json_array_get(items, 0), "seq"));
    assert_int_equal(prev, apit_sql_int(&S, "SELECT MAX(seq) FROM audit_log"));
    for (size_t i = 1; i < 5; i++) {
        long long seq = json_integer_value(json_object_get(json_array_get(items, i), "seq"));
        assert_true(seq < prev);
        prev = seq;
    }
    json_decref(j);
    assert_int_equal(apit_json(&S, &REVIEWER, "GET", "/api/v1/audit-log", NULL, NULL), 403);

    assert_int_equal(apit_json(&S, &ADMIN, "GET", "/api/v1/audit-log/verify", NULL, &j), 200);
    assert_true(json_is_true(json_object_get(j, "ok")));
    json_decref(j);
    /* Someone edits a row behind the application's back: the chain check finds
     * it. */
    ag_store *st = NULL;
    ag_error err;
    must(store_open(S.db, 0, &st, &err), &err);
    must(store_exec(st, "UPDATE audit_log SET row_key = 'forged' WHERE seq = 10", &err), &err);
    store_close(st);
    assert_int_equal(apit_json(&S, &ADMIN, "GET", "/api/v1/audit-log/verify", NULL, &j), 200);
    assert_false(json_is_true(json_object_get(j, "ok")));
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accounts),
        cmocka_unit_test(the_audit_log_and_its_chain),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
