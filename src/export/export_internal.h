/* export_internal.h - what the XLSX exports share: atomic files, yuan cells, Chinese labels. */
#ifndef AG_EXPORT_INTERNAL_H
#define AG_EXPORT_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <xlsxwriter.h>

#include "util/error.h"

/* Longest text written into one cell (bytes of UTF-8); Excel's limit is
 * 32,767 characters, longer text is cut with a note. */
#define EXPORT_CELL_MAX 30000

/* A workbook being written to a temporary file beside its destination. */
typedef struct export_book {
    lxw_workbook *wb;
    char path[4096]; /* destination */
    char tmp[4096];  /* path.tmp-XXXXXX in the same folder */
    lxw_error first; /* the first libxlsxwriter error while filling it */
} export_book;

/* Creates the temporary file and a workbook that will be written there, with
 * the document title and the creation time from ag_clock. On failure nothing
 * is left behind. */
ag_err export_book_open(export_book *b, const char *path, const char *title, ag_error *err);
/* Writes the workbook, syncs it and renames it onto the destination (then
 * syncs the folder). Any failure, including an earlier export_put error,
 * removes the temporary file and leaves the destination as it was. */
ag_err export_book_close(export_book *b, ag_error *err);
/* Abandons the workbook and removes the temporary file; NULL-safe. */
void export_book_abort(export_book *b);
/* Records the first error of a libxlsxwriter call. */
void export_put(export_book *b, lxw_error e);

/* A format with the common look (宋体, given size, thin borders when asked,
 * vertically centred, wrapping). */
lxw_format *export_format(export_book *b, double size, bool border, bool wrap);

/* The formats of a one-table sheet (the grade and assessment exports): a bold centred title, an
 * info line, a shaded bold header, bordered text, centred, right-aligned number and bold
 * right-aligned total cells. False when one could not be made (b->first says why). */
typedef struct export_sheet_fmt {
    lxw_format *title, *info, *head, *text, *center, *num, *total;
} export_sheet_fmt;
bool export_sheet_formats(export_book *b, export_sheet_fmt *f);

/* Writes text (NULL or "" as an empty cell with the format), cut to
 * EXPORT_CELL_MAX on a character boundary. */
void export_text(export_book *b, lxw_worksheet *ws, uint32_t row, uint16_t col, const char *s,
                 lxw_format *f);
void export_merge_text(export_book *b, lxw_worksheet *ws, uint32_t r1, uint16_t c1, uint32_t r2,
                       uint16_t c2, const char *s, lxw_format *f);
/* Writes fen as a number of yuan (format "#,##0.00"): the exact decimal
 * "yuan.fen" becomes a double only here, at the cell. Amounts beyond Excel's
 * 15 significant digits are written as grouped text so no digit is lost. */
void export_yuan(export_book *b, lxw_worksheet *ws, uint32_t row, uint16_t col, int64_t fen,
                 lxw_format *num, lxw_format *text);

/* The nearest double to fen/100, from the decimal text (correctly rounded). */
double export_fen_to_yuan(int64_t fen);

/* Chinese labels; an unknown code is returned as it is ("" for NULL). */

/* The civil date (UTC+8) of an ISO date or UTC time stamp as YYYY-MM-DD;
 * text that is neither is copied (cut to fit). "" for NULL. */
void export_date(const char *iso, char out[24]);

/* A string member of o or NULL. */
const char *export_str(const json_t *o, const char *key);

/* The height (points) that shows text wrapped in a column of `width` Excel
 * character units at `pt` points: CJK characters count two units. At least
 * min_pt, at most Excel's 409. */
double export_row_height(const char *text, double width, double pt, double min_pt);

#endif
