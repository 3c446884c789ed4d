/* gen_int.h - internals shared by the ledger generator's files; not a public API. */
#ifndef AG_LEDGER_GEN_INT_H
#define AG_LEDGER_GEN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ledger/gen.h"
#include "util/calendar.h"
#include "util/error.h"
#include "util/rng.h"

/* Money constants in fen. */
#define YUAN(x) ((int64_t)(x)*100)

#define GEN_VL        12   /* lines a voucher may have */
#define GEN_CP_WIN    32   /* recent payments remembered per counterparty */
#define GEN_CP_NAME   100  /* bytes of a counterparty name */
#define GEN_WINDOW    31   /* days: the split window kept with a day's margin */
#define GEN_DUP_DAYS  8    /* days: same amount to one payee kept this far apart */
#define GEN_PATH      4096 /* bytes of a path */
#define GEN_MAX_STAFF 48
#define GEN_MAX_DEPTS 8
#define GEN_MAX_PROJ  8
#define GEN_MAX_PLANT 40 /* planted events per unit-year */

/* ---- buffered atomic output (gen_out.c) ---- */

typedef struct gen_file {
    FILE *fp;
    char *buf;
    size_t len, cap;
    int64_t bytes;
    int failed; /* errno of the first failed write, 0 if none */
    char tmp[GEN_PATH];
    char dst[GEN_PATH];
} gen_file;

/* Opens dir/.name.tmp-<pid> for writing; commit renames it to dir/name. */
ag_err gen_file_open(gen_file *f, const char *dir, const char *name, ag_error *err);
ag_err gen_file_commit(gen_file *f, ag_error *err);
/* Closes and removes the temporary file; safe on a closed or zeroed file. */
void gen_file_abort(gen_file *f);
void gen_file_flush(gen_file *f);

static inline void gen_put(gen_file *f, const char *p, size_t n)
{
    if (f->len + n > f->cap)
        gen_file_flush(f);
    if (n > f->cap) {
        if (fwrite(p, 1, n, f->fp) != n && !f->failed)
            f->failed = 1;
        f->bytes += (int64_t)n;
        return;
    }
    memcpy(f->buf + f->len, p, n);
    f->len += n;
    f->bytes += (int64_t)n;
}

static inline void gen_putc(gen_file *f, char c)
{
    if (f->len + 1 > f->cap)
        gen_file_flush(f);
    f->buf[f->len++] = c;
    f->bytes++;
}

void gen_puts(gen_file *f, const char *s);
/* A CSV field: quoted (RFC 4180) when it holds a comma, quote or line break. */
void gen_put_field(gen_file *f, const char *s);
void gen_put_int(gen_file *f, int64_t v);
/* Fen as a plain decimal with two places ("1234.50", "0.00"). */
void gen_put_money(gen_file *f, int64_t fen);
void gen_put_date(gen_file *f, int32_t day);

/* ---- static data (gen_data.c) ---- */

/* Counterparty categories. */
enum {
    CAT_OFFICE,
    CAT_PRINT,
    CAT_PROPERTY,
    CAT_TRAVEL,
    CAT_HOTEL,
    CAT_REPAIR,
    CAT_TRAINING,
    CAT_CATERING,
    CAT_LABOUR,
    CAT_CONSULT,
    CAT_IT,
    CAT_AUTO,
    CAT_EQUIP,
    CAT_BUILD,
    CAT_TRADE,
    CAT_CUSTOMER,
    CAT_PERSON,
    CAT_PLANT, /* reserved for planted cases: never paid by clean vouchers */
    GEN_NCAT
};

/* An expense kind: an economic classification (gov) or an expense
 * sub-account (enterprise) with the payees and amounts that go with it. */
typedef struct gen_exp {
    const char *econ;      /* 302xx; NULL for enterprise */
    const char *econ_name; /* for the summary */
    const char *acct;      /* enterprise sub-account; NULL for gov */
    const char *acct_name;
    int cat;
    int dlo, dhi;        /* decades of the amount in yuan: 10^dlo .. 10^(dhi+1) */
    int card_pct;        /* share paid by 公务卡 (gov) */
    int weight;          /* relative frequency */
    const char *s1, *s2; /* summary patterns; %d is the month when present */
} gen_exp;

extern const gen_exp gen_gov_exp[];
extern const size_t gen_gov_exp_n;
extern const gen_exp gen_ent_exp[];
extern const size_t gen_ent_exp_n;

extern const char *const gen_surnames[];
extern const size_t gen_surnames_n;
extern const char *const gen_staff_given[];
extern const size_t gen_staff_given_n;
extern const char *const gen_person_given[];
extern const size_t gen_person_given_n;

