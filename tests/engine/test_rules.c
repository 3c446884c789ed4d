/* test_rules.c - the rule catalog: the shipped rules load, every malformed catalog is refused. */
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
#include "util/calendar.h"
#include "util/banned.h"

/* A catalog document around the given rule objects. */
static char *doc(const char *rules)
{
    size_t n = strlen(rules) + 128;
    char *t = malloc(n);
    assert_non_null(t);
    snprintf(t, n, "{\"format\": \"auditgrid-rules/1\", \"version\": \"t1\", \"rules\": [%s]}",
             rules);
    return t;
}

/* Parses text as "t.json" and expects AG_ERR_INPUT at `where`, with `en`
 * in the English message. */
static void refused(const char *text, const char *where, const char *en)
{
    static eng_catalog stale;
    eng_catalog *c = &stale; /* the parser must reset it */
    ag_error err;
    ag_error_clear(&err);
    ag_err rc = eng_catalog_parse(text, strlen(text), "t.json", &c, &err);
    if (rc != AG_ERR_INPUT || strcmp(err.where, where) || !strstr(err.en, en))
        print_message("rc %d where '%s' en '%s'\n", rc, err.where, err.en);
    assert_int_equal(rc, AG_ERR_INPUT);
    assert_null(c);
    assert_string_equal(err.where, where);
    assert_non_null(strstr(err.en, en));
    assert_true(err.zh[0] != '\0');
}

static void refused_rule(const char *rule, const char *where, const char *en)
{
    char *t = doc(rule);
    refused(t, where, en);
    free(t);
}

#define GOOD_RULE(id)                                                                              \
    "{\"id\": \"" id "\", \"item\": \"F03\", \"primitive\": \"dup_payment\", "                     \
    "\"severity\": \"high\", \"params\": {\"min_amount\": 1000}, \"message\": \"重复{amount}\"}"

static eng_catalog *parsed(const char *text)
{
    eng_catalog *c = NULL;
    ag_error err;
    ag_error_clear(&err);
    ag_err rc = eng_catalog_parse(text, strlen(text), "t.json", &c, &err);
    if (rc)
        print_message("%s: %s\n", err.where, err.en);
    assert_int_equal(rc, AG_OK);
    assert_non_null(c);
    return c;
}

/* F01..F13 or K1..K7, checked independently of the loader. */
static int item_valid(const char *s)
{
    if (s[0] == 'F' && strlen(s) == 3) {
        int n = (s[1] - '0') * 10 + (s[2] - '0');
        return s[1] >= '0' && s[1] <= '9' && s[2] >= '0' && s[2] <= '9' && n >= 1 && n <= 13;
    }
    return s[0] == 'K' && strlen(s) == 2 && s[1] >= '1' && s[1] <= '7';
}

static void the_default_catalog_loads(void **state)
{
    (void)state;
    eng_catalog *c = NULL;
    ag_error err;
    assert_int_equal(eng_catalog_load_default(&c, &err), AG_OK);
    assert_int_equal(c->n, 15);
    assert_string_equal(c->version, "2026.1");
    assert_string_equal(c->source, "catalog/rules.json");
    bool used[PRIM_COUNT] = {false};
    for (size_t i = 0; i < c->n; i++) {
        const eng_rule *r = &c->rules[i];
        for (size_t k = 0; k < i; k++)
            assert_string_not_equal(c->rules[k].id, r->id);
        assert_true(item_valid(r->item));
        assert_true(!strcmp(r->severity, "high") || !strcmp(r->severity, "medium") ||
                    !strcmp(r->severity, "low"));
        assert_non_null(r->message);
        assert_true(r->message[0] != '\0');
        assert_true(json_is_object(r->params));
        assert_null(r->filter);
        /* the shipped rules use each primitive once, under its own name */
        assert_false(used[r->prim]);
        used[r->prim] = true;
        assert_string_equal(r->id, eng_prim_name(r->prim));
    }
    /* the parameters the docs quote */
    const eng_rule *near = NULL, *cash = NULL, *split = NULL;
    for (size_t i = 0; i < c->n; i++) {
        if (c->rules[i].prim == PRIM_NEAR_THRESHOLD)
            near = &c->rules[i];
        if (c->rules[i].prim == PRIM_CASH_OVER_LIMIT)
            cash = &c->rules[i];
        if (c->rules[i].prim == PRIM_SPLIT_PAYMENT)
            split = &c->rules[i];
    }
    assert_int_equal(json_array_size(json_object_get(near->params, "tiers")), 4);
    assert_true(eng_rule_num(near, "band", 0) == 0.95);
    assert_int_equal(eng_rule_fen(cash, "limit", 0), 100000);
    assert_int_equal(eng_rule_fen(split, "threshold", 0), 100000000);
    assert_int_equal((int)eng_rule_num(split, "window_days", 0), 30);
    eng_catalog_free(c);
}

