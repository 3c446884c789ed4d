/* report_store.c - the four reports read back (object, versions, list), their deadlines and
 * lateness, the reminders of late or missing reports and the dashboard's figures (issue 16). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/report_internal.h"
#include "domain/rowjson.h"
#include "domain/setting.h"
#include "domain/submission.h"
#include "domain/wf_query.h"
#include "util/calendar.h"
#include "util/clock.h"
#include "util/date.h"
#include "util/banned.h"

#define RESPONSE_WORKDAYS 10
#define DUE_SOON_DAYS     14

static json_t *str_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

static json_t *day_json(int32_t day)
{
    if (day <= 0)
        return json_null();
    char d[11];
    ag_date_format(day, d);
    return json_string(d);
}

/* ---- deadlines ------------------------------------------------------------------ */

static bool mmdd_ok(int64_t v)
{
    int m = (int)(v / 100), d = (int)(v % 100);
    return v > 0 && m >= 1 && m <= 12 && d >= 1 && d <= ag_days_in_month(2025, m);
}

ag_err report_deadlines_load(ag_store *st, report_deadlines *d, ag_error *err)
{
    int64_t plan = 131, summary = 131;
    ag_err rc = setting_int(st, "report_plan_due", 101, 1231, 131, &plan, err);
    if (!rc)
        rc = setting_int(st, "report_summary_due", 101, 1231, 131, &summary, err);
    if (!rc)
        rc = setting_int(st, "report_audit_days", 1, 365, 30, &d->audit_days, err);
    if (!rc)
        rc = setting_int(st, "report_rect_days", 1, 365, 60, &d->rect_days, err);
    d->plan_mmdd = mmdd_ok(plan) ? (int)plan : 131;
    d->summary_mmdd = mmdd_ok(summary) ? (int)summary : 131;
    return rc;
}

static json_t *deadlines_json(const report_deadlines *d)
{
    char p[8], s[8];
    snprintf(p, sizeof p, "%02d-%02d", (d->plan_mmdd / 100) % 100, d->plan_mmdd % 100);
    snprintf(s, sizeof s, "%02d-%02d", (d->summary_mmdd / 100) % 100, d->summary_mmdd % 100);
    return json_pack("{s:s,s:s,s:I,s:I}", "plan_due", p, "summary_due", s, "audit_days",
                     (json_int_t)d->audit_days, "rect_days", (json_int_t)d->rect_days);
}

ag_err report_deadlines_get(ag_store *st, json_t **out, ag_error *err)
{
    report_deadlines d;
    *out = NULL;
    ag_err rc = report_deadlines_load(st, &d, err);
    if (!rc)
        *out = deadlines_json(&d);
    return rc;
}

static bool parse_mmdd(const char *s, int64_t *v)
{
    if (!s || strlen(s) != 5 || s[2] != '-')
        return false;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9'))
            return false;
    *v = ((s[0] - '0') * 10 + (s[1] - '0')) * 100 + (s[3] - '0') * 10 + (s[4] - '0');
    return mmdd_ok(*v);
}

ag_err report_deadlines_set(ag_store *st, const json_t *in, ag_error *err)
{
    if (!json_is_object(in))
        return ag_fail(err, AG_ERR_INPUT, "deadlines", "报告期限应为 JSON 对象",
                       "the deadlines must be a JSON object");
    static const char *const md[][2] = {{"plan_due", "report_plan_due"},
                                        {"summary_due", "report_summary_due"}};
    static const char *const days[][2] = {{"audit_days", "report_audit_days"},
                                          {"rect_days", "report_rect_days"}};
    int64_t mv[2] = {0, 0}, dv[2] = {0, 0};
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)in, key, v)
    {
        bool known = false;
        for (int i = 0; i < 2; i++) {
            if (!strcmp(key, md[i][0])) {
                known = true;
                if (!parse_mmdd(json_string_value(v), &mv[i]))
                    return ag_fail(err, AG_ERR_INPUT, key,
                                   "%s 应为月-日（MM-DD），如 01-31（不可为 02-29）",
                                   "%s must be a month-day MM-DD such as 01-31 (not 02-29)", key);
            }
            if (!strcmp(key, days[i][0])) {
                known = true;
                if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 365)
                    return ag_fail(err, AG_ERR_INPUT, key, "%s 应为 1 到 365 天",
                                   "%s must be 1 to 365 days", key);
                dv[i] = json_integer_value(v);
            }
        }
        if (!known)
            return ag_fail(err, AG_ERR_INPUT, key,
                           "未知的报告期限 %s（可设 plan_due、summary_due、audit_days、rect_days）",
                           "unknown deadline %s (plan_due, summary_due, audit_days, rect_days)",
                           key);
    }
    ag_err rc = AG_OK;
    for (int i = 0; !rc && i < 2; i++) {
        if (mv[i])
            rc = setting_put_int(st, md[i][1], mv[i], err);
        if (!rc && dv[i])
            rc = setting_put_int(st, days[i][1], dv[i], err);
    }
    return rc;
}

