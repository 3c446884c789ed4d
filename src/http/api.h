/* api.h - the handlers of API v1, one group per file (api_*.c); the route table is in api.c. */
#ifndef AG_HTTP_API_H
#define AG_HTTP_API_H

#include "domain/audit.h"
#include "http/http_internal.h"

/* api_session.c */
ag_err api_health(http_req *r, ag_error *err);
ag_err api_login_before(http_req *r, ag_error *err);
ag_err api_login(http_req *r, ag_error *err);
ag_err api_logout(http_req *r, ag_error *err);
ag_err api_me(http_req *r, ag_error *err);
ag_err api_session_get(http_req *r, ag_error *err); /* public probe: signed in or not (names) */

/* api_grid.c */
ag_err api_grid(http_req *r, ag_error *err);
ag_err api_units(http_req *r, ag_error *err);
ag_err api_unit(http_req *r, ag_error *err);
ag_err api_unit_persons(http_req *r, ag_error *err);
ag_err api_unit_create(http_req *r, ag_error *err);
ag_err api_person_create(http_req *r, ag_error *err);
ag_err api_catalog(http_req *r, ag_error *err);
ag_err api_ledger(http_req *r, ag_error *err);
ag_err api_import(http_req *r, ag_error *err);

/* api_lines.c: a unit's voucher lines, searched (to cite one as evidence) */
ag_err api_ledger_lines(http_req *r, ag_error *err);

/* api_warnings.c */
ag_err api_warnings(http_req *r, ag_error *err);
ag_err api_warning(http_req *r, ag_error *err);
ag_err api_triage(http_req *r, ag_error *err);
/* issue 12 §2 (warn): the share of dismissals sampled for review */
ag_err api_warning_settings(http_req *r, ag_error *err);
ag_err api_warning_settings_put(http_req *r, ag_error *err);
ag_err api_warning_rules(http_req *r, ag_error *err);

/* api_dashboard.c: the dashboard's figures over the user's scope */
ag_err api_dashboard(http_req *r, ag_error *err);

/* api_admin.c */
ag_err api_users(http_req *r, ag_error *err);
ag_err api_user_create(http_req *r, ag_error *err);
ag_err api_audit_log(http_req *r, ag_error *err);
ag_err api_audit_verify(http_req *r, ag_error *err);
ag_err api_user_update(http_req *r, ag_error *err);
ag_err api_user_disable(http_req *r, ag_error *err);
ag_err api_user_enable(http_req *r, ag_error *err);
ag_err api_unit_update(http_req *r, ag_error *err);
ag_err api_unit_disable(http_req *r, ag_error *err);
ag_err api_unit_enable(http_req *r, ag_error *err);
ag_err api_persons(http_req *r, ag_error *err);
ag_err api_person(http_req *r, ag_error *err);
ag_err api_person_add(http_req *r, ag_error *err);
ag_err api_person_update(http_req *r, ag_error *err);
ag_err api_person_disable(http_req *r, ag_error *err);
ag_err api_person_enable(http_req *r, ag_error *err);
ag_err api_subject_set(http_req *r, ag_error *err);
ag_err api_subject_remove(http_req *r, ag_error *err);
ag_err api_cells(http_req *r, ag_error *err);
ag_err api_cell_add(http_req *r, ag_error *err);
ag_err api_cell_update(http_req *r, ag_error *err);
ag_err api_cell_disable(http_req *r, ag_error *err);
ag_err api_cell_enable(http_req *r, ag_error *err);
ag_err api_liaison_add(http_req *r, ag_error *err);
ag_err api_liaison_remove(http_req *r, ag_error *err);

/* api_audit.c: audit projects, team, stage records, findings, evidence */
ag_err api_audits(http_req *r, ag_error *err);
ag_err api_audit(http_req *r, ag_error *err);
ag_err api_audit_create(http_req *r, ag_error *err);
ag_err api_audit_team(http_req *r, ag_error *err);
ag_err api_audit_record(http_req *r, ag_error *err);
ag_err api_audit_advance(http_req *r, ag_error *err);
ag_err api_audit_finding_add(http_req *r, ag_error *err);
ag_err api_finding(http_req *r, ag_error *err);
ag_err api_finding_update(http_req *r, ag_error *err);
ag_err api_finding_evidence(http_req *r, ag_error *err);
/* The {id} path parameter (api_path_id) and then the fields of a finding in the body, as
 * POST /audits/{id}/findings takes them (a supervision visit's finding has the same). */
