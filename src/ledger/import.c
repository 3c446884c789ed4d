/* import.c - the import pipeline: reader rows into the store, with data-quality checks. */
#include "ledger/import.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ledger/chart.h"
#include "ledger/csv.h"
#include "ledger/gbt19581.h"
#include "ledger/ledger.h"
#include "ledger/xlsx.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/date.h"
#include "util/hash.h"
#include "util/map.h"
#include "util/money.h"
#include "util/banned.h"

#define MAX_BOOKS             32 /* fiscal years in one file */
#define MAX_STORED_FINDINGS   10000
#define MAX_REPORTED_FINDINGS 200
/* Lines per write transaction of a staged import: each batch holds the write
 * lock for well under a second, so the server's writers get their turn. */
#define STAGE_BATCH_LINES 50000
/* A staging row older than this is stale even if its process id is alive
 * (the id may have been reused). */
#define STAGE_STALE_SECONDS (24 * 3600)

/* Per voucher: sums and where it starts. Lines numbered below 64 are
 * tracked in a bitmask for the duplicate check; higher ones in `extra`. */
typedef struct voucher_acc {
    int64_t debit, credit;
    int64_t first_src_line;
    int32_t date;
    int32_t lines;
    int32_t year;
    int32_t voided_lines;
    uint64_t line_mask;
} voucher_acc;

/* Per (year, account, period): movements from voucher lines. */
typedef struct move_acc {
    int64_t debit, credit;
    int64_t first_src_line;
    int64_t name_src_line; /* the first line with an account name, 0 none */
    char name[256];        /* that name (a staged import names accounts from memory) */
} move_acc;

typedef struct book_ref {
    int year;
    int64_t id;       /* the book the lines go to (a staging book when staged) */
    int64_t old_id;   /* staged: the visible book of the year when first met, 0 none */
    int64_t *old_src; /* staged: its active sources then (marked replaced at the switch) */
    size_t nold;
} book_ref;

/* An account or balance kept until the years of the file are known. */
typedef struct held_account {
    char *code, *name, *parent, *class_name;
    int level;
    char side;
} held_account;

typedef struct held_balance {
    char *code;
    int period;
    int64_t opening, debit, credit, closing, src_line;
} held_balance;

/* A run of equal values of one dimension on consecutive lines. */
typedef struct dim_run {
    char value[128];
    size_t len;
    int year;
    int64_t n;
} dim_run;

typedef struct imp {
    ag_store *st;
    const ledger_import_opts *o;
    const chart_profile *chart;
    const char *fname; /* the file's base name, for locations */
    char unit_type[32];
    int64_t source_id;
    ag_stmt *ins_line;
    book_ref books[MAX_BOOKS];
    int nbooks;
    int info_year; /* year the file states about itself, 0 unknown */
    ag_map *vouchers, *high_lines, *moves, *dims;
    held_account *accounts;
    size_t naccounts, cap_accounts;
    held_balance *balances;
    size_t nbalances, cap_balances;
    int64_t lines, debit_total, credit_total;
    int64_t findings_total;
    json_t *findings;         /* the first MAX_REPORTED_FINDINGS */
    json_t *findings_by_kind; /* kind -> count */
    json_t *notes;            /* the readers' informational notes */
    dim_run dim_runs[6];
    ag_stmt *ins_finding;
    ag_buf key;
    bool show_progress;
    double last_progress;
    bool staged;         /* batches into staging books, switched over at the end */
    int64_t batch_lines; /* lines written in the current batch */
    double tx_started;   /* AG_IMPORT_TRACE: when the current transaction began */
} imp;

static const char *const DIM_KINDS[] = {"dept",       "counterparty", "project", "func_class",
                                        "econ_class", "fund_type",    "person"};

/* ---- small helpers ------------------------------------------------------ */

static double mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static const char *base_name(const char *path)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    const char *p = path + n;
    while (p > path && p[-1] != '/')
        p--;
    return p;
}

static void money_str(int64_t fen, char out[24])
{
    ag_money_format(fen, out);
}

