/* test_import.c (app) - who may replace a unit's books: the unit's own internal auditors, a chief
 * auditor over its group, the bureau; never an audit-team member from another unit. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/import.h"
#include "../testutil.h"

#define UNIT_A "12120104MB0000001A" /* a school */
#define UNIT_B "12120104MB0000002B" /* another unit, whose auditor is on A's audit team */
#define UNIT_H "91120104MA0000003H" /* an SOE group head */
#define UNIT_G "91120104MA0000004G" /* a company of the group */

static int setup(void **state)
{
    ag_store *st = ag_test_fresh_db("app-import.db");
    ag_error err;
    must(store_exec(st,
                    "INSERT INTO district VALUES ('120104', '南开区', 'x');"
                    "INSERT INTO unit (code, name, type, district_code, parent_code, created_at)"
                    " VALUES ('" UNIT_A "', '甲学校', '学校', '120104', NULL, 'x'),"
                    " ('" UNIT_B "', '乙机关', '机关', '120104', NULL, 'x'),"
                    " ('" UNIT_H "', '丙集团', '国企', '120104', NULL, 'x'),"
                    " ('" UNIT_G "', '丙公司', '国企', '120104', '" UNIT_H "', 'x');",
                    &err),
         &err);
    *state = st;
    return 0;
}

static int teardown(void **state)
{
    store_close(*state);
    return 0;
}

static bool may(ag_store *st, const char *role, const char *own, const char *unit)
{
    ag_scope sc;
    ag_error err;
    must(scope_init(&sc, role, own,
                    strcmp(role, "liaison") && strcmp(role, "supervisor") ? NULL : "C01", 7, &err),
         &err);
    bool ok = true;
    must(app_import_may_replace(st, &sc, unit, &ok, &err), &err);
    return ok;
}

static void the_unit_itself_and_the_bureau_may_replace(void **state)
{
    ag_store *st = *state;
    assert_true(may(st, "admin", NULL, UNIT_A));
    assert_true(may(st, "auditor", UNIT_A, UNIT_A));
    assert_true(may(st, "chief_auditor", UNIT_H, UNIT_G));
    assert_true(may(st, "chief_auditor", UNIT_H, UNIT_H));
}

static void others_may_not(void **state)
{
    ag_store *st = *state;
    /* B's auditor (person 7) sees A while on its audit team: reading is not replacing. */
    assert_false(may(st, "auditor", UNIT_B, UNIT_A));
    assert_false(may(st, "chief_auditor", UNIT_H, UNIT_A));
    assert_false(may(st, "leader", UNIT_A, UNIT_A));
    assert_false(may(st, "reviewer", NULL, UNIT_A));
    assert_false(may(st, "supervisor", NULL, UNIT_A));
    assert_false(may(st, "liaison", NULL, UNIT_A));
}

static void a_refused_replace_names_the_rule_and_no_option(void **state)
{
    ag_store *st = *state;
    ag_scope sc;
    ag_error err;
    must(scope_init(&sc, "auditor", UNIT_B, NULL, 7, &err), &err);
    ledger_import_opts o = {UNIT_A, 0, "csv", NULL, NULL, true, false, false, NULL};
    json_t *r = (json_t *)1;
    /* The file does not exist: the rule is checked before anything is read. */
    assert_int_equal(app_import(st, &sc, "/nonexistent/x.csv", &o, &r, &err), AG_ERR_DENIED);
    assert_null(r);
    assert_string_equal(err.where, "replace");
    assert_non_null(strstr(err.zh, "本单位的内审人员或审计局"));
    assert_non_null(strstr(err.en, "audit bureau may replace"));
    assert_null(strstr(err.zh, "--"));
    assert_null(strstr(err.en, "--"));
    /* Without replace the same account gets to the import itself (here: no such file). */
    o.replace = false;
    assert_int_equal(app_import(st, &sc, "/nonexistent/x.csv", &o, &r, &err), AG_ERR_IO);
    /* The command line (no account) may replace. */
    o.replace = true;
    assert_int_equal(app_import(st, NULL, "/nonexistent/x.csv", &o, &r, &err), AG_ERR_IO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_unit_itself_and_the_bureau_may_replace),
        cmocka_unit_test(others_may_not),
        cmocka_unit_test(a_refused_replace_names_the_rule_and_no_option),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
