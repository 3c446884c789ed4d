/* test_store.c - the store on real SQLite files: schema, constraints, transactions, audited writes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "../testutil.h"

/* ---- helpers ------------------------------------------------------------ */

static ag_store *open_fresh(char *path, size_t n, const char *name)
{
    ag_test_path(path, n, name);
    ag_store *st = NULL;
    ag_error err;
    ag_err rc = store_open(path, AG_STORE_CREATE, &st, &err);
    if (rc)
        fail_msg("store_open %s: %s", path, err.en);
    return st;
}

static int64_t count(ag_store *st, const char *sql)
{
    int64_t n = -1;
    ag_error err;
    ag_err rc = store_query_int(st, &n, &err, sql, NULL);
    if (rc)
        fail_msg("%s: %s", sql, err.en);
    return n;
}

static int64_t audit_count(ag_store *st)
{
    return count(st, "SELECT COUNT(*) FROM audit_log");
}

static ag_err add_district(ag_store *st, const char *code, ag_error *err)
{
    ag_field f[] = {ag_field_text("code", code), ag_field_text("name", "南开区"),
                    ag_field_text("created_at", "2026-01-05T08:00:00Z")};
    return store_insert(st, "district", "code", f, 3, NULL, err);
}

static ag_err add_cell(ag_store *st, const char *id, const char *district, const char *kind,
                       ag_error *err)
{
    ag_field f[] = {ag_field_text("id", id), ag_field_text("district_code", district),
                    ag_field_text("kind", kind), ag_field_text("name", id),
                    ag_field_text("created_at", "2026-01-05T08:00:00Z")};
    return store_insert(st, "grid_cell", "id", f, 5, NULL, err);
}

/* One audit_log row, as text. */
typedef struct entry {
    int64_t seq;
    char actor[128], action[16], tbl[64], key[64], before[80], after[80];
} entry;

static void read_entry(ag_store *st, int64_t seq, entry *e)
{
    ag_stmt *s = NULL;
    ag_error err;
    bool row = false;
    must(store_prepare(st,
                       "SELECT seq, actor, action, tbl, row_key, before_digest, after_digest"
                       " FROM audit_log WHERE seq = ?",
                       &s, &err),
         &err);
    assert_int_equal(store_bind_int(s, 1, seq), AG_OK);
    must(store_step(s, &row, &err), &err);
    if (!row)
        fail_msg("no audit entry %lld", (long long)seq);
    e->seq = store_col_int(s, 0);
    snprintf(e->actor, sizeof e->actor, "%s", store_col_text(s, 1));
    snprintf(e->action, sizeof e->action, "%s", store_col_text(s, 2));
    snprintf(e->tbl, sizeof e->tbl, "%s", store_col_text(s, 3));
    snprintf(e->key, sizeof e->key, "%s", store_col_text(s, 4));
    snprintf(e->before, sizeof e->before, "%s", store_col_text(s, 5));
    snprintf(e->after, sizeof e->after, "%s", store_col_text(s, 6));
    store_finalize(s);
}

static bool is_hex64(const char *s)
{
    return strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

/* ---- opening and the schema --------------------------------------------- */

static void open_creates_the_schema(void **state)
{
    (void)state;
    char path[1024];
    ag_store *st = open_fresh(path, sizeof path, "schema.db");
    assert_true(store_latest_version() >= 1);
    assert_int_equal(store_schema_version(st), store_latest_version());
    assert_int_equal(count(st, "SELECT COUNT(*) FROM schema_migrations"), store_latest_version());
    assert_int_equal(count(st, "SELECT MAX(version) FROM schema_migrations"),
                     store_latest_version());
    /* The tables of the first migration are there and empty. */
    const char *tables[] = {"district",     "grid_cell",    "unit",      "person",
                            "unit_subject", "cell_liaison", "app_user",  "catalog_version",
                            "catalog_item", "audit_log",    "audit_head"};
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", tables[i]);
        assert_int_equal(count(st, sql), 0);
    }
    assert_false(store_in_tx(st));
    assert_string_equal(store_actor(st), "system");
    store_close(st);
}

