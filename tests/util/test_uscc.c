/* test_uscc.c - credit codes (GB 32100) and the organisation code inside them (GB 11714). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "util/uscc.h"

static const char ALPHABET[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* Codes of real bodies, copied from where they were published. Each was also
 * checked with a separate implementation of the formula before it went in. The
 * first three are quoted in public GitHub source files (a court-ruling checker,
 * a contract-tagging demo, a notice list) found through code search; the
 * documents they quote are named. */
static const char *const REAL_CODES[] = {
    /* 荥阳市司法局 (a county-level government bureau, 机构编制 / 机关): named as the
     * respondent in 郑州市中级人民法院 行政裁定书 (2019)豫01行终492号. */
    "11410182005291054B",
    /* 晋中市文化和旅游局 (municipal government bureau): purchaser (甲方) in the 2022
     * procurement contract for 省级红色文化遗址保护标志树立项目 (project sxhxy竞字
     * 20221008). */
    "11140800558745220K",
    /* 浙江大学 (事业单位, registered centrally: division 100000): payee account in its
     * library's notice 浙江大学图书资料报废处置招标公告, project ZJU-BFTS-20230404. */
    "12100000470095016Q",
    /* 山西晋韵古建筑有限公司: the supplier (乙方) in the same 晋中 contract. */
    "91140106713678575D",
    /* 华为技术有限公司: infobox of https://zh.wikipedia.org/zh-hk/%E8%8F%AF%E7%88%B2 */
    "914403001922038216",
    /* 深圳市腾讯计算机系统有限公司: https://check-china.com/example_report/en/8 */
    "91440300708461136T",
    /* The worked example of GB 32100-2015, shown in the English Wikipedia article
     * "Unified Social Credit Identifier" (mirror:
     * https://db0nus869y26v.cloudfront.net/en/Unified_Social_Credit_Identifier). */
    "91350100M000100Y43",
};

static void copy_code(char out[19], const char *code)
{
    memcpy(out, code, 18);
    out[18] = '\0';
}

/* Makes code[17] the right check character, so that a test can break exactly
 * one other rule. */
static void fix_check(char code[19])
{
    code[17] = uscc_check_char(code);
    assert_true(code[17] != '\0');
}

static void assert_contains(const char *haystack, const char *needle)
{
    if (!strstr(haystack, needle))
        fail_msg("expected \"%s\" in \"%s\"", needle, haystack);
}

static void real_published_codes_validate(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof REAL_CODES / sizeof REAL_CODES[0]; i++) {
        ag_error err;
        ag_error_clear(&err);
        ag_err rc = uscc_validate(REAL_CODES[i], "--code", &err);
        if (rc != AG_OK)
            fail_msg("%s rejected: %s", REAL_CODES[i], err.en);
        assert_int_equal(err.code, AG_OK);
        assert_int_equal(uscc_check_char(REAL_CODES[i]), REAL_CODES[i][17]);
    }
}

static void check_character_wraps_31_to_zero(void **state)
{
    (void)state;
    /* The weighted sum is 0, so 31 - 0 % 31 = 31, which the standard writes as 0. */
    assert_int_equal(uscc_check_char("00000000000000000"), '0');
    /* Sum 1 gives 30, the last character of the alphabet. */
    assert_int_equal(uscc_check_char("10000000000000000"), 'Y');
}

static void check_char_refuses_characters_outside_the_alphabet(void **state)
{
    (void)state;
    assert_int_equal(uscc_check_char("9144030019220382I"), '\0');
    assert_int_equal(uscc_check_char("914403001922038a2"), '\0');
    assert_int_equal(uscc_check_char("91440300-92203821"), '\0');
    char high[] = "91440300192203821";
    high[13] = (char)0x80; /* a stray byte of some UTF-8 text */
    assert_int_equal(uscc_check_char(high), '\0');
}

static void wrong_check_character_names_the_expected_one(void **state)
{
    (void)state;
    const char *good = "914403001922038216";
    for (const char *c = ALPHABET; *c; c++) {
        if (*c == '6')
            continue;
        char code[19];
        copy_code(code, good);
        code[17] = *c;
        ag_error err;
        ag_error_clear(&err);
        assert_int_equal(uscc_validate(code, "--code", &err), AG_ERR_INPUT);
        assert_int_equal(err.code, AG_ERR_INPUT);
        assert_string_equal(err.where, "--code");

        char zh[128], en[128];
        snprintf(zh, sizeof zh, "第18位应为“6”，实际为“%c”", *c);
        snprintf(en, sizeof en, "expected '6', found '%c'", *c);
        assert_contains(err.zh, zh);
        assert_contains(err.zh, code);
        assert_contains(err.en, en);
        assert_contains(err.en, code);
    }
}

