/* test_grid.c - the supervision grid: validated units, responsible subjects, the tree of cells. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/grid.h"
#include "util/uscc.h"
#include "../testutil.h"

/* ---- helpers ------------------------------------------------------------ */

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

/* A valid credit code of the demo district for serial n: authority and type
 * from `head` ("11" organ, "12" institution, "91" company), then the check
 * character. */
static void code_for(const char *head, int n, char out[19])
{
    snprintf(out, 19, "%s120104MB%07d", head, n);
    out[17] = uscc_check_char(out);
    out[18] = '\0';
}

/* A fresh database with a district and three cells: D01 (dept), S01
 * (street), D22 (soe). */
static ag_store *grid_db(const char *name)
{
    char path[1024];
    ag_test_path(path, sizeof path, name);
    ag_store *st = NULL;
    ag_error err;
    must(store_open(path, AG_STORE_CREATE, &st, &err), &err);
    must(grid_district_init(st, "120104", "天津市南开区", &err), &err);
    grid_cell_in cells[] = {{"D01", "dept", "区教育局", 0, 1},
                            {"S01", "street", "长虹街道", 14, 3},
                            {"D22", "soe", "区国资委", 0, 2}};
    for (size_t i = 0; i < 3; i++)
        must(grid_cell_add(st, &cells[i], &err), &err);
    return st;
}

static void add_unit(ag_store *st, const char *code, const char *name, const char *type,
                     const char *cell, const char *parent, bool pilot)
{
    grid_unit_in u = {code, name, type, cell, parent, pilot, NULL};
    ag_error err;
    must(grid_unit_add(st, &u, &err), &err);
}

static int64_t add_person(ag_store *st, const char *name, const char *unit, const char *role)
{
    grid_person_in p = {name, unit, NULL, "022-23456789", NULL, role};
    int64_t id = 0;
    ag_error err;
    must(grid_person_add(st, &p, &id, &err), &err);
    assert_true(id > 0);
    return id;
}

static const char *str(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* ---- the district and cells --------------------------------------------- */

static void a_district_is_created_once_with_a_six_digit_code(void **state)
{
    (void)state;
    char path[1024];
    ag_test_path(path, sizeof path, "district.db");
    ag_store *st = NULL;
    ag_error err;
    must(store_open(path, AG_STORE_CREATE, &st, &err), &err);
    char code[64], name[128];
    assert_int_equal(grid_district_get(st, code, name, &err), AG_ERR_NOTFOUND);
    assert_contains(err.en, "auditgrid init");
    /* No district, no cells. */
    grid_cell_in c = {"D01", "dept", "区教育局", 0, 1};
    assert_int_equal(grid_cell_add(st, &c, &err), AG_ERR_NOTFOUND);
    assert_int_equal(grid_district_init(st, "12010", "x", &err), AG_ERR_INPUT);
    assert_int_equal(grid_district_init(st, "12010A", "x", &err), AG_ERR_INPUT);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM audit_log"), 0);
    must(grid_district_init(st, "120104", "天津市南开区", &err), &err);
    must(grid_district_get(st, code, name, &err), &err);
    assert_string_equal(code, "120104");
    assert_string_equal(name, "天津市南开区");
    assert_int_equal(grid_district_init(st, "120105", "河西区", &err), AG_ERR_EXISTS);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM district"), 1);
    store_close(st);
}

static void cells_are_validated_and_unique(void **state)
{
    (void)state;
    ag_store *st = grid_db("cells.db");
    ag_error err;
    int64_t before = count(st, "SELECT COUNT(*) FROM audit_log");
    grid_cell_in dup = {"S01", "street", "again", 0, 9};
    assert_int_equal(grid_cell_add(st, &dup, &err), AG_ERR_EXISTS);
    grid_cell_in bad_kind = {"X01", "village", "x", 0, 9};
    assert_int_equal(grid_cell_add(st, &bad_kind, &err), AG_ERR_USAGE);
    assert_contains(err.en, "village");
    grid_cell_in no_id = {"", "dept", "x", 0, 9};
    assert_int_equal(grid_cell_add(st, &no_id, &err), AG_ERR_USAGE);
    grid_cell_in no_name = {"X02", "dept", "", 0, 9};
    assert_int_equal(grid_cell_add(st, &no_name, &err), AG_ERR_USAGE);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM grid_cell"), 3);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM audit_log"), before);
    /* 0 means the default cadence of 30 days. */
    assert_int_equal(count(st, "SELECT visit_days FROM grid_cell WHERE id = 'D01'"), 30);
    assert_int_equal(count(st, "SELECT visit_days FROM grid_cell WHERE id = 'S01'"), 14);
    store_close(st);
}

