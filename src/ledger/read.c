/* read.c - the imported books read back from the store in import order (the engine's loader). */
#include "ledger/read.h"

#include <stdio.h>
#include <string.h>

#include "util/date.h"
#include "util/banned.h"

#define LINE_COLUMNS                                                                               \
    "b.unit_code, b.fiscal_year, l.period, l.voucher_date, l.voucher_type, l.voucher_no,"          \
    " l.line_no, l.summary, l.account_code, l.account_name, l.debit, l.credit, l.counterparty,"    \
    " l.dept, l.project, l.func_class, l.econ_class, l.fund_type, l.decision_ref, l.bill_no,"      \
    " l.settle_type, l.maker, l.reviewer, l.poster, l.cashier, l.posted, l.voided,"                \
    " l.src_line, l.source_id"

/* One result row of LINE_COLUMNS as a ledger_row; *source_id its file. */
static void row_from(ag_stmt *q, ledger_row *r, int64_t *source_id)
{
    memset(r, 0, sizeof *r);
    r->unit_code = store_col_text(q, 0);
    r->fiscal_year = (int)store_col_int(q, 1);
    r->period = (int)store_col_int(q, 2);
    const char *d = store_col_text(q, 3);
    if (!d || !ag_date_parse(d, strlen(d), &r->date))
        r->date = 0;
    r->voucher_type = store_col_text(q, 4);
    r->voucher_no = store_col_text(q, 5);
    r->line_no = (int)store_col_int(q, 6);
    r->summary = store_col_text(q, 7);
    r->account_code = store_col_text(q, 8);
    r->account_name = store_col_text(q, 9);
    r->debit = store_col_int(q, 10);
    r->credit = store_col_int(q, 11);
    const char **texts[] = {&r->counterparty, &r->dept,      &r->project,      &r->func_class,
                            &r->econ_class,   &r->fund_type, &r->decision_ref, &r->bill_no,
                            &r->settle_type,  &r->maker,     &r->reviewer,     &r->poster,
                            &r->cashier};
    for (int k = 0; k < 13; k++)
        *texts[k] = store_col_text(q, 12 + k);
    r->posted = store_col_is_null(q, 25) ? -1 : (int)store_col_int(q, 25);
    r->voided = store_col_is_null(q, 26) ? -1 : (int)store_col_int(q, 26);
    r->src_line = store_col_int(q, 27);
    *source_id = store_col_int(q, 28);
}

ag_err ledger_read_lines(ag_store *st, const char *unit_code, int year, ledger_read_fn fn,
                         void *ctx, ag_error *err)
{
    ag_stmt *q = NULL;
    ag_err rc = store_prepare_args(st, &q, err,
                                   "SELECT " LINE_COLUMNS
                                   " FROM ledger_line l JOIN ledger_book b ON b.id = l.book_id"
                                   " WHERE b.fiscal_year > 0 AND (? IS NULL OR b.unit_code = ?)"
                                   " AND (? = 0 OR b.fiscal_year = ?)"
                                   " ORDER BY b.unit_code, b.fiscal_year, l.id",
                                   "ttii", unit_code, unit_code, (int64_t)year, (int64_t)year);
    bool row;
    while (!rc && !(rc = store_step(q, &row, err)) && row) {
        ledger_row r;
        int64_t source_id;
        row_from(q, &r, &source_id);
        rc = fn(ctx, &r, source_id, err);
    }
    store_finalize(q);
    return rc;
}

/* Copies s into buf of n bytes, cut at n-1 without splitting a UTF-8 character. */
static void copy_text(char *buf, size_t n, const char *s)
{
    if (!n)
        return;
    snprintf(buf, n, "%s", s);
    ag_utf8_trim_tail(buf);
}

ag_err ledger_read_source_name(ag_store *st, int64_t source_id, char *buf, size_t n, ag_error *err)
{
    ag_stmt *q = NULL;
    bool row = false;
    ag_err rc = store_prepare_args(st, &q, err, "SELECT path FROM ledger_source WHERE id = ?", "i",
                                   source_id);
    if (!rc)
        rc = store_step(q, &row, err);
    if (!rc && !row)
        rc = ag_fail(err, AG_ERR_NOTFOUND, "source", "导入来源 %lld 不存在",
                     "no import source %lld", (long long)source_id);
    if (!rc) {
        const char *path = store_col_text(q, 0);
        const char *base = path ? strrchr(path, '/') : NULL;
        copy_text(buf, n, base ? base + 1 : path ? path : "");
    }
    store_finalize(q);
    return rc;
}

ag_err ledger_read_chart_profile(ag_store *st, const char *unit_code, char *buf, size_t n,
                                 ag_error *err)
{
    ag_stmt *q = NULL;
    bool row = false;
    ag_err rc = store_prepare_args(st, &q, err,
                                   "SELECT chart_profile FROM ledger_book WHERE unit_code = ?"
                                   " AND fiscal_year > 0 ORDER BY fiscal_year DESC LIMIT 1",
                                   "t", unit_code);
    if (!rc)
        rc = store_step(q, &row, err);
    if (!rc) {
        const char *p = row ? store_col_text(q, 0) : NULL;
        copy_text(buf, n, p ? p : "");
    }
    store_finalize(q);
    return rc;
}

ag_err ledger_read_staff(ag_store *st, const char *unit_code, ledger_read_name_fn fn, void *ctx,
                         ag_error *err)
{
    ag_stmt *q = NULL;
    bool row = false;
    ag_err rc = store_prepare_args(st, &q, err, "SELECT name FROM person WHERE unit_code = ?", "t",
                                   unit_code);
    while (!rc && !(rc = store_step(q, &row, err)) && row) {
        const char *name = store_col_text(q, 0);
        if (name)
            rc = fn(ctx, name, err);
    }
    store_finalize(q);
    return rc;
}
