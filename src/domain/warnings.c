/* warnings.c - recording scan results without duplicates, and listing them. */
#include "domain/warnings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
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

ag_err warnings_list(ag_store *st, const warnings_filter *f, json_t **out, ag_error *err)
{
    *out = NULL;
    static const char where[] =
        " FROM warning WHERE (? IS NULL OR unit_code = ?) AND (? IS NULL OR item = ?)"
        " AND (? IS NULL OR rule = ?) AND (? IS NULL OR status = ?) AND (? IS NULL OR severity = "
        "?)";
    char sql[1024];
    const char *vals[] = {f->unit_code, f->item, f->rule, f->status, f->severity};
    int64_t total = 0;
    ag_stmt *s = NULL;
    bool row = false;
    snprintf(sql, sizeof sql, "SELECT COUNT(*)%s", where);
    ag_err rc = store_prepare(st, sql, &s, err);
    for (int k = 0; !rc && k < 5; k++) {
        rc = store_bind_text(s, 2 * k + 1, vals[k]);
        if (!rc)
            rc = store_bind_text(s, 2 * k + 2, vals[k]);
    }
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row)
        total = store_col_int(s, 0);
    store_finalize(s);
    s = NULL;
    snprintf(sql, sizeof sql,
             "SELECT id, unit_code, item, rule, severity, warn_date, voucher, line, amount,"
             " message, evidence, catalog_version, status, status_reason, status_by, status_at"
             "%s ORDER BY unit_code, warn_date, id LIMIT ? OFFSET ?",
             where);
    if (!rc)
        rc = store_prepare(st, sql, &s, err);
    for (int k = 0; !rc && k < 5; k++) {
        rc = store_bind_text(s, 2 * k + 1, vals[k]);
        if (!rc)
            rc = store_bind_text(s, 2 * k + 2, vals[k]);
    }
    if (!rc)
        rc = store_bind_int(s, 11, f->limit > 0 ? f->limit : 100);
    if (!rc)
        rc = store_bind_int(s, 12, f->offset > 0 ? f->offset : 0);
    json_t *items = json_array();
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        char amount[24];
        ag_money_format(store_col_int(s, 8), amount);
        json_t *ev = json_loads(store_col_text(s, 10), 0, NULL);
        json_t *o = json_pack(
            "{s:I,s:s,s:s,s:s,s:s,s:s,s:s?,s:o,s:s,s:s,s:o,s:s,s:s}", "id",
            (json_int_t)store_col_int(s, 0), "unit", store_col_text(s, 1), "item",
            store_col_text(s, 2), "rule", store_col_text(s, 3), "severity", store_col_text(s, 4),
            "date", store_col_text(s, 5), "voucher", store_col_text(s, 6), "line",
            store_col_is_null(s, 7) ? json_null() : json_integer(store_col_int(s, 7)), "amount",
            amount, "message", store_col_text(s, 9), "evidence", ev ? ev : json_object(),
            "catalog_version", store_col_text(s, 11), "status", store_col_text(s, 12));
        const char *keys[] = {"status_reason", "status_by", "status_at"};
        for (int k = 0; k < 3; k++) {
            const char *t = store_col_text(s, 13 + k);
            json_object_set_new(o, keys[k], t ? json_string(t) : json_null());
        }
        json_array_append_new(items, o);
    }
    store_finalize(s);
    if (rc) {
        json_decref(items);
        return rc;
    }
    *out = json_pack("{s:I,s:o}", "total", (json_int_t)total, "items", items);
    return AG_OK;
}