/* ---- units -------------------------------------------------------------- */

static void a_wrong_check_character_is_refused_naming_the_right_one(void **state)
{
    (void)state;
    ag_store *st = grid_db("checkchar.db");
    char code[19];
    code_for("12", 1, code);
    char want = code[17];
    code[17] = want == '0' ? '1' : '0';
    int64_t units = count(st, "SELECT COUNT(*) FROM unit");
    int64_t entries = count(st, "SELECT COUNT(*) FROM audit_log");

    grid_unit_in u = {code, "天津市南开区图书馆", "事业", "D01", NULL, true, NULL};
    ag_error err;
    assert_int_equal(grid_unit_add(st, &u, &err), AG_ERR_INPUT);
    char expect_en[16], expect_zh[16];
    snprintf(expect_en, sizeof expect_en, "expected '%c'", want);
    snprintf(expect_zh, sizeof expect_zh, "应为“%c”", want);
    assert_contains(err.en, expect_en);
    assert_contains(err.zh, expect_zh);
    assert_string_equal(err.where, "code");
    assert_int_equal(count(st, "SELECT COUNT(*) FROM unit"), units);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM audit_log"), entries);

    /* The same code with the right character goes in. */
    code[17] = want;
    must(grid_unit_add(st, &u, &err), &err);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM unit"), units + 1);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM audit_log"), entries + 1);
    store_close(st);
}

