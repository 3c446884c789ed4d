/* report_score.c - the seven criteria of a report's quality (issue 16): computed from the content
 * document where they can be, the reviewer's points (stored per version) over them, the total
 * rescaled to 100 over the criteria that apply to the kind. Points are kept in tenths. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/report_internal.h"
#include "domain/wf_query.h"
#include "util/clock.h"
#include "util/banned.h"

typedef struct criterion {
    const char *code, *name_zh, *name_en;
    int max;
    bool units; /* applies to plan and summary as well */
} criterion;

static const criterion CRIT[REPORT_SCORE_CRITERIA] = {
    {"completeness", "完整性", "Completeness", 20, true},
    {"basics", "基本情况", "Basic facts", 10, true},
    {"opinion", "评价意见", "Audit opinion", 15, true},
    {"facts", "事实描述", "Description of facts", 15, false},
    {"characterisation", "问题定性", "Characterisation", 15, false},
    {"recommendation", "审计建议", "Recommendations", 15, false},
    {"use", "成果运用", "Use of the results", 10, true},
};

static const criterion *crit_find(const char *code)
{
    for (int i = 0; code && i < REPORT_SCORE_CRITERIA; i++)
        if (!strcmp(code, CRIT[i].code))
            return &CRIT[i];
    return NULL;
}

static bool applies(const criterion *c, const char *kind)
{
    return c->units || report_kind_is_project(kind);
}

static bool blank(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return false;
    return true;
}

static const json_t *section(const json_t *doc, const char *key)
{
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(doc, "sections"), i, s)
    {
        const char *k = json_string_value(json_object_get(s, "key"));
        if (k && !strcmp(k, key))
            return s;
    }
    return NULL;
}

/* The text of field key of an item block; NULL when absent. */
static const char *field(const json_t *item, const char *key)
{
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(item, "fields"), i, f)
    {
        const char *k = json_string_value(json_object_get(f, "key"));
        if (k && !strcmp(k, key))
            return json_string_value(json_object_get(f, "text"));
    }
    return NULL;
}

static bool filled(const json_t *item, const char *key)
{
    return !blank(field(item, key));
}

static bool is_item(const json_t *b)
{
    const char *t = json_string_value(json_object_get(b, "type"));
    return t && !strcmp(t, "item");
}

/* tenths of max × num / den, rounded half up. */
static int64_t share10(int max, int64_t num, int64_t den)
{
    if (den <= 0)
        return 0;
    if (num > den)
        num = den;
    return (20 * (int64_t)max * num + den) / (2 * den);
}

typedef struct auto_pts {
    int64_t x10; /* -1: null */
    char zh[256], en[256];
} auto_pts;

static void set(auto_pts *p, int64_t x10, const char *zh, const char *en, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 5)))
#endif
    ;
static void set(auto_pts *p, int64_t x10, const char *zh, const char *en, ...)
{
    va_list ap;
    va_start(ap, en);
    p->x10 = x10;
    ag_vformat2(p->zh, sizeof p->zh, p->en, sizeof p->en, zh, en, ap);
    va_end(ap);
}

static void completeness(const json_t *doc, const char *kind, auto_pts *p)
{
    int n = 0, need = 0, have = 0;
    const report_section_def *d = report_sections(kind, &n);
    for (int i = 0; i < n; i++) {
        if (!d[i].required)
            continue;
        need++;
        const json_t *s = section(doc, d[i].key);
        have += s && report_section_has_content(s);
    }
    set(p, share10(20, have, need), "必备章节 %d 节，已有内容 %d 节",
        "%d required sections, %d with content", need, have);
}

