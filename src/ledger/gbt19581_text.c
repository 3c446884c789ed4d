/* gbt19581_text.c - splitting GB/T 19581 text files into records and fields, and reading values. */
#include "ledger/gbt19581_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/date.h"
#include "util/money.h"

#include "util/banned.h"

/* Bytes asked of a source at a time; the buffer holds one chunk plus the
 * longest record allowed, so a record never has to be split. */
#define GBT_CHUNK    (1u << 20)
#define GBT_FULL_CAP (GBT_CHUNK + LEDGER_MAX_LINE_BYTES + 16u)

static ag_err mem_read(void *h, char *buf, size_t cap, size_t *got, ag_error *err)
{
    (void)err;
    gbt_mem_src *m = h;
    size_t n = m->len - m->off;
    if (n > cap)
        n = cap;
    if (n)
        memcpy(buf, m->p + m->off, n);
    m->off += n;
    *got = n;
    return AG_OK;
}

gbt_src gbt_src_mem(gbt_mem_src *m, const void *p, size_t len)
{
    m->p = p;
    m->len = p ? len : 0;
    m->off = 0;
    gbt_src s = {mem_read, m, m->len};
    return s;
}

/* ---- where and messages -------------------------------------------------- */

/* Copies at most 40 bytes of s into out, cut on a UTF-8 boundary, so that a
 * value quoted in a message never breaks the message's encoding. */
static const char *excerpt(const char *s, size_t n, char out[48])
{
    size_t k = n < 40 ? n : 40;
    if (k < n)
        while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
            k--;
    memcpy(out, s, k);
    out[k] = '\0';
    if (k < n && k + 3 < 48) {
        memcpy(out + k, "...", 4);
    }
    return out;
}

static void where_of(const gbt_text *t, int field, int64_t line, char *out, size_t n)
{
    if (field < 0)
        snprintf(out, n, "%s:%lld", t->name, (long long)line);
    else if (field < t->nfields && t->field_names)
        snprintf(out, n, "%s:%lld:%s", t->name, (long long)line, t->field_names[field]);
    else
        snprintf(out, n, "%s:%lld:%d", t->name, (long long)line, field + 1);
}