/* The file on disk is the one compiled in. */
static void the_file_on_disk_matches_the_built_in_catalog(void **state)
{
    (void)state;
    const char *src = getenv("AG_SOURCE_DIR");
    if (!src)
        skip();
    char path[1024];
    snprintf(path, sizeof path, "%s/catalog/rules.json", src);
    eng_catalog *f = NULL, *d = NULL;
    ag_error err;
    assert_int_equal(eng_catalog_load_file(path, &f, &err), AG_OK);
    assert_int_equal(eng_catalog_load_default(&d, &err), AG_OK);
    assert_int_equal(f->n, d->n);
    assert_string_equal(f->source, path);
    for (size_t i = 0; i < f->n; i++) {
        assert_string_equal(f->rules[i].id, d->rules[i].id);
        assert_string_equal(f->rules[i].message, d->rules[i].message);
        assert_true(json_equal(f->rules[i].params, d->rules[i].params));
    }
    eng_catalog_free(f);
    eng_catalog_free(d);
}

static void a_minimal_rule_parses(void **state)
{
    (void)state;
    char *t = doc("{\"id\": \"r1\", \"item\": \"K7\", \"primitive\": \"voucher_gap\", "
                  "\"severity\": \"low\", \"message\": \"断号\", \"filter\": \"\"}, " GOOD_RULE(
                      "r2") ", {\"id\": \"r3\", \"item\": \"F13\", \"primitive\": "
                            "\"round_amount\", \"severity\": \"medium\", \"message\": \"m\", "
                            "\"filter\": \"counterparty == \\\"甲公司\\\"\", \"params\": "
                            "{\"multiple\": [1000, 10000]}}");
    eng_catalog *c = parsed(t);
    assert_int_equal(c->n, 3);
    assert_string_equal(c->version, "t1");
    assert_string_equal(c->source, "t.json");
    assert_int_equal(c->rules[0].prim, PRIM_VOUCHER_GAP);
    assert_string_equal(c->rules[0].item, "K7");
    assert_null(c->rules[0].filter); /* an empty filter is no filter */
    assert_true(json_is_object(c->rules[0].params));
    assert_int_equal(json_object_size(c->rules[0].params), 0);
    assert_int_equal(c->rules[1].prim, PRIM_DUP_PAYMENT);
    assert_int_equal(eng_rule_fen(&c->rules[1], "min_amount", 0), 100000);
    assert_string_equal(c->rules[2].item, "F13");
    assert_string_equal(c->rules[2].filter, "counterparty == \"甲公司\"");
    eng_catalog_free(c);
    free(t);
}

static void unknown_primitive_is_refused(void **state)
{
    (void)state;
    refused_rule("{\"id\": \"x\", \"item\": \"F03\", \"primitive\": \"dup_payments\", "
                 "\"severity\": \"high\", \"message\": \"m\"}",
                 "t.json:x", "unknown primitive 'dup_payments'");
    refused_rule("{\"id\": \"x\", \"item\": \"F03\", \"severity\": \"high\", \"message\": \"m\"}",
                 "t.json:x", "unknown primitive ''");
}

static void bad_items_are_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {"F14", "F00", "F19", "F1",  "F013", "K8",
                                      "K0",  "K10", "k1",  "f01", "",     "X1"};
    char rule[256];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(rule, sizeof rule,
                 "{\"id\": \"x\", \"item\": \"%s\", \"primitive\": \"dup_payment\", "
                 "\"severity\": \"high\", \"message\": \"m\"}",
                 bad[i]);
        char en[64];
        snprintf(en, sizeof en, "item '%s' is not F01-F13 or K1-K7", bad[i]);
        refused_rule(rule, "t.json:x", en);
    }
    refused_rule("{\"id\": \"x\", \"item\": 3, \"primitive\": \"dup_payment\", "
                 "\"severity\": \"high\", \"message\": \"m\"}",
                 "t.json:x", "item '' is not");
    /* the edges that are fine */
    static const char *const good[] = {"F01", "F09", "F10", "F13", "K1", "K7"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        snprintf(rule, sizeof rule,
                 "{\"id\": \"x\", \"item\": \"%s\", \"primitive\": \"dup_payment\", "
                 "\"severity\": \"high\", \"message\": \"m\"}",
                 good[i]);
        char *t = doc(rule);
        eng_catalog *c = parsed(t);
        assert_string_equal(c->rules[0].item, good[i]);
        eng_catalog_free(c);
        free(t);
    }
}

