/* liaison.c (app) - the grid liaison's log, the bureau's cadence and the daily reminders, each
 * in its own transaction. */
#include "app/liaison.h"

#include "util/clock.h"
#include "util/banned.h"

/* Commits rc's work or rolls it back, releasing *out on failure. */
static ag_err finish(ag_store *st, ag_err rc, json_t **out, ag_error *err)
{
    rc = store_end(st, rc, err);
    if (rc && out) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

ag_err app_liaison_log(ag_store *st, const audit_actor *a, const liaison_log_in *in, json_t **out,
                       ag_error *err)
{
    if (out)
        *out = NULL;
    int64_t id = 0;
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = liaison_log_add(st, a, in, &id, err);
    if (!rc && out)
        rc = liaison_log_get(st, id, &a->scope, out, err);
    return finish(st, rc, out, err);
}

ag_err app_liaison_set_cadence(ag_store *st, const liaison_cadence *c, json_t **out, ag_error *err)
{
    if (out)
        *out = NULL;
    liaison_cadence now;
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = liaison_cadence_set(st, c, err);
    if (!rc)
        rc = liaison_cadence_get(st, &now, err);
    if (!rc && out)
        *out = liaison_cadence_json(&now);
    return finish(st, rc, out, err);
}

ag_err app_liaison_remind(ag_store *st, int64_t *created, ag_error *err)
{
    *created = 0;
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = liaison_remind(st, ag_clock_today(), created, err);
    if (rc)
        *created = 0;
    return finish(st, rc, NULL, err);
}
