/* test_report_html.c - a report as a print-friendly HTML page (issue 16): lang zh-CN and a title,
 * A4 with the margins and font lists of GB/T 9704-2012, the same numbered paragraphs as the DOCX
 * in order, tables with a header, every text escaped, and the same refusals. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/export.h"
#include "../testutil.h"
#include "report_fixture.h"

static char *render(const json_t *doc, size_t *len)
{
    char *html = NULL;
    ag_error err;
    must(export_report_html(doc, &html, len, &err), &err);
    assert_non_null(html);
    assert_int_equal(strlen(html), *len);
    return html;
}

/* s with the HTML escapes of the writer applied, for finding a text in the page. */
static void escaped(const char *s, char *out, size_t cap)
{
    size_t o = 0;
    for (; *s && o + 8 < cap; s++) {
        const char *rep = *s == '&'    ? "&amp;"
                          : *s == '<'  ? "&lt;"
                          : *s == '>'  ? "&gt;"
                          : *s == '"'  ? "&quot;"
                          : *s == '\'' ? "&#39;"
                          : *s == '\n' ? "<br>"
                                       : NULL;
        if (rep)
            o += (size_t)snprintf(out + o, cap - o, "%s", rep);
        else
            out[o++] = *s;
    }
    out[o] = '\0';
}

static void test_page_and_fonts(void **state)
{
    (void)state;
    json_t *doc = rf_doc();
    size_t len;
    char *html = render(doc, &len);
    assert_true(strncmp(html, "<!DOCTYPE html>\n<html lang=\"zh-CN\">", 35) == 0);
    assert_non_null(strstr(html, "<meta charset=\"utf-8\">"));
    assert_non_null(strstr(html, "<title>关于第五幼儿园2025年度财务收支情况的审计报告</title>"));
    assert_non_null(strstr(html, "@page{size:A4;margin:37mm 26mm 35mm 28mm}"));
    assert_non_null(strstr(html, "counter(page)"));
    assert_non_null(strstr(html, "@page :left{@bottom-left"));
    assert_non_null(strstr(html, "@page :right{@bottom-right"));
    /* The font lists: the names of the DOCX first, then the free fallbacks. */
    assert_non_null(strstr(html, "font-family:\"仿宋_GB2312\", \"仿宋\", \"FangSong\""));
    assert_non_null(strstr(html, "font-family:\"方正小标宋简体\""));
    assert_non_null(strstr(html, "\"黑体\", \"SimHei\""));
    assert_non_null(strstr(html, "\"楷体_GB2312\", \"楷体\", \"KaiTi\""));
    assert_non_null(strstr(html, "font-size:16pt"));
    assert_non_null(strstr(html, "font-size:22pt"));
    assert_non_null(strstr(html, "Noto Serif CJK SC"));
    free(html);
    json_decref(doc);
}

static void test_text_in_order_and_escaped(void **state)
{
    (void)state;
    json_t *doc = rf_doc();
    size_t len;
    char *html = render(doc, &len);
    /* Every paragraph of the DOCX, escaped, in the same order. */
    const char *at = strstr(html, "<body>");
    assert_non_null(at);
    char want[4096];
    for (size_t i = 0; i < sizeof RF_TEXT / sizeof RF_TEXT[0]; i++) {
        escaped(RF_TEXT[i], want, sizeof want);
        const char *found = strstr(at, want);
        if (!found)
            fail_msg("paragraph %zu \"%s\" missing or out of order", i, RF_TEXT[i]);
        at = found + strlen(want);
    }
    assert_non_null(strstr(html, "<h1>关于第五幼儿园2025年度财务收支情况的审计报告</h1>"));
    assert_non_null(strstr(html, "<h2>一、被审计单位基本情况</h2>"));
    assert_non_null(strstr(html, "<h3>（二）审计方法</h3>"));
    assert_non_null(strstr(html, "<h4>1.抽样与检查</h4>"));
    assert_non_null(strstr(html, "<p>涉及金额：1,234.50 元</p>"));
    assert_non_null(
        strstr(html, "<caption>问题汇总表</caption><thead><tr><th scope=\"col\">序号</th>"));
    assert_non_null(strstr(html, "<td>采购&lt;未招标&gt; &amp; 拆分</td>"));
    assert_non_null(strstr(html, "<td>多行<br>单元格</td>"));
    /* A short row is padded. */
    assert_non_null(strstr(html, "<td>多行<br>单元格</td><td></td></tr>"));
    assert_non_null(strstr(html, "<p class=\"sign first\">区教育局内部审计科</p>\n"
                                 "<p class=\"sign\">2026年12月6日</p>"));
    assert_null(strstr(html, "<内审>"));
    assert_null(strstr(html, "<未招标>"));
    free(html);
    json_decref(doc);
}

static void test_script_in_text_is_inert(void **state)
{
    (void)state;
    json_t *doc = json_pack("{s:s,s:[{s:s,s:[{s:s,s:s},{s:s,s:s}]}]}", "title",
                            "</title><script>alert(1)</script>", "sections", "heading", "<b>甲</b>",
                            "blocks", "type", "p", "text", "<img src=x onerror='alert(1)'>\x01",
                            "type", "h2", "text", "a\nb");
    size_t len;
    char *html = render(doc, &len);
    assert_null(strstr(html, "<script>"));
    assert_null(strstr(html, "<img"));
    assert_null(strstr(html, "<b>"));
    assert_non_null(
        strstr(html, "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>"));
    assert_non_null(strstr(html, "<p>&lt;img src=x onerror=&#39;alert(1)&#39;&gt;</p>"));
    assert_non_null(strstr(html, "<h3>（一）a b</h3>"));
    free(html);
    json_decref(doc);
}

/* A table without columns takes its width from the longest row; numbers are shown as text,
 * anything else as an empty cell; an empty table is left out. */
static void test_tables_without_header(void **state)
{
    (void)state;
    json_t *doc = json_pack("{s:s,s:[{s:s,s:[{s:s,s:[[i,f,n],[s]]},{s:s,s:[],s:[]}]}]}", "title",
                            "表", "sections", "heading", "数据", "blocks", "type", "table", "rows",
                            12, 2.5, "甲", "type", "table", "columns", "rows");
    size_t len;
    char *html = render(doc, &len);
    assert_non_null(strstr(html, "<table><tbody><tr><td>12</td><td>2.50</td><td></td></tr>"
                                 "<tr><td>甲</td><td></td><td></td></tr></tbody></table>"));
    assert_null(strstr(html, "<thead>"));
    assert_null(strstr(html, "<caption>"));
    /* One table only. */
    assert_null(strstr(strstr(html, "<table>") + 1, "<table>"));
    free(html);
    json_decref(doc);
}

static void test_refusals(void **state)
{
    (void)state;
    char *html = (char *)"sentinel";
    size_t len = 7;
    ag_error err;
    json_t *bad = json_pack("{s:s,s:[{s:s,s:[{s:s,s:i}]}]}", "title", "标题", "sections", "heading",
                            "概况", "blocks", "type", "p", "text", 5);
    assert_int_equal(export_report_html(bad, &html, &len, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "sections[0].blocks[0].text");
    assert_null(html);
    assert_int_equal(len, 0);
    json_decref(bad);
    assert_int_equal(export_report_html(NULL, &html, &len, &err), AG_ERR_INPUT);
    assert_null(html);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_page_and_fonts),
        cmocka_unit_test(test_text_in_order_and_escaped),
        cmocka_unit_test(test_script_in_text_is_inert),
        cmocka_unit_test(test_tables_without_header),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
