/* encoding.c - UTF-8 validation, GB18030 sniffing and iconv conversion. */
#include "util/encoding.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "util/banned.h"

struct ag_conv {
    ag_encoding from;
    iconv_t cd;
};

bool ag_utf8_valid(const char *s, size_t n, bool partial_tail)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        unsigned min;
        unsigned cp;
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
            cp = c & 0x1F;
            min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            cp = c & 0x0F;
            min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            cp = c & 0x07;
            min = 0x10000;
        } else {
            return false;
        }
        if (i + need >= n) {
            /* The sequence runs past the end of the sample. */
            if (!partial_tail)
                return false;
            for (size_t k = i + 1; k < n; k++)
                if ((p[k] & 0xC0) != 0x80)
                    return false;
            return true;
        }
        for (size_t k = 1; k <= need; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += need + 1;
    }
    return true;
}

ag_encoding ag_encoding_sniff(const char *p, size_t n)
{
    if (n >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB &&
        (unsigned char)p[2] == 0xBF)
        return AG_ENC_UTF8;
    return ag_utf8_valid(p, n, true) ? AG_ENC_UTF8 : AG_ENC_GB18030;
}

const char *ag_encoding_name(ag_encoding e)
{
    return e == AG_ENC_UTF8 ? "utf-8" : "gb18030";
}

ag_err ag_conv_open(ag_encoding from, ag_conv **out, ag_error *err)
{
    ag_conv *c = calloc(1, sizeof *c);
    if (!c)
        return ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    c->from = from;
    c->cd = (iconv_t)-1;
    if (from != AG_ENC_UTF8) {
        c->cd = iconv_open("UTF-8", "GB18030");
        if (c->cd == (iconv_t)-1) {
            free(c);
            return ag_fail(err, AG_ERR_INTERNAL, NULL, "系统不支持 GB18030 转换（iconv）",
                           "iconv cannot convert from GB18030 on this system");
        }
    }
    *out = c;
    return AG_OK;
}

void ag_conv_close(ag_conv *c)
{
    if (!c)
        return;
    if (c->cd != (iconv_t)-1)
        iconv_close(c->cd);
    free(c);
}

static size_t first_invalid_utf8(const char *p, size_t n)
{
    /* Binary search would do, but errors are rare: find by prefix growth. */
    size_t i = 0;
    while (i < n) {
        size_t step = 1;
        unsigned char c = (unsigned char)p[i];
        if (c >= 0xF0)
            step = 4;
        else if (c >= 0xE0)
            step = 3;
        else if (c >= 0xC0)
            step = 2;
        if (i + step > n || !ag_utf8_valid(p + i, step, false))
            return i;
        i += step;
    }
    return n;
}

ag_err ag_conv_run(ag_conv *c, const char *p, size_t n, ag_buf *out, size_t *bad_at, ag_error *err)
{
    *bad_at = 0;
    if (c->from == AG_ENC_UTF8) {
        if (!ag_utf8_valid(p, n, false)) {
            *bad_at = first_invalid_utf8(p, n);
            return ag_fail(err, AG_ERR_INPUT, NULL, "无效的 UTF-8 字节序列",
                           "invalid UTF-8 byte sequence");
        }
        return ag_buf_add(out, p, n)
                   ? ag_fail(err, AG_ERR_NOMEM, NULL, "超出大小限制", "size limit exceeded")
                   : AG_OK;
    }
    iconv(c->cd, NULL, NULL, NULL, NULL);
    char *in = (char *)p;
    size_t inleft = n;
    while (inleft > 0) {
        char tmp[16384];
        char *o = tmp;
        size_t oleft = sizeof tmp;
        size_t r = iconv(c->cd, &in, &inleft, &o, &oleft);
        int e = errno;
        if (o > tmp && ag_buf_add(out, tmp, (size_t)(o - tmp)))
            return ag_fail(err, AG_ERR_NOMEM, NULL, "超出大小限制", "size limit exceeded");
        if (r == (size_t)-1 && e != E2BIG) {
            *bad_at = (size_t)(in - p);
            return ag_fail(err, AG_ERR_INPUT, NULL, "无效的 GB18030 字节序列",
                           "invalid GB18030 byte sequence");
        }
    }
    return AG_OK;
}