/* Appends a non-negative integer in decimal (hot path: no printf). */
static ag_err add_uint(ag_buf *k, unsigned v)
{
    char tmp[12];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    char out[12];
    for (int i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    return ag_buf_add(k, out, (size_t)n);
}

/* Builds a map key from parts separated by 0x1F (never in text we store). */
static ag_err key_of(ag_buf *k, int year, const char *a, const char *b, const char *c)
{
    ag_buf_reset(k);
    ag_err rc = add_uint(k, (unsigned)year);
    const char *parts[] = {a, b, c};
    for (int i = 0; !rc && i < 3; i++) {
        if (!parts[i])
            continue;
        rc = ag_buf_addc(k, '\x1f');
        if (!rc)
            rc = ag_buf_adds(k, parts[i]);
    }
    return rc;
}

/* ---- findings ----------------------------------------------------------- */

/* The book of a year already met in the file, or 0. */
static int64_t book_of_year(const imp *m, int year)
{
    for (int i = 0; i < m->nbooks; i++)
        if (m->books[i].year == year)
            return m->books[i].id;
    return 0;
}

/* Records a finding; `year` (0: not known) attaches it to that year's book.
 * Findings without a year are attached at the end when the file has only
 * one year. */
static ag_err add_finding(imp *m, int year, const char *kind, const char *location,
                          const char *voucher, const char *zh, const char *en, ag_error *err)
{
    m->findings_total++;
    json_t *n = json_object_get(m->findings_by_kind, kind);
    json_object_set_new(m->findings_by_kind, kind, json_integer(n ? json_integer_value(n) + 1 : 1));
    if (json_array_size(m->findings) < MAX_REPORTED_FINDINGS)
        json_array_append_new(m->findings, json_pack("{s:s,s:s,s:s?,s:s,s:s}", "kind", kind,
                                                     "location", location, "voucher", voucher,
                                                     "message_zh", zh, "message_en", en));
    if (m->findings_total > MAX_STORED_FINDINGS)
        return AG_OK;
    ag_stmt *s = m->ins_finding;
    bool row;
    ag_err rc = store_reset_args(s, err, "ittttt", m->source_id, kind, location, voucher, zh, en);
    int64_t book = year ? book_of_year(m, year) : 0;
    if (!rc)
        rc = book ? store_bind_int(s, 7, book) : store_bind_null(s, 7);
    if (!rc)
        rc = store_step(s, &row, err);
    return rc;
}

/* ---- books -------------------------------------------------------------- */

/* Clears a book that is being replaced and marks its sources replaced. */
static ag_err clear_book(imp *m, int64_t book_id, ag_error *err)
{
    static const char *const sql[] = {
        "UPDATE ledger_source SET status = 'replaced' WHERE id IN"
        " (SELECT DISTINCT source_id FROM ledger_line WHERE book_id = ?"
        "  UNION SELECT DISTINCT source_id FROM ledger_balance WHERE book_id = ?)",
        "DELETE FROM ledger_line WHERE book_id = ?",
        "DELETE FROM ledger_balance WHERE book_id = ?",
        "DELETE FROM ledger_account WHERE book_id = ?",
        "DELETE FROM ledger_dim WHERE book_id = ?",
        "DELETE FROM ledger_finding WHERE book_id = ?",
    };
    ag_err rc = AG_OK;
    for (size_t i = 0; !rc && i < sizeof sql / sizeof sql[0]; i++) {
        ag_stmt *s = NULL;
        bool row;
        rc = store_prepare(m->st, sql[i], &s, err);
        if (!rc)
            rc = store_bind_int(s, 1, book_id);
        if (!rc && i == 0)
            rc = store_bind_int(s, 2, book_id);
        if (!rc)
            rc = store_step(s, &row, err);
        store_finalize(s);
    }
    return rc;
}

/* ---- staging: a large import in batches, switched over at the end --------
 *
 * A staged import writes its lines batch by batch (each batch its own short
 * transaction) into staging books: ledger_book rows with a negative
 * fiscal_year, which no reader lists. Its source row stays 'replaced' (not
 * active, not recognised as imported) until the end. One short transaction
 * then moves the visible book of each year aside (retires it) and gives the
 * staging book the year; the retired books are deleted batch by batch
 * afterwards. ledger_stage names each staging book, source and retired book
 * with the process that made it, so a crash leaves only rows that
 * ledger_import_cleanup removes and readers never see. */

static ag_err exec_int(ag_store *st, const char *sql, int64_t a, int64_t b, ag_error *err)
{
    ag_stmt *s = NULL;
    bool row;
    ag_err rc = store_prepare(st, sql, &s, err);
    if (!rc)
        rc = store_bind_int(s, 1, a);
    if (!rc && strchr(strchr(sql, '?') + 1, '?'))
        rc = store_bind_int(s, 2, b);
    while (!rc && !(rc = store_step(s, &row, err)) && row)
        ;
    store_finalize(s);
    return rc;
}

/* Records a staging or retired row of this process. */
static ag_err stage_note(ag_store *st, int64_t source_id, int64_t book_id, ag_error *err)
{
    char ts[21];
    ag_clock_format(ag_clock_now(), ts);
    ag_stmt *s = NULL;
    bool row;
    ag_err rc = store_prepare(
        st, "INSERT INTO ledger_stage (source_id, book_id, pid, started_at) VALUES (?, ?, ?, ?)",
        &s, err);
    if (!rc)
        rc = source_id ? store_bind_int(s, 1, source_id) : store_bind_null(s, 1);
    if (!rc)
        rc = book_id ? store_bind_int(s, 2, book_id) : store_bind_null(s, 2);
    if (!rc)
        rc = store_bind_int(s, 3, (int64_t)getpid());
    if (!rc)
        rc = store_bind_text(s, 4, ts);
    if (!rc)
        rc = store_step(s, &row, err);
    store_finalize(s);
    return rc;
}

/* Deletes a book that no reader sees (staging or retired) with everything in
 * it, the lines in batches of their own transactions. Not inside a
 * transaction of the caller. */
static ag_err purge_book(ag_store *st, int64_t book_id, ag_error *err)
{
    char bid[24];
    snprintf(bid, sizeof bid, "%lld", (long long)book_id);
    int64_t year = 0;
    ag_err rc = store_query_int(st, &year, err, "SELECT fiscal_year FROM ledger_book WHERE id = ?",
                                bid, NULL);
    if (rc == AG_ERR_NOTFOUND || (!rc && year > 0)) {
        /* Gone already, or visible (never deleted here): only the note goes. */
        ag_error_clear(err);
        rc = store_begin(st, err);
        if (!rc)
            rc = exec_int(st, "DELETE FROM ledger_stage WHERE book_id = ?", book_id, 0, err);
        return store_end(st, rc, err);
    }
    if (rc)
        return rc;
    for (;;) {
        int64_t left = 0;
        rc = store_begin(st, err);
        if (!rc)
            rc = exec_int(st,
                          "DELETE FROM ledger_line WHERE id IN (SELECT id FROM ledger_line"
                          " WHERE book_id = ? LIMIT ?)",
                          book_id, STAGE_BATCH_LINES, err);
        if (!rc)
            rc = store_query_int(st, &left, err,
                                 "SELECT COUNT(*) FROM (SELECT 1 FROM ledger_line WHERE"
                                 " book_id = ? LIMIT 1) x",
                                 bid, NULL);
        if (!rc && !left) {
            static const char *const rest[] = {
                "DELETE FROM ledger_balance WHERE book_id = ?",
                "DELETE FROM ledger_account WHERE book_id = ?",
                "DELETE FROM ledger_dim WHERE book_id = ?",
                "DELETE FROM ledger_finding WHERE book_id = ?",
                "DELETE FROM ledger_stage WHERE book_id = ?",
                "DELETE FROM ledger_book WHERE id = ? AND fiscal_year < 0",
            };
            for (size_t i = 0; !rc && i < sizeof rest / sizeof rest[0]; i++)
                rc = exec_int(st, rest[i], book_id, 0, err);
        }
        rc = store_end(st, rc, err);
        if (rc || !left)
            return rc;
    }
}

/* Deletes a source that never became visible, with its staging books. */
static ag_err purge_source(ag_store *st, int64_t source_id, ag_error *err)
{
    ag_stmt *s = NULL;
    bool row;
    int64_t books[MAX_BOOKS + 1];
    size_t n = 0;
    ag_err rc = store_prepare(
        st, "SELECT book_id FROM ledger_stage WHERE source_id = ? AND book_id IS NOT NULL", &s,
        err);
    if (!rc)
        rc = store_bind_int(s, 1, source_id);
    while (!rc && !(rc = store_step(s, &row, err)) && row)
        if (n < sizeof books / sizeof books[0])
            books[n++] = store_col_int(s, 0);
    store_finalize(s);
    for (size_t i = 0; !rc && i < n; i++)
        rc = purge_book(st, books[i], err);
    if (rc)
        return rc;
    rc = store_begin(st, err);
    static const char *const rest[] = {
        "DELETE FROM ledger_finding WHERE source_id = ?",
        "DELETE FROM ledger_stage WHERE source_id = ?",
        "DELETE FROM ledger_source WHERE id = ? AND status = 'replaced'",
    };
    for (size_t i = 0; !rc && i < sizeof rest / sizeof rest[0]; i++)
        rc = exec_int(st, rest[i], source_id, 0, err);
    return store_end(st, rc, err);
}

/* Whether process pid is gone (a pid of this process is alive). */
static bool pid_gone(int64_t pid)
{
    if (pid <= 0)
        return true;
    if (pid == (int64_t)getpid())
        return false;
    return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/* Seconds since the epoch of a YYYY-MM-DDTHH:MM:SSZ stamp; false when it is not one. */
static bool stamp_seconds(const char *t, int64_t *out)
{
    int y, mo, d, h, mi, se;
    if (!t || sscanf(t, "%4d-%2d-%2dT%2d:%2d:%2dZ", &y, &mo, &d, &h, &mi, &se) != 6)
        return false;
    ag_date dt = {y, mo, d};
    if (!ag_date_valid(dt))
        return false;
    *out = (int64_t)ag_date_to_days(dt) * 86400 + h * 3600 + mi * 60 + se;
    return true;
}

ag_err ledger_import_cleanup(ag_store *st, int *removed, ag_error *err)
{
    if (removed)
        *removed = 0;
    enum { MAX_ROWS = 256 };
    int64_t src[MAX_ROWS], book[MAX_ROWS];
    size_t n = 0;
    int64_t now = ag_clock_now();
    ag_stmt *s = NULL;
    bool row;
    ag_err rc = store_prepare(st,
                              "SELECT source_id, book_id, pid, started_at FROM ledger_stage"
                              " ORDER BY id",
                              &s, err);
    while (!rc && !(rc = store_step(s, &row, err)) && row && n < MAX_ROWS) {
        int64_t t = 0;
        bool old = stamp_seconds(store_col_text(s, 3), &t) && now - t > STAGE_STALE_SECONDS;
        if (!old && !pid_gone(store_col_int(s, 2)))
            continue;
        src[n] = store_col_is_null(s, 0) ? 0 : store_col_int(s, 0);
        book[n] = store_col_is_null(s, 1) ? 0 : store_col_int(s, 1);
        n++;
    }
    store_finalize(s);
    /* Books first (a retired book, or a staging book of its source), then the
     * sources that never became visible. */
    for (size_t i = 0; !rc && i < n; i++)
        if (book[i])
            rc = purge_book(st, book[i], err);
    for (size_t i = 0; !rc && i < n; i++)
        if (src[i] && !book[i]) {
            rc = purge_source(st, src[i], err);
            if (!rc && removed)
                (*removed)++;
        }
    return rc;
}

/* Built with -DAG_IMPORT_TRACE, each write transaction of a staged import
 * reports on stderr how long it held the write lock (for measuring, see
 * docs/operations.md); otherwise nothing. */
static void trace_tx(imp *m, const char *what)
{
#ifdef AG_IMPORT_TRACE
    double now = mono_now();
    fprintf(stderr, "import-trace %s %.1f ms\n", what, (now - m->tx_started) * 1000.0);
    m->tx_started = now;
#else
    (void)m, (void)what;
#endif
}

/* AG_IMPORT_TRACE: how long the current transaction has run at a phase. */
static void trace_phase(const imp *m, const char *what)
{
#ifdef AG_IMPORT_TRACE
    fprintf(stderr, "import-trace   %s at %.1f ms\n", what, (mono_now() - m->tx_started) * 1000.0);
#else
    (void)m, (void)what;
#endif
}

/* Ends the current batch and starts the next one. */
static ag_err batch_turn(imp *m, ag_error *err)
{
    ag_err rc = store_reset(m->ins_line, err);
    if (!rc)
        rc = store_reset(m->ins_finding, err);
    if (!rc)
        rc = store_commit(m->st, err);
    trace_tx(m, "batch");
    /* A gap between two batches: a write of another session waiting on the lock (it tries
     * every 1–2 ms, store/sqlite.c) takes its turn here instead of after the whole import.
     * 4 ms per 50,000 lines costs well under 1 % of an import. */
    struct timespec gap = {0, 4000000L};
    nanosleep(&gap, NULL);
    if (!rc)
        rc = store_begin(m->st, err);
    m->batch_lines = 0;
    return rc;
}

/* The active sources with data in a book. Caller frees *out. */
static ag_err book_sources(ag_store *st, int64_t book_id, int64_t **out, size_t *n, ag_error *err)
{
    *out = NULL;
    *n = 0;
    ag_stmt *s = NULL;
    bool row;
    ag_err rc =
        store_prepare_args(st, &s, err,
                           "SELECT id FROM ledger_source WHERE status = 'active' AND id IN"
                           " (SELECT source_id FROM ledger_line WHERE book_id = ?"
                           "  UNION SELECT source_id FROM ledger_balance WHERE book_id = ?)",
                           "ii", book_id, book_id);
    size_t cap = 0;
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            int64_t *p = realloc(*out, cap * sizeof *p);
            if (!p) {
                rc = ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
                break;
            }
            *out = p;
        }
        (*out)[(*n)++] = store_col_int(s, 0);
    }
    store_finalize(s);
    return rc;
}

/* The refusal of a year that already has data (neither replace nor append). */
static ag_err year_taken(const imp *m, const char *where, int year, ag_error *err)
{
    return ag_fail(err, AG_ERR_EXISTS, where,
                   "单位 %s 的 %d 年度已有账套数据；可选择“替换”原有账套或“追加”到原有账套",
                   "unit %s already has ledger data for %d; choose “replace” to replace it or "
                   "“append” to add to it",
                   m->o->unit_code, year);
}

/* The id of the unit's visible book of the year in *id, 0 when there is none. */
static ag_err year_book(const imp *m, int year, int64_t *id, ag_error *err)
{
    char ys[16];
    snprintf(ys, sizeof ys, "%d", year);
    *id = 0;
    ag_err rc = store_query_int(
        m->st, id, err, "SELECT id FROM ledger_book WHERE unit_code = ? AND fiscal_year = ?",
        m->o->unit_code, ys, NULL);
    if (rc == AG_ERR_NOTFOUND) {
        *id = 0;
        return AG_OK;
    }
    return rc;
}

/* A new book of the unit in the file's chart; fiscal_year is negative for a staging book. */
static ag_err insert_book(const imp *m, int64_t fiscal_year, int64_t *id, ag_error *err)
{
    char ts[21];
    ag_clock_format(ag_clock_now(), ts);
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc =
        store_prepare_args(m->st, &s, err,
                           "INSERT INTO ledger_book (unit_code, fiscal_year, chart_profile, "
                           "created_at) VALUES (?, ?, ?, ?) RETURNING id",
                           "titt", m->o->unit_code, fiscal_year, m->chart->id, ts);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row)
        *id = store_col_int(s, 0);
    while (!rc && row)
        rc = store_step(s, &row, err);
    store_finalize(s);
    return rc;
}

