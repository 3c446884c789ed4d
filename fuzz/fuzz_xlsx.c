/* fuzz_xlsx.c - libFuzzer target: workbooks, raw or assembled around fuzzed sheet XML, through the
 * XLSX reader. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "ledger/xlsx.h"
#include "util/date.h"

#include "util/banned.h"

static ag_err check_row(void *ctx, const ledger_row *r, ag_error *err)
{
    (void)ctx;
    (void)err;
    if (!r->voucher_no || !r->account_code || r->period < 0 || r->period > 13)
        abort();
    if (!ag_date_valid(ag_date_from_days(r->date)))
        abort();
    if (r->summary && strlen(r->summary) > LEDGER_MAX_FIELD_BYTES)
        abort();
    return AG_OK;
}

#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
#define REL  "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

static const char rels[] =
    HEAD "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
         "<Relationship Id=\"rId1\" Type=\"" REL "officeDocument\" Target=\"xl/workbook.xml\"/>"
         "</Relationships>";
static const char workbook[] =
    HEAD "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
         "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
         "<sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char wbrels[] =
    HEAD "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
         "<Relationship Id=\"rId1\" Type=\"" REL "worksheet\" Target=\"worksheets/sheet1.xml\"/>"
         "<Relationship Id=\"rId2\" Type=\"" REL "sharedStrings\" Target=\"sharedStrings.xml\"/>"
         "<Relationship Id=\"rId3\" Type=\"" REL "styles\" Target=\"styles.xml\"/>"
         "</Relationships>";
static const char styles[] =
    HEAD "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
         "<numFmts><numFmt numFmtId=\"164\" formatCode=\"yyyy/m/d\"/></numFmts>"
         "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/></cellXfs>"
         "</styleSheet>";

static int add(zip_t *za, const char *name, const void *p, size_t n)
{
    zip_source_t *s = zip_source_buffer(za, p, n, 0);
    if (!s)
        return -1;
    zip_int64_t i = zip_file_add(za, name, s, ZIP_FL_OVERWRITE);
    if (i < 0) {
        zip_source_free(s);
        return -1;
    }
    zip_set_file_compression(za, (zip_uint64_t)i, ZIP_CM_STORE, 0);
    return 0;
}

/* Builds a workbook in memory whose sheet (and shared strings, after a
 * 0x00 byte in the input) are the fuzzer's bytes. */
static void *assemble(const uint8_t *data, size_t size, size_t *out_len)
{
    const uint8_t *cut = memchr(data, 0, size);
    size_t sheet_len = cut ? (size_t)(cut - data) : size;
    const uint8_t *sst = cut ? cut + 1 : NULL;
    size_t sst_len = cut ? size - sheet_len - 1 : 0;

    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    void *buf = NULL;
    if (!src)
        goto out;
    zip_source_keep(src);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    if (!za)
        goto out;
    if (add(za, "_rels/.rels", rels, sizeof rels - 1) ||
        add(za, "xl/workbook.xml", workbook, sizeof workbook - 1) ||
        add(za, "xl/_rels/workbook.xml.rels", wbrels, sizeof wbrels - 1) ||
        add(za, "xl/styles.xml", styles, sizeof styles - 1) ||
        add(za, "xl/worksheets/sheet1.xml", data, sheet_len) ||
        (sst && add(za, "xl/sharedStrings.xml", sst, sst_len))) {
        zip_discard(za);
        goto out;
    }
    if (zip_close(za) != 0) {
        zip_discard(za);
        goto out;
    }
    zip_stat_t st;
    if (zip_source_stat(src, &st) != 0 || zip_source_open(src) != 0)
        goto out;
    buf = malloc(st.size ? st.size : 1);
    if (buf && zip_source_read(src, buf, st.size) != (zip_int64_t)st.size) {
        free(buf);
        buf = NULL;
    }
    *out_len = st.size;
    zip_source_close(src);
out:
    if (src)
        zip_source_free(src);
    zip_error_fini(&ze);
    return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ledger_sink sink = {.row = check_row};
    ledger_xlsx_opts o = {.unit_code = "U1"};
    ag_error err;
    ledger_file_info info;

    if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
        ledger_read_xlsx_mem(data, size, "fuzz.xlsx", &o, &sink, &info, &err);
        return 0;
    }
    size_t len = 0;
    void *book = assemble(data, size, &len);
    if (book) {
        ledger_read_xlsx_mem(book, len, "fuzz.xlsx", &o, &sink, &info, &err);
        free(book);
    }
    return 0;
}
