/* benford.c - Benford digit tests (Nigrini): counts, MAD conformity, Z, chi-square, KS, summation.
 */
#include "engine/benford.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/sampling.h"
#include "util/enumname.h"
#include "util/money.h"
#include "util/banned.h"

static const uint64_t POW10[] = {1ULL,
                                 10ULL,
                                 100ULL,
                                 1000ULL,
                                 10000ULL,
                                 100000ULL,
                                 1000000ULL,
                                 10000000ULL,
                                 100000000ULL,
                                 1000000000ULL,
                                 10000000000ULL,
                                 100000000000ULL,
                                 1000000000000ULL,
                                 10000000000000ULL,
                                 100000000000000ULL,
                                 1000000000000000ULL,
                                 10000000000000000ULL,
                                 100000000000000000ULL,
                                 1000000000000000000ULL,
                                 10000000000000000000ULL};

static bool test_ok(eng_benford_test t)
{
    return t >= ENG_BENFORD_FIRST && t <= ENG_BENFORD_CENTS;
}

int64_t eng_benford_default_min(eng_benford_test t)
{
    switch (t) {
    case ENG_BENFORD_FIRST3:
    case ENG_BENFORD_LAST2:
        return 10000;
    case ENG_BENFORD_CENTS:
        return 1;
    default:
        return 1000;
    }
}

static const char *const test_names[] = {
    [ENG_BENFORD_FIRST] = "first",   [ENG_BENFORD_SECOND] = "second",
    [ENG_BENFORD_FIRST2] = "first2", [ENG_BENFORD_FIRST3] = "first3",
    [ENG_BENFORD_LAST2] = "last2",   [ENG_BENFORD_CENTS] = "cents",
};

const char *eng_benford_test_name(eng_benford_test t)
{
    return ag_enum_name(test_names, AG_ENUM_N(test_names), (int)t, "?");
}

bool eng_benford_test_parse(const char *s, eng_benford_test *out)
{
    int t;
    if (!ag_enum_parse(test_names, AG_ENUM_N(test_names), s, &t))
        return false;
    *out = (eng_benford_test)t;
    return true;
}

/* Each conformity level's name in English and in Chinese. */
static const struct {
    const char *en, *zh;
} conformity_names[] = {
    [ENG_CONFORMITY_CLOSE] = {"close", "高度符合"},
    [ENG_CONFORMITY_ACCEPTABLE] = {"acceptable", "可接受"},
    [ENG_CONFORMITY_MARGINAL] = {"marginal", "勉强可接受"},
    [ENG_CONFORMITY_NONCONFORMITY] = {"nonconformity", "不符合"},
    [ENG_CONFORMITY_NA] = {"n/a", "不适用"},
};

static bool conformity_known(eng_conformity c)
{
    return (unsigned)c < sizeof conformity_names / sizeof conformity_names[0];
}

const char *eng_conformity_name(eng_conformity c)
{
    return conformity_known(c) ? conformity_names[c].en : "?";
}

const char *eng_conformity_name_zh(eng_conformity c)
{
    return conformity_known(c) ? conformity_names[c].zh : "?";
}

int eng_benford_nbins(eng_benford_test t)
{
    switch (t) {
    case ENG_BENFORD_FIRST:
        return 9;
    case ENG_BENFORD_SECOND:
        return 10;
    case ENG_BENFORD_FIRST2:
        return 90;
    case ENG_BENFORD_FIRST3:
        return 900;
    case ENG_BENFORD_LAST2:
    case ENG_BENFORD_CENTS:
        return 100;
    }
    return 0;
}

int eng_benford_first_digits(eng_benford_test t)
{
    switch (t) {
    case ENG_BENFORD_FIRST:
        return 1;
    case ENG_BENFORD_FIRST2:
        return 10;
    case ENG_BENFORD_FIRST3:
        return 100;
    default:
        return 0;
    }
}