static void refused_units_write_nothing(void **state)
{
    (void)state;
    ag_store *st = grid_db("refused.db");
    char taken[19], fresh[19];
    code_for("11", 1, taken);
    code_for("11", 2, fresh);
    add_unit(st, taken, "天津市南开区教育局", "机关", "D01", NULL, false);
    int64_t entries = count(st, "SELECT COUNT(*) FROM audit_log");
    ag_error err;

    grid_unit_in dup = {taken, "另一个单位", "机关", "D01", NULL, false, NULL};
    assert_int_equal(grid_unit_add(st, &dup, &err), AG_ERR_EXISTS);
    assert_contains(err.en, taken);

    grid_unit_in no_cell = {fresh, "某单位", "机关", "D99", NULL, false, NULL};
    assert_int_equal(grid_unit_add(st, &no_cell, &err), AG_ERR_NOTFOUND);
    assert_string_equal(err.where, "cell_id");
    assert_contains(err.en, "D99");

    char ghost[19];
    code_for("11", 99, ghost);
    grid_unit_in no_parent = {fresh, "某单位", "机关", "D01", ghost, false, NULL};
    assert_int_equal(grid_unit_add(st, &no_parent, &err), AG_ERR_NOTFOUND);
    assert_string_equal(err.where, "parent_code");
    assert_contains(err.en, ghost);

    grid_unit_in bad_type = {fresh, "某单位", "公司", "D01", NULL, false, NULL};
    assert_int_equal(grid_unit_add(st, &bad_type, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "type");
    assert_contains(err.en, "公司");

    grid_unit_in no_type = {fresh, "某单位", NULL, "D01", NULL, false, NULL};
    assert_int_equal(grid_unit_add(st, &no_type, &err), AG_ERR_INPUT);

    grid_unit_in short_code = {"12120104", "某单位", "机关", "D01", NULL, false, NULL};
    assert_int_equal(grid_unit_add(st, &short_code, &err), AG_ERR_INPUT);

    grid_unit_in no_name = {fresh, "", "机关", "D01", NULL, false, NULL};
    assert_int_equal(grid_unit_add(st, &no_name, &err), AG_ERR_USAGE);

    assert_int_equal(count(st, "SELECT COUNT(*) FROM unit"), 1);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM audit_log"), entries);
    store_close(st);
}

static void units_without_a_cell_or_with_a_parent_are_kept_as_given(void **state)
{
    (void)state;
    ag_store *st = grid_db("parent.db");
    char head[19], sub[19], loose[19];
    code_for("91", 1, head);
    code_for("91", 2, sub);
    code_for("12", 3, loose);
    add_unit(st, head, "天津市南开区城市建设投资集团有限公司", "国企", "D22", NULL, true);
    add_unit(st, sub, "天津市南开城投置业有限公司", "国企", "D22", head, false);
    add_unit(st, loose, "未划网格单位", "事业", NULL, NULL, false);
    json_t *u = NULL;
    ag_error err;
    must(grid_unit_get(st, sub, &u, &err), &err);
    assert_string_equal(str(u, "parent_code"), head);
    assert_string_equal(str(u, "cell_id"), "D22");
    assert_string_equal(str(u, "cell_name"), "区国资委");
    assert_false(json_is_true(json_object_get(u, "pilot")));
    json_decref(u);
    must(grid_unit_get(st, head, &u, &err), &err);
    assert_true(json_is_true(json_object_get(u, "pilot")));
    assert_true(json_is_null(json_object_get(u, "parent_code")));
    json_t *children = json_object_get(u, "children");
    assert_int_equal(json_array_size(children), 1);
    assert_string_equal(str(json_array_get(children, 0), "code"), sub);
    json_decref(u);
    must(grid_unit_get(st, loose, &u, &err), &err);
    assert_true(json_is_null(json_object_get(u, "cell_id")));
    json_decref(u);
    char nobody[19];
    code_for("12", 50, nobody);
    assert_int_equal(grid_unit_get(st, nobody, &u, &err), AG_ERR_NOTFOUND);
    assert_null(u);
    store_close(st);
}

static void list_filters_by_pilot_cell_and_type(void **state)
{
    (void)state;
    ag_store *st = grid_db("filter.db");
    char c[5][19];
    for (int i = 0; i < 5; i++)
        code_for(i < 2 ? "11" : "12", i + 1, c[i]);
    add_unit(st, c[0], "天津市南开区教育局", "机关", "D01", NULL, true);
    add_unit(st, c[1], "长虹街道办事处", "街道", "S01", NULL, false);
    add_unit(st, c[2], "中营小学", "学校", "D01", NULL, true);
    add_unit(st, c[3], "南开中学", "学校", "D01", NULL, false);
    add_unit(st, c[4], "长虹街道党群服务中心", "事业", "S01", NULL, true);
    json_t *arr = NULL;
    ag_error err;

    must(grid_unit_list(st, NULL, &arr, &err), &err);
    assert_int_equal(json_array_size(arr), 5);
    json_decref(arr);

    grid_unit_filter pilots = {true, NULL, NULL};
    must(grid_unit_list(st, &pilots, &arr, &err), &err);
    assert_int_equal(json_array_size(arr), 3);
    size_t i;
    for (i = 0; i < json_array_size(arr); i++) {
        json_t *u = json_array_get(arr, i);
        assert_true(json_is_true(json_object_get(u, "pilot")));
        const char *code = str(u, "code");
        assert_true(!strcmp(code, c[0]) || !strcmp(code, c[2]) || !strcmp(code, c[4]));
    }
    json_decref(arr);

    grid_unit_filter d01_pilots = {true, "D01", NULL};
    must(grid_unit_list(st, &d01_pilots, &arr, &err), &err);
    assert_int_equal(json_array_size(arr), 2);
    json_decref(arr);

    grid_unit_filter schools = {false, NULL, "学校"};
    must(grid_unit_list(st, &schools, &arr, &err), &err);
    assert_int_equal(json_array_size(arr), 2);
    for (i = 0; i < json_array_size(arr); i++)
        assert_string_equal(str(json_array_get(arr, i), "type"), "学校");
    json_decref(arr);

    grid_unit_filter street_cell = {false, "S01", NULL};
    must(grid_unit_list(st, &street_cell, &arr, &err), &err);
    assert_int_equal(json_array_size(arr), 2);
    for (i = 0; i < json_array_size(arr); i++)
        assert_string_equal(str(json_array_get(arr, i), "cell_name"), "长虹街道");
    json_decref(arr);

    grid_unit_filter none = {true, "S01", "街道"};
    must(grid_unit_list(st, &none, &arr, &err), &err);
    assert_int_equal(json_array_size(arr), 0);
    json_decref(arr);
    store_close(st);
}

/* ---- persons and the two responsible subjects --------------------------- */

static void unit_get_includes_the_principal_and_auditors(void **state)
{
    (void)state;
    ag_store *st = grid_db("subjects.db");
    char code[19];
    code_for("12", 1, code);
    add_unit(st, code, "天津市南开区人民医院", "医院", "D01", NULL, true);
    int64_t p = add_person(st, "王伟", code, "principal");
    int64_t a1 = add_person(st, "李娜", code, "auditor");
    int64_t a2 = add_person(st, "张敏", code, "auditor");
    int64_t other = add_person(st, "刘洋", code, NULL);

    json_t *u = NULL;
    ag_error err;
    must(grid_unit_get(st, code, &u, &err), &err);
    json_t *principal = json_object_get(u, "principal");
    assert_true(json_is_object(principal));
    assert_int_equal(json_integer_value(json_object_get(principal, "id")), p);
    assert_string_equal(str(principal, "name"), "王伟");
    json_t *auditors = json_object_get(u, "auditors");
    assert_int_equal(json_array_size(auditors), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(auditors, 0), "id")), a1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(auditors, 1), "id")), a2);
    assert_string_equal(str(json_array_get(auditors, 1), "name"), "张敏");
    assert_true(json_is_null(json_object_get(u, "chief_auditor")));
    /* Everyone attached to the unit is listed, with or without a role. */
    json_t *persons = json_object_get(u, "persons");
    assert_int_equal(json_array_size(persons), 4);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(persons, 3), "id")), other);
    json_decref(u);

    /* The list carries the same subjects. */
    json_t *arr = NULL;
    must(grid_unit_list(st, NULL, &arr, &err), &err);
    u = json_array_get(arr, 0);
    assert_string_equal(str(json_object_get(u, "principal"), "name"), "王伟");
    assert_int_equal(json_array_size(json_object_get(u, "auditors")), 2);
    json_decref(arr);
    store_close(st);
}