/* A staging book for the year, noting the visible book it will replace. */
static ag_err stage_book(imp *m, int year, const char *where, book_ref *b, ag_error *err)
{
    int64_t old = 0;
    ag_err rc = year_book(m, year, &old, err);
    if (!rc && old)
        rc = book_sources(m->st, old, &b->old_src, &b->nold, err);
    if (!rc && b->nold && !m->o->replace)
        rc = year_taken(m, where, year, err);
    b->old_id = old;
    if (!rc)
        rc = insert_book(m, -(m->source_id * (MAX_BOOKS + 1) + m->nbooks + 1), &b->id, err);
    if (!rc)
        rc = stage_note(m->st, m->source_id, b->id, err);
    return rc;
}

/* The switch-over, inside the final transaction: each year's visible book
 * is retired (its active sources marked replaced) and the staging book takes
 * its year; the source becomes active. */
static ag_err stage_switch(imp *m, ag_error *err)
{
    ag_err rc = AG_OK;
    for (int i = 0; !rc && i < m->nbooks; i++) {
        book_ref *b = &m->books[i];
        int64_t cur = 0;
        rc = year_book(m, b->year, &cur, err);
        if (!rc && cur && cur != b->old_id) {
            /* Another import made the year's book meanwhile. */
            free(b->old_src);
            b->old_src = NULL;
            b->nold = 0;
            rc = book_sources(m->st, cur, &b->old_src, &b->nold, err);
            if (!rc && b->nold && !m->o->replace) {
                char where[300];
                snprintf(where, sizeof where, "%s:fiscal_year", m->fname);
                rc = year_taken(m, where, b->year, err);
            }
        }
        if (!rc && cur) {
            rc = exec_int(m->st, "UPDATE ledger_book SET fiscal_year = ? WHERE id = ?",
                          -(((int64_t)1 << 50) + cur), cur, err);
            for (size_t k = 0; !rc && k < b->nold; k++)
                rc = exec_int(m->st, "UPDATE ledger_source SET status = 'replaced' WHERE id = ?",
                              b->old_src[k], 0, err);
            if (!rc)
                rc = stage_note(m->st, 0, cur, err);
            if (!rc && b->nold) {
                char key[64];
                snprintf(key, sizeof key, "%s/%d", m->o->unit_code, b->year);
                rc = store_audit_append(m->st, "replace", "ledger_book", key, NULL, NULL, err);
            }
        }
        if (!rc)
            rc = exec_int(m->st, "UPDATE ledger_book SET fiscal_year = ? WHERE id = ?", b->year,
                          b->id, err);
    }
    if (!rc)
        rc = exec_int(m->st, "UPDATE ledger_source SET status = 'active' WHERE id = ?",
                      m->source_id, 0, err);
    if (!rc)
        rc = exec_int(m->st, "DELETE FROM ledger_stage WHERE source_id = ?", m->source_id, 0, err);
    return rc;
}

/* A staged import that failed: what its batches wrote goes (the failure
 * itself is what the caller reports; leftovers wait for the cleanup). */
static void discard_stage(imp *m)
{
    if (!m->staged || !m->source_id)
        return;
    ag_error e;
    ag_error_clear(&e);
    store_finalize(m->ins_line);
    store_finalize(m->ins_finding);
    m->ins_line = m->ins_finding = NULL;
    purge_source(m->st, m->source_id, &e);
}

/* After the switch: the retired books go, batch by batch. A failure leaves
 * them to ledger_import_cleanup; the import itself has succeeded. */
static void purge_retired(ag_store *st, const imp *m)
{
    ag_error e;
    for (int i = 0; i < m->nbooks; i++) {
        ag_error_clear(&e);
        int64_t id = 0;
        char ids[24];
        snprintf(ids, sizeof ids, "%lld", (long long)m->books[i].old_id);
        if (m->books[i].old_id &&
            !store_query_int(st, &id, &e, "SELECT id FROM ledger_stage WHERE book_id = ?", ids,
                             NULL))
            purge_book(st, m->books[i].old_id, &e);
    }
}

static ag_err book_for(imp *m, int year, int64_t src_line, int64_t *book_id, ag_error *err)
{
    for (int i = 0; i < m->nbooks; i++)
        if (m->books[i].year == year) {
            *book_id = m->books[i].id;
            return AG_OK;
        }
    char where[300];
    snprintf(where, sizeof where, "%s:%lld:fiscal_year", m->fname, (long long)src_line);
    if (m->nbooks == MAX_BOOKS)
        return ag_fail(err, AG_ERR_INPUT, where, "一个文件最多包含 %d 个会计年度",
                       "a file holds at most %d fiscal years", MAX_BOOKS);
    if (year < 1990 || year > 2100)
        return ag_fail(err, AG_ERR_INPUT, where, "会计年度 %d 不合理", "implausible fiscal year %d",
                       year);
    if (m->staged) {
        book_ref *b = &m->books[m->nbooks];
        memset(b, 0, sizeof *b);
        b->year = year;
        ag_err rc = stage_book(m, year, where, b, err);
        if (rc) {
            free(b->old_src);
            memset(b, 0, sizeof *b);
            return rc;
        }
        m->nbooks++;
        *book_id = b->id;
        return AG_OK;
    }
    int64_t id = 0;
    ag_err rc = year_book(m, year, &id, err);
    if (!rc && !id) {
        rc = insert_book(m, year, &id, err);
    } else if (!rc) {
        int64_t n = 0;
        char ids[24];
        snprintf(ids, sizeof ids, "%lld", (long long)id);
        rc = store_query_int(m->st, &n, err,
                             "SELECT COUNT(*) FROM ledger_source WHERE status = 'active' AND id IN"
                             " (SELECT source_id FROM ledger_line WHERE book_id = ?"
                             "  UNION SELECT source_id FROM ledger_balance WHERE book_id = ?)",
                             ids, ids, NULL);
        if (!rc && n > 0) {
            if (m->o->replace) {
                rc = clear_book(m, id, err);
                if (!rc) {
                    /* The replacing file may keep another chart. */
                    ag_stmt *u = NULL;
                    bool r2;
                    rc = store_prepare(
                        m->st, "UPDATE ledger_book SET chart_profile = ? WHERE id = ?", &u, err);
                    if (!rc)
                        rc = store_bind_text(u, 1, m->chart->id);
                    if (!rc)
                        rc = store_bind_int(u, 2, id);
                    if (!rc)
                        rc = store_step(u, &r2, err);
                    store_finalize(u);
                }
                if (!rc) {
                    char key[64];
                    snprintf(key, sizeof key, "%s/%d", m->o->unit_code, year);
                    rc = store_audit_append(m->st, "replace", "ledger_book", key, NULL, NULL, err);
                }
            } else if (!m->o->append) {
                rc = year_taken(m, where, year, err);
            }
        }
    }
    if (rc)
        return rc;
    m->books[m->nbooks].year = year;
    m->books[m->nbooks].id = id;
    m->nbooks++;
    *book_id = id;
    return AG_OK;
}

/* ---- sink callbacks ----------------------------------------------------- */

/* A GB/T set states its unit (a credit code, or the 9-character
 * organisation code inside one): it must be the import's unit. */
static ag_err on_book(void *ctx, const ledger_book_info *b, ag_error *err)
{
    imp *m = ctx;
    if (b->fiscal_year)
        m->info_year = b->fiscal_year;
    const char *u = b->unit_code, *want = m->o->unit_code;
    if (u && *u) {
        char org[16] = "";
        size_t n = 0;
        for (const char *p = u; *p && n < sizeof org - 1; p++)
            if (*p != '-')
                org[n++] = *p; /* organisation codes are often written XXXXXXXX-X */
        org[n] = '\0';
        bool same = strlen(u) == 18                ? strcasecmp(u, want) == 0
                    : n == 9 && strlen(want) == 18 ? strncasecmp(org, want + 8, 9) == 0
                                                   : true;
        if (!same) {
            char where[300];
            snprintf(where, sizeof where, "%s:unit_code", m->fname);
            return ag_fail(err, AG_ERR_INPUT, where, "账套的单位代码 %s 与所选单位 %s 不一致",
                           "the books are of unit %s, not of the chosen unit %s", u, want);
        }
    }
    return AG_OK;
}

/* Room for one more of the n elements (each elem bytes) of arr, whose capacity is *cap (first:
 * the capacity of the first allocation): the array, perhaps moved, or NULL (arr intact). */
static void *grow(void *arr, size_t n, size_t elem, size_t *cap, size_t first)
{
    if (n < *cap)
        return arr;
    size_t c = *cap ? *cap * 2 : first;
    void *p = realloc(arr, c * elem);
    if (p)
        *cap = c;
    return p;
}

static ag_err on_account(void *ctx, const ledger_account *a, ag_error *err)
{
    imp *m = ctx;
    if (!a->code || !*a->code)
        return AG_OK;
    held_account *p = grow(m->accounts, m->naccounts, sizeof *p, &m->cap_accounts, 256);
    if (!p)
        return ag_fail(err, AG_ERR_NOMEM, m->fname, "内存不足", "out of memory");
    m->accounts = p;
    held_account *h = &m->accounts[m->naccounts++];
    h->code = strdup(a->code);
    h->name = dup_or_null(a->name);
    h->parent = dup_or_null(a->parent_code);
    h->class_name = dup_or_null(a->class_name);
    h->level = a->level;
    h->side = a->normal_side;
    if (!h->code)
        return ag_fail(err, AG_ERR_NOMEM, m->fname, "内存不足", "out of memory");
    return AG_OK;
}

static ag_err on_balance(void *ctx, const ledger_balance *b, ag_error *err)
{
    imp *m = ctx;
    held_balance *p = grow(m->balances, m->nbalances, sizeof *p, &m->cap_balances, 1024);
    if (!p)
        return ag_fail(err, AG_ERR_NOMEM, m->fname, "内存不足", "out of memory");
    m->balances = p;
    held_balance *h = &m->balances[m->nbalances++];
    *h = (held_balance){strdup(b->account_code ? b->account_code : ""),
                        b->period,
                        b->opening,
                        b->debit,
                        b->credit,
                        b->closing,
                        b->src_line};
    return h->code ? AG_OK : ag_fail(err, AG_ERR_NOMEM, m->fname, "内存不足", "out of memory");
}

