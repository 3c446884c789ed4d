/* csv.c - RFC 4180 CSV in large blocks, UTF-8 or GB18030, into the table pipeline. */
#include "ledger/csv.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "ledger/table.h"
#include "util/buf.h"
#include "util/encoding.h"
#include "util/hash.h"

#include "util/banned.h"

/* Raw bytes are read a block at a time; text is handed to the parser in
 * whole lines, so a GB18030 character (whose bytes never include '\n') is
 * never split between two conversions. */
#define CSV_BLOCK (1u << 20)
#define CSV_SNIFF (64u << 10)
#define CSV_SLACK 16 /* bytes kept after the text for sentinels */

/* Inputs at least this large are hashed on a helper thread. */
#define CSV_HASH_THREAD_MIN (8u << 20)

/* SHA-256 of the raw bytes. Hashing costs about as much as parsing, so for
 * a large input a helper thread hashes each block while the parser works
 * on it. Blocks are hashed one at a time and in order: adding one waits
 * for the previous one, and the reader waits before it reuses the memory. */
typedef struct csv_hasher {
    ag_sha256 sha;
    bool threaded;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    const char *job;
    size_t job_len;
    bool pending, quit;
    bool off; /* the caller asked for no hash */
} csv_hasher;

static void *hasher_main(void *arg)
{
    csv_hasher *h = arg;
    pthread_mutex_lock(&h->mu);
    for (;;) {
        while (!h->pending && !h->quit)
            pthread_cond_wait(&h->cv, &h->mu);
        if (!h->pending)
            break;
        const char *p = h->job;
        size_t n = h->job_len;
        pthread_mutex_unlock(&h->mu);
        ag_sha256_update(&h->sha, p, n);
        pthread_mutex_lock(&h->mu);
        h->pending = false;
        pthread_cond_broadcast(&h->cv);
    }
    pthread_mutex_unlock(&h->mu);
    return NULL;
}

static void hasher_start(csv_hasher *h, bool threaded)
{
    ag_sha256_init(&h->sha);
    h->threaded = false;
    if (!threaded || pthread_mutex_init(&h->mu, NULL) != 0)
        return;
    if (pthread_cond_init(&h->cv, NULL) != 0) {
        pthread_mutex_destroy(&h->mu);
        return;
    }
    h->pending = h->quit = false;
    if (pthread_create(&h->thread, NULL, hasher_main, h) != 0) {
        pthread_cond_destroy(&h->cv);
        pthread_mutex_destroy(&h->mu);
        return;
    }
    h->threaded = true;
}

/* Waits until every block added has been hashed. */
static void hasher_wait(csv_hasher *h)
{
    if (!h->threaded)
        return;
    pthread_mutex_lock(&h->mu);
    while (h->pending)
        pthread_cond_wait(&h->cv, &h->mu);
    pthread_mutex_unlock(&h->mu);
}

/* Hashes p[0..n), which must stay untouched until the next hasher_wait. */
static void hasher_add(csv_hasher *h, const char *p, size_t n)
{
    if (h->off)
        return;
    if (!h->threaded) {
        ag_sha256_update(&h->sha, p, n);
        return;
    }
    pthread_mutex_lock(&h->mu);
    while (h->pending)
        pthread_cond_wait(&h->cv, &h->mu);
    h->job = p;
    h->job_len = n;
    h->pending = true;
    pthread_cond_broadcast(&h->cv);
    pthread_mutex_unlock(&h->mu);
}

static void hasher_stop(csv_hasher *h)
{
    if (!h->threaded)
        return;
    pthread_mutex_lock(&h->mu);
    h->quit = true;
    pthread_cond_broadcast(&h->cv);
    pthread_mutex_unlock(&h->mu);
    pthread_join(h->thread, NULL);
    pthread_cond_destroy(&h->cv);
    pthread_mutex_destroy(&h->mu);
    h->threaded = false;
}

typedef struct csv_field {
    size_t start, end; /* the field's bytes in text (without quotes) */
    bool quoted;
    bool escaped; /* contains "" pairs */
} csv_field;