static int32_t md_day(int year, int mmdd)
{
    ag_date d = {year, mmdd / 100, mmdd % 100};
    return ag_date_valid(d) ? ag_date_to_days(d) : 0;
}

/* The earliest civil day of the first row of sql's first column (a time); 0 when none. */
static ag_err first_day(ag_store *st, int32_t *day, ag_error *err, const char *sql,
                        const char *types, int64_t id)
{
    ag_stmt *s = NULL;
    bool row = false;
    *day = 0;
    ag_err rc = wf_prep(st, &s, err, sql, types, id);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row && !report_civil_day(store_col_text(s, 0), day))
        *day = 0;
    store_finalize(s);
    return rc;
}

ag_err report_due_of(ag_store *st, const report_deadlines *d, const char *kind, int64_t project_id,
                     int year, int32_t *due, ag_error *err)
{
    *due = 0;
    if (!strcmp(kind, "plan")) {
        *due = md_day(year, d->plan_mmdd);
        return AG_OK;
    }
    if (!strcmp(kind, "summary")) {
        *due = md_day(year + 1, d->summary_mmdd);
        return AG_OK;
    }
    int32_t day = 0;
    ag_err rc;
    if (!strcmp(kind, "audit")) {
        /* Fieldwork ended the day the project entered 审后·报告: its stage_at while there; once
         * past it, the first report-stage record (else the stage_at it has). */
        ag_stmt *s = NULL;
        bool row = false;
        char stage[16] = "", at[24] = "";
        rc = wf_prep(st, &s, err, "SELECT stage, stage_at FROM audit_project WHERE id = ?", "i",
                     project_id);
        if (!rc)
            rc = store_step(s, &row, err);
        if (!rc && row) {
            snprintf(stage, sizeof stage, "%s", store_col_text(s, 0));
            snprintf(at, sizeof at, "%s", store_col_text(s, 1) ? store_col_text(s, 1) : "");
        }
        store_finalize(s);
        if (rc || !*stage || !strcmp(stage, "pre") || !strcmp(stage, "field"))
            return rc;
        if (strcmp(stage, "report"))
            rc = first_day(st, &day, err,
                           "SELECT MIN(created_at) FROM audit_record WHERE project_id = ?"
                           " AND kind IN ('draft_report', 'response', 'final_report')",
                           "i", project_id);
        if (!rc && !day && !report_civil_day(at, &day))
            day = 0;
        if (!rc && day)
            *due = day + (int32_t)d->audit_days;
        return rc;
    }
    rc = first_day(st, &day, err,
                   "SELECT first_filed_at FROM report WHERE kind = 'audit' AND project_id = ?"
                   " AND first_filed_at IS NOT NULL",
                   "i", project_id);
    if (!rc && !day)
        rc = first_day(st, &day, err,
                       "SELECT MIN(created_at) FROM audit_record WHERE project_id = ?"
                       " AND kind = 'final_report'",
                       "i", project_id);
    if (!rc && day)
        *due = day + (int32_t)d->rect_days;
    return rc;
}

ag_err report_due_for(ag_store *st, const char *kind, int64_t project_id, int year, int32_t *due,
                      ag_error *err)
{
    report_deadlines d;
    *due = 0;
    if (!report_kind_valid(kind))
        return ag_fail(err, AG_ERR_INPUT, "kind", "未知的报告类别：%s", "unknown report kind: %s",
                       kind ? kind : "");
    ag_err rc = report_deadlines_load(st, &d, err);
    if (!rc)
        rc = report_due_of(st, &d, kind, project_id, year, due, err);
    return rc;
}

ag_err report_due(ag_store *st, int64_t id, int32_t *due, ag_error *err)
{
    report_row r;
    *due = 0;
    ag_err rc = report_row_load(st, id, &r, err);
    if (!rc)
        rc = report_due_for(st, r.kind, r.project_id, (int)r.year, due, err);
    return rc;
}

bool report_is_late(int32_t due, const char *first_filed_at, int32_t today)
{
    if (due <= 0)
        return false;
    int32_t day = 0;
    if (first_filed_at && *first_filed_at && report_civil_day(first_filed_at, &day))
        return day > due;
    return today > due;
}

