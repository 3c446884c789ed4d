/* table.h - the table pipeline: a header row and data rows of text cells into ledger_rows. */
#ifndef AG_LEDGER_TABLE_H
#define AG_LEDGER_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "ledger/ledger.h"
#include "util/error.h"

/* One cell of a row, as UTF-8 text. The caller guarantees p[len] == '\0'
 * and lends p[0..len] to the table for the duration of the call: the table
 * may write into it (it trims in place), and the ledger_row it hands to the
 * sink points into it. An empty cell has len 0 (p must still point to a
 * NUL byte). */
typedef struct ledger_cell {
    char *p;
    size_t len;
} ledger_cell;

/* What the caller knows about the source. The strings are borrowed and must
 * outlive the table. */
typedef struct ledger_table_opts {
    /* Name used in error locations, e.g. "ledger.csv". Required. */
    const char *file;
    /* For a spreadsheet: the sheet name. Locations then read
     * "book.xlsx:Sheet1!D17" instead of "ledger.csv:17:debit". */
    const char *sheet;
    /* The import's unit. When set, a unit_code column is optional, and a row
     * naming another unit is a structural fault. NULL: the file must carry a
     * unit_code column. */
    const char *unit_code;
    /* Fiscal year of rows that state none (no or empty column); 0: none, the
     * sink takes the year of the voucher date. */
    int default_year;
} ledger_table_opts;

/* How the amounts of a table are laid out (detected from the header). */
typedef enum ledger_amount_layout {
    LEDGER_LAYOUT_NONE = 0,
    LEDGER_LAYOUT_DEBIT_CREDIT, /* separate debit (借方) and credit (贷方) columns */
    LEDGER_LAYOUT_DIRECTION, /* a direction (方向: 借/贷) column and an amount (金额) column */
    LEDGER_LAYOUT_SIGNED     /* one signed amount column: positive debit, negative credit */
} ledger_amount_layout;

/* What a column holds, so that a spreadsheet reader can render typed cells
 * (numbers rounded to fen in an amount column, date serials in a date
 * column). */
typedef enum ledger_col_kind {
    LEDGER_COL_TEXT = 0,
    LEDGER_COL_AMOUNT,
    LEDGER_COL_DATE
} ledger_col_kind;

typedef struct ledger_table ledger_table;

/* Creates a table that pushes rows into `sink` (borrowed; must outlive the
 * table). Free with ledger_table_free. */
ag_err ledger_table_open(const ledger_table_opts *opts, const ledger_sink *sink, ledger_table **out,
                         ag_error *err);
/* Accepts NULL. */
void ledger_table_free(ledger_table *t);

/* Maps the header row (n cells, source line or sheet row `line`): English
 * canonical names (case-insensitive), their Chinese synonyms, and the amount
 * layout columns; anything else is an extra column whose values go into
 * extra_json. Fails with AG_ERR_INPUT when a required column is missing, the
 * amount layout is absent or ambiguous, a column is duplicated, or there are
 * more than LEDGER_MAX_COLUMNS columns. Call exactly once, before any row. */
ag_err ledger_table_header(ledger_table *t, ledger_cell *cells, size_t n, int64_t line,
                           ag_error *err);

/* Converts one data row and pushes it into the sink. A row whose cells are
 * all empty is skipped. Cells past the header's width are kept in
 * extra_json under "#N" (N the 1-based column) when non-empty; missing
 * trailing cells are empty. Structural faults (a bad amount, date, period,
 * year, flag or line number; a missing required value; a field over
 * LEDGER_MAX_FIELD_BYTES; another unit's row) fail with AG_ERR_INPUT naming
 * file:line:column. A sink error is passed through. */
ag_err ledger_table_row(ledger_table *t, ledger_cell *cells, size_t n, int64_t line, ag_error *err);

/* Number of header columns (0 before the header). */
size_t ledger_table_width(const ledger_table *t);
/* What column `col` (0-based) holds; LEDGER_COL_TEXT before the header or
 * past its width. */
ledger_col_kind ledger_table_column_kind(const ledger_table *t, size_t col);
ledger_amount_layout ledger_table_layout(const ledger_table *t);
/* Rows handed to the sink so far. */
int64_t ledger_table_rows(const ledger_table *t);

/* Writes the error location of column `col` at `line` into out:
 * "file:line:header", or for a sheet "file:sheet!D17". With col SIZE_MAX
 * (the row as a whole): "file:line", or "file:sheet!17:17". */
void ledger_table_where(const ledger_table *t, int64_t line, size_t col, char *out, size_t n);

/* Writes the spreadsheet letters of a 0-based column ("A", "Z", "AA", ...)
 * into out (at least 8 bytes). */
void ledger_column_letters(size_t col, char out[8]);

/* A source file opened for reading. */
typedef struct ledger_source {
    int fd;           /* open; the caller closes it */
    uint64_t size;    /* its length in bytes */
    const char *name; /* its last path component (points into the path), for error locations */
} ledger_source;

/* Opens the source file at path: a regular file of at most
 * LEDGER_MAX_FILE_BYTES. */
ag_err ledger_source_open(const char *path, ledger_source *src, ag_error *err);

#endif
