/* test_dict.c - the snapshot's string dictionary: id 0 is "", dense ids in insertion order. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "engine/dict.h"

static void a_new_dictionary_holds_only_the_empty_string(void **state)
{
    (void)state;
    eng_dict *d = eng_dict_new();
    assert_non_null(d);
    assert_int_equal(eng_dict_count(d), 1);
    assert_string_equal(eng_dict_str(d, 0), "");
    assert_int_equal(eng_dict_len(d, 0), 0);
    assert_int_equal(eng_dict_find(d, "", 0), 0);
    assert_int_equal(eng_dict_intern(d, "", 0), 0);
    assert_int_equal(eng_dict_count(d), 1);
    assert_int_equal(eng_dict_find(d, "王会计", strlen("王会计")), UINT32_MAX);
    eng_dict_free(d);
    eng_dict_free(NULL);
}

static void ids_are_dense_in_insertion_order_and_stable(void **state)
{
    (void)state;
    eng_dict *d = eng_dict_new();
    const char *words[] = {"记", "1002", "王会计", "北京元亨物业管理有限公司"};
    for (uint32_t i = 0; i < 4; i++)
        assert_int_equal(eng_dict_intern(d, words[i], strlen(words[i])), i + 1);
    /* The same text again is the same id, and adds nothing. */
    assert_int_equal(eng_dict_intern(d, "王会计", strlen("王会计")), 3);
    assert_int_equal(eng_dict_count(d), 5);
    for (uint32_t i = 0; i < 4; i++) {
        assert_int_equal(eng_dict_find(d, words[i], strlen(words[i])), i + 1);
        assert_string_equal(eng_dict_str(d, i + 1), words[i]);
        assert_int_equal(eng_dict_len(d, i + 1), strlen(words[i]));
    }
    /* Only len bytes count: a prefix is another text. */
    assert_int_equal(eng_dict_find(d, "1002", 3), UINT32_MAX);
    assert_int_equal(eng_dict_intern(d, "1002xyz", 3), 5);
    assert_string_equal(eng_dict_str(d, 5), "100");
    eng_dict_free(d);
}

static void two_dictionaries_fed_alike_give_the_same_ids(void **state)
{
    (void)state;
    eng_dict *a = eng_dict_new(), *b = eng_dict_new();
    char s[32];
    for (int i = 0; i < 50000; i++) {
        int n = snprintf(s, sizeof s, "v%d", (i * 7919) % 20000);
        uint32_t x = eng_dict_intern(a, s, (size_t)n), y = eng_dict_intern(b, s, (size_t)n);
        assert_int_equal(x, y);
    }
    assert_int_equal(eng_dict_count(a), 20001);
    assert_int_equal(eng_dict_count(b), 20001);
    /* The first text interned (i = 0) is "v0", id 1; i = 1 gives "v7919", id 2. */
    assert_string_equal(eng_dict_str(a, 1), "v0");
    assert_string_equal(eng_dict_str(a, 2), "v7919");
    assert_int_equal(eng_dict_find(a, "v19999", 6), eng_dict_find(b, "v19999", 6));
    eng_dict_free(a);
    eng_dict_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_new_dictionary_holds_only_the_empty_string),
        cmocka_unit_test(ids_are_dense_in_insertion_order_and_stable),
        cmocka_unit_test(two_dictionaries_fed_alike_give_the_same_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
