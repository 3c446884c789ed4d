/* test_scan.c - the scan as a whole: the same warnings on any thread count, their JSON, bounded
 * messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../testutil.h"
#include "engine/rules.h"
#include "engine/scan.h"
#include "engine/snapshot.h"
#include "util/buf.h"
#include "util/calendar.h"
#include "util/banned.h"

#define GOV "12120104MB0100001K"

static ag_calendar *cal;

/* Two payments of 95,000.00 to one payee three days apart (重复支付, and
 * round amounts), a cash payment on a Sunday, a voucher made and reviewed
 * by one person. */
static const char LEDGER[] =
    "unit_code,voucher_date,voucher_type,voucher_no,line_no,account_code,debit,credit,"
    "counterparty,maker,reviewer,cashier\n" GOV
    ",2024-03-05,记,1,1,5001,95000.00,,天津元亨物业有限公司,"
    "王会计,李主任,赵出纳\n" GOV ",2024-03-05,记,1,2,1002,,95000.00,天津元亨物业有限公司,王会计,"
    "李主任,赵出纳\n" GOV ",2024-03-08,记,2,1,5001,95000.00,,天津元亨物业有限公司,王会计,李主任,"
    "赵出纳\n" GOV
    ",2024-03-08,记,2,2,1002,,95000.00,天津元亨物业有限公司,王会计,李主任,赵出纳\n" GOV
    ",2024-03-10,记,3,1,5001,3200.00,,张三,王会计,王会计,赵出纳\n" GOV
    ",2024-03-10,记,3,2,1001,,3200.00,张三,王会计,王会计,赵出纳\n";

typedef struct run {
    eng_snapshot *s;
    eng_catalog *cat;
    eng_result res;
} run;

static void scan_text(run *r, const char *catalog, int threads)
{
    memset(r, 0, sizeof *r);
    char path[1024];
    ag_test_path(path, sizeof path, "scan-ledger.csv");
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(LEDGER, 1, strlen(LEDGER), f), strlen(LEDGER));
    assert_int_equal(fclose(f), 0);
    ag_error err;
    ag_error_clear(&err);
    ag_err rc = catalog ? eng_catalog_parse(catalog, strlen(catalog), "t.json", &r->cat, &err)
                        : eng_catalog_load_default(&r->cat, &err);
    const char *paths[] = {path};
    if (!rc) {
        eng_load_opts lo = {eng_catalog_columns(r->cat), threads, NULL, false};
        rc = eng_snapshot_from_csv(paths, 1, NULL, &lo, &r->s, &err);
    }
    if (!rc)
        rc = eng_scan(r->s, r->cat, cal, threads, &r->res, &err);
    if (rc)
        print_message("%s: %s\n", err.where, err.en);
    assert_int_equal(rc, AG_OK);
    unlink(path);
}

static void run_free(run *r)
{
    eng_result_release(&r->res);
    eng_snapshot_free(r->s);
    eng_catalog_free(r->cat);
}

/* All warnings of a run as one JSON text (to free). */
static char *dump(const run *r)
{
    json_t *a = json_array();
    for (size_t i = 0; i < r->res.n; i++)
        json_array_append_new(a, eng_warning_json(r->s, r->cat, cal, &r->res.w[i]));
    char *t = json_dumps(a, JSON_SORT_KEYS);
    json_decref(a);
    assert_non_null(t);
    return t;
}

static void the_same_warnings_on_any_thread_count(void **state)
{
    (void)state;
    char *texts[3];
    int threads[3] = {1, 2, 4};
    size_t n = 0;
    for (int i = 0; i < 3; i++) {
        run r;
        scan_text(&r, NULL, threads[i]);
        if (i == 0)
            n = r.res.n;
        assert_int_equal(r.res.n, n);
        texts[i] = dump(&r);
        run_free(&r);
    }
    assert_true(n >= 3);
    assert_string_equal(texts[0], texts[1]);
    assert_string_equal(texts[0], texts[2]);
    for (int i = 0; i < 3; i++)
        free(texts[i]);
}

/* The first warning of rule `id` in the run, as JSON (new reference), or NULL. */
static json_t *first_of(const run *r, const char *id)
{
    for (size_t i = 0; i < r->res.n; i++)
        if (!strcmp(r->cat->rules[r->res.w[i].rule].id, id))
            return eng_warning_json(r->s, r->cat, cal, &r->res.w[i]);
    return NULL;
}

