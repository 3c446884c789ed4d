/* date.h - calendar dates as days since 1970-01-01 (proleptic Gregorian). */
#ifndef AG_DATE_H
#define AG_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ag_date {
    int year;
    int month; /* 1..12 */
    int day;   /* 1..31 */
} ag_date;

/* Days since 1970-01-01 for a valid date (no range check: see ag_date_valid). */
int32_t ag_date_to_days(ag_date d);
ag_date ag_date_from_days(int32_t days);
bool ag_date_valid(ag_date d);
int ag_days_in_month(int year, int month);
/* 0 = Monday ... 6 = Sunday. */
int ag_weekday(int32_t days);
/* Parses YYYY-MM-DD, YYYYMMDD or YYYY/MM/DD (exactly `len` bytes). Returns
 * false on anything else, including impossible dates like 2023-02-29. */
bool ag_date_parse(const char *s, size_t len, int32_t *days);
/* Writes YYYY-MM-DD and a NUL into out (at least 11 bytes). */
void ag_date_format(int32_t days, char out[11]);

#endif
