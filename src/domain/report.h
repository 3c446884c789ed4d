/* report.h - the four reports (四类报告, issue 16): the annual internal-audit plan
 * (年度内部审计计划), the audit report (审计报告), the rectification report (整改报告) and the
 * annual work summary (年度内部审计工作总结). Each is a versioned structured content document
 * (format "auditgrid-report/1", docs/formats.md) drafted from the store, edited section by section,
 * filed to the bureau (报备), returned with comments or accepted, and scored on seven criteria. */
#ifndef AG_REPORT_H
#define AG_REPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/audit.h"
#include "domain/scope.h"
#include "store/store.h"
#include "util/error.h"

#define REPORT_FORMAT      "auditgrid-report/1"
#define REPORT_TITLE_MAX   200        /* bytes */
#define REPORT_TEXT_MAX    65536      /* bytes of one block text or field text */
#define REPORT_COMMENT_MAX 2000       /* bytes of a review comment */
#define REPORT_DOC_MAX     (4u << 20) /* bytes of a serialised content document */
#define REPORT_YEAR_MIN    2000
#define REPORT_YEAR_MAX    2100

/* ---- kinds and sections ------------------------------------------------------ */

/* A section of a kind's document: its key, heading, whether a filed report
 * must have content there, and whether the audited unit may edit it (the
 * audit report's `response`, 被审计单位书面意见). */
typedef struct report_section_def {
    const char *key, *heading_zh, *heading_en;
    bool required;
    bool audited_edits;
} report_section_def;

/* The sections of kind in document order, *n their number (may be NULL); NULL
 * (and *n = 0) for an unknown kind. */
const report_section_def *report_sections(const char *kind, int *n);
/* The section `key` of kind, NULL when unknown. */
const report_section_def *report_section_find(const char *kind, const char *key);

/* "plan", "audit", "rectification", "summary". */
extern const char *const report_kinds[];
extern const int report_kind_count;
bool report_kind_valid(const char *kind);
/* True for the kinds of a project (audit, rectification); false for a unit's
 * year (plan, summary). */
bool report_kind_is_project(const char *kind);

/* "draft", "filed", "returned", "accepted". */
extern const char *const report_states[];
extern const int report_state_count;

/* Chinese (and English) names of kinds, states and actions; an unknown code is
 * returned as it is, NULL as "". */
const char *report_kind_zh(const char *kind);
const char *report_kind_en(const char *kind);
const char *report_state_zh(const char *state);
const char *report_state_en(const char *state);
const char *report_action_zh(const char *action); /* file 报备, accept 采纳, return 退回 */
const char *report_action_en(const char *action);

/* The life of a report: draft -file-> filed, filed -accept-> accepted,
 * filed -return-> returned, returned -file-> filed. who: "author" (the
 * author side) or "bureau" (admin). */
typedef struct report_transition {
    const char *from, *action, *to, *who;
} report_transition;
extern const report_transition report_transitions[];
extern const int report_transition_count;

/* ---- the content document ---------------------------------------------------- */

/* Checks the shape of a content document (format, kind, title, date, sections
 * known for the kind with their blocks p/h2/h3/table/item). AG_ERR_INPUT with
 * the field named: "sections[2].blocks[0].type". */
ag_err report_doc_check(const json_t *doc, ag_error *err);

/* True when the section (a member of doc's sections) has content: a block
 * with non-blank text, a table with a row, or an item with a non-blank field. */
bool report_section_has_content(const json_t *section);

/* ---- reports ------------------------------------------------------------------ */

/* Creates a report in state draft with doc (checked; its kind must be kind) as
 * version 1. Project kinds name project_id (unit_code then is the project's
 * audited unit, year the project's year); unit kinds name unit_code + year.
 * One report per (kind, project) or (kind, unit, year): AG_ERR_EXISTS naming
 * the existing id otherwise. Allowed: the author side (see report_get's
 * actions). Audited insert; the caller owns the transaction. *id may be NULL. */
ag_err report_create(ag_store *st, const audit_actor *a, const char *kind, int64_t project_id,
                     const char *unit_code, int year, const json_t *doc, int64_t *id,
                     ag_error *err);

/* The report object (docs/api.md): id, kind, kind_zh, unit_code, unit_name,
 * project_id, project_code, project_name, year, title, state, state_zh,
 * version, filed_version, filed_at, due, late, response_due, created_by,
 * created_by_name, created_at, submission, content, versions (newest first),
 * comments, score, actions, editable, editable_sections. AG_ERR_NOTFOUND when
 * absent or out of the actor's scope. Caller owns *out. */
ag_err report_get(ag_store *st, const audit_actor *a, int64_t id, json_t **out, ag_error *err);

/* {report_id, version, author, author_name, created_at, filed: bool, content};
 * version 0 = the latest. AG_ERR_NOTFOUND naming "version" for an unknown one. */
ag_err report_version_get(ag_store *st, const audit_actor *a, int64_t id, int64_t version,
                          json_t **out, ag_error *err);

