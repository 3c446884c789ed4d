/* rating_store.c - the 0–5A grade in the store: years, facts, reads, self-evaluations, reviews
 * and publication (issue 15 §1). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/attach.h"
#include "domain/iabody.h"
#include "domain/rating.h"
#include "util/clock.h"
#include "util/date.h"
#include "util/banned.h"

static const char *jstr(const json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static json_t *col_text(ag_stmt *s, int c)
{
    const char *t = store_col_text(s, c);
    return t ? json_string(t) : json_null();
}

static json_t *centi_json(int64_t c)
{
    return json_real((double)c / 100.0);
}

static ag_err year_ok(int year, ag_error *err)
{
    if (year < RATING_YEAR_MIN || year > RATING_YEAR_MAX)
        return ag_fail(err, AG_ERR_INPUT, "year", "年度应在 %d-%d 之间：%d",
                       "the year must be %d-%d: %d", RATING_YEAR_MIN, RATING_YEAR_MAX, year);
    return AG_OK;
}

static void now_ts(char ts[21])
{
    ag_clock_format(ag_clock_now(), ts);
}

/* ---- years --------------------------------------------------------------- */

ag_err rating_year_info(ag_store *st, int year, json_t **out, ag_error *err)
{
    *out = NULL;
    ag_err rc = year_ok(year, err);
    ag_stmt *s = NULL;
    bool row = false;
    if (!rc)
        rc = store_prepare_args(st, &s, err,
                                "SELECT rubric_version, self_eval_due, published_at, published_by"
                                " FROM rating_year WHERE year = ?",
                                "i", (int64_t)year);
    if (!rc)
        rc = store_step(s, &row, err);
    json_t *o = NULL;
    if (!rc && row)
        o = json_pack("{s:i,s:I,s:o,s:b,s:o,s:o,s:b}", "year", year, "rubric_version",
                      (json_int_t)store_col_int(s, 0), "self_eval_due", col_text(s, 1), "published",
                      !store_col_is_null(s, 2), "published_at", col_text(s, 2), "published_by",
                      col_text(s, 3), "started", true);
    store_finalize(s);
    if (rc)
        return rc;
    if (!o) {
        json_t *rub = NULL;
        rc = rating_rubric_get(st, 0, &rub, err);
        if (rc)
            return rc;
        char due[16];
        snprintf(due, sizeof due, "%04d-%s", year + 1, jstr(rub, "self_eval_due"));
        o = json_pack("{s:i,s:O,s:s,s:b,s:n,s:n,s:b}", "year", year, "rubric_version",
                      json_object_get(rub, "version"), "self_eval_due", due, "published", false,
                      "published_at", "published_by", "started", false);
        json_decref(rub);
    }
    *out = o;
    return AG_OK;
}

ag_err rating_year_start(ag_store *st, int year, int64_t *version, ag_error *err)
{
    ag_err rc = year_ok(year, err);
    int64_t v = 0;
    if (rc)
        return rc;
    ag_stmt *s = NULL;
    bool row = false;
    rc = store_prepare_args(st, &s, err, "SELECT rubric_version FROM rating_year WHERE year = ?",
                            "i", (int64_t)year);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row)
        v = store_col_int(s, 0);
    store_finalize(s);
    if (rc)
        return rc;
    if (!row) {
        int64_t latest = 0;
        rc = rating_rubric_install_default(st, &latest, err);
        json_t *rub = NULL;
        if (!rc)
            rc = rating_rubric_get(st, latest, &rub, err);
        if (rc)
            return rc;
        char due[16], ts[21];
        snprintf(due, sizeof due, "%04d-%s", year + 1, jstr(rub, "self_eval_due"));
        json_decref(rub);
        now_ts(ts);
        ag_field f[] = {ag_field_int("year", year), ag_field_int("rubric_version", latest),
                        ag_field_text("self_eval_due", due), ag_field_text("created_at", ts)};
        rc = store_insert(st, "rating_year", "year", f, 4, NULL, err);
        v = latest;
    }
    if (!rc && version)
        *version = v;
    return rc;
}

/* ---- facts --------------------------------------------------------------- */

static ag_err self_facts(ag_store *st, const char *unit, int year, json_t *self, int64_t *self_id,
                         ag_error *err)
{
    ag_stmt *s = NULL;
    bool row = false;
    *self_id = 0;
    ag_err rc = store_prepare_args(
        st, &s, err,
        "SELECT id, state, late, inapplicable FROM rating_self WHERE unit_code = ? AND year = ?",
        "ti", unit, (int64_t)year);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row) {
        *self_id = store_col_int(s, 0);
        json_object_set_new(self, "state", json_string(store_col_text(s, 1)));
        json_object_set_new(self, "late", json_boolean(store_col_int(s, 2) != 0));
        json_t *ia = json_loads(store_col_text(s, 3), 0, NULL);
        json_object_set_new(self, "inapplicable", json_is_array(ia) ? ia : json_array());
        if (ia && !json_is_array(ia))
            json_decref(ia);
    } else if (!rc) {
        json_object_set_new(self, "state", json_string("none"));
        json_object_set_new(self, "late", json_false());
        json_object_set_new(self, "inapplicable", json_array());
    }
    store_finalize(s);
    json_t *answers = json_object();
    json_object_set_new(self, "answers", answers);
    if (!rc && *self_id)
        rc = store_prepare_args(st, &s, err,
                                "SELECT point, score_c FROM rating_answer WHERE self_id = ?", "i",
                                *self_id);
    while (!rc && *self_id && !(rc = store_step(s, &row, err)) && row)
        json_object_set_new(answers, store_col_text(s, 0), json_integer(store_col_int(s, 1)));
    if (*self_id)
        store_finalize(s);
    return rc;
}

