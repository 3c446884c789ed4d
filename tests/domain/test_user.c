/* test_user.c - accounts: each role's scope, username and password rules, Argon2id, login checks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/grid.h"
#include "domain/user.h"
#include "util/uscc.h"
#include "../testutil.h"

#define PASSWORD "Nankai#2026"

/* Units of the fixture: a school (学校) and an SOE group head (国企). */
static char SCHOOL[19], SOE[19];

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

static void code_for(const char *head, int n, char out[19])
{
    snprintf(out, 19, "%s120104MB%07d", head, n);
    out[17] = uscc_check_char(out);
    out[18] = '\0';
}

/* A fresh database with cells D01 (dept), S01 (street), D22 (soe) and the
 * two units. */
static ag_store *user_db(const char *name)
{
    char path[1024];
    ag_test_path(path, sizeof path, name);
    ag_store *st = NULL;
    ag_error err;
    must(store_open(path, AG_STORE_CREATE, &st, &err), &err);
    must(grid_district_init(st, "120104", "天津市南开区", &err), &err);
    grid_cell_in cells[] = {{"D01", "dept", "区教育局", 0, 1},
                            {"S01", "street", "长虹街道", 0, 2},
                            {"D22", "soe", "区国资委", 0, 3}};
    for (size_t i = 0; i < 3; i++)
        must(grid_cell_add(st, &cells[i], &err), &err);
    code_for("12", 1, SCHOOL);
    code_for("91", 2, SOE);
    grid_unit_in units[] = {
        {SCHOOL, "中营小学", "学校", "D01", NULL, true, NULL},
        {SOE, "天津市南开区城市建设投资集团有限公司", "国企", "D22", NULL, true, NULL}};
    for (size_t i = 0; i < 2; i++)
        must(grid_unit_add(st, &units[i], &err), &err);
    return st;
}

/* Expects user_add to refuse u with `code`, naming the field `where` and
 * mentioning `what` (may be NULL) in the message, writing nothing. */
static void refused_saying(ag_store *st, const user_in *u, ag_err code, const char *where,
                           const char *what)
{
    int64_t users = count(st, "SELECT COUNT(*) FROM app_user");
    int64_t entries = count(st, "SELECT COUNT(*) FROM audit_log");
    ag_error err;
    int64_t id = -1;
    ag_err rc = user_add(st, u, &id, &err);
    if (rc != code)
        fail_msg("user %s (role %s): expected %s, got %s (%s)", u->username ? u->username : "-",
                 u->role ? u->role : "-", ag_err_name(code), ag_err_name(rc), err.en);
    if (where)
        assert_string_equal(err.where, where);
    if (what)
        assert_contains(err.en, what);
    assert_int_equal(id, -1);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM app_user"), users);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM audit_log"), entries);
}

static void refused(ag_store *st, const user_in *u, ag_err code, const char *where)
{
    refused_saying(st, u, code, where, NULL);
}

/* ---- scope -------------------------------------------------------------- */

static void each_role_demands_its_own_scope(void **state)
{
    (void)state;
    ag_store *st = user_db("scope.db");
    /* Unit-scoped roles need a unit, and take no cell. */
    const char *unit_roles[] = {"leader", "auditor", "chief_auditor"};
    for (int i = 0; i < 3; i++) {
        user_in none = {"u1", unit_roles[i], NULL, NULL, NULL, PASSWORD, 0};
        refused(st, &none, AG_ERR_USAGE, "unit_code");
        user_in cell_only = {"u1", unit_roles[i], NULL, "D01", NULL, PASSWORD, 0};
        refused(st, &cell_only, AG_ERR_USAGE, "unit_code");
        user_in both = {"u1", unit_roles[i], SOE, "D22", NULL, PASSWORD, 0};
        refused(st, &both, AG_ERR_USAGE, "cell_id");
    }
    /* Cell-scoped roles need a cell, and take no unit. */
    const char *cell_roles[] = {"liaison", "supervisor"};
    for (int i = 0; i < 2; i++) {
        user_in none = {"u1", cell_roles[i], NULL, NULL, NULL, PASSWORD, 0};
        refused(st, &none, AG_ERR_USAGE, "cell_id");
        user_in unit_only = {"u1", cell_roles[i], SCHOOL, NULL, NULL, PASSWORD, 0};
        refused(st, &unit_only, AG_ERR_USAGE, "cell_id");
        user_in both = {"u1", cell_roles[i], SCHOOL, "D01", NULL, PASSWORD, 0};
        refused(st, &both, AG_ERR_USAGE, "unit_code");
    }
    /* The district-wide roles take neither. */
    const char *wide_roles[] = {"admin", "reviewer"};
    for (int i = 0; i < 2; i++) {
        user_in unit = {"u1", wide_roles[i], SCHOOL, NULL, NULL, PASSWORD, 0};
        refused(st, &unit, AG_ERR_USAGE, "unit_code");
        user_in cell = {"u1", wide_roles[i], NULL, "D01", NULL, PASSWORD, 0};
        refused(st, &cell, AG_ERR_USAGE, "cell_id");
    }
    /* A supervisor stands for a competent department, not a street. */
    user_in street = {"u1", "supervisor", NULL, "S01", NULL, PASSWORD, 0};
    refused_saying(st, &street, AG_ERR_INPUT, "cell_id", "S01 is a street");
    /* A chief auditor heads the audit of an SOE group, nothing else. */
    user_in school_chief = {"u1", "chief_auditor", SCHOOL, NULL, NULL, PASSWORD, 0};
    refused_saying(st, &school_chief, AG_ERR_INPUT, "unit_code", "is a 学校");
    /* Scopes must exist. */
    char ghost[19];
    code_for("12", 77, ghost);
    user_in no_unit = {"u1", "auditor", ghost, NULL, NULL, PASSWORD, 0};
    refused_saying(st, &no_unit, AG_ERR_NOTFOUND, "unit_code", ghost);
    user_in no_cell = {"u1", "liaison", NULL, "S77", NULL, PASSWORD, 0};
    refused(st, &no_cell, AG_ERR_NOTFOUND, "cell_id");
    /* And the role must be one of the seven. */
    user_in bad_role = {"u1", "root", NULL, NULL, NULL, PASSWORD, 0};
    refused_saying(st, &bad_role, AG_ERR_USAGE, "role", "'root'");
    user_in no_role = {"u1", NULL, NULL, NULL, NULL, PASSWORD, 0};
    refused(st, &no_role, AG_ERR_USAGE, "role");
    assert_int_equal(count(st, "SELECT COUNT(*) FROM app_user"), 0);
    store_close(st);
}

