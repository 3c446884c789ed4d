/* api_soe.c - SOE groups and their chief auditors, units' internal-audit bodies, training sessions
 * and hours (issue 14 §3–§4): parse, call the use case, render. */
#include "http/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/iabody.h"
#include "app/soe.h"
#include "app/training.h"
#include "domain/submission.h"
#include "util/clock.h"
#include "util/date.h"
#include "util/banned.h"

#define MAX_ITEMS 40

/* ---- SOE groups ------------------------------------------------------------------------------ */

ag_err api_soe_groups(http_req *r, ag_error *err)
{
    json_t *list = NULL;
    ag_err rc = soe_group_list(http_store(r), &http_user(r)->scope, &list, err);
    if (!rc)
        api_reply_json(r, 200, json_pack("{s:o}", "items", list));
    return rc;
}

/* The group {code} as the user sees it, with its quarterly reports. */
static ag_err reply_group(http_req *r, int status, ag_error *err)
{
    const char *code = http_param(r, "code");
    json_t *g = NULL, *reports = NULL;
    api_actor_buf ab;
    ag_err rc = soe_group_get(http_store(r), &http_user(r)->scope, code, &g, err);
    submission_filter f = {.kind = "soe_quarterly", .unit_code = code, .limit = 40};
    if (!rc)
        rc = submission_list(http_store(r), api_actor(r, &ab), &f, &reports, err);
    if (rc) {
        json_decref(g);
        return rc;
    }
    json_object_set(g, "quarterly", json_object_get(reports, "items"));
    json_decref(reports);
    api_reply_json(r, status, g);
    return AG_OK;
}

ag_err api_soe_group(http_req *r, ag_error *err)
{
    return reply_group(r, 200, err);
}

ag_err api_soe_chief_put(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"person_id", "appointed_on", "doc_no", NULL};
    soe_chief_in in = {.group_code = http_param(r, "code")};
    const api_field fields[] = {api_id("person_id", true, &in.person_id),
                                api_str("appointed_on", true, 10, &in.appointed_on),
                                api_str("doc_no", true, SOE_DOC_NO_MAX, &in.doc_no), api_end()};
    ag_err rc = api_body_read(r, keys, fields, err);
    api_actor_buf ab;
    if (!rc)
        rc = app_soe_chief_set(http_store(r), api_actor(r, &ab), &in, err);
    if (!rc)
        rc = reply_group(r, 200, err);
    return rc;
}

ag_err api_soe_plan_audit(http_req *r, ag_error *err)
{
    audit_project_in in;
    ag_err rc = api_read_project(r, &in, false, err);
    const char *items[MAX_ITEMS];
    int nitems = 0;
    json_t *arr = json_object_get(http_body(r), "items");
    if (!rc && (!json_is_array(arr) || !json_array_size(arr) || json_array_size(arr) > MAX_ITEMS))
        rc = ag_fail(err, AG_ERR_INPUT, "items", "请选择 1 到 %d 个审计事项",
                     "choose 1 to %d catalog items", MAX_ITEMS);
    for (size_t i = 0; !rc && i < json_array_size(arr); i++) {
        items[nitems] = json_string_value(json_array_get(arr, i));
        if (!items[nitems++])
            rc = ag_fail(err, AG_ERR_INPUT, "items", "审计事项应为编号（如 F03）",
                         "catalog items are codes (e.g. F03)");
    }
    in.items = items;
    in.nitems = nitems;
    api_actor_buf ab;
    int64_t id = 0;
    if (!rc)
        rc = app_soe_plan_audit(http_store(r), api_actor(r, &ab), http_param(r, "code"), &in, &id,
                                err);
    if (!rc)
        rc = api_reply_get(r, 201, audit_project_get, id, err);
    return rc;
}

ag_err api_soe_quarterly(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"period", "title", "body", NULL};
    const char *period = NULL, *title = NULL, *body = NULL;
    const api_field fields[] = {api_str("period", true, 6, &period),
                                api_str("title", true, 200, &title),
                                api_str("body", false, 65536, &body), api_end()};
    ag_err rc = api_body_read(r, keys, fields, err);
    api_actor_buf ab;
    const audit_actor *a = api_actor(r, &ab);
    int64_t id = 0;
    if (!rc)
        rc = app_soe_file_quarterly(http_store(r), a, http_param(r, "code"), period, title, body,
                                    &id, err);
    json_t *o = NULL;
    if (!rc)
        rc = submission_get(http_store(r), a, id, &o, err);
    return api_reply_result(r, rc, 201, o);
}

