/* test_rating.c - the 0–5A grade (issue 15 §1): grade boundaries, vetoes, the 5A conditions,
 * rescaling, deduction caps, repeat offences, overdue items, the internal-audit set-up, who may
 * fill in and review, and a published year that a later rubric leaves alone. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/rating.h"
#include "domain/catalog.h"
#include "domain/grid.h"
#include "domain/rating.h"
#include "domain/scope.h"
#include "util/clock.h"
#include "util/uscc.h"
#include "../testutil.h"
#include "util/banned.h"

typedef struct world {
    ag_store *st;
    char ua[19], ub[19];
    json_t *rubric;
    audit_actor admin, leader_a, reviewer;
} world;

static void code_for(int n, char out[19])
{
    snprintf(out, 19, "12120104MB%07d", n);
    out[17] = uscc_check_char(out);
    out[18] = '\0';
}

static audit_actor actor(const char *role, const char *unit, const char *name)
{
    audit_actor a;
    ag_error err;
    memset(&a, 0, sizeof a);
    must(scope_init(&a.scope, role, unit, NULL, 0, &err), &err);
    a.name = name;
    return a;
}

static void today_is(const char *iso)
{
    char t[32];
    snprintf(t, sizeof t, "%sT02:00:00Z", iso);
    setenv("AUDITGRID_NOW", t, 1);
}

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    ag_error err;
    today_is("2026-05-01");
    w->st = ag_test_fresh_db("rating.db");
    must(grid_district_init(w->st, "120104", "天津市南开区", &err), &err);
    must(catalog_install_default(w->st, NULL, &err), &err);
    grid_cell_in d01 = {"D01", "dept", "区教育局", 0, 1};
    must(grid_cell_add(w->st, &d01, &err), &err);
    code_for(1, w->ua);
    code_for(2, w->ub);
    grid_unit_in a = {w->ua, "第一中学", "学校", "D01", NULL, true, NULL};
    grid_unit_in b = {w->ub, "第二中学", "学校", "D01", NULL, true, NULL};
    must(grid_unit_add(w->st, &a, &err), &err);
    must(grid_unit_add(w->st, &b, &err), &err);
    must(rating_rubric_get(w->st, 0, &w->rubric, &err), &err);
    w->admin = actor("admin", NULL, "user:admin");
    w->leader_a = actor("leader", w->ua, "user:leader");
    w->reviewer = actor("reviewer", NULL, "user:reviewer");
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    json_decref(w->rubric);
    store_close(w->st);
    free(w);
    unsetenv("AUDITGRID_NOW");
    return 0;
}

/* ---- the pure arithmetic on hand-made facts ------------------------------ */

/* Facts of a filed self-evaluation whose answers total total_c hundredths (full marks less the
 * difference, taken point by point from the end of the rubric, never from U4). */
static json_t *facts_scoring(const json_t *rubric, int64_t total_c)
{
    json_t *answers = json_object();
    json_t *inds = json_object_get(rubric, "indicators");
    for (size_t i = 0; i < json_array_size(inds); i++) {
        json_t *pl = json_object_get(json_array_get(inds, i), "points_list");
        for (size_t j = 0; j < json_array_size(pl); j++) {
            json_t *p = json_array_get(pl, j);
            json_object_set_new(
                answers, json_string_value(json_object_get(p, "code")),
                json_integer((json_int_t)(json_number_value(json_object_get(p, "points")) * 100)));
        }
    }
    int64_t loss = 10000 - total_c;
    for (size_t i = json_array_size(inds); loss > 0 && i-- > 0;) {
        json_t *pl = json_object_get(json_array_get(inds, i), "points_list");
        for (size_t j = 0; loss > 0 && j < json_array_size(pl); j++) {
            const char *code = json_string_value(json_object_get(json_array_get(pl, j), "code"));
            if (!strncmp(code, "U4", 2))
                continue;
            int64_t have = json_integer_value(json_object_get(answers, code));
            int64_t take = loss < have ? loss : have;
            json_object_set_new(answers, code, json_integer(have - take));
            loss -= take;
        }
    }
    return json_pack("{s:s,s:i,s:{s:s,s:b,s:o,s:[]},s:{},s:b,s:[],s:[],s:[]}", "unit", "U", "year",
                     2025, "self", "state", "filed", "late", false, "answers", answers,
                     "inapplicable", "adjustments", "due_passed", true, "findings",
                     "rectifications", "iabody_missing");
}

