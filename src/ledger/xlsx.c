/* xlsx.c - one worksheet of an .xlsx workbook (libzip + expat, streamed) into the table pipeline.
 */
#include "ledger/xlsx.h"

#include <errno.h>
#include <expat.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "ledger/table.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/hash.h"

#include "util/banned.h"

/* Names are matched by their local part: "x:row" is "row". Namespaces are
 * not resolved (no part we read has two meanings for one local name). */
#define NS_SEP             ':'
#define XLSX_MAX_SHEETS    4096
#define XLSX_MAX_RELS      65536
#define XLSX_MAX_XFS       65536
#define XLSX_MAX_STRINGS   (16u << 20)
#define XLSX_MAX_SHEET_ROW 1048576
#define XLSX_READ_CHUNK    (64u << 10)

typedef struct xlsx_sheet {
    char *name;
    char *rid;
    bool hidden;
} xlsx_sheet;

typedef struct xlsx_rel {
    char *id;
    char *type;
    char *target; /* resolved part name, without a leading '/' */
} xlsx_rel;

typedef struct xlsx_numfmt {
    int id;
    bool date;
} xlsx_numfmt;

/* A cell of the current row as read: its raw text sits in row_raw. */
typedef struct xlsx_rcell {
    uint32_t col;
    char type; /* n number, s shared, i inline, S str, b bool, e error, d ISO date */
    int style;
    size_t off, len;
} xlsx_rcell;

typedef struct xlsx xlsx;
typedef void (*start_fn)(xlsx *x, const char *el, const char **attrs);
typedef void (*end_fn)(xlsx *x, const char *el);

struct xlsx {
    const char *name; /* the file's name in messages */
    const ledger_xlsx_opts *opts;
    const ledger_sink *sink;
    zip_t *za;
    uint64_t total_read;
    ag_error *err;
    ag_err rc; /* set by a handler that stopped the parser */
    XML_Parser parser;
    const char *part;
    start_fn on_start;
    end_fn on_end;
    bool collect; /* character data goes into `text` */
    ag_buf text;

    /* Package. */
    char *wb_path;
    bool date1904;
    xlsx_sheet *sheets;
    size_t nsheets;
    xlsx_rel *rels;
    size_t nrels;
    const char *rels_base; /* directory the rels being parsed resolve against */

    /* Styles. */
    bool in_numfmts, in_cellxfs;
    xlsx_numfmt *numfmts;
    size_t nnumfmts;
    int *xf_fmt;
    size_t nxf;
    bool *xf_date;

    /* Shared strings. */
    ag_buf ss;
    uint32_t *ss_off, *ss_len;
    size_t nss, ss_cap;
    bool in_si;
    int rph_depth;

    /* Sheet. */
    const char *sheet_name;
    ledger_table *table;
    ledger_table_opts topts;
    bool header_done;
    int title_rows;     /* title rows skipped above the header */
    ag_error title_err; /* why the first of them was no header */
    bool in_sheetdata, in_row, in_cell, in_is;
    int64_t row_num, prev_row;
    long col, prev_col;
    char ctype;
    int cstyle;
    xlsx_rcell rcells[LEDGER_MAX_COLUMNS];
    size_t nrc;
    ag_buf row_raw;
    ag_buf row_out;
    size_t out_off[LEDGER_MAX_COLUMNS];
    ledger_cell cells[LEDGER_MAX_COLUMNS];
    uint64_t sheet_done, sheet_total, next_progress;
};

static ag_err oom(ag_error *err)
{
    return ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
}

/* ---- small helpers ---- */

static const char *local_name(const char *name)
{
    const char *s = strrchr(name, NS_SEP);
    return s ? s + 1 : name;
}

static const char *attr(const char **attrs, const char *want)
{
    for (size_t i = 0; attrs[i]; i += 2)
        if (strcmp(local_name(attrs[i]), want) == 0)
            return attrs[i + 1];
    return NULL;
}

/* The relationship id attribute (r:id), which is namespaced, unlike sheetId. */
static const char *attr_rid(const char **attrs)
{
    for (size_t i = 0; attrs[i]; i += 2)
        if (strchr(attrs[i], NS_SEP) && strcmp(local_name(attrs[i]), "id") == 0)
            return attrs[i + 1];
    return NULL;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static void where_cell(const xlsx *x, long col, int64_t row, char *out, size_t n)
{
    const char *sheet = x->sheet_name ? x->sheet_name : "?";
    char letters[8];
    if (col < 0) {
        snprintf(out, n, "%s:%s!%lld:%lld", x->name, sheet, (long long)row, (long long)row);
        return;
    }
    ledger_column_letters((size_t)col, letters);
    snprintf(out, n, "%s:%s!%s%lld", x->name, sheet, letters, (long long)row);
}

/* Stops the running parser with an error already in x->err. */
static void stop(xlsx *x, ag_err rc)
{
    if (!x->rc)
        x->rc = rc;
    if (x->parser)
        XML_StopParser(x->parser, XML_FALSE);
}

/* Resolves a relationship target against the directory of its source part
 * ("xl" for xl/workbook.xml): "worksheets/sheet1.xml" -> "xl/worksheets/sheet1.xml",
 * "/xl/x.xml" -> "xl/x.xml", ".." steps up. Returns a malloc'd string. */
static char *resolve_target(const char *base_dir, const char *target)
{
    ag_buf path;
    ag_buf_init(&path, 4096);
    if (target[0] != '/' && base_dir[0]) {
        ag_buf_adds(&path, base_dir);
        ag_buf_addc(&path, '/');
    }
    ag_buf_adds(&path, target[0] == '/' ? target + 1 : target);
    /* Normalise "." and ".." segments in place. */
    char *p = path.data;
    if (!p)
        return strdup("");
    char *out = p;
    const char *seg = p;
    char *w = out;
    while (*seg) {
        const char *e = strchr(seg, '/');
        size_t len = e ? (size_t)(e - seg) : strlen(seg);
        if (len == 0 || (len == 1 && seg[0] == '.')) {
            /* skip */
        } else if (len == 2 && seg[0] == '.' && seg[1] == '.') {
            while (w > out && w[-1] != '/')
                w--;
            if (w > out)
                w--;
            while (w > out && w[-1] != '/')
                w--;
        } else {
            if (w > out && w[-1] != '/')
                *w++ = '/';
            memmove(w, seg, len);
            w += len;
        }
        seg += len;
        if (*seg == '/')
            seg++;
    }
    *w = '\0';
    if (w > out && w[-1] == '/')
        w[-1] = '\0';
    return ag_buf_detach(&path);
}

/* The directory of a part name ("xl/workbook.xml" -> "xl"), malloc'd. */
static char *part_dir(const char *part)
{
    const char *s = strrchr(part, '/');
    return s ? strndup(part, (size_t)(s - part)) : strdup("");
}

/* Decodes the _xHHHH_ escapes of OOXML text in place; returns the new length. */
static size_t unescape_ooxml(char *s, size_t len)
{
    if (!memchr(s, '_', len))
        return len;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        unsigned cp = 0;
        bool ok = i + 7 <= len && s[i] == '_' && s[i + 1] == 'x' && s[i + 6] == '_';
        for (size_t k = 2; ok && k < 6; k++) {
            char c = s[i + k];
            unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                         : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                         : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                                                : 16u;
            ok = d < 16;
            cp = cp * 16 + d;
        }
        if (ok && (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)))
            ok = false;
        if (!ok) {
            s[o++] = s[i++];
            continue;
        }
        if (cp < 0x80) {
            s[o++] = (char)cp;
        } else if (cp < 0x800) {
            s[o++] = (char)(0xC0 | (cp >> 6));
            s[o++] = (char)(0x80 | (cp & 0x3F));
        } else {
            s[o++] = (char)(0xE0 | (cp >> 12));
            s[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            s[o++] = (char)(0x80 | (cp & 0x3F));
        }
        i += 7;
    }
    return o;
}

