/* import.h - importing ledger files into the store: atomic to readers, validated, idempotent. */
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
 * unit. Without `append` and outside a caller's transaction the lines are
 * written in batches of their own short transactions into staging books no
 * reader sees, and one short transaction at the end switches them in: readers
 * keep the old books until then, other writers are never kept waiting for the
 * whole import, and a crash leaves nothing visible (ledger_import_cleanup
 * removes the rest). Otherwise in one transaction. Structural faults reject the whole file
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

/* Removes what crashed imports left: the staging books and sources of
 * ledger_stage whose process is gone (or that are older than a day), and
 * retired books not yet deleted. Readers never see these rows; this only
 * gives their space back. Runs in its own short transactions (not inside a
 * caller's). *removed (may be NULL) receives the number of unfinished
 * imports removed. Called by every import and at server start. */
ag_err ledger_import_cleanup(ag_store *st, int *removed, ag_error *err);

/* How a source came in, in words, from its imported_by actor: "命令行导入"
 * (cli:…, whoever the operating-system user was), "网页上传" (user:…),
 * "系统导入" otherwise. A static string. */
const char *ledger_import_via(const char *actor);

/* A unit's books: per year {year, chart_profile, lines, vouchers,
 * debit_total, credit_total, accounts, periods: [..], sources: [{id, path
 * (the file's base name, never a server path), format, encoding, sha256,
 * lines, findings, imported_at, imported_by, imported_via}]}; year 0
 * lists every year. AG_ERR_NOTFOUND for an unknown unit or a year without
 * data. Caller owns *out (an array). */
ag_err ledger_summary(ag_store *st, const char *unit_code, int year, json_t **out, ag_error *err);

#endif
