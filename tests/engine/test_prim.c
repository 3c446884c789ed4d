/* test_prim.c - every check primitive pinned on small hand-computed ledgers and boundaries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../testutil.h"
#include "engine/rules.h"
#include "engine/scan.h"
#include "engine/snapshot.h"
#include "util/buf.h"
#include "util/calendar.h"
#include "util/banned.h"

/* Unit codes: a leading 9 (enterprise registration authority) selects the
 * enterprise chart, anything else gov2019. */
#define GOV  "12120104MB0100001K"
#define GOV2 "12120104MB0200002L"
#define ENT  "91120104MA05000001"

static const char HEADER[] =
    "unit_code,voucher_date,voucher_type,voucher_no,line_no,account_code,debit,credit,"
    "counterparty,decision_ref,bill_no,settle_type,maker,reviewer,poster,cashier,void\n";

static ag_calendar *cal;

/* ---- building ledgers ------------------------------------------------------------------------ */

/* One voucher line. NULL unit/vtype/people take the defaults (GOV, 记, 王会计 makes,
 * 李主任 reviews, 陈记账 posts, 赵出纳 is the cashier); "" means empty. `dr` is
 * only for add_pay: the account of its debit line. */
typedef struct ln {
    const char *unit, *date, *vtype, *vno;
    int line;
    const char *account, *debit, *credit, *cpty, *decision, *bill, *settle;
    const char *maker, *reviewer, *poster, *cashier;
    int voided;
    const char *dr;
} ln;

#define OR(s, d) ((s) ? (s) : (d))

static void add_line(ag_buf *b, ln l)
{
    assert_int_equal(ag_buf_printf(b, "%s,%s,%s,%s,%d,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%d\n",
                                   OR(l.unit, GOV), l.date, OR(l.vtype, "记"), l.vno,
                                   l.line ? l.line : 1, l.account, OR(l.debit, ""),
                                   OR(l.credit, ""), OR(l.cpty, ""), OR(l.decision, ""),
                                   OR(l.bill, ""), OR(l.settle, ""), OR(l.maker, "王会计"),
                                   OR(l.reviewer, "李主任"), OR(l.poster, "陈记账"),
                                   OR(l.cashier, "赵出纳"), l.voided),
                     AG_OK);
}

/* A payment voucher of two lines: line 1 debits `dr` (5001 unless given) and
 * line 2, the payment, credits `account` (1002 unless given) by `credit`.
 * The other fields describe line 2; line 1 carries the same payee. */
static void add_pay(ag_buf *b, ln l)
{
    ln d = l;
    d.line = 1;
    d.account = OR(l.dr, "5001");
    d.debit = l.credit;
    d.credit = NULL;
    d.bill = d.decision = d.settle = NULL;
    d.voided = 0;
    add_line(b, d);
    l.line = 2;
    l.account = OR(l.account, "1002");
    add_line(b, l);
}

#define L(...) add_line(&b, (ln){__VA_ARGS__})
#define P(...) add_pay(&b, (ln){__VA_ARGS__})

static void ledger_init(ag_buf *b)
{
    ag_buf_init(b, (size_t)1 << 26);
    assert_int_equal(ag_buf_adds(b, HEADER), AG_OK);
}

/* ---- catalogs -------------------------------------------------------------------------------- */

/* A catalog (JSON text, to free) holding the default rules named in ids, with
 * their default texts; `params` (JSON, may be NULL) and `filter` (may be
 * NULL) replace theirs. */
static char *catalog_of(const char *const *ids, size_t n, const char *params, const char *filter)
{
    eng_catalog *def;
    ag_error err;
    assert_int_equal(eng_catalog_load_default(&def, &err), AG_OK);
    json_t *rules = json_array();
    for (size_t i = 0; i < n; i++) {
        const eng_rule *r = NULL;
        for (size_t k = 0; k < def->n && !r; k++)
            if (!strcmp(def->rules[k].id, ids[i]))
                r = &def->rules[k];
        assert_non_null(r);
        json_t *o =
            json_pack("{s:s,s:s,s:s,s:s,s:s}", "id", r->id, "item", r->item, "primitive",
                      eng_prim_name(r->prim), "severity", r->severity, "message", r->message);
        json_error_t je;
        json_t *pm = params ? json_loads(params, 0, &je) : json_incref(r->params);
        assert_non_null(pm);
        json_object_set_new(o, "params", pm);
        if (filter)
            json_object_set_new(o, "filter", json_string(filter));
        json_array_append_new(rules, o);
    }
    json_t *doc = json_pack("{s:s,s:s,s:o}", "format", "auditgrid-rules/1", "version", "test",
                            "rules", rules);
    char *text = json_dumps(doc, 0);
    json_decref(doc);
    eng_catalog_free(def);
    return text;
}

static char *only(const char *id, const char *params, const char *filter)
{
    return catalog_of(&id, 1, params, filter);
}

/* ---- scanning -------------------------------------------------------------------------------- */

typedef struct run {
    eng_snapshot *s;
    eng_catalog *cat;
    eng_result res;
    json_t *keep[64];
    size_t nkeep;
} run;

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

/* Writes the ledgers (one CSV file each) and the staff list (may be NULL),
 * loads them and scans with `catalog` (JSON text; NULL: the default). */
static void scan_files(run *r, const char *const *texts, size_t n, const char *staff,
                       const char *catalog, int threads)
{
    memset(r, 0, sizeof *r);
    char path[1024], staff_path[1024], name[64];
    char *pp[4];
    assert_true(n <= 4);
    for (size_t i = 0; i < n; i++) {
        snprintf(name, sizeof name, "prim-ledger-%zu.csv", i);
        ag_test_path(path, sizeof path, name);
        write_file(path, texts[i]);
        pp[i] = strdup(path);
    }
    if (staff) {
        ag_test_path(staff_path, sizeof staff_path, "prim-staff.csv");
        write_file(staff_path, staff);
    }
    ag_error err;
    ag_error_clear(&err);
    ag_err rc = catalog
                    ? eng_catalog_parse(catalog, strlen(catalog), "test-rules.json", &r->cat, &err)
                    : eng_catalog_load_default(&r->cat, &err);
    if (!rc) {
        eng_load_opts lo = {eng_catalog_columns(r->cat), threads, NULL, false};
        rc = eng_snapshot_from_csv((const char *const *)pp, n, staff ? staff_path : NULL, &lo,
                                   &r->s, &err);
    }
    if (!rc)
        rc = eng_scan(r->s, r->cat, cal, threads, &r->res, &err);
    if (rc)
        print_message("%s: %s\n", err.where, err.en);
    assert_int_equal(rc, AG_OK);
    for (size_t i = 0; i < n; i++) {
        unlink(pp[i]);
        free(pp[i]);
    }
    if (staff)
        unlink(staff_path);
}

static void scan1(run *r, ag_buf *b, const char *staff, const char *catalog)
{
    const char *text = ag_buf_str(b);
    scan_files(r, &text, 1, staff, catalog, 2);
}

static void run_free(run *r)
{
    for (size_t i = 0; i < r->nkeep; i++)
        json_decref(r->keep[i]);
    eng_result_release(&r->res);
    eng_snapshot_free(r->s);
    eng_catalog_free(r->cat);
    memset(r, 0, sizeof *r);
}

/* The i-th warning as JSON (kept until run_free). */
static json_t *wj(run *r, size_t i)
{
    assert_true(i < r->res.n);
    assert_true(r->nkeep < sizeof r->keep / sizeof r->keep[0]);
    json_t *j = eng_warning_json(r->s, r->cat, cal, &r->res.w[i]);
    assert_non_null(j);
    r->keep[r->nkeep++] = j;
    return j;
}

static void dump(run *r)
{
    for (size_t i = 0; i < r->res.n; i++) {
        json_t *j = eng_warning_json(r->s, r->cat, cal, &r->res.w[i]);
        char *t = json_dumps(j, JSON_COMPACT);
        print_message("  %s\n", t);
        free(t);
        json_decref(j);
    }
}

static void expect_count(run *r, size_t n)
{
    if (r->res.n != n) {
        print_message("expected %zu warnings, got %zu:\n", n, r->res.n);
        dump(r);
    }
    assert_int_equal(r->res.n, n);
}

static const char *jstr(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_string(v))
        print_message("%s is not a string\n", key);
    assert_true(json_is_string(v));
    return json_string_value(v);
}

static json_int_t jint(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    assert_true(json_is_integer(v));
    return json_integer_value(v);
}

static json_t *ev(json_t *w)
{
    return json_object_get(w, "evidence");
}

static json_t *ev_line(json_t *w, size_t k)
{
    json_t *l = json_array_get(json_object_get(ev(w), "lines"), k);
    assert_non_null(l);
    return l;
}

static size_t ev_nlines(json_t *w)
{
    return json_array_size(json_object_get(ev(w), "lines"));
}

/* Checks the i-th warning's rule, date, anchor voucher and line (NULL / -1 for
 * unit-year warnings) and amount; returns its JSON. */
static json_t *expect_w(run *r, size_t i, const char *rule, const char *date, const char *voucher,
                        int line, const char *amount)
{
    json_t *w = wj(r, i);
    assert_string_equal(jstr(w, "rule"), rule);
    assert_string_equal(jstr(w, "date"), date);
    if (voucher) {
        assert_string_equal(jstr(w, "voucher"), voucher);
        assert_int_equal(jint(w, "line"), line);
    } else {
        assert_true(json_is_null(json_object_get(w, "voucher")));
        assert_true(json_is_null(json_object_get(w, "line")));
    }
    assert_string_equal(jstr(w, "amount"), amount);
    return w;
}

