/* demo_crossaudit.c (app) - the demo district's published 2026 cross-audit round. */
#include "app/demo_crossaudit.h"

#include <stdio.h>
#include <string.h>

#include "app/crossaudit.h"
#include "domain/grid.h"
#include "util/clock.h"
#include "util/banned.h"

#define DEMO_ROUND "2026年交叉互审"

/* A deterministic name for the k-th added auditor. */
static void auditor_name(int k, char out[32])
{
    static const char *const family[] = {"周", "吴", "郑", "冯", "陈",
                                         "褚", "卫", "蒋", "沈", "韩"};
    static const char *const given[] = {"立新", "文静", "海燕", "建军", "秀英", "志强",
                                        "丽华", "国庆", "晓东", "春梅", "永刚", "玉兰"};
    snprintf(out, 32, "%s%s", family[k % 10], given[(k / 10 + k) % 12]);
}

typedef struct pilot {
    char code[24];
    int64_t auditors;
} pilot;

ag_err app_demo_crossaudit(ag_store *st, uint64_t seed, ag_error *err)
{
    pilot units[64];
    int n = 0;
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = store_prepare(st,
                              "SELECT u.code, (SELECT COUNT(*) FROM unit_subject us WHERE"
                              " us.unit_code = u.code AND us.role IN ('auditor', 'chief_auditor'))"
                              " FROM unit u WHERE u.pilot = 1 AND u.disabled = 0 ORDER BY u.code",
                              &s, err);
    while (!rc && !(rc = store_step(s, &row, err)) && row && n < 64) {
        snprintf(units[n].code, sizeof units[n].code, "%s", store_col_text(s, 0));
        units[n++].auditors = store_col_int(s, 1);
    }
    store_finalize(s);
    if (!rc)
        rc = store_begin(st, err);
    if (rc)
        return rc;
    /* teams of two need two internal auditors in every auditing unit */
    for (int i = 0, k = 0; !rc && i < n; i++)
        for (int64_t have = units[i].auditors; !rc && have < 2; have++) {
            char name[32];
            auditor_name(k++, name);
            grid_person_in p = {name, units[i].code, "内审专员", NULL, NULL, "auditor"};
            rc = grid_person_add(st, &p, NULL, err);
        }
    rc = store_end(st, rc, err);
    xa_round_in in = {DEMO_ROUND, 2026, "pilot",      2,           4, seed ? seed : 1,
                      NULL,       0,    "2026-04-01", "2026-06-30"};
    if (!rc)
        rc = app_xa_plan(st, &in, NULL, NULL, err);
    audit_actor admin;
    memset(&admin, 0, sizeof admin);
    admin.scope.role = AG_ROLE_ADMIN;
    admin.name = "user:admin";
    if (!rc)
        rc = app_xa_publish(st, &admin, DEMO_ROUND, NULL, err);
    json_t *r = NULL;
    if (!rc)
        rc = app_xa_show(st, DEMO_ROUND, 0, true, &r, err);
    /* the first third of the teams have signed their declarations */
    json_t *as = json_object_get(r, "assignments");
    for (size_t i = 0; !rc && i < json_array_size(as) / 3; i++) {
        json_t *x = json_array_get(as, i), *team = json_object_get(x, "team");
        int64_t pid = json_integer_value(json_object_get(x, "project_id"));
        for (size_t k = 0; !rc && k < json_array_size(team); k++)
            rc = app_xa_declare(
                st, &admin, pid,
                json_integer_value(json_object_get(json_array_get(team, k), "person_id")), NULL,
                err);
    }
    json_decref(r);
    /* the units read their notices when the round was published */
    bool began = !rc && !(rc = store_begin(st, err));
    int64_t ids[256];
    int nids = 0;
    if (!rc)
        rc = store_prepare(st, "SELECT id FROM notification WHERE round_id IS NOT NULL", &s, err);
    while (!rc && !(rc = store_step(s, &row, err)) && row && nids < 256)
        ids[nids++] = store_col_int(s, 0);
    store_finalize(s);
    char ts[21];
    ag_clock_format(ag_clock_now(), ts);
    for (int i = 0; !rc && i < nids; i++) {
        ag_field f[] = {ag_field_text("read_at", ts)};
        rc = store_update(st, "notification", "id", ag_field_int("id", ids[i]), f, 1, err);
    }
    if (rc && began)
        store_rollback(st);
    else if (began)
        rc = store_commit(st, err);
    return rc;
}
