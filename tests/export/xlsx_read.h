/* xlsx_read.h - a small XLSX reader for the export tests (libzip + expat, independent of
 * libxlsxwriter): the first sheet's cells with shared strings resolved, merges, row heights, and
 * any member's raw text. Include after <cmocka.h>. */
#ifndef AG_TEST_XLSX_READ_H
#define AG_TEST_XLSX_READ_H

#include <expat.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define XR_MAX_CELLS 2048
#define XR_MAX_STRS  2048
#define XR_MAX_ROWS  512

typedef struct xr_cell {
    char ref[12];
    char t[12]; /* the t attribute: "s", "inlineStr", "str", "" (a number) */
    char *v;    /* the value as shown: a shared string resolved, or the number text */
} xr_cell;

typedef struct xr_book {
    char *strs[XR_MAX_STRS];
    int nstrs;
    xr_cell cells[XR_MAX_CELLS];
    int ncells;
    char *merges[64];
    int nmerges;
    double row_ht[XR_MAX_ROWS]; /* by 1-based row number; 0 when not set */
    char *workbook_xml;         /* xl/workbook.xml */
    char *sheet_xml;            /* xl/worksheets/sheet1.xml */
} xr_book;

typedef struct xr_parse {
    xr_book *bk;
    bool sheet;
    bool in_text, in_si, in_is;
    xr_cell *cur;
    char *buf;
    size_t len, cap;
} xr_parse;

static inline const char *xr_attr(const XML_Char **a, const char *name)
{
    for (int i = 0; a[i]; i += 2)
        if (strcmp(a[i], name) == 0)
            return a[i + 1];
    return NULL;
}

static inline void xr_start(void *ud, const XML_Char *el, const XML_Char **a)
{
    xr_parse *p = ud;
    xr_book *b = p->bk;
    if (!p->sheet) {
        if (strcmp(el, "si") == 0) {
            p->in_si = true;
            p->len = 0;
        } else if (strcmp(el, "t") == 0 && p->in_si) {
            p->in_text = true;
        }
        return;
    }
    if (strcmp(el, "c") == 0) {
        assert_true(b->ncells < XR_MAX_CELLS);
        p->cur = &b->cells[b->ncells++];
        const char *r = xr_attr(a, "r"), *t = xr_attr(a, "t");
        snprintf(p->cur->ref, sizeof p->cur->ref, "%s", r ? r : "");
        snprintf(p->cur->t, sizeof p->cur->t, "%s", t ? t : "");
    } else if (strcmp(el, "is") == 0) {
        p->in_is = true;
        p->len = 0;
    } else if (strcmp(el, "v") == 0 || (strcmp(el, "t") == 0 && p->in_is)) {
        p->in_text = true;
        if (!p->in_is)
            p->len = 0;
    } else if (strcmp(el, "row") == 0) {
        const char *r = xr_attr(a, "r"), *ht = xr_attr(a, "ht");
        int n = r ? atoi(r) : 0;
        if (n > 0 && n < XR_MAX_ROWS && ht)
            b->row_ht[n] = strtod(ht, NULL);
    } else if (strcmp(el, "mergeCell") == 0 && b->nmerges < 64) {
        b->merges[b->nmerges++] = strdup(xr_attr(a, "ref"));
    }
}

static inline char *xr_take(xr_parse *p)
{
    char *s = malloc(p->len + 1);
    assert_non_null(s);
    memcpy(s, p->buf ? p->buf : "", p->len);
    s[p->len] = '\0';
    return s;
}

static inline void xr_end(void *ud, const XML_Char *el)
{
    xr_parse *p = ud;
    xr_book *b = p->bk;
    if (!p->sheet) {
        if (strcmp(el, "t") == 0) {
            p->in_text = false;
        } else if (strcmp(el, "si") == 0) {
            assert_true(b->nstrs < XR_MAX_STRS);
            b->strs[b->nstrs++] = xr_take(p);
            p->in_si = false;
        }
        return;
    }
    if (strcmp(el, "v") == 0 && p->cur && !p->in_is) {
        p->in_text = false;
        char *v = xr_take(p);
        if (strcmp(p->cur->t, "s") == 0) {
            int i = atoi(v);
            assert_true(i >= 0 && i < b->nstrs);
            free(v);
            v = strdup(b->strs[i]);
        }
        p->cur->v = v;
    } else if (strcmp(el, "t") == 0 && p->in_is) {
        p->in_text = false;
    } else if (strcmp(el, "is") == 0 && p->cur) {
        p->in_is = false;
        p->cur->v = xr_take(p);
    }
}

static inline void xr_text(void *ud, const XML_Char *s, int len)
{
    xr_parse *p = ud;
    if (!p->in_text)
        return;
    if (p->len + (size_t)len + 1 > p->cap) {
        p->cap = (p->len + (size_t)len + 1) * 2;
        p->buf = realloc(p->buf, p->cap);
        assert_non_null(p->buf);
    }
    memcpy(p->buf + p->len, s, (size_t)len);
    p->len += (size_t)len;
}

