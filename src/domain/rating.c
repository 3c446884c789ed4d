/* rating.c - the 0–5A grade's rubric (validation, versions) and its pure arithmetic. */
#include "domain/rating.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "util/hash.h"
#include "util/banned.h"

extern const unsigned char ag_res_rating_json[];
extern const size_t ag_res_rating_json_len;

static const char *jstr(const json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* A number member as hundredths (points 4 → 400); -1 when absent or not a number. */
static int64_t jcenti(const json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    if (!json_is_number(v))
        return -1;
    return (int64_t)llround(json_number_value(v) * 100.0);
}

static json_t *centi_json(int64_t c)
{
    return json_real((double)c / 100.0);
}

bool rating_score_parse(const json_t *v, int64_t *score_c)
{
    double d = 0;
    if (json_is_number(v))
        d = json_number_value(v);
    else if (json_is_string(v)) {
        const char *s = json_string_value(v);
        char *end = NULL;
        if (!*s)
            return false;
        d = strtod(s, &end);
        if (!end || *end)
            return false;
    } else
        return false;
    if (!isfinite(d) || d < 0 || d > 1000)
        return false;
    double c = d * 100.0;
    if (fabs(c - llround(c)) > 1e-6)
        return false;
    *score_c = (int64_t)llround(c);
    return true;
}

/* ---- validation ---------------------------------------------------------- */

static ag_err bad(ag_error *err, const char *where, const char *zh, const char *en)
{
    return ag_fail(err, AG_ERR_INPUT, where, "评级细则错误（%s）：%s%.0s",
                   "bad rating rubric (%s): %.0s%s", where, zh, en);
}

/* True when the indicator code ind of doc has the point code pt (pt NULL: the indicator only). */
static bool rubric_has(const json_t *doc, const char *ind, const char *pt)
{
    json_t *inds = json_object_get(doc, "indicators");
    for (size_t i = 0; i < json_array_size(inds); i++) {
        json_t *x = json_array_get(inds, i);
        if (!ind || strcmp(jstr(x, "code"), ind))
            continue;
        if (!pt)
            return true;
        json_t *pl = json_object_get(x, "points_list");
        for (size_t j = 0; j < json_array_size(pl); j++)
            if (!strcmp(jstr(json_array_get(pl, j), "code"), pt))
                return true;
    }
    return false;
}

static bool code_ok(const char *s)
{
    if (!s || !*s || strlen(s) > 16)
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '_' || *p == '-'))
            return false;
    return true;
}

