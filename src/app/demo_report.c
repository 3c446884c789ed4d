/* demo_report.c (app) - the demo district's four reports (issue 16): plans, audit and
 * rectification reports, work summaries, each written as of the day it happened. */
#include "app/demo_report.h"

#include <stdio.h>
#include <string.h>

#include "app/report.h"
#include "app/submission.h"
#include "domain/grid.h"
#include "util/clock.h"
#include "util/date.h"
#include "util/rng.h"
#include "util/banned.h"

static const audit_actor ADMIN = {.scope = {.role = AG_ROLE_ADMIN}, .name = "user:admin"};

/* An actor with its own name buffer. */
typedef struct who {
    audit_actor a;
    char name[96];
} who;

typedef struct demo {
    ag_store *st;
    ag_rng r;
    int32_t today;
} demo;

/* Moves this thread's clock to day at 10:00 Beijing time (02:00 UTC). */
static void on_day(int32_t day)
{
    ag_clock_shift(0);
    int64_t now = ag_clock_now();
    ag_clock_shift((int64_t)day * 86400 + 2 * 3600 - now);
}

static int32_t ymd(int y, int m, int d)
{
    ag_date x = {y, m, d};
    return ag_date_to_days(x);
}

/* The Beijing day of a stored UTC time "YYYY-MM-DDTHH:MM:SSZ"; 0 when malformed. */
static int32_t day_of(const char *ts)
{
    int32_t d = 0;
    if (!ts || strlen(ts) < 13 || !ag_date_parse(ts, 10, &d))
        return 0;
    int hour = (ts[11] - '0') * 10 + (ts[12] - '0');
    return d + (hour >= 16);
}

/* The person of unit in the subject role (principal, auditor, chief_auditor) acting as role:
 * the one with a demo account first ("user:NAME"), else the first by id ("person:NAME").
 * *found false (and the actor admin's) when the unit has nobody in that role. */
static ag_err person(ag_store *st, const char *unit, const char *subject, ag_role role, who *w,
                     bool *found, ag_error *err)
{
    memset(w, 0, sizeof *w);
    w->a = ADMIN;
    *found = false;
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = store_prepare_args(
        st, &s, err,
        "SELECT p.id, p.name, (SELECT MIN(u.username) FROM app_user u WHERE u.person_id = p.id)"
        " FROM unit_subject us JOIN person p ON p.id = us.person_id"
        " WHERE us.unit_code = ? AND us.role = ?"
        " ORDER BY (SELECT COUNT(*) FROM app_user u WHERE u.person_id = p.id) DESC, p.id LIMIT 1",
        "tt", unit, subject);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row) {
        const char *user = store_col_text(s, 2);
        if (user)
            snprintf(w->name, sizeof w->name, "user:%s", user);
        else
            snprintf(w->name, sizeof w->name, "person:%s", store_col_text(s, 1));
        w->a.scope.role = role;
        snprintf(w->a.scope.unit_code, sizeof w->a.scope.unit_code, "%s", unit);
        w->a.scope.person_id = store_col_int(s, 0);
        w->a.name = w->name;
        *found = true;
    }
    store_finalize(s);
    return rc;
}

/* The unit's author for its plan and summary: its internal auditor, else its chief auditor,
 * else its principal leader, else the bureau. */
static ag_err author(ag_store *st, const char *unit, who *w, ag_error *err)
{
    bool found = false;
    ag_err rc = person(st, unit, "auditor", AG_ROLE_AUDITOR, w, &found, err);
    if (!rc && !found)
        rc = person(st, unit, "chief_auditor", AG_ROLE_CHIEF_AUDITOR, w, &found, err);
    if (!rc && !found)
        rc = person(st, unit, "principal", AG_ROLE_LEADER, w, &found, err);
    return rc;
}

