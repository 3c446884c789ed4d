/* assess_data.c - the assessment's indicators computed from the system's own data: the
 * internal-audit body, filings, projects and their stage records, rectification, imports and
 * warnings of a unit in a year (issue 15 §2). Each metric says what it counted. */
#include "domain/assess_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h> /* strtol */
#include <string.h>

#include "domain/report.h" /* issue 16 (report) */
#include "domain/wf_query.h"
#include "util/date.h"
#include "util/banned.h"

static const char *const METRICS[] = {
    "ia_body",        "ia_group",      "ia_supervisor", "ia_staff",        "plan_filed",
    "projects_done",  "report_plan",   "report_final",  "report_followup", "summary_filed",
    "rect_closure",   "rect_overdue",  "rect_repeat",   "ledger_import",   "warning_triage",
    "filing_on_time", "report_quality"};

bool assess_metric_known(const char *metric)
{
    for (size_t i = 0; metric && i < sizeof METRICS / sizeof METRICS[0]; i++)
        if (!strcmp(metric, METRICS[i]))
            return true;
    return false;
}

/* max × num / den in half points, rounded half up; 0 when den is 0. */
static int64_t share(int64_t max_x2, int64_t num, int64_t den)
{
    if (den <= 0 || num <= 0)
        return 0;
    if (num > den)
        num = den;
    return (2 * max_x2 * num + den) / (2 * den);
}

/* The first column of the first row as text into out ("" when no row or NULL). */
static ag_err query_text(ag_store *st, char *out, size_t cap, ag_error *err, const char *sql,
                         const char *types, ...)
{
    ag_stmt *s = NULL;
    va_list ap;
    va_start(ap, types);
    ag_err rc = wf_vprep(st, &s, err, sql, types, ap);
    va_end(ap);
    bool row = false;
    out[0] = '\0';
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row && store_col_text(s, 0))
        snprintf(out, cap, "%s", store_col_text(s, 0));
    store_finalize(s);
    return rc;
}

/* The Beijing day of an ISO-8601 UTC time; false when it is not one. */
static bool civil_day(const char *iso, int32_t *day)
{
    int32_t d;
    if (!iso || strlen(iso) < 13 || !ag_date_parse(iso, 10, &d))
        return false;
    int hour = (iso[11] - '0') * 10 + (iso[12] - '0');
    *day = d + (hour >= 16);
    return true;
}

/* A "MM-DD" param of the rubric in year y as a day; fallback when absent or bad. */
static int32_t param_day(const assess_ctx *c, const char *key, int y, const char *fallback)
{
    const char *md = json_string_value(json_object_get(c->params, key));
    char d[16];
    int32_t day = 0;
    snprintf(d, sizeof d, "%04d-%s", y, md && strlen(md) == 5 ? md : fallback);
    if (!ag_date_parse(d, 10, &day)) {
        snprintf(d, sizeof d, "%04d-%s", y, fallback);
        ag_date_parse(d, 10, &day);
    }
    return day;
}

static int64_t param_int(const assess_ctx *c, const char *key, int64_t lo, int64_t hi, int64_t def)
{
    json_t *v = json_object_get(c->params, key);
    int64_t n = json_is_integer(v) ? (int64_t)json_integer_value(v) : def;
    return n < lo || n > hi ? def : n;
}

typedef struct out_txt {
    char *zh, *en;
    size_t zhn, enn;
} out_txt;

/* Writes the basis of a score in both languages; the two formats take the same arguments. */
static void say(out_txt *o, const char *zh, const char *en, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 4)))
#endif
    ;
static void say(out_txt *o, const char *zh, const char *en, ...)
{
    va_list ap;
    va_start(ap, en);
    ag_vformat2(o->zh, o->zhn, o->en, o->enn, zh, en, ap);
    va_end(ap);
}
#define SAY say

