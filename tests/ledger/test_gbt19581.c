/* test_gbt19581.c - the GB/T 19581 reader: sets in folders and zips, encodings, signs and faults.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zip.h>

#include "ledger/gbt19581.h"
#include "util/date.h"
#include "util/hash.h"

#include "../testutil.h"

#include "util/banned.h"

/* ---- a sink that keeps everything ----------------------------------------- */

typedef struct cap_acc {
    char *code, *name, *parent, *class_name;
    int level;
    char side;
    int64_t line;
} cap_acc;

typedef struct cap_bal {
    char *code;
    int period;
    int64_t opening, debit, credit, closing, line;
} cap_bal;

typedef struct cap_row {
    char *type, *no, *summary, *account, *account_name, *extra, *maker, *reviewer, *poster,
        *cashier, *settle, *bill_no, *unit;
    int line_no, posted, voided, fiscal_year;
    int32_t date;
    int64_t src_line;
} cap_row;

typedef struct cap_note {
    char *kind, *where, *zh, *en;
} cap_note;

typedef struct cap {
    int nbook;
    char *unit_name, *unit_code, *currency, *software, *chart_hint;
    int fiscal_year;
    cap_acc acc[64];
    int nacc;
    cap_bal bal[400];
    int nbal;
    cap_row row[64];
    int nrow;
    int64_t rows, debit, credit;
    cap_note note[256];
    int nnote;
    char order[512]; /* B, A, L (balance), R in call order */
    int norder;
    int nprogress;
    uint64_t last_done, last_total;
} cap;

static char *dup0(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void mark(cap *c, char ch)
{
    if (c->norder < (int)sizeof c->order - 1)
        c->order[c->norder++] = ch;
}

static ag_err on_book(void *ctx, const ledger_book_info *b, ag_error *err)
{
    (void)err;
    cap *c = ctx;
    c->nbook++;
    c->unit_name = dup0(b->unit_name);
    c->unit_code = dup0(b->unit_code);
    c->currency = dup0(b->currency);
    c->software = dup0(b->software);
    c->chart_hint = dup0(b->chart_hint);
    c->fiscal_year = b->fiscal_year;
    mark(c, 'B');
    return AG_OK;
}

static ag_err on_account(void *ctx, const ledger_account *a, ag_error *err)
{
    (void)err;
    cap *c = ctx;
    assert_true(c->nacc < 64);
    cap_acc *x = &c->acc[c->nacc++];
    x->code = dup0(a->code);
    x->name = dup0(a->name);
    x->parent = dup0(a->parent_code);
    x->class_name = dup0(a->class_name);
    x->level = a->level;
    x->side = a->normal_side;
    x->line = a->src_line;
    mark(c, 'A');
    return AG_OK;
}

static ag_err on_balance(void *ctx, const ledger_balance *b, ag_error *err)
{
    (void)err;
    cap *c = ctx;
    assert_true(c->nbal < 400);
    cap_bal *x = &c->bal[c->nbal++];
    x->code = dup0(b->account_code);
    x->period = b->period;
    x->opening = b->opening;
    x->debit = b->debit;
    x->credit = b->credit;
    x->closing = b->closing;
    x->line = b->src_line;
    mark(c, 'L');
    return AG_OK;
}

static ag_err on_row(void *ctx, const ledger_row *r, ag_error *err)
{
    (void)err;
    cap *c = ctx;
    c->rows++;
    c->debit += r->debit;
    c->credit += r->credit;
    if (c->nrow < 64) {
        cap_row *x = &c->row[c->nrow++];
        x->type = dup0(r->voucher_type);
        x->no = dup0(r->voucher_no);
        x->summary = dup0(r->summary);
        x->account = dup0(r->account_code);
        x->account_name = dup0(r->account_name);
        x->extra = dup0(r->extra_json);
        x->maker = dup0(r->maker);
        x->reviewer = dup0(r->reviewer);
        x->poster = dup0(r->poster);
        x->cashier = dup0(r->cashier);
        x->settle = dup0(r->settle_type);
        x->bill_no = dup0(r->bill_no);
        x->unit = dup0(r->unit_code);
        x->line_no = r->line_no;
        x->posted = r->posted;
        x->voided = r->voided;
        x->fiscal_year = r->fiscal_year;
        x->date = r->date;
        x->src_line = r->src_line;
    }
    mark(c, 'R');
    return AG_OK;
}

static ag_err on_note(void *ctx, const ledger_note *n, ag_error *err)
{
    (void)err;
    cap *c = ctx;
    assert_non_null(n->kind);
    assert_non_null(n->where);
    assert_non_null(n->message_zh);
    assert_non_null(n->message_en);
    if (c->nnote < 256) {
        cap_note *x = &c->note[c->nnote++];
        x->kind = strdup(n->kind);
        x->where = strdup(n->where);
        x->zh = strdup(n->message_zh);
        x->en = strdup(n->message_en);
    }
    return AG_OK;
}

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
    cap *c = ctx;
    assert_true(done >= c->last_done);
    c->nprogress++;
    c->last_done = done;
    c->last_total = total;
}

static ledger_sink sink_of(cap *c)
{
    ledger_sink s = {c, on_book, on_account, on_balance, on_row, on_note, on_progress};
    return s;
}

static void cap_free(cap *c)
{
    free(c->unit_name);
    free(c->unit_code);
    free(c->currency);
    free(c->software);
    free(c->chart_hint);
    for (int i = 0; i < c->nacc; i++) {
        free(c->acc[i].code);
        free(c->acc[i].name);
        free(c->acc[i].parent);
        free(c->acc[i].class_name);
    }
    for (int i = 0; i < c->nbal; i++)
        free(c->bal[i].code);
    for (int i = 0; i < c->nrow; i++) {
        cap_row *x = &c->row[i];
        char *all[] = {x->type,   x->no,      x->summary,  x->account, x->account_name,
                       x->extra,  x->maker,   x->reviewer, x->poster,  x->cashier,
                       x->settle, x->bill_no, x->unit};
        for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
            free(all[k]);
    }
    for (int i = 0; i < c->nnote; i++) {
        free(c->note[i].kind);
        free(c->note[i].where);
        free(c->note[i].zh);
        free(c->note[i].en);
    }
    memset(c, 0, sizeof *c);
}

static int count_notes(const cap *c, const char *kind)
{
    int n = 0;
    for (int i = 0; i < c->nnote; i++)
        n += !strcmp(c->note[i].kind, kind);
    return n;
}

static const cap_note *find_note(const cap *c, const char *kind)
{
    for (int i = 0; i < c->nnote; i++)
        if (!strcmp(c->note[i].kind, kind))
            return &c->note[i];
    return NULL;
}

static const cap_acc *find_acc(const cap *c, const char *code)
{
    for (int i = 0; i < c->nacc; i++)
        if (!strcmp(c->acc[i].code, code))
            return &c->acc[i];
    return NULL;
}

static const cap_bal *find_bal(const cap *c, const char *code)
{
    for (int i = 0; i < c->nbal; i++)
        if (!strcmp(c->bal[i].code, code))
            return &c->bal[i];
    return NULL;
}

