/* sampling.c - audit sample sizes, seeded selection and evaluation on hand-written distributions.
 */
#include "engine/sampling.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/enumname.h"
#include "util/money.h"
#include "util/rng.h"
#include "util/banned.h"

/* Iteration caps: the series and continued fractions need O(sqrt(a))
 * iterations, so these are reached only by arguments far beyond any sample. */
#define MAXIT 10000000
#define FPMIN (DBL_MIN / DBL_EPSILON)
/* Above this many errors the binomial tail comes from the incomplete beta
 * function instead of a term-by-term sum. */
#define BINOM_SUM_MAX 1000u

/* lgamma_r: the reentrant form, because plain lgamma writes the global signgam
 * and the engine runs on several threads. Every argument here is positive. */
static double lgam(double x)
{
    int sign;
    return lgamma_r(x, &sign);
}

/* ---- Incomplete gamma ------------------------------------------------------ */

/* x^a e^-x / Γ(a), the factor both expansions share. */
static double gamma_front(double a, double x)
{
    return exp(a * log(x) - x - lgam(a));
}

/* P(a, x) by its power series, for x < a + 1 (NR §6.2, "gser"). */
static double gamma_series(double a, double x)
{
    double ap = a, term = 1.0 / a, sum = term;
    for (long i = 0; i < MAXIT; i++) {
        ap += 1.0;
        term *= x / ap;
        sum += term;
        if (fabs(term) < fabs(sum) * DBL_EPSILON)
            break;
    }
    return sum * gamma_front(a, x);
}

/* One term an / (bn + ...) of a continued fraction by the modified Lentz
 * method (NR §5.2): updates c and d and returns the factor d * c the value
 * is multiplied by. */
static double lentz_step(double an, double bn, double *c, double *d)
{
    *d = an * *d + bn;
    if (fabs(*d) < FPMIN)
        *d = FPMIN;
    *c = bn + an / *c;
    if (fabs(*c) < FPMIN)
        *c = FPMIN;
    *d = 1.0 / *d;
    return *d * *c;
}

/* Q(a, x) by its continued fraction evaluated with the modified Lentz method,
 * for x >= a + 1 (NR §6.2, "gcf"). */
static double gamma_fraction(double a, double x)
{
    double b = x + 1.0 - a, c = 1.0 / FPMIN, d = 1.0 / b, h = d;
    for (long i = 1; i < MAXIT; i++) {
        double an = -(double)i * ((double)i - a);
        b += 2.0;
        double del = lentz_step(an, b, &c, &d);
        h *= del;
        if (fabs(del - 1.0) <= DBL_EPSILON)
            break;
    }
    return gamma_front(a, x) * h;
}

/* P(a, x), or Q(a, x) = 1 - P(a, x) when upper. The series converges
 * below a + 1 and gives P; the continued fraction above and gives Q. */
static double gamma_pq(double a, double x, bool upper)
{
    if (!(a > 0) || !(x >= 0))
        return NAN;
    if (x == 0 || isinf(x))
        return (x == 0) == upper ? 1 : 0;
    bool series = x < a + 1.0;
    double v = series ? gamma_series(a, x) : gamma_fraction(a, x);
    return series == upper ? 1.0 - v : v;
}

double eng_gamma_p(double a, double x)
{
    return gamma_pq(a, x, false);
}

double eng_gamma_q(double a, double x)
{
    return gamma_pq(a, x, true);
}

double eng_gamma_quantile(double p, double a)
{
    if (!(p > 0 && p < 1) || !(a > 0))
        return NAN;
    /* Bracket the root, then Newton steps on P(a, x) - p, falling back to
     * bisection whenever a step would leave the bracket. */
    double lo = 0, hi = a + 1.0;
    while (eng_gamma_p(a, hi) < p) {
        lo = hi;
        hi *= 2;
        if (hi > 1e300)
            return NAN;
    }
    double x = a > lo && a < hi ? a : 0.5 * (lo + hi);
    double lga = lgam(a);
    for (int it = 0; it < 400; it++) {
        double f = eng_gamma_p(a, x) - p;
        if (f == 0)
            return x;
        if (f < 0)
            lo = x;
        else
            hi = x;
        double dens = exp((a - 1.0) * log(x) - x - lga);
        double nx = dens > 0 ? x - f / dens : NAN;
        if (!(nx > lo && nx < hi))
            nx = 0.5 * (lo + hi);
        if (fabs(nx - x) <= 2 * DBL_EPSILON * nx || hi - lo <= 2 * DBL_EPSILON * hi)
            return nx;
        x = nx;
    }
    return x;
}

double eng_chisq_upper(double x, double df)
{
    if (!(df > 0) || isnan(x))
        return NAN;
    if (x <= 0)
        return 1;
    return eng_gamma_q(df / 2.0, x / 2.0);
}

/* ---- Incomplete beta and the discrete distributions ------------------------ */

/* The continued fraction of I_x(a, b), modified Lentz (NR §6.4, "betacf"). */
static double beta_fraction(double a, double b, double x)
{
    double qab = a + b, qap = a + 1.0, qam = a - 1.0;
    double c = 1.0, d = 1.0 - qab * x / qap;
    if (fabs(d) < FPMIN)
        d = FPMIN;
    d = 1.0 / d;
    double h = d;
    for (long m = 1; m < MAXIT; m++) {
        double dm = (double)m, m2 = 2.0 * dm;
        /* The even term, then the odd one. */
        h *= lentz_step(dm * (b - dm) * x / ((qam + m2) * (a + m2)), 1.0, &c, &d);
        double del = lentz_step(-(a + dm) * (qab + dm) * x / ((a + m2) * (qap + m2)), 1.0, &c, &d);
        h *= del;
        if (fabs(del - 1.0) <= DBL_EPSILON)
            break;
    }
    return h;
}

