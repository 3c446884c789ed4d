/* certificate_xlsx.c - the closure certificate (对账销号单) of one item: a one-page A4 form. */
#include "export/export.h"

#include "domain/audit.h"
#include "domain/rectify.h"
#include "export/export_internal.h"

#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "util/clock.h"
#include "util/date.h"
#include "util/banned.h"

/* Four columns: label, value, label, value (Excel character units). */
static const double WIDTHS[4] = {17, 29, 17, 29};
#define WIDE (WIDTHS[1] + WIDTHS[2] + WIDTHS[3]) /* a value across B:D */

typedef struct cert {
    export_book *b;
    lxw_worksheet *ws;
    lxw_format *title, *info, *label, *value, *num, *center, *sig, *line, *note;
    uint32_t row;
    ag_buf tmp;
} cert;

static double max2(double a, double b)
{
    return a > b ? a : b;
}

/* A row "label | value across B:D". */
static void wide_row(cert *c, const char *label, const char *value, double min_pt)
{
    export_text(c->b, c->ws, c->row, 0, label, c->label);
    export_merge_text(c->b, c->ws, c->row, 1, c->row, 3, value, c->value);
    double h = max2(export_row_height(value, WIDE, 11, min_pt),
                    export_row_height(label, WIDTHS[0], 11, min_pt));
    export_put(c->b, worksheet_set_row(c->ws, c->row, h, NULL));
    c->row++;
}

/* A row "label | value | label | value". */
static void pair_row(cert *c, const char *l1, const char *v1, const char *l2, const char *v2)
{
    export_text(c->b, c->ws, c->row, 0, l1, c->label);
    export_text(c->b, c->ws, c->row, 1, v1, c->value);
    export_text(c->b, c->ws, c->row, 2, l2, c->label);
    export_text(c->b, c->ws, c->row, 3, v2, c->value);
    double h =
        max2(export_row_height(v1, WIDTHS[1], 11, 24), export_row_height(v2, WIDTHS[3], 11, 24));
    export_put(c->b, worksheet_set_row(c->ws, c->row, h, NULL));
    c->row++;
}

/* A row of the signature block at height h: "label value | label value",
 * the values in format vf (NULL vf: the labels alone). */
static void sign_row(cert *c, double h, const char *l1, const char *v1, const char *l2,
                     const char *v2, lxw_format *vf)
{
    const char *labels[2] = {l1, l2}, *values[2] = {v1, v2};
    for (uint16_t k = 0; k < 2; k++) {
        export_text(c->b, c->ws, c->row, (uint16_t)(2 * k), labels[k], c->sig);
        if (vf)
            export_text(c->b, c->ws, c->row, (uint16_t)(2 * k + 1), values[k], vf);
    }
    export_put(c->b, worksheet_set_row(c->ws, c->row, h, NULL));
    c->row++;
}

static void human_size(int64_t bytes, char out[32])
{
    if (bytes < 1024)
        snprintf(out, 32, "%lld 字节", (long long)bytes);
    else if (bytes < 1024 * 1024)
        snprintf(out, 32, "%lld.%lld KB", (long long)(bytes / 1024),
                 (long long)(bytes % 1024 * 10 / 1024));
    else
        snprintf(out, 32, "%lld.%lld MB", (long long)(bytes / (1024 * 1024)),
                 (long long)(bytes % (1024 * 1024) * 10 / (1024 * 1024)));
}

/* The evidence: every attachment of the item's events with its size and the
 * start of its SHA-256 (to match the file kept in the system), or the names. */
static ag_err evidence_list(const json_t *item, ag_buf *out)
{
    ag_buf_reset(out);
    ag_err rc = AG_OK;
    int k = 0;
    const json_t *events = json_object_get(item, "events");
    for (size_t i = 0; !rc && i < json_array_size(events); i++) {
        const json_t *atts = json_object_get(json_array_get(events, i), "attachments");
        for (size_t j = 0; !rc && j < json_array_size(atts); j++) {
            const json_t *a = json_array_get(atts, j);
            const char *name = export_str(a, "filename"), *sha = export_str(a, "sha256");
            char size[32];
            human_size(json_integer_value(json_object_get(a, "bytes")), size);
            rc = ag_buf_printf(out, "%s%d. %s（%s", k ? "\n" : "", k + 1, name ? name : "", size);
            if (!rc && sha && strlen(sha) >= 16)
                rc = ag_buf_printf(out, "，SHA-256 %.16s…", sha);
            if (!rc)
                rc = ag_buf_adds(out, "）");
            k++;
        }
    }
    const json_t *names = json_object_get(item, "evidence");
    for (size_t i = 0; !rc && k == 0 && i < json_array_size(names); i++) {
        const char *name = json_string_value(json_array_get(names, i));
        if (name)
            rc = ag_buf_printf(out, "%s%zu. %s", i ? "\n" : "", i + 1, name);
    }
    if (!rc && out->len == 0)
        rc = ag_buf_adds(out, "无");
    return rc;
}

