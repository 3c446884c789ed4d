/* test_xlsx.c - the XLSX reader on workbooks built here with libzip: cells, dates, sheets, and
 * hostile files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "../testutil.h"
#include "ledger/xlsx.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/hash.h"

/* ---- a counting sink ---- */

#define KEEP 16

typedef struct got_row {
    char voucher_no[40], summary[128], account[32], extra[512];
    int32_t date;
    int64_t debit, credit, src_line;
    int posted;
    bool has_extra;
} got_row;

typedef struct counter {
    int64_t rows, debit, credit;
    got_row r[KEEP];
} counter;

static ag_err count_row(void *ctx, const ledger_row *r, ag_error *err)
{
    (void)err;
    counter *k = ctx;
    if (k->rows < KEEP) {
        got_row *g = &k->r[k->rows];
        snprintf(g->voucher_no, sizeof g->voucher_no, "%s", r->voucher_no ? r->voucher_no : "");
        snprintf(g->summary, sizeof g->summary, "%s", r->summary ? r->summary : "");
        snprintf(g->account, sizeof g->account, "%s", r->account_code ? r->account_code : "");
        snprintf(g->extra, sizeof g->extra, "%s", r->extra_json ? r->extra_json : "");
        g->has_extra = r->extra_json != NULL;
        g->date = r->date;
        g->debit = r->debit;
        g->credit = r->credit;
        g->src_line = r->src_line;
        g->posted = r->posted;
    }
    k->rows++;
    k->debit += r->debit;
    k->credit += r->credit;
    return AG_OK;
}

static int32_t day(int y, int m, int d)
{
    ag_date dt = {y, m, d};
    return ag_date_to_days(dt);
}

/* ---- building workbooks ---- */

#define XML_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define NS_MAIN  "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_REL   "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define REL_TYPE "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

#define SHEET(rows)                                                                                \
    XML_HEAD "<worksheet xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\">"                            \
             "<dimension ref=\"A1:H9\"/><sheetData>" rows "</sheetData></worksheet>"

typedef struct book {
    const char *names[4]; /* sheet names, NULL-terminated */
    const char *sheets[4];
    const char *hidden; /* name of a hidden sheet, or NULL */
    const char *shared; /* sharedStrings.xml, or NULL */
    const char *styles; /* styles.xml, or NULL */
    bool date1904;
    bool absolute_targets;
} book;

typedef struct zpart {
    char name[64];
    ag_buf data;
} zpart;

static void add_part(zpart *parts, size_t *n, const char *name, const char *data)
{
    zpart *p = &parts[(*n)++];
    snprintf(p->name, sizeof p->name, "%s", name);
    ag_buf_init(&p->data, 1 << 26);
    ag_buf_adds(&p->data, data);
}

static void write_parts(const char *path, zpart *parts, size_t n)
{
    int ze = 0;
    zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &ze);
    assert_non_null(za);
    for (size_t i = 0; i < n; i++) {
        zip_source_t *s = zip_source_buffer(za, parts[i].data.data, parts[i].data.len, 0);
        assert_non_null(s);
        assert_true(zip_file_add(za, parts[i].name, s, ZIP_FL_ENC_UTF_8) >= 0);
    }
    assert_int_equal(zip_close(za), 0);
    for (size_t i = 0; i < n; i++)
        ag_buf_release(&parts[i].data);
}