static void a_new_principal_replaces_the_old_one(void **state)
{
    (void)state;
    ag_store *st = grid_db("principal.db");
    char code[19];
    code_for("11", 1, code);
    add_unit(st, code, "天津市南开区财政局", "机关", "D01", NULL, false);
    int64_t old = add_person(st, "王伟", code, "principal");
    int64_t now = add_person(st, "李强", code, NULL);
    ag_error err;
    must(grid_subject_set(st, code, now, "principal", &err), &err);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM unit_subject WHERE role = 'principal'"), 1);
    json_t *u = NULL;
    must(grid_unit_get(st, code, &u, &err), &err);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(u, "principal"), "id")),
                     now);
    /* The former leader is still a person of the unit, just not its principal. */
    assert_int_equal(json_array_size(json_object_get(u, "persons")), 2);
    json_decref(u);
    /* The replacement was logged as a delete and an insert. */
    assert_int_equal(count(st, "SELECT COUNT(*) FROM audit_log WHERE tbl = 'unit_subject'"
                               " AND action = 'delete'"),
                     1);

    /* Naming a person a second time as auditor is refused, nothing changes. */
    must(grid_subject_set(st, code, old, "auditor", &err), &err);
    assert_int_equal(grid_subject_set(st, code, old, "auditor", &err), AG_ERR_EXISTS);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM unit_subject"), 2);
    assert_int_equal(grid_subject_set(st, code, old, "boss", &err), AG_ERR_USAGE);
    assert_int_equal(grid_subject_set(st, code, 9999, "auditor", &err), AG_ERR_NOTFOUND);
    char ghost[19];
    code_for("11", 9, ghost);
    assert_int_equal(grid_subject_set(st, ghost, old, "auditor", &err), AG_ERR_NOTFOUND);
    assert_false(store_in_tx(st));
    store_close(st);
}