static void basics(const json_t *doc, const char *kind, auto_pts *p)
{
    const char *uname = json_string_value(json_object_get(doc, "unit_name"));
    bool ident = !blank(uname);
    if (!strcmp(kind, "audit")) {
        static const char *const keys[] = {"name", "code", "kind", "leader", "parent", "funds"};
        const json_t *s = section(doc, "basics"), *item = NULL, *b;
        size_t i;
        json_array_foreach(json_object_get(s, "blocks"), i, b)
        {
            if (is_item(b)) {
                item = b;
                break;
            }
        }
        int have = 0;
        for (int k = 0; item && k < 6; k++)
            have += filled(item, keys[k]);
        set(p, share10(10, have, 6), "被审计单位基本情况 6 项，已填写 %d 项",
            "%d of the audited unit's 6 basic facts given", have);
        return;
    }
    if (!strcmp(kind, "rectification")) {
        const char *pc = json_string_value(json_object_get(doc, "project_code"));
        int have = ident + !blank(pc);
        set(p, share10(10, have, 2), "单位名称、审计项目 2 项，已写明 %d 项",
            "%d of unit name and project given", have);
        return;
    }
    ident = ident && json_is_integer(json_object_get(doc, "year"));
    if (!strcmp(kind, "summary")) {
        set(p, ident ? 100 : 0, ident ? "已写明单位名称和年度" : "缺少单位名称或年度",
            ident ? "unit name and year given" : "unit name or year missing");
        return;
    }
    /* plan: half for the unit and year, half for the share of projects with scope, timing
     * and resources. */
    const json_t *s = section(doc, "projects"), *b;
    size_t i;
    int64_t n = 0, ok = 0;
    json_array_foreach(json_object_get(s, "blocks"), i, b)
    {
        if (!is_item(b))
            continue;
        n++;
        ok += filled(b, "scope") && filled(b, "timing") && filled(b, "resources");
    }
    int64_t x10 = (ident ? 50 : 0) + share10(5, ok, n);
    set(p, x10, "%s%.0s；计划项目 %lld 个，范围、时间、资源齐全 %lld 个",
        "%.0s%s; %lld planned projects, %lld with scope, timing and resources",
        ident ? "已写明单位名称和年度" : "缺少单位名称或年度",
        ident ? "unit name and year given" : "unit name or year missing", (long long)n,
        (long long)ok);
}

/* The problem items of a project report: the findings (audit) or items (rectification). */
static const json_t *problems(const json_t *doc, const char *kind)
{
    return json_object_get(section(doc, !strcmp(kind, "audit") ? "findings" : "items"), "blocks");
}

static void problem_share(const json_t *doc, const char *kind, const char *code, auto_pts *p)
{
    bool audit = !strcmp(kind, "audit");
    const json_t *b;
    size_t i;
    int64_t n = 0, ok = 0;
    json_array_foreach(problems(doc, kind), i, b)
    {
        if (!is_item(b))
            continue;
        n++;
        if (!strcmp(code, "facts"))
            ok += audit ? filled(b, "facts") && filled(b, "amount") && filled(b, "evidence")
                        : filled(b, "facts") && filled(b, "evidence");
        else if (!strcmp(code, "characterisation"))
            ok += audit ? filled(b, "basis") : filled(b, "measures");
        else
            ok += audit ? filled(b, "recommendation") : filled(b, "result");
    }
    if (!n) {
        set(p, 150, "报告未列问题事项", "the report lists no problems");
        return;
    }
    const char *zh, *en;
    if (!strcmp(code, "facts")) {
        zh = audit ? "问题 %lld 个，写明事实、金额和证据的 %lld 个"
                   : "问题 %lld 个，写明问题事实和整改证据的 %lld 个";
        en = audit ? "%lld problems, %lld with facts, amount and evidence"
                   : "%lld problems, %lld with facts and evidence of rectification";
    } else if (!strcmp(code, "characterisation")) {
        zh =
            audit ? "问题 %lld 个，写明定性依据的 %lld 个" : "问题 %lld 个，写明整改措施的 %lld 个";
        en = audit ? "%lld problems, %lld with a basis" : "%lld problems, %lld with measures";
    } else {
        zh =
            audit ? "问题 %lld 个，提出审计建议的 %lld 个" : "问题 %lld 个，写明整改结果的 %lld 个";
        en = audit ? "%lld problems, %lld with a recommendation"
                   : "%lld problems, %lld with a result";
    }
    AG_FORMAT_NONLITERAL_BEGIN
    set(p, share10(15, ok, n), zh, en, (long long)n, (long long)ok);
    AG_FORMAT_NONLITERAL_END
}

