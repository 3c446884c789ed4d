/* enumname.c - names of enumerated values, from a table indexed by the value. */
#include "util/enumname.h"

#include <string.h>

#include "util/banned.h"

const char *ag_enum_name(const char *const *names, size_t n, int v, const char *fallback)
{
    if (v < 0 || (size_t)v >= n || !names[v])
        return fallback;
    return names[v];
}

bool ag_enum_parse(const char *const *names, size_t n, const char *s, int *out)
{
    for (size_t i = 0; s && i < n; i++) {
        if (names[i] && strcmp(s, names[i]) == 0) {
            *out = (int)i;
            return true;
        }
    }
    return false;
}
