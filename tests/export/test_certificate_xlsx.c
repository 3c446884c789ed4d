/* test_certificate_xlsx.c - the closure certificate (对账销号单) read back cell by cell: who
 * verified and when, the evidence list, amounts and labels, the print setup, and refusals. */
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

/* A closed item with the fields rectify_get gives; callers add or change members. */
static json_t *item(void)
{
    json_t *it =
        json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)42, "project_code",
                  "SJ-2026-05", "project_name", "2026年专项资金审计", "unit_code",
                  "12120104MB0000009X", "state", "closed", "title", "专项资金挪用", "class",
                  "phased", "severity", "medium", "item", "F10", "deadline", "2026-06-30");
    assert_non_null(it);
    return it;
}

static xr_book *write_and_read(json_t *it, const char *name)
{
    char path[1024];
    ag_test_path(path, sizeof path, name);
    ag_error err;
    must(export_certificate_xlsx(it, path, &err), &err);
    json_decref(it);
    return xr_open(path);
}

/* The value beside label in column A: column B of the same row. */
static const char *value_of(const xr_book *bk, const char *label)
{
    int r = xr_row_of(bk, label);
    if (!r)
        fail_msg("no row labelled %s", label);
    return xr_text_rc(bk, "B", r);
}

static void the_verifier_comes_from_the_close_event_when_the_item_names_none(void **state)
{
    (void)state;
    json_t *it = item();
    json_object_set_new(it, "events",
                        json_pack("[{s:s,s:s,s:s},{s:s,s:s,s:s}]", "kind", "claim", "created_by",
                                  "user:zhang", "created_at", "2026-05-01T01:00:00Z", "kind",
                                  "close", "created_by", "user:wang", "created_at",
                                  "2026-05-20T16:30:00Z"));
    xr_book *bk = write_and_read(it, "cx-verifier.xlsx");
    const char *v = value_of(bk, "核验情况");
    assert_non_null(v);
    /* No note on the close event: no 核验意见 line; the date is Beijing's (16:30Z is the 21st). */
    assert_string_equal(
        v, "经审计组核验，整改已完成，同意销号。\n核验人：wang　　核验日期：2026-05-21");
    xr_free(bk);
}

static void a_named_verifier_is_shown_by_name(void **state)
{
    (void)state;
    json_t *it = item();
    json_object_set_new(it, "verified_by", json_string("user:li"));
    json_object_set_new(it, "verified_by_name", json_string("李审计"));
    json_object_set_new(it, "verified_at", json_string("2026-05-20T08:00:00Z"));
    json_object_set_new(it, "events",
                        json_pack("[{s:s,s:s,s:s,s:s}]", "kind", "close", "body", "同意",
                                  "created_by", "user:other", "created_at",
                                  "2026-01-01T00:00:00Z"));
    xr_book *bk = write_and_read(it, "cx-named.xlsx");
    assert_string_equal(value_of(bk, "核验情况"), "经审计组核验，整改已完成，同意销号。\n"
                                                  "核验意见：同意\n"
                                                  "核验人：李审计　　核验日期：2026-05-20");
    xr_free(bk);
}

static void attachments_list_size_and_digest_in_order(void **state)
{
    (void)state;
    json_t *it = item();
    json_object_set_new(
        it, "events",
        json_pack("[{s:s,s:[{s:s,s:I,s:s},{s:s,s:I}]},{s:s,s:[{s:s,s:I}]}]", "kind", "claim",
                  "attachments", "filename", "a.pdf", "bytes", (json_int_t)512, "sha256",
                  "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210", "filename",
                  "b.png", "bytes", (json_int_t)(3 * 1024 * 1024 + 512 * 1024), "kind", "note",
                  "attachments", "filename", "c.xlsx", "bytes", (json_int_t)1536));
    /* The names list is ignored once attachments are known. */
    json_object_set_new(it, "evidence", json_pack("[s]", "ignored.pdf"));
    assert_non_null(json_object_get(it, "events"));
    xr_book *bk = write_and_read(it, "cx-evidence.xlsx");
    assert_string_equal(value_of(bk, "证明材料"),
                        "1. a.pdf（512 字节，SHA-256 fedcba9876543210…）\n"
                        "2. b.png（3.5 MB）\n"
                        "3. c.xlsx（1.5 KB）");
    xr_free(bk);
}

