/* grid.c - the supervision grid: validation and queries over the store. */
#include "domain/grid.h"

#include <stdio.h>
#include <string.h>

#include "domain/catalog.h"
#include "domain/wf_query.h"
#include "util/clock.h"
#include "util/map.h"
#include "util/uscc.h"
#include "util/banned.h"

const char *const grid_unit_types[] = {"机关", "事业", "国企", "街道", "学校", "医院"};
const int grid_unit_type_count = 6;

static void now_text(char ts[21])
{
    ag_clock_format(ag_clock_now(), ts);
}

/* Runs a query that returns a count for one text argument. */
static ag_err exists(ag_store *st, const char *sql, const char *arg, bool *yes, ag_error *err)
{
    int64_t n = 0;
    ag_err rc = store_query_int(st, &n, err, sql, arg, NULL);
    *yes = !rc && n > 0;
    return rc;
}

/* Hands v to *out when rc is AG_OK, else frees it: the end of every query here. */
static ag_err give(ag_err rc, json_t *v, json_t **out)
{
    if (rc) {
        json_decref(v);
        return rc;
    }
    *out = v;
    return AG_OK;
}

/* As give(), for a page {total, items}. */
static ag_err give_page(ag_err rc, int64_t total, json_t *items, json_t **out)
{
    return give(rc, rc ? items : json_pack("{s:I,s:o}", "total", (json_int_t)total, "items", items),
                out);
}

/* AG_OK when unit code exists, else AG_ERR_NOTFOUND naming field (parent_code: the parent). */
static ag_err unit_known(ag_store *st, const char *code, const char *field, ag_error *err)
{
    bool yes;
    ag_err rc = exists(st, "SELECT COUNT(*) FROM unit WHERE code = ?", code, &yes, err);
    if (rc || yes)
        return rc;
    bool parent = !strcmp(field, "parent_code");
    return ag_fail(err, AG_ERR_NOTFOUND, field, parent ? "上级单位 %s 不存在" : "单位 %s 不存在",
                   parent ? "no parent unit %s" : "no unit %s", code);
}

ag_err grid_district_init(ag_store *st, const char *code, const char *name, ag_error *err)
{
    int64_t n = 0;
    ag_err rc = store_query_int(st, &n, err, "SELECT COUNT(*) FROM district", NULL);
    if (rc)
        return rc;
    if (n > 0)
        return ag_fail(err, AG_ERR_EXISTS, "district", "数据库已初始化（已有区县记录）",
                       "the database is already initialised (a district exists)");
    if (!code || strlen(code) != 6 || strspn(code, "0123456789") != 6)
        return ag_fail(err, AG_ERR_INPUT, "district", "行政区划代码应为6位数字：%s",
                       "a division code has 6 digits: %s", code ? code : "");
    char ts[21];
    now_text(ts);
    ag_field f[] = {ag_field_text("code", code), ag_field_text("name", name),
                    ag_field_text("created_at", ts)};
    return store_insert(st, "district", "code", f, 3, NULL, err);
}

ag_err grid_district_get(ag_store *st, char code[64], char name[128], ag_error *err)
{
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = store_prepare(st, "SELECT code, name FROM district ORDER BY code LIMIT 1", &s, err);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && !row)
        rc = ag_fail(err, AG_ERR_NOTFOUND, "district", "数据库尚未初始化；请先运行 auditgrid init",
                     "the database is not initialised; run `auditgrid init` first");
    if (!rc) {
        snprintf(code, 64, "%s", store_col_text(s, 0));
        snprintf(name, 128, "%s", store_col_text(s, 1));
    }
    store_finalize(s);
    return rc;
}

/* The kind and name of a cell, on adding and editing alike. */
static ag_err cell_check(const grid_cell_in *c, ag_error *err)
{
    if (!c->kind ||
        (strcmp(c->kind, "dept") && strcmp(c->kind, "street") && strcmp(c->kind, "soe")))
        return ag_fail(err, AG_ERR_USAGE, "kind", "网格类型应为 dept、street 或 soe：%s",
                       "a cell kind is dept, street or soe: %s", c->kind ? c->kind : "");
    if (!c->name || !*c->name)
        return ag_fail(err, AG_ERR_USAGE, "name", "网格名称不能为空", "a cell needs a name");
    return AG_OK;
}

ag_err grid_cell_add(ag_store *st, const grid_cell_in *c, ag_error *err)
{
    char dcode[64], dname[128];
    ag_err rc = grid_district_get(st, dcode, dname, err);
    if (rc)
        return rc;
    if (!c->id || !*c->id || strlen(c->id) > 16)
        return ag_fail(err, AG_ERR_USAGE, "id", "网格编号不能为空且不超过16个字符",
                       "a cell id is 1 to 16 characters");
    rc = cell_check(c, err);
    if (rc)
        return rc;
    bool taken;
    rc = exists(st, "SELECT COUNT(*) FROM grid_cell WHERE id = ?", c->id, &taken, err);
    if (rc)
        return rc;
    if (taken)
        return ag_fail(err, AG_ERR_EXISTS, "id", "网格 %s 已存在", "cell %s already exists", c->id);
    char ts[21];
    now_text(ts);
    ag_field f[] = {ag_field_text("id", c->id),
                    ag_field_text("district_code", dcode),
                    ag_field_text("kind", c->kind),
                    ag_field_text("name", c->name),
                    ag_field_int("visit_days", c->visit_days > 0 ? c->visit_days : 30),
                    ag_field_int("sort_order", c->sort_order),
                    ag_field_text("created_at", ts)};
    return store_insert(st, "grid_cell", "id", f, sizeof f / sizeof f[0], NULL, err);
}

