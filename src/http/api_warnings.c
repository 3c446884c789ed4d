/* api_warnings.c - the warning inbox: scoped lists and lookups, triage decisions. */
#include "http/api.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "app/warning_review.h"
#include "domain/names.h"
#include "domain/warnings.h"
#include "util/banned.h"

static bool one_of(const char *v, const char *const *allowed)
{
    for (int i = 0; allowed[i]; i++)
        if (!strcmp(v, allowed[i]))
            return true;
    return false;
}

static ag_err list_warnings(http_req *r, int64_t limit, int64_t offset, json_t **out, ag_error *err)
{
    static const char *const statuses[] = {"open", "acknowledged", "dismissed", "escalated", NULL};
    static const char *const severities[] = {"high", "medium", "low", NULL};
    warnings_filter f;
    memset(&f, 0, sizeof f);
    f.unit_code = http_query(r, "unit");
    f.item = http_query(r, "item");
    f.rule = http_query(r, "rule");
    f.status = http_query(r, "status");
    f.severity = http_query(r, "severity");
    f.cell_id = http_query(r, "cell");
    f.date_from = http_query(r, "from");
    f.date_to = http_query(r, "to");
    f.sort = http_query(r, "sort");
    f.state = http_query(r, "state");
    if (f.status && !one_of(f.status, statuses))
        return ag_fail(err, AG_ERR_USAGE, "status",
                       "status 应为 open、acknowledged、dismissed 或 escalated",
                       "status is open, acknowledged, dismissed or escalated");
    if (f.severity && !one_of(f.severity, severities))
        return ag_fail(err, AG_ERR_USAGE, "severity", "severity 应为 high、medium 或 low",
                       "severity is high, medium or low");
    /* Dates and the sort key: 400 with the parameter's name. */
    ag_err rc = warnings_filter_check(&f, err);
    if (rc)
        return rc;
    f.limit = limit;
    f.offset = offset;
    /* A unit or cell filter outside the scope simply matches nothing. */
    return warnings_list_scoped(http_store(r), &f, &http_user(r)->scope, out, err);
}

ag_err api_warnings(http_req *r, ag_error *err)
{
    return api_list_page(r, list_warnings, err);
}

static ag_err warning_id(http_req *r, int64_t *id, ag_error *err)
{
    if (!api_parse_id(http_param(r, "id"), id))
        return ag_fail(err, AG_ERR_NOTFOUND, "id", "预警 %s 不存在", "no warning %s",
                       http_param(r, "id"));
    return AG_OK;
}

/* Writes warning w with the actions the signed-in user may take on it; consumes w. */
static void reply_warning(http_req *r, json_t *w)
{
    const session_user *u = http_user(r);
    json_object_set_new(w, "actions", warnings_actions(w, &u->scope, u->username));
    /* Who decided, by name: the record keeps the user name. */
    static const char *const who[] = {"status_by", "review_by"};
    for (int k = 0; k < 2; k++) {
        const char *by = json_string_value(json_object_get(w, who[k]));
        char actor[160], name[256], key[32];
        ag_error e;
        snprintf(key, sizeof key, "%s_name", who[k]);
        if (!by) {
            json_object_set_new(w, key, json_null());
            continue;
        }
        snprintf(actor, sizeof actor, "user:%s", by);
        names_actor(http_store(r), actor, name, sizeof name, &e);
        json_object_set_new(w, key, json_string(name));
    }
    hj_value(http_out(r), w);
    json_decref(w);
}

ag_err api_warning(http_req *r, ag_error *err)
{
    int64_t id;
    json_t *w = NULL;
    ag_err rc = warning_id(r, &id, err);
    if (!rc)
        rc = warnings_get(http_store(r), id, &http_user(r)->scope, &w, err);
    if (rc)
        return rc;
    reply_warning(r, w);
    return AG_OK;
}

ag_err api_triage(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"action", "reason", "project_id", "rect_class", NULL};
    int64_t id, project_id = 0;
    const char *action = NULL, *reason = NULL, *rect_class = NULL;
    const api_field fields[] = {api_str("action", true, 32, &action),
                                api_str("reason", false, 2000, &reason), api_end()};
    ag_err rc = warning_id(r, &id, err);
    if (!rc)
        rc = api_body_read(r, keys, fields, err);
    bool to_finding = !rc && !strcmp(action, "to_finding");
    bool to_rect = !rc && !strcmp(action, "to_rectification");
    if (!rc && to_finding)
        rc = api_body_int(r, "project_id", true, 1, INT64_MAX, &project_id, err);
    if (!rc && to_rect)
        rc = http_body_str(r, "rect_class", false, 16, &rect_class, err);
    json_t *w = NULL;
    const session_user *u = http_user(r);
    api_actor_buf ab;
    if (!rc && to_finding) {
        rc =
            app_warning_to_finding(http_store(r), api_actor(r, &ab), id, project_id, NULL, &w, err);
    } else if (!rc && to_rect) {
        rc = app_warning_to_rectification(http_store(r), api_actor(r, &ab), id, rect_class, NULL,
                                          &w, err);
    } else if (!rc) {
        rc = warnings_triage(http_store(r), id, &u->scope, action, reason, u->username, &w, err);
    }
    if (rc)
        return rc;
    reply_warning(r, w);
    return AG_OK;
}

ag_err api_warning_settings(http_req *r, ag_error *err)
{
    int share = 0;
    ag_err rc = warnings_review_share(http_store(r), &share, err);
    if (!rc)
        api_reply_json(r, 200,
                       json_pack("{s:i,s:i}", "share", share, "default", WARNINGS_REVIEW_SHARE));
    return rc;
}

ag_err api_warning_settings_put(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"share", NULL};
    int64_t share = -1;
    ag_err rc = http_body_only(r, keys, err);
    if (!rc)
        rc = api_body_int(r, "share", true, 0, 100, &share, err);
    if (!rc)
        rc = warnings_set_review_share(http_store(r), (int)share, err);
    if (rc)
        return rc;
    return api_warning_settings(r, err);
}

ag_err api_warning_rules(http_req *r, ag_error *err)
{
    (void)err;
    api_reply_json(r, 200, json_pack("{s:o}", "items", warnings_rules()));
    return AG_OK;
}
