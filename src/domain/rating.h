/* rating.h - the 0–5A internal-control grade (内控质量0–5A分级评级, issue 15 §1): the versioned
 * rubric, the units' self-evaluations and the bureau's review, deductions from the system's own
 * findings, rectifications and internal-audit set-up, grades, vetoes and the frozen years. */
#ifndef AG_RATING_H
#define AG_RATING_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/audit.h"
#include "store/store.h"
#include "util/error.h"

#define RATING_FORMAT      "auditgrid-rating-rubric/1"
#define RATING_YEAR_MIN    2000
#define RATING_YEAR_MAX    2100
#define RATING_MAX_POINTS  200 /* evaluation points in a rubric */
#define RATING_NOTE_MAX    2000
#define RATING_REASON_MAX  1000
#define RATING_MAX_ANSWERS RATING_MAX_POINTS
#define RATING_MAX_ATTACH  20 /* attachments claimed per answer in one save */

/* ---- the rubric (format "auditgrid-rating-rubric/1", docs/formats.md) ------
 * Scores are kept in hundredths of a point ("_c" integers) and shown as
 * numbers with at most two decimals. */

/* Checks a rubric document: format; indicators (unique codes, level unit or
 * business, points = the sum of their points_list, each point with a unique
 * code, names and points > 0; the indicators total 100); item_map entries
 * naming known indicators and points; deductions (major, ordinary >= 0,
 * repeat_multiplier >= 1, overdue.deduct, iabody.{indicator,point,body,group});
 * bands (grades with levels 1-5, min 0-100, strictly decreasing, the last at
 * 0); five_a; vetoes (codes major_incident | no_system | not_filed or any
 * code with a known kind: finding, zero_indicator, not_filed); self_eval_due
 * (MM-DD of the year after the rated one). Errors name the field
 * ("rating.json:indicators[2].points") in both languages, AG_ERR_INPUT.
 * *doc (may be NULL) receives the parsed document; caller owns it. */
ag_err rating_rubric_parse(const char *text, size_t len, const char *name, json_t **doc,
                           ag_error *err);
/* Installs a rubric (validated as above) as a new version, every time: the
 * shipped default first when none is installed yet, so the default is always
 * version 1. Audited insert; the caller owns the transaction. *version (may
 * be NULL) receives the new version. */
ag_err rating_rubric_install(ag_store *st, const char *text, size_t len, const char *name,
                             int64_t *version, ag_error *err);
/* Installs the shipped catalog/rating.json (compiled in) as version 1 when no
 * rubric is installed; otherwise nothing. *version: the latest version. */
ag_err rating_rubric_install_default(ag_store *st, int64_t *version, ag_error *err);
/* The rubric of version (0: the latest) as {version, installed_at,
 * installed_by, source, note, note_en, indicators, item_map, deductions,
 * bands, five_a, vetoes, self_eval_due, total_points}. While nothing is
 * installed, version 0 or 1 answers the shipped default as version 1 with
 * installed_at null (it becomes version 1 on the first write). An unknown
 * version is AG_ERR_NOTFOUND naming "version". Caller owns *out. */
ag_err rating_rubric_get(ag_store *st, int64_t version, json_t **out, ag_error *err);