static void bad_severity_is_refused(void **state)
{
    (void)state;
    refused_rule("{\"id\": \"x\", \"item\": \"F03\", \"primitive\": \"dup_payment\", "
                 "\"severity\": \"critical\", \"message\": \"m\"}",
                 "t.json:x", "severity 'critical' is not high, medium or low");
    refused_rule("{\"id\": \"x\", \"item\": \"F03\", \"primitive\": \"dup_payment\", "
                 "\"severity\": \"High\", \"message\": \"m\"}",
                 "t.json:x", "severity 'High'");
    refused_rule("{\"id\": \"x\", \"item\": \"F03\", \"primitive\": \"dup_payment\", "
                 "\"message\": \"m\"}",
                 "t.json:x", "severity ''");
}

static void duplicate_ids_are_refused(void **state)
{
    (void)state;
    refused_rule(GOOD_RULE("a") ", " GOOD_RULE("b") ", " GOOD_RULE("a"), "t.json:a",
                 "duplicate rule id");
}

static void non_numeric_parameters_are_refused(void **state)
{
    (void)state;
    refused_rule("{\"id\": \"x\", \"item\": \"F03\", \"primitive\": \"dup_payment\", "
                 "\"severity\": \"high\", \"message\": \"m\", \"params\": {\"min_amount\": "
                 "\"1000\"}}",
                 "t.json:x", "parameter min_amount must be a number or an array of up to 32");
    /* Parameters are bounded so yuan-to-fen conversion cannot overflow. */
    refused_rule("{\"id\": \"x\", \"item\": \"F03\", \"primitive\": \"dup_payment\", "
                 "\"severity\": \"high\", \"message\": \"m\", \"params\": {\"min_amount\": "
                 "1e15}}",
                 "t.json:x", "parameter min_amount must be");
    refused_rule("{\"id\": \"x\", \"item\": \"F03\", \"primitive\": \"near_threshold\", "
                 "\"severity\": \"high\", \"message\": \"m\", \"params\": {\"tiers\": [50000, "
                 "\"100000\"]}}",
                 "t.json:x", "parameter tiers must be");
    refused_rule("{\"id\": \"x\", \"item\": \"F03\", \"primitive\": \"near_threshold\", "
                 "\"severity\": \"high\", \"message\": \"m\", \"params\": {\"tiers\": []}}",
                 "t.json:x", "parameter tiers must be");
    refused_rule("{\"id\": \"x\", \"item\": \"F03\", \"primitive\": \"dup_payment\", "
                 "\"severity\": \"high\", \"message\": \"m\", \"params\": {\"on\": true}}",
                 "t.json:x", "parameter on must be");
    refused_rule("{\"id\": \"x\", \"item\": \"F03\", \"primitive\": \"dup_payment\", "
                 "\"severity\": \"high\", \"message\": \"m\", \"params\": {\"w\": null}}",
                 "t.json:x", "parameter w must be");
    refused_rule("{\"id\": \"x\", \"item\": \"F03\", \"primitive\": \"dup_payment\", "
                 "\"severity\": \"high\", \"message\": \"m\", \"params\": [1000]}",
                 "t.json:x", "params must be an object");
}

static void malformed_json_names_line_and_column(void **state)
{
    (void)state;
    refused(
        "{\n  \"format\": \"auditgrid-rules/1\",\n  \"rules\": [\n    {\"id\": \"a\",}\n  ]\n}\n",
        "t.json:4:16", "malformed JSON");
    refused("{\"format\": \"auditgrid-rules/1\", \"rules\": [", "t.json:1:42", "malformed JSON");
    refused("", "t.json:1:0", "malformed JSON");
    /* a key twice in one object is refused rather than silently taking one */
    refused_rule("{\"id\": \"x\", \"id\": \"y\", \"item\": \"F03\", \"primitive\": "
                 "\"dup_payment\", \"severity\": \"high\", \"message\": \"m\"}",
                 "t.json:1:75", "duplicate object key");
}

