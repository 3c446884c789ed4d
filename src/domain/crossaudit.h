/* crossaudit.h - cross-audit rounds (交叉互审): the planner with its hard constraints and scored
 * soft goals, the re-check of an edit, the stored round, publishing and the 回避声明. */
#ifndef AG_CROSSAUDIT_H
#define AG_CROSSAUDIT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/audit.h"
#include "store/store.h"
#include "util/error.h"

/* ---- the planning model (in memory, no store) ---------------------------------------------
 * The units of a round audit each other: every unit of the round is audited once, by another
 * unit of the round, with a team of that unit's internal auditors (persons who are `auditor` or
 * `chief_auditor` subjects).
 *
 * Hard constraints (a plan or an edit that breaks one is refused, the constraint named):
 *   own_unit      nobody audits their own unit (回避本单位);
 *   own_group     nor their own SOE group (回避同一国企集团);
 *   former_unit   nor a unit they belonged to in the last 3 years (回避三年内任职单位);
 *   mutual        no two units audit each other in the same round (不得互审);
 *   repeat_pair   no auditing→audited pair of the previous round (不得与上轮结对重复);
 *   lead          one lead per team, from the auditing unit (组长来自审计单位);
 *   team_size     team size within the round's bounds (审计组人数);
 *   one_team      a person on at most one team per round (每人每轮只参加一个审计组).
 * Soft goals, scored: teams not from the audited unit's cell; balanced load (no unit audits
 * more than ⌈audited/auditing⌉ units); members' training hours of the year. */

#define XA_MAX_TEAM  16 /* team_max is at most this */
#define XA_MAX_UNITS 2000

typedef struct xa_unit {
    char code[24];
    char name[160];
    char cell[24];  /* grid cell id, "" for none */
    char group[24]; /* the SOE group's head unit code, "" for none */
} xa_unit;

typedef struct xa_person {
    int64_t id;
    char name[64];
    int unit;       /* index of the unit whose internal auditor the person is */
    int64_t tenths; /* training hours of the round's year, in tenths */
    int nbar, nown;
    int bar[8]; /* units the person may not audit: bar[0..nown) own (subject of), then former */
    int ngroup;
    char group[2][24]; /* SOE groups the person belongs to */
} xa_person;

/* One audited unit's assignment: the auditing unit's index (-1: none yet) and its team as
 * person indices, team[0] the lead. */
typedef struct xa_assign {
    int auditor;
    int nteam;
    int team[XA_MAX_TEAM];
} xa_assign;

/* The model: units (each audited once), persons (the pool), the previous round's pairs
 * (prev[a] = index of a's auditor then, -1 none), the bounds. Arrays are owned by the model. */
typedef struct xa_model {
    int nunits;
    xa_unit *units;
    int npersons;
    xa_person *persons;
    int *prev;
    int team_min, team_max;
} xa_model;

/* Allocates units/persons/prev for n units and p persons (prev filled with -1), zeroed; the
 * caller fills them. AG_ERR_NOMEM. */
ag_err xa_model_init(xa_model *m, int nunits, int npersons, ag_error *err);
/* Frees the arrays; NULL and an empty model are fine. */
void xa_model_release(xa_model *m);

/* Proposes a plan into plan[nunits] for seed (the same seed, the same plan). AG_OK with a
 * complete plan that keeps every hard constraint, or AG_ERR_INPUT with *reasons (a new array of
 * {code, zh, en}, also on success: []) naming why none exists, err holding the first reason —
 * never a partial plan. */
ag_err xa_plan(const xa_model *m, uint64_t seed, xa_assign *plan, json_t **reasons, ag_error *err);

/* The naive baseline of bench/crossaudit.sh: random restarts (each audited unit in a seeded
 * random order takes a uniformly random auditing unit that keeps the hard constraints and the
 * balanced load, restarting on a dead end) until a complete plan or max_tries; no other soft
 * goal. AG_ERR_INPUT when none was found. *tries receives the attempts made. */
ag_err xa_plan_naive(const xa_model *m, uint64_t seed, int max_tries, xa_assign *plan, int *tries,
                     ag_error *err);

/* The hard constraints broken by plan, as a new array of {code, zh, en, audited} ([] when
 * none). Assignments with auditor -1 count as missing. */
