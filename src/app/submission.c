/* submission.c (app) - a submission filed, decided or filed again, each as one transaction. */
#include "app/submission.h"

#include "util/banned.h"

/* Commits (or rolls back on rc) and reads submission id back into *out. */
static ag_err finish(ag_store *st, const audit_actor *a, ag_err rc, int64_t id, json_t **out,
                     ag_error *err)
{
    rc = store_end(st, rc, err);
    if (!rc && out)
        rc = submission_get(st, a, id, out, err);
    return rc;
}

ag_err app_submission_file(ag_store *st, const audit_actor *a, const submission_in *in,
                           json_t **out, ag_error *err)
{
    int64_t id = 0;
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = submission_file(st, a, in, &id, err);
    return finish(st, a, rc, id, out, err);
}

ag_err app_submission_decide(ag_store *st, const audit_actor *a, int64_t id, const char *action,
                             const char *note, json_t **out, ag_error *err)
{
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = submission_decide(st, a, id, action, note, err);
    return finish(st, a, rc, id, out, err);
}

ag_err app_submission_refile(ag_store *st, const audit_actor *a, int64_t id, const char *title,
                             const char *body, json_t **out, ag_error *err)
{
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = submission_refile(st, a, id, title, body, err);
    return finish(st, a, rc, id, out, err);
}