static ag_err check_indicators(const json_t *doc, const char *name, ag_error *err)
{
    char w[300];
    json_t *inds = json_object_get(doc, "indicators");
    if (!json_is_array(inds) || json_array_size(inds) == 0 || json_array_size(inds) > 50) {
        snprintf(w, sizeof w, "%s:indicators", name);
        return bad(err, w, "应为含1-50项的数组", "must be an array of 1 to 50 indicators");
    }
    int64_t total = 0;
    size_t npoints = 0;
    for (size_t i = 0; i < json_array_size(inds); i++) {
        json_t *x = json_array_get(inds, i);
        const char *code = jstr(x, "code"), *level = jstr(x, "level");
        snprintf(w, sizeof w, "%s:indicators[%zu].code", name, i);
        if (!json_is_object(x) || !code_ok(code))
            return bad(err, w, "指标编号缺失或含非法字符", "missing or not a code (A-Z, 0-9, ._-)");
        for (size_t j = 0; j < i; j++)
            if (!strcmp(code, jstr(json_array_get(inds, j), "code")))
                return bad(err, w, "指标编号重复", "the indicator code appears twice");
        snprintf(w, sizeof w, "%s:indicators[%zu].level", name, i);
        if (!level || (strcmp(level, "unit") && strcmp(level, "business")))
            return bad(err, w, "应为 unit（单位层面）或 business（业务层面）",
                       "must be unit or business");
        snprintf(w, sizeof w, "%s:indicators[%zu].name_zh", name, i);
        if (!jstr(x, "name_zh") || !*jstr(x, "name_zh") || !jstr(x, "name_en"))
            return bad(err, w, "缺少 name_zh 或 name_en", "name_zh or name_en is missing");
        snprintf(w, sizeof w, "%s:indicators[%zu].may_be_inapplicable", name, i);
        json_t *mbi = json_object_get(x, "may_be_inapplicable");
        if (mbi && !json_is_boolean(mbi))
            return bad(err, w, "应为 true 或 false", "must be true or false");
        int64_t pts = jcenti(x, "points");
        snprintf(w, sizeof w, "%s:indicators[%zu].points", name, i);
        if (pts <= 0)
            return bad(err, w, "分值应为正数", "points must be a positive number");
        json_t *pl = json_object_get(x, "points_list");
        snprintf(w, sizeof w, "%s:indicators[%zu].points_list", name, i);
        if (!json_is_array(pl) || json_array_size(pl) == 0)
            return bad(err, w, "评价要点应为非空数组",
                       "must be a non-empty array of evaluation points");
        int64_t sum = 0;
        for (size_t j = 0; j < json_array_size(pl); j++) {
            json_t *p = json_array_get(pl, j);
            const char *pc = jstr(p, "code");
            snprintf(w, sizeof w, "%s:indicators[%zu].points_list[%zu].code", name, i, j);
            if (!json_is_object(p) || !code_ok(pc))
                return bad(err, w, "评价要点编号缺失或含非法字符", "missing or not a code");
            for (size_t a = 0; a < i; a++) {
                json_t *o = json_object_get(json_array_get(inds, a), "points_list");
                for (size_t b = 0; b < json_array_size(o); b++)
                    if (!strcmp(pc, jstr(json_array_get(o, b), "code")))
                        return bad(err, w, "评价要点编号重复", "the point code appears twice");
            }
            for (size_t b = 0; b < j; b++)
                if (!strcmp(pc, jstr(json_array_get(pl, b), "code")))
                    return bad(err, w, "评价要点编号重复", "the point code appears twice");
            snprintf(w, sizeof w, "%s:indicators[%zu].points_list[%zu].name_zh", name, i, j);
            if (!jstr(p, "name_zh") || !*jstr(p, "name_zh") || !jstr(p, "name_en"))
                return bad(err, w, "缺少 name_zh 或 name_en", "name_zh or name_en is missing");
            int64_t pp = jcenti(p, "points");
            snprintf(w, sizeof w, "%s:indicators[%zu].points_list[%zu].points", name, i, j);
            if (pp <= 0)
                return bad(err, w, "分值应为正数", "points must be a positive number");
            sum += pp;
            npoints++;
        }
        if (sum != pts) {
            snprintf(w, sizeof w, "%s:indicators[%zu].points", name, i);
            return bad(err, w, "指标分值应等于其评价要点分值之和",
                       "the indicator's points must equal the sum of its evaluation points");
        }
        total += pts;
    }
    if (npoints > RATING_MAX_POINTS) {
        snprintf(w, sizeof w, "%s:indicators", name);
        return bad(err, w, "评价要点过多（至多200项）", "too many evaluation points (at most 200)");
    }
    if (total != 10000) {
        snprintf(w, sizeof w, "%s:indicators", name);
        return bad(err, w, "各指标分值合计应为100分", "the indicators must total 100 points");
    }
    return AG_OK;
}

