/* api.c - the route table of API v1: every path, its methods, who may call it, how it runs. */
#include "http/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/scope.h"
#include "util/banned.h"

#define ALL       AG_ROLES_ALL
#define ADMIN     AG_ROLE_BIT(AG_ROLE_ADMIN)
#define IMPORTERS (AG_ROLE_BIT(AG_ROLE_AUDITOR) | AG_ROLE_BIT(AG_ROLE_CHIEF_AUDITOR))
#define TRIAGERS  (IMPORTERS | AG_ROLE_BIT(AG_ROLE_LIAISON))
/* The audit workflow: who can take part at all; the domain decides the rest
 * (team membership, the lead, the audited unit's own people). */
#define WRITERS (ALL & ~AG_ROLE_BIT(AG_ROLE_REVIEWER))
#define TEAM    (ADMIN | TRIAGERS | AG_ROLE_BIT(AG_ROLE_SUPERVISOR))
#define AUDITED (ADMIN | IMPORTERS | AG_ROLE_BIT(AG_ROLE_LEADER))
#define PLANNER (ADMIN | IMPORTERS)
#define UPLOAD  (HTTP_BODY_UPLOAD | HTTP_UPLOAD_ATTACH)
#define JSON    HTTP_BODY_JSON
#define C       HTTP_CACHE
/* issue 14 §2 (dept) */
#define GUIDES    (ADMIN | AG_ROLE_BIT(AG_ROLE_SUPERVISOR) | AG_ROLE_BIT(AG_ROLE_LIAISON))
#define DECIDERS  (ADMIN | AG_ROLE_BIT(AG_ROLE_SUPERVISOR))
#define DEPT_VIEW (GUIDES | AG_ROLE_BIT(AG_ROLE_REVIEWER))

/* Deny by default: a role missing from a route's set gets 403 before the
 * handler runs; unit scope is then checked by the handler (404 outside).
 * C: read-only, cached per path, query, scope and data generation. */
