/* backend.h - the ops table a storage backend implements (private to store/). */
#ifndef AG_STORE_BACKEND_H
#define AG_STORE_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

/* A backend works on opaque connection and statement handles. Errors are
 * mapped to ag_err: unique/primary-key violations to AG_ERR_EXISTS, foreign
 * keys to AG_ERR_NOTFOUND, check constraints to AG_ERR_INPUT, the rest to
 * AG_ERR_STORE with the backend's message in err. */
typedef struct store_backend {
    const char *name;
    /* DDL for an auto-generated 64-bit integer primary key column. */
    const char *id_column_ddl;
    /* Statement that starts a write transaction. */
    const char *begin_sql;
    ag_err (*open)(const char *path, unsigned flags, void **conn, ag_error *err);
    void (*close)(void *conn);
    ag_err (*exec)(void *conn, const char *sql, ag_error *err);
    ag_err (*prepare)(void *conn, const char *sql, void **stmt, ag_error *err);
    ag_err (*bind_int)(void *stmt, int idx, int64_t v);
    ag_err (*bind_text)(void *stmt, int idx, const char *v);
    ag_err (*bind_null)(void *stmt, int idx);
    ag_err (*bind_textn)(void *stmt, int idx, const char *v, size_t len); /* borrowed */
    ag_err (*step)(void *stmt, bool *row, ag_error *err);
    int64_t (*col_int)(void *stmt, int col);
    const char *(*col_text)(void *stmt, int col);
    bool (*col_is_null)(void *stmt, int col);
    int (*col_count)(void *stmt);
    const char *(*col_name)(void *stmt, int col);
    ag_err (*reset)(void *stmt, ag_error *err);
    void (*finalize)(void *stmt);
} store_backend;

extern const store_backend store_backend_sqlite;

/* The schema migrations, oldest first, as portable SQL in which the token
 * {{ID}} stands for the backend's id_column_ddl. */
extern const char *const store_migrations[];
extern const int store_migration_count;

#endif