static void write_book(const char *path, const book *b)
{
    zpart parts[16];
    size_t n = 0;
    ag_buf wb, rels, ct;
    ag_buf_init(&wb, 1 << 20);
    ag_buf_init(&rels, 1 << 20);
    ag_buf_init(&ct, 1 << 20);
    ag_buf_adds(&ct, XML_HEAD "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                              "content-types\"><Default Extension=\"xml\" "
                              "ContentType=\"application/xml\"/></Types>");
    add_part(parts, &n, "[Content_Types].xml", ct.data);
    add_part(parts, &n, "_rels/.rels",
             XML_HEAD "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                      "relationships\"><Relationship Id=\"rId1\" Type=\"" REL_TYPE
                      "officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>");
    ag_buf_printf(&wb,
                  XML_HEAD "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL
                           "\"><workbookPr%s/><sheets>",
                  b->date1904 ? " date1904=\"1\"" : "");
    ag_buf_adds(&rels, XML_HEAD "<Relationships xmlns=\"http://schemas.openxmlformats.org/"
                                "package/2006/relationships\">");
    for (int i = 0; b->names[i]; i++) {
        bool hidden = b->hidden && strcmp(b->hidden, b->names[i]) == 0;
        ag_buf_printf(&wb, "<sheet name=\"%s\" sheetId=\"%d\"%s r:id=\"rId%d\"/>", b->names[i],
                      i + 1, hidden ? " state=\"hidden\"" : "", i + 1);
        ag_buf_printf(&rels,
                      "<Relationship Id=\"rId%d\" Type=\"" REL_TYPE
                      "worksheet\" Target=\"%sworksheets/sheet%d.xml\"/>",
                      i + 1, b->absolute_targets ? "/xl/" : "", i + 1);
        char name[64];
        snprintf(name, sizeof name, "xl/worksheets/sheet%d.xml", i + 1);
        add_part(parts, &n, name, b->sheets[i]);
    }
    ag_buf_adds(&wb, "</sheets></workbook>");
    ag_buf_adds(&rels, "<Relationship Id=\"rId90\" Type=\"" REL_TYPE
                       "styles\" Target=\"styles.xml\"/><Relationship Id=\"rId91\" Type=\"" REL_TYPE
                       "sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>");
    add_part(parts, &n, "xl/workbook.xml", wb.data);
    add_part(parts, &n, "xl/_rels/workbook.xml.rels", rels.data);
    if (b->shared)
        add_part(parts, &n, "xl/sharedStrings.xml", b->shared);
    if (b->styles)
        add_part(parts, &n, "xl/styles.xml", b->styles);
    write_parts(path, parts, n);
    ag_buf_release(&wb);
    ag_buf_release(&rels);
    ag_buf_release(&ct);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *p = malloc((size_t)n + 1);
    assert_non_null(p);
    assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return p;
}

static void put_u32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static unsigned get_u16(const unsigned char *p)
{
    return p[0] | (unsigned)p[1] << 8;
}

static uint32_t get_u32(const unsigned char *p)
{
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Rewrites the declared uncompressed size of one member (central directory
 * and local header), as a zip bomb would. */
static void patch_declared_size(const char *path, const char *member, uint32_t size)
{
    size_t len;
    unsigned char *z = (unsigned char *)slurp(path, &len);
    bool done = false;
    for (size_t o = 0; o + 46 <= len; o++) {
        if (memcmp(z + o, "PK\x01\x02", 4) != 0)
            continue;
        unsigned nlen = get_u16(z + o + 28);
        if (nlen == strlen(member) && memcmp(z + o + 46, member, nlen) == 0) {
            put_u32(z + o + 24, size);
            uint32_t local = get_u32(z + o + 42);
            put_u32(z + local + 22, size);
            done = true;
        }
    }
    assert_true(done);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(z, 1, len, f), len);
    fclose(f);
    free(z);
}

static ag_err read_book(const char *path, const char *sheet, counter *k, ledger_file_info *info,
                        ag_error *err)
{
    memset(k, 0, sizeof *k);
    ledger_sink s = {.ctx = k, .row = count_row};
    ledger_xlsx_opts o = {.sheet = sheet, .unit_code = "U1"};
    ag_error_clear(err);
    return ledger_read_xlsx(path, &o, &s, info, err);
}

