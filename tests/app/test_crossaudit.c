/* test_crossaudit.c (app) - cross-audit rounds on a real database: plan, edits re-checked and
 * refused by constraint, a former unit from the person's unit history, publishing into the audit
 * workflow, the 回避声明 gate of 审前, no pair repeated from the previous round. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/audit.h"
#include "app/crossaudit.h"
#include "domain/catalog.h"
#include "domain/grid.h"
#include "util/uscc.h"
#include "../testutil.h"

#define ROUND "2026年交叉互审"

typedef struct fx {
    ag_store *st;
    char u[6][19]; /* A B C D E F: pilot units; E and F one SOE group */
    int64_t p[6][2];
    audit_actor admin;
} fx;

static void code_for(const char *head, int n, char out[19])
{
    snprintf(out, 19, "%s120104MB%07d", head, n);
    out[17] = uscc_check_char(out);
    out[18] = '\0';
}

static int64_t count(ag_store *st, const char *sql)
{
    int64_t n = -1;
    ag_error err;
    must(store_query_int(st, &n, &err, sql, NULL), &err);
    return n;
}

static void refused(ag_err rc, ag_err code, const ag_error *err, const char *zh)
{
    if (rc != code)
        fail_msg("expected %s, got %s: %s", ag_err_name(code), ag_err_name(rc),
                 rc ? err->zh : "(ok)");
    if (zh && !strstr(err->zh, zh))
        fail_msg("expected \"%s\" in \"%s\"", zh, err->zh);
    assert_true(err->en[0] != '\0');
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    f->st = ag_test_fresh_db("xa.db");
    ag_store *st = f->st;
    ag_error err;
    must(grid_district_init(st, "120104", "天津市南开区", &err), &err);
    must(catalog_install_default(st, NULL, &err), &err);
    grid_cell_in cells[] = {{"D01", "dept", "区教育局", 0, 1},
                            {"D02", "dept", "区卫健委", 0, 2},
                            {"S01", "soe", "区国资委", 0, 3}};
    for (int i = 0; i < 3; i++)
        must(grid_cell_add(st, &cells[i], &err), &err);
    static const char *const names[] = {"一中",     "二中",     "人民医院",
                                        "中医医院", "城投集团", "城投建设公司"};
    static const char *const types[] = {"学校", "学校", "医院", "医院", "国企", "国企"};
    static const char *const cellof[] = {"D01", "D01", "D02", "D02", "S01", "S01"};
    for (int i = 0; i < 6; i++) {
        code_for(i < 4 ? "12" : "91", i + 1, f->u[i]);
        grid_unit_in u = {f->u[i], names[i], types[i], cellof[i], i == 5 ? f->u[4] : NULL,
                          true,    NULL};
        must(grid_unit_add(st, &u, &err), &err);
        for (int k = 0; k < 2; k++) {
            char n[32];
            snprintf(n, sizeof n, "内审%d-%d", i, k);
            grid_person_in p = {n, f->u[i], "内审人员", NULL, NULL, "auditor"};
            must(grid_person_add(st, &p, &f->p[i][k], &err), &err);
        }
    }
    f->admin.scope.role = AG_ROLE_ADMIN;
    f->admin.name = "user:admin";
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

static json_t *show(fx *f, bool full)
{
    json_t *o = NULL;
    ag_error err;
    must(app_xa_show(f->st, ROUND, 0, full, &o, &err), &err);
    return o;
}

static void plan(fx *f, const char *name, int year, uint64_t seed)
{
    xa_round_in in = {name, year, "pilot", 2, 4, seed, NULL, 0, NULL, NULL};
    json_t *why = NULL;
    ag_error err;
    must(app_xa_plan(f->st, &in, NULL, &why, &err), &err);
    assert_int_equal(json_array_size(why), 0);
    json_decref(why);
}

/* The auditing unit of audited in round JSON o. */
static const char *auditor_of(json_t *o, const char *audited)
{
    json_t *as = json_object_get(o, "assignments");
    for (size_t i = 0; i < json_array_size(as); i++)
        if (!strcmp(json_string_value(json_object_get(json_array_get(as, i), "audited")), audited))
            return json_string_value(json_object_get(json_array_get(as, i), "auditor_unit"));
    return NULL;
}

static void test_plan_stored_and_reproducible(void **state)
{
    fx *f = *state;
    plan(f, ROUND, 2026, 3);
    json_t *a = show(f, false);
    /* exactly the keys */
    assert_int_equal(json_object_size(a), 4);
    assert_string_equal(json_string_value(json_object_get(a, "round")), ROUND);
    json_t *x0 = json_array_get(json_object_get(a, "assignments"), 0);
    assert_int_equal(json_object_size(x0), 3);
    json_t *m0 = json_array_get(json_object_get(x0, "team"), 0);
    assert_int_equal(json_object_size(m0), 4);
    assert_string_equal(json_string_value(json_object_get(m0, "role")), "lead");
    assert_int_equal(json_array_size(json_object_get(a, "violations")), 0);
    assert_int_equal(json_array_size(json_object_get(a, "assignments")), 6);
    /* the SOE group's units do not audit each other */
    assert_string_not_equal(auditor_of(a, f->u[4]), f->u[5]);
    assert_string_not_equal(auditor_of(a, f->u[5]), f->u[4]);
    /* planning the draft again with the seed gives the same plan */
    plan(f, ROUND, 2026, 3);
    json_t *b = show(f, false);
    assert_true(json_equal(a, b));
    json_decref(a);
    json_decref(b);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM xa_round"), 1);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM xa_assignment"), 6);
}

