/* test_csv.c - the voucher-line CSV reader: headers, layouts, encodings, and the faults that reject
 * a file. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/csv.h"
#include "ledger/table.h"
#include "../testutil.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/hash.h"

/* ---- a sink that counts, sums and keeps the first rows ---- */

#define KEEP 16

typedef struct got_row {
    char unit[40], voucher_no[40], voucher_type[16], summary[256], account[32], account_name[64];
    char counterparty[128], extra[512];
    int32_t date;
    int64_t debit, credit, src_line;
    int year, period, line_no, posted, voided;
    bool has_extra, has_unit;
} got_row;

typedef struct counter {
    int64_t rows, debit, credit;
    got_row r[KEEP];
    int progress_calls;
    int fail_at; /* 1-based row at which the sink fails, 0 never */
} counter;

static void keep(char *dst, size_t n, const char *s)
{
    snprintf(dst, n, "%s", s ? s : "");
}

static ag_err count_row(void *ctx, const ledger_row *r, ag_error *err)
{
    counter *k = ctx;
    if (k->fail_at && k->rows + 1 == k->fail_at)
        return ag_fail(err, AG_ERR_STORE, "sink", "写入失败", "sink refused the row");
    if (k->rows < KEEP) {
        got_row *g = &k->r[k->rows];
        keep(g->unit, sizeof g->unit, r->unit_code);
        g->has_unit = r->unit_code != NULL;
        keep(g->voucher_no, sizeof g->voucher_no, r->voucher_no);
        keep(g->voucher_type, sizeof g->voucher_type, r->voucher_type);
        keep(g->summary, sizeof g->summary, r->summary);
        keep(g->account, sizeof g->account, r->account_code);
        keep(g->account_name, sizeof g->account_name, r->account_name);
        keep(g->counterparty, sizeof g->counterparty, r->counterparty);
        keep(g->extra, sizeof g->extra, r->extra_json);
        g->has_extra = r->extra_json != NULL;
        g->date = r->date;
        g->debit = r->debit;
        g->credit = r->credit;
        g->src_line = r->src_line;
        g->year = r->fiscal_year;
        g->period = r->period;
        g->line_no = r->line_no;
        g->posted = r->posted;
        g->voided = r->voided;
    }
    k->rows++;
    k->debit += r->debit;
    k->credit += r->credit;
    return AG_OK;
}

static void count_progress(void *ctx, uint64_t done, uint64_t total)
{
    counter *k = ctx;
    assert_true(total == 0 || done <= total);
    k->progress_calls++;
}

static ledger_sink sink_for(counter *k)
{
    ledger_sink s = {.ctx = k, .row = count_row, .progress = count_progress};
    return s;
}

static ag_err read_with(const char *data, size_t len, const ledger_csv_opts *o, counter *k,
                        ledger_file_info *info, ag_error *err)
{
    memset(k, 0, sizeof *k);
    ledger_sink s = sink_for(k);
    ag_error_clear(err);
    return ledger_read_csv_mem(data, len, "ledger.csv", o, &s, info, err);
}

/* Reads a string literal that must be accepted. */
static void read_ok(const char *data, size_t len, const ledger_csv_opts *o, counter *k)
{
    ag_error err;
    ag_err rc = read_with(data, len, o, k, NULL, &err);
    if (rc)
        fail_msg("rejected: %s: %s", err.where, err.en);
}
#define READ_OK(lit, o, k) read_ok(lit, sizeof(lit) - 1, o, k)

/* A file that must be rejected with AG_ERR_INPUT at `where`, the English
 * message containing `en_part`. */
static void read_fault(const char *data, size_t len, const ledger_csv_opts *o, const char *where,
                       const char *en_part)
{
    counter k;
    ag_error err;
    ag_err rc = read_with(data, len, o, &k, NULL, &err);
    if (rc != AG_ERR_INPUT)
        fail_msg("expected AG_ERR_INPUT at %s, got %d (%s)", where, rc, err.en);
    if (strcmp(err.where, where) != 0)
        fail_msg("fault at \"%s\", expected \"%s\" (%s)", err.where, where, err.en);
    if (en_part && !strstr(err.en, en_part))
        fail_msg("message \"%s\" lacks \"%s\"", err.en, en_part);
    assert_true(err.zh[0] != '\0');
}
#define FAULT(lit, o, where, en) read_fault(lit, sizeof(lit) - 1, o, where, en)

static int32_t day(int y, int m, int d)
{
    ag_date dt = {y, m, d};
    return ag_date_to_days(dt);
}

/* ---- accepted files ---- */