ag_err api_path_finding(http_req *r, const char *what, int64_t *id, audit_finding_in *in,
                        ag_error *err);
/* The project's text fields of the body as POST /audits takes them (kind optional when not
 * need_kind: an SOE group's plan); the caller reads "items". */
ag_err api_read_project(http_req *r, audit_project_in *in, bool need_kind, ag_error *err);

/* api_rectify.c: the rectification ledger, exports, deadlines, notifications */
ag_err api_rectifications(http_req *r, ag_error *err);
ag_err api_rectify_summary(http_req *r, ag_error *err);
ag_err api_rectify_export(http_req *r, ag_error *err);
ag_err api_rectification(http_req *r, ag_error *err);
ag_err api_rectify_certificate(http_req *r, ag_error *err);
ag_err api_rectify_measures(http_req *r, ag_error *err);
ag_err api_rectify_progress(http_req *r, ag_error *err);
ag_err api_rectify_claim(http_req *r, ag_error *err);
ag_err api_rectify_verify(http_req *r, ag_error *err);
ag_err api_rectify_deadline(http_req *r, ag_error *err);
ag_err api_rectify_escalate(http_req *r, ag_error *err);
ag_err api_rectify_settings(http_req *r, ag_error *err);
ag_err api_rectify_settings_put(http_req *r, ag_error *err);
ag_err api_notifications(http_req *r, ag_error *err);
ag_err api_notification_read(http_req *r, ag_error *err);

/* api_attach.c: attachments */
/* issue 14 §1 (xaudit): cross-audit rounds (api_crossaudit.c) */
ag_err api_xa_rounds(http_req *r, ag_error *err);
ag_err api_xa_round(http_req *r, ag_error *err);
ag_err api_xa_plan(http_req *r, ag_error *err);
ag_err api_xa_assign(http_req *r, ag_error *err);
ag_err api_xa_publish(http_req *r, ag_error *err);
ag_err api_xa_declare(http_req *r, ag_error *err);

ag_err api_attach_upload(http_req *r, ag_error *err);
ag_err api_attachment(http_req *r, ag_error *err);
ag_err api_attachment_content(http_req *r, ag_error *err);

/* issue 14 §5 (liaison), api_liaison.c: the contact and visit log, to-do, cadence, reminders */
ag_err api_liaison_logs(http_req *r, ag_error *err);
ag_err api_liaison_log_add(http_req *r, ag_error *err);
ag_err api_liaison_todo(http_req *r, ag_error *err);
ag_err api_liaison_cadence(http_req *r, ag_error *err);
ag_err api_liaison_cadence_put(http_req *r, ag_error *err);
ag_err api_liaison_remind(http_req *r, ag_error *err);

/* issue 14 §2 (dept), api_guidance.c: guidance opinions, supervision visits, submissions and the
 * department view */
ag_err api_guidance_list(http_req *r, ag_error *err);
ag_err api_guidance_issue(http_req *r, ag_error *err);
ag_err api_guidance_get(http_req *r, ag_error *err);
ag_err api_guidance_reply(http_req *r, ag_error *err);
ag_err api_guidance_visits(http_req *r, ag_error *err);
ag_err api_guidance_visit_add(http_req *r, ag_error *err);
ag_err api_guidance_visit(http_req *r, ag_error *err);
ag_err api_guidance_visit_finding(http_req *r, ag_error *err);
ag_err api_submissions(http_req *r, ag_error *err);
ag_err api_submission_file(http_req *r, ag_error *err);
ag_err api_submission(http_req *r, ag_error *err);
ag_err api_submission_accept(http_req *r, ag_error *err);
ag_err api_submission_return(http_req *r, ag_error *err);
ag_err api_submission_refile(http_req *r, ag_error *err);
ag_err api_department(http_req *r, ag_error *err);

/* issue 14 §3–§4 (soe), api_soe.c: SOE groups and chief auditors, units' internal-audit bodies,
 * training sessions and hours */
