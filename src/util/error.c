/* error.c - bilingual error reports. */
#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/enumname.h"
#include "util/banned.h"

void ag_error_clear(ag_error *err)
{
    if (!err)
        return;
    err->code = AG_OK;
    err->where[0] = err->zh[0] = err->en[0] = '\0';
}

void ag_utf8_trim_tail(char *s)
{
    size_t n = strlen(s);
    size_t i = n;
    /* Walk back over continuation bytes to the last lead byte. */
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i == 0)
        return;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t need = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (n - (i - 1) < need)
        s[i - 1] = '\0';
}

ag_err ag_fail(ag_error *err, ag_err code, const char *where, const char *zh_fmt,
               const char *en_fmt, ...)
{
    if (!err)
        return code;
    err->code = code;
    snprintf(err->where, sizeof err->where, "%s", where ? where : "");
    va_list ap;
    va_start(ap, en_fmt);
    ag_vformat2(err->zh, sizeof err->zh, err->en, sizeof err->en, zh_fmt, en_fmt, ap);
    va_end(ap);
    ag_utf8_trim_tail(err->where);
    return code;
}

void ag_vformat2(char *zh, size_t zh_n, char *en, size_t en_n, const char *zh_fmt,
                 const char *en_fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    AG_FORMAT_NONLITERAL_BEGIN
    vsnprintf(zh, zh_n, zh_fmt, ap);
    vsnprintf(en, en_n, en_fmt, ap2);
    AG_FORMAT_NONLITERAL_END
    va_end(ap2);
    ag_utf8_trim_tail(zh);
    ag_utf8_trim_tail(en);
}

static const char *const err_names[] = {
    [AG_OK] = "ok",
    [AG_ERR_USAGE] = "usage error",
    [AG_ERR_INPUT] = "input rejected",
    [AG_ERR_NOTFOUND] = "not found",
    [AG_ERR_EXISTS] = "already exists",
    [AG_ERR_DENIED] = "denied",
    [AG_ERR_IO] = "i/o error",
    [AG_ERR_STORE] = "store error",
    [AG_ERR_NOMEM] = "out of memory or over a size limit",
    [AG_ERR_TAMPER] = "integrity check failed",
    [AG_ERR_BUSY] = "busy, try again later",
    [AG_ERR_INTERNAL] = "internal error",
};

const char *ag_err_name(ag_err code)
{
    return ag_enum_name(err_names, AG_ENUM_N(err_names), (int)code, "unknown error");
}
