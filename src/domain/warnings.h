/* warnings.h - early warnings in the store: recorded once per finding, triaged, listed. */
#ifndef AG_WARNINGS_H
#define AG_WARNINGS_H

#include <jansson.h>
#include <stdbool.h>
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
    /* One of the states of the table below (open, acknowledged, escalated,
     * review, dismissed): unlike status, "dismissed" here is only final
     * dismissals and "review" those awaiting review. */
    const char *state;
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

/* ---- a warning's life (issue 12 §2) ----------------------------------------
 * States, as the API's "status": open 未处理, acknowledged 已确认, escalated
 * 已上报·待局复核, review 已排除·待复核 (a sampled dismissal awaiting review;
 * stored as dismissed with review = 'pending'), dismissed 已排除 (final).
 * The one table below says, per state, which action leads where and who may
 * take it; the domain checks it and the API serves the allowed part of it
 * with each warning ("actions"), so pages do not repeat it. */
typedef struct warnings_transition {
    const char *from;   /* state */
    const char *action; /* acknowledge, dismiss, escalate, accept, reopen, to_finding,
                         * to_rectification */
    const char *to;     /* state; a unit's dismissal goes to review when sampled */
    unsigned who;       /* AG_ROLE_BIT mask of the roles that may take it */
    bool reason;        /* a reason (a note for reopen) is required */
} warnings_transition;

extern const warnings_transition warnings_transitions[];
extern const int warnings_transition_count;

/* The row of the table for (state, action), or NULL. */
const warnings_transition *warnings_transition_find(const char *state, const char *action);

/* The actions `w` (a warning as warnings_get gives it) allows to an account
 * of this scope named `by` (the user name): a JSON array of {action, to,
 * reason_required}. Beyond the table: nobody reviews their own dismissal.
 * Caller owns the result. */
json_t *warnings_actions(const json_t *w, const ag_scope *scope, const char *by);

/* The sampled review of dismissals: every high-severity dismissal and
 * `share` percent of the rest, chosen by a hash of the warning id so the
 * same warning is always chosen or not. */
bool warnings_sampled(int64_t id, const char *severity, int share);

/* The share (0..100, default WARNINGS_REVIEW_SHARE) of the setting
 * "warnings.review_share"; an unreadable stored value reads as the default. */
#define WARNINGS_REVIEW_SHARE 20
ag_err warnings_review_share(ag_store *st, int *share, ag_error *err);
/* Sets it (AG_ERR_INPUT, where "share", outside 0..100), audited. */
ag_err warnings_set_review_share(ag_store *st, int share, ag_error *err);

/* A decision on a warning by the account `by` (user name) of `scope`:
 * action acknowledge, dismiss, escalate, accept or reopen (to_finding and
 * to_rectification are app/warning_review's). The table decides whether the state and role
 * allow it (AG_ERR_DENIED naming both otherwise); a dismissal and a reopen
 * need a reason (at most 2000 bytes of UTF-8). A unit's dismissal that is
 * sampled waits for review (review); a bureau's dismissal of an escalation
 * is final. An escalation and a sampled dismissal each leave a notice for
 * the bureau (notification, audience 'bureau'). Every write goes through
 * store_update/store_insert, so the audit log records it. AG_ERR_NOTFOUND
 * as for warnings_get; AG_ERR_INPUT for a bad action or reason. *out (may
 * be NULL) receives the updated warning. */
ag_err warnings_triage(ag_store *st, int64_t id, const ag_scope *scope, const char *action,
                       const char *reason, const char *by, json_t **out, ag_error *err);

/* Records that warning id is evidence of finding finding_id: the warning
 * becomes acknowledged (已确认) naming the finding, whatever its state
 * (a warning already naming a finding keeps the first). Inside the
 * caller's transaction; audited through store_update. */
ag_err warnings_link_finding(ag_store *st, int64_t id, int64_t finding_id, const char *by,
                             ag_error *err);

/* The Chinese name of an engine rule id (dup_payment 重复支付…), or NULL. */
const char *warnings_rule_name(const char *rule);
/* Every named rule as [{id, name}], for the inbox's rule filter. Caller owns it. */
json_t *warnings_rules(void);

#endif
