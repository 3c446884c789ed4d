/* test_scope.c - each role sees exactly its units (DESIGN.md §2); unknown and out-of-scope look
 * alike. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/catalog.h"
#include "domain/grid.h"
#include "domain/scope.h"
#include "util/uscc.h"
#include "../testutil.h"

static char SCHOOL[19], SCHOOL2[19], STREET[19], GROUP[19], SUB1[19], SUB2[19], GROUP2[19],
    SUB3[19];
static int64_t LIAISON_PERSON;

static void code_for(const char *head, int n, char out[19])
{
    snprintf(out, 19, "%s120104MB%07d", head, n);
    out[17] = uscc_check_char(out);
    out[18] = '\0';
}

/* Cells D01 (dept: two schools), S01 (street: one office), D22 (soe: two
 * groups, three subsidiaries); one liaison person looks after D22. */
static int setup(void **state)
{
    char path[1024];
    ag_test_path(path, sizeof path, "scope.db");
    ag_store *st = NULL;
    ag_error err;
    must(store_open(path, AG_STORE_CREATE, &st, &err), &err);
    must(grid_district_init(st, "120104", "天津市南开区", &err), &err);
    grid_cell_in cells[] = {{"D01", "dept", "区教育局", 0, 1},
                            {"S01", "street", "长虹街道", 0, 2},
                            {"D22", "soe", "区国资委", 0, 3}};
    for (int i = 0; i < 3; i++)
        must(grid_cell_add(st, &cells[i], &err), &err);
    code_for("12", 1, SCHOOL);
    code_for("12", 2, SCHOOL2);
    code_for("11", 3, STREET);
    code_for("91", 4, GROUP);
    code_for("91", 5, SUB1);
    code_for("91", 6, SUB2);
    code_for("91", 7, GROUP2);
    code_for("91", 8, SUB3);
    grid_unit_in units[] = {{SCHOOL, "第一中学", "学校", "D01", NULL, true, NULL},
                            {SCHOOL2, "第二中学", "学校", "D01", NULL, false, NULL},
                            {STREET, "长虹街道办事处", "街道", "S01", NULL, false, NULL},
                            {GROUP, "城投集团", "国企", "D22", NULL, true, NULL},
                            {SUB1, "城投一公司", "国企", "D22", GROUP, false, NULL},
                            {SUB2, "城投二公司", "国企", "D22", GROUP, false, NULL},
                            {GROUP2, "旅游集团", "国企", "D22", NULL, false, NULL},
                            {SUB3, "旅游一公司", "国企", "D22", GROUP2, false, NULL}};
    for (int i = 0; i < 8; i++)
        must(grid_unit_add(st, &units[i], &err), &err);
    grid_person_in p = {"网格员", NULL, "网格指导员", NULL, NULL, NULL};
    must(grid_person_add(st, &p, &LIAISON_PERSON, &err), &err);
    must(grid_liaison_add(st, "D22", LIAISON_PERSON, &err), &err);
    *state = st;
    return 0;
}

static int teardown(void **state)
{
    store_close(*state);
    return 0;
}

static ag_scope scope_of(const char *role, const char *unit, const char *cell, int64_t person)
{
    ag_scope sc;
    ag_error err;
    must(scope_init(&sc, role, unit, cell, person, &err), &err);
    return sc;
}

static int64_t visible_count(ag_store *st, const ag_scope *sc)
{
    json_t *page = NULL;
    ag_error err;
    must(grid_unit_page(st, NULL, sc, 100, 0, &page, &err), &err);
    int64_t n = json_integer_value(json_object_get(page, "total"));
    assert_int_equal((int64_t)json_array_size(json_object_get(page, "items")), n);
    json_decref(page);
    return n;
}

static bool sees(ag_store *st, const ag_scope *sc, const char *code)
{
    bool v = true;
    ag_error err;
    must(scope_unit_visible(st, sc, code, &v, &err), &err);
    return v;
}

