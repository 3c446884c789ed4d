/* test_migrations.c - the schema migrations: fresh databases, upgrades that keep data, a failing
 * migration rolled back, foreign keys consistent. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/backend.h"
#include "store/store.h"
#include "../testutil.h"

static void raw_exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fail_msg("%.80s: %s", sql, msg ? msg : sqlite3_errstr(rc));
}

static int64_t raw_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

/* Migration v (1-based) with {{ID}} replaced by the SQLite backend's key DDL; caller frees. */
static char *expanded(int v)
{
    const char *src = store_migrations[v - 1], *ddl = store_backend_sqlite.id_column_ddl;
    size_t cap = strlen(src) * 4 + 1, n = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    for (const char *p = src; *p;) {
        if (strncmp(p, "{{ID}}", 6) == 0) {
            n += (size_t)snprintf(out + n, cap - n, "%s", ddl);
            p += 6;
        } else {
            out[n++] = *p++;
        }
    }
    out[n] = '\0';
    return out;
}

/* Builds a database at path as an older build left it: only the first k migrations. */
static sqlite3 *build_old(const char *path, int k)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    raw_exec(db, "PRAGMA foreign_keys=ON;"
                 "CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY,"
                 " applied_at TEXT NOT NULL)");
    for (int v = 1; v <= k; v++) {
        char *sql = expanded(v), ins[128];
        raw_exec(db, "BEGIN");
        raw_exec(db, sql);
        snprintf(ins, sizeof ins,
                 "INSERT INTO schema_migrations VALUES (%d, '2026-01-01T00:00:00Z')", v);
        raw_exec(db, ins);
        raw_exec(db, "COMMIT");
        free(sql);
    }
    return db;
}

static int64_t query(ag_store *st, const char *sql)
{
    int64_t v = -1;
    ag_error err;
    must(store_query_int(st, &v, &err, sql, NULL), &err);
    return v;
}

/* Rows that violate a foreign key, over the whole database. */
static int64_t fk_violations(ag_store *st)
{
    ag_stmt *s = NULL;
    ag_error err;
    bool row = true;
    int64_t n = 0;
    must(store_prepare(st, "PRAGMA foreign_key_check", &s, &err), &err);
    while (row) {
        must(store_step(s, &row, &err), &err);
        if (row) {
            print_error("foreign key broken in %s (row %lld)\n", store_col_text(s, 0),
                        (long long)store_col_int(s, 1));
            n++;
        }
    }
    store_finalize(s);
    return n;
}

static void the_build_knows_its_migrations(void **state)
{
    (void)state;
    assert_true(store_migration_count > 1);
    assert_int_equal(store_latest_version(), store_migration_count);
    for (int v = 1; v <= store_migration_count; v++)
        assert_true(store_migrations[v - 1] && strlen(store_migrations[v - 1]) > 10);
}

static void a_fresh_database_reaches_the_latest_version(void **state)
{
    (void)state;
    ag_store *st = ag_test_fresh_db("mig-fresh.db");
    assert_int_equal(store_schema_version(st), store_latest_version());
    assert_int_equal(query(st, "SELECT MAX(version) FROM schema_migrations"),
                     store_latest_version());
    assert_int_equal(query(st, "SELECT COUNT(*) FROM schema_migrations"), store_latest_version());
    assert_int_equal(fk_violations(st), 0);
    store_close(st);
}

/* An upgrade from k applied migrations keeps the rows written under the old schema. */
static void upgrade_from(int k)
{
    char path[1024], name[64];
    snprintf(name, sizeof name, "mig-up-%d.db", k);
    ag_test_path(path, sizeof path, name);
    sqlite3 *db = build_old(path, k);
    raw_exec(db, "INSERT INTO district (code, name, created_at) VALUES"
                 " ('120104', '南开区', '2026-01-01T00:00:00Z');"
                 "INSERT INTO grid_cell (id, district_code, kind, name, created_at) VALUES"
                 " ('C01', '120104', 'dept', '教育口', '2026-01-01T00:00:00Z');"
                 "INSERT INTO unit (code, name, type, district_code, cell_id, created_at) VALUES"
                 " ('U001', '区第一中学', '学校', '120104', 'C01', '2026-01-01T00:00:00Z');"
                 "INSERT INTO person (name, unit_code, created_at) VALUES"
                 " ('张三', 'U001', '2026-01-01T00:00:00Z');");
    sqlite3_close(db);

    ag_store *st = NULL;
    ag_error err;
    must(store_open(path, 0, &st, &err), &err);
    assert_int_equal(store_schema_version(st), store_latest_version());
    assert_int_equal(query(st, "SELECT COUNT(*) FROM schema_migrations"), store_latest_version());
    assert_int_equal(query(st, "SELECT COUNT(*) FROM unit WHERE code = 'U001' AND"
                               " name = '区第一中学' AND cell_id = 'C01'"),
                     1);
    assert_int_equal(query(st, "SELECT COUNT(*) FROM person WHERE name = '张三'"), 1);
    assert_int_equal(fk_violations(st), 0);
    store_close(st);

    /* The versions the old build applied keep their original time: nothing ran twice. */
    db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(raw_int(db, "SELECT COUNT(*) FROM schema_migrations"
                                 " WHERE applied_at = '2026-01-01T00:00:00Z'"),
                     k);
    sqlite3_close(db);
}

