/* money.c - exact decimal money without floating point. */
#include "util/money.h"

#include <stdio.h>
#include <string.h>

#include "util/banned.h"

bool ag_money_parse(const char *s, size_t len, int64_t *fen)
{
    size_t i = 0, end = len;
    while (i < end && (s[i] == ' ' || s[i] == '\t'))
        i++;
    while (end > i && (s[end - 1] == ' ' || s[end - 1] == '\t'))
        end--;
    if (i == end) {
        *fen = 0;
        return true;
    }
    bool neg = false;
    if (s[i] == '(' && s[end - 1] == ')') {
        neg = true;
        i++;
        end--;
    }
    if (i < end && (s[i] == '-' || s[i] == '+')) {
        if (neg) /* "(-5)" is a contradiction, not a double negative */
            return false;
        neg = s[i] == '-';
        i++;
    }
    uint64_t whole = 0;
    int ndig = 0, frac_digits = 0;
    int group = -1; /* digits since the last ',', or -1 before the first */
    int64_t frac = 0;
    bool in_frac = false, any = false;
    for (; i < end; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            any = true;
            if (in_frac) {
                if (++frac_digits > 2)
                    return false;
                frac = frac * 10 + (c - '0');
            } else {
                if (whole > ((uint64_t)INT64_MAX / 100 - (uint64_t)(c - '0')) / 10)
                    return false;
                whole = whole * 10 + (uint64_t)(c - '0');
                ndig++;
                if (group >= 0)
                    group++;
            }
        } else if (c == ',' && !in_frac && (group < 0 ? ndig >= 1 && ndig <= 3 : group == 3)) {
            /* Only thousands groups: "12,34" is likelier a decimal comma than 1234. */
            group = 0;
        } else if (c == '.' && !in_frac && (group < 0 || group == 3)) {
            in_frac = true;
        } else {
            return false;
        }
    }
    if (!any || (!in_frac && group >= 0 && group != 3))
        return false;
    if (frac_digits == 1)
        frac *= 10;
    /* whole <= INT64_MAX / 100 here, so this cannot wrap; the magnitude may
     * reach INT64_MAX, or one more for a negative amount (INT64_MIN). */
    uint64_t v = whole * 100 + (uint64_t)frac;
    if (v > (uint64_t)INT64_MAX + (neg ? 1u : 0u))
        return false;
    *fen = neg && v ? -(int64_t)(v - 1) - 1 : (int64_t)v;
    return true;
}

void ag_money_format(int64_t fen, char out[24])
{
    uint64_t a = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    snprintf(out, 24, "%s%llu.%02llu", fen < 0 ? "-" : "", (unsigned long long)(a / 100),
             (unsigned long long)(a % 100));
}

void ag_money_format_grouped(int64_t fen, char out[32])
{
    uint64_t a = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    char digits[24];
    int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)(a / 100));
    size_t o = 0;
    if (fen < 0)
        out[o++] = '-';
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    snprintf(out + o, 32 - o, ".%02llu", (unsigned long long)(a % 100));
}