static ag_err adjustment_facts(ag_store *st, const char *unit, int year, json_t *adj, ag_error *err)
{
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = store_prepare_args(st, &s, err,
                                   "SELECT a.point, a.score_c FROM rating_adjustment a"
                                   " JOIN rating_review r ON r.id = a.review_id"
                                   " WHERE r.unit_code = ? AND r.year = ?",
                                   "ti", unit, (int64_t)year);
    while (!rc && !(rc = store_step(s, &row, err)) && row)
        json_object_set_new(adj, store_col_text(s, 0), json_integer(store_col_int(s, 1)));
    store_finalize(s);
    return rc;
}

static ag_err finding_facts(ag_store *st, const char *unit, int year, json_t *fs, ag_error *err)
{
    char y[8];
    snprintf(y, sizeof y, "%04d", year);
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = store_prepare_args(
        st, &s, err,
        "SELECT f.id, f.item, f.severity, f.repeat_of, f.title, p.code, r.id, r.state"
        " FROM finding f JOIN audit_project p ON p.id = f.project_id"
        " JOIN rectification r ON r.finding_id = f.id"
        " WHERE f.unit_code = ? AND substr(p.period_to, 1, 4) = ? ORDER BY f.id",
        "tt", unit, y);
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        json_t *f = json_object();
        json_object_set_new(f, "id", json_integer(store_col_int(s, 0)));
        json_object_set_new(f, "item", col_text(s, 1));
        json_object_set_new(f, "severity", col_text(s, 2));
        json_object_set_new(f, "repeat_of",
                            store_col_is_null(s, 3) ? json_null()
                                                    : json_integer(store_col_int(s, 3)));
        json_object_set_new(f, "title", col_text(s, 4));
        json_object_set_new(f, "project_code", col_text(s, 5));
        json_object_set_new(f, "rect_id", json_integer(store_col_int(s, 6)));
        json_object_set_new(f, "rect_state", col_text(s, 7));
        json_array_append_new(fs, f);
    }
    store_finalize(s);
    return rc;
}

static ag_err rect_facts(ag_store *st, const char *unit, int year, json_t *rs, ag_error *err)
{
    char y[8], today[11];
    snprintf(y, sizeof y, "%04d", year);
    ag_date_format(ag_clock_today(), today);
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = store_prepare_args(
        st, &s, err,
        "SELECT r.id, r.finding_id, f.item, f.severity, f.title, r.state, r.deadline"
        " FROM rectification r JOIN finding f ON f.id = r.finding_id"
        " JOIN audit_project p ON p.id = r.project_id"
        " WHERE r.unit_code = ? AND substr(p.period_to, 1, 4) <= ? ORDER BY r.id",
        "tt", unit, y);
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        const char *state = store_col_text(s, 5), *dl = store_col_text(s, 6);
        bool due = dl && strcmp(dl, today) < 0;
        bool open = !strcmp(state, "open") || !strcmp(state, "in_progress");
        json_t *r = json_object();
        json_object_set_new(r, "id", json_integer(store_col_int(s, 0)));
        json_object_set_new(r, "finding_id", json_integer(store_col_int(s, 1)));
        json_object_set_new(r, "item", col_text(s, 2));
        json_object_set_new(r, "severity", col_text(s, 3));
        json_object_set_new(r, "title", col_text(s, 4));
        json_object_set_new(r, "state", json_string(state));
        json_object_set_new(r, "deadline", col_text(s, 6));
        json_object_set_new(r, "due", json_boolean(due));
        json_object_set_new(r, "overdue", json_boolean(due && open));
        json_array_append_new(rs, r);
    }
    store_finalize(s);
    return rc;
}

/* The facts with a known year row (due date). */
static ag_err facts_for(ag_store *st, const char *unit, int year, const char *due, json_t **out,
                        ag_error *err)
{
    *out = NULL;
    char today[11];
    ag_date_format(ag_clock_today(), today);
    json_t *f = json_object(), *self = json_object(), *adj = json_object();
    json_t *fs = json_array(), *rs = json_array();
    json_object_set_new(f, "unit", json_string(unit));
    json_object_set_new(f, "year", json_integer(year));
    json_object_set_new(f, "today", json_string(today));
    json_object_set_new(f, "self", self);
    json_object_set_new(f, "adjustments", adj);
    json_object_set_new(f, "due_passed", json_boolean(due && strcmp(today, due) > 0));
    json_object_set_new(f, "findings", fs);
    json_object_set_new(f, "rectifications", rs);
    int64_t self_id = 0;
    ag_err rc = self_facts(st, unit, year, self, &self_id, err);
    if (!rc)
        rc = adjustment_facts(st, unit, year, adj, err);
    if (!rc)
        rc = finding_facts(st, unit, year, fs, err);
    if (!rc)
        rc = rect_facts(st, unit, year, rs, err);
    json_t *ia = NULL;
    if (!rc)
        rc = iabody_get(st, unit, &ia, err);
    if (!rc) {
        json_t *m = json_object_get(ia, "missing");
        json_object_set(f, "iabody_missing", m ? m : json_array());
        if (!m)
            json_object_set_new(f, "iabody_missing", json_array());
    }
    json_decref(ia);
    if (rc) {
        json_decref(f);
        return rc;
    }
    *out = f;
    return AG_OK;
}

ag_err rating_facts(ag_store *st, const char *unit_code, int year, json_t **out, ag_error *err)
{
    json_t *y = NULL;
    ag_err rc = rating_year_info(st, year, &y, err);
    if (!rc)
        rc = facts_for(st, unit_code, year, jstr(y, "self_eval_due"), out, err);
    json_decref(y);
    return rc;
}

/* ---- results ------------------------------------------------------------- */

/* A year's context for computing many units: its info and rubric. */
typedef struct year_ctx {
    int year;
    json_t *info;
    json_t *rubric;
    bool published;
} year_ctx;

static void year_ctx_release(year_ctx *y)
{
    json_decref(y->info);
    json_decref(y->rubric);
}