/* ---- internal-audit bodies ---------------------------------------------------------------- */

/* The internal-audit body of unit code, unless rc is set. */
static ag_err reply_iabody(http_req *r, ag_err rc, const char *code, ag_error *err)
{
    json_t *o = NULL;
    if (!rc)
        rc = iabody_get(http_store(r), code, &o, err);
    return api_reply_result(r, rc, 200, o);
}

ag_err api_iabody(http_req *r, ag_error *err)
{
    const char *code = http_param(r, "code");
    return reply_iabody(r, api_unit_in_scope(r, code, err), code, err);
}

ag_err api_iabody_put(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"independent", "body_name", "supervisor_person_id",
                                       "members", NULL};
    const char *code = http_param(r, "code");
    json_t *b = http_body(r), *ind = json_object_get(b, "independent");
    json_t *arr = json_object_get(b, "members");
    iabody_member members[IABODY_MAX_MEMBERS];
    iabody_in in = {.members = members};
    ag_err rc = http_body_only(r, keys, err);
    if (!rc && !json_is_boolean(ind))
        rc = ag_fail(err, AG_ERR_INPUT, "independent", "请说明是否设立独立内审机构",
                     "say whether there is an independent internal-audit body");
    in.independent = json_is_true(ind);
    if (!rc)
        rc = http_body_str(r, "body_name", false, IABODY_NAME_MAX, &in.body_name, err);
    if (!rc)
        rc = api_body_int(r, "supervisor_person_id", false, 1, INT64_MAX, &in.supervisor_person_id,
                          err);
    if (!rc && arr && (!json_is_array(arr) || json_array_size(arr) > IABODY_MAX_MEMBERS))
        rc = ag_fail(err, AG_ERR_INPUT, "members", "工作组成员应为至多 %d 人的列表",
                     "members is a list of at most %d", IABODY_MAX_MEMBERS);
    for (size_t i = 0; !rc && i < json_array_size(arr); i++) {
        json_t *m = json_array_get(arr, i), *pid = json_object_get(m, "person_id");
        members[i] =
            (iabody_member){json_integer_value(pid), json_string_value(json_object_get(m, "area"))};
        if (!json_is_integer(pid) || members[i].person_id <= 0 || !members[i].area)
            rc = ag_fail(err, AG_ERR_INPUT, "members", "每名工作组成员应有人员编号和分工",
                         "each member has a person_id and an area");
        in.nmembers = (int)i + 1;
    }
    api_actor_buf ab;
    if (!rc)
        rc = app_iabody_set(http_store(r), api_actor(r, &ab), code, &in, err);
    return reply_iabody(r, rc, code, err);
}

ag_err api_iabody_missing(http_req *r, ag_error *err)
{
    return api_reply_scoped(r, iabody_missing, err);
}

/* ---- training ----------------------------------------------------------------------------- */

/* The year query argument (default: this year in Beijing). */
static ag_err query_year(http_req *r, int *year, ag_error *err)
{
    const char *y = http_query(r, "year");
    *year = ag_date_from_days(ag_clock_today()).year;
    if (!y)
        return AG_OK;
    char *end;
    long v = strtol(y, &end, 10);
    if (end == y || *end || v < 1900 || v > 9999)
        return ag_fail(err, AG_ERR_USAGE, "year", "year 应为四位年份", "year is a 4-digit year");
    *year = (int)v;
    return AG_OK;
}

/* A decimal of one place as a number (3.5) or a string ("3.5") into tenths; absent is -1. */
static ag_err tenths_of(json_t *v, const char *field, int64_t *out, ag_error *err)
{
    *out = -1;
    if (!v || json_is_null(v))
        return AG_OK;
    double d = json_is_number(v) ? json_number_value(v) * 10 : -1;
    if (json_is_string(v) && training_tenths_parse(json_string_value(v), out))
        return AG_OK;
    int64_t k = (int64_t)(d + 0.5);
    if (d >= 0 && d < 1e7 && d - (double)k < 1e-6 && (double)k - d < 1e-6) {
        *out = k;
        return AG_OK;
    }
    return ag_fail(err, AG_ERR_INPUT, field, "%s 应为非负数，至多一位小数",
                   "%s is a non-negative number with one decimal at most", field);
}

