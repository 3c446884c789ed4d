/* test_wf_query.c - prepare-and-bind, one integer, rows to JSON and amounts to yuan. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/wf_query.h"
#include "../testutil.h"

static ag_store *db_with_rows(const char *name)
{
    ag_store *st = ag_test_fresh_db(name);
    ag_error err;
    must(store_exec(st,
                    "CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT, amount BIGINT);"
                    "INSERT INTO t VALUES (1, '甲', 128000), (2, NULL, 5), (3, '丙', -99);",
                    &err),
         &err);
    return st;
}

static void prep_binds_ints_and_texts_in_order(void **state)
{
    (void)state;
    ag_store *st = db_with_rows("wfq-prep.db");
    ag_stmt *s = NULL;
    ag_error err;
    bool row = false;
    must(wf_prep(st, &s, &err, "SELECT id FROM t WHERE id >= ? AND name = ?", "it", (int64_t)2,
                 "丙"),
         &err);
    must(store_step(s, &row, &err), &err);
    assert_true(row);
    assert_int_equal(store_col_int(s, 0), 3);
    must(store_step(s, &row, &err), &err);
    assert_false(row);
    store_finalize(s);

    /* A NULL text binds SQL NULL (which equals nothing). */
    int64_t n = -1;
    must(wf_query_int(st, &n, &err, "SELECT COUNT(*) FROM t WHERE name IS ?", "t", (char *)NULL),
         &err);
    assert_int_equal(n, 1);
    store_close(st);
}

static void query_int_is_zero_for_no_row_or_null(void **state)
{
    (void)state;
    ag_store *st = db_with_rows("wfq-int.db");
    ag_error err;
    int64_t n = -1;
    must(wf_query_int(st, &n, &err, "SELECT amount FROM t WHERE id = ?", "i", (int64_t)1), &err);
    assert_int_equal(n, 128000);
    n = -1;
    must(wf_query_int(st, &n, &err, "SELECT amount FROM t WHERE id = ?", "i", (int64_t)42), &err);
    assert_int_equal(n, 0);
    n = -1;
    must(wf_query_int(st, &n, &err, "SELECT MAX(amount) FROM t WHERE id > 9", ""), &err);
    assert_int_equal(n, 0);
    store_close(st);
}

static void bad_sql_or_too_many_arguments_fail_and_leave_no_statement(void **state)
{
    (void)state;
    ag_store *st = db_with_rows("wfq-bad.db");
    ag_stmt *s = (ag_stmt *)&s; /* not NULL: the call must reset it */
    ag_error err;
    assert_int_equal(wf_prep(st, &s, &err, "SELECT nope FROM t", ""), AG_ERR_STORE);
    assert_null(s);
    s = (ag_stmt *)&s;
    assert_int_not_equal(
        wf_prep(st, &s, &err, "SELECT id FROM t WHERE id = ?", "ii", (int64_t)1, (int64_t)2),
        AG_OK);
    assert_null(s);
    assert_non_null(strstr(err.en, "binding a query argument failed"));
    assert_non_null(strstr(err.zh, "绑定查询参数失败"));
    int64_t n = 7;
    assert_int_equal(wf_query_int(st, &n, &err, "SELECT nope FROM t", ""), AG_ERR_STORE);
    assert_int_equal(n, 0);
    store_close(st);
}

static json_t *row_obj(ag_stmt *s)
{
    return json_pack("{s:I, s:s?, s:I}", "id", (json_int_t)store_col_int(s, 0), "name",
                     store_col_text(s, 1), "amount", (json_int_t)store_col_int(s, 2));
}

