/* test_warnings.c - a warning's life: the one transition table, who may take which action, the
 * sampled review of dismissals, the bureau's notices and its review. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/grid.h"
#include "domain/scope.h"
#include "domain/warnings.h"
#include "util/uscc.h"
#include "../testutil.h"
#include "util/banned.h"

typedef struct world {
    ag_store *st;
    char ua[19];
    int64_t liaison_person;
    ag_scope admin, reviewer, auditor, liaison, leader;
} world;

static void code_for(const char *head, int n, char out[19])
{
    snprintf(out, 19, "%s120104MB%07d", head, n);
    out[17] = uscc_check_char(out);
    out[18] = '\0';
}

static ag_scope scope_of(const char *role, const char *unit, const char *cell, int64_t person)
{
    ag_scope s;
    ag_error err;
    must(scope_init(&s, role, unit, cell, person, &err), &err);
    return s;
}

static int64_t count(ag_store *st, const char *sql)
{
    int64_t n = -1;
    ag_error err;
    must(store_query_int(st, &n, &err, sql, NULL), &err);
    return n;
}

static void refused(ag_err rc, ag_err want, const ag_error *err)
{
    if (rc != want)
        fail_msg("expected %s, got %s: %s", ag_err_name(want), ag_err_name(rc),
                 rc ? err->en : "(ok)");
    assert_true(err->zh[0] != '\0');
    assert_true(err->en[0] != '\0');
}

/* Forty warnings of unit A: the first ten high, the rest low. */
static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    ag_error err;
    w->st = ag_test_fresh_db("warnings.db");
    must(grid_district_init(w->st, "120104", "天津市南开区", &err), &err);
    grid_cell_in cell = {"D01", "dept", "区教育局", 0, 1};
    must(grid_cell_add(w->st, &cell, &err), &err);
    code_for("12", 1, w->ua);
    grid_unit_in u = {w->ua, "第一中学", "学校", "D01", NULL, true, NULL};
    must(grid_unit_add(w->st, &u, &err), &err);
    grid_person_in p = {"周网格员", NULL, NULL, "022-23456789", NULL, NULL};
    must(grid_person_add(w->st, &p, &w->liaison_person, &err), &err);
    must(grid_liaison_add(w->st, "D01", w->liaison_person, &err), &err);
    json_t *arr = json_array();
    for (int i = 0; i < 40; i++) {
        char fp[32], voucher[16];
        snprintf(fp, sizeof fp, "fp-%02d", i);
        snprintf(voucher, sizeof voucher, "记-%d", i + 1);
        json_array_append_new(
            arr, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:s,s:s,s:{}}", "fingerprint", fp,
                           "unit", w->ua, "item", "F03", "rule", "dup_payment", "severity",
                           i < 10 ? "high" : "low", "date", "2025-03-05", "voucher", voucher,
                           "line", 1, "amount", "95000.00", "message", "重复支付", "evidence"));
    }
    warnings_run run = {.unit_code = w->ua, .year = 2025, .catalog_version = "2026.1"};
    must(warnings_record(w->st, &run, arr, NULL, NULL, &err), &err);
    json_decref(arr);
    w->admin = scope_of("admin", NULL, NULL, 0);
    w->reviewer = scope_of("reviewer", NULL, NULL, 0);
    w->auditor = scope_of("auditor", w->ua, NULL, 0);
    w->liaison = scope_of("liaison", NULL, "D01", w->liaison_person);
    w->leader = scope_of("leader", w->ua, NULL, 0);
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    store_close(w->st);
    free(w);
    return 0;
}

static int64_t nth_id(world *w, int n)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT id FROM warning ORDER BY id LIMIT 1 OFFSET %d", n);
    return count(w->st, sql);
}

/* The actions w offers this scope, as "a,b,c" in table order. */
static void actions_of(world *w, int64_t id, const ag_scope *sc, const char *by, char *out,
                       size_t n)
{
    json_t *o = NULL;
    ag_error err;
    must(warnings_get(w->st, id, NULL, &o, &err), &err);
    json_t *a = warnings_actions(o, sc, by);
    out[0] = '\0';
    for (size_t i = 0; i < json_array_size(a); i++) {
        size_t len = strlen(out);
        snprintf(out + len, n - len, "%s%s", i ? "," : "",
                 json_string_value(json_object_get(json_array_get(a, i), "action")));
    }
    json_decref(a);
    json_decref(o);
}

static const char *state_of(world *w, int64_t id, char out[32])
{
    json_t *o = NULL;
    ag_error err;
    must(warnings_get(w->st, id, NULL, &o, &err), &err);
    snprintf(out, 32, "%s", json_string_value(json_object_get(o, "state")));
    json_decref(o);
    return out;
}

