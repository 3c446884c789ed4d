/* calendar.c - the holiday arrangement table: CSV parsing and day lookups. */
#include "util/calendar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/date.h"
#include "util/enumname.h"
#include "util/banned.h"

extern const unsigned char ag_res_holidays_csv[];
extern const size_t ag_res_holidays_csv_len;

enum { ROW_NONE = 0, ROW_HOLIDAY = 1, ROW_WORKDAY = 2 };

struct ag_calendar {
    int32_t first_day; /* day of table[0] */
    size_t n_days;     /* table length; 0 when there are no rows */
    unsigned char *kind;
    unsigned char *name_idx;
    size_t rows;
    int year_lo, year_hi; /* covered[] spans year_lo..year_hi */
    bool *covered;
    int first_year, last_year; /* first and last covered year, 0 if none */
    char (*names)[AG_CALENDAR_MAX_NAME + 1];
    size_t n_names;
};

typedef struct cal_row {
    int32_t day;
    unsigned char kind;
    unsigned char name;
    size_t line;
} cal_row;

static int row_cmp(const void *a, const void *b)
{
    const cal_row *x = a, *y = b;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* Splits one line (no line break) into at most `max` fields, unquoting RFC
 * 4180 quoted fields into `store`. Returns the number of fields, or -1 for a
 * malformed quote, or max + 1 when there are too many fields. */
static int split_fields(const char *s, size_t n, char *store, size_t store_len, char **field,
                        size_t *flen, int max)
{
    size_t i = 0, o = 0;
    int nf = 0;
    for (;;) {
        if (nf == max)
            return max + 1;
        while (i < n && is_space(s[i]))
            i++;
        char *start = store + o;
        size_t len = 0;
        if (i < n && s[i] == '"') {
            i++;
            for (;;) {
                if (i >= n)
                    return -1;
                if (s[i] == '"') {
                    if (i + 1 < n && s[i + 1] == '"') {
                        i += 2;
                        start[len++] = '"';
                        continue;
                    }
                    i++;
                    break;
                }
                start[len++] = s[i++];
            }
            while (i < n && is_space(s[i]))
                i++;
            if (i < n && s[i] != ',')
                return -1;
        } else {
            while (i < n && s[i] != ',') {
                if (s[i] == '"')
                    return -1;
                start[len++] = s[i++];
            }
            while (len > 0 && is_space(start[len - 1]))
                len--;
        }
        if (o + len + 1 > store_len)
            return -1;
        start[len] = '\0';
        o += len + 1;
        field[nf] = start;
        flen[nf] = len;
        nf++;
        if (i >= n)
            return nf;
        i++; /* the comma */
    }
}

static bool ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
        if (x != y)
            return false;
    }
    return *a == *b;
}

static bool valid_utf8(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        size_t need;
        if (c < 0x80)
            need = 0;
        else if (c >= 0xC2 && c <= 0xDF)
            need = 1;
        else if (c >= 0xE0 && c <= 0xEF)
            need = 2;
        else if (c >= 0xF0 && c <= 0xF4)
            need = 3;
        else
            return false;
        if (c < 0x20 && c != '\t')
            return false;
        for (size_t k = 1; k <= need; k++) {
            if (i + k >= n || (p[i + k] & 0xC0) != 0x80)
                return false;
        }
        i += need + 1;
    }
    return true;
}

static ag_err row_fail(ag_error *err, const char *source, size_t line, const char *field,
                       const char *zh, const char *en, const char *value)
{
    char where[200];
    snprintf(where, sizeof where, "%s:%zu:%s", source, line, field);
    /* Both formats consume the same arguments; each skips the other
     * language's text with %.0s. */
    if (!value || !*value)
        return ag_fail(err, AG_ERR_INPUT, where, "节假日表第%zu行%s%.0s",
                       "holiday table line %zu %.0s%s", line, zh, en);
    return ag_fail(err, AG_ERR_INPUT, where, "节假日表第%zu行%s%.0s：%s",
                   "holiday table line %zu %.0s%s: %s", line, zh, en, value);
}

static ag_err find_name(ag_calendar *cal, const char *name, unsigned char *idx)
{
    for (size_t i = 0; i < cal->n_names; i++) {
        if (strcmp(cal->names[i], name) == 0) {
            *idx = (unsigned char)i;
            return AG_OK;
        }
    }
    if (cal->n_names == AG_CALENDAR_MAX_NAMES)
        return AG_ERR_NOMEM;
    snprintf(cal->names[cal->n_names], sizeof cal->names[0], "%s", name);
    *idx = (unsigned char)cal->n_names++;
    return AG_OK;
}

