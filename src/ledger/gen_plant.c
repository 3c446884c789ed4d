/* gen_plant.c - planted irregularities: their schedule, their vouchers, their ground truth. */
#include "ledger/gen_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/date.h"
#include "util/money.h"
#include "util/banned.h"

static const char *const RULE[PL_NKINDS] = {
    [PL_DUP] = "dup_payment",
    [PL_SPLIT] = "split_payment",
    [PL_NEAR] = "near_threshold",
    [PL_CASH] = "cash_over_limit",
    [PL_SAME_MR] = "same_maker_reviewer",
    [PL_NONWORK] = "nonworking_day",
    [PL_UNBAL] = "unbalanced_voucher",
    [PL_GAP] = "voucher_gap",
    [PL_LARGE] = "large_no_decision",
    [PL_ROUND] = "round_amount",
    [PL_STAFF] = "payee_is_staff",
    [PL_AGING] = "receivable_aging",
};
static const char *const ITEM[PL_NKINDS] = {
    [PL_DUP] = "F03",     [PL_SPLIT] = "F12",  [PL_NEAR] = "F03",  [PL_CASH] = "F02",
    [PL_SAME_MR] = "F04", [PL_NONWORK] = "K7", [PL_UNBAL] = "K2",  [PL_GAP] = "K7",
    [PL_LARGE] = "K3",    [PL_ROUND] = "K2",   [PL_STAFF] = "F03", [PL_AGING] = "F07",
};

const char *gen_rule_name(int kind)
{
    return RULE[kind];
}

const char *gen_rule_item(int kind)
{
    return ITEM[kind];
}

static size_t below(gen_ctx *c, size_t n)
{
    return n ? (size_t)ag_rng_below(&c->rng, n) : 0;
}

/* A log-uniform amount in [lo, hi) yuan, whole yuan half of the time. */
static int64_t loguni(gen_ctx *c, double lo, double hi)
{
    double y = lo * pow(hi / lo, ag_rng_unit(&c->rng));
    int64_t fen = below(c, 2) ? (int64_t)llround(y) * 100 : (int64_t)llround(y * 100.0);
    return fen;
}

static int workdays_in(gen_ctx *c, int year, int month)
{
    int n = 0;
    for (int d = 1; d <= ag_days_in_month(year, month); d++) {
        if (calendar_is_workday(c->cal, ag_date_to_days((ag_date){year, month, d})))
            n++;
    }
    return n;
}

static int32_t nth_workday(gen_ctx *c, int year, int month, int idx)
{
    int32_t last = 0;
    for (int d = 1; d <= ag_days_in_month(year, month); d++) {
        int32_t day = ag_date_to_days((ag_date){year, month, d});
        if (calendar_is_workday(c->cal, day)) {
            last = day;
            if (idx-- == 0)
                return day;
        }
    }
    return last;
}

static int32_t workday_on_or_after(gen_ctx *c, int32_t d)
{
    while (!calendar_is_workday(c->cal, d))
        d++;
    return d;
}

static int32_t nonworking_day(gen_ctx *c, int year, int month)
{
    int32_t days[31], hol[31];
    int n = 0, nh = 0;
    for (int d = 1; d <= ag_days_in_month(year, month); d++) {
        int32_t day = ag_date_to_days((ag_date){year, month, d});
        ag_day_kind k = calendar_kind(c->cal, day, NULL);
        if (k == AG_DAY_WEEKEND || k == AG_DAY_HOLIDAY)
            days[n++] = day;
        if (k == AG_DAY_HOLIDAY)
            hol[nh++] = day;
    }
    if (nh && below(c, 2))
        return hol[below(c, (size_t)nh)];
    return days[below(c, (size_t)n)];
}

static int plant_cp(gen_ctx *c)
{
    size_t i = c->cat_off[CAT_PLANT] + c->plant_next++ % c->cat_n[CAT_PLANT];
    return (int)i;
}