/* ---- the pure arithmetic ----------------------------------------------------
 * facts (what rating_facts gathers; tests build them by hand):
 *   {unit, year, today: "YYYY-MM-DD",
 *    self: {state: none|draft|filed, late: bool, answers: {point: score_c},
 *           inapplicable: [indicator]},
 *    adjustments: {point: score_c},            the bureau's review
 *    due_passed: bool,                          today is after the due date
 *    findings: [{id, item, severity, repeat_of, title, project_code,
 *                rect_id, rect_state}],         confirmed findings of the year
 *    rectifications: [{id, finding_id, item, severity, title, state,
 *                deadline, overdue: bool, due: bool}],  items of findings of
 *                                               years up to the rated one
 *    iabody_missing: ["body", "leader", …]}    as iabody_missing gives them
 * The result (the compute object of the API and of `rating compute`):
 *   {unit, year, rubric_version, state: "pending"|"graded",
 *    score (2 decimals; null when pending), applicable (100 − inapplicable
 *    points), raw (the applicable indicators' sum before rescaling), level
 *    (0-5, null when pending), grade ("5A".."1A", "0", null when pending),
 *    veto (null or the reason in Chinese), veto_code,
 *    deductions: [{indicator, point, deduct, reason, reason_en, kind:
 *      finding|overdue|iabody, capped: bool, evidence: {kind, id,
 *      finding_id, rectification_id, project_code, title}}],
 *    indicators: [{code, name_zh, points, applicable, answered, deducted,
 *      score}],
 *    special: [{kind: veto|major_event|five_a_fail, code, name_zh, name_en,
 *      reason}]}
 * Rules: an answer is the self-evaluation's score of a point, replaced by the
 * review's adjustment when there is one; unanswered points score 0. A
 * finding deducts major (severity high) or ordinary points under its item's
 * indicator and point (item_map), times repeat_multiplier when it is a repeat
 * offence (repeat_of); an overdue open rectification deducts overdue.deduct;
 * a missing internal-audit body deducts iabody.body and a working group with
 * an empty place iabody.group, under iabody.indicator. An indicator's
 * deductions together are capped at its points and its score never goes below
 * 0. Inapplicable indicators (only those that may_be_inapplicable) are left
 * out with their deductions: score = raw ÷ applicable × 100, rounded to
 * hundredths. Band by score; 5A also needs no major finding of the year whose
 * rectification is not closed (no_open_major) and every rectification due by
 * today closed (due_rectifications_closed), else 4A with a five_a_fail
 * special item naming why. A veto gives level 0, grade "0": a confirmed
 * finding of the veto's severity on one of its items (major_incident), the
 * indicator's answers summing to 0 (no_system), no self-evaluation filed by
 * the due date or filed after it (not_filed). Not filed while the due date is
 * still ahead: state "pending". */
ag_err rating_compute(const json_t *rubric, const json_t *facts, json_t **out, ag_error *err);

/* Rounds a score given as text or a JSON number ("87.5", 4) to hundredths:
 * false when it is not a number, negative, or has more than two decimals. */
bool rating_score_parse(const json_t *v, int64_t *score_c);

/* ---- the store ---------------------------------------------------------- */

/* The year's rubric version, due date and publication: {year, rubric_version,
 * self_eval_due, published (bool), published_at, published_by, started
 * (bool: the year row exists)}. A year never started answers the latest
 * rubric and its due date. Caller owns *out. */
ag_err rating_year_info(ag_store *st, int year, json_t **out, ag_error *err);
/* Starts the year (its row) with the latest rubric when it has none; the
 * shipped default is installed first when no rubric is. *version (may be
 * NULL) receives the year's rubric version. Caller owns the transaction. */
ag_err rating_year_start(ag_store *st, int year, int64_t *version, ag_error *err);

/* Gathers the facts of unit_code for year (see rating_compute) as of today. */
ag_err rating_facts(ag_store *st, const char *unit_code, int year, json_t **out, ag_error *err);

/* The compute object of one unit: the frozen result of a published year,
 * else computed now with the year's rubric. The unit is not scope-checked.
 * AG_ERR_NOTFOUND for no such unit. Caller owns *out. */
ag_err rating_unit_result(ag_store *st, const char *unit_code, int year, json_t **out,
                          ag_error *err);

/* The compute objects of the year's roster (active pilot units and every unit
 * with a self-evaluation of the year; a published year: its frozen units) in
 * scope (NULL: all), by unit code, as a JSON array. unit_code (may be NULL)
 * computes that one unit only (any unit; AG_ERR_NOTFOUND when missing or out
 * of scope). Caller owns *out. */
ag_err rating_compute_year(ag_store *st, const ag_scope *scope, int year, const char *unit_code,
                           json_t **out, ag_error *err);

/* The year object of GET /rating/years/{year}: {year, published,
 * published_at, published_by, rubric_version, self_eval_due, counts: {"5A",
 * "4A", "3A", "2A", "1A", "0", pending}, items: [compute object + unit_name,
 * cell_id, cell_name, self_state, review_state, filed_at, late]} over the
 * units of the roster in scope (NULL: all). Caller owns *out. */
