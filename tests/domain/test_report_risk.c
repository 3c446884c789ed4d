/* test_report_risk.c - the risk ranking of the annual plan (issue 16): normalisation, weights,
 * scores and order computed by hand on a small SOE group; edited weights reorder it; an
 * all-zero factor; the areas basis of a unit without subordinates; the reasons name the
 * leading factors with their figures; the weights' settings and their validation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/catalog.h"
#include "domain/grid.h"
#include "domain/rating.h"
#include "domain/report_draft.h"
#include "util/uscc.h"
#include "../testutil.h"
#include "util/banned.h"

typedef struct world {
    ag_store *st;
    char g[19], s1[19], s2[19], lone[19];
} world;

static void code_for(int n, char out[19])
{
    snprintf(out, 19, "91120104MA%07d", n);
    out[17] = uscc_check_char(out);
    out[18] = '\0';
}

static void sql(world *w, const char *fmt, ...)
{
    char buf[4000];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    ag_error err;
    must(store_exec(w->st, buf, &err), &err);
}

static void warning(world *w, const char *unit, const char *item, const char *sev,
                    const char *status, int64_t fen, int n)
{
    sql(w,
        "INSERT INTO warning (fingerprint, unit_code, item, rule, severity, warn_date, amount,"
        " message, evidence, catalog_version, status, first_scan, last_scan) VALUES ('fp%d',"
        " '%s', '%s', 'r', '%s', '2026-03-01', %lld, '预警%d', '{}', '1', '%s', 1, 1);",
        n, unit, item, sev, (long long)fen, n, status);
}

/* A project of unit created at created (ISO) with one finding on item; rect_state NULL for no
 * rectification item. */
static void finding(world *w, int n, const char *unit, const char *item, const char *created,
                    const char *rect_state, const char *deadline, bool repeat)
{
    sql(w,
        "INSERT INTO audit_project (code, name, kind, unit_code, period_from, period_to, items,"
        " catalog_version, stage, stage_at, created_by, created_at) VALUES ('P%d', '专项审计%d',"
        " 'special', '%s', '2025-01-01', '2025-12-31', '[\"%s\"]', 1, 'rectify', '%s', 't', '%s');"
        "INSERT INTO finding (project_id, seq, unit_code, item, catalog_version, title,"
        " description, amount, basis, severity, created_by, created_at, repeat_of) VALUES"
        " ((SELECT MAX(id) FROM audit_project), 1, '%s', '%s', 1, '问题%d', '描述', 100, '依据',"
        " 'medium', 't', '%s', %s);",
        n, n, unit, item, created, created, unit, item, n, created,
        repeat ? "(SELECT MIN(id) FROM finding)" : "NULL");
    if (rect_state)
        sql(w,
            "INSERT INTO rectification (finding_id, project_id, unit_code, class, deadline, state,"
            " created_at) VALUES ((SELECT MAX(id) FROM finding), (SELECT MAX(id) FROM"
            " audit_project), '%s', 'immediate', '%s', '%s', '%s');",
            unit, deadline, rect_state, created);
}