/* The unit of a demo account into out ("" when none). */
static ag_err unit_of_account(ag_store *st, const char *user, char out[32], ag_error *err)
{
    ag_stmt *s = NULL;
    bool row = false;
    out[0] = '\0';
    ag_err rc = store_prepare_args(st, &s, err, "SELECT unit_code FROM app_user WHERE username = ?",
                                   "t", user);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row && store_col_text(s, 0))
        snprintf(out, 32, "%s", store_col_text(s, 0));
    store_finalize(s);
    return rc;
}

/* A demo project by code: its id, audited unit, the lead of its team as an auditor actor, and
 * the days its draft report, the unit's response and the final report were recorded
 * (0 when not recorded). *id 0 when the project is absent. */
typedef struct project {
    int64_t id;
    char unit[32];
    who lead;
    int32_t draft_day, response_day, final_day, followup_day;
    char response[1024];
} project;

static ag_err project_of(ag_store *st, const char *code, project *p, ag_error *err)
{
    memset(p, 0, sizeof *p);
    p->lead.a = ADMIN;
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = store_prepare_args(
        st, &s, err,
        "SELECT p.id, p.unit_code, t.person_id, pe.name,"
        " (SELECT MIN(u.username) FROM app_user u WHERE u.person_id = t.person_id), pe.unit_code"
        " FROM audit_project p LEFT JOIN audit_team t ON t.project_id = p.id AND t.role = 'lead'"
        " LEFT JOIN person pe ON pe.id = t.person_id WHERE p.code = ?",
        "t", code);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row) {
        p->id = store_col_int(s, 0);
        snprintf(p->unit, sizeof p->unit, "%s", store_col_text(s, 1));
        int64_t lead = store_col_int(s, 2);
        const char *user = store_col_text(s, 4), *home = store_col_text(s, 5);
        /* Bureau staff lead as the bureau; a unit's auditor as themselves. */
        if (lead && home && *home) {
            p->lead.a.scope.role = AG_ROLE_AUDITOR;
            snprintf(p->lead.a.scope.unit_code, sizeof p->lead.a.scope.unit_code, "%s", home);
            p->lead.a.scope.person_id = lead;
            if (user)
                snprintf(p->lead.name, sizeof p->lead.name, "user:%s", user);
            else
                snprintf(p->lead.name, sizeof p->lead.name, "person:%s", store_col_text(s, 3));
            p->lead.a.name = p->lead.name;
        }
    }
    store_finalize(s);
    if (rc || !p->id)
        return rc;
    rc = store_prepare_args(st, &s, err,
                            "SELECT kind, created_at, body FROM audit_record WHERE project_id = ?"
                            " AND kind IN ('draft_report', 'response', 'final_report', 'followup')"
                            " ORDER BY id",
                            "i", p->id);
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        const char *kind = store_col_text(s, 0);
        int32_t d = day_of(store_col_text(s, 1));
        if (!strcmp(kind, "draft_report") && !p->draft_day)
            p->draft_day = d;
        else if (!strcmp(kind, "response")) {
            p->response_day = d;
            snprintf(p->response, sizeof p->response, "%s",
                     store_col_text(s, 2) ? store_col_text(s, 2) : "");
        } else if (!strcmp(kind, "final_report"))
            p->final_day = d;
        else if (!strcmp(kind, "followup"))
            p->followup_day = d;
    }
    store_finalize(s);
    return rc;
}

/* One paragraph block. */
static json_t *para(const char *text)
{
    return json_pack("{s:s, s:s}", "type", "p", "text", text);
}

/* The blocks of section key of the report object's content (borrowed), NULL when absent. */
static json_t *section_blocks(json_t *obj, const char *key)
{
    json_t *secs = json_object_get(json_object_get(obj, "content"), "sections");
    for (size_t i = 0; i < json_array_size(secs); i++) {
        json_t *s = json_array_get(secs, i);
        const char *k = json_string_value(json_object_get(s, "key"));
        if (k && !strcmp(k, key))
            return json_object_get(s, "blocks");
    }
    return NULL;
}

