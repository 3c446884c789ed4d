/* test_report_docx.c - a report as DOCX (issue 16) opened with libzip and read back with expat:
 * the GB/T 9704-2012 page (A4, margins 37/35/28/26 mm, 22 lines), the fonts and sizes of title,
 * body and the three heading levels, "— N —" page numbers right on odd and left on even pages,
 * every text with its number in document order and escaped; refusals leave no file. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <expat.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zip.h>

#include "export/export.h"
#include "export/report_internal.h"
#include "../testutil.h"
#include "report_fixture.h"

/* ---- reading the package ---------------------------------------------------------------- */

static char *member(zip_t *za, const char *name)
{
    zip_stat_t zs;
    if (zip_stat(za, name, 0, &zs) != 0)
        fail_msg("the DOCX has no %s", name);
    char *data = malloc(zs.size + 1);
    assert_non_null(data);
    zip_file_t *zf = zip_fopen(za, name, 0);
    assert_non_null(zf);
    assert_int_equal(zip_fread(zf, data, zs.size), (zip_int64_t)zs.size);
    zip_fclose(zf);
    data[zs.size] = '\0';
    return data;
}

static const char *attr(const XML_Char **a, const char *name)
{
    for (int i = 0; a[i]; i += 2)
        if (strcmp(a[i], name) == 0)
            return a[i + 1];
    return NULL;
}

static long num_attr(const XML_Char **a, const char *name)
{
    const char *v = attr(a, name);
    if (!v)
        fail_msg("attribute %s missing", name);
    return strtol(v, NULL, 10);
}

/* What one part says, as far as the tests look. */
#define MAX_PARAS  256
#define MAX_STYLES 32
typedef struct style_info {
    char id[32], east[64];
    int sz;
    bool bold;
    char jc[16];
} style_info;

typedef struct part {
    /* document.xml */
    char *para[MAX_PARAS];
    char pstyle[MAX_PARAS][32];
    bool in_table[MAX_PARAS];
    int npara, tbl_depth, ntables, header_rows;
    long pg_w, pg_h, mar_top, mar_bottom, mar_left, mar_right, line_pitch;
    char grid_type[32], foot_default[16], foot_even[16];
    /* styles.xml */
    style_info styles[MAX_STYLES];
    int nstyles;
    style_info *cur_style;
    /* settings.xml */
    bool even_odd;
    /* footers */
    bool page_field;
    char foot_jc[16];
    long foot_ind_left, foot_ind_right;
    /* text collection */
    bool in_t, in_instr;
    char *buf;
    size_t len, cap;
    char instr[128];
} part;

static void grow_add(part *p, const char *s, size_t n)
{
    if (p->len + n + 1 > p->cap) {
        p->cap = (p->len + n + 1) * 2;
        p->buf = realloc(p->buf, p->cap);
        assert_non_null(p->buf);
    }
    memcpy(p->buf + p->len, s, n);
    p->len += n;
    p->buf[p->len] = '\0';
}

