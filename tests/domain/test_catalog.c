/* test_catalog.c - the versioned catalog: the shipped 13+7 items, new versions, refused files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/catalog.h"
#include "../testutil.h"

static int64_t count(ag_store *st, const char *sql)
{
    int64_t n = -1;
    ag_error err;
    must(store_query_int(st, &n, &err, sql, NULL), &err);
    return n;
}

static void assert_contains(const char *haystack, const char *needle)
{
    if (!strstr(haystack, needle))
        fail_msg("expected \"%s\" in \"%s\"", needle, haystack);
}

static ag_store *fresh_db(const char *name)
{
    char path[1024];
    ag_test_path(path, sizeof path, name);
    ag_store *st = NULL;
    ag_error err;
    must(store_open(path, AG_STORE_CREATE, &st, &err), &err);
    return st;
}

/* catalog/items.json from the source tree, independently of the copy that
 * is compiled in. Caller owns the result. */
static json_t *shipped_items_json(void)
{
    const char *src = getenv("AG_SOURCE_DIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/catalog/items.json", src && *src ? src : ".");
    json_error_t jerr;
    json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!doc)
        fail_msg("%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
    return doc;
}

static const char *str(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* Installs doc (dumped to text) under `name`. */
static ag_err install_doc(ag_store *st, json_t *doc, const char *name, int64_t *version,
                          ag_error *err)
{
    char *text = json_dumps(doc, JSON_INDENT(2));
    assert_non_null(text);
    ag_err rc = catalog_install_json(st, text, strlen(text), name, version, err);
    free(text);
    return rc;
}

/* ---- the default catalog ------------------------------------------------ */

static void the_default_catalog_is_version_1_with_13_fund_and_7_key_items(void **state)
{
    (void)state;
    ag_store *st = fresh_db("default.db");
    ag_error err;
    int64_t v = 0;
    assert_int_equal(catalog_latest(st, &v, &err), AG_ERR_NOTFOUND);
    json_t *none = NULL;
    assert_int_equal(catalog_get(st, 0, &none, &err), AG_ERR_NOTFOUND);
    assert_null(none);
    must(catalog_install_default(st, &v, &err), &err);
    assert_int_equal(v, 1);
    int64_t latest = 0;
    must(catalog_latest(st, &latest, &err), &err);
    assert_int_equal(latest, 1);

    json_t *cat = NULL;
    must(catalog_get(st, 1, &cat, &err), &err);
    assert_int_equal(json_integer_value(json_object_get(cat, "version")), 1);
    assert_string_equal(str(cat, "source"), "default");
    /* The note says where the defaults come from (DESIGN §1). */
    assert_contains(str(cat, "note"), "审计署令第11号");
    json_t *items = json_object_get(cat, "items");
    assert_int_equal(json_array_size(items), 20);
    for (int i = 0; i < 20; i++) {
        char code[8];
        if (i < 13)
            snprintf(code, sizeof code, "F%02d", i + 1);
        else
            snprintf(code, sizeof code, "K%d", i - 12);
        json_t *it = json_array_get(items, (size_t)i);
        assert_string_equal(str(it, "code"), code);
        assert_string_equal(str(it, "kind"), i < 13 ? "fund" : "key");
    }
    /* A few names as DESIGN.md lists them. */
    assert_string_equal(str(json_array_get(items, 0), "name_zh"), "银行账户管理");
    assert_string_equal(str(json_array_get(items, 12), "name_zh"), "出借、担保、投资与公款存放");
    assert_string_equal(str(json_array_get(items, 15), "name_zh"), "“三重一大”决策");
    assert_string_equal(str(json_array_get(items, 19), "name_zh"), "内部控制与上轮整改落实");

    /* Every field matches catalog/items.json, item by item. */
    json_t *doc = shipped_items_json();
    json_t *want = json_object_get(doc, "items");
    assert_int_equal(json_array_size(want), 20);
    for (size_t i = 0; i < 20; i++) {
        json_t *w = json_array_get(want, i), *g = json_array_get(items, i);
        const char *fields[] = {"code", "kind", "name_zh", "name_en", "description_zh", "basis"};
        for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++) {
            const char *a = str(w, fields[k]), *b = str(g, fields[k]);
            if (!a || !b || strcmp(a, b) != 0)
                fail_msg("item %zu field %s: file \"%s\", stored \"%s\"", i, fields[k],
                         a ? a : "(null)", b ? b : "(null)");
        }
        if (!json_equal(json_object_get(w, "params"), json_object_get(g, "params")))
            fail_msg("item %s: params differ", str(w, "code"));
    }
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(json_array_get(items, 1), "params"), "cash_limit_yuan")),
                     1000);
    json_decref(doc);
    json_decref(cat);
    /* One audited write for the version and one per item. */
    assert_int_equal(count(st, "SELECT COUNT(*) FROM audit_log"), 21);
    store_close(st);
}