static json_t *compute(const json_t *rubric, const json_t *facts)
{
    json_t *o = NULL;
    ag_error err;
    must(rating_compute(rubric, facts, &o, &err), &err);
    return o;
}

static const char *grade_of(const json_t *r)
{
    const char *g = json_string_value(json_object_get(r, "grade"));
    return g ? g : "(null)";
}

static double num(const json_t *o, const char *k)
{
    return json_number_value(json_object_get(o, k));
}

static void test_grade_boundaries(void **state)
{
    world *w = *state;
    struct {
        int64_t score_c;
        const char *grade;
        int level;
    } cases[] = {{10000, "5A", 5}, {9000, "5A", 5}, {8999, "4A", 4}, {8000, "4A", 4},
                 {7999, "3A", 3},  {7000, "3A", 3}, {6999, "2A", 2}, {6000, "2A", 2},
                 {5999, "1A", 1},  {1600, "1A", 1}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *f = facts_scoring(w->rubric, cases[i].score_c);
        json_t *r = compute(w->rubric, f);
        assert_string_equal(grade_of(r), cases[i].grade);
        assert_int_equal(json_integer_value(json_object_get(r, "level")), cases[i].level);
        assert_true(num(r, "score") * 100 > cases[i].score_c - 0.5 &&
                    num(r, "score") * 100 < cases[i].score_c + 0.5);
        assert_true(json_is_null(json_object_get(r, "veto")));
        json_decref(r);
        json_decref(f);
    }
}

static void test_vetoes(void **state)
{
    world *w = *state;
    /* A confirmed major fund-safety incident (小金库, F09, high) vetoes a perfect score. */
    json_t *f = facts_scoring(w->rubric, 10000);
    json_array_append_new(json_object_get(f, "findings"),
                          json_pack("{s:i,s:s,s:s,s:n,s:s,s:s,s:i,s:s}", "id", 7, "item", "F09",
                                    "severity", "high", "repeat_of", "title", "设立小金库",
                                    "project_code", "P1", "rect_id", 9, "rect_state", "closed"));
    json_t *r = compute(w->rubric, f);
    assert_string_equal(grade_of(r), "0");
    assert_int_equal(json_integer_value(json_object_get(r, "level")), 0);
    assert_string_equal(json_string_value(json_object_get(r, "veto_code")), "major_incident");
    assert_non_null(strstr(json_string_value(json_object_get(r, "veto")), "设立小金库"));
    json_t *sp = json_object_get(r, "special");
    bool veto = false;
    for (size_t i = 0; i < json_array_size(sp); i++)
        veto = veto ||
               !strcmp(json_string_value(json_object_get(json_array_get(sp, i), "kind")), "veto");
    assert_true(veto);
    json_decref(r);
    /* The same finding of ordinary severity is no veto. */
    json_object_set_new(json_array_get(json_object_get(f, "findings"), 0), "severity",
                        json_string("medium"));
    r = compute(w->rubric, f);
    assert_string_equal(grade_of(r), "5A");
    json_decref(r);
    json_decref(f);

    /* No internal-control system at all: every point of U4 answered 0. */
    f = facts_scoring(w->rubric, 10000);
    json_t *ans = json_object_get(json_object_get(f, "self"), "answers");
    for (int k = 1; k <= 8; k++) {
        char p[8];
        snprintf(p, sizeof p, "U4.%d", k);
        json_object_set_new(ans, p, json_integer(0));
    }
    r = compute(w->rubric, f);
    assert_string_equal(grade_of(r), "0");
    assert_string_equal(json_string_value(json_object_get(r, "veto_code")), "no_system");
    json_decref(r);
    json_object_set_new(ans, "U4.3", json_integer(100)); /* one rule: a system, however thin */
    r = compute(w->rubric, f);
    assert_string_not_equal(grade_of(r), "0");
    json_decref(r);
    json_decref(f);

    /* Not filed by the due date; filed late; not filed while the due date is ahead. */
    f = facts_scoring(w->rubric, 9500);
    json_object_set_new(json_object_get(f, "self"), "state", json_string("draft"));
    r = compute(w->rubric, f);
    assert_string_equal(grade_of(r), "0");
    assert_string_equal(json_string_value(json_object_get(r, "veto_code")), "not_filed");
    json_decref(r);
    json_object_set_new(f, "due_passed", json_false());
    r = compute(w->rubric, f);
    assert_string_equal(json_string_value(json_object_get(r, "state")), "pending");
    assert_true(json_is_null(json_object_get(r, "grade")));
    assert_true(json_is_null(json_object_get(r, "score")));
    json_decref(r);
    json_object_set_new(json_object_get(f, "self"), "state", json_string("filed"));
    json_object_set_new(json_object_get(f, "self"), "late", json_true());
    r = compute(w->rubric, f);
    assert_string_equal(grade_of(r), "0");
    assert_string_equal(json_string_value(json_object_get(r, "veto_code")), "not_filed");
    json_decref(r);
    json_decref(f);
}