typedef struct csv_reader {
    const char *name;
    const ledger_sink *sink;
    ledger_table *table;

    /* Source: a file descriptor or memory. */
    int fd;
    const char *mem;
    size_t mem_len, mem_pos;
    bool src_eof;
    uint64_t total; /* size if known, else 0 */
    uint64_t done;  /* raw bytes read */
    csv_hasher hash;

    ag_encoding enc;
    bool sniffed;
    bool nonascii_seen; /* any non-ASCII byte converted yet */
    ag_conv *conv;      /* GB18030 only */
    ag_buf conv_out;

    /* Raw bytes read: raw[0..raw_start) were converted (and may still be
     * being hashed), raw[raw_start..raw_len) wait for the rest of their line. */
    char *raw;
    size_t raw_start, raw_len, raw_cap;
    uint64_t raw_offset; /* file offset of raw[0] */

    /* Converted UTF-8 text: [pos, valid) is unparsed, whole lines unless eof. */
    char *text;
    size_t text_cap, pos, valid;
    bool eof; /* all of the source is in text */
    bool bom_checked;

    ledger_table_opts topts;
    int title_rows;     /* title lines skipped above the header */
    ag_error title_err; /* why the first of them was no header */
    int64_t line;       /* physical line number of text[pos] */
    size_t ncols;       /* header width, 0 before the header */
    csv_field fields[LEDGER_MAX_COLUMNS + 1];
    ledger_cell cells[LEDGER_MAX_COLUMNS + 1];
} csv_reader;

static ag_err oom(ag_error *err)
{
    return ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
}

static size_t count_nl(const char *p, size_t n)
{
    size_t k = 0;
    const char *e = p + n;
    while (p < e && (p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
        k++;
        p++;
    }
    return k;
}

static void where_line(const csv_reader *c, int64_t line, char out[256])
{
    snprintf(out, 256, "%s:%lld", c->name, (long long)line);
}

/* ---- source ---- */

/* Reads up to n bytes into p; sets src_eof at the end. */
static ag_err src_read(csv_reader *c, char *p, size_t n, size_t *got, ag_error *err)
{
    *got = 0;
    if (c->mem) {
        size_t k = c->mem_len - c->mem_pos;
        if (k > n)
            k = n;
        memcpy(p, c->mem + c->mem_pos, k);
        c->mem_pos += k;
        *got = k;
        if (c->mem_pos == c->mem_len)
            c->src_eof = true;
    } else {
        while (*got < n) {
            ssize_t r = read(c->fd, p + *got, n - *got);
            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0)
                return ag_fail(err, AG_ERR_IO, c->name, "读取文件失败：%s", "cannot read: %s",
                               strerror(errno));
            if (r == 0) {
                c->src_eof = true;
                break;
            }
            *got += (size_t)r;
        }
    }
    if (*got) {
        hasher_add(&c->hash, p, *got);
        c->done += *got;
        if (c->done > LEDGER_MAX_FILE_BYTES)
            return ag_fail(err, AG_ERR_INPUT, c->name, "文件超过 %llu 字节的上限",
                           "file is over the limit of %llu bytes",
                           (unsigned long long)LEDGER_MAX_FILE_BYTES);
        if (c->sink->progress)
            c->sink->progress(c->sink->ctx, c->done, c->total);
    }
    return AG_OK;
}

/* ---- conversion ---- */

/* Offset of the first byte of p[0..n) that does not start a valid UTF-8
 * sequence, or n. Sets *nonascii when it meets a byte >= 0x80. */
static size_t utf8_check(const char *s, size_t n, bool *nonascii)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        while (n - i >= 16) {
            uint64_t a, b;
            memcpy(&a, p + i, 8);
            memcpy(&b, p + i + 8, 8);
            if ((a | b) & 0x8080808080808080ull)
                break;
            i += 16;
        }
        if (i == n)
            break;
        unsigned char ch = p[i];
        if (ch < 0x80) {
            i++;
            continue;
        }
        *nonascii = true;
        /* Three-byte sequences without range exceptions (most CJK) first. */
        if ((ch >= 0xE1 && ch <= 0xEC) || ch == 0xEE || ch == 0xEF) {
            if (n - i < 3 || (p[i + 1] & 0xC0) != 0x80 || (p[i + 2] & 0xC0) != 0x80)
                return i;
            i += 3;
            continue;
        }
        size_t need;
        uint32_t cp, min;
        if (ch >= 0xC2 && ch <= 0xDF) {
            need = 1, cp = ch & 0x1F, min = 0x80;
        } else if (ch >= 0xE0 && ch <= 0xEF) {
            need = 2, cp = ch & 0x0F, min = 0x800;
        } else if (ch >= 0xF0 && ch <= 0xF4) {
            need = 3, cp = ch & 0x07, min = 0x10000;
        } else {
            return i;
        }
        if (n - i <= need)
            return i;
        for (size_t k = 1; k <= need; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += need + 1;
    }
    return n;
}