static ag_err fail_line(const gbt_text *t, int field, int64_t line, ag_error *err, const char *zh,
                        const char *en, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

static ag_err fail_line(const gbt_text *t, int field, int64_t line, ag_error *err, const char *zh,
                        const char *en, ...)
{
    char where[256];
    where_of(t, field, line, where, sizeof where);
    if (!err)
        return AG_ERR_INPUT;
    char zbuf[400], ebuf[400];
    va_list ap;
    va_start(ap, en);
    ag_vformat2(zbuf, sizeof zbuf, ebuf, sizeof ebuf, zh, en, ap);
    va_end(ap);
    /* Both formats consume (zbuf, ebuf); "%.0s" skips the other language. */
    return ag_fail(err, AG_ERR_INPUT, where, "%s%.0s", "%.0s%s", zbuf, ebuf);
}

ag_err gbt_fail_at(const gbt_text *t, int field, ag_error *err, const char *zh, const char *en)
{
    return fail_line(t, field, t->line, err, "%s%.0s", "%.0s%s", zh, en);
}

/* ---- records ---------------------------------------------------------- */

enum { SCAN_FOUND, SCAN_MORE, SCAN_EOF };

/* 1 when the quote at p[i] ends a quoted field (spaces, then a TAB, a line
 * break or the end follow), 0 when it is a literal quote, -1 when more bytes
 * are needed to tell. */
static int quote_closes(const char *p, size_t i, size_t end, bool eof)
{
    size_t m = i + 1;
    while (m < end && p[m] == ' ')
        m++;
    if (m == end)
        return eof ? 1 : -1;
    return p[m] == '\t' || p[m] == '\r' || p[m] == '\n';
}

/* One byte outside quotes: a TAB starts the next field, spaces before a
 * field's first character are skipped, and a quote there opens it. True
 * when c opens a quote. */
static bool field_step(char c, bool *fstart, int *field)
{
    if (c == '\t') {
        *fstart = true;
        (*field)++;
        return false;
    }
    if (*fstart && c == ' ')
        return false;
    bool opens = *fstart && c == '"';
    *fstart = false;
    return opens;
}

/* Finds the LF that ends the record starting at p[start], outside quotes.
 * *open_field is the field whose quote is still open (or -1), *lfs the line
 * breaks inside quotes. */
static int scan_record(const char *p, size_t start, size_t end, bool eof, bool plain,
                       size_t *rec_end, int *open_field, size_t *lfs)
{
    bool fstart = true, inq = false;
    int field = 0, qfield = -1;
    size_t nl = 0;
    for (size_t i = start; i < end; i++) {
        char c = p[i];
        if (inq) {
            if (c == '"') {
                if (i + 1 == end && !eof) {
                    *open_field = qfield;
                    return SCAN_MORE;
                }
                if (i + 1 < end && p[i + 1] == '"') {
                    i++;
                    continue;
                }
                int q = quote_closes(p, i, end, eof);
                if (q < 0) {
                    *open_field = qfield;
                    return SCAN_MORE;
                }
                if (q) {
                    inq = false;
                    qfield = -1;
                }
            } else if (c == '\n') {
                nl++;
            }
            continue;
        }
        if (c == '\n') {
            *rec_end = i;
            *lfs = nl;
            *open_field = -1;
            return SCAN_FOUND;
        }
        if (!plain && field_step(c, &fstart, &field)) {
            inq = true;
            qfield = field;
        }
    }
    *open_field = inq ? qfield : -1;
    if (!eof)
        return SCAN_MORE;
    *rec_end = end;
    *lfs = nl;
    return SCAN_EOF;
}

/* The field of a raw record that holds byte `off` (for encoding faults). */
static int field_at(const char *p, size_t n, size_t off)
{
    bool fstart = true, inq = false;
    int field = 0;
    for (size_t i = 0; i < n && i < off; i++) {
        char c = p[i];
        if (inq) {
            if (c == '"') {
                if (i + 1 < n && p[i + 1] == '"')
                    i++;
                else if (quote_closes(p, i, n, true))
                    inq = false;
            }
            continue;
        }
        if (field_step(c, &fstart, &field))
            inq = true;
    }
    return field;
}

ag_err gbt_text_open(gbt_text *t, const char *name, gbt_src src, const char *const *field_names,
                     int nfields, bool plain, ag_error *err)
{
    memset(t, 0, sizeof *t);
    t->name = name;
    t->field_names = field_names;
    t->nfields = plain ? 1 : nfields;
    t->plain = plain;
    t->src = src;
    t->enc = -1;
    t->next_line = 1;
    ag_buf_init(&t->utf8, 4u * LEDGER_MAX_LINE_BYTES);
    ag_buf_init(&t->vals, 4u * LEDGER_MAX_LINE_BYTES + GBT_MAX_LAYOUT + 16u);
    /* Small inputs get a small buffer; it grows when a source gives more. */
    size_t cap = GBT_FULL_CAP;
    if (src.total && src.total + 16u < cap)
        cap = (size_t)src.total + 16u;
    if (cap < 4096)
        cap = 4096;
    t->raw = malloc(cap);
    if (!t->raw)
        return ag_fail(err, AG_ERR_NOMEM, name, "内存不足", "out of memory");
    t->cap = cap;
    return AG_OK;
}

void gbt_text_close(gbt_text *t)
{
    if (!t)
        return;
    free(t->raw);
    t->raw = NULL;
    ag_conv_close(t->conv);
    t->conv = NULL;
    ag_buf_release(&t->utf8);
    ag_buf_release(&t->vals);
}

const char *gbt_text_encoding(const gbt_text *t)
{
    return t->enc == AG_ENC_GB18030 ? "gb18030" : "utf-8";
}

static ag_err fill(gbt_text *t, ag_error *err)
{
    if (t->eof)
        return AG_OK;
    if (t->start > 0) {
        memmove(t->raw, t->raw + t->start, t->end - t->start);
        t->end -= t->start;
        t->start = 0;
    }
    if (t->end == t->cap) {
        if (t->cap >= GBT_FULL_CAP)
            return ag_fail(err, AG_ERR_INTERNAL, t->name, "读取缓冲区已满", "read buffer full");
        char *p = realloc(t->raw, GBT_FULL_CAP);
        if (!p)
            return ag_fail(err, AG_ERR_NOMEM, t->name, "内存不足", "out of memory");
        t->raw = p;
        t->cap = GBT_FULL_CAP;
    }
    size_t got = 0;
    size_t want = t->cap - t->end;
    if (want > GBT_CHUNK)
        want = GBT_CHUNK;
    ag_err rc = t->src.read(t->src.h, t->raw + t->end, want, &got, err);
    if (rc)
        return rc;
    if (got == 0)
        t->eof = true;
    t->end += got;
    return AG_OK;
}

static bool blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != 0x1A)
            return false;
    return true;
}

