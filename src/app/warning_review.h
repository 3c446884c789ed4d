/* warning_review.h (app) - the bureau turns a warning into a finding of an audit project or
 * straight into a rectification item (issue 12 §2): use cases over domain/warnings, domain/audit
 * and domain/rectify, so none of them calls another. */
#ifndef AG_APP_WARNING_REVIEW_H
#define AG_APP_WARNING_REVIEW_H

#include <jansson.h>
#include <stdint.h>

#include "domain/audit.h"
#include "store/store.h"
#include "util/error.h"

/* Records warning id as a finding of project project_id, in one
 * transaction: the warnings table must allow "to_finding" in the warning's
 * state to the actor's role (AG_ERR_DENIED otherwise); the finding takes the
 * warning's item, severity, amount and message (title: the rule's name and
 * voucher), and the warning is attached as its evidence, which makes it
 * acknowledged (已确认) naming the finding. The project's own rules apply as
 * in audit_finding_add (stage 审中, item in its scope, team or admin).
 * *finding_id (may be NULL) receives the new finding's id, *out (may be
 * NULL) the updated warning. Caller owns *out. */
ag_err app_warning_to_finding(ag_store *st, const audit_actor *a, int64_t id, int64_t project_id,
                              int64_t *finding_id, json_t **out, ag_error *err);

/* Turns warning id straight into a rectification item (issue 12 §2),
 * without an audit's 审前·审中, in one transaction: the warnings table must
 * allow "to_rectification" to the actor's role (admin; AG_ERR_DENIED
 * otherwise) and the warning may not already be evidence of a finding
 * (AG_ERR_EXISTS). The item belongs to the unit's standing ledger of the
 * year (audit_warning_ledger, created on first use): a finding made as in
 * app_warning_to_finding, of class rect_class (immediate, phased or
 * continuous; NULL: immediate), whose item gets the class's default
 * deadline; the warning becomes 已确认 naming it. *rect_id (may be NULL)
 * receives the item's id, *out (may be NULL) the updated warning. Caller
 * owns *out. */
ag_err app_warning_to_rectification(ag_store *st, const audit_actor *a, int64_t id,
                                    const char *rect_class, int64_t *rect_id, json_t **out,
                                    ag_error *err);

#endif
