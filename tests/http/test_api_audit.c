/* test_api_audit.c - audit projects and findings through the real server: lists
 * and details are scoped, who may create a project, a project's stage records
 * are checked. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "../testutil.h"
#include "apitest.h"

static apit_server S;
static apit_client ADMIN, LEADER, CHIEF, REVIEWER;

static int setup(void **state)
{
    (void)state;
    apit_start(&S, "api-audit.db", 0);
    apit_login(&S, "admin", NULL, &ADMIN);
    apit_login(&S, "leader", NULL, &LEADER);
    apit_login(&S, "chief", NULL, &CHIEF);
    apit_login(&S, "reviewer", NULL, &REVIEWER);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    apit_stop(&S);
    return 0;
}

static void projects_are_scoped(void **state)
{
    (void)state;
    assert_int_equal(apit_total(&S, &ADMIN, "/api/v1/audits"),
                     apit_sql_int(&S, "SELECT COUNT(*) FROM audit_project"));
    assert_int_equal(apit_total(&S, &REVIEWER, "/api/v1/audits"),
                     apit_sql_int(&S, "SELECT COUNT(*) FROM audit_project"));
    assert_int_equal(apit_total(&S, &ADMIN, "/api/v1/audits?kind=cross"),
                     apit_sql_int(&S, "SELECT COUNT(*) FROM audit_project WHERE kind = 'cross'"));
    json_t *me = NULL;
    assert_int_equal(apit_json(&S, &LEADER, "GET", "/api/v1/me", NULL, &me), 200);
    char sql[900];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM audit_project WHERE unit_code = '%s'",
             apit_str(json_object_get(me, "user"), "unit_code"));
    json_decref(me);
    long long own = apit_sql_int(&S, sql);
    assert_true(own > 0);
    assert_int_equal(apit_total(&S, &LEADER, "/api/v1/audits"), own);
    /* The chief auditor's group has no project of its own; it sees those it is on the team
     * of (the demo's cross-audit round may put it on one) and no other. */
    json_t *cme = NULL;
    assert_int_equal(apit_json(&S, &CHIEF, "GET", "/api/v1/me", NULL, &cme), 200);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit_project p WHERE p.unit_code IN (SELECT code FROM unit"
             " WHERE code = '%s' OR parent_code = '%s') OR (p.stage <> 'closed' AND p.unit_code IN"
             " (SELECT ap.unit_code FROM audit_project ap JOIN audit_team t ON t.project_id = ap.id"
             " WHERE t.person_id = (SELECT person_id FROM app_user WHERE username = '%s')"
             " AND ap.stage <> 'closed'))",
             apit_str(json_object_get(cme, "user"), "unit_code"),
             apit_str(json_object_get(cme, "user"), "unit_code"),
             apit_str(json_object_get(cme, "user"), "username"));
    json_decref(cme);
    assert_int_equal(apit_total(&S, &CHIEF, "/api/v1/audits"), apit_sql_int(&S, sql));
    json_t *e = NULL;
    assert_int_equal(apit_json(&S, &ADMIN, "GET", "/api/v1/audits?kind=whatever", NULL, &e), 400);
    assert_string_equal(apit_str(json_object_get(e, "error"), "where"), "kind");
    json_decref(e);
}

static void a_project_in_detail(void **state)
{
    (void)state;
    long long id = apit_sql_int(&S, "SELECT id FROM audit_project WHERE kind = 'cross'");
    char path[100];
    snprintf(path, sizeof path, "/api/v1/audits/%lld", id);
    json_t *p = NULL;
    assert_int_equal(apit_json(&S, &LEADER, "GET", path, NULL, &p), 200);
    assert_string_equal(apit_str(p, "kind_zh"), "交叉互审");
    assert_true(strlen(apit_str(p, "unit_name")) > 0);
    assert_true(json_array_size(json_object_get(p, "team")) > 0);
    assert_true(json_array_size(json_object_get(p, "findings")) > 0);
    assert_true(json_array_size(json_object_get(p, "independence")) > 0);
    long long f = json_integer_value(
        json_object_get(json_array_get(json_object_get(p, "findings"), 0), "id"));
    json_decref(p);
    assert_int_equal(apit_json(&S, &CHIEF, "GET", path, NULL, NULL), 404);
    snprintf(path, sizeof path, "/api/v1/findings/%lld", f);
    json_t *fd = NULL;
    assert_int_equal(apit_json(&S, &LEADER, "GET", path, NULL, &fd), 200);
    assert_true(strlen(apit_str(fd, "item_name")) > 0);
    assert_int_equal(json_integer_value(json_object_get(fd, "project_id")), id);
    json_decref(fd);
    assert_int_equal(apit_json(&S, &CHIEF, "GET", path, NULL, NULL), 404);
}

static void creating_a_project(void **state)
{
    (void)state;
    char unit[32], body[600];
    long long n0 = apit_sql_int(&S, "SELECT COUNT(*) FROM audit_project");
    json_t *list = NULL;
    assert_int_equal(
        apit_json(&S, &ADMIN, "GET", "/api/v1/units?pilot=true&per_page=1", NULL, &list), 200);
    snprintf(unit, sizeof unit, "%s",
             apit_str(json_array_get(json_object_get(list, "items"), 0), "code"));
    json_decref(list);
    snprintf(body, sizeof body,
             "{\"name\":\"接口测试专项审计\",\"kind\":\"special\",\"unit_code\":"
             "\"%s\","
             "\"period_from\":\"2025-01-01\",\"period_to\":\"2025-12-31\","
             "\"items\":[\"F03\",\"K2\"]}",
             unit);
    assert_int_equal(apit_json(&S, &REVIEWER, "POST", "/api/v1/audits", body, NULL), 403);
    assert_int_equal(apit_json(&S, &LEADER, "POST", "/api/v1/audits", body, NULL), 403);
    assert_int_equal(apit_sql_int(&S, "SELECT COUNT(*) FROM audit_project"), n0);
    json_t *p = NULL;
    assert_int_equal(apit_json(&S, &ADMIN, "POST", "/api/v1/audits", body, &p), 201);
    assert_string_equal(apit_str(p, "stage"), "pre");
    assert_string_equal(apit_str(p, "kind"), "special");
    assert_int_equal(apit_sql_int(&S, "SELECT COUNT(*) FROM audit_project"), n0 + 1);
    long long id = json_integer_value(json_object_get(p, "id"));
    json_decref(p);
    /* A working paper before fieldwork is the wrong stage. */
    char path[100];
    snprintf(path, sizeof path, "/api/v1/audits/%lld/records", id);
    json_t *e = NULL;
    assert_int_equal(
        apit_json(&S, &ADMIN, "POST", path, "{\"kind\":\"working_paper\",\"title\":\"底稿\"}", &e),
        422);
    assert_string_equal(apit_str(json_object_get(e, "error"), "where"), "stage");
    json_decref(e);
    /* Items must be catalog codes. */
    snprintf(body, sizeof body,
             "{\"name\":\"x\",\"kind\":\"special\",\"unit_code\":\"%s\",\"period_"
             "from\":\"2025-01-01\","
             "\"period_to\":\"2025-12-31\",\"items\":[\"F99\"]}",
             unit);
    assert_int_equal(apit_json(&S, &ADMIN, "POST", "/api/v1/audits", body, NULL), 422);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(projects_are_scoped),
        cmocka_unit_test(a_project_in_detail),
        cmocka_unit_test(creating_a_project),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
