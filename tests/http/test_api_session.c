/* test_api_session.c - sign-in, who am I and sign-out on the real server. */
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
    apit_start(&S, "api-session.db", 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    apit_stop(&S);
    return 0;
}

static void a_wrong_password_is_refused_without_a_session(void **state)
{
    (void)state;
    apit_resp r;
    const char *body = "{\"username\":\"reviewer\",\"password\":\"not-the-password\"}";
    apit_raw(&S, NULL, "POST", "/api/v1/session", NULL, body, strlen(body), NULL, &r);
    assert_int_equal(r.status, 401);
    assert_null(strcasestr(r.headers, "set-cookie: ag_session="));
    assert_null(strstr(r.body, "not-the-password"));
    apit_resp_free(&r);
    /* An unknown account answers the same. */
    body = "{\"username\":\"nobody-here\",\"password\":\"not-the-password\"}";
    apit_raw(&S, NULL, "POST", "/api/v1/session", NULL, body, strlen(body), NULL, &r);
    assert_int_equal(r.status, 401);
    apit_resp_free(&r);
}

static void sign_in_me_and_sign_out(void **state)
{
    (void)state;
    apit_client c;
    apit_login(&S, "leader", NULL, &c);
    json_t *j = NULL;
    assert_int_equal(apit_json(&S, &c, "GET", "/api/v1/me", NULL, &j), 200);
    json_t *u = json_object_get(j, "user");
    assert_string_equal(apit_str(u, "username"), "leader");
    assert_string_equal(apit_str(u, "role"), "leader");
    assert_true(strlen(apit_str(u, "unit_code")) == 18);
    assert_string_equal(apit_str(j, "csrf_token"), c.csrf);
    json_decref(j);
    /* The cookie is HttpOnly and SameSite=Strict. */
    apit_resp r;
    const char *body = "{\"username\":\"admin\",\"password\":\"" DEMO_PASSWORD "\"}";
    apit_raw(&S, NULL, "POST", "/api/v1/session", NULL, body, strlen(body), NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.headers, "HttpOnly"));
    assert_non_null(strstr(r.headers, "SameSite=Strict"));
    apit_resp_free(&r);

    long long before = apit_sql_int(&S, "SELECT COUNT(*) FROM session WHERE revoked = 0");
    assert_int_equal(apit_json(&S, &c, "DELETE", "/api/v1/session", NULL, NULL), 200);
    assert_int_equal(apit_json(&S, &c, "GET", "/api/v1/me", NULL, NULL), 401);
    assert_int_equal(apit_sql_int(&S, "SELECT COUNT(*) FROM session WHERE revoked = 0"),
                     before - 1);
}

static void sign_in_checks_its_body(void **state)
{
    (void)state;
    json_t *j = NULL;
    assert_int_equal(apit_json(&S, NULL, "POST", "/api/v1/session", "{\"username\":\"admin\"}", &j),
                     422);
    assert_string_equal(apit_str(json_object_get(j, "error"), "where"), "password");
    json_decref(j);
    assert_int_equal(apit_json(&S, NULL, "POST", "/api/v1/session",
                               "{\"username\":\"admin\",\"password\":\"x\",\"extra\":1}", &j),
                     422);
    assert_string_equal(apit_str(json_object_get(j, "error"), "where"), "extra");
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_wrong_password_is_refused_without_a_session),
        cmocka_unit_test(sign_in_me_and_sign_out),
        cmocka_unit_test(sign_in_checks_its_body),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