static void test_roles(void **state)
{
    ag_store *st = *state;
    ag_scope admin = scope_of("admin", NULL, NULL, 0), rev = scope_of("reviewer", NULL, NULL, 0);
    assert_true(scope_is_global(&admin) && scope_is_global(&rev));
    assert_int_equal(visible_count(st, &admin), 8);
    assert_int_equal(visible_count(st, &rev), 8);

    ag_scope sup = scope_of("supervisor", NULL, "D01", 0);
    assert_int_equal(visible_count(st, &sup), 2);
    assert_true(sees(st, &sup, SCHOOL2));
    assert_false(sees(st, &sup, STREET));

    ag_scope lia = scope_of("liaison", NULL, "S01", 0);
    assert_int_equal(visible_count(st, &lia), 1);
    assert_false(sees(st, &lia, GROUP));
    /* The same liaison account linked to its person also sees the cells that
     * person looks after. */
    ag_scope lia2 = scope_of("liaison", NULL, "S01", LIAISON_PERSON);
    assert_int_equal(visible_count(st, &lia2), 6);
    assert_true(sees(st, &lia2, SUB3));

    ag_scope lead = scope_of("leader", GROUP, NULL, 0), aud = scope_of("auditor", SCHOOL, NULL, 0);
    assert_int_equal(visible_count(st, &lead), 1);
    assert_false(sees(st, &lead, SUB1)); /* a group head's leader: own unit only */
    assert_int_equal(visible_count(st, &aud), 1);
    assert_true(sees(st, &aud, SCHOOL));
    assert_false(sees(st, &aud, SCHOOL2));

    ag_scope chief = scope_of("chief_auditor", GROUP, NULL, 0);
    assert_int_equal(visible_count(st, &chief), 3);
    assert_true(sees(st, &chief, SUB2));
    assert_false(sees(st, &chief, GROUP2));
    assert_false(sees(st, &chief, SUB3));
}

static void test_unknown_units_are_invisible(void **state)
{
    ag_store *st = *state;
    ag_scope admin = scope_of("admin", NULL, NULL, 0);
    assert_false(sees(st, &admin, "91120104MA000000X0"));
    assert_false(sees(st, &admin, ""));
    assert_false(sees(st, &admin, NULL));
    /* Quotes in a code are data, never SQL. */
    assert_false(sees(st, &admin, "x' OR '1'='1"));
}

static void test_deny_by_default(void **state)
{
    (void)state;
    ag_scope sc;
    ag_error err;
    assert_int_equal(scope_init(&sc, "boss", NULL, NULL, 0, &err), AG_ERR_INPUT);
    assert_int_equal(scope_init(&sc, NULL, NULL, NULL, 0, &err), AG_ERR_INPUT);
    assert_int_equal(scope_init(&sc, "auditor", NULL, NULL, 0, &err), AG_ERR_INPUT);
    assert_int_equal(scope_init(&sc, "liaison", NULL, "", 0, &err), AG_ERR_INPUT);
    sc.role = (ag_role)99;
    scope_sql q;
    assert_int_equal(scope_predicate(&sc, "u.code", &q, &err), AG_OK);
    assert_string_equal(q.text, "1 = 0");
    ag_scope ok = scope_of("auditor", "X", NULL, 0);
    assert_int_equal(scope_predicate(&ok, "code; DROP TABLE unit", &q, &err), AG_ERR_INTERNAL);
    ag_role r;
    assert_true(scope_role_parse("chief_auditor", &r));
    assert_int_equal(r, AG_ROLE_CHIEF_AUDITOR);
    assert_string_equal(scope_role_name(AG_ROLE_LIAISON), "liaison");
    assert_string_equal(scope_role_name((ag_role)42), "?");
}

/* DESIGN.md §2: an internal auditor (or chief auditor) sees an audited unit
 * only while assigned to its audit; seeing it is not owning it. */
