/* test_clock.c - the clock: AUDITGRID_NOW, a thread's shift, UTC formatting, Beijing's civil day,
 * AG_TODAY and --today. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/clock.h"
#include "util/date.h"

static int32_t day(const char *iso)
{
    int32_t d = 0;
    assert_true(ag_date_parse(iso, strlen(iso), &d));
    return d;
}

static int reset(void **state)
{
    (void)state;
    unsetenv("AUDITGRID_NOW");
    unsetenv("AG_TODAY");
    ag_clock_clear_today();
    ag_clock_shift(0);
    return 0;
}

static void auditgrid_now_sets_the_instant(void **state)
{
    (void)state;
    setenv("AUDITGRID_NOW", "2026-12-07T06:33:00Z", 1);
    assert_int_equal(ag_clock_now(), 1796625180);
    assert_int_equal(ag_clock_wall(), 1796625180);
    setenv("AUDITGRID_NOW", "2026-12-07", 1); /* a date is its midnight, UTC */
    assert_int_equal(ag_clock_now(), (int64_t)day("2026-12-07") * 86400);
}

static void a_malformed_override_falls_back_to_the_system_clock(void **state)
{
    (void)state;
    const char *bad[] = {"2026-13-01",
                         "2026-12-07T24:00:00Z",
                         "2026-12-07T06:33:00",
                         "2026-12-07 06:33:00Z",
                         "tomorrow",
                         "2026-12-7"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        setenv("AUDITGRID_NOW", bad[i], 1);
        int64_t before = (int64_t)time(NULL);
        int64_t t = ag_clock_now();
        assert_true(t >= before && t <= (int64_t)time(NULL));
    }
}

static void formatting_is_iso_utc(void **state)
{
    (void)state;
    char out[21];
    ag_clock_format(1796625180, out);
    assert_string_equal(out, "2026-12-07T06:33:00Z");
    ag_clock_format(0, out);
    assert_string_equal(out, "1970-01-01T00:00:00Z");
    ag_clock_format(-1, out);
    assert_string_equal(out, "1969-12-31T23:59:59Z");
    ag_clock_format(951782400, out); /* a leap day */
    assert_string_equal(out, "2000-02-29T00:00:00Z");
}

static void today_is_the_civil_day_in_beijing(void **state)
{
    (void)state;
    /* 16:00 UTC is midnight in UTC+8. */
    setenv("AUDITGRID_NOW", "2026-12-06T15:59:59Z", 1);
    assert_int_equal(ag_clock_today(), day("2026-12-06"));
    setenv("AUDITGRID_NOW", "2026-12-06T16:00:00Z", 1);
    assert_int_equal(ag_clock_today(), day("2026-12-07"));
    setenv("AUDITGRID_NOW", "2026-12-31T23:00:00Z", 1);
    assert_int_equal(ag_clock_today(), day("2027-01-01"));
}

static void *other_thread(void *arg)
{
    *(int64_t *)arg = ag_clock_now();
    return NULL;
}

static void a_shift_moves_this_threads_now_only(void **state)
{
    (void)state;
    setenv("AUDITGRID_NOW", "2026-12-07T06:33:00Z", 1);
    assert_int_equal(ag_clock_shift(-86400), 0);
    assert_int_equal(ag_clock_now(), 1796625180 - 86400);
    assert_int_equal(ag_clock_wall(), 1796625180); /* the audit log's time is not shifted */
    assert_int_equal(ag_clock_today(), day("2026-12-06"));
    int64_t there = 0;
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, other_thread, &there), 0);
    pthread_join(th, NULL);
    assert_int_equal(there, 1796625180);
    assert_int_equal(ag_clock_shift(0), -86400);
    assert_int_equal(ag_clock_now(), 1796625180);
}

static int64_t fine_ms(void)
{
    struct timespec ts;
    assert_int_equal(clock_gettime(CLOCK_REALTIME, &ts), 0);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void milliseconds_follow_the_fine_clock(void **state)
{
    (void)state;
    setenv("AUDITGRID_NOW", "2026-12-07T06:33:00Z", 1);
    assert_int_equal(ag_clock_now_ms(), 1796625180000LL);
    ag_clock_shift(-10);
    assert_int_equal(ag_clock_now_ms(), 1796625170000LL);
    ag_clock_shift(0);
    unsetenv("AUDITGRID_NOW");
    /* Across many second boundaries a reading is never behind the reading
     * before it, nor behind the fine clock read just before: time(NULL) may
     * lag by a tick, and a reading built from it would jump back a second. */
    int64_t prev = 0, start = fine_ms() / 1000;
    for (int64_t before = fine_ms(); before / 1000 < start + 2; before = fine_ms()) {
        int64_t t = ag_clock_now_ms();
        assert_true(t >= before);
        assert_true(t >= prev);
        assert_true(t <= fine_ms());
        prev = t;
    }
}

static void ag_today_and_the_today_option_set_the_civil_day(void **state)
{
    (void)state;
    /* 20:00 UTC on the 6th is 04:00 on the 7th in Beijing; AG_TODAY keeps that time of day. */
    setenv("AUDITGRID_NOW", "2026-12-06T20:00:00Z", 1);
    setenv("AG_TODAY", "2027-03-01", 1);
    assert_int_equal(ag_clock_today(), day("2027-03-01"));
    assert_int_equal(ag_clock_now(),
                     1796625180 - 37980 + (int64_t)(day("2027-03-01") - day("2026-12-07")) * 86400);
    assert_int_equal(ag_clock_wall(), ag_clock_now());
    /* --today wins over AG_TODAY, and only it is undone. */
    int32_t d = 0;
    assert_true(ag_clock_parse_today("2026-02-28", &d));
    ag_clock_set_today(d);
    assert_int_equal(ag_clock_today(), day("2026-02-28"));
    ag_clock_clear_today();
    assert_int_equal(ag_clock_today(), day("2027-03-01"));
    /* Without AUDITGRID_NOW the system clock moves to that day. */
    unsetenv("AUDITGRID_NOW");
    assert_int_equal(ag_clock_today(), day("2027-03-01"));
    /* Only a real YYYY-MM-DD is a day; a malformed AG_TODAY is ignored. */
    assert_false(ag_clock_parse_today("2026-02-30", &d));
    assert_false(ag_clock_parse_today("20260228", &d));
    assert_false(ag_clock_parse_today("2026-2-28", &d));
    assert_false(ag_clock_parse_today(NULL, &d));
    setenv("AUDITGRID_NOW", "2026-12-07T06:33:00Z", 1);
    setenv("AG_TODAY", "2026-13-01", 1);
    assert_int_equal(ag_clock_now(), 1796625180);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(auditgrid_now_sets_the_instant, reset),
        cmocka_unit_test_teardown(a_malformed_override_falls_back_to_the_system_clock, reset),
        cmocka_unit_test_teardown(formatting_is_iso_utc, reset),
        cmocka_unit_test_teardown(today_is_the_civil_day_in_beijing, reset),
        cmocka_unit_test_teardown(a_shift_moves_this_threads_now_only, reset),
        cmocka_unit_test_teardown(milliseconds_follow_the_fine_clock, reset),
        cmocka_unit_test_teardown(ag_today_and_the_today_option_set_the_civil_day, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