static ag_err build(ag_calendar *cal, cal_row *rows, size_t n, const char *source, ag_error *err)
{
    cal->rows = n;
    if (n == 0)
        return AG_OK;
    qsort(rows, n, sizeof *rows, row_cmp);
    for (size_t i = 1; i < n; i++) {
        if (rows[i].day == rows[i - 1].day) {
            char d[11], where[200];
            ag_date_format(rows[i].day, d);
            snprintf(where, sizeof where, "%s:%zu:date", source, rows[i].line);
            return ag_fail(err, AG_ERR_INPUT, where,
                           "节假日表第%zu行：日期 %s 与第%zu行重复，每个日期只能出现一次",
                           "holiday table line %zu: date %s repeats line %zu; each date may "
                           "appear once",
                           rows[i].line, d, rows[i - 1].line);
        }
    }
    cal->first_day = rows[0].day;
    cal->n_days = (size_t)(rows[n - 1].day - rows[0].day) + 1;
    cal->kind = calloc(cal->n_days, 1);
    cal->name_idx = calloc(cal->n_days, 1);
    if (!cal->kind || !cal->name_idx)
        return ag_fail(err, AG_ERR_NOMEM, source, "内存不足", "out of memory");
    for (size_t i = 0; i < n; i++) {
        size_t k = (size_t)(rows[i].day - cal->first_day);
        cal->kind[k] = rows[i].kind;
        cal->name_idx[k] = rows[i].name;
    }
    cal->year_lo = ag_date_from_days(rows[0].day).year;
    cal->year_hi = ag_date_from_days(rows[n - 1].day).year;
    size_t ny = (size_t)(cal->year_hi - cal->year_lo) + 1;
    cal->covered = calloc(ny, sizeof *cal->covered);
    if (!cal->covered)
        return ag_fail(err, AG_ERR_NOMEM, source, "内存不足", "out of memory");
    for (size_t i = 0; i < n; i++) {
        ag_date d = ag_date_from_days(rows[i].day);
        if (d.month < 12)
            cal->covered[d.year - cal->year_lo] = true;
    }
    for (int y = cal->year_lo; y <= cal->year_hi; y++) {
        if (cal->covered[y - cal->year_lo]) {
            if (!cal->first_year)
                cal->first_year = y;
            cal->last_year = y;
        }
    }
    return AG_OK;
}

ag_err calendar_parse(const char *text, size_t len, const char *source, ag_calendar **out,
                      ag_error *err)
{
    *out = NULL;
    if (!source)
        source = "holidays.csv";
    if (!text)
        len = 0;
    if (len > AG_CALENDAR_MAX_TEXT)
        return ag_fail(err, AG_ERR_INPUT, source, "节假日表超过%u字节的上限",
                       "the holiday table exceeds the limit of %u bytes",
                       (unsigned)AG_CALENDAR_MAX_TEXT);
    ag_calendar *cal = calloc(1, sizeof *cal);
    cal_row *rows = NULL;
    size_t n_rows = 0, cap_rows = 0;
    ag_err rc = AG_OK;
    if (!cal) {
        rc = ag_fail(err, AG_ERR_NOMEM, source, "内存不足", "out of memory");
        goto out;
    }
    cal->names = calloc(AG_CALENDAR_MAX_NAMES, sizeof *cal->names);
    if (!cal->names) {
        rc = ag_fail(err, AG_ERR_NOMEM, source, "内存不足", "out of memory");
        goto out;
    }
    size_t pos = 0, line = 0;
    bool header = false;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    while (pos < len) {
        const char *s = text + pos;
        const char *nl = memchr(s, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - s) : len - pos;
        pos += n + (nl ? 1 : 0);
        line++;
        if (n > 0 && s[n - 1] == '\r')
            n--;
        if (n > AG_CALENDAR_MAX_LINE) {
            rc = row_fail(err, source, line, "line", "过长", "is too long", "");
            goto out;
        }
        size_t blank = 0;
        while (blank < n && is_space(s[blank]))
            blank++;
        if (blank == n)
            continue;
        if (!valid_utf8(s, n)) {
            rc = row_fail(err, source, line, "line", "不是有效的UTF-8文本",
                          "is not valid UTF-8 text", "");
            goto out;
        }
        char store[AG_CALENDAR_MAX_LINE + 8];
        char *f[3];
        size_t fl[3];
        int nf = split_fields(s, n, store, sizeof store, f, fl, 3);
        if (!header) {
            if (nf != 3 || !ieq(f[0], "date") || !ieq(f[1], "kind") || !ieq(f[2], "name")) {
                rc = row_fail(err, source, line, "header", "应为表头 date,kind,name",
                              "must be the header date,kind,name", "");
                goto out;
            }
            header = true;
            continue;
        }
        if (nf < 0) {
            rc = row_fail(err, source, line, "line", "引号不配对", "has unbalanced quotes", "");
            goto out;
        }
        if (nf != 3) {
            rc = row_fail(err, source, line, "line", "应有3个字段（date,kind,name）",
                          "must have 3 fields (date,kind,name)", "");
            goto out;
        }
        cal_row r = {0, 0, 0, line};
        if (!ag_date_parse(f[0], fl[0], &r.day)) {
            rc = row_fail(err, source, line, "date", "日期无效（应为YYYY-MM-DD）",
                          "has an invalid date (want YYYY-MM-DD)", f[0]);
            goto out;
        }
        if (ieq(f[1], "holiday")) {
            r.kind = ROW_HOLIDAY;
        } else if (ieq(f[1], "workday")) {
            r.kind = ROW_WORKDAY;
            if (ag_weekday(r.day) < 5) {
                rc = row_fail(err, source, line, "kind", "的调休上班日必须是星期六或星期日",
                              "has a workday (调休) that is not a Saturday or Sunday", f[0]);
                goto out;
            }
        } else {
            rc = row_fail(err, source, line, "kind", "类型应为 holiday 或 workday",
                          "kind must be holiday or workday", f[1]);
            goto out;
        }
        if (fl[2] == 0) {
            rc = row_fail(err, source, line, "name", "缺少节日名称", "lacks the holiday name", "");
            goto out;
        }
        if (fl[2] > AG_CALENDAR_MAX_NAME) {
            rc = row_fail(err, source, line, "name", "节日名称过长", "has a name that is too long",
                          "");
            goto out;
        }
        if (find_name(cal, f[2], &r.name) != AG_OK) {
            rc = row_fail(err, source, line, "name", "节日名称种类过多",
                          "has too many distinct holiday names", f[2]);
            goto out;
        }
        if (n_rows == cap_rows) {
            size_t nc = cap_rows ? cap_rows * 2 : 512;
            cal_row *nr = realloc(rows, nc * sizeof *rows);
            if (!nr) {
                rc = ag_fail(err, AG_ERR_NOMEM, source, "内存不足", "out of memory");
                goto out;
            }
            rows = nr;
            cap_rows = nc;
        }
        rows[n_rows++] = r;
    }
    if (!header) {
        rc = ag_fail(err, AG_ERR_INPUT, source, "节假日表为空，缺少表头 date,kind,name",
                     "the holiday table is empty; the header date,kind,name is missing");
        goto out;
    }
    rc = build(cal, rows, n_rows, source, err);
out:
    free(rows);
    if (rc) {
        calendar_free(cal);
        return rc;
    }
    *out = cal;
    return AG_OK;
}

