/* rating_xlsx.c - the 0–5A internal-control grades of one year (内控质量分级评级) as XLSX: one
 * sheet of grades (评级结果), one of every deduction (扣分明细). Issue 15 §1. */
#include "export/export.h"

#include "domain/rating.h"
#include "export/export_internal.h"

#include <stdio.h>
#include <string.h>

#include "util/clock.h"
#include "util/date.h"
#include "util/banned.h"

/* Rows above the data on both sheets: the title, the info line, the header. */
#define RT_TITLE_ROW  0
#define RT_INFO_ROW   1
#define RT_HEADER_ROW 2
#define RT_FIRST_ROW  3
#define RT_MAX_ROWS   (LXW_ROW_MAX - RT_FIRST_ROW)

typedef struct col {
    const char *head;
    double width;
} col;

static const col GRADE_COLS[] = {
    {"序号", 6},     {"单位", 28}, {"统一社会信用代码", 22}, {"网格", 16},     {"得分", 9},
    {"适用分值", 9}, {"等级", 16}, {"否决原因", 30},         {"自评状态", 12}, {"复核状态", 10},
};
enum { G_SEQ, G_UNIT, G_CODE, G_CELL, G_SCORE, G_APPL, G_GRADE, G_VETO, G_SELF, G_REVIEW, G_NCOLS };
_Static_assert(sizeof GRADE_COLS / sizeof GRADE_COLS[0] == G_NCOLS, "one width per column");

static const col DEDUCT_COLS[] = {
    {"序号", 6}, {"单位", 28}, {"指标", 28}, {"评价要点", 34}, {"扣分", 8}, {"原因", 44},
};
enum { D_SEQ, D_UNIT, D_IND, D_POINT, D_DEDUCT, D_REASON, D_NCOLS };
_Static_assert(sizeof DEDUCT_COLS / sizeof DEDUCT_COLS[0] == D_NCOLS, "one width per column");

typedef export_sheet_fmt rt_fmt;

/* The sheet formats with scores to two decimals. */
static bool rt_formats(export_book *b, rt_fmt *f)
{
    if (!export_sheet_formats(b, f))
        return false;
    format_set_num_format(f->num, "0.00");
    return true;
}

static const char *review_zh(const char *s)
{
    return s && strcmp(s, "reviewed") == 0 ? "已复核" : "待复核";
}

/* A number cell, or an empty cell for null / absent. */
static void number_or_empty(export_book *b, lxw_worksheet *ws, uint32_t r, uint16_t c,
                            const json_t *v, lxw_format *f)
{
    if (json_is_number(v))
        export_put(b, worksheet_write_number(ws, r, c, json_number_value(v), f));
    else
        export_text(b, ws, r, c, NULL, f);
}

/* "U1 内部控制建设启动情况": a code with its name when the object carries one. */
static void code_name(const json_t *o, const char *code_key, const char *name_key, char *out,
                      size_t cap)
{
    const char *code = export_str(o, code_key), *name = export_str(o, name_key);
    snprintf(out, cap, "%s%s%s", code ? code : "", code && name ? " " : "", name ? name : "");
}

static void sheet_head(export_book *b, lxw_worksheet *ws, const rt_fmt *f, const col *cols, int n,
                       const char *title, const char *info)
{
    for (int c = 0; c < n; c++)
        export_put(b, worksheet_set_column(ws, (uint16_t)c, (uint16_t)c, cols[c].width, NULL));
    export_merge_text(b, ws, RT_TITLE_ROW, 0, RT_TITLE_ROW, (uint16_t)(n - 1), title, f->title);
    export_put(b, worksheet_set_row(ws, RT_TITLE_ROW, 32, NULL));
    export_merge_text(b, ws, RT_INFO_ROW, 0, RT_INFO_ROW, (uint16_t)(n - 1), info, f->info);
    for (int c = 0; c < n; c++)
        export_text(b, ws, RT_HEADER_ROW, (uint16_t)c, cols[c].head, f->head);
    export_put(b, worksheet_set_row(ws, RT_HEADER_ROW, 30, NULL));
    worksheet_freeze_panes(ws, RT_FIRST_ROW, 0);
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9);
    worksheet_set_margins(ws, 0.4, 0.4, 0.6, 0.6);
    worksheet_fit_to_pages(ws, 1, 0);
    export_put(b, worksheet_repeat_rows(ws, RT_HEADER_ROW, RT_HEADER_ROW));
    export_put(b, worksheet_set_footer(ws, "&C第 &P 页，共 &N 页"));
}

