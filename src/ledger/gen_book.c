/* gen_book.c - the generator's bookkeeping: amounts, payees and voucher templates. */
#include "ledger/gen_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/date.h"
#include "util/banned.h"

const char *const gen_vtype_names[4] = {"记", "收", "付", "转"};
enum { VT_JI, VT_SHOU, VT_FU, VT_ZHUAN };

/* Kinds of amount drawn, after the expense kinds. */
enum {
    S_ASSET = 20,
    S_CASH,
    S_REV,
    S_QUOTA,
    S_DEPR,
    S_UTIL,
    S_DEPOSIT,
    S_ACCRUE,
    S_SALE,
    S_COST,
    S_PERSON,
    S_SPIKE,
    S_FEE,
    S_BID,
    S_FILL
};

#define LARGE_DECISION YUAN(200000) /* payments from here on carry a decision */

static const char A_CASH[] = "1001", A_BANK[] = "1002", A_QUOTA[] = "1011", A_OMF[] = "1012";

/* ---- small helpers ---- */

static int month_of(int32_t day)
{
    return ag_date_from_days(day).month;
}

static size_t below(gen_ctx *c, size_t n)
{
    return n ? (size_t)ag_rng_below(&c->rng, n) : 0;
}

static bool chance(gen_ctx *c, int pct)
{
    return (int)ag_rng_below(&c->rng, 100) < pct;
}

static gen_line *add(gen_voucher *v, const char *acct, const char *name, int64_t dr, int64_t cr)
{
    if (v->n >= GEN_VL)
        abort(); /* a template bug: vouchers are far smaller */
    gen_line *l = &v->l[v->n++];
    memset(l, 0, sizeof *l);
    l->cpi = -1;
    l->acct = acct;
    l->acct_name = name;
    l->debit = dr;
    l->credit = cr;
    return l;
}

/* Debits acct and credits the bank by a, both lines to counterparty cpi
 * (-1: none) and bill (NULL: none), paid by settle from fund. Returns the
 * debit line for the caller to complete. */
static gen_line *pay_from_bank(gen_ctx *c, gen_voucher *v, const char *acct, const char *name,
                               int64_t a, int cpi, const char *bill, const char *settle,
                               const char *fund)
{
    const char *cp = cpi >= 0 ? c->cp[cpi].name : NULL;
    gen_line *d = add(v, acct, name, a, 0);
    d->cp = cp;
    d->bill = bill;
    gen_line *l = add(v, A_BANK, "银行存款", 0, a);
    l->cp = cp;
    l->cpi = cpi;
    l->bill = bill;
    l->settle = settle;
    l->fund = fund;
    return d;
}

static void set_summary(gen_voucher *v, const char *pat, int month)
{
    size_t o = 0;
    for (const char *p = pat; *p && o + 4 < sizeof v->summary; p++) {
        if (*p == '#') {
            if (month >= 10)
                v->summary[o++] = '1';
            v->summary[o++] = (char)('0' + month % 10);
        } else {
            v->summary[o++] = *p;
        }
    }
    v->summary[o] = '\0';
}

static void set_summary2(gen_voucher *v, const char *a, const char *b)
{
    snprintf(v->summary, sizeof v->summary, "%s%s", a, b ? b : "");
}

static const char *pay_name(const char *acct)
{
    if (!strcmp(acct, A_CASH))
        return "库存现金";
    if (!strcmp(acct, A_BANK))
        return "银行存款";
    if (!strcmp(acct, A_QUOTA))
        return "零余额账户用款额度";
    return "其他货币资金";
}

bool gen_is_payment_acct(const gen_ctx *c, const char *a)
{
    if (!strcmp(a, A_CASH) || !strcmp(a, A_BANK))
        return true;
    if (c->gov)
        return !strcmp(a, A_QUOTA) || !strcmp(a, "1021");
    return !strcmp(a, A_OMF);
}

bool gen_is_expense_acct(const gen_ctx *c, const char *a)
{
    if (c->gov)
        return a[0] == '5';
    return !strncmp(a, "6401", 4) || !strncmp(a, "66", 2);
}

static const gen_exp *exp_kind(const gen_ctx *c, int k)
{
    return c->gov ? &gen_gov_exp[k] : &gen_ent_exp[k];
}

static int exp_count(const gen_ctx *c)
{
    return (int)(c->gov ? gen_gov_exp_n : gen_ent_exp_n);
}

static int find_exp(const gen_ctx *c, const char *code)
{
    for (int k = 0; k < exp_count(c); k++) {
        const gen_exp *e = exp_kind(c, k);
        const char *id = c->gov ? e->econ : e->acct;
        if (!strcmp(id, code))
            return k;
    }
    abort(); /* the tables name every code used here */
}

static int pick_exp(gen_ctx *c)
{
    int total = 0;
    for (int k = 0; k < exp_count(c); k++)
        total += exp_kind(c, k)->weight;
    int r = (int)below(c, (size_t)total);
    for (int k = 0; k < exp_count(c); k++) {
        r -= exp_kind(c, k)->weight;
        if (r < 0)
            return k;
    }
    return 0;
}

/* ---- amounts ---- */

/* Amounts that a payment line will carry (now or when settled). */
static bool pays(int kind)
{
    return kind != S_REV && kind != S_QUOTA && kind != S_SALE && kind != S_FILL && kind != S_DEPR;
}

/* The first two significant digits of a positive amount (10..99). */
static int first2(int64_t fen)
{
    while (fen >= 100)
        fen /= 10;
    return (int)fen;
}

void gen_digits_count(gen_ctx *c, int64_t fen, bool payment)
{
    if (fen < 1000)
        return;
    int b = first2(fen);
    c->dig_all[b]++;
    c->n_all++;
    if (payment) {
        c->dig_pay[b]++;
        c->n_pay++;
    }
}

/* The first two digits of the next amount. 30% of the draws follow
 * Benford's law at random; the others go to the digits furthest below
 * their Benford share among the lines written so far this year (all lines,
 * and payment lines for amounts that will be paid). So each unit-year
 * conforms closely whatever its size, although salaries, depreciation and
 * taxes repeat the same few digits every month. */
static int pick_digits(gen_ctx *c, bool pay)
{
    if (chance(c, 30))
        return (int)floor(pow(10.0, 1.0 + ag_rng_unit(&c->rng)));
    double na = c->n_all ? (double)c->n_all : 1.0, np = c->n_pay ? (double)c->n_pay : 1.0;
    int best = 10;
    double top = -1e9;
    for (int b = 10; b < 100; b++) {
        double p = c->benford[b];
        double s = p - (double)c->dig_all[b] / na;
        if (pay)
            s += p - (double)c->dig_pay[b] / np;
        if (s > top) {
            top = s;
            best = b;
        }
    }
    return best;
}