/* The push order is book, accounts, balances, rows. */
static void assert_order(const cap *c)
{
    static const char seq[] = "BALR";
    int stage = 0;
    for (int i = 0; i < c->norder; i++) {
        const char *p = strchr(seq, c->order[i]);
        assert_non_null(p);
        int s = (int)(p - seq);
        if (s < stage)
            fail_msg("push order broken at %d: %.*s", i, c->norder, c->order);
        stage = s;
    }
}

static int32_t day(int y, int m, int d)
{
    ag_date x = {y, m, d};
    return ag_date_to_days(x);
}

/* ---- fixtures -------------------------------------------------------------- */

enum { DZZB, GSSM, JZPZ, KJKM, KMYE };

static const char *const canon[5] = {"DZZB.TXT", "GSSM.TXT", "JZPZ.TXT", "KJKM.TXT", "KMYE.TXT"};

static const char dzzb_utf8[] =
    "\"001\"\t\"2024年账套\"\t\"天津市南开区示例中心\"\t\"12120104MB1234567X\"\t\"事业单位\"\t"
    "\"公共管理\"\t\"示例软件公司\"\t\"V8.0\"\t2024\t\"人民币\"\t\"4-2-2\"\n";

/* Free text; the stray quote must not matter. */
static const char gssm_utf8[] = "会计核算软件数据接口格式说明\n"
                                "单位名称：不应覆盖电子账簿里的名称\n"
                                "字符型数据用双引号\"括起来\n"
                                "JZPZ.TXT\t记账凭证\n";

static const char kjkm_utf8[] = "\"1001\"\t\"库存现金\"\t1\t0\t\"\"\t\"资产\"\t\"\"\t\"借\"\n"
                                "\"1002\"\t\"银行存款\"\t1\t0\t\"\"\t\"资产\"\t\"\"\t\"借\"\n"
                                "\"100201\"\t\"工商银行\"\t2\t0\t\"\"\t\"资产\"\t\"\"\t\"借\"\n"
                                "\"10020101\"\t\"工行基本户\"\t\t0\t\"\"\t\"资产\"\t\"\"\t\"D\"\n"
                                "\"2307\"\t\"其他应付款\"\t1\t1\t\"单位\"\t\"负债\"\t\"\"\t\"贷\"\n"
                                "\"4001\"\t\"财政拨款收入\"\t1\t0\t\"\"\t\"收入\"\t\"\"\t\"-1\"\n"
                                "\"5001\"\t\"业务活动费用\"\t1\t0\t\"\"\t\"费用\"\t\"\"\t\"1\"\n"
                                "\"500101\"\t\"工资福利费用\"\t\t0\t\"\"\t\"费用\"\t\"\"\t\"借\"\n";

/* Balances signed debit-positive: a credit balance is negative. */
static const char kmye_dp[] =
    "\"1001\"\t\"人民币\"\t\"\"\t500.00\t0\t0\t1000.00\t0\t0\t0\t0\t0\t1500.00\t0\t0\t1\n"
    "\"1002\"\t\"人民币\"\t\"\"\t100,000.00\t0\t0\t52,000.00\t0\t0\t13,345.67\t0\t0\t138,654."
    "33\t0\t0\t1\n"
    "\"100201\"\t\"人民币\"\t\"\"\t100000.00\t0\t0\t52000.00\t0\t0\t13345.67\t0\t0\t138654."
    "33\t0\t0\t1\n"
    "\"2307\"\t\"人民币\"\t\"\"\t-3000.00\t0\t0\t0\t0\t0\t2000.00\t0\t0\t-5000.00\t0\t0\t1\n"
    "\"2307\"\t\"人民币\"\t\"单位:001\"\t-3000.00\t0\t0\t0\t0\t0\t2000.00\t0\t0\t-5000."
    "00\t0\t0\t1\n"
    "\"4001\"\t\"人民币\"\t\"\"\t0\t0\t0\t0\t0\t0\t50000.00\t0\t0\t-50000.00\t0\t0\t1\n"
    "\"5001\"\t\"人民币\"\t\"\"\t0\t0\t0\t12345.67\t0\t0\t0\t0\t0\t12345.67\t0\t0\t1\n"
    "\"500101\"\t\"人民币\"\t\"\"\t0\t0\t0\t12345.67\t0\t0\t0\t0\t0\t12345.67\t0\t0\t01\n";

/* The same balances signed by each account's normal side. */
static const char kmye_ns[] =
    "\"1001\"\t\"人民币\"\t\"\"\t500.00\t0\t0\t1000.00\t0\t0\t0\t0\t0\t1500.00\t0\t0\t1\n"
    "\"1002\"\t\"人民币\"\t\"\"\t100,000.00\t0\t0\t52,000.00\t0\t0\t13,345.67\t0\t0\t138,654."
    "33\t0\t0\t1\n"
    "\"100201\"\t\"人民币\"\t\"\"\t100000.00\t0\t0\t52000.00\t0\t0\t13345.67\t0\t0\t138654."
    "33\t0\t0\t1\n"
    "\"2307\"\t\"人民币\"\t\"\"\t3000.00\t0\t0\t0\t0\t0\t2000.00\t0\t0\t5000.00\t0\t0\t1\n"
    "\"2307\"\t\"人民币\"\t\"单位:001\"\t3000.00\t0\t0\t0\t0\t0\t2000.00\t0\t0\t5000.00\t0\t0\t1\n"
    "\"4001\"\t\"人民币\"\t\"\"\t0\t0\t0\t0\t0\t0\t50000.00\t0\t0\t50000.00\t0\t0\t1\n"
    "\"5001\"\t\"人民币\"\t\"\"\t0\t0\t0\t12345.67\t0\t0\t0\t0\t0\t12345.67\t0\t0\t1\n"
    "\"500101\"\t\"人民币\"\t\"\"\t0\t0\t0\t12345.67\t0\t0\t0\t0\t0\t12345.67\t0\t0\t01\n";

#define JZ_TAIL_PLAIN                                                                              \
    "\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t0\t\"张三\"\t\"李四\"\t\"王五\"\t\"赵六\"\t1\t0\n"

