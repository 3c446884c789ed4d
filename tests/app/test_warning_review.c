/* test_warning_review.c (app) - a warning becomes a rectification item of the unit's standing
 * ledger or a finding of a project, each in one transaction, on a real database file. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/warning_review.h"
#include "domain/catalog.h"
#include "domain/grid.h"
#include "domain/scope.h"
#include "util/uscc.h"
#include "../testutil.h"

typedef struct fx {
    ag_store *st;
    char unit[19];
    ag_scope admin, auditor;
} fx;

static int64_t count(ag_store *st, const char *sql)
{
    int64_t n = -1;
    ag_error err;
    must(store_query_int(st, &n, &err, sql, NULL), &err);
    return n;
}

/* Every table a review writes, summed: unchanged after a refusal. */
static int64_t written(ag_store *st)
{
    return count(st, "SELECT (SELECT COUNT(*) FROM audit_project) + (SELECT COUNT(*) FROM finding)"
                     " + (SELECT COUNT(*) FROM rectification) + (SELECT COUNT(*) FROM audit_log)"
                     " + (SELECT COUNT(*) FROM warning WHERE status <> 'open')");
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->st = ag_test_fresh_db("app-warning-review.db");
    ag_error err;
    must(grid_district_init(f->st, "120104", "天津市南开区", &err), &err);
    must(catalog_install_default(f->st, NULL, &err), &err);
    grid_cell_in cell = {"D01", "dept", "区教育局", 0, 1};
    must(grid_cell_add(f->st, &cell, &err), &err);
    snprintf(f->unit, sizeof f->unit, "12120104MB%07d", 1);
    f->unit[17] = uscc_check_char(f->unit);
    grid_unit_in u = {f->unit, "天津市南开区第一中学", "学校", "D01", NULL, true, NULL};
    must(grid_unit_add(f->st, &u, &err), &err);
    char sql[2048];
    snprintf(sql, sizeof sql,
             "INSERT INTO scan_run (id, started_at, actor, catalog_version, rows, warnings,"
             " new_warnings, seconds) VALUES (1, 'x', 'test', '1', 2, 2, 2, '0.1');"
             "INSERT INTO warning (id, fingerprint, unit_code, item, rule, severity, warn_date,"
             " voucher, amount, message, evidence, catalog_version, first_scan, last_scan) VALUES"
             " (21, 'fa', '%s', 'F03', 'dup_payment', 'high', '2026-03-12', '记-15', 9500000,"
             " '疑似重复支付', '{}', '1', 1, 1),"
             " (22, 'fb', '%s', 'F02', 'cash_over_limit', 'medium', '2026-03-12', '记-7',"
             " 800000, '库存现金超限额', '{}', '1', 1, 1);",
             f->unit, f->unit);
    must(store_exec(f->st, sql, &err), &err);
    must(scope_init(&f->admin, "admin", NULL, NULL, 0, &err), &err);
    must(scope_init(&f->auditor, "auditor", f->unit, NULL, 0, &err), &err);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    store_close(f->st);
    free(f);
    return 0;
}

