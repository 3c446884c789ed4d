/* rng.h - a small seeded generator (xoshiro256**) for reproducible demo data. */
#ifndef AG_RNG_H
#define AG_RNG_H

#include <stdint.h>

/* Not for secrets: session ids and salts come from libsodium. The same seed
 * gives the same sequence on every platform. */
typedef struct ag_rng {
    uint64_t s[4];
} ag_rng;

void ag_rng_seed(ag_rng *r, uint64_t seed);
uint64_t ag_rng_next(ag_rng *r);
/* Uniform integer in [0, n) without modulo bias; n must be > 0. */
uint64_t ag_rng_below(ag_rng *r, uint64_t n);
/* Uniform integer in [lo, hi]. */
int64_t ag_rng_range(ag_rng *r, int64_t lo, int64_t hi);
/* Uniform double in [0, 1). */
double ag_rng_unit(ag_rng *r);
/* True with probability p. */
int ag_rng_chance(ag_rng *r, double p);

#endif
