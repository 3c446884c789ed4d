/* report.h (app) - the four reports' user actions (issue 16: 年度内部审计计划, 审计报告,
 * 整改报告, 年度内部审计工作总结), each one transaction with its audit-log entries, for the
 * CLI (`auditgrid report`) and the server (/api/v1/reports/…). Every *out may be NULL;
 * on failure it is NULL. */
#ifndef AG_APP_REPORT_H
#define AG_APP_REPORT_H

#include <jansson.h>
#include <stdint.h>

#include "domain/report.h"
#include "domain/report_draft.h"

/* Builds a content document from the store (report_draft_build) and creates the
 * report with it as version 1 (report_create): kind plan|summary take unit_code +
 * year, audit|rectification take project_id. *out = report_get as a sees it. */
ag_err app_report_draft(ag_store *st, const audit_actor *a, const char *kind, int64_t project_id,
                        const char *unit_code, int year, json_t **out, ag_error *err);
/* Rebuilds the content from the store as a new version (report_save_doc), only
 * while the report is draft or returned. *out = report_get. */
ag_err app_report_redraft(ag_store *st, const audit_actor *a, int64_t id, json_t **out,
                          ag_error *err);
/* Replaces one section's blocks (report_save_section); base_version must be the
 * latest version (AG_ERR_EXISTS "version" otherwise; 0 skips the check). */
ag_err app_report_save_section(ag_store *st, const audit_actor *a, int64_t id, const char *key,
                               const json_t *blocks, int64_t base_version, json_t **out,
                               ag_error *err);
/* Files (or refiles) the report (report_file). *out = report_get. */
ag_err app_report_file(ag_store *st, const audit_actor *a, int64_t id, json_t **out, ag_error *err);
/* The bureau's review: action accept|return (return needs a comment); scores
 * (may be NULL) {code: points} are set first (report_score_set) in the same
 * transaction. *out = report_get. */
ag_err app_report_review(ag_store *st, const audit_actor *a, int64_t id, const char *action,
                         const char *comment, const json_t *scores, json_t **out, ag_error *err);
/* Sets reviewer points (admin); *out = report_score_get (the SCORE object). */
ag_err app_report_score_set(ag_store *st, const audit_actor *a, int64_t id, const json_t *scores,
                            json_t **out, ag_error *err);
/* Writes version `version` of the report's content as format docx|html|pdf to
 * path (html is written to a file too). version 0 means the filed version when
 * the report has ever been filed (filed_version), else the latest one. The read
 * is checked against a's scope (report_get / report_version_get); the file is
 * written after the read transaction ends, so a slow PDF conversion holds no
 * lock. */
ag_err app_report_export(ag_store *st, const audit_actor *a, int64_t id, int64_t version,
                         const char *format, const char *path, ag_error *err);
/* Same, but gives the version's content document (with the report's object in
 * *report, may be NULL) instead of writing: the server renders it itself.
 * Both outputs are NULL on failure. */
ag_err app_report_export_doc(ag_store *st, const audit_actor *a, int64_t id, int64_t version,
                             json_t **doc, json_t **report, ag_error *err);
/* Creates the late/missing notices as of ag_clock_today() (report_remind). */
ag_err app_report_remind(ag_store *st, int64_t *created, ag_error *err);
/* Sets the risk weights (admin; report_risk_weights_set); *out =
 * report_risk_weights_get ({weights, factors}). */
ag_err app_report_weights_set(ag_store *st, const audit_actor *a, const json_t *weights,
                              json_t **out, ag_error *err);
/* Sets the deadlines (admin; report_deadlines_set); *out = report_deadlines_get. */
ag_err app_report_deadlines_set(ag_store *st, const audit_actor *a, const json_t *in, json_t **out,
                                ag_error *err);

#endif
