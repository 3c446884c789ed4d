/* sqlite.c - the SQLite backend: embedded, WAL journal, foreign keys on. */
#include "store/backend.h"

#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"
#include "util/banned.h"

/* Another writer held the lock past the busy timeout: nothing was written
 * and the same call may succeed later. */
static ag_err busy(ag_error *err)
{
    return ag_fail(
        err, AG_ERR_BUSY, NULL, "服务器正忙（数据库正被其他写入占用），请稍后再试",
        "the server is busy (the database is locked by another writer); try again later");
}

static ag_err map_rc(sqlite3 *db, int rc, ag_error *err)
{
    const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    int ext = db ? sqlite3_extended_errcode(db) : rc;
    switch (ext) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
        return ag_fail(err, AG_ERR_EXISTS, NULL, "记录已存在（%s）", "record already exists (%s)",
                       msg);
    case SQLITE_CONSTRAINT_FOREIGNKEY:
        return ag_fail(err, AG_ERR_NOTFOUND, NULL, "引用的记录不存在（%s）",
                       "a referenced record does not exist (%s)", msg);
    case SQLITE_CONSTRAINT_CHECK:
    case SQLITE_CONSTRAINT_NOTNULL:
        return ag_fail(err, AG_ERR_INPUT, NULL, "数据不符合约束（%s）",
                       "value violates a constraint (%s)", msg);
    default:
        break;
    }
    if ((rc & 0xff) == SQLITE_NOMEM)
        return ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
        return busy(err);
    return ag_fail(err, AG_ERR_STORE, NULL, "数据库错误：%s", "database error: %s", msg);
}

/* Memory statistics take a global mutex on every SQLite allocation, which
 * serialises the server's request threads; nothing here reads them. Must
 * run before SQLite initialises (a later call fails harmlessly). */
/* SQLite's own busy timeout sleeps up to 100 ms between tries, so a writer waiting behind a
 * long batched import (which commits and begins again within microseconds) almost never
 * finds the lock free and waits for the whole import. This handler tries every 1–2 ms
 * instead, so a waiting write gets in at the import's next batch boundary (the importer
 * leaves a short gap there, ledger/import.c), and gives up after arg milliseconds of real
 * time (the first try of a wait, tries == 0, starts this thread's clock). */
static int busy_wait(void *arg, int tries)
{
    static _Thread_local struct timespec started;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (tries == 0)
        started = now;
    int64_t waited_ms =
        (int64_t)(now.tv_sec - started.tv_sec) * 1000 + (now.tv_nsec - started.tv_nsec) / 1000000;
    if (waited_ms >= (int64_t)(intptr_t)arg)
        return 0;
    struct timespec ts = {0, (tries < 10 ? 1 : 2) * 1000000L};
    nanosleep(&ts, NULL);
    return 1;
}

static void sq_configure(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static ag_err sq_open(const char *path, unsigned flags, void **conn, ag_error *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, sq_configure);
    sqlite3 *db = NULL;
    int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (flags & AG_STORE_CREATE) {
        oflags |= SQLITE_OPEN_CREATE;
        /* A new database is created 0600 whatever the umask; SQLite gives its
         * -wal and -shm files the main file's mode. An empty file is a valid
         * empty database. */
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) {
            (void)fchmod(fd, 0600);
            close(fd);
        }
    }
    int rc = sqlite3_open_v2(path, &db, oflags, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_close(db);
        if (!(flags & AG_STORE_CREATE) && (rc & 0xff) == SQLITE_CANTOPEN)
            return ag_fail(
                err, AG_ERR_NOTFOUND, path, "数据库 %s 不存在；请先运行 auditgrid init --db %s",
                "database %s does not exist; run `auditgrid init --db %s` first", path, path);
        return ag_fail(err, AG_ERR_IO, path, "无法打开数据库 %s：%s", "cannot open database %s: %s",
                       path, sqlite3_errstr(rc));
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_handler(db, busy_wait,
                         (void *)(intptr_t)(flags & AG_STORE_SHORT_WAIT ? 2000 : 10000));
    /* WAL lets readers work while a writer commits; FULL sync makes every
     * committed transaction (and its audit entry) durable; a 64 MiB page
     * cache keeps a large import's hot pages out of the WAL until commit. */
    char *emsg = NULL;
    rc = sqlite3_exec(db,
                      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                      "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; "
                      "PRAGMA cache_size=-65536;",
                      NULL, NULL, &emsg);
    if (rc != SQLITE_OK && ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)) {
        sqlite3_free(emsg);
        sqlite3_close(db);
        return busy(err);
    }
    if (rc != SQLITE_OK) {
        ag_err e =
            ag_fail(err, rc == SQLITE_NOTADB ? AG_ERR_INPUT : AG_ERR_STORE, path,
                    "无法使用数据库 %s：%s", "cannot use database %s: %s", path, emsg ? emsg : "?");
        sqlite3_free(emsg);
        sqlite3_close(db);
        return e;
    }
    *conn = db;
    return AG_OK;
}

