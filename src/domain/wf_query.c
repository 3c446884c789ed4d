/* wf_query.c - prepare-and-bind, one integer, and rows to a JSON array for the workflow modules. */
#include "domain/wf_query.h"

#include <stdbool.h>
#include <string.h>

#include "util/money.h"
#include "util/banned.h"

ag_err wf_vprep(ag_store *st, ag_stmt **out, ag_error *err, const char *sql, const char *types,
                va_list ap)
{
    return store_vprepare_args(st, out, err, sql, types, ap);
}

ag_err wf_prep(ag_store *st, ag_stmt **out, ag_error *err, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    ag_err rc = wf_vprep(st, out, err, sql, types, ap);
    va_end(ap);
    return rc;
}

ag_err wf_query_int(ag_store *st, int64_t *n, ag_error *err, const char *sql, const char *types,
                    ...)
{
    ag_stmt *s = NULL;
    va_list ap;
    va_start(ap, types);
    ag_err rc = wf_vprep(st, &s, err, sql, types, ap);
    va_end(ap);
    return wf_step_int(s, rc, n, err);
}

ag_err wf_step_int(ag_stmt *s, ag_err rc, int64_t *n, ag_error *err)
{
    bool row = false;
    *n = 0;
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row && !store_col_is_null(s, 0))
        *n = store_col_int(s, 0);
    store_finalize(s);
    return rc;
}

ag_err wf_rows(ag_stmt *s, ag_err rc, json_t *(*row)(ag_stmt *s), json_t **out, ag_error *err)
{
    bool more = false;
    json_t *arr = json_array();
    while (!rc && !(rc = store_step(s, &more, err)) && more)
        json_array_append_new(arr, row(s));
    store_finalize(s);
    if (rc) {
        json_decref(arr);
        arr = NULL;
    }
    *out = arr;
    return rc;
}

void wf_amounts_to_yuan(json_t *v)
{
    if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v); i++)
            wf_amounts_to_yuan(json_array_get(v, i));
        return;
    }
    if (!json_is_object(v))
        return;
    for (void *it = json_object_iter(v); it; it = json_object_iter_next(v, it)) {
        json_t *x = json_object_iter_value(it);
        if (json_is_integer(x) && !strcmp(json_object_iter_key(it), "amount")) {
            char yuan[24];
            ag_money_format(json_integer_value(x), yuan);
            json_object_iter_set_new(v, it, json_string(yuan));
        } else {
            wf_amounts_to_yuan(x);
        }
    }
}
