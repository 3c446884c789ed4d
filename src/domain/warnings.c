/* warnings.c - recording scan results without duplicates, and listing them. */
#include "domain/warnings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "util/date.h"
#include "util/encoding.h"
#include "util/money.h"
#include "util/banned.h"

static int64_t fen_of(const char *s)
{
    int64_t v = 0;
    return s && ag_money_parse(s, strlen(s), &v) ? v : 0;
}

ag_err warnings_record(ag_store *st, const warnings_run *run, json_t *warnings, int64_t *new_count,
                       int64_t *run_id, ag_error *err)
{
    char ts[21], secs[32];
    ag_clock_format(ag_clock_now(), ts);
    snprintf(secs, sizeof secs, "%.3f", run->seconds);
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    ag_stmt *s = NULL, *upd = NULL;
    bool row = false;
    int64_t id = 0, added = 0;
    rc = store_prepare(st,
                       "INSERT INTO scan_run (started_at, actor, unit_code, fiscal_year,"
                       " catalog_version, rows, warnings, new_warnings, seconds) VALUES"
                       " (?, ?, ?, ?, ?, ?, ?, 0, ?) RETURNING id",
                       &s, err);
    if (!rc)
        rc = store_bind_text(s, 1, ts);
    if (!rc)
        rc = store_bind_text(s, 2, store_actor(st));
    if (!rc)
        rc = store_bind_text(s, 3, run->unit_code);
    if (!rc)
        rc = run->year ? store_bind_int(s, 4, run->year) : store_bind_null(s, 4);
    if (!rc)
        rc = store_bind_text(s, 5, run->catalog_version);
    if (!rc)
        rc = store_bind_int(s, 6, run->rows);
    if (!rc)
        rc = store_bind_int(s, 7, (int64_t)json_array_size(warnings));
    if (!rc)
        rc = store_bind_text(s, 8, secs);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row)
        id = store_col_int(s, 0);
    while (!rc && row)
        rc = store_step(s, &row, err);
    store_finalize(s);
    s = NULL;
    if (!rc)
        rc = store_prepare(
            st,
            "INSERT INTO warning (fingerprint, unit_code, item, rule, severity,"
            " warn_date, voucher, line, amount, message, evidence, catalog_version,"
            " first_scan, last_scan) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (fingerprint) DO NOTHING RETURNING id",
            &s, err);
    if (!rc)
        rc = store_prepare(st, "UPDATE warning SET last_scan = ? WHERE fingerprint = ?", &upd, err);
    for (size_t i = 0; !rc && i < json_array_size(warnings); i++) {
        json_t *w = json_array_get(warnings, i);
        const char *fp = json_string_value(json_object_get(w, "fingerprint"));
        char *evidence = json_dumps(json_object_get(w, "evidence"), JSON_COMPACT);
        json_t *line = json_object_get(w, "line");
        rc = store_reset(s, err);
        const char *texts[] = {fp,
                               json_string_value(json_object_get(w, "unit")),
                               json_string_value(json_object_get(w, "item")),
                               json_string_value(json_object_get(w, "rule")),
                               json_string_value(json_object_get(w, "severity")),
                               json_string_value(json_object_get(w, "date")),
                               json_string_value(json_object_get(w, "voucher"))};
        for (int k = 0; !rc && k < 7; k++)
            rc = store_bind_text(s, k + 1, texts[k]);
        if (!rc)
            rc = json_is_integer(line) ? store_bind_int(s, 8, json_integer_value(line))
                                       : store_bind_null(s, 8);
        if (!rc)
            rc = store_bind_int(s, 9, fen_of(json_string_value(json_object_get(w, "amount"))));
        if (!rc)
            rc = store_bind_text(s, 10, json_string_value(json_object_get(w, "message")));
        if (!rc)
            rc = store_bind_text(s, 11, evidence ? evidence : "{}");
        if (!rc)
            rc = store_bind_text(s, 12, run->catalog_version);
        if (!rc)
            rc = store_bind_int(s, 13, id);
        if (!rc)
            rc = store_bind_int(s, 14, id);
        /* A row comes back only when the warning is new. */
        bool inserted = false;
        if (!rc)
            rc = store_step(s, &inserted, err);
        free(evidence);
        if (!rc && inserted) {
            bool more = true;
            while (!rc && more)
                rc = store_step(s, &more, err);
            added++;
        } else if (!rc) {
            rc = store_reset(upd, err);
            if (!rc)
                rc = store_bind_int(upd, 1, id);
            if (!rc)
                rc = store_bind_text(upd, 2, fp);
            if (!rc)
                rc = store_step(upd, &row, err);
        }
    }
    store_finalize(s);
    store_finalize(upd);
    if (!rc) {
        char sql_id[24], n[24];
        snprintf(sql_id, sizeof sql_id, "%lld", (long long)id);
        snprintf(n, sizeof n, "%lld", (long long)added);
        ag_stmt *u = NULL;
        rc = store_prepare(st, "UPDATE scan_run SET new_warnings = ? WHERE id = ?", &u, err);
        if (!rc)
            rc = store_bind_int(u, 1, added);
        if (!rc)
            rc = store_bind_int(u, 2, id);
        if (!rc)
            rc = store_step(u, &row, err);
        store_finalize(u);
        if (!rc)
            rc = store_audit_append(st, "scan", "scan_run", sql_id, NULL, NULL, err);
    }
    if (rc) {
        store_rollback(st);
        return rc;
    }
    rc = store_commit(st, err);
    if (!rc && new_count)
        *new_count = added;
    if (!rc && run_id)
        *run_id = id;
    return rc;
}