/* ---- numbers ---- */

/* A number from cell XML as Excel shows it: rounded to 15 significant
 * digits, value = (neg ? -1 : 1) * digits * 10^exp, digits < 10^15. */
typedef struct xnum {
    bool neg;
    uint64_t digits;
    int exp;
} xnum;

static const uint64_t pow10u[19] = {1ull,
                                    10ull,
                                    100ull,
                                    1000ull,
                                    10000ull,
                                    100000ull,
                                    1000000ull,
                                    10000000ull,
                                    100000000ull,
                                    1000000000ull,
                                    10000000000ull,
                                    100000000000ull,
                                    1000000000000ull,
                                    10000000000000ull,
                                    100000000000000ull,
                                    1000000000000000ull,
                                    10000000000000000ull,
                                    100000000000000000ull,
                                    1000000000000000000ull};

static bool xnum_parse(const char *s, size_t len, xnum *out)
{
    size_t i = 0;
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    while (len > i &&
           (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' || s[len - 1] == '\r'))
        len--;
    xnum n = {false, 0, 0};
    if (i < len && (s[i] == '-' || s[i] == '+'))
        n.neg = s[i++] == '-';
    uint64_t digits = 0;
    int kept = 0, dropped_exp = 0, frac_exp = 0;
    int next_digit = -1; /* the first digit not kept, for rounding */
    bool any = false, dot = false;
    for (; i < len; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            any = true;
            if (dot)
                frac_exp--;
            if (kept == 0 && c == '0')
                continue; /* leading zero */
            if (kept < 15) {
                digits = digits * 10 + (uint64_t)(c - '0');
                kept++;
            } else {
                if (next_digit < 0)
                    next_digit = c - '0';
                dropped_exp++;
            }
        } else if (c == '.' && !dot) {
            dot = true;
        } else {
            break;
        }
    }
    if (!any)
        return false;
    int e = 0;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        bool eneg = false;
        if (i < len && (s[i] == '-' || s[i] == '+'))
            eneg = s[i++] == '-';
        size_t e0 = i;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            if (e < 10000)
                e = e * 10 + (s[i] - '0');
            i++;
        }
        if (i == e0)
            return false;
        if (eneg)
            e = -e;
    }
    if (i != len)
        return false;
    n.exp = e + frac_exp + dropped_exp;
    if (next_digit >= 5) {
        digits++;
        if (digits == pow10u[15]) {
            digits /= 10;
            n.exp++;
        }
    }
    n.digits = digits;
    if (digits == 0) {
        n.neg = false;
        n.exp = 0;
    }
    *out = n;
    return true;
}

/* Rounds to fen, half away from zero. False when out of range. */
static bool xnum_fen(const xnum *n, int64_t *fen)
{
    int k = n->exp + 2;
    uint64_t v;
    if (k >= 0) {
        if (k > 18 || n->digits > (uint64_t)INT64_MAX / pow10u[k])
            return false;
        v = n->digits * pow10u[k];
    } else if (-k > 18) {
        v = 0;
    } else {
        uint64_t p = pow10u[-k];
        v = n->digits / p;
        if ((n->digits % p) * 2 >= p)
            v++;
    }
    if (v > (uint64_t)INT64_MAX)
        return false;
    *fen = n->neg ? -(int64_t)v : (int64_t)v;
    return true;
}

/* Writes the number as plain decimal text ("1234.5", "0.001", "1E+20"). */
static void xnum_text(const xnum *n, char out[48])
{
    if (n->digits == 0) {
        snprintf(out, 48, "0");
        return;
    }
    uint64_t d = n->digits;
    int e = n->exp;
    while (d % 10 == 0) {
        d /= 10;
        e++;
    }
    char dig[24];
    int nd = snprintf(dig, sizeof dig, "%llu", (unsigned long long)d);
    const char *sign = n->neg ? "-" : "";
    int point = nd + e; /* digits before the decimal point */
    if (e >= 0 && point <= 20) {
        snprintf(out, 48, "%s%s%.*s", sign, dig, e, "00000000000000000000");
    } else if (e < 0 && point > 0) {
        snprintf(out, 48, "%s%.*s.%s", sign, point, dig, dig + point);
    } else if (e < 0 && point > -10) {
        snprintf(out, 48, "%s0.%.*s%s", sign, -point, "0000000000", dig);
    } else {
        snprintf(out, 48, "%s%c%s%sE%+d", sign, dig[0], nd > 1 ? "." : "", dig + 1, point - 1);
    }
}

/* The whole days of a non-negative serial; false if negative or huge. */
static bool xnum_floor(const xnum *n, int64_t *out)
{
    if (n->neg && n->digits)
        return false;
    if (n->exp >= 0) {
        if (n->exp > 3 || n->digits > 100000000ull)
            return false;
        *out = (int64_t)(n->digits * pow10u[n->exp]);
    } else {
        *out = -n->exp > 18 ? 0 : (int64_t)(n->digits / pow10u[-n->exp]);
    }
    return true;
}

/* Writes fen as "-1234.50" (what ag_money_format writes, without printf:
 * this runs for every amount cell). Returns the length. */
static size_t fen_text(int64_t fen, char out[48])
{
    uint64_t a = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    char tmp[32];
    size_t n = 0;
    tmp[n++] = (char)('0' + a % 10);
    tmp[n++] = (char)('0' + a / 10 % 10);
    tmp[n++] = '.';
    a /= 100;
    do {
        tmp[n++] = (char)('0' + a % 10);
        a /= 10;
    } while (a);
    if (fen < 0)
        tmp[n++] = '-';
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = '\0';
    return n;
}

