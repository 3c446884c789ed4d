/* test_error.c - bilingual error reports: filling, truncation on UTF-8 boundaries, NULL safety. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util/error.h"

/* True when s is well-formed UTF-8 (no overlong forms, surrogates or bytes
 * past U+10FFFF): written out here so it does not lean on error.c. */
static bool utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        int n;
        unsigned cp;
        if (c < 0x80) {
            p++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        for (int i = 1; i <= n; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return false;
            cp = cp << 6 | (p[i] & 0x3F);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        p += n + 1;
    }
    return true;
}

static void assert_prefix(const char *s, const char *full)
{
    if (strncmp(s, full, strlen(s)) != 0)
        fail_msg("\"%s\" is not a prefix of the full message", s);
}

static void fail_fills_both_languages(void **state)
{
    (void)state;
    ag_error err;
    ag_error_clear(&err);
    ag_err rc = ag_fail(&err, AG_ERR_INPUT, "ledger.csv:12:amount", "第%d行金额“%s”无法识别",
                        "line %d: amount '%s' is not a number", 12, "12,34");
    assert_int_equal(rc, AG_ERR_INPUT);
    assert_int_equal(err.code, AG_ERR_INPUT);
    assert_string_equal(err.where, "ledger.csv:12:amount");
    assert_string_equal(err.zh, "第12行金额“12,34”无法识别");
    assert_string_equal(err.en, "line 12: amount '12,34' is not a number");
}

static void where_may_be_null(void **state)
{
    (void)state;
    ag_error err;
    assert_int_equal(ag_fail(&err, AG_ERR_NOTFOUND, NULL, "单位不存在", "no such unit"),
                     AG_ERR_NOTFOUND);
    assert_string_equal(err.where, "");
    assert_string_equal(err.zh, "单位不存在");
    assert_string_equal(err.en, "no such unit");
}

static void a_null_report_is_safe(void **state)
{
    (void)state;
    assert_int_equal(ag_fail(NULL, AG_ERR_DENIED, "x", "无权操作%s", "may not %s", "delete"),
                     AG_ERR_DENIED);
    ag_error_clear(NULL);
}

static void clear_resets_everything(void **state)
{
    (void)state;
    ag_error err;
    ag_fail(&err, AG_ERR_IO, "f", "读取失败", "read failed");
    ag_error_clear(&err);
    assert_int_equal(err.code, AG_OK);
    assert_string_equal(err.where, "");
    assert_string_equal(err.zh, "");
    assert_string_equal(err.en, "");
}

/* Fills err with `pad` ASCII bytes followed by many copies of `ch`, so that
 * over several pads the cut lands on every byte of a character. */
static void check_long_message(const char *ch, int pad)
{
    char arg[2400];
    size_t n = 0;
    for (int i = 0; i < pad; i++)
        arg[n++] = '.';
    while (n + strlen(ch) < sizeof arg) {
        memcpy(arg + n, ch, strlen(ch));
        n += strlen(ch);
    }
    arg[n] = '\0';

    ag_error err;
    ag_fail(&err, AG_ERR_INPUT, arg, "审计：%s", "audit: %s", arg);

    char full_zh[2500], full_en[2500];
    snprintf(full_zh, sizeof full_zh, "审计：%s", arg);
    snprintf(full_en, sizeof full_en, "audit: %s", arg);
    const struct {
        const char *got, *full;
        size_t size;
    } fields[] = {
        {err.where, arg, sizeof err.where},
        {err.zh, full_zh, sizeof err.zh},
        {err.en, full_en, sizeof err.en},
    };
    for (size_t i = 0; i < 3; i++) {
        size_t len = strlen(fields[i].got);
        assert_true(len < fields[i].size);
        /* At most one partial character (3 bytes of a 4-byte one) was dropped. */
        assert_true(len + 4 >= fields[i].size);
        if (!utf8_valid(fields[i].got))
            fail_msg("field %zu is not valid UTF-8 after truncation (pad %d, %zu bytes)", i, pad,
                     len);
        assert_prefix(fields[i].got, fields[i].full);
    }
}

static void truncation_keeps_valid_utf8(void **state)
{
    (void)state;
    for (int pad = 0; pad < 4; pad++) {
        check_long_message("审计监督", pad);         /* 3-byte characters */
        check_long_message("é", pad);                /* 2-byte */
        check_long_message("\xF0\x9F\x92\xB0", pad); /* 4-byte, U+1F4B0 */
        check_long_message("a审é", pad);             /* mixed widths */
    }
}

static void trim_tail_drops_only_an_incomplete_character(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"", ""},
        {"abc", "abc"},
        {"审计", "审计"},
        {"a\xC3\xA9", "a\xC3\xA9"},
        {"a\xF0\x9F\x92\xB0", "a\xF0\x9F\x92\xB0"},
        {"审\xE8\xAE", "审"},
        {"审\xE8", "审"},
        {"a\xC3", "a"},
        {"a\xF0\x9F\x92", "a"},
        {"a\xF0\x9F", "a"},
        {"a\xF0", "a"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char s[16];
        snprintf(s, sizeof s, "%s", cases[i].in);
        ag_utf8_trim_tail(s);
        assert_string_equal(s, cases[i].out);
    }
}

static void every_code_has_a_distinct_name(void **state)
{
    (void)state;
    for (int a = AG_OK; a <= AG_ERR_INTERNAL; a++) {
        const char *na = ag_err_name((ag_err)a);
        assert_non_null(na);
        assert_true(strlen(na) > 0);
        assert_string_not_equal(na, "unknown error");
        for (int b = a + 1; b <= AG_ERR_INTERNAL; b++)
            assert_string_not_equal(na, ag_err_name((ag_err)b));
    }
    assert_string_equal(ag_err_name(AG_OK), "ok");
    assert_string_equal(ag_err_name(AG_ERR_INPUT), "input rejected");
    assert_string_equal(ag_err_name((ag_err)(AG_ERR_INTERNAL + 1)), "unknown error");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fail_fills_both_languages),
        cmocka_unit_test(where_may_be_null),
        cmocka_unit_test(a_null_report_is_safe),
        cmocka_unit_test(clear_resets_everything),
        cmocka_unit_test(truncation_keeps_valid_utf8),
        cmocka_unit_test(trim_tail_drops_only_an_incomplete_character),
        cmocka_unit_test(every_code_has_a_distinct_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