/* Splits the UTF-8 record into fields: unquoted, trimmed values in t->vals. */
static ag_err split(gbt_text *t, ag_error *err)
{
    const char *u = t->utf8.data ? t->utf8.data : "";
    size_t n = t->utf8.len;
    size_t off[GBT_MAX_LAYOUT], len[GBT_MAX_LAYOUT];
    int nf = t->nfields;
    int col = 0;
    size_t i = 0;
    ag_buf_reset(&t->vals);
    ag_buf *v = &t->vals;
    for (;;) {
        size_t vstart = v->len;
        ag_err rc = AG_OK;
        size_t j = i;
        while (j < n && u[j] == ' ')
            j++;
        if (t->plain) {
            rc = ag_buf_add(v, u + i, n - i);
            i = n;
        } else if (j < n && u[j] == '"') {
            size_t k = j + 1;
            while (k < n && !rc) {
                if (u[k] != '"') {
                    size_t e = k;
                    while (e < n && u[e] != '"')
                        e++;
                    rc = ag_buf_add(v, u + k, e - k);
                    k = e;
                    continue;
                }
                if (k + 1 < n && u[k + 1] == '"') {
                    rc = ag_buf_addc(v, '"');
                    k += 2;
                    continue;
                }
                if (quote_closes(u, k, n, true)) {
                    k++;
                    break;
                }
                rc = ag_buf_addc(v, '"');
                k++;
            }
            /* Anything between the closing quote and the TAB is kept, so a
             * stray character never shifts the fields after it. */
            size_t e = k;
            while (e < n && u[e] != '\t')
                e++;
            if (!rc && e > k)
                rc = ag_buf_add(v, u + k, e - k);
            i = e;
        } else {
            size_t e = i;
            while (e < n && u[e] != '\t')
                e++;
            rc = ag_buf_add(v, u + i, e - i);
            i = e;
        }
        if (rc)
            return ag_fail(err, AG_ERR_NOMEM, t->name, "记录过大", "record too large");
        /* Trim spaces (CHAR columns are padded) and stray CRs. */
        size_t a = vstart, b = v->len;
        while (a < b && (v->data[a] == ' ' || v->data[a] == '\r'))
            a++;
        while (b > a && (v->data[b - 1] == ' ' || v->data[b - 1] == '\r'))
            b--;
        if (a > vstart)
            memmove(v->data + vstart, v->data + a, b - a);
        v->len = vstart + (b - a);
        if (!t->plain && b - a > LEDGER_MAX_FIELD_BYTES)
            return fail_line(t, col, t->line, err, "字段超过 %u 字节", "field longer than %u bytes",
                             LEDGER_MAX_FIELD_BYTES);
        if (col < nf) {
            off[col] = vstart;
            len[col] = b - a;
            if (ag_buf_addc(v, '\0'))
                return ag_fail(err, AG_ERR_NOMEM, t->name, "记录过大", "record too large");
        } else if (b > a) {
            char ex[48];
            return fail_line(t, col, t->line, err,
                             "字段过多：%s 每行 %d 个字段，第 %d 个字段为“%s”",
                             "too many fields: %s has %d per row, field %d is \"%s\"", t->name, nf,
                             col + 1, excerpt(v->data + vstart, b - a, ex));
        } else {
            v->len = vstart; /* an empty extra field (a trailing TAB) is harmless */
        }
        col++;
        if (i < n && u[i] == '\t') {
            i++;
            if (col >= LEDGER_MAX_COLUMNS)
                return fail_line(t, -1, t->line, err, "字段数超过上限 %d", "more than %d fields",
                                 LEDGER_MAX_COLUMNS);
            continue;
        }
        break;
    }
    for (int k = 0; k < nf; k++) {
        if (k < col) {
            t->f[k].s = v->data + off[k];
            t->f[k].n = len[k];
        } else {
            t->f[k].s = "";
            t->f[k].n = 0;
        }
    }
    return AG_OK;
}