static void sq_close(void *conn)
{
    sqlite3_close_v2(conn);
}

static ag_err sq_exec(void *conn, const char *sql, ag_error *err)
{
    int rc = sqlite3_exec(conn, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? AG_OK : map_rc(conn, rc, err);
}

static ag_err sq_prepare(void *conn, const char *sql, void **stmt, ag_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(conn, sql, -1, &s, NULL);
    if (rc != SQLITE_OK)
        return map_rc(conn, rc, err);
    *stmt = s;
    return AG_OK;
}

static ag_err bind_rc(int rc)
{
    return rc == SQLITE_OK ? AG_OK : rc == SQLITE_NOMEM ? AG_ERR_NOMEM : AG_ERR_STORE;
}

static ag_err sq_bind_int(void *stmt, int idx, int64_t v)
{
    return bind_rc(sqlite3_bind_int64(stmt, idx, v));
}

static ag_err sq_bind_text(void *stmt, int idx, const char *v)
{
    if (!v)
        return bind_rc(sqlite3_bind_null(stmt, idx));
    return bind_rc(sqlite3_bind_text(stmt, idx, v, -1, SQLITE_TRANSIENT));
}

static ag_err sq_bind_textn(void *stmt, int idx, const char *v, size_t len)
{
    if (!v)
        return bind_rc(sqlite3_bind_null(stmt, idx));
    return bind_rc(sqlite3_bind_text64(stmt, idx, v, len, SQLITE_STATIC, SQLITE_UTF8));
}

static ag_err sq_bind_null(void *stmt, int idx)
{
    return bind_rc(sqlite3_bind_null(stmt, idx));
}

static ag_err sq_step(void *stmt, bool *row, ag_error *err)
{
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        *row = true;
        return AG_OK;
    }
    *row = false;
    if (rc == SQLITE_DONE)
        return AG_OK;
    return map_rc(sqlite3_db_handle(stmt), rc, err);
}

static int64_t sq_col_int(void *stmt, int col)
{
    return sqlite3_column_int64(stmt, col);
}

static const char *sq_col_text(void *stmt, int col)
{
    return (const char *)sqlite3_column_text(stmt, col);
}

static bool sq_col_is_null(void *stmt, int col)
{
    return sqlite3_column_type(stmt, col) == SQLITE_NULL;
}

static int sq_col_count(void *stmt)
{
    return sqlite3_column_count(stmt);
}

static const char *sq_col_name(void *stmt, int col)
{
    return sqlite3_column_name(stmt, col);
}

static ag_err sq_reset(void *stmt, ag_error *err)
{
    int rc = sqlite3_reset(stmt);
    return rc == SQLITE_OK ? AG_OK : map_rc(sqlite3_db_handle(stmt), rc, err);
}

static void sq_finalize(void *stmt)
{
    sqlite3_finalize(stmt);
}

const store_backend store_backend_sqlite = {
    .name = "sqlite",
    .id_column_ddl = "INTEGER PRIMARY KEY",
    .begin_sql = "BEGIN IMMEDIATE",
    .open = sq_open,
    .close = sq_close,
    .exec = sq_exec,
    .prepare = sq_prepare,
    .bind_int = sq_bind_int,
    .bind_text = sq_bind_text,
    .bind_null = sq_bind_null,
    .bind_textn = sq_bind_textn,
    .step = sq_step,
    .col_int = sq_col_int,
    .col_text = sq_col_text,
    .col_is_null = sq_col_is_null,
    .col_count = sq_col_count,
    .col_name = sq_col_name,
    .reset = sq_reset,
    .finalize = sq_finalize,
};
