/* error.c - bilingual error reports. */
#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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
    va_list ap, ap2;
    va_start(ap, en_fmt);
    va_copy(ap2, ap);
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#endif
    vsnprintf(err->zh, sizeof err->zh, zh_fmt, ap);
    vsnprintf(err->en, sizeof err->en, en_fmt, ap2);
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
    va_end(ap2);
    va_end(ap);
    ag_utf8_trim_tail(err->where);
    ag_utf8_trim_tail(err->zh);
    ag_utf8_trim_tail(err->en);
    return code;
}

const char *ag_err_name(ag_err code)
{
    switch (code) {
    case AG_OK:
        return "ok";
    case AG_ERR_USAGE:
        return "usage error";
    case AG_ERR_INPUT:
        return "input rejected";
    case AG_ERR_NOTFOUND:
        return "not found";
    case AG_ERR_EXISTS:
        return "already exists";
    case AG_ERR_DENIED:
        return "denied";
    case AG_ERR_IO:
        return "i/o error";
    case AG_ERR_STORE:
        return "store error";
    case AG_ERR_NOMEM:
        return "out of memory or over a size limit";
    case AG_ERR_TAMPER:
        return "integrity check failed";
    case AG_ERR_BUSY:
        return "busy, try again later";
    case AG_ERR_INTERNAL:
        return "internal error";
    }
    return "unknown error";
}