static bool ascii_only(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)p[i] >= 0x80)
            return false;
    return true;
}

/* Decides the encoding at the first record holding a non-ASCII byte: UTF-8
 * when that record and everything buffered after it are valid UTF-8, or when
 * the record alone is and holds two or more 3- or 4-byte sequences (Chinese
 * in UTF-8; GB18030 text almost never forms them), so that a corrupt line
 * further on is reported at its own line. GB18030 otherwise. */
static ag_encoding sniff(const char *rec, size_t len, size_t avail)
{
    if (ag_encoding_sniff(rec, avail) == AG_ENC_UTF8)
        return AG_ENC_UTF8;
    if (!ag_utf8_valid(rec, len, false))
        return AG_ENC_GB18030;
    int wide = 0;
    for (size_t i = 0; i < len; i++)
        wide += (unsigned char)rec[i] >= 0xE0;
    return wide >= 2 ? AG_ENC_UTF8 : AG_ENC_GB18030;
}

bool gbt_text_more(gbt_text *t, ag_err *rc, ag_error *err)
{
    bool more = false;
    *rc = gbt_text_next(t, &more, err);
    return !*rc && more;
}

ag_err gbt_text_next(gbt_text *t, bool *more, ag_error *err)
{
    ag_err rc;
    *more = false;
    for (;;) {
        if (t->start == t->end && !t->eof) {
            if ((rc = fill(t, err)))
                return rc;
            continue;
        }
        if (!t->bom_checked) {
            while (t->end - t->start < 4 && !t->eof)
                if ((rc = fill(t, err)))
                    return rc;
            t->bom_checked = true;
            const unsigned char *b = (const unsigned char *)t->raw + t->start;
            size_t have = t->end - t->start;
            if (have >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
                t->enc = AG_ENC_UTF8;
                t->start += 3;
                t->done += 3;
            } else if (have >= 2 &&
                       ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))) {
                return fail_line(t, -1, 1, err,
                                 "不支持 UTF-16 编码，请导出为 GB18030（GBK）或 UTF-8 文本",
                                 "UTF-16 is not supported: export as GB18030 (GBK) or UTF-8 text");
            }
            continue;
        }
        size_t rec_end = 0, lfs = 0;
        int openf = -1;
        int r = scan_record(t->raw, t->start, t->end, t->eof, t->plain, &rec_end, &openf, &lfs);
        if (r == SCAN_MORE) {
            if (t->end - t->start > (size_t)LEDGER_MAX_LINE_BYTES + 1u) {
                if (openf >= 0)
                    return fail_line(
                        t, openf, t->next_line, err, "记录超过 %u 字节（引号未闭合？）",
                        "record longer than %u bytes (unterminated quote?)", LEDGER_MAX_LINE_BYTES);
                return fail_line(t, -1, t->next_line, err, "行超过 %u 字节",
                                 "line longer than %u bytes", LEDGER_MAX_LINE_BYTES);
            }
            if ((rc = fill(t, err)))
                return rc;
            continue;
        }
        if (r == SCAN_EOF && t->start == t->end)
            return AG_OK;
        if (r == SCAN_EOF && openf >= 0)
            return fail_line(t, openf, t->next_line, err, "文件被截断：引号未闭合",
                             "truncated file: a quote is not closed before the end");
        const char *rec = t->raw + t->start;
        size_t rec_start = t->start;
        size_t len = rec_end - t->start;
        size_t consumed = len + (r == SCAN_FOUND ? 1u : 0u);
        if (len && rec[len - 1] == '\r')
            len--;
        t->line = t->next_line;
        t->next_line += 1 + (int64_t)lfs;
        t->start += consumed;
        t->done += consumed;
        if (len > LEDGER_MAX_LINE_BYTES)
            return fail_line(t, -1, t->line, err, "行超过 %u 字节", "line longer than %u bytes",
                             LEDGER_MAX_LINE_BYTES);
        if (blank(rec, len))
            continue;
        const char *nul = memchr(rec, '\0', len);
        if (nul)
            return fail_line(t, field_at(rec, len, (size_t)(nul - rec)), t->line, err,
                             "无法识别的编码：含 NUL 字节（不支持 UTF-16）",
                             "unreadable encoding: a NUL byte (UTF-16 is not supported)");
        ag_buf_reset(&t->utf8);
        if (ascii_only(rec, len)) {
            rc = ag_buf_add(&t->utf8, rec, len);
            if (rc)
                return ag_fail(err, AG_ERR_NOMEM, t->name, "记录过大", "record too large");
        } else {
            if (t->enc < 0)
                t->enc = (int)sniff(rec, len, t->end - rec_start);
            if (!t->conv && (rc = ag_conv_open((ag_encoding)t->enc, &t->conv, err)))
                return rc;
            size_t bad = 0;
            ag_error e2;
            ag_error_clear(&e2);
            rc = ag_conv_run(t->conv, rec, len, &t->utf8, &bad, &e2);
            if (rc == AG_ERR_INPUT)
                return fail_line(t, field_at(rec, len, bad), t->line, err,
                                 "无法识别的编码：不是有效的 %s 文本（第 %zu 字节）",
                                 "unreadable encoding: not valid %s text (byte %zu)",
                                 t->enc == AG_ENC_UTF8 ? "UTF-8" : "GB18030", bad + 1);
            if (rc) {
                if (err)
                    *err = e2;
                return rc;
            }
        }
        t->nrecs++;
        if ((rc = split(t, err)))
            return rc;
        *more = true;
        return AG_OK;
    }
}