/* Eight lines, four vouchers, 65,345.67 on each side. */
static const char jzpz_utf8[] =
    "20240105\t\"记\"\t\"0001\"\t1\t\"收到财政拨款\"\t\"100201\"\t\"50,000."
    "00\"\t0\t\"人民币\"\t0\t0\t1\t0\t0"
    "\t\"\"\t\"电汇\"\t\"\"\t\"DH001\"\t\"\"\t2\t\"张三\"\t\"李四\"\t\"王五\"\t\"赵六\"\t1\t0\n"
    "20240105\t\"记\"\t\"0001\"\t2\t\"收到财政拨款\"\t\"4001\"\t0\t50000."
    "00\t\"人民币\"\t0\t0\t1\t0\t0" JZ_TAIL_PLAIN
    "20240110\t\"记\"\t\"0002\"\t1\t\"支付工资\"\t\"500101\"\t  12,345.67 "
    "\t0\t\"人民币\"\t0\t0\t1\t2\t6172.835" JZ_TAIL_PLAIN
    "20240110\t\"记\"\t\"0002\"\t2\t\"支付工资\"\t\"100201\"\t0\t12345."
    "67\t\"人民币\"\t0\t0\t1\t0\t0" JZ_TAIL_PLAIN
    "20240120\t\"记\"\t\"0003\"\t1\t\"提取现金\"\t\"1001\"\t1000\t0\t\"人民币\"\t0\t0\t1\t0\t0\t\""
    "\"\t\"现金\""
    "\t\"现金支票\"\t\"XJ0001\"\t20240119\t1\t\"张三\"\t\"李四\"\t\"王五\"\t\"赵六\"\t1\t0\n"
    "20240120\t\"记\"\t\"0003\"\t2\t\"提取现金\"\t\"100201\"\t0\t1000."
    "00\t\"人民币\"\t0\t0\t1\t0\t0" JZ_TAIL_PLAIN
    "20240125\t\"记\"\t\"0004\"\t1\t\"收到押金\t含制表符和\"\"引号\"\"\"\t\"100201\"\t2000."
    "00\t0\t\"美元\""
    "\t281.69\t0\t7.1\t0\t0" JZ_TAIL_PLAIN
    "20240125\t\"记\"\t\"0004\"\t2\t\"收到押金\"\t\"2307\"\t0\t2000.00\t\"人民币\"\t0\t0\t1\t0\t0"
    "\t\"单位:001 "
    "某公司\"\t\"\"\t\"\"\t\"\"\t\"\"\t0\t\"张三\"\t\"李四\"\t\"王五\"\t\"赵六\"\t1\t0\n";

#define TOTAL_FEN 6534567

/* A set in memory or on disk: contents per kind (NULL absent) and names. */
typedef struct fx {
    const char *name[5];
    char *data[5];
    size_t len[5];
} fx;

static void fx_set(fx *f, int kind, const char *s)
{
    free(f->data[kind]);
    f->data[kind] = s ? strdup(s) : NULL;
    f->len[kind] = s ? strlen(s) : 0;
}

static void fx_setn(fx *f, int kind, const char *s, size_t n)
{
    free(f->data[kind]);
    f->data[kind] = malloc(n + 1);
    memcpy(f->data[kind], s, n);
    f->data[kind][n] = '\0';
    f->len[kind] = n;
}

static void fx_base(fx *f, const char *kmye)
{
    memset(f, 0, sizeof *f);
    fx_set(f, DZZB, dzzb_utf8);
    fx_set(f, GSSM, gssm_utf8);
    fx_set(f, JZPZ, jzpz_utf8);
    fx_set(f, KJKM, kjkm_utf8);
    fx_set(f, KMYE, kmye);
}

static void fx_free(fx *f)
{
    for (int k = 0; k < 5; k++)
        free(f->data[k]);
    memset(f, 0, sizeof *f);
}

/* Replaces every `from` in kind's text by `to`. */
static void fx_replace(fx *f, int kind, const char *from, const char *to)
{
    const char *s = f->data[kind];
    size_t fl = strlen(from), tl = strlen(to), n = 0;
    for (const char *p = s; (p = strstr(p, from)); p += fl)
        n++;
    char *out = malloc(f->len[kind] + n * (tl > fl ? tl - fl : 0) + 1), *o = out;
    const char *p = s, *q;
    while ((q = strstr(p, from))) {
        memcpy(o, p, (size_t)(q - p));
        o += q - p;
        memcpy(o, to, tl);
        o += tl;
        p = q + fl;
    }
    size_t rest = strlen(p);
    memcpy(o, p, rest + 1);
    o += rest;
    free(f->data[kind]);
    f->data[kind] = out;
    f->len[kind] = (size_t)(o - out);
}

static ag_err read_mem(const fx *f, const ledger_gbt_opts *o, cap *c, ledger_file_info *info,
                       ag_error *err)
{
    ledger_gbt_mem m[LEDGER_GBT_NKINDS];
    memset(m, 0, sizeof m);
    for (int k = 0; k < 5; k++) {
        m[k].present = f->data[k] != NULL;
        m[k].name = f->name[k];
        m[k].data = f->data[k];
        m[k].len = f->len[k];
    }
    ledger_sink s = sink_of(c);
    ag_error_clear(err);
    return ledger_read_gbt19581_mem(m, o, &s, info, err);
}

static int rm_cb(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p);
}

static void rm_rf(const char *path)
{
    nftw(path, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

static void write_file(const char *path, const void *p, size_t n)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(p, 1, n, fp), n);
    assert_int_equal(fclose(fp), 0);
}

/* Writes the set into a fresh folder; returns its path in out. */
static void fx_write_dir(const fx *f, const char *tag, char *out, size_t n)
{
    ag_test_path(out, n, tag);
    rm_rf(out);
    assert_int_equal(mkdir(out, 0755), 0);
    for (int k = 0; k < 5; k++) {
        if (!f->data[k])
            continue;
        char p[700];
        snprintf(p, sizeof p, "%s/%s", out, f->name[k] ? f->name[k] : canon[k]);
        write_file(p, f->data[k], f->len[k]);
    }
}

/* Zips the set (plus optional extra entries) with libzip. */
static void fx_write_zip(const fx *f, const char *tag, const char *prefix, char *out, size_t n,
                         const char *extra_name, const void *extra, size_t extra_len)
{
    ag_test_path(out, n, tag);
    int ze = 0;
    zip_t *z = zip_open(out, ZIP_CREATE | ZIP_TRUNCATE, &ze);
    assert_non_null(z);
    for (int k = 0; k < 5; k++) {
        if (!f->data[k])
            continue;
        char name[300];
        snprintf(name, sizeof name, "%s%s", prefix ? prefix : "",
                 f->name[k] ? f->name[k] : canon[k]);
        zip_source_t *src = zip_source_buffer(z, f->data[k], f->len[k], 0);
        assert_non_null(src);
        assert_true(zip_file_add(z, name, src, ZIP_FL_ENC_UTF_8) >= 0);
    }
    if (extra_name) {
        zip_source_t *src = zip_source_buffer(z, extra, extra_len, 0);
        assert_non_null(src);
        assert_true(zip_file_add(z, extra_name, src, ZIP_FL_ENC_UTF_8) >= 0);
    }
    if (prefix) {
        char dir[300];
        snprintf(dir, sizeof dir, "%s", prefix);
        assert_true(zip_dir_add(z, dir, ZIP_FL_ENC_UTF_8) >= 0);
    }
    assert_int_equal(zip_close(z), 0);
}

static void sha_of_file(const char *path, char out[AG_SHA256_HEX])
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    ag_sha256 h;
    ag_sha256_init(&h);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        ag_sha256_update(&h, buf, n);
    fclose(fp);
    ag_sha256_final_hex(&h, out);
}

