/* test_crossaudit.c - the cross-audit planner on hand-built models: every hard constraint kept
 * or refused with its reason, the same seed the same plan, the check of an edited plan. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "domain/crossaudit.h"
#include "../testutil.h"

/* n units U00.. in cells C<i % cells>, each with k[i] auditors (k NULL: per_unit each). */
static void model(xa_model *m, int n, const int *k, int per_unit, int cells)
{
    int np = 0;
    for (int i = 0; i < n; i++)
        np += k ? k[i] : per_unit;
    ag_error err;
    must(xa_model_init(m, n, np, &err), &err);
    for (int i = 0, p = 0; i < n; i++) {
        snprintf(m->units[i].code, sizeof m->units[i].code, "U%02d", i);
        snprintf(m->units[i].name, sizeof m->units[i].name, "单位%02d", i);
        snprintf(m->units[i].cell, sizeof m->units[i].cell, "C%d", cells ? i % cells : 0);
        for (int j = 0; j < (k ? k[i] : per_unit); j++, p++) {
            m->persons[p].id = 100 + p;
            snprintf(m->persons[p].name, sizeof m->persons[p].name, "人员%d", p);
            m->persons[p].unit = i;
            m->persons[p].tenths = (p * 37) % 200;
        }
    }
}

static int count_code(const json_t *v, const char *code)
{
    int n = 0;
    for (size_t i = 0; i < json_array_size(v); i++)
        n += !strcmp(json_string_value(json_object_get(json_array_get(v, i), "code")), code);
    return n;
}

/* A plan that the check finds clean: every audited unit has another unit, no pair twice. */
static void assert_clean(const xa_model *m, const xa_assign *plan)
{
    json_t *v = xa_check(m, plan);
    if (json_array_size(v))
        fail_msg("violation: %s", json_string_value(json_object_get(json_array_get(v, 0), "en")));
    json_decref(v);
    for (int a = 0; a < m->nunits; a++) {
        assert_true(plan[a].auditor >= 0 && plan[a].auditor != a);
        assert_true(plan[plan[a].auditor].auditor != a);
        assert_int_equal(m->persons[plan[a].team[0]].unit, plan[a].auditor);
    }
}

static void test_plan_keeps_constraints(void **state)
{
    (void)state;
    xa_model m;
    int k[40];
    for (int i = 0; i < 40; i++)
        k[i] = 2 + i % 3;
    model(&m, 40, k, 0, 5);
    /* SOE groups: U00-U03 one group, U04-U05 another */
    for (int i = 0; i < 6; i++)
        snprintf(m.units[i].group, sizeof m.units[i].group, "%s", i < 4 ? "G1" : "G2");
    for (int p = 0; p < m.npersons; p++)
        if (m.persons[p].unit < 4) {
            m.persons[p].ngroup = 1;
            snprintf(m.persons[p].group[0], 24, "G1");
        }
    /* last round U10 audited U11; a person of U12 worked at U13 two years ago */
    m.prev[11] = 10;
    for (int p = 0; p < m.npersons; p++)
        if (m.persons[p].unit == 12) {
            m.persons[p].bar[m.persons[p].nbar++] = 13;
        }
    xa_assign plan[40];
    json_t *why = NULL;
    ag_error err;
    must(xa_plan(&m, 7, plan, &why, &err), &err);
    assert_int_equal(json_array_size(why), 0);
    json_decref(why);
    assert_clean(&m, plan);
    for (int a = 0; a < 4; a++)
        assert_true(plan[a].auditor >= 4 || strcmp(m.units[plan[a].auditor].group, "G1"));
    assert_int_not_equal(plan[11].auditor, 10);
    assert_int_not_equal(plan[13].auditor, 12);
    /* a person on one team at most, team sizes within 2..4 */
    int seen[200] = {0};
    for (int a = 0; a < 40; a++) {
        assert_true(plan[a].nteam >= 2 && plan[a].nteam <= 4);
        for (int i = 0; i < plan[a].nteam; i++)
            assert_int_equal(seen[plan[a].team[i]]++, 0);
    }
    /* the soft goals: teams outside the cell, balanced load */
    json_t *sc = xa_score(&m, plan);
    assert_int_equal(json_integer_value(json_object_get(sc, "teams_in_cell")), 0);
    assert_int_equal(json_integer_value(json_object_get(sc, "units_over_load")), 0);
    assert_int_equal(json_integer_value(json_object_get(sc, "load_limit")), 1);
    json_decref(sc);
    xa_model_release(&m);
}

static void test_same_seed_same_plan(void **state)
{
    (void)state;
    xa_model m;
    model(&m, 30, NULL, 3, 4);
    xa_assign p1[30], p2[30], p3[30];
    json_t *why = NULL;
    ag_error err;
    memset(p1, 0, sizeof p1);
    memset(p2, 0, sizeof p2);
    must(xa_plan(&m, 42, p1, &why, &err), &err);
    json_decref(why);
    must(xa_plan(&m, 42, p2, &why, &err), &err);
    json_decref(why);
    assert_memory_equal(p1, p2, sizeof p1);
    must(xa_plan(&m, 43, p3, &why, &err), &err);
    json_decref(why);
    bool differs = false;
    for (int a = 0; a < 30; a++)
        differs |= p1[a].auditor != p3[a].auditor;
    assert_true(differs);
    assert_clean(&m, p3);
    xa_model_release(&m);
}