static int32_t add_workdays(const ag_calendar *cal, int32_t day, int n)
{
    for (int k = 0; k < n;)
        if (calendar_is_workday(cal, ++day))
            k++;
    return day;
}

/* ---- the report object ------------------------------------------------------------ */

typedef struct view_ctx {
    report_deadlines dl;
    ag_calendar *cal;
    int32_t today;
} view_ctx;

static ag_err ctx_init(ag_store *st, view_ctx *c, ag_error *err)
{
    memset(c, 0, sizeof *c);
    c->today = ag_clock_today();
    ag_err rc = report_deadlines_load(st, &c->dl, err);
    if (!rc && calendar_load_default(&c->cal, err))
        c->cal = NULL; /* Monday..Friday then */
    return rc;
}

static ag_err add_actions(ag_store *st, const audit_actor *a, const report_row *r, json_t *o,
                          ag_error *err)
{
    bool author = false, audited = false;
    ag_err rc = report_author_side(st, a, r, &author, err);
    if (!rc && !author)
        rc = report_audited_side(st, a, r, &audited, err);
    if (rc)
        return rc;
    json_t *acts = json_array();
    for (int i = 0; i < report_transition_count; i++) {
        const report_transition *t = &report_transitions[i];
        if (strcmp(t->from, r->state))
            continue;
        bool may = !strcmp(t->who, "author") ? author : a->scope.role == AG_ROLE_ADMIN;
        if (!may)
            continue;
        bool refile = !strcmp(t->action, "file") && !strcmp(r->state, "returned");
        json_array_append_new(acts, json_pack("{s:s,s:s,s:s}", "action", t->action, "label_zh",
                                              refile ? "重新报备" : report_action_zh(t->action),
                                              "label_en",
                                              refile ? "file again" : report_action_en(t->action)));
    }
    json_object_set_new(o, "actions", acts);
    bool open = !strcmp(r->state, "draft") || !strcmp(r->state, "returned");
    json_t *keys = json_array();
    if (open && author) {
        int n = 0;
        const report_section_def *d = report_sections(r->kind, &n);
        for (int i = 0; i < n; i++)
            json_array_append_new(keys, json_string(d[i].key));
    } else if (open && audited) {
        json_array_append_new(keys, json_string("response"));
    }
    json_object_set_new(o, "editable", json_boolean(json_array_size(keys) > 0));
    json_object_set_new(o, "editable_sections", keys);
    return AG_OK;
}

static ag_err add_submission(ag_store *st, const report_row *r, json_t *o, ag_error *err)
{
    if (r->submission_id <= 0) {
        json_object_set_new(o, "submission", json_null());
        return AG_OK;
    }
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = wf_prep(st, &s, err,
                        "SELECT s.id, s.state, s.to_cell, c.name FROM submission s"
                        " LEFT JOIN grid_cell c ON c.id = s.to_cell WHERE s.id = ?",
                        "i", r->submission_id);
    if (!rc)
        rc = store_step(s, &row, err);
    json_t *v = json_null();
    if (!rc && row) {
        const char *state = store_col_text(s, 1);
        v = json_pack("{s:I,s:s,s:s,s:o,s:s}", "id", (json_int_t)store_col_int(s, 0), "state",
                      state, "state_zh", submission_state_zh(state), "to_cell",
                      str_or_null(store_col_text(s, 2)), "to_cell_name",
                      store_col_text(s, 3) ? store_col_text(s, 3) : "区审计局");
    }
    store_finalize(s);
    json_object_set_new(o, "submission", v);
    return rc;
}

static ag_err versions_json(ag_store *st, const report_row *r, json_t *o, ag_error *err)
{
    ag_stmt *s = NULL;
    bool row = false;
    json_t *arr = json_array();
    ag_err rc = wf_prep(st, &s, err,
                        "SELECT version, author, created_at FROM report_version"
                        " WHERE report_id = ? ORDER BY version DESC",
                        "i", r->id);
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        int64_t v = store_col_int(s, 0);
        bool filed = v == r->filed_version;
        json_array_append_new(arr, json_pack("{s:I,s:s,s:o,s:s,s:b}", "version", (json_int_t)v,
                                             "author", store_col_text(s, 1), "author_name",
                                             report_actor_name(st, store_col_text(s, 1)),
                                             "created_at", store_col_text(s, 2), "filed", filed));
    }
    store_finalize(s);
    /* Every version that was ever filed, not only the current one. */
    if (!rc) {
        rc = wf_prep(st, &s, err,
                     "SELECT DISTINCT version FROM report_comment WHERE report_id = ?"
                     " AND action IN ('file', 'refile')",
                     "i", r->id);
        while (!rc && !(rc = store_step(s, &row, err)) && row) {
            size_t i;
            json_t *v;
            json_array_foreach(arr, i, v)
            {
                if (json_integer_value(json_object_get(v, "version")) == store_col_int(s, 0))
                    json_object_set_new(v, "filed", json_true());
            }
        }
        store_finalize(s);
    }
    json_object_set_new(o, "versions", arr);
    return rc;
}

