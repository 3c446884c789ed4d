/* api_wf.c - what the workflow handlers share: the actor, ids and integers of the body,
 * money in yuan and replies of one object. */
#include "http/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/names.h"
#include "domain/wf_query.h"
#include "util/banned.h"

#define MAX_ATTACHMENTS 50 /* attachment ids in one request */

const audit_actor *api_actor(http_req *r, api_actor_buf *b)
{
    const session_user *u = http_user(r);
    memset(&b->actor, 0, sizeof b->actor);
    b->actor.scope = u->scope;
    snprintf(b->name, sizeof b->name, "user:%s", u->username);
    b->actor.name = b->name;
    return &b->actor;
}

void api_reply_json(http_req *r, int status, json_t *v)
{
    wf_amounts_to_yuan(v);
    /* People by name next to the stored actors (issue 12 §3); the page falls back to its own
     * words should the lookup fail, so a failure here does not fail the request. */
    ag_error names_err;
    (void)names_annotate(http_store(r), v, &names_err);
    http_set_status(r, status);
    hj_value(http_out(r), v);
    json_decref(v);
}

ag_err api_reply_page(http_req *r, ag_err rc, json_t *list, int64_t page, int64_t per_page)
{
    if (!rc)
        http_write_page(r, list, page, per_page);
    json_decref(list);
    return rc;
}

ag_err api_reply_get(http_req *r, int status, api_get_fn get, int64_t id, ag_error *err)
{
    json_t *o = NULL;
    ag_err rc = get(http_store(r), id, &http_user(r)->scope, &o, err);
    if (!rc)
        api_reply_json(r, status, o);
    return rc;
}

ag_err api_get_by_id(http_req *r, const char *what, api_get_fn get, ag_error *err)
{
    int64_t id;
    ag_err rc = api_path_id(r, what, &id, err);
    if (!rc)
        rc = api_reply_get(r, 200, get, id, err);
    return rc;
}

ag_err api_get_with_actions(http_req *r, const char *what, api_get_fn get, api_actions_fn actions,
                            ag_error *err)
{
    int64_t id;
    json_t *o = NULL, *acts = NULL;
    api_actor_buf ab;
    const audit_actor *a = api_actor(r, &ab);
    ag_err rc = api_path_id(r, what, &id, err);
    if (!rc)
        rc = get(http_store(r), id, &http_user(r)->scope, &o, err);
    if (!rc)
        rc = actions(http_store(r), a, id, &acts, err);
    if (rc) {
        json_decref(o);
        return rc;
    }
    json_object_set_new(o, "actions", acts);
    api_reply_json(r, 200, o);
    return AG_OK;
}

/* What an {id} path parameter names, for the refusal of one that is not an id. */
static const struct {
    const char *what, *zh, *en;
} path_things[] = {
    {"audit", "审计项目", "audit project"},
    {"finding", "审计发现", "finding"},
    {"rectification", "整改事项", "rectification item"},
    {"notification", "提醒", "notification"},
    {"guidance", "指导意见", "guidance opinion"},
    {"visit", "督导检查", "supervision visit"},
    {"submission", "报送事项", "submission"},
    {"round", "交叉互审轮次", "cross-audit round"},
    {"user", "用户账号", "user account"},
    {"person", "人员", "person"},
    {"attachment", "附件", "attachment"},
};

ag_err api_path_id(http_req *r, const char *what, int64_t *id, ag_error *err)
{
    const char *s = http_param(r, "id");
    if (api_parse_id(s, id))
        return AG_OK;
    const char *zh = "记录", *en = "record";
    for (size_t i = 0; i < sizeof path_things / sizeof path_things[0]; i++)
        if (!strcmp(what, path_things[i].what)) {
            zh = path_things[i].zh;
            en = path_things[i].en;
        }
    return ag_fail(err, AG_ERR_NOTFOUND, "id", "%s %s 不存在%.0s%.0s", "%.0s%.0sno %s %s", zh,
                   s ? s : "", en, s ? s : "");
}

ag_err api_path_year(http_req *r, int min, int max, int *year, ag_error *err)
{
    int64_t y = 0;
    const char *s = http_param(r, "year");
    if (!s || !api_parse_id(s, &y) || y < min || y > max)
        return ag_fail(err, AG_ERR_NOTFOUND, "year", "年度应为 %d 到 %d 之间的四位数字",
                       "the year is four digits from %d to %d", min, max);
    *year = (int)y;
    return AG_OK;
}