static void rows_become_an_array_in_order(void **state)
{
    (void)state;
    ag_store *st = db_with_rows("wfq-rows.db");
    ag_stmt *s = NULL;
    ag_error err;
    ag_err rc = wf_prep(st, &s, &err, "SELECT id, name, amount FROM t ORDER BY id DESC", "");
    json_t *arr = NULL;
    must(wf_rows(s, rc, row_obj, &arr, &err), &err);
    assert_int_equal(json_array_size(arr), 3);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(arr, 0), "id")), 3);
    assert_true(json_is_null(json_object_get(json_array_get(arr, 1), "name")));
    assert_string_equal(json_string_value(json_object_get(json_array_get(arr, 2), "name")), "甲");
    json_decref(arr);

    /* An empty result is an empty array, not NULL. */
    rc = wf_prep(st, &s, &err, "SELECT id, name, amount FROM t WHERE id > 9", "");
    must(wf_rows(s, rc, row_obj, &arr, &err), &err);
    assert_int_equal(json_array_size(arr), 0);
    json_decref(arr);
    store_close(st);
}

static void rows_pass_an_earlier_failure_through(void **state)
{
    (void)state;
    ag_store *st = db_with_rows("wfq-fail.db");
    ag_stmt *s = NULL;
    ag_error err;
    ag_err rc = wf_prep(st, &s, &err, "SELECT broken", "");
    assert_int_equal(rc, AG_ERR_STORE);
    json_t *arr = json_object(); /* overwritten with NULL */
    json_t *keep = arr;
    assert_int_equal(wf_rows(s, rc, row_obj, &arr, &err), AG_ERR_STORE);
    assert_null(arr);
    json_decref(keep);
    store_close(st);
}

static void amounts_become_yuan_strings_at_any_depth_and_only_amounts(void **state)
{
    (void)state;
    json_t *v =
        json_pack("{s:I, s:I, s:[{s:I, s:{s:I}}, {s:s}], s:I}", "amount", (json_int_t)128000, "id",
                  (json_int_t)7, "items", "amount", (json_int_t)-5, "nested", "amount",
                  (json_int_t)100000000001, "amount", "12.00", "count", (json_int_t)3);
    assert_non_null(v);
    wf_amounts_to_yuan(v);
    assert_string_equal(json_string_value(json_object_get(v, "amount")), "1280.00");
    assert_int_equal(json_integer_value(json_object_get(v, "id")), 7);
    assert_int_equal(json_integer_value(json_object_get(v, "count")), 3);
    json_t *items = json_object_get(v, "items");
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "amount")),
                        "-0.05");
    assert_string_equal(json_string_value(json_object_get(
                            json_object_get(json_array_get(items, 0), "nested"), "amount")),
                        "1000000000.01");
    /* Already a string: left alone. */
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 1), "amount")),
                        "12.00");
    json_decref(v);
    wf_amounts_to_yuan(NULL);
}

static void step_int_reads_the_first_column_and_passes_failures_through(void **state)
{
    (void)state;
    ag_store *st = db_with_rows("wfq-step.db");
    ag_stmt *s = NULL;
    ag_error err;
    int64_t n = -1;
    ag_err rc =
        wf_prep(st, &s, &err, "SELECT amount FROM t WHERE id >= ? ORDER BY id", "i", (int64_t)1);
    must(wf_step_int(s, rc, &n, &err), &err);
    assert_int_equal(n, 128000); /* the first row only */
    n = -1;
    rc = wf_prep(st, &s, &err, "SELECT amount FROM t WHERE id = 42", "");
    must(wf_step_int(s, rc, &n, &err), &err);
    assert_int_equal(n, 0);
    n = -1;
    rc = wf_prep(st, &s, &err, "SELECT broken", "");
    assert_int_equal(wf_step_int(s, rc, &n, &err), AG_ERR_STORE);
    assert_int_equal(n, 0);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(prep_binds_ints_and_texts_in_order),
        cmocka_unit_test(query_int_is_zero_for_no_row_or_null),
        cmocka_unit_test(step_int_reads_the_first_column_and_passes_failures_through),
        cmocka_unit_test(bad_sql_or_too_many_arguments_fail_and_leave_no_statement),
        cmocka_unit_test(rows_become_an_array_in_order),
        cmocka_unit_test(rows_pass_an_earlier_failure_through),
        cmocka_unit_test(amounts_become_yuan_strings_at_any_depth_and_only_amounts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
