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
 *    "rectification": {"not_closed", "open", "overdue", "claimed",
 *                      "continuous", "closed",
 *                      "by_unit": [{"code", "open", "overdue"}]}}
 *
 * `now` (seconds since the epoch, normally ag_clock_now()) fixes the month:
 * the district's civil month (UTC+8) that holds it; imports_this_month
 * counts the ledger_source rows (every upload, replaced or not) whose
 * imported_at falls in it. by_item lists the items of the catalog in force
 * in catalog order, then any other item that has warnings; by_cell the
 * cells holding a unit in scope in grid order, then {"cell_id": null} for
 * units without a cell if there are any; by_unit every unit in scope by
 * code. "open" counts warnings with status open, "total" all of them.
 * "rectification" holds the rectification ledger's counts (rectify_summary)
 * over the same units: "open" the items the unit still has to finish
 * (未整改 and 整改中), "overdue" those of them past their deadline as of
 * today (ag_clock_today, not `now`), "claimed" 已整改 awaiting verification,
 * "continuous" 持续整改, "closed" 已销号, "not_closed" (未销号) = open +
 * claimed + continuous; its by_unit lists, by code, every unit in scope
 * that has an item, with its open and overdue counts. issue 14 §3–§4 (soe)
 * adds "soe_without_chief" and "ia_missing" (soe_dashboard); issue 16 (report) adds "reports":
 * {late, queue, returned, due_soon} (report_figures). Caller owns *out. */
ag_err dashboard_get(ag_store *st, const ag_scope *scope, int64_t now, json_t **out, ag_error *err);

#endif
