/* audit.c (app) - a project's stage step composed with the rectification ledger, so that
 * domain/audit.c and domain/rectify.c call each other in one direction only (rectify → audit). */
#include "app/audit.h"

#include <string.h>

#include "domain/rectify.h"
#include "util/banned.h"

ag_err app_audit_advance(ag_store *st, const audit_actor *a, int64_t project_id, const char **stage,
                         ag_error *err)
{
    const char *next = NULL;
    if (stage)
        *stage = NULL;
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = audit_advance(st, a, project_id, &next, err);
    /* 审后·整改: every finding becomes an item of the rectification ledger. */
    if (!rc && next && !strcmp(next, "rectify"))
        rc = rectify_create_for_project(st, project_id, NULL, err);
    rc = store_end(st, rc, err);
    if (!rc && stage)
        *stage = next;
    return rc;
}