static void english_headers(void **state)
{
    (void)state;
    counter k;
    READ_OK("unit_code,fiscal_year,period,voucher_date,voucher_type,voucher_no,line_no,summary,"
            "account_code,account_name,debit,credit,counterparty,posted,void\n"
            "U1,2024,1,2024-01-05,记,1,1,办公用品,5001,业务活动费用,150.00,,文具店,1,0\n"
            "U1,2024,1,2024-01-05,记,1,2,办公用品,1002,银行存款,,150,文具店,1,0\n",
            NULL, &k);
    assert_int_equal(k.rows, 2);
    assert_int_equal(k.debit, 15000);
    assert_int_equal(k.credit, 15000);
    got_row *r = &k.r[0];
    assert_string_equal(r->unit, "U1");
    assert_int_equal(r->year, 2024);
    assert_int_equal(r->period, 1);
    assert_int_equal(r->date, day(2024, 1, 5));
    assert_string_equal(r->voucher_type, "记");
    assert_string_equal(r->voucher_no, "1");
    assert_int_equal(r->line_no, 1);
    assert_string_equal(r->summary, "办公用品");
    assert_string_equal(r->account, "5001");
    assert_string_equal(r->account_name, "业务活动费用");
    assert_string_equal(r->counterparty, "文具店");
    assert_int_equal(r->posted, 1);
    assert_int_equal(r->voided, 0);
    assert_false(r->has_extra);
    assert_int_equal(r->src_line, 2);
    assert_int_equal(k.r[1].src_line, 3);
    assert_int_equal(k.r[1].credit, 15000);
}

static void english_headers_ignore_case_and_spaces(void **state)
{
    (void)state;
    counter k;
    ledger_csv_opts o = {.unit_code = "U9", .default_year = 2023};
    READ_OK(" Voucher_Date , VOUCHER_NO,Account_Code ,Debit,  credit\n"
            "20240105,7,1001,1,2\n",
            &o, &k);
    assert_int_equal(k.rows, 1);
    assert_int_equal(k.r[0].debit, 100);
    assert_int_equal(k.r[0].credit, 200);
    assert_false(k.r[0].has_unit); /* the import's unit */
    assert_int_equal(k.r[0].year, 2023);
    assert_int_equal(k.r[0].period, 0);
    assert_int_equal(k.r[0].posted, -1);
    assert_int_equal(k.r[0].voided, -1);
}

static void chinese_headers_shuffled(void **state)
{
    (void)state;
    counter k;
    READ_OK("贷方金额,摘要,科目代码,凭证编号,借方,会计期间,单位代码,凭证日期,对方单位,作废标志,"
            "记账标志,行号,会计年度,凭证种类,科目名称\n"
            "0,付款,1002,12,\"1,234.56\",3,U1,2024/03/31,某公司,否,是,2,2024,付,银行存款\n"
            "\"1,234.56\",付款,2307,12,0,3,U1,2024/03/31,某公司,N,Y,1,2024,付,其他应付款\n",
            NULL, &k);
    assert_int_equal(k.rows, 2);
    assert_int_equal(k.debit, 123456);
    assert_int_equal(k.credit, 123456);
    assert_string_equal(k.r[0].account, "1002");
    assert_string_equal(k.r[0].voucher_no, "12");
    assert_string_equal(k.r[0].voucher_type, "付");
    assert_string_equal(k.r[0].counterparty, "某公司");
    assert_int_equal(k.r[0].date, day(2024, 3, 31));
    assert_int_equal(k.r[0].period, 3);
    assert_int_equal(k.r[0].line_no, 2);
    assert_int_equal(k.r[0].posted, 1);
    assert_int_equal(k.r[0].voided, 0);
    assert_int_equal(k.r[1].posted, 1);
    assert_int_equal(k.r[1].voided, 0);
    assert_string_equal(k.r[1].account_name, "其他应付款");
}

static void header_synonyms_all_map(void **state)
{
    (void)state;
    /* Every Chinese synonym of DESIGN.md §4, in one header; none may become extra. */
    counter k;
    READ_OK("单位代码,会计年度,会计期间,凭证日期,凭证类型,凭证号,分录号,摘要,科目编码,科目名称,"
            "借方金额,贷方金额,往来单位,部门,项目,功能分类,经济分类,资金性质,决策文号,票据号,"
            "结算方式,制单人,审核人,记账人,出纳,记账标志,作废标志\n"
            "U1,2024,2,2024-02-01,记,1,1,s,1001,现金,1,0,c,d,p,f,e,t,r,b,转账,m,v,o,x,已记账,"
            "正常\n",
            NULL, &k);
    assert_int_equal(k.rows, 1);
    assert_false(k.r[0].has_extra);
    assert_int_equal(k.r[0].posted, 1);
    assert_int_equal(k.r[0].voided, 0);
    const char *alt = "凭证种类,凭证编号,行号,科目编号,借方,贷方,对方单位,会议纪要号,凭证日期\n"
                      "记,2,3,1002,5,0,x,纪要1,2024-01-01\n";
    ag_error err;
    assert_int_equal(
        read_with(alt, strlen(alt), &(ledger_csv_opts){.unit_code = "U1"}, &k, NULL, &err), AG_OK);
    assert_int_equal(k.rows, 1);
    assert_false(k.r[0].has_extra);
    assert_int_equal(k.r[0].line_no, 3);
    const char *alt2 = "收款人,科目代码,凭证日期,凭证号,借方金额（元）,贷方金额(元)\n"
                       "张三,1001,2024-01-01,1,1.5,0\n";
    assert_int_equal(
        read_with(alt2, strlen(alt2), &(ledger_csv_opts){.unit_code = "U1"}, &k, NULL, &err),
        AG_OK);
    assert_string_equal(k.r[0].counterparty, "张三");
    assert_int_equal(k.r[0].debit, 150);
}

