/* scope.c - unit scope of each role as SQL predicates, so every list and lookup filters alike. */
#include "domain/scope.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/banned.h"

static const char *const role_names[AG_ROLE_COUNT] = {
    "admin", "reviewer", "liaison", "supervisor", "leader", "auditor", "chief_auditor"};

bool scope_role_parse(const char *name, ag_role *out)
{
    for (int i = 0; name && i < AG_ROLE_COUNT; i++)
        if (strcmp(name, role_names[i]) == 0) {
            *out = (ag_role)i;
            return true;
        }
    return false;
}

const char *scope_role_name(ag_role r)
{
    return (int)r >= 0 && r < AG_ROLE_COUNT ? role_names[r] : "?";
}

ag_err scope_init(ag_scope *sc, const char *role, const char *unit_code, const char *cell_id,
                  int64_t person_id, ag_error *err)
{
    memset(sc, 0, sizeof *sc);
    if (!scope_role_parse(role, &sc->role))
        return ag_fail(err, AG_ERR_INPUT, "role", "未知角色：%s", "unknown role: %s",
                       role ? role : "");
    bool needs_unit = sc->role == AG_ROLE_LEADER || sc->role == AG_ROLE_AUDITOR ||
                      sc->role == AG_ROLE_CHIEF_AUDITOR;
    bool needs_cell = sc->role == AG_ROLE_LIAISON || sc->role == AG_ROLE_SUPERVISOR;
    if (needs_unit && (!unit_code || !*unit_code || strlen(unit_code) >= sizeof sc->unit_code))
        return ag_fail(err, AG_ERR_INPUT, "unit_code", "角色 %s 的账号缺少所属单位",
                       "an account of role %s has no unit", role);
    if (needs_cell && (!cell_id || !*cell_id || strlen(cell_id) >= sizeof sc->cell_id))
        return ag_fail(err, AG_ERR_INPUT, "cell_id", "角色 %s 的账号缺少所属网格",
                       "an account of role %s has no cell", role);
    if (needs_unit)
        snprintf(sc->unit_code, sizeof sc->unit_code, "%s", unit_code);
    if (needs_cell)
        snprintf(sc->cell_id, sizeof sc->cell_id, "%s", cell_id);
    sc->person_id = person_id;
    return AG_OK;
}

bool scope_is_global(const ag_scope *sc)
{
    return sc->role == AG_ROLE_ADMIN || sc->role == AG_ROLE_REVIEWER;
}

/* The units whose audit the person (the one int argument) is assigned to,
 * while the project is not closed. */
#define ASSIGNED                                                                                   \
    "SELECT ap.unit_code FROM audit_project ap JOIN audit_team tm ON tm.project_id = ap.id"        \
    " WHERE tm.person_id = ? AND ap.stage <> 'closed'"

static bool column_ok(const char *c)
{
    size_t n = c ? strlen(c) : 0;
    if (n == 0 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((c[i] >= 'a' && c[i] <= 'z') || (c[i] >= '0' && c[i] <= '9') || c[i] == '_' ||
              c[i] == '.'))
            return false;
    return true;
}

ag_err scope_predicate(const ag_scope *sc, const char *unit_col, scope_sql *out, ag_error *err)
{
    memset(out, 0, sizeof *out);
    if (!column_ok(unit_col))
        return ag_fail(err, AG_ERR_INTERNAL, "scope", "非法的列名", "bad column name");
    char *t = out->text;
    size_t n = sizeof out->text;
    switch (sc->role) {
    case AG_ROLE_ADMIN:
    case AG_ROLE_REVIEWER:
        snprintf(out->text, sizeof out->text, "1 = 1");
        return AG_OK;
    case AG_ROLE_LIAISON:
        /* The cell on the account, and every cell whose liaison the
         * account's person is (one liaison looks after several cells). */
        snprintf(t, n,
                 "(%s IN (SELECT code FROM unit WHERE cell_id = ? OR cell_id IN"
                 " (SELECT cell_id FROM cell_liaison WHERE person_id = ?)))",
                 unit_col);
        out->args[out->nargs++] = sc->cell_id;
        out->has_int = true;
        out->int_arg = sc->person_id;
        break;
    case AG_ROLE_SUPERVISOR:
        snprintf(t, n, "(%s IN (SELECT code FROM unit WHERE cell_id = ?))", unit_col);
        out->args[out->nargs++] = sc->cell_id;
        break;
    case AG_ROLE_LEADER:
        snprintf(t, n, "(%s = ?)", unit_col);
        out->args[out->nargs++] = sc->unit_code;
        break;
    case AG_ROLE_AUDITOR:
        /* Its own unit, and while assigned to an audit the audited unit
         * (DESIGN.md §2): the assignment ends when the project closes. */
        if (sc->person_id > 0)
            snprintf(t, n, "(%s IN (SELECT code FROM unit WHERE code = ? UNION " ASSIGNED "))",
                     unit_col);
        else
            snprintf(t, n, "(%s = ?)", unit_col);
        out->args[out->nargs++] = sc->unit_code;
        break;
    case AG_ROLE_CHIEF_AUDITOR:
        snprintf(t, n,
                 sc->person_id > 0 ? "(%s IN (SELECT code FROM unit WHERE code = ? OR parent_code"
                                     " = ? UNION " ASSIGNED "))"
                                   : "(%s IN (SELECT code FROM unit WHERE code = ? OR parent_code"
                                     " = ?))",
                 unit_col);
        out->args[out->nargs++] = sc->unit_code;
        out->args[out->nargs++] = sc->unit_code;
        break;
    default:
        /* Deny by default: an unknown role matches nothing. */
        snprintf(out->text, sizeof out->text, "1 = 0");
        return AG_OK;
    }
    if ((sc->role == AG_ROLE_AUDITOR || sc->role == AG_ROLE_CHIEF_AUDITOR) && sc->person_id > 0) {
        out->has_int = true;
        out->int_arg = sc->person_id;
    }
    return AG_OK;
}