double eng_beta_inc(double a, double b, double x)
{
    if (!(a > 0) || !(b > 0) || !(x >= 0 && x <= 1))
        return NAN;
    if (x == 0 || x == 1)
        return x;
    double front = exp(lgam(a + b) - lgam(a) - lgam(b) + a * log(x) + b * log1p(-x));
    /* The fraction converges fast only on its own side of the mean. */
    if (x < (a + 1.0) / (a + b + 2.0))
        return front * beta_fraction(a, b, x) / a;
    return 1.0 - front * beta_fraction(b, a, 1.0 - x) / b;
}

/* Adds exp(lt) to the sum exp(*m) * *s without overflow or underflow. */
static void log_accumulate(double lt, double *m, double *s)
{
    if (lt > *m) {
        *s = *s * exp(*m - lt) + 1.0;
        *m = lt;
    } else {
        *s += exp(lt - *m);
    }
}

double eng_binom_cdf(uint64_t k, uint64_t n, double p)
{
    if (!(p >= 0 && p <= 1))
        return NAN;
    if (k >= n || p == 0)
        return 1;
    if (p == 1)
        return 0;
    if (k > BINOM_SUM_MAX)
        return eng_beta_inc((double)(n - k), (double)k + 1.0, 1.0 - p);
    /* Term by term from P(X = 0) = (1-p)^n with the ratio
     * P(X = i+1) / P(X = i) = (n - i) / (i + 1) * p / (1 - p), in logs. */
    double lq = log1p(-p), lodds = log(p) - lq;
    double lt = (double)n * lq, m = lt, s = 1.0;
    for (uint64_t i = 0; i < k; i++) {
        lt += log((double)(n - i)) - log((double)(i + 1)) + lodds;
        log_accumulate(lt, &m, &s);
    }
    double r = exp(m + log(s));
    return r > 1 ? 1 : r;
}

static double lchoose(uint64_t n, uint64_t k)
{
    return lgam((double)n + 1.0) - lgam((double)k + 1.0) - lgam((double)(n - k) + 1.0);
}

double eng_hyper_cdf(uint64_t k, uint64_t N, uint64_t K, uint64_t n)
{
    if (K > N || n > N)
        return NAN;
    uint64_t lo = n > N - K ? n - (N - K) : 0, hi = n < K ? n : K;
    if (k >= hi)
        return 1;
    if (k < lo)
        return 0;
    double lt = lchoose(K, lo) + lchoose(N - K, n - lo) - lchoose(N, n), m = lt, s = 1.0;
    for (uint64_t i = lo; i < k; i++) {
        /* P(X = i+1) / P(X = i) = (K - i)(n - i) / ((i + 1)(N - K - n + i + 1)) */
        lt += log((double)(K - i)) + log((double)(n - i)) - log((double)(i + 1)) -
              log((double)(N - K - n + i + 1));
        log_accumulate(lt, &m, &s);
    }
    double r = exp(m + log(s));
    return r > 1 ? 1 : r;
}

double eng_poisson_cdf(double k, double lambda)
{
    if (!(k >= 0) || !(lambda >= 0))
        return NAN;
    if (lambda == 0)
        return 1;
    return eng_gamma_q(k + 1.0, lambda);
}

double eng_poisson_factor(double confidence, double k)
{
    if (!(k >= 0))
        return NAN;
    return eng_gamma_quantile(confidence, k + 1.0);
}

double eng_round_up2(double x)
{
    /* The small allowance keeps a factor that is a whole number of hundredths
     * up to rounding noise (1.2000000000000002) from being pushed up. */
    return ceil(x * 100.0 - 1e-9) / 100.0;
}

/* Clopper-Pearson upper bound: the p with P(X <= k | n, p) = alpha. */
static double binom_upper(uint64_t k, uint64_t n, double alpha)
{
    if (k >= n)
        return 1;
    if (k == 0)
        return -expm1(log(alpha) / (double)n);
    double lo = (double)k / (double)n, hi = 1;
    for (int i = 0; i < 200 && hi - lo > DBL_EPSILON * hi; i++) {
        double mid = 0.5 * (lo + hi);
        if (eng_binom_cdf(k, n, mid) > alpha)
            lo = mid;
        else
            hi = mid;
    }
    return hi;
}

/* The largest population error count K still consistent with k errors in n
 * at risk alpha: P(X <= k | N, K, n) > alpha. */
