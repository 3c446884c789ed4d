/* test_audit_log.c - the audit log use cases: the page newest first with its filters, and the
 * chain check against an anchor kept outside the database, which sees the newest entry deleted
 * with audit_head moved back (the chain alone does not). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "app/audit_log.h"
#include "domain/grid.h"
#include "../testutil.h"

/* A database with a district, its catalog and two cells, written as cli:test. */
static ag_store *log_db(const char *name)
{
    char path[1024];
    ag_test_path(path, sizeof path, name);
    ag_store *st = NULL;
    ag_error err;
    must(store_open(path, AG_STORE_CREATE, &st, &err), &err);
    store_set_actor(st, "cli:test");
    int64_t ver = 0;
    must(grid_init(st, "120104", "天津市南开区", &ver, &err), &err);
    grid_cell_in a = {"D01", "dept", "区教育局", 0, 1}, b = {"S01", "street", "长虹街道", 0, 2};
    must(grid_cell_add(st, &a, &err), &err);
    store_set_actor(st, "user:admin");
    must(grid_cell_add(st, &b, &err), &err);
    return st;
}

static void the_page_is_newest_first_and_filters(void **state)
{
    (void)state;
    ag_store *st = log_db("page.db");
    ag_error err;
    json_t *all = NULL, *mine = NULL, *cells = NULL;
    must(app_audit_log_page(st, NULL, NULL, 2, 0, &all, &err), &err);
    json_t *items = json_object_get(all, "items");
    assert_int_equal(json_array_size(items), 2);
    int64_t total = json_integer_value(json_object_get(all, "total"));
    assert_true(total > 3);
    json_t *newest = json_array_get(items, 0);
    assert_int_equal(json_integer_value(json_object_get(newest, "seq")), total);
    assert_string_equal(json_string_value(json_object_get(newest, "actor")), "user:admin");
    assert_string_equal(json_string_value(json_object_get(newest, "table")), "grid_cell");
    assert_string_equal(json_string_value(json_object_get(newest, "action")), "insert");
    assert_string_equal(json_string_value(json_object_get(newest, "key")), "S01");
    must(app_audit_log_page(st, "user:admin", NULL, 50, 0, &mine, &err), &err);
    assert_int_equal(json_integer_value(json_object_get(mine, "total")), 1);
    must(app_audit_log_page(st, NULL, "grid_cell", 50, 0, &cells, &err), &err);
    assert_int_equal(json_integer_value(json_object_get(cells, "total")), 2);
    json_decref(all);
    json_decref(mine);
    json_decref(cells);
    store_close(st);
}

static void an_anchor_detects_the_newest_entry_removed(void **state)
{
    (void)state;
    ag_store *st = log_db("anchor.db");
    ag_error err;
    ag_audit_report rep;
    int64_t at = 0;
    must(app_audit_log_verify(st, NULL, &rep, &at, &err), &err);
    char older[65];
    snprintf(older, sizeof older, "%s", rep.head_hash);
    int64_t older_seq = rep.head_seq;
    /* The head itself, and later an entry the log has grown past, both hold. */
    must(app_audit_log_verify(st, older, &rep, &at, &err), &err);
    assert_int_equal(at, older_seq);
    grid_cell_in c = {"S02", "street", "王顶堤街道", 0, 3};
    must(grid_cell_add(st, &c, &err), &err);
    must(app_audit_log_verify(st, older, &rep, &at, &err), &err);
    assert_int_equal(at, older_seq);
    assert_int_equal(rep.head_seq, older_seq + 1);
    /* Upper case is the same hash. */
    char upper[65];
    for (int i = 0; i < 65; i++)
        upper[i] = older[i] >= 'a' && older[i] <= 'f' ? (char)(older[i] - 32) : older[i];
    must(app_audit_log_verify(st, upper, &rep, &at, &err), &err);

    char anchor[65];
    snprintf(anchor, sizeof anchor, "%s", rep.head_hash);
    char sql[300];
    snprintf(sql, sizeof sql,
             "DELETE FROM audit_log WHERE seq = %lld; UPDATE audit_head SET seq = %lld,"
             " hash = (SELECT hash FROM audit_log WHERE seq = %lld) WHERE id = 1",
             (long long)rep.head_seq, (long long)older_seq, (long long)older_seq);
    must(store_exec(st, sql, &err), &err);
    /* The chain alone is satisfied; the anchor is not. */
    must(app_audit_log_verify(st, NULL, &rep, &at, &err), &err);
    assert_int_equal(app_audit_log_verify(st, anchor, &rep, &at, &err), AG_ERR_TAMPER);
    assert_non_null(strstr(err.en, "anchor"));
    assert_non_null(strstr(rep.reason_zh, "锚点"));
    assert_int_equal(rep.bad_seq, older_seq + 1);
    assert_int_equal(app_audit_log_verify(st, "xyz", &rep, &at, &err), AG_ERR_USAGE);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_page_is_newest_first_and_filters),
        cmocka_unit_test(an_anchor_detects_the_newest_entry_removed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