int64_t gen_amount(gen_ctx *c, int kind, int dlo, int dhi)
{
    /* Double is only the random variate: the amount is fen from here on. */
    int b = pick_digits(c, pays(kind));
    double m = log10((double)b) - 1.0 + ag_rng_unit(&c->rng) * log10((b + 1.0) / b);
    int d = dlo + (int)below(c, (size_t)(dhi - dlo + 1));
    double yuan = pow(10.0, (double)d + m);
    int64_t fen;
    if (d >= 3 && chance(c, 70))
        fen = (int64_t)llround(yuan) * 100;
    else
        fen = (int64_t)llround(yuan * 100.0);
    return fen < 1000 ? 1000 : fen;
}

static bool in_band(int64_t f)
{
    static const int64_t t[4] = {YUAN(50000), YUAN(100000), YUAN(500000), YUAN(1000000)};
    for (int i = 0; i < 4; i++) {
        if (f * 100 >= t[i] * 95 && f < t[i])
            return true;
    }
    return false;
}

int64_t gen_payable_amount(int64_t f)
{
    /* Out of the near-threshold bands by a decade (the digits stay), and
     * never a whole multiple of 10,000 yuan. */
    while (in_band(f))
        f /= 10;
    if (f >= YUAN(10000) && f % YUAN(10000) == 0)
        f += 100;
    return f;
}

/* December cap: ordinary expense debits of a unit-year without a planted
 * spike stay within dec_room; an amount that does not fit shrinks by
 * decades. */
static bool exp_room(gen_ctx *c, int32_t day, int64_t *a)
{
    if (month_of(day) != 12 || c->spike)
        return true;
    int64_t room = c->dec_room - c->exp_month[12];
    while (*a > room && *a >= 10000)
        *a = gen_payable_amount(*a / 10);
    return *a <= room;
}

/* ---- payees ---- */

bool gen_cp_admit(const gen_cp *cp, int32_t day, int64_t amount)
{
    int64_t sum = 0;
    int cnt = 0, live = 0;
    for (int i = 0; i < cp->n; i++) {
        int32_t age = day - cp->d[i];
        if (age > GEN_WINDOW)
            continue;
        live++;
        if (cp->a[i] == amount && age <= GEN_DUP_DAYS)
            return false;
        if (cp->a[i] < YUAN(1000000)) {
            sum += cp->a[i];
            cnt++;
        }
    }
    if (live >= GEN_CP_WIN)
        return false;
    return !(amount < YUAN(1000000) && cnt > 0 && sum + amount >= YUAN(1000000));
}

void gen_cp_record(gen_cp *cp, int32_t day, int64_t amount)
{
    int k = 0;
    for (int i = 0; i < cp->n; i++) {
        if (day - cp->d[i] <= GEN_WINDOW) {
            cp->d[k] = cp->d[i];
            cp->a[k] = cp->a[i];
            k++;
        }
    }
    if (k == GEN_CP_WIN) {
        memmove(cp->d, cp->d + 1, (GEN_CP_WIN - 1) * sizeof cp->d[0]);
        memmove(cp->a, cp->a + 1, (GEN_CP_WIN - 1) * sizeof cp->a[0]);
        k--;
    }
    cp->d[k] = day;
    cp->a[k] = amount;
    cp->n = (unsigned char)(k + 1);
}

static size_t skewed(gen_ctx *c, size_t n)
{
    /* Some suppliers are paid far more often than others. */
    double u = ag_rng_unit(&c->rng);
    size_t i = (size_t)((double)n * u * u);
    return i < n ? i : n - 1;
}

int gen_pick_cp(gen_ctx *c, int cat, int32_t day, int64_t amount)
{
    size_t n = c->cat_n[cat];
    if (!n)
        return -1;
    for (int t = 0; t < 8; t++) {
        size_t i = c->cat_off[cat] + (t < 4 ? skewed(c, n) : below(c, n));
        if (gen_cp_admit(&c->cp[i], day, amount))
            return (int)i;
    }
    return -1;
}

static int any_cp(gen_ctx *c, int cat)
{
    size_t n = c->cat_n[cat];
    return n ? (int)(c->cat_off[cat] + skewed(c, n)) : -1;
}

/* ---- voucher frame ---- */

bool gen_can_emit(const gen_ctx *c, int lines)
{
    int64_t r = c->left - lines;
    return r >= c->reserved && r - c->reserved != 1;
}

void gen_voucher_init(gen_ctx *c, gen_voucher *v, int32_t date)
{
    (void)c;
    v->date = date;
    v->type = 0;
    v->no = 0;
    v->n = 0;
    v->summary[0] = '\0';
    v->bill[0] = '\0';
    v->decision[0] = '\0';
    v->maker = v->reviewer = v->poster = v->cashier = NULL;
    v->no_decision = false;
    v->from_reserve = false;
}

void gen_decision_ref(gen_ctx *c, int32_t day, int64_t amount, char *out, size_t n)
{
    int no = 1 + (int)((day - c->jan1) / 9);
    const char *body;
    if (!c->gov)
        body = amount >= YUAN(500000) ? "党委会" : "总经理办公会";
    else if (c->admin)
        body = amount >= YUAN(500000) ? "党组会" : "局务会";
    else
        body = amount >= YUAN(500000) ? "党委会" : "办公会";
    snprintf(out, n, "%s〔%d〕%d号", body, c->year, no);
}

void gen_bill_no(gen_ctx *c, char *out, size_t n)
{
    /* The multipliers are prime to 10, so each mapping is one-to-one: no two
     * bills of a unit share a number, yet the numbers look scattered. */
    uint64_t s = ++c->bill_seq + (uint64_t)c->ui * 7919u;
    unsigned long long lo = (unsigned long long)(s % 100000000u * 61803399u % 100000000u);
    if (c->year >= 2024) {
        /* 全电发票 (fully digitised invoice): 20 digits */
        unsigned hi = (unsigned)(s * 2654435761u >> 7) % 10000u;
        snprintf(out, n, "%02d12%04u%04u%08llu", c->year % 100, (unsigned)(c->ui % 10000), hi, lo);
    } else {
        snprintf(out, n, "%08llu", lo);
    }
}

int gen_pick_staff_other(gen_ctx *c)
{
    int first = c->n_staff - 1;
    while (first > 0 && strcmp(c->staff_role[first - 1], "职工") == 0)
        first--;
    return first + (int)below(c, (size_t)(c->n_staff - first));
}

static const char *basic_func(const gen_ctx *c)
{
    return c->admin ? c->sector->admin_run : c->sector->inst_run;
}

static const char *dept(gen_ctx *c)
{
    return c->depts[below(c, (size_t)c->n_depts)];
}

/* One of the unit's projects, pct times in a hundred; otherwise none. */
static const char *maybe_project(gen_ctx *c, int pct)
{
    return chance(c, pct) ? c->projects[below(c, (size_t)c->n_projects)] : NULL;
}

/* ---- builders ---- */

static const char *pick_settle(gen_ctx *c, const char *pay, int card_pct)
{
    if (!strcmp(pay, A_CASH))
        return "现金";
    if (!strcmp(pay, A_OMF))
        return "网银";
    if (c->gov && !strcmp(pay, A_QUOTA) && chance(c, card_pct))
        return "公务卡";
    return chance(c, 60) ? "网银" : "转账";
}

