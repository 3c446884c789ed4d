/* test_lines.c - searching a unit's voucher lines: every filter, paging, order, refusals, scope. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/lines.h"
#include "../testutil.h"

#define UNIT_A "12120104MB0000001A" /* two books: 2024 (six lines) and 2025 (two) */
#define UNIT_X "12120104MB0000002X" /* another unit, with lines like A's */
#define UNIT_C "12120104MB0000003C" /* a unit without books */

/* The lines are inserted out of order (ids do not follow dates) so that the
 * order is the query's, not the table's. */
static int setup(void **state)
{
    char path[1024];
    ag_test_path(path, sizeof path, "lines.db");
    ag_store *st = NULL;
    ag_error err;
    must(store_open(path, AG_STORE_CREATE, &st, &err), &err);
    must(store_exec(
             st,
             "INSERT INTO district VALUES ('120104', '南开区', 'x');"
             "INSERT INTO unit (code, name, type, district_code, created_at) VALUES"
             " ('" UNIT_A "', '甲学校', '学校', '120104', 'x'),"
             " ('" UNIT_X "', '乙医院', '医院', '120104', 'x'),"
             " ('" UNIT_C "', '丙机关', '机关', '120104', 'x');"
             "INSERT INTO ledger_source (id, unit_code, path, format, encoding, sha256, bytes,"
             " status, years, vouchers, lines, debit_total, credit_total, findings, report,"
             " imported_at, imported_by) VALUES"
             " (1, '" UNIT_A "', 'a-2024.csv', 'csv', 'utf-8', 'a1', 1, 'active', '2024', 3, 6,"
             "  0, 0, 0, '{}', 'x', 'test'),"
             " (2, '" UNIT_A "', 'a-2025.csv', 'csv', 'utf-8', 'a2', 1, 'active', '2025', 1, 2,"
             "  0, 0, 0, '{}', 'x', 'test'),"
             " (3, '" UNIT_X "', 'x-2024.csv', 'csv', 'utf-8', 'x1', 1, 'active', '2024', 2, 4,"
             "  0, 0, 0, '{}', 'x', 'test');"
             "INSERT INTO ledger_book (id, unit_code, fiscal_year, chart_profile, created_at)"
             " VALUES (1, '" UNIT_A "', 2024, 'gov2019', 'x'), (2, '" UNIT_A "', 2025,"
             " 'gov2019', 'x'), (3, '" UNIT_X "', 2024, 'gov2019', 'x');"
             "INSERT INTO ledger_line (id, book_id, source_id, src_line, period, voucher_date,"
             " voucher_type, voucher_no, line_no, summary, account_code, account_name, debit,"
             " credit, counterparty, dept, project, maker, reviewer) VALUES"
             " (101, 1, 1, 5, 3, '2024-03-05', '记', '2', 1, '支付物业费', '5101', '业务活动费用',"
             "  1000000, 0, '北京元亨物业管理有限公司', '总务处', '基本支出', '王会计', '李主任'),"
             " (102, 1, 1, 6, 3, '2024-03-05', '记', '2', 2, '支付物业费', '1002', '银行存款',"
             "  0, 1000000, '北京元亨物业管理有限公司', NULL, NULL, '王会计', '李主任'),"
             " (103, 1, 1, 7, 3, '2024-03-05', '记', '10', 1, '100%_退款', '100201',"
             "  '银行存款-工行', 5000, 0, NULL, NULL, NULL, '王会计', NULL),"
             " (104, 1, 1, 8, 3, '2024-03-05', '记', '10', 2, '100%_退款', '2201',"
             "  '应付职工薪酬', 0, 5000, '张三', NULL, NULL, '王会计', NULL),"
             " (105, 1, 1, 2, 1, '2024-01-15', '收', '0012', 1, '收到拨款', '1011',"
             "  '零余额账户用款额度', 2000000, 0, '南开区财政局', NULL, NULL, '王会计', NULL),"
             " (106, 1, 1, 3, 1, '2024-01-15', '收', '0012', 2, '收到拨款', '4001',"
             "  '财政拨款收入', 0, 2000000, '南开区财政局', NULL, NULL, '王会计', NULL),"
             " (107, 2, 2, 2, 2, '2025-02-01', '记', '1', 1, '报销差旅费', '5101',"
             "  '业务活动费用', 88800, 0, '李四', NULL, NULL, '赵出纳', NULL),"
             " (108, 2, 2, 3, 2, '2025-02-01', '记', '1', 2, '报销差旅费', '1001', '库存现金',"
             "  0, 88800, '李四', NULL, NULL, '赵出纳', NULL),"
             " (201, 3, 3, 2, 3, '2024-03-05', '记', '2', 1, '支付物业费', '5101', '业务活动费用',"
             "  1000000, 0, '北京元亨物业管理有限公司', NULL, NULL, 'x', NULL),"
             " (202, 3, 3, 3, 3, '2024-03-05', '记', '2', 2, '支付物业费', '1002', '银行存款',"
             "  0, 1000000, '北京元亨物业管理有限公司', NULL, NULL, 'x', NULL),"
             " (203, 3, 3, 4, 1, '2024-01-15', '收', '12', 1, '100%_退款', '100201', '银行存款',"
             "  5000, 0, '南开区财政局', NULL, NULL, 'x', NULL),"
             " (204, 3, 3, 5, 1, '2024-01-15', '收', '12', 2, '100%_退款', '2201', '应付',"
             "  0, 5000, '南开区财政局', NULL, NULL, 'x', NULL);",
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

/* Searches and compares the ids of the page, in order, with want (0-ended),
 * and the total; the other unit's lines (2xx) never appear. */
static void expect_ids(ag_store *st, const char *unit, const ledger_lines_filter *f, int64_t total,
                       const int64_t *want)
{
    json_t *out = NULL;
    ag_error err;
    must(ledger_lines_search(st, unit, f, &out, &err), &err);
    json_t *items = json_object_get(out, "items");
    size_t n = 0;
    while (want[n])
        n++;
    char got[512] = "";
    for (size_t i = 0; i < json_array_size(items); i++) {
        char one[32];
        snprintf(one, sizeof one, " %lld",
                 (long long)json_integer_value(json_object_get(json_array_get(items, i), "id")));
        strncat(got, one, sizeof got - strlen(got) - 1);
    }
    if (json_array_size(items) != n)
        fail_msg("wanted %zu lines, got%s", n, got);
    for (size_t i = 0; i < n; i++) {
        int64_t id = json_integer_value(json_object_get(json_array_get(items, i), "id"));
        if (id != want[i])
            fail_msg("line %zu: wanted %lld, got%s", i, (long long)want[i], got);
    }
    assert_int_equal(json_integer_value(json_object_get(out, "total")), total);
    json_decref(out);
}

#define IDS(...) ((const int64_t[]){__VA_ARGS__, 0})
#define NONE     ((const int64_t[]){0})

static void test_all_in_order(void **state)
{
    ag_store *st = *state;
    /* Date first; then voucher type and number in numeric order (记-2 before
     * 记-10), line, id. */
    expect_ids(st, UNIT_A, &(ledger_lines_filter){0}, 8,
               IDS(105, 106, 101, 102, 103, 104, 107, 108));
    expect_ids(st, UNIT_X, &(ledger_lines_filter){0}, 4, IDS(203, 204, 201, 202));
}

static void test_fields(void **state)
{
    json_t *out = NULL;
    ag_error err;
    ledger_lines_filter f = {.voucher = "记-2", .limit = 1};
    must(ledger_lines_search(*state, UNIT_A, &f, &out, &err), &err);
    json_t *l = json_array_get(json_object_get(out, "items"), 0);
    json_t *want = json_pack(
        "{s:I,s:i,s:i,s:s,s:s,s:s,s:s,s:i,s:s,s:s,s:s,s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:i}", "id",
        (json_int_t)101, "year", 2024, "period", 3, "voucher_date", "2024-03-05", "voucher_type",
        "记", "voucher_no", "2", "voucher", "记-2", "line_no", 1, "summary", "支付物业费",
        "account_code", "5101", "account_name", "业务活动费用", "debit", (json_int_t)1000000,
        "credit", (json_int_t)0, "counterparty", "北京元亨物业管理有限公司", "dept", "总务处",
        "project", "基本支出", "maker", "王会计", "reviewer", "李主任", "source", "a-2024.csv",
        "src_line", 5);
    if (!json_equal(l, want)) {
        char *s = json_dumps(l, JSON_SORT_KEYS);
        fail_msg("line 101 reads %s", s);
    }
    json_decref(want);
    assert_int_equal(json_integer_value(json_object_get(out, "total")), 2);
    json_decref(out);
    /* Absent text is null, not "". */
    f = (ledger_lines_filter){.voucher = "记-10", .limit = 1};
    must(ledger_lines_search(*state, UNIT_A, &f, &out, &err), &err);
    l = json_array_get(json_object_get(out, "items"), 0);
    assert_true(json_is_null(json_object_get(l, "counterparty")));
    assert_true(json_is_null(json_object_get(l, "dept")));
    json_decref(out);
}

static void test_year_period_dates(void **state)
{
    ag_store *st = *state;
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.year = 2024}, 6,
               IDS(105, 106, 101, 102, 103, 104));
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.year = 2025}, 2, IDS(107, 108));
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.year = 2023}, 0, NONE);
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.period = 1}, 2, IDS(105, 106));
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.year = 2025, .period = 3}, 0, NONE);
    expect_ids(st, UNIT_A,
               &(ledger_lines_filter){.date_from = "2024-03-05", .date_to = "2025-01-31"}, 4,
               IDS(101, 102, 103, 104));
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.date_to = "2024-01-15"}, 2, IDS(105, 106));
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.date_from = "2025-02-01"}, 2, IDS(107, 108));
    /* Empty strings are no condition (an empty form field). */
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.date_from = "", .voucher = "", .summary = ""}, 8,
               IDS(105, 106, 101, 102, 103, 104, 107, 108));
}

