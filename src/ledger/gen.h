/* gen.h - a deterministic synthetic ledger generator for the demo and benchmarks. */
#ifndef AG_LEDGER_GEN_H
#define AG_LEDGER_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

/* Which chart of accounts a unit keeps (DESIGN.md §4). */
typedef enum ag_chart_profile {
    AG_CHART_GOV2019,   /* 政府会计制度: financial plus parallel budget accounting */
    AG_CHART_ENTERPRISE /* 企业会计准则, for state-owned enterprises (国企) */
} ag_chart_profile;

/* One unit to generate. The generator only reads it. */
typedef struct ag_gen_unit {
    const char *code;       /* 统一社会信用代码, 18 characters; names the output files */
    const char *name;       /* 单位名称 */
    ag_chart_profile chart; /* gov2019 or enterprise */
    bool admin;             /* gov2019 only: 行政单位 (机关) if true, else 事业单位 */
} ag_gen_unit;

/* Options. Zero fields take the defaults given. */
typedef struct ag_gen_opts {
    uint64_t seed;       /* same seed and units give byte-identical files */
    int64_t total_lines; /* voucher lines over all units and years; default 1,000,000 */
    int first_year;      /* default 2024 */
    int years;           /* default 2 */
    const char *out_dir; /* required; created (with parents) if missing */
    int progress;        /* non-zero: one progress line per unit on stderr */
} ag_gen_opts;

/* What a run wrote. */
typedef struct ag_gen_result {
    int64_t lines;    /* voucher lines over all unit-year files */
    int64_t vouchers; /* vouchers over all unit-year files */
    int64_t planted;  /* planted irregularities (cases; a case may span rows) */
    int64_t gt_rows;  /* rows of ground_truth.csv */
    int64_t bytes;    /* bytes written over all files */
    int files;        /* files written, ground_truth.csv and staff.csv included */
} ag_gen_result;

/* Bounds. */
#define AG_GEN_MAX_UNITS 100000
#define AG_GEN_MAX_LINES ((int64_t)1000000000)
#define AG_GEN_MAX_YEARS 20

/* Writes into o->out_dir, for every unit and fiscal year, the canonical
 * voucher-line CSV `<unit_code>-<year>.csv`, then `staff.csv` (unit_code,
 * name, role) and `ground_truth.csv` (every planted irregularity, see
 * docs/ledger-generator.md). Each file is written under a temporary name
 * and renamed when complete, so an interrupted run leaves no partial file
 * under a final name. Memory stays bounded whatever total_lines is.
 * Errors: AG_ERR_USAGE for bad options or units (a unit code that is not a
 * valid credit code, a repeated code, ...), AG_ERR_IO for file trouble.
 * `res` may be NULL. */
ag_err ledger_gen_run(const ag_gen_opts *o, const ag_gen_unit *units, size_t n_units,
                      ag_gen_result *res, ag_error *err);

/* Makes n synthetic units for benchmarks and the demo: valid credit codes in
 * division 120104 (天津市南开区), about 45% 行政单位, 35% 事业单位 and 20%
 * enterprises, names to match; deterministic in seed. On success *out is
 * one allocation holding the array and its strings: free it with
 * ledger_gen_free_units. */
ag_err ledger_gen_make_units(size_t n, uint64_t seed, ag_gen_unit **out, ag_error *err);
void ledger_gen_free_units(ag_gen_unit *units);

#endif
