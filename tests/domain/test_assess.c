/* test_assess.c - the performance assessment (issue 15 §2) on a built world: each data item's
 * arithmetic, total = sum of items with the bonus capped and the penalty, competition ranks in the
 * district and the cell, the review chain in order with reasons and history, publication frozen,
 * the rubric's checks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/assess.h"
#include "domain/assess.h"
#include "domain/catalog.h"
#include "domain/grid.h"
#include "domain/scope.h"
#include "util/uscc.h"
#include "../testutil.h"
#include "util/banned.h"

typedef struct world {
    ag_store *st;
    char a[19], b[19], c[19], d[19]; /* A, B in cell D01; C, D in D02; all pilots */
    audit_actor admin, sup1, sup2, leader_a;
} world;

static void code_for(int n, char out[19])
{
    snprintf(out, 19, "12120104MB%07d", n);
    out[17] = uscc_check_char(out);
    out[18] = '\0';
}

static audit_actor actor(const char *role, const char *unit, const char *cell, const char *name)
{
    audit_actor a;
    ag_error err;
    memset(&a, 0, sizeof a);
    must(scope_init(&a.scope, role, unit, cell, 0, &err), &err);
    a.name = name;
    return a;
}

static void sql(world *w, const char *fmt, ...)
{
    char q[4000];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(q, sizeof q, fmt, ap);
    va_end(ap);
    ag_error err;
    must(store_exec(w->st, q, &err), &err);
}