static void a_warning_becomes_an_item_of_the_units_standing_ledger(void **state)
{
    fx *f = *state;
    audit_actor admin = {f->admin, "user:admin"};
    ag_error err;
    int64_t rect = 0;
    json_t *w = NULL;
    int64_t log_before = count(f->st, "SELECT COUNT(*) FROM audit_log");
    must(app_warning_to_rectification(f->st, &admin, 21, NULL, &rect, &w, &err), &err);
    assert_false(store_in_tx(f->st));
    assert_true(rect > 0);
    /* The warning is acknowledged and names its finding. */
    assert_string_equal(json_string_value(json_object_get(w, "state")), "acknowledged");
    assert_true(json_is_object(json_object_get(w, "finding")));
    json_decref(w);

    char sql[400];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM rectification r JOIN finding f ON f.id = r.finding_id"
             " JOIN audit_project p ON p.id = r.project_id WHERE r.id = %lld AND"
             " r.class = 'immediate' AND r.state = 'open' AND r.unit_code = '%s' AND"
             " f.item = 'F03' AND f.amount = 9500000 AND f.title LIKE '预警 #21 %%记-15' AND"
             " p.standing = 'warning' AND p.unit_code = '%s'",
             (long long)rect, f->unit, f->unit);
    assert_int_equal(count(f->st, sql), 1);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM warning WHERE id = 21 AND"
                                  " status = 'acknowledged' AND finding_id IS NOT NULL"),
                     1);
    /* Every write left its entry in the audit log. */
    assert_true(count(f->st, "SELECT COUNT(*) FROM audit_log") > log_before + 2);

    /* The second warning of the unit joins the same standing ledger, in its own class. */
    int64_t rect2 = 0;
    must(app_warning_to_rectification(f->st, &admin, 22, "phased", &rect2, NULL, &err), &err);
    assert_true(rect2 > rect);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM audit_project WHERE standing = 'warning'"),
                     1);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM rectification WHERE id = %lld AND"
             " class = 'phased'",
             (long long)rect2);
    assert_int_equal(count(f->st, sql), 1);

    /* Not twice: the warning is already evidence of a finding; nothing is written. */
    int64_t before = written(f->st);
    int64_t again = 7;
    assert_int_equal(app_warning_to_rectification(f->st, &admin, 21, NULL, &again, NULL, &err),
                     AG_ERR_EXISTS);
    assert_int_equal(again, 0);
    assert_string_equal(err.where, "action");
    assert_non_null(strstr(err.zh, "预警 #21"));
    assert_int_equal(written(f->st), before);
    assert_false(store_in_tx(f->st));
}

static void only_the_admin_may_and_a_refusal_writes_nothing(void **state)
{
    fx *f = *state;
    audit_actor auditor = {f->auditor, "user:auditor"};
    ag_error err;
    int64_t before = written(f->st);
    json_t *w = json_object();
    json_t *keep = w;
    assert_int_equal(app_warning_to_rectification(f->st, &auditor, 21, NULL, NULL, &w, &err),
                     AG_ERR_DENIED);
    assert_null(w);
    json_decref(keep);
    assert_string_equal(err.where, "action");
    assert_non_null(strstr(err.zh, "管理员"));
    assert_non_null(strstr(err.en, "admin"));
    assert_int_equal(written(f->st), before);
    assert_false(store_in_tx(f->st));
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM warning WHERE id = 21 AND"
                                  " status = 'open'"),
                     1);
}

static void a_finding_needs_a_project_the_rules_allow(void **state)
{
    fx *f = *state;
    audit_actor admin = {f->admin, "user:admin"};
    ag_error err;
    int64_t fid = 9;
    assert_int_equal(app_warning_to_finding(f->st, &admin, 21, 0, &fid, NULL, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "project_id");
    assert_int_equal(fid, 0);

    /* A project still in 审前 takes no finding: the whole step is rolled back. */
    static const char *const items[] = {"F03"};
    audit_project_in in = {NULL,         "2026年度专项审计", "special", f->unit,
                           "2026-01-01", "2026-12-31",       items,     1};
    int64_t pid = 0;
    must(audit_project_create(f->st, &admin, &in, &pid, &err), &err);
    int64_t before = written(f->st);
    assert_int_not_equal(app_warning_to_finding(f->st, &admin, 21, pid, &fid, NULL, &err), AG_OK);
    assert_int_equal(fid, 0);
    assert_true(err.zh[0] && err.en[0]);
    assert_int_equal(written(f->st), before);
    assert_false(store_in_tx(f->st));

    /* An unknown warning is not found. */
    assert_int_equal(app_warning_to_rectification(f->st, &admin, 999, NULL, NULL, NULL, &err),
                     AG_ERR_NOTFOUND);
}

int main(void)
{
    setenv("AUDITGRID_NOW", "2026-12-07T06:33:00Z", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_warning_becomes_an_item_of_the_units_standing_ledger,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(only_the_admin_may_and_a_refusal_writes_nothing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_finding_needs_a_project_the_rules_allow, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
