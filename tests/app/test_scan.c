/* test_scan.c (app) - the scan use case on a real database file: figures, recording, rescans, one
 * scan per unit. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/scan.h"
#include "../testutil.h"

#define UNIT_A "12120104MB0000001A" /* two payments of 95,000.00 to one payee: 重复支付 */
#define UNIT_X "12120104MB0000002X" /* clean books */

static int setup(void **state)
{
    ag_store *st = ag_test_fresh_db("app-scan.db");
    ag_error err;
    must(store_exec(
             st,
             "INSERT INTO district VALUES ('120104', '南开区', 'x');"
             "INSERT INTO unit (code, name, type, district_code, created_at) VALUES"
             " ('" UNIT_A "', '甲学校', '学校', '120104', 'x'),"
             " ('" UNIT_X "', '乙医院', '医院', '120104', 'x');"
             "INSERT INTO ledger_source (id, unit_code, path, format, encoding, sha256, bytes,"
             " status, years, vouchers, lines, debit_total, credit_total, findings, report,"
             " imported_at, imported_by) VALUES"
             " (1, '" UNIT_A "', 'a.csv', 'csv', 'utf-8', 'a1', 1, 'active', '2024', 2, 4, 0, 0, 0,"
             "  '{}', 'x', 'test'),"
             " (2, '" UNIT_X "', 'x.csv', 'csv', 'utf-8', 'x1', 1, 'active', '2024', 1, 2, 0, 0, 0,"
             "  '{}', 'x', 'test');"
             "INSERT INTO ledger_book (id, unit_code, fiscal_year, chart_profile, created_at)"
             " VALUES (1, '" UNIT_A "', 2024, 'gov2019', 'x'), (2, '" UNIT_X
             "', 2024, 'gov2019', 'x');"
             "INSERT INTO ledger_line (book_id, source_id, src_line, period, voucher_date,"
             " voucher_type, voucher_no, line_no, summary, account_code, account_name, debit,"
             " credit, counterparty, maker, reviewer) VALUES"
             " (1, 1, 2, 3, '2024-03-05', '记', '1', 1, '物业费', '5001', '费用', 9500000, 0,"
             "  '天津元亨物业有限公司', '王会计', '李主任'),"
             " (1, 1, 3, 3, '2024-03-05', '记', '1', 2, '物业费', '1002', '银行存款', 0, 9500000,"
             "  '天津元亨物业有限公司', '王会计', '李主任'),"
             " (1, 1, 4, 3, '2024-03-07', '记', '2', 1, '物业费', '5001', '费用', 9500000, 0,"
             "  '天津元亨物业有限公司', '王会计', '李主任'),"
             " (1, 1, 5, 3, '2024-03-07', '记', '2', 2, '物业费', '1002', '银行存款', 0, 9500000,"
             "  '天津元亨物业有限公司', '王会计', '李主任'),"
             " (2, 2, 2, 3, '2024-03-06', '记', '1', 1, '药品', '5001', '费用', 12345, 0,"
             "  '某药房', '赵会计', '钱主任'),"
             " (2, 2, 3, 3, '2024-03-06', '记', '1', 2, '药品', '1002', '银行存款', 0, 12345,"
             "  '某药房', '赵会计', '钱主任');",
             &err),
         &err);
    *state = st;
    return 0;
}

static int teardown(void **state)
{
    store_close(*state);
    return 0;
}

static int64_t count(ag_store *st, const char *sql)
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

static size_t item_count(const app_scan_stats *r, const char *item)
{
    for (int i = 0; i < APP_SCAN_ITEMS; i++)
        if (!strcmp(app_scan_items[i], item))
            return r->by_item[i];
    fail_msg("no item %s", item);
    return 0;
}

static void a_scan_records_its_warnings_once(void **state)
{
    ag_store *st = *state;
    ag_error err;
    app_scan_req req = {.unit_code = UNIT_A};
    app_scan_stats r;
    must(app_scan_run(st, &req, &r, &err), &err);
    assert_int_equal(r.rows, 4);
    assert_int_equal(r.units, 1);
    assert_int_equal(r.vouchers, 2);
    assert_true(r.warnings >= 1);
    assert_true(item_count(&r, "F03") >= 1); /* 重复支付 is a 资金支付审批 finding */
    assert_int_equal(r.new_warnings, (int64_t)r.warnings);
    assert_true(r.run_id > 0);
    size_t total = 0;
    for (int i = 0; i < APP_SCAN_ITEMS; i++)
        total += r.by_item[i];
    assert_int_equal(total, r.warnings);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM warning"), (int64_t)r.warnings);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM warning WHERE rule = 'dup_payment'"), 1);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM scan_run WHERE unit_code = '" UNIT_A "'"), 1);
    /* A rescan finds the same warnings and adds none. */
    app_scan_stats again;
    must(app_scan_run(st, &req, &again, &err), &err);
    assert_int_equal(again.warnings, r.warnings);
    assert_int_equal(again.new_warnings, 0);
    assert_true(again.run_id > r.run_id);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM warning"), (int64_t)r.warnings);
    assert_false(app_scan_running(UNIT_A));
}

