/* test_gen_plant.c - the planted irregularities name rules the engine really has, under the
 * catalog item the engine files them under (so detection rates are measured against real rules).
 * Their presence in generated books is pinned by test_gen.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "engine/rules.h"
#include "ledger/gen_int.h"
#include "../testutil.h"

static void every_planted_kind_is_an_engine_rule_with_the_same_item(void **state)
{
    (void)state;
    eng_catalog *cat = NULL;
    ag_error err;
    must(eng_catalog_load_default(&cat, &err), &err);
    for (int k = 0; k < PL_NKINDS; k++) {
        const char *rule = gen_rule_name(k), *item = gen_rule_item(k);
        assert_non_null(rule);
        assert_non_null(item);
        const eng_rule *found = NULL;
        for (size_t i = 0; i < cat->n && !found; i++)
            if (strcmp(cat->rules[i].id, rule) == 0)
                found = &cat->rules[i];
        if (!found)
            fail_msg("planted rule %s is not in the engine's catalog", rule);
        if (strcmp(found->item, item) != 0)
            fail_msg("%s: planted under %s, the engine files it under %s", rule, item, found->item);
        for (int j = 0; j < k; j++)
            assert_string_not_equal(rule, gen_rule_name(j));
    }
    eng_catalog_free(cat);
}

static void items_are_catalog_ids(void **state)
{
    (void)state;
    for (int k = 0; k < PL_NKINDS; k++) {
        const char *item = gen_rule_item(k);
        bool fund = item[0] == 'F' && strlen(item) == 3 && strcmp(item, "F01") >= 0 &&
                    strcmp(item, "F13") <= 0;
        bool key = item[0] == 'K' && strlen(item) == 2 && item[1] >= '1' && item[1] <= '7';
        assert_true(fund || key);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_planted_kind_is_an_engine_rule_with_the_same_item),
        cmocka_unit_test(items_are_catalog_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
