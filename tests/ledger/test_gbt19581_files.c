/* test_gbt19581_files.c - the per-file steps of the GB/T 19581 reader over memory: GSSM and
 * DZZB book facts, KJKM levels and parents, KMYE sign conventions, JZPZ rows, and notes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "ledger/gbt19581_internal.h"
#include "../testutil.h"

#define MAXN 64

/* What the sink received, copied. */
typedef struct got {
    char unit_name[64], unit_code[64], currency[16], software[64], chart[64];
    int year;
    int nacc;
    struct {
        char code[24], parent[24];
        int level;
        char side;
    } acc[MAXN];
    int nbal;
    ledger_balance bal[MAXN];
    char bal_code[MAXN][24];
    int nrows;
    char row_acct_name[MAXN][32], row_extra[MAXN][256], row_vno[MAXN][16];
    ledger_row row[MAXN];
    int nnotes;
    char note_kind[MAXN][32], note_where[MAXN][64], note_en[MAXN][256];
} got;

static void cp(char *d, size_t n, const char *s)
{
    snprintf(d, n, "%s", s ? s : "");
}

static ag_err on_book(void *ctx, const ledger_book_info *b, ag_error *err)
{
    (void)err;
    got *g = ctx;
    cp(g->unit_name, sizeof g->unit_name, b->unit_name);
    cp(g->unit_code, sizeof g->unit_code, b->unit_code);
    cp(g->currency, sizeof g->currency, b->currency);
    cp(g->software, sizeof g->software, b->software);
    cp(g->chart, sizeof g->chart, b->chart_hint);
    g->year = b->fiscal_year;
    return AG_OK;
}

static ag_err on_account(void *ctx, const ledger_account *a, ag_error *err)
{
    (void)err;
    got *g = ctx;
    assert_true(g->nacc < MAXN);
    cp(g->acc[g->nacc].code, 24, a->code);
    cp(g->acc[g->nacc].parent, 24, a->parent_code);
    g->acc[g->nacc].level = a->level;
    g->acc[g->nacc].side = a->normal_side;
    g->nacc++;
    return AG_OK;
}

static ag_err on_balance(void *ctx, const ledger_balance *b, ag_error *err)
{
    (void)err;
    got *g = ctx;
    assert_true(g->nbal < MAXN);
    g->bal[g->nbal] = *b;
    cp(g->bal_code[g->nbal], 24, b->account_code);
    g->nbal++;
    return AG_OK;
}

static ag_err on_row(void *ctx, const ledger_row *r, ag_error *err)
{
    (void)err;
    got *g = ctx;
    assert_true(g->nrows < MAXN);
    g->row[g->nrows] = *r;
    cp(g->row_acct_name[g->nrows], 32, r->account_name);
    cp(g->row_extra[g->nrows], 256, r->extra_json);
    cp(g->row_vno[g->nrows], 16, r->voucher_no);
    g->nrows++;
    return AG_OK;
}

static ag_err on_note(void *ctx, const ledger_note *n, ag_error *err)
{
    (void)err;
    got *g = ctx;
    if (g->nnotes < MAXN) {
        cp(g->note_kind[g->nnotes], 32, n->kind);
        cp(g->note_where[g->nnotes], 64, n->where);
        cp(g->note_en[g->nnotes], 256, n->message_en);
    }
    g->nnotes++;
    return AG_OK;
}

/* A reading context with a capturing sink. */
typedef struct fx {
    got g;
    ledger_sink sink;
    ledger_gbt_opts opts;
    gbt_ctx c;
} fx;

static void fx_init(fx *f)
{
    memset(f, 0, sizeof *f);
    f->sink = (ledger_sink){.ctx = &f->g,
                            .book = on_book,
                            .account = on_account,
                            .balance = on_balance,
                            .row = on_row,
                            .note = on_note};
    f->opts.default_year = 2023;
    gbt_ctx_init(&f->c, &f->opts, &f->sink);
}

typedef ag_err (*step_fn)(gbt_ctx *c, gbt_text *t, ag_error *err);

/* Runs one file step over text (UTF-8) named name with the given layout. */
static ag_err run(fx *f, step_fn step, const char *name, const char *const *fields, int nfields,
                  bool plain, const char *text, ag_error *err)
{
    gbt_mem_src m;
    gbt_text t;
    ag_err rc =
        gbt_text_open(&t, name, gbt_src_mem(&m, text, strlen(text)), fields, nfields, plain, err);
    if (!rc)
        rc = step(&f->c, &t, err);
    gbt_text_close(&t);
    return rc;
}