static ag_err year_ctx_load(ag_store *st, int year, year_ctx *y, ag_error *err)
{
    memset(y, 0, sizeof *y);
    y->year = year;
    ag_err rc = rating_year_info(st, year, &y->info, err);
    if (!rc)
        rc = rating_rubric_get(st, json_integer_value(json_object_get(y->info, "rubric_version")),
                               &y->rubric, err);
    if (!rc)
        y->published = json_is_true(json_object_get(y->info, "published"));
    if (rc)
        year_ctx_release(y);
    return rc;
}

/* The frozen result of unit in a published year into *out (NULL when none). */
static ag_err frozen(ag_store *st, const char *unit, int year, json_t **out, ag_error *err)
{
    *out = NULL;
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = store_prepare_args(
        st, &s, err, "SELECT result FROM rating_grade WHERE year = ? AND unit_code = ?", "it",
        (int64_t)year, unit);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row)
        *out = json_loads(store_col_text(s, 0), 0, NULL);
    store_finalize(s);
    return rc;
}

static ag_err unit_result(ag_store *st, const year_ctx *y, const char *unit, json_t **out,
                          ag_error *err)
{
    *out = NULL;
    ag_err rc = AG_OK;
    if (y->published) {
        rc = frozen(st, unit, y->year, out, err);
        if (rc || *out)
            return rc;
    }
    json_t *facts = NULL;
    rc = facts_for(st, unit, y->year, jstr(y->info, "self_eval_due"), &facts, err);
    if (!rc)
        rc = rating_compute(y->rubric, facts, out, err);
    json_decref(facts);
    return rc;
}

static ag_err unit_exists(ag_store *st, const char *unit, ag_error *err)
{
    int64_t n = 0;
    ag_err rc = store_query_int(st, &n, err, "SELECT COUNT(*) FROM unit WHERE code = ?",
                                unit ? unit : "", NULL);
    if (!rc && n == 0)
        rc =
            ag_fail(err, AG_ERR_NOTFOUND, "unit", "单位 %s 不存在", "no unit %s", unit ? unit : "");
    return rc;
}

ag_err rating_unit_result(ag_store *st, const char *unit_code, int year, json_t **out,
                          ag_error *err)
{
    *out = NULL;
    ag_err rc = unit_exists(st, unit_code, err);
    year_ctx y;
    if (!rc)
        rc = year_ctx_load(st, year, &y, err);
    if (rc)
        return rc;
    rc = unit_result(st, &y, unit_code, out, err);
    year_ctx_release(&y);
    return rc;
}

/* The roster rows in scope: [{code, name, cell_id, cell_name, self_state, filed_at, late,
 * review_state}], by code. */
static ag_err roster(ag_store *st, const ag_scope *scope, const year_ctx *y, const char *only,
                     json_t **out, ag_error *err)
{
    *out = NULL;
    ag_stmt *s = NULL;
    bool row = false;
    int64_t yr = y->year, pub = y->published ? 1 : 0;
    const char *head =
        "SELECT u.code, u.name, u.cell_id, c.name, rs.state, rs.filed_at, rs.late, rv.id"
        " FROM unit u LEFT JOIN grid_cell c ON c.id = u.cell_id"
        " LEFT JOIN rating_self rs ON rs.unit_code = u.code AND rs.year = ?"
        " LEFT JOIN rating_review rv ON rv.unit_code = u.code AND rv.year = ?"
        " WHERE (u.code = ? OR (? IS NULL AND ((? = 1 AND u.code IN (SELECT unit_code FROM"
        " rating_grade WHERE year = ?)) OR (? = 0 AND ((u.pilot = 1 AND u.disabled = 0) OR"
        " rs.id IS NOT NULL))))) AND ";
    ag_err rc = scope_prepare(st, scope, "u.code", head, " ORDER BY u.code", &s, NULL, err,
                              "iittiii", yr, yr, only, only, pub, yr, pub);
    json_t *arr = json_array();
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        json_t *o = json_object();
        json_object_set_new(o, "code", col_text(s, 0));
        json_object_set_new(o, "unit_name", col_text(s, 1));
        json_object_set_new(o, "cell_id", col_text(s, 2));
        json_object_set_new(o, "cell_name", col_text(s, 3));
        json_object_set_new(o, "self_state",
                            store_col_is_null(s, 4) ? json_string("none") : col_text(s, 4));
        json_object_set_new(o, "filed_at", col_text(s, 5));
        json_object_set_new(o, "late",
                            json_boolean(!store_col_is_null(s, 6) && store_col_int(s, 6) != 0));
        json_object_set_new(o, "review_state",
                            json_string(store_col_is_null(s, 7) ? "none" : "reviewed"));
        json_array_append_new(arr, o);
    }
    store_finalize(s);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return AG_OK;
}

/* The compute objects of the roster, each merged with its roster row when `rows`. */
static ag_err year_items(ag_store *st, const ag_scope *scope, const year_ctx *y, const char *only,
                         bool rows, json_t **out, ag_error *err)
{
    *out = NULL;
    json_t *r = NULL;
    ag_err rc = roster(st, scope, y, only, &r, err);
    if (rc)
        return rc;
    json_t *items = json_array();
    for (size_t i = 0; !rc && i < json_array_size(r); i++) {
        json_t *u = json_array_get(r, i), *res = NULL;
        rc = unit_result(st, y, jstr(u, "code"), &res, err);
        if (rc)
            break;
        if (rows) {
            json_object_del(u, "code");
            json_object_update(res, u);
        } else { /* the names only, for people reading `rating compute` */
            json_object_set(res, "unit_name", json_object_get(u, "unit_name"));
            json_object_set(res, "cell_name", json_object_get(u, "cell_name"));
        }
        json_array_append_new(items, res);
    }
    json_decref(r);
    if (rc) {
        json_decref(items);
        return rc;
    }
    *out = items;
    return AG_OK;
}