static gen_plant *add_event(gen_ctx *c, int kind, int32_t date, int64_t case_id, int step,
                            int steps)
{
    if (c->n_plants == GEN_MAX_PLANT)
        return NULL;
    gen_plant *p = &c->plants[c->n_plants++];
    memset(p, 0, sizeof *p);
    p->kind = kind;
    p->date = date;
    p->case_id = case_id;
    p->step = step;
    p->steps = steps;
    p->cp = -1;
    p->k = -1;
    return p;
}

static int64_t safe(int64_t a)
{
    if (a >= YUAN(10000) && a % YUAN(10000) == 0)
        a += 100;
    return a;
}

static int code_k(gen_ctx *c, const char *gov, const char *ent)
{
    const char *code = c->gov ? gov : ent;
    size_t n = c->gov ? gen_gov_exp_n : gen_ent_exp_n;
    for (size_t k = 0; k < n; k++) {
        const gen_exp *e = c->gov ? &gen_gov_exp[k] : &gen_ent_exp[k];
        if (!strcmp(c->gov ? e->econ : e->acct, code))
            return (int)k;
    }
    abort(); /* the tables name every code used here */
}

static void schedule_one(gen_ctx *c, int kind, int month)
{
    int y = c->year;
    int nwd = workdays_in(c, y, month);
    if (nwd < 3)
        return;
    int64_t id = ++c->case_seq;
    gen_plant *p;
    switch (kind) {
    case PL_DUP: {
        /* variant 0: the same invoice paid twice, weeks apart; variant 1: a
         * second payment of the same amount within a few days. */
        int variant = (int)below(c, 2);
        int32_t d1 = nth_workday(c, y, month, (int)below(c, (size_t)(nwd / 2)));
        int32_t d2 = workday_on_or_after(
            c, d1 + (variant ? 1 + (int32_t)below(c, 4) : 9 + (int32_t)below(c, 10)));
        if (d2 - d1 > (variant ? 6 : 25))
            d2 = workday_on_or_after(c, d1 + 1);
        if (variant && d2 - d1 > 6)
            return;
        int cp = plant_cp(c);
        int k = code_k(c, below(c, 2) ? "30201" : "30213", below(c, 2) ? "660202" : "660208");
        int64_t a = gen_payable_amount(loguni(c, 5000, 300000));
        if (a < YUAN(1000))
            a = YUAN(1000) + 100;
        char bill[28];
        gen_bill_no(c, bill, sizeof bill);
        for (int s = 0; s < 2; s++) {
            p = add_event(c, kind, s ? d2 : d1, id, s, 2);
            if (!p)
                return;
            p->cp = cp;
            p->k = k;
            p->amount = a;
            p->variant = variant;
            if (!variant)
                snprintf(p->bill, sizeof p->bill, "%s", bill);
        }
        return;
    }
    case PL_SPLIT: {
        int32_t d = nth_workday(c, y, month, (int)below(c, (size_t)(nwd / 3)));
        int cp = plant_cp(c);
        int k = code_k(c, "30213", "660208");
        int64_t prev = 0, total = 0;
        int64_t amt[3];
        for (int s = 0; s < 3; s++) {
            int64_t a;
            do {
                a = safe(loguni(c, 340000, 470000));
            } while (a == prev);
            amt[s] = a;
            prev = a;
            total += a;
        }
        for (int s = 0; s < 3; s++) {
            p = add_event(c, kind, d, id, s, 3);
            if (!p)
                return;
            p->cp = cp;
            p->k = k;
            p->amount = amt[s];
            p->total = total;
            d = workday_on_or_after(c, d + 3 + (int32_t)below(c, 5));
        }
        return;
    }
    case PL_NEAR: {
        static const int64_t t[4] = {50000, 100000, 500000, 1000000};
        int64_t th = t[below(c, 4)];
        int64_t lo = YUAN(th) / 100 * 95, span = YUAN(th) / 100 * 5;
        int64_t a = lo + (int64_t)below(c, (size_t)span);
        if (below(c, 2))
            a = a / 100 * 100;
        if (a < lo)
            a = lo;
        a = safe(a);
        p = add_event(c, kind, nth_workday(c, y, month, (int)below(c, (size_t)nwd)), id, 0, 1);
        if (!p)
            return;
        p->cp = plant_cp(c);
        p->k = code_k(c, th >= 500000 ? "30227" : "30213", th >= 500000 ? "660207" : "660208");
        p->amount = a;
        p->total = YUAN(th);
        return;
    }
    case PL_CASH:
    case PL_LARGE:
    case PL_ROUND:
    case PL_STAFF:
    case PL_AGING:
    case PL_SAME_MR:
    case PL_UNBAL: {
        p = add_event(c, kind, nth_workday(c, y, month, (int)below(c, (size_t)nwd)), id, 0, 1);
        if (!p)
            return;
        if (kind != PL_SAME_MR && kind != PL_UNBAL && kind != PL_STAFF)
            p->cp = plant_cp(c);
        switch (kind) {
        case PL_CASH:
            p->k = code_k(c, "30201", "660202");
            p->amount = below(c, 2) ? YUAN(1200 + (int64_t)below(c, 8600))
                                    : YUAN(1200) + (int64_t)below(c, 860000);
            break;
        case PL_LARGE:
            p->k = code_k(c, "30227", "660207");
            p->amount = safe(loguni(c, 520000, 940000));
            break;
        case PL_ROUND:
            p->k = code_k(c, "30213", "660208");
            p->amount = YUAN(10000) * (2 + (int64_t)below(c, 44));
            break;
        case PL_STAFF:
            p->k = code_k(c, "30226", "660104");
            p->amount = gen_payable_amount(safe(loguni(c, 800, 20000)));
            p->variant = gen_pick_staff_other(c);
            break;
        case PL_AGING:
            p->amount = gen_payable_amount(safe(loguni(c, 20000, 300000)));
            break;
        case PL_SAME_MR:
            p->k = code_k(c, "30201", "660202");
            p->amount = gen_payable_amount(loguni(c, 200, 50000));
            break;
        default: /* PL_UNBAL */
            p->amount = YUAN(5000 + (int64_t)below(c, 75000));
            break;
        }
        return;
    }
    case PL_NONWORK:
        p = add_event(c, kind, nonworking_day(c, y, month), id, 0, 1);
        if (!p)
            return;
        p->k = code_k(c, "30201", "660202");
        p->amount = gen_payable_amount(loguni(c, 200, 50000));
        return;
    case PL_GAP:
        /* Triggered in gen_emit when the k-th voucher of the type comes. */
        c->gap_type[month] = c->gov ? 0 : (below(c, 3) ? 2 : 3);
        c->gap_k[month] = 2 + (int)below(c, 4);
        c->gap_case[month] = id;
        return;
    default:
        return;
    }
}

