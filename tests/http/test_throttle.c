/* test_throttle.c - five failures per window, then a wait that ends with the window. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "http/throttle.h"

static void test_sixth_try_waits(void **state)
{
    (void)state;
    throttle *t = throttle_new(5, 900, 1000);
    assert_non_null(t);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(throttle_check(t, "u:leader", 1000 + i), 0);
        throttle_fail(t, "u:leader", 1000 + i);
    }
    assert_int_equal(throttle_check(t, "u:leader", 1010), 890);
    assert_int_equal(throttle_check(t, "u:other", 1010), 0);
    assert_int_equal(throttle_check(t, "u:leader", 1899), 1);
    assert_int_equal(throttle_check(t, "u:leader", 1900), 0); /* the window has passed */
    throttle_fail(t, "u:leader", 1900);
    assert_int_equal(throttle_check(t, "u:leader", 1901), 0); /* a new window, one failure */
    throttle_free(t);
}

static void test_clear_and_capacity(void **state)
{
    (void)state;
    throttle *t = throttle_new(2, 60, 4);
    throttle_fail(t, "u:a", 0);
    throttle_fail(t, "u:a", 1);
    assert_true(throttle_check(t, "u:a", 2) > 0);
    throttle_clear(t, "u:a");
    assert_int_equal(throttle_check(t, "u:a", 2), 0);
    /* Many keys: old ones are dropped, memory stays bounded, live ones are kept if room. */
    char key[16];
    for (int i = 0; i < 100; i++) {
        snprintf(key, sizeof key, "a:%d", i);
        throttle_fail(t, key, 1000 + i * 100);
    }
    throttle_fail(t, "a:last", 20000);
    throttle_fail(t, "a:last", 20001);
    assert_true(throttle_check(t, "a:last", 20002) > 0);
    throttle_free(t);
    throttle_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sixth_try_waits),
        cmocka_unit_test(test_clear_and_capacity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
