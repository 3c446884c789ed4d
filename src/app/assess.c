/* assess.c (app) - the performance assessment's actions, each in its own transaction: the rubric
 * installed, the self-assessment saved and submitted, the reviews, the publication. */
#include "app/assess.h"

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

/* The unit's object after the action, inside the transaction. */
static ag_err unit_after(ag_store *st, const audit_actor *a, const char *unit_code, int year,
                         ag_err rc, json_t **out, ag_error *err)
{
    if (!rc && out)
        rc = assess_unit_json(st, a, unit_code, year, out, err);
    return finish(st, rc, out, err);
}

ag_err app_assess_rubric_install(ag_store *st, const audit_actor *a, const char *text, size_t len,
                                 const char *source, int64_t *version, ag_error *err)
{
    if (a->scope.role != AG_ROLE_ADMIN)
        return ag_fail(err, AG_ERR_DENIED, "role", "只有区审计局管理员可安装考核规则",
                       "only the bureau's admin installs assessment rubrics");
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = assess_rubric_install(st, text, len, source, version, err);
    return finish(st, rc, NULL, err);
}

ag_err app_assess_self_save(ag_store *st, const audit_actor *a, const char *unit_code, int year,
                            const assess_item_in *items, int n, json_t **out, ag_error *err)
{
    if (out)
        *out = NULL;
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = assess_self_save(st, a, unit_code, year, items, n, err);
    return unit_after(st, a, unit_code, year, rc, out, err);
}

ag_err app_assess_self_submit(ag_store *st, const audit_actor *a, const char *unit_code, int year,
                              json_t **out, ag_error *err)
{
    if (out)
        *out = NULL;
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = assess_self_submit(st, a, unit_code, year, err);
    return unit_after(st, a, unit_code, year, rc, out, err);
}

ag_err app_assess_review(ag_store *st, const audit_actor *a, const char *unit_code, int year,
                         const char *stage, const assess_item_in *items, int n, const char *note,
                         json_t **out, ag_error *err)
{
    if (out)
        *out = NULL;
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = assess_review(st, a, unit_code, year, stage, items, n, note, err);
    return unit_after(st, a, unit_code, year, rc, out, err);
}

ag_err app_assess_publish(ag_store *st, const audit_actor *a, int year, json_t **out, ag_error *err)
{
    if (out)
        *out = NULL;
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = assess_publish(st, a, year, err);
    if (!rc && out)
        rc = assess_year_json(st, &a->scope, year, NULL, out, err);
    return finish(st, rc, out, err);
}
