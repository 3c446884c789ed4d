/* iabody.h - a unit's internal-audit set-up (内审机构): an independent internal-audit body or not,
 * the leader who directly supervises internal audit, and the internal-audit working group
 * (内审工作组: 组长 the party secretary, members from 纪检监察, 组织人事, 财务管理, 内部审计). */
#ifndef AG_IABODY_H
#define AG_IABODY_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/scope.h"
#include "store/store.h"
#include "util/error.h"

#define IABODY_MAX_MEMBERS 30
#define IABODY_NAME_MAX    100

/* The working group's areas as stored and as the API spells them: "leader"
 * (组长, the party secretary), "discipline" (纪检监察), "personnel" (组织人事),
 * "finance" (财务管理), "audit" (内部审计). */
extern const char *const iabody_areas[];
extern const int iabody_area_count;
/* The Chinese name of an area ("组长"); the code itself when unknown. */
const char *iabody_area_zh(const char *area);

typedef struct iabody_member {
    int64_t person_id;
    const char *area; /* one of iabody_areas */
} iabody_member;

/* A unit's set-up as recorded: the working group is replaced as a whole. */
typedef struct iabody_in {
    bool independent;             /* an independent internal-audit body (独立内审机构) */
    const char *body_name;        /* its name, e.g. 审计科 (optional, at most 100 bytes) */
    int64_t supervisor_person_id; /* the leader directly supervising internal audit; 0 none */
    const iabody_member *members;
    int nmembers;
} iabody_in;

/* Records unit_code's set-up. Validates everything first, naming the field
 * (unit, body_name, supervisor, members): the unit exists; the supervisor and
 * every member are active persons of the unit; areas are known; at most one
 * 组长; no person twice in one area; at most IABODY_MAX_MEMBERS members. Then
 * upserts the body and replaces the group (audited writes). The caller owns
 * the transaction. */
ag_err iabody_set(ag_store *st, const char *unit_code, const iabody_in *in, ag_error *err);

/* {unit_code, unit_name, recorded, independent, body_name, supervisor:
 * {person_id, name, title} or null, group: [{person_id, name, title, area,
 * area_zh}], missing: [..]} — missing as in iabody_missing. The unit is not
 * scope-checked here. AG_ERR_NOTFOUND for no such unit. Caller owns *out. */
ag_err iabody_get(ag_store *st, const char *unit_code, json_t **out, ag_error *err);

/* The active units in scope (NULL: all) and what each lacks:
 *   {units, complete, incomplete,
 *    counts: {body, supervisor, group},
 *    items: [{code, name, type, cell_id, missing: [..]}]}  (incomplete units only, by code)
 * where missing holds, in this order: "body" (no independent internal-audit
 * body: none recorded, or recorded as not independent), "supervisor" (no
 * leader directly supervising internal audit), then the working-group places
 * without anybody: "leader", "discipline", "personnel", "finance", "audit".
 * counts.group counts the units missing any working-group place. Caller owns
 * *out. */
ag_err iabody_missing(ag_store *st, const ag_scope *scope, json_t **out, ag_error *err);

#endif
