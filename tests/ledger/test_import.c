/* test_import.c - the import pipeline: staged batches, the switch-over, replace, refusals that
 * leave nothing, crashed imports cleaned, sources by base name and in words. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ledger/import.h"
#include "ledger/read.h"
#include "../testutil.h"

#define UNIT "12120104MB0000001A"

typedef struct fixture {
    ag_store *st;
    char dir[1024];
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    fx->st = ag_test_fresh_db("import.db");
    ag_test_path(fx->dir, sizeof fx->dir, "import-files");
    mkdir(fx->dir, 0755);
    ag_error err;
    must(store_exec(fx->st,
                    "INSERT INTO district VALUES ('120104', '南开区', 'x');"
                    "INSERT INTO unit (code, name, type, district_code, created_at) VALUES"
                    " ('" UNIT "', '甲学校', '学校', '120104', 'x');",
                    &err),
         &err);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    store_close(fx->st);
    free(fx);
    return 0;
}

/* Writes a CSV of `vouchers` balanced two-line vouchers of 2024 (amount `fen` each line) into
 * the fixture's folder as `name`; with bad_last the last line's amount is junk. */
static void write_csv(const fixture *fx, const char *name, int vouchers, int yuan, bool bad_last,
                      char *path, size_t n)
{
    snprintf(path, n, "%s/%s", fx->dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "voucher_date,voucher_no,account_code,debit,credit,summary\n");
    for (int v = 1; v <= vouchers; v++) {
        fprintf(f, "2024-03-05,%d,5001,%d.00,,办公用品\n", v, yuan);
        if (bad_last && v == vouchers)
            fprintf(f, "2024-03-05,%d,1002,,12.345,办公用品\n", v);
        else
            fprintf(f, "2024-03-05,%d,1002,,%d.00,办公用品\n", v, yuan);
    }
    fclose(f);
}

static int64_t q(ag_store *st, const char *sql)
{
    int64_t v = -1;
    ag_error err;
    must(store_query_int(st, &v, &err, sql, NULL), &err);
    return v;
}

static json_t *import(ag_store *st, const char *path, bool replace, ag_err want, ag_error *err)
{
    ledger_import_opts o = {UNIT, 0, "csv", NULL, NULL, replace, false, false, NULL};
    json_t *r = NULL;
    ag_err rc = ledger_import(st, path, &o, &r, err);
    if (rc != want)
        fail_msg("import %s: %s, wanted %s (%s)", path, ag_err_name(rc), ag_err_name(want),
                 err->en);
    return r;
}

#define VISIBLE_LINES                                                                              \
    "SELECT COUNT(*) FROM ledger_line l JOIN ledger_book b ON b.id = l.book_id"                    \
    " WHERE b.fiscal_year > 0"

static void a_large_import_is_batched_and_switched_in_whole(void **state)
{
    fixture *fx = *state;
    char path[1200];
    ag_error err;
    /* 30,001 vouchers: 60,002 lines, more than one batch of 50,000. */
    write_csv(fx, "big-2024.csv", 30001, 10, false, path, sizeof path);
    json_t *r = import(fx->st, path, false, AG_OK, &err);
    assert_int_equal(json_integer_value(json_object_get(r, "lines")), 60002);
    json_decref(r);
    assert_int_equal(q(fx->st, VISIBLE_LINES), 60002);
    assert_int_equal(q(fx->st, "SELECT COUNT(*) FROM ledger_line"), 60002);
    assert_int_equal(q(fx->st, "SELECT COUNT(*) FROM ledger_book WHERE fiscal_year < 0"), 0);
    assert_int_equal(q(fx->st, "SELECT COUNT(*) FROM ledger_stage"), 0);
    assert_int_equal(q(fx->st, "SELECT COUNT(*) FROM ledger_source WHERE status = 'active'"), 1);
    /* The source is stored under the file's base name, not the path it was read from. */
    char name[64];
    must(ledger_read_source_name(fx->st, 1, name, sizeof name, &err), &err);
    assert_string_equal(name, "big-2024.csv");
    assert_int_equal(q(fx->st, "SELECT COUNT(*) FROM ledger_source WHERE path LIKE '%/%'"), 0);
    assert_int_equal(q(fx->st, "SELECT COUNT(*) FROM audit_log WHERE action = 'import'"), 1);
}

