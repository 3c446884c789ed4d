/* guidance.h - a competent department's guidance and supervision of its units (主管部门指导和监督,
 * issue 14 §2): guidance opinions (指导意见) and their replies, supervision visits (督导检查) and
 * the department's one view over its units. */
#ifndef AG_GUIDANCE_H
#define AG_GUIDANCE_H

#include <jansson.h>
#include <stdint.h>

#include "domain/audit.h"
#include "store/store.h"
#include "util/error.h"

/* Who may guide which unit: an admin any unit (the opinion is the bureau's,
 * no cell); a supervisor the units of its cell (the opinion is its cell's);
 * a liaison the units it sees (the opinion is the bureau's). Anyone else is
 * AG_ERR_DENIED; a unit outside the scope is AG_ERR_NOTFOUND. */

/* Most units one opinion is addressed to. */
#define GUIDANCE_MAX_UNITS 500

/* An opinion to issue: subject (1..200 bytes), body (1..64 KiB), due_date
 * YYYY-MM-DD not before today, units (1..GUIDANCE_MAX_UNITS distinct codes),
 * attachment_ids (may be NULL/0): unowned attachments of units[0], which
 * become the opinion's. */
typedef struct guidance_in {
    const char *cell_id; /* an admin may issue in the name of this cell's department (NULL: the
                          * bureau); ignored for other roles */
    const char *subject;
    const char *body;
    const char *due_date;
    const char *const *units;
    int nunits;
    const int64_t *attachment_ids;
    int nattachments;
} guidance_in;

/* Issues an opinion (audited inserts; the caller owns the transaction).
 * AG_ERR_INPUT naming the field (subject, body, due_date, units). *id (may be
 * NULL) receives its id. */
ag_err guidance_issue(ag_store *st, const audit_actor *a, const guidance_in *in, int64_t *id,
                      ag_error *err);

/* Unit unit_code answers opinion id (reply 1..64 KiB) with evidence
 * (attachment_ids: unowned attachments of the unit; may be NULL/0). Allowed:
 * admin; the unit's leader, auditor or chief auditor (scope_unit_owned).
 * A reply may be amended: the latest text and time count; a reply after the
 * due date is recorded and marked late. AG_ERR_NOTFOUND when the opinion is
 * not addressed to the unit or not visible. */
ag_err guidance_reply(ag_store *st, const audit_actor *a, int64_t id, const char *unit_code,
                      const char *reply, const int64_t *attachment_ids, int nattachments,
                      ag_error *err);

typedef struct guidance_filter {
    const char *unit_code; /* NULL: any */
    const char *state;     /* NULL, "open" (some unit has not replied), "answered", "overdue" */
    int64_t limit;         /* 0: 100, at most 1000 */
    int64_t offset;
} guidance_filter;

/* {total, items: [opinion]} of the opinions addressed to a unit in scope (a
 * supervisor: also those of its cell), newest first. An opinion: id,
 * cell_id (null: the bureau), issuer (cell name or "区审计局"), subject,
 * due_date, created_by, created_at, units (addressed), answered, overdue
 * (units that have not replied and the due date has passed, as of
 * ag_clock_today), state ("answered" when every unit replied, "overdue" when
 * some unit is overdue, else "open"). Counts are over the units the scope
 * sees; a NULL scope sees every unit. Caller owns *out. */
ag_err guidance_list(ag_store *st, const ag_scope *scope, const guidance_filter *f, json_t **out,
                     ag_error *err);

/* One opinion as in the list plus body, attachments and targets [{unit_code,
 * unit_name, reply, replied_by, replied_at, state ("replied", "late" replied
 * after the due date, "waiting", "overdue"), attachments}] of the units the
 * scope sees. AG_ERR_NOTFOUND when absent or not visible. */
ag_err guidance_get(ag_store *st, int64_t id, const ag_scope *scope, json_t **out, ag_error *err);

