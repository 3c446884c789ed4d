/* names.c - display names for stored actor strings and unit codes, for the API's read paths. */
#include "domain/names.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util/banned.h"

/* Copies s into out (n > 0 bytes), cut before a partial UTF-8 character. */
static void copy_utf8(char *out, size_t n, const char *s)
{
    size_t len = strlen(s);
    if (len >= n) {
        len = n - 1;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
    }
    memcpy(out, s, len);
    out[len] = '\0';
}

static bool has_prefix(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

names_kind names_actor(ag_store *st, const char *actor, char *out, size_t n, ag_error *err)
{
    out[0] = '\0';
    if (!actor)
        return NAMES_OTHER;
    if (has_prefix(actor, "person:")) {
        copy_utf8(out, n, actor + 7);
        return NAMES_PERSON;
    }
    if (has_prefix(actor, "cli:")) {
        copy_utf8(out, n, "命令行");
        return NAMES_CLI;
    }
    if (!strcmp(actor, "system") || has_prefix(actor, "system:")) {
        copy_utf8(out, n, "系统");
        return NAMES_SYSTEM;
    }
    if (has_prefix(actor, "http:")) {
        copy_utf8(out, n, "未登录用户");
        return NAMES_ANONYMOUS;
    }
    if (!has_prefix(actor, "user:")) {
        copy_utf8(out, n, actor);
        return NAMES_OTHER;
    }
    const char *username = actor + 5;
    copy_utf8(out, n, username);
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc =
        store_prepare_args(st, &s, err,
                           "SELECT COALESCE(p.name, u.display_name, u.username) FROM app_user u"
                           " LEFT JOIN person p ON p.id = u.person_id WHERE u.username = ?",
                           "t", username);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row && !store_col_is_null(s, 0))
        copy_utf8(out, n, store_col_text(s, 0));
    store_finalize(s);
    return NAMES_USER;
}

const char *names_kind_word(names_kind k)
{
    switch (k) {
    case NAMES_USER:
        return "user";
    case NAMES_PERSON:
        return "person";
    case NAMES_CLI:
        return "cli";
    case NAMES_SYSTEM:
        return "system";
    case NAMES_ANONYMOUS:
        return "anonymous";
    case NAMES_OTHER:
        break;
    }
    return "other";
}

static const char *const ACTOR_KEYS[] = {
    "created_by",   "verified_by", "imported_by", "triaged_by", "reviewed_by", "updated_by",
    "escalated_by", "closed_by",   "decided_by",  "actor",      NULL};

static bool actor_key(const char *k)
{
    for (size_t i = 0; ACTOR_KEYS[i]; i++)
        if (!strcmp(k, ACTOR_KEYS[i]))
            return true;
    return false;
}

/* The lookups of one names_annotate() call: actor -> [name, kind], unit code -> name|null,
 * "CODE@VERSION" -> catalog item name|null. */
typedef struct {
    ag_store *st;
    json_t *actors;
    json_t *units;
    json_t *items;
} names_cache;

static ag_err actor_entry(names_cache *c, const char *actor, json_t **entry, ag_error *err)
{
    *entry = json_object_get(c->actors, actor);
    if (*entry)
        return AG_OK;
    char name[256];
    ag_error e2;
    ag_error_clear(&e2);
    names_kind k = names_actor(c->st, actor, name, sizeof name, &e2);
    if (e2.code) {
        *err = e2;
        return e2.code;
    }
    *entry = json_pack("[s,s]", name, names_kind_word(k));
    json_object_set_new(c->actors, actor, *entry);
    return AG_OK;
}

/* Steps s (prepared and bound, unless rc already failed) for one text and
 * keeps it in cache under key (null when there is no row); *name borrows it.
 * Finalizes s. */
