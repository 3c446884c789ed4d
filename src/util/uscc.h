/* uscc.h - unified social credit codes (统一社会信用代码, GB 32100-2015). */
#ifndef AG_USCC_H
#define AG_USCC_H

#include <stdbool.h>

#include "util/error.h"

/* Checks an 18-character code: the alphabet (digits and capital letters
 * without I, O, Z, S, V), the registration authority and type, the 6-digit
 * division code and the check character. On failure fills err with a
 * message that, for a wrong check character, names the expected one.
 * `where` labels the field in the message (e.g. "--code"). */
ag_err uscc_validate(const char *code, const char *where, ag_error *err);

/* The check character for the first 17 characters of code, or '\0' when one
 * of them is outside the alphabet. */
char uscc_check_char(const char *code17);

/* The GB 11714 check character for the first 8 characters of an organisation
 * code (positions 9..16 of a credit code), or '\0' when invalid. */
char uscc_orgcode_check_char(const char *org8);

#endif