static bool type_known(const char *t)
{
    for (int i = 0; t && i < grid_unit_type_count; i++)
        if (strcmp(t, grid_unit_types[i]) == 0)
            return true;
    return false;
}

/* The checks of a unit to add (editing: the code is the unit's own and stays). */
static ag_err unit_validate(ag_store *st, const grid_unit_in *u, bool editing, ag_error *err)
{
    ag_err rc = uscc_validate(u->code, "code", err);
    if (rc)
        return rc;
    if (!u->name || !*u->name)
        return ag_fail(err, AG_ERR_USAGE, "name", "缺少单位名称", "the unit needs a name");
    if (strlen(u->name) > 200)
        return ag_fail(err, AG_ERR_INPUT, "name", "单位名称过长（最多200字节）",
                       "the unit name is too long (200 bytes at most)");
    if (!type_known(u->type))
        return ag_fail(err, AG_ERR_INPUT, "type",
                       "单位类型“%s”无效，应为：机关、事业、国企、街道、学校、医院",
                       "unknown unit type '%s'; use one of 机关 事业 国企 街道 学校 医院",
                       u->type ? u->type : "");
    bool yes;
    rc = exists(st, "SELECT COUNT(*) FROM unit WHERE code = ?", u->code, &yes, err);
    if (rc)
        return rc;
    if (yes && !editing)
        return ag_fail(err, AG_ERR_EXISTS, "code", "单位代码 %s 已存在",
                       "a unit with code %s already exists", u->code);
    if (!yes && editing)
        return ag_fail(err, AG_ERR_NOTFOUND, "code", "单位 %s 不存在", "no unit %s", u->code);
    if (editing && u->parent_code && !strcmp(u->parent_code, u->code))
        return ag_fail(err, AG_ERR_INPUT, "parent_code", "上级单位不能是单位自身",
                       "a unit cannot be its own parent");
    if (u->cell_id) {
        rc = exists(st, "SELECT COUNT(*) FROM grid_cell WHERE id = ?", u->cell_id, &yes, err);
        if (rc)
            return rc;
        if (!yes)
            return ag_fail(err, AG_ERR_NOTFOUND, "cell_id", "网格 %s 不存在", "no grid cell %s",
                           u->cell_id);
    }
    return u->parent_code ? unit_known(st, u->parent_code, "parent_code", err) : AG_OK;
}

ag_err grid_unit_add(ag_store *st, const grid_unit_in *u, ag_error *err)
{
    char dcode[64], dname[128];
    ag_err rc = grid_district_get(st, dcode, dname, err);
    if (!rc)
        rc = unit_validate(st, u, false, err);
    if (rc)
        return rc;
    char ts[21];
    now_text(ts);
    ag_field f[] = {
        ag_field_text("code", u->code),          ag_field_text("name", u->name),
        ag_field_text("type", u->type),          ag_field_text("district_code", dcode),
        ag_field_text("cell_id", u->cell_id),    ag_field_text("parent_code", u->parent_code),
        ag_field_int("pilot", u->pilot ? 1 : 0), ag_field_text("address", u->address),
        ag_field_text("created_at", ts)};
    return store_insert(st, "unit", "code", f, sizeof f / sizeof f[0], NULL, err);
}

/* ---- queries ------------------------------------------------------------ */

static json_t *text_or_null(ag_stmt *s, int col)
{
    const char *t = store_col_text(s, col);
    return t ? json_string(t) : json_null();
}

/* Sets member keys[i] of o to the text (or null) of column col + i, for i < n. */
static void texts_into(json_t *o, ag_stmt *s, int col, const char *const keys[], int n)
{
    for (int i = 0; i < n; i++)
        json_object_set_new(o, keys[i], text_or_null(s, col + i));
}

/* {id, ...keys} of a row whose column col is the id and the texts follow it. */
static json_t *id_row(ag_stmt *s, int col, const char *const keys[], int n)
{
    json_t *o = json_pack("{s:I}", "id", (json_int_t)store_col_int(s, col));
    texts_into(o, s, col + 1, keys, n);
    return o;
}

/* {id, name, title} of a person from the columns col, col + 1 and col + 2. */
static json_t *person_row(ag_stmt *s, int col)
{
    static const char *const keys[] = {"name", "title"};
    return id_row(s, col, keys, 2);
}

/* Puts subject p of a unit in its place: the auditors' array, or the member of its role. */
static void subject_place(json_t *unit, json_t *auditors, const char *role, json_t *p)
{
    if (strcmp(role, "auditor") == 0)
        json_array_append_new(auditors, p);
    else
        json_object_set_new(unit, role, p);
}

/* Subjects of a unit as {principal: {id,name,title}|null, auditors: [...],
 * chief_auditor: ...|null}, merged into obj. */
