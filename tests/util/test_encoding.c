/* test_encoding.c - UTF-8 validation, telling GB18030 from UTF-8, converting with iconv, bad bytes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "util/encoding.h"
#include "../testutil.h"

#define V(s)  ag_utf8_valid(s, sizeof s - 1, false)
#define VP(s) ag_utf8_valid(s, sizeof s - 1, true)

static void utf8_validation_refuses_what_the_standard_refuses(void **state)
{
    (void)state;
    assert_true(V("auditgrid 审计监督一张网 𠀀"));
    assert_true(V(""));
    assert_false(V("\xc0\x80"));         /* overlong NUL */
    assert_false(V("\xe0\x80\x80"));     /* overlong */
    assert_false(V("\xed\xa0\x80"));     /* a surrogate */
    assert_false(V("\xf4\x90\x80\x80")); /* past U+10FFFF */
    assert_false(V("\x80"));             /* a lone continuation byte */
    assert_false(V("\xe5\x41\x41"));     /* a lead byte without its continuations */
    assert_false(V("\xff"));
    /* A character cut at the end: only valid when sniffing a prefix. */
    assert_false(V("审\xe8\xae"));
    assert_true(VP("审\xe8\xae"));
    assert_false(VP("审\xe8\x41"));
}

static void sniffing_takes_utf8_when_valid_and_gb18030_otherwise(void **state)
{
    (void)state;
    assert_int_equal(ag_encoding_sniff("unit_code,debit\n", 16), AG_ENC_UTF8);
    assert_int_equal(ag_encoding_sniff("\xef\xbb\xbf\xff\xff", 5), AG_ENC_UTF8); /* a BOM */
    assert_int_equal(ag_encoding_sniff("\xc9\xf3\xbc\xc6", 4), AG_ENC_GB18030);  /* 审计 */
    /* A sample cut inside a UTF-8 character is still UTF-8. */
    assert_int_equal(ag_encoding_sniff("审\xe8\xae", 5), AG_ENC_UTF8);
    assert_string_equal(ag_encoding_name(AG_ENC_UTF8), "utf-8");
    assert_string_equal(ag_encoding_name(AG_ENC_GB18030), "gb18030");
}

static ag_err convert(ag_encoding from, const char *p, size_t n, ag_buf *out, size_t *bad,
                      ag_error *err)
{
    ag_conv *c = NULL;
    must(ag_conv_open(from, &c, err), err);
    ag_err rc = ag_conv_run(c, p, n, out, bad, err);
    ag_conv_close(c);
    return rc;
}

static void gb18030_converts_to_utf8_including_four_byte_forms(void **state)
{
    (void)state;
    ag_buf out;
    ag_buf_init(&out, 1 << 20);
    size_t bad = 99;
    ag_error err;
    const char gb[] = "\xc9\xf3\xbc\xc6,\xa2\xe3,\x95\x32\x82\x36\n"; /* 审计,€,𠀀 */
    must(convert(AG_ENC_GB18030, gb, sizeof gb - 1, &out, &bad, &err), &err);
    assert_string_equal(ag_buf_str(&out), "审计,€,𠀀\n");
    assert_int_equal(bad, 0);
    /* More than the converter's 16 KiB chunk. */
    ag_buf_reset(&out);
    static char big[3 * 10000];
    for (size_t i = 0; i < 10000; i++)
        memcpy(big + 2 * i, "\xc9\xf3", 2);
    must(convert(AG_ENC_GB18030, big, 20000, &out, &bad, &err), &err);
    assert_int_equal(out.len, 30000);
    assert_memory_equal(ag_buf_str(&out) + 29997, "审", 3);
    ag_buf_release(&out);
    ag_conv_close(NULL);
}

static void invalid_gb18030_names_the_byte_offset(void **state)
{
    (void)state;
    ag_buf out;
    ag_buf_init(&out, 1 << 20);
    size_t bad = 0;
    ag_error err;
    assert_int_equal(convert(AG_ENC_GB18030,
                             "AB\x81\x20"
                             "C",
                             5, &out, &bad, &err),
                     AG_ERR_INPUT);
    assert_int_equal(bad, 2);
    assert_non_null(strstr(err.en, "GB18030"));
    ag_buf_reset(&out);
    /* A double-byte character cut at the end of the piece. */
    assert_int_equal(convert(AG_ENC_GB18030, "\xc9\xf3\xbc", 3, &out, &bad, &err), AG_ERR_INPUT);
    assert_int_equal(bad, 2);
    ag_buf_release(&out);
}

static void utf8_input_is_validated_and_copied(void **state)
{
    (void)state;
    ag_buf out;
    ag_buf_init(&out, 1 << 20);
    size_t bad = 99;
    ag_error err;
    must(convert(AG_ENC_UTF8, "审计,1280.00\n", strlen("审计,1280.00\n"), &out, &bad, &err), &err);
    assert_string_equal(ag_buf_str(&out), "审计,1280.00\n");
    assert_int_equal(bad, 0);
    ag_buf_reset(&out);
    assert_int_equal(convert(AG_ENC_UTF8,
                             "ab\xff"
                             "cd",
                             5, &out, &bad, &err),
                     AG_ERR_INPUT);
    assert_int_equal(bad, 2);
    assert_non_null(strstr(err.en, "UTF-8"));
    assert_int_equal(convert(AG_ENC_UTF8, "审\xe8\xae", 5, &out, &bad, &err), AG_ERR_INPUT);
    assert_int_equal(bad, 3);
    assert_int_equal(out.len, 0); /* nothing of a refused piece is kept */
    ag_buf_release(&out);
}

static void the_output_buffers_bound_is_kept(void **state)
{
    (void)state;
    ag_buf out;
    ag_buf_init(&out, 4);
    size_t bad = 0;
    ag_error err;
    assert_int_equal(convert(AG_ENC_GB18030, "\xc9\xf3\xbc\xc6", 4, &out, &bad, &err),
                     AG_ERR_NOMEM);
    assert_int_equal(convert(AG_ENC_UTF8, "abcdef", 6, &out, &bad, &err), AG_ERR_NOMEM);
    ag_buf_release(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(utf8_validation_refuses_what_the_standard_refuses),
        cmocka_unit_test(sniffing_takes_utf8_when_valid_and_gb18030_otherwise),
        cmocka_unit_test(gb18030_converts_to_utf8_including_four_byte_forms),
        cmocka_unit_test(invalid_gb18030_names_the_byte_offset),
        cmocka_unit_test(utf8_input_is_validated_and_copied),
        cmocka_unit_test(the_output_buffers_bound_is_kept),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
