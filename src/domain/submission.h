/* submission.h - a unit's filings (报送) to its competent department or the bureau, accepted or
 * returned with a note (issue 14 §2); generic over the kind of thing filed. */
#ifndef AG_SUBMISSION_H
#define AG_SUBMISSION_H

#include <jansson.h>
#include <stdint.h>

#include "domain/audit.h"
#include "store/store.h"
#include "util/error.h"

/* A submission's life is one table (submission_transitions): it is filed in
 * state "filed" (已报送); the addressee accepts it ("accept" → "accepted" 已采纳)
 * or returns it with a note ("return" → "returned" 已退回); a returned one may be
 * filed again by its unit ("refile" → "filed"), which keeps its history.
 *
 * Who it goes to (its addressee): a grid cell (the competent department or the
 * state-assets cell, e.g. "CELL-SOE", decided by its supervisor) or, with no
 * cell, the bureau (decided by an admin). An admin may decide any submission.
 *
 * Kinds are free text codes of at most 32 ASCII letters, digits and '_' chosen
 * by the caller: 'soe_quarterly' (国企总审计师季度报告, issue 14 §3),
 * 'annual_plan' (年度内审计划, issue 16), 'guidance_reply' is NOT one of them
 * (guidance replies have their own table). submission_kind_zh names the known
 * ones; others are shown as they are. */

/* States and actions, as stored and as the API spells them. */
extern const char *const submission_states[]; /* "filed", "accepted", "returned" */
extern const int submission_state_count;

typedef struct submission_transition {
    const char *from, *action, *to;
    const char *who; /* "addressee" (the cell's supervisor, the bureau's admin) or "unit" */
} submission_transition;
extern const submission_transition submission_transitions[];
extern const int submission_transition_count;

/* Chinese names of a state ("已报送") and of a known kind ("国企总审计师季度报告"); an
 * unknown code is returned as it is, NULL as "". */
const char *submission_state_zh(const char *state);
const char *submission_kind_zh(const char *kind);

/* A submission to file. unit_code: the filing unit. to_cell: the addressed
 * cell id, NULL or "" for the bureau. period: what it covers, free text such
 * as "2026Q3" or "2026" (optional, at most 32 bytes). title (1..200 bytes)
 * and body (at most 64 KiB) are the content; ref_kind/ref_id may name a
 * record the submission is about (e.g. "report", 12), both or neither.
 * attachment_ids (may be NULL/0): attachments of the filing unit not yet
 * attached to anything; they become owned by the submission. */
typedef struct submission_in {
    const char *kind;
    const char *unit_code;
    const char *to_cell;
    const char *period;
    const char *title;
    const char *body;
    const char *ref_kind;
    int64_t ref_id;
    const int64_t *attachment_ids;
    int nattachments;
} submission_in;

/* Files a submission (audited insert; the caller owns the transaction).
 * Allowed: admin; leader, auditor or chief_auditor acting for unit_code
 * (scope_unit_owned). AG_ERR_DENIED otherwise; AG_ERR_NOTFOUND for a unit or
 * cell that does not exist or is out of scope; AG_ERR_INPUT for a bad field,
 * naming it (kind, title, period, body, to_cell). *id receives the new id
 * (may be NULL). */
ag_err submission_file(ag_store *st, const audit_actor *a, const submission_in *in, int64_t *id,
                       ag_error *err);

/* Decides submission id: action "accept" or "return" (a "return" needs a
 * note, AG_ERR_INPUT naming "note" otherwise; an "accept" note is optional).
 * Allowed: admin; the supervisor whose cell is the addressee (AG_ERR_DENIED
 * otherwise). Only from state "filed" (AG_ERR_INPUT naming the state).
 * Records decided_by, decided_at and the note (audited update). */
ag_err submission_decide(ag_store *st, const audit_actor *a, int64_t id, const char *action,
                         const char *note, ag_error *err);

/* Files a returned submission again (its unit or admin): new title/body when
 * not NULL, back to "filed", the earlier decision kept in its history. */
ag_err submission_refile(ag_store *st, const audit_actor *a, int64_t id, const char *title,
                         const char *body, ag_error *err);

typedef struct submission_filter {
    const char *state;     /* NULL: any */
    const char *kind;      /* NULL: any */
    const char *unit_code; /* NULL: any */
    const char *to_cell;   /* NULL: any; "" : addressed to the bureau */
    int64_t limit;         /* 0: 100, at most 1000 */
    int64_t offset;
} submission_filter;

/* {total, counts: {filed, accepted, returned}, items: [submission]} of the
 * submissions the scope sees: those of its units, and for a supervisor also
 * those addressed to its cell. A submission: id, kind, kind_zh, unit_code,
 * unit_name, to_cell (or null), to_name (cell name or "审计局"), period,
 * title, state, state_zh, created_by, created_at, decided_by, decided_at, note,
 * ref_kind, ref_id, actions (what this scope may do now: ["accept","return"]
 * or ["refile"] or []). Newest first. Caller owns *out. */
ag_err submission_list(ag_store *st, const audit_actor *a, const submission_filter *f, json_t **out,
                       ag_error *err);

/* One submission as in the list plus body, attachments [{id, filename, bytes,
 * mime}] and history [{action, note, created_by, created_at}]. AG_ERR_NOTFOUND when absent or
 * not visible to the scope. Caller owns *out. */
ag_err submission_get(ag_store *st, const audit_actor *a, int64_t id, json_t **out, ag_error *err);

#endif
