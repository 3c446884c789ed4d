/* test_sqlite.c - the SQLite backend on real files: busy timeouts, file mode, locks and WAL. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "store/store.h"
#include "../testutil.h"

static int64_t query(ag_store *st, const char *sql)
{
    int64_t v = -1;
    ag_error err;
    must(store_query_int(st, &v, &err, sql, NULL), &err);
    return v;
}

static ag_store *open_at(const char *path, unsigned flags)
{
    ag_store *st = NULL;
    ag_error err;
    must(store_open(path, flags, &st, &err), &err);
    return st;
}

/* A second, raw connection to the same file: the "other writer". */
static sqlite3 *raw_open(const char *path)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    return db;
}

static void raw_exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fail_msg("%s: %s", sql, msg ? msg : sqlite3_errstr(rc));
}

static void add_district(ag_store *st, const char *code, ag_error *err, ag_err want)
{
    ag_field f[] = {ag_field_text("code", code), ag_field_text("name", "南开区"),
                    ag_field_text("created_at", "2026-01-05T08:00:00Z")};
    ag_err rc = store_begin(st, err);
    if (!rc) {
        rc = store_insert(st, "district", "code", f, 3, NULL, err);
        if (!rc)
            rc = store_commit(st, err);
        else
            store_rollback(st);
    }
    assert_int_equal(rc, want);
}

/* The other writer: holds the write lock of a file for hold_ms, then commits. */
typedef struct holder {
    char path[1024];
    int hold_ms;
    pthread_barrier_t *locked;
} holder;

static void *hold_lock(void *arg)
{
    holder *h = arg;
    sqlite3 *db = raw_open(h->path);
    raw_exec(db, "BEGIN IMMEDIATE");
    pthread_barrier_wait(h->locked);
    struct timespec ts = {h->hold_ms / 1000, (long)(h->hold_ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
    raw_exec(db, "COMMIT");
    sqlite3_close(db);
    return NULL;
}

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Opens path with flags, lets another connection hold the write lock for hold_ms, and tries a
 * write meanwhile: the write's outcome and how long it took. */
static ag_err write_behind_lock(const char *path, unsigned flags, int hold_ms, int64_t *took_ms)
{
    ag_store *st = open_at(path, flags);
    pthread_barrier_t locked;
    pthread_barrier_init(&locked, NULL, 2);
    holder h = {.hold_ms = hold_ms, .locked = &locked};
    snprintf(h.path, sizeof h.path, "%s", path);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, hold_lock, &h), 0);
    pthread_barrier_wait(&locked);
    int64_t t0 = now_ms();
    ag_error err;
    ag_err rc = store_begin(st, &err);
    if (!rc)
        rc = store_exec(st,
                        "INSERT INTO setting (key, value, updated_at) VALUES ('t', '1', 'x')"
                        " ON CONFLICT (key) DO UPDATE SET value = value + 1",
                        &err);
    rc = store_end(st, rc, &err);
    *took_ms = now_ms() - t0;
    pthread_join(t, NULL);
    pthread_barrier_destroy(&locked);
    store_close(st);
    return rc;
}

/* By default a write waits up to 10 s for another writer: it outlasts a 4 s lock. */
static void a_write_waits_out_a_four_second_lock_by_default(void **state)
{
    (void)state;
    char path[1024];
    ag_test_path(path, sizeof path, "sqlite-timeout.db");
    store_close(open_at(path, AG_STORE_CREATE));
    int64_t took = 0;
    assert_int_equal(write_behind_lock(path, 0, 4000, &took), AG_OK);
    assert_true(took >= 3900);
}

/* The server's connections (AG_STORE_SHORT_WAIT) give up after 2 s: busy, not a 4 s wait. */
static void short_wait_gives_up_after_two_seconds(void **state)
{
    (void)state;
    char path[1024];
    ag_test_path(path, sizeof path, "sqlite-short.db");
    store_close(open_at(path, AG_STORE_CREATE));
    int64_t took = 0;
    assert_int_equal(write_behind_lock(path, AG_STORE_SHORT_WAIT, 4000, &took), AG_ERR_BUSY);
    assert_true(took >= 1900);
    assert_true(took < 3900);
}

static void the_connection_uses_wal_full_sync_and_foreign_keys(void **state)
{
    (void)state;
    char path[1024];
    ag_test_path(path, sizeof path, "sqlite-pragmas.db");
    ag_store *st = open_at(path, AG_STORE_CREATE);
    assert_int_equal(query(st, "PRAGMA foreign_keys"), 1);
    assert_int_equal(query(st, "PRAGMA synchronous"), 2); /* FULL */
    ag_stmt *s = NULL;
    ag_error err;
    bool row = false;
    must(store_prepare(st, "PRAGMA journal_mode", &s, &err), &err);
    must(store_step(s, &row, &err), &err);
    assert_true(row);
    assert_string_equal(store_col_text(s, 0), "wal");
    store_finalize(s);
    store_close(st);
}