static void the_district_scan_covers_every_unit(void **state)
{
    ag_error err;
    app_scan_req req = {.threads = 2};
    app_scan_stats r;
    must(app_scan_run(*state, &req, &r, &err), &err);
    assert_int_equal(r.rows, 6);
    assert_int_equal(r.units, 2);
}

/* Phases seen, and a nested scan tried from inside one. */
typedef struct seen {
    char phases[64];
    ag_store *st;
    const char *nested_unit;
    ag_err nested_rc;
    char nested_where[sizeof(((ag_error *)0)->where)];
} seen;

static void on_phase(void *ctx, const char *phase, const char *zh, const char *en)
{
    seen *s = ctx;
    assert_true(zh && *zh && en && *en);
    size_t n = strlen(s->phases);
    snprintf(s->phases + n, sizeof s->phases - n, "%s%s", n ? "," : "", phase);
    app_scan_state now;
    app_scan_status(UNIT_A, &now);
    assert_true(now.running);
    assert_string_equal(now.phase, phase);
    assert_true(now.started > 0);
    if (s->nested_unit && !strcmp(phase, "rules")) {
        assert_true(app_scan_running(UNIT_A));
        app_scan_req req = {.unit_code = s->nested_unit};
        app_scan_stats r;
        ag_error err;
        ag_error_clear(&err);
        s->nested_rc = app_scan_run(s->st, &req, &r, &err);
        snprintf(s->nested_where, sizeof s->nested_where, "%s", err.where);
    }
}

static void one_scan_of_a_unit_at_a_time(void **state)
{
    ag_error err;
    seen s = {.st = *state, .nested_unit = UNIT_A};
    app_scan_req req = {.unit_code = UNIT_A, .progress = on_phase, .progress_ctx = &s};
    app_scan_stats r;
    must(app_scan_run(*state, &req, &r, &err), &err);
    assert_string_equal(s.phases, "load,rules,record");
    assert_int_equal(s.nested_rc, AG_ERR_EXISTS);
    assert_string_equal(s.nested_where, "unit");
    /* Another unit may be scanned meanwhile. */
    seen other = {.st = *state, .nested_unit = UNIT_X};
    req.progress_ctx = &other;
    must(app_scan_run(*state, &req, &r, &err), &err);
    assert_int_equal(other.nested_rc, AG_OK);
    assert_false(app_scan_running(UNIT_A));
    assert_false(app_scan_running(UNIT_X));
    app_scan_state after;
    app_scan_status(UNIT_A, &after);
    assert_false(after.running);
}

static void a_rules_file_that_does_not_load_is_refused(void **state)
{
    ag_error err;
    ag_error_clear(&err);
    app_scan_req req = {.unit_code = UNIT_A, .catalog_path = "/nonexistent/rules.json"};
    app_scan_stats r;
    ag_err rc = app_scan_run(*state, &req, &r, &err);
    assert_int_not_equal(rc, AG_OK);
    /* The file is named, in the message or as the place at fault. */
    assert_true(strstr(err.en, "rules.json") || strstr(err.where, "rules.json"));
    assert_false(app_scan_running(UNIT_A)); /* the slot is given back on failure */
}

/* issue 13 (usecase): the last recorded scan of a unit, for GET /api/v1/units/{code}/scan. */
static void the_last_scan_of_a_unit_is_named(void **state)
{
    ag_store *st = *state;
    ag_error err;
    json_t *last = NULL;
    must(app_scan_last(st, "12120104MB0000009Z", &last, &err), &err);
    assert_true(json_is_null(last)); /* never scanned (the tests share one database) */
    json_decref(last);
    app_scan_req req = {.unit_code = UNIT_X};
    app_scan_stats r;
    must(app_scan_run(st, &req, &r, &err), &err);
    must(app_scan_last(st, UNIT_X, &last, &err), &err);
    assert_int_equal(json_integer_value(json_object_get(last, "run_id")), r.run_id);
    assert_int_equal(json_integer_value(json_object_get(last, "warnings")), (int64_t)r.warnings);
    assert_int_equal(json_integer_value(json_object_get(last, "rows")), 2);
    json_decref(last);
    app_scan_state s;
    app_scan_status(UNIT_X, &s);
    assert_false(s.running);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_scan_records_its_warnings_once),
        cmocka_unit_test(the_district_scan_covers_every_unit),
        cmocka_unit_test(one_scan_of_a_unit_at_a_time),
        cmocka_unit_test(a_rules_file_that_does_not_load_is_refused),
        cmocka_unit_test(the_last_scan_of_a_unit_is_named),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
