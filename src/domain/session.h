/* session.h - web sessions in the store: random ids, only their hashes kept, idle and absolute
 * timeouts. */
#ifndef AG_SESSION_H
#define AG_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/scope.h"
#include "store/store.h"

/* 32 random bytes in base64url without padding: 43 characters and a NUL. */
#define SESSION_TOKEN_LEN 44

/* Timeouts in seconds. */
typedef struct session_limits {
    int64_t idle;     /* a session unused this long ends (default 30 min) */
    int64_t absolute; /* a session ends this long after login (default 12 h) */
    int64_t touch;    /* last_seen_at is written at most this often (default 60 s) */
} session_limits;

void session_limits_default(session_limits *l);

/* The account behind a live session. */
typedef struct session_user {
    int64_t session_id;
    int64_t user_id;
    char username[80];
    char display_name[128];
    char role[16];
    char unit_code[32];
    char cell_id[32];
    int64_t person_id;
    char csrf[SESSION_TOKEN_LEN];
    int64_t created_at;
    int64_t expires_at; /* the absolute end */
    bool touch_due;     /* last_seen_at is older than limits.touch: call session_touch */
    ag_scope scope;
} session_user;

/* Starts a session for user_id: a new random id (returned in token, for the
 * cookie) whose SHA-256 alone is stored, and a new CSRF token (in csrf).
 * Audited: the session row is inserted with store_insert under the store's
 * current actor. *expires_at receives the absolute end (may be NULL). */
ag_err session_create(ag_store *st, int64_t user_id, const session_limits *l,
                      char token[SESSION_TOKEN_LEN], char csrf[SESSION_TOKEN_LEN],
                      int64_t *expires_at, ag_error *err);

/* Looks a token up. AG_OK with *u filled for a live session of an enabled
 * account; AG_ERR_DENIED for anything else (unknown, malformed, revoked,
 * idle or past its absolute end, account disabled or without a valid scope).
 * Reads only; u->touch_due says when last_seen_at should be refreshed. */
ag_err session_lookup(ag_store *st, const char *token, const session_limits *l, session_user *u,
                      ag_error *err);

/* Sets the session's last_seen_at to now (when it is earlier). Bookkeeping
 * for the idle timeout, not a change anyone decided: not audited. Callers
 * may do it off the request path so a request never waits for the write
 * lock. */
ag_err session_touch(ag_store *st, int64_t session_id, int64_t now, ag_error *err);

/* Revokes the session of this token (audited, via store_update). A token
 * that matches nothing is AG_ERR_NOTFOUND. */
ag_err session_revoke(ag_store *st, const char *token, ag_error *err);

/* The account fields of user_id as in a session (session_id 0, no csrf).
 * AG_ERR_NOTFOUND for an unknown user. */
ag_err session_user_load(ag_store *st, int64_t user_id, session_user *u, ag_error *err);

/* base64url (no padding) of n bytes into out (at least 4*n/3+2 bytes). */
void session_b64url(const unsigned char *p, size_t n, char *out, size_t outlen);

/* Parses YYYY-MM-DDTHH:MM:SSZ; false when malformed. */
bool session_parse_time(const char *s, int64_t *t);

#endif