static void installing_the_default_again_keeps_version_1(void **state)
{
    (void)state;
    ag_store *st = fresh_db("default-twice.db");
    ag_error err;
    int64_t v = 0;
    must(catalog_install_default(st, &v, &err), &err);
    int64_t entries = count(st, "SELECT COUNT(*) FROM audit_log");
    v = 0;
    must(catalog_install_default(st, &v, &err), &err);
    assert_int_equal(v, 1);
    must(catalog_install_default(st, NULL, &err), &err);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM catalog_version"), 1);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM catalog_item"), 20);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM audit_log"), entries);
    store_close(st);
}

/* ---- new versions ------------------------------------------------------- */

static void changed_params_make_a_new_version_and_the_old_stays_readable(void **state)
{
    (void)state;
    ag_store *st = fresh_db("v2.db");
    ag_error err;
    int64_t v = 0;
    must(catalog_install_default(st, &v, &err), &err);
    json_t *doc = shipped_items_json();
    json_t *f02 = json_array_get(json_object_get(doc, "items"), 1);
    assert_string_equal(str(f02, "code"), "F02");
    json_object_set_new(json_object_get(f02, "params"), "cash_limit_yuan", json_integer(2000));
    json_object_set_new(doc, "source", json_string("区审计局 2026 修订"));
    must(install_doc(st, doc, "catalog-2026.json", &v, &err), &err);
    assert_int_equal(v, 2);
    json_decref(doc);

    json_t *v1 = NULL, *v2 = NULL, *latest = NULL;
    must(catalog_get(st, 1, &v1, &err), &err);
    must(catalog_get(st, 2, &v2, &err), &err);
    must(catalog_get(st, 0, &latest, &err), &err);
    json_t *p1 = json_object_get(json_array_get(json_object_get(v1, "items"), 1), "params");
    json_t *p2 = json_object_get(json_array_get(json_object_get(v2, "items"), 1), "params");
    assert_int_equal(json_integer_value(json_object_get(p1, "cash_limit_yuan")), 1000);
    assert_int_equal(json_integer_value(json_object_get(p2, "cash_limit_yuan")), 2000);
    assert_string_equal(str(v1, "source"), "default");
    assert_string_equal(str(v2, "source"), "区审计局 2026 修订");
    assert_true(json_equal(latest, v2));
    assert_int_equal(json_array_size(json_object_get(v1, "items")), 20);
    assert_int_equal(json_array_size(json_object_get(v2, "items")), 20);
    json_decref(v1);
    json_decref(v2);
    json_decref(latest);
    json_t *none = NULL;
    assert_int_equal(catalog_get(st, 3, &none, &err), AG_ERR_NOTFOUND);
    assert_null(none);

    /* The default is not the latest any more, so installing it again makes
     * version 3 with the shipped values (header contract). */
    must(catalog_install_default(st, &v, &err), &err);
    assert_int_equal(v, 3);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM catalog_version"), 3);
    store_close(st);
}

static void optional_fields_may_be_left_out(void **state)
{
    (void)state;
    ag_store *st = fresh_db("minimal.db");
    const char text[] = "{\"format\": \"auditgrid-catalog/1\", \"items\": ["
                        "{\"code\": \"X1\", \"kind\": \"fund\", \"name_zh\": \"试点事项\","
                        " \"name_en\": \"Pilot item\"}]}";
    ag_error err;
    int64_t v = 0;
    must(catalog_install_json(st, text, sizeof text - 1, "minimal.json", &v, &err), &err);
    assert_int_equal(v, 1);
    json_t *cat = NULL;
    must(catalog_get(st, v, &cat, &err), &err);
    /* Without a source the file name is recorded. */
    assert_string_equal(str(cat, "source"), "minimal.json");
    assert_true(json_is_null(json_object_get(cat, "note")));
    json_t *it = json_array_get(json_object_get(cat, "items"), 0);
    assert_true(json_is_null(json_object_get(it, "description_zh")));
    assert_true(json_is_null(json_object_get(it, "basis")));
    json_t *params = json_object_get(it, "params");
    assert_true(json_is_object(params));
    assert_int_equal(json_object_size(params), 0);
    json_decref(cat);
    store_close(st);
}

/* ---- refused files ------------------------------------------------------ */

/* Installs text and expects AG_ERR_INPUT at `where` (prefix) saying `what`,
 * with no new version, no new item and no audit entry. */