static void an_upgrade_keeps_the_data_of_every_older_version(void **state)
{
    (void)state;
    int n = store_migration_count;
    int ks[] = {1, 2, n / 2, n - 1};
    for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++)
        if (ks[i] >= 1 && ks[i] < n)
            upgrade_from(ks[i]);
}

/* Copies the table name after the i-th "CREATE TABLE " of sql into out; false when absent. */
static bool created_table(const char *sql, int i, char *out, size_t n)
{
    const char *p = sql;
    for (int k = 0; k <= i; k++) {
        p = strstr(p, "CREATE TABLE ");
        if (!p)
            return false;
        p += strlen("CREATE TABLE ");
    }
    if (strncmp(p, "IF NOT EXISTS ", 14) == 0)
        return false;
    size_t len = strcspn(p, " (");
    if (len == 0 || len >= n)
        return false;
    memcpy(out, p, len);
    out[len] = '\0';
    return true;
}

static void a_failing_migration_is_rolled_back_and_reported(void **state)
{
    (void)state;
    /* Take the first later migration that creates two tables; make its second one clash. */
    int v = 0;
    char first[64] = "", second[64] = "";
    for (int i = 2; i <= store_migration_count && !v; i++)
        if (created_table(store_migrations[i - 1], 0, first, sizeof first) &&
            created_table(store_migrations[i - 1], 1, second, sizeof second))
            v = i;
    assert_true(v >= 2);

    char path[1024], sql[256];
    ag_test_path(path, sizeof path, "mig-fail.db");
    sqlite3 *db = build_old(path, v - 1);
    snprintf(sql, sizeof sql, "CREATE TABLE %s (squatter TEXT)", second);
    raw_exec(db, sql);
    sqlite3_close(db);

    ag_store *st = NULL;
    ag_error err;
    assert_int_equal(store_open(path, 0, &st, &err), AG_ERR_STORE);
    assert_null(st);
    assert_non_null(strstr(err.en, second));
    assert_non_null(strstr(err.en, "already exists"));
    assert_non_null(strstr(err.zh, "数据库错误"));
    assert_string_equal(err.where, path);

    /* Nothing of migration v stayed: its first table is gone, its version not recorded. */
    db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(raw_int(db, "SELECT MAX(version) FROM schema_migrations"), v - 1);
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM sqlite_master WHERE name = '%s'", first);
    assert_int_equal(raw_int(db, sql), 0);
    /* Removing the clash lets the next open finish the upgrade. */
    snprintf(sql, sizeof sql, "DROP TABLE %s", second);
    raw_exec(db, sql);
    sqlite3_close(db);
    must(store_open(path, 0, &st, &err), &err);
    assert_int_equal(store_schema_version(st), store_latest_version());
    store_close(st);
}

static void every_foreign_key_of_the_latest_schema_resolves(void **state)
{
    (void)state;
    /* Every REFERENCES clause names a table and column that exist: preparing a check over
     * each table fails otherwise ("foreign key mismatch"). */
    ag_store *st = ag_test_fresh_db("mig-fk.db");
    ag_stmt *s = NULL;
    ag_error err;
    bool row = true;
    char names[128][64];
    int n = 0;
    must(store_prepare(st,
                       "SELECT name FROM sqlite_master WHERE type = 'table' AND"
                       " name NOT LIKE 'sqlite_%' ORDER BY name",
                       &s, &err),
         &err);
    while (row && n < 128) {
        must(store_step(s, &row, &err), &err);
        if (row)
            snprintf(names[n++], sizeof names[0], "%s", store_col_text(s, 0));
    }
    store_finalize(s);
    assert_true(n > 20);
    for (int i = 0; i < n; i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "PRAGMA foreign_key_check(%.64s)", names[i]);
        ag_stmt *c = NULL;
        must(store_prepare(st, sql, &c, &err), &err);
        must(store_step(c, &row, &err), &err);
        assert_false(row);
        store_finalize(c);
    }
    assert_int_equal(fk_violations(st), 0);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_build_knows_its_migrations),
        cmocka_unit_test(a_fresh_database_reaches_the_latest_version),
        cmocka_unit_test(an_upgrade_keeps_the_data_of_every_older_version),
        cmocka_unit_test(a_failing_migration_is_rolled_back_and_reported),
        cmocka_unit_test(every_foreign_key_of_the_latest_schema_resolves),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
