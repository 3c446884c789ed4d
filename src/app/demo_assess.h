/* demo_assess.h (app) - the demo district's performance assessment (issue 15 §2). */
#ifndef AG_APP_DEMO_ASSESS_H
#define AG_APP_DEMO_ASSESS_H

#include <stdint.h>

#include "store/store.h"
#include "util/error.h"

/* Into a demo district just built, in one transaction, deterministically: the 2025 assessment
 * of the pilot units (by code) through self → dept → bureau and published: a competition prize
 * (B1) for every third unit, the fifth unit with a prize and a case referred whose bonus is
 * capped at 5, the eighth's prize lowered by its department with a reason, the eleventh's
 * falsified data penalised by the bureau (P1 −5); ties in the ranking come from equal data.
 * 2026 is left open: drafts of the demo leader's unit and of auditor2's unit, one unit of cell
 * D01 submitted (waiting for the demo supervisor) and one reviewed by its department. */
ag_err app_demo_assess(ag_store *st, uint64_t seed, ag_error *err);

#endif
