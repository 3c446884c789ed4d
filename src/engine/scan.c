/* scan.c - the scan: rule x unit tasks on a thread pool, merged and sorted; warnings as JSON. */
#include "engine/scan.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine/expr.h"
#include "engine/prim.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/hash.h"
#include "util/money.h"
#include "util/banned.h"

/* ---- filters ------------------------------------------------------------------ */

/* The columns a filter can name (docs/expr.md), over the snapshot's arrays.
 * Optional columns appear only when loaded. */
static size_t schema_columns(const eng_snapshot *s, expr_column *c)
{
    size_t n = 0;
#define COL(nm, ty, w, d)                                                                          \
    do {                                                                                           \
        if (d)                                                                                     \
            c[n++] = (expr_column){nm, ty, w, d};                                                  \
    } while (0)
    COL("year", EXPR_INT, 2, s->year);
    COL("period", EXPR_INT, 1, s->period);
    COL("date", EXPR_DATE, 4, s->date);
    COL("voucher_type", EXPR_STR, 4, s->vtype);
    COL("voucher_no", EXPR_STR, 4, s->vno);
    COL("line_no", EXPR_INT, 4, s->line_no);
    COL("account", EXPR_STR, 4, s->account);
    COL("debit", EXPR_MONEY, 8, s->debit);
    COL("credit", EXPR_MONEY, 8, s->credit);
    COL("counterparty", EXPR_STR, 4, s->counterparty);
    COL("decision_ref", EXPR_STR, 4, s->decision_ref);
    COL("bill_no", EXPR_STR, 4, s->bill_no);
    COL("settle_type", EXPR_STR, 4, s->settle_type);
    COL("maker", EXPR_STR, 4, s->maker);
    COL("reviewer", EXPR_STR, 4, s->reviewer);
    COL("poster", EXPR_STR, 4, s->poster);
    COL("cashier", EXPR_STR, 4, s->cashier);
    COL("posted", EXPR_INT, 1, s->posted);
    COL("void", EXPR_INT, 1, s->voided);
    COL("summary", EXPR_STR, 4, s->summary);
    COL("account_name", EXPR_STR, 4, s->account_name);
    COL("dept", EXPR_STR, 4, s->dept);
    COL("project", EXPR_STR, 4, s->project);
    COL("func_class", EXPR_STR, 4, s->func_class);
    COL("econ_class", EXPR_STR, 4, s->econ_class);
    COL("fund_type", EXPR_STR, 4, s->fund_type);
#undef COL
    return n;
}

/* Which optional columns a filter text names (a word match is enough: a
 * column loaded for nothing costs memory, not correctness). */
unsigned eng_catalog_columns(const eng_catalog *c)
{
    static const struct {
        const char *name;
        unsigned bit;
    } opt[] = {{"summary", ENG_OPT_SUMMARY},
               {"account_name", ENG_OPT_ACCOUNT_NAME},
               {"dept", ENG_OPT_DEPT},
               {"project", ENG_OPT_PROJECT},
               {"func_class", ENG_OPT_FUNC_CLASS},
               {"econ_class", ENG_OPT_ECON_CLASS},
               {"fund_type", ENG_OPT_FUND_TYPE}};
    unsigned bits = 0;
    for (size_t i = 0; i < c->n; i++) {
        const char *f = c->rules[i].filter;
        for (size_t k = 0; f && k < sizeof opt / sizeof opt[0]; k++)
            if (strstr(f, opt[k].name))
                bits |= opt[k].bit;
    }
    return bits;
}

/* ---- the task pool ----------------------------------------------------------------- */

typedef struct pool {
    const eng_snapshot *s;
    const eng_catalog *c;
    const ag_calendar *cal;
    expr **filters;
    eng_task *tasks;
    size_t ntasks;
    size_t next;
    pthread_mutex_t mu;
} pool;

static void *worker(void *arg)
{
    pool *p = arg;
    uint8_t *mask = NULL;
    size_t mask_cap = 0;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        size_t i = p->next++;
        pthread_mutex_unlock(&p->mu);
        if (i >= p->ntasks)
            break;
        eng_task *t = &p->tasks[i];
        expr *f = p->filters[t->rule_ix];
        if (f) {
            size_t n = t->hi - t->lo;
            if (n > mask_cap) {
                uint8_t *m = realloc(mask, n);
                if (!m) {
                    t->oom = true;
                    continue;
                }
                mask = m;
                mask_cap = n;
            }
            expr_eval(f, t->lo, t->hi, mask);
            t->mask = mask;
        }
        eng_prim_run(t);
        t->mask = NULL;
    }
    free(mask);
    return NULL;
}