static ag_err check_rest(const json_t *doc, const char *name, ag_error *err)
{
    char w[300];
    json_t *map = json_object_get(doc, "item_map");
    snprintf(w, sizeof w, "%s:item_map", name);
    if (map && !json_is_array(map))
        return bad(err, w, "应为数组", "must be an array");
    for (size_t i = 0; i < json_array_size(map); i++) {
        json_t *m = json_array_get(map, i);
        snprintf(w, sizeof w, "%s:item_map[%zu]", name, i);
        if (!jstr(m, "item") || !*jstr(m, "item"))
            return bad(err, w, "缺少 item（审计事项编号）",
                       "item (the catalog item code) is missing");
        if (!rubric_has(doc, jstr(m, "indicator"), NULL)) {
            snprintf(w, sizeof w, "%s:item_map[%zu].indicator", name, i);
            return bad(err, w, "不是本细则的指标", "not an indicator of this rubric");
        }
        if (!rubric_has(doc, jstr(m, "indicator"), jstr(m, "point"))) {
            snprintf(w, sizeof w, "%s:item_map[%zu].point", name, i);
            return bad(err, w, "不是该指标的评价要点", "not an evaluation point of the indicator");
        }
    }
    json_t *d = json_object_get(doc, "deductions");
    snprintf(w, sizeof w, "%s:deductions", name);
    if (!json_is_object(d))
        return bad(err, w, "缺少扣分规则对象", "the deduction rules object is missing");
    const char *nums[] = {"major", "ordinary"};
    for (int k = 0; k < 2; k++) {
        snprintf(w, sizeof w, "%s:deductions.%s", name, nums[k]);
        if (jcenti(d, nums[k]) < 0)
            return bad(err, w, "应为不小于0的数", "must be a number of at least 0");
    }
    snprintf(w, sizeof w, "%s:deductions.repeat_multiplier", name);
    if (jcenti(d, "repeat_multiplier") < 100)
        return bad(err, w, "应为不小于1的数", "must be a number of at least 1");
    snprintf(w, sizeof w, "%s:deductions.overdue.deduct", name);
    if (jcenti(json_object_get(d, "overdue"), "deduct") < 0)
        return bad(err, w, "应为不小于0的数", "must be a number of at least 0");
    json_t *ia = json_object_get(d, "iabody");
    snprintf(w, sizeof w, "%s:deductions.iabody", name);
    if (!json_is_object(ia) || !rubric_has(doc, jstr(ia, "indicator"), jstr(ia, "point")) ||
        jcenti(ia, "body") < 0 || jcenti(ia, "group") < 0)
        return bad(err, w, "应给出 indicator、point（本细则的评价要点）和 body、group 扣分",
                   "needs indicator, point (of this rubric), body and group deductions");
    json_t *bands = json_object_get(doc, "bands");
    snprintf(w, sizeof w, "%s:bands", name);
    if (!json_is_array(bands) || json_array_size(bands) == 0 || json_array_size(bands) > 5)
        return bad(err, w, "应为含1-5档的数组", "must be an array of 1 to 5 bands");
    int64_t prev = 100000;
    for (size_t i = 0; i < json_array_size(bands); i++) {
        json_t *b = json_array_get(bands, i);
        json_t *lv = json_object_get(b, "level");
        snprintf(w, sizeof w, "%s:bands[%zu]", name, i);
        if (!jstr(b, "grade") || !*jstr(b, "grade") || strlen(jstr(b, "grade")) > 3 ||
            !json_is_integer(lv) || json_integer_value(lv) < 1 || json_integer_value(lv) > 5)
            return bad(err, w, "每档需 grade（如 5A）和 level（1-5）",
                       "each band needs grade (e.g. 5A) and level (1-5)");
        int64_t mn = jcenti(b, "min");
        snprintf(w, sizeof w, "%s:bands[%zu].min", name, i);
        if (mn < 0 || mn > 10000 || mn >= prev)
            return bad(err, w, "下限应在0-100之间且逐档递减",
                       "min must be 0-100 and decrease band by band");
        prev = mn;
    }
    if (prev != 0) {
        snprintf(w, sizeof w, "%s:bands", name);
        return bad(err, w, "最后一档的下限应为0", "the last band's min must be 0");
    }
    json_t *fa = json_object_get(doc, "five_a");
    snprintf(w, sizeof w, "%s:five_a", name);
    if (fa && !json_is_object(fa))
        return bad(err, w, "应为对象", "must be an object");
    json_t *vetoes = json_object_get(doc, "vetoes");
    snprintf(w, sizeof w, "%s:vetoes", name);
    if (vetoes && !json_is_array(vetoes))
        return bad(err, w, "应为数组", "must be an array");
    for (size_t i = 0; i < json_array_size(vetoes); i++) {
        json_t *v = json_array_get(vetoes, i);
        const char *kind = jstr(v, "kind");
        snprintf(w, sizeof w, "%s:vetoes[%zu].kind", name, i);
        if (!kind || (strcmp(kind, "finding") && strcmp(kind, "zero_indicator") &&
                      strcmp(kind, "not_filed")))
            return bad(err, w, "应为 finding、zero_indicator 或 not_filed",
                       "must be finding, zero_indicator or not_filed");
        snprintf(w, sizeof w, "%s:vetoes[%zu]", name, i);
        if (!code_ok(jstr(v, "code")) || !jstr(v, "name_zh") || !jstr(v, "name_en"))
            return bad(err, w, "缺少 code、name_zh 或 name_en",
                       "code, name_zh or name_en is missing");
        if (!strcmp(kind, "zero_indicator") && !rubric_has(doc, jstr(v, "indicator"), NULL)) {
            snprintf(w, sizeof w, "%s:vetoes[%zu].indicator", name, i);
            return bad(err, w, "不是本细则的指标", "not an indicator of this rubric");
        }
        if (!strcmp(kind, "finding") && !json_is_array(json_object_get(v, "items"))) {
            snprintf(w, sizeof w, "%s:vetoes[%zu].items", name, i);
            return bad(err, w, "应为审计事项编号数组", "must be an array of catalog item codes");
        }
    }
    const char *due = jstr(doc, "self_eval_due");
    snprintf(w, sizeof w, "%s:self_eval_due", name);
    int32_t day = 0;
    char probe[16];
    if (due && strlen(due) == 5)
        snprintf(probe, sizeof probe, "2001-%s", due);
    if (!due || strlen(due) != 5 || !ag_clock_parse_today(probe, &day))
        return bad(err, w, "应为次年的 MM-DD（如 03-31）",
                   "must be MM-DD of the following year (e.g. 03-31)");
    return AG_OK;
}

ag_err rating_rubric_parse(const char *text, size_t len, const char *name, json_t **doc,
                           ag_error *err)
{
    if (doc)
        *doc = NULL;
    json_error_t jerr;
    json_t *d = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!d) {
        char where[300];
        snprintf(where, sizeof where, "%s:%d:%d", name, jerr.line, jerr.column);
        return ag_fail(err, AG_ERR_INPUT, where, "JSON 格式错误：%s", "malformed JSON: %s",
                       jerr.text);
    }
    ag_err rc = AG_OK;
    char w[300];
    snprintf(w, sizeof w, "%s:format", name);
    if (!json_is_object(d) || !jstr(d, "format") || strcmp(jstr(d, "format"), RATING_FORMAT))
        rc = bad(err, w, "不是评级细则文件（format 应为 " RATING_FORMAT "）",
                 "not a rating rubric (format must be " RATING_FORMAT ")");
    if (!rc)
        rc = check_indicators(d, name, err);
    if (!rc)
        rc = check_rest(d, name, err);
    if (rc || !doc)
        json_decref(d);
    else
        *doc = d;
    return rc;
}

