/* report_docx.c - the four reports as WordprocessingML (DOCX) in the layout of GB/T 9704-2012, and
 * the walk over a content document every report writer shares. Issue 16.
 *
 * The XML parts are written by hand: Debian ships no OOXML writer usable from C (libxlsxwriter
 * writes spreadsheets only, LibreOffice's UNO is a C++ runtime of its own), and a report needs a
 * small fixed subset of ECMA-376 part 1 — paragraphs with styles, one table shape, two footers
 * with a PAGE field and one section. Elements are written in the schema's order (Word refuses
 * files that are not); every text goes through xml_text (escaped, control characters dropped);
 * libzip packs the parts. */
#include "export/export.h"
#include "export/report_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "util/buf.h"
#include "util/clock.h"
#include "util/date.h"
#include "util/banned.h"

/* ---- the walk ---------------------------------------------------------------------------- */

static const char *const CN_DIGIT[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};

/* 1..99 in Chinese numerals (十一, 二十, 九十九), else digits. */
static void cn_numeral(int n, char *out, size_t cap)
{
    if (n < 1 || n > 99) {
        snprintf(out, cap, "%d", n);
        return;
    }
    int tens = n / 10, ones = n % 10;
    if (tens == 0)
        snprintf(out, cap, "%s", CN_DIGIT[ones]);
    else
        snprintf(out, cap, "%s十%s", tens == 1 ? "" : CN_DIGIT[tens], CN_DIGIT[ones]);
}

void report_number(int level, int n, char *out, size_t cap)
{
    char cn[24];
    cn_numeral(n, cn, sizeof cn);
    if (level == 1)
        snprintf(out, cap, "%s、", cn);
    else if (level == 2)
        snprintf(out, cap, "（%s）", cn);
    else
        snprintf(out, cap, "%d.", n);
}

void report_date_zh(const char *iso, char *out, size_t cap)
{
    int32_t days;
    if (!iso) {
        snprintf(out, cap, "%s", "");
        return;
    }
    if (strlen(iso) == 10 && iso[4] == '-' && ag_date_parse(iso, 10, &days)) {
        ag_date d = ag_date_from_days(days);
        snprintf(out, cap, "%d年%d月%d日", d.year, d.month, d.day);
        return;
    }
    snprintf(out, cap, "%s", iso);
    ag_utf8_trim_tail(out);
}

size_t report_text_width(const char *s)
{
    size_t best = 0, line = 0;
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p;) {
        if (*p == '\n') {
            line = 0;
            p++;
            continue;
        }
        line += *p >= 0x80 ? 2 : 1;
        p++;
        while ((*p & 0xC0) == 0x80)
            p++;
        if (line > best)
            best = line;
    }
    return best;
}

const char *report_cell(const json_t *row, size_t i, char num[48])
{
    const json_t *c = json_array_get(row, i);
    if (json_is_string(c))
        return json_string_value(c);
    if (json_is_integer(c)) {
        snprintf(num, 48, "%lld", (long long)json_integer_value(c));
        return num;
    }
    if (json_is_real(c)) {
        snprintf(num, 48, "%.2f", json_real_value(c));
        return num;
    }
    return "";
}

/* ASCII white space and the ideographic space U+3000 (E3 80 80) at either end of a line. */
static void trim(const char **s, size_t *n)
{
    const char *p = *s;
    size_t len = *n;
    for (;;) {
        if (len && (*p == ' ' || *p == '\t' || *p == '\r')) {
            p++;
            len--;
        } else if (len >= 3 && memcmp(p, "\xE3\x80\x80", 3) == 0) {
            p += 3;
            len -= 3;
        } else {
            break;
        }
    }
    for (;;) {
        if (len && (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '\r'))
            len--;
        else if (len >= 3 && memcmp(p + len - 3, "\xE3\x80\x80", 3) == 0)
            len -= 3;
        else
            break;
    }
    *s = p;
    *n = len;
}

typedef struct walk {
    const report_ops *ops;
    void *ud;
    ag_error *err;
    int h1, h2, h3;
} walk;

/* One paragraph per non-empty line of text; the label goes before the first. */
static ag_err walk_lines(walk *w, const char *label, const char *text)
{
    bool first = true;
    for (const char *p = text; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        const char *s = p;
        trim(&s, &n);
        if (n) {
            ag_err rc = w->ops->para(w->ud, REPORT_P, "", first ? label : NULL, s, n, w->err);
            if (rc)
                return rc;
            first = false;
        }
        if (!nl)
            break;
        p = nl + 1;
    }
    return AG_OK;
}

static ag_err walk_heading(walk *w, int level, const char *text)
{
    size_t n = strlen(text);
    trim(&text, &n);
    if (!n)
        return AG_OK;
    char num[32];
    int *ctr = level == 1 ? &w->h1 : level == 2 ? &w->h2 : &w->h3;
    report_number(level, ++*ctr, num, sizeof num);
    if (level <= 2)
        w->h3 = 0;
    if (level == 1)
        w->h2 = 0;
    return w->ops->para(w->ud,
                        level == 1   ? REPORT_H1
                        : level == 2 ? REPORT_H2
                                     : REPORT_H3,
                        num, NULL, text, n, w->err);
}