#define WARNING_COLS                                                                               \
    "SELECT id, unit_code, item, rule, severity, warn_date, voucher, line, amount,"                \
    " message, evidence, catalog_version, status, status_reason, status_by, status_at"

/* One row of WARNING_COLS as the JSON object the list and the API give. */
static json_t *warning_row(ag_stmt *s)
{
    char amount[24];
    ag_money_format(store_col_int(s, 8), amount);
    json_t *ev = json_loads(store_col_text(s, 10), 0, NULL);
    json_t *o = json_pack(
        "{s:I,s:s,s:s,s:s,s:s,s:s,s:s?,s:o,s:s,s:s,s:o,s:s,s:s}", "id",
        (json_int_t)store_col_int(s, 0), "unit", store_col_text(s, 1), "item", store_col_text(s, 2),
        "rule", store_col_text(s, 3), "severity", store_col_text(s, 4), "date",
        store_col_text(s, 5), "voucher", store_col_text(s, 6), "line",
        store_col_is_null(s, 7) ? json_null() : json_integer(store_col_int(s, 7)), "amount", amount,
        "message", store_col_text(s, 9), "evidence", ev ? ev : json_object(), "catalog_version",
        store_col_text(s, 11), "status", store_col_text(s, 12));
    const char *keys[] = {"status_reason", "status_by", "status_at"};
    for (int k = 0; o && k < 3; k++) {
        const char *t = store_col_text(s, 13 + k);
        json_object_set_new(o, keys[k], t ? json_string(t) : json_null());
    }
    return o;
}

/* The optional conditions, each with its value bound twice ("? IS NULL OR
 * ..."), in the order of filter_values(). */
static const char filter_where[] =
    " FROM warning WHERE (? IS NULL OR unit_code = ?) AND (? IS NULL OR item = ?)"
    " AND (? IS NULL OR rule = ?) AND (? IS NULL OR status = ?)"
    " AND (? IS NULL OR severity = ?)"
    " AND (? IS NULL OR unit_code IN (SELECT code FROM unit WHERE cell_id = ?))"
    " AND (? IS NULL OR warn_date >= ?) AND (? IS NULL OR warn_date <= ?)";
#define FILTER_VALUES 8

static void filter_values(const warnings_filter *f, const char *vals[FILTER_VALUES])
{
    vals[0] = f->unit_code;
    vals[1] = f->item;
    vals[2] = f->rule;
    vals[3] = f->status;
    vals[4] = f->severity;
    vals[5] = f->cell_id;
    vals[6] = f->date_from;
    vals[7] = f->date_to;
}

