/* session.c - web sessions: create, look up with timeouts, revoke; only SHA-256 of the id is
 * stored. */
#include "domain/session.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "util/clock.h"
#include "util/date.h"
#include "util/hash.h"
#include "util/banned.h"

void session_limits_default(session_limits *l)
{
    l->idle = 30 * 60;
    l->absolute = 12 * 3600;
    l->touch = 60;
}

void session_b64url(const unsigned char *p, size_t n, char *out, size_t outlen)
{
    sodium_bin2base64(out, outlen, p, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

bool session_parse_time(const char *s, int64_t *t)
{
    int32_t days;
    if (!s || strlen(s) != 20 || !ag_date_parse(s, 10, &days) || s[10] != 'T' || s[13] != ':' ||
        s[16] != ':' || s[19] != 'Z')
        return false;
    int v[3];
    for (int i = 0; i < 3; i++) {
        const char *d = s + 11 + 3 * i;
        if (d[0] < '0' || d[0] > '9' || d[1] < '0' || d[1] > '9')
            return false;
        v[i] = (d[0] - '0') * 10 + (d[1] - '0');
    }
    if (v[0] > 23 || v[1] > 59 || v[2] > 59)
        return false;
    *t = (int64_t)days * 86400 + v[0] * 3600 + v[1] * 60 + v[2];
    return true;
}

/* A token is exactly 43 base64url characters; anything else is refused
 * before it reaches the database. */
static bool token_ok(const char *t)
{
    if (!t || strlen(t) != SESSION_TOKEN_LEN - 1)
        return false;
    for (const char *p = t; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_'))
            return false;
    return true;
}

static void token_hash(const char *token, char out[AG_SHA256_HEX])
{
    ag_sha256_hex(token, strlen(token), out);
}

static void new_token(char out[SESSION_TOKEN_LEN])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    session_b64url(raw, sizeof raw, out, SESSION_TOKEN_LEN);
    sodium_memzero(raw, sizeof raw);
}

ag_err session_create(ag_store *st, int64_t user_id, const session_limits *l,
                      char token[SESSION_TOKEN_LEN], char csrf[SESSION_TOKEN_LEN],
                      int64_t *expires_at, ag_error *err)
{
    if (ag_crypto_init())
        return ag_fail(err, AG_ERR_INTERNAL, NULL, "libsodium 初始化失败",
                       "libsodium failed to initialise");
    new_token(token);
    new_token(csrf);
    char hash[AG_SHA256_HEX], now_s[21], exp_s[21];
    token_hash(token, hash);
    int64_t now = ag_clock_now(), exp = now + l->absolute;
    ag_clock_format(now, now_s);
    ag_clock_format(exp, exp_s);
    ag_field f[] = {ag_field_text("token_hash", hash),
                    ag_field_int("user_id", user_id),
                    ag_field_text("csrf_token", csrf),
                    ag_field_text("created_at", now_s),
                    ag_field_text("last_seen_at", now_s),
                    ag_field_text("expires_at", exp_s),
                    ag_field_int("revoked", 0)};
    ag_err rc = store_begin(st, err);
    if (!rc)
        rc = store_insert(st, "session", "id", f, sizeof f / sizeof f[0], NULL, err);
    /* Sessions past their absolute end are dead: drop them as new ones
     * start, so the table does not grow without bound. Their creation stays
     * in the audit log; the purge itself is one entry. */
    int64_t stale = 0;
    if (!rc)
        rc = store_query_int(st, &stale, err, "SELECT COUNT(*) FROM session WHERE expires_at < ?",
                             now_s, NULL);
    if (!rc && stale > 0) {
        ag_stmt *d = NULL;
        bool row;
        rc =
            store_prepare_args(st, &d, err, "DELETE FROM session WHERE expires_at < ?", "t", now_s);
        if (!rc)
            rc = store_step(d, &row, err);
        store_finalize(d);
        char n[24];
        snprintf(n, sizeof n, "%lld", (long long)stale);
        if (!rc)
            rc = store_audit_append(st, "purge_expired", "session", n, NULL, NULL, err);
    }
    rc = store_end(st, rc, err);
    if (rc) {
        sodium_memzero(token, SESSION_TOKEN_LEN);
        return rc;
    }
    if (expires_at)
        *expires_at = exp;
    return AG_OK;
}

static void copy_col(ag_stmt *s, int col, char *out, size_t n)
{
    const char *t = store_col_text(s, col);
    snprintf(out, n, "%s", t ? t : "");
}

#define USER_COLS "u.id, u.username, u.display_name, u.role, u.unit_code, u.cell_id, u.person_id"

/* Reads USER_COLS starting at column `c` into u and builds its scope. */
static ag_err read_user(ag_stmt *s, int c, session_user *u, ag_error *err)
{
    u->user_id = store_col_int(s, c);
    copy_col(s, c + 1, u->username, sizeof u->username);
    copy_col(s, c + 2, u->display_name, sizeof u->display_name);
    copy_col(s, c + 3, u->role, sizeof u->role);
    copy_col(s, c + 4, u->unit_code, sizeof u->unit_code);
    copy_col(s, c + 5, u->cell_id, sizeof u->cell_id);
    u->person_id = store_col_is_null(s, c + 6) ? 0 : store_col_int(s, c + 6);
    return scope_init(&u->scope, u->role, u->unit_code, u->cell_id, u->person_id, err);
}

ag_err session_user_load(ag_store *st, int64_t user_id, session_user *u, ag_error *err)
{
    memset(u, 0, sizeof *u);
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = store_prepare_args(
        st, &s, err, "SELECT " USER_COLS " FROM app_user u WHERE u.id = ?", "i", user_id);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && !row)
        rc = ag_fail(err, AG_ERR_NOTFOUND, "user", "用户不存在", "no such user");
    if (!rc)
        rc = read_user(s, 0, u, err);
    store_finalize(s);
    return rc;
}

static ag_err denied(ag_error *err)
{
    return ag_fail(err, AG_ERR_DENIED, "session", "未登录或会话已过期，请重新登录",
                   "not signed in or the session has expired; sign in again");
}

ag_err session_lookup(ag_store *st, const char *token, const session_limits *l, session_user *u,
                      ag_error *err)
{
    memset(u, 0, sizeof *u);
    if (!token_ok(token))
        return denied(err);
    char hash[AG_SHA256_HEX];
    token_hash(token, hash);
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = store_prepare_args(st, &s, err,
                                   "SELECT s.id, s.csrf_token, s.created_at, s.last_seen_at,"
                                   " s.expires_at, s.revoked, u.disabled, " USER_COLS
                                   " FROM session s JOIN app_user u ON u.id = s.user_id"
                                   " WHERE s.token_hash = ?",
                                   "t", hash);
    if (!rc)
        rc = store_step(s, &row, err);
    bool live = false;
    int64_t last = 0;
    if (!rc && row) {
        int64_t now = ag_clock_now(), exp = 0;
        u->session_id = store_col_int(s, 0);
        copy_col(s, 1, u->csrf, sizeof u->csrf);
        live = session_parse_time(store_col_text(s, 2), &u->created_at) &&
               session_parse_time(store_col_text(s, 3), &last) &&
               session_parse_time(store_col_text(s, 4), &exp) && store_col_int(s, 5) == 0 &&
               store_col_int(s, 6) == 0 && now < exp && now < u->created_at + l->absolute &&
               now < last + l->idle;
        u->expires_at = exp < u->created_at + l->absolute ? exp : u->created_at + l->absolute;
        /* An account whose scope is broken sees nothing: deny. */
        if (live && read_user(s, 7, u, NULL) != AG_OK)
            live = false;
        u->touch_due = live && now - last >= l->touch;
    }
    store_finalize(s);
    if (rc)
        return rc;
    if (!live) {
        memset(u, 0, sizeof *u);
        return denied(err);
    }
    return AG_OK;
}

ag_err session_touch(ag_store *st, int64_t session_id, int64_t now, ag_error *err)
{
    char now_s[21];
    ag_clock_format(now, now_s);
    ag_stmt *t = NULL;
    bool row;
    ag_err rc = store_prepare_args(
        st, &t, err, "UPDATE session SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?", "tit",
        now_s, session_id, now_s);
    if (!rc)
        rc = store_step(t, &row, err);
    store_finalize(t);
    return rc;
}

ag_err session_revoke(ag_store *st, const char *token, ag_error *err)
{
    if (!token_ok(token))
        return ag_fail(err, AG_ERR_NOTFOUND, "session", "会话不存在", "no such session");
    char hash[AG_SHA256_HEX];
    token_hash(token, hash);
    ag_field f[] = {ag_field_int("revoked", 1)};
    return store_update(st, "session", "token_hash", ag_field_text("token_hash", hash), f, 1, err);
}