static void any_single_substitution_is_caught(void **state)
{
    (void)state;
    /* 31 is prime and no weight is a multiple of it, so changing one of the
     * first 17 characters always changes the check character. */
    for (size_t k = 0; k < sizeof REAL_CODES / sizeof REAL_CODES[0]; k++) {
        for (int pos = 0; pos < 17; pos++) {
            for (const char *c = ALPHABET; *c; c++) {
                char code[19];
                copy_code(code, REAL_CODES[k]);
                if (code[pos] == *c)
                    continue;
                code[pos] = *c;
                if (uscc_validate(code, NULL, NULL) == AG_OK)
                    fail_msg("typo accepted: %s (from %s)", code, REAL_CODES[k]);
            }
        }
    }
}

static void adjacent_transpositions_are_caught(void **state)
{
    (void)state;
    /* Neighbouring weights differ by a factor of 3 mod 31, so swapping two
     * different neighbours always changes the sum. */
    for (size_t k = 0; k < sizeof REAL_CODES / sizeof REAL_CODES[0]; k++) {
        for (int pos = 0; pos + 1 < 17; pos++) {
            char code[19];
            copy_code(code, REAL_CODES[k]);
            if (code[pos] == code[pos + 1])
                continue;
            char t = code[pos];
            code[pos] = code[pos + 1];
            code[pos + 1] = t;
            assert_int_not_equal(uscc_check_char(code), REAL_CODES[k][17]);
        }
    }
}

static void wrong_length_is_reported_with_the_count(void **state)
{
    (void)state;
    ag_error err;

    ag_error_clear(&err);
    assert_int_equal(uscc_validate("91440300708461136", "--code", &err), AG_ERR_INPUT);
    assert_contains(err.zh, "应为18位，实际为17位");
    assert_contains(err.en, "18 characters, got 17");

    ag_error_clear(&err);
    assert_int_equal(uscc_validate("91440300708461136TT", "--code", &err), AG_ERR_INPUT);
    assert_contains(err.zh, "实际为19位");
    assert_contains(err.en, "got 19");

    ag_error_clear(&err);
    assert_int_equal(uscc_validate("", "--code", &err), AG_ERR_INPUT);
    assert_contains(err.en, "got 0");

    ag_error_clear(&err);
    assert_int_equal(uscc_validate(NULL, "--code", &err), AG_ERR_INPUT);
    assert_contains(err.en, "got 0");

    /* Padding is not trimmed: the caller must hand over the bare code. */
    assert_int_equal(uscc_validate(" 91440300708461136T", NULL, NULL), AG_ERR_INPUT);
}

static void letters_i_o_z_s_v_are_forbidden(void **state)
{
    (void)state;
    const char *forbidden = "IOZSV";
    for (const char *c = forbidden; *c; c++) {
        char code[19];
        copy_code(code, "91350100M000100Y43");
        code[9] = *c; /* inside the organisation code, where letters are allowed */
        ag_error err;
        ag_error_clear(&err);
        assert_int_equal(uscc_validate(code, "--code", &err), AG_ERR_INPUT);
        char zh[64], en[64];
        snprintf(zh, sizeof zh, "第10位字符“%c”不合法", *c);
        snprintf(en, sizeof en, "character 10 ('%c')", *c);
        assert_contains(err.zh, zh);
        assert_contains(err.en, en);
        assert_int_equal(uscc_check_char(code), '\0');
    }
}

static void lower_case_is_rejected(void **state)
{
    (void)state;
    ag_error err;

    ag_error_clear(&err);
    assert_int_equal(uscc_validate("91440300708461136t", "--code", &err), AG_ERR_INPUT);
    assert_contains(err.en, "character 18 ('t')");
    assert_contains(err.zh, "第18位字符“t”不合法");

    ag_error_clear(&err);
    assert_int_equal(uscc_validate("91350100m000100Y43", "--code", &err), AG_ERR_INPUT);
    assert_contains(err.en, "character 9 ('m')");
}

