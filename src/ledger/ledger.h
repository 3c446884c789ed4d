/* ledger.h - the canonical ledger model as readers see it, and the sink they push rows into. */
#ifndef AG_LEDGER_H
#define AG_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

/* One voucher line in canonical form (DESIGN.md §4). Strings are UTF-8 and
 * borrowed: valid only during the sink call; NULL means absent. Money is
 * int64 fen. */
typedef struct ledger_row {
    const char *unit_code; /* NULL: the import's unit */
    int fiscal_year;       /* 0: the year of `date` */
    int period;            /* 0: the month of `date` */
    int32_t date;          /* days since 1970-01-01 */
    const char *voucher_type;
    const char *voucher_no;
    int line_no; /* 0: numbered by the sink in order within the voucher */
    const char *summary;
    const char *account_code;
    const char *account_name;
    int64_t debit;
    int64_t credit;
    const char *counterparty;
    const char *dept;
    const char *project;
    const char *func_class;
    const char *econ_class;
    const char *fund_type;
    const char *decision_ref;
    const char *bill_no;
    const char *settle_type;
    const char *maker;
    const char *reviewer;
    const char *poster;
    const char *cashier;
    int posted;             /* 1, 0, or -1 unknown */
    int voided;             /* 1, 0, or -1 unknown */
    const char *extra_json; /* unknown source columns as a JSON object, or NULL */
    int64_t src_line;       /* 1-based line (or sheet row) in the source file */
} ledger_row;

/* An account of the chart (GB/T 19581 KJKM). */
typedef struct ledger_account {
    const char *code;
    const char *name;
    int level;               /* 1 for a first-level account; 0 unknown */
    const char *parent_code; /* NULL for level 1 */
    char normal_side;        /* 'D' debit, 'C' credit, 0 unknown */
    const char *class_name;  /* 资产/负债/净资产/收入/费用/预算收入/... or NULL */
    int64_t src_line;
} ledger_account;

/* An account's balance for one period (GB/T 19581 KMYE), debit-positive:
 * a credit balance is negative. Readers convert files that sign balances
 * relative to the normal side before handing them over. Period 0 is the
 * year's opening. */
typedef struct ledger_balance {
    const char *account_code;
    int period;
    int64_t opening;
    int64_t debit;
    int64_t credit;
    int64_t closing;
    int64_t src_line;
} ledger_balance;

/* Book-level facts a file states about itself (GB/T 19581 GSSM/DZZB). */
typedef struct ledger_book_info {
    const char *unit_name;
    const char *unit_code;
    int fiscal_year; /* 0 unknown */
    const char *currency;
    const char *software;
    const char *chart_hint; /* e.g. "政府会计制度", "企业会计准则" */
} ledger_book_info;

/* A data-quality observation a reader makes itself (e.g. KMYE rows whose
 * opening + movements differ from closing, which the reader still passes
 * on). Kinds are short ids such as "kmye_continuity". */
typedef struct ledger_note {
    const char *kind;
    const char *where; /* file:line */
    const char *message_zh;
    const char *message_en;
} ledger_note;

/* Where readers push what they parse. Every callback may be NULL (ignored).
 * A callback's non-zero return aborts the read with that error. */
typedef struct ledger_sink {
    void *ctx;
    ag_err (*book)(void *ctx, const ledger_book_info *b, ag_error *err);
    ag_err (*account)(void *ctx, const ledger_account *a, ag_error *err);
    ag_err (*balance)(void *ctx, const ledger_balance *b, ag_error *err);
    ag_err (*row)(void *ctx, const ledger_row *r, ag_error *err);
    ag_err (*note)(void *ctx, const ledger_note *n, ag_error *err);
    /* Called now and then with bytes consumed of bytes total (0 unknown). */
    void (*progress)(void *ctx, uint64_t done, uint64_t total);
} ledger_sink;

/* What a reader learned about the file itself. */
typedef struct ledger_file_info {
    char format[16];   /* "csv", "xlsx", "gbt19581" */
    char encoding[16]; /* "utf-8", "gb18030" */
    char sha256[65];   /* of the file's bytes (for a folder: of its files' bytes in name order) */
    uint64_t bytes;
    int64_t rows; /* voucher lines handed to the sink */
} ledger_file_info;

/* Bounds every reader enforces. */
#define LEDGER_MAX_FILE_BYTES  (4ull << 30) /* 4 GiB per source file */
#define LEDGER_MAX_LINE_BYTES  (64u << 10)  /* 64 KiB per text line / row */
#define LEDGER_MAX_FIELD_BYTES (16u << 10)  /* 16 KiB per field */
#define LEDGER_MAX_COLUMNS     256
#define LEDGER_MAX_ROWS        50000000ll /* per file */

#endif
