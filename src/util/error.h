/* error.h - the one project error enum and a bilingual error report. */
#ifndef AG_ERROR_H
#define AG_ERROR_H

#include <stdarg.h>
#include <stddef.h>

/* Every fallible function returns one of these. AG_OK is zero so that
 * `if (rc) goto out;` reads naturally. Only cli/ maps them to exit codes and
 * only http/ to status codes. */
typedef enum ag_err {
    AG_OK = 0,
    AG_ERR_USAGE,    /* bad command line or request shape */
    AG_ERR_INPUT,    /* input rejected by validation; nothing was written */
    AG_ERR_NOTFOUND, /* a referenced record does not exist */
    AG_ERR_EXISTS,   /* a record with the same key already exists */
    AG_ERR_DENIED,   /* the actor may not do this */
    AG_ERR_IO,       /* a file or socket operation failed */
    AG_ERR_STORE,    /* the database backend failed */
    AG_ERR_NOMEM,    /* allocation failed or a size bound was exceeded */
    AG_ERR_TAMPER,   /* an integrity check failed (audit-log chain) */
    AG_ERR_BUSY,     /* the database stayed locked by another writer; try again later */
    AG_ERR_INTERNAL  /* a bug: an invariant did not hold */
} ag_err;

/* A filled-in error: the code, where it happened (file:line:field or a
 * command), and the same message in Chinese and in English. Fixed-size so it
 * can live on the stack and never needs freeing. */
typedef struct ag_error {
    ag_err code;
    char where[256];
    char zh[512];
    char en[512];
} ag_error;

/* Resets err to AG_OK with empty texts. err may be NULL. */
void ag_error_clear(ag_error *err);

/* Fills err (if not NULL) and returns code. zh_fmt and en_fmt are printf
 * formats that consume the same arguments in the same order. `where` may be
 * NULL. Messages longer than the buffers are truncated on a UTF-8 boundary. */
ag_err ag_fail(ag_error *err, ag_err code, const char *where, const char *zh_fmt,
               const char *en_fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 6)))
#endif
    ;

/* Bracket a call that formats with a format string passed in by its caller
 * (the caller's format attribute checks it there). */
#if defined(__GNUC__)
#define AG_FORMAT_NONLITERAL_BEGIN                                                                 \
    _Pragma("GCC diagnostic push") _Pragma("GCC diagnostic ignored \"-Wformat-nonliteral\"")
#define AG_FORMAT_NONLITERAL_END _Pragma("GCC diagnostic pop")
#else
#define AG_FORMAT_NONLITERAL_BEGIN
#define AG_FORMAT_NONLITERAL_END
#endif

/* Formats the arguments ap into zh by zh_fmt and into en by en_fmt (the two
 * halves of a bilingual message, buffers of zh_n and en_n bytes), each
 * truncated on a UTF-8 boundary. ap is left for the caller to va_end. */
void ag_vformat2(char *zh, size_t zh_n, char *en, size_t en_n, const char *zh_fmt,
                 const char *en_fmt, va_list ap);

/* A short English name for a code ("input rejected", ...). Never NULL. */
const char *ag_err_name(ag_err code);

/* Truncates s (NUL-terminated) so that it does not end in the middle of a
 * UTF-8 sequence. */
void ag_utf8_trim_tail(char *s);

#endif