ag_err api_soe_groups(http_req *r, ag_error *err);     /* GET  /soe/groups */
ag_err api_soe_group(http_req *r, ag_error *err);      /* GET  /soe/groups/{code} */
ag_err api_soe_chief_put(http_req *r, ag_error *err);  /* PUT  /soe/groups/{code}/chief-auditor */
ag_err api_soe_plan_audit(http_req *r, ag_error *err); /* POST /soe/groups/{code}/audits */
ag_err api_soe_quarterly(http_req *r, ag_error *err);  /* POST /soe/groups/{code}/quarterly */
ag_err api_iabody(http_req *r, ag_error *err);         /* GET  /units/{code}/ia-body */
ag_err api_iabody_put(http_req *r, ag_error *err);     /* PUT  /units/{code}/ia-body */
ag_err api_iabody_missing(http_req *r, ag_error *err); /* GET  /ia-bodies/missing */
ag_err api_training_sessions(http_req *r, ag_error *err); /* GET  /training/sessions */
ag_err api_training_add(http_req *r, ag_error *err);      /* POST /training/sessions */
/* POST /training/sessions/{id}/attendance */
ag_err api_training_attend(http_req *r, ag_error *err);
ag_err api_training_hours(http_req *r, ag_error *err); /* GET  /training/hours */

/* Shared by the workflow handlers (api_wf.c). */
/* The workflow actor of the signed-in user and the text its name borrows. */
typedef struct api_actor_buf {
    audit_actor actor;
    char name[128];
} api_actor_buf;
/* Fills b with the signed-in user's scope and "user:<name>"; the returned
 * actor lives in b (b->actor.name points into b). */
const audit_actor *api_actor(http_req *r, api_actor_buf *b);
/* Writes v as the response body with this status (amounts in yuan);
 * consumes the reference. */
void api_reply_json(http_req *r, int status, json_t *v);
/* Answers with the page list ({total, items}, consumed) as {total, page, per_page, items}, or,
 * when rc is set, frees list and passes rc on. */
ag_err api_reply_page(http_req *r, ag_err rc, json_t *list, int64_t page, int64_t per_page);
/* A domain getter of one object by id as a scope may see it
 * (audit_project_get, audit_finding_get, rectify_get, rectify_notification_get,
 * attach_get). */
typedef ag_err (*api_get_fn)(ag_store *st, int64_t id, const ag_scope *scope, json_t **out,
                             ag_error *err);
/* Answers with object id as the signed-in user may see it, with this status. */
ag_err api_reply_get(http_req *r, int status, api_get_fn get, int64_t id, ag_error *err);
/* Answers 200 with the object the {id} path parameter names (see api_path_id). */
ag_err api_get_by_id(http_req *r, const char *what, api_get_fn get, ag_error *err);
/* What the signed-in user may do now with the record id: its transition
 * table's actions (audit_actions, rectify_actions). */
typedef ag_err (*api_actions_fn)(ag_store *st, const audit_actor *a, int64_t id, json_t **out,
                                 ag_error *err);
/* Answers 200 with the object the {id} path parameter names and its
 * "actions" for the signed-in user (issue 13 §4). */
ag_err api_get_with_actions(http_req *r, const char *what, api_get_fn get, api_actions_fn actions,
                            ag_error *err);
/* The {id} path parameter as a positive id; otherwise AG_ERR_NOTFOUND naming
 * `what` ("audit", "finding", "rectification", "notification", "guidance", "visit",
 * "submission"; anything else is named an attachment). */
ag_err api_path_id(http_req *r, const char *what, int64_t *id, ag_error *err);
/* The {year} path parameter of the rated and assessed years (rating, assess): min..max, otherwise
 * AG_ERR_NOTFOUND naming year. */
ag_err api_path_year(http_req *r, int min, int max, int *year, ag_error *err);
/* An integer field of the body in [lo, hi]; absent is fine unless required
 * (then *out is left alone). */
ag_err api_body_int(http_req *r, const char *key, bool required, int64_t lo, int64_t hi,
                    int64_t *out, ag_error *err);
/* An optional array of positive ids (at most 50) of the body. Caller frees
 * *ids (NULL when absent). */
ag_err api_body_ids(http_req *r, const char *key, int64_t **ids, int *n, ag_error *err);
/* One field of a request body, read in order by api_body_read: a string of at most hi bytes
 * into *str, or, when str is NULL, an integer from lo to hi into *num (left alone when
 * absent). A blank_null string that is "" reads as absent (a cleared form field). */