static ag_err text_reserve(csv_reader *c, size_t extra, ag_error *err)
{
    /* Slack for the sentinels (and the NUL of a field at the very end). */
    if (c->valid + extra + CSV_SLACK <= c->text_cap)
        return AG_OK;
    size_t cap = c->text_cap ? c->text_cap : 4096;
    while (cap < c->valid + extra + CSV_SLACK)
        cap *= 2;
    char *p = realloc(c->text, cap);
    if (!p)
        return oom(err);
    c->text = p;
    c->text_cap = cap;
    return AG_OK;
}

/* Lines in the converted text that the parser has not consumed yet. */
static int64_t pending_lines(const csv_reader *c)
{
    return c->text ? (int64_t)count_nl(c->text + c->pos, c->valid - c->pos) : 0;
}

/* The line of raw[bad] for an encoding error: lines parsed, lines pending
 * in text, lines in raw before the bad byte. */
static ag_err bad_bytes(csv_reader *c, size_t bad, ag_error *err)
{
    int64_t line = c->line + pending_lines(c) + (int64_t)count_nl(c->raw, bad);
    char where[256];
    where_line(c, line, where);
    unsigned char b0 = (unsigned char)c->raw[bad];
    return ag_fail(err, AG_ERR_INPUT, where,
                   "第 %lld 行含有无效的 %s 字节（文件偏移 %llu，字节 0x%02X）；"
                   "请以 UTF-8 或 GB18030 保存文件",
                   "line %lld has bytes that are not valid %s (file offset %llu, byte 0x%02X); "
                   "save the file as UTF-8 or GB18030",
                   (long long)line, c->enc == AG_ENC_UTF8 ? "UTF-8" : "GB18030",
                   (unsigned long long)(c->raw_offset + bad), b0);
}

/* Converts raw[0..n) (whole lines) and appends it to text. */
static ag_err convert(csv_reader *c, size_t n, ag_error *err)
{
    ag_err rc;
    const char *nul = memchr(c->raw, '\0', n);
    if (nul) {
        /* Text never holds NUL; a binary or UTF-16 file does. */
        int64_t line =
            c->line + pending_lines(c) + (int64_t)count_nl(c->raw, (size_t)(nul - c->raw));
        char where[256];
        where_line(c, line, where);
        return ag_fail(err, AG_ERR_INPUT, where,
                       "第 %lld 行含有 NUL 字节：这不是文本 CSV（二进制或 UTF-16 文件？）",
                       "line %lld contains a NUL byte: not a text CSV (a binary or UTF-16 "
                       "file?)",
                       (long long)line);
    }
    if (c->enc == AG_ENC_UTF8) {
        bool seen_before = c->nonascii_seen;
        size_t bad = utf8_check(c->raw, n, &c->nonascii_seen);
        bool ascii_prefix = !seen_before;
        for (size_t i = 0; ascii_prefix && i < bad && i < n; i++)
            ascii_prefix = (unsigned char)c->raw[i] < 0x80;
        if (bad < n && ascii_prefix) {
            /* Only ASCII so far, then bytes that are not UTF-8: the sniffed
             * sample was plain ASCII and the file is GB18030 after all. */
            c->enc = AG_ENC_GB18030;
        } else if (bad < n) {
            return bad_bytes(c, bad, err);
        } else {
            if ((rc = text_reserve(c, n, err)))
                return rc;
            memcpy(c->text + c->valid, c->raw, n);
            c->valid += n;
            return AG_OK;
        }
    }
    if (!c->conv && (rc = ag_conv_open(AG_ENC_GB18030, &c->conv, err)))
        return rc;
    size_t bad = 0;
    ag_buf_reset(&c->conv_out);
    ag_error cerr;
    rc = ag_conv_run(c->conv, c->raw, n, &c->conv_out, &bad, &cerr);
    if (rc == AG_ERR_INPUT)
        return bad_bytes(c, bad, err);
    if (rc)
        return oom(err);
    if ((rc = text_reserve(c, c->conv_out.len, err)))
        return rc;
    memcpy(c->text + c->valid, c->conv_out.data, c->conv_out.len);
    c->valid += c->conv_out.len;
    return AG_OK;
}

