/* test_api_lines.c - a unit's books and their voucher lines through the real
 * server: totals are the database's, pages are disjoint, filters narrow, nobody
 * sees another unit's books, and the lines name their source file without the
 * server's folders. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "../testutil.h"
#include "apitest.h"

static apit_server S;
static apit_client AUDITOR, ADMIN;
static char UNIT[32];

static int setup(void **state)
{
    (void)state;
    apit_start(&S, "api-lines.db", 50000);
    apit_login(&S, "auditor", NULL, &AUDITOR);
    apit_login(&S, "admin", NULL, &ADMIN);
    json_t *me = NULL;
    assert_int_equal(apit_json(&S, &AUDITOR, "GET", "/api/v1/me", NULL, &me), 200);
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

static void the_books_of_a_unit(void **state)
{
    (void)state;
    char path[200], sql[300];
    snprintf(path, sizeof path, "/api/v1/units/%s/ledger", UNIT);
    json_t *j = NULL;
    assert_int_equal(apit_json(&S, &AUDITOR, "GET", path, NULL, &j), 200);
    json_t *books = json_object_get(j, "books");
    assert_int_equal(json_array_size(books), 2);
    long long lines = 0;
    for (size_t i = 0; i < json_array_size(books); i++) {
        json_t *b = json_array_get(books, i);
        assert_string_equal(apit_str(b, "debit_total"), apit_str(b, "credit_total"));
        lines += json_integer_value(json_object_get(b, "lines"));
    }
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM ledger_line l JOIN ledger_book b ON b.id = "
             "l.book_id"
             " WHERE b.unit_code = '%s'",
             UNIT);
    assert_int_equal(lines, apit_sql_int(&S, sql));
    json_decref(j);
}

static void lines_page_and_filter(void **state)
{
    (void)state;
    char path[300];
    json_t *p1 = NULL, *p2 = NULL;
    snprintf(path, sizeof path, "/api/v1/units/%s/ledger/lines?per_page=3&page=1", UNIT);
    assert_int_equal(apit_json(&S, &AUDITOR, "GET", path, NULL, &p1), 200);
    snprintf(path, sizeof path, "/api/v1/units/%s/ledger/lines?per_page=3&page=2", UNIT);
    assert_int_equal(apit_json(&S, &AUDITOR, "GET", path, NULL, &p2), 200);
    json_t *a = json_object_get(p1, "items"), *b = json_object_get(p2, "items");
    assert_int_equal(json_array_size(a), 3);
    assert_int_equal(json_array_size(b), 3);
    for (size_t i = 0; i < 3; i++)
        for (size_t k = 0; k < 3; k++)
            assert_int_not_equal(json_integer_value(json_object_get(json_array_get(a, i), "id")),
                                 json_integer_value(json_object_get(json_array_get(b, k), "id")));
    /* The source is the file's name, never a folder of the server. */
    const char *src = apit_str(json_array_get(a, 0), "source");
    assert_true(strlen(src) > 0);
    assert_null(strchr(src, '/'));
    long long all = json_integer_value(json_object_get(p1, "total"));
    json_decref(p1);
    json_decref(p2);

    json_t *f = NULL;
    snprintf(path, sizeof path, "/api/v1/units/%s/ledger/lines?year=2025&per_page=1", UNIT);
    assert_int_equal(apit_json(&S, &AUDITOR, "GET", path, NULL, &f), 200);
    long long y2025 = json_integer_value(json_object_get(f, "total"));
    assert_true(y2025 > 0 && y2025 < all);
    assert_int_equal(
        json_integer_value(json_object_get(json_array_get(json_object_get(f, "items"), 0), "year")),
        2025);
    json_decref(f);
}

static void another_units_books_are_not_found(void **state)
{
    (void)state;
    json_t *list = NULL;
    assert_int_equal(
        apit_json(&S, &ADMIN, "GET", "/api/v1/units?pilot=true&per_page=5", NULL, &list), 200);
    const char *other = NULL;
    json_t *items = json_object_get(list, "items");
    for (size_t i = 0; i < json_array_size(items) && !other; i++)
        if (strcmp(apit_str(json_array_get(items, i), "code"), UNIT) != 0)
            other = apit_str(json_array_get(items, i), "code");
    assert_non_null(other);
    char path[200];
    snprintf(path, sizeof path, "/api/v1/units/%s/ledger/lines", other);
    assert_int_equal(apit_json(&S, &AUDITOR, "GET", path, NULL, NULL), 404);
    snprintf(path, sizeof path, "/api/v1/units/%s/ledger", other);
    assert_int_equal(apit_json(&S, &AUDITOR, "GET", path, NULL, NULL), 404);
    assert_int_equal(apit_json(&S, &ADMIN, "GET", path, NULL, NULL), 200);
    json_decref(list);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_books_of_a_unit),
        cmocka_unit_test(lines_page_and_filter),
        cmocka_unit_test(another_units_books_are_not_found),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
