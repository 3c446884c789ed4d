/* test_assess_xlsx.c - the year's performance assessment as XLSX (issue 15 §2) read back cell
 * by cell: sheet 考核结果 with both ranks, each indicator (group) the sum of its items, the
 * total, the state in Chinese, the items after it; without groups the items stand before the
 * total; malformed years are refused and nothing is written. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "export/export.h"
#include "../testutil.h"
#include "xlsx_read.h"

/* Two units tied at 17.5 (both rank 1), one after them (rank 3), one of them filtered out
 * of nothing: the ranks are the caller's, the sheet writes them as given. */
static json_t *demo_year(bool with_groups)
{
    json_t *y = json_pack(
        "{s:i,s:b,s:[{s:s,s:s,s:s,s:s,s:f,s:i,s:i,s:[{s:s,s:s,s:f,s:i},{s:s,s:s,s:f,s:i},"
        "{s:s,s:s,s:i,s:i}]},"
        "{s:s,s:s,s:s,s:s,s:f,s:i,s:i,s:[{s:s,s:s,s:f,s:i},{s:s,s:s,s:f,s:i},{s:s,s:s,s:i,s:i}]},"
        "{s:s,s:n,s:s,s:s,s:b,s:f,s:i,s:i,s:[{s:s,s:s,s:i,s:i},{s:s,s:s,s:i,s:i},"
        "{s:s,s:s,s:i,s:i}]}]}",
        "year", 2025, "published", 1, "items",
        /* 10 + 2.5 + 5 bonus = 17.5 */
        "unit", "12120104MBKX0792XX", "unit_name", "第二中学", "cell_name", "区教育局", "state",
        "published", "total", 17.5, "rank_district", 1, "rank_cell", 1, "items", "indicator",
        "A1.1", "group", "A1", "score", 10.0, "max", 10, "indicator", "A1.2", "group", "A1",
        "score", 2.5, "max", 10, "indicator", "B1", "group", "B", "score", 5, "max", 5,
        /* 6 + 6.5 + 5 = 17.5: the tie */
        "unit", "11120104001487244N", "unit_name", "学府街道办事处", "cell_name", "学府街道",
        "state", "bureau", "total", 17.5, "rank_district", 1, "rank_cell", 1, "items", "indicator",
        "A1.1", "group", "A1", "score", 6.0, "max", 10, "indicator", "A1.2", "group", "A1", "score",
        6.5, "max", 10, "indicator", "B1", "group", "B", "score", 5, "max", 5,
        /* no name, a draft: the code stands in, 自评中 */
        "unit", "12120104MB0000002X", "unit_name", "cell_name", "区教育局", "state", "none",
        "draft", 1, "total", 3.0, "rank_district", 3, "rank_cell", 2, "items", "indicator", "A1.1",
        "group", "A1", "score", 3, "max", 10, "indicator", "A1.2", "group", "A1", "score", 0, "max",
        10, "indicator", "B1", "group", "B", "score", 0, "max", 5);
    assert_non_null(y);
    json_object_set_new(y, "indicators",
                        json_pack("[{s:s,s:s,s:i},{s:s,s:s,s:i},{s:s,s:s,s:i}]", "code", "A1.1",
                                  "name_zh", "设立独立内审机构", "max", 10, "code", "A1.2",
                                  "name_zh", "内审工作组", "max", 10, "code", "B1", "name_zh",
                                  "业务竞赛获奖", "max", 5));
    if (with_groups)
        json_object_set_new(
            y, "groups",
            json_pack("[{s:s,s:s,s:s,s:i,s:[s,s]},{s:s,s:s,s:s,s:i,s:[s]},{s:s,s:s,s:s,s:i,s:[s]}]",
                      "code", "A1", "kind", "base", "name_zh", "组织建设", "max", 20, "indicators",
                      "A1.1", "A1.2", "code", "B", "kind", "bonus", "name_zh", "加分项", "max", 5,
                      "indicators", "B1", "code", "P", "kind", "penalty", "name_zh", "扣分项",
                      "min", -5, "indicators", "P1"));
    return y;
}

static xr_book *write_and_open(const char *name, bool with_groups, const char *cell)
{
    char path[1024];
    ag_test_path(path, sizeof path, name);
    json_t *y = demo_year(with_groups);
    if (cell)
        json_object_set_new(y, "cell_name", json_string(cell));
    ag_error err;
    must(export_assess_xlsx(y, path, &err), &err);
    json_decref(y);
    return xr_open(path);
}

