/* test_rectify_xlsx.c - the rectification ledger (整改台账) read back cell by cell: labels,
 * fallbacks, district dates, the total, cut cells, the print setup, and refusals. */
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

/* A fresh file path for name (any earlier file removed). */
static void out_path(char *path, size_t n, const char *name)
{
    ag_test_path(path, n, name);
}

static xr_book *write_and_read(json_t *items, const char *title, const char *name)
{
    char path[1024];
    out_path(path, sizeof path, name);
    ag_error err;
    must(export_rectify_xlsx(items, title, path, &err), &err);
    json_decref(items);
    return xr_open(path);
}

static void every_state_and_class_reads_in_chinese(void **state)
{
    (void)state;
    static const char *const states[][2] = {{"open", "未整改"},
                                            {"in_progress", "整改中"},
                                            {"claimed", "已整改"},
                                            {"continuous", "持续整改"},
                                            {"closed", "已销号"}};
    static const char *const classes[][2] = {
        {"immediate", "立行立改"}, {"phased", "分阶段整改"}, {"continuous", "持续整改"}};
    json_t *items = json_array();
    for (int i = 0; i < 5; i++)
        json_array_append_new(items, json_pack("{s:s,s:s,s:s}", "title", "问题", "state",
                                               states[i][0], "class", classes[i % 3][0]));
    /* A class this build does not know is shown as it is. */
    json_array_append_new(items, json_pack("{s:s,s:s}", "state", "open", "class", "other"));
    xr_book *bk = write_and_read(items, "状态", "rx-states.xlsx");
    for (int i = 0; i < 5; i++) {
        char ref[8];
        snprintf(ref, sizeof ref, "O%d", 4 + i);
        xr_expect_text(bk, ref, states[i][1]);
        snprintf(ref, sizeof ref, "H%d", 4 + i);
        xr_expect_text(bk, ref, classes[i % 3][1]);
    }
    xr_expect_text(bk, "H9", "other");
    /* Six items, none overdue, nothing to sum. */
    const char *info = xr_text_at(bk, "A2");
    assert_non_null(info);
    assert_non_null(strstr(info, "共 6 项，其中逾期 0 项"));
    xr_expect_text(bk, "A10", "合计");
    assert_true(xr_number_at(bk, "F10") == 0.0);
    xr_free(bk);
}

static void codes_stand_in_for_missing_names_and_dates_are_the_districts(void **state)
{
    (void)state;
    json_t *items =
        json_pack("[{s:s,s:s,s:s,s:s,s:b},{s:s,s:s,s:s,s:s,s:b,s:I}]", "project_code", "JC-2026-07",
                  "unit_code", "12120104MB0000002X", "deadline", "2026-03-01T16:00:00Z", "state",
                  "open", "overdue", 1, "project_name", "专项审计", "unit_name", "第二小学",
                  "deadline", "2026-03-01T15:59:59Z", "state", "in_progress", "overdue", 1,
                  "days_overdue", (json_int_t)3);
    xr_book *bk = write_and_read(items, NULL, "rx-fallback.xlsx");
    xr_expect_text(bk, "A1", "审计整改台账");
    xr_expect_text(bk, "C4", "JC-2026-07");
    xr_expect_text(bk, "D4", "12120104MB0000002X");
    /* 16:00Z is already the next day in Beijing; 15:59:59Z is not. */
    xr_expect_text(bk, "J4", "2026-03-02");
    xr_expect_text(bk, "J5", "2026-03-01");
    /* Overdue without a day count still says so. */
    xr_expect_text(bk, "O4", "未整改\n逾期");
    xr_expect_text(bk, "O5", "整改中\n逾期 3 天");
    xr_expect_text(bk, "C5", "专项审计");
    xr_expect_text(bk, "D5", "第二小学");
    const char *info = xr_text_at(bk, "A2");
    assert_non_null(strstr(info, "制表日期：2026-12-07"));
    assert_non_null(strstr(info, "其中逾期 2 项"));
    xr_free(bk);
}

static void the_total_is_exact_in_fen_and_says_when_it_overflows(void **state)
{
    (void)state;
    json_t *items = json_pack("[{s:I},{s:I},{s:I}]", "amount", (json_int_t)10, "amount",
                              (json_int_t)-3, "amount", (json_int_t)20);
    xr_book *bk = write_and_read(items, "合计", "rx-total.xlsx");
    assert_true(xr_number_at(bk, "F4") == 0.10);
    assert_true(xr_number_at(bk, "F5") == -0.03);
    assert_true(xr_number_at(bk, "F7") == 0.27);
    xr_free(bk);

    items = json_pack("[{s:I},{s:I}]", "amount", (json_int_t)INT64_MAX, "amount", (json_int_t)1);
    bk = write_and_read(items, "溢出", "rx-overflow.xlsx");
    xr_expect_text(bk, "A6", "合计");
    xr_expect_text(bk, "F6", "（超出范围）");
    xr_free(bk);
}

