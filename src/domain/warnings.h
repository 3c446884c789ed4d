/* warnings.h - early warnings in the store: recorded once per finding, triaged, listed. */
#ifndef AG_WARNINGS_H
#define AG_WARNINGS_H

#include <jansson.h>
#include <stdint.h>

#include "domain/scope.h"
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

/* What to list. Every string may be NULL (no condition); all are borrowed
 * for the call. Initialise it with designated initialisers. */
typedef struct warnings_filter {
    const char *unit_code;
    const char *item;
    const char *rule;
    const char *status;
    const char *severity;
    int64_t limit; /* 0: 100 */
    int64_t offset;
    const char *cell_id;   /* the units of this grid cell */
    const char *date_from; /* YYYY-MM-DD, on the warning date, inclusive */
    const char *date_to;   /* YYYY-MM-DD, inclusive */
    /* One of WARNINGS_SORTS: a key, or a key with "-" for descending. Ties
     * (and NULL, the default) in unit, date and id order. */
    const char *sort;
} warnings_filter;

/* The sort keys warnings_filter.sort accepts, as a comma-separated list for
 * messages and docs. */
#define WARNINGS_SORTS "date, -date, amount, -amount, severity, -severity, unit, -unit"

/* AG_ERR_USAGE, with `where` the API's parameter name ("from", "to",
 * "sort"), when a date is not a real YYYY-MM-DD date, from is after to, or
 * sort is not one of WARNINGS_SORTS. The list functions check this too. */
ag_err warnings_filter_check(const warnings_filter *f, ag_error *err);

/* {total, items: [...]} of the matching warnings, in the filter's order.
 * Caller owns *out. */
ag_err warnings_list(ag_store *st, const warnings_filter *f, json_t **out, ag_error *err);
/* The same, only over the units in scope (NULL: every unit). */
ag_err warnings_list_scoped(ag_store *st, const warnings_filter *f, const ag_scope *scope,
                            json_t **out, ag_error *err);

/* One warning as in warnings_list. AG_ERR_NOTFOUND when there is no such
 * warning or its unit is outside `scope` (NULL: every unit), with the same
 * message either way. Caller owns *out. */
ag_err warnings_get(ag_store *st, int64_t id, const ag_scope *scope, json_t **out, ag_error *err);

/* A triage decision on a warning: action "acknowledge", "dismiss" (needs a
 * reason) or "escalate"; the reason is optional otherwise (at most 2000
 * bytes of UTF-8). Status, reason, deciding user and time are written with
 * store_update, so the audit log records the store's actor. AG_ERR_NOTFOUND
 * as for warnings_get; AG_ERR_EXISTS when the warning already has that
 * status; AG_ERR_INPUT for a bad action or reason. *out (may be NULL)
 * receives the updated warning. */
ag_err warnings_triage(ag_store *st, int64_t id, const ag_scope *scope, const char *action,
                       const char *reason, const char *by, json_t **out, ag_error *err);

#endif