/* ---- versions ------------------------------------------------------------ */

static ag_err insert_version(ag_store *st, const json_t *doc, const char *name, int64_t *version,
                             ag_error *err)
{
    int64_t latest = 0;
    ag_err rc = store_query_int(st, &latest, err,
                                "SELECT COALESCE(MAX(version), 0) FROM rating_rubric", NULL);
    if (rc)
        return rc;
    char *body = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!body)
        return ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    char digest[AG_SHA256_HEX], ts[21];
    ag_sha256_hex(body, strlen(body), digest);
    ag_clock_format(ag_clock_now(), ts);
    const char *src = jstr(doc, "source");
    ag_field f[] = {
        ag_field_int("version", latest + 1),      ag_field_text("body", body),
        ag_field_text("digest", digest),          ag_field_text("source", src ? src : name),
        ag_field_text("note", jstr(doc, "note")), ag_field_text("installed_by", store_actor(st)),
        ag_field_text("installed_at", ts)};
    rc = store_insert(st, "rating_rubric", "version", f, sizeof f / sizeof f[0], NULL, err);
    free(body);
    if (!rc && version)
        *version = latest + 1;
    return rc;
}

ag_err rating_rubric_install_default(ag_store *st, int64_t *version, ag_error *err)
{
    int64_t n = 0;
    ag_err rc = store_query_int(st, &n, err, "SELECT COUNT(*) FROM rating_rubric", NULL);
    if (rc)
        return rc;
    if (n > 0) {
        if (version)
            rc = store_query_int(st, version, err, "SELECT MAX(version) FROM rating_rubric", NULL);
        return rc;
    }
    json_t *doc = NULL;
    rc = rating_rubric_parse((const char *)ag_res_rating_json, ag_res_rating_json_len,
                             "catalog/rating.json", &doc, err);
    if (!rc)
        rc = insert_version(st, doc, "catalog/rating.json", version, err);
    json_decref(doc);
    return rc;
}

ag_err rating_rubric_install(ag_store *st, const char *text, size_t len, const char *name,
                             int64_t *version, ag_error *err)
{
    json_t *doc = NULL;
    ag_err rc = rating_rubric_parse(text, len, name, &doc, err);
    if (!rc)
        rc = rating_rubric_install_default(st, NULL, err);
    if (!rc)
        rc = insert_version(st, doc, name, version, err);
    json_decref(doc);
    return rc;
}

/* Adds total_points and the defaults of optional members to a parsed rubric. */
static void rubric_complete(json_t *o)
{
    json_t *inds = json_object_get(o, "indicators");
    int64_t total = 0;
    for (size_t i = 0; i < json_array_size(inds); i++) {
        json_t *x = json_array_get(inds, i);
        total += jcenti(x, "points");
        if (!json_object_get(x, "may_be_inapplicable"))
            json_object_set_new(x, "may_be_inapplicable", json_false());
    }
    json_object_set_new(o, "total_points", centi_json(total));
    const char *arr[] = {"item_map", "vetoes"};
    for (int k = 0; k < 2; k++)
        if (!json_object_get(o, arr[k]))
            json_object_set_new(o, arr[k], json_array());
    if (!json_object_get(o, "five_a"))
        json_object_set_new(o, "five_a", json_object());
    json_object_del(o, "format");
}

ag_err rating_rubric_get(ag_store *st, int64_t version, json_t **out, ag_error *err)
{
    *out = NULL;
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = store_prepare_args(
        st, &s, err,
        "SELECT version, body, source, note, installed_by, installed_at FROM rating_rubric"
        " WHERE version = CASE WHEN ? > 0 THEN ? ELSE (SELECT MAX(version) FROM rating_rubric) END",
        "ii", version, version);
    if (!rc)
        rc = store_step(s, &row, err);
    json_t *o = NULL;
    if (!rc && row) {
        o = json_loads(store_col_text(s, 1), 0, NULL);
        if (o) {
            json_object_set_new(o, "version", json_integer(store_col_int(s, 0)));
            json_object_set_new(o, "source", json_string(store_col_text(s, 2)));
            json_object_set_new(o, "installed_by", json_string(store_col_text(s, 4)));
            json_object_set_new(o, "installed_at", json_string(store_col_text(s, 5)));
        } else
            rc = ag_fail(err, AG_ERR_INTERNAL, "rating_rubric", "评级细则存储内容损坏",
                         "a stored rating rubric is corrupt");
    }
    store_finalize(s);
    if (rc)
        return rc;
    if (!o) {
        int64_t n = 0;
        rc = store_query_int(st, &n, err, "SELECT COUNT(*) FROM rating_rubric", NULL);
        if (rc)
            return rc;
        if (n > 0 || version > 1)
            return ag_fail(err, AG_ERR_NOTFOUND, "version", "评级细则版本 %lld 不存在",
                           "no rating rubric version %lld", (long long)version);
        rc = rating_rubric_parse((const char *)ag_res_rating_json, ag_res_rating_json_len,
                                 "catalog/rating.json", &o, err);
        if (rc)
            return rc;
        json_object_set_new(o, "version", json_integer(1));
        json_object_set_new(o, "installed_by", json_null());
        json_object_set_new(o, "installed_at", json_null());
    }
    if (!json_object_get(o, "note"))
        json_object_set_new(o, "note", json_null());
    rubric_complete(o);
    *out = o;
    return AG_OK;
}

