/* map.h - a hash map from byte-string keys to fixed-size values (open addressing). */
#ifndef AG_MAP_H
#define AG_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Keys are copied into the map's own arena; values are `val_size` bytes,
 * zeroed when created, and stay at the same address until the map grows (do
 * not keep value pointers across ag_map_put calls). Iteration order is
 * insertion order, so results built from a map are deterministic. */
typedef struct ag_map ag_map;

/* NULL on allocation failure. */
ag_map *ag_map_new(size_t val_size);
void ag_map_free(ag_map *m);
size_t ag_map_count(const ag_map *m);
/* The value for key, or NULL. */
void *ag_map_get(const ag_map *m, const void *key, size_t klen);
/* The value for key, created (zeroed) if absent; *created tells which (may be
 * NULL). NULL on allocation failure. */
void *ag_map_put(ag_map *m, const void *key, size_t klen, bool *created);
/* Entry i (0 <= i < count) in insertion order. */
void ag_map_entry(const ag_map *m, size_t i, const char **key, size_t *klen, void **val);

/* 64-bit FNV-1a, also useful on its own. */
uint64_t ag_hash_bytes(const void *p, size_t n);

#endif
