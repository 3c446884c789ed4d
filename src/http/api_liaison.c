/* api_liaison.c - /api/v1/liaison/…: the grid liaison's contact and visit log, the to-do list of
 * slipped cadences, the bureau's cadence and the reminders (issue 14 §5). */
#include "http/api.h"

#include <string.h>

#include "app/liaison.h"
#include "util/clock.h"
#include "util/banned.h"

static ag_err list_logs(http_req *r, int64_t limit, int64_t offset, json_t **out, ag_error *err)
{
    liaison_filter f = {http_query(r, "unit"), http_query(r, "kind"), limit, offset};
    return liaison_log_list(http_store(r), &f, &http_user(r)->scope, out, err);
}

ag_err api_liaison_logs(http_req *r, ag_error *err)
{
    return api_list_page(r, list_logs, err);
}

ag_err api_liaison_log_add(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"unit_code", "date",      "kind", "person",
                                       "notes",     "followups", NULL};
    const char *v[6] = {NULL, NULL, NULL, NULL, NULL, NULL};
    static const size_t max[6] = {64, 10, 16, 200, 4000, 4000};
    ag_err rc = http_body_only(r, keys, err);
    for (int i = 0; !rc && i < 6; i++)
        rc = http_body_str(r, keys[i], false, max[i], &v[i], err);
    if (rc)
        return rc;
    liaison_log_in in = {v[0], v[1], v[2], v[3], v[4], v[5]};
    api_actor_buf ab;
    json_t *o = NULL;
    rc = app_liaison_log(http_store(r), api_actor(r, &ab), &in, &o, err);
    return api_reply_result(r, rc, 201, o);
}

ag_err api_liaison_todo(http_req *r, ag_error *err)
{
    json_t *o = NULL;
    ag_err rc = liaison_todo(http_store(r), &http_user(r)->scope, http_query(r, "cell"),
                             ag_clock_today(), &o, err);
    return api_reply_result(r, rc, 200, o);
}

ag_err api_liaison_cadence(http_req *r, ag_error *err)
{
    liaison_cadence c;
    ag_err rc = liaison_cadence_get(http_store(r), &c, err);
    if (!rc)
        api_reply_json(r, 200, liaison_cadence_json(&c));
    return rc;
}

ag_err api_liaison_cadence_put(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"contact_days", "visit_days", NULL};
    int64_t days[2] = {0, 0};
    ag_err rc = http_body_only(r, keys, err);
    for (int i = 0; !rc && i < 2; i++)
        rc = api_body_int(r, keys[i], false, 1, LIAISON_MAX_DAYS, &days[i], err);
    if (!rc && !days[0] && !days[1])
        rc = ag_fail(err, AG_ERR_INPUT, "body", "须给出 contact_days 或 visit_days（天）",
                     "give contact_days or visit_days (days)");
    liaison_cadence c = {(int)days[0], (int)days[1]};
    json_t *o = NULL;
    if (!rc)
        rc = app_liaison_set_cadence(http_store(r), &c, &o, err);
    return api_reply_result(r, rc, 200, o);
}

ag_err api_liaison_remind(http_req *r, ag_error *err)
{
    int64_t n = 0;
    ag_err rc = app_liaison_remind(http_store(r), &n, err);
    if (!rc)
        api_reply_json(r, 200, json_pack("{s:I}", "created", (json_int_t)n));
    return rc;
}
