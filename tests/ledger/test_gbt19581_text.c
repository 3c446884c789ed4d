/* test_gbt19581_text.c - the GB/T 19581 record splitter and field readers over memory: quoting,
 * line numbers, encodings, and the "FILE:line:field" of every fault. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "ledger/gbt19581_internal.h"
#include "util/date.h"
#include "../testutil.h"

static const char *const NAMES[] = {"a", "b", "c", "d"};

/* A reader over len bytes of p (kept alive by the caller), four named fields. */
typedef struct rd {
    gbt_mem_src m;
    gbt_text t;
} rd;

static void open_mem(rd *r, const char *p, size_t len, bool plain)
{
    ag_error err;
    memset(r, 0, sizeof *r);
    must(gbt_text_open(&r->t, "X.TXT", gbt_src_mem(&r->m, p, len), NAMES, 4, plain, &err), &err);
}

static void next_ok(rd *r)
{
    bool more = false;
    ag_error err;
    must(gbt_text_next(&r->t, &more, &err), &err);
    assert_true(more);
}

static void at_end(rd *r)
{
    bool more = true;
    ag_error err;
    must(gbt_text_next(&r->t, &more, &err), &err);
    assert_false(more);
}

static void fields_are_tab_separated_quoted_and_trimmed(void **state)
{
    (void)state;
    static const char in[] = "\"a b\"\t 12.50 \t\"say \"\"hi\"\"\"\t\r\n"
                             "x\ty\r\n";
    rd r;
    open_mem(&r, in, sizeof in - 1, false);
    next_ok(&r);
    assert_int_equal(r.t.line, 1);
    assert_string_equal(r.t.f[0].s, "a b");
    assert_string_equal(r.t.f[1].s, "12.50");
    assert_int_equal(r.t.f[1].n, 5);
    assert_string_equal(r.t.f[2].s, "say \"hi\"");
    assert_string_equal(r.t.f[3].s, "");
    next_ok(&r);
    assert_int_equal(r.t.line, 2);
    assert_string_equal(r.t.f[0].s, "x");
    assert_string_equal(r.t.f[1].s, "y");
    /* Missing trailing fields read as empty. */
    assert_int_equal(r.t.f[2].n, 0);
    assert_int_equal(r.t.f[3].n, 0);
    at_end(&r);
    assert_string_equal(gbt_text_encoding(&r.t), "utf-8");
    gbt_text_close(&r.t);
}

static void a_quoted_field_may_hold_tabs_and_line_breaks_and_lines_are_counted(void **state)
{
    (void)state;
    static const char in[] = "\"one\ttwo\nthree\"\tz\n"
                             "\n"
                             "   \t \n"
                             "after\n";
    rd r;
    open_mem(&r, in, sizeof in - 1, false);
    next_ok(&r);
    assert_int_equal(r.t.line, 1);
    assert_string_equal(r.t.f[0].s, "one\ttwo\nthree");
    assert_string_equal(r.t.f[1].s, "z");
    /* Blank records are skipped; the line of the next one counts the embedded break. */
    next_ok(&r);
    assert_int_equal(r.t.line, 5);
    assert_string_equal(r.t.f[0].s, "after");
    assert_int_equal(r.t.nrecs, 2);
    at_end(&r);
    gbt_text_close(&r.t);
}

static void a_plain_file_gives_whole_lines(void **state)
{
    (void)state;
    static const char in[] = "单位：\"南开区\"\t第一中学\r\nsecond";
    rd r;
    open_mem(&r, in, sizeof in - 1, true);
    next_ok(&r);
    assert_string_equal(r.t.f[0].s, "单位：\"南开区\"\t第一中学");
    next_ok(&r);
    assert_string_equal(r.t.f[0].s, "second");
    at_end(&r);
    gbt_text_close(&r.t);
}

