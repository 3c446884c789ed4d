/* prim.c - the check primitives: each looks at one unit's rows and raises warnings. */
#include "engine/prim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/benford.h"
#include "util/date.h"
#include "util/banned.h"

/* ---- helpers -------------------------------------------------------------- */

static eng_warning *push(eng_task *t, uint32_t row)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        eng_warning *p = realloc(t->w, cap * sizeof *p);
        if (!p) {
            t->oom = true;
            return NULL;
        }
        t->w = p;
        t->cap = cap;
    }
    eng_warning *w = &t->w[t->n++];
    memset(w, 0, sizeof *w);
    w->rule = t->rule_ix;
    w->unit = t->unit;
    w->row = row;
    if (row != ENG_NO_ROW) {
        w->year = t->s->year[row];
        w->date = t->s->date[row];
    }
    return w;
}

static void add_row(eng_warning *w, uint32_t row)
{
    if (w->nrows < ENG_EVIDENCE_ROWS)
        w->rows[w->nrows++] = row;
    w->nrelated++;
}

static bool passes(const eng_task *t, size_t row)
{
    return !t->mask || t->mask[row - t->lo];
}

/* A payment the rule considers: credits cash or bank, not voided, filtered. */
static bool payment(const eng_task *t, size_t row)
{
    uint8_t f = t->s->flags[row];
    return (f & ENG_F_PAYMENT) && !(f & ENG_F_VOID) && passes(t, row);
}

/* The unit's vouchers are a contiguous id range (ids follow row order and
 * a unit's rows are contiguous). The range ends where the next unit's
 * vouchers begin: a voucher's lines need not be adjacent, so the unit's last
 * row may belong to an earlier voucher than its highest id. */
static void voucher_range(const eng_task *t, uint32_t *v0, uint32_t *v1)
{
    if (t->lo >= t->hi) {
        *v0 = *v1 = 0;
        return;
    }
    *v0 = t->s->voucher[t->lo];
    *v1 = t->hi < t->s->rows ? t->s->voucher[t->hi] : (uint32_t)t->s->nvouchers;
}

static uint32_t vrow(const eng_snapshot *s, uint32_t v, uint32_t k)
{
    return s->voucher_rows[s->vouchers[v].first + k];
}

/* Every line of voucher v as evidence. */
static void add_voucher_rows(eng_warning *w, const eng_snapshot *s, uint32_t v)
{
    for (uint32_t k = 0; k < s->vouchers[v].nrows; k++)
        add_row(w, vrow(s, v, k));
}

/* A check of voucher v (its first row is first); false stops the walk
 * (allocation failed). */
typedef bool (*voucher_check)(eng_task *t, uint32_t v, uint32_t first);

/* Runs check on each of the unit's vouchers whose first row the filter passes. */
static void each_voucher(eng_task *t, voucher_check check)
{
    uint32_t v0, v1;
    voucher_range(t, &v0, &v1);
    for (uint32_t v = v0; v < v1; v++) {
        uint32_t first = vrow(t->s, v, 0);
        if (passes(t, first) && !check(t, v, first))
            return;
    }
}

/* ---- voucher-level primitives ------------------------------------------------ */

static bool unbalanced(eng_task *t, uint32_t v, uint32_t first)
{
    const eng_snapshot *s = t->s;
    int64_t d = 0, c = 0;
    for (uint32_t k = 0; k < s->vouchers[v].nrows; k++) {
        uint32_t r = vrow(s, v, k);
        if (s->flags[r] & ENG_F_VOID)
            continue;
        d += s->debit[r];
        c += s->credit[r];
    }
    if (d == c)
        return true;
    eng_warning *w = push(t, first);
    if (!w)
        return false;
    w->amount = d > c ? d - c : c - d;
    w->num[0] = d;
    w->num[1] = c;
    add_voucher_rows(w, s, v);
    return true;
}

typedef struct vnum {
    int16_t year;
    int8_t period;
    uint32_t vtype;
    int32_t num;
    uint32_t voucher;
} vnum;

static int cmp_vnum(const void *a, const void *b)
{
    const vnum *x = a, *y = b;
    if (x->year != y->year)
        return x->year - y->year;
    if (x->period != y->period)
        return x->period - y->period;
    if (x->vtype != y->vtype)
        return x->vtype < y->vtype ? -1 : 1;
    if (x->num != y->num)
        return x->num < y->num ? -1 : 1;
    return x->voucher < y->voucher ? -1 : x->voucher > y->voucher;
}

