/* assess_xlsx.c - the year's internal-audit performance assessment (内审工作绩效考核结果) as
 * XLSX: one sheet 考核结果, one row per unit in rank order. */
#include "export/export.h"

#include "export/export_internal.h"

#include <stdio.h>
#include <string.h>

#include "util/clock.h"
#include "util/date.h"
#include "util/banned.h"

#define AS_TITLE_ROW  0
#define AS_INFO_ROW   1
#define AS_HEADER_ROW 2
#define AS_FIRST_ROW  3
/* Indicators one sheet shows: the rubric has seven (five, bonus, penalty); a
 * rubric with more than this is refused rather than cut. */
#define AS_MAX_INDICATORS 64
#define AS_MAX_UNITS      (LXW_ROW_MAX - AS_FIRST_ROW - 1)

/* The columns before the indicators. */
enum { C_RANK_DISTRICT, C_RANK_CELL, C_UNIT, C_USCC, C_CELL, C_FIRST_IND };

/* One score column: a group of the rubric (组织建设, …, 加分项, 扣分项: the sum of its
 * items) or one indicator; its code and the header text (name and bound). */
typedef struct as_col {
    const char *code;
    const json_t *members; /* a group's indicator codes, NULL for an indicator */
    char head[200];
} as_col;

/* A state in Chinese; a saved but unsubmitted self-assessment (draft) is 自评中. */
static const char *state_zh(const char *s, bool draft)
{
    static const struct {
        const char *code, *zh;
    } names[] = {{"none", "未自评"},
                 {"self", "已自评"},
                 {"dept", "主管部门已复核"},
                 {"bureau", "审计局已终审"},
                 {"published", "已发布"}};
    if (draft && s && strcmp(s, "none") == 0)
        return "自评中";
    for (size_t i = 0; s && i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i].code) == 0)
            return names[i].zh;
    return "未自评";
}

/* A unit's items: "items" (the compute object) or "result"."items". */
static const json_t *unit_items(const json_t *u)
{
    const json_t *it = json_object_get(u, "items");
    if (!json_is_array(it))
        it = json_object_get(json_object_get(u, "result"), "items");
    return it;
}

/* "17.5", "20", "-5": a score as the pages show it. */
static void score_text(double v, char out[32])
{
    snprintf(out, 32, "%.2f", v);
    char *dot = strchr(out, '.');
    if (!dot)
        return;
    char *end = out + strlen(out) - 1;
    while (end > dot && *end == '0')
        *end-- = '\0';
    if (end == dot)
        *end = '\0';
}

static bool has_code(const as_col *cols, int n, const char *code)
{
    for (int i = 0; i < n; i++)
        if (strcmp(cols[i].code, code) == 0)
            return true;
    return false;
}

static void set_col(as_col *c, const char *code, const json_t *members, const char *name,
                    const json_t *bound)
{
    c->code = code;
    c->members = members;
    if (json_is_number(bound)) {
        char m[32];
        score_text(json_number_value(bound), m);
        snprintf(c->head, sizeof c->head, "%s（%s）", name ? name : code, m);
    } else {
        snprintf(c->head, sizeof c->head, "%s", name ? name : code);
    }
}

static ag_err too_many(ag_error *err)
{
    return ag_fail(err, AG_ERR_INPUT, "indicators", "考核指标过多（最多 %d 项）",
                   "too many indicators (at most %d)", AS_MAX_INDICATORS);
}

/* The group columns, from "groups" [{code, kind, name_zh, max, min, indicators}] of the year
 * object when the caller added them (a penalty group is headed by its min). */
static ag_err group_cols(const json_t *year, as_col *cols, int *n, ag_error *err)
{
    *n = 0;
    const json_t *groups = json_object_get(year, "groups");
    for (size_t i = 0; i < json_array_size(groups); i++) {
        const json_t *g = json_array_get(groups, i);
        const char *code = export_str(g, "code");
        if (!code || has_code(cols, *n, code))
            continue;
        if (*n == AS_MAX_INDICATORS)
            return too_many(err);
        const char *kind = export_str(g, "kind");
        bool penalty = kind && strcmp(kind, "penalty") == 0;
        set_col(&cols[(*n)++], code, json_object_get(g, "indicators"), export_str(g, "name_zh"),
                json_object_get(g, penalty ? "min" : "max"));
    }
    return AG_OK;
}