/* Saves section key of report id as a: its blocks with a paragraph appended (append) or the
 * paragraph alone; *obj is the report as it was and becomes the report after the save. */
static ag_err put_text(ag_store *st, const audit_actor *a, json_t **obj, const char *key,
                       const char *text, bool append, ag_error *err)
{
    int64_t id = json_integer_value(json_object_get(*obj, "id"));
    int64_t base = json_integer_value(json_object_get(*obj, "version"));
    json_t *old = section_blocks(*obj, key);
    json_t *blocks = append && json_is_array(old) ? json_deep_copy(old) : json_array();
    json_array_append_new(blocks, para(text));
    json_t *out = NULL;
    ag_err rc = app_report_save_section(st, a, id, key, blocks, base, &out, err);
    json_decref(blocks);
    if (!rc) {
        json_decref(*obj);
        *obj = out;
    }
    return rc;
}

/* Drafts a report as a on day (the draft fills every section from the store). */
static ag_err draft(demo *d, const audit_actor *a, const char *kind, int64_t project_id,
                    const char *unit, int year, int32_t day, json_t **obj, ag_error *err)
{
    on_day(day);
    return app_report_draft(d->st, a, kind, project_id, unit, year, obj, err);
}

static int64_t id_of(json_t *obj)
{
    return json_integer_value(json_object_get(obj, "id"));
}

static ag_err file_on(demo *d, const audit_actor *a, json_t *obj, int32_t day, ag_error *err)
{
    on_day(day);
    return app_report_file(d->st, a, id_of(obj), NULL, err);
}

/* The bureau accepts on day with its points for the evaluation opinion (评价意见, the one
 * criterion only the reviewer scores): 10 to 14.5 of 15 by the seed. */
static ag_err accept_on(demo *d, json_t *obj, int32_t day, const char *comment, ag_error *err)
{
    on_day(day);
    double opinion = 10.0 + (double)ag_rng_below(&d->r, 10) / 2.0;
    json_t *scores = json_pack("{s:f}", "opinion", opinion);
    ag_err rc = app_report_review(d->st, &ADMIN, id_of(obj), "accept", comment, scores, NULL, err);
    json_decref(scores);
    return rc;
}

/* ---- the reports ----------------------------------------------------------------------------- */

/* The competent department approves the plan's submission (年度内审计划, filed with the plan to
 * the unit's department cell, else to the bureau) on day: the cell's supervisor account when
 * there is one, else the department's own name. */
static ag_err approve_plan(demo *d, int64_t report_id, int32_t day, ag_error *err)
{
    json_t *obj = NULL;
    ag_err rc = report_get(d->st, &ADMIN, report_id, &obj, err);
    json_t *sub = json_object_get(obj, "submission");
    const char *cell = json_string_value(json_object_get(sub, "to_cell"));
    int64_t sid = json_integer_value(json_object_get(sub, "id"));
    who w;
    memset(&w, 0, sizeof w);
    w.a = ADMIN;
    if (!rc && cell && *cell) {
        ag_stmt *s = NULL;
        bool row = false;
        w.a.scope.role = AG_ROLE_SUPERVISOR;
        snprintf(w.a.scope.cell_id, sizeof w.a.scope.cell_id, "%s", cell);
        snprintf(w.name, sizeof w.name, "dept:%s", cell);
        rc = store_prepare_args(d->st, &s, err,
                                "SELECT MIN(username) FROM app_user WHERE role = 'supervisor'"
                                " AND cell_id = ? AND disabled = 0",
                                "t", cell);
        if (!rc)
            rc = store_step(s, &row, err);
        if (!rc && row && store_col_text(s, 0))
            snprintf(w.name, sizeof w.name, "user:%s", store_col_text(s, 0));
        store_finalize(s);
        w.a.name = w.name;
    }
    on_day(day);
    if (!rc && sid > 0)
        rc = app_submission_decide(d->st, &w.a, sid, "accept", "同意本年度内部审计计划", NULL, err);
    json_decref(obj);
    return rc;
}

