/* catalog.c - loading, validating and versioning the audit-item catalog. */
#include "domain/catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "util/hash.h"
#include "util/banned.h"

extern const unsigned char ag_res_items_json[];
extern const size_t ag_res_items_json_len;

#define CATALOG_MAX_ITEMS 200

ag_err catalog_latest(ag_store *st, int64_t *version, ag_error *err)
{
    ag_err rc =
        store_query_int(st, version, err,
                        "SELECT version FROM catalog_version ORDER BY version DESC LIMIT 1", NULL);
    if (rc == AG_ERR_NOTFOUND)
        return ag_fail(err, rc, "catalog", "尚未安装审计事项目录；请先运行 auditgrid init",
                       "no catalog installed; run `auditgrid init` first");
    return rc;
}

static const char *str_field(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Checks the document and returns its items array. */
static ag_err validate(json_t *doc, const char *name, json_t **items_out, ag_error *err)
{
    char where[300];
    if (!json_is_object(doc) || !str_field(doc, "format") ||
        strcmp(str_field(doc, "format"), "auditgrid-catalog/1") != 0)
        return ag_fail(err, AG_ERR_INPUT, name,
                       "不是审计事项目录文件（format 应为 auditgrid-catalog/1）",
                       "not a catalog file (format must be auditgrid-catalog/1)");
    json_t *items = json_object_get(doc, "items");
    if (!json_is_array(items) || json_array_size(items) == 0 ||
        json_array_size(items) > CATALOG_MAX_ITEMS)
        return ag_fail(err, AG_ERR_INPUT, name, "items 应为含1-%d项的数组",
                       "items must be an array of 1 to %d entries", CATALOG_MAX_ITEMS);
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *it = json_array_get(items, i);
        snprintf(where, sizeof where, "%s:items[%zu]", name, i);
        const char *code = str_field(it, "code"), *kind = str_field(it, "kind");
        if (!code || !*code || strlen(code) > 8)
            return ag_fail(err, AG_ERR_INPUT, where, "code 缺失或超过8个字符",
                           "code is missing or longer than 8 characters");
        if (!kind || (strcmp(kind, "fund") && strcmp(kind, "key")))
            return ag_fail(err, AG_ERR_INPUT, where, "事项 %s 的 kind 应为 fund 或 key",
                           "item %s: kind must be fund or key", code);
        if (!str_field(it, "name_zh") || !*str_field(it, "name_zh") || !str_field(it, "name_en"))
            return ag_fail(err, AG_ERR_INPUT, where, "事项 %s 缺少 name_zh 或 name_en",
                           "item %s lacks name_zh or name_en", code);
        json_t *params = json_object_get(it, "params");
        if (params && !json_is_object(params))
            return ag_fail(err, AG_ERR_INPUT, where, "事项 %s 的 params 应为对象",
                           "item %s: params must be an object", code);
        for (size_t j = 0; j < i; j++)
            if (strcmp(code, str_field(json_array_get(items, j), "code")) == 0)
                return ag_fail(err, AG_ERR_INPUT, where, "事项编号 %s 重复",
                               "item code %s appears twice", code);
    }
    *items_out = items;
    return AG_OK;
}

/* Digest of the item list, to recognise a catalog that is already installed. */
static void items_digest(json_t *items, char out[AG_SHA256_HEX])
{
    char *s = json_dumps(items, JSON_COMPACT | JSON_SORT_KEYS);
    ag_sha256_hex(s ? s : "", s ? strlen(s) : 0, out);
    free(s);
}

