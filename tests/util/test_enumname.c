/* test_enumname.c - names of enumerated values: lookup both ways, gaps and bounds. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/enumname.h"

enum colour { RED, GREEN, BLUE, UNNAMED, VIOLET };
static const char *const colours[] = {
    [RED] = "red", [GREEN] = "green", [BLUE] = "blue", [VIOLET] = "violet"};

static void names_by_value(void **state)
{
    (void)state;
    assert_string_equal(ag_enum_name(colours, AG_ENUM_N(colours), GREEN, "?"), "green");
    assert_string_equal(ag_enum_name(colours, AG_ENUM_N(colours), VIOLET, "?"), "violet");
    assert_string_equal(ag_enum_name(colours, AG_ENUM_N(colours), UNNAMED, "?"), "?");
    assert_string_equal(ag_enum_name(colours, AG_ENUM_N(colours), -1, "none"), "none");
    assert_string_equal(ag_enum_name(colours, AG_ENUM_N(colours), 5, "none"), "none");
}

static void values_by_name(void **state)
{
    (void)state;
    int v = -7;
    assert_true(ag_enum_parse(colours, AG_ENUM_N(colours), "blue", &v));
    assert_int_equal(v, BLUE);
    assert_true(ag_enum_parse(colours, AG_ENUM_N(colours), "red", &v));
    assert_int_equal(v, RED);
    v = -7;
    assert_false(ag_enum_parse(colours, AG_ENUM_N(colours), "Blue", &v));
    assert_false(ag_enum_parse(colours, AG_ENUM_N(colours), "", &v));
    assert_false(ag_enum_parse(colours, AG_ENUM_N(colours), NULL, &v));
    assert_int_equal(v, -7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_by_value),
        cmocka_unit_test(values_by_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
