/* api_rectify.c - the rectification ledger (整改台账): items to closure, exports, deadlines,
 * escalation and notifications. */
#include "http/api.h"

#include <stdio.h>
#include <string.h>

#include "app/rectify.h"
#include "domain/names.h"
#include "domain/rectify.h"
#include "domain/wf_query.h"
#include "export/export.h"
#include "util/clock.h"
#include "util/date.h"
#include "util/banned.h"

static const char *const classes[] = {"immediate", "phased", "continuous", NULL};

/* The list filters shared by the ledger and its export. */
static ag_err read_filter(http_req *r, rectify_filter *f, ag_error *err)
{
    memset(f, 0, sizeof *f);
    f->unit_code = http_query(r, "unit");
    f->state = http_query(r, "state");
    f->cell_id = http_query(r, "cell");
    const char *p = http_query(r, "project");
    if (p && !api_parse_id(p, &f->project_id))
        return ag_fail(err, AG_ERR_USAGE, "project", "project 应为审计项目编号（正整数）",
                       "project is an audit project id (a positive integer)");
    if (f->state && strcmp(f->state, "overdue") != 0 &&
        !api_one_of(f->state, rectify_states, rectify_state_count))
        return ag_fail(err, AG_ERR_USAGE, "state",
                       "state 应为 open、in_progress、claimed、continuous、closed 或 overdue",
                       "state is open, in_progress, claimed, continuous, closed or overdue");
    return AG_OK;
}

static ag_err list_items(http_req *r, int64_t limit, int64_t offset, json_t **out, ag_error *err)
{
    rectify_filter f;
    ag_err rc = read_filter(r, &f, err);
    f.limit = limit;
    f.offset = offset;
    return rc ? rc : rectify_list(http_store(r), &f, &http_user(r)->scope, out, err);
}

ag_err api_rectifications(http_req *r, ag_error *err)
{
    return api_list_page_yuan(r, list_items, err);
}

ag_err api_rectify_summary(http_req *r, ag_error *err)
{
    return api_reply_scoped(r, rectify_summary, err);
}

/* The item with the actions the signed-in user may take on it now (issue 13 §4). */
ag_err api_rectification(http_req *r, ag_error *err)
{
    return api_get_with_actions(r, "rectification", rectify_get, rectify_actions, err);
}

typedef struct ledger_ctx {
    const json_t *items;
    const char *title;
} ledger_ctx;

static ag_err write_ledger(const char *path, void *ctx, ag_error *err)
{
    const ledger_ctx *c = ctx;
    return export_rectify_xlsx(c->items, c->title, path, err);
}

ag_err api_rectify_export(http_req *r, ag_error *err)
{
    rectify_filter f;
    ag_err rc = read_filter(r, &f, err);
    if (rc)
        return rc;
    f.limit = -1;
    json_t *list = NULL;
    rc = rectify_list(http_store(r), &f, &http_user(r)->scope, &list, err);
    if (rc)
        return rc;
    char today[11], title[200], name[80];
    ag_date_format(ag_clock_today(), today);
    const char *uname = json_string_value(
        json_object_get(json_array_get(json_object_get(list, "items"), 0), "unit_name"));
    if (f.unit_code && uname)
        snprintf(title, sizeof title, "整改台账（%s）", uname);
    else
        snprintf(title, sizeof title, "整改台账");
    snprintf(name, sizeof name, "整改台账-%s.xlsx", today);
    ledger_ctx c = {json_object_get(list, "items"), title};
    rc = api_serve_xlsx(r, name, write_ledger, &c, err);
    json_decref(list);
    return rc;
}

typedef struct certificate_ctx {
    http_req *r;
    int64_t id;
} certificate_ctx;

static ag_err write_certificate(const char *path, void *ctx, ag_error *err)
{
    const certificate_ctx *c = ctx;
    return app_rectify_certificate(http_store(c->r), &http_user(c->r)->scope, c->id, path, err);
}

ag_err api_rectify_certificate(http_req *r, ag_error *err)
{
    int64_t id;
    json_t *item = NULL;
    ag_err rc = api_path_id(r, "rectification", &id, err);
    /* The file name needs the project's code; the form is the use case's. */
    if (!rc)
        rc = rectify_get(http_store(r), id, &http_user(r)->scope, &item, err);
    if (rc)
        return rc;
    char name[120];
    const char *pcode = json_string_value(json_object_get(item, "project_code"));
    snprintf(name, sizeof name, "对账销号单-%s-%lld.xlsx", pcode ? pcode : "", (long long)id);
    json_decref(item);
    certificate_ctx c = {r, id};
    return api_serve_xlsx(r, name, write_certificate, &c, err);
}

/* ---- the audited unit's side and the team's verification ------------------ */

/* progress and claim: a text and optional attachments. */
static ag_err text_with_files(http_req *r, const char *key, bool claim, ag_error *err)
{
    static const char *const pkeys[] = {"text", "attachment_ids", NULL};
    static const char *const ckeys[] = {"result", "attachment_ids", NULL};
    int64_t id, *ids = NULL;
    int n = 0;
    const char *text = NULL;
    api_actor_buf ab;
    const audit_actor *a = api_actor(r, &ab);
    const api_field fields[] = {api_str(key, true, 20000, &text), api_end()};
    ag_err rc = api_path_body(r, "rectification", &id, claim ? ckeys : pkeys, fields, err);
    if (!rc)
        rc = api_body_ids(r, "attachment_ids", &ids, &n, err);
    if (!rc && claim)
        rc = rectify_claim(http_store(r), a, id, text, ids, n, err);
    else if (!rc)
        rc = rectify_progress(http_store(r), a, id, text, ids, n, err);
    free(ids);
    if (!rc)
        rc = api_reply_get(r, 200, rectify_get, id, err);
    return rc;
}