static ag_err comments_json(ag_store *st, const report_row *r, json_t *o, ag_error *err)
{
    ag_stmt *s = NULL;
    bool row = false;
    json_t *arr = json_array();
    ag_err rc = wf_prep(st, &s, err,
                        "SELECT version, action, comment, created_by, created_at FROM"
                        " report_comment WHERE report_id = ? ORDER BY id",
                        "i", r->id);
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        const char *act = store_col_text(s, 1);
        json_array_append_new(
            arr,
            json_pack("{s:I,s:s,s:s,s:s,s:o,s:s,s:o,s:s}", "version",
                      (json_int_t)store_col_int(s, 0), "action", act, "action_zh",
                      report_action_zh(act), "action_en", report_action_en(act), "comment",
                      str_or_null(store_col_text(s, 2)), "by", store_col_text(s, 3), "by_name",
                      report_actor_name(st, store_col_text(s, 3)), "at", store_col_text(s, 4)));
    }
    store_finalize(s);
    json_object_set_new(o, "comments", arr);
    return rc;
}

static ag_err score_of(ag_store *st, const report_row *r, json_t **score, ag_error *err)
{
    int64_t v = report_scored_version(r);
    json_t *doc = NULL, *stored = NULL;
    *score = NULL;
    ag_err rc = report_content_load(st, r->id, v, &doc, err);
    if (!rc)
        rc = report_score_stored(st, r->id, v, &stored, err);
    if (!rc)
        rc = report_score_doc(st, doc, r->kind, r->project_id, v, stored, score, err);
    json_decref(doc);
    json_decref(stored);
    return rc;
}

/* The object of r as a sees it; full adds content, versions and comments (else score_total). */
static ag_err build(ag_store *st, const audit_actor *a, const report_row *r, const view_ctx *c,
                    bool full, json_t **out, ag_error *err)
{
    *out = NULL;
    json_t *o = json_object();
    char unit_name[256] = "", pcode[64] = "", pname[256] = "";
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = wf_prep(st, &s, err, "SELECT name FROM unit WHERE code = ?", "t", r->unit_code);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row)
        snprintf(unit_name, sizeof unit_name, "%s", store_col_text(s, 0));
    store_finalize(s);
    if (!rc && r->project_id) {
        rc = wf_prep(st, &s, err, "SELECT code, name FROM audit_project WHERE id = ?", "i",
                     r->project_id);
        if (!rc)
            rc = store_step(s, &row, err);
        if (!rc && row) {
            snprintf(pcode, sizeof pcode, "%s", store_col_text(s, 0));
            snprintf(pname, sizeof pname, "%s", store_col_text(s, 1));
        }
        store_finalize(s);
    }
    int32_t due = 0, created = 0;
    if (!rc)
        rc = report_due_of(st, &c->dl, r->kind, r->project_id, (int)r->year, &due, err);
    json_t *resp = json_null();
    if (!rc && !strcmp(r->kind, "audit") && report_civil_day(r->created_at, &created))
        resp = day_json(add_workdays(c->cal, created, RESPONSE_WORKDAYS));
    json_object_set_new(o, "id", json_integer(r->id));
    json_object_set_new(o, "kind", json_string(r->kind));
    json_object_set_new(o, "kind_zh", json_string(report_kind_zh(r->kind)));
    json_object_set_new(o, "unit_code", json_string(r->unit_code));
    json_object_set_new(o, "unit_name", json_string(unit_name));
    json_object_set_new(o, "project_id", r->project_id ? json_integer(r->project_id) : json_null());
    json_object_set_new(o, "project_code", str_or_null(pcode));
    json_object_set_new(o, "project_name", str_or_null(pname));
    json_object_set_new(o, "year", json_integer(r->year));
    json_object_set_new(o, "title", json_string(r->title));
    json_object_set_new(o, "state", json_string(r->state));
    json_object_set_new(o, "state_zh", json_string(report_state_zh(r->state)));
    json_object_set_new(o, "version", json_integer(r->version));
    json_object_set_new(o, "filed_version",
                        r->filed_version ? json_integer(r->filed_version) : json_null());
    json_object_set_new(o, "filed_at", str_or_null(r->filed_at));
    json_object_set_new(o, "first_filed_at", str_or_null(r->first_filed_at));
    json_object_set_new(o, "due", day_json(due));
    json_object_set_new(o, "late", json_boolean(report_is_late(due, r->first_filed_at, c->today)));
    json_object_set_new(o, "response_due", resp);
    json_object_set_new(o, "created_by", json_string(r->created_by));
    json_object_set_new(o, "created_by_name", report_actor_name(st, r->created_by));
    json_object_set_new(o, "created_at", json_string(r->created_at));
    if (!rc)
        rc = add_submission(st, r, o, err);
    json_t *doc = NULL, *score = NULL;
    if (!rc && full)
        rc = report_content_load(st, r->id, 0, &doc, err);
    if (!rc && full)
        json_object_set_new(o, "content", doc);
    if (!rc && full)
        rc = versions_json(st, r, o, err);
    if (!rc && full)
        rc = comments_json(st, r, o, err);
    if (!rc)
        rc = score_of(st, r, &score, err);
    if (!rc && full) {
        json_object_set_new(o, "score", score);
    } else if (!rc) {
        json_object_set(o, "score_total", json_object_get(score, "total"));
        json_decref(score);
    }
    if (!rc)
        rc = add_actions(st, a, r, o, err);
    if (rc) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return AG_OK;
}

