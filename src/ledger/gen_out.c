/* gen_out.c - the generator's buffered CSV output, written under a temporary name. */
#include "ledger/gen_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/date.h"
#include "util/banned.h"

#define GEN_BUF (1u << 20)

ag_err gen_file_open(gen_file *f, const char *dir, const char *name, ag_error *err)
{
    memset(f, 0, sizeof *f);
    int a = snprintf(f->dst, sizeof f->dst, "%s/%s", dir, name);
    int b = snprintf(f->tmp, sizeof f->tmp, "%s/.%s.tmp-%ld", dir, name, (long)getpid());
    if (a < 0 || b < 0 || (size_t)a >= sizeof f->dst || (size_t)b >= sizeof f->tmp)
        return ag_fail(err, AG_ERR_USAGE, dir, "输出路径过长", "the output path is too long");
    f->buf = malloc(GEN_BUF);
    if (!f->buf)
        return ag_fail(err, AG_ERR_NOMEM, f->dst, "内存不足", "out of memory");
    f->cap = GEN_BUF;
    f->fp = fopen(f->tmp, "wb");
    if (!f->fp) {
        int e = errno;
        free(f->buf);
        f->buf = NULL;
        return ag_fail(err, AG_ERR_IO, f->tmp, "无法创建文件：%s", "cannot create the file: %s",
                       strerror(e));
    }
    return AG_OK;
}

void gen_file_flush(gen_file *f)
{
    if (f->len && f->fp) {
        if (fwrite(f->buf, 1, f->len, f->fp) != f->len && !f->failed)
            f->failed = errno ? errno : EIO;
    }
    f->len = 0;
}

ag_err gen_file_commit(gen_file *f, ag_error *err)
{
    gen_file_flush(f);
    int e = f->failed;
    if (fclose(f->fp) != 0 && !e)
        e = errno ? errno : EIO;
    f->fp = NULL;
    free(f->buf);
    f->buf = NULL;
    if (e) {
        unlink(f->tmp);
        return ag_fail(err, AG_ERR_IO, f->tmp, "写入失败：%s", "write failed: %s", strerror(e));
    }
    if (rename(f->tmp, f->dst) != 0) {
        e = errno;
        unlink(f->tmp);
        return ag_fail(err, AG_ERR_IO, f->dst, "无法完成文件（改名失败）：%s",
                       "cannot finish the file (rename failed): %s", strerror(e));
    }
    return AG_OK;
}

void gen_file_abort(gen_file *f)
{
    if (f->fp) {
        fclose(f->fp);
        f->fp = NULL;
        unlink(f->tmp);
    }
    free(f->buf);
    f->buf = NULL;
    f->len = 0;
}

void gen_puts(gen_file *f, const char *s)
{
    if (s)
        gen_put(f, s, strlen(s));
}

void gen_put_field(gen_file *f, const char *s)
{
    if (!s || !*s)
        return;
    size_t n = 0;
    bool quote = false;
    for (const char *p = s; *p; p++, n++) {
        if (*p == ',' || *p == '"' || *p == '\n' || *p == '\r')
            quote = true;
    }
    if (!quote) {
        gen_put(f, s, n);
        return;
    }
    gen_putc(f, '"');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            gen_putc(f, '"');
        gen_putc(f, *p);
    }
    gen_putc(f, '"');
}

/* Writes v in decimal, its last `decimals` digits after a point. */
static void put_fixed(gen_file *f, int64_t v, int decimals)
{
    char tmp[32];
    size_t i = sizeof tmp;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    for (int k = 0; k < decimals; k++) {
        tmp[--i] = (char)('0' + u % 10);
        u /= 10;
    }
    if (decimals)
        tmp[--i] = '.';
    do {
        tmp[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        tmp[--i] = '-';
    gen_put(f, tmp + i, sizeof tmp - i);
}

void gen_put_int(gen_file *f, int64_t v)
{
    put_fixed(f, v, 0);
}

void gen_put_money(gen_file *f, int64_t fen)
{
    put_fixed(f, fen, 2);
}

void gen_put_date(gen_file *f, int32_t day)
{
    char d[11];
    ag_date_format(day, d);
    gen_put(f, d, 10);
}