static void on_start(void *ud, const XML_Char *el, const XML_Char **a)
{
    part *p = ud;
    if (strcmp(el, "w:p") == 0) {
        p->len = 0;
        grow_add(p, "", 0);
        if (p->npara < MAX_PARAS)
            p->pstyle[p->npara][0] = '\0';
    } else if (strcmp(el, "w:pStyle") == 0 && p->npara < MAX_PARAS) {
        snprintf(p->pstyle[p->npara], sizeof p->pstyle[0], "%s", attr(a, "w:val"));
    } else if (strcmp(el, "w:t") == 0) {
        p->in_t = true;
    } else if (strcmp(el, "w:br") == 0) {
        grow_add(p, "\n", 1);
    } else if (strcmp(el, "w:instrText") == 0) {
        p->in_instr = true;
        p->instr[0] = '\0';
    } else if (strcmp(el, "w:tbl") == 0) {
        p->tbl_depth++;
        p->ntables++;
    } else if (strcmp(el, "w:tblHeader") == 0) {
        p->header_rows++;
    } else if (strcmp(el, "w:pgSz") == 0) {
        p->pg_w = num_attr(a, "w:w");
        p->pg_h = num_attr(a, "w:h");
    } else if (strcmp(el, "w:pgMar") == 0) {
        p->mar_top = num_attr(a, "w:top");
        p->mar_bottom = num_attr(a, "w:bottom");
        p->mar_left = num_attr(a, "w:left");
        p->mar_right = num_attr(a, "w:right");
    } else if (strcmp(el, "w:docGrid") == 0) {
        snprintf(p->grid_type, sizeof p->grid_type, "%s", attr(a, "w:type"));
        p->line_pitch = num_attr(a, "w:linePitch");
    } else if (strcmp(el, "w:footerReference") == 0) {
        const char *t = attr(a, "w:type"), *id = attr(a, "r:id");
        if (strcmp(t, "default") == 0)
            snprintf(p->foot_default, sizeof p->foot_default, "%s", id);
        else if (strcmp(t, "even") == 0)
            snprintf(p->foot_even, sizeof p->foot_even, "%s", id);
    } else if (strcmp(el, "w:style") == 0) {
        assert_true(p->nstyles < MAX_STYLES);
        p->cur_style = &p->styles[p->nstyles++];
        snprintf(p->cur_style->id, sizeof p->cur_style->id, "%s", attr(a, "w:styleId"));
    } else if (strcmp(el, "w:rFonts") == 0 && p->cur_style) {
        snprintf(p->cur_style->east, sizeof p->cur_style->east, "%s", attr(a, "w:eastAsia"));
    } else if (strcmp(el, "w:sz") == 0 && p->cur_style) {
        p->cur_style->sz = (int)num_attr(a, "w:val");
    } else if (strcmp(el, "w:b") == 0 && p->cur_style) {
        p->cur_style->bold = true;
    } else if (strcmp(el, "w:jc") == 0) {
        if (p->cur_style)
            snprintf(p->cur_style->jc, sizeof p->cur_style->jc, "%s", attr(a, "w:val"));
        else
            snprintf(p->foot_jc, sizeof p->foot_jc, "%s", attr(a, "w:val"));
    } else if (strcmp(el, "w:ind") == 0 && !p->cur_style) {
        const char *l = attr(a, "w:left"), *r = attr(a, "w:right");
        p->foot_ind_left = l ? strtol(l, NULL, 10) : 0;
        p->foot_ind_right = r ? strtol(r, NULL, 10) : 0;
    } else if (strcmp(el, "w:evenAndOddHeaders") == 0) {
        p->even_odd = true;
    }
}

static void on_end(void *ud, const XML_Char *el)
{
    part *p = ud;
    if (strcmp(el, "w:t") == 0) {
        p->in_t = false;
    } else if (strcmp(el, "w:instrText") == 0) {
        p->in_instr = false;
        if (strstr(p->instr, "PAGE"))
            p->page_field = true;
    } else if (strcmp(el, "w:tbl") == 0) {
        p->tbl_depth--;
    } else if (strcmp(el, "w:style") == 0) {
        p->cur_style = NULL;
    } else if (strcmp(el, "w:p") == 0 && p->len > 0) {
        /* Non-empty paragraphs only (the blank line before the signature, empty cells). */
        assert_true(p->npara < MAX_PARAS);
        p->in_table[p->npara] = p->tbl_depth > 0;
        p->para[p->npara++] = strdup(p->buf);
    }
}

static void on_text(void *ud, const XML_Char *s, int n)
{
    part *p = ud;
    if (p->in_t)
        grow_add(p, s, (size_t)n);
    else if (p->in_instr) {
        size_t have = strlen(p->instr);
        snprintf(p->instr + have, sizeof p->instr - have, "%.*s", n, s);
    }
}

static void parse(part *p, const char *xml)
{
    XML_Parser xp = XML_ParserCreate("UTF-8");
    XML_SetUserData(xp, p);
    XML_SetElementHandler(xp, on_start, on_end);
    XML_SetCharacterDataHandler(xp, on_text);
    if (XML_Parse(xp, xml, (int)strlen(xml), 1) != XML_STATUS_OK)
        fail_msg("bad XML at line %lu: %s", (unsigned long)XML_GetCurrentLineNumber(xp),
                 XML_ErrorString(XML_GetErrorCode(xp)));
    XML_ParserFree(xp);
}

static void part_free(part *p)
{
    for (int i = 0; i < p->npara; i++)
        free(p->para[i]);
    free(p->buf);
    free(p);
}

static part *parse_member(zip_t *za, const char *name, char **raw)
{
    part *p = calloc(1, sizeof *p);
    assert_non_null(p);
    char *xml = member(za, name);
    parse(p, xml);
    if (raw)
        *raw = xml;
    else
        free(xml);
    return p;
}

static const style_info *style_of(const part *s, const char *id)
{
    for (int i = 0; i < s->nstyles; i++)
        if (strcmp(s->styles[i].id, id) == 0)
            return &s->styles[i];
    fail_msg("no style %s", id);
    return NULL;
}