static uint64_t hyper_upper(uint64_t k, uint64_t N, uint64_t n, double alpha)
{
    uint64_t lo = k, hi = N - (n - k); /* P(lo) = 1 > alpha; above hi P = 0 */
    if (eng_hyper_cdf(k, N, hi, n) > alpha)
        return hi;
    while (hi - lo > 1) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (eng_hyper_cdf(k, N, mid, n) > alpha)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* ---- Names ----------------------------------------------------------------- */

static const char *const model_names[] = {
    [ENG_MODEL_POISSON] = "poisson",
    [ENG_MODEL_BINOMIAL] = "binomial",
    [ENG_MODEL_HYPERGEOMETRIC] = "hypergeometric",
};

/* The short spellings a command line accepts too. */
static const char *const model_aliases[] = {
    [ENG_MODEL_POISSON] = "pois",
    [ENG_MODEL_BINOMIAL] = "binom",
    [ENG_MODEL_HYPERGEOMETRIC] = "hyper",
};

static const char *const method_names[] = {
    [ENG_SELECT_INTERVAL] = "interval",
    [ENG_SELECT_CELL] = "cell",
    [ENG_SELECT_RANDOM] = "random",
};

const char *eng_model_name(eng_model m)
{
    return ag_enum_name(model_names, AG_ENUM_N(model_names), (int)m, "?");
}

bool eng_model_parse(const char *s, eng_model *out)
{
    int m;
    if (!ag_enum_parse(model_names, AG_ENUM_N(model_names), s, &m) &&
        !ag_enum_parse(model_aliases, AG_ENUM_N(model_aliases), s, &m))
        return false;
    *out = (eng_model)m;
    return true;
}

const char *eng_select_method_name(eng_select_method m)
{
    return ag_enum_name(method_names, AG_ENUM_N(method_names), (int)m, "?");
}

bool eng_select_method_parse(const char *s, eng_select_method *out)
{
    int m;
    if (!ag_enum_parse(method_names, AG_ENUM_N(method_names), s, &m))
        return false;
    *out = (eng_select_method)m;
    return true;
}

/* ---- Sample size ----------------------------------------------------------- */

/* An exact fraction num / den (den > 0): a rate taken to a millionth, or an
 * amount over the book value. */
typedef struct frac {
    uint64_t num, den;
} frac;

static frac frac_of_rate(double r)
{
    frac f = {(uint64_t)llround(r * 1e6), 1000000u};
    return f;
}

/* ceil(f * n), exact. */
static uint64_t frac_ceil(frac f, uint64_t n)
{
    unsigned __int128 p = (unsigned __int128)f.num * n;
    return (uint64_t)((p + f.den - 1) / f.den);
}

/* floor(m * den / num): the largest n with f * n <= m. num > 0. */
static uint64_t frac_inv_floor(frac f, uint64_t m)
{
    return (uint64_t)((unsigned __int128)m * f.den / f.num);
}

typedef struct plan_ctx {
    eng_model model;
    double alpha;
    double t;         /* tolerable rate as a double (binomial p, Poisson rate) */
    double e;         /* expected rate as a double (Poisson) */
    frac ef;          /* expected rate, exact (binomial and hypergeometric) */
    bool by_count;    /* a whole number of expected errors ... */
    uint64_t kcount;  /* ... this one */
    uint64_t N, ktol; /* hypergeometric */
    uint64_t cap;     /* largest n tried */
} plan_ctx;

/* The expected errors at sample size n. */
static double plan_k(const plan_ctx *c, uint64_t n)
{
    if (c->by_count)
        return (double)c->kcount;
    if (c->model == ENG_MODEL_POISSON)
        return c->e * (double)n;
    return (double)frac_ceil(c->ef, n);
}

/* P(X <= k) at sample size n if the population ran at the tolerable rate. */
static double plan_risk(const plan_ctx *c, uint64_t n, double k)
{
    switch (c->model) {
    case ENG_MODEL_POISSON:
        return eng_poisson_cdf(k, c->t * (double)n);
    case ENG_MODEL_BINOMIAL:
        return eng_binom_cdf((uint64_t)k, n, c->t);
    case ENG_MODEL_HYPERGEOMETRIC:
        return eng_hyper_cdf((uint64_t)k, c->N, c->ktol, n);
    }
    return NAN;
}

static bool plan_ok(const plan_ctx *c, uint64_t n, double k)
{
    return (double)n > k && plan_risk(c, n, k) <= c->alpha;
}

/* Smallest n in [lo, hi] with plan_ok, given that plan_ok(hi) holds and that
 * the condition is monotone in n over the range (k from plan_k). */
static uint64_t plan_bisect(const plan_ctx *c, uint64_t lo, uint64_t hi)
{
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (plan_ok(c, mid, plan_k(c, mid)))
            hi = mid;
        else
            lo = mid + 1;
    }
    return hi;
}

/* When k does not jump with n (a fixed count, or Poisson's unrounded E * n)
 * the risk falls steadily as n grows: double, then bisect. */
static bool plan_search_smooth(const plan_ctx *c, uint64_t *n_out)
{
    uint64_t lo = 1, hi = 1;
    while (!plan_ok(c, hi, plan_k(c, hi))) {
        if (hi >= c->cap)
            return false;
        lo = hi + 1;
        hi = hi * 2 > c->cap ? c->cap : hi * 2;
    }
    *n_out = plan_bisect(c, lo, hi);
    return true;
}

/* k = ceil(E * n) jumps by one at a time. Within the run of n sharing a k the
 * risk falls as n grows, so each run is decided by its last n; the first run
 * that passes is bisected. This is how AICPA Tables are built:
 * the smallest n, scanning upwards, whose k = ceil(E n) passes. */
