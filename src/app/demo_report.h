/* demo_report.h (app) - the demo district's four reports (四类报告, issue 16): 2026 plans, audit
 * and rectification reports of the demo's audits, 2025 work summaries; filed, returned, refiled,
 * late, accepted with the bureau's scores. */
#ifndef AG_APP_DEMO_REPORT_H
#define AG_APP_DEMO_REPORT_H

#include <stdint.h>

#include "store/store.h"
#include "util/error.h"

/* Writes the reports through the report use cases, each step as of the day it happened (this
 * thread's clock shifted, as the other demo steps do):
 * - 2026 annual plans (due 2026-01-31) of the 'leader' account's school (filed, accepted and
 *   scored), of auditor2's hospital (returned with comments, edited and refiled: in the bureau's
 *   queue), of a pilot SOE group with subsidiaries (filed late on 2026-02-16, accepted), of the
 *   self-check's unit (accepted), of the first other pilot of cell D01 (filed: the competent
 *   department's approval waits) and of the 'chief' account's group (a draft never filed: late);
 * - the audit and rectification reports of the earlier special audit (both accepted and scored,
 *   the audited unit's written response entered by the unit), the audit report of the cross
 *   audit (the response entered by the school's leader; filed, in the queue), its rectification
 *   report (filed after its due day: late) and a draft audit report of the self-check;
 * - 2025 work summaries (due 2026-01-31) of the school (accepted), the hospital (filed late,
 *   accepted), the self-check's unit (filed, in the queue).
 * The audited units enter their written responses (征求意见) themselves. Deterministic for the
 * seed (the reviewer's points and a few days); one transaction. */
ag_err app_demo_report(ag_store *st, uint64_t seed, ag_error *err);

#endif
