/* training.c (app) - a training session and its attendance recorded all or nothing. */
#include "app/training.h"

#include "util/banned.h"

/* The attendance of one session, inside the caller's transaction. */
static ag_err attend_all(ag_store *st, int64_t session_id, const app_training_attendee *att, int n,
                         ag_error *err)
{
    if (n < 0 || n > APP_TRAINING_MAX_ATTENDEES)
        return ag_fail(err, AG_ERR_INPUT, "attendees", "一次至多登记 %d 名参训人员",
                       "at most %d attendees at once", APP_TRAINING_MAX_ATTENDEES);
    ag_err rc = AG_OK;
    for (int i = 0; !rc && i < n; i++)
        rc = training_attend(st, session_id, att[i].person_id, att[i].score_tenths, err);
    return rc;
}

static ag_err admin_only(const audit_actor *a, ag_error *err)
{
    if (a->scope.role == AG_ROLE_ADMIN)
        return AG_OK;
    return ag_fail(err, AG_ERR_DENIED, "role", "只有区审计局管理员可以登记培训",
                   "only the bureau's admin records training");
}

/* The one path of both use cases: a new session (in not NULL) or session_id, then its attendance,
 * in one transaction. */
static ag_err record(ag_store *st, const audit_actor *a, const training_session_in *in,
                     int64_t session_id, const app_training_attendee *att, int n, int64_t *id,
                     ag_error *err)
{
    ag_err rc = admin_only(a, err);
    if (!rc)
        rc = store_begin(st, err);
    if (rc)
        return rc;
    if (in)
        rc = training_session_add(st, in, &session_id, err);
    if (!rc)
        rc = attend_all(st, session_id, att, n, err);
    if (!rc)
        rc = store_commit(st, err);
    else
        store_rollback(st);
    if (!rc && id)
        *id = session_id;
    return rc;
}

ag_err app_training_add(ag_store *st, const audit_actor *a, const training_session_in *in,
                        const app_training_attendee *att, int n, int64_t *id, ag_error *err)
{
    return record(st, a, in, 0, att, n, id, err);
}

ag_err app_training_attend(ag_store *st, const audit_actor *a, int64_t session_id,
                           const app_training_attendee *att, int n, ag_error *err)
{
    return record(st, a, NULL, session_id, att, n, NULL, err);
}
