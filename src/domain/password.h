/* password.h - the password policy: what a new or changed password must satisfy. */
#ifndef AG_PASSWORD_H
#define AG_PASSWORD_H

#include <stdbool.h>

#include "util/error.h"

/* AG_OK when pw may be set as a password; otherwise AG_ERR_INPUT naming the
 * field "password" with a bilingual message that says which rule failed:
 * 8 to 128 bytes; not only spaces (ASCII, no-break or full-width); no control
 * character (bytes below 0x20 and 0x7f: newline, tab…); not one character
 * repeated; not one of the most common passwords (password_is_common). The
 * message never repeats the password. NULL is refused like an empty one. */
ag_err password_check(const char *pw, ag_error *err);

/* True when pw, compared without regard to ASCII case, is in the embedded list
 * of a few hundred of the most common passwords (international and Chinese
 * lists: 12345678, password, woaini1314, 88888888…). */
bool password_is_common(const char *pw);

#endif
