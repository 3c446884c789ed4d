/* scan.h - running the rule catalog over a snapshot, in parallel, deterministically. */
#ifndef AG_ENGINE_SCAN_H
#define AG_ENGINE_SCAN_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/rules.h"
#include "engine/snapshot.h"
#include "util/calendar.h"
#include "util/error.h"

#define ENG_NO_ROW        UINT32_MAX
#define ENG_EVIDENCE_ROWS 8

/* One warning, kept small during the scan; its JSON (message, evidence) is
 * made on output from the rows it points at. */
typedef struct eng_warning {
    uint16_t rule; /* index in the catalog */
    uint32_t unit; /* index in the snapshot's units */
    uint32_t row;  /* anchor row (date, voucher, line), ENG_NO_ROW for unit-year warnings */
    int16_t year;
    int32_t date;   /* day number the warning is dated */
    int64_t amount; /* fen */
    int64_t num[4]; /* primitive-specific figures (see prim.c) */
    int32_t aux;    /* primitive-specific small value (a missing number, a kind) */
    uint32_t rows[ENG_EVIDENCE_ROWS]; /* evidence rows */
    uint8_t nrows;
    uint32_t nrelated; /* all related rows, of which `rows` are the first */
} eng_warning;

typedef struct eng_result {
    eng_warning *w;
    size_t n;
    double seconds;
} eng_result;

/* Runs every rule of the catalog over the snapshot with `threads` workers
 * (0: one per core). The warnings come out sorted by unit, date, voucher,
 * line and rule, the same whatever the thread count. Rule filters are
 * compiled once; a bad filter is AG_ERR_INPUT naming the rule and position. */
ag_err eng_scan(const eng_snapshot *s, const eng_catalog *c, const ag_calendar *cal, int threads,
                eng_result *out, ag_error *err);
void eng_result_release(eng_result *r);

/* The warning as the JSON object of DESIGN.md §5: item, rule, severity,
 * unit, date, voucher ("type-number"), line, amount (decimal string),
 * message (Chinese), evidence, catalog_version, fingerprint. New reference. */
json_t *eng_warning_json(const eng_snapshot *s, const eng_catalog *c, const ag_calendar *cal,
                         const eng_warning *w);

/* A stable identity for a warning (rule, unit, year, period, voucher, line,
 * aux): the same finding on a rescan has the same fingerprint. 65 bytes. */
void eng_warning_fingerprint(const eng_snapshot *s, const eng_catalog *c, const eng_warning *w,
                             char out[65]);

/* The ENG_OPT_* columns the catalog's filters refer to. */
unsigned eng_catalog_columns(const eng_catalog *c);

#endif