/* ---- the arithmetic ------------------------------------------------------ */

/* The indicator and point a catalog item deducts under; false when unmapped. */
static bool map_item(const json_t *rubric, const char *item, const char **ind, const char **pt)
{
    json_t *map = json_object_get(rubric, "item_map");
    for (size_t i = 0; item && i < json_array_size(map); i++) {
        json_t *m = json_array_get(map, i);
        if (!strcmp(jstr(m, "item"), item)) {
            *ind = jstr(m, "indicator");
            *pt = jstr(m, "point");
            return true;
        }
    }
    return false;
}

static bool in_strings(const json_t *arr, const char *s)
{
    for (size_t i = 0; s && i < json_array_size(arr); i++)
        if (json_is_string(json_array_get(arr, i)) &&
            !strcmp(json_string_value(json_array_get(arr, i)), s))
            return true;
    return false;
}

/* One deduction, before its indicator's cap. */
static void add_deduction(json_t *list, const char *ind, const char *pt, int64_t deduct_c,
                          const char *kind, const char *zh, const char *en, json_t *evidence)
{
    json_t *d = json_object();
    json_object_set_new(d, "indicator", json_string(ind));
    json_object_set_new(d, "point", pt ? json_string(pt) : json_null());
    json_object_set_new(d, "deduct_c", json_integer(deduct_c));
    json_object_set_new(d, "kind", json_string(kind));
    json_object_set_new(d, "reason", json_string(zh));
    json_object_set_new(d, "reason_en", json_string(en));
    json_object_set_new(d, "evidence", evidence ? evidence : json_null());
    json_array_append_new(list, d);
}

static void add_special(json_t *list, const char *kind, const char *code, const char *zh,
                        const char *en, const char *reason)
{
    json_array_append_new(list, json_pack("{s:s,s:s?,s:s,s:s,s:s}", "kind", kind, "code", code,
                                          "name_zh", zh, "name_en", en, "reason", reason));
}

static const char *sev_zh(const char *sev)
{
    return sev && !strcmp(sev, "high") ? "重大" : "一般";
}

