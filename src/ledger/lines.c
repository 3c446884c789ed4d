/* lines.c - searching a unit's voucher lines: validated filters, parameterised SQL, one page. */
#include "ledger/lines.h"

#include <stdio.h>
#include <string.h>

#include "util/date.h"
#include "util/banned.h"

#define VOUCHER_MAX 64
#define ACCOUNT_MAX 64
#define MAX_BINDS   16
/* A LIKE pattern: every byte may be escaped, plus two '%' and the NUL. */
#define PATTERN_MAX (2 * LEDGER_LINES_TEXT_MAX + 3)

static bool given(const char *s)
{
    return s && *s;
}

static bool iso_date(const char *s, int32_t *days)
{
    return strlen(s) == 10 && s[4] == '-' && s[7] == '-' && ag_date_parse(s, 10, days);
}

/* Splits "记-12" into type "记" and number "12" without leading zeros ("" for
 * "0"); a voucher without '-' is a number alone (type ""). False when a part
 * is missing or too long. */
static bool split_voucher(const char *v, char type[VOUCHER_MAX + 1], char no[VOUCHER_MAX + 1])
{
    size_t n = strlen(v);
    if (n > VOUCHER_MAX)
        return false;
    const char *dash = strchr(v, '-');
    const char *num = dash ? dash + 1 : v;
    size_t tlen = dash ? (size_t)(dash - v) : 0;
    if ((dash && tlen == 0) || !*num || strchr(num, '-'))
        return false;
    memcpy(type, v, tlen);
    type[tlen] = '\0';
    while (*num == '0' && num[1])
        num++;
    if (*num == '0')
        num++;
    snprintf(no, VOUCHER_MAX + 1, "%s", num);
    return true;
}

ag_err ledger_lines_check(const ledger_lines_filter *f, ag_error *err)
{
    char type[VOUCHER_MAX + 1], no[VOUCHER_MAX + 1];
    int32_t from = 0, to = 0;
    if (f->year && (f->year < 1900 || f->year > 2100))
        return ag_fail(err, AG_ERR_USAGE, "year", "year 应为 1900 至 2100 之间的四位年份",
                       "year is a 4-digit year from 1900 to 2100");
    if (f->period && (f->period < 1 || f->period > 13))
        return ag_fail(err, AG_ERR_USAGE, "period", "period 应为 1 至 13 的会计期间",
                       "period is an accounting period from 1 to 13");
    if (given(f->voucher) && !split_voucher(f->voucher, type, no))
        return ag_fail(
            err, AG_ERR_USAGE, "voucher",
            "voucher 应为“凭证字-凭证号”（如 记-12）或凭证号，最多 %d 字节",
            "voucher is type-number as shown (记-12) or a number alone, at most %d bytes",
            VOUCHER_MAX);
    if (given(f->account) && strlen(f->account) > ACCOUNT_MAX)
        return ag_fail(err, AG_ERR_USAGE, "account", "account 为科目代码前缀，最多 %d 字节",
                       "account is an account-code prefix of at most %d bytes", ACCOUNT_MAX);
    if (given(f->counterparty) && strlen(f->counterparty) > LEDGER_LINES_TEXT_MAX)
        return ag_fail(err, AG_ERR_USAGE, "counterparty", "counterparty 最多 %d 字节",
                       "counterparty is at most %d bytes", LEDGER_LINES_TEXT_MAX);
    if (given(f->summary) && strlen(f->summary) > LEDGER_LINES_TEXT_MAX)
        return ag_fail(err, AG_ERR_USAGE, "summary", "summary 最多 %d 字节",
                       "summary is at most %d bytes", LEDGER_LINES_TEXT_MAX);
    if (f->has_amount && f->amount == 0)
        return ag_fail(err, AG_ERR_USAGE, "amount", "amount 不能为 0（每行的借方或贷方都可能为 0）",
                       "amount cannot be 0 (every line has an empty debit or credit side)");
    if (f->has_min_amount && f->min_amount < 0)
        return ag_fail(err, AG_ERR_USAGE, "min_amount", "min_amount 不能为负数",
                       "min_amount cannot be negative");
    if (given(f->date_from) && !iso_date(f->date_from, &from))
        return ag_fail(err, AG_ERR_USAGE, "from", "from 应为 YYYY-MM-DD 格式的有效日期",
                       "from is a valid date as YYYY-MM-DD");
    if (given(f->date_to) && !iso_date(f->date_to, &to))
        return ag_fail(err, AG_ERR_USAGE, "to", "to 应为 YYYY-MM-DD 格式的有效日期",
                       "to is a valid date as YYYY-MM-DD");
    if (given(f->date_from) && given(f->date_to) && from > to)
        return ag_fail(err, AG_ERR_USAGE, "from", "起始日期 %s 晚于截止日期 %s",
                       "from %s is after to %s", f->date_from, f->date_to);
    if (f->limit < 0 || f->limit > LEDGER_LINES_LIMIT_MAX)
        return ag_fail(err, AG_ERR_USAGE, "limit", "limit 应为 1 至 %d", "limit is 1 to %d",
                       LEDGER_LINES_LIMIT_MAX);
    if (f->offset < 0 || f->offset > LEDGER_LINES_OFFSET_MAX)
        return ag_fail(err, AG_ERR_USAGE, "offset", "offset 应为 0 至 %d", "offset is 0 to %d",
                       LEDGER_LINES_OFFSET_MAX);
    return AG_OK;
}

