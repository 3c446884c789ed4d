/* rowjson.c - a result row as a JSON object, by a column spec. */
#include "domain/rowjson.h"

#include "util/banned.h"

json_t *rowjson(ag_stmt *s, const char *const *names, const char *types)
{
    json_t *o = json_object();
    for (int c = 0; types[c]; c++) {
        const char *t = NULL;
        switch (types[c]) {
        case 't':
            t = store_col_text(s, c);
            json_object_set_new(o, names[c], t ? json_string(t) : json_null());
            break;
        case 'i':
            json_object_set_new(o, names[c], json_integer(store_col_int(s, c)));
            break;
        case 'n':
            json_object_set_new(o, names[c],
                                store_col_is_null(s, c) ? json_null()
                                                        : json_integer(store_col_int(s, c)));
            break;
        case 'b':
            json_object_set_new(o, names[c], json_boolean(store_col_int(s, c) != 0));
            break;
        default:
            break;
        }
    }
    return o;
}

ag_err rowjson_list(ag_err rc, json_t *items, int64_t total, json_t **out)
{
    *out = NULL;
    if (rc) {
        json_decref(items);
        return rc;
    }
    *out = json_pack("{s:I, s:o}", "total", (json_int_t)total, "items", items);
    return AG_OK;
}
