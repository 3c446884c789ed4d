/* api_grid.c - the grid, units, persons, the catalog, ledgers and import uploads, all unit-scoped.
 */
#include "http/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/import.h"
#include "domain/catalog.h"
#include "domain/grid.h"
#include "domain/names.h"
#include "ledger/import.h"
#include "util/banned.h"

/* The codes of the units in scope, as a JSON object used as a set. */
static ag_err visible_units(http_req *r, json_t **set, ag_error *err)
{
    return grid_units_visible(http_store(r), &http_user(r)->scope, set, err);
}

/* Answers with v unless rc is set; frees v and set (the units in scope) either way. */
static ag_err reply_scoped(http_req *r, ag_err rc, json_t *v, json_t *set)
{
    if (!rc)
        hj_value(http_out(r), v);
    json_decref(v);
    json_decref(set);
    return rc;
}

/* Keeps the elements of arr whose "code" is in set. */
static void keep_visible(json_t *arr, const json_t *set)
{
    for (size_t i = json_array_size(arr); i-- > 0;) {
        const char *code = json_string_value(json_object_get(json_array_get(arr, i), "code"));
        if (!code || !json_object_get(set, code))
            json_array_remove(arr, i);
    }
}

ag_err api_grid(http_req *r, ag_error *err)
{
    json_t *tree = NULL, *set = NULL;
    ag_err rc = grid_tree(http_store(r), &tree, err);
    if (!rc && !scope_is_global(&http_user(r)->scope)) {
        /* Only the units in scope, and only the cells that hold one. */
        rc = visible_units(r, &set, err);
        json_t *cells = json_object_get(tree, "cells");
        for (size_t i = json_array_size(cells); !rc && i-- > 0;) {
            json_t *units = json_object_get(json_array_get(cells, i), "units");
            keep_visible(units, set);
            if (json_array_size(units) == 0)
                json_array_remove(cells, i);
        }
        if (!rc)
            keep_visible(json_object_get(tree, "unassigned"), set);
    }
    return reply_scoped(r, rc, tree, set);
}

ag_err api_units(http_req *r, ag_error *err)
{
    int64_t page, per;
    ag_err rc = http_page(r, &page, &per, err);
    if (rc)
        return rc;
    const char *pilot = http_query(r, "pilot");
    grid_unit_filter f = {false, http_query(r, "cell"), http_query(r, "type")};
    if (pilot) {
        if (!strcmp(pilot, "true") || !strcmp(pilot, "1"))
            f.pilot_only = true;
        else if (strcmp(pilot, "false") && strcmp(pilot, "0"))
            return ag_fail(err, AG_ERR_USAGE, "pilot", "pilot 应为 true 或 false",
                           "pilot is true or false");
    }
    json_t *list = NULL;
    rc = grid_unit_page(http_store(r), &f, &http_user(r)->scope, per, (page - 1) * per, &list, err);
    return api_reply_page(r, rc, list, page, per);
}

ag_err api_unit(http_req *r, ag_error *err)
{
    const char *code = http_param(r, "code");
    ag_err rc = api_unit_in_scope(r, code, err);
    json_t *u = NULL, *set = NULL;
    if (!rc)
        rc = grid_unit_get(http_store(r), code, &u, err);
    if (!rc && !scope_is_global(&http_user(r)->scope)) {
        /* A leader of a group head sees its unit, not its subsidiaries. */
        rc = visible_units(r, &set, err);
        if (!rc)
            keep_visible(json_object_get(u, "children"), set);
    }
    if (!rc) /* 上级单位 by name */
        rc = names_annotate(http_store(r), u, err);
    return reply_scoped(r, rc, u, set);
}

ag_err api_unit_persons(http_req *r, ag_error *err)
{
    const char *code = http_param(r, "code");
    int64_t page, per;
    ag_err rc = http_page(r, &page, &per, err);
    if (!rc)
        rc = api_unit_in_scope(r, code, err);
    json_t *list = NULL;
    if (!rc)
        rc = grid_unit_persons(http_store(r), code, per, (page - 1) * per, &list, err);
    return api_reply_page(r, rc, list, page, per);
}

ag_err api_unit_create(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"code",        "name",  "type",    "cell_id",
                                       "parent_code", "pilot", "address", NULL};
    grid_unit_in u;
    memset(&u, 0, sizeof u);
    const api_field fields[] = {api_str("code", true, 32, &u.code),
                                api_str("name", true, 200, &u.name),
                                api_str("type", true, 32, &u.type),
                                api_str("cell_id", false, 16, &u.cell_id),
                                api_str("parent_code", false, 32, &u.parent_code),
                                api_str("address", false, 400, &u.address),
                                api_end()};
    ag_err rc = api_body_read(r, keys, fields, err);
    json_t *pilot = json_object_get(http_body(r), "pilot");
    if (!rc && pilot && !json_is_boolean(pilot))
        rc = ag_fail(err, AG_ERR_INPUT, "pilot", "pilot 应为 true 或 false",
                     "pilot is true or false");
    u.pilot = json_is_true(pilot);
    if (!rc)
        rc = grid_unit_add(http_store(r), &u, err);
    json_t *o = NULL;
    if (!rc)
        rc = grid_unit_get(http_store(r), u.code, &o, err);
    if (rc)
        return rc;
    http_set_status(r, 201);
    hj_value(http_out(r), o);
    json_decref(o);
    return AG_OK;
}