static void funds(world *w, int n, const char *unit, int year, int64_t fen)
{
    sql(w,
        "INSERT INTO ledger_source (unit_code, path, format, encoding, sha256, bytes, status, "
        "years,"
        " vouchers, lines, debit_total, credit_total, findings, report, imported_at, imported_by)"
        " VALUES ('%s', 'x.csv', 'csv', 'utf-8', 'sha%d', 1, 'active', '%d', 1, 1, %lld, %lld, 0,"
        " '{}', '2026-01-01T00:00:00Z', 't');"
        "INSERT INTO ledger_book (unit_code, fiscal_year, chart_profile, created_at) VALUES ('%s',"
        " %d, 'gov', '2026-01-01T00:00:00Z');"
        "INSERT INTO ledger_line (book_id, source_id, src_line, period, voucher_date, voucher_type,"
        " voucher_no, line_no, summary, account_code, debit, credit) VALUES ((SELECT MAX(id) FROM"
        " ledger_book), (SELECT MAX(id) FROM ledger_source), 1, 1, '%d-03-01', '记', '1', 1,"
        " '支付', '5001', %lld, 0);",
        unit, n, year, (long long)fen, (long long)fen, unit, year, year, (long long)fen);
}

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    ag_error err;
    setenv("AUDITGRID_NOW", "2026-05-01T02:00:00Z", 1);
    w->st = ag_test_fresh_db("report_risk.db");
    must(grid_district_init(w->st, "120104", "天津市南开区", &err), &err);
    must(catalog_install_default(w->st, NULL, &err), &err);
    grid_cell_in s01 = {"S01", "soe", "区国资委", 0, 1};
    must(grid_cell_add(w->st, &s01, &err), &err);
    code_for(1, w->g);
    code_for(2, w->s1);
    code_for(3, w->s2);
    code_for(4, w->lone);
    grid_unit_in g = {w->g, "城投集团", "国企", "S01", NULL, true, NULL};
    grid_unit_in s1 = {w->s1, "城投建设公司", "国企", "S01", w->g, true, NULL};
    grid_unit_in s2 = {w->s2, "城投物业公司", "国企", "S01", w->g, true, NULL};
    grid_unit_in lone = {w->lone, "区水务公司", "国企", "S01", NULL, true, NULL};
    must(grid_unit_add(w->st, &g, &err), &err);
    must(grid_unit_add(w->st, &s1, &err), &err);
    must(grid_unit_add(w->st, &s2, &err), &err);
    must(grid_unit_add(w->st, &lone, &err), &err);
    sql(w, "INSERT INTO scan_run (started_at, actor, catalog_version, rows, warnings,"
           " new_warnings, seconds) VALUES ('2026-03-01T00:00:00Z', 't', '1', 0, 0, 0, '0');");
    /* S1: warnings high + low open (weighted 4), a dismissed one not counted; two open items,
     * one overdue (raw 3); a repeat offence; last audited 2025; funds 1,000,000.00; grade 3A. */
    warning(w, w->s1, "F01", "high", "open", 5000, 1);
    warning(w, w->s1, "F02", "low", "open", 0, 2);
    warning(w, w->s1, "F03", "medium", "dismissed", 0, 3);
    finding(w, 1, w->s1, "F01", "2025-03-01T02:00:00Z", "open", "2026-01-01", false);
    finding(w, 2, w->s1, "F02", "2025-04-01T02:00:00Z", "in_progress", "2026-12-31", true);
    funds(w, 1, w->s1, 2025, 100000000);
    must(rating_rubric_install_default(w->st, NULL, &err), &err);
    sql(w,
        "INSERT INTO rating_year (year, rubric_version, self_eval_due, published_at, created_at)"
        " VALUES (2025, 1, '2026-03-31', '2026-04-01T00:00:00Z', '2026-01-01T00:00:00Z');"
        "INSERT INTO rating_grade (year, unit_code, rubric_version, level, grade, result,"
        " frozen_at) VALUES (2025, '%s', 1, 3, '3A', '{}', '2026-04-01T00:00:00Z');",
        w->s1);
    /* S2: one medium warning (2); one open item not overdue (1); audited 2023; 500,000.00. */
    warning(w, w->s2, "F05", "medium", "open", 0, 4);
    finding(w, 3, w->s2, "F05", "2023-06-01T02:00:00Z", "open", "2026-12-31", false);
    funds(w, 2, w->s2, 2025, 50000000);
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    store_close(w->st);
    free(w);
    unsetenv("AUDITGRID_NOW");
    return 0;
}

static json_t *entry_of(json_t *rank, const char *code)
{
    json_t *es = json_object_get(rank, "entries");
    for (size_t i = 0; i < json_array_size(es); i++)
        if (!strcmp(json_string_value(json_object_get(json_array_get(es, i), "code")), code))
            return json_array_get(es, i);
    fail_msg("no entry %s", code);
    return NULL;
}

static double num(json_t *e, const char *factor, const char *what)
{
    json_t *v = json_object_get(json_object_get(json_object_get(e, "factors"), factor), what);
    return json_number_value(v);
}

static const char *code_at(json_t *rank, size_t i)
{
    return json_string_value(
        json_object_get(json_array_get(json_object_get(rank, "entries"), i), "code"));
}

static void near(double got, double want)
{
    if (fabs(got - want) > 0.005)
        fail_msg("got %.4f, want %.4f", got, want);
}