/* The indicator columns: the rubric's order ("indicators" of the year object when the caller
 * added them), then any other indicator a unit's items carry, named by the item's name_zh. */
static ag_err indicator_cols(const json_t *year, as_col *cols, int *n, ag_error *err)
{
    *n = 0;
    const json_t *inds = json_object_get(year, "indicators");
    for (size_t i = 0; i < json_array_size(inds); i++) {
        const json_t *x = json_array_get(inds, i);
        const char *code = export_str(x, "code");
        if (!code || has_code(cols, *n, code))
            continue;
        if (*n == AS_MAX_INDICATORS)
            return too_many(err);
        const json_t *max = json_object_get(x, "max");
        set_col(&cols[(*n)++], code, NULL, export_str(x, "name_zh"),
                json_is_number(max) ? max : json_object_get(x, "min"));
    }
    const json_t *units = json_object_get(year, "items");
    for (size_t u = 0; u < json_array_size(units); u++) {
        const json_t *items = unit_items(json_array_get(units, u));
        for (size_t i = 0; i < json_array_size(items); i++) {
            const json_t *it = json_array_get(items, i);
            const char *code = export_str(it, "indicator");
            if (!code || has_code(cols, *n, code))
                continue;
            if (*n == AS_MAX_INDICATORS)
                return too_many(err);
            const json_t *max = json_object_get(it, "max");
            set_col(&cols[(*n)++], code, NULL, export_str(it, "name_zh"),
                    json_is_number(max) ? max : json_object_get(it, "min"));
        }
    }
    return AG_OK;
}

/* Whether the item belongs to the column: its own indicator, or a member of its group. */
static bool in_col(const as_col *c, const json_t *it)
{
    const char *code = export_str(it, "indicator");
    if (!code)
        return false;
    if (!c->members)
        return strcmp(code, c->code) == 0;
    const char *g = export_str(it, "group");
    if (g && strcmp(g, c->code) == 0)
        return true;
    for (size_t i = 0; i < json_array_size(c->members); i++) {
        const char *m = json_string_value(json_array_get(c->members, i));
        if (m && strcmp(m, code) == 0)
            return true;
    }
    return false;
}

/* The column's score of a unit: the item's, or the sum of the group's; NULL-like (false)
 * when the unit has none of it. */
static bool col_score(const as_col *c, const json_t *items, double *v)
{
    bool any = false;
    *v = 0;
    for (size_t i = 0; i < json_array_size(items); i++) {
        const json_t *it = json_array_get(items, i);
        const json_t *s = json_object_get(it, "score");
        if (!in_col(c, it))
            continue;
        any = true;
        if (json_is_number(s))
            *v += json_number_value(s);
    }
    return any;
}

/* Checks the shape before anything is written: a refusal leaves no file. */
static ag_err check_year(const json_t *year, ag_error *err)
{
    const json_t *units = json_object_get(year, "items");
    if (!json_is_object(year) || !json_is_array(units))
        return ag_fail(err, AG_ERR_INPUT, "items", "考核结果数据不是对象或缺少单位列表",
                       "the assessment is not an object with a list of units");
    if (json_array_size(units) > AS_MAX_UNITS)
        return ag_fail(err, AG_ERR_INPUT, "items", "单位过多（%zu 个，一张工作表最多 %u 个）",
                       "too many units (%zu, a sheet holds %u)", json_array_size(units),
                       (unsigned)AS_MAX_UNITS);
    for (size_t i = 0; i < json_array_size(units); i++) {
        const json_t *u = json_array_get(units, i);
        if (!json_is_object(u))
            return ag_fail(err, AG_ERR_INPUT, "items", "第 %zu 个单位不是对象",
                           "unit %zu is not an object", i + 1);
        const json_t *items = json_object_get(u, "items");
        if (!items)
            items = json_object_get(json_object_get(u, "result"), "items");
        if (items && !json_is_array(items))
            return ag_fail(err, AG_ERR_INPUT, "items", "第 %zu 个单位的考核明细不是数组",
                           "unit %zu: its items are not an array", i + 1);
    }
    return AG_OK;
}