static void test_audit_assignment(void **state)
{
    ag_store *st = *state;
    ag_error err;
    must(catalog_install_default(st, NULL, &err), &err);
    grid_person_in on = {"交叉审计组长", SCHOOL2, "内审负责人", NULL, NULL, "auditor"};
    grid_person_in off = {"未参审内审", SCHOOL2, "内审专员", NULL, NULL, "auditor"};
    grid_person_in chief = {"旅游集团总审计师", GROUP2, "总审计师", NULL, NULL, "chief_auditor"};
    int64_t on_id = 0, off_id = 0, chief_id = 0;
    must(grid_person_add(st, &on, &on_id, &err), &err);
    must(grid_person_add(st, &off, &off_id, &err), &err);
    must(grid_person_add(st, &chief, &chief_id, &err), &err);
    ag_scope assigned = scope_of("auditor", SCHOOL2, NULL, on_id);
    ag_scope colleague = scope_of("auditor", SCHOOL2, NULL, off_id);
    ag_scope unlinked = scope_of("auditor", SCHOOL2, NULL, 0);
    ag_scope group = scope_of("chief_auditor", GROUP2, NULL, chief_id);
    assert_false(sees(st, &assigned, SCHOOL));
    assert_int_equal(visible_count(st, &group), 2);

    const char *items[] = {"F01"};
    audit_project_in in = {NULL, "交叉互审", "cross", SCHOOL, "2025-01-01", "2025-12-31", items, 1};
    audit_actor admin = {scope_of("admin", NULL, NULL, 0), "test"};
    int64_t project = 0;
    must(audit_project_create(st, &admin, &in, &project, &err), &err);
    must(audit_team_add(st, &admin, project, on_id, "lead", &err), &err);
    must(audit_team_add(st, &admin, project, chief_id, "member", &err), &err);

    assert_true(sees(st, &assigned, SCHOOL));
    assert_int_equal(visible_count(st, &assigned), 2);
    assert_false(sees(st, &assigned, STREET));
    assert_false(sees(st, &colleague, SCHOOL)); /* a colleague not on the team */
    assert_false(sees(st, &unlinked, SCHOOL));  /* an account without its person */
    assert_true(sees(st, &group, SCHOOL));
    assert_int_equal(visible_count(st, &group), 3);
    /* The leader of the assigned auditor's unit gains nothing. */
    ag_scope lead2 = scope_of("leader", SCHOOL2, NULL, on_id);
    assert_false(sees(st, &lead2, SCHOOL));

    bool owned = true;
    must(scope_unit_owned(st, &assigned, SCHOOL, &owned, &err), &err);
    assert_false(owned);
    must(scope_unit_owned(st, &assigned, SCHOOL2, &owned, &err), &err);
    assert_true(owned);
    must(scope_unit_owned(st, &group, SUB3, &owned, &err), &err);
    assert_true(owned);
    must(scope_unit_owned(st, &group, SCHOOL, &owned, &err), &err);
    assert_false(owned);
    ag_scope lead = scope_of("leader", GROUP, NULL, 0);
    must(scope_unit_owned(st, &lead, GROUP, &owned, &err), &err);
    assert_true(owned);
    must(scope_unit_owned(st, &lead, SUB1, &owned, &err), &err);
    assert_false(owned);
    ag_scope sup = scope_of("supervisor", NULL, "D01", 0), adm = scope_of("admin", NULL, NULL, 0);
    must(scope_unit_owned(st, &sup, SCHOOL, &owned, &err), &err);
    assert_false(owned);
    must(scope_unit_owned(st, &adm, SCHOOL, &owned, &err), &err);
    assert_false(owned);
    ag_scope ghost = scope_of("auditor", "91120104MA000000X0", NULL, 0);
    must(scope_unit_owned(st, &ghost, "91120104MA000000X0", &owned, &err), &err);
    assert_false(owned); /* a unit that does not exist is nobody's */

    /* Closing the project ends the assignment. */
    must(store_exec(st, "UPDATE audit_project SET stage = 'closed'", &err), &err);
    assert_false(sees(st, &assigned, SCHOOL));
    assert_false(sees(st, &group, SCHOOL));
    assert_int_equal(visible_count(st, &assigned), 1);
}

/* scope_prepare: head's own arguments first, then the predicate's, then tail's from *next. */
static void test_prepare_binds_head_then_scope(void **state)
{
    ag_store *st = *state;
    ag_error err;
    ag_scope sup = scope_of("supervisor", NULL, "D01", 0);
    ag_stmt *s = NULL;
    int next = 0;
    bool row = false;
    must(scope_prepare(st, &sup, "u.code", "SELECT COUNT(*) FROM unit u WHERE u.type = ? AND ",
                       " AND u.pilot = ?", &s, &next, &err, "t", "学校"),
         &err);
    must(store_bind_int(s, next, 1), &err);
    must(store_step(s, &row, &err), &err);
    assert_true(row);
    assert_int_equal(store_col_int(s, 0), 1); /* 第一中学: a pilot school under D01 */
    store_finalize(s);
    /* NULL is every unit; a bad column is refused and leaves no statement. */
    must(scope_prepare(st, NULL, "u.code", "SELECT COUNT(*) FROM unit u WHERE ", "", &s, NULL, &err,
                       ""),
         &err);
    must(store_step(s, &row, &err), &err);
    assert_int_equal(store_col_int(s, 0), 8);
    store_finalize(s);
    assert_int_equal(
        scope_prepare(st, &sup, "u.code; --", "SELECT 1 WHERE ", "", &s, NULL, &err, ""),
        AG_ERR_INTERNAL);
    assert_null(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_unknown_units_are_invisible),
        cmocka_unit_test(test_prepare_binds_head_then_scope),
        cmocka_unit_test(test_deny_by_default),
        cmocka_unit_test(test_audit_assignment),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