/* A member's bytes, NUL-terminated, or NULL when absent. The caller frees. */
static inline char *xr_member(zip_t *za, const char *name)
{
    zip_stat_t zs;
    if (zip_stat(za, name, 0, &zs) != 0)
        return NULL;
    char *data = malloc(zs.size + 1);
    assert_non_null(data);
    zip_file_t *zf = zip_fopen(za, name, 0);
    assert_non_null(zf);
    assert_int_equal(zip_fread(zf, data, zs.size), (zip_int64_t)zs.size);
    zip_fclose(zf);
    data[zs.size] = '\0';
    return data;
}

static inline void xr_parse_xml(xr_book *bk, const char *xml, bool sheet)
{
    xr_parse p = {.bk = bk, .sheet = sheet};
    XML_Parser xp = XML_ParserCreate("UTF-8");
    XML_SetUserData(xp, &p);
    XML_SetElementHandler(xp, xr_start, xr_end);
    XML_SetCharacterDataHandler(xp, xr_text);
    if (XML_Parse(xp, xml, (int)strlen(xml), 1) != XML_STATUS_OK)
        fail_msg("bad XML: %s", XML_ErrorString(XML_GetErrorCode(xp)));
    XML_ParserFree(xp);
    free(p.buf);
}

/* Reads the workbook at path; fails the test when it is not a readable XLSX. */
static inline xr_book *xr_open(const char *path)
{
    int ze = 0;
    zip_t *za = zip_open(path, ZIP_RDONLY, &ze);
    if (!za)
        fail_msg("%s is not a zip (%d)", path, ze);
    xr_book *bk = calloc(1, sizeof *bk);
    assert_non_null(bk);
    char *strs = xr_member(za, "xl/sharedStrings.xml");
    if (strs)
        xr_parse_xml(bk, strs, false);
    free(strs);
    bk->sheet_xml = xr_member(za, "xl/worksheets/sheet1.xml");
    bk->workbook_xml = xr_member(za, "xl/workbook.xml");
    assert_non_null(bk->sheet_xml);
    assert_non_null(bk->workbook_xml);
    xr_parse_xml(bk, bk->sheet_xml, true);
    zip_close(za);
    return bk;
}

static inline void xr_free(xr_book *bk)
{
    if (!bk)
        return;
    for (int i = 0; i < bk->nstrs; i++)
        free(bk->strs[i]);
    for (int i = 0; i < bk->ncells; i++)
        free(bk->cells[i].v);
    for (int i = 0; i < bk->nmerges; i++)
        free(bk->merges[i]);
    free(bk->workbook_xml);
    free(bk->sheet_xml);
    free(bk);
}

/* The cell at ref, or NULL. */
static inline const xr_cell *xr_cell_at(const xr_book *bk, const char *ref)
{
    for (int i = 0; i < bk->ncells; i++)
        if (strcmp(bk->cells[i].ref, ref) == 0)
            return &bk->cells[i];
    return NULL;
}

/* The text a string cell shows; NULL when the cell is absent, empty or a number. */
static inline const char *xr_text_at(const xr_book *bk, const char *ref)
{
    const xr_cell *c = xr_cell_at(bk, ref);
    return c && c->v && c->t[0] && strcmp(c->t, "n") != 0 ? c->v : NULL;
}

/* Fails unless the string cell at ref shows exactly want. */
static inline void xr_expect_text(const xr_book *bk, const char *ref, const char *want)
{
    const char *got = xr_text_at(bk, ref);
    if (!got || strcmp(got, want) != 0)
        fail_msg("%s: expected \"%s\", got \"%s\"", ref, want, got ? got : "(none)");
}

/* The value of the number cell at ref; fails when it is not a number. */
static inline double xr_number_at(const xr_book *bk, const char *ref)
{
    const xr_cell *c = xr_cell_at(bk, ref);
    if (!c || !c->v || (c->t[0] && strcmp(c->t, "n") != 0))
        fail_msg("%s is not a number cell", ref);
    return strtod(c->v, NULL);
}

/* The row (1-based) whose column-A cell shows label, or 0. */
static inline int xr_row_of(const xr_book *bk, const char *label)
{
    for (int r = 1; r < XR_MAX_ROWS; r++) {
        char ref[16];
        snprintf(ref, sizeof ref, "A%d", r);
        const char *t = xr_text_at(bk, ref);
        if (t && strcmp(t, label) == 0)
            return r;
    }
    return 0;
}

/* The text at column letter col of 1-based row r (NULL as xr_text_at). */
static inline const char *xr_text_rc(const xr_book *bk, const char *col, int r)
{
    char ref[16];
    snprintf(ref, sizeof ref, "%s%d", col, r);
    return xr_text_at(bk, ref);
}

#endif