static void test_voucher(void **state)
{
    ag_store *st = *state;
    /* As shown, with or without leading zeros; 记-2 is not 记-10 or 记-12. */
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.voucher = "记-2"}, 2, IDS(101, 102));
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.voucher = "记-0002"}, 2, IDS(101, 102));
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.voucher = "收-12"}, 2, IDS(105, 106));
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.voucher = "收-0012"}, 2, IDS(105, 106));
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.voucher = "记-12"}, 0, NONE);
    /* The number alone, of any type. */
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.voucher = "12"}, 2, IDS(105, 106));
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.voucher = "1"}, 2, IDS(107, 108));
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.voucher = "记-10", .year = 2024}, 2,
               IDS(103, 104));
}

static void test_account_and_text(void **state)
{
    ag_store *st = *state;
    /* A prefix: 1002 finds 100201 too, but not 1001 or 2201... */
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.account = "1002"}, 2, IDS(102, 103));
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.account = "5"}, 2, IDS(101, 107));
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.account = "02"}, 0, NONE);
    /* ...and LIKE's wildcards are plain characters. */
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.account = "%"}, 0, NONE);
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.account = "1_0"}, 0, NONE);
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.counterparty = "物业"}, 2, IDS(101, 102));
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.counterparty = "财政"}, 2, IDS(105, 106));
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.counterparty = "%"}, 0, NONE);
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.summary = "%_"}, 2, IDS(103, 104));
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.summary = "_"}, 2, IDS(103, 104));
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.summary = "差旅"}, 2, IDS(107, 108));
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.summary = "\\"}, 0, NONE);
}