ag_err api_body_int(http_req *r, const char *key, bool required, int64_t lo, int64_t hi,
                    int64_t *out, ag_error *err)
{
    json_t *v = http_body(r) ? json_object_get(http_body(r), key) : NULL;
    if (!v || json_is_null(v)) {
        if (required)
            return ag_fail(err, AG_ERR_INPUT, key, "缺少字段 %s", "field %s is required", key);
        return AG_OK;
    }
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
        return ag_fail(err, AG_ERR_INPUT, key, "字段 %s 应为 %lld 到 %lld 之间的整数",
                       "field %s must be an integer from %lld to %lld", key, (long long)lo,
                       (long long)hi);
    *out = json_integer_value(v);
    return AG_OK;
}

ag_err api_body_ids(http_req *r, const char *key, int64_t **ids, int *n, ag_error *err)
{
    *ids = NULL;
    *n = 0;
    json_t *v = http_body(r) ? json_object_get(http_body(r), key) : NULL;
    if (!v || json_is_null(v))
        return AG_OK;
    if (!json_is_array(v) || json_array_size(v) > MAX_ATTACHMENTS)
        return ag_fail(err, AG_ERR_INPUT, key, "字段 %s 应为至多 %d 个编号的数组",
                       "field %s must be an array of at most %d ids", key, MAX_ATTACHMENTS);
    size_t k = json_array_size(v);
    int64_t *out = calloc(k ? k : 1, sizeof *out);
    if (!out)
        return ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    for (size_t i = 0; i < k; i++) {
        json_t *x = json_array_get(v, i);
        if (!json_is_integer(x) || json_integer_value(x) <= 0) {
            free(out);
            return ag_fail(err, AG_ERR_INPUT, key, "字段 %s 的元素应为正整数编号",
                           "the elements of %s must be positive integer ids", key);
        }
        out[i] = json_integer_value(x);
    }
    *ids = out;
    *n = (int)k;
    return AG_OK;
}

bool api_one_of(const char *v, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(v, names[i]))
            return true;
    return false;
}

ag_err api_body_read(http_req *r, const char *const *keys, const api_field *fields, ag_error *err)
{
    ag_err rc = keys ? http_body_only(r, keys, err) : AG_OK;
    for (const api_field *f = fields; !rc && f->key; f++) {
        if (!f->str) {
            rc = api_body_int(r, f->key, f->required, f->lo, f->hi, f->num, err);
            continue;
        }
        rc = http_body_str(r, f->key, f->required, (size_t)f->hi, f->str, err);
        if (!rc && f->blank_null && *f->str && !**f->str)
            *f->str = NULL;
    }
    return rc;
}

ag_err api_list_run(http_req *r, api_list_fn fn, int64_t *page, int64_t *per, json_t **list,
                    ag_error *err)
{
    *list = NULL;
    ag_err rc = http_page(r, page, per, err);
    return rc ? rc : fn(r, *per, (*page - 1) * *per, list, err);
}

ag_err api_path_body(http_req *r, const char *what, int64_t *id, const char *const *keys,
                     const api_field *fields, ag_error *err)
{
    ag_err rc = api_path_id(r, what, id, err);
    return rc ? rc : api_body_read(r, keys, fields, err);
}

static ag_err list_page(http_req *r, api_list_fn fn, bool yuan, ag_error *err)
{
    int64_t page, per;
    json_t *list;
    ag_err rc = api_list_run(r, fn, &page, &per, &list, err);
    if (!rc && yuan)
        wf_amounts_to_yuan(list);
    return api_reply_page(r, rc, list, page, per);
}

ag_err api_list_page(http_req *r, api_list_fn fn, ag_error *err)
{
    return list_page(r, fn, false, err);
}

ag_err api_list_page_yuan(http_req *r, api_list_fn fn, ag_error *err)
{
    return list_page(r, fn, true, err);
}

ag_err api_reply_result(http_req *r, ag_err rc, int status, json_t *v)
{
    if (rc) {
        json_decref(v);
        return rc;
    }
    api_reply_json(r, status, v);
    return AG_OK;
}

ag_err api_reply_scoped(http_req *r, api_scope_fn view, ag_error *err)
{
    json_t *o = NULL;
    ag_err rc = view(http_store(r), &http_user(r)->scope, &o, err);
    return api_reply_result(r, rc, 200, o);
}