typedef export_sheet_fmt as_fmt;

static bool formats(export_book *b, as_fmt *f)
{
    return export_sheet_formats(b, f);
}

/* A number cell, or empty when the value is missing. */
static void put_number(export_book *b, lxw_worksheet *ws, uint32_t r, uint16_t c, const json_t *v,
                       lxw_format *num, lxw_format *text)
{
    if (json_is_number(v))
        export_put(b, worksheet_write_number(ws, r, c, json_number_value(v), num));
    else
        export_text(b, ws, r, c, NULL, text);
}

/* The sheet's layout: the score columns before 合计 (the groups, or the indicators when the
 * year names no groups) and the detail columns after 状态 (the indicators, with groups). */
typedef struct as_layout {
    as_col *main, *detail;
    int nmain, ndetail;
    uint16_t total, state; /* their column numbers */
} as_layout;

static void unit_row(export_book *b, lxw_worksheet *ws, const as_fmt *f, const as_layout *l,
                     const json_t *u, uint32_t r)
{
    put_number(b, ws, r, C_RANK_DISTRICT, json_object_get(u, "rank_district"), f->center,
               f->center);
    put_number(b, ws, r, C_RANK_CELL, json_object_get(u, "rank_cell"), f->center, f->center);
    const char *name = export_str(u, "unit_name");
    if (!name)
        name = export_str(u, "unit");
    export_text(b, ws, r, C_UNIT, name, f->text);
    export_text(b, ws, r, C_USCC, export_str(u, "unit"), f->center);
    export_text(b, ws, r, C_CELL, export_str(u, "cell_name"), f->text);
    const json_t *items = unit_items(u);
    for (int pass = 0; pass < 2; pass++) {
        const as_col *cols = pass ? l->detail : l->main;
        int n = pass ? l->ndetail : l->nmain;
        uint16_t first = pass ? (uint16_t)(l->state + 1) : C_FIRST_IND;
        for (int c = 0; c < n; c++) {
            double v;
            if (col_score(&cols[c], items, &v))
                export_put(b, worksheet_write_number(ws, r, (uint16_t)(first + c), v, f->num));
            else
                export_text(b, ws, r, (uint16_t)(first + c), NULL, f->text);
        }
    }
    put_number(b, ws, r, l->total, json_object_get(u, "total"), f->total, f->text);
    export_text(b, ws, r, l->state,
                state_zh(export_str(u, "state"), json_is_true(json_object_get(u, "draft"))),
                f->center);
    export_put(b, worksheet_set_row(ws, r, export_row_height(name, 30, 10, 20), NULL));
}

