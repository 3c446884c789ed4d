/* report_risk.c - the risk ranking (风险评估与排序) behind the annual plan (issue 16): six weighted
 * factors per audit object (the unit and its subordinate units, or the catalog items of a unit
 * without any), normalised over the objects ranked, with the reasons in figures. */
#include "domain/report_draft.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/rating.h"
#include "domain/setting.h"
#include "domain/wf_query.h"
#include "util/clock.h"
#include "util/date.h"
#include "util/money.h"
#include "util/banned.h"

enum { F_WARN, F_FIND, F_REPEAT, F_GRADE, F_YEARS, F_FUNDS, NF };

static const struct {
    const char *code, *zh, *en;
    int def;
} FACTORS[NF] = {
    {"warnings", "未处理预警（按风险等级加权 高3 中2 低1）",
     "open warnings (weighted by risk: high 3, medium 2, low 1)", 25},
    {"findings", "未整改及逾期问题（逾期加倍）",
     "unrectified and overdue findings (overdue count twice)", 20},
    {"repeat", "屡审屡犯", "repeat offences", 10},
    {"grade", "内控评级（0级最高风险、未评级按0级）",
     "internal-control grade (0 the riskiest, unrated as 0)", 15},
    {"years", "距上次审计年数（至多5年，从未审计按5年）",
     "years since the last audit (at most 5, never audited as 5)", 15},
    {"funds", "资金规模（账套借方发生额）", "funds (the ledger's debit turnover)", 15},
};

/* One audit object: its raw factor values and the figures its reason quotes. */
typedef struct risk_entry {
    char code[64], name[256];
    double raw[NF], norm[NF], points[NF], score;
    bool na[NF];
    int64_t warn_n, open_n, overdue_n;
    bool never;
    char grade[4];
} risk_entry;

static int factor_index(const char *code)
{
    for (int k = 0; code && k < NF; k++)
        if (!strcmp(code, FACTORS[k].code))
            return k;
    return -1;
}

static void weight_key(int k, char out[64])
{
    snprintf(out, 64, "report_risk_%s", FACTORS[k].code);
}

static ag_err stored_weights(ag_store *st, int w[NF], ag_error *err)
{
    ag_err rc = AG_OK;
    for (int k = 0; !rc && k < NF; k++) {
        char key[64];
        int64_t v = FACTORS[k].def;
        weight_key(k, key);
        rc = setting_int(st, key, 0, REPORT_RISK_WEIGHT_MAX, FACTORS[k].def, &v, err);
        w[k] = (int)v;
    }
    return rc;
}

/* Overrides w with the members of in ({code: int 0..100}); errors name "weights.<code>". */
static ag_err weights_apply(const json_t *in, int w[NF], ag_error *err)
{
    const char *code;
    json_t *v;
    if (!json_is_object(in))
        return ag_fail(err, AG_ERR_INPUT, "weights", "权重应为对象 {因素: 0-100}",
                       "weights must be an object {factor: 0-100}");
    json_object_foreach((json_t *)in, code, v)
    {
        char where[96];
        int k = factor_index(code);
        snprintf(where, sizeof where, "weights.%s", code);
        if (k < 0)
            return ag_fail(err, AG_ERR_INPUT, where, "未知的风险因素：%s",
                           "unknown risk factor: %s", code);
        if (!json_is_integer(v) || json_integer_value(v) < 0 ||
            json_integer_value(v) > REPORT_RISK_WEIGHT_MAX)
            return ag_fail(err, AG_ERR_INPUT, where, "权重应为 0 到 %d 的整数",
                           "a weight is an integer from 0 to %d", REPORT_RISK_WEIGHT_MAX);
        w[k] = (int)json_integer_value(v);
    }
    return AG_OK;
}

static json_t *weights_json(const int w[NF], json_t **factors)
{
    json_t *o = json_object();
    *factors = json_array();
    for (int k = 0; k < NF; k++) {
        json_object_set_new(o, FACTORS[k].code, json_integer(w[k]));
        json_array_append_new(*factors,
                              json_pack("{s:s,s:s,s:s,s:i,s:i}", "code", FACTORS[k].code, "name_zh",
                                        FACTORS[k].zh, "name_en", FACTORS[k].en, "weight", w[k],
                                        "default", FACTORS[k].def));
    }
    return o;
}

