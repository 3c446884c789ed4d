/* audit.h (app) - the audit project's steps that reach beyond the project: advancing a stage, with
 * the rectification ledger it opens. */
#ifndef AG_APP_AUDIT_H
#define AG_APP_AUDIT_H

#include "domain/audit.h"
#include "store/store.h"
#include "util/error.h"

/* Moves the project to its next stage (audit_advance: the missing records,
 * the team lead or admin); entering "rectify" also creates one rectification
 * item per finding (rectify_create_for_project). One transaction: both or
 * neither. *stage as audit_advance (may be NULL). */
ag_err app_audit_advance(ag_store *st, const audit_actor *a, int64_t project_id, const char **stage,
                         ag_error *err);

#endif