/* ---- voucher-level primitives ---------------------------------------------------------------- */

static void unbalanced_voucher_sums_the_valid_lines(void **state)
{
    (void)state;
    ag_buf b;
    ledger_init(&b);
    L(.date = "2024-03-04", .vno = "1", .line = 1, .account = "5001", .debit = "100.00");
    L(.date = "2024-03-04", .vno = "1", .line = 2, .account = "1002", .credit = "100.00");
    L(.date = "2024-03-05", .vno = "2", .line = 1, .account = "5001", .debit = "100.00");
    L(.date = "2024-03-05", .vno = "2", .line = 2, .account = "1002", .credit = "90.00");
    /* a voided extra debit does not unbalance a balanced voucher... */
    L(.date = "2024-03-06", .vno = "3", .line = 1, .account = "5001", .debit = "100.00");
    L(.date = "2024-03-06", .vno = "3", .line = 2, .account = "1002", .credit = "100.00");
    L(.date = "2024-03-06", .vno = "3", .line = 3, .account = "5001", .debit = "50.00",
      .voided = 1);
    /* ...nor does a voided line balance an unbalanced one */
    L(.date = "2024-03-07", .vno = "4", .line = 1, .account = "5001", .debit = "80.00");
    L(.date = "2024-03-07", .vno = "4", .line = 2, .account = "1002", .credit = "100.00");
    L(.date = "2024-03-07", .vno = "4", .line = 3, .account = "5001", .debit = "20.00",
      .voided = 1);
    char *cat = only("unbalanced_voucher", NULL, NULL);
    run r;
    scan1(&r, &b, NULL, cat);
    expect_count(&r, 2);
    json_t *w = expect_w(&r, 0, "unbalanced_voucher", "2024-03-05", "记-2", 1, "10.00");
    assert_string_equal(jstr(w, "item"), "K2");
    assert_string_equal(jstr(w, "severity"), "high");
    assert_string_equal(jstr(w, "unit"), GOV);
    assert_string_equal(jstr(ev(w), "debit_total"), "100.00");
    assert_string_equal(jstr(ev(w), "credit_total"), "90.00");
    assert_string_equal(jstr(ev(w), "difference"), "10.00");
    assert_int_equal(ev_nlines(w), 2);
    assert_string_equal(jstr(w, "message"),
                        "凭证记-2（2024-03-05）借贷不平：借方合计100.00元，贷方合计90.00元，"
                        "差额10.00元");
    w = expect_w(&r, 1, "unbalanced_voucher", "2024-03-07", "记-4", 1, "20.00");
    assert_string_equal(jstr(ev(w), "debit_total"), "80.00");
    assert_string_equal(jstr(ev(w), "credit_total"), "100.00");
    assert_int_equal(ev_nlines(w), 3); /* the voided line is shown, not summed */
    run_free(&r);
    free(cat);
    ag_buf_release(&b);
}

/* The lines of a voucher need not be adjacent in the file: every voucher of
 * the unit is checked, whichever voucher the unit's last line belongs to
 * (here 记-3: were 记-1 and 记-2 skipped, 1 and 2 would look missing and the
 * unbalanced 记-2 would go unseen). */
static void voucher_lines_need_not_be_adjacent(void **state)
{
    (void)state;
    ag_buf b;
    ledger_init(&b);
    L(.date = "2024-03-06", .vno = "3", .line = 1, .account = "5001", .debit = "20.00");
    L(.date = "2024-03-04", .vno = "1", .line = 1, .account = "5001", .debit = "300.00");
    L(.date = "2024-03-04", .vno = "1", .line = 2, .account = "1002", .credit = "300.00");
    L(.date = "2024-03-05", .vno = "2", .line = 1, .account = "5001", .debit = "50.00");
    L(.date = "2024-03-05", .vno = "2", .line = 2, .account = "1002", .credit = "40.00");
    L(.date = "2024-03-06", .vno = "3", .line = 2, .account = "1002", .credit = "20.00");
    run r;
    scan1(&r, &b, NULL, NULL); /* the default catalog: nothing else in here */
    expect_count(&r, 1);
    expect_w(&r, 0, "unbalanced_voucher", "2024-03-05", "记-2", 1, "10.00");
    run_free(&r);
    ag_buf_release(&b);
}

static void voucher_gap_per_month_and_type(void **state)
{
    (void)state;
    ag_buf b;
    ledger_init(&b);
    /* March 记: 1 2 4 7 (3, 5, 6 missing); 补1 is not a number and is ignored */
    L(.date = "2024-03-04", .vno = "1", .account = "5001", .debit = "1.00");
    L(.date = "2024-03-05", .vno = "2", .account = "5001", .debit = "1.00");
    L(.date = "2024-03-06", .vno = "4", .account = "5001", .debit = "1.00");
    L(.date = "2024-03-07", .vno = "7", .account = "5001", .debit = "1.00");
    L(.date = "2024-03-08", .vno = "补1", .account = "5001", .debit = "1.00");
    /* March 付: its own sequence, complete */
    L(.date = "2024-03-04", .vtype = "付", .vno = "1", .account = "5001", .debit = "1.00");
    L(.date = "2024-03-05", .vtype = "付", .vno = "2", .account = "5001", .debit = "1.00");
    /* April 记 restarts at 1, which is missing; April 收 is complete */
    L(.date = "2024-04-02", .vno = "2", .account = "5001", .debit = "1.00");
    L(.date = "2024-04-03", .vno = "3", .account = "5001", .debit = "1.00");
    L(.date = "2024-04-02", .vtype = "收", .vno = "1", .account = "5001", .debit = "1.00");
    /* GOV2 numbers 记 only: March 1 2, April 2 3 (April's 1 is missing even
     * though March had one) */
    L(.unit = GOV2, .date = "2024-03-04", .vno = "1", .account = "5001", .debit = "1.00");
    L(.unit = GOV2, .date = "2024-03-05", .vno = "2", .account = "5001", .debit = "1.00");
    L(.unit = GOV2, .date = "2024-04-02", .vno = "2", .account = "5001", .debit = "1.00");
    L(.unit = GOV2, .date = "2024-04-03", .vno = "3", .account = "5001", .debit = "1.00");
    char *cat = only("voucher_gap", NULL, NULL);
    run r;
    scan1(&r, &b, NULL, cat);
    expect_count(&r, 5);
    json_t *w = expect_w(&r, 0, "voucher_gap", "2024-03-06", "记-4", 1, "0.00");
    assert_int_equal(jint(ev(w), "missing_number"), 3);
    assert_int_equal(jint(ev(w), "max_number"), 7);
    assert_int_equal(ev_nlines(w), 2); /* the vouchers either side */
    assert_string_equal(jstr(ev_line(w, 0), "voucher"), "记-2");
    assert_string_equal(jstr(ev_line(w, 1), "voucher"), "记-4");
    assert_string_equal(jstr(w, "message"), "2024年3月“记”字凭证断号：缺少第3号（本月最大号7）");
    w = expect_w(&r, 1, "voucher_gap", "2024-03-07", "记-7", 1, "0.00");
    assert_int_equal(jint(ev(w), "missing_number"), 5);
    assert_string_equal(jstr(ev_line(w, 0), "voucher"), "记-4");
    w = expect_w(&r, 2, "voucher_gap", "2024-03-07", "记-7", 1, "0.00");
    assert_int_equal(jint(ev(w), "missing_number"), 6);
    w = expect_w(&r, 3, "voucher_gap", "2024-04-02", "记-2", 1, "0.00");
    assert_int_equal(jint(ev(w), "missing_number"), 1);
    assert_int_equal(jint(ev(w), "max_number"), 3);
    assert_int_equal(ev_nlines(w), 1); /* nothing before the first number */
    assert_string_equal(jstr(w, "message"), "2024年4月“记”字凭证断号：缺少第1号（本月最大号3）");
    w = expect_w(&r, 4, "voucher_gap", "2024-04-02", "记-2", 1, "0.00");
    assert_string_equal(jstr(w, "unit"), GOV2);
    assert_int_equal(jint(ev(w), "missing_number"), 1);
    run_free(&r);
    free(cat);
    ag_buf_release(&b);
}

/* A sequence reports at most 1,000 missing numbers, however many gaps it has:
 * the first 1,000 in order. */
static void voucher_gap_reports_at_most_1000_per_sequence(void **state)
{
    (void)state;
    ag_buf b;
    ledger_init(&b);
    L(.date = "2024-03-04", .vno = "1", .account = "5001", .debit = "1.00");
    L(.date = "2024-03-05", .vno = "1500", .account = "5001", .debit = "1.00");
    L(.date = "2024-03-06", .vno = "3000", .account = "5001", .debit = "1.00");
    L(.date = "2024-03-07", .vtype = "付", .vno = "3", .account = "5001", .debit = "1.00");
    char *cat = only("voucher_gap", NULL, NULL);
    run r;
    scan1(&r, &b, NULL, cat);
    expect_count(&r, 1002);
    for (size_t i = 0; i < 1000; i++) {
        const eng_warning *w = &r.res.w[i];
        assert_int_equal(w->aux, (int)i + 2);
        assert_int_equal(w->num[0], 3000);
        assert_string_equal(eng_dict_str(r.s->dict, r.s->vno[w->row]), "1500");
    }
    /* the 付 sequence still has its own allowance */
    assert_int_equal(r.res.w[1000].aux, 1);
    assert_int_equal(r.res.w[1001].aux, 2);
    run_free(&r);
    free(cat);
    ag_buf_release(&b);
}

