/* iabody.h (app) - recording a unit's internal-audit body, supervising leader and working group. */
#ifndef AG_APP_IABODY_H
#define AG_APP_IABODY_H

#include "domain/audit.h"
#include "domain/iabody.h"
#include "store/store.h"
#include "util/error.h"

/* Records the unit's set-up (iabody_set). Allowed: admin, or the unit's own
 * leader, internal auditor or chief auditor (scope_unit_owned); AG_ERR_DENIED
 * otherwise, AG_ERR_NOTFOUND for a unit outside the actor's scope. One
 * transaction. */
ag_err app_iabody_set(ag_store *st, const audit_actor *a, const char *unit_code,
                      const iabody_in *in, ag_error *err);

#endif