static void an_over_long_cell_is_cut_on_a_character_with_a_note(void **state)
{
    (void)state;
    /* "x" and 10,001 three-byte characters: 30,004 bytes, over the 30,000 a cell keeps. */
    size_t n = 1 + 10001 * 3;
    char *text = malloc(n + 1);
    assert_non_null(text);
    text[0] = 'x';
    for (size_t i = 0; i < 10001; i++)
        memcpy(text + 1 + i * 3, "审", 3);
    text[n] = '\0';
    json_t *items = json_pack("[{s:s,s:s}]", "measures", text, "title", "短");
    xr_book *bk = write_and_read(items, "长文本", "rx-long.xlsx");
    const char *got = xr_text_at(bk, "I4");
    assert_non_null(got);
    static const char note[] = "……（内容过长，已截断）";
    size_t keep = 1 + 9999 * 3;
    assert_int_equal(strlen(got), keep + strlen(note));
    assert_memory_equal(got, text, keep);
    assert_string_equal(got + keep, note);
    /* The long row is taller than the default 20 points, up to Excel's limit. */
    assert_true(bk->row_ht[4] > 20 && bk->row_ht[4] <= 409);
    free(text);
    xr_free(bk);
}

static void rows_grow_with_their_text_and_short_rows_keep_the_default(void **state)
{
    (void)state;
    json_t *items = json_pack("[{s:s},{s:s}]", "title", "短", "title",
                              "某单位二〇二五年度多笔大额资金支付未经集体决策且无会议纪要，"
                              "涉及基本建设项目、政府采购合同和往来款项，需逐笔核查并补办手续");
    xr_book *bk = write_and_read(items, "行高", "rx-height.xlsx");
    assert_true(bk->row_ht[4] == 20.0);
    assert_true(bk->row_ht[5] > 20.0);
    xr_free(bk);
}

static void the_sheet_is_named_and_prints_its_header_on_every_page(void **state)
{
    (void)state;
    json_t *items = json_pack("[{s:s}]", "title", "一项");
    xr_book *bk = write_and_read(items, "打印", "rx-print.xlsx");
    assert_non_null(strstr(bk->workbook_xml, "name=\"整改台账\""));
    /* The header row repeats on each printed page. */
    assert_non_null(strstr(bk->workbook_xml, "_xlnm.Print_Titles"));
    assert_non_null(strstr(bk->workbook_xml, "$3:$3"));
    assert_non_null(strstr(bk->sheet_xml, "第 &amp;P 页，共 &amp;N 页"));
    assert_non_null(strstr(bk->sheet_xml, "fitToHeight=\"0\""));
    /* Title and info rows span all fifteen columns. */
    bool title = false, info = false;
    for (int i = 0; i < bk->nmerges; i++) {
        title |= strcmp(bk->merges[i], "A1:O1") == 0;
        info |= strcmp(bk->merges[i], "A2:O2") == 0;
    }
    assert_true(title && info);
    xr_free(bk);
}

static void malformed_items_are_refused_and_nothing_is_written(void **state)
{
    (void)state;
    char path[1024];
    out_path(path, sizeof path, "rx-refused.xlsx");
    ag_error err;
    json_t *items = json_pack("[{s:s},i]", "title", "好", 7);
    assert_non_null(items);
    assert_int_equal(export_rectify_xlsx(items, "t", path, &err), AG_ERR_INPUT);
    assert_non_null(strstr(err.en, "item 2 is not an object"));
    assert_non_null(strstr(err.zh, "第 2 项不是对象"));
    json_decref(items);
    items = json_pack("[{s:f}]", "amount", 12.5);
    assert_int_equal(export_rectify_xlsx(items, "t", path, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "amount");
    json_decref(items);
    struct stat sb;
    assert_int_not_equal(stat(path, &sb), 0);
}

int main(void)
{
    setenv("AUDITGRID_NOW", "2026-12-07T06:33:00Z", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_state_and_class_reads_in_chinese),
        cmocka_unit_test(codes_stand_in_for_missing_names_and_dates_are_the_districts),
        cmocka_unit_test(the_total_is_exact_in_fen_and_says_when_it_overflows),
        cmocka_unit_test(an_over_long_cell_is_cut_on_a_character_with_a_note),
        cmocka_unit_test(rows_grow_with_their_text_and_short_rows_keep_the_default),
        cmocka_unit_test(the_sheet_is_named_and_prints_its_header_on_every_page),
        cmocka_unit_test(malformed_items_are_refused_and_nothing_is_written),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