/* ---- values ------------------------------------------------------------- */

static ag_err bad_value(const gbt_text *t, int field, ag_error *err, const char *zh_what,
                        const char *en_what)
{
    char ex[48];
    const gbt_field *f = &t->f[field];
    return fail_line(t, field, t->line, err, "%s%.0s：“%s”", "%.0s%s: \"%s\"", zh_what, en_what,
                     excerpt(f->s, f->n, ex));
}

ag_err gbt_money(const gbt_text *t, int field, int64_t *fen, ag_error *err)
{
    const gbt_field *f = &t->f[field];
    if (f->n == 0) {
        *fen = 0;
        return AG_OK;
    }
    char tmp[64];
    if (f->n >= sizeof tmp)
        return bad_value(t, field, err, "不是金额", "not an amount");
    memcpy(tmp, f->s, f->n);
    size_t n = f->n;
    tmp[n] = '\0';
    /* Exports of DECIMAL(20,6) columns print "12.500000": drop zero digits
     * past the second decimal; a non-zero one is refused, never rounded. */
    char *dot = memchr(tmp, '.', n);
    if (dot) {
        size_t d = (size_t)(dot - tmp) + 1, e = d;
        while (e < n && tmp[e] >= '0' && tmp[e] <= '9')
            e++;
        if (e - d > 2) {
            for (size_t k = d + 2; k < e; k++)
                if (tmp[k] != '0')
                    return bad_value(t, field, err, "金额超过两位小数",
                                     "amount with more than 2 decimals");
            memmove(tmp + d + 2, tmp + e, n - e);
            n -= e - (d + 2);
        }
    }
    if (!ag_money_parse(tmp, n, fen))
        return bad_value(t, field, err, "不是金额", "not an amount");
    if (*fen == INT64_MIN) /* could not be negated when converting signs */
        return bad_value(t, field, err, "金额超出范围", "amount out of range");
    return AG_OK;
}