static void amount_item_and_labels(void **state)
{
    (void)state;
    json_t *it = item();
    json_object_set_new(it, "item_name", json_string("专项资金"));
    json_object_set_new(it, "repeat", json_true());
    json_object_set_new(it, "evidence", json_pack("[s,s]", "整改报告.pdf", "退款凭证.jpg"));
    xr_book *bk = write_and_read(it, "cx-labels.xlsx");
    /* No unit name: the unit's code stands in. */
    assert_string_equal(value_of(bk, "被审计单位"), "12120104MB0000009X");
    assert_string_equal(value_of(bk, "审计事项"), "F10 专项资金");
    int r = xr_row_of(bk, "审计事项");
    assert_string_equal(xr_text_rc(bk, "C", r), "问题严重程度");
    assert_string_equal(xr_text_rc(bk, "D", r), "中");
    assert_string_equal(value_of(bk, "问题摘要"), "【屡审屡犯】专项资金挪用");
    /* No amount: 无, beside the deadline. */
    r = xr_row_of(bk, "涉及金额（元）");
    assert_string_equal(xr_text_rc(bk, "B", r), "无");
    assert_string_equal(xr_text_rc(bk, "D", r), "2026-06-30");
    assert_string_equal(value_of(bk, "整改类型"), "分阶段整改");
    /* Without attachments the evidence names are listed. */
    assert_string_equal(value_of(bk, "证明材料"), "1. 整改报告.pdf\n2. 退款凭证.jpg");
    xr_expect_text(bk, "A2", "编号：SJ-2026-05-42　　　出具日期：2026-12-07");
    xr_free(bk);

    it = item();
    json_object_set_new(it, "amount", json_integer(-150));
    bk = write_and_read(it, "cx-amount.xlsx");
    char ref[16];
    snprintf(ref, sizeof ref, "B%d", xr_row_of(bk, "涉及金额（元）"));
    assert_true(xr_number_at(bk, ref) == -1.5);
    assert_string_equal(value_of(bk, "审计事项"), "F10");
    assert_string_equal(value_of(bk, "证明材料"), "无");
    xr_free(bk);
}

static void it_prints_as_one_page_without_grid_lines(void **state)
{
    (void)state;
    xr_book *bk = write_and_read(item(), "cx-print.xlsx");
    assert_non_null(strstr(bk->workbook_xml, "name=\"对账销号单\""));
    assert_non_null(strstr(bk->workbook_xml, "_xlnm.Print_Area"));
    assert_non_null(strstr(bk->sheet_xml, "showGridLines=\"0\""));
    /* Fit to one page wide and (the default height of) one page tall. */
    assert_non_null(strstr(bk->sheet_xml, "fitToPage=\"1\""));
    assert_null(strstr(bk->sheet_xml, "fitToHeight=\"0\""));
    /* The print area ends at the note, the last row written. */
    int last = 0;
    for (int i = 0; i < bk->ncells; i++) {
        int r = atoi(bk->cells[i].ref + strspn(bk->cells[i].ref, "ABCD"));
        last = r > last ? r : last;
    }
    char area[32];
    snprintf(area, sizeof area, "$A$1:$D$%d", last);
    assert_non_null(strstr(bk->workbook_xml, area));
    const char *note = xr_text_rc(bk, "A", last);
    assert_non_null(note);
    assert_non_null(strstr(note, "一式两份"));
    xr_free(bk);
}

static void only_a_closed_object_gets_a_certificate(void **state)
{
    (void)state;
    char path[1024];
    ag_test_path(path, sizeof path, "cx-refused.xlsx");
    ag_error err;
    json_t *arr = json_array();
    assert_int_equal(export_certificate_xlsx(arr, path, &err), AG_ERR_INPUT);
    assert_non_null(strstr(err.en, "not an object"));
    json_decref(arr);
    json_t *it = item();
    json_object_set_new(it, "state", json_string("claimed"));
    assert_int_equal(export_certificate_xlsx(it, path, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "state");
    assert_non_null(strstr(err.en, "rectification item 42 is not closed"));
    assert_non_null(strstr(err.zh, "当前状态：已整改"));
    json_object_del(it, "state");
    assert_int_equal(export_certificate_xlsx(it, path, &err), AG_ERR_INPUT);
    json_decref(it);
    struct stat sb;
    assert_int_not_equal(stat(path, &sb), 0);
}

int main(void)
{
    setenv("AUDITGRID_NOW", "2026-12-07T06:33:00Z", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_verifier_comes_from_the_close_event_when_the_item_names_none),
        cmocka_unit_test(a_named_verifier_is_shown_by_name),
        cmocka_unit_test(attachments_list_size_and_digest_in_order),
        cmocka_unit_test(amount_item_and_labels),
        cmocka_unit_test(it_prints_as_one_page_without_grid_lines),
        cmocka_unit_test(only_a_closed_object_gets_a_certificate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
