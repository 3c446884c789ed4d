/* dashboard.c - the 一张网 dashboard's figures: a few grouped queries over the units in scope. */
#include "domain/dashboard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/guidance.h" /* issue 14 §2 (dept) */
#include "domain/liaison.h"  /* issue 14 §5 (liaison) */
#include "domain/rectify.h"
#include "domain/report.h" /* issue 16 (report) */
#include "domain/soe.h"    /* issue 14 §3–§4 (soe) */
#include "domain/wf_query.h"
#include "util/clock.h"
#include "util/date.h"
#include "util/banned.h"

/* Adds v to the integer member k of o. */
static void add_to(json_t *o, const char *k, int64_t v)
{
    json_object_set_new(o, k, json_integer(json_integer_value(json_object_get(o, k)) + v));
}

static json_t *cell_entry(const char *id, const char *name, const char *kind)
{
    return json_pack("{s:s?,s:s?,s:s?,s:I,s:I,s:I}", "cell_id", id, "name", name, "kind", kind,
                     "units", (json_int_t)0, "open", (json_int_t)0, "total", (json_int_t)0);
}

/* Units, pilots, open warnings by severity, per unit and per cell, from one
 * pass over the units in scope with their warnings. */
static ag_err unit_figures(ag_store *st, const ag_scope *scope, json_t *out, ag_error *err)
{
    json_t *by_unit = json_array(), *cells = json_array(), *cell_ix = json_object();
    json_t *sev = json_pack("{s:I,s:I,s:I,s:I}", "total", (json_int_t)0, "high", (json_int_t)0,
                            "medium", (json_int_t)0, "low", (json_int_t)0);
    json_t *none = NULL; /* the units without a cell */
    int64_t units = 0, pilots = 0;
    ag_stmt *s = NULL;
    bool row = false;
    /* The cells in grid order; only those that hold a unit in scope stay. */
    ag_err rc =
        store_prepare(st, "SELECT id, name, kind FROM grid_cell ORDER BY sort_order, id", &s, err);
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        json_t *c = cell_entry(store_col_text(s, 0), store_col_text(s, 1), store_col_text(s, 2));
        json_object_set(cell_ix, store_col_text(s, 0), c);
        json_array_append_new(cells, c);
    }
    store_finalize(s);
    if (!rc)
        rc = scope_prepare(st, scope, "u.code",
                           "SELECT u.code, u.cell_id, u.pilot,"
                           " SUM(CASE WHEN w.status = 'open' AND w.severity = 'high'"
                           " THEN 1 ELSE 0 END),"
                           " SUM(CASE WHEN w.status = 'open' AND w.severity = 'medium'"
                           " THEN 1 ELSE 0 END),"
                           " SUM(CASE WHEN w.status = 'open' AND w.severity = 'low'"
                           " THEN 1 ELSE 0 END),"
                           " COUNT(w.id),"
                           /* issue 15 §1 (rating): the grade of the latest published year */
                           " (SELECT g.grade FROM rating_grade g JOIN rating_year y"
                           " ON y.year = g.year WHERE g.unit_code = u.code"
                           " AND y.published_at IS NOT NULL AND g.grade IS NOT NULL"
                           " ORDER BY g.year DESC LIMIT 1)"
                           " FROM unit u LEFT JOIN warning w ON w.unit_code = u.code WHERE ",
                           " GROUP BY u.code, u.cell_id, u.pilot ORDER BY u.code", &s, NULL, err,
                           "");
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        int64_t high = store_col_int(s, 3), medium = store_col_int(s, 4), low = store_col_int(s, 5);
        int64_t open = high + medium + low, total = store_col_int(s, 6);
        units++;
        pilots += store_col_int(s, 2) != 0;
        json_array_append_new(by_unit,
                              json_pack("{s:s,s:I,s:I,s:I,s:I,s:s?}", "code", store_col_text(s, 0),
                                        "open", (json_int_t)open, "high", (json_int_t)high,
                                        "medium", (json_int_t)medium, "low", (json_int_t)low,
                                        /* the 0–5A internal-control grade of the latest
                                         * published year (issue 15 §1), null while none */
                                        "grade", store_col_text(s, 7)));
        add_to(sev, "total", open);
        add_to(sev, "high", high);
        add_to(sev, "medium", medium);
        add_to(sev, "low", low);
        const char *cell = store_col_text(s, 1);
        json_t *c = cell ? json_object_get(cell_ix, cell) : NULL;
        if (!c) {
            /* No cell (or, defensively, one missing from grid_cell). */
            if (!none)
                none = cell_entry(NULL, NULL, NULL);
            c = none;
        }
        add_to(c, "units", 1);
        add_to(c, "open", open);
        add_to(c, "total", total);
    }
    store_finalize(s);
    for (size_t i = json_array_size(cells); !rc && i-- > 0;)
        if (json_integer_value(json_object_get(json_array_get(cells, i), "units")) == 0)
            json_array_remove(cells, i);
    if (!rc && none)
        json_array_append(cells, none);
    if (!rc) {
        json_object_set_new(out, "units", json_integer(units));
        json_object_set_new(out, "pilot_units", json_integer(pilots));
        json_object_set(out, "open_warnings", sev);
        json_object_set(out, "by_cell", cells);
        json_object_set(out, "by_unit", by_unit);
    }
    json_decref(by_unit);
    json_decref(cells);
    json_decref(cell_ix);
    json_decref(sev);
    json_decref(none);
    return rc;
}

