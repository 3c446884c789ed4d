/* demo_soe.h (app) - the demo district's chief auditors, internal-audit bodies and training. */
#ifndef AG_APP_DEMO_SOE_H
#define AG_APP_DEMO_SOE_H

#include <stdint.h>

#include "store/store.h"
#include "util/error.h"

/* Into a demo district just built (demo_build), deterministically for seed,
 * in one transaction: a chief auditor appointed in every SOE group but one
 * (the last standalone group by code stays without, for the dashboard);
 * internal-audit bodies, supervising leaders and working groups in most
 * units, with some units left unrecorded or incomplete; and training
 * sessions of 2025 and 2026 (卫健, 教育, 国资, 财政 and a 岗位练兵技术比武
 * with scores) attended by the internal auditors. */
ag_err app_demo_soe(ag_store *st, uint64_t seed, ag_error *err);

#endif