/* The facts of 2025 for A (all kinds of data), less for B, none for C and D. */
static void facts(world *w)
{
    const char *A = w->a, *B = w->b;
    /* persons 1, 2 of A (internal auditors), 3 of B */
    sql(w,
        "INSERT INTO ia_body VALUES ('%s', 1, '审计科', 1, 't', '2025-01-01T00:00:00Z');"
        "INSERT INTO ia_group_member (unit_code, person_id, area) VALUES ('%s', 1, 'leader'),"
        " ('%s', 2, 'finance'), ('%s', 2, 'audit');"
        "INSERT INTO ia_body VALUES ('%s', 0, '财务科', NULL, 't', '2025-01-01T00:00:00Z');",
        A, A, A, A, B);
    /* filings: A's plan on time, its summary late, two quarterly reports (one late); B's plan
     * late and its summary returned */
    const char *S = "INSERT INTO submission (kind, unit_code, period, title, state, created_by,"
                    " created_at) VALUES ";
    sql(w,
        "%s('annual_plan', '%s', '2025', 'p', 'accepted', 't', '2025-01-20T02:00:00Z');"
        "%s('annual_summary', '%s', '2025', 's', 'filed', 't', '2026-02-10T02:00:00Z');"
        "%s('soe_quarterly', '%s', '2025Q1', 'q1', 'filed', 't', '2025-04-10T02:00:00Z');"
        "%s('soe_quarterly', '%s', '2025Q2', 'q2', 'filed', 't', '2025-07-20T02:00:00Z');"
        "%s('annual_plan', '%s', '2025', 'p', 'filed', 't', '2025-02-05T02:00:00Z');"
        "%s('annual_summary', '%s', '2025', 's', 'returned', 't', '2026-01-05T02:00:00Z');",
        S, A, S, A, S, A, S, A, S, B, S, B);
    /* projects of A: 1 with every record and findings, 2 with a plan only; 3 from 2024 and the
     * standing warning ledger do not count */
    const char *P = "INSERT INTO audit_project (id, code, name, kind, unit_code, period_from,"
                    " period_to, items, catalog_version, stage, stage_at, created_by, created_at,"
                    " standing) VALUES ";
    sql(w,
        "%s(1, 'P1', 'p1', 'self_check', '%s', '2024-01-01', '2024-12-31', '[]', 1, 'rectify',"
        " 't', 't', '2025-03-01T02:00:00Z', NULL);"
        "%s(2, 'P2', 'p2', 'self_check', '%s', '2024-01-01', '2024-12-31', '[]', 1, 'field',"
        " 't', 't', '2025-05-01T02:00:00Z', NULL);"
        "%s(3, 'P3', 'p3', 'self_check', '%s', '2023-01-01', '2023-12-31', '[]', 1, 'closed',"
        " 't', 't', '2024-05-01T02:00:00Z', NULL);"
        "%s(4, 'P4', 'p4', 'tracking', '%s', '2025-01-01', '2025-12-31', '[]', 1, 'rectify',"
        " 't', 't', '2025-02-01T02:00:00Z', 'warning');",
        P, A, P, A, P, A, P, A);
    const char *kinds[] = {"plan",     "plan_approval", "draft_report",
                           "response", "final_report",  "followup"};
    for (int i = 0; i < 6; i++)
        sql(w,
            "INSERT INTO audit_record (project_id, kind, title, created_by, created_at)"
            " VALUES (1, '%s', 't', 't', '2025-04-01T02:00:00Z')",
            kinds[i]);
    sql(w, "INSERT INTO audit_record (project_id, kind, title, created_by, created_at)"
           " VALUES (2, 'plan', 't', 't', '2025-05-02T02:00:00Z')");
    /* four findings of project 1, the fourth a repeat of the first; their rectification items:
     * closed on time, closed late, open and overdue, not yet due */
    for (int i = 1; i <= 4; i++)
        sql(w,
            "INSERT INTO finding (id, project_id, seq, unit_code, item, catalog_version, title,"
            " description, basis, severity, repeat_of, created_by, created_at) VALUES"
            " (%d, 1, %d, '%s', 'F01', 1, 't', 'd', 'b', 'medium', %s, 't',"
            " '2025-03-10T02:00:00Z')",
            i, i, A, i == 4 ? "1" : "NULL");
    const char *R = "INSERT INTO rectification (finding_id, project_id, unit_code, class, deadline,"
                    " state, closed_at, created_at) VALUES ";
    sql(w,
        "%s(1, 1, '%s', 'immediate', '2025-06-30', 'closed', '2025-06-20T02:00:00Z', 't');"
        "%s(2, 1, '%s', 'phased', '2025-09-30', 'closed', '2025-10-15T02:00:00Z', 't');"
        "%s(3, 1, '%s', 'phased', '2025-11-30', 'open', NULL, 't');"
        "%s(4, 1, '%s', 'phased', '2026-03-31', 'open', NULL, 't');",
        R, A, R, A, R, A, R, A);
    /* the 2025 books: A on time, B late */
    const char *L = "INSERT INTO ledger_source (unit_code, path, format, encoding, sha256, bytes,"
                    " status, years, vouchers, lines, debit_total, credit_total, findings, report,"
                    " imported_at, imported_by) VALUES ";
    sql(w,
        "%s('%s', 'a', 'csv', 'utf-8', 'x', 1, 'active', '2025', 1, 1, 0, 0, 0, '{}',"
        " '2026-03-20T02:00:00Z', 't');"
        "%s('%s', 'b', 'csv', 'utf-8', 'y', 1, 'active', '2025', 1, 1, 0, 0, 0, '{}',"
        " '2026-04-10T02:00:00Z', 't');",
        L, A, L, B);
    /* warnings of A: raised Monday 2025-09-01 (triaged in time, late, never) and Friday 09-26,
     * triaged on 10-16: the 10th working day under the National Day arrangement (09-28 and
     * 10-11 worked, 10-01..08 off), though 14 Monday-to-Friday days later */
    sql(w, "INSERT INTO scan_run (id, started_at, actor, catalog_version, rows, warnings,"
           " new_warnings, seconds) VALUES (1, '2025-09-01T02:00:00Z', 't', '1', 0, 0, 0, '0'),"
           " (2, '2025-09-26T02:00:00Z', 't', '1', 0, 0, 0, '0'),"
           " (3, '2024-09-26T02:00:00Z', 't', '1', 0, 0, 0, '0')");
    const char *W = "INSERT INTO warning (fingerprint, unit_code, item, rule, severity, warn_date,"
                    " amount, message, evidence, catalog_version, status, status_at, first_scan,"
                    " last_scan) VALUES ";
    sql(w,
        "%s('w1', '%s', 'F01', 'r', 'high', 'd', 0, 'm', '{}', '1', 'acknowledged',"
        " '2025-09-12T02:00:00Z', 1, 1);"
        "%s('w2', '%s', 'F01', 'r', 'high', 'd', 0, 'm', '{}', '1', 'dismissed',"
        " '2025-09-20T02:00:00Z', 1, 1);"
        "%s('w3', '%s', 'F01', 'r', 'high', 'd', 0, 'm', '{}', '1', 'open', NULL, 1, 1);"
        "%s('w4', '%s', 'F01', 'r', 'high', 'd', 0, 'm', '{}', '1', 'escalated',"
        " '2025-10-16T02:00:00Z', 2, 2);"
        "%s('w5', '%s', 'F01', 'r', 'high', 'd', 0, 'm', '{}', '1', 'open', NULL, 3, 3);",
        W, A, W, A, W, A, W, A, W, A);
}

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    ag_error err;
    setenv("AUDITGRID_NOW", "2026-06-01T02:00:00Z", 1);
    w->st = ag_test_fresh_db("assess.db");
    must(grid_district_init(w->st, "120104", "天津市南开区", &err), &err);
    must(catalog_install_default(w->st, NULL, &err), &err);
    grid_cell_in d1 = {"D01", "dept", "区教育局", 0, 1}, d2 = {"D02", "dept", "区卫健委", 0, 2};
    must(grid_cell_add(w->st, &d1, &err), &err);
    must(grid_cell_add(w->st, &d2, &err), &err);
    char *codes[] = {w->a, w->b, w->c, w->d};
    const char *cells[] = {"D01", "D01", "D02", "D02"};
    for (int i = 0; i < 4; i++) {
        code_for(i + 1, codes[i]);
        char name[32];
        snprintf(name, sizeof name, "单位%c", 'A' + i);
        grid_unit_in u = {codes[i], name, "学校", cells[i], NULL, true, NULL};
        must(grid_unit_add(w->st, &u, &err), &err);
    }
    grid_person_in p1 = {"甲", w->a, NULL, NULL, NULL, "auditor"};
    grid_person_in p2 = {"乙", w->a, NULL, NULL, NULL, "auditor"};
    grid_person_in p3 = {"丙", w->b, NULL, NULL, NULL, "auditor"};
    must(grid_person_add(w->st, &p1, NULL, &err), &err);
    must(grid_person_add(w->st, &p2, NULL, &err), &err);
    must(grid_person_add(w->st, &p3, NULL, &err), &err);
    facts(w);
    w->admin = actor("admin", NULL, NULL, "user:admin");
    w->sup1 = actor("supervisor", NULL, "D01", "user:sup1");
    w->sup2 = actor("supervisor", NULL, "D02", "user:sup2");
    w->leader_a = actor("leader", w->a, NULL, "user:leader");
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