ag_err report_risk_weights_get(ag_store *st, json_t **out, ag_error *err)
{
    int w[NF];
    json_t *factors = NULL;
    *out = NULL;
    ag_err rc = stored_weights(st, w, err);
    if (rc)
        return rc;
    json_t *ws = weights_json(w, &factors);
    *out = json_pack("{s:o,s:o}", "weights", ws, "factors", factors);
    return AG_OK;
}

ag_err report_risk_weights_set(ag_store *st, const json_t *weights, ag_error *err)
{
    int w[NF], old[NF];
    ag_err rc = stored_weights(st, old, err);
    memcpy(w, old, sizeof w);
    if (!rc)
        rc = weights_apply(weights, w, err);
    if (rc)
        return rc;
    rc = store_begin(st, err);
    for (int k = 0; !rc && k < NF; k++) {
        char key[64];
        weight_key(k, key);
        if (json_object_get(weights, FACTORS[k].code))
            rc = setting_put_int(st, key, w[k], err);
    }
    return store_end(st, rc, err);
}

/* ---- the facts of one entry ------------------------------------------------------------- */

/* The Beijing year of an ISO-8601 UTC time (0 when it is not one). */
static int civil_year(const char *iso)
{
    if (!iso || strlen(iso) < 13)
        return 0;
    int y = (int)strtol(iso, NULL, 10);
    return strncmp(iso + 5, "12-31T16", 8) >= 0 ? y + 1 : y;
}

/* Two integer columns of the first row (0 when absent or NULL). */
static ag_err query_two(ag_store *st, int64_t *a, int64_t *b, ag_error *err, const char *sql,
                        const char *types, const char *x, const char *y, const char *z)
{
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = wf_prep(st, &s, err, sql, types, x, y, z);
    *a = *b = 0;
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row) {
        *a = store_col_int(s, 0);
        *b = store_col_int(s, 1);
    }
    store_finalize(s);
    return rc;
}

/* The `item = ?` filter of an area entry: the area's code, or a match-all for a unit. */
#define ITEM_OR_ALL " AND (? IS NULL OR %s = ?)"