static ag_err check_year(const json_t *year, size_t *deductions, ag_error *err)
{
    const json_t *items = json_object_get(year, "items");
    if (!json_is_object(year) || !json_is_array(items))
        return ag_fail(err, AG_ERR_INPUT, "items", "评级结果数据不是含 items 数组的对象",
                       "the grades are not an object with an items array");
    *deductions = 0;
    for (size_t i = 0; i < json_array_size(items); i++) {
        const json_t *it = json_array_get(items, i);
        if (!json_is_object(it))
            return ag_fail(err, AG_ERR_INPUT, "items", "第 %zu 项不是对象",
                           "item %zu is not an object", i + 1);
        *deductions += json_array_size(json_object_get(it, "deductions"));
    }
    if (json_array_size(items) > RT_MAX_ROWS || *deductions > RT_MAX_ROWS)
        return ag_fail(err, AG_ERR_INPUT, "items", "评级结果过多，一张工作表最多 %u 行",
                       "too many rows; a sheet holds %u", (unsigned)RT_MAX_ROWS);
    return AG_OK;
}

static void grade_row(export_book *b, lxw_worksheet *ws, const rt_fmt *f, const json_t *it,
                      size_t i)
{
    uint32_t r = (uint32_t)(RT_FIRST_ROW + i);
    export_put(b, worksheet_write_number(ws, r, G_SEQ, (double)(i + 1), f->center));
    const char *name = export_str(it, "unit_name");
    export_text(b, ws, r, G_UNIT, name ? name : export_str(it, "unit"), f->text);
    export_text(b, ws, r, G_CODE, export_str(it, "unit"), f->center);
    export_text(b, ws, r, G_CELL, export_str(it, "cell_name"), f->text);
    number_or_empty(b, ws, r, G_SCORE, json_object_get(it, "score"), f->num);
    const json_t *appl = json_object_get(it, "applicable");
    if (json_is_number(appl))
        export_put(b, worksheet_write_number(ws, r, G_APPL, json_number_value(appl), f->center));
    else
        export_text(b, ws, r, G_APPL, NULL, f->center);
    const json_t *g = json_object_get(it, "grade");
    export_text(b, ws, r, G_GRADE, rating_grade_zh(json_string_value(g)), f->center);
    const char *veto = export_str(it, "veto");
    export_text(b, ws, r, G_VETO, veto, f->text);
    export_text(b, ws, r, G_SELF, rating_self_state_zh(export_str(it, "self_state")), f->center);
    export_text(b, ws, r, G_REVIEW, review_zh(export_str(it, "review_state")), f->center);
    double h = export_row_height(veto, GRADE_COLS[G_VETO].width, 10, 20);
    double hn = export_row_height(name, GRADE_COLS[G_UNIT].width, 10, 20);
    export_put(b, worksheet_set_row(ws, r, h > hn ? h : hn, NULL));
}