static void reopening_runs_no_migration_again(void **state)
{
    (void)state;
    char path[1024];
    ag_store *st = open_fresh(path, sizeof path, "reopen.db");
    ag_stmt *s = NULL;
    ag_error err;
    bool row;
    char first[64] = "";
    must(store_prepare(st, "SELECT applied_at FROM schema_migrations WHERE version = 1", &s, &err),
         &err);
    must(store_step(s, &row, &err), &err);
    assert_true(row);
    snprintf(first, sizeof first, "%s", store_col_text(s, 0));
    store_finalize(s);
    store_close(st);

    for (int i = 0; i < 2; i++) {
        must(store_open(path, 0, &st, &err), &err);
        assert_int_equal(store_schema_version(st), store_latest_version());
        assert_int_equal(count(st, "SELECT COUNT(*) FROM schema_migrations"),
                         store_latest_version());
        must(store_prepare(st, "SELECT applied_at FROM schema_migrations WHERE version = 1", &s,
                           &err),
             &err);
        must(store_step(s, &row, &err), &err);
        assert_true(row);
        assert_string_equal(store_col_text(s, 0), first);
        store_finalize(s);
        store_close(st);
    }
}

static void opening_a_missing_file_without_create_is_notfound(void **state)
{
    (void)state;
    char path[1024];
    ag_test_path(path, sizeof path, "missing.db");
    ag_store *st = (ag_store *)&path; /* must be reset to NULL */
    ag_error err;
    assert_int_equal(store_open(path, 0, &st, &err), AG_ERR_NOTFOUND);
    assert_null(st);
    assert_int_equal(err.code, AG_ERR_NOTFOUND);
    assert_non_null(strstr(err.en, "auditgrid init"));
    assert_non_null(strstr(err.where, "missing.db"));
    /* And nothing was created on the way. */
    assert_int_equal(access(path, F_OK), -1);
}

static void opening_a_file_that_is_not_a_database_fails_cleanly(void **state)
{
    (void)state;
    char path[1024];
    ag_test_path(path, sizeof path, "notadb.db");
    const char text[] = "unit_code,voucher_no\n12120104MB0000001X,1\n"
                        "this is a CSV file, not SQLite, and long enough to have a header page\n";
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(text, 1, sizeof text - 1, f);
    fclose(f);

    for (unsigned flags = 0; flags <= AG_STORE_CREATE; flags++) {
        ag_store *st = (ag_store *)&path;
        ag_error err;
        /* Input rejected (the CLI's exit 3), naming the file and the reason. */
        assert_int_equal(store_open(path, flags, &st, &err), AG_ERR_INPUT);
        assert_null(st);
        assert_int_equal(err.code, AG_ERR_INPUT);
        assert_non_null(strstr(err.en, "notadb.db"));
        assert_non_null(strstr(err.en, "not a database"));
    }
    /* The file is left exactly as it was. */
    char back[sizeof text + 16] = "";
    f = fopen(path, "rb");
    assert_non_null(f);
    size_t got = fread(back, 1, sizeof back, f);
    fclose(f);
    assert_int_equal(got, sizeof text - 1);
    assert_memory_equal(back, text, sizeof text - 1);
}

static void a_schema_newer_than_the_build_is_refused(void **state)
{
    (void)state;
    char path[1024];
    ag_store *st = open_fresh(path, sizeof path, "newer.db");
    store_close(st);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char sql[160];
    snprintf(sql, sizeof sql,
             "INSERT INTO schema_migrations (version, applied_at) VALUES (%d, 'future')",
             store_latest_version() + 1);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    ag_error err;
    st = (ag_store *)&path;
    assert_int_equal(store_open(path, 0, &st, &err), AG_ERR_STORE);
    assert_null(st);
    assert_non_null(strstr(err.en, "upgrade auditgrid"));
}

static void wal_and_foreign_keys_are_on(void **state)
{
    (void)state;
    char path[1024];
    ag_store *st = open_fresh(path, sizeof path, "pragmas.db");
    ag_stmt *s = NULL;
    ag_error err;
    bool row;
    must(store_prepare(st, "PRAGMA journal_mode", &s, &err), &err);
    must(store_step(s, &row, &err), &err);
    assert_true(row);
    assert_string_equal(store_col_text(s, 0), "wal");
    store_finalize(s);
    assert_int_equal(count(st, "PRAGMA foreign_keys"), 1);
    store_close(st);
}

