/* test_gen_data.c - the generator's static data: expense kinds that fit their chart, sectors
 * with function codes, and payee names that are distinct and never shared with planted ones. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "ledger/gen_int.h"
#include "../testutil.h"

static bool all_digits(const char *s, size_t n)
{
    if (!s || strlen(s) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static void check_kind(const gen_exp *e)
{
    assert_true(e->dlo >= 0 && e->dlo <= e->dhi && e->dhi <= 8);
    /* 0: drawn only by the schedule (utilities), never at random. */
    assert_true(e->weight >= 0);
    assert_true(e->card_pct >= 0 && e->card_pct <= 100);
    assert_true(e->cat >= 0 && e->cat < GEN_NCAT);
    /* Reserved payees are for planted cases only. */
    assert_int_not_equal(e->cat, CAT_PLANT);
    assert_non_null(e->s1);
    assert_non_null(e->s2);
}

static void government_expense_kinds_carry_economic_classes(void **state)
{
    (void)state;
    assert_true(gen_gov_exp_n > 5);
    int weight = 0;
    for (size_t i = 0; i < gen_gov_exp_n; i++) {
        const gen_exp *e = &gen_gov_exp[i];
        check_kind(e);
        /* 支出经济分类 302xx/303xx/310xx...: five digits starting with 3. */
        assert_true(all_digits(e->econ, 5));
        assert_int_equal(e->econ[0], '3');
        assert_non_null(e->econ_name);
        assert_null(e->acct);
        /* One class may serve two kinds of payee, under the same name. */
        for (size_t j = 0; j < i; j++)
            if (strcmp(e->econ, gen_gov_exp[j].econ) == 0)
                assert_string_equal(e->econ_name, gen_gov_exp[j].econ_name);
        weight += e->weight;
    }
    assert_true(weight > 0);
}

static void enterprise_expense_kinds_carry_expense_accounts(void **state)
{
    (void)state;
    assert_true(gen_ent_exp_n > 5);
    int weight = 0;
    for (size_t i = 0; i < gen_ent_exp_n; i++) {
        const gen_exp *e = &gen_ent_exp[i];
        check_kind(e);
        assert_null(e->econ);
        assert_non_null(e->acct);
        assert_true(strncmp(e->acct, "66", 2) == 0 || strncmp(e->acct, "6401", 4) == 0);
        assert_non_null(e->acct_name);
        /* 公务卡 is a government payment channel. */
        assert_int_equal(e->card_pct, 0);
        for (size_t j = 0; j < i; j++)
            if (strcmp(e->acct, gen_ent_exp[j].acct) == 0)
                assert_string_equal(e->acct_name, gen_ent_exp[j].acct_name);
        weight += e->weight;
    }
    assert_true(weight > 0);
}

static void sectors_have_function_classes_and_projects(void **state)
{
    (void)state;
    assert_true(gen_sectors_n > 3);
    for (size_t i = 0; i < gen_sectors_n; i++) {
        const gen_sector *s = &gen_sectors[i];
        /* 支出功能分类 at item level: seven digits starting with 2. */
        assert_true(all_digits(s->admin_run, 7) && s->admin_run[0] == '2');
        assert_true(all_digits(s->admin_mgmt, 7) && s->admin_mgmt[0] == '2');
        assert_true(all_digits(s->inst_run, 7) && s->inst_run[0] == '2');
        assert_non_null(s->projects[0]);
    }
    /* The first sector is the fallback: it matches no keyword. */
    assert_null(gen_sectors[0].keywords[0]);
    assert_true(gen_surnames_n > 20 && gen_staff_given_n > 20 && gen_person_given_n > 20);
}

static int by_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void company_names_are_distinct_and_categories_never_share_one(void **state)
{
    (void)state;
    size_t total = 0;
    for (int cat = 0; cat < GEN_NCAT; cat++)
        if (cat != CAT_PERSON)
            total += gen_company_capacity(cat);
    char **names = malloc(total * sizeof *names);
    int *cats = malloc(total * sizeof *cats);
    assert_non_null(names);
    assert_non_null(cats);
    size_t k = 0;
    for (int cat = 0; cat < GEN_NCAT; cat++) {
        if (cat == CAT_PERSON)
            continue;
        assert_true(gen_company_capacity(cat) > 100);
        for (size_t i = 0; i < gen_company_capacity(cat); i++) {
            char buf[GEN_CP_NAME];
            gen_company_name(cat, i, 0, buf, sizeof buf);
            assert_true(strlen(buf) > 12 && strlen(buf) < GEN_CP_NAME - 1);
            assert_non_null(strstr(buf, "公司"));
            names[k] = strdup(buf);
            cats[k] = cat;
            k++;
        }
    }
    qsort(names, total, sizeof *names, by_str);
    for (size_t i = 1; i < total; i++)
        if (strcmp(names[i - 1], names[i]) == 0)
            fail_msg("payee name given twice: %s", names[i]);
    for (size_t i = 0; i < total; i++)
        free(names[i]);
    free(names);
    free(cats);
}

static void names_are_deterministic_and_vary_with_the_salt(void **state)
{
    (void)state;
    char a[GEN_CP_NAME], b[GEN_CP_NAME];
    int differ = 0;
    for (size_t i = 0; i < 50; i++) {
        gen_company_name(CAT_IT, i, 3, a, sizeof a);
        gen_company_name(CAT_IT, i, 3, b, sizeof b);
        assert_string_equal(a, b);
        gen_company_name(CAT_IT, i, 4, b, sizeof b);
        differ += strcmp(a, b) != 0;
    }
    assert_true(differ > 40);
    /* People: a surname and a given name, distinct over the capacity. */
    size_t cap = gen_company_capacity(CAT_PERSON);
    assert_int_equal(cap, gen_surnames_n * gen_person_given_n);
    char **p = malloc(cap * sizeof *p);
    assert_non_null(p);
    for (size_t i = 0; i < cap; i++) {
        gen_company_name(CAT_PERSON, i, 0, a, sizeof a);
        assert_null(strstr(a, "公司"));
        p[i] = strdup(a);
    }
    qsort(p, cap, sizeof *p, by_str);
    size_t dups = 0;
    for (size_t i = 1; i < cap; i++)
        dups += strcmp(p[i - 1], p[i]) == 0;
    /* A few surname+given pairs may read alike (e.g. two-character surnames); nearly all differ. */
    assert_true(dups * 100 < cap);
    for (size_t i = 0; i < cap; i++)
        free(p[i]);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(government_expense_kinds_carry_economic_classes),
        cmocka_unit_test(enterprise_expense_kinds_carry_expense_accounts),
        cmocka_unit_test(sectors_have_function_classes_and_projects),
        cmocka_unit_test(company_names_are_distinct_and_categories_never_share_one),
        cmocka_unit_test(names_are_deterministic_and_vary_with_the_salt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
