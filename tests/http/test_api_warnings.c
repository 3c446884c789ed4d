/* test_api_warnings.c - the warnings of scanned demo books through the real
 * server: the list is the database's, filters narrow it, a warning is seen only
 * in scope, and only triagers triage. */
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
    apit_start(&S, "api-warnings.db", 50000);
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

static void the_list_is_the_databases(void **state)
{
    (void)state;
    long long all = apit_sql_int(&S, "SELECT COUNT(*) FROM warning");
    assert_true(all > 50);
    assert_int_equal(apit_total(&S, &ADMIN, "/api/v1/warnings"), all);
    assert_int_equal(apit_total(&S, &ADMIN, "/api/v1/warnings?item=F03"),
                     apit_sql_int(&S, "SELECT COUNT(*) FROM warning WHERE item = 'F03'"));
    assert_int_equal(apit_total(&S, &ADMIN, "/api/v1/warnings?severity=high"),
                     apit_sql_int(&S, "SELECT COUNT(*) FROM warning WHERE severity = 'high'"));
    /* Pages of 10 cover the first 20 without repeating. */
    json_t *a = NULL, *b = NULL;
    assert_int_equal(apit_json(&S, &ADMIN, "GET", "/api/v1/warnings?per_page=10&page=1", NULL, &a),
                     200);
    assert_int_equal(apit_json(&S, &ADMIN, "GET", "/api/v1/warnings?per_page=10&page=2", NULL, &b),
                     200);
    assert_int_equal(json_array_size(json_object_get(a, "items")), 10);
    for (size_t i = 0; i < 10; i++)
        for (size_t k = 0; k < json_array_size(json_object_get(b, "items")); k++)
            assert_int_not_equal(json_integer_value(json_object_get(
                                     json_array_get(json_object_get(a, "items"), i), "id")),
                                 json_integer_value(json_object_get(
                                     json_array_get(json_object_get(b, "items"), k), "id")));
    json_decref(a);
    json_decref(b);
    json_t *e = NULL;
    assert_int_equal(apit_json(&S, &ADMIN, "GET", "/api/v1/warnings?severity=extreme", NULL, &e),
                     400);
    assert_string_equal(apit_str(json_object_get(e, "error"), "where"), "severity");
    json_decref(e);
}

/* A warning of another unit is not found for a leader; the detail has its
 * evidence. */
static void detail_and_scope(void **state)
{
    (void)state;
    json_t *me = NULL;
    assert_int_equal(apit_json(&S, &LEADER, "GET", "/api/v1/me", NULL, &me), 200);
    char sql[300], path[100];
    snprintf(sql, sizeof sql, "SELECT MIN(id) FROM warning WHERE unit_code <> '%s'",
             apit_str(json_object_get(me, "user"), "unit_code"));
    long long other = apit_sql_int(&S, sql);
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM warning WHERE unit_code = '%s'",
             apit_str(json_object_get(me, "user"), "unit_code"));
    assert_int_equal(apit_total(&S, &LEADER, "/api/v1/warnings"), apit_sql_int(&S, sql));
    json_decref(me);
    snprintf(path, sizeof path, "/api/v1/warnings/%lld", other);
    assert_int_equal(apit_json(&S, &LEADER, "GET", path, NULL, NULL), 404);
    json_t *w = NULL;
    assert_int_equal(apit_json(&S, &ADMIN, "GET", path, NULL, &w), 200);
    assert_int_equal(json_integer_value(json_object_get(w, "id")), other);
    assert_true(strlen(apit_str(w, "message")) > 0);
    assert_true(json_is_object(json_object_get(w, "evidence")));
    json_decref(w);
    assert_int_equal(apit_json(&S, &ADMIN, "GET", "/api/v1/warnings/999999", NULL, NULL), 404);
}

/* Triage is for the triaging roles; a bad decision is refused naming the field
 * and changes nothing. */
