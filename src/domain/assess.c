/* assess.c - the assessment's results: each unit's items from data and entered scores, totals,
 * competition ranks in the district and in each cell, the year and unit views (issue 15 §2). */
#include "domain/assess_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/scope.h"
#include "domain/attach.h"
#include "domain/grid.h"
#include "domain/wf_query.h"
#include "util/date.h"
#include "util/banned.h"

const assess_transition assess_transitions[] = {{"none", "save", "none", "unit"},
                                                {"none", "submit", "self", "unit"},
                                                {"self", "dept", "dept", "dept"},
                                                {"dept", "bureau", "bureau", "bureau"}};
const int assess_transition_count = (int)(sizeof assess_transitions / sizeof assess_transitions[0]);

const char *assess_state_zh(const char *state)
{
    static const char *const names[][2] = {{"none", "未自评"},
                                           {"self", "已自评"},
                                           {"dept", "部门已复核"},
                                           {"bureau", "审计局已审定"},
                                           {"published", "已公布"}};
    for (size_t i = 0; state && i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(state, names[i][0]))
            return names[i][1];
    return state ? state : "";
}

ag_err assess_unit_state(ag_store *st, int year, const char *unit, char state[12], bool *draft,
                         int64_t *id, ag_error *err)
{
    snprintf(state, 12, "none");
    *draft = false;
    *id = 0;
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = wf_prep(
        st, &s, err, "SELECT id, state, saved_at FROM assess_unit WHERE year = ? AND unit_code = ?",
        "it", (int64_t)year, unit);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row) {
        *id = store_col_int(s, 0);
        snprintf(state, 12, "%s", store_col_text(s, 1));
        *draft = !store_col_is_null(s, 2);
    }
    store_finalize(s);
    return rc;
}

ag_err assess_may(ag_store *st, const audit_actor *a, const char *unit, const char *cell,
                  const char *state, const char *action, bool *ok, ag_error *err)
{
    *ok = false;
    const assess_transition *t = NULL;
    for (int i = 0; i < assess_transition_count; i++)
        if (!strcmp(assess_transitions[i].action, action) &&
            (!t || (state && !strcmp(assess_transitions[i].from, state))))
            t = &assess_transitions[i];
    if (!t || (state && strcmp(t->from, state)))
        return AG_OK;
    if (a->scope.role == AG_ROLE_ADMIN) {
        *ok = true;
        return AG_OK;
    }
    if (!strcmp(t->who, "dept")) {
        *ok = a->scope.role == AG_ROLE_SUPERVISOR && cell && !strcmp(a->scope.cell_id, cell);
        return AG_OK;
    }
    if (!strcmp(t->who, "unit") &&
        (a->scope.role == AG_ROLE_LEADER || a->scope.role == AG_ROLE_AUDITOR))
        return scope_unit_owned(st, &a->scope, unit, ok, err);
    return AG_OK;
}

/* ---- one unit's items ---------------------------------------------------------------------- */

static int stage_rank(const char *stage)
{
    return !strcmp(stage, "self") ? 1 : !strcmp(stage, "dept") ? 2 : 3;
}

/* {indicator: {id, stage, x2, basis, by, at, self_x2}} of the latest stage per indicator. */
static ag_err load_entries(ag_store *st, int year, const char *unit, json_t **out, ag_error *err)
{
    *out = json_object();
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = wf_prep(st, &s, err,
                        "SELECT id, indicator, stage, score_x2, basis, updated_by, updated_at"
                        " FROM assess_entry WHERE year = ? AND unit_code = ?",
                        "it", (int64_t)year, unit);
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        const char *ind = store_col_text(s, 1), *stage = store_col_text(s, 2);
        json_t *old = json_object_get(*out, ind);
        int64_t x2 = store_col_int(s, 3);
        json_t *self = old ? json_object_get(old, "self_x2") : NULL;
        if (!strcmp(stage, "self"))
            self = json_integer((json_int_t)x2);
        else if (self)
            self = json_incref(self);
        if (old &&
            stage_rank(json_string_value(json_object_get(old, "stage"))) > stage_rank(stage)) {
            if (self)
                json_object_set_new(old, "self_x2", self);
            continue;
        }
        json_t *e = json_pack("{s:I,s:s,s:I,s:s?,s:s,s:s}", "id", (json_int_t)store_col_int(s, 0),
                              "stage", stage, "x2", (json_int_t)x2, "basis", store_col_text(s, 4),
                              "by", store_col_text(s, 5), "at", store_col_text(s, 6));
        if (self)
            json_object_set_new(e, "self_x2", self);
        json_object_set_new(*out, ind, e);
    }
    store_finalize(s);
    if (rc) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

