/* assess_rubric.c - the assessment rubric as data: checking a rubric file, installing versions,
 * the year's rubric (issue 15 §2). */
#include "domain/assess_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/wf_query.h"
#include "util/clock.h"
#include "util/date.h"
#include "util/hash.h"
#include "util/banned.h"

extern const unsigned char ag_res_assess_json[];
extern const size_t ag_res_assess_json_len;

json_t *assess_score_json(int64_t x2)
{
    if (x2 % 2 == 0)
        return json_integer((json_int_t)(x2 / 2));
    return json_real((double)x2 / 2.0);
}

bool assess_double_x2(double v, int64_t *x2)
{
    if (!isfinite(v) || fabs(v) > 1e6)
        return false;
    double d = v * 2.0, r = round(d);
    if (fabs(d - r) > 1e-9)
        return false;
    *x2 = (int64_t)r;
    return true;
}

int64_t assess_score_x2(const json_t *v)
{
    if (json_is_integer(v))
        return 2 * (int64_t)json_integer_value(v);
    return json_is_real(v) ? (int64_t)llround(json_real_value(v) * 2.0) : 0;
}

bool assess_num_x2(const json_t *v, int64_t *x2)
{
    if (json_is_integer(v)) {
        json_int_t i = json_integer_value(v);
        if (i > 1000000 || i < -1000000)
            return false;
        *x2 = (int64_t)i * 2;
        return true;
    }
    return json_is_real(v) && assess_double_x2(json_real_value(v), x2);
}

int64_t assess_ind_max_x2(const json_t *ind)
{
    int64_t x2 = 0;
    if (!assess_num_x2(json_object_get(ind, "max"), &x2))
        return 0;
    return x2;
}

int64_t assess_ind_min_x2(const json_t *ind)
{
    int64_t x2 = 0;
    if (!assess_num_x2(json_object_get(ind, "min"), &x2))
        return 0;
    return x2;
}

const json_t *assess_indicator(const json_t *rubric, const char *code, const json_t **group)
{
    json_t *groups = json_object_get(rubric, "groups");
    for (size_t g = 0; code && g < json_array_size(groups); g++) {
        json_t *gr = json_array_get(groups, g), *inds = json_object_get(gr, "indicators");
        for (size_t i = 0; i < json_array_size(inds); i++) {
            json_t *ind = json_array_get(inds, i);
            if (!strcmp(json_string_value(json_object_get(ind, "code")), code)) {
                if (group)
                    *group = gr;
                return ind;
            }
        }
    }
    return NULL;
}

void assess_day_end(int32_t day, char out[24])
{
    char d[11];
    ag_date_format(day, d);
    snprintf(out, 24, "%sT16:00:00Z", d);
}

/* ---- checking ------------------------------------------------------------------------------ */

typedef struct chk {
    const char *name;
    ag_error *err;
    char path[160];
} chk;

static ag_err bad(chk *c, const char *field, const char *zh, const char *en)
{
    char where[400];
    snprintf(where, sizeof where, "%s:%s%s%s", c->name, c->path, *c->path ? "." : "", field);
    return ag_fail(c->err, AG_ERR_INPUT, where, "考核规则 %s：%s%.0s",
                   "assessment rubric %s: %.0s%s", where, zh, en);
}

static const char *str_of(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s && *s ? s : NULL;
}

/* The name fields of o (name_zh, name_en, both required) and its code. */
static ag_err check_names(chk *c, const json_t *o)
{
    if (!str_of(o, "code") || strlen(str_of(o, "code")) > 15)
        return bad(c, "code", "缺少代码（至多15字节）", "a code of at most 15 bytes is required");
    if (!str_of(o, "name_zh"))
        return bad(c, "name_zh", "缺少中文名称", "the Chinese name is required");
    if (!str_of(o, "name_en"))
        return bad(c, "name_en", "缺少英文名称", "the English name is required");
    return AG_OK;
}

/* A number field of o in half points: required, a multiple of 0.5, of the sign wanted (+1
 * positive, -1 negative). */
