/* api_guidance.c - guidance opinions, supervision visits, submissions and the department view
 * (issue 14 §2): parse, call the use case, render. */
#include "http/api_guidance.h"

#include <stdlib.h>
#include <string.h>

#include "app/guidance.h"
#include "app/submission.h"
#include "util/banned.h"

/* The {id} path parameter; what_zh/what_en name the thing in the refusal. */
static ag_err path_id(http_req *r, const char *what_zh, const char *what_en, int64_t *id,
                      ag_error *err)
{
    const char *s = http_param(r, "id");
    if (api_parse_id(s, id))
        return AG_OK;
    return ag_fail(err, AG_ERR_NOTFOUND, "id", "%s %s 不存在%.0s%.0s", "%.0s%.0sno %s %s", what_zh,
                   s ? s : "", what_en, s ? s : "");
}

/* A domain list of the page asked for (limit, offset). */
typedef ag_err (*list_fn)(http_req *r, int64_t limit, int64_t offset, json_t **out, ag_error *err);

/* Answers the list {total, items, ...} of the page and per_page asked for, with them added. A
 * bad filter is the request's fault (400). */
static ag_err list_reply(http_req *r, list_fn fn, ag_error *err)
{
    int64_t page, per;
    json_t *list = NULL;
    ag_err rc = http_page(r, &page, &per, err);
    if (!rc)
        rc = fn(r, per, (page - 1) * per, &list, err);
    if (rc)
        return rc == AG_ERR_INPUT ? AG_ERR_USAGE : rc;
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
    ag_err rc = http_body_only(r, keys, err);
    if (!rc)
        rc = http_body_str(r, "cell_id", false, 31, &in.cell_id, err);
    if (!rc)
        rc = http_body_str(r, "subject", true, 200, &in.subject, err);
    if (!rc)
        rc = http_body_str(r, "body", true, 65536, &in.body, err);
    if (!rc)
        rc = http_body_str(r, "due_date", true, 10, &in.due_date, err);
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
    if (!rc)
        api_reply_json(r, 201, o);
    return rc;
}

ag_err api_guidance_get(http_req *r, ag_error *err)
{
    int64_t id;
    ag_err rc = path_id(r, "指导意见", "guidance opinion", &id, err);
    if (!rc)
        rc = api_reply_get(r, 200, guidance_get, id, err);
    return rc;
}

ag_err api_guidance_reply(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"unit_code", "reply", "attachment_ids", NULL};
    int64_t id, *ids = NULL;
    int n = 0;
    const char *unit = NULL, *reply = NULL;
    ag_err rc = path_id(r, "指导意见", "guidance opinion", &id, err);
    if (!rc)
        rc = http_body_only(r, keys, err);
    if (!rc)
        rc = http_body_str(r, "unit_code", false, 31, &unit, err);
    if (!rc)
        rc = http_body_str(r, "reply", true, 65536, &reply, err);
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
    if (!rc)
        api_reply_json(r, 200, o);
    return rc;
}

/* ---- supervision visits ------------------------------------------------------------ */

ag_err api_guidance_visits(http_req *r, ag_error *err)
{
    json_t *list = NULL;
    ag_err rc =
        guidance_visit_list(http_store(r), &http_user(r)->scope, http_query(r, "unit"), &list, err);
    if (!rc)
        api_reply_json(r, 200, list);
    return rc;
}

ag_err api_guidance_visit_add(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"cell_id", "unit_code", "visit_date",
                                       "subject", "notes",     NULL};
    guidance_visit_in in = {0};
    ag_err rc = http_body_only(r, keys, err);
    if (!rc)
        rc = http_body_str(r, "cell_id", false, 31, &in.cell_id, err);
    if (!rc)
        rc = http_body_str(r, "unit_code", true, 31, &in.unit_code, err);
    if (!rc)
        rc = http_body_str(r, "visit_date", true, 10, &in.visit_date, err);
    if (!rc)
        rc = http_body_str(r, "subject", true, 200, &in.subject, err);
    if (!rc)
        rc = http_body_str(r, "notes", false, 65536, &in.notes, err);
    api_actor_buf ab;
    json_t *o = NULL;
    if (!rc)
        rc = app_guidance_visit_add(http_store(r), api_actor(r, &ab), &in, &o, err);
    if (!rc)
        api_reply_json(r, 201, o);
    return rc;
}