/* Brings more whole lines into text (or sets eof). */
static ag_err fill(csv_reader *c, ag_error *err)
{
    ag_err rc;
    if (c->pos > 0) {
        memmove(c->text, c->text + c->pos, c->valid - c->pos);
        c->valid -= c->pos;
        c->pos = 0;
    }
    for (;;) {
        if (c->raw_start) {
            hasher_wait(&c->hash);
            memmove(c->raw, c->raw + c->raw_start, c->raw_len - c->raw_start);
            c->raw_len -= c->raw_start;
            c->raw_start = 0;
        }
        if (!c->src_eof) {
            size_t want = c->raw_cap - c->raw_len, got;
            if (want == 0) /* only with a small buffer sized by fstat */
                return ag_fail(err, AG_ERR_IO, c->name, "读取期间文件被修改",
                               "the file changed while it was read");
            if (want > CSV_BLOCK)
                want = CSV_BLOCK;
            if ((rc = src_read(c, c->raw + c->raw_len, want, &got, err)))
                return rc;
            c->raw_len += got;
        }
        if (!c->sniffed) {
            c->sniffed = true;
            unsigned char b0 = c->raw_len >= 2 ? (unsigned char)c->raw[0] : 0;
            unsigned char b1 = c->raw_len >= 2 ? (unsigned char)c->raw[1] : 0;
            if ((b0 == 0xFF && b1 == 0xFE) || (b0 == 0xFE && b1 == 0xFF))
                return ag_fail(err, AG_ERR_INPUT, c->name,
                               "文件是 UTF-16 编码（Excel 的“Unicode 文本”）；请另存为 UTF-8 "
                               "或 GB18030 的 CSV",
                               "the file is UTF-16 (Excel's \"Unicode text\"); save it as a "
                               "UTF-8 or GB18030 CSV");
            c->enc = ag_encoding_sniff(c->raw, c->raw_len < CSV_SNIFF ? c->raw_len : CSV_SNIFF);
        }
        size_t cut = c->raw_len;
        if (!c->src_eof) {
            cut = 0;
            for (size_t i = c->raw_len; i > 0; i--)
                if (c->raw[i - 1] == '\n') {
                    cut = i;
                    break;
                }
        }
        if (cut == 0) {
            if (c->src_eof) {
                c->eof = true;
                return AG_OK;
            }
            if (c->raw_len > LEDGER_MAX_LINE_BYTES) {
                char where[256];
                int64_t line = c->line + pending_lines(c);
                where_line(c, line, where);
                return ag_fail(err, AG_ERR_INPUT, where, "第 %lld 行超过 %u 字节",
                               "line %lld is over %u bytes", (long long)line,
                               LEDGER_MAX_LINE_BYTES);
            }
            continue;
        }
        if ((rc = convert(c, cut, err)))
            return rc;
        c->raw_start = cut;
        c->raw_offset += cut;
        if (c->src_eof && c->raw_len == cut)
            c->eof = true;
        memset(c->text + c->valid, '\n', CSV_SLACK); /* sentinels for field_end */
        if (!c->bom_checked && c->valid > 0) {
            c->bom_checked = true;
            if (c->valid >= 3 && memcmp(c->text, "\xEF\xBB\xBF", 3) == 0)
                c->pos = 3;
        }
        return AG_OK;
    }
}

/* ---- records ---- */

enum { REC_OK, REC_NEED, REC_END, REC_FAIL };

/* The offset of the first ',', '\n' or '\r' at or after t[i]. The text
 * ends in a '\n' sentinel followed by CSV_SLACK more, so no bound check is
 * needed and a 16-byte load never leaves the buffer. */
