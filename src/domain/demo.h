/* demo.h - a realistic synthetic district modelled on 天津市南开区, deterministic for a seed. */
#ifndef AG_DEMO_H
#define AG_DEMO_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define DEMO_PILOT_UNITS 30
#define DEMO_PASSWORD    "Nankai#2026"
/* The demo accounts: one per role and auditor2. */
#define DEMO_MAX_ACCOUNTS 8

/* What demo_build created, for the summary it prints. */
typedef struct demo_summary {
    int cells;
    int units;
    int pilot_units;
    int persons;
    int users;
    int64_t catalog_version;
    int64_t audits;         /* audit projects */
    int64_t rectifications; /* items of the rectification ledger */
    int64_t overdue;        /* of them overdue today */
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
 * catalog, one account per role (password DEMO_PASSWORD; leader, auditor and
 * chief linked to their persons) plus "auditor2", the internal auditor of a
 * pilot hospital; and the audit workflow: a closed special audit of the
 * auditor's school from the previous year, a cross audit (交叉互审) of the
 * school led by auditor2 in rectification with items closed, claimed, in
 * progress and overdue (escalated; one a 屡审屡犯 repeat), and a self-check
 * of a pilot institution in fieldwork. files_dir is where attachments are
 * stored (attach_dir_for of the database path). All in one transaction: on
 * failure nothing is written to the database. accounts receives up to
 * max_accounts entries (may be NULL). */
ag_err demo_build(ag_store *st, uint64_t seed, const char *files_dir, demo_summary *sum,
                  demo_account *accounts, size_t max_accounts, ag_error *err);

#endif