static void constraint_violations_map_to_project_errors(void **state)
{
    (void)state;
    char path[1024];
    ag_store *st = open_fresh(path, sizeof path, "constraints.db");
    ag_error err;
    must(add_district(st, "120104", &err), &err);
    int64_t entries = audit_count(st);
    assert_int_equal(entries, 1);

    /* A reference to a district that does not exist: foreign keys are enforced. */
    assert_int_equal(add_cell(st, "D01", "999999", "dept", &err), AG_ERR_NOTFOUND);
    assert_int_equal(err.code, AG_ERR_NOTFOUND);
    /* The same primary key twice. */
    assert_int_equal(add_district(st, "120104", &err), AG_ERR_EXISTS);
    /* A unique column twice (app_user.username), with generated keys. */
    ag_field u[] = {ag_field_text("username", "alice"), ag_field_text("role", "admin"),
                    ag_field_text("password_hash", "x"),
                    ag_field_text("created_at", "2026-01-05T08:00:00Z")};
    int64_t id = 0;
    must(store_insert(st, "app_user", "id", u, 4, &id, &err), &err);
    assert_true(id > 0);
    entries++;
    assert_int_equal(store_insert(st, "app_user", "id", u, 4, &id, &err), AG_ERR_EXISTS);
    /* A CHECK constraint (kind in dept/street/soe) and a NOT NULL column. */
    assert_int_equal(add_cell(st, "D01", "120104", "village", &err), AG_ERR_INPUT);
    ag_field noname[] = {ag_field_text("code", "120105"), ag_field_null("name"),
                         ag_field_text("created_at", "2026-01-05T08:00:00Z")};
    assert_int_equal(store_insert(st, "district", "code", noname, 3, NULL, &err), AG_ERR_INPUT);

    /* None of the refused writes left a row or an audit entry. */
    assert_int_equal(count(st, "SELECT COUNT(*) FROM grid_cell"), 0);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM district"), 1);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM app_user"), 1);
    assert_int_equal(audit_count(st), entries);
    assert_false(store_in_tx(st));
    ag_audit_report rep;
    must(store_audit_verify(st, &rep, &err), &err);
    assert_int_equal(rep.entries, entries);
    store_close(st);
}

/* ---- transactions ------------------------------------------------------- */

static void rollback_undoes_rows_and_their_audit_entries(void **state)
{
    (void)state;
    char path[1024];
    ag_store *st = open_fresh(path, sizeof path, "rollback.db");
    ag_error err;
    must(store_begin(st, &err), &err);
    assert_true(store_in_tx(st));
    must(add_district(st, "120104", &err), &err);
    must(add_cell(st, "D01", "120104", "dept", &err), &err);
    must(add_cell(st, "S01", "120104", "street", &err), &err);
    /* Inside the transaction the writes and their entries are visible... */
    assert_int_equal(audit_count(st), 3);
    /* ...then one fails, and the caller gives up. */
    assert_int_equal(add_cell(st, "X01", "120104", "village", &err), AG_ERR_INPUT);
    assert_true(store_in_tx(st));
    store_rollback(st);
    assert_false(store_in_tx(st));

    assert_int_equal(count(st, "SELECT COUNT(*) FROM district"), 0);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM grid_cell"), 0);
    assert_int_equal(audit_count(st), 0);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM audit_head"), 0);
    store_close(st);

    /* Not on disk either. */
    must(store_open(path, 0, &st, &err), &err);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM district"), 0);
    assert_int_equal(audit_count(st), 0);
    /* The chain starts over cleanly at 1. */
    must(add_district(st, "120104", &err), &err);
    assert_int_equal(count(st, "SELECT MIN(seq) FROM audit_log"), 1);
    ag_audit_report rep;
    must(store_audit_verify(st, &rep, &err), &err);
    assert_int_equal(rep.entries, 1);
    store_close(st);
}

