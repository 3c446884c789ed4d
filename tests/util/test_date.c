/* test_date.c - day numbers, civil dates, the three input formats, and the clock built on them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <time.h>

#include "util/clock.h"
#include "util/date.h"

/* The Gregorian rule, written out here so the walk below does not trust date.c. */
static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_length(int y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : dim[m - 1];
}

static int32_t parse_str(const char *s, bool *ok)
{
    int32_t days = INT32_MIN;
    *ok = ag_date_parse(s, strlen(s), &days);
    return days;
}

static void assert_parses(const char *s, int32_t want)
{
    bool ok;
    int32_t got = parse_str(s, &ok);
    if (!ok)
        fail_msg("\"%s\" was rejected", s);
    if (got != want)
        fail_msg("\"%s\" parsed to day %d, expected %d", s, (int)got, (int)want);
}

static void assert_rejects(const char *s)
{
    int32_t days = 12345;
    if (ag_date_parse(s, strlen(s), &days))
        fail_msg("\"%s\" was accepted as day %d", s, (int)days);
    assert_int_equal(days, 12345); /* untouched on failure */
}

static void known_day_numbers(void **state)
{
    (void)state;
    assert_int_equal(ag_date_to_days((ag_date){1970, 1, 1}), 0);
    assert_int_equal(ag_date_to_days((ag_date){1969, 12, 31}), -1);
    assert_int_equal(ag_date_to_days((ag_date){1900, 1, 1}), -25567);
    assert_int_equal(ag_date_to_days((ag_date){2000, 1, 1}), 10957);
    assert_int_equal(ag_date_to_days((ag_date){2024, 2, 29}), 19782);
    assert_int_equal(ag_date_to_days((ag_date){2026, 11, 27}), 20784);
    assert_int_equal(ag_date_to_days((ag_date){2999, 12, 31}), 376199);
}

static void every_day_from_1900_to_2999_round_trips(void **state)
{
    (void)state;
    int y = 1900, m = 1, d = 1;
    int32_t n = ag_date_to_days((ag_date){1900, 1, 1});
    int wd = ag_weekday(n);
    assert_int_equal(wd, 0); /* 1900-01-01 was a Monday */
    long count = 0;
    for (;;) {
        ag_date got = ag_date_from_days(n);
        if (got.year != y || got.month != m || got.day != d)
            fail_msg("day %d: expected %04d-%02d-%02d, got %04d-%02d-%02d", (int)n, y, m, d,
                     got.year, got.month, got.day);
        assert_true(ag_date_valid(got));
        assert_int_equal(ag_date_to_days(got), n);
        assert_int_equal(ag_weekday(n), wd);

        char want[48], out[11];
        snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, d);
        ag_date_format(n, out);
        assert_string_equal(out, want);
        assert_parses(want, n);
        char alt[48];
        snprintf(alt, sizeof alt, "%04d%02d%02d", y, m, d);
        assert_parses(alt, n);
        snprintf(alt, sizeof alt, "%04d/%02d/%02d", y, m, d);
        assert_parses(alt, n);

        count++;
        if (y == 2999 && m == 12 && d == 31)
            break;
        n++;
        wd = (wd + 1) % 7;
        if (++d > month_length(y, m)) {
            d = 1;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
    }
    assert_int_equal(n, 376199);
    assert_int_equal(count, 376199 + 25567 + 1); /* every day visited once */
}

static void known_weekdays(void **state)
{
    (void)state;
    /* 0 = Monday ... 6 = Sunday */
    assert_int_equal(ag_weekday(0), 3); /* 1970-01-01, a Thursday */
    assert_int_equal(ag_weekday(-1), 2);
    assert_int_equal(ag_weekday(ag_date_to_days((ag_date){2024, 2, 29})), 3);  /* Thursday */
    assert_int_equal(ag_weekday(ag_date_to_days((ag_date){2026, 11, 27})), 4); /* Friday */
    assert_int_equal(ag_weekday(ag_date_to_days((ag_date){2000, 1, 1})), 5);   /* Saturday */
    assert_int_equal(ag_weekday(ag_date_to_days((ag_date){1949, 10, 1})), 5);  /* Saturday */
    assert_int_equal(ag_weekday(ag_date_to_days((ag_date){1900, 1, 7})), 6);   /* Sunday */
}