ag_err rating_year_json(ag_store *st, const ag_scope *scope, int year, json_t **out, ag_error *err);

/* The unit object of GET /units/{code}/rating/{year} as actor a sees it
 * (AG_ERR_NOTFOUND when the unit is missing or out of a's scope): {unit,
 * unit_name, year, rubric_version, self_eval_due, self: {state, filed_at,
 * filed_by, late, answers: [{point, score, note, attachments: [{id, filename,
 * bytes, mime}]}], inapplicable}, review: {state, reviewed_at, reviewed_by,
 * note, adjustments: [{point, score, reason}]}, result, published,
 * can_edit_self, can_review}. Caller owns *out. */
ag_err rating_unit_json(ag_store *st, const audit_actor *a, const char *unit_code, int year,
                        json_t **out, ag_error *err);

/* The unit's grade history, newest first: {unit, items: [{year, grade, level,
 * score, published, rubric_version}]} over the years it has a frozen grade or
 * a self-evaluation. Not scope-checked. Caller owns *out. */
ag_err rating_history(ag_store *st, const char *unit_code, json_t **out, ag_error *err);

/* The grade ("5A" … "0") of unit_code in the latest published year into
 * grade (at least 4 bytes), "" when none. */
ag_err rating_latest_grade(ag_store *st, const char *unit_code, char grade[4], ag_error *err);

/* ---- writes (the caller owns the transaction) ---------------------------- */

/* One answer of a self-evaluation; strings borrowed. */
typedef struct rating_answer_in {
    const char *point;
    int64_t score_c;
    const char *note;           /* may be NULL */
    const int64_t *attachments; /* unowned attachments of the unit to claim, may be NULL */
    int nattachments;
} rating_answer_in;

/* Saves unit_code's self-evaluation draft of year: answers replace those of
 * the same points (others stay), inapplicable replaces the list. Who: admin,
 * or a leader or auditor owning the unit (scope_unit_owned); AG_ERR_DENIED
 * otherwise, AG_ERR_NOTFOUND for a unit out of scope. Refused (AG_ERR_INPUT)
 * once filed or published; points must be in the year's rubric, scores from
 * 0 to the point's points, inapplicable indicators ones that may be.
 * Fields named: answers[i].point, answers[i].score, inapplicable[i]. */
ag_err rating_self_save(ag_store *st, const audit_actor *a, const char *unit_code, int year,
                        const rating_answer_in *answers, int nanswers,
                        const char *const *inapplicable, int ninapplicable, bool set_inapplicable,
                        ag_error *err);
/* Files the draft (the same actors): filed_at now; after the due date it is
 * recorded late (a veto). Refused when there is no draft, it is filed or the
 * year is published. */
ag_err rating_self_file(ag_store *st, const audit_actor *a, const char *unit_code, int year,
                        ag_error *err);

/* One adjustment of the bureau's review. */
typedef struct rating_adjust_in {
    const char *point;
    int64_t score_c;
    const char *reason; /* required */
} rating_adjust_in;

/* The bureau's review (admin only) of a filed self-evaluation: with no
 * adjustments it accepts the self scores; adjustments replace the previous
 * review's. Each needs a reason (adjustments[i].reason) and a point of the
 * rubric with a score in range. Refused once published. */
ag_err rating_review_save(ag_store *st, const audit_actor *a, const char *unit_code, int year,
                          const rating_adjust_in *adj, int nadj, const char *note, ag_error *err);

/* Publishes (freezes) the year (admin only): every unit of the roster gets
 * its computed result in rating_grade, the year is marked published. Refused
 * when already published, or while a unit of the roster is still pending
 * (not filed and the due date ahead). *units (may be NULL) counts them. */
ag_err rating_publish(ag_store *st, const audit_actor *a, int year, int64_t *units, ag_error *err);

/* Chinese names for people: "5A" → "5A级", "0" → "0级（一票否决）"; NULL → "未评级". */
const char *rating_grade_zh(const char *grade);
/* "none|draft|filed" → 未填报 / 草稿 / 已报送; review none|reviewed → 待复核 / 已复核. */
const char *rating_self_state_zh(const char *state);

#endif
