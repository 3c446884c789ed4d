/* json.h - the server's JSON: a streaming writer for responses, a bounded parser for request
 * bodies. */
#ifndef AG_HTTP_JSON_H
#define AG_HTTP_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/error.h"

#define HJ_MAX_DEPTH 64 /* nesting the writer supports */

/* Writes JSON text token by token into a caller's ag_buf (whose max bounds
 * the response). Commas and colons are placed by the writer. The first
 * failure (buffer full, nesting too deep, a key where a value belongs) is
 * kept in `rc` and every later call does nothing, so callers write a whole
 * document and check hj_finish once. Strings are UTF-8: valid sequences pass
 * through unchanged; quotes, backslashes and control characters are escaped,
 * as are U+2028/U+2029; invalid bytes become U+FFFD. */
typedef struct hj_writer {
    ag_buf *out; /* borrowed */
    ag_err rc;
    int depth;
    bool need_comma[HJ_MAX_DEPTH + 1];
    bool in_object[HJ_MAX_DEPTH + 1];
    bool after_key;
} hj_writer;

void hj_init(hj_writer *w, ag_buf *out);
void hj_obj_begin(hj_writer *w);
void hj_obj_end(hj_writer *w);
void hj_arr_begin(hj_writer *w);
void hj_arr_end(hj_writer *w);
/* An object key; the next call writes its value. */
void hj_key(hj_writer *w, const char *key);
/* A string value; NULL writes null. */
void hj_str(hj_writer *w, const char *s);
void hj_strn(hj_writer *w, const char *s, size_t n);
void hj_int(hj_writer *w, int64_t v);
void hj_bool(hj_writer *w, bool v);
void hj_null(hj_writer *w);
/* A number already formatted by the caller ("12.345"); anything that is not
 * a JSON number is refused (AG_ERR_INTERNAL). */
void hj_number(hj_writer *w, const char *num);
/* A jansson value, written recursively in its own key order; NULL is null. */
void hj_value(hj_writer *w, const json_t *v);
/* Shorthands for a key and its value. */
void hj_kstr(hj_writer *w, const char *key, const char *s);
void hj_kint(hj_writer *w, const char *key, int64_t v);
void hj_kbool(hj_writer *w, const char *key, bool v);
void hj_kvalue(hj_writer *w, const char *key, const json_t *v);
/* AG_OK when a complete document was written; otherwise the first error
 * (AG_ERR_NOMEM when the buffer's max was reached, AG_ERR_INTERNAL for
 * misuse or an unclosed container). */
ag_err hj_finish(hj_writer *w);

/* Parses a request body of n bytes: UTF-8 JSON, duplicate object keys
 * rejected, nesting at most max_depth (checked by a pre-scan before any
 * tree is built), nothing after the value. On success *out holds the value
 * (caller owns it). Errors are AG_ERR_USAGE with a fixed message naming
 * only the line and column: nothing of the body is quoted back. */
ag_err hj_parse(const char *p, size_t n, int max_depth, json_t **out, ag_error *err);

/* Nesting depth of JSON text (arrays and objects, strings skipped); stops
 * counting early once `limit` is exceeded and returns limit + 1. */
int hj_depth(const char *p, size_t n, int limit);

#endif