/* Missing numbers in each year/month/type sequence, from 1 to the highest. */
static void voucher_gap(eng_task *t)
{
    const eng_snapshot *s = t->s;
    uint32_t v0, v1;
    voucher_range(t, &v0, &v1);
    vnum *a = malloc(((size_t)(v1 - v0) + 1) * sizeof *a);
    if (!a) {
        t->oom = true;
        return;
    }
    size_t n = 0;
    for (uint32_t v = v0; v < v1; v++) {
        uint32_t r = vrow(s, v, 0);
        if (s->vno_num[r] < 1 || !passes(t, r))
            continue;
        a[n++] = (vnum){s->year[r], s->period[r], s->vtype[r], s->vno_num[r], v};
    }
    qsort(a, n, sizeof *a, cmp_vnum);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && a[j].year == a[i].year && a[j].period == a[i].period &&
               a[j].vtype == a[i].vtype)
            j++;
        int32_t expect = 1, max = a[j - 1].num, reported = 0;
        for (size_t k = i; k < j; k++) {
            /* Numbers absent before a[k]: one warning each (at most 1,000 per
             * sequence, so a wild number cannot flood the inbox). */
            for (int32_t m = expect; m < a[k].num && reported < 1000; m++, reported++) {
                uint32_t next = vrow(s, a[k].voucher, 0);
                eng_warning *w = push(t, next);
                if (!w)
                    goto out;
                w->aux = m;
                w->num[0] = max;
                if (k > i)
                    add_row(w, vrow(s, a[k - 1].voucher, 0));
                add_row(w, next);
            }
            if (a[k].num >= expect)
                expect = a[k].num + 1;
        }
        i = j;
    }
out:
    free(a);
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* A voucher number whose lines carry different dates: reused. */
static bool reused(eng_task *t, uint32_t v, uint32_t first)
{
    const eng_snapshot *s = t->s;
    int32_t lo = s->date[first], hi = lo;
    uint32_t nr = s->vouchers[v].nrows;
    for (uint32_t k = 1; k < nr; k++) {
        int32_t d = s->date[vrow(s, v, k)];
        lo = d < lo ? d : lo;
        hi = d > hi ? d : hi;
    }
    if (lo == hi)
        return true;
    /* Count the dates exactly (a date between lo and hi is new too);
     * only vouchers already known to be reused pay for the sort. */
    int32_t *dates = malloc(nr * sizeof *dates);
    if (!dates) {
        t->oom = true;
        return false;
    }
    for (uint32_t k = 0; k < nr; k++)
        dates[k] = s->date[vrow(s, v, k)];
    qsort(dates, nr, sizeof *dates, cmp_i32);
    int distinct = 1;
    for (uint32_t k = 1; k < nr; k++)
        distinct += dates[k] != dates[k - 1];
    free(dates);
    eng_warning *w = push(t, first);
    if (!w)
        return false;
    w->date = lo;
    w->num[0] = distinct;
    w->num[1] = hi;
    add_voucher_rows(w, s, v);
    return true;
}

/* aux: 1 maker = reviewer, 2 cashier = maker, 3 cashier = poster. */
static bool roles_conflict(eng_task *t, uint32_t v, uint32_t first)
{
    const eng_snapshot *s = t->s;
    bool seen[4] = {false, false, false, false};
    for (uint32_t k = 0; k < s->vouchers[v].nrows; k++) {
        uint32_t r = vrow(s, v, k);
        uint32_t mk = s->maker[r], rv = s->reviewer[r], ps = s->poster[r], cs = s->cashier[r];
        int kinds[3] = {mk && mk == rv ? 1 : 0, cs && cs == mk ? 2 : 0,
                        cs && cs == ps && cs != mk ? 3 : 0};
        for (int q = 0; q < 3; q++) {
            if (!kinds[q] || seen[kinds[q]])
                continue;
            seen[kinds[q]] = true;
            eng_warning *w = push(t, first);
            if (!w)
                return false;
            w->aux = kinds[q];
            w->num[0] = kinds[q] == 1 ? mk : cs;
            add_row(w, r);
        }
    }
    return true;
}

static bool on_nonworking_day(eng_task *t, uint32_t v, uint32_t first)
{
    bool covered;
    ag_day_kind k = calendar_kind(t->cal, t->s->date[first], &covered);
    if (k != AG_DAY_WEEKEND && k != AG_DAY_HOLIDAY)
        return true;
    eng_warning *w = push(t, first);
    if (!w)
        return false;
    w->aux = (int32_t)k;
    add_voucher_rows(w, t->s, v);
    return true;
}

