/* rectify.c (app) - the default rectification deadlines set all or nothing, once for the CLI
 * (rectify settings) and the server (PUT /api/v1/rectify/settings). */
#include "app/rectify.h"

#include "domain/names.h"
#include "domain/rectify.h"
#include "export/export.h"
#include "util/banned.h"

ag_err app_rectify_set_deadlines(ag_store *st, const int days[3], ag_error *err)
{
    static const char *const classes[] = {"immediate", "phased", "continuous"};
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    for (int i = 0; !rc && i < 3; i++)
        if (days[i])
            rc = rectify_set_deadline_days(st, classes[i], days[i], err);
    return store_end(st, rc, err);
}

ag_err app_rectify_certificate(ag_store *st, const ag_scope *scope, int64_t id, const char *path,
                               ag_error *err)
{
    json_t *item = NULL;
    ag_err rc = rectify_get(st, id, scope, &item, err);
    if (!rc)
        rc = names_annotate(st, item, err);
    if (!rc)
        rc = export_certificate_xlsx(item, path, err);
    json_decref(item);
    return rc;
}