static void a_refused_file_after_a_batch_leaves_nothing(void **state)
{
    fixture *fx = *state;
    char path[1200];
    ag_error err;
    /* The bad amount is on the last line, after the first batch was committed. */
    write_csv(fx, "bad-2024.csv", 30001, 10, true, path, sizeof path);
    import(fx->st, path, false, AG_ERR_INPUT, &err);
    assert_non_null(strstr(err.where, "bad-2024.csv:60003:credit"));
    assert_int_equal(q(fx->st, "SELECT COUNT(*) FROM ledger_line"), 0);
    assert_int_equal(q(fx->st, "SELECT COUNT(*) FROM ledger_book"), 0);
    assert_int_equal(q(fx->st, "SELECT COUNT(*) FROM ledger_source"), 0);
    assert_int_equal(q(fx->st, "SELECT COUNT(*) FROM ledger_stage"), 0);
    assert_int_equal(q(fx->st, "SELECT COUNT(*) FROM audit_log WHERE action = 'import'"), 0);
}

static void replace_switches_books_and_marks_the_old_source(void **state)
{
    fixture *fx = *state;
    char a[1200], b[1200];
    ag_error err;
    write_csv(fx, "a-2024.csv", 3, 10, false, a, sizeof a);
    write_csv(fx, "b-2024.csv", 5, 20, false, b, sizeof b);
    json_decref(import(fx->st, a, false, AG_OK, &err));
    int64_t book = q(fx->st, "SELECT id FROM ledger_book WHERE fiscal_year = 2024");
    /* Another file for the year: refused, and nothing of it stays. */
    import(fx->st, b, false, AG_ERR_EXISTS, &err);
    assert_string_equal(err.where, "b-2024.csv:2:fiscal_year");
    assert_int_equal(q(fx->st, VISIBLE_LINES), 6);
    assert_int_equal(q(fx->st, "SELECT COUNT(*) FROM ledger_source"), 1);
    assert_int_equal(q(fx->st, "SELECT COUNT(*) FROM ledger_book"), 1);
    assert_int_equal(q(fx->st, "SELECT COUNT(*) FROM ledger_stage"), 0);
    /* With replace the new book takes the year; the old one is gone. */
    json_decref(import(fx->st, b, true, AG_OK, &err));
    assert_int_equal(q(fx->st, VISIBLE_LINES), 10);
    assert_int_equal(q(fx->st, "SELECT COUNT(*) FROM ledger_line"), 10);
    assert_int_equal(q(fx->st, "SELECT COUNT(*) FROM ledger_book"), 1);
    assert_true(q(fx->st, "SELECT id FROM ledger_book WHERE fiscal_year = 2024") != book);
    assert_int_equal(q(fx->st, "SELECT COUNT(*) FROM ledger_source WHERE status = 'replaced'"), 1);
    assert_int_equal(q(fx->st, "SELECT COUNT(*) FROM audit_log WHERE action = 'replace'"), 1);
    json_t *sum = NULL;
    must(ledger_summary(fx->st, UNIT, 0, &sum, &err), &err);
    assert_int_equal(json_array_size(sum), 1);
    json_t *src = json_array_get(json_object_get(json_array_get(sum, 0), "sources"), 0);
    assert_string_equal(json_string_value(json_object_get(src, "path")), "b-2024.csv");
    json_decref(sum);
}

static ag_err count_line(void *ctx, const ledger_row *row, int64_t source_id, ag_error *err)
{
    (void)row, (void)source_id, (void)err;
    ++*(int *)ctx;
    return AG_OK;
}

/* A crashed import: a staging book with a line, its source not yet active, noted under a
 * process that is gone; and one of a live process (this one) that must be kept. */