static void leap_years_follow_the_gregorian_rule(void **state)
{
    (void)state;
    assert_int_equal(ag_days_in_month(1900, 2), 28); /* divisible by 100, not by 400 */
    assert_int_equal(ag_days_in_month(2000, 2), 29); /* divisible by 400 */
    assert_int_equal(ag_days_in_month(2023, 2), 28);
    assert_int_equal(ag_days_in_month(2024, 2), 29);
    assert_int_equal(ag_days_in_month(2100, 2), 28);
    assert_int_equal(ag_days_in_month(2400, 2), 29);
    assert_int_equal(ag_days_in_month(2024, 4), 30);
    assert_int_equal(ag_days_in_month(2024, 12), 31);
    assert_int_equal(ag_days_in_month(2024, 0), 0);
    assert_int_equal(ag_days_in_month(2024, 13), 0);

    assert_false(ag_date_valid((ag_date){1900, 2, 29}));
    assert_true(ag_date_valid((ag_date){2000, 2, 29}));
    assert_false(ag_date_valid((ag_date){2023, 2, 29}));
    assert_true(ag_date_valid((ag_date){2024, 2, 29}));
}

static void valid_range_is_1900_to_2999(void **state)
{
    (void)state;
    assert_true(ag_date_valid((ag_date){1900, 1, 1}));
    assert_true(ag_date_valid((ag_date){2999, 12, 31}));
    assert_false(ag_date_valid((ag_date){1899, 12, 31}));
    assert_false(ag_date_valid((ag_date){3000, 1, 1}));
    assert_false(ag_date_valid((ag_date){2024, 1, 0}));
    assert_false(ag_date_valid((ag_date){2024, 4, 31}));
    assert_rejects("1899-12-31");
    assert_rejects("3000-01-01");
    assert_rejects("0000-01-01");
}

static void the_three_formats(void **state)
{
    (void)state;
    int32_t leapday = 19782;
    assert_parses("2024-02-29", leapday);
    assert_parses("20240229", leapday);
    assert_parses("2024/02/29", leapday);

    /* Only `len` bytes are read, so a date can be cut out of a longer field. */
    int32_t days = 0;
    assert_true(ag_date_parse("2024-02-29T08:00:00Z", 10, &days));
    assert_int_equal(days, leapday);
    assert_true(ag_date_parse("20240229 rest", 8, &days));
    assert_int_equal(days, leapday);
}

static void impossible_dates_are_rejected(void **state)
{
    (void)state;
    assert_rejects("2023-02-29");
    assert_rejects("20230229");
    assert_rejects("2023/02/29");
    assert_rejects("1900-02-29");
    assert_rejects("2024-13-01");
    assert_rejects("2024-00-10");
    assert_rejects("2024-04-31");
    assert_rejects("2024-01-00");
    assert_rejects("2024-01-32");
}

static void malformed_text_is_rejected(void **state)
{
    (void)state;
    /* mixed or unknown separators */
    assert_rejects("2024-01/01");
    assert_rejects("2024/01-01");
    assert_rejects("2024.01.01");
    assert_rejects("2024 01 01");
    assert_rejects("2024_01_01");
    /* wrong length */
    assert_rejects("");
    assert_rejects("2024");
    assert_rejects("2024-1-01");
    assert_rejects("2024-01-1");
    assert_rejects("2024-1-1");
    assert_rejects("2024010");
    assert_rejects("202401011");
    assert_rejects("2024-01-011");
    assert_rejects(" 2024-01-01");
    assert_rejects("2024-01-01 ");
    /* letters and signs where digits belong */
    assert_rejects("2024-0a-01");
    assert_rejects("2O24-01-01");
    assert_rejects("abcd-ef-gh");
    assert_rejects("2024-01-0x");
    assert_rejects("2024010a");
    assert_rejects("+024-01-01");
    assert_rejects("2024-+1-01");
    assert_rejects("2024--1-01");
    assert_rejects("2024- 1-01");
}

static void format_pads_with_zeros(void **state)
{
    (void)state;
    char out[11];
    ag_date_format(0, out);
    assert_string_equal(out, "1970-01-01");
    ag_date_format(-25567, out);
    assert_string_equal(out, "1900-01-01");
    ag_date_format(19782, out);
    assert_string_equal(out, "2024-02-29");
    ag_date_format(376199, out);
    assert_string_equal(out, "2999-12-31");
}

/* ag_clock_* read AUDITGRID_NOW; these tests live here because the clock is
 * days-and-seconds arithmetic over date.c. */
static int clock_teardown(void **state)
{
    (void)state;
    unsetenv("AUDITGRID_NOW");
    return 0;
}

static void clock_override_with_a_date_is_midnight_utc(void **state)
{
    (void)state;
    assert_int_equal(setenv("AUDITGRID_NOW", "2026-11-27", 1), 0);
    assert_int_equal(ag_clock_now(), (int64_t)20784 * 86400);
    assert_int_equal(ag_clock_today(), 20784);
    char out[21];
    ag_clock_format(ag_clock_now(), out);
    assert_string_equal(out, "2026-11-27T00:00:00Z");
}

