/* api_guidance.c - guidance opinions, supervision visits, submissions and the department view
 * (issue 14 §2): parse, call the use case, render. */
#include "http/api.h"

#include <stdlib.h>
#include <string.h>

#include "app/guidance.h"
#include "app/submission.h"
#include "util/banned.h"

/* Answers the list {total, items, ...} of the page and per_page asked for, with them added. A
 * bad filter is the request's fault (400). */
static ag_err list_reply(http_req *r, api_list_fn fn, ag_error *err)
{
    int64_t page, per;
    json_t *list;
    ag_err rc = api_list_run(r, fn, &page, &per, &list, err);
    if (rc) {
        json_decref(list);
        return rc == AG_ERR_INPUT ? AG_ERR_USAGE : rc;
    }
    json_object_set_new(list, "page", json_integer(page));
    json_object_set_new(list, "per_page", json_integer(per));
    api_reply_json(r, 200, list);
    return AG_OK;
}

/* ---- opinions ------------------------------------------------------------------- */

static ag_err list_opinions(http_req *r, int64_t limit, int64_t offset, json_t **out, ag_error *err)
{
    guidance_filter f = {.unit_code = http_query(r, "unit"),
                         .state = http_query(r, "state"),
                         .limit = limit,
                         .offset = offset};
    return guidance_list(http_store(r), &http_user(r)->scope, &f, out, err);
}

ag_err api_guidance_list(http_req *r, ag_error *err)
{
    return list_reply(r, list_opinions, err);
}

/* The units of the body: an array of 1..GUIDANCE_MAX_UNITS unit codes. Caller frees *out. */
static ag_err body_units(http_req *r, const char ***out, int *n, ag_error *err)
{
    json_t *v = json_object_get(http_body(r), "units");
    *out = NULL;
    *n = 0;
    if (!json_is_array(v) || json_array_size(v) < 1 || json_array_size(v) > GUIDANCE_MAX_UNITS)
        return ag_fail(err, AG_ERR_INPUT, "units", "units 应为 1 到 %d 个单位代码的数组",
                       "units must be an array of 1 to %d unit codes", GUIDANCE_MAX_UNITS);
    size_t k = json_array_size(v);
    const char **u = calloc(k, sizeof *u);
    if (!u)
        return ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    for (size_t i = 0; i < k; i++) {
        u[i] = json_string_value(json_array_get(v, i));
        if (!u[i] || strlen(u[i]) > 31) {
            free(u);
            return ag_fail(err, AG_ERR_INPUT, "units", "units 的元素应为单位代码",
                           "the elements of units must be unit codes");
        }
    }
    *out = u;
    *n = (int)k;
    return AG_OK;
}

ag_err api_guidance_issue(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"cell_id", "subject",        "body", "due_date",
                                       "units",   "attachment_ids", NULL};
    guidance_in in = {0};
    const char **units = NULL;
    int64_t *ids = NULL;
    const api_field fields[] = {api_str("cell_id", false, 31, &in.cell_id),
                                api_str("subject", true, 200, &in.subject),
                                api_str("body", true, 65536, &in.body),
                                api_str("due_date", true, 10, &in.due_date), api_end()};
    ag_err rc = api_body_read(r, keys, fields, err);
    if (!rc)
        rc = body_units(r, &units, &in.nunits, err);
    if (!rc)
        rc = api_body_ids(r, "attachment_ids", &ids, &in.nattachments, err);
    in.units = units;
    in.attachment_ids = ids;
    api_actor_buf ab;
    json_t *o = NULL;
    if (!rc)
        rc = app_guidance_issue(http_store(r), api_actor(r, &ab), &in, &o, err);
    free(units);
    free(ids);
    return api_reply_result(r, rc, 201, o);
}

ag_err api_guidance_get(http_req *r, ag_error *err)
{
    return api_get_by_id(r, "guidance", guidance_get, err);
}

