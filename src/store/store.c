/* store.c - the backend-neutral half of the store: transactions, migrations, audited writes. */
#include "store/store.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/backend.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/hash.h"
#include "util/banned.h"

#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"
#define SQL_MAX      (64u * 1024u)

struct ag_store {
    const store_backend *be;
    void *conn;
    int depth; /* open transaction levels */
    int schema_version;
    char actor[128];
};

struct ag_stmt {
    ag_store *st;
    void *impl;
};

/* ---- plumbing ----------------------------------------------------------- */

ag_err store_exec(ag_store *st, const char *sql, ag_error *err)
{
    return st->be->exec(st->conn, sql, err);
}

ag_err store_prepare(ag_store *st, const char *sql, ag_stmt **out, ag_error *err)
{
    ag_stmt *s = calloc(1, sizeof *s);
    if (!s)
        return ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    ag_err rc = st->be->prepare(st->conn, sql, &s->impl, err);
    if (rc) {
        free(s);
        return rc;
    }
    s->st = st;
    *out = s;
    return AG_OK;
}

ag_err store_bind_int(ag_stmt *s, int idx, int64_t v)
{
    return s->st->be->bind_int(s->impl, idx, v);
}

ag_err store_bind_text(ag_stmt *s, int idx, const char *v)
{
    return s->st->be->bind_text(s->impl, idx, v);
}

ag_err store_bind_null(ag_stmt *s, int idx)
{
    return s->st->be->bind_null(s->impl, idx);
}

ag_err store_bind_textn(ag_stmt *s, int idx, const char *v, size_t len)
{
    return s->st->be->bind_textn(s->impl, idx, v, len);
}

ag_err store_step(ag_stmt *s, bool *row, ag_error *err)
{
    return s->st->be->step(s->impl, row, err);
}

int64_t store_col_int(ag_stmt *s, int col)
{
    return s->st->be->col_int(s->impl, col);
}

const char *store_col_text(ag_stmt *s, int col)
{
    return s->st->be->col_text(s->impl, col);
}

bool store_col_is_null(ag_stmt *s, int col)
{
    return s->st->be->col_is_null(s->impl, col);
}

int store_col_count(ag_stmt *s)
{
    return s->st->be->col_count(s->impl);
}

const char *store_col_name(ag_stmt *s, int col)
{
    return s->st->be->col_name(s->impl, col);
}

ag_err store_reset(ag_stmt *s, ag_error *err)
{
    return s->st->be->reset(s->impl, err);
}

void store_finalize(ag_stmt *s)
{
    if (!s)
        return;
    s->st->be->finalize(s->impl);
    free(s);
}

ag_err store_query_int(ag_store *st, int64_t *out, ag_error *err, const char *sql, ...)
{
    ag_stmt *s = NULL;
    ag_err rc = store_prepare(st, sql, &s, err);
    if (rc)
        return rc;
    va_list ap;
    va_start(ap, sql);
    const char *arg;
    int idx = 1;
    while (!rc && (arg = va_arg(ap, const char *)) != NULL)
        rc = store_bind_text(s, idx++, arg);
    va_end(ap);
    bool row = false;
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && !row)
        rc = AG_ERR_NOTFOUND;
    if (!rc)
        *out = store_col_int(s, 0);
    store_finalize(s);
    return rc;
}

/* Binds one argument of ap per letter of types from index 1 (see store_prepare_args). */
static ag_err bind_args(ag_stmt *s, ag_error *err, const char *types, va_list ap)
{
    ag_err rc = AG_OK;
    for (int i = 0; !rc && types[i]; i++) {
        if (types[i] == 'i')
            rc = store_bind_int(s, i + 1, va_arg(ap, int64_t));
        else
            rc = store_bind_text(s, i + 1, va_arg(ap, const char *));
        if (rc)
            rc = ag_fail(err, rc, NULL, "绑定查询参数失败", "binding a query argument failed");
    }
    return rc;
}

ag_err store_bind_args(ag_stmt *s, ag_error *err, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    ag_err rc = bind_args(s, err, types, ap);
    va_end(ap);
    return rc;
}