static void test_units_by_hand(void **state)
{
    world *w = *state;
    ag_error err;
    json_t *r = NULL;
    must(report_risk_rank(w->st, w->g, 2026, NULL, &r, &err), &err);
    assert_string_equal(json_string_value(json_object_get(r, "basis")), "units");
    assert_int_equal(json_array_size(json_object_get(r, "entries")), 3);
    json_t *g = entry_of(r, w->g), *s1 = entry_of(r, w->s1), *s2 = entry_of(r, w->s2);
    /* raw values */
    near(num(s1, "warnings", "raw"), 4);
    near(num(s2, "warnings", "raw"), 2);
    near(num(s1, "findings", "raw"), 3);
    near(num(s2, "findings", "raw"), 1);
    near(num(s1, "repeat", "raw"), 1);
    near(num(s1, "grade", "raw"), 3);
    near(num(s1, "years", "raw"), 1);
    near(num(s2, "years", "raw"), 3);
    near(num(g, "years", "raw"), 5);
    near(num(s1, "funds", "raw"), 1000000.0);
    /* normalisation: by the largest; grade (5 − level)/5; years min(y, 5)/5 */
    near(num(s2, "warnings", "norm"), 0.5);
    near(num(s2, "findings", "norm"), 0.3333);
    near(num(g, "warnings", "norm"), 0);
    near(num(s1, "grade", "norm"), 0.4);
    near(num(g, "grade", "norm"), 1);
    near(num(s1, "years", "norm"), 0.2);
    near(num(s2, "years", "norm"), 0.6);
    near(num(s2, "funds", "norm"), 0.5);
    /* points and scores (default weights 25/20/10/15/15/15) */
    near(num(s2, "warnings", "points"), 12.5);
    near(num(s2, "findings", "points"), 6.67);
    near(json_number_value(json_object_get(g, "score")), 30.0);
    near(json_number_value(json_object_get(s1, "score")), 79.0);
    near(json_number_value(json_object_get(s2, "score")), 50.67);
    assert_string_equal(code_at(r, 0), w->s1);
    assert_string_equal(code_at(r, 1), w->s2);
    assert_string_equal(code_at(r, 2), w->g);
    assert_int_equal(json_integer_value(json_object_get(s1, "rank")), 1);
    /* the reason names the leading factors with their figures */
    const char *why = json_string_value(json_object_get(s1, "reason_zh"));
    assert_non_null(strstr(why, "风险得分 79.00"));
    assert_non_null(strstr(why, "未处理预警 2 条"));
    assert_non_null(strstr(why, "未整改问题 2 个（其中逾期 1 个）"));
    assert_non_null(strstr(json_string_value(json_object_get(g, "reason_zh")), "从未审计"));
    assert_non_null(strstr(json_string_value(json_object_get(s1, "reason_en")), "open warnings"));
    json_decref(r);
}

static void test_weights_reorder(void **state)
{
    world *w = *state;
    ag_error err;
    json_t *r = NULL, *wt = json_pack("{s:i,s:i,s:i,s:i,s:i,s:i}", "warnings", 0, "findings", 0,
                                      "repeat", 0, "funds", 0, "grade", 50, "years", 50);
    must(report_risk_rank(w->st, w->g, 2026, wt, &r, &err), &err);
    near(json_number_value(json_object_get(entry_of(r, w->g), "score")), 100.0);
    near(json_number_value(json_object_get(entry_of(r, w->s1), "score")), 30.0);
    near(json_number_value(json_object_get(entry_of(r, w->s2), "score")), 80.0);
    assert_string_equal(code_at(r, 0), w->g);
    assert_string_equal(code_at(r, 1), w->s2);
    assert_string_equal(code_at(r, 2), w->s1);
    json_decref(r);
    /* stored: the same order comes back without passing weights; defaults still reported */
    must(report_risk_weights_set(w->st, wt, &err), &err);
    json_t *got = NULL;
    must(report_risk_weights_get(w->st, &got, &err), &err);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(got, "weights"), "grade")),
                     50);
    json_t *f0 = json_array_get(json_object_get(got, "factors"), 0);
    assert_string_equal(json_string_value(json_object_get(f0, "code")), "warnings");
    assert_int_equal(json_integer_value(json_object_get(f0, "weight")), 0);
    assert_int_equal(json_integer_value(json_object_get(f0, "default")), 25);
    json_decref(got);
    int64_t audited = 0;
    must(store_exec(w->st, "SELECT 1", &err), &err);
    ag_stmt *s = NULL;
    bool row = false;
    must(store_prepare(w->st,
                       "SELECT COUNT(*) FROM audit_log WHERE tbl = 'setting' AND row_key"
                       " LIKE '%report_risk_%'",
                       &s, &err),
         &err);
    must(store_step(s, &row, &err), &err);
    audited = store_col_int(s, 0);
    store_finalize(s);
    assert_int_equal(audited, 6);
    must(report_risk_rank(w->st, w->g, 2026, NULL, &r, &err), &err);
    assert_string_equal(code_at(r, 0), w->g);
    json_decref(r);
    json_decref(wt);
}

