/* api_session.c - health, sign-in with growing delays and bounded Argon2, sign-out, who am I. */
#include "http/api.h"

#include <stdio.h>
#include <string.h>

#include "domain/user.h"
#include "util/clock.h"
#include "util/banned.h"

ag_err api_health(http_req *r, ag_error *err)
{
    (void)err;
    hj_writer *w = http_out(r);
    hj_obj_begin(w);
    hj_kstr(w, "status", "ok");
    hj_obj_end(w);
    return AG_OK;
}

/* 429 with Retry-After in whole seconds (rounded up, at least 1). */
static ag_err rate_limited(http_req *r, throttle_reason why, int64_t wait_ms)
{
    long long secs = (long long)((wait_ms + 999) / 1000);
    if (secs < 1)
        secs = 1;
    char hdr[24], zh[160], en[160];
    snprintf(hdr, sizeof hdr, "%lld", secs);
    http_add_header(r, "Retry-After", hdr);
    if (why == THROTTLE_ADDRESS) {
        snprintf(zh, sizeof zh, "此地址登录失败次数过多，请 %lld 秒后再试", secs);
        snprintf(en, sizeof en, "too many failed sign-ins from this address; try again in %lld s",
                 secs);
    } else {
        snprintf(zh, sizeof zh, "该账号在此地址登录失败次数过多，请 %lld 秒后再试", secs);
        snprintf(en, sizeof en,
                 "too many failed sign-ins of this account from this address; try again in %lld s",
                 secs);
    }
    return http_reply_error(r, 429, "rate_limited", zh, en);
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

/* On the request thread: a delayed (account, address) pair or an address over
 * its ceiling never reaches the hashing queue. */
ag_err api_login_before(http_req *r, ag_error *err)
{
    const char *user, *pass;
    ag_err rc = login_fields(r, &user, &pass, err);
    if (rc)
        return rc;
    int64_t wait = 0;
    throttle_reason why =
        throttle_check(http_throttle(r), user, http_client_addr(r), ag_clock_now_ms(), &wait);
    return why ? rate_limited(r, why, wait) : AG_OK;
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
ag_err api_login(http_req *r, ag_error *err)
{
    const char *user, *pass;
    ag_err rc = login_fields(r, &user, &pass, err);
    if (rc)
        return rc;
    const char *addr = http_client_addr(r);
    int64_t wait = 0;
    throttle_reason why = throttle_check(http_throttle(r), user, addr, ag_clock_now_ms(), &wait);
    if (why)
        return rate_limited(r, why, wait);
    ag_store *st = http_store(r);
    int64_t uid = 0;
    ag_error e2;
    rc = user_check_password(st, user, pass, &uid, &e2);
    session_user u;
    if (rc == AG_OK)
        rc = session_user_load(st, uid, &u, &e2);
    if (rc == AG_ERR_DENIED || rc == AG_ERR_INPUT || rc == AG_ERR_NOTFOUND) {
        /* Unknown user, wrong password, disabled or broken account: one answer. */
        throttle_fail(http_throttle(r), user, addr, ag_clock_now_ms());
        return http_reply_error(r, 401, "invalid_credentials", "用户名或口令错误",
                                "wrong username or password");
    }
    if (rc) {
        *err = e2;
        return rc;
    }
    throttle_success(http_throttle(r), user, addr);
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

ag_err api_logout(http_req *r, ag_error *err)
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

ag_err api_me(http_req *r, ag_error *err)
{
    (void)err;
    const session_user *u = http_user(r);
    write_session(r, u, u->csrf, u->expires_at);
    return AG_OK;
}

/* GET /api/v1/session (public; issue 12 §3, part "names"): the page's probe before it knows
 * whether anyone is signed in. 200 either way, so a visitor without a session sees no 401 in
 * the console: {"signed_in": false}, or {"signed_in": true} and what GET /me answers. */
ag_err api_session_get(http_req *r, ag_error *err)
{
    (void)err;
    const session_user *u = http_user(r);
    hj_writer *w = http_out(r);
    if (!u) {
        hj_obj_begin(w);
        hj_kbool(w, "signed_in", false);
        hj_obj_end(w);
        return AG_OK;
    }
    char exp[21];
    ag_clock_format(u->expires_at, exp);
    hj_obj_begin(w);
    hj_kbool(w, "signed_in", true);
    hj_key(w, "user");
    api_write_user(w, u);
    hj_kstr(w, "csrf_token", u->csrf);
    hj_kstr(w, "expires_at", exp);
    hj_obj_end(w);
    return AG_OK;
}
