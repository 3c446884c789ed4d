/* test_throttle.c - growing delays per (account, address) pair, a ceiling per address, never a
 * lock of the account for other addresses; the clock is the `now` each call is given. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "http/throttle.h"

static throttle *make(int ceiling, size_t capacity)
{
    throttle_limits l;
    throttle_limits_default(&l);
    l.addr_ceiling = ceiling;
    l.capacity = capacity;
    throttle *t = throttle_new(&l);
    assert_non_null(t);
    return t;
}

static int64_t wait_of(throttle *t, const char *acct, const char *addr, int64_t now,
                       throttle_reason want)
{
    int64_t w = -1;
    assert_int_equal(throttle_check(t, acct, addr, now, &w), want);
    if (want == THROTTLE_OK)
        assert_int_equal(w, 0);
    return w;
}

static void test_defaults(void **state)
{
    (void)state;
    throttle_limits l;
    throttle_limits_default(&l);
    assert_int_equal(l.free_failures, 3);
    assert_int_equal(l.first_delay, 1000);
    assert_int_equal(l.max_delay, 900000);
    assert_int_equal(l.addr_ceiling, 100);
    assert_int_equal(l.addr_window, 900000);
}

static void test_pair_delay_doubles_to_a_cap(void **state)
{
    (void)state;
    throttle *t = make(100000, 1000);
    int64_t now = 1000000;
    for (int i = 0; i < 3; i++) {
        wait_of(t, "leader", "10.0.0.1", now, THROTTLE_OK);
        throttle_fail(t, "leader", "10.0.0.1", now);
    }
    /* After three failures: 1 s, then 2, 4, 8 … */
    assert_int_equal(wait_of(t, "leader", "10.0.0.1", now, THROTTLE_PAIR), 1000);
    assert_int_equal(wait_of(t, "LEADER", "10.0.0.1", now + 400, THROTTLE_PAIR), 600);
    wait_of(t, "leader", "10.0.0.1", now + 1000, THROTTLE_OK);
    int64_t want = 2000;
    for (int i = 0; i < 12; i++) {
        now += 1000000; /* well past any delay */
        throttle_fail(t, "leader", "10.0.0.1", now);
        int64_t cap = want < 900000 ? want : 900000;
        assert_int_equal(wait_of(t, "leader", "10.0.0.1", now, THROTTLE_PAIR), cap);
        want *= 2;
    }
    /* The cap holds: 15 minutes, never more. */
    assert_int_equal(wait_of(t, "leader", "10.0.0.1", now + 1, THROTTLE_PAIR), 899999);
    /* A success clears the pair: three free tries again. */
    throttle_success(t, "Leader", "10.0.0.1");
    wait_of(t, "leader", "10.0.0.1", now + 2, THROTTLE_OK);
    throttle_fail(t, "leader", "10.0.0.1", now + 3);
    wait_of(t, "leader", "10.0.0.1", now + 3, THROTTLE_OK);
    throttle_free(t);
}

static void test_other_addresses_are_not_touched(void **state)
{
    (void)state;
    throttle *t = make(100, 1000);
    int64_t now = 5000000;
    for (int i = 0; i < 20; i++)
        throttle_fail(t, "admin", "192.0.2.1", now + i);
    assert_true(wait_of(t, "admin", "192.0.2.1", now + 20, THROTTLE_PAIR) > 0);
    /* The same account from an address that did not fail: free. */
    wait_of(t, "admin", "192.0.2.2", now + 20, THROTTLE_OK);
    /* Another account from the failing address (the same office): free too. */
    wait_of(t, "reviewer", "192.0.2.1", now + 20, THROTTLE_OK);
    /* Five wrong passwords from five addresses lock nothing. */
    char addr[32];
    for (int i = 10; i < 15; i++) {
        snprintf(addr, sizeof addr, "198.51.100.%d", i);
        throttle_fail(t, "chief", addr, now);
    }
    for (int i = 10; i < 16; i++) {
        snprintf(addr, sizeof addr, "198.51.100.%d", i);
        wait_of(t, "chief", addr, now + 1, THROTTLE_OK);
    }
    throttle_free(t);
}

static void test_address_ceiling(void **state)
{
    (void)state;
    throttle *t = make(100, 100000);
    int64_t now = 9000000;
    char acct[32];
    for (int i = 0; i < 100; i++) {
        snprintf(acct, sizeof acct, "user%d", i % 50); /* two tries each: no pair delay */
        wait_of(t, acct, "203.0.113.9", now + i, THROTTLE_OK);
        throttle_fail(t, acct, "203.0.113.9", now + i);
    }
    /* The 101st try from that address waits, for any account, until the window ends. */
    assert_int_equal(wait_of(t, "admin", "203.0.113.9", now + 100, THROTTLE_ADDRESS), 900000 - 100);
    wait_of(t, "admin", "203.0.113.10", now + 100, THROTTLE_OK);
    wait_of(t, "admin", "203.0.113.9", now + 900000, THROTTLE_OK);
    /* A new window starts with the next failure. */
    throttle_fail(t, "admin", "203.0.113.9", now + 900001);
    wait_of(t, "admin", "203.0.113.9", now + 900002, THROTTLE_OK);
    throttle_free(t);
}

static void test_pairs_forget_after_a_day(void **state)
{
    (void)state;
    throttle *t = make(100, 1000);
    for (int i = 0; i < 10; i++)
        throttle_fail(t, "leader", "10.0.0.1", 1000000 + i);
    int64_t later = 1000009 + 24 * 3600 * 1000LL;
    wait_of(t, "leader", "10.0.0.1", later, THROTTLE_OK);
    throttle_fail(t, "leader", "10.0.0.1", later);
    wait_of(t, "leader", "10.0.0.1", later, THROTTLE_OK); /* one failure, not eleven */
    throttle_free(t);
}

static void test_capacity_keeps_delays(void **state)
{
    (void)state;
    throttle *t = make(1000, 16);
    for (int i = 0; i < 5; i++)
        throttle_fail(t, "victim", "10.9.9.9", 100000 + i);
    int64_t w = wait_of(t, "victim", "10.9.9.9", 100005, THROTTLE_PAIR);
    assert_true(w > 0);
    /* A flood of one-off failures: memory stays bounded, the live delay survives. */
    char addr[32];
    for (int i = 0; i < 200; i++) {
        snprintf(addr, sizeof addr, "10.1.%d.%d", i / 250, i % 250);
        throttle_fail(t, "someone", addr, 100005);
    }
    assert_true(wait_of(t, "victim", "10.9.9.9", 100005, THROTTLE_PAIR) > 0);
    throttle_free(t);
    throttle_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_pair_delay_doubles_to_a_cap),
        cmocka_unit_test(test_other_addresses_are_not_touched),
        cmocka_unit_test(test_address_ceiling),
        cmocka_unit_test(test_pairs_forget_after_a_day),
        cmocka_unit_test(test_capacity_keeps_delays),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
