/* test_api_scan.c - the bureau rescans a unit through the real server: who may start one, what
 * the answer and the status say against the scan_run row written, and scoping of the status.
 * (A second POST while one runs, 409, is pinned by tests/cli/t0150-serve-rescan.sh.) */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "../testutil.h"
#include "apitest.h"

static apit_server S;
static char UNIT[64]; /* a unit with imported books */
/* Signed in once: each sign-in hashes a password (Argon2id). */
static apit_client ADMIN, AUDITOR, LEADER;

/* One text value from the database. */
static void sql_text(const char *sql, char *out, size_t n)
{
    ag_store *st = NULL;
    ag_error err;
    must(store_open(S.db, 0, &st, &err), &err);
    ag_stmt *q = NULL;
    bool row = false;
    must(store_prepare(st, sql, &q, &err), &err);
    must(store_step(q, &row, &err), &err);
    assert_true(row);
    snprintf(out, n, "%s", store_col_text(q, 0));
    store_finalize(q);
    store_close(st);
}

static int setup(void **state)
{
    (void)state;
    apit_start(&S, "api-scan.db", 3000);
    sql_text("SELECT unit_code FROM ledger_book ORDER BY unit_code LIMIT 1", UNIT, sizeof UNIT);
    apit_login(&S, "admin", NULL, &ADMIN);
    apit_login(&S, "auditor", NULL, &AUDITOR);
    apit_login(&S, "leader", NULL, &LEADER);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    apit_stop(&S);
    return 0;
}

static void path_of(char *out, size_t n, const char *unit)
{
    snprintf(out, n, "/api/v1/units/%s/scan", unit);
}

static void only_the_admin_starts_a_rescan_of_a_known_unit(void **state)
{
    (void)state;
    char path[160];
    path_of(path, sizeof path, UNIT);
    long long runs = apit_sql_int(&S, "SELECT COUNT(*) FROM scan_run");
    const apit_client *others[] = {&AUDITOR, &LEADER};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        json_t *j = NULL;
        assert_int_equal(apit_json(&S, others[i], "POST", path, NULL, &j), 403);
        json_decref(j);
    }
    json_t *j = NULL;
    assert_int_equal(apit_json(&S, &ADMIN, "POST", "/api/v1/units/NOPE/scan", NULL, &j), 404);
    json_decref(j);
    /* Anonymous: not signed in. */
    apit_client anon = {0};
    assert_int_equal(apit_json(&S, &anon, "POST", path, NULL, NULL), 401);
    assert_int_equal(apit_sql_int(&S, "SELECT COUNT(*) FROM scan_run"), runs);
}

static void a_rescan_answers_what_it_recorded_and_the_status_names_it(void **state)
{
    (void)state;
    char path[160], sql[300];
    path_of(path, sizeof path, UNIT);
    const apit_client *c = &ADMIN;
    json_t *st = NULL;
    assert_int_equal(apit_json(&S, c, "GET", path, NULL, &st), 200);
    assert_false(json_is_true(json_object_get(st, "running")));
    assert_true(json_is_null(json_object_get(st, "phase")));
    assert_true(json_is_null(json_object_get(st, "started_at")));
    json_decref(st);

    json_t *r = NULL;
    assert_int_equal(apit_json(&S, c, "POST", path, NULL, &r), 200);
    assert_string_equal(apit_str(r, "unit_code"), UNIT);
    long long run = json_integer_value(json_object_get(r, "run_id"));
    snprintf(sql, sizeof sql, "SELECT MAX(id) FROM scan_run WHERE unit_code = '%s'", UNIT);
    assert_int_equal(run, apit_sql_int(&S, sql));
    snprintf(sql, sizeof sql, "SELECT warnings FROM scan_run WHERE id = %lld", run);
    assert_int_equal(json_integer_value(json_object_get(r, "warnings")), apit_sql_int(&S, sql));
    snprintf(sql, sizeof sql, "SELECT rows FROM scan_run WHERE id = %lld", run);
    long long rows = apit_sql_int(&S, sql);
    assert_int_equal(json_integer_value(json_object_get(r, "rows")), rows);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM ledger_line l JOIN ledger_book b ON b.id = l.book_id"
             " WHERE b.unit_code = '%s'",
             UNIT);
    assert_int_equal(rows, apit_sql_int(&S, sql));
    assert_true(json_integer_value(json_object_get(r, "vouchers")) > 0);
    /* The demo scanned these books already: nothing is new, triage is kept. */
    assert_int_equal(json_integer_value(json_object_get(r, "new_warnings")), 0);
    assert_true(json_is_real(json_object_get(r, "seconds")));
    json_decref(r);

    assert_int_equal(apit_json(&S, c, "GET", path, NULL, &st), 200);
    assert_false(json_is_true(json_object_get(st, "running")));
    json_t *last = json_object_get(st, "last");
    assert_int_equal(json_integer_value(json_object_get(last, "run_id")), run);
    assert_int_equal(json_integer_value(json_object_get(last, "rows")), rows);
    assert_int_equal(json_integer_value(json_object_get(last, "new_warnings")), 0);
    /* Stored UTC, as ISO: "2026-12-07T06:33:00Z". */
    const char *at = apit_str(last, "started_at");
    assert_int_equal(strlen(at), 20);
    assert_int_equal(at[19], 'Z');
    json_decref(st);

    /* A second rescan once the first is done is a new run. */
    assert_int_equal(apit_json(&S, c, "POST", path, NULL, &r), 200);
    assert_true(json_integer_value(json_object_get(r, "run_id")) > run);
    json_decref(r);
}

static void the_status_is_scoped_to_what_the_caller_sees(void **state)
{
    (void)state;
    const apit_client *c = &LEADER;
    json_t *me = NULL;
    assert_int_equal(apit_json(&S, c, "GET", "/api/v1/me", NULL, &me), 200);
    char own[64], other[64], path[160], sql[200];
    snprintf(own, sizeof own, "%s", apit_str(json_object_get(me, "user"), "unit_code"));
    json_decref(me);
    assert_true(own[0]);
    path_of(path, sizeof path, own);
    json_t *st = NULL;
    assert_int_equal(apit_json(&S, c, "GET", path, NULL, &st), 200);
    assert_string_equal(apit_str(st, "unit_code"), own);
    json_decref(st);
    snprintf(sql, sizeof sql, "SELECT code FROM unit WHERE code <> '%s' ORDER BY code LIMIT 1",
             own);
    sql_text(sql, other, sizeof other);
    path_of(path, sizeof path, other);
    assert_int_equal(apit_json(&S, c, "GET", path, NULL, &st), 404);
    json_decref(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(only_the_admin_starts_a_rescan_of_a_known_unit),
        cmocka_unit_test(a_rescan_answers_what_it_recorded_and_the_status_names_it),
        cmocka_unit_test(the_status_is_scoped_to_what_the_caller_sees),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
