/* demo_assess.c (app) - the demo district's performance assessment: 2025 published, 2026 in
 * progress (issue 15 §2). */
#include "app/demo_assess.h"

#include <stdio.h>
#include <string.h>

#include "domain/assess.h"
#include "domain/grid.h"
#include "util/banned.h"

static const audit_actor ADMIN = {.scope = {.role = AG_ROLE_ADMIN}, .name = "system:demo"};

static const char *code_of(json_t *units, size_t i)
{
    return json_string_value(json_object_get(json_array_get(units, i), "code"));
}

/* The 2025 assessment of pilot unit i (of the list by code), through to the bureau's score. */
static ag_err year_2025(ag_store *st, json_t *units, size_t i, ag_error *err)
{
    const char *code = code_of(units, i);
    assess_item_in self[2];
    int n = 0;
    if (i % 3 == 0 || i == 4)
        self[n++] = (assess_item_in){"B1", i == 4 ? 3 : 2,
                                     i == 4 ? "获2025年全区内审岗位练兵技术比武一等奖"
                                            : "获2025年全区内审岗位练兵技术比武二等奖",
                                     NULL, 0};
    if (i == 4)
        self[n++] = (assess_item_in){"B2", 3, "内审发现的违规发放补贴问题线索移送区纪委监委并立案",
                                     NULL, 0};
    ag_err rc = assess_self_save(st, &ADMIN, code, 2025, self, n, err);
    if (!rc)
        rc = assess_self_submit(st, &ADMIN, code, 2025, err);
    assess_item_in dept = {"B1", 1, "获奖证书为三等奖，按考核办法计1分", NULL, 0};
    if (!rc)
        rc = assess_review(st, &ADMIN, code, 2025, "dept", &dept, i == 6 ? 1 : 0,
                           "经复核，自评情况属实", err);
    assess_item_in bureau = {"P1", -5, "2025年第三季度报送的整改台账数据与实际不符，经查实弄虚作假",
                             NULL, 0};
    if (!rc)
        rc = assess_review(st, &ADMIN, code, 2025, "bureau", &bureau, i == 10 ? 1 : 0,
                           i == 10 ? "数据造假，扣5分" : "审定", err);
    return rc;
}

/* The first unit of the list in cell, other than not (may be NULL); NULL when none. */
static const char *in_cell(json_t *units, const char *cell, const char * not )
{
    for (size_t i = 0; i < json_array_size(units); i++) {
        json_t *u = json_array_get(units, i);
        const char *c = json_string_value(json_object_get(u, "cell_id"));
        const char *code = code_of(units, i);
        if (c && !strcmp(c, cell) && (!not || strcmp(code, not )))
            return code;
    }
    return NULL;
}

/* The unit of a demo account ("leader", "auditor2"), into out ("" when none). */
static ag_err unit_of_account(ag_store *st, const char *user, char out[32], ag_error *err)
{
    ag_stmt *s = NULL;
    bool row = false;
    out[0] = '\0';
    ag_err rc = store_prepare_args(st, &s, err, "SELECT unit_code FROM app_user WHERE username = ?",
                                   "t", user);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row && store_col_text(s, 0))
        snprintf(out, 32, "%s", store_col_text(s, 0));
    store_finalize(s);
    return rc;
}

static ag_err year_2026(ag_store *st, json_t *units, ag_error *err)
{
    char leader[32], auditor2[32];
    ag_err rc = unit_of_account(st, "leader", leader, err);
    if (!rc)
        rc = unit_of_account(st, "auditor2", auditor2, err);
    assess_item_in b1 = {"B1", 2, "获2026年市内审业务知识竞赛团体二等奖", NULL, 0};
    if (!rc && *leader)
        rc = assess_self_save(st, &ADMIN, leader, 2026, &b1, 1, err);
    if (!rc && *auditor2)
        rc = assess_self_save(st, &ADMIN, auditor2, 2026, NULL, 0, err);
    const char *waiting = in_cell(units, "D01", *leader ? leader : NULL);
    const char *reviewed = NULL; /* a unit of another cell, not auditor2's */
    for (size_t i = 0; !rc && i < json_array_size(units) && !reviewed; i++) {
        const char *code = code_of(units, i);
        const char *c = json_string_value(json_object_get(json_array_get(units, i), "cell_id"));
        if (c && strcmp(c, "D01") && strcmp(code, auditor2))
            reviewed = code;
    }
    if (!rc && waiting)
        rc = assess_self_save(st, &ADMIN, waiting, 2026, NULL, 0, err);
    if (!rc && waiting)
        rc = assess_self_submit(st, &ADMIN, waiting, 2026, err);
    if (!rc && reviewed)
        rc = assess_self_submit(st, &ADMIN, reviewed, 2026, err);
    if (!rc && reviewed)
        rc = assess_review(st, &ADMIN, reviewed, 2026, "dept", NULL, 0, "自评属实", err);
    return rc;
}

ag_err app_demo_assess(ag_store *st, uint64_t seed, ag_error *err)
{
    (void)seed; /* the assessment follows the district's data; nothing random is needed */
    grid_unit_filter f = {true, NULL, NULL};
    json_t *units = NULL;
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = assess_rubric_ensure(st, NULL, err);
    if (!rc)
        rc = grid_unit_list(st, &f, &units, err);
    for (size_t i = 0; !rc && i < json_array_size(units); i++)
        rc = year_2025(st, units, i, err);
    if (!rc)
        rc = assess_publish(st, &ADMIN, 2025, err);
    if (!rc)
        rc = year_2026(st, units, err);
    json_decref(units);
    return store_end(st, rc, err);
}