ag_err rating_compute_year(ag_store *st, const ag_scope *scope, int year, const char *unit_code,
                           json_t **out, ag_error *err)
{
    *out = NULL;
    year_ctx y;
    ag_err rc = year_ctx_load(st, year, &y, err);
    if (rc)
        return rc;
    rc = year_items(st, scope, &y, unit_code, false, out, err);
    year_ctx_release(&y);
    if (!rc && unit_code && json_array_size(*out) == 0) {
        json_decref(*out);
        *out = NULL;
        rc = ag_fail(err, AG_ERR_NOTFOUND, "unit", "单位 %s 不存在或不在您的范围内",
                     "no unit %s (or not in your scope)", unit_code);
    }
    return rc;
}

ag_err rating_year_json(ag_store *st, const ag_scope *scope, int year, json_t **out, ag_error *err)
{
    *out = NULL;
    year_ctx y;
    ag_err rc = year_ctx_load(st, year, &y, err);
    if (rc)
        return rc;
    json_t *items = NULL;
    rc = year_items(st, scope, &y, NULL, true, &items, err);
    if (!rc) {
        json_t *o = json_deep_copy(y.info);
        json_object_del(o, "started");
        json_t *counts = json_pack("{s:i,s:i,s:i,s:i,s:i,s:i,s:i}", "5A", 0, "4A", 0, "3A", 0, "2A",
                                   0, "1A", 0, "0", 0, "pending", 0);
        for (size_t i = 0; i < json_array_size(items); i++) {
            const char *g = jstr(json_array_get(items, i), "grade");
            const char *k = g ? g : "pending";
            json_object_set_new(counts, k,
                                json_integer(json_integer_value(json_object_get(counts, k)) + 1));
        }
        json_object_set_new(o, "counts", counts);
        json_object_set_new(o, "items", items);
        *out = o;
    }
    year_ctx_release(&y);
    return rc;
}

/* ---- who may do what ----------------------------------------------------- */

/* AG_OK when a may fill in unit's self-evaluation: admin, or its leader / auditor. */
static ag_err may_fill(ag_store *st, const audit_actor *a, const char *unit, ag_error *err)
{
    bool visible = false, owned = false;
    ag_err rc = scope_unit_visible(st, &a->scope, unit, &visible, err);
    if (!rc && !visible)
        return ag_fail(err, AG_ERR_NOTFOUND, "unit", "单位 %s 不存在", "no unit %s", unit);
    if (rc || a->scope.role == AG_ROLE_ADMIN)
        return rc;
    if (a->scope.role == AG_ROLE_LEADER || a->scope.role == AG_ROLE_AUDITOR)
        rc = scope_unit_owned(st, &a->scope, unit, &owned, err);
    if (!rc && !owned)
        rc = ag_fail(err, AG_ERR_DENIED, "unit",
                     "只有本单位负责人、内审人员或区审计局可以填报内控自评",
                     "only the unit's leader or internal auditor, or the bureau, fills in its "
                     "self-evaluation");
    return rc;
}

static ag_err admin_only(const audit_actor *a, const char *what_zh, const char *what_en,
                         ag_error *err)
{
    if (a->scope.role == AG_ROLE_ADMIN)
        return AG_OK;
    return ag_fail(err, AG_ERR_DENIED, NULL, "只有区审计局管理员可以%s%.0s",
                   "only the bureau admin may %.0s%s", what_zh, what_en);
}

static ag_err not_published(const json_t *info, ag_error *err)
{
    if (!json_is_true(json_object_get(info, "published")))
        return AG_OK;
    int y = (int)json_integer_value(json_object_get(info, "year"));
    return ag_fail(err, AG_ERR_INPUT, "year", "%d 年度评级已发布，不能再修改",
                   "the %d grades are published and can no longer change", y);
}

/* ---- the unit object ----------------------------------------------------- */

static ag_err self_json(ag_store *st, const char *unit, int year, json_t **out, ag_error *err)
{
    *out = NULL;
    ag_stmt *s = NULL;
    bool row = false;
    int64_t id = 0;
    ag_err rc = store_prepare_args(st, &s, err,
                                   "SELECT id, state, filed_at, filed_by, late, inapplicable,"
                                   " updated_at, updated_by FROM rating_self"
                                   " WHERE unit_code = ? AND year = ?",
                                   "ti", unit, (int64_t)year);
    if (!rc)
        rc = store_step(s, &row, err);
    json_t *o = json_object();
    if (!rc && row) {
        id = store_col_int(s, 0);
        json_object_set_new(o, "state", col_text(s, 1));
        json_object_set_new(o, "filed_at", col_text(s, 2));
        json_object_set_new(o, "filed_by", col_text(s, 3));
        json_object_set_new(o, "late", json_boolean(store_col_int(s, 4) != 0));
        json_t *ia = json_loads(store_col_text(s, 5), 0, NULL);
        json_object_set_new(o, "inapplicable", json_is_array(ia) ? ia : json_array());
        if (ia && !json_is_array(ia))
            json_decref(ia);
        json_object_set_new(o, "updated_at", col_text(s, 6));
        json_object_set_new(o, "updated_by", col_text(s, 7));
    } else if (!rc) {
        json_object_set_new(o, "state", json_string("none"));
        json_object_set_new(o, "filed_at", json_null());
        json_object_set_new(o, "filed_by", json_null());
        json_object_set_new(o, "late", json_false());
        json_object_set_new(o, "inapplicable", json_array());
    }
    store_finalize(s);
    json_t *answers = json_array();
    json_object_set_new(o, "answers", answers);
    if (!rc && id)
        rc = store_prepare_args(st, &s, err,
                                "SELECT id, point, score_c, note FROM rating_answer"
                                " WHERE self_id = ? ORDER BY id",
                                "i", id);
    while (!rc && id && !(rc = store_step(s, &row, err)) && row) {
        json_t *att = NULL;
        rc = attach_list_owned(st, "rating_answer", store_col_int(s, 0), &att, err);
        if (rc)
            break;
        json_array_append_new(
            answers, json_pack("{s:I,s:o,s:o,s:o,s:o}", "id", (json_int_t)store_col_int(s, 0),
                               "point", col_text(s, 1), "score", centi_json(store_col_int(s, 2)),
                               "note", col_text(s, 3), "attachments", att));
    }
    if (id)
        store_finalize(s);
    if (rc) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return AG_OK;
}

