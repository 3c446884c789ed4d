/* test_setting.c - integer settings: the default until set, the stored value
 * after, a hand-edited unreadable or out-of-range value reads as the default,
 * and every write is in the audit log. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/setting.h"
#include "../testutil.h"

static int64_t count(ag_store *st, const char *sql)
{
    ag_stmt *s = NULL;
    ag_error err;
    bool row = false;
    must(store_prepare(st, sql, &s, &err), &err);
    must(store_step(s, &row, &err), &err);
    int64_t n = row ? store_col_int(s, 0) : -1;
    store_finalize(s);
    return n;
}

static int64_t get(ag_store *st, const char *key)
{
    ag_error err;
    int64_t v = 0;
    must(setting_int(st, key, 1, 365, 30, &v, &err), &err);
    return v;
}

static void default_then_stored(void **state)
{
    (void)state;
    ag_store *st = ag_test_fresh_db("setting-stored.db");
    ag_error err;
    assert_int_equal(get(st, "x.days"), 30);
    int64_t log0 = count(st, "SELECT COUNT(*) FROM audit_log");
    must(setting_put_int(st, "x.days", 90, &err), &err);
    assert_int_equal(get(st, "x.days"), 90);
    must(setting_put_int(st, "x.days", 120, &err), &err);
    assert_int_equal(get(st, "x.days"), 120);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM setting WHERE key = 'x.days'"), 1);
    /* One insert and one update, each logged. */
    assert_int_equal(count(st, "SELECT COUNT(*) FROM audit_log"), log0 + 2);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM audit_log WHERE tbl = 'setting'"), 2);
    /* Another key is untouched. */
    assert_int_equal(get(st, "y.days"), 30);
    store_close(st);
}

static void unreadable_reads_as_default(void **state)
{
    (void)state;
    ag_store *st = ag_test_fresh_db("setting-bad.db");
    ag_error err;
    const char *bad[] = {"abc", "12x", "", "0", "366", "-5", "99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ag_stmt *s = NULL;
        bool row = false;
        must(store_prepare(st,
                           "INSERT INTO setting (key, value, updated_at) VALUES ('x.days', ?, "
                           "'2026-01-01T00:00:00Z') ON CONFLICT (key) DO UPDATE SET value = "
                           "excluded.value",
                           &s, &err),
             &err);
        must(store_bind_text(s, 1, bad[i]), &err);
        must(store_step(s, &row, &err), &err);
        store_finalize(s);
        assert_int_equal(get(st, "x.days"), 30);
    }
    must(setting_put_int(st, "x.days", 365, &err), &err);
    assert_int_equal(get(st, "x.days"), 365);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(default_then_stored),
        cmocka_unit_test(unreadable_reads_as_default),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
