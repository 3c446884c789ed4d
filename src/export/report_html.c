/* report_html.c - the four reports as one print-friendly HTML page: A4 with the margins, fonts and
 * sizes of GB/T 9704-2012 (the DOCX's), numbered headings, bordered tables and, where the
 * browser prints page-margin boxes, "— N —" page numbers (odd right, even left). Issue 16. */
#include "export/export.h"
#include "export/report_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/banned.h"

/* A page is a few hundred kB for the longest report; this is the bound. */
#define HTML_MAX (32u << 20)

/* The font lists: the GB2312-era names Word documents use, their Windows and macOS names, then
 * the free fonts (fonts-noto-cjk, fonts-arphic). */
#define FF_TITLE                                                                                                \
    "\"方正小标宋简体\", \"方正小标宋_GBK\", \"小标宋\", \"FZXiaoBiaoSong-B05S\", \"Noto Serif " \
    "CJK "                                                                                                      \
    "SC\", \"Source Han Serif SC\", \"SimSun\", serif"
#define FF_BODY                                                                                     \
    "\"仿宋_GB2312\", \"仿宋\", \"FangSong\", \"STFangsong\", \"Noto Serif CJK SC\", \"Source " \
    "Han "                                                                                          \
    "Serif SC\", serif"
#define FF_H1                                                                                      \
    "\"黑体\", \"SimHei\", \"STHeiti\", \"Noto Sans CJK SC\", \"Source Han Sans SC\", sans-serif"
#define FF_H2                                                                                      \
    "\"楷体_GB2312\", \"楷体\", \"KaiTi\", \"STKaiti\", \"AR PL UKai CN\", \"Noto Serif CJK "  \
    "SC\", "                                                                                       \
    "serif"
#define FF_PAGENO "\"宋体\", \"SimSun\", \"Songti SC\", \"Noto Serif CJK SC\", serif"

static const char CSS[] =
    "@page{size:A4;margin:37mm 26mm 35mm 28mm}\n"
    "@page :right{@bottom-right{content:\"— \" counter(page) \" —\";font-family:" FF_PAGENO
    ";font-size:14pt;vertical-align:top;padding-top:7mm;padding-right:1em}}\n"
    "@page :left{@bottom-left{content:\"— \" counter(page) \" —\";font-family:" FF_PAGENO
    ";font-size:14pt;vertical-align:top;padding-top:7mm;padding-left:1em}}\n"
    "html{background:#fff;color:#000}\n"
    /* 28 characters a line as in the DOCX: 16 pt condensed by 0.25 pt fill the 156 mm. */
    "body{margin:0;font-family:" FF_BODY ";font-size:16pt;line-height:28.95pt;"
    "letter-spacing:-0.25pt}\n"
    ".page{box-sizing:border-box;width:210mm;min-height:297mm;margin:0 auto;"
    "padding:37mm 26mm 35mm 28mm;background:#fff}\n"
    "@media screen{html{background:#e8e8e8}.page{margin:1.5em auto;"
    "box-shadow:0 0 6px rgba(0,0,0,.25)}}\n"
    "@media print{.page{width:auto;min-height:0;margin:0;padding:0;box-shadow:none}}\n"
    "p{margin:0;text-indent:2em;text-align:justify}\n"
    "h1,h2,h3,h4{margin:0;font-size:16pt;font-weight:normal;line-height:28.95pt;"
    "break-after:avoid;page-break-after:avoid}\n"
    "h1{font-family:" FF_TITLE ";font-size:22pt;text-align:center;margin-bottom:28.95pt}\n"
    "h2,h3,h4{text-indent:2em}\n"
    "h2{font-family:" FF_H1 "}\n"
    "h3{font-family:" FF_H2 "}\n"
    "h4{font-family:" FF_BODY ";font-weight:bold}\n"
    ".docno{text-align:center;text-indent:0}\n"
    ".sign{text-align:right;text-indent:0;padding-right:2em}\n"
    ".sign.first{margin-top:28.95pt}\n"
    "table{border-collapse:collapse;width:100%;margin:0 0 .5em;font-size:12pt;line-height:1.5}\n"
    "caption{font-family:" FF_H1 ";font-size:14pt;line-height:28.95pt}\n"
    "th,td{border:.5pt solid #000;padding:1pt 4pt;vertical-align:middle;text-align:left}\n"
    "th{font-weight:bold;text-align:center}\n"
    "thead{display:table-header-group}\n"
    "tr{break-inside:avoid;page-break-inside:avoid}\n";

typedef struct hx {
    ag_buf b;
    ag_err rc;
    bool signed_; /* the first signature line was written */
} hx;