ag_err report_get(ag_store *st, const audit_actor *a, int64_t id, json_t **out, ag_error *err)
{
    *out = NULL;
    report_row r;
    view_ctx c;
    ag_err rc = report_row_visible(st, a, id, &r, err);
    if (!rc)
        rc = ctx_init(st, &c, err);
    else
        return rc;
    if (!rc)
        rc = build(st, a, &r, &c, true, out, err);
    calendar_free(c.cal);
    return rc;
}

ag_err report_version_get(ag_store *st, const audit_actor *a, int64_t id, int64_t version,
                          json_t **out, ag_error *err)
{
    *out = NULL;
    report_row r;
    ag_err rc = report_row_visible(st, a, id, &r, err);
    if (rc)
        return rc;
    if (version < 0)
        return ag_fail(err, AG_ERR_INPUT, "version", "版本号应为正整数",
                       "the version must be a positive integer");
    int64_t v = version ? version : r.version;
    ag_stmt *s = NULL;
    bool row = false;
    rc = wf_prep(st, &s, err,
                 "SELECT author, created_at, content FROM report_version"
                 " WHERE report_id = ? AND version = ?",
                 "ii", id, v);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && !row)
        rc = ag_fail(err, AG_ERR_NOTFOUND, "version", "报告 %lld 没有第 %lld 版",
                     "report %lld has no version %lld", (long long)id, (long long)v);
    json_t *doc = NULL;
    if (!rc) {
        json_error_t je;
        doc = json_loads(store_col_text(s, 2), 0, &je);
        if (!doc)
            rc = ag_fail(err, AG_ERR_INTERNAL, "content", "报告内容无法读取：%s",
                         "stored report content unreadable: %s", je.text);
    }
    int64_t filed = 0;
    if (!rc) {
        *out = json_pack("{s:I,s:I,s:s,s:o,s:s,s:b,s:o}", "report_id", (json_int_t)id, "version",
                         (json_int_t)v, "author", store_col_text(s, 0), "author_name",
                         report_actor_name(st, store_col_text(s, 0)), "created_at",
                         store_col_text(s, 1), "filed", v == r.filed_version, "content", doc);
    }
    store_finalize(s);
    if (!rc && v != r.filed_version)
        rc = wf_query_int(st, &filed, err,
                          "SELECT COUNT(*) FROM report_comment WHERE report_id = ? AND version = ?"
                          " AND action IN ('file', 'refile')",
                          "ii", id, v);
    if (!rc && filed)
        json_object_set_new(*out, "filed", json_true());
    if (rc) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

/* ---- the list ------------------------------------------------------------------------ */

