/* demo_liaison.c (app) - the demo district's contact and visit log: every unit looked after on
 * cadence but two (issue 14 §5). */
#include "app/demo_liaison.h"

#include <stdio.h>
#include <string.h>

#include "domain/grid.h"
#include "domain/liaison.h"
#include "util/clock.h"
#include "util/date.h"
#include "util/rng.h"
#include "util/banned.h"

static const char *const NOTES[] = {
    "了解内审制度建设和内审人员配备情况", "督促落实上轮审计整改",   "提示预警信息的核实与处理",
    "指导年度内部审计计划编制",           "核对“三重一大”决策记录", "检查资金支付审批流程执行情况"};
static const char *const FOLLOWUPS[] = {NULL, "两周内报送整改进展", NULL, "补齐内审工作台账", NULL};

/* One entry of unit u, days_ago days before today. */
static ag_err log_one(ag_store *st, const audit_actor *a, json_t *u, const char *kind, int days_ago,
                      ag_rng *r, ag_error *err)
{
    char date[11];
    ag_date_format(ag_clock_today() - days_ago, date);
    json_t *p = json_object_get(u, "principal");
    const char *person = json_string_value(json_object_get(p, "name"));
    liaison_log_in in = {json_string_value(json_object_get(u, "code")),
                         date,
                         kind,
                         person ? person : "单位办公室",
                         NOTES[ag_rng_below(r, sizeof NOTES / sizeof NOTES[0])],
                         FOLLOWUPS[ag_rng_below(r, sizeof FOLLOWUPS / sizeof FOLLOWUPS[0])]};
    return liaison_log_add(st, a, &in, NULL, err);
}

/* The first unit of cell in the list (sorted by code), or NULL. */
static const char *first_of(json_t *units, const char *cell)
{
    const char *best = NULL;
    for (size_t i = 0; i < json_array_size(units); i++) {
        json_t *u = json_array_get(units, i);
        const char *c = json_string_value(json_object_get(u, "cell_id"));
        const char *code = json_string_value(json_object_get(u, "code"));
        if (c && !strcmp(c, cell) && (!best || strcmp(code, best) < 0))
            best = code;
    }
    return best;
}

ag_err app_demo_liaison(ag_store *st, uint64_t seed, ag_error *err)
{
    ag_rng r;
    ag_rng_seed(&r, seed ^ 0x6c6961697373u);
    const audit_actor a = {.scope = {.role = AG_ROLE_ADMIN}, .name = "system:demo"};
    grid_unit_filter f = {false, NULL, NULL};
    json_t *units = NULL;
    int64_t reminded = 0;
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = grid_unit_list(st, &f, &units, err);
    const char *late_contact = rc ? NULL : first_of(units, "S01");
    const char *late_visit = rc ? NULL : first_of(units, "D01");
    for (size_t i = 0; !rc && i < json_array_size(units); i++) {
        json_t *u = json_array_get(units, i);
        const char *code = json_string_value(json_object_get(u, "code"));
        if (!json_is_string(json_object_get(u, "cell_id")))
            continue;
        bool lc = late_contact && !strcmp(code, late_contact);
        bool lv = late_visit && !strcmp(code, late_visit);
        int visit = lv ? 120 : lc ? 45 : 20 + (int)ag_rng_below(&r, 60);
        int contact = lc ? 45 : 1 + (int)ag_rng_below(&r, 25);
        rc = log_one(st, &a, u, "visit", visit, &r, err);
        if (!rc && contact < visit)
            rc = log_one(st, &a, u, "contact", contact, &r, err);
    }
    json_decref(units);
    if (!rc)
        rc = liaison_remind(st, ag_clock_today(), &reminded, err);
    return store_end(st, rc, err);
}
