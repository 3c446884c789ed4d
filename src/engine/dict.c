/* dict.c - string interning on the insertion-ordered hash map. */
#include "engine/dict.h"

#include <stdlib.h>

#include "util/map.h"
#include "util/banned.h"

struct eng_dict {
    ag_map *map; /* text -> uint32 id; entry i has id i */
};

eng_dict *eng_dict_new(void)
{
    eng_dict *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->map = ag_map_new(sizeof(uint32_t));
    if (!d->map || eng_dict_intern(d, "", 0) != 0) {
        eng_dict_free(d);
        return NULL;
    }
    return d;
}

void eng_dict_free(eng_dict *d)
{
    if (!d)
        return;
    ag_map_free(d->map);
    free(d);
}

uint32_t eng_dict_intern(eng_dict *d, const char *s, size_t len)
{
    bool created;
    uint32_t *id = ag_map_put(d->map, s, len, &created);
    if (!id)
        return UINT32_MAX;
    if (created)
        *id = (uint32_t)(ag_map_count(d->map) - 1);
    return *id;
}

uint32_t eng_dict_find(const eng_dict *d, const char *s, size_t len)
{
    const uint32_t *id = ag_map_get(d->map, s, len);
    return id ? *id : UINT32_MAX;
}

uint32_t eng_dict_count(const eng_dict *d)
{
    return (uint32_t)ag_map_count(d->map);
}

const char *eng_dict_str(const eng_dict *d, uint32_t id)
{
    const char *key;
    size_t klen;
    void *val;
    ag_map_entry(d->map, id, &key, &klen, &val);
    return key;
}

size_t eng_dict_len(const eng_dict *d, uint32_t id)
{
    const char *key;
    size_t klen;
    void *val;
    ag_map_entry(d->map, id, &key, &klen, &val);
    return klen;
}