/* The folder checksum: the files' bytes in upper-cased-name order. */
static void sha_of_set(const fx *f, char out[AG_SHA256_HEX])
{
    ag_sha256 h;
    ag_sha256_init(&h);
    for (int k = 0; k < 5; k++) /* DZZB, GSSM, JZPZ, KJKM, KMYE */
        if (f->data[k])
            ag_sha256_update(&h, f->data[k], f->len[k]);
    ag_sha256_final_hex(&h, out);
}

/* ---- what a clean read delivers -------------------------------------------- */

static void assert_clean_set(const cap *c, int64_t first_line)
{
    assert_order(c);
    assert_int_equal(c->nbook, 1);
    assert_string_equal(c->unit_name, "天津市南开区示例中心");
    assert_string_equal(c->unit_code, "12120104MB1234567X");
    assert_int_equal(c->fiscal_year, 2024);
    assert_string_equal(c->currency, "人民币");
    assert_string_equal(c->software, "示例软件公司 V8.0");
    assert_string_equal(c->chart_hint, "政府会计制度");

    assert_int_equal(c->nacc, 8);
    const cap_acc *a = find_acc(c, "100201");
    assert_non_null(a);
    assert_string_equal(a->name, "工商银行");
    assert_string_equal(a->parent, "1002");
    assert_int_equal(a->level, 2);
    assert_int_equal(a->side, 'D');
    assert_string_equal(a->class_name, "资产");
    a = find_acc(c, "10020101"); /* level left out: 科目结构 4-2-2 */
    assert_int_equal(a->level, 3);
    assert_string_equal(a->parent, "100201");
    assert_int_equal(a->side, 'D');
    a = find_acc(c, "500101");
    assert_int_equal(a->level, 2);
    assert_string_equal(a->parent, "5001");
    a = find_acc(c, "1001");
    assert_null(a->parent);
    assert_int_equal(a->level, 1);
    assert_int_equal(find_acc(c, "2307")->side, 'C');
    assert_int_equal(find_acc(c, "4001")->side, 'C');
    assert_int_equal(find_acc(c, "5001")->side, 'D');

    /* Balances: debit-positive whatever the file did; the aux row is not passed on. */
    assert_int_equal(c->nbal, 7);
    const cap_bal *b = find_bal(c, "2307");
    assert_int_equal(b->period, 1);
    assert_int_equal(b->opening, -300000);
    assert_int_equal(b->debit, 0);
    assert_int_equal(b->credit, 200000);
    assert_int_equal(b->closing, -500000);
    b = find_bal(c, "4001");
    assert_int_equal(b->closing, -5000000);
    b = find_bal(c, "1002");
    assert_int_equal(b->opening, 10000000);
    assert_int_equal(b->closing, 13865433);
    assert_int_equal(find_bal(c, "500101")->period, 1);
    assert_int_equal(count_notes(c, "kmye_aux"), 1);
    assert_int_equal(count_notes(c, "kmye_continuity"), 0);

    assert_int_equal(c->rows, 8);
    assert_int_equal(c->debit, TOTAL_FEN);
    assert_int_equal(c->credit, TOTAL_FEN);
    const cap_row *r = &c->row[0];
    assert_int_equal(r->date, day(2024, 1, 5));
    assert_string_equal(r->type, "记");
    assert_string_equal(r->no, "0001");
    assert_int_equal(r->line_no, 1);
    assert_string_equal(r->summary, "收到财政拨款");
    assert_string_equal(r->account, "100201");
    assert_string_equal(r->account_name, "工商银行");
    assert_string_equal(r->settle, "电汇");
    assert_string_equal(r->bill_no, "DH001");
    assert_string_equal(r->maker, "张三");
    assert_string_equal(r->reviewer, "李四");
    assert_string_equal(r->poster, "王五");
    assert_string_equal(r->cashier, "赵六");
    assert_int_equal(r->posted, 1);
    assert_int_equal(r->voided, 0);
    assert_int_equal(r->fiscal_year, 2024);
    assert_int_equal(r->src_line, first_line);
    assert_string_equal(r->extra, "{\"attachments\":2}");
    assert_null(c->row[1].extra);
    assert_string_equal(c->row[2].extra, "{\"qty\":\"2\",\"price\":\"6172.835\"}");
    assert_string_equal(
        c->row[4].extra,
        "{\"bill_type\":\"现金支票\",\"bill_date\":\"2024-01-19\",\"attachments\":1}");
    assert_string_equal(c->row[6].summary, "收到押金\t含制表符和\"引号\"");
    assert_string_equal(
        c->row[6].extra,
        "{\"currency\":\"美元\",\"fc_debit\":\"281.69\",\"fc_credit\":\"0\",\"rate\":\"7.1\"}");
    assert_string_equal(c->row[7].extra, "{\"aux\":\"单位:001 某公司\"}");
    assert_int_equal(c->row[7].src_line, first_line + 7);
    assert_true(c->nprogress >= 2);
    assert_int_equal(c->last_done, c->last_total);
}

static void clean_utf8_folder_and_zip(void **state)
{
    (void)state;
    fx f;
    fx_base(&f, kmye_dp);
    char dir[512], zpath[512], want[AG_SHA256_HEX];
    fx_write_dir(&f, "gbt-clean", dir, sizeof dir);

    cap c = {0};
    ledger_sink s = sink_of(&c);
    ledger_file_info info;
    ag_error err;
    ag_error_clear(&err);
    ledger_gbt_opts o = {0};
    o.unit_code = "U001";
    assert_int_equal(ledger_read_gbt19581(dir, &o, &s, &info, &err), AG_OK);
    assert_clean_set(&c, 1);
    assert_string_equal(c.row[0].unit, "U001");
    assert_string_equal(info.format, "gbt19581");
    assert_string_equal(info.encoding, "utf-8");
    assert_int_equal(info.rows, 8);
    sha_of_set(&f, want);
    assert_string_equal(info.sha256, want);
    assert_int_equal(info.bytes, f.len[0] + f.len[1] + f.len[2] + f.len[3] + f.len[4]);
    const cap_note *n = find_note(&c, "kmye_sign");
    assert_non_null(n);
    assert_non_null(strstr(n->en, "debit-positive"));
    cap_free(&c);

    /* The same set zipped inside a folder of the archive. */
    fx_write_zip(&f, "gbt-clean.zip", "导出/", zpath, sizeof zpath, NULL, NULL, 0);
    s = sink_of(&c);
    assert_int_equal(ledger_read_gbt19581(zpath, NULL, &s, &info, &err), AG_OK);
    assert_clean_set(&c, 1);
    assert_null(c.row[0].unit);
    sha_of_file(zpath, want);
    assert_string_equal(info.sha256, want);
    assert_int_equal(info.rows, 8);
    cap_free(&c);

    /* Memory gives the folder's checksum. */
    s = sink_of(&c);
    assert_int_equal(read_mem(&f, NULL, &c, &info, &err), AG_OK);
    sha_of_set(&f, want);
    assert_string_equal(info.sha256, want);
    cap_free(&c);

    rm_rf(dir);
    remove(zpath);
    fx_free(&f);
}