/* The verification: the close event's note, who verified and when. */
static ag_err verification(const json_t *item, ag_buf *out)
{
    ag_buf_reset(out);
    const char *note = NULL, *by = export_str(item, "verified_by"),
               *by_name = export_str(item, "verified_by_name"),
               *at = export_str(item, "verified_at");
    const json_t *events = json_object_get(item, "events");
    for (size_t i = 0; i < json_array_size(events); i++) {
        const json_t *e = json_array_get(events, i);
        const char *kind = export_str(e, "kind");
        if (kind && strcmp(kind, "close") == 0) {
            note = export_str(e, "body");
            if (!by) {
                by = export_str(e, "created_by");
                by_name = export_str(e, "created_by_name");
            }
            if (!at)
                at = export_str(e, "created_at");
        }
    }
    /* Actors are recorded as "user:alice"; the form shows the person's name (the "_name" that
     * names_annotate() adds), else the account name. */
    const char *colon = by ? strchr(by, ':') : NULL;
    if (by_name && *by_name)
        by = by_name;
    else if (colon && colon[1])
        by = colon + 1;
    char day[24];
    export_date(at, day);
    ag_err rc = ag_buf_adds(out, "经审计组核验，整改已完成，同意销号。");
    if (!rc && note && *note)
        rc = ag_buf_printf(out, "\n核验意见：%s", note);
    if (!rc)
        rc = ag_buf_printf(out, "\n核验人：%s　　核验日期：%s", by ? by : "", day);
    return rc;
}

static void fill(cert *c, const json_t *item)
{
    char head[256], today[11], day1[24], day2[24], day3[24];
    ag_date_format(ag_clock_today(), today);
    export_merge_text(c->b, c->ws, 0, 0, 0, 3, "审计整改对账销号单", c->title);
    export_put(c->b, worksheet_set_row(c->ws, 0, 40, NULL));
    const char *code = export_str(item, "project_code");
    snprintf(head, sizeof head, "编号：%s-%lld　　　出具日期：%s", code ? code : "",
             (long long)json_integer_value(json_object_get(item, "id")), today);
    export_merge_text(c->b, c->ws, 1, 0, 1, 3, head, c->info);
    export_put(c->b, worksheet_set_row(c->ws, 1, 22, NULL));
    c->row = 2;

    const char *unit = export_str(item, "unit_name");
    wide_row(c, "被审计单位", unit ? unit : export_str(item, "unit_code"), 26);
    pair_row(c, "审计项目", export_str(item, "project_name"), "审计通知书号",
             export_str(item, "notice_no"));
    /* "F03 资金支付审批" when the caller named the item (names_annotate), else its code. */
    char item_text[256];
    const char *icode = export_str(item, "item"), *iname = export_str(item, "item_name");
    snprintf(item_text, sizeof item_text, "%s%s%s", icode ? icode : "", iname ? " " : "",
             iname ? iname : "");
    ag_utf8_trim_tail(item_text);
    pair_row(c, "审计事项", item_text, "问题严重程度",
             audit_severity_zh(export_str(item, "severity")));
    ag_buf_reset(&c->tmp);
    if (json_is_true(json_object_get(item, "repeat")))
        ag_buf_adds(&c->tmp, "【屡审屡犯】");
    const char *title = export_str(item, "title");
    ag_buf_adds(&c->tmp, title ? title : "");
    wide_row(c, "问题摘要", ag_buf_str(&c->tmp), 26);
    wide_row(c, "问题描述", export_str(item, "description"), 40);

    /* The amount as a number in yuan beside the deadline. */
    export_text(c->b, c->ws, c->row, 0, "涉及金额（元）", c->label);
    const json_t *amount = json_object_get(item, "amount");
    if (json_is_integer(amount) && json_integer_value(amount) != 0)
        export_yuan(c->b, c->ws, c->row, 1, (int64_t)json_integer_value(amount), c->num, c->value);
    else
        export_text(c->b, c->ws, c->row, 1, "无", c->value);
    export_date(export_str(item, "deadline"), day1);
    export_text(c->b, c->ws, c->row, 2, "整改期限", c->label);
    export_text(c->b, c->ws, c->row, 3, day1, c->value);
    export_put(c->b, worksheet_set_row(c->ws, c->row, 24, NULL));
    c->row++;

    wide_row(c, "定性依据", export_str(item, "basis"), 30);
    wide_row(c, "审计建议", export_str(item, "recommendation"), 30);
    pair_row(c, "整改类型", rectify_class_zh(export_str(item, "class")), "整改责任人",
             export_str(item, "responsible"));
    wide_row(c, "整改措施", export_str(item, "measures"), 36);
    wide_row(c, "整改结果", export_str(item, "result"), 36);
    if (evidence_list(item, &c->tmp))
        export_put(c->b, LXW_ERROR_MEMORY_MALLOC_FAILED);
    wide_row(c, "证明材料", ag_buf_str(&c->tmp), 30);
    if (verification(item, &c->tmp))
        export_put(c->b, LXW_ERROR_MEMORY_MALLOC_FAILED);
    wide_row(c, "核验情况", ag_buf_str(&c->tmp), 48);
    export_date(export_str(item, "claimed_at"), day2);
    export_date(export_str(item, "closed_at"), day3);
    pair_row(c, "整改完成认定日期", day2, "销号日期", day3);

    /* Signatures: a line to sign on, the printed name and the date, for each side. */
    export_put(c->b, worksheet_set_row(c->ws, c->row, 12, NULL));
    c->row++;
    const char *blank_date = "　　　　年　　月　　日";
    sign_row(c, 48, "被审计单位主要负责人（签字）：", NULL, "审计组组长（签字）：", NULL, c->line);
    sign_row(c, 24, "姓名：", export_str(item, "principal"), "姓名：",
             export_str(item, "team_lead"), c->center);
    sign_row(c, 24, "日期：", blank_date, "日期：", blank_date, c->center);
    sign_row(c, 48, "被审计单位（盖章）", NULL, "审计组（盖章）", NULL, NULL);
    export_merge_text(c->b, c->ws, c->row, 0, c->row, 3,
                      "说明：本单一式两份，被审计单位与审计组各执一份；证明材料以系统中保存的文件"
                      "（SHA-256 可核对）为准。",
                      c->note);
    export_put(c->b, worksheet_set_row(c->ws, c->row, 30, NULL));
    c->row++; /* c->row - 1 is the last row written: the print area includes the note */
}