static ag_err add_subjects(ag_store *st, const char *unit, json_t *obj, ag_error *err)
{
    ag_stmt *s = NULL;
    ag_err rc = wf_prep(st, &s, err,
                        "SELECT us.role, p.id, p.name, p.title FROM unit_subject us"
                        " JOIN person p ON p.id = us.person_id WHERE us.unit_code = ?"
                        " ORDER BY us.role, p.id",
                        "t", unit);
    json_t *auditors = json_array();
    json_object_set_new(obj, "principal", json_null());
    json_object_set_new(obj, "chief_auditor", json_null());
    bool row;
    while (!rc && !(rc = store_step(s, &row, err)) && row)
        subject_place(obj, auditors, store_col_text(s, 0), person_row(s, 1));
    json_object_set_new(obj, "auditors", auditors);
    store_finalize(s);
    return rc;
}

#define UNIT_COLS                                                                                  \
    "SELECT u.code, u.name, u.type, u.cell_id, c.name, u.parent_code, u.pilot, u.address,"         \
    " u.disabled FROM unit u LEFT JOIN grid_cell c ON c.id = u.cell_id"

static json_t *unit_row(ag_stmt *s)
{
    static const char *const keys[] = {"code",    "name",      "type",
                                       "cell_id", "cell_name", "parent_code"};
    json_t *o = json_object();
    texts_into(o, s, 0, keys, 6);
    json_object_set_new(o, "pilot", json_boolean(store_col_int(s, 6)));
    json_object_set_new(o, "address", text_or_null(s, 7));
    json_object_set_new(o, "disabled", json_boolean(store_col_int(s, 8)));
    return o;
}

/* Binds the filter (five placeholders) from index 1 and then, with q, the scope. */
static ag_err bind_unit_filter(ag_stmt *s, const grid_unit_filter *f, const scope_sql *q, int *next)
{
    const char *cell = f ? f->cell_id : NULL, *type = f ? f->type : NULL;
    ag_err rc =
        store_bind_args(s, NULL, "itttt", (int64_t)(f && f->pilot_only), cell, cell, type, type);
    if (!rc && q)
        rc = scope_bind(s, q, 6, next);
    return rc;
}

ag_err grid_unit_list(ag_store *st, const grid_unit_filter *f, json_t **out, ag_error *err)
{
    *out = NULL;
    ag_stmt *s = NULL;
    ag_err rc = store_prepare(st,
                              UNIT_COLS " WHERE (? = 0 OR u.pilot = 1)"
                                        " AND (? IS NULL OR u.cell_id = ?)"
                                        " AND (? IS NULL OR u.type = ?)"
                                        " ORDER BY c.sort_order, u.cell_id, u.code",
                              &s, err);
    if (rc)
        return rc;
    rc = bind_unit_filter(s, f, NULL, NULL);
    json_t *arr = json_array();
    bool row;
    while (!rc && !(rc = store_step(s, &row, err)) && row)
        json_array_append_new(arr, unit_row(s));
    store_finalize(s);
    for (size_t i = 0; !rc && i < json_array_size(arr); i++) {
        json_t *u = json_array_get(arr, i);
        rc = add_subjects(st, json_string_value(json_object_get(u, "code")), u, err);
    }
    return give(rc, arr, out);
}

#define UNIT_PAGE_WHERE                                                                            \
    " WHERE (? = 0 OR u.pilot = 1) AND (? IS NULL OR u.cell_id = ?)"                               \
    " AND (? IS NULL OR u.type = ?) AND "

/* Prepares sql and binds the page's filter, its scope and, when limit >= 0, limit and offset. */
static ag_err unit_page_prep(ag_store *st, const char *sql, const grid_unit_filter *f,
                             const scope_sql *q, int64_t limit, int64_t offset, ag_stmt **s,
                             ag_error *err)
{
    int next = 0;
    ag_err rc = store_prepare(st, sql, s, err);
    if (!rc)
        rc = bind_unit_filter(*s, f, q, &next);
    if (!rc && limit >= 0)
        rc = store_bind_int(*s, next, limit);
    if (!rc && limit >= 0)
        rc = store_bind_int(*s, next + 1, offset);
    return rc;
}