static json_t *finding(int id, const char *item, const char *sev, const char *rect_state,
                       int repeat_of)
{
    json_t *f =
        json_pack("{s:i,s:s,s:s,s:s,s:s,s:i,s:s}", "id", id, "item", item, "severity", sev, "title",
                  "问题", "project_code", "P1", "rect_id", 100 + id, "rect_state", rect_state);
    json_object_set_new(f, "repeat_of", repeat_of ? json_integer(repeat_of) : json_null());
    return f;
}

static json_t *rect(int id, const char *item, const char *state, bool due)
{
    bool open = !strcmp(state, "open") || !strcmp(state, "in_progress");
    return json_pack("{s:i,s:i,s:s,s:s,s:s,s:s,s:s,s:b,s:b}", "id", id, "finding_id", id, "item",
                     item, "severity", "medium", "title", "整改事项", "state", state, "deadline",
                     due ? "2026-01-31" : "2026-12-31", "due", due, "overdue", due && open);
}

static void test_five_a_conditions(void **state)
{
    world *w = *state;
    /* ≥ 90 with a major finding whose rectification is still open: 4A, with the reason. */
    json_t *f = facts_scoring(w->rubric, 10000);
    json_array_append_new(json_object_get(f, "findings"),
                          finding(1, "F02", "high", "in_progress", 0));
    json_t *r = compute(w->rubric, f);
    assert_true(num(r, "score") >= 90);
    assert_string_equal(grade_of(r), "4A");
    json_t *sp = json_object_get(r, "special");
    const char *why = NULL;
    for (size_t i = 0; i < json_array_size(sp); i++)
        if (!strcmp(json_string_value(json_object_get(json_array_get(sp, i), "kind")),
                    "five_a_fail"))
            why = json_string_value(json_object_get(json_array_get(sp, i), "reason"));
    assert_non_null(why);
    assert_non_null(strstr(why, "重大问题"));
    json_decref(r);
    /* Closed: 5A again (the finding still deducts: 95). */
    json_object_set_new(json_array_get(json_object_get(f, "findings"), 0), "rect_state",
                        json_string("closed"));
    r = compute(w->rubric, f);
    assert_string_equal(grade_of(r), "5A");
    assert_true(num(r, "score") > 94.99 && num(r, "score") < 95.01);
    json_decref(r);
    json_decref(f);

    /* A due rectification not closed (claimed, waiting for verification): 4A. */
    f = facts_scoring(w->rubric, 10000);
    json_array_append_new(json_object_get(f, "rectifications"), rect(5, "F07", "claimed", true));
    r = compute(w->rubric, f);
    assert_string_equal(grade_of(r), "4A");
    json_decref(r);
    /* Not due yet: no obstacle. */
    json_object_set_new(json_array_get(json_object_get(f, "rectifications"), 0), "due",
                        json_false());
    r = compute(w->rubric, f);
    assert_string_equal(grade_of(r), "5A");
    json_decref(r);
    json_decref(f);
}