static void test_weights_invalid(void **state)
{
    world *w = *state;
    ag_error err;
    json_t *bad = json_pack("{s:i}", "grade", 101);
    assert_int_equal(report_risk_weights_set(w->st, bad, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "weights.grade");
    json_decref(bad);
    bad = json_pack("{s:i}", "luck", 5);
    assert_int_equal(report_risk_weights_set(w->st, bad, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "weights.luck");
    json_t *r = NULL;
    assert_int_equal(report_risk_rank(w->st, w->g, 2026, bad, &r, &err), AG_ERR_INPUT);
    assert_null(r);
    json_decref(bad);
    bad = json_pack("{s:s}", "years", "10");
    assert_int_equal(report_risk_weights_set(w->st, bad, &err), AG_ERR_INPUT);
    json_decref(bad);
    assert_int_equal(report_risk_rank(w->st, "nope", 2026, NULL, &r, &err), AG_ERR_NOTFOUND);
}

static void test_all_zero_factor(void **state)
{
    world *w = *state;
    ag_error err;
    json_t *r = NULL;
    /* nobody has a repeat offence once the repeat link is gone: every norm 0, not NaN */
    sql(w, "UPDATE finding SET repeat_of = NULL;");
    must(report_risk_rank(w->st, w->g, 2026, NULL, &r, &err), &err);
    json_t *es = json_object_get(r, "entries");
    for (size_t i = 0; i < json_array_size(es); i++) {
        json_t *e = json_array_get(es, i);
        near(num(e, "repeat", "norm"), 0);
        near(num(e, "repeat", "points"), 0);
    }
    /* S1 loses its 10 repeat points: 69.00 */
    near(json_number_value(json_object_get(entry_of(r, w->s1), "score")), 69.0);
    json_decref(r);
}

static void test_areas_basis(void **state)
{
    world *w = *state;
    ag_error err;
    json_t *r = NULL;
    warning(w, w->lone, "F03", "high", "open", 1234567, 10);
    warning(w, w->lone, "F03", "high", "acknowledged", 100000, 11);
    warning(w, w->lone, "K2", "low", "open", 0, 12);
    finding(w, 20, w->lone, "F03", "2024-05-01T02:00:00Z", "open", "2026-01-31", false);
    must(report_risk_rank(w->st, w->lone, 2026, NULL, &r, &err), &err);
    assert_string_equal(json_string_value(json_object_get(r, "basis")), "areas");
    assert_int_equal(json_array_size(json_object_get(r, "entries")), 20);
    json_t *f3 = entry_of(r, "F03"), *k2 = entry_of(r, "K2"), *f1 = entry_of(r, "F01");
    assert_string_equal(json_string_value(json_object_get(f3, "name")), "资金支付审批");
    /* grade does not apply: norm and points null */
    assert_true(json_is_null(
        json_object_get(json_object_get(json_object_get(f3, "factors"), "grade"), "norm")));
    /* funds are the item's flagged amounts (not dismissed): 13,345.67 */
    near(num(f3, "funds", "raw"), 13345.67);
    near(num(f3, "warnings", "raw"), 3);
    near(num(f3, "findings", "raw"), 2);
    near(num(f3, "years", "raw"), 2);
    near(num(f1, "years", "raw"), 5);
    /* F03: warnings 25 + findings 20 + years 15×0.4 + funds 15 = 66 of 85 → 77.65 */
    near(json_number_value(json_object_get(f3, "score")), 77.65);
    /* K2: warnings 25/3 + years 15 = 23.33 of 85 → 27.45 */
    near(json_number_value(json_object_get(k2, "score")), 27.45);
    assert_string_equal(code_at(r, 0), "F03");
    assert_non_null(
        strstr(json_string_value(json_object_get(f3, "reason_zh")), "预警涉及金额 13,345.67 元"));
    json_decref(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_units_by_hand, setup, teardown),
        cmocka_unit_test_setup_teardown(test_weights_reorder, setup, teardown),
        cmocka_unit_test_setup_teardown(test_weights_invalid, setup, teardown),
        cmocka_unit_test_setup_teardown(test_all_zero_factor, setup, teardown),
        cmocka_unit_test_setup_teardown(test_areas_basis, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