static void missing_message_or_id_is_refused(void **state)
{
    (void)state;
    refused_rule("{\"id\": \"x\", \"item\": \"F03\", \"primitive\": \"dup_payment\", "
                 "\"severity\": \"high\"}",
                 "t.json:x", "the rule needs a message template");
    refused_rule("{\"id\": \"x\", \"item\": \"F03\", \"primitive\": \"dup_payment\", "
                 "\"severity\": \"high\", \"message\": \"\"}",
                 "t.json:x", "the rule needs a message template");
    refused_rule("{\"item\": \"F03\", \"primitive\": \"dup_payment\", \"severity\": \"high\", "
                 "\"message\": \"m\"}",
                 "t.json:rules[0]", "a rule needs an id");
    refused_rule(GOOD_RULE("a") ", {\"id\": \"012345678901234567890123456789012345678901234567\","
                                " \"item\": \"F03\", \"primitive\": \"dup_payment\", "
                                "\"severity\": \"high\", \"message\": \"m\"}",
                 "t.json:rules[1]", "at most 47 bytes");
    refused_rule("{\"id\": \"x\", \"item\": \"F03\", \"primitive\": \"dup_payment\", "
                 "\"severity\": \"high\", \"message\": \"m\", \"filter\": 5}",
                 "t.json:x", "filter must be a string");
}

static void a_document_that_is_not_a_catalog_is_refused(void **state)
{
    (void)state;
    refused("{\"format\": \"auditgrid-catalog/1\", \"rules\": [" GOOD_RULE("a") "]}", "t.json",
            "not a rules file");
    refused("{\"format\": \"auditgrid-rules/1\", \"rules\": []}", "t.json", "not a rules file");
    refused("{\"format\": \"auditgrid-rules/1\", \"rules\": {}}", "t.json", "not a rules file");
    refused("[1, 2]", "t.json", "not a rules file");
}

static void parameters_in_yuan_become_exact_fen(void **state)
{
    (void)state;
    char *t = doc("{\"id\": \"x\", \"item\": \"F03\", \"primitive\": \"dup_payment\", "
                  "\"severity\": \"high\", \"message\": \"m\", \"params\": {\"a\": 47500, "
                  "\"b\": 47500.0, \"c\": 0.01, \"d\": 0.29, \"e\": 19.99, \"f\": 1000.01, "
                  "\"g\": 0.07, \"h\": 12345678.91, \"i\": 1.1, \"j\": 0, \"k\": -0.58, "
                  "\"window_days\": 7}}");
    eng_catalog *c = parsed(t);
    const eng_rule *r = &c->rules[0];
    assert_int_equal(eng_rule_fen(r, "a", 0), 4750000);
    assert_int_equal(eng_rule_fen(r, "b", 0), 4750000);
    assert_int_equal(eng_rule_fen(r, "c", 0), 1);
    assert_int_equal(eng_rule_fen(r, "d", 0), 29);
    assert_int_equal(eng_rule_fen(r, "e", 0), 1999);
    assert_int_equal(eng_rule_fen(r, "f", 0), 100001);
    assert_int_equal(eng_rule_fen(r, "g", 0), 7);
    assert_int_equal(eng_rule_fen(r, "h", 0), 1234567891);
    assert_int_equal(eng_rule_fen(r, "i", 0), 110);
    assert_int_equal(eng_rule_fen(r, "j", 5), 0);
    assert_int_equal(eng_rule_fen(r, "k", 0), -58);
    assert_int_equal(eng_rule_fen(r, "absent", 500000), 50000000);
    assert_true(eng_rule_num(r, "window_days", 0) == 7);
    assert_true(eng_rule_num(r, "c", 0) == 0.01);
    assert_true(eng_rule_num(r, "absent", 0.25) == 0.25);
    eng_catalog_free(c);
    free(t);
}

static void primitive_names_round_trip(void **state)
{
    (void)state;
    for (int p = 0; p < PRIM_COUNT; p++) {
        char rule[256];
        snprintf(rule, sizeof rule,
                 "{\"id\": \"x\", \"item\": \"K2\", \"primitive\": \"%s\", "
                 "\"severity\": \"low\", \"message\": \"m\"}",
                 eng_prim_name((eng_prim)p));
        char *t = doc(rule);
        eng_catalog *c = parsed(t);
        assert_int_equal(c->rules[0].prim, p);
        eng_catalog_free(c);
        free(t);
    }
    assert_string_equal(eng_prim_name(PRIM_COUNT), "?");
    eng_catalog_free(NULL);
}