/* Refused, nothing planned, the reason of `code` saying zh. */
static void refused(const xa_model *m, const char *code, const char *zh)
{
    xa_assign plan[16];
    json_t *why = NULL;
    ag_error err;
    ag_err rc = xa_plan(m, 1, plan, &why, &err);
    assert_int_equal(rc, AG_ERR_INPUT);
    assert_true(count_code(why, code) > 0);
    bool said = false;
    for (size_t i = 0; i < json_array_size(why); i++)
        said |=
            strstr(json_string_value(json_object_get(json_array_get(why, i), "zh")), zh) != NULL;
    if (!said)
        fail_msg("no reason says %s; first: %s", zh, err.zh);
    assert_true(err.en[0] != '\0');
    json_decref(why);
}

static void test_one_auditor(void **state)
{
    (void)state;
    xa_model m;
    int k[] = {2, 2, 1};
    model(&m, 3, k, 0, 3);
    refused(&m, "team_capacity", "单位单位02（U02）只有1名内审人员，审计组至少需要2人");
    xa_model_release(&m);
}

static void test_two_units_only(void **state)
{
    (void)state;
    xa_model m;
    model(&m, 2, NULL, 3, 2);
    refused(&m, "mutual", "只有两个单位，只能互审");
    xa_model_release(&m);
}

static void test_everybody_conflicted(void **state)
{
    (void)state;
    xa_model m;
    /* every auditor worked at U00 in the last three years */
    model(&m, 4, NULL, 2, 2);
    for (int p = 0; p < m.npersons; p++)
        m.persons[p].bar[m.persons[p].nbar++] = 0;
    refused(&m, "no_candidate", "没有单位可以审计单位单位00（U00）");
    xa_model_release(&m);
    /* one SOE group: nobody may audit the group's units */
    model(&m, 4, NULL, 2, 1);
    for (int i = 0; i < 4; i++)
        snprintf(m.units[i].group, sizeof m.units[i].group, "G");
    refused(&m, "no_candidate", "同属一个国企集团");
    xa_model_release(&m);
    /* the previous round: U01 audited U00 and U00 U01, so both need U02 */
    model(&m, 3, NULL, 2, 1);
    m.prev[0] = 1;
    m.prev[1] = 0;
    refused(&m, "no_candidate", "无法为单位");
    xa_model_release(&m);
}

static void test_check_names_each_constraint(void **state)
{
    (void)state;
    xa_model m;
    model(&m, 4, NULL, 3, 2);
    snprintf(m.units[2].group, 24, "G");
    snprintf(m.units[3].group, 24, "G");
    m.prev[1] = 2;
    m.persons[7].bar[m.persons[7].nbar++] = 0; /* person 7 (of U02) worked at U00 */
    m.persons[7].nown = 0;
    xa_assign plan[4] = {
        {0, 1, {0}},       /* own unit; team too small */
        {2, 2, {6, 3}},    /* last round's pair; lead of U02, member of U01 itself */
        {3, 2, {4, 10}},   /* same SOE group; the lead is of U01, not U03 */
        {2, 3, {7, 6, 8}}, /* U02 and U03 audit each other; person 6 twice */
    };
    json_t *v = xa_check(&m, plan);
    assert_true(count_code(v, "own_unit") >= 2);
    assert_true(count_code(v, "team_size") >= 1);
    assert_true(count_code(v, "repeat_pair") == 1);
    assert_true(count_code(v, "own_group") == 2); /* U02 and U03, both ways */
    assert_true(count_code(v, "mutual") == 1);
    assert_true(count_code(v, "one_team") == 1);
    assert_true(count_code(v, "lead") >= 1);
    json_decref(v);
    /* a former unit is named as such */
    xa_assign p2[4] = {{2, 2, {7, 8}}, {2, 2, {6, 3}}, {0, 2, {0, 1}}, {1, 2, {4, 5}}};
    v = xa_check(&m, p2);
    assert_int_equal(count_code(v, "former_unit"), 1);
    json_decref(v);
    xa_model_release(&m);
}

static void test_naive_baseline(void **state)
{
    (void)state;
    xa_model m;
    model(&m, 30, NULL, 2, 3);
    xa_assign plan[30];
    int tries = 0;
    ag_error err;
    must(xa_plan_naive(&m, 5, 1000, plan, &tries, &err), &err);
    assert_true(tries >= 1);
    assert_clean(&m, plan);
    xa_model_release(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plan_keeps_constraints),
        cmocka_unit_test(test_same_seed_same_plan),
        cmocka_unit_test(test_one_auditor),
        cmocka_unit_test(test_two_units_only),
        cmocka_unit_test(test_everybody_conflicted),
        cmocka_unit_test(test_check_names_each_constraint),
        cmocka_unit_test(test_naive_baseline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
