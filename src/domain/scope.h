/* scope.h - who may see which units: the roles of DESIGN.md §2 and their unit scope. */
#ifndef AG_SCOPE_H
#define AG_SCOPE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

/* The roles, in the order of DESIGN.md §2 (and of user_roles[]). */
typedef enum ag_role {
    AG_ROLE_ADMIN = 0,     /* 审计局管理员: everything */
    AG_ROLE_REVIEWER,      /* 审计局/审计办: everything, read only */
    AG_ROLE_LIAISON,       /* 网格指导员: the units of its cells */
    AG_ROLE_SUPERVISOR,    /* 主管部门: the units under its department cell */
    AG_ROLE_LEADER,        /* 单位负责人: its own unit */
    AG_ROLE_AUDITOR,       /* 内审人员: its own unit */
    AG_ROLE_CHIEF_AUDITOR, /* 国企总审计师: its SOE group */
    AG_ROLE_COUNT
} ag_role;

/* A set of roles, for "who may call this". */
typedef unsigned ag_role_set;
#define AG_ROLE_BIT(r) (1u << (unsigned)(r))
#define AG_ROLES_ALL   ((1u << AG_ROLE_COUNT) - 1u)

/* The role named `name` ("admin", ...); false for an unknown name. */
bool scope_role_parse(const char *name, ag_role *out);
/* The role's name; "?" for an out-of-range value. */
const char *scope_role_name(ag_role r);

/* What one account may see. Built from the account's row (role, unit_code,
 * cell_id, person_id); plain data, no pointers, safe to copy. */
typedef struct ag_scope {
    ag_role role;
    char unit_code[32]; /* leader, auditor, chief_auditor: the unit (the group head) */
    char cell_id[32];   /* liaison, supervisor: the cell */
    int64_t person_id;  /* liaison: also the cells this person is liaison of; auditor,
                         * chief_auditor: also the audited units of the projects
                         * not yet closed whose team has this person; 0 none */
} ag_scope;

/* Fills sc from an account's fields. AG_ERR_INPUT when the role is unknown or
 * the account lacks the unit or cell its role needs: such an account sees
 * nothing (deny by default) and the caller refuses it. */
ag_err scope_init(ag_scope *sc, const char *role, const char *unit_code, const char *cell_id,
                  int64_t person_id, ag_error *err);

/* True for the roles that see every unit (admin, reviewer). */
bool scope_is_global(const ag_scope *sc);

/* A SQL predicate that keeps the rows whose unit code (in column unit_col,
 * e.g. "u.code" or "unit_code") is in scope, with its `?` arguments in
 * order. For a global scope the predicate is "1 = 1" without arguments. */
typedef struct scope_sql {
    char text[400];
    const char *args[3]; /* borrowed from the scope (and "x" constants) */
    int64_t int_arg;     /* the person id, bound after the text args */
    int nargs;           /* text args */
    bool has_int;        /* whether int_arg follows the text args */
} scope_sql;

/* Builds the predicate. AG_ERR_INTERNAL when unit_col is not a plain
 * (qualified) column name. The order of arguments: args[0..nargs-1] as text,
 * then int_arg when has_int. */
ag_err scope_predicate(const ag_scope *sc, const char *unit_col, scope_sql *out, ag_error *err);

/* Binds the predicate's arguments to s starting at placeholder `first`;
 * *next receives the next free placeholder index (may be NULL). */
ag_err scope_bind(ag_stmt *s, const scope_sql *q, int first, int *next);

/* Prepares head + the predicate of sc over unit_col (sc NULL: every unit) + tail into *out:
 * binds the arguments that `types` describes ('i' int64_t, 't' text, as store_prepare_args)
 * from placeholder 1, then the predicate's own; *next (may be NULL) receives the first free
 * placeholder, for arguments of tail. On failure *out is NULL. The read paths' one way to ask
 * "these rows, of the units in scope". */
ag_err scope_prepare(ag_store *st, const ag_scope *sc, const char *unit_col, const char *head,
                     const char *tail, ag_stmt **out, int *next, ag_error *err, const char *types,
                     ...);

/* Sets *visible to whether unit_code is in scope. A unit that does not exist
 * is not visible, so callers answer "not found" for both and never reveal
 * that an out-of-scope unit exists. */
ag_err scope_unit_visible(ag_store *st, const ag_scope *sc, const char *unit_code, bool *visible,
                          ag_error *err);

/* Reads the one row of `select` (a SELECT … FROM … without WHERE) whose
 * key_col equals id and whose unit_col is in scope (NULL: every unit), and
 * gives row(s, ctx) of it in *out — NULL when there is no such row or it is
 * outside the scope, so callers answer "not found" alike for both. */
ag_err scope_select_one(ag_store *st, const ag_scope *sc, const char *select, const char *key_col,
                        const char *unit_col, int64_t id, json_t *(*row)(ag_stmt *s, void *ctx),
                        void *ctx, json_t **out, ag_error *err);

/* Sets *owned to whether unit_code is the account's own unit in the sense of
 * acting for it: a leader's or auditor's own unit, a chief auditor's group
 * (the head and the units under it). Global, liaison and supervisor scopes
 * own no unit. Visibility through an audit-team assignment (an auditor sees
 * the unit it is auditing) is not ownership. */
ag_err scope_unit_owned(ag_store *st, const ag_scope *sc, const char *unit_code, bool *owned,
                        ag_error *err);

#endif
