/* rectify.h - the rectification ledger (整改台账): items to closure, overdue, escalation. */
#ifndef AG_RECTIFY_H
#define AG_RECTIFY_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/audit.h"
#include "domain/scope.h"
#include "store/store.h"

/* States: open 未整改, in_progress 整改中, claimed 已整改 (claimed by the unit,
 * awaiting verification), continuous 持续整改 (verified as long-term work,
 * still tracked), closed 已销号. Overdue (逾期) is derived: deadline before
 * today in state open or in_progress. */
extern const char *const rectify_states[];
extern const int rectify_state_count;
/* Chinese names of a state (未整改 … 已销号) and of a class (立行立改,
 * 分阶段整改, 持续整改); an unknown code is returned as it is, NULL as "". */
const char *rectify_state_zh(const char *state);
const char *rectify_class_zh(const char *rect_class);

/* Default deadline in days after the final report, per class; the bureau
 * can change them (setting keys "rectify.days.immediate", ".phased",
 * ".continuous"). Built-in: immediate 30, phased 180, continuous 365. */
ag_err rectify_deadline_days(ag_store *st, const char *rect_class, int *days, ag_error *err);
/* Sets one class's default (1..1095 days). Admin only (checked by callers
 * of http/cli); audited. */
ag_err rectify_set_deadline_days(ag_store *st, const char *rect_class, int days, ag_error *err);
/* {"immediate": n, "phased": n, "continuous": n}. Caller owns *out. */
ag_err rectify_deadline_settings(ag_store *st, json_t **out, ag_error *err);

/* Creates one item per finding of the project that has none, with the
 * finding's class and deadline = today + the class's days. Called by
 * app_audit_advance inside its transaction; *created may be NULL. */
ag_err rectify_create_for_project(ag_store *st, int64_t project_id, int64_t *created,
                                  ag_error *err);

/* The rectification item of finding_id into *id, 0 when it has none. */
ag_err rectify_of_finding(ag_store *st, int64_t finding_id, int64_t *id, ag_error *err);

/* The audited unit's side. Allowed: admin; leader, auditor or
 * chief_auditor whose scope contains the item's unit (but not a mere team
 * member from another unit). Only while the project is in "rectify".
 * rectify_set_measures: the measures (整改措施); in state open or
 * in_progress. rectify_progress: a progress note (进展), open → in_progress.
 * rectify_claim: completion claimed with a result text (整改结果) and at
 * least one evidence attachment among attachment_ids or earlier events;
 * open/in_progress → claimed. attachment_ids (may be NULL) are unowned
 * attachments of the unit; they become owned by the new event.
 * Progress is also taken in state continuous (long-term work keeps
 * reporting; the state stays continuous); refused in claimed and closed.
 * Refusals, for these and the team's functions below: AG_ERR_NOTFOUND for
 * an item that is missing or neither in the actor's scope nor on its team
 * (the same message), AG_ERR_DENIED for a wrong role (a reviewer never
 * writes), AG_ERR_INPUT for a wrong state, a project outside "rectify" or
 * bad input. Each call is one transaction: a refusal writes nothing. */
ag_err rectify_set_measures(ag_store *st, const audit_actor *a, int64_t id, const char *measures,
                            ag_error *err);
ag_err rectify_progress(ag_store *st, const audit_actor *a, int64_t id, const char *text,
                        const int64_t *attachment_ids, int nattachments, ag_error *err);
ag_err rectify_claim(ag_store *st, const audit_actor *a, int64_t id, const char *result,
                     const int64_t *attachment_ids, int nattachments, ag_error *err);

/* The audit team's verification of a claimed item (admin or a team member):
 * decision "close" (销号: claimed → closed), "reopen" (claimed → in_progress,
 * note required) or "continuous" (claimed → continuous, only for class
 * phased or continuous; note required). The independence table of the
 * project's kind (audit_independence_of) decides who verifies, each refusal
 * AG_ERR_DENIED naming its rule: never the actor who made the claim; in
 * every kind but a self-check never the audited unit — an actor who owns the
 * item's unit (scope_unit_owned) or whose person is of the unit or its SOE
 * group (audit_person_relation), even when on the team; and only a team
 * member or the bureau (admin). A self-check's team is the unit's own
 * internal audit: there the team verifies, the claimer excepted. Reopening
 * clears the claim (result, claimed_by/at); the claim stays in the events. */
ag_err rectify_verify(ag_store *st, const audit_actor *a, int64_t id, const char *decision,
                      const char *note, ag_error *err);

/* Moves the deadline (admin or the team lead), with a reason; clears the
 * escalation so a new overdue escalates again. The deadline is YYYY-MM-DD,
 * not before today; any state but closed. */
ag_err rectify_set_deadline(ag_store *st, const audit_actor *a, int64_t id, const char *deadline,
                            const char *reason, ag_error *err);