/* ---- payment primitives ---------------------------------------------------------- */

/* Payments of the unit (rows), sorted by a comparator over the snapshot. */
typedef struct pay {
    uint32_t row;
    uint32_t cpty;
    int32_t date;
    int64_t amount;
} pay;

static int cmp_pay_cpty_amount(const void *a, const void *b)
{
    const pay *x = a, *y = b;
    if (x->cpty != y->cpty)
        return x->cpty < y->cpty ? -1 : 1;
    if (x->amount != y->amount)
        return x->amount < y->amount ? -1 : 1;
    if (x->date != y->date)
        return x->date < y->date ? -1 : 1;
    return x->row < y->row ? -1 : x->row > y->row;
}

static int cmp_pay_cpty_date(const void *a, const void *b)
{
    const pay *x = a, *y = b;
    if (x->cpty != y->cpty)
        return x->cpty < y->cpty ? -1 : 1;
    if (x->date != y->date)
        return x->date < y->date ? -1 : 1;
    return x->row < y->row ? -1 : x->row > y->row;
}

static pay *collect_payments(eng_task *t, int64_t min, int64_t below, size_t *n)
{
    const eng_snapshot *s = t->s;
    pay *p = malloc((t->hi - t->lo + 1) * sizeof *p);
    if (!p) {
        t->oom = true;
        return NULL;
    }
    size_t k = 0;
    for (size_t r = t->lo; r < t->hi; r++) {
        if (!payment(t, r) || !s->counterparty[r])
            continue;
        int64_t a = s->credit[r];
        if (a < min || (below && a >= below))
            continue;
        p[k++] = (pay){(uint32_t)r, s->counterparty[r], s->date[r], a};
    }
    *n = k;
    return p;
}

/* Two payments to one payee of one amount in different vouchers: the same
 * bill number, or within window days. The later one is flagged. */
static void dup_payment(eng_task *t)
{
    const eng_snapshot *s = t->s;
    int64_t min = eng_rule_fen(t->rule, "min_amount", 1000);
    int32_t window = (int32_t)eng_rule_num(t->rule, "window_days", 7);
    size_t n;
    pay *p = collect_payments(t, min, 0, &n);
    if (!p)
        return;
    qsort(p, n, sizeof *p, cmp_pay_cpty_amount);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && p[j].cpty == p[i].cpty && p[j].amount == p[i].amount)
            j++;
        for (size_t b = i + 1; b < j; b++) {
            /* Look back at most 1,000 payments of the group: bounds the work
             * on pathological data (a payee paid one amount thousands of times). */
            for (size_t a = b; a-- > i && b - a <= 1000;) {
                uint32_t ra = p[a].row, rb = p[b].row;
                if (s->voucher[ra] == s->voucher[rb])
                    continue;
                bool same_bill = s->bill_no[ra] && s->bill_no[ra] == s->bill_no[rb];
                bool close = p[b].date - p[a].date <= window;
                if (!same_bill && !close)
                    continue;
                eng_warning *w = push(t, rb);
                if (!w)
                    goto out;
                w->amount = p[b].amount;
                w->aux = same_bill ? 1 : 0;
                w->num[0] = ra;
                w->num[1] = p[b].date - p[a].date;
                add_row(w, ra);
                add_row(w, rb);
                break;
            }
        }
        i = j;
    }
out:
    free(p);
}

static void near_threshold(eng_task *t)
{
    const eng_snapshot *s = t->s;
    json_t *tiers = json_object_get(t->rule->params, "tiers");
    double band = eng_rule_num(t->rule, "band", 0.95);
    int64_t tv[32];
    size_t nt = 0;
    for (size_t i = 0; i < json_array_size(tiers) && nt < 32; i++)
        tv[nt++] = (int64_t)llround(json_number_value(json_array_get(tiers, i)) * 100.0);
    if (nt == 0) {
        static const int64_t def[4] = {5000000, 10000000, 50000000, 100000000};
        memcpy(tv, def, sizeof def);
        nt = 4;
    }
    for (size_t r = t->lo; r < t->hi; r++) {
        if (!payment(t, r))
            continue;
        int64_t a = s->credit[r];
        for (size_t k = 0; k < nt; k++) {
            /* a in [band * T, T), computed in fen without rounding drift. */
            int64_t lo = (int64_t)ceil((double)tv[k] * band - 1e-9);
            if (a >= lo && a < tv[k]) {
                eng_warning *w = push(t, (uint32_t)r);
                if (!w)
                    return;
                w->amount = a;
                w->num[0] = tv[k];
                add_row(w, (uint32_t)r);
                break;
            }
        }
    }
}

