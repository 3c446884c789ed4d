/* xlsx.h - voucher lines from one sheet of an Office Open XML workbook (.xlsx). */
#ifndef AG_LEDGER_XLSX_H
#define AG_LEDGER_XLSX_H

#include <stddef.h>

#include "ledger/ledger.h"
#include "util/error.h"

/* Options; a NULL opts means all defaults. Strings are borrowed for the call. */
typedef struct ledger_xlsx_opts {
    /* The sheet to read, by its tab name (ASCII letters compared without
     * case). NULL: the first visible worksheet. */
    const char *sheet;
    /* As for CSV: the import's unit (NULL: a unit_code column is required),
     * and the fiscal year of rows without one (0: the voucher date's). */
    const char *unit_code;
    int default_year;
} ledger_xlsx_opts;

/* Bounds on what a workbook may unpack to (zip bomb guards). */
#define LEDGER_XLSX_MAX_SHEET_BYTES   (512ull << 20) /* the sheet's XML */
#define LEDGER_XLSX_MAX_STRINGS_BYTES (64ull << 20)  /* sharedStrings.xml */
#define LEDGER_XLSX_MAX_PART_BYTES    (16ull << 20)  /* workbook, rels, styles */
#define LEDGER_XLSX_MAX_TOTAL_BYTES   (640ull << 20) /* all parts read together */
#define LEDGER_XLSX_MAX_RATIO         200            /* uncompressed / compressed */
#define LEDGER_XLSX_RATIO_FLOOR       (1ull << 20)   /* ratio checked above this size */

/* Reads the workbook at `path`: the chosen sheet's first non-empty row is
 * the header, the rows below are voucher lines, through the same header
 * mapping as CSV (docs/formats.md). Numbers in amount columns are
 * rounded to fen as Excel shows them (15 significant digits); date-formatted
 * cells become YYYY-MM-DD (1900 and 1904 date systems). Fills `info` (may be
 * NULL): format "xlsx", encoding "utf-8", SHA-256 of the file's bytes.
 *
 * A file that is not a zip/xlsx, a missing sheet, a part over its size cap
 * or compression ratio, an XML entity or DOCTYPE declaration, and every
 * structural fault of the table pipeline fail with AG_ERR_INPUT; err->where
 * reads "book.xlsx:Sheet1!D17" (or "book.xlsx:part" for a broken part).
 * Rows before a fault have already been pushed into the sink. */
ag_err ledger_read_xlsx(const char *path, const ledger_xlsx_opts *opts, const ledger_sink *sink,
                        ledger_file_info *info, ag_error *err);

/* The same over a workbook in memory (data is only read; `name` is used in
 * error locations). */
ag_err ledger_read_xlsx_mem(const void *data, size_t len, const char *name,
                            const ledger_xlsx_opts *opts, const ledger_sink *sink,
                            ledger_file_info *info, ag_error *err);

#endif
