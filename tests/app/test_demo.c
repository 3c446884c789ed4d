/* test_demo.c (app) - the demo district use case on real database files: the same seed builds
 * the same district and books, the books are imported and scanned, no books when asked for none,
 * and a database that is not empty is refused with nothing written. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/demo.h"
#include "../testutil.h"

static int64_t one(ag_store *st, const char *sql)
{
    ag_stmt *q = NULL;
    ag_error err;
    bool row = false;
    must(store_prepare(st, sql, &q, &err), &err);
    must(store_step(q, &row, &err), &err);
    assert_true(row);
    int64_t n = store_col_int(q, 0);
    store_finalize(q);
    return n;
}

static ag_store *build(const char *name, uint64_t seed, int64_t lines, json_t **ledgers,
                       demo_summary *sum)
{
    char path[1024], files[1100], books[1100];
    ag_test_path(path, sizeof path, name);
    snprintf(files, sizeof files, "%s.files", path);
    snprintf(books, sizeof books, "%s.books", path);
    ag_store *st = NULL;
    ag_error err;
    must(store_open(path, AG_STORE_CREATE, &st, &err), &err);
    app_demo_req req = {seed, lines, files, books, false};
    demo_account acc[DEMO_MAX_ACCOUNTS];
    must(app_demo_build(st, &req, sum, acc, DEMO_MAX_ACCOUNTS, ledgers, &err), &err);
    assert_string_equal(acc[0].username, "admin");
    return st;
}

static void the_same_seed_builds_the_same_district(void **state)
{
    (void)state;
    json_t *l1 = NULL, *l2 = NULL;
    demo_summary s1, s2;
    ag_store *a = build("demo-a.db", 11, 50000, &l1, &s1);
    ag_store *b = build("demo-b.db", 11, 50000, &l2, &s2);
    assert_int_equal(s1.units, s2.units);
    assert_int_equal(s1.pilot_units, DEMO_PILOT_UNITS);
    assert_int_equal(json_integer_value(json_object_get(l1, "ledger_lines")), 50000);
    assert_true(json_equal(json_object_get(l1, "warnings"), json_object_get(l2, "warnings")));
    assert_true(json_equal(json_object_get(l1, "planted"), json_object_get(l2, "planted")));
    /* The books are stored and scanned: the figures are the database's. */
    assert_int_equal(one(a, "SELECT COUNT(*) FROM ledger_line"), 50000);
    assert_int_equal(one(a, "SELECT COUNT(*) FROM warning"),
                     json_integer_value(json_object_get(l1, "warnings")));
    assert_true(json_integer_value(json_object_get(l1, "warnings")) > 0);
    assert_int_equal(one(a, "SELECT COUNT(*) FROM scan_run"), 1);
    assert_int_equal(one(a, "SELECT COUNT(DISTINCT unit_code) FROM ledger_book"), DEMO_PILOT_UNITS);
    assert_true(json_integer_value(json_object_get(l1, "staff_persons")) > 0);
    /* Same units, same amounts. */
    assert_int_equal(one(a, "SELECT SUM(debit) FROM ledger_line"),
                     one(b, "SELECT SUM(debit) FROM ledger_line"));
    assert_int_equal(one(a, "SELECT COUNT(*) FROM unit u WHERE u.name LIKE '%中学%'"),
                     one(b, "SELECT COUNT(*) FROM unit u WHERE u.name LIKE '%中学%'"));
    json_decref(l1);
    json_decref(l2);
    store_close(a);
    store_close(b);
}

static void no_books_when_none_are_asked_for(void **state)
{
    (void)state;
    json_t *l = NULL;
    demo_summary s;
    ag_store *st = build("demo-none.db", 3, 0, &l, &s);
    assert_int_equal(json_object_size(l), 0);
    assert_int_equal(one(st, "SELECT COUNT(*) FROM ledger_line"), 0);
    assert_int_equal(one(st, "SELECT COUNT(*) FROM warning"), 0);
    assert_int_equal(one(st, "SELECT COUNT(*) FROM unit"), s.units);
    assert_true(s.audits > 0 && s.rectifications > 0);
    json_decref(l);
    store_close(st);
}

static void a_used_database_is_refused(void **state)
{
    (void)state;
    json_t *l = NULL;
    demo_summary s;
    ag_store *st = build("demo-twice.db", 3, 0, &l, &s);
    json_decref(l);
    int64_t units = one(st, "SELECT COUNT(*) FROM unit");
    int64_t log = one(st, "SELECT COUNT(*) FROM audit_log");
    app_demo_req req = {3, 0, "/nonexistent", "/nonexistent", false};
    ag_error err;
    json_t *l2 = NULL;
    assert_int_not_equal(app_demo_build(st, &req, &s, NULL, 0, &l2, &err), AG_OK);
    assert_true(strlen(err.zh) > 0 && strlen(err.en) > 0);
    assert_non_null(l2);
    json_decref(l2);
    assert_int_equal(one(st, "SELECT COUNT(*) FROM unit"), units);
    assert_int_equal(one(st, "SELECT COUNT(*) FROM audit_log"), log);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_same_seed_builds_the_same_district),
        cmocka_unit_test(no_books_when_none_are_asked_for),
        cmocka_unit_test(a_used_database_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