/* use: the report's findings with a rectification item tracked (project reports), or the
 * unit's findings of the year (the plan: of the year before) with one. */
static ag_err use_points(ag_store *st, const json_t *doc, const char *kind, auto_pts *p,
                         ag_error *err)
{
    ag_err rc = AG_OK;
    int64_t n = 0, ok = 0;
    if (report_kind_is_project(kind)) {
        const json_t *b;
        size_t i;
        json_array_foreach(problems(doc, kind), i, b)
        {
            if (!is_item(b))
                continue;
            json_t *ref = json_object_get(b, "ref");
            const char *rk = json_string_value(json_object_get(ref, "kind"));
            n++;
            json_t *id = json_object_get(ref, "id");
            if (!st) {
                ok += !strcmp(kind, "rectification") && filled(b, "state");
                continue;
            }
            if (!rk || strcmp(rk, "finding") || !json_is_integer(id))
                continue;
            int64_t k = 0;
            rc =
                wf_query_int(st, &k, err, "SELECT COUNT(*) FROM rectification WHERE finding_id = ?",
                             "i", (int64_t)json_integer_value(id));
            if (rc)
                return rc;
            ok += k > 0;
        }
        if (!n)
            set(p, 100, "报告未列问题事项", "the report lists no problems");
        else
            set(p, share10(10, ok, n), "问题 %lld 个，已纳入整改台账跟踪 %lld 个",
                "%lld problems, %lld tracked in the rectification ledger", (long long)n,
                (long long)ok);
        return AG_OK;
    }
    const char *unit = json_string_value(json_object_get(doc, "unit_code"));
    json_t *yv = json_object_get(doc, "year");
    if (!st || !unit || !json_is_integer(yv)) {
        set(p, -1, "无法核对审计发现的整改情况", "the findings' rectification cannot be checked");
        return AG_OK;
    }
    int year = (int)json_integer_value(yv) - (!strcmp(kind, "plan") ? 1 : 0);
    char ys[32], ye[32];
    snprintf(ye, sizeof ye, "%04d-12-31T16:00:00Z", year);
    snprintf(ys, sizeof ys, "%04d-12-31T16:00:00Z", year - 1);
    rc = wf_query_int(st, &n, err,
                      "SELECT COUNT(*) FROM finding WHERE unit_code = ? AND created_at >= ?"
                      " AND created_at < ?",
                      "ttt", unit, ys, ye);
    if (!rc)
        rc = wf_query_int(
            st, &ok, err,
            "SELECT COUNT(*) FROM finding f WHERE f.unit_code = ? AND f.created_at >= ?"
            " AND f.created_at < ? AND EXISTS (SELECT 1 FROM rectification r"
            " WHERE r.finding_id = f.id)",
            "ttt", unit, ys, ye);
    if (rc)
        return rc;
    if (!n)
        set(p, 100, "%d 年度无审计发现", "no findings in %d", year);
    else
        set(p, share10(10, ok, n), "%d 年度审计发现 %lld 个，已纳入整改台账跟踪 %lld 个",
            "%d: %lld findings, %lld tracked in the rectification ledger", year, (long long)n,
            (long long)ok);
    return AG_OK;
}

static json_t *tenths(int64_t x10)
{
    return json_real(round((double)x10) / 10.0);
}

