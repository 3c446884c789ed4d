/* uscc.c - GB 32100 credit-code checks, with the GB 11714 organisation code inside. */
#include "util/uscc.h"

#include <string.h>

#include "util/banned.h"

static const char ALPHABET[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int WEIGHTS[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

static int value_of(char c)
{
    const char *p = c ? strchr(ALPHABET, c) : NULL;
    return p ? (int)(p - ALPHABET) : -1;
}

char uscc_check_char(const char *code17)
{
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        int v = value_of(code17[i]);
        if (v < 0)
            return '\0';
        sum += v * WEIGHTS[i];
    }
    int c = 31 - sum % 31;
    return ALPHABET[c == 31 ? 0 : c];
}

char uscc_orgcode_check_char(const char *org8)
{
    static const int w[8] = {3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 8; i++) {
        char c = org8[i];
        int v;
        if (c >= '0' && c <= '9')
            v = c - '0';
        else if (c >= 'A' && c <= 'Z')
            v = c - 'A' + 10;
        else
            return '\0';
        sum += v * w[i];
    }
    int c = 11 - sum % 11;
    return c == 10 ? 'X' : c == 11 ? '0' : (char)('0' + c);
}

/* Registration authorities and the type codes each may use (GB 32100 annex A). */
static bool type_ok(char auth, char type)
{
    switch (auth) {
    case '1': /* 机构编制 */
        return strchr("1239", type) != NULL;
    case '5': /* 民政 */
        return strchr("1239", type) != NULL;
    case '9': /* 工商 */
        return strchr("123", type) != NULL;
    case 'Y': /* 其他 */
        return type == '1';
    default:
        return value_of(auth) >= 0 && value_of(type) >= 0;
    }
}

ag_err uscc_validate(const char *code, const char *where, ag_error *err)
{
    size_t n = code ? strlen(code) : 0;
    if (n != 18)
        return ag_fail(err, AG_ERR_INPUT, where, "统一社会信用代码应为18位，实际为%zu位：%s",
                       "a unified social credit code has 18 characters, got %zu: %s", n,
                       code ? code : "");
    for (size_t i = 0; i < 18; i++) {
        if (value_of(code[i]) < 0)
            return ag_fail(
                err, AG_ERR_INPUT, where,
                "统一社会信用代码第%zu位字符“%c”不合法（只允许数字和除I、O、Z、S、V外的大写字母）",
                "character %zu ('%c') of the credit code is not allowed (digits and "
                "capital letters except I, O, Z, S, V)",
                i + 1, code[i]);
    }
    if (!type_ok(code[0], code[1]))
        return ag_fail(err, AG_ERR_INPUT, where,
                       "统一社会信用代码的登记管理部门代码“%c”与机构类别代码“%c”不匹配",
                       "registration authority '%c' and organisation type '%c' do not match",
                       code[0], code[1]);
    for (int i = 2; i < 8; i++) {
        if (code[i] < '0' || code[i] > '9')
            return ag_fail(err, AG_ERR_INPUT, where,
                           "统一社会信用代码第3-8位应为行政区划代码（6位数字）",
                           "characters 3-8 of the credit code must be a 6-digit division code");
    }
    char want = uscc_check_char(code);
    if (code[17] != want)
        return ag_fail(err, AG_ERR_INPUT, where,
                       "统一社会信用代码校验位错误：%s 的第18位应为“%c”，实际为“%c”",
                       "wrong check character in credit code %s: expected '%c', found '%c'", code,
                       want, code[17]);
    return AG_OK;
}