static ag_err review_json(ag_store *st, const char *unit, int year, json_t **out, ag_error *err)
{
    *out = NULL;
    ag_stmt *s = NULL;
    bool row = false;
    int64_t id = 0;
    ag_err rc = store_prepare_args(st, &s, err,
                                   "SELECT id, note, reviewed_by, reviewed_at FROM rating_review"
                                   " WHERE unit_code = ? AND year = ?",
                                   "ti", unit, (int64_t)year);
    if (!rc)
        rc = store_step(s, &row, err);
    json_t *o = json_object();
    if (!rc && row) {
        id = store_col_int(s, 0);
        json_object_set_new(o, "state", json_string("reviewed"));
        json_object_set_new(o, "note", col_text(s, 1));
        json_object_set_new(o, "reviewed_by", col_text(s, 2));
        json_object_set_new(o, "reviewed_at", col_text(s, 3));
    } else if (!rc) {
        json_object_set_new(o, "state", json_string("none"));
        json_object_set_new(o, "note", json_null());
        json_object_set_new(o, "reviewed_by", json_null());
        json_object_set_new(o, "reviewed_at", json_null());
    }
    store_finalize(s);
    json_t *adj = json_array();
    json_object_set_new(o, "adjustments", adj);
    if (!rc && id)
        rc = store_prepare_args(st, &s, err,
                                "SELECT point, score_c, reason FROM rating_adjustment"
                                " WHERE review_id = ? ORDER BY id",
                                "i", id);
    while (!rc && id && !(rc = store_step(s, &row, err)) && row)
        json_array_append_new(adj,
                              json_pack("{s:o,s:o,s:o}", "point", col_text(s, 0), "score",
                                        centi_json(store_col_int(s, 1)), "reason", col_text(s, 2)));
    if (id)
        store_finalize(s);
    if (rc) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return AG_OK;
}

ag_err rating_unit_json(ag_store *st, const audit_actor *a, const char *unit_code, int year,
                        json_t **out, ag_error *err)
{
    *out = NULL;
    bool visible = false;
    ag_err rc = year_ok(year, err);
    if (!rc)
        rc = scope_unit_visible(st, &a->scope, unit_code, &visible, err);
    if (!rc && !visible)
        rc = ag_fail(err, AG_ERR_NOTFOUND, "unit", "单位 %s 不存在", "no unit %s", unit_code);
    year_ctx y;
    if (rc || (rc = year_ctx_load(st, year, &y, err)))
        return rc;
    json_t *o = json_object(), *self = NULL, *review = NULL, *result = NULL;
    char name[300] = "";
    ag_stmt *s = NULL;
    bool row = false;
    rc = store_prepare_args(st, &s, err, "SELECT name FROM unit WHERE code = ?", "t", unit_code);
    if (!rc && !(rc = store_step(s, &row, err)) && row)
        snprintf(name, sizeof name, "%s", store_col_text(s, 0));
    store_finalize(s);
    if (!rc)
        rc = self_json(st, unit_code, year, &self, err);
    if (!rc)
        rc = review_json(st, unit_code, year, &review, err);
    if (!rc)
        rc = unit_result(st, &y, unit_code, &result, err);
    if (!rc) {
        bool pub = y.published;
        const char *state = jstr(self, "state");
        bool fill = false;
        if (!pub && strcmp(state, "filed")) {
            ag_error e2;
            fill = may_fill(st, a, unit_code, &e2) == AG_OK;
        }
        json_object_set_new(o, "unit", json_string(unit_code));
        json_object_set_new(o, "unit_name", json_string(name));
        json_object_set_new(o, "year", json_integer(year));
        json_object_set(o, "rubric_version", json_object_get(y.info, "rubric_version"));
        json_object_set(o, "self_eval_due", json_object_get(y.info, "self_eval_due"));
        json_object_set(o, "self", self);
        json_object_set(o, "review", review);
        json_object_set(o, "result", result);
        json_object_set_new(o, "published", json_boolean(pub));
        json_object_set_new(o, "can_edit_self", json_boolean(fill));
        json_object_set_new(
            o, "can_review",
            json_boolean(!pub && a->scope.role == AG_ROLE_ADMIN && !strcmp(state, "filed")));
    }
    json_decref(self);
    json_decref(review);
    json_decref(result);
    year_ctx_release(&y);
    if (rc) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return AG_OK;
}

ag_err rating_history(ag_store *st, const char *unit_code, json_t **out, ag_error *err)
{
    *out = NULL;
    ag_err rc = unit_exists(st, unit_code, err);
    ag_stmt *s = NULL;
    bool row = false;
    int years[64];
    int n = 0;
    if (!rc)
        rc = store_prepare_args(st, &s, err,
                                "SELECT year FROM rating_self WHERE unit_code = ? UNION"
                                " SELECT year FROM rating_grade WHERE unit_code = ?"
                                " ORDER BY 1 DESC",
                                "tt", unit_code, unit_code);
    while (!rc && n < 64 && !(rc = store_step(s, &row, err)) && row)
        years[n++] = (int)store_col_int(s, 0);
    store_finalize(s);
    json_t *items = json_array();
    for (int i = 0; !rc && i < n; i++) {
        year_ctx y;
        json_t *res = NULL;
        rc = year_ctx_load(st, years[i], &y, err);
        if (rc)
            break;
        rc = unit_result(st, &y, unit_code, &res, err);
        if (!rc)
            json_array_append_new(items, json_pack("{s:i,s:O,s:O,s:O,s:b,s:O,s:O}", "year",
                                                   years[i], "grade", json_object_get(res, "grade"),
                                                   "level", json_object_get(res, "level"), "score",
                                                   json_object_get(res, "score"), "published",
                                                   y.published, "rubric_version",
                                                   json_object_get(y.info, "rubric_version"),
                                                   "state", json_object_get(res, "state")));
        json_decref(res);
        year_ctx_release(&y);
    }
    if (rc) {
        json_decref(items);
        return rc;
    }
    *out = json_pack("{s:s,s:o}", "unit", unit_code, "items", items);
    return AG_OK;
}

