/* hash.h - SHA-256 in hex, through libsodium. */
#ifndef AG_HASH_H
#define AG_HASH_H

#include <stddef.h>

#include "util/error.h"

#define AG_SHA256_HEX 65 /* 64 hex digits and a NUL */

/* Initialises libsodium once; safe to call many times. */
ag_err ag_crypto_init(void);

/* Incremental SHA-256: opaque state big enough for libsodium's. */
typedef struct ag_sha256 {
    unsigned char opaque[128] __attribute__((aligned(16)));
} ag_sha256;

void ag_sha256_init(ag_sha256 *h);
void ag_sha256_update(ag_sha256 *h, const void *p, size_t n);
void ag_sha256_final_hex(ag_sha256 *h, char out[AG_SHA256_HEX]);
void ag_sha256_hex(const void *p, size_t n, char out[AG_SHA256_HEX]);

#endif