static void every_role_is_accepted_with_its_scope(void **state)
{
    (void)state;
    ag_store *st = user_db("roles.db");
    assert_int_equal(user_role_count, 7);
    struct {
        const char *username, *role, *unit, *cell;
    } ok[] = {
        {"admin", "admin", NULL, NULL},
        {"reviewer", "reviewer", NULL, NULL},
        {"liaison", "liaison", NULL, "S01"},
        {"supervisor", "supervisor", NULL, "D01"},
        {"leader", "leader", SCHOOL, NULL},
        {"auditor", "auditor", SCHOOL, NULL},
        {"chief", "chief_auditor", SOE, NULL},
        /* The SOE regulator (国资委) is the competent department of the SOEs. */
        {"sasac", "supervisor", NULL, "D22"},
    };
    size_t n = sizeof ok / sizeof ok[0];
    int64_t entries = count(st, "SELECT COUNT(*) FROM audit_log");
    for (size_t i = 0; i < n; i++) {
        user_in u = {ok[i].username, ok[i].role, ok[i].unit, ok[i].cell, "显示名", PASSWORD, 0};
        int64_t id = 0;
        ag_error err;
        ag_err rc = user_add(st, &u, &id, &err);
        if (rc)
            fail_msg("%s as %s: %s", ok[i].username, ok[i].role, err.en);
        assert_true(id > 0);
    }
    /* One audited write per account. */
    assert_int_equal(count(st, "SELECT COUNT(*) FROM audit_log"), entries + (int64_t)n);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM audit_log WHERE tbl = 'app_user'"),
                     (int64_t)n);

    json_t *list = NULL;
    ag_error err;
    must(user_list(st, &list, &err), &err);
    assert_int_equal(json_array_size(list), n);
    for (size_t i = 0; i < n; i++) {
        json_t *u = json_array_get(list, i);
        assert_string_equal(json_string_value(json_object_get(u, "username")), ok[i].username);
        assert_string_equal(json_string_value(json_object_get(u, "role")), ok[i].role);
        json_t *unit = json_object_get(u, "unit_code");
        json_t *cell = json_object_get(u, "cell_id");
        if (ok[i].unit)
            assert_string_equal(json_string_value(unit), ok[i].unit);
        else
            assert_true(json_is_null(unit));
        if (ok[i].cell)
            assert_string_equal(json_string_value(cell), ok[i].cell);
        else
            assert_true(json_is_null(cell));
        assert_false(json_is_true(json_object_get(u, "disabled")));
        /* The list never carries the hash. */
        assert_null(json_object_get(u, "password_hash"));
        char *dump = json_dumps(u, 0);
        assert_null(strstr(dump, "argon2"));
        free(dump);
    }
    json_decref(list);
    store_close(st);
}

/* ---- usernames and passwords -------------------------------------------- */