static void voucher_reuse_counts_distinct_dates(void **state)
{
    (void)state;
    ag_buf b;
    ledger_init(&b);
    L(.date = "2024-03-04", .vno = "1", .line = 1, .account = "5001", .debit = "10.00");
    L(.date = "2024-03-11", .vno = "1", .line = 2, .account = "1002", .credit = "10.00");
    L(.date = "2024-03-05", .vno = "2", .line = 1, .account = "5001", .debit = "10.00");
    L(.date = "2024-03-05", .vno = "2", .line = 2, .account = "1002", .credit = "10.00");
    /* three dates, the middle one last */
    L(.date = "2024-03-12", .vno = "3", .line = 1, .account = "5001", .debit = "10.00");
    L(.date = "2024-03-20", .vno = "3", .line = 2, .account = "1002", .credit = "5.00");
    L(.date = "2024-03-15", .vno = "3", .line = 3, .account = "1002", .credit = "5.00");
    /* a number reused later in the month, around another voucher */
    L(.date = "2024-03-13", .vno = "4", .line = 1, .account = "5001", .debit = "10.00");
    L(.date = "2024-03-14", .vno = "5", .line = 1, .account = "5001", .debit = "10.00");
    L(.date = "2024-03-18", .vno = "5", .line = 2, .account = "1002", .credit = "10.00");
    L(.date = "2024-03-27", .vno = "4", .line = 2, .account = "1002", .credit = "10.00");
    char *cat = only("voucher_reuse", NULL, NULL);
    run r;
    scan1(&r, &b, NULL, cat);
    expect_count(&r, 4);
    json_t *w = expect_w(&r, 0, "voucher_reuse", "2024-03-04", "记-1", 1, "0.00");
    assert_int_equal(jint(ev(w), "distinct_dates"), 2);
    assert_int_equal(ev_nlines(w), 2);
    assert_string_equal(jstr(w, "message"),
                        "凭证记-1的分录使用了2个不同日期（2024-03-04至2024-03-11），"
                        "同一凭证号疑被重复使用");
    w = expect_w(&r, 1, "voucher_reuse", "2024-03-12", "记-3", 1, "0.00");
    assert_int_equal(jint(ev(w), "distinct_dates"), 3);
    assert_string_equal(jstr(w, "message"),
                        "凭证记-3的分录使用了3个不同日期（2024-03-12至2024-03-20），"
                        "同一凭证号疑被重复使用");
    w = expect_w(&r, 2, "voucher_reuse", "2024-03-13", "记-4", 1, "0.00");
    assert_int_equal(jint(ev(w), "distinct_dates"), 2);
    assert_string_equal(jstr(ev_line(w, 1), "date"), "2024-03-27");
    w = expect_w(&r, 3, "voucher_reuse", "2024-03-14", "记-5", 1, "0.00");
    assert_int_equal(jint(ev(w), "distinct_dates"), 2);
    run_free(&r);
    free(cat);
    ag_buf_release(&b);
}

static void same_maker_reviewer_and_cashier_conflicts(void **state)
{
    (void)state;
    ag_buf b;
    ledger_init(&b);
    L(.date = "2024-03-04", .vno = "1", .line = 1, .account = "5001", .debit = "10.00",
      .reviewer = "王会计");
    L(.date = "2024-03-04", .vno = "1", .line = 2, .account = "1002", .credit = "10.00",
      .reviewer = "王会计");
    L(.date = "2024-03-05", .vno = "2", .account = "5001", .debit = "10.00", .cashier = "王会计");
    L(.date = "2024-03-06", .vno = "3", .account = "5001", .debit = "10.00", .poster = "赵出纳");
    L(.date = "2024-03-07", .vno = "4", .account = "5001", .debit = "10.00"); /* all distinct */
    L(.date = "2024-03-08", .vno = "5", .account = "5001", .debit = "10.00", .reviewer = "王会计",
      .cashier = "王会计");
    L(.date = "2024-03-11", .vno = "6", .account = "5001", .debit = "10.00", .maker = "",
      .reviewer = "", .poster = "", .cashier = ""); /* empty is nobody */
    L(.date = "2024-03-12", .vno = "7", .line = 1, .account = "5001", .debit = "10.00");
    L(.date = "2024-03-12", .vno = "7", .line = 2, .account = "1002", .credit = "10.00",
      .cashier = "陈记账");
    char *cat = only("same_maker_reviewer", NULL, NULL);
    run r;
    scan1(&r, &b, NULL, cat);
    expect_count(&r, 6);
    json_t *w = expect_w(&r, 0, "same_maker_reviewer", "2024-03-04", "记-1", 1, "0.00");
    assert_string_equal(jstr(ev(w), "conflict"), "maker=reviewer");
    assert_string_equal(jstr(ev(w), "person"), "王会计");
    assert_string_equal(jstr(w, "message"), "凭证记-1（2024-03-04）制单人与审核人为同一人：王会计");
    assert_string_equal(jstr(w, "item"), "F04");
    w = expect_w(&r, 1, "same_maker_reviewer", "2024-03-05", "记-2", 1, "0.00");
    assert_string_equal(jstr(ev(w), "conflict"), "cashier=maker");
    assert_string_equal(jstr(ev(w), "person"), "王会计");
    assert_string_equal(jstr(w, "message"), "凭证记-2（2024-03-05）出纳与制单人为同一人：王会计");
    w = expect_w(&r, 2, "same_maker_reviewer", "2024-03-06", "记-3", 1, "0.00");
    assert_string_equal(jstr(ev(w), "conflict"), "cashier=poster");
    assert_string_equal(jstr(ev(w), "person"), "赵出纳");
    w = expect_w(&r, 3, "same_maker_reviewer", "2024-03-08", "记-5", 1, "0.00");
    assert_string_equal(jstr(ev(w), "conflict"), "maker=reviewer");
    w = expect_w(&r, 4, "same_maker_reviewer", "2024-03-08", "记-5", 1, "0.00");
    assert_string_equal(jstr(ev(w), "conflict"), "cashier=maker");
    /* found on line 2, reported on the voucher (its first line), line 2 as evidence */
    w = expect_w(&r, 5, "same_maker_reviewer", "2024-03-12", "记-7", 1, "0.00");
    assert_string_equal(jstr(ev(w), "conflict"), "cashier=poster");
    assert_string_equal(jstr(ev(w), "person"), "陈记账");
    assert_int_equal(ev_nlines(w), 1);
    assert_int_equal(jint(ev_line(w, 0), "line"), 2);
    run_free(&r);
    free(cat);
    ag_buf_release(&b);
}

static void nonworking_day_follows_the_holiday_calendar(void **state)
{
    (void)state;
    ag_buf b;
    ledger_init(&b);
    L(.date = "2024-02-04", .vno = "1", .account = "5001", .debit = "1.00"); /* Sun, 调休 workday */
    L(.date = "2024-02-10", .vno = "2", .account = "5001", .debit = "1.00"); /* Sat, 春节 */
    L(.date = "2024-03-09", .vno = "1", .account = "5001", .debit = "1.00"); /* Saturday */
    L(.date = "2024-03-11", .vno = "2", .account = "5001", .debit = "1.00"); /* Monday */
    L(.date = "2024-10-01", .vno = "1", .account = "5001", .debit = "1.00"); /* Tue, 国庆 */
    L(.date = "2024-10-12", .vno = "2", .account = "5001", .debit = "1.00"); /* Sat, 调休 workday */
    char *cat = only("nonworking_day", NULL, NULL);
    run r;
    scan1(&r, &b, NULL, cat);
    expect_count(&r, 3);
    json_t *w = expect_w(&r, 0, "nonworking_day", "2024-02-10", "记-2", 1, "0.00");
    assert_string_equal(jstr(ev(w), "day_kind"), "holiday");
    assert_string_equal(jstr(ev(w), "holiday"), "春节");
    w = expect_w(&r, 1, "nonworking_day", "2024-03-09", "记-1", 1, "0.00");
    assert_string_equal(jstr(ev(w), "day_kind"), "weekend");
    assert_null(json_object_get(ev(w), "holiday"));
    assert_string_equal(jstr(w, "message"), "凭证记-1日期2024-03-09为周末，非工作日记账");
    w = expect_w(&r, 2, "nonworking_day", "2024-10-01", "记-1", 1, "0.00");
    assert_string_equal(jstr(ev(w), "day_kind"), "holiday");
    assert_string_equal(jstr(ev(w), "holiday"), "国庆节");
    assert_string_equal(jstr(w, "message"),
                        "凭证记-1日期2024-10-01为法定节假日（国庆节），非工作日记账");
    run_free(&r);
    free(cat);
    ag_buf_release(&b);
}

/* ---- payment primitives ---------------------------------------------------------------------- */

