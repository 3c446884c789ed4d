/* liaison.h - the grid liaison's cadence (网格指导员, issue 14 §5): contact and visit logs per
 * unit, the bureau's cadence, the units whose cadence slipped and their reminders in 提醒. */
#ifndef AG_LIAISON_H
#define AG_LIAISON_H

#include <jansson.h>
#include <stdint.h>

#include "domain/audit.h"
#include "store/store.h"
#include "util/error.h"

/* The defaults of the cadence: a contact (联系) every month, a visit (走访) every quarter. */
#define LIAISON_CONTACT_DAYS 30
#define LIAISON_VISIT_DAYS   90
#define LIAISON_MAX_DAYS     366

/* The bureau's cadence in days, kept in the setting table. A unit is due for
 * a contact contact_days after its last contact or visit (a visit is also a
 * contact), for a visit visit_days after its last visit; a unit never logged
 * counts from the day it was registered. Slipped (逾期) the day after. */
typedef struct liaison_cadence {
    int contact_days;
    int visit_days;
} liaison_cadence;

/* The cadence in force into *c (the defaults while the bureau set none). */
ag_err liaison_cadence_get(ag_store *st, liaison_cadence *c, ag_error *err);
/* Sets the members of c that are not 0 (1-366 days each; all or nothing:
 * one out of range changes none, naming contact_days or visit_days). Writes
 * through the audited store; the caller owns the transaction. */
ag_err liaison_cadence_set(ag_store *st, const liaison_cadence *c, ag_error *err);
/* {contact_days, visit_days, default: {contact_days, visit_days}}. Caller owns it. */
json_t *liaison_cadence_json(const liaison_cadence *c);

/* One log entry. Strings are borrowed for the call. */
typedef struct liaison_log_in {
    const char *unit_code;
    const char *date;      /* YYYY-MM-DD, not after today; NULL: today */
    const char *kind;      /* contact | visit, or 联系 | 走访 */
    const char *person;    /* whom the liaison spoke to or met at the unit (required) */
    const char *notes;     /* may be NULL */
    const char *followups; /* 后续事项, may be NULL */
} liaison_log_in;

/* Records a contact or visit at in->unit_code by a: the admin, or a liaison
 * whose scope holds the unit (AG_ERR_DENIED for other roles; a unit out of
 * scope is AG_ERR_NOTFOUND like a missing one). The reminders in 提醒 that the
 * log answers (contact: both kinds for a visit) are marked read. Fields at
 * fault are named: unit_code, date, kind, person, notes, followups. *id (may
 * be NULL) receives the new entry. The caller owns the transaction. */
ag_err liaison_log_add(ag_store *st, const audit_actor *a, const liaison_log_in *in, int64_t *id,
                       ag_error *err);
/* One entry {id, unit_code, unit_name, cell_id, date, kind, kind_zh, person,
 * notes, followups, created_by, created_at} as scope (NULL: all) may see it;
 * AG_ERR_NOTFOUND otherwise. Caller owns *out. */
ag_err liaison_log_get(ag_store *st, int64_t id, const ag_scope *scope, json_t **out,
                       ag_error *err);

/* Filters of liaison_log_list; NULL/0 do not filter. */
typedef struct liaison_filter {
    const char *unit_code;
    const char *kind; /* contact | visit (联系 | 走访) */
    int64_t limit;    /* <= 0: 100 */
    int64_t offset;
} liaison_filter;
/* The entries in scope, newest first: {total, items: [entries as above]}.
 * An unknown kind is AG_ERR_INPUT. Caller owns *out. */
ag_err liaison_log_list(ag_store *st, const liaison_filter *f, const ag_scope *scope, json_t **out,
                        ag_error *err);

/* The to-do list as of day `today` (date.h day number) over the active
 * units of a cell in scope (cell_id NULL: every cell): {today, cadence,
 * units, total, items: [{unit_code, unit_name, cell_id, cell_name, kind,
 * kind_zh, last, due, days_overdue}]} with one item per unit and kind whose
 * cadence slipped, most overdue first; last is null for a unit never
 * logged; units counts the distinct units. Caller owns *out. */
ag_err liaison_todo(ag_store *st, const ag_scope *scope, const char *cell_id, int32_t today,
                    json_t **out, ag_error *err);
/* The dashboard's figures: {contact, visit, units} slipped as of today. */
ag_err liaison_figures(ag_store *st, const ag_scope *scope, int32_t today, json_t **out,
                       ag_error *err);

/* Writes a reminder to 提醒 (audience bureau, with the unit and its cell, so
 * the cell's liaison sees it) for every slip of the whole district as of
 * today that has none yet: one per unit, kind and due date, so a second run
 * adds nothing. *created counts the new ones. The caller owns the transaction. */
ag_err liaison_remind(ag_store *st, int32_t today, int64_t *created, ag_error *err);

/* "联系" / "走访" for contact / visit; anything else as it is. */
const char *liaison_kind_zh(const char *kind);

#endif
