/* report_internal.h - what the report writers (DOCX, HTML, PDF) share: one walk over a content
 * document that numbers the headings and splits the texts, so every format shows the same words. */
#ifndef AG_EXPORT_REPORT_INTERNAL_H
#define AG_EXPORT_REPORT_INTERNAL_H

#include <jansson.h>
#include <stddef.h>

#include "util/error.h"

/* The paragraphs a report is made of, in the order they stand. */
typedef enum report_para {
    REPORT_DOCNO,  /* 发文字号, centred above the title */
    REPORT_TITLE,  /* the title (may hold "\n": a line break inside it) */
    REPORT_H1,     /* a section heading, number "一、" */
    REPORT_H2,     /* an h2 block or an item's title, number "（一）" */
    REPORT_H3,     /* an h3 block, number "1." */
    REPORT_P,      /* one body paragraph (no "\n"), label "问题事实" for an item's field */
    REPORT_ISSUER, /* 发文单位, right-aligned after the body */
    REPORT_DATE    /* the date as "2026年12月6日", right-aligned under the issuer */
} report_para;

/* The renderer's callbacks. Texts are slices of the document's strings (text, len), never
 * NUL-terminated in general; headings and the title may hold "\n" (headings: show a space). A
 * callback returns AG_OK or an error it has filled into err. */
typedef struct report_ops {
    /* number: "" or the heading's number ("一、", "（二）", "3."); label: NULL or an item
     * field's label, shown as "label：" before the text. */
    ag_err (*para)(void *ud, report_para kind, const char *number, const char *label,
                   const char *text, size_t len, ag_error *err);
    /* A table: caption NULL or text; columns the header texts (an array of strings, may be
     * empty), rows arrays of cells; ncols the number of columns to show (at least 1): rows
     * shorter are padded with empty cells, longer ones cut. Read cells with report_cell. */
    ag_err (*table)(void *ud, const char *caption, const json_t *columns, const json_t *rows,
                    size_t ncols, ag_error *err);
} report_ops;

/* Most columns a table may have. */
#define REPORT_TABLE_COLS_MAX 40

/* Walks doc (a content document, format auditgrid-report/1): the doc number and the title,
 * each section's numbered heading and blocks (paragraphs split at "\n", trimmed, empty ones
 * left out; items as an h2 and one paragraph per non-empty field), then the issuer and the date.
 * AG_ERR_INPUT naming the field ("sections[2].blocks[0].type") when doc has not that shape;
 * otherwise the first error of a callback. */
ag_err report_walk(const json_t *doc, const report_ops *ops, void *ud, ag_error *err);

/* The text of cell i of a table row: a string as it is, a number as text (into num), "" for
 * anything else or past the row's end. */
const char *report_cell(const json_t *row, size_t i, char num[48]);

/* The heading number of the n-th (from 1) heading of a level into out: 1 "一、", 2 "（一）",
 * 3 "1."; past 99 the number is written in digits. cap at least 32. */
void report_number(int level, int n, char *out, size_t cap);

/* "2026-12-06" as "2026年12月6日"; text that is not such a date is copied; "" for NULL. */
void report_date_zh(const char *iso, char *out, size_t cap);

/* The display width of text in half-width units (CJK and other non-ASCII characters 2), of
 * its longest line. */
size_t report_text_width(const char *s);

#endif
