/* cmd_stats.c - `auditgrid benford` and `auditgrid sample size|select|evaluate`. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_internal.h"
#include "engine/benford.h"
#include "engine/sampling.h"
#include "util/buf.h"
#include "util/money.h"
#include "util/banned.h"

#define COLUMN_MAX_ROWS 100000000ull

/* ---- one column of a CSV file ---------------------------------------------
 * The ledger readers map whole voucher lines; these commands take any CSV
 * (an export of payments, a list of invoices) and need one column of
 * amounts, so a small RFC 4180 reader is kept here. */

typedef struct column {
    int64_t *fen;
    size_t n, cap;
    size_t rows;    /* data rows seen */
    size_t skipped; /* empty or not a number */
} column;

/* Reads one field from *p (up to end), unquoting into out; advances *p past
 * the delimiter. Returns the delimiter met: ',', '\n' or 0 at the end. */
static int next_field(const char **p, const char *end, ag_buf *out)
{
    ag_buf_reset(out);
    const char *s = *p;
    if (s < end && *s == '"') {
        s++;
        while (s < end) {
            if (*s == '"') {
                if (s + 1 < end && s[1] == '"') {
                    ag_buf_addc(out, '"');
                    s += 2;
                    continue;
                }
                s++;
                break;
            }
            ag_buf_addc(out, *s++);
        }
    }
    while (s < end && *s != ',' && *s != '\n') {
        if (*s != '\r')
            ag_buf_addc(out, *s);
        s++;
    }
    int delim = s < end ? *s : 0;
    *p = s < end ? s + 1 : end;
    return delim;
}

/* An amount in yuan: exact for up to 2 decimals (thousands separators
 * allowed); a plain number with more decimals or an exponent ("6e+05", as R
 * writes) is rounded to the fen. */
static bool parse_amount(const char *s, int64_t *fen)
{
    size_t n = strlen(s);
    if (n && ag_money_parse(s, n, fen))
        return true;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    while (*end == ' ')
        end++;
    if (end == s || *end || errno || !isfinite(v) || fabs(v) > 9e15)
        return false;
    *fen = llround(v * 100.0);
    return true;
}