ag_err rating_latest_grade(ag_store *st, const char *unit_code, char grade[4], ag_error *err)
{
    grade[0] = '\0';
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = store_prepare_args(st, &s, err,
                                   "SELECT g.grade FROM rating_grade g"
                                   " JOIN rating_year y ON y.year = g.year"
                                   " WHERE g.unit_code = ? AND y.published_at IS NOT NULL"
                                   " AND g.grade IS NOT NULL ORDER BY g.year DESC LIMIT 1",
                                   "t", unit_code);
    if (!rc && !(rc = store_step(s, &row, err)) && row)
        snprintf(grade, 4, "%s", store_col_text(s, 0));
    store_finalize(s);
    return rc;
}

/* ---- writes -------------------------------------------------------------- */

/* The point p of the rubric (with its indicator in *ind), or NULL. */
static json_t *rubric_point(const json_t *rubric, const char *p, json_t **ind)
{
    json_t *inds = json_object_get(rubric, "indicators");
    for (size_t i = 0; p && i < json_array_size(inds); i++) {
        json_t *x = json_array_get(inds, i), *pl = json_object_get(x, "points_list");
        for (size_t j = 0; j < json_array_size(pl); j++)
            if (!strcmp(jstr(json_array_get(pl, j), "code"), p)) {
                if (ind)
                    *ind = x;
                return json_array_get(pl, j);
            }
    }
    return NULL;
}

/* The indicator code of the rubric, or NULL. */
static json_t *find_ind(const json_t *rubric, const char *code)
{
    json_t *inds = json_object_get(rubric, "indicators");
    for (size_t i = 0; code && i < json_array_size(inds); i++)
        if (!strcmp(jstr(json_array_get(inds, i), "code"), code))
            return json_array_get(inds, i);
    return NULL;
}

static bool in_list(const json_t *arr, const char *s)
{
    for (size_t i = 0; i < json_array_size(arr); i++)
        if (!strcmp(json_string_value(json_array_get(arr, i)), s))
            return true;
    return false;
}

static ag_err check_score(const json_t *rubric, const char *arr, int i, const char *point,
                          int64_t score_c, ag_error *err)
{
    char w[80];
    snprintf(w, sizeof w, "%s[%d].point", arr, i);
    json_t *p = rubric_point(rubric, point, NULL);
    if (!p)
        return ag_fail(err, AG_ERR_INPUT, w, "评价要点 %s 不在本年度的评级细则中",
                       "evaluation point %s is not in the year's rubric", point ? point : "");
    int64_t max = (int64_t)(json_number_value(json_object_get(p, "points")) * 100.0 + 0.5);
    snprintf(w, sizeof w, "%s[%d].score", arr, i);
    if (score_c < 0 || score_c > max)
        return ag_fail(err, AG_ERR_INPUT, w, "%s 的得分应在 0 到 %.2f 之间",
                       "the score of %s must be from 0 to %.2f", point, (double)max / 100.0);
    return AG_OK;
}

/* The self row of unit/year: its id and state ("" when none). */
static ag_err self_row(ag_store *st, const char *unit, int year, int64_t *id, char state[16],
                       ag_error *err)
{
    *id = 0;
    state[0] = '\0';
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = store_prepare_args(
        st, &s, err, "SELECT id, state FROM rating_self WHERE unit_code = ? AND year = ?", "ti",
        unit, (int64_t)year);
    if (!rc && !(rc = store_step(s, &row, err)) && row) {
        *id = store_col_int(s, 0);
        snprintf(state, 16, "%s", store_col_text(s, 1));
    }
    store_finalize(s);
    return rc;
}

/* Prepares a write on unit's year: permission, year started and not published, its rubric. */
static ag_err begin_write(ag_store *st, const audit_actor *a, const char *unit, int year, bool fill,
                          year_ctx *y, ag_error *err)
{
    memset(y, 0, sizeof *y);
    ag_err rc = year_ok(year, err);
    if (!rc)
        rc = fill ? may_fill(st, a, unit, err)
                  : admin_only(a, "复核内控评级", "review internal-control grades", err);
    if (!rc && !fill)
        rc = unit_exists(st, unit, err);
    if (!rc)
        rc = rating_year_start(st, year, NULL, err);
    if (!rc)
        rc = year_ctx_load(st, year, y, err);
    if (!rc && (rc = not_published(y->info, err)))
        year_ctx_release(y);
    return rc;
}