static void dup_payment_window_bill_voucher_and_minimum(void **state)
{
    (void)state;
    ag_buf b;
    ledger_init(&b);
    P(.date = "2024-03-04", .vno = "1", .credit = "12345.67", .cpty = "甲公司");
    P(.date = "2024-03-04", .vno = "2", .credit = "23456.78", .cpty = "乙公司");
    P(.date = "2024-03-05", .vno = "3", .credit = "3456.78", .cpty = "丙公司", .bill = "FP001");
    /* two equal payments in one voucher are not duplicates */
    L(.date = "2024-03-06", .vno = "4", .line = 1, .account = "5001", .debit = "9135.78",
      .cpty = "丁公司");
    L(.date = "2024-03-06", .vno = "4", .line = 2, .account = "1002", .credit = "4567.89",
      .cpty = "丁公司");
    L(.date = "2024-03-06", .vno = "4", .line = 3, .account = "1002", .credit = "4567.89",
      .cpty = "丁公司");
    /* below min_amount (1,000) is not considered; 1,000.00 is */
    P(.date = "2024-03-07", .vno = "5", .credit = "999.99", .cpty = "戊公司");
    P(.date = "2024-03-07", .vno = "6", .credit = "999.99", .cpty = "戊公司");
    P(.date = "2024-03-08", .vno = "7", .credit = "1000.00", .cpty = "己公司");
    P(.date = "2024-03-08", .vno = "8", .credit = "1000.00", .cpty = "己公司");
    /* a voided payment is no payment */
    P(.date = "2024-03-08", .vno = "9", .credit = "5678.90", .cpty = "庚公司");
    P(.date = "2024-03-08", .vno = "10", .credit = "5678.90", .cpty = "庚公司", .voided = 1);
    /* 7 days after 记-1: a duplicate; the same amount to another payee is not */
    P(.date = "2024-03-11", .vno = "11", .credit = "12345.67", .cpty = "甲公司");
    P(.date = "2024-03-11", .vno = "12", .credit = "12345.67", .cpty = "辛公司");
    /* 8 days after 记-2: outside the window */
    P(.date = "2024-03-12", .vno = "13", .credit = "23456.78", .cpty = "乙公司");
    /* the same bill number half a year later */
    P(.date = "2024-09-05", .vno = "1", .credit = "3456.78", .cpty = "丙公司", .bill = "FP001");
    char *cat = only("dup_payment", NULL, NULL);
    run r;
    scan1(&r, &b, NULL, cat);
    expect_count(&r, 3);
    json_t *w = expect_w(&r, 0, "dup_payment", "2024-03-08", "记-8", 2, "1000.00");
    assert_false(json_is_true(json_object_get(ev(w), "same_bill_no")));
    assert_int_equal(jint(ev(w), "days_apart"), 0);
    assert_string_equal(jstr(ev_line(w, 0), "voucher"), "记-7");
    w = expect_w(&r, 1, "dup_payment", "2024-03-11", "记-11", 2, "12345.67");
    assert_false(json_is_true(json_object_get(ev(w), "same_bill_no")));
    assert_int_equal(jint(ev(w), "days_apart"), 7);
    assert_int_equal(jint(ev(w), "window_days"), 7);
    assert_int_equal(ev_nlines(w), 2);
    assert_string_equal(jstr(ev_line(w, 0), "voucher"), "记-1");
    assert_string_equal(jstr(ev_line(w, 1), "voucher"), "记-11");
    assert_string_equal(jstr(w, "message"),
                        "疑似重复支付：2024-03-11向甲公司支付12345.67元（凭证记-11），"
                        "与2024-03-04凭证记-1金额相同，相隔7天");
    w = expect_w(&r, 2, "dup_payment", "2024-09-05", "记-1", 2, "3456.78");
    assert_true(json_is_true(json_object_get(ev(w), "same_bill_no")));
    assert_int_equal(jint(ev(w), "days_apart"), 184);
    assert_string_equal(jstr(ev_line(w, 0), "date"), "2024-03-05");
    assert_string_equal(jstr(w, "message"),
                        "疑似重复支付：2024-09-05向丙公司支付3456.78元（凭证记-1），"
                        "与2024-03-05凭证记-3金额相同，票据号相同");
    run_free(&r);
    free(cat);
    ag_buf_release(&b);
}

static void near_threshold_band_boundaries(void **state)
{
    (void)state;
    ag_buf b;
    ledger_init(&b);
    P(.date = "2024-03-04", .vno = "1", .credit = "47500.00", .cpty = "甲公司"); /* 95 % */
    P(.date = "2024-03-05", .vno = "2", .credit = "47499.99", .cpty = "甲公司");
    P(.date = "2024-03-06", .vno = "3", .credit = "49999.99", .cpty = "甲公司");
    P(.date = "2024-03-07", .vno = "4", .credit = "50000.00", .cpty = "甲公司");
    P(.date = "2024-03-08", .vno = "5", .credit = "99999.99", .cpty = "甲公司");
    P(.date = "2024-03-11", .vno = "6", .credit = "100000.00", .cpty = "甲公司");
    P(.date = "2024-03-12", .vno = "7", .credit = "475000.00", .cpty = "甲公司");
    P(.date = "2024-03-13", .vno = "8", .credit = "950000.00", .cpty = "甲公司");
    P(.date = "2024-03-14", .vno = "9", .credit = "48000.00", .cpty = "甲公司", .voided = 1);
    /* a receipt into the bank is no payment */
    L(.date = "2024-03-15", .vno = "10", .line = 1, .account = "1002", .debit = "96000.00");
    L(.date = "2024-03-15", .vno = "10", .line = 2, .account = "4001", .credit = "96000.00");
    /* a payment without a payee still counts */
    P(.date = "2024-03-18", .vno = "11", .credit = "96000.00");
    P(.date = "2024-03-19", .vno = "12", .credit = "95000.00", .cpty = "甲公司"); /* 95 % */
    char *cat = only("near_threshold", NULL, NULL);
    run r;
    scan1(&r, &b, NULL, cat);
    expect_count(&r, 7);
    json_t *w = expect_w(&r, 0, "near_threshold", "2024-03-04", "记-1", 2, "47500.00");
    assert_string_equal(jstr(ev(w), "threshold"), "50000.00");
    assert_string_equal(jstr(w, "message"), "支付47500.00元（凭证记-1，收款人甲公司），"
                                            "处于50000.00元审批限额的95%至100%之间");
    w = expect_w(&r, 1, "near_threshold", "2024-03-06", "记-3", 2, "49999.99");
    assert_string_equal(jstr(ev(w), "threshold"), "50000.00");
    w = expect_w(&r, 2, "near_threshold", "2024-03-08", "记-5", 2, "99999.99");
    assert_string_equal(jstr(ev(w), "threshold"), "100000.00");
    w = expect_w(&r, 3, "near_threshold", "2024-03-12", "记-7", 2, "475000.00");
    assert_string_equal(jstr(ev(w), "threshold"), "500000.00");
    w = expect_w(&r, 4, "near_threshold", "2024-03-13", "记-8", 2, "950000.00");
    assert_string_equal(jstr(ev(w), "threshold"), "1000000.00");
    w = expect_w(&r, 5, "near_threshold", "2024-03-18", "记-11", 2, "96000.00");
    assert_string_equal(jstr(ev(w), "threshold"), "100000.00");
    assert_string_equal(jstr(w, "message"), "支付96000.00元（凭证记-11，收款人），"
                                            "处于100000.00元审批限额的95%至100%之间");
    w = expect_w(&r, 6, "near_threshold", "2024-03-19", "记-12", 2, "95000.00");
    assert_string_equal(jstr(ev(w), "threshold"), "100000.00");
    run_free(&r);
    free(cat);
    ag_buf_release(&b);
}

static void near_threshold_parameters_from_the_catalog(void **state)
{
    (void)state;
    ag_buf b;
    ledger_init(&b);
    P(.date = "2024-03-04", .vno = "1", .credit = "18000.00", .cpty = "甲公司");
    P(.date = "2024-03-05", .vno = "2", .credit = "17999.99", .cpty = "甲公司");
    P(.date = "2024-03-06", .vno = "3", .credit = "47500.00", .cpty = "甲公司");
    char *cat = only("near_threshold", "{\"tiers\": [20000], \"band\": 0.9}", NULL);
    run r;
    scan1(&r, &b, NULL, cat);
    expect_count(&r, 1);
    json_t *w = expect_w(&r, 0, "near_threshold", "2024-03-04", "记-1", 2, "18000.00");
    assert_string_equal(jstr(ev(w), "threshold"), "20000.00");
    run_free(&r);
    free(cat);
    ag_buf_release(&b);
}