const http_route http_api_routes[] = {
    {"GET", "/api/v1/health", api_health, 0, HTTP_PUBLIC, NULL},
    {"POST", "/api/v1/session", api_login, 0, HTTP_PUBLIC | JSON | HTTP_WORK_AUTH,
     api_login_before},
    {"DELETE", "/api/v1/session", api_logout, ALL, 0, NULL},
    /* issue 12 §3 (names): the session probe of the page, 200 with or without a session */
    {"GET", "/api/v1/session", api_session_get, 0, HTTP_PUBLIC, NULL},
    {"GET", "/api/v1/me", api_me, ALL, 0, NULL},
    {"GET", "/api/v1/grid", api_grid, ALL, C, NULL},
    {"GET", "/api/v1/units", api_units, ALL, C, NULL},
    {"POST", "/api/v1/units", api_unit_create, ADMIN, JSON, NULL},
    {"GET", "/api/v1/units/{code}", api_unit, ALL, C, NULL},
    {"GET", "/api/v1/units/{code}/persons", api_unit_persons, ALL, C, NULL},
    {"POST", "/api/v1/units/{code}/persons", api_person_create, ADMIN, JSON, NULL},
    {"GET", "/api/v1/units/{code}/ledger", api_ledger, ALL, C, NULL},
    /* issue 13 (usecase): the bureau rescans a unit; the status is read by other requests. */
    {"POST", "/api/v1/units/{code}/scan", api_unit_scan, ADMIN, HTTP_WORK_SLOW,
     api_unit_scan_before},
    {"GET", "/api/v1/units/{code}/scan", api_unit_scan_status, ALL, 0, NULL},
    {"GET", "/api/v1/units/{code}/ledger/lines", api_ledger_lines, ALL, C, NULL},
    {"POST", "/api/v1/units/{code}/imports", api_import, IMPORTERS,
     HTTP_BODY_UPLOAD | HTTP_WORK_SLOW, NULL},
    {"GET", "/api/v1/catalog", api_catalog, ALL, C, NULL},
    {"GET", "/api/v1/dashboard", api_dashboard, ALL, C, NULL},
    {"GET", "/api/v1/warnings", api_warnings, ALL, C, NULL},
    {"GET", "/api/v1/warnings/{id}", api_warning, ALL, C, NULL},
    /* issue 12 §2 (warn): the bureau reviews too; the warnings table decides who does what. */
    {"POST", "/api/v1/warnings/{id}/triage", api_triage,
     TRIAGERS | ADMIN | AG_ROLE_BIT(AG_ROLE_REVIEWER), JSON, NULL},
    {"GET", "/api/v1/settings/warning-review", api_warning_settings, ALL, C, NULL},
    {"PUT", "/api/v1/settings/warning-review", api_warning_settings_put, ADMIN, JSON, NULL},
    {"GET", "/api/v1/warning-rules", api_warning_rules, ALL, C, NULL},
    {"GET", "/api/v1/audits", api_audits, ALL, C, NULL},
    {"POST", "/api/v1/audits", api_audit_create, PLANNER, JSON, NULL},
    {"GET", "/api/v1/audits/{id}", api_audit, ALL, C, NULL},
    {"POST", "/api/v1/audits/{id}/team", api_audit_team, TEAM, JSON, NULL},
    {"POST", "/api/v1/audits/{id}/records", api_audit_record, WRITERS, JSON, NULL},
    {"POST", "/api/v1/audits/{id}/advance", api_audit_advance, TEAM, JSON, NULL},
    {"POST", "/api/v1/audits/{id}/findings", api_audit_finding_add, TEAM, JSON, NULL},
    {"GET", "/api/v1/findings/{id}", api_finding, ALL, C, NULL},
    {"PUT", "/api/v1/findings/{id}", api_finding_update, TEAM, JSON, NULL},
    {"POST", "/api/v1/findings/{id}/evidence", api_finding_evidence, TEAM, JSON, NULL},
    /* Literal segments before {id}: the first matching pattern wins. */
    {"GET", "/api/v1/rectifications", api_rectifications, ALL, C, NULL},
    {"GET", "/api/v1/rectifications/summary", api_rectify_summary, ALL, C, NULL},
    {"GET", "/api/v1/rectifications/export.xlsx", api_rectify_export, ALL, 0, NULL},
    {"POST", "/api/v1/rectifications/escalate", api_rectify_escalate, ADMIN, JSON, NULL},
    /* Not cached: its actions depend on who claimed (by account), not only on the scope. */
    {"GET", "/api/v1/rectifications/{id}", api_rectification, ALL, 0, NULL},
    {"GET", "/api/v1/rectifications/{id}/certificate.xlsx", api_rectify_certificate, ALL, 0, NULL},
    {"POST", "/api/v1/rectifications/{id}/measures", api_rectify_measures, AUDITED, JSON, NULL},
    {"POST", "/api/v1/rectifications/{id}/progress", api_rectify_progress, AUDITED, JSON, NULL},
    {"POST", "/api/v1/rectifications/{id}/claim", api_rectify_claim, AUDITED, JSON, NULL},
    {"POST", "/api/v1/rectifications/{id}/verify", api_rectify_verify, TEAM, JSON, NULL},
    {"POST", "/api/v1/rectifications/{id}/deadline", api_rectify_deadline, TEAM, JSON, NULL},
    {"GET", "/api/v1/settings/rectify-deadlines", api_rectify_settings, ALL, C, NULL},
    {"PUT", "/api/v1/settings/rectify-deadlines", api_rectify_settings_put, ADMIN, JSON, NULL},
    {"GET", "/api/v1/notifications", api_notifications, ALL, C, NULL},
    /* The body may be empty (JSON: an object, when given, is checked). */
    {"POST", "/api/v1/notifications/{id}/read", api_notification_read, WRITERS, JSON, NULL},
    {"POST", "/api/v1/units/{code}/attachments", api_attach_upload, WRITERS, UPLOAD, NULL},
    {"GET", "/api/v1/attachments/{id}", api_attachment, ALL, C, NULL},
    {"GET", "/api/v1/attachments/{id}/content", api_attachment_content, ALL, 0, NULL},
    {"GET", "/api/v1/users", api_users, ADMIN, 0, NULL},
    {"POST", "/api/v1/users", api_user_create, ADMIN, JSON | HTTP_WORK_AUTH, NULL},
    {"GET", "/api/v1/audit-log", api_audit_log, ADMIN, 0, NULL},
    {"GET", "/api/v1/audit-log/verify", api_audit_verify, ADMIN, 0, NULL},
    /* issue 12 §5 (admin): administration of the grid and the accounts */
    {"PUT", "/api/v1/users/{id}", api_user_update, ADMIN, JSON, NULL},
    {"POST", "/api/v1/users/{id}/disable", api_user_disable, ADMIN, 0, NULL},
    {"POST", "/api/v1/users/{id}/enable", api_user_enable, ADMIN, 0, NULL},
    {"PUT", "/api/v1/units/{code}", api_unit_update, ADMIN, JSON, NULL},
    {"POST", "/api/v1/units/{code}/disable", api_unit_disable, ADMIN, 0, NULL},
    {"POST", "/api/v1/units/{code}/enable", api_unit_enable, ADMIN, 0, NULL},
    {"POST", "/api/v1/units/{code}/subjects", api_subject_set, ADMIN, JSON, NULL},
    {"DELETE", "/api/v1/units/{code}/subjects/{person}", api_subject_remove, ADMIN, 0, NULL},
    {"GET", "/api/v1/persons", api_persons, ADMIN, 0, NULL},
    {"POST", "/api/v1/persons", api_person_add, ADMIN, JSON, NULL},
    {"GET", "/api/v1/persons/{id}", api_person, ADMIN, 0, NULL},
    {"PUT", "/api/v1/persons/{id}", api_person_update, ADMIN, JSON, NULL},
    {"POST", "/api/v1/persons/{id}/disable", api_person_disable, ADMIN, 0, NULL},
    {"POST", "/api/v1/persons/{id}/enable", api_person_enable, ADMIN, 0, NULL},
    {"GET", "/api/v1/cells", api_cells, ADMIN, 0, NULL},
    /* issue 14 §2 (dept): guidance opinions, supervision visits, submissions, the department
     * view. The domain decides who may issue, reply, file and decide. */
    {"GET", "/api/v1/guidance", api_guidance_list, ALL, C, NULL},
    {"POST", "/api/v1/guidance", api_guidance_issue, GUIDES, JSON, NULL},
    {"GET", "/api/v1/guidance/visits", api_guidance_visits, ALL, C, NULL},
    {"POST", "/api/v1/guidance/visits", api_guidance_visit_add, GUIDES, JSON, NULL},
    {"GET", "/api/v1/guidance/visits/{id}", api_guidance_visit, ALL, C, NULL},
    {"POST", "/api/v1/guidance/visits/{id}/findings", api_guidance_visit_finding, GUIDES, JSON,
     NULL},
    {"GET", "/api/v1/guidance/{id}", api_guidance_get, ALL, C, NULL},
    {"POST", "/api/v1/guidance/{id}/reply", api_guidance_reply, AUDITED, JSON, NULL},
    {"GET", "/api/v1/submissions", api_submissions, ALL, C, NULL},
    {"POST", "/api/v1/submissions", api_submission_file, AUDITED, JSON, NULL},
    {"GET", "/api/v1/submissions/{id}", api_submission, ALL, C, NULL},
    {"POST", "/api/v1/submissions/{id}/accept", api_submission_accept, DECIDERS, JSON, NULL},
    {"POST", "/api/v1/submissions/{id}/return", api_submission_return, DECIDERS, JSON, NULL},
    {"POST", "/api/v1/submissions/{id}/refile", api_submission_refile, AUDITED, JSON, NULL},
    {"GET", "/api/v1/department", api_department, DEPT_VIEW, C, NULL},
    {"POST", "/api/v1/cells", api_cell_add, ADMIN, JSON, NULL},
    {"PUT", "/api/v1/cells/{id}", api_cell_update, ADMIN, JSON, NULL},
    {"POST", "/api/v1/cells/{id}/disable", api_cell_disable, ADMIN, 0, NULL},
    {"POST", "/api/v1/cells/{id}/enable", api_cell_enable, ADMIN, 0, NULL},
    {"POST", "/api/v1/cells/{id}/liaisons", api_liaison_add, ADMIN, JSON, NULL},
    {"DELETE", "/api/v1/cells/{id}/liaisons/{person}", api_liaison_remove, ADMIN, 0, NULL},
    /* issue 14 §1 (xaudit): cross-audit rounds, the bureau's admin writes, its reviewers read */
    {"GET", "/api/v1/crossaudit/rounds", api_xa_rounds, ADMIN | AG_ROLE_BIT(AG_ROLE_REVIEWER), 0,
     NULL},
    {"POST", "/api/v1/crossaudit/rounds", api_xa_plan, ADMIN, JSON, NULL},
    {"GET", "/api/v1/crossaudit/rounds/{id}", api_xa_round, ADMIN | AG_ROLE_BIT(AG_ROLE_REVIEWER),
     0, NULL},
    {"PUT", "/api/v1/crossaudit/rounds/{id}/assignments/{audited}", api_xa_assign, ADMIN, JSON,
     NULL},
    {"POST", "/api/v1/crossaudit/rounds/{id}/publish", api_xa_publish, ADMIN, 0, NULL},
    {"POST", "/api/v1/crossaudit/declarations", api_xa_declare, ADMIN | IMPORTERS, JSON, NULL},
    /* issue 14 §5 (liaison): the contact and visit log, the to-do (not cached: it moves with the
     * day), the bureau's cadence and the reminders */
    {"GET", "/api/v1/liaison/logs", api_liaison_logs, ALL, C, NULL},
    {"POST", "/api/v1/liaison/logs", api_liaison_log_add, ADMIN | AG_ROLE_BIT(AG_ROLE_LIAISON),
     JSON, NULL},
    {"GET", "/api/v1/liaison/todo", api_liaison_todo, ALL, 0, NULL},
    {"GET", "/api/v1/liaison/cadence", api_liaison_cadence, ALL, C, NULL},
    {"PUT", "/api/v1/liaison/cadence", api_liaison_cadence_put, ADMIN, JSON, NULL},
    {"POST", "/api/v1/liaison/remind", api_liaison_remind, ADMIN, JSON, NULL},
    /* issue 14 §3–§4 (soe): SOE groups and chief auditors, internal-audit bodies, training.
     * The use cases decide who acts for which group or unit. */
    {"GET", "/api/v1/soe/groups", api_soe_groups, ALL, C, NULL},
    {"GET", "/api/v1/soe/groups/{code}", api_soe_group, ALL, C, NULL},
    {"PUT", "/api/v1/soe/groups/{code}/chief-auditor", api_soe_chief_put, ADMIN, JSON, NULL},
    {"POST", "/api/v1/soe/groups/{code}/audits", api_soe_plan_audit,
     ADMIN | AG_ROLE_BIT(AG_ROLE_CHIEF_AUDITOR), JSON, NULL},
    {"POST", "/api/v1/soe/groups/{code}/quarterly", api_soe_quarterly,
     ADMIN | AG_ROLE_BIT(AG_ROLE_CHIEF_AUDITOR), JSON, NULL},
    {"GET", "/api/v1/units/{code}/ia-body", api_iabody, ALL, C, NULL},
    {"PUT", "/api/v1/units/{code}/ia-body", api_iabody_put, AUDITED, JSON, NULL},
    {"GET", "/api/v1/ia-bodies/missing", api_iabody_missing, ALL, C, NULL},
    {"GET", "/api/v1/training/sessions", api_training_sessions, ALL, C, NULL},
    {"POST", "/api/v1/training/sessions", api_training_add, ADMIN, JSON, NULL},
    {"POST", "/api/v1/training/sessions/{id}/attendance", api_training_attend, ADMIN, JSON, NULL},
    {"GET", "/api/v1/training/hours", api_training_hours, ALL, C, NULL},
    /* end issue 14 §3–§4 (soe) */
    /* issue 15 §1 (rating): the 0–5A grade; the domain decides who fills in and who reviews */
    {"GET", "/api/v1/rating/rubric", api_rating_rubric, ALL, 0, NULL},
    {"POST", "/api/v1/rating/rubric", api_rating_rubric_install, ADMIN, JSON, NULL},
    {"GET", "/api/v1/rating/years/{year}", api_rating_year, ALL, 0, NULL},
    {"POST", "/api/v1/rating/years/{year}/publish", api_rating_publish, ADMIN, 0, NULL},
    {"GET", "/api/v1/units/{code}/rating/{year}", api_rating_unit, ALL, 0, NULL},
    {"PUT", "/api/v1/units/{code}/rating/{year}/self", api_rating_self_put, AUDITED, JSON, NULL},
    {"POST", "/api/v1/units/{code}/rating/{year}/self/file", api_rating_self_file, AUDITED, 0,
     NULL},
    {"POST", "/api/v1/units/{code}/rating/{year}/review", api_rating_review, ADMIN, JSON, NULL},
    {"GET", "/api/v1/units/{code}/ratings", api_rating_history, ALL, 0, NULL},
    /* issue 15 §1 (rating): the grades of a year as XLSX (api_rating_export.c) */
    {"GET", "/api/v1/rating/years/{year}/export.xlsx", api_rating_export, ALL, 0, NULL},
    /* issue 15 §2 (assess): the performance assessment; the domain decides the stage's actor */
    {"GET", "/api/v1/assess/rubric", api_assess_rubric, ALL, C, NULL},
    {"POST", "/api/v1/assess/rubric", api_assess_rubric_install, ADMIN, JSON, NULL},
    {"GET", "/api/v1/assess/years/{year}", api_assess_year, ALL, C, NULL},
    {"POST", "/api/v1/assess/years/{year}/publish", api_assess_publish, ADMIN, 0, NULL},
    {"GET", "/api/v1/units/{code}/assess/{year}", api_assess_unit, ALL, C, NULL},
    {"PUT", "/api/v1/units/{code}/assess/{year}/self", api_assess_self,
     ADMIN | AG_ROLE_BIT(AG_ROLE_LEADER) | AG_ROLE_BIT(AG_ROLE_AUDITOR), JSON, NULL},
    {"POST", "/api/v1/units/{code}/assess/{year}/self/submit", api_assess_submit,
     ADMIN | AG_ROLE_BIT(AG_ROLE_LEADER) | AG_ROLE_BIT(AG_ROLE_AUDITOR), 0, NULL},
    {"POST", "/api/v1/units/{code}/assess/{year}/review", api_assess_review, DECIDERS, JSON, NULL},
    /* issue 15 §2 (assess): the year's results as XLSX (api_assess_export.c) */
    {"GET", "/api/v1/assess/years/{year}/export.xlsx", api_assess_export, ALL, 0, NULL},
    /* issue 16 (reports): the four reports (api_report.c); literal segments before {id}. The
     * domain decides the author side and the bureau; not cached: a report's actions and lateness
     * depend on the account and the day. */
    {"GET", "/api/v1/reports", api_reports, ALL, 0, NULL},
    {"POST", "/api/v1/reports", api_report_create, WRITERS, JSON, NULL},
    {"GET", "/api/v1/reports/risk", api_report_risk, ALL, 0, NULL},
    {"POST", "/api/v1/reports/remind", api_report_remind, ADMIN, JSON, NULL},
    {"GET", "/api/v1/reports/{id}", api_report, ALL, 0, NULL},
    {"GET", "/api/v1/reports/{id}/versions/{version}", api_report_version, ALL, 0, NULL},
    {"PUT", "/api/v1/reports/{id}/sections/{key}", api_report_section, WRITERS, JSON, NULL},
    {"POST", "/api/v1/reports/{id}/redraft", api_report_redraft, WRITERS, JSON, NULL},
    {"POST", "/api/v1/reports/{id}/file", api_report_file, WRITERS, JSON, NULL},
    {"POST", "/api/v1/reports/{id}/review", api_report_review, ADMIN, JSON, NULL},
    {"GET", "/api/v1/reports/{id}/score", api_report_score, ALL, 0, NULL},
    {"PUT", "/api/v1/reports/{id}/score", api_report_score_put, ADMIN, JSON, NULL},
    {"GET", "/api/v1/reports/{id}/export", api_report_export, ALL, 0, NULL},
    {"GET", "/api/v1/settings/report-weights", api_report_weights, ALL, C, NULL},
    {"PUT", "/api/v1/settings/report-weights", api_report_weights_put, ADMIN, JSON, NULL},
    {"GET", "/api/v1/settings/report-deadlines", api_report_deadlines, ALL, C, NULL},
    {"PUT", "/api/v1/settings/report-deadlines", api_report_deadlines_put, ADMIN, JSON, NULL},
};
const size_t http_api_route_count = sizeof http_api_routes / sizeof http_api_routes[0];

