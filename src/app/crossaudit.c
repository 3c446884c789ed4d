/* crossaudit.c (app) - the cross-audit round's user actions, each in its own transaction. */
#include "app/crossaudit.h"

#include "util/banned.h"

/* Commits rc's transaction, or rolls it back on failure. */
static ag_err done(ag_store *st, ag_err rc, ag_error *err)
{
    return store_end(st, rc, err);
}

ag_err app_xa_plan(ag_store *st, const xa_round_in *in, int64_t *round_id, json_t **reasons,
                   ag_error *err)
{
    json_t *why = NULL;
    ag_err rc = store_begin(st, err);
    if (!rc)
        rc = done(st, xa_round_plan(st, in, round_id, &why, err), err);
    if (!why)
        why = json_array();
    if (reasons)
        *reasons = why;
    else
        json_decref(why);
    return rc;
}

ag_err app_xa_assign(ag_store *st, const char *round, const char *audited, const char *auditor_unit,
                     const int64_t *team, int nteam, ag_error *err)
{
    ag_err rc = store_begin(st, err);
    if (!rc)
        rc = done(st, xa_round_assign(st, round, audited, auditor_unit, team, nteam, err), err);
    return rc;
}

ag_err app_xa_publish(ag_store *st, const audit_actor *a, const char *round, int *projects,
                      ag_error *err)
{
    ag_err rc = store_begin(st, err);
    if (!rc)
        rc = done(st, xa_round_publish(st, a, round, projects, err), err);
    return rc;
}

ag_err app_xa_show(ag_store *st, const char *name, int64_t id, bool full, json_t **out,
                   ag_error *err)
{
    return xa_round_get(st, name, id, full, out, err);
}

ag_err app_xa_declare(ag_store *st, const audit_actor *a, int64_t project_id, int64_t person_id,
                      const char *statement, ag_error *err)
{
    ag_err rc = store_begin(st, err);
    if (!rc)
        rc = done(st, xa_declare(st, a, project_id, person_id, statement, err), err);
    return rc;
}
