/* training.h - training of internal auditors (业务培训): sessions, attendance, hours per year, and
 * the skills competition (岗位练兵技术比武), a session whose attendees have scores. */
#ifndef AG_TRAINING_H
#define AG_TRAINING_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/scope.h"
#include "store/store.h"
#include "util/error.h"

/* Bounds of a session: at most 24 hours a day, topics and systems of sane length. */
#define TRAINING_MAX_TENTHS 240
#define TRAINING_TOPIC_MAX  200
#define TRAINING_SYSTEM_MAX 40

/* A session to add. held_on is YYYY-MM-DD (the Beijing date it was held);
 * system is the line it belongs to (卫健, 教育, 国资, 财政 …, free text);
 * hours_tenths is its length in tenths of an hour (1..240). */
typedef struct training_session_in {
    const char *held_on;
    const char *topic;
    const char *system;
    int64_t hours_tenths;
    bool competition; /* a 技术比武: attendees may have scores */
} training_session_in;

/* Validates the session (each field named on failure, nothing written) and
 * inserts it with its audit-log entry; *id receives its id (may be NULL).
 * The caller owns the transaction. */
ag_err training_session_add(ag_store *st, const training_session_in *in, int64_t *id,
                            ag_error *err);

/* Records that person_id attended session_id, with score_tenths (0..1000,
 * only for a competition) or -1 for none. Attending again updates the score.
 * AG_ERR_NOTFOUND for an unknown session or person; AG_ERR_INPUT for a score
 * on a plain session or one out of range. The caller owns the transaction. */
ag_err training_attend(ag_store *st, int64_t session_id, int64_t person_id, int64_t score_tenths,
                       ag_error *err);

/* An internal auditor's training hours in calendar year `year`, in tenths of
 * an hour, from the sessions attended that were held in that year (0 when
 * none). AG_ERR_NOTFOUND for an unknown person. Read only. */
ag_err training_person_hours(ag_store *st, int64_t person_id, int year, int64_t *tenths,
                             ag_error *err);

/* The sessions of a year (0: all), newest first, with the attendance of the
 * persons of the units in scope (NULL: all):
 * [{id, held_on, topic, system, hours, competition, attendees,
 *   attendance: [{person_id, name, unit, unit_name, score}]}]. hours and score
 * are decimal strings ("3.5", "92.5"; score null when none). Caller owns *out. */
ag_err training_session_list(ag_store *st, const ag_scope *scope, int year, json_t **out,
                             ag_error *err);

/* Each internal auditor's (subject auditor or chief_auditor) of the units in
 * scope (NULL: all) and their hours in `year`,
 * most hours first, those without training included (hours "0"):
 * [{person_id, name, unit, unit_name, hours, sessions}]. Caller owns *out. */
ag_err training_hours_list(ag_store *st, const ag_scope *scope, int year, json_t **out,
                           ag_error *err);

/* Formats tenths as a decimal ("3", "3.5") into out (at least 24 bytes). */
void training_tenths_format(int64_t tenths, char out[24]);
/* Parses "3", "3.5" (one decimal at most, no sign) into tenths; false when malformed. */
bool training_tenths_parse(const char *s, int64_t *tenths);

#endif