/* A reader's note is a data-quality finding when it says the books are
 * inconsistent; otherwise (which sign convention a balance file uses, files
 * ignored) it is information for the report. Balance continuity is checked
 * here on the normalised balances, so the reader's own continuity notes
 * would count it twice. */
static ag_err on_note(void *ctx, const ledger_note *n, ag_error *err)
{
    imp *m = ctx;
    static const char *const quality[] = {"kjkm_duplicate", "kjkm_side"};
    if (!strcmp(n->kind, "kmye_continuity"))
        return AG_OK;
    for (size_t i = 0; i < sizeof quality / sizeof quality[0]; i++)
        if (!strcmp(n->kind, quality[i]))
            return add_finding(m, 0, n->kind, n->where ? n->where : m->fname, NULL, n->message_zh,
                               n->message_en, err);
    if (json_array_size(m->notes) < MAX_REPORTED_FINDINGS)
        json_array_append_new(m->notes, json_pack("{s:s,s:s,s:s,s:s}", "kind", n->kind, "location",
                                                  n->where ? n->where : m->fname, "message_zh",
                                                  n->message_zh, "message_en", n->message_en));
    (void)err;
    return AG_OK;
}

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
    imp *m = ctx;
    if (!m->show_progress)
        return;
    double now = mono_now();
    if (now - m->last_progress < 0.25 && done < total)
        return;
    m->last_progress = now;
    if (total)
        fprintf(stderr, "\r导入 importing %s: %3d%%  %lld 行 lines", m->fname,
                (int)(done * 100 / total), (long long)m->lines);
    else
        fprintf(stderr, "\r导入 importing %s: %lld 行 lines", m->fname, (long long)m->lines);
    fflush(stderr);
}

static ag_err bind_opt(ag_stmt *s, int idx, const char *v)
{
    return v && *v ? store_bind_textn(s, idx, v, strlen(v)) : store_bind_null(s, idx);
}

/* Adds a run of `n` lines with one dimension value to the counts. */
static ag_err flush_dim(imp *m, int year, const char *kind, const char *value, int64_t n,
                        ag_error *err)
{
    if (!n || !*value)
        return AG_OK;
    if (key_of(&m->key, year, kind, value, NULL))
        return ag_fail(err, AG_ERR_NOMEM, m->fname, "内存不足", "out of memory");
    int64_t *c = ag_map_put(m->dims, m->key.data, m->key.len, NULL);
    if (!c)
        return ag_fail(err, AG_ERR_NOMEM, m->fname, "内存不足", "out of memory");
    *c += n;
    return AG_OK;
}

/* Counts a dimension value. Consecutive lines mostly repeat a value (the
 * lines of one voucher share a department and a payee), so runs are
 * counted first and go to the map once per run. */
static ag_err count_dim(imp *m, int year, int k, const char *value, ag_error *err)
{
    dim_run *d = &m->dim_runs[k];
    const char *v = value ? value : "";
    size_t len = strlen(v);
    if (d->year == year && d->len == len && len < sizeof d->value && !memcmp(d->value, v, len)) {
        d->n++;
        return AG_OK;
    }
    ag_err rc = flush_dim(m, d->year, DIM_KINDS[k], d->value, d->n, err);
    if (rc)
        return rc;
    if (len >= sizeof d->value) {
        /* Too long to keep as a run: count it directly. */
        d->n = 0;
        d->len = 0;
        d->value[0] = '\0';
        return flush_dim(m, year, DIM_KINDS[k], v, 1, err);
    }
    memcpy(d->value, v, len + 1);
    d->len = len;
    d->year = year;
    d->n = 1;
    return AG_OK;
}

/* Counts what is left in the runs. */
static ag_err flush_dims(imp *m, ag_error *err)
{
    ag_err rc = AG_OK;
    for (int k = 0; !rc && k < 6; k++) {
        dim_run *d = &m->dim_runs[k];
        rc = flush_dim(m, d->year, DIM_KINDS[k], d->value, d->n, err);
        d->n = 0;
    }
    return rc;
}

static ag_err on_row(void *ctx, const ledger_row *r, ag_error *err)
{
    imp *m = ctx;
    char where[300];
    if (r->unit_code && *r->unit_code && strcasecmp(r->unit_code, m->o->unit_code) != 0) {
        snprintf(where, sizeof where, "%s:%lld:unit_code", m->fname, (long long)r->src_line);
        return ag_fail(err, AG_ERR_INPUT, where, "文件中的单位代码 %s 与所选单位 %s 不一致",
                       "the file is for unit %s, not for the chosen unit %s", r->unit_code,
                       m->o->unit_code);
    }
    if (!r->account_code || !*r->account_code || !r->voucher_no || !*r->voucher_no) {
        snprintf(where, sizeof where, "%s:%lld:%s", m->fname, (long long)r->src_line,
                 !r->voucher_no || !*r->voucher_no ? "voucher_no" : "account_code");
        return ag_fail(err, AG_ERR_INPUT, where, "必填字段为空", "a required field is empty");
    }
    ag_date d = ag_date_from_days(r->date);
    int year = r->fiscal_year ? r->fiscal_year : d.year;
    if (m->o->year && year != m->o->year) {
        snprintf(where, sizeof where, "%s:%lld:fiscal_year", m->fname, (long long)r->src_line);
        return ag_fail(err, AG_ERR_INPUT, where, "该行属于 %d 年度，而所填年度为 %d",
                       "the row belongs to %d but the year given is %d", year, m->o->year);
    }
    int period = r->period ? r->period : d.month;
    int64_t book_id;
    ag_err rc = book_for(m, year, r->src_line, &book_id, err);
    if (rc)
        return rc;
    const char *vtype = r->voucher_type && *r->voucher_type ? r->voucher_type : "记";

    /* Voucher accumulator: balance and duplicate line numbers. Vouchers are
     * numbered per year, month and type, so the period is part of the key. */
    char per[4] = {(char)('0' + period / 10 % 10), (char)('0' + period % 10), '\0', '\0'};
    if (period < 10) {
        per[0] = per[1];
        per[1] = '\0';
    }
    if (key_of(&m->key, year, per, vtype, r->voucher_no))
        return ag_fail(err, AG_ERR_NOMEM, m->fname, "内存不足", "out of memory");
    bool created;
    voucher_acc *v = ag_map_put(m->vouchers, m->key.data, m->key.len, &created);
    if (!v)
        return ag_fail(err, AG_ERR_NOMEM, m->fname, "内存不足", "out of memory");
    if (created) {
        v->first_src_line = r->src_line;
        v->date = r->date;
        v->year = year;
    }
    int line_no = r->line_no > 0 ? r->line_no : v->lines + 1;
    v->lines++;
    if (r->voided == 1) {
        v->voided_lines++;
    } else {
        v->debit += r->debit;
        v->credit += r->credit;
    }
    bool dup = false;
    if (line_no < 64) {
        dup = (v->line_mask >> line_no) & 1u;
        v->line_mask |= 1ull << line_no;
    } else {
        char ln[16];
        snprintf(ln, sizeof ln, "%d", line_no);
        if (key_of(&m->key, year, per, vtype, r->voucher_no) || ag_buf_addc(&m->key, '\x1f') ||
            ag_buf_adds(&m->key, ln) ||
            !ag_map_put(m->high_lines, m->key.data, m->key.len, &created))
            return ag_fail(err, AG_ERR_NOMEM, m->fname, "内存不足", "out of memory");
        dup = !created;
    }
    if (dup) {
        char loc[300], vno[200], zh[512], en[512];
        snprintf(loc, sizeof loc, "%s:%lld", m->fname, (long long)r->src_line);
        snprintf(vno, sizeof vno, "%s-%s", vtype, r->voucher_no);
        snprintf(zh, sizeof zh, "%d 年 %d 月凭证 %s 的分录号 %d 重复", year, period, vno, line_no);
        snprintf(en, sizeof en, "line number %d of voucher %s (%d-%02d) appears twice", line_no,
                 vno, year, period);
        rc = add_finding(m, year, "duplicate_line", loc, vno, zh, en, err);
        if (rc)
            return rc;
    }

    /* Movements per account and period, for the chart and KMYE checks. */
    if (key_of(&m->key, year, r->account_code, per, NULL))
        return ag_fail(err, AG_ERR_NOMEM, m->fname, "内存不足", "out of memory");
    move_acc *mv = ag_map_put(m->moves, m->key.data, m->key.len, &created);
    if (!mv)
        return ag_fail(err, AG_ERR_NOMEM, m->fname, "内存不足", "out of memory");
    if (created)
        mv->first_src_line = r->src_line;
    if (!mv->name_src_line && r->account_name && *r->account_name) {
        snprintf(mv->name, sizeof mv->name, "%s", r->account_name);
        mv->name_src_line = r->src_line;
    }
    if (r->voided != 1) {
        mv->debit += r->debit;
        mv->credit += r->credit;
    }
    const char *dimv[] = {r->dept,       r->counterparty, r->project, r->func_class,
                          r->econ_class, r->fund_type,    NULL};
    for (int i = 0; i < 6; i++) {
        rc = count_dim(m, year, i, dimv[i], err);
        if (rc)
            return rc;
    }

    char date[11];
    ag_date_format(r->date, date);
    ag_stmt *s = m->ins_line;
    bool row;
    rc = store_reset(s, err);
    int i = 1;
    if (!rc)
        rc = store_bind_int(s, i++, book_id);
    if (!rc)
        rc = store_bind_int(s, i++, m->source_id);
    if (!rc)
        rc = store_bind_int(s, i++, r->src_line);
    if (!rc)
        rc = store_bind_int(s, i++, period);
    if (!rc)
        rc = store_bind_textn(s, i++, date, 10);
    if (!rc)
        rc = store_bind_textn(s, i++, vtype, strlen(vtype));
    if (!rc)
        rc = store_bind_textn(s, i++, r->voucher_no, strlen(r->voucher_no));
    if (!rc)
        rc = store_bind_int(s, i++, line_no);
    if (!rc)
        rc = bind_opt(s, i++, r->summary);
    if (!rc)
        rc = store_bind_textn(s, i++, r->account_code, strlen(r->account_code));
    if (!rc)
        rc = bind_opt(s, i++, r->account_name);
    if (!rc)
        rc = store_bind_int(s, i++, r->debit);
    if (!rc)
        rc = store_bind_int(s, i++, r->credit);
    const char *texts[] = {r->counterparty, r->dept,      r->project,      r->func_class,
                           r->econ_class,   r->fund_type, r->decision_ref, r->bill_no,
                           r->settle_type,  r->maker,     r->reviewer,     r->poster,
                           r->cashier};
    for (size_t k = 0; !rc && k < sizeof texts / sizeof texts[0]; k++)
        rc = bind_opt(s, i++, texts[k]);
    if (!rc)
        rc = r->posted < 0 ? store_bind_null(s, i) : store_bind_int(s, i, r->posted);
    i++;
    if (!rc)
        rc = r->voided < 0 ? store_bind_null(s, i) : store_bind_int(s, i, r->voided);
    i++;
    if (!rc)
        rc = bind_opt(s, i++, r->extra_json);
    if (!rc)
        rc = store_step(s, &row, err);
    if (rc)
        return rc;
    m->lines++;
    m->debit_total += r->debit;
    m->credit_total += r->credit;
    if (m->staged && ++m->batch_lines >= STAGE_BATCH_LINES)
        return batch_turn(m, err);
    return AG_OK;
}