typedef struct api_field {
    const char *key;
    bool required;
    const char **str;
    int64_t *num;
    int64_t lo, hi;
    bool blank_null;
} api_field;
/* A string field of at most max bytes. */
static inline api_field api_str(const char *key, bool required, int64_t max, const char **out)
{
    return (api_field){key, required, out, NULL, 0, max, false};
}
/* An optional string field of at most max bytes where "" is absent. */
static inline api_field api_opt_str(const char *key, int64_t max, const char **out)
{
    return (api_field){key, false, out, NULL, 0, max, true};
}
/* An integer field from lo to hi. */
static inline api_field api_int(const char *key, bool required, int64_t lo, int64_t hi,
                                int64_t *out)
{
    return (api_field){key, required, NULL, out, lo, hi, false};
}
/* A positive id field. */
static inline api_field api_id(const char *key, bool required, int64_t *out)
{
    return api_int(key, required, 1, INT64_MAX, out);
}
/* The end of a list of fields. */
static inline api_field api_end(void)
{
    return (api_field){NULL, false, NULL, NULL, 0, 0, false};
}
/* Refuses keys of the body not in the NULL-terminated keys (not checked when keys is NULL),
 * then reads the fields up to api_end(); the first refusal stops. */
ag_err api_body_read(http_req *r, const char *const *keys, const api_field *fields, ag_error *err);
/* The {id} path parameter (api_path_id), then the body (api_body_read). */
ag_err api_path_body(http_req *r, const char *what, int64_t *id, const char *const *keys,
                     const api_field *fields, ag_error *err);
/* A domain list of the page asked for (limit, offset); the function reads its own filters
 * from the query. */
typedef ag_err (*api_list_fn)(http_req *r, int64_t limit, int64_t offset, json_t **out,
                              ag_error *err);
/* Runs fn over the page and per_page asked for (both left in *page and *per); *list is fn's. */
ag_err api_list_run(http_req *r, api_list_fn fn, int64_t *page, int64_t *per, json_t **list,
                    ag_error *err);
/* Answers fn's list ({total, items}) of the page asked for as {total, page, per_page, items}. */
ag_err api_list_page(http_req *r, api_list_fn fn, ag_error *err);
/* The same with every "amount" in yuan (wf_amounts_to_yuan). */
ag_err api_list_page_yuan(http_req *r, api_list_fn fn, ag_error *err);
/* Answers with v (consumed) as api_reply_json does unless rc is set; passes rc on. */
ag_err api_reply_result(http_req *r, ag_err rc, int status, json_t *v);
/* A domain view over the signed-in user's scope (rectify_summary, iabody_missing). */
typedef ag_err (*api_scope_fn)(ag_store *st, const ag_scope *scope, json_t **out, ag_error *err);
/* Answers 200 with the view of the signed-in user's scope. */
ag_err api_reply_scoped(http_req *r, api_scope_fn view, ag_error *err);
/* True when v is one of the n names. */
bool api_one_of(const char *v, const char *const *names, int n);
/* api_attach.c: adds Content-Disposition: attachment with the file name in both forms of
 * RFC 6266: an ASCII fallback and the UTF-8 name percent-encoded per RFC 5987. */
void api_content_disposition(http_req *r, const char *filename);
/* The same for a file shown in the browser (Content-Disposition: inline), e.g. a report's print
 * view. */
void api_content_disposition_inline(http_req *r, const char *filename);
/* api_attach.c: an XLSX download. write makes the file at path (a private folder of the server's
 * temporary directory); it is then opened, unlinked with its folder and served from the open
 * descriptor as download_name, so nothing is left behind whatever happens to the download. */
typedef ag_err (*api_file_writer)(const char *path, void *ctx, ag_error *err);
ag_err api_serve_xlsx(http_req *r, const char *download_name, api_file_writer write, void *ctx,
                      ag_error *err);

/* issue 13 (usecase): rescanning a unit (api_scan.c). */
ag_err api_unit_scan_before(http_req *r, ag_error *err);
ag_err api_unit_scan(http_req *r, ag_error *err);
ag_err api_unit_scan_status(http_req *r, ag_error *err);

/* Shared by the handlers (api.c). */
/* AG_ERR_NOTFOUND unless the unit exists and is in the user's scope; the
 * message is the same either way. */
ag_err api_unit_in_scope(http_req *r, const char *code, ag_error *err);
/* Writes the signed-in user as an object (no secrets). */
void api_write_user(hj_writer *w, const session_user *u);
/* A positive integer path or query value; false for junk. */
bool api_parse_id(const char *s, int64_t *out);

