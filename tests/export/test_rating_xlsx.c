/* test_rating_xlsx.c - the 0–5A grades of a year as XLSX (issue 15 §1) read back cell by cell:
 * sheet 评级结果 with grades and states in Chinese and codes standing in for missing names,
 * sheet 扣分明细 numbered across units with indicator and point names, and refusals. */
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

/* The year object of two graded units and one not yet graded. */
static json_t *demo_year(void)
{
    return json_pack(
        "{s:i,s:b,s:s,s:i,s:[{s:s,s:s,s:s,s:f,s:i,s:s,s:n,s:s,s:s,s:[{s:s,s:s,s:s,s:s,s:f,s:s}]},"
        "{s:s,s:s,s:s,s:f,s:i,s:s,s:s,s:s,s:s,s:[{s:s,s:s,s:f,s:s},{s:s,s:s,s:f,s:s}]},"
        "{s:s,s:n,s:n,s:n,s:s,s:s,s:[]}]}",
        "year", 2025, "published", 1, "published_at", "2026-04-30T16:30:00Z", "rubric_version", 1,
        "items",
        /* a 5A unit with one deduction, names given */
        "unit", "12120104MB1OL2O442", "unit_name", "第五幼儿园", "cell_name", "区教育局", "score",
        93.51, "applicable", 100, "grade", "5A", "veto", "self_state", "filed", "review_state",
        "reviewed", "deductions", "indicator", "U1", "indicator_name", "内部控制建设启动情况",
        "point", "U1.1", "point_name", "成立内部控制领导小组", "deduct", 2.0, "reason",
        "未设立独立的内部审计机构",
        /* a vetoed unit with two deductions, codes only */
        "unit", "11120104001487244N", "unit_name", "学府街道办事处", "cell_name", "学府街道",
        "score", 53.17, "applicable", 93, "grade", "0", "veto", "未在截止日前报送自评（逾期报送）",
        "self_state", "filed", "review_state", "none", "deductions", "indicator", "B2", "point",
        "B2.2", "deduct", 6.0, "reason", "重大问题（F02）：屡审屡犯，扣分加倍", "indicator", "B1",
        "point", "B1.2", "deduct", 0.5, "reason", "整改逾期未完成",
        /* not graded yet, no name */
        "unit", "12120104MB0000002X", "unit_name", "score", "grade", "self_state", "draft",
        "review_state", "none", "deductions");
}

/* The second sheet of the workbook at path (xlsx_read.h reads the first). */
static xr_book *open_sheet2(const char *path)
{
    int ze = 0;
    zip_t *za = zip_open(path, ZIP_RDONLY, &ze);
    if (!za)
        fail_msg("%s is not a zip (%d)", path, ze);
    xr_book *bk = calloc(1, sizeof *bk);
    assert_non_null(bk);
    char *strs = xr_member(za, "xl/sharedStrings.xml");
    if (strs)
        xr_parse_xml(bk, strs, false);
    free(strs);
    bk->sheet_xml = xr_member(za, "xl/worksheets/sheet2.xml");
    bk->workbook_xml = xr_member(za, "xl/workbook.xml");
    assert_non_null(bk->sheet_xml);
    xr_parse_xml(bk, bk->sheet_xml, true);
    zip_close(za);
    return bk;
}

static void write_year(const char *name, char *path, size_t n)
{
    ag_test_path(path, n, name);
    json_t *y = demo_year();
    assert_non_null(y);
    ag_error err;
    must(export_rating_xlsx(y, path, &err), &err);
    json_decref(y);
}