ag_err api_guidance_reply(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"unit_code", "reply", "attachment_ids", NULL};
    int64_t id, *ids = NULL;
    int n = 0;
    const char *unit = NULL, *reply = NULL;
    const api_field fields[] = {api_str("unit_code", false, 31, &unit),
                                api_str("reply", true, 65536, &reply), api_end()};
    ag_err rc = api_path_body(r, "guidance", &id, keys, fields, err);
    if (!rc)
        rc = api_body_ids(r, "attachment_ids", &ids, &n, err);
    /* A unit's own people answer for their unit unless they name it. */
    if (!rc && !unit && *http_user(r)->scope.unit_code)
        unit = http_user(r)->scope.unit_code;
    if (!rc && !unit)
        rc = ag_fail(err, AG_ERR_INPUT, "unit_code", "请指定答复单位（unit_code）",
                     "name the replying unit (unit_code)");
    api_actor_buf ab;
    json_t *o = NULL;
    if (!rc)
        rc = app_guidance_reply(http_store(r), api_actor(r, &ab), id, unit, reply, ids, n, &o, err);
    free(ids);
    return api_reply_result(r, rc, 200, o);
}

/* ---- supervision visits ------------------------------------------------------------ */

ag_err api_guidance_visits(http_req *r, ag_error *err)
{
    json_t *list = NULL;
    ag_err rc =
        guidance_visit_list(http_store(r), &http_user(r)->scope, http_query(r, "unit"), &list, err);
    return api_reply_result(r, rc, 200, list);
}

ag_err api_guidance_visit_add(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"cell_id", "unit_code", "visit_date",
                                       "subject", "notes",     NULL};
    guidance_visit_in in = {0};
    const api_field fields[] = {api_str("cell_id", false, 31, &in.cell_id),
                                api_str("unit_code", true, 31, &in.unit_code),
                                api_str("visit_date", true, 10, &in.visit_date),
                                api_str("subject", true, 200, &in.subject),
                                api_str("notes", false, 65536, &in.notes),
                                api_end()};
    ag_err rc = api_body_read(r, keys, fields, err);
    api_actor_buf ab;
    json_t *o = NULL;
    if (!rc)
        rc = app_guidance_visit_add(http_store(r), api_actor(r, &ab), &in, &o, err);
    return api_reply_result(r, rc, 201, o);
}

ag_err api_guidance_visit(http_req *r, ag_error *err)
{
    return api_get_by_id(r, "visit", guidance_visit_get, err);
}

ag_err api_guidance_visit_finding(http_req *r, ag_error *err)
{
    int64_t id, rid = 0;
    audit_finding_in in;
    ag_err rc = api_path_finding(r, "visit", &id, &in, err);
    api_actor_buf ab;
    json_t *o = NULL;
    if (!rc)
        rc = app_guidance_visit_finding(http_store(r), api_actor(r, &ab), id, &in, &rid, &o, err);
    if (!rc) {
        json_object_set_new(o, "rectification_id", json_integer(rid));
        api_reply_json(r, 201, o);
    }
    return rc;
}

/* ---- submissions ----------------------------------------------------------------- */

static ag_err list_submissions(http_req *r, int64_t limit, int64_t offset, json_t **out,
                               ag_error *err)
{
    submission_filter f = {.state = http_query(r, "state"),
                           .kind = http_query(r, "kind"),
                           .unit_code = http_query(r, "unit"),
                           .to_cell = http_query(r, "to_cell"),
                           .limit = limit,
                           .offset = offset};
    api_actor_buf ab;
    return submission_list(http_store(r), api_actor(r, &ab), &f, out, err);
}

ag_err api_submissions(http_req *r, ag_error *err)
{
    return list_reply(r, list_submissions, err);
}

