/* demo_guidance.h (app) - the demo district's guidance opinions, submissions and a supervision
 * visit (issue 14 §2). */
#ifndef AG_APP_DEMO_GUIDANCE_H
#define AG_APP_DEMO_GUIDANCE_H

#include <stdint.h>

#include "store/store.h"
#include "util/error.h"

/* As of today, from the departments of cells D01 (区教育局, the demo supervisor's) and D02 to
 * their first units by code: an opinion answered by every unit, one with a unit that has not
 * replied past its due date (the ONE overdue opinion, reminded in 提醒), one to every unit of D01
 * still open; a supervision visit of D01 to its first unit with one finding, which becomes a
 * rectification item of the unit's standing ledger; a quarterly report filed to D01 awaiting
 * decision. Deterministic; each step its own use case. */
ag_err app_demo_guidance(ag_store *st, uint64_t seed, ag_error *err);

#endif