static int plant_cmp(const void *a, const void *b)
{
    const gen_plant *x = a, *y = b;
    if (x->date != y->date)
        return x->date < y->date ? -1 : 1;
    if (x->case_id != y->case_id)
        return x->case_id < y->case_id ? -1 : 1;
    return x->step - y->step;
}

void gen_plants_schedule(gen_ctx *c, int64_t ordinal)
{
    c->n_plants = 0;
    c->next_plant = 0;
    if (!c->plants_on)
        return;
    /* About half of the kinds per unit-year, alternating, so that any two
     * consecutive unit-years show every kind; one more at random. */
    int kinds[PL_NKINDS];
    int nk = 0;
    for (int k = 0; k < PL_AGING; k++) {
        if ((k + ordinal) % 2 == 0)
            kinds[nk++] = k;
    }
    int extra = (int)below(c, PL_AGING);
    if ((extra + ordinal) % 2 != 0 && below(c, 2))
        kinds[nk++] = extra;
    if (c->yidx < c->o->years - 1 && (c->ui + (size_t)c->yidx) % 2 == 0)
        kinds[nk++] = PL_AGING;
    int months[11];
    for (int i = 0; i < 11; i++)
        months[i] = i + 1;
    for (int i = 10; i > 0; i--) {
        int j = (int)below(c, (size_t)i + 1);
        int t = months[i];
        months[i] = months[j];
        months[j] = t;
    }
    for (int i = 0; i < nk; i++) {
        int m = months[i % 11];
        if ((kinds[i] == PL_DUP || kinds[i] == PL_SPLIT) && m > 10)
            m = 1 + (int)below(c, 10);
        if (kinds[i] == PL_GAP && c->gap_k[m])
            continue;
        schedule_one(c, kinds[i], m);
    }
    qsort(c->plants, (size_t)c->n_plants, sizeof c->plants[0], plant_cmp);
}

