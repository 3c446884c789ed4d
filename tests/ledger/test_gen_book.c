/* test_gen_book.c - the generator's bookkeeping rules: amounts (range, seed, Benford digits),
 * payable amounts kept off the thresholds, payee windows against duplicates and splits, account
 * roles. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/gen_int.h"
#include "../testutil.h"

static gen_ctx *ctx(uint64_t seed, bool gov)
{
    gen_ctx *c = calloc(1, sizeof *c);
    assert_non_null(c);
    c->gov = gov;
    ag_rng_seed(&c->rng, seed);
    gen_book_year_init(c);
    return c;
}

static void amounts_stay_in_their_decades_and_repeat_per_seed(void **state)
{
    (void)state;
    gen_ctx *a = ctx(7, true), *b = ctx(7, true), *o = ctx(8, true);
    int differ = 0;
    for (int i = 0; i < 5000; i++) {
        int64_t x = gen_amount(a, 0, 2, 3);
        assert_int_equal(x, gen_amount(b, 0, 2, 3));
        differ += x != gen_amount(o, 0, 2, 3);
        /* 10^2 .. 10^4 yuan, in fen; never under 10 yuan. */
        assert_true(x >= 10000 && x <= 1000000);
    }
    assert_true(differ > 4000);
    /* The floor of 10 yuan holds for tiny decades. */
    for (int i = 0; i < 200; i++)
        assert_true(gen_amount(a, 0, 0, 0) >= 1000);
    free(a);
    free(b);
    free(o);
}

static void first_two_digits_conform_to_benford(void **state)
{
    (void)state;
    gen_ctx *c = ctx(11, true);
    enum { N = 20000 };
    for (int i = 0; i < N; i++)
        gen_digits_count(c, gen_amount(c, 0, 1, 5), true);
    assert_int_equal(c->n_all, N);
    assert_int_equal(c->n_pay, N);
    double mad = 0;
    for (int b = 10; b < 100; b++)
        mad += fabs((double)c->dig_all[b] / N - log10(1.0 + 1.0 / b));
    mad /= 90;
    /* Nigrini's close-conformity bound for the first-two-digits test is 0.0012. */
    if (mad >= 0.0012)
        fail_msg("first-two-digit MAD %.5f", mad);
    /* Amounts under 10 yuan are not counted. */
    gen_digits_count(c, 999, true);
    assert_int_equal(c->n_all, N);
    free(c);
}

static void payable_amounts_avoid_the_near_threshold_bands_and_round_ten_thousands(void **state)
{
    (void)state;
    static const int64_t limits[4] = {YUAN(50000), YUAN(100000), YUAN(500000), YUAN(1000000)};
    ag_rng r;
    ag_rng_seed(&r, 5);
    for (int i = 0; i < 20000; i++) {
        int64_t f = (int64_t)ag_rng_below(&r, (uint64_t)YUAN(2000000)) + 1;
        if (i % 7 == 0)
            f = limits[i % 4] - (int64_t)ag_rng_below(&r, (uint64_t)(limits[i % 4] / 20));
        if (i % 11 == 0)
            f = YUAN(10000) * (1 + (int64_t)ag_rng_below(&r, 150));
        int64_t p = gen_payable_amount(f);
        for (int k = 0; k < 4; k++)
            assert_false(p * 100 >= limits[k] * 95 && p < limits[k]);
        assert_false(p >= YUAN(10000) && p % YUAN(10000) == 0);
        assert_true(p > 0);
    }
    /* An amount outside every band is kept as it is. */
    assert_int_equal(gen_payable_amount(YUAN(1234) + 56), YUAN(1234) + 56);
    /* 49,000 yuan is in the band under 50,000: a decade less keeps the digits. */
    assert_int_equal(gen_payable_amount(YUAN(49000)), YUAN(4900));
    assert_int_equal(gen_payable_amount(YUAN(30000)), YUAN(30000) + 100);
}

