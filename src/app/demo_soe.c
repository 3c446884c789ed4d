/* demo_soe.c (app) - the demo's chief auditors, internal-audit set-ups and training sessions. */
#include "app/demo_soe.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "domain/grid.h"
#include "domain/iabody.h"
#include "domain/soe.h"
#include "domain/training.h"
#include "domain/wf_query.h"
#include "util/rng.h"
#include "util/banned.h"

/* Compound surnames, so that no added person shares a name with a payee of the generated books. */
static const char *const SURNAMES[] = {"欧阳", "司马", "诸葛", "上官", "慕容",
                                       "皇甫", "公孙", "令狐", "东方", "尉迟"};
static const char *const GIVEN[] = {"明", "华", "静", "磊", "婷", "涛", "敏", "勇", "洁", "峰",
                                    "琳", "斌", "霞", "军", "宁", "颖", "凯", "慧", "博", "岚"};

/* Adds a person of the unit with this title and gives its id. */
static ag_err add_person(ag_store *st, ag_rng *r, const char *unit, const char *title, int64_t *id,
                         ag_error *err)
{
    char name[32];
    snprintf(name, sizeof name, "%s%s%s", SURNAMES[ag_rng_below(r, 10)], GIVEN[ag_rng_below(r, 20)],
             GIVEN[ag_rng_below(r, 20)]);
    grid_person_in p = {name, unit, title, NULL, NULL, NULL};
    return grid_person_add(st, &p, id, err);
}

/* The first person holding role at unit (0 when none). */
static ag_err subject_of(ag_store *st, const char *unit, const char *role, int64_t *id,
                         ag_error *err)
{
    return wf_query_int(st, id, err,
                        "SELECT COALESCE(MIN(person_id), 0) FROM unit_subject WHERE unit_code = ?"
                        " AND role = ?",
                        "tt", unit, role);
}

static ag_err chief_auditors(ag_store *st, ag_rng *r, ag_error *err)
{
    json_t *groups = NULL;
    ag_err rc = soe_group_list(st, NULL, &groups, err);
    /* The group left without a chief auditor: the last one without subsidiaries. */
    size_t skip = json_array_size(groups);
    for (size_t i = 0; !rc && i < json_array_size(groups); i++)
        if (json_integer_value(json_object_get(json_array_get(groups, i), "subsidiaries")) == 0)
            skip = i;
    for (size_t i = 0; !rc && i < json_array_size(groups); i++) {
        if (i == skip)
            continue;
        const char *code = json_string_value(json_object_get(json_array_get(groups, i), "code"));
        int64_t person = 0;
        rc = subject_of(st, code, "chief_auditor", &person, err);
        if (!rc && !person)
            rc = add_person(st, r, code, "总审计师", &person, err);
        char date[16], doc[64];
        snprintf(date, sizeof date, "2025-%02d-%02d", 1 + (int)(i % 9), 5 + (int)(i * 3 % 20));
        snprintf(doc, sizeof doc, "南开国资任〔2025〕%d号", 11 + (int)i * 2);
        soe_chief_in in = {code, person, date, doc};
        if (!rc)
            rc = soe_chief_set(st, &in, err);
    }
    json_decref(groups);
    return rc;
}

/* Most units record their set-up; about one in eight does not, and some
 * lack a supervising leader or a working-group place. */