static int threads_for(int want)
{
    if (want > 0)
        return want > 64 ? 64 : want;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

/* Sort order: unit, date, voucher type, voucher number, line, rule, aux.
 * The snapshot comes as qsort_r's context, so scans may run concurrently. */
static int cmp_warning(const void *a, const void *b, void *ctx)
{
    const eng_warning *x = a, *y = b;
    const eng_snapshot *s = ctx;
    if (x->unit != y->unit)
        return x->unit < y->unit ? -1 : 1;
    if (x->date != y->date)
        return x->date < y->date ? -1 : 1;
    uint32_t xt = x->row == ENG_NO_ROW ? 0 : s->vtype[x->row];
    uint32_t yt = y->row == ENG_NO_ROW ? 0 : s->vtype[y->row];
    if (xt != yt)
        return xt < yt ? -1 : 1;
    int64_t xn = x->row == ENG_NO_ROW ? -1 : s->vno_num[x->row];
    int64_t yn = y->row == ENG_NO_ROW ? -1 : s->vno_num[y->row];
    if (xn != yn)
        return xn < yn ? -1 : 1;
    int64_t xr = x->row == ENG_NO_ROW ? -1 : (int64_t)x->row;
    int64_t yr = y->row == ENG_NO_ROW ? -1 : (int64_t)y->row;
    if (xr != yr)
        return xr < yr ? -1 : 1;
    if (x->rule != y->rule)
        return x->rule < y->rule ? -1 : 1;
    return (x->aux > y->aux) - (x->aux < y->aux);
}

ag_err eng_scan(const eng_snapshot *s, const eng_catalog *c, const ag_calendar *cal, int threads,
                eng_result *out, ag_error *err)
{
    memset(out, 0, sizeof *out);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pool p;
    memset(&p, 0, sizeof p);
    p.s = s;
    p.c = c;
    p.cal = cal;
    p.filters = calloc(c->n ? c->n : 1, sizeof *p.filters);
    p.ntasks = c->n * s->nunits;
    p.tasks = calloc(p.ntasks ? p.ntasks : 1, sizeof *p.tasks);
    if (!p.filters || !p.tasks) {
        free(p.filters);
        free(p.tasks);
        return ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    }
    expr_column cols[40];
    expr_schema schema = {cols, schema_columns(s, cols), s->dict};
    ag_err rc = AG_OK;
    for (size_t i = 0; !rc && i < c->n; i++) {
        if (!c->rules[i].filter)
            continue;
        rc = expr_compile(c->rules[i].filter, &schema, &p.filters[i], err);
        if (rc && err) {
            /* Name the rule in front of the filter position. */
            char where[sizeof err->where];
            int k = snprintf(where, sizeof where, "%.80s:%.47s:", c->source, c->rules[i].id);
            if (k > 0 && (size_t)k < sizeof where)
                snprintf(where + k, sizeof where - (size_t)k, "%.100s", err->where);
            memcpy(err->where, where, sizeof where);
        }
    }
    /* Tasks ordered rule-major; big units first within a rule would balance
     * better, but the pool hands tasks out one at a time so it evens out. */
    for (size_t r = 0; !rc && r < c->n; r++)
        for (size_t u = 0; u < s->nunits; u++) {
            eng_task *t = &p.tasks[r * s->nunits + u];
            t->s = s;
            t->rule = &c->rules[r];
            t->rule_ix = (uint16_t)r;
            t->cal = cal;
            t->unit = (uint32_t)u;
            t->lo = s->unit_first[u];
            t->hi = s->unit_first[u + 1];
        }
    if (!rc) {
        pthread_mutex_init(&p.mu, NULL);
        int nt = threads_for(threads);
        pthread_t th[64];
        int started = 0;
        for (int i = 1; i < nt; i++)
            if (pthread_create(&th[started], NULL, worker, &p) == 0)
                started++;
        worker(&p);
        for (int i = 0; i < started; i++)
            pthread_join(th[i], NULL);
        pthread_mutex_destroy(&p.mu);
    }
    size_t total = 0;
    for (size_t i = 0; i < p.ntasks; i++) {
        if (p.tasks[i].oom && !rc)
            rc = ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
        total += p.tasks[i].n;
    }
    if (!rc) {
        out->w = malloc((total ? total : 1) * sizeof *out->w);
        if (!out->w)
            rc = ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    }
    for (size_t i = 0; i < p.ntasks; i++) {
        if (!rc && p.tasks[i].n) {
            memcpy(out->w + out->n, p.tasks[i].w, p.tasks[i].n * sizeof *out->w);
            out->n += p.tasks[i].n;
        }
        free(p.tasks[i].w);
    }
    for (size_t i = 0; i < c->n; i++)
        expr_free(p.filters[i]);
    free(p.filters);
    free(p.tasks);
    if (rc) {
        eng_result_release(out);
        return rc;
    }
    qsort_r(out->w, out->n, sizeof *out->w, cmp_warning, (void *)s);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    out->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    return AG_OK;
}

void eng_result_release(eng_result *r)
{
    free(r->w);
    r->w = NULL;
    r->n = 0;
}

/* ---- rendering ----------------------------------------------------------------------- */

typedef struct kv {
    const char *k;
    char v[160];
} kv;

typedef struct vars {
    kv a[20];
    int n;
} vars;

static void var(vars *vs, const char *k, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void var(vars *vs, const char *k, const char *fmt, ...)
{
    if (vs->n >= (int)(sizeof vs->a / sizeof vs->a[0]))
        return;
    kv *e = &vs->a[vs->n++];
    e->k = k;
    va_list ap;
    va_start(ap, fmt);
    AG_FORMAT_NONLITERAL_BEGIN
    vsnprintf(e->v, sizeof e->v, fmt, ap);
    AG_FORMAT_NONLITERAL_END
    va_end(ap);
}

static const char *str(const eng_snapshot *s, uint32_t id)
{
    return eng_dict_str(s->dict, id);
}

static void yuan(int64_t fen, char out[24])
{
    ag_money_format(fen, out);
}

static void voucher_text(const eng_snapshot *s, uint32_t row, char *out, size_t n)
{
    snprintf(out, n, "%s-%s", str(s, s->vtype[row]), str(s, s->vno[row]));
}

static json_t *line_json(const eng_snapshot *s, uint32_t r)
{
    char date[11], v[160], d[24], c[24];
    ag_date_format(s->date[r], date);
    voucher_text(s, r, v, sizeof v);
    yuan(s->debit[r], d);
    yuan(s->credit[r], c);
    json_t *o = json_pack(
        "{s:s,s:I,s:s,s:s,s:i,s:s,s:s,s:s,s:s}", "source",
        s->source[r] < s->nsources && s->sources[s->source[r]] ? s->sources[s->source[r]] : "",
        "source_line", (json_int_t)s->src_line[r], "date", date, "voucher", v, "line",
        s->line_no[r], "account", str(s, s->account[r]), "debit", d, "credit", c, "counterparty",
        str(s, s->counterparty[r]));
    if (s->summary)
        json_object_set_new(o, "summary", json_string(str(s, s->summary[r])));
    return o;
}

static const char *day_kind_zh(int k)
{
    return k == AG_DAY_WEEKEND ? "周末" : k == AG_DAY_HOLIDAY ? "法定节假日" : "工作日";
}

#define FILL_MAX 8192 /* bytes of a filled message, before the mark of a cut */

/* The value of the variable named by the n bytes at name, or NULL. */
static const char *var_value(const vars *vs, const char *name, size_t n)
{
    for (int i = 0; i < vs->n; i++)
        if (strlen(vs->a[i].k) == n && !strncmp(vs->a[i].k, name, n))
            return vs->a[i].v;
    return NULL;
}

/* Fills the template's {names} from vs; unknown names stay as written. A
 * message longer than FILL_MAX is cut there (on a character boundary) and
 * ends in "…"; NULL only when memory runs out. Caller frees. */
static char *fill(const char *tpl, const vars *vs)
{
    ag_buf b;
    ag_buf_init(&b, FILL_MAX + sizeof "…");
    ag_err rc = AG_OK;
    bool cut = false;
    for (const char *p = tpl; *p && !rc && !cut;) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        const char *val = close ? var_value(vs, p + 1, (size_t)(close - p - 1)) : NULL;
        const char *piece = val ? val : p;
        size_t n = val ? strlen(val) : 1;
        p = val ? close + 1 : p + 1;
        if (b.len + n > FILL_MAX) {
            n = FILL_MAX - b.len;
            cut = true;
        }
        rc = ag_buf_add(&b, piece, n);
    }
    if (!rc && cut) {
        if (b.data) {
            ag_utf8_trim_tail(b.data);
            b.len = strlen(b.data);
        }
        rc = ag_buf_adds(&b, "…");
    }
    if (rc) {
        ag_buf_release(&b);
        return NULL;
    }
    return ag_buf_detach(&b);
}

json_t *eng_warning_json(const eng_snapshot *s, const eng_catalog *c, const ag_calendar *cal,
                         const eng_warning *w)
{
    const eng_rule *r = &c->rules[w->rule];
    vars vs;
    vs.n = 0;
    char date[11], amount[24], a2[24], a3[24], v[160] = "";
    ag_date_format(w->date, date);
    yuan(w->amount, amount);
    const char *unit = str(s, s->units[w->unit].code);
    var(&vs, "unit", "%s", unit);
    var(&vs, "date", "%s", date);
    var(&vs, "amount", "%s", amount);
    var(&vs, "year", "%d", w->year);
    json_t *ev = json_object();
    if (w->row != ENG_NO_ROW) {
        voucher_text(s, w->row, v, sizeof v);
        var(&vs, "voucher", "%s", v);
        var(&vs, "period", "%d", s->period[w->row]);
        var(&vs, "vtype", "%s", str(s, s->vtype[w->row]));
        var(&vs, "counterparty", "%s", str(s, s->counterparty[w->row]));
    }
    switch (r->prim) {
    case PRIM_UNBALANCED_VOUCHER:
        yuan(w->num[0], a2);
        yuan(w->num[1], a3);
        var(&vs, "debit", "%s", a2);
        var(&vs, "credit", "%s", a3);
        var(&vs, "diff", "%s", amount);
        json_object_set_new(ev, "debit_total", json_string(a2));
        json_object_set_new(ev, "credit_total", json_string(a3));
        json_object_set_new(ev, "difference", json_string(amount));
        break;
    case PRIM_VOUCHER_GAP:
        var(&vs, "missing", "%d", w->aux);
        var(&vs, "max", "%lld", (long long)w->num[0]);
        json_object_set_new(ev, "missing_number", json_integer(w->aux));
        json_object_set_new(ev, "max_number", json_integer(w->num[0]));
        break;
    case PRIM_VOUCHER_REUSE: {
        char d2[11];
        ag_date_format((int32_t)w->num[1], d2);
        var(&vs, "count", "%lld", (long long)w->num[0]);
        var(&vs, "date2", "%s", d2);
        json_object_set_new(ev, "distinct_dates", json_integer(w->num[0]));
        break;
    }
    case PRIM_SAME_MAKER_REVIEWER: {
        const char *what = w->aux == 1   ? "制单人与审核人为同一人"
                           : w->aux == 2 ? "出纳与制单人为同一人"
                                         : "出纳与记账人为同一人";
        var(&vs, "what", "%s", what);
        var(&vs, "person", "%s", str(s, (uint32_t)w->num[0]));
        json_object_set_new(ev, "conflict",
                            json_string(w->aux == 1   ? "maker=reviewer"
                                        : w->aux == 2 ? "cashier=maker"
                                                      : "cashier=poster"));
        json_object_set_new(ev, "person", json_string(str(s, (uint32_t)w->num[0])));
        break;
    }
    case PRIM_NONWORKING_DAY: {
        const char *name = calendar_name(cal, w->date);
        if (name)
            var(&vs, "daykind", "%s（%s）", day_kind_zh(w->aux), name);
        else
            var(&vs, "daykind", "%s", day_kind_zh(w->aux));
        json_object_set_new(ev, "day_kind", json_string(calendar_kind_name((ag_day_kind)w->aux)));
        if (name)
            json_object_set_new(ev, "holiday", json_string(name));
        break;
    }
    case PRIM_DUP_PAYMENT: {
        uint32_t other = (uint32_t)w->num[0];
        char d2[11], v2[160];
        ag_date_format(s->date[other], d2);
        voucher_text(s, other, v2, sizeof v2);
        var(&vs, "date2", "%s", d2);
        var(&vs, "voucher2", "%s", v2);
        if (w->aux)
            var(&vs, "why", "票据号相同");
        else
            var(&vs, "why", "相隔%lld天", (long long)w->num[1]);
        json_object_set_new(ev, "same_bill_no", json_boolean(w->aux));
        json_object_set_new(ev, "days_apart", json_integer(w->num[1]));
        json_object_set_new(ev, "window_days",
                            json_integer((json_int_t)eng_rule_num(r, "window_days", 7)));
        break;
    }
    case PRIM_NEAR_THRESHOLD:
        yuan(w->num[0], a2);
        var(&vs, "threshold", "%s", a2);
        var(&vs, "band", "%g%%", eng_rule_num(r, "band", 0.95) * 100);
        json_object_set_new(ev, "threshold", json_string(a2));
        break;
    case PRIM_SPLIT_PAYMENT: {
        char d2[11];
        ag_date_format((int32_t)w->num[2], d2);
        yuan(w->num[0], a2);
        var(&vs, "date2", "%s", d2);
        var(&vs, "days", "%lld", (long long)(w->num[2] - w->date + 1));
        var(&vs, "count", "%lld", (long long)w->num[1]);
        var(&vs, "threshold", "%s", a2);
        var(&vs, "total", "%s", amount);
        json_object_set_new(ev, "threshold", json_string(a2));
        json_object_set_new(ev, "total", json_string(amount));
        json_object_set_new(ev, "payments", json_integer(w->num[1]));
        break;
    }
    case PRIM_LARGE_NO_DECISION:
        yuan(w->num[0], a2);
        json_object_set_new(ev, "threshold", json_string(a2));
        break;
    case PRIM_CASH_OVER_LIMIT:
        yuan(w->num[0], a2);
        var(&vs, "limit", "%s", a2);
        json_object_set_new(ev, "limit", json_string(a2));
        break;
    case PRIM_ROUND_AMOUNT:
        yuan(w->num[0], a2);
        json_object_set_new(ev, "multiple", json_string(a2));
        break;
    case PRIM_YEAREND_SPIKE: {
        yuan(w->num[0], a2);
        yuan(w->num[1], a3);
        double share = w->num[1] ? (double)w->num[0] / (double)w->num[1] : 0;
        var(&vs, "december", "%s", a2);
        var(&vs, "total", "%s", a3);
        var(&vs, "share", "%.1f%%", share * 100);
        var(&vs, "limit", "%.0f%%", eng_rule_num(r, "share", 0.25) * 100);
        json_object_set_new(ev, "december_expense", json_string(a2));
        json_object_set_new(ev, "year_expense", json_string(a3));
        json_object_set_new(ev, "share", json_real((double)(int64_t)(share * 10000) / 10000));
        break;
    }
    case PRIM_RECEIVABLE_AGING:
        var(&vs, "days", "%d", (int)eng_rule_num(r, "days", 365));
        json_object_set_new(ev, "open_amount", json_string(amount));
        json_object_set_new(ev, "year_end", json_integer(w->aux));
        break;
    case PRIM_BENFORD_FIRST2:
        var(&vs, "mad", "%.4f", (double)w->num[0] / 1e6);
        var(&vs, "count", "%lld", (long long)w->num[1]);
        var(&vs, "limit", "%.4f", eng_rule_num(r, "mad_limit", 0.0022));
        json_object_set_new(ev, "test", json_string("first2"));
        json_object_set_new(ev, "mad", json_real((double)w->num[0] / 1e6));
        json_object_set_new(ev, "n", json_integer(w->num[1]));
        break;
    case PRIM_PAYEE_IS_STAFF:
    case PRIM_COUNT:
        break;
    }
    json_t *lines = json_array();
    for (uint8_t i = 0; i < w->nrows; i++)
        json_array_append_new(lines, line_json(s, w->rows[i]));
    json_object_set_new(ev, "lines", lines);
    if (w->nrelated > w->nrows)
        json_object_set_new(ev, "lines_total", json_integer(w->nrelated));
    char *msg = fill(r->message, &vs);
    char fp[65];
    eng_warning_fingerprint(s, c, w, fp);
    json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s?,s:o,s:s,s:s,s:o,s:s,s:s}", "item", r->item,
                          "rule", r->id, "severity", r->severity, "unit", unit, "date", date,
                          "voucher", w->row != ENG_NO_ROW ? v : NULL, "line",
                          w->row != ENG_NO_ROW ? json_integer(s->line_no[w->row]) : json_null(),
                          "amount", amount, "message", msg ? msg : "", "evidence", ev,
                          "catalog_version", c->version, "fingerprint", fp);
    free(msg);
    return o;
}

void eng_warning_fingerprint(const eng_snapshot *s, const eng_catalog *c, const eng_warning *w,
                             char out[65])
{
    char text[512];
    const char *vt = w->row != ENG_NO_ROW ? str(s, s->vtype[w->row]) : "";
    const char *vn = w->row != ENG_NO_ROW ? str(s, s->vno[w->row]) : "";
    int period = w->row != ENG_NO_ROW ? s->period[w->row] : 0;
    int line = w->row != ENG_NO_ROW ? s->line_no[w->row] : 0;
    int n = snprintf(text, sizeof text, "%s\x1f%s\x1f%d\x1f%d\x1f%s\x1f%s\x1f%d\x1f%d\x1f%d",
                     c->rules[w->rule].id, str(s, s->units[w->unit].code), w->year, period, vt, vn,
                     line, w->aux, w->date);
    ag_sha256_hex(text, n > 0 && (size_t)n < sizeof text ? (size_t)n : strlen(text), out);
}