/* A filing of kind for period on time by due (Beijing day): full, late half, none 0. The
 * first filing of the unit's report of the year (issue 16: plan, summary) counts as well,
 * unless it was returned. */
static ag_err filed_by(ag_store *st, const char *unit, const char *kind, const char *period,
                       int32_t due, int64_t max_x2, int64_t *x2, out_txt *o, ag_error *err)
{
    char first[32], rep[32];
    ag_err rc = query_text(st, first, sizeof first, err,
                           "SELECT MIN(created_at) FROM submission WHERE unit_code = ? AND kind = ?"
                           " AND period = ? AND state <> 'returned'",
                           "ttt", unit, kind, period);
    if (!rc)
        rc = query_text(st, rep, sizeof rep, err,
                        "SELECT MIN(first_filed_at) FROM report WHERE unit_code = ? AND kind = ?"
                        " AND year = ? AND state IN ('filed', 'accepted')",
                        "tti", unit, !strcmp(kind, "annual_plan") ? "plan" : "summary",
                        (int64_t)strtol(period, NULL, 10));
    if (!rc && *rep && (!*first || strcmp(rep, first) < 0))
        snprintf(first, sizeof first, "%s", rep);
    char dd[11], fd[11] = "";
    ag_date_format(due, dd);
    int32_t day = 0;
    if (rc)
        return rc;
    if (!*first || !civil_day(first, &day)) {
        *x2 = 0;
        SAY(o, "未报送（应于 %s 前报送）", "not filed (due by %s)", dd);
        return AG_OK;
    }
    ag_date_format(day, fd);
    if (day <= due) {
        *x2 = max_x2;
        SAY(o, "%s 报送，按时（应于 %s 前）", "filed on %s, on time (due by %s)", fd, dd);
    } else {
        *x2 = max_x2 / 2;
        SAY(o, "%s 报送，逾期（应于 %s 前）", "filed on %s, late (due by %s)", fd, dd);
    }
    return AG_OK;
}

#define PROJECTS                                                                                   \
    " FROM audit_project p WHERE p.unit_code = ? AND p.standing IS NULL"                           \
    " AND p.created_at >= ? AND p.created_at < ?"
#define HAS(kind)                                                                                  \
    " EXISTS (SELECT 1 FROM audit_record r WHERE r.project_id = p.id AND r.kind = '" kind "')"

static ag_err count(ag_store *st, const assess_ctx *c, const char *unit, const char *sql,
                    int64_t *n, ag_error *err)
{
    return wf_query_int(st, n, err, sql, "ttt", unit, c->ys, c->ye);
}

