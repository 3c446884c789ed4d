/* wf_query.h - small helpers the workflow modules (audit.c, rectify.c) and their front ends share.
 */
#ifndef AG_WF_QUERY_H
#define AG_WF_QUERY_H

#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>

#include "store/store.h"
#include "util/error.h"

/* Prepares sql into *out and binds the arguments that `types` describes, one
 * letter each: 'i' an int64_t, 't' a const char * (NULL binds SQL NULL). On
 * failure *out is NULL. */
ag_err wf_prep(ag_store *st, ag_stmt **out, ag_error *err, const char *sql, const char *types, ...);
ag_err wf_vprep(ag_store *st, ag_stmt **out, ag_error *err, const char *sql, const char *types,
                va_list ap);

/* The first column of the first row as an integer (arguments as wf_prep);
 * 0 when there is no row or it is NULL. */
ag_err wf_query_int(ag_store *st, int64_t *n, ag_error *err, const char *sql, const char *types,
                    ...);

/* Steps s (prepared and bound, unless rc already failed) to its first row and gives its first
 * column as an integer in *n (0 when there is no row or it is NULL); finalizes s either way. */
ag_err wf_step_int(ag_stmt *s, ag_err rc, int64_t *n, ag_error *err);

/* Steps s (prepared, unless rc already failed) to its end and gives in *out
 * a new array of row(s) for each row; finalizes s either way. On failure
 * *out is NULL. The caller owns *out. */
ag_err wf_rows(ag_stmt *s, ag_err rc, json_t *(*row)(ag_stmt *s), json_t **out, ag_error *err);

/* Replaces every integer "amount" (fen) in v, at any depth, by its decimal
 * string in yuan ("1280.00"): the form of money in the API and in --json. */
void wf_amounts_to_yuan(json_t *v);

#endif