/* Clusters of payments to one payee within window days, each below the
 * threshold, together at or above it. Reported once per cluster. */
static void split_payment(eng_task *t)
{
    int64_t thr = eng_rule_fen(t->rule, "threshold", 1000000);
    int32_t window = (int32_t)eng_rule_num(t->rule, "window_days", 30);
    size_t n;
    pay *p = collect_payments(t, 1, thr, &n);
    if (!p)
        return;
    qsort(p, n, sizeof *p, cmp_pay_cpty_date);
    for (size_t i = 0; i < n;) {
        size_t g = i;
        while (g < n && p[g].cpty == p[i].cpty)
            g++;
        for (size_t a = i; a < g;) {
            int64_t sum = 0;
            size_t b = a;
            while (b < g && p[b].date - p[a].date <= window)
                sum += p[b++].amount;
            if (b - a >= 2 && sum >= thr) {
                eng_warning *w = push(t, p[a].row);
                if (!w)
                    goto out;
                w->amount = sum;
                w->num[0] = thr;
                w->num[1] = (int64_t)(b - a);
                w->num[2] = p[b - 1].date;
                for (size_t k = a; k < b; k++)
                    add_row(w, p[k].row);
                a = b;
            } else {
                a++;
            }
        }
        i = g;
    }
out:
    free(p);
}

/* One warning on payment row r with its amount and one figure as evidence.
 * False on allocation failure (t->oom is set). */
static bool flag_payment(eng_task *t, size_t r, int64_t figure)
{
    eng_warning *w = push(t, (uint32_t)r);
    if (!w)
        return false;
    w->amount = t->s->credit[r];
    w->num[0] = figure;
    add_row(w, (uint32_t)r);
    return true;
}

/* A test of one payment row against a rule's two amount parameters. */
typedef bool (*pay_test)(const eng_snapshot *s, size_t r, int64_t a, int64_t b);

/* One warning per payment row of the unit that passes hit(a, b), with
 * figure as evidence. */
static void flag_payments(eng_task *t, pay_test hit, int64_t a, int64_t b, int64_t figure)
{
    for (size_t r = t->lo; r < t->hi; r++)
        if (payment(t, r) && hit(t->s, r, a, b) && !flag_payment(t, r, figure))
            return;
}

/* At least min and no line of its voucher carries a decision reference. */
static bool large_without_decision(const eng_snapshot *s, size_t r, int64_t min, int64_t unused)
{
    (void)unused;
    if (s->credit[r] < min)
        return false;
    uint32_t v = s->voucher[r];
    for (uint32_t k = 0; k < s->vouchers[v].nrows; k++)
        if (s->decision_ref[vrow(s, v, k)] != 0)
            return false;
    return true;
}

static void large_no_decision(eng_task *t)
{
    int64_t min = eng_rule_fen(t->rule, "min_amount", 500000);
    flag_payments(t, large_without_decision, min, 0, min);
}

static bool cash_above(const eng_snapshot *s, size_t r, int64_t limit, int64_t unused)
{
    (void)unused;
    return (s->flags[r] & ENG_F_CASH) && s->credit[r] > limit;
}

static void cash_over_limit(eng_task *t)
{
    int64_t limit = eng_rule_fen(t->rule, "limit", 1000);
    flag_payments(t, cash_above, limit, 0, limit);
}

static bool round_multiple(const eng_snapshot *s, size_t r, int64_t min, int64_t mult)
{
    return s->credit[r] >= min && s->credit[r] % mult == 0;
}

static void round_amount(eng_task *t)
{
    int64_t min = eng_rule_fen(t->rule, "min_amount", 10000);
    int64_t mult = eng_rule_fen(t->rule, "multiple", 10000);
    if (mult > 0)
        flag_payments(t, round_multiple, min, mult, mult);
}

static void payee_is_staff(eng_task *t)
{
    const eng_snapshot *s = t->s;
    const eng_unit *u = &s->units[t->unit];
    if (!u->nstaff)
        return;
    for (size_t r = t->lo; r < t->hi; r++) {
        if (!payment(t, r) || !s->counterparty[r] || !eng_unit_has_staff(u, s->counterparty[r]))
            continue;
        eng_warning *w = push(t, (uint32_t)r);
        if (!w)
            return;
        w->amount = s->credit[r];
        add_row(w, (uint32_t)r);
    }
}

