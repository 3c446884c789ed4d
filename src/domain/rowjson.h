/* rowjson.h - one result row as a JSON object by a column spec: the guidance and submission
 * readers (issue 14 §2) name their columns once instead of one json_object_set_new a field. */
#ifndef AG_ROWJSON_H
#define AG_ROWJSON_H

#include <jansson.h>

#include "store/store.h"
#include "util/error.h"

/* A new object with one member per letter of types, for columns 0, 1, ... of s's current
 * row, named by names[k]: 't' text (null for SQL NULL), 'i' integer, 'n' integer or null,
 * 'b' boolean (non-zero), '-' column skipped (names[k] unused, may be NULL). Caller owns it. */
json_t *rowjson(ag_stmt *s, const char *const *names, const char *types);

/* Ends a list query: on rc releases items and leaves *out NULL; else *out = {total, items}
 * (taking items). Returns rc. */
ag_err rowjson_list(ag_err rc, json_t *items, int64_t total, json_t **out);

#endif
