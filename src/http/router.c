/* router.c - matching a path segment by segment against the route patterns. */
#include "http/router.h"

#include <stdio.h>
#include <string.h>

#include "util/banned.h"

/* Matches one pattern; fills params on success. */
static bool match_one(const char *pat, const char *path, http_params *out)
{
    http_params p;
    p.n = 0;
    while (*pat && *path) {
        if (*pat != '/' || *path != '/')
            return false;
        pat++;
        path++;
        size_t pl = strcspn(pat, "/"), sl = strcspn(path, "/");
        if (pl >= 2 && pat[0] == '{' && pat[pl - 1] == '}') {
            if (sl == 0 || sl > HTTP_MAX_PARAM_LEN || p.n >= HTTP_MAX_PARAMS || pl - 2 >= 32)
                return false;
            snprintf(p.name[p.n], sizeof p.name[p.n], "%.*s", (int)(pl - 2), pat + 1);
            memcpy(p.value[p.n], path, sl);
            p.value[p.n][sl] = '\0';
            p.n++;
        } else if (pl != sl || memcmp(pat, path, pl) != 0) {
            return false;
        }
        pat += pl;
        path += sl;
    }
    if (*pat || *path)
        return false;
    if (out)
        *out = p;
    return true;
}

static bool method_is(const http_route *r, const char *method)
{
    if (strcmp(r->method, method) == 0)
        return true;
    return strcmp(method, "HEAD") == 0 && strcmp(r->method, "GET") == 0;
}

router_result router_match(const http_route *routes, size_t n, const char *method, const char *path,
                           const http_route **route, http_params *params, char *allow,
                           size_t allow_len)
{
    bool path_known = false;
    if (allow && allow_len)
        allow[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (!match_one(routes[i].pattern, path, NULL))
            continue;
        if (method_is(&routes[i], method)) {
            match_one(routes[i].pattern, path, params);
            *route = &routes[i];
            return ROUTE_FOUND;
        }
        path_known = true;
        if (allow && allow_len) {
            size_t used = strlen(allow);
            snprintf(allow + used, allow_len - used, "%s%s", used ? ", " : "", routes[i].method);
            if (!strcmp(routes[i].method, "GET")) {
                used = strlen(allow);
                snprintf(allow + used, allow_len - used, ", HEAD");
            }
        }
    }
    return path_known ? ROUTE_NO_METHOD : ROUTE_NO_PATH;
}

const char *router_param(const http_params *p, const char *name)
{
    for (int i = 0; i < p->n; i++)
        if (strcmp(p->name[i], name) == 0)
            return p->value[i];
    return NULL;
}
