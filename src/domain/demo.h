/* demo.h - a realistic synthetic district modelled on 天津市南开区, deterministic for a seed. */
#ifndef AG_DEMO_H
#define AG_DEMO_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define DEMO_PILOT_UNITS 30
#define DEMO_PASSWORD    "Nankai#2026"

/* What demo_build created, for the summary it prints. */
typedef struct demo_summary {
    int cells;
    int units;
    int pilot_units;
    int persons;
    int users;
    int64_t catalog_version;
} demo_summary;

/* The demo accounts, one per role: username, role, what it is scoped to. */
typedef struct demo_account {
    char username[32];
    char role[16];
    char scope[200];
} demo_account;

/* Fills an empty, initialised-by-this-call database: district 120104, 34 grid
 * cells (22 competent departments incl. the SOE regulator, 12 streets),
 * about 150 units with valid credit codes (30 pilot units), principal
 * leaders, internal auditors, chief auditors, grid liaisons, the default
 * catalog and one account per role (password DEMO_PASSWORD). All in one
 * transaction: on failure nothing is written. accounts receives up to
 * max_accounts entries (may be NULL). */
ag_err demo_build(ag_store *st, uint64_t seed, demo_summary *sum, demo_account *accounts,
                  size_t max_accounts, ag_error *err);

#endif