double eng_benford_expected(eng_benford_test t, int d)
{
    int lo = eng_benford_first_digits(t);
    if (!test_ok(t) || d < lo || d >= lo + eng_benford_nbins(t))
        return 0;
    switch (t) {
    case ENG_BENFORD_SECOND: {
        /* P(second digit = d) = sum over first digits j of log10(1 + 1/(10j + d)). */
        double p = 0;
        for (int j = 1; j <= 9; j++)
            p += log10(1.0 + 1.0 / (10.0 * j + d));
        return p;
    }
    case ENG_BENFORD_LAST2:
    case ENG_BENFORD_CENTS:
        return 0.01;
    default:
        return log10(1.0 + 1.0 / d);
    }
}

/* The first k significant digits of v > 0, padded with zeros when v has
 * fewer (5 fen -> 50 for k = 2). */
static int lead(uint64_t v, int k)
{
    int d = 1;
    while (d < 20 && v >= POW10[d])
        d++;
    return (int)(d >= k ? v / POW10[d - k] : v * POW10[k - d]);
}

static int digits_u64(eng_benford_test t, uint64_t v)
{
    if (v == 0)
        return -1;
    switch (t) {
    case ENG_BENFORD_FIRST:
        return lead(v, 1);
    case ENG_BENFORD_SECOND:
        return lead(v, 2) % 10;
    case ENG_BENFORD_FIRST2:
        return lead(v, 2);
    case ENG_BENFORD_FIRST3:
        return lead(v, 3);
    case ENG_BENFORD_LAST2:
        return v / 100 < 10 ? -1 : (int)(v / 100 % 100);
    case ENG_BENFORD_CENTS:
        return (int)(v % 100);
    }
    return -1;
}

int eng_benford_digits_of(eng_benford_test t, int64_t fen)
{
    return fen > 0 ? digits_u64(t, (uint64_t)fen) : -1;
}

static void mad_limits(eng_benford_test t, double out[3])
{
    /* Nigrini (2012), Table 7.1. */
    static const double lim[4][3] = {{0.006, 0.012, 0.015},
                                     {0.008, 0.010, 0.012},
                                     {0.0012, 0.0018, 0.0022},
                                     {0.00036, 0.00044, 0.00050}};
    if (t > ENG_BENFORD_FIRST3) {
        out[0] = out[1] = out[2] = 0;
        return;
    }
    memcpy(out, lim[t], sizeof lim[t]);
}

ag_err eng_benford_from_counts(eng_benford_test t, const uint64_t *counts, int nbins,
                               eng_benford_result *out, ag_error *err)
{
    if (!test_ok(t) || nbins != eng_benford_nbins(t) || !counts)
        return ag_fail(err, AG_ERR_USAGE, "benford", "数字检验 %d 应有 %d 个分组，收到 %d 个",
                       "digit test %d has %d bins, got %d", (int)t,
                       test_ok(t) ? eng_benford_nbins(t) : 0, nbins);
    memset(out, 0, sizeof *out);
    out->test = t;
    out->nbins = nbins;
    uint64_t n = 0;
    for (int i = 0; i < nbins; i++)
        n += counts[i];
    if (n == 0)
        return ag_fail(err, AG_ERR_INPUT, "benford", "没有可检验的金额",
                       "no amount to test: every bin is empty");
    out->n = n;
    double dn = (double)n, cc = 1.0 / (2.0 * dn), cum_ap = 0, cum_ep = 0;
    int lo = eng_benford_first_digits(t);
    for (int i = 0; i < nbins; i++) {
        eng_benford_bin *b = &out->bins[i];
        b->digits = lo + i;
        b->count = counts[i];
        b->expected = eng_benford_expected(t, b->digits);
        b->actual = (double)counts[i] / dn;
        b->excess = (double)counts[i] - dn * b->expected;
        double diff = fabs(b->actual - b->expected);
        /* Nigrini's continuity correction 1/(2N), applied only when it is
         * smaller than the difference it corrects. */
        double num = cc < diff ? diff - cc : diff;
        b->z = num / sqrt(b->expected * (1.0 - b->expected) / dn);
        out->significant_bins += b->z > 1.96;
        out->mad += diff;
        out->chi2 += b->excess * b->excess / (dn * b->expected);
        cum_ap += b->actual;
        cum_ep += b->expected;
        if (fabs(cum_ap - cum_ep) > out->ks_d)
            out->ks_d = fabs(cum_ap - cum_ep);
    }
    out->mad /= nbins;
    out->df = nbins - 1;
    out->chi2_p = eng_chisq_upper(out->chi2, out->df);
    out->ks_critical = 1.36 / sqrt(dn);
    mad_limits(t, out->mad_limits);
    if (out->mad_limits[0] == 0)
        out->conformity = ENG_CONFORMITY_NA;
    else if (out->mad <= out->mad_limits[0])
        out->conformity = ENG_CONFORMITY_CLOSE;
    else if (out->mad <= out->mad_limits[1])
        out->conformity = ENG_CONFORMITY_ACCEPTABLE;
    else if (out->mad <= out->mad_limits[2])
        out->conformity = ENG_CONFORMITY_MARGINAL;
    else
        out->conformity = ENG_CONFORMITY_NONCONFORMITY;
    return AG_OK;
}

