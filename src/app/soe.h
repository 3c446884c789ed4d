/* soe.h (app) - the chief-auditor system's user actions: appointing a group's chief auditor,
 * planning an audit of a subsidiary, filing the quarterly report to the state-assets cell. */
#ifndef AG_APP_SOE_H
#define AG_APP_SOE_H

#include <stdint.h>

#include "domain/audit.h"
#include "domain/soe.h"
#include "store/store.h"
#include "util/error.h"

/* Registers a group's chief auditor (soe_chief_set). Allowed: admin
 * (AG_ERR_DENIED otherwise). One transaction. */
ag_err app_soe_chief_set(ag_store *st, const audit_actor *a, const soe_chief_in *in, ag_error *err);

/* Plans an audit of a subsidiary of the group through the audit workflow: a
 * project (kind self_check unless in->kind says otherwise: the group's own
 * internal audit) on in->unit_code, which must be the group or one of its
 * subsidiaries (AG_ERR_INPUT naming "unit_code"), led by the chief auditor
 * (the actor's person, or for an admin the group's appointed chief auditor
 * when there is one). Allowed: admin, or the chief auditor of this group.
 * One transaction; *id receives the project's id (may be NULL). */
ag_err app_soe_plan_audit(ag_store *st, const audit_actor *a, const char *group_code,
                          const audit_project_in *in, int64_t *id, ag_error *err);

/* Files the group's quarterly report (period "YYYYQn", title, body) as a
 * submission of kind "soe_quarterly" addressed to the state-assets cell
 * (soe_state_assets_cell). Allowed: admin, or the chief auditor of this
 * group. One transaction; *id receives the submission's id (may be NULL). */
ag_err app_soe_file_quarterly(ag_store *st, const audit_actor *a, const char *group_code,
                              const char *period, const char *title, const char *body, int64_t *id,
                              ag_error *err);

#endif