static void a_payee_gets_no_same_amount_within_eight_days(void **state)
{
    (void)state;
    gen_cp cp;
    memset(&cp, 0, sizeof cp);
    assert_true(gen_cp_admit(&cp, 100, YUAN(800)));
    gen_cp_record(&cp, 100, YUAN(800));
    assert_false(gen_cp_admit(&cp, 100 + GEN_DUP_DAYS, YUAN(800)));
    assert_true(gen_cp_admit(&cp, 100 + GEN_DUP_DAYS, YUAN(801)));
    assert_true(gen_cp_admit(&cp, 100 + GEN_DUP_DAYS + 1, YUAN(800)));
}

static void payments_to_one_payee_never_add_up_over_a_million_within_the_window(void **state)
{
    (void)state;
    gen_cp cp;
    memset(&cp, 0, sizeof cp);
    gen_cp_record(&cp, 10, YUAN(600000));
    /* A split: two payments under a million that together reach it. */
    assert_false(gen_cp_admit(&cp, 20, YUAN(400000)));
    assert_true(gen_cp_admit(&cp, 20, YUAN(399999)));
    /* A payment of a million or more is not a split part. */
    assert_true(gen_cp_admit(&cp, 20, YUAN(1000000)));
    /* Past the window the earlier payment no longer counts, and recording drops it. */
    assert_true(gen_cp_admit(&cp, 10 + GEN_WINDOW + 1, YUAN(400000)));
    gen_cp_record(&cp, 10 + GEN_WINDOW + 1, YUAN(1));
    assert_int_equal(cp.n, 1);
    assert_int_equal(cp.a[0], YUAN(1));
}

static void a_busy_payee_keeps_only_the_last_window_entries(void **state)
{
    (void)state;
    gen_cp cp;
    memset(&cp, 0, sizeof cp);
    for (int i = 0; i < GEN_CP_WIN + 5; i++)
        gen_cp_record(&cp, 200, YUAN(10) + i);
    assert_int_equal(cp.n, GEN_CP_WIN);
    assert_int_equal(cp.a[0], YUAN(10) + 5);
    assert_int_equal(cp.a[GEN_CP_WIN - 1], YUAN(10) + GEN_CP_WIN + 4);
    /* A full window admits nothing more on that day. */
    assert_false(gen_cp_admit(&cp, 200, YUAN(5)));
}

static void payment_and_expense_accounts_follow_the_chart(void **state)
{
    (void)state;
    gen_ctx *g = ctx(1, true), *e = ctx(1, false);
    assert_true(gen_is_payment_acct(g, "1001"));
    assert_true(gen_is_payment_acct(g, "1002"));
    assert_true(gen_is_payment_acct(g, "1011"));
    assert_true(gen_is_payment_acct(g, "1021"));
    assert_false(gen_is_payment_acct(g, "1012"));
    assert_false(gen_is_payment_acct(g, "2307"));
    assert_true(gen_is_payment_acct(e, "1012"));
    assert_false(gen_is_payment_acct(e, "1011"));
    assert_true(gen_is_expense_acct(g, "500101"));
    assert_false(gen_is_expense_acct(g, "6601"));
    assert_true(gen_is_expense_acct(e, "660201"));
    assert_true(gen_is_expense_acct(e, "6401"));
    assert_false(gen_is_expense_acct(e, "5001"));
    free(g);
    free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(amounts_stay_in_their_decades_and_repeat_per_seed),
        cmocka_unit_test(first_two_digits_conform_to_benford),
        cmocka_unit_test(payable_amounts_avoid_the_near_threshold_bands_and_round_ten_thousands),
        cmocka_unit_test(a_payee_gets_no_same_amount_within_eight_days),
        cmocka_unit_test(payments_to_one_payee_never_add_up_over_a_million_within_the_window),
        cmocka_unit_test(a_busy_payee_keeps_only_the_last_window_entries),
        cmocka_unit_test(payment_and_expense_accounts_follow_the_chart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