static void split_payment_window_and_threshold(void **state)
{
    (void)state;
    ag_buf b;
    ledger_init(&b);
    /* 30 days apart: one window */
    P(.date = "2024-03-04", .vno = "1", .credit = "600000.00", .cpty = "甲公司");
    P(.date = "2024-04-03", .vno = "1", .credit = "600000.00", .cpty = "甲公司");
    /* 31 days apart: not */
    P(.date = "2024-03-04", .vno = "2", .credit = "600000.00", .cpty = "乙公司");
    P(.date = "2024-04-04", .vno = "2", .credit = "600000.00", .cpty = "乙公司");
    /* a payment at the threshold is not part of a split; the two below are */
    P(.date = "2024-05-06", .vno = "1", .credit = "600000.00", .cpty = "丙公司");
    P(.date = "2024-05-07", .vno = "2", .credit = "1200000.00", .cpty = "丙公司");
    P(.date = "2024-05-08", .vno = "3", .credit = "500000.00", .cpty = "丙公司");
    /* together below the threshold */
    P(.date = "2024-05-09", .vno = "4", .credit = "400000.00", .cpty = "丁公司");
    P(.date = "2024-05-10", .vno = "5", .credit = "500000.00", .cpty = "丁公司");
    /* together exactly the threshold */
    P(.date = "2024-06-03", .vno = "1", .credit = "500000.00", .cpty = "戊公司");
    P(.date = "2024-06-04", .vno = "2", .credit = "500000.00", .cpty = "戊公司");
    char *cat = only("split_payment", NULL, NULL);
    run r;
    scan1(&r, &b, NULL, cat);
    expect_count(&r, 3);
    json_t *w = expect_w(&r, 0, "split_payment", "2024-03-04", "记-1", 2, "1200000.00");
    assert_string_equal(jstr(ev(w), "threshold"), "1000000.00");
    assert_string_equal(jstr(ev(w), "total"), "1200000.00");
    assert_int_equal(jint(ev(w), "payments"), 2);
    assert_string_equal(jstr(ev_line(w, 1), "date"), "2024-04-03");
    assert_string_equal(jstr(w, "message"),
                        "疑似化整为零：2024-03-04至2024-04-03的31天内向甲公司支付2笔，"
                        "每笔低于1000000.00元，合计1200000.00元");
    w = expect_w(&r, 1, "split_payment", "2024-05-06", "记-1", 2, "1100000.00");
    assert_int_equal(jint(ev(w), "payments"), 2);
    assert_int_equal(ev_nlines(w), 2);
    assert_string_equal(jstr(ev_line(w, 0), "voucher"), "记-1");
    assert_string_equal(jstr(ev_line(w, 1), "voucher"), "记-3");
    w = expect_w(&r, 2, "split_payment", "2024-06-03", "记-1", 2, "1000000.00");
    assert_string_equal(jstr(ev(w), "total"), "1000000.00");
    run_free(&r);
    free(cat);
    ag_buf_release(&b);
}

static void large_no_decision_looks_at_the_whole_voucher(void **state)
{
    (void)state;
    ag_buf b;
    ledger_init(&b);
    P(.date = "2024-03-04", .vno = "1", .credit = "500000.00", .cpty = "甲公司");
    P(.date = "2024-03-05", .vno = "2", .credit = "499999.99", .cpty = "甲公司");
    /* the decision on the debit line covers the voucher */
    L(.date = "2024-03-06", .vno = "3", .line = 1, .account = "5001", .debit = "800000.00",
      .cpty = "甲公司", .decision = "党组会〔2024〕3号");
    L(.date = "2024-03-06", .vno = "3", .line = 2, .account = "1002", .credit = "800000.00",
      .cpty = "甲公司");
    P(.date = "2024-03-07", .vno = "4", .credit = "600000.00", .cpty = "甲公司",
      .decision = "党组会〔2024〕4号");
    P(.date = "2024-03-08", .vno = "5", .credit = "700000.00");
    char *cat = only("large_no_decision", NULL, NULL);
    run r;
    scan1(&r, &b, NULL, cat);
    expect_count(&r, 2);
    json_t *w = expect_w(&r, 0, "large_no_decision", "2024-03-04", "记-1", 2, "500000.00");
    assert_string_equal(jstr(ev(w), "threshold"), "500000.00");
    assert_string_equal(jstr(w, "item"), "K3");
    assert_string_equal(jstr(w, "message"),
                        "大额支付500000.00元（凭证记-1，收款人甲公司）未记录“三重一大”决策文号");
    expect_w(&r, 1, "large_no_decision", "2024-03-08", "记-5", 2, "700000.00");
    run_free(&r);
    free(cat);
    ag_buf_release(&b);
}

static void cash_over_limit_boundary_and_settle_type(void **state)
{
    (void)state;
    ag_buf b;
    ledger_init(&b);
    P(.date = "2024-03-04", .vno = "1", .account = "1001", .credit = "1000.00", .cpty = "甲");
    P(.date = "2024-03-05", .vno = "2", .account = "1001", .credit = "1000.01", .cpty = "甲公司");
    P(.date = "2024-03-06", .vno = "3", .credit = "5000.00", .cpty = "乙公司", .settle = "现金");
    P(.date = "2024-03-07", .vno = "4", .credit = "5000.00", .cpty = "乙公司", .settle = "转账");
    P(.date = "2024-03-08", .vno = "5", .account = "1001", .credit = "3000.00", .cpty = "丙",
      .voided = 1);
    char *cat = only("cash_over_limit", NULL, NULL);
    run r;
    scan1(&r, &b, NULL, cat);
    expect_count(&r, 2);
    json_t *w = expect_w(&r, 0, "cash_over_limit", "2024-03-05", "记-2", 2, "1000.01");
    assert_string_equal(jstr(ev(w), "limit"), "1000.00");
    assert_string_equal(jstr(w, "item"), "F02");
    assert_string_equal(jstr(w, "message"),
                        "现金支付1000.01元，超过结算起点1000.00元（凭证记-2，收款人甲公司）");
    w = expect_w(&r, 1, "cash_over_limit", "2024-03-06", "记-3", 2, "5000.00");
    assert_string_equal(jstr(ev_line(w, 0), "account"), "1002");
    run_free(&r);
    free(cat);
    ag_buf_release(&b);
}

static void round_amount_multiples(void **state)
{
    (void)state;
    ag_buf b;
    ledger_init(&b);
    P(.date = "2024-03-04", .vno = "1", .credit = "10000.00", .cpty = "甲公司");
    P(.date = "2024-03-05", .vno = "2", .credit = "10000.50", .cpty = "甲公司");
    P(.date = "2024-03-06", .vno = "3", .credit = "20000.00", .cpty = "甲公司");
    P(.date = "2024-03-07", .vno = "4", .credit = "15000.00", .cpty = "甲公司");
    P(.date = "2024-03-08", .vno = "5", .credit = "5000.00", .cpty = "甲公司");
    char *cat = only("round_amount", NULL, NULL);
    run r;
    scan1(&r, &b, NULL, cat);
    expect_count(&r, 2);
    json_t *w = expect_w(&r, 0, "round_amount", "2024-03-04", "记-1", 2, "10000.00");
    assert_string_equal(jstr(ev(w), "multiple"), "10000.00");
    assert_string_equal(jstr(w, "message"), "整数金额支付10000.00元（凭证记-1，收款人甲公司）");
    expect_w(&r, 1, "round_amount", "2024-03-06", "记-3", 2, "20000.00");
    run_free(&r);
    free(cat);

    /* multiples of 1,000 from 1,000 */
    cat = only("round_amount", "{\"min_amount\": 1000, \"multiple\": 1000}", NULL);
    scan1(&r, &b, NULL, cat);
    expect_count(&r, 4);
    w = expect_w(&r, 0, "round_amount", "2024-03-04", "记-1", 2, "10000.00");
    assert_string_equal(jstr(ev(w), "multiple"), "1000.00");
    expect_w(&r, 1, "round_amount", "2024-03-06", "记-3", 2, "20000.00");
    expect_w(&r, 2, "round_amount", "2024-03-07", "记-4", 2, "15000.00");
    expect_w(&r, 3, "round_amount", "2024-03-08", "记-5", 2, "5000.00");
    run_free(&r);
    free(cat);
    ag_buf_release(&b);
}

static void payee_is_staff_with_and_without_the_list(void **state)
{
    (void)state;
    ag_buf b;
    ledger_init(&b);
    P(.date = "2024-03-04", .vno = "1", .credit = "800.00", .cpty = "张三");
    P(.date = "2024-03-05", .vno = "2", .credit = "800.00", .cpty = "甲公司");
    P(.date = "2024-03-06", .vno = "3", .credit = "900.00", .cpty = "王五"); /* GOV2's staff */
    P(.date = "2024-03-07", .vno = "4", .credit = "700.00", .cpty = "李四", .voided = 1);
    /* money received from a staff member is no payment to them */
    L(.date = "2024-03-08", .vno = "5", .line = 1, .account = "1002", .debit = "500.00",
      .cpty = "李四");
    L(.date = "2024-03-08", .vno = "5", .line = 2, .account = "1218", .credit = "500.00",
      .cpty = "李四");
    P(.unit = GOV2, .date = "2024-03-04", .vno = "1", .credit = "300.00", .cpty = "王五");
    const char *staff = "unit_code,name\n" GOV ",张三\n" GOV ",李四\n" GOV2 ",王五\n";
    char *cat = only("payee_is_staff", NULL, NULL);
    run r;
    scan1(&r, &b, staff, cat);
    expect_count(&r, 2);
    json_t *w = expect_w(&r, 0, "payee_is_staff", "2024-03-04", "记-1", 2, "800.00");
    assert_string_equal(jstr(w, "unit"), GOV);
    assert_string_equal(jstr(w, "message"), "向本单位职工张三支付800.00元（凭证记-1，2024-03-04）");
    w = expect_w(&r, 1, "payee_is_staff", "2024-03-04", "记-1", 2, "300.00");
    assert_string_equal(jstr(w, "unit"), GOV2);
    run_free(&r);

    scan1(&r, &b, NULL, cat); /* no staff list: nothing to compare with */
    expect_count(&r, 0);
    run_free(&r);
    free(cat);
    ag_buf_release(&b);
}