static ag_err dzzb(fx *f, const char *text, ag_error *err)
{
    return run(f, gbt_read_dzzb, "DZZB.TXT", gbt_dzzb_fields, GBT_DZZB_NFIELDS, false, text, err);
}

static ag_err kjkm(fx *f, const char *text, ag_error *err)
{
    return run(f, gbt_read_kjkm, "KJKM.TXT", gbt_kjkm_fields, GBT_KJKM_NFIELDS, false, text, err);
}

static ag_err kmye(fx *f, const char *text, ag_error *err)
{
    return run(f, gbt_read_kmye, "KMYE.TXT", gbt_kmye_fields, GBT_KMYE_NFIELDS, false, text, err);
}

static ag_err jzpz(fx *f, const char *text, ag_error *err)
{
    return run(f, gbt_read_jzpz, "JZPZ.TXT", gbt_jzpz_fields, GBT_JZPZ_NFIELDS, false, text, err);
}

static int note_of(const got *g, const char *kind)
{
    for (int i = 0; i < g->nnotes && i < MAXN; i++)
        if (strcmp(g->note_kind[i], kind) == 0)
            return i;
    return -1;
}

static void dzzb_gives_the_book_and_gssm_fills_only_the_gaps(void **state)
{
    (void)state;
    fx f;
    ag_error err;
    fx_init(&f);
    /* Currency before the year (some exports), no unit name but a book name. */
    must(dzzb(&f,
              "\"001\"\t\"第一中学账套\"\t\"\"\t\"\"\t\"事业单位\"\t\"教育\"\t\"用友\"\t\"U8 "
              "10.1\"\t\"人民币\"\t\"2024\"\t\"4-2-2\"\n",
              &err),
         &err);
    must(run(&f, gbt_read_gssm, "GSSM.TXT", NULL, 1, true,
             "会计核算单位：南开区第一中学\n统一社会信用代码 = 12120104MB0000001X\n"
             "会计年度：2019年\n本位币：美元\n",
             &err),
         &err);
    must(gbt_push_book(&f.c, &err), &err);
    assert_string_equal(f.g.unit_name, "第一中学账套");       /* DZZB wins */
    assert_string_equal(f.g.unit_code, "12120104MB0000001X"); /* GSSM filled it */
    assert_int_equal(f.g.year, 2024);
    assert_string_equal(f.g.currency, "人民币");
    assert_string_equal(f.g.software, "用友 U8 10.1");
    assert_string_equal(f.g.chart, "政府会计制度"); /* 事业单位 from 2019 on */
    assert_int_equal(f.c.nseg, 3);
    assert_int_equal(f.g.nnotes, 0);
    gbt_ctx_release(&f.c);
}