ag_err scope_bind(ag_stmt *s, const scope_sql *q, int first, int *next)
{
    int idx = first;
    ag_err rc = AG_OK;
    for (int i = 0; !rc && i < q->nargs; i++)
        rc = store_bind_text(s, idx++, q->args[i]);
    if (!rc && q->has_int)
        rc = store_bind_int(s, idx++, q->int_arg);
    if (next)
        *next = idx;
    return rc;
}

ag_err scope_prepare(ag_store *st, const ag_scope *sc, const char *unit_col, const char *head,
                     const char *tail, ag_stmt **out, int *next, ag_error *err, const char *types,
                     ...)
{
    *out = NULL;
    scope_sql q;
    ag_scope all = {.role = AG_ROLE_ADMIN};
    ag_err rc = scope_predicate(sc ? sc : &all, unit_col, &q, err);
    if (rc)
        return rc;
    char sql[8192 + sizeof q.text];
    int n = snprintf(sql, sizeof sql, "%s%s%s", head, q.text, tail);
    if (n < 0 || (size_t)n >= sizeof sql)
        return ag_fail(err, AG_ERR_INTERNAL, "scope", "查询语句过长", "query text too long");
    va_list ap;
    va_start(ap, types);
    rc = store_vprepare_args(st, out, err, sql, types, ap);
    va_end(ap);
    if (!rc && scope_bind(*out, &q, (int)strlen(types) + 1, next) != AG_OK)
        rc =
            ag_fail(err, AG_ERR_STORE, NULL, "绑定查询参数失败", "binding a query argument failed");
    if (rc) {
        store_finalize(*out);
        *out = NULL;
    }
    return rc;
}

ag_err scope_unit_visible(ag_store *st, const ag_scope *sc, const char *unit_code, bool *visible,
                          ag_error *err)
{
    *visible = false;
    if (!unit_code || !*unit_code)
        return AG_OK;
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = scope_prepare(st, sc, "u.code", "SELECT COUNT(*) FROM unit u WHERE u.code = ? AND ",
                              "", &s, NULL, err, "t", unit_code);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row)
        *visible = store_col_int(s, 0) > 0;
    store_finalize(s);
    return rc;
}

ag_err scope_unit_owned(ag_store *st, const ag_scope *sc, const char *unit_code, bool *owned,
                        ag_error *err)
{
    *owned = false;
    if (!unit_code || !*unit_code)
        return AG_OK;
    int64_t n = 0;
    ag_err rc = AG_OK;
    switch (sc->role) {
    case AG_ROLE_LEADER:
    case AG_ROLE_AUDITOR:
        rc = store_query_int(st, &n, err, "SELECT COUNT(*) FROM unit WHERE code = ? AND code = ?",
                             unit_code, sc->unit_code, NULL);
        break;
    case AG_ROLE_CHIEF_AUDITOR:
        rc = store_query_int(st, &n, err,
                             "SELECT COUNT(*) FROM unit WHERE code = ? AND (code = ? OR"
                             " parent_code = ?)",
                             unit_code, sc->unit_code, sc->unit_code, NULL);
        break;
    default:
        /* Global, liaison and supervisor scopes oversee units, never act as one. */
        return AG_OK;
    }
    *owned = !rc && n > 0;
    return rc;
}

ag_err scope_select_one(ag_store *st, const ag_scope *sc, const char *select, const char *key_col,
                        const char *unit_col, int64_t id, json_t *(*row)(ag_stmt *s, void *ctx),
                        void *ctx, json_t **out, ag_error *err)
{
    *out = NULL;
    char head[8192];
    int n = snprintf(head, sizeof head, "%s WHERE %s = ? AND ", select, key_col);
    if (n < 0 || (size_t)n >= sizeof head)
        return ag_fail(err, AG_ERR_INTERNAL, "scope", "查询语句过长", "query text too long");
    ag_stmt *s = NULL;
    bool found = false;
    ag_err rc = scope_prepare(st, sc, unit_col, head, "", &s, NULL, err, "i", id);
    if (!rc)
        rc = store_step(s, &found, err);
    if (!rc && found)
        *out = row(s, ctx);
    store_finalize(s);
    return rc;
}