void gen_build_exp_payment(gen_ctx *c, gen_voucher *v, int k, int cpi, int64_t amount,
                           const char *pay_acct, const char *settle)
{
    const gen_exp *e = exp_kind(c, k);
    int month = month_of(v->date);
    if (!v->summary[0])
        set_summary(v, chance(c, 50) ? e->s1 : e->s2, month);
    const char *cpn = cpi >= 0 ? c->cp[cpi].name : NULL;
    const char *d = dept(c);
    if (!settle)
        settle = pick_settle(c, pay_acct, e->card_pct);
    if (!v->bill[0])
        gen_bill_no(c, v->bill, sizeof v->bill);
    if (c->gov) {
        bool mgmt = !c->admin && chance(c, 30);
        bool proj = chance(c, 30);
        const char *project =
            proj ? c->projects[below(c, (size_t)c->n_projects)] : c->basic_proj[1];
        const char *func =
            proj ? (c->admin ? c->sector->admin_mgmt : c->sector->inst_run) : basic_func(c);
        bool own = !strcmp(pay_acct, A_BANK);
        const char *fund = own ? "单位资金" : "一般公共预算资金";
        gen_line *l =
            add(v, mgmt ? "510102" : "500102",
                mgmt ? "单位管理费用-商品和服务费用" : "业务活动费用-商品和服务费用", amount, 0);
        l->cp = cpn;
        l->dept = d;
        l->project = project;
        l->func = func;
        l->econ = e->econ;
        l->fund = fund;
        l->bill = v->bill;
        l = add(v, pay_acct, pay_name(pay_acct), 0, amount);
        l->cp = cpn;
        l->cpi = cpi;
        l->dept = d;
        l->fund = fund;
        l->bill = v->bill;
        l->settle = settle;
        l = add(v, c->admin ? "7101" : "7201", c->admin ? "行政支出" : "事业支出", amount, 0);
        l->dept = d;
        l->project = project;
        l->func = func;
        l->econ = e->econ;
        l->fund = fund;
        bool quota = !strcmp(pay_acct, A_QUOTA);
        l = add(v, quota ? "800101" : "800102",
                quota ? "资金结存-零余额账户用款额度" : "资金结存-货币资金", 0, amount);
        l->fund = fund;
    } else {
        const char *project = maybe_project(c, 25);
        gen_line *l = add(v, e->acct, e->acct_name, amount, 0);
        l->cp = cpn;
        l->dept = d;
        l->project = project;
        l->fund = "自有资金";
        l->bill = v->bill;
        l = add(v, pay_acct, pay_name(pay_acct), 0, amount);
        l->cp = cpn;
        l->cpi = cpi;
        l->dept = d;
        l->fund = "自有资金";
        l->bill = v->bill;
        l->settle = settle;
    }
}

void gen_build_depreciation(gen_ctx *c, gen_voucher *v, int64_t amount, int lines)
{
    set_summary(v, "计提#月固定资产折旧", month_of(v->date));
    int64_t a1 = lines == 3 ? amount * 6 / 10 : amount;
    int64_t a2 = amount - a1;
    if (c->gov) {
        gen_line *l = add(v, "500103", "业务活动费用-固定资产折旧费", a1, 0);
        l->dept = c->depts[0];
        l->func = basic_func(c);
        if (lines == 3) {
            bool inst = !c->admin;
            l = add(v, inst ? "510103" : "500103",
                    inst ? "单位管理费用-固定资产折旧费" : "业务活动费用-固定资产折旧费", a2, 0);
            l->dept = c->depts[1];
            l->func = basic_func(c);
        }
        add(v, "1602", "固定资产累计折旧", 0, amount);
    } else {
        gen_line *l = add(v, "660205", "管理费用-折旧费", a1, 0);
        l->dept = c->depts[0];
        if (lines == 3) {
            l = add(v, "660105", "销售费用-折旧费", a2, 0);
            l->dept = c->depts[3];
        }
        add(v, "1602", "累计折旧", 0, amount);
    }
}

void gen_build_receivable(gen_ctx *c, gen_voucher *v, int cpi, int64_t amount)
{
    static const char *const what[] = {"投标保证金", "履约保证金", "场地押金"};
    if (!v->summary[0])
        set_summary2(v, "支付", what[below(c, 3)]);
    gen_line *l = pay_from_bank(c, v, c->gov ? "1218" : "1221", "其他应收款", amount, cpi, NULL,
                                "转账", c->gov ? "单位资金" : "自有资金");
    l->dept = dept(c);
}

/* ---- emitting ---- */

static int voucher_type(const gen_ctx *c, const gen_voucher *v)
{
    if (c->gov)
        return VT_JI;
    bool in = false, out = false;
    for (int i = 0; i < v->n; i++) {
        if (!gen_is_payment_acct(c, v->l[i].acct))
            continue;
        if (v->l[i].credit)
            out = true;
        if (v->l[i].debit)
            in = true;
    }
    return out ? VT_FU : in ? VT_SHOU : VT_ZHUAN;
}