ag_err grid_unit_page(ag_store *st, const grid_unit_filter *f, const ag_scope *scope, int64_t limit,
                      int64_t offset, json_t **out, ag_error *err)
{
    *out = NULL;
    char sql[2048];
    ag_stmt *s = NULL;
    bool row = false;
    int64_t total = 0;
    scope_sql q;
    ag_scope all = {.role = AG_ROLE_ADMIN};
    ag_err rc = scope_predicate(scope ? scope : &all, "u.code", &q, err);
    if (rc)
        return rc;
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM unit u" UNIT_PAGE_WHERE "%s", q.text);
    rc = unit_page_prep(st, sql, f, &q, -1, 0, &s, err);
    rc = wf_step_int(s, rc, &total, err);
    s = NULL;
    /* The page, then the subjects of exactly the units on it. */
    static const char order[] = " ORDER BY c.sort_order, u.cell_id, u.code LIMIT ? OFFSET ?";
    snprintf(sql, sizeof sql, UNIT_COLS UNIT_PAGE_WHERE "%s%s", q.text, order);
    json_t *items = json_array();
    ag_map *index = ag_map_new(sizeof(size_t));
    if (!index)
        rc = ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    if (!rc)
        rc = unit_page_prep(st, sql, f, &q, limit, offset, &s, err);
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        json_t *u = unit_row(s);
        json_object_set_new(u, "principal", json_null());
        json_object_set_new(u, "auditors", json_array());
        json_object_set_new(u, "chief_auditor", json_null());
        const char *code = json_string_value(json_object_get(u, "code"));
        size_t *slot = ag_map_put(index, code, strlen(code), NULL);
        if (slot)
            *slot = json_array_size(items);
        json_array_append_new(items, u);
    }
    store_finalize(s);
    s = NULL;
    snprintf(sql, sizeof sql,
             "SELECT us.unit_code, us.role, p.id, p.name, p.title FROM unit_subject us"
             " JOIN person p ON p.id = us.person_id WHERE us.unit_code IN"
             " (SELECT u.code FROM unit u LEFT JOIN grid_cell c ON c.id = u.cell_id" UNIT_PAGE_WHERE
             "%s%s) ORDER BY us.unit_code, us.role, p.id",
             q.text, order);
    if (!rc && json_array_size(items) > 0) {
        rc = unit_page_prep(st, sql, f, &q, limit, offset, &s, err);
        while (!rc && !(rc = store_step(s, &row, err)) && row) {
            const char *code = store_col_text(s, 0);
            size_t *slot = ag_map_get(index, code, strlen(code));
            if (!slot)
                continue;
            json_t *u = json_array_get(items, *slot);
            subject_place(u, json_object_get(u, "auditors"), store_col_text(s, 1),
                          person_row(s, 2));
        }
        store_finalize(s);
    }
    ag_map_free(index);
    return give_page(rc, total, items, out);
}

ag_err grid_unit_persons(ag_store *st, const char *code, int64_t limit, int64_t offset,
                         json_t **out, ag_error *err)
{
    *out = NULL;
    static const char who[] = " FROM person p WHERE p.unit_code = ? OR p.id IN"
                              " (SELECT person_id FROM unit_subject WHERE unit_code = ?)";
    int64_t total = 0;
    ag_err rc = store_query_int(st, &total, err,
                                "SELECT COUNT(*) FROM person p WHERE p.unit_code = ? OR p.id IN"
                                " (SELECT person_id FROM unit_subject WHERE unit_code = ?)",
                                code, code, NULL);
    if (rc)
        return rc;
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT p.id, p.name, p.title, p.phone, p.email%s"
             " ORDER BY p.id LIMIT ? OFFSET ?",
             who);
    ag_stmt *s = NULL;
    bool row;
    rc = store_prepare(st, sql, &s, err);
    for (int i = 1; !rc && i <= 2; i++)
        rc = store_bind_text(s, i, code);
    if (!rc)
        rc = store_bind_int(s, 3, limit);
    if (!rc)
        rc = store_bind_int(s, 4, offset);
    json_t *items = json_array();
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        json_t *p = person_row(s, 0);
        json_object_set_new(p, "phone", text_or_null(s, 3));
        json_object_set_new(p, "email", text_or_null(s, 4));
        json_object_set_new(p, "roles", json_array());
        json_array_append_new(items, p);
    }
    store_finalize(s);
    s = NULL;
    /* The subject roles these persons hold in this unit. */
    if (!rc)
        rc = wf_prep(st, &s, err,
                     "SELECT person_id, role FROM unit_subject WHERE unit_code = ? ORDER BY role",
                     "t", code);
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        int64_t pid = store_col_int(s, 0);
        for (size_t i = 0; i < json_array_size(items); i++) {
            json_t *p = json_array_get(items, i);
            if (json_integer_value(json_object_get(p, "id")) == pid)
                json_array_append_new(json_object_get(p, "roles"),
                                      json_string(store_col_text(s, 1)));
        }
    }
    store_finalize(s);
    return give_page(rc, total, items, out);
}

ag_err grid_unit_get(ag_store *st, const char *code, json_t **out, ag_error *err)
{
    *out = NULL;
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = wf_prep(st, &s, err, UNIT_COLS " WHERE u.code = ?", "t", code);
    if (!rc)
        rc = store_step(s, &row, err);
    json_t *o = NULL;
    if (!rc && row)
        o = unit_row(s);
    store_finalize(s);
    if (rc)
        return rc;
    if (!o)
        return ag_fail(err, AG_ERR_NOTFOUND, "code", "单位 %s 不存在", "no unit %s", code);
    rc = add_subjects(st, code, o, err);
    json_t *children = json_array();
    json_object_set_new(o, "children", children);
    if (!rc)
        rc = store_prepare(st, "SELECT code, name FROM unit WHERE parent_code = ? ORDER BY code",
                           &s, err);
    if (!rc) {
        rc = store_bind_text(s, 1, code);
        while (!rc && !(rc = store_step(s, &row, err)) && row) {
            json_t *c = json_object();
            json_object_set_new(c, "code", text_or_null(s, 0));
            json_object_set_new(c, "name", text_or_null(s, 1));
            json_array_append_new(children, c);
        }
        store_finalize(s);
    }
    if (!rc)
        rc = store_prepare(st, "SELECT id, name, title FROM person WHERE unit_code = ? ORDER BY id",
                           &s, err);
    if (!rc) {
        json_t *people = json_array();
        json_object_set_new(o, "persons", people);
        rc = store_bind_text(s, 1, code);
        while (!rc && !(rc = store_step(s, &row, err)) && row)
            json_array_append_new(people, person_row(s, 0));
        store_finalize(s);
    }
    return give(rc, o, out);
}

