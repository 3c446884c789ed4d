/* scan.c (app) - scanning the stored books and recording the warnings, once for the CLI, the server
 * and the demo. */
#include "app/scan.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "domain/warnings.h"
#include "engine/rules.h"
#include "engine/scan.h"
#include "engine/snapshot.h"
#include "util/calendar.h"
#include "util/clock.h"
#include "util/banned.h"

const char *const app_scan_items[APP_SCAN_ITEMS] = {"F01", "F02", "F03", "F04", "F05", "F06", "F07",
                                                    "F08", "F09", "F10", "F11", "F12", "F13", "K1",
                                                    "K2",  "K3",  "K4",  "K5",  "K6",  "K7"};

/* The scans running in this process, by unit ("" the district). A few at a
 * time at most: the server runs one per unit, the CLI one. */
#define RUNNING_MAX 16
static pthread_mutex_t running_mu = PTHREAD_MUTEX_INITIALIZER;
static char running[RUNNING_MAX][32];
static bool running_used[RUNNING_MAX];
static app_scan_state running_state[RUNNING_MAX];

static bool same_unit(const char *slot, const char *unit_code)
{
    return strcmp(slot, unit_code ? unit_code : "") == 0;
}

/* Takes the unit's slot: AG_ERR_EXISTS when a scan of it runs already. */
static ag_err running_take(const char *unit_code, int *slot, ag_error *err)
{
    if (unit_code && strlen(unit_code) >= sizeof running[0])
        return ag_fail(err, AG_ERR_INPUT, "unit", "单位代码过长", "the unit code is too long");
    ag_err rc = AG_OK;
    pthread_mutex_lock(&running_mu);
    int free_slot = -1;
    for (int i = 0; i < RUNNING_MAX && !rc; i++) {
        if (!running_used[i]) {
            if (free_slot < 0)
                free_slot = i;
        } else if (same_unit(running[i], unit_code)) {
            rc = unit_code ? ag_fail(err, AG_ERR_EXISTS, "unit", "单位 %s 正在扫描，请等它完成",
                                     "unit %s is being scanned; wait until it is done", unit_code)
                           : ag_fail(err, AG_ERR_EXISTS, "unit", "全区正在扫描，请等它完成",
                                     "the district is being scanned; wait until it is done");
        }
    }
    if (!rc && free_slot < 0)
        rc = ag_fail(err, AG_ERR_EXISTS, "unit", "同时进行的扫描过多，请稍后再试",
                     "too many scans at once; try again later");
    if (!rc) {
        running_used[free_slot] = true;
        memcpy(running[free_slot], unit_code ? unit_code : "",
               strlen(unit_code ? unit_code : "") + 1);
        app_scan_state *state = &running_state[free_slot];
        memset(state, 0, sizeof *state);
        state->running = true;
        memcpy(state->phase, "start", sizeof "start");
        state->started = ag_clock_now();
        *slot = free_slot;
    }
    pthread_mutex_unlock(&running_mu);
    return rc;
}

static void running_give(int slot)
{
    pthread_mutex_lock(&running_mu);
    running_used[slot] = false;
    pthread_mutex_unlock(&running_mu);
}

bool app_scan_running(const char *unit_code)
{
    bool found = false;
    pthread_mutex_lock(&running_mu);
    for (int i = 0; i < RUNNING_MAX && !found; i++)
        found = running_used[i] && same_unit(running[i], unit_code);
    pthread_mutex_unlock(&running_mu);
    return found;
}

void app_scan_status(const char *unit_code, app_scan_state *out)
{
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&running_mu);
    for (int i = 0; i < RUNNING_MAX; i++)
        if (running_used[i] && same_unit(running[i], unit_code))
            *out = running_state[i];
    pthread_mutex_unlock(&running_mu);
}

