/* test_dashboard.c - the dashboard's figures on a small grid (cells, a unit without one, an item
 * from an older catalog, imports at the edges of a month), and the inbox's date, cell and sort
 * filters of warnings_list. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/catalog.h"
#include "domain/dashboard.h"
#include "domain/grid.h"
#include "domain/warnings.h"
#include "util/uscc.h"
#include "../testutil.h"

static char A[19], B[19], C[19], D[19];

static void code_for(int n, char out[19])
{
    snprintf(out, 19, "12120104MB%07d", n);
    out[17] = uscc_check_char(out);
    out[18] = '\0';
}

/* 2026-03-15T00:00:00Z */
#define MID_MARCH ((int64_t)20527 * 86400)

static void warn(json_t *arr, const char *fp, const char *unit, const char *item,
                 const char *severity, const char *date, const char *amount)
{
    json_array_append_new(arr,
                          json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:s,s:s,s:{}}", "fingerprint",
                                    fp, "unit", unit, "item", item, "rule", "test_rule", "severity",
                                    severity, "date", date, "voucher", "记-1", "line", 1, "amount",
                                    amount, "message", "测试预警", "evidence"));
}

static void import_at(ag_store *st, const char *unit, const char *ts)
{
    char sql[1024];
    ag_error err;
    snprintf(sql, sizeof sql,
             "INSERT INTO ledger_source (unit_code, path, format, encoding, sha256, bytes, status,"
             " years, vouchers, lines, debit_total, credit_total, findings, report, imported_at,"
             " imported_by) VALUES ('%s', 'x.csv', 'csv', 'utf-8', '%s', 1, 'active', '[2025]',"
             " 1, 2, 100, 100, 0, '{}', '%s', 'test')",
             unit, ts, ts);
    must(store_exec(st, sql, &err), &err);
}

/* Cells D01 (units A pilot, B) and S01 (unit D), unit C without a cell;
 * the default catalog; six warnings, one of item X99 that no catalog has;
 * imports around March 2026 in UTC+8. */
static int setup(void **state)
{
    char path[1024];
    ag_test_path(path, sizeof path, "dashboard.db");
    ag_store *st = NULL;
    ag_error err;
    must(store_open(path, AG_STORE_CREATE, &st, &err), &err);
    must(grid_district_init(st, "120104", "天津市南开区", &err), &err);
    must(catalog_install_default(st, NULL, &err), &err);
    grid_cell_in cells[] = {{"S01", "street", "长虹街道", 0, 2}, {"D01", "dept", "区教育局", 0, 1}};
    for (int i = 0; i < 2; i++)
        must(grid_cell_add(st, &cells[i], &err), &err);
    code_for(1, A);
    code_for(2, B);
    code_for(3, C);
    code_for(4, D);
    grid_unit_in units[] = {{A, "第一中学", "学校", "D01", NULL, true, NULL},
                            {B, "第二中学", "学校", "D01", NULL, false, NULL},
                            {C, "无网格单位", "事业", NULL, NULL, false, NULL},
                            {D, "长虹街道办事处", "街道", "S01", NULL, true, NULL}};
    for (int i = 0; i < 4; i++)
        must(grid_unit_add(st, &units[i], &err), &err);
    json_t *w = json_array();
    warn(w, "w1", A, "F03", "high", "2024-03-01", "500.00");
    warn(w, "w2", A, "F03", "low", "2024-03-31", "90000.00");
    warn(w, "w3", B, "K2", "medium", "2024-04-01", "1200.50");
    warn(w, "w4", C, "F03", "high", "2024-02-29", "7.00");
    warn(w, "w5", D, "X99", "medium", "2025-01-01", "300.00");
    warn(w, "w6", D, "K2", "low", "2024-03-15", "300.00");
    warnings_run run = {NULL, 0, "test", 0, 0};
    must(warnings_record(st, &run, w, NULL, NULL, &err), &err);
    json_decref(w);
    /* w6 is dismissed: it counts in "total", not in "open". */
    must(store_exec(st, "UPDATE warning SET status = 'dismissed' WHERE fingerprint = 'w6'", &err),
         &err);
    import_at(st, A, "2026-02-28T15:59:59Z"); /* 28 Feb 23:59:59 in UTC+8 */
    import_at(st, A, "2026-02-28T16:00:00Z"); /* 1 Mar 00:00 */
    import_at(st, B, "2026-03-15T08:00:00Z");
    import_at(st, C, "2026-03-31T15:59:59Z"); /* 31 Mar 23:59:59 */
    import_at(st, D, "2026-03-31T16:00:00Z"); /* 1 Apr 00:00 */
    *state = st;
    return 0;
}

