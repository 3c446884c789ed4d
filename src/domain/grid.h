/* grid.h - the supervision grid (一张网): district, cells, units, persons, responsible subjects. */
#ifndef AG_GRID_H
#define AG_GRID_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/scope.h"
#include "store/store.h"

/* The unit types a grid knows (stored as their Chinese names). */
extern const char *const grid_unit_types[];
extern const int grid_unit_type_count;

/* Creates the district record; AG_ERR_EXISTS when one already exists. */
ag_err grid_district_init(ag_store *st, const char *code, const char *name, ag_error *err);
/* Reads the district's code and name into caller buffers (64 and 128 bytes).
 * AG_ERR_NOTFOUND when the database has not been initialised. */
ag_err grid_district_get(ag_store *st, char code[64], char name[128], ag_error *err);

/* A grid cell: by competent department (dept), street (street) or SOE group (soe). */
typedef struct grid_cell_in {
    const char *id;   /* short stable id, e.g. "D03" or "S01" */
    const char *kind; /* dept | street | soe */
    const char *name;
    int visit_days; /* liaison contact cadence; 0 = default 30 */
    int sort_order;
} grid_cell_in;
ag_err grid_cell_add(ag_store *st, const grid_cell_in *c, ag_error *err);

/* A unit to add. code is the unified social credit code; cell_id and
 * parent_code may be NULL. */
typedef struct grid_unit_in {
    const char *code;
    const char *name;
    const char *type; /* one of grid_unit_types */
    const char *cell_id;
    const char *parent_code;
    bool pilot;
    const char *address;
} grid_unit_in;
/* Validates everything first (credit code with its check character, type,
 * cell and parent exist, code not taken) and writes nothing on failure. */
ag_err grid_unit_add(ag_store *st, const grid_unit_in *u, ag_error *err);

/* Filters for grid_unit_list; zero/NULL fields do not filter. */
typedef struct grid_unit_filter {
    bool pilot_only;
    const char *cell_id;
    const char *type;
} grid_unit_filter;
/* A JSON array of unit objects {code, name, type, cell_id, cell_name,
 * parent_code, pilot, principal, auditors}. Caller owns *out (json_decref). */
ag_err grid_unit_list(ag_store *st, const grid_unit_filter *f, json_t **out, ag_error *err);
/* A page of the units that pass the filter and are in scope (NULL: all):
 * {total, items: [unit objects as in grid_unit_list]}, in the same order.
 * Two queries for the units and one for all their subjects, whatever the
 * page size. Caller owns *out. */
ag_err grid_unit_page(ag_store *st, const grid_unit_filter *f, const ag_scope *scope, int64_t limit,
                      int64_t offset, json_t **out, ag_error *err);
/* A page of the persons of a unit (members and responsible subjects):
 * {total, items: [{id, name, title, phone, email, roles: [..]}]}. The unit is
 * not checked here: callers check it and its scope first. Caller owns *out. */
ag_err grid_unit_persons(ag_store *st, const char *code, int64_t limit, int64_t offset,
                         json_t **out, ag_error *err);
/* One unit with its cell, parent, children and subjects; AG_ERR_NOTFOUND
 * when there is no such unit. Caller owns *out. */
ag_err grid_unit_get(ag_store *st, const char *code, json_t **out, ag_error *err);

/* A person, optionally attached to a unit and given a subject role there
 * (principal | auditor | chief_auditor). Phone numbers are stored but never
 * logged. *id receives the new person's id (may be NULL). */
typedef struct grid_person_in {
    const char *name;
    const char *unit_code;
    const char *title;
    const char *phone;
    const char *email;
    const char *role; /* NULL: no subject role */
} grid_person_in;
ag_err grid_person_add(ag_store *st, const grid_person_in *p, int64_t *id, ag_error *err);
/* Makes an existing person a responsible subject of a unit. A unit has one
 * principal leader: naming a new one replaces the old. A chief auditor is
 * only for a 国企. */
ag_err grid_subject_set(ag_store *st, const char *unit_code, int64_t person_id, const char *role,
                        ag_error *err);
/* Records an audit-bureau person as a cell's grid liaison. */
ag_err grid_liaison_add(ag_store *st, const char *cell_id, int64_t person_id, ag_error *err);

/* The whole net: {district, cells: [{id, kind, name, liaisons, units: [
 * {code, name, type, pilot, principal, auditors, chief_auditor}]}],
 * unassigned: [units without a cell]}. Caller owns *out. */
ag_err grid_tree(ag_store *st, json_t **out, ag_error *err);

#endif
