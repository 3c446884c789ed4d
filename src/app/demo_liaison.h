/* demo_liaison.h (app) - the demo district's contact and visit log (issue 14 §5). */
#ifndef AG_APP_DEMO_LIAISON_H
#define AG_APP_DEMO_LIAISON_H

#include <stdint.h>

#include "store/store.h"
#include "util/error.h"

/* Logs, as of today, a recent contact and a visit of the last quarter for
 * every unit of the demo district but two, whose cadence slipped: the first
 * unit (by code) of cell S01, the demo liaison's, last contacted 45 days ago,
 * and the first of cell D01, the demo supervisor's, last visited 120 days
 * ago; and writes their reminders to 提醒. Deterministic for the seed; one
 * transaction. */
ag_err app_demo_liaison(ag_store *st, uint64_t seed, ag_error *err);

#endif