static int teardown(void **state)
{
    store_close(*state);
    return 0;
}

static int64_t num(const json_t *o, const char *path)
{
    char key[64];
    snprintf(key, sizeof key, "%s", path);
    char *dot = strchr(key, '.');
    if (dot) {
        *dot = '\0';
        o = json_object_get(o, key);
        return json_integer_value(json_object_get(o, dot + 1));
    }
    return json_integer_value(json_object_get(o, key));
}

/* The element of arr whose `key` is `val` (NULL matches JSON null). */
static json_t *find(json_t *arr, const char *key, const char *val)
{
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *e = json_array_get(arr, i);
        const char *v = json_string_value(json_object_get(e, key));
        if ((!val && !v) || (val && v && !strcmp(v, val)))
            return e;
    }
    return NULL;
}

static void test_whole_district(void **state)
{
    ag_error err;
    json_t *d = NULL;
    must(dashboard_get(*state, NULL, MID_MARCH, &d, &err), &err);
    assert_string_equal(json_string_value(json_object_get(d, "month")), "2026-03");
    assert_int_equal(num(d, "units"), 4);
    assert_int_equal(num(d, "pilot_units"), 2);
    assert_int_equal(num(d, "open_warnings.total"), 5);
    assert_int_equal(num(d, "open_warnings.high"), 2);
    assert_int_equal(num(d, "open_warnings.medium"), 2);
    assert_int_equal(num(d, "open_warnings.low"), 1);
    assert_int_equal(num(d, "imports_this_month"), 3);
    /* Every catalog item in catalog order, then the unknown one. */
    json_t *items = json_object_get(d, "by_item");
    assert_int_equal(json_array_size(items), 21);
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "item")),
                        "F01");
    json_t *x99 = json_array_get(items, 20);
    assert_string_equal(json_string_value(json_object_get(x99, "item")), "X99");
    assert_true(json_is_null(json_object_get(x99, "name_zh")));
    assert_int_equal(num(x99, "open"), 1);
    assert_int_equal(num(find(items, "item", "F03"), "open"), 3);
    assert_int_equal(num(find(items, "item", "K2"), "open"), 1);
    assert_int_equal(num(find(items, "item", "K2"), "total"), 2);
    assert_int_equal(num(find(items, "item", "F01"), "total"), 0);
    /* Cells in grid order (D01 before S01 by sort_order), then the units without one. */
    json_t *cells = json_object_get(d, "by_cell");
    assert_int_equal(json_array_size(cells), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(cells, 0), "cell_id")),
                        "D01");
    assert_string_equal(json_string_value(json_object_get(json_array_get(cells, 1), "cell_id")),
                        "S01");
    assert_true(json_is_null(json_object_get(json_array_get(cells, 2), "cell_id")));
    assert_int_equal(num(json_array_get(cells, 0), "units"), 2);
    assert_int_equal(num(json_array_get(cells, 0), "open"), 3);
    assert_int_equal(num(json_array_get(cells, 1), "open"), 1);
    assert_int_equal(num(json_array_get(cells, 1), "total"), 2);
    assert_int_equal(num(json_array_get(cells, 2), "open"), 1);
    json_t *units = json_object_get(d, "by_unit");
    assert_int_equal(json_array_size(units), 4);
    json_t *a = find(units, "code", A);
    assert_int_equal(num(a, "open"), 2);
    assert_int_equal(num(a, "high"), 1);
    assert_int_equal(num(a, "low"), 1);
    assert_int_equal(num(find(units, "code", D), "open"), 1);
    /* No audit yet: the rectification figures are there, all zero. */
    json_t *r = json_object_get(d, "rectification");
    assert_int_equal(num(r, "not_closed"), 0);
    assert_int_equal(num(r, "overdue"), 0);
    assert_int_equal(json_array_size(json_object_get(r, "by_unit")), 0);
    json_decref(d);
}

