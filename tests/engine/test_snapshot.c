/* test_snapshot.c - the engine's snapshot of the books built from a real database file: rows in
 * unit order, vouchers, amounts in fen, flags from each unit's chart, sources, staff, filters. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/snapshot.h"
#include "util/date.h"
#include "../testutil.h"

#define UNIT_A "12120104MB0000001A" /* 2024 (gov2019, four lines), 2025 (enterprise, one line) */
#define UNIT_X "12120104MB0000002X" /* 2024 (gov2019, two lines) and a staging book */
#define PAYEE  "北京元亨物业管理有限公司"

/* Line ids are out of unit order, and voucher 记-9 of March is split by another voucher: the
 * snapshot's order is unit, year, import order, and its vouchers group what belongs together. */
static int setup(void **state)
{
    ag_store *st = ag_test_fresh_db("snapshot.db");
    ag_error err;
    must(store_exec(
             st,
             "INSERT INTO district VALUES ('120104', '南开区', 'x');"
             "INSERT INTO unit (code, name, type, district_code, created_at) VALUES"
             " ('" UNIT_A "', '甲学校', '学校', '120104', 'x'),"
             " ('" UNIT_X "', '乙医院', '医院', '120104', 'x');"
             "INSERT INTO person (name, unit_code, created_at) VALUES ('王会计', '" UNIT_A
             "', 'x'), ('李出纳', '" UNIT_A "', 'x'), ('赵医生', '" UNIT_X "', 'x');"
             "INSERT INTO ledger_source (id, unit_code, path, format, encoding, sha256, bytes,"
             " status, years, vouchers, lines, debit_total, credit_total, findings, report,"
             " imported_at, imported_by) VALUES"
             " (1, '" UNIT_A "', '/var/tmp/auditgrid-upload.Ab12/a-2024.csv', 'csv', 'utf-8', 'a1',"
             "  1, 'active', '2024', 3, 4, 0, 0, 0, '{}', 'x', 'test'),"
             " (2, '" UNIT_A "', 'a-2025.csv', 'csv', 'utf-8', 'a2', 1, 'active', '2025', 1, 1,"
             "  0, 0, 0, '{}', 'x', 'test'),"
             " (3, '" UNIT_X "', 'x.csv', 'csv', 'utf-8', 'x1', 1, 'active', '2024', 1, 2,"
             "  0, 0, 0, '{}', 'x', 'test');"
             "INSERT INTO ledger_book (id, unit_code, fiscal_year, chart_profile, created_at)"
             " VALUES (1, '" UNIT_A "', 2024, 'gov2019', 'x'), (2, '" UNIT_A "', 2025,"
             " 'enterprise', 'x'), (3, '" UNIT_X "', 2024, 'gov2019', 'x'),"
             " (4, '" UNIT_X "', -1, 'gov2019', 'x');"
             "INSERT INTO ledger_line (id, book_id, source_id, src_line, period, voucher_date,"
             " voucher_type, voucher_no, line_no, summary, account_code, account_name, debit,"
             " credit, counterparty, settle_type, maker, cashier, posted, voided) VALUES"
             " (10, 1, 1, 2, 3, '2024-03-05', '记', '9', 1, '付款', '5001', '费用', 123456, 0,"
             "  '" PAYEE "', NULL, '王会计', '李出纳', 1, 0),"
             " (11, 1, 1, 3, 3, '2024-03-06', '记', '10', 1, '备用金', '1001', '库存现金', 0, 5000,"
             "  '张三', NULL, '王会计', '李出纳', NULL, 1),"
             " (12, 1, 1, 4, 3, '2024-03-05', '记', '9', 2, '付款', '1002', '银行存款', 0, 123456,"
             "  '" PAYEE "', NULL, '王会计', '李出纳', 1, 0),"
             " (13, 1, 1, 5, 4, '2024-04-01', '记', '9', 1, '借款', '1221', '其他应收款', 5000, 0,"
             "  '张三', NULL, '王会计', NULL, NULL, NULL),"
             " (14, 2, 2, 2, 1, '2025-01-10', '收', 'A3', 1, '管理', '6602', '管理费用', 700, 0,"
             "  NULL, NULL, '王会计', NULL, NULL, NULL),"
             " (1, 3, 3, 2, 3, '2024-03-05', '记', '2', 1, '药品', '5001', '业务活动费用', 9900, 0,"
             "  '某药房', NULL, '赵会计', NULL, NULL, NULL),"
             " (2, 3, 3, 3, 3, '2024-03-05', '记', '2', 2, '药品', '1002', '银行存款', 0, 9900,"
             "  '某药房', '现金', '赵会计', NULL, NULL, NULL),"
             " (3, 4, 3, 9, 3, '2024-03-05', '记', '3', 1, '暂存', '1218', '其他应收款', 1, 0,"
             "  NULL, NULL, '赵会计', NULL, NULL, NULL);",
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

static eng_snapshot *load(ag_store *st, const char *unit, int year, unsigned optional)
{
    eng_load_opts o = {optional, 1, NULL, false};
    eng_snapshot *s = NULL;
    ag_error err;
    must(eng_snapshot_from_store(st, unit, year, &o, &s, &err), &err);
    assert_non_null(s);
    return s;
}

/* The text of a dict id column value. */
static const char *text(const eng_snapshot *s, uint32_t id)
{
    return eng_dict_str(s->dict, id);
}

static int32_t day(const char *iso)
{
    int32_t d = 0;
    assert_true(ag_date_parse(iso, strlen(iso), &d));
    return d;
}

static void every_line_in_unit_year_and_import_order(void **state)
{
    eng_snapshot *s = load(*state, NULL, 0, 0);
    /* The staging book (fiscal year -1) is not read. */
    assert_int_equal(s->rows, 7);
    assert_int_equal(eng_dict_find(s->dict, "1218", 4), UINT32_MAX);
    assert_int_equal(s->nunits, 2);
    assert_string_equal(text(s, s->units[0].code), UNIT_A);
    assert_string_equal(text(s, s->units[1].code), UNIT_X);
    assert_int_equal(s->unit_first[0], 0);
    assert_int_equal(s->unit_first[1], 5);
    assert_int_equal(s->unit_first[2], 7);
    const uint32_t unit[7] = {0, 0, 0, 0, 0, 1, 1};
    const int16_t year[7] = {2024, 2024, 2024, 2024, 2025, 2024, 2024};
    const int8_t period[7] = {3, 3, 3, 4, 1, 3, 3};
    const char *account[7] = {"5001", "1001", "1002", "1221", "6602", "5001", "1002"};
    const int64_t debit[7] = {123456, 0, 0, 5000, 700, 9900, 0};
    const int64_t credit[7] = {0, 5000, 123456, 0, 0, 0, 9900};
    const int32_t line_no[7] = {1, 1, 2, 1, 1, 1, 2};
    const uint32_t src_line[7] = {2, 3, 4, 5, 2, 2, 3};
    const uint32_t source[7] = {0, 0, 0, 0, 1, 2, 2};
    for (size_t r = 0; r < 7; r++) {
        assert_int_equal(s->unit[r], unit[r]);
        assert_int_equal(s->year[r], year[r]);
        assert_int_equal(s->period[r], period[r]);
        assert_string_equal(text(s, s->account[r]), account[r]);
        assert_int_equal(s->debit[r], debit[r]);
        assert_int_equal(s->credit[r], credit[r]);
        assert_int_equal(s->line_no[r], line_no[r]);
        assert_int_equal(s->src_line[r], src_line[r]);
        assert_int_equal(s->source[r], source[r]);
    }
    assert_int_equal(s->date[0], day("2024-03-05"));
    assert_int_equal(s->date[1], day("2024-03-06"));
    assert_int_equal(s->date[4], day("2025-01-10"));
    eng_snapshot_free(s);
}

static void text_columns_are_dict_ids_with_zero_for_empty(void **state)
{
    eng_snapshot *s = load(*state, NULL, 0, 0);
    assert_string_equal(text(s, 0), "");
    assert_string_equal(text(s, s->counterparty[0]), PAYEE);
    assert_int_equal(s->counterparty[0], s->counterparty[2]); /* one id for one text */
    assert_string_equal(text(s, s->counterparty[1]), "张三");
    assert_int_equal(s->counterparty[4], 0); /* NULL in the store */
    assert_string_equal(text(s, s->maker[0]), "王会计");
    assert_string_equal(text(s, s->cashier[0]), "李出纳");
    assert_int_equal(s->cashier[3], 0);
    assert_string_equal(text(s, s->maker[5]), "赵会计");
    assert_string_equal(text(s, s->settle_type[6]), "现金");
    assert_string_equal(text(s, s->vtype[0]), "记");
    assert_string_equal(text(s, s->vtype[4]), "收");
    assert_string_equal(text(s, s->vno[1]), "10");
    /* Voucher numbers as numbers where they are one. */
    assert_int_equal(s->vno_num[0], 9);
    assert_int_equal(s->vno_num[1], 10);
    assert_int_equal(s->vno_num[4], -1); /* "A3" */
    assert_int_equal(s->vno_num[5], 2);
    /* posted / voided: -1 when the store does not say. */
    assert_int_equal(s->posted[0], 1);
    assert_int_equal(s->posted[1], -1);
    assert_int_equal(s->voided[0], 0);
    assert_int_equal(s->voided[1], 1);
    assert_int_equal(s->voided[4], -1);
    /* Optional columns are not loaded unless asked for. */
    assert_null(s->summary);
    assert_null(s->account_name);
    assert_null(s->dept);
    assert_int_equal(s->optional, 0);
    eng_snapshot_free(s);

    s = load(*state, NULL, 0, ENG_OPT_SUMMARY | ENG_OPT_ACCOUNT_NAME);
    assert_int_equal(s->optional, ENG_OPT_SUMMARY | ENG_OPT_ACCOUNT_NAME);
    assert_non_null(s->summary);
    assert_non_null(s->account_name);
    assert_null(s->project);
    assert_string_equal(text(s, s->summary[0]), "付款");
    assert_string_equal(text(s, s->summary[1]), "备用金");
    assert_string_equal(text(s, s->account_name[3]), "其他应收款");
    assert_string_equal(text(s, s->account_name[5]), "业务活动费用");
    eng_snapshot_free(s);
}

static void vouchers_group_unit_year_period_type_and_number(void **state)
{
    eng_snapshot *s = load(*state, NULL, 0, 0);
    /* 记-9 of March (rows 0 and 2), 记-10, 记-9 of April, 收-A3, and unit X's 记-2. */
    assert_int_equal(s->nvouchers, 5);
    const uint32_t voucher[7] = {0, 1, 0, 2, 3, 4, 4};
    for (size_t r = 0; r < 7; r++)
        assert_int_equal(s->voucher[r], voucher[r]);
    const uint32_t first[5] = {0, 2, 3, 4, 5}, nrows[5] = {2, 1, 1, 1, 2};
    for (size_t v = 0; v < 5; v++) {
        assert_int_equal(s->vouchers[v].first, first[v]);
        assert_int_equal(s->vouchers[v].nrows, nrows[v]);
    }
    const uint32_t rows[7] = {0, 2, 1, 3, 4, 5, 6};
    for (size_t i = 0; i < 7; i++)
        assert_int_equal(s->voucher_rows[i], rows[i]);
    eng_snapshot_free(s);
}

static void flags_follow_the_chart_of_each_units_latest_book(void **state)
{
    eng_snapshot *s = load(*state, NULL, 0, 0);
    /* Unit A's latest book is an enterprise one: 5001 is 生产成本 (no expense) and 1221 is
     * 其他应收款; unit X keeps 政府会计制度, where 5001 is 业务活动费用. */
    assert_string_equal(s->units[0].chart->id, "enterprise");
    assert_string_equal(s->units[1].chart->id, "gov2019");
    assert_int_equal(s->flags[0], 0);
    assert_int_equal(s->flags[1], ENG_F_PAYMENT | ENG_F_CASH | ENG_F_VOID); /* 库存现金, 作废 */
    assert_int_equal(s->flags[2], ENG_F_PAYMENT);                           /* 银行存款 */
    assert_int_equal(s->flags[3], ENG_F_OTHER_RCV);
    assert_int_equal(s->flags[4], ENG_F_EXPENSE); /* 管理费用 */
    assert_int_equal(s->flags[5], ENG_F_EXPENSE);
    assert_int_equal(s->flags[6], ENG_F_PAYMENT | ENG_F_CASH); /* bank account, settled in cash */
    eng_snapshot_free(s);
}

static void sources_are_base_names_in_order_of_first_use(void **state)
{
    eng_snapshot *s = load(*state, NULL, 0, 0);
    assert_int_equal(s->nsources, 3);
    assert_string_equal(s->sources[0], "a-2024.csv"); /* never the server's upload path */
    assert_string_equal(s->sources[1], "a-2025.csv");
    assert_string_equal(s->sources[2], "x.csv");
    eng_snapshot_free(s);
}

static uint32_t id_of(const eng_snapshot *s, const char *name)
{
    return eng_dict_find(s->dict, name, strlen(name));
}

static void staff_lists_come_from_each_units_persons(void **state)
{
    eng_snapshot *s = load(*state, NULL, 0, 0);
    const eng_unit *a = &s->units[0], *x = &s->units[1];
    assert_int_equal(a->nstaff, 2);
    assert_int_equal(x->nstaff, 1);
    assert_true(a->staff[0] < a->staff[1]); /* sorted for the binary search */
    assert_true(eng_unit_has_staff(a, id_of(s, "王会计")));
    assert_true(eng_unit_has_staff(a, id_of(s, "李出纳")));
    assert_false(eng_unit_has_staff(a, id_of(s, "赵医生")));
    assert_true(eng_unit_has_staff(x, id_of(s, "赵医生")));
    assert_false(eng_unit_has_staff(x, id_of(s, "李出纳")));
    /* A payee who is no one's staff. */
    assert_false(eng_unit_has_staff(a, s->counterparty[0]));
    assert_false(eng_unit_has_staff(a, 0));
    eng_snapshot_free(s);
}

static void a_unit_filter_loads_that_unit_only(void **state)
{
    eng_snapshot *s = load(*state, UNIT_X, 0, 0);
    assert_int_equal(s->rows, 2);
    assert_int_equal(s->nunits, 1);
    assert_string_equal(text(s, s->units[0].code), UNIT_X);
    assert_int_equal(s->unit_first[1], 2);
    assert_int_equal(s->nvouchers, 1);
    assert_int_equal(s->vouchers[0].nrows, 2);
    assert_int_equal(s->nsources, 1);
    assert_string_equal(s->sources[0], "x.csv");
    assert_int_equal(s->source[0], 0);
    assert_int_equal(s->debit[0], 9900);
    assert_int_equal(s->credit[1], 9900);
    assert_int_equal(s->units[0].nstaff, 1);
    assert_int_equal(eng_dict_find(s->dict, UNIT_A, strlen(UNIT_A)), UINT32_MAX);
    eng_snapshot_free(s);

    s = load(*state, "12120104MB0000009Z", 0, 0); /* no such unit */
    assert_int_equal(s->rows, 0);
    assert_int_equal(s->nunits, 0);
    eng_snapshot_free(s);
}

static void a_year_filter_loads_that_year_only(void **state)
{
    eng_snapshot *s = load(*state, NULL, 2025, 0);
    assert_int_equal(s->rows, 1);
    assert_int_equal(s->nunits, 1);
    assert_string_equal(text(s, s->units[0].code), UNIT_A);
    assert_int_equal(s->year[0], 2025);
    assert_int_equal(s->debit[0], 700);
    assert_int_equal(s->nsources, 1);
    assert_string_equal(s->sources[0], "a-2025.csv");
    eng_snapshot_free(s);

    s = load(*state, NULL, 2024, 0);
    assert_int_equal(s->rows, 6);
    assert_int_equal(s->nunits, 2);
    assert_int_equal(s->unit_first[1], 4);
    assert_int_equal(s->nvouchers, 4);
    for (size_t r = 0; r < s->rows; r++)
        assert_int_equal(s->year[r], 2024);
    eng_snapshot_free(s);

    s = load(*state, UNIT_X, 2025, 0);
    assert_int_equal(s->rows, 0);
    eng_snapshot_free(s);
}

static void an_empty_database_gives_an_empty_snapshot(void **state)
{
    (void)state;
    ag_store *st = ag_test_fresh_db("snapshot-empty.db");
    eng_snapshot *s = load(st, NULL, 0, ENG_OPT_ALL);
    assert_int_equal(s->rows, 0);
    assert_int_equal(s->nunits, 0);
    assert_int_equal(s->nvouchers, 0);
    assert_int_equal(s->nsources, 0);
    assert_int_equal(s->unit_first[0], 0);
    assert_int_equal(eng_dict_count(s->dict), 1); /* only "" */
    eng_snapshot_free(s);
    eng_snapshot_free(NULL);
    store_close(st);
}

/* The same books from a CSV file: a unit given by the caller, its chart from the code (an
 * enterprise's code starts with 9), staff from a staff list. */
static void a_csv_file_loads_with_the_callers_unit_and_staff_list(void **state)
{
    (void)state;
    char csv[1024], staff[1024];
    ag_test_path(csv, sizeof csv, "snapshot-ledger.csv");
    ag_test_path(staff, sizeof staff, "snapshot-staff.csv");
    FILE *f = fopen(csv, "wb");
    assert_non_null(f);
    fputs("voucher_date,voucher_no,line_no,account_code,debit,credit,counterparty\n"
          "2024-05-06,7,1,6602,1280.00,,王五\n"
          "2024-05-06,7,2,1001,,1280.00,王五\n",
          f);
    assert_int_equal(fclose(f), 0);
    f = fopen(staff, "wb");
    assert_non_null(f);
    fputs("unit_code,name\n91120104MA0000001X,王五\n12120104MB0000001A,李四\n", f);
    assert_int_equal(fclose(f), 0);
    const char *paths[] = {csv};
    eng_load_opts o = {0, 1, "91120104MA0000001X", false};
    eng_snapshot *s = NULL;
    ag_error err;
    must(eng_snapshot_from_csv(paths, 1, staff, &o, &s, &err), &err);
    assert_int_equal(s->rows, 2);
    assert_int_equal(s->nunits, 1);
    assert_string_equal(text(s, s->units[0].code), "91120104MA0000001X");
    assert_string_equal(s->units[0].chart->id, "enterprise");
    assert_int_equal(s->debit[0], 128000);
    assert_int_equal(s->credit[1], 128000);
    assert_int_equal(s->year[0], 2024); /* from the date */
    assert_int_equal(s->period[0], 5);
    assert_int_equal(s->nvouchers, 1);
    assert_int_equal(s->flags[0], ENG_F_EXPENSE);
    assert_int_equal(s->flags[1], ENG_F_PAYMENT | ENG_F_CASH);
    assert_int_equal(s->nsources, 1);
    assert_string_equal(s->sources[0], strrchr(csv, '/') + 1);
    assert_int_equal(s->units[0].nstaff, 1);
    assert_true(eng_unit_has_staff(&s->units[0], s->counterparty[0]));
    eng_snapshot_free(s);
    unlink(csv);
    unlink(staff);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_line_in_unit_year_and_import_order),
        cmocka_unit_test(text_columns_are_dict_ids_with_zero_for_empty),
        cmocka_unit_test(vouchers_group_unit_year_period_type_and_number),
        cmocka_unit_test(flags_follow_the_chart_of_each_units_latest_book),
        cmocka_unit_test(sources_are_base_names_in_order_of_first_use),
        cmocka_unit_test(staff_lists_come_from_each_units_persons),
        cmocka_unit_test(a_unit_filter_loads_that_unit_only),
        cmocka_unit_test(a_year_filter_loads_that_year_only),
        cmocka_unit_test(an_empty_database_gives_an_empty_snapshot),
        cmocka_unit_test(a_csv_file_loads_with_the_callers_unit_and_staff_list),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