static ag_err ia_metric(ag_store *st, const char *unit, const char *m, const json_t *ind,
                        int64_t max_x2, int64_t *x2, out_txt *o, ag_error *err)
{
    int64_t n = 0;
    ag_err rc = AG_OK;
    if (!strcmp(m, "ia_group")) {
        rc = wf_query_int(st, &n, err,
                          "SELECT COUNT(DISTINCT g.area) FROM ia_group_member g JOIN person p"
                          " ON p.id = g.person_id WHERE g.unit_code = ? AND p.disabled = 0",
                          "t", unit);
        *x2 = share(max_x2, n, 5);
        SAY(o, "内审工作组已配备 %lld/5 个分工", "%lld of the working group's 5 places filled",
            (long long)n);
        return rc;
    }
    if (!strcmp(m, "ia_staff")) {
        rc = wf_query_int(st, &n, err,
                          "SELECT COUNT(DISTINCT s.person_id) FROM unit_subject s JOIN person p"
                          " ON p.id = s.person_id WHERE s.unit_code = ? AND p.disabled = 0"
                          " AND s.role IN ('auditor', 'chief_auditor')",
                          "t", unit);
        json_t *mv = json_object_get(ind, "min_staff");
        int64_t need =
            json_is_integer(mv) && json_integer_value(mv) > 0 ? json_integer_value(mv) : 2;
        *x2 = n >= need ? max_x2 : n > 0 ? max_x2 / 2 : 0;
        SAY(o, "内审人员 %lld 人（满分需 %lld 人）", "%lld internal auditors (%lld for full marks)",
            (long long)n, (long long)need);
        return rc;
    }
    char name[160] = "";
    int64_t rec = 0, indep = 0, sup = 0;
    rc = wf_query_int(st, &rec, err, "SELECT COUNT(*) FROM ia_body WHERE unit_code = ?", "t", unit);
    if (!rc)
        rc = wf_query_int(st, &indep, err, "SELECT independent FROM ia_body WHERE unit_code = ?",
                          "t", unit);
    if (!rc)
        rc = wf_query_int(st, &sup, err,
                          "SELECT COUNT(*) FROM ia_body WHERE unit_code = ?"
                          " AND supervisor_person_id IS NOT NULL",
                          "t", unit);
    if (!rc)
        rc = query_text(st, name, sizeof name, err,
                        "SELECT body_name FROM ia_body WHERE unit_code = ?", "t", unit);
    if (rc)
        return rc;
    if (!strcmp(m, "ia_supervisor")) {
        *x2 = sup ? max_x2 : 0;
        if (sup)
            SAY(o, "已明确直接分管内审的单位领导", "a leader directly supervises internal audit");
        else
            SAY(o, "未明确直接分管内审的单位领导", "no leader named to supervise internal audit");
        return AG_OK;
    }
    *x2 = !rec ? 0 : indep ? max_x2 : max_x2 / 2;
    if (!rec)
        SAY(o, "未登记内审机构", "no internal-audit body on record");
    else if (indep)
        SAY(o, "设立独立内审机构%s%s", "an independent internal-audit body%.0s %s",
            *name ? "：" : "", name);
    else
        SAY(o, "已登记内审机构%s%s，但非独立机构", "a body on record%.0s (%s), not independent",
            *name ? "：" : "", name);
    return AG_OK;
}

/* Adds n working days to day under cal. */
static int32_t add_workdays(const ag_calendar *cal, int32_t day, int64_t n)
{
    for (int64_t k = 0; k < n;)
        if (calendar_is_workday(cal, ++day))
            k++;
    return day;
}

static ag_err triage_metric(ag_store *st, const assess_ctx *c, const char *unit, int64_t max_x2,
                            int64_t *x2, out_txt *o, ag_error *err)
{
    int64_t days = param_int(c, "triage_workdays", 1, 60, 10), n = 0, ok = 0;
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = wf_prep(st, &s, err,
                        "SELECT w.status, w.status_at, r.started_at FROM warning w JOIN scan_run r"
                        " ON r.id = w.first_scan WHERE w.unit_code = ? AND r.started_at >= ?"
                        " AND r.started_at < ?",
                        "ttt", unit, c->ys, c->ye);
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        int32_t raised = 0, done = 0;
        n++;
        if (!civil_day(store_col_text(s, 2), &raised))
            continue;
        if (strcmp(store_col_text(s, 0), "open") && civil_day(store_col_text(s, 1), &done) &&
            done <= add_workdays(c->cal, raised, days))
            ok++;
    }
    store_finalize(s);
    *x2 = n ? share(max_x2, ok, n) : max_x2;
    if (n)
        SAY(o, "年内预警 %lld 条，%lld 条在 %lld 个工作日内核实处理",
            "%lld warnings in the year, %lld triaged within %lld working days", (long long)n,
            (long long)ok, (long long)days);
    else
        SAY(o, "年内无预警", "no warnings in the year");
    return rc;
}

/* The due day of a filing for period ("2025", "2025Q3", "2025-06") plus grace days; false when
 * the period is none of these (such a filing has no due day). */