static void test_scoped(void **state)
{
    ag_error err;
    ag_scope sup;
    must(scope_init(&sup, "supervisor", NULL, "D01", 0, &err), &err);
    json_t *d = NULL;
    must(dashboard_get(*state, &sup, MID_MARCH, &d, &err), &err);
    assert_int_equal(num(d, "units"), 2);
    assert_int_equal(num(d, "pilot_units"), 1);
    assert_int_equal(num(d, "open_warnings.total"), 3);
    assert_int_equal(num(d, "imports_this_month"), 2);
    assert_int_equal(json_array_size(json_object_get(d, "by_cell")), 1);
    assert_int_equal(json_array_size(json_object_get(d, "by_unit")), 2);
    assert_int_equal(json_array_size(json_object_get(d, "by_item")), 20); /* no X99 in D01 */
    json_decref(d);
    ag_scope aud;
    must(scope_init(&aud, "auditor", C, NULL, 0, &err), &err);
    must(dashboard_get(*state, &aud, MID_MARCH, &d, &err), &err);
    assert_int_equal(num(d, "units"), 1);
    assert_int_equal(num(d, "open_warnings.high"), 1);
    json_t *cells = json_object_get(d, "by_cell");
    assert_int_equal(json_array_size(cells), 1);
    assert_true(json_is_null(json_object_get(json_array_get(cells, 0), "cell_id")));
    json_decref(d);
}

static void test_months(void **state)
{
    ag_error err;
    json_t *d = NULL;
    /* 31 Mar 16:00 UTC is 1 Apr in the district. */
    must(dashboard_get(*state, NULL, MID_MARCH + 16 * 86400 + 16 * 3600, &d, &err), &err);
    assert_string_equal(json_string_value(json_object_get(d, "month")), "2026-04");
    assert_int_equal(num(d, "imports_this_month"), 1);
    json_decref(d);
    /* 28 Feb 15:59:59 UTC is still February there. */
    must(dashboard_get(*state, NULL, MID_MARCH - 14 * 86400 - 8 * 3600 - 1, &d, &err), &err);
    assert_string_equal(json_string_value(json_object_get(d, "month")), "2026-02");
    assert_int_equal(num(d, "imports_this_month"), 1);
    json_decref(d);
    /* The turn of the year: 31 Dec 2026 16:00 UTC is January 2027. */
    must(dashboard_get(*state, NULL, (int64_t)20818 * 86400 + 16 * 3600, &d, &err), &err);
    assert_string_equal(json_string_value(json_object_get(d, "month")), "2027-01");
    assert_int_equal(num(d, "imports_this_month"), 0);
    json_decref(d);
}

/* A project at unit with one finding per state (name:deadline), each with
 * its rectification item. */
static void audit_with(ag_store *st, int64_t project, const char *unit, const char *const *states,
                       const char *const *deadlines, int n)
{
    char sql[1024];
    ag_error err;
    snprintf(sql, sizeof sql,
             "INSERT INTO audit_project (id, code, name, kind, unit_code, period_from, period_to,"
             " items, catalog_version, stage, stage_at, created_by, created_at) VALUES (%lld,"
             " 'SJ-T-%lld', '测试项目', 'cross', '%s', '2025-01-01', '2025-12-31', '[\"F03\"]', 1,"
             " 'rectify', '2026-01-01T00:00:00Z', 'test', '2026-01-01T00:00:00Z')",
             (long long)project, (long long)project, unit);
    must(store_exec(st, sql, &err), &err);
    for (int i = 0; i < n; i++) {
        long long fid = (long long)project * 100 + i;
        snprintf(
            sql, sizeof sql,
            "INSERT INTO finding (id, project_id, seq, unit_code, item, catalog_version, title,"
            " description, basis, severity, created_by, created_at) VALUES (%lld, %lld, %d,"
            " '%s', 'F03', 1, '问题', '描述', '依据', 'high', 'test', '2026-01-01T00:00:00Z')",
            fid, (long long)project, i + 1, unit);
        must(store_exec(st, sql, &err), &err);
        snprintf(sql, sizeof sql,
                 "INSERT INTO rectification (finding_id, project_id, unit_code, class, deadline,"
                 " state, created_at) VALUES (%lld, %lld, '%s', 'phased', '%s', '%s',"
                 " '2026-01-01T00:00:00Z')",
                 fid, (long long)project, unit, deadlines[i], states[i]);
        must(store_exec(st, sql, &err), &err);
    }
}

