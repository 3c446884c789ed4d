/* table.c - header mapping and row conversion shared by the CSV and XLSX readers. */
#include "ledger/table.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/date.h"
#include "util/money.h"

#include "util/banned.h"

/* The canonical columns of DESIGN.md §4, then the two columns of the
 * direction and signed amount layouts. The order is ledger_row's. */
enum field {
    F_UNIT,
    F_YEAR,
    F_PERIOD,
    F_DATE,
    F_VTYPE,
    F_VNO,
    F_LINE,
    F_SUMMARY,
    F_ACODE,
    F_ANAME,
    F_DEBIT,
    F_CREDIT,
    F_CPARTY,
    F_DEPT,
    F_PROJECT,
    F_FUNC,
    F_ECON,
    F_FUND,
    F_DECISION,
    F_BILL,
    F_SETTLE,
    F_MAKER,
    F_REVIEWER,
    F_POSTER,
    F_CASHIER,
    F_POSTED,
    F_VOID,
    F_DIRECTION,
    F_AMOUNT,
    F_COUNT
};

#define F_EXTRA      (-1)
#define MAX_SYNONYMS 5

/* Header names per field: the English canonical name first (matched
 * case-insensitively), then Chinese synonyms (matched exactly). */
static const char *const field_names[F_COUNT][MAX_SYNONYMS] = {
    [F_UNIT] = {"unit_code", "单位代码"},
    [F_YEAR] = {"fiscal_year", "会计年度"},
    [F_PERIOD] = {"period", "会计期间"},
    [F_DATE] = {"voucher_date", "凭证日期"},
    [F_VTYPE] = {"voucher_type", "凭证类型", "凭证种类"},
    [F_VNO] = {"voucher_no", "凭证号", "凭证编号"},
    [F_LINE] = {"line_no", "分录号", "行号"},
    [F_SUMMARY] = {"summary", "摘要"},
    [F_ACODE] = {"account_code", "科目编码", "科目编号", "科目代码"},
    [F_ANAME] = {"account_name", "科目名称"},
    [F_DEBIT] = {"debit", "借方金额", "借方"},
    [F_CREDIT] = {"credit", "贷方金额", "贷方"},
    [F_CPARTY] = {"counterparty", "往来单位", "对方单位", "收款人"},
    [F_DEPT] = {"dept", "部门"},
    [F_PROJECT] = {"project", "项目"},
    [F_FUNC] = {"func_class", "功能分类"},
    [F_ECON] = {"econ_class", "经济分类"},
    [F_FUND] = {"fund_type", "资金性质"},
    [F_DECISION] = {"decision_ref", "决策文号", "会议纪要号"},
    [F_BILL] = {"bill_no", "票据号"},
    [F_SETTLE] = {"settle_type", "结算方式"},
    [F_MAKER] = {"maker", "制单人"},
    [F_REVIEWER] = {"reviewer", "审核人"},
    [F_POSTER] = {"poster", "记账人"},
    [F_CASHIER] = {"cashier", "出纳"},
    [F_POSTED] = {"posted", "记账标志"},
    [F_VOID] = {"void", "作废标志"},
    [F_DIRECTION] = {"direction", "方向", "借贷方向", "借贷"},
    [F_AMOUNT] = {"amount", "金额"},
};

/* Offsets of the string fields in ledger_row, by field (0: not a string). */
#define ROW_STR(f) offsetof(ledger_row, f)
static const size_t field_str_off[F_COUNT] = {
    [F_VTYPE] = ROW_STR(voucher_type), [F_VNO] = ROW_STR(voucher_no),
    [F_SUMMARY] = ROW_STR(summary),    [F_ACODE] = ROW_STR(account_code),
    [F_ANAME] = ROW_STR(account_name), [F_CPARTY] = ROW_STR(counterparty),
    [F_DEPT] = ROW_STR(dept),          [F_PROJECT] = ROW_STR(project),
    [F_FUNC] = ROW_STR(func_class),    [F_ECON] = ROW_STR(econ_class),
    [F_FUND] = ROW_STR(fund_type),     [F_DECISION] = ROW_STR(decision_ref),
    [F_BILL] = ROW_STR(bill_no),       [F_SETTLE] = ROW_STR(settle_type),
    [F_MAKER] = ROW_STR(maker),        [F_REVIEWER] = ROW_STR(reviewer),
    [F_POSTER] = ROW_STR(poster),      [F_CASHIER] = ROW_STR(cashier),
};

/* A trimmed view of a cell. */
typedef struct view {
    char *p;
    size_t len;
} view;