static void set_phase(int slot, const char *phase)
{
    pthread_mutex_lock(&running_mu);
    snprintf(running_state[slot].phase, sizeof running_state[slot].phase, "%s", phase);
    pthread_mutex_unlock(&running_mu);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void phase(const app_scan_req *req, int slot, const char *name, const char *zh,
                  const char *en)
{
    set_phase(slot, name);
    if (req->progress)
        req->progress(req->progress_ctx, name, zh, en);
}

ag_err app_scan_run(ag_store *st, const app_scan_req *req, app_scan_stats *out, ag_error *err)
{
    memset(out, 0, sizeof *out);
    int slot = -1;
    ag_err rc = running_take(req->unit_code, &slot, err);
    if (rc)
        return rc;
    eng_catalog *cat = NULL;
    ag_calendar *cal = NULL;
    eng_snapshot *s = NULL;
    eng_result res = {0};
    json_t *arr = NULL;
    rc = req->catalog_path ? eng_catalog_load_file(req->catalog_path, &cat, err)
                           : eng_catalog_load_default(&cat, err);
    if (!rc)
        rc = calendar_load_default(&cal, err);
    if (rc)
        goto out;
    phase(req, slot, "load", "读取账套", "loading the books");
    eng_load_opts lo = {eng_catalog_columns(cat), req->threads, req->unit_code, false};
    double t0 = now_s();
    rc = eng_snapshot_from_store(st, req->unit_code, req->year, &lo, &s, err);
    out->load_seconds = now_s() - t0;
    if (rc)
        goto out;
    phase(req, slot, "rules", "运行规则", "running the rules");
    rc = eng_scan(s, cat, cal, req->threads, &res, err);
    if (rc)
        goto out;
    out->rule_seconds = res.seconds;
    out->rows = s->rows;
    out->units = s->nunits;
    out->vouchers = s->nvouchers;
    out->warnings = res.n;
    for (size_t k = 0; k < res.n; k++)
        for (int i = 0; i < APP_SCAN_ITEMS; i++)
            if (!strcmp(cat->rules[res.w[k].rule].item, app_scan_items[i]))
                out->by_item[i]++;
    phase(req, slot, "record", "记录预警", "recording the warnings");
    arr = json_array();
    if (!arr) {
        rc = ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
        goto out;
    }
    for (size_t i = 0; i < res.n; i++)
        if (json_array_append_new(arr, eng_warning_json(s, cat, cal, &res.w[i]))) {
            rc = ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
            goto out;
        }
    warnings_run run = {req->unit_code, req->year, cat->version, (int64_t)s->rows,
                        out->load_seconds + out->rule_seconds};
    rc = warnings_record(st, &run, arr, &out->new_warnings, &out->run_id, err);
out:
    json_decref(arr);
    eng_result_release(&res);
    eng_snapshot_free(s);
    eng_catalog_free(cat);
    calendar_free(cal);
    running_give(slot);
    return rc;
}

ag_err app_scan_last(ag_store *st, const char *unit_code, json_t **out, ag_error *err)
{
    *out = NULL;
    ag_stmt *s = NULL;
    ag_err rc =
        store_prepare(st,
                      unit_code ? "SELECT id, started_at, rows, warnings, new_warnings, seconds"
                                  " FROM scan_run WHERE unit_code = ? ORDER BY id DESC LIMIT 1"
                                : "SELECT id, started_at, rows, warnings, new_warnings, seconds"
                                  " FROM scan_run WHERE unit_code IS NULL ORDER BY id DESC"
                                  " LIMIT 1",
                      &s, err);
    if (!rc && unit_code)
        rc = store_bind_text(s, 1, unit_code);
    bool row = false;
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row) {
        const char *at = store_col_text(s, 1), *secs = store_col_text(s, 5);
        *out =
            json_pack("{s:I,s:s,s:I,s:I,s:I,s:f}", "run_id", (json_int_t)store_col_int(s, 0),
                      "started_at", at ? at : "", "rows", (json_int_t)store_col_int(s, 2),
                      "warnings", (json_int_t)store_col_int(s, 3), "new_warnings",
                      (json_int_t)store_col_int(s, 4), "seconds", secs ? strtod(secs, NULL) : 0.0);
        if (!*out)
            rc = ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    } else if (!rc) {
        *out = json_null();
    }
    store_finalize(s);
    return rc;
}