static ag_err cached_text(json_t *cache, const char *key, ag_stmt *s, ag_err rc, json_t **name,
                          ag_error *err)
{
    bool row = false;
    if (!rc)
        rc = store_step(s, &row, err);
    json_t *v =
        !rc && row && !store_col_is_null(s, 0) ? json_string(store_col_text(s, 0)) : json_null();
    store_finalize(s);
    if (rc) {
        json_decref(v);
        return rc;
    }
    json_object_set_new(cache, key, v);
    *name = v;
    return AG_OK;
}

static ag_err unit_name(names_cache *c, const char *code, json_t **name, ag_error *err)
{
    *name = json_object_get(c->units, code);
    if (*name)
        return AG_OK;
    ag_stmt *s = NULL;
    ag_err rc =
        store_prepare_args(c->st, &s, err, "SELECT name FROM unit WHERE code = ?", "t", code);
    return cached_text(c->units, code, s, rc, name, err);
}

/* The Chinese name of catalog item `code` in `version` (0: the latest version), or null. */
static ag_err item_name(names_cache *c, const char *code, int64_t version, json_t **name,
                        ag_error *err)
{
    char key[96];
    snprintf(key, sizeof key, "%s@%lld", code, (long long)version);
    *name = json_object_get(c->items, key);
    if (*name)
        return AG_OK;
    ag_stmt *s = NULL;
    ag_err rc = store_prepare_args(c->st, &s, err,
                                   "SELECT name_zh FROM catalog_item WHERE code = ? AND version ="
                                   " CASE WHEN ? > 0 THEN ? ELSE (SELECT MAX(version) FROM"
                                   " catalog_version) END",
                                   "tii", code, version, version);
    return cached_text(c->items, key, s, rc, name, err);
}

static ag_err annotate(names_cache *c, json_t *v, int depth, ag_error *err)
{
    if (depth > 32)
        return AG_OK;
    ag_err rc = AG_OK;
    if (json_is_array(v)) {
        for (size_t i = 0; !rc && i < json_array_size(v); i++)
            rc = annotate(c, json_array_get(v, i), depth + 1, err);
        return rc;
    }
    if (!json_is_object(v))
        return AG_OK;
    /* New members are added after the walk: a jansson object must not grow while iterated. */
    json_t *add = json_object();
    const char *k;
    json_t *x;
    json_object_foreach(v, k, x)
    {
        if (rc)
            break;
        if (json_is_string(x) && actor_key(k)) {
            char nk[64], kk[64];
            snprintf(nk, sizeof nk, "%s_name", k);
            snprintf(kk, sizeof kk, "%s_kind", k);
            json_t *e = NULL;
            rc = actor_entry(c, json_string_value(x), &e, err);
            if (!rc && !json_object_get(v, nk))
                json_object_set(add, nk, json_array_get(e, 0));
            if (!rc && !json_object_get(v, kk))
                json_object_set(add, kk, json_array_get(e, 1));
        } else if (json_is_string(x) && !strcmp(k, "parent_code")) {
            json_t *name = NULL;
            rc = unit_name(c, json_string_value(x), &name, err);
            if (!rc && !json_object_get(v, "parent_name"))
                json_object_set(add, "parent_name", name);
        } else if (json_is_string(x) && !strcmp(k, "item") && !json_object_get(v, "item_name")) {
            json_t *ver = json_object_get(v, "catalog_version"), *name = NULL;
            rc = item_name(c, json_string_value(x),
                           json_is_integer(ver) ? json_integer_value(ver) : 0, &name, err);
            if (!rc)
                json_object_set(add, "item_name", name);
        } else {
            rc = annotate(c, x, depth + 1, err);
        }
    }
    if (!rc)
        json_object_update(v, add);
    json_decref(add);
    return rc;
}

ag_err names_annotate(ag_store *st, json_t *v, ag_error *err)
{
    names_cache c = {st, json_object(), json_object(), json_object()};
    ag_err rc = annotate(&c, v, 0, err);
    json_decref(c.actors);
    json_decref(c.units);
    json_decref(c.items);
    return rc;
}
