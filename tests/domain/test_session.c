/* test_session.c - sessions: hashed ids, CSRF tokens, revocation, idle and absolute timeouts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/grid.h"
#include "domain/session.h"
#include "domain/user.h"
#include "util/clock.h"
#include "util/hash.h"
#include "../testutil.h"

static int64_t ADMIN_ID;

static int setup(void **state)
{
    char path[1024];
    ag_test_path(path, sizeof path, "session.db");
    ag_store *st = NULL;
    ag_error err;
    must(store_open(path, AG_STORE_CREATE, &st, &err), &err);
    must(grid_district_init(st, "120104", "天津市南开区", &err), &err);
    user_in u = {"Admin", "admin", NULL, NULL, "管理员", "correct horse 42", 0};
    must(user_add(st, &u, &ADMIN_ID, &err), &err);
    *state = st;
    return 0;
}

static int teardown(void **state)
{
    store_close(*state);
    unsetenv("AUDITGRID_NOW");
    return 0;
}

static session_limits limits(void)
{
    session_limits l;
    session_limits_default(&l);
    return l;
}

static void test_create_and_lookup(void **state)
{
    ag_store *st = *state;
    setenv("AUDITGRID_NOW", "2026-01-05T08:00:00Z", 1);
    session_limits l = limits();
    char tok[SESSION_TOKEN_LEN], csrf[SESSION_TOKEN_LEN];
    int64_t exp = 0;
    ag_error err;
    must(session_create(st, ADMIN_ID, &l, tok, csrf, &exp, &err), &err);
    assert_int_equal(strlen(tok), 43);
    assert_int_equal(strlen(csrf), 43);
    assert_string_not_equal(tok, csrf);
    int64_t t0;
    assert_true(session_parse_time("2026-01-05T08:00:00Z", &t0));
    assert_int_equal(exp, t0 + 12 * 3600);
    /* Only the hash is stored. */
    char hash[AG_SHA256_HEX];
    ag_sha256_hex(tok, strlen(tok), hash);
    int64_t n = 0;
    must(store_query_int(st, &n, &err, "SELECT COUNT(*) FROM session WHERE token_hash = ?", hash,
                         NULL),
         &err);
    assert_int_equal(n, 1);
    must(store_query_int(st, &n, &err, "SELECT COUNT(*) FROM session WHERE token_hash = ?", tok,
                         NULL),
         &err);
    assert_int_equal(n, 0);
    session_user u;
    must(session_lookup(st, tok, &l, &u, &err), &err);
    assert_string_equal(u.username, "admin");
    assert_string_equal(u.csrf, csrf);
    assert_int_equal(u.scope.role, AG_ROLE_ADMIN);
    assert_false(u.touch_due);
    /* Two sessions never share an id. */
    char tok2[SESSION_TOKEN_LEN], csrf2[SESSION_TOKEN_LEN];
    must(session_create(st, ADMIN_ID, &l, tok2, csrf2, NULL, &err), &err);
    assert_string_not_equal(tok, tok2);
}

static void test_bad_tokens(void **state)
{
    ag_store *st = *state;
    session_limits l = limits();
    session_user u;
    ag_error err;
    const char *bad[] = {"", "short", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                         "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'--", NULL};
    for (int i = 0; i < 4; i++)
        assert_int_equal(session_lookup(st, bad[i], &l, &u, &err), AG_ERR_DENIED);
    assert_int_equal(session_lookup(st, NULL, &l, &u, &err), AG_ERR_DENIED);
    assert_int_equal(session_revoke(st, "nope", &err), AG_ERR_NOTFOUND);
}