ag_err report_list(ag_store *st, const ag_scope *scope, const report_filter *f, json_t **out,
                   ag_error *err)
{
    *out = NULL;
    report_filter none = {0};
    if (!f)
        f = &none;
    if (f->kind && *f->kind && !report_kind_valid(f->kind))
        return ag_fail(err, AG_ERR_INPUT, "kind",
                       "报告类别应为 plan、audit、rectification 或 summary：%s",
                       "kind must be plan, audit, rectification or summary: %s", f->kind);
    const char *state = f->queue ? "filed" : f->state && *f->state ? f->state : NULL;
    bool known = !state;
    for (int i = 0; state && i < report_state_count; i++)
        known = known || !strcmp(state, report_states[i]);
    if (!known)
        return ag_fail(err, AG_ERR_INPUT, "state",
                       "报告状态应为 draft、filed、returned 或 accepted：%s",
                       "state must be draft, filed, returned or accepted: %s", state);
    int64_t limit = f->limit <= 0 ? 100 : f->limit > 1000 ? 1000 : f->limit;
    int64_t offset = f->offset < 0 ? 0 : f->offset;
    ag_scope all = {.role = AG_ROLE_ADMIN};
    const ag_scope *sc = scope ? scope : &all;
    audit_actor viewer = {.scope = *sc, .name = NULL};
    ag_stmt *s = NULL;
    const char *kind = f->kind && *f->kind ? f->kind : NULL;
    const char *unit = f->unit_code && *f->unit_code ? f->unit_code : NULL;
    ag_err rc = scope_prepare(
        st, sc, "r.unit_code",
        "SELECT r.id FROM report r WHERE (? IS NULL OR r.kind = ?) AND (? IS NULL OR r.state = ?)"
        " AND (? IS NULL OR r.unit_code = ?) AND (? = 0 OR r.year = ?) AND ",
        f->queue ? " ORDER BY r.filed_at, r.id" : " ORDER BY r.created_at DESC, r.id DESC", &s,
        NULL, err, "ttttttii", kind, kind, state, state, unit, unit, (int64_t)f->year,
        (int64_t)f->year);
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    bool row = false;
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        if (n == cap) {
            size_t nc = cap ? 2 * cap : 64;
            int64_t *t = realloc(ids, nc * sizeof *ids);
            if (!t) {
                rc = ag_fail(err, AG_ERR_NOMEM, "reports", "内存不足", "out of memory");
                break;
            }
            ids = t;
            cap = nc;
        }
        ids[n++] = store_col_int(s, 0);
    }
    store_finalize(s);
    view_ctx c;
    bool ctx = false;
    if (!rc) {
        rc = ctx_init(st, &c, err);
        ctx = true;
    }
    json_t *items = json_array();
    int64_t total = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        report_row r;
        rc = report_row_load(st, ids[i], &r, err);
        if (rc)
            break;
        if (f->late) {
            int32_t due = 0;
            rc = report_due_of(st, &c.dl, r.kind, r.project_id, (int)r.year, &due, err);
            if (rc || !report_is_late(due, r.first_filed_at, c.today))
                continue;
        }
        total++;
        if (total <= offset || total > offset + limit)
            continue;
        json_t *o = NULL;
        rc = build(st, &viewer, &r, &c, false, &o, err);
        if (!rc)
            json_array_append_new(items, o);
    }
    if (ctx)
        calendar_free(c.cal);
    free(ids);
    return rowjson_list(rc, items, total, out);
}

/* ---- expected reports: reminders and figures -------------------------------------------- */

typedef struct slot {
    char kind[16], unit[32], cell[32], unit_name[256], state[12], first_filed[24];
    int64_t project_id, report_id;
    int year;
    int32_t due;
} slot;

typedef struct slot_list {
    slot *v;
    size_t n, cap;
} slot_list;

static ag_err slot_push(slot_list *l, const slot *x, ag_error *err)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? 2 * l->cap : 64;
        slot *t = realloc(l->v, nc * sizeof *t);
        if (!t)
            return ag_fail(err, AG_ERR_NOMEM, "reports", "内存不足", "out of memory");
        l->v = t;
        l->cap = nc;
    }
    l->v[l->n++] = *x;
    return AG_OK;
}

/* Fills x's report (id, state, first filing) from the store, if it exists. */
static ag_err slot_report(ag_store *st, slot *x, ag_error *err)
{
    char key[96];
    if (report_kind_is_project(x->kind))
        snprintf(key, sizeof key, "%s:p%lld", x->kind, (long long)x->project_id);
    else
        snprintf(key, sizeof key, "%s:%s:%d", x->kind, x->unit, x->year);
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = wf_prep(st, &s, err, "SELECT id, state, first_filed_at FROM report WHERE slot = ?",
                        "t", key);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row) {
        x->report_id = store_col_int(s, 0);
        snprintf(x->state, sizeof x->state, "%s", store_col_text(s, 1));
        snprintf(x->first_filed, sizeof x->first_filed, "%s",
                 store_col_text(s, 2) ? store_col_text(s, 2) : "");
    }
    store_finalize(s);
    return rc;
}