/* The sort keys and their ORDER BY; every order ends in the default one so
 * that pages never overlap. Severity ranks low < medium < high. */
static const struct {
    const char *key;
    const char *order;
} sorts[] = {
    {"unit", "unit_code, warn_date, id"},
    {"-unit", "unit_code DESC, warn_date, id"},
    {"date", "warn_date, unit_code, id"},
    {"-date", "warn_date DESC, unit_code, id"},
    {"amount", "amount, unit_code, warn_date, id"},
    {"-amount", "amount DESC, unit_code, warn_date, id"},
    {"severity", "CASE severity WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END,"
                 " unit_code, warn_date, id"},
    {"-severity", "CASE severity WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END DESC,"
                  " unit_code, warn_date, id"},
};

static const char *sort_order(const char *key)
{
    if (!key)
        return sorts[0].order;
    for (size_t i = 0; i < sizeof sorts / sizeof sorts[0]; i++)
        if (!strcmp(key, sorts[i].key))
            return sorts[i].order;
    return NULL;
}

/* True for exactly YYYY-MM-DD naming a real day. */
static bool iso_date(const char *s, int32_t *days)
{
    return strlen(s) == 10 && s[4] == '-' && s[7] == '-' && ag_date_parse(s, 10, days);
}

ag_err warnings_filter_check(const warnings_filter *f, ag_error *err)
{
    int32_t from = 0, to = 0;
    if (f->date_from && !iso_date(f->date_from, &from))
        return ag_fail(err, AG_ERR_USAGE, "from", "from 应为 YYYY-MM-DD 格式的有效日期",
                       "from is a valid date as YYYY-MM-DD");
    if (f->date_to && !iso_date(f->date_to, &to))
        return ag_fail(err, AG_ERR_USAGE, "to", "to 应为 YYYY-MM-DD 格式的有效日期",
                       "to is a valid date as YYYY-MM-DD");
    if (f->date_from && f->date_to && from > to)
        return ag_fail(err, AG_ERR_USAGE, "from", "起始日期 %s 晚于截止日期 %s",
                       "from %s is after to %s", f->date_from, f->date_to);
    if (!sort_order(f->sort))
        return ag_fail(err, AG_ERR_USAGE, "sort", "sort 应为 %s 之一", "sort is one of %s",
                       WARNINGS_SORTS);
    return AG_OK;
}

/* Binds the optional filters (each twice) and then the scope from index 1. */
static ag_err bind_filter(ag_stmt *s, const char *const vals[FILTER_VALUES], const scope_sql *q,
                          int *next)
{
    ag_err rc = AG_OK;
    for (int k = 0; !rc && k < FILTER_VALUES; k++) {
        rc = store_bind_text(s, 2 * k + 1, vals[k]);
        if (!rc)
            rc = store_bind_text(s, 2 * k + 2, vals[k]);
    }
    if (!rc)
        rc = scope_bind(s, q, 2 * FILTER_VALUES + 1, next);
    return rc;
}

ag_err warnings_list(ag_store *st, const warnings_filter *f, json_t **out, ag_error *err)
{
    return warnings_list_scoped(st, f, NULL, out, err);
}

ag_err warnings_list_scoped(ag_store *st, const warnings_filter *f, const ag_scope *scope,
                            json_t **out, ag_error *err)
{
    *out = NULL;
    ag_err rc = warnings_filter_check(f, err);
    if (rc)
        return rc;
    char sql[2048];
    const char *vals[FILTER_VALUES];
    filter_values(f, vals);
    scope_sql q;
    ag_scope all = {.role = AG_ROLE_ADMIN};
    rc = scope_predicate(scope ? scope : &all, "unit_code", &q, err);
    if (rc)
        return rc;
    int64_t total = 0;
    ag_stmt *s = NULL;
    bool row = false;
    int next = 0;
    snprintf(sql, sizeof sql, "SELECT COUNT(*)%s AND %s", filter_where, q.text);
    rc = store_prepare(st, sql, &s, err);
    if (!rc)
        rc = bind_filter(s, vals, &q, &next);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row)
        total = store_col_int(s, 0);
    store_finalize(s);
    s = NULL;
    snprintf(sql, sizeof sql, WARNING_COLS "%s AND %s ORDER BY %s LIMIT ? OFFSET ?", filter_where,
             q.text, sort_order(f->sort));
    if (!rc)
        rc = store_prepare(st, sql, &s, err);
    if (!rc)
        rc = bind_filter(s, vals, &q, &next);
    if (!rc)
        rc = store_bind_int(s, next, f->limit > 0 ? f->limit : 100);
    if (!rc)
        rc = store_bind_int(s, next + 1, f->offset > 0 ? f->offset : 0);
    json_t *items = json_array();
    while (!rc && !(rc = store_step(s, &row, err)) && row)
        json_array_append_new(items, warning_row(s));
    store_finalize(s);
    if (rc) {
        json_decref(items);
        return rc;
    }
    *out = json_pack("{s:I,s:o}", "total", (json_int_t)total, "items", items);
    return AG_OK;
}

