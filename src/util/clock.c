/* clock.c - wall clock with test overrides: an instant (AUDITGRID_NOW) and a civil day (--today,
 * AG_TODAY). */
#include "util/clock.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/date.h"
#include "util/banned.h"

static int two_digits(const char *s, int *v)
{
    if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
        return 0;
    *v = (s[0] - '0') * 10 + (s[1] - '0');
    return 1;
}

/* Accepts exactly YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ. */
static int parse_override(const char *s, int64_t *t)
{
    int32_t days;
    size_t n = strlen(s);
    if ((n != 10 && n != 20) || !ag_date_parse(s, 10, &days) || s[4] != '-')
        return 0;
    int64_t secs = (int64_t)days * 86400;
    if (n == 20) {
        int h, m, sec;
        if (s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z' ||
            !two_digits(s + 11, &h) || !two_digits(s + 14, &m) || !two_digits(s + 17, &sec) ||
            h > 23 || m > 59 || sec > 59)
            return 0;
        secs += h * 3600 + m * 60 + sec;
    }
    *t = secs;
    return 1;
}

/* Per thread, so a demo writing history cannot move a server thread's clock. */
static _Thread_local int64_t clock_shift;

int64_t ag_clock_shift(int64_t seconds)
{
    int64_t before = clock_shift;
    clock_shift = seconds;
    return before;
}

int64_t ag_clock_now(void)
{
    return ag_clock_wall() + clock_shift;
}

/* The day --today set (ag_clock_set_today), before any thread starts. */
static int today_set;
static int32_t today_day;

bool ag_clock_parse_today(const char *s, int32_t *day)
{
    return s && strlen(s) == 10 && s[4] == '-' && s[7] == '-' && ag_date_parse(s, 10, day);
}

void ag_clock_set_today(int32_t day)
{
    today_day = day;
    today_set = 1;
}

void ag_clock_clear_today(void)
{
    today_set = 0;
}

static int32_t civil_day(int64_t t)
{
    t += 8 * 3600;
    return (int32_t)(t >= 0 ? t / 86400 : (t - 86399) / 86400);
}

/* t moved by whole days so that its civil day is the one --today or AG_TODAY names; the time of
 * day keeps running, so timestamps stay in order and sessions expire as they would. */
static int64_t to_today(int64_t t)
{
    int32_t day = today_day;
    if (!today_set) {
        const char *o = getenv("AG_TODAY");
        if (!o || !*o)
            return t;
        if (!ag_clock_parse_today(o, &day)) {
            static int warned;
            if (!warned) {
                warned = 1;
                fprintf(stderr,
                        "auditgrid: 警告：AG_TODAY=%s 格式无效（应为 YYYY-MM-DD），已使用系统日期\n"
                        "auditgrid: warning: AG_TODAY=%s is malformed (use YYYY-MM-DD); using the "
                        "system date\n",
                        o, o);
            }
            return t;
        }
    }
    return t + (int64_t)(day - civil_day(t)) * 86400;
}

/* The override of AUDITGRID_NOW, when set and well formed. */
static int overridden(int64_t *t)
{
    const char *o = getenv("AUDITGRID_NOW");
    if (!o || !*o)
        return 0;
    if (parse_override(o, t))
        return 1;
    /* A typo in a test's clock must not pass silently as "now". */
    static int warned;
    if (!warned) {
        warned = 1;
        fprintf(stderr,
                "auditgrid: 警告：AUDITGRID_NOW=%s 格式无效（应为 YYYY-MM-DD 或 "
                "YYYY-MM-DDTHH:MM:SSZ），已使用系统时间\n"
                "auditgrid: warning: AUDITGRID_NOW=%s is malformed (use YYYY-MM-DD or "
                "YYYY-MM-DDTHH:MM:SSZ); using the system clock\n",
                o, o);
    }
    return 0;
}

int64_t ag_clock_wall(void)
{
    int64_t t;
    return to_today(overridden(&t) ? t : (int64_t)time(NULL));
}

int64_t ag_clock_now_ms(void)
{
    int64_t t;
    if (overridden(&t))
        return (to_today(t) + clock_shift) * 1000;
    /* One reading of the fine clock: time(NULL) may lag it by a tick, and
     * mixing the two would put a reading up to a second in the past. */
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
        return ag_clock_now() * 1000;
    return (to_today((int64_t)ts.tv_sec) + clock_shift) * 1000 + ts.tv_nsec / 1000000;
}

void ag_clock_format(int64_t t, char out[21])
{
    int32_t days = (int32_t)(t >= 0 ? t / 86400 : (t - 86399) / 86400);
    int64_t rem = t - (int64_t)days * 86400;
    ag_date d = ag_date_from_days(days);
    unsigned h = (unsigned)(rem / 3600) % 24u, mi = (unsigned)(rem / 60 % 60),
             s = (unsigned)(rem % 60);
    snprintf(out, 21, "%04u-%02u-%02uT%02u:%02u:%02uZ", (unsigned)d.year % 10000u,
             (unsigned)d.month % 100u, (unsigned)d.day % 100u, h, mi, s);
}

int32_t ag_clock_today(void)
{
    return civil_day(ag_clock_now());
}
