/* api_rating.c - /api/v1/rating/… and /api/v1/units/{code}/rating…: the 0–5A internal-control
 * grade's rubric, years, a unit's self-evaluation and review, publication (issue 15 §1). */
#include "http/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/rating.h"
#include "util/banned.h"

static ag_err path_year(http_req *r, int *year, ag_error *err)
{
    return api_path_year(r, RATING_YEAR_MIN, RATING_YEAR_MAX, year, err);
}

ag_err api_rating_rubric(http_req *r, ag_error *err)
{
    int64_t v = 0;
    const char *q = http_query(r, "version");
    if (q && !api_parse_id(q, &v))
        return ag_fail(err, AG_ERR_USAGE, "version", "version 应为正整数",
                       "version must be a positive integer");
    json_t *o = NULL;
    ag_err rc = rating_rubric_get(http_store(r), v, &o, err);
    return api_reply_result(r, rc, 200, o);
}

ag_err api_rating_rubric_install(http_req *r, ag_error *err)
{
    json_t *body = http_body(r);
    char *text = body ? json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    if (!text)
        return ag_fail(err, AG_ERR_USAGE, "body", "请求体应为评级细则 JSON",
                       "the body must be a rating rubric (JSON)");
    api_actor_buf ab;
    json_t *o = NULL;
    ag_err rc = app_rating_rubric_install(http_store(r), api_actor(r, &ab), text, strlen(text),
                                          "body", &o, err);
    free(text);
    return api_reply_result(r, rc, 201, o);
}

ag_err api_rating_year(http_req *r, ag_error *err)
{
    int year = 0;
    json_t *o = NULL;
    ag_err rc = path_year(r, &year, err);
    if (!rc)
        rc = rating_year_json(http_store(r), &http_user(r)->scope, year, &o, err);
    return api_reply_result(r, rc, 200, o);
}

ag_err api_rating_publish(http_req *r, ag_error *err)
{
    int year = 0;
    json_t *o = NULL;
    api_actor_buf ab;
    ag_err rc = path_year(r, &year, err);
    if (!rc)
        rc = app_rating_publish(http_store(r), api_actor(r, &ab), year, &o, err);
    return api_reply_result(r, rc, 200, o);
}

ag_err api_rating_unit(http_req *r, ag_error *err)
{
    int year = 0;
    json_t *o = NULL;
    api_actor_buf ab;
    ag_err rc = path_year(r, &year, err);
    if (!rc)
        rc = rating_unit_json(http_store(r), api_actor(r, &ab), http_param(r, "code"), year, &o,
                              err);
    return api_reply_result(r, rc, 200, o);
}

ag_err api_rating_history(http_req *r, ag_error *err)
{
    const char *code = http_param(r, "code");
    json_t *o = NULL;
    ag_err rc = api_unit_in_scope(r, code, err);
    if (!rc)
        rc = rating_history(http_store(r), code, &o, err);
    return api_reply_result(r, rc, 200, o);
}

/* The answers of the PUT body, each with its attachment ids; *ids holds them all. */
static ag_err read_answers(json_t *arr, rating_answer_in *in, int64_t *ids, int *n, ag_error *err)
{
    char w[80];
    *n = 0;
    if (!arr)
        return AG_OK;
    if (!json_is_array(arr) || json_array_size(arr) > RATING_MAX_ANSWERS)
        return ag_fail(err, AG_ERR_INPUT, "answers", "answers 应为至多 %d 项的数组",
                       "answers must be an array of at most %d entries", RATING_MAX_ANSWERS);
    int used = 0;
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *x = json_array_get(arr, i);
        const char *keys[] = {"point", "score", "note", "attachment_ids"};
        snprintf(w, sizeof w, "answers[%zu]", i);
        if (!json_is_object(x))
            return ag_fail(err, AG_ERR_INPUT, w, "应为对象", "must be an object");
        const char *k;
        json_t *v;
        json_object_foreach(x, k, v)
        {
            bool known = false;
            for (int j = 0; j < 4; j++)
                known = known || !strcmp(k, keys[j]);
            if (!known) {
                snprintf(w, sizeof w, "answers[%zu].%s", i, k);
                return ag_fail(err, AG_ERR_INPUT, w, "未知字段", "unknown field");
            }
        }
        snprintf(w, sizeof w, "answers[%zu].point", i);
        json_t *p = json_object_get(x, "point");
        if (!json_is_string(p) || json_string_length(p) > 16)
            return ag_fail(err, AG_ERR_INPUT, w, "应为评价要点编号（如 U1.1）",
                           "must be an evaluation point code (e.g. U1.1)");
        snprintf(w, sizeof w, "answers[%zu].score", i);
        int64_t c = 0;
        if (!rating_score_parse(json_object_get(x, "score"), &c))
            return ag_fail(err, AG_ERR_INPUT, w, "得分应为不小于0、至多两位小数的数",
                           "the score must be a number of at least 0 with at most two decimals");
        json_t *note = json_object_get(x, "note");
        snprintf(w, sizeof w, "answers[%zu].note", i);
        if (note && !json_is_null(note) &&
            (!json_is_string(note) || json_string_length(note) > RATING_NOTE_MAX))
            return ag_fail(err, AG_ERR_INPUT, w, "说明应为至多2000字节的文字",
                           "the note must be text of at most 2000 bytes");
        json_t *att = json_object_get(x, "attachment_ids");
        snprintf(w, sizeof w, "answers[%zu].attachment_ids", i);
        if (att && !json_is_null(att) &&
            (!json_is_array(att) || json_array_size(att) > RATING_MAX_ATTACH))
            return ag_fail(err, AG_ERR_INPUT, w, "应为至多 %d 个附件编号的数组",
                           "must be an array of at most %d attachment ids", RATING_MAX_ATTACH);
        in[i] = (rating_answer_in){json_string_value(p), c,
                                   json_is_string(note) ? json_string_value(note) : NULL,
                                   ids + used, 0};
        for (size_t j = 0; j < json_array_size(att); j++) {
            json_t *id = json_array_get(att, j);
            if (!json_is_integer(id) || json_integer_value(id) <= 0)
                return ag_fail(err, AG_ERR_INPUT, w, "附件编号应为正整数",
                               "attachment ids must be positive integers");
            ids[used++] = json_integer_value(id);
            in[i].nattachments++;
        }
    }
    *n = (int)json_array_size(arr);
    return AG_OK;
}