/* A new version = the latest content with section key's blocks replaced.
 * base_version must be the latest (else AG_ERR_EXISTS naming "version": 报告已被他人修改);
 * 0 skips the check. Only in draft or returned; the audited unit only the
 * `response` of an audit report. *version (may be NULL) receives the new one. */
ag_err report_save_section(ag_store *st, const audit_actor *a, int64_t id, const char *key,
                           const json_t *blocks, int64_t base_version, int64_t *version,
                           ag_error *err);

/* A new version with the whole content doc (a redraft); the author side only,
 * draft or returned only. */
ag_err report_save_doc(ag_store *st, const audit_actor *a, int64_t id, const json_t *doc,
                       int64_t *version, ag_error *err);

/* Files (or refiles) the report: freezes the latest version (filed_version),
 * filed_at = now, first_filed_at kept from the first filing. Every required
 * section must have content (AG_ERR_INPUT naming "sections.<key>"). For plan
 * also files a submission 'annual_plan' (period "YYYY", ref_kind 'report',
 * ref_id) to the unit's department cell (else the bureau); on refile the
 * existing submission is refiled when it was returned. */
ag_err report_file(ag_store *st, const audit_actor *a, int64_t id, ag_error *err);

/* The bureau (admin) decides a filed report: action "accept" or "return" (a
 * return needs a comment, AG_ERR_INPUT naming "comment"). The comment is kept
 * in report_comment with the filed version. */
ag_err report_review(ag_store *st, const audit_actor *a, int64_t id, const char *action,
                     const char *comment, ag_error *err);

typedef struct report_filter {
    const char *kind, *state, *unit_code; /* NULL/"": any */
    int year;                             /* 0: any */
    bool queue;                           /* the bureau's queue: state filed, oldest filing first */
    bool late;                            /* only late ones */
    int64_t limit, offset;                /* limit 0: 100, at most 1000 */
} report_filter;

/* {total, items: [list item]} of the reports of the units in scope (scope NULL:
 * all). A list item is the report object without content, versions and
 * comments, and with score_total (number|null) instead of score. Caller owns *out. */
ag_err report_list(ag_store *st, const ag_scope *scope, const report_filter *f, json_t **out,
                   ag_error *err);

/* ---- deadlines ------------------------------------------------------------------ */

/* The due day of report id (day number, util/date.h), 0 when not yet known. */
ag_err report_due(ag_store *st, int64_t id, int32_t *due, ag_error *err);

/* The due day of a report that may not exist yet: kind with project_id or
 * unit_code + year; 0 when not yet known. */
ag_err report_due_for(ag_store *st, const char *kind, int64_t project_id, int year, int32_t *due,
                      ag_error *err);

/* Notices (audience the unit's leader and the bureau) for each report late or
 * missing past its due date, once per report (or missing report) and due day;
 * idempotent. *created (may be NULL): how many notices were written. */
ag_err report_remind(ag_store *st, int32_t today, int64_t *created, ag_error *err);

/* {late, queue, returned, due_soon} of the units in scope (NULL: all) for the
 * dashboard (its JSON key "reports"). due_soon: unfiled reports due within 14 days. */
ag_err report_figures(ag_store *st, const ag_scope *scope, int32_t today, json_t **out,
                      ag_error *err);

/* {plan_due:"01-31", summary_due:"01-31", audit_days:30, rect_days:60}. */
ag_err report_deadlines_get(ag_store *st, json_t **out, ag_error *err);
/* Stores the given keys (any subset), validated (MM-DD a real day of a non-leap
 * year; days 1..365), AG_ERR_INPUT naming the key. Audited (setting). */
ag_err report_deadlines_set(ag_store *st, const json_t *in, ag_error *err);

/* ---- scoring (report_score.c) -------------------------------------------------- */

#define REPORT_SCORE_CRITERIA 7

/* The automatic score of a content document, or of a report object (its
 * content; the reviewer's stored points of the scored version override):
 * SCORE = {version, total, criteria:[{code, name_zh, name_en, max, points|null,
 * auto, basis_zh, basis_en, by|null}]}. st may be NULL for a bare document
 * (the `use` criterion then counts findings tracked in the document's
 * rectification items as given). Caller owns *out. */
ag_err report_score_compute(ag_store *st, const json_t *report_obj_or_doc, json_t **out,
                            ag_error *err);
/* The score of report id: its filed version (latest while never filed) with
 * the reviewer's points. */
ag_err report_score_get(ag_store *st, const audit_actor *a, int64_t id, json_t **out,
                        ag_error *err);
/* Stores reviewer points {code: points} (0..max; null removes) for the scored
 * version. Admin only; audited. */
ag_err report_score_set(ag_store *st, const audit_actor *a, int64_t id, const json_t *scores,
                        ag_error *err);
/* The total (0-100) of report id's score, *has false when it has no version. */
ag_err report_score_total(ag_store *st, int64_t id, double *total, bool *has, ag_error *err);

#endif