static void clock_override_with_a_date_time(void **state)
{
    (void)state;
    assert_int_equal(setenv("AUDITGRID_NOW", "2024-02-29T13:45:07Z", 1), 0);
    assert_int_equal(ag_clock_now(), (int64_t)19782 * 86400 + 13 * 3600 + 45 * 60 + 7);
    char out[21];
    ag_clock_format(ag_clock_now(), out);
    assert_string_equal(out, "2024-02-29T13:45:07Z");
}

static void clock_today_is_the_civil_day_in_utc_plus_8(void **state)
{
    (void)state;
    /* 15:59:59Z is 23:59:59 in Beijing; one second later it is tomorrow there. */
    assert_int_equal(setenv("AUDITGRID_NOW", "2026-11-27T15:59:59Z", 1), 0);
    assert_int_equal(ag_clock_today(), 20784);
    assert_int_equal(setenv("AUDITGRID_NOW", "2026-11-27T16:00:00Z", 1), 0);
    assert_int_equal(ag_clock_today(), 20785);
    /* Across a year end. */
    assert_int_equal(setenv("AUDITGRID_NOW", "2025-12-31T16:00:00Z", 1), 0);
    char day[11];
    ag_date_format(ag_clock_today(), day);
    assert_string_equal(day, "2026-01-01");
}

static void clock_without_override_is_the_wall_clock(void **state)
{
    (void)state;
    unsetenv("AUDITGRID_NOW");
    int64_t before = (int64_t)time(NULL);
    int64_t now = ag_clock_now();
    int64_t after = (int64_t)time(NULL);
    assert_true(now >= before && now <= after);
    assert_int_equal(setenv("AUDITGRID_NOW", "", 1), 0);
    now = ag_clock_now();
    assert_true(now >= before && now <= (int64_t)time(NULL));
}

static void *other_thread_now(void *arg)
{
    *(int64_t *)arg = ag_clock_now();
    return NULL;
}

static void clock_shift_moves_only_this_threads_clock(void **state)
{
    (void)state;
    assert_int_equal(setenv("AUDITGRID_NOW", "2026-11-27", 1), 0);
    assert_int_equal(ag_clock_shift(-30 * 86400), 0);
    assert_int_equal(ag_clock_today(), 20784 - 30);
    int64_t there = 0;
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, other_thread_now, &there), 0);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_int_equal(there, (int64_t)20784 * 86400);
    assert_int_equal(ag_clock_wall(), (int64_t)20784 * 86400);
    assert_int_equal(ag_clock_shift(0), -30 * 86400);
    assert_int_equal(ag_clock_today(), 20784);
}

static void clock_format(void **state)
{
    (void)state;
    char out[21];
    ag_clock_format(0, out);
    assert_string_equal(out, "1970-01-01T00:00:00Z");
    ag_clock_format(-1, out);
    assert_string_equal(out, "1969-12-31T23:59:59Z");
    ag_clock_format(-86400, out);
    assert_string_equal(out, "1969-12-31T00:00:00Z");
    ag_clock_format(951782400, out); /* 2000-02-29 */
    assert_string_equal(out, "2000-02-29T00:00:00Z");
    ag_clock_format((int64_t)376199 * 86400 + 86399, out);
    assert_string_equal(out, "2999-12-31T23:59:59Z");
    assert_int_equal(strlen(out), 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(known_day_numbers),
        cmocka_unit_test(every_day_from_1900_to_2999_round_trips),
        cmocka_unit_test(known_weekdays),
        cmocka_unit_test(leap_years_follow_the_gregorian_rule),
        cmocka_unit_test(valid_range_is_1900_to_2999),
        cmocka_unit_test(the_three_formats),
        cmocka_unit_test(impossible_dates_are_rejected),
        cmocka_unit_test(malformed_text_is_rejected),
        cmocka_unit_test(format_pads_with_zeros),
        cmocka_unit_test_teardown(clock_override_with_a_date_is_midnight_utc, clock_teardown),
        cmocka_unit_test_teardown(clock_override_with_a_date_time, clock_teardown),
        cmocka_unit_test_teardown(clock_today_is_the_civil_day_in_utc_plus_8, clock_teardown),
        cmocka_unit_test_teardown(clock_without_override_is_the_wall_clock, clock_teardown),
        cmocka_unit_test_teardown(clock_shift_moves_only_this_threads_clock, clock_teardown),
        cmocka_unit_test(clock_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
