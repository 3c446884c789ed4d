/* test_api_wf.c - the shared pieces of the workflow handlers (path ids, integer
 * fields, id arrays) as the real server applies them: each refusal names the
 * field and changes nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "../testutil.h"
#include "apitest.h"

static apit_server S;
static apit_client ADMIN;

static int setup(void **state)
{
    (void)state;
    apit_start(&S, "api-wf.db", 0);
    apit_login(&S, "admin", NULL, &ADMIN);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    apit_stop(&S);
    return 0;
}

/* A path id that is no positive integer is a missing thing of that kind, never
 * a 500. */
static void path_ids(void **state)
{
    (void)state;
    static const struct {
        const char *path, *word;
    } cases[] = {
        {"/api/v1/audits/abc", "审计项目"},
        {"/api/v1/audits/0", "审计项目"},
        {"/api/v1/audits/-3", "审计项目"},
        {"/api/v1/findings/99999999999999999999", "审计发现"},
        {"/api/v1/rectifications/1x", "整改事项"},
        {"/api/v1/attachments/%20", "附件"},
        {"/api/v1/guidance/abc", "指导意见"},
        {"/api/v1/guidance/visits/0", "督导检查"},
        {"/api/v1/submissions/x1", "报送事项"},
        {"/api/v1/crossaudit/rounds/abc", "交叉互审轮次"},
        {"/api/v1/persons/p7", "人员"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *j = NULL;
        int st = apit_json(&S, &ADMIN, "GET", cases[i].path, NULL, &j);
        if (st != 404)
            fail_msg("%s: %d", cases[i].path, st);
        json_t *e = json_object_get(j, "error");
        assert_string_equal(apit_str(e, "where"), "id");
        assert_non_null(strstr(apit_str(e, "message"), cases[i].word));
        json_decref(j);
    }
}

/* Integer fields: missing, of the wrong type, out of range. */
static void integer_fields(void **state)
{
    (void)state;
    long long f = apit_sql_int(&S, "SELECT MIN(id) FROM finding");
    long long n0 = apit_sql_int(&S, "SELECT COUNT(*) FROM finding_evidence");
    char path[100];
    snprintf(path, sizeof path, "/api/v1/findings/%lld/evidence", f);
    static const char *const bodies[] = {
        "{\"kind\":\"warning\"}",
        "{\"kind\":\"warning\",\"ref_id\":\"12\"}",
        "{\"kind\":\"warning\",\"ref_id\":0}",
        "{\"kind\":\"warning\",\"ref_id\":1.5}",
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        json_t *j = NULL;
        int st = apit_json(&S, &ADMIN, "POST", path, bodies[i], &j);
        if (st != 422)
            fail_msg("%s: %d", bodies[i], st);
        assert_string_equal(apit_str(json_object_get(j, "error"), "where"), "ref_id");
        json_decref(j);
    }
    assert_int_equal(apit_sql_int(&S, "SELECT COUNT(*) FROM finding_evidence"), n0);
}

/* Attachment id arrays on a stage record. */
static void id_arrays(void **state)
{
    (void)state;
    long long p = apit_sql_int(&S, "SELECT id FROM audit_project WHERE stage = 'field'");
    long long n0 = apit_sql_int(&S, "SELECT COUNT(*) FROM audit_record");
    char path[100];
    snprintf(path, sizeof path, "/api/v1/audits/%lld/records", p);
    static const char *const bodies[] = {
        "{\"kind\":\"working_paper\",\"title\":\"底稿\",\"attachment_ids\":5}",
        "{\"kind\":\"working_paper\",\"title\":\"底稿\",\"attachment_ids\":["
        "\"5\"]}",
        "{\"kind\":\"working_paper\",\"title\":\"底稿\",\"attachment_ids\":[-1]}",
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        json_t *j = NULL;
        int st = apit_json(&S, &ADMIN, "POST", path, bodies[i], &j);
        if (st != 422)
            fail_msg("%s: %d", bodies[i], st);
        assert_string_equal(apit_str(json_object_get(j, "error"), "where"), "attachment_ids");
        json_decref(j);
    }
    assert_int_equal(apit_sql_int(&S, "SELECT COUNT(*) FROM audit_record"), n0);
}

/* Body fields are read in the order of their table: the first bad one is named, and a cleared
 * optional text ("") is stored as absent. */
static void body_fields(void **state)
{
    (void)state;
    static const struct {
        const char *body, *where;
    } cases[] = {
        {"{\"name\":5,\"kind\":7,\"unit_code\":[]}", "name"},
        {"{\"name\":\"n\",\"kind\":7,\"unit_code\":[]}", "kind"},
        {"{\"name\":\"n\",\"kind\":\"self_check\",\"unit_code\":[]}", "unit_code"},
        {"{\"name\":\"n\",\"bogus\":1}", "bogus"},
    };
    long long n0 = apit_sql_int(&S, "SELECT COUNT(*) FROM audit_project");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *j = NULL;
        int st = apit_json(&S, &ADMIN, "POST", "/api/v1/audits", cases[i].body, &j);
        if (st != 422)
            fail_msg("%s: %d", cases[i].body, st);
        assert_string_equal(apit_str(json_object_get(j, "error"), "where"), cases[i].where);
        json_decref(j);
    }
    assert_int_equal(apit_sql_int(&S, "SELECT COUNT(*) FROM audit_project"), n0);
    long long p = apit_sql_int(&S, "SELECT MIN(id) FROM person WHERE title IS NOT NULL");
    char path[100];
    snprintf(path, sizeof path, "/api/v1/persons/%lld", p);
    json_t *j = NULL;
    assert_int_equal(apit_json(&S, &ADMIN, "PUT", path, "{\"name\":\"张三\",\"title\":\"\"}", &j),
                     200);
    assert_true(json_is_null(json_object_get(j, "title")));
    json_decref(j);
    snprintf(path, sizeof path, "SELECT COUNT(*) FROM person WHERE id = %lld AND title IS NULL", p);
    assert_int_equal(apit_sql_int(&S, path), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(path_ids),
        cmocka_unit_test(integer_fields),
        cmocka_unit_test(id_arrays),
        cmocka_unit_test(body_fields),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