/* A unit's 2026 plan or 2025 summary drafted on day (plus 0–2 days of the seed's), filed on
 * file_day, accepted by the bureau on accept_day, a plan approved by its department on
 * approve_day (each 0: not). */
static ag_err unit_report(demo *d, const char *kind, const char *unit, int year, int32_t day,
                          int32_t file_day, int32_t accept_day, int32_t approve_day, ag_error *err)
{
    who w;
    json_t *obj = NULL;
    ag_err rc = author(d->st, unit, &w, err);
    if (!rc)
        rc = draft(d, &w.a, kind, 0, unit, year, day + (int32_t)ag_rng_below(&d->r, 3), &obj, err);
    if (!rc && file_day)
        rc = file_on(d, &w.a, obj, file_day, err);
    if (!rc && approve_day)
        rc = approve_plan(d, id_of(obj), approve_day, err);
    if (!rc && accept_day)
        rc = accept_on(d, obj, accept_day, "同意报备", err);
    json_decref(obj);
    return rc;
}

/* The hospital's plan: filed, returned with the bureau's comments, completed and refiled (in
 * the bureau's queue again). */
static ag_err returned_plan(demo *d, const char *unit, ag_error *err)
{
    who w;
    json_t *obj = NULL;
    ag_err rc = author(d->st, unit, &w, err);
    if (!rc)
        rc = draft(d, &w.a, "plan", 0, unit, 2026, ymd(2026, 1, 9), &obj, err);
    if (!rc)
        rc = file_on(d, &w.a, obj, ymd(2026, 1, 19), err);
    int64_t id = rc ? 0 : id_of(obj);
    on_day(ymd(2026, 1, 23));
    if (!rc)
        rc = app_report_review(
            d->st, &ADMIN, id, "return",
            "审计项目安排未写明各项目的审计组成员和实施时间，资源保障未说明内审人员力量不足时的"
            "解决办法，请补充完善后重新报备。",
            NULL, NULL, err);
    json_decref(obj);
    obj = NULL;
    on_day(ymd(2026, 1, 27));
    if (!rc)
        rc = report_get(d->st, &w.a, id, &obj, err);
    if (!rc)
        rc =
            put_text(d->st, &w.a, &obj, "resources",
                     "（根据区审计局意见补充）各审计项目由本单位内审人员任组长，每个项目配备2名审计"
                     "人员；内审力量不足时，申请区审计局从交叉互审人员库中统筹调配，并可聘请"
                     "会计师事务所提供专业支持。",
                     true, err);
    if (!rc)
        rc = put_text(d->st, &w.a, &obj, "measures",
                      "各项目实施时间按季度安排：第一季度完成审前调查，第二、三季度实施审计，"
                      "第四季度开展整改跟踪检查。",
                      true, err);
    if (!rc)
        rc = file_on(d, &w.a, obj, ymd(2026, 1, 28), err);
    json_decref(obj);
    return rc;
}

/* The audit report of project p: drafted by its lead on the day the draft report was
 * recorded, the audited unit's response entered by `unit` on the day it was recorded, filed
 * on the final report's day; accepted 5 days later when accept. */
