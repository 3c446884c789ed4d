/* rating.c (app) - the 0–5A grade's actions: rubric install, self-evaluation, evidence, review,
 * publication, each in its own transaction (its audited writes are its audit-log entries). */
#include "app/rating.h"

#include <string.h>

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

ag_err app_rating_rubric_install(ag_store *st, const audit_actor *a, const char *text, size_t len,
                                 const char *name, json_t **out, ag_error *err)
{
    if (out)
        *out = NULL;
    if (a->scope.role != AG_ROLE_ADMIN)
        return ag_fail(err, AG_ERR_DENIED, NULL, "只有区审计局管理员可以安装评级细则",
                       "only the bureau admin installs rating rubrics");
    int64_t v = 0;
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = rating_rubric_install(st, text, len, name, &v, err);
    if (!rc && out)
        rc = rating_rubric_get(st, v, out, err);
    return finish(st, rc, out, err);
}

ag_err app_rating_self_save(ag_store *st, const audit_actor *a, const char *unit_code, int year,
                            const rating_answer_in *answers, int nanswers,
                            const char *const *inapplicable, int ninapplicable,
                            bool set_inapplicable, json_t **out, ag_error *err)
{
    if (out)
        *out = NULL;
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = rating_self_save(st, a, unit_code, year, answers, nanswers, inapplicable, ninapplicable,
                          set_inapplicable, err);
    if (!rc && out)
        rc = rating_unit_json(st, a, unit_code, year, out, err);
    return finish(st, rc, out, err);
}

ag_err app_rating_self_file(ag_store *st, const audit_actor *a, const char *unit_code, int year,
                            json_t **out, ag_error *err)
{
    if (out)
        *out = NULL;
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = rating_self_file(st, a, unit_code, year, err);
    if (!rc && out)
        rc = rating_unit_json(st, a, unit_code, year, out, err);
    return finish(st, rc, out, err);
}

ag_err app_rating_attach(ag_store *st, const audit_actor *a, const char *unit_code, int year,
                         const char *point, const int64_t *ids, int nids, json_t **out,
                         ag_error *err)
{
    if (out)
        *out = NULL;
    if (nids <= 0 || nids > RATING_MAX_ATTACH)
        return ag_fail(err, AG_ERR_USAGE, "attach", "须给出 1-%d 个附件编号",
                       "give 1 to %d attachment ids", RATING_MAX_ATTACH);
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    /* The answer keeps its score (0 when the point has none yet). */
    json_t *facts = NULL;
    rc = rating_facts(st, unit_code, year, &facts, err);
    json_t *cur = json_object_get(json_object_get(json_object_get(facts, "self"), "answers"),
                                  point ? point : "");
    rating_answer_in in = {point, json_is_integer(cur) ? json_integer_value(cur) : 0, NULL, ids,
                           nids};
    /* Keep the note too: re-read it from the unit object. */
    json_t *u = NULL;
    if (!rc)
        rc = rating_unit_json(st, a, unit_code, year, &u, err);
    json_t *answers = json_object_get(json_object_get(u, "self"), "answers");
    for (size_t i = 0; !rc && i < json_array_size(answers); i++) {
        json_t *x = json_array_get(answers, i);
        const char *p = json_string_value(json_object_get(x, "point"));
        if (p && point && !strcmp(p, point) && json_is_string(json_object_get(x, "note")))
            in.note = json_string_value(json_object_get(x, "note"));
    }
    if (!rc)
        rc = rating_self_save(st, a, unit_code, year, &in, 1, NULL, 0, false, err);
    json_decref(u);
    json_decref(facts);
    if (!rc && out)
        rc = rating_unit_json(st, a, unit_code, year, out, err);
    return finish(st, rc, out, err);
}

ag_err app_rating_review(ag_store *st, const audit_actor *a, const char *unit_code, int year,
                         const rating_adjust_in *adj, int nadj, const char *note, json_t **out,
                         ag_error *err)
{
    if (out)
        *out = NULL;
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = rating_review_save(st, a, unit_code, year, adj, nadj, note, err);
    if (!rc && out)
        rc = rating_unit_json(st, a, unit_code, year, out, err);
    return finish(st, rc, out, err);
}

ag_err app_rating_publish(ag_store *st, const audit_actor *a, int year, json_t **out, ag_error *err)
{
    if (out)
        *out = NULL;
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = rating_publish(st, a, year, NULL, err);
    if (!rc && out)
        rc = rating_year_json(st, &a->scope, year, out, err);
    return finish(st, rc, out, err);
}