static void a_failed_write_keeps_earlier_work_of_the_transaction(void **state)
{
    (void)state;
    char path[1024];
    ag_store *st = open_fresh(path, sizeof path, "partial.db");
    ag_error err;
    must(store_begin(st, &err), &err);
    must(add_district(st, "120104", &err), &err);
    assert_int_equal(add_district(st, "120104", &err), AG_ERR_EXISTS);
    must(add_cell(st, "D01", "120104", "dept", &err), &err);
    must(store_commit(st, &err), &err);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM district"), 1);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM grid_cell"), 1);
    ag_audit_report rep;
    must(store_audit_verify(st, &rep, &err), &err);
    assert_int_equal(rep.entries, 2);
    store_close(st);
}

static void inner_rollback_keeps_outer_work_and_outer_commit_persists(void **state)
{
    (void)state;
    char path[1024];
    ag_store *st = open_fresh(path, sizeof path, "nested.db");
    ag_error err;
    must(store_begin(st, &err), &err);
    must(add_district(st, "120104", &err), &err);

    must(store_begin(st, &err), &err);
    must(add_cell(st, "D01", "120104", "dept", &err), &err);
    must(add_cell(st, "D02", "120104", "dept", &err), &err);
    store_rollback(st);
    assert_true(store_in_tx(st)); /* the outer level is still open */

    must(store_begin(st, &err), &err);
    must(add_cell(st, "S01", "120104", "street", &err), &err);
    must(store_commit(st, &err), &err);
    assert_true(store_in_tx(st));

    must(add_cell(st, "D22", "120104", "soe", &err), &err);
    must(store_commit(st, &err), &err);
    assert_false(store_in_tx(st));
    store_close(st);

    must(store_open(path, 0, &st, &err), &err);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM district"), 1);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM grid_cell WHERE id IN ('D01', 'D02')"), 0);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM grid_cell WHERE id IN ('S01', 'D22')"), 2);
    /* The rolled-back entries left no gap: three entries, seq 1..3, chain intact. */
    assert_int_equal(audit_count(st), 3);
    assert_int_equal(count(st, "SELECT MAX(seq) FROM audit_log"), 3);
    ag_audit_report rep;
    must(store_audit_verify(st, &rep, &err), &err);
    assert_int_equal(rep.entries, 3);
    entry e;
    read_entry(st, 2, &e);
    assert_string_equal(e.key, "S01");
    store_close(st);
}

static void end_commits_on_success_and_rolls_back_on_failure(void **state)
{
    (void)state;
    char path[1024];
    ag_store *st = open_fresh(path, sizeof path, "end.db");
    ag_error err;
    must(store_begin(st, &err), &err);
    must(add_district(st, "120104", &err), &err);
    must(store_begin(st, &err), &err);
    must(add_cell(st, "D01", "120104", "dept", &err), &err);
    /* A failed step: the inner level goes, its error comes back unchanged. */
    assert_int_equal(store_end(st, AG_ERR_INPUT, &err), AG_ERR_INPUT);
    assert_true(store_in_tx(st));
    must(add_cell(st, "S01", "120104", "street", &err), &err);
    must(store_end(st, AG_OK, &err), &err);
    assert_false(store_in_tx(st));
    store_close(st);

    must(store_open(path, 0, &st, &err), &err);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM grid_cell WHERE id = 'D01'"), 0);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM grid_cell WHERE id = 'S01'"), 1);
    assert_int_equal(audit_count(st), 2);
    store_close(st);
}

static void prepare_and_reset_args_bind_ints_texts_and_null(void **state)
{
    (void)state;
    char path[1024];
    ag_store *st = open_fresh(path, sizeof path, "args.db");
    ag_error err;
    ag_stmt *s = NULL;
    must(store_prepare_args(st, &s, &err, "SELECT ? + 1, ?, ? IS NULL", "itt", (int64_t)41, "南开",
                            (const char *)NULL),
         &err);
    bool row = false;
    must(store_step(s, &row, &err), &err);
    assert_true(row);
    assert_int_equal(store_col_int(s, 0), 42);
    assert_string_equal(store_col_text(s, 1), "南开");
    assert_int_equal(store_col_int(s, 2), 1);
    /* Reset and bound again: the next run sees the new arguments. */
    must(store_reset_args(s, &err, "itt", (int64_t)1, "河西", "x"), &err);
    must(store_step(s, &row, &err), &err);
    assert_int_equal(store_col_int(s, 0), 2);
    assert_string_equal(store_col_text(s, 1), "河西");
    assert_int_equal(store_col_int(s, 2), 0);
    store_finalize(s);
    /* More letters than placeholders: refused, and nothing is left to finalize. */
    assert_int_not_equal(store_prepare_args(st, &s, &err, "SELECT ?", "ii", (int64_t)1, (int64_t)2),
                         AG_OK);
    assert_null(s);
    assert_int_not_equal(store_prepare_args(st, &s, &err, "SELEC nonsense", ""), AG_OK);
    assert_null(s);
    store_close(st);
}