/* The sector of a gov unit: function classifications. */
typedef struct gen_sector {
    const char *keywords[6];
    const char *admin_run;  /* 行政运行 */
    const char *admin_mgmt; /* 一般行政管理事务 */
    const char *inst_run;   /* 事业运行 or the institution's own item */
    const char *projects[5];
} gen_sector;
extern const gen_sector gen_sectors[];
extern const size_t gen_sectors_n;

/* Writes the i-th distinct company name of category cat (0 <= i <
 * gen_company_capacity(cat)) into out, varied by `salt`. */
size_t gen_company_capacity(int cat);
void gen_company_name(int cat, size_t i, unsigned salt, char *out, size_t n);

/* ---- the generator state (gen.c, gen_book.c) ---- */

typedef struct gen_cp {
    char name[GEN_CP_NAME];
    unsigned char cat;
    unsigned char n; /* entries in d[] / a[] */
    int32_t d[GEN_CP_WIN];
    int64_t a[GEN_CP_WIN];
} gen_cp;

typedef struct gen_line {
    const char *acct, *acct_name;
    int64_t debit, credit;
    const char *cp, *dept, *project, *func, *econ, *fund, *decision, *bill, *settle;
    int cpi; /* counterparty index for payment bookkeeping, -1 if none */
} gen_line;

typedef struct gen_voucher {
    int32_t date;
    int type; /* index into gen_vtype_names */
    int no;
    int n;
    gen_line l[GEN_VL];
    char summary[200];
    char bill[28];
    char decision[64];
    const char *maker, *reviewer, *poster, *cashier;
    bool no_decision;  /* planted: leave large payments without a decision */
    bool from_reserve; /* its lines were reserved earlier (see gen_ctx.reserved) */
} gen_voucher;

extern const char *const gen_vtype_names[4]; /* 记 收 付 转 */

/* A deferred settlement (a payable to pay, a deposit to get back, ...). */
typedef struct gen_pend {
    int32_t due;
    uint32_t seq;
    int kind;
    int cp;
    int64_t amount;
    int econ; /* index of the expense kind, or -1 */
} gen_pend;

typedef struct gen_heap {
    gen_pend *v;
    size_t n, cap;
} gen_heap;

enum { PEND_GOV_PAYABLE, PEND_DEPOSIT, PEND_ENT_PAYABLE, PEND_COLLECT, PEND_BID_REFUND };

/* Planted events. */
enum {
    PL_DUP,
    PL_SPLIT,
    PL_NEAR,
    PL_CASH,
    PL_SAME_MR,
    PL_NONWORK,
    PL_UNBAL,
    PL_GAP,
    PL_LARGE,
    PL_ROUND,
    PL_STAFF,
    PL_AGING,
    PL_NKINDS
};

typedef struct gen_plant {
    int32_t date;
    int kind;
    int step, steps; /* which voucher of a multi-voucher case */
    int64_t case_id;
    int cp;
    int64_t amount;
    int64_t total; /* split: the case total; near: the threshold */
    int variant;
    int k; /* expense kind, -1 if none */
    bool done;
    int vtype, vno; /* the voucher written for this step */
    char bill[28];
} gen_plant;

