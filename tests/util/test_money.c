/* test_money.c - amounts in fen: what the parser takes, what it refuses, how amounts print. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "util/money.h"

static void assert_parses(const char *s, int64_t want)
{
    int64_t got = 0x5A5A;
    if (!ag_money_parse(s, strlen(s), &got))
        fail_msg("\"%s\" was rejected", s);
    if (got != want)
        fail_msg("\"%s\" parsed to %lld fen, expected %lld", s, (long long)got, (long long)want);
}

static void assert_rejects(const char *s)
{
    int64_t got = 0x5A5A;
    if (ag_money_parse(s, strlen(s), &got))
        fail_msg("\"%s\" was accepted as %lld fen", s, (long long)got);
    assert_int_equal(got, 0x5A5A); /* untouched on failure */
}

static void plain_amounts(void **state)
{
    (void)state;
    assert_parses("0", 0);
    assert_parses("7", 700);
    assert_parses("12.5", 1250);
    assert_parses("12.50", 1250);
    assert_parses("12.05", 1205);
    assert_parses(".5", 50);
    assert_parses("0.01", 1);
    assert_parses("1234.56", 123456);
    assert_parses("+3", 300);
    assert_parses("007.00", 700);
}

static void thousands_separators(void **state)
{
    (void)state;
    assert_parses("1,234.56", 123456);
    assert_parses("1,234", 123400);
    assert_parses("12,345,678.9", 1234567890);
    assert_parses("-1,000,000", -100000000);
    assert_parses("(1,234.56)", -123456);
}

static void misplaced_separators_are_refused(void **state)
{
    (void)state;
    /* A comma must separate groups of three. "1,2,3" is not one amount, and
     * "12,34" is more likely a decimal comma (12.34) than 1234 yuan: reading
     * either as a number would put a 100-fold error into the books. */
    assert_rejects("1,2,3");
    assert_rejects("12,34");
    assert_rejects("12,34.00");
    assert_rejects("1234,567");
    assert_rejects("1,2345");
    assert_rejects("1,234,56");
    assert_rejects(",123");
    assert_rejects("1,");
    assert_rejects("1,234,");
    assert_rejects("1,,234");
    assert_rejects("1,234.5,6");
    assert_rejects("1.234,56");
}

static void padding_and_empty_text(void **state)
{
    (void)state;
    assert_parses(" 12.5 ", 1250);
    assert_parses("\t12.5\t", 1250);
    assert_parses("  -3  ", -300);
    /* Empty or blank means zero: spreadsheets leave zero cells empty. */
    assert_parses("", 0);
    assert_parses("   ", 0);
    assert_parses("\t", 0);
    /* Only the ends are padding. */
    assert_rejects("1 000");
    assert_rejects("- 5");
    assert_rejects("( 5)");
}

static void negative_amounts(void **state)
{
    (void)state;
    assert_parses("-0.01", -1);
    assert_parses("-12.5", -1250);
    assert_parses("(100.00)", -10000);
    assert_parses(" (0.5) ", -50);
    assert_parses("-0", 0);
    /* A sign inside parentheses is a contradiction, not a double negative. */
    assert_rejects("(-100)");
    assert_rejects("(+100)");
    assert_rejects("-(100)");
    assert_rejects("(100");
    assert_rejects("100)");
    assert_rejects("()");
    assert_rejects("--1");
    assert_rejects("+-1");
    assert_rejects("1-");
}

static void at_most_two_decimals(void **state)
{
    (void)state;
    assert_rejects("1.234");
    assert_rejects("0.001");
    assert_rejects("1.000");
}

static void not_a_number(void **state)
{
    (void)state;
    assert_rejects("abc");
    assert_rejects("12a");
    assert_rejects("1e3");
    assert_rejects("0x10");
    assert_rejects(".");
    assert_rejects("-");
    assert_rejects("1.2.3");
    assert_rejects("1..2");
    assert_rejects("¥100");
    assert_rejects("100元");
    assert_rejects("１００"); /* full-width digits */
    assert_rejects("nan");
}

static void only_len_bytes_are_read(void **state)
{
    (void)state;
    int64_t fen = 0;
    assert_true(ag_money_parse("12.34xyz", 5, &fen));
    assert_int_equal(fen, 1234);
}

