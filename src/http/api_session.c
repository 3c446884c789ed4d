/* api_session.c - health, sign-in with rate limits and bounded Argon2, sign-out, who am I. */
#include "http/api.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "domain/user.h"
#include "util/clock.h"
#include "util/banned.h"

int api_health(http_req *r, ag_error *err)
{
    (void)err;
    hj_writer *w = http_out(r);
    hj_obj_begin(w);
    hj_kstr(w, "status", "ok");
    hj_obj_end(w);
    return AG_OK;
}

/* Throttle keys: the account as typed (lower case) and the client address. */
static void throttle_keys(http_req *r, const char *username, char ukey[96], char akey[80])
{
    size_t i = 0;
    ukey[i++] = 'u';
    ukey[i++] = ':';
    for (const char *p = username; *p && i < 94; p++)
        ukey[i++] = (char)tolower((unsigned char)*p);
    ukey[i] = '\0';
    snprintf(akey, 80, "a:%s", http_client_addr(r));
}

static int rate_limited(http_req *r, int64_t wait)
{
    char secs[24];
    snprintf(secs, sizeof secs, "%lld", (long long)wait);
    http_add_header(r, "Retry-After", secs);
    return http_reply_error(r, 429, "rate_limited", "登录失败次数过多，请稍后再试",
                            "too many failed sign-ins; try again later");
}

static ag_err login_fields(http_req *r, const char **user, const char **pass, ag_error *err)
{
    static const char *const keys[] = {"username", "password", NULL};
    ag_err rc = http_body_only(r, keys, err);
    if (!rc)
        rc = http_body_str(r, "username", true, 64, user, err);
    if (!rc)
        rc = http_body_str(r, "password", true, 128, pass, err);
    return rc;
}

static int64_t throttle_wait(http_req *r, const char *ukey, const char *akey)
{
    int64_t now = ag_clock_now();
    int64_t a = throttle_check(http_throttle(r), ukey, now);
    int64_t b = throttle_check(http_throttle(r), akey, now);
    return a > b ? a : b;
}

/* On the request thread: a limited account or address never reaches the
 * hashing queue. */
int api_login_before(http_req *r, ag_error *err)
{
    const char *user, *pass;
    ag_err rc = login_fields(r, &user, &pass, err);
    if (rc)
        return rc;
    char ukey[96], akey[80];
    throttle_keys(r, user, ukey, akey);
    int64_t wait = throttle_wait(r, ukey, akey);
    return wait ? rate_limited(r, wait) : AG_OK;
}

static void set_cookie(http_req *r, const char *token)
{
    char c[200];
    if (token)
        snprintf(c, sizeof c, "ag_session=%s; Path=/; HttpOnly; SameSite=Strict%s", token,
                 http_secure(r) ? "; Secure" : "");
    else
        snprintf(c, sizeof c, "ag_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
                 http_secure(r) ? "; Secure" : "");
    http_add_header(r, "Set-Cookie", c);
}

static void write_session(http_req *r, const session_user *u, const char *csrf, int64_t expires)
{
    char exp[21];
    ag_clock_format(expires, exp);
    hj_writer *w = http_out(r);
    hj_obj_begin(w);
    hj_key(w, "user");
    api_write_user(w, u);
    hj_kstr(w, "csrf_token", csrf);
    hj_kstr(w, "expires_at", exp);
    hj_obj_end(w);
}

/* On a hashing worker: at most hash_workers of these run at once. */
int api_login(http_req *r, ag_error *err)
{
    const char *user, *pass;
    ag_err rc = login_fields(r, &user, &pass, err);
    if (rc)
        return rc;
    char ukey[96], akey[80];
    throttle_keys(r, user, ukey, akey);
    int64_t wait = throttle_wait(r, ukey, akey);
    if (wait)
        return rate_limited(r, wait);
    ag_store *st = http_store(r);
    int64_t uid = 0;
    ag_error e2;
    rc = user_check_password(st, user, pass, &uid, &e2);
    session_user u;
    if (rc == AG_OK)
        rc = session_user_load(st, uid, &u, &e2);
    if (rc == AG_ERR_DENIED || rc == AG_ERR_INPUT || rc == AG_ERR_NOTFOUND) {
        /* Unknown user, wrong password, disabled or broken account: one answer. */
        int64_t now = ag_clock_now();
        throttle_fail(http_throttle(r), ukey, now);
        throttle_fail(http_throttle(r), akey, now);
        return http_reply_error(r, 401, "invalid_credentials", "用户名或口令错误",
                                "wrong username or password");
    }
    if (rc) {
        *err = e2;
        return rc;
    }
    throttle_clear(http_throttle(r), ukey);
    char actor[128];
    snprintf(actor, sizeof actor, "user:%s", u.username);
    store_set_actor(st, actor);
    /* A new id on every sign-in; the one the browser held ends now. */
    if (http_cookie_token(r))
        session_revoke(st, http_cookie_token(r), NULL);
    char token[SESSION_TOKEN_LEN], csrf[SESSION_TOKEN_LEN];
    int64_t expires = 0;
    rc = session_create(st, uid, &http_cfg(r)->session, token, csrf, &expires, err);
    if (rc)
        return rc;
    http_set_user(r, &u);
    set_cookie(r, token);
    write_session(r, &u, csrf, expires);
    return AG_OK;
}

int api_logout(http_req *r, ag_error *err)
{
    ag_err rc = session_revoke(http_store(r), http_cookie_token(r), err);
    if (rc)
        return rc;
    set_cookie(r, NULL);
    hj_writer *w = http_out(r);
    hj_obj_begin(w);
    hj_kstr(w, "status", "signed_out");
    hj_obj_end(w);
    return AG_OK;
}

int api_me(http_req *r, ag_error *err)
{
    (void)err;
    const session_user *u = http_user(r);
    write_session(r, u, u->csrf, u->expires_at);
    return AG_OK;
}