ag_err store_reset_args(ag_stmt *s, ag_error *err, const char *types, ...)
{
    ag_err rc = store_reset(s, err);
    va_list ap;
    va_start(ap, types);
    if (!rc)
        rc = bind_args(s, err, types, ap);
    va_end(ap);
    return rc;
}

ag_err store_vprepare_args(ag_store *st, ag_stmt **out, ag_error *err, const char *sql,
                           const char *types, va_list ap)
{
    *out = NULL;
    ag_err rc = store_prepare(st, sql, out, err);
    if (!rc)
        rc = bind_args(*out, err, types, ap);
    if (rc) {
        store_finalize(*out);
        *out = NULL;
    }
    return rc;
}

ag_err store_prepare_args(ag_store *st, ag_stmt **out, ag_error *err, const char *sql,
                          const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    ag_err rc = store_vprepare_args(st, out, err, sql, types, ap);
    va_end(ap);
    return rc;
}

/* ---- transactions ------------------------------------------------------- */

ag_err store_begin(ag_store *st, ag_error *err)
{
    ag_err rc;
    if (st->depth == 0) {
        rc = store_exec(st, st->be->begin_sql, err);
    } else {
        char sql[48];
        snprintf(sql, sizeof sql, "SAVEPOINT ag_sp%d", st->depth);
        rc = store_exec(st, sql, err);
    }
    if (!rc)
        st->depth++;
    return rc;
}

ag_err store_commit(ag_store *st, ag_error *err)
{
    if (st->depth <= 0)
        return ag_fail(err, AG_ERR_INTERNAL, NULL, "没有进行中的事务", "no open transaction");
    ag_err rc;
    if (st->depth == 1) {
        rc = store_exec(st, "COMMIT", err);
    } else {
        char sql[48];
        snprintf(sql, sizeof sql, "RELEASE SAVEPOINT ag_sp%d", st->depth - 1);
        rc = store_exec(st, sql, err);
    }
    if (rc) {
        store_rollback(st);
        return rc;
    }
    st->depth--;
    return AG_OK;
}

void store_rollback(ag_store *st)
{
    if (st->depth <= 0)
        return;
    if (st->depth == 1) {
        store_exec(st, "ROLLBACK", NULL);
    } else {
        char sql[80];
        snprintf(sql, sizeof sql, "ROLLBACK TO SAVEPOINT ag_sp%d; RELEASE SAVEPOINT ag_sp%d",
                 st->depth - 1, st->depth - 1);
        store_exec(st, sql, NULL);
    }
    st->depth--;
}

bool store_in_tx(const ag_store *st)
{
    return st->depth > 0;
}

ag_err store_end(ag_store *st, ag_err rc, ag_error *err)
{
    if (rc) {
        store_rollback(st);
        return rc;
    }
    return store_commit(st, err);
}

void store_rollback_all(ag_store *st)
{
    while (st && st->depth > 0)
        store_rollback(st);
    if (st)
        store_set_actor(st, "system");
}

ag_err store_data_generation(ag_store *st, int64_t *gen, ag_error *err)
{
    *gen = 0;
    ag_err rc = store_query_int(st, gen, err, "SELECT seq FROM audit_head WHERE id = 1", NULL);
    if (rc == AG_ERR_NOTFOUND) {
        *gen = 0;
        ag_error_clear(err);
        rc = AG_OK;
    }
    return rc;
}

/* ---- open and migrate --------------------------------------------------- */

static ag_err expand_ids(const store_backend *be, const char *sql, ag_buf *out)
{
    static const char tok[] = "{{ID}}";
    const char *p = sql, *q;
    ag_err rc = AG_OK;
    while (!rc && (q = strstr(p, tok)) != NULL) {
        rc = ag_buf_add(out, p, (size_t)(q - p));
        if (!rc)
            rc = ag_buf_adds(out, be->id_column_ddl);
        p = q + sizeof tok - 1;
    }
    return rc ? rc : ag_buf_adds(out, p);
}