/* The compute object of unit in year (borrowed from *year, which the caller releases). */
static json_t *unit_in(world *w, int y, const char *unit, json_t **year)
{
    ag_error err;
    must(assess_year_json(w->st, NULL, y, NULL, year, &err), &err);
    json_t *items = json_object_get(*year, "items");
    for (size_t i = 0; i < json_array_size(items); i++)
        if (!strcmp(json_string_value(json_object_get(json_array_get(items, i), "unit")), unit))
            return json_array_get(items, i);
    fail_msg("unit %s not in the roster", unit);
    return NULL;
}

static double item(json_t *o, const char *ind)
{
    json_t *items = json_object_get(o, "items");
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *it = json_array_get(items, i);
        if (!strcmp(json_string_value(json_object_get(it, "indicator")), ind))
            return json_number_value(json_object_get(it, "score"));
    }
    fail_msg("no item %s", ind);
    return NAN;
}

static double total(json_t *o)
{
    return json_number_value(json_object_get(o, "total"));
}

static double items_sum(json_t *o)
{
    double s = 0;
    json_t *items = json_object_get(o, "items");
    for (size_t i = 0; i < json_array_size(items); i++)
        s += json_number_value(json_object_get(json_array_get(items, i), "score"));
    return s;
}

#define SCORE(o, ind, want) assert_float_equal(item(o, ind), want, 1e-9)