static void usernames_and_password_lengths_are_checked_before_anything_else(void **state)
{
    (void)state;
    ag_store *st = user_db("names.db");
    char long_name[66];
    memset(long_name, 'a', 65);
    long_name[65] = '\0';
    const char *bad_names[] = {NULL, "", "a", "has space", "张三", "semi;colon", "a/b", long_name};
    for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
        user_in u = {bad_names[i], "admin", NULL, NULL, NULL, PASSWORD, 0};
        refused(st, &u, AG_ERR_INPUT, "username");
    }
    /* A bad username is reported even when the role is bad too. */
    user_in both_bad = {"a b", "root", NULL, NULL, NULL, PASSWORD, 0};
    refused(st, &both_bad, AG_ERR_INPUT, "username");

    char long_pw[130];
    memset(long_pw, 'x', 129);
    long_pw[129] = '\0';
    const char *bad_pw[] = {NULL, "", "1234567", long_pw, "12345678", "        ", "tab\there!"};
    for (size_t i = 0; i < sizeof bad_pw / sizeof bad_pw[0]; i++) {
        user_in u = {"alice", "admin", NULL, NULL, NULL, bad_pw[i], 0};
        refused(st, &u, AG_ERR_INPUT, "password");
    }
    store_close(st);
}

static void passwords_are_stored_only_as_argon2id_hashes(void **state)
{
    (void)state;
    ag_store *st = user_db("hash.db");
    ag_error err;
    /* Exactly 8 bytes is long enough; names may use letters, digits, _ . - */
    user_in alice = {"Alice_1.x-y", "admin", NULL, NULL, NULL, "Qz8-k4#x", 0};
    int64_t id = 0;
    must(user_add(st, &alice, &id, &err), &err);
    user_in bob = {"bob", "reviewer", NULL, NULL, NULL, "Qz8-k4#x", 0};
    must(user_add(st, &bob, NULL, &err), &err);

    ag_stmt *s = NULL;
    bool row;
    char hashes[2][128];
    must(store_prepare(st, "SELECT password_hash FROM app_user ORDER BY id", &s, &err), &err);
    for (int i = 0; i < 2; i++) {
        must(store_step(s, &row, &err), &err);
        assert_true(row);
        snprintf(hashes[i], sizeof hashes[i], "%s", store_col_text(s, 0));
        assert_memory_equal(hashes[i], "$argon2id$", 10);
        assert_null(strstr(hashes[i], "Qz8-k4#x"));
    }
    store_finalize(s);
    /* Salted: the same password gives different hashes. */
    assert_string_not_equal(hashes[0], hashes[1]);

    /* The username is taken now, whatever the role and in any letter case
     * (login names are kept in lower case); checked before hashing. */
    user_in again = {"ALICE_1.x-Y", "reviewer", NULL, NULL, NULL, "another-password", 0};
    refused_saying(st, &again, AG_ERR_EXISTS, "username", "alice_1.x-y");
    assert_int_equal(count(st, "SELECT COUNT(*) FROM app_user"), 2);
    store_close(st);
}

static void check_password_accepts_only_the_right_one(void **state)
{
    (void)state;
    ag_store *st = user_db("login.db");
    ag_error err;
    user_in carol = {"carol", "auditor", SCHOOL, NULL, "内审人员", PASSWORD, 0};
    int64_t cid = 0;
    must(user_add(st, &carol, &cid, &err), &err);

    int64_t id = 0;
    must(user_check_password(st, "carol", PASSWORD, &id, &err), &err);
    assert_int_equal(id, cid);

    ag_error wrong, unknown;
    id = 0;
    assert_int_equal(user_check_password(st, "carol", "Nankai#2025", &id, &wrong), AG_ERR_DENIED);
    assert_int_equal(id, 0);
    assert_int_equal(user_check_password(st, "mallory", PASSWORD, &id, &unknown), AG_ERR_DENIED);
    assert_int_equal(id, 0);
    /* The caller cannot tell a wrong password from an unknown user. */
    assert_string_equal(wrong.en, unknown.en);
    assert_string_equal(wrong.zh, unknown.zh);
    assert_string_equal(wrong.where, unknown.where);
    assert_string_equal(wrong.en, "wrong username or password");

    /* A disabled account is refused with the right password, the same way. */
    ag_field off = ag_field_int("disabled", 1);
    must(store_update(st, "app_user", "id", ag_field_int("id", cid), &off, 1, &err), &err);
    ag_error disabled;
    assert_int_equal(user_check_password(st, "carol", PASSWORD, &id, &disabled), AG_ERR_DENIED);
    assert_string_equal(disabled.en, unknown.en);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_role_demands_its_own_scope),
        cmocka_unit_test(every_role_is_accepted_with_its_scope),
        cmocka_unit_test(usernames_and_password_lengths_are_checked_before_anything_else),
        cmocka_unit_test(passwords_are_stored_only_as_argon2id_hashes),
        cmocka_unit_test(check_password_accepts_only_the_right_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
