/* import.h (app) - the import use case: who may import or replace a unit's books, then the
 * import itself (ledger/import.h). */
#ifndef AG_APP_IMPORT_H
#define AG_APP_IMPORT_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/scope.h"
#include "ledger/import.h"
#include "store/store.h"
#include "util/error.h"

/* Whether the account of `who` may replace the books of unit_code: the
 * bureau's administrator, or an internal auditor or chief auditor acting
 * for the unit (its own unit, a chief auditor's group: scope_unit_owned).
 * An auditor who sees the unit only as a member of its audit team reads its
 * books but may not replace them (issue 12 §7). Sets *may; store errors in
 * err. */
ag_err app_import_may_replace(ag_store *st, const ag_scope *who, const char *unit_code, bool *may,
                              ag_error *err);

/* Imports `path` for o->unit_code on behalf of `who` (NULL: the command line,
 * whose operator owns the database file). A replacing import by someone who
 * may not replace (app_import_may_replace) is AG_ERR_DENIED with field
 * "replace" and a message that names no command-line option; nothing is
 * written. Otherwise as ledger_import: *report owned by the caller. */
ag_err app_import(ag_store *st, const ag_scope *who, const char *path, const ledger_import_opts *o,
                  json_t **report, ag_error *err);

/* At server start: removes what crashed imports left — the staging rows of
 * ledger_import_cleanup and the spooled-upload folders in tmp_dir (NULL:
 * $TMPDIR or /tmp) untouched for an hour (attach_spool_clean). *imports and
 * *uploads (may be NULL) receive how many of each were removed. */
ag_err app_import_startup_clean(ag_store *st, const char *tmp_dir, int *imports, int64_t *uploads,
                                ag_error *err);

#endif