static void expect_fault(const char *path, const char *sheet, const char *where,
                         const char *en_part)
{
    counter k;
    ag_error err;
    ag_err rc = read_book(path, sheet, &k, NULL, &err);
    if (rc != AG_ERR_INPUT)
        fail_msg("expected AG_ERR_INPUT, got %d (%s: %s)", rc, err.where, err.en);
    /* Scratch files are named "<pid>-name" (testutil.h). */
    char want[512];
    snprintf(want, sizeof want, "%d-%s", (int)getpid(), where ? where : "");
    if (where && strcmp(err.where, want) != 0)
        fail_msg("fault at \"%s\", expected \"%s\" (%s)", err.where, want, err.en);
    if (en_part && !strstr(err.en, en_part))
        fail_msg("message \"%s\" lacks \"%s\"", err.en, en_part);
    assert_true(err.zh[0] != '\0');
}

/* ---- fixtures ---- */

/* Styles: xf 0 General, xf 1 built-in date 14, xf 2 custom 年月日 (164), xf
 * 3 a number format "#,##0.00", xf 4 an elapsed time [h]:mm (165). */
static const char styles_xml[] = XML_HEAD
    "<styleSheet xmlns=\"" NS_MAIN "\"><numFmts count=\"3\">"
    "<numFmt numFmtId=\"164\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/>"
    "<numFmt numFmtId=\"165\" formatCode=\"[h]:mm\"/>"
    "<numFmt numFmtId=\"166\" formatCode=\"&quot;day&quot;0\"/>"
    "</numFmts><cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
    "<cellXfs count=\"6\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/>"
    "<xf numFmtId=\"164\"/><xf numFmtId=\"4\"/><xf numFmtId=\"165\"/>"
    "<xf numFmtId=\"166\"/></cellXfs></styleSheet>";

/* 0 凭证日期 1 凭证号 2 科目编码 3 摘要 4 借方金额 5 贷方金额 6 付款 (two runs and a
 * phonetic run that must not show) 7 记账标志 8 备注 9 付款日期 */
static const char shared_xml[] =
    XML_HEAD "<sst xmlns=\"" NS_MAIN "\" count=\"10\" uniqueCount=\"10\">"
             "<si><t>凭证日期</t></si><si><t>凭证号</t></si><si><t>科目编码</t></si>"
             "<si><t xml:space=\"preserve\"> 摘要 </t></si><si><t>借方金额</t></si>"
             "<si><t>贷方金额</t></si>"
             "<si><r><rPr><b/></rPr><t>付</t></r><r><t>款</t></r><rPh sb=\"0\" eb=\"1\">"
             "<t>fu kuan</t></rPh></si>"
             "<si><t>记账标志</t></si><si><t>备注</t></si><si><t>付款日期</t></si></sst>";