static ag_err bad(ag_error *err, const char *field, const char *zh, const char *en)
{
    return ag_fail(err, AG_ERR_INPUT, field, "报告内容有误（%s）：%s%.0s",
                   "bad report content (%s): %.0s%s", field, zh, en);
}

/* A string member (NULL, absent and "" alike as "") or an error naming it. */
static ag_err text_of(const json_t *o, const char *key, const char *where, const char **out,
                      ag_error *err)
{
    const json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v)) {
        *out = "";
        return AG_OK;
    }
    if (!json_is_string(v)) {
        char f[160];
        snprintf(f, sizeof f, "%s.%s", where, key);
        return bad(err, f, "应为文本", "must be text");
    }
    *out = json_string_value(v);
    return AG_OK;
}

static ag_err walk_table(walk *w, const json_t *b, const char *where)
{
    char f[160];
    const json_t *cols = json_object_get(b, "columns"), *rows = json_object_get(b, "rows");
    if (cols && !json_is_array(cols)) {
        snprintf(f, sizeof f, "%s.columns", where);
        return bad(w->err, f, "应为文本数组", "must be an array of texts");
    }
    if (!json_is_array(rows)) {
        snprintf(f, sizeof f, "%s.rows", where);
        return bad(w->err, f, "应为数组（每行一个单元格数组）", "must be an array of rows");
    }
    size_t ncols = json_array_size(cols), i;
    const json_t *r;
    json_array_foreach(rows, i, r)
    {
        if (!json_is_array(r)) {
            snprintf(f, sizeof f, "%s.rows[%zu]", where, i);
            return bad(w->err, f, "应为单元格数组", "must be an array of cells");
        }
        if (!cols && json_array_size(r) > ncols)
            ncols = json_array_size(r);
    }
    if (ncols > REPORT_TABLE_COLS_MAX) {
        snprintf(f, sizeof f, "%s.columns", where);
        return ag_fail(w->err, AG_ERR_INPUT, f, "表格最多 %d 列", "a table has at most %d columns",
                       REPORT_TABLE_COLS_MAX);
    }
    if (ncols == 0 && json_array_size(rows) == 0)
        return AG_OK;
    if (ncols == 0)
        ncols = 1;
    const char *caption;
    ag_err rc = text_of(b, "caption", where, &caption, w->err);
    if (rc)
        return rc;
    return w->ops->table(w->ud, *caption ? caption : NULL, cols, rows, ncols, w->err);
}

static ag_err walk_item(walk *w, const json_t *b, const char *where)
{
    const char *title;
    ag_err rc = text_of(b, "title", where, &title, w->err);
    if (!rc)
        rc = walk_heading(w, 2, title);
    if (rc)
        return rc;
    const json_t *fields = json_object_get(b, "fields"), *fl;
    char f[160];
    if (fields && !json_is_array(fields)) {
        snprintf(f, sizeof f, "%s.fields", where);
        return bad(w->err, f, "应为数组", "must be an array");
    }
    size_t i;
    json_array_foreach(fields, i, fl)
    {
        snprintf(f, sizeof f, "%s.fields[%zu]", where, i);
        const char *label, *text;
        if (!json_is_object(fl))
            return bad(w->err, f, "应为对象", "must be an object");
        if ((rc = text_of(fl, "label", f, &label, w->err)) ||
            (rc = text_of(fl, "text", f, &text, w->err)))
            return rc;
        if ((rc = walk_lines(w, *label ? label : NULL, text)))
            return rc;
    }
    return AG_OK;
}

static ag_err walk_block(walk *w, const json_t *b, const char *where)
{
    char f[160];
    if (!json_is_object(b))
        return bad(w->err, where, "应为对象", "must be an object");
    const char *type = json_string_value(json_object_get(b, "type")), *text;
    snprintf(f, sizeof f, "%s.type", where);
    if (!type)
        return bad(w->err, f, "缺少类型", "type missing");
    if (strcmp(type, "table") == 0)
        return walk_table(w, b, where);
    if (strcmp(type, "item") == 0)
        return walk_item(w, b, where);
    bool p = strcmp(type, "p") == 0, h2 = strcmp(type, "h2") == 0, h3 = strcmp(type, "h3") == 0;
    if (!p && !h2 && !h3)
        return bad(w->err, f, "未知类型（应为 p、h2、h3、table 或 item）",
                   "unknown type (p, h2, h3, table or item)");
    ag_err rc = text_of(b, "text", where, &text, w->err);
    if (rc)
        return rc;
    return p ? walk_lines(w, NULL, text) : walk_heading(w, h2 ? 2 : 3, text);
}