static void a_chief_auditor_is_only_for_an_soe(void **state)
{
    (void)state;
    ag_store *st = grid_db("chief.db");
    char school[19], soe[19];
    code_for("12", 1, school);
    code_for("91", 2, soe);
    add_unit(st, school, "中营小学", "学校", "D01", NULL, false);
    add_unit(st, soe, "天津市南开区城市建设投资集团有限公司", "国企", "D22", NULL, false);
    int64_t persons = count(st, "SELECT COUNT(*) FROM person");
    int64_t entries = count(st, "SELECT COUNT(*) FROM audit_log");
    ag_error err;

    /* Adding a person with the role: refused as a whole, the person too. */
    grid_person_in p = {"赵杰", school, "总审计师", NULL, NULL, "chief_auditor"};
    int64_t id = 0;
    assert_int_equal(grid_person_add(st, &p, &id, &err), AG_ERR_INPUT);
    assert_contains(err.en, "SOE");
    assert_int_equal(count(st, "SELECT COUNT(*) FROM person"), persons);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM audit_log"), entries);

    /* Giving the role to an existing person: refused too. */
    int64_t zhao = add_person(st, "赵杰", school, NULL);
    entries = count(st, "SELECT COUNT(*) FROM audit_log");
    assert_int_equal(grid_subject_set(st, school, zhao, "chief_auditor", &err), AG_ERR_INPUT);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM unit_subject"), 0);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM audit_log"), entries);

    /* At an SOE it is recorded and shown. */
    int64_t chief = add_person(st, "钱总", soe, "chief_auditor");
    json_t *u = NULL;
    must(grid_unit_get(st, soe, &u, &err), &err);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(u, "chief_auditor"), "id")),
                     chief);
    json_decref(u);
    store_close(st);
}

static void persons_are_validated(void **state)
{
    (void)state;
    ag_store *st = grid_db("persons.db");
    char ghost[19];
    code_for("12", 7, ghost);
    ag_error err;
    int64_t id = 0;
    grid_person_in no_name = {"", NULL, NULL, NULL, NULL, NULL};
    assert_int_equal(grid_person_add(st, &no_name, &id, &err), AG_ERR_USAGE);
    grid_person_in role_no_unit = {"王伟", NULL, NULL, NULL, NULL, "auditor"};
    assert_int_equal(grid_person_add(st, &role_no_unit, &id, &err), AG_ERR_USAGE);
    grid_person_in bad_phone = {"王伟", NULL, NULL, "022-2345abcd", NULL, NULL};
    assert_int_equal(grid_person_add(st, &bad_phone, &id, &err), AG_ERR_INPUT);
    grid_person_in no_unit = {"王伟", ghost, NULL, NULL, NULL, NULL};
    assert_int_equal(grid_person_add(st, &no_unit, &id, &err), AG_ERR_NOTFOUND);
    assert_contains(err.en, ghost);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM person"), 0);
    /* A bureau person belongs to no unit. */
    grid_person_in bureau = {"孙丽", NULL, "网格指导员", "+86 22 2345 6789", NULL, NULL};
    must(grid_person_add(st, &bureau, &id, &err), &err);
    assert_true(id > 0);
    store_close(st);
}

/* ---- the whole net ------------------------------------------------------ */