struct ledger_table {
    ledger_table_opts opts;
    const ledger_sink *sink;
    int64_t header_line;
    size_t width;
    int col_field[LEDGER_MAX_COLUMNS];  /* field of each column, or F_EXTRA */
    int field_col[F_COUNT];             /* column of each field, or -1 */
    char *header[LEDGER_MAX_COLUMNS];   /* trimmed header text, owned */
    char *json_key[LEDGER_MAX_COLUMNS]; /* "\"key\":" for extra columns, owned */
    bool has_extra;
    ledger_amount_layout layout;
    int64_t rows;
    ag_buf extra; /* the current row's extra_json */
    view v[LEDGER_MAX_COLUMNS];
};

/* ---- small text helpers ---- */

static bool is_ascii_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* Trims ASCII white space, U+3000 (ideographic space), U+00A0 and a
 * leading U+FEFF from both ends of p[0..len). */
static view trim(char *p, size_t len)
{
    size_t i = 0, e = len;
    if (len == 0)
        return (view){p, 0};
    /* Most cells need nothing: their ends are not even candidates. */
    unsigned char c0 = (unsigned char)p[0], c1 = (unsigned char)p[len - 1];
    if (c0 > ' ' && c0 != 0xE3 && c0 != 0xEF && c0 != 0xC2 && c1 > ' ' && c1 != 0x80 && c1 != 0xA0)
        return (view){p, len};
    for (;;) {
        if (i < e && is_ascii_space((unsigned char)p[i]))
            i++;
        else if (e - i >= 3 && memcmp(p + i, "\xE3\x80\x80", 3) == 0)
            i += 3;
        else if (e - i >= 3 && memcmp(p + i, "\xEF\xBB\xBF", 3) == 0)
            i += 3;
        else if (e - i >= 2 && memcmp(p + i, "\xC2\xA0", 2) == 0)
            i += 2;
        else
            break;
    }
    for (;;) {
        if (e > i && is_ascii_space((unsigned char)p[e - 1]))
            e--;
        else if (e - i >= 3 && memcmp(p + e - 3, "\xE3\x80\x80", 3) == 0)
            e -= 3;
        else if (e - i >= 2 && memcmp(p + e - 2, "\xC2\xA0", 2) == 0)
            e -= 2;
        else
            break;
    }
    view v = {p + i, e - i};
    return v;
}

/* Copies at most ~60 bytes of s into out for a message, cut on a UTF-8
 * boundary, with "..." when cut. */
static void snippet(const char *s, size_t len, char out[80])
{
    size_t n = len;
    bool cut = false;
    if (n > 60) {
        n = 60;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
        cut = true;
    }
    memcpy(out, s, n);
    if (cut)
        memcpy(out + n, "...", 4);
    else
        out[n] = '\0';
}