static ag_err entry_common(ag_store *st, const char *unit, const char *item, int year,
                           risk_entry *e, ag_error *err)
{
    char today[11], sql[512];
    int64_t a = 0, b = 0;
    ag_date_format(ag_clock_today(), today);
    snprintf(sql, sizeof sql,
             "SELECT COALESCE(SUM(CASE severity WHEN 'high' THEN 3 WHEN 'medium' THEN 2"
             " ELSE 1 END), 0), COUNT(*) FROM warning WHERE unit_code = ? AND status = "
             "'open'" ITEM_OR_ALL,
             "item");
    ag_err rc = query_two(st, &a, &b, err, sql, "ttt", unit, item, item);
    e->raw[F_WARN] = (double)a;
    e->warn_n = b;
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*), COALESCE(SUM(r.deadline < ? AND r.state IN ('open', "
             "'in_progress')), 0) FROM rectification r JOIN finding f"
             " ON f.id = r.finding_id WHERE r.unit_code = ? AND r.state NOT IN ('closed',"
             " 'continuous') AND (? IS NULL OR f.item = ?)");
    if (!rc) {
        ag_stmt *s = NULL;
        bool row = false;
        rc = wf_prep(st, &s, err, sql, "tttt", today, unit, item, item);
        if (!rc)
            rc = store_step(s, &row, err);
        e->open_n = !rc && row ? store_col_int(s, 0) : 0;
        e->overdue_n = !rc && row ? store_col_int(s, 1) : 0;
        store_finalize(s);
    }
    e->raw[F_FIND] = (double)(e->open_n + e->overdue_n);
    if (!rc) {
        snprintf(sql, sizeof sql,
                 "SELECT COUNT(*), 0 FROM finding WHERE unit_code = ? AND repeat_of IS NOT "
                 "NULL" ITEM_OR_ALL,
                 "item");
        rc = query_two(st, &a, &b, err, sql, "ttt", unit, item, item);
        e->raw[F_REPEAT] = (double)a;
    }
    if (!rc) {
        char like[80] = "%";
        ag_stmt *s = NULL;
        bool row = false;
        if (item)
            snprintf(like, sizeof like, "%%\"%s\"%%", item);
        rc = wf_prep(st, &s, err,
                     "SELECT MAX(created_at) FROM audit_project WHERE unit_code = ?"
                     " AND standing IS NULL AND items LIKE ?",
                     "tt", unit, like);
        if (!rc)
            rc = store_step(s, &row, err);
        int last = !rc && row ? civil_year(store_col_text(s, 0)) : 0;
        store_finalize(s);
        e->never = last == 0;
        e->raw[F_YEARS] = e->never ? 5 : last >= year ? 0 : year - last;
    }
    return rc;
}

static ag_err entry_unit(ag_store *st, const char *unit, int year, risk_entry *e, ag_error *err)
{
    ag_err rc = entry_common(st, unit, NULL, year, e, err);
    if (!rc)
        rc = rating_latest_grade(st, unit, e->grade, err);
    int level = e->grade[0] >= '0' && e->grade[0] <= '5' ? e->grade[0] - '0' : 0;
    e->raw[F_GRADE] = level;
    int64_t fen = 0;
    char y[16];
    snprintf(y, sizeof y, "%d", year);
    if (!rc)
        rc = wf_query_int(st, &fen, err,
                          "SELECT COALESCE(SUM(l.debit), 0) FROM ledger_line l JOIN ledger_book b"
                          " ON b.id = l.book_id WHERE b.unit_code = ? AND b.fiscal_year ="
                          " (SELECT MAX(fiscal_year) FROM ledger_book WHERE unit_code = ?"
                          " AND fiscal_year BETWEEN 1 AND CAST(? AS INTEGER))",
                          "ttt", unit, unit, y);
    e->raw[F_FUNDS] = (double)fen / 100.0;
    return rc;
}

static ag_err entry_area(ag_store *st, const char *unit, const char *item, int year, risk_entry *e,
                         ag_error *err)
{
    ag_err rc = entry_common(st, unit, item, year, e, err);
    int64_t fen = 0;
    if (!rc)
        rc = wf_query_int(st, &fen, err,
                          "SELECT COALESCE(SUM(amount), 0) FROM warning WHERE unit_code = ?"
                          " AND item = ? AND status <> 'dismissed'",
                          "tt", unit, item);
    e->raw[F_FUNDS] = (double)fen / 100.0;
    e->na[F_GRADE] = true;
    return rc;
}

/* ---- the entries ---------------------------------------------------------------------- */

typedef struct risk_set {
    risk_entry *e;
    size_t n, cap;
} risk_set;

static risk_entry *set_add(risk_set *rs, const char *code, const char *name)
{
    if (rs->n == rs->cap) {
        size_t cap = rs->cap ? 2 * rs->cap : 16;
        risk_entry *p = realloc(rs->e, cap * sizeof *p);
        if (!p)
            return NULL;
        rs->e = p;
        rs->cap = cap;
    }
    risk_entry *e = &rs->e[rs->n++];
    memset(e, 0, sizeof *e);
    snprintf(e->code, sizeof e->code, "%s", code ? code : "");
    snprintf(e->name, sizeof e->name, "%s", name ? name : "");
    return e;
}

/* The unit and its subordinate units (the parent_code chain), or none when it has none. */
static ag_err load_units(ag_store *st, const char *unit, int year, risk_set *rs, ag_error *err)
{
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = wf_prep(st, &s, err,
                        "WITH RECURSIVE sub(code) AS (SELECT code FROM unit WHERE parent_code = ?"
                        " UNION SELECT u.code FROM unit u JOIN sub ON u.parent_code = sub.code)"
                        " SELECT code, name FROM unit WHERE (code = ? OR code IN (SELECT code"
                        " FROM sub)) AND (disabled = 0 OR code = ?) ORDER BY code = ? DESC, code",
                        "tttt", unit, unit, unit, unit);
    while (!rc && !(rc = store_step(s, &row, err)) && row)
        if (!set_add(rs, store_col_text(s, 0), store_col_text(s, 1)))
            rc = ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    store_finalize(s);
    if (rc || rs->n < 2) {
        rs->n = 0;
        return rc;
    }
    for (size_t i = 0; !rc && i < rs->n; i++)
        rc = entry_unit(st, rs->e[i].code, year, &rs->e[i], err);
    return rc;
}

static ag_err load_areas(ag_store *st, const char *unit, int year, risk_set *rs, ag_error *err)
{
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = wf_prep(st, &s, err,
                        "SELECT code, name_zh FROM catalog_item WHERE version ="
                        " (SELECT MAX(version) FROM catalog_version) ORDER BY sort_order, code",
                        "");
    while (!rc && !(rc = store_step(s, &row, err)) && row)
        if (!set_add(rs, store_col_text(s, 0), store_col_text(s, 1)))
            rc = ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    store_finalize(s);
    for (size_t i = 0; !rc && i < rs->n; i++)
        rc = entry_area(st, unit, rs->e[i].code, year, &rs->e[i], err);
    return rc;
}

/* ---- the arithmetic --------------------------------------------------------------------- */

static double round2(double x)
{
    return round(x * 100.0) / 100.0;
}

static void normalise(risk_set *rs)
{
    for (int k = 0; k < NF; k++) {
        double max = 0;
        for (size_t i = 0; i < rs->n; i++)
            if (rs->e[i].raw[k] > max)
                max = rs->e[i].raw[k];
        for (size_t i = 0; i < rs->n; i++) {
            risk_entry *e = &rs->e[i];
            if (k == F_GRADE)
                e->norm[k] = (5.0 - e->raw[k]) / 5.0;
            else if (k == F_YEARS)
                e->norm[k] = (e->raw[k] < 5 ? e->raw[k] : 5) / 5.0;
            else
                e->norm[k] = max > 0 ? e->raw[k] / max : 0;
        }
    }
}

static void score(risk_set *rs, const int w[NF])
{
    for (size_t i = 0; i < rs->n; i++) {
        risk_entry *e = &rs->e[i];
        double sum = 0, wsum = 0;
        for (int k = 0; k < NF; k++) {
            if (e->na[k])
                continue;
            e->points[k] = w[k] * e->norm[k];
            sum += e->points[k];
            wsum += w[k];
        }
        e->score = wsum > 0 ? round2(sum / wsum * 100.0) : 0;
    }
}

static int by_score(const void *pa, const void *pb)
{
    const risk_entry *a = pa, *b = pb;
    if (a->score != b->score)
        return a->score < b->score ? 1 : -1;
    return strcmp(a->code, b->code);
}

/* ---- the reasons ------------------------------------------------------------------------ */

/* One factor's figure in both languages. */
static void figure(const risk_entry *e, int k, bool areas, char *zh, size_t zn, char *en,
                   size_t en_n)
{
    char m[32];
    switch (k) {
    case F_WARN:
        snprintf(zh, zn, "未处理预警 %lld 条（按风险等级加权 %.0f）", (long long)e->warn_n,
                 e->raw[k]);
        snprintf(en, en_n, "%lld open warnings (weighted %.0f)", (long long)e->warn_n, e->raw[k]);
        break;
    case F_FIND:
        snprintf(zh, zn, "未整改问题 %lld 个（其中逾期 %lld 个）", (long long)e->open_n,
                 (long long)e->overdue_n);
        snprintf(en, en_n, "%lld unrectified findings (%lld overdue)", (long long)e->open_n,
                 (long long)e->overdue_n);
        break;
    case F_REPEAT:
        snprintf(zh, zn, "屡审屡犯问题 %.0f 个", e->raw[k]);
        snprintf(en, en_n, "%.0f repeat offences", e->raw[k]);
        break;
    case F_GRADE:
        snprintf(zh, zn, "内控评级 %s", rating_grade_zh(e->grade[0] ? e->grade : NULL));
        snprintf(en, en_n, "internal-control grade %s", e->grade[0] ? e->grade : "unrated");
        break;
    case F_YEARS:
        if (e->never) {
            snprintf(zh, zn, "从未审计");
            snprintf(en, en_n, "never audited");
        } else {
            snprintf(zh, zn, "距上次审计 %.0f 年", e->raw[k]);
            snprintf(en, en_n, "%.0f years since the last audit", e->raw[k]);
        }
        break;
    default:
        ag_money_format_grouped((int64_t)llround(e->raw[k] * 100.0), m);
        snprintf(zh, zn, "%s %s 元", areas ? "预警涉及金额" : "资金规模", m);
        snprintf(en, en_n, "%s %s yuan", areas ? "warned amounts" : "funds", m);
    }
}

/* The reason: the (at most three) factors with the most points, with their figures. */
static void reason(const risk_entry *e, int rank, bool areas, json_t *o)
{
    int order[NF], n = 0;
    for (int k = 0; k < NF; k++)
        if (!e->na[k] && e->points[k] > 0)
            order[n++] = k;
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && e->points[order[j]] > e->points[order[j - 1]]; j--) {
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    char zh[1024], en[1024];
    size_t zl = 0, el = 0;
    zl += (size_t)snprintf(zh, sizeof zh, "风险得分 %.2f，排名第 %d", e->score, rank);
    el += (size_t)snprintf(en, sizeof en, "risk score %.2f, rank %d", e->score, rank);
    for (int i = 0; i < n && i < 3 && zl < sizeof zh && el < sizeof en; i++) {
        char fz[256], fe[256];
        figure(e, order[i], areas, fz, sizeof fz, fe, sizeof fe);
        zl += (size_t)snprintf(zh + zl, sizeof zh - zl, "%s%s", i ? "、" : "；主要因素：", fz);
        el +=
            (size_t)snprintf(en + el, sizeof en - el, "%s%s", i ? ", " : "; leading factors: ", fe);
    }
    if (!n) {
        snprintf(zh + zl, sizeof zh - zl, "；各项风险因素均为 0");
        snprintf(en + el, sizeof en - el, "; every risk factor is 0");
    }
    json_object_set_new(o, "reason_zh", json_string(zh));
    json_object_set_new(o, "reason_en", json_string(en));
}

static json_t *entry_json(const risk_entry *e, int rank, bool areas)
{
    json_t *f = json_object();
    for (int k = 0; k < NF; k++) {
        json_t *raw = json_real(e->raw[k]);
        if (k != F_FUNDS)
            raw = (json_decref(raw), json_integer((json_int_t)e->raw[k]));
        if (k == F_GRADE && areas)
            raw = (json_decref(raw), json_null());
        json_object_set_new(
            f, FACTORS[k].code,
            json_pack("{s:o,s:o,s:o}", "raw", raw, "norm",
                      e->na[k] ? json_null() : json_real(round(e->norm[k] * 1e4) / 1e4), "points",
                      e->na[k] ? json_null() : json_real(round2(e->points[k]))));
    }
    json_t *o = json_pack("{s:i,s:s,s:s,s:f,s:o}", "rank", rank, "code", e->code, "name", e->name,
                          "score", e->score, "factors", f);
    reason(e, rank, areas, o);
    return o;
}

ag_err report_risk_rank(ag_store *st, const char *unit_code, int year, const json_t *weights,
                        json_t **out, ag_error *err)
{
    int w[NF];
    risk_set rs = {0};
    char uname[256] = "";
    *out = NULL;
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = wf_prep(st, &s, err, "SELECT name FROM unit WHERE code = ?", "t", unit_code);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row)
        snprintf(uname, sizeof uname, "%s", store_col_text(s, 0));
    store_finalize(s);
    if (!rc && !row)
        return ag_fail(err, AG_ERR_NOTFOUND, "unit_code", "单位不存在：%s", "no such unit: %s",
                       unit_code ? unit_code : "");
    if (!rc)
        rc = stored_weights(st, w, err);
    if (!rc && weights)
        rc = weights_apply(weights, w, err);
    if (!rc)
        rc = load_units(st, unit_code, year, &rs, err);
    bool areas = !rc && rs.n == 0;
    if (areas)
        rc = load_areas(st, unit_code, year, &rs, err);
    if (rc) {
        free(rs.e);
        return rc;
    }
    normalise(&rs);
    score(&rs, w);
    qsort(rs.e, rs.n, sizeof *rs.e, by_score);
    json_t *entries = json_array(), *factors = NULL;
    for (size_t i = 0; i < rs.n; i++)
        json_array_append_new(entries, entry_json(&rs.e[i], (int)i + 1, areas));
    free(rs.e);
    json_t *ws = weights_json(w, &factors);
    *out = json_pack("{s:s,s:s,s:i,s:s,s:o,s:o,s:o}", "unit_code", unit_code, "unit_name", uname,
                     "year", year, "basis", areas ? "areas" : "units", "weights", ws, "factors",
                     factors, "entries", entries);
    return AG_OK;
}