ag_err rating_self_save(ag_store *st, const audit_actor *a, const char *unit_code, int year,
                        const rating_answer_in *answers, int nanswers,
                        const char *const *inapplicable, int ninapplicable, bool set_inapplicable,
                        ag_error *err)
{
    year_ctx y;
    ag_err rc = begin_write(st, a, unit_code, year, true, &y, err);
    if (rc)
        return rc;
    if (nanswers > RATING_MAX_ANSWERS)
        rc = ag_fail(err, AG_ERR_INPUT, "answers", "答案过多", "too many answers");
    for (int i = 0; !rc && i < nanswers; i++) {
        rc = check_score(y.rubric, "answers", i, answers[i].point, answers[i].score_c, err);
        for (int j = 0; !rc && j < i; j++)
            if (!strcmp(answers[i].point, answers[j].point)) {
                char w[64];
                snprintf(w, sizeof w, "answers[%d].point", i);
                rc = ag_fail(err, AG_ERR_INPUT, w, "评价要点 %s 重复", "point %s appears twice",
                             answers[i].point);
            }
        if (!rc && answers[i].note && strlen(answers[i].note) > RATING_NOTE_MAX) {
            char w[64];
            snprintf(w, sizeof w, "answers[%d].note", i);
            rc = ag_fail(err, AG_ERR_INPUT, w, "说明过长（至多2000字节）",
                         "the note is too long (at most 2000 bytes)");
        }
    }
    json_t *inap = json_array();
    for (int i = 0; !rc && set_inapplicable && i < ninapplicable; i++) {
        char w[64];
        snprintf(w, sizeof w, "inapplicable[%d]", i);
        json_t *ind = find_ind(y.rubric, inapplicable[i]);
        if (!ind)
            rc = ag_fail(err, AG_ERR_INPUT, w, "指标 %s 不在本年度的评级细则中",
                         "indicator %s is not in the year's rubric", inapplicable[i]);
        else if (!json_is_true(json_object_get(ind, "may_be_inapplicable")))
            rc = ag_fail(err, AG_ERR_INPUT, w, "指标 %s（%s%.0s）不能设为不适用",
                         "indicator %s (%.0s%s) cannot be inapplicable", inapplicable[i],
                         jstr(ind, "name_zh"), jstr(ind, "name_en"));
        else if (!in_list(inap, inapplicable[i]))
            json_array_append_new(inap, json_string(inapplicable[i]));
    }
    int64_t id = 0;
    char state[16], ts[21];
    now_ts(ts);
    if (!rc)
        rc = self_row(st, unit_code, year, &id, state, err);
    if (!rc && !strcmp(state, "filed"))
        rc = ag_fail(err, AG_ERR_INPUT, "state", "自评已报送，不能再修改",
                     "the self-evaluation is filed and can no longer change");
    char *inap_text = json_dumps(inap, JSON_COMPACT);
    if (!rc && !id) {
        ag_field f[] = {ag_field_text("unit_code", unit_code),
                        ag_field_int("year", year),
                        ag_field_text("state", "draft"),
                        ag_field_text("inapplicable", set_inapplicable ? inap_text : "[]"),
                        ag_field_text("updated_by", a->name),
                        ag_field_text("updated_at", ts),
                        ag_field_text("created_at", ts)};
        rc = store_insert(st, "rating_self", "id", f, sizeof f / sizeof f[0], &id, err);
    } else if (!rc) {
        ag_field f[] = {ag_field_text("updated_by", a->name), ag_field_text("updated_at", ts),
                        ag_field_text("inapplicable", inap_text)};
        rc = store_update(st, "rating_self", "id", ag_field_int("id", id), f,
                          set_inapplicable ? 3 : 2, err);
    }
    free(inap_text);
    json_decref(inap);
    for (int i = 0; !rc && i < nanswers; i++) {
        int64_t aid = 0;
        ag_stmt *s = NULL;
        bool row = false;
        rc = store_prepare_args(st, &s, err,
                                "SELECT id FROM rating_answer WHERE self_id = ? AND point = ?",
                                "it", id, answers[i].point);
        if (!rc && !(rc = store_step(s, &row, err)) && row)
            aid = store_col_int(s, 0);
        store_finalize(s);
        if (rc)
            break;
        ag_field f[] = {ag_field_int("self_id", id), ag_field_text("point", answers[i].point),
                        ag_field_int("score_c", answers[i].score_c),
                        ag_field_text("note", answers[i].note)};
        if (aid)
            rc = store_update(st, "rating_answer", "id", ag_field_int("id", aid), f + 2, 2, err);
        else
            rc = store_insert(st, "rating_answer", "id", f, 4, &aid, err);
        if (!rc && answers[i].nattachments > 0)
            rc = attach_claim(st, unit_code, answers[i].attachments, answers[i].nattachments,
                              "rating_answer", aid, err);
    }
    year_ctx_release(&y);
    return rc;
}

ag_err rating_self_file(ag_store *st, const audit_actor *a, const char *unit_code, int year,
                        ag_error *err)
{
    year_ctx y;
    ag_err rc = begin_write(st, a, unit_code, year, true, &y, err);
    if (rc)
        return rc;
    int64_t id = 0;
    char state[16], ts[21], today[11];
    rc = self_row(st, unit_code, year, &id, state, err);
    if (!rc && !id)
        rc = ag_fail(err, AG_ERR_INPUT, "state", "尚无自评草稿，请先填写并保存",
                     "there is no self-evaluation draft yet; fill it in and save it first");
    if (!rc && !strcmp(state, "filed"))
        rc = ag_fail(err, AG_ERR_INPUT, "state", "自评已报送",
                     "the self-evaluation is already filed");
    now_ts(ts);
    ag_date_format(ag_clock_today(), today);
    const char *due = jstr(y.info, "self_eval_due");
    bool late = due && strcmp(today, due) > 0;
    ag_field f[] = {ag_field_text("state", "filed"),      ag_field_text("filed_at", ts),
                    ag_field_text("filed_by", a->name),   ag_field_int("late", late ? 1 : 0),
                    ag_field_text("updated_by", a->name), ag_field_text("updated_at", ts)};
    if (!rc)
        rc = store_update(st, "rating_self", "id", ag_field_int("id", id), f,
                          sizeof f / sizeof f[0], err);
    year_ctx_release(&y);
    return rc;
}