static void gb18030_bytes(void **state)
{
    (void)state;
    /* 单位代码,凭证日期,凭证号,科目编码,摘要,借方金额,贷方金额 in GB18030, a row
     * with 支付办公用品 / 银行存款, and a four-byte character (U+1F600). */
    static const char data[] =
        "\xb5\xa5\xce\xbb\xb4\xfa\xc2\xeb,\xc6\xbe\xd6\xa4\xc8\xd5\xc6\xda,"
        "\xc6\xbe\xd6\xa4\xba\xc5,"
        "\xbf\xc6\xc4\xbf\xb1\xe0\xc2\xeb,\xd5\xaa\xd2\xaa,\xbd\xe8\xb7\xbd\xbd\xf0\xb6\xee,"
        "\xb4\xfb\xb7\xbd\xbd\xf0\xb6\xee\r\n"
        "U1,20240105,1,1002,\xd6\xa7\xb8\xb6\xb0\xec\xb9\xab\xd3\xc3\xc6\xb7,,88.80\r\n"
        "U1,20240105,1,5001,\xd2\xf8\xd0\xd0\xb4\xe6\xbf\xee\x94\x39\xfc\x36,88.8,\r\n";
    counter k;
    ledger_file_info info;
    memset(&info, 0, sizeof info);
    ag_error err;
    ag_err rc = read_with(data, sizeof data - 1, NULL, &k, &info, &err);
    if (rc)
        fail_msg("%s: %s", err.where, err.en);
    assert_string_equal(info.encoding, "gb18030");
    assert_string_equal(info.format, "csv");
    assert_int_equal(info.rows, 2);
    assert_int_equal(info.bytes, sizeof data - 1);
    char want[AG_SHA256_HEX];
    ag_sha256_hex(data, sizeof data - 1, want);
    assert_string_equal(info.sha256, want);
    assert_string_equal(k.r[0].summary, "支付办公用品");
    assert_string_equal(k.r[1].summary, "银行存款\xf0\x9f\x98\x80");
    assert_int_equal(k.debit, 8880);
    assert_int_equal(k.credit, 8880);
}

static void gb18030_after_ascii_prefix(void **state)
{
    (void)state;
    /* Over 64 KiB of plain ASCII, then GB18030: the sniffer saw only ASCII. */
    ag_buf b;
    ag_buf_init(&b, 1 << 24);
    ag_buf_adds(&b, "voucher_date,voucher_no,account_code,summary,debit,credit\n");
    for (int i = 0; i < 3000; i++)
        ag_buf_printf(&b, "2024-01-02,%d,1001,office supplies for the year,1.00,0\n", i);
    /* 借贷: bytes that are not UTF-8 (摘要 would be, by chance: D5 AA D2 AA). */
    ag_buf_adds(&b, "2024-01-02,x,1001,\xbd\xe8\xb4\xfb,0,3.00\n");
    counter k;
    ledger_file_info info;
    ag_error err;
    ag_err rc = read_with(b.data, b.len, &(ledger_csv_opts){.unit_code = "U1"}, &k, &info, &err);
    if (rc)
        fail_msg("%s: %s", err.where, err.en);
    assert_int_equal(k.rows, 3001);
    assert_int_equal(k.debit, 300000);
    assert_int_equal(k.credit, 300);
    assert_string_equal(info.encoding, "gb18030");
    assert_int_equal(k.r[0].src_line, 2);
    ag_buf_release(&b);

    /* The same across block boundaries: 3 MiB of ASCII first. */
    ag_buf_init(&b, 1 << 24);
    ag_buf_adds(&b, "voucher_date,voucher_no,account_code,summary,debit,credit\n");
    for (int i = 0; i < 60000; i++)
        ag_buf_printf(&b, "2024-01-02,%d,1001,office supplies for the year,1.00,0\n", i);
    ag_buf_adds(&b, "2024-01-02,x,1001,\xbd\xe8\xb4\xfb,0,3.00\n");
    rc = read_with(b.data, b.len, &(ledger_csv_opts){.unit_code = "U1"}, &k, &info, &err);
    if (rc)
        fail_msg("%s: %s", err.where, err.en);
    assert_int_equal(k.rows, 60001);
    assert_int_equal(k.credit, 300);
    assert_string_equal(info.encoding, "gb18030");
    ag_buf_release(&b);
}

static void bom_crlf_and_leading_blank_line(void **state)
{
    (void)state;
    counter k;
    ledger_file_info info;
    ag_error err;
    static const char data[] = "\xEF\xBB\xBF\r\n\r\n"
                               "凭证日期,凭证号,科目编码,借方金额,贷方金额\r\n"
                               "2024-05-06,1,1001,10,\r\n"
                               "\r\n"
                               "   \r\n"
                               ",,,,\r\n"
                               "2024-05-06,1,1002,,10"; /* no final newline */
    assert_int_equal(
        read_with(data, sizeof data - 1, &(ledger_csv_opts){.unit_code = "U1"}, &k, &info, &err),
        AG_OK);
    assert_string_equal(info.encoding, "utf-8");
    assert_int_equal(k.rows, 2);
    assert_int_equal(k.r[0].src_line, 4);
    assert_int_equal(k.r[1].src_line, 8);
    assert_string_equal(k.r[1].account, "1002");
    assert_int_equal(k.debit, 1000);
    assert_int_equal(k.credit, 1000);
}