static void test_rescaling(void **state)
{
    world *w = *state;
    /* B5 (8 points) inapplicable: 82.80 of 92 applicable points is 90.00. */
    json_t *f = facts_scoring(w->rubric, 10000);
    json_t *ans = json_object_get(json_object_get(f, "self"), "answers");
    json_object_set_new(ans, "U1.1", json_integer(0));
    json_object_set_new(ans, "U1.4", json_integer(0));
    json_object_set_new(ans, "U6.2", json_integer(400 - 120));
    /* lost: 4 + 4 + 1.20 = 9.20 of the 92 applicable */
    json_array_append_new(json_object_get(json_object_get(f, "self"), "inapplicable"),
                          json_string("B5"));
    json_t *r = compute(w->rubric, f);
    assert_true(num(r, "applicable") > 91.99 && num(r, "applicable") < 92.01);
    assert_true(num(r, "raw") > 82.79 && num(r, "raw") < 82.81);
    assert_true(num(r, "score") > 89.99 && num(r, "score") < 90.01);
    assert_string_equal(grade_of(r), "5A");
    /* B5's own answers and deductions are out. */
    json_t *inds = json_object_get(r, "indicators");
    for (size_t i = 0; i < json_array_size(inds); i++) {
        json_t *x = json_array_get(inds, i);
        if (!strcmp(json_string_value(json_object_get(x, "code")), "B5")) {
            assert_false(json_is_true(json_object_get(x, "applicable")));
            assert_true(json_is_null(json_object_get(x, "score")));
        }
    }
    json_decref(r);
    /* An indicator that may not be inapplicable stays in. */
    json_array_append_new(json_object_get(json_object_get(f, "self"), "inapplicable"),
                          json_string("U4"));
    r = compute(w->rubric, f);
    assert_true(num(r, "applicable") > 91.99 && num(r, "applicable") < 92.01);
    json_decref(r);
    json_decref(f);
}

/* The sum of the deductions of kind (NULL: all) under indicator. */
static double deducted(const json_t *r, const char *indicator, const char *kind)
{
    double s = 0;
    json_t *ds = json_object_get(r, "deductions");
    for (size_t i = 0; i < json_array_size(ds); i++) {
        json_t *d = json_array_get(ds, i);
        if (!strcmp(json_string_value(json_object_get(d, "indicator")), indicator) &&
            (!kind || !strcmp(json_string_value(json_object_get(d, "kind")), kind)))
            s += num(d, "deduct");
    }
    return s;
}

static void test_deductions(void **state)
{
    world *w = *state;
    /* Caps: three major findings on 收支 (B2, 6 points) take 5 + 1 + 0. */
    json_t *f = facts_scoring(w->rubric, 10000);
    json_t *fs = json_object_get(f, "findings");
    json_array_append_new(fs, finding(1, "F02", "high", "closed", 0));
    json_array_append_new(fs, finding(2, "F03", "high", "closed", 0));
    json_array_append_new(fs, finding(3, "F01", "high", "closed", 0));
    json_t *r = compute(w->rubric, f);
    assert_true(deducted(r, "B2", NULL) > 5.99 && deducted(r, "B2", NULL) < 6.01);
    json_t *ds = json_object_get(r, "deductions");
    assert_int_equal(json_array_size(ds), 3);
    assert_false(json_is_true(json_object_get(json_array_get(ds, 0), "capped")));
    assert_true(json_is_true(json_object_get(json_array_get(ds, 1), "capped")));
    assert_true(num(json_array_get(ds, 1), "deduct") > 0.99 &&
                num(json_array_get(ds, 1), "deduct") < 1.01);
    assert_true(num(json_array_get(ds, 2), "deduct") < 0.01);
    assert_true(num(r, "score") > 93.99 && num(r, "score") < 94.01);
    json_t *ev = json_object_get(json_array_get(ds, 0), "evidence");
    assert_int_equal(json_integer_value(json_object_get(ev, "finding_id")), 1);
    assert_int_equal(json_integer_value(json_object_get(ev, "rectification_id")), 101);
    assert_string_equal(json_string_value(json_object_get(json_array_get(ds, 0), "point")), "B2.2");
    json_decref(r);
    json_decref(f);

    /* A repeat offence (屡审屡犯) doubles: ordinary 2 → 4 under 预算 (K2 → B1). */
    f = facts_scoring(w->rubric, 10000);
    json_array_append_new(json_object_get(f, "findings"), finding(4, "K2", "medium", "closed", 1));
    r = compute(w->rubric, f);
    assert_true(deducted(r, "B1", "finding") > 3.99 && deducted(r, "B1", "finding") < 4.01);
    assert_non_null(strstr(json_string_value(json_object_get(
                               json_array_get(json_object_get(r, "deductions"), 0), "reason")),
                           "屡审屡犯"));
    json_decref(r);
    json_object_set_new(json_array_get(json_object_get(f, "findings"), 0), "repeat_of",
                        json_null());
    r = compute(w->rubric, f);
    assert_true(deducted(r, "B1", "finding") > 1.99 && deducted(r, "B1", "finding") < 2.01);
    json_decref(r);
    json_decref(f);

    /* An overdue open rectification deducts 1 under its item's indicator; claimed does not. */
    f = facts_scoring(w->rubric, 10000);
    json_array_append_new(json_object_get(f, "rectifications"), rect(6, "F12", "open", true));
    json_array_append_new(json_object_get(f, "rectifications"), rect(7, "F12", "claimed", true));
    r = compute(w->rubric, f);
    assert_true(deducted(r, "B3", "overdue") > 0.99 && deducted(r, "B3", "overdue") < 1.01);
    json_decref(r);
    json_decref(f);

    /* No independent internal-audit body and no 组长 in the working group: 2 + 2 under U1. */
    f = facts_scoring(w->rubric, 10000);
    json_array_append_new(json_object_get(f, "iabody_missing"), json_string("body"));
    r = compute(w->rubric, f);
    assert_true(deducted(r, "U1", "iabody") > 1.99 && deducted(r, "U1", "iabody") < 2.01);
    json_decref(r);
    json_array_append_new(json_object_get(f, "iabody_missing"), json_string("leader"));
    r = compute(w->rubric, f);
    assert_true(deducted(r, "U1", "iabody") > 3.99 && deducted(r, "U1", "iabody") < 4.01);
    assert_true(num(r, "score") > 95.99 && num(r, "score") < 96.01);
    json_decref(r);
    json_decref(f);
}

