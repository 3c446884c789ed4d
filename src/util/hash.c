/* hash.c - SHA-256 helpers on libsodium's crypto_hash_sha256. */
#include "util/hash.h"

#include <sodium.h>
#include <string.h>

#include "util/banned.h"

_Static_assert(sizeof(crypto_hash_sha256_state) <= sizeof(ag_sha256),
               "ag_sha256 too small for libsodium's state");

ag_err ag_crypto_init(void)
{
    return sodium_init() < 0 ? AG_ERR_INTERNAL : AG_OK;
}

void ag_sha256_init(ag_sha256 *h)
{
    crypto_hash_sha256_init((crypto_hash_sha256_state *)(void *)h->opaque);
}

void ag_sha256_update(ag_sha256 *h, const void *p, size_t n)
{
    crypto_hash_sha256_update((crypto_hash_sha256_state *)(void *)h->opaque, p, n);
}

void ag_sha256_final_hex(ag_sha256 *h, char out[AG_SHA256_HEX])
{
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final((crypto_hash_sha256_state *)(void *)h->opaque, d);
    sodium_bin2hex(out, AG_SHA256_HEX, d, sizeof d);
}

void ag_sha256_hex(const void *p, size_t n, char out[AG_SHA256_HEX])
{
    ag_sha256 h;
    ag_sha256_init(&h);
    ag_sha256_update(&h, p, n);
    ag_sha256_final_hex(&h, out);
}