static void crashed_imports_are_invisible_and_cleaned(void **state)
{
    fixture *fx = *state;
    ag_error err;
    char sql[4000];
    snprintf(sql, sizeof sql,
             "INSERT INTO ledger_source (id, unit_code, path, format, encoding, sha256, bytes,"
             " status, years, vouchers, lines, debit_total, credit_total, findings, report,"
             " imported_at, imported_by) VALUES"
             " (91, '" UNIT "', 'dead.csv', 'csv', '', '', 0, 'replaced', '', 0, 0, 0, 0, 0, '{}',"
             " '2026-01-01T00:00:00Z', 'cli:x'),"
             " (92, '" UNIT "', 'live.csv', 'csv', '', '', 0, 'replaced', '', 0, 0, 0, 0, 0, '{}',"
             " '2026-01-01T00:00:00Z', 'cli:x');"
             "INSERT INTO ledger_book (id, unit_code, fiscal_year, chart_profile, created_at)"
             " VALUES (91, '" UNIT "', -3004, 'gov2019', 'x'), (92, '" UNIT "', -3037, 'gov2019',"
             " 'x');"
             "INSERT INTO ledger_line (book_id, source_id, src_line, period, voucher_date,"
             " voucher_type, voucher_no, line_no, account_code, debit, credit) VALUES"
             " (91, 91, 2, 3, '2023-03-05', '记', '1', 1, '5001', 100, 0),"
             " (92, 92, 2, 3, '2023-03-05', '记', '1', 1, '5001', 100, 0);"
             "INSERT INTO ledger_stage (source_id, book_id, pid, started_at) VALUES"
             " (91, NULL, 2147483000, '2099-01-01T00:00:00Z'),"
             " (91, 91, 2147483000, '2099-01-01T00:00:00Z'),"
             " (92, NULL, %d, '2099-01-01T00:00:00Z'), (92, 92, %d, '2099-01-01T00:00:00Z');",
             (int)getpid(), (int)getpid());
    must(store_exec(fx->st, sql, &err), &err);
    /* Readers never see them. */
    json_t *sum = NULL;
    assert_int_equal(ledger_summary(fx->st, UNIT, 0, &sum, &err), AG_ERR_NOTFOUND);
    int n = 0;
    must(ledger_read_lines(fx->st, UNIT, 0, count_line, &n, &err), &err);
    assert_int_equal(n, 0);
    char via[64];
    must(ledger_read_chart_profile(fx->st, UNIT, via, sizeof via, &err), &err);
    assert_string_equal(via, "");
    /* The dead process's rows go; the live one's stay. */
    int removed = -1;
    must(ledger_import_cleanup(fx->st, &removed, &err), &err);
    assert_int_equal(removed, 1);
    assert_int_equal(q(fx->st, "SELECT COUNT(*) FROM ledger_source WHERE id = 91"), 0);
    assert_int_equal(q(fx->st, "SELECT COUNT(*) FROM ledger_book WHERE id = 91"), 0);
    assert_int_equal(q(fx->st, "SELECT COUNT(*) FROM ledger_line WHERE book_id = 91"), 0);
    assert_int_equal(q(fx->st, "SELECT COUNT(*) FROM ledger_stage WHERE source_id = 91"), 0);
    assert_int_equal(q(fx->st, "SELECT COUNT(*) FROM ledger_line WHERE book_id = 92"), 1);
    assert_int_equal(q(fx->st, "SELECT COUNT(*) FROM ledger_stage WHERE source_id = 92"), 2);
    /* Once stale by age, the live process's rows go too. */
    must(store_exec(fx->st, "UPDATE ledger_stage SET started_at = '2000-01-01T00:00:00Z'", &err),
         &err);
    must(ledger_import_cleanup(fx->st, &removed, &err), &err);
    assert_int_equal(removed, 1);
    assert_int_equal(q(fx->st, "SELECT COUNT(*) FROM ledger_line"), 0);
    assert_int_equal(q(fx->st, "SELECT COUNT(*) FROM ledger_stage"), 0);
}

static void a_visible_book_is_never_purged(void **state)
{
    fixture *fx = *state;
    char a[1200];
    ag_error err;
    write_csv(fx, "v-2024.csv", 2, 10, false, a, sizeof a);
    json_decref(import(fx->st, a, false, AG_OK, &err));
    /* A stale note that names a visible book (it cannot happen, but if it did). */
    must(store_exec(fx->st,
                    "INSERT INTO ledger_stage (source_id, book_id, pid, started_at)"
                    " SELECT NULL, id, 2147483000, '2000-01-01T00:00:00Z' FROM ledger_book",
                    &err),
         &err);
    must(ledger_import_cleanup(fx->st, NULL, &err), &err);
    assert_int_equal(q(fx->st, VISIBLE_LINES), 4);
    assert_int_equal(q(fx->st, "SELECT COUNT(*) FROM ledger_stage"), 0);
}

static void import_source_in_words(void **state)
{
    (void)state;
    assert_string_equal(ledger_import_via("cli:unknown"), "命令行导入");
    assert_string_equal(ledger_import_via("cli:root"), "命令行导入");
    assert_string_equal(ledger_import_via("user:auditor"), "网页上传");
    assert_string_equal(ledger_import_via("system"), "系统导入");
    assert_string_equal(ledger_import_via(NULL), "系统导入");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_large_import_is_batched_and_switched_in_whole, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_refused_file_after_a_batch_leaves_nothing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(replace_switches_books_and_marks_the_old_source, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(crashed_imports_are_invisible_and_cleaned, setup, teardown),
        cmocka_unit_test_setup_teardown(a_visible_book_is_never_purged, setup, teardown),
        cmocka_unit_test(import_source_in_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
