/* test_password.c - the password policy: each rule refuses with field "password", good ones pass.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/password.h"

/* Expects pw to be refused with a message containing zh_part, naming
 * "password" and no command-line option. */
static void refused(const char *pw, const char *zh_part)
{
    ag_error err;
    ag_error_clear(&err);
    assert_int_equal(password_check(pw, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "password");
    assert_non_null(strstr(err.zh, zh_part));
    assert_true(err.en[0] != '\0');
    assert_null(strstr(err.zh, "--"));
    assert_null(strstr(err.en, "--"));
    if (pw && strlen(pw) >= 4)
        assert_null(strstr(err.zh, pw)); /* the password is never echoed */
}

static void accepted(const char *pw)
{
    ag_error err;
    ag_error_clear(&err);
    assert_int_equal(password_check(pw, &err), AG_OK);
}

static void test_length(void **state)
{
    (void)state;
    char long_pw[130];
    memset(long_pw, 'k', 129);
    long_pw[129] = '\0';
    refused(NULL, "长度");
    refused("", "长度");
    refused("Nk#2026", "长度");
    refused(long_pw, "长度");
    long_pw[128] = '\0';
    long_pw[0] = 'x';
    accepted(long_pw); /* 128 bytes: the most */
    accepted("Nk#20261");
}

static void test_whitespace_only(void **state)
{
    (void)state;
    refused("        ", "空格");
    refused("                                ", "空格");
    refused("\xe3\x80\x80\xe3\x80\x80\xe3\x80\x80", "空格"); /* full-width spaces */
    refused("    \xc2\xa0    ", "空格");                     /* with a no-break space */
    accepted("correct horse 42");                            /* spaces inside are fine */
    accepted("   x    ");
}

static void test_control_characters(void **state)
{
    (void)state;
    refused("tab\there!", "控制字符");
    refused("line\nbreak", "控制字符");
    refused("carriage\rret", "控制字符");
    refused("bell\x07xxxx", "控制字符");
    refused("delete\x7fxx", "控制字符");
    refused("\x1b[31mredred", "控制字符");
    accepted("审计监督一张网2026"); /* UTF-8 bytes above 0x7f are text */
}

static void test_common_passwords(void **state)
{
    (void)state;
    const char *common[] = {"12345678",  "password",   "qwerty123",   "11111111",   "88888888",
                            "123456789", "admin123",   "abc12345",    "password1",  "iloveyou",
                            "1qaz2wsx",  "woaini1314", "PASSWORD",    "Password1",  "QWERTY123",
                            "Admin@123", "p@ssw0rd",   "5201314520",  "a123456789", "1234567890",
                            "qq123456",  "aaaaaaaa",   "zzzzzzzzzzzz"};
    for (size_t i = 0; i < sizeof common / sizeof common[0]; i++) {
        assert_true(strlen(common[i]) >= 8);
        refused(common[i], "常见");
    }
    assert_true(password_is_common("WoAiNi1314"));
    assert_false(password_is_common("Nankai#2026")); /* the demo accounts' password */
    assert_false(password_is_common(NULL));
    accepted("Nankai#2026");
    accepted("12345678x!");
    accepted("password-of-the-bureau");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_length),
        cmocka_unit_test(test_whitespace_only),
        cmocka_unit_test(test_control_characters),
        cmocka_unit_test(test_common_passwords),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