ag_err report_score_doc(ag_store *st, const json_t *doc, const char *kind, int64_t project_id,
                        int64_t version, const json_t *stored, json_t **out, ag_error *err)
{
    *out = NULL;
    (void)project_id; /* the findings are the report's own items */
    if (!kind)
        kind = json_string_value(json_object_get(doc, "kind"));
    if (!report_kind_valid(kind))
        return ag_fail(err, AG_ERR_INPUT, "kind", "报告类别未知", "unknown report kind");
    json_t *arr = json_array();
    int64_t sum = 0, max = 0;
    for (int i = 0; i < REPORT_SCORE_CRITERIA; i++) {
        const criterion *c = &CRIT[i];
        if (!applies(c, kind))
            continue;
        auto_pts p = {.x10 = -1};
        ag_err rc = AG_OK;
        if (!strcmp(c->code, "completeness"))
            completeness(doc, kind, &p);
        else if (!strcmp(c->code, "basics"))
            basics(doc, kind, &p);
        else if (!strcmp(c->code, "opinion"))
            set(&p, -1, "由审计局审核评分", "scored by the bureau's reviewer");
        else if (!strcmp(c->code, "use"))
            rc = use_points(st, doc, kind, &p, err);
        else
            problem_share(doc, kind, c->code, &p);
        if (rc) {
            json_decref(arr);
            return rc;
        }
        json_t *sv = json_object_get(stored, c->code);
        bool overridden = json_is_object(sv);
        int64_t x10 =
            overridden ? (int64_t)json_integer_value(json_object_get(sv, "points_x10")) : p.x10;
        json_t *o = json_pack(
            "{s:s,s:s,s:s,s:i,s:o,s:b,s:s,s:s,s:O?}", "code", c->code, "name_zh", c->name_zh,
            "name_en", c->name_en, "max", c->max, "points", x10 < 0 ? json_null() : tenths(x10),
            "auto", !overridden && strcmp(c->code, "opinion") != 0, "basis_zh", p.zh, "basis_en",
            p.en, "by", overridden ? json_object_get(sv, "by") : NULL);
        if (!json_object_get(o, "by"))
            json_object_set_new(o, "by", json_null());
        if (overridden) {
            json_object_set_new(o, "auto_points", p.x10 < 0 ? json_null() : tenths(p.x10));
            json_object_set(o, "by_name", json_object_get(sv, "by_name"));
        }
        json_array_append_new(arr, o);
        sum += x10 < 0 ? 0 : x10;
        max += c->max;
    }
    /* total = sum / max × 100, one decimal (tenths of tenths). */
    int64_t total10 = max ? (sum * 100 + max / 2) / max : 0; /* tenths of a point of 100 */
    *out = json_pack("{s:o,s:o,s:o}", "version", version > 0 ? json_integer(version) : json_null(),
                     "total", tenths(total10), "criteria", arr);
    return AG_OK;
}

