/* test_gen.c - the synthetic ledger generator: determinism, clean books, honest ground truth. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "ledger/gen.h"
#include "../testutil.h"
#include "util/calendar.h"
#include "util/date.h"
#include "util/hash.h"
#include "util/money.h"
#include "util/uscc.h"
#include "util/banned.h"

#define LINES 50000
#define SEED  20240601u

static const char *const HEADER =
    "unit_code,fiscal_year,period,voucher_date,voucher_type,voucher_no,line_no,summary,"
    "account_code,account_name,debit,credit,counterparty,dept,project,func_class,econ_class,"
    "fund_type,decision_ref,bill_no,settle_type,maker,reviewer,poster,cashier,posted,void";

/* ---- scratch directories ---- */

static void rm_rf(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char p[2048];
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

static void scratch(char *out, size_t n, const char *name)
{
    ag_test_path(out, n, name);
    rm_rf(out);
}

typedef struct listing {
    char names[512][96];
    char sha[512][AG_SHA256_HEX];
    int n;
} listing;

static int cmp_name(const void *a, const void *b)
{
    return strcmp(a, b);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static void list_dir(const char *dir, listing *l)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    l->n = 0;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        assert_true(l->n < 512);
        assert_true(strlen(e->d_name) < sizeof l->names[0]);
        memcpy(l->names[l->n++], e->d_name, strlen(e->d_name) + 1);
    }
    closedir(d);
    qsort(l->names, (size_t)l->n, sizeof l->names[0], cmp_name);
    for (int i = 0; i < l->n; i++) {
        char p[2048];
        size_t len;
        snprintf(p, sizeof p, "%s/%s", dir, l->names[i]);
        char *buf = slurp(p, &len);
        ag_sha256_hex(buf, len, l->sha[i]);
        free(buf);
    }
}

/* ---- reading the output back ---- */

/* Splits one CSV record starting at *pos (RFC 4180, unquoting in place);
 * returns the number of fields, 0 at the end of the text. */