static void test_amounts(void **state)
{
    ag_store *st = *state;
    /* Exact, on either side. */
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.has_amount = true, .amount = 1000000}, 2,
               IDS(101, 102));
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.has_amount = true, .amount = 5000}, 2,
               IDS(103, 104));
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.has_amount = true, .amount = 5001}, 0, NONE);
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.has_min_amount = true, .min_amount = 1000000}, 4,
               IDS(105, 106, 101, 102));
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.has_min_amount = true, .min_amount = 0}, 8,
               IDS(105, 106, 101, 102, 103, 104, 107, 108));
    /* Conditions combine. */
    expect_ids(st, UNIT_A,
               &(ledger_lines_filter){.year = 2024,
                                      .counterparty = "物业",
                                      .account = "1002",
                                      .has_amount = true,
                                      .amount = 1000000},
               1, IDS(102));
}

static void test_paging(void **state)
{
    ag_store *st = *state;
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.limit = 3}, 8, IDS(105, 106, 101));
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.limit = 3, .offset = 3}, 8, IDS(102, 103, 104));
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.limit = 3, .offset = 6}, 8, IDS(107, 108));
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.limit = 3, .offset = 8}, 8, NONE);
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.offset = 1000}, 8, NONE);
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.limit = 500, .summary = "物业"}, 2,
               IDS(101, 102));
}