/* An Excel date serial to a day number (1900 system with its phantom
 * 1900-02-29, or the 1904 system). */
static bool serial_to_days(int64_t serial, bool date1904, int32_t *days)
{
    int64_t d;
    if (date1904) {
        d = serial - 24107;
    } else {
        if (serial < 1 || serial == 60)
            return false;
        d = serial < 60 ? serial - 25568 : serial - 25569;
    }
    if (d < -30000 || d > 400000)
        return false;
    ag_date cal = ag_date_from_days((int32_t)d);
    if (!ag_date_valid(cal))
        return false;
    *days = (int32_t)d;
    return true;
}

/* ---- styles: which number formats are dates ---- */

static bool builtin_date_format(int id)
{
    return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
           (id >= 50 && id <= 58);
}

/* A custom format is a date when, outside quoted text, escapes and
 * [brackets], it has a y or d; an elapsed-time bracket ([h], [mm], [ss])
 * makes it a duration instead. */
static bool date_format_code(const char *code)
{
    bool date = false;
    for (const char *p = code; *p; p++) {
        char c = *p;
        if (c == '"') {
            const char *q = strchr(p + 1, '"');
            if (!q)
                break;
            p = q;
        } else if (c == '\\' || c == '_' || c == '*') {
            if (!p[1])
                break;
            p++;
        } else if (c == '[') {
            const char *q = strchr(p + 1, ']');
            if (!q)
                break;
            bool elapsed = q > p + 1;
            for (const char *r = p + 1; r < q; r++)
                if (!strchr("hHmMsS", *r))
                    elapsed = false;
            if (elapsed)
                return false;
            p = q;
        } else if (c == ';') {
            break; /* the first section decides */
        } else if (strchr("yYdD", c)) {
            date = true;
        }
    }
    return date;
}

static bool numfmt_is_date(const xlsx *x, int id)
{
    for (size_t i = 0; i < x->nnumfmts; i++)
        if (x->numfmts[i].id == id)
            return x->numfmts[i].date;
    return builtin_date_format(id);
}

static bool style_is_date(const xlsx *x, int style)
{
    return style >= 0 && (size_t)style < x->nxf && x->xf_date[style];
}

/* ---- parts ---- */

static void XMLCALL on_start_el(void *ud, const XML_Char *name, const XML_Char **attrs)
{
    xlsx *x = ud;
    if (x->on_start && !x->rc)
        x->on_start(x, local_name(name), attrs);
}

static void XMLCALL on_end_el(void *ud, const XML_Char *name)
{
    xlsx *x = ud;
    if (x->on_end && !x->rc)
        x->on_end(x, local_name(name));
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    xlsx *x = ud;
    if (!x->collect || x->rc)
        return;
    if (ag_buf_add(&x->text, s, (size_t)len)) {
        if (x->in_cell) {
            char where[256];
            where_cell(x, x->col, x->row_num, where, sizeof where);
            ag_fail(x->err, AG_ERR_INPUT, where, "单元格内容超过 %u 字节",
                    "cell text is over %u bytes", LEDGER_MAX_FIELD_BYTES);
        } else {
            ag_fail(x->err, AG_ERR_INPUT, x->part, "%s 中的文本过长", "text too long in %s",
                    x->part);
        }
        stop(x, AG_ERR_INPUT);
    }
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal)
{
    (void)name, (void)sysid, (void)pubid, (void)has_internal;
    xlsx *x = ud;
    char where[256];
    snprintf(where, sizeof where, "%s:%s", x->name, x->part);
    ag_fail(x->err, AG_ERR_INPUT, where,
            "工作簿含有 DOCTYPE 声明，已拒绝（XLSX 不使用它，可能是恶意文件）",
            "the workbook has a DOCTYPE declaration, refused (XLSX never uses one; the file may "
            "be hostile)");
    stop(x, AG_ERR_INPUT);
}

static void XMLCALL on_entity(void *ud, const XML_Char *name, int pe, const XML_Char *value,
                              int vlen, const XML_Char *base, const XML_Char *sysid,
                              const XML_Char *pubid, const XML_Char *notation)
{
    (void)pe, (void)value, (void)vlen, (void)base, (void)sysid, (void)pubid, (void)notation;
    xlsx *x = ud;
    char where[256];
    snprintf(where, sizeof where, "%s:%s", x->name, x->part);
    ag_fail(x->err, AG_ERR_INPUT, where, "工作簿声明了 XML 实体 %s，已拒绝",
            "the workbook declares the XML entity %s, refused", name);
    stop(x, AG_ERR_INPUT);
}

static int XMLCALL on_external(XML_Parser p, const XML_Char *ctx, const XML_Char *base,
                               const XML_Char *sysid, const XML_Char *pubid)
{
    (void)p, (void)ctx, (void)base, (void)sysid, (void)pubid;
    return XML_STATUS_ERROR;
}

/* Checks a part's declared sizes against its cap, the ratio bound and the
 * budget of the whole read. */
static ag_err check_part(xlsx *x, const char *part, const zip_stat_t *st, uint64_t cap)
{
    char where[256];
    snprintf(where, sizeof where, "%s:%s", x->name, part);
    if (!(st->valid & ZIP_STAT_SIZE) || !(st->valid & ZIP_STAT_COMP_SIZE))
        return ag_fail(x->err, AG_ERR_INPUT, where, "无法确定部件大小", "part size unknown");
    if ((st->valid & ZIP_STAT_ENCRYPTION_METHOD) && st->encryption_method != ZIP_EM_NONE)
        return ag_fail(x->err, AG_ERR_INPUT, where, "工作簿已加密，请先取消密码保护",
                       "the workbook is encrypted; remove the password first");
    if (st->size > cap)
        return ag_fail(x->err, AG_ERR_INPUT, where,
                       "部件解压后 %llu 字节，超过 %llu 字节的上限（可能是压缩炸弹）",
                       "part unpacks to %llu bytes, over the limit of %llu (a zip bomb?)",
                       (unsigned long long)st->size, (unsigned long long)cap);
    if (st->size > LEDGER_XLSX_RATIO_FLOOR &&
        st->size / (st->comp_size ? st->comp_size : 1) > LEDGER_XLSX_MAX_RATIO)
        return ag_fail(x->err, AG_ERR_INPUT, where,
                       "部件压缩比 %llu:1 超过 %d:1 的上限（可能是压缩炸弹）",
                       "part compression ratio %llu:1 is over the limit of %d:1 (a zip bomb?)",
                       (unsigned long long)(st->size / (st->comp_size ? st->comp_size : 1)),
                       LEDGER_XLSX_MAX_RATIO);
    if (x->total_read + st->size > LEDGER_XLSX_MAX_TOTAL_BYTES)
        return ag_fail(x->err, AG_ERR_INPUT, where, "工作簿解压总量超过 %llu 字节的上限",
                       "the workbook unpacks to over %llu bytes in total",
                       (unsigned long long)LEDGER_XLSX_MAX_TOTAL_BYTES);
    return AG_OK;
}

