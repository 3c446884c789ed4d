/* guidance.c (app) - guidance opinions, replies, reminders and supervision visits as use cases:
 * a visit's findings join the rectification chain through domain/audit and domain/rectify. */
#include "app/guidance.h"

#include "domain/rectify.h"
#include "util/banned.h"

/* Ends the transaction the caller began: rolls back on rc, else commits and reads the object
 * back with get into *out (when both are given). */
static ag_err finish(ag_store *st, const audit_actor *a, ag_err rc, int64_t id,
                     ag_err (*get)(ag_store *, int64_t, const ag_scope *, json_t **, ag_error *),
                     json_t **out, ag_error *err)
{
    rc = store_end(st, rc, err);
    if (!rc && out)
        rc = get(st, id, &a->scope, out, err);
    return rc;
}

ag_err app_guidance_issue(ag_store *st, const audit_actor *a, const guidance_in *in, json_t **out,
                          ag_error *err)
{
    int64_t id = 0;
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = guidance_issue(st, a, in, &id, err);
    return finish(st, a, rc, id, guidance_get, out, err);
}

ag_err app_guidance_reply(ag_store *st, const audit_actor *a, int64_t id, const char *unit_code,
                          const char *reply, const int64_t *attachment_ids, int nattachments,
                          json_t **out, ag_error *err)
{
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = guidance_reply(st, a, id, unit_code, reply, attachment_ids, nattachments, err);
    return finish(st, a, rc, id, guidance_get, out, err);
}

ag_err app_guidance_remind(ag_store *st, int64_t *count, ag_error *err)
{
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = guidance_remind(st, count, err);
    return finish(st, NULL, rc, 0, NULL, NULL, err);
}

ag_err app_guidance_visit_add(ag_store *st, const audit_actor *a, const guidance_visit_in *in,
                              json_t **out, ag_error *err)
{
    int64_t id = 0;
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = guidance_visit_add(st, a, in, &id, err);
    return finish(st, a, rc, id, guidance_visit_get, out, err);
}

ag_err app_guidance_visit_finding(ag_store *st, const audit_actor *a, int64_t visit_id,
                                  const audit_finding_in *in, int64_t *rect_id, json_t **out,
                                  ag_error *err)
{
    char unit[32] = "";
    int year = 0;
    int64_t project = 0, fid = 0, rid = 0;
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = guidance_visit_check(st, a, visit_id, unit, &year, err);
    /* The bureau's authority for its standing ledger, under the department's name. */
    audit_actor bureau = {.scope = {.role = AG_ROLE_ADMIN}, .name = a->name};
    if (!rc)
        rc = audit_warning_ledger(st, &bureau, unit, year, &project, err);
    if (!rc)
        rc = audit_ledger_finding_add(st, &bureau, project, in, &fid, err);
    if (!rc)
        rc = rectify_create_for_project(st, project, NULL, err);
    if (!rc)
        rc = rectify_of_finding(st, fid, &rid, err);
    if (!rc)
        rc = guidance_visit_link(st, visit_id, fid, err);
    if (!rc && rect_id)
        *rect_id = rid;
    return finish(st, a, rc, visit_id, guidance_visit_get, out, err);
}
