/* test_buf.c - the bounded growable buffer: growth, its maximum, printf, reset and detach. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

static void a_new_buffer_is_empty(void **state)
{
    (void)state;
    ag_buf b;
    ag_buf_init(&b, 100);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.max, 100);
    assert_string_equal(ag_buf_str(&b), "");
    ag_buf_release(&b);
    assert_string_equal(ag_buf_str(&b), "");
}

static void grows_and_keeps_every_byte(void **state)
{
    (void)state;
    ag_buf b;
    ag_buf_init(&b, 1 << 20);
    for (int i = 0; i < 100000; i++)
        assert_int_equal(ag_buf_addc(&b, (char)('a' + i % 26)), AG_OK);
    assert_int_equal(b.len, 100000);
    assert_true(b.cap > b.len);
    assert_int_equal(strlen(ag_buf_str(&b)), 100000);
    for (int i = 0; i < 100000; i++)
        assert_int_equal(b.data[i], 'a' + i % 26);

    assert_int_equal(ag_buf_adds(&b, "END"), AG_OK);
    assert_string_equal(ag_buf_str(&b) + 100000, "END");
    ag_buf_release(&b);
}

static void holds_binary_data(void **state)
{
    (void)state;
    ag_buf b;
    ag_buf_init(&b, 64);
    assert_int_equal(ag_buf_add(&b, "a\0b", 3), AG_OK);
    assert_int_equal(ag_buf_add(&b, "", 0), AG_OK);
    assert_int_equal(b.len, 3);
    assert_memory_equal(b.data, "a\0b", 4); /* and the terminating NUL */
    ag_buf_release(&b);
}

static void filling_up_to_max_is_allowed(void **state)
{
    (void)state;
    ag_buf b;
    ag_buf_init(&b, 8);
    assert_int_equal(ag_buf_adds(&b, "12345678"), AG_OK);
    assert_int_equal(b.len, 8);
    assert_string_equal(ag_buf_str(&b), "12345678");
    assert_int_equal(ag_buf_add(&b, "", 0), AG_OK);
    ag_buf_release(&b);
}

static void adding_past_max_fails_and_leaves_the_content(void **state)
{
    (void)state;
    ag_buf b;
    ag_buf_init(&b, 8);
    assert_int_equal(ag_buf_adds(&b, "12345"), AG_OK);

    assert_int_equal(ag_buf_adds(&b, "6789"), AG_ERR_NOMEM);
    assert_string_equal(ag_buf_str(&b), "12345");
    assert_int_equal(b.len, 5);

    assert_int_equal(ag_buf_printf(&b, "%d", 6789), AG_ERR_NOMEM);
    assert_string_equal(ag_buf_str(&b), "12345");
    assert_int_equal(b.len, 5);

    /* A size that would wrap the arithmetic is refused the same way. */
    assert_int_equal(ag_buf_add(&b, "x", SIZE_MAX), AG_ERR_NOMEM);
    assert_int_equal(ag_buf_add(&b, "x", SIZE_MAX - 2), AG_ERR_NOMEM);
    assert_string_equal(ag_buf_str(&b), "12345");

    /* What still fits is still accepted. */
    assert_int_equal(ag_buf_adds(&b, "678"), AG_OK);
    assert_int_equal(ag_buf_addc(&b, '9'), AG_ERR_NOMEM);
    assert_string_equal(ag_buf_str(&b), "12345678");
    ag_buf_release(&b);
}

static void a_zero_max_takes_nothing(void **state)
{
    (void)state;
    ag_buf b;
    ag_buf_init(&b, 0);
    assert_int_equal(ag_buf_addc(&b, 'x'), AG_ERR_NOMEM);
    assert_int_equal(ag_buf_printf(&b, "%s", "x"), AG_ERR_NOMEM);
    assert_string_equal(ag_buf_str(&b), "");
    ag_buf_release(&b);
}

