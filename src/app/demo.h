/* demo.h (app) - the demo district as one use case: the district, the pilot units' books
 * imported and scanned, so `auditgrid demo` and the tests build the same thing. */
#ifndef AG_APP_DEMO_H
#define AG_APP_DEMO_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/demo.h"
#include "store/store.h"
#include "util/error.h"

/* What to build. Strings are borrowed for the call. */
typedef struct app_demo_req {
    uint64_t seed;
    int64_t lines;          /* voucher lines over the pilot units' books; 0: no books */
    const char *files_dir;  /* attachments (attach_dir_for of the database) */
    const char *ledger_dir; /* where the generated ledger files are written */
    bool progress;          /* the generator and importer show progress on stderr */
} app_demo_req;

/* Builds the demo district into an empty database (demo_build), then, when
 * lines > 0, generates two years of books for every pilot unit, adds the
 * units' staff as persons, imports the books and scans them. sum and
 * accounts as demo_build fills them; *ledgers (a new object, also on
 * failure; may be NULL) gets ledger_dir, ledger_lines, planted,
 * import_findings, staff_persons and warnings when books were made. */
ag_err app_demo_build(ag_store *st, const app_demo_req *req, demo_summary *sum,
                      demo_account *accounts, size_t max_accounts, json_t **ledgers, ag_error *err);

#endif