static ag_err migrate(ag_store *st, ag_error *err)
{
    ag_err rc = store_exec(st,
                           "CREATE TABLE IF NOT EXISTS schema_migrations ("
                           " version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)",
                           err);
    if (rc)
        return rc;
    int64_t have = 0;
    rc = store_query_int(st, &have, err, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                         NULL);
    if (rc)
        return rc;
    if (have > store_migration_count)
        return ag_fail(err, AG_ERR_STORE, NULL,
                       "数据库结构版本 %lld 比本程序支持的 %d 新，请升级 auditgrid",
                       "the database schema (version %lld) is newer than this build knows (%d); "
                       "upgrade auditgrid",
                       (long long)have, store_migration_count);
    for (int v = (int)have + 1; v <= store_migration_count; v++) {
        ag_buf sql;
        ag_buf_init(&sql, SQL_MAX);
        rc = expand_ids(st->be, store_migrations[v - 1], &sql);
        if (!rc)
            rc = store_begin(st, err);
        if (rc) {
            ag_buf_release(&sql);
            return rc;
        }
        rc = store_exec(st, ag_buf_str(&sql), err);
        ag_buf_release(&sql);
        if (!rc) {
            char ts[21], ver[16];
            ag_clock_format(ag_clock_now(), ts);
            snprintf(ver, sizeof ver, "%d", v);
            ag_stmt *s = NULL;
            bool row;
            rc = store_prepare_args(
                st, &s, err, "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                "it", (int64_t)v, ts);
            if (!rc)
                rc = store_step(s, &row, err);
            store_finalize(s);
        }
        rc = store_end(st, rc, err);
        if (rc)
            return rc;
    }
    st->schema_version = store_migration_count;
    return AG_OK;
}

ag_err store_open(const char *path, unsigned flags, ag_store **out, ag_error *err)
{
    *out = NULL;
    if (ag_crypto_init())
        return ag_fail(err, AG_ERR_INTERNAL, NULL, "libsodium 初始化失败",
                       "libsodium failed to initialise");
    ag_store *st = calloc(1, sizeof *st);
    if (!st)
        return ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    st->be = &store_backend_sqlite;
    snprintf(st->actor, sizeof st->actor, "system");
    ag_err rc = st->be->open(path, flags, &st->conn, err);
    if (rc) {
        free(st);
        return rc;
    }
    rc = migrate(st, err);
    if (rc) {
        if (err && !err->where[0])
            snprintf(err->where, sizeof err->where, "%s", path);
        store_close(st);
        return rc;
    }
    *out = st;
    return AG_OK;
}

void store_close(ag_store *st)
{
    if (!st)
        return;
    while (st->depth > 0)
        store_rollback(st);
    st->be->close(st->conn);
    free(st);
}

int store_schema_version(const ag_store *st)
{
    return st->schema_version;
}

int store_latest_version(void)
{
    return store_migration_count;
}

void store_set_actor(ag_store *st, const char *actor)
{
    snprintf(st->actor, sizeof st->actor, "%s", actor && *actor ? actor : "system");
}

const char *store_actor(const ag_store *st)
{
    return st->actor;
}

/* ---- audit log ---------------------------------------------------------- */

/* Length-prefixed so that no choice of field contents can make two different
 * entries hash alike. */
static void hash_field(ag_sha256 *h, const char *s)
{
    char len[24];
    size_t n = s ? strlen(s) : 0;
    int k = snprintf(len, sizeof len, "%zu:", n);
    ag_sha256_update(h, len, (size_t)k);
    if (n)
        ag_sha256_update(h, s, n);
    ag_sha256_update(h, ";", 1);
}

static void entry_hash(int64_t seq, const char *ts, const char *actor, const char *action,
                       const char *tbl, const char *key, const char *before, const char *after,
                       const char *prev, char out[AG_SHA256_HEX])
{
    char seqs[24];
    snprintf(seqs, sizeof seqs, "%lld", (long long)seq);
    ag_sha256 h;
    ag_sha256_init(&h);
    const char *fields[] = {seqs, ts, actor, action, tbl, key, before, after, prev};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        hash_field(&h, fields[i]);
    ag_sha256_final_hex(&h, out);
}

static ag_err read_head(ag_store *st, int64_t *seq, char hash[AG_SHA256_HEX], bool *present,
                        ag_error *err)
{
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = store_prepare(st, "SELECT seq, hash FROM audit_head WHERE id = 1", &s, err);
    if (!rc)
        rc = store_step(s, &row, err);
    *present = row;
    if (!rc && row) {
        *seq = store_col_int(s, 0);
        const char *h = store_col_text(s, 1);
        snprintf(hash, AG_SHA256_HEX, "%s", h ? h : "");
    } else if (!rc) {
        *seq = 0;
        snprintf(hash, AG_SHA256_HEX, "%s", GENESIS_HASH);
    }
    store_finalize(s);
    return rc;
}

ag_err store_audit_append(ag_store *st, const char *action, const char *table, const char *key,
                          const char *before_digest, const char *after_digest, ag_error *err)
{
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    int64_t seq;
    char prev[AG_SHA256_HEX], hash[AG_SHA256_HEX], ts[21];
    bool present;
    ag_stmt *s = NULL;
    bool row;
    rc = read_head(st, &seq, prev, &present, err);
    if (rc)
        goto out;
    seq++;
    /* The real time of the write, even while the demo writes its history. */
    ag_clock_format(ag_clock_wall(), ts);
    const char *before = before_digest ? before_digest : "";
    const char *after = after_digest ? after_digest : "";
    entry_hash(seq, ts, st->actor, action, table, key, before, after, prev, hash);
    rc = store_prepare(st,
                       "INSERT INTO audit_log (seq, ts, actor, action, tbl, row_key, before_digest,"
                       " after_digest, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       &s, err);
    if (rc)
        goto out;
    const char *texts[] = {ts, st->actor, action, table, key, before, after, prev, hash};
    rc = store_bind_int(s, 1, seq);
    for (int i = 0; !rc && i < 9; i++)
        rc = store_bind_text(s, i + 2, texts[i]);
    if (!rc)
        rc = store_step(s, &row, err);
    store_finalize(s);
    s = NULL;
    if (rc)
        goto out;
    rc = store_prepare_args(st, &s, err,
                            present ? "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1"
                                    : "INSERT INTO audit_head (seq, hash, id) VALUES (?, ?, 1)",
                            "it", seq, hash);
    if (!rc)
        rc = store_step(s, &row, err);
    store_finalize(s);
out:
    return store_end(st, rc, err);
}

ag_err store_audit_verify(ag_store *st, ag_audit_report *rep, ag_error *err)
{
    memset(rep, 0, sizeof *rep);
    ag_stmt *s = NULL;
    ag_err rc = store_prepare(st,
                              "SELECT seq, ts, actor, action, tbl, row_key, before_digest,"
                              " after_digest, prev_hash, hash FROM audit_log ORDER BY seq",
                              &s, err);
    if (rc)
        return rc;
    char prev[AG_SHA256_HEX];
    snprintf(prev, sizeof prev, "%s", GENESIS_HASH);
    int64_t expect = 1;
    bool row;
    while (!(rc = store_step(s, &row, err)) && row) {
        int64_t seq = store_col_int(s, 0);
        const char *f[9];
        for (int i = 0; i < 9; i++) {
            f[i] = store_col_text(s, i + 1);
            if (!f[i])
                f[i] = "";
        }
        if (seq != expect) {
            rep->bad_seq = expect;
            snprintf(rep->reason, sizeof rep->reason,
                     "entry %lld is missing (next stored entry is %lld)", (long long)expect,
                     (long long)seq);
            snprintf(rep->reason_zh, sizeof rep->reason_zh,
                     "第 %lld 条记录缺失（其后为第 %lld 条）", (long long)expect, (long long)seq);
            break;
        }
        if (strcmp(f[7], prev) != 0) {
            rep->bad_seq = seq;
            snprintf(rep->reason, sizeof rep->reason,
                     "entry %lld does not link to the hash of entry %lld", (long long)seq,
                     (long long)seq - 1);
            snprintf(rep->reason_zh, sizeof rep->reason_zh,
                     "第 %lld 条记录与第 %lld 条的哈希不衔接", (long long)seq, (long long)seq - 1);
            break;
        }
        char h[AG_SHA256_HEX];
        entry_hash(seq, f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], h);
        if (strcmp(h, f[8]) != 0) {
            rep->bad_seq = seq;
            snprintf(rep->reason, sizeof rep->reason,
                     "entry %lld was altered (its contents do not match its hash)", (long long)seq);
            snprintf(rep->reason_zh, sizeof rep->reason_zh,
                     "第 %lld 条记录被篡改（内容与哈希不符）", (long long)seq);
            break;
        }
        snprintf(prev, sizeof prev, "%s", f[8]);
        rep->entries++;
        expect++;
    }
    store_finalize(s);
    if (rc)
        return rc;
    if (!rep->bad_seq) {
        int64_t hseq;
        char hhash[AG_SHA256_HEX];
        bool present;
        rc = read_head(st, &hseq, hhash, &present, err);
        if (rc)
            return rc;
        rep->head_seq = hseq;
        snprintf(rep->head_hash, sizeof rep->head_hash, "%s", present ? hhash : "");
        if (!present && rep->entries > 0) {
            rep->bad_seq = rep->entries;
            snprintf(rep->reason, sizeof rep->reason, "the chain head record was removed");
            snprintf(rep->reason_zh, sizeof rep->reason_zh, "链头记录被删除");
        } else if (present && hseq == expect - 1 && strcmp(hhash, prev) != 0) {
            rep->bad_seq = hseq;
            snprintf(rep->reason, sizeof rep->reason,
                     "the chain head record was altered (its hash differs from entry %lld)",
                     (long long)hseq);
            snprintf(rep->reason_zh, sizeof rep->reason_zh,
                     "链头记录被篡改（其哈希与第 %lld 条不符）", (long long)hseq);
        } else if (present && hseq != expect - 1) {
            rep->bad_seq = expect;
            snprintf(rep->reason, sizeof rep->reason,
                     "the log ends at entry %lld but the chain head says %lld: entries were "
                     "removed or the head was altered",
                     (long long)(expect - 1), (long long)hseq);
            snprintf(rep->reason_zh, sizeof rep->reason_zh,
                     "日志止于第 %lld 条，而链头记录为第 %lld 条：记录被删除或链头被篡改",
                     (long long)(expect - 1), (long long)hseq);
        }
    }
    if (rep->bad_seq) {
        char where[40];
        snprintf(where, sizeof where, "audit_log#%lld", (long long)rep->bad_seq);
        ag_fail(err, AG_ERR_TAMPER, where, "审计日志校验失败：%s", "audit log verification failed",
                rep->reason_zh);
        if (err)
            snprintf(err->en, sizeof err->en, "audit log verification failed: %s", rep->reason);
        return AG_ERR_TAMPER;
    }
    return AG_OK;
}

/* ---- audited writes ----------------------------------------------------- */

static bool ident_ok(const char *s)
{
    if (!s || !*s || strlen(s) > 63)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    return true;
}

static ag_err bind_field(ag_stmt *s, int idx, const ag_field *f)
{
    switch (f->type) {
    case AG_VAL_INT:
        return store_bind_int(s, idx, f->i);
    case AG_VAL_TEXT:
        return store_bind_text(s, idx, f->s);
    default:
        return store_bind_null(s, idx);
    }
}

static void field_key_text(const ag_field *f, char *out, size_t n)
{
    if (f->type == AG_VAL_INT)
        snprintf(out, n, "%lld", (long long)f->i);
    else
        snprintf(out, n, "%s", f->type == AG_VAL_TEXT ? f->s : "");
}

/* SHA-256 over the row's columns as name=value pairs; "" when absent. */
static ag_err row_digest(ag_store *st, const char *table, const char *keycol, const ag_field *key,
                         char out[AG_SHA256_HEX], ag_error *err)
{
    char sql[192];
    snprintf(sql, sizeof sql, "SELECT * FROM %s WHERE %s = ?", table, keycol);
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = store_prepare(st, sql, &s, err);
    if (!rc)
        rc = bind_field(s, 1, key);
    if (!rc)
        rc = store_step(s, &row, err);
    out[0] = '\0';
    if (!rc && row) {
        ag_sha256 h;
        ag_sha256_init(&h);
        int n = store_col_count(s);
        for (int i = 0; i < n; i++) {
            hash_field(&h, store_col_name(s, i));
            if (store_col_is_null(s, i))
                ag_sha256_update(&h, "N", 1);
            else {
                ag_sha256_update(&h, "V", 1);
                hash_field(&h, store_col_text(s, i));
            }
        }
        ag_sha256_final_hex(&h, out);
    }
    store_finalize(s);
    return rc;
}

static ag_err check_idents(const char *table, const char *keycol, const ag_field *f, size_t n,
                           ag_error *err)
{
    bool ok = ident_ok(table) && ident_ok(keycol);
    for (size_t i = 0; ok && i < n; i++)
        ok = ident_ok(f[i].col);
    if (!ok)
        return ag_fail(err, AG_ERR_INTERNAL, table, "非法的表名或列名", "bad table or column name");
    return AG_OK;
}

/* Appends f[0..n)'s columns to sql, comma-separated, each followed by
 * suffix (" = ?" for an UPDATE's assignments). */
static ag_err add_columns(ag_buf *sql, const ag_field *f, size_t n, const char *suffix)
{
    ag_err rc = AG_OK;
    for (size_t i = 0; !rc && i < n; i++)
        rc = ag_buf_printf(sql, "%s%s%s", i ? ", " : "", f[i].col, suffix);
    return rc;
}

/* Begins the write of the statement built in sql (built: how building it
 * went); releases sql when that or the begin fails. */
static ag_err begin_write(ag_store *st, ag_buf *sql, ag_err built, const char *table, ag_error *err)
{
    ag_err rc =
        built ? ag_fail(err, built, table, "SQL 过长", "statement too long") : store_begin(st, err);
    if (rc)
        ag_buf_release(sql);
    return rc;
}

/* The digest of the row with key, which must exist (AG_ERR_NOTFOUND). */
static ag_err existing_digest(ag_store *st, const char *table, const char *keycol,
                              const ag_field *key, const char *keytext, char out[AG_SHA256_HEX],
                              ag_error *err)
{
    ag_err rc = row_digest(st, table, keycol, key, out, err);
    if (!rc && !out[0])
        rc = ag_fail(err, AG_ERR_NOTFOUND, table, "%s 中没有键为 %s 的记录",
                     "no record in %s with key %s", table, keytext);
    return rc;
}

/* Prepares sql and binds f[0..n) to its first parameters. */
static ag_err prepare_fields(ag_store *st, const char *sql, const ag_field *f, size_t n,
                             ag_stmt **s, ag_error *err)
{
    ag_err rc = store_prepare(st, sql, s, err);
    for (size_t i = 0; !rc && i < n; i++)
        rc = bind_field(*s, (int)i + 1, &f[i]);
    return rc;
}

ag_err store_insert(ag_store *st, const char *table, const char *keycol, const ag_field *f,
                    size_t n, int64_t *new_id, ag_error *err)
{
    ag_err rc = check_idents(table, keycol, f, n, err);
    if (rc)
        return rc;
    const ag_field *keyf = NULL;
    for (size_t i = 0; i < n; i++)
        if (strcmp(f[i].col, keycol) == 0)
            keyf = &f[i];
    ag_buf sql;
    ag_buf_init(&sql, SQL_MAX);
    rc = ag_buf_printf(&sql, "INSERT INTO %s (", table);
    if (!rc)
        rc = add_columns(&sql, f, n, "");
    if (!rc)
        rc = ag_buf_adds(&sql, ") VALUES (");
    for (size_t i = 0; !rc && i < n; i++)
        rc = ag_buf_adds(&sql, i ? ", ?" : "?");
    if (!rc)
        rc = ag_buf_adds(&sql, ")");
    if (!rc && !keyf)
        rc = ag_buf_printf(&sql, " RETURNING %s", keycol);
    rc = begin_write(st, &sql, rc, table, err);
    if (rc)
        return rc;
    ag_stmt *s = NULL;
    bool row = false;
    ag_field genkey;
    char keytext[256], after[AG_SHA256_HEX];
    rc = prepare_fields(st, ag_buf_str(&sql), f, n, &s, err);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && !keyf) {
        if (!row) {
            rc = ag_fail(err, AG_ERR_STORE, table, "未返回新记录的键", "no key returned");
        } else {
            genkey = ag_field_int(keycol, store_col_int(s, 0));
            keyf = &genkey;
            if (new_id)
                *new_id = genkey.i;
            /* Drain so the statement completes before the next one. */
            while (!rc && row)
                rc = store_step(s, &row, err);
        }
    }
    store_finalize(s);
    if (!rc)
        rc = row_digest(st, table, keycol, keyf, after, err);
    if (!rc) {
        field_key_text(keyf, keytext, sizeof keytext);
        rc = store_audit_append(st, "insert", table, keytext, "", after, err);
    }
    ag_buf_release(&sql);
    if (rc && err && !err->where[0])
        snprintf(err->where, sizeof err->where, "%s", table);
    return store_end(st, rc, err);
}