static void crlf_blank_lines_and_iso_dates(void **state)
{
    (void)state;
    fx f;
    fx_base(&f, kmye_dp);
    for (int k = 0; k < 5; k++)
        fx_replace(&f, k, "\n", "\r\n");
    cap c = {0};
    ag_error err;
    ledger_file_info info;
    assert_int_equal(read_mem(&f, NULL, &c, &info, &err), AG_OK);
    assert_clean_set(&c, 1);
    cap_free(&c);

    /* A leading blank line, blank lines between rows, a DOS end-of-file byte. */
    fx_replace(&f, JZPZ, "20240110", "\r\n  \r\n20240110");
    char *lead = malloc(f.len[JZPZ] + 8);
    snprintf(lead, f.len[JZPZ] + 8, "\r\n%s\x1a", f.data[JZPZ]);
    fx_set(&f, JZPZ, lead);
    free(lead);
    assert_int_equal(read_mem(&f, NULL, &c, &info, &err), AG_OK);
    assert_int_equal(c.rows, 8);
    assert_int_equal(c.row[0].src_line, 2);
    assert_int_equal(c.row[2].src_line, 6); /* after two blank lines */
    assert_int_equal(c.debit, TOTAL_FEN);
    cap_free(&c);
    fx_free(&f);

    /* ISO dates, and a DATETIME column's time of day ignored. */
    fx_base(&f, kmye_dp);
    fx_replace(&f, JZPZ, "20240105", "2024-01-05");
    fx_replace(&f, JZPZ, "20240110", "2024/01/10");
    fx_replace(&f, JZPZ, "20240120", "2024-01-20 00:00:00");
    assert_int_equal(read_mem(&f, NULL, &c, &info, &err), AG_OK);
    assert_clean_set(&c, 1);
    assert_int_equal(c.row[2].date, day(2024, 1, 10));
    assert_int_equal(c.row[4].date, day(2024, 1, 20));
    cap_free(&c);
    fx_free(&f);
}

static void short_rows_are_padded(void **state)
{
    (void)state;
    fx f;
    fx_base(&f, kmye_dp);
    fx_set(&f, JZPZ,
           "20240105\t\"记\"\t\"1\"\t1\t\"摘要\"\t\"1001\"\t100\n"
           "20240105\t\"记\"\t\"1\"\t2\t\"摘要\"\t\"4001\"\t\t100\n"
           "20240105\t\"记\"\t\"1\"\t\t\t\"4001\"\t1,234.5\t\t\"\"\t\t\t\t\t\n");
    cap c = {0};
    ag_error err;
    assert_int_equal(read_mem(&f, NULL, &c, NULL, &err), AG_OK);
    assert_int_equal(c.rows, 3);
    assert_int_equal(c.debit, 10000 + 123450);
    assert_int_equal(c.credit, 10000);
    assert_int_equal(c.row[0].posted, -1);
    assert_int_equal(c.row[0].voided, -1);
    assert_null(c.row[0].maker);
    assert_null(c.row[0].extra);
    assert_int_equal(c.row[2].line_no, 0);
    assert_null(c.row[2].summary);
    cap_free(&c);

    /* A quoted summary may break the line; numbering follows physical lines. */
    fx_set(&f, JZPZ,
           "20240105\t\"记\"\t\"1\"\t1\t\"第一行\r\n第二行\"\t\"1001\"\t5\r\n"
           "20240105\t\"记\"\t\"1\"\t2\t\"  \"\"带引号\"\" \" \t\"4001\"\t0\t5\r\n");
    assert_int_equal(read_mem(&f, NULL, &c, NULL, &err), AG_OK);
    assert_int_equal(c.rows, 2);
    assert_string_equal(c.row[0].summary, "第一行\r\n第二行");
    assert_int_equal(c.row[1].src_line, 3);
    assert_string_equal(c.row[1].summary, "\"带引号\"");
    cap_free(&c);
    fx_free(&f);
}

