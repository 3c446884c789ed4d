/* clock.h - the current time, overridable for tests (AUDITGRID_NOW, AG_TODAY, --today). */
#ifndef AG_CLOCK_H
#define AG_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

/* Seconds since the epoch. When the environment sets AUDITGRID_NOW to an ISO
 * date or date-time (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ), that instant is
 * returned instead, so tests can control deadlines and timestamps. A
 * malformed value is reported once on stderr and the system clock is used. */
int64_t ag_clock_now(void);
/* Shifts this thread's clock by `seconds` (negative: into the past) until
 * the next call; returns the previous shift. For writing a history as of
 * earlier dates (the demo district's audits); 0 restores the real clock. */
int64_t ag_clock_shift(int64_t seconds);
/* Now without this thread's shift (AUDITGRID_NOW, --today and AG_TODAY
 * still apply): when a write really happened, for the audit log. */
int64_t ag_clock_wall(void);
/* ag_clock_now in milliseconds, from one reading of the real-time clock (or
 * the override's second): for intervals shorter than a second, such as the
 * sign-in delays. */
int64_t ag_clock_now_ms(void);
/* Formats t as YYYY-MM-DDTHH:MM:SSZ into out (at least 21 bytes). */
void ag_clock_format(int64_t t, char out[21]);
/* Today's day number (see date.h) in UTC+8, the district's civil day. */
int32_t ag_clock_today(void);

/* The civil day (issue 14 §5): `--today YYYY-MM-DD` (ag_clock_set_today)
 * or else the environment's AG_TODAY=YYYY-MM-DD makes that date today in
 * UTC+8 for ag_clock_now, ag_clock_wall and ag_clock_today: the clock (or
 * the AUDITGRID_NOW instant) moves by whole days and its time of day keeps
 * running. A malformed AG_TODAY is reported once on stderr and ignored. */
/* True when s is exactly YYYY-MM-DD, a real date; its day number into *day. */
bool ag_clock_parse_today(const char *s, int32_t *day);
/* Makes day today for the rest of the process (over AG_TODAY). Call it
 * before starting threads (the command line's --today). */
void ag_clock_set_today(int32_t day);
/* Undoes ag_clock_set_today (tests). */
void ag_clock_clear_today(void);

#endif