ag_err catalog_install_json(ag_store *st, const char *text, size_t len, const char *name,
                            int64_t *version, ag_error *err)
{
    json_error_t jerr;
    json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!doc) {
        char where[300];
        snprintf(where, sizeof where, "%s:%d:%d", name, jerr.line, jerr.column);
        return ag_fail(err, AG_ERR_INPUT, where, "JSON 格式错误：%s", "malformed JSON: %s",
                       jerr.text);
    }
    json_t *items = NULL;
    ag_err rc = validate(doc, name, &items, err);
    if (rc) {
        json_decref(doc);
        return rc;
    }
    /* The same items as the version in force: nothing to install. */
    int64_t latest = 0;
    json_t *cur = NULL;
    if (catalog_latest(st, &latest, NULL) == AG_OK &&
        catalog_get(st, latest, &cur, NULL) == AG_OK) {
        for (size_t i = 0; i < json_array_size(items); i++) {
            json_t *it = json_array_get(items, i);
            if (!json_object_get(it, "params"))
                json_object_set_new(it, "params", json_object());
            const char *opt[] = {"description_zh", "basis"};
            for (int k = 0; k < 2; k++)
                if (!json_object_get(it, opt[k]))
                    json_object_set_new(it, opt[k], json_null());
        }
        char a[AG_SHA256_HEX], b[AG_SHA256_HEX];
        items_digest(items, a);
        items_digest(json_object_get(cur, "items"), b);
        json_decref(cur);
        if (strcmp(a, b) == 0) {
            json_decref(doc);
            if (version)
                *version = latest;
            return AG_OK;
        }
    }
    char ts[21];
    ag_clock_format(ag_clock_now(), ts);
    rc = store_begin(st, err);
    if (rc) {
        json_decref(doc);
        return rc;
    }
    ag_err q = store_query_int(st, &latest, err,
                               "SELECT COALESCE(MAX(version), 0) FROM catalog_version", NULL);
    if (q)
        rc = q;
    int64_t ver = latest + 1;
    const char *source = str_field(doc, "source");
    ag_field vf[] = {ag_field_int("version", ver), ag_field_text("source", source ? source : name),
                     ag_field_text("note", str_field(doc, "note")),
                     ag_field_text("created_at", ts)};
    if (!rc)
        rc = store_insert(st, "catalog_version", "version", vf, 4, NULL, err);
    for (size_t i = 0; !rc && i < json_array_size(items); i++) {
        json_t *it = json_array_get(items, i);
        json_t *params = json_object_get(it, "params");
        char *ptext = params ? json_dumps(params, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
        ag_field f[] = {ag_field_int("version", ver),
                        ag_field_text("code", str_field(it, "code")),
                        ag_field_text("kind", str_field(it, "kind")),
                        ag_field_text("name_zh", str_field(it, "name_zh")),
                        ag_field_text("name_en", str_field(it, "name_en")),
                        ag_field_text("description_zh", str_field(it, "description_zh")),
                        ag_field_text("basis", str_field(it, "basis")),
                        ag_field_text("params", ptext ? ptext : "{}"),
                        ag_field_int("sort_order", (int64_t)i + 1)};
        rc = store_insert(st, "catalog_item", "id", f, sizeof f / sizeof f[0], NULL, err);
        free(ptext);
    }
    json_decref(doc);
    rc = store_end(st, rc, err);
    if (!rc && version)
        *version = ver;
    return rc;
}

ag_err catalog_get(ag_store *st, int64_t version, json_t **out, ag_error *err)
{
    *out = NULL;
    ag_err rc = AG_OK;
    if (version <= 0)
        rc = catalog_latest(st, &version, err);
    if (rc)
        return rc;
    ag_stmt *s = NULL;
    bool row = false;
    rc = store_prepare_args(
        st, &s, err,
        "SELECT version, source, note, created_at FROM catalog_version WHERE version = ?", "i",
        version);
    if (!rc)
        rc = store_step(s, &row, err);
    json_t *o = NULL;
    if (!rc && row) {
        o = json_object();
        json_object_set_new(o, "version", json_integer(store_col_int(s, 0)));
        json_object_set_new(o, "source", json_string(store_col_text(s, 1)));
        const char *note = store_col_text(s, 2);
        json_object_set_new(o, "note", note ? json_string(note) : json_null());
        json_object_set_new(o, "created_at", json_string(store_col_text(s, 3)));
    }
    store_finalize(s);
    if (rc)
        return rc;
    if (!o)
        return ag_fail(err, AG_ERR_NOTFOUND, "version", "目录版本 %lld 不存在",
                       "no catalog version %lld", (long long)version);
    json_t *items = json_array();
    json_object_set_new(o, "items", items);
    rc = store_prepare_args(st, &s, err,
                            "SELECT code, kind, name_zh, name_en, description_zh, basis, params"
                            " FROM catalog_item WHERE version = ? ORDER BY sort_order",
                            "i", version);
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        json_t *it = json_object();
        const char *keys[] = {"code", "kind", "name_zh", "name_en", "description_zh", "basis"};
        for (int i = 0; i < 6; i++) {
            const char *t = store_col_text(s, i);
            json_object_set_new(it, keys[i], t ? json_string(t) : json_null());
        }
        json_t *p = json_loads(store_col_text(s, 6), 0, NULL);
        json_object_set_new(it, "params", p ? p : json_object());
        json_array_append_new(items, it);
    }
    store_finalize(s);
    if (rc) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return AG_OK;
}

ag_err catalog_install_default(ag_store *st, int64_t *version, ag_error *err)
{
    /* An unchanged shipped catalog keeps the version in force (see
     * catalog_install_json). */
    return catalog_install_json(st, (const char *)ag_res_items_json, ag_res_items_json_len,
                                "catalog/items.json", version, err);
}