static void who_triages(void **state)
{
    (void)state;
    /* The liaison of cell D01 (the demo's liaison account is of a cell without
     * warnings). */
    long long person = apit_sql_int(&S, "SELECT person_id FROM cell_liaison WHERE cell_id = 'D01'");
    char body[300];
    snprintf(body, sizeof body,
             "{\"username\":\"lia-d01\",\"role\":\"liaison\",\"cell_id\":\"D01\","
             "\"person_id\":%lld,\"password\":\"%s\"}",
             person, DEMO_PASSWORD);
    assert_int_equal(apit_json(&S, &ADMIN, "POST", "/api/v1/users", body, NULL), 201);
    apit_client liaison;
    apit_login(&S, "lia-d01", NULL, &liaison);
    long long id =
        apit_sql_int(&S, "SELECT MIN(w.id) FROM warning w JOIN unit u ON u.code = w.unit_code"
                         " WHERE w.status = 'open' AND u.cell_id = 'D01'");
    assert_true(id > 0);
    char path[100];
    snprintf(path, sizeof path, "/api/v1/warnings/%lld/triage", id);
    assert_int_equal(apit_json(&S, &REVIEWER, "POST", path, "{\"action\":\"acknowledge\"}", NULL),
                     403);
    assert_int_equal(apit_json(&S, &LEADER, "POST", path, "{\"action\":\"acknowledge\"}", NULL),
                     403);
    json_t *e = NULL;
    int st = apit_json(&S, &liaison, "POST", path, "{\"action\":\"maybe\"}", &e);
    assert_true(st == 400 || st == 422);
    assert_string_equal(apit_str(json_object_get(e, "error"), "where"), "action");
    json_decref(e);
    assert_int_equal(apit_json(&S, &liaison, "POST", path, "{\"verdict\":\"acknowledge\"}", NULL),
                     422);
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT status = 'open' FROM warning WHERE id = %lld", id);
    assert_int_equal(apit_sql_int(&S, sql), 1);
    /* A liaison confirms a warning of its cell: the state is stored and
     * audit-logged. */
    long long log0 = apit_sql_int(&S, "SELECT COUNT(*) FROM audit_log");
    assert_int_equal(apit_json(&S, &liaison, "POST", path, "{\"action\":\"acknowledge\"}", NULL),
                     200);
    assert_int_equal(apit_sql_int(&S, sql), 0);
    assert_true(apit_sql_int(&S, "SELECT COUNT(*) FROM audit_log") > log0);
    /* Outside the liaison's cell: not found. */
    long long far =
        apit_sql_int(&S, "SELECT MIN(w.id) FROM warning w JOIN unit u ON u.code = w.unit_code"
                         " WHERE u.cell_id <> 'D01'");
    snprintf(path, sizeof path, "/api/v1/warnings/%lld/triage", far);
    assert_int_equal(apit_json(&S, &liaison, "POST", path, "{\"action\":\"acknowledge\"}", NULL),
                     404);
}

/* issue 12 §2: the bureau turns a warning straight into a rectification item
 * of the unit's standing ledger (预警跟踪整改): one item per warning, one
 * ledger per unit and year, in 整改 from the start; the warning is 已确认
 * naming the finding; nobody else may, and not twice. */