/* The reports expected of the units in scope whose due day is known and falls between the
 * start of last year and today + DUE_SOON_DAYS: this year's plan and last year's summary of
 * each pilot unit, audit reports of projects past fieldwork, rectification reports of projects
 * in 整改 or closed with findings. */
static ag_err slots(ag_store *st, const ag_scope *scope, int32_t today, slot_list *l, ag_error *err)
{
    memset(l, 0, sizeof *l);
    report_deadlines d;
    ag_err rc = report_deadlines_load(st, &d, err);
    if (rc)
        return rc;
    int ty = ag_date_from_days(today).year;
    int32_t from = ag_date_to_days((ag_date){ty - 1, 1, 1}), to = today + DUE_SOON_DAYS;
    ag_stmt *s = NULL;
    bool row = false;
    rc = scope_prepare(st, scope, "u.code",
                       "SELECT u.code, u.name, u.cell_id FROM unit u WHERE u.pilot = 1"
                       " AND u.disabled = 0 AND ",
                       " ORDER BY u.code", &s, NULL, err, "");
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        for (int k = 0; !rc && k < 2; k++) {
            slot x;
            memset(&x, 0, sizeof x);
            bool plan = k == 0;
            snprintf(x.kind, sizeof x.kind, "%s", plan ? "plan" : "summary");
            x.year = plan ? ty : ty - 1;
            x.due = md_day(plan ? x.year : x.year + 1, plan ? d.plan_mmdd : d.summary_mmdd);
            if (x.due < from || x.due > to)
                continue;
            snprintf(x.unit, sizeof x.unit, "%s", store_col_text(s, 0));
            snprintf(x.unit_name, sizeof x.unit_name, "%s", store_col_text(s, 1));
            snprintf(x.cell, sizeof x.cell, "%s", store_col_text(s, 2) ? store_col_text(s, 2) : "");
            rc = slot_push(l, &x, err);
        }
    }
    store_finalize(s);
    if (!rc)
        rc =
            scope_prepare(st, scope, "p.unit_code",
                          "SELECT p.id, p.unit_code, u.name, u.cell_id, p.stage,"
                          " (SELECT COUNT(*) FROM finding f WHERE f.project_id = p.id)"
                          " FROM audit_project p JOIN unit u ON u.code = p.unit_code"
                          " WHERE p.standing IS NULL AND p.stage IN ('report', 'rectify', 'closed')"
                          " AND ",
                          " ORDER BY p.id", &s, NULL, err, "");
    size_t first_project = l->n;
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        const char *stage = store_col_text(s, 4);
        for (int k = 0; !rc && k < 2; k++) {
            if (k == 1 && (!strcmp(stage, "report") || store_col_int(s, 5) == 0))
                continue;
            slot x;
            memset(&x, 0, sizeof x);
            snprintf(x.kind, sizeof x.kind, "%s", k ? "rectification" : "audit");
            x.project_id = store_col_int(s, 0);
            snprintf(x.unit, sizeof x.unit, "%s", store_col_text(s, 1));
            snprintf(x.unit_name, sizeof x.unit_name, "%s", store_col_text(s, 2));
            snprintf(x.cell, sizeof x.cell, "%s", store_col_text(s, 3) ? store_col_text(s, 3) : "");
            rc = slot_push(l, &x, err);
        }
    }
    store_finalize(s);
    /* Dues of the projects' reports (queries of their own, after the cursor is done). */
    size_t keep = first_project;
    for (size_t i = first_project; !rc && i < l->n; i++) {
        slot *x = &l->v[i];
        rc = report_due_of(st, &d, x->kind, x->project_id, 0, &x->due, err);
        if (!rc && x->due >= from && x->due <= to)
            l->v[keep++] = *x;
    }
    if (!rc)
        l->n = keep;
    for (size_t i = 0; !rc && i < l->n; i++)
        rc = slot_report(st, &l->v[i], err);
    if (rc) {
        free(l->v);
        memset(l, 0, sizeof *l);
    }
    return rc;
}

static bool slot_unfiled(const slot *x)
{
    return !*x->first_filed;
}

