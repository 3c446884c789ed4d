/* api_assess_export.c - GET /api/v1/assess/years/{year}/export.xlsx (issue 15
 * §2): the year's performance assessment as the user may see it (optionally one
 * cell's units), one row per unit in rank order, as XLSX. */
#include "http/api.h"

#include <stdio.h>
#include <string.h>

#include "domain/assess.h"
#include "export/export.h"
#include "util/banned.h"

static ag_err path_year(http_req *r, int *year, ag_error *err)
{
    return api_path_year(r, ASSESS_YEAR_MIN, ASSESS_YEAR_MAX, year, err);
}

/* The rubric's groups and indicators (names, bounds) of the version the year was assessed
 * with, for the columns, unless the year object carries them. */
static ag_err add_rubric(ag_store *st, json_t *year, ag_error *err)
{
    if (json_is_array(json_object_get(year, "groups")))
        return AG_OK;
    json_t *rb = NULL;
    json_int_t v = json_integer_value(json_object_get(year, "rubric_version"));
    ag_err rc = assess_rubric_get(st, (int64_t)v, &rb, err);
    if (rc == AG_ERR_NOTFOUND && v != 0)
        rc = assess_rubric_get(st, 0, &rb, err);
    if (rc)
        return rc;
    json_object_set(year, "groups", json_object_get(rb, "groups"));
    if (!json_is_array(json_object_get(year, "indicators")))
        json_object_set(year, "indicators", json_object_get(rb, "indicators"));
    json_decref(rb);
    return AG_OK;
}

/* The cell's name from the filtered units (none when no unit is shown). */
static void add_cell_name(json_t *year, const char *cell)
{
    if (!cell)
        return;
    const json_t *u = json_array_get(json_object_get(year, "items"), 0);
    const char *name = json_string_value(json_object_get(u, "cell_name"));
    json_object_set_new(year, "cell_name", json_string(name ? name : cell));
}

static ag_err write_assess(const char *path, void *ctx, ag_error *err)
{
    return export_assess_xlsx(ctx, path, err);
}

ag_err api_assess_export(http_req *r, ag_error *err)
{
    int year = 0;
    ag_err rc = path_year(r, &year, err);
    if (rc)
        return rc;
    const char *cell = http_query(r, "cell");
    if (cell && !*cell)
        cell = NULL;
    json_t *obj = NULL;
    rc = assess_year_json(http_store(r), &http_user(r)->scope, year, cell, &obj, err);
    if (!rc)
        rc = add_rubric(http_store(r), obj, err);
    if (rc) {
        json_decref(obj);
        return rc;
    }
    add_cell_name(obj, cell);

    char name[80];
    snprintf(name, sizeof name, "绩效考核-%d.xlsx", year);
    rc = api_serve_xlsx(r, name, write_assess, obj, err);
    json_decref(obj);
    return rc;
}