static const char *jstr(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* The year's bounds and what the metrics read. */
static void ctx_init(assess_ctx *c, const assess_yr *y, const ag_calendar *cal)
{
    memset(c, 0, sizeof *c);
    c->year = y->year;
    c->params = json_object_get(y->rubric, "params");
    c->cal = cal;
    ag_date d0 = {y->year, 1, 1}, d1 = {y->year, 12, 31};
    assess_day_end(ag_date_to_days(d0) - 1, c->ys);
    assess_day_end(ag_date_to_days(d1), c->ye);
}

/* The compute object of one unit (without ranks) into *out; *total its total in half points. */
static ag_err unit_compute(ag_store *st, const assess_yr *y, const assess_ctx *c, const char *unit,
                           json_t **out, int64_t *total, ag_error *err)
{
    *out = NULL;
    *total = 0;
    json_t *entries = NULL, *items = json_array();
    ag_err rc = load_entries(st, y->year, unit, &entries, err);
    json_t *groups = json_object_get(y->rubric, "groups");
    for (size_t g = 0; !rc && g < json_array_size(groups); g++) {
        json_t *gr = json_array_get(groups, g), *inds = json_object_get(gr, "indicators");
        const char *kind = jstr(gr, "kind");
        bool bonus = !strcmp(kind, "bonus"), penalty = !strcmp(kind, "penalty");
        int64_t left = 0;
        if (bonus)
            assess_num_x2(json_object_get(gr, "max"), &left);
        for (size_t i = 0; !rc && i < json_array_size(inds); i++) {
            json_t *ind = json_array_get(inds, i);
            const char *code = jstr(ind, "code");
            bool data = !strcmp(jstr(ind, "source"), "data");
            char zh[700] = "", en[700] = "";
            int64_t computed = 0;
            if (data)
                rc = assess_data_value(st, c, unit, ind, &computed, zh, sizeof zh, en, sizeof en,
                                       err);
            if (rc)
                break;
            json_t *e = json_object_get(entries, code);
            int64_t x2 = e ? (int64_t)json_integer_value(json_object_get(e, "x2")) : computed;
            if (!data) {
                const char *b = e ? json_string_value(json_object_get(e, "basis")) : NULL;
                snprintf(zh, sizeof zh, "%s", b && *b ? b : "未填报");
                snprintf(en, sizeof en, "%s", b && *b ? b : "not entered");
            } else if (e && x2 != computed) {
                size_t l = strlen(zh), m = strlen(en);
                char was[16];
                snprintf(was, sizeof was, "%g", (double)computed / 2.0);
                snprintf(zh + l, sizeof zh - l, "（计算得分 %s 分，%s复核调整）", was,
                         !strcmp(jstr(e, "stage"), "dept") ? "主管部门" : "审计局");
                snprintf(en + m, sizeof en - m, " (computed %s, adjusted in review)", was);
            }
            if (bonus) {
                if (x2 > left) {
                    x2 = left > 0 ? left : 0;
                    size_t l = strlen(zh), m = strlen(en);
                    snprintf(zh + l, sizeof zh - l, "（加分合计封顶，超出部分不计）");
                    snprintf(en + m, sizeof en - m, " (bonus capped in total)");
                }
                left -= x2;
            }
            int64_t mn = assess_ind_min_x2(ind), mx = assess_ind_max_x2(ind);
            if (penalty && x2 < mn)
                x2 = mn;
            if (x2 > mx && !penalty)
                x2 = mx;
            if (penalty && x2 > 0)
                x2 = 0;
            *total += x2;
            json_array_append_new(
                items, json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:s,s:s,s:s,s:o,s:s?}", "indicator",
                                 code, "name_zh", jstr(ind, "name_zh"), "group", jstr(gr, "code"),
                                 "score", assess_score_json(x2), "max", assess_score_json(mx),
                                 "min", assess_score_json(mn), "source", data ? "data" : "entered",
                                 "basis", zh, "basis_en", en, "computed",
                                 data ? assess_score_json(computed) : json_null(), "stage",
                                 e ? jstr(e, "stage") : NULL));
        }
    }
    json_decref(entries);
    if (rc) {
        json_decref(items);
        return rc;
    }
    *out = json_pack("{s:s,s:o,s:o,s:n,s:n}", "unit", unit, "total", assess_score_json(*total),
                     "items", items, "rank_district", "rank_cell");
    return AG_OK;
}