/* ---- persons and subjects ---------------------------------------------- */

/* AG_OK for a subject role, else AG_ERR_USAGE naming "role". */
static ag_err role_check(const char *r, ag_error *err)
{
    if (r && (!strcmp(r, "principal") || !strcmp(r, "auditor") || !strcmp(r, "chief_auditor")))
        return AG_OK;
    return ag_fail(err, AG_ERR_USAGE, "role",
                   "主体角色应为 principal（主要负责同志）、auditor（内审人员）或 "
                   "chief_auditor（国企总审计师）：%s",
                   "a subject role is principal, auditor or chief_auditor: %s", r ? r : "");
}

ag_err grid_subject_set(ag_store *st, const char *unit_code, int64_t person_id, const char *role,
                        ag_error *err)
{
    ag_err rc = role_check(role, err);
    if (rc)
        return rc;
    char type[32] = "";
    ag_stmt *s = NULL;
    bool row = false;
    rc = wf_prep(st, &s, err, "SELECT type FROM unit WHERE code = ?", "t", unit_code);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row)
        snprintf(type, sizeof type, "%s", store_col_text(s, 0));
    store_finalize(s);
    if (rc)
        return rc;
    if (!row)
        return ag_fail(err, AG_ERR_NOTFOUND, "unit_code", "单位 %s 不存在", "no unit %s",
                       unit_code ? unit_code : "");
    if (!strcmp(role, "chief_auditor") && strcmp(type, "国企") != 0)
        return ag_fail(err, AG_ERR_INPUT, "role", "总审计师只设于国企，%s 是%s",
                       "a chief auditor belongs to an SOE; %s is a %s", unit_code, type);
    rc = store_begin(st, err);
    if (rc)
        return rc;
    if (!strcmp(role, "principal")) {
        /* One principal leader per unit: the new one replaces the old. */
        int64_t old = 0;
        char uc[32];
        snprintf(uc, sizeof uc, "%s", unit_code);
        ag_err q = store_query_int(st, &old, err,
                                   "SELECT id FROM unit_subject WHERE unit_code = ? AND role = "
                                   "'principal'",
                                   uc, NULL);
        if (q == AG_OK)
            rc = store_delete(st, "unit_subject", "id", ag_field_int("id", old), err);
        else if (q != AG_ERR_NOTFOUND)
            rc = q;
    }
    char ts[21];
    now_text(ts);
    ag_field f[] = {ag_field_text("unit_code", unit_code), ag_field_int("person_id", person_id),
                    ag_field_text("role", role), ag_field_text("since", ts)};
    if (!rc)
        rc = store_insert(st, "unit_subject", "id", f, 4, NULL, err);
    return store_end(st, rc, err);
}

/* The checks of a person to add (adding: p->role comes with p->unit_code) or to edit. */
static ag_err person_check(const grid_person_in *p, bool adding, ag_error *err)
{
    if (!p->name || !*p->name)
        return ag_fail(err, AG_ERR_USAGE, "name", "缺少姓名", "the person needs a name");
    if (strlen(p->name) > 100)
        return ag_fail(err, AG_ERR_INPUT, "name", "姓名过长", "the name is too long");
    if (adding && p->role && !p->unit_code)
        return ag_fail(err, AG_ERR_USAGE, "role", "指定主体角色时须同时指定所在单位",
                       "a subject role needs the person's unit");
    if (p->phone && strspn(p->phone, "0123456789-+ ") != strlen(p->phone))
        return ag_fail(err, AG_ERR_INPUT, "phone", "电话号码只能包含数字、空格、+ 和 -",
                       "a phone number has only digits, spaces, + and -");
    return AG_OK;
}

ag_err grid_person_add(ag_store *st, const grid_person_in *p, int64_t *id, ag_error *err)
{
    ag_err rc = person_check(p, true, err);
    if (!rc)
        rc = store_begin(st, err);
    if (rc)
        return rc;
    char ts[21];
    now_text(ts);
    int64_t pid = 0;
    ag_field f[] = {ag_field_text("name", p->name),   ag_field_text("unit_code", p->unit_code),
                    ag_field_text("title", p->title), ag_field_text("phone", p->phone),
                    ag_field_text("email", p->email), ag_field_text("created_at", ts)};
    rc = store_insert(st, "person", "id", f, sizeof f / sizeof f[0], &pid, err);
    if (rc == AG_ERR_NOTFOUND)
        rc = ag_fail(err, AG_ERR_NOTFOUND, "unit_code", "单位 %s 不存在", "no unit %s",
                     p->unit_code ? p->unit_code : "");
    if (!rc && p->role)
        rc = grid_subject_set(st, p->unit_code, pid, p->role, err);
    rc = store_end(st, rc, err);
    if (!rc && id)
        *id = pid;
    return rc;
}

ag_err grid_person_add_with_liaison(ag_store *st, const grid_person_in *p, const char *liaison_of,
                                    int64_t *id, ag_error *err)
{
    int64_t pid = 0;
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = grid_person_add(st, p, &pid, err);
    if (!rc && liaison_of)
        rc = grid_liaison_add(st, liaison_of, pid, err);
    rc = store_end(st, rc, err);
    if (!rc && id)
        *id = pid;
    return rc;
}

