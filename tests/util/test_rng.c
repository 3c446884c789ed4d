/* test_rng.c - the seeded generator: reproducible, in range, and without modulo bias. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/rng.h"

static void same_seed_same_sequence(void **state)
{
    (void)state;
    ag_rng a, b, c;
    ag_rng_seed(&a, 20240229);
    ag_rng_seed(&b, 20240229);
    ag_rng_seed(&c, 20240230);
    int differ = 0;
    for (int i = 0; i < 10000; i++) {
        uint64_t x = ag_rng_next(&a);
        assert_int_equal(x, ag_rng_next(&b));
        differ += x != ag_rng_next(&c);
    }
    assert_true(differ > 9990);

    /* Re-seeding restarts the sequence. */
    ag_rng_seed(&a, 7);
    uint64_t first = ag_rng_next(&a);
    ag_rng_next(&a);
    ag_rng_seed(&a, 7);
    assert_int_equal(ag_rng_next(&a), first);
}

static void sequence_is_the_published_algorithm(void **state)
{
    (void)state;
    /* xoshiro256** seeded by four splitmix64 outputs, as in Vigna's reference
     * code; the values were computed by an independent implementation. Demo
     * data generated on one machine must be the same on every other. */
    static const uint64_t seed0[] = {0x99EC5F36CB75F2B4ULL, 0xBF6E1F784956452AULL,
                                     0x1A5F849D4933E6E0ULL, 0x6AA594F1262D2D2CULL};
    static const uint64_t seed20240229[] = {0x20AA5B1C5271CD4CULL, 0xB257E77893654C3AULL,
                                            0xA6131DB90B8955EBULL, 0xEAC2A1E4506558BEULL};
    ag_rng r;
    ag_rng_seed(&r, 0);
    /* splitmix64 from 0 starts 0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, ... */
    assert_int_equal(r.s[0], 0xE220A8397B1DCDAFULL);
    assert_int_equal(r.s[1], 0x6E789E6AA1B965F4ULL);
    for (int i = 0; i < 4; i++)
        assert_int_equal(ag_rng_next(&r), seed0[i]);
    ag_rng_seed(&r, 20240229);
    for (int i = 0; i < 4; i++)
        assert_int_equal(ag_rng_next(&r), seed20240229[i]);
}

static void range_stays_within_bounds_and_reaches_both(void **state)
{
    (void)state;
    ag_rng r;
    ag_rng_seed(&r, 1);
    int seen[7] = {0};
    for (int i = 0; i < 10000; i++) {
        int64_t v = ag_rng_range(&r, -3, 3);
        assert_in_range(v + 3, 0, 6);
        seen[v + 3]++;
    }
    for (int i = 0; i < 7; i++)
        assert_true(seen[i] > 0);

    for (int i = 0; i < 100; i++)
        assert_int_equal(ag_rng_range(&r, 42, 42), 42);
    for (int i = 0; i < 100; i++) {
        int64_t v = ag_rng_range(&r, 1000000, 1000001);
        assert_true(v == 1000000 || v == 1000001);
    }
}

static void range_handles_the_extremes_of_int64(void **state)
{
    (void)state;
    ag_rng r;
    ag_rng_seed(&r, 2);
    int neg = 0;
    for (int i = 0; i < 1000; i++) {
        int64_t v = ag_rng_range(&r, INT64_MIN, INT64_MAX);
        neg += v < 0;
    }
    assert_in_range(neg, 400, 600);
    for (int i = 0; i < 1000; i++) {
        int64_t v = ag_rng_range(&r, INT64_MAX - 1, INT64_MAX);
        assert_true(v == INT64_MAX - 1 || v == INT64_MAX);
        v = ag_rng_range(&r, INT64_MIN, INT64_MIN + 1);
        assert_true(v == INT64_MIN || v == INT64_MIN + 1);
        v = ag_rng_range(&r, -1, INT64_MAX);
        assert_true(v >= -1);
        v = ag_rng_range(&r, INT64_MIN, 0);
        assert_true(v <= 0);
    }
}

static void below_is_in_range(void **state)
{
    (void)state;
    ag_rng r;
    ag_rng_seed(&r, 3);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(ag_rng_below(&r, 1), 0);
    for (uint64_t n = 2; n < 200; n++)
        for (int i = 0; i < 50; i++)
            assert_true(ag_rng_below(&r, n) < n);
    for (int i = 0; i < 1000; i++)
        assert_true(ag_rng_below(&r, UINT64_MAX) < UINT64_MAX);
}

static void below_spreads_evenly_over_ten_buckets(void **state)
{
    (void)state;
    /* Pearson's chi-square over 10 buckets has 9 degrees of freedom; 30 is
     * beyond its 99.9th percentile (27.9). The seed is fixed, so this cannot
     * flake: it fails only if the generator or below() changes for the worse. */
    ag_rng r;
    ag_rng_seed(&r, 20261127);
    enum { N = 100000, K = 10 };
    long count[K] = {0};
    for (int i = 0; i < N; i++)
        count[ag_rng_below(&r, K)]++;
    double chi2 = 0;
    for (int k = 0; k < K; k++) {
        double d = (double)count[k] - (double)N / K;
        chi2 += d * d / ((double)N / K);
    }
    if (chi2 > 30.0)
        fail_msg("chi-square %.2f over 10 buckets", chi2);
}

static void below_has_no_modulo_bias(void **state)
{
    (void)state;
    /* For n = 3 * 2^62, plain `next() % n` returns values under 2^62 half of
     * the time instead of a third. */
    ag_rng r;
    ag_rng_seed(&r, 4);
    const uint64_t n = 3ULL << 62;
    int low = 0;
    enum { N = 30000 };
    for (int i = 0; i < N; i++)
        low += ag_rng_below(&r, n) < (1ULL << 62);
    assert_in_range(low, N * 30 / 100, N * 37 / 100);
}

static void unit_and_chance(void **state)
{
    (void)state;
    ag_rng r;
    ag_rng_seed(&r, 5);
    double sum = 0;
    for (int i = 0; i < 10000; i++) {
        double u = ag_rng_unit(&r);
        assert_true(u >= 0.0 && u < 1.0);
        sum += u;
    }
    assert_true(sum / 10000 > 0.48 && sum / 10000 < 0.52);

    int hits = 0;
    for (int i = 0; i < 10000; i++) {
        assert_false(ag_rng_chance(&r, 0.0));
        assert_true(ag_rng_chance(&r, 1.0));
        hits += ag_rng_chance(&r, 0.25);
    }
    assert_in_range(hits, 2300, 2700);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_seed_same_sequence),
        cmocka_unit_test(sequence_is_the_published_algorithm),
        cmocka_unit_test(range_stays_within_bounds_and_reaches_both),
        cmocka_unit_test(range_handles_the_extremes_of_int64),
        cmocka_unit_test(below_is_in_range),
        cmocka_unit_test(below_spreads_evenly_over_ten_buckets),
        cmocka_unit_test(below_has_no_modulo_bias),
        cmocka_unit_test(unit_and_chance),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