static void test_timeouts_and_revoke(void **state)
{
    ag_store *st = *state;
    session_limits l = limits();
    char tok[SESSION_TOKEN_LEN], csrf[SESSION_TOKEN_LEN];
    session_user u;
    ag_error err;
    int64_t t0;
    setenv("AUDITGRID_NOW", "2026-01-05T08:00:00Z", 1);
    must(session_create(st, ADMIN_ID, &l, tok, csrf, NULL, &err), &err);
    setenv("AUDITGRID_NOW", "2026-01-05T08:29:00Z", 1);
    must(session_lookup(st, tok, &l, &u, &err), &err);
    assert_true(u.touch_due);
    assert_true(session_parse_time("2026-01-05T08:29:00Z", &t0));
    must(session_touch(st, u.session_id, t0, &err), &err);
    setenv("AUDITGRID_NOW", "2026-01-05T08:45:00Z", 1);
    must(session_lookup(st, tok, &l, &u, &err), &err); /* idle 16 min since the touch */
    setenv("AUDITGRID_NOW", "2026-01-05T09:00:00Z", 1);
    assert_int_equal(session_lookup(st, tok, &l, &u, &err), AG_ERR_DENIED); /* idle 31 min */

    /* Absolute: kept busy, still ends 12 hours after sign-in. */
    setenv("AUDITGRID_NOW", "2026-01-05T08:00:00Z", 1);
    must(session_create(st, ADMIN_ID, &l, tok, csrf, NULL, &err), &err);
    int64_t t;
    char now[21];
    for (int m = 20; m < 12 * 60; m += 20) {
        assert_true(session_parse_time("2026-01-05T08:00:00Z", &t));
        t += m * 60;
        ag_clock_format(t, now);
        setenv("AUDITGRID_NOW", now, 1);
        must(session_lookup(st, tok, &l, &u, &err), &err);
        must(session_touch(st, u.session_id, t, &err), &err);
    }
    setenv("AUDITGRID_NOW", "2026-01-05T20:00:00Z", 1);
    assert_int_equal(session_lookup(st, tok, &l, &u, &err), AG_ERR_DENIED);

    /* Revocation is final; a disabled account ends its sessions. */
    setenv("AUDITGRID_NOW", "2026-01-06T08:00:00Z", 1);
    must(session_create(st, ADMIN_ID, &l, tok, csrf, NULL, &err), &err);
    must(session_revoke(st, tok, &err), &err);
    assert_int_equal(session_lookup(st, tok, &l, &u, &err), AG_ERR_DENIED);
    must(session_create(st, ADMIN_ID, &l, tok, csrf, NULL, &err), &err);
    must(store_exec(st, "UPDATE app_user SET disabled = 1", &err), &err);
    assert_int_equal(session_lookup(st, tok, &l, &u, &err), AG_ERR_DENIED);
    must(store_exec(st, "UPDATE app_user SET disabled = 0", &err), &err);
    must(session_lookup(st, tok, &l, &u, &err), &err);
}

static void test_audited(void **state)
{
    ag_store *st = *state;
    int64_t n = 0;
    ag_error err;
    must(store_query_int(
             st, &n, &err,
             "SELECT COUNT(*) FROM audit_log WHERE tbl = 'session' AND action = 'update'", NULL),
         &err);
    assert_int_equal(n, 1); /* the revocation; touches are bookkeeping, not audited */
    ag_audit_report rep;
    must(store_audit_verify(st, &rep, &err), &err);
}

/* Starting a session drops the sessions whose absolute end has passed. */
static void test_expired_sessions_are_purged(void **state)
{
    ag_store *st = *state;
    session_limits l = limits();
    char tok[SESSION_TOKEN_LEN], csrf[SESSION_TOKEN_LEN];
    ag_error err;
    setenv("AUDITGRID_NOW", "2026-02-01T08:00:00Z", 1);
    must(session_create(st, ADMIN_ID, &l, tok, csrf, NULL, &err), &err);
    int64_t before = 0, after = 0, purges = 0;
    must(store_query_int(st, &before, &err, "SELECT COUNT(*) FROM session", NULL), &err);
    assert_true(before >= 1);
    setenv("AUDITGRID_NOW", "2026-02-03T08:00:00Z", 1); /* two days on: past 12 h */
    must(session_create(st, ADMIN_ID, &l, tok, csrf, NULL, &err), &err);
    must(store_query_int(st, &after, &err, "SELECT COUNT(*) FROM session", NULL), &err);
    assert_int_equal(after, 1);
    must(store_query_int(st, &purges, &err,
                         "SELECT COUNT(*) FROM audit_log WHERE action = 'purge_expired'", NULL),
         &err);
    assert_true(purges >= 1);
    ag_audit_report rep;
    must(store_audit_verify(st, &rep, &err), &err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_and_lookup),           cmocka_unit_test(test_bad_tokens),
        cmocka_unit_test(test_timeouts_and_revoke),         cmocka_unit_test(test_audited),
        cmocka_unit_test(test_expired_sessions_are_purged),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