ag_err grid_liaison_add(ag_store *st, const char *cell_id, int64_t person_id, ag_error *err)
{
    ag_field f[] = {ag_field_text("cell_id", cell_id), ag_field_int("person_id", person_id)};
    ag_err rc = store_insert(st, "cell_liaison", "id", f, 2, NULL, err);
    if (rc == AG_ERR_NOTFOUND)
        return ag_fail(err, rc, "cell_id", "网格 %s 或人员 %lld 不存在",
                       "no cell %s or no person %lld", cell_id, (long long)person_id);
    return rc;
}

ag_err grid_tree(ag_store *st, json_t **out, ag_error *err)
{
    *out = NULL;
    char dcode[64], dname[128];
    ag_err rc = grid_district_get(st, dcode, dname, err);
    if (rc)
        return rc;
    json_t *root = json_object();
    json_object_set_new(root, "district", json_pack("{s:s,s:s}", "code", dcode, "name", dname));
    json_t *cells = json_array();
    json_object_set_new(root, "cells", cells);
    ag_stmt *s = NULL;
    bool row;
    rc = store_prepare(
        st, "SELECT id, kind, name, visit_days, disabled FROM grid_cell ORDER BY sort_order, id",
        &s, err);
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        static const char *const keys[] = {"id", "kind", "name"};
        json_t *c = json_object();
        texts_into(c, s, 0, keys, 3);
        json_object_set_new(c, "visit_days", json_integer(store_col_int(s, 3)));
        json_object_set_new(c, "disabled", json_boolean(store_col_int(s, 4)));
        json_object_set_new(c, "liaisons", json_array());
        json_object_set_new(c, "units", json_array());
        json_array_append_new(cells, c);
    }
    store_finalize(s);
    s = NULL;
    if (!rc)
        rc = store_prepare(st,
                           "SELECT l.cell_id, p.id, p.name, p.title FROM cell_liaison l"
                           " JOIN person p ON p.id = l.person_id ORDER BY l.cell_id, p.id",
                           &s, err);
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        const char *cid = store_col_text(s, 0);
        for (size_t i = 0; i < json_array_size(cells); i++) {
            json_t *c = json_array_get(cells, i);
            if (strcmp(json_string_value(json_object_get(c, "id")), cid) == 0)
                json_array_append_new(json_object_get(c, "liaisons"), person_row(s, 1));
        }
    }
    store_finalize(s);
    json_t *units = NULL;
    if (!rc)
        rc = grid_unit_list(st, NULL, &units, err);
    json_t *unassigned = json_array();
    json_object_set_new(root, "unassigned", unassigned);
    for (size_t i = 0; !rc && i < json_array_size(units); i++) {
        json_t *u = json_array_get(units, i);
        const char *cid = json_string_value(json_object_get(u, "cell_id"));
        json_t *target = unassigned;
        for (size_t j = 0; cid && j < json_array_size(cells); j++) {
            json_t *c = json_array_get(cells, j);
            if (strcmp(json_string_value(json_object_get(c, "id")), cid) == 0)
                target = json_object_get(c, "units");
        }
        json_array_append(target, u);
    }
    json_decref(units);
    return give(rc, root, out);
}

/* ---- setup and administration (issue 12 §5, issue 13) ------------------- */

ag_err grid_init(ag_store *st, const char *code, const char *name, int64_t *catalog_version,
                 ag_error *err)
{
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = grid_district_init(st, code, name, err);
    if (!rc)
        rc = catalog_install_default(st, catalog_version, err);
    return store_end(st, rc, err);
}

ag_err grid_cell_count(ag_store *st, int64_t *n, ag_error *err)
{
    *n = 0;
    return store_query_int(st, n, err, "SELECT COUNT(*) FROM grid_cell", NULL);
}

ag_err grid_units_visible(ag_store *st, const ag_scope *sc, json_t **set, ag_error *err)
{
    *set = NULL;
    scope_sql q;
    ag_err rc = scope_predicate(sc, "u.code", &q, err);
    if (rc)
        return rc;
    char sql[600];
    int n = snprintf(sql, sizeof sql, "SELECT u.code FROM unit u WHERE %s", q.text);
    if (n < 0 || (size_t)n >= sizeof sql)
        return ag_fail(err, AG_ERR_INTERNAL, NULL, "范围条件过长",
                       "the scope predicate is too long");
    ag_stmt *s = NULL;
    bool row;
    rc = store_prepare(st, sql, &s, err);
    if (!rc)
        rc = scope_bind(s, &q, 1, NULL);
    json_t *o = json_object();
    while (!rc && !(rc = store_step(s, &row, err)) && row)
        json_object_set_new(o, store_col_text(s, 0), json_true());
    store_finalize(s);
    return give(rc, o, set);
}

ag_err grid_unit_update(ag_store *st, const grid_unit_in *u, ag_error *err)
{
    ag_err rc = unit_validate(st, u, true, err);
    if (rc)
        return rc;
    ag_field f[] = {
        ag_field_text("name", u->name),          ag_field_text("type", u->type),
        ag_field_text("cell_id", u->cell_id),    ag_field_text("parent_code", u->parent_code),
        ag_field_int("pilot", u->pilot ? 1 : 0), ag_field_text("address", u->address)};
    return store_update(st, "unit", "code", ag_field_text("code", u->code), f,
                        sizeof f / sizeof f[0], err);
}