#if defined(__SSE2__)
static size_t field_end(const char *t, size_t i)
{
    const __m128i comma = _mm_set1_epi8(','), lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
    for (;;) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(t + i));
        __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, lf)),
                                   _mm_cmpeq_epi8(v, cr));
        unsigned m = (unsigned)_mm_movemask_epi8(hit);
        if (m)
            return i + (size_t)__builtin_ctz(m);
        i += 16;
    }
}
#else
static size_t field_end(const char *t, size_t i)
{
    while (t[i] != ',' && t[i] != '\n' && t[i] != '\r')
        i++;
    return i;
}
#endif

/* Parses one record at text[pos]. REC_NEED: it runs past the text converted
 * so far (nothing was changed; call fill and retry). On REC_OK the fields
 * are in c->fields[0..*nf) and *next is the offset after the record, *lines
 * the physical lines it spans. */
static int parse_record(csv_reader *c, size_t *nf_out, size_t *next, int64_t *lines, ag_err *rc,
                        ag_error *err)
{
    const char *t = c->text;
    size_t i = c->pos, end = c->valid;
    size_t nf = 0;
    int64_t nl = 0;
    if (i >= end)
        return c->eof ? REC_END : REC_NEED;
    for (;;) {
        if (nf > LEDGER_MAX_COLUMNS) {
            char where[256];
            where_line(c, c->line, where);
            *rc = ag_fail(err, AG_ERR_INPUT, where, "第 %lld 行的列数超过 %d",
                          "line %lld has more than %d fields", (long long)c->line,
                          LEDGER_MAX_COLUMNS);
            return REC_FAIL;
        }
        csv_field *f = &c->fields[nf++];
        if (i < end && t[i] == '"') {
            int64_t open_line = c->line + nl;
            f->quoted = true;
            f->escaped = false;
            f->start = ++i;
            for (;;) {
                const char *q = memchr(t + i, '"', end - i);
                if (!q) {
                    if (!c->eof)
                        goto need;
                    char where[256];
                    where_line(c, open_line, where);
                    *rc = ag_fail(err, AG_ERR_INPUT, where,
                                  "文件不完整：第 %lld 行开始的引号字段没有结束引号",
                                  "truncated file: the quoted field opened on line %lld is "
                                  "never closed",
                                  (long long)open_line);
                    return REC_FAIL;
                }
                i = (size_t)(q - t) + 1;
                if (i < end && t[i] == '"') {
                    f->escaped = true;
                    i++;
                    continue;
                }
                break;
            }
            f->end = i - 1;
            nl += (int64_t)count_nl(t + f->start, f->end - f->start);
            while (i < end && (t[i] == ' ' || t[i] == '\t'))
                i++;
            if (i < end && t[i] != ',' && t[i] != '\n' &&
                !(t[i] == '\r' && (i + 1 == end || t[i + 1] == '\n'))) {
                char where[256];
                where_line(c, c->line + nl, where);
                *rc = ag_fail(err, AG_ERR_INPUT, where,
                              "第 %lld 行第 %zu 个字段：结束引号后还有其他字符（引号内的 \" "
                              "应写成 \"\"）",
                              "line %lld, field %zu: text after the closing quote (a quote "
                              "inside a quoted field is written \"\")",
                              (long long)(c->line + nl), nf);
                return REC_FAIL;
            }
        } else {
            f->quoted = f->escaped = false;
            f->start = i;
            for (;;) {
                i = field_end(t, i);
                if (t[i] == '\r' && i + 1 < end && t[i + 1] != '\n') {
                    i++; /* a lone CR is data */
                    continue;
                }
                break;
            }
            f->end = i;
        }
        if (i >= end) {
            if (!c->eof)
                goto need;
            *next = i;
            break;
        }
        if (t[i] == ',') {
            i++;
            continue;
        }
        /* CRLF or LF ends the record (or a CR that ends the file). */
        if (t[i++] == '\r' && i < end)
            i++;
        *next = i;
        break;
    }
    if (*next - c->pos > LEDGER_MAX_LINE_BYTES) {
        char where[256];
        where_line(c, c->line, where);
        *rc = ag_fail(err, AG_ERR_INPUT, where, "第 %lld 行超过 %u 字节",
                      "line %lld is over %u bytes", (long long)c->line, LEDGER_MAX_LINE_BYTES);
        return REC_FAIL;
    }
    *nf_out = nf;
    *lines = nl + 1;
    return REC_OK;
need:
    if (end - c->pos > LEDGER_MAX_LINE_BYTES) {
        char where[256];
        where_line(c, c->line, where);
        *rc = ag_fail(err, AG_ERR_INPUT, where,
                      "第 %lld 行开始的记录超过 %u 字节（引号是否没有闭合？）",
                      "the record starting on line %lld is over %u bytes (an unclosed quote?)",
                      (long long)c->line, LEDGER_MAX_LINE_BYTES);
        return REC_FAIL;
    }
    return REC_NEED;
}

