/* date.c - day numbers from and to civil dates (H. Hinnant's algorithms). */
#include "util/date.h"

#include <stddef.h>
#include <stdio.h>

#include "util/banned.h"

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int ag_days_in_month(int year, int month)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    return month == 2 && is_leap(year) ? 29 : dim[month - 1];
}

bool ag_date_valid(ag_date d)
{
    return d.year >= 1900 && d.year <= 2999 && d.month >= 1 && d.month <= 12 && d.day >= 1 &&
           d.day <= ag_days_in_month(d.year, d.month);
}

int32_t ag_date_to_days(ag_date d)
{
    int y = d.year - (d.month <= 2);
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int mp = (d.month + 9) % 12;
    int doy = (153 * mp + 2) / 5 + d.day - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

ag_date ag_date_from_days(int32_t z)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int y = yoe + era * 400;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int d = doy - (153 * mp + 2) / 5 + 1;
    int m = mp < 10 ? mp + 3 : mp - 9;
    ag_date r = {y + (m <= 2), m, d};
    return r;
}

int ag_weekday(int32_t days)
{
    /* 1970-01-01 was a Thursday (3 when Monday is 0). */
    int w = (int)((days % 7 + 7) % 7);
    return (w + 3) % 7;
}

static bool digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

bool ag_date_parse(const char *s, size_t len, int32_t *days)
{
    ag_date d;
    if (len == 8) {
        if (!digits(s, 4, &d.year) || !digits(s + 4, 2, &d.month) || !digits(s + 6, 2, &d.day))
            return false;
    } else if (len == 10 && (s[4] == '-' || s[4] == '/') && s[7] == s[4]) {
        if (!digits(s, 4, &d.year) || !digits(s + 5, 2, &d.month) || !digits(s + 8, 2, &d.day))
            return false;
    } else {
        return false;
    }
    if (!ag_date_valid(d))
        return false;
    *days = ag_date_to_days(d);
    return true;
}

void ag_date_format(int32_t days, char out[11])
{
    ag_date d = ag_date_from_days(days);
    if (d.year >= 0 && d.year <= 9999) {
        /* Hot in imports and scans: no printf. */
        unsigned y = (unsigned)d.year;
        out[0] = (char)('0' + y / 1000);
        out[1] = (char)('0' + y / 100 % 10);
        out[2] = (char)('0' + y / 10 % 10);
        out[3] = (char)('0' + y % 10);
        out[4] = '-';
        out[5] = (char)('0' + d.month / 10);
        out[6] = (char)('0' + d.month % 10);
        out[7] = '-';
        out[8] = (char)('0' + d.day / 10);
        out[9] = (char)('0' + d.day % 10);
        out[10] = '\0';
        return;
    }
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)d.year % 10000u, (unsigned)d.month % 100u,
             (unsigned)d.day % 100u);
}