static bool plan_search_steps(const plan_ctx *c, uint64_t *n_out)
{
    for (uint64_t k = 1;; k++) {
        uint64_t lo = frac_inv_floor(c->ef, k - 1) + 1, hi = frac_inv_floor(c->ef, k);
        if (lo > c->cap)
            return false;
        if (hi > c->cap)
            hi = c->cap;
        if (lo < k + 1)
            lo = k + 1;
        if (hi < lo || !plan_ok(c, hi, (double)k))
            continue;
        *n_out = plan_bisect(c, lo, hi);
        return true;
    }
}

void eng_plan_opts_init(eng_plan_opts *o)
{
    memset(o, 0, sizeof *o);
    o->model = ENG_MODEL_POISSON;
    o->confidence = 0.95;
    o->expected_count = -1;
}

static bool rate_ok(double r)
{
    return r > 0 && r < 1;
}

/* The plan from a filled context; fills the result. */
static ag_err plan_run(plan_ctx *c, double confidence, eng_plan *out, ag_error *err)
{
    uint64_t n = 0;
    bool found = c->by_count || c->model == ENG_MODEL_POISSON || c->ef.num == 0
                     ? plan_search_smooth(c, &n)
                     : plan_search_steps(c, &n);
    if (!found)
        return ag_fail(err, AG_ERR_INPUT, "sample",
                       "所需样本量超过 %llu：预计偏差率（错报）离可容忍值太近",
                       "the sample would exceed %llu items: the expected rate (misstatement) is "
                       "too close to the tolerable one",
                       (unsigned long long)c->cap);
    memset(out, 0, sizeof *out);
    out->n = n;
    out->expected_errors = plan_k(c, n);
    out->risk = plan_risk(c, n, out->expected_errors);
    out->tolerable_errors = c->ktol;
    switch (c->model) {
    case ENG_MODEL_POISSON:
        out->upper_bound = eng_poisson_factor(confidence, out->expected_errors) / (double)n;
        break;
    case ENG_MODEL_BINOMIAL:
        out->upper_bound = binom_upper((uint64_t)out->expected_errors, n, c->alpha);
        break;
    case ENG_MODEL_HYPERGEOMETRIC:
        out->upper_bound =
            (double)hyper_upper((uint64_t)out->expected_errors, c->N, n, c->alpha) / (double)c->N;
        break;
    }
    return AG_OK;
}

static ag_err check_confidence(double c, ag_error *err)
{
    if (!rate_ok(c))
        return ag_fail(err, AG_ERR_INPUT, "sample", "置信水平必须在 0 与 1 之间（收到 %g）",
                       "the confidence must lie between 0 and 1 (got %g)", c);
    return AG_OK;
}

ag_err eng_plan_sample(const eng_plan_opts *o, eng_plan *out, ag_error *err)
{
    double conf = o->confidence == 0 ? 0.95 : o->confidence;
    ag_err rc = check_confidence(conf, err);
    if (rc)
        return rc;
    if (!rate_ok(o->tolerable))
        return ag_fail(err, AG_ERR_INPUT, "sample", "可容忍偏差率必须在 0 与 1 之间（收到 %g）",
                       "the tolerable rate must lie between 0 and 1 (got %g)", o->tolerable);
    plan_ctx c = {
        .model = o->model, .alpha = 1.0 - conf, .t = o->tolerable, .cap = ENG_SAMPLE_MAX_N};
    frac tf = frac_of_rate(o->tolerable);
    if (o->expected_count >= 0) {
        c.by_count = true;
        c.kcount = (uint64_t)o->expected_count;
    } else {
        if (!(o->expected_rate >= 0) || !(o->expected_rate < o->tolerable))
            return ag_fail(err, AG_ERR_INPUT, "sample",
                           "预计偏差率必须不小于 0 且低于可容忍偏差率（收到 %g，可容忍 %g）",
                           "the expected rate must be at least 0 and below the tolerable rate "
                           "(got %g, tolerable %g)",
                           o->expected_rate, o->tolerable);
        c.e = o->expected_rate;
        c.ef = frac_of_rate(o->expected_rate);
        if (c.ef.num >= tf.num && c.model != ENG_MODEL_POISSON)
            return ag_fail(err, AG_ERR_INPUT, "sample",
                           "预计偏差率按百万分之一取整后不低于可容忍偏差率",
                           "the expected rate, taken to a millionth, is not below the tolerable "
                           "rate");
    }
    if (c.model == ENG_MODEL_HYPERGEOMETRIC) {
        if (o->population == 0)
            return ag_fail(err, AG_ERR_INPUT, "sample", "超几何模型需要总体数量 N",
                           "the hypergeometric model needs the population size N");
        c.N = o->population;
        c.ktol = frac_ceil(tf, c.N);
        if (c.N < c.cap)
            c.cap = c.N;
        if (c.by_count && c.kcount >= c.ktol)
            return ag_fail(err, AG_ERR_INPUT, "sample",
                           "预计错误数 %llu 不低于总体中可容忍的错误数 %llu",
                           "the expected %llu errors are not below the %llu the population may "
                           "tolerate",
                           (unsigned long long)c.kcount, (unsigned long long)c.ktol);
    }
    return plan_run(&c, conf, out, err);
}