static void the_sheet_has_ranks_indicators_total_and_state(void **state)
{
    (void)state;
    xr_book *bk = write_and_open("as-groups.xlsx", true, NULL);
    assert_non_null(strstr(bk->workbook_xml, "name=\"考核结果\""));
    assert_null(strstr(bk->workbook_xml, "sheet2"));
    xr_expect_text(bk, "A1", "2025 年度内部审计工作绩效考核结果");
    const char *info = xr_text_at(bk, "A2");
    assert_non_null(info);
    assert_non_null(strstr(info, "共 3 个单位"));
    assert_non_null(strstr(info, "已发布"));
    assert_non_null(strstr(info, "制表日期：2026-12-07"));
    static const char *const heads[] = {"区排名",
                                        "网格内排名",
                                        "单位",
                                        "统一社会信用代码",
                                        "网格",
                                        "组织建设（20）",
                                        "加分项（5）",
                                        "扣分项（-5）",
                                        "合计",
                                        "状态",
                                        "设立独立内审机构（10）",
                                        "内审工作组（10）",
                                        "业务竞赛获奖（5）"};
    for (int c = 0; c < 13; c++) {
        char ref[8];
        snprintf(ref, sizeof ref, "%c3", 'A' + c);
        xr_expect_text(bk, ref, heads[c]);
    }
    /* The tie: both rank 1, the next unit 3. */
    assert_true(xr_number_at(bk, "A4") == 1.0);
    assert_true(xr_number_at(bk, "A5") == 1.0);
    assert_true(xr_number_at(bk, "A6") == 3.0);
    assert_true(xr_number_at(bk, "B6") == 2.0);
    xr_expect_text(bk, "C4", "第二中学");
    xr_expect_text(bk, "D4", "12120104MBKX0792XX");
    xr_expect_text(bk, "E4", "区教育局");
    /* 组织建设 is the sum of its items; the penalty group, with no item, is empty. */
    assert_true(xr_number_at(bk, "F4") == 12.5);
    assert_true(xr_number_at(bk, "F5") == 12.5);
    assert_true(xr_number_at(bk, "G4") == 5.0);
    assert_null(xr_cell_at(bk, "H4") ? xr_text_at(bk, "H4") : NULL);
    assert_true(xr_number_at(bk, "I4") == 17.5);
    xr_expect_text(bk, "J4", "已发布");
    xr_expect_text(bk, "J5", "审计局已终审");
    /* The items after the state. */
    assert_true(xr_number_at(bk, "K4") == 10.0);
    assert_true(xr_number_at(bk, "L4") == 2.5);
    assert_true(xr_number_at(bk, "M5") == 5.0);
    /* No name: the code stands in; a saved draft is 自评中. */
    xr_expect_text(bk, "C6", "12120104MB0000002X");
    xr_expect_text(bk, "J6", "自评中");
    assert_null(xr_cell_at(bk, "A7"));
    xr_free(bk);
}

static void without_groups_the_items_stand_before_the_total(void **state)
{
    (void)state;
    xr_book *bk = write_and_open("as-items.xlsx", false, "区教育局");
    assert_non_null(strstr(xr_text_at(bk, "A2"), "区教育局"));
    xr_expect_text(bk, "F3", "设立独立内审机构（10）");
    xr_expect_text(bk, "H3", "业务竞赛获奖（5）");
    xr_expect_text(bk, "I3", "合计");
    xr_expect_text(bk, "J3", "状态");
    assert_null(xr_cell_at(bk, "K3"));
    assert_true(xr_number_at(bk, "G5") == 6.5);
    xr_free(bk);
}

static void malformed_years_are_refused_and_nothing_is_written(void **state)
{
    (void)state;
    char path[1024];
    ag_test_path(path, sizeof path, "as-refused.xlsx");
    ag_error err;
    json_t *y = json_pack("{s:i,s:s}", "year", 2025, "items", "none");
    assert_int_equal(export_assess_xlsx(y, path, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "items");
    json_decref(y);
    y = json_pack("{s:i,s:[{s:s},i]}", "year", 2025, "items", "unit", "X", 7);
    assert_int_equal(export_assess_xlsx(y, path, &err), AG_ERR_INPUT);
    assert_non_null(strstr(err.zh, "第 2 个单位不是对象"));
    json_decref(y);
    y = json_pack("{s:i,s:[{s:s,s:i}]}", "year", 2025, "items", "unit", "X", "items", 3);
    assert_int_equal(export_assess_xlsx(y, path, &err), AG_ERR_INPUT);
    assert_non_null(strstr(err.zh, "考核明细不是数组"));
    json_decref(y);
    struct stat sb;
    assert_int_not_equal(stat(path, &sb), 0);
}

int main(void)
{
    setenv("AUDITGRID_NOW", "2026-12-07T06:33:00Z", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_sheet_has_ranks_indicators_total_and_state),
        cmocka_unit_test(without_groups_the_items_stand_before_the_total),
        cmocka_unit_test(malformed_years_are_refused_and_nothing_is_written),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