ag_err export_assess_xlsx(const json_t *year, const char *path, ag_error *err)
{
    ag_err rc = check_year(year, err);
    as_col groups[AS_MAX_INDICATORS], inds[AS_MAX_INDICATORS];
    int ng = 0, ni = 0;
    if (!rc)
        rc = group_cols(year, groups, &ng, err);
    if (!rc)
        rc = indicator_cols(year, inds, &ni, err);
    if (rc)
        return rc;
    as_layout l = {ng ? groups : inds, ng ? inds : NULL, ng ? ng : ni, ng ? ni : 0, 0, 0};
    l.total = (uint16_t)(C_FIRST_IND + l.nmain);
    l.state = (uint16_t)(l.total + 1);
    const uint16_t last = (uint16_t)(l.state + l.ndetail);

    json_int_t y = json_integer_value(json_object_get(year, "year"));
    char title[160];
    snprintf(title, sizeof title, "%lld 年度内部审计工作绩效考核结果", (long long)y);
    export_book b;
    rc = export_book_open(&b, path, title, err);
    if (rc)
        return rc;
    lxw_worksheet *ws = workbook_add_worksheet(b.wb, "考核结果");
    as_fmt f;
    if (!ws || !formats(&b, &f)) {
        export_put(&b, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return export_book_close(&b, err);
    }
    static const double widths[] = {8, 10, 30, 22, 18};
    for (int c = 0; c < C_FIRST_IND; c++)
        export_put(&b, worksheet_set_column(ws, (uint16_t)c, (uint16_t)c, widths[c], NULL));
    export_put(&b, worksheet_set_column(ws, C_FIRST_IND, l.total, 12, NULL));
    export_put(&b, worksheet_set_column(ws, l.state, l.state, 14, NULL));
    if (l.ndetail)
        export_put(&b, worksheet_set_column(ws, (uint16_t)(l.state + 1), last, 12, NULL));

    export_merge_text(&b, ws, AS_TITLE_ROW, 0, AS_TITLE_ROW, l.state, title, f.title);
    export_put(&b, worksheet_set_row(ws, AS_TITLE_ROW, 32, NULL));
    const json_t *units = json_object_get(year, "items");
    /* "cell_name": the caller filtered the year by one cell. */
    const char *cell = export_str(year, "cell_name");
    char today[11], info[400];
    ag_date_format(ag_clock_today(), today);
    snprintf(info, sizeof info, "制表日期：%s　　%s%s共 %zu 个单位　　%s　　合计相同者名次相同",
             today, cell ? cell : "", cell ? "　" : "", json_array_size(units),
             json_is_true(json_object_get(year, "published")) ? "已发布" : "未发布");
    export_merge_text(&b, ws, AS_INFO_ROW, 0, AS_INFO_ROW, l.state, info, f.info);

    static const char *const fixed[] = {"区排名", "网格内排名", "单位", "统一社会信用代码", "网格"};
    for (int c = 0; c < C_FIRST_IND; c++)
        export_text(&b, ws, AS_HEADER_ROW, (uint16_t)c, fixed[c], f.head);
    double hh = 30;
    for (int pass = 0; pass < 2; pass++) {
        const as_col *cols = pass ? l.detail : l.main;
        int n = pass ? l.ndetail : l.nmain;
        uint16_t first = pass ? (uint16_t)(l.state + 1) : C_FIRST_IND;
        for (int c = 0; c < n; c++) {
            export_text(&b, ws, AS_HEADER_ROW, (uint16_t)(first + c), cols[c].head, f.head);
            double t = export_row_height(cols[c].head, 12, 11, 30);
            if (t > hh)
                hh = t;
        }
    }
    export_text(&b, ws, AS_HEADER_ROW, l.total, "合计", f.head);
    export_text(&b, ws, AS_HEADER_ROW, l.state, "状态", f.head);
    export_put(&b, worksheet_set_row(ws, AS_HEADER_ROW, hh, NULL));

    size_t count = json_array_size(units);
    for (size_t i = 0; i < count && b.first == LXW_NO_ERROR; i++)
        unit_row(&b, ws, &f, &l, json_array_get(units, i), (uint32_t)(AS_FIRST_ROW + i));
    if (count > 0)
        export_put(&b, worksheet_autofilter(ws, AS_HEADER_ROW, 0, (uint32_t)(AS_HEADER_ROW + count),
                                            last));

    /* Header in view; printed landscape on A4, one page wide, header on every page. */
    worksheet_freeze_panes(ws, AS_FIRST_ROW, C_USCC);
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9);
    worksheet_set_margins(ws, 0.4, 0.4, 0.6, 0.6);
    worksheet_fit_to_pages(ws, 1, 0);
    export_put(&b, worksheet_repeat_rows(ws, AS_HEADER_ROW, AS_HEADER_ROW));
    export_put(&b, worksheet_set_footer(ws, "&C第 &P 页，共 &N 页"));
    return export_book_close(&b, err);
}