static ag_err audit_report(demo *d, const project *p, const audit_actor *unit, bool file,
                           bool accept, ag_error *err)
{
    json_t *obj = NULL;
    int32_t day = p->draft_day ? p->draft_day : d->today - 5;
    ag_err rc = draft(d, &p->lead.a, "audit", p->id, NULL, 0, day, &obj, err);
    int64_t id = rc ? 0 : id_of(obj);
    char response[1400];
    snprintf(response, sizeof response,
             "%s\n对审计发现的问题，我单位已明确责任领导和责任部门，逐项制定整改措施，"
             "整改结果将在整改报告中逐项报告。",
             *p->response ? p->response : "我单位对审计报告征求意见稿无异议。");
    if (!rc && p->response_day && unit) {
        /* The unit sees the report as it is now. */
        json_decref(obj);
        obj = NULL;
        on_day(p->response_day);
        rc = report_get(d->st, unit, id, &obj, err);
        if (!rc)
            rc = put_text(d->st, unit, &obj, "response", response, false, err);
    }
    if (!rc && file)
        rc = file_on(d, &p->lead.a, obj, p->final_day ? p->final_day : day + 13, err);
    if (!rc && accept)
        rc = accept_on(d, obj, (p->final_day ? p->final_day : day + 13) + 5, "同意报备", err);
    json_decref(obj);
    return rc;
}

/* The rectification report of project p by its lead: drafted on day, filed on file_day (0:
 * not), accepted on accept_day (0: not). */
static ag_err rect_report(demo *d, const project *p, int32_t day, int32_t file_day,
                          int32_t accept_day, ag_error *err)
{
    json_t *obj = NULL;
    ag_err rc = draft(d, &p->lead.a, "rectification", p->id, NULL, 0, day, &obj, err);
    if (!rc && file_day)
        rc = file_on(d, &p->lead.a, obj, file_day, err);
    if (!rc && accept_day)
        rc = accept_on(d, obj, accept_day, "整改情况属实，同意报备", err);
    json_decref(obj);
    return rc;
}

/* The first pilot unit of the list in cell other than `skip`; NULL when none. */
static const char *in_cell(json_t *units, const char *cell, const char *skip)
{
    for (size_t i = 0; i < json_array_size(units); i++) {
        json_t *u = json_array_get(units, i);
        const char *code = json_string_value(json_object_get(u, "code"));
        const char *c = json_string_value(json_object_get(u, "cell_id"));
        if (c && !strcmp(c, cell) && (!skip || strcmp(code, skip)))
            return code;
    }
    return NULL;
}

/* The pilot SOE that files its plan late: the first with a subordinate unit (its plan ranks
 * the group's units), else the first pilot SOE other than `skip`; NULL when none. */
static const char *late_soe(ag_store *st, json_t *units, const char *skip, ag_error *err,
                            ag_err *rc)
{
    const char *any = NULL;
    for (size_t i = 0; !*rc && i < json_array_size(units); i++) {
        json_t *u = json_array_get(units, i);
        const char *code = json_string_value(json_object_get(u, "code"));
        const char *type = json_string_value(json_object_get(u, "type"));
        if (!type || strcmp(type, "国企") || (skip && !strcmp(code, skip)))
            continue;
        int64_t subs = 0;
        *rc = store_query_int(st, &subs, err,
                              "SELECT COUNT(*) FROM unit WHERE parent_code = ? AND disabled = 0",
                              code, NULL);
        if (!*rc && subs > 0)
            return code;
        if (!any)
            any = code;
    }
    return any;
}

