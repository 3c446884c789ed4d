/* test_read.c - the books read back for the engine: order, filters, fields, sources, charts, staff.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/read.h"
#include "util/date.h"
#include "../testutil.h"

#define UNIT_A "12120104MB0000001A" /* 2024 (gov2019, two lines) and 2025 (enterprise, one) */
#define UNIT_X "12120104MB0000002X" /* 2024, one line */
#define UNIT_C "12120104MB0000003C" /* no books */

/* Lines are inserted with ids out of unit order: the walk's order is the query's. */
static int setup(void **state)
{
    ag_store *st = ag_test_fresh_db("read.db");
    ag_error err;
    must(store_exec(
             st,
             "INSERT INTO district VALUES ('120104', '南开区', 'x');"
             "INSERT INTO unit (code, name, type, district_code, created_at) VALUES"
             " ('" UNIT_A "', '甲学校', '学校', '120104', 'x'),"
             " ('" UNIT_X "', '乙医院', '医院', '120104', 'x'),"
             " ('" UNIT_C "', '丙机关', '机关', '120104', 'x');"
             "INSERT INTO person (name, unit_code, created_at) VALUES ('王会计', '" UNIT_A
             "', 'x'),"
             " ('李出纳', '" UNIT_A "', 'x'), ('赵医生', '" UNIT_X "', 'x');"
             "INSERT INTO ledger_source (id, unit_code, path, format, encoding, sha256, bytes,"
             " status, years, vouchers, lines, debit_total, credit_total, findings, report,"
             " imported_at, imported_by) VALUES"
             " (1, '" UNIT_A "', '/var/tmp/auditgrid-upload.Ab12/a-2024.csv', 'csv', 'utf-8', 'a1',"
             "  1, 'active', '2024', 1, 2, 0, 0, 0, '{}', 'x', 'test'),"
             " (2, '" UNIT_A "', 'a-2025.csv', 'csv', 'utf-8', 'a2', 1, 'active', '2025', 1, 1,"
             "  0, 0, 0, '{}', 'x', 'test'),"
             " (3, '" UNIT_X "', 'x.csv', 'csv', 'utf-8', 'x1', 1, 'active', '2024', 1, 1,"
             "  0, 0, 0, '{}', 'x', 'test');"
             "INSERT INTO ledger_book (id, unit_code, fiscal_year, chart_profile, created_at)"
             " VALUES (1, '" UNIT_A "', 2024, 'gov2019', 'x'), (2, '" UNIT_A "', 2025,"
             " 'enterprise', 'x'), (3, '" UNIT_X "', 2024, 'gov2019', 'x');"
             "INSERT INTO ledger_line (id, book_id, source_id, src_line, period, voucher_date,"
             " voucher_type, voucher_no, line_no, summary, account_code, account_name, debit,"
             " credit, counterparty, maker, cashier, posted, voided) VALUES"
             " (1, 3, 3, 2, 3, '2024-03-05', '记', '2', 1, '药品', '5101', '业务活动费用',"
             "  700, 0, '某药房', 'x', NULL, NULL, NULL),"
             " (5, 1, 1, 7, 2, '2024-02-01', '记', '9', 2, '付款', '1002', '银行存款',"
             "  0, 123456, '北京元亨物业管理有限公司', '王会计', '李出纳', 1, 0),"
             " (4, 1, 1, 6, 2, '2024-02-01', '记', '9', 1, '付款', '5101', '业务活动费用',"
             "  123456, 0, '北京元亨物业管理有限公司', '王会计', '李出纳', 1, 0),"
             " (2, 2, 2, 3, 1, '2025-01-10', '收', '1', 1, '收入', '6001', '主营业务收入',"
             "  0, 500, NULL, '王会计', NULL, NULL, 1);",
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

/* What the walk saw, one line each: "unit year date voucher/line account debit credit src". */
typedef struct seen {
    char lines[8][256];
    int n;
    int stop_after; /* 0: never */
} seen;

static ag_err collect(void *ctx, const ledger_row *r, int64_t source_id, ag_error *err)
{
    seen *s = ctx;
    if (s->n >= 8)
        return ag_fail(err, AG_ERR_INTERNAL, NULL, "太多", "too many");
    char d[16];
    ag_date_format(r->date, d);
    snprintf(s->lines[s->n++], sizeof s->lines[0],
             "%s %d %d %s %s-%s/%d %s %lld %lld %s %d %d %lld/%lld", r->unit_code + 16,
             r->fiscal_year, r->period, d, r->voucher_type, r->voucher_no, r->line_no,
             r->account_code, (long long)r->debit, (long long)r->credit,
             r->cashier ? r->cashier : "-", r->posted, r->voided, (long long)source_id,
             (long long)r->src_line);
    if (s->stop_after && s->n == s->stop_after)
        return ag_fail(err, AG_ERR_INPUT, "stop", "停", "stop");
    return AG_OK;
}

static void walks_in_unit_year_and_import_order(void **state)
{
    seen s = {0};
    ag_error err;
    must(ledger_read_lines(*state, NULL, 0, collect, &s, &err), &err);
    assert_int_equal(s.n, 4);
    assert_string_equal(s.lines[0], "1A 2024 2 2024-02-01 记-9/1 5101 123456 0 李出纳 1 0 1/6");
    assert_string_equal(s.lines[1], "1A 2024 2 2024-02-01 记-9/2 1002 0 123456 李出纳 1 0 1/7");
    assert_string_equal(s.lines[2], "1A 2025 1 2025-01-10 收-1/1 6001 0 500 - -1 1 2/3");
    assert_string_equal(s.lines[3], "2X 2024 3 2024-03-05 记-2/1 5101 700 0 - -1 -1 3/2");
}

static void filters_by_unit_and_year(void **state)
{
    seen s = {0};
    ag_error err;
    must(ledger_read_lines(*state, UNIT_A, 2025, collect, &s, &err), &err);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.lines[0], "1A 2025 1 2025-01-10 收-1/1 6001 0 500 - -1 1 2/3");
    s.n = 0;
    must(ledger_read_lines(*state, UNIT_A, 0, collect, &s, &err), &err);
    assert_int_equal(s.n, 3);
    s.n = 0;
    must(ledger_read_lines(*state, NULL, 2024, collect, &s, &err), &err);
    assert_int_equal(s.n, 3);
    s.n = 0;
    must(ledger_read_lines(*state, UNIT_C, 0, collect, &s, &err), &err);
    assert_int_equal(s.n, 0);
}

static void a_callback_error_stops_the_walk(void **state)
{
    seen s = {.stop_after = 2};
    ag_error err;
    assert_int_equal(ledger_read_lines(*state, NULL, 0, collect, &s, &err), AG_ERR_INPUT);
    assert_int_equal(s.n, 2);
    assert_string_equal(err.where, "stop");
}

static void sources_are_named_by_base_name_never_a_path(void **state)
{
    char name[64];
    ag_error err;
    must(ledger_read_source_name(*state, 1, name, sizeof name, &err), &err);
    assert_string_equal(name, "a-2024.csv");
    must(ledger_read_source_name(*state, 2, name, sizeof name, &err), &err);
    assert_string_equal(name, "a-2025.csv");
    assert_int_equal(ledger_read_source_name(*state, 99, name, sizeof name, &err), AG_ERR_NOTFOUND);
    /* A small buffer cuts whole characters. */
    char small[4];
    must(ledger_read_source_name(*state, 3, small, sizeof small, &err), &err);
    assert_string_equal(small, "x.c");
}

static void the_chart_is_the_latest_books(void **state)
{
    char p[32];
    ag_error err;
    must(ledger_read_chart_profile(*state, UNIT_A, p, sizeof p, &err), &err);
    assert_string_equal(p, "enterprise");
    must(ledger_read_chart_profile(*state, UNIT_X, p, sizeof p, &err), &err);
    assert_string_equal(p, "gov2019");
    must(ledger_read_chart_profile(*state, UNIT_C, p, sizeof p, &err), &err);
    assert_string_equal(p, "");
}

static ag_err count_name(void *ctx, const char *name, ag_error *err)
{
    (void)err;
    int *n = ctx;
    if (strcmp(name, "王会计") == 0 || strcmp(name, "李出纳") == 0)
        *n += 1;
    else
        *n += 100;
    return AG_OK;
}

static void staff_are_the_units_persons(void **state)
{
    int n = 0;
    ag_error err;
    must(ledger_read_staff(*state, UNIT_A, count_name, &n, &err), &err);
    assert_int_equal(n, 2);
    n = 0;
    must(ledger_read_staff(*state, UNIT_C, count_name, &n, &err), &err);
    assert_int_equal(n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(walks_in_unit_year_and_import_order),
        cmocka_unit_test(filters_by_unit_and_year),
        cmocka_unit_test(a_callback_error_stops_the_walk),
        cmocka_unit_test(sources_are_named_by_base_name_never_a_path),
        cmocka_unit_test(the_chart_is_the_latest_books),
        cmocka_unit_test(staff_are_the_units_persons),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
