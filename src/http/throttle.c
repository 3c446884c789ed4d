/* throttle.c - fixed-window failure counters in a hash map behind one mutex. */
#include "http/throttle.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/map.h"
#include "util/banned.h"

typedef struct entry {
    int64_t first; /* start of the current window; 0: no failures */
    int64_t count;
} entry;

struct throttle {
    pthread_mutex_t mu;
    ag_map *map;
    int max;
    int64_t window;
    size_t capacity;
};

throttle *throttle_new(int max_failures, int64_t window, size_t capacity)
{
    throttle *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->map = ag_map_new(sizeof(entry));
    if (!t->map) {
        free(t);
        return NULL;
    }
    pthread_mutex_init(&t->mu, NULL);
    t->max = max_failures;
    t->window = window;
    t->capacity = capacity ? capacity : 1;
    return t;
}

void throttle_free(throttle *t)
{
    if (!t)
        return;
    ag_map_free(t->map);
    pthread_mutex_destroy(&t->mu);
    free(t);
}

static bool live(const throttle *t, const entry *e, int64_t now)
{
    return e->count > 0 && now - e->first < t->window;
}

int64_t throttle_check(throttle *t, const char *key, int64_t now)
{
    int64_t wait = 0;
    pthread_mutex_lock(&t->mu);
    entry *e = ag_map_get(t->map, key, strlen(key));
    if (e && live(t, e, now) && e->count >= t->max)
        wait = e->first + t->window - now;
    pthread_mutex_unlock(&t->mu);
    return wait > 0 ? wait : 0;
}

/* The map cannot delete: rebuild it with the live keys only. */
static void prune(throttle *t, int64_t now)
{
    ag_map *fresh = ag_map_new(sizeof(entry));
    if (!fresh)
        return;
    for (size_t i = 0; i < ag_map_count(t->map); i++) {
        const char *k;
        size_t kl;
        void *v;
        ag_map_entry(t->map, i, &k, &kl, &v);
        if (!live(t, v, now))
            continue;
        entry *e = ag_map_put(fresh, k, kl, NULL);
        if (e)
            *e = *(entry *)v;
    }
    if (ag_map_count(fresh) >= t->capacity) {
        ag_map_free(fresh);
        fresh = ag_map_new(sizeof(entry));
        if (!fresh)
            return;
    }
    ag_map_free(t->map);
    t->map = fresh;
}

void throttle_fail(throttle *t, const char *key, int64_t now)
{
    pthread_mutex_lock(&t->mu);
    if (ag_map_count(t->map) >= t->capacity)
        prune(t, now);
    entry *e = ag_map_put(t->map, key, strlen(key), NULL);
    if (e) {
        if (!live(t, e, now)) {
            e->first = now;
            e->count = 0;
        }
        e->count++;
    }
    pthread_mutex_unlock(&t->mu);
}

void throttle_clear(throttle *t, const char *key)
{
    pthread_mutex_lock(&t->mu);
    entry *e = ag_map_get(t->map, key, strlen(key));
    if (e)
        e->count = 0;
    pthread_mutex_unlock(&t->mu);
}
