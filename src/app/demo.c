/* demo.c (app) - the demo district built in one go: district, books, scan. */
#include "app/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/demo_assess.h" /* issue 15 §2 (assess) */
#include "app/demo_crossaudit.h"
#include "app/demo_guidance.h"
#include "app/demo_liaison.h"
#include "app/demo_soe.h" /* issue 14 §3–§4 (soe) */
#include "app/demo_rating.h"
#include "app/demo_report.h" /* issue 16 (report) */
#include "app/scan.h"
#include "domain/grid.h"
#include "ledger/gen.h"
#include "ledger/import.h"
#include "util/banned.h"

/* Generates two years of books for every pilot unit and imports them. */
static ag_err demo_ledgers(ag_store *st, const char *dir, uint64_t seed, int64_t lines,
                           bool progress, json_t *summary, ag_error *err)
{
    grid_unit_filter f = {true, NULL, NULL};
    json_t *pilots = NULL;
    ag_err rc = grid_unit_list(st, &f, &pilots, err);
    if (rc)
        return rc;
    size_t n = json_array_size(pilots);
    ag_gen_unit *units = calloc(n ? n : 1, sizeof *units);
    if (!units) {
        json_decref(pilots);
        return ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        json_t *u = json_array_get(pilots, i);
        const char *type = json_string_value(json_object_get(u, "type"));
        units[i].code = json_string_value(json_object_get(u, "code"));
        units[i].name = json_string_value(json_object_get(u, "name"));
        units[i].chart = !strcmp(type, "国企") ? AG_CHART_ENTERPRISE : AG_CHART_GOV2019;
        units[i].admin = !strcmp(type, "机关") || !strcmp(type, "街道");
    }
    ag_gen_opts o = {seed, lines, 2024, 2, dir, progress && isatty(2)};
    ag_gen_result res;
    memset(&res, 0, sizeof res);
    if (progress)
        fprintf(stderr, "生成试点单位账套 generating the pilot units' ledgers → %s\n", dir);
    rc = ledger_gen_run(&o, units, n, &res, err);
    /* The units' staff lists become persons of the units (the payee check
     * compares payees with them). */
    char staff_path[4300];
    snprintf(staff_path, sizeof staff_path, "%s/staff.csv", dir);
    FILE *sf = rc ? NULL : fopen(staff_path, "r");
    int64_t staff = 0;
    char line[512];
    for (int ln = 0; sf && !rc && fgets(line, sizeof line, sf); ln++) {
        line[strcspn(line, "\r\n")] = '\0';
        char *name = strchr(line, ',');
        if (ln == 0 || !name)
            continue;
        *name++ = '\0';
        char *role = strchr(name, ',');
        if (role)
            *role++ = '\0';
        grid_person_in p = {name, line, role && *role ? role : "职工", NULL, NULL, NULL};
        rc = grid_person_add(st, &p, NULL, err);
        staff += !rc;
    }
    if (sf)
        fclose(sf);
    int64_t imported = 0, findings = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        for (int y = 2024; !rc && y < 2026; y++) {
            char path[4300];
            snprintf(path, sizeof path, "%s/%s-%d.csv", dir, units[i].code, y);
            ledger_import_opts io = {units[i].code, y,     "csv", NULL, NULL,
                                     false,         false, false, NULL};
            json_t *r = NULL;
            rc = ledger_import(st, path, &io, &r, err);
            if (!rc) {
                imported += json_integer_value(json_object_get(r, "lines"));
                findings += json_integer_value(json_object_get(r, "findings_total"));
            }
            json_decref(r);
        }
        if (progress && isatty(2))
            fprintf(stderr, "\r导入 importing %zu/%zu 单位 units", i + 1, n);
    }
    if (progress && isatty(2))
        fprintf(stderr, "\n");
    free(units);
    json_decref(pilots);
    json_object_set_new(summary, "ledger_dir", json_string(dir));
    json_object_set_new(summary, "ledger_lines", json_integer(imported));
    json_object_set_new(summary, "planted", json_integer(res.planted));
    json_object_set_new(summary, "import_findings", json_integer(findings));
    json_object_set_new(summary, "staff_persons", json_integer(staff));
    return rc;
}

static void demo_scan_progress(void *ctx, const char *phase, const char *zh, const char *en)
{
    (void)ctx;
    (void)zh;
    (void)en;
    if (!strcmp(phase, "load"))
        fprintf(stderr, "扫描预警 scanning for warnings…\n");
}

/* Scans the imported books and records the warnings: the use case `auditgrid scan` runs. */
static ag_err demo_scan(ag_store *st, bool progress, json_t *summary, ag_error *err)
{
    app_scan_req req = {.progress = progress ? demo_scan_progress : NULL};
    app_scan_stats r;
    ag_err rc = app_scan_run(st, &req, &r, err);
    if (!rc)
        json_object_set_new(summary, "warnings", json_integer((json_int_t)r.warnings));
    return rc;
}

ag_err app_demo_build(ag_store *st, const app_demo_req *req, demo_summary *sum,
                      demo_account *accounts, size_t max_accounts, json_t **ledgers, ag_error *err)
{
    json_t *books = json_object();
    ag_err rc = demo_build(st, req->seed, req->files_dir, sum, accounts, max_accounts, err);
    if (!rc) /* issue 14 §5 (liaison): the contact and visit log, two units slipped */
        rc = app_demo_liaison(st, req->seed, err);
    if (!rc) /* issue 14 §3–§4 (soe): chief auditors, internal-audit bodies, training */
        rc = app_demo_soe(st, req->seed, err);
    if (!rc) /* issue 14 §2 (dept): guidance opinions (one overdue), a supervision visit */
        rc = app_demo_guidance(st, req->seed, err);
    if (!rc && req->lines > 0) {
        rc = demo_ledgers(st, req->ledger_dir, req->seed, req->lines, req->progress, books, err);
        if (!rc)
            rc = demo_scan(st, req->progress, books, err);
    }
    /* issue 14 §1 (xaudit): the published 2026 cross-audit round, the last seeding step */
    if (!rc)
        rc = app_demo_crossaudit(st, req->seed, err);
    if (!rc) /* issue 15 §1 (rating): the 2025 grades, published; 2026 drafts */
        rc = app_demo_rating(st, req->seed, err);
    if (!rc) /* issue 15 §2 (assess): 2025 assessed and published, 2026 in progress */
        rc = app_demo_assess(st, req->seed, err);
    if (!rc) /* issue 16 (report): plans, audit and rectification reports, summaries */
        rc = app_demo_report(st, req->seed, err);
    if (ledgers)
        *ledgers = books;
    else
        json_decref(books);
    return rc;
}