ag_err export_certificate_xlsx(const json_t *item, const char *path, ag_error *err)
{
    if (!json_is_object(item))
        return ag_fail(err, AG_ERR_INPUT, "item", "整改事项数据不是对象",
                       "the rectification item is not an object");
    const char *state = export_str(item, "state");
    long long id = (long long)json_integer_value(json_object_get(item, "id"));
    if (!state || strcmp(state, "closed") != 0)
        return ag_fail(
            err, AG_ERR_INPUT, "state",
            "整改事项 %lld 尚未销号（当前状态：%s），不能出具对账销号单；请先由审计组核验销号",
            "rectification item %lld is not closed (state: %s); the audit team must "
            "verify and close it before a closure certificate can be issued",
            id, rectify_state_zh(state));
    export_book b;
    ag_err rc = export_book_open(&b, path, "审计整改对账销号单", err);
    if (rc)
        return rc;
    cert c = {.b = &b};
    ag_buf_init(&c.tmp, 16u << 20); /* cells are cut to EXPORT_CELL_MAX when written */
    c.ws = workbook_add_worksheet(b.wb, "对账销号单");
    c.title = export_format(&b, 20, false, false);
    c.info = export_format(&b, 10, false, false);
    c.label = export_format(&b, 11, true, true);
    c.value = export_format(&b, 11, true, true);
    c.num = export_format(&b, 11, true, false);
    c.center = export_format(&b, 11, false, false);
    c.sig = export_format(&b, 11, false, true);
    c.line = export_format(&b, 11, false, false);
    c.note = export_format(&b, 9, false, true);
    if (!c.ws || !c.title || !c.info || !c.label || !c.value || !c.num || !c.center || !c.sig ||
        !c.line || !c.note) {
        export_put(&b, LXW_ERROR_MEMORY_MALLOC_FAILED);
    } else {
        format_set_bold(c.title);
        format_set_align(c.title, LXW_ALIGN_CENTER);
        format_set_align(c.info, LXW_ALIGN_RIGHT);
        format_set_bold(c.label);
        format_set_align(c.label, LXW_ALIGN_CENTER);
        format_set_pattern(c.label, LXW_PATTERN_SOLID);
        format_set_bg_color(c.label, 0xF2F2F2);
        format_set_num_format(c.num, "#,##0.00");
        format_set_align(c.num, LXW_ALIGN_LEFT);
        format_set_align(c.center, LXW_ALIGN_CENTER);
        format_set_align(c.sig, LXW_ALIGN_RIGHT);
        format_set_bottom(c.line, LXW_BORDER_THIN);
        for (int k = 0; k < 4; k++)
            export_put(&b, worksheet_set_column(c.ws, (uint16_t)k, (uint16_t)k, WIDTHS[k], NULL));
        fill(&c, item);
        /* One printed A4 page, portrait, centred, without grid lines. */
        worksheet_set_paper(c.ws, 9);
        worksheet_set_portrait(c.ws);
        worksheet_set_margins(c.ws, 0.6, 0.6, 0.7, 0.7);
        worksheet_center_horizontally(c.ws);
        worksheet_fit_to_pages(c.ws, 1, 1);
        worksheet_gridlines(c.ws, LXW_HIDE_ALL_GRIDLINES);
        export_put(&b, worksheet_print_area(c.ws, 0, 0, c.row - 1, 3));
    }
    ag_buf_release(&c.tmp);
    return export_book_close(&b, err);
}
