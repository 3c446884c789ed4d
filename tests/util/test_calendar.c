/* test_calendar.c - the shipped holiday table and the calendar CSV parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "util/calendar.h"
#include "util/date.h"
#include "util/banned.h"

static int32_t day_of(const char *iso)
{
    int32_t d = 0;
    assert_true(ag_date_parse(iso, strlen(iso), &d));
    return d;
}

static ag_day_kind kind_of(const ag_calendar *cal, const char *iso)
{
    bool covered = false;
    ag_day_kind k = calendar_kind(cal, day_of(iso), &covered);
    assert_true(covered);
    return k;
}

static int setup(void **state)
{
    ag_calendar *cal = NULL;
    ag_error err;
    if (calendar_load_default(&cal, &err) != AG_OK) {
        fprintf(stderr, "%s: %s\n", err.where, err.en);
        return -1;
    }
    *state = cal;
    return 0;
}

static int teardown(void **state)
{
    calendar_free(*state);
    return 0;
}

static void test_ordinary_days(void **state)
{
    const ag_calendar *cal = *state;
    assert_int_equal(kind_of(cal, "2024-03-13"), AG_DAY_WORKDAY); /* Wednesday */
    assert_int_equal(kind_of(cal, "2024-03-16"), AG_DAY_WEEKEND); /* Saturday */
    assert_int_equal(kind_of(cal, "2024-03-17"), AG_DAY_WEEKEND);
    assert_true(calendar_is_workday(cal, day_of("2024-03-13")));
    assert_false(calendar_is_workday(cal, day_of("2024-03-16")));
    assert_null(calendar_name(cal, day_of("2024-03-13")));
}

static void test_spring_festival_2024(void **state)
{
    const ag_calendar *cal = *state;
    assert_int_equal(kind_of(cal, "2024-02-10"), AG_DAY_HOLIDAY);
    assert_string_equal(calendar_name(cal, day_of("2024-02-10")), "春节");
    assert_int_equal(kind_of(cal, "2024-02-12"), AG_DAY_HOLIDAY); /* a Monday off */
    assert_int_equal(kind_of(cal, "2024-02-17"), AG_DAY_HOLIDAY);
    /* 2024-02-04 is a Sunday worked in exchange; so is 2024-02-18. */
    assert_int_equal(kind_of(cal, "2024-02-04"), AG_DAY_ADJUSTED_WORK);
    assert_int_equal(kind_of(cal, "2024-02-18"), AG_DAY_ADJUSTED_WORK);
    assert_true(calendar_is_workday(cal, day_of("2024-02-04")));
    assert_false(calendar_is_workday(cal, day_of("2024-02-10")));
    /* 除夕 2024-02-09 was only "encouraged" off: officially a workday. */
    assert_int_equal(kind_of(cal, "2024-02-09"), AG_DAY_WORKDAY);
}

static void test_adjusted_workdays_2025_2026(void **state)
{
    const ag_calendar *cal = *state;
    assert_int_equal(kind_of(cal, "2025-01-26"), AG_DAY_ADJUSTED_WORK);
    assert_int_equal(kind_of(cal, "2025-02-08"), AG_DAY_ADJUSTED_WORK);
    assert_int_equal(kind_of(cal, "2025-01-28"), AG_DAY_HOLIDAY); /* 除夕 is off from 2025 */
    assert_int_equal(kind_of(cal, "2025-02-04"), AG_DAY_HOLIDAY);
    assert_int_equal(kind_of(cal, "2026-02-14"), AG_DAY_ADJUSTED_WORK);
    assert_int_equal(kind_of(cal, "2026-02-28"), AG_DAY_ADJUSTED_WORK);
    assert_int_equal(kind_of(cal, "2026-02-15"), AG_DAY_HOLIDAY);
    assert_int_equal(kind_of(cal, "2026-02-23"), AG_DAY_HOLIDAY);
    assert_int_equal(kind_of(cal, "2026-02-24"), AG_DAY_WORKDAY);
    assert_int_equal(kind_of(cal, "2026-01-04"), AG_DAY_ADJUSTED_WORK);
    assert_string_equal(calendar_name(cal, day_of("2026-02-28")), "春节");
}

