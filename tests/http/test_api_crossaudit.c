/* test_api_crossaudit.c - cross-audit rounds through the real server on the demo district: who may
 * read and write, an infeasible plan answered with every reason, an edit refused by its constraint,
 * publishing once, a member's declaration once. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "../testutil.h"
#include "apitest.h"

static apit_server S;
static apit_client ADMIN, LEADER, REVIEWER;

static int setup(void **state)
{
    (void)state;
    apit_start(&S, "api-crossaudit.db", 0);
    apit_login(&S, "admin", NULL, &ADMIN);
    apit_login(&S, "leader", NULL, &LEADER);
    apit_login(&S, "reviewer", NULL, &REVIEWER);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    apit_stop(&S);
    return 0;
}

static void who_reads_and_writes(void **state)
{
    (void)state;
    json_t *o = NULL;
    assert_int_equal(apit_json(&S, &REVIEWER, "GET", "/api/v1/crossaudit/rounds", NULL, &o), 200);
    assert_int_equal(json_array_size(json_object_get(o, "items")), 1);
    long long id =
        json_integer_value(json_object_get(json_array_get(json_object_get(o, "items"), 0), "id"));
    json_decref(o);
    char path[120];
    snprintf(path, sizeof path, "/api/v1/crossaudit/rounds/%lld", id);
    assert_int_equal(apit_json(&S, &REVIEWER, "GET", path, NULL, &o), 200);
    assert_string_equal(apit_str(o, "state"), "published");
    assert_int_equal(json_array_size(json_object_get(o, "assignments")), 30);
    assert_int_equal(json_array_size(json_object_get(o, "violations")), 0);
    json_decref(o);
    assert_int_equal(apit_json(&S, &LEADER, "GET", "/api/v1/crossaudit/rounds", NULL, NULL), 403);
    assert_int_equal(apit_json(&S, &REVIEWER, "POST", "/api/v1/crossaudit/rounds",
                               "{\"round\":\"R\",\"year\":2027}", NULL),
                     403);
}

static void infeasible_with_every_reason(void **state)
{
    (void)state;
    json_t *o = NULL;
    long long before = apit_sql_int(&S, "SELECT COUNT(*) FROM xa_round");
    assert_int_equal(apit_json(&S, &ADMIN, "POST", "/api/v1/crossaudit/rounds",
                               "{\"round\":\"大组\",\"year\":2027,\"team_min\":9,\"team_max\":9}",
                               &o),
                     422);
    json_t *v = json_object_get(o, "violations");
    assert_true(json_array_size(v) > 1);
    assert_string_equal(apit_str(json_array_get(v, 0), "code"), "team_capacity");
    assert_non_null(strstr(apit_str(json_array_get(v, 1), "zh"), "审计组至少需要9人"));
    assert_null(strstr(apit_str(json_object_get(o, "error"), "message"), "--"));
    assert_int_equal(apit_sql_int(&S, "SELECT COUNT(*) FROM xa_round"), before);
    json_decref(o);
}

static void plan_edit_publish_declare(void **state)
{
    (void)state;
    json_t *o = NULL;
    assert_int_equal(
        apit_json(&S, &ADMIN, "POST", "/api/v1/crossaudit/rounds",
                  "{\"round\":\"2027年\",\"year\":2027,\"units\":\"pilot\",\"seed\":4}", &o),
        201);
    long long id = json_integer_value(json_object_get(o, "id"));
    assert_string_equal(apit_str(o, "state"), "draft");
    json_t *x = json_array_get(json_object_get(o, "assignments"), 0);
    char path[200], body[200];
    snprintf(path, sizeof path, "/api/v1/crossaudit/rounds/%lld/assignments/%s", id,
             apit_str(x, "audited"));
    snprintf(body, sizeof body, "{\"auditor_unit\":\"%s\"}", apit_str(x, "audited"));
    json_t *e = NULL;
    assert_int_equal(apit_json(&S, &ADMIN, "PUT", path, body, &e), 422);
    assert_string_equal(apit_str(json_object_get(e, "error"), "where"), "own_unit");
    json_decref(e);
    snprintf(body, sizeof body, "{\"auditor_unit\":\"%s\"}", apit_str(x, "auditor_unit"));
    assert_int_equal(apit_json(&S, &ADMIN, "PUT", path, body, NULL), 200);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/crossaudit/rounds/%lld/publish", id);
    assert_int_equal(apit_json(&S, &ADMIN, "POST", path, NULL, &o), 200);
    assert_string_equal(apit_str(o, "state"), "published");
    x = json_array_get(json_object_get(o, "assignments"), 0);
    long long pid = json_integer_value(json_object_get(x, "project_id"));
    long long person = json_integer_value(
        json_object_get(json_array_get(json_object_get(x, "team"), 0), "person_id"));
    json_decref(o);
    assert_int_equal(apit_json(&S, &ADMIN, "POST", path, NULL, NULL), 409);
    snprintf(body, sizeof body, "{\"project_id\":%lld,\"person_id\":%lld}", pid, person);
    assert_int_equal(
        apit_json(&S, &REVIEWER, "POST", "/api/v1/crossaudit/declarations", body, NULL), 403);
    assert_int_equal(apit_json(&S, &ADMIN, "POST", "/api/v1/crossaudit/declarations", body, NULL),
                     201);
    assert_int_equal(apit_json(&S, &ADMIN, "POST", "/api/v1/crossaudit/declarations", body, NULL),
                     409);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(who_reads_and_writes),
        cmocka_unit_test(infeasible_with_every_reason),
        cmocka_unit_test(plan_edit_publish_declare),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