static void amounts_with_separators_and_signs(void **state)
{
    (void)state;
    counter k;
    READ_OK("voucher_date,voucher_no,account_code,debit,credit\n"
            "2024-01-01,1,1001,\"12,345,678.9\",\n"
            "2024-01-01,1,1002,,\" 1,000 \"\n"
            "2024-01-01,2,1001,(5.05),\n"
            "2024-01-01,2,1002,-0.5,\n"
            "2024-01-01,3,1002,.01,+2\n",
            &(ledger_csv_opts){.unit_code = "U1"}, &k);
    assert_int_equal(k.rows, 5);
    assert_int_equal(k.r[0].debit, 1234567890);
    assert_int_equal(k.r[1].credit, 100000);
    assert_int_equal(k.r[2].debit, -505);
    assert_int_equal(k.r[3].debit, -50);
    assert_int_equal(k.r[4].debit, 1);
    assert_int_equal(k.r[4].credit, 200);
}

static void dates_in_every_form(void **state)
{
    (void)state;
    counter k;
    READ_OK("voucher_date,voucher_no,account_code,debit,credit\n"
            "2024-02-29,1,1001,1,\n"
            "20240229,1,1001,1,\n"
            "2024/02/29,1,1001,1,\n"
            "2024/2/9,1,1001,1,\n"
            "2024-02-29 00:00:00,1,1001,1,\n",
            &(ledger_csv_opts){.unit_code = "U1"}, &k);
    assert_int_equal(k.rows, 5);
    for (int i = 0; i < 3; i++)
        assert_int_equal(k.r[i].date, day(2024, 2, 29));
    assert_int_equal(k.r[3].date, day(2024, 2, 9));
    assert_int_equal(k.r[4].date, day(2024, 2, 29));
}

static void quoted_fields(void **state)
{
    (void)state;
    counter k;
    READ_OK("voucher_date,voucher_no,account_code,summary,debit,credit\r\n"
            "2024-01-01,1,1001,\"pay A, B and C\",1,\r\n"
            "2024-01-01,1,1001,\"two\r\nlines\nthree\",1,\r\n"
            "2024-01-01,1,1001,\"say \"\"hi\"\"\",1,\r\n"
            "2024-01-01,1,1001,\"\",1,\r\n"
            "2024-01-01,1,1001,5\" pipe,1,\r\n"
            "\"2024-01-01\",\"1\",\"1001\",\"x\" ,\"1\",\"\"\r\n",
            &(ledger_csv_opts){.unit_code = "U1"}, &k);
    assert_int_equal(k.rows, 6);
    assert_string_equal(k.r[0].summary, "pay A, B and C");
    assert_string_equal(k.r[1].summary, "two\r\nlines\nthree");
    assert_string_equal(k.r[2].summary, "say \"hi\"");
    assert_string_equal(k.r[3].summary, "");
    assert_string_equal(k.r[4].summary, "5\" pipe");
    assert_string_equal(k.r[5].summary, "x");
    /* Lines are physical: the multi-line field moves the rows after it. */
    assert_int_equal(k.r[1].src_line, 3);
    assert_int_equal(k.r[2].src_line, 6);
    assert_int_equal(k.r[5].src_line, 9);
    assert_int_equal(k.debit, 600);
}

static void direction_layout(void **state)
{
    (void)state;
    counter k;
    READ_OK("凭证日期,凭证号,科目编码,方向,金额\n"
            "2024-01-01,1,5001,借,100.00\n"
            "2024-01-01,1,1002,贷,100.00\n"
            "2024-01-01,2,5001,D,\"2,000\"\n"
            "2024-01-01,2,1002,credit,2000\n"
            "2024-01-01,3,1002,,0\n",
            &(ledger_csv_opts){.unit_code = "U1"}, &k);
    assert_int_equal(k.rows, 5);
    assert_int_equal(k.r[0].debit, 10000);
    assert_int_equal(k.r[0].credit, 0);
    assert_int_equal(k.r[1].credit, 10000);
    assert_int_equal(k.r[2].debit, 200000);
    assert_int_equal(k.r[3].credit, 200000);
    assert_int_equal(k.debit, k.credit);
    READ_OK("voucher_date,voucher_no,account_code,direction,amount\n"
            "2024-01-01,1,5001,debit,1\n"
            "2024-01-01,1,1002,C,1\n",
            &(ledger_csv_opts){.unit_code = "U1"}, &k);
    assert_int_equal(k.debit, 100);
    assert_int_equal(k.credit, 100);
}

static void signed_amount_layout(void **state)
{
    (void)state;
    counter k;
    READ_OK("voucher_date,voucher_no,account_code,amount\n"
            "2024-01-01,1,5001,250.5\n"
            "2024-01-01,1,1002,-250.50\n"
            "2024-01-01,1,1002,(1.00)\n"
            "2024-01-01,1,1002,\n",
            &(ledger_csv_opts){.unit_code = "U1"}, &k);
    assert_int_equal(k.rows, 4);
    assert_int_equal(k.r[0].debit, 25050);
    assert_int_equal(k.r[1].credit, 25050);
    assert_int_equal(k.r[1].debit, 0);
    assert_int_equal(k.r[2].credit, 100);
    assert_int_equal(k.r[3].debit, 0);
    assert_int_equal(k.r[3].credit, 0);
}