ag_err eng_plan_mus(int64_t book_fen, int64_t tolerable_fen, int64_t expected_fen,
                    double confidence, eng_model model, eng_plan *out, int64_t *interval_fen,
                    ag_error *err)
{
    double conf = confidence == 0 ? 0.95 : confidence;
    ag_err rc = check_confidence(conf, err);
    if (rc)
        return rc;
    if (book_fen <= 0 || tolerable_fen <= 0 || tolerable_fen >= book_fen || expected_fen < 0 ||
        expected_fen >= tolerable_fen)
        return ag_fail(err, AG_ERR_INPUT, "sample", "需要 账面金额 > 可容忍错报 > 预计错报 ≥ 0",
                       "need book value > tolerable misstatement > expected misstatement >= 0");
    if (model == ENG_MODEL_HYPERGEOMETRIC)
        return ag_fail(err, AG_ERR_INPUT, "sample",
                       "货币单位抽样用泊松或二项模型；超几何模型用于属性抽样",
                       "monetary-unit sampling takes the Poisson or binomial model; the "
                       "hypergeometric one is for attribute sampling");
    plan_ctx c = {.model = model,
                  .alpha = 1.0 - conf,
                  .t = (double)tolerable_fen / (double)book_fen,
                  .e = (double)expected_fen / (double)book_fen,
                  .ef = {(uint64_t)expected_fen, (uint64_t)book_fen},
                  .cap = ENG_SAMPLE_MAX_N};
    rc = plan_run(&c, conf, out, err);
    if (rc)
        return rc;
    if (interval_fen)
        *interval_fen = book_fen / (int64_t)out->n;
    return AG_OK;
}

/* ---- Selection ------------------------------------------------------------- */

void eng_selection_init(eng_selection *s)
{
    memset(s, 0, sizeof *s);
}

void eng_selection_release(eng_selection *s)
{
    if (!s)
        return;
    free(s->index);
    free(s->hits);
    eng_selection_init(s);
}

static ag_err sel_alloc(eng_selection *s, size_t cap, ag_error *err)
{
    if (cap == 0)
        cap = 1;
    if (cap > SIZE_MAX / sizeof(size_t))
        return ag_fail(err, AG_ERR_NOMEM, "sample", "选样结果过大", "the selection is too large");
    s->index = malloc(cap * sizeof *s->index);
    s->hits = malloc(cap * sizeof *s->hits);
    if (!s->index || !s->hits) {
        eng_selection_release(s);
        return ag_fail(err, AG_ERR_NOMEM, "sample", "内存不足", "out of memory");
    }
    return AG_OK;
}

ag_err eng_select_mus(const int64_t *values, size_t n, int64_t interval_fen,
                      eng_select_method method, uint64_t seed, eng_selection *out, ag_error *err)
{
    eng_selection_release(out);
    if (interval_fen <= 0)
        return ag_fail(err, AG_ERR_INPUT, "sample", "抽样间距必须为正数",
                       "the sampling interval must be positive");
    if (method != ENG_SELECT_INTERVAL && method != ENG_SELECT_CELL)
        return ag_fail(err, AG_ERR_USAGE, "sample", "货币单位选样只支持 interval 或 cell",
                       "monetary-unit selection is by interval or cell");
    if (n && !values)
        return ag_fail(err, AG_ERR_INTERNAL, "sample", "缺少金额数组", "no values given");
    uint64_t interval = (uint64_t)interval_fen, rest = 0, top = 0;
    size_t ntop = 0, skipped = 0;
    for (size_t i = 0; i < n; i++) {
        if (values[i] <= 0) {
            skipped++;
        } else if ((uint64_t)values[i] >= interval) {
            ntop++;
            top += (uint64_t)values[i];
        } else {
            rest += (uint64_t)values[i];
        }
        if (rest > (uint64_t)INT64_MAX || top > (uint64_t)INT64_MAX)
            return ag_fail(err, AG_ERR_INPUT, "sample", "金额合计超出范围",
                           "the values add up beyond the representable range");
    }
    /* There are at most rest / interval + 1 selection points, one per
     * interval, and never more selected items than items. */
    uint64_t points = rest / interval + 1;
    size_t cap = points < (uint64_t)(n - ntop) ? ntop + (size_t)points : n;
    ag_err rc = sel_alloc(out, cap, err);
    if (rc)
        return rc;
    out->method = method;
    out->interval = interval_fen;
    out->seed = seed;
    out->skipped = skipped;
    out->top_fen = (int64_t)top;
    out->rest_fen = (int64_t)rest;
    for (size_t i = 0; i < n; i++) {
        if (values[i] > 0 && (uint64_t)values[i] >= interval) {
            out->index[out->count] = i;
            out->hits[out->count++] = 0;
        }
    }
    out->top_count = out->count;

    ag_rng r;
    ag_rng_seed(&r, seed);
    /* Items below the interval lie end to end in input order; item i covers
     * the units (end - value, end]. Points come in ascending order, one per
     * interval (fixed: start + j * interval; cell: a random unit of cell j),
     * so one walk over the items finds them all. */
    uint64_t cell = 0, ncells = (rest + interval - 1) / interval;
    uint64_t point = 0;
    if (method == ENG_SELECT_INTERVAL) {
        out->start = ag_rng_range(&r, 1, interval_fen);
        point = (uint64_t)out->start;
    } else if (ncells > 0) {
        point = (uint64_t)ag_rng_range(&r, 1, interval_fen);
    }
    /* Only the last cell can be partial, so a point past the total (which
     * selects nothing) ends the selection. */
    bool have = (method == ENG_SELECT_INTERVAL || ncells > 0) && point <= rest;
    uint64_t end = 0;
    for (size_t i = 0; i < n && have; i++) {
        if (values[i] <= 0 || (uint64_t)values[i] >= interval)
            continue;
        end += (uint64_t)values[i];
        while (have && point <= end) {
            if (out->count > out->top_count && out->index[out->count - 1] == i) {
                out->hits[out->count - 1]++;
            } else {
                out->index[out->count] = i;
                out->hits[out->count++] = 1;
            }
            if (method == ENG_SELECT_INTERVAL) {
                point += interval;
            } else if (++cell < ncells) {
                point = cell * interval + (uint64_t)ag_rng_range(&r, 1, interval_fen);
            } else {
                point = UINT64_MAX;
            }
            have = point <= rest;
        }
    }
    return AG_OK;
}

