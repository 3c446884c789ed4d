/* buf.c - growable byte buffer with a maximum size. */
#include "util/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/banned.h"

void ag_buf_init(ag_buf *b, size_t max)
{
    b->data = NULL;
    b->len = b->cap = 0;
    b->max = max;
}

void ag_buf_release(ag_buf *b)
{
    if (!b)
        return;
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void ag_buf_reset(ag_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

static ag_err grow(ag_buf *b, size_t extra)
{
    if (extra > b->max || b->len > b->max - extra)
        return AG_ERR_NOMEM;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return AG_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return AG_ERR_NOMEM;
    b->data = p;
    b->cap = cap;
    return AG_OK;
}

ag_err ag_buf_add(ag_buf *b, const void *p, size_t n)
{
    ag_err rc = grow(b, n);
    if (rc)
        return rc;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return AG_OK;
}

ag_err ag_buf_adds(ag_buf *b, const char *s)
{
    return ag_buf_add(b, s, strlen(s));
}

ag_err ag_buf_addc(ag_buf *b, char c)
{
    return ag_buf_add(b, &c, 1);
}

ag_err ag_buf_vprintf(ag_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    AG_FORMAT_NONLITERAL_BEGIN
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return AG_ERR_INTERNAL;
    ag_err rc = grow(b, (size_t)n);
    if (rc)
        return rc;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    AG_FORMAT_NONLITERAL_END
    b->len += (size_t)n;
    return AG_OK;
}

ag_err ag_buf_printf(ag_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ag_err rc = ag_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

const char *ag_buf_str(const ag_buf *b)
{
    return b->data ? b->data : "";
}

char *ag_buf_detach(ag_buf *b)
{
    char *p = b->data;
    if (!p) {
        p = malloc(1);
        if (p)
            p[0] = '\0';
    }
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}
