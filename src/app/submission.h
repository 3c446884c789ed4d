/* submission.h (app) - filing a submission and deciding it, each one transaction with its
 * audit-log entries, for the CLI and the server alike (issue 14 §2). */
#ifndef AG_APP_SUBMISSION_H
#define AG_APP_SUBMISSION_H

#include <jansson.h>
#include <stdint.h>

#include "domain/submission.h"

/* submission_file in its own transaction; *out (may be NULL) receives the
 * filed submission as submission_get shows it. Caller owns *out. */
ag_err app_submission_file(ag_store *st, const audit_actor *a, const submission_in *in,
                           json_t **out, ag_error *err);

/* submission_decide ("accept" or "return" with a note) in its own
 * transaction; *out (may be NULL) the submission as it then stands. */
ag_err app_submission_decide(ag_store *st, const audit_actor *a, int64_t id, const char *action,
                             const char *note, json_t **out, ag_error *err);

/* submission_refile in its own transaction; *out (may be NULL) as above. */
ag_err app_submission_refile(ag_store *st, const audit_actor *a, int64_t id, const char *title,
                             const char *body, json_t **out, ag_error *err);

#endif
