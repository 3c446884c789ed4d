/* api_admin.c - administration for the bureau's administrator: accounts, units, persons, the
 * responsible subjects, grid cells, liaisons, and the audit log with its chain check. Each
 * handler parses, calls one domain action (which owns its transaction and audit entry) and
 * renders. */
#include "http/api.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "app/audit_log.h"
#include "domain/grid.h"
#include "domain/names.h"
#include "domain/user.h"
#include "util/banned.h"

/* An optional boolean field of the body into *out (left alone when absent). */
static ag_err opt_bool(http_req *r, const char *key, bool *out, ag_error *err)
{
    json_t *v = json_object_get(http_body(r), key);
    if (!v || json_is_null(v))
        return AG_OK;
    if (!json_is_boolean(v))
        return ag_fail(err, AG_ERR_INPUT, key, "%s 应为 true 或 false", "%s is true or false", key);
    *out = json_is_true(v);
    return AG_OK;
}

/* The two routes of a record that can be switched off and on again:
 * api_X_disable and api_X_enable, both through X_disable(r, disabled, err). */
#define ON_OFF(X)                                                                                  \
    ag_err api_##X##_disable(http_req *r, ag_error *err)                                           \
    {                                                                                              \
        return X##_disable(r, true, err);                                                          \
    }                                                                                              \
    ag_err api_##X##_enable(http_req *r, ag_error *err)                                            \
    {                                                                                              \
        return X##_disable(r, false, err);                                                         \
    }

/* Answers with v (consumed) after a change, or passes the error on. */
static ag_err reply(http_req *r, ag_err rc, int status, json_t *v)
{
    if (rc) {
        json_decref(v);
        return rc;
    }
    http_set_status(r, status);
    hj_value(http_out(r), v);
    json_decref(v);
    return AG_OK;
}

/* A record by its id or its code. */
typedef ag_err (*id_get_fn)(ag_store *st, int64_t id, json_t **out, ag_error *err);
typedef ag_err (*code_get_fn)(ag_store *st, const char *code, json_t **out, ag_error *err);

/* After a change (rc): answers with the record as it now stands, or passes rc on. */
static ag_err reply_id(http_req *r, ag_err rc, int status, id_get_fn get, int64_t id, ag_error *err)
{
    json_t *o = NULL;
    if (!rc)
        rc = get(http_store(r), id, &o, err);
    return reply(r, rc, status, o);
}

static ag_err reply_code(http_req *r, ag_err rc, int status, code_get_fn get, const char *code,
                         ag_error *err)
{
    json_t *o = NULL;
    if (!rc)
        rc = get(http_store(r), code, &o, err);
    return reply(r, rc, status, o);
}

ag_err api_users(http_req *r, ag_error *err)
{
    int64_t page, per;
    ag_err rc = http_page(r, &page, &per, err);
    json_t *all = NULL;
    if (!rc)
        rc = user_list(http_store(r), &all, err);
    if (rc)
        return rc;
    /* Accounts are few: page the list in memory. */
    json_t *items = json_array();
    size_t from = (size_t)((page - 1) * per);
    for (size_t i = from; i < json_array_size(all) && i < from + (size_t)per; i++)
        json_array_append(items, json_array_get(all, i));
    json_t *list =
        json_pack("{s:I,s:o}", "total", (json_int_t)json_array_size(all), "items", items);
    json_decref(all);
    return api_reply_page(r, AG_OK, list, page, per);
}

/* On a hashing worker: creating an account hashes its password. */
ag_err api_user_create(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"username",     "role",     "unit_code", "cell_id",
                                       "display_name", "password", "person_id", NULL};
    user_in u;
    memset(&u, 0, sizeof u);
    const api_field fields[] = {api_str("username", true, 64, &u.username),
                                api_str("role", true, 16, &u.role),
                                api_str("unit_code", false, 32, &u.unit_code),
                                api_str("cell_id", false, 16, &u.cell_id),
                                api_str("display_name", false, 100, &u.display_name),
                                api_str("password", true, 128, &u.password),
                                api_end()};
    ag_err rc = api_body_read(r, keys, fields, err);
    json_t *pid = json_object_get(http_body(r), "person_id");
    if (!rc && pid && !json_is_null(pid)) {
        if (!json_is_integer(pid) || json_integer_value(pid) <= 0)
            rc = ag_fail(err, AG_ERR_INPUT, "person_id", "person_id 应为正整数",
                         "person_id is a positive integer");
        else
            u.person_id = json_integer_value(pid);
    }
    int64_t id = 0;
    if (!rc)
        rc = user_add(http_store(r), &u, &id, err);
    /* The password is no longer needed: wipe it from the parsed body. */
    json_t *pw = json_object_get(http_body(r), "password");
    if (json_is_string(pw))
        sodium_memzero((void *)json_string_value(pw), json_string_length(pw));
    if (rc)
        return reply(r, rc, 0, NULL);
    http_set_status(r, 201);
    hj_writer *w = http_out(r);
    hj_obj_begin(w);
    hj_kint(w, "id", id);
    hj_kstr(w, "username", u.username);
    hj_kstr(w, "role", u.role);
    hj_kstr(w, "unit_code", u.unit_code);
    hj_kstr(w, "cell_id", u.cell_id);
    hj_kstr(w, "display_name", u.display_name);
    hj_obj_end(w);
    return AG_OK;
}

