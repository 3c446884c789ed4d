/* audit_log.c (app) - the audit log page and the chain check with an external anchor. */
#include "app/audit_log.h"

#include <stdio.h>
#include <string.h>

#include "domain/wf_query.h"
#include "util/banned.h"

static const char log_where[] = " FROM audit_log WHERE (? IS NULL OR actor = ?)"
                                " AND (? IS NULL OR tbl = ?)";

/* One entry of the page: {seq, ts, actor, action, table, key, hash}. */
static json_t *log_row(ag_stmt *s)
{
    static const char *const cols[] = {"ts", "actor", "action", "table", "key", "hash"};
    json_t *o = json_pack("{s:I}", "seq", (json_int_t)store_col_int(s, 0));
    for (int i = 0; i < 6; i++) {
        const char *v = store_col_text(s, i + 1);
        json_object_set_new(o, cols[i], v ? json_string(v) : json_null());
    }
    return o;
}

ag_err app_audit_log_page(ag_store *st, const char *actor, const char *table, int64_t limit,
                          int64_t offset, json_t **out, ag_error *err)
{
    *out = NULL;
    char sql[400];
    int64_t total = 0;
    snprintf(sql, sizeof sql, "SELECT COUNT(*)%s", log_where);
    ag_err rc = wf_query_int(st, &total, err, sql, "tttt", actor, actor, table, table);
    if (rc)
        return rc;
    snprintf(sql, sizeof sql,
             "SELECT seq, ts, actor, action, tbl, row_key, hash%s ORDER BY seq DESC LIMIT ? "
             "OFFSET ?",
             log_where);
    ag_stmt *s = NULL;
    json_t *items = NULL;
    rc = wf_prep(st, &s, err, sql, "ttttii", actor, actor, table, table, limit, offset);
    rc = wf_rows(s, rc, log_row, &items, err);
    if (rc)
        return rc;
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
    int64_t seq = 0; /* entries count from 1: 0 is none */
    rc = wf_query_int(st, &seq, err, "SELECT seq FROM audit_log WHERE hash = ?", "t", want);
    if (rc)
        return rc;
    if (seq > 0 && seq <= rep->head_seq) {
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