/* Turns the parsed fields into NUL-terminated cells (in place). */
static void make_cells(csv_reader *c, size_t nf)
{
    char *t = c->text;
    for (size_t k = 0; k < nf; k++) {
        csv_field *f = &c->fields[k];
        size_t e = f->end;
        if (f->escaped) {
            size_t o = f->start;
            for (size_t i = f->start; i < f->end; i++) {
                t[o++] = t[i];
                if (t[i] == '"')
                    i++; /* the second quote of a "" pair */
            }
            e = o;
        }
        t[e] = '\0';
        c->cells[k].p = t + f->start;
        c->cells[k].len = e - f->start;
    }
}

static bool all_blank(const csv_reader *c, size_t nf)
{
    /* Most records show a non-blank byte at the start of their first field. */
    for (size_t k = 0; k < nf; k++) {
        const csv_field *f = &c->fields[k];
        if (f->start < f->end && c->text[f->start] != ' ' && c->text[f->start] != '\t')
            return false;
    }
    for (size_t k = 0; k < nf; k++) {
        const csv_field *f = &c->fields[k];
        for (size_t i = f->start; i < f->end; i++)
            if (c->text[i] != ' ' && c->text[i] != '\t')
                return false;
    }
    return true;
}

/* Maps the header; a title line above it ("2024年凭证明细表,,,") with at
 * most two non-empty fields, which can never be a valid header, is skipped. */
static ag_err header(csv_reader *c, size_t nf, int64_t line, ag_error *err)
{
    ag_error herr;
    ag_error_clear(&herr);
    ag_err rc = ledger_table_header(c->table, c->cells, nf, line, &herr);
    if (rc == AG_ERR_INPUT && c->title_rows < 10) {
        size_t nonblank = 0;
        for (size_t k = 0; k < nf; k++)
            nonblank += c->cells[k].len > 0;
        if (nonblank <= 2) {
            if (c->title_rows++ == 0)
                c->title_err = herr;
            c->ncols = 0;
            ledger_table_free(c->table);
            c->table = NULL;
            return ledger_table_open(&c->topts, c->sink, &c->table, err);
        }
    }
    if (rc && err)
        *err = herr;
    return rc;
}

static ag_err run(csv_reader *c, ag_error *err)
{
    ag_err rc = AG_OK;
    for (;;) {
        size_t nf = 0, next = 0;
        int64_t lines = 0;
        int r = parse_record(c, &nf, &next, &lines, &rc, err);
        if (r == REC_FAIL)
            return rc;
        if (r == REC_END)
            break;
        if (r == REC_NEED) {
            if ((rc = fill(c, err)))
                return rc;
            continue;
        }
        int64_t line = c->line;
        bool blank = all_blank(c, nf);
        if (!blank) {
            make_cells(c, nf);
            if (!c->ncols) {
                c->ncols = nf;
                rc = header(c, nf, line, err);
            } else if (nf != c->ncols) {
                char where[256];
                where_line(c, line, where);
                rc = ag_fail(err, AG_ERR_INPUT, where,
                             "第 %lld 行有 %zu 个字段，表头有 %zu 个（字段中的逗号要用引号括起）",
                             "line %lld has %zu fields but the header has %zu (a comma inside "
                             "a field must be quoted)",
                             (long long)line, nf, c->ncols);
            } else {
                rc = ledger_table_row(c->table, c->cells, nf, line, err);
            }
            if (rc)
                return rc;
        }
        c->pos = next;
        c->line += lines;
    }
    if (!c->ncols && c->title_rows > 0) {
        if (err)
            *err = c->title_err;
        return AG_ERR_INPUT;
    }
    if (!c->ncols)
        return ag_fail(err, AG_ERR_INPUT, c->name, "文件为空，没有表头行",
                       "the file is empty: no header row");
    return AG_OK;
}