static ag_err read_column(const char *path, const char *name, column *col, ag_error *err)
{
    memset(col, 0, sizeof *col);
    FILE *f = fopen(path, "rb");
    if (!f)
        return ag_fail(err, AG_ERR_IO, path, "无法读取文件", "cannot read the file");
    ag_buf text, field;
    ag_buf_init(&text, (size_t)8 << 30);
    ag_buf_init(&field, 1 << 20);
    char chunk[1 << 16];
    size_t got;
    ag_err rc = AG_OK;
    while (!rc && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (ag_buf_add(&text, chunk, got))
            rc = ag_fail(err, AG_ERR_NOMEM, path, "文件过大", "the file is too large");
    fclose(f);
    const char *p = ag_buf_str(&text), *end = p + text.len;
    if (!rc && end - p >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
        p += 3;
    int want = -1, i = 0, delim = ',';
    while (!rc && delim == ',') {
        delim = next_field(&p, end, &field);
        if (want < 0 && !strcmp(ag_buf_str(&field), name))
            want = i;
        i++;
    }
    if (!rc && want < 0)
        rc = ag_fail(err, AG_ERR_INPUT, path, "表头中没有列“%s”", "no column '%s' in the header",
                     name);
    int64_t line = 1;
    while (!rc && p < end) {
        line++;
        int k = 0;
        bool have = false;
        int64_t v = 0;
        do {
            delim = next_field(&p, end, &field);
            if (k++ == want)
                have = parse_amount(ag_buf_str(&field), &v);
        } while (delim == ',');
        if (k == 1 && field.len == 0)
            continue; /* blank line */
        col->rows++;
        if (!have) {
            col->skipped++;
            continue;
        }
        if (col->n == col->cap) {
            size_t cap = col->cap ? col->cap * 2 : 4096;
            int64_t *q = cap <= COLUMN_MAX_ROWS ? realloc(col->fen, cap * sizeof *q) : NULL;
            if (!q) {
                rc = ag_fail(err, AG_ERR_NOMEM, path, "行数过多或内存不足",
                             "too many rows or out of memory");
                break;
            }
            col->fen = q;
            col->cap = cap;
        }
        col->fen[col->n++] = v;
    }
    (void)line;
    ag_buf_release(&text);
    ag_buf_release(&field);
    if (rc) {
        free(col->fen);
        col->fen = NULL;
    }
    return rc;
}

/* ---- benford ---------------------------------------------------------------- */

static const cli_opt benford_opts[] = {
    {"csv", "FILE", true, "CSV 文件（首行为表头）", "CSV file (header row first)"},
    {"column", "NAME", true, "金额列名", "name of the amount column"},
    {"test", "T", false, "检验：first|second|first2（默认）|first3|last2",
     "test: first | second | first2 (default) | first3 | last2"},
    {"min", "V", false, "只检验不小于该金额（元）的正数（默认 first/second/first2 为 10）",
     "only positive amounts >= V yuan (default 10 for first, second, first2)"},
    CLI_OPT_END};

static int run_benford(cli_ctx *c)
{
    eng_benford_opts o = {ENG_BENFORD_FIRST2, 0, false};
    const char *t = cli_get(c, "test");
    if (t && !eng_benford_test_parse(t, &o.test))
        return cli_usage_error(c, "--test 应为 first、second、first2、first3 或 last2",
                               "--test is first, second, first2, first3 or last2");
    if (cli_get(c, "min")) {
        const char *m = cli_get(c, "min");
        if (!ag_money_parse(m, strlen(m), &o.min_fen) || o.min_fen < 0)
            return cli_usage_error(c, "--min 应为非负金额（元）", "--min is an amount in yuan");
    }
    ag_error err;
    ag_error_clear(&err);
    column col;
    ag_err rc = read_column(cli_get(c, "csv"), cli_get(c, "column"), &col, &err);
    if (rc)
        return cli_report(&err);
    eng_benford_result *r = malloc(sizeof *r);
    if (!r) {
        free(col.fen);
        ag_fail(&err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
        return cli_report(&err);
    }
    rc = eng_benford_run(col.fen, col.n, &o, r, &err);
    free(col.fen);
    if (rc) {
        free(r);
        return cli_report(&err);
    }
    json_t *j = eng_benford_to_json(r);
    if (c->json) {
        json_object_set_new(j, "rows", json_integer((json_int_t)col.rows));
        json_object_set_new(j, "unreadable", json_integer((json_int_t)col.skipped));
        cli_print_json(j);
    } else {
        printf("本福特检验 Benford test %s：n = %llu（另有 %llu 个不参与 excluded）\n",
               eng_benford_test_name(r->test), (unsigned long long)r->n,
               (unsigned long long)r->skipped);
        printf("  MAD = %.6f → %s %s\n", r->mad, eng_conformity_name_zh(r->conformity),
               eng_conformity_name(r->conformity));
        printf("  卡方 chi-square = %.2f（df %d，p = %.3g）· KS D = %.5f（5%% 临界值 %.5f）\n",
               r->chi2, r->df, r->chi2_p, r->ks_d, r->ks_critical);
        printf("  偏离最大的数字 largest deviations (|Z| > 1.96: %u):\n", r->significant_bins);
        /* The five bins with the largest excess counts. */
        int shown[5] = {-1, -1, -1, -1, -1};
        for (int k = 0; k < 5; k++) {
            int best = -1;
            for (int b = 0; b < r->nbins; b++) {
                bool used = false;
                for (int q = 0; q < k; q++)
                    used |= shown[q] == b;
                if (!used && (best < 0 || r->bins[b].excess > r->bins[best].excess))
                    best = b;
            }
            shown[k] = best;
            if (best >= 0)
                printf("    %02d  实际 %.4f 期望 %.4f  超出 excess %.1f  Z %.2f\n",
                       r->bins[best].digits, r->bins[best].actual, r->bins[best].expected,
                       r->bins[best].excess, r->bins[best].z);
        }
        json_decref(j);
    }
    free(r);
    return 0;
}

/* ---- sample ------------------------------------------------------------------ */

static bool parse_rate(const cli_ctx *c, const char *name, double *out, bool allow_count)
{
    const char *s = cli_get(c, name);
    if (!s)
        return true;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    bool pct = *end == '%';
    if (pct) {
        v /= 100.0;
        end++;
    }
    if (end == s || *end || errno || !isfinite(v) || v < 0 || (!allow_count && v >= 1)) {
        char zh[200], en[200];
        snprintf(zh, sizeof zh, "--%s 应为 0 到 1 之间的比率（如 0.05 或 5%%）：%s", name, s);
        snprintf(en, sizeof en, "--%s is a rate between 0 and 1 (e.g. 0.05 or 5%%): %s", name, s);
        cli_usage_error(c, zh, en);
        return false;
    }
    *out = v;
    return true;
}

static bool parse_model(const cli_ctx *c, eng_model *m)
{
    const char *s = cli_get(c, "method");
    if (!eng_model_parse(s, m)) {
        cli_usage_error(c, "--method 应为 poisson、binomial 或 hypergeometric",
                        "--method is poisson, binomial or hypergeometric");
        return false;
    }
    return true;
}

static const cli_opt size_opts[] = {
    {"method", "M", true, "模型：poisson|binomial|hypergeometric", "model"},
    {"materiality", "M", true, "可容忍偏差率或重要性水平（比率，如 0.05）",
     "tolerable rate or materiality as a rate (e.g. 0.05)"},
    {"expected", "E", false, "预期偏差：小于 1 为比率，否则为错误个数（默认 0）",
     "expected errors: a rate below 1 or a whole number of errors (default 0)"},
    {"confidence", "C", false, "置信水平（默认 0.95）", "confidence (default 0.95)"},
    {"population", "N", false, "总体数量（hypergeometric 必填）",
     "population size (required for hypergeometric)"},
    CLI_OPT_END};

static int run_sample_size(cli_ctx *c)
{
    eng_plan_opts o;
    eng_plan_opts_init(&o);
    double e = 0, conf = 0.95;
    int64_t pop;
    if (!parse_model(c, &o.model) || !parse_rate(c, "materiality", &o.tolerable, false) ||
        !parse_rate(c, "expected", &e, true) || !parse_rate(c, "confidence", &conf, false) ||
        !cli_get_int(c, "population", 1, INT64_MAX, 0, &pop))
        return 2;
    o.confidence = conf;
    o.population = (uint64_t)pop;
    if (e >= 1) {
        if (e != floor(e))
            return cli_usage_error(c, "--expected 不小于 1 时应为整数个错误",
                                   "--expected of 1 or more is a whole number of errors");
        o.expected_count = (int64_t)e;
    } else {
        o.expected_rate = e;
        o.expected_count = -1;
    }
    ag_error err;
    ag_error_clear(&err);
    eng_plan p;
    ag_err rc = eng_plan_sample(&o, &p, &err);
    if (rc)
        return cli_report(&err);
    json_t *j = eng_plan_to_json(&o, &p);
    if (c->json)
        cli_print_json(j);
    else {
        printf("样本量 sample size n = %llu（允许错误 %.2f 个，上限 %.4f）\n",
               (unsigned long long)p.n, p.expected_errors, p.upper_bound);
        json_decref(j);
    }
    return 0;
}

static const cli_opt select_opts[] = {
    {"csv", "FILE", true, "CSV 文件", "CSV file"},
    {"value-column", "NAME", true, "金额列名", "amount column"},
    {"n", "N", true, "样本量", "sample size"},
    {"method", "M", true, "mus（固定间隔、随机起点、含顶层）|interval|cell|random",
     "mus (fixed interval, random start, top stratum) | interval | cell | random"},
    {"seed", "S", true, "随机种子（相同种子得到相同样本）", "seed (same seed, same sample)"},
    CLI_OPT_END};

static int run_sample_select(cli_ctx *c)
{
    int64_t n, seed;
    if (!cli_get_int(c, "n", 1, 10000000, 0, &n) || !cli_get_int(c, "seed", 0, INT64_MAX, 0, &seed))
        return 2;
    const char *m = cli_get(c, "method");
    eng_select_method method;
    if (!strcmp(m, "mus"))
        method = ENG_SELECT_INTERVAL;
    else if (!eng_select_method_parse(m, &method))
        return cli_usage_error(c, "--method 应为 mus、interval、cell 或 random",
                               "--method is mus, interval, cell or random");
    ag_error err;
    ag_error_clear(&err);
    column col;
    ag_err rc = read_column(cli_get(c, "csv"), cli_get(c, "value-column"), &col, &err);
    if (rc)
        return cli_report(&err);
    eng_selection sel;
    eng_selection_init(&sel);
    if (method == ENG_SELECT_RANDOM) {
        rc = eng_select_random(col.n, (size_t)n, (uint64_t)seed, &sel, &err);
    } else {
        int64_t total = 0;
        for (size_t i = 0; i < col.n; i++)
            if (col.fen[i] > 0)
                total += col.fen[i];
        int64_t interval = total / n;
        if (interval <= 0)
            rc = ag_fail(&err, AG_ERR_INPUT, cli_get(c, "csv"), "金额合计不足以按该样本量划分间隔",
                         "the total is too small for n");
        else
            rc = eng_select_mus(col.fen, col.n, interval, method, (uint64_t)seed, &sel, &err);
    }
    if (rc) {
        free(col.fen);
        eng_selection_release(&sel);
        return cli_report(&err);
    }
    json_t *j = eng_selection_to_json(&sel);
    json_t *items = json_array();
    for (size_t i = 0; i < sel.count; i++) {
        char amount[24];
        ag_money_format(col.fen[sel.index[i]], amount);
        /* Rows are numbered as in the file: the header is row 1. */
        json_array_append_new(items,
                              json_pack("{s:I,s:s,s:b}", "row", (json_int_t)(sel.index[i] + 2),
                                        "amount", amount, "top_stratum", i < sel.top_count));
    }
    json_object_set_new(j, "selected", items);
    if (c->json)
        cli_print_json(j);
    else {
        printf("已抽取 selected %zu 项（顶层 top stratum %zu）\n", sel.count, sel.top_count);
        for (size_t i = 0; i < json_array_size(items); i++) {
            json_t *it = json_array_get(items, i);
            printf("  行 row %lld  %s%s\n",
                   (long long)json_integer_value(json_object_get(it, "row")),
                   json_string_value(json_object_get(it, "amount")),
                   json_is_true(json_object_get(it, "top_stratum")) ? "  顶层 top" : "");
        }
        json_decref(j);
    }
    free(col.fen);
    eng_selection_release(&sel);
    return 0;
}

static const cli_opt eval_opts[] = {
    {"method", "M", true, "poisson|binomial|hypergeometric|stringer", "model or stringer"},
    {"n", "N", true, "样本量", "sample size"},
    {"errors", "K", false, "发现的错误个数（默认 0）", "errors found (default 0)"},
    {"taints", "T,...", false, "stringer：各错误的污染率（0-1，逗号分隔）",
     "stringer: the taints of the errors (0-1, comma-separated)"},
    {"confidence", "C", false, "置信水平（默认 0.95）", "confidence (default 0.95)"},
    {"population", "N", false, "总体数量（hypergeometric 必填）", "population (hypergeometric)"},
    CLI_OPT_END};

static int run_sample_evaluate(cli_ctx *c)
{
    int64_t n, k, pop;
    double conf = 0.95;
    if (!cli_get_int(c, "n", 1, INT64_MAX, 0, &n) ||
        !cli_get_int(c, "errors", 0, INT64_MAX, 0, &k) ||
        !cli_get_int(c, "population", 1, INT64_MAX, 0, &pop) ||
        !parse_rate(c, "confidence", &conf, false))
        return 2;
    ag_error err;
    ag_error_clear(&err);
    const char *m = cli_get(c, "method");
    json_t *out;
    if (!strcmp(m, "stringer")) {
        double taints[1000];
        size_t nt = 0;
        const char *s = cli_get(c, "taints");
        while (s && *s && nt < 1000) {
            char *end;
            double t = strtod(s, &end);
            if (end == s || t <= 0 || t > 1)
                return cli_usage_error(c, "--taints 应为 0 到 1 之间、逗号分隔的数",
                                       "--taints are numbers in (0, 1], comma-separated");
            taints[nt++] = t;
            s = *end == ',' ? end + 1 : end;
        }
        if (!cli_get(c, "taints") && k > 0) {
            /* K errors without taints: each a full (100 %) misstatement. */
            for (; nt < (size_t)k && nt < 1000; nt++)
                taints[nt] = 1.0;
        }
        double mle = 0;
        double upper = eng_stringer_bound(taints, nt, (uint64_t)n, conf, ENG_MODEL_POISSON, &mle);
        if (isnan(upper)) {
            ag_fail(&err, AG_ERR_INPUT, "--taints", "参数无效", "invalid arguments");
            return cli_report(&err);
        }
        out = json_pack("{s:s,s:I,s:I,s:f,s:f,s:f}", "method", "stringer", "n", (json_int_t)n,
                        "errors", (json_int_t)nt, "confidence", conf, "mle", mle, "upper", upper);
    } else {
        eng_model model;
        if (!parse_model(c, &model))
            return 2;
        eng_eval e;
        ag_err rc = eng_evaluate(model, (uint64_t)n, (double)k, (uint64_t)pop, conf, 0, &e, &err);
        if (rc)
            return cli_report(&err);
        out = eng_eval_to_json(&e);
    }
    if (c->json)
        cli_print_json(out);
    else {
        printf("点估计 MLE = %.6f · 上限 upper bound = %.6f（置信水平 %.0f%%）\n",
               json_number_value(json_object_get(out, "mle")),
               json_number_value(json_object_get(out, "upper")), conf * 100);
        json_decref(out);
    }
    return 0;
}

const cli_cmd cli_stats_cmds[] = {
    {"benford", NULL, "本福特定律数字检验（Nigrini）：首位、第二位、首两位、首三位、末两位",
     "Benford digit tests (Nigrini): first, second, first two, first three, last two", NULL,
     benford_opts, run_benford,
     "  auditgrid benford --csv payments.csv --column Amount --test first2 --json"},
    {"sample", "size", "审计抽样样本量（泊松、二项、超几何）",
     "audit sample size (poisson, binomial, hypergeometric)", NULL, size_opts, run_sample_size,
     "  auditgrid sample size --method binomial --materiality 0.05 --expected 0.01"},
    {"sample", "select", "抽取样本（货币单位抽样含顶层、随机、分组）",
     "select a sample (monetary-unit with top stratum, random, cell)", NULL, select_opts,
     run_sample_select,
     "  auditgrid sample select --csv pay.csv --value-column amount --n 60 --method mus --seed 7"},
    {"sample", "evaluate", "评价样本结果：点估计与置信上限（含 Stringer 界）",
     "evaluate a sample: most likely error and upper bound (incl. Stringer)", NULL, eval_opts,
     run_sample_evaluate, "  auditgrid sample evaluate --method poisson --n 93 --errors 1 --json"},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL}};
