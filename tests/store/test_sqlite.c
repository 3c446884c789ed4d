/* test_sqlite.c - the SQLite backend on real files: busy timeouts, file mode, locks and WAL. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

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

static void busy_timeout_is_ten_seconds_by_default(void **state)
{
    (void)state;
    char path[1024];
    ag_test_path(path, sizeof path, "sqlite-timeout.db");
    ag_store *st = open_at(path, AG_STORE_CREATE);
    assert_int_equal(query(st, "PRAGMA busy_timeout"), 10000);
    store_close(st);
}

static void short_wait_makes_it_two_seconds(void **state)
{
    (void)state;
    char path[1024];
    ag_test_path(path, sizeof path, "sqlite-short.db");
    store_close(open_at(path, AG_STORE_CREATE));
    ag_store *st = open_at(path, AG_STORE_SHORT_WAIT);
    assert_int_equal(query(st, "PRAGMA busy_timeout"), 2000);
    store_close(st);
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
    /* Keep the test fast: the timeout values are pinned above. */
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
        cmocka_unit_test(busy_timeout_is_ten_seconds_by_default),
        cmocka_unit_test(short_wait_makes_it_two_seconds),
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
