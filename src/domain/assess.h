/* assess.h - the internal-audit performance assessment (内审工作绩效考核, issue 15 §2): the
 * versioned rubric, the scores computed from the system's own data, the entered scores of the
 * self-assessment and the reviews (self → dept → bureau), ranks, publication. */
#ifndef AG_ASSESS_H
#define AG_ASSESS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/audit.h"
#include "store/store.h"
#include "util/error.h"

/* The rubric file's format tag (catalog/assess.json, docs/formats.md). */
#define ASSESS_FORMAT "auditgrid-assess-rubric/1"
/* Bounds of a rubric file and of what users enter. */
#define ASSESS_MAX_RUBRIC (256u << 10) /* bytes */
#define ASSESS_MAX_TEXT   2000         /* bytes of a basis, reason or note */
#define ASSESS_MAX_ITEMS  64           /* items in one save or review */
#define ASSESS_YEAR_MIN   2000
#define ASSESS_YEAR_MAX   2100

/* Scores are kept in half points (the smallest unit the rubric knows): x2 = points × 2. A
 * score is given to the outside as a JSON integer when whole, else as a number like 4.5. */
json_t *assess_score_json(int64_t x2);

/* ---- the rubric ------------------------------------------------------------------------ */

/* Checks rubric text (format ASSESS_FORMAT) and gives it in *out as a new JSON value. Fields
 * at fault are named in err->where with `name` (a file name, may be NULL) and the JSON path
 * ("groups[1].indicators[0].metric"): format; groups (non-empty, codes unique over groups
 * and indicators); a group's kind base | bonus | penalty; base groups' max positive and equal
 * to the sum of their indicators, 100 together; a bonus group's max is its cap; a penalty's
 * min negative; indicators' max (min for a penalty) multiples of 0.5; source data | entered;
 * a data indicator names a known metric and has basis_zh; names in both languages. */
ag_err assess_rubric_parse(const char *text, size_t len, const char *name, json_t **out,
                           ag_error *err);

/* Installs the rubric text as a new version (audited), unless it is the same text as the
 * latest version: then *version (may be NULL) is that one. `source` labels it (a file name).
 * The caller owns the transaction. */
ag_err assess_rubric_install(ag_store *st, const char *text, size_t len, const char *source,
                             int64_t *version, ag_error *err);
/* Installs the shipped rubric (catalog/assess.json, compiled in) when no version is installed;
 * *version (may be NULL) receives the latest version. The caller owns the transaction. */
ag_err assess_rubric_ensure(ag_store *st, int64_t *version, ag_error *err);

/* The rubric of `version` (0: the latest installed; the shipped one, version 0, when none
 * is): {version, source, note, installed_at, name_zh, name_en, params, groups: [{code, kind,
 * name_zh, name_en, max, min, indicators: [codes]}], indicators: [{code, group, group_name_zh,
 * kind, name_zh, name_en, max, min, source, metric, entered_by, basis_zh, basis_en}]}.
 * AG_ERR_NOTFOUND for a version not installed. Caller owns *out. */
ag_err assess_rubric_get(ag_store *st, int64_t version, json_t **out, ag_error *err);

/* ---- results ----------------------------------------------------------------------------- */

/* The roster of a year: the active pilot units plus every unit with an assessment row for the
 * year. A compute object: {unit, unit_name, cell_id, cell_name, state, total, items:
 * [{indicator, name_zh, group, score, max, min, source, basis, basis_en, computed, stage}],
 * rank_district, rank_cell}, where total is the sum of the items' scores (bonus and penalty
 * are items), ranks are competition ranks (equal totals share the rank: 1, 1, 3) over the
 * whole roster and over the units of the same cell, whatever the scope sees; state is none |
 * self | dept | bureau | published; an item's score is the latest stage's entered value
 * (stage "self" | "dept" | "bureau") or, without one, the value computed from data (computed,
 * null for an entered item) or 0; bonus items are capped together at the group's max (the
 * later items trimmed, saying so in basis). A published year answers from the results frozen
 * at publication. */

/* {year, published, published_at, published_by, rubric_version, counts: {none, self, dept,
 * bureau, published}, items: [compute objects, by rank then code]} of the roster units scope
 * may see (NULL: all), only those of cell when it is not NULL. Caller owns *out. */
ag_err assess_year_json(ag_store *st, const ag_scope *scope, int year, const char *cell,
                        json_t **out, ag_error *err);

/* One unit's assessment as actor may see it (AG_ERR_NOTFOUND outside its scope): {unit,
 * unit_name, cell_id, cell_name, year, state, draft (saved but not submitted), published,
 * rubric_version, result: compute object (the unit computed even when not on the roster),
 * entered: [{indicator, name_zh, score, basis, stage, updated_by, updated_at, self_score,
 * attachments: [{id, filename, bytes, mime}]}] (the entered indicators), history: [{at, by,
 * by_name, stage, indicator, from, to, reason}] (oldest first), stages: {saved_at, self_at,
 * self_by, dept_at, dept_by, dept_note, bureau_at, bureau_by, bureau_note}, can_self,
 * can_submit, can_dept, can_bureau}. Caller owns *out. */
ag_err assess_unit_json(ag_store *st, const audit_actor *a, const char *unit_code, int year,
                        json_t **out, ag_error *err);

/* ---- the stages (writes through the audited store; the caller owns the transaction) -------- */

/* One score given: the indicator's code, the score in points (a multiple of 0.5 within the
 * indicator's min..max), and its text: the basis (self) or the reason (reviews). attachment_ids
 * (self only, may be NULL): unowned attachments of the unit that become evidence of it. */
typedef struct assess_item_in {
    const char *indicator;
    double score;
    const char *text;
    const int64_t *attachment_ids;
    int nattachments;
} assess_item_in;

/* Saves the self-assessment's entered items of unit_code for year (a draft: the unit's state
 * stays none). Allowed: admin; the unit's leader or auditor (scope_unit_owned). Only entered
 * indicators the unit may enter (not entered_by bureau); a non-zero score needs a basis. A
 * changed score is written to the history with its basis as the reason. Refused once submitted
 * or published. Fields named: year, unit_code, items[i].indicator, items[i].score,
 * items[i].basis, items[i].attachment_ids. */
ag_err assess_self_save(ag_store *st, const audit_actor *a, const char *unit_code, int year,
                        const assess_item_in *items, int n, ag_error *err);
/* Submits the self-assessment (none → self). Same actors as assess_self_save. */
ag_err assess_self_submit(ag_store *st, const audit_actor *a, const char *unit_code, int year,
                          ag_error *err);
/* A review: stage "dept" (self → dept; the supervisor of the unit's cell, or admin) or
 * "bureau" (dept → bureau; admin). Each item sets an indicator's score; one that differs from
 * the score in force needs a reason (items[i].reason) and is recorded in the history from →
 * to; an equal one changes nothing. No items: accepted as it is. Only the bureau enters an
 * entered_by bureau indicator (the penalty). note (may be NULL) is kept with the stage. */
ag_err assess_review(ag_store *st, const audit_actor *a, const char *unit_code, int year,
                     const char *stage, const assess_item_in *items, int n, const char *note,
                     ag_error *err);
/* Publishes the year (admin): every roster unit must have its bureau score; the results of
 * all are frozen (assess_result) and the year is closed to changes. */
ag_err assess_publish(ag_store *st, const audit_actor *a, int year, ag_error *err);

/* The Chinese name of a state ("none" → 未自评, "self" → 已自评, "dept" → 部门已复核,
 * "bureau" → 审计局已审定, "published" → 已公布); the code itself when unknown. */
const char *assess_state_zh(const char *state);

#endif