static void outer_rollback_undoes_committed_inner_levels(void **state)
{
    (void)state;
    char path[1024];
    ag_store *st = open_fresh(path, sizeof path, "nested2.db");
    ag_error err;
    must(store_begin(st, &err), &err);
    must(store_begin(st, &err), &err);
    must(add_district(st, "120104", &err), &err);
    must(store_commit(st, &err), &err);
    store_rollback(st);
    assert_false(store_in_tx(st));
    assert_int_equal(count(st, "SELECT COUNT(*) FROM district"), 0);
    assert_int_equal(audit_count(st), 0);
    /* A commit without a begin is an error, not a silent success. */
    assert_int_equal(store_commit(st, &err), AG_ERR_INTERNAL);
    store_close(st);
}

static void closing_with_an_open_transaction_rolls_it_back(void **state)
{
    (void)state;
    char path[1024];
    ag_store *st = open_fresh(path, sizeof path, "close-tx.db");
    ag_error err;
    must(store_begin(st, &err), &err);
    must(store_begin(st, &err), &err);
    must(add_district(st, "120104", &err), &err);
    store_close(st);
    must(store_open(path, 0, &st, &err), &err);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM district"), 0);
    assert_int_equal(audit_count(st), 0);
    store_close(st);
}

/* ---- audited writes ----------------------------------------------------- */

static void insert_update_delete_each_append_one_entry(void **state)
{
    (void)state;
    char path[1024];
    ag_store *st = open_fresh(path, sizeof path, "audited.db");
    ag_error err;
    store_set_actor(st, "user:alice");
    assert_string_equal(store_actor(st), "user:alice");
    must(add_district(st, "120104", &err), &err);
    assert_int_equal(audit_count(st), 1);
    entry ins;
    read_entry(st, 1, &ins);
    assert_int_equal(ins.seq, 1);
    assert_string_equal(ins.actor, "user:alice");
    assert_string_equal(ins.action, "insert");
    assert_string_equal(ins.tbl, "district");
    assert_string_equal(ins.key, "120104");
    assert_string_equal(ins.before, "");
    assert_true(is_hex64(ins.after));

    /* A generated key is returned and is the entry's key. */
    store_set_actor(st, "cli:root");
    ag_field p[] = {ag_field_text("name", "王伟"), ag_field_text("created_at", "2026-01-05")};
    int64_t pid = 0;
    must(store_insert(st, "person", "id", p, 2, &pid, &err), &err);
    assert_true(pid > 0);
    entry pe;
    read_entry(st, 2, &pe);
    char pidtext[24];
    snprintf(pidtext, sizeof pidtext, "%lld", (long long)pid);
    assert_string_equal(pe.key, pidtext);
    assert_string_equal(pe.tbl, "person");
    assert_string_equal(pe.actor, "cli:root");

    /* Update: before is the row as inserted, after differs. */
    store_set_actor(st, "user:bob");
    ag_field nm = ag_field_text("name", "天津市南开区");
    must(store_update(st, "district", "code", ag_field_text("code", "120104"), &nm, 1, &err), &err);
    assert_int_equal(audit_count(st), 3);
    entry up;
    read_entry(st, 3, &up);
    assert_string_equal(up.actor, "user:bob");
    assert_string_equal(up.action, "update");
    assert_string_equal(up.tbl, "district");
    assert_string_equal(up.key, "120104");
    assert_string_equal(up.before, ins.after);
    assert_true(is_hex64(up.after));
    assert_string_not_equal(up.before, up.after);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM district WHERE name = '天津市南开区'"), 1);

    /* An update that changes nothing still leaves a trace, with equal digests. */
    must(store_update(st, "district", "code", ag_field_text("code", "120104"), &nm, 1, &err), &err);
    entry same;
    read_entry(st, 4, &same);
    assert_string_equal(same.action, "update");
    assert_string_equal(same.before, same.after);
    assert_string_equal(same.before, up.after);

    /* Delete: before is the last state, after is empty. Actor back to default. */
    store_set_actor(st, NULL);
    assert_string_equal(store_actor(st), "system");
    must(store_delete(st, "person", "id", ag_field_int("id", pid), &err), &err);
    must(store_delete(st, "district", "code", ag_field_text("code", "120104"), &err), &err);
    assert_int_equal(audit_count(st), 6);
    entry del;
    read_entry(st, 6, &del);
    assert_string_equal(del.actor, "system");
    assert_string_equal(del.action, "delete");
    assert_string_equal(del.tbl, "district");
    assert_string_equal(del.key, "120104");
    assert_string_equal(del.before, up.after);
    assert_string_equal(del.after, "");
    read_entry(st, 5, &del);
    assert_string_equal(del.key, pidtext);
    assert_string_equal(del.before, pe.after);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM district"), 0);

    ag_audit_report rep;
    must(store_audit_verify(st, &rep, &err), &err);
    assert_int_equal(rep.entries, 6);
    store_close(st);
}