static void test_extended_spring_festival_2020(void **state)
{
    const ag_calendar *cal = *state;
    /* 国办发明电〔2020〕1号 extended the break to 2020-02-02; 2020-02-01
     * (Saturday) was no longer worked. */
    assert_int_equal(kind_of(cal, "2020-01-31"), AG_DAY_HOLIDAY);
    assert_int_equal(kind_of(cal, "2020-02-01"), AG_DAY_HOLIDAY);
    assert_int_equal(kind_of(cal, "2020-02-02"), AG_DAY_HOLIDAY);
    assert_int_equal(kind_of(cal, "2020-02-03"), AG_DAY_WORKDAY);
    assert_int_equal(kind_of(cal, "2020-01-19"), AG_DAY_ADJUSTED_WORK);
}

static void test_national_day_blocks(void **state)
{
    const ag_calendar *cal = *state;
    static const char *const off[] = {"2019-10-07", "2020-10-08", "2021-10-07",
                                      "2022-10-07", "2023-09-29", "2023-10-06",
                                      "2024-10-07", "2025-10-08", "2026-10-07"};
    for (size_t i = 0; i < sizeof off / sizeof off[0]; i++)
        assert_int_equal(kind_of(cal, off[i]), AG_DAY_HOLIDAY);
    static const char *const worked[] = {"2019-09-29", "2019-10-12", "2020-09-27", "2020-10-10",
                                         "2022-10-08", "2022-10-09", "2023-10-07", "2024-09-29",
                                         "2024-10-12", "2025-09-28", "2025-10-11", "2026-09-20",
                                         "2026-10-10"};
    for (size_t i = 0; i < sizeof worked / sizeof worked[0]; i++)
        assert_int_equal(kind_of(cal, worked[i]), AG_DAY_ADJUSTED_WORK);
    assert_int_equal(kind_of(cal, "2024-10-08"), AG_DAY_WORKDAY);
    assert_string_equal(calendar_name(cal, day_of("2025-10-06")), "国庆节、中秋节");
}

static void test_covered_range(void **state)
{
    const ag_calendar *cal = *state;
    int first = 0, last = 0;
    calendar_years(cal, &first, &last);
    assert_int_equal(first, 2019);
    assert_int_equal(last, 2026);
    /* The 2019 notice's 元旦 block starts in 2018, which stays uncovered, yet
     * its rows still answer. */
    bool covered = true;
    assert_int_equal(calendar_kind(cal, day_of("2018-12-29"), &covered), AG_DAY_ADJUSTED_WORK);
    assert_false(covered);
    assert_int_equal(calendar_kind(cal, day_of("2018-12-31"), &covered), AG_DAY_HOLIDAY);
    /* Outside: Monday..Friday works, and the caller learns it was a guess. */
    assert_int_equal(calendar_kind(cal, day_of("2027-10-01"), &covered), AG_DAY_WORKDAY);
    assert_false(covered);
    assert_int_equal(calendar_kind(cal, day_of("2027-10-02"), &covered), AG_DAY_WEEKEND);
    assert_false(covered);
    assert_false(calendar_covers(cal, day_of("2018-06-01")));
    assert_true(calendar_covers(cal, day_of("2026-12-31")));
    /* No calendar at all behaves like an uncovered year. */
    assert_int_equal(calendar_kind(NULL, day_of("2024-02-12"), &covered), AG_DAY_WORKDAY);
    assert_false(covered);
}

static void test_statutory_days_per_year(void **state)
{
    /* Weekday holidays minus adjusted workdays = statutory days off: 11 up
     * to 2024, 13 from 2025 (2020: 13 because of the extension). Counted by
     * notice year, whose 元旦 may start in the previous December. */
    const ag_calendar *cal = *state;
    static const int want[] = {11, 13, 11, 11, 11, 11, 13, 13};
    for (int y = 2019; y <= 2026; y++) {
        int32_t from = ag_date_to_days((ag_date){y - 1, 12, 29});
        int32_t to = ag_date_to_days((ag_date){y, 12, 28});
        int n = 0;
        for (int32_t d = from; d <= to; d++) {
            ag_day_kind k = calendar_kind(cal, d, NULL);
            if (k == AG_DAY_HOLIDAY && ag_weekday(d) < 5)
                n++;
            if (k == AG_DAY_ADJUSTED_WORK)
                n--;
        }
        assert_int_equal(n, want[y - 2019]);
    }
    assert_true(calendar_rows(cal) > 250);
}