ag_err rating_review_save(ag_store *st, const audit_actor *a, const char *unit_code, int year,
                          const rating_adjust_in *adj, int nadj, const char *note, ag_error *err)
{
    year_ctx y;
    ag_err rc = begin_write(st, a, unit_code, year, false, &y, err);
    if (rc)
        return rc;
    int64_t sid = 0;
    char state[16], ts[21];
    rc = self_row(st, unit_code, year, &sid, state, err);
    if (!rc && strcmp(state, "filed"))
        rc = ag_fail(err, AG_ERR_INPUT, "state", "单位尚未报送自评，不能复核",
                     "the unit has not filed its self-evaluation; nothing to review");
    if (!rc && nadj > RATING_MAX_ANSWERS)
        rc = ag_fail(err, AG_ERR_INPUT, "adjustments", "调整过多", "too many adjustments");
    if (!rc && note && strlen(note) > RATING_NOTE_MAX)
        rc = ag_fail(err, AG_ERR_INPUT, "note", "说明过长（至多2000字节）",
                     "the note is too long (at most 2000 bytes)");
    for (int i = 0; !rc && i < nadj; i++) {
        rc = check_score(y.rubric, "adjustments", i, adj[i].point, adj[i].score_c, err);
        char w[64];
        snprintf(w, sizeof w, "adjustments[%d].reason", i);
        if (!rc && (!adj[i].reason || !*adj[i].reason))
            rc = ag_fail(err, AG_ERR_INPUT, w, "调整 %s 的得分须说明理由",
                         "adjusting %s needs a reason", adj[i].point);
        if (!rc && strlen(adj[i].reason) > RATING_REASON_MAX)
            rc = ag_fail(err, AG_ERR_INPUT, w, "理由过长（至多1000字节）",
                         "the reason is too long (at most 1000 bytes)");
        for (int j = 0; !rc && j < i; j++)
            if (!strcmp(adj[i].point, adj[j].point)) {
                snprintf(w, sizeof w, "adjustments[%d].point", i);
                rc = ag_fail(err, AG_ERR_INPUT, w, "评价要点 %s 重复", "point %s appears twice",
                             adj[i].point);
            }
    }
    now_ts(ts);
    int64_t rid = 0;
    ag_stmt *s = NULL;
    bool row = false;
    if (!rc)
        rc = store_prepare_args(st, &s, err,
                                "SELECT id FROM rating_review WHERE unit_code = ? AND year = ?",
                                "ti", unit_code, (int64_t)year);
    if (!rc && !(rc = store_step(s, &row, err)) && row)
        rid = store_col_int(s, 0);
    store_finalize(s);
    ag_field f[] = {ag_field_text("unit_code", unit_code), ag_field_int("year", year),
                    ag_field_text("note", note), ag_field_text("reviewed_by", a->name),
                    ag_field_text("reviewed_at", ts)};
    if (!rc && rid)
        rc = store_update(st, "rating_review", "id", ag_field_int("id", rid), f + 2, 3, err);
    else if (!rc)
        rc = store_insert(st, "rating_review", "id", f, 5, &rid, err);
    /* The previous adjustments go; the new ones replace them. */
    int64_t old[RATING_MAX_ANSWERS];
    int nold = 0;
    if (!rc)
        rc = store_prepare_args(st, &s, err, "SELECT id FROM rating_adjustment WHERE review_id = ?",
                                "i", rid);
    while (!rc && nold < RATING_MAX_ANSWERS && !(rc = store_step(s, &row, err)) && row)
        old[nold++] = store_col_int(s, 0);
    if (!rc)
        store_finalize(s);
    for (int i = 0; !rc && i < nold; i++)
        rc = store_delete(st, "rating_adjustment", "id", ag_field_int("id", old[i]), err);
    for (int i = 0; !rc && i < nadj; i++) {
        ag_field af[] = {ag_field_int("review_id", rid), ag_field_text("point", adj[i].point),
                         ag_field_int("score_c", adj[i].score_c),
                         ag_field_text("reason", adj[i].reason)};
        rc = store_insert(st, "rating_adjustment", "id", af, 4, NULL, err);
    }
    year_ctx_release(&y);
    return rc;
}

ag_err rating_publish(ag_store *st, const audit_actor *a, int year, int64_t *units, ag_error *err)
{
    if (units)
        *units = 0;
    ag_err rc = year_ok(year, err);
    if (!rc)
        rc = admin_only(a, "发布内控评级", "publish internal-control grades", err);
    if (!rc)
        rc = rating_year_start(st, year, NULL, err);
    year_ctx y;
    if (rc || (rc = year_ctx_load(st, year, &y, err)))
        return rc;
    rc = not_published(y.info, err);
    json_t *items = NULL;
    if (!rc)
        rc = year_items(st, NULL, &y, NULL, false, &items, err);
    for (size_t i = 0; !rc && i < json_array_size(items); i++) {
        json_t *it = json_array_get(items, i);
        if (!strcmp(jstr(it, "state"), "pending"))
            rc = ag_fail(err, AG_ERR_INPUT, "year",
                         "单位 %s 尚未报送自评且截止日（%s）未到，暂不能发布",
                         "unit %s has not filed yet and its due date (%s) is still ahead; "
                         "publish later",
                         jstr(it, "unit"), jstr(y.info, "self_eval_due"));
    }
    char ts[21];
    now_ts(ts);
    for (size_t i = 0; !rc && i < json_array_size(items); i++) {
        json_t *it = json_array_get(items, i);
        json_object_set_new(it, "published", json_true());
        json_object_set_new(it, "frozen_at", json_string(ts));
        char *text = json_dumps(it, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_t *sc = json_object_get(it, "score");
        ag_field f[] = {
            ag_field_int("year", year),
            ag_field_text("unit_code", jstr(it, "unit")),
            ag_field_int("rubric_version",
                         json_integer_value(json_object_get(y.info, "rubric_version"))),
            json_is_integer(json_object_get(it, "level"))
                ? ag_field_int("level", json_integer_value(json_object_get(it, "level")))
                : ag_field_null("level"),
            ag_field_text("grade", jstr(it, "grade")),
            json_is_number(sc)
                ? ag_field_int("score_c", (int64_t)(json_number_value(sc) * 100.0 + 0.5))
                : ag_field_null("score_c"),
            ag_field_text("result", text ? text : "{}"),
            ag_field_text("frozen_at", ts)};
        rc = store_insert(st, "rating_grade", "id", f, sizeof f / sizeof f[0], NULL, err);
        free(text);
    }
    ag_field pf[] = {ag_field_text("published_at", ts), ag_field_text("published_by", a->name)};
    if (!rc)
        rc = store_update(st, "rating_year", "year", ag_field_int("year", year), pf, 2, err);
    if (!rc && units)
        *units = (int64_t)json_array_size(items);
    json_decref(items);
    year_ctx_release(&y);
    return rc;
}
