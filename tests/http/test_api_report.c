/* test_api_report.c - the four reports (issue 16) through the real server: a report drafted from
 * the data and read within scope, a section saved on a stale base version (409 conflict), filing,
 * the return with a comment, refiling and acceptance with the reviewer's points, the versions, the
 * exports' types and file names, the list and the bureau's queue, the risk ranking, the settings
 * and the reminders, each refused to those who may not. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "../testutil.h"
#include "apitest.h"

static apit_server S;
static apit_client ADMIN, LEADER, REVIEWER;
static char LEADER_UNIT[64], OTHER_UNIT[64];
static long long REPORT; /* the summary the tests walk through its life */

/* A string value from the database into out ("" when none). */
static void sql_text(const char *sql, char *out, size_t n)
{
    ag_store *st = NULL;
    ag_error err;
    must(store_open(S.db, 0, &st, &err), &err);
    ag_stmt *q = NULL;
    must(store_prepare(st, sql, &q, &err), &err);
    bool row = false;
    must(store_step(q, &row, &err), &err);
    const char *v = row ? store_col_text(q, 0) : NULL;
    snprintf(out, n, "%s", v ? v : "");
    store_finalize(q);
    store_close(st);
}

static int setup(void **state)
{
    (void)state;
    apit_start(&S, "api-report.db", 0);
    apit_login(&S, "admin", NULL, &ADMIN);
    apit_login(&S, "leader", NULL, &LEADER);
    apit_login(&S, "reviewer", NULL, &REVIEWER);
    sql_text("SELECT unit_code FROM app_user WHERE username = 'leader'", LEADER_UNIT,
             sizeof LEADER_UNIT);
    char sql[400];
    snprintf(sql, sizeof sql,
             "SELECT u.code FROM unit u WHERE u.pilot = 1 AND u.code <> '%s' AND NOT EXISTS "
             "(SELECT 1 FROM report r WHERE r.kind = 'summary' AND r.unit_code = u.code AND "
             "r.year = 2026) ORDER BY u.code LIMIT 1",
             LEADER_UNIT);
    sql_text(sql, OTHER_UNIT, sizeof OTHER_UNIT);
    assert_true(strlen(LEADER_UNIT) > 0 && strlen(OTHER_UNIT) > 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    apit_stop(&S);
    return 0;
}

static void path_of(char *out, size_t n, const char *suffix)
{
    snprintf(out, n, "/api/v1/reports/%lld%s", REPORT, suffix);
}

static void a_report_is_drafted_and_read_in_scope(void **state)
{
    (void)state;
    char body[200], path[160];
    snprintf(body, sizeof body, "{\"kind\":\"summary\",\"unit_code\":\"%s\",\"year\":2026}",
             OTHER_UNIT);
    json_t *j = NULL;
    assert_int_equal(apit_json(&S, &ADMIN, "POST", "/api/v1/reports", body, &j), 201);
    REPORT = json_integer_value(json_object_get(j, "id"));
    assert_true(REPORT > 0);
    assert_string_equal(apit_str(j, "kind"), "summary");
    assert_string_equal(apit_str(j, "state"), "draft");
    assert_string_equal(apit_str(j, "kind_zh"), "年度内部审计工作总结");
    assert_int_equal(json_integer_value(json_object_get(j, "version")), 1);
    json_t *content = json_object_get(j, "content");
    assert_string_equal(apit_str(content, "format"), "auditgrid-report/1");
    assert_int_equal(json_array_size(json_object_get(content, "sections")), 6);
    assert_true(json_array_size(json_object_get(j, "actions")) > 0);
    json_decref(j);
    /* One report per unit, kind and year. */
    assert_int_equal(apit_json(&S, &ADMIN, "POST", "/api/v1/reports", body, &j), 409);
    assert_string_equal(apit_str(json_object_get(j, "error"), "code"), "conflict");
    json_decref(j);
    path_of(path, sizeof path, "");
    assert_int_equal(apit_json(&S, &REVIEWER, "GET", path, NULL, &j), 200);
    assert_int_equal(json_integer_value(json_object_get(j, "id")), REPORT);
    json_decref(j);
    assert_int_equal(apit_json(&S, &LEADER, "GET", path, NULL, NULL), 404);
    assert_int_equal(apit_json(&S, &ADMIN, "GET", "/api/v1/reports/0", NULL, NULL), 404);
    /* Refusals of the body. */
    assert_int_equal(apit_json(&S, &ADMIN, "POST", "/api/v1/reports", "{\"kind\":\"memo\"}", &j),
                     422);
    assert_string_equal(apit_str(json_object_get(j, "error"), "where"), "kind");
    json_decref(j);
    assert_int_equal(apit_json(&S, &REVIEWER, "POST", "/api/v1/reports", body, NULL), 403);
    snprintf(body, sizeof body, "{\"kind\":\"plan\",\"unit_code\":\"%s\",\"year\":2029}",
             OTHER_UNIT);
    assert_int_equal(apit_json(&S, &LEADER, "POST", "/api/v1/reports", body, NULL), 404);
}

static void a_stale_base_version_is_a_conflict(void **state)
{
    (void)state;
    char path[160];
    path_of(path, sizeof path, "/sections/next");
    json_t *j = NULL;
    const char *v1 = "{\"blocks\":[{\"type\":\"p\",\"text\":\"下一年度重点开展专项资金审计。\"}],"
                     "\"base_version\":1}";
    assert_int_equal(apit_json(&S, &ADMIN, "PUT", path, v1, &j), 200);
    assert_int_equal(json_integer_value(json_object_get(j, "version")), 2);
    json_decref(j);
    assert_int_equal(apit_json(&S, &ADMIN, "PUT", path, v1, &j), 409);
    json_t *e = json_object_get(j, "error");
    assert_string_equal(apit_str(e, "code"), "conflict");
    assert_true(strlen(apit_str(e, "message")) > 0 && strlen(apit_str(e, "message_en")) > 0);
    json_decref(j);
    assert_int_equal(apit_json(&S, &ADMIN, "PUT", path, "{\"blocks\":{},\"base_version\":2}", &j),
                     422);
    assert_string_equal(apit_str(json_object_get(j, "error"), "where"), "blocks");
    json_decref(j);
    assert_int_equal(apit_json(&S, &REVIEWER, "PUT", path, v1, NULL), 403);
    char sql[120];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM report_version WHERE report_id = %lld", REPORT);
    assert_int_equal(apit_sql_int(&S, sql), 2);
}

static void filing_return_refiling_and_acceptance(void **state)
{
    (void)state;
    char path[160];
    json_t *j = NULL;
    path_of(path, sizeof path, "/file");
    assert_int_equal(apit_json(&S, &ADMIN, "POST", path, NULL, &j), 200);
    assert_string_equal(apit_str(j, "state"), "filed");
    assert_int_equal(json_integer_value(json_object_get(j, "filed_version")), 2);
    json_decref(j);
    path_of(path, sizeof path, "/review");
    assert_int_equal(apit_json(&S, &REVIEWER, "POST", path, "{\"action\":\"accept\"}", NULL), 403);
    assert_int_equal(apit_json(&S, &ADMIN, "POST", path, "{\"action\":\"return\"}", &j), 422);
    assert_string_equal(apit_str(json_object_get(j, "error"), "where"), "comment");
    json_decref(j);
    assert_int_equal(apit_json(&S, &ADMIN, "POST", path,
                               "{\"action\":\"return\",\"comment\":\"请补充整改率\"}", &j),
                     200);
    assert_string_equal(apit_str(j, "state"), "returned");
    json_t *cs = json_object_get(j, "comments");
    bool found = false;
    for (size_t i = 0; i < json_array_size(cs); i++)
        found = found || !strcmp(apit_str(json_array_get(cs, i), "comment"), "请补充整改率");
    assert_true(found);
    json_decref(j);
    path_of(path, sizeof path, "/sections/rect");
    assert_int_equal(
        apit_json(&S, &ADMIN, "PUT", path,
                  "{\"blocks\":[{\"type\":\"p\",\"text\":\"整改率 80%。\"}],\"base_version\":2}",
                  &j),
        200);
    assert_int_equal(json_integer_value(json_object_get(j, "version")), 3);
    json_decref(j);
    path_of(path, sizeof path, "/file");
    assert_int_equal(apit_json(&S, &ADMIN, "POST", path, "{}", NULL), 200);
    path_of(path, sizeof path, "/review");
    assert_int_equal(apit_json(&S, &ADMIN, "POST", path,
                               "{\"action\":\"accept\",\"scores\":{\"opinion\":12}}", &j),
                     200);
    assert_string_equal(apit_str(j, "state"), "accepted");
    json_t *vs = json_object_get(j, "versions");
    assert_int_equal(json_array_size(vs), 3);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(vs, 0), "version")), 3);
    json_t *cr = json_object_get(json_object_get(j, "score"), "criteria");
    double opinion = -1;
    for (size_t i = 0; i < json_array_size(cr); i++)
        if (!strcmp(apit_str(json_array_get(cr, i), "code"), "opinion"))
            opinion = json_number_value(json_object_get(json_array_get(cr, i), "points"));
    assert_true(opinion > 11.9 && opinion < 12.1);
    json_decref(j);
    path_of(path, sizeof path, "/versions/1");
    assert_int_equal(apit_json(&S, &REVIEWER, "GET", path, NULL, &j), 200);
    assert_int_equal(json_integer_value(json_object_get(j, "version")), 1);
    assert_true(json_is_object(json_object_get(j, "content")));
    json_decref(j);
    path_of(path, sizeof path, "/score");
    assert_int_equal(apit_json(&S, &REVIEWER, "GET", path, NULL, &j), 200);
    assert_true(json_is_number(json_object_get(j, "total")));
    json_decref(j);
    assert_int_equal(apit_json(&S, &REVIEWER, "PUT", path, "{\"scores\":{\"opinion\":3}}", NULL),
                     403);
    assert_int_equal(apit_json(&S, &ADMIN, "PUT", path, "{\"scores\":{\"opinion\":14}}", NULL),
                     200);
}