static ag_err read_csv(csv_reader *c, const ledger_csv_opts *opts, ledger_file_info *info,
                       ag_error *err)
{
    ag_err rc = ag_crypto_init();
    if (rc)
        return ag_fail(err, rc, NULL, "无法初始化 libsodium", "cannot initialise libsodium");
    c->hash.off = opts && opts->skip_hash;
    hasher_start(&c->hash, !c->hash.off && c->total >= CSV_HASH_THREAD_MIN);
    c->line = 1;
    ag_buf_init(&c->conv_out, (size_t)CSV_BLOCK * 4 + (size_t)LEDGER_MAX_LINE_BYTES * 4);
    /* A block plus a partial line; a small input of known size needs less. */
    c->raw_cap = CSV_BLOCK + LEDGER_MAX_LINE_BYTES + 16;
    if (c->total && c->total < CSV_BLOCK)
        c->raw_cap = (size_t)c->total + 16;
    c->raw = malloc(c->raw_cap);
    if (!c->raw) {
        rc = oom(err);
        goto out;
    }
    c->topts.file = c->name;
    if (opts) {
        c->topts.unit_code = opts->unit_code;
        c->topts.default_year = opts->default_year;
    }
    if ((rc = ledger_table_open(&c->topts, c->sink, &c->table, err)))
        goto out;
    rc = run(c, err);
    if (!rc && !c->src_eof) /* cannot happen: run stops at eof */
        rc = ag_fail(err, AG_ERR_INTERNAL, c->name, "未读完文件", "stopped before the end");
    if (!rc && info) {
        snprintf(info->format, sizeof info->format, "csv");
        snprintf(info->encoding, sizeof info->encoding, "%s", ag_encoding_name(c->enc));
        hasher_wait(&c->hash);
        if (c->hash.off)
            info->sha256[0] = '\0';
        else
            ag_sha256_final_hex(&c->hash.sha, info->sha256);
        info->bytes = c->done;
        info->rows = ledger_table_rows(c->table);
    }
out:
    hasher_stop(&c->hash);
    ledger_table_free(c->table);
    ag_conv_close(c->conv);
    ag_buf_release(&c->conv_out);
    free(c->raw);
    free(c->text);
    return rc;
}

static const ledger_sink no_sink;

ag_err ledger_read_csv_mem(const char *data, size_t len, const char *name,
                           const ledger_csv_opts *opts, const ledger_sink *sink,
                           ledger_file_info *info, ag_error *err)
{
    csv_reader *c = calloc(1, sizeof *c);
    if (!c)
        return oom(err);
    c->name = name ? name : "(memory)";
    c->sink = sink ? sink : &no_sink;
    c->fd = -1;
    c->mem = data ? data : "";
    c->mem_len = data ? len : 0;
    c->src_eof = c->mem_len == 0;
    c->total = c->mem_len;
    ag_err rc = read_csv(c, opts, info, err);
    free(c);
    return rc;
}

ag_err ledger_read_csv(const char *path, const ledger_csv_opts *opts, const ledger_sink *sink,
                       ledger_file_info *info, ag_error *err)
{
    ledger_source src;
    ag_err rc = ledger_source_open(path, &src, err);
    if (rc)
        return rc;
#ifdef POSIX_FADV_SEQUENTIAL
    posix_fadvise(src.fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
    csv_reader *c = calloc(1, sizeof *c);
    if (!c) {
        close(src.fd);
        return oom(err);
    }
    c->name = src.name;
    c->sink = sink ? sink : &no_sink;
    c->fd = src.fd;
    c->total = src.size;
    rc = read_csv(c, opts, info, err);
    free(c);
    close(src.fd);
    return rc;
}