static void a_warning_is_the_json_of_the_design(void **state)
{
    (void)state;
    run r;
    scan_text(&r, NULL, 2);
    json_t *w = first_of(&r, "dup_payment");
    assert_non_null(w);
    assert_string_equal(json_string_value(json_object_get(w, "item")), "F03");
    assert_string_equal(json_string_value(json_object_get(w, "severity")), "high");
    assert_string_equal(json_string_value(json_object_get(w, "unit")), GOV);
    assert_string_equal(json_string_value(json_object_get(w, "amount")), "95000.00");
    const char *voucher = json_string_value(json_object_get(w, "voucher"));
    assert_non_null(voucher);
    assert_true(!strcmp(voucher, "记-1") || !strcmp(voucher, "记-2"));
    const char *msg = json_string_value(json_object_get(w, "message"));
    assert_non_null(strstr(msg, "天津元亨物业有限公司"));
    assert_non_null(strstr(msg, "支付95000.00元"));
    assert_non_null(strstr(msg, "相隔3天"));
    assert_null(strchr(msg, '{'));
    const char *fp = json_string_value(json_object_get(w, "fingerprint"));
    assert_int_equal(strlen(fp), 64);
    assert_int_equal(strspn(fp, "0123456789abcdef"), 64);
    json_t *lines = json_object_get(json_object_get(w, "evidence"), "lines");
    assert_true(json_array_size(lines) >= 2);
    /* A rescan finds the same warning under the same fingerprint. */
    run again;
    scan_text(&again, NULL, 1);
    json_t *w2 = first_of(&again, "dup_payment");
    assert_string_equal(json_string_value(json_object_get(w2, "fingerprint")), fp);
    json_decref(w2);
    run_free(&again);
    /* The voucher made and reviewed by one person is named too. */
    json_t *sod = NULL;
    for (size_t i = 0; i < r.res.n && !sod; i++)
        if (r.cat->rules[r.res.w[i].rule].prim == PRIM_SAME_MAKER_REVIEWER)
            sod = eng_warning_json(r.s, r.cat, cal, &r.res.w[i]);
    assert_non_null(sod);
    assert_string_equal(json_string_value(json_object_get(sod, "voucher")), "记-3");
    json_decref(sod);
    json_decref(w);
    run_free(&r);
}

/* Valid UTF-8, checked by hand (not by the code under test). */
static bool utf8_ok(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = *p < 0x80             ? 0
                : (*p & 0xE0) == 0xC0 ? 1
                : (*p & 0xF0) == 0xE0 ? 2
                : (*p & 0xF8) == 0xF0 ? 3
                                      : -1;
        if (n < 0)
            return false;
        p++;
        for (int i = 0; i < n; i++, p++)
            if ((*p & 0xC0) != 0x80)
                return false;
    }
    return true;
}

/* A catalog of one dup_payment rule with the given message. */
static char *catalog_with_message(const char *message)
{
    json_t *rule = json_pack("{s:s,s:s,s:s,s:s,s:{s:i,s:i},s:s}", "id", "dup_payment", "item",
                             "F03", "primitive", "dup_payment", "severity", "high", "params",
                             "min_amount", 1000, "window_days", 7, "message", message);
    json_t *doc =
        json_pack("{s:s,s:s,s:[o]}", "format", "auditgrid-rules/1", "version", "t", "rules", rule);
    char *t = json_dumps(doc, 0);
    json_decref(doc);
    return t;
}

static void messages_are_bounded_and_cut_on_a_character(void **state)
{
    (void)state;
    /* 1,500 × "{counterparty}" fills to 1,500 × 30 bytes: far past the bound. */
    ag_buf b;
    ag_buf_init(&b, 1 << 20);
    assert_int_equal(ag_buf_adds(&b, "甲{nope}"), AG_OK);
    for (int i = 0; i < 1500; i++)
        assert_int_equal(ag_buf_adds(&b, "{counterparty}"), AG_OK);
    char *cat = catalog_with_message(ag_buf_str(&b));
    run r;
    scan_text(&r, cat, 1);
    json_t *w = first_of(&r, "dup_payment");
    assert_non_null(w);
    const char *msg = json_string_value(json_object_get(w, "message"));
    size_t len = strlen(msg);
    assert_true(len <= 8192 + strlen("…"));
    assert_true(len > 8000);
    assert_string_equal(msg + len - strlen("…"), "…");
    assert_true(utf8_ok(msg));
    /* Unknown names stay as written; known ones are filled. */
    assert_memory_equal(msg, "甲{nope}天津元亨物业有限公司",
                        strlen("甲{nope}天津元亨物业有限公司"));
    json_decref(w);
    run_free(&r);
    free(cat);
    /* A template cut inside its own text keeps whole characters too. */
    ag_buf_reset(&b);
    for (int i = 0; i < 3000; i++)
        assert_int_equal(ag_buf_adds(&b, "审"), AG_OK);
    cat = catalog_with_message(ag_buf_str(&b));
    scan_text(&r, cat, 1);
    w = first_of(&r, "dup_payment");
    msg = json_string_value(json_object_get(w, "message"));
    assert_true(utf8_ok(msg));
    assert_int_equal(strlen(msg), 8190 + strlen("…")); /* 2,730 whole characters */
    json_decref(w);
    run_free(&r);
    free(cat);
    ag_buf_release(&b);
}

static int setup(void **state)
{
    (void)state;
    ag_error err;
    return calendar_load_default(&cal, &err) == AG_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    calendar_free(cal);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_same_warnings_on_any_thread_count),
        cmocka_unit_test(a_warning_is_the_json_of_the_design),
        cmocka_unit_test(messages_are_bounded_and_cut_on_a_character),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