static void a_missing_or_oversized_file_is_refused(void **state)
{
    (void)state;
    eng_catalog *c = NULL;
    ag_error err;
    assert_int_equal(eng_catalog_load_file("/nonexistent/rules.json", &c, &err), AG_ERR_IO);
    assert_null(c);
    assert_string_equal(err.where, "/nonexistent/rules.json");

    char path[1024];
    ag_test_path(path, sizeof path, "rules-big.json");
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    for (int i = 0; i < (1 << 20) / 8 + 1; i++)
        fputs("        ", f);
    fclose(f);
    assert_int_equal(eng_catalog_load_file(path, &c, &err), AG_ERR_INPUT);
    assert_non_null(strstr(err.en, "over 1 MiB"));
    unlink(path);
}

/* A filter that does not compile stops the scan before anything runs, and
 * the error names the catalog, the rule and the position in the filter. */
static void a_bad_filter_fails_the_scan_naming_the_rule(void **state)
{
    (void)state;
    char path[1024];
    ag_test_path(path, sizeof path, "rules-filter.csv");
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("unit_code,voucher_date,voucher_no,account_code,debit,credit\n"
          "12120104MB0100001K,2024-03-04,1,5001,100.00,\n"
          "12120104MB0100001K,2024-03-04,1,1002,,100.00\n",
          f);
    fclose(f);
    char *t = doc(GOOD_RULE("fine") ", {\"id\": \"bad_one\", \"item\": \"K2\", \"primitive\": "
                                    "\"round_amount\", \"severity\": \"low\", \"message\": \"m\", "
                                    "\"filter\": \"acount == \\\"1002\\\"\"}");
    eng_catalog *c = parsed(t);
    ag_calendar *cal;
    ag_error err;
    assert_int_equal(calendar_load_default(&cal, &err), AG_OK);
    eng_snapshot *s;
    eng_load_opts lo = {eng_catalog_columns(c), 1, NULL, false};
    const char *paths[1] = {path};
    assert_int_equal(eng_snapshot_from_csv(paths, 1, NULL, &lo, &s, &err), AG_OK);
    eng_result res;
    ag_error_clear(&err);
    assert_int_equal(eng_scan(s, c, cal, 2, &res, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "t.json:bad_one:filter:1");
    assert_non_null(strstr(err.en, "acount"));
    assert_null(res.w);
    assert_int_equal(res.n, 0);

    /* a type error points into the filter */
    eng_catalog_free(c);
    free(t);
    t = doc("{\"id\": \"typed\", \"item\": \"K2\", \"primitive\": \"round_amount\", "
            "\"severity\": \"low\", \"message\": \"m\", \"filter\": \"account == 1002\"}");
    c = parsed(t);
    assert_int_equal(eng_scan(s, c, cal, 1, &res, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "t.json:typed:filter:12");
    eng_snapshot_free(s);
    eng_catalog_free(c);
    calendar_free(cal);
    free(t);
    unlink(path);
}

/* Only the optional columns a filter names are loaded. */
static void filters_ask_for_the_columns_they_name(void **state)
{
    (void)state;
    char *t = doc("{\"id\": \"a\", \"item\": \"K2\", \"primitive\": \"round_amount\", "
                  "\"severity\": \"low\", \"message\": \"m\", \"filter\": \"summary *= "
                  "\\\"招待\\\" && dept == \\\"办公室\\\"\"}, " GOOD_RULE("b"));
    eng_catalog *c = parsed(t);
    assert_int_equal(eng_catalog_columns(c), ENG_OPT_SUMMARY | ENG_OPT_DEPT);
    eng_catalog_free(c);
    free(t);
    assert_int_equal(eng_catalog_load_default(&c, NULL), AG_OK);
    assert_int_equal(eng_catalog_columns(c), 0);
    eng_catalog_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_default_catalog_loads),
        cmocka_unit_test(the_file_on_disk_matches_the_built_in_catalog),
        cmocka_unit_test(a_minimal_rule_parses),
        cmocka_unit_test(unknown_primitive_is_refused),
        cmocka_unit_test(bad_items_are_refused),
        cmocka_unit_test(bad_severity_is_refused),
        cmocka_unit_test(duplicate_ids_are_refused),
        cmocka_unit_test(non_numeric_parameters_are_refused),
        cmocka_unit_test(malformed_json_names_line_and_column),
        cmocka_unit_test(missing_message_or_id_is_refused),
        cmocka_unit_test(a_document_that_is_not_a_catalog_is_refused),
        cmocka_unit_test(parameters_in_yuan_become_exact_fen),
        cmocka_unit_test(primitive_names_round_trip),
        cmocka_unit_test(a_missing_or_oversized_file_is_refused),
        cmocka_unit_test(a_bad_filter_fails_the_scan_naming_the_rule),
        cmocka_unit_test(filters_ask_for_the_columns_they_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