static void straight_to_rectification(void **state)
{
    (void)state;
    long long id = apit_sql_int(&S, "SELECT MIN(id) FROM warning WHERE status = 'open'");
    char unit[40], sql[400], path[100];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM warning WHERE unit_code = (SELECT unit_code FROM warning"
             " WHERE id = %lld) AND status = 'open' AND id <> %lld",
             id, id);
    assert_true(apit_sql_int(&S, sql) > 0);
    snprintf(path, sizeof path, "/api/v1/warnings/%lld", id);
    json_t *w = NULL;
    assert_int_equal(apit_json(&S, &ADMIN, "GET", path, NULL, &w), 200);
    snprintf(unit, sizeof unit, "%s", apit_str(w, "unit"));
    bool offered = false;
    json_t *a;
    size_t i;
    json_array_foreach(json_object_get(w, "actions"), i, a) offered |=
        !strcmp(apit_str(a, "action"), "to_rectification");
    assert_true(offered);
    json_decref(w);

    snprintf(path, sizeof path, "/api/v1/warnings/%lld/triage", id);
    const char *body = "{\"action\":\"to_rectification\",\"rect_class\":\"phased\"}";
    assert_int_equal(apit_json(&S, &LEADER, "POST", path, body, NULL), 403);
    assert_int_equal(apit_json(&S, &REVIEWER, "POST", path, body, NULL), 403);
    json_t *e = NULL;
    assert_int_equal(apit_json(&S, &ADMIN, "POST", path,
                               "{\"action\":\"to_rectification\",\"rect_class\":\"soon\"}", &e),
                     422);
    assert_string_equal(apit_str(json_object_get(e, "error"), "where"), "rect_class");
    json_decref(e);
    assert_int_equal(apit_sql_int(&S,
                                  "SELECT COUNT(*) FROM audit_project WHERE standing IS NOT NULL"
                                  /* issue 14 §2 (dept): not the demo's supervision-visit ledger */
                                  " AND id NOT IN (SELECT f.project_id FROM finding f"
                                  " JOIN supervision_finding sf ON sf.finding_id = f.id)"),
                     0);
    long long log0 = apit_sql_int(&S, "SELECT COUNT(*) FROM audit_log");
    assert_int_equal(apit_json(&S, &ADMIN, "POST", path, body, &w), 200);
    assert_string_equal(apit_str(w, "state"), "acknowledged");
    long long fid = json_integer_value(json_object_get(json_object_get(w, "finding"), "id"));
    assert_true(fid > 0);
    json_decref(w);
    assert_true(apit_sql_int(&S, "SELECT COUNT(*) FROM audit_log") > log0);
    /* The item: the unit's, phased, open, in the ledger project in 整改. */
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM rectification r JOIN audit_project p ON p.id = r.project_id"
             " WHERE r.finding_id = %lld AND r.unit_code = '%s' AND r.class = 'phased'"
             " AND r.state = 'open' AND p.standing = 'warning' AND p.stage = 'rectify'"
             " AND p.kind = 'tracking' AND p.unit_code = '%s'",
             fid, unit, unit);
    assert_int_equal(apit_sql_int(&S, sql), 1);
    long long rid = 0, pid = 0;
    snprintf(sql, sizeof sql, "SELECT id FROM rectification WHERE finding_id = %lld", fid);
    rid = apit_sql_int(&S, sql);
    snprintf(sql, sizeof sql, "SELECT project_id FROM rectification WHERE finding_id = %lld", fid);
    pid = apit_sql_int(&S, sql);
    /* The unit sees it among its items. */
    snprintf(path, sizeof path, "/api/v1/rectifications/%lld", rid);
    assert_int_equal(apit_json(&S, &ADMIN, "GET", path, NULL, &w), 200);
    json_decref(w);
    snprintf(path, sizeof path, "/api/v1/audits/%lld", pid);
    assert_int_equal(apit_json(&S, &ADMIN, "GET", path, NULL, &w), 200);
    assert_string_equal(apit_str(w, "standing"), "warning");
    assert_string_equal(apit_str(w, "stage"), "rectify");
    json_decref(w);
    /* Not twice: the warning is already evidence of a finding. */
    snprintf(path, sizeof path, "/api/v1/warnings/%lld/triage", id);
    assert_int_equal(apit_json(&S, &ADMIN, "POST", path, body, NULL), 409);
    /* A second warning of the unit joins the same ledger. */
    snprintf(sql, sizeof sql,
             "SELECT MIN(id) FROM warning WHERE unit_code = '%s' AND status = 'open'", unit);
    long long id2 = apit_sql_int(&S, sql);
    snprintf(path, sizeof path, "/api/v1/warnings/%lld/triage", id2);
    assert_int_equal(apit_json(&S, &ADMIN, "POST", path, "{\"action\":\"to_rectification\"}", NULL),
                     200);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM rectification WHERE project_id = %lld AND class = 'immediate'",
             pid);
    assert_int_equal(apit_sql_int(&S, sql), 1);
    assert_int_equal(apit_sql_int(&S,
                                  "SELECT COUNT(*) FROM audit_project WHERE standing IS NOT NULL"
                                  /* issue 14 §2 (dept): not the demo's supervision-visit ledger */
                                  " AND id NOT IN (SELECT f.project_id FROM finding f"
                                  " JOIN supervision_finding sf ON sf.finding_id = f.id)"),
                     1);
    /* The ledger takes findings from warnings only. */
    snprintf(path, sizeof path, "/api/v1/audits/%lld/findings", pid);
    assert_int_equal(apit_json(&S, &ADMIN, "POST", path,
                               "{\"item\":\"F03\",\"title\":\"t\",\"description\":\"d\","
                               "\"severity\":\"low\"}",
                               NULL),
                     422);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_list_is_the_databases),
        cmocka_unit_test(detail_and_scope),
        cmocka_unit_test(who_triages),
        cmocka_unit_test(straight_to_rectification),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