static void the_tree_groups_units_under_their_cells(void **state)
{
    (void)state;
    ag_store *st = grid_db("tree.db");
    char c[4][19];
    for (int i = 0; i < 4; i++)
        code_for("12", i + 1, c[i]);
    add_unit(st, c[0], "中营小学", "学校", "D01", NULL, true);
    add_unit(st, c[1], "南开中学", "学校", "D01", NULL, false);
    add_unit(st, c[2], "长虹街道党群服务中心", "事业", "S01", NULL, false);
    add_unit(st, c[3], "未划网格单位", "事业", NULL, NULL, false);
    add_person(st, "王伟", c[0], "principal");
    grid_person_in bureau = {"孙丽", NULL, "网格指导员", NULL, NULL, NULL};
    int64_t liaison = 0;
    ag_error err;
    must(grid_person_add(st, &bureau, &liaison, &err), &err);
    must(grid_liaison_add(st, "S01", liaison, &err), &err);
    assert_int_equal(grid_liaison_add(st, "S01", liaison, &err), AG_ERR_EXISTS);
    assert_int_equal(grid_liaison_add(st, "S99", liaison, &err), AG_ERR_NOTFOUND);
    assert_contains(err.en, "S99");

    json_t *tree = NULL;
    must(grid_tree(st, &tree, &err), &err);
    assert_string_equal(str(json_object_get(tree, "district"), "code"), "120104");
    json_t *cells = json_object_get(tree, "cells");
    assert_int_equal(json_array_size(cells), 3);
    /* In sort order: D01 (1), D22 (2), S01 (3). */
    const char *order[] = {"D01", "D22", "S01"};
    const size_t units_in[] = {2, 0, 1};
    for (size_t i = 0; i < 3; i++) {
        json_t *cell = json_array_get(cells, i);
        assert_string_equal(str(cell, "id"), order[i]);
        json_t *units = json_object_get(cell, "units");
        assert_int_equal(json_array_size(units), units_in[i]);
        for (size_t k = 0; k < json_array_size(units); k++)
            assert_string_equal(str(json_array_get(units, k), "cell_id"), order[i]);
    }
    json_t *d01 = json_array_get(cells, 0);
    json_t *first = json_array_get(json_object_get(d01, "units"), 0);
    assert_string_equal(str(first, "code"), c[0]);
    assert_string_equal(str(json_object_get(first, "principal"), "name"), "王伟");
    json_t *s01 = json_array_get(cells, 2);
    assert_string_equal(str(s01, "kind"), "street");
    assert_int_equal(json_integer_value(json_object_get(s01, "visit_days")), 14);
    json_t *liaisons = json_object_get(s01, "liaisons");
    assert_int_equal(json_array_size(liaisons), 1);
    assert_string_equal(str(json_array_get(liaisons, 0), "name"), "孙丽");
    assert_int_equal(json_array_size(json_object_get(d01, "liaisons")), 0);
    json_t *unassigned = json_object_get(tree, "unassigned");
    assert_int_equal(json_array_size(unassigned), 1);
    assert_string_equal(str(json_array_get(unassigned, 0), "code"), c[3]);
    json_decref(tree);
    store_close(st);
}

/* ---- administration (issue 12 §5) ----------------------------------------- */

/* The audit-log entries of one table and action. */
static int64_t logged(ag_store *st, const char *tbl, const char *action)
{
    int64_t n = -1;
    ag_error err;
    must(store_query_int(st, &n, &err,
                         "SELECT COUNT(*) FROM audit_log WHERE tbl = ? AND action = ?", tbl, action,
                         NULL),
         &err);
    return n;
}

