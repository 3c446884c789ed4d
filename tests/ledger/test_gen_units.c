/* test_gen_units.c - synthetic units: valid, distinct credit codes whose registration class fits
 * the unit kind, distinct names however many, and the same units for the same seed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "ledger/gen.h"
#include "util/uscc.h"
#include "../testutil.h"

static int by_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Fails when two of the n strings are equal. */
static void expect_distinct(const char **v, size_t n, const char *what)
{
    const char **s = malloc(n * sizeof *s);
    assert_non_null(s);
    memcpy(s, v, n * sizeof *s);
    qsort(s, n, sizeof *s, by_str);
    for (size_t i = 1; i < n; i++)
        if (strcmp(s[i - 1], s[i]) == 0)
            fail_msg("%s given twice: %s", what, s[i]);
    free(s);
}

static void codes_are_valid_distinct_and_classed_by_kind(void **state)
{
    (void)state;
    enum { N = 3000 };
    ag_gen_unit *u = NULL;
    ag_error err;
    must(ledger_gen_make_units(N, 42, &u, &err), &err);
    const char *codes[N], *names[N];
    for (size_t i = 0; i < N; i++) {
        must(uscc_validate(u[i].code, "code", &err), &err);
        /* 11 机关, 12 事业单位, 91 企业 (GB 32100 registration classes). */
        const char *head = u[i].chart == AG_CHART_ENTERPRISE ? "91" : u[i].admin ? "11" : "12";
        assert_memory_equal(u[i].code, head, 2);
        assert_false(u[i].chart == AG_CHART_ENTERPRISE && u[i].admin);
        /* Every name is of the district, and enterprises are companies. */
        assert_true(strncmp(u[i].name, "天津", strlen("天津")) == 0);
        assert_non_null(strstr(u[i].name, "南开"));
        if (u[i].chart == AG_CHART_ENTERPRISE)
            assert_non_null(strstr(u[i].name, "公司"));
        codes[i] = u[i].code;
        names[i] = u[i].name;
    }
    /* Far more units than named bodies: names still never repeat. */
    expect_distinct(codes, N, "credit code");
    expect_distinct(names, N, "unit name");
    ledger_gen_free_units(u);
}

static void the_same_seed_gives_the_same_units_and_another_seed_others(void **state)
{
    (void)state;
    ag_gen_unit *a = NULL, *b = NULL, *c = NULL;
    ag_error err;
    must(ledger_gen_make_units(60, 9, &a, &err), &err);
    must(ledger_gen_make_units(60, 9, &b, &err), &err);
    must(ledger_gen_make_units(60, 10, &c, &err), &err);
    int same_code = 0;
    for (size_t i = 0; i < 60; i++) {
        assert_string_equal(a[i].code, b[i].code);
        assert_string_equal(a[i].name, b[i].name);
        assert_int_equal(a[i].chart, b[i].chart);
        assert_int_equal(a[i].admin, b[i].admin);
        /* The kinds follow the list order whatever the seed; the codes do not. */
        assert_int_equal(a[i].chart, c[i].chart);
        same_code += strcmp(a[i].code, c[i].code) == 0;
    }
    assert_true(same_code < 5);
    ledger_gen_free_units(a);
    ledger_gen_free_units(b);
    ledger_gen_free_units(c);
    ledger_gen_free_units(NULL);
}

static void the_count_is_bounded(void **state)
{
    (void)state;
    ag_gen_unit *u = (ag_gen_unit *)&u;
    ag_error err;
    assert_int_equal(ledger_gen_make_units(AG_GEN_MAX_UNITS + 1, 1, &u, &err), AG_ERR_USAGE);
    assert_null(u);
    assert_string_equal(err.where, "units");
    assert_non_null(strstr(err.zh, "单位数量"));
    must(ledger_gen_make_units(1, 1, &u, &err), &err);
    assert_non_null(u);
    ledger_gen_free_units(u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(codes_are_valid_distinct_and_classed_by_kind),
        cmocka_unit_test(the_same_seed_gives_the_same_units_and_another_seed_others),
        cmocka_unit_test(the_count_is_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