static bool period_due(const char *period, int grace, int32_t *due)
{
    int y = 0, q = 0, m = 0;
    char tail;
    int32_t end = 0;
    ag_date d;
    if (sscanf(period, "%4dQ%1d%c", &y, &q, &tail) == 2 && q >= 1 && q <= 4)
        m = q * 3;
    else if (sscanf(period, "%4d-%2d%c", &y, &m, &tail) == 2 && m >= 1 && m <= 12)
        ;
    else if (strlen(period) == 4 && sscanf(period, "%4d%c", &y, &tail) == 1)
        m = 12;
    else
        return false;
    d = (ag_date){y, m, ag_days_in_month(y, m)};
    if (!ag_date_valid(d))
        return false;
    end = ag_date_to_days(d);
    *due = end + grace;
    return true;
}

static ag_err filing_metric(ag_store *st, const assess_ctx *c, const char *unit, int64_t max_x2,
                            int64_t *x2, out_txt *o, ag_error *err)
{
    char like[8];
    snprintf(like, sizeof like, "%04d%%", c->year);
    int grace = (int)param_int(c, "filing_days_after_period", 0, 120, 15);
    int64_t n = 0, ok = 0;
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = wf_prep(st, &s, err,
                        "SELECT period, created_at FROM submission WHERE unit_code = ?"
                        " AND kind NOT IN ('annual_plan', 'annual_summary') AND period LIKE ?",
                        "tt", unit, like);
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        int32_t due = 0, day = 0;
        if (!period_due(store_col_text(s, 0), grace, &due))
            continue;
        n++;
        ok += civil_day(store_col_text(s, 1), &day) && day <= due;
    }
    store_finalize(s);
    *x2 = n ? share(max_x2, ok, n) : max_x2;
    if (n)
        SAY(o, "年内定期报送 %lld 项，%lld 项在期间结束后 %d 日内报送",
            "%lld periodic filings of the year, %lld within %d days after their period",
            (long long)n, (long long)ok, grace);
    else
        SAY(o, "年内无应报的定期报送", "no periodic filing due in the year");
    return rc;
}

static ag_err project_metric(ag_store *st, const assess_ctx *c, const char *unit, const char *m,
                             int64_t max_x2, int64_t *x2, out_txt *o, ag_error *err)
{
    int64_t n = 0, a = 0, b = 0, d = 0;
    ag_err rc = count(st, c, unit, "SELECT COUNT(*)" PROJECTS, &n, err);
    if (rc)
        return rc;
    if (!n) {
        *x2 = 0;
        SAY(o, "年内无内审项目", "no audit project in the year");
        return AG_OK;
    }
    if (!strcmp(m, "projects_done")) {
        rc = count(st, c, unit,
                   "SELECT COUNT(*)" PROJECTS
                   " AND (p.stage IN ('rectify', 'closed') OR" HAS("final_report") ")",
                   &a, err);
        *x2 = share(max_x2, a, n);
        SAY(o, "年内内审项目 %lld 个，已出具审计报告 %lld 个",
            "%lld audit projects in the year, %lld with a final report", (long long)n,
            (long long)a);
    } else if (!strcmp(m, "report_plan")) {
        rc = count(st, c, unit,
                   "SELECT COUNT(*)" PROJECTS " AND" HAS("plan") " AND" HAS("plan_approval"), &a,
                   err);
        *x2 = share(max_x2, a, n);
        SAY(o, "年内项目 %lld 个，审计方案已审批 %lld 个",
            "%lld projects in the year, %lld with an approved plan", (long long)n, (long long)a);
    } else if (!strcmp(m, "report_final")) {
        rc = count(st, c, unit, "SELECT COUNT(*)" PROJECTS " AND" HAS("draft_report"), &a, err);
        if (!rc)
            rc = count(st, c, unit, "SELECT COUNT(*)" PROJECTS " AND" HAS("response"), &b, err);
        if (!rc)
            rc = count(st, c, unit, "SELECT COUNT(*)" PROJECTS " AND" HAS("final_report"), &d, err);
        /* draft 3, response 2, final 5 of 10, scaled to max */
        *x2 = share(max_x2, 3 * a + 2 * b + 5 * d, 10 * n);
        SAY(o, "年内项目 %lld 个：征求意见稿 %lld、书面意见 %lld、正式报告 %lld",
            "%lld projects: %lld drafts, %lld responses, %lld final reports", (long long)n,
            (long long)a, (long long)b, (long long)d);
    } else {
        rc = count(st, c, unit,
                   "SELECT COUNT(*)" PROJECTS
                   " AND EXISTS (SELECT 1 FROM finding f WHERE f.project_id = p.id)",
                   &a, err);
        if (!rc)
            rc = count(st, c, unit,
                       "SELECT COUNT(*)" PROJECTS
                       " AND EXISTS (SELECT 1 FROM finding f WHERE f.project_id = p.id)"
                       " AND" HAS("followup"),
                       &b, err);
        *x2 = a ? share(max_x2, b, a) : max_x2;
        SAY(o, "年内有审计发现的项目 %lld 个，已提交整改跟踪记录 %lld 个",
            "%lld projects of the year with findings, %lld with a follow-up record", (long long)a,
            (long long)b);
    }
    return rc;
}