/* Streams a part through expat with the given handlers. *found (may be
 * NULL) tells whether the part exists; a missing part is an error only
 * when found is NULL. */
static ag_err parse_part(xlsx *x, const char *part, uint64_t cap, start_fn on_start, end_fn on_end,
                         bool *found)
{
    char where[256];
    snprintf(where, sizeof where, "%s:%s", x->name, part);
    if (found)
        *found = false;
    zip_int64_t idx = zip_name_locate(x->za, part, ZIP_FL_NOCASE);
    if (idx < 0) {
        if (found)
            return AG_OK;
        return ag_fail(x->err, AG_ERR_INPUT, where, "工作簿缺少部件 %s（文件不完整或不是 XLSX）",
                       "the workbook has no part %s (truncated, or not an XLSX)", part);
    }
    if (found)
        *found = true;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(x->za, (zip_uint64_t)idx, 0, &st) != 0)
        return ag_fail(x->err, AG_ERR_INPUT, where, "无法读取部件信息", "cannot stat the part");
    ag_err rc = check_part(x, part, &st, cap);
    if (rc)
        return rc;
    zip_file_t *zf = zip_fopen_index(x->za, (zip_uint64_t)idx, 0);
    if (!zf)
        return ag_fail(x->err, AG_ERR_INPUT, where, "无法解压部件：%s",
                       "cannot unpack the part: %s", zip_strerror(x->za));

    XML_Parser p = XML_ParserCreate(NULL);
    char *chunk = malloc(XLSX_READ_CHUNK);
    if (!p || !chunk) {
        zip_fclose(zf);
        if (p)
            XML_ParserFree(p);
        free(chunk);
        return oom(x->err);
    }
    XML_SetUserData(p, x);
    XML_SetElementHandler(p, on_start_el, on_end_el);
    XML_SetCharacterDataHandler(p, on_text);
    XML_SetStartDoctypeDeclHandler(p, on_doctype);
    XML_SetEntityDeclHandler(p, on_entity);
    XML_SetExternalEntityRefHandler(p, on_external);
    XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
    x->parser = p;
    x->part = part;
    x->on_start = on_start;
    x->on_end = on_end;
    x->rc = AG_OK;
    x->collect = false;

    uint64_t got = 0;
    for (;;) {
        zip_int64_t n = zip_fread(zf, chunk, XLSX_READ_CHUNK);
        if (n < 0) {
            rc = ag_fail(x->err, AG_ERR_INPUT, where, "部件解压失败（文件损坏）：%s",
                         "the part does not unpack (damaged file): %s", zip_file_strerror(zf));
            break;
        }
        got += (uint64_t)n;
        if (got > st.size || got > cap) {
            rc = ag_fail(x->err, AG_ERR_INPUT, where, "部件解压后超过声明的大小（文件损坏或恶意）",
                         "the part unpacks to more than its declared size (damaged or hostile)");
            break;
        }
        if (x->sheet_total && x->sink->progress && got >= x->next_progress) {
            x->sink->progress(x->sink->ctx, got, x->sheet_total);
            x->next_progress = got + (1u << 20);
        }
        if (XML_Parse(p, chunk, (int)n, n == 0) == XML_STATUS_ERROR) {
            if (x->rc) {
                rc = x->rc;
            } else {
                snprintf(where, sizeof where, "%s:%s:%lu", x->name, part,
                         (unsigned long)XML_GetCurrentLineNumber(p));
                rc = ag_fail(x->err, AG_ERR_INPUT, where, "XML 格式错误：%s", "malformed XML: %s",
                             XML_ErrorString(XML_GetErrorCode(p)));
            }
            break;
        }
        if (x->rc) {
            rc = x->rc;
            break;
        }
        if (n == 0)
            break;
    }
    x->total_read += got;
    x->parser = NULL;
    XML_ParserFree(p);
    free(chunk);
    zip_fclose(zf);
    return rc;
}

/* ---- package relationships and workbook ---- */

/* base, an array of n elements of sz bytes, grown by one; NULL after
 * stopping the parse when n is already max (the message: too many of what
 * zh and en name) or memory ran out. The caller stores the result back. */
static void *grow_list(xlsx *x, void *base, size_t n, size_t max, size_t sz, const char *zh,
                       const char *en)
{
    if (n >= max) {
        ag_fail(x->err, AG_ERR_INPUT, x->part, "%s%.0s", "%.0s%s", zh, en);
        stop(x, AG_ERR_INPUT);
        return NULL;
    }
    void *p = realloc(base, (n + 1) * sz);
    if (!p)
        stop(x, oom(x->err));
    return p;
}

static void rels_start(xlsx *x, const char *el, const char **attrs)
{
    if (strcmp(el, "Relationship") != 0)
        return;
    const char *id = attr(attrs, "Id"), *type = attr(attrs, "Type");
    const char *target = attr(attrs, "Target"), *mode = attr(attrs, "TargetMode");
    if (!id || !type || !target || (mode && strcmp(mode, "External") == 0))
        return;
    xlsx_rel *r = grow_list(x, x->rels, x->nrels, XLSX_MAX_RELS, sizeof *r, "关系过多",
                            "too many relationships");
    if (!r)
        return;
    x->rels = r;
    r += x->nrels;
    r->id = strdup(id);
    r->type = strdup(type);
    r->target = resolve_target(x->rels_base, target);
    x->nrels++;
    if (!r->id || !r->type || !r->target)
        stop(x, oom(x->err));
}

static void free_rels(xlsx *x)
{
    for (size_t i = 0; i < x->nrels; i++) {
        free(x->rels[i].id);
        free(x->rels[i].type);
        free(x->rels[i].target);
    }
    free(x->rels);
    x->rels = NULL;
    x->nrels = 0;
}

static const xlsx_rel *rel_by_type(const xlsx *x, const char *suffix)
{
    for (size_t i = 0; i < x->nrels; i++)
        if (ends_with(x->rels[i].type, suffix))
            return &x->rels[i];
    return NULL;
}

static const xlsx_rel *rel_by_id(const xlsx *x, const char *id)
{
    for (size_t i = 0; i < x->nrels; i++)
        if (strcmp(x->rels[i].id, id) == 0)
            return &x->rels[i];
    return NULL;
}