/* ---- the rubric file ----------------------------------------------------- */

static void test_rubric_errors(void **state)
{
    (void)state;
    ag_error err;
    const char *bad_points = "{\"format\":\"auditgrid-rating-rubric/1\",\"indicators\":[{\"code\":"
                             "\"U1\",\"level\":\"unit\",\"name_zh\":\"启动\",\"name_en\":\"s\","
                             "\"points\":99,\"points_list\":[{\"code\":\"U1.1\",\"name_zh\":\"a\","
                             "\"name_en\":\"a\",\"points\":100}]}]}";
    assert_int_equal(rating_rubric_parse(bad_points, strlen(bad_points), "x.json", NULL, &err),
                     AG_ERR_INPUT);
    assert_string_equal(err.where, "x.json:indicators[0].points");
    assert_non_null(strstr(err.zh, "评价要点分值之和"));
    assert_non_null(strstr(err.en, "sum of its evaluation points"));
    const char *fmt = "{\"format\":\"x\"}";
    assert_int_equal(rating_rubric_parse(fmt, strlen(fmt), "y.json", NULL, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "y.json:format");
    assert_int_equal(rating_rubric_parse("{", 1, "z.json", NULL, &err), AG_ERR_INPUT);
    assert_non_null(strstr(err.where, "z.json:1:"));
}

/* ---- the store: facts, permissions, publication -------------------------- */

/* A finding of unit on item with its rectification item in state with deadline, of a project
 * whose period ends in year. */
static void add_finding(world *w, const char *unit, int year, const char *item, const char *sev,
                        const char *state, const char *deadline, int seq)
{
    char sql[2000];
    ag_error err;
    snprintf(sql, sizeof sql,
             "INSERT INTO audit_project (code, name, kind, unit_code, period_from, period_to,"
             " items, catalog_version, stage, stage_at, created_by, created_at) VALUES"
             " ('P%d', '专项审计', 'special', '%s', '%d-01-01', '%d-12-31', '[\"%s\"]', 1,"
             " 'rectify', '2026-02-01', 'test', '2026-02-01');"
             "INSERT INTO finding (project_id, seq, unit_code, item, catalog_version, title,"
             " description, basis, severity, created_by, created_at) VALUES ((SELECT MAX(id) FROM"
             " audit_project), 1, '%s', '%s', 1, '问题%d', '描述', '依据', '%s', 'test',"
             " '2026-02-01');"
             "INSERT INTO rectification (finding_id, project_id, unit_code, class, deadline, state,"
             " created_at) VALUES ((SELECT MAX(id) FROM finding), (SELECT MAX(id) FROM"
             " audit_project), '%s', 'immediate', '%s', '%s', '2026-02-01');",
             seq, unit, year, year, item, unit, item, seq, sev, unit, deadline, state);
    must(store_exec(w->st, sql, &err), &err);
}

static void save_full(world *w, const audit_actor *a, const char *unit, int year, ag_err want)
{
    rating_answer_in in[RATING_MAX_ANSWERS];
    int n = 0;
    json_t *inds = json_object_get(w->rubric, "indicators");
    for (size_t i = 0; i < json_array_size(inds); i++) {
        json_t *pl = json_object_get(json_array_get(inds, i), "points_list");
        for (size_t j = 0; j < json_array_size(pl); j++) {
            json_t *p = json_array_get(pl, j);
            in[n++] = (rating_answer_in){
                json_string_value(json_object_get(p, "code")),
                (int64_t)(json_number_value(json_object_get(p, "points")) * 100), NULL, NULL, 0};
        }
    }
    ag_error err;
    ag_err rc = app_rating_self_save(w->st, a, unit, year, in, n, NULL, 0, false, NULL, &err);
    assert_int_equal(rc, want);
}

static json_t *unit_result(world *w, const char *unit, int year)
{
    json_t *arr = NULL;
    ag_error err;
    must(rating_compute_year(w->st, NULL, year, unit, &arr, &err), &err);
    json_t *r = json_incref(json_array_get(arr, 0));
    json_decref(arr);
    return r;
}

static void test_store_facts_and_permissions(void **state)
{
    world *w = *state;
    ag_error err;
    /* The leader of A fills in A, not B; a reviewer fills in nothing. */
    save_full(w, &w->leader_a, w->ua, 2025, AG_OK);
    save_full(w, &w->leader_a, w->ub, 2025, AG_ERR_NOTFOUND);
    save_full(w, &w->reviewer, w->ua, 2025, AG_ERR_DENIED);
    /* A score over the point's points names the field. */
    rating_answer_in big = {"U1.1", 500, NULL, NULL, 0};
    assert_int_equal(
        app_rating_self_save(w->st, &w->leader_a, w->ua, 2025, &big, 1, NULL, 0, false, NULL, &err),
        AG_ERR_INPUT);
    assert_string_equal(err.where, "answers[0].score");
    /* Only the bureau reviews. */
    must(app_rating_self_file(w->st, &w->leader_a, w->ua, 2025, NULL, &err), &err);
    rating_adjust_in adj = {"U1.2", 100, "培训记录不全"};
    assert_int_equal(app_rating_review(w->st, &w->leader_a, w->ua, 2025, &adj, 1, NULL, NULL, &err),
                     AG_ERR_DENIED);
    rating_adjust_in noreason = {"U1.2", 100, ""};
    assert_int_equal(
        app_rating_review(w->st, &w->admin, w->ua, 2025, &noreason, 1, NULL, NULL, &err),
        AG_ERR_INPUT);
    assert_string_equal(err.where, "adjustments[0].reason");
    must(app_rating_review(w->st, &w->admin, w->ua, 2025, &adj, 1, "复核", NULL, &err), &err);
    /* Facts from the store: a 2025 major finding with an overdue open item, a 2024 one closed
     * (another year: no deduction). Filed on 2026-05-01, after the due date 2026-03-31. */
    add_finding(w, w->ua, 2025, "F03", "high", "open", "2026-04-01", 1);
    add_finding(w, w->ua, 2024, "F07", "medium", "closed", "2025-06-30", 2);
    json_t *r = unit_result(w, w->ua, 2025);
    assert_string_equal(grade_of(r), "0"); /* filed on 2026-05-01: late */
    assert_string_equal(json_string_value(json_object_get(r, "veto_code")), "not_filed");
    /* U1.2 adjusted to 1 (−2), F03 major 5 + overdue 1 under B2, IA body and group missing −4. */
    assert_true(deducted(r, "B2", "finding") > 4.99 && deducted(r, "B2", "finding") < 5.01);
    assert_true(deducted(r, "B2", "overdue") > 0.99 && deducted(r, "B2", "overdue") < 1.01);
    assert_true(deducted(r, "U1", "iabody") > 3.99 && deducted(r, "U1", "iabody") < 4.01);
    assert_true(num(r, "score") > 87.99 && num(r, "score") < 88.01);
    json_decref(r);
    /* Publishing is the bureau's. */
    assert_int_equal(app_rating_publish(w->st, &w->leader_a, 2025, NULL, &err), AG_ERR_DENIED);
}

static void test_published_year_is_frozen(void **state)
{
    world *w = *state;
    ag_error err;
    today_is("2026-03-01");
    save_full(w, &w->admin, w->ua, 2025, AG_OK);
    must(app_rating_self_file(w->st, &w->admin, w->ua, 2025, NULL, &err), &err);
    /* B has not filed and the due date is ahead: no publication yet. */
    assert_int_equal(app_rating_publish(w->st, &w->admin, 2025, NULL, &err), AG_ERR_INPUT);
    save_full(w, &w->admin, w->ub, 2025, AG_OK);
    must(app_rating_self_file(w->st, &w->admin, w->ub, 2025, NULL, &err), &err);
    must(app_rating_publish(w->st, &w->admin, 2025, NULL, &err), &err);
    json_t *before = unit_result(w, w->ua, 2025);
    assert_string_equal(grade_of(before), "5A");
    assert_int_equal(json_integer_value(json_object_get(before, "rubric_version")), 1);
    /* Published: no more writes, no second publication. */
    save_full(w, &w->admin, w->ua, 2025, AG_ERR_INPUT);
    assert_int_equal(app_rating_publish(w->st, &w->admin, 2025, NULL, &err), AG_ERR_INPUT);
    /* A stricter rubric: 5A from 99, major findings 50. */
    json_t *doc = json_deep_copy(w->rubric);
    json_object_set_new(json_array_get(json_object_get(doc, "bands"), 0), "min", json_integer(99));
    json_object_set_new(doc, "format", json_string(RATING_FORMAT));
    json_object_set_new(json_object_get(doc, "deductions"), "major", json_integer(50));
    const char *drop[] = {"version", "installed_at", "installed_by", "total_points"};
    for (int i = 0; i < 4; i++)
        json_object_del(doc, drop[i]);
    char *text = json_dumps(doc, 0);
    json_t *inst = NULL;
    must(
        app_rating_rubric_install(w->st, &w->admin, text, strlen(text), "strict.json", &inst, &err),
        &err);
    assert_int_equal(json_integer_value(json_object_get(inst, "version")), 2);
    json_decref(inst);
    free(text);
    json_decref(doc);
    /* And a new major finding of 2025 in the store: the published year does not move. */
    add_finding(w, w->ua, 2025, "F03", "high", "closed", "2026-02-01", 3);
    json_t *after = unit_result(w, w->ua, 2025);
    char *a = json_dumps(before, JSON_SORT_KEYS), *b = json_dumps(after, JSON_SORT_KEYS);
    assert_string_equal(a, b);
    free(a);
    free(b);
    json_decref(after);
    json_decref(before);
    /* 2026, not started before the change, uses version 2 (5A from 99): 96 is 4A, and a major
     * finding on 建设项目 now takes all of B5's 8 points. */
    today_is("2027-02-01");
    save_full(w, &w->admin, w->ub, 2026, AG_OK);
    must(app_rating_self_file(w->st, &w->admin, w->ub, 2026, NULL, &err), &err);
    json_t *r = unit_result(w, w->ub, 2026);
    assert_int_equal(json_integer_value(json_object_get(r, "rubric_version")), 2);
    assert_true(num(r, "score") > 95.99 && num(r, "score") < 96.01);
    assert_string_equal(grade_of(r), "4A");
    json_decref(r);
    add_finding(w, w->ub, 2026, "K5", "high", "closed", "2027-01-01", 4);
    r = unit_result(w, w->ub, 2026);
    assert_true(num(r, "score") > 87.99 && num(r, "score") < 88.01);
    assert_string_equal(grade_of(r), "4A");
    json_decref(r);
    /* The dashboard's grade and the history come from the published year. */
    char g[4];
    must(rating_latest_grade(w->st, w->ua, g, &err), &err);
    assert_string_equal(g, "5A");
    json_t *h = NULL;
    must(rating_history(w->st, w->ub, &h, &err), &err);
    json_t *items = json_object_get(h, "items");
    assert_int_equal(json_array_size(items), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "year")), 2026);
    assert_false(json_is_true(json_object_get(json_array_get(items, 0), "published")));
    assert_true(json_is_true(json_object_get(json_array_get(items, 1), "published")));
    json_decref(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_grade_boundaries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vetoes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_five_a_conditions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rescaling, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deductions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rubric_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_facts_and_permissions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_published_year_is_frozen, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