static ag_err check_points(chk *c, const json_t *o, const char *key, int sign, int64_t *x2)
{
    json_t *v = json_object_get(o, key);
    if (!v)
        return bad(c, key, "缺少分值", "the points are required");
    if (!assess_num_x2(v, x2))
        return bad(c, key, "分值应为0.5的整数倍", "points are a multiple of 0.5");
    if (sign > 0 && *x2 <= 0)
        return bad(c, key, "分值应大于0", "points are above 0");
    if (sign < 0 && *x2 >= 0)
        return bad(c, key, "扣分应为负数", "a penalty is negative");
    return AG_OK;
}

static ag_err check_indicator(chk *c, const json_t *ind, const char *kind, int64_t *sum)
{
    ag_err rc = check_names(c, ind);
    const char *src = str_of(ind, "source");
    int64_t x2 = 0;
    bool penalty = !strcmp(kind, "penalty");
    if (!rc)
        rc = check_points(c, ind, penalty ? "min" : "max", penalty ? -1 : 1, &x2);
    *sum += x2;
    if (!rc && (!src || (strcmp(src, "data") && strcmp(src, "entered"))))
        rc = bad(c, "source", "来源应为 data（由数据计算）或 entered（填报）",
                 "source is data (computed) or entered");
    if (!rc && strcmp(kind, "base") && strcmp(src, "entered"))
        rc = bad(c, "source", "加分和扣分项应为填报（entered）",
                 "bonus and penalty indicators are entered");
    if (!rc && !strcmp(src, "data") && !assess_metric_known(str_of(ind, "metric")))
        rc = bad(c, "metric", "未知的计算口径（见 docs/formats.md）",
                 "unknown metric (see docs/formats.md)");
    /* issue 16 (report): the report quality metric names its kind of report */
    const char *rk = str_of(ind, "report_kind");
    if (!rc && !strcmp(src, "data") && !strcmp(str_of(ind, "metric"), "report_quality") &&
        (!rk || (strcmp(rk, "plan") && strcmp(rk, "audit") && strcmp(rk, "rectification") &&
                 strcmp(rk, "summary"))))
        rc = bad(c, "report_kind", "报告类别应为 plan、audit、rectification 或 summary",
                 "report_kind is plan, audit, rectification or summary");
    if (!rc && !str_of(ind, "basis_zh"))
        rc = bad(c, "basis_zh", "缺少计分依据说明", "the basis of the score is required");
    const char *by = str_of(ind, "entered_by");
    if (!rc && by && strcmp(by, "bureau") && strcmp(by, "unit"))
        rc = bad(c, "entered_by", "填报方应为 unit 或 bureau", "entered_by is unit or bureau");
    const char *hint = str_of(ind, "hint");
    if (!rc && hint && strcmp(hint, "training_competition"))
        rc = bad(c, "hint", "未知的参考数据（可用 training_competition）",
                 "unknown hint (training_competition is known)");
    json_t *per = json_object_get(ind, "per");
    int64_t px2 = 0;
    if (!rc && per && (!assess_num_x2(per, &px2) || px2 <= 0))
        rc = bad(c, "per", "每项扣分应为0.5的正整数倍", "per is a positive multiple of 0.5");
    return rc;
}