/* ---- end-of-file checks and writes ------------------------------------- */

static ag_err check_vouchers(imp *m, ag_error *err)
{
    ag_err rc = AG_OK;
    for (size_t i = 0; !rc && i < ag_map_count(m->vouchers); i++) {
        const char *key;
        size_t klen;
        void *val;
        ag_map_entry(m->vouchers, i, &key, &klen, &val);
        voucher_acc *v = val;
        if (v->debit == v->credit)
            continue;
        /* key is year 0x1F period 0x1F type 0x1F no */
        const char *p = memchr(key, '\x1f', klen);
        const char *t = p ? memchr(p + 1, '\x1f', klen - (size_t)(p + 1 - key)) : NULL;
        const char *n = t ? memchr(t + 1, '\x1f', klen - (size_t)(t + 1 - key)) : NULL;
        if (!t || !n)
            continue;
        char vno[200], loc[300], zh[512], en[512], d[24], c[24], diff[24];
        snprintf(vno, sizeof vno, "%.*s-%.*s", (int)(n - t - 1), t + 1,
                 (int)(klen - (size_t)(n + 1 - key)), n + 1);
        snprintf(loc, sizeof loc, "%s:%lld", m->fname, (long long)v->first_src_line);
        money_str(v->debit, d);
        money_str(v->credit, c);
        money_str(v->debit - v->credit, diff);
        int month = (int)strtol(p + 1, NULL, 10);
        snprintf(zh, sizeof zh, "%d 年 %d 月凭证 %s 借贷不平：借方 %s，贷方 %s，差额 %s", v->year,
                 month, vno, d, c, diff);
        snprintf(en, sizeof en,
                 "voucher %s (%d-%02d) does not balance: debit %s, credit %s, difference %s", vno,
                 v->year, month, d, c, diff);
        rc = add_finding(m, v->year, "unbalanced_voucher", loc, vno, zh, en, err);
    }
    return rc;
}

/* Splits a moves key "year\x1faccount\x1fperiod". */
static void split_move_key(const char *key, size_t klen, int *year, char *acct, size_t an,
                           int *period)
{
    *year = (int)strtol(key, NULL, 10);
    const char *a = memchr(key, '\x1f', klen);
    const char *p = a ? memchr(a + 1, '\x1f', klen - (size_t)(a + 1 - key)) : NULL;
    if (!a || !p) {
        acct[0] = '\0';
        *period = 0;
        return;
    }
    snprintf(acct, an, "%.*s", (int)(p - a - 1), a + 1);
    *period = (int)strtol(p + 1, NULL, 10);
}

/* The i-th entry of the moves map and, unless acct is NULL, its key split into year, account
 * (an bytes) and period. */
static const move_acc *move_at(const imp *m, size_t i, int *year, char *acct, size_t an,
                               int *period)
{
    const char *key;
    size_t klen;
    void *val;
    ag_map_entry(m->moves, i, &key, &klen, &val);
    if (acct)
        split_move_key(key, klen, year, acct, an, period);
    return val;
}

static bool file_has_account(const imp *m, const char *code)
{
    for (size_t i = 0; i < m->naccounts; i++)
        if (strcmp(m->accounts[i].code, code) == 0)
            return true;
    return false;
}

static ag_err check_accounts(imp *m, ag_error *err)
{
    ag_map *seen = ag_map_new(1);
    if (!seen)
        return ag_fail(err, AG_ERR_NOMEM, m->fname, "内存不足", "out of memory");
    ag_err rc = AG_OK;
    for (size_t i = 0; !rc && i < ag_map_count(m->moves); i++) {
        int year, period;
        char acct[128];
        const move_acc *mv = move_at(m, i, &year, acct, sizeof acct, &period);
        bool created;
        if (!ag_map_put(seen, acct, strlen(acct), &created)) {
            rc = ag_fail(err, AG_ERR_NOMEM, m->fname, "内存不足", "out of memory");
            break;
        }
        if (!created)
            continue;
        bool known =
            m->naccounts ? file_has_account(m, acct) : chart_lookup(m->chart, acct) != NULL;
        if (known)
            continue;
        char loc[300], zh[512], en[512];
        snprintf(loc, sizeof loc, "%s:%lld", m->fname, (long long)mv->first_src_line);
        if (m->naccounts) {
            snprintf(zh, sizeof zh, "科目 %s 不在会计科目表（KJKM）中", acct);
            snprintf(en, sizeof en, "account %s is not in the chart of accounts (KJKM)", acct);
        } else {
            snprintf(zh, sizeof zh, "科目 %s 不属于%s的一级科目", acct, m->chart->name_zh);
            snprintf(en, sizeof en, "account %s is not under a level-1 account of the %s chart",
                     acct, m->chart->id);
        }
        rc = add_finding(m, year, "unknown_account", loc, NULL, zh, en, err);
    }
    ag_map_free(seen);
    return rc;
}

static int cmp_balance(const void *a, const void *b)
{
    const held_balance *x = a, *y = b;
    int c = strcmp(x->code, y->code);
    return c ? c : (x->period > y->period) - (x->period < y->period);
}

/* KMYE continuity, and KMYE movements against the voucher lines rolled up to
 * each balance account (an account's balance includes its sub-accounts). */
static ag_err check_balances(imp *m, int year, ag_error *err)
{
    if (m->nbalances == 0)
        return AG_OK;
    qsort(m->balances, m->nbalances, sizeof *m->balances, cmp_balance);
    ag_map *bal_accounts = ag_map_new(1), *rollup = ag_map_new(sizeof(move_acc));
    ag_err rc = AG_OK;
    if (!bal_accounts || !rollup)
        rc = ag_fail(err, AG_ERR_NOMEM, m->fname, "内存不足", "out of memory");
    for (size_t i = 0; !rc && i < m->nbalances; i++)
        if (!ag_map_put(bal_accounts, m->balances[i].code, strlen(m->balances[i].code), NULL))
            rc = ag_fail(err, AG_ERR_NOMEM, m->fname, "内存不足", "out of memory");
    for (size_t i = 0; !rc && i < ag_map_count(m->moves); i++) {
        int y, period;
        char acct[128];
        const move_acc *mv = move_at(m, i, &y, acct, sizeof acct, &period);
        if (y != year)
            continue;
        size_t alen = strlen(acct);
        for (size_t len = 1; len <= alen; len++) {
            if (!ag_map_get(bal_accounts, acct, len))
                continue;
            char k[160];
            int kl = snprintf(k, sizeof k, "%.*s\x1f%d", (int)len, acct, period);
            move_acc *r = ag_map_put(rollup, k, (size_t)kl, NULL);
            if (!r) {
                rc = ag_fail(err, AG_ERR_NOMEM, m->fname, "内存不足", "out of memory");
                break;
            }
            r->debit += mv->debit;
            r->credit += mv->credit;
        }
    }
    for (size_t i = 0; !rc && i < m->nbalances; i++) {
        const held_balance *b = &m->balances[i];
        char loc[300], zh[512], en[512], a[24], c2[24];
        snprintf(loc, sizeof loc, "%s:%lld", m->fname, (long long)b->src_line);
        if (b->opening + b->debit - b->credit != b->closing) {
            money_str(b->opening + b->debit - b->credit, a);
            money_str(b->closing, c2);
            snprintf(zh, sizeof zh, "科目 %s 第 %d 期：期初 + 借方 - 贷方 = %s，与期末余额 %s 不符",
                     b->code, b->period, a, c2);
            snprintf(en, sizeof en,
                     "account %s period %d: opening + debit - credit = %s but closing is %s",
                     b->code, b->period, a, c2);
            rc = add_finding(m, year, "kmye_continuity", loc, NULL, zh, en, err);
        }
        if (!rc && i > 0 && strcmp(m->balances[i - 1].code, b->code) == 0 &&
            m->balances[i - 1].period + 1 == b->period &&
            m->balances[i - 1].closing != b->opening) {
            money_str(m->balances[i - 1].closing, a);
            money_str(b->opening, c2);
            snprintf(zh, sizeof zh, "科目 %s 第 %d 期期初余额 %s 与上期期末余额 %s 不衔接", b->code,
                     b->period, c2, a);
            snprintf(en, sizeof en,
                     "account %s period %d opens at %s but the previous period closed at %s",
                     b->code, b->period, c2, a);
            rc = add_finding(m, year, "kmye_continuity", loc, NULL, zh, en, err);
        }
        if (rc || b->period < 1)
            continue;
        char k[160];
        int kl = snprintf(k, sizeof k, "%s\x1f%d", b->code, b->period);
        const move_acc *r = ag_map_get(rollup, k, (size_t)kl);
        int64_t ld = r ? r->debit : 0, lc = r ? r->credit : 0;
        if (ld != b->debit || lc != b->credit) {
            char d1[24], d2[24], c1[24], cc2[24];
            money_str(ld, d1);
            money_str(b->debit, d2);
            money_str(lc, c1);
            money_str(b->credit, cc2);
            snprintf(zh, sizeof zh,
                     "科目 %s 第 %d 期：凭证发生额 借 %s 贷 %s，余额表发生额 借 %s 贷 %s", b->code,
                     b->period, d1, c1, d2, cc2);
            snprintf(en, sizeof en,
                     "account %s period %d: voucher movements debit %s credit %s, balance table "
                     "debit %s credit %s",
                     b->code, b->period, d1, c1, d2, cc2);
            rc = add_finding(m, year, "kmye_vs_jzpz", loc, NULL, zh, en, err);
        }
    }
    ag_map_free(bal_accounts);
    ag_map_free(rollup);
    return rc;
}

