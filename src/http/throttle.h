/* throttle.h - failed-login counters per key (account, address) in fixed windows; thread-safe. */
#ifndef AG_HTTP_THROTTLE_H
#define AG_HTTP_THROTTLE_H

#include <stddef.h>
#include <stdint.h>

typedef struct throttle throttle;

/* At most max_failures failures per key within `window` seconds (counted
 * from the key's first failure in the window); `capacity` bounds the keys
 * kept: past it, keys whose window has passed are dropped, and when every
 * key is still live the table starts over (documented trade-off: memory
 * stays bounded). NULL on allocation failure. */
throttle *throttle_new(int max_failures, int64_t window, size_t capacity);
void throttle_free(throttle *t);
/* 0 when the key may try now, otherwise the seconds until it may. */
int64_t throttle_check(throttle *t, const char *key, int64_t now);
/* Records a failure of key at time now. */
void throttle_fail(throttle *t, const char *key, int64_t now);
/* Forgets key's failures (a successful login of that account). */
void throttle_clear(throttle *t, const char *key);

#endif