static void exports_carry_their_types_and_names(void **state)
{
    (void)state;
    char path[200];
    apit_resp r;
    path_of(path, sizeof path, "/export?format=docx");
    apit_raw(&S, &ADMIN, "GET", path, NULL, NULL, 0, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strcasestr(r.headers, "content-type: application/vnd.openxmlformats-"
                                          "officedocument.wordprocessingml.document"));
    assert_non_null(strcasestr(r.headers, "content-disposition: attachment"));
    /* 年度内部审计工作总结-…: the kind's name, UTF-8 percent-encoded (RFC 5987). */
    assert_non_null(strstr(r.headers, "filename*=UTF-8''%E5%B9%B4%E5%BA%A6"));
    assert_memory_equal(r.body, "PK\x03\x04", 4);
    apit_resp_free(&r);
    path_of(path, sizeof path, "/export?format=html&version=1");
    apit_raw(&S, &REVIEWER, "GET", path, NULL, NULL, 0, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strcasestr(r.headers, "content-type: text/html"));
    assert_non_null(strcasestr(r.headers, "content-disposition: inline"));
    assert_non_null(strcasestr(r.body, "<html"));
    apit_resp_free(&r);
    path_of(path, sizeof path, "/export?format=pdf");
    apit_raw(&S, &ADMIN, "GET", path, NULL, NULL, 0, NULL, &r);
    if (r.status == 200) {
        assert_non_null(strcasestr(r.headers, "content-type: application/pdf"));
        assert_memory_equal(r.body, "%PDF", 4);
    } else {
        assert_int_equal(r.status, 503);
        assert_non_null(strstr(r.body, "\"unavailable\""));
    }
    apit_resp_free(&r);
    path_of(path, sizeof path, "/export?format=odt");
    assert_int_equal(apit_json(&S, &ADMIN, "GET", path, NULL, NULL), 400);
    path_of(path, sizeof path, "/export?format=html");
    assert_int_equal(apit_json(&S, &LEADER, "GET", path, NULL, NULL), 404);
}

