/* map.c - insertion-ordered open-addressing hash map with an arena for keys. */
#include "util/map.h"

#include <stdlib.h>
#include <string.h>

#include "util/banned.h"

#define ARENA_BLOCK (1u << 20)

typedef struct entry {
    const char *key;
    size_t klen;
    uint64_t hash;
} entry;

typedef struct block {
    struct block *next;
    size_t used, cap;
    char data[];
} block;

struct ag_map {
    size_t val_size;
    size_t count, cap_entries;
    entry *entries;      /* insertion order */
    unsigned char *vals; /* count * val_size, parallel to entries */
    uint32_t *slots;     /* index+1 into entries, 0 empty */
    size_t nslots;       /* power of two */
    block *arena;
};

uint64_t ag_hash_bytes(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ULL;
    }
    return h ^ (h >> 29);
}

ag_map *ag_map_new(size_t val_size)
{
    ag_map *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->val_size = val_size ? val_size : 1;
    m->nslots = 64;
    m->slots = calloc(m->nslots, sizeof *m->slots);
    if (!m->slots) {
        free(m);
        return NULL;
    }
    return m;
}

void ag_map_free(ag_map *m)
{
    if (!m)
        return;
    for (block *b = m->arena, *n; b; b = n) {
        n = b->next;
        free(b);
    }
    free(m->entries);
    free(m->vals);
    free(m->slots);
    free(m);
}

size_t ag_map_count(const ag_map *m)
{
    return m->count;
}

static size_t find_slot(const ag_map *m, const void *key, size_t klen, uint64_t h, bool *found)
{
    size_t mask = m->nslots - 1, i = (size_t)h & mask;
    for (;;) {
        uint32_t s = m->slots[i];
        if (s == 0) {
            *found = false;
            return i;
        }
        const entry *e = &m->entries[s - 1];
        if (e->hash == h && e->klen == klen && memcmp(e->key, key, klen) == 0) {
            *found = true;
            return i;
        }
        i = (i + 1) & mask;
    }
}

void *ag_map_get(const ag_map *m, const void *key, size_t klen)
{
    bool found;
    size_t i = find_slot(m, key, klen, ag_hash_bytes(key, klen), &found);
    return found ? m->vals + (size_t)(m->slots[i] - 1) * m->val_size : NULL;
}

static char *arena_copy(ag_map *m, const void *key, size_t klen)
{
    block *b = m->arena;
    if (!b || b->cap - b->used < klen + 1) {
        size_t cap = klen + 1 > ARENA_BLOCK ? klen + 1 : ARENA_BLOCK;
        block *nb = malloc(sizeof *nb + cap);
        if (!nb)
            return NULL;
        nb->next = m->arena;
        nb->used = 0;
        nb->cap = cap;
        m->arena = b = nb;
    }
    char *p = b->data + b->used;
    memcpy(p, key, klen);
    p[klen] = '\0';
    b->used += klen + 1;
    return p;
}

static bool rehash(ag_map *m)
{
    size_t n = m->nslots * 2;
    uint32_t *slots = calloc(n, sizeof *slots);
    if (!slots)
        return false;
    for (size_t k = 0; k < m->count; k++) {
        size_t i = (size_t)m->entries[k].hash & (n - 1);
        while (slots[i])
            i = (i + 1) & (n - 1);
        slots[i] = (uint32_t)(k + 1);
    }
    free(m->slots);
    m->slots = slots;
    m->nslots = n;
    return true;
}

void *ag_map_put(ag_map *m, const void *key, size_t klen, bool *created)
{
    uint64_t h = ag_hash_bytes(key, klen);
    bool found;
    size_t i = find_slot(m, key, klen, h, &found);
    if (found) {
        if (created)
            *created = false;
        return m->vals + (size_t)(m->slots[i] - 1) * m->val_size;
    }
    if (m->count >= UINT32_MAX - 1)
        return NULL;
    if (m->count == m->cap_entries) {
        size_t cap = m->cap_entries ? m->cap_entries * 2 : 64;
        entry *e = realloc(m->entries, cap * sizeof *e);
        if (!e)
            return NULL;
        m->entries = e;
        unsigned char *v = realloc(m->vals, cap * m->val_size);
        if (!v)
            return NULL;
        m->vals = v;
        m->cap_entries = cap;
    }
    char *k = arena_copy(m, key, klen);
    if (!k)
        return NULL;
    m->entries[m->count] = (entry){k, klen, h};
    unsigned char *val = m->vals + m->count * m->val_size;
    memset(val, 0, m->val_size);
    m->slots[i] = (uint32_t)(m->count + 1);
    m->count++;
    /* On a failed rehash the table stays consistent at a higher load and the
     * next put tries again. */
    if (m->count * 4 > m->nslots * 3)
        (void)rehash(m);
    if (created)
        *created = true;
    return val;
}

void ag_map_entry(const ag_map *m, size_t i, const char **key, size_t *klen, void **val)
{
    *key = m->entries[i].key;
    *klen = m->entries[i].klen;
    *val = m->vals + i * m->val_size;
}