/* Writes the 提醒 of overdue opinions: for every addressed unit that has not
 * replied by the due date (before today), one notification (kind
 * "guidance_overdue", opinion_id set) to the unit's leaders (audience
 * leader, unit_code) and one to its cell's supervisor (audience supervisor,
 * cell_id) when the unit has a cell. Idempotent: a unit and opinion is
 * reminded once per audience. *count (may be NULL) receives the units
 * newly reminded. */
ag_err guidance_remind(ag_store *st, int64_t *count, ag_error *err);

/* The dashboard's block: {"overdue_opinions": N (unit × opinion pairs
 * overdue), "overdue": [{opinion_id, subject, due_date, unit_code,
 * unit_name}] (at most 20, oldest due first)} over the units in scope (NULL:
 * all). Caller owns *out. */
ag_err guidance_dashboard(ag_store *st, const ag_scope *scope, json_t **out, ag_error *err);

/* ---- supervision visits (督导检查) ------------------------------------------
 * A visit is not an audit project: it has no 审前·审中. Its findings go to
 * the unit's standing ledger of the year (audit_warning_ledger, the same one
 * warnings turned into rectification items use), so each finding becomes a
 * rectification item in the same chain (measures, claim, verification,
 * escalation, 屡审屡犯). The visit keeps the link to its findings
 * (supervision_finding). */

typedef struct guidance_visit_in {
    const char *cell_id; /* as in guidance_in: an admin may record it for this cell */
    const char *unit_code;
    const char *visit_date; /* YYYY-MM-DD, not after today */
    const char *subject;    /* 1..200 bytes */
    const char *notes;      /* optional, at most 64 KiB */
} guidance_visit_in;

/* Records a visit by the actor's department (a supervisor: its cell; admin,
 * liaison: the bureau). Same who-may rule as guidance_issue. */
ag_err guidance_visit_add(ag_store *st, const audit_actor *a, const guidance_visit_in *in,
                          int64_t *id, ag_error *err);

/* Checks that the actor may record findings of visit id (the who-may rule
 * above) and gives its unit in unit_code (32 bytes) and its date's year. */
ag_err guidance_visit_check(ag_store *st, const audit_actor *a, int64_t id, char unit_code[32],
                            int *year, ag_error *err);

/* Links finding_id to visit id (audited insert). */
ag_err guidance_visit_link(ag_store *st, int64_t id, int64_t finding_id, ag_error *err);

/* {total, items: [visit]} of the visits of units in scope, newest first: id,
 * cell_id, issuer, unit_code, unit_name, visit_date, subject, created_by,
 * created_at, findings (count). unit_code NULL: all. Caller owns *out. */
ag_err guidance_visit_list(ag_store *st, const ag_scope *scope, const char *unit_code, json_t **out,
                           ag_error *err);

/* One visit plus notes and findings [{finding_id, title, item, severity,
 * rectification_id, rect_state, deadline}]. AG_ERR_NOTFOUND when absent or
 * out of scope. */
ag_err guidance_visit_get(ag_store *st, int64_t id, const ag_scope *scope, json_t **out,
                          ag_error *err);

/* ---- the department view -----------------------------------------------------
 * Everything about the units of one cell in one answer: {cell: {id, name},
 * counts: {units, open_warnings, findings, open_rectifications,
 * overdue_rectifications, filed_submissions, open_opinions,
 * overdue_opinions}, units: [{code, name, the same counts but units}],
 * warnings: [{id, unit_code, item, rule, severity, warn_date, amount, status}]
 * (open and escalated, newest first, at most 50), findings: [{id, unit_code,
 * project_code, item, title, severity, created_at}] (newest first, at most
 * 50), rectifications: [{id, unit_code, finding_title, class, deadline,
 * state, overdue}] (not closed, earliest deadline first, at most 50),
 * submissions: [{id, kind, unit_code, unit_name, title, period, state, created_by,
 * created_at}] (filed, at most 50)}. A supervisor sees
 * its own cell (cell_id ignored); an admin or reviewer names the cell; a
 * liaison one of its cells. AG_ERR_NOTFOUND for another cell. */
ag_err guidance_department(ag_store *st, const audit_actor *a, const char *cell_id, json_t **out,
                           ag_error *err);

#endif