/* ---- unit-year primitives -------------------------------------------------------------------- */

static void yearend_spike_share_boundaries(void **state)
{
    (void)state;
    ag_buf b;
    ledger_init(&b);
    /* 2024: 25,000.01 of 100,000.00 in December, just above 25 % */
    P(.date = "2024-01-08", .vno = "1", .credit = "74999.99", .dr = "5001");
    P(.date = "2024-12-09", .vno = "1", .credit = "25000.01", .dr = "5101");
    P(.date = "2024-12-10", .vno = "2", .credit = "90000.00", .dr = "1601"); /* an asset */
    /* 2023: 24,999.99, just below; the voided December expense does not count */
    P(.date = "2023-01-09", .vno = "1", .credit = "75000.01");
    P(.date = "2023-12-11", .vno = "1", .credit = "24999.99");
    L(.date = "2023-12-12", .vno = "2", .line = 1, .account = "5001", .debit = "50000.00",
      .voided = 1);
    L(.date = "2023-12-12", .vno = "2", .line = 2, .account = "1002", .credit = "50000.00",
      .voided = 1);
    /* 2022: exactly 25 % is not above */
    P(.date = "2022-01-10", .vno = "1", .credit = "75000.00");
    P(.date = "2022-12-12", .vno = "1", .credit = "25000.00");
    char *cat = only("yearend_spike", NULL, NULL);
    run r;
    scan1(&r, &b, NULL, cat);
    expect_count(&r, 1);
    json_t *w = expect_w(&r, 0, "yearend_spike", "2024-12-31", NULL, -1, "25000.01");
    assert_string_equal(jstr(ev(w), "december_expense"), "25000.01");
    assert_string_equal(jstr(ev(w), "year_expense"), "100000.00");
    assert_true(fabs(json_real_value(json_object_get(ev(w), "share")) - 0.25) < 1e-9);
    assert_int_equal(ev_nlines(w), 1); /* the last December expense line */
    assert_string_equal(jstr(ev_line(w, 0), "account"), "5101");
    assert_string_equal(jstr(w, "message"),
                        "2024年12月费用支出25000.01元，占全年100000.00元的25.0%，超过25%");
    assert_int_equal(r.res.w[0].year, 2024);
    run_free(&r);
    free(cat);
    ag_buf_release(&b);
}

/* A receivable line: a debit opens an item, a credit settles the oldest. */
static void rcv(ag_buf *b, const char *date, const char *vno, const char *who, const char *debit,
                const char *credit, int voided)
{
    ln l = {.date = date, .vno = vno, .line = 1, .account = "1218", .cpty = who, .voided = voided};
    l.debit = debit;
    l.credit = credit;
    add_line(b, l);
    l.line = 2;
    l.account = "1002";
    l.debit = credit;
    l.credit = debit;
    add_line(b, l);
}

static void receivable_aging_fifo_across_years(void **state)
{
    (void)state;
    ag_buf y23, y24;
    ledger_init(&y23);
    ledger_init(&y24);
    /* 张三: 1,000 lent, 500 more, 600 repaid -> 400 of the oldest still open */
    rcv(&y23, "2023-03-01", "1", "张三", "1000.00", NULL, 0);
    rcv(&y24, "2024-06-03", "1", "张三", "500.00", NULL, 0);
    rcv(&y24, "2024-09-02", "1", "张三", NULL, "600.00", 0);
    /* 李四: the same, and a later 400 clears the oldest item */
    rcv(&y23, "2023-03-01", "2", "李四", "1000.00", NULL, 0);
    rcv(&y24, "2024-06-03", "2", "李四", "500.00", NULL, 0);
    rcv(&y24, "2024-09-02", "2", "李四", NULL, "600.00", 0);
    rcv(&y24, "2024-11-04", "1", "李四", NULL, "400.00", 0);
    /* 王五: over a year old at 2024-12-31 (a voided repayment settles nothing);
     * 赵六: under a year */
    rcv(&y23, "2023-12-29", "1", "王五", "100.00", NULL, 0);
    rcv(&y24, "2024-03-04", "2", "王五", NULL, "100.00", 1);
    rcv(&y24, "2024-01-02", "1", "赵六", "100.00", NULL, 0);
    const char *texts[2] = {ag_buf_str(&y23), ag_buf_str(&y24)};
    char *cat = only("receivable_aging", NULL, NULL);
    run r;
    scan_files(&r, texts, 2, NULL, cat, 2);
    expect_count(&r, 2);
    json_t *w = expect_w(&r, 0, "receivable_aging", "2023-03-01", "记-1", 1, "400.00");
    assert_string_equal(jstr(ev(w), "open_amount"), "400.00");
    assert_int_equal(jint(ev(w), "year_end"), 2024);
    assert_int_equal(ev_nlines(w), 1);
    assert_string_equal(jstr(ev_line(w, 0), "counterparty"), "张三");
    assert_string_equal(jstr(w, "item"), "F07");
    assert_string_equal(jstr(w, "message"),
                        "截至2024年末，其他应收款—张三仍有400.00元挂账超过365天（最早2023-03-01）");
    w = expect_w(&r, 1, "receivable_aging", "2023-12-29", "记-1", 1, "100.00");
    assert_string_equal(jstr(ev_line(w, 0), "counterparty"), "王五");
    run_free(&r);
    free(cat);
    ag_buf_release(&y23);
    ag_buf_release(&y24);
}

/* 365 days at the year end are not "over 365 days"; 366 are. */
static void receivable_aging_boundary_is_strict(void **state)
{
    (void)state;
    ag_buf b;
    ledger_init(&b);
    rcv(&b, "2023-12-31", "1", "王五", "100.00", NULL, 0); /* 366 days to 2024-12-31 */
    rcv(&b, "2024-01-01", "1", "赵六", "100.00", NULL, 0); /* 365 days */
    char *cat = only("receivable_aging", NULL, NULL);
    run r;
    scan1(&r, &b, NULL, cat);
    expect_count(&r, 1);
    json_t *w = expect_w(&r, 0, "receivable_aging", "2023-12-31", "记-1", 1, "100.00");
    assert_int_equal(jint(ev(w), "year_end"), 2024);
    run_free(&r);
    free(cat);
    ag_buf_release(&b);
}

/* Nigrini's first-two-digit MAD over amounts in whole yuan. */
static double first2_mad(const long long *yuan, size_t n)
{
    double c[90] = {0};
    for (size_t i = 0; i < n; i++) {
        long long v = yuan[i];
        while (v >= 100)
            v /= 10;
        c[v - 10] += 1;
    }
    double mad = 0;
    for (int d = 10; d < 100; d++)
        mad += fabs(c[d - 10] / (double)n - log10(1.0 + 1.0 / d));
    return mad / 90;
}

/* n payments of yuan[i].25 (single lines: the rule looks at nothing else),
 * plus `small` payments of 9.99 below min_amount. */
static void benford_ledger(ag_buf *b, const long long *yuan, size_t n, size_t small)
{
    ledger_init(b);
    for (size_t i = 0; i < n + small; i++) {
        char no[24], amount[32];
        snprintf(no, sizeof no, "%zu", i + 1);
        if (i < n)
            snprintf(amount, sizeof amount, "%lld.25", yuan[i]);
        else
            snprintf(amount, sizeof amount, "9.99");
        add_line(b, (ln){.date = "2024-03-04",
                         .vno = no,
                         .account = "1002",
                         .credit = amount,
                         .cpty = "甲公司"});
    }
}

static void benford_first2_conforming_and_not(void **state)
{
    (void)state;
    long long conform[1000], uniform[1000];
    for (int i = 0; i < 1000; i++) {
        /* log-uniform over [100, 10000): Benford-distributed */
        conform[i] = (long long)floor(pow(10.0, 2.0 + 2.0 * (i + 0.5) / 1000.0));
        /* evenly spread over [1000, 10000): every first-two pair about as often */
        uniform[i] = 1000 + 9LL * i;
    }
    double mad_c = first2_mad(conform, 1000), mad_u = first2_mad(uniform, 1000);
    assert_true(mad_c < 0.0022);
    assert_true(mad_u > 0.0022);
    char *cat = only("benford_first2", NULL, NULL);
    ag_buf b;
    run r;
    benford_ledger(&b, conform, 1000, 20);
    scan1(&r, &b, NULL, cat);
    expect_count(&r, 0);
    run_free(&r);
    ag_buf_release(&b);

    benford_ledger(&b, uniform, 1000, 20);
    scan1(&r, &b, NULL, cat);
    expect_count(&r, 1);
    json_t *w = expect_w(&r, 0, "benford_first2", "2024-12-31", NULL, -1, "0.00");
    assert_string_equal(jstr(ev(w), "test"), "first2");
    assert_int_equal(jint(ev(w), "n"), 1000); /* the 9.99 payments are below min_amount */
    assert_int_equal(r.res.w[0].num[0], llround(mad_u * 1e6));
    assert_true(fabs(json_real_value(json_object_get(ev(w), "mad")) - mad_u) < 1e-6);
    assert_int_equal(ev_nlines(w), 0);
    char msg[200];
    snprintf(msg, sizeof msg,
             "2024年支付金额首两位数字分布与本福特定律不符：MAD=%.4f（n=1000，界限0.0022）", mad_u);
    assert_string_equal(jstr(w, "message"), msg);
    run_free(&r);
    ag_buf_release(&b);
    free(cat);
}