ag_err report_walk(const json_t *doc, const report_ops *ops, void *ud, ag_error *err)
{
    walk w = {.ops = ops, .ud = ud, .err = err};
    if (!json_is_object(doc))
        return bad(err, "content", "应为报告内容对象", "must be a report content object");
    const char *title, *doc_no, *issuer, *date;
    ag_err rc;
    if ((rc = text_of(doc, "title", "content", &title, err)) ||
        (rc = text_of(doc, "doc_no", "content", &doc_no, err)) ||
        (rc = text_of(doc, "issuer", "content", &issuer, err)) ||
        (rc = text_of(doc, "date", "content", &date, err)))
        return rc;
    if (!*title)
        return bad(err, "title", "缺少标题", "the title is missing");
    const json_t *sections = json_object_get(doc, "sections"), *s;
    if (!json_is_array(sections))
        return bad(err, "sections", "应为章节数组", "must be an array of sections");
    size_t dn = strlen(doc_no), tn = strlen(title);
    trim(&doc_no, &dn);
    trim(&title, &tn);
    if (dn && (rc = ops->para(ud, REPORT_DOCNO, "", NULL, doc_no, dn, err)))
        return rc;
    if ((rc = ops->para(ud, REPORT_TITLE, "", NULL, title, tn, err)))
        return rc;
    size_t i, j;
    json_array_foreach(sections, i, s)
    {
        char where[96];
        snprintf(where, sizeof where, "sections[%zu]", i);
        if (!json_is_object(s))
            return bad(err, where, "应为对象", "must be an object");
        const char *heading;
        if ((rc = text_of(s, "heading", where, &heading, err)) ||
            (rc = walk_heading(&w, 1, heading)))
            return rc;
        const json_t *blocks = json_object_get(s, "blocks"), *b;
        if (blocks && !json_is_array(blocks) && !json_is_null(blocks)) {
            char f[112];
            snprintf(f, sizeof f, "%s.blocks", where);
            return bad(err, f, "应为数组", "must be an array");
        }
        json_array_foreach(blocks, j, b)
        {
            char bw[128];
            snprintf(bw, sizeof bw, "%s.blocks[%zu]", where, j);
            if ((rc = walk_block(&w, b, bw)))
                return rc;
        }
    }
    size_t in = strlen(issuer);
    trim(&issuer, &in);
    if (in && (rc = ops->para(ud, REPORT_ISSUER, "", NULL, issuer, in, err)))
        return rc;
    if (*date) {
        char zh[64];
        report_date_zh(date, zh, sizeof zh);
        if ((rc = ops->para(ud, REPORT_DATE, "", NULL, zh, strlen(zh), err)))
            return rc;
    }
    return AG_OK;
}

/* ---- the layout (twips: 1/20 pt, 1/1440 in; 1 mm = 56.7 twips) -------------------------- */

#define PAGE_W     11906                           /* A4 210 mm */
#define PAGE_H     16838                           /* 297 mm */
#define MAR_TOP    2098                            /* 天头 37 mm */
#define MAR_BOTTOM 1984                            /* 35 mm */
#define MAR_LEFT   1587                            /* 订口 28 mm */
#define MAR_RIGHT  1474                            /* 26 mm */
#define TEXT_W     (PAGE_W - MAR_LEFT - MAR_RIGHT) /* 版心 156 mm */
/* 22 lines in the 225 mm of the text block: 12756 / 22 = 579.8. */
#define LINE_PITCH 579
/* 28 characters of 16 pt need 448 pt, the text block is 442.25 pt wide: characters are condensed
 * by 0.25 pt (in twentieths of a point), so 28 fit in Word and LibreOffice alike. A character
 * grid (docGrid linesAndChars with a negative charSpace) would say the same to Word, but
 * LibreOffice then gives each character wider than a grid cell two cells: 14 a line. */
#define CHAR_CONDENSE (-5)
/* The footer's distance from the paper's edge: its line (14 pt) then starts about 7 mm below the
 * text block, where GB/T 9704 puts the page number. */
#define FOOTER_DIST 1247
#define BODY_SZ     32 /* 三号 16 pt, in half points */
#define TITLE_SZ    44 /* 二号 22 pt */
#define PAGENO_SZ   28 /* 四号 14 pt */
#define TABLE_SZ    24 /* 小四 12 pt */

#define F_TITLE  "方正小标宋简体"
#define F_BODY   "仿宋_GB2312"
#define F_H1     "黑体"
#define F_H2     "楷体_GB2312"
#define F_PAGENO "宋体"

/* The largest part written (document.xml of a long report is a few MB). */
#define DOCX_PART_MAX (64u << 20)

static const char XML_HEAD[] = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_R "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

typedef struct dx {
    ag_buf b;
    ag_err rc; /* the first ag_buf failure */
} dx;

static void put(dx *d, const char *s)
{
    if (!d->rc)
        d->rc = ag_buf_adds(&d->b, s);
}

