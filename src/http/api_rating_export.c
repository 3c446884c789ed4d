/* api_rating_export.c - GET /api/v1/rating/years/{year}/export.xlsx: the 0–5A grades of a year
 * and every deduction as XLSX (issue 15 §1), over the units the signed-in user may see. */
#include "http/api.h"

#include <stdio.h>
#include <string.h>

#include "domain/rating.h"
#include "export/export.h"
#include "util/banned.h"

static ag_err path_year(http_req *r, int *year, ag_error *err)
{
    return api_path_year(r, RATING_YEAR_MIN, RATING_YEAR_MAX, year, err);
}

static ag_err write_rating(const char *path, void *ctx, ag_error *err)
{
    return export_rating_xlsx(ctx, path, err);
}

/* Names the indicator and evaluation point of every deduction (indicator_name, point_name) from
 * the year's rubric, so the sheet reads "U1 内部控制建设启动情况", not a bare code. */
static ag_err name_deductions(http_req *r, json_t *obj, ag_error *err)
{
    json_t *rub = NULL;
    json_int_t v = json_integer_value(json_object_get(obj, "rubric_version"));
    ag_err rc = rating_rubric_get(http_store(r), v, &rub, err);
    if (rc)
        return rc;
    json_t *names = json_object();
    const json_t *inds = json_object_get(rub, "indicators");
    for (size_t i = 0; names && i < json_array_size(inds); i++) {
        const json_t *ind = json_array_get(inds, i);
        const char *code = json_string_value(json_object_get(ind, "code"));
        if (code)
            json_object_set(names, code, json_object_get(ind, "name_zh"));
        const json_t *pts = json_object_get(ind, "points_list");
        for (size_t k = 0; k < json_array_size(pts); k++) {
            const json_t *p = json_array_get(pts, k);
            const char *pc = json_string_value(json_object_get(p, "code"));
            if (pc)
                json_object_set(names, pc, json_object_get(p, "name_zh"));
        }
    }
    const json_t *items = json_object_get(obj, "items");
    for (size_t i = 0; names && i < json_array_size(items); i++) {
        const json_t *ds = json_object_get(json_array_get(items, i), "deductions");
        for (size_t k = 0; k < json_array_size(ds); k++) {
            json_t *d = json_array_get(ds, k);
            const char *ic = json_string_value(json_object_get(d, "indicator"));
            const char *pc = json_string_value(json_object_get(d, "point"));
            json_t *in = ic ? json_object_get(names, ic) : NULL;
            json_t *pn = pc ? json_object_get(names, pc) : NULL;
            if (json_is_string(in))
                json_object_set(d, "indicator_name", in);
            if (json_is_string(pn))
                json_object_set(d, "point_name", pn);
        }
    }
    if (!names)
        rc = ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    json_decref(names);
    json_decref(rub);
    return rc;
}

ag_err api_rating_export(http_req *r, ag_error *err)
{
    int year = 0;
    ag_err rc = path_year(r, &year, err);
    json_t *obj = NULL;
    if (!rc)
        rc = rating_year_json(http_store(r), &http_user(r)->scope, year, &obj, err);
    if (!rc)
        rc = name_deductions(r, obj, err);
    if (rc) {
        json_decref(obj);
        return rc;
    }
    char name[64];
    snprintf(name, sizeof name, "内控评级-%d.xlsx", year);
    rc = api_serve_xlsx(r, name, write_rating, obj, err);
    json_decref(obj);
    return rc;
}