static void put(hx *h, const char *s)
{
    if (!h->rc)
        h->rc = ag_buf_adds(&h->b, s);
}

/* Text as HTML: <&>"' escaped, control characters dropped, "\n" as <br> or a space. */
static void esc(hx *h, const char *s, size_t n, bool br)
{
    size_t from = 0;
    for (size_t i = 0; i <= n && !h->rc; i++) {
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
        else if (c == '\'')
            rep = "&#39;";
        else if (c == '\n')
            rep = br ? "<br>" : " ";
        else if (c == '\t')
            rep = " ";
        else if (c < 0x20 || c == 0x7F)
            rep = "";
        if (!rep)
            continue;
        h->rc = ag_buf_add(&h->b, s + from, i - from);
        if (!h->rc)
            h->rc = ag_buf_adds(&h->b, rep);
        from = i + 1;
    }
}

static void escs(hx *h, const char *s, bool br)
{
    esc(h, s, strlen(s), br);
}

static ag_err html_para(void *ud, report_para kind, const char *number, const char *label,
                        const char *text, size_t len, ag_error *err)
{
    hx *h = ud;
    (void)err;
    const char *open = "<p>", *close = "</p>\n";
    switch (kind) {
    case REPORT_DOCNO:
        open = "<p class=\"docno\">";
        break;
    case REPORT_TITLE:
        open = "<h1>";
        close = "</h1>\n";
        break;
    case REPORT_H1:
        open = "<h2>";
        close = "</h2>\n";
        break;
    case REPORT_H2:
        open = "<h3>";
        close = "</h3>\n";
        break;
    case REPORT_H3:
        open = "<h4>";
        close = "</h4>\n";
        break;
    case REPORT_ISSUER:
    case REPORT_DATE:
        open = h->signed_ ? "<p class=\"sign\">" : "<p class=\"sign first\">";
        h->signed_ = true;
        break;
    case REPORT_P:
        break;
    }
    put(h, open);
    escs(h, number, false);
    if (label) {
        escs(h, label, false);
        put(h, "：");
    }
    esc(h, text, len, kind == REPORT_TITLE);
    put(h, close);
    return AG_OK;
}

static ag_err html_table(void *ud, const char *caption, const json_t *columns, const json_t *rows,
                         size_t ncols, ag_error *err)
{
    hx *h = ud;
    (void)err;
    char num[48];
    put(h, "<table>");
    if (caption) {
        put(h, "<caption>");
        escs(h, caption, false);
        put(h, "</caption>");
    }
    if (json_array_size(columns)) {
        put(h, "<thead><tr>");
        for (size_t c = 0; c < ncols; c++) {
            put(h, "<th scope=\"col\">");
            escs(h, report_cell(columns, c, num), true);
            put(h, "</th>");
        }
        put(h, "</tr></thead>");
    }
    put(h, "<tbody>");
    size_t i;
    const json_t *r;
    json_array_foreach(rows, i, r)
    {
        put(h, "<tr>");
        for (size_t c = 0; c < ncols; c++) {
            put(h, "<td>");
            escs(h, report_cell(r, c, num), true);
            put(h, "</td>");
        }
        put(h, "</tr>");
    }
    put(h, "</tbody></table>\n");
    return AG_OK;
}

ag_err export_report_html(const json_t *doc, char **html, size_t *len, ag_error *err)
{
    *html = NULL;
    if (len)
        *len = 0;
    hx h = {0};
    ag_buf_init(&h.b, HTML_MAX);
    const char *title = json_string_value(json_object_get(doc, "title"));
    put(&h, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta name=\"generator\" content=\"auditgrid\">\n<title>");
    escs(&h, title ? title : "", false);
    put(&h, "</title>\n<style>\n");
    put(&h, CSS);
    put(&h, "</style>\n</head>\n<body>\n<main class=\"page\">\n");
    static const report_ops ops = {.para = html_para, .table = html_table};
    ag_err rc = report_walk(doc, &ops, &h, err);
    if (rc) {
        ag_buf_release(&h.b);
        return rc;
    }
    put(&h, "</main>\n</body>\n</html>\n");
    if (h.rc) {
        ag_buf_release(&h.b);
        return ag_fail(err, AG_ERR_NOMEM, "content", "报告过长，无法生成 HTML（超过 %u MB）",
                       "the report is too long for HTML (over %u MB)", HTML_MAX >> 20);
    }
    size_t n = h.b.len;
    *html = ag_buf_detach(&h.b);
    if (len)
        *len = n;
    return AG_OK;
}
