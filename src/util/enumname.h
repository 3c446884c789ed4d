/* enumname.h - names of enumerated values, from a table indexed by the value. */
#ifndef AG_ENUMNAME_H
#define AG_ENUMNAME_H

#include <stdbool.h>
#include <stddef.h>

/* The number of entries of a name table (an array, not a pointer). */
#define AG_ENUM_N(names) (sizeof(names) / sizeof((names)[0]))

/* names[v] of a table of n names indexed by value, or fallback when v lies
 * outside the table or has no entry. Returns a string the caller does not
 * free. */
const char *ag_enum_name(const char *const *names, size_t n, int v, const char *fallback);

/* The value whose name is exactly s, stored in *out; false (and *out
 * untouched) when s is NULL or names no entry. */
bool ag_enum_parse(const char *const *names, size_t n, const char *s, int *out);

#endif