/* The style of the first paragraph whose text is t. */
static const style_info *style_at(const part *doc, const part *sty, const char *t)
{
    for (int i = 0; i < doc->npara; i++)
        if (strcmp(doc->para[i], t) == 0)
            return style_of(sty, doc->pstyle[i]);
    fail_msg("no paragraph \"%s\"", t);
    return NULL;
}

static void export_fixture(char *path, size_t cap, const char *name)
{
    ag_test_path(path, cap, name);
    json_t *doc = rf_doc();
    ag_error err;
    must(export_report_docx(doc, path, &err), &err);
    json_decref(doc);
}

/* ---- the tests ---------------------------------------------------------------------------- */

static void test_page_setup(void **state)
{
    (void)state;
    char path[1024];
    export_fixture(path, sizeof path, "page.docx");
    int ze = 0;
    zip_t *za = zip_open(path, ZIP_RDONLY, &ze);
    assert_non_null(za);
    part *doc = parse_member(za, "word/document.xml", NULL);
    assert_int_equal(doc->pg_w, 11906);
    assert_int_equal(doc->pg_h, 16838);
    /* 37, 35, 28 and 26 mm, within a twip. */
    assert_in_range(doc->mar_top, 2097, 2099);
    assert_in_range(doc->mar_bottom, 1983, 1985);
    assert_in_range(doc->mar_left, 1586, 1588);
    assert_in_range(doc->mar_right, 1473, 1475);
    /* 22 lines in the text block's 12756 twips. */
    assert_string_equal(doc->grid_type, "lines");
    assert_in_range(doc->line_pitch, 578, 580);
    assert_int_equal((16838 - 2098 - 1984) / doc->line_pitch, 22);

    /* The settings: different footers on odd and even pages. */
    part *set = parse_member(za, "word/settings.xml", NULL);
    assert_true(set->even_odd);
    part_free(set);

    /* Odd pages (the default footer) right-aligned, even ones left, one 14 pt character in. */
    char *rels = member(za, "word/_rels/document.xml.rels");
    char want[128];
    snprintf(want, sizeof want,
             "Id=\"%s\" Type=\"http://schemas.openxmlformats.org/"
             "officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"",
             doc->foot_default);
    assert_non_null(strstr(rels, want));
    snprintf(want, sizeof want,
             "Id=\"%s\" Type=\"http://schemas.openxmlformats.org/"
             "officeDocument/2006/relationships/footer\" Target=\"footer2.xml\"",
             doc->foot_even);
    assert_non_null(strstr(rels, want));
    free(rels);
    part *odd = parse_member(za, "word/footer1.xml", NULL);
    part *even = parse_member(za, "word/footer2.xml", NULL);
    assert_true(odd->page_field);
    assert_true(even->page_field);
    assert_string_equal(odd->foot_jc, "right");
    assert_string_equal(even->foot_jc, "left");
    assert_int_equal(odd->foot_ind_right, 280);
    assert_int_equal(even->foot_ind_left, 280);
    assert_int_equal(odd->npara, 1);
    assert_string_equal(odd->para[0], "— 1 —");
    assert_string_equal(even->para[0], "— 1 —");

    /* The footer's style: 4号 (14 pt) 宋体. */
    part *sty = parse_member(za, "word/styles.xml", NULL);
    const style_info *f = style_of(sty, "Footer");
    assert_int_equal(f->sz, 28);
    assert_string_equal(f->east, "宋体");
    part_free(sty);
    part_free(odd);
    part_free(even);
    part_free(doc);

    /* The package's other parts are there. */
    char *ct = member(za, "[Content_Types].xml");
    assert_non_null(strstr(ct, "/word/footer2.xml"));
    assert_non_null(strstr(ct, "wordprocessingml.document.main+xml"));
    free(ct);
    char *core = member(za, "docProps/core.xml");
    assert_non_null(
        strstr(core, "<dc:title>关于第五幼儿园2025年度财务收支情况的审计报告</dc:title>"));
    free(core);
    free(member(za, "_rels/.rels"));
    free(member(za, "docProps/app.xml"));
    char *fonts = member(za, "word/fontTable.xml");
    assert_non_null(strstr(fonts, "<w:font w:name=\"仿宋_GB2312\"><w:altName w:val=\"仿宋\"/>"));
    assert_non_null(
        strstr(fonts, "<w:font w:name=\"方正小标宋简体\"><w:altName w:val=\"小标宋\"/>"));
    free(fonts);
    zip_close(za);
}

