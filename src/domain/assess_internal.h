/* assess_internal.h - what the assessment's files share (assess_rubric.c, assess.c, assess_data.c,
 * assess_stage.c); not for other modules. */
#ifndef AG_ASSESS_INTERNAL_H
#define AG_ASSESS_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/assess.h"
#include "util/calendar.h"

/* The rubric of a year and how the year stands. */
typedef struct assess_yr {
    int year;
    json_t *rubric;  /* the validated rubric document (owned) */
    int64_t version; /* 0: the shipped rubric, not installed */
    bool exists;     /* an assess_year row exists */
    bool published;  /* published_at is set */
    char published_at[32];
    char published_by[128];
} assess_yr;

/* Loads year's rubric (the version the year keeps; the latest installed, or the shipped one,
 * for a year not started) into y. Free with assess_yr_release. */
ag_err assess_yr_load(ag_store *st, int year, assess_yr *y, ag_error *err);
void assess_yr_release(assess_yr *y);
/* The rubric document of an installed version (owned by the caller), with its row's fields. */
ag_err assess_rubric_load(ag_store *st, int64_t version, json_t **doc, json_t **meta,
                          ag_error *err);
/* The shipped rubric, parsed and validated. Caller owns *doc. */
ag_err assess_rubric_builtin(json_t **doc, ag_error *err);

/* The leaf indicator of code in rubric (borrowed) and its group (borrowed); NULL when unknown. */
const json_t *assess_indicator(const json_t *rubric, const char *code, const json_t **group);
/* An indicator's max and min in half points (max 0 for a penalty, min 0 otherwise). */
int64_t assess_ind_max_x2(const json_t *ind);
int64_t assess_ind_min_x2(const json_t *ind);
/* A number of a rubric (integer or real) in half points; false when it is not a number or not
 * a multiple of 0.5. */
bool assess_num_x2(const json_t *v, int64_t *x2);
/* A score as assess_score_json gives it, back in half points (0 for anything else). */
int64_t assess_score_x2(const json_t *v);
/* A score given in points as a multiple of 0.5: its half points. */
bool assess_double_x2(double v, int64_t *x2);

/* What computing a data indicator needs. */
typedef struct assess_ctx {
    int year;
    const json_t *params;   /* the rubric's params (borrowed) */
    const ag_calendar *cal; /* working days (may be NULL: Monday..Friday) */
    char ys[24], ye[24];    /* the year's bounds as UTC times (Beijing days) */
} assess_ctx;

/* The score of a data indicator for unit into *x2 with what it is based on (zh, en). */
ag_err assess_data_value(ag_store *st, const assess_ctx *c, const char *unit, const json_t *ind,
                         int64_t *x2, char *zh, size_t zhn, char *en, size_t enn, ag_error *err);
/* Whether metric is one assess_data_value knows. */
bool assess_metric_known(const char *metric);

/* The end of Beijing day `day` as an ISO UTC time ("YYYY-MM-DDT16:00:00Z"). */
void assess_day_end(int32_t day, char out[24]);

/* The stage machine, one table: from state, action → to state, who may (unit: the admin or the
 * unit's own leader/auditor; dept: the admin or the supervisor of the unit's cell; bureau: the
 * admin). Actions: save, submit, dept, bureau. */
typedef struct assess_transition {
    const char *from, *action, *to, *who;
} assess_transition;
extern const assess_transition assess_transitions[];
extern const int assess_transition_count;

/* The unit's row of the year: state ("none" without a row), whether a draft was saved, its id
 * (0 without a row). */
ag_err assess_unit_state(ag_store *st, int year, const char *unit, char state[12], bool *draft,
                         int64_t *id, ag_error *err);
/* Whether actor a may take action on unit (whose cell is cell, may be NULL) in state now; with
 * state NULL, whether a is who takes the action at all, whatever the state. */
ag_err assess_may(ag_store *st, const audit_actor *a, const char *unit, const char *cell,
                  const char *state, const char *action, bool *ok, ag_error *err);
/* The compute objects of the roster of y (ranked; from the frozen rows when published) as a new
 * array in *out. */
ag_err assess_roster_compute(ag_store *st, const assess_yr *y, json_t **out, ag_error *err);
/* The compute object of one unit of y (without ranks) as a new object in *out. */
ag_err assess_unit_items(ag_store *st, const assess_yr *y, const char *unit, json_t **out,
                         ag_error *err);

#endif
