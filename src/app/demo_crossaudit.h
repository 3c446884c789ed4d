/* demo_crossaudit.h (app) - the demo district's published 2026 cross-audit round (交叉互审). */
#ifndef AG_APP_DEMO_CROSSAUDIT_H
#define AG_APP_DEMO_CROSSAUDIT_H

#include <stdint.h>

#include "store/store.h"
#include "util/error.h"

/* Gives every pilot unit at least two internal auditors (new persons, subject 'auditor'),
 * plans the round "2026年交叉互审" over the pilot units with seed, publishes it as the bureau's
 * admin (the units' notices read) and has the teams of the first third of its projects sign
 * their 回避声明. */
ag_err app_demo_crossaudit(ag_store *st, uint64_t seed, ag_error *err);

#endif