/* A set of indexes for Floyd's algorithm: open addressing, key + 1 stored. */
typedef struct idx_set {
    size_t *slot;
    size_t mask;
} idx_set;

static bool set_insert(idx_set *s, size_t key)
{
    size_t h = (size_t)((uint64_t)key * 0x9E3779B97F4A7C15ULL) & s->mask;
    while (s->slot[h]) {
        if (s->slot[h] == key + 1)
            return false;
        h = (h + 1) & s->mask;
    }
    s->slot[h] = key + 1;
    return true;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

ag_err eng_select_random(size_t population, size_t k, uint64_t seed, eng_selection *out,
                         ag_error *err)
{
    eng_selection_release(out);
    if (k > population)
        return ag_fail(err, AG_ERR_INPUT, "sample", "样本量 %zu 超过总体数量 %zu",
                       "the sample of %zu exceeds the population of %zu", k, population);
    ag_err rc = sel_alloc(out, k, err);
    if (rc)
        return rc;
    out->method = ENG_SELECT_RANDOM;
    out->seed = seed;
    size_t cap = 16;
    while (cap < 2 * k) {
        if (cap > SIZE_MAX / 4 / sizeof(size_t)) {
            eng_selection_release(out);
            return ag_fail(err, AG_ERR_NOMEM, "sample", "选样结果过大",
                           "the selection is too large");
        }
        cap *= 2;
    }
    idx_set set = {calloc(cap, sizeof(size_t)), cap - 1};
    if (!set.slot) {
        eng_selection_release(out);
        return ag_fail(err, AG_ERR_NOMEM, "sample", "内存不足", "out of memory");
    }
    ag_rng r;
    ag_rng_seed(&r, seed);
    /* Floyd: for j from N-k to N-1 take a uniform t in [0, j]; if t is
     * already taken, take j (which cannot be). Every k-subset is equally
     * likely. */
    for (size_t j = population - k; j < population; j++) {
        size_t t = (size_t)ag_rng_below(&r, (uint64_t)j + 1);
        if (!set_insert(&set, t)) {
            set_insert(&set, j);
            t = j;
        }
        out->index[out->count] = t;
        out->hits[out->count++] = 1;
    }
    free(set.slot);
    qsort(out->index, out->count, sizeof *out->index, cmp_size);
    return AG_OK;
}

/* ---- Evaluation ------------------------------------------------------------ */

ag_err eng_evaluate(eng_model model, uint64_t n, double k, uint64_t population, double confidence,
                    double tolerable, eng_eval *out, ag_error *err)
{
    double conf = confidence == 0 ? 0.95 : confidence;
    ag_err rc = check_confidence(conf, err);
    if (rc)
        return rc;
    if (n == 0 || !(k >= 0) || k > (double)n)
        return ag_fail(err, AG_ERR_INPUT, "sample", "需要样本量 n ≥ 1 且 0 ≤ 错误数 ≤ n",
                       "need a sample of n >= 1 and 0 <= errors <= n");
    if (model != ENG_MODEL_POISSON && k != floor(k))
        return ag_fail(err, AG_ERR_INPUT, "sample", "%s 模型的错误数必须是整数",
                       "the %s model counts whole errors", eng_model_name(model));
    if (tolerable != 0 && !rate_ok(tolerable))
        return ag_fail(err, AG_ERR_INPUT, "sample", "可容忍偏差率必须在 0 与 1 之间（收到 %g）",
                       "the tolerable rate must lie between 0 and 1 (got %g)", tolerable);
    if (model == ENG_MODEL_HYPERGEOMETRIC && population < n)
        return ag_fail(err, AG_ERR_INPUT, "sample", "超几何模型需要总体数量 N ≥ 样本量",
                       "the hypergeometric model needs a population N at least the sample size");
    memset(out, 0, sizeof *out);
    out->model = model;
    out->confidence = conf;
    out->n = n;
    out->errors = k;
    out->mle = k / (double)n;
    out->tolerable = tolerable;
    double alpha = 1.0 - conf;
    switch (model) {
    case ENG_MODEL_POISSON:
        out->upper = eng_poisson_factor(conf, k) / (double)n;
        out->within = tolerable > 0 && out->upper <= tolerable;
        break;
    case ENG_MODEL_BINOMIAL:
        out->upper = binom_upper((uint64_t)k, n, alpha);
        out->within = tolerable > 0 && out->upper <= tolerable;
        break;
    case ENG_MODEL_HYPERGEOMETRIC:
        out->upper_count = hyper_upper((uint64_t)k, population, n, alpha);
        out->upper = (double)out->upper_count / (double)population;
        /* Within when the tolerable error count ceil(T N) is ruled out. */
        out->within =
            tolerable > 0 && out->upper_count < frac_ceil(frac_of_rate(tolerable), population);
        break;
    }
    return AG_OK;
}

static int cmp_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x > y ? -1 : x < y;
}