/* The values bound to the query's placeholders, in order; text points into
 * the filter or into the pattern buffers of this struct. */
typedef struct query {
    char where[1024];
    int n;
    struct {
        bool is_int;
        int64_t i;
        const char *s;
    } v[MAX_BINDS];
    char type[VOUCHER_MAX + 1], no[VOUCHER_MAX + 1];
    char account[PATTERN_MAX], counterparty[PATTERN_MAX], summary[PATTERN_MAX];
} query;

static void cond_int(query *q, const char *sql, int64_t v, int times)
{
    strncat(q->where, sql, sizeof q->where - strlen(q->where) - 1);
    for (int k = 0; k < times; k++) {
        q->v[q->n].is_int = true;
        q->v[q->n++].i = v;
    }
}

static void cond_text(query *q, const char *sql, const char *v)
{
    strncat(q->where, sql, sizeof q->where - strlen(q->where) - 1);
    q->v[q->n].is_int = false;
    q->v[q->n++].s = v;
}

/* A LIKE pattern matching s literally: '%', '_' and '\' escaped with '\',
 * with '%' before it (lead) and after it. */
static const char *like(char out[PATTERN_MAX], const char *s, bool lead)
{
    size_t k = 0;
    if (lead)
        out[k++] = '%';
    for (; *s; s++) {
        if (*s == '%' || *s == '_' || *s == '\\')
            out[k++] = '\\';
        out[k++] = *s;
    }
    out[k++] = '%';
    out[k] = '\0';
    return out;
}

/* The WHERE clause of f and its values; f is checked. */
static void build(query *q, const char *unit_code, const ledger_lines_filter *f)
{
    memset(q, 0, sizeof *q);
    /* issue 12 §7 (import): staging books (negative years) are never listed. */
    cond_text(q, " WHERE b.fiscal_year > 0 AND b.unit_code = ?", unit_code);
    if (f->year)
        cond_int(q, " AND b.fiscal_year = ?", f->year, 1);
    if (f->period)
        cond_int(q, " AND l.period = ?", f->period, 1);
    if (given(f->voucher)) {
        split_voucher(f->voucher, q->type, q->no);
        if (*q->type)
            cond_text(q, " AND l.voucher_type = ?", q->type);
        cond_text(q, " AND LTRIM(l.voucher_no, '0') = ?", q->no);
    }
    if (given(f->account))
        cond_text(q, " AND l.account_code LIKE ? ESCAPE '\\'", like(q->account, f->account, false));
    if (given(f->counterparty))
        cond_text(q, " AND l.counterparty LIKE ? ESCAPE '\\'",
                  like(q->counterparty, f->counterparty, true));
    if (given(f->summary))
        cond_text(q, " AND l.summary LIKE ? ESCAPE '\\'", like(q->summary, f->summary, true));
    if (f->has_amount)
        cond_int(q, " AND (l.debit = ? OR l.credit = ?)", f->amount, 2);
    if (f->has_min_amount)
        cond_int(q, " AND (l.debit >= ? OR l.credit >= ?)", f->min_amount, 2);
    if (given(f->date_from))
        cond_text(q, " AND l.voucher_date >= ?", f->date_from);
    if (given(f->date_to))
        cond_text(q, " AND l.voucher_date <= ?", f->date_to);
}

/* Prepares sql and binds the filter's values to its first parameters. */
static ag_err prepare_query(ag_store *st, const char *sql, const query *q, ag_stmt **s,
                            ag_error *err)
{
    ag_err rc = store_prepare(st, sql, s, err);
    for (int k = 0; !rc && k < q->n; k++)
        rc = q->v[k].is_int ? store_bind_int(*s, k + 1, q->v[k].i)
                            : store_bind_text(*s, k + 1, q->v[k].s);
    return rc;
}

