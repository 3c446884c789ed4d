/* csv.h - the canonical voucher-line CSV reader (RFC 4180, UTF-8 or GB18030). */
#ifndef AG_LEDGER_CSV_H
#define AG_LEDGER_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "ledger/ledger.h"
#include "util/error.h"

/* Options; a NULL opts means all defaults. Strings are borrowed for the call. */
typedef struct ledger_csv_opts {
    /* The import's unit (统一社会信用代码 or the unit's code). NULL: the file
     * must carry a unit_code (单位代码) column. When set, rows naming another
     * unit reject the file. */
    const char *unit_code;
    /* Fiscal year for rows without one; 0: the year of the voucher date. */
    int default_year;
    /* Skip the SHA-256 of the file (info->sha256 stays empty): for scans that
     * read a file without recording it. */
    bool skip_hash;
} ledger_csv_opts;

/* Reads the CSV file at `path` and pushes every voucher line into `sink`
 * (DESIGN.md §4 columns or their Chinese synonyms; see
 * docs/formats.md). Fills `info` (may be NULL) with the format,
 * encoding, SHA-256 of the raw bytes, size and row count.
 *
 * Any structural fault (bad amount, date, period, missing column, wrong
 * number of fields, unterminated quote, invalid bytes, over-long line...)
 * fails the whole read with AG_ERR_INPUT, err->where naming
 * "file:line:column" (file is the path's last component). Rows before the
 * fault have already been pushed: the caller discards them (the import runs
 * in one transaction). A sink callback's error is returned as is. */
ag_err ledger_read_csv(const char *path, const ledger_csv_opts *opts, const ledger_sink *sink,
                       ledger_file_info *info, ag_error *err);

/* The same over data[0..len) in memory; `name` is used in error locations. */
ag_err ledger_read_csv_mem(const char *data, size_t len, const char *name,
                           const ledger_csv_opts *opts, const ledger_sink *sink,
                           ledger_file_info *info, ag_error *err);

#endif