static ag_err check_group(chk *c, const json_t *g, json_t *codes, int64_t *base)
{
    ag_err rc = check_names(c, g);
    const char *kind = str_of(g, "kind");
    if (!rc &&
        (!kind || (strcmp(kind, "base") && strcmp(kind, "bonus") && strcmp(kind, "penalty"))))
        rc = bad(c, "kind", "类别应为 base（基本分）、bonus（加分）或 penalty（扣分）",
                 "kind is base, bonus or penalty");
    int64_t lim = 0;
    if (!rc)
        rc = check_points(c, g, !strcmp(kind, "penalty") ? "min" : "max",
                          !strcmp(kind, "penalty") ? -1 : 1, &lim);
    json_t *inds = json_object_get(g, "indicators");
    if (!rc && (!json_is_array(inds) || !json_array_size(inds)))
        rc = bad(c, "indicators", "缺少指标列表", "a list of indicators is required");
    if (rc)
        return rc;
    if (json_object_get(codes, str_of(g, "code")))
        return bad(c, "code", "代码重复", "the code is used twice");
    json_object_set_new(codes, str_of(g, "code"), json_true());
    size_t len = strlen(c->path);
    int64_t sum = 0;
    for (size_t i = 0; !rc && i < json_array_size(inds); i++) {
        const json_t *ind = json_array_get(inds, i);
        snprintf(c->path + len, sizeof c->path - len, ".indicators[%zu]", i);
        if (!json_is_object(ind))
            rc = bad(c, "code", "指标应为对象", "an indicator is an object");
        if (!rc)
            rc = check_indicator(c, ind, kind, &sum);
        if (!rc && json_object_get(codes, str_of(ind, "code")))
            rc = bad(c, "code", "代码重复", "the code is used twice");
        if (!rc)
            json_object_set_new(codes, str_of(ind, "code"), json_true());
    }
    c->path[len] = '\0';
    if (!rc && !strcmp(kind, "base") && sum != lim)
        rc = bad(c, "max", "基本分项的分值应等于其指标分值之和",
                 "a base group's points are the sum of its indicators'");
    if (!strcmp(kind, "base"))
        *base += lim;
    return rc;
}

ag_err assess_rubric_parse(const char *text, size_t len, const char *name, json_t **out,
                           ag_error *err)
{
    *out = NULL;
    chk c = {name ? name : "assess.json", err, ""};
    if (len > ASSESS_MAX_RUBRIC)
        return bad(&c, "format", "文件过大", "the file is too large");
    json_error_t je;
    json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!doc) {
        char where[300];
        snprintf(where, sizeof where, "%s:%d", c.name, je.line);
        return ag_fail(err, AG_ERR_INPUT, where, "考核规则不是有效的 JSON：%s",
                       "the rubric is not valid JSON: %s", je.text);
    }
    ag_err rc = AG_OK;
    const char *fmt = json_is_object(doc) ? str_of(doc, "format") : NULL;
    if (!fmt || strcmp(fmt, ASSESS_FORMAT))
        rc = bad(&c, "format", "格式应为 " ASSESS_FORMAT, "the format is " ASSESS_FORMAT);
    json_t *params = json_object_get(doc, "params");
    if (!rc && params && !json_is_object(params))
        rc = bad(&c, "params", "参数应为对象", "params is an object");
    json_t *groups = json_object_get(doc, "groups");
    if (!rc && (!json_is_array(groups) || !json_array_size(groups)))
        rc = bad(&c, "groups", "缺少考核项目列表", "a list of groups is required");
    json_t *codes = json_object();
    int64_t base = 0;
    for (size_t g = 0; !rc && g < json_array_size(groups); g++) {
        snprintf(c.path, sizeof c.path, "groups[%zu]", g);
        if (!json_is_object(json_array_get(groups, g)))
            rc = bad(&c, "code", "考核项目应为对象", "a group is an object");
        else
            rc = check_group(&c, json_array_get(groups, g), codes, &base);
    }
    c.path[0] = '\0';
    if (!rc && base != 200)
        rc = bad(&c, "groups", "基本分各项合计应为100分", "the base groups total 100 points");
    json_decref(codes);
    if (rc) {
        json_decref(doc);
        return rc;
    }
    *out = doc;
    return AG_OK;
}

ag_err assess_rubric_builtin(json_t **doc, ag_error *err)
{
    return assess_rubric_parse((const char *)ag_res_assess_json, ag_res_assess_json_len,
                               "catalog/assess.json", doc, err);
}

/* ---- versions ------------------------------------------------------------------------------ */

static ag_err latest_version(ag_store *st, int64_t *v, ag_error *err)
{
    return wf_query_int(st, v, err, "SELECT MAX(version) FROM assess_rubric", "");
}