static void test_infeasible_writes_nothing(void **state)
{
    fx *f = *state;
    char units[64];
    snprintf(units, sizeof units, "%s,%s", f->u[0], f->u[2]);
    xa_round_in in = {"两家", 2026, units, 2, 4, 1, NULL, 0, NULL, NULL};
    json_t *why = NULL;
    ag_error err;
    refused(app_xa_plan(f->st, &in, NULL, &why, &err), AG_ERR_INPUT, &err,
            "只有两个单位，只能互审");
    assert_int_equal(json_array_size(why), 1);
    json_decref(why);
    /* teams of three: every unit has only two internal auditors */
    xa_round_in big = {"三人组", 2026, "pilot", 3, 4, 1, NULL, 0, NULL, NULL};
    refused(app_xa_plan(f->st, &big, NULL, &why, &err), AG_ERR_INPUT, &err, "内审人员只够组成0个");
    assert_true(json_array_size(why) >= 7);
    assert_non_null(strstr(json_string_value(json_object_get(json_array_get(why, 1), "zh")),
                           "只有2名内审人员，审计组至少需要3人"));
    json_decref(why);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM xa_round"), 0);
}

static void test_edit_rechecked(void **state)
{
    fx *f = *state;
    plan(f, ROUND, 2026, 1);
    json_t *before = show(f, false);
    ag_error err;
    const char *A = f->u[0], *B = f->u[1];
    /* own unit */
    refused(app_xa_assign(f->st, ROUND, A, A, NULL, 0, &err), AG_ERR_INPUT, &err, "回避本单位");
    /* the same SOE group */
    refused(app_xa_assign(f->st, ROUND, f->u[5], f->u[4], NULL, 0, &err), AG_ERR_INPUT, &err,
            "回避同一国企集团");
    /* B audits A while A audits B */
    const char *a_audits = NULL;
    json_t *as = json_object_get(before, "assignments");
    for (size_t i = 0; i < json_array_size(as); i++)
        if (!strcmp(json_string_value(json_object_get(json_array_get(as, i), "auditor_unit")), A))
            a_audits = json_string_value(json_object_get(json_array_get(as, i), "audited"));
    assert_non_null(a_audits);
    refused(app_xa_assign(f->st, ROUND, A, a_audits, NULL, 0, &err), AG_ERR_INPUT, &err,
            "不得互审");
    /* a team of one */
    int64_t one[] = {f->p[1][0]};
    refused(app_xa_assign(f->st, ROUND, A, B, one, 1, &err), AG_ERR_INPUT, &err, "审计组人数");
    /* the lead of another unit */
    int64_t wrong_lead[] = {f->p[2][0], f->p[1][0]};
    refused(app_xa_assign(f->st, ROUND, A, B, wrong_lead, 2, &err), AG_ERR_INPUT, &err,
            "组长来自审计单位");
    json_t *after = show(f, false);
    assert_true(json_equal(before, after));
    json_decref(after);
    json_decref(before);
}