static void workbook_start(xlsx *x, const char *el, const char **attrs)
{
    if (strcmp(el, "workbookPr") == 0) {
        const char *v = attr(attrs, "date1904");
        x->date1904 = v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
    } else if (strcmp(el, "sheet") == 0) {
        const char *name = attr(attrs, "name"), *rid = attr_rid(attrs);
        const char *state = attr(attrs, "state");
        if (!name || !rid)
            return;
        xlsx_sheet *s = grow_list(x, x->sheets, x->nsheets, XLSX_MAX_SHEETS, sizeof *s,
                                  "工作表过多", "too many sheets");
        if (!s)
            return;
        x->sheets = s;
        s += x->nsheets++;
        s->name = strdup(name);
        s->rid = strdup(rid);
        s->hidden = state && strcmp(state, "visible") != 0;
        if (!s->name || !s->rid)
            stop(x, oom(x->err));
    }
}

/* ---- styles ---- */

static void styles_start(xlsx *x, const char *el, const char **attrs)
{
    if (strcmp(el, "numFmts") == 0) {
        x->in_numfmts = true;
    } else if (strcmp(el, "cellXfs") == 0) {
        x->in_cellxfs = true;
    } else if (x->in_numfmts && strcmp(el, "numFmt") == 0) {
        const char *id = attr(attrs, "numFmtId"), *code = attr(attrs, "formatCode");
        if (!id || !code || x->nnumfmts >= XLSX_MAX_XFS)
            return;
        xlsx_numfmt *f = realloc(x->numfmts, (x->nnumfmts + 1) * sizeof *f);
        if (!f) {
            stop(x, oom(x->err));
            return;
        }
        x->numfmts = f;
        f[x->nnumfmts].id = (int)strtol(id, NULL, 10);
        f[x->nnumfmts].date = date_format_code(code);
        x->nnumfmts++;
    } else if (x->in_cellxfs && strcmp(el, "xf") == 0) {
        int *f = grow_list(x, x->xf_fmt, x->nxf, XLSX_MAX_XFS, sizeof *f, "单元格样式过多",
                           "too many cell styles");
        if (!f)
            return;
        x->xf_fmt = f;
        const char *id = attr(attrs, "numFmtId");
        f[x->nxf++] = id ? (int)strtol(id, NULL, 10) : 0;
    }
}

static void styles_end(xlsx *x, const char *el)
{
    if (strcmp(el, "numFmts") == 0)
        x->in_numfmts = false;
    else if (strcmp(el, "cellXfs") == 0)
        x->in_cellxfs = false;
}

/* ---- shared strings ---- */

static void sst_start(xlsx *x, const char *el, const char **attrs)
{
    (void)attrs;
    if (strcmp(el, "si") == 0) {
        x->in_si = true;
        x->rph_depth = 0;
        ag_buf_reset(&x->text);
    } else if (strcmp(el, "rPh") == 0) {
        x->rph_depth++;
    } else if (x->in_si && strcmp(el, "t") == 0 && x->rph_depth == 0) {
        x->collect = true;
    }
}

static void sst_end(xlsx *x, const char *el)
{
    if (strcmp(el, "t") == 0) {
        x->collect = false;
    } else if (strcmp(el, "rPh") == 0) {
        if (x->rph_depth > 0)
            x->rph_depth--;
    } else if (strcmp(el, "si") == 0 && x->in_si) {
        x->in_si = false;
        if (x->nss >= XLSX_MAX_STRINGS) {
            ag_fail(x->err, AG_ERR_INPUT, x->part, "共享字符串过多", "too many shared strings");
            stop(x, AG_ERR_INPUT);
            return;
        }
        if (x->nss == x->ss_cap) {
            size_t cap = x->ss_cap ? x->ss_cap * 2 : 1024;
            uint32_t *o = realloc(x->ss_off, cap * sizeof *o);
            if (o)
                x->ss_off = o;
            uint32_t *l = o ? realloc(x->ss_len, cap * sizeof *l) : NULL;
            if (!l) {
                stop(x, oom(x->err));
                return;
            }
            x->ss_len = l;
            x->ss_cap = cap;
        }
        size_t len = unescape_ooxml(x->text.data ? x->text.data : (char *)"", x->text.len);
        x->ss_off[x->nss] = (uint32_t)x->ss.len;
        x->ss_len[x->nss] = (uint32_t)len;
        if (ag_buf_add(&x->ss, x->text.data ? x->text.data : "", len) ||
            ag_buf_addc(&x->ss, '\0')) {
            ag_fail(x->err, AG_ERR_INPUT, x->part, "共享字符串超过大小上限",
                    "shared strings over the size limit");
            stop(x, AG_ERR_INPUT);
            return;
        }
        x->nss++;
    }
}

/* ---- the sheet ---- */

/* Renders cell k of the row into row_out, given what its column holds. */
static ag_err render_cell(xlsx *x, const xlsx_rcell *c, ledger_col_kind kind, ag_error *err)
{
    const char *raw = x->row_raw.data + c->off;
    char where[256];
    char num[48];
    switch (c->type) {
    case 's': {
        char *end;
        errno = 0;
        unsigned long long i = strtoull(raw, &end, 10);
        if (end == raw || *end || errno || i >= x->nss) {
            where_cell(x, (long)c->col, x->row_num, where, sizeof where);
            return ag_fail(err, AG_ERR_INPUT, where, "共享字符串编号 %s 无效",
                           "invalid shared string index %s", raw);
        }
        if (x->ss_len[i] > LEDGER_MAX_FIELD_BYTES) {
            where_cell(x, (long)c->col, x->row_num, where, sizeof where);
            return ag_fail(err, AG_ERR_INPUT, where, "单元格内容超过 %u 字节",
                           "cell text is over %u bytes", LEDGER_MAX_FIELD_BYTES);
        }
        return ag_buf_add(&x->row_out, x->ss.data + x->ss_off[i], x->ss_len[i]);
    }
    case 'b':
        return ag_buf_adds(&x->row_out, strcmp(raw, "1") == 0 ? "TRUE" : "FALSE");
    case 'd': {
        /* ISO 8601: keep the date part. */
        size_t n = c->len >= 10 && raw[4] == '-' ? 10 : c->len;
        return ag_buf_add(&x->row_out, raw, n);
    }
    case 'n': {
        xnum v;
        if (!xnum_parse(raw, c->len, &v))
            return ag_buf_add(&x->row_out, raw, c->len);
        if (kind == LEDGER_COL_AMOUNT) {
            int64_t fen;
            if (!xnum_fen(&v, &fen)) {
                where_cell(x, (long)c->col, x->row_num, where, sizeof where);
                return ag_fail(err, AG_ERR_INPUT, where, "金额 %s 超出范围",
                               "amount %s is out of range", raw);
            }
            return ag_buf_add(&x->row_out, num, fen_text(fen, num));
        }
        int64_t serial;
        int32_t days;
        bool as_date = style_is_date(x, c->style) ||
                       (kind == LEDGER_COL_DATE && xnum_floor(&v, &serial) && serial < 2958466);
        if (as_date && xnum_floor(&v, &serial) && serial_to_days(serial, x->date1904, &days)) {
            char d[11];
            ag_date_format(days, d);
            return ag_buf_adds(&x->row_out, d);
        }
        xnum_text(&v, num);
        return ag_buf_adds(&x->row_out, num);
    }
    default: /* inline string, formula string, error value */
        return ag_buf_add(&x->row_out, raw, c->len);
    }
}