static ag_err write_balances(imp *m, int64_t book_id, ag_error *err)
{
    ag_stmt *s = NULL; /* prepared once, bound per balance */
    ag_err rc = store_prepare_args(m->st, &s, err,
                                   "INSERT INTO ledger_balance (book_id, source_id, src_line, "
                                   "account_code, period, opening, debit, credit, closing) VALUES "
                                   "(?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                   "");
    for (size_t i = 0; !rc && i < m->nbalances; i++) {
        const held_balance *b = &m->balances[i];
        bool row;
        rc = store_reset_args(s, err, "iiitiiiii", book_id, m->source_id, b->src_line, b->code,
                              (int64_t)b->period, b->opening, b->debit, b->credit, b->closing);
        if (!rc)
            rc = store_step(s, &row, err);
    }
    store_finalize(s);
    return rc;
}

/* Upserts one account of a book; an account already present keeps its row. */
static ag_err put_account(imp *m, ag_stmt *s, int64_t book_id, const char *code, const char *name,
                          int level, const char *parent, const char *class_name, char side,
                          ag_error *err)
{
    const chart_account *ca = chart_lookup(m->chart, code);
    if (!side && ca)
        side = ca->normal_side;
    if (!class_name && ca)
        class_name = ca->class_name;
    if (!level)
        level = strlen(code) <= 4 ? 1 : 1 + (int)((strlen(code) - 4 + 1) / 2);
    char sidestr[2] = {side, '\0'};
    bool row;
    ag_err rc = store_reset_args(s, err, "ittitttti", book_id, code, name, (int64_t)level, parent,
                                 class_name, side == 'D' || side == 'C' ? sidestr : NULL,
                                 ca && (ca->roles & CHART_ROLE_BUDGET) ? "budget" : "financial",
                                 m->source_id);
    if (!rc)
        rc = store_step(s, &row, err);
    return rc;
}

/* The chart of each book: the file's own (KJKM) when it has one, otherwise
 * the accounts its lines use, named from the lines and the chart profile. */
static ag_err write_accounts(imp *m, int year, int64_t book_id, ag_error *err)
{
    ag_stmt *s = NULL, *name_q = NULL;
    ag_err rc = store_prepare(m->st,
                              "INSERT INTO ledger_account (book_id, code, name, level, "
                              "parent_code, class, normal_side, basis, source_id) VALUES "
                              "(?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (book_id, code) DO NOTHING",
                              &s, err);
    for (size_t i = 0; !rc && i < m->naccounts; i++) {
        const held_account *a = &m->accounts[i];
        rc = put_account(m, s, book_id, a->code, a->name, a->level, a->parent, a->class_name,
                         a->side, err);
    }
    /* A staged book holds only this file's lines: the first name of each
     * account is in memory (asking the lines costs a scan per account and
     * period, with the write lock held). */
    ag_map *first = NULL;
    if (!rc && m->naccounts == 0 && m->staged) {
        first = ag_map_new(sizeof(size_t));
        if (!first)
            rc = ag_fail(err, AG_ERR_NOMEM, m->fname, "内存不足", "out of memory");
        for (size_t i = 0; !rc && i < ag_map_count(m->moves); i++) {
            int y, period;
            char acct[128];
            const move_acc *mv = move_at(m, i, &y, acct, sizeof acct, &period);
            if (y != year || !mv->name_src_line)
                continue;
            bool created;
            size_t *best = ag_map_put(first, acct, strlen(acct), &created);
            if (!best) {
                rc = ag_fail(err, AG_ERR_NOMEM, m->fname, "内存不足", "out of memory");
                break;
            }
            if (created) {
                *best = i;
            } else {
                if (mv->name_src_line < move_at(m, *best, NULL, NULL, 0, NULL)->name_src_line)
                    *best = i;
            }
        }
    }
    if (!rc && m->naccounts == 0 && !first)
        rc = store_prepare(m->st,
                           "SELECT account_name FROM ledger_line WHERE book_id = ? AND "
                           "account_code = ? AND account_name IS NOT NULL LIMIT 1",
                           &name_q, err);
    if (!rc && m->naccounts == 0) {
        for (size_t i = 0; !rc && i < ag_map_count(m->moves); i++) {
            int y, period;
            char acct[128], name[256] = "";
            move_at(m, i, &y, acct, sizeof acct, &period);
            if (y != year)
                continue;
            bool row = false;
            if (first) {
                const size_t *best = ag_map_get(first, acct, strlen(acct));
                if (best) {
                    snprintf(name, sizeof name, "%s", move_at(m, *best, NULL, NULL, 0, NULL)->name);
                    row = true;
                }
            } else {
                rc = store_reset_args(name_q, err, "it", book_id, acct);
                if (!rc)
                    rc = store_step(name_q, &row, err);
                if (!rc && row)
                    snprintf(name, sizeof name, "%s", store_col_text(name_q, 0));
            }
            if (!rc && !row) {
                const chart_account *ca = chart_lookup(m->chart, acct);
                if (ca && strlen(acct) == 4)
                    snprintf(name, sizeof name, "%s", ca->name);
            }
            char parent[128] = "";
            if (strlen(acct) > 4)
                snprintf(parent, sizeof parent, "%.4s", acct);
            if (!rc)
                rc = put_account(m, s, book_id, acct, name[0] ? name : NULL, 0,
                                 parent[0] ? parent : NULL, NULL, 0, err);
        }
    }
    ag_map_free(first);
    store_finalize(name_q);
    store_finalize(s);
    return rc;
}

static ag_err write_dims(imp *m, int year, int64_t book_id, ag_error *err)
{
    ag_stmt *s = NULL;
    ag_err rc = store_prepare(m->st,
                              "INSERT INTO ledger_dim (book_id, kind, value, lines) VALUES "
                              "(?, ?, ?, ?) ON CONFLICT (book_id, kind, value) DO UPDATE SET "
                              "lines = ledger_dim.lines + excluded.lines",
                              &s, err);
    for (size_t i = 0; !rc && i < ag_map_count(m->dims); i++) {
        const char *key;
        size_t klen;
        void *val;
        ag_map_entry(m->dims, i, &key, &klen, &val);
        if ((int)strtol(key, NULL, 10) != year)
            continue;
        const char *k = memchr(key, '\x1f', klen);
        const char *v = k ? memchr(k + 1, '\x1f', klen - (size_t)(k + 1 - key)) : NULL;
        if (!k || !v)
            continue;
        char kind[32];
        snprintf(kind, sizeof kind, "%.*s", (int)(v - k - 1), k + 1);
        bool row;
        rc = store_reset(s, err);
        if (!rc)
            rc = store_bind_int(s, 1, book_id);
        if (!rc)
            rc = store_bind_text(s, 2, kind);
        if (!rc)
            rc = store_bind_textn(s, 3, v + 1, klen - (size_t)(v + 1 - key));
        if (!rc)
            rc = store_bind_int(s, 4, *(int64_t *)val);
        if (!rc)
            rc = store_step(s, &row, err);
    }
    store_finalize(s);
    return rc;
}

/* ---- the import itself --------------------------------------------------- */

static const char *detect_format(const char *path, const char *want)
{
    if (want && strcmp(want, "auto") != 0)
        return want;
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return "gbt19581";
    const char *dot = strrchr(path, '.');
    if (dot && (!strcasecmp(dot, ".xlsx") || !strcasecmp(dot, ".xls")))
        return "xlsx"; /* the XLSX reader explains that .xls must be saved as .xlsx */
    if (dot && !strcasecmp(dot, ".zip"))
        return "gbt19581";
    return "csv";
}

static ag_err run_reader(imp *m, const char *path, const char *format, const ledger_sink *sink,
                         ledger_file_info *info, ag_error *err)
{
    if (!strcmp(format, "csv")) {
        ledger_csv_opts co = {.unit_code = m->o->unit_code};
        /* No default year: a row's year comes from its own column or its
         * date, and on_row checks it against --year. */
        return ledger_read_csv(path, &co, sink, info, err);
    }
    if (!strcmp(format, "xlsx")) {
        ledger_xlsx_opts xo = {.unit_code = m->o->unit_code, .sheet = m->o->sheet};
        return ledger_read_xlsx(path, &xo, sink, info, err);
    }
    if (!strcmp(format, "gbt19581")) {
        ledger_gbt_opts go = {.unit_code = m->o->unit_code, .default_year = m->o->year};
        return ledger_read_gbt19581(path, &go, sink, info, err);
    }
    return ag_fail(err, AG_ERR_USAGE, "format", "未知格式 %s（应为 auto、gbt19581、csv 或 xlsx）",
                   "unknown format %s (auto, gbt19581, csv or xlsx)", format);
}

/* The SHA-256 of a regular file's bytes (the readers hash the same way). */
static ag_err file_sha256(const char *path, char out[AG_SHA256_HEX], ag_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return ag_fail(err, AG_ERR_IO, path, "无法读取文件", "cannot read the file");
    ag_sha256 h;
    ag_sha256_init(&h);
    static char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        ag_sha256_update(&h, buf, n);
    int bad = ferror(f);
    fclose(f);
    if (bad)
        return ag_fail(err, AG_ERR_IO, path, "读取文件出错", "error reading the file");
    ag_sha256_final_hex(&h, out);
    return AG_OK;
}

/* The active source of this unit with this hash, or 0. */
static ag_err find_source(ag_store *st, const char *unit, const char *sha, int64_t *id,
                          ag_error *err)
{
    ag_err rc = store_query_int(st, id, err,
                                "SELECT id FROM ledger_source WHERE unit_code = ? AND sha256 = ? "
                                "AND status = 'active' ORDER BY id LIMIT 1",
                                unit, sha, NULL);
    if (rc == AG_ERR_NOTFOUND) {
        *id = 0;
        return AG_OK;
    }
    return rc;
}

static ag_err already_report(ag_store *st, int64_t id, const char *path, json_t **report,
                             ag_error *err)
{
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = store_prepare_args(
        st, &s, err, "SELECT report, imported_at FROM ledger_source WHERE id = ?", "i", id);
    if (!rc)
        rc = store_step(s, &row, err);
    json_t *r = NULL;
    if (!rc && row)
        r = json_loads(store_col_text(s, 0), 0, NULL);
    if (r) {
        json_object_set_new(r, "status", json_string("already_imported"));
        json_object_set_new(r, "path", json_string(path));
        json_object_set_new(r, "imported_at", json_string(store_col_text(s, 1)));
        json_object_set_new(r, "source_id", json_integer(id));
    }
    store_finalize(s);
    if (!rc && !r)
        rc = ag_fail(err, AG_ERR_STORE, path, "导入记录损坏", "the import record is damaged");
    *report = r;
    return rc;
}

static void imp_release(imp *m)
{
    store_finalize(m->ins_line);
    store_finalize(m->ins_finding);
    ag_map_free(m->vouchers);
    ag_map_free(m->high_lines);
    ag_map_free(m->moves);
    ag_map_free(m->dims);
    for (size_t i = 0; i < m->naccounts; i++) {
        free(m->accounts[i].code);
        free(m->accounts[i].name);
        free(m->accounts[i].parent);
        free(m->accounts[i].class_name);
    }
    free(m->accounts);
    for (size_t i = 0; i < m->nbalances; i++)
        free(m->balances[i].code);
    free(m->balances);
    json_decref(m->findings);
    json_decref(m->findings_by_kind);
    json_decref(m->notes);
    ag_buf_release(&m->key);
    for (int i = 0; i < m->nbooks; i++)
        free(m->books[i].old_src);
}

static ag_err unit_type(ag_store *st, const char *unit, char out[32], ag_error *err)
{
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = store_prepare_args(st, &s, err, "SELECT type FROM unit WHERE code = ?", "t", unit);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row)
        snprintf(out, 32, "%s", store_col_text(s, 0));
    store_finalize(s);
    if (!rc && !row)
        rc = ag_fail(err, AG_ERR_NOTFOUND, "unit_code",
                     "单位 %s 不存在；请先用 auditgrid unit add 添加该单位",
                     "no unit %s; add it first with `auditgrid unit add`", unit ? unit : "");
    return rc;
}