ag_err api_rating_self_put(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"answers", "inapplicable", NULL};
    int year = 0;
    ag_err rc = path_year(r, &year, err);
    if (!rc)
        rc = http_body_only(r, keys, err);
    if (rc)
        return rc;
    json_t *body = http_body(r);
    rating_answer_in *in = calloc(RATING_MAX_ANSWERS, sizeof *in);
    int64_t *ids = calloc((size_t)RATING_MAX_ANSWERS * RATING_MAX_ATTACH, sizeof *ids);
    const char *inap[32];
    int n = 0, ninap = 0;
    if (!in || !ids)
        rc = ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    if (!rc)
        rc = read_answers(json_object_get(body, "answers"), in, ids, &n, err);
    json_t *ia = json_object_get(body, "inapplicable");
    if (!rc && ia && (!json_is_array(ia) || json_array_size(ia) > 32))
        rc = ag_fail(err, AG_ERR_INPUT, "inapplicable", "应为指标编号数组（如 [\"B5\"]）",
                     "must be an array of indicator codes (e.g. [\"B5\"])");
    for (size_t i = 0; !rc && i < json_array_size(ia); i++) {
        char w[40];
        snprintf(w, sizeof w, "inapplicable[%zu]", i);
        if (!json_is_string(json_array_get(ia, i)))
            rc = ag_fail(err, AG_ERR_INPUT, w, "应为指标编号", "must be an indicator code");
        else
            inap[ninap++] = json_string_value(json_array_get(ia, i));
    }
    api_actor_buf ab;
    json_t *o = NULL;
    if (!rc)
        rc = app_rating_self_save(http_store(r), api_actor(r, &ab), http_param(r, "code"), year, in,
                                  n, inap, ninap, ia != NULL, &o, err);
    free(in);
    free(ids);
    return api_reply_result(r, rc, 200, o);
}

ag_err api_rating_self_file(http_req *r, ag_error *err)
{
    int year = 0;
    json_t *o = NULL;
    api_actor_buf ab;
    ag_err rc = path_year(r, &year, err);
    if (!rc)
        rc = app_rating_self_file(http_store(r), api_actor(r, &ab), http_param(r, "code"), year, &o,
                                  err);
    return api_reply_result(r, rc, 200, o);
}

ag_err api_rating_review(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"adjustments", "note", NULL};
    int year = 0;
    ag_err rc = path_year(r, &year, err);
    if (!rc)
        rc = http_body_only(r, keys, err);
    const char *note = NULL;
    if (!rc)
        rc = http_body_str(r, "note", false, RATING_NOTE_MAX, &note, err);
    if (rc)
        return rc;
    json_t *arr = json_object_get(http_body(r), "adjustments");
    if (arr && (!json_is_array(arr) || json_array_size(arr) > RATING_MAX_ANSWERS))
        return ag_fail(err, AG_ERR_INPUT, "adjustments", "adjustments 应为数组",
                       "adjustments must be an array");
    rating_adjust_in *adj = calloc(RATING_MAX_ANSWERS, sizeof *adj);
    if (!adj)
        return ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    int n = (int)json_array_size(arr);
    for (int i = 0; !rc && i < n; i++) {
        json_t *x = json_array_get(arr, (size_t)i);
        char w[64];
        snprintf(w, sizeof w, "adjustments[%d].point", i);
        json_t *p = json_object_get(x, "point"), *why = json_object_get(x, "reason");
        if (!json_is_string(p) || json_string_length(p) > 16)
            rc = ag_fail(err, AG_ERR_INPUT, w, "应为评价要点编号（如 U1.1）",
                         "must be an evaluation point code (e.g. U1.1)");
        snprintf(w, sizeof w, "adjustments[%d].score", i);
        if (!rc && !rating_score_parse(json_object_get(x, "score"), &adj[i].score_c))
            rc = ag_fail(err, AG_ERR_INPUT, w, "得分应为不小于0、至多两位小数的数",
                         "the score must be a number of at least 0 with at most two decimals");
        snprintf(w, sizeof w, "adjustments[%d].reason", i);
        if (!rc && !json_is_string(why))
            rc =
                ag_fail(err, AG_ERR_INPUT, w, "调整得分须说明理由", "an adjustment needs a reason");
        if (!rc) {
            adj[i].point = json_string_value(p);
            adj[i].reason = json_string_value(why);
        }
    }
    api_actor_buf ab;
    json_t *o = NULL;
    if (!rc)
        rc = app_rating_review(http_store(r), api_actor(r, &ab), http_param(r, "code"), year, adj,
                               n, note, &o, err);
    free(adj);
    return api_reply_result(r, rc, 200, o);
}