/* Sets or clears the disabled flag of the row of table whose key column is key.col. */
static ag_err set_disabled(ag_store *st, const char *table, ag_field key, bool disabled,
                           ag_error *err)
{
    ag_field f = ag_field_int("disabled", disabled ? 1 : 0);
    return store_update(st, table, key.col, key, &f, 1, err);
}

ag_err grid_unit_set_disabled(ag_store *st, const char *code, bool disabled, ag_error *err)
{
    ag_err rc = set_disabled(st, "unit", ag_field_text("code", code), disabled, err);
    if (rc == AG_ERR_NOTFOUND)
        return ag_fail(err, rc, "code", "单位 %s 不存在", "no unit %s", code ? code : "");
    return rc;
}

/* A LIKE pattern that finds q anywhere, with %, _ and \ taken literally. */
static void like_pattern(const char *q, char *out, size_t n)
{
    size_t j = 0;
    out[j++] = '%';
    for (size_t i = 0; q[i] && j + 3 < n; i++) {
        if (q[i] == '%' || q[i] == '_' || q[i] == '\\')
            out[j++] = '\\';
        out[j++] = q[i];
    }
    out[j++] = '%';
    out[j] = '\0';
}

#define PERSON_WHERE                                                                               \
    " FROM person p LEFT JOIN unit u ON u.code = p.unit_code"                                      \
    " WHERE (? IS NULL OR p.name LIKE ? ESCAPE '\\' OR p.title LIKE ? ESCAPE '\\'"                 \
    " OR u.name LIKE ? ESCAPE '\\') AND (? IS NULL OR p.unit_code = ?) AND (? = 0 OR p.id = ?)"

static ag_err bind_person_filter(ag_stmt *s, const char *pat, const char *unit, int64_t id)
{
    ag_err rc = AG_OK;
    for (int i = 1; !rc && i <= 4; i++)
        rc = store_bind_text(s, i, pat);
    for (int i = 5; !rc && i <= 6; i++)
        rc = store_bind_text(s, i, unit);
    for (int i = 7; !rc && i <= 8; i++)
        rc = store_bind_int(s, i, id);
    return rc;
}

/* The subject roles and liaison cells of each person in items (by "id"). */
static ag_err person_roles(ag_store *st, json_t *items, ag_error *err)
{
    ag_stmt *sub = NULL, *lia = NULL;
    ag_err rc = store_prepare(st,
                              "SELECT us.unit_code, u.name, us.role FROM unit_subject us"
                              " JOIN unit u ON u.code = us.unit_code WHERE us.person_id = ?"
                              " ORDER BY us.unit_code, us.role",
                              &sub, err);
    if (!rc)
        rc = store_prepare(st,
                           "SELECT l.cell_id, c.name FROM cell_liaison l JOIN grid_cell c"
                           " ON c.id = l.cell_id WHERE l.person_id = ? ORDER BY l.cell_id",
                           &lia, err);
    bool row;
    for (size_t i = 0; !rc && i < json_array_size(items); i++) {
        json_t *p = json_array_get(items, i);
        int64_t pid = json_integer_value(json_object_get(p, "id"));
        json_t *roles = json_array(), *cells = json_array();
        rc = store_reset_args(sub, err, "i", pid);
        while (!rc && !(rc = store_step(sub, &row, err)) && row)
            json_array_append_new(
                roles, json_pack("{s:o,s:o,s:o}", "unit_code", text_or_null(sub, 0), "unit_name",
                                 text_or_null(sub, 1), "role", text_or_null(sub, 2)));
        if (!rc)
            rc = store_reset_args(lia, err, "i", pid);
        while (!rc && !(rc = store_step(lia, &row, err)) && row)
            json_array_append_new(cells, json_pack("{s:o,s:o}", "cell_id", text_or_null(lia, 0),
                                                   "cell_name", text_or_null(lia, 1)));
        json_object_set_new(p, "subjects", roles);
        json_object_set_new(p, "liaison_of", cells);
    }
    store_finalize(sub);
    store_finalize(lia);
    return rc;
}

static ag_err person_query(ag_store *st, const char *q, const char *unit, int64_t id, int64_t limit,
                           int64_t offset, json_t **out, ag_error *err)
{
    *out = NULL;
    char pat[420];
    const char *pp = NULL;
    if (q && *q) {
        like_pattern(q, pat, sizeof pat);
        pp = pat;
    }
    if (unit && !*unit)
        unit = NULL;
    int64_t total = 0;
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = store_prepare(st, "SELECT COUNT(*)" PERSON_WHERE, &s, err);
    if (!rc)
        rc = bind_person_filter(s, pp, unit, id);
    rc = wf_step_int(s, rc, &total, err);
    s = NULL;
    json_t *items = json_array();
    if (!rc)
        rc = store_prepare(st,
                           "SELECT p.id, p.name, p.unit_code, u.name, p.title, p.phone, p.email,"
                           " p.disabled" PERSON_WHERE " ORDER BY p.id LIMIT ? OFFSET ?",
                           &s, err);
    if (!rc)
        rc = bind_person_filter(s, pp, unit, id);
    if (!rc)
        rc = store_bind_int(s, 9, limit);
    if (!rc)
        rc = store_bind_int(s, 10, offset);
    static const char *const keys[] = {"name", "unit_code", "unit_name", "title", "phone", "email"};
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        json_t *p = id_row(s, 0, keys, 6);
        json_object_set_new(p, "disabled", json_boolean(store_col_int(s, 7)));
        json_array_append_new(items, p);
    }
    store_finalize(s);
    if (!rc)
        rc = person_roles(st, items, err);
    return give_page(rc, total, items, out);
}

