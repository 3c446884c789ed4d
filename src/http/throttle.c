/* throttle.c - sign-in failure counters (pairs and addresses) in a hash map behind one mutex. */
#include "http/throttle.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/map.h"
#include "util/banned.h"

/* One counter. A pair ("p:" account "\x1f" address) counts consecutive
 * failures; an address ("a:" address) counts failures in a fixed window. */
typedef struct entry {
    int64_t first; /* the address's window start */
    int64_t last;  /* the latest failure */
    int64_t count; /* 0: nothing to remember */
} entry;

struct throttle {
    pthread_mutex_t mu;
    ag_map *map;
    throttle_limits lim;
};

void throttle_limits_default(throttle_limits *l)
{
    l->free_failures = 3;
    l->first_delay = 1000;
    l->max_delay = 15 * 60 * 1000;
    l->pair_memory = 24 * 3600 * 1000LL;
    l->addr_ceiling = 100;
    l->addr_window = 15 * 60 * 1000;
    l->capacity = 100000;
}

throttle *throttle_new(const throttle_limits *l)
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
    t->lim = *l;
    if (t->lim.free_failures < 1)
        t->lim.free_failures = 1;
    if (t->lim.first_delay < 1)
        t->lim.first_delay = 1;
    if (t->lim.max_delay < t->lim.first_delay)
        t->lim.max_delay = t->lim.first_delay;
    if (t->lim.addr_ceiling < 1)
        t->lim.addr_ceiling = 1;
    if (!t->lim.capacity)
        t->lim.capacity = 1;
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

/* Keys are bounded: an account name longer than fits is cut (the API takes at
 * most 64 bytes anyway). */
static size_t pair_key(char *k, size_t n, const char *account, const char *addr)
{
    size_t i = 0;
    k[i++] = 'p';
    k[i++] = ':';
    for (const char *p = account; *p && i + 2 < n; p++)
        k[i++] = (*p >= 'A' && *p <= 'Z') ? (char)(*p + 32) : *p;
    k[i++] = '\x1f';
    for (const char *p = addr; *p && i + 1 < n; p++)
        k[i++] = *p;
    k[i] = '\0';
    return i;
}

static size_t addr_key(char *k, size_t n, const char *addr)
{
    int len = snprintf(k, n, "a:%s", addr);
    return len < 0 ? 0 : (size_t)len < n ? (size_t)len : n - 1;
}

static bool is_pair(const char *k)
{
    return k[0] == 'p';
}

/* How long the pair must still wait: first_delay after free_failures
 * failures, doubling with each further one, at most max_delay. */
static int64_t pair_wait(const throttle *t, const entry *e, int64_t now)
{
    if (e->count < t->lim.free_failures)
        return 0;
    int64_t delay = t->lim.first_delay;
    for (int64_t i = t->lim.free_failures; i < e->count && delay < t->lim.max_delay; i++)
        delay *= 2;
    if (delay > t->lim.max_delay)
        delay = t->lim.max_delay;
    int64_t w = e->last + delay - now;
    return w > 0 ? w : 0;
}

static bool addr_live(const throttle *t, const entry *e, int64_t now)
{
    return e->count > 0 && now - e->first < t->lim.addr_window;
}

static int64_t addr_wait(const throttle *t, const entry *e, int64_t now)
{
    if (!addr_live(t, e, now) || e->count < t->lim.addr_ceiling)
        return 0;
    return e->first + t->lim.addr_window - now;
}

/* Worth keeping at all (keep_all), or only because it delays someone now. */
static bool keep(const throttle *t, const char *k, const entry *e, int64_t now, bool keep_all)
{
    if (is_pair(k)) {
        if (e->count == 0 || now - e->last >= t->lim.pair_memory)
            return false;
        return keep_all || pair_wait(t, e, now) > 0;
    }
    return keep_all ? addr_live(t, e, now) : addr_wait(t, e, now) > 0;
}

throttle_reason throttle_check(throttle *t, const char *account, const char *addr, int64_t now_ms,
                               int64_t *wait_ms)
{
    char k[256];
    int64_t pw = 0, aw = 0;
    pthread_mutex_lock(&t->mu);
    size_t kl = pair_key(k, sizeof k, account, addr);
    entry *e = ag_map_get(t->map, k, kl);
    if (e && now_ms - e->last < t->lim.pair_memory)
        pw = pair_wait(t, e, now_ms);
    kl = addr_key(k, sizeof k, addr);
    e = ag_map_get(t->map, k, kl);
    if (e)
        aw = addr_wait(t, e, now_ms);
    pthread_mutex_unlock(&t->mu);
    *wait_ms = pw > aw ? pw : aw;
    if (!pw && !aw)
        return THROTTLE_OK;
    return aw >= pw ? THROTTLE_ADDRESS : THROTTLE_PAIR;
}

/* The map cannot delete: rebuild it with the entries worth keeping. */
static ag_map *rebuilt(throttle *t, int64_t now, bool keep_all)
{
    ag_map *fresh = ag_map_new(sizeof(entry));
    if (!fresh)
        return NULL;
    for (size_t i = 0; i < ag_map_count(t->map); i++) {
        const char *k;
        size_t kl;
        void *v;
        ag_map_entry(t->map, i, &k, &kl, &v);
        if (!keep(t, k, v, now, keep_all))
            continue;
        entry *e = ag_map_put(fresh, k, kl, NULL);
        if (e)
            *e = *(entry *)v;
    }
    return fresh;
}

static void prune(throttle *t, int64_t now)
{
    ag_map *fresh = rebuilt(t, now, true);
    if (fresh && ag_map_count(fresh) >= t->lim.capacity) {
        ag_map_free(fresh);
        fresh = rebuilt(t, now, false);
    }
    if (fresh && ag_map_count(fresh) >= t->lim.capacity) {
        ag_map_free(fresh);
        fresh = ag_map_new(sizeof(entry));
    }
    if (!fresh)
        return;
    ag_map_free(t->map);
    t->map = fresh;
}

void throttle_fail(throttle *t, const char *account, const char *addr, int64_t now_ms)
{
    char k[256];
    pthread_mutex_lock(&t->mu);
    if (ag_map_count(t->map) + 2 > t->lim.capacity)
        prune(t, now_ms);
    size_t kl = pair_key(k, sizeof k, account, addr);
    entry *e = ag_map_put(t->map, k, kl, NULL);
    if (e) {
        if (now_ms - e->last >= t->lim.pair_memory)
            e->count = 0;
        if (e->count == 0)
            e->first = now_ms;
        e->count++;
        e->last = now_ms;
    }
    kl = addr_key(k, sizeof k, addr);
    e = ag_map_put(t->map, k, kl, NULL);
    if (e) {
        if (!addr_live(t, e, now_ms)) {
            e->first = now_ms;
            e->count = 0;
        }
        e->count++;
        e->last = now_ms;
    }
    pthread_mutex_unlock(&t->mu);
}

void throttle_success(throttle *t, const char *account, const char *addr)
{
    char k[256];
    pthread_mutex_lock(&t->mu);
    size_t kl = pair_key(k, sizeof k, account, addr);
    entry *e = ag_map_get(t->map, k, kl);
    if (e)
        e->count = 0;
    pthread_mutex_unlock(&t->mu);
}