static ag_err rect_metric(ag_store *st, const assess_ctx *c, const char *unit, const char *m,
                          const json_t *ind, int64_t max_x2, int64_t *x2, out_txt *o, ag_error *err)
{
    char y0[11], y1[11];
    snprintf(y0, sizeof y0, "%04d-01-01", c->year);
    snprintf(y1, sizeof y1, "%04d-12-31", c->year);
    int64_t n = 0, k = 0, per = 2;
    if (!assess_num_x2(json_object_get(ind, "per"), &per) || per <= 0)
        per = 2;
    ag_err rc;
    if (!strcmp(m, "rect_closure")) {
        rc = wf_query_int(
            st, &n, err, "SELECT COUNT(*) FROM rectification WHERE unit_code = ? AND deadline <= ?",
            "tt", unit, y1);
        if (!rc)
            rc = wf_query_int(st, &k, err,
                              "SELECT COUNT(*) FROM rectification WHERE unit_code = ?"
                              " AND deadline <= ? AND state = 'closed' AND closed_at < ?",
                              "ttt", unit, y1, c->ye);
        *x2 = n ? share(max_x2, k, n) : max_x2;
        if (n)
            SAY(o, "年末前到期的整改事项 %lld 项，已销号 %lld 项",
                "%lld items due by the year's end, %lld closed", (long long)n, (long long)k);
        else
            SAY(o, "无年末前到期的整改事项", "no rectification item due by the year's end");
        return rc;
    }
    if (!strcmp(m, "rect_overdue")) {
        rc = wf_query_int(st, &n, err,
                          "SELECT COUNT(*) FROM rectification WHERE unit_code = ?"
                          " AND deadline >= ? AND deadline <= ? AND state <> 'continuous'"
                          " AND NOT (state = 'closed' AND closed_at <= deadline || 'T16:00:00Z')",
                          "ttt", unit, y0, y1);
        SAY(o, "年内到期未按期销号的整改事项 %lld 项",
            "%lld items of the year not closed by their deadline", (long long)n);
    } else {
        rc = wf_query_int(
            st, &n, err,
            "SELECT COUNT(*) FROM finding WHERE unit_code = ? AND repeat_of IS NOT NULL"
            " AND created_at >= ? AND created_at < ?",
            "ttt", unit, c->ys, c->ye);
        SAY(o, "年内屡审屡犯问题 %lld 个", "%lld repeat offences in the year", (long long)n);
    }
    *x2 = max_x2 - n * per;
    if (*x2 < 0)
        *x2 = 0;
    return rc;
}

