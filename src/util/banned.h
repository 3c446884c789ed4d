/* banned.h - functions that are easy to misuse; using one is a compile error. */
#ifndef AG_BANNED_H
#define AG_BANNED_H

/* Included last by every .c file, after the system headers whose
 * declarations the macros would break (scripts/check-layers.sh checks that
 * each one does). Use
 * snprintf / ag_buf instead of the unbounded copies, strtoll with checks
 * instead of atoi, gmtime_r / localtime_r instead of the static-buffer ones. */
#define BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef atol
#define atol(x) BANNED(atol)
#undef gmtime
#define gmtime(x) BANNED(gmtime)
#undef localtime
#define localtime(x) BANNED(localtime)
#undef gets
#define gets(x) BANNED(gets)

#endif