ag_err report_score_stored(ag_store *st, int64_t id, int64_t version, json_t **out, ag_error *err)
{
    *out = json_object();
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = wf_prep(st, &s, err,
                        "SELECT criterion, points_x10, created_by FROM report_score"
                        " WHERE report_id = ? AND version = ?",
                        "ii", id, version);
    while (!rc && !(rc = store_step(s, &row, err)) && row)
        json_object_set_new(*out, store_col_text(s, 0),
                            json_pack("{s:I,s:s,s:o}", "points_x10",
                                      (json_int_t)store_col_int(s, 1), "by", store_col_text(s, 2),
                                      "by_name", report_actor_name(st, store_col_text(s, 2))));
    store_finalize(s);
    if (rc) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

static ag_err score_row(ag_store *st, const report_row *r, json_t **out, ag_error *err)
{
    int64_t v = report_scored_version(r);
    json_t *doc = NULL, *stored = NULL;
    ag_err rc = report_content_load(st, r->id, v, &doc, err);
    if (!rc)
        rc = report_score_stored(st, r->id, v, &stored, err);
    if (!rc)
        rc = report_score_doc(st, doc, r->kind, r->project_id, v, stored, out, err);
    json_decref(doc);
    json_decref(stored);
    return rc;
}

ag_err report_score_compute(ag_store *st, const json_t *obj, json_t **out, ag_error *err)
{
    *out = NULL;
    if (!json_is_object(obj))
        return ag_fail(err, AG_ERR_INPUT, "report", "应为报告或报告内容", "not a report");
    const json_t *content = json_object_get(obj, "content");
    if (json_is_object(content)) {
        json_t *id = json_object_get(obj, "id");
        if (st && json_is_integer(id)) {
            report_row r;
            ag_err rc = report_row_load(st, json_integer_value(id), &r, err);
            return rc ? rc : score_row(st, &r, out, err);
        }
        json_t *pid = json_object_get(obj, "project_id");
        return report_score_doc(st, content, json_string_value(json_object_get(obj, "kind")),
                                json_is_integer(pid) ? json_integer_value(pid) : 0, 0, NULL, out,
                                err);
    }
    return report_score_doc(st, obj, NULL, 0, 0, NULL, out, err);
}

ag_err report_score_get(ag_store *st, const audit_actor *a, int64_t id, json_t **out, ag_error *err)
{
    *out = NULL;
    report_row r;
    ag_err rc = report_row_visible(st, a, id, &r, err);
    return rc ? rc : score_row(st, &r, out, err);
}

ag_err report_score_total(ag_store *st, int64_t id, double *total, bool *has, ag_error *err)
{
    report_row r;
    json_t *sc = NULL;
    *total = 0;
    *has = false;
    ag_err rc = report_row_load(st, id, &r, err);
    if (!rc)
        rc = score_row(st, &r, &sc, err);
    if (!rc) {
        *total = json_number_value(json_object_get(sc, "total"));
        *has = true;
    }
    json_decref(sc);
    return rc;
}

ag_err report_score_set(ag_store *st, const audit_actor *a, int64_t id, const json_t *scores,
                        ag_error *err)
{
    report_row r;
    ag_err rc = report_row_visible(st, a, id, &r, err);
    if (rc)
        return rc;
    if (a->scope.role != AG_ROLE_ADMIN)
        return ag_fail(err, AG_ERR_DENIED, "role", "只有审计局管理员可以给报告评分",
                       "only a bureau admin may score a report");
    if (!json_is_object(scores) || json_object_size(scores) == 0)
        return ag_fail(err, AG_ERR_INPUT, "scores", "评分应为 {标准代码: 分值} 且不能为空",
                       "scores must be a non-empty object {code: points}");
    const char *code;
    json_t *v;
    json_object_foreach((json_t *)scores, code, v)
    {
        const criterion *c = crit_find(code);
        if (!c || !applies(c, r.kind))
            return ag_fail(err, AG_ERR_INPUT, code, "%s不适用评分标准 %s",
                           "%.0sthe criterion %s does not apply to this report",
                           report_kind_zh(r.kind), code);
        if (json_is_null(v))
            continue;
        double d = json_is_number(v) ? json_number_value(v) : -1;
        double x = d * 10;
        if (!json_is_number(v) || d < 0 || d > c->max || fabs(x - round(x)) > 1e-6)
            return ag_fail(err, AG_ERR_INPUT, code,
                           "“%s%.0s”的分值应为 0 到 %d 之间、至多一位小数的数",
                           "%.0s%s takes 0 to %d points with at most one decimal", c->name_zh,
                           c->name_en, c->max);
    }
    if (rc)
        return rc;
    int64_t ver = report_scored_version(&r);
    char ts[21];
    ag_clock_format(ag_clock_now(), ts);
    json_object_foreach((json_t *)scores, code, v)
    {
        int64_t there = 0;
        rc = wf_query_int(st, &there, err,
                          "SELECT id FROM report_score WHERE report_id = ? AND version = ?"
                          " AND criterion = ?",
                          "iit", id, ver, code);
        if (rc)
            break;
        if (json_is_null(v)) {
            if (there)
                rc = store_delete(st, "report_score", "id", ag_field_int("id", there), err);
        } else {
            int64_t x10 = (int64_t)llround(json_number_value(v) * 10);
            ag_field f[] = {ag_field_int("report_id", id),
                            ag_field_int("version", ver),
                            ag_field_text("criterion", code),
                            ag_field_int("points_x10", x10),
                            ag_field_text("created_by", report_actor(st, a)),
                            ag_field_text("created_at", ts)};
            rc = there ? store_update(st, "report_score", "id", ag_field_int("id", there), f + 3, 3,
                                      err)
                       : store_insert(st, "report_score", "id", f, 6, NULL, err);
        }
        if (rc)
            break;
    }
    return rc;
}