static void dzzb_hints_faults_and_notes(void **state)
{
    (void)state;
    fx f;
    ag_error err;
    fx_init(&f);
    must(dzzb(&f, "1\t2\t单位\t\t行政单位\t\t\t\t2017\t\t4-0-2\nsecond\n", &err), &err);
    assert_int_equal(f.c.year, 2017);
    assert_string_equal(f.c.chart_hint, "行政单位会计制度");
    int s = note_of(&f.g, "dzzb_structure");
    assert_true(s >= 0);
    assert_string_equal(f.g.note_where[s], "DZZB.TXT:1:code_structure");
    int x = note_of(&f.g, "dzzb_extra_rows");
    assert_true(x >= 0);
    assert_string_equal(f.g.note_where[x], "DZZB.TXT:2");
    gbt_ctx_release(&f.c);

    fx_init(&f);
    assert_int_equal(dzzb(&f, "1\t2\t单位\t\t企业\t\t\t\t二〇二四\t\t\n", &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "DZZB.TXT:1:year");
    gbt_ctx_release(&f.c);

    fx_init(&f);
    must(dzzb(&f, "\n", &err), &err);
    assert_true(note_of(&f.g, "dzzb_empty") >= 0);
    must(gbt_push_book(&f.c, &err), &err);
    assert_int_equal(f.g.year, 2023); /* the default year */
    gbt_ctx_release(&f.c);
}

static void kjkm_levels_follow_the_structure_and_parents_the_longest_prefix(void **state)
{
    (void)state;
    fx f;
    ag_error err;
    fx_init(&f);
    must(dzzb(&f, "1\t2\t单位\t\t\t\t\t\t2024\t\t4-2-2\n", &err), &err);
    must(kjkm(&f,
              "1002\t银行存款\t\t\t\t资产\t\t借\n"
              "100201\t工行\t\t\t\t资产\t\tD\n"
              "10020101\t基本户\t\t\t\t资产\t\t1\n"
              "2307\t其他应付款\t\t\t\t负债\t\t贷\n"
              "230701\t押金\t\t\t\t负债\t\t2\n"
              "2307099\t奇长\t\t\t\t负债\t\t?\n"
              "100201\t重复\t\t\t\t资产\t\t借\n",
              &err),
         &err);
    must(gbt_push_accounts(&f.c, &err), &err);
    assert_int_equal(f.g.nacc, 6);
    struct {
        const char *code, *parent;
        int level;
        char side;
    } want[] = {{"1002", "", 1, 'D'}, {"100201", "1002", 2, 'D'}, {"10020101", "100201", 3, 'D'},
                {"2307", "", 1, 'C'}, {"230701", "2307", 2, 'C'}, {"2307099", "2307", 2, 0}};
    for (int i = 0; i < 6; i++) {
        assert_string_equal(f.g.acc[i].code, want[i].code);
        assert_string_equal(f.g.acc[i].parent, want[i].parent);
        assert_int_equal(f.g.acc[i].level, want[i].level);
        assert_int_equal(f.g.acc[i].side, want[i].side);
    }
    int d = note_of(&f.g, "kjkm_duplicate");
    assert_true(d >= 0);
    assert_string_equal(f.g.note_where[d], "KJKM.TXT:7");
    assert_true(note_of(&f.g, "kjkm_side") >= 0);
    assert_int_equal(gbt_account_find(&f.c, "230701"), 4);
    assert_int_equal(gbt_account_find(&f.c, "9999"), -1);

    /* A level the file states is kept; an empty code is a fault. */
    gbt_ctx_release(&f.c);
    fx_init(&f);
    must(kjkm(&f, "5001\t业务活动费用\t1\n500101\t工资\t3\n", &err), &err);
    must(gbt_push_accounts(&f.c, &err), &err);
    assert_int_equal(f.g.acc[1].level, 3);
    assert_int_equal(kjkm(&f, "\t无编号\n", &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "KJKM.TXT:1:code");
    assert_int_equal(kjkm(&f, "5002\tx\tone\n", &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "KJKM.TXT:1:level");
    gbt_ctx_release(&f.c);
}

/* One KMYE line: account, aux, opening, debit, credit, closing (yuan text), period. */
static void kmye_line(char *out, size_t n, const char *acct, const char *aux, const char *o,
                      const char *d, const char *c, const char *cl, const char *period)
{
    size_t len = strlen(out);
    snprintf(out + len, n - len, "%s\t\t%s\t%s\t\t\t%s\t\t\t%s\t\t\t%s\t\t\t%s\n", acct, aux, o, d,
             c, cl, period);
}

static void kmye_detects_balances_signed_by_the_normal_side_and_converts_them(void **state)
{
    (void)state;
    fx f;
    ag_error err;
    fx_init(&f);
    must(kjkm(&f, "1002\t银行存款\t1\t\t\t\t\t借\n2307\t其他应付款\t1\t\t\t\t\t贷\n", &err), &err);
    char text[1024] = "";
    /* 2307 credit-normal, positive balances: 100 - 30 + 50 = 120. */
    kmye_line(text, sizeof text, "2307", "", "100.00", "30", "50", "120", "202401");
    kmye_line(text, sizeof text, "2307", "", "120", "0", "10", "130", "2024-02");
    kmye_line(text, sizeof text, "1002", "", "500", "20", "5", "515", "3");
    kmye_line(text, sizeof text, "2307", "项目A", "1", "1", "2", "2", "3");
    must(kmye(&f, text, &err), &err);
    assert_int_equal(f.g.nbal, 3); /* the aux row is not passed on */
    assert_string_equal(f.g.bal_code[0], "2307");
    assert_int_equal(f.g.bal[0].period, 1);
    assert_int_equal(f.g.bal[0].opening, -10000);
    assert_int_equal(f.g.bal[0].closing, -12000);
    assert_int_equal(f.g.bal[0].debit, 3000);
    assert_int_equal(f.g.bal[1].period, 2);
    /* A debit-normal account is not touched. */
    assert_int_equal(f.g.bal[2].opening, 50000);
    assert_int_equal(f.g.bal[2].closing, 51500);
    int s = note_of(&f.g, "kmye_sign");
    assert_true(s >= 0);
    assert_non_null(strstr(f.g.note_en[s], "signed by the normal side"));
    assert_true(note_of(&f.g, "kmye_aux") >= 0);
    assert_int_equal(note_of(&f.g, "kmye_continuity"), -1);
    gbt_ctx_release(&f.c);
}

static void kmye_notes_a_continuity_break_and_rejects_a_bad_period(void **state)
{
    (void)state;
    fx f;
    ag_error err;
    fx_init(&f);
    char text[512] = "";
    kmye_line(text, sizeof text, "1001", "", "10", "5", "1", "99", "1");
    must(kmye(&f, text, &err), &err);
    int k = note_of(&f.g, "kmye_continuity");
    assert_true(k >= 0);
    assert_string_equal(f.g.note_where[k], "KMYE.TXT:1");
    assert_non_null(
        strstr(f.g.note_en[k], "opening 10.00 + debit 5.00 - credit 1.00 != closing 99.00"));
    /* Without KJKM the convention cannot be told: said so, taken as debit-positive. */
    int s = note_of(&f.g, "kmye_sign");
    assert_true(s >= 0);
    assert_non_null(strstr(f.g.note_en[s], "no KJKM.TXT"));
    assert_int_equal(f.g.bal[0].closing, 9900);

    text[0] = '\0';
    kmye_line(text, sizeof text, "1001", "", "0", "0", "0", "0", "17");
    assert_int_equal(kmye(&f, text, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "KMYE.TXT:1:period");
    text[0] = '\0';
    kmye_line(text, sizeof text, "1001", "", "0", "0", "0", "0", "");
    assert_int_equal(kmye(&f, text, &err), AG_ERR_INPUT);
    assert_non_null(strstr(err.en, "period is empty"));
    gbt_ctx_release(&f.c);
}

/* A JZPZ line from its 26 fields given as "|"-separated text. */
static void jz(char *out, size_t n, const char *bars)
{
    size_t len = strlen(out);
    for (const char *p = bars; *p && len + 2 < n; p++)
        out[len++] = *p == '|' ? '\t' : *p;
    out[len++] = '\n';
    out[len] = '\0';
}

static void jzpz_rows_carry_names_years_and_extras(void **state)
{
    (void)state;
    fx f;
    ag_error err;
    fx_init(&f);
    f.opts.unit_code = "U001";
    must(kjkm(&f, "1002\t银行存款\t1\n5001\t业务活动费用\t1\n", &err), &err);
    must(dzzb(&f, "1\t2\t单位\t\t\t\t\t\t2024\t\t\n", &err), &err);
    char text[2048] = "";
    jz(text, sizeof text,
       "20240105|记|12|1|付办公费|5001|1,200.00|0|||||||部门:行政|转账|增值税发票|FP001|"
       "2024-01-04|3|张三|李四|王五|赵六|1|0");
    jz(text, sizeof text,
       "2024-01-05|记|12|2|付办公费|1002|0|1200.000000|USD|0|170.00|7.05|0|0|||||||||||");
    jz(text, sizeof text, "2024/01/06|收|1|||9999|5|0|||||2|2.5||||||0||||||");
    must(jzpz(&f, text, &err), &err);
    assert_int_equal(f.g.nrows, 3);
    assert_int_equal((int)f.c.rows, 3);
    assert_string_equal(f.g.row_acct_name[0], "业务活动费用");
    assert_int_equal(f.g.row[0].debit, 120000);
    assert_int_equal(f.g.row[0].fiscal_year, 2024);
    assert_int_equal(f.g.row[0].line_no, 1);
    assert_int_equal(f.g.row[0].posted, 1);
    assert_int_equal(f.g.row[0].voided, 0);
    assert_string_equal(f.g.row_vno[0], "12");
    assert_string_equal(f.g.row_extra[0], "{\"aux\":\"部门:行政\",\"bill_type\":\"增值税发票\","
                                          "\"bill_date\":\"2024-01-04\",\"attachments\":3}");
    /* Foreign currency only when an amount in it is not zero. */
    assert_int_equal(f.g.row[1].credit, 120000);
    assert_string_equal(f.g.row_extra[1],
                        "{\"currency\":\"USD\",\"fc_debit\":\"0\",\"fc_credit\":\"170.00\","
                        "\"rate\":\"7.05\"}");
    assert_int_equal(f.g.row[1].posted, -1);
    /* An account KJKM does not know has no name; quantities go to extra. */
    assert_string_equal(f.g.row_acct_name[2], "");
    assert_string_equal(f.g.row_extra[2], "{\"qty\":\"2\",\"price\":\"2.5\"}");
    assert_int_equal(f.g.row[2].line_no, 0);
    gbt_ctx_release(&f.c);
}

static void jzpz_faults_name_the_field(void **state)
{
    (void)state;
    static const struct {
        const char *bars, *where, *en;
    } cases[] = {
        {"|记|1|1||1001|1|0||||||||||||||||||", "JZPZ.TXT:1:date", "voucher date is empty"},
        {"20240101|记||1||1001|1|0||||||||||||||||||", "JZPZ.TXT:1:no", "voucher number"},
        {"20240101|记|1|1|||1|0||||||||||||||||||", "JZPZ.TXT:1:account", "account code"},
        {"20240101|记|1|1||1001|1.234|0||||||||||||||||||", "JZPZ.TXT:1:debit", "2 decimals"},
        {"20240101|记|1|1||1001|1|0|||||||||||||||||x|0", "JZPZ.TXT:1:posted", "not a flag"},
        {"20240101|记|1|1||1001|1|0|||||||||||2024-02-30|||||||", "JZPZ.TXT:1:bill_date",
         "not a date"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fx f;
        ag_error err;
        fx_init(&f);
        char text[512] = "";
        jz(text, sizeof text, cases[i].bars);
        assert_int_equal(jzpz(&f, text, &err), AG_ERR_INPUT);
        assert_string_equal(err.where, cases[i].where);
        if (!strstr(err.en, cases[i].en))
            fail_msg("case %zu: %s", i, err.en);
        assert_int_equal(f.g.nrows, 0);
        gbt_ctx_release(&f.c);
    }
}

static void notes_of_a_kind_are_capped_and_then_summed_up(void **state)
{
    (void)state;
    fx f;
    ag_error err;
    fx_init(&f);
    unsigned total = LEDGER_GBT_MAX_NOTES_PER_KIND + 5;
    for (unsigned i = 0; i < total; i++)
        must(gbt_note(&f.c, "x_kind", "F:1", &err, "第 %u 条", "note %u", i), &err);
    assert_int_equal(f.g.nnotes, LEDGER_GBT_MAX_NOTES_PER_KIND);
    must(gbt_note_flush(&f.c, &err), &err);
    assert_int_equal(f.g.nnotes, LEDGER_GBT_MAX_NOTES_PER_KIND + 1);
    /* The summary is the last note sent; it is past the copied ones, so check the count only
     * and that a second flush sends nothing more. */
    must(gbt_note_flush(&f.c, &err), &err);
    assert_int_equal(f.g.nnotes, LEDGER_GBT_MAX_NOTES_PER_KIND + 1);
    gbt_ctx_release(&f.c);
}

static void the_arena_keeps_copies_until_released(void **state)
{
    (void)state;
    gbt_arena a = {0};
    char src[] = "南开区";
    const char *p = gbt_arena_strndup(&a, src, 3);
    src[0] = 'X';
    assert_string_equal(p, "南");
    /* Many and large strings: each stays intact. */
    const char *q[300];
    char big[5000];
    memset(big, 'b', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    for (int i = 0; i < 300; i++)
        q[i] = gbt_arena_strndup(&a, i % 50 ? "abc" : big, i % 50 ? 3 : sizeof big - 1);
    for (int i = 0; i < 300; i++)
        assert_int_equal(strlen(q[i]), i % 50 ? 3 : sizeof big - 1);
    assert_string_equal(p, "南");
    gbt_arena_release(&a);
    gbt_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dzzb_gives_the_book_and_gssm_fills_only_the_gaps),
        cmocka_unit_test(dzzb_hints_faults_and_notes),
        cmocka_unit_test(kjkm_levels_follow_the_structure_and_parents_the_longest_prefix),
        cmocka_unit_test(kmye_detects_balances_signed_by_the_normal_side_and_converts_them),
        cmocka_unit_test(kmye_notes_a_continuity_break_and_rejects_a_bad_period),
        cmocka_unit_test(jzpz_rows_carry_names_years_and_extras),
        cmocka_unit_test(jzpz_faults_name_the_field),
        cmocka_unit_test(notes_of_a_kind_are_capped_and_then_summed_up),
        cmocka_unit_test(the_arena_keeps_copies_until_released),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
