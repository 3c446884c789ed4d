/* test_hash.c - SHA-256 in hex: the FIPS 180 test vectors, and incremental equals one-shot. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util/hash.h"

static int setup(void **state)
{
    (void)state;
    /* Initialising twice must be harmless. */
    return ag_crypto_init() == AG_OK && ag_crypto_init() == AG_OK ? 0 : -1;
}

static void known_vectors(void **state)
{
    (void)state;
    char hex[AG_SHA256_HEX];
    ag_sha256_hex("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    ag_sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    ag_sha256_hex(two_blocks, strlen(two_blocks), hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    assert_int_equal(strlen(hex), 64);
}

static void a_million_a(void **state)
{
    (void)state;
    char *m = malloc(1000000);
    assert_non_null(m);
    memset(m, 'a', 1000000);
    char hex[AG_SHA256_HEX];
    ag_sha256_hex(m, 1000000, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(m);
}

static void incremental_equals_one_shot(void **state)
{
    (void)state;
    /* Byte by byte over "abc". */
    ag_sha256 h;
    ag_sha256_init(&h);
    ag_sha256_update(&h, "a", 1);
    ag_sha256_update(&h, "", 0);
    ag_sha256_update(&h, "b", 1);
    ag_sha256_update(&h, "c", 1);
    char inc[AG_SHA256_HEX];
    ag_sha256_final_hex(&h, inc);
    assert_string_equal(inc, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

    /* Uneven pieces across block boundaries, every split size from 1 to 130. */
    unsigned char data[4099];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (unsigned char)(i * 131 + 7);
    char one[AG_SHA256_HEX];
    ag_sha256_hex(data, sizeof data, one);
    for (size_t step = 1; step <= 130; step++) {
        ag_sha256_init(&h);
        for (size_t off = 0; off < sizeof data; off += step) {
            size_t n = sizeof data - off < step ? sizeof data - off : step;
            ag_sha256_update(&h, data + off, n);
        }
        ag_sha256_final_hex(&h, inc);
        if (strcmp(inc, one) != 0)
            fail_msg("pieces of %zu bytes: %s, one shot: %s", step, inc, one);
    }
}

static void one_bit_changes_the_digest(void **state)
{
    (void)state;
    char a[AG_SHA256_HEX], b[AG_SHA256_HEX];
    ag_sha256_hex("abc", 3, a);
    ag_sha256_hex("abd", 3, b);
    assert_string_not_equal(a, b);
    ag_sha256_hex("abc", 2, b);
    assert_string_not_equal(a, b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(known_vectors),
        cmocka_unit_test(a_million_a),
        cmocka_unit_test(incremental_equals_one_shot),
        cmocka_unit_test(one_bit_changes_the_digest),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