static void printf_appends_formatted_text(void **state)
{
    (void)state;
    ag_buf b;
    ag_buf_init(&b, 4096);
    assert_int_equal(ag_buf_adds(&b, "unit="), AG_OK);
    assert_int_equal(ag_buf_printf(&b, "%s;n=%d;amount=%05.1f;", "区审计局", 42, 3.5), AG_OK);
    assert_string_equal(ag_buf_str(&b), "unit=区审计局;n=42;amount=003.5;");
    assert_int_equal(b.len, strlen(b.data));

    /* Longer than the first allocation, so the printf itself has to grow. */
    char big[1001];
    memset(big, 'z', 1000);
    big[1000] = '\0';
    ag_buf_reset(&b);
    assert_int_equal(ag_buf_printf(&b, "[%s]", big), AG_OK);
    assert_int_equal(b.len, 1002);
    assert_int_equal(b.data[0], '[');
    assert_int_equal(b.data[1001], ']');
    assert_int_equal(b.data[1002], '\0');

    /* Exactly up to max is fine, one more is not. */
    ag_buf c;
    ag_buf_init(&c, 6);
    assert_int_equal(ag_buf_printf(&c, "%06d", 42), AG_OK);
    assert_string_equal(ag_buf_str(&c), "000042");
    assert_int_equal(ag_buf_printf(&c, "%s", ""), AG_OK);
    assert_int_equal(ag_buf_printf(&c, "%c", '!'), AG_ERR_NOMEM);
    assert_string_equal(ag_buf_str(&c), "000042");
    ag_buf_release(&c);
    ag_buf_release(&b);
}

static void reset_empties_but_keeps_storage(void **state)
{
    (void)state;
    ag_buf b;
    ag_buf_init(&b, 1024);
    assert_int_equal(ag_buf_adds(&b, "some text that needs storage"), AG_OK);
    char *data = b.data;
    size_t cap = b.cap;
    ag_buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(ag_buf_str(&b), "");
    assert_ptr_equal(b.data, data);
    assert_int_equal(b.cap, cap);
    assert_int_equal(ag_buf_adds(&b, "again"), AG_OK);
    assert_string_equal(ag_buf_str(&b), "again");
    ag_buf_release(&b);

    ag_buf empty;
    ag_buf_init(&empty, 10);
    ag_buf_reset(&empty); /* nothing allocated yet */
    assert_string_equal(ag_buf_str(&empty), "");
    ag_buf_release(&empty);
}

static void detach_hands_over_the_string(void **state)
{
    (void)state;
    ag_buf b;
    ag_buf_init(&b, 16);
    assert_int_equal(ag_buf_adds(&b, "owned"), AG_OK);
    char *s = ag_buf_detach(&b);
    assert_non_null(s);
    assert_string_equal(s, "owned");
    /* The buffer forgot the string and starts over, with the same maximum. */
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_string_equal(ag_buf_str(&b), "");
    assert_int_equal(ag_buf_adds(&b, "0123456789abcdef"), AG_OK);
    assert_int_equal(ag_buf_addc(&b, 'g'), AG_ERR_NOMEM);
    assert_string_equal(s, "owned"); /* untouched by the buffer's new life */
    free(s);
    ag_buf_release(&b);

    /* An empty buffer still hands over a string the caller can free. */
    ag_buf e;
    ag_buf_init(&e, 16);
    char *t = ag_buf_detach(&e);
    assert_non_null(t);
    assert_string_equal(t, "");
    free(t);
    ag_buf_release(&e);
}

static void release_is_safe_twice_and_on_null(void **state)
{
    (void)state;
    ag_buf b;
    ag_buf_init(&b, 16);
    assert_int_equal(ag_buf_adds(&b, "x"), AG_OK);
    ag_buf_release(&b);
    ag_buf_release(&b);
    ag_buf_release(NULL);
    assert_int_equal(b.len, 0);
    assert_null(b.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_new_buffer_is_empty),
        cmocka_unit_test(grows_and_keeps_every_byte),
        cmocka_unit_test(holds_binary_data),
        cmocka_unit_test(filling_up_to_max_is_allowed),
        cmocka_unit_test(adding_past_max_fails_and_leaves_the_content),
        cmocka_unit_test(a_zero_max_takes_nothing),
        cmocka_unit_test(printf_appends_formatted_text),
        cmocka_unit_test(reset_empties_but_keeps_storage),
        cmocka_unit_test(detach_hands_over_the_string),
        cmocka_unit_test(release_is_safe_twice_and_on_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