static const char main_sheet[] = SHEET(
    "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
    "<c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"s\"><v>3</v></c>"
    "<c r=\"E1\" t=\"s\"><v>4</v></c><c r=\"F1\" t=\"s\"><v>5</v></c>"
    "<c r=\"G1\" t=\"s\"><v>7</v></c><c r=\"H1\" t=\"inlineStr\"><is><t>备注</t></is></c>"
    "<c r=\"I1\" t=\"s\"><v>9</v></c></row>"
    /* A built-in date format, a number voucher no, a shared rich string. */
    "<row r=\"2\"><c r=\"A2\" s=\"1\"><v>45292</v></c><c r=\"B2\"><v>1</v></c>"
    "<c r=\"C2\"><v>5001</v></c><c r=\"D2\" t=\"s\"><v>6</v></c>"
    "<c r=\"E2\" s=\"3\"><v>1234.5</v></c><c r=\"F2\" s=\"3\"/>"
    "<c r=\"G2\" t=\"b\"><v>1</v></c><c r=\"H2\" t=\"str\"><f>CONCAT(\"a\",\"b\")</f><v>ab</v></c>"
    "<c r=\"I2\" s=\"2\"><v>45296.75</v></c></row>"
    /* A custom date format; the credit as a computed double. */
    "<row r=\"3\"><c r=\"A3\" s=\"2\"><v>45292</v></c><c r=\"B3\" "
    "t=\"inlineStr\"><is><t>1</t></is></c>"
    "<c r=\"C3\" t=\"inlineStr\"><is><r><t>10</t></r><r><t>02</t></r></is></c>"
    "<c r=\"F3\"><v>1234.4999999999998</v></c><c r=\"G3\" t=\"b\"><v>0</v></c></row>"
    /* Row 4 is missing; row 5 has a YYYYMMDD number in the date column and the
     * 0.1+0.2 artefact; cells without r follow on. */
    "<row r=\"5\"><c r=\"A5\"><v>20240105</v></c><c><v>2</v></c><c><v>1001</v></c>"
    "<c t=\"inlineStr\"><is><t>x_x0041_y</t></is></c><c><v>0.30000000000000004</v></c></row>"
    /* A date given as text, 1.005 stored as Excel writes it, an elapsed time. */
    "<row r=\"6\"><c r=\"A6\" t=\"inlineStr\"><is><t>2024-01-06</t></is></c>"
    "<c r=\"B6\"><v>2</v></c><c r=\"C6\"><v>1002</v></c><c r=\"F6\"><v>1.0049999999999999</v></c>"
    "<c r=\"H6\" s=\"4\"><v>1.5</v></c><c r=\"I6\" s=\"5\"><v>7</v></c></row>"
    /* A styled but empty row, then nothing. */
    "<row r=\"9\"><c r=\"A9\" s=\"3\"/><c r=\"B9\" t=\"inlineStr\"><is><t></t></is></c></row>");

static void cells_numbers_dates_and_strings(void **state)
{
    (void)state;
    char path[1024];
    ag_test_path(path, sizeof path, "book.xlsx");
    book b = {
        .names = {"Sheet1"}, .sheets = {main_sheet}, .shared = shared_xml, .styles = styles_xml};
    write_book(path, &b);
    counter k;
    ledger_file_info info;
    memset(&info, 0, sizeof info);
    ag_error err;
    ag_err rc = read_book(path, NULL, &k, &info, &err);
    if (rc)
        fail_msg("%s: %s", err.where, err.en);
    assert_int_equal(k.rows, 4);
    assert_string_equal(info.format, "xlsx");
    assert_int_equal(info.rows, 4);

    got_row *r = k.r;
    assert_int_equal(r[0].date, day(2024, 1, 1));
    assert_string_equal(r[0].voucher_no, "1");
    assert_string_equal(r[0].account, "5001");
    assert_string_equal(r[0].summary, "付款");
    assert_int_equal(r[0].debit, 123450);
    assert_int_equal(r[0].credit, 0);
    assert_int_equal(r[0].posted, 1);
    assert_string_equal(r[0].extra, "{\"备注\":\"ab\",\"付款日期\":\"2024-01-05\"}");
    assert_int_equal(r[0].src_line, 2);

    assert_int_equal(r[1].date, day(2024, 1, 1));
    assert_string_equal(r[1].account, "1002");
    assert_int_equal(r[1].credit, 123450);
    assert_int_equal(r[1].posted, 0);
    assert_false(r[1].has_extra);

    assert_int_equal(r[2].date, day(2024, 1, 5));
    assert_string_equal(r[2].voucher_no, "2");
    assert_string_equal(r[2].summary, "xAy");
    assert_int_equal(r[2].debit, 30);
    assert_int_equal(r[2].src_line, 5);

    assert_int_equal(r[3].date, day(2024, 1, 6));
    assert_int_equal(r[3].credit, 101);
    /* Elapsed time and a non-date custom format stay numbers. */
    assert_string_equal(r[3].extra, "{\"备注\":\"1.5\",\"付款日期\":\"7\"}");

    assert_int_equal(k.debit, 123450 + 30);
    assert_int_equal(k.credit, 123450 + 101);

    /* The same workbook from memory hashes like the file. */
    size_t len;
    char *data = slurp(path, &len);
    char want[AG_SHA256_HEX];
    ag_sha256_hex(data, len, want);
    assert_string_equal(info.sha256, want);
    assert_int_equal(info.bytes, len);
    counter m;
    memset(&m, 0, sizeof m);
    ledger_sink s = {.ctx = &m, .row = count_row};
    ledger_xlsx_opts o = {.unit_code = "U1"};
    ledger_file_info minfo;
    assert_int_equal(ledger_read_xlsx_mem(data, len, "book.xlsx", &o, &s, &minfo, &err), AG_OK);
    assert_int_equal(m.rows, 4);
    assert_int_equal(m.debit, k.debit);
    assert_string_equal(minfo.sha256, want);
    free(data);
    unlink(path);
}