static void test_data_items(void **state)
{
    world *w = *state;
    json_t *y = NULL;
    json_t *a = unit_in(w, 2025, w->a, &y);
    SCORE(a, "A1.1", 6);   /* independent body */
    SCORE(a, "A1.2", 3.5); /* 3 of 5 places: 3.6, to the half point */
    SCORE(a, "A1.3", 4);
    SCORE(a, "A1.4", 4); /* two auditors */
    SCORE(a, "A2.1", 8); /* plan by 01-31 */
    SCORE(a, "A2.2", 6); /* 1 of 2 projects reported; 2024's and the standing ledger left out */
    /* A3 scores the four reports (report_quality); A has filed none: its plan was due on
     * 01-31, project 1's audit report 30 days after its first report-stage record and its
     * rectification report 60 days after the final report, all within the year, so 0; the
     * summary is due only in the next year and not filed: 0 as well (tests/domain/
     * test_report.c scores filed ones) */
    SCORE(a, "A3.1", 0);
    SCORE(a, "A3.2", 0);
    SCORE(a, "A3.3", 0);
    SCORE(a, "A3.4", 0);
    SCORE(a, "A4.1", 5.5); /* 2 of 3 due closed: 5.33 */
    SCORE(a, "A4.2", 2);   /* one closed late, one open: 2 × 1 */
    SCORE(a, "A4.3", 1.5); /* one repeat: 1.5 */
    SCORE(a, "A5.1", 5);   /* books by 03-31 of the next year */
    SCORE(a, "A5.2", 2.5); /* 2 of 4 in 10 working days (09-26 → 10-16 counts; 2024's not) */
    SCORE(a, "A5.3", 2.5); /* 1 of 2 quarterly reports within 15 days */
    assert_float_equal(total(a), items_sum(a), 1e-9);
    assert_float_equal(total(a), 50.5, 1e-9);
    json_decref(y);

    json_t *b = unit_in(w, 2025, w->b, &y);
    SCORE(b, "A1.1", 3); /* recorded, not independent */
    SCORE(b, "A1.2", 0);
    SCORE(b, "A1.3", 0);
    SCORE(b, "A1.4", 2); /* one auditor */
    SCORE(b, "A2.1", 4); /* plan late */
    SCORE(b, "A2.2", 0); /* no project */
    SCORE(b, "A3.2", 0); /* no project: no audit report, nothing */
    SCORE(b, "A3.3", 0);
    SCORE(b, "A3.4", 0);   /* the returned summary does not count */
    SCORE(b, "A5.1", 2.5); /* books late */
    json_decref(y);

    json_t *c = unit_in(w, 2025, w->c, &y);
    SCORE(c, "A1.1", 0);
    SCORE(c, "A4.1", 8); /* nothing due: full */
    SCORE(c, "A4.2", 4);
    SCORE(c, "A5.1", 0);
    SCORE(c, "A5.2", 5); /* no warnings: full */
    SCORE(c, "A5.3", 5); /* nothing to file: full */
    assert_float_equal(total(c), 8 + 4 + 3 + 5 + 5, 1e-9);
    json_decref(y);
}

static void through_bureau(world *w, const char *unit)
{
    ag_error err;
    must(assess_self_submit(w->st, &w->admin, unit, 2025, &err), &err);
    must(assess_review(w->st, &w->admin, unit, 2025, "dept", NULL, 0, NULL, &err), &err);
    must(assess_review(w->st, &w->admin, unit, 2025, "bureau", NULL, 0, NULL, &err), &err);
}

