/* calendar.h - working days under the State Council holiday arrangements (放假调休). */
#ifndef AG_CALENDAR_H
#define AG_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

/* What a day is. Days are day numbers from util/date.h. */
typedef enum ag_day_kind {
    AG_DAY_WORKDAY = 0,      /* an ordinary Monday..Friday */
    AG_DAY_WEEKEND = 1,      /* a Saturday or Sunday with no arrangement */
    AG_DAY_HOLIDAY = 2,      /* 放假日: a day off of an official holiday block */
    AG_DAY_ADJUSTED_WORK = 3 /* 调休上班日: a weekend day worked in exchange */
} ag_day_kind;

/* An immutable calendar: the dated rows of one or more annual notices. It
 * is safe to share between threads once loaded. */
typedef struct ag_calendar ag_calendar;

/* Bounds on a calendar text given by a caller. */
#define AG_CALENDAR_MAX_TEXT  (4u << 20) /* bytes */
#define AG_CALENDAR_MAX_LINE  1024       /* bytes per line */
#define AG_CALENDAR_MAX_NAME  63         /* bytes of a holiday name (UTF-8) */
#define AG_CALENDAR_MAX_NAMES 256        /* distinct holiday names */

/* Loads the arrangements compiled into the binary (catalog/holidays.csv).
 * On success *out is a new calendar the caller frees with calendar_free. */
ag_err calendar_load_default(ag_calendar **out, ag_error *err);

/* Parses a calendar CSV: a header `date,kind,name`, then one row per day
 * with date YYYY-MM-DD (or YYYYMMDD, YYYY/MM/DD), kind `holiday` or
 * `workday` and a non-empty name. A `workday` must fall on a Saturday or
 * Sunday; a date may appear once. Blank lines, a UTF-8 BOM and CRLF are
 * accepted; fields may be quoted as in RFC 4180 (not across lines). A bad
 * row rejects the whole text with AG_ERR_INPUT and `where` set to
 * "<source>:<line>:<field>". `source` names the text in messages (NULL
 * gives "holidays.csv"). On success *out is a new calendar (free it with
 * calendar_free); on failure *out is NULL. */
ag_err calendar_parse(const char *text, size_t len, const char *source, ag_calendar **out,
                      ag_error *err);

/* Frees a calendar; NULL is fine. */
void calendar_free(ag_calendar *cal);

/* The kind of `day`. A year is covered when the calendar has a row dated in
 * it before December (a row in December alone belongs to the next year's
 * 元旦 block, as 2018-12-29..31 do in the 2019 notice). For a day outside
 * the covered years the answer falls back to Monday..Friday = workday and
 * Saturday/Sunday = weekend, and *covered (when not NULL) is set false, so
 * a caller can say that the day's arrangement is unknown. Explicit rows are
 * honoured even in an uncovered year. `cal` may be NULL: then every day
 * is outside. */
ag_day_kind calendar_kind(const ag_calendar *cal, int32_t day, bool *covered);

/* True for AG_DAY_WORKDAY and AG_DAY_ADJUSTED_WORK. */
bool calendar_is_workday(const ag_calendar *cal, int32_t day);

/* True when the year of `day` is covered (see calendar_kind). */
bool calendar_covers(const ag_calendar *cal, int32_t day);

/* The first and last covered years; both 0 when nothing is covered. Years in
 * between without rows are not covered (calendar_covers says so). */
void calendar_years(const ag_calendar *cal, int *first, int *last);

/* The holiday name of a row for `day` ("春节"), or NULL when there is no row.
 * The calendar keeps ownership. */
const char *calendar_name(const ag_calendar *cal, int32_t day);

/* Number of dated rows. */
size_t calendar_rows(const ag_calendar *cal);

/* "workday", "weekend", "holiday" or "adjusted_workday". */
const char *calendar_kind_name(ag_day_kind kind);

#endif