int gen_emit(gen_ctx *c, gen_voucher *v)
{
    int month = month_of(v->date);
    v->type = voucher_type(c, v);
    int *ctr = &c->counters[month][v->type];
    int no = ++*ctr;
    if (c->gap_k[month] && c->gap_type[month] == v->type && no == c->gap_k[month]) {
        /* planted voucher_gap: this number is never used */
        gen_gt_gap(c, month, v->type, no);
        c->gap_k[month] = 0;
        no = ++*ctr;
    }
    v->no = no;
    if (!v->maker)
        v->maker = c->staff[c->makers[below(c, (size_t)c->n_makers)]];
    if (!v->reviewer)
        v->reviewer = c->staff[c->reviewers[below(c, (size_t)c->n_reviewers)]];
    if (!v->poster)
        v->poster = c->staff[c->poster];
    bool money = false;
    int64_t largest = 0;
    for (int i = 0; i < v->n; i++) {
        const gen_line *l = &v->l[i];
        if (gen_is_payment_acct(c, l->acct)) {
            money = true;
            if (l->credit > largest)
                largest = l->credit;
        }
    }
    if (money && !v->cashier)
        v->cashier = c->staff[c->cashiers[below(c, (size_t)c->n_cashiers)]];
    if (largest >= LARGE_DECISION && !v->no_decision && !v->decision[0])
        gen_decision_ref(c, v->date, largest, v->decision, sizeof v->decision);

    char date[11];
    ag_date_format(v->date, date);
    gen_file *f = &c->f;
    for (int i = 0; i < v->n; i++) {
        gen_line *l = &v->l[i];
        if (v->decision[0] && (l->debit >= LARGE_DECISION || l->credit >= LARGE_DECISION))
            l->decision = v->decision;
        gen_put(f, c->prefix, c->prefix_len);
        gen_put_int(f, month);
        gen_putc(f, ',');
        gen_put(f, date, 10);
        gen_putc(f, ',');
        gen_puts(f, gen_vtype_names[v->type]);
        gen_putc(f, ',');
        gen_put_int(f, no);
        gen_putc(f, ',');
        gen_put_int(f, i + 1);
        gen_putc(f, ',');
        gen_put_field(f, v->summary);
        gen_putc(f, ',');
        gen_puts(f, l->acct);
        gen_putc(f, ',');
        gen_put_field(f, l->acct_name);
        gen_putc(f, ',');
        gen_put_money(f, l->debit);
        gen_putc(f, ',');
        gen_put_money(f, l->credit);
        gen_putc(f, ',');
        gen_put_field(f, l->cp);
        gen_putc(f, ',');
        gen_put_field(f, l->dept);
        gen_putc(f, ',');
        gen_put_field(f, l->project);
        gen_putc(f, ',');
        gen_put_field(f, l->func);
        gen_putc(f, ',');
        gen_put_field(f, l->econ);
        gen_putc(f, ',');
        gen_put_field(f, l->fund);
        gen_putc(f, ',');
        gen_put_field(f, l->decision);
        gen_putc(f, ',');
        gen_put_field(f, l->bill);
        gen_putc(f, ',');
        gen_put_field(f, l->settle);
        gen_putc(f, ',');
        gen_put_field(f, v->maker);
        gen_putc(f, ',');
        gen_put_field(f, v->reviewer);
        gen_putc(f, ',');
        gen_put_field(f, v->poster);
        gen_putc(f, ',');
        gen_put_field(f, v->cashier);
        gen_put(f, ",1,0\n", 5);

        if (l->debit > 0 && gen_is_expense_acct(c, l->acct)) {
            c->exp_month[month] += l->debit;
            c->exp_total += l->debit;
        }
        bool payment = l->credit > 0 && gen_is_payment_acct(c, l->acct);
        if (payment && l->cpi >= 0)
            gen_cp_record(&c->cp[l->cpi], v->date, l->credit);
        gen_digits_count(c, l->debit, false);
        gen_digits_count(c, l->credit, payment);
    }
    c->left -= v->n;
    if (v->from_reserve)
        c->reserved -= v->n;
    c->res.lines += v->n;
    c->res.vouchers++;
    return no;
}

/* ---- deferred items ---- */

static bool pend_less(const gen_pend *a, const gen_pend *b)
{
    return a->due != b->due ? a->due < b->due : a->seq < b->seq;
}

static void heap_up(gen_heap *h, size_t i)
{
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!pend_less(&h->v[i], &h->v[p]))
            break;
        gen_pend t = h->v[i];
        h->v[i] = h->v[p];
        h->v[p] = t;
        i = p;
    }
}

static void heap_down(gen_heap *h, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < h->n && pend_less(&h->v[l], &h->v[m]))
            m = l;
        if (r < h->n && pend_less(&h->v[r], &h->v[m]))
            m = r;
        if (m == i)
            return;
        gen_pend t = h->v[i];
        h->v[i] = h->v[m];
        h->v[m] = t;
        i = m;
    }
}

static bool pend_push(gen_ctx *c, int kind, int32_t due, int cp, int64_t amount, int econ)
{
    gen_heap *h = &c->pend;
    if ((int64_t)h->n >= c->pend_cap)
        return false;
    if (h->n == h->cap) {
        size_t nc = h->cap ? h->cap * 2 : 256;
        gen_pend *nv = realloc(h->v, nc * sizeof *nv);
        if (!nv)
            return false;
        h->v = nv;
        h->cap = nc;
    }
    gen_pend p = {due, c->pend_seq++, kind, cp, amount, econ};
    h->v[h->n] = p;
    heap_up(h, h->n++);
    return true;
}

static gen_pend pend_pop(gen_heap *h)
{
    gen_pend top = h->v[0];
    h->v[0] = h->v[--h->n];
    if (h->n)
        heap_down(h, 0);
    return top;
}

static bool pend_room(const gen_ctx *c)
{
    return (int64_t)c->pend.n < c->pend_cap;
}

/* Settles one due item; returns lines written, 0 when it must wait, -1 when
 * the year's lines are used up. */
static int settle_one(gen_ctx *c, int32_t day, const gen_pend *p)
{
    gen_voucher v;
    gen_voucher_init(c, &v, day);
    switch (p->kind) {
    case PEND_GOV_PAYABLE: {
        if (!gen_can_emit(c, 4))
            return -1;
        if (!gen_cp_admit(&c->cp[p->cp], day, p->amount))
            return 0;
        const gen_exp *e = exp_kind(c, p->econ);
        set_summary2(&v, "支付", e->econ_name);
        gen_bill_no(c, v.bill, sizeof v.bill);
        const char *d = dept(c);
        gen_line *l = add(&v, "2302", "应付账款", p->amount, 0);
        l->cp = c->cp[p->cp].name;
        l->bill = v.bill;
        l = add(&v, A_QUOTA, "零余额账户用款额度", 0, p->amount);
        l->cp = c->cp[p->cp].name;
        l->cpi = p->cp;
        l->bill = v.bill;
        l->settle = pick_settle(c, A_QUOTA, 0);
        l->fund = "一般公共预算资金";
        l = add(&v, c->admin ? "7101" : "7201", c->admin ? "行政支出" : "事业支出", p->amount, 0);
        l->dept = d;
        l->project = c->basic_proj[1];
        l->func = basic_func(c);
        l->econ = e->econ;
        l->fund = "一般公共预算资金";
        l = add(&v, "800101", "资金结存-零余额账户用款额度", 0, p->amount);
        l->fund = "一般公共预算资金";
        break;
    }
    case PEND_ENT_PAYABLE:
    case PEND_BID_REFUND: {
        if (!gen_can_emit(c, 2))
            return -1;
        if (!gen_cp_admit(&c->cp[p->cp], day, p->amount))
            return 0;
        bool bid = p->kind == PEND_BID_REFUND;
        set_summary2(&v, bid ? "退还投标保证金" : "支付货款", NULL);
        if (!bid)
            gen_bill_no(c, v.bill, sizeof v.bill);
        pay_from_bank(c, &v, bid ? "2241" : "2202", bid ? "其他应付款" : "应付账款", p->amount,
                      p->cp, v.bill[0] ? v.bill : NULL, chance(c, 60) ? "网银" : "转账",
                      "自有资金");
        break;
    }
    case PEND_COLLECT: {
        if (!gen_can_emit(c, 2))
            return -1;
        set_summary2(&v, "收到货款", NULL);
        gen_line *l = add(&v, A_BANK, "银行存款", p->amount, 0);
        l->cp = c->cp[p->cp].name;
        l->settle = "转账";
        l = add(&v, "1122", "应收账款", 0, p->amount);
        l->cp = c->cp[p->cp].name;
        break;
    }
    case PEND_DEPOSIT: {
        if (c->reserved < 2)
            return -1;
        v.from_reserve = true;
        set_summary2(&v, "收回保证金", NULL);
        gen_line *l = add(&v, A_BANK, "银行存款", p->amount, 0);
        l->cp = c->cp[p->cp].name;
        l->settle = "转账";
        l->fund = c->gov ? "单位资金" : "自有资金";
        l = add(&v, c->gov ? "1218" : "1221", "其他应收款", 0, p->amount);
        l->cp = c->cp[p->cp].name;
        break;
    }
    default:
        return 0;
    }
    gen_emit(c, &v);
    return v.n;
}