json_t *xa_check(const xa_model *m, const xa_assign *plan);

/* The soft goals of plan as a new object: {teams_outside_cell, teams_in_cell, load_limit,
 * max_load, units_over_load, training_hours, total}. */
json_t *xa_score(const xa_model *m, const xa_assign *plan);

/* ---- stored rounds ------------------------------------------------------------------------ */

/* A round to plan. units: "pilot" (default), "all" or comma-separated unit codes. */
typedef struct xa_round_in {
    const char *name;
    int year;
    const char *units;
    int team_min, team_max;   /* 0: 2 and 4 */
    uint64_t seed;            /* 0: 1 */
    const char *const *items; /* catalog item codes; NULL: the 13 fund-safety and 7 key items */
    int nitems;
    const char *field_from, *field_to; /* fieldwork dates YYYY-MM-DD; NULL: the year's Q2 */
} xa_round_in;

/* Plans the round and stores it as a draft (a draft of the same name is replaced; a published
 * one is AG_ERR_EXISTS). Infeasible: AG_ERR_INPUT, nothing written, *reasons filled. *round_id
 * (may be NULL) receives its id. The caller owns the transaction. */
ag_err xa_round_plan(ag_store *st, const xa_round_in *in, int64_t *round_id, json_t **reasons,
                     ag_error *err);

/* Sets the auditing unit and team of one audited unit of a draft round. team (may be NULL/0):
 * person ids, the first the lead; none: the auditing unit's free auditors are chosen as the
 * planner would. The whole round is re-checked: a broken hard constraint is AG_ERR_INPUT
 * naming it, nothing written. The caller owns the transaction. */
ag_err xa_round_assign(ag_store *st, const char *round, const char *audited,
                       const char *auditor_unit, const int64_t *team, int nteam, ag_error *err);

/* Publishes a draft round that keeps every hard constraint: one project of kind "cross" per
 * audited unit (audit_project_create by the actor, an admin) with its team (audit_team_add),
 * and a notification (audience leader) to every audited and auditing unit. *projects (may be
 * NULL) receives the number of projects. The caller owns the transaction. */
ag_err xa_round_publish(ag_store *st, const audit_actor *a, const char *round, int *projects,
                        ag_error *err);

/* The round by name (or by id when name is NULL): full (the API) is {id, round, year, state,
 * units, items, team_min, team_max, seed, field_from, field_to, created_at, published_at,
 * assignments: [{audited, audited_name, audited_cell, auditor_unit, auditor_unit_name,
 * auditor_cell, project_id, project_code, stage, declared, team: [{person_id, name, unit,
 * unit_name, role, declared}]}], score, violations} where violations are found again now; not
 * full (the CLI's --json) is exactly {round, assignments: [{audited, auditor_unit, team:
 * [{person_id, name, unit, role}]}], score, violations}. AG_ERR_NOTFOUND. Caller owns *out. */
ag_err xa_round_get(ag_store *st, const char *name, int64_t id, bool full, json_t **out,
                    ag_error *err);
/* The rounds, newest first: [{id, round, year, state, units: n, created_at, published_at}]. */
ag_err xa_round_list(ag_store *st, json_t **out, ag_error *err);
/* The name of round id into out (160 bytes); AG_ERR_NOTFOUND. */
ag_err xa_round_name(ag_store *st, int64_t id, char out[160], ag_error *err);

/* Records the 回避声明 (conflict-of-interest declaration) of a team member of a round's project.
 * Allowed: admin, or the member themselves (the actor's person). AG_ERR_NOTFOUND when the
 * person is not on the project's team of a round, AG_ERR_EXISTS when signed already. The
 * caller owns the transaction. */
ag_err xa_declare(ag_store *st, const audit_actor *a, int64_t project_id, int64_t person_id,
                  const char *statement, ag_error *err);

/* The gate of 审前: a project of a round in stage "pre" whose team members have not all signed
 * is AG_ERR_INPUT naming the first of them; any other project passes. audit.c lists it among
 * what a project still needs to advance. */
ag_err xa_declarations_gate(ag_store *st, int64_t project_id, ag_error *err);

#endif