/* ---- unit-year primitives ------------------------------------------------------------ */

#define MAX_YEARS 64

static int year_slot(int16_t *years, int *ny, int16_t y)
{
    for (int i = 0; i < *ny; i++)
        if (years[i] == y)
            return i;
    if (*ny == MAX_YEARS)
        return -1;
    years[*ny] = y;
    return (*ny)++;
}

static void yearend_spike(eng_task *t)
{
    const eng_snapshot *s = t->s;
    double limit = eng_rule_num(t->rule, "share", 0.25);
    int16_t years[MAX_YEARS];
    int64_t total[MAX_YEARS] = {0}, dec[MAX_YEARS] = {0};
    uint32_t last_dec[MAX_YEARS];
    int ny = 0;
    for (size_t r = t->lo; r < t->hi; r++) {
        if (!(s->flags[r] & ENG_F_EXPENSE) || (s->flags[r] & ENG_F_VOID) || s->debit[r] <= 0 ||
            !passes(t, r))
            continue;
        int k = year_slot(years, &ny, s->year[r]);
        if (k < 0)
            continue;
        if (total[k] == 0 && dec[k] == 0)
            last_dec[k] = ENG_NO_ROW;
        total[k] += s->debit[r];
        if (s->period[r] == 12) {
            dec[k] += s->debit[r];
            last_dec[k] = (uint32_t)r;
        }
    }
    for (int k = 0; k < ny; k++) {
        if (total[k] <= 0 || (double)dec[k] / (double)total[k] <= limit)
            continue;
        eng_warning *w = push(t, ENG_NO_ROW);
        if (!w)
            return;
        ag_date d = {years[k], 12, 31};
        w->year = years[k];
        w->date = ag_date_to_days(d);
        w->amount = dec[k];
        w->num[0] = dec[k];
        w->num[1] = total[k];
        if (last_dec[k] != ENG_NO_ROW)
            add_row(w, last_dec[k]);
    }
}

typedef struct open_item {
    int32_t date;
    int64_t left;
    uint32_t row;
} open_item;

static int cmp_rcv(const void *a, const void *b)
{
    return cmp_pay_cpty_date(a, b);
}

/* FIFO per counterparty of other receivables: debits open items, credits
 * settle the oldest first. At each year end, the items still open and
 * older than `days` make one warning per counterparty. */
static void receivable_aging(eng_task *t)
{
    const eng_snapshot *s = t->s;
    int32_t days = (int32_t)eng_rule_num(t->rule, "days", 365);
    size_t cap = t->hi - t->lo + 1;
    pay *p = malloc(cap * sizeof *p);
    open_item *q = malloc(cap * sizeof *q);
    int16_t years[MAX_YEARS];
    int ny = 0;
    if (!p || !q) {
        free(p);
        free(q);
        t->oom = true;
        return;
    }
    size_t n = 0;
    for (size_t r = t->lo; r < t->hi; r++) {
        if (year_slot(years, &ny, s->year[r]) < 0)
            continue;
        if (!(s->flags[r] & ENG_F_OTHER_RCV) || (s->flags[r] & ENG_F_VOID) || !passes(t, r))
            continue;
        /* amount > 0: a debit opens; < 0: a credit settles. */
        p[n++] = (pay){(uint32_t)r, s->counterparty[r], s->date[r], s->debit[r] - s->credit[r]};
    }
    qsort(p, n, sizeof *p, cmp_rcv);
    /* Year ends to check, ascending. */
    for (int a = 1; a < ny; a++)
        for (int b = a; b > 0 && years[b - 1] > years[b]; b--) {
            int16_t tmp = years[b];
            years[b] = years[b - 1];
            years[b - 1] = tmp;
        }
    for (size_t i = 0; i < n;) {
        size_t g = i;
        while (g < n && p[g].cpty == p[i].cpty)
            g++;
        size_t head = 0, tail = 0, k = i;
        for (int y = 0; y < ny; y++) {
            ag_date ye = {years[y], 12, 31};
            int32_t end = ag_date_to_days(ye);
            for (; k < g && p[k].date <= end; k++) {
                int64_t a = p[k].amount;
                if (a > 0) {
                    q[tail++] = (open_item){p[k].date, a, p[k].row};
                    continue;
                }
                a = -a;
                while (a > 0 && head < tail) {
                    int64_t take = a < q[head].left ? a : q[head].left;
                    q[head].left -= take;
                    a -= take;
                    if (q[head].left == 0)
                        head++;
                }
            }
            int64_t old = 0;
            eng_warning *w = NULL;
            for (size_t h = head; h < tail; h++) {
                if (q[h].left <= 0 || end - q[h].date <= days)
                    continue;
                if (!w) {
                    w = push(t, q[h].row);
                    if (!w)
                        goto out;
                    w->year = years[y];
                    w->date = q[h].date;
                    w->num[0] = end;
                }
                old += q[h].left;
                add_row(w, q[h].row);
            }
            if (w) {
                w->amount = old;
                w->aux = years[y];
            }
        }
        i = g;
    }
out:
    free(p);
    free(q);
}