/* The body's "attendees": [{person_id, score?}] into att (at most max). */
static ag_err body_attendees(http_req *r, app_training_attendee *att, int max, int *n,
                             ag_error *err)
{
    json_t *arr = json_object_get(http_body(r), "attendees");
    *n = 0;
    if (!arr || json_is_null(arr))
        return AG_OK;
    if (!json_is_array(arr) || json_array_size(arr) > (size_t)max)
        return ag_fail(err, AG_ERR_INPUT, "attendees", "参训人员应为至多 %d 人的列表",
                       "attendees is a list of at most %d", max);
    ag_err rc = AG_OK;
    for (size_t i = 0; !rc && i < json_array_size(arr); i++) {
        json_t *a = json_array_get(arr, i), *pid = json_object_get(a, "person_id");
        if (!json_is_integer(pid) || json_integer_value(pid) <= 0)
            return ag_fail(err, AG_ERR_INPUT, "attendees", "每名参训人员应有人员编号",
                           "each attendee has a person_id");
        att[i].person_id = json_integer_value(pid);
        rc = tenths_of(json_object_get(a, "score"), "score", &att[i].score_tenths, err);
        *n = (int)i + 1;
    }
    return rc;
}

/* Answers {year, items} with a year's list of the user's scope (sessions or hours). */
static ag_err
reply_year(http_req *r, ag_err (*list_fn)(ag_store *, const ag_scope *, int, json_t **, ag_error *),
           ag_error *err)
{
    int year;
    json_t *list = NULL;
    ag_err rc = query_year(r, &year, err);
    if (!rc)
        rc = list_fn(http_store(r), &http_user(r)->scope, year, &list, err);
    if (!rc)
        api_reply_json(r, 200, json_pack("{s:i, s:o}", "year", year, "items", list));
    return rc;
}

ag_err api_training_sessions(http_req *r, ag_error *err)
{
    return reply_year(r, training_session_list, err);
}

ag_err api_training_add(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"date",        "topic",     "system", "hours",
                                       "competition", "attendees", NULL};
    training_session_in in = {0};
    app_training_attendee *att = calloc(APP_TRAINING_MAX_ATTENDEES, sizeof *att);
    int n = 0;
    int64_t id = 0;
    json_t *comp = json_object_get(http_body(r), "competition");
    ag_err rc = att ? http_body_only(r, keys, err)
                    : ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    if (!rc)
        rc = http_body_str(r, "date", true, 10, &in.held_on, err);
    if (!rc)
        rc = http_body_str(r, "topic", true, TRAINING_TOPIC_MAX, &in.topic, err);
    if (!rc)
        rc = http_body_str(r, "system", true, TRAINING_SYSTEM_MAX, &in.system, err);
    if (!rc)
        rc = tenths_of(json_object_get(http_body(r), "hours"), "hours", &in.hours_tenths, err);
    if (!rc && comp && !json_is_boolean(comp))
        rc = ag_fail(err, AG_ERR_INPUT, "competition", "competition 应为 true 或 false",
                     "competition is true or false");
    in.competition = json_is_true(comp);
    if (!rc)
        rc = body_attendees(r, att, APP_TRAINING_MAX_ATTENDEES, &n, err);
    api_actor_buf ab;
    if (!rc)
        rc = app_training_add(http_store(r), api_actor(r, &ab), &in, att, n, &id, err);
    free(att);
    if (!rc)
        api_reply_json(r, 201, json_pack("{s:I, s:i}", "id", (json_int_t)id, "attendees", n));
    return rc;
}

ag_err api_training_attend(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"attendees", NULL};
    app_training_attendee *att = calloc(APP_TRAINING_MAX_ATTENDEES, sizeof *att);
    int64_t id = 0;
    int n = 0;
    ag_err rc = att ? http_body_only(r, keys, err)
                    : ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    if (!rc && !api_parse_id(http_param(r, "id"), &id))
        rc = ag_fail(err, AG_ERR_NOTFOUND, "id", "培训场次不存在", "no such training session");
    if (!rc)
        rc = body_attendees(r, att, APP_TRAINING_MAX_ATTENDEES, &n, err);
    api_actor_buf ab;
    if (!rc)
        rc = app_training_attend(http_store(r), api_actor(r, &ab), id, att, n, err);
    free(att);
    if (!rc)
        api_reply_json(r, 200, json_pack("{s:I, s:i}", "id", (json_int_t)id, "attendees", n));
    return rc;
}

ag_err api_training_hours(http_req *r, ag_error *err)
{
    return reply_year(r, training_hours_list, err);
}
