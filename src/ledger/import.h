/* import.h - importing ledger files into the store: one transaction, validated, idempotent. */
#ifndef AG_IMPORT_H
#define AG_IMPORT_H

#include <jansson.h>
#include <stdbool.h>

#include "store/store.h"

typedef struct ledger_import_opts {
    const char *unit_code; /* required: the unit must exist */
    int year;              /* 0: from the data; otherwise every row must be of this year */
    const char *format;    /* "auto" (NULL), "gbt19581", "csv" or "xlsx" */
    const char *sheet;     /* XLSX sheet name, NULL: the first */
    const char *chart;     /* chart profile id, NULL: by unit type */
    bool replace;          /* replace the unit's books for the years in the file */
    bool append;           /* add to books that already have data */
    bool progress;         /* show progress on stderr (only when it is a terminal) */
    const char *label;     /* the file's name as recorded and reported (an upload's
                            * original name); NULL: the path */
} ledger_import_opts;

/* Imports one file (a GB/T 19581 folder or zip, a CSV or an XLSX file) for a
 * unit, in one transaction. Structural faults reject the whole file
 * (AG_ERR_INPUT, err->where = file:line:field) and write nothing; data-quality
 * findings (unbalanced vouchers, unknown accounts, balance continuity, ...)
 * are stored and listed in the report. A file whose SHA-256 is already
 * imported for the unit is a no-op with status "already_imported". A year
 * that already has data from another file is refused (AG_ERR_EXISTS) unless
 * `replace` or `append`. On success *report (owned by the caller) is
 * {path, format, encoding, sha256, bytes, status, unit, years, vouchers,
 * lines, debit_total, credit_total, findings_total, findings_by_kind,
 * findings: [...]}. */
ag_err ledger_import(ag_store *st, const char *path, const ledger_import_opts *o, json_t **report,
                     ag_error *err);

/* A unit's books: per year {year, chart_profile, lines, vouchers,
 * debit_total, credit_total, accounts, periods: [..], sources: [..]}; year 0
 * lists every year. AG_ERR_NOTFOUND for an unknown unit or a year without
 * data. Caller owns *out (an array). */
ag_err ledger_summary(ag_store *st, const char *unit_code, int year, json_t **out, ag_error *err);

#endif