/* Warnings by catalog item: the items in force (with zeros), then others. */
static ag_err item_figures(ag_store *st, const ag_scope *scope, json_t *out, ag_error *err)
{
    json_t *items = json_array(), *ix = json_object();
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = store_prepare(st,
                              "SELECT code, kind, name_zh, name_en FROM catalog_item"
                              " WHERE version = (SELECT MAX(version) FROM catalog_version)"
                              " ORDER BY sort_order, code",
                              &s, err);
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        json_t *it = json_pack("{s:s,s:s?,s:s?,s:s?,s:I,s:I}", "item", store_col_text(s, 0), "kind",
                               store_col_text(s, 1), "name_zh", store_col_text(s, 2), "name_en",
                               store_col_text(s, 3), "open", (json_int_t)0, "total", (json_int_t)0);
        json_object_set(ix, store_col_text(s, 0), it);
        json_array_append_new(items, it);
    }
    store_finalize(s);
    if (!rc)
        rc = scope_prepare(st, scope, "unit_code",
                           "SELECT item, SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END),"
                           " COUNT(*) FROM warning WHERE ",
                           " GROUP BY item ORDER BY item", &s, NULL, err, "");
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        const char *code = store_col_text(s, 0);
        json_t *it = json_object_get(ix, code);
        if (!it) {
            /* An item of an older catalog version, kept by its warnings. */
            it = json_pack("{s:s,s:n,s:n,s:n,s:I,s:I}", "item", code, "kind", "name_zh", "name_en",
                           "open", (json_int_t)0, "total", (json_int_t)0);
            json_object_set(ix, code, it);
            json_array_append_new(items, it);
        }
        add_to(it, "open", store_col_int(s, 1));
        add_to(it, "total", store_col_int(s, 2));
    }
    store_finalize(s);
    if (!rc)
        json_object_set(out, "by_item", items);
    json_decref(items);
    json_decref(ix);
    return rc;
}

/* The civil month (UTC+8) holding `now` as "YYYY-MM", and its bounds as
 * ISO-8601 UTC instants [from, to). */
static void month_bounds(int64_t now, char month[16], char from[21], char to[21])
{
    const int64_t tz = 8 * 3600;
    int64_t local = now + tz;
    int32_t today = (int32_t)(local >= 0 ? local / 86400 : (local - 86399) / 86400);
    ag_date d = ag_date_from_days(today);
    ag_date first = {d.year, d.month, 1};
    ag_date next = {d.month == 12 ? d.year + 1 : d.year, d.month == 12 ? 1 : d.month + 1, 1};
    snprintf(month, 16, "%04d-%02d", d.year % 10000, d.month % 100);
    ag_clock_format((int64_t)ag_date_to_days(first) * 86400 - tz, from);
    ag_clock_format((int64_t)ag_date_to_days(next) * 86400 - tz, to);
}

static ag_err import_figures(ag_store *st, const ag_scope *scope, int64_t now, json_t *out,
                             ag_error *err)
{
    char month[16], from[21], to[21];
    month_bounds(now, month, from, to);
    ag_stmt *s = NULL;
    int64_t n = 0;
    ag_err rc = scope_prepare(st, scope, "unit_code",
                              "SELECT COUNT(*) FROM ledger_source"
                              " WHERE imported_at >= ? AND imported_at < ? AND ",
                              "", &s, NULL, err, "tt", from, to);
    rc = wf_step_int(s, rc, &n, err);
    if (!rc) {
        json_object_set_new(out, "month", json_string(month));
        json_object_set_new(out, "imports_this_month", json_integer(n));
    }
    return rc;
}

