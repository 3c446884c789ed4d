/* user.h - user accounts: roles of DESIGN.md §2, their scope, Argon2id passwords. */
#ifndef AG_USER_H
#define AG_USER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

/* The roles, in the order of DESIGN.md §2. */
extern const char *const user_roles[];
extern const int user_role_count;

/* An account to create. Scope rules: admin and reviewer take no scope;
 * liaison needs cell_id; supervisor needs cell_id of a department cell;
 * leader and auditor need unit_code; chief_auditor needs the unit_code of a
 * 国企 (the group's head). password is taken as given (8 to 128 bytes) and
 * only its Argon2id hash is stored. */
/* Usernames are case-insensitive (kept in lower case). */
typedef struct user_in {
    const char *username;
    const char *role;
    const char *unit_code;
    const char *cell_id;
    const char *display_name;
    const char *password;
    int64_t person_id; /* 0: none */
} user_in;
ag_err user_add(ag_store *st, const user_in *u, int64_t *id, ag_error *err);

/* Checks a password against the stored hash. AG_OK on a match,
 * AG_ERR_DENIED otherwise (also for unknown or disabled users, so callers
 * cannot tell which). */
ag_err user_check_password(ag_store *st, const char *username, const char *password, int64_t *id,
                           ag_error *err);

/* All accounts without their hashes, as a JSON array. Caller owns *out. */
ag_err user_list(ag_store *st, json_t **out, ag_error *err);

/* Edits account id: its role, unit, cell, person and display name, under the same scope rules
 * as user_add (u->username and u->password are not used: the name stays, and the password
 * is the account holder's). AG_ERR_NOTFOUND when there is no such account. */
ag_err user_update(ag_store *st, int64_t id, const user_in *u, ag_error *err);
/* Disables (true: the account can no longer sign in and its sessions end at their next
 * request) or re-enables account id. acting_id is the account doing it, which cannot disable
 * itself. */
ag_err user_set_disabled(ag_store *st, int64_t id, bool disabled, int64_t acting_id, ag_error *err);

/* Argon2id with libsodium's interactive limits (64 MiB, 2 passes) into out
 * as a self-describing $argon2id$ string. */
ag_err user_hash_password(const char *password, char out[128], ag_error *err);

#endif
