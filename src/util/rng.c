/* rng.c - xoshiro256** seeded through splitmix64 (Blackman and Vigna). */
#include "util/rng.h"

#include "util/banned.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

void ag_rng_seed(ag_rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t ag_rng_next(ag_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint64_t ag_rng_below(ag_rng *r, uint64_t n)
{
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t v;
    do {
        v = ag_rng_next(r);
    } while (v >= limit);
    return v % n;
}

int64_t ag_rng_range(ag_rng *r, int64_t lo, int64_t hi)
{
    /* In unsigned arithmetic: hi - lo overflows int64 for wide ranges, and
     * the full range has 2^64 values, one more than below() can be asked for. */
    uint64_t span = (uint64_t)hi - (uint64_t)lo;
    uint64_t off = span == UINT64_MAX ? ag_rng_next(r) : ag_rng_below(r, span + 1);
    return (int64_t)((uint64_t)lo + off);
}

double ag_rng_unit(ag_rng *r)
{
    return (double)(ag_rng_next(r) >> 11) * 0x1.0p-53;
}

int ag_rng_chance(ag_rng *r, double p)
{
    return ag_rng_unit(r) < p;
}