static void unknown_columns_go_to_extra_json(void **state)
{
    (void)state;
    counter k;
    READ_OK("voucher_date,voucher_no,备注,account_code,debit,credit,Tag \"q\",备注,\n"
            "2024-01-01,1,\"a\\b\",1001,1,,\"x\ty\",second,z\n"
            "2024-01-01,1,,1002,,1,,,\n",
            &(ledger_csv_opts){.unit_code = "U1"}, &k);
    assert_int_equal(k.rows, 2);
    assert_true(k.r[0].has_extra);
    json_error_t je;
    json_t *o = json_loads(k.r[0].extra, 0, &je);
    if (!o)
        fail_msg("extra_json is not JSON: %s (%s)", k.r[0].extra, je.text);
    assert_int_equal(json_object_size(o), 4);
    assert_string_equal(json_string_value(json_object_get(o, "备注")), "a\\b");
    assert_string_equal(json_string_value(json_object_get(o, "备注#2")), "second");
    assert_string_equal(json_string_value(json_object_get(o, "Tag \"q\"")), "x\ty");
    assert_string_equal(json_string_value(json_object_get(o, "#9")), "z");
    json_decref(o);
    /* A row whose extra cells are all empty carries none. */
    assert_false(k.r[1].has_extra);
}

static void unit_from_caller_or_column(void **state)
{
    (void)state;
    counter k;
    /* The column may repeat the caller's unit (case aside) or stay empty. */
    READ_OK("unit_code,voucher_date,voucher_no,account_code,debit,credit\n"
            "u1,2024-01-01,1,1001,1,\n"
            ",2024-01-01,1,1001,1,\n",
            &(ledger_csv_opts){.unit_code = "U1"}, &k);
    assert_int_equal(k.rows, 2);
    assert_true(k.r[0].has_unit);
    assert_false(k.r[1].has_unit);
}

static void title_line_above_header(void **state)
{
    (void)state;
    counter k;
    READ_OK("2024年凭证明细表,,,,\n"
            "单位：某某局,,,,\n"
            "凭证日期,凭证号,科目编码,借方金额,贷方金额\n"
            "2024-01-01,1,1001,1,\n",
            &(ledger_csv_opts){.unit_code = "U1"}, &k);
    assert_int_equal(k.rows, 1);
    assert_int_equal(k.r[0].src_line, 4);
    /* Nothing but a title: the title line is reported as the missing header. */
    FAULT("2024年凭证明细表,,,,\n", NULL, "ledger.csv:1", "missing required column");
}

static void header_only_is_zero_rows(void **state)
{
    (void)state;
    counter k;
    READ_OK("voucher_date,voucher_no,account_code,debit,credit\n",
            &(ledger_csv_opts){.unit_code = "U1"}, &k);
    assert_int_equal(k.rows, 0);
}

static void flags(void **state)
{
    (void)state;
    counter k;
    READ_OK("voucher_date,voucher_no,account_code,debit,credit,posted,void\n"
            "2024-01-01,1,1001,1,,true,FALSE\n"
            "2024-01-01,1,1001,1,,未记账,已作废\n"
            "2024-01-01,1,1001,1,,,\n"
            "2024-01-01,1,1001,1,,y,n\n",
            &(ledger_csv_opts){.unit_code = "U1"}, &k);
    assert_int_equal(k.r[0].posted, 1);
    assert_int_equal(k.r[0].voided, 0);
    assert_int_equal(k.r[1].posted, 0);
    assert_int_equal(k.r[1].voided, 1);
    assert_int_equal(k.r[2].posted, -1);
    assert_int_equal(k.r[2].voided, -1);
    assert_int_equal(k.r[3].posted, 1);
    assert_int_equal(k.r[3].voided, 0);
}

/* ---- structural faults ---- */

static void bad_amount_names_line_and_column(void **state)
{
    (void)state;
    ledger_csv_opts u = {.unit_code = "U1"};
    FAULT("voucher_date,voucher_no,account_code,debit,credit\n"
          "2024-01-01,1,1001,1,\n"
          "2024-01-01,1,1001,,\n"
          "2024-01-01,1,1001,12.345,\n",
          &u, "ledger.csv:4:debit", "12.345");
    FAULT("凭证日期,凭证号,科目编码,借方金额,贷方金额\n"
          "2024-01-01,1,1001,1,abc\n",
          &u, "ledger.csv:2:贷方金额", "not an amount");
    FAULT("voucher_date,voucher_no,account_code,debit,credit\n"
          "2024-01-01,1,1001,\"1,23\",\n",
          &u, "ledger.csv:2:debit", "not an amount");
    FAULT("voucher_date,voucher_no,account_code,amount\n"
          "2024-01-01,1,1001,1e5\n",
          &u, "ledger.csv:2:amount", "not an amount");
}