static void test_fonts_and_sizes(void **state)
{
    (void)state;
    char path[1024];
    export_fixture(path, sizeof path, "fonts.docx");
    int ze = 0;
    zip_t *za = zip_open(path, ZIP_RDONLY, &ze);
    assert_non_null(za);
    part *doc = parse_member(za, "word/document.xml", NULL);
    part *sty = parse_member(za, "word/styles.xml", NULL);

    const style_info *t = style_at(doc, sty, "关于第五幼儿园2025年度财务收支情况的审计报告");
    assert_int_equal(t->sz, 44); /* 2号 */
    assert_non_null(strstr(t->east, "小标宋"));
    assert_string_equal(t->jc, "center");

    const style_info *body = style_at(doc, sty, RF_LONG);
    assert_int_equal(body->sz, 32); /* 3号 */
    assert_non_null(strstr(body->east, "仿宋"));
    assert_false(body->bold);
    assert_string_equal(body->jc, "both");

    const style_info *h1 = style_at(doc, sty, "一、被审计单位基本情况");
    assert_string_equal(h1->east, "黑体");
    assert_int_equal(h1->sz, 32);
    assert_false(h1->bold);
    const style_info *h2 = style_at(doc, sty, "（一）审计范围");
    assert_non_null(strstr(h2->east, "楷体"));
    assert_int_equal(h2->sz, 32);
    const style_info *h3 = style_at(doc, sty, "1.重点内容");
    assert_non_null(strstr(h3->east, "仿宋"));
    assert_true(h3->bold);
    assert_int_equal(h3->sz, 32);

    /* Issuer and date right-aligned at the end. */
    assert_string_equal(style_at(doc, sty, "区教育局内部审计科")->jc, "right");
    assert_string_equal(style_at(doc, sty, "2026年12月6日")->jc, "right");
    assert_string_equal(doc->para[doc->npara - 1], "2026年12月6日");

    /* The table: bordered, a repeated header row, cells in 小四 仿宋, the header bold. */
    assert_int_equal(doc->ntables, 1);
    assert_int_equal(doc->header_rows, 1);
    const style_info *cell = style_at(doc, sty, "票据不合规");
    assert_int_equal(cell->sz, 24);
    assert_non_null(strstr(cell->east, "仿宋"));
    assert_true(style_at(doc, sty, "金额（元）")->bold);
    part_free(sty);
    part_free(doc);
    zip_close(za);
}

static void test_text_in_order_and_escaped(void **state)
{
    (void)state;
    char path[1024];
    export_fixture(path, sizeof path, "text.docx");
    int ze = 0;
    zip_t *za = zip_open(path, ZIP_RDONLY, &ze);
    assert_non_null(za);
    char *raw;
    part *doc = parse_member(za, "word/document.xml", &raw);
    size_t want = sizeof RF_TEXT / sizeof RF_TEXT[0];
    for (size_t i = 0; i < want && i < (size_t)doc->npara; i++)
        if (strcmp(doc->para[i], RF_TEXT[i]) != 0)
            fail_msg("paragraph %zu is \"%s\", expected \"%s\"", i, doc->para[i], RF_TEXT[i]);
    assert_int_equal(doc->npara, (int)want);
    /* The table's cells are the paragraphs inside the table, nothing else is. */
    for (int i = 0; i < doc->npara; i++)
        assert_int_equal(
            doc->in_table[i],
            strcmp(doc->para[i], "序号") == 0 || strcmp(doc->para[i], "1") == 0 ||
                strcmp(doc->para[i], "2") == 0 || strcmp(doc->para[i], "3") == 0 ||
                strcmp(doc->para[i], "问题") == 0 || strcmp(doc->para[i], "金额（元）") == 0 ||
                strcmp(doc->para[i], "采购<未招标> & 拆分") == 0 ||
                strcmp(doc->para[i], "1,234.50") == 0 || strcmp(doc->para[i], "20,000.00") == 0 ||
                strcmp(doc->para[i], "票据不合规") == 0 ||
                strcmp(doc->para[i], "多行\n单元格") == 0);
    /* <&>" arrive escaped in the XML (expat gave them back above). */
    assert_non_null(strstr(raw, "A&amp;B &lt;内审&gt; &quot;规定&quot;"));
    assert_non_null(strstr(raw, "采购&lt;未招标&gt; &amp; 拆分"));
    assert_null(strstr(raw, "<内审>"));
    free(raw);
    part_free(doc);
    zip_close(za);
}