ag_err api_submission_file(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"kind", "unit_code", "to_cell", "period",         "title",
                                       "body", "ref_kind",  "ref_id",  "attachment_ids", NULL};
    submission_in in = {0};
    int64_t *ids = NULL;
    const api_field fields[] = {api_str("kind", true, 32, &in.kind),
                                api_str("unit_code", false, 31, &in.unit_code),
                                api_str("to_cell", false, 31, &in.to_cell),
                                api_str("period", false, 32, &in.period),
                                api_str("title", true, 200, &in.title),
                                api_str("body", false, 65536, &in.body),
                                api_str("ref_kind", false, 32, &in.ref_kind),
                                api_id("ref_id", false, &in.ref_id),
                                api_end()};
    ag_err rc = api_body_read(r, keys, fields, err);
    if (!rc)
        rc = api_body_ids(r, "attachment_ids", &ids, &in.nattachments, err);
    in.attachment_ids = ids;
    if (!rc && !in.unit_code && *http_user(r)->scope.unit_code)
        in.unit_code = http_user(r)->scope.unit_code;
    if (!rc && !in.unit_code)
        rc = ag_fail(err, AG_ERR_INPUT, "unit_code", "请指定报送单位（unit_code）",
                     "name the filing unit (unit_code)");
    api_actor_buf ab;
    json_t *o = NULL;
    if (!rc)
        rc = app_submission_file(http_store(r), api_actor(r, &ab), &in, &o, err);
    free(ids);
    return api_reply_result(r, rc, 201, o);
}

ag_err api_submission(http_req *r, ag_error *err)
{
    int64_t id;
    api_actor_buf ab;
    json_t *o = NULL;
    ag_err rc = api_path_id(r, "submission", &id, err);
    if (!rc)
        rc = submission_get(http_store(r), api_actor(r, &ab), id, &o, err);
    return api_reply_result(r, rc, 200, o);
}

/* A use case's step on a submission: its id, two texts and the actor. */
typedef ag_err (*step_fn)(ag_store *st, const audit_actor *a, int64_t id, const char *x,
                          const char *y, json_t **out, ag_error *err);

/* Submission {id}: the fields of the optional body are read (into what x and y point to), *x
 * and *y handed to fn; the answer is the submission as it then stands. */
static ag_err step(http_req *r, const char *const *keys, const api_field *fields,
                   const char *const *x, const char *const *y, step_fn fn, ag_error *err)
{
    int64_t id;
    api_actor_buf ab;
    json_t *o = NULL;
    ag_err rc = api_path_id(r, "submission", &id, err);
    if (!rc && http_body(r))
        rc = api_body_read(r, keys, fields, err);
    if (!rc)
        rc = fn(http_store(r), api_actor(r, &ab), id, *x, *y, &o, err);
    return api_reply_result(r, rc, 200, o);
}

static ag_err decide(http_req *r, const char *action, ag_error *err)
{
    static const char *const keys[] = {"note", NULL};
    const char *note = NULL;
    const api_field fields[] = {api_str("note", false, 4000, &note), api_end()};
    return step(r, keys, fields, &action, &note, app_submission_decide, err);
}

ag_err api_submission_accept(http_req *r, ag_error *err)
{
    return decide(r, "accept", err);
}

ag_err api_submission_return(http_req *r, ag_error *err)
{
    return decide(r, "return", err);
}

ag_err api_submission_refile(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"title", "body", NULL};
    const char *title = NULL, *body = NULL;
    const api_field fields[] = {api_str("title", false, 200, &title),
                                api_str("body", false, 65536, &body), api_end()};
    return step(r, keys, fields, &title, &body, app_submission_refile, err);
}

/* ---- the department view ------------------------------------------------------------ */

ag_err api_department(http_req *r, ag_error *err)
{
    api_actor_buf ab;
    json_t *o = NULL;
    ag_err rc =
        guidance_department(http_store(r), api_actor(r, &ab), http_query(r, "cell"), &o, err);
    return api_reply_result(r, rc, 200, o);
}
