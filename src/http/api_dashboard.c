/* api_dashboard.c - the 一张网 dashboard's figures in one scoped, cacheable document. */
#include "http/api.h"

#include "domain/dashboard.h"
#include "util/clock.h"
#include "util/banned.h"

ag_err api_dashboard(http_req *r, ag_error *err)
{
    json_t *d = NULL;
    ag_err rc = dashboard_get(http_store(r), &http_user(r)->scope, ag_clock_now(), &d, err);
    if (rc)
        return rc;
    hj_value(http_out(r), d);
    json_decref(d);
    return AG_OK;
}
