/* test_names.c - display names for stored actors and unit codes (issue 12 §3): an account by its
 * person's name, a person, the command line and the server in words, 上级单位 by name. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/catalog.h"
#include "domain/names.h"
#include "../testutil.h"

/* A district, a parent unit and its child, a person with an account, an account of no person. */
static ag_store *names_db(const char *name)
{
    ag_store *st = ag_test_fresh_db(name);
    ag_error err;
    must(store_exec(st,
                    "INSERT INTO district VALUES ('120104', '南开区', '2026-01-01T00:00:00Z');"
                    "INSERT INTO unit (code, name, type, district_code, created_at) VALUES"
                    " ('P1', '区教育局', '机关', '120104', '2026-01-01T00:00:00Z');"
                    "INSERT INTO unit (code, name, type, district_code, parent_code, created_at)"
                    " VALUES ('C1', '第二中学', '学校', '120104', 'P1', '2026-01-01T00:00:00Z');"
                    "INSERT INTO person (id, name, unit_code, created_at) VALUES"
                    " (7, '杜宇', 'C1', '2026-01-01T00:00:00Z');"
                    "INSERT INTO app_user (username, role, unit_code, person_id, display_name,"
                    " password_hash, created_at) VALUES ('auditor', 'auditor', 'C1', 7, '内审甲',"
                    " 'x', '2026-01-01T00:00:00Z'), ('admin', 'admin', NULL, NULL, '审计局管理员',"
                    " 'x', '2026-01-01T00:00:00Z'), ('bare', 'admin', NULL, NULL, NULL, 'x',"
                    " '2026-01-01T00:00:00Z');",
                    &err),
         &err);
    return st;
}

static void check_actor(ag_store *st, const char *actor, const char *name, names_kind kind)
{
    char out[64];
    ag_error err;
    ag_error_clear(&err);
    names_kind k = names_actor(st, actor, out, sizeof out, &err);
    assert_int_equal(err.code, AG_OK);
    assert_string_equal(out, name);
    assert_int_equal(k, kind);
}

static void test_actor_names(void **state)
{
    (void)state;
    ag_store *st = names_db("names_actor.db");
    check_actor(st, "user:auditor", "杜宇", NAMES_USER);       /* the account's person */
    check_actor(st, "user:admin", "审计局管理员", NAMES_USER); /* its display name */
    check_actor(st, "user:bare", "bare", NAMES_USER);          /* its user name */
    check_actor(st, "user:gone", "gone", NAMES_USER);          /* no such account */
    check_actor(st, "person:李明", "李明", NAMES_PERSON);
    check_actor(st, "cli:root", "命令行", NAMES_CLI);
    check_actor(st, "system:escalate", "系统", NAMES_SYSTEM);
    check_actor(st, "system", "系统", NAMES_SYSTEM);
    check_actor(st, "http:anonymous", "未登录用户", NAMES_ANONYMOUS);
    check_actor(st, "导入脚本", "导入脚本", NAMES_OTHER);
    check_actor(st, NULL, "", NAMES_OTHER);
    assert_string_equal(names_kind_word(NAMES_CLI), "cli");
    assert_string_equal(names_kind_word(NAMES_OTHER), "other");
    store_close(st);
}

/* A long name is cut on a character, never inside one. */
static void test_actor_cut_on_character(void **state)
{
    (void)state;
    ag_store *st = names_db("names_cut.db");
    char out[8]; /* room for two 3-byte characters and the terminator */
    ag_error err;
    ag_error_clear(&err);
    names_actor(st, "person:张三丰", out, sizeof out, &err);
    assert_string_equal(out, "张三");
    store_close(st);
}

static void test_annotate(void **state)
{
    (void)state;
    ag_store *st = names_db("names_annotate.db");
    ag_error err;
    json_error_t je;
    json_t *v = json_loads("{\"created_by\":\"user:auditor\",\"parent_code\":\"P1\","
                           "\"events\":[{\"created_by\":\"cli:root\"},"
                           "{\"verified_by\":\"user:admin\",\"verified_by_name\":\"kept\"}],"
                           "\"units\":[{\"parent_code\":\"NOPE\"}],\"title\":\"user:x\"}",
                           0, &je);
    assert_non_null(v);
    must(names_annotate(st, v, &err), &err);
    assert_string_equal(json_string_value(json_object_get(v, "created_by_name")), "杜宇");
    assert_string_equal(json_string_value(json_object_get(v, "created_by_kind")), "user");
    assert_string_equal(json_string_value(json_object_get(v, "parent_name")), "区教育局");
    json_t *events = json_object_get(v, "events");
    json_t *e0 = json_array_get(events, 0), *e1 = json_array_get(events, 1);
    assert_string_equal(json_string_value(json_object_get(e0, "created_by_name")), "命令行");
    assert_string_equal(json_string_value(json_object_get(e0, "created_by_kind")), "cli");
    /* A name already there is kept; a unit that does not exist has a null name. */
    assert_string_equal(json_string_value(json_object_get(e1, "verified_by_name")), "kept");
    json_t *u0 = json_array_get(json_object_get(v, "units"), 0);
    assert_true(json_is_null(json_object_get(u0, "parent_name")));
    /* Only the actor members are read as actors. */
    assert_null(json_object_get(v, "title_name"));
    json_decref(v);
    store_close(st);
}

/* Catalog items by their Chinese name in the object's catalog version, else the latest. */
static void test_annotate_items(void **state)
{
    (void)state;
    ag_store *st = names_db("names_items.db");
    ag_error err;
    int64_t version = 0;
    must(catalog_install_default(st, &version, &err), &err);
    char text[256];
    snprintf(text, sizeof text,
             "[{\"item\":\"F03\"},{\"item\":\"K3\",\"catalog_version\":%lld},"
             "{\"item\":\"F03\",\"item_name\":\"kept\"},{\"item\":\"ZZ9\"},"
             "{\"item\":\"F01\",\"catalog_version\":%lld}]",
             (long long)version, (long long)version + 1);
    json_error_t je;
    json_t *v = json_loads(text, 0, &je);
    assert_non_null(v);
    must(names_annotate(st, v, &err), &err);
    const char *names[] = {"资金支付审批", "“三重一大”决策", "kept", NULL, NULL};
    for (size_t i = 0; i < 5; i++) {
        json_t *n = json_object_get(json_array_get(v, i), "item_name");
        if (names[i])
            assert_string_equal(json_string_value(n), names[i]);
        else
            assert_true(json_is_null(n)); /* no such item, no such version */
    }
    json_decref(v);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_actor_names),
        cmocka_unit_test(test_actor_cut_on_character),
        cmocka_unit_test(test_annotate),
        cmocka_unit_test(test_annotate_items),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