/* ---- ground truth ---- */

static void money(int64_t fen, char out[24])
{
    ag_money_format(fen, out);
}

static gen_plant *first_step(gen_ctx *c, const gen_plant *p)
{
    for (int i = 0; i < c->n_plants; i++) {
        if (c->plants[i].case_id == p->case_id && c->plants[i].step == 0)
            return &c->plants[i];
    }
    return NULL;
}

static void payment(gen_ctx *c, gen_voucher *v, const gen_plant *p, const char *pay,
                    const char *settle)
{
    gen_build_exp_payment(c, v, p->k, p->cp, p->amount, pay, settle);
}

void gen_plant_emit(gen_ctx *c, gen_plant *p)
{
    const char *bank = c->gov ? "1011" : "1002";
    int lines2 = c->gov ? 4 : 2;
    gen_voucher v;
    gen_voucher_init(c, &v, p->date);
    char a[24], b[24], note[400];
    money(p->amount, a);
    switch (p->kind) {
    case PL_DUP:
    case PL_SPLIT: {
        gen_plant *first = p->step ? first_step(c, p) : p;
        if (p->step == 0) {
            if (!gen_can_emit(c, lines2 * p->steps))
                return;
        } else {
            if (!first || !first->done)
                return;
            v.from_reserve = true;
        }
        if (p->bill[0])
            snprintf(v.bill, sizeof v.bill, "%s", p->bill);
        v.no_decision = p->kind == PL_SPLIT;
        payment(c, &v, p, bank, NULL);
        gen_emit(c, &v);
        if (p->step == 0) {
            c->reserved += (int64_t)lines2 * (p->steps - 1);
            c->res.planted++;
        }
        p->done = true;
        p->vtype = v.type;
        p->vno = v.no;
        if (p->kind == PL_DUP) {
            if (p->step == 0)
                snprintf(note, sizeof note, "重复支付第1笔：%s元付给%s%s", a, c->cp[p->cp].name,
                         p->variant ? "" : "（后一笔使用同一发票号）");
            else
                snprintf(note, sizeof note, "重复支付第2笔：与%s-%d金额、收款人相同%s",
                         gen_vtype_names[first->vtype], first->vno,
                         p->variant ? "，相隔不超过7天" : "，发票号相同");
        } else {
            money(p->total, b);
            snprintf(note, sizeof note, "拆分支付第%d/%d笔：30天内付给同一收款人合计%s元",
                     p->step + 1, p->steps, b);
        }
        gen_gt_row(c, p->case_id, gen_rule_name(p->kind), gen_rule_item(p->kind), &v, 1, p->amount,
                   note);
        return;
    }
    case PL_NEAR:
    case PL_LARGE:
    case PL_ROUND:
    case PL_CASH:
    case PL_STAFF: {
        if (!gen_can_emit(c, lines2))
            return;
        const char *pay = p->kind == PL_CASH ? "1001" : bank;
        if (p->kind == PL_LARGE)
            v.no_decision = true;
        if (p->kind == PL_STAFF) {
            snprintf(v.summary, sizeof v.summary, "%s", "支付劳务费");
        }
        payment(c, &v, p, pay, p->kind == PL_CASH ? "现金" : NULL);
        if (p->kind == PL_STAFF)
            v.l[0].cp = v.l[1].cp = c->staff[p->variant];
        gen_emit(c, &v);
        c->res.planted++;
        switch (p->kind) {
        case PL_NEAR:
            money(p->total, b);
            snprintf(note, sizeof note, "支付%s元，处于%s元限额的95%%至100%%之间", a, b);
            break;
        case PL_LARGE:
            snprintf(note, sizeof note, "单笔支付%s元（50万元以上）未填决策文号", a);
            break;
        case PL_ROUND:
            snprintf(note, sizeof note, "支付%s元，为1万元的整数倍", a);
            break;
        case PL_CASH:
            snprintf(note, sizeof note, "现金支付%s元，超过1000元限额", a);
            break;
        default:
            snprintf(note, sizeof note, "收款人%s是本单位职工", c->staff[p->variant]);
            break;
        }
        gen_gt_row(c, p->case_id, gen_rule_name(p->kind), gen_rule_item(p->kind), &v, 1, p->amount,
                   note);
        return;
    }
    case PL_SAME_MR:
    case PL_NONWORK: {
        if (!gen_can_emit(c, lines2))
            return;
        const gen_exp *e = c->gov ? &gen_gov_exp[p->k] : &gen_ent_exp[p->k];
        int cpi = gen_pick_cp(c, e->cat, p->date, p->amount);
        if (cpi < 0)
            return;
        int maker = c->makers[0];
        if (p->kind == PL_SAME_MR)
            v.maker = v.reviewer = c->staff[maker];
        gen_build_exp_payment(c, &v, p->k, cpi, p->amount, bank, NULL);
        gen_emit(c, &v);
        c->res.planted++;
        if (p->kind == PL_SAME_MR) {
            snprintf(note, sizeof note, "制单人与审核人均为%s", c->staff[maker]);
        } else {
            char d[11];
            ag_date_format(p->date, d);
            const char *hol = calendar_name(c->cal, p->date);
            int wd = ag_weekday(p->date);
            snprintf(note, sizeof note, "凭证日期%s为%s", d,
                     hol ? hol : (wd == 5 ? "星期六" : "星期日"));
            if (hol)
                snprintf(note + strlen(note), sizeof note - strlen(note), "%s", "假期");
        }
        gen_gt_row(c, p->case_id, gen_rule_name(p->kind), gen_rule_item(p->kind), &v, -1, p->amount,
                   note);
        return;
    }
    case PL_UNBAL: {
        if (!gen_can_emit(c, 2))
            return;
        gen_build_depreciation(c, &v, p->amount, 2);
        /* A transposition typo on the credit side. */
        int64_t y = p->amount / 100;
        int64_t d1 = y % 10, d2 = y / 10 % 10;
        int64_t cr = d1 != d2 ? (y - d1 - d2 * 10 + d2 + d1 * 10) * 100 : p->amount - YUAN(90);
        v.l[v.n - 1].credit = cr;
        gen_emit(c, &v);
        c->res.planted++;
        money(cr, b);
        char diff[24];
        money(p->amount > cr ? p->amount - cr : cr - p->amount, diff);
        snprintf(note, sizeof note, "借方合计%s元，贷方合计%s元，相差%s元", a, b, diff);
        gen_gt_row(c, p->case_id, gen_rule_name(p->kind), gen_rule_item(p->kind), &v, -1,
                   p->amount > cr ? p->amount - cr : cr - p->amount, note);
        return;
    }
    case PL_AGING: {
        if (!gen_can_emit(c, 2))
            return;
        gen_build_receivable(c, &v, p->cp, p->amount);
        gen_emit(c, &v);
        c->res.planted++;
        int32_t end = ag_date_to_days((ag_date){c->year + 1, 12, 31});
        snprintf(note, sizeof note, "其他应收款%s元（%s）未收回，至%d-12-31挂账%d天，超过365天", a,
                 c->cp[p->cp].name, c->year + 1, (int)(end - p->date));
        gen_gt_row(c, p->case_id, gen_rule_name(p->kind), gen_rule_item(p->kind), &v, 0, p->amount,
                   note);
        return;
    }
    default:
        return;
    }
}