static void benford_first2_needs_min_count(void **state)
{
    (void)state;
    long long uniform[999];
    for (int i = 0; i < 999; i++)
        uniform[i] = 1000 + 9LL * i;
    ag_buf b;
    benford_ledger(&b, uniform, 999, 5);
    char *cat = only("benford_first2", NULL, NULL);
    run r;
    scan1(&r, &b, NULL, cat);
    expect_count(&r, 0); /* 999 < min_count 1000 */
    run_free(&r);
    free(cat);
    cat = only("benford_first2", "{\"min_amount\": 10, \"min_count\": 999, \"mad_limit\": 0.0022}",
               NULL);
    scan1(&r, &b, NULL, cat);
    expect_count(&r, 1);
    json_t *w = expect_w(&r, 0, "benford_first2", "2024-12-31", NULL, -1, "0.00");
    assert_int_equal(jint(ev(w), "n"), 999);
    run_free(&r);
    free(cat);
    ag_buf_release(&b);
}

/* ---- across primitives ----------------------------------------------------------------------- */

static void voided_lines_are_ignored_by_the_payment_rules(void **state)
{
    (void)state;
    ag_buf b;
    ledger_init(&b);
    /* voided payments that would each raise a warning if they counted: a
     * split with 记-2 and no decision (记-1), a round amount to a member of
     * staff (记-3), near a threshold (记-4), cash over the limit (记-5), a
     * duplicate of 记-6 (记-7) */
    P(.date = "2024-03-04", .vno = "1", .credit = "600001.23", .cpty = "甲公司", .voided = 1);
    P(.date = "2024-03-05", .vno = "2", .credit = "600002.34", .cpty = "甲公司",
      .decision = "党组会〔2024〕1号");
    P(.date = "2024-03-06", .vno = "3", .credit = "20000.00", .cpty = "张三", .voided = 1);
    P(.date = "2024-03-07", .vno = "4", .credit = "96000.00", .cpty = "乙公司", .voided = 1);
    P(.date = "2024-03-08", .vno = "5", .account = "1001", .credit = "1500.00", .cpty = "丙",
      .voided = 1);
    P(.date = "2024-03-11", .vno = "6", .credit = "3456.78", .cpty = "丁公司");
    P(.date = "2024-03-12", .vno = "7", .credit = "3456.78", .cpty = "丁公司", .voided = 1);
    static const char *const ids[] = {"dup_payment",       "near_threshold",  "split_payment",
                                      "large_no_decision", "cash_over_limit", "round_amount",
                                      "payee_is_staff"};
    char *cat = catalog_of(ids, sizeof ids / sizeof ids[0], NULL, NULL);
    run r;
    scan1(&r, &b, "unit_code,name\n" GOV ",张三\n", cat);
    expect_count(&r, 0);
    run_free(&r);
    free(cat);
    ag_buf_release(&b);
}

/* What is a payment depends on the unit's chart: a 9... unit pays from 1002
 * and 1012 (enterprise), any other from 1002, 1011 and 1021 (gov2019). */
static void enterprise_and_gov_charts_define_payments(void **state)
{
    (void)state;
    ag_buf b;
    ledger_init(&b);
    const char *units[2] = {ENT, GOV};
    for (int u = 0; u < 2; u++) {
        const char *dr = u == 0 ? "6602" : "5001";
        P(.unit = units[u], .date = "2024-03-04", .vno = "1", .credit = "20000.00", .dr = dr,
          .cpty = "甲公司");
        P(.unit = units[u], .date = "2024-03-05", .vno = "2", .credit = "30000.00", .dr = dr,
          .account = "1011", .cpty = "甲公司");
        P(.unit = units[u], .date = "2024-03-06", .vno = "3", .credit = "40000.00", .dr = dr,
          .account = "1012", .cpty = "甲公司");
        P(.unit = units[u], .date = "2024-03-07", .vno = "4", .credit = "50000.00", .dr = dr,
          .account = "100201", .cpty = "甲公司");
    }
    char *cat = only("round_amount", NULL, NULL);
    run r;
    scan1(&r, &b, NULL, cat);
    expect_count(&r, 6);
    static const char *const want[6][2] = {{ENT, "记-1"}, {ENT, "记-3"}, {ENT, "记-4"},
                                           {GOV, "记-1"}, {GOV, "记-2"}, {GOV, "记-4"}};
    for (size_t i = 0; i < 6; i++) {
        json_t *w = wj(&r, i);
        assert_string_equal(jstr(w, "unit"), want[i][0]);
        assert_string_equal(jstr(w, "voucher"), want[i][1]);
    }
    run_free(&r);
    free(cat);
    ag_buf_release(&b);

    /* Expenses too: 6602 is an expense of the enterprise chart but a budget
     * account of gov2019; 5001 is an expense of gov2019 but 生产成本 (a cost,
     * not an expense) of the enterprise chart. */
    ledger_init(&b);
    for (int u = 0; u < 2; u++) {
        const char *exp = u == 0 ? "6602" : "5001", *other = u == 0 ? "5001" : "6602";
        P(.unit = units[u], .date = "2024-03-04", .vno = "1", .credit = "60000.00", .dr = exp);
        P(.unit = units[u], .date = "2024-03-05", .vno = "2", .credit = "900000.00", .dr = other);
        P(.unit = units[u], .date = "2024-12-09", .vno = "1", .credit = "40000.00", .dr = exp);
    }
    cat = only("yearend_spike", NULL, NULL);
    scan1(&r, &b, NULL, cat);
    expect_count(&r, 2);
    for (size_t i = 0; i < 2; i++) {
        json_t *w = expect_w(&r, i, "yearend_spike", "2024-12-31", NULL, -1, "40000.00");
        assert_string_equal(jstr(w, "unit"), units[i]);
        assert_string_equal(jstr(ev(w), "year_expense"), "100000.00");
    }
    run_free(&r);
    free(cat);
    ag_buf_release(&b);
}

static void filter_restricts_a_payment_rule(void **state)
{
    (void)state;
    ag_buf b;
    ledger_init(&b);
    P(.date = "2024-03-04", .vno = "1", .credit = "10000.00", .cpty = "甲公司");
    P(.date = "2024-03-05", .vno = "2", .credit = "10000.00", .cpty = "乙公司");
    P(.date = "2024-03-06", .vno = "3", .credit = "30000.00", .cpty = "甲公司");
    char *cat = only("round_amount", NULL, "counterparty == \"甲公司\"");
    run r;
    scan1(&r, &b, NULL, cat);
    expect_count(&r, 2);
    expect_w(&r, 0, "round_amount", "2024-03-04", "记-1", 2, "10000.00");
    expect_w(&r, 1, "round_amount", "2024-03-06", "记-3", 2, "30000.00");
    run_free(&r);
    free(cat);

    /* The filter decides which payments pairs are made of: 甲公司 is paid
     * 10,000 twice and 30,000 twice within a week, and only the 10,000 pass. */
    cat = only("dup_payment", NULL, "credit < 20000");
    P(.date = "2024-03-07", .vno = "4", .credit = "30000.00", .cpty = "甲公司");
    P(.date = "2024-03-08", .vno = "5", .credit = "10000.00", .cpty = "甲公司");
    scan1(&r, &b, NULL, cat);
    expect_count(&r, 1);
    json_t *w = expect_w(&r, 0, "dup_payment", "2024-03-08", "记-5", 2, "10000.00");
    assert_string_equal(jstr(ev_line(w, 0), "voucher"), "记-1");
    run_free(&r);
    free(cat);
    ag_buf_release(&b);
}

/* Voucher-level rules test the filter on the voucher's first line. */
static void filter_on_a_voucher_rule_tests_the_first_line(void **state)
{
    (void)state;
    ag_buf b;
    ledger_init(&b);
    L(.date = "2024-03-04", .vno = "1", .line = 1, .account = "5001", .debit = "100.00",
      .cpty = "乙公司");
    L(.date = "2024-03-04", .vno = "1", .line = 2, .account = "1002", .credit = "90.00",
      .cpty = "甲公司");
    L(.date = "2024-03-05", .vno = "2", .line = 1, .account = "5001", .debit = "100.00",
      .cpty = "甲公司");
    L(.date = "2024-03-05", .vno = "2", .line = 2, .account = "1002", .credit = "90.00",
      .cpty = "乙公司");
    char *cat = only("unbalanced_voucher", NULL, "counterparty == \"乙公司\"");
    run r;
    scan1(&r, &b, NULL, cat);
    expect_count(&r, 1);
    expect_w(&r, 0, "unbalanced_voucher", "2024-03-04", "记-1", 1, "10.00");
    run_free(&r);
    free(cat);
    ag_buf_release(&b);
}