/* A sheet with prefixed element names, as some writers produce. */
static const char prefixed_sheet[] = XML_HEAD
    "<x:worksheet xmlns:x=\"" NS_MAIN "\"><x:sheetData>"
    "<x:row r=\"2\"><x:c r=\"B2\" t=\"inlineStr\"><x:is><x:t>2024年凭证</x:t></x:is></x:c>"
    "</x:row>"
    "<x:row r=\"3\"><x:c r=\"B3\" t=\"inlineStr\"><x:is><x:t>voucher_date</x:t></x:is></x:c>"
    "<x:c r=\"C3\" t=\"inlineStr\"><x:is><x:t>voucher_no</x:t></x:is></x:c>"
    "<x:c r=\"D3\" t=\"inlineStr\"><x:is><x:t>account_code</x:t></x:is></x:c>"
    "<x:c r=\"E3\" t=\"inlineStr\"><x:is><x:t>amount</x:t></x:is></x:c></x:row>"
    "<x:row r=\"4\"><x:c r=\"B4\"><x:v>43830</x:v></x:c><x:c r=\"C4\"><x:v>9</x:v></x:c>"
    "<x:c r=\"D4\"><x:v>1002</x:v></x:c><x:c r=\"E4\"><x:v>-88.8</x:v></x:c></x:row>"
    "</x:sheetData></x:worksheet>";

static const char notes_sheet[] =
    SHEET("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>说明</t></is></c></row>");

static void second_sheet_by_name_and_date1904(void **state)
{
    (void)state;
    char path[1024];
    ag_test_path(path, sizeof path, "two.xlsx");
    book b = {.names = {"说明", "凭证"},
              .sheets = {notes_sheet, prefixed_sheet},
              .date1904 = true,
              .absolute_targets = true};
    write_book(path, &b);
    counter k;
    ag_error err;
    ag_err rc = read_book(path, "凭证", &k, NULL, &err);
    if (rc)
        fail_msg("%s: %s", err.where, err.en);
    assert_int_equal(k.rows, 1);
    /* In the 1904 system, with no date style, the date column's serial 43830 is 2024-01-01. */
    assert_int_equal(k.r[0].date, day(2024, 1, 1));
    assert_string_equal(k.r[0].voucher_no, "9");
    assert_int_equal(k.r[0].credit, 8880);
    assert_int_equal(k.r[0].src_line, 4);

    /* No name: the first sheet, which has no header. */
    expect_fault(path, NULL, "two.xlsx:说明!1:1", "missing required column");

    /* The first sheet hidden: the first visible one. */
    b.hidden = "说明";
    write_book(path, &b);
    assert_int_equal(read_book(path, NULL, &k, NULL, &err), AG_OK);
    assert_int_equal(k.rows, 1);
    unlink(path);
}

static void missing_sheet_name(void **state)
{
    (void)state;
    char path[1024];
    ag_test_path(path, sizeof path, "names.xlsx");
    book b = {.names = {"说明", "凭证"}, .sheets = {notes_sheet, prefixed_sheet}};
    write_book(path, &b);
    expect_fault(path, "Sheet9", "names.xlsx",
                 "no sheet named \"Sheet9\"; its sheets are: 说明, 凭证");
    unlink(path);
}