static void the_grades_sheet_reads_in_chinese(void **state)
{
    (void)state;
    char path[1024];
    write_year("rt-grades.xlsx", path, sizeof path);
    xr_book *bk = xr_open(path);
    assert_non_null(strstr(bk->workbook_xml, "name=\"评级结果\""));
    assert_non_null(strstr(bk->workbook_xml, "name=\"扣分明细\""));
    xr_expect_text(bk, "A1", "2025年度内控质量分级评级结果");
    const char *info = xr_text_at(bk, "A2");
    assert_non_null(info);
    assert_non_null(strstr(info, "共 3 个单位"));
    assert_non_null(strstr(info, "评分标准第 1 版"));
    assert_non_null(strstr(info, "已发布 2026-05-01")); /* the district's day of 16:30 UTC */
    static const char *const heads[] = {
        "序号",     "单位", "统一社会信用代码", "网格",     "得分",
        "适用分值", "等级", "否决原因",         "自评状态", "复核状态"};
    for (int c = 0; c < 10; c++) {
        char ref[8];
        snprintf(ref, sizeof ref, "%c3", 'A' + c);
        xr_expect_text(bk, ref, heads[c]);
    }
    assert_true(xr_number_at(bk, "A4") == 1.0);
    xr_expect_text(bk, "B4", "第五幼儿园");
    xr_expect_text(bk, "C4", "12120104MB1OL2O442");
    xr_expect_text(bk, "D4", "区教育局");
    assert_true(xr_number_at(bk, "E4") == 93.51);
    assert_true(xr_number_at(bk, "F4") == 100.0);
    xr_expect_text(bk, "G4", "5A级");
    assert_null(xr_text_at(bk, "H4"));
    xr_expect_text(bk, "I4", "已报送");
    xr_expect_text(bk, "J4", "已复核");
    xr_expect_text(bk, "G5", "0级（一票否决）");
    xr_expect_text(bk, "H5", "未在截止日前报送自评（逾期报送）");
    assert_true(xr_number_at(bk, "F5") == 93.0);
    xr_expect_text(bk, "J5", "待复核");
    /* No name: the code stands in; no score: an empty cell; no grade: 未评级. */
    xr_expect_text(bk, "B6", "12120104MB0000002X");
    assert_null(xr_text_at(bk, "E6"));
    xr_expect_text(bk, "G6", "未评级");
    xr_expect_text(bk, "I6", "草稿");
    xr_free(bk);
}

static void the_deductions_sheet_names_indicator_and_point(void **state)
{
    (void)state;
    char path[1024];
    write_year("rt-deductions.xlsx", path, sizeof path);
    xr_book *bk = open_sheet2(path);
    xr_expect_text(bk, "A1", "2025年度内控质量评级扣分明细");
    assert_non_null(strstr(xr_text_at(bk, "A2"), "共 3 项扣分"));
    static const char *const heads[] = {"序号", "单位", "指标", "评价要点", "扣分", "原因"};
    for (int c = 0; c < 6; c++) {
        char ref[8];
        snprintf(ref, sizeof ref, "%c3", 'A' + c);
        xr_expect_text(bk, ref, heads[c]);
    }
    xr_expect_text(bk, "B4", "第五幼儿园");
    xr_expect_text(bk, "C4", "U1 内部控制建设启动情况");
    xr_expect_text(bk, "D4", "U1.1 成立内部控制领导小组");
    assert_true(xr_number_at(bk, "E4") == 2.0);
    xr_expect_text(bk, "F4", "未设立独立的内部审计机构");
    /* Numbered across the units; a code without a name stays a code. */
    assert_true(xr_number_at(bk, "A6") == 3.0);
    xr_expect_text(bk, "B6", "学府街道办事处");
    xr_expect_text(bk, "C5", "B2");
    xr_expect_text(bk, "D6", "B1.2");
    assert_true(xr_number_at(bk, "E6") == 0.5);
    assert_null(xr_cell_at(bk, "A7"));
    xr_free(bk);
}

static void malformed_years_are_refused_and_nothing_is_written(void **state)
{
    (void)state;
    char path[1024];
    ag_test_path(path, sizeof path, "rt-refused.xlsx");
    ag_error err;
    json_t *y = json_pack("{s:i,s:s}", "year", 2025, "items", "none");
    assert_int_equal(export_rating_xlsx(y, path, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "items");
    json_decref(y);
    y = json_pack("{s:i,s:[{s:s},i]}", "year", 2025, "items", "unit", "X", 7);
    assert_int_equal(export_rating_xlsx(y, path, &err), AG_ERR_INPUT);
    assert_non_null(strstr(err.zh, "第 2 项不是对象"));
    json_decref(y);
    struct stat sb;
    assert_int_not_equal(stat(path, &sb), 0);
}

int main(void)
{
    setenv("AUDITGRID_NOW", "2026-12-07T06:33:00Z", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_grades_sheet_reads_in_chinese),
        cmocka_unit_test(the_deductions_sheet_names_indicator_and_point),
        cmocka_unit_test(malformed_years_are_refused_and_nothing_is_written),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