/* First-two-digit distribution of the unit-year's payments against
 * Benford's law; MAD above Nigrini's nonconformity bound raises a warning. */
static void benford_first2(eng_task *t)
{
    const eng_snapshot *s = t->s;
    int64_t min = eng_rule_fen(t->rule, "min_amount", 10);
    int64_t min_count = (int64_t)eng_rule_num(t->rule, "min_count", 1000);
    double limit = eng_rule_num(t->rule, "mad_limit", 0.0022);
    int16_t years[MAX_YEARS];
    int ny = 0;
    uint64_t(*c)[90] = calloc(MAX_YEARS, sizeof *c);
    eng_benford_result *res = malloc(sizeof *res);
    if (!c || !res) {
        free(c);
        free(res);
        t->oom = true;
        return;
    }
    for (size_t r = t->lo; r < t->hi; r++) {
        if (!payment(t, r) || s->credit[r] < min)
            continue;
        int k = year_slot(years, &ny, s->year[r]);
        int d = eng_benford_digits_of(ENG_BENFORD_FIRST2, s->credit[r]);
        if (k >= 0 && d >= 10)
            c[k][d - 10]++;
    }
    for (int k = 0; k < ny; k++) {
        uint64_t n = 0;
        for (int d = 0; d < 90; d++)
            n += c[k][d];
        if (n == 0 || n < (uint64_t)min_count ||
            eng_benford_from_counts(ENG_BENFORD_FIRST2, c[k], 90, res, NULL) != AG_OK ||
            res->mad <= limit)
            continue;
        eng_warning *w = push(t, ENG_NO_ROW);
        if (!w)
            break;
        ag_date d = {years[k], 12, 31};
        w->year = years[k];
        w->date = ag_date_to_days(d);
        w->num[0] = (int64_t)llround(res->mad * 1e6); /* MAD in millionths */
        w->num[1] = (int64_t)n;
    }
    free(res);
    free(c);
}

/* The primitives by id (the catalog names them, engine/rules.c): a check
 * run on each voucher, or a walk of its own over the unit's rows. */
static const struct {
    voucher_check voucher;
    void (*run)(eng_task *t);
} prims[PRIM_COUNT] = {
    [PRIM_UNBALANCED_VOUCHER] = {unbalanced, NULL},
    [PRIM_VOUCHER_GAP] = {NULL, voucher_gap},
    [PRIM_VOUCHER_REUSE] = {reused, NULL},
    [PRIM_SAME_MAKER_REVIEWER] = {roles_conflict, NULL},
    [PRIM_NONWORKING_DAY] = {on_nonworking_day, NULL},
    [PRIM_DUP_PAYMENT] = {NULL, dup_payment},
    [PRIM_NEAR_THRESHOLD] = {NULL, near_threshold},
    [PRIM_SPLIT_PAYMENT] = {NULL, split_payment},
    [PRIM_LARGE_NO_DECISION] = {NULL, large_no_decision},
    [PRIM_CASH_OVER_LIMIT] = {NULL, cash_over_limit},
    [PRIM_ROUND_AMOUNT] = {NULL, round_amount},
    [PRIM_YEAREND_SPIKE] = {NULL, yearend_spike},
    [PRIM_RECEIVABLE_AGING] = {NULL, receivable_aging},
    [PRIM_BENFORD_FIRST2] = {NULL, benford_first2},
    [PRIM_PAYEE_IS_STAFF] = {NULL, payee_is_staff},
};

void eng_prim_run(eng_task *t)
{
    unsigned p = (unsigned)t->rule->prim;
    if (p >= PRIM_COUNT)
        return;
    if (prims[p].voucher)
        each_voucher(t, prims[p].voucher);
    else if (prims[p].run)
        prims[p].run(t);
}
