/* test_server.c - the HTTP server itself on a loopback port: static files of web/ with their
 * types and security headers, no way out of web/, bodies over the limit refused with 413,
 * bad JSON refused without echoing it, the read cache following the data, a graceful stop. */
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
    apit_start(&S, "server.db", 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    apit_stop(&S);
    return 0;
}

static void static_files(void **state)
{
    (void)state;
    apit_resp r;
    apit_raw(&S, NULL, "GET", "/", NULL, NULL, 0, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strcasestr(r.headers, "content-type: text/html"));
    assert_non_null(strstr(r.body, "<html"));
    assert_non_null(strcasestr(r.headers, "content-security-policy: default-src 'self'"));
    assert_non_null(strcasestr(r.headers, "x-content-type-options: nosniff"));
    assert_non_null(strcasestr(r.headers, "x-frame-options: deny"));
    apit_resp_free(&r);

    /* The same bytes as the file on disk. */
    char path[1200];
    const char *src = getenv("AG_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/web/js/ui.js", src && *src ? src : ".");
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fclose(f);
    apit_raw(&S, NULL, "GET", "/js/ui.js", NULL, NULL, 0, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.body_len, (size_t)size);
    assert_non_null(strcasestr(r.headers, "content-type: text/javascript"));
    apit_resp_free(&r);
}

/* Nothing outside web/ and nothing hidden, however the path is spelled. */
static void no_way_out_of_web(void **state)
{
    (void)state;
    static const char *const paths[] = {
        "/../CMakeLists.txt",      "/%2e%2e/CMakeLists.txt", "/js/../../README.md", "/.git/config",
        "/js/..%2f..%2fREADME.md", "/js\\..\\..\\README.md", "/no-such-file.js",
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        apit_resp r;
        apit_raw(&S, NULL, "GET", paths[i], NULL, NULL, 0, NULL, &r);
        if (r.status != 404 && r.status != 400)
            fail_msg("%s: %d", paths[i], r.status);
        assert_null(strstr(r.body, "cmake_minimum_required"));
        assert_null(strstr(r.body, "[core]"));
        apit_resp_free(&r);
    }
}

/* A JSON body over the limit (1 MiB by default) is 413; bad JSON is 400 naming the body and
 * never echoing it. */
static void bodies(void **state)
{
    (void)state;
    size_t n = 2u << 20;
    char *big = malloc(n + 1);
    assert_non_null(big);
    memset(big, ' ', n);
    big[0] = '{';
    big[n - 1] = '}';
    big[n] = '\0';
    apit_resp r;
    apit_raw(&S, NULL, "POST", "/api/v1/session", NULL, big, n, NULL, &r);
    free(big);
    assert_int_equal(r.status, 413);
    assert_non_null(strstr(r.body, "payload_too_large"));
    apit_resp_free(&r);

    const char *bad = "{\"username\":\"admin\",\"password\":\"Secret-Pass-123\"";
    apit_raw(&S, NULL, "POST", "/api/v1/session", NULL, bad, strlen(bad), NULL, &r);
    assert_int_equal(r.status, 400);
    assert_null(strstr(r.body, "Secret-Pass-123"));
    json_t *j = json_loads(r.body, 0, NULL);
    assert_non_null(j);
    assert_true(strlen(apit_str(json_object_get(j, "error"), "message")) > 0);
    json_decref(j);
    apit_resp_free(&r);
}

/* Read-only answers are cached per data generation: a write shows at once. */
static void the_cache_follows_the_data(void **state)
{
    (void)state;
    apit_client a;
    apit_login(&S, "admin", NULL, &a);
    json_t *j = NULL;
    assert_int_equal(apit_json(&S, &a, "GET", "/api/v1/settings/rectify-deadlines", NULL, &j), 200);
    assert_int_equal(json_integer_value(json_object_get(j, "phased")), 180);
    json_decref(j);
    assert_int_equal(apit_json(&S, &a, "PUT", "/api/v1/settings/rectify-deadlines",
                               "{\"immediate\":30,\"phased\":90,\"continuous\":365}", NULL),
                     200);
    assert_int_equal(apit_json(&S, &a, "GET", "/api/v1/settings/rectify-deadlines", NULL, &j), 200);
    assert_int_equal(json_integer_value(json_object_get(j, "phased")), 90);
    json_decref(j);
}

/* HEAD answers like GET without a body. */
static void head(void **state)
{
    (void)state;
    apit_resp r;
    apit_raw(&S, NULL, "HEAD", "/api/v1/health", NULL, NULL, 0, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.body_len, 0);
    apit_resp_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(static_files), cmocka_unit_test(no_way_out_of_web),
        cmocka_unit_test(bodies),       cmocka_unit_test(the_cache_follows_the_data),
        cmocka_unit_test(head),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
