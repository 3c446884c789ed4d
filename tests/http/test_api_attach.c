/* test_api_attach.c - attachments through the real server: an upload is stored
 * once by its hash, read back byte for byte by those in scope, and refused when
 * it is no document. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "../testutil.h"
#include "apitest.h"

static apit_server S;
static apit_client LEADER, CHIEF, ADMIN;
static char UNIT[32];

static int setup(void **state)
{
    (void)state;
    apit_start(&S, "api-attach.db", 0);
    apit_login(&S, "leader", NULL, &LEADER);
    apit_login(&S, "chief", NULL, &CHIEF);
    apit_login(&S, "admin", NULL, &ADMIN);
    json_t *me = NULL;
    assert_int_equal(apit_json(&S, &LEADER, "GET", "/api/v1/me", NULL, &me), 200);
    snprintf(UNIT, sizeof UNIT, "%s", apit_str(json_object_get(me, "user"), "unit_code"));
    json_decref(me);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    apit_stop(&S);
    return 0;
}

static const char PDF[] = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

static long long upload(const apit_client *c, const char *unit, const char *name, const char *body,
                        size_t len, int want)
{
    char path[300];
    snprintf(path, sizeof path, "/api/v1/units/%s/attachments?filename=%s", unit, name);
    apit_resp r;
    apit_raw(&S, c, "POST", path, "application/octet-stream", body, len, NULL, &r);
    if (r.status != want)
        fail_msg("upload %s: %d %s", name, r.status, r.body);
    json_t *j = json_loads(r.body, 0, NULL);
    long long id = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    apit_resp_free(&r);
    return id;
}

static void upload_and_read_back(void **state)
{
    (void)state;
    long long id =
        upload(&LEADER, UNIT, "%E6%95%B4%E6%94%B9%E6%8A%A5%E5%91%8A.pdf", PDF, sizeof PDF - 1, 201);
    assert_true(id > 0);
    char path[100];
    snprintf(path, sizeof path, "/api/v1/attachments/%lld", id);
    json_t *m = NULL;
    assert_int_equal(apit_json(&S, &LEADER, "GET", path, NULL, &m), 200);
    assert_string_equal(apit_str(m, "filename"), "整改报告.pdf");
    assert_int_equal(json_integer_value(json_object_get(m, "bytes")), (long long)(sizeof PDF - 1));
    assert_string_equal(apit_str(m, "unit_code"), UNIT);
    json_decref(m);
    snprintf(path, sizeof path, "/api/v1/attachments/%lld/content", id);
    apit_resp r;
    apit_raw(&S, &ADMIN, "GET", path, NULL, NULL, 0, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.body_len, sizeof PDF - 1);
    assert_memory_equal(r.body, PDF, sizeof PDF - 1);
    assert_non_null(strcasestr(r.headers, "content-disposition: attachment"));
    apit_resp_free(&r);
    /* Out of scope: the metadata and the bytes are not found. */
    assert_int_equal(apit_json(&S, &CHIEF, "GET", path, NULL, NULL), 404);
    snprintf(path, sizeof path, "/api/v1/attachments/%lld", id);
    assert_int_equal(apit_json(&S, &CHIEF, "GET", path, NULL, NULL), 404);
    /* The same bytes again: stored once. */
    long long again = upload(&LEADER, UNIT, "copy.pdf", PDF, sizeof PDF - 1, 201);
    assert_true(again > 0);
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(DISTINCT sha256) FROM attachment WHERE id IN (%lld, %lld)", id, again);
    assert_int_equal(apit_sql_int(&S, sql), 1);
}

static void refusals(void **state)
{
    (void)state;
    long long n0 = apit_sql_int(&S, "SELECT COUNT(*) FROM attachment");
    /* Another unit's folder is out of the leader's scope. */
    json_t *list = NULL;
    assert_int_equal(apit_json(&S, &ADMIN, "GET", "/api/v1/units?per_page=3", NULL, &list), 200);
    const char *other = NULL;
    for (size_t i = 0; i < json_array_size(json_object_get(list, "items")) && !other; i++) {
        const char *c = apit_str(json_array_get(json_object_get(list, "items"), i), "code");
        if (strcmp(c, UNIT) != 0)
            other = c;
    }
    assert_non_null(other);
    upload(&LEADER, other, "x.pdf", PDF, sizeof PDF - 1, 404);
    json_decref(list);
    /* No file name, an executable, an empty body. */
    apit_resp r;
    char path[200];
    snprintf(path, sizeof path, "/api/v1/units/%s/attachments", UNIT);
    apit_raw(&S, &LEADER, "POST", path, "application/octet-stream", PDF, sizeof PDF - 1, NULL, &r);
    assert_true(r.status >= 400 && r.status < 500);
    apit_resp_free(&r);
    upload(&LEADER, UNIT, "tool.exe", "MZ\x90\x00", 4, 422);
    assert_int_equal(apit_sql_int(&S, "SELECT COUNT(*) FROM attachment"), n0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(upload_and_read_back),
        cmocka_unit_test(refusals),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
