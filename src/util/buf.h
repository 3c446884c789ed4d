/* buf.h - a growable byte buffer that carries its own maximum (cf. curl dynbuf). */
#ifndef AG_BUF_H
#define AG_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "util/error.h"

/* The buffer owns `data`, which is always NUL-terminated once anything was
 * added. `max` bounds `len`; appending past it fails with AG_ERR_NOMEM and
 * leaves the buffer as it was. Initialise with ag_buf_init, free with
 * ag_buf_release. */
typedef struct ag_buf {
    char *data;
    size_t len;
    size_t cap;
    size_t max;
} ag_buf;

void ag_buf_init(ag_buf *b, size_t max);
void ag_buf_release(ag_buf *b);
/* Empties the buffer, keeping its storage. */
void ag_buf_reset(ag_buf *b);
ag_err ag_buf_add(ag_buf *b, const void *p, size_t n);
ag_err ag_buf_adds(ag_buf *b, const char *s);
ag_err ag_buf_addc(ag_buf *b, char c);
ag_err ag_buf_printf(ag_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
ag_err ag_buf_vprintf(ag_buf *b, const char *fmt, va_list ap);
/* Returns the buffer's string ("" when empty); the buffer keeps ownership. */
const char *ag_buf_str(const ag_buf *b);
/* Hands the string over to the caller (free() it) and resets the buffer. */
char *ag_buf_detach(ag_buf *b);

#endif