/* issue 16 (report): the quality of the unit's reports of a kind for the year (A3.1–A3.4):
 * the mean over its reports of that kind (audit/rectification: of the year's projects) of
 * score/100 × max, halved for a late filing; an unfiled (or returned) report due by the
 * year's end counts 0. Nothing due: plan and summary 0, audit and rectification full. */
static ag_err report_quality(ag_store *st, const assess_ctx *c, const char *unit, const json_t *ind,
                             int64_t max_x2, int64_t *x2, out_txt *o, ag_error *err)
{
    const char *kind = json_string_value(json_object_get(ind, "report_kind"));
    if (!report_kind_valid(kind))
        return ag_fail(err, AG_ERR_INTERNAL, "report_kind", "指标缺少报告类别（report_kind）",
                       "the indicator names no report_kind");
    ag_err rc = AG_OK;
    int32_t year_end = ag_date_to_days((ag_date){c->year, 12, 31});
    double sum = 0;
    int64_t n = 0, filed = 0, late = 0, projects = 0;
    /* The candidates: (project id or 0). */
    int64_t pids[512];
    size_t np = 0;
    bool proj = report_kind_is_project(kind);
    if (proj) {
        ag_stmt *s = NULL;
        bool row = false;
        rc = wf_prep(st, &s, err,
                     "SELECT p.id, (SELECT COUNT(*) FROM finding f WHERE f.project_id = p.id)"
                     " FROM audit_project p WHERE p.unit_code = ? AND p.standing IS NULL"
                     " AND p.created_at >= ? AND p.created_at < ? ORDER BY p.id",
                     "ttt", unit, c->ys, c->ye);
        while (!rc && !(rc = store_step(s, &row, err)) && row) {
            projects++;
            if (!strcmp(kind, "rectification") && store_col_int(s, 1) == 0)
                continue;
            if (np < sizeof pids / sizeof pids[0])
                pids[np++] = store_col_int(s, 0);
        }
        store_finalize(s);
    } else {
        pids[np++] = 0;
    }
    for (size_t i = 0; !rc && i < np; i++) {
        char slot[96];
        if (proj)
            snprintf(slot, sizeof slot, "%s:p%lld", kind, (long long)pids[i]);
        else
            snprintf(slot, sizeof slot, "%s:%s:%d", kind, unit, c->year);
        int64_t id = 0;
        char state[16] = "", first[32] = "";
        int32_t due = 0, day = 0;
        rc = wf_query_int(st, &id, err, "SELECT id FROM report WHERE slot = ?", "t", slot);
        if (!rc && id)
            rc = query_text(st, state, sizeof state, err, "SELECT state FROM report WHERE id = ?",
                            "i", id);
        if (!rc && id)
            rc = query_text(st, first, sizeof first, err,
                            "SELECT first_filed_at FROM report WHERE id = ?", "i", id);
        if (!rc)
            rc = report_due_for(st, kind, pids[i], c->year, &due, err);
        if (rc)
            break;
        bool counts = id && (!strcmp(state, "filed") || !strcmp(state, "accepted")) && *first;
        if (!counts) {
            if (due > 0 && due <= year_end)
                n++; /* due and not filed: 0 */
            continue;
        }
        double total = 0;
        bool has = false;
        rc = report_score_total(st, id, &total, &has, err);
        if (rc)
            break;
        bool is_late = due > 0 && civil_day(first, &day) && day > due;
        n++;
        filed++;
        late += is_late;
        sum += (has ? total : 0) / 100.0 * (double)max_x2 * (is_late ? 0.5 : 1.0);
    }
    if (rc)
        return rc;
    const char *kzh = report_kind_zh(kind), *ken = report_kind_en(kind);
    if (!n) {
        /* No audit project in the year scores nothing, as the stage-record metrics did; a
         * year whose projects owe no report yet (or, for rectification, found nothing) full. */
        *x2 = proj && projects ? max_x2 : 0;
        if (proj && !projects)
            SAY(o, "年内无内审项目，无应报%s%.0s", "no audit project in the year, no %.0s%s due",
                kzh, ken);
        else
            SAY(o, "年内无应报的%s%.0s", "no %.0s%s due in the year", kzh, ken);
        return AG_OK;
    }
    *x2 = (int64_t)(sum / (double)n + 0.5);
    if (*x2 > max_x2)
        *x2 = max_x2;
    SAY(o, "应报%s%.0s %lld 份，已报备 %lld 份（逾期 %lld 份），按报告质量评分折算",
        "%.0s%s: %lld due, %lld filed (%lld late), scaled by their quality scores", kzh, ken,
        (long long)n, (long long)filed, (long long)late);
    return AG_OK;
}

