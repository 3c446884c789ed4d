/* snapshot.h - ledgers as immutable column arrays, shared read-only by the scan's threads. */
#ifndef AG_ENGINE_SNAPSHOT_H
#define AG_ENGINE_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/dict.h"
#include "ledger/chart.h"
#include "store/store.h"
#include "util/error.h"

/* Per-row flags derived at load time from the unit's chart profile. */
enum {
    ENG_F_PAYMENT = 1u << 0,   /* credits a cash or bank role account (DESIGN.md §4) */
    ENG_F_CASH = 1u << 1,      /* the payment is in cash: 库存现金 or settle type 现金 */
    ENG_F_EXPENSE = 1u << 2,   /* debit-side expense account (费用 / 成本费用) */
    ENG_F_OTHER_RCV = 1u << 3, /* other receivables (其他应收款) */
    ENG_F_VOID = 1u << 4       /* the line is voided (作废) */
};

/* A unit in the snapshot. */
typedef struct eng_unit {
    uint32_t code; /* dict id of the unit code */
    const chart_profile *chart;
    uint32_t *staff; /* sorted dict ids of staff names (may be empty) */
    size_t nstaff;
} eng_unit;

/* A voucher: rows voucher_rows[first .. first + nrows) in line order. */
typedef struct eng_voucher {
    uint32_t first;
    uint32_t nrows;
} eng_voucher;

/* Optional text columns, loaded only when a rule filter refers to them. */
enum {
    ENG_OPT_SUMMARY = 1u << 0,
    ENG_OPT_ACCOUNT_NAME = 1u << 1,
    ENG_OPT_DEPT = 1u << 2,
    ENG_OPT_PROJECT = 1u << 3,
    ENG_OPT_FUNC_CLASS = 1u << 4,
    ENG_OPT_ECON_CLASS = 1u << 5,
    ENG_OPT_FUND_TYPE = 1u << 6,
    ENG_OPT_ALL = 0x7Fu
};

/* The snapshot. Every array has `rows` entries; text columns hold dict ids
 * (0 = empty). Rows of one unit are contiguous (units[u] owns rows
 * unit_first[u] .. unit_first[u+1]); within a unit rows keep file order.
 * Optional columns are NULL unless loaded. */
typedef struct eng_snapshot {
    size_t rows;
    eng_dict *dict;
    uint32_t *unit; /* index into units[] */
    int16_t *year;
    int8_t *period;
    int32_t *date;
    uint32_t *vtype, *vno;
    int32_t *vno_num; /* numeric voucher number, -1 when not a number */
    int32_t *line_no;
    uint32_t *account;
    int64_t *debit, *credit;
    uint32_t *counterparty, *decision_ref, *bill_no, *settle_type;
    uint32_t *maker, *reviewer, *poster, *cashier;
    int8_t *posted, *voided;
    uint8_t *flags;
    uint32_t *voucher;  /* voucher index of the row */
    uint32_t *source;   /* index into sources[] */
    uint32_t *src_line; /* line in that source */
    uint32_t *summary, *account_name, *dept, *project, *func_class, *econ_class, *fund_type;
    unsigned optional; /* ENG_OPT_* loaded */

    eng_unit *units;
    size_t nunits;
    size_t *unit_first; /* nunits + 1 entries */
    eng_voucher *vouchers;
    size_t nvouchers;
    uint32_t *voucher_rows; /* row indexes grouped by voucher */
    char **sources;         /* file names (or "store:book N") */
    size_t nsources;
} eng_snapshot;

/* Options for building a snapshot. */
typedef struct eng_load_opts {
    unsigned optional; /* ENG_OPT_* columns to load */
    int threads;       /* loader threads for several files; 0: one per core */
    const char *unit;  /* CSV: the unit of files without a unit_code column */
    bool progress;     /* progress lines on stderr */
} eng_load_opts;

/* Loads canonical voucher-line CSV files (DESIGN.md §4) straight from disk,
 * several files in parallel. Units get the gov2019 chart unless the code's
 * registration authority is 9 (enterprises), which gets the enterprise chart.
 * staff_csv (may be NULL) is a CSV with columns unit_code,name: the staff
 * lists for payee checks. On success *out owns everything. */
ag_err eng_snapshot_from_csv(const char *const *paths, size_t npaths, const char *staff_csv,
                             const eng_load_opts *o, eng_snapshot **out, ag_error *err);

/* Loads the store's books: every unit (unit_code NULL) or one, every year
 * (0) or one. Charts come from the books; staff lists from the unit's
 * persons. */
ag_err eng_snapshot_from_store(ag_store *st, const char *unit_code, int year,
                               const eng_load_opts *o, eng_snapshot **out, ag_error *err);

void eng_snapshot_free(eng_snapshot *s);

/* True when the unit's staff list has this name id. */
bool eng_unit_has_staff(const eng_unit *u, uint32_t name);

#endif
