/* test_report_pdf.c - a report as PDF through LibreOffice (issue 16), measured with pdftotext
 * -bbox: A4, the text block of GB/T 9704-2012 (full lines from 28 mm to 184 mm, lines between 37
 * and 262 mm), the page number under it (odd pages right, even pages left, one character in), the
 * title and the paragraphs' words; a missing LibreOffice is refused naming the package. The test
 * set installs libreoffice-writer-nogui and poppler-utils: without them this test fails. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "export/export.h"
#include "../testutil.h"
#include "report_fixture.h"

#define PT_MM (25.4 / 72.0)

typedef struct line {
    double x0, y0, x1, y1; /* mm */
    char text[2048];
} line;

typedef struct page {
    double w, h; /* mm */
    line lines[128];
    int n;
} page;

static double attr_mm(const char *s, const char *name)
{
    char key[32];
    snprintf(key, sizeof key, "%s=\"", name);
    const char *p = strstr(s, key);
    if (!p)
        fail_msg("no %s in %s", name, s);
    return strtod(p + strlen(key), NULL) * PT_MM;
}

/* The words of page n of pdf, joined into lines (words whose tops lie within 1 mm). */
static void read_page(const char *pdf, int n, page *pg)
{
    memset(pg, 0, sizeof *pg);
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "pdftotext -bbox -f %d -l %d '%s' - 2>&1", n, n, pdf);
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    char buf[4096];
    while (fgets(buf, sizeof buf, f)) {
        if (strstr(buf, "<page ")) {
            pg->w = attr_mm(buf, "width");
            pg->h = attr_mm(buf, "height");
            continue;
        }
        char *w = strstr(buf, "<word ");
        if (!w)
            continue;
        double x0 = attr_mm(w, "xMin"), y0 = attr_mm(w, "yMin"), x1 = attr_mm(w, "xMax"),
               y1 = attr_mm(w, "yMax");
        char *t = strchr(w, '>') + 1, *e = strstr(t, "</word>");
        assert_non_null(e);
        *e = '\0';
        line *l = NULL;
        for (int i = 0; i < pg->n; i++)
            if (fabs(pg->lines[i].y0 - y0) < 1.0)
                l = &pg->lines[i];
        if (!l) {
            assert_true(pg->n < 128);
            l = &pg->lines[pg->n++];
            *l = (line){x0, y0, x1, y1, ""};
        }
        l->x0 = fmin(l->x0, x0);
        l->x1 = fmax(l->x1, x1);
        l->y0 = fmin(l->y0, y0);
        l->y1 = fmax(l->y1, y1);
        size_t have = strlen(l->text);
        snprintf(l->text + have, sizeof l->text - have, "%s", t);
    }
    int rc = pclose(f);
    if (rc != 0)
        fail_msg("pdftotext failed (%d): is poppler-utils installed?", rc);
}

/* The page-number line: the one below the text block. */
static const line *page_number(const page *pg)
{
    const line *found = NULL;
    for (int i = 0; i < pg->n; i++)
        if (pg->lines[i].y0 > 262.0) {
            assert_null(found);
            found = &pg->lines[i];
        }
    assert_non_null(found);
    return found;
}

static void check_block(const page *pg, int *full)
{
    *full = 0;
    for (int i = 0; i < pg->n; i++) {
        const line *l = &pg->lines[i];
        if (l->y0 > 262.0)
            continue;
        if (l->y0 < 36.0 || l->y1 > 262.0 || l->x0 < 27.0 || l->x1 > 185.0)
            fail_msg("line \"%s\" at %.1f,%.1f-%.1f,%.1f mm is outside the text block", l->text,
                     l->x0, l->y0, l->x1, l->y1);
        /* A full justified line of the body (16 pt: 7.3 mm high, the title's 22 pt are 10 mm)
         * spans the block: 28 characters from 28 to 184 mm. */
        if (l->x1 - l->x0 > 150.0 && l->y1 - l->y0 < 8.5) {
            if (fabs(l->x0 - 28.0) > 1.0 || fabs(l->x1 - 184.0) > 1.0)
                fail_msg("full line \"%s\" spans %.1f-%.1f mm, not 28-184", l->text, l->x0, l->x1);
            (*full)++;
        }
    }
}