static void gb18030_is_recognised_and_converted(void **state)
{
    (void)state;
    /* "南开区" TAB "审计" in GB18030. */
    static const char in[] = "plain\tascii\n\"\xc4\xcf\xbf\xaa\xc7\xf8\"\t\xc9\xf3\xbc\xc6\n";
    rd r;
    open_mem(&r, in, sizeof in - 1, false);
    next_ok(&r);
    next_ok(&r);
    assert_string_equal(r.t.f[0].s, "南开区");
    assert_string_equal(r.t.f[1].s, "审计");
    assert_string_equal(gbt_text_encoding(&r.t), "gb18030");
    gbt_text_close(&r.t);

    static const char bom[] = "\xef\xbb\xbf南开\t区\n";
    open_mem(&r, bom, sizeof bom - 1, false);
    next_ok(&r);
    assert_string_equal(r.t.f[0].s, "南开");
    assert_string_equal(gbt_text_encoding(&r.t), "utf-8");
    gbt_text_close(&r.t);
}

static ag_err first_error(const char *in, size_t len, ag_error *err)
{
    rd r;
    open_mem(&r, in, len, false);
    bool more = true;
    ag_err rc = AG_OK;
    while (!rc && more)
        rc = gbt_text_next(&r.t, &more, err);
    gbt_text_close(&r.t);
    return rc;
}

