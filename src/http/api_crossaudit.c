/* api_crossaudit.c - /api/v1/crossaudit: cross-audit rounds (交叉互审) planned, edited and
 * published by the bureau, read by its reviewers; members' 回避声明. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/crossaudit.h"
#include "http/api.h"
#include "util/banned.h"

#define MAX_UNITS_TEXT 8192

static ag_err reply_round(http_req *r, int status, int64_t id, ag_error *err)
{
    json_t *o = NULL;
    ag_err rc = app_xa_show(http_store(r), NULL, id, true, &o, err);
    if (!rc)
        api_reply_json(r, status, o);
    return rc;
}

ag_err api_xa_rounds(http_req *r, ag_error *err)
{
    json_t *list = NULL;
    ag_err rc = xa_round_list(http_store(r), &list, err);
    if (!rc)
        api_reply_json(r, 200, json_pack("{s:o}", "items", list));
    return rc;
}

ag_err api_xa_round(http_req *r, ag_error *err)
{
    int64_t id;
    ag_err rc = api_path_id(r, "round", &id, err);
    return rc ? rc : reply_round(r, 200, id, err);
}

/* units of the body: "pilot", "all", "CODE,…" or an array of codes, as the domain's text. */
static ag_err body_units(http_req *r, char *out, size_t n, ag_error *err)
{
    json_t *v = json_object_get(http_body(r), "units");
    out[0] = '\0';
    if (!v || json_is_null(v))
        return AG_OK;
    if (json_is_string(v) && json_string_length(v) < n) {
        snprintf(out, n, "%s", json_string_value(v));
        return AG_OK;
    }
    size_t used = 0;
    for (size_t i = 0; json_is_array(v) && i < json_array_size(v); i++) {
        const char *c = json_string_value(json_array_get(v, i));
        if (!c || used + strlen(c) + 2 >= n)
            return ag_fail(err, AG_ERR_INPUT, "units", "字段 units 应为单位代码数组",
                           "field units must be an array of unit codes");
        used += (size_t)snprintf(out + used, n - used, "%s%s", used ? "," : "", c);
    }
    if (!json_is_array(v))
        return ag_fail(err, AG_ERR_INPUT, "units", "字段 units 应为 pilot、all 或单位代码数组",
                       "field units must be pilot, all or an array of unit codes");
    return AG_OK;
}

ag_err api_xa_plan(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"round", "year",       "units",    "team_min", "team_max",
                                       "seed",  "field_from", "field_to", NULL};
    const char *name = NULL, *from = NULL, *to = NULL;
    int64_t year = 0, tmin = 2, tmax = 4, seed = 1;
    char units[MAX_UNITS_TEXT];
    const api_field fields[] = {api_str("round", true, 100, &name),
                                api_int("year", true, 2000, 2100, &year),
                                api_int("team_min", false, 1, XA_MAX_TEAM, &tmin),
                                api_int("team_max", false, 1, XA_MAX_TEAM, &tmax),
                                api_id("seed", false, &seed),
                                api_str("field_from", false, 10, &from),
                                api_str("field_to", false, 10, &to),
                                api_end()};
    ag_err rc = api_body_read(r, keys, fields, err);
    if (!rc)
        rc = body_units(r, units, sizeof units, err);
    if (rc)
        return rc;
    xa_round_in in = {
        name, (int)year, *units ? units : NULL, (int)tmin, (int)tmax, (uint64_t)seed, NULL, 0,
        from, to};
    json_t *why = NULL;
    int64_t id = 0;
    rc = app_xa_plan(http_store(r), &in, &id, &why, err);
    if (rc == AG_ERR_INPUT && json_array_size(why)) {
        /* infeasible: the error and every reason */
        json_t *e = json_pack("{s:s, s:s, s:s, s:s}", "code", "validation", "message", err->zh,
                              "message_en", err->en, "where", err->where);
        api_reply_json(r, 422, json_pack("{s:o, s:o}", "error", e, "violations", why));
        return AG_OK;
    }
    json_decref(why);
    return rc ? rc : reply_round(r, 201, id, err);
}

ag_err api_xa_assign(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"auditor_unit", "team", NULL};
    int64_t id, *team = NULL;
    int n = 0;
    const char *auditor = NULL;
    char name[160];
    const api_field fields[] = {api_str("auditor_unit", true, 40, &auditor), api_end()};
    ag_err rc = api_path_body(r, "round", &id, keys, fields, err);
    if (!rc)
        rc = api_body_ids(r, "team", &team, &n, err);
    if (!rc)
        rc = xa_round_name(http_store(r), id, name, err);
    if (!rc)
        rc = app_xa_assign(http_store(r), name, http_param(r, "audited"), auditor, team, n, err);
    free(team);
    return rc ? rc : reply_round(r, 200, id, err);
}

ag_err api_xa_publish(http_req *r, ag_error *err)
{
    int64_t id;
    char name[160];
    api_actor_buf ab;
    ag_err rc = api_path_id(r, "round", &id, err);
    if (!rc)
        rc = xa_round_name(http_store(r), id, name, err);
    if (!rc)
        rc = app_xa_publish(http_store(r), api_actor(r, &ab), name, NULL, err);
    return rc ? rc : reply_round(r, 200, id, err);
}

ag_err api_xa_declare(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"project_id", "person_id", "statement", NULL};
    int64_t project = 0, person = 0;
    const char *text = NULL;
    api_actor_buf ab;
    const api_field fields[] = {api_id("project_id", true, &project),
                                api_id("person_id", true, &person),
                                api_str("statement", false, 2000, &text), api_end()};
    ag_err rc = api_body_read(r, keys, fields, err);
    if (!rc)
        rc = app_xa_declare(http_store(r), api_actor(r, &ab), project, person, text, err);
    if (!rc)
        api_reply_json(r, 201,
                       json_pack("{s:I, s:I, s:b}", "project_id", (json_int_t)project, "person_id",
                                 (json_int_t)person, "declared", 1));
    return rc;
}