ag_err eng_mus_evaluate(const eng_mus_item *items, size_t k, int64_t interval_fen,
                        double confidence, const double *factors, size_t nfactors,
                        eng_mus_eval *out, ag_error *err)
{
    double conf = confidence == 0 ? 0.95 : confidence;
    ag_err rc = check_confidence(conf, err);
    if (rc)
        return rc;
    if (interval_fen <= 0)
        return ag_fail(err, AG_ERR_INPUT, "sample", "抽样间距必须为正数",
                       "the sampling interval must be positive");
    if (k > SIZE_MAX / sizeof(double) - 1)
        return ag_fail(err, AG_ERR_NOMEM, "sample", "错报项过多", "too many misstated items");
    memset(out, 0, sizeof *out);
    out->confidence = conf;
    out->interval = interval_fen;
    double *taint = malloc((k + 1) * sizeof *taint);
    if (!taint)
        return ag_fail(err, AG_ERR_NOMEM, "sample", "内存不足", "out of memory");
    double interval = (double)interval_fen;
    size_t m = 0;
    for (size_t i = 0; i < k; i++) {
        if (items[i].book_fen <= 0) {
            free(taint);
            return ag_fail(err, AG_ERR_INPUT, "sample",
                           "第 %zu 项的账面金额不是正数：货币单位抽样只含正数项目",
                           "item %zu has a book value that is not positive: monetary-unit "
                           "samples hold positive items only",
                           i + 1);
        }
        double book = (double)items[i].book_fen, mis = book - (double)items[i].audit_fen;
        if (items[i].book_fen >= interval_fen) {
            out->top_errors += mis != 0;
            if (mis > 0)
                out->top_misstatement += mis;
            else
                out->understatement -= mis;
        } else if (mis > 0) {
            taint[m++] = mis / book;
        } else if (mis < 0) {
            out->understatement -= mis / book * interval;
        }
    }
    qsort(taint, m, sizeof *taint, cmp_desc);
    if (factors && nfactors < m + 1) {
        free(taint);
        return ag_fail(err, AG_ERR_INPUT, "sample", "给出的置信系数只有 %zu 个，需要 %zu 个",
                       "%zu confidence factors given, %zu needed", nfactors, m + 1);
    }
    double prev = factors ? factors[0] : eng_poisson_factor(conf, 0);
    out->errors = m;
    out->basic_precision = interval * prev;
    out->projected = out->top_misstatement;
    out->factors[0] = prev;
    for (size_t i = 0; i < m; i++) {
        double f = factors ? factors[i + 1] : eng_poisson_factor(conf, (double)(i + 1));
        if (i + 1 < sizeof out->factors / sizeof out->factors[0])
            out->factors[i + 1] = f;
        out->projected += taint[i] * interval;
        out->incremental += taint[i] * interval * (f - prev - 1.0);
        prev = f;
    }
    out->nfactors = m + 1 < sizeof out->factors / sizeof out->factors[0]
                        ? m + 1
                        : sizeof out->factors / sizeof out->factors[0];
    out->upper_limit = out->basic_precision + out->projected + out->incremental;
    free(taint);
    return AG_OK;
}

double eng_stringer_bound(const double *taints, size_t k, uint64_t n, double confidence,
                          eng_model model, double *mle)
{
    if (n == 0 || !rate_ok(confidence) || model == ENG_MODEL_HYPERGEOMETRIC ||
        k > SIZE_MAX / sizeof(double) - 1 || (k && !taints))
        return NAN;
    double *t = malloc((k + 1) * sizeof *t), sum = 0;
    if (!t)
        return NAN;
    for (size_t i = 0; i < k; i++) {
        if (!(taints[i] >= 0)) {
            free(t);
            return NAN;
        }
        t[i] = taints[i];
        sum += taints[i];
    }
    qsort(t, k, sizeof *t, cmp_desc);
    double alpha = 1.0 - confidence, scale = model == ENG_MODEL_POISSON ? 1.0 / (double)n : 1.0;
    double prev =
        model == ENG_MODEL_POISSON ? eng_poisson_factor(confidence, 0) : binom_upper(0, n, alpha);
    double bound = prev * scale;
    for (size_t i = 0; i < k; i++) {
        double f = model == ENG_MODEL_POISSON ? eng_poisson_factor(confidence, (double)(i + 1))
                                              : binom_upper(i + 1, n, alpha);
        bound += t[i] * (f - prev) * scale;
        prev = f;
    }
    free(t);
    if (mle)
        *mle = sum / (double)n;
    return bound;
}

/* ---- JSON ------------------------------------------------------------------ */

/* Sets key to a fresh value; false if either allocation failed. */
static bool put(json_t *o, const char *key, json_t *v)
{
    return v && json_object_set_new(o, key, v) == 0;
}

/* j when ok; otherwise frees j and returns NULL. */
static json_t *finish(json_t *j, bool ok)
{
    if (ok)
        return j;
    json_decref(j);
    return NULL;
}

/* A fresh object in *j and array in *arr; false (both NULL) if either
 * allocation failed. */
