/* crossaudit.h (app) - the cross-audit round's user actions (交叉互审): plan, edit an
 * assignment, publish, show, sign a 回避声明; each one transaction with its audit-log entries. */
#ifndef AG_APP_CROSSAUDIT_H
#define AG_APP_CROSSAUDIT_H

#include <jansson.h>

#include "domain/crossaudit.h"

/* Plans round in and stores the draft (xa_round_plan). *reasons (may be NULL) receives the
 * reasons of an infeasible round ([] otherwise; caller owns it), *round_id its id. All or
 * nothing. */
ag_err app_xa_plan(ag_store *st, const xa_round_in *in, int64_t *round_id, json_t **reasons,
                   ag_error *err);
/* Edits one assignment of a draft (xa_round_assign), re-checked; all or nothing. */
ag_err app_xa_assign(ag_store *st, const char *round, const char *audited, const char *auditor_unit,
                     const int64_t *team, int nteam, ag_error *err);
/* Publishes the round: its projects, teams and notices (xa_round_publish); all or nothing. */
ag_err app_xa_publish(ag_store *st, const audit_actor *a, const char *round, int *projects,
                      ag_error *err);
/* The round as xa_round_get. */
ag_err app_xa_show(ag_store *st, const char *name, int64_t id, bool full, json_t **out,
                   ag_error *err);
/* Records a member's 回避声明 (xa_declare). */
ag_err app_xa_declare(ag_store *st, const audit_actor *a, int64_t project_id, int64_t person_id,
                      const char *statement, ag_error *err);

#endif
