/* benford.h - Benford digit tests (Nigrini): first, second, first two/three, last two digits. */
#ifndef AG_ENGINE_BENFORD_H
#define AG_ENGINE_BENFORD_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

/* Amounts come in as int64 fen. The leading-digit tests read the significant
 * digits of the yuan amount, which are the digits of the fen integer: 12.34
 * yuan (1234 fen) starts 1, 12, 123; 0.05 yuan (5 fen) reads as 5, 50, 500
 * (zero-padded, as benford.analysis does). Nigrini restricts the tests to
 * amounts >= 10 (first three digits: >= 100), the defaults below. The
 * last-two-digits test reads the whole-yuan part (yuan mod 100) of amounts
 * >= 100 yuan by default (below that the last two digits are the first two);
 * ENG_BENFORD_CENTS reads the fen part (角分, fen mod 100). Both expect a
 * uniform 1/100. Reasons in docs/statistics.md. */
typedef enum eng_benford_test {
    ENG_BENFORD_FIRST,  /* first digit 1..9 */
    ENG_BENFORD_SECOND, /* second digit 0..9 */
    ENG_BENFORD_FIRST2, /* first two digits 10..99 */
    ENG_BENFORD_FIRST3, /* first three digits 100..999 */
    ENG_BENFORD_LAST2,  /* last two digits of the whole yuan, 00..99 */
    ENG_BENFORD_CENTS   /* the fen part, 00..99 */
} eng_benford_test;

#define ENG_BENFORD_MAX_BINS 900

/* Nigrini's MAD conformity ranges (Benford's Law, 2012, Table 7.1). The
 * last-two and cents tests have none: ENG_CONFORMITY_NA. */
typedef enum eng_conformity {
    ENG_CONFORMITY_CLOSE,
    ENG_CONFORMITY_ACCEPTABLE,
    ENG_CONFORMITY_MARGINAL,
    ENG_CONFORMITY_NONCONFORMITY,
    ENG_CONFORMITY_NA
} eng_conformity;

typedef struct eng_benford_opts {
    eng_benford_test test;
    int64_t min_fen; /* amounts below are left out; 0 takes eng_benford_default_min */
    bool negatives;  /* test the magnitudes of the negative amounts instead of the positives */
} eng_benford_opts;

typedef struct eng_benford_bin {
    int digits;          /* 1..9, 0..9, 10..99, 100..999 or 0..99 */
    uint64_t count;      /* amounts with these digits */
    double expected;     /* expected proportion EP */
    double actual;       /* actual proportion AP = count / n */
    double excess;       /* count - n * EP (signed) */
    double z;            /* Z with Nigrini's continuity correction */
    double amount_share; /* summation test: share of the tested total in this bin */
} eng_benford_bin;

/* A filled-in test. About 50 KB (bins are inline): keep it on the heap or in
 * static storage when the stack is small. Needs no release. */
typedef struct eng_benford_result {
    eng_benford_test test;
    int64_t min_fen;
    bool negatives;
    uint64_t n;       /* amounts tested */
    uint64_t skipped; /* amounts of the other sign, zero, or below the minimum */
    double total_fen; /* sum of the tested amounts (summation test) */
    int nbins;
    eng_benford_bin bins[ENG_BENFORD_MAX_BINS];
    double mad; /* mean absolute deviation of AP from EP */
    eng_conformity conformity;
    double mad_limits[3];      /* upper ends of close, acceptable, marginal (0: none) */
    double chi2;               /* Pearson chi-square against n * EP */
    int df;                    /* bins - 1 */
    double chi2_p;             /* P(chi-square(df) >= chi2) */
    double ks_d;               /* max |cumulative AP - cumulative EP| */
    double ks_critical;        /* 1.36 / sqrt(n), the 5% critical value */
    uint32_t significant_bins; /* bins with Z > 1.96 (5%, two-sided) */
} eng_benford_result;

/* The default minimum (fen) of a test: 1000 (10 yuan) for first, second and
 * first-two; 10000 (100 yuan) for first-three and last-two; 1 for cents. */
int64_t eng_benford_default_min(eng_benford_test t);
/* "first", "second", "first2", "first3", "last2", "cents"; never NULL. */
const char *eng_benford_test_name(eng_benford_test t);
bool eng_benford_test_parse(const char *s, eng_benford_test *out);
/* "close", "acceptable", "marginal", "nonconformity", "n/a" and the Chinese
 * 高度符合 / 可接受 / 勉强可接受 / 不符合 / 不适用; never NULL. */
const char *eng_conformity_name(eng_conformity c);
const char *eng_conformity_name_zh(eng_conformity c);

/* Expected proportion of a bin (digits as in eng_benford_bin), e.g.
 * log10(1 + 1/d) for the first-two test; 0 for digits outside the test. */
double eng_benford_expected(eng_benford_test t, int digits);
/* Number of bins of a test and the digits of its first bin. */
int eng_benford_nbins(eng_benford_test t);
int eng_benford_first_digits(eng_benford_test t);
/* The bin a positive amount (fen) falls in, or -1 when it has no such digits
 * (a last-two test of an amount below 10 yuan). */
int eng_benford_digits_of(eng_benford_test t, int64_t fen);

/* Runs the test over values[0..n). AG_ERR_INPUT when no amount qualifies. */
ag_err eng_benford_run(const int64_t *values, size_t n, const eng_benford_opts *o,
                       eng_benford_result *out, ag_error *err);

/* The statistics from counts already made: counts[i] is the count of bin i
 * (digits eng_benford_first_digits + i), nbins of them. n, MAD, Z, chi-square
 * and KS as in eng_benford_run; the summation shares stay 0 and min_fen 0. */
ag_err eng_benford_from_counts(eng_benford_test t, const uint64_t *counts, int nbins,
                               eng_benford_result *out, ag_error *err);

/* Nigrini's second-order test: the same digit test over the differences of
 * the qualifying amounts sorted ascending, zero differences left out. Exact
 * in fen, so it needs none of the rounding a floating-point tool does.
 * out->skipped counts the zero differences. Copies the values (8 bytes each). */
ag_err eng_benford_second_order(const int64_t *values, size_t n, const eng_benford_opts *o,
                                eng_benford_result *out, ag_error *err);

/* The result as JSON: test, n, skipped, min (yuan string), mad, conformity
 * (+ _zh), mad_limits, chisq, df, p, ks (the KS D), ks_critical, significant_bins and
 * bins [{digits ("07" for last-two), count, expected, actual, excess, z,
 * amount_share}]. New reference; NULL on allocation failure. */
json_t *eng_benford_to_json(const eng_benford_result *r);

#endif
