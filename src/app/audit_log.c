/* audit_log.c (app) - the audit log page and the chain check with an external anchor. */
#include "app/audit_log.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util/banned.h"

static const char log_where[] = " FROM audit_log WHERE (? IS NULL OR actor = ?)"
                                " AND (? IS NULL OR tbl = ?)";

static ag_err bind_filter(ag_stmt *s, const char *actor, const char *table)
{
    ag_err rc = AG_OK;
    for (int i = 0; !rc && i < 2; i++) {
        const char *v = i ? table : actor;
        rc = store_bind_text(s, 2 * i + 1, v);
        if (!rc)
            rc = store_bind_text(s, 2 * i + 2, v);
    }
    return rc;
}

ag_err app_audit_log_page(ag_store *st, const char *actor, const char *table, int64_t limit,
                          int64_t offset, json_t **out, ag_error *err)
{
    *out = NULL;
    char sql[400];
    ag_stmt *s = NULL;
    bool row = false;
    int64_t total = 0;
    snprintf(sql, sizeof sql, "SELECT COUNT(*)%s", log_where);
    ag_err rc = store_prepare(st, sql, &s, err);
    if (!rc)
        rc = bind_filter(s, actor, table);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row)
        total = store_col_int(s, 0);
    store_finalize(s);
    s = NULL;
    snprintf(sql, sizeof sql,
             "SELECT seq, ts, actor, action, tbl, row_key, hash%s ORDER BY seq DESC LIMIT ? "
             "OFFSET ?",
             log_where);
    if (!rc)
        rc = store_prepare(st, sql, &s, err);
    if (!rc)
        rc = bind_filter(s, actor, table);
    if (!rc)
        rc = store_bind_int(s, 5, limit);
    if (!rc)
        rc = store_bind_int(s, 6, offset);
    json_t *items = json_array();
    static const char *const cols[] = {"ts", "actor", "action", "table", "key", "hash"};
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        json_t *o = json_object();
        json_object_set_new(o, "seq", json_integer(store_col_int(s, 0)));
        for (int i = 0; i < 6; i++) {
            const char *v = store_col_text(s, i + 1);
            json_object_set_new(o, cols[i], v ? json_string(v) : json_null());
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

static bool hex64(const char *s)
{
    return s && strlen(s) == 64 && strspn(s, "0123456789abcdefABCDEF") == 64;
}

ag_err app_audit_log_verify(ag_store *st, const char *expect, ag_audit_report *rep,
                            int64_t *anchor_seq, ag_error *err)
{
    if (anchor_seq)
        *anchor_seq = 0;
    if (expect && !hex64(expect)) {
        memset(rep, 0, sizeof *rep);
        return ag_fail(err, AG_ERR_USAGE, "expect",
                       "锚点应为 audit-log head 输出的64位十六进制哈希",
                       "the anchor is the 64-hex-digit hash printed by audit-log head");
    }
    ag_err rc = store_audit_verify(st, rep, err);
    if (rc || !expect)
        return rc;
    char want[65];
    for (int i = 0; i < 65; i++) /* hashes are stored in lower case */
        want[i] = expect[i] >= 'A' && expect[i] <= 'F' ? (char)(expect[i] + 32) : expect[i];
    if (!strcmp(rep->head_hash, want)) {
        if (anchor_seq)
            *anchor_seq = rep->head_seq;
        return AG_OK;
    }
    /* Not the head: an entry the log has grown past since the anchor was taken? */
    ag_stmt *s = NULL;
    bool row = false;
    rc = store_prepare(st, "SELECT seq FROM audit_log WHERE hash = ?", &s, err);
    if (!rc)
        rc = store_bind_text(s, 1, want);
    if (!rc)
        rc = store_step(s, &row, err);
    int64_t seq = row ? store_col_int(s, 0) : 0;
    store_finalize(s);
    if (rc)
        return rc;
    if (row && seq <= rep->head_seq) {
        if (anchor_seq)
            *anchor_seq = seq;
        return AG_OK;
    }
    rep->bad_seq = rep->head_seq + 1;
    snprintf(rep->reason, sizeof rep->reason,
             "the anchor %.12s… is not in the log, which now ends at entry %lld: entries after "
             "it were removed and the chain head moved back",
             want, (long long)rep->head_seq);
    snprintf(rep->reason_zh, sizeof rep->reason_zh,
             "锚点 %.12s… 不在日志中，日志现止于第 %lld 条：其后的记录被删除、链头被回退", want,
             (long long)rep->head_seq);
    ag_fail(err, AG_ERR_TAMPER, "audit_head", "审计日志与锚点不符：%s",
            "the audit log does not match the anchor", rep->reason_zh);
    if (err)
        snprintf(err->en, sizeof err->en, "the audit log does not match the anchor: %s",
                 rep->reason);
    return AG_ERR_TAMPER;
}
