/* rectify_xlsx.c - the rectification ledger (整改台账) as XLSX in the layout auditors use. */
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

/* Rows above the items: the title, the line with date and counts, the header. */
#define LEDGER_TITLE_ROW  0
#define LEDGER_INFO_ROW   1
#define LEDGER_HEADER_ROW 2
#define LEDGER_FIRST_ROW  3
/* Items one sheet holds (Excel's rows less the rows above and the total). */
#define LEDGER_MAX_ITEMS (LXW_ROW_MAX - LEDGER_FIRST_ROW - 1)

/* The columns, in the order auditors keep the ledger; widths in Excel
 * character units, chosen for Chinese text (a character is two units). */
static const struct {
    const char *head;
    double width;
} COLS[] = {
    {"序号", 6},        {"通知书号", 16}, {"项目", 20},     {"被审计单位", 20}, {"问题摘要", 34},
    {"金额（元）", 16}, {"定性依据", 28}, {"整改类型", 11}, {"整改措施", 30},   {"整改期限", 12},
    {"责任人", 10},     {"整改进展", 30}, {"整改结果", 30}, {"证明材料", 24},   {"状态", 12},
};
enum {
    C_SEQ,
    C_NOTICE,
    C_PROJECT,
    C_UNIT,
    C_TITLE,
    C_AMOUNT,
    C_BASIS,
    C_CLASS,
    C_MEASURES,
    C_DEADLINE,
    C_RESPONSIBLE,
    C_PROGRESS,
    C_RESULT,
    C_EVIDENCE,
    C_STATE,
    NCOLS
};
_Static_assert(sizeof COLS / sizeof COLS[0] == NCOLS, "one width per column");

/* The formats of one kind of row: normal or overdue (highlighted). */
typedef struct row_fmt {
    lxw_format *text, *center, *num;
} row_fmt;

static void row_formats(export_book *b, row_fmt *r, bool overdue)
{
    r->text = export_format(b, 10, true, true);
    r->center = export_format(b, 10, true, true);
    r->num = export_format(b, 10, true, false);
    if (!r->text || !r->center || !r->num)
        return;
    format_set_align(r->center, LXW_ALIGN_CENTER);
    format_set_num_format(r->num, "#,##0.00");
    format_set_align(r->num, LXW_ALIGN_RIGHT);
    if (overdue) {
        /* Excel's "light red fill with dark red text". */
        lxw_format *all[] = {r->text, r->center, r->num};
        for (int i = 0; i < 3; i++) {
            format_set_pattern(all[i], LXW_PATTERN_SOLID);
            format_set_bg_color(all[i], 0xFFC7CE);
            format_set_font_color(all[i], 0x9C0006);
        }
    }
}

/* The evidence column: the file names one per line, or a count. */
static ag_err evidence_text(const json_t *item, ag_buf *out)
{
    ag_buf_reset(out);
    const json_t *ev = json_object_get(item, "evidence");
    ag_err rc = AG_OK;
    for (size_t i = 0; !rc && i < json_array_size(ev); i++) {
        const char *name = json_string_value(json_array_get(ev, i));
        if (!name)
            continue;
        if (out->len)
            rc = ag_buf_addc(out, '\n');
        if (!rc)
            rc = ag_buf_adds(out, name);
    }
    json_int_t n = json_integer_value(json_object_get(item, "evidence_count"));
    if (!rc && out->len == 0 && n > 0)
        rc = ag_buf_printf(out, "%lld 份", (long long)n);
    return rc;
}

/* Checks the shape before anything is written: a refusal leaves no file. */
static ag_err check_items(const json_t *items, ag_error *err)
{
    if (!json_is_array(items))
        return ag_fail(err, AG_ERR_INPUT, "items", "整改台账数据不是数组",
                       "the ledger items are not an array");
    if (json_array_size(items) > LEDGER_MAX_ITEMS)
        return ag_fail(err, AG_ERR_INPUT, "items",
                       "整改事项过多（%zu 项，一张工作表最多 %u 项）；请按单位或项目筛选后分别导出",
                       "too many items (%zu, a sheet holds %u); filter by unit or project and "
                       "export in parts",
                       json_array_size(items), (unsigned)LEDGER_MAX_ITEMS);
    for (size_t i = 0; i < json_array_size(items); i++) {
        const json_t *it = json_array_get(items, i);
        const json_t *amount = json_object_get(it, "amount");
        if (!json_is_object(it))
            return ag_fail(err, AG_ERR_INPUT, "items", "第 %zu 项不是对象",
                           "item %zu is not an object", i + 1);
        if (amount && !json_is_null(amount) && !json_is_integer(amount))
            return ag_fail(err, AG_ERR_INPUT, "amount", "第 %zu 项的金额不是以分计的整数",
                           "item %zu: the amount is not an integer number of fen", i + 1);
    }
    return AG_OK;
}