static void test_scope_of_unit(void **state)
{
    ag_store *st = *state;
    /* Another unit's lines never come back, whatever the filter. */
    expect_ids(st, UNIT_X, &(ledger_lines_filter){.counterparty = "物业"}, 2, IDS(201, 202));
    expect_ids(st, UNIT_X, &(ledger_lines_filter){.year = 2025}, 0, NONE);
    expect_ids(st, UNIT_C, &(ledger_lines_filter){0}, 0, NONE);
    expect_ids(st, UNIT_C, &(ledger_lines_filter){.year = 2024, .counterparty = "物业"}, 0, NONE);
    json_t *out = NULL;
    ag_error err;
    assert_int_equal(
        ledger_lines_search(st, "12120104MB9999999Z", &(ledger_lines_filter){0}, &out, &err),
        AG_ERR_NOTFOUND);
    assert_null(out);
    assert_string_equal(err.where, "unit");
    assert_non_null(strstr(err.zh, "不存在"));
    assert_non_null(strstr(err.en, "no unit"));
    /* An injection attempt is just a unit code that does not exist. */
    assert_int_equal(ledger_lines_search(st, "' OR 1=1 --", &(ledger_lines_filter){0}, &out, &err),
                     AG_ERR_NOTFOUND);
    expect_ids(st, UNIT_A, &(ledger_lines_filter){.counterparty = "' OR '1'='1"}, 0, NONE);
}

/* Each refused filter names its field and says why in both languages, and
 * the search refuses it too. */
static void refused(ag_store *st, ledger_lines_filter f, const char *where, const char *zh)
{
    ag_error err;
    ag_error_clear(&err);
    assert_int_equal(ledger_lines_check(&f, &err), AG_ERR_USAGE);
    assert_string_equal(err.where, where);
    if (!strstr(err.zh, zh))
        fail_msg("expected \"%s\" in \"%s\"", zh, err.zh);
    assert_true(err.en[0] != '\0');
    json_t *out = NULL;
    assert_int_equal(ledger_lines_search(st, UNIT_A, &f, &out, &err), AG_ERR_USAGE);
    assert_null(out);
}

static void test_validation(void **state)
{
    ag_store *st = *state;
    char long_text[LEDGER_LINES_TEXT_MAX + 2];
    memset(long_text, 'a', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    refused(st, (ledger_lines_filter){.year = 1899}, "year", "四位年份");
    refused(st, (ledger_lines_filter){.year = 20240}, "year", "四位年份");
    refused(st, (ledger_lines_filter){.period = 14}, "period", "会计期间");
    refused(st, (ledger_lines_filter){.period = -1}, "period", "会计期间");
    refused(st, (ledger_lines_filter){.voucher = "记-"}, "voucher", "凭证字");
    refused(st, (ledger_lines_filter){.voucher = "-12"}, "voucher", "凭证字");
    refused(st, (ledger_lines_filter){.voucher = "记-1-2"}, "voucher", "凭证字");
    refused(st, (ledger_lines_filter){.voucher = long_text}, "voucher", "凭证字");
    refused(st, (ledger_lines_filter){.account = long_text}, "account", "科目代码");
    refused(st, (ledger_lines_filter){.counterparty = long_text}, "counterparty", "最多");
    refused(st, (ledger_lines_filter){.summary = long_text}, "summary", "最多");
    refused(st, (ledger_lines_filter){.has_amount = true, .amount = 0}, "amount", "不能为 0");
    refused(st, (ledger_lines_filter){.has_min_amount = true, .min_amount = -1}, "min_amount",
            "负数");
    refused(st, (ledger_lines_filter){.date_from = "2024-02-30"}, "from", "YYYY-MM-DD");
    refused(st, (ledger_lines_filter){.date_to = "2024/01/01"}, "to", "YYYY-MM-DD");
    refused(st, (ledger_lines_filter){.date_from = "2024-06-01", .date_to = "2024-05-31"}, "from",
            "晚于");
    refused(st, (ledger_lines_filter){.limit = LEDGER_LINES_LIMIT_MAX + 1}, "limit", "limit");
    refused(st, (ledger_lines_filter){.limit = -1}, "limit", "limit");
    refused(st, (ledger_lines_filter){.offset = -1}, "offset", "offset");
    /* The edges are fine. */
    ag_error err;
    assert_int_equal(ledger_lines_check(&(ledger_lines_filter){.year = 1900,
                                                               .period = 13,
                                                               .limit = LEDGER_LINES_LIMIT_MAX,
                                                               .has_amount = true,
                                                               .amount = -5000,
                                                               .date_from = "2024-02-29",
                                                               .date_to = "2024-02-29"},
                                        &err),
                     AG_OK);
    long_text[LEDGER_LINES_TEXT_MAX] = '\0';
    assert_int_equal(ledger_lines_check(&(ledger_lines_filter){.summary = long_text}, &err), AG_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_all_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_year_period_dates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_voucher, setup, teardown),
        cmocka_unit_test_setup_teardown(test_account_and_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_amounts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paging, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scope_of_unit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_validation, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