static void test_pdf_layout(void **state)
{
    (void)state;
    if (!export_report_pdf_available())
        fail_msg(
            "LibreOffice (soffice) is missing: the test set installs libreoffice-writer-nogui");
    char path[1024], tmpdir[1024];
    ag_test_path(path, sizeof path, "report.pdf");
    /* A private TMPDIR, to see that the conversion cleans up after itself. */
    ag_test_path(tmpdir, sizeof tmpdir, "pdf-tmp");
    mkdir(tmpdir, 0700);
    const char *old = getenv("TMPDIR");
    char *saved = old ? strdup(old) : NULL;
    setenv("TMPDIR", tmpdir, 1);
    json_t *doc = rf_doc();
    ag_error err;
    must(export_report_pdf(doc, path, &err), &err);
    json_decref(doc);
    if (saved) {
        setenv("TMPDIR", saved, 1);
        free(saved);
    } else {
        unsetenv("TMPDIR");
    }
    DIR *d = opendir(tmpdir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.')
            fail_msg("left behind in TMPDIR: %s", e->d_name);
    closedir(d);
    rmdir(tmpdir);

    page *pg = calloc(1, sizeof *pg);
    assert_non_null(pg);
    read_page(path, 1, pg);
    assert_true(fabs(pg->w - 210.0) < 0.5 && fabs(pg->h - 297.0) < 0.5);
    assert_true(pg->n > 10);
    /* The first line (the doc number, then the title) starts at the block's top. */
    double top = 999;
    for (int i = 0; i < pg->n; i++)
        top = fmin(top, pg->lines[i].y0);
    assert_true(top >= 36.0 && top < 48.0);
    int full;
    check_block(pg, &full);
    assert_true(full >= 3);
    /* 页码: "— 1 —" below the block (about 7 mm under it), right-aligned one character
     * (14 pt = 4.9 mm) in from the block's right edge. */
    const line *pn = page_number(pg);
    assert_non_null(strstr(pn->text, "1"));
    assert_non_null(strstr(pn->text, "—"));
    assert_true(pn->y0 > 262.0 && pn->y1 < 282.0);
    assert_true(fabs(pn->x1 - (184.0 - 4.9)) < 1.5);

    /* The title and a paragraph, in words. */
    char all[16384] = "";
    for (int i = 0; i < pg->n; i++) {
        size_t have = strlen(all);
        snprintf(all + have, sizeof all - have, "%s", pg->lines[i].text);
    }
    assert_non_null(strstr(all, "教审〔2026〕3号"));
    assert_non_null(strstr(all, "关于第五幼儿园2025年度财务收支情况的审计报告"));
    assert_non_null(strstr(all, "一、被审计单位基本情况"));
    assert_non_null(strstr(all, "经审计，该单位能够贯彻执行国家财经法规，建立健全内部控制制度"));

    /* An even page: the number on the left, one character in. */
    read_page(path, 2, pg);
    check_block(pg, &full);
    assert_true(full >= 3);
    pn = page_number(pg);
    assert_non_null(strstr(pn->text, "2"));
    assert_true(fabs(pn->x0 - (28.0 + 4.9)) < 1.5);
    free(pg);

    /* The last page ends with the issuer and the date. */
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "pdftotext -layout '%s' - | tr -d ' \\n'", path);
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    static char text[1 << 16];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    pclose(f);
    const char *issuer = strstr(text, "区教育局内部审计科2026年12月6日");
    assert_non_null(issuer);
    assert_non_null(strstr(text, "采购<未招标>&拆分"));
    assert_non_null(strstr(text, "五、被审计单位书面意见"));
}

static void test_pdf_refused_without_libreoffice(void **state)
{
    (void)state;
    char path[1024];
    ag_test_path(path, sizeof path, "none.pdf");
    setenv("AG_SOFFICE", "", 1);
    assert_false(export_report_pdf_available());
    json_t *doc = rf_doc();
    ag_error err;
    assert_int_equal(export_report_pdf(doc, path, &err), AG_ERR_IO);
    assert_non_null(strstr(err.zh, "libreoffice-writer-nogui"));
    assert_non_null(strstr(err.en, "libreoffice-writer-nogui"));
    struct stat sb;
    assert_int_not_equal(stat(path, &sb), 0);
    /* A program that is not LibreOffice: it fails, and that is said. */
    setenv("AG_SOFFICE", "/bin/false", 1);
    assert_true(export_report_pdf_available());
    assert_int_equal(export_report_pdf(doc, path, &err), AG_ERR_IO);
    assert_non_null(strstr(err.en, "LibreOffice"));
    assert_int_not_equal(stat(path, &sb), 0);
    unsetenv("AG_SOFFICE");
    /* A content error is an input error, before anything runs. */
    json_t *bad = json_pack("{s:s}", "title", "标题");
    assert_int_equal(export_report_pdf(bad, path, &err), AG_ERR_INPUT);
    json_decref(bad);
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pdf_layout),
        cmocka_unit_test(test_pdf_refused_without_libreoffice),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