ag_err calendar_load_default(ag_calendar **out, ag_error *err)
{
    return calendar_parse((const char *)ag_res_holidays_csv, ag_res_holidays_csv_len,
                          "catalog/holidays.csv", out, err);
}

void calendar_free(ag_calendar *cal)
{
    if (!cal)
        return;
    free(cal->kind);
    free(cal->name_idx);
    free(cal->covered);
    free(cal->names);
    free(cal);
}

static int row_kind(const ag_calendar *cal, int32_t day, size_t *k)
{
    if (!cal || cal->n_days == 0 || day < cal->first_day)
        return ROW_NONE;
    size_t i = (size_t)(day - cal->first_day);
    if (i >= cal->n_days)
        return ROW_NONE;
    *k = i;
    return cal->kind[i];
}

bool calendar_covers(const ag_calendar *cal, int32_t day)
{
    if (!cal || !cal->covered)
        return false;
    int y = ag_date_from_days(day).year;
    return y >= cal->year_lo && y <= cal->year_hi && cal->covered[y - cal->year_lo];
}

ag_day_kind calendar_kind(const ag_calendar *cal, int32_t day, bool *covered)
{
    if (covered)
        *covered = calendar_covers(cal, day);
    size_t k = 0;
    int r = row_kind(cal, day, &k);
    if (r == ROW_HOLIDAY)
        return AG_DAY_HOLIDAY;
    if (r == ROW_WORKDAY)
        return AG_DAY_ADJUSTED_WORK;
    return ag_weekday(day) >= 5 ? AG_DAY_WEEKEND : AG_DAY_WORKDAY;
}

bool calendar_is_workday(const ag_calendar *cal, int32_t day)
{
    ag_day_kind k = calendar_kind(cal, day, NULL);
    return k == AG_DAY_WORKDAY || k == AG_DAY_ADJUSTED_WORK;
}

void calendar_years(const ag_calendar *cal, int *first, int *last)
{
    if (first)
        *first = cal ? cal->first_year : 0;
    if (last)
        *last = cal ? cal->last_year : 0;
}

const char *calendar_name(const ag_calendar *cal, int32_t day)
{
    size_t k = 0;
    if (row_kind(cal, day, &k) == ROW_NONE)
        return NULL;
    return cal->names[cal->name_idx[k]];
}

size_t calendar_rows(const ag_calendar *cal)
{
    return cal ? cal->rows : 0;
}

static const char *const kind_names[] = {
    [AG_DAY_WORKDAY] = "workday",
    [AG_DAY_WEEKEND] = "weekend",
    [AG_DAY_HOLIDAY] = "holiday",
    [AG_DAY_ADJUSTED_WORK] = "adjusted_workday",
};

const char *calendar_kind_name(ag_day_kind kind)
{
    return ag_enum_name(kind_names, AG_ENUM_N(kind_names), (int)kind, "workday");
}