/* The deductions the facts give, before caps. */
static void gather_deductions(const json_t *rubric, const json_t *facts, json_t *list)
{
    json_t *d = json_object_get(rubric, "deductions");
    int64_t major = jcenti(d, "major"), ordinary = jcenti(d, "ordinary");
    int64_t mult = jcenti(d, "repeat_multiplier");
    int64_t overdue = jcenti(json_object_get(d, "overdue"), "deduct");
    char zh[600], en[600];
    json_t *fs = json_object_get(facts, "findings");
    for (size_t i = 0; i < json_array_size(fs); i++) {
        json_t *f = json_array_get(fs, i);
        const char *ind = NULL, *pt = NULL, *sev = jstr(f, "severity");
        if (!map_item(rubric, jstr(f, "item"), &ind, &pt))
            continue;
        bool repeat = json_is_integer(json_object_get(f, "repeat_of"));
        int64_t c = sev && !strcmp(sev, "high") ? major : ordinary;
        if (repeat)
            c = c * mult / 100;
        snprintf(zh, sizeof zh, "%s问题（%s）：%s%s", sev_zh(sev), jstr(f, "item"),
                 jstr(f, "title") ? jstr(f, "title") : "", repeat ? "；屡审屡犯，扣分加倍" : "");
        snprintf(en, sizeof en, "%s finding (%s): %s%s",
                 sev && !strcmp(sev, "high") ? "major" : "ordinary", jstr(f, "item"),
                 jstr(f, "title") ? jstr(f, "title") : "",
                 repeat ? "; repeat offence, deduction doubled" : "");
        json_t *ev =
            json_pack("{s:s,s:O,s:O,s:O,s:O,s:O}", "kind", "finding", "id",
                      json_object_get(f, "id"), "finding_id", json_object_get(f, "id"),
                      "rectification_id", json_object_get(f, "rect_id"), "project_code",
                      json_object_get(f, "project_code"), "title", json_object_get(f, "title"));
        if (!ev)
            ev = json_pack("{s:s,s:O}", "kind", "finding", "id", json_object_get(f, "id"));
        if (repeat)
            json_object_set(ev, "repeat_of", json_object_get(f, "repeat_of"));
        add_deduction(list, ind, pt, c, "finding", zh, en, ev);
    }
    json_t *rs = json_object_get(facts, "rectifications");
    for (size_t i = 0; i < json_array_size(rs); i++) {
        json_t *r = json_array_get(rs, i);
        const char *ind = NULL, *pt = NULL;
        if (!json_is_true(json_object_get(r, "overdue")) ||
            !map_item(rubric, jstr(r, "item"), &ind, &pt))
            continue;
        snprintf(zh, sizeof zh, "整改逾期未完成（%s）：%s，整改期限 %s", jstr(r, "item"),
                 jstr(r, "title") ? jstr(r, "title") : "",
                 jstr(r, "deadline") ? jstr(r, "deadline") : "");
        snprintf(en, sizeof en, "rectification overdue (%s): %s, deadline %s", jstr(r, "item"),
                 jstr(r, "title") ? jstr(r, "title") : "",
                 jstr(r, "deadline") ? jstr(r, "deadline") : "");
        json_t *ev = json_pack(
            "{s:s,s:O,s:O,s:O,s:O}", "kind", "rectification", "id", json_object_get(r, "id"),
            "rectification_id", json_object_get(r, "id"), "finding_id",
            json_object_get(r, "finding_id"), "title", json_object_get(r, "title"));
        add_deduction(list, ind, pt, overdue, "overdue", zh, en, ev);
    }
    json_t *ia = json_object_get(d, "iabody");
    json_t *miss = json_object_get(facts, "iabody_missing");
    const char *ind = jstr(ia, "indicator"), *pt = jstr(ia, "point");
    if (in_strings(miss, "body") && jcenti(ia, "body") > 0)
        add_deduction(list, ind, pt, jcenti(ia, "body"), "iabody", "未设立独立的内部审计机构",
                      "no independent internal-audit body",
                      json_pack("{s:s,s:s}", "kind", "ia_body", "missing", "body"));
    const char *places[] = {"leader", "discipline", "personnel", "finance", "audit"};
    bool group = false;
    for (int k = 0; k < 5; k++)
        group = group || in_strings(miss, places[k]);
    if (group && jcenti(ia, "group") > 0)
        add_deduction(list, ind, pt, jcenti(ia, "group"), "iabody",
                      "内审工作组未建立或人员不全（组长、纪检监察、组织人事、财务管理、内部审计）",
                      "the internal-audit working group is missing or incomplete",
                      json_pack("{s:s,s:O}", "kind", "ia_body", "missing", miss));
}

/* The effective score (hundredths) of point p with max points max_c. */
static int64_t answer_of(const json_t *facts, const char *p, int64_t max_c)
{
    json_t *adj = json_object_get(facts, "adjustments");
    json_t *ans = json_object_get(json_object_get(facts, "self"), "answers");
    json_t *v = json_object_get(adj, p);
    if (!json_is_integer(v))
        v = json_object_get(ans, p);
    int64_t c = json_is_integer(v) ? json_integer_value(v) : 0;
    return c < 0 ? 0 : c > max_c ? max_c : c;
}

/* Fills the veto reason (buffer zh) and returns the veto, or NULL. */
static const json_t *find_veto(const json_t *rubric, const json_t *facts,
                               const json_t *answered_by_ind, char *zh, size_t n)
{
    json_t *vetoes = json_object_get(rubric, "vetoes");
    json_t *self = json_object_get(facts, "self");
    const char *state = jstr(self, "state");
    bool filed = state && !strcmp(state, "filed");
    for (size_t i = 0; i < json_array_size(vetoes); i++) {
        json_t *v = json_array_get(vetoes, i);
        const char *kind = jstr(v, "kind");
        if (!strcmp(kind, "finding")) {
            json_t *fs = json_object_get(facts, "findings");
            for (size_t j = 0; j < json_array_size(fs); j++) {
                json_t *f = json_array_get(fs, j);
                const char *sev = jstr(v, "severity");
                if ((!sev || (jstr(f, "severity") && !strcmp(sev, jstr(f, "severity")))) &&
                    in_strings(json_object_get(v, "items"), jstr(f, "item"))) {
                    snprintf(zh, n, "%s：%s（%s）", jstr(v, "name_zh"),
                             jstr(f, "title") ? jstr(f, "title") : "", jstr(f, "item"));
                    return v;
                }
            }
        } else if (!strcmp(kind, "zero_indicator")) {
            json_t *a = json_object_get(answered_by_ind, jstr(v, "indicator"));
            if (filed && json_is_integer(a) && json_integer_value(a) == 0) {
                snprintf(zh, n, "%s（%s 自评得分为0）", jstr(v, "name_zh"), jstr(v, "indicator"));
                return v;
            }
        } else if (!strcmp(kind, "not_filed")) {
            bool due_passed = json_is_true(json_object_get(facts, "due_passed"));
            bool late = json_is_true(json_object_get(self, "late"));
            if (filed && late) {
                snprintf(zh, n, "%s（逾期报送）", jstr(v, "name_zh"));
                return v;
            }
            if (!filed && due_passed) {
                snprintf(zh, n, "%s（未报送）", jstr(v, "name_zh"));
                return v;
            }
        }
    }
    return NULL;
}

