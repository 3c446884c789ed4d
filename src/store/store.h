/* store.h - every persistent thing goes through this interface; backends hide behind it. */
#ifndef AG_STORE_H
#define AG_STORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

/* An open database. Opaque: no backend type (sqlite3, PGconn) leaves store/.
 * One ag_store is used by one thread at a time. */
typedef struct ag_store ag_store;
/* A prepared statement owned by its store; finalize before closing it. */
typedef struct ag_stmt ag_stmt;

/* Flags for store_open. */
#define AG_STORE_CREATE 0x1u /* create the database if it does not exist */
/* Wait at most 2 s (not 10 s) for another writer's lock; a request thread
 * answers "busy" (AG_ERR_BUSY) rather than hold its thread for long. */
#define AG_STORE_SHORT_WAIT 0x2u

/* Opens (and with AG_STORE_CREATE creates) the database at `path` and brings
 * its schema up to date by running pending migrations, each in its own
 * transaction. For SQLite the path is a file name; WAL journal, foreign keys
 * and a busy timeout are switched on. Without AG_STORE_CREATE a missing
 * database is AG_ERR_NOTFOUND with a hint to run `auditgrid init`. A lock
 * held by another writer past the busy timeout is AG_ERR_BUSY, from open or
 * from any later call. A created database file (and its -wal/-shm) is 0600.
 * On success *out owns the connection: release it with store_close. */
ag_err store_open(const char *path, unsigned flags, ag_store **out, ag_error *err);
/* Closes the connection; NULL is fine. Rolls back an open transaction. */
void store_close(ag_store *st);
/* The schema version after migrations (the number of migrations applied). */
int store_schema_version(const ag_store *st);
/* The number of migrations this build knows. */
int store_latest_version(void);
/* Sets who is acting for the audit log ("cli:root", "user:alice"). The store
 * copies the string. Default "system". */
void store_set_actor(ag_store *st, const char *actor);
const char *store_actor(const ag_store *st);

/* Transactions nest: the outermost begin starts a write transaction, inner
 * ones set savepoints. Every begin is matched by exactly one commit or
 * rollback. Rolling back an inner level undoes only that level. */
ag_err store_begin(ag_store *st, ag_error *err);
ag_err store_commit(ag_store *st, ag_error *err);
void store_rollback(ag_store *st);
/* Ends the level the caller began: commits it when rc is AG_OK, otherwise rolls it back and
 * returns rc (err already says why). The one end of a use case's transaction. */
ag_err store_end(ag_store *st, ag_err rc, ag_error *err);
/* True while a transaction is open. */
bool store_in_tx(const ag_store *st);
/* Rolls back every open level and resets the actor to "system": a pooled
 * connection goes back clean even if its user forgot a rollback. */
void store_rollback_all(ag_store *st);
/* The audit log's sequence number (0 before the first audited write): it
 * grows with every audited write, so a cached answer keyed on it is stale
 * once it moved. */
ag_err store_data_generation(ag_store *st, int64_t *gen, ag_error *err);

/* Runs one or more statements that return no rows. For schema work and
 * tests; writes to audited tables must go through store_insert/update/delete. */
ag_err store_exec(ag_store *st, const char *sql, ag_error *err);

/* Prepared statements with `?` placeholders (numbered from 1 in binds);
 * columns are numbered from 0. SQL must be portable between SQLite and
 * PostgreSQL: no backend-specific functions. */
ag_err store_prepare(ag_store *st, const char *sql, ag_stmt **out, ag_error *err);
ag_err store_bind_int(ag_stmt *s, int idx, int64_t v);
/* Binds a copy of text; NULL binds SQL NULL. */
ag_err store_bind_text(ag_stmt *s, int idx, const char *v);
ag_err store_bind_null(ag_stmt *s, int idx);
/* Binds len bytes of text WITHOUT copying (bulk paths): v must stay valid
 * until the statement has been stepped. NULL binds SQL NULL. */
ag_err store_bind_textn(ag_stmt *s, int idx, const char *v, size_t len);
/* Advances: *row is true while a row is available, false when done. */
ag_err store_step(ag_stmt *s, bool *row, ag_error *err);
/* Column accessors for the current row. Text stays valid until the next step,
 * reset or finalize; NULL for SQL NULL. */
