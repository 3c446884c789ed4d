/* report_internal.h - what the report files share (report.c, report_store.c, report_score.c);
 * not for other modules. */
#ifndef AG_REPORT_INTERNAL_H
#define AG_REPORT_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/report.h"

/* One report row. */
typedef struct report_row {
    int64_t id, project_id, year, version, filed_version, submission_id;
    char kind[16], unit_code[32], state[12];
    char title[REPORT_TITLE_MAX + 8];
    char first_filed_at[24], filed_at[24], created_by[160], created_at[24];
} report_row;

/* Loads report id (no scope check); AG_ERR_NOTFOUND naming "id" when absent. */
ag_err report_row_load(ag_store *st, int64_t id, report_row *r, ag_error *err);
/* Loads report id as actor a may see it: AG_ERR_NOTFOUND alike when absent or out of sight. */
ag_err report_row_visible(ag_store *st, const audit_actor *a, int64_t id, report_row *r,
                          ag_error *err);
/* The stored content of version (0: the latest) of report id; caller owns *doc. */
ag_err report_content_load(ag_store *st, int64_t id, int64_t version, json_t **doc, ag_error *err);
/* The version a score is about: the filed one, else the latest. */
int64_t report_scored_version(const report_row *r);

/* Who a is for r: the author side, and the audited unit (audit reports). */
ag_err report_author_side(ag_store *st, const audit_actor *a, const report_row *r, bool *yes,
                          ag_error *err);
ag_err report_audited_side(ag_store *st, const audit_actor *a, const report_row *r, bool *yes,
                           ag_error *err);

/* The Beijing day of an ISO-8601 UTC time; false when it is not one. */
bool report_civil_day(const char *iso, int32_t *day);
/* The actor string of a (its name, else the store's actor). */
const char *report_actor(ag_store *st, const audit_actor *a);
/* Display name of an actor string as a JSON string (null for NULL). */
json_t *report_actor_name(ag_store *st, const char *actor);

/* The deadlines: MMDD of plan and summary, days after for audit and rectification. */
typedef struct report_deadlines {
    int plan_mmdd, summary_mmdd;
    int64_t audit_days, rect_days;
} report_deadlines;
ag_err report_deadlines_load(ag_store *st, report_deadlines *d, ag_error *err);
/* Due day of r (0: not known) under d. */
ag_err report_due_of(ag_store *st, const report_deadlines *d, const char *kind, int64_t project_id,
                     int year, int32_t *due, ag_error *err);
/* Whether r is late as of today: first filing after due, or unfiled and today > due. */
bool report_is_late(int32_t due, const char *first_filed_at, int32_t today);

/* The reviewer's stored points of (id, version): {code: {points_x10, by}}; caller owns *out. */
ag_err report_score_stored(ag_store *st, int64_t id, int64_t version, json_t **out, ag_error *err);
/* The score of content doc with the stored points (may be NULL), for version. */
ag_err report_score_doc(ag_store *st, const json_t *doc, const char *kind, int64_t project_id,
                        int64_t version, const json_t *stored, json_t **out, ag_error *err);

#endif
