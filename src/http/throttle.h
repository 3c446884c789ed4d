/* throttle.h - failed sign-ins: growing delays per (account, address) pair and a ceiling per
 * address; thread-safe. */
#ifndef AG_HTTP_THROTTLE_H
#define AG_HTTP_THROTTLE_H

#include <stddef.h>
#include <stdint.h>

typedef struct throttle throttle;

/* The limits (docs/operations.md, 登录限制). Times are milliseconds, so a
 * delay of one second lasts one second rather than "until the clock ticks". */
typedef struct throttle_limits {
    int free_failures;   /* failures of one pair before delays start (3) */
    int64_t first_delay; /* the first delay, doubled on every further failure (1000) */
    int64_t max_delay;   /* the delay's cap (15 min) */
    int64_t pair_memory; /* a pair without failures for this long starts afresh (24 h) */
    int addr_ceiling;    /* failures from one address, across accounts, per window (100) */
    int64_t addr_window; /* the ceiling's fixed window, from its first failure (15 min) */
    size_t capacity;     /* entries kept at most (100000) */
} throttle_limits;

/* Fills the defaults above. */
void throttle_limits_default(throttle_limits *l);

/* A copy of *l is kept. capacity bounds the memory: past it, forgotten pairs
 * and ended windows are dropped, then pairs not delayed now; when everything
 * is still live the table starts over (documented trade-off). NULL on
 * allocation failure. */
throttle *throttle_new(const throttle_limits *l);
/* NULL is fine. */
void throttle_free(throttle *t);

/* Why a sign-in must wait. */
typedef enum throttle_reason {
    THROTTLE_OK = 0,  /* it may try now */
    THROTTLE_PAIR,    /* this account failed from this address: a growing delay */
    THROTTLE_ADDRESS, /* this address reached its ceiling, for every account */
} throttle_reason;

/* May `account` (compared case-insensitively) sign in from `addr` at now_ms?
 * Returns the reason and sets *wait_ms (> 0 unless THROTTLE_OK). Failures of
 * the account from other addresses never count here. */
throttle_reason throttle_check(throttle *t, const char *account, const char *addr, int64_t now_ms,
                               int64_t *wait_ms);
/* Records a failed sign-in of account from addr at now_ms. */
void throttle_fail(throttle *t, const char *account, const char *addr, int64_t now_ms);
/* A successful sign-in: forgets the pair's failures (not the address's). */
void throttle_success(throttle *t, const char *account, const char *addr);

#endif