static void structural_fault_names_the_cell(void **state)
{
    (void)state;
    char path[1024];
    ag_test_path(path, sizeof path, "bad.xlsx");
    static const char sheet[] = SHEET(
        "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>voucher_date</t></is></c>"
        "<c r=\"B1\" t=\"inlineStr\"><is><t>voucher_no</t></is></c>"
        "<c r=\"C1\" t=\"inlineStr\"><is><t>account_code</t></is></c>"
        "<c r=\"D1\" t=\"inlineStr\"><is><t>debit</t></is></c>"
        "<c r=\"E1\" t=\"inlineStr\"><is><t>credit</t></is></c></row>"
        "<row r=\"2\"><c r=\"A2\"><v>20240101</v></c><c r=\"B2\"><v>1</v></c>"
        "<c r=\"C2\"><v>1001</v></c><c r=\"D2\"><v>5</v></c></row>"
        "<row r=\"17\"><c r=\"A17\"><v>20240101</v></c><c r=\"B17\"><v>1</v></c>"
        "<c r=\"C17\"><v>1001</v></c><c r=\"D17\" t=\"inlineStr\"><is><t>五元</t></is></c></row>");
    book b = {.names = {"Sheet1"}, .sheets = {sheet}};
    write_book(path, &b);
    expect_fault(path, NULL, "bad.xlsx:Sheet1!D17", "not an amount");

    static const char bad_date[] =
        SHEET("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>voucher_date</t></is></c>"
              "<c r=\"B1\" t=\"inlineStr\"><is><t>voucher_no</t></is></c>"
              "<c r=\"C1\" t=\"inlineStr\"><is><t>account_code</t></is></c>"
              "<c r=\"D1\" t=\"inlineStr\"><is><t>amount</t></is></c></row>"
              "<row r=\"2\"><c r=\"A2\"><v>60</v></c><c r=\"B2\"><v>1</v></c>"
              "<c r=\"C2\"><v>1001</v></c><c r=\"D2\"><v>5</v></c></row>");
    b.sheets[0] = bad_date;
    write_book(path, &b);
    /* Serial 60 is Excel's phantom 1900-02-29. */
    expect_fault(path, NULL, "bad.xlsx:Sheet1!A2", "not a date");

    static const char bad_index[] = SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>3</v></c></row>");
    b.sheets[0] = bad_index;
    write_book(path, &b);
    expect_fault(path, NULL, "bad.xlsx:Sheet1!A1", "shared string");

    static const char out_of_order[] =
        SHEET("<row r=\"2\"><c r=\"B2\"><v>1</v></c><c r=\"A2\"><v>1</v></c></row>");
    b.sheets[0] = out_of_order;
    write_book(path, &b);
    expect_fault(path, NULL, NULL, "out of order");

    static const char broken_xml[] = SHEET("<row r=\"1\"><c r=\"A1\"><v>1</c></row>");
    b.sheets[0] = broken_xml;
    write_book(path, &b);
    expect_fault(path, NULL, NULL, "malformed XML");
    unlink(path);
}

static void entity_declaration_refused(void **state)
{
    (void)state;
    char path[1024];
    ag_test_path(path, sizeof path, "ent.xlsx");
    static const char sheet[] =
        XML_HEAD "<!DOCTYPE worksheet [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]>"
                 "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"1\"><c r=\"A1\" "
                 "t=\"inlineStr\"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>";
    book b = {.names = {"Sheet1"}, .sheets = {sheet}};
    write_book(path, &b);
    expect_fault(path, NULL, "ent.xlsx:xl/worksheets/sheet1.xml", "refused");

    /* The same in the shared strings. */
    static const char sst[] =
        XML_HEAD "<!DOCTYPE sst [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><sst xmlns=\"" NS_MAIN
                 "\"><si><t>&x;</t></si></sst>";
    book b2 = {.names = {"Sheet1"}, .sheets = {notes_sheet}, .shared = sst};
    write_book(path, &b2);
    expect_fault(path, NULL, "ent.xlsx:xl/sharedStrings.xml", "refused");
    unlink(path);
}