/* The rectification slot: rectify_summary's counts over the same scope,
 * overdue as of today (AUDITGRID_NOW), per unit as an array by code. */
static void test_rectification(void **state)
{
    ag_store *st = *state;
    ag_error err;
    /* B (D01): one of each state; open and in_progress past the deadline,
     * claimed and continuous past it too (they are not overdue). A (D01):
     * one open in time. D (S01): an overdue one and a closed one. */
    const char *sb[] = {"open", "in_progress", "in_progress", "claimed", "continuous", "closed"};
    const char *db[] = {"2026-03-01", "2026-03-14", "2026-03-15",
                        "2026-01-01", "2026-01-01", "2026-01-01"};
    audit_with(st, 1, B, sb, db, 6);
    const char *sa[] = {"open"};
    const char *da[] = {"2026-04-01"};
    audit_with(st, 2, A, sa, da, 1);
    const char *sd[] = {"open", "closed"};
    const char *dd[] = {"2026-02-01", "2026-02-01"};
    audit_with(st, 3, D, sd, dd, 2);
    assert_int_equal(setenv("AUDITGRID_NOW", "2026-03-15T01:00:00Z", 1), 0);

    json_t *d = NULL;
    must(dashboard_get(st, NULL, MID_MARCH, &d, &err), &err);
    json_t *r = json_object_get(d, "rectification");
    assert_int_equal(num(r, "open"), 5);    /* B 3, A 1, D 1 */
    assert_int_equal(num(r, "overdue"), 3); /* B's 03-01 and 03-14 (not 03-15: today), D's */
    assert_int_equal(num(r, "claimed"), 1);
    assert_int_equal(num(r, "continuous"), 1);
    assert_int_equal(num(r, "closed"), 2);
    assert_int_equal(num(r, "not_closed"), 7);
    json_t *units = json_object_get(r, "by_unit");
    assert_int_equal(json_array_size(units), 3);
    /* By code: A < B < D. */
    const char *want[] = {A, B, D};
    const int64_t open[] = {1, 3, 1}, late[] = {0, 2, 1};
    for (size_t i = 0; i < 3; i++) {
        json_t *u = json_array_get(units, i);
        assert_string_equal(json_string_value(json_object_get(u, "code")), want[i]);
        assert_int_equal(num(u, "open"), open[i]);
        assert_int_equal(num(u, "overdue"), late[i]);
    }
    json_decref(d);

    /* The supervisor of D01 sees A and B only. */
    ag_scope sup;
    must(scope_init(&sup, "supervisor", NULL, "D01", 0, &err), &err);
    must(dashboard_get(st, &sup, MID_MARCH, &d, &err), &err);
    r = json_object_get(d, "rectification");
    assert_int_equal(num(r, "open"), 4);
    assert_int_equal(num(r, "overdue"), 2);
    assert_int_equal(num(r, "closed"), 1);
    assert_int_equal(num(r, "not_closed"), 6);
    assert_int_equal(json_array_size(json_object_get(r, "by_unit")), 2);
    json_decref(d);

    /* C has no item: zeros and an empty by_unit. */
    ag_scope aud;
    must(scope_init(&aud, "auditor", C, NULL, 0, &err), &err);
    must(dashboard_get(st, &aud, MID_MARCH, &d, &err), &err);
    r = json_object_get(d, "rectification");
    assert_int_equal(num(r, "not_closed"), 0);
    assert_int_equal(num(r, "closed"), 0);
    assert_int_equal(json_array_size(json_object_get(r, "by_unit")), 0);
    json_decref(d);

    /* A day later the deadline of today has passed too. */
    assert_int_equal(setenv("AUDITGRID_NOW", "2026-03-16", 1), 0);
    must(dashboard_get(st, &sup, MID_MARCH, &d, &err), &err);
    assert_int_equal(num(json_object_get(d, "rectification"), "overdue"), 3);
    json_decref(d);
    unsetenv("AUDITGRID_NOW");
}