ag_err app_demo_report(ag_store *st, uint64_t seed, ag_error *err)
{
    demo d = {.st = st, .today = ag_clock_today()};
    ag_rng_seed(&d.r, seed ^ 0x7265706f7274u);
    grid_unit_filter f = {true, NULL, NULL};
    json_t *pilots = NULL;
    char school[32], hospital[32], group[32];
    project earlier, cross, self;
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = grid_unit_list(st, &f, &pilots, err);
    if (!rc)
        rc = unit_of_account(st, "leader", school, err);
    if (!rc)
        rc = unit_of_account(st, "auditor2", hospital, err);
    if (!rc)
        rc = unit_of_account(st, "chief", group, err);
    if (!rc)
        rc = project_of(st, "NK-ZX-2025-03", &earlier, err);
    if (!rc)
        rc = project_of(st, "NK-JCHS-2026-01", &cross, err);
    if (!rc)
        rc = project_of(st, "NK-ZC-2026-02", &self, err);
    const char *soe = late_soe(st, pilots, group, err, &rc);
    const char *d01 = in_cell(pilots, "D01", school);
    if (!rc && (!*school || !*hospital || !earlier.id || !cross.id || !self.id))
        rc = ag_fail(err, AG_ERR_INTERNAL, "demo", "演示区缺少四类报告所需的单位或审计项目",
                     "the demo district lacks the units or audits its reports need");

    /* 2026 annual plans, due 2026-01-31, approved by the departments (the hospital's waits). */
    if (!rc)
        rc = unit_report(&d, "plan", school, 2026, ymd(2026, 1, 6), ymd(2026, 1, 16),
                         ymd(2026, 1, 23), ymd(2026, 1, 21), err);
    if (!rc)
        rc = returned_plan(&d, hospital, err);
    if (!rc && soe) /* filed late */
        rc = unit_report(&d, "plan", soe, 2026, ymd(2026, 2, 3), ymd(2026, 2, 16), ymd(2026, 2, 25),
                         ymd(2026, 2, 25), err);
    if (!rc)
        rc = unit_report(&d, "plan", self.unit, 2026, ymd(2026, 1, 12), ymd(2026, 1, 26),
                         ymd(2026, 2, 2), ymd(2026, 1, 30), err);
    if (!rc && d01) /* filed: approved by the department, the bureau has yet to decide */
        rc = unit_report(&d, "plan", d01, 2026, ymd(2026, 1, 20), ymd(2026, 1, 29), 0,
                         ymd(2026, 2, 4), err);
    if (!rc && *group) /* never filed: late */
        rc = unit_report(&d, "plan", group, 2026, ymd(2026, 1, 26), 0, 0, 0, err);

    /* 2025 work summaries, due 2026-01-31. */
    if (!rc)
        rc = unit_report(&d, "summary", school, 2025, ymd(2026, 1, 12), ymd(2026, 1, 22),
                         ymd(2026, 1, 30), 0, err);
    if (!rc) /* filed late */
        rc = unit_report(&d, "summary", hospital, 2025, ymd(2026, 1, 28), ymd(2026, 2, 9),
                         ymd(2026, 2, 20), 0, err);
    if (!rc)
        rc = unit_report(&d, "summary", self.unit, 2025, ymd(2026, 1, 15), ymd(2026, 1, 27), 0, 0,
                         err);

    /* The audits' reports. The audited school's auditor answered the earlier audit, its leader
     * the cross audit. */
    who unit_auditor, unit_leader;
    bool found = false;
    if (!rc)
        rc = person(st, earlier.unit, "auditor", AG_ROLE_AUDITOR, &unit_auditor, &found, err);
    if (!rc)
        rc = person(st, cross.unit, "principal", AG_ROLE_LEADER, &unit_leader, &found, err);
    if (!rc)
        rc = audit_report(&d, &earlier, &unit_auditor.a, true, true, err);
    if (!rc) {
        int32_t filed = earlier.final_day ? earlier.final_day : earlier.draft_day + 13;
        int32_t day = earlier.followup_day ? earlier.followup_day - 2 : filed + 30;
        rc = rect_report(&d, &earlier, day, day + 1, day + 8, err);
    }
    if (!rc)
        rc = audit_report(&d, &cross, &unit_leader.a, true, false, err);
    if (!rc) { /* due 60 days after the audit report's filing; filed 10 days after that */
        int32_t filed = cross.final_day ? cross.final_day : d.today - 80;
        int32_t late = filed + 70 < d.today ? filed + 70 : d.today - 1;
        rc = rect_report(&d, &cross, late - 14, late, 0, err);
    }
    if (!rc) /* the self-check's report, drafted while its fieldwork goes on */
        rc = audit_report(&d, &self, NULL, false, false, err);
    ag_clock_shift(0);
    json_decref(pilots);
    return store_end(st, rc, err);
}