ag_err assess_rubric_install(ag_store *st, const char *text, size_t len, const char *source,
                             int64_t *version, ag_error *err)
{
    json_t *doc = NULL;
    ag_err rc = assess_rubric_parse(text, len, source, &doc, err);
    if (rc)
        return rc;
    char *body = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
    char sha[AG_SHA256_HEX], ts[21];
    ag_sha256_hex(body, strlen(body), sha);
    int64_t latest = 0, same = 0;
    rc = latest_version(st, &latest, err);
    if (!rc && latest)
        rc = wf_query_int(st, &same, err,
                          "SELECT COUNT(*) FROM assess_rubric WHERE version = ? AND sha256 = ?",
                          "it", latest, sha);
    if (!rc && !same) {
        ag_clock_format(ag_clock_now(), ts);
        ag_field f[] = {ag_field_int("version", latest + 1),
                        ag_field_text("source", source ? source : "assess.json"),
                        ag_field_text("note", str_of(doc, "note")),
                        ag_field_text("body", body),
                        ag_field_text("sha256", sha),
                        ag_field_text("created_by", store_actor(st)),
                        ag_field_text("created_at", ts)};
        rc = store_insert(st, "assess_rubric", "version", f, sizeof f / sizeof f[0], NULL, err);
        latest++;
    }
    free(body);
    json_decref(doc);
    if (!rc && version)
        *version = latest;
    return rc;
}

ag_err assess_rubric_ensure(ag_store *st, int64_t *version, ag_error *err)
{
    int64_t v = 0;
    ag_err rc = latest_version(st, &v, err);
    if (!rc && !v)
        rc = assess_rubric_install(st, (const char *)ag_res_assess_json, ag_res_assess_json_len,
                                   "catalog/assess.json", &v, err);
    if (!rc && version)
        *version = v;
    return rc;
}

ag_err assess_rubric_load(ag_store *st, int64_t version, json_t **doc, json_t **meta, ag_error *err)
{
    *doc = NULL;
    if (meta)
        *meta = NULL;
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = wf_prep(st, &s, err,
                        "SELECT body, source, note, created_at, created_by FROM assess_rubric"
                        " WHERE version = ?",
                        "i", version);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && !row)
        rc = ag_fail(err, AG_ERR_NOTFOUND, "version", "考核规则版本 %lld 不存在",
                     "no assessment rubric version %lld", (long long)version);
    if (!rc) {
        *doc = json_loads(store_col_text(s, 0), 0, NULL);
        if (!*doc)
            rc = ag_fail(err, AG_ERR_INTERNAL, "assess_rubric", "考核规则版本 %lld 已损坏",
                         "assessment rubric version %lld is damaged", (long long)version);
        else if (meta)
            *meta = json_pack("{s:I,s:s,s:s?,s:s,s:s}", "version", (json_int_t)version, "source",
                              store_col_text(s, 1), "note", store_col_text(s, 2), "installed_at",
                              store_col_text(s, 3), "installed_by", store_col_text(s, 4));
    }
    store_finalize(s);
    return rc;
}

ag_err assess_yr_load(ag_store *st, int year, assess_yr *y, ag_error *err)
{
    memset(y, 0, sizeof *y);
    y->year = year;
    if (year < ASSESS_YEAR_MIN || year > ASSESS_YEAR_MAX)
        return ag_fail(err, AG_ERR_INPUT, "year", "考核年度应在 %d 到 %d 之间：%d",
                       "the year is %d to %d: %d", ASSESS_YEAR_MIN, ASSESS_YEAR_MAX, year);
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = wf_prep(st, &s, err,
                        "SELECT rubric_version, published_at, published_by FROM assess_year"
                        " WHERE year = ?",
                        "i", (int64_t)year);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row) {
        y->exists = true;
        y->version = store_col_int(s, 0);
        y->published = !store_col_is_null(s, 1);
        snprintf(y->published_at, sizeof y->published_at, "%s",
                 y->published ? store_col_text(s, 1) : "");
        snprintf(y->published_by, sizeof y->published_by, "%s",
                 store_col_text(s, 2) ? store_col_text(s, 2) : "");
    }
    store_finalize(s);
    if (!rc && !y->exists)
        rc = latest_version(st, &y->version, err);
    if (!rc && y->version)
        rc = assess_rubric_load(st, y->version, &y->rubric, NULL, err);
    else if (!rc)
        rc = assess_rubric_builtin(&y->rubric, err);
    return rc;
}