static void test_former_unit_from_history(void **state)
{
    fx *f = *state;
    ag_error err;
    /* 内审1-0 moves from B to C and becomes C's internal auditor */
    int64_t moved = f->p[1][0];
    grid_person_in p = {"内审1-0", f->u[2], "内审人员", NULL, NULL, NULL};
    must(grid_person_update(f->st, moved, &p, &err), &err);
    must(grid_subject_remove(f->st, f->u[1], moved, "auditor", &err), &err);
    must(grid_subject_set(f->st, f->u[2], moved, "auditor", &err), &err);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM person_unit_history WHERE until IS NOT"
                                  " NULL"),
                     1);
    /* B has one internal auditor left: no plan, the reason names B */
    xa_round_in in = {ROUND, 2026, "pilot", 2, 4, 1, NULL, 0, NULL, NULL};
    json_t *why = NULL;
    refused(app_xa_plan(f->st, &in, NULL, &why, &err), AG_ERR_INPUT, &err, "只够组成5个");
    assert_non_null(
        strstr(json_string_value(json_object_get(json_array_get(why, 1), "zh")), "二中（"));
    assert_non_null(strstr(json_string_value(json_object_get(json_array_get(why, 1), "zh")),
                           "只有1名内审人员，审计组至少需要2人"));
    json_decref(why);
    grid_person_in nb = {"新内审", f->u[1], "内审人员", NULL, NULL, "auditor"};
    must(grid_person_add(f->st, &nb, NULL, &err), &err);
    plan(f, ROUND, 2026, 1);
    int64_t team[] = {moved, f->p[2][1]};
    refused(app_xa_assign(f->st, ROUND, f->u[1], f->u[2], team, 2, &err), AG_ERR_INPUT, &err,
            "三年内曾在被审计单位任职");
}

static void test_publish_and_declarations(void **state)
{
    fx *f = *state;
    plan(f, ROUND, 2026, 5);
    ag_error err;
    int projects = 0;
    must(app_xa_publish(f->st, &f->admin, ROUND, &projects, &err), &err);
    assert_int_equal(projects, 6);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM audit_project WHERE kind = 'cross'"), 6);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM audit_team"),
                     count(f->st, "SELECT COUNT(*) FROM xa_team"));
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM audit_team WHERE role = 'lead'"), 6);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM notification WHERE kind = 'cross_audit'"
                                  " AND audience = 'leader' AND round_id IS NOT NULL"),
                     12);
    refused(app_xa_publish(f->st, &f->admin, ROUND, NULL, &err), AG_ERR_EXISTS, &err, "已发布");
    refused(app_xa_assign(f->st, ROUND, f->u[0], f->u[1], NULL, 0, &err), AG_ERR_INPUT, &err,
            "已发布");
    /* the gate of 审前 */
    json_t *r = show(f, true);
    json_t *x = json_array_get(json_object_get(r, "assignments"), 0);
    int64_t pid = json_integer_value(json_object_get(x, "project_id"));
    json_t *team = json_object_get(x, "team");
    refused(app_audit_advance(f->st, &f->admin, pid, NULL, &err), AG_ERR_INPUT, &err,
            "尚未签署回避声明");
    /* a member signs their own; someone else cannot sign for them */
    int64_t m0 = json_integer_value(json_object_get(json_array_get(team, 0), "person_id"));
    audit_actor other = {.name = "user:auditor"};
    must(scope_init(&other.scope, "auditor", f->u[0], NULL, f->p[0][0], &err), &err);
    if (f->p[0][0] != m0)
        refused(app_xa_declare(f->st, &other, pid, m0, NULL, &err), AG_ERR_DENIED, &err, "本人");
    for (size_t i = 0; i < json_array_size(team); i++)
        must(app_xa_declare(
                 f->st, &f->admin, pid,
                 json_integer_value(json_object_get(json_array_get(team, i), "person_id")), NULL,
                 &err),
             &err);
    refused(app_xa_declare(f->st, &f->admin, pid, m0, NULL, &err), AG_ERR_EXISTS, &err, "已签署");
    /* now only the records of 审前 are missing */
    ag_err rc = app_audit_advance(f->st, &f->admin, pid, NULL, &err);
    assert_int_equal(rc, AG_ERR_INPUT);
    assert_null(strstr(err.zh, "回避声明"));
    json_decref(r);
    r = show(f, true);
    x = json_array_get(json_object_get(r, "assignments"), 0);
    assert_true(json_is_true(json_object_get(x, "declared")));
    assert_string_equal(json_string_value(json_object_get(r, "state")), "published");
    json_decref(r);
    /* the next round repeats no pair of this one */
    json_t *prev = show(f, false);
    plan(f, "2027年交叉互审", 2027, 5);
    json_t *next = NULL;
    must(app_xa_show(f->st, "2027年交叉互审", 0, false, &next, &err), &err);
    for (int i = 0; i < 6; i++)
        assert_string_not_equal(auditor_of(prev, f->u[i]), auditor_of(next, f->u[i]));
    json_decref(prev);
    json_decref(next);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_plan_stored_and_reproducible, setup, teardown),
        cmocka_unit_test_setup_teardown(test_infeasible_writes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_edit_rechecked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_former_unit_from_history, setup, teardown),
        cmocka_unit_test_setup_teardown(test_publish_and_declarations, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