static ag_err emit_row(xlsx *x)
{
    ag_error *err = x->err;
    if (x->nrc == 0)
        return AG_OK;
    char where[256];
    size_t width = x->rcells[x->nrc - 1].col + 1;
    ag_buf_reset(&x->row_out);
    size_t k = 0;
    size_t nonblank = 0;
    for (size_t col = 0; col < width; col++) {
        x->out_off[col] = x->row_out.len;
        if (k < x->nrc && x->rcells[k].col == col) {
            ledger_col_kind kind =
                x->header_done ? ledger_table_column_kind(x->table, col) : LEDGER_COL_TEXT;
            ag_err rc = render_cell(x, &x->rcells[k], kind, err);
            if (rc == AG_ERR_NOMEM) {
                where_cell(x, -1, x->row_num, where, sizeof where);
                return ag_fail(err, AG_ERR_INPUT, where, "第 %lld 行超过 %u 字节",
                               "row %lld is over %u bytes", (long long)x->row_num,
                               LEDGER_MAX_LINE_BYTES);
            }
            if (rc)
                return rc;
            size_t len = x->row_out.len - x->out_off[col];
            if (len > LEDGER_MAX_FIELD_BYTES) {
                where_cell(x, (long)col, x->row_num, where, sizeof where);
                return ag_fail(err, AG_ERR_INPUT, where, "单元格内容超过 %u 字节",
                               "cell text is over %u bytes", LEDGER_MAX_FIELD_BYTES);
            }
            for (size_t i = x->out_off[col]; i < x->row_out.len; i++)
                if (x->row_out.data[i] != ' ') {
                    nonblank++;
                    break;
                }
            k++;
        }
        if (ag_buf_addc(&x->row_out, '\0')) {
            where_cell(x, -1, x->row_num, where, sizeof where);
            return ag_fail(err, AG_ERR_INPUT, where, "第 %lld 行超过 %u 字节",
                           "row %lld is over %u bytes", (long long)x->row_num,
                           LEDGER_MAX_LINE_BYTES);
        }
    }
    for (size_t col = 0; col < width; col++) {
        x->cells[col].p = x->row_out.data + x->out_off[col];
        size_t next = col + 1 < width ? x->out_off[col + 1] : x->row_out.len;
        x->cells[col].len = next - x->out_off[col] - 1;
    }
    x->nrc = 0;
    ag_buf_reset(&x->row_raw);
    if (x->header_done)
        return ledger_table_row(x->table, x->cells, width, x->row_num, err);
    if (nonblank == 0)
        return AG_OK;
    ag_error herr;
    ag_error_clear(&herr);
    ag_err rc = ledger_table_header(x->table, x->cells, width, x->row_num, &herr);
    if (rc == AG_ERR_INPUT && nonblank <= 2 && x->title_rows < 10) {
        /* A title above the header ("2024年凭证明细"): look further down. */
        if (x->title_rows++ == 0)
            x->title_err = herr;
        ledger_table_free(x->table);
        x->table = NULL;
        return ledger_table_open(&x->topts, x->sink, &x->table, err);
    }
    if (rc) {
        if (err)
            *err = herr;
        return rc;
    }
    x->header_done = true;
    return AG_OK;
}

/* Column of a cell reference ("AB12" -> 27), or -1. */
static long ref_column(const char *r)
{
    long col = 0;
    size_t i = 0;
    while (r[i] >= 'A' && r[i] <= 'Z' && i < 4) {
        col = col * 26 + (r[i] - 'A' + 1);
        i++;
    }
    if (i == 0 || i > 3 || r[i] < '0' || r[i] > '9')
        return -1;
    return col - 1;
}

static void sheet_start(xlsx *x, const char *el, const char **attrs)
{
    char where[256];
    if (x->in_cell) {
        if (strcmp(el, "v") == 0) {
            x->collect = true;
        } else if (strcmp(el, "is") == 0) {
            x->in_is = true;
            x->rph_depth = 0;
        } else if (x->in_is && strcmp(el, "rPh") == 0) {
            x->rph_depth++;
        } else if (x->in_is && strcmp(el, "t") == 0 && x->rph_depth == 0) {
            x->collect = true;
        }
        return;
    }
    if (strcmp(el, "sheetData") == 0) {
        x->in_sheetdata = true;
    } else if (x->in_sheetdata && strcmp(el, "row") == 0) {
        const char *r = attr(attrs, "r");
        int64_t n = x->prev_row + 1;
        if (r) {
            char *end;
            errno = 0;
            long long v = strtoll(r, &end, 10);
            n = end == r || *end || errno ? -1 : v;
        }
        if (n <= x->prev_row || n > XLSX_MAX_SHEET_ROW) {
            where_cell(x, -1, x->prev_row + 1, where, sizeof where);
            ag_fail(x->err, AG_ERR_INPUT, where, "行号 %s 无效或顺序错乱",
                    "row number %s is invalid or out of order", r ? r : "?");
            stop(x, AG_ERR_INPUT);
            return;
        }
        x->row_num = n;
        x->in_row = true;
        x->prev_col = -1;
        x->nrc = 0;
        ag_buf_reset(&x->row_raw);
    } else if (x->in_row && strcmp(el, "c") == 0) {
        const char *r = attr(attrs, "r"), *t = attr(attrs, "t"), *s = attr(attrs, "s");
        long col = r ? ref_column(r) : x->prev_col + 1;
        if (col < 0 || col <= x->prev_col) {
            where_cell(x, x->prev_col + 1, x->row_num, where, sizeof where);
            ag_fail(x->err, AG_ERR_INPUT, where, "单元格引用 %s 无效或顺序错乱",
                    "cell reference %s is invalid or out of order", r ? r : "?");
            stop(x, AG_ERR_INPUT);
            return;
        }
        x->col = col;
        x->prev_col = col;
        x->in_cell = true;
        x->cstyle = s ? (int)strtol(s, NULL, 10) : 0;
        x->ctype = 'n';
        if (t) {
            if (strcmp(t, "s") == 0)
                x->ctype = 's';
            else if (strcmp(t, "inlineStr") == 0)
                x->ctype = 'i';
            else if (strcmp(t, "str") == 0)
                x->ctype = 'S';
            else if (strcmp(t, "b") == 0)
                x->ctype = 'b';
            else if (strcmp(t, "e") == 0)
                x->ctype = 'e';
            else if (strcmp(t, "d") == 0)
                x->ctype = 'd';
        }
        ag_buf_reset(&x->text);
    }
}

