/* test_liaison.c - the grid liaison's cadence (issue 14 §5) under a controlled clock: slips appear
 * the day after the cadence passes and go with a log, reminders are written once, who may log. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/liaison.h"
#include "domain/grid.h"
#include "domain/liaison.h"
#include "domain/rectify.h"
#include "domain/scope.h"
#include "util/clock.h"
#include "util/date.h"
#include "util/uscc.h"
#include "../testutil.h"
#include "util/banned.h"

typedef struct world {
    ag_store *st;
    char ua[19], ub[19]; /* A in cell D01 (the liaison's), B in S01 */
    int64_t liaison_person;
    audit_actor admin, liaison, leader;
} world;

static void code_for(int n, char out[19])
{
    snprintf(out, 19, "12120104MB%07d", n);
    out[17] = uscc_check_char(out);
    out[18] = '\0';
}

static audit_actor actor(const char *role, const char *unit, const char *cell, int64_t person,
                         const char *name)
{
    audit_actor a;
    ag_error err;
    memset(&a, 0, sizeof a);
    must(scope_init(&a.scope, role, unit, cell, person, &err), &err);
    a.name = name;
    return a;
}

static int32_t day(const char *iso)
{
    int32_t d = 0;
    assert_true(ag_date_parse(iso, strlen(iso), &d));
    return d;
}

/* Today is `iso` in Beijing (10:00). */
static void today_is(const char *iso)
{
    char t[32];
    snprintf(t, sizeof t, "%sT02:00:00Z", iso);
    setenv("AUDITGRID_NOW", t, 1);
    assert_int_equal(ag_clock_today(), day(iso));
}

/* Units A and B registered on 2026-01-01. */
static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    ag_error err;
    today_is("2026-01-01");
    w->st = ag_test_fresh_db("liaison.db");
    must(grid_district_init(w->st, "120104", "天津市南开区", &err), &err);
    grid_cell_in d01 = {"D01", "dept", "区教育局", 0, 1}, s01 = {"S01", "street", "长虹街道", 0, 2};
    must(grid_cell_add(w->st, &d01, &err), &err);
    must(grid_cell_add(w->st, &s01, &err), &err);
    code_for(1, w->ua);
    code_for(2, w->ub);
    grid_unit_in a = {w->ua, "第一中学", "学校", "D01", NULL, true, NULL};
    grid_unit_in b = {w->ub, "长虹街道办事处", "街道", "S01", NULL, false, NULL};
    must(grid_unit_add(w->st, &a, &err), &err);
    must(grid_unit_add(w->st, &b, &err), &err);
    grid_person_in p = {"周网格员", NULL, NULL, NULL, NULL, NULL};
    must(grid_person_add(w->st, &p, &w->liaison_person, &err), &err);
    must(grid_liaison_add(w->st, "D01", w->liaison_person, &err), &err);
    w->admin = actor("admin", NULL, NULL, 0, "user:admin");
    w->liaison = actor("liaison", NULL, "D01", w->liaison_person, "user:zhou");
    w->leader = actor("leader", w->ua, NULL, 0, "user:leader");
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    store_close(w->st);
    free(w);
    unsetenv("AUDITGRID_NOW");
    return 0;
}

/* The to-do as "A|B:kind:days_overdue" words, for exact comparison. */
static void todo_text(world *w, const ag_scope *sc, const char *iso, char *out, size_t n)
{
    json_t *o = NULL;
    ag_error err;
    must(liaison_todo(w->st, sc, NULL, day(iso), &o, &err), &err);
    out[0] = '\0';
    json_t *items = json_object_get(o, "items");
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *x = json_array_get(items, i);
        size_t len = strlen(out);
        const char *code = json_string_value(json_object_get(x, "unit_code"));
        snprintf(out + len, n - len, "%s%s:%s:%lld", i ? " " : "", !strcmp(code, w->ua) ? "A" : "B",
                 json_string_value(json_object_get(x, "kind")),
                 (long long)json_integer_value(json_object_get(x, "days_overdue")));
    }
    json_decref(o);
}

static void log_at(world *w, const audit_actor *a, const char *unit, const char *kind,
                   const char *date)
{
    liaison_log_in in = {unit, date, kind, "王芳", "了解内审制度落实情况", NULL};
    ag_error err;
    json_t *o = NULL;
    must(app_liaison_log(w->st, a, &in, &o, &err), &err);
    assert_string_equal(json_string_value(json_object_get(o, "date")), date);
    json_decref(o);
}

