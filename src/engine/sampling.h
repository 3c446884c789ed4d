/* sampling.h - audit sampling: sample sizes, seeded selection, evaluation, distributions. */
#ifndef AG_ENGINE_SAMPLING_H
#define AG_ENGINE_SAMPLING_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

/* Everything here is a pure function of its arguments: arrays and numbers in,
 * a result struct out, so a command (`auditgrid sample size|select|eval`) is
 * a thin layer that parses options, calls one function and prints its JSON.
 * Rates (tolerable, expected, confidence) are fractions in (0, 1), not
 * percentages. The formulas and the published tables they reproduce are in
 * docs/statistics.md. */

/* ---- Distribution functions (shared with engine/benford.c) ------------------
 * Hand-written after the algorithms described in Numerical Recipes (Press et
 * al., 3rd ed., §6.1-6.4: series and Lentz continued fraction for the
 * incomplete gamma and beta functions). They return NaN for arguments outside
 * their domain. */

/* Regularized lower incomplete gamma P(a, x) = γ(a, x) / Γ(a), a > 0, x >= 0. */
double eng_gamma_p(double a, double x);
/* Its complement Q(a, x) = 1 - P(a, x), computed directly (no cancellation). */
double eng_gamma_q(double a, double x);
/* The x with P(a, x) = p, 0 < p < 1: the gamma quantile. */
double eng_gamma_quantile(double p, double a);
/* Upper tail of the chi-square distribution: P(X >= x) with df degrees of
 * freedom, i.e. the p-value of a chi-square statistic x. */
double eng_chisq_upper(double x, double df);
/* Regularized incomplete beta I_x(a, b), a, b > 0, 0 <= x <= 1. */
double eng_beta_inc(double a, double b, double x);
/* P(X <= k) for X ~ Binomial(n, p). */
double eng_binom_cdf(uint64_t k, uint64_t n, double p);
/* P(X <= k) for X ~ Hypergeometric: n drawn without replacement from N items
 * of which K are errors. */
double eng_hyper_cdf(uint64_t k, uint64_t N, uint64_t K, uint64_t n);
/* P(X <= k) for X ~ Poisson(lambda); k may be fractional (gamma form, the
 * "broken taints" of AICPA Table C-1): Q(k + 1, lambda). */
double eng_poisson_cdf(double k, double lambda);

/* ---- Models ---------------------------------------------------------------- */

typedef enum eng_model {
    ENG_MODEL_POISSON,       /* MUS and large populations (AICPA Appendix C) */
    ENG_MODEL_BINOMIAL,      /* attribute sampling, infinite population (Appendix A) */
    ENG_MODEL_HYPERGEOMETRIC /* attribute sampling from a finite population of N */
} eng_model;

/* "poisson", "binomial", "hypergeometric"; never NULL. */
const char *eng_model_name(eng_model m);
/* Parses those names (and the short forms "pois", "binom", "hyper"). */
bool eng_model_parse(const char *s, eng_model *out);

/* The Poisson confidence (reliability) factor for k errors at confidence c:
 * the gamma quantile qgamma(c, k + 1), e.g. 2.9957 for k = 0 at 95%. The
 * published factor tables (AICPA Table C-2) print it rounded UP to two
 * decimals (3.00, 4.75, 6.30); eng_round_up2 does that. */
double eng_poisson_factor(double confidence, double k);
double eng_round_up2(double x);

/* ---- Sample size ----------------------------------------------------------- */

#define ENG_SAMPLE_MAX_N 1000000u /* a larger plan is refused: E is too close to T */

typedef struct eng_plan_opts {
    eng_model model;
    double confidence; /* 1 - risk of overreliance / incorrect acceptance; 0 means 0.95 */
    double tolerable;  /* tolerable deviation rate or TM / BV, 0 < T < 1 */
    /* Expected errors, given either as a rate (expected_count < 0) or as a
     * whole number of errors (expected_count >= 0). A rate E < T means k =
     * ceil(E * n) errors for binomial and hypergeometric (as AICPA Tables
     * count them; E taken to a millionth, the ceiling computed exactly)
     * and k = E * n, unrounded, for Poisson (as Table C-1). */
    double expected_rate;
    int64_t expected_count;
    uint64_t population; /* N, required for the hypergeometric model */
} eng_plan_opts;

/* Fills o with the defaults: Poisson, 95%, no expected errors. */
void eng_plan_opts_init(eng_plan_opts *o);

typedef struct eng_plan {
    uint64_t n;                /* the sample size */
    double expected_errors;    /* k allowed in the sample at that size */
    double upper_bound;        /* the upper bound for k errors in n: <= tolerable */
    double risk;               /* P(X <= k) if the true rate were the tolerable one: <= 1 - C */
    uint64_t tolerable_errors; /* hypergeometric: ceil(T * N) errors in the population */
} eng_plan;

/* The smallest n for which k expected errors still give an upper bound at or
 * below the tolerable rate, i.e. P(X <= k | T) <= 1 - C. AG_ERR_INPUT for a
 * rate outside (0, 1), E >= T, a missing population, or a plan above
 * ENG_SAMPLE_MAX_N (or above N). */
ag_err eng_plan_sample(const eng_plan_opts *o, eng_plan *out, ag_error *err);

/* Monetary-unit plan from amounts: T = tolerable / book, E = expected / book
 * (exact fractions), the model's sample size, and the sampling interval
 * floor(book / n) in fen. */
ag_err eng_plan_mus(int64_t book_fen, int64_t tolerable_fen, int64_t expected_fen,
                    double confidence, eng_model model, eng_plan *out, int64_t *interval_fen,
                    ag_error *err);

/* ---- Selection ------------------------------------------------------------- */

