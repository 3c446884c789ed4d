/* warnings.h - early warnings in the store: recorded once per finding, triaged, listed. */
#ifndef AG_WARNINGS_H
#define AG_WARNINGS_H

#include <jansson.h>
#include <stdint.h>

#include "store/store.h"

/* What a scan run covered, for its record. */
typedef struct warnings_run {
    const char *unit_code; /* NULL: all units */
    int year;              /* 0: all years */
    const char *catalog_version;
    int64_t rows;
    double seconds;
} warnings_run;

/* Records a scan's warnings (a JSON array of engine warnings, each with a
 * fingerprint) in one transaction: a warning already recorded keeps its row
 * and triage status and only gets the new scan's id; new ones are added as
 * open. One audit entry stands for the run. *new_count and *run_id may be
 * NULL. */
ag_err warnings_record(ag_store *st, const warnings_run *run, json_t *warnings, int64_t *new_count,
                       int64_t *run_id, ag_error *err);

typedef struct warnings_filter {
    const char *unit_code;
    const char *item;
    const char *rule;
    const char *status;
    const char *severity;
    int64_t limit; /* 0: 100 */
    int64_t offset;
} warnings_filter;

/* {total, items: [...]} of the matching warnings, by unit, date and id.
 * Caller owns *out. */
ag_err warnings_list(ag_store *st, const warnings_filter *f, json_t **out, ag_error *err);

#endif