/* ---- accounts ------------------------------------------------------------- */

/* The account id as a user_list entry. */
static ag_err user_get(ag_store *st, int64_t id, json_t **out, ag_error *err)
{
    *out = NULL;
    json_t *all = NULL;
    ag_err rc = user_list(st, &all, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < json_array_size(all); i++) {
        json_t *u = json_array_get(all, i);
        if (json_integer_value(json_object_get(u, "id")) == id)
            *out = json_incref(u);
    }
    json_decref(all);
    if (!*out)
        return ag_fail(err, AG_ERR_NOTFOUND, "id", "账号 %lld 不存在", "no account %lld",
                       (long long)id);
    return AG_OK;
}

ag_err api_user_update(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"role",         "unit_code", "cell_id",
                                       "display_name", "person_id", NULL};
    int64_t id = 0, person = 0;
    user_in u;
    memset(&u, 0, sizeof u);
    const api_field fields[] = {
        api_str("role", true, 16, &u.role),     api_opt_str("unit_code", 32, &u.unit_code),
        api_opt_str("cell_id", 16, &u.cell_id), api_opt_str("display_name", 100, &u.display_name),
        api_id("person_id", false, &person),    api_end()};
    ag_err rc = api_path_body(r, "user", &id, keys, fields, err);
    u.person_id = person;
    if (!rc)
        rc = user_update(http_store(r), id, &u, err);
    return reply_id(r, rc, 200, user_get, id, err);
}

static ag_err user_disable(http_req *r, bool disabled, ag_error *err)
{
    int64_t id = 0;
    ag_err rc = api_path_id(r, "user", &id, err);
    if (!rc)
        rc = user_set_disabled(http_store(r), id, disabled, http_user(r)->user_id, err);
    return reply_id(r, rc, 200, user_get, id, err);
}
ON_OFF(user)

/* ---- units ------------------------------------------------------------------ */

ag_err api_unit_update(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"name",  "type",    "cell_id", "parent_code",
                                       "pilot", "address", NULL};
    grid_unit_in u;
    memset(&u, 0, sizeof u);
    u.code = http_param(r, "code");
    const api_field fields[] = {
        api_str("name", true, 200, &u.name),     api_str("type", true, 32, &u.type),
        api_opt_str("cell_id", 16, &u.cell_id),  api_opt_str("parent_code", 32, &u.parent_code),
        api_opt_str("address", 400, &u.address), api_end()};
    ag_err rc = api_body_read(r, keys, fields, err);
    if (!rc)
        rc = opt_bool(r, "pilot", &u.pilot, err);
    if (!rc)
        rc = grid_unit_update(http_store(r), &u, err);
    json_t *o = NULL;
    if (!rc)
        rc = grid_unit_get(http_store(r), u.code, &o, err);
    if (!rc)
        rc = names_annotate(http_store(r), o, err);
    return reply(r, rc, 200, o);
}

/* Switches off or on the record the path parameter `param` names, and answers with it. */
static ag_err code_disable(http_req *r, const char *param, bool disabled,
                           ag_err (*set)(ag_store *, const char *, bool, ag_error *),
                           code_get_fn get, ag_error *err)
{
    const char *code = http_param(r, param);
    return reply_code(r, set(http_store(r), code, disabled, err), 200, get, code, err);
}

static ag_err unit_disable(http_req *r, bool disabled, ag_error *err)
{
    return code_disable(r, "code", disabled, grid_unit_set_disabled, grid_unit_get, err);
}
ON_OFF(unit)

/* ---- persons and the responsible subjects ---------------------------------------- */

ag_err api_persons(http_req *r, ag_error *err)
{
    int64_t page, per;
    ag_err rc = http_page(r, &page, &per, err);
    json_t *list = NULL;
    if (!rc)
        rc = grid_person_page(http_store(r), http_query(r, "q"), http_query(r, "unit"), per,
                              (page - 1) * per, &list, err);
    return api_reply_page(r, rc, list, page, per);
}

ag_err api_person(http_req *r, ag_error *err)
{
    int64_t id = 0;
    ag_err rc = api_path_id(r, "person", &id, err);
    return reply_id(r, rc, 200, grid_person_get, id, err);
}

