/* api_scan.c - the bureau rescans a unit from the browser (issue 13 §2): POST starts the scan on
 * the long-job worker and answers when it is recorded; GET tells another request where it is. */
#include "http/api.h"

#include <stdio.h>
#include <string.h>

#include "app/scan.h"
#include "util/clock.h"
#include "util/banned.h"

/* A second scan of the unit while one runs is refused before it is queued. */
static ag_err refuse_running(const char *code, ag_error *err)
{
    return ag_fail(err, AG_ERR_EXISTS, "unit", "单位 %s 正在重新扫描，请等它完成后再试",
                   "unit %s is being rescanned; wait for it to finish and try again", code);
}

/* On the request thread, before the request is queued: no store here, only the
 * in-process state (the handler checks the unit). */
ag_err api_unit_scan_before(http_req *r, ag_error *err)
{
    const char *code = http_param(r, "code");
    return app_scan_running(code) ? refuse_running(code, err) : AG_OK;
}

ag_err api_unit_scan(http_req *r, ag_error *err)
{
    const char *code = http_param(r, "code");
    ag_err rc = api_unit_in_scope(r, code, err);
    if (rc)
        return rc;
    app_scan_req req = {.unit_code = code, .threads = 2};
    app_scan_stats st;
    rc = app_scan_run(http_store(r), &req, &st, err);
    if (rc == AG_ERR_EXISTS)
        return refuse_running(code, err);
    if (rc)
        return rc;
    json_t *o =
        json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:f}", "unit_code", code, "run_id",
                  (json_int_t)st.run_id, "rows", (json_int_t)st.rows, "vouchers",
                  (json_int_t)st.vouchers, "warnings", (json_int_t)st.warnings, "new_warnings",
                  (json_int_t)st.new_warnings, "seconds", st.load_seconds + st.rule_seconds);
    if (!o)
        return ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    api_reply_json(r, 200, o);
    return AG_OK;
}

ag_err api_unit_scan_status(http_req *r, ag_error *err)
{
    const char *code = http_param(r, "code");
    ag_err rc = api_unit_in_scope(r, code, err);
    json_t *last = NULL;
    if (!rc)
        rc = app_scan_last(http_store(r), code, &last, err);
    if (rc)
        return rc;
    app_scan_state s;
    app_scan_status(code, &s);
    char at[21];
    ag_clock_format(s.started, at);
    json_t *o = json_pack("{s:s,s:b,s:o,s:o,s:o}", "unit_code", code, "running", s.running, "phase",
                          s.running ? json_string(s.phase) : json_null(), "started_at",
                          s.running ? json_string(at) : json_null(), "last", last);
    if (!o)
        return ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    api_reply_json(r, 200, o);
    return AG_OK;
}