static int by_code(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The rectification figures (整改) of rectify_summary over the same scope,
 * with its per-unit counts as an array by code like by_unit, and the items
 * not yet closed (未销号: open, in_progress, claimed, continuous). */
static ag_err rect_figures(ag_store *st, const ag_scope *scope, json_t *out, ag_error *err)
{
    json_t *sum = NULL;
    ag_err rc = rectify_summary(st, scope, &sum, err);
    if (rc)
        return rc;
    json_t *units = json_object_get(sum, "by_unit");
    size_t n = json_object_size(units), k = 0;
    const char **codes = calloc(n ? n : 1, sizeof *codes);
    if (!codes) {
        json_decref(sum);
        return ag_fail(err, AG_ERR_NOMEM, "dashboard", "内存不足", "out of memory");
    }
    const char *code;
    json_t *v;
    json_object_foreach(units, code, v) codes[k++] = code;
    qsort(codes, n, sizeof *codes, by_code);
    json_t *arr = json_array();
    for (k = 0; k < n; k++) {
        v = json_object_get(units, codes[k]);
        json_array_append_new(arr, json_pack("{s:s,s:O,s:O}", "code", codes[k], "open",
                                             json_object_get(v, "open"), "overdue",
                                             json_object_get(v, "overdue")));
    }
    free(codes);
    json_int_t open = json_integer_value(json_object_get(sum, "open"));
    json_int_t claimed = json_integer_value(json_object_get(sum, "claimed"));
    json_int_t cont = json_integer_value(json_object_get(sum, "continuous"));
    json_object_set_new(out, "rectification",
                        json_pack("{s:I,s:I,s:O,s:I,s:I,s:O,s:o}", "not_closed",
                                  open + claimed + cont, "open", open, "overdue",
                                  json_object_get(sum, "overdue"), "claimed", claimed, "continuous",
                                  cont, "closed", json_object_get(sum, "closed"), "by_unit", arr));
    json_decref(sum);
    return AG_OK;
}

ag_err dashboard_get(ag_store *st, const ag_scope *scope, int64_t now, json_t **out, ag_error *err)
{
    *out = NULL;
    ag_scope all = {.role = AG_ROLE_ADMIN};
    if (!scope)
        scope = &all;
    json_t *o = json_object();
    /* The keys in the order the page shows them; the figures fill them in. */
    static const char *const keys[] = {
        "month",   "units",   "pilot_units", "open_warnings", "imports_this_month",
        "by_item", "by_cell", "by_unit",     "rectification"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        json_object_set_new(o, keys[i], json_null());
    ag_err rc = import_figures(st, scope, now, o, err);
    if (!rc)
        rc = unit_figures(st, scope, o, err);
    if (!rc)
        rc = item_figures(st, scope, o, err);
    if (!rc)
        rc = rect_figures(st, scope, o, err);
    /* issue 14 §2 (dept): overdue guidance opinions (指导意见逾期未答复). */
    json_t *guidance = NULL;
    if (!rc)
        rc = guidance_dashboard(st, scope, &guidance, err);
    if (!rc)
        json_object_set_new(o, "guidance", guidance);
    /* end issue 14 §2 (dept) */
    /* issue 14 §5 (liaison): units whose contact or visit cadence slipped as of today. */
    json_t *liaison = NULL;
    if (!rc)
        rc = liaison_figures(st, scope, ag_clock_today(), &liaison, err);
    if (!rc)
        json_object_set_new(o, "liaison", liaison);
    /* end issue 14 §5 (liaison) */
    /* issue 14 §3–§4 (soe): SOE groups without a chief auditor; units missing an internal-audit
     * body, a supervising leader or a working-group place. */
    if (!rc)
        rc = soe_dashboard(st, scope, o, err);
    /* end issue 14 §3–§4 (soe) */
    /* issue 16 (report): reports late or missing past their due day, the bureau's filing queue,
     * returned ones and those due within 14 days. */
    json_t *reports = NULL;
    if (!rc)
        rc = report_figures(st, scope, ag_clock_today(), &reports, err);
    if (!rc)
        json_object_set_new(o, "reports", reports);
    /* end issue 16 (report) */
    if (rc) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return AG_OK;
}