/* The fingerprints of a list, in order, as "w1 w2 ...". */
static void listed(ag_store *st, const warnings_filter *f, char *out, size_t n, int64_t *total)
{
    json_t *l = NULL;
    ag_error err;
    must(warnings_list(st, f, &l, &err), &err);
    out[0] = '\0';
    json_t *items = json_object_get(l, "items");
    for (size_t i = 0; i < json_array_size(items); i++) {
        int64_t id = json_integer_value(json_object_get(json_array_get(items, i), "id"));
        size_t len = strlen(out);
        snprintf(out + len, n - len, "%sw%lld", i ? " " : "", (long long)id);
    }
    *total = json_integer_value(json_object_get(l, "total"));
    json_decref(l);
}

static void test_warning_filters(void **state)
{
    ag_store *st = *state;
    char got[256];
    int64_t total;
    /* warnings_record gave ids 1..6 in the order w1..w6. */
    warnings_filter f = {.cell_id = "D01"};
    listed(st, &f, got, sizeof got, &total);
    assert_string_equal(got, "w1 w2 w3"); /* by unit (A < B), date, id */
    f = (warnings_filter){.date_from = "2024-03-01", .date_to = "2024-03-31"};
    listed(st, &f, got, sizeof got, &total);
    assert_int_equal(total, 3); /* w1, w2 and w6: both ends count */
    f = (warnings_filter){.date_to = "2024-02-29"};
    listed(st, &f, got, sizeof got, &total);
    assert_string_equal(got, "w4");
    f = (warnings_filter){.sort = "-amount"};
    listed(st, &f, got, sizeof got, &total);
    assert_int_equal(total, 6);
    /* 90000 > 1200.50 > 500 > 300 = 300 (ties by unit: both D's, then date) > 7 */
    assert_string_equal(got, "w2 w3 w1 w6 w5 w4");
    f = (warnings_filter){.sort = "amount", .limit = 2, .offset = 1};
    listed(st, &f, got, sizeof got, &total);
    assert_string_equal(got, "w6 w5");
    f = (warnings_filter){.sort = "-severity", .status = "open"};
    listed(st, &f, got, sizeof got, &total);
    assert_int_equal(total, 5);
    assert_string_equal(got, "w1 w4 w3 w5 w2"); /* high, medium, low; each by unit */
    f = (warnings_filter){.sort = "-date", .cell_id = "S01"};
    listed(st, &f, got, sizeof got, &total);
    assert_string_equal(got, "w5 w6");
}

static void test_filter_check(void **state)
{
    (void)state;
    ag_error err;
    struct {
        warnings_filter f;
        const char *where;
    } bad[] = {
        {{.date_from = "2024-02-30"}, "from"},
        {{.date_from = "20240201"}, "from"},
        {{.date_to = "2024/02/01"}, "to"},
        {{.date_to = ""}, "to"},
        {{.date_from = "2024-05-02", .date_to = "2024-05-01"}, "from"},
        {{.sort = "date_desc"}, "sort"},
        {{.sort = "-"}, "sort"},
        {{.sort = ""}, "sort"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(warnings_filter_check(&bad[i].f, &err), AG_ERR_USAGE);
        assert_string_equal(err.where, bad[i].where);
        assert_true(err.zh[0] && err.en[0]);
    }
    warnings_filter ok = {.date_from = "2024-02-29", .date_to = "2024-02-29", .sort = "-unit"};
    assert_int_equal(warnings_filter_check(&ok, &err), AG_OK);
    json_t *l = NULL;
    assert_int_equal(warnings_list(*state, &bad[0].f, &l, &err), AG_ERR_USAGE);
    assert_null(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole_district), cmocka_unit_test(test_scoped),
        cmocka_unit_test(test_months),         cmocka_unit_test(test_warning_filters),
        cmocka_unit_test(test_filter_check),   cmocka_unit_test(test_rectification),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