ag_err rating_compute(const json_t *rubric, const json_t *facts, json_t **out, ag_error *err)
{
    *out = NULL;
    json_t *inds = json_object_get(rubric, "indicators");
    if (!json_is_array(inds))
        return ag_fail(err, AG_ERR_INTERNAL, "rubric", "评级细则缺少指标",
                       "the rubric has no indicators");
    json_t *self = json_object_get(facts, "self");
    json_t *inap = json_object_get(self, "inapplicable");
    json_t *raw_list = json_array(), *deductions = json_array(), *indicators = json_array();
    json_t *special = json_array(), *answered_by = json_object();
    gather_deductions(rubric, facts, raw_list);
    int64_t total_c = 0, inap_c = 0, raw_c = 0;
    for (size_t i = 0; i < json_array_size(inds); i++) {
        json_t *x = json_array_get(inds, i);
        const char *code = jstr(x, "code");
        int64_t pts = jcenti(x, "points");
        bool applicable =
            !(json_is_true(json_object_get(x, "may_be_inapplicable")) && in_strings(inap, code));
        total_c += pts;
        int64_t answered = 0, deducted = 0;
        json_t *pl = json_object_get(x, "points_list");
        for (size_t j = 0; j < json_array_size(pl); j++) {
            json_t *p = json_array_get(pl, j);
            answered += answer_of(facts, jstr(p, "code"), jcenti(p, "points"));
        }
        json_object_set_new(answered_by, code, json_integer(answered));
        for (size_t k = 0; applicable && k < json_array_size(raw_list); k++) {
            json_t *d = json_array_get(raw_list, k);
            if (strcmp(jstr(d, "indicator"), code))
                continue;
            int64_t want = json_integer_value(json_object_get(d, "deduct_c"));
            int64_t room = pts - deducted;
            int64_t got = want <= room ? want : room > 0 ? room : 0;
            deducted += got;
            json_t *o = json_deep_copy(d);
            json_object_del(o, "deduct_c");
            json_object_set_new(o, "deduct", centi_json(got));
            json_object_set_new(o, "deduct_full", centi_json(want));
            json_object_set_new(o, "capped", json_boolean(got < want));
            json_array_append_new(deductions, o);
        }
        int64_t score = answered - deducted;
        if (score < 0)
            score = 0;
        if (applicable)
            raw_c += score;
        else
            inap_c += pts;
        json_array_append_new(indicators,
                              json_pack("{s:s,s:s?,s:s?,s:s?,s:o,s:b,s:o,s:o,s:o}", "code", code,
                                        "level", jstr(x, "level"), "name_zh", jstr(x, "name_zh"),
                                        "name_en", jstr(x, "name_en"), "points", centi_json(pts),
                                        "applicable", applicable, "answered", centi_json(answered),
                                        "deducted", centi_json(deducted), "score",
                                        applicable ? centi_json(score) : json_null()));
    }
    json_decref(raw_list);
    int64_t appl_c = total_c - inap_c;
    /* score = raw ÷ applicable × 100, in hundredths, rounded half up */
    int64_t score_c = appl_c > 0 ? (raw_c * 10000 * 2 + appl_c) / (appl_c * 2) : 0;
    const char *state = jstr(self, "state");
    bool filed = state && !strcmp(state, "filed");
    bool due_passed = json_is_true(json_object_get(facts, "due_passed"));
    char veto_zh[700] = "";
    const json_t *veto = find_veto(rubric, facts, answered_by, veto_zh, sizeof veto_zh);
    json_decref(answered_by);
    bool pending = !veto && !filed && !due_passed;
    json_t *fs = json_object_get(facts, "findings");
    for (size_t j = 0; j < json_array_size(fs); j++) {
        json_t *f = json_array_get(fs, j);
        if (jstr(f, "severity") && !strcmp(jstr(f, "severity"), "high")) {
            char r[600];
            snprintf(r, sizeof r, "%s（%s，%s）", jstr(f, "title") ? jstr(f, "title") : "",
                     jstr(f, "item"), jstr(f, "project_code") ? jstr(f, "project_code") : "");
            add_special(special, "major_event", NULL, "重大问题", "major finding", r);
        }
    }
    int level = 0;
    const char *grade = "0";
    char band_grade[8] = "0";
    if (veto)
        add_special(special, "veto", jstr(veto, "code"), jstr(veto, "name_zh"),
                    jstr(veto, "name_en"), veto_zh);
    else if (!pending) {
        json_t *bands = json_object_get(rubric, "bands");
        for (size_t i = 0; i < json_array_size(bands); i++) {
            json_t *b = json_array_get(bands, i);
            if (score_c >= jcenti(b, "min")) {
                level = (int)json_integer_value(json_object_get(b, "level"));
                snprintf(band_grade, sizeof band_grade, "%s", jstr(b, "grade"));
                break;
            }
        }
        grade = band_grade;
        json_t *fa = json_object_get(rubric, "five_a");
        if (level == 5) {
            char why[900] = "";
            size_t used = 0;
            json_t *rs = json_object_get(facts, "rectifications");
            if (json_is_true(json_object_get(fa, "no_open_major")))
                for (size_t j = 0; j < json_array_size(fs); j++) {
                    json_t *f = json_array_get(fs, j);
                    const char *rst = jstr(f, "rect_state");
                    if (jstr(f, "severity") && !strcmp(jstr(f, "severity"), "high") &&
                        (!rst || (strcmp(rst, "closed") && strcmp(rst, "continuous"))) &&
                        used < sizeof why - 1)
                        used += (size_t)snprintf(why + used, sizeof why - used,
                                                 "%s存在未整改完成的重大问题：%s", used ? "；" : "",
                                                 jstr(f, "title") ? jstr(f, "title") : "");
                }
            if (json_is_true(json_object_get(fa, "due_rectifications_closed")))
                for (size_t j = 0; j < json_array_size(rs); j++) {
                    json_t *r = json_array_get(rs, j);
                    const char *rst = jstr(r, "state");
                    if (json_is_true(json_object_get(r, "due")) && rst && strcmp(rst, "closed") &&
                        strcmp(rst, "continuous") && used < sizeof why - 1)
                        used += (size_t)snprintf(
                            why + used, sizeof why - used, "%s整改期限已到未销号：%s（期限 %s）",
                            used ? "；" : "", jstr(r, "title") ? jstr(r, "title") : "",
                            jstr(r, "deadline") ? jstr(r, "deadline") : "");
                }
            if (used) {
                level = 4;
                json_t *bands4 = json_object_get(rubric, "bands");
                grade = "4A";
                for (size_t i = 0; i < json_array_size(bands4); i++)
                    if (json_integer_value(json_object_get(json_array_get(bands4, i), "level")) ==
                        4)
                        grade = jstr(json_array_get(bands4, i), "grade");
                add_special(special, "five_a_fail", "five_a", "未达5A条件，评为4A",
                            "5A conditions not met, graded 4A", why);
            }
        }
    }
    json_t *o = json_object();
    json_object_set_new(o, "unit", json_string(jstr(facts, "unit") ? jstr(facts, "unit") : ""));
    json_t *yr = json_object_get(facts, "year");
    json_object_set_new(o, "year", yr ? json_copy(yr) : json_null());
    json_object_set_new(o, "rubric_version", json_copy(json_object_get(rubric, "version")));
    if (!json_object_get(o, "rubric_version"))
        json_object_set_new(o, "rubric_version", json_null());
    json_object_set_new(o, "state", json_string(pending ? "pending" : "graded"));
    json_object_set_new(o, "score", pending ? json_null() : centi_json(score_c));
    json_object_set_new(o, "applicable", centi_json(appl_c));
    json_object_set_new(o, "raw", centi_json(raw_c));
    json_object_set_new(o, "level", pending ? json_null() : json_integer(veto ? 0 : level));
    json_object_set_new(o, "grade", pending ? json_null() : json_string(veto ? "0" : grade));
    json_object_set_new(o, "veto", veto ? json_string(veto_zh) : json_null());
    json_object_set_new(o, "veto_code", veto ? json_string(jstr(veto, "code")) : json_null());
    json_object_set_new(o, "deductions", deductions);
    json_object_set_new(o, "indicators", indicators);
    json_object_set_new(o, "special", special);
    *out = o;
    return AG_OK;
}

const char *rating_grade_zh(const char *grade)
{
    if (!grade || !*grade)
        return "未评级";
    static const char *const g[][2] = {{"5A", "5A级"}, {"4A", "4A级"}, {"3A", "3A级"},
                                       {"2A", "2A级"}, {"1A", "1A级"}, {"0", "0级（一票否决）"}};
    for (size_t i = 0; i < sizeof g / sizeof g[0]; i++)
        if (!strcmp(grade, g[i][0]))
            return g[i][1];
    return grade;
}

const char *rating_self_state_zh(const char *state)
{
    if (!state || !strcmp(state, "none"))
        return "未填报";
    if (!strcmp(state, "draft"))
        return "草稿";
    if (!strcmp(state, "filed"))
        return "已报送";
    if (!strcmp(state, "reviewed"))
        return "已复核";
    return state;
}