static ag_err unit_exists(ag_store *st, const char *unit_code, ag_error *err)
{
    int64_t one = 0;
    ag_err rc = store_query_int(st, &one, err, "SELECT 1 FROM unit WHERE code = ?",
                                unit_code ? unit_code : "", (const char *)NULL);
    if (rc == AG_ERR_NOTFOUND)
        rc = ag_fail(err, AG_ERR_NOTFOUND, "unit", "单位 %.64s 不存在", "no unit %.64s",
                     unit_code ? unit_code : "");
    return rc;
}

static json_t *text_or_null(ag_stmt *s, int col)
{
    const char *v = store_col_text(s, col);
    return v && *v ? json_string(v) : json_null();
}

static json_t *line_row(ag_stmt *s)
{
    char voucher[2 * VOUCHER_MAX + 2];
    snprintf(voucher, sizeof voucher, "%s-%s", store_col_text(s, 4), store_col_text(s, 5));
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(store_col_int(s, 0)));
    json_object_set_new(o, "year", json_integer(store_col_int(s, 1)));
    json_object_set_new(o, "period", json_integer(store_col_int(s, 2)));
    json_object_set_new(o, "voucher_date", json_string(store_col_text(s, 3)));
    json_object_set_new(o, "voucher_type", json_string(store_col_text(s, 4)));
    json_object_set_new(o, "voucher_no", json_string(store_col_text(s, 5)));
    json_object_set_new(o, "voucher", json_string(voucher));
    json_object_set_new(o, "line_no", json_integer(store_col_int(s, 6)));
    json_object_set_new(o, "summary", text_or_null(s, 7));
    json_object_set_new(o, "account_code", json_string(store_col_text(s, 8)));
    json_object_set_new(o, "account_name", text_or_null(s, 9));
    json_object_set_new(o, "debit", json_integer(store_col_int(s, 10)));
    json_object_set_new(o, "credit", json_integer(store_col_int(s, 11)));
    static const char *const text_cols[] = {"counterparty", "dept",     "project",
                                            "maker",        "reviewer", "source"};
    for (int k = 0; k < 6; k++)
        json_object_set_new(o, text_cols[k], text_or_null(s, 12 + k));
    json_object_set_new(o, "src_line", json_integer(store_col_int(s, 18)));
    return o;
}

ag_err ledger_lines_search(ag_store *st, const char *unit_code, const ledger_lines_filter *f,
                           json_t **out, ag_error *err)
{
    *out = NULL;
    ag_err rc = ledger_lines_check(f, err);
    if (!rc)
        rc = unit_exists(st, unit_code, err);
    if (rc)
        return rc;
    query q;
    build(&q, unit_code, f);
    char sql[2048];
    int64_t total = 0;
    ag_stmt *s = NULL;
    bool row = false;
    /* The book join leads: ledger_line_book (book_id) narrows to the unit's
     * books, the conditions filter those lines (a unit-year is ~20k lines). */
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM ledger_line l JOIN ledger_book b ON b.id = l.book_id%s",
             q.where);
    rc = prepare_query(st, sql, &q, &s, err);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row)
        total = store_col_int(s, 0);
    store_finalize(s);
    s = NULL;
    json_t *items = json_array();
    if (!rc && total > f->offset) {
        /* Numbers in numeric order without a cast (portable, and voucher_no
         * is text): shorter first, then as text. */
        snprintf(sql, sizeof sql,
                 "SELECT l.id, b.fiscal_year, l.period, l.voucher_date, l.voucher_type,"
                 " l.voucher_no, l.line_no, l.summary, l.account_code, l.account_name, l.debit,"
                 " l.credit, l.counterparty, l.dept, l.project, l.maker, l.reviewer, src.path,"
                 " l.src_line FROM ledger_line l JOIN ledger_book b ON b.id = l.book_id"
                 " JOIN ledger_source src ON src.id = l.source_id%s"
                 " ORDER BY l.voucher_date, l.voucher_type, LENGTH(l.voucher_no), l.voucher_no,"
                 " l.line_no, l.id LIMIT ? OFFSET ?",
                 q.where);
        rc = prepare_query(st, sql, &q, &s, err);
        if (!rc)
            rc = store_bind_int(s, q.n + 1, f->limit ? f->limit : LEDGER_LINES_LIMIT);
        if (!rc)
            rc = store_bind_int(s, q.n + 2, f->offset);
        while (!rc && !(rc = store_step(s, &row, err)) && row)
            json_array_append_new(items, line_row(s));
        store_finalize(s);
    }
    if (rc) {
        json_decref(items);
        return rc;
    }
    *out = json_pack("{s:I,s:o}", "total", (json_int_t)total, "items", items);
    return AG_OK;
}
