/* clock.c - wall clock with a test override. */
#include "util/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/date.h"
#include "util/banned.h"

static int parse_override(const char *s, int64_t *t)
{
    int32_t days;
    size_t n = strlen(s);
    if (n < 10 || !ag_date_parse(s, 10, &days))
        return 0;
    int64_t secs = (int64_t)days * 86400;
    if (n >= 19 && (s[10] == 'T' || s[10] == ' ')) {
        int h = (s[11] - '0') * 10 + (s[12] - '0');
        int m = (s[14] - '0') * 10 + (s[15] - '0');
        int sec = (s[17] - '0') * 10 + (s[18] - '0');
        if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 60)
            return 0;
        secs += h * 3600 + m * 60 + sec;
    }
    *t = secs;
    return 1;
}

int64_t ag_clock_now(void)
{
    const char *o = getenv("AUDITGRID_NOW");
    int64_t t;
    if (o && *o && parse_override(o, &t))
        return t;
    return (int64_t)time(NULL);
}

void ag_clock_format(int64_t t, char out[21])
{
    int32_t days = (int32_t)(t >= 0 ? t / 86400 : (t - 86399) / 86400);
    int64_t rem = t - (int64_t)days * 86400;
    ag_date d = ag_date_from_days(days);
    unsigned h = (unsigned)(rem / 3600) % 24u, mi = (unsigned)(rem / 60 % 60), s = (unsigned)(rem % 60);
    snprintf(out, 21, "%04u-%02u-%02uT%02u:%02u:%02uZ", (unsigned)d.year % 10000u,
             (unsigned)d.month % 100u, (unsigned)d.day % 100u, h, mi, s);
}

int32_t ag_clock_today(void)
{
    int64_t t = ag_clock_now() + 8 * 3600;
    return (int32_t)(t >= 0 ? t / 86400 : (t - 86399) / 86400);
}
