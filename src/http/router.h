/* router.h - a small route table: method + path pattern with {param} segments -> handler. */
#ifndef AG_HTTP_ROUTER_H
#define AG_HTTP_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "domain/scope.h"
#include "util/error.h"

#define HTTP_MAX_PARAMS    4
#define HTTP_MAX_PARAM_LEN 255

/* Route flags. */
#define HTTP_PUBLIC      0x01u /* no session needed (health, login) */
#define HTTP_BODY_JSON   0x02u /* takes a JSON body (bounded, parsed before the handler) */
#define HTTP_BODY_UPLOAD 0x04u /* takes a raw body streamed to a temporary file */
#define HTTP_WORK_AUTH   0x08u /* runs on the bounded password-hashing workers */
#define HTTP_WORK_SLOW   0x10u /* runs on the long-job worker (imports) */
#define HTTP_CACHE       0x20u /* read-only: its 200 responses may be cached per data generation */
#define HTTP_UPLOAD_ATTACH                                                                         \
    0x40u /* with HTTP_BODY_UPLOAD: an attachment, bounded by ATTACH_MAX_BYTES as well */

struct http_req;
struct ag_error;

/* A handler writes its response through the request (see http_internal.h)
 * and returns AG_OK, or an error that the server turns into a JSON error
 * with the matching status. */
typedef ag_err (*http_handler)(struct http_req *r, struct ag_error *err);

/* One route. `roles` lists who may call it: a role not in the set gets 403,
 * whatever the handler would do (deny by default). Public routes ignore it. */
typedef struct http_route {
    const char *method;  /* "GET", "POST", "DELETE" ... (GET also answers HEAD) */
    const char *pattern; /* "/api/v1/units/{code}/persons" */
    http_handler fn;
    ag_role_set roles;
    unsigned flags;
    /* Optional, for routes that run on a worker: a cheap check on the
     * request thread before the request is queued (login rate limits). It
     * answers by replying an error; AG_OK with no reply lets it through. */
    http_handler before;
} http_route;

/* Path parameters of a match, in pattern order, decoded (the server hands
 * the router a percent-decoded path). */
typedef struct http_params {
    int n;
    char name[HTTP_MAX_PARAMS][32];
    char value[HTTP_MAX_PARAMS][HTTP_MAX_PARAM_LEN + 1];
} http_params;

typedef enum router_result {
    ROUTE_FOUND,     /* *route and *params are set */
    ROUTE_NO_PATH,   /* no pattern has this path: 404 */
    ROUTE_NO_METHOD, /* the path exists with other methods (listed in allow): 405 */
} router_result;

/* Matches method and path against the n routes. A {param} segment matches
 * one non-empty segment of at most HTTP_MAX_PARAM_LEN bytes; literal
 * segments match exactly; a trailing slash is not ignored. `allow` (may be
 * NULL) receives the methods of the path for a 405, comma-separated. */
router_result router_match(const http_route *routes, size_t n, const char *method, const char *path,
                           const http_route **route, http_params *params, char *allow,
                           size_t allow_len);

/* The value of a parameter by name, or NULL. */
const char *router_param(const http_params *p, const char *name);

#endif
