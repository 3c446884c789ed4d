/* test_map.c - the byte-keyed hash map: zeroed values, insertion order through growth, FNV-1a. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "util/map.h"

static void put_creates_zeroed_values_and_get_finds_them(void **state)
{
    (void)state;
    ag_map *m = ag_map_new(sizeof(int64_t));
    assert_non_null(m);
    assert_int_equal(ag_map_count(m), 0);
    assert_null(ag_map_get(m, "1002", 4));
    bool created = false;
    int64_t *v = ag_map_put(m, "1002", 4, &created);
    assert_non_null(v);
    assert_true(created);
    assert_int_equal(*v, 0);
    *v = 123456;
    v = ag_map_put(m, "1002", 4, &created);
    assert_false(created);
    assert_int_equal(*v, 123456);
    assert_non_null(ag_map_put(m, "1001", 4, NULL));
    assert_int_equal(ag_map_count(m), 2);
    assert_int_equal(*(int64_t *)ag_map_get(m, "1002", 4), 123456);
    assert_int_equal(*(int64_t *)ag_map_get(m, "1001", 4), 0);
    assert_null(ag_map_get(m, "100", 3)); /* a prefix is another key */
    ag_map_free(m);
    ag_map_free(NULL);
}

static void keys_are_bytes_copied_by_the_map(void **state)
{
    (void)state;
    ag_map *m = ag_map_new(sizeof(uint32_t));
    char key[8] = {'a', '\0', 'b', '\0', 'c'};
    *(uint32_t *)ag_map_put(m, key, 5, NULL) = 7;
    *(uint32_t *)ag_map_put(m, key, 3, NULL) = 8; /* "a\0b" */
    *(uint32_t *)ag_map_put(m, "", 0, NULL) = 9;  /* the empty key is a key */
    memset(key, 'x', sizeof key);                 /* the map holds its own copy */
    assert_int_equal(ag_map_count(m), 3);
    assert_int_equal(*(uint32_t *)ag_map_get(m, "a\0b\0c", 5), 7);
    assert_int_equal(*(uint32_t *)ag_map_get(m, "a\0b", 3), 8);
    assert_int_equal(*(uint32_t *)ag_map_get(m, "", 0), 9);
    assert_null(ag_map_get(m, "a", 1));
    const char *k;
    size_t klen;
    void *val;
    ag_map_entry(m, 0, &k, &klen, &val);
    assert_int_equal(klen, 5);
    assert_memory_equal(k, "a\0b\0c", 5);
    assert_int_equal(k[5], '\0'); /* stored NUL-terminated */
    assert_int_equal(*(uint32_t *)val, 7);
    ag_map_free(m);
}

static void iteration_keeps_insertion_order_through_growth(void **state)
{
    (void)state;
    ag_map *m = ag_map_new(sizeof(uint32_t));
    char k[32];
    const uint32_t n = 20000;
    for (uint32_t i = 0; i < n; i++) {
        int len = snprintf(k, sizeof k, "单位%u", (i * 104729u) % n);
        bool created;
        uint32_t *v = ag_map_put(m, k, (size_t)len, &created);
        assert_non_null(v);
        assert_true(created);
        *v = i;
    }
    assert_int_equal(ag_map_count(m), n);
    for (uint32_t i = 0; i < n; i++) {
        int len = snprintf(k, sizeof k, "单位%u", (i * 104729u) % n);
        const char *key;
        size_t klen;
        void *val;
        ag_map_entry(m, i, &key, &klen, &val);
        assert_int_equal(klen, (size_t)len);
        assert_memory_equal(key, k, klen);
        assert_int_equal(*(uint32_t *)val, i);
        assert_int_equal(*(uint32_t *)ag_map_get(m, k, (size_t)len), i);
    }
    assert_null(ag_map_get(m, "单位20000", strlen("单位20000")));
    ag_map_free(m);
}

static void a_zero_value_size_still_makes_a_set(void **state)
{
    (void)state;
    ag_map *m = ag_map_new(0);
    assert_non_null(ag_map_put(m, "x", 1, NULL));
    assert_non_null(ag_map_get(m, "x", 1));
    assert_null(ag_map_get(m, "y", 1));
    assert_int_equal(ag_map_count(m), 1);
    ag_map_free(m);
}

static void the_hash_is_fnv1a_with_a_final_mix(void **state)
{
    (void)state;
    /* FNV-1a 64 folded by h ^ (h >> 29); figures computed independently. */
    assert_true(ag_hash_bytes("", 0) == 1469598105496550912ULL);
    assert_true(ag_hash_bytes("a", 1) == 4953267818350104485ULL);
    assert_true(ag_hash_bytes("审计", strlen("审计")) == 10710898007705522300ULL);
    assert_true(ag_hash_bytes("ab", 2) != ag_hash_bytes("ba", 2));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(put_creates_zeroed_values_and_get_finds_them),
        cmocka_unit_test(keys_are_bytes_copied_by_the_map),
        cmocka_unit_test(iteration_keeps_insertion_order_through_growth),
        cmocka_unit_test(a_zero_value_size_still_makes_a_set),
        cmocka_unit_test(the_hash_is_fnv1a_with_a_final_mix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