int64_t gen_settle_due(gen_ctx *c, int32_t day, int64_t budget, bool force)
{
    int64_t lines = 0;
    gen_heap *h = &c->pend;
    if (force) {
        /* Year end: every clean deposit comes back, so none is open for an
         * aging check. */
        size_t k = 0;
        for (size_t i = 0; i < h->n; i++) {
            if (h->v[i].kind == PEND_DEPOSIT) {
                int r = settle_one(c, day, &h->v[i]);
                if (r > 0) {
                    lines += r;
                    continue;
                }
            }
            h->v[k++] = h->v[i];
        }
        h->n = k;
        for (size_t i = h->n / 2 + 1; i-- > 0;)
            heap_down(h, i);
        return lines;
    }
    while (h->n && h->v[0].due <= day && lines < budget) {
        gen_pend p = pend_pop(h);
        int r = settle_one(c, day, &p);
        if (r > 0) {
            lines += r;
            continue;
        }
        p.due = r < 0 ? day + 1 : day + 3;
        pend_push(c, p.kind, p.due, p.cp, p.amount, p.econ);
        if (r < 0)
            break;
    }
    return lines;
}

/* ---- scheduled vouchers ---- */

static void quota_receipt(gen_ctx *c, int32_t day)
{
    if (!gen_can_emit(c, 4))
        return;
    gen_voucher v;
    gen_voucher_init(c, &v, day);
    int64_t a = gen_amount(c, S_QUOTA, 5, 6);
    set_summary(&v, "收到#月财政授权支付额度", month_of(day));
    const char *fin = c->cp[c->cp_finance].name;
    gen_line *l = add(&v, A_QUOTA, "零余额账户用款额度", a, 0);
    l->cp = fin;
    l->fund = "一般公共预算资金";
    l = add(&v, "4001", "财政拨款收入", 0, a);
    l->cp = fin;
    l->func = basic_func(c);
    l->fund = "一般公共预算资金";
    l = add(&v, "800101", "资金结存-零余额账户用款额度", a, 0);
    l->fund = "一般公共预算资金";
    l = add(&v, "6001", "财政拨款预算收入", 0, a);
    l->func = basic_func(c);
    l->fund = "一般公共预算资金";
    gen_emit(c, &v);
}

static void salary_pay(gen_ctx *c, int32_t day)
{
    int n = c->gov ? 5 : 2;
    int64_t a = c->salary_due;
    if (!gen_can_emit(c, n) || !gen_cp_admit(&c->cp[c->cp_salary], day, a))
        return;
    gen_voucher v;
    gen_voucher_init(c, &v, day);
    int m = month_of(day);
    set_summary(&v, "发放#月工资", m == 1 ? 12 : m - 1);
    const char *cp = c->cp[c->cp_salary].name;
    if (c->gov) {
        int64_t basic = a * 55 / 100;
        gen_line *l = add(&v, "2201", "应付职工薪酬", a, 0);
        l->cp = cp;
        l = add(&v, A_QUOTA, "零余额账户用款额度", 0, a);
        l->cp = cp;
        l->cpi = c->cp_salary;
        l->settle = "网银";
        l->fund = "一般公共预算资金";
        const char *ex = c->admin ? "7101" : "7201";
        const char *exn = c->admin ? "行政支出" : "事业支出";
        l = add(&v, ex, exn, basic, 0);
        l->project = c->basic_proj[0];
        l->func = basic_func(c);
        l->econ = "30101";
        l->fund = "一般公共预算资金";
        l = add(&v, ex, exn, a - basic, 0);
        l->project = c->basic_proj[0];
        l->func = basic_func(c);
        l->econ = "30102";
        l->fund = "一般公共预算资金";
        l = add(&v, "800101", "资金结存-零余额账户用款额度", 0, a);
        l->fund = "一般公共预算资金";
    } else {
        pay_from_bank(c, &v, "2211", "应付职工薪酬", a, c->cp_salary, NULL, "网银", "自有资金");
    }
    gen_emit(c, &v);
    c->salary_due = 0;
}

static void salary_accrue(gen_ctx *c, int32_t day)
{
    int k = c->n_depts < 4 ? c->n_depts : 4;
    if (!gen_can_emit(c, k + 1))
        return;
    /* 97%..103% of the base, to the fen; the total is kept payable. */
    int64_t total = c->salary_base * (970 + (int64_t)below(c, 61)) / 1000 + (int64_t)below(c, 100);
    total = gen_payable_amount(total);
    gen_voucher v;
    gen_voucher_init(c, &v, day);
    set_summary(&v, "计提#月工资", month_of(day));
    int64_t rest = total;
    for (int i = 0; i < k; i++) {
        int64_t a = i == k - 1 ? rest : total / k * (85 + (int64_t)below(c, 31)) / 100;
        rest -= a;
        gen_line *l;
        if (c->gov) {
            bool mgmt = !c->admin && i == 0;
            l = add(&v, mgmt ? "510101" : "500101",
                    mgmt ? "单位管理费用-工资福利费用" : "业务活动费用-工资福利费用", a, 0);
            l->func = basic_func(c);
            l->project = c->basic_proj[0];
        } else {
            bool sales = i == k - 1;
            l = add(&v, sales ? "660101" : "660201",
                    sales ? "销售费用-职工薪酬" : "管理费用-职工薪酬", a, 0);
        }
        l->dept = c->depts[i];
    }
    add(&v, c->gov ? "2201" : "2211", "应付职工薪酬", 0, total);
    gen_emit(c, &v);
    c->salary_due += total;
}

static void depreciation(gen_ctx *c, int32_t day)
{
    int lines = 2 + (int)below(c, 2);
    if (!gen_can_emit(c, lines))
        return;
    int64_t a = c->dep_base * (95 + (int64_t)below(c, 11)) / 100 + (int64_t)below(c, 100);
    gen_voucher v;
    gen_voucher_init(c, &v, day);
    gen_build_depreciation(c, &v, a, lines);
    gen_emit(c, &v);
}

static void utility(gen_ctx *c, int32_t day, const char *code, int cpi, int dlo, int dhi)
{
    int lines = c->gov ? 4 : 2;
    int64_t a = gen_payable_amount(gen_amount(c, S_UTIL, dlo, dhi));
    if (!gen_can_emit(c, lines) || !exp_room(c, day, &a) || !gen_cp_admit(&c->cp[cpi], day, a))
        return;
    gen_voucher v;
    gen_voucher_init(c, &v, day);
    gen_build_exp_payment(c, &v, find_exp(c, code), cpi, a, c->gov ? A_QUOTA : A_BANK, "网银");
    gen_emit(c, &v);
}