/* issue 15 §1 (rating), api_rating.c: the 0–5A internal-control grade */
ag_err api_rating_rubric(http_req *r, ag_error *err);         /* GET  /rating/rubric */
ag_err api_rating_rubric_install(http_req *r, ag_error *err); /* POST /rating/rubric */
ag_err api_rating_year(http_req *r, ag_error *err);           /* GET  /rating/years/{year} */
ag_err api_rating_publish(http_req *r, ag_error *err);   /* POST /rating/years/{year}/publish */
ag_err api_rating_unit(http_req *r, ag_error *err);      /* GET  /units/{code}/rating/{year} */
ag_err api_rating_history(http_req *r, ag_error *err);   /* GET  /units/{code}/ratings */
ag_err api_rating_self_put(http_req *r, ag_error *err);  /* PUT  …/rating/{year}/self */
ag_err api_rating_self_file(http_req *r, ag_error *err); /* POST …/rating/{year}/self/file */
ag_err api_rating_review(http_req *r, ag_error *err);    /* POST …/rating/{year}/review */
/* issue 15 §1 (rating): GET /rating/years/{year}/export.xlsx (api_rating_export.c). */
ag_err api_rating_export(http_req *r, ag_error *err);
/* issue 15 §2 (assess), api_assess.c: the performance assessment */
ag_err api_assess_rubric(http_req *r, ag_error *err);         /* GET  /assess/rubric */
ag_err api_assess_rubric_install(http_req *r, ag_error *err); /* POST /assess/rubric */
ag_err api_assess_year(http_req *r, ag_error *err);           /* GET  /assess/years/{year} */
ag_err api_assess_publish(http_req *r, ag_error *err); /* POST /assess/years/{year}/publish */
ag_err api_assess_unit(http_req *r, ag_error *err);    /* GET  /units/{code}/assess/{year} */
ag_err api_assess_self(http_req *r, ag_error *err);    /* PUT  /units/{code}/assess/{year}/self */
/* POST /units/{code}/assess/{year}/self/submit */
ag_err api_assess_submit(http_req *r, ag_error *err);
ag_err api_assess_review(http_req *r, ag_error *err); /* POST /units/{code}/assess/{year}/review */
/* issue 15 §2 (assess), api_assess_export.c: GET /assess/years/{year}/export.xlsx[?cell=] */
ag_err api_assess_export(http_req *r, ag_error *err);
/* issue 16 (reports), api_report.c: the four reports, their risk ranking, settings, reminders */
ag_err api_reports(http_req *r, ag_error *err);          /* GET  /reports */
ag_err api_report_create(http_req *r, ag_error *err);    /* POST /reports */
ag_err api_report_risk(http_req *r, ag_error *err);      /* GET  /reports/risk?unit=&year= */
ag_err api_report_remind(http_req *r, ag_error *err);    /* POST /reports/remind */
ag_err api_report(http_req *r, ag_error *err);           /* GET  /reports/{id} */
ag_err api_report_version(http_req *r, ag_error *err);   /* GET  /reports/{id}/versions/{version} */
ag_err api_report_section(http_req *r, ag_error *err);   /* PUT  /reports/{id}/sections/{key} */
ag_err api_report_redraft(http_req *r, ag_error *err);   /* POST /reports/{id}/redraft */
ag_err api_report_file(http_req *r, ag_error *err);      /* POST /reports/{id}/file */
ag_err api_report_review(http_req *r, ag_error *err);    /* POST /reports/{id}/review */
ag_err api_report_score(http_req *r, ag_error *err);     /* GET  /reports/{id}/score */
ag_err api_report_score_put(http_req *r, ag_error *err); /* PUT  /reports/{id}/score */
ag_err api_report_export(http_req *r, ag_error *err);    /* GET  /reports/{id}/export?format= */
ag_err api_report_weights(http_req *r, ag_error *err);   /* GET  /settings/report-weights */
ag_err api_report_weights_put(http_req *r, ag_error *err);   /* PUT  /settings/report-weights */
ag_err api_report_deadlines(http_req *r, ag_error *err);     /* GET  /settings/report-deadlines */
ag_err api_report_deadlines_put(http_req *r, ag_error *err); /* PUT /settings/report-deadlines */

#endif