/* Every row names known states, no (state, action) pair twice, and the
 * roles are as the issue says: the unit triages, the bureau reviews. */
static void the_table_is_one_table(void **state)
{
    (void)state;
    const char *known[] = {"open", "acknowledged", "escalated", "review", "dismissed"};
    for (int i = 0; i < warnings_transition_count; i++) {
        const warnings_transition *t = &warnings_transitions[i];
        bool from = false, to = false;
        for (int k = 0; k < 5; k++) {
            from |= !strcmp(t->from, known[k]);
            to |= !strcmp(t->to, known[k]);
        }
        assert_true(from && to);
        assert_ptr_equal(warnings_transition_find(t->from, t->action), t);
        /* Nobody but the bureau and the unit's triagers acts on warnings. */
        assert_false(t->who & AG_ROLE_BIT(AG_ROLE_LEADER));
        assert_false(t->who & AG_ROLE_BIT(AG_ROLE_SUPERVISOR));
    }
    assert_null(warnings_transition_find("dismissed", "reopen"));
    assert_null(warnings_transition_find("open", "accept"));
    const warnings_transition *d = warnings_transition_find("open", "dismiss");
    assert_non_null(d);
    assert_true(d->reason);
    assert_false(d->who & AG_ROLE_BIT(AG_ROLE_REVIEWER));
}

static void actions_follow_role_and_state(void **state)
{
    world *w = *state;
    char a[200];
    int64_t id = nth_id(w, 12);
    actions_of(w, id, &w->auditor, "auditor", a, sizeof a);
    assert_string_equal(a, "acknowledge,dismiss,escalate");
    actions_of(w, id, &w->reviewer, "reviewer", a, sizeof a);
    assert_string_equal(a, "");
    actions_of(w, id, &w->leader, "leader", a, sizeof a);
    assert_string_equal(a, "");
    ag_error err;
    must(warnings_triage(w->st, id, &w->auditor, "escalate", NULL, "auditor", NULL, &err), &err);
    actions_of(w, id, &w->admin, "admin", a, sizeof a);
    assert_string_equal(a, "dismiss,reopen,to_finding,to_rectification");
    actions_of(w, id, &w->reviewer, "reviewer", a, sizeof a);
    assert_string_equal(a, "dismiss,reopen");
    /* A reviewer may not take what the table does not give it. */
    refused(warnings_triage(w->st, nth_id(w, 13), &w->reviewer, "acknowledge", NULL, "reviewer",
                            NULL, &err),
            AG_ERR_DENIED, &err);
    /* Asking again for the state it is in stays a conflict. */
    refused(warnings_triage(w->st, id, &w->auditor, "escalate", NULL, "auditor", NULL, &err),
            AG_ERR_EXISTS, &err);
}

static void sampling_is_deterministic(void **state)
{
    (void)state;
    int picked = 0;
    for (int64_t id = 1; id <= 1000; id++) {
        bool s = warnings_sampled(id, "low", 20);
        assert_int_equal(s, warnings_sampled(id, "medium", 20));
        picked += s;
        assert_true(warnings_sampled(id, "high", 0));
        assert_false(warnings_sampled(id, "low", 0));
        assert_true(warnings_sampled(id, "low", 100));
    }
    /* About a fifth: the hash spreads consecutive ids. */
    assert_in_range(picked, 150, 250);
}

static void the_share_is_a_setting(void **state)
{
    world *w = *state;
    ag_error err;
    int share = -1;
    must(warnings_review_share(w->st, &share, &err), &err);
    assert_int_equal(share, WARNINGS_REVIEW_SHARE);
    refused(warnings_set_review_share(w->st, 101, &err), AG_ERR_INPUT, &err);
    assert_string_equal(err.where, "share");
    must(warnings_set_review_share(w->st, 0, &err), &err);
    must(warnings_set_review_share(w->st, 35, &err), &err);
    must(warnings_review_share(w->st, &share, &err), &err);
    assert_int_equal(share, 35);
    assert_int_equal(count(w->st, "SELECT COUNT(*) FROM audit_log WHERE tbl = 'setting'"), 2);
}