ag_err api_rectify_progress(http_req *r, ag_error *err)
{
    return text_with_files(r, "text", false, err);
}

ag_err api_rectify_claim(http_req *r, ag_error *err)
{
    return text_with_files(r, "result", true, err);
}

/* A change of an item by texts of the body (keys[0] is required and at most
 * max0 bytes; keys[1], when there is one, at most 4000 and required when
 * need1), handed to decide; the answer is the item as it then stands. */
typedef ag_err (*decide_fn)(ag_store *st, const audit_actor *a, int64_t id, const char *first,
                            const char *second, ag_error *err);

static ag_err decide(http_req *r, const char *const keys[3], size_t max0, bool need1, decide_fn fn,
                     ag_error *err)
{
    int64_t id;
    const char *first = NULL, *second = NULL;
    api_actor_buf ab;
    const audit_actor *a = api_actor(r, &ab);
    const api_field fields[] = {api_str(keys[0], true, (int64_t)max0, &first),
                                api_str(keys[1], need1, 4000, &second), api_end()};
    ag_err rc = api_path_body(r, "rectification", &id, keys, fields, err);
    if (!rc)
        rc = fn(http_store(r), a, id, first, second, err);
    if (!rc)
        rc = api_reply_get(r, 200, rectify_get, id, err);
    return rc;
}

/* The audited unit's measures: one text. */
static ag_err set_measures(ag_store *st, const audit_actor *a, int64_t id, const char *text,
                           const char *none, ag_error *err)
{
    (void)none;
    return rectify_set_measures(st, a, id, text, err);
}

ag_err api_rectify_measures(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"measures", NULL, NULL};
    return decide(r, keys, 20000, false, set_measures, err);
}

ag_err api_rectify_verify(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"decision", "note", NULL};
    return decide(r, keys, 16, false, rectify_verify, err);
}

ag_err api_rectify_deadline(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"deadline", "reason", NULL};
    return decide(r, keys, 10, true, rectify_set_deadline, err);
}

/* ---- the bureau's side ------------------------------------------------------ */

ag_err api_rectify_escalate(http_req *r, ag_error *err)
{
    int64_t n = 0;
    ag_err rc = rectify_escalate(http_store(r), &n, err);
    if (rc)
        return rc;
    char today[11];
    ag_date_format(ag_clock_today(), today);
    hj_writer *w = http_out(r);
    hj_obj_begin(w);
    hj_kint(w, "escalated", n);
    hj_kstr(w, "date", today);
    hj_obj_end(w);
    return AG_OK;
}

ag_err api_rectify_settings(http_req *r, ag_error *err)
{
    json_t *o = NULL;
    ag_err rc = rectify_deadline_settings(http_store(r), &o, err);
    if (!rc)
        api_reply_json(r, 200, o);
    return rc;
}

ag_err api_rectify_settings_put(http_req *r, ag_error *err)
{
    int64_t days[3] = {0, 0, 0};
    int given = 0;
    ag_err rc = http_body_only(r, classes, err);
    for (int i = 0; !rc && i < 3; i++) {
        rc = api_body_int(r, classes[i], false, 1, 1095, &days[i], err);
        given += days[i] > 0;
    }
    if (!rc && !given)
        rc = ag_fail(err, AG_ERR_INPUT, "body",
                     "须给出 immediate、phased、continuous 中至少一类的天数",
                     "give the days of at least one of immediate, phased, continuous");
    /* All or nothing. */
    const int set[3] = {(int)days[0], (int)days[1], (int)days[2]};
    if (!rc)
        rc = app_rectify_set_deadlines(http_store(r), set, err);
    if (!rc)
        rc = api_rectify_settings(r, err);
    return rc;
}

ag_err api_notifications(http_req *r, ag_error *err)
{
    int64_t limit = 50;
    const char *l = http_query(r, "limit");
    if (l && (!api_parse_id(l, &limit) || limit > HTTP_PER_PAGE_MAX))
        return ag_fail(err, AG_ERR_USAGE, "limit", "limit 应为 1 到 %d 的整数",
                       "limit is an integer from 1 to %d", HTTP_PER_PAGE_MAX);
    const char *u = http_query(r, "unread");
    if (u && strcmp(u, "0") != 0 && strcmp(u, "1") != 0)
        return ag_fail(err, AG_ERR_USAGE, "unread", "unread 应为 0 或 1", "unread is 0 or 1");
    json_t *o = NULL;
    ag_err rc = rectify_notifications(http_store(r), &http_user(r)->scope, limit,
                                      u && !strcmp(u, "1"), &o, err);
    if (!rc)
        api_reply_json(r, 200, o);
    return rc;
}

ag_err api_notification_read(http_req *r, ag_error *err)
{
    static const char *const none[] = {NULL};
    int64_t id;
    api_actor_buf ab;
    const audit_actor *a = api_actor(r, &ab);
    ag_err rc = api_path_id(r, "notification", &id, err);
    /* The body may be empty; given, it is an object without fields. */
    if (!rc && http_body(r))
        rc = http_body_only(r, none, err);
    if (!rc)
        rc = rectify_notification_read(http_store(r), a, id, err);
    if (!rc)
        rc = api_reply_get(r, 200, rectify_notification_get, id, err);
    return rc;
}