static void test_bonus_cap_and_penalty(void **state)
{
    world *w = *state;
    ag_error err;
    assess_item_in self[] = {{"B1", 3, "一等奖", NULL, 0}, {"B2", 3, "移送线索", NULL, 0}};
    must(assess_self_save(w->st, &w->admin, w->c, 2025, self, 2, &err), &err);
    json_t *y = NULL, *c = unit_in(w, 2025, w->c, &y);
    SCORE(c, "B1", 3);
    SCORE(c, "B2", 2); /* 3 + 3 capped at 5 */
    assert_float_equal(total(c), items_sum(c), 1e-9);
    assert_float_equal(total(c), 25 + 5, 1e-9);
    json_decref(y);
    must(assess_self_submit(w->st, &w->admin, w->c, 2025, &err), &err);
    must(assess_review(w->st, &w->sup2, w->c, 2025, "dept", NULL, 0, "属实", &err), &err);
    assess_item_in pen = {"P1", -5, "数据造假", NULL, 0};
    must(assess_review(w->st, &w->admin, w->c, 2025, "bureau", &pen, 1, NULL, &err), &err);
    c = unit_in(w, 2025, w->c, &y);
    SCORE(c, "P1", -5);
    assert_float_equal(total(c), 25, 1e-9);
    assert_float_equal(total(c), items_sum(c), 1e-9);
    json_decref(y);
}

static void test_ranks_and_ties(void **state)
{
    world *w = *state;
    json_t *y = NULL;
    ag_error err;
    must(assess_year_json(w->st, NULL, 2025, NULL, &y, &err), &err);
    json_t *items = json_object_get(y, "items");
    assert_int_equal(json_array_size(items), 4);
    /* A 50.5 > B > C = D (no data): 1, 2, 3, 3 in the district; C and D share 1 in D02 */
    const char *order[] = {w->a, w->b};
    for (int i = 0; i < 2; i++) {
        json_t *o = json_array_get(items, (size_t)i);
        assert_string_equal(json_string_value(json_object_get(o, "unit")), order[i]);
        assert_int_equal(json_integer_value(json_object_get(o, "rank_district")), i + 1);
        assert_int_equal(json_integer_value(json_object_get(o, "rank_cell")), i + 1);
    }
    for (size_t i = 2; i < 4; i++) {
        json_t *o = json_array_get(items, i);
        assert_int_equal(json_integer_value(json_object_get(o, "rank_district")), 3);
        assert_int_equal(json_integer_value(json_object_get(o, "rank_cell")), 1);
    }
    json_decref(y);
    /* lift D to B's total: A 1st, B and D share 2nd, C is 4th (not 3rd); in D02 D 1st, C 2nd */
    json_t *b = unit_in(w, 2025, w->b, &y);
    double target = total(b);
    json_decref(y);
    json_t *d = unit_in(w, 2025, w->d, &y);
    assess_item_in lift = {"A2.2", item(d, "A2.2") + target - total(d), "项目资料补报后核定", NULL,
                           0};
    json_decref(y);
    assert_true(lift.score > 0 && lift.score <= 12);
    must(assess_self_submit(w->st, &w->admin, w->d, 2025, &err), &err);
    must(assess_review(w->st, &w->sup2, w->d, 2025, "dept", &lift, 1, NULL, &err), &err);
    must(assess_year_json(w->st, NULL, 2025, NULL, &y, &err), &err);
    items = json_object_get(y, "items");
    const char *want_u[] = {w->a, w->b, w->d, w->c};
    const long long want_d[] = {1, 2, 2, 4}, want_c[] = {1, 2, 1, 2};
    for (size_t i = 0; i < 4; i++) {
        json_t *o = json_array_get(items, i);
        assert_string_equal(json_string_value(json_object_get(o, "unit")), want_u[i]);
        assert_int_equal(json_integer_value(json_object_get(o, "rank_district")), want_d[i]);
        assert_int_equal(json_integer_value(json_object_get(o, "rank_cell")), want_c[i]);
    }
    json_decref(y);
    /* the supervisor sees its cell, with the district's ranks */
    must(assess_year_json(w->st, &w->sup2.scope, 2025, NULL, &y, &err), &err);
    items = json_object_get(y, "items");
    assert_int_equal(json_array_size(items), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "rank_district")),
                     2);
    json_decref(y);
}