ag_err assess_unit_items(ag_store *st, const assess_yr *y, const char *unit, json_t **out,
                         ag_error *err)
{
    *out = NULL;
    ag_calendar *cal = NULL;
    ag_err rc = calendar_load_default(&cal, err);
    assess_ctx c;
    ctx_init(&c, y, cal);
    int64_t total = 0;
    if (!rc)
        rc = unit_compute(st, y, &c, unit, out, &total, err);
    calendar_free(cal);
    return rc;
}

/* ---- the roster ---------------------------------------------------------------------------- */

typedef struct ranked {
    json_t *obj; /* borrowed from the array */
    int64_t total;
    const char *cell;
    const char *code;
} ranked;

static int by_total(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->total != y->total)
        return x->total > y->total ? -1 : 1;
    return strcmp(x->code, y->code);
}

/* Sets rank_district and rank_cell of the n units (competition ranks) and sorts v by rank. */
static void rank_all(ranked *v, size_t n)
{
    qsort(v, n, sizeof *v, by_total);
    for (size_t i = 0; i < n; i++) {
        int64_t d = 1, c = 1;
        for (size_t j = 0; j < n; j++) {
            if (v[j].total <= v[i].total)
                continue;
            d++;
            c += !strcmp(v[j].cell, v[i].cell);
        }
        json_object_set_new(v[i].obj, "rank_district", json_integer((json_int_t)d));
        json_object_set_new(v[i].obj, "rank_cell", json_integer((json_int_t)c));
    }
}

static ag_err frozen(ag_store *st, int year, json_t **out, ag_error *err)
{
    ag_stmt *s = NULL;
    bool row = false;
    *out = json_array();
    ag_err rc = wf_prep(st, &s, err,
                        "SELECT result FROM assess_result WHERE year = ?"
                        " ORDER BY rank_district, unit_code",
                        "i", (int64_t)year);
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        json_t *o = json_loads(store_col_text(s, 0), 0, NULL);
        if (!o) {
            rc = ag_fail(err, AG_ERR_INTERNAL, "assess_result", "已公布的考核结果已损坏",
                         "a published result is damaged");
            break;
        }
        json_object_set_new(o, "state", json_string("published"));
        json_array_append_new(*out, o);
    }
    store_finalize(s);
    if (rc) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