static ag_err finish_import(imp *m, const char *path, const char *format,
                            const ledger_file_info *info, json_t **report, ag_error *err)
{
    trace_phase(m, "read");
    ag_err rc = flush_dims(m, err);
    if (!rc)
        rc = check_vouchers(m, err);
    trace_phase(m, "vouchers");
    if (!rc)
        rc = check_accounts(m, err);
    trace_phase(m, "accounts");
    /* Accounts and balances the file gave belong to the year it states, or to
     * its only year; with several years the chart goes to each. */
    int bal_year = m->info_year ? m->info_year : m->o->year;
    if (!bal_year && m->nbooks == 1)
        bal_year = m->books[0].year;
    if (!rc && (m->nbalances || m->naccounts) && bal_year) {
        int64_t bid;
        rc = book_for(m, bal_year, 0, &bid, err);
    }
    if (!rc && m->nbalances)
        rc = check_balances(m, bal_year, err);
    trace_phase(m, "balances");
    json_t *years = json_array();
    for (int i = 0; !rc && i < m->nbooks; i++) {
        json_array_append_new(years, json_integer(m->books[i].year));
        rc = write_accounts(m, m->books[i].year, m->books[i].id, err);
        if (!rc)
            rc = write_dims(m, m->books[i].year, m->books[i].id, err);
        if (!rc && m->books[i].year == bal_year)
            rc = write_balances(m, m->books[i].id, err);
    }
    if (!rc && m->nbooks == 0)
        rc = ag_fail(err, AG_ERR_INPUT, path, "文件中没有凭证行", "the file has no voucher lines");
    /* Findings whose year was not known belong to the book of a single-year file. */
    if (!rc && m->nbooks == 1) {
        char sid[24], bid[24];
        snprintf(sid, sizeof sid, "%lld", (long long)m->source_id);
        snprintf(bid, sizeof bid, "%lld", (long long)m->books[0].id);
        ag_stmt *s = NULL;
        bool row;
        rc = store_prepare(m->st,
                           "UPDATE ledger_finding SET book_id = ? WHERE source_id = ? AND book_id "
                           "IS NULL",
                           &s, err);
        if (!rc)
            rc = store_bind_int(s, 1, m->books[0].id);
        if (!rc)
            rc = store_bind_int(s, 2, m->source_id);
        if (!rc)
            rc = store_step(s, &row, err);
        store_finalize(s);
    }
    trace_phase(m, "writes");
    char d[24], c[24];
    money_str(m->debit_total, d);
    money_str(m->credit_total, c);
    json_t *r =
        json_pack("{s:s,s:s,s:s,s:s,s:I,s:s,s:s,s:O,s:I,s:I,s:s,s:s,s:I,s:O,s:O,s:I}", "path", path,
                  "format", format, "encoding", info->encoding, "sha256", info->sha256, "bytes",
                  (json_int_t)info->bytes, "status", "imported", "unit", m->o->unit_code, "years",
                  years, "vouchers", (json_int_t)ag_map_count(m->vouchers), "lines",
                  (json_int_t)m->lines, "debit_total", d, "credit_total", c, "findings_total",
                  (json_int_t)m->findings_total, "findings_by_kind", m->findings_by_kind,
                  "findings", m->findings, "source_id", (json_int_t)m->source_id);
    json_decref(years);
    if (r)
        json_object_set(r, "notes", m->notes);
    if (!r && !rc)
        rc = ag_fail(err, AG_ERR_NOMEM, path, "内存不足", "out of memory");
    char *text = r ? json_dumps(r, JSON_COMPACT) : NULL;
    /* The staging books are complete: what remains is the short switch-over. */
    if (!rc && m->staged)
        rc = batch_turn(m, err);
    char ystr[256] = "";
    for (int i = 0; i < m->nbooks; i++) {
        size_t l = strlen(ystr);
        snprintf(ystr + l, sizeof ystr - l, "%s%d", i ? "," : "", m->books[i].year);
    }
    if (!rc) {
        ag_stmt *s = NULL;
        bool row;
        rc = store_prepare_args(
            m->st, &s, err,
            "UPDATE ledger_source SET encoding = ?, sha256 = ?, bytes = ?, years = ?,"
            " vouchers = ?, lines = ?, debit_total = ?, credit_total = ?,"
            " findings = ?, report = ? WHERE id = ?",
            "ttitiiiiiti", info->encoding, info->sha256, (int64_t)info->bytes, ystr,
            (int64_t)ag_map_count(m->vouchers), m->lines, m->debit_total, m->credit_total,
            m->findings_total, text, m->source_id);
        if (!rc)
            rc = store_step(s, &row, err);
        store_finalize(s);
    }
    free(text);
    if (!rc && m->staged)
        rc = stage_switch(m, err);
    if (!rc) {
        char key[64];
        snprintf(key, sizeof key, "%lld", (long long)m->source_id);
        rc = store_audit_append(m->st, "import", "ledger_source", key, NULL, info->sha256, err);
    }
    if (rc) {
        json_decref(r);
        return rc;
    }
    *report = r;
    return AG_OK;
}