static int csv_record(char *text, size_t len, size_t *pos, char **f, int max)
{
    size_t i = *pos;
    if (i >= len)
        return 0;
    int nf = 0;
    for (;;) {
        char *start = text + i, *w = start;
        if (text[i] == '"') {
            i++;
            for (;;) {
                assert_true(i < len);
                if (text[i] == '"') {
                    if (i + 1 < len && text[i + 1] == '"') {
                        *w++ = '"';
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                *w++ = text[i++];
            }
        } else {
            while (i < len && text[i] != ',' && text[i] != '\n')
                *w++ = text[i++];
        }
        char sep = i < len ? text[i] : '\n';
        *w = '\0';
        assert_true(nf < max);
        f[nf++] = start;
        i++;
        if (sep == '\n')
            break;
        assert_int_equal(sep, ',');
    }
    *pos = i;
    return nf;
}

typedef struct row {
    int unit, year, period, no, line;
    int32_t date;
    const char *type, *acct, *cp, *bill, *settle, *decision, *maker, *reviewer, *poster, *cashier;
    int64_t debit, credit;
} row;

typedef struct gtrow {
    const char *id, *rule, *item, *unit, *type, *date, *acct, *cp, *note;
    int year, period, no, line;
    int64_t amount;
} gtrow;

typedef struct book {
    row *rows;
    size_t n, cap;
    char *bufs[256];
    int nbufs;
    char units[64][19];
    bool gov[64];
    int nunits;
    char staff[64 * 48][16];
    int staff_unit[64 * 48];
    int nstaff;
    gtrow gt[4096];
    int ngt;
} book;

static int64_t money(const char *s)
{
    int64_t v = 0;
    assert_true(ag_money_parse(s, strlen(s), &v));
    return v;
}

static int unit_index(book *b, const char *code)
{
    for (int i = 0; i < b->nunits; i++) {
        if (!strcmp(b->units[i], code))
            return i;
    }
    assert_true(b->nunits < 64);
    snprintf(b->units[b->nunits], sizeof b->units[0], "%s", code);
    b->gov[b->nunits] = code[0] == '1';
    return b->nunits++;
}

static void load_ledger(book *b, const char *path)
{
    size_t len, pos = 0;
    char *text = slurp(path, &len);
    b->bufs[b->nbufs++] = text;
    char *f[32];
    int nf = csv_record(text, len, &pos, f, 32);
    assert_int_equal(nf, 27);
    char header[512] = "";
    for (int i = 0; i < nf; i++) {
        if (i)
            strncat(header, ",", sizeof header - strlen(header) - 1);
        strncat(header, f[i], sizeof header - strlen(header) - 1);
    }
    assert_string_equal(header, HEADER);
    while ((nf = csv_record(text, len, &pos, f, 32)) != 0) {
        assert_int_equal(nf, 27);
        if (b->n == b->cap) {
            b->cap = b->cap ? b->cap * 2 : 4096;
            b->rows = realloc(b->rows, b->cap * sizeof *b->rows);
            assert_non_null(b->rows);
        }
        row *r = &b->rows[b->n++];
        r->unit = unit_index(b, f[0]);
        r->year = (int)strtol(f[1], NULL, 10);
        r->period = (int)strtol(f[2], NULL, 10);
        assert_true(ag_date_parse(f[3], strlen(f[3]), &r->date));
        r->type = f[4];
        r->no = (int)strtol(f[5], NULL, 10);
        r->line = (int)strtol(f[6], NULL, 10);
        r->acct = f[8];
        r->debit = money(f[10]);
        r->credit = money(f[11]);
        r->cp = f[12];
        r->decision = f[18];
        r->bill = f[19];
        r->settle = f[20];
        r->maker = f[21];
        r->reviewer = f[22];
        r->poster = f[23];
        r->cashier = f[24];
        assert_string_equal(f[25], "1");
        assert_string_equal(f[26], "0");
        assert_true(f[3][4] == '-' && strlen(f[3]) == 10);
        assert_int_equal(ag_date_from_days(r->date).month, r->period);
        assert_int_equal(ag_date_from_days(r->date).year, r->year);
        /* plain decimals with two places */
        assert_non_null(strchr(f[10], '.'));
        assert_int_equal(strlen(strchr(f[10], '.')), 3);
    }
}

static void load(book *b, const char *dir)
{
    memset(b, 0, sizeof *b);
    listing *l = malloc(sizeof *l);
    assert_non_null(l);
    list_dir(dir, l);
    char p[2048];
    for (int i = 0; i < l->n; i++) {
        assert_true(l->names[i][0] != '.'); /* no temporary file left behind */
        if (!strcmp(l->names[i], "ground_truth.csv") || !strcmp(l->names[i], "staff.csv"))
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, l->names[i]);
        load_ledger(b, p);
    }
    free(l);

    size_t len, pos = 0;
    char *f[32];
    snprintf(p, sizeof p, "%s/staff.csv", dir);
    char *text = slurp(p, &len);
    b->bufs[b->nbufs++] = text;
    assert_int_equal(csv_record(text, len, &pos, f, 32), 3);
    int nf;
    while ((nf = csv_record(text, len, &pos, f, 32)) != 0) {
        assert_int_equal(nf, 3);
        snprintf(b->staff[b->nstaff], sizeof b->staff[0], "%s", f[1]);
        b->staff_unit[b->nstaff++] = unit_index(b, f[0]);
    }

    snprintf(p, sizeof p, "%s/ground_truth.csv", dir);
    text = slurp(p, &len);
    b->bufs[b->nbufs++] = text;
    pos = 0;
    assert_int_equal(csv_record(text, len, &pos, f, 32), 14);
    while ((nf = csv_record(text, len, &pos, f, 32)) != 0) {
        assert_int_equal(nf, 14);
        assert_true(b->ngt < 4096);
        gtrow *g = &b->gt[b->ngt++];
        g->id = f[0];
        g->rule = f[1];
        g->item = f[2];
        g->unit = f[3];
        g->year = (int)strtol(f[4], NULL, 10);
        g->period = (int)strtol(f[5], NULL, 10);
        g->type = f[6];
        g->no = f[7][0] ? (int)strtol(f[7], NULL, 10) : 0;
        g->line = f[8][0] ? (int)strtol(f[8], NULL, 10) : 0;
        g->date = f[9];
        g->acct = f[10];
        g->cp = f[11];
        g->amount = f[12][0] ? money(f[12]) : -1;
        g->note = f[13];
    }
}

static void unload(book *b)
{
    for (int i = 0; i < b->nbufs; i++)
        free(b->bufs[i]);
    free(b->rows);
}

/* ---- queries ---- */

static bool same_voucher(const row *a, const row *b)
{
    return a->unit == b->unit && a->year == b->year && a->period == b->period && a->no == b->no &&
           !strcmp(a->type, b->type);
}

/* Rows of one voucher are contiguous, in line order. */
static size_t voucher_end(const book *b, size_t i)
{
    size_t j = i + 1;
    while (j < b->n && same_voucher(&b->rows[i], &b->rows[j]))
        j++;
    return j;
}

static const gtrow *gt_for(const book *b, const row *r, const char *rule, bool whole)
{
    for (int i = 0; i < b->ngt; i++) {
        const gtrow *g = &b->gt[i];
        if (strcmp(g->rule, rule) || strcmp(g->unit, b->units[r->unit]) || g->year != r->year ||
            g->period != r->period || g->no != r->no || strcmp(g->type, r->type))
            continue;
        if (whole ? g->line == 0 : g->line == r->line)
            return g;
    }
    return NULL;
}

static const row *find_row(const book *b, const gtrow *g, int line)
{
    for (size_t i = 0; i < b->n; i++) {
        const row *r = &b->rows[i];
        if (r->no == g->no && r->line == line && r->year == g->year && r->period == g->period &&
            !strcmp(r->type, g->type) && !strcmp(b->units[r->unit], g->unit))
            return r;
    }
    return NULL;
}

static bool is_payment(const book *b, const row *r)
{
    if (r->credit <= 0)
        return false;
    const char *a = r->acct;
    if (!strcmp(a, "1001") || !strcmp(a, "1002"))
        return true;
    return b->gov[r->unit] ? (!strcmp(a, "1011") || !strcmp(a, "1021")) : !strcmp(a, "1012");
}

static bool is_staff(const book *b, int unit, const char *name)
{
    for (int i = 0; i < b->nstaff; i++) {
        if (b->staff_unit[i] == unit && !strcmp(b->staff[i], name))
            return true;
    }
    return false;
}

/* ---- the shared fixture: one generated district ---- */

typedef struct fixture {
    char dir[1024];
    ag_gen_unit *units;
    size_t n_units;
    ag_gen_result res;
    book b;
    ag_calendar *cal;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    ag_error err;
    if (!fx || ag_crypto_init() != AG_OK)
        return -1;
    fx->n_units = 6;
    if (ledger_gen_make_units(fx->n_units, 7, &fx->units, &err) != AG_OK)
        return -1;
    scratch(fx->dir, sizeof fx->dir, "gen-a");
    ag_gen_opts o = {SEED, LINES, 2024, 2, fx->dir, 0};
    if (ledger_gen_run(&o, fx->units, fx->n_units, &fx->res, &err) != AG_OK) {
        fprintf(stderr, "%s: %s\n", err.where, err.en);
        return -1;
    }
    if (calendar_load_default(&fx->cal, &err) != AG_OK)
        return -1;
    load(&fx->b, fx->dir);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    unload(&fx->b);
    rm_rf(fx->dir);
    ledger_gen_free_units(fx->units);
    calendar_free(fx->cal);
    free(fx);
    return 0;
}

/* ---- tests ---- */

static void test_line_count_and_files(void **state)
{
    fixture *fx = *state;
    assert_int_equal(fx->res.files, (int)fx->n_units * 2 + 2);
    assert_int_equal((int64_t)fx->b.n, fx->res.lines);
    assert_true(fx->res.lines >= LINES * 99 / 100 && fx->res.lines <= LINES * 101 / 100);
    assert_true(fx->res.vouchers > LINES / 8);
    assert_int_equal(fx->b.nunits, (int)fx->n_units);
    assert_int_equal(fx->res.gt_rows, fx->b.ngt);
}

static void test_deterministic(void **state)
{
    fixture *fx = *state;
    char again[1024], other[1024];
    scratch(again, sizeof again, "gen-b");
    scratch(other, sizeof other, "gen-c");
    ag_error err;
    ag_gen_opts o = {SEED, LINES, 2024, 2, again, 0};
    assert_int_equal(ledger_gen_run(&o, fx->units, fx->n_units, NULL, &err), AG_OK);
    o.seed = SEED + 1;
    o.out_dir = other;
    assert_int_equal(ledger_gen_run(&o, fx->units, fx->n_units, NULL, &err), AG_OK);
    listing *a = malloc(sizeof *a), *b = malloc(sizeof *b), *c = malloc(sizeof *c);
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(c);
    list_dir(fx->dir, a);
    list_dir(again, b);
    list_dir(other, c);
    assert_int_equal(a->n, b->n);
    assert_int_equal(a->n, c->n);
    int differ = 0;
    for (int i = 0; i < a->n; i++) {
        assert_string_equal(a->names[i], b->names[i]);
        assert_string_equal(a->sha[i], b->sha[i]);
        assert_string_equal(a->names[i], c->names[i]);
        differ += strcmp(a->sha[i], c->sha[i]) != 0;
    }
    assert_int_equal(differ, a->n); /* another seed changes every file */
    free(a);
    free(b);
    free(c);
    rm_rf(again);
    rm_rf(other);
}

static void test_vouchers_balance_unless_planted(void **state)
{
    fixture *fx = *state;
    const book *b = &fx->b;
    int unbalanced = 0;
    for (size_t i = 0; i < b->n;) {
        size_t j = voucher_end(b, i);
        int64_t dr = 0, cr = 0, fdr = 0, fcr = 0;
        for (size_t k = i; k < j; k++) {
            assert_int_equal(b->rows[k].line, (int)(k - i) + 1);
            dr += b->rows[k].debit;
            cr += b->rows[k].credit;
            if (!b->gov[b->rows[k].unit] || b->rows[k].acct[0] <= '5') {
                fdr += b->rows[k].debit;
                fcr += b->rows[k].credit;
            }
        }
        bool planted = gt_for(b, &b->rows[i], "unbalanced_voucher", true) != NULL;
        if (planted) {
            assert_true(dr != cr);
            unbalanced++;
        } else {
            assert_true(dr == cr);
            /* gov2019: the financial lines (1xxx..5xxx) balance on their own,
             * and so do the budget lines */
            assert_true(fdr == fcr);
        }
        i = j;
    }
    assert_true(unbalanced > 0);
}

static void test_numbers_contiguous_unless_planted(void **state)
{
    fixture *fx = *state;
    const book *b = &fx->b;
    /* (unit, year, period, type) -> highest number and the numbers seen */
    static unsigned char seen[8][2][13][4][4096];
    assert_true(b->nunits <= 8);
    memset(seen, 0, sizeof seen);
    static const char *const types[4] = {"记", "收", "付", "转"};
    for (size_t i = 0; i < b->n; i++) {
        const row *r = &b->rows[i];
        if (r->line != 1)
            continue;
        int t = 0;
        while (t < 4 && strcmp(types[t], r->type))
            t++;
        assert_true(t < 4);
        assert_true(r->no >= 1 && r->no < 4096);
        assert_int_equal(seen[r->unit][r->year - 2024][r->period][t][r->no], 0); /* no reuse */
        seen[r->unit][r->year - 2024][r->period][t][r->no] = 1;
    }
    int gaps = 0;
    for (int u = 0; u < b->nunits; u++)
        for (int y = 0; y < 2; y++)
            for (int p = 1; p <= 12; p++)
                for (int t = 0; t < 4; t++) {
                    int max = 0;
                    for (int n = 1; n < 4096; n++)
                        if (seen[u][y][p][t][n])
                            max = n;
                    for (int n = 1; n < max; n++) {
                        if (seen[u][y][p][t][n])
                            continue;
                        bool found = false;
                        for (int g = 0; g < b->ngt; g++) {
                            const gtrow *gr = &b->gt[g];
                            if (!strcmp(gr->rule, "voucher_gap") &&
                                !strcmp(gr->unit, b->units[u]) && gr->year == 2024 + y &&
                                gr->period == p && gr->no == n && !strcmp(gr->type, types[t]))
                                found = true;
                        }
                        assert_true(found);
                        gaps++;
                    }
                }
    int planted = 0;
    for (int g = 0; g < b->ngt; g++)
        planted += !strcmp(b->gt[g].rule, "voucher_gap");
    assert_int_equal(gaps, planted);
    assert_true(gaps > 0);
}

static void test_clean_dates_are_working_days(void **state)
{
    fixture *fx = *state;
    const book *b = &fx->b;
    int off = 0;
    for (size_t i = 0; i < b->n; i = voucher_end(b, i)) {
        const row *r = &b->rows[i];
        bool planted = gt_for(b, r, "nonworking_day", true) != NULL;
        assert_true(calendar_is_workday(fx->cal, r->date) != planted);
        off += planted;
        /* no clean voucher lets one person make and review it, nor the
         * cashier make or post it */
        if (!gt_for(b, r, "same_maker_reviewer", true))
            assert_string_not_equal(r->maker, r->reviewer);
        if (r->cashier[0]) {
            assert_string_not_equal(r->cashier, r->maker);
            assert_string_not_equal(r->cashier, r->poster);
        }
    }
    assert_true(off > 0);
}

static void test_clean_payments_trigger_nothing(void **state)
{
    fixture *fx = *state;
    const book *b = &fx->b;
    for (size_t i = 0; i < b->n; i++) {
        const row *r = &b->rows[i];
        if (!is_payment(b, r))
            continue;
        int64_t a = r->credit;
        bool near = false;
        static const int64_t t[4] = {5000000, 10000000, 50000000, 100000000};
        for (int k = 0; k < 4; k++)
            near |= a * 100 >= t[k] * 95 && a < t[k];
        assert_true(near == (gt_for(b, r, "near_threshold", false) != NULL));
        bool cash = !strcmp(r->acct, "1001") || !strcmp(r->settle, "现金");
        assert_true((cash && a > 100000) == (gt_for(b, r, "cash_over_limit", false) != NULL));
        bool large = a >= 50000000 && !r->decision[0];
        assert_true(large == (gt_for(b, r, "large_no_decision", false) != NULL));
        bool round = a >= 1000000 && a % 1000000 == 0;
        assert_true(round == (gt_for(b, r, "round_amount", false) != NULL));
        bool staff = is_staff(b, r->unit, r->cp);
        assert_true(staff == (gt_for(b, r, "payee_is_staff", false) != NULL));
    }
}

static const row *gt_row(const book *b, const gtrow *g)
{
    const row *r = find_row(b, g, g->line ? g->line : 1);
    assert_non_null(r);
    char d[11];
    ag_date_format(r->date, d);
    assert_string_equal(d, g->date);
    if (g->line) {
        assert_string_equal(r->acct, g->acct);
        assert_string_equal(r->cp, g->cp);
    }
    return r;
}

static void test_ground_truth_is_real(void **state)
{
    fixture *fx = *state;
    const book *b = &fx->b;
    int kinds[16] = {0};
    static const char *const rules[] = {
        "dup_payment",         "split_payment",  "near_threshold",     "cash_over_limit",
        "same_maker_reviewer", "nonworking_day", "unbalanced_voucher", "voucher_gap",
        "large_no_decision",   "round_amount",   "payee_is_staff",     "receivable_aging",
        "yearend_spike"};
    for (int i = 0; i < b->ngt; i++) {
        const gtrow *g = &b->gt[i];
        int k = 0;
        while (k < 13 && strcmp(rules[k], g->rule))
            k++;
        assert_true(k < 13);
        kinds[k]++;
        assert_true(g->id[0] == 'P' && g->item[0] && g->note[0]);
        if (!strcmp(g->rule, "voucher_gap") || !strcmp(g->rule, "yearend_spike"))
            continue;
        const row *r = gt_row(b, g);
        if (g->line) {
            assert_true(g->amount == r->credit || g->amount == r->debit);
        }
        if (!strcmp(g->rule, "near_threshold")) {
            assert_true(is_payment(b, r));
            bool in = false;
            static const int64_t t[4] = {5000000, 10000000, 50000000, 100000000};
            for (int j = 0; j < 4; j++)
                in |= r->credit * 100 >= t[j] * 95 && r->credit < t[j];
            assert_true(in);
        } else if (!strcmp(g->rule, "cash_over_limit")) {
            assert_string_equal(r->acct, "1001");
            assert_string_equal(r->settle, "现金");
            assert_true(r->credit > 100000);
        } else if (!strcmp(g->rule, "same_maker_reviewer")) {
            assert_string_equal(r->maker, r->reviewer);
        } else if (!strcmp(g->rule, "large_no_decision")) {
            assert_true(is_payment(b, r) && r->credit >= 50000000 && !r->decision[0]);
        } else if (!strcmp(g->rule, "round_amount")) {
            assert_true(is_payment(b, r) && r->credit % 1000000 == 0);
        } else if (!strcmp(g->rule, "payee_is_staff")) {
            assert_true(is_payment(b, r) && is_staff(b, r->unit, r->cp));
        } else if (!strcmp(g->rule, "receivable_aging")) {
            assert_true(!strcmp(r->acct, "1218") || !strcmp(r->acct, "1221"));
            assert_true(r->debit > 0);
            /* nothing ever clears it */
            for (size_t j = 0; j < b->n; j++) {
                const row *x = &b->rows[j];
                if (x->unit == r->unit && !strcmp(x->cp, r->cp) && !strcmp(x->acct, r->acct))
                    assert_int_equal(x->credit, 0);
            }
        } else if (!strcmp(g->rule, "nonworking_day")) {
            assert_false(calendar_is_workday(fx->cal, r->date));
        } else if (!strcmp(g->rule, "unbalanced_voucher")) {
            int64_t dr = 0, cr = 0;
            size_t at = (size_t)(r - b->rows);
            for (size_t j = at; j < voucher_end(b, at); j++) {
                dr += b->rows[j].debit;
                cr += b->rows[j].credit;
            }
            assert_int_equal(dr > cr ? dr - cr : cr - dr, g->amount);
        } else if (!strcmp(g->rule, "dup_payment") || !strcmp(g->rule, "split_payment")) {
            /* the other rows of the case */
            int parts = 0;
            int64_t total = 0;
            int32_t first = r->date, last = r->date;
            for (int j = 0; j < b->ngt; j++) {
                const gtrow *h = &b->gt[j];
                if (strcmp(h->id, g->id))
                    continue;
                const row *o = gt_row(b, h);
                assert_true(is_payment(b, o));
                assert_string_equal(o->cp, r->cp);
                parts++;
                total += o->credit;
                first = o->date < first ? o->date : first;
                last = o->date > last ? o->date : last;
                if (!strcmp(g->rule, "dup_payment") && o != r) {
                    assert_true(o->credit == r->credit && r->credit >= 100000);
                    assert_false(same_voucher(o, r));
                    assert_true(!strcmp(o->bill, r->bill) || (last - first) <= 7);
                }
                if (!strcmp(g->rule, "split_payment"))
                    assert_true(o->credit < 100000000);
            }
            if (!strcmp(g->rule, "dup_payment")) {
                assert_int_equal(parts, 2);
            } else {
                assert_true(parts >= 2);
                assert_true(total >= 100000000);
                assert_true(last - first <= 30);
            }
        }
    }
    /* every kind shows up in this small district (the December spike needs
     * the right unit-years, so it may not) */
    for (int k = 0; k < 12; k++)
        assert_true(kinds[k] > 0);
}

static void test_yearend_share(void **state)
{
    fixture *fx = *state;
    const book *b = &fx->b;
    for (int u = 0; u < b->nunits; u++) {
        for (int y = 2024; y <= 2025; y++) {
            int64_t dec = 0, all = 0;
            for (size_t i = 0; i < b->n; i++) {
                const row *r = &b->rows[i];
                if (r->unit != u || r->year != y || r->debit <= 0)
                    continue;
                bool exp = b->gov[u] ? r->acct[0] == '5'
                                     : !strncmp(r->acct, "6401", 4) || !strncmp(r->acct, "66", 2);
                if (!exp)
                    continue;
                all += r->debit;
                if (r->period == 12)
                    dec += r->debit;
            }
            bool planted = false;
            for (int g = 0; g < b->ngt; g++) {
                const gtrow *gr = &b->gt[g];
                if (!strcmp(gr->rule, "yearend_spike") && !strcmp(gr->unit, b->units[u]) &&
                    gr->year == y) {
                    planted = true;
                    assert_int_equal(gr->amount, dec);
                }
            }
            assert_true(all > 0);
            assert_true((dec * 4 > all) == planted);
        }
    }
}

static void test_bad_options(void **state)
{
    fixture *fx = *state;
    ag_error err;
    char dir[1024];
    scratch(dir, sizeof dir, "gen-bad");
    ag_gen_opts o = {1, 1000, 2024, 1, dir, 0};
    ag_gen_unit bad[2] = {fx->units[0], fx->units[1]};
    bad[1].code = bad[0].code;
    assert_int_equal(ledger_gen_run(&o, bad, 2, NULL, &err), AG_ERR_USAGE);
    char code[19];
    snprintf(code, sizeof code, "%s", fx->units[0].code);
    code[17] = code[17] == '0' ? '1' : '0'; /* wrong check character */
    bad[1].code = code;
    assert_int_equal(ledger_gen_run(&o, bad, 2, NULL, &err), AG_ERR_USAGE);
    assert_string_equal(err.where, "units[1].code");
    o.out_dir = NULL;
    assert_int_equal(ledger_gen_run(&o, fx->units, 1, NULL, &err), AG_ERR_USAGE);
    o.out_dir = dir;
    o.years = 99;
    assert_int_equal(ledger_gen_run(&o, fx->units, 1, NULL, &err), AG_ERR_USAGE);
    rm_rf(dir);
}

static void test_make_units(void **state)
{
    (void)state;
    ag_gen_unit *u = NULL;
    ag_error err;
    assert_int_equal(ledger_gen_make_units(200, 3, &u, &err), AG_OK);
    int admin = 0, inst = 0, ent = 0;
    for (size_t i = 0; i < 200; i++) {
        assert_int_equal(uscc_validate(u[i].code, "code", &err), AG_OK);
        assert_memory_equal(u[i].code + 2, "120104", 6);
        assert_true(strlen(u[i].name) > 6);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(u[i].code, u[j].code);
        if (u[i].chart == AG_CHART_ENTERPRISE)
            ent++;
        else if (u[i].admin)
            admin++;
        else
            inst++;
    }
    assert_int_equal(admin, 90);
    assert_int_equal(inst, 70);
    assert_int_equal(ent, 40);
    ledger_gen_free_units(u);
    assert_int_equal(ledger_gen_make_units(0, 3, &u, &err), AG_ERR_USAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_line_count_and_files),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_vouchers_balance_unless_planted),
        cmocka_unit_test(test_numbers_contiguous_unless_planted),
        cmocka_unit_test(test_clean_dates_are_working_days),
        cmocka_unit_test(test_clean_payments_trigger_nothing),
        cmocka_unit_test(test_ground_truth_is_real),
        cmocka_unit_test(test_yearend_share),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_make_units),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
