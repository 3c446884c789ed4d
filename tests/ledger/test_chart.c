/* test_chart.c - the chart profiles: lookups by code prefix, roles, profile per unit type. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "ledger/chart.h"
#include "../testutil.h"

static void profiles_are_found_by_id(void **state)
{
    (void)state;
    const chart_profile *g = chart_profile_get("gov2019");
    const chart_profile *e = chart_profile_get("enterprise");
    assert_non_null(g);
    assert_non_null(e);
    assert_string_equal(g->name_zh, "政府会计制度");
    assert_string_equal(e->name_zh, "企业会计准则");
    assert_null(chart_profile_get("ifrs"));
    assert_null(chart_profile_get(NULL));
}

static void the_unit_type_picks_the_profile(void **state)
{
    (void)state;
    assert_string_equal(chart_profile_for_unit_type("国企")->id, "enterprise");
    assert_string_equal(chart_profile_for_unit_type("机关")->id, "gov2019");
    assert_string_equal(chart_profile_for_unit_type("学校")->id, "gov2019");
    assert_string_equal(chart_profile_for_unit_type(NULL)->id, "gov2019");
}

/* The binary search in chart_lookup depends on it. */
static void each_table_is_sorted_with_four_digit_codes_and_a_side(void **state)
{
    (void)state;
    const char *ids[] = {"gov2019", "enterprise"};
    for (size_t k = 0; k < 2; k++) {
        const chart_profile *p = chart_profile_get(ids[k]);
        assert_true(p->count > 30);
        for (size_t i = 0; i < p->count; i++) {
            const chart_account *a = &p->accounts[i];
            assert_int_equal(strlen(a->code), 4);
            assert_true(a->normal_side == 'D' || a->normal_side == 'C');
            if (i)
                assert_true(strcmp(p->accounts[i - 1].code, a->code) < 0);
            /* Every account is found again by its own code. */
            assert_ptr_equal(chart_lookup(p, a->code), a);
        }
    }
}

static void lookup_goes_by_the_first_four_digits(void **state)
{
    (void)state;
    const chart_profile *g = chart_profile_get("gov2019");
    const chart_account *a = chart_lookup(g, "100201");
    assert_non_null(a);
    assert_string_equal(a->code, "1002");
    assert_string_equal(a->name, "银行存款");
    assert_null(chart_lookup(g, "100"));
    assert_null(chart_lookup(g, "9999"));
    assert_null(chart_lookup(g, NULL));
    assert_null(chart_lookup(NULL, "1001"));
}

static void roles_follow_design_section_4(void **state)
{
    (void)state;
    const chart_profile *g = chart_profile_get("gov2019");
    assert_int_equal(chart_roles(g, "1001"), CHART_ROLE_CASH);
    assert_true(chart_roles(g, "100201") & CHART_ROLE_BANK);
    assert_true(chart_roles(g, "1011") & CHART_ROLE_BANK);
    assert_true(chart_roles(g, "1021") & CHART_ROLE_BANK);
    assert_true(chart_roles(g, "1218") & CHART_ROLE_OTHER_RECEIVABLE);
    assert_true(chart_roles(g, "2307") & CHART_ROLE_OTHER_PAYABLE);
    assert_true(chart_roles(g, "5001") & CHART_ROLE_EXPENSE);
    assert_int_equal(chart_roles(g, "1601"), 0);
    assert_int_equal(chart_roles(g, "0000"), 0);

    const chart_profile *e = chart_profile_get("enterprise");
    assert_int_equal(chart_roles(e, "1001"), CHART_ROLE_CASH);
    assert_true(chart_roles(e, "1002") & CHART_ROLE_BANK);
    assert_true(chart_roles(e, "1012") & CHART_ROLE_BANK);
    assert_true(chart_roles(e, "1221") & CHART_ROLE_OTHER_RECEIVABLE);
    assert_true(chart_roles(e, "2241") & CHART_ROLE_OTHER_PAYABLE);
    assert_true(chart_roles(e, "660201") & CHART_ROLE_EXPENSE);
    /* 1011 is a quota account only in the government chart. */
    assert_false(chart_roles(e, "1011") & CHART_ROLE_BANK);
}

static void budget_accounts_of_the_government_chart_carry_the_budget_role(void **state)
{
    (void)state;
    const chart_profile *g = chart_profile_get("gov2019");
    int budget = 0;
    for (size_t i = 0; i < g->count; i++) {
        const chart_account *a = &g->accounts[i];
        bool bud = (a->roles & CHART_ROLE_BUDGET) != 0;
        /* 6xxx, 7xxx and 8xxx are the budget accounting of 政府会计制度, and only they. */
        assert_int_equal(bud, a->code[0] >= '6' && a->code[0] <= '8');
        budget += bud;
    }
    assert_true(budget > 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(profiles_are_found_by_id),
        cmocka_unit_test(the_unit_type_picks_the_profile),
        cmocka_unit_test(each_table_is_sorted_with_four_digit_codes_and_a_side),
        cmocka_unit_test(lookup_goes_by_the_first_four_digits),
        cmocka_unit_test(roles_follow_design_section_4),
        cmocka_unit_test(budget_accounts_of_the_government_chart_carry_the_budget_role),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
