/* demo_rating.h (app) - the demo district's 0–5A grades (issue 15 §1). */
#ifndef AG_APP_DEMO_RATING_H
#define AG_APP_DEMO_RATING_H

#include <stdint.h>

#include "store/store.h"
#include "util/error.h"

/* Installs the default rubric and rates 2025 for the 30 pilot units: every
 * self-evaluation filed in March 2026 but one filed late (after 2026-03-31:
 * vetoed, grade 0), one with 建设项目 (B5) inapplicable, the bureau's review
 * in April with adjustments on a few, the deductions from the demo's own
 * findings, rectifications and internal-audit set-up; the year is published
 * today. Grades spread over 5A to 1A and 0. 2026 is left with three drafts.
 * Deterministic for the seed; one transaction. */
ag_err app_demo_rating(ag_store *st, uint64_t seed, ag_error *err);

#endif