/* The formats of the ledger. */
typedef struct ledger_fmt {
    lxw_format *title, *info, *head, *total, *total_num;
    row_fmt normal, late;
} ledger_fmt;

static bool ledger_formats(export_book *b, ledger_fmt *f)
{
    f->title = export_format(b, 16, false, false);
    f->info = export_format(b, 10, false, false);
    f->head = export_format(b, 11, true, true);
    f->total = export_format(b, 10, true, false);
    f->total_num = export_format(b, 10, true, false);
    row_formats(b, &f->normal, false);
    row_formats(b, &f->late, true);
    if (b->first != LXW_NO_ERROR || !f->title || !f->info || !f->head || !f->total || !f->total_num)
        return false;
    format_set_bold(f->title);
    format_set_align(f->title, LXW_ALIGN_CENTER);
    format_set_bold(f->head);
    format_set_align(f->head, LXW_ALIGN_CENTER);
    format_set_pattern(f->head, LXW_PATTERN_SOLID);
    format_set_bg_color(f->head, 0xD9E1F2);
    format_set_bold(f->total);
    format_set_align(f->total, LXW_ALIGN_CENTER);
    format_set_bold(f->total_num);
    format_set_num_format(f->total_num, "#,##0.00");
    return true;
}

static double taller(double h, const char *text, int col)
{
    double t = export_row_height(text, COLS[col].width, 10, 20);
    return t > h ? t : h;
}