ag_err assess_roster_compute(ag_store *st, const assess_yr *y, json_t **out, ag_error *err)
{
    *out = NULL;
    if (y->published)
        return frozen(st, y->year, out, err);
    ag_calendar *cal = NULL;
    ag_err rc = calendar_load_default(&cal, err);
    if (rc)
        return rc;
    assess_ctx c;
    ctx_init(&c, y, cal);
    ag_stmt *s = NULL;
    bool row = false;
    json_t *arr = json_array();
    rc = wf_prep(st, &s, err,
                 "SELECT u.code, u.name, u.cell_id, g.name, a.state FROM unit u"
                 " LEFT JOIN grid_cell g ON g.id = u.cell_id"
                 " LEFT JOIN assess_unit a ON a.unit_code = u.code AND a.year = ?"
                 " WHERE (u.pilot = 1 AND u.disabled = 0) OR a.id IS NOT NULL ORDER BY u.code",
                 "i", (int64_t)y->year);
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        json_t *o = json_pack("{s:s,s:s,s:s?,s:s?,s:s}", "unit", store_col_text(s, 0), "unit_name",
                              store_col_text(s, 1), "cell_id", store_col_text(s, 2), "cell_name",
                              store_col_text(s, 3), "state",
                              store_col_text(s, 4) ? store_col_text(s, 4) : "none");
        json_array_append_new(arr, o);
    }
    store_finalize(s);
    size_t n = json_array_size(arr);
    ranked *v = calloc(n ? n : 1, sizeof *v);
    if (!rc && !v)
        rc = ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    for (size_t i = 0; !rc && i < n; i++) {
        json_t *meta = json_array_get(arr, i), *o = NULL;
        int64_t total = 0;
        rc = unit_compute(st, y, &c, jstr(meta, "unit"), &o, &total, err);
        if (rc)
            break;
        json_object_update(o, meta); /* unit_name, cell_id, cell_name, state after the core */
        json_array_set_new(arr, i, o);
        v[i] = (ranked){o, total, jstr(o, "cell_id"), jstr(o, "unit")};
    }
    if (!rc) {
        rank_all(v, n);
        json_t *sorted = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append(sorted, v[i].obj);
        json_decref(arr);
        arr = sorted;
    }
    free(v);
    calendar_free(cal);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return AG_OK;
}

ag_err assess_year_json(ag_store *st, const ag_scope *scope, int year, const char *cell,
                        json_t **out, ag_error *err)
{
    *out = NULL;
    assess_yr y;
    json_t *all = NULL, *visible = NULL;
    ag_err rc = assess_yr_load(st, year, &y, err);
    if (!rc)
        rc = assess_roster_compute(st, &y, &all, err);
    if (!rc && scope)
        rc = grid_units_visible(st, scope, &visible, err);
    if (rc) {
        assess_yr_release(&y);
        json_decref(all);
        return rc;
    }
    json_t *items = json_array();
    int64_t counts[5] = {0};
    static const char *const states[] = {"none", "self", "dept", "bureau", "published"};
    for (size_t i = 0; i < json_array_size(all); i++) {
        json_t *o = json_array_get(all, i);
        if (visible && !json_object_get(visible, jstr(o, "unit")))
            continue;
        if (cell && *cell && strcmp(jstr(o, "cell_id"), cell))
            continue;
        for (int k = 0; k < 5; k++)
            counts[k] += !strcmp(jstr(o, "state"), states[k]);
        json_object_set_new(o, "state_zh", json_string(assess_state_zh(jstr(o, "state"))));
        json_array_append(items, o);
    }
    *out = json_pack("{s:i,s:b,s:s?,s:s?,s:I,s:{s:I,s:I,s:I,s:I,s:I},s:o}", "year", year,
                     "published", y.published, "published_at", y.published ? y.published_at : NULL,
                     "published_by", y.published ? y.published_by : NULL, "rubric_version",
                     (json_int_t)y.version, "counts", "none", (json_int_t)counts[0], "self",
                     (json_int_t)counts[1], "dept", (json_int_t)counts[2], "bureau",
                     (json_int_t)counts[3], "published", (json_int_t)counts[4], "items", items);
    json_decref(all);
    json_decref(visible);
    assess_yr_release(&y);
    return AG_OK;
}

/* ---- one unit ------------------------------------------------------------------------------ */