static void bad_date_period_year(void **state)
{
    (void)state;
    ledger_csv_opts u = {.unit_code = "U1"};
    FAULT("voucher_date,voucher_no,account_code,debit,credit\n"
          "2023-02-29,1,1001,1,\n",
          &u, "ledger.csv:2:voucher_date", "not a date");
    FAULT("voucher_date,voucher_no,account_code,debit,credit\n"
          "01/02/2024,1,1001,1,\n",
          &u, "ledger.csv:2:voucher_date", "not a date");
    FAULT("voucher_date,voucher_no,account_code,debit,credit,period\n"
          "2024-01-01,1,1001,1,,14\n",
          &u, "ledger.csv:2:period", "0 to 13");
    FAULT("voucher_date,voucher_no,account_code,debit,credit,fiscal_year\n"
          "2024-01-01,1,1001,1,,24\n",
          &u, "ledger.csv:2:fiscal_year", "4-digit year");
    FAULT("voucher_date,voucher_no,account_code,debit,credit,line_no\n"
          "2024-01-01,1,1001,1,,1.5\n",
          &u, "ledger.csv:2:line_no", "line number");
    FAULT("voucher_date,voucher_no,account_code,debit,credit,posted\n"
          "2024-01-01,1,1001,1,,maybe\n",
          &u, "ledger.csv:2:posted", "not a flag");
    FAULT("voucher_date,voucher_no,account_code,direction,amount\n"
          "2024-01-01,1,1001,up,1\n",
          &u, "ledger.csv:2:direction", "not a direction");
    FAULT("voucher_date,voucher_no,account_code,direction,amount\n"
          "2024-01-01,1,1001,,1\n",
          &u, "ledger.csv:2:direction", "not a direction");
}

static void required_values_and_columns(void **state)
{
    (void)state;
    ledger_csv_opts u = {.unit_code = "U1"};
    FAULT("voucher_date,account_code,debit,credit\n"
          "2024-01-01,1001,1,\n",
          &u, "ledger.csv:1", "voucher_no");
    FAULT("voucher_date,voucher_no,account_code,debit,credit\n"
          "2024-01-01,1,1001,1,\n",
          NULL, "ledger.csv:1", "unit_code");
    FAULT("voucher_date,voucher_no,account_code,debit,credit\n"
          "2024-01-01,,1001,1,\n",
          &u, "ledger.csv:2:voucher_no", "empty");
    FAULT("unit_code,voucher_date,voucher_no,account_code,debit,credit\n"
          ",2024-01-01,1,1001,1,\n",
          NULL, "ledger.csv:2:unit_code", "empty");
}

static void amount_layout_absent_or_ambiguous(void **state)
{
    (void)state;
    ledger_csv_opts u = {.unit_code = "U1"};
    FAULT("voucher_date,voucher_no,account_code,借方金额\n"
          "2024-01-01,1,1001,1\n",
          &u, "ledger.csv:1", "found: 借方金额");
    FAULT("voucher_date,voucher_no,account_code,方向\n"
          "2024-01-01,1,1001,借\n",
          &u, "ledger.csv:1", "no complete amount layout");
    FAULT("voucher_date,voucher_no,account_code,debit,credit,金额\n"
          "2024-01-01,1,1001,1,,1\n",
          &u, "ledger.csv:1", "ambiguous");
    FAULT("voucher_date,voucher_no,account_code,debit,借方,credit\n"
          "2024-01-01,1,1001,1,1,\n",
          &u, "ledger.csv:1", "appears twice");
    /* A direction next to debit/credit is kept as an extra column. */
    counter k;
    READ_OK("voucher_date,voucher_no,account_code,debit,credit,方向\n"
            "2024-01-01,1,1001,1,,借\n",
            &u, &k);
    assert_string_equal(k.r[0].extra, "{\"方向\":\"借\"}");
}

static void truncated_quote(void **state)
{
    (void)state;
    ledger_csv_opts u = {.unit_code = "U1"};
    FAULT("voucher_date,voucher_no,account_code,summary,debit,credit\n"
          "2024-01-01,1,1001,ok,1,\n"
          "2024-01-01,1,1001,\"never\nclosed,1,\n"
          "2024-01-01,1,1001,ok,1,\n",
          &u, "ledger.csv:3", "truncated file");
    FAULT("voucher_date,voucher_no,account_code,summary,debit,credit\n"
          "2024-01-01,1,1001,\"a\"b,1,\n",
          &u, "ledger.csv:2", "closing quote");
}

static void wrong_column_count(void **state)
{
    (void)state;
    ledger_csv_opts u = {.unit_code = "U1"};
    FAULT("voucher_date,voucher_no,account_code,summary,debit,credit\n"
          "2024-01-01,1,1001,a,1,\n"
          "2024-01-01,1,1001,a, b,1,\n",
          &u, "ledger.csv:3", "has 7 fields but the header has 6");
    FAULT("voucher_date,voucher_no,account_code,summary,debit,credit\n"
          "2024-01-01,1,1001,1,\n",
          &u, "ledger.csv:2", "has 5 fields");
}

static void unit_mismatch(void **state)
{
    (void)state;
    FAULT("单位代码,凭证日期,凭证号,科目编码,借方金额,贷方金额\n"
          "U1,2024-01-01,1,1001,1,\n"
          "U2,2024-01-01,1,1001,1,\n",
          &(ledger_csv_opts){.unit_code = "U1"}, "ledger.csv:3:单位代码", "file is for unit U2");
}

