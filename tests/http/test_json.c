/* test_json.c - the response writer escapes correctly and keeps UTF-8; the body parser is bounded.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "http/json.h"

static void check_doc(hj_writer *w, ag_buf *b, const char *want)
{
    assert_int_equal(hj_finish(w), AG_OK);
    assert_string_equal(ag_buf_str(b), want);
}

static void test_objects_and_arrays(void **state)
{
    (void)state;
    ag_buf b;
    ag_buf_init(&b, 4096);
    hj_writer w;
    hj_init(&w, &b);
    hj_obj_begin(&w);
    hj_kint(&w, "total", 2);
    hj_kstr(&w, "null", NULL);
    hj_key(&w, "items");
    hj_arr_begin(&w);
    hj_int(&w, -9007199254740993LL);
    hj_bool(&w, false);
    hj_obj_begin(&w);
    hj_obj_end(&w);
    hj_arr_begin(&w);
    hj_arr_end(&w);
    hj_arr_end(&w);
    hj_obj_end(&w);
    check_doc(&w, &b, "{\"total\":2,\"null\":null,\"items\":[-9007199254740993,false,{},[]]}");
    ag_buf_release(&b);
}

static void test_escaping(void **state)
{
    (void)state;
    ag_buf b;
    ag_buf_init(&b, 4096);
    hj_writer w;
    hj_init(&w, &b);
    hj_str(&w, "\"q\" \\ \n\t\x01 审计 \xe2\x80\xa8 </script>");
    check_doc(&w, &b, "\"\\\"q\\\" \\\\ \\n\\t\\u0001 审计 \\u2028 </script>\"");
    ag_buf_release(&b);
}

static void test_invalid_utf8_replaced(void **state)
{
    (void)state;
    /* A lone continuation byte, an overlong '/', a surrogate, a truncated sequence. */
    const char *bad[] = {"a\x80z", "\xc0\xaf", "\xed\xa0\x80", "\xe5\xae"};
    const char *want[] = {"\"a\\ufffdz\"", "\"\\ufffd\\ufffd\"", "\"\\ufffd\\ufffd\\ufffd\"",
                          "\"\\ufffd\\ufffd\""};
    for (int i = 0; i < 4; i++) {
        ag_buf b;
        ag_buf_init(&b, 256);
        hj_writer w;
        hj_init(&w, &b);
        hj_str(&w, bad[i]);
        check_doc(&w, &b, want[i]);
        ag_buf_release(&b);
    }
}

static void test_jansson_values_keep_order(void **state)
{
    (void)state;
    json_t *v = json_pack("{s:s,s:i,s:[b,n,f]}", "z", "末", "a", 1, "m", 1, 0.5);
    ag_buf b;
    ag_buf_init(&b, 4096);
    hj_writer w;
    hj_init(&w, &b);
    hj_value(&w, v);
    check_doc(&w, &b, "{\"z\":\"末\",\"a\":1,\"m\":[true,null,0.5]}");
    ag_buf_release(&b);
    json_decref(v);
}

static void test_misuse_and_bounds(void **state)
{
    (void)state;
    ag_buf b;
    ag_buf_init(&b, 4096);
    hj_writer w;
    hj_init(&w, &b);
    hj_obj_begin(&w);
    hj_int(&w, 1); /* a value without a key */
    assert_int_equal(hj_finish(&w), AG_ERR_INTERNAL);
    ag_buf_reset(&b);
    hj_init(&w, &b);
    hj_arr_begin(&w);
    assert_int_equal(hj_finish(&w), AG_ERR_INTERNAL); /* unclosed */
    ag_buf_release(&b);
    ag_buf_init(&b, 16); /* the buffer's max bounds the response */
    hj_init(&w, &b);
    hj_str(&w, "a string longer than sixteen bytes");
    assert_int_equal(hj_finish(&w), AG_ERR_NOMEM);
    ag_buf_release(&b);
    ag_buf_init(&b, 64);
    hj_init(&w, &b);
    hj_number(&w, "1e3; DROP");
    assert_int_equal(hj_finish(&w), AG_ERR_INTERNAL);
    ag_buf_release(&b);
}

static void test_parse(void **state)
{
    (void)state;
    json_t *v = NULL;
    ag_error err;
    const char *ok = "{\"username\":\"审计\",\"n\":[1,{\"a\":2}]}";
    assert_int_equal(hj_parse(ok, strlen(ok), 32, &v, &err), AG_OK);
    assert_string_equal(json_string_value(json_object_get(v, "username")), "审计");
    json_decref(v);
    const char *dup = "{\"a\":1,\"a\":2}";
    assert_int_equal(hj_parse(dup, strlen(dup), 32, &v, &err), AG_ERR_USAGE);
    assert_null(v);
    assert_non_null(strstr(err.en, "the request body has a duplicate key (line 1, column "));
    assert_null(strstr(err.en, "\"a\"")); /* the key itself is not quoted back */
    assert_int_equal(strncmp(err.where, "body:1:", 7), 0);
    const char *trailing = "{} {}";
    assert_int_equal(hj_parse(trailing, strlen(trailing), 32, &v, &err), AG_ERR_USAGE);
    const char *badutf8 = "{\"a\":\"\xff\"}";
    assert_int_equal(hj_parse(badutf8, strlen(badutf8), 32, &v, &err), AG_ERR_USAGE);
    const char *nul = "{\"a\":\"x\\u0000y\"}";
    assert_int_equal(hj_parse(nul, strlen(nul), 32, &v, &err), AG_ERR_USAGE);
    assert_int_equal(hj_parse("", 0, 32, &v, &err), AG_ERR_USAGE);
}

/* A broken body is never quoted back: it can be a password (issue 12 §7). */
static void test_parse_error_does_not_echo(void **state)
{
    (void)state;
    json_t *v = NULL;
    ag_error err;
    const char *pw = "{\"username\":\"admin\",\"password\":Secret-Pass-42}";
    assert_int_equal(hj_parse(pw, strlen(pw), 32, &v, &err), AG_ERR_USAGE);
    assert_null(v);
    assert_null(strstr(err.zh, "Secret"));
    assert_null(strstr(err.en, "Secret"));
    assert_null(strstr(err.where, "Secret"));
    assert_null(strstr(err.en, "invalid token")); /* jansson's own wording stays out */
    assert_non_null(strstr(err.zh, "第 1 行第"));
    assert_non_null(strstr(err.en, "(line 1, column"));
}

static void test_depth(void **state)
{
    (void)state;
    char deep[200];
    memset(deep, '[', 40);
    memset(deep + 40, ']', 40);
    json_t *v = NULL;
    ag_error err;
    assert_int_equal(hj_parse(deep, 80, 32, &v, &err), AG_ERR_USAGE);
    assert_non_null(strstr(err.en, "deeper"));
    assert_int_equal(hj_parse(deep + 8, 64, 32, &v, &err), AG_OK); /* exactly 32 */
    json_decref(v);
    /* Brackets inside strings do not count, escaped quotes do not end them. */
    const char *s = "{\"a\":\"[[[[\\\"[[[[\"}";
    assert_int_equal(hj_depth(s, strlen(s), 2), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_objects_and_arrays),
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_invalid_utf8_replaced),
        cmocka_unit_test(test_jansson_values_keep_order),
        cmocka_unit_test(test_misuse_and_bounds),
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_parse_error_does_not_echo),
        cmocka_unit_test(test_depth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