static void digests_depend_on_the_row_contents(void **state)
{
    (void)state;
    char path[1024];
    ag_store *st = open_fresh(path, sizeof path, "digests.db");
    ag_error err;
    must(add_district(st, "120104", &err), &err);
    must(add_district(st, "120105", &err), &err);
    entry a, b;
    read_entry(st, 1, &a);
    read_entry(st, 2, &b);
    /* Same name and time, different key: different rows, different digests. */
    assert_string_not_equal(a.after, b.after);
    /* Updating back and forth returns to the same digest. */
    ag_field x = ag_field_text("name", "x");
    ag_field back = ag_field_text("name", "南开区");
    must(store_update(st, "district", "code", ag_field_text("code", "120104"), &x, 1, &err), &err);
    must(store_update(st, "district", "code", ag_field_text("code", "120104"), &back, 1, &err),
         &err);
    entry e;
    read_entry(st, 4, &e);
    assert_string_equal(e.after, a.after);
    /* A NULL column and an empty string are different row states. */
    ag_field p1[] = {ag_field_int("id", 7), ag_field_text("name", "n"), ag_field_null("title"),
                     ag_field_text("created_at", "t")};
    must(store_insert(st, "person", "id", p1, 4, NULL, &err), &err);
    read_entry(st, 5, &a);
    assert_string_equal(a.key, "7");
    ag_field t = ag_field_text("title", "");
    must(store_update(st, "person", "id", ag_field_int("id", 7), &t, 1, &err), &err);
    read_entry(st, 6, &b);
    assert_string_equal(b.before, a.after);
    assert_string_not_equal(b.before, b.after);
    store_close(st);
}

static void update_or_delete_of_a_missing_key_is_notfound_and_logs_nothing(void **state)
{
    (void)state;
    char path[1024];
    ag_store *st = open_fresh(path, sizeof path, "missing-key.db");
    ag_error err;
    must(add_district(st, "120104", &err), &err);
    ag_field nm = ag_field_text("name", "x");
    assert_int_equal(
        store_update(st, "district", "code", ag_field_text("code", "999999"), &nm, 1, &err),
        AG_ERR_NOTFOUND);
    assert_non_null(strstr(err.en, "999999"));
    assert_int_equal(store_delete(st, "district", "code", ag_field_text("code", "999999"), &err),
                     AG_ERR_NOTFOUND);
    assert_int_equal(store_delete(st, "person", "id", ag_field_int("id", 42), &err),
                     AG_ERR_NOTFOUND);
    assert_non_null(strstr(err.en, "42"));
    assert_false(store_in_tx(st));
    assert_int_equal(audit_count(st), 1);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM district WHERE name = 'x'"), 0);

    /* Inside a transaction the failure leaves the transaction usable. */
    must(store_begin(st, &err), &err);
    assert_int_equal(
        store_update(st, "district", "code", ag_field_text("code", "999999"), &nm, 1, &err),
        AG_ERR_NOTFOUND);
    assert_true(store_in_tx(st));
    must(store_update(st, "district", "code", ag_field_text("code", "120104"), &nm, 1, &err), &err);
    must(store_commit(st, &err), &err);
    assert_int_equal(audit_count(st), 2);
    ag_audit_report rep;
    must(store_audit_verify(st, &rep, &err), &err);
    assert_int_equal(rep.entries, 2);
    store_close(st);
}

