/* assess.h (app) - the performance assessment's actions (issue 15 §2), each one transaction with
 * its audit-log entries, for the CLI (`auditgrid assess`) and the server (/api/v1/assess/…). */
#ifndef AG_APP_ASSESS_H
#define AG_APP_ASSESS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/assess.h"

/* Installs rubric text as a new version (assess_rubric_install, all or nothing; the admin only:
 * AG_ERR_DENIED otherwise); *version receives the version in force. */
ag_err app_assess_rubric_install(ag_store *st, const audit_actor *a, const char *text, size_t len,
                                 const char *source, int64_t *version, ag_error *err);
/* Saves the self-assessment draft (assess_self_save) and gives the unit's object
 * (assess_unit_json) in *out (may be NULL). Caller owns *out. */
ag_err app_assess_self_save(ag_store *st, const audit_actor *a, const char *unit_code, int year,
                            const assess_item_in *items, int n, json_t **out, ag_error *err);
/* Submits the self-assessment (assess_self_submit); *out as above. */
ag_err app_assess_self_submit(ag_store *st, const audit_actor *a, const char *unit_code, int year,
                              json_t **out, ag_error *err);
/* A department's or the bureau's review (assess_review); *out as above. */
ag_err app_assess_review(ag_store *st, const audit_actor *a, const char *unit_code, int year,
                         const char *stage, const assess_item_in *items, int n, const char *note,
                         json_t **out, ag_error *err);
/* Publishes the year (assess_publish) and gives the year object (assess_year_json, as a sees
 * it) in *out (may be NULL). */
ag_err app_assess_publish(ag_store *st, const audit_actor *a, int year, json_t **out,
                          ag_error *err);

#endif
