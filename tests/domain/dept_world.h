/* dept_world.h - the small district the guidance and submission tests share (issue 14 §2): cells
 * D01 and S01, units A and B under D01 and C under S01, their people and the accounts acting. */
#ifndef AG_TEST_DEPT_WORLD_H
#define AG_TEST_DEPT_WORLD_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/catalog.h"
#include "domain/grid.h"
#include "util/uscc.h"
#include "../testutil.h"

typedef struct dept_world {
    ag_store *st;
    char path[1024];
    char ua[19], ub[19], uc[19];
    audit_actor admin, reviewer, leader_a, auditor_a, leader_b, leader_c, sup_d01, sup_s01, liaison;
} dept_world;

static inline void dept_code(const char *head, int n, char out[19])
{
    snprintf(out, 19, "%s120104MB%07d", head, n);
    out[17] = uscc_check_char(out);
    out[18] = '\0';
}

static inline audit_actor dept_actor(const char *role, const char *unit, const char *cell,
                                     int64_t person, const char *name)
{
    audit_actor a;
    ag_error err;
    memset(&a, 0, sizeof a);
    must(scope_init(&a.scope, role, unit, cell, person, &err), &err);
    a.name = name;
    return a;
}

static inline int64_t dept_person(dept_world *w, const char *name, const char *unit,
                                  const char *role)
{
    grid_person_in p = {name, unit, NULL, NULL, NULL, role};
    int64_t id = 0;
    ag_error err;
    must(grid_person_add(w->st, &p, &id, &err), &err);
    return id;
}

/* A fresh world as of 2026-03-02 (AUDITGRID_NOW). */
static inline int dept_setup(void **state)
{
    setenv("AUDITGRID_NOW", "2026-03-02", 1);
    dept_world *w = calloc(1, sizeof *w);
    ag_error err;
    ag_test_path(w->path, sizeof w->path, "dept.db");
    must(store_open(w->path, AG_STORE_CREATE, &w->st, &err), &err);
    must(grid_district_init(w->st, "120104", "天津市南开区", &err), &err);
    grid_cell_in cells[] = {{"D01", "dept", "区教育局", 0, 1}, {"S01", "street", "长虹街道", 0, 2}};
    for (int i = 0; i < 2; i++)
        must(grid_cell_add(w->st, &cells[i], &err), &err);
    dept_code("12", 1, w->ua);
    dept_code("12", 2, w->ub);
    dept_code("11", 3, w->uc);
    grid_unit_in units[] = {{w->ua, "第一中学", "学校", "D01", NULL, true, NULL},
                            {w->ub, "第二中学", "学校", "D01", NULL, false, NULL},
                            {w->uc, "长虹街道办事处", "街道", "S01", NULL, false, NULL}};
    for (int i = 0; i < 3; i++)
        must(grid_unit_add(w->st, &units[i], &err), &err);
    int64_t version = 0;
    must(catalog_install_default(w->st, &version, &err), &err);
    int64_t pa = dept_person(w, "王校长", w->ua, "principal");
    int64_t qa = dept_person(w, "李审计", w->ua, "auditor");
    int64_t pb = dept_person(w, "陈校长", w->ub, "principal");
    int64_t pc = dept_person(w, "孙主任", w->uc, "principal");
    int64_t pl = dept_person(w, "周网格员", NULL, NULL);
    must(grid_liaison_add(w->st, "D01", pl, &err), &err);
    w->admin = dept_actor("admin", NULL, NULL, 0, "user:admin");
    w->reviewer = dept_actor("reviewer", NULL, NULL, 0, "user:reviewer");
    w->leader_a = dept_actor("leader", w->ua, NULL, pa, "user:wang");
    w->auditor_a = dept_actor("auditor", w->ua, NULL, qa, "user:li");
    w->leader_b = dept_actor("leader", w->ub, NULL, pb, "user:chen");
    w->leader_c = dept_actor("leader", w->uc, NULL, pc, "user:sun");
    w->sup_d01 = dept_actor("supervisor", NULL, "D01", 0, "user:edu");
    w->sup_s01 = dept_actor("supervisor", NULL, "S01", 0, "user:street");
    w->liaison = dept_actor("liaison", NULL, "D01", pl, "user:zhou");
    *state = w;
    return 0;
}

static inline int dept_teardown(void **state)
{
    dept_world *w = *state;
    store_close(w->st);
    free(w);
    unsetenv("AUDITGRID_NOW");
    return 0;
}

/* Asserts a refusal with the expected code and that both languages speak. */
static inline void dept_refused(ag_err rc, ag_err want, const ag_error *err)
{
    if (rc != want)
        fail_msg("expected %s, got %s: %s", ag_err_name(want), ag_err_name(rc),
                 rc ? err->en : "(ok)");
    assert_true(err->zh[0] != '\0');
    assert_true(err->en[0] != '\0');
}

static inline int64_t dept_count(ag_store *st, const char *sql)
{
    int64_t n = -1;
    ag_error err;
    must(store_query_int(st, &n, &err, sql, NULL), &err);
    return n;
}

#endif