static void overflow_is_refused_at_the_exact_limit(void **state)
{
    (void)state;
    /* INT64_MAX fen is 92,233,720,368,547,758.07 yuan; INT64_MIN one fen more negative. */
    assert_parses("92233720368547758.07", INT64_MAX);
    assert_parses("92,233,720,368,547,758.07", INT64_MAX);
    assert_parses("92233720368547758", INT64_MAX - 7);
    assert_parses("92233720368547757.99", INT64_MAX - 8);
    assert_parses("-92233720368547758.08", INT64_MIN);
    assert_parses("(92233720368547758.07)", -INT64_MAX);
    assert_rejects("92233720368547758.08");
    assert_rejects("92233720368547758.1");
    assert_rejects("92233720368547759");
    assert_rejects("92233720368547760");
    assert_rejects("-92233720368547758.09");
    assert_rejects("(92233720368547758.09)");
    assert_rejects("922337203685477580");
    assert_rejects("99999999999999999999999999");
}

static void format_plain(void **state)
{
    (void)state;
    char out[24];
    ag_money_format(0, out);
    assert_string_equal(out, "0.00");
    ag_money_format(5, out);
    assert_string_equal(out, "0.05");
    ag_money_format(-5, out);
    assert_string_equal(out, "-0.05");
    ag_money_format(-100, out);
    assert_string_equal(out, "-1.00");
    ag_money_format(123456, out);
    assert_string_equal(out, "1234.56");
    ag_money_format(-123450, out);
    assert_string_equal(out, "-1234.50");
    ag_money_format(INT64_MAX, out);
    assert_string_equal(out, "92233720368547758.07");
    ag_money_format(INT64_MIN, out);
    assert_string_equal(out, "-92233720368547758.08");
}

static void format_grouped(void **state)
{
    (void)state;
    char out[32];
    ag_money_format_grouped(0, out);
    assert_string_equal(out, "0.00");
    ag_money_format_grouped(-5, out);
    assert_string_equal(out, "-0.05");
    ag_money_format_grouped(99999, out);
    assert_string_equal(out, "999.99");
    ag_money_format_grouped(100000, out);
    assert_string_equal(out, "1,000.00");
    ag_money_format_grouped(-100000, out);
    assert_string_equal(out, "-1,000.00");
    ag_money_format_grouped(123456, out);
    assert_string_equal(out, "1,234.56");
    ag_money_format_grouped(-123456789, out);
    assert_string_equal(out, "-1,234,567.89");
    ag_money_format_grouped(12345678900, out);
    assert_string_equal(out, "123,456,789.00");
    ag_money_format_grouped(100000000000, out);
    assert_string_equal(out, "1,000,000,000.00");
    ag_money_format_grouped(INT64_MAX, out);
    assert_string_equal(out, "92,233,720,368,547,758.07");
    ag_money_format_grouped(INT64_MIN, out);
    assert_string_equal(out, "-92,233,720,368,547,758.08");
}

static void what_is_printed_parses_back(void **state)
{
    (void)state;
    static const int64_t fixed[] = {
        0,       1,        -1,        99,        100,           -100,         999999,
        1000000, -1234567, INT64_MAX, INT64_MIN, INT64_MAX - 1, INT64_MIN + 1};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        char plain[24], grouped[32];
        ag_money_format(fixed[i], plain);
        ag_money_format_grouped(fixed[i], grouped);
        assert_parses(plain, fixed[i]);
        assert_parses(grouped, fixed[i]);
    }
    /* And a spread of magnitudes from a fixed LCG (Knuth's MMIX constants). */
    uint64_t x = 1;
    for (int i = 0; i < 20000; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        int64_t v = (int64_t)(x >> (1 + i % 63)); /* fits in int64 */
        if (i & 1)
            v = -v;
        char plain[24], grouped[32];
        ag_money_format(v, plain);
        ag_money_format_grouped(v, grouped);
        assert_parses(plain, v);
        assert_parses(grouped, v);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_amounts),
        cmocka_unit_test(thousands_separators),
        cmocka_unit_test(misplaced_separators_are_refused),
        cmocka_unit_test(padding_and_empty_text),
        cmocka_unit_test(negative_amounts),
        cmocka_unit_test(at_most_two_decimals),
        cmocka_unit_test(not_a_number),
        cmocka_unit_test(only_len_bytes_are_read),
        cmocka_unit_test(overflow_is_refused_at_the_exact_limit),
        cmocka_unit_test(format_plain),
        cmocka_unit_test(format_grouped),
        cmocka_unit_test(what_is_printed_parses_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