static void sheet_end(xlsx *x, const char *el)
{
    char where[256];
    if (x->in_cell) {
        if (strcmp(el, "v") == 0 || strcmp(el, "t") == 0) {
            x->collect = false;
        } else if (strcmp(el, "rPh") == 0) {
            if (x->rph_depth > 0)
                x->rph_depth--;
        } else if (strcmp(el, "is") == 0) {
            x->in_is = false;
        } else if (strcmp(el, "c") == 0) {
            x->in_cell = false;
            size_t len = x->text.len;
            if (len && (x->ctype == 'i' || x->ctype == 'S'))
                len = unescape_ooxml(x->text.data, len);
            if (len == 0)
                return; /* no value: formatting only, or an empty string */
            if (x->col >= LEDGER_MAX_COLUMNS) {
                where_cell(x, x->col, x->row_num, where, sizeof where);
                ag_fail(x->err, AG_ERR_INPUT, where, "列数过多：最多 %d 列",
                        "too many columns: at most %d", LEDGER_MAX_COLUMNS);
                stop(x, AG_ERR_INPUT);
                return;
            }
            xlsx_rcell *c = &x->rcells[x->nrc];
            c->col = (uint32_t)x->col;
            c->type = x->ctype;
            c->style = x->cstyle;
            c->off = x->row_raw.len;
            c->len = len;
            if (ag_buf_add(&x->row_raw, x->text.data, len) || ag_buf_addc(&x->row_raw, '\0')) {
                where_cell(x, -1, x->row_num, where, sizeof where);
                ag_fail(x->err, AG_ERR_INPUT, where, "第 %lld 行超过 %u 字节",
                        "row %lld is over %u bytes", (long long)x->row_num, LEDGER_MAX_LINE_BYTES);
                stop(x, AG_ERR_INPUT);
                return;
            }
            x->nrc++;
        }
        return;
    }
    if (strcmp(el, "row") == 0 && x->in_row) {
        x->in_row = false;
        x->prev_row = x->row_num;
        ag_err rc = emit_row(x);
        if (rc)
            stop(x, rc);
    } else if (strcmp(el, "sheetData") == 0) {
        x->in_sheetdata = false;
    }
}

/* ---- driver ---- */