ag_err store_update(ag_store *st, const char *table, const char *keycol, ag_field key,
                    const ag_field *f, size_t n, ag_error *err)
{
    ag_err rc = check_idents(table, keycol, f, n, err);
    if (rc)
        return rc;
    if (n == 0)
        return AG_OK;
    ag_buf sql;
    ag_buf_init(&sql, SQL_MAX);
    rc = ag_buf_printf(&sql, "UPDATE %s SET ", table);
    if (!rc)
        rc = add_columns(&sql, f, n, " = ?");
    if (!rc)
        rc = ag_buf_printf(&sql, " WHERE %s = ?", keycol);
    rc = begin_write(st, &sql, rc, table, err);
    if (rc)
        return rc;
    char before[AG_SHA256_HEX], after[AG_SHA256_HEX], keytext[256];
    ag_stmt *s = NULL;
    bool row;
    field_key_text(&key, keytext, sizeof keytext);
    rc = existing_digest(st, table, keycol, &key, keytext, before, err);
    if (!rc)
        rc = prepare_fields(st, ag_buf_str(&sql), f, n, &s, err);
    if (!rc)
        rc = bind_field(s, (int)n + 1, &key);
    if (!rc)
        rc = store_step(s, &row, err);
    store_finalize(s);
    if (!rc)
        rc = row_digest(st, table, keycol, &key, after, err);
    if (!rc)
        rc = store_audit_append(st, "update", table, keytext, before, after, err);
    ag_buf_release(&sql);
    return store_end(st, rc, err);
}

ag_err store_delete(ag_store *st, const char *table, const char *keycol, ag_field key,
                    ag_error *err)
{
    ag_err rc = check_idents(table, keycol, NULL, 0, err);
    if (rc)
        return rc;
    char sql[192], before[AG_SHA256_HEX], keytext[256];
    snprintf(sql, sizeof sql, "DELETE FROM %s WHERE %s = ?", table, keycol);
    field_key_text(&key, keytext, sizeof keytext);
    rc = store_begin(st, err);
    if (rc)
        return rc;
    ag_stmt *s = NULL;
    bool row;
    rc = existing_digest(st, table, keycol, &key, keytext, before, err);
    if (!rc)
        rc = prepare_fields(st, sql, &key, 1, &s, err);
    if (!rc)
        rc = store_step(s, &row, err);
    store_finalize(s);
    if (!rc)
        rc = store_audit_append(st, "delete", table, keytext, before, "", err);
    return store_end(st, rc, err);
}