/* Escalates every overdue item (as of today, ag_clock) not escalated since
 * its deadline: one notification to the unit's principal leader (audience
 * leader, person_id of the 主要负责人) and one to its supervisor (audience
 * supervisor, the unit's cell), a rect_event "escalate", escalated_at set.
 * Idempotent. *count (may be NULL) receives the items escalated.
 * Notifications have kind "overdue". As UNIQUE (audience, rect_id, kind)
 * allows one row per audience and item, a re-escalation (after a deadline
 * move) rewrites that row with the new message, time and read_at NULL
 * instead of adding one; rect_event keeps every escalation. A unit
 * without a recorded principal gets the leader row with person_id NULL. */
ag_err rectify_escalate(ag_store *st, int64_t *count, ag_error *err);

typedef struct rectify_filter {
    const char *unit_code;
    int64_t project_id; /* 0: any */
    const char *state;  /* one of rectify_states, or "overdue" */
    const char *cell_id;
    int64_t limit; /* 0: 100; -1: no limit (exports) */
    int64_t offset;
} rectify_filter;

/* {total, items: [...]} of the items in scope (NULL: all), by deadline. Each
 * item is one row of the ledger as auditors keep it: id, finding_id,
 * project_id, project_code, project_name, notice_no (doc_no of the project's
 * notice record or null), unit_code, unit_name, cell_id, item, title,
 * amount (fen), basis, class, measures, deadline, state, overdue (bool),
 * days_overdue, responsible, progress (latest progress text or null),
 * result, evidence_count, evidence [file names], repeat (bool), repeat_of,
 * escalated_at, claimed_at, verified_by, verified_at, closed_at. Caller
 * owns *out. */
ag_err rectify_list(ag_store *st, const rectify_filter *f, const ag_scope *scope, json_t **out,
                    ag_error *err);

/* One item as in rectify_list plus description, recommendation, severity,
 * principal (name of the unit's 主要负责人 or null), team_lead (name or
 * null), and events [{id, kind, body, created_by, created_at, attachments:
 * [{id, filename, mime, bytes, sha256}]}].
 * AG_ERR_NOTFOUND when absent or out of scope. */
ag_err rectify_get(ag_store *st, int64_t id, const ag_scope *scope, json_t **out, ag_error *err);

/* ---- the state machine (issue 13 §4): one table, served to the web UI ---- */

/* Who may take an action: the audited unit's side, the team's verifier
 * (with the independence rules), the team lead. Admin may take every one. */
typedef enum rectify_side {
    RECTIFY_SIDE_UNIT,
    RECTIFY_SIDE_VERIFY,
    RECTIFY_SIDE_LEAD
} rectify_side;

/* One row: in state `from` action `action` leads to state `to`. */
typedef struct rectify_transition {
    const char *from, *action, *to;
    rectify_side side;
} rectify_transition;

extern const rectify_transition rectify_transitions[];
extern const int rectify_transition_count;

/* The actions the actor may take on item id now, in the table's order:
 * [{"action": "claim", "label": "申报整改完成", "label_en": "…", "next": "claimed"}, …];
 * empty outside the 审后·整改 stage and for a reviewer. Caller owns *out. */
ag_err rectify_actions(ag_store *st, const audit_actor *a, int64_t id, json_t **out, ag_error *err);

/* Counts for dashboards over the units in scope: {"open": n, "overdue": n,
 * "claimed": n, "closed": n, "continuous": n, "by_unit": {code: {"open": n,
 * "overdue": n}}}. "open" counts open and in_progress (not yet claimed);
 * by_unit has every unit with an item in scope. Caller owns *out. */
ag_err rectify_summary(ag_store *st, const ag_scope *scope, json_t **out, ag_error *err);

/* Notifications for the scope: a leader sees its unit's "leader" ones, a
 * supervisor its cell's "supervisor" ones, a liaison those of its cells, an
 * auditor those of its unit, a chief auditor those of its unit and the
 * units under it, admin and reviewer all. {total, unread, items: [{id,
 * audience, unit_code, unit_name, kind, rect_id, project_id, person_name,
 * message_zh, message_en, created_at, read_at}]}, newest first; read_at is
 * null while unread. With unread_only the items and total are the unread
 * ones; unread always counts every unread one in scope. limit: 0 is 100,
 * -1 no limit. Caller owns *out. */
ag_err rectify_notifications(ag_store *st, const ag_scope *scope, int64_t limit, bool unread_only,
                             json_t **out, ag_error *err);

/* One notification as in rectify_notifications, as the scope (NULL: all)
 * sees it; AG_ERR_NOTFOUND when missing or out of scope (the same message).
 * Caller owns *out. */
ag_err rectify_notification_get(ag_store *st, int64_t id, const ag_scope *scope, json_t **out,
                                ag_error *err);

/* Marks notification id read (read_at = now, ag_clock), audited, in its
 * own transaction. Only one the actor sees by the rule of
 * rectify_notifications, else AG_ERR_NOTFOUND (the message of a missing
 * one); a reviewer reads only (AG_ERR_DENIED). One already read is left as
 * it is (AG_OK, nothing written). A re-escalation (rectify_escalate) makes
 * it unread again. */
ag_err rectify_notification_read(ag_store *st, const audit_actor *a, int64_t id, ag_error *err);

#endif
