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
/* grid_person_add and, when liaison_of is not NULL, grid_liaison_add of the new person to that
 * cell, in one transaction: both or nothing. */
ag_err grid_person_add_with_liaison(ag_store *st, const grid_person_in *p, const char *liaison_of,
                                    int64_t *id, ag_error *err);
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

/* ---- setup and administration (issue 12 §5) ------------------------------
 * Each function below is one user action: it validates everything first, writes through the
 * store's audited writes (one audit-log entry per row changed) and writes nothing on failure.
 * Disabling (停用) keeps the row, since findings and the audit log name it; "disabled" is
 * reported in every unit, person and cell object. */

/* A new database's district and the default audit-item catalog, in one transaction.
 * *catalog_version receives the catalog's version. */
ag_err grid_init(ag_store *st, const char *code, const char *name, int64_t *catalog_version,
                 ag_error *err);
/* The number of grid cells. */
ag_err grid_cell_count(ag_store *st, int64_t *n, ag_error *err);
/* The codes of the units in scope, as a JSON object used as a set ({code: true}). Caller owns
 * *set. */
ag_err grid_units_visible(ag_store *st, const ag_scope *sc, json_t **set, ag_error *err);
/* Edits the unit u->code (which stays): the same checks as grid_unit_add, and a unit is not its
 * own parent. AG_ERR_NOTFOUND when there is no such unit. */
ag_err grid_unit_update(ag_store *st, const grid_unit_in *u, ag_error *err);
/* Disables (true) or re-enables a unit. */
ag_err grid_unit_set_disabled(ag_store *st, const char *code, bool disabled, ag_error *err);
/* A page of persons, newest last: q (may be NULL) is searched in the name, title and unit
 * name; unit_code (may be NULL) keeps one unit's. {total, items: [{id, name, unit_code,
 * unit_name, title, phone, email, disabled, subjects: [{unit_code, unit_name, role}],
 * liaison_of: [{cell_id, cell_name}]}]}. Caller owns *out. */
ag_err grid_person_page(ag_store *st, const char *q, const char *unit_code, int64_t limit,
                        int64_t offset, json_t **out, ag_error *err);
/* One person as in grid_person_page; AG_ERR_NOTFOUND when absent. Caller owns *out. */
ag_err grid_person_get(ag_store *st, int64_t id, json_t **out, ag_error *err);
/* Edits a person's name, unit, title, phone and email (p->role is not used: subjects and
 * liaisons have their own actions). */
ag_err grid_person_update(ag_store *st, int64_t id, const grid_person_in *p, ag_error *err);
ag_err grid_person_set_disabled(ag_store *st, int64_t id, bool disabled, ag_error *err);
/* Ends a person's subject role at a unit; AG_ERR_NOTFOUND when the person does not hold it. */
ag_err grid_subject_remove(ag_store *st, const char *unit_code, int64_t person_id, const char *role,
                           ag_error *err);
/* Edits cell c->id's kind, name and visit cadence (c->sort_order is kept). */
ag_err grid_cell_update(ag_store *st, const grid_cell_in *c, ag_error *err);
ag_err grid_cell_set_disabled(ag_store *st, const char *id, bool disabled, ag_error *err);
/* Ends a person's liaison duty for a cell; AG_ERR_NOTFOUND when the person has none there. */
ag_err grid_liaison_remove(ag_store *st, const char *cell_id, int64_t person_id, ag_error *err);

#endif