/* The magnitude an amount contributes, or 0 when it is of the other sign. */
static uint64_t magnitude(int64_t v, bool negatives)
{
    if (negatives)
        return v < 0 ? (uint64_t)0 - (uint64_t)v : 0;
    return v > 0 ? (uint64_t)v : 0;
}

static ag_err check_opts(const eng_benford_opts *o, int64_t *min, ag_error *err)
{
    if (!test_ok(o->test))
        return ag_fail(err, AG_ERR_USAGE, "benford", "未知的数字检验 %d", "unknown digit test %d",
                       (int)o->test);
    *min = o->min_fen ? o->min_fen : eng_benford_default_min(o->test);
    if (*min < 1)
        return ag_fail(err, AG_ERR_INPUT, "benford", "最小金额必须是正数",
                       "the minimum amount must be positive");
    return AG_OK;
}

static ag_err no_values(int64_t min, ag_error *err)
{
    char s[24];
    ag_money_format(min, s);
    return ag_fail(err, AG_ERR_INPUT, "benford", "没有不低于 %s 元的金额可供检验",
                   "no amount of at least %s yuan to test", s);
}

/* The test over counts, marked with the options and the amounts passed over. */
static ag_err result_of(const eng_benford_opts *o, const uint64_t *counts, int64_t min,
                        uint64_t skipped, eng_benford_result *out, ag_error *err)
{
    ag_err rc = eng_benford_from_counts(o->test, counts, eng_benford_nbins(o->test), out, err);
    if (rc)
        return rc;
    out->min_fen = min;
    out->negatives = o->negatives;
    out->skipped = skipped;
    return AG_OK;
}

ag_err eng_benford_run(const int64_t *values, size_t n, const eng_benford_opts *o,
                       eng_benford_result *out, ag_error *err)
{
    int64_t min = 0;
    ag_err rc = check_opts(o, &min, err);
    if (rc)
        return rc;
    uint64_t counts[ENG_BENFORD_MAX_BINS] = {0};
    double sums[ENG_BENFORD_MAX_BINS] = {0};
    uint64_t skipped = 0;
    double total = 0;
    int lo = eng_benford_first_digits(o->test);
    for (size_t i = 0; i < n; i++) {
        uint64_t a = magnitude(values[i], o->negatives);
        int d = a >= (uint64_t)min ? digits_u64(o->test, a) : -1;
        if (d < 0) {
            skipped++;
            continue;
        }
        counts[d - lo]++;
        sums[d - lo] += (double)a;
        total += (double)a;
    }
    if (skipped == n)
        return no_values(min, err);
    rc = result_of(o, counts, min, skipped, out, err);
    if (rc)
        return rc;
    out->total_fen = total;
    for (int i = 0; i < out->nbins; i++)
        out->bins[i].amount_share = sums[i] / total;
    return AG_OK;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

ag_err eng_benford_second_order(const int64_t *values, size_t n, const eng_benford_opts *o,
                                eng_benford_result *out, ag_error *err)
{
    int64_t min = 0;
    ag_err rc = check_opts(o, &min, err);
    if (rc)
        return rc;
    if (o->test > ENG_BENFORD_FIRST3)
        return ag_fail(err, AG_ERR_USAGE, "benford", "二阶检验只适用于首位、第二位、首两位、首三位",
                       "the second-order test applies to the first, second, first-two and "
                       "first-three digit tests");
    if (n > SIZE_MAX / sizeof(uint64_t))
        return ag_fail(err, AG_ERR_NOMEM, "benford", "金额过多", "too many amounts");
    uint64_t *v = malloc((n ? n : 1) * sizeof *v);
    if (!v)
        return ag_fail(err, AG_ERR_NOMEM, "benford", "内存不足", "out of memory");
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t a = magnitude(values[i], o->negatives);
        if (a && a >= (uint64_t)min)
            v[m++] = a;
    }
    if (m < 2) {
        free(v);
        return no_values(min, err);
    }
    qsort(v, m, sizeof *v, cmp_u64);
    uint64_t counts[ENG_BENFORD_MAX_BINS] = {0}, zeros = 0;
    int lo = eng_benford_first_digits(o->test);
    for (size_t i = 1; i < m; i++) {
        uint64_t d = v[i] - v[i - 1];
        if (d == 0)
            zeros++;
        else
            counts[digits_u64(o->test, d) - lo]++;
    }
    free(v);
    return result_of(o, counts, min, zeros, out, err);
}