int64_t store_col_int(ag_stmt *s, int col);
const char *store_col_text(ag_stmt *s, int col);
bool store_col_is_null(ag_stmt *s, int col);
int store_col_count(ag_stmt *s);
const char *store_col_name(ag_stmt *s, int col);
/* Makes the statement ready to run again; binds are kept until rebound. */
ag_err store_reset(ag_stmt *s, ag_error *err);
/* Frees the statement; NULL is fine. */
void store_finalize(ag_stmt *s);

/* Convenience: runs a query with text arguments (NULL-terminated list after
 * sql) and returns its first column of the first row as int64 in *out; AG_ERR_NOTFOUND when
 * there is no row. */
ag_err store_query_int(ag_store *st, int64_t *out, ag_error *err, const char *sql, ...);

/* Prepares sql into *out and binds the arguments that `types` describes, one letter each from
 * index 1: 'i' an int64_t, 't' a const char * (NULL binds SQL NULL). On failure *out is NULL
 * (nothing to finalize) and err says why. */
ag_err store_prepare_args(ag_store *st, ag_stmt **out, ag_error *err, const char *sql,
                          const char *types, ...);
ag_err store_vprepare_args(ag_store *st, ag_stmt **out, ag_error *err, const char *sql,
                           const char *types, va_list ap);
/* Binds the arguments `types` describes to s from index 1, as store_prepare_args; err may be
 * NULL. store_reset_args first resets s for its next run. */
ag_err store_bind_args(ag_stmt *s, ag_error *err, const char *types, ...);
ag_err store_reset_args(ag_stmt *s, ag_error *err, const char *types, ...);

/* ---- Audited writes ------------------------------------------------------
 * Each call writes one row and appends one audit-log entry (actor, time,
 * action, table, key, SHA-256 of the row before and after) in the same
 * transaction, chained by SHA-256 to the previous entry. */

typedef enum ag_val_type { AG_VAL_NULL, AG_VAL_INT, AG_VAL_TEXT } ag_val_type;

/* One column value. `s` is borrowed for the duration of the call. */
typedef struct ag_field {
    const char *col;
    ag_val_type type;
    int64_t i;
    const char *s;
} ag_field;

static inline ag_field ag_field_int(const char *col, int64_t v)
{
    ag_field f = {col, AG_VAL_INT, v, NULL};
    return f;
}
/* A NULL string makes a NULL field. */
static inline ag_field ag_field_text(const char *col, const char *v)
{
    ag_field f = {col, v ? AG_VAL_TEXT : AG_VAL_NULL, 0, v};
    return f;
}
static inline ag_field ag_field_null(const char *col)
{
    ag_field f = {col, AG_VAL_NULL, 0, NULL};
    return f;
}

/* Inserts a row. `keycol` names the table's key column: when it is among the
 * fields its value is the audit key, otherwise the backend generates it and
 * it is returned in *new_id (may be NULL). A duplicate key or unique value
 * is AG_ERR_EXISTS; a broken reference is AG_ERR_NOTFOUND. */
ag_err store_insert(ag_store *st, const char *table, const char *keycol, const ag_field *f,
                    size_t n, int64_t *new_id, ag_error *err);
/* Updates the row whose keycol equals key; AG_ERR_NOTFOUND when absent. */
ag_err store_update(ag_store *st, const char *table, const char *keycol, ag_field key,
                    const ag_field *f, size_t n, ag_error *err);
/* Deletes the row whose keycol equals key; AG_ERR_NOTFOUND when absent. */
ag_err store_delete(ag_store *st, const char *table, const char *keycol, ag_field key,
                    ag_error *err);
/* Appends an audit entry for a write done in bulk (an import), where one
 * entry stands for many rows. Digests may be NULL (recorded as empty). */
ag_err store_audit_append(ag_store *st, const char *action, const char *table, const char *key,
                          const char *before_digest, const char *after_digest, ag_error *err);

/* Result of walking the audit-log chain. */
typedef struct ag_audit_report {
    int64_t entries;  /* entries checked */
    int64_t bad_seq;  /* first broken entry's sequence number, 0 when intact */
    char reason[256]; /* what is wrong with it (English) */
    char reason_zh[256];
    int64_t head_seq;   /* the recorded chain head, to keep outside */
    char head_hash[65]; /* the database (anchoring) */
} ag_audit_report;

/* Recomputes the chain from the first entry: each entry's hash over its
 * fields and its predecessor's hash, sequence numbers without gaps, and the
 * recorded chain head. AG_OK when intact; AG_ERR_TAMPER with rep->bad_seq set
 * when an entry was altered or removed. */
ag_err store_audit_verify(ag_store *st, ag_audit_report *rep, ag_error *err);

#endif
