/* rating.h (app) - the 0–5A grade's user actions (issue 15 §1), each one transaction with its
 * audit-log entries, for the CLI (`auditgrid rating`) and the server (/api/v1/rating/…). */
#ifndef AG_APP_RATING_H
#define AG_APP_RATING_H

#include <jansson.h>
#include <stdint.h>

#include "domain/rating.h"

/* Installs a rubric file's text as a new version (admin; rating_rubric_install)
 * and gives it as rating_rubric_get in *out (may be NULL). */
ag_err app_rating_rubric_install(ag_store *st, const audit_actor *a, const char *text, size_t len,
                                 const char *name, json_t **out, ag_error *err);

/* Saves a self-evaluation draft (rating_self_save), starting the year on first
 * use; *out (may be NULL) receives rating_unit_json as a sees it. */
ag_err app_rating_self_save(ag_store *st, const audit_actor *a, const char *unit_code, int year,
                            const rating_answer_in *answers, int nanswers,
                            const char *const *inapplicable, int ninapplicable,
                            bool set_inapplicable, json_t **out, ag_error *err);
/* Files the draft (rating_self_file); *out as above. */
ag_err app_rating_self_file(ag_store *st, const audit_actor *a, const char *unit_code, int year,
                            json_t **out, ag_error *err);
/* Attaches evidence (unowned attachments of the unit, uploaded first) to the
 * answer of point in the draft, creating the answer with score 0 when the
 * point has none yet; *out as above. */
ag_err app_rating_attach(ag_store *st, const audit_actor *a, const char *unit_code, int year,
                         const char *point, const int64_t *ids, int nids, json_t **out,
                         ag_error *err);
/* The bureau's review: accept (nadj 0) or adjust with reasons
 * (rating_review_save); *out as above. */
ag_err app_rating_review(ag_store *st, const audit_actor *a, const char *unit_code, int year,
                         const rating_adjust_in *adj, int nadj, const char *note, json_t **out,
                         ag_error *err);
/* Publishes the year (rating_publish) and gives the year object as a sees it
 * (rating_year_json) in *out (may be NULL). */
ag_err app_rating_publish(ag_store *st, const audit_actor *a, int year, json_t **out,
                          ag_error *err);

#endif