static void the_cadence_is_a_month_and_a_quarter_until_the_bureau_sets_it(void **state)
{
    world *w = *state;
    ag_error err;
    liaison_cadence c;
    must(liaison_cadence_get(w->st, &c, &err), &err);
    assert_int_equal(c.contact_days, 30);
    assert_int_equal(c.visit_days, 90);
    liaison_cadence set = {45, 0};
    must(app_liaison_set_cadence(w->st, &set, NULL, &err), &err);
    must(liaison_cadence_get(w->st, &c, &err), &err);
    assert_int_equal(c.contact_days, 45);
    assert_int_equal(c.visit_days, 90);
    /* All or nothing, naming the field at fault. */
    liaison_cadence bad = {20, 400};
    assert_int_equal(app_liaison_set_cadence(w->st, &bad, NULL, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "visit_days");
    assert_non_null(strstr(err.zh, "走访周期"));
    must(liaison_cadence_get(w->st, &c, &err), &err);
    assert_int_equal(c.contact_days, 45);
    liaison_cadence back = {30, 90};
    must(app_liaison_set_cadence(w->st, &back, NULL, &err), &err);
}

static void slips_appear_the_day_after_the_cadence_passes(void **state)
{
    world *w = *state;
    char t[256];
    /* Never logged: counted from the registration on 2026-01-01. */
    todo_text(w, NULL, "2026-01-31", t, sizeof t);
    assert_string_equal(t, "");
    todo_text(w, NULL, "2026-02-01", t, sizeof t);
    assert_string_equal(t, "A:contact:1 B:contact:1");
    todo_text(w, NULL, "2026-04-01", t, sizeof t);
    assert_string_equal(t, "A:contact:60 B:contact:60");
    todo_text(w, NULL, "2026-04-02", t, sizeof t);
    assert_string_equal(t, "A:contact:61 B:contact:61 A:visit:1 B:visit:1");
    /* The liaison of D01 sees its cell's unit only. */
    todo_text(w, &w->liaison.scope, "2026-04-02", t, sizeof t);
    assert_string_equal(t, "A:contact:61 A:visit:1");
    json_t *f = NULL;
    ag_error err;
    must(liaison_figures(w->st, NULL, day("2026-04-02"), &f, &err), &err);
    assert_int_equal(json_integer_value(json_object_get(f, "contact")), 2);
    assert_int_equal(json_integer_value(json_object_get(f, "visit")), 2);
    assert_int_equal(json_integer_value(json_object_get(f, "units")), 2);
    json_decref(f);
}

static int64_t count(ag_store *st, const char *sql)
{
    int64_t n = -1;
    ag_error err;
    must(store_query_int(st, &n, &err, sql, NULL), &err);
    return n;
}

static void a_log_clears_its_slip_and_reminders_are_written_once(void **state)
{
    world *w = *state;
    ag_error err;
    char t[256];
    int64_t n = -1;
    today_is("2026-02-10");
    must(app_liaison_remind(w->st, &n, &err), &err);
    assert_int_equal(n, 2);
    must(app_liaison_remind(w->st, &n, &err), &err);
    assert_int_equal(n, 0); /* idempotent */
    /* The liaison sees the reminder of its cell's unit in 提醒, not the other cell's. */
    json_t *o = NULL;
    must(rectify_notifications(w->st, &w->liaison.scope, 100, true, &o, &err), &err);
    assert_int_equal(json_integer_value(json_object_get(o, "unread")), 1);
    json_t *x = json_array_get(json_object_get(o, "items"), 0);
    assert_string_equal(json_string_value(json_object_get(x, "kind")), "liaison_contact");
    assert_string_equal(json_string_value(json_object_get(x, "unit_code")), w->ua);
    assert_non_null(strstr(json_string_value(json_object_get(x, "message_zh")), "第一中学"));
    json_decref(o);
    /* A contact today: the slip goes, and so does the reminder's unread mark. */
    log_at(w, &w->liaison, w->ua, "contact", "2026-02-10");
    todo_text(w, NULL, "2026-02-10", t, sizeof t);
    assert_string_equal(t, "B:contact:10");
    must(rectify_notifications(w->st, &w->liaison.scope, 100, true, &o, &err), &err);
    assert_int_equal(json_integer_value(json_object_get(o, "unread")), 0);
    json_decref(o);
    /* Due again 30 days later, slipped the day after; a new reminder for the new due date. */
    todo_text(w, &w->liaison.scope, "2026-03-12", t, sizeof t);
    assert_string_equal(t, "");
    todo_text(w, &w->liaison.scope, "2026-03-13", t, sizeof t);
    assert_string_equal(t, "A:contact:1");
    today_is("2026-03-13");
    must(app_liaison_remind(w->st, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_int_equal(count(w->st, "SELECT COUNT(*) FROM notification WHERE kind ="
                                  " 'liaison_contact' AND read_at IS NULL"),
                     2);
    /* A visit (in Chinese, 走访) is also a contact. */
    log_at(w, &w->admin, w->ub, "走访", "2026-03-13");
    todo_text(w, NULL, "2026-03-13", t, sizeof t);
    assert_string_equal(t, "A:contact:1");
    todo_text(w, NULL, "2026-04-02", t, sizeof t);
    assert_string_equal(t, "A:contact:21 A:visit:1");
    /* A back-dated visit counts from its date. */
    log_at(w, &w->liaison, w->ua, "visit", "2026-03-01");
    todo_text(w, NULL, "2026-03-31", t, sizeof t);
    assert_string_equal(t, "");
    todo_text(w, NULL, "2026-04-01", t, sizeof t);
    assert_string_equal(t, "A:contact:1");
}

static void who_may_log_and_what_a_log_needs(void **state)
{
    world *w = *state;
    ag_error err;
    today_is("2026-02-10");
    liaison_log_in in = {w->ua, NULL, "contact", "王芳", NULL, NULL};
    assert_int_equal(liaison_log_add(w->st, &w->leader, &in, NULL, &err), AG_ERR_DENIED);
    /* Outside the liaison's cells the unit is not found, as if it did not exist. */
    in.unit_code = w->ub;
    assert_int_equal(liaison_log_add(w->st, &w->liaison, &in, NULL, &err), AG_ERR_NOTFOUND);
    assert_string_equal(err.where, "unit_code");
    in.unit_code = w->ua;
    in.date = "2026-02-11";
    assert_int_equal(liaison_log_add(w->st, &w->liaison, &in, NULL, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "date");
    assert_non_null(strstr(err.zh, "不能晚于今天"));
    in.date = "2026-02-30";
    assert_int_equal(liaison_log_add(w->st, &w->liaison, &in, NULL, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "date");
    in.date = NULL;
    in.kind = "phone";
    assert_int_equal(liaison_log_add(w->st, &w->liaison, &in, NULL, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "kind");
    in.kind = "联系";
    in.person = "";
    assert_int_equal(liaison_log_add(w->st, &w->liaison, &in, NULL, &err), AG_ERR_INPUT);
    assert_string_equal(err.where, "person");
    in.person = "王芳";
    in.followups = "两周内补齐内审台账";
    int64_t id = 0;
    must(liaison_log_add(w->st, &w->liaison, &in, &id, &err), &err);
    json_t *o = NULL;
    must(liaison_log_get(w->st, id, &w->liaison.scope, &o, &err), &err);
    assert_string_equal(json_string_value(json_object_get(o, "kind")), "contact");
    assert_string_equal(json_string_value(json_object_get(o, "kind_zh")), "联系");
    assert_string_equal(json_string_value(json_object_get(o, "date")), "2026-02-10");
    assert_string_equal(json_string_value(json_object_get(o, "followups")), "两周内补齐内审台账");
    json_decref(o);
    /* The list keeps to the scope; the leader of A sees A's log too. */
    liaison_filter f = {NULL, NULL, 0, 0};
    must(liaison_log_list(w->st, &f, &w->leader.scope, &o, &err), &err);
    assert_true(json_integer_value(json_object_get(o, "total")) >= 1);
    json_t *items = json_object_get(o, "items");
    for (size_t i = 0; i < json_array_size(items); i++)
        assert_string_equal(
            json_string_value(json_object_get(json_array_get(items, i), "unit_code")), w->ua);
    json_decref(o);
    f.kind = "call";
    assert_int_equal(liaison_log_list(w->st, &f, NULL, &o, &err), AG_ERR_INPUT);
    /* Every write went through the audit log. */
    assert_true(count(w->st, "SELECT COUNT(*) FROM audit_log WHERE tbl = 'liaison_log'") >= 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            the_cadence_is_a_month_and_a_quarter_until_the_bureau_sets_it, setup, teardown),
        cmocka_unit_test_setup_teardown(slips_appear_the_day_after_the_cadence_passes, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_log_clears_its_slip_and_reminders_are_written_once, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(who_may_log_and_what_a_log_needs, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