typedef enum eng_select_method {
    ENG_SELECT_INTERVAL, /* MUS: fixed interval from one random start */
    ENG_SELECT_CELL,     /* MUS: one random unit in every interval-wide cell */
    ENG_SELECT_RANDOM    /* simple random sample of items, without replacement */
} eng_select_method;

/* "interval", "cell", "random"; never NULL. */
const char *eng_select_method_name(eng_select_method m);
bool eng_select_method_parse(const char *s, eng_select_method *out);

/* A selection owns its arrays: initialise with eng_selection_init, free with
 * eng_selection_release (NULL-safe, idempotent). Indexes refer to the input
 * array. The first top_count entries are the top stratum (items whose value is
 * at least the interval, all taken), ascending; the sampled items follow,
 * ascending. The same input and seed give the same selection everywhere. */
typedef struct eng_selection {
    eng_select_method method;
    size_t *index;
    uint32_t *hits;   /* sampling units that fell on each item (cell selection can hit an
                       * item twice); 0 for the top stratum */
    size_t count;     /* entries in index and hits */
    size_t top_count; /* leading entries that are the top stratum */
    size_t skipped;   /* items with a zero or negative value: never selectable by MUS */
    int64_t interval; /* fen; 0 for random selection */
    int64_t start;    /* fixed interval: the random start, 1..interval (fen) */
    int64_t top_fen;  /* total value of the top stratum */
    int64_t rest_fen; /* total value sampled from (positive items below the interval) */
    uint64_t seed;
} eng_selection;

void eng_selection_init(eng_selection *s);
void eng_selection_release(eng_selection *s);

/* Monetary-unit selection over values[0..n) (fen) with interval_fen > 0 and
 * method ENG_SELECT_INTERVAL or ENG_SELECT_CELL. Items >= the interval form
 * the top stratum and are removed first; the rest are laid end to end in
 * input order and hit by the selection points. */
ag_err eng_select_mus(const int64_t *values, size_t n, int64_t interval_fen,
                      eng_select_method method, uint64_t seed, eng_selection *out, ag_error *err);

/* Simple random selection of k of `population` items without replacement
 * (Floyd's algorithm; memory O(k)). */
ag_err eng_select_random(size_t population, size_t k, uint64_t seed, eng_selection *out,
                         ag_error *err);

/* ---- Evaluation ------------------------------------------------------------ */

typedef struct eng_eval {
    eng_model model;
    double confidence;
    uint64_t n;
    double errors;        /* k (a sum of taints is allowed for Poisson) */
    double mle;           /* k / n */
    double upper;         /* upper bound of the rate at the confidence */
    uint64_t upper_count; /* hypergeometric: the bound as an error count in the population */
    double tolerable;     /* as given (0: none) */
    bool within;          /* upper bound at or below the tolerable rate */
} eng_eval;

/* Upper bound for the rate after k errors in a sample of n: Poisson
 * qgamma(C, k + 1) / n; binomial Clopper-Pearson; hypergeometric (needs N):
 * the largest error count K whose P(X <= k | K) is still above 1 - C, over N.
 * tolerable may be 0; `within` then stays false. */
ag_err eng_evaluate(eng_model model, uint64_t n, double k, uint64_t population, double confidence,
                    double tolerable, eng_eval *out, ag_error *err);

/* One misstated monetary-unit sample item. */
typedef struct eng_mus_item {
    int64_t book_fen;
    int64_t audit_fen;
} eng_mus_item;

typedef struct eng_mus_eval {
    double confidence;
    int64_t interval;        /* fen */
    size_t errors;           /* overstated items below the interval (tainted) */
    size_t top_errors;       /* misstated items at or above the interval */
    double basic_precision;  /* fen: interval * F(0) */
    double projected;        /* fen: sum of taint * interval, plus top-stratum misstatements */
    double incremental;      /* fen: sum of taint * interval * (F(i) - F(i-1) - 1) */
    double upper_limit;      /* fen: basic precision + projected + incremental */
    double top_misstatement; /* fen: part of `projected` from the top stratum */
    double understatement;   /* fen: understatements seen (not in the bound) */
    size_t nfactors;
    double factors[32]; /* F(0)..: the factors used, first nfactors */
} eng_mus_eval;

/* Stringer bound for a monetary-unit sample with sampling interval
 * interval_fen: items[0..k) are the misstated items found. Taints (book -
 * audit) / book of items below the interval are sorted in descending order;
 * items at or above the interval contribute their misstatement as is.
 * factors[0..nfactors) are cumulative confidence factors F(0), F(1), ... to
 * use instead of the exact Poisson ones (a firm's rounded table); NULL for
 * the exact qgamma(C, i + 1). With fewer factors than taints, AG_ERR_INPUT. */
ag_err eng_mus_evaluate(const eng_mus_item *items, size_t k, int64_t interval_fen,
                        double confidence, const double *factors, size_t nfactors,
                        eng_mus_eval *out, ag_error *err);

/* The same bound as a rate from taints alone: taints[0..k) in (0, 1] in any
 * order, a sample of n units. Poisson factors (AICPA) or binomial ones
 * (Stringer 1963: Clopper-Pearson bounds). Returns the bound; *mle gets
 * sum(taints) / n. NaN on bad arguments. */
double eng_stringer_bound(const double *taints, size_t k, uint64_t n, double confidence,
                          eng_model model, double *mle);

/* ---- JSON (new references; NULL on allocation failure) --------------------- */

json_t *eng_plan_to_json(const eng_plan_opts *o, const eng_plan *p);
json_t *eng_selection_to_json(const eng_selection *s);
json_t *eng_eval_to_json(const eng_eval *e);
json_t *eng_mus_eval_to_json(const eng_mus_eval *e);

#endif