static json_t *history_row(ag_stmt *s)
{
    return json_pack("{s:s,s:s,s:s?,s:s,s:s,s:o,s:o,s:s}", "at", store_col_text(s, 0), "by",
                     store_col_text(s, 1), "by_name", store_col_text(s, 2), "stage",
                     store_col_text(s, 3), "indicator", store_col_text(s, 4), "from",
                     store_col_is_null(s, 5) ? json_null() : assess_score_json(store_col_int(s, 5)),
                     "to", assess_score_json(store_col_int(s, 6)), "reason", store_col_text(s, 7));
}

/* What the system knows that helps to enter an indicator: for "training_competition", the
 * competitions (技术比武) of the year the unit's people took part in and their best score. */
static ag_err hint_json(ag_store *st, const char *hint, const char *unit, int year, json_t **out,
                        ag_error *err)
{
    *out = json_null();
    if (!hint || strcmp(hint, "training_competition"))
        return AG_OK;
    char y0[11], y1[11];
    snprintf(y0, sizeof y0, "%04d-01-01", year);
    snprintf(y1, sizeof y1, "%04d-12-31", year);
    int64_t n = 0, best = -1;
    const char *from = " FROM training_attendance a JOIN training_session s ON s.id = a.session_id"
                       " JOIN person p ON p.id = a.person_id WHERE s.competition = 1"
                       " AND p.unit_code = ? AND s.held_on >= ? AND s.held_on <= ?";
    char q[400];
    snprintf(q, sizeof q, "SELECT COUNT(*)%s", from);
    ag_err rc = wf_query_int(st, &n, err, q, "ttt", unit, y0, y1);
    snprintf(q, sizeof q, "SELECT COALESCE(MAX(a.score_tenths), -1)%s", from);
    if (!rc)
        rc = wf_query_int(st, &best, err, q, "ttt", unit, y0, y1);
    if (rc)
        return rc;
    char zh[160], en[160];
    if (n && best >= 0) {
        snprintf(zh, sizeof zh, "年内技术比武参赛 %lld 人次，最高成绩 %lld.%lld 分", (long long)n,
                 (long long)(best / 10), (long long)(best % 10));
        snprintf(en, sizeof en, "%lld entries in the year's competitions, best score %lld.%lld",
                 (long long)n, (long long)(best / 10), (long long)(best % 10));
    } else if (n) {
        snprintf(zh, sizeof zh, "年内技术比武参赛 %lld 人次", (long long)n);
        snprintf(en, sizeof en, "%lld entries in the year's competitions", (long long)n);
    } else {
        snprintf(zh, sizeof zh, "培训记录中年内无技术比武参赛记录");
        snprintf(en, sizeof en, "no competition entry of the year in the training record");
    }
    json_decref(*out);
    *out = json_pack("{s:s,s:I,s:o,s:s,s:s}", "kind", hint, "entries", (json_int_t)n,
                     "best_score_tenths", best >= 0 ? json_integer((json_int_t)best) : json_null(),
                     "text_zh", zh, "text_en", en);
    return AG_OK;
}