static void the_list_and_the_queue(void **state)
{
    (void)state;
    assert_int_equal(apit_total(&S, &ADMIN, "/api/v1/reports?per_page=500"),
                     apit_sql_int(&S, "SELECT COUNT(*) FROM report"));
    json_t *j = NULL;
    assert_int_equal(apit_json(&S, &ADMIN, "GET", "/api/v1/reports?queue=1", NULL, &j), 200);
    json_t *items = json_object_get(j, "items");
    for (size_t i = 0; i < json_array_size(items); i++) {
        assert_string_equal(apit_str(json_array_get(items, i), "state"), "filed");
        assert_null(json_object_get(json_array_get(items, i), "content"));
    }
    json_decref(j);
    assert_int_equal(apit_json(&S, &LEADER, "GET", "/api/v1/reports?per_page=500", NULL, &j), 200);
    items = json_object_get(j, "items");
    for (size_t i = 0; i < json_array_size(items); i++)
        assert_string_equal(apit_str(json_array_get(items, i), "unit_code"), LEADER_UNIT);
    json_decref(j);
    assert_int_equal(apit_json(&S, &ADMIN, "GET", "/api/v1/reports?state=lost", NULL, NULL), 400);
}

static void the_risk_ranking_settings_and_reminders(void **state)
{
    (void)state;
    char path[160];
    json_t *j = NULL;
    snprintf(path, sizeof path, "/api/v1/reports/risk?unit=%s&year=2027", LEADER_UNIT);
    assert_int_equal(apit_json(&S, &LEADER, "GET", path, NULL, &j), 200);
    json_t *es = json_object_get(j, "entries");
    assert_true(json_array_size(es) > 0);
    for (size_t i = 1; i < json_array_size(es); i++)
        assert_true(json_number_value(json_object_get(json_array_get(es, i), "score")) <=
                    json_number_value(json_object_get(json_array_get(es, i - 1), "score")));
    json_decref(j);
    snprintf(path, sizeof path, "/api/v1/reports/risk?unit=%s&year=2027", OTHER_UNIT);
    assert_int_equal(apit_json(&S, &LEADER, "GET", path, NULL, NULL), 404);
    assert_int_equal(apit_json(&S, &LEADER, "PUT", "/api/v1/settings/report-weights",
                               "{\"weights\":{\"warnings\":40}}", NULL),
                     403);
    assert_int_equal(apit_json(&S, &ADMIN, "PUT", "/api/v1/settings/report-weights",
                               "{\"weights\":{\"warnings\":40}}", &j),
                     200);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "weights"), "warnings")),
                     40);
    json_decref(j);
    assert_int_equal(apit_json(&S, &LEADER, "GET", "/api/v1/settings/report-deadlines", NULL, &j),
                     200);
    assert_string_equal(apit_str(j, "plan_due"), "01-31");
    json_decref(j);
    assert_int_equal(
        apit_json(&S, &ADMIN, "PUT", "/api/v1/settings/report-deadlines", "{\"rect_days\":45}", &j),
        200);
    assert_int_equal(json_integer_value(json_object_get(j, "rect_days")), 45);
    json_decref(j);
    assert_int_equal(apit_json(&S, &ADMIN, "PUT", "/api/v1/settings/report-deadlines",
                               "{\"plan_due\":\"02-30\"}", &j),
                     422);
    assert_string_equal(apit_str(json_object_get(j, "error"), "where"), "plan_due");
    json_decref(j);
    assert_int_equal(apit_json(&S, &LEADER, "POST", "/api/v1/reports/remind", NULL, NULL), 403);
    assert_int_equal(apit_json(&S, &ADMIN, "POST", "/api/v1/reports/remind", NULL, &j), 200);
    assert_true(json_is_integer(json_object_get(j, "reminded")));
    json_decref(j);
    /* Idempotent: the same day writes nothing twice. */
    assert_int_equal(apit_json(&S, &ADMIN, "POST", "/api/v1/reports/remind", "{}", &j), 200);
    assert_int_equal(json_integer_value(json_object_get(j, "reminded")), 0);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_report_is_drafted_and_read_in_scope),
        cmocka_unit_test(a_stale_base_version_is_a_conflict),
        cmocka_unit_test(filing_return_refiling_and_acceptance),
        cmocka_unit_test(exports_carry_their_types_and_names),
        cmocka_unit_test(the_list_and_the_queue),
        cmocka_unit_test(the_risk_ranking_settings_and_reminders),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