ag_err grid_person_page(ag_store *st, const char *q, const char *unit_code, int64_t limit,
                        int64_t offset, json_t **out, ag_error *err)
{
    return person_query(st, q, unit_code, 0, limit, offset, out, err);
}

ag_err grid_person_get(ag_store *st, int64_t id, json_t **out, ag_error *err)
{
    *out = NULL;
    json_t *page = NULL;
    ag_err rc = person_query(st, NULL, NULL, id > 0 ? id : -1, 1, 0, &page, err);
    if (rc)
        return rc;
    json_t *p = json_array_get(json_object_get(page, "items"), 0);
    if (!p) {
        json_decref(page);
        return ag_fail(err, AG_ERR_NOTFOUND, "id", "人员 %lld 不存在", "no person %lld",
                       (long long)id);
    }
    *out = json_incref(p);
    json_decref(page);
    return AG_OK;
}

ag_err grid_person_update(ag_store *st, int64_t id, const grid_person_in *p, ag_error *err)
{
    ag_err rc = person_check(p, false, err);
    if (!rc && p->unit_code)
        rc = unit_known(st, p->unit_code, "unit_code", err);
    if (rc)
        return rc;
    ag_field f[] = {ag_field_text("name", p->name), ag_field_text("unit_code", p->unit_code),
                    ag_field_text("title", p->title), ag_field_text("phone", p->phone),
                    ag_field_text("email", p->email)};
    rc = store_update(st, "person", "id", ag_field_int("id", id), f, sizeof f / sizeof f[0], err);
    if (rc == AG_ERR_NOTFOUND)
        return ag_fail(err, rc, "id", "人员 %lld 不存在", "no person %lld", (long long)id);
    return rc;
}

ag_err grid_person_set_disabled(ag_store *st, int64_t id, bool disabled, ag_error *err)
{
    ag_err rc = set_disabled(st, "person", ag_field_int("id", id), disabled, err);
    if (rc == AG_ERR_NOTFOUND)
        return ag_fail(err, rc, "id", "人员 %lld 不存在", "no person %lld", (long long)id);
    return rc;
}

/* Deletes the link of person_id to key: its subject role (role set) at unit key in
 * unit_subject, or else its liaison post in cell key in cell_liaison. */
static ag_err link_remove(ag_store *st, const char *key, int64_t person_id, const char *role,
                          ag_error *err)
{
    int64_t id = 0;
    ag_err rc = wf_query_int(st, &id, err,
                             role ? "SELECT id FROM unit_subject WHERE unit_code = ? AND"
                                    " person_id = ? AND role = ?"
                                  : "SELECT id FROM cell_liaison WHERE cell_id = ? AND"
                                    " person_id = ?",
                             role ? "tit" : "ti", key, person_id, role);
    if (rc)
        return rc;
    if (!id)
        return ag_fail(err, AG_ERR_NOTFOUND, "person_id",
                       role ? "人员 %lld 不是单位 %s 的该主体"
                            : "人员 %lld 不是网格 %s 的网格指导员",
                       role ? "person %lld is not this subject of unit %s"
                            : "person %lld is not a liaison of cell %s",
                       (long long)person_id, key ? key : "");
    return store_delete(st, role ? "unit_subject" : "cell_liaison", "id", ag_field_int("id", id),
                        err);
}

ag_err grid_subject_remove(ag_store *st, const char *unit_code, int64_t person_id, const char *role,
                           ag_error *err)
{
    ag_err rc = role_check(role, err);
    return rc ? rc : link_remove(st, unit_code, person_id, role, err);
}

ag_err grid_cell_update(ag_store *st, const grid_cell_in *c, ag_error *err)
{
    ag_err rc = cell_check(c, err);
    if (rc)
        return rc;
    if (c->visit_days < 0 || c->visit_days > 366)
        return ag_fail(err, AG_ERR_INPUT, "visit_days", "走访周期应为1-366天",
                       "the visit cadence is 1 to 366 days");
    ag_field f[] = {ag_field_text("kind", c->kind), ag_field_text("name", c->name),
                    ag_field_int("visit_days", c->visit_days > 0 ? c->visit_days : 30)};
    rc = store_update(st, "grid_cell", "id", ag_field_text("id", c->id), f, 3, err);
    if (rc == AG_ERR_NOTFOUND)
        return ag_fail(err, rc, "id", "网格 %s 不存在", "no grid cell %s", c->id ? c->id : "");
    return rc;
}

ag_err grid_cell_set_disabled(ag_store *st, const char *id, bool disabled, ag_error *err)
{
    ag_err rc = set_disabled(st, "grid_cell", ag_field_text("id", id), disabled, err);
    if (rc == AG_ERR_NOTFOUND)
        return ag_fail(err, rc, "id", "网格 %s 不存在", "no grid cell %s", id ? id : "");
    return rc;
}

ag_err grid_liaison_remove(ag_store *st, const char *cell_id, int64_t person_id, ag_error *err)
{
    return link_remove(st, cell_id, person_id, NULL, err);
}