/* The entered indicators with their latest entry and its evidence. */
static ag_err entered_json(ag_store *st, const assess_yr *y, const char *unit, json_t **out,
                           ag_error *err)
{
    json_t *entries = NULL, *arr = json_array();
    ag_err rc = load_entries(st, y->year, unit, &entries, err);
    json_t *groups = json_object_get(y->rubric, "groups");
    for (size_t g = 0; !rc && g < json_array_size(groups); g++) {
        json_t *inds = json_object_get(json_array_get(groups, g), "indicators");
        for (size_t i = 0; !rc && i < json_array_size(inds); i++) {
            json_t *ind = json_array_get(inds, i);
            if (strcmp(jstr(ind, "source"), "entered"))
                continue;
            json_t *e = json_object_get(entries, jstr(ind, "code")), *att = NULL;
            if (e)
                rc = attach_list_owned(st, "assess_item",
                                       (int64_t)json_integer_value(json_object_get(e, "id")), &att,
                                       err);
            json_t *hint = NULL;
            if (!rc)
                rc = hint_json(st, json_string_value(json_object_get(ind, "hint")), unit, y->year,
                               &hint, err);
            json_t *self = e ? json_object_get(e, "self_x2") : NULL;
            json_array_append_new(
                arr,
                json_pack(
                    "{s:s,s:s,s:s,s:o,s:s?,s:s?,s:s?,s:s?,s:o,s:o,s:o}", "indicator",
                    jstr(ind, "code"), "name_zh", jstr(ind, "name_zh"), "entered_by",
                    *jstr(ind, "entered_by") ? jstr(ind, "entered_by") : "unit", "score",
                    assess_score_json(e ? json_integer_value(json_object_get(e, "x2")) : 0),
                    "basis", e ? json_string_value(json_object_get(e, "basis")) : NULL, "stage",
                    e ? jstr(e, "stage") : NULL, "updated_by", e ? jstr(e, "by") : NULL,
                    "updated_at", e ? jstr(e, "at") : NULL, "self_score",
                    self ? assess_score_json(json_integer_value(self)) : json_null(), "attachments",
                    att ? att : json_array(), "hint", hint ? hint : json_null()));
        }
    }
    json_decref(entries);
    if (rc) {
        json_decref(arr);
        arr = NULL;
    }
    *out = arr;
    return rc;
}

/* The display name of the account of an actor string "user:<username>" (json null otherwise). */
static ag_err display_name(ag_store *st, const char *actor, json_t **out, ag_error *err)
{
    *out = json_null();
    if (!actor || strncmp(actor, "user:", 5))
        return AG_OK;
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = wf_prep(st, &s, err, "SELECT display_name FROM app_user WHERE username = ?", "t",
                        actor + 5);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row && store_col_text(s, 0))
        *out = json_string(store_col_text(s, 0));
    store_finalize(s);
    return rc;
}

static json_t *col_or_null(ag_stmt *s, int col)
{
    return store_col_text(s, col) ? json_string(store_col_text(s, col)) : json_null();
}