/* One item's row; adds its amount to *total (false on overflow). */
static void ledger_row(export_book *b, lxw_worksheet *ws, const ledger_fmt *lf, const json_t *it,
                       size_t i, ag_buf *tmp, int64_t *total, bool *total_ok)
{
    uint32_t r = (uint32_t)(LEDGER_FIRST_ROW + i);
    bool late_row = json_is_true(json_object_get(it, "overdue"));
    const row_fmt *f = late_row ? &lf->late : &lf->normal;
    double height = 20;
    export_put(b, worksheet_write_number(ws, r, C_SEQ, (double)(i + 1), f->center));

    static const struct {
        int col;
        const char *key, *fallback;
    } plain[] = {{C_NOTICE, "notice_no", NULL},      {C_PROJECT, "project_name", "project_code"},
                 {C_UNIT, "unit_name", "unit_code"}, {C_BASIS, "basis", NULL},
                 {C_MEASURES, "measures", NULL},     {C_RESPONSIBLE, "responsible", NULL},
                 {C_PROGRESS, "progress", NULL},     {C_RESULT, "result", NULL}};
    for (size_t k = 0; k < sizeof plain / sizeof plain[0]; k++) {
        const char *t = export_str(it, plain[k].key);
        if (!t && plain[k].fallback)
            t = export_str(it, plain[k].fallback);
        export_text(b, ws, r, (uint16_t)plain[k].col, t, f->text);
        height = taller(height, t, plain[k].col);
    }

    /* 屡审屡犯 is what a reader of the ledger must not miss. */
    const char *t = export_str(it, "title");
    ag_buf_reset(tmp);
    ag_err rc = AG_OK;
    if (json_is_true(json_object_get(it, "repeat")))
        rc = ag_buf_adds(tmp, "【屡审屡犯】");
    if (!rc && t)
        rc = ag_buf_adds(tmp, t);
    export_text(b, ws, r, C_TITLE, ag_buf_str(tmp), f->text);
    height = taller(height, ag_buf_str(tmp), C_TITLE);

    /* No amount (0 or absent) stays empty: most findings involve none. */
    const json_t *amount = json_object_get(it, "amount");
    int64_t fen = json_is_integer(amount) ? (int64_t)json_integer_value(amount) : 0;
    if (fen != 0)
        export_yuan(b, ws, r, C_AMOUNT, fen, f->num, f->text);
    else
        export_text(b, ws, r, C_AMOUNT, NULL, f->num);
    if (__builtin_add_overflow(*total, fen, total))
        *total_ok = false;

    export_text(b, ws, r, C_CLASS, rectify_class_zh(export_str(it, "class")), f->center);
    char day[24];
    export_date(export_str(it, "deadline"), day);
    export_text(b, ws, r, C_DEADLINE, day, f->center);

    if (!rc)
        rc = evidence_text(it, tmp);
    export_text(b, ws, r, C_EVIDENCE, ag_buf_str(tmp), f->text);
    height = taller(height, ag_buf_str(tmp), C_EVIDENCE);

    char state[96];
    const char *zh = rectify_state_zh(export_str(it, "state"));
    json_int_t days = json_integer_value(json_object_get(it, "days_overdue"));
    if (late_row && days > 0)
        snprintf(state, sizeof state, "%s\n逾期 %lld 天", zh, (long long)days);
    else
        snprintf(state, sizeof state, "%s%s", zh, late_row ? "\n逾期" : "");
    export_text(b, ws, r, C_STATE, state, f->center);
    export_put(b, worksheet_set_row(ws, r, height, NULL));
    if (rc)
        export_put(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
}

ag_err export_rectify_xlsx(const json_t *items, const char *title, const char *path, ag_error *err)
{
    ag_err rc = check_items(items, err);
    if (rc)
        return rc;
    if (!title || !*title)
        title = "审计整改台账";
    export_book b;
    rc = export_book_open(&b, path, title, err);
    if (rc)
        return rc;
    lxw_worksheet *ws = workbook_add_worksheet(b.wb, "整改台账");
    ledger_fmt lf;
    if (!ws || !ledger_formats(&b, &lf)) {
        export_put(&b, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return export_book_close(&b, err);
    }
    size_t n = json_array_size(items), overdue = 0;
    for (size_t i = 0; i < n; i++)
        overdue += json_is_true(json_object_get(json_array_get(items, i), "overdue"));

    for (int c = 0; c < NCOLS; c++)
        export_put(&b, worksheet_set_column(ws, (uint16_t)c, (uint16_t)c, COLS[c].width, NULL));
    export_merge_text(&b, ws, LEDGER_TITLE_ROW, 0, LEDGER_TITLE_ROW, NCOLS - 1, title, lf.title);
    export_put(&b, worksheet_set_row(ws, LEDGER_TITLE_ROW, 32, NULL));
    char today[11], info[256];
    ag_date_format(ag_clock_today(), today);
    snprintf(info, sizeof info, "制表日期：%s　　共 %zu 项，其中逾期 %zu 项（红色底纹标示）", today,
             n, overdue);
    export_merge_text(&b, ws, LEDGER_INFO_ROW, 0, LEDGER_INFO_ROW, NCOLS - 1, info, lf.info);
    for (int c = 0; c < NCOLS; c++)
        export_text(&b, ws, LEDGER_HEADER_ROW, (uint16_t)c, COLS[c].head, lf.head);
    export_put(&b, worksheet_set_row(ws, LEDGER_HEADER_ROW, 30, NULL));

    ag_buf tmp;
    ag_buf_init(&tmp, 16u << 20); /* cells are cut to EXPORT_CELL_MAX when written */
    int64_t total = 0;
    bool total_ok = true;
    for (size_t i = 0; i < n && b.first == LXW_NO_ERROR; i++)
        ledger_row(&b, ws, &lf, json_array_get(items, i), i, &tmp, &total, &total_ok);
    ag_buf_release(&tmp);

    if (n > 0) {
        uint32_t r = (uint32_t)(LEDGER_FIRST_ROW + n);
        export_merge_text(&b, ws, r, 0, r, C_AMOUNT - 1, "合计", lf.total);
        if (total_ok)
            export_yuan(&b, ws, r, C_AMOUNT, total, lf.total_num, lf.total);
        else
            export_text(&b, ws, r, C_AMOUNT, "（超出范围）", lf.total);
        for (int c = C_AMOUNT + 1; c < NCOLS; c++)
            export_text(&b, ws, r, (uint16_t)c, NULL, lf.total);
        export_put(&b, worksheet_autofilter(ws, LEDGER_HEADER_ROW, 0,
                                            (uint32_t)(LEDGER_HEADER_ROW + n), NCOLS - 1));
    }

    /* Header stays in view; printed landscape on A4, one page wide, header on every page. */
    worksheet_freeze_panes(ws, LEDGER_FIRST_ROW, 0);
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9);
    worksheet_set_margins(ws, 0.4, 0.4, 0.6, 0.6);
    worksheet_fit_to_pages(ws, 1, 0);
    export_put(&b, worksheet_repeat_rows(ws, LEDGER_HEADER_ROW, LEDGER_HEADER_ROW));
    export_put(&b, worksheet_set_footer(ws, "&C第 &P 页，共 &N 页"));
    return export_book_close(&b, err);
}