static void a_created_database_and_its_wal_are_0600_whatever_the_umask(void **state)
{
    (void)state;
    char path[1024], wal[1100];
    ag_test_path(path, sizeof path, "sqlite-mode.db");
    mode_t old = umask(0);
    ag_store *st = open_at(path, AG_STORE_CREATE);
    ag_error err;
    add_district(st, "120104", &err, AG_OK);
    umask(old);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    snprintf(wal, sizeof wal, "%s-wal", path);
    assert_int_equal(stat(wal, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    store_close(st);
}

static void opening_an_existing_file_keeps_its_mode(void **state)
{
    (void)state;
    char path[1024];
    ag_test_path(path, sizeof path, "sqlite-keep.db");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(chmod(path, 0640), 0);
    ag_store *st = open_at(path, AG_STORE_CREATE);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0640);
    /* The empty file became a migrated database. */
    assert_int_equal(store_schema_version(st), store_latest_version());
    store_close(st);
}

static void another_writer_holding_the_lock_is_busy_and_nothing_is_written(void **state)
{
    (void)state;
    char path[1024];
    ag_test_path(path, sizeof path, "sqlite-busy.db");
    ag_store *st = open_at(path, AG_STORE_CREATE);
    ag_error err;
    /* Keep the test fast: the timeouts themselves are checked above. */
    must(store_exec(st, "PRAGMA busy_timeout = 50", &err), &err);
    sqlite3 *other = raw_open(path);
    raw_exec(other, "BEGIN IMMEDIATE");
    add_district(st, "120104", &err, AG_ERR_BUSY);
    assert_int_equal(err.code, AG_ERR_BUSY);
    assert_non_null(strstr(err.zh, "服务器正忙"));
    assert_non_null(strstr(err.en, "busy"));
    assert_false(store_in_tx(st));
    raw_exec(other, "COMMIT");
    sqlite3_close(other);
    assert_int_equal(query(st, "SELECT COUNT(*) FROM district"), 0);
    assert_int_equal(query(st, "SELECT COUNT(*) FROM audit_log"), 0);
    /* Once the lock is gone the same call succeeds. */
    add_district(st, "120104", &err, AG_OK);
    assert_int_equal(query(st, "SELECT COUNT(*) FROM district"), 1);
    store_close(st);
}

static void a_write_inside_a_transaction_is_busy_when_locked(void **state)
{
    (void)state;
    char path[1024];
    ag_test_path(path, sizeof path, "sqlite-busy-exec.db");
    ag_store *st = open_at(path, AG_STORE_CREATE);
    ag_error err;
    must(store_exec(st, "PRAGMA busy_timeout = 50", &err), &err);
    sqlite3 *other = raw_open(path);
    raw_exec(
        other,
        "BEGIN IMMEDIATE; INSERT INTO setting (key, value, updated_at) VALUES ('x', 'y', 'z')");
    assert_int_equal(store_exec(st, "DELETE FROM setting", &err), AG_ERR_BUSY);
    raw_exec(other, "ROLLBACK");
    sqlite3_close(other);
    store_close(st);
}

static void readers_are_not_blocked_by_a_writer_and_see_the_last_commit(void **state)
{
    (void)state;
    char path[1024];
    ag_test_path(path, sizeof path, "sqlite-wal.db");
    ag_store *st = open_at(path, AG_STORE_CREATE);
    ag_error err;
    add_district(st, "120104", &err, AG_OK);
    must(store_exec(st, "PRAGMA busy_timeout = 50", &err), &err);
    sqlite3 *other = raw_open(path);
    raw_exec(other, "BEGIN IMMEDIATE;"
                    "INSERT INTO district (code, name, created_at) VALUES ('120105', 'x', 'y')");
    /* The writer has not committed: the reader sees the committed state, at once. */
    assert_int_equal(query(st, "SELECT COUNT(*) FROM district"), 1);
    raw_exec(other, "COMMIT");
    assert_int_equal(query(st, "SELECT COUNT(*) FROM district"), 2);
    /* And an open read transaction elsewhere does not block our write. */
    raw_exec(other, "BEGIN; SELECT COUNT(*) FROM district");
    add_district(st, "120106", &err, AG_OK);
    raw_exec(other, "COMMIT");
    sqlite3_close(other);
    assert_int_equal(query(st, "SELECT COUNT(*) FROM district"), 3);
    store_close(st);
}

static void bad_sql_is_a_store_error_with_the_message(void **state)
{
    (void)state;
    ag_store *st = ag_test_fresh_db("sqlite-badsql.db");
    ag_error err;
    assert_int_equal(store_exec(st, "SELECT * FROM no_such_table", &err), AG_ERR_STORE);
    assert_non_null(strstr(err.en, "no_such_table"));
    assert_non_null(strstr(err.zh, "数据库错误"));
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_write_waits_out_a_four_second_lock_by_default),
        cmocka_unit_test(short_wait_gives_up_after_two_seconds),
        cmocka_unit_test(the_connection_uses_wal_full_sync_and_foreign_keys),
        cmocka_unit_test(a_created_database_and_its_wal_are_0600_whatever_the_umask),
        cmocka_unit_test(opening_an_existing_file_keeps_its_mode),
        cmocka_unit_test(another_writer_holding_the_lock_is_busy_and_nothing_is_written),
        cmocka_unit_test(a_write_inside_a_transaction_is_busy_when_locked),
        cmocka_unit_test(readers_are_not_blocked_by_a_writer_and_see_the_last_commit),
        cmocka_unit_test(bad_sql_is_a_store_error_with_the_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