static ag_err open_archive(xlsx *x, const void *data, size_t len)
{
    const unsigned char *b = data;
    if (len >= 4 && memcmp(b, "\xD0\xCF\x11\xE0", 4) == 0)
        return ag_fail(x->err, AG_ERR_INPUT, x->name,
                       "这是旧版 .xls（Excel 97-2003）或加密的工作簿；请另存为 .xlsx 或 CSV",
                       "this is an old .xls (Excel 97-2003) or an encrypted workbook; save it "
                       "as .xlsx or CSV");
    if (len < 4 || b[0] != 'P' || b[1] != 'K')
        return ag_fail(x->err, AG_ERR_INPUT, x->name, "不是 XLSX 文件（不是 zip 格式）",
                       "not an XLSX file (not a zip archive)");
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    if (!src) {
        zip_error_fini(&ze);
        return oom(x->err);
    }
    x->za = zip_open_from_source(src, ZIP_RDONLY, &ze);
    if (!x->za) {
        zip_source_free(src);
        ag_err rc = ag_fail(x->err, AG_ERR_INPUT, x->name, "不是有效的 XLSX 文件（zip 损坏）：%s",
                            "not a valid XLSX file (bad zip): %s", zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return rc;
    }
    zip_error_fini(&ze);
    return AG_OK;
}

static ag_err pick_sheet(xlsx *x, const xlsx_rel **out)
{
    *out = NULL;
    if (x->nsheets == 0)
        return ag_fail(x->err, AG_ERR_INPUT, x->name, "工作簿中没有工作表",
                       "the workbook has no sheets");
    const xlsx_sheet *s = NULL;
    const char *want = x->opts ? x->opts->sheet : NULL;
    if (want) {
        for (size_t i = 0; i < x->nsheets && !s; i++)
            if (strcasecmp(x->sheets[i].name, want) == 0)
                s = &x->sheets[i];
        if (!s) {
            ag_buf names;
            ag_buf_init(&names, 2048);
            for (size_t i = 0; i < x->nsheets; i++) {
                if (i)
                    ag_buf_adds(&names, ", ");
                ag_buf_adds(&names, x->sheets[i].name);
            }
            ag_err rc = ag_fail(x->err, AG_ERR_INPUT, x->name,
                                "工作簿中没有名为“%s”的工作表；现有工作表：%s",
                                "the workbook has no sheet named \"%s\"; its sheets are: %s", want,
                                ag_buf_str(&names));
            ag_buf_release(&names);
            return rc;
        }
    } else {
        for (size_t i = 0; i < x->nsheets && !s; i++)
            if (!x->sheets[i].hidden)
                s = &x->sheets[i];
        if (!s)
            s = &x->sheets[0];
    }
    x->sheet_name = s->name;
    const xlsx_rel *r = rel_by_id(x, s->rid);
    if (!r)
        return ag_fail(x->err, AG_ERR_INPUT, x->name, "工作表“%s”缺少对应的部件",
                       "sheet \"%s\" has no part", s->name);
    if (!ends_with(r->type, "/worksheet"))
        return ag_fail(x->err, AG_ERR_INPUT, x->name, "“%s”不是数据工作表（可能是图表）",
                       "\"%s\" is not a worksheet (a chart?)", s->name);
    *out = r;
    return AG_OK;
}

static ag_err read_workbook(xlsx *x, ledger_file_info *info)
{
    ag_err rc;
    bool found;

    /* The package's relationships name the workbook part. */
    x->rels_base = "";
    if ((rc = parse_part(x, "_rels/.rels", LEDGER_XLSX_MAX_PART_BYTES, rels_start, NULL, &found)))
        return rc;
    const xlsx_rel *doc = rel_by_type(x, "/officeDocument");
    x->wb_path = strdup(doc ? doc->target : "xl/workbook.xml");
    free_rels(x);
    if (!x->wb_path)
        return oom(x->err);

    if ((rc = parse_part(x, x->wb_path, LEDGER_XLSX_MAX_PART_BYTES, workbook_start, NULL, NULL)))
        return rc;

    char *dir = part_dir(x->wb_path);
    const char *base = strrchr(x->wb_path, '/');
    base = base ? base + 1 : x->wb_path;
    ag_buf relpath;
    ag_buf_init(&relpath, 4096);
    ag_buf_printf(&relpath, "%s%s_rels/%s.rels", dir ? dir : "", dir && dir[0] ? "/" : "", base);
    x->rels_base = dir ? dir : "";
    rc = parse_part(x, ag_buf_str(&relpath), LEDGER_XLSX_MAX_PART_BYTES, rels_start, NULL, NULL);
    x->rels_base = "";
    ag_buf_release(&relpath);
    if (rc) {
        free(dir);
        return rc;
    }

    const xlsx_rel *sheet;
    if ((rc = pick_sheet(x, &sheet))) {
        free(dir);
        return rc;
    }
    char *sheet_part = strdup(sheet->target);
    const xlsx_rel *r = rel_by_type(x, "/styles");
    char *styles = strdup(r ? r->target : "xl/styles.xml");
    r = rel_by_type(x, "/sharedStrings");
    char *sst = strdup(r ? r->target : "xl/sharedStrings.xml");
    free(dir);
    if (!sheet_part || !styles || !sst) {
        rc = oom(x->err);
        goto out;
    }

    if ((rc = parse_part(x, styles, LEDGER_XLSX_MAX_PART_BYTES, styles_start, styles_end, &found)))
        goto out;
    x->xf_date = calloc(x->nxf ? x->nxf : 1, sizeof *x->xf_date);
    if (!x->xf_date) {
        rc = oom(x->err);
        goto out;
    }
    for (size_t i = 0; i < x->nxf; i++)
        x->xf_date[i] = numfmt_is_date(x, x->xf_fmt[i]);

    if ((rc = parse_part(x, sst, LEDGER_XLSX_MAX_STRINGS_BYTES, sst_start, sst_end, &found)))
        goto out;

    x->topts.file = x->name;
    x->topts.sheet = x->sheet_name;
    if (x->opts) {
        x->topts.unit_code = x->opts->unit_code;
        x->topts.default_year = x->opts->default_year;
    }
    if ((rc = ledger_table_open(&x->topts, x->sink, &x->table, x->err)))
        goto out;

    zip_stat_t st;
    zip_stat_init(&st);
    zip_int64_t idx = zip_name_locate(x->za, sheet_part, ZIP_FL_NOCASE);
    if (idx >= 0 && zip_stat_index(x->za, (zip_uint64_t)idx, 0, &st) == 0 &&
        (st.valid & ZIP_STAT_SIZE))
        x->sheet_total = st.size;
    x->next_progress = 1u << 20;
    ag_buf_release(&x->text);
    ag_buf_init(&x->text, LEDGER_MAX_FIELD_BYTES);
    if ((rc = parse_part(x, sheet_part, LEDGER_XLSX_MAX_SHEET_BYTES, sheet_start, sheet_end, NULL)))
        goto out;
    if (!x->header_done && x->title_rows > 0) {
        /* Only title-like rows: say why the first was not a header. */
        if (x->err)
            *x->err = x->title_err;
        rc = AG_ERR_INPUT;
        goto out;
    }
    if (!x->header_done) {
        char where[256];
        where_cell(x, -1, x->prev_row > 0 ? x->prev_row : 1, where, sizeof where);
        rc = ag_fail(x->err, AG_ERR_INPUT, where, "工作表“%s”为空，没有表头行",
                     "sheet \"%s\" is empty: no header row", x->sheet_name);
        goto out;
    }
    if (info) {
        snprintf(info->format, sizeof info->format, "xlsx");
        snprintf(info->encoding, sizeof info->encoding, "utf-8");
        info->rows = ledger_table_rows(x->table);
    }
out:
    free(sheet_part);
    free(styles);
    free(sst);
    return rc;
}

static void xlsx_release(xlsx *x)
{
    if (x->za)
        zip_discard(x->za);
    free(x->wb_path);
    for (size_t i = 0; i < x->nsheets; i++) {
        free(x->sheets[i].name);
        free(x->sheets[i].rid);
    }
    free(x->sheets);
    free_rels(x);
    free(x->numfmts);
    free(x->xf_fmt);
    free(x->xf_date);
    ag_buf_release(&x->ss);
    free(x->ss_off);
    free(x->ss_len);
    ag_buf_release(&x->text);
    ag_buf_release(&x->row_raw);
    ag_buf_release(&x->row_out);
    ledger_table_free(x->table);
}

static const ledger_sink no_sink;

static ag_err read_buffer(const void *data, size_t len, const char *name,
                          const ledger_xlsx_opts *opts, const ledger_sink *sink,
                          ledger_file_info *info, ag_error *err)
{
    ag_err rc = ag_crypto_init();
    if (rc)
        return ag_fail(err, rc, NULL, "无法初始化 libsodium", "cannot initialise libsodium");
    if (info) {
        memset(info, 0, sizeof *info);
        ag_sha256_hex(data, len, info->sha256);
        info->bytes = len;
    }
    xlsx *x = calloc(1, sizeof *x);
    if (!x)
        return oom(err);
    x->name = name ? name : "(memory)";
    x->opts = opts;
    x->sink = sink ? sink : &no_sink;
    x->err = err;
    ag_buf_init(&x->text, LEDGER_XLSX_MAX_STRINGS_BYTES);
    ag_buf_init(&x->ss, LEDGER_XLSX_MAX_STRINGS_BYTES);
    ag_buf_init(&x->row_raw, LEDGER_MAX_LINE_BYTES);
    ag_buf_init(&x->row_out, LEDGER_MAX_LINE_BYTES);
    rc = open_archive(x, data, len);
    if (!rc)
        rc = read_workbook(x, info);
    xlsx_release(x);
    free(x);
    return rc;
}

ag_err ledger_read_xlsx_mem(const void *data, size_t len, const char *name,
                            const ledger_xlsx_opts *opts, const ledger_sink *sink,
                            ledger_file_info *info, ag_error *err)
{
    return read_buffer(data ? data : "", data ? len : 0, name, opts, sink, info, err);
}

ag_err ledger_read_xlsx(const char *path, const ledger_xlsx_opts *opts, const ledger_sink *sink,
                        ledger_file_info *info, ag_error *err)
{
    ledger_source src;
    ag_err rc = ledger_source_open(path, &src, err);
    if (rc)
        return rc;
    size_t len = (size_t)src.size;
    void *map = NULL;
    if (len > 0) {
        map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, src.fd, 0);
        if (map == MAP_FAILED) {
            rc = ag_fail(err, AG_ERR_IO, path, "无法读取文件：%s", "cannot read: %s",
                         strerror(errno));
            close(src.fd);
            return rc;
        }
    }
    close(src.fd);
    rc = read_buffer(map ? map : "", len, src.name, opts, sink, info, err);
    if (map)
        munmap(map, len);
    return rc;
}