static ag_err parse(const char *text, ag_calendar **cal, ag_error *err)
{
    return calendar_parse(text, strlen(text), "t.csv", cal, err);
}

static void test_parse_ok(void **state)
{
    (void)state;
    ag_calendar *cal = NULL;
    ag_error err;
    const char *text = "\xEF\xBB\xBF"
                       "Date,Kind,Name\r\n"
                       "2030-02-02,holiday,\"春节\"\r\n"
                       "\r\n"
                       "20300209,workday,春节\r\n"
                       "2030/10/01,HOLIDAY,\"国庆\"\"节\"\"\"\n";
    assert_int_equal(parse(text, &cal, &err), AG_OK);
    assert_int_equal(calendar_rows(cal), 3);
    int first = 0, last = 0;
    calendar_years(cal, &first, &last);
    assert_int_equal(first, 2030);
    assert_int_equal(last, 2030);
    bool covered = false;
    assert_int_equal(calendar_kind(cal, day_of("2030-02-09"), &covered), AG_DAY_ADJUSTED_WORK);
    assert_true(covered);
    assert_string_equal(calendar_name(cal, day_of("2030-10-01")), "国庆\"节\"");
    calendar_free(cal);

    assert_int_equal(parse("date,kind,name\n", &cal, &err), AG_OK);
    assert_int_equal(calendar_rows(cal), 0);
    assert_false(calendar_covers(cal, day_of("2024-01-01")));
    calendar_free(cal);
}

static void expect_reject(const char *text, const char *where)
{
    ag_calendar *cal = (ag_calendar *)1;
    ag_error err;
    ag_error_clear(&err);
    assert_int_equal(parse(text, &cal, &err), AG_ERR_INPUT);
    assert_null(cal);
    assert_int_equal(err.code, AG_ERR_INPUT);
    assert_string_equal(err.where, where);
    assert_true(err.zh[0] != '\0');
    assert_true(err.en[0] != '\0');
}

static void test_parse_errors_name_the_line(void **state)
{
    (void)state;
    expect_reject("", "t.csv");
    expect_reject("day,kind,name\n", "t.csv:1:header");
    expect_reject("date,kind,name\n2024-02-10,holiday,春节\n2024-02-30,holiday,春节\n",
                  "t.csv:3:date");
    expect_reject("date,kind,name\n2024-02-10,off,春节\n", "t.csv:2:kind");
    /* 2024-02-05 is a Monday: it cannot be a 调休 workday. */
    expect_reject("date,kind,name\n\n2024-02-05,workday,春节\n", "t.csv:3:kind");
    expect_reject("date,kind,name\n2024-02-10,holiday,\n", "t.csv:2:name");
    expect_reject("date,kind,name\n2024-02-10,holiday\n", "t.csv:2:line");
    expect_reject("date,kind,name\n2024-02-10,holiday,春节,x\n", "t.csv:2:line");
    expect_reject("date,kind,name\n2024-02-10,holiday,\"春节\n", "t.csv:2:line");
    expect_reject("date,kind,name\n2024-02-10,holiday,春节\n2024-02-10,holiday,春节\n",
                  "t.csv:3:date");
    expect_reject("date,kind,name\n2024-02-10,holiday,\xff\xfe\n", "t.csv:2:line");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ordinary_days),
        cmocka_unit_test(test_spring_festival_2024),
        cmocka_unit_test(test_adjusted_workdays_2025_2026),
        cmocka_unit_test(test_extended_spring_festival_2020),
        cmocka_unit_test(test_national_day_blocks),
        cmocka_unit_test(test_covered_range),
        cmocka_unit_test(test_statutory_days_per_year),
        cmocka_unit_test(test_parse_ok),
        cmocka_unit_test(test_parse_errors_name_the_line),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