static void tax_pay(gen_ctx *c, int32_t day)
{
    int64_t a = gen_payable_amount(c->tax_due);
    if (a < YUAN(10) || !gen_can_emit(c, 2) || !gen_cp_admit(&c->cp[c->cp_tax], day, a))
        return;
    gen_voucher v;
    gen_voucher_init(c, &v, day);
    set_summary(&v, "缴纳#月增值税", month_of(day) == 1 ? 12 : month_of(day) - 1);
    pay_from_bank(c, &v, "222101", "应交税费-应交增值税", a, c->cp_tax, NULL, "网银", "自有资金");
    gen_emit(c, &v);
    c->tax_due -= a;
}

static void bank_fee(gen_ctx *c, int32_t day)
{
    int64_t a = gen_amount(c, S_FEE, 1, 2);
    if (!gen_can_emit(c, 2) || !exp_room(c, day, &a))
        return;
    gen_voucher v;
    gen_voucher_init(c, &v, day);
    set_summary(&v, "支付#月银行手续费", month_of(day));
    pay_from_bank(c, &v, "660301", "财务费用-手续费", a, c->cp_bank, NULL, "网银", "自有资金");
    gen_emit(c, &v);
}

void gen_scheduled(gen_ctx *c, int32_t day, int wd_index, bool last_wd)
{
    int month = month_of(day);
    if (c->gov && wd_index == 0)
        quota_receipt(c, day);
    if (wd_index >= 5 && c->salary_due > 0)
        salary_pay(c, day);
    if (wd_index == 8) {
        if (c->gov) {
            utility(c, day, "30205", c->cp_water, 3, 3);
            utility(c, day, "30206", c->cp_power, 3, 4);
            utility(c, day, "30207", c->cp_tel, 2, 3);
        } else {
            utility(c, day, "660211", c->cp_power, 3, 4);
            utility(c, day, "660212", c->cp_tel, 2, 3);
        }
    }
    if (!c->gov && wd_index >= 10 && c->tax_due > 0 && c->tax_month != month) {
        int64_t before = c->tax_due;
        tax_pay(c, day);
        if (c->tax_due != before)
            c->tax_month = month;
    }
    if (last_wd) {
        salary_accrue(c, day);
        depreciation(c, day);
        if (!c->gov)
            bank_fee(c, day);
    }
}

/* ---- ordinary vouchers ---- */

enum {
    T_G_EXP,
    T_G_EXP_BANK,
    T_G_CASH,
    T_G_ASSET,
    T_G_ACCRUE,
    T_G_DEPOSIT,
    T_G_REVENUE,
    T_G_PERSON,
    T_E_SALE,
    T_E_COST,
    T_E_EXP,
    T_E_EXP_OMF,
    T_E_CASH,
    T_E_ASSET,
    T_E_DEPOSIT,
    T_E_BIDIN,
    T_E_PERSON,
    T_SPIKE,
    T_COUNT
};

static int t_exp(gen_ctx *c, int32_t day, int k, int64_t a, const char *pay, int cat)
{
    int lines = c->gov ? 4 : 2;
    if (!gen_can_emit(c, lines) || !exp_room(c, day, &a))
        return 0;
    int cpi = gen_pick_cp(c, cat, day, a);
    if (cpi < 0)
        return 0;
    gen_voucher v;
    gen_voucher_init(c, &v, day);
    gen_build_exp_payment(c, &v, k, cpi, a, pay, NULL);
    gen_emit(c, &v);
    return lines;
}

static int t_exp_random(gen_ctx *c, int32_t day, const char *pay, int dmax)
{
    int k = pick_exp(c);
    const gen_exp *e = exp_kind(c, k);
    int dhi = e->dhi < dmax ? e->dhi : dmax;
    int dlo = e->dlo < dhi ? e->dlo : dhi;
    int64_t a = gen_payable_amount(gen_amount(c, k, dlo, dhi));
    return t_exp(c, day, k, a, pay, e->cat);
}

static int t_cash(gen_ctx *c, int32_t day)
{
    static const char *const gov_codes[] = {"30201", "30239", "30299"};
    static const char *const ent_codes[] = {"660202", "660203", "660209"};
    int k = find_exp(c, c->gov ? gov_codes[below(c, 3)] : ent_codes[below(c, 3)]);
    int64_t a = gen_amount(c, S_CASH, 1, 2);
    if (a > YUAN(999))
        a = YUAN(999) + (int64_t)below(c, 100);
    int cat = chance(c, 30) ? CAT_PERSON : exp_kind(c, k)->cat;
    return t_exp(c, day, k, a, A_CASH, cat);
}

static int t_person(gen_ctx *c, int32_t day)
{
    int lines = c->gov ? 4 : 2;
    int k = find_exp(c, c->gov ? "30226" : "660104");
    int64_t a = gen_payable_amount(gen_amount(c, S_PERSON, 2, 3));
    if (!gen_can_emit(c, lines) || !exp_room(c, day, &a))
        return 0;
    int cpi = gen_pick_cp(c, CAT_PERSON, day, a);
    if (cpi < 0)
        return 0;
    gen_voucher v;
    gen_voucher_init(c, &v, day);
    static const char *const what[] = {"支付专家评审费", "支付讲课费", "支付临时用工劳务费"};
    set_summary2(&v, what[below(c, 3)], NULL);
    gen_build_exp_payment(c, &v, k, cpi, a, c->gov ? A_QUOTA : A_BANK, NULL);
    gen_emit(c, &v);
    return lines;
}

static int t_asset(gen_ctx *c, int32_t day)
{
    int lines = c->gov ? 4 : 2;
    int64_t a = gen_payable_amount(gen_amount(c, S_ASSET, 3, 5));
    if (!gen_can_emit(c, lines))
        return 0;
    int cpi = gen_pick_cp(c, CAT_EQUIP, day, a);
    if (cpi < 0)
        return 0;
    gen_voucher v;
    gen_voucher_init(c, &v, day);
    static const char *const what[] = {"购置办公设备", "购置计算机及打印机", "购置专用设备",
                                       "购置办公家具"};
    int w = (int)below(c, 4);
    set_summary2(&v, what[w], NULL);
    gen_bill_no(c, v.bill, sizeof v.bill);
    const char *cpn = c->cp[cpi].name;
    const char *d = dept(c);
    const char *pay = c->gov ? A_QUOTA : A_BANK;
    gen_line *l = add(&v, "1601", "固定资产", a, 0);
    l->cp = cpn;
    l->dept = d;
    l->bill = v.bill;
    l = add(&v, pay, pay_name(pay), 0, a);
    l->cp = cpn;
    l->cpi = cpi;
    l->bill = v.bill;
    l->settle = pick_settle(c, pay, 0);
    l->fund = c->gov ? "一般公共预算资金" : "自有资金";
    if (c->gov) {
        const char *econ = w == 2 ? "31003" : "31002";
        l = add(&v, c->admin ? "7101" : "7201", c->admin ? "行政支出" : "事业支出", a, 0);
        l->dept = d;
        l->project = c->projects[below(c, (size_t)c->n_projects)];
        l->func = c->admin ? c->sector->admin_mgmt : c->sector->inst_run;
        l->econ = econ;
        l->fund = "一般公共预算资金";
        l = add(&v, "800101", "资金结存-零余额账户用款额度", 0, a);
        l->fund = "一般公共预算资金";
    }
    gen_emit(c, &v);
    return lines;
}

