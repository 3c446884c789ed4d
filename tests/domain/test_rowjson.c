/* test_rowjson.c - a result row as a JSON object by its column spec. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/rowjson.h"
#include "../testutil.h"
#include "util/banned.h"

static void each_letter_makes_its_kind_of_member(void **state)
{
    (void)state;
    ag_store *st = ag_test_fresh_db("rowjson.db");
    ag_stmt *s = NULL;
    ag_error err;
    bool row = false;
    must(store_prepare(st, "SELECT 7, 'x', NULL, NULL, 3, 'skipped', 0", &s, &err), &err);
    must(store_step(s, &row, &err), &err);
    assert_true(row);
    static const char *const cols[] = {"id", "name", "gone", "maybe", "flag", NULL, "off"};
    json_t *o = rowjson(s, cols, "itnnb-b");
    store_finalize(s);
    assert_int_equal(json_integer_value(json_object_get(o, "id")), 7);
    assert_string_equal(json_string_value(json_object_get(o, "name")), "x");
    assert_true(json_is_null(json_object_get(o, "gone")));
    assert_true(json_is_null(json_object_get(o, "maybe")));
    assert_true(json_is_true(json_object_get(o, "flag")));
    assert_true(json_is_false(json_object_get(o, "off")));
    assert_int_equal(json_object_size(o), 6);
    json_decref(o);
    store_close(st);
}

static void a_text_column_null_is_json_null(void **state)
{
    (void)state;
    ag_store *st = ag_test_fresh_db("rowjson2.db");
    ag_stmt *s = NULL;
    ag_error err;
    bool row = false;
    must(store_prepare(st, "SELECT NULL", &s, &err), &err);
    must(store_step(s, &row, &err), &err);
    static const char *const cols[] = {"t"};
    json_t *o = rowjson(s, cols, "t");
    store_finalize(s);
    assert_true(json_is_null(json_object_get(o, "t")));
    json_decref(o);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_letter_makes_its_kind_of_member),
        cmocka_unit_test(a_text_column_null_is_json_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
