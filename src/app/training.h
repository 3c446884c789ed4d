/* training.h (app) - recording training sessions and their attendance (业务培训、岗位练兵技术比武).
 */
#ifndef AG_APP_TRAINING_H
#define AG_APP_TRAINING_H

#include <stdint.h>

#include "domain/audit.h"
#include "domain/training.h"
#include "store/store.h"
#include "util/error.h"

#define APP_TRAINING_MAX_ATTENDEES 500

/* One attendee: a person, with a score in tenths (0..1000) at a competition
 * or -1 for none. */
typedef struct app_training_attendee {
    int64_t person_id;
    int64_t score_tenths;
} app_training_attendee;

/* Adds a session and its attendees (may be none), all or nothing. Allowed:
 * admin (AG_ERR_DENIED otherwise). *id receives the session's id (may be
 * NULL). */
ag_err app_training_add(ag_store *st, const audit_actor *a, const training_session_in *in,
                        const app_training_attendee *att, int n, int64_t *id, ag_error *err);

/* Records the attendance (and scores) of session_id, all or nothing.
 * Allowed: admin. */
ag_err app_training_attend(ag_store *st, const audit_actor *a, int64_t session_id,
                           const app_training_attendee *att, int n, ag_error *err);

#endif
