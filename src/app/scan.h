/* scan.h (app) - the scan use case: the stored books of the district or one unit, scanned and
 * recorded as warnings. */
#ifndef AG_APP_SCAN_H
#define AG_APP_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "store/store.h"
#include "util/error.h"

/* What to scan. Strings are borrowed for the call. */
typedef struct app_scan_req {
    const char *unit_code;    /* NULL: every unit */
    int year;                 /* 0: every year */
    int threads;              /* 0: one per core */
    const char *catalog_path; /* a rules file; NULL: the built-in catalog/rules.json */
    /* Called at the start of each phase ("load", "rules", "record") with its
     * names in both languages; may be NULL. */
    void (*progress)(void *ctx, const char *phase, const char *zh, const char *en);
    void *progress_ctx;
} app_scan_req;

/* The catalog items in the order reports list them (F01-F13, K1-K7). */
#define APP_SCAN_ITEMS 20
extern const char *const app_scan_items[APP_SCAN_ITEMS];

/* What a scan found. */
typedef struct app_scan_stats {
    int64_t run_id; /* the scan_run row */
    size_t rows, units, vouchers;
    size_t warnings;      /* found by this scan */
    int64_t new_warnings; /* of them, not recorded before */
    double load_seconds, rule_seconds;
    size_t by_item[APP_SCAN_ITEMS]; /* warnings per app_scan_items[i] */
} app_scan_stats;

/* Loads the stored books (ledger/read.h), runs the catalog over them and
 * records the warnings with warnings_record (one transaction and one audit
 * entry for the run, a warning already recorded keeps its triage). Only one
 * scan of a unit (or of the whole district) runs at a time in this process:
 * a second one while the first runs is AG_ERR_EXISTS naming the unit. A rules
 * file that does not load is AG_ERR_INPUT naming it. */
ag_err app_scan_run(ag_store *st, const app_scan_req *req, app_scan_stats *out, ag_error *err);

/* True while a scan of unit_code (NULL: the district) runs in this process. */
bool app_scan_running(const char *unit_code);

/* Where a running scan is, for a progress display. */
typedef struct app_scan_state {
    bool running;
    char phase[16];  /* "start", "load", "rules", "record" */
    int64_t started; /* unix seconds (ag_clock_now) */
} app_scan_state;

/* The state of the scan of unit_code (NULL: the district) in this process;
 * running false when none runs. */
void app_scan_status(const char *unit_code, app_scan_state *out);

/* The last recorded scan of unit_code (NULL: of the whole district) as
 * {"run_id", "started_at" (UTC ISO), "rows", "warnings", "new_warnings",
 * "seconds"}, or JSON null when it was never scanned. Caller owns *out. */
ag_err app_scan_last(ag_store *st, const char *unit_code, json_t **out, ag_error *err);

#endif