/* A control character, an empty document and no doc number: still well-formed XML. */
static void test_minimal_and_control_characters(void **state)
{
    (void)state;
    char path[1024];
    ag_test_path(path, sizeof path, "minimal.docx");
    json_t *doc = json_pack("{s:s,s:n,s:[{s:s,s:s,s:[{s:s,s:s}]}]}", "title", "标题\x01\t甲",
                            "doc_no", "sections", "key", "a", "heading", "概况", "blocks", "type",
                            "p", "text", "  　正文\x07内\xEF\xBF\xBF容  \n\n");
    ag_error err;
    must(export_report_docx(doc, path, &err), &err);
    json_decref(doc);
    int ze = 0;
    zip_t *za = zip_open(path, ZIP_RDONLY, &ze);
    assert_non_null(za);
    part *p = parse_member(za, "word/document.xml", NULL);
    assert_int_equal(p->npara, 3);
    assert_string_equal(p->para[0], "标题 甲");
    assert_string_equal(p->para[1], "一、概况");
    assert_string_equal(p->para[2], "正文内容");
    part_free(p);
    zip_close(za);
}

static int count_tmp(const char *path)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", path);
    *strrchr(dir, '/') = '\0';
    const char *base = strrchr(path, '/') + 1;
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strncmp(e->d_name, base, strlen(base)) == 0 && strstr(e->d_name, ".tmp-"))
            n++;
    closedir(d);
    return n;
}

/* A document of the wrong shape is refused naming the field; the file already there stays. */
static void test_refusals_leave_the_file(void **state)
{
    (void)state;
    char path[1024];
    export_fixture(path, sizeof path, "refuse.docx");
    struct stat before, after;
    assert_int_equal(stat(path, &before), 0);
    ag_error err;
    json_t *bad = json_pack("{s:s,s:[{s:s,s:s,s:[{s:s}]}]}", "title", "标题", "sections", "key",
                            "a", "heading", "概况", "blocks", "type", "chart");
    assert_int_equal(export_report_docx(bad, path, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "sections[0].blocks[0].type");
    assert_non_null(strstr(err.zh, "未知类型"));
    json_decref(bad);
    bad = json_pack("{s:s,s:s}", "title", "标题", "sections", "无");
    assert_int_equal(export_report_docx(bad, path, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "sections");
    json_decref(bad);
    bad = json_pack("{s:[]}", "sections");
    assert_int_equal(export_report_docx(bad, path, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "title");
    json_decref(bad);
    bad = json_pack("{s:s,s:[{s:s,s:[{s:s,s:[s],s:[s]}]}]}", "title", "标题", "sections", "heading",
                    "概况", "blocks", "type", "table", "columns", "甲", "rows", "乙");
    assert_int_equal(export_report_docx(bad, path, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "sections[0].blocks[0].rows[0]");
    json_decref(bad);
    assert_int_equal(stat(path, &after), 0);
    assert_int_equal(before.st_size, after.st_size);
    assert_int_equal(before.st_mtime, after.st_mtime);
    assert_int_equal(count_tmp(path), 0);

    /* A folder that does not exist: AG_ERR_IO, nothing written. */
    json_t *doc = rf_doc();
    assert_int_equal(export_report_docx(doc, "/nonexistent-folder/r.docx", &err), AG_ERR_IO);
    assert_int_equal(export_report_docx(doc, "", &err), AG_ERR_USAGE);
    json_decref(doc);
}

static void test_numbers_and_dates(void **state)
{
    (void)state;
    char out[64];
    static const struct {
        int level, n;
        const char *want;
    } cases[] = {
        {1, 1, "一、"},      {1, 10, "十、"},   {1, 11, "十一、"}, {1, 20, "二十、"},
        {1, 99, "九十九、"}, {1, 100, "100、"}, {2, 3, "（三）"},  {2, 21, "（二十一）"},
        {3, 1, "1."},        {3, 12, "12."},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        report_number(cases[i].level, cases[i].n, out, sizeof out);
        assert_string_equal(out, cases[i].want);
    }
    report_date_zh("2026-12-06", out, sizeof out);
    assert_string_equal(out, "2026年12月6日");
    report_date_zh("2026-01-31", out, sizeof out);
    assert_string_equal(out, "2026年1月31日");
    report_date_zh("2026-02-30", out, sizeof out);
    assert_string_equal(out, "2026-02-30");
    report_date_zh(NULL, out, sizeof out);
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_page_setup),
        cmocka_unit_test(test_fonts_and_sizes),
        cmocka_unit_test(test_text_in_order_and_escaped),
        cmocka_unit_test(test_minimal_and_control_characters),
        cmocka_unit_test(test_refusals_leave_the_file),
        cmocka_unit_test(test_numbers_and_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