static void invalid_bytes(void **state)
{
    (void)state;
    ledger_csv_opts u = {.unit_code = "U1"};
    /* GB18030: a lead byte with a bad trail on line 3. */
    FAULT("\xc6\xbe\xd6\xa4\xc8\xd5\xc6\xda,voucher_no,account_code,debit,credit\n"
          "2024-01-01,1,1001,1,\n"
          "2024-01-01,\x81\x20,1001,1,\n",
          &u, "ledger.csv:3", "not valid GB18030");
    /* UTF-8: over 64 KiB of valid UTF-8 first, so the sniffer says UTF-8. */
    ag_buf b;
    ag_buf_init(&b, 1 << 24);
    ag_buf_adds(&b, "凭证日期,凭证号,科目编码,摘要,借方金额,贷方金额\n");
    for (int i = 0; i < 2000; i++)
        ag_buf_adds(&b, "2024-01-01,1,1001,支付办公用品采购款，含税,1,\n");
    ag_buf_adds(&b, "2024-01-01,1,1001,bad \xC3\x28 byte,1,\n");
    read_fault(b.data, b.len, &u, "ledger.csv:2002", "not valid UTF-8");
    ag_buf_release(&b);
    /* NUL bytes and UTF-16 are not text CSV. */
    FAULT("voucher_date,voucher_no,account_code,debit,credit\n"
          "2024-01-01,1,1001,1,\n"
          "2024-01-01,1\0,1001,1,\n",
          &u, "ledger.csv:3", "NUL byte");
    FAULT("\xFF\xFEv\0o\0", &u, "ledger.csv", "UTF-16");
}

static void oversized_input(void **state)
{
    (void)state;
    ledger_csv_opts u = {.unit_code = "U1"};
    ag_buf b;
    ag_buf_init(&b, 1 << 24);
    /* A field over LEDGER_MAX_FIELD_BYTES. */
    ag_buf_adds(&b, "voucher_date,voucher_no,account_code,summary,debit,credit\n"
                    "2024-01-01,1,1001,");
    for (unsigned i = 0; i <= LEDGER_MAX_FIELD_BYTES; i++)
        ag_buf_addc(&b, 'x');
    ag_buf_adds(&b, ",1,\n");
    read_fault(b.data, b.len, &u, "ledger.csv:2:summary", "over 16384 bytes");
    /* A line over LEDGER_MAX_LINE_BYTES (fields under the field limit). */
    ag_buf_reset(&b);
    ag_buf_adds(&b, "voucher_date,voucher_no,account_code,summary,debit,credit\n");
    ag_buf_adds(&b, "2024-01-01,1,1001,1,1,\n");
    ag_buf_adds(&b, "2024-01-01,1,1001,\"");
    for (unsigned i = 0; i < LEDGER_MAX_LINE_BYTES; i++)
        ag_buf_addc(&b, i % 100 == 99 ? '\n' : 'y');
    ag_buf_adds(&b, "\",1,\n");
    read_fault(b.data, b.len, &u, "ledger.csv:3", "over 65536 bytes");
    /* Too many columns. */
    ag_buf_reset(&b);
    for (int i = 0; i < LEDGER_MAX_COLUMNS + 2; i++)
        ag_buf_adds(&b, "c,");
    ag_buf_adds(&b, "c\n");
    read_fault(b.data, b.len, &u, "ledger.csv:1", "more than 256 fields");
    ag_buf_release(&b);
}

static void empty_file(void **state)
{
    (void)state;
    read_fault("", 0, NULL, "ledger.csv", "empty");
    FAULT("\n\r\n  \n", NULL, "ledger.csv", "empty");
}

static void sink_error_passes_through(void **state)
{
    (void)state;
    static const char data[] = "voucher_date,voucher_no,account_code,debit,credit\n"
                               "2024-01-01,1,1001,1,\n"
                               "2024-01-01,1,1001,1,\n";
    counter k;
    memset(&k, 0, sizeof k);
    k.fail_at = 2;
    ledger_sink s = sink_for(&k);
    ag_error err;
    assert_int_equal(ledger_read_csv_mem(data, sizeof data - 1, "x.csv",
                                         &(ledger_csv_opts){.unit_code = "U1"}, &s, NULL, &err),
                     AG_ERR_STORE);
    assert_string_equal(err.where, "sink");
    assert_int_equal(k.rows, 1);
}

/* ---- big inputs through the block machinery, from a real file ---- */

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* Builds n rows with quoted multi-line fields scattered so that some
 * straddle the 1 MiB block boundaries. Returns debit total in fen. */
static int64_t big_csv(ag_buf *b, int n, bool gb)
{
    int64_t total = 0;
    ag_buf_adds(b, gb ? "\xc6\xbe\xd6\xa4\xc8\xd5\xc6\xda,voucher_no,account_code,summary,debit,"
                        "credit\r\n"
                      : "凭证日期,voucher_no,account_code,summary,debit,credit\r\n");
    for (int i = 0; i < n; i++) {
        int64_t fen = (int64_t)(i % 100000) * 7 + 1;
        total += fen;
        const char *sum = i % 7 == 0   ? "\"multi\nline, \"\"quoted\"\"\""
                          : gb         ? "\xd5\xaa\xd2\xaa\x94\x39\xfc\x36"
                          : i % 5 == 0 ? "摘要😀"
                                       : "plain";
        ag_buf_printf(b, "2024-%02d-%02d,%d,%s,%s,\"%lld.%02lld\",\r\n", i % 12 + 1, i % 28 + 1, i,
                      i % 2 ? "1002" : "5001", sum, (long long)(fen / 100), (long long)(fen % 100));
    }
    return total;
}