ag_err api_person_create(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"name", "title", "phone", "email", "role", NULL};
    const char *code = http_param(r, "code");
    grid_person_in p;
    memset(&p, 0, sizeof p);
    p.unit_code = code;
    const api_field fields[] = {
        api_str("name", true, 100, &p.name),   api_str("title", false, 100, &p.title),
        api_str("phone", false, 32, &p.phone), api_str("email", false, 200, &p.email),
        api_str("role", false, 16, &p.role),   api_end()};
    ag_err rc = http_body_only(r, keys, err);
    if (!rc)
        rc = api_unit_in_scope(r, code, err);
    if (!rc)
        rc = api_body_read(r, NULL, fields, err);
    int64_t id = 0;
    if (!rc)
        rc = grid_person_add(http_store(r), &p, &id, err);
    if (rc)
        return rc;
    http_set_status(r, 201);
    hj_writer *w = http_out(r);
    hj_obj_begin(w);
    hj_kint(w, "id", id);
    hj_kstr(w, "unit_code", code);
    hj_kstr(w, "name", p.name);
    hj_kstr(w, "title", p.title);
    hj_kstr(w, "role", p.role);
    hj_obj_end(w);
    return AG_OK;
}

ag_err api_catalog(http_req *r, ag_error *err)
{
    int64_t version = 0;
    const char *v = http_query(r, "version");
    if (v && !api_parse_id(v, &version))
        return ag_fail(err, AG_ERR_USAGE, "version", "version 应为正整数",
                       "version is a positive integer");
    json_t *c = NULL;
    ag_err rc = catalog_get(http_store(r), version, &c, err);
    if (rc)
        return rc;
    hj_value(http_out(r), c);
    json_decref(c);
    return AG_OK;
}

static bool parse_year(const char *s, int *year)
{
    if (!s)
        return true;
    if (strlen(s) != 4 || strspn(s, "0123456789") != 4)
        return false;
    *year = (int)strtol(s, NULL, 10);
    return *year >= 1900;
}

ag_err api_ledger(http_req *r, ag_error *err)
{
    const char *code = http_param(r, "code");
    int year = 0;
    if (!parse_year(http_query(r, "year"), &year))
        return ag_fail(err, AG_ERR_USAGE, "year", "year 应为四位年份", "year is a 4-digit year");
    ag_err rc = api_unit_in_scope(r, code, err);
    if (rc)
        return rc;
    json_t *books = NULL;
    rc = ledger_summary(http_store(r), code, year, &books, err);
    if (rc == AG_ERR_NOTFOUND && year == 0) {
        /* The unit is there (scope checked it): it just has no books yet. */
        books = json_array();
        rc = AG_OK;
    }
    if (!rc) /* who imported each source, by name */
        rc = names_annotate(http_store(r), books, err);
    if (rc) {
        json_decref(books);
        return rc;
    }
    hj_writer *w = http_out(r);
    hj_obj_begin(w);
    hj_kstr(w, "unit", code);
    hj_kvalue(w, "books", books);
    hj_obj_end(w);
    json_decref(books);
    return AG_OK;
}

static bool flag_arg(const char *v, bool *out)
{
    if (!v)
        return true;
    if (!strcmp(v, "true") || !strcmp(v, "1"))
        *out = true;
    else if (!strcmp(v, "false") || !strcmp(v, "0"))
        *out = false;
    else
        return false;
    return true;
}

/* On the long-job worker: the spooled upload goes through the import
 * pipeline (one transaction, validated, idempotent). */
ag_err api_import(http_req *r, ag_error *err)
{
    const char *code = http_param(r, "code");
    ledger_import_opts o;
    memset(&o, 0, sizeof o);
    o.unit_code = code;
    o.format = http_query(r, "format");
    o.sheet = http_query(r, "sheet");
    o.chart = http_query(r, "chart");
    o.label = http_query(r, "filename");
    if (!parse_year(http_query(r, "year"), &o.year))
        return ag_fail(err, AG_ERR_USAGE, "year", "year 应为四位年份", "year is a 4-digit year");
    if (!flag_arg(http_query(r, "replace"), &o.replace) ||
        !flag_arg(http_query(r, "append"), &o.append))
        return ag_fail(err, AG_ERR_USAGE, "replace", "replace 与 append 应为 true 或 false",
                       "replace and append are true or false");
    /* Checked again here: the unit could have changed while the body came in. */
    ag_err rc = api_unit_in_scope(r, code, err);
    json_t *report = NULL;
    if (!rc)
        rc = app_import(http_store(r), &http_user(r)->scope, http_upload_path(r), &o, &report, err);
    if (rc)
        return rc;
    /* The report names the file as uploaded, not the spool path. */
    json_object_set_new(report, "path", json_string(http_query(r, "filename")));
    const char *status = json_string_value(json_object_get(report, "status"));
    http_set_status(r, status && !strcmp(status, "already_imported") ? 200 : 201);
    hj_value(http_out(r), report);
    json_decref(report);
    return AG_OK;
}
