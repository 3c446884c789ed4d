/* api_assess.c - /api/v1/assess/… and /api/v1/units/{code}/assess/{year}: the internal-audit
 * performance assessment (issue 15 §2): the rubric, the year's ranking, a unit's assessment,
 * the self-assessment, the reviews, publication. */
#include "http/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/assess.h"
#include "util/banned.h"

static ag_err path_year(http_req *r, int *year, ag_error *err)
{
    return api_path_year(r, ASSESS_YEAR_MIN, ASSESS_YEAR_MAX, year, err);
}

ag_err api_assess_rubric(http_req *r, ag_error *err)
{
    int64_t v = 0;
    const char *q = http_query(r, "version");
    if (q && !api_parse_id(q, &v))
        return ag_fail(err, AG_ERR_INPUT, "version", "版本应为正整数",
                       "version is a positive integer");
    json_t *o = NULL;
    ag_err rc = assess_rubric_get(http_store(r), v, &o, err);
    return api_reply_result(r, rc, 200, o);
}

ag_err api_assess_rubric_install(http_req *r, ag_error *err)
{
    char *text = json_dumps(http_body(r), JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!text)
        return ag_fail(err, AG_ERR_INPUT, "body", "须提交考核规则 JSON", "send the rubric as JSON");
    api_actor_buf ab;
    int64_t v = 0;
    ag_err rc = app_assess_rubric_install(http_store(r), api_actor(r, &ab), text, strlen(text),
                                          "api", &v, err);
    free(text);
    json_t *o = NULL;
    if (!rc)
        rc = assess_rubric_get(http_store(r), v, &o, err);
    return api_reply_result(r, rc, 201, o);
}

ag_err api_assess_year(http_req *r, ag_error *err)
{
    int year = 0;
    json_t *o = NULL;
    ag_err rc = path_year(r, &year, err);
    if (!rc)
        rc = assess_year_json(http_store(r), &http_user(r)->scope, year, http_query(r, "cell"), &o,
                              err);
    return api_reply_result(r, rc, 200, o);
}

ag_err api_assess_publish(http_req *r, ag_error *err)
{
    int year = 0;
    json_t *o = NULL;
    api_actor_buf ab;
    ag_err rc = path_year(r, &year, err);
    if (!rc)
        rc = app_assess_publish(http_store(r), api_actor(r, &ab), year, &o, err);
    return api_reply_result(r, rc, 200, o);
}

ag_err api_assess_unit(http_req *r, ag_error *err)
{
    int year = 0;
    json_t *o = NULL;
    api_actor_buf ab;
    ag_err rc = path_year(r, &year, err);
    if (!rc)
        rc = assess_unit_json(http_store(r), api_actor(r, &ab), http_param(r, "code"), year, &o,
                              err);
    return api_reply_result(r, rc, 200, o);
}

/* The body's "items" into v (at most ASSESS_MAX_ITEMS; strings borrowed from the body); text_key
 * is "basis" or "reason". ids: room for the attachment ids (self only, may be NULL). */
static ag_err read_items(http_req *r, const char *text_key, assess_item_in *v, int *n,
                         int64_t (*ids)[8], ag_error *err)
{
    json_t *arr = json_object_get(http_body(r), "items");
    *n = 0;
    if (!arr)
        return AG_OK;
    if (!json_is_array(arr) || json_array_size(arr) > ASSESS_MAX_ITEMS)
        return ag_fail(err, AG_ERR_INPUT, "items", "items 应为至多 %d 项的列表",
                       "items is a list of at most %d", ASSESS_MAX_ITEMS);
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *it = json_array_get(arr, i), *sc = json_object_get(it, "score");
        json_t *tx = json_object_get(it, text_key), *at = json_object_get(it, "attachment_ids");
        char f[48];
        snprintf(f, sizeof f, "items[%zu].indicator", i);
        if (!json_is_object(it) || !json_is_string(json_object_get(it, "indicator")))
            return ag_fail(err, AG_ERR_INPUT, f, "缺少指标代码", "the indicator is required");
        snprintf(f, sizeof f, "items[%zu].score", i);
        if (!json_is_number(sc))
            return ag_fail(err, AG_ERR_INPUT, f, "得分应为数字", "the score is a number");
        snprintf(f, sizeof f, "items[%zu].%s", i, text_key);
        if (tx && !json_is_null(tx) && !json_is_string(tx))
            return ag_fail(err, AG_ERR_INPUT, f, "应为文字", "a text is expected");
        snprintf(f, sizeof f, "items[%zu].attachment_ids", i);
        int k = 0;
        if (at && (!ids || !json_is_array(at) || json_array_size(at) > 8))
            return ag_fail(err, AG_ERR_INPUT, f, "附件编号应为至多8个的列表",
                           "attachment_ids is a list of at most 8 ids");
        for (size_t j = 0; at && j < json_array_size(at); j++) {
            json_t *id = json_array_get(at, j);
            if (!json_is_integer(id) || json_integer_value(id) <= 0)
                return ag_fail(err, AG_ERR_INPUT, f, "附件编号应为正整数",
                               "attachment ids are positive integers");
            ids[i][k++] = (int64_t)json_integer_value(id);
        }
        v[i] = (assess_item_in){json_string_value(json_object_get(it, "indicator")),
                                json_number_value(sc), json_string_value(tx), k ? ids[i] : NULL, k};
        *n = (int)i + 1;
    }
    return AG_OK;
}

ag_err api_assess_self(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"items", NULL};
    int year = 0, n = 0;
    assess_item_in items[ASSESS_MAX_ITEMS];
    int64_t(*ids)[8] = calloc(ASSESS_MAX_ITEMS, sizeof *ids);
    if (!ids)
        return ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    ag_err rc = path_year(r, &year, err);
    if (!rc)
        rc = http_body_only(r, keys, err);
    if (!rc)
        rc = read_items(r, "basis", items, &n, ids, err);
    api_actor_buf ab;
    json_t *o = NULL;
    if (!rc)
        rc = app_assess_self_save(http_store(r), api_actor(r, &ab), http_param(r, "code"), year,
                                  items, n, &o, err);
    free(ids);
    return api_reply_result(r, rc, 200, o);
}

ag_err api_assess_submit(http_req *r, ag_error *err)
{
    int year = 0;
    api_actor_buf ab;
    json_t *o = NULL;
    ag_err rc = path_year(r, &year, err);
    if (!rc)
        rc = app_assess_self_submit(http_store(r), api_actor(r, &ab), http_param(r, "code"), year,
                                    &o, err);
    return api_reply_result(r, rc, 200, o);
}

ag_err api_assess_review(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"stage", "items", "note", NULL};
    int year = 0, n = 0;
    const char *stage = NULL, *note = NULL;
    assess_item_in items[ASSESS_MAX_ITEMS];
    ag_err rc = path_year(r, &year, err);
    if (!rc)
        rc = http_body_only(r, keys, err);
    if (!rc)
        rc = http_body_str(r, "stage", true, 16, &stage, err);
    if (!rc)
        rc = http_body_str(r, "note", false, ASSESS_MAX_TEXT, &note, err);
    if (!rc)
        rc = read_items(r, "reason", items, &n, NULL, err);
    api_actor_buf ab;
    json_t *o = NULL;
    if (!rc)
        rc = app_assess_review(http_store(r), api_actor(r, &ab), http_param(r, "code"), year, stage,
                               items, n, note, &o, err);
    return api_reply_result(r, rc, 200, o);
}