/* Unit-year rules sum only the lines the filter lets through. */
static void filter_on_a_unit_year_rule_limits_the_sums(void **state)
{
    (void)state;
    ag_buf b;
    ledger_init(&b);
    P(.date = "2024-01-08", .vno = "1", .credit = "90000.00", .dr = "5001");
    P(.date = "2024-01-09", .vno = "2", .credit = "50000.00", .dr = "5101");
    P(.date = "2024-12-09", .vno = "1", .credit = "10000.00", .dr = "5001");
    P(.date = "2024-12-10", .vno = "2", .credit = "50000.00", .dr = "5101");
    run r;
    char *cat = only("yearend_spike", NULL, NULL); /* 60,000 of 200,000: 30 % */
    scan1(&r, &b, NULL, cat);
    expect_count(&r, 1);
    json_t *w = expect_w(&r, 0, "yearend_spike", "2024-12-31", NULL, -1, "60000.00");
    assert_string_equal(jstr(ev(w), "year_expense"), "200000.00");
    run_free(&r);
    free(cat);
    cat = only("yearend_spike", NULL, "account ^= \"5101\""); /* 50 % */
    scan1(&r, &b, NULL, cat);
    expect_count(&r, 1);
    w = expect_w(&r, 0, "yearend_spike", "2024-12-31", NULL, -1, "50000.00");
    assert_string_equal(jstr(ev(w), "year_expense"), "100000.00");
    run_free(&r);
    free(cat);
    cat = only("yearend_spike", NULL, "account ^= \"5001\""); /* 10 % */
    scan1(&r, &b, NULL, cat);
    expect_count(&r, 0);
    run_free(&r);
    free(cat);
    ag_buf_release(&b);
}

/* ---- the default catalog --------------------------------------------------------------------- */

static void clean_ledger_raises_nothing_with_the_default_catalog(void **state)
{
    (void)state;
    ag_buf b;
    ledger_init(&b);
    P(.date = "2024-03-04", .vno = "1", .credit = "12345.67", .cpty = "甲公司", .bill = "A1");
    P(.date = "2024-03-05", .vno = "2", .credit = "2345.60", .cpty = "乙公司", .bill = "A2");
    P(.date = "2024-03-06", .vno = "3", .account = "1001", .credit = "800.00", .cpty = "丙");
    P(.date = "2024-03-07", .vno = "4", .account = "1011", .credit = "620123.45", .cpty = "丁公司",
      .decision = "党组会〔2024〕2号");
    rcv(&b, "2024-03-08", "5", "张三", "3000.00", NULL, 0);
    rcv(&b, "2024-04-08", "1", "张三", NULL, "3000.00", 0);
    P(.date = "2024-12-09", .vno = "1", .credit = "3456.78", .cpty = "戊公司");
    P(.unit = ENT, .date = "2024-03-04", .vno = "1", .credit = "7654.32", .dr = "6602",
      .cpty = "甲公司");
    run r;
    scan1(&r, &b, "unit_code,name\n" GOV ",李四\n", NULL);
    expect_count(&r, 0);
    run_free(&r);
    ag_buf_release(&b);
}

/* A mixed ledger of three units: one case per line below. */
static void mixed_ledger(ag_buf *out)
{
    ag_buf b;
    ledger_init(&b);
    P(.date = "2024-03-04", .vno = "1", .credit = "12345.67", .cpty = "甲公司");
    P(.date = "2024-03-09", .vno = "2", .credit = "3456.78", .cpty = "乙公司");
    P(.date = "2024-03-11", .vno = "4", .credit = "12345.67", .cpty = "甲公司");
    P(.date = "2024-03-12", .vno = "5", .credit = "20000.00", .cpty = "丙公司");
    P(.unit = GOV2, .date = "2024-03-04", .vno = "1", .credit = "4321.09", .cpty = "丁公司",
      .reviewer = "王会计");
    L(.unit = GOV2, .date = "2024-03-05", .vno = "2", .line = 1, .account = "5001",
      .debit = "100.00", .cpty = "戊公司");
    L(.unit = GOV2, .date = "2024-03-05", .vno = "2", .line = 2, .account = "1002",
      .credit = "90.00", .cpty = "戊公司");
    P(.unit = ENT, .date = "2024-03-04", .vno = "1", .credit = "47500.00", .dr = "6602",
      .cpty = "己公司");
    P(.unit = ENT, .date = "2024-03-05", .vno = "2", .account = "1001", .credit = "1500.00",
      .dr = "6602", .cpty = "庚公司");
    *out = b;
}

static void default_catalog_on_a_mixed_ledger(void **state)
{
    (void)state;
    ag_buf b;
    mixed_ledger(&b);
    run r;
    scan1(&r, &b, NULL, NULL);
    expect_count(&r, 8);
    expect_w(&r, 0, "nonworking_day", "2024-03-09", "记-2", 1, "0.00");
    expect_w(&r, 1, "voucher_gap", "2024-03-11", "记-4", 1, "0.00");
    expect_w(&r, 2, "dup_payment", "2024-03-11", "记-4", 2, "12345.67");
    expect_w(&r, 3, "round_amount", "2024-03-12", "记-5", 2, "20000.00");
    expect_w(&r, 4, "same_maker_reviewer", "2024-03-04", "记-1", 1, "0.00");
    expect_w(&r, 5, "unbalanced_voucher", "2024-03-05", "记-2", 1, "10.00");
    expect_w(&r, 6, "near_threshold", "2024-03-04", "记-1", 2, "47500.00");
    expect_w(&r, 7, "cash_over_limit", "2024-03-05", "记-2", 2, "1500.00");
    static const char *const units[8] = {GOV, GOV, GOV, GOV, GOV2, GOV2, ENT, ENT};
    for (size_t i = 0; i < 8; i++) {
        assert_string_equal(jstr(wj(&r, i), "unit"), units[i]);
        assert_string_equal(jstr(wj(&r, i), "catalog_version"), "2026.1");
    }
    run_free(&r);
    ag_buf_release(&b);
}

static void the_result_does_not_depend_on_the_thread_count(void **state)
{
    (void)state;
    ag_buf b;
    mixed_ledger(&b);
    /* and a second file, so that the loader runs in parallel too */
    ag_buf b2;
    ledger_init(&b2);
    for (int i = 0; i < 40; i++) {
        char no[16], amount[24];
        snprintf(no, sizeof no, "%d", i + 1);
        snprintf(amount, sizeof amount, "%d.00", 10000 * (i % 3 + 1));
        add_pay(&b2, (ln){.unit = i % 2 ? GOV2 : "12120104MB0300003M",
                          .date = "2024-05-06",
                          .vno = no,
                          .credit = amount,
                          .cpty = i % 4 ? "甲公司" : "乙公司"});
    }
    const char *texts[2] = {ag_buf_str(&b), ag_buf_str(&b2)};
    char *first = NULL;
    size_t n0 = 0;
    static const int threads[] = {1, 2, 3, 8};
    for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++) {
        run r;
        scan_files(&r, texts, 2, NULL, NULL, threads[t]);
        ag_buf all;
        ag_buf_init(&all, (size_t)1 << 24);
        for (size_t i = 0; i < r.res.n; i++) {
            json_t *j = eng_warning_json(r.s, r.cat, cal, &r.res.w[i]);
            char *text = json_dumps(j, JSON_COMPACT);
            ag_buf_adds(&all, text);
            ag_buf_addc(&all, '\n');
            free(text);
            json_decref(j);
        }
        if (t == 0) {
            n0 = r.res.n;
            first = ag_buf_detach(&all);
            assert_true(n0 > 20);
        } else {
            assert_int_equal(r.res.n, n0);
            assert_string_equal(ag_buf_str(&all), first);
        }
        ag_buf_release(&all);
        run_free(&r);
    }
    free(first);
    ag_buf_release(&b);
    ag_buf_release(&b2);
}

static int setup(void **state)
{
    (void)state;
    ag_error err;
    return calendar_load_default(&cal, &err) == AG_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    calendar_free(cal);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unbalanced_voucher_sums_the_valid_lines),
        cmocka_unit_test(voucher_lines_need_not_be_adjacent),
        cmocka_unit_test(voucher_gap_per_month_and_type),
        cmocka_unit_test(voucher_gap_reports_at_most_1000_per_sequence),
        cmocka_unit_test(voucher_reuse_counts_distinct_dates),
        cmocka_unit_test(same_maker_reviewer_and_cashier_conflicts),
        cmocka_unit_test(nonworking_day_follows_the_holiday_calendar),
        cmocka_unit_test(dup_payment_window_bill_voucher_and_minimum),
        cmocka_unit_test(near_threshold_band_boundaries),
        cmocka_unit_test(near_threshold_parameters_from_the_catalog),
        cmocka_unit_test(split_payment_window_and_threshold),
        cmocka_unit_test(large_no_decision_looks_at_the_whole_voucher),
        cmocka_unit_test(cash_over_limit_boundary_and_settle_type),
        cmocka_unit_test(round_amount_multiples),
        cmocka_unit_test(payee_is_staff_with_and_without_the_list),
        cmocka_unit_test(yearend_spike_share_boundaries),
        cmocka_unit_test(receivable_aging_fifo_across_years),
        cmocka_unit_test(receivable_aging_boundary_is_strict),
        cmocka_unit_test(benford_first2_conforming_and_not),
        cmocka_unit_test(benford_first2_needs_min_count),
        cmocka_unit_test(voided_lines_are_ignored_by_the_payment_rules),
        cmocka_unit_test(enterprise_and_gov_charts_define_payments),
        cmocka_unit_test(filter_restricts_a_payment_rule),
        cmocka_unit_test(filter_on_a_voucher_rule_tests_the_first_line),
        cmocka_unit_test(filter_on_a_unit_year_rule_limits_the_sums),
        cmocka_unit_test(clean_ledger_raises_nothing_with_the_default_catalog),
        cmocka_unit_test(default_catalog_on_a_mixed_ledger),
        cmocka_unit_test(the_result_does_not_depend_on_the_thread_count),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