static int t_accrue(gen_ctx *c, int32_t day)
{
    if (!pend_room(c) || !gen_can_emit(c, 2))
        return 0;
    int k = pick_exp(c);
    const gen_exp *e = exp_kind(c, k);
    int64_t a = gen_payable_amount(gen_amount(c, S_ACCRUE, e->dlo, e->dhi));
    if (!exp_room(c, day, &a))
        return 0;
    int cpi = any_cp(c, e->cat);
    if (cpi < 0)
        return 0;
    gen_voucher v;
    gen_voucher_init(c, &v, day);
    set_summary2(&v, "确认应付", c->gov ? e->econ_name : strchr(e->acct_name, '-') + 1);
    const char *cpn = c->cp[cpi].name;
    gen_line *l;
    if (c->gov) {
        l = add(&v, "500102", "业务活动费用-商品和服务费用", a, 0);
        l->func = basic_func(c);
        l->econ = e->econ;
        l->project = c->basic_proj[1];
    } else {
        l = add(&v, e->acct, e->acct_name, a, 0);
    }
    l->cp = cpn;
    l->dept = dept(c);
    l = add(&v, c->gov ? "2302" : "2202", "应付账款", 0, a);
    l->cp = cpn;
    gen_emit(c, &v);
    pend_push(c, c->gov ? PEND_GOV_PAYABLE : PEND_ENT_PAYABLE, day + 10 + (int32_t)below(c, 36),
              cpi, a, k);
    return 2;
}

static int t_deposit(gen_ctx *c, int32_t day)
{
    int32_t last = ag_date_to_days((ag_date){c->year, 12, 20});
    if (day > last - 20 || !pend_room(c) || !gen_can_emit(c, 4))
        return 0;
    static const int cats[] = {CAT_BUILD, CAT_CONSULT, CAT_PROPERTY};
    int64_t a = gen_payable_amount(gen_amount(c, S_DEPOSIT, 3, 5));
    int cpi = gen_pick_cp(c, cats[below(c, 3)], day, a);
    if (cpi < 0)
        return 0;
    gen_voucher v;
    gen_voucher_init(c, &v, day);
    gen_build_receivable(c, &v, cpi, a);
    gen_emit(c, &v);
    int32_t due = day + 10 + (int32_t)below(c, 51);
    if (due > last)
        due = last;
    pend_push(c, PEND_DEPOSIT, due, cpi, a, -1);
    c->reserved += 2;
    return 2;
}

static int t_revenue(gen_ctx *c, int32_t day)
{
    if (!gen_can_emit(c, 4))
        return 0;
    int64_t a = gen_amount(c, S_REV, 2, 5);
    int cpi = any_cp(c, chance(c, 30) ? CAT_PERSON : CAT_CUSTOMER);
    gen_voucher v;
    gen_voucher_init(c, &v, day);
    static const char *const what[] = {"收到技术服务费", "收取培训费", "收到检测服务费",
                                       "收到场地使用费"};
    set_summary2(&v, what[below(c, 4)], NULL);
    const char *cpn = cpi >= 0 ? c->cp[cpi].name : NULL;
    gen_line *l = add(&v, A_BANK, "银行存款", a, 0);
    l->cp = cpn;
    l->settle = "转账";
    l->fund = "单位资金";
    l = add(&v, "4101", "事业收入", 0, a);
    l->cp = cpn;
    l->func = c->sector->inst_run;
    l->fund = "单位资金";
    l = add(&v, "800102", "资金结存-货币资金", a, 0);
    l->fund = "单位资金";
    l = add(&v, "6101", "事业预算收入", 0, a);
    l->func = c->sector->inst_run;
    l->fund = "单位资金";
    gen_emit(c, &v);
    return 4;
}

static int t_sale(gen_ctx *c, int32_t day)
{
    if (!gen_can_emit(c, 3))
        return 0;
    /* The gross amount is drawn: it appears on three lines (the receivable
     * and, later, the collection), the net and the tax on one each. */
    int64_t gross = gen_amount(c, S_SALE, 3, 5);
    int64_t net = (gross * 100 + (100 + c->vat_pct) / 2) / (100 + c->vat_pct);
    int64_t tax = gross - net;
    int cpi = any_cp(c, CAT_CUSTOMER);
    if (cpi < 0)
        return 0;
    gen_voucher v;
    gen_voucher_init(c, &v, day);
    static const char *const what[] = {"确认物业服务收入", "确认工程结算收入", "确认租赁收入",
                                       "确认销售收入"};
    set_summary2(&v, what[below(c, 4)], NULL);
    gen_bill_no(c, v.bill, sizeof v.bill);
    const char *cpn = c->cp[cpi].name;
    gen_line *l = add(&v, "1122", "应收账款", gross, 0);
    l->cp = cpn;
    l->bill = v.bill;
    l = add(&v, "6001", "主营业务收入", 0, net);
    l->cp = cpn;
    l->dept = c->depts[3];
    l->project = maybe_project(c, 40);
    l = add(&v, "222101", "应交税费-应交增值税", 0, tax);
    gen_emit(c, &v);
    c->tax_due += tax;
    if (pend_room(c))
        pend_push(c, PEND_COLLECT, day + 15 + (int32_t)below(c, 61), cpi, gross, -1);
    return 3;
}

static int t_cost(gen_ctx *c, int32_t day)
{
    if (!pend_room(c) || !gen_can_emit(c, 2))
        return 0;
    int64_t a = gen_payable_amount(gen_amount(c, S_COST, 3, 5));
    if (!exp_room(c, day, &a))
        return 0;
    int cpi = any_cp(c, chance(c, 50) ? CAT_TRADE : CAT_BUILD);
    if (cpi < 0)
        return 0;
    gen_voucher v;
    gen_voucher_init(c, &v, day);
    static const char *const what[] = {"结转工程成本", "确认采购成本", "确认分包成本"};
    set_summary2(&v, what[below(c, 3)], NULL);
    const char *cpn = c->cp[cpi].name;
    gen_line *l = add(&v, "6401", "主营业务成本", a, 0);
    l->cp = cpn;
    l->dept = c->depts[2];
    l->project = maybe_project(c, 50);
    l = add(&v, "2202", "应付账款", 0, a);
    l->cp = cpn;
    gen_emit(c, &v);
    pend_push(c, PEND_ENT_PAYABLE, day + 10 + (int32_t)below(c, 51), cpi, a, -1);
    return 2;
}

