/* gbt19581.h - reader for the GB/T 19581-2004 text export (GSSM/DZZB/KJKM/KMYE/JZPZ.TXT). */
#ifndef AG_LEDGER_GBT19581_H
#define AG_LEDGER_GBT19581_H

#include <stddef.h>
#include <stdint.h>

#include "ledger/ledger.h"
#include "util/error.h"

/* The five files of a set this reader understands, in the order of their
 * upper-cased names (the order the folder checksum uses). Any other file in
 * the folder or zip (auxiliary XM?.TXT, BMXX.TXT, ...) is listed through
 * sink->note and not read. */
typedef enum ledger_gbt_kind {
    LEDGER_GBT_DZZB, /* 电子账簿: one row about the book */
    LEDGER_GBT_GSSM, /* 格式说明: free text describing the export */
    LEDGER_GBT_JZPZ, /* 记账凭证: voucher lines (required) */
    LEDGER_GBT_KJKM, /* 会计科目: chart of accounts */
    LEDGER_GBT_KMYE, /* 科目余额及发生额: balances and movements per period */
    LEDGER_GBT_NKINDS
} ledger_gbt_kind;

/* Zip bounds used when the options leave them 0. */
#define LEDGER_GBT_MAX_ENTRIES        1000u        /* entries in a zip */
#define LEDGER_GBT_MAX_TOTAL_BYTES    (8ull << 30) /* uncompressed, all entries */
#define LEDGER_GBT_MAX_RATIO          200u         /* uncompressed / compressed */
#define LEDGER_GBT_RATIO_FLOOR        (1ull << 20) /* entries below this skip the ratio test */
#define LEDGER_GBT_MAX_NOTES_PER_KIND 200u         /* further notes of a kind are summed up */

/* Options; a zeroed struct (or NULL) takes every default. The reader only
 * reads it. */
typedef struct ledger_gbt_opts {
    const char *unit_code;    /* put on every row as unit_code; NULL: the import's unit */
    int default_year;         /* fiscal year when DZZB states none; 0: each row's date year */
    uint64_t max_entry_bytes; /* per file (folder or zip entry); 0: LEDGER_MAX_FILE_BYTES */
    uint64_t max_total_bytes; /* zip, all entries uncompressed; 0: LEDGER_GBT_MAX_TOTAL_BYTES */
    uint32_t max_ratio;       /* zip entry compression ratio; 0: LEDGER_GBT_MAX_RATIO */
    uint32_t max_entries;     /* zip entries; 0: LEDGER_GBT_MAX_ENTRIES */
} ledger_gbt_opts;

/* Which of the five files `name` is: its last path component compared
 * case-insensitively with "GSSM.TXT", ... Returns -1 for any other name. */
int ledger_gbt_kind_of(const char *name);

/* The canonical upper-case file name of a kind ("JZPZ.TXT"). */
const char *ledger_gbt_kind_name(ledger_gbt_kind kind);

/* Reads a GB/T 19581 set from `path`, a folder or a .zip, and pushes into
 * `sink` in this order: the book (DZZB, completed from GSSM), the accounts
 * (KJKM), the balances (KMYE, debit-positive), the voucher lines (JZPZ).
 * Notes (ignored files, a missing KJKM/KMYE, the KMYE sign convention,
 * continuity breaks) may come at any point. JZPZ is required.
 *
 * Structural faults reject the read with AG_ERR_INPUT and err->where set to
 * "FILE:line:field" (the file name as found, the physical line where the
 * record starts, the field's name from docs/formats.md); by then some
 * callbacks may have run, so callers import inside a transaction. A sink
 * callback's error aborts the read and is returned as is.
 *
 * info (may be NULL) receives format "gbt19581", the encoding of JZPZ, the
 * rows pushed, the bytes and SHA-256 of the zip file, or for a folder of the
 * five files' bytes concatenated in upper-cased-name order (DZZB, GSSM,
 * JZPZ, KJKM, KMYE; absent ones skipped). */
ag_err ledger_read_gbt19581(const char *path, const ledger_gbt_opts *opts, const ledger_sink *sink,
                            ledger_file_info *info, ag_error *err);

/* One file of a set held in memory. data may be NULL when len is 0; a kind
 * whose `present` is 0 counts as absent. */
typedef struct ledger_gbt_mem {
    int present;
    const char *name; /* as it would be in a folder, for `where`; NULL: the canonical name */
    const void *data;
    size_t len;
} ledger_gbt_mem;

/* Same as ledger_read_gbt19581 over files[kind] held in memory (for tests
 * and fuzzing). The checksum is taken as for a folder. */
ag_err ledger_read_gbt19581_mem(const ledger_gbt_mem files[LEDGER_GBT_NKINDS],
                                const ledger_gbt_opts *opts, const ledger_sink *sink,
                                ledger_file_info *info, ag_error *err);

/* Parses one file's bytes on its own and pushes what it holds: a book for
 * DZZB/GSSM, accounts for KJKM, balances for KMYE (no chart, so its sign
 * convention cannot be told and it is taken as debit-positive with a note),
 * rows for JZPZ. `name` may be NULL (the canonical name). */
ag_err ledger_gbt19581_parse(ledger_gbt_kind kind, const char *name, const void *data, size_t len,
                             const ledger_gbt_opts *opts, const ledger_sink *sink, ag_error *err);

#endif