static bool new_object_array(json_t **j, json_t **arr)
{
    *j = json_object();
    *arr = json_array();
    if (*j && *arr)
        return true;
    json_decref(*j);
    json_decref(*arr);
    *j = *arr = NULL;
    return false;
}

/* Sets key of j to arr when ok (j then owns arr); frees arr otherwise. */
static bool put_array(json_t *j, const char *key, json_t *arr, bool ok)
{
    if (!ok) {
        json_decref(arr);
        return false;
    }
    return json_object_set_new(j, key, arr) == 0;
}

/* An amount in fen (possibly fractional) as a yuan string, to the fen. */
static json_t *yuan(double fen)
{
    if (!(fabs(fen) < 9e18))
        return json_real(fen / 100.0);
    char s[24];
    ag_money_format((int64_t)llround(fen), s);
    return json_string(s);
}

json_t *eng_plan_to_json(const eng_plan_opts *o, const eng_plan *p)
{
    json_t *j = json_object();
    if (!j)
        return NULL;
    bool ok = put(j, "model", json_string(eng_model_name(o->model))) &&
              put(j, "confidence", json_real(o->confidence == 0 ? 0.95 : o->confidence)) &&
              put(j, "tolerable", json_real(o->tolerable)) &&
              (o->expected_count >= 0 ? put(j, "expected_count", json_integer(o->expected_count))
                                      : put(j, "expected_rate", json_real(o->expected_rate))) &&
              (o->model != ENG_MODEL_HYPERGEOMETRIC ||
               (put(j, "population", json_integer((json_int_t)o->population)) &&
                put(j, "tolerable_errors", json_integer((json_int_t)p->tolerable_errors)))) &&
              put(j, "n", json_integer((json_int_t)p->n)) &&
              put(j, "expected_errors", json_real(p->expected_errors)) &&
              put(j, "upper_bound", json_real(p->upper_bound)) &&
              put(j, "risk", json_real(p->risk));
    return finish(j, ok);
}

json_t *eng_selection_to_json(const eng_selection *s)
{
    json_t *j, *items;
    if (!new_object_array(&j, &items))
        return NULL;
    bool ok = put(j, "method", json_string(eng_select_method_name(s->method))) &&
              put(j, "seed", json_integer((json_int_t)s->seed)) &&
              put(j, "count", json_integer((json_int_t)s->count));
    if (ok && s->method != ENG_SELECT_RANDOM)
        ok = put(j, "interval", yuan((double)s->interval)) &&
             (s->method != ENG_SELECT_INTERVAL || put(j, "start", yuan((double)s->start))) &&
             put(j, "top_stratum_count", json_integer((json_int_t)s->top_count)) &&
             put(j, "top_stratum_amount", yuan((double)s->top_fen)) &&
             put(j, "sampled_amount", yuan((double)s->rest_fen)) &&
             put(j, "skipped", json_integer((json_int_t)s->skipped));
    for (size_t i = 0; ok && i < s->count; i++) {
        json_t *it = json_object();
        ok = it && json_array_append_new(items, it) == 0 &&
             put(it, "index", json_integer((json_int_t)s->index[i])) &&
             (s->method == ENG_SELECT_RANDOM || (put(it, "top", json_boolean(i < s->top_count)) &&
                                                 put(it, "hits", json_integer(s->hits[i]))));
    }
    return finish(j, put_array(j, "items", items, ok));
}

json_t *eng_eval_to_json(const eng_eval *e)
{
    json_t *j = json_object();
    if (!j)
        return NULL;
    bool ok = put(j, "model", json_string(eng_model_name(e->model))) &&
              put(j, "confidence", json_real(e->confidence)) &&
              put(j, "n", json_integer((json_int_t)e->n)) &&
              put(j, "errors", json_real(e->errors)) && put(j, "mle", json_real(e->mle)) &&
              put(j, "upper", json_real(e->upper)) &&
              (e->model != ENG_MODEL_HYPERGEOMETRIC ||
               put(j, "upper_count", json_integer((json_int_t)e->upper_count))) &&
              (e->tolerable == 0 || (put(j, "tolerable", json_real(e->tolerable)) &&
                                     put(j, "within", json_boolean(e->within))));
    return finish(j, ok);
}

json_t *eng_mus_eval_to_json(const eng_mus_eval *e)
{
    json_t *j, *f;
    if (!new_object_array(&j, &f))
        return NULL;
    bool ok = true;
    for (size_t i = 0; ok && i < e->nfactors; i++)
        ok = json_array_append_new(f, json_real(e->factors[i])) == 0;
    ok = put_array(j, "factors", f, ok) && put(j, "method", json_string("stringer")) &&
         put(j, "confidence", json_real(e->confidence)) &&
         put(j, "interval", yuan((double)e->interval)) &&
         put(j, "errors", json_integer((json_int_t)e->errors)) &&
         put(j, "top_errors", json_integer((json_int_t)e->top_errors)) &&
         put(j, "basic_precision", yuan(e->basic_precision)) &&
         put(j, "projected", yuan(e->projected)) && put(j, "incremental", yuan(e->incremental)) &&
         put(j, "upper_limit", yuan(e->upper_limit)) &&
         put(j, "top_misstatement", yuan(e->top_misstatement)) &&
         put(j, "understatement", yuan(e->understatement));
    return finish(j, ok);
}
