/* dict.h - a string dictionary: every distinct text of a snapshot stored once, addressed by id. */
#ifndef AG_ENGINE_DICT_H
#define AG_ENGINE_DICT_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

/* Id 0 is always the empty string, which also stands for an absent value.
 * Ids are dense (0 .. count-1) and assigned in insertion order, so a
 * snapshot built from the same input gets the same ids. Immutable once the
 * snapshot is built: readers on several threads need no locks. */
typedef struct eng_dict eng_dict;

eng_dict *eng_dict_new(void);
void eng_dict_free(eng_dict *d);
/* The id of s[0..len), added when new. UINT32_MAX on allocation failure. */
uint32_t eng_dict_intern(eng_dict *d, const char *s, size_t len);
/* The id of s[0..len), or UINT32_MAX when the dictionary does not hold it. */
uint32_t eng_dict_find(const eng_dict *d, const char *s, size_t len);
uint32_t eng_dict_count(const eng_dict *d);
/* The text of an id (NUL-terminated; valid as long as the dictionary). */
const char *eng_dict_str(const eng_dict *d, uint32_t id);
size_t eng_dict_len(const eng_dict *d, uint32_t id);

#endif
