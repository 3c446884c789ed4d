/* test_router.c - routes match by segment, {params} take one segment, 404 and 405 are told apart.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "http/router.h"

static ag_err h(struct http_req *r, struct ag_error *e)
{
    (void)r;
    (void)e;
    return 0;
}

static const http_route routes[] = {
    {"GET", "/api/v1/units", h, AG_ROLES_ALL, 0, NULL},
    {"POST", "/api/v1/units", h, AG_ROLE_BIT(AG_ROLE_ADMIN), 0, NULL},
    {"GET", "/api/v1/units/{code}", h, AG_ROLES_ALL, 0, NULL},
    {"GET", "/api/v1/units/{code}/persons", h, AG_ROLES_ALL, 0, NULL},
    {"POST", "/api/v1/warnings/{id}/triage", h, AG_ROLES_ALL, 0, NULL},
};
#define N (sizeof routes / sizeof routes[0])

static void test_literal_and_params(void **state)
{
    (void)state;
    const http_route *r = NULL;
    http_params p;
    assert_int_equal(router_match(routes, N, "GET", "/api/v1/units", &r, &p, NULL, 0), ROUTE_FOUND);
    assert_ptr_equal(r, &routes[0]);
    assert_int_equal(router_match(routes, N, "POST", "/api/v1/units", &r, &p, NULL, 0),
                     ROUTE_FOUND);
    assert_ptr_equal(r, &routes[1]);
    assert_int_equal(
        router_match(routes, N, "GET", "/api/v1/units/12120104MBKX0792XX/persons", &r, &p, NULL, 0),
        ROUTE_FOUND);
    assert_ptr_equal(r, &routes[3]);
    assert_string_equal(router_param(&p, "code"), "12120104MBKX0792XX");
    assert_null(router_param(&p, "id"));
    assert_int_equal(router_match(routes, N, "HEAD", "/api/v1/units/x", &r, &p, NULL, 0),
                     ROUTE_FOUND);
    assert_string_equal(router_param(&p, "code"), "x");
}

static void test_not_found_and_not_allowed(void **state)
{
    (void)state;
    const http_route *r = NULL;
    http_params p;
    char allow[64];
    const char *missing[] = {"/api/v1/units/",
                             "/api/v1/units//persons",
                             "/api/v1/unit",
                             "/api/v1/units/a/b",
                             "/api/v1/units/a/persons/",
                             "",
                             "/"};
    for (size_t i = 0; i < sizeof missing / sizeof missing[0]; i++)
        assert_int_equal(router_match(routes, N, "GET", missing[i], &r, &p, allow, sizeof allow),
                         ROUTE_NO_PATH);
    assert_int_equal(
        router_match(routes, N, "DELETE", "/api/v1/units", &r, &p, allow, sizeof allow),
        ROUTE_NO_METHOD);
    assert_string_equal(allow, "GET, HEAD, POST");
    assert_int_equal(
        router_match(routes, N, "GET", "/api/v1/warnings/5/triage", &r, &p, allow, sizeof allow),
        ROUTE_NO_METHOD);
    assert_string_equal(allow, "POST");
}

static void test_param_bounds(void **state)
{
    (void)state;
    char path[400] = "/api/v1/units/";
    size_t n = strlen(path);
    memset(path + n, 'x', 256);
    path[n + 256] = '\0';
    const http_route *r = NULL;
    http_params p;
    assert_int_equal(router_match(routes, N, "GET", path, &r, &p, NULL, 0), ROUTE_NO_PATH);
    path[n + 255] = '\0';
    assert_int_equal(router_match(routes, N, "GET", path, &r, &p, NULL, 0), ROUTE_FOUND);
    assert_int_equal(strlen(router_param(&p, "code")), 255);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literal_and_params),
        cmocka_unit_test(test_not_found_and_not_allowed),
        cmocka_unit_test(test_param_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