static void names_any_case_and_ignored_files(void **state)
{
    (void)state;
    fx f;
    fx_base(&f, kmye_dp);
    f.name[JZPZ] = "jzpz.txt";
    f.name[KJKM] = "Kjkm.Txt";
    f.name[KMYE] = "KMYE.txt";
    f.name[DZZB] = "dzzb.TXT";
    f.name[GSSM] = "gssm.txt";
    char dir[512], p[1300];
    fx_write_dir(&f, "gbt-case", dir, sizeof dir);
    snprintf(p, sizeof p, "%s/XM1.TXT", dir);
    write_file(p, "\"001\"\t\"办公室\"\n", strlen("\"001\"\t\"办公室\"\n"));
    snprintf(p, sizeof p, "%s/sub", dir);
    assert_int_equal(mkdir(p, 0755), 0);

    cap c = {0};
    ledger_sink s = sink_of(&c);
    ledger_file_info info;
    ag_error err;
    ag_error_clear(&err);
    assert_int_equal(ledger_read_gbt19581(dir, NULL, &s, &info, &err), AG_OK);
    assert_clean_set(&c, 1);
    assert_int_equal(count_notes(&c, "gbt_ignored_file"), 2);
    cap_free(&c);

    /* A fault names the file as it is in the folder. */
    fx_replace(&f, JZPZ, "1000\t0", "10x0\t0");
    rm_rf(dir);
    fx_write_dir(&f, "gbt-case", dir, sizeof dir);
    s = sink_of(&c);
    assert_int_equal(ledger_read_gbt19581(dir, NULL, &s, &info, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "jzpz.txt:5:debit");
    cap_free(&c);

    /* Two files that are both JZPZ.TXT to a case-blind eye: refused. */
    snprintf(p, sizeof p, "%s/JZPZ.TXT", dir);
    write_file(p, jzpz_utf8, strlen(jzpz_utf8));
    s = sink_of(&c);
    assert_int_equal(ledger_read_gbt19581(dir, NULL, &s, &info, &err), AG_ERR_INPUT);
    assert_int_equal(c.rows, 0);
    cap_free(&c);
    rm_rf(dir);
    fx_free(&f);
}

/* ---- GB18030 ------------------------------------------------------------------- */

/* The same words as byte escapes (iconv -f UTF-8 -t GB18030): 库存现金, 银行存款,
 * 财政拨款收入, 借, 贷, 天津市南开区示例中心, 人民币, 记, 收到财政拨款, 张三. */
#define G_KUCUN    "\xbf\xe2\xb4\xe6\xcf\xd6\xbd\xf0"
#define G_YINHANG  "\xd2\xf8\xd0\xd0\xb4\xe6\xbf\xee"
#define G_BOKUAN   "\xb2\xc6\xd5\xfe\xb2\xa6\xbf\xee\xca\xd5\xc8\xeb"
#define G_JIE      "\xbd\xe8"
#define G_DAI      "\xb4\xfb"
#define G_UNIT     "\xcc\xec\xbd\xf2\xca\xd0\xc4\xcf\xbf\xaa\xc7\xf8\xca\xbe\xc0\xfd\xd6\xd0\xd0\xc4"
#define G_RMB      "\xc8\xcb\xc3\xf1\xb1\xd2"
#define G_JI       "\xbc\xc7"
#define G_SHOUDAO  "\xca\xd5\xb5\xbd\xb2\xc6\xd5\xfe\xb2\xa6\xbf\xee"
#define G_ZHANGSAN "\xd5\xc5\xc8\xfd"

static void gb18030_set(void **state)
{
    (void)state;
    fx f;
    memset(&f, 0, sizeof f);
    fx_set(&f, DZZB,
           "\"001\"\t\"\"\t\"" G_UNIT "\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t2023\t\"" G_RMB
           "\"\t\"4-2\"\r\n");
    fx_set(&f, KJKM,
           "\"1001\"\t\"" G_KUCUN "\"\t1\t0\t\"\"\t\"\"\t\"\"\t\"" G_JIE "\"\r\n"
           "\"1002\"\t\"" G_YINHANG "\"\t1\t0\t\"\"\t\"\"\t\"\"\t\"" G_JIE "\"\r\n"
           "\"4001\"\t\"" G_BOKUAN "\"\t1\t0\t\"\"\t\"\"\t\"\"\t\"" G_DAI "\"\r\n");
    /* The first line is pure ASCII: the encoding is told by the second. */
    fx_set(&f, JZPZ,
           "20230301\t\"\"\t\"7\"\t1\t\"\"\t\"1002\"\t88.80\t0\r\n"
           "20230301\t\"" G_JI "\"\t\"7\"\t2\t\"" G_SHOUDAO "\"\t\"4001\"\t0\t88.80\t\"" G_RMB
           "\"\t0\t0\t1\t0\t0\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t0\t\"" G_ZHANGSAN "\"\r\n");
    fx_set(&f, KMYE,
           "\"1002\"\t\"" G_RMB "\"\t\"\"\t0\t0\t0\t88.80\t0\t0\t0\t0\t0\t88.80\t0\t0\t3\r\n"
           "\"4001\"\t\"" G_RMB "\"\t\"\"\t0\t0\t0\t0\t0\t0\t88.80\t0\t0\t88.80\t0\t0\t3\r\n");
    cap c = {0};
    ag_error err;
    ledger_file_info info;
    assert_int_equal(read_mem(&f, NULL, &c, &info, &err), AG_OK);
    assert_string_equal(info.encoding, "gb18030");
    assert_string_equal(c.unit_name, "天津市南开区示例中心");
    assert_string_equal(c.currency, "人民币");
    assert_int_equal(c.fiscal_year, 2023);
    assert_int_equal(c.nacc, 3);
    assert_string_equal(find_acc(&c, "1001")->name, "库存现金");
    assert_int_equal(find_acc(&c, "4001")->side, 'C');
    assert_int_equal(c.rows, 2);
    assert_string_equal(c.row[1].type, "记");
    assert_string_equal(c.row[1].summary, "收到财政拨款");
    assert_string_equal(c.row[1].maker, "张三");
    assert_string_equal(c.row[0].account_name, "银行存款");
    /* Signed by the normal side: 4001's credit balance comes out negative. */
    assert_int_equal(find_bal(&c, "4001")->closing, -8880);
    assert_int_equal(find_bal(&c, "4001")->period, 3);
    cap_free(&c);
    fx_free(&f);
}

/* ---- KMYE signs ------------------------------------------------------------------ */

static void kmye_both_conventions_agree(void **state)
{
    (void)state;
    fx a, b;
    fx_base(&a, kmye_dp);
    fx_base(&b, kmye_ns);
    cap ca = {0}, cb = {0};
    ag_error err;
    assert_int_equal(read_mem(&a, NULL, &ca, NULL, &err), AG_OK);
    assert_int_equal(read_mem(&b, NULL, &cb, NULL, &err), AG_OK);
    assert_non_null(strstr(find_note(&ca, "kmye_sign")->en, "debit-positive ("));
    assert_non_null(strstr(find_note(&cb, "kmye_sign")->en, "signed by the normal side"));
    assert_int_equal(ca.nbal, cb.nbal);
    for (int i = 0; i < ca.nbal; i++) {
        assert_string_equal(ca.bal[i].code, cb.bal[i].code);
        assert_int_equal(ca.bal[i].opening, cb.bal[i].opening);
        assert_int_equal(ca.bal[i].debit, cb.bal[i].debit);
        assert_int_equal(ca.bal[i].credit, cb.bal[i].credit);
        assert_int_equal(ca.bal[i].closing, cb.bal[i].closing);
    }
    assert_clean_set(&cb, 1);
    cap_free(&ca);
    cap_free(&cb);

    /* Nothing tells the conventions apart: a note, and debit-positive. */
    fx_set(&b, KMYE, "\"2307\"\t\"\"\t\"\"\t3000.00\t0\t0\t0\t0\t0\t0\t0\t0\t3000.00\t0\t0\t1\n");
    assert_int_equal(read_mem(&b, NULL, &cb, NULL, &err), AG_OK);
    assert_non_null(strstr(find_note(&cb, "kmye_sign")->en, "cannot be told"));
    assert_int_equal(find_bal(&cb, "2307")->closing, 300000);
    cap_free(&cb);
    fx_free(&a);
    fx_free(&b);
}

static void kmye_continuity_break_is_noted(void **state)
{
    (void)state;
    fx f;
    fx_base(&f, kmye_ns);
    fx_replace(&f, KMYE, "1000.00\t0\t0\t0\t0\t0\t1500.00", "1000.00\t0\t0\t0\t0\t0\t1600.00");
    cap c = {0};
    ag_error err;
    assert_int_equal(read_mem(&f, NULL, &c, NULL, &err), AG_OK);
    assert_int_equal(count_notes(&c, "kmye_continuity"), 1);
    const cap_note *n = find_note(&c, "kmye_continuity");
    assert_string_equal(n->where, "KMYE.TXT:1");
    assert_non_null(strstr(n->zh, "1001"));
    assert_int_equal(find_bal(&c, "1001")->closing, 160000); /* still passed on */
    assert_int_equal(c.nbal, 7);
    assert_non_null(strstr(find_note(&c, "kmye_sign")->en, "normal side"));
    cap_free(&c);
    fx_free(&f);
}

/* ---- faults ------------------------------------------------------------------------ */

static void expect_fault(fx *f, const char *where)
{
    cap c = {0};
    ag_error err;
    ag_err rc = read_mem(f, NULL, &c, NULL, &err);
    if (rc != AG_ERR_INPUT)
        fail_msg("expected a rejection at %s, got %d (%s)", where, rc, err.where);
    if (strcmp(err.where, where))
        fail_msg("expected where %s, got %s (%s)", where, err.where, err.en);
    assert_true(err.zh[0] && err.en[0]);
    cap_free(&c);
}

static void structural_faults_name_file_line_field(void **state)
{
    (void)state;
    fx f;

    fx_base(&f, kmye_dp); /* a number that is not a number */
    fx_replace(&f, JZPZ, "12345.67\t\"人民币\"\t0\t0\t1\t0\t0",
               "12345.6x\t\"人民币\"\t0\t0\t1\t0\t0");
    expect_fault(&f, "JZPZ.TXT:4:credit");
    fx_free(&f);

    fx_base(&f, kmye_dp); /* a date that is not a date */
    fx_replace(&f, JZPZ, "20240110", "20240230");
    expect_fault(&f, "JZPZ.TXT:3:date");
    fx_free(&f);

    fx_base(&f, kmye_dp); /* too many fields */
    fx_replace(&f, JZPZ, "\t1\t0\n20240105", "\t1\t0\t\"多余\"\n20240105");
    expect_fault(&f, "JZPZ.TXT:1:27");
    fx_free(&f);

    fx_base(&f, kmye_dp); /* a trailing empty field is harmless */
    fx_replace(&f, JZPZ, "\t1\t0\n", "\t1\t0\t\n");
    cap c = {0};
    ag_error err;
    assert_int_equal(read_mem(&f, NULL, &c, NULL, &err), AG_OK);
    assert_int_equal(c.rows, 8);
    cap_free(&c);
    fx_free(&f);

    fx_base(&f, kmye_dp); /* truncated: a quote left open at the end */
    fx_set(&f, JZPZ,
           "20240105\t\"记\"\t\"1\"\t1\t\"ok\"\t\"1001\"\t1\t0\n"
           "20240105\t\"记\"\t\"1\"\t2\t\"cut off\n in the middle");
    expect_fault(&f, "JZPZ.TXT:2:summary");
    fx_free(&f);

    fx_base(&f, kmye_dp); /* unreadable encoding: UTF-8 first, then bytes that are not */
    fx_replace(&f, JZPZ, "\"提取现金\"\t\"100201\"", "\"\xff\xfe\"\t\"100201\"");
    expect_fault(&f, "JZPZ.TXT:6:summary");
    fx_free(&f);

    fx_base(&f, kmye_dp); /* a line over the bound */
    {
        size_t n = LEDGER_MAX_LINE_BYTES + 100;
        char *big = malloc(n + 200);
        int k =
            snprintf(big, 200, "20240105\t\"记\"\t\"1\"\t1\t\"ok\"\t\"1001\"\t1\t0\n20240105\t\"");
        memset(big + k, 'a', n);
        memcpy(big + k + n, "\"\n", 3);
        fx_setn(&f, JZPZ, big, (size_t)k + n + 2);
        free(big);
    }
    expect_fault(&f, "JZPZ.TXT:2");
    fx_free(&f);

    fx_base(&f, kmye_dp); /* missing required values */
    fx_replace(&f, JZPZ, "\"0003\"\t2\t\"提取现金\"\t\"100201\"",
               "\"0003\"\t2\t\"提取现金\"\t\"\"");
    expect_fault(&f, "JZPZ.TXT:6:account");
    fx_free(&f);

    fx_base(&f, kmye_dp); /* more decimals than fen */
    fx_replace(&f, JZPZ, "2000.00\t0", "2000.005\t0");
    expect_fault(&f, "JZPZ.TXT:7:debit");
    fx_free(&f);

    fx_base(&f, kmye_dp); /* "12.500000" is fine */
    fx_replace(&f, JZPZ, "2000.00\t0", "2000.000000\t0");
    assert_int_equal(read_mem(&f, NULL, &c, NULL, &err), AG_OK);
    assert_int_equal(c.debit, TOTAL_FEN);
    cap_free(&c);
    fx_free(&f);

    fx_base(&f, kmye_dp); /* a flag that is not a flag */
    fx_replace(&f, JZPZ, "\"赵六\"\t1\t0\n20240120", "\"赵六\"\t7\t0\n20240120");
    expect_fault(&f, "JZPZ.TXT:4:posted");
    fx_free(&f);

    fx_base(&f, kmye_dp); /* KMYE and KJKM faults */
    fx_replace(&f, KMYE, "0\t0\t01\n", "0\t0\t一月\n");
    expect_fault(&f, "KMYE.TXT:8:period");
    fx_free(&f);
    fx_base(&f, kmye_dp);
    fx_replace(&f, KMYE, "138,654.33", "138.654,33");
    expect_fault(&f, "KMYE.TXT:2:closing");
    fx_free(&f);
    fx_base(&f, kmye_dp);
    fx_replace(&f, KJKM, "\"2307\"\t\"其他应付款\"\t1", "\"2307\"\t\"其他应付款\"\t一");
    expect_fault(&f, "KJKM.TXT:5:level");
    fx_free(&f);
    fx_base(&f, kmye_dp);
    fx_replace(&f, DZZB, "\t2024\t", "\t二〇二四\t");
    expect_fault(&f, "DZZB.TXT:1:year");
    fx_free(&f);

    fx_base(&f, kmye_dp); /* UTF-16 is refused at once */
    fx_setn(&f, KJKM, "\xff\xfe\"\0001\0", 6);
    expect_fault(&f, "KJKM.TXT:1");
    fx_free(&f);

    fx_base(&f, kmye_dp); /* a broken GSSM is only a note */
    fx_set(&f, GSSM, "说明\n\xff\xff\xff\n");
    assert_int_equal(read_mem(&f, NULL, &c, NULL, &err), AG_OK);
    assert_int_equal(count_notes(&c, "gssm_unreadable"), 1);
    assert_int_equal(c.rows, 8);
    cap_free(&c);
    fx_free(&f);
}

static void missing_files(void **state)
{
    (void)state;
    fx f;
    fx_base(&f, kmye_dp);
    fx_set(&f, JZPZ, NULL);
    char dir[512];
    fx_write_dir(&f, "gbt-nojzpz", dir, sizeof dir);
    cap c = {0};
    ledger_sink s = sink_of(&c);
    ag_error err;
    ag_error_clear(&err);
    assert_int_equal(ledger_read_gbt19581(dir, NULL, &s, NULL, &err), AG_ERR_INPUT);
    assert_non_null(strstr(err.en, "JZPZ.TXT"));
    assert_int_equal(c.nbook + c.nacc + c.nbal + c.nrow + c.nnote, 0);
    cap_free(&c);
    rm_rf(dir);
    fx_free(&f);

    /* JZPZ alone is enough, with notes for what is missing. */
    memset(&f, 0, sizeof f);
    fx_set(&f, JZPZ, jzpz_utf8);
    ledger_gbt_opts o = {0};
    o.default_year = 2030;
    ledger_file_info info;
    assert_int_equal(read_mem(&f, &o, &c, &info, &err), AG_OK);
    assert_int_equal(c.rows, 8);
    assert_int_equal(c.nbook, 1);
    assert_int_equal(c.fiscal_year, 2030);
    assert_int_equal(c.row[0].fiscal_year, 2030);
    assert_null(c.row[0].account_name);
    assert_int_equal(count_notes(&c, "gbt_missing_file"), 3);
    assert_int_equal(c.debit, TOTAL_FEN);
    cap_free(&c);
    fx_free(&f);

    /* KMYE without KJKM: no sides, so debit-positive with a note. */
    memset(&f, 0, sizeof f);
    fx_set(&f, JZPZ, jzpz_utf8);
    fx_set(&f, KMYE, kmye_ns);
    assert_int_equal(read_mem(&f, NULL, &c, NULL, &err), AG_OK);
    assert_non_null(strstr(find_note(&c, "kmye_sign")->en, "no KJKM"));
    assert_int_equal(find_bal(&c, "2307")->closing, 500000);
    cap_free(&c);
    fx_free(&f);
}

static void zip_bounds(void **state)
{
    (void)state;
    fx f;
    fx_base(&f, kmye_dp);
    char zpath[512];
    size_t n = 20u << 20;
    char *zeros = calloc(1, n);

    /* An entry that inflates a thousandfold. */
    fx_write_zip(&f, "gbt-bomb.zip", NULL, zpath, sizeof zpath, "XM1.TXT", zeros, n);
    cap c = {0};
    ledger_sink s = sink_of(&c);
    ag_error err;
    ag_error_clear(&err);
    assert_int_equal(ledger_read_gbt19581(zpath, NULL, &s, NULL, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "XM1.TXT");
    assert_non_null(strstr(err.en, "ratio"));
    assert_int_equal(c.rows, 0);
    cap_free(&c);
    remove(zpath);

    /* Entry count, entry size and total size bounds. */
    fx_write_zip(&f, "gbt-many.zip", NULL, zpath, sizeof zpath, NULL, NULL, 0);
    ledger_gbt_opts o = {0};
    o.max_entries = 4;
    s = sink_of(&c);
    assert_int_equal(ledger_read_gbt19581(zpath, &o, &s, NULL, &err), AG_ERR_INPUT);
    assert_non_null(strstr(err.en, "too many entries"));
    memset(&o, 0, sizeof o);
    o.max_entry_bytes = 100;
    assert_int_equal(ledger_read_gbt19581(zpath, &o, &s, NULL, &err), AG_ERR_INPUT);
    assert_non_null(strstr(err.en, "too large"));
    memset(&o, 0, sizeof o);
    o.max_total_bytes = 1000;
    assert_int_equal(ledger_read_gbt19581(zpath, &o, &s, NULL, &err), AG_ERR_INPUT);
    assert_non_null(strstr(err.en, "uncompressed size"));
    assert_int_equal(c.rows, 0);
    cap_free(&c);
    remove(zpath);

    /* A file that is no zip at all. */
    ag_test_path(zpath, sizeof zpath, "gbt-notzip.zip");
    write_file(zpath, "not a zip", 9);
    s = sink_of(&c);
    assert_int_equal(ledger_read_gbt19581(zpath, NULL, &s, NULL, &err), AG_ERR_INPUT);
    cap_free(&c);
    remove(zpath);
    free(zeros);
    fx_free(&f);
}

static ag_err refuse_third_row(void *ctx, const ledger_row *r, ag_error *err)
{
    cap *c = ctx;
    (void)r;
    if (++c->rows == 3)
        return ag_fail(err, AG_ERR_STORE, "sink", "写入失败", "write failed");
    return AG_OK;
}

static void sink_error_aborts_and_single_file_parse(void **state)
{
    (void)state;
    fx f;
    fx_base(&f, kmye_dp);
    cap c = {0};
    ledger_sink s = sink_of(&c);
    s.row = refuse_third_row;
    ledger_gbt_mem m[LEDGER_GBT_NKINDS];
    memset(m, 0, sizeof m);
    for (int k = 0; k < 5; k++) {
        m[k].present = 1;
        m[k].data = f.data[k];
        m[k].len = f.len[k];
    }
    ag_error err;
    ag_error_clear(&err);
    assert_int_equal(ledger_read_gbt19581_mem(m, NULL, &s, NULL, &err), AG_ERR_STORE);
    assert_string_equal(err.where, "sink");
    assert_int_equal(c.rows, 3);
    cap_free(&c);

    s = sink_of(&c);
    assert_int_equal(
        ledger_gbt19581_parse(LEDGER_GBT_KJKM, NULL, f.data[KJKM], f.len[KJKM], NULL, &s, &err),
        AG_OK);
    assert_int_equal(c.nacc, 8);
    assert_int_equal(c.nbook, 0);
    assert_int_equal(find_acc(&c, "10020101")->level, 3); /* parents, no structure */
    cap_free(&c);

    s = sink_of(&c);
    assert_int_equal(ledger_gbt19581_parse(LEDGER_GBT_JZPZ, "x/jzpz.txt", f.data[JZPZ], f.len[JZPZ],
                                           NULL, &s, &err),
                     AG_OK);
    assert_int_equal(c.rows, 8);
    assert_int_equal(c.nbook, 0);
    cap_free(&c);

    assert_int_equal(ledger_gbt_kind_of("a/b/Jzpz.Txt"), LEDGER_GBT_JZPZ);
    assert_int_equal(ledger_gbt_kind_of("C:\\x\\kmye.TXT"), LEDGER_GBT_KMYE);
    assert_int_equal(ledger_gbt_kind_of("JZPZ.TXT.bak"), -1);
    assert_string_equal(ledger_gbt_kind_name(LEDGER_GBT_GSSM), "GSSM.TXT");
    fx_free(&f);
}

static void many_continuity_breaks_are_summed_up(void **state)
{
    (void)state;
    fx f;
    memset(&f, 0, sizeof f);
    fx_set(&f, JZPZ, jzpz_utf8);
    size_t cap_bytes = 400 * 80;
    char *k = malloc(cap_bytes), *p = k;
    for (int i = 0; i < 300; i++)
        p += snprintf(p, 80, "\"9%03d\"\t\"\"\t\"\"\t1\t0\t0\t1\t0\t0\t0\t0\t0\t5\t0\t0\t1\n", i);
    fx_set(&f, KMYE, k);
    free(k);
    cap c = {0};
    ag_error err;
    assert_int_equal(read_mem(&f, NULL, &c, NULL, &err), AG_OK);
    assert_int_equal(c.nbal, 300);
    assert_int_equal(count_notes(&c, "kmye_continuity"), LEDGER_GBT_MAX_NOTES_PER_KIND + 1);
    cap_free(&c);
    fx_free(&f);
}

int main(void)
{
    ag_crypto_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(clean_utf8_folder_and_zip),
        cmocka_unit_test(crlf_blank_lines_and_iso_dates),
        cmocka_unit_test(short_rows_are_padded),
        cmocka_unit_test(names_any_case_and_ignored_files),
        cmocka_unit_test(gb18030_set),
        cmocka_unit_test(kmye_both_conventions_agree),
        cmocka_unit_test(kmye_continuity_break_is_noted),
        cmocka_unit_test(structural_faults_name_file_line_field),
        cmocka_unit_test(missing_files),
        cmocka_unit_test(zip_bounds),
        cmocka_unit_test(sink_error_aborts_and_single_file_parse),
        cmocka_unit_test(many_continuity_breaks_are_summed_up),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