static bool put(json_t *o, const char *key, json_t *v)
{
    return v && json_object_set_new(o, key, v) == 0;
}

json_t *eng_benford_to_json(const eng_benford_result *r)
{
    json_t *j = json_object(), *bins = json_array(), *lim = json_array();
    bool ok = j && bins && lim;
    char min[24];
    ag_money_format(r->min_fen, min);
    for (int i = 0; ok && i < 3 && r->mad_limits[0] > 0; i++)
        ok = json_array_append_new(lim, json_real(r->mad_limits[i])) == 0;
    for (int i = 0; ok && i < r->nbins; i++) {
        const eng_benford_bin *b = &r->bins[i];
        char d[8];
        snprintf(d, sizeof d, r->test >= ENG_BENFORD_LAST2 ? "%02d" : "%d", b->digits);
        json_t *o = json_object();
        ok = o && json_array_append_new(bins, o) == 0 && put(o, "digits", json_string(d)) &&
             put(o, "count", json_integer((json_int_t)b->count)) &&
             put(o, "expected", json_real(b->expected)) && put(o, "actual", json_real(b->actual)) &&
             put(o, "excess", json_real(b->excess)) && put(o, "z", json_real(b->z)) &&
             put(o, "amount_share", json_real(b->amount_share));
    }
    if (!ok) {
        json_decref(j);
        json_decref(bins);
        json_decref(lim);
        return NULL;
    }
    /* From here the object owns bins and lim. */
    json_object_set_new(j, "mad_limits", lim);
    json_object_set_new(j, "bins", bins);
    ok = put(j, "test", json_string(eng_benford_test_name(r->test))) &&
         put(j, "sign", json_string(r->negatives ? "negative" : "positive")) &&
         put(j, "min", json_string(min)) && put(j, "n", json_integer((json_int_t)r->n)) &&
         put(j, "skipped", json_integer((json_int_t)r->skipped)) &&
         put(j, "mad", json_real(r->mad)) &&
         put(j, "conformity", json_string(eng_conformity_name(r->conformity))) &&
         put(j, "conformity_zh", json_string(eng_conformity_name_zh(r->conformity))) &&
         put(j, "chisq", json_real(r->chi2)) && put(j, "df", json_integer(r->df)) &&
         put(j, "p", json_real(r->chi2_p)) && put(j, "ks", json_real(r->ks_d)) &&
         put(j, "ks_critical", json_real(r->ks_critical)) &&
         put(j, "ks_exceeds", json_boolean(r->ks_d > r->ks_critical)) &&
         put(j, "significant_bins", json_integer(r->significant_bins));
    if (!ok) {
        json_decref(j);
        return NULL;
    }
    return j;
}