static void test_review_chain(void **state)
{
    world *w = *state;
    ag_error err;
    assess_item_in b1 = {"B1", 2, "二等奖", NULL, 0};
    /* the unit's leader enters its own unit only, entered indicators only */
    assert_int_equal(assess_self_save(w->st, &w->leader_a, w->c, 2025, &b1, 1, &err),
                     AG_ERR_NOTFOUND);
    assess_item_in data = {"A1.1", 6, "有", NULL, 0};
    assert_int_equal(assess_self_save(w->st, &w->leader_a, w->a, 2025, &data, 1, &err),
                     AG_ERR_INPUT);
    assert_string_equal(err.where, "items[0].indicator");
    assess_item_in nobasis = {"B1", 2, NULL, NULL, 0};
    assert_int_equal(assess_self_save(w->st, &w->leader_a, w->a, 2025, &nobasis, 1, &err),
                     AG_ERR_INPUT);
    assert_string_equal(err.where, "items[0].basis");
    assess_item_in third = {"B1", 2.25, "奖", NULL, 0};
    assert_int_equal(assess_self_save(w->st, &w->leader_a, w->a, 2025, &third, 1, &err),
                     AG_ERR_INPUT);
    assert_string_equal(err.where, "items[0].score");
    must(assess_self_save(w->st, &w->leader_a, w->a, 2025, &b1, 1, &err), &err);
    /* dept before the submission, bureau before dept: refused as out of order */
    assert_int_equal(assess_review(w->st, &w->sup1, w->a, 2025, "dept", NULL, 0, NULL, &err),
                     AG_ERR_INPUT);
    assert_string_equal(err.where, "stage");
    must(assess_self_submit(w->st, &w->leader_a, w->a, 2025, &err), &err);
    assert_int_equal(assess_review(w->st, &w->admin, w->a, 2025, "bureau", NULL, 0, NULL, &err),
                     AG_ERR_INPUT);
    /* a supervisor of another cell, a supervisor for the bureau's stage: refused */
    assert_int_not_equal(assess_review(w->st, &w->sup2, w->a, 2025, "dept", NULL, 0, NULL, &err),
                         AG_OK);
    assert_int_equal(assess_review(w->st, &w->sup1, w->a, 2025, "bureau", NULL, 0, NULL, &err),
                     AG_ERR_DENIED);
    /* a change needs a reason; the same score is no change */
    assess_item_in lower = {"B1", 1, NULL, NULL, 0};
    assert_int_equal(assess_review(w->st, &w->sup1, w->a, 2025, "dept", &lower, 1, NULL, &err),
                     AG_ERR_INPUT);
    assert_string_equal(err.where, "items[0].reason");
    assess_item_in pen = {"P1", -5, "造假", NULL, 0};
    assert_int_equal(assess_review(w->st, &w->sup1, w->a, 2025, "dept", &pen, 1, NULL, &err),
                     AG_ERR_INPUT);
    lower.text = "三等奖";
    assess_item_in same[] = {lower, {"A1.1", 6, NULL, NULL, 0}};
    must(assess_review(w->st, &w->sup1, w->a, 2025, "dept", same, 2, "属实", &err), &err);
    assess_item_in adj = {"A5.3", 4, "一项报送不及时", NULL, 0};
    must(assess_review(w->st, &w->admin, w->a, 2025, "bureau", &adj, 1, NULL, &err), &err);
    json_t *o = NULL;
    must(assess_unit_json(w->st, &w->admin, w->a, 2025, &o, &err), &err);
    assert_string_equal(json_string_value(json_object_get(o, "state")), "bureau");
    json_t *h = json_object_get(o, "history");
    assert_int_equal(json_array_size(h), 3);
    const char *want[][5] = {{"self", "B1", "", "2", "二等奖"},
                             {"dept", "B1", "2", "1", "三等奖"},
                             {"bureau", "A5.3", "2.5", "4", "一项报送不及时"}};
    for (size_t i = 0; i < 3; i++) {
        json_t *x = json_array_get(h, i), *from = json_object_get(x, "from");
        char f[16] = "", t[16];
        if (!json_is_null(from))
            snprintf(f, sizeof f, "%g", json_number_value(from));
        snprintf(t, sizeof t, "%g", json_number_value(json_object_get(x, "to")));
        assert_string_equal(json_string_value(json_object_get(x, "stage")), want[i][0]);
        assert_string_equal(json_string_value(json_object_get(x, "indicator")), want[i][1]);
        assert_string_equal(f, want[i][2]);
        assert_string_equal(t, want[i][3]);
        assert_string_equal(json_string_value(json_object_get(x, "reason")), want[i][4]);
    }
    assert_string_equal(json_string_value(json_object_get(json_array_get(h, 1), "by")),
                        "user:sup1");
    json_t *r = json_object_get(o, "result");
    SCORE(r, "B1", 1);
    SCORE(r, "A5.3", 4);
    assert_float_equal(total(r), items_sum(r), 1e-9);
    json_decref(o);
    /* a self edit after the submission is out of order */
    assert_int_equal(assess_self_save(w->st, &w->leader_a, w->a, 2025, &b1, 1, &err), AG_ERR_INPUT);
}

