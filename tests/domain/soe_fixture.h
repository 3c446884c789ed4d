/* soe_fixture.h - the small grid the tests of soe.c, iabody.c and training.c share: two SOE
 * groups (G1 with two subsidiaries, G2 alone), a school, their people and actors. Include after
 * <cmocka.h> and testutil.h. */
#ifndef AG_TEST_SOE_FIXTURE_H
#define AG_TEST_SOE_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/catalog.h"
#include "domain/grid.h"
#include "util/uscc.h"

enum { G1, G1S1, G1S2, G2, SCH, NUNITS };

typedef struct soe_world {
    ag_store *st;
    char code[NUNITS][19];
    int64_t principal[NUNITS], auditor[NUNITS];
    int64_t chief;  /* a person of G1, not yet its chief auditor */
    int64_t chief2; /* another person of G1 */
    audit_actor admin;
} soe_world;

static inline audit_actor soe_actor(const char *role, const char *unit, int64_t person,
                                    const char *name)
{
    audit_actor a;
    ag_error err;
    memset(&a, 0, sizeof a);
    must(scope_init(&a.scope, role, unit, NULL, person, &err), &err);
    a.name = name;
    return a;
}

static inline void soe_person(soe_world *w, int unit, const char *name, const char *role,
                              int64_t *id)
{
    ag_error err;
    grid_person_in p = {name, w->code[unit], NULL, NULL, NULL, role};
    must(grid_person_add(w->st, &p, id, &err), &err);
}

static inline soe_world *soe_world_new(const char *db)
{
    soe_world *w = calloc(1, sizeof *w);
    ag_error err;
    int64_t version = 0;
    w->st = ag_test_fresh_db(db);
    must(grid_init(w->st, "120104", "天津市南开区", &version, &err), &err);
    grid_cell_in d01 = {"D01", "dept", "区教育局", 0, 1}, d22 = {"D22", "soe", "区国资委", 0, 2};
    must(grid_cell_add(w->st, &d01, &err), &err);
    must(grid_cell_add(w->st, &d22, &err), &err);
    static const char *const names[NUNITS] = {"城投集团", "城投置业", "城投物业", "供热公司",
                                              "第一中学"};
    for (int i = 0; i < NUNITS; i++) {
        snprintf(w->code[i], 19, "%s120104%s%07d", i == SCH ? "12" : "91", i == SCH ? "MB" : "MA",
                 i + 1);
        w->code[i][17] = uscc_check_char(w->code[i]);
        w->code[i][18] = '\0';
        bool sub = i == G1S1 || i == G1S2;
        grid_unit_in u = {w->code[i],
                          names[i],
                          i == SCH ? "学校" : "国企",
                          i == SCH ? "D01" : "D22",
                          sub ? w->code[G1] : NULL,
                          false,
                          NULL};
        must(grid_unit_add(w->st, &u, &err), &err);
        soe_person(w, i, "负责人", "principal", &w->principal[i]);
        soe_person(w, i, "内审员", "auditor", &w->auditor[i]);
    }
    soe_person(w, G1, "总审计师甲", NULL, &w->chief);
    soe_person(w, G1, "总审计师乙", NULL, &w->chief2);
    w->admin = soe_actor("admin", NULL, 0, "user:admin");
    return w;
}

static inline void soe_world_free(soe_world *w)
{
    store_close(w->st);
    free(w);
}

#endif