static ag_err no_warning(int64_t id, ag_error *err)
{
    char where[32];
    snprintf(where, sizeof where, "warning#%lld", (long long)id);
    return ag_fail(err, AG_ERR_NOTFOUND, where, "预警 %lld 不存在", "no warning %lld",
                   (long long)id);
}

static json_t *warning_row_of(ag_stmt *s, void *ctx)
{
    (void)ctx;
    return warning_row(s);
}

ag_err warnings_get(ag_store *st, int64_t id, const ag_scope *scope, json_t **out, ag_error *err)
{
    ag_err rc = scope_select_one(st, scope, WARNING_COLS " FROM warning", "id", "unit_code", id,
                                 warning_row_of, NULL, out, err);
    if (!rc && !*out)
        rc = no_warning(id, err);
    return rc;
}

ag_err warnings_triage(ag_store *st, int64_t id, const ag_scope *scope, const char *action,
                       const char *reason, const char *by, json_t **out, ag_error *err)
{
    if (out)
        *out = NULL;
    static const char *const actions[][2] = {
        {"acknowledge", "acknowledged"}, {"dismiss", "dismissed"}, {"escalate", "escalated"}};
    const char *status = NULL;
    for (size_t i = 0; action && i < 3; i++)
        if (!strcmp(action, actions[i][0]))
            status = actions[i][1];
    if (!status)
        return ag_fail(err, AG_ERR_INPUT, "action",
                       "处理方式应为 acknowledge（确认）、dismiss（排除）或 escalate（上报）",
                       "action is acknowledge, dismiss or escalate");
    size_t rlen = reason ? strlen(reason) : 0;
    /* Whitespace alone is no reason. */
    bool blank = rlen == 0 || strspn(reason, " \t\r\n") == rlen;
    if (!strcmp(status, "dismissed") && blank)
        return ag_fail(err, AG_ERR_INPUT, "reason", "排除预警须说明理由",
                       "dismissing a warning needs a reason");
    if (rlen > 2000 || (reason && !ag_utf8_valid(reason, rlen, false)))
        return ag_fail(err, AG_ERR_INPUT, "reason", "理由须为不超过2000字节的 UTF-8 文本",
                       "the reason is UTF-8 text of at most 2000 bytes");
    json_t *cur = NULL;
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = warnings_get(st, id, scope, &cur, err);
    if (!rc && !strcmp(json_string_value(json_object_get(cur, "status")), status))
        rc = ag_fail(err, AG_ERR_EXISTS, "status", "预警 %lld 已是该状态（%s）",
                     "warning %lld already has status %s", (long long)id, status);
    json_decref(cur);
    char ts[21];
    ag_clock_format(ag_clock_now(), ts);
    ag_field f[] = {ag_field_text("status", status),
                    ag_field_text("status_reason", blank ? NULL : reason),
                    ag_field_text("status_by", by), ag_field_text("status_at", ts)};
    if (!rc)
        rc = store_update(st, "warning", "id", ag_field_int("id", id), f, 4, err);
    if (!rc && out)
        rc = warnings_get(st, id, scope, out, err);
    if (rc) {
        store_rollback(st);
        if (out) {
            json_decref(*out);
            *out = NULL;
        }
        return rc;
    }
    return store_commit(st, err);
}