ag_err gbt_decimal(const gbt_text *t, int field, char *out, size_t outsz, bool *present,
                   ag_error *err)
{
    const gbt_field *f = &t->f[field];
    *present = f->n > 0;
    out[0] = '\0';
    if (!f->n)
        return AG_OK;
    const char *s = f->s;
    size_t n = f->n, i = 0, o = 0;
    int digits = 0;
    bool ok = true;
    if (s[i] == '+' || s[i] == '-')
        out[o++] = s[i++];
    for (; i < n && ok; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            digits++;
        } else if (c == ',' && digits > 0 && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9') {
            continue;
        } else if (c == '.' || c == 'e' || c == 'E') {
            /* checked below */
        } else {
            ok = false;
            break;
        }
        if (o + 1 >= outsz) {
            ok = false;
            break;
        }
        out[o++] = c;
    }
    out[o] = '\0';
    if (ok) {
        /* digits [. digits] [e [sign] digits] */
        const char *p = out + (out[0] == '+' || out[0] == '-');
        int intd = 0, fracd = 0, expd = 0;
        while (*p >= '0' && *p <= '9')
            p++, intd++;
        if (*p == '.') {
            p++;
            while (*p >= '0' && *p <= '9')
                p++, fracd++;
        }
        if (*p == 'e' || *p == 'E') {
            p++;
            if (*p == '+' || *p == '-')
                p++;
            while (*p >= '0' && *p <= '9')
                p++, expd++;
            if (!expd)
                ok = false;
        }
        if (*p || intd + fracd == 0)
            ok = false;
    }
    if (!ok)
        return bad_value(t, field, err, "不是数值", "not a number");
    return AG_OK;
}

ag_err gbt_int(const gbt_text *t, int field, int64_t lo, int64_t hi, int64_t *v, bool *present,
               ag_error *err)
{
    const gbt_field *f = &t->f[field];
    *v = 0;
    *present = f->n > 0;
    if (!f->n)
        return AG_OK;
    const char *s = f->s;
    size_t n = f->n, i = 0;
    bool neg = false;
    if (s[i] == '+' || s[i] == '-')
        neg = s[i++] == '-';
    int64_t x = 0;
    size_t d0 = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') {
        if (x > (INT64_MAX - 9) / 10)
            return bad_value(t, field, err, "不是整数", "not an integer");
        x = x * 10 + (s[i++] - '0');
    }
    if (i == d0)
        return bad_value(t, field, err, "不是整数", "not an integer");
    if (i < n && s[i] == '.') { /* "3.00" from a numeric column */
        i++;
        while (i < n && s[i] == '0')
            i++;
    }
    if (i != n)
        return bad_value(t, field, err, "不是整数", "not an integer");
    if (neg)
        x = -x;
    if (x < lo || x > hi)
        return bad_value(t, field, err, "数值超出范围", "number out of range");
    *v = x;
    return AG_OK;
}

ag_err gbt_date(const gbt_text *t, int field, int32_t *days, bool *present, ag_error *err)
{
    const gbt_field *f = &t->f[field];
    *present = f->n > 0;
    *days = 0;
    if (!f->n)
        return AG_OK;
    size_t n = f->n;
    /* "2024-01-05 00:00:00" from a DATETIME column: the time is ignored. */
    for (size_t i = 8; i < f->n; i++) {
        if (f->s[i] == ' ' || f->s[i] == 'T') {
            n = i;
            for (size_t k = i + 1; k < f->n; k++) {
                char c = f->s[k];
                if (!((c >= '0' && c <= '9') || c == ':' || c == '.' || c == ' '))
                    return bad_value(t, field, err, "不是日期", "not a date");
            }
            break;
        }
    }
    if (!ag_date_parse(f->s, n, days))
        return bad_value(t, field, err, "不是日期", "not a date");
    return AG_OK;
}

static bool eq_ci(const char *s, size_t n, const char *lit)
{
    size_t m = strlen(lit);
    if (m != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char a = s[i], b = lit[i];
        if (a >= 'a' && a <= 'z')
            a = (char)(a - 32);
        if (b >= 'a' && b <= 'z')
            b = (char)(b - 32);
        if (a != b)
            return false;
    }
    return true;
}

ag_err gbt_flag(const gbt_text *t, int field, int *v, ag_error *err)
{
    const gbt_field *f = &t->f[field];
    static const char *const yes[] = {"1", "Y", "YES", "T", "TRUE", "是", "已记账", "作废", "-1"};
    static const char *const no[] = {"0", "N", "NO", "F", "FALSE", "否", "未记账", "正常"};
    if (!f->n) {
        *v = -1;
        return AG_OK;
    }
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (eq_ci(f->s, f->n, yes[i])) {
            *v = 1;
            return AG_OK;
        }
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (eq_ci(f->s, f->n, no[i])) {
            *v = 0;
            return AG_OK;
        }
    return bad_value(t, field, err, "不是标志（应为 1/0）", "not a flag (expected 1/0)");
}