void assess_yr_release(assess_yr *y)
{
    if (y) {
        json_decref(y->rubric);
        y->rubric = NULL;
    }
}

static json_t *num_or_null(const json_t *o, const char *k)
{
    int64_t x2 = 0;
    return assess_num_x2(json_object_get(o, k), &x2) ? assess_score_json(x2) : json_null();
}

static json_t *text_or_null(const json_t *o, const char *k)
{
    const char *s = str_of(o, k);
    return s ? json_string(s) : json_null();
}

ag_err assess_rubric_get(ag_store *st, int64_t version, json_t **out, ag_error *err)
{
    *out = NULL;
    json_t *doc = NULL, *meta = NULL;
    ag_err rc = AG_OK;
    if (version <= 0)
        rc = latest_version(st, &version, err);
    if (!rc && version > 0)
        rc = assess_rubric_load(st, version, &doc, &meta, err);
    else if (!rc) {
        rc = assess_rubric_builtin(&doc, err);
        meta = json_pack("{s:i,s:s,s:n,s:n}", "version", 0, "source", "catalog/assess.json",
                         "installed_at", "installed_by");
    }
    if (rc) {
        json_decref(doc);
        json_decref(meta);
        return rc;
    }
    if (!json_is_string(json_object_get(meta, "note")))
        json_object_set_new(meta, "note", text_or_null(doc, "note"));
    json_object_set_new(meta, "format", json_string(ASSESS_FORMAT));
    json_object_set_new(meta, "name_zh", text_or_null(doc, "name_zh"));
    json_object_set_new(meta, "name_en", text_or_null(doc, "name_en"));
    json_t *params = json_object_get(doc, "params");
    json_object_set_new(meta, "params", params ? json_deep_copy(params) : json_object());
    json_t *groups = json_array(), *inds = json_array();
    json_t *gs = json_object_get(doc, "groups");
    for (size_t g = 0; g < json_array_size(gs); g++) {
        json_t *gr = json_array_get(gs, g), *li = json_object_get(gr, "indicators");
        json_t *codes = json_array();
        for (size_t i = 0; i < json_array_size(li); i++) {
            json_t *ind = json_array_get(li, i);
            json_array_append_new(codes, json_string(str_of(ind, "code")));
            const char *by = str_of(ind, "entered_by");
            const char *src = str_of(ind, "source");
            json_array_append_new(
                inds,
                json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:s,s:o,s:s?,s:o,s:o,s:o,s:o}", "code",
                          str_of(ind, "code"), "group", str_of(gr, "code"), "group_name_zh",
                          str_of(gr, "name_zh"), "kind", str_of(gr, "kind"), "name_zh",
                          str_of(ind, "name_zh"), "name_en", str_of(ind, "name_en"), "max",
                          num_or_null(ind, "max"), "min", num_or_null(ind, "min"), "source", src,
                          "metric", text_or_null(ind, "metric"), "entered_by",
                          !strcmp(src, "entered") ? (by ? by : "unit") : NULL, "basis_zh",
                          text_or_null(ind, "basis_zh"), "basis_en", text_or_null(ind, "basis_en"),
                          "per", num_or_null(ind, "per"), "hint", text_or_null(ind, "hint")));
        }
        json_array_append_new(
            groups, json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:o}", "code", str_of(gr, "code"), "kind",
                              str_of(gr, "kind"), "name_zh", str_of(gr, "name_zh"), "name_en",
                              str_of(gr, "name_en"), "max", num_or_null(gr, "max"), "min",
                              num_or_null(gr, "min"), "indicators", codes));
    }
    json_object_set_new(meta, "groups", groups);
    json_object_set_new(meta, "indicators", inds);
    json_decref(doc);
    *out = meta;
    return AG_OK;
}