ag_err api_unit_in_scope(http_req *r, const char *code, ag_error *err)
{
    bool visible = false;
    ag_err rc = scope_unit_visible(http_store(r), &http_user(r)->scope, code, &visible, err);
    if (rc)
        return rc;
    if (!visible)
        return ag_fail(err, AG_ERR_NOTFOUND, "code", "单位 %s 不存在", "no unit %s", code);
    return AG_OK;
}

static void kstr_or_null(hj_writer *w, const char *k, const char *v)
{
    hj_kstr(w, k, v && *v ? v : NULL);
}

void api_write_user(hj_writer *w, const session_user *u)
{
    hj_obj_begin(w);
    hj_kint(w, "id", u->user_id);
    hj_kstr(w, "username", u->username);
    kstr_or_null(w, "display_name", u->display_name);
    hj_kstr(w, "role", u->role);
    kstr_or_null(w, "unit_code", u->unit_code);
    kstr_or_null(w, "cell_id", u->cell_id);
    /* The person the account is, so the UI knows its rows on audit teams. */
    if (u->person_id > 0)
        hj_kint(w, "person_id", u->person_id);
    else
        hj_kstr(w, "person_id", NULL);
    hj_obj_end(w);
}

bool api_parse_id(const char *s, int64_t *out)
{
    if (!s || !*s || strlen(s) > 18 || strspn(s, "0123456789") != strlen(s))
        return false;
    *out = strtoll(s, NULL, 10);
    return *out > 0;
}