static ag_err ia_bodies(ag_store *st, ag_rng *r, ag_error *err)
{
    grid_unit_filter f = {false, NULL, NULL};
    json_t *units = NULL;
    ag_err rc = grid_unit_list(st, &f, &units, err);
    static const char *const titles[] = {"纪检委员", "组织人事干部", "财务负责人"};
    static const char *const areas[] = {"discipline", "personnel", "finance"};
    for (size_t i = 0; !rc && i < json_array_size(units); i++) {
        json_t *u = json_array_get(units, i);
        const char *code = json_string_value(json_object_get(u, "code"));
        const char *type = json_string_value(json_object_get(u, "type"));
        if (ag_rng_chance(r, 0.12))
            continue;
        iabody_member m[6];
        int n = 0;
        int64_t secretary = 0, principal = 0, auditor = 0, pid = 0;
        rc = add_person(st, r, code, "党组织书记", &secretary, err);
        m[n++] = (iabody_member){secretary, "leader"};
        for (int k = 0; !rc && k < 3; k++) {
            if (ag_rng_chance(r, 0.06))
                continue;
            rc = add_person(st, r, code, titles[k], &pid, err);
            m[n++] = (iabody_member){pid, areas[k]};
        }
        if (!rc)
            rc = subject_of(st, code, "auditor", &auditor, err);
        if (!rc && auditor)
            m[n++] = (iabody_member){auditor, "audit"};
        if (!rc)
            rc = subject_of(st, code, "principal", &principal, err);
        bool big = !strcmp(type, "国企") || !strcmp(type, "医院") || !strcmp(type, "机关");
        iabody_in in = {big || ag_rng_chance(r, 0.5), NULL, ag_rng_chance(r, 0.92) ? principal : 0,
                        m, n};
        in.body_name = in.independent ? (!strcmp(type, "国企") ? "审计部" : "审计科") : NULL;
        if (!rc)
            rc = iabody_set(st, code, &in, err);
    }
    json_decref(units);
    return rc;
}

/* One session and the internal auditors of the units of `type` (NULL: any,
 * each with chance p; pilot_only: the pilot units'), scored at a competition. */
static ag_err session(ag_store *st, ag_rng *r, const training_session_in *in, const char *type,
                      bool pilot_only, double p, ag_error *err)
{
    int64_t sid = 0;
    ag_err rc = training_session_add(st, in, &sid, err);
    ag_stmt *s = NULL;
    if (!rc)
        rc = wf_prep(st, &s, err,
                     "SELECT us.person_id FROM unit_subject us JOIN unit u ON u.code = us.unit_code"
                     " WHERE us.role IN ('auditor', 'chief_auditor') AND (? = '' OR u.type = ?)"
                     " AND (? = 0 OR u.pilot = 1) ORDER BY us.person_id",
                     "tti", type ? type : "", type ? type : "", (int64_t)pilot_only);
    int64_t ids[600];
    size_t n = 0;
    bool row = false;
    while (!rc && !(rc = store_step(s, &row, err)) && row && n < 600)
        ids[n++] = store_col_int(s, 0);
    store_finalize(s);
    for (size_t i = 0; !rc && i < n; i++) {
        if (!ag_rng_chance(r, p))
            continue;
        int64_t score = in->competition ? 600 + (int64_t)ag_rng_below(r, 396) : -1;
        rc = training_attend(st, sid, ids[i], score, err);
    }
    return rc;
}

static ag_err trainings(ag_store *st, ag_rng *r, ag_error *err)
{
    static const struct {
        training_session_in in;
        const char *type;
        bool pilot_only;
        double p;
    } plan[] = {
        {{"2025-11-20", "内部审计基本准则与实务指南解读", "国资", 30, false}, "国企", false, 0.9},
        {{"2026-03-18", "政府会计制度与预算执行审计", "财政", 60, false}, NULL, false, 0.55},
        {{"2026-04-22", "卫健系统专项资金审计实务", "卫健", 35, false}, "医院", false, 0.9},
        {{"2026-05-27", "教育系统经费使用与政府采购审计要点", "教育", 30, false},
         "学校",
         false,
         0.85},
        {{"2026-06-24", "国有企业“三重一大”决策与投资审计", "国资", 40, false}, "国企", false, 0.9},
        {{"2026-09-16", "全区内审岗位练兵技术比武", "审计", 80, true}, NULL, true, 0.8},
    };
    ag_err rc = AG_OK;
    for (size_t i = 0; !rc && i < sizeof plan / sizeof plan[0]; i++)
        rc = session(st, r, &plan[i].in, plan[i].type, plan[i].pilot_only, plan[i].p, err);
    return rc;
}

ag_err app_demo_soe(ag_store *st, uint64_t seed, ag_error *err)
{
    ag_rng r;
    ag_rng_seed(&r, seed ^ 0x50E50E50E5ull);
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = chief_auditors(st, &r, err);
    if (!rc)
        rc = ia_bodies(st, &r, err);
    if (!rc)
        rc = trainings(st, &r, err);
    return store_end(st, rc, err);
}