ag_err ledger_import(ag_store *st, const char *path, const ledger_import_opts *o, json_t **report,
                     ag_error *err)
{
    *report = NULL;
    imp m;
    memset(&m, 0, sizeof m);
    m.st = st;
    m.o = o;
    m.fname = base_name(path);
    ag_buf_init(&m.key, 64 * 1024);
    ag_err rc = unit_type(st, o->unit_code, m.unit_type, err);
    if (rc)
        return rc;
    m.chart = o->chart ? chart_profile_get(o->chart) : chart_profile_for_unit_type(m.unit_type);
    if (!m.chart)
        return ag_fail(err, AG_ERR_USAGE, "chart", "未知科目体系 %s（应为 gov2019 或 enterprise）",
                       "unknown chart profile %s (gov2019 or enterprise)", o->chart);
    const char *format = detect_format(path, o->format);
    if (strcmp(format, "csv") && strcmp(format, "xlsx") && strcmp(format, "gbt19581"))
        return ag_fail(err, AG_ERR_USAGE, "format",
                       "未知格式 %s（应为 auto、gbt19581、csv 或 xlsx）",
                       "unknown format %s (auto, gbt19581, csv or xlsx)", format);
    struct stat sb;
    if (stat(path, &sb) != 0)
        return ag_fail(err, AG_ERR_IO, path, "文件不存在或无法访问",
                       "no such file or not readable");

    /* A file already imported is recognised by its hash before any work; only
     * regular files of a size seen before are hashed up front. */
    if (!o->replace && S_ISREG(sb.st_mode)) {
        char size[24];
        int64_t same = 0;
        snprintf(size, sizeof size, "%lld", (long long)sb.st_size);
        rc = store_query_int(st, &same, err,
                             "SELECT COUNT(*) FROM ledger_source WHERE unit_code = ? AND bytes = ? "
                             "AND status = 'active'",
                             o->unit_code, size, NULL);
        if (!rc && same > 0) {
            char sha[AG_SHA256_HEX];
            int64_t id = 0;
            rc = file_sha256(path, sha, err);
            if (!rc)
                rc = find_source(st, o->unit_code, sha, &id, err);
            if (!rc && id)
                return already_report(st, id, path, report, err);
        }
        if (rc)
            return rc;
    }

    m.vouchers = ag_map_new(sizeof(voucher_acc));
    m.high_lines = ag_map_new(1);
    m.moves = ag_map_new(sizeof(move_acc));
    m.dims = ag_map_new(sizeof(int64_t));
    m.findings = json_array();
    m.findings_by_kind = json_object();
    m.notes = json_array();
    m.show_progress = o->progress && isatty(2);
    /* Appending adds to a visible book, and a caller's own transaction must
     * stay whole: both import in one transaction. Otherwise in batches. */
    m.staged = !o->append && !store_in_tx(st);
    if (m.staged) {
        /* Leftovers of a crashed import go first (a failure here is not this import's). */
        ag_error e;
        ag_error_clear(&e);
        ledger_import_cleanup(st, NULL, &e);
    }
    if (!m.vouchers || !m.high_lines || !m.moves || !m.dims) {
        imp_release(&m);
        return ag_fail(err, AG_ERR_NOMEM, path, "内存不足", "out of memory");
    }
    rc = store_begin(st, err);
    if (rc) {
        imp_release(&m);
        return rc;
    }
    m.tx_started = mono_now();
    char ts[21];
    ag_clock_format(ag_clock_now(), ts);
    ag_stmt *s = NULL;
    bool row = false;
    rc = store_prepare_args(
        st, &s, err,
        "INSERT INTO ledger_source (unit_code, path, format, encoding, sha256, bytes,"
        " status, years, vouchers, lines, debit_total, credit_total, findings,"
        " report, imported_at, imported_by) VALUES (?, ?, ?, '', '', 0, ?,"
        " '', 0, 0, 0, 0, 0, '{}', ?, ?) RETURNING id",
        "tttttt", o->unit_code, base_name(o->label ? o->label : path), format,
        m.staged ? "replaced" : "active", ts, store_actor(st));
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row)
        m.source_id = store_col_int(s, 0);
    while (!rc && row)
        rc = store_step(s, &row, err);
    store_finalize(s);
    if (!rc && m.staged)
        rc = stage_note(st, m.source_id, 0, err);
    if (!rc)
        rc = store_prepare(
            st,
            "INSERT INTO ledger_line (book_id, source_id, src_line, period, "
            "voucher_date, voucher_type, voucher_no, line_no, summary, account_code, "
            "account_name, debit, credit, counterparty, dept, project, func_class, "
            "econ_class, fund_type, decision_ref, bill_no, settle_type, maker, "
            "reviewer, poster, cashier, posted, voided, extra) VALUES (?, ?, ?, ?, "
            "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            &m.ins_line, err);
    if (!rc)
        rc = store_prepare(st,
                           "INSERT INTO ledger_finding (source_id, kind, location, voucher, "
                           "message_zh, message_en, book_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           &m.ins_finding, err);
    ledger_sink sink = {&m, on_book, on_account, on_balance, on_row, on_note, on_progress};
    ledger_file_info info;
    memset(&info, 0, sizeof info);
    if (!rc)
        rc = run_reader(&m, path, format, &sink, &info, err);
    if (m.show_progress)
        fprintf(stderr, "\n");
    /* Recognise a re-import the pre-check could not see (a folder, or a file
     * whose size differs from every earlier one only by coincidence). */
    int64_t prior = 0;
    if (!rc && !o->replace)
        rc = find_source(st, o->unit_code, info.sha256, &prior, err);
    if (!rc && prior) {
        store_rollback(st);
        discard_stage(&m);
        imp_release(&m);
        return already_report(st, prior, path, report, err);
    }
    if (!rc)
        rc = finish_import(&m, path, format, &info, report, err);
    if (rc) {
        store_rollback(st);
        discard_stage(&m);
        imp_release(&m);
        return rc;
    }
    rc = store_commit(st, err);
    trace_tx(&m, "switch");
    if (rc) {
        json_decref(*report);
        *report = NULL;
        discard_stage(&m);
    } else if (m.staged) {
        purge_retired(st, &m);
    }
    imp_release(&m);
    return rc;
}

/* ---- summaries ----------------------------------------------------------- */

const char *ledger_import_via(const char *actor)
{
    if (actor && !strncmp(actor, "cli:", 4))
        return "命令行导入";
    if (actor && !strncmp(actor, "user:", 5))
        return "网页上传";
    return "系统导入";
}

ag_err ledger_summary(ag_store *st, const char *unit_code, int year, json_t **out, ag_error *err)
{
    *out = NULL;
    char type[32];
    ag_err rc = unit_type(st, unit_code, type, err);
    if (rc)
        return rc;
    ag_stmt *s = NULL;
    rc = store_prepare_args(
        st, &s, err,
        "SELECT b.id, b.fiscal_year, b.chart_profile,"
        " (SELECT COUNT(*) FROM ledger_line l WHERE l.book_id = b.id),"
        " (SELECT COUNT(*) FROM (SELECT DISTINCT period, voucher_type, voucher_no FROM"
        "   ledger_line l WHERE l.book_id = b.id) v),"
        " (SELECT COALESCE(SUM(debit), 0) FROM ledger_line l WHERE l.book_id = b.id),"
        " (SELECT COALESCE(SUM(credit), 0) FROM ledger_line l WHERE l.book_id = b.id),"
        " (SELECT COUNT(*) FROM ledger_account a WHERE a.book_id = b.id),"
        " (SELECT COUNT(*) FROM ledger_finding f WHERE f.book_id = b.id)"
        " FROM ledger_book b WHERE b.unit_code = ? AND b.fiscal_year > 0"
        " AND (? = 0 OR b.fiscal_year = ?) ORDER BY b.fiscal_year",
        "tii", unit_code, (int64_t)year, (int64_t)year);
    json_t *arr = json_array();
    bool row;
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        char d[24], c[24];
        money_str(store_col_int(s, 5), d);
        money_str(store_col_int(s, 6), c);
        json_t *b = json_pack("{s:s,s:I,s:s,s:I,s:I,s:s,s:s,s:I,s:I}", "unit", unit_code, "year",
                              (json_int_t)store_col_int(s, 1), "chart_profile",
                              store_col_text(s, 2), "lines", (json_int_t)store_col_int(s, 3),
                              "vouchers", (json_int_t)store_col_int(s, 4), "debit_total", d,
                              "credit_total", c, "accounts", (json_int_t)store_col_int(s, 7),
                              "findings", (json_int_t)store_col_int(s, 8));
        json_object_set_new(b, "book_id", json_integer(store_col_int(s, 0)));
        json_array_append_new(arr, b);
    }
    store_finalize(s);
    s = NULL;
    for (size_t i = 0; !rc && i < json_array_size(arr); i++) {
        json_t *b = json_array_get(arr, i);
        int64_t bid = json_integer_value(json_object_get(b, "book_id"));
        json_t *periods = json_array(), *sources = json_array();
        json_object_set_new(b, "periods", periods);
        json_object_set_new(b, "sources", sources);
        rc = store_prepare_args(st, &s, err,
                                "SELECT period, COUNT(*), SUM(debit), SUM(credit) FROM ledger_line"
                                " WHERE book_id = ? GROUP BY period ORDER BY period",
                                "i", bid);
        while (!rc && !(rc = store_step(s, &row, err)) && row) {
            char d[24], c[24];
            money_str(store_col_int(s, 2), d);
            money_str(store_col_int(s, 3), c);
            json_array_append_new(periods, json_pack("{s:I,s:I,s:s,s:s}", "period",
                                                     (json_int_t)store_col_int(s, 0), "lines",
                                                     (json_int_t)store_col_int(s, 1), "debit", d,
                                                     "credit", c));
        }
        store_finalize(s);
        s = NULL;
        if (!rc)
            rc = store_prepare_args(st, &s, err,
                                    "SELECT id, path, format, encoding, sha256, lines, findings,"
                                    " imported_at, imported_by FROM ledger_source WHERE status = "
                                    "'active' AND id IN (SELECT DISTINCT source_id FROM ledger_line"
                                    " WHERE book_id = ? UNION SELECT DISTINCT source_id FROM"
                                    " ledger_balance WHERE book_id = ?) ORDER BY id",
                                    "ii", bid, bid);
        /* A source shows the file's base name (rows of older versions kept the
         * server's path) and how it came in, in words. */
        while (!rc && !(rc = store_step(s, &row, err)) && row)
            json_array_append_new(
                sources,
                json_pack("{s:I,s:s,s:s,s:s,s:s,s:I,s:I,s:s,s:s,s:s}", "id",
                          (json_int_t)store_col_int(s, 0), "path", base_name(store_col_text(s, 1)),
                          "format", store_col_text(s, 2), "encoding", store_col_text(s, 3),
                          "sha256", store_col_text(s, 4), "lines", (json_int_t)store_col_int(s, 5),
                          "findings", (json_int_t)store_col_int(s, 6), "imported_at",
                          store_col_text(s, 7), "imported_by", store_col_text(s, 8), "imported_via",
                          ledger_import_via(store_col_text(s, 8))));
        store_finalize(s);
        s = NULL;
    }
    if (!rc && json_array_size(arr) == 0)
        rc = year ? ag_fail(err, AG_ERR_NOTFOUND, "year", "单位 %s 没有 %d 年度的账套",
                            "unit %s has no ledger for %d", unit_code, year)
                  : ag_fail(err, AG_ERR_NOTFOUND, "unit_code", "单位 %s 尚未导入账套",
                            "unit %s has no ledger yet", unit_code);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return AG_OK;
}