static void zip_bombs_refused(void **state)
{
    (void)state;
    char path[1024];
    ag_test_path(path, sizeof path, "bomb.xlsx");
    book b = {.names = {"Sheet1"}, .sheets = {main_sheet}, .shared = shared_xml};
    /* A declared size past the sheet cap. */
    write_book(path, &b);
    patch_declared_size(path, "xl/worksheets/sheet1.xml", 0xFFFFFFF0u);
    expect_fault(path, NULL, "bomb.xlsx:xl/worksheets/sheet1.xml", "over the limit");
    /* Under the cap but at an impossible compression ratio. */
    write_book(path, &b);
    patch_declared_size(path, "xl/worksheets/sheet1.xml", 200u << 20);
    expect_fault(path, NULL, "bomb.xlsx:xl/worksheets/sheet1.xml", "compression ratio");
    /* Shared strings past their own cap. */
    write_book(path, &b);
    patch_declared_size(path, "xl/sharedStrings.xml", 100u << 20);
    expect_fault(path, NULL, "bomb.xlsx:xl/sharedStrings.xml", "over the limit");
    /* A real part that is highly compressible beyond the ratio. */
    ag_buf big;
    ag_buf_init(&big, 1u << 26);
    ag_buf_adds(&big, XML_HEAD "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>");
    for (int i = 0; i < 400000; i++)
        ag_buf_adds(&big, "<row/>");
    ag_buf_adds(&big, "</sheetData></worksheet>");
    book b2 = {.names = {"Sheet1"}, .sheets = {big.data}};
    write_book(path, &b2);
    expect_fault(path, NULL, "bomb.xlsx:xl/worksheets/sheet1.xml", "compression ratio");
    ag_buf_release(&big);
    unlink(path);
}

static void not_a_workbook(void **state)
{
    (void)state;
    char path[1024];
    ag_test_path(path, sizeof path, "fake.xlsx");
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("voucher_date,voucher_no\n", f);
    fclose(f);
    expect_fault(path, NULL, "fake.xlsx", "not an XLSX file");
    f = fopen(path, "wb");
    static const char ole[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 rest of an OLE file";
    fwrite(ole, 1, sizeof ole - 1, f);
    fclose(f);
    expect_fault(path, NULL, "fake.xlsx", ".xls");
    f = fopen(path, "wb");
    static const char trunc[] = "PK\x03\x04 truncated";
    fwrite(trunc, 1, sizeof trunc - 1, f);
    fclose(f);
    expect_fault(path, NULL, "fake.xlsx", "bad zip");
    f = fopen(path, "wb");
    fclose(f);
    expect_fault(path, NULL, "fake.xlsx", "not an XLSX file");
    /* A zip without a workbook. */
    zpart parts[1];
    size_t n = 0;
    add_part(parts, &n, "hello.txt", "hi");
    write_parts(path, parts, n);
    expect_fault(path, NULL, "fake.xlsx:xl/workbook.xml", "has no part");
    unlink(path);

    ag_error err;
    ledger_sink s = {0};
    assert_int_equal(ledger_read_xlsx("/nonexistent/book.xlsx", NULL, &s, NULL, &err),
                     AG_ERR_NOTFOUND);
}

static void empty_sheet(void **state)
{
    (void)state;
    char path[1024];
    ag_test_path(path, sizeof path, "empty.xlsx");
    book b = {.names = {"空表"}, .sheets = {SHEET("")}};
    write_book(path, &b);
    expect_fault(path, NULL, NULL, "empty");
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cells_numbers_dates_and_strings),
        cmocka_unit_test(second_sheet_by_name_and_date1904),
        cmocka_unit_test(missing_sheet_name),
        cmocka_unit_test(structural_fault_names_the_cell),
        cmocka_unit_test(entity_declaration_refused),
        cmocka_unit_test(zip_bombs_refused),
        cmocka_unit_test(not_a_workbook),
        cmocka_unit_test(empty_sheet),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