static void test_publish_freezes(void **state)
{
    world *w = *state;
    ag_error err;
    through_bureau(w, w->a);
    through_bureau(w, w->b);
    through_bureau(w, w->c);
    /* D is not done: refused, nothing frozen */
    assert_int_equal(assess_publish(w->st, &w->admin, 2025, &err), AG_ERR_INPUT);
    through_bureau(w, w->d);
    assert_int_equal(assess_publish(w->st, &w->sup1, 2025, &err), AG_ERR_DENIED);
    json_t *out = NULL;
    must(app_assess_publish(w->st, &w->admin, 2025, &out, &err), &err);
    assert_true(json_is_true(json_object_get(out, "published")));
    json_decref(out);
    json_t *y = NULL, *a = unit_in(w, 2025, w->a, &y);
    double before = total(a);
    assert_string_equal(json_string_value(json_object_get(a, "state")), "published");
    json_decref(y);
    /* a later data change: the published year stays, the open year moves */
    sql(w, "UPDATE ia_body SET independent = 0 WHERE unit_code = '%s'", w->a);
    a = unit_in(w, 2025, w->a, &y);
    assert_float_equal(total(a), before, 1e-9);
    SCORE(a, "A1.1", 6);
    json_decref(y);
    a = unit_in(w, 2026, w->a, &y);
    SCORE(a, "A1.1", 3);
    json_decref(y);
    assert_int_equal(assess_publish(w->st, &w->admin, 2025, &err), AG_ERR_INPUT);
    assess_item_in b1 = {"B1", 1, "奖", NULL, 0};
    assert_int_equal(assess_self_save(w->st, &w->admin, w->a, 2025, &b1, 1, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "year");
}

static void test_rubric(void **state)
{
    world *w = *state;
    ag_error err;
    int64_t v1 = 0, v2 = 0, v3 = 0;
    must(assess_rubric_ensure(w->st, &v1, &err), &err);
    assert_int_equal(v1, 1);
    /* 2025 starts with version 1 */
    assess_item_in b1 = {"B1", 1, "奖", NULL, 0};
    must(assess_self_save(w->st, &w->admin, w->a, 2025, &b1, 1, &err), &err);
    /* a rubric file with one fault at a time, named */
    const char *bad[][2] = {
        {"{\"format\":\"x\"}", "t.json:format"},
        {"{\"format\":\"auditgrid-assess-rubric/1\",\"groups\":[{\"code\":\"A\",\"kind\":\"base\","
         "\"name_zh\":\"甲\",\"name_en\":\"a\",\"max\":100,\"indicators\":[{\"code\":\"A.1\","
         "\"name_zh\":\"甲\",\"name_en\":\"a\",\"max\":99.5,\"source\":\"data\",\"metric\":"
         "\"ia_body\",\"basis_zh\":\"b\"}]}]}",
         "t.json:groups[0].max"},
        {"{\"format\":\"auditgrid-assess-rubric/1\",\"groups\":[{\"code\":\"A\",\"kind\":\"base\","
         "\"name_zh\":\"甲\",\"name_en\":\"a\",\"max\":100,\"indicators\":[{\"code\":\"A.1\","
         "\"name_zh\":\"甲\",\"name_en\":\"a\",\"max\":100,\"source\":\"data\",\"metric\":"
         "\"guess\",\"basis_zh\":\"b\"}]}]}",
         "t.json:groups[0].indicators[0].metric"},
        {"{\"format\":\"auditgrid-assess-rubric/1\",\"groups\":[{\"code\":\"A\",\"kind\":\"base\","
         "\"name_zh\":\"甲\",\"name_en\":\"a\",\"max\":100,\"indicators\":[{\"code\":\"A.1\","
         "\"name_zh\":\"甲\",\"name_en\":\"a\",\"max\":100.25,\"source\":\"entered\",\"basis_zh\":"
         "\"b\"}]}]}",
         "t.json:groups[0].indicators[0].max"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *doc = NULL;
        assert_int_equal(assess_rubric_parse(bad[i][0], strlen(bad[i][0]), "t.json", &doc, &err),
                         AG_ERR_INPUT);
        assert_string_equal(err.where, bad[i][1]);
        assert_true(strlen(err.zh) > 0 && strlen(err.en) > 0);
    }
    const char *good = "{\"format\":\"auditgrid-assess-rubric/1\",\"groups\":[{\"code\":\"A\","
                       "\"kind\":\"base\",\"name_zh\":\"甲\",\"name_en\":\"a\",\"max\":100,"
                       "\"indicators\":[{\"code\":\"A.1\",\"name_zh\":\"甲\",\"name_en\":\"a\","
                       "\"max\":100,\"source\":\"data\",\"metric\":\"ia_body\",\"basis_zh\":"
                       "\"b\"}]}]}";
    assert_int_equal(
        app_assess_rubric_install(w->st, &w->leader_a, good, strlen(good), "t.json", &v2, &err),
        AG_ERR_DENIED);
    must(app_assess_rubric_install(w->st, &w->admin, good, strlen(good), "t.json", &v2, &err),
         &err);
    assert_int_equal(v2, 2);
    must(app_assess_rubric_install(w->st, &w->admin, good, strlen(good), "t.json", &v3, &err),
         &err);
    assert_int_equal(v3, 2); /* the same text again: no new version */
    /* a year not started takes version 2 (one indicator), a started one keeps its own */
    json_t *y = NULL;
    must(assess_year_json(w->st, NULL, 2027, NULL, &y, &err), &err);
    assert_int_equal(json_integer_value(json_object_get(y, "rubric_version")), 2);
    assert_int_equal(
        json_array_size(json_object_get(json_array_get(json_object_get(y, "items"), 0), "items")),
        1);
    json_decref(y);
    must(assess_year_json(w->st, NULL, 2025, NULL, &y, &err), &err);
    assert_int_equal(json_integer_value(json_object_get(y, "rubric_version")), 1);
    assert_int_equal(
        json_array_size(json_object_get(json_array_get(json_object_get(y, "items"), 0), "items")),
        19);
    json_decref(y);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_data_items, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bonus_cap_and_penalty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ranks_and_ties, setup, teardown),
        cmocka_unit_test_setup_teardown(test_review_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_publish_freezes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rubric, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