static void structural_faults_name_file_line_and_field(void **state)
{
    (void)state;
    ag_error err;
    static const char extra[] = "1\t2\t3\t4\n1\t2\t3\t4\t5\n";
    assert_int_equal(first_error(extra, sizeof extra - 1, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "X.TXT:2:5");
    assert_non_null(strstr(err.en, "too many fields"));
    assert_non_null(strstr(err.zh, "字段过多"));

    /* A trailing empty extra field is harmless. */
    static const char trailing[] = "1\t2\t3\t4\t\n";
    must(first_error(trailing, sizeof trailing - 1, &err), &err);

    static const char open_quote[] = "ok\n\"never closed\tb\n";
    assert_int_equal(first_error(open_quote, sizeof open_quote - 1, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "X.TXT:2:a");
    assert_non_null(strstr(err.en, "truncated file"));

    static const char utf16[] = "\xff\xfe"
                                "a\0b\0";
    assert_int_equal(first_error(utf16, sizeof utf16 - 1, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "X.TXT:1");
    assert_non_null(strstr(err.en, "UTF-16"));

    static const char nul[] = "x\ty\0z\n";
    assert_int_equal(first_error(nul, sizeof nul - 1, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "X.TXT:1:b");
    assert_non_null(strstr(err.en, "NUL"));

    /* Valid UTF-8 first, then a byte that is neither: the encoding decided stays. */
    static const char bad[] = "南开\tx\n\xff\xfe\xfd\tx\n";
    assert_int_equal(first_error(bad, sizeof bad - 1, &err), AG_ERR_INPUT);
    assert_non_null(strstr(err.where, "X.TXT:2"));
    assert_non_null(strstr(err.en, "unreadable encoding"));
}

/* One record of the four fields a..d, for the value readers. */
static void one(rd *r, const char *line)
{
    open_mem(r, line, strlen(line), false);
    next_ok(r);
}

static void money_is_fen_and_extra_zero_decimals_are_accepted(void **state)
{
    (void)state;
    rd r;
    ag_error err;
    int64_t fen = -1;
    one(&r, "12.500000\t1,234.5\t\t1.005");
    must(gbt_money(&r.t, 0, &fen, &err), &err);
    assert_int_equal(fen, 1250);
    must(gbt_money(&r.t, 1, &fen, &err), &err);
    assert_int_equal(fen, 123450);
    must(gbt_money(&r.t, 2, &fen, &err), &err);
    assert_int_equal(fen, 0);
    /* A non-zero third decimal is refused, never rounded. */
    assert_int_equal(gbt_money(&r.t, 3, &fen, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "X.TXT:1:d");
    assert_non_null(strstr(err.en, "more than 2 decimals: \"1.005\""));
    gbt_text_close(&r.t);
}

static void decimals_ints_dates_and_flags(void **state)
{
    (void)state;
    rd r;
    ag_error err;
    char out[32];
    bool present = false;
    one(&r, "-1,234.5e3\t3.00\t2024-01-05 08:30:00\t已记账");
    must(gbt_decimal(&r.t, 0, out, sizeof out, &present, &err), &err);
    assert_true(present);
    assert_string_equal(out, "-1234.5e3");
    int64_t v = -1;
    must(gbt_int(&r.t, 1, 0, 10, &v, &present, &err), &err);
    assert_int_equal(v, 3);
    assert_int_equal(gbt_int(&r.t, 1, 5, 10, &v, &present, &err), AG_ERR_INPUT);
    assert_non_null(strstr(err.en, "number out of range"));
    int32_t days = 0;
    must(gbt_date(&r.t, 2, &days, &present, &err), &err);
    assert_int_equal(days, ag_date_to_days((ag_date){2024, 1, 5}));
    int flag = -2;
    must(gbt_flag(&r.t, 3, &flag, &err), &err);
    assert_int_equal(flag, 1);
    gbt_text_close(&r.t);

    one(&r, "1e\t3.5\t2024-13-01\tmaybe");
    assert_int_equal(gbt_decimal(&r.t, 0, out, sizeof out, &present, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "X.TXT:1:a");
    assert_int_equal(gbt_int(&r.t, 1, 0, 10, &v, &present, &err), AG_ERR_INPUT);
    assert_non_null(strstr(err.en, "not an integer: \"3.5\""));
    assert_int_equal(gbt_date(&r.t, 2, &days, &present, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "X.TXT:1:c");
    assert_int_equal(gbt_flag(&r.t, 3, &flag, &err), AG_ERR_INPUT);
    assert_non_null(strstr(err.zh, "不是标志"));
    gbt_text_close(&r.t);

    /* Empty values: absent, not faults. */
    one(&r, "x\t\t\t");
    must(gbt_decimal(&r.t, 1, out, sizeof out, &present, &err), &err);
    assert_false(present);
    must(gbt_int(&r.t, 1, 0, 10, &v, &present, &err), &err);
    assert_false(present);
    must(gbt_date(&r.t, 2, &days, &present, &err), &err);
    assert_false(present);
    must(gbt_flag(&r.t, 3, &flag, &err), &err);
    assert_int_equal(flag, -1);
    gbt_text_close(&r.t);
}

static void a_long_value_in_a_message_is_cut_on_a_character(void **state)
{
    (void)state;
    rd r;
    ag_error err;
    /* 20 three-byte characters: 60 bytes, cut to at most 40 on a boundary. */
    char line[128] = "x\t";
    for (int i = 0; i < 20; i++)
        strcat(line, "审");
    one(&r, line);
    int64_t fen;
    assert_int_equal(gbt_money(&r.t, 1, &fen, &err), AG_ERR_INPUT);
    const char *q = strstr(err.en, "\"");
    assert_non_null(q);
    /* 13 characters (39 bytes) and "...". */
    char want[64] = "\"";
    for (int i = 0; i < 13; i++)
        strcat(want, "审");
    strcat(want, "...\"");
    assert_string_equal(q, want);
    gbt_text_close(&r.t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fields_are_tab_separated_quoted_and_trimmed),
        cmocka_unit_test(a_quoted_field_may_hold_tabs_and_line_breaks_and_lines_are_counted),
        cmocka_unit_test(a_plain_file_gives_whole_lines),
        cmocka_unit_test(gb18030_is_recognised_and_converted),
        cmocka_unit_test(structural_faults_name_file_line_and_field),
        cmocka_unit_test(money_is_fen_and_extra_zero_decimals_are_accepted),
        cmocka_unit_test(decimals_ints_dates_and_flags),
        cmocka_unit_test(a_long_value_in_a_message_is_cut_on_a_character),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
