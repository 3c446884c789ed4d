/* guidance.h (app) - the department's guidance and supervision as use cases (issue 14 §2): each
 * owns its transaction and audit-log entries, for the CLI and the server alike. */
#ifndef AG_APP_GUIDANCE_H
#define AG_APP_GUIDANCE_H

#include <jansson.h>
#include <stdint.h>

#include "domain/guidance.h"

/* guidance_issue in one transaction; *out (may be NULL) the opinion as the
 * actor sees it (guidance_get). Caller owns *out. */
ag_err app_guidance_issue(ag_store *st, const audit_actor *a, const guidance_in *in, json_t **out,
                          ag_error *err);

/* guidance_reply in one transaction; *out (may be NULL) the opinion after it. */
ag_err app_guidance_reply(ag_store *st, const audit_actor *a, int64_t id, const char *unit_code,
                          const char *reply, const int64_t *attachment_ids, int nattachments,
                          json_t **out, ag_error *err);

/* guidance_remind in one transaction (the server runs it with the daily
 * escalation; the CLI's `guidance remind`). */
ag_err app_guidance_remind(ag_store *st, int64_t *count, ag_error *err);

/* guidance_visit_add in one transaction; *out (may be NULL) the visit. */
ag_err app_guidance_visit_add(ag_store *st, const audit_actor *a, const guidance_visit_in *in,
                              json_t **out, ag_error *err);

/* A finding of supervision visit visit_id, in one transaction: the actor may
 * record it (guidance_visit_check); the finding goes to the unit's standing
 * ledger of the visit's year (audit_warning_ledger, opened on first use) with
 * the checks of audit_ledger_finding_add, becomes a rectification item with
 * its class's default deadline (rectify_create_for_project) and is linked to
 * the visit. The standing ledger is the bureau's: the department's right to
 * record the finding is checked here, and the ledger's steps run with the
 * bureau's authority under the actor's name, which the audit log keeps.
 * *rect_id (may be NULL) receives the item, *out (may be NULL) the visit. */
ag_err app_guidance_visit_finding(ag_store *st, const audit_actor *a, int64_t visit_id,
                                  const audit_finding_in *in, int64_t *rect_id, json_t **out,
                                  ag_error *err);

#endif