ag_err assess_unit_json(ag_store *st, const audit_actor *a, const char *unit_code, int year,
                        json_t **out, ag_error *err)
{
    *out = NULL;
    bool visible = false;
    ag_err rc = scope_unit_visible(st, &a->scope, unit_code, &visible, err);
    if (!rc && !visible)
        rc = ag_fail(err, AG_ERR_NOTFOUND, "unit_code", "单位 %s 不存在", "no unit %s", unit_code);
    assess_yr y;
    memset(&y, 0, sizeof y);
    if (!rc)
        rc = assess_yr_load(st, year, &y, err);
    json_t *all = NULL, *result = NULL, *o = NULL;
    if (!rc)
        rc = assess_roster_compute(st, &y, &all, err);
    for (size_t i = 0; !rc && i < json_array_size(all); i++)
        if (!strcmp(jstr(json_array_get(all, i), "unit"), unit_code))
            result = json_incref(json_array_get(all, i));
    char state[12], cell[32] = "", cell_name[256] = "", name[256] = "";
    bool draft = false;
    int64_t id = 0;
    if (!rc)
        rc = assess_unit_state(st, year, unit_code, state, &draft, &id, err);
    ag_stmt *s = NULL;
    bool row = false;
    if (!rc)
        rc = wf_prep(st, &s, err,
                     "SELECT u.name, u.cell_id, g.name FROM unit u LEFT JOIN grid_cell g"
                     " ON g.id = u.cell_id WHERE u.code = ?",
                     "t", unit_code);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row) {
        snprintf(name, sizeof name, "%s", store_col_text(s, 0));
        snprintf(cell, sizeof cell, "%s", store_col_text(s, 1) ? store_col_text(s, 1) : "");
        snprintf(cell_name, sizeof cell_name, "%s",
                 store_col_text(s, 2) ? store_col_text(s, 2) : "");
    }
    store_finalize(s);
    s = NULL;
    if (!rc && !result) { /* a unit off the roster: computed alone, without ranks */
        ag_calendar *cal = NULL;
        rc = calendar_load_default(&cal, err);
        assess_ctx c;
        ctx_init(&c, &y, cal);
        int64_t total = 0;
        if (!rc)
            rc = unit_compute(st, &y, &c, unit_code, &result, &total, err);
        calendar_free(cal);
        if (!rc)
            json_object_update_new(result,
                                   json_pack("{s:s,s:s?,s:s?,s:s}", "unit_name", name, "cell_id",
                                             *cell ? cell : NULL, "cell_name",
                                             *cell_name ? cell_name : NULL, "state", state));
    }
    json_t *entered = NULL, *history = NULL, *stages = NULL;
    if (!rc)
        rc = entered_json(st, &y, unit_code, &entered, err);
    if (!rc) {
        rc = wf_prep(st, &s, err,
                     "SELECT at, by_user, by_name, stage, indicator, from_x2, to_x2, reason"
                     " FROM assess_change WHERE year = ? AND unit_code = ? ORDER BY id",
                     "it", (int64_t)year, unit_code);
        rc = wf_rows(s, rc, history_row, &history, err);
        s = NULL;
    }
    if (!rc)
        rc = wf_prep(st, &s, err,
                     "SELECT saved_at, self_at, self_by, dept_at, dept_by, dept_note, bureau_at,"
                     " bureau_by, bureau_note FROM assess_unit WHERE id = ?",
                     "i", id);
    row = false;
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc) {
        static const char *const keys[] = {"saved_at",  "self_at",   "self_by",
                                           "dept_at",   "dept_by",   "dept_note",
                                           "bureau_at", "bureau_by", "bureau_note"};
        stages = json_object();
        for (int k = 0; k < 9; k++)
            json_object_set_new(stages, keys[k], row ? col_or_null(s, k) : json_null());
    }
    store_finalize(s);
    static const char *const by[] = {"self_by", "dept_by", "bureau_by"};
    for (int k = 0; !rc && k < 3; k++) { /* who passed each stage, by name (the page's *_name) */
        char key[24];
        json_t *nm = NULL;
        snprintf(key, sizeof key, "%s_name", by[k]);
        rc = display_name(st, json_string_value(json_object_get(stages, by[k])), &nm, err);
        if (!rc)
            json_object_set_new(stages, key, nm);
    }
    bool can[4] = {false, false, false, false};
    static const char *const acts[] = {"save", "submit", "dept", "bureau"};
    for (int k = 0; !rc && !y.published && k < 4; k++)
        rc = assess_may(st, a, unit_code, *cell ? cell : NULL, state, acts[k], &can[k], err);
    const char *shown = y.published ? "published" : state;
    if (!rc)
        o = json_pack("{s:s,s:s,s:s?,s:s?,s:i,s:s,s:s,s:b,s:b,s:I,s:O,s:o,s:o,s:o,s:b,s:b,s:b,s:b}",
                      "unit", unit_code, "unit_name", name, "cell_id", *cell ? cell : NULL,
                      "cell_name", *cell_name ? cell_name : NULL, "year", year, "state", shown,
                      "state_zh", assess_state_zh(shown), "draft", draft && !strcmp(state, "none"),
                      "published", y.published, "rubric_version", (json_int_t)y.version, "result",
                      result, "entered", entered, "history", history, "stages", stages, "can_self",
                      can[0], "can_submit", can[1], "can_dept", can[2], "can_bureau", can[3]);
    if (rc) {
        json_decref(entered);
        json_decref(history);
        json_decref(stages);
    }
    json_decref(result);
    json_decref(all);
    assess_yr_release(&y);
    *out = o;
    return rc;
}