static bool all_digits(const char *s, size_t len)
{
    if (len == 0)
        return false;
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int small_number(const char *s, size_t len)
{
    int v = 0;
    for (size_t i = 0; i < len; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* Appends s[0..len) to b as the body of a JSON string. */
static ag_err json_escape(ag_buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    static const char shorts[] = "\"\\\n\r\t\b\f", letters[] = "\"\\nrtbf";
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        if (i > run && ag_buf_add(b, s + run, i - run))
            return AG_ERR_NOMEM;
        /* A short escape where JSON has one, else \u00XX. */
        const char *k = memchr(shorts, c, sizeof shorts - 1);
        char esc[6] = {'\\', k ? letters[k - shorts] : 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        if (ag_buf_add(b, esc, k ? 2 : 6))
            return AG_ERR_NOMEM;
        run = i + 1;
    }
    if (len > run && ag_buf_add(b, s + run, len - run))
        return AG_ERR_NOMEM;
    return AG_OK;
}

/* ---- locations and faults ---- */

void ledger_column_letters(size_t col, char out[8])
{
    char tmp[8];
    size_t n = 0;
    size_t c = col + 1;
    while (c > 0 && n < 7) {
        tmp[n++] = (char)('A' + (c - 1) % 26);
        c = (c - 1) / 26;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = '\0';
}

/* The name of column col for messages: its header text, or "#N". */
static const char *column_name(const ledger_table *t, size_t col, char tmp[24])
{
    if (col < t->width && t->header[col][0])
        return t->header[col];
    snprintf(tmp, 24, "#%zu", col + 1);
    return tmp;
}

void ledger_table_where(const ledger_table *t, int64_t line, size_t col, char *out, size_t n)
{
    char tmp[24];
    if (t->opts.sheet && col == SIZE_MAX) {
        /* A whole row, as Excel writes it: Sheet1!3:3. */
        snprintf(out, n, "%s:%s!%lld:%lld", t->opts.file, t->opts.sheet, (long long)line,
                 (long long)line);
    } else if (t->opts.sheet) {
        char letters[8];
        ledger_column_letters(col, letters);
        snprintf(out, n, "%s:%s!%s%lld", t->opts.file, t->opts.sheet, letters, (long long)line);
    } else if (col == SIZE_MAX) {
        snprintf(out, n, "%s:%lld", t->opts.file, (long long)line);
    } else {
        snprintf(out, n, "%s:%lld:%s", t->opts.file, (long long)line, column_name(t, col, tmp));
    }
}

/* Where and what for a fault in a value: the location, the column's name
 * and the offending value cut short. */
typedef struct fault_ctx {
    char where[256];
    char tmp[24];
    const char *name;
    char snip[80];
} fault_ctx;

static void fault_at(const ledger_table *t, fault_ctx *f, int64_t line, size_t col,
                     const char *value, size_t len)
{
    ledger_table_where(t, line, col, f->where, sizeof f->where);
    f->name = column_name(t, col, f->tmp);
    snippet(value, len, f->snip);
}

/* Returns AG_ERR_INPUT from the enclosing function; zh and en are literal
 * formats taking the column name and the value as their two %s. */
#define RETURN_FAULT(t, err, line, col, value, len, zh, en)                                        \
    do {                                                                                           \
        fault_ctx f_;                                                                              \
        fault_at((t), &f_, (line), (col), (value), (len));                                         \
        return ag_fail((err), AG_ERR_INPUT, f_.where, zh, en, f_.name, f_.snip);                   \
    } while (0)

/* ---- lifecycle ---- */

ag_err ledger_table_open(const ledger_table_opts *opts, const ledger_sink *sink, ledger_table **out,
                         ag_error *err)
{
    *out = NULL;
    if (!opts || !opts->file || !sink)
        return ag_fail(err, AG_ERR_INTERNAL, NULL, "表格读取缺少参数",
                       "table pipeline opened without options");
    ledger_table *t = calloc(1, sizeof *t);
    if (!t)
        return ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    t->opts = *opts;
    t->sink = sink;
    for (int f = 0; f < F_COUNT; f++)
        t->field_col[f] = -1;
    ag_buf_init(&t->extra, (size_t)LEDGER_MAX_COLUMNS * LEDGER_MAX_FIELD_BYTES * 6 + 4096);
    *out = t;
    return AG_OK;
}

void ledger_table_free(ledger_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->width; i++) {
        free(t->header[i]);
        free(t->json_key[i]);
    }
    ag_buf_release(&t->extra);
    free(t);
}

size_t ledger_table_width(const ledger_table *t)
{
    return t->width;
}

ledger_amount_layout ledger_table_layout(const ledger_table *t)
{
    return t->layout;
}

int64_t ledger_table_rows(const ledger_table *t)
{
    return t->rows;
}

ledger_col_kind ledger_table_column_kind(const ledger_table *t, size_t col)
{
    if (col >= t->width)
        return LEDGER_COL_TEXT;
    switch (t->col_field[col]) {
    case F_DEBIT:
    case F_CREDIT:
    case F_AMOUNT:
        return LEDGER_COL_AMOUNT;
    case F_DATE:
        return LEDGER_COL_DATE;
    default:
        return LEDGER_COL_TEXT;
    }
}

/* ---- header ---- */

/* The field a header names, or F_EXTRA. */
static int match_header(const char *h, size_t len)
{
    char norm[64];
    /* Units in the header ("借方金额（元）", "debit (yuan)") do not change the meaning. */
    static const char *const suffixes[] = {"（元）", "(元)", "(yuan)", "（yuan）"};
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        size_t sl = strlen(suffixes[i]);
        if (len > sl && strncasecmp(h + len - sl, suffixes[i], sl) == 0) {
            len -= sl;
            while (len > 0 && h[len - 1] == ' ')
                len--;
            break;
        }
    }
    if (len == 0 || len >= sizeof norm)
        return F_EXTRA;
    for (size_t i = 0; i < len; i++) {
        char c = h[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        else if (c == ' ' || c == '-')
            c = '_';
        norm[i] = c;
    }
    norm[len] = '\0';
    for (int f = 0; f < F_COUNT; f++)
        for (int k = 0; k < MAX_SYNONYMS && field_names[f][k]; k++)
            if (strcmp(norm, field_names[f][k]) == 0)
                return f;
    return F_EXTRA;
}

/* Appends the accepted names of field f ("voucher_date/凭证日期") to b. */
static void add_names(ag_buf *b, int f)
{
    for (int k = 0; k < MAX_SYNONYMS && field_names[f][k]; k++) {
        if (k)
            ag_buf_addc(b, '/');
        ag_buf_adds(b, field_names[f][k]);
    }
}

static ag_err detect_layout(ledger_table *t, ag_error *err)
{
    bool d = t->field_col[F_DEBIT] >= 0, c = t->field_col[F_CREDIT] >= 0;
    bool dir = t->field_col[F_DIRECTION] >= 0, amt = t->field_col[F_AMOUNT] >= 0;
    if (d && c && !amt)
        t->layout = LEDGER_LAYOUT_DEBIT_CREDIT;
    else if (!d && !c && amt && dir)
        t->layout = LEDGER_LAYOUT_DIRECTION;
    else if (!d && !c && amt && !dir)
        t->layout = LEDGER_LAYOUT_SIGNED;
    if (t->layout != LEDGER_LAYOUT_NONE) {
        if (t->layout == LEDGER_LAYOUT_DEBIT_CREDIT && dir) {
            /* A direction next to debit and credit says nothing more (e.g. a
             * balance side): keep it as an extra column. */
            int col = t->field_col[F_DIRECTION];
            t->col_field[col] = F_EXTRA;
            t->field_col[F_DIRECTION] = -1;
        }
        return AG_OK;
    }
    ag_buf found;
    ag_buf_init(&found, 4096);
    static const int amount_fields[] = {F_DEBIT, F_CREDIT, F_DIRECTION, F_AMOUNT};
    for (size_t i = 0; i < 4; i++) {
        int col = t->field_col[amount_fields[i]];
        if (col < 0)
            continue;
        if (found.len)
            ag_buf_adds(&found, ", ");
        ag_buf_adds(&found, t->header[col]);
    }
    const char *what = found.len ? ag_buf_str(&found) : "—";
    char where[256];
    ledger_table_where(t, t->header_line, SIZE_MAX, where, sizeof where);
    ag_err rc;
    if ((d || c) && amt)
        rc = ag_fail(err, AG_ERR_INPUT, where,
                     "金额列含义不明确：同时有借方/贷方列和金额列（找到：%s）。"
                     "请只保留一种格式：借方+贷方，或方向+金额，或带符号的金额",
                     "ambiguous amount columns: both debit/credit and an amount column (found: "
                     "%s); keep one layout: debit+credit, direction+amount, or a signed amount",
                     what);
    else
        rc = ag_fail(
            err, AG_ERR_INPUT, where,
            "缺少金额列（找到：%s）。需要：借方金额+贷方金额（debit, credit），"
            "或方向+金额（direction, amount），或带符号的金额（amount，正数借方、负数贷方）",
            "no complete amount layout (found: %s); need debit+credit "
            "(借方金额, 贷方金额), direction+amount (方向, 金额), or one signed amount "
            "column (金额: positive debit, negative credit)",
            what);
    ag_buf_release(&found);
    return rc;
}

ag_err ledger_table_header(ledger_table *t, ledger_cell *cells, size_t n, int64_t line,
                           ag_error *err)
{
    char where[256];
    t->header_line = line;
    if (t->width)
        return ag_fail(err, AG_ERR_INTERNAL, NULL, "表头重复设置", "header given twice");
    if (n > LEDGER_MAX_COLUMNS) {
        ledger_table_where(t, line, SIZE_MAX, where, sizeof where);
        return ag_fail(err, AG_ERR_INPUT, where, "列数过多：%zu 列，最多 %d 列",
                       "too many columns: %zu, at most %d", n, LEDGER_MAX_COLUMNS);
    }
    /* Trailing columns without a header name carry nothing (spreadsheets
     * often have them); others keep their place. */
    while (n > 0 && trim(cells[n - 1].p, cells[n - 1].len).len == 0)
        n--;
    for (size_t i = 0; i < n; i++) {
        if (cells[i].len > LEDGER_MAX_FIELD_BYTES) {
            char col[24];
            snprintf(col, sizeof col, "#%zu", i + 1);
            ledger_table_where(t, line, SIZE_MAX, where, sizeof where);
            return ag_fail(err, AG_ERR_INPUT, where, "第 %s 列表头超过 %u 字节",
                           "header of column %s is over %u bytes", col, LEDGER_MAX_FIELD_BYTES);
        }
        view h = trim(cells[i].p, cells[i].len);
        t->header[i] = strndup(h.p, h.len);
        t->width = i + 1;
        if (!t->header[i])
            return ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
        int f = match_header(h.p, h.len);
        t->col_field[i] = f;
        if (f == F_EXTRA)
            continue;
        if (t->field_col[f] >= 0) {
            ledger_table_where(t, line, SIZE_MAX, where, sizeof where);
            return ag_fail(
                err, AG_ERR_INPUT, where, "列 %s 重复：“%s”与“%s”都表示 %s，请删除其中一列",
                "column %s appears twice: \"%s\" and \"%s\" both mean %s; remove one",
                field_names[f][0], t->header[t->field_col[f]], t->header[i], field_names[f][0]);
        }
        t->field_col[f] = (int)i;
    }

    /* Required columns. */
    ag_buf missing;
    ag_buf_init(&missing, 4096);
    static const int required[] = {F_DATE, F_VNO, F_ACODE, F_UNIT};
    for (size_t k = 0; k < sizeof required / sizeof *required; k++) {
        int f = required[k];
        if (t->field_col[f] >= 0 || (f == F_UNIT && t->opts.unit_code))
            continue;
        if (missing.len)
            ag_buf_adds(&missing, "; ");
        add_names(&missing, f);
    }
    if (missing.len) {
        bool no_unit = t->field_col[F_UNIT] < 0 && !t->opts.unit_code;
        ledger_table_where(t, line, SIZE_MAX, where, sizeof where);
        ag_err rc = ag_fail(err, AG_ERR_INPUT, where, "缺少必需的列：%s%s%.0s",
                            "missing required column(s): %s%.0s%s", ag_buf_str(&missing),
                            no_unit ? "（单位代码也可在导入时指定）" : "",
                            no_unit ? " (the unit code may instead be given with the import)" : "");
        ag_buf_release(&missing);
        return rc;
    }
    ag_buf_release(&missing);
    ag_err rc = detect_layout(t, err);
    if (rc)
        return rc;

    /* Extra columns: their JSON keys, made unique. */
    for (size_t i = 0; i < t->width; i++) {
        if (t->col_field[i] != F_EXTRA)
            continue;
        t->has_extra = true;
        char base[24];
        const char *name = column_name(t, i, base);
        int dup = 1;
        for (size_t j = 0; j < i; j++)
            if (t->col_field[j] == F_EXTRA && strcmp(t->header[j], t->header[i]) == 0 &&
                t->header[i][0])
                dup++;
        ag_buf key;
        ag_buf_init(&key, LEDGER_MAX_FIELD_BYTES * 6 + 64);
        if (ag_buf_addc(&key, '"') || json_escape(&key, name, strlen(name)) ||
            (dup > 1 && ag_buf_printf(&key, "#%d", dup)) || ag_buf_adds(&key, "\":")) {
            ag_buf_release(&key);
            return ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
        }
        t->json_key[i] = ag_buf_detach(&key);
    }
    return AG_OK;
}

/* ---- values ---- */

/* Dates: YYYY-MM-DD, YYYYMMDD, YYYY/MM/DD; also month and day without their
 * leading zero (as spreadsheets write "2024/1/5") and a time of day after a
 * space or 'T', which is dropped. */
static bool parse_date(const char *s, size_t len, int32_t *days)
{
    if (ag_date_parse(s, len, days))
        return true;
    size_t cut = len;
    for (size_t i = 8; i < len; i++)
        if (s[i] == ' ' || s[i] == 'T') {
            cut = i;
            break;
        }
    if (cut < len) {
        for (size_t i = cut + 1; i < len; i++)
            if (!((s[i] >= '0' && s[i] <= '9') || s[i] == ':' || s[i] == '.'))
                return false;
        len = cut;
        if (ag_date_parse(s, len, days))
            return true;
    }
    /* YYYY[-/]M[-/]D with one- or two-digit month and day. */
    if (len < 8 || len > 10 || !all_digits(s, 4) || (s[4] != '-' && s[4] != '/'))
        return false;
    size_t i = 5, m0 = i;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++;
    size_t mlen = i - m0;
    if (mlen < 1 || mlen > 2 || i >= len || s[i] != s[4])
        return false;
    size_t d0 = ++i;
    size_t dlen = len - d0;
    if (dlen < 1 || dlen > 2 || !all_digits(s + d0, dlen))
        return false;
    ag_date d = {small_number(s, 4), small_number(s + m0, mlen), small_number(s + d0, dlen)};
    if (!ag_date_valid(d))
        return false;
    *days = ag_date_to_days(d);
    return true;
}

/* 1, 0 or -1 (empty); -2 when the text is not a flag. */
static int parse_flag(const char *s, size_t len)
{
    static const char *const yes[] = {"1",    "y",      "yes",  "t",      "true", "是", "已记账",
                                      "记账", "已过账", "过账", "已作废", "作废", "√",  "✓"};
    static const char *const no[] = {"0",      "n",      "no",     "f",    "false", "否",
                                     "未记账", "未过账", "未作废", "正常", "×",     "✗"};
    if (len == 0)
        return -1;
    if (len == 1 && (s[0] == '0' || s[0] == '1'))
        return s[0] - '0';
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        if (strlen(yes[i]) == len && strncasecmp(s, yes[i], len) == 0)
            return 1;
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        if (strlen(no[i]) == len && strncasecmp(s, no[i], len) == 0)
            return 0;
    return -2;
}

/* 'D', 'C', 0 for empty, or '?'. */
static char parse_direction(const char *s, size_t len)
{
    /* Not the pinyin J/D (借/贷): its D would silently read as debit. */
    static const char *const debit[] = {"借", "借方", "d", "dr", "debit"};
    static const char *const credit[] = {"贷", "贷方", "c", "cr", "credit"};
    if (len == 0)
        return 0;
    for (size_t i = 0; i < sizeof debit / sizeof *debit; i++)
        if (strlen(debit[i]) == len && strncasecmp(s, debit[i], len) == 0)
            return 'D';
    for (size_t i = 0; i < sizeof credit / sizeof *credit; i++)
        if (strlen(credit[i]) == len && strncasecmp(s, credit[i], len) == 0)
            return 'C';
    return '?';
}

static bool ascii_iequal(const char *a, size_t alen, const char *b)
{
    size_t blen = strlen(b);
    return alen == blen && strncasecmp(a, b, alen) == 0;
}

/* The view of field f in the current row (empty when the column is absent). */
static view field_view(const ledger_table *t, int f)
{
    int col = t->field_col[f];
    if (col < 0) {
        view none = {NULL, 0};
        return none;
    }
    return t->v[col];
}

static ag_err parse_amount_field(const ledger_table *t, int f, int64_t line, int64_t *fen,
                                 ag_error *err)
{
    view v = field_view(t, f);
    if (ag_money_parse(v.p, v.len, fen))
        return AG_OK;
    RETURN_FAULT(t, err, line, (size_t)t->field_col[f], v.p, v.len,
                 "%s 的值“%s”不是金额（最多两位小数，可用千分位逗号，括号表示负数）",
                 "%s: \"%s\" is not an amount (at most 2 decimals, optional thousands "
                 "separators, parentheses for negative)");
}

static ag_err required_value(const ledger_table *t, int f, int64_t line, ag_error *err)
{
    view v = field_view(t, f);
    if (v.len)
        return AG_OK;
    char where[256], tmp[24];
    size_t col = (size_t)t->field_col[f];
    ledger_table_where(t, line, col, where, sizeof where);
    return ag_fail(err, AG_ERR_INPUT, where, "%s 为空，此列必须填写",
                   "%s is empty; the column must be filled in", column_name(t, col, tmp));
}

static ag_err convert_row(ledger_table *t, ledger_row *r, int64_t line, ag_error *err)
{
    ag_err rc;
    view v;
    size_t col;

    if ((rc = required_value(t, F_DATE, line, err)) || (rc = required_value(t, F_VNO, line, err)) ||
        (rc = required_value(t, F_ACODE, line, err)))
        return rc;

    v = field_view(t, F_DATE);
    if (!parse_date(v.p, v.len, &r->date))
        RETURN_FAULT(t, err, line, (size_t)t->field_col[F_DATE], v.p, v.len,
                     "%s 的值“%s”不是日期（应为 YYYY-MM-DD、YYYYMMDD 或 YYYY/MM/DD）",
                     "%s: \"%s\" is not a date (use YYYY-MM-DD, YYYYMMDD or YYYY/MM/DD)");

    /* Unit: the import's unit, and a row may only repeat it. */
    r->unit_code = NULL;
    if (t->field_col[F_UNIT] >= 0) {
        v = field_view(t, F_UNIT);
        col = (size_t)t->field_col[F_UNIT];
        if (v.len == 0 && !t->opts.unit_code)
            return required_value(t, F_UNIT, line, err);
        if (v.len && t->opts.unit_code && !ascii_iequal(v.p, v.len, t->opts.unit_code)) {
            char where[256], snip[80];
            ledger_table_where(t, line, col, where, sizeof where);
            snippet(v.p, v.len, snip);
            return ag_fail(err, AG_ERR_INPUT, where,
                           "文件属于单位 %s，而本次导入的单位是 %s；请核对文件或导入单位",
                           "file is for unit %s, but the import is for unit %s; check the file "
                           "or the unit given",
                           snip, t->opts.unit_code);
        }
        if (v.len)
            r->unit_code = v.p;
    }

    r->fiscal_year = t->opts.default_year;
    v = field_view(t, F_YEAR);
    if (v.len) {
        if (v.len != 4 || !all_digits(v.p, 4) || small_number(v.p, 4) < 1900 ||
            small_number(v.p, 4) > 2999)
            RETURN_FAULT(t, err, line, (size_t)t->field_col[F_YEAR], v.p, v.len,
                         "%s 的值“%s”不是四位年份", "%s: \"%s\" is not a 4-digit year");
        r->fiscal_year = small_number(v.p, 4);
    }

    r->period = 0;
    v = field_view(t, F_PERIOD);
    if (v.len) {
        if (v.len > 2 || !all_digits(v.p, v.len) || small_number(v.p, v.len) > 13)
            RETURN_FAULT(t, err, line, (size_t)t->field_col[F_PERIOD], v.p, v.len,
                         "%s 的值“%s”不是会计期间（0 到 13）",
                         "%s: \"%s\" is not an accounting period (0 to 13)");
        r->period = small_number(v.p, v.len);
    }

    r->line_no = 0;
    v = field_view(t, F_LINE);
    if (v.len) {
        if (v.len > 9 || !all_digits(v.p, v.len))
            RETURN_FAULT(t, err, line, (size_t)t->field_col[F_LINE], v.p, v.len,
                         "%s 的值“%s”不是分录行号（非负整数）",
                         "%s: \"%s\" is not a line number (a whole number)");
        r->line_no = small_number(v.p, v.len);
    }

    static const int flags[2] = {F_POSTED, F_VOID};
    for (int k = 0; k < 2; k++) {
        v = field_view(t, flags[k]);
        int fl = parse_flag(v.p, v.len);
        if (fl == -2)
            RETURN_FAULT(t, err, line, (size_t)t->field_col[flags[k]], v.p, v.len,
                         "%s 的值“%s”无法识别（可用 1/0、是/否、Y/N、true/false、"
                         "已记账/未记账、已作废/正常）",
                         "%s: \"%s\" is not a flag (use 1/0, 是/否, Y/N, true/false, "
                         "已记账/未记账, 已作废/正常)");
        if (k == 0)
            r->posted = fl;
        else
            r->voided = fl;
    }

    r->debit = r->credit = 0;
    switch (t->layout) {
    case LEDGER_LAYOUT_DEBIT_CREDIT:
        if ((rc = parse_amount_field(t, F_DEBIT, line, &r->debit, err)) ||
            (rc = parse_amount_field(t, F_CREDIT, line, &r->credit, err)))
            return rc;
        break;
    case LEDGER_LAYOUT_DIRECTION: {
        int64_t a;
        if ((rc = parse_amount_field(t, F_AMOUNT, line, &a, err)))
            return rc;
        v = field_view(t, F_DIRECTION);
        char d = parse_direction(v.p, v.len);
        if (d == '?' || (d == 0 && a != 0))
            RETURN_FAULT(t, err, line, (size_t)t->field_col[F_DIRECTION], v.p, v.len,
                         "%s 的值“%s”不是借贷方向（借/贷、D/C、debit/credit）",
                         "%s: \"%s\" is not a direction (借/贷, D/C, debit/credit)");
        if (d == 'D')
            r->debit = a;
        else
            r->credit = a;
        break;
    }
    case LEDGER_LAYOUT_SIGNED: {
        int64_t a;
        if ((rc = parse_amount_field(t, F_AMOUNT, line, &a, err)))
            return rc;
        if (a == INT64_MIN) {
            v = field_view(t, F_AMOUNT);
            RETURN_FAULT(t, err, line, (size_t)t->field_col[F_AMOUNT], v.p, v.len,
                         "%s 的值“%s”超出范围", "%s: \"%s\" is out of range");
        }
        if (a >= 0)
            r->debit = a;
        else
            r->credit = -a;
        break;
    }
    default:
        return ag_fail(err, AG_ERR_INTERNAL, NULL, "未设置表头", "row before the header");
    }

    for (int f = 0; f < F_COUNT; f++) {
        if (!field_str_off[f])
            continue;
        v = field_view(t, f);
        *(const char **)(void *)((char *)r + field_str_off[f]) = v.len ? v.p : NULL;
    }
    return AG_OK;
}

ag_err ledger_table_row(ledger_table *t, ledger_cell *cells, size_t n, int64_t line, ag_error *err)
{
    if (!t->width)
        return ag_fail(err, AG_ERR_INTERNAL, NULL, "未设置表头", "row before the header");
    char where[256];
    if (n > LEDGER_MAX_COLUMNS) {
        ledger_table_where(t, line, SIZE_MAX, where, sizeof where);
        return ag_fail(err, AG_ERR_INPUT, where, "列数过多：%zu 列，最多 %d 列",
                       "too many columns: %zu, at most %d", n, LEDGER_MAX_COLUMNS);
    }
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        if (cells[i].len > LEDGER_MAX_FIELD_BYTES) {
            char tmp[24];
            ledger_table_where(t, line, i, where, sizeof where);
            return ag_fail(err, AG_ERR_INPUT, where, "%s 的内容超过 %u 字节", "%s is over %u bytes",
                           column_name(t, i, tmp), LEDGER_MAX_FIELD_BYTES);
        }
        view v = trim(cells[i].p, cells[i].len);
        v.p[v.len] = '\0';
        t->v[i] = v;
        any |= v.len > 0;
    }
    if (!any)
        return AG_OK;
    for (size_t i = n; i < t->width; i++) {
        t->v[i].p = (char *)"";
        t->v[i].len = 0;
    }
    if (t->rows >= LEDGER_MAX_ROWS) {
        ledger_table_where(t, line, SIZE_MAX, where, sizeof where);
        return ag_fail(err, AG_ERR_INPUT, where, "行数超过上限 %lld", "more than %lld rows",
                       (long long)LEDGER_MAX_ROWS);
    }

    ledger_row r;
    memset(&r, 0, sizeof r);
    r.src_line = line;
    ag_err rc = convert_row(t, &r, line, err);
    if (rc)
        return rc;

    /* Extra columns: only when the file has any (no per-row work otherwise). */
    size_t cols = n > t->width ? n : t->width;
    if (t->has_extra || n > t->width) {
        ag_buf_reset(&t->extra);
        bool first = true;
        for (size_t i = 0; i < cols; i++) {
            if ((i < t->width && t->col_field[i] != F_EXTRA) || t->v[i].len == 0)
                continue;
            rc = ag_buf_addc(&t->extra, first ? '{' : ',');
            first = false;
            if (!rc && i < t->width) {
                rc = ag_buf_adds(&t->extra, t->json_key[i]);
            } else if (!rc) {
                rc = ag_buf_printf(&t->extra, "\"#%zu\":", i + 1);
            }
            if (rc || ag_buf_addc(&t->extra, '"') ||
                json_escape(&t->extra, t->v[i].p, t->v[i].len) || ag_buf_addc(&t->extra, '"'))
                return ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
        }
        if (!first) {
            if (ag_buf_addc(&t->extra, '}'))
                return ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
            r.extra_json = ag_buf_str(&t->extra);
        }
    }

    if (t->sink->row) {
        rc = t->sink->row(t->sink->ctx, &r, err);
        if (rc)
            return rc;
    }
    t->rows++;
    return AG_OK;
}

ag_err ledger_source_open(const char *path, ledger_source *src, ag_error *err)
{
    const char *slash = strrchr(path, '/');
    src->name = slash && slash[1] ? slash + 1 : path;
    src->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (src->fd < 0)
        return ag_fail(err, errno == ENOENT ? AG_ERR_NOTFOUND : AG_ERR_IO, path, "无法打开文件：%s",
                       "cannot open the file: %s", strerror(errno));
    struct stat st;
    ag_err rc = AG_OK;
    if (fstat(src->fd, &st) != 0 || !S_ISREG(st.st_mode))
        rc = ag_fail(err, AG_ERR_IO, path, "不是普通文件", "not a regular file");
    else if ((uint64_t)st.st_size > LEDGER_MAX_FILE_BYTES)
        rc = ag_fail(err, AG_ERR_INPUT, src->name, "文件超过 %llu 字节的上限",
                     "file is over the limit of %llu bytes",
                     (unsigned long long)LEDGER_MAX_FILE_BYTES);
    if (rc) {
        close(src->fd);
        src->fd = -1;
        return rc;
    }
    src->size = (uint64_t)st.st_size;
    return AG_OK;
}