static void a_unit_is_edited_with_the_checks_of_adding_and_disabled(void **state)
{
    (void)state;
    ag_store *st = grid_db("unit-edit.db");
    char a[19], b[19];
    code_for("12", 1, a);
    code_for("12", 2, b);
    add_unit(st, a, "中营小学", "学校", "D01", NULL, false);
    add_unit(st, b, "南开中学", "学校", "D01", NULL, false);
    ag_error err;
    grid_unit_in ed = {a, "中营实验小学", "学校", "S01", b, true, "南开区某路1号"};
    must(grid_unit_update(st, &ed, &err), &err);
    json_t *u = NULL;
    must(grid_unit_get(st, a, &u, &err), &err);
    assert_string_equal(str(u, "name"), "中营实验小学");
    assert_string_equal(str(u, "cell_id"), "S01");
    assert_string_equal(str(u, "parent_code"), b);
    assert_true(json_is_true(json_object_get(u, "pilot")));
    assert_true(json_is_false(json_object_get(u, "disabled")));
    json_decref(u);
    assert_int_equal(logged(st, "unit", "update"), 1);
    /* The same refusals as adding, and nothing written on any of them. */
    grid_unit_in bad_type = {a, "中营小学", "幼儿园", NULL, NULL, false, NULL};
    assert_int_equal(grid_unit_update(st, &bad_type, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "type");
    grid_unit_in self_parent = {a, "中营小学", "学校", NULL, a, false, NULL};
    assert_int_equal(grid_unit_update(st, &self_parent, &err), AG_ERR_INPUT);
    grid_unit_in no_cell = {a, "中营小学", "学校", "X99", NULL, false, NULL};
    assert_int_equal(grid_unit_update(st, &no_cell, &err), AG_ERR_NOTFOUND);
    assert_contains(err.en, "X99");
    char ghost[19];
    code_for("12", 9, ghost);
    grid_unit_in missing = {ghost, "无此单位", "学校", NULL, NULL, false, NULL};
    assert_int_equal(grid_unit_update(st, &missing, &err), AG_ERR_NOTFOUND);
    assert_int_equal(logged(st, "unit", "update"), 1);
    /* Disabled and enabled again, each a logged change; the row stays. */
    must(grid_unit_set_disabled(st, a, true, &err), &err);
    must(grid_unit_get(st, a, &u, &err), &err);
    assert_true(json_is_true(json_object_get(u, "disabled")));
    json_decref(u);
    must(grid_unit_set_disabled(st, a, false, &err), &err);
    assert_int_equal(logged(st, "unit", "update"), 3);
    assert_int_equal(grid_unit_set_disabled(st, ghost, true, &err), AG_ERR_NOTFOUND);
    store_close(st);
}

static void persons_are_searched_edited_and_disabled(void **state)
{
    (void)state;
    ag_store *st = grid_db("person-edit.db");
    char a[19];
    code_for("12", 1, a);
    add_unit(st, a, "中营小学", "学校", "D01", NULL, false);
    int64_t wang = add_person(st, "王伟", a, "principal");
    int64_t li = add_person(st, "李娜", a, "auditor");
    ag_error err;
    grid_person_in bureau = {"孙丽", NULL, "网格指导员", NULL, NULL, NULL};
    int64_t sun = 0;
    must(grid_person_add_with_liaison(st, &bureau, "S01", &sun, &err), &err);
    /* Liaison refused: neither the person nor the duty is written. */
    grid_person_in other = {"周强", NULL, NULL, NULL, NULL, NULL};
    int64_t none = 0;
    assert_int_equal(grid_person_add_with_liaison(st, &other, "S99", &none, &err), AG_ERR_NOTFOUND);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM person WHERE name = '周强'"), 0);

    json_t *page = NULL;
    must(grid_person_page(st, "李", NULL, 50, 0, &page, &err), &err);
    assert_int_equal(json_integer_value(json_object_get(page, "total")), 1);
    json_t *p = json_array_get(json_object_get(page, "items"), 0);
    assert_int_equal(json_integer_value(json_object_get(p, "id")), li);
    assert_string_equal(str(p, "unit_name"), "中营小学");
    json_t *sub = json_array_get(json_object_get(p, "subjects"), 0);
    assert_string_equal(str(sub, "role"), "auditor");
    json_decref(page);
    /* By unit name, and by unit code. */
    must(grid_person_page(st, "中营", NULL, 50, 0, &page, &err), &err);
    assert_int_equal(json_integer_value(json_object_get(page, "total")), 2);
    json_decref(page);
    must(grid_person_page(st, NULL, a, 1, 1, &page, &err), &err);
    assert_int_equal(json_integer_value(json_object_get(page, "total")), 2);
    assert_int_equal(json_array_size(json_object_get(page, "items")), 1);
    json_decref(page);
    /* A LIKE wildcard is a literal character. */
    must(grid_person_page(st, "%", NULL, 50, 0, &page, &err), &err);
    assert_int_equal(json_integer_value(json_object_get(page, "total")), 0);
    json_decref(page);
    must(grid_person_get(st, sun, &p, &err), &err);
    assert_string_equal(str(json_array_get(json_object_get(p, "liaison_of"), 0), "cell_id"), "S01");
    json_decref(p);

    grid_person_in ed = {"王伟", a, "校长", "022-23000000", "w@example.cn", NULL};
    must(grid_person_update(st, wang, &ed, &err), &err);
    must(grid_person_get(st, wang, &p, &err), &err);
    assert_string_equal(str(p, "title"), "校长");
    json_decref(p);
    grid_person_in bad_phone = {"王伟", a, NULL, "abc", NULL, NULL};
    assert_int_equal(grid_person_update(st, wang, &bad_phone, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "phone");
    assert_int_equal(grid_person_update(st, 9999, &ed, &err), AG_ERR_NOTFOUND);
    must(grid_person_set_disabled(st, li, true, &err), &err);
    must(grid_person_get(st, li, &p, &err), &err);
    assert_true(json_is_true(json_object_get(p, "disabled")));
    json_decref(p);
    assert_int_equal(logged(st, "person", "update"), 2);
    store_close(st);
}

static void subjects_and_liaisons_are_removed_and_cells_edited(void **state)
{
    (void)state;
    ag_store *st = grid_db("subject-edit.db");
    char a[19];
    code_for("12", 1, a);
    add_unit(st, a, "中营小学", "学校", "D01", NULL, false);
    int64_t li = add_person(st, "李娜", a, "auditor");
    ag_error err;
    assert_int_equal(grid_subject_remove(st, a, li, "principal", &err), AG_ERR_NOTFOUND);
    assert_int_equal(grid_subject_remove(st, a, li, "boss", &err), AG_ERR_USAGE);
    must(grid_subject_remove(st, a, li, "auditor", &err), &err);
    json_t *u = NULL;
    must(grid_unit_get(st, a, &u, &err), &err);
    assert_int_equal(json_array_size(json_object_get(u, "auditors")), 0);
    json_decref(u);
    assert_int_equal(logged(st, "unit_subject", "delete"), 1);

    must(grid_liaison_add(st, "S01", li, &err), &err);
    assert_int_equal(grid_liaison_remove(st, "D01", li, &err), AG_ERR_NOTFOUND);
    must(grid_liaison_remove(st, "S01", li, &err), &err);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM cell_liaison"), 0);

    grid_cell_in ed = {"S01", "street", "长虹街道（新）", 21, 0};
    must(grid_cell_update(st, &ed, &err), &err);
    grid_cell_in bad = {"S01", "town", "x", 0, 0};
    assert_int_equal(grid_cell_update(st, &bad, &err), AG_ERR_USAGE);
    grid_cell_in ghost = {"S77", "street", "x", 0, 0};
    assert_int_equal(grid_cell_update(st, &ghost, &err), AG_ERR_NOTFOUND);
    must(grid_cell_set_disabled(st, "S01", true, &err), &err);
    int64_t n = 0;
    must(grid_cell_count(st, &n, &err), &err);
    assert_int_equal(n, 3);
    json_t *tree = NULL;
    must(grid_tree(st, &tree, &err), &err);
    json_t *s01 = json_array_get(json_object_get(tree, "cells"), 2);
    assert_string_equal(str(s01, "name"), "长虹街道（新）");
    assert_int_equal(json_integer_value(json_object_get(s01, "visit_days")), 21);
    assert_true(json_is_true(json_object_get(s01, "disabled")));
    json_decref(tree);
    store_close(st);
}

static void init_writes_the_district_and_catalog_or_nothing(void **state)
{
    (void)state;
    char path[1024];
    ag_test_path(path, sizeof path, "init.db");
    ag_store *st = NULL;
    ag_error err;
    must(store_open(path, AG_STORE_CREATE, &st, &err), &err);
    int64_t ver = 0;
    assert_int_equal(grid_init(st, "12x", "某区", &ver, &err), AG_ERR_INPUT);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM district"), 0);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM catalog_version"), 0);
    must(grid_init(st, "120104", "天津市南开区", &ver, &err), &err);
    assert_true(ver >= 1);
    assert_int_equal(grid_init(st, "120104", "天津市南开区", &ver, &err), AG_ERR_EXISTS);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM catalog_version"), 1);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_district_is_created_once_with_a_six_digit_code),
        cmocka_unit_test(cells_are_validated_and_unique),
        cmocka_unit_test(a_wrong_check_character_is_refused_naming_the_right_one),
        cmocka_unit_test(refused_units_write_nothing),
        cmocka_unit_test(units_without_a_cell_or_with_a_parent_are_kept_as_given),
        cmocka_unit_test(list_filters_by_pilot_cell_and_type),
        cmocka_unit_test(unit_get_includes_the_principal_and_auditors),
        cmocka_unit_test(a_new_principal_replaces_the_old_one),
        cmocka_unit_test(a_chief_auditor_is_only_for_an_soe),
        cmocka_unit_test(persons_are_validated),
        cmocka_unit_test(the_tree_groups_units_under_their_cells),
        cmocka_unit_test(a_unit_is_edited_with_the_checks_of_adding_and_disabled),
        cmocka_unit_test(persons_are_searched_edited_and_disabled),
        cmocka_unit_test(subjects_and_liaisons_are_removed_and_cells_edited),
        cmocka_unit_test(init_writes_the_district_and_catalog_or_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