ag_err api_guidance_visit(http_req *r, ag_error *err)
{
    int64_t id;
    ag_err rc = path_id(r, "督导检查", "supervision visit", &id, err);
    if (!rc)
        rc = api_reply_get(r, 200, guidance_visit_get, id, err);
    return rc;
}

ag_err api_guidance_visit_finding(http_req *r, ag_error *err)
{
    int64_t id, rid = 0;
    audit_finding_in in;
    ag_err rc = path_id(r, "督导检查", "supervision visit", &id, err);
    if (!rc)
        rc = api_read_finding(r, &in, err);
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
    ag_err rc = http_body_only(r, keys, err);
    if (!rc)
        rc = http_body_str(r, "kind", true, 32, &in.kind, err);
    if (!rc)
        rc = http_body_str(r, "unit_code", false, 31, &in.unit_code, err);
    if (!rc)
        rc = http_body_str(r, "to_cell", false, 31, &in.to_cell, err);
    if (!rc)
        rc = http_body_str(r, "period", false, 32, &in.period, err);
    if (!rc)
        rc = http_body_str(r, "title", true, 200, &in.title, err);
    if (!rc)
        rc = http_body_str(r, "body", false, 65536, &in.body, err);
    if (!rc)
        rc = http_body_str(r, "ref_kind", false, 32, &in.ref_kind, err);
    if (!rc)
        rc = api_body_int(r, "ref_id", false, 1, INT64_MAX, &in.ref_id, err);
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
    if (!rc)
        api_reply_json(r, 201, o);
    return rc;
}

ag_err api_submission(http_req *r, ag_error *err)
{
    int64_t id;
    api_actor_buf ab;
    json_t *o = NULL;
    ag_err rc = path_id(r, "报送事项", "submission", &id, err);
    if (!rc)
        rc = submission_get(http_store(r), api_actor(r, &ab), id, &o, err);
    if (!rc)
        api_reply_json(r, 200, o);
    return rc;
}

static ag_err decide(http_req *r, const char *action, ag_error *err)
{
    static const char *const keys[] = {"note", NULL};
    int64_t id;
    const char *note = NULL;
    ag_err rc = path_id(r, "报送事项", "submission", &id, err);
    if (!rc && http_body(r))
        rc = http_body_only(r, keys, err);
    if (!rc && http_body(r))
        rc = http_body_str(r, "note", false, 4000, &note, err);
    api_actor_buf ab;
    json_t *o = NULL;
    if (!rc)
        rc = app_submission_decide(http_store(r), api_actor(r, &ab), id, action, note, &o, err);
    if (!rc)
        api_reply_json(r, 200, o);
    return rc;
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
    int64_t id;
    const char *title = NULL, *body = NULL;
    ag_err rc = path_id(r, "报送事项", "submission", &id, err);
    if (!rc && http_body(r))
        rc = http_body_only(r, keys, err);
    if (!rc && http_body(r))
        rc = http_body_str(r, "title", false, 200, &title, err);
    if (!rc && http_body(r))
        rc = http_body_str(r, "body", false, 65536, &body, err);
    api_actor_buf ab;
    json_t *o = NULL;
    if (!rc)
        rc = app_submission_refile(http_store(r), api_actor(r, &ab), id, title, body, &o, err);
    if (!rc)
        api_reply_json(r, 200, o);
    return rc;
}

/* ---- the department view ------------------------------------------------------------ */

ag_err api_department(http_req *r, ag_error *err)
{
    api_actor_buf ab;
    json_t *o = NULL;
    ag_err rc =
        guidance_department(http_store(r), api_actor(r, &ab), http_query(r, "cell"), &o, err);
    if (!rc)
        api_reply_json(r, 200, o);
    return rc;
}