typedef struct gen_ctx {
    /* run */
    const ag_gen_opts *o;
    ag_calendar *cal;
    gen_file gt;      /* ground_truth.csv, open during the run */
    gen_file staff_f; /* staff.csv, open during the run */
    int64_t case_seq;
    ag_gen_result res;

    /* unit */
    const ag_gen_unit *u;
    size_t ui;
    bool gov, admin;
    const gen_sector *sector;
    ag_rng rng;
    char staff[GEN_MAX_STAFF][16];
    const char *staff_role[GEN_MAX_STAFF];
    int n_staff;
    int makers[3], n_makers, reviewers[2], n_reviewers, poster, cashiers[2], n_cashiers;
    const char *depts[GEN_MAX_DEPTS];
    int n_depts;
    int64_t salary_base; /* monthly, fen */
    gen_cp *cp;
    size_t n_cp, cap_cp;
    size_t cat_off[GEN_NCAT], cat_n[GEN_NCAT];
    size_t plant_next;
    int cp_finance, cp_salary, cp_tax, cp_bank, cp_water, cp_power, cp_tel;
    gen_heap pend;
    uint32_t pend_seq;
    int64_t salary_due; /* accrued, paid next month */
    int64_t tax_due;    /* enterprise output VAT not yet paid */
    int tax_month;      /* month the VAT was last paid in */
    int vat_pct;        /* enterprise VAT rate, percent */
    uint64_t bill_seq;
    int64_t lines_per_year; /* rough, to size pools */

    /* unit-year */
    int year, yidx;
    gen_file f;
    char prefix[64]; /* "unit_code,year," */
    size_t prefix_len;
    char projects[GEN_MAX_PROJ][72];
    int n_projects;
    char basic_proj[2][48];
    /* Lines: the year's target, those still to write, and those promised
     * to vouchers that must still come (deposits to get back, later steps
     * of planted cases); an ordinary voucher never eats into them. */
    int64_t target, left, reserved;
    int counters[13][4];
    int64_t exp_month[13];
    int64_t exp_total;
    bool spike;                         /* a planted December spike this year */
    int64_t spike_goal;                 /* December expense debits to reach, fen */
    int64_t dig_all[100], dig_pay[100]; /* lines by first two digits, this year */
    int64_t n_all, n_pay;
    double benford[100]; /* Benford share of each first-two-digit pair */
    gen_plant plants[GEN_MAX_PLANT];
    int n_plants, next_plant;
    int gap_type[13], gap_k[13];
    int64_t gap_case[13];
    bool plants_on;
    double wday[367]; /* weight of each working day, by day of year */
    double wsum_left; /* weight of the remaining working days */
    int64_t dep_base; /* monthly depreciation, fen */
    int64_t dec_room; /* December cap on ordinary expense debits, fen */
    int64_t pend_cap; /* most deferred items kept */
    int32_t jan1;
} gen_ctx;

/* gen_book.c */
void gen_book_year_init(gen_ctx *c);
/* A random amount in fen of 10^dlo .. 10^(dhi+1) yuan; kind tells whether
 * it will be paid (see gen_book.c). */
int64_t gen_amount(gen_ctx *c, int kind, int dlo, int dhi);
void gen_digits_count(gen_ctx *c, int64_t fen, bool payment);
int64_t gen_payable_amount(int64_t fen);
bool gen_cp_admit(const gen_cp *cp, int32_t day, int64_t amount);
void gen_cp_record(gen_cp *cp, int32_t day, int64_t amount);
int gen_pick_cp(gen_ctx *c, int cat, int32_t day, int64_t amount);
bool gen_can_emit(const gen_ctx *c, int lines);
/* Numbers, writes and accounts for a voucher; returns the voucher number. */
int gen_emit(gen_ctx *c, gen_voucher *v);
void gen_voucher_init(gen_ctx *c, gen_voucher *v, int32_t date);
/* Scheduled vouchers of a working day (quota, salaries, utilities, month end). */
void gen_scheduled(gen_ctx *c, int32_t day, int wd_index, bool last_wd);
/* Settles due deferred items; returns lines written. */
int64_t gen_settle_due(gen_ctx *c, int32_t day, int64_t budget, bool force);
/* One ordinary voucher; returns lines written (0 when none fitted). */
int gen_normal(gen_ctx *c, int32_t day);
/* Exact fill of the remaining lines on the last working day of the year. */
void gen_fill(gen_ctx *c, int32_t day);
bool gen_is_payment_acct(const gen_ctx *c, const char *acct);
bool gen_is_expense_acct(const gen_ctx *c, const char *acct);
void gen_decision_ref(gen_ctx *c, int32_t day, int64_t amount, char *out, size_t n);
void gen_bill_no(gen_ctx *c, char *out, size_t n);
int gen_pick_staff_other(gen_ctx *c);
/* Builds an expense payment: expense kind k, paid from pay_acct. */
void gen_build_exp_payment(gen_ctx *c, gen_voucher *v, int k, int cpi, int64_t amount,
                           const char *pay_acct, const char *settle);
void gen_build_depreciation(gen_ctx *c, gen_voucher *v, int64_t amount, int lines);
void gen_build_receivable(gen_ctx *c, gen_voucher *v, int cpi, int64_t amount);

/* gen.c: ground truth rows; line is 0-based, -1 for the whole voucher */
void gen_gt_row(gen_ctx *c, int64_t case_id, const char *rule, const char *item,
                const gen_voucher *v, int line, int64_t amount, const char *note);
void gen_gt_gap(gen_ctx *c, int month, int type, int missing);

/* gen_plant.c */
void gen_plants_schedule(gen_ctx *c, int64_t ordinal);
void gen_plant_emit(gen_ctx *c, gen_plant *p);
const char *gen_rule_name(int kind);
const char *gen_rule_item(int kind);

#endif