static void refused(ag_store *st, const char *text, const char *where, const char *what)
{
    int64_t versions = count(st, "SELECT COUNT(*) FROM catalog_version");
    int64_t items = count(st, "SELECT COUNT(*) FROM catalog_item");
    int64_t entries = count(st, "SELECT COUNT(*) FROM audit_log");
    ag_error err;
    int64_t v = -1;
    ag_err rc = catalog_install_json(st, text, strlen(text), "bad.json", &v, &err);
    if (rc != AG_ERR_INPUT)
        fail_msg("expected input rejected, got %s (%s) for:\n%s", ag_err_name(rc), err.en, text);
    if (strncmp(err.where, where, strlen(where)) != 0)
        fail_msg("expected the error at \"%s\", got \"%s\"", where, err.where);
    assert_contains(err.en, what);
    assert_int_equal(v, -1);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM catalog_version"), versions);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM catalog_item"), items);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM audit_log"), entries);
    assert_false(store_in_tx(st));
}

#define HEAD "{\"format\": \"auditgrid-catalog/1\",\n \"items\": [\n"
#define ITEM(code, kind)                                                                           \
    "{\"code\": \"" code "\", \"kind\": \"" kind "\", \"name_zh\": \"事项\", \"name_en\": "      \
    "\"item\"}"

static void malformed_or_invalid_catalogs_are_refused_and_write_nothing(void **state)
{
    (void)state;
    ag_store *st = fresh_db("refused.db");
    ag_error err;
    int64_t v = 0;
    must(catalog_install_default(st, &v, &err), &err);

    /* Malformed JSON: the error names file:line:column. */
    refused(st, HEAD "  {\"code\": \"F01\",, }\n]}\n", "bad.json:3:18", "malformed JSON");
    refused(st, "", "bad.json:", "malformed JSON");
    /* Duplicate keys, at the top and inside an item. */
    refused(st, HEAD ITEM("X1", "fund") "],\n \"format\": \"auditgrid-catalog/1\"}",
            "bad.json:4:", "duplicate");
    refused(st,
            HEAD "{\"code\": \"X1\", \"code\": \"X2\", \"kind\": \"fund\", \"name_zh\": \"a\","
                 " \"name_en\": \"a\"}]}",
            "bad.json:3:", "duplicate");
    /* Duplicate item codes: the second one is named. */
    refused(st, HEAD ITEM("F01", "fund") ",\n" ITEM("F02", "fund") ",\n" ITEM("F01", "key") "]}",
            "bad.json:items[2]", "F01 appears twice");
    /* A kind other than fund or key. */
    refused(st, HEAD ITEM("F01", "fund") ",\n" ITEM("K1", "risk") "]}", "bad.json:items[1]",
            "kind must be fund or key");
    /* The wrong format string, or none. */
    refused(st, "{\"format\": \"auditgrid-catalog/2\", \"items\": [" ITEM("F01", "fund") "]}",
            "bad.json", "auditgrid-catalog/1");
    refused(st, "{\"items\": [" ITEM("F01", "fund") "]}", "bad.json", "auditgrid-catalog/1");
    refused(st, "[" ITEM("F01", "fund") "]", "bad.json", "auditgrid-catalog/1");
    /* Other shapes the header rules out. */
    refused(st, HEAD "]}", "bad.json", "items must be an array");
    refused(st, "{\"format\": \"auditgrid-catalog/1\", \"items\": {}}", "bad.json",
            "items must be an array");
    refused(st,
            HEAD "{\"code\": \"F01\", \"kind\": \"fund\", \"name_zh\": \"\", \"name_en\": \"x\"}]}",
            "bad.json:items[0]", "lacks name_zh");
    refused(st, HEAD "{\"kind\": \"fund\", \"name_zh\": \"x\", \"name_en\": \"x\"}]}",
            "bad.json:items[0]", "code is missing");
    refused(st,
            HEAD "{\"code\": \"F01\", \"kind\": \"fund\", \"name_zh\": \"x\", \"name_en\": \"x\","
                 " \"params\": [1]}]}",
            "bad.json:items[0]", "params must be an object");
    refused(st,
            HEAD "{\"code\": \"F01234567\", \"kind\": \"fund\", \"name_zh\": \"x\","
                 " \"name_en\": \"x\"}]}",
            "bad.json:items[0]", "longer than 8");

    /* Version 1 is still the latest and intact. */
    int64_t latest = 0;
    must(catalog_latest(st, &latest, &err), &err);
    assert_int_equal(latest, 1);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM catalog_item"), 20);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_default_catalog_is_version_1_with_13_fund_and_7_key_items),
        cmocka_unit_test(installing_the_default_again_keeps_version_1),
        cmocka_unit_test(changed_params_make_a_new_version_and_the_old_stays_readable),
        cmocka_unit_test(optional_fields_may_be_left_out),
        cmocka_unit_test(malformed_or_invalid_catalogs_are_refused_and_write_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
