/* lines.h - finding a unit's voucher lines (分录) in the store, e.g. to cite one as evidence. */
#ifndef AG_LEDGER_LINES_H
#define AG_LEDGER_LINES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

#define LEDGER_LINES_LIMIT      50         /* the page size when limit is 0 */
#define LEDGER_LINES_LIMIT_MAX  500        /* the largest page */
#define LEDGER_LINES_OFFSET_MAX 1000000000 /* far beyond any book, a bound all the same */
#define LEDGER_LINES_TEXT_MAX   200        /* bytes of a text filter (account: 64) */

/* What to look for. Every condition is optional: a NULL or empty string, a
 * zero year or period, a false has_* adds none. Strings are borrowed for the
 * call. Initialise with designated initialisers. The names in parentheses
 * are the `where` of a refusal (the API's query parameters). */
typedef struct ledger_lines_filter {
    int year;                 /* (year) the book's fiscal year, 1900-2100 */
    int period;               /* (period) the accounting period, 1-13 */
    const char *voucher;      /* (voucher) "记-12" (type and number as shown) or a
                               * number alone; leading zeros do not matter */
    const char *account;      /* (account) an account-code prefix: "1002" finds 100201 */
    const char *counterparty; /* (counterparty) a substring of the counterparty */
    const char *summary;      /* (summary) a substring of the summary (摘要) */
    bool has_amount;          /* (amount) lines whose debit or credit is exactly */
    int64_t amount;           /*   this many fen, never 0 (that matches every line) */
    bool has_min_amount;      /* (min_amount) lines whose debit or credit is at */
    int64_t min_amount;       /*   least this many fen, not negative */
    const char *date_from;    /* (from) YYYY-MM-DD on the voucher date, inclusive */
    const char *date_to;      /* (to) YYYY-MM-DD, inclusive, not before from */
    int64_t limit;            /* (limit) 1..LEDGER_LINES_LIMIT_MAX; 0: LEDGER_LINES_LIMIT */
    int64_t offset;           /* (offset) rows to skip, 0..LEDGER_LINES_OFFSET_MAX */
} ledger_lines_filter;

/* AG_ERR_USAGE with `where` the filter's name and a message in both
 * languages when a filter is out of range or malformed; AG_OK otherwise.
 * ledger_lines_search checks this too. */
ag_err ledger_lines_check(const ledger_lines_filter *f, ag_error *err);

/* The unit's voucher lines that match every condition of f, in voucher-date,
 * voucher (type, then number in numeric order), line and id order, one page:
 * {total, items: [{id, year, period, voucher_date, voucher_type, voucher_no,
 * voucher ("记-12"), line_no, summary, account_code, account_name, debit,
 * credit (int fen), counterparty, dept, project, maker, reviewer, source (the
 * imported file's path), src_line}]}, absent text as null. `total` counts
 * every match. A unit without books (or without that year) gives total 0.
 * AG_ERR_NOTFOUND for an unknown unit; scope is the caller's business.
 * Caller owns *out. */
ag_err ledger_lines_search(ag_store *st, const char *unit_code, const ledger_lines_filter *f,
                           json_t **out, ag_error *err);

#endif
