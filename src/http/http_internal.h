/* http_internal.h - what the server core and the API handlers share: the request and its helpers.
 */
#ifndef AG_HTTP_INTERNAL_H
#define AG_HTTP_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/session.h"
#include "http/json.h"
#include "http/router.h"
#include "http/throttle.h"
#include "http/server.h"
#include "store/store.h"
#include "util/buf.h"

#define HTTP_MAX_PATH        2048
#define HTTP_MAX_HEADERS_OUT 6
#define HTTP_JSON_DEPTH      32
#define HTTP_PER_PAGE        50
#define HTTP_PER_PAGE_MAX    500

/* One request, from its first byte to the access-log line. Owned by the
 * server; handlers read it through the accessors below and write the
 * response through `w`. */
typedef struct http_req http_req;

/* The API's routes (api.c). */
extern const http_route http_api_routes[];
extern const size_t http_api_route_count;

/* ---- for handlers ------------------------------------------------------- */

/* A path parameter ("code", "id"), decoded; NULL when the route has none. */
const char *http_param(const http_req *r, const char *name);
/* A query-string argument, decoded; NULL when absent. */
const char *http_query(const http_req *r, const char *name);
/* The parsed JSON body (owned by the request), or NULL when there was none. */
json_t *http_body(const http_req *r);
/* The spooled upload's path, for HTTP_BODY_UPLOAD routes. */
const char *http_upload_path(const http_req *r);
/* The request's store (one connection, this thread only; actor already set
 * to "user:<name>"). */
ag_store *http_store(http_req *r);
/* The signed-in account, or NULL on public routes without a session. */
const session_user *http_user(const http_req *r);
/* The session token presented in the cookie, or NULL. */
const char *http_cookie_token(const http_req *r);
/* The client's address as text (the proxy's X-Real-IP when trusted). */
const char *http_client_addr(const http_req *r);
const http_config *http_cfg(const http_req *r);
/* The writer of the response body (JSON). */
hj_writer *http_out(http_req *r);
void http_set_status(http_req *r, int status);
/* Adds a response header; both strings are copied. */
void http_add_header(http_req *r, const char *name, const char *value);
/* Records the signed-in user for the rest of the request (login). */
void http_set_user(http_req *r, const session_user *u);
/* True when the server speaks TLS or its public origin is https. */
bool http_secure(const http_req *r);
/* Replies with a JSON error of this status and code; returns AG_OK so a
 * handler can `return http_reply_error(...)`. */
ag_err http_reply_error(http_req *r, int status, const char *code, const char *zh, const char *en);
/* Replies 200 with the bytes of the regular file open at fd instead of JSON
 * (downloads): takes over fd (closed by the server, also on failure), sends
 * Content-Type content_type and Cache-Control: no-store plus the security
 * headers of every response; further headers (Content-Disposition) through
 * http_add_header. Never cached. An error returned after it still answers
 * with JSON. */
ag_err http_reply_fd(http_req *r, int fd, const char *content_type, ag_error *err);

/* The page and per_page arguments (defaults 1 and 50, per_page at most
 * 500). AG_ERR_USAGE for junk or out-of-range values. */
ag_err http_page(const http_req *r, int64_t *page, int64_t *per_page, ag_error *err);
/* Writes {total, page, per_page, items} from a {total, items} object. */
void http_write_page(http_req *r, const json_t *list, int64_t page, int64_t per_page);

/* Reads a string field of the body object: absent is fine unless required;
 * present it must be a string of at most max bytes. */
ag_err http_body_str(const http_req *r, const char *key, bool required, size_t max,
                     const char **out, ag_error *err);
/* Refuses keys of the body object not in the NULL-terminated list. */
ag_err http_body_only(const http_req *r, const char *const *keys, ag_error *err);

/* The failed-login counters (per account "u:NAME", per address "a:ADDR"). */
throttle *http_throttle(const http_req *r);

#endif