static void putf(dx *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(dx *d, const char *fmt, ...)
{
    if (d->rc)
        return;
    va_list ap;
    va_start(ap, fmt);
    d->rc = ag_buf_vprintf(&d->b, fmt, ap);
    va_end(ap);
}

/* How "\n" inside a text is shown. */
enum nl { NL_SPACE, NL_BREAK };

/* Text as XML character data: <&>" escaped, control characters (XML 1.0 allows none but tab and
 * line ends) and U+FFFE/U+FFFF dropped, tabs as spaces; "\n" as a space or a line break between
 * runs' texts. */
static void xml_text(dx *d, const char *s, size_t n, enum nl nl)
{
    size_t from = 0;
    for (size_t i = 0; i <= n && !d->rc; i++) {
        const char *rep = NULL;
        unsigned char c = i < n ? (unsigned char)s[i] : 0;
        if (i == n)
            rep = "";
        else if (c == '&')
            rep = "&amp;";
        else if (c == '<')
            rep = "&lt;";
        else if (c == '>')
            rep = "&gt;";
        else if (c == '"')
            rep = "&quot;";
        else if (c == '\n')
            rep = nl == NL_BREAK ? "</w:t><w:br/><w:t xml:space=\"preserve\">" : " ";
        else if (c == '\t')
            rep = " ";
        else if (c < 0x20)
            rep = "";
        size_t skip = 1;
        /* U+FFFE and U+FFFF (EF BF BE/BF) are not XML characters either. */
        if (c == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBF &&
            ((unsigned char)s[i + 2] & 0xFE) == 0xBE) {
            rep = "";
            skip = 3;
        }
        if (!rep)
            continue;
        d->rc = ag_buf_add(&d->b, s + from, i - from);
        if (!d->rc)
            d->rc = ag_buf_adds(&d->b, rep);
        from = i + skip;
        i += skip - 1;
    }
}

static void xml_str(dx *d, const char *s)
{
    xml_text(d, s, strlen(s), NL_SPACE);
}

/* <w:rFonts> naming one font for every script. */
static void fonts(dx *d, const char *f)
{
    putf(d, "<w:rFonts w:ascii=\"%s\" w:hAnsi=\"%s\" w:eastAsia=\"%s\" w:cs=\"%s\"/>", f, f, f, f);
}

/* ---- styles.xml ---------------------------------------------------------------------------- */

/* A paragraph style: id and name, its pPr content (may be "") and its run's font, size, bold. */
static void style(dx *d, const char *id, const char *name, int outline, const char *ppr,
                  const char *font, int sz, bool bold)
{
    bool normal = strcmp(id, "Normal") == 0;
    put(d, normal ? "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\""
                  : "<w:style w:type=\"paragraph\" w:styleId=\"");
    put(d, id);
    put(d, "\"><w:name w:val=\"");
    put(d, name);
    put(d, "\"/>");
    if (!normal)
        put(d, "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/>");
    put(d, "<w:qFormat/><w:pPr>");
    put(d, ppr);
    if (outline >= 0)
        putf(d, "<w:outlineLvl w:val=\"%d\"/>", outline);
    put(d, "</w:pPr><w:rPr>");
    fonts(d, font);
    if (bold)
        put(d, "<w:b/><w:bCs/>");
    putf(d, "<w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/></w:rPr></w:style>", sz, sz);
}

/* First-line indent of two characters, the body's. */
#define IND2       "<w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/>"
#define LINE_EXACT "<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"579\" w:lineRule=\"exact\"/>"

static void styles_xml(dx *d)
{
    put(d, XML_HEAD);
    put(d, "<w:styles xmlns:w=\"" NS_W "\"><w:docDefaults><w:rPrDefault><w:rPr>");
    fonts(d, F_BODY);
    putf(d,
         "<w:spacing w:val=\"%d\"/><w:kern w:val=\"2\"/><w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/>"
         "<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>"
         "<w:pPrDefault><w:pPr><w:widowControl/>" LINE_EXACT
         "<w:jc w:val=\"both\"/></w:pPr></w:pPrDefault></w:docDefaults>",
         CHAR_CONDENSE, BODY_SZ, BODY_SZ);
    style(d, "Normal", "Normal", -1, IND2 "<w:jc w:val=\"both\"/>", F_BODY, BODY_SZ, false);
    style(d, "Title", "Title", -1,
          "<w:keepNext/><w:snapToGrid w:val=\"0\"/><w:spacing w:before=\"0\" w:after=\"579\" "
          "w:line=\"579\" "
          "w:lineRule=\"exact\"/><w:ind w:firstLine=\"0\"/><w:jc w:val=\"center\"/>",
          F_TITLE, TITLE_SZ, false);
    style(d, "DocNo", "Document Number", -1,
          "<w:keepNext/><w:ind w:firstLine=\"0\"/><w:jc w:val=\"center\"/>", F_BODY, BODY_SZ,
          false);
    style(d, "Heading1", "heading 1", 0, "<w:keepNext/><w:keepLines/>" IND2, F_H1, BODY_SZ, false);
    style(d, "Heading2", "heading 2", 1, "<w:keepNext/><w:keepLines/>" IND2, F_H2, BODY_SZ, false);
    style(d, "Heading3", "heading 3", 2, "<w:keepNext/><w:keepLines/>" IND2, F_BODY, BODY_SZ, true);
    style(d, "TableCaption", "Table Caption", -1,
          "<w:keepNext/><w:ind w:firstLine=\"0\"/><w:jc w:val=\"center\"/>", F_H1, PAGENO_SZ,
          false);
    style(d, "TableText", "Table Text", -1,
          "<w:snapToGrid w:val=\"0\"/><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"300\" "
          "w:lineRule=\"auto\"/><w:ind w:firstLine=\"0\"/><w:jc w:val=\"left\"/>",
          F_BODY, TABLE_SZ, false);
    style(d, "TableHead", "Table Heading", -1,
          "<w:snapToGrid w:val=\"0\"/><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"300\" "
          "w:lineRule=\"auto\"/><w:ind w:firstLine=\"0\"/><w:jc w:val=\"center\"/>",
          F_BODY, TABLE_SZ, true);
    /* 右空二字 (GB/T 9704 7.3.5.3). */
    style(d, "Signature", "Signature", -1,
          "<w:keepNext/><w:ind w:right=\"640\" w:rightChars=\"200\" w:firstLine=\"0\"/>"
          "<w:jc w:val=\"right\"/>",
          F_BODY, BODY_SZ, false);
    style(d, "Footer", "footer", -1,
          "<w:snapToGrid w:val=\"0\"/><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"240\" "
          "w:lineRule=\"auto\"/><w:ind w:firstLine=\"0\"/>",
          F_PAGENO, PAGENO_SZ, false);
    put(d, "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name "
           "w:val=\"Normal Table\"/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar>"
           "<w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom "
           "w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar>"
           "</w:tblPr></w:style></w:styles>");
}

/* ---- document.xml -------------------------------------------------------------------------- */

static const char *para_style(report_para k)
{
    switch (k) {
    case REPORT_DOCNO:
        return "DocNo";
    case REPORT_TITLE:
        return "Title";
    case REPORT_H1:
        return "Heading1";
    case REPORT_H2:
        return "Heading2";
    case REPORT_H3:
        return "Heading3";
    case REPORT_ISSUER:
    case REPORT_DATE:
        return "Signature";
    case REPORT_P:
        break;
    }
    return "Normal";
}

static ag_err doc_para(void *ud, report_para kind, const char *number, const char *label,
                       const char *text, size_t len, ag_error *err)
{
    dx *d = ud;
    (void)err;
    if (kind == REPORT_ISSUER) /* 正文下空一行 */
        put(d, "<w:p><w:pPr><w:pStyle w:val=\"Normal\"/></w:pPr></w:p>");
    putf(d, "<w:p><w:pPr><w:pStyle w:val=\"%s\"/></w:pPr><w:r><w:t xml:space=\"preserve\">",
         para_style(kind));
    xml_str(d, number);
    if (label) {
        xml_str(d, label);
        put(d, "：");
    }
    xml_text(d, text, len, kind == REPORT_TITLE ? NL_BREAK : NL_SPACE);
    put(d, "</w:t></w:r></w:p>");
    return AG_OK;
}

static void cell(dx *d, const char *style_id, int width, const char *text)
{
    putf(d,
         "<w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/><w:vAlign w:val=\"center\"/></w:tcPr>"
         "<w:p><w:pPr><w:pStyle w:val=\"%s\"/></w:pPr>",
         width, style_id);
    if (*text) {
        put(d, "<w:r><w:t xml:space=\"preserve\">");
        xml_text(d, text, strlen(text), NL_BREAK);
        put(d, "</w:t></w:r>");
    }
    put(d, "</w:p></w:tc>");
}

static ag_err doc_table(void *ud, const char *caption, const json_t *columns, const json_t *rows,
                        size_t ncols, ag_error *err)
{
    dx *d = ud;
    (void)err;
    char num[48];
    /* Column widths after the widest text of each (in half-width units, 4..40), in twips
     * summing to the text block's width. */
    size_t want[REPORT_TABLE_COLS_MAX], total = 0, i;
    const json_t *r;
    for (size_t c = 0; c < ncols; c++) {
        size_t w = report_text_width(report_cell(columns, c, num));
        json_array_foreach(rows, i, r)
        {
            size_t cw = report_text_width(report_cell(r, c, num));
            if (cw > w)
                w = cw;
        }
        want[c] = w < 4 ? 4 : w > 40 ? 40 : w;
        total += want[c];
    }
    int widths[REPORT_TABLE_COLS_MAX], used = 0;
    for (size_t c = 0; c < ncols; c++) {
        widths[c] = c + 1 == ncols ? TEXT_W - used : (int)((size_t)TEXT_W * want[c] / total);
        used += widths[c];
    }
    if (caption) {
        put(d, "<w:p><w:pPr><w:pStyle w:val=\"TableCaption\"/></w:pPr><w:r><w:t "
               "xml:space=\"preserve\">");
        xml_text(d, caption, strlen(caption), NL_SPACE);
        put(d, "</w:t></w:r></w:p>");
    }
    put(d, "<w:tbl><w:tblPr>");
    putf(d, "<w:tblW w:w=\"%d\" w:type=\"dxa\"/><w:jc w:val=\"center\"/><w:tblBorders>", TEXT_W);
    static const char *const sides[] = {"top", "left", "bottom", "right", "insideH", "insideV"};
    for (size_t s = 0; s < sizeof sides / sizeof sides[0]; s++)
        putf(d, "<w:%s w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>", sides[s]);
    put(d, "</w:tblBorders><w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:left w:w=\"85\" "
           "w:type=\"dxa\"/><w:right w:w=\"85\" w:type=\"dxa\"/></w:tblCellMar><w:tblLook "
           "w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" "
           "w:noHBand=\"0\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>");
    for (size_t c = 0; c < ncols; c++)
        putf(d, "<w:gridCol w:w=\"%d\"/>", widths[c]);
    put(d, "</w:tblGrid>");
    if (json_array_size(columns)) {
        put(d, "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
        for (size_t c = 0; c < ncols; c++)
            cell(d, "TableHead", widths[c], report_cell(columns, c, num));
        put(d, "</w:tr>");
    }
    json_array_foreach(rows, i, r)
    {
        put(d, "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        for (size_t c = 0; c < ncols; c++)
            cell(d, "TableText", widths[c], report_cell(r, c, num));
        put(d, "</w:tr>");
    }
    put(d, "</w:tbl>");
    return AG_OK;
}

static ag_err document_xml(dx *d, const json_t *doc, ag_error *err)
{
    put(d, XML_HEAD);
    put(d, "<w:document xmlns:w=\"" NS_W "\" xmlns:r=\"" NS_R "\"><w:body>");
    static const report_ops ops = {.para = doc_para, .table = doc_table};
    ag_err rc = report_walk(doc, &ops, d, err);
    if (rc)
        return rc;
    /* rId4: odd pages (default), rId5: even pages. */
    putf(d,
         "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rId4\"/>"
         "<w:footerReference w:type=\"even\" r:id=\"rId5\"/>"
         "<w:pgSz w:w=\"%d\" w:h=\"%d\"/>"
         "<w:pgMar w:top=\"%d\" w:right=\"%d\" w:bottom=\"%d\" w:left=\"%d\" w:header=\"851\" "
         "w:footer=\"%d\" w:gutter=\"0\"/>"
         "<w:pgNumType w:start=\"1\"/><w:cols w:space=\"425\"/>"
         "<w:docGrid w:type=\"lines\" w:linePitch=\"%d\"/>"
         "</w:sectPr></w:body></w:document>",
         PAGE_W, PAGE_H, MAR_TOP, MAR_RIGHT, MAR_BOTTOM, MAR_LEFT, FOOTER_DIST, LINE_PITCH);
    return AG_OK;
}

/* A footer with "— N —", N the PAGE field; right-aligned one character (14 pt) in from the text
 * block's edge on odd pages, left-aligned likewise on even ones. */
static void footer_xml(dx *d, bool odd)
{
    put(d, XML_HEAD);
    putf(d,
         "<w:ftr xmlns:w=\"" NS_W "\" xmlns:r=\"" NS_R "\"><w:p><w:pPr><w:pStyle "
         "w:val=\"Footer\"/><w:ind w:%s=\"280\" w:firstLine=\"0\"/><w:jc w:val=\"%s\"/></w:pPr>",
         odd ? "right" : "left", odd ? "right" : "left");
    put(d, "<w:r><w:t xml:space=\"preserve\">— </w:t></w:r>"
           "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
           "<w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
           "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
           "<w:r><w:t>1</w:t></w:r>"
           "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
           "<w:r><w:t xml:space=\"preserve\"> —</w:t></w:r></w:p></w:ftr>");
}

static void settings_xml(dx *d)
{
    put(d, XML_HEAD);
    put(d, "<w:settings xmlns:w=\"" NS_W "\"><w:zoom w:percent=\"100\"/>"
           "<w:defaultTabStop w:val=\"420\"/><w:evenAndOddHeaders/>"
           "<w:characterSpacingControl w:val=\"compressPunctuation\"/>"
           "<w:compat><w:compatSetting w:name=\"compatibilityMode\" "
           "w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>"
           "<w:themeFontLang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/></w:settings>");
}

/* The fonts the styles name, each with the name it goes by where the GB2312-era one is missing
 * (w:altName); LibreOffice falls further back through fontconfig (Noto CJK). */
static void font_table_xml(dx *d)
{
    static const struct {
        const char *name, *alt, *family;
    } F[] = {
        {F_TITLE, "小标宋", "roman"},
        {F_BODY, "仿宋", "roman"},
        {F_H1, "SimHei", "swiss"},
        {F_H2, "楷体", "script"},
        {F_PAGENO, "SimSun", "roman"},
        {"仿宋", "FangSong", "roman"},
        {"楷体", "KaiTi", "script"},
        {"小标宋", "Noto Serif CJK SC", "roman"},
        {"Noto Serif CJK SC", NULL, "roman"},
        {"Noto Sans CJK SC", NULL, "swiss"},
    };
    put(d, XML_HEAD);
    put(d, "<w:fonts xmlns:w=\"" NS_W "\">");
    for (size_t i = 0; i < sizeof F / sizeof F[0]; i++) {
        putf(d, "<w:font w:name=\"%s\">", F[i].name);
        if (F[i].alt)
            putf(d, "<w:altName w:val=\"%s\"/>", F[i].alt);
        putf(d,
             "<w:charset w:val=\"86\"/><w:family w:val=\"%s\"/><w:pitch w:val=\"variable\"/>"
             "</w:font>",
             F[i].family);
    }
    put(d, "</w:fonts>");
}

static void content_types_xml(dx *d)
{
    put(d, XML_HEAD);
    put(d, "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
           "<Default Extension=\"rels\" "
           "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
           "<Default Extension=\"xml\" ContentType=\"application/xml\"/>");
    static const struct {
        const char *part, *type;
    } O[] = {
        {"/word/document.xml", "wordprocessingml.document.main+xml"},
        {"/word/styles.xml", "wordprocessingml.styles+xml"},
        {"/word/settings.xml", "wordprocessingml.settings+xml"},
        {"/word/fontTable.xml", "wordprocessingml.fontTable+xml"},
        {"/word/footer1.xml", "wordprocessingml.footer+xml"},
        {"/word/footer2.xml", "wordprocessingml.footer+xml"},
        {"/docProps/app.xml", "extended-properties+xml"},
    };
    for (size_t i = 0; i < sizeof O / sizeof O[0]; i++)
        putf(d,
             "<Override PartName=\"%s\" "
             "ContentType=\"application/vnd.openxmlformats-officedocument.%s\"/>",
             O[i].part, O[i].type);
    put(d, "<Override PartName=\"/docProps/core.xml\" "
           "ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/></Types>");
}

static void rels_xml(dx *d)
{
    put(d, XML_HEAD);
    put(d,
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"" NS_R "/officeDocument\" Target=\"word/document.xml\"/>"
        "<Relationship Id=\"rId2\" "
        "Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
        "core-properties\" Target=\"docProps/core.xml\"/>"
        "<Relationship Id=\"rId3\" Type=\"" NS_R "/extended-properties\" "
        "Target=\"docProps/app.xml\"/></Relationships>");
}

static void document_rels_xml(dx *d)
{
    put(d, XML_HEAD);
    put(d, "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
           "<Relationship Id=\"rId1\" Type=\"" NS_R "/styles\" Target=\"styles.xml\"/>"
           "<Relationship Id=\"rId2\" Type=\"" NS_R "/settings\" Target=\"settings.xml\"/>"
           "<Relationship Id=\"rId3\" Type=\"" NS_R "/fontTable\" Target=\"fontTable.xml\"/>"
           "<Relationship Id=\"rId4\" Type=\"" NS_R "/footer\" Target=\"footer1.xml\"/>"
           "<Relationship Id=\"rId5\" Type=\"" NS_R "/footer\" Target=\"footer2.xml\"/>"
           "</Relationships>");
}

static void core_xml(dx *d, const json_t *doc)
{
    char now[21];
    ag_clock_format(ag_clock_now(), now);
    const char *title = json_string_value(json_object_get(doc, "title"));
    const char *issuer = json_string_value(json_object_get(doc, "issuer"));
    put(d, XML_HEAD);
    put(d,
        "<cp:coreProperties "
        "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
        "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" "
        "xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" "
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>");
    xml_str(d, title ? title : "");
    put(d, "</dc:title><dc:creator>");
    xml_str(d, issuer && *issuer ? issuer : "auditgrid");
    putf(d,
         "</dc:creator><cp:lastModifiedBy>auditgrid</cp:lastModifiedBy>"
         "<dcterms:created xsi:type=\"dcterms:W3CDTF\">%s</dcterms:created>"
         "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">%s</dcterms:modified>"
         "</cp:coreProperties>",
         now, now);
}

static void app_xml(dx *d)
{
    put(d, XML_HEAD);
    put(d, "<Properties "
           "xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" "
           "xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">"
           "<Application>auditgrid</Application><DocSecurity>0</DocSecurity></Properties>");
}

/* ---- the package ----------------------------------------------------------------------------- */

static ag_err io_fail(ag_error *err, const char *path, const char *zh, const char *en)
{
    int e = errno;
    return ag_fail(err, AG_ERR_IO, path,
                   "%s%.0s失败：%s；请检查目标文件夹是否存在、可写以及磁盘空间",
                   "%.0s%s failed: %s; check that the target folder exists, is writable and has "
                   "space",
                   zh, en, strerror(e));
}

/* Adds one part, built by fill, to the archive (which takes the bytes over). */
static ag_err add_part(zip_t *za, const char *name, dx *d, const char *path, ag_error *err)
{
    if (d->rc) {
        ag_buf_release(&d->b);
        return ag_fail(err, AG_ERR_NOMEM, name, "报告过长，无法生成 DOCX（%s 超过 %u MB）",
                       "the report is too long for a DOCX (%s over %u MB)", name,
                       DOCX_PART_MAX >> 20);
    }
    size_t len = d->b.len;
    char *data = ag_buf_detach(&d->b);
    zip_source_t *src = zip_source_buffer(za, data, len, 1);
    if (!src) {
        free(data);
        return ag_fail(err, AG_ERR_NOMEM, path, "内存不足", "out of memory");
    }
    if (zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8) < 0) {
        zip_source_free(src);
        return ag_fail(err, AG_ERR_INTERNAL, path, "生成 DOCX 失败：%s",
                       "building the DOCX failed: %s", zip_strerror(za));
    }
    return AG_OK;
}

/* The folder part of path ("." when none), for syncing it after a rename. */
static void folder_of(const char *path, char *out, size_t cap)
{
    snprintf(out, cap, "%s", path);
    char *slash = strrchr(out, '/');
    if (!slash)
        snprintf(out, cap, ".");
    else if (slash == out)
        out[1] = '\0';
    else
        *slash = '\0';
}

ag_err export_report_docx(const json_t *doc, const char *path, ag_error *err)
{
    if (!path || !*path)
        return ag_fail(err, AG_ERR_USAGE, "path", "未给出导出文件的路径", "no export path given");
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path) >= sizeof tmp)
        return ag_fail(err, AG_ERR_USAGE, path, "导出文件路径过长", "export path too long");
    /* The document first: a content error leaves nothing behind at all. */
    dx body = {0};
    ag_buf_init(&body.b, DOCX_PART_MAX);
    ag_err rc = document_xml(&body, doc, err);
    if (rc) {
        ag_buf_release(&body.b);
        return rc;
    }
    int fd = mkstemp(tmp);
    if (fd < 0) {
        ag_buf_release(&body.b);
        return io_fail(err, path, "创建导出文件", "creating the export file");
    }
    /* An export is shared like the attachments (0640); libzip keeps the mode when it replaces
     * the file on zip_close. */
    fchmod(fd, 0640);
    close(fd);
    int ze = 0;
    zip_t *za = zip_open(tmp, ZIP_CREATE | ZIP_TRUNCATE, &ze);
    if (!za) {
        zip_error_t e;
        zip_error_init_with_code(&e, ze);
        rc = ag_fail(err, AG_ERR_IO, path, "创建 DOCX 失败：%s", "creating the DOCX failed: %s",
                     zip_error_strerror(&e));
        zip_error_fini(&e);
        ag_buf_release(&body.b);
        unlink(tmp);
        return rc;
    }
    static const struct {
        const char *name;
        int which;
    } PARTS[] = {
        {"[Content_Types].xml", 0}, {"_rels/.rels", 1},       {"word/document.xml", 2},
        {"word/styles.xml", 3},     {"word/settings.xml", 4}, {"word/fontTable.xml", 5},
        {"word/footer1.xml", 6},    {"word/footer2.xml", 7},  {"word/_rels/document.xml.rels", 8},
        {"docProps/core.xml", 9},   {"docProps/app.xml", 10},
    };
    for (size_t i = 0; i < sizeof PARTS / sizeof PARTS[0] && !rc; i++) {
        dx d = {0};
        ag_buf_init(&d.b, DOCX_PART_MAX);
        switch (PARTS[i].which) {
        case 0:
            content_types_xml(&d);
            break;
        case 1:
            rels_xml(&d);
            break;
        case 2:
            ag_buf_release(&d.b);
            d = body;
            body = (dx){0};
            break;
        case 3:
            styles_xml(&d);
            break;
        case 4:
            settings_xml(&d);
            break;
        case 5:
            font_table_xml(&d);
            break;
        case 6:
        case 7:
            footer_xml(&d, PARTS[i].which == 6);
            break;
        case 8:
            document_rels_xml(&d);
            break;
        case 9:
            core_xml(&d, doc);
            break;
        default:
            app_xml(&d);
            break;
        }
        rc = add_part(za, PARTS[i].name, &d, path, err);
        ag_buf_release(&d.b);
    }
    ag_buf_release(&body.b);
    if (rc) {
        zip_discard(za);
        unlink(tmp);
        return rc;
    }
    if (zip_close(za) != 0) {
        rc = ag_fail(err, AG_ERR_IO, path, "写入 DOCX 失败：%s；请检查磁盘空间",
                     "writing the DOCX failed: %s; check free space", zip_strerror(za));
        zip_discard(za);
        unlink(tmp);
        return rc;
    }
    fd = open(tmp, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0) {
        rc = io_fail(err, path, "写入导出文件", "writing the export file");
        if (fd >= 0)
            close(fd);
        unlink(tmp);
        return rc;
    }
    close(fd);
    if (rename(tmp, path) != 0) {
        rc = io_fail(err, path, "保存导出文件", "saving the export file");
        unlink(tmp);
        return rc;
    }
    char dir[4096];
    folder_of(path, dir, sizeof dir);
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        /* The file is complete either way; this makes the rename durable. */
        fsync(fd);
        close(fd);
    }
    return AG_OK;
}