/* The fields of a person in the body; with_links: also role and liaison_of (adding). */
static ag_err person_body(http_req *r, grid_person_in *p, bool with_links, const char **liaison,
                          ag_error *err)
{
    static const char *const add_keys[] = {"name",  "unit_code", "title",      "phone",
                                           "email", "role",      "liaison_of", NULL};
    static const char *const edit_keys[] = {"name", "unit_code", "title", "phone", "email", NULL};
    memset(p, 0, sizeof *p);
    const api_field fields[] = {
        api_str("name", true, 100, &p->name), api_opt_str("unit_code", 32, &p->unit_code),
        api_opt_str("title", 100, &p->title), api_opt_str("phone", 32, &p->phone),
        api_opt_str("email", 200, &p->email), api_end()};
    const api_field links[] = {api_opt_str("role", 16, &p->role),
                               api_opt_str("liaison_of", 16, liaison), api_end()};
    ag_err rc = api_body_read(r, with_links ? add_keys : edit_keys, fields, err);
    if (!rc && with_links)
        rc = api_body_read(r, NULL, links, err);
    return rc;
}

ag_err api_person_add(http_req *r, ag_error *err)
{
    grid_person_in p;
    const char *liaison = NULL;
    int64_t id = 0;
    ag_err rc = person_body(r, &p, true, &liaison, err);
    if (!rc)
        rc = grid_person_add_with_liaison(http_store(r), &p, liaison, &id, err);
    return reply_id(r, rc, 201, grid_person_get, id, err);
}

ag_err api_person_update(http_req *r, ag_error *err)
{
    grid_person_in p;
    int64_t id = 0;
    ag_err rc = api_path_id(r, "person", &id, err);
    if (!rc)
        rc = person_body(r, &p, false, NULL, err);
    if (!rc)
        rc = grid_person_update(http_store(r), id, &p, err);
    return reply_id(r, rc, 200, grid_person_get, id, err);
}

static ag_err person_disable(http_req *r, bool disabled, ag_error *err)
{
    int64_t id = 0;
    ag_err rc = api_path_id(r, "person", &id, err);
    if (!rc)
        rc = grid_person_set_disabled(http_store(r), id, disabled, err);
    return reply_id(r, rc, 200, grid_person_get, id, err);
}
ON_OFF(person)

ag_err api_subject_set(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"person_id", "role", NULL};
    const char *code = http_param(r, "code"), *role = NULL;
    int64_t person = 0;
    const api_field fields[] = {api_id("person_id", true, &person),
                                api_str("role", true, 16, &role), api_end()};
    ag_err rc = api_body_read(r, keys, fields, err);
    if (!rc)
        rc = grid_subject_set(http_store(r), code, person, role, err);
    /* The unit with its subjects after a change of them. */
    return reply_code(r, rc, 201, grid_unit_get, code, err);
}

/* The {person} path parameter as a positive id; otherwise AG_ERR_NOTFOUND. */
static ag_err path_person(http_req *r, int64_t *person, ag_error *err)
{
    if (api_parse_id(http_param(r, "person"), person))
        return AG_OK;
    return ag_fail(err, AG_ERR_NOTFOUND, "person", "人员不存在", "no such person");
}

ag_err api_subject_remove(http_req *r, ag_error *err)
{
    const char *code = http_param(r, "code");
    int64_t person = 0;
    ag_err rc = path_person(r, &person, err);
    if (!rc)
        rc = grid_subject_remove(http_store(r), code, person, http_query(r, "role"), err);
    return reply_code(r, rc, 200, grid_unit_get, code, err);
}

/* ---- grid cells and liaisons ------------------------------------------------------- */

/* One cell of the tree, with its liaisons. */
static ag_err cell_get(ag_store *st, const char *id, json_t **out, ag_error *err)
{
    *out = NULL;
    json_t *tree = NULL;
    ag_err rc = grid_tree(st, &tree, err);
    if (rc)
        return rc;
    json_t *cells = json_object_get(tree, "cells");
    for (size_t i = 0; i < json_array_size(cells); i++) {
        json_t *c = json_array_get(cells, i);
        if (!strcmp(json_string_value(json_object_get(c, "id")), id)) {
            json_object_del(c, "units");
            *out = json_incref(c);
        }
    }
    json_decref(tree);
    if (!*out)
        return ag_fail(err, AG_ERR_NOTFOUND, "id", "网格 %s 不存在", "no grid cell %s", id);
    return AG_OK;
}