/* The deductions of one unit from row *row on; *seq counts them over the sheet. */
static void deduction_rows(export_book *b, lxw_worksheet *ws, const rt_fmt *f, const json_t *it,
                           uint32_t *row, size_t *seq)
{
    const char *name = export_str(it, "unit_name");
    if (!name)
        name = export_str(it, "unit");
    const json_t *ds = json_object_get(it, "deductions");
    for (size_t k = 0; k < json_array_size(ds); k++) {
        const json_t *d = json_array_get(ds, k);
        char ind[512], point[768];
        code_name(d, "indicator", "indicator_name", ind, sizeof ind);
        code_name(d, "point", "point_name", point, sizeof point);
        uint32_t r = *row;
        export_put(b, worksheet_write_number(ws, r, D_SEQ, (double)++*seq, f->center));
        export_text(b, ws, r, D_UNIT, name, f->text);
        export_text(b, ws, r, D_IND, ind, f->text);
        export_text(b, ws, r, D_POINT, point, f->text);
        number_or_empty(b, ws, r, D_DEDUCT, json_object_get(d, "deduct"), f->num);
        const char *reason = export_str(d, "reason");
        export_text(b, ws, r, D_REASON, reason, f->text);
        double h = export_row_height(reason, DEDUCT_COLS[D_REASON].width, 10, 20);
        double hp = export_row_height(point, DEDUCT_COLS[D_POINT].width, 10, 20);
        export_put(b, worksheet_set_row(ws, r, h > hp ? h : hp, NULL));
        (*row)++;
    }
}

ag_err export_rating_xlsx(const json_t *year, const char *path, ag_error *err)
{
    size_t ndeduct = 0;
    ag_err rc = check_year(year, &ndeduct, err);
    if (rc)
        return rc;
    json_int_t y = json_integer_value(json_object_get(year, "year"));
    char title[128], info[512], today[11], version[48] = "";
    snprintf(title, sizeof title, "%lld年度内控质量分级评级结果", (long long)y);
    export_book b;
    rc = export_book_open(&b, path, title, err);
    if (rc)
        return rc;
    lxw_worksheet *grades = workbook_add_worksheet(b.wb, "评级结果");
    lxw_worksheet *deducts = workbook_add_worksheet(b.wb, "扣分明细");
    rt_fmt f;
    if (!grades || !deducts || !rt_formats(&b, &f)) {
        export_put(&b, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return export_book_close(&b, err);
    }
    const json_t *items = json_object_get(year, "items");
    size_t n = json_array_size(items);
    ag_date_format(ag_clock_today(), today);
    json_int_t v = json_integer_value(json_object_get(year, "rubric_version"));
    if (v > 0)
        snprintf(version, sizeof version, "　　评分标准第 %lld 版", (long long)v);
    char published[48];
    if (json_is_true(json_object_get(year, "published"))) {
        char day[24];
        export_date(export_str(year, "published_at"), day);
        snprintf(published, sizeof published, "已发布%s%s", day[0] ? " " : "", day);
    } else
        snprintf(published, sizeof published, "未发布（结果可能变动）");
    snprintf(info, sizeof info, "制表日期：%s　　共 %zu 个单位%s　　%s", today, n, version,
             published);
    sheet_head(&b, grades, &f, GRADE_COLS, G_NCOLS, title, info);
    for (size_t i = 0; i < n && b.first == LXW_NO_ERROR; i++)
        grade_row(&b, grades, &f, json_array_get(items, i), i);
    if (n > 0)
        export_put(&b, worksheet_autofilter(grades, RT_HEADER_ROW, 0, (uint32_t)(RT_HEADER_ROW + n),
                                            G_NCOLS - 1));

    char dtitle[160], dinfo[256];
    snprintf(dtitle, sizeof dtitle, "%lld年度内控质量评级扣分明细", (long long)y);
    snprintf(dinfo, sizeof dinfo, "制表日期：%s　　共 %zu 项扣分", today, ndeduct);
    sheet_head(&b, deducts, &f, DEDUCT_COLS, D_NCOLS, dtitle, dinfo);
    uint32_t row = RT_FIRST_ROW;
    size_t seq = 0;
    for (size_t i = 0; i < n && b.first == LXW_NO_ERROR; i++)
        deduction_rows(&b, deducts, &f, json_array_get(items, i), &row, &seq);
    if (seq > 0)
        export_put(&b, worksheet_autofilter(deducts, RT_HEADER_ROW, 0,
                                            (uint32_t)(RT_HEADER_ROW + seq), D_NCOLS - 1));
    return export_book_close(&b, err);
}
