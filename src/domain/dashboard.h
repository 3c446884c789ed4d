/* dashboard.h - the figures of the 一张网 dashboard, counted in the store over a user's scope. */
#ifndef AG_DASHBOARD_H
#define AG_DASHBOARD_H

#include <jansson.h>
#include <stdint.h>

#include "domain/scope.h"
#include "store/store.h"

/* The dashboard's figures over the units in `scope` (NULL: every unit):
 *
 *   {"month": "YYYY-MM", "units": N, "pilot_units": N,
 *    "open_warnings": {"total", "high", "medium", "low"},
 *    "imports_this_month": N,
 *    "by_item": [{"item", "kind", "name_zh", "name_en", "open", "total"}],
 *    "by_cell": [{"cell_id", "name", "kind", "units", "open", "total"}],
 *    "by_unit": [{"code", "open", "high", "medium", "low"}],
 *    "rectification": null}
 *
 * `now` (seconds since the epoch, normally ag_clock_now()) fixes the month:
 * the district's civil month (UTC+8) that holds it; imports_this_month
 * counts the ledger_source rows (every upload, replaced or not) whose
 * imported_at falls in it. by_item lists the items of the catalog in force
 * in catalog order, then any other item that has warnings; by_cell the
 * cells holding a unit in scope in grid order, then {"cell_id": null} for
 * units without a cell if there are any; by_unit every unit in scope by
 * code. "open" counts warnings with status open, "total" all of them.
 * "rectification" is reserved for the rectification figures (issue 7) and
 * is null until they exist. Caller owns *out. */
ag_err dashboard_get(ag_store *st, const ag_scope *scope, int64_t now, json_t **out, ag_error *err);

#endif