ag_err api_cells(http_req *r, ag_error *err)
{
    json_t *tree = NULL;
    ag_err rc = grid_tree(http_store(r), &tree, err);
    if (rc)
        return rc;
    json_t *cells = json_object_get(tree, "cells");
    for (size_t i = 0; i < json_array_size(cells); i++) {
        json_t *c = json_array_get(cells, i);
        json_object_set_new(c, "unit_count",
                            json_integer((json_int_t)json_array_size(json_object_get(c, "units"))));
        json_object_del(c, "units");
    }
    json_t *o = json_pack("{s:O}", "items", cells);
    json_decref(tree);
    return reply(r, AG_OK, 200, o);
}

static ag_err cell_body(http_req *r, grid_cell_in *c, bool adding, ag_error *err)
{
    static const char *const add_keys[] = {"id", "kind", "name", "visit_days", NULL};
    static const char *const edit_keys[] = {"kind", "name", "visit_days", NULL};
    int64_t days = 0;
    const api_field fields[] = {api_str("kind", true, 16, &c->kind),
                                api_str("name", true, 100, &c->name),
                                api_int("visit_days", false, 1, 366, &days), api_end()};
    ag_err rc = http_body_only(r, adding ? add_keys : edit_keys, err);
    if (!rc && adding)
        rc = http_body_str(r, "id", true, 16, &c->id, err);
    if (!rc)
        rc = api_body_read(r, NULL, fields, err);
    c->visit_days = (int)days;
    return rc;
}

ag_err api_cell_add(http_req *r, ag_error *err)
{
    grid_cell_in c;
    memset(&c, 0, sizeof c);
    int64_t n = 0;
    ag_err rc = cell_body(r, &c, true, err);
    if (!rc)
        rc = grid_cell_count(http_store(r), &n, err);
    c.sort_order = (int)n + 1;
    if (!rc)
        rc = grid_cell_add(http_store(r), &c, err);
    return reply_code(r, rc, 201, cell_get, c.id, err);
}

ag_err api_cell_update(http_req *r, ag_error *err)
{
    grid_cell_in c;
    memset(&c, 0, sizeof c);
    c.id = http_param(r, "id");
    ag_err rc = cell_body(r, &c, false, err);
    if (!rc)
        rc = grid_cell_update(http_store(r), &c, err);
    return reply_code(r, rc, 200, cell_get, c.id, err);
}

static ag_err cell_disable(http_req *r, bool disabled, ag_error *err)
{
    return code_disable(r, "id", disabled, grid_cell_set_disabled, cell_get, err);
}
ON_OFF(cell)

ag_err api_liaison_add(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"person_id", NULL};
    const char *id = http_param(r, "id");
    int64_t person = 0;
    ag_err rc = http_body_only(r, keys, err);
    if (!rc)
        rc = api_body_int(r, "person_id", true, 1, INT64_MAX, &person, err);
    if (!rc)
        rc = grid_liaison_add(http_store(r), id, person, err);
    return reply_code(r, rc, 201, cell_get, id, err);
}

ag_err api_liaison_remove(http_req *r, ag_error *err)
{
    const char *id = http_param(r, "id");
    int64_t person = 0;
    ag_err rc = path_person(r, &person, err);
    if (!rc)
        rc = grid_liaison_remove(http_store(r), id, person, err);
    return reply_code(r, rc, 200, cell_get, id, err);
}

/* ---- the audit log -------------------------------------------------------------------- */

ag_err api_audit_log(http_req *r, ag_error *err)
{
    int64_t page, per;
    ag_err rc = http_page(r, &page, &per, err);
    json_t *list = NULL;
    if (!rc)
        rc = app_audit_log_page(http_store(r), http_query(r, "actor"), http_query(r, "table"), per,
                                (page - 1) * per, &list, err);
    if (!rc) /* who, by name */
        rc = names_annotate(http_store(r), list, err);
    return api_reply_page(r, rc, list, page, per);
}

ag_err api_audit_verify(http_req *r, ag_error *err)
{
    ag_audit_report rep;
    ag_error e2;
    int64_t anchor = 0;
    const char *expect = http_query(r, "expect");
    ag_err rc = app_audit_log_verify(http_store(r), expect, &rep, &anchor, &e2);
    if (rc && rc != AG_ERR_TAMPER) {
        *err = e2;
        return rc;
    }
    /* A broken chain is the answer to the question, not a failure to ask it. */
    hj_writer *w = http_out(r);
    hj_obj_begin(w);
    hj_kbool(w, "ok", rc == AG_OK);
    hj_kint(w, "entries", rep.entries);
    hj_kint(w, "head_seq", rep.head_seq);
    hj_kstr(w, "head_hash", rep.head_hash);
    if (expect && !rc)
        hj_kint(w, "anchor_seq", anchor);
    if (rc) {
        hj_kint(w, "bad_seq", rep.bad_seq);
        hj_kstr(w, "reason", rep.reason_zh);
        hj_kstr(w, "reason_en", rep.reason);
    }
    hj_obj_end(w);
    return AG_OK;
}