ag_err assess_data_value(ag_store *st, const assess_ctx *c, const char *unit, const json_t *ind,
                         int64_t *x2, char *zh, size_t zhn, char *en, size_t enn, ag_error *err)
{
    const char *m = json_string_value(json_object_get(ind, "metric"));
    int64_t max_x2 = assess_ind_max_x2(ind);
    out_txt o = {zh, en, zhn, enn};
    zh[0] = en[0] = '\0';
    *x2 = 0;
    if (!m)
        return ag_fail(err, AG_ERR_INTERNAL, "metric", "指标缺少计算口径", "no metric");
    char period[8];
    snprintf(period, sizeof period, "%04d", c->year);
    if (!strncmp(m, "ia_", 3))
        return ia_metric(st, unit, m, ind, max_x2, x2, &o, err);
    if (!strcmp(m, "plan_filed"))
        return filed_by(st, unit, "annual_plan", period, param_day(c, "plan_due", c->year, "01-31"),
                        max_x2, x2, &o, err);
    if (!strcmp(m, "summary_filed"))
        return filed_by(st, unit, "annual_summary", period,
                        param_day(c, "summary_due", c->year + 1, "01-31"), max_x2, x2, &o, err);
    if (!strcmp(m, "report_quality"))
        return report_quality(st, c, unit, ind, max_x2, x2, &o, err);
    if (!strcmp(m, "projects_done") || !strncmp(m, "report_", 7))
        return project_metric(st, c, unit, m, max_x2, x2, &o, err);
    if (!strncmp(m, "rect_", 5))
        return rect_metric(st, c, unit, m, ind, max_x2, x2, &o, err);
    if (!strcmp(m, "warning_triage"))
        return triage_metric(st, c, unit, max_x2, x2, &o, err);
    if (!strcmp(m, "filing_on_time"))
        return filing_metric(st, c, unit, max_x2, x2, &o, err);
    if (!strcmp(m, "ledger_import")) {
        char like[12], first[32], dd[11], fd[11];
        snprintf(like, sizeof like, "%%%04d%%", c->year);
        int32_t due = param_day(c, "ledger_due", c->year + 1, "03-31"), day = 0;
        ag_err rc = query_text(st, first, sizeof first, err,
                               "SELECT MIN(imported_at) FROM ledger_source WHERE unit_code = ?"
                               " AND status = 'active' AND years LIKE ?",
                               "tt", unit, like);
        ag_date_format(due, dd);
        if (rc)
            return rc;
        if (!*first || !civil_day(first, &day)) {
            SAY(&o, "未导入 %d 年度账套（应于 %s 前）", "the %d books not imported (due by %s)",
                c->year, dd);
            return AG_OK;
        }
        ag_date_format(day, fd);
        *x2 = day <= due ? max_x2 : max_x2 / 2;
        if (day <= due)
            SAY(&o, "%s 导入账套，按时（应于 %s 前）", "books imported on %s, on time (due by %s)",
                fd, dd);
        else
            SAY(&o, "%s 导入账套，逾期（应于 %s 前）", "books imported on %s, late (due by %s)", fd,
                dd);
        return AG_OK;
    }
    return ag_fail(err, AG_ERR_INTERNAL, "metric", "未知的计算口径：%s", "unknown metric: %s", m);
}