static ag_err remind_one(ag_store *st, const slot *x, const char *audience, int32_t today,
                         bool *added, ag_error *err)
{
    char due[11], kind[32], ts[21], zh[768], en[640];
    ag_date_format(x->due, due);
    snprintf(kind, sizeof kind, "report_%s", x->kind);
    int64_t there = 0;
    *added = false;
    ag_err rc =
        wf_query_int(st, &there, err,
                     "SELECT COUNT(*) FROM notification WHERE audience = ? AND kind = ?"
                     " AND unit_code = ? AND report_due = ? AND COALESCE(project_id, 0) = ?",
                     "tttti", audience, kind, x->unit, due, x->project_id);
    if (rc || there)
        return rc;
    char what_zh[64] = "", what_en[64] = "";
    if (report_kind_is_project(x->kind)) {
        snprintf(what_zh, sizeof what_zh, "（项目 %lld）", (long long)x->project_id);
        snprintf(what_en, sizeof what_en, " (project %lld)", (long long)x->project_id);
    } else {
        snprintf(what_zh, sizeof what_zh, "（%d 年度）", x->year);
        snprintf(what_en, sizeof what_en, " of %d", x->year);
    }
    if (x->report_id)
        snprintf(zh, sizeof zh, "%s 的%s%s已逾期 %d 天未报备（应于 %s 前报备，当前：%s）",
                 x->unit_name, report_kind_zh(x->kind), what_zh, (int)(today - x->due), due,
                 report_state_zh(x->state));
    else
        snprintf(zh, sizeof zh, "%s 的%s%s已逾期 %d 天，尚未起草（应于 %s 前报备）", x->unit_name,
                 report_kind_zh(x->kind), what_zh, (int)(today - x->due), due);
    snprintf(en, sizeof en, "%s: the %s%s is %d days overdue (due by %s; %s)", x->unit,
             report_kind_en(x->kind), what_en, (int)(today - x->due), due,
             x->report_id ? report_state_en(x->state) : "not drafted");
    ag_clock_format(ag_clock_now(), ts);
    ag_field f[] = {
        ag_field_text("audience", audience),
        ag_field_text("unit_code", x->unit),
        ag_field_text("cell_id", *x->cell ? x->cell : NULL),
        x->project_id ? ag_field_int("project_id", x->project_id) : ag_field_null("project_id"),
        x->report_id ? ag_field_int("report_id", x->report_id) : ag_field_null("report_id"),
        ag_field_text("kind", kind),
        ag_field_text("report_due", due),
        ag_field_text("message_zh", zh),
        ag_field_text("message_en", en),
        ag_field_text("created_at", ts)};
    rc = store_insert(st, "notification", "id", f, sizeof f / sizeof f[0], NULL, err);
    *added = !rc;
    return rc;
}

ag_err report_remind(ag_store *st, int32_t today, int64_t *created, ag_error *err)
{
    int64_t dummy = 0;
    if (!created)
        created = &dummy;
    *created = 0;
    slot_list l;
    ag_err rc = slots(st, NULL, today, &l, err);
    for (size_t i = 0; !rc && i < l.n; i++) {
        const slot *x = &l.v[i];
        if (!slot_unfiled(x) || today <= x->due)
            continue;
        static const char *const aud[] = {"leader", "bureau"};
        for (int k = 0; !rc && k < 2; k++) {
            bool added = false;
            rc = remind_one(st, x, aud[k], today, &added, err);
            *created += added;
        }
    }
    free(l.v);
    return rc;
}

ag_err report_figures(ag_store *st, const ag_scope *scope, int32_t today, json_t **out,
                      ag_error *err)
{
    *out = NULL;
    ag_scope all = {.role = AG_ROLE_ADMIN};
    const ag_scope *sc = scope ? scope : &all;
    slot_list l;
    ag_err rc = slots(st, sc, today, &l, err);
    int64_t late = 0, soon = 0, queue = 0, returned = 0;
    for (size_t i = 0; !rc && i < l.n; i++) {
        const slot *x = &l.v[i];
        if (report_is_late(x->due, x->first_filed, today))
            late++;
        else if (slot_unfiled(x) && x->due >= today && x->due <= today + DUE_SOON_DAYS)
            soon++;
    }
    free(l.v);
    ag_stmt *s = NULL;
    if (!rc)
        rc = scope_prepare(st, sc, "unit_code",
                           "SELECT COUNT(*) FROM report WHERE state = 'filed' AND ", "", &s, NULL,
                           err, "");
    rc = wf_step_int(s, rc, &queue, err);
    if (!rc)
        rc = scope_prepare(st, sc, "unit_code",
                           "SELECT COUNT(*) FROM report WHERE state = 'returned' AND ", "", &s,
                           NULL, err, "");
    rc = wf_step_int(s, rc, &returned, err);
    if (!rc)
        *out = json_pack("{s:I,s:I,s:I,s:I}", "late", (json_int_t)late, "queue", (json_int_t)queue,
                         "returned", (json_int_t)returned, "due_soon", (json_int_t)soon);
    return rc;
}
