/* test_api.c - the route table of API v1 and what every route shares, on the
 * real server: deny by default (401 before sign-in, 403 for a role not in the
 * set), 404 and 405 as JSON, CSRF. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "../testutil.h"
#include "apitest.h"
#include "http/api.h"

static apit_server S;

static int setup(void **state)
{
    (void)state;
    apit_start(&S, "api.db", 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    apit_stop(&S);
    return 0;
}

/* Every route is under /api/v1, has a known method and a handler, appears once,
 * and every route that is not public names who may call it. */
static void the_table_is_well_formed(void **state)
{
    (void)state;
    static const char *const methods[] = {"GET", "POST", "PUT", "DELETE"};
    assert_true(http_api_route_count > 40);
    for (size_t i = 0; i < http_api_route_count; i++) {
        const http_route *r = &http_api_routes[i];
        assert_non_null(r->fn);
        assert_int_equal(strncmp(r->pattern, "/api/v1/", 8), 0);
        bool known = false;
        for (int m = 0; m < 4; m++)
            known = known || !strcmp(r->method, methods[m]);
        if (!known)
            fail_msg("route %s %s: unknown method", r->method, r->pattern);
        if (!(r->flags & HTTP_PUBLIC) && r->roles == 0)
            fail_msg("route %s %s: nobody may call it", r->method, r->pattern);
        for (size_t j = 0; j < i; j++)
            if (!strcmp(r->method, http_api_routes[j].method) &&
                !strcmp(r->pattern, http_api_routes[j].pattern))
                fail_msg("route %s %s twice", r->method, r->pattern);
    }
}

/* The path of a pattern with every {param} replaced by "1". */
static void concrete(const char *pattern, char *out, size_t n)
{
    size_t o = 0;
    for (const char *p = pattern; *p && o + 2 < n; p++) {
        if (*p == '{') {
            out[o++] = '1';
            while (*p && *p != '}')
                p++;
        } else {
            out[o++] = *p;
        }
    }
    out[o] = '\0';
}

/* Before sign-in every route but the public ones answers 401, whatever its
 * parameters. */
static void every_private_route_needs_a_session(void **state)
{
    (void)state;
    int checked = 0;
    for (size_t i = 0; i < http_api_route_count; i++) {
        const http_route *r = &http_api_routes[i];
        if (r->flags & HTTP_PUBLIC)
            continue;
        char path[300];
        concrete(r->pattern, path, sizeof path);
        json_t *j = NULL;
        int st = apit_json(&S, NULL, r->method, path, strcmp(r->method, "GET") ? "{}" : NULL, &j);
        if (st != 401)
            fail_msg("%s %s before sign-in: %d, wanted 401", r->method, path, st);
        assert_string_equal(apit_str(json_object_get(j, "error"), "code"), "unauthenticated");
        json_decref(j);
        checked++;
    }
    assert_true(checked > 40);
}

static void health_unknown_paths_and_methods(void **state)
{
    (void)state;
    json_t *j = NULL;
    assert_int_equal(apit_json(&S, NULL, "GET", "/api/v1/health", NULL, &j), 200);
    assert_string_equal(apit_str(j, "status"), "ok");
    json_decref(j);
    assert_int_equal(apit_json(&S, NULL, "GET", "/api/v1/no-such-thing", NULL, &j), 404);
    json_t *e = json_object_get(j, "error");
    assert_string_equal(apit_str(e, "code"), "not_found");
    assert_true(strlen(apit_str(e, "message")) > 0);
    assert_true(strlen(apit_str(e, "message_en")) > 0);
    json_decref(j);
    apit_resp r;
    apit_raw(&S, NULL, "DELETE", "/api/v1/health", NULL, NULL, 0, NULL, &r);
    assert_int_equal(r.status, 405);
    assert_non_null(strcasestr(r.headers, "\nAllow: GET"));
    apit_resp_free(&r);
}

/* A role outside the route's set is refused before the handler runs; so is a
 * write without the session's CSRF token. */
static void roles_and_csrf(void **state)
{
    (void)state;
    apit_client leader, admin;
    apit_login(&S, "leader", NULL, &leader);
    apit_login(&S, "admin", NULL, &admin);
    json_t *j = NULL;
    assert_int_equal(apit_json(&S, &leader, "POST", "/api/v1/units", "{}", &j), 403);
    assert_string_equal(apit_str(json_object_get(j, "error"), "code"), "forbidden");
    json_decref(j);
    assert_int_equal(apit_json(&S, &leader, "GET", "/api/v1/users", NULL, NULL), 403);
    assert_int_equal(apit_json(&S, &leader, "GET", "/api/v1/audit-log", NULL, NULL), 403);
    assert_int_equal(apit_json(&S, &admin, "GET", "/api/v1/users", NULL, NULL), 200);

    apit_client forged = admin;
    snprintf(forged.csrf, sizeof forged.csrf, "forged");
    assert_int_equal(apit_json(&S, &forged, "POST", "/api/v1/units", "{}", &j), 403);
    assert_string_equal(apit_str(json_object_get(j, "error"), "code"), "csrf");
    json_decref(j);
    forged.csrf[0] = '\0';
    assert_int_equal(apit_json(&S, &forged, "POST", "/api/v1/units", "{}", &j), 403);
    assert_string_equal(apit_str(json_object_get(j, "error"), "code"), "csrf");
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_table_is_well_formed),
        cmocka_unit_test(every_private_route_needs_a_session),
        cmocka_unit_test(health_unknown_paths_and_methods),
        cmocka_unit_test(roles_and_csrf),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