/* High severity always waits for review; with share 0 a low one is final. */
static void a_dismissal_waits_for_review(void **state)
{
    world *w = *state;
    ag_error err;
    char st[32];
    must(warnings_set_review_share(w->st, 0, &err), &err);
    int64_t high = nth_id(w, 0), low = nth_id(w, 20);
    refused(warnings_triage(w->st, high, &w->auditor, "dismiss", " ", "auditor", NULL, &err),
            AG_ERR_INPUT, &err);
    assert_string_equal(err.where, "reason");
    must(warnings_triage(w->st, high, &w->auditor, "dismiss", "已核实：系正常报销", "auditor", NULL,
                         &err),
         &err);
    assert_string_equal(state_of(w, high, st), "review");
    must(warnings_triage(w->st, low, &w->auditor, "dismiss", "已核实", "auditor", NULL, &err),
         &err);
    assert_string_equal(state_of(w, low, st), "dismissed");
    char a[200];
    actions_of(w, low, &w->admin, "admin", a, sizeof a);
    assert_string_equal(a, ""); /* not sampled: final */
    /* The sampled one is a notice for the bureau, and in the review filter. */
    assert_int_equal(count(w->st, "SELECT COUNT(*) FROM notification WHERE audience = 'bureau'"
                                  " AND kind = 'warning_review'"),
                     1);
    json_t *list = NULL;
    warnings_filter f = {.state = "review"};
    must(warnings_list(w->st, &f, &list, &err), &err);
    assert_int_equal(json_integer_value(json_object_get(list, "total")), 1);
    json_decref(list);
    /* The unit does not review itself; the cell's liaison does. */
    refused(warnings_triage(w->st, high, &w->auditor, "accept", NULL, "auditor", NULL, &err),
            AG_ERR_DENIED, &err);
    must(warnings_triage(w->st, high, &w->liaison, "accept", NULL, "liaison", NULL, &err), &err);
    assert_string_equal(state_of(w, high, st), "dismissed");
}

static void nobody_reviews_their_own_dismissal(void **state)
{
    world *w = *state;
    ag_error err;
    char st[32], a[200];
    int64_t id = nth_id(w, 1);
    must(warnings_triage(w->st, id, &w->liaison, "dismiss", "重复导入", "liaison", NULL, &err),
         &err);
    actions_of(w, id, &w->liaison, "liaison", a, sizeof a);
    assert_string_equal(a, "");
    refused(warnings_triage(w->st, id, &w->liaison, "accept", NULL, "liaison", NULL, &err),
            AG_ERR_DENIED, &err);
    /* The bureau reopens it with a note: back to 未处理. */
    refused(warnings_triage(w->st, id, &w->reviewer, "reopen", "", "reviewer", NULL, &err),
            AG_ERR_INPUT, &err);
    json_t *o = NULL;
    must(warnings_triage(w->st, id, &w->reviewer, "reopen", "理由不充分，请补充说明", "reviewer",
                         &o, &err),
         &err);
    assert_string_equal(json_string_value(json_object_get(o, "state")), "open");
    assert_string_equal(json_string_value(json_object_get(o, "review_note")),
                        "理由不充分，请补充说明");
    assert_string_equal(json_string_value(json_object_get(o, "review_by")), "reviewer");
    json_decref(o);
    assert_string_equal(state_of(w, id, st), "open");
}

static void an_escalation_reaches_the_bureau(void **state)
{
    world *w = *state;
    ag_error err;
    char st[32];
    int64_t id = nth_id(w, 30);
    int64_t before = count(w->st, "SELECT COUNT(*) FROM audit_log WHERE tbl = 'notification'");
    must(warnings_triage(w->st, id, &w->auditor, "escalate", "金额较大", "auditor", NULL, &err),
         &err);
    assert_int_equal(count(w->st, "SELECT COUNT(*) FROM notification WHERE audience = 'bureau'"
                                  " AND kind = 'warning_escalated' AND cell_id = 'D01'"),
                     1);
    assert_int_equal(count(w->st, "SELECT COUNT(*) FROM audit_log WHERE tbl = 'notification'"),
                     before + 1);
    /* The bureau dismisses it: its dismissal is the review, final. */
    must(warnings_set_review_share(w->st, 100, &err), &err);
    must(warnings_triage(w->st, id, &w->admin, "dismiss", "经复核不构成问题", "admin", NULL, &err),
         &err);
    assert_string_equal(state_of(w, id, st), "dismissed");
    refused(warnings_triage(w->st, id, &w->auditor, "acknowledge", NULL, "auditor", NULL, &err),
            AG_ERR_DENIED, &err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_table_is_one_table),
        cmocka_unit_test(sampling_is_deterministic),
        cmocka_unit_test_setup_teardown(actions_follow_role_and_state, setup, teardown),
        cmocka_unit_test_setup_teardown(the_share_is_a_setting, setup, teardown),
        cmocka_unit_test_setup_teardown(a_dismissal_waits_for_review, setup, teardown),
        cmocka_unit_test_setup_teardown(nobody_reviews_their_own_dismissal, setup, teardown),
        cmocka_unit_test_setup_teardown(an_escalation_reaches_the_bureau, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
