/* report_draft.h - the first drafts of the four reports (四类报告, issue 16): a content document
 * ("auditgrid-report/1", docs/formats.md) for a plan, an audit report, a rectification report or
 * a year's summary, every section filled from the store; and the risk ranking (风险评估与排序)
 * the annual plan proposes its projects from, with its editable factor weights. */
#ifndef AG_REPORT_DRAFT_H
#define AG_REPORT_DRAFT_H

#include <jansson.h>
#include <stdint.h>

#include "domain/audit.h"
#include "store/store.h"
#include "util/error.h"

/* The risk factors' count and the settings prefix of their weights (report_risk_<code>). */
#define REPORT_RISK_NFACTORS   6
#define REPORT_RISK_WEIGHT_MAX 100

/* A content document of kind plan|summary (unit_code + year) or audit|rectification
 * (project_id; unit and year are the project's), every section of report_sections(kind)
 * filled from the store as of today (ag_clock_today). AG_ERR_INPUT naming "kind" for an
 * unknown kind, AG_ERR_NOTFOUND naming "project_id" / "unit_code" when missing. The actor is
 * not checked here (the caller does); it names nobody in the text. Caller owns *doc. */
ag_err report_draft_build(ag_store *st, const audit_actor *a, const char *kind, int64_t project_id,
                          const char *unit_code, int year, json_t **doc, ag_error *err);

/* The risk ranking of unit_code's audit objects for year with weights (NULL: the stored
 * ones; otherwise {code: int 0..100}, missing codes keep the stored weight):
 *   {unit_code, unit_name, year, basis: "units"|"areas", weights: {code: int},
 *    factors: [{code, name_zh, name_en, weight, default}],
 *    entries: [{rank, code, name, score, factors: {code: {raw, norm, points}},
 *               reason_zh, reason_en}]}
 * Entries are the unit and its subordinate units (basis units) when it has any, else the
 * catalog items of the unit itself (basis areas; grade and funds then have norm null).
 * Each raw value is normalised over the entries (divided by the largest, all 0 → 0; grade:
 * (5 − level)/5, unrated as level 0; years: min(y, 5)/5, never audited as 5), points =
 * weight × norm, score = Σ points / Σ weights of the applicable factors × 100 (2 decimals);
 * ranked by score, then code. Caller owns *out. */
ag_err report_risk_rank(ag_store *st, const char *unit_code, int year, const json_t *weights,
                        json_t **out, ag_error *err);

/* The stored weights: {weights: {code: int}, factors: [{code, name_zh, name_en, weight,
 * default}]}. Caller owns *out. */
ag_err report_risk_weights_get(ag_store *st, json_t **out, ag_error *err);

/* Stores the weights given ({code: int 0..100}; unknown codes and out-of-range values are
 * AG_ERR_INPUT naming "weights.<code>") under
 * settings report_risk_<code>; audited (setting_put_int). The weights need not sum to 100. */
ag_err report_risk_weights_set(ag_store *st, const json_t *weights, ag_error *err);

#endif