static int t_bid_in(gen_ctx *c, int32_t day)
{
    if (!pend_room(c) || !gen_can_emit(c, 2))
        return 0;
    int64_t a = gen_payable_amount(gen_amount(c, S_BID, 3, 5));
    int cpi = any_cp(c, chance(c, 50) ? CAT_BUILD : CAT_TRADE);
    if (cpi < 0)
        return 0;
    gen_voucher v;
    gen_voucher_init(c, &v, day);
    set_summary2(&v, "收到投标保证金", NULL);
    const char *cpn = c->cp[cpi].name;
    gen_line *l = add(&v, A_BANK, "银行存款", a, 0);
    l->cp = cpn;
    l->settle = "转账";
    l->fund = "自有资金";
    l = add(&v, "2241", "其他应付款", 0, a);
    l->cp = cpn;
    gen_emit(c, &v);
    pend_push(c, PEND_BID_REFUND, day + 15 + (int32_t)below(c, 46), cpi, a, -1);
    return 2;
}

static int t_spike(gen_ctx *c, int32_t day)
{
    static const char *const gov_codes[] = {"30213", "30227", "30226", "30209"};
    static const char *const ent_codes[] = {"660207", "660208", "660210", "660104"};
    int k = find_exp(c, c->gov ? gov_codes[below(c, 4)] : ent_codes[below(c, 4)]);
    int64_t a = gen_payable_amount(gen_amount(c, S_SPIKE, 4, 5));
    return t_exp(c, day, k, a, c->gov ? A_QUOTA : A_BANK, exp_kind(c, k)->cat);
}

/* How often each template is drawn, per kind of unit: a government
 * administration (行政单位), another government unit, an enterprise.
 * T_SPIKE is never drawn. */
enum { W_ADMIN, W_GOV, W_ENT };
static const unsigned char weights[T_COUNT][3] = {
    [T_G_EXP] = {46, 46, 0},   [T_G_EXP_BANK] = {4, 14, 0}, [T_G_CASH] = {4, 4, 0},
    [T_G_ASSET] = {4, 4, 0},   [T_G_ACCRUE] = {5, 5, 0},    [T_G_DEPOSIT] = {3, 3, 0},
    [T_G_REVENUE] = {0, 8, 0}, [T_G_PERSON] = {3, 3, 0},    [T_E_SALE] = {0, 0, 18},
    [T_E_COST] = {0, 0, 14},   [T_E_EXP] = {0, 0, 28},      [T_E_EXP_OMF] = {0, 0, 4},
    [T_E_CASH] = {0, 0, 4},    [T_E_ASSET] = {0, 0, 3},     [T_E_DEPOSIT] = {0, 0, 3},
    [T_E_BIDIN] = {0, 0, 2},   [T_E_PERSON] = {0, 0, 2},
};

static int weight(const gen_ctx *c, int t)
{
    return weights[t][c->gov ? (c->admin ? W_ADMIN : W_GOV) : W_ENT];
}

static int run_template(gen_ctx *c, int t, int32_t day)
{
    switch (t) {
    case T_G_EXP:
        return t_exp_random(c, day, A_QUOTA, 9);
    case T_G_EXP_BANK:
        return t_exp_random(c, day, A_BANK, 9);
    case T_G_CASH:
    case T_E_CASH:
        return t_cash(c, day);
    case T_G_ASSET:
    case T_E_ASSET:
        return t_asset(c, day);
    case T_G_ACCRUE:
        return t_accrue(c, day);
    case T_G_DEPOSIT:
    case T_E_DEPOSIT:
        return t_deposit(c, day);
    case T_G_REVENUE:
        return t_revenue(c, day);
    case T_G_PERSON:
    case T_E_PERSON:
        return t_person(c, day);
    case T_E_SALE:
        return t_sale(c, day);
    case T_E_COST:
        return chance(c, 30) ? t_accrue(c, day) : t_cost(c, day);
    case T_E_EXP:
        return t_exp_random(c, day, A_BANK, 9);
    case T_E_EXP_OMF:
        return t_exp_random(c, day, A_OMF, 3);
    case T_E_BIDIN:
        return t_bid_in(c, day);
    case T_SPIKE:
        return t_spike(c, day);
    default:
        return 0;
    }
}

int gen_normal(gen_ctx *c, int32_t day)
{
    if (c->spike && month_of(day) == 12 && c->exp_month[12] < c->spike_goal && chance(c, 70)) {
        int r = t_spike(c, day);
        if (r)
            return r;
    }
    int total = 0;
    for (int t = 0; t < T_COUNT; t++)
        total += weight(c, t);
    for (int attempt = 0; attempt < 6; attempt++) {
        int r = (int)below(c, (size_t)total);
        int t = 0;
        for (; t < T_COUNT; t++) {
            r -= weight(c, t);
            if (r < 0)
                break;
        }
        int n = run_template(c, t, day);
        if (n)
            return n;
    }
    /* Nothing fitted (December cap, busy payees): a receipt or an asset. */
    return c->gov ? (c->admin ? t_asset(c, day) : t_revenue(c, day)) : t_sale(c, day);
}

/* A voucher of exactly 2 or 3 lines that is neither an expense nor a
 * payment: a fixed asset bought on credit. */
static void filler(gen_ctx *c, int32_t day, int lines)
{
    gen_voucher v;
    gen_voucher_init(c, &v, day);
    int64_t a = gen_payable_amount(gen_amount(c, S_FILL, 3, 4));
    int cpi = any_cp(c, CAT_EQUIP);
    const char *cpn = cpi >= 0 ? c->cp[cpi].name : NULL;
    set_summary2(&v, "购入固定资产，款项未付", NULL);
    gen_bill_no(c, v.bill, sizeof v.bill);
    int64_t a1 = lines == 3 ? a * 7 / 10 : a;
    gen_line *l = add(&v, "1601", "固定资产", a1, 0);
    l->cp = cpn;
    l->bill = v.bill;
    l->dept = dept(c);
    if (lines == 3) {
        if (c->gov) {
            l = add(&v, "1601", "固定资产", a - a1, 0);
            l->dept = dept(c);
        } else {
            l = add(&v, "222101", "应交税费-应交增值税", a - a1, 0);
        }
        l->cp = cpn;
        l->bill = v.bill;
    }
    l = add(&v, c->gov ? "2302" : "2202", "应付账款", 0, a);
    l->cp = cpn;
    gen_emit(c, &v);
}

void gen_fill(gen_ctx *c, int32_t day)
{
    while (c->left - c->reserved >= 8) {
        if (!gen_normal(c, day))
            break;
    }
    while (c->left - c->reserved >= 2) {
        int64_t r = c->left - c->reserved;
        filler(c, day, r % 2 ? 3 : 2);
    }
}

/* ---- unit and year set-up ---- */

void gen_book_year_init(gen_ctx *c)
{
    for (int b = 10; b < 100; b++)
        c->benford[b] = log10(1.0 + 1.0 / b);
    memset(c->dig_all, 0, sizeof c->dig_all);
    memset(c->dig_pay, 0, sizeof c->dig_pay);
    c->n_all = c->n_pay = 0;
}