static void bad_identifiers_are_refused_before_any_sql(void **state)
{
    (void)state;
    char path[1024];
    ag_store *st = open_fresh(path, sizeof path, "idents.db");
    ag_error err;
    ag_field f[] = {ag_field_text("code", "120104"), ag_field_text("name", "x"),
                    ag_field_text("created_at", "t")};
    assert_int_equal(store_insert(st, "district; DROP TABLE unit", "code", f, 3, NULL, &err),
                     AG_ERR_INTERNAL);
    ag_field evil = ag_field_text("name = 'x', code", "1");
    assert_int_equal(store_insert(st, "district", "code", &evil, 1, NULL, &err), AG_ERR_INTERNAL);
    assert_int_equal(
        store_update(st, "district", "code", ag_field_text("code", "1"), &evil, 1, &err),
        AG_ERR_INTERNAL);
    assert_int_equal(store_delete(st, "District", "code", ag_field_text("code", "1"), &err),
                     AG_ERR_INTERNAL);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM unit"), 0);
    assert_int_equal(audit_count(st), 0);
    store_close(st);
}

static void query_int_binds_text_arguments_and_reports_no_row(void **state)
{
    (void)state;
    char path[1024];
    ag_store *st = open_fresh(path, sizeof path, "query.db");
    ag_error err;
    must(add_district(st, "120104", &err), &err);
    int64_t n = -1;
    must(store_query_int(st, &n, &err, "SELECT COUNT(*) FROM district WHERE code = ? AND name = ?",
                         "120104", "南开区", NULL),
         &err);
    assert_int_equal(n, 1);
    n = -1;
    assert_int_equal(
        store_query_int(st, &n, &err, "SELECT 5 FROM district WHERE code = ?", "000000", NULL),
        AG_ERR_NOTFOUND);
    assert_int_equal(n, -1);
    /* A syntax error is a store error with the backend's message. */
    assert_int_equal(store_query_int(st, &n, &err, "SELEC 1", NULL), AG_ERR_STORE);
    assert_true(err.en[0] != '\0');
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(open_creates_the_schema),
        cmocka_unit_test(reopening_runs_no_migration_again),
        cmocka_unit_test(opening_a_missing_file_without_create_is_notfound),
        cmocka_unit_test(opening_a_file_that_is_not_a_database_fails_cleanly),
        cmocka_unit_test(a_schema_newer_than_the_build_is_refused),
        cmocka_unit_test(wal_and_foreign_keys_are_on),
        cmocka_unit_test(constraint_violations_map_to_project_errors),
        cmocka_unit_test(rollback_undoes_rows_and_their_audit_entries),
        cmocka_unit_test(a_failed_write_keeps_earlier_work_of_the_transaction),
        cmocka_unit_test(inner_rollback_keeps_outer_work_and_outer_commit_persists),
        cmocka_unit_test(end_commits_on_success_and_rolls_back_on_failure),
        cmocka_unit_test(prepare_and_reset_args_bind_ints_texts_and_null),
        cmocka_unit_test(outer_rollback_undoes_committed_inner_levels),
        cmocka_unit_test(closing_with_an_open_transaction_rolls_it_back),
        cmocka_unit_test(insert_update_delete_each_append_one_entry),
        cmocka_unit_test(digests_depend_on_the_row_contents),
        cmocka_unit_test(update_or_delete_of_a_missing_key_is_notfound_and_logs_nothing),
        cmocka_unit_test(bad_identifiers_are_refused_before_any_sql),
        cmocka_unit_test(query_int_binds_text_arguments_and_reports_no_row),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