static void big_file_blocks_and_hash(void **state)
{
    (void)state;
    for (int gb = 0; gb < 2; gb++) {
        ag_buf b;
        ag_buf_init(&b, 1u << 30);
        int n = 200000; /* about 10 MiB: crosses blocks, hashed on the helper thread */
        int64_t total = big_csv(&b, n, gb);
        assert_true(b.len > (10u << 20) - (2u << 20));
        char path[1024];
        ag_test_path(path, sizeof path, gb ? "big-gb.csv" : "big.csv");
        write_file(path, b.data, b.len);

        counter k;
        memset(&k, 0, sizeof k);
        ledger_sink s = sink_for(&k);
        ledger_file_info info;
        memset(&info, 0, sizeof info);
        ag_error err;
        ag_err rc = ledger_read_csv(path, &(ledger_csv_opts){.unit_code = "U1"}, &s, &info, &err);
        if (rc)
            fail_msg("%s: %s", err.where, err.en);
        assert_int_equal(k.rows, n);
        assert_int_equal(k.debit, total);
        assert_int_equal(info.rows, n);
        assert_int_equal(info.bytes, b.len);
        assert_string_equal(info.encoding, gb ? "gb18030" : "utf-8");
        assert_true(k.progress_calls >= 8);
        char want[AG_SHA256_HEX];
        ag_sha256_hex(b.data, b.len, want);
        assert_string_equal(info.sha256, want);
        /* Row 0 and row 7 span two lines each: row 8 starts on line 12. */
        assert_int_equal(k.r[8].src_line, 12);
        assert_string_equal(k.r[7].summary, "multi\nline, \"quoted\"");
        assert_string_equal(k.r[1].summary, gb ? "摘要\xf0\x9f\x98\x80" : "plain");
        assert_string_equal(k.r[5].summary, gb ? "摘要\xf0\x9f\x98\x80" : "摘要😀");

        /* The same bytes from memory agree. */
        counter m;
        ledger_file_info minfo;
        assert_int_equal(
            read_with(b.data, b.len, &(ledger_csv_opts){.unit_code = "U1"}, &m, &minfo, &err),
            AG_OK);
        assert_int_equal(m.rows, n);
        assert_string_equal(minfo.sha256, want);
        unlink(path);
        ag_buf_release(&b);
    }
}

static void missing_file(void **state)
{
    (void)state;
    ag_error err;
    ledger_sink s = {0};
    assert_int_equal(ledger_read_csv("/nonexistent/ledger.csv", NULL, &s, NULL, &err),
                     AG_ERR_NOTFOUND);
    assert_string_equal(err.where, "/nonexistent/ledger.csv");
}

static void column_letters(void **state)
{
    (void)state;
    char out[8];
    ledger_column_letters(0, out);
    assert_string_equal(out, "A");
    ledger_column_letters(25, out);
    assert_string_equal(out, "Z");
    ledger_column_letters(26, out);
    assert_string_equal(out, "AA");
    ledger_column_letters(255, out);
    assert_string_equal(out, "IV");
    ledger_column_letters(16383, out);
    assert_string_equal(out, "XFD");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(english_headers),
        cmocka_unit_test(english_headers_ignore_case_and_spaces),
        cmocka_unit_test(chinese_headers_shuffled),
        cmocka_unit_test(header_synonyms_all_map),
        cmocka_unit_test(gb18030_bytes),
        cmocka_unit_test(gb18030_after_ascii_prefix),
        cmocka_unit_test(bom_crlf_and_leading_blank_line),
        cmocka_unit_test(amounts_with_separators_and_signs),
        cmocka_unit_test(dates_in_every_form),
        cmocka_unit_test(quoted_fields),
        cmocka_unit_test(direction_layout),
        cmocka_unit_test(signed_amount_layout),
        cmocka_unit_test(unknown_columns_go_to_extra_json),
        cmocka_unit_test(unit_from_caller_or_column),
        cmocka_unit_test(title_line_above_header),
        cmocka_unit_test(header_only_is_zero_rows),
        cmocka_unit_test(flags),
        cmocka_unit_test(bad_amount_names_line_and_column),
        cmocka_unit_test(bad_date_period_year),
        cmocka_unit_test(required_values_and_columns),
        cmocka_unit_test(amount_layout_absent_or_ambiguous),
        cmocka_unit_test(truncated_quote),
        cmocka_unit_test(wrong_column_count),
        cmocka_unit_test(unit_mismatch),
        cmocka_unit_test(invalid_bytes),
        cmocka_unit_test(oversized_input),
        cmocka_unit_test(empty_file),
        cmocka_unit_test(sink_error_passes_through),
        cmocka_unit_test(big_file_blocks_and_hash),
        cmocka_unit_test(missing_file),
        cmocka_unit_test(column_letters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