static void division_code_must_be_six_digits(void **state)
{
    (void)state;
    for (int pos = 2; pos < 8; pos++) {
        char code[19];
        copy_code(code, "91440300708461136T");
        code[pos] = 'A';
        fix_check(code); /* only the division code is wrong now */
        ag_error err;
        ag_error_clear(&err);
        assert_int_equal(uscc_validate(code, "--code", &err), AG_ERR_INPUT);
        assert_contains(err.zh, "第3-8位应为行政区划代码");
        assert_contains(err.en, "6-digit division code");
    }
}

/* Builds a code for authority `auth` and type `type` around a real body's
 * division and organisation code, with a correct check character. */
static void make_code(char code[19], char auth, char type)
{
    copy_code(code, "11410182005291054B");
    code[0] = auth;
    code[1] = type;
    fix_check(code);
}

static void authority_and_type_must_match(void **state)
{
    (void)state;
    static const char *const bad[] = {"94", "99", "1A", "15", "54", "Y2", "Y9"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char code[19];
        make_code(code, bad[i][0], bad[i][1]);
        ag_error err;
        ag_error_clear(&err);
        assert_int_equal(uscc_validate(code, "--code", &err), AG_ERR_INPUT);
        char zh[128], en[128];
        snprintf(zh, sizeof zh, "登记管理部门代码“%c”与机构类别代码“%c”不匹配", bad[i][0],
                 bad[i][1]);
        snprintf(en, sizeof en, "registration authority '%c' and organisation type '%c'", bad[i][0],
                 bad[i][1]);
        assert_contains(err.zh, zh);
        assert_contains(err.en, en);
    }

    /* The pairs GB 32100 annex A defines for those authorities are accepted. */
    static const char *const good[] = {"11", "12", "13", "19", "51", "52",
                                       "53", "59", "91", "92", "93", "Y1"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        char code[19];
        make_code(code, good[i][0], good[i][1]);
        ag_error err;
        ag_error_clear(&err);
        if (uscc_validate(code, "--code", &err) != AG_OK)
            fail_msg("%s rejected: %s", code, err.en);
    }
}

static void validate_without_an_error_report_is_safe(void **state)
{
    (void)state;
    assert_int_equal(uscc_validate("914403001922038217", NULL, NULL), AG_ERR_INPUT);
    assert_int_equal(uscc_validate("short", NULL, NULL), AG_ERR_INPUT);
    assert_int_equal(uscc_validate("914403001922038216", NULL, NULL), AG_OK);
}

static void organisation_code_check_character(void **state)
{
    (void)state;
    static const struct {
        const char *org9;
        const char *source;
    } known[] = {
        /* The example of GB 11714-1997 annex B, the textbook case for 'X'. */
        {"D2143569X", "GB 11714 annex B"},
        /* Positions 9..17 of the real credit codes above. */
        {"192203821", "华为技术有限公司"},
        {"708461136", "深圳市腾讯计算机系统有限公司"},
        {"005291054", "荥阳市司法局"},
        {"558745220", "晋中市文化和旅游局 (sum divisible by 11: check '0')"},
        {"470095016", "浙江大学"},
        {"713678575", "山西晋韵古建筑有限公司"},
        /* Letters count A=10 .. Z=35, I and O included, as the GB 32100 example shows. */
        {"M000100Y4", "GB 32100 example"},
        /* From the test suite of github.com/wenerme/go-gb (package gb11714). */
        {"MA1FL0LY9", "wenerme/go-gb"},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        char got = uscc_orgcode_check_char(known[i].org9);
        if (got != known[i].org9[8])
            fail_msg("%s (%s): expected '%c', got '%c'", known[i].org9, known[i].source,
                     known[i].org9[8], got ? got : '?');
    }
    assert_int_equal(uscc_orgcode_check_char("d2143569"), '\0');
    assert_int_equal(uscc_orgcode_check_char("D214-569"), '\0');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(real_published_codes_validate),
        cmocka_unit_test(check_character_wraps_31_to_zero),
        cmocka_unit_test(check_char_refuses_characters_outside_the_alphabet),
        cmocka_unit_test(wrong_check_character_names_the_expected_one),
        cmocka_unit_test(any_single_substitution_is_caught),
        cmocka_unit_test(adjacent_transpositions_are_caught),
        cmocka_unit_test(wrong_length_is_reported_with_the_count),
        cmocka_unit_test(letters_i_o_z_s_v_are_forbidden),
        cmocka_unit_test(lower_case_is_rejected),
        cmocka_unit_test(division_code_must_be_six_digits),
        cmocka_unit_test(authority_and_type_must_match),
        cmocka_unit_test(validate_without_an_error_report_is_safe),
        cmocka_unit_test(organisation_code_check_character),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
