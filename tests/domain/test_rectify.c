/* test_rectify.c - the rectification ledger: transitions, roles, overdue and escalation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "domain/attach.h"
#include "domain/audit.h"
#include "domain/catalog.h"
#include "domain/grid.h"
#include "domain/rectify.h"
#include "util/clock.h"
#include "util/date.h"
#include "util/uscc.h"
#include "../testutil.h"
#include "util/banned.h"

/* ---- helpers ------------------------------------------------------------ */

/* Asserts a refusal with the expected code and that both languages speak. */
static void refused(ag_err rc, ag_err want, const ag_error *err)
{
    if (rc != want)
        fail_msg("expected %s, got %s: %s", ag_err_name(want), ag_err_name(rc),
                 rc ? err->en : "(ok)");
    assert_true(err->zh[0] != '\0');
    assert_true(err->en[0] != '\0');
}

static void assert_contains(const char *haystack, const char *needle)
{
    if (!haystack || !strstr(haystack, needle))
        fail_msg("expected \"%s\" in \"%s\"", needle, haystack ? haystack : "(null)");
}

static int64_t count(ag_store *st, const char *sql)
{
    int64_t n = -1;
    ag_error err;
    must(store_query_int(st, &n, &err, sql, NULL), &err);
    return n;
}

static void code_for(const char *head, int n, char out[19])
{
    snprintf(out, 19, "%s120104MB%07d", head, n);
    out[17] = uscc_check_char(out);
    out[18] = '\0';
}

static const char *str(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static int64_t num(json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

static void set_today(const char *day)
{
    setenv("AUDITGRID_NOW", day, 1);
}

/* today + n days as YYYY-MM-DD. */
static void day_after(int n, char out[11])
{
    ag_date_format(ag_clock_today() + n, out);
}

/* ---- the world: a district, three units, people, a cross audit ---------- */

/* A (第一中学, cell D01) is audited by a team from B (第二中学, D01) and C
 * (长虹街道办事处, S01). */
typedef struct world {
    ag_store *st;
    char path[1024], dir[1100];
    char ua[19], ub[19], uc[19];
    int64_t p_principal, p_auditor_a, p_lead, p_member, p_leader_c, p_liaison;
    audit_actor admin, reviewer, leader_a, auditor_a, lead, member, leader_c, sup_d01, sup_s01,
        liaison;
} world;

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

static int64_t person(world *w, const char *name, const char *unit, const char *role)
{
    grid_person_in p = {name, unit, NULL, "022-23456789", NULL, role};
    int64_t id = 0;
    ag_error err;
    must(grid_person_add(w->st, &p, &id, &err), &err);
    return id;
}

static int setup(void **state)
{
    set_today("2026-03-02");
    world *w = calloc(1, sizeof *w);
    ag_error err;
    ag_test_path(w->path, sizeof w->path, "rectify.db");
    must(store_open(w->path, AG_STORE_CREATE, &w->st, &err), &err);
    must(attach_dir_for(w->path, w->dir, sizeof w->dir, &err), &err);
    must(grid_district_init(w->st, "120104", "天津市南开区", &err), &err);
    grid_cell_in cells[] = {{"D01", "dept", "区教育局", 0, 1}, {"S01", "street", "长虹街道", 0, 2}};
    for (int i = 0; i < 2; i++)
        must(grid_cell_add(w->st, &cells[i], &err), &err);
    code_for("12", 1, w->ua);
    code_for("12", 2, w->ub);
    code_for("11", 3, w->uc);
    grid_unit_in units[] = {{w->ua, "第一中学", "学校", "D01", NULL, true, NULL},
                            {w->ub, "第二中学", "学校", "D01", NULL, false, NULL},
                            {w->uc, "长虹街道办事处", "街道", "S01", NULL, false, NULL}};
    for (int i = 0; i < 3; i++)
        must(grid_unit_add(w->st, &units[i], &err), &err);
    int64_t version = 0;
    must(catalog_install_default(w->st, &version, &err), &err);
    w->p_principal = person(w, "王校长", w->ua, "principal");
    w->p_auditor_a = person(w, "李审计", w->ua, "auditor");
    w->p_lead = person(w, "赵组长", w->ub, "auditor");
    w->p_member = person(w, "钱组员", w->uc, "auditor");
    w->p_leader_c = person(w, "孙主任", w->uc, "principal");
    w->p_liaison = person(w, "周网格员", NULL, NULL);
    must(grid_liaison_add(w->st, "D01", w->p_liaison, &err), &err);
    w->admin = actor("admin", NULL, NULL, 0, "user:admin");
    w->reviewer = actor("reviewer", NULL, NULL, 0, "user:reviewer");
    w->leader_a = actor("leader", w->ua, NULL, w->p_principal, "user:wang");
    w->auditor_a = actor("auditor", w->ua, NULL, w->p_auditor_a, "user:li");
    w->lead = actor("auditor", w->ub, NULL, w->p_lead, "user:zhao");
    w->member = actor("auditor", w->uc, NULL, w->p_member, "user:qian");
    w->leader_c = actor("leader", w->uc, NULL, w->p_leader_c, "user:sun");
    w->sup_d01 = actor("supervisor", NULL, "D01", 0, "user:edu");
    w->sup_s01 = actor("supervisor", NULL, "S01", 0, "user:street");
    w->liaison = actor("liaison", NULL, "D01", w->p_liaison, "user:zhou");
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

static int64_t record(world *w, int64_t pid, const char *kind, const char *doc_no)
{
    audit_record_in r = {kind, kind, doc_no, "正文", NULL, 0};
    int64_t id = 0;
    ag_error err;
    must(audit_record_add(w->st, &w->admin, pid, &r, &id, &err), &err);
    return id;
}

static void advance(world *w, int64_t pid, const char *want)
{
    const char *stage = NULL;
    ag_error err;
    must(app_audit_advance(w->st, &w->admin, pid, &stage, &err), &err);
    assert_string_equal(stage, want);
}

/* Walks an audit of `unit` (of `kind`, led by `lead` with `member`) from
 * plan to the rectification stage with three findings (F03 immediate, F07
 * phased, K2 continuous); returns the project id. */
static int64_t walk_unit(world *w, const char *code, const char *kind, const char *unit,
                         int64_t lead, int64_t member)
{
    ag_error err;
    static const char *const items[] = {"F03", "F07", "K2"};
    audit_project_in in = {code,         "第一中学财务收支审计", kind,  unit,
                           "2025-01-01", "2025-12-31",           items, 3};
    int64_t pid = 0;
    must(audit_project_create(w->st, &w->admin, &in, &pid, &err), &err);
    must(audit_team_add(w->st, &w->admin, pid, lead, "lead", &err), &err);
    must(audit_team_add(w->st, &w->admin, pid, member, "member", &err), &err);
    record(w, pid, "plan", NULL);
    record(w, pid, "plan_approval", NULL);
    record(w, pid, "notice", "南审通〔2026〕12号");
    record(w, pid, "survey", NULL);
    advance(w, pid, "field");
    record(w, pid, "working_paper", NULL);
    audit_finding_in f[] = {
        {"F03", "大额资金支付未经集体决策", "2025年3笔大额支付无会议纪要", 9500000,
         "《行政事业单位内部控制规范》第二十九条", "high", "补充决策程序", "张会计", 0,
         "immediate"},
        {"F07", "往来款长期挂账未清理", "其他应收款挂账三年以上", 12000000, "《政府会计制度》",
         "medium", "清理往来款", "张会计", 0, "phased"},
        {"K2", "预算执行进度偏慢", "专项资金执行率不足50%", 0, "《预算法》第五十七条", "low",
         "加快执行", NULL, 0, "continuous"},
    };
    for (int i = 0; i < 3; i++) {
        int64_t fid = 0;
        must(audit_finding_add(w->st, &w->admin, pid, &f[i], &fid, &err), &err);
    }
    advance(w, pid, "report");
    record(w, pid, "draft_report", NULL);
    record(w, pid, "response", NULL);
    record(w, pid, "final_report", "南审报〔2026〕5号");
    advance(w, pid, "rectify");
    return pid;
}

static int64_t walk_kind(world *w, const char *code, const char *kind, int64_t lead)
{
    return walk_unit(w, code, kind, w->ua, lead, w->p_member);
}

/* The usual case: a cross audit led from unit B. */
static int64_t walk_to_rectify(world *w, const char *code)
{
    return walk_kind(w, code, "cross", w->p_lead);
}

/* The item of project pid for catalog item `item`. */
static int64_t item_id(world *w, int64_t pid, const char *item)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT r.id FROM rectification r JOIN finding f ON f.id = r.finding_id"
             " WHERE r.project_id = %lld AND f.item = '%s'",
             (long long)pid, item);
    return count(w->st, sql);
}

static const char *state_of(world *w, int64_t id)
{
    static char buf[32];
    json_t *o = NULL;
    ag_error err;
    must(rectify_get(w->st, id, NULL, &o, &err), &err);
    snprintf(buf, sizeof buf, "%s", str(o, "state"));
    json_decref(o);
    return buf;
}

/* An unowned evidence file of unit. */
static int64_t evidence_of(world *w, const char *unit, const char *name)
{
    char text[128];
    snprintf(text, sizeof text, "整改完成情况说明：%s\n", name);
    int64_t id = 0;
    ag_error err;
    must(attach_put(w->st, w->dir, unit, name, text, strlen(text), &id, NULL, &err), &err);
    return id;
}

/* An unowned evidence file of unit A. */
static int64_t evidence(world *w, const char *name)
{
    return evidence_of(w, w->ua, name);
}

static json_t *list(world *w, const rectify_filter *f, const ag_scope *sc)
{
    json_t *o = NULL;
    ag_error err;
    must(rectify_list(w->st, f, sc, &o, &err), &err);
    return o;
}

/* Progress then a claim with one file, by the unit's auditor. */
static void claim(world *w, int64_t id, const char *file)
{
    ag_error err;
    int64_t ev = evidence(w, file);
    must(rectify_claim(w->st, &w->auditor_a, id, "已整改到位", &ev, 1, &err), &err);
}

/* ---- creation and deadlines --------------------------------------------- */

static void entering_rectify_creates_one_item_per_finding_with_class_deadlines(void **state)
{
    world *w = *state;
    int64_t pid = walk_to_rectify(w, "SJ-2026-001");
    assert_int_equal(count(w->st, "SELECT COUNT(*) FROM rectification"), 3);
    assert_int_equal(count(w->st, "SELECT COUNT(*) FROM rectification WHERE state = 'open'"), 3);
    const char *items[] = {"F03", "F07", "K2"};
    const char *classes[] = {"immediate", "phased", "continuous"};
    int days[] = {30, 180, 365};
    for (int i = 0; i < 3; i++) {
        json_t *o = NULL;
        ag_error err;
        must(rectify_get(w->st, item_id(w, pid, items[i]), NULL, &o, &err), &err);
        char want[11];
        day_after(days[i], want);
        assert_string_equal(str(o, "class"), classes[i]);
        assert_string_equal(str(o, "deadline"), want);
        assert_string_equal(str(o, "notice_no"), "南审通〔2026〕12号");
        assert_string_equal(str(o, "principal"), "王校长");
        assert_string_equal(str(o, "team_lead"), "赵组长");
        json_decref(o);
    }
    /* Again: nothing new, every finding already has its item. */
    int64_t made = -1;
    ag_error err;
    must(rectify_create_for_project(w->st, pid, &made, &err), &err);
    assert_int_equal(made, 0);
    refused(rectify_create_for_project(w->st, 9999, NULL, &err), AG_ERR_NOTFOUND, &err);
}

static void default_days_are_settings_and_change_only_new_items(void **state)
{
    world *w = *state;
    json_t *o = NULL;
    ag_error err;
    must(rectify_deadline_settings(w->st, &o, &err), &err);
    assert_int_equal(num(o, "immediate"), 30);
    assert_int_equal(num(o, "phased"), 180);
    assert_int_equal(num(o, "continuous"), 365);
    json_decref(o);
    refused(rectify_set_deadline_days(w->st, "phased", 0, &err), AG_ERR_INPUT, &err);
    refused(rectify_set_deadline_days(w->st, "phased", 1096, &err), AG_ERR_INPUT, &err);
    refused(rectify_set_deadline_days(w->st, "someday", 30, &err), AG_ERR_INPUT, &err);
    int d = 0;
    refused(rectify_deadline_days(w->st, "someday", &d, &err), AG_ERR_INPUT, &err);

    int64_t p1 = walk_to_rectify(w, "SJ-2026-001");
    int64_t before = count(w->st, "SELECT COUNT(*) FROM audit_log");
    must(rectify_set_deadline_days(w->st, "phased", 90, &err), &err);
    must(rectify_set_deadline_days(w->st, "phased", 60, &err), &err); /* an update, not a 2nd row */
    assert_int_equal(count(w->st, "SELECT COUNT(*) FROM audit_log"), before + 2);
    assert_int_equal(count(w->st, "SELECT COUNT(*) FROM setting"), 1);
    must(rectify_deadline_days(w->st, "phased", &d, &err), &err);
    assert_int_equal(d, 60);

    int64_t p2 = walk_to_rectify(w, "SJ-2026-002");
    char old[11], fresh[11];
    day_after(180, old);
    day_after(60, fresh);
    json_t *a = NULL, *b = NULL;
    must(rectify_get(w->st, item_id(w, p1, "F07"), NULL, &a, &err), &err);
    must(rectify_get(w->st, item_id(w, p2, "F07"), NULL, &b, &err), &err);
    assert_string_equal(str(a, "deadline"), old);
    assert_string_equal(str(b, "deadline"), fresh);
    json_decref(a);
    json_decref(b);

    /* A hand-edited value the program cannot read falls back to the default. */
    must(store_exec(w->st, "UPDATE setting SET value = 'soon' WHERE key = 'rectify.days.phased'",
                    &err),
         &err);
    must(rectify_deadline_days(w->st, "phased", &d, &err), &err);
    assert_int_equal(d, 180);
}

/* ---- the audited unit's side -------------------------------------------- */

static void the_unit_sets_measures_reports_progress_and_claims_with_evidence(void **state)
{
    world *w = *state;
    ag_error err;
    int64_t pid = walk_to_rectify(w, "SJ-2026-001");
    int64_t id = item_id(w, pid, "F03");

    must(rectify_set_measures(w->st, &w->leader_a, id, "补开党组会议，完善支付审批流程", &err),
         &err);
    assert_string_equal(state_of(w, id), "open");
    refused(rectify_set_measures(w->st, &w->leader_a, id, "  ", &err), AG_ERR_INPUT, &err);

    /* A claim without any evidence is refused and writes nothing. */
    int64_t events = count(w->st, "SELECT COUNT(*) FROM rect_event");
    refused(rectify_claim(w->st, &w->auditor_a, id, "已整改", NULL, 0, &err), AG_ERR_INPUT, &err);
    assert_contains(err.en, "evidence");
    assert_int_equal(count(w->st, "SELECT COUNT(*) FROM rect_event"), events);
    assert_string_equal(state_of(w, id), "open");

    /* Progress moves open to in_progress and keeps its file. */
    int64_t f1 = evidence(w, "会议纪要.txt");
    must(rectify_progress(w->st, &w->auditor_a, id, "已召开专题会议", &f1, 1, &err), &err);
    assert_string_equal(state_of(w, id), "in_progress");
    must(rectify_progress(w->st, &w->auditor_a, id, "已修订制度", NULL, 0, &err), &err);
    assert_string_equal(state_of(w, id), "in_progress");
    refused(rectify_progress(w->st, &w->auditor_a, id, "", NULL, 0, &err), AG_ERR_INPUT, &err);

    /* An attachment already owned, or of another unit, is refused. */
    refused(rectify_progress(w->st, &w->auditor_a, id, "再附一次", &f1, 1, &err), AG_ERR_NOTFOUND,
            &err);
    int64_t foreign = 0;
    must(attach_put(w->st, w->dir, w->uc, "别人的.txt", "其他单位\n", 13, &foreign, NULL, &err),
         &err);
    refused(rectify_claim(w->st, &w->auditor_a, id, "已整改", &foreign, 1, &err), AG_ERR_NOTFOUND,
            &err);
    assert_string_equal(state_of(w, id), "in_progress");

    /* The earlier progress file counts as evidence for the claim. */
    must(rectify_claim(w->st, &w->leader_a, id, "已补充决策程序并完善制度", NULL, 0, &err), &err);
    json_t *o = NULL;
    must(rectify_get(w->st, id, NULL, &o, &err), &err);
    assert_string_equal(str(o, "state"), "claimed");
    assert_string_equal(str(o, "result"), "已补充决策程序并完善制度");
    assert_string_equal(str(o, "measures"), "补开党组会议，完善支付审批流程");
    assert_string_equal(str(o, "progress"), "已修订制度");
    assert_non_null(str(o, "claimed_at"));
    assert_int_equal(num(o, "evidence_count"), 1);
    assert_string_equal(json_string_value(json_array_get(json_object_get(o, "evidence"), 0)),
                        "会议纪要.txt");
    json_t *ev = json_object_get(o, "events");
    assert_int_equal(json_array_size(ev), 4);
    assert_string_equal(str(json_array_get(ev, 0), "kind"), "measures");
    assert_string_equal(str(json_array_get(ev, 1), "kind"), "progress");
    assert_string_equal(str(json_array_get(ev, 1), "created_by"), "user:li");
    json_t *att = json_object_get(json_array_get(ev, 1), "attachments");
    assert_int_equal(json_array_size(att), 1);
    assert_string_equal(str(json_array_get(att, 0), "filename"), "会议纪要.txt");
    assert_int_equal(strlen(str(json_array_get(att, 0), "sha256")), 64);
    assert_string_equal(str(json_array_get(ev, 3), "kind"), "claim");
    json_decref(o);

    /* Claimed waits for the team: the unit can change nothing now. */
    refused(rectify_set_measures(w->st, &w->leader_a, id, "再改", &err), AG_ERR_INPUT, &err);
    assert_contains(err.zh, "已整改");
    refused(rectify_progress(w->st, &w->leader_a, id, "再报", NULL, 0, &err), AG_ERR_INPUT, &err);
    int64_t f2 = evidence(w, "second.txt");
    refused(rectify_claim(w->st, &w->leader_a, id, "再报", &f2, 1, &err), AG_ERR_INPUT, &err);

    /* A claim with its own file goes straight from open. */
    int64_t other = item_id(w, pid, "F07");
    claim(w, other, "清理台账.txt");
    assert_string_equal(state_of(w, other), "claimed");
}

/* ---- verification ------------------------------------------------------- */

static void the_team_closes_reopens_or_continues_a_claim(void **state)
{
    world *w = *state;
    ag_error err;
    int64_t pid = walk_to_rectify(w, "SJ-2026-001");
    int64_t f03 = item_id(w, pid, "F03"), f07 = item_id(w, pid, "F07"), k2 = item_id(w, pid, "K2");

    /* Nothing to verify before a claim. */
    refused(rectify_verify(w->st, &w->lead, f03, "close", NULL, &err), AG_ERR_INPUT, &err);
    assert_contains(err.en, "claims completion first");

    claim(w, f03, "a.txt");
    refused(rectify_verify(w->st, &w->lead, f03, "approve", NULL, &err), AG_ERR_INPUT, &err);
    /* Reopen needs a note, and an immediate item never becomes continuous. */
    refused(rectify_verify(w->st, &w->lead, f03, "reopen", " ", &err), AG_ERR_INPUT, &err);
    assert_contains(err.zh, "核验意见");
    refused(rectify_verify(w->st, &w->lead, f03, "continuous", "长期", &err), AG_ERR_INPUT, &err);
    assert_contains(err.en, "immediate");
    must(rectify_verify(w->st, &w->member, f03, "reopen", "证明材料不足，缺会议纪要", &err), &err);
    json_t *o = NULL;
    must(rectify_get(w->st, f03, NULL, &o, &err), &err);
    assert_string_equal(str(o, "state"), "in_progress");
    assert_true(json_is_null(json_object_get(o, "result")));
    assert_string_equal(str(o, "verified_by"), "user:qian");
    json_decref(o);

    claim(w, f03, "b.txt");
    must(rectify_verify(w->st, &w->lead, f03, "close", NULL, &err), &err);
    must(rectify_get(w->st, f03, NULL, &o, &err), &err);
    assert_string_equal(str(o, "state"), "closed");
    assert_string_equal(str(o, "verified_by"), "user:zhao");
    assert_non_null(str(o, "closed_at"));
    assert_int_equal(num(o, "evidence_count"), 2);
    json_decref(o);
    refused(rectify_verify(w->st, &w->lead, f03, "close", NULL, &err), AG_ERR_INPUT, &err);
    refused(rectify_progress(w->st, &w->auditor_a, f03, "还在改", NULL, 0, &err), AG_ERR_INPUT,
            &err);

    /* Phased and continuous items may become continuous, with a note. */
    claim(w, f07, "c.txt");
    refused(rectify_verify(w->st, &w->lead, f07, "continuous", NULL, &err), AG_ERR_INPUT, &err);
    must(rectify_verify(w->st, &w->lead, f07, "continuous", "需分年清理，转持续整改", &err), &err);
    assert_string_equal(state_of(w, f07), "continuous");
    /* Continuous work keeps reporting progress and is never overdue. */
    must(rectify_progress(w->st, &w->auditor_a, f07, "本年清理40%", NULL, 0, &err), &err);
    assert_string_equal(state_of(w, f07), "continuous");
    claim(w, k2, "d.txt");
    must(rectify_verify(w->st, &w->admin, k2, "continuous", "长期任务", &err), &err);

    /* The project can close: every item closed or continuous, and a
     * follow-up record. After that the ledger is read-only. */
    record(w, pid, "followup", NULL);
    advance(w, pid, "closed");
    refused(rectify_progress(w->st, &w->auditor_a, f07, "明年继续", NULL, 0, &err), AG_ERR_INPUT,
            &err);
    assert_contains(err.en, "rectify");
    char later[11];
    day_after(400, later);
    refused(rectify_set_deadline(w->st, &w->admin, f07, later, "延期", &err), AG_ERR_INPUT, &err);
}

static void writes_before_the_rectify_stage_are_refused(void **state)
{
    world *w = *state;
    ag_error err;
    int64_t pid = walk_to_rectify(w, "SJ-2026-001");
    int64_t id = item_id(w, pid, "F03");
    /* A project sent back to the report stage (by hand: the workflow has
     * no way back) refuses every write to its items. */
    must(store_exec(w->st, "UPDATE audit_project SET stage = 'report'", &err), &err);
    refused(rectify_set_measures(w->st, &w->leader_a, id, "措施", &err), AG_ERR_INPUT, &err);
    assert_contains(err.zh, "审后·整改");
    refused(rectify_progress(w->st, &w->admin, id, "进展", NULL, 0, &err), AG_ERR_INPUT, &err);
    int64_t ev = evidence(w, "e.txt");
    refused(rectify_claim(w->st, &w->admin, id, "结果", &ev, 1, &err), AG_ERR_INPUT, &err);
    char later[11];
    day_after(90, later);
    refused(rectify_set_deadline(w->st, &w->lead, id, later, "延期", &err), AG_ERR_INPUT, &err);
    assert_int_equal(count(w->st, "SELECT COUNT(*) FROM rect_event"), 0);
}

/* ---- who may act -------------------------------------------------------- */

static void each_role_may_do_only_its_part(void **state)
{
    world *w = *state;
    ag_error err;
    int64_t pid = walk_to_rectify(w, "SJ-2026-001");
    int64_t id = item_id(w, pid, "F03");
    int64_t ev = evidence(w, "e.txt");
    char later[11];
    day_after(60, later);

    /* The reviewer reads and never writes. */
    refused(rectify_set_measures(w->st, &w->reviewer, id, "措施", &err), AG_ERR_DENIED, &err);
    refused(rectify_progress(w->st, &w->reviewer, id, "进展", NULL, 0, &err), AG_ERR_DENIED, &err);
    refused(rectify_claim(w->st, &w->reviewer, id, "结果", &ev, 1, &err), AG_ERR_DENIED, &err);
    refused(rectify_set_deadline(w->st, &w->reviewer, id, later, "延期", &err), AG_ERR_DENIED,
            &err);

    /* The team may not act for the audited unit. */
    refused(rectify_claim(w->st, &w->lead, id, "结果", &ev, 1, &err), AG_ERR_DENIED, &err);
    assert_contains(err.en, "team member");
    refused(rectify_progress(w->st, &w->member, id, "进展", NULL, 0, &err), AG_ERR_DENIED, &err);
    /* Nor the supervisor, who sees the unit but does not act for it. */
    refused(rectify_set_measures(w->st, &w->sup_d01, id, "措施", &err), AG_ERR_DENIED, &err);
    /* A leader of another unit learns nothing: same answer as a missing item. */
    refused(rectify_set_measures(w->st, &w->leader_c, id, "措施", &err), AG_ERR_NOTFOUND, &err);
    char missing_zh[512];
    snprintf(missing_zh, sizeof missing_zh, "%s", err.zh);
    ag_error err2;
    refused(rectify_set_measures(w->st, &w->leader_c, 999999, "措施", &err2), AG_ERR_NOTFOUND,
            &err2);
    assert_true(strstr(missing_zh, "不存在") && strstr(err2.zh, "不存在"));
    refused(rectify_verify(w->st, &w->leader_c, id, "close", NULL, &err), AG_ERR_NOTFOUND, &err);
    refused(rectify_set_deadline(w->st, &w->sup_s01, id, later, "延期", &err), AG_ERR_NOTFOUND,
            &err);
    assert_int_equal(count(w->st, "SELECT COUNT(*) FROM rect_event"), 0);

    must(rectify_claim(w->st, &w->auditor_a, id, "已整改", &ev, 1, &err), &err);
    /* The audited unit may not verify its own claim. */
    refused(rectify_verify(w->st, &w->auditor_a, id, "close", NULL, &err), AG_ERR_DENIED, &err);
    assert_contains(err.en, "its own");
    refused(rectify_verify(w->st, &w->leader_a, id, "close", NULL, &err), AG_ERR_DENIED, &err);
    refused(rectify_verify(w->st, &w->reviewer, id, "close", NULL, &err), AG_ERR_DENIED, &err);
    refused(rectify_verify(w->st, &w->sup_d01, id, "close", NULL, &err), AG_ERR_DENIED, &err);
    assert_string_equal(state_of(w, id), "claimed");

    /* Moving a deadline is the lead's (or admin's), with a reason. */
    int64_t other = item_id(w, pid, "F07");
    refused(rectify_set_deadline(w->st, &w->member, other, later, "延期", &err), AG_ERR_DENIED,
            &err);
    assert_contains(err.en, "lead");
    refused(rectify_set_deadline(w->st, &w->leader_a, other, later, "延期", &err), AG_ERR_DENIED,
            &err);
    refused(rectify_set_deadline(w->st, &w->lead, other, later, "", &err), AG_ERR_INPUT, &err);
    refused(rectify_set_deadline(w->st, &w->lead, other, "2026-02-30", "延期", &err), AG_ERR_INPUT,
            &err);
    refused(rectify_set_deadline(w->st, &w->lead, other, "20260601", "延期", &err), AG_ERR_INPUT,
            &err);
    refused(rectify_set_deadline(w->st, &w->lead, other, "2026-03-01", "提前", &err), AG_ERR_INPUT,
            &err);
    must(rectify_set_deadline(w->st, &w->lead, other, later, "寒假影响，延期", &err), &err);
    json_t *o = NULL;
    must(rectify_get(w->st, other, NULL, &o, &err), &err);
    assert_string_equal(str(o, "deadline"), later);
    json_t *last = json_array_get(json_object_get(o, "events"), 0);
    assert_string_equal(str(last, "kind"), "deadline");
    assert_contains(str(last, "body"), "寒假影响");
    json_decref(o);
    must(rectify_verify(w->st, &w->lead, id, "close", NULL, &err), &err);
}

/* Asserts that actor may not verify item id under `rule` (named in both
 * languages) and that the item still waits for verification. */
static void verify_refused(world *w, const audit_actor *a, int64_t id, audit_rule rule)
{
    ag_error err;
    refused(rectify_verify(w->st, a, id, "close", "核实", &err), AG_ERR_DENIED, &err);
    audit_rule_name n = audit_rule_info(rule);
    char want[200];
    snprintf(want, sizeof want, "（独立性规则：%s）", n.zh);
    assert_contains(err.zh, want);
    assert_contains(err.en, n.en);
    assert_string_equal(state_of(w, id), "claimed");
}

/* A team row written before the independence rules (or by hand): the rules
 * at verification do not trust the team's composition. */
static void legacy_member(world *w, int64_t pid, int64_t person_id, const char *from)
{
    char sql[300];
    snprintf(sql, sizeof sql,
             "INSERT INTO audit_team (project_id, person_id, role, from_unit)"
             " VALUES (%lld, %lld, 'member', '%s')",
             (long long)pid, (long long)person_id, from);
    ag_error err;
    must(store_exec(w->st, sql, &err), &err);
}

static void the_audited_unit_never_verifies_its_own_claim_even_on_the_team(void **state)
{
    world *w = *state;
    ag_error err;
    /* The special audit that took the audited school's own auditor onto
     * its team: refused today, so it can only be an old row. */
    int64_t pid = walk_kind(w, "SJ-2026-009", "special", w->p_lead);
    refused(audit_team_add(w->st, &w->admin, pid, w->p_auditor_a, "member", &err), AG_ERR_INPUT,
            &err);
    assert_contains(err.zh, "（独立性规则：回避被审计单位）");
    legacy_member(w, pid, w->p_auditor_a, w->ua);
    int64_t id = item_id(w, pid, "F03");
    claim(w, id, "own.txt");
    verify_refused(w, &w->auditor_a, id, AUDIT_RULE_VERIFIER_NOT_UNIT);
    /* Through any account: the person is of the unit. */
    audit_actor via_b = actor("auditor", w->ub, NULL, w->p_auditor_a, "user:li-b");
    verify_refused(w, &via_b, id, AUDIT_RULE_VERIFIER_NOT_UNIT);
    verify_refused(w, &w->leader_a, id, AUDIT_RULE_VERIFIER_NOT_UNIT);
    /* A member from outside the unit verifies. */
    must(rectify_verify(w->st, &w->member, id, "close", "材料齐全", &err), &err);
    assert_string_equal(state_of(w, id), "closed");
}

static void in_a_self_check_the_claimer_does_not_verify_its_own_claim(void **state)
{
    world *w = *state;
    ag_error err;
    /* A self-check of unit A: its internal audit is the team, with the
     * bureau's liaison on it. */
    int64_t p_second = person(w, "吴审计", w->ua, "auditor");
    audit_actor second = actor("auditor", w->ua, NULL, p_second, "user:wu");
    int64_t pid = walk_unit(w, "SJ-2026-010", "self_check", w->ua, w->p_auditor_a, p_second);
    must(audit_team_add(w->st, &w->admin, pid, w->p_liaison, "member", &err), &err);
    /* A self-check is the unit's own: nobody of another unit on it. */
    refused(audit_team_add(w->st, &w->admin, pid, w->p_member, "member", &err), AG_ERR_INPUT, &err);
    assert_contains(err.zh, "（独立性规则：自查由本单位内审实施）");
    int64_t id = item_id(w, pid, "F03");
    claim(w, id, "self.txt"); /* claimed by user:li, the lead */
    verify_refused(w, &w->auditor_a, id, AUDIT_RULE_VERIFIER_NOT_CLAIMER);
    /* Neither the unit's leader nor the department: not on the team. */
    verify_refused(w, &w->leader_a, id, AUDIT_RULE_VERIFIER_TEAM);
    verify_refused(w, &w->sup_d01, id, AUDIT_RULE_VERIFIER_TEAM);
    /* Another member of the unit's internal audit verifies. */
    must(rectify_verify(w->st, &second, id, "close", "核实无误", &err), &err);
    assert_string_equal(state_of(w, id), "closed");
    /* So does the bureau's liaison on the team. */
    int64_t other = item_id(w, pid, "F07");
    claim(w, other, "self-2.txt");
    must(rectify_verify(w->st, &w->liaison, other, "close", "核实无误", &err), &err);
    assert_string_equal(state_of(w, other), "closed");
}

/* Cross, special, tracking and economic-responsibility audits: the team
 * (from outside the unit) or the bureau verifies, never the unit. */
static void in_every_external_kind_the_team_or_bureau_verifies(void **state)
{
    world *w = *state;
    ag_error err;
    static const char *const kinds[] = {"cross", "special", "tracking", "econ_resp"};
    for (int k = 0; k < 4; k++) {
        char code[32];
        snprintf(code, sizeof code, "SJ-2026-02%d", k);
        int64_t pid = walk_kind(w, code, kinds[k], w->p_lead);
        must(audit_team_add(w->st, &w->admin, pid, w->p_liaison, "member", &err), &err);
        int64_t f03 = item_id(w, pid, "F03"), f07 = item_id(w, pid, "F07"),
                k2 = item_id(w, pid, "K2");
        claim(w, f03, "a.txt");
        verify_refused(w, &w->auditor_a, f03, AUDIT_RULE_VERIFIER_NOT_UNIT);
        verify_refused(w, &w->leader_a, f03, AUDIT_RULE_VERIFIER_NOT_UNIT);
        verify_refused(w, &w->sup_d01, f03, AUDIT_RULE_VERIFIER_TEAM);
        refused(rectify_verify(w->st, &w->reviewer, f03, "close", NULL, &err), AG_ERR_DENIED, &err);
        /* A member from another unit, a bureau person on the team, the
         * bureau's admin. */
        must(rectify_verify(w->st, &w->member, f03, "close", "核实", &err), &err);
        claim(w, f07, "b.txt");
        must(rectify_verify(w->st, &w->liaison, f07, "close", "核实", &err), &err);
        claim(w, k2, "c.txt");
        must(rectify_verify(w->st, &w->admin, k2, "close", "核实", &err), &err);
        assert_string_equal(state_of(w, f03), "closed");
        assert_string_equal(state_of(w, f07), "closed");
        assert_string_equal(state_of(w, k2), "closed");
    }
}

static void nobody_of_the_soe_group_verifies_its_rectification(void **state)
{
    world *w = *state;
    ag_error err;
    grid_cell_in cell = {"G01", "soe", "区国资委", 0, 3};
    must(grid_cell_add(w->st, &cell, &err), &err);
    char h[19], h1[19], h2[19];
    code_for("91", 11, h);
    code_for("91", 12, h1);
    code_for("91", 13, h2);
    grid_unit_in units[] = {{h, "南开城投集团", "国企", "G01", NULL, false, NULL},
                            {h1, "南开城投建设公司", "国企", "G01", h, false, NULL},
                            {h2, "南开城投物业公司", "国企", "G01", h, false, NULL}};
    for (int i = 0; i < 3; i++)
        must(grid_unit_add(w->st, &units[i], &err), &err);
    int64_t p_chief = person(w, "冯总审", h, "chief_auditor");
    int64_t p_h1 = person(w, "陈内审", h1, "auditor");
    int64_t p_h2 = person(w, "褚内审", h2, "auditor");
    audit_actor a_h1 = actor("auditor", h1, NULL, p_h1, "user:chen");
    audit_actor a_h2 = actor("auditor", h2, NULL, p_h2, "user:chu");
    audit_actor chief = actor("chief_auditor", h, NULL, p_chief, "user:feng");
    int64_t pid = walk_unit(w, "SJ-2026-030", "special", h1, w->p_lead, w->p_member);
    refused(audit_team_add(w->st, &w->admin, pid, p_h2, "member", &err), AG_ERR_INPUT, &err);
    assert_contains(err.zh, "（独立性规则：回避同一国企集团）");
    legacy_member(w, pid, p_h2, h2);
    legacy_member(w, pid, p_chief, h);
    int64_t id = item_id(w, pid, "F03");
    int64_t ev = evidence_of(w, h1, "group.txt");
    must(rectify_claim(w->st, &a_h1, id, "已整改到位", &ev, 1, &err), &err);
    verify_refused(w, &a_h2, id, AUDIT_RULE_VERIFIER_NOT_UNIT);
    refused(rectify_verify(w->st, &a_h2, id, "close", NULL, &err), AG_ERR_DENIED, &err);
    assert_contains(err.zh, "国企集团的人员不能核验");
    verify_refused(w, &chief, id, AUDIT_RULE_VERIFIER_NOT_UNIT);
    verify_refused(w, &a_h1, id, AUDIT_RULE_VERIFIER_NOT_UNIT);
    must(rectify_verify(w->st, &w->lead, id, "close", "核实", &err), &err);
    assert_string_equal(state_of(w, id), "closed");
}

/* ---- overdue and escalation --------------------------------------------- */

static void overdue_starts_the_day_after_the_deadline(void **state)
{
    world *w = *state;
    ag_error err;
    int64_t pid = walk_to_rectify(w, "SJ-2026-001");
    int64_t id = item_id(w, pid, "F03");
    char deadline[11], next[11];
    day_after(30, deadline);
    day_after(31, next);
    rectify_filter f = {.state = "overdue"};
    int64_t n = -1;

    set_today(deadline);
    json_t *o = list(w, &f, NULL);
    assert_int_equal(num(o, "total"), 0);
    json_decref(o);
    must(rectify_escalate(w->st, &n, &err), &err);
    assert_int_equal(n, 0);
    json_t *it = NULL;
    must(rectify_get(w->st, id, NULL, &it, &err), &err);
    assert_false(json_is_true(json_object_get(it, "overdue")));
    assert_int_equal(num(it, "days_overdue"), 0);
    json_decref(it);

    set_today(next);
    o = list(w, &f, NULL);
    assert_int_equal(num(o, "total"), 1);
    it = json_array_get(json_object_get(o, "items"), 0);
    assert_int_equal(num(it, "id"), id);
    assert_true(json_is_true(json_object_get(it, "overdue")));
    assert_int_equal(num(it, "days_overdue"), 1);
    json_decref(o);

    /* A claimed item is not overdue, whatever its deadline. */
    claim(w, id, "late.txt");
    o = list(w, &f, NULL);
    assert_int_equal(num(o, "total"), 0);
    json_decref(o);
    must(rectify_escalate(w->st, &n, &err), &err);
    assert_int_equal(n, 0);
}

static void escalation_notifies_leader_and_supervisor_once(void **state)
{
    world *w = *state;
    ag_error err;
    int64_t pid = walk_to_rectify(w, "SJ-2026-001");
    int64_t id = item_id(w, pid, "F03");
    char day[11];
    day_after(35, day); /* five days past the 30-day deadline */
    set_today(day);
    int64_t n = -1;
    must(rectify_escalate(w->st, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_int_equal(count(w->st, "SELECT COUNT(*) FROM notification"), 2);
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT person_id FROM notification WHERE audience = 'leader' AND rect_id = %lld",
             (long long)id);
    assert_int_equal(count(w->st, sql), w->p_principal);
    assert_int_equal(count(w->st, "SELECT COUNT(*) FROM notification WHERE audience ="
                                  " 'supervisor' AND cell_id = 'D01' AND person_id IS NULL"),
                     1);
    assert_int_equal(count(w->st, "SELECT COUNT(*) FROM rect_event WHERE kind = 'escalate'"), 1);
    json_t *o = NULL;
    must(rectify_get(w->st, id, NULL, &o, &err), &err);
    assert_non_null(str(o, "escalated_at"));
    assert_int_equal(num(o, "days_overdue"), 5);
    json_decref(o);

    json_t *nl = NULL;
    must(rectify_notifications(w->st, &w->leader_a.scope, 0, false, &nl, &err), &err);
    assert_int_equal(num(nl, "total"), 1);
    json_t *m = json_array_get(json_object_get(nl, "items"), 0);
    assert_string_equal(str(m, "audience"), "leader");
    assert_string_equal(str(m, "kind"), "overdue");
    assert_string_equal(str(m, "person_name"), "王校长");
    assert_string_equal(str(m, "unit_name"), "第一中学");
    assert_int_equal(num(m, "rect_id"), id);
    assert_int_equal(num(m, "project_id"), pid);
    assert_contains(str(m, "message_zh"), "第一中学");
    assert_contains(str(m, "message_zh"), "大额资金支付未经集体决策");
    assert_contains(str(m, "message_zh"), "逾期 5 天");
    assert_contains(str(m, "message_en"), "5 days overdue");
    assert_contains(str(m, "message_en"), "大额资金支付未经集体决策");
    json_decref(nl);

    /* Idempotent: the same day, and every later day, adds nothing. */
    int64_t log = count(w->st, "SELECT COUNT(*) FROM audit_log");
    must(rectify_escalate(w->st, &n, &err), &err);
    assert_int_equal(n, 0);
    day_after(50, day);
    set_today(day);
    must(rectify_escalate(w->st, &n, &err), &err);
    assert_int_equal(n, 0);
    assert_int_equal(count(w->st, "SELECT COUNT(*) FROM notification"), 2);
    assert_int_equal(count(w->st, "SELECT COUNT(*) FROM audit_log"), log);
    /* Every write went through the audited store. */
    ag_audit_report rep;
    must(store_audit_verify(w->st, &rep, &err), &err);
}

static void a_moved_deadline_escalates_again_when_it_passes(void **state)
{
    world *w = *state;
    ag_error err;
    int64_t pid = walk_to_rectify(w, "SJ-2026-001");
    int64_t id = item_id(w, pid, "F03");
    int32_t start = ag_clock_today();
    char day[11], moved[11], after[11];
    day_after(31, day);
    day_after(60, moved);
    ag_date_format(start + 62, after);
    set_today(day);
    int64_t n = -1;
    must(rectify_escalate(w->st, &n, &err), &err);
    assert_int_equal(n, 1);
    must(store_exec(w->st, "UPDATE notification SET read_at = '2026-04-02T01:00:00Z'", &err), &err);

    must(rectify_set_deadline(w->st, &w->lead, id, moved, "需要财政局批复", &err), &err);
    json_t *o = NULL;
    must(rectify_get(w->st, id, NULL, &o, &err), &err);
    assert_true(json_is_null(json_object_get(o, "escalated_at")));
    assert_false(json_is_true(json_object_get(o, "overdue")));
    json_decref(o);
    must(rectify_escalate(w->st, &n, &err), &err);
    assert_int_equal(n, 0);

    /* The new deadline passes: one more escalation, the same two
     * notification rows refreshed as new and unread. */
    set_today(after);
    must(rectify_escalate(w->st, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_int_equal(count(w->st, "SELECT COUNT(*) FROM notification"), 2);
    assert_int_equal(count(w->st, "SELECT COUNT(*) FROM notification WHERE read_at IS NULL"), 2);
    assert_int_equal(count(w->st, "SELECT COUNT(*) FROM rect_event WHERE kind = 'escalate'"), 2);
    json_t *nl = NULL;
    must(rectify_notifications(w->st, &w->sup_d01.scope, 0, false, &nl, &err), &err);
    assert_int_equal(num(nl, "total"), 1);
    json_t *m = json_array_get(json_object_get(nl, "items"), 0);
    assert_contains(str(m, "message_zh"), moved);
    assert_contains(str(m, "message_zh"), "逾期 2 天");
    json_decref(nl);
}

/* ---- reading the ledger ------------------------------------------------- */

static void the_list_filters_and_keeps_to_scope(void **state)
{
    world *w = *state;
    ag_error err;
    int64_t p1 = walk_to_rectify(w, "SJ-2026-001");
    int64_t p2 = walk_to_rectify(w, "SJ-2026-002");
    int64_t f03 = item_id(w, p1, "F03");
    int64_t ev = evidence(w, "整改报告.txt");
    must(rectify_progress(w->st, &w->auditor_a, f03, "第一次进展", NULL, 0, &err), &err);
    must(rectify_progress(w->st, &w->auditor_a, f03, "最新进展", &ev, 1, &err), &err);
    must(rectify_claim(w->st, &w->auditor_a, f03, "已完成", NULL, 0, &err), &err);
    must(rectify_progress(w->st, &w->auditor_a, item_id(w, p2, "F03"), "p2进展", NULL, 0, &err),
         &err);

    rectify_filter all = {0};
    json_t *o = list(w, &all, NULL);
    assert_int_equal(num(o, "total"), 6);
    json_t *items = json_object_get(o, "items");
    assert_int_equal(json_array_size(items), 6);
    /* By deadline: the two immediate items first. */
    assert_string_equal(str(json_array_get(items, 0), "class"), "immediate");
    assert_string_equal(str(json_array_get(items, 5), "class"), "continuous");
    json_decref(o);

    /* The row auditors keep. */
    rectify_filter byp = {.project_id = p1, .state = "claimed"};
    o = list(w, &byp, NULL);
    assert_int_equal(num(o, "total"), 1);
    json_t *it = json_array_get(json_object_get(o, "items"), 0);
    static const char *const keys[] = {
        "id",        "finding_id",   "project_id",     "project_code", "project_name",
        "notice_no", "unit_code",    "unit_name",      "cell_id",      "item",
        "title",     "amount",       "basis",          "class",        "measures",
        "deadline",  "state",        "overdue",        "days_overdue", "responsible",
        "progress",  "result",       "evidence_count", "evidence",     "repeat",
        "repeat_of", "escalated_at", "claimed_at",     "verified_by",  "verified_at",
        "closed_at"};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
        if (!json_object_get(it, keys[k]))
            fail_msg("list row lacks %s", keys[k]);
    assert_int_equal(num(it, "id"), f03);
    assert_string_equal(str(it, "project_code"), "SJ-2026-001");
    assert_string_equal(str(it, "notice_no"), "南审通〔2026〕12号");
    assert_string_equal(str(it, "unit_code"), w->ua);
    assert_string_equal(str(it, "unit_name"), "第一中学");
    assert_string_equal(str(it, "cell_id"), "D01");
    assert_string_equal(str(it, "item"), "F03");
    assert_int_equal(num(it, "amount"), 9500000);
    assert_string_equal(str(it, "responsible"), "张会计");
    assert_string_equal(str(it, "progress"), "最新进展");
    assert_string_equal(str(it, "result"), "已完成");
    assert_int_equal(num(it, "evidence_count"), 1);
    assert_string_equal(json_string_value(json_array_get(json_object_get(it, "evidence"), 0)),
                        "整改报告.txt");
    assert_false(json_is_true(json_object_get(it, "repeat")));
    assert_true(json_is_null(json_object_get(it, "repeat_of")));
    assert_true(json_is_null(json_object_get(it, "closed_at")));
    json_decref(o);

    rectify_filter st_open = {.state = "open"};
    o = list(w, &st_open, NULL);
    assert_int_equal(num(o, "total"), 4);
    json_decref(o);
    rectify_filter st_prog = {.state = "in_progress"};
    o = list(w, &st_prog, NULL);
    assert_int_equal(num(o, "total"), 1);
    json_decref(o);
    rectify_filter bad = {.state = "late"};
    json_t *none = NULL;
    refused(rectify_list(w->st, &bad, NULL, &none, &err), AG_ERR_INPUT, &err);
    assert_null(none);

    rectify_filter unit = {.unit_code = w->ua};
    o = list(w, &unit, NULL);
    assert_int_equal(num(o, "total"), 6);
    json_decref(o);
    rectify_filter unit_c = {.unit_code = w->uc};
    o = list(w, &unit_c, NULL);
    assert_int_equal(num(o, "total"), 0);
    json_decref(o);
    rectify_filter cell = {.cell_id = "D01"};
    o = list(w, &cell, NULL);
    assert_int_equal(num(o, "total"), 6);
    json_decref(o);
    rectify_filter cell_s = {.cell_id = "S01"};
    o = list(w, &cell_s, NULL);
    assert_int_equal(num(o, "total"), 0);
    json_decref(o);
    rectify_filter proj = {.project_id = p2};
    o = list(w, &proj, NULL);
    assert_int_equal(num(o, "total"), 3);
    json_decref(o);

    /* Pages: total is the whole match, items the page. */
    rectify_filter page = {.limit = 2, .offset = 4};
    o = list(w, &page, NULL);
    assert_int_equal(num(o, "total"), 6);
    assert_int_equal(json_array_size(json_object_get(o, "items")), 2);
    json_decref(o);
    rectify_filter every = {.limit = -1};
    o = list(w, &every, NULL);
    assert_int_equal(json_array_size(json_object_get(o, "items")), 6);
    json_decref(o);

    /* Overdue as of a later day: the open immediate item of p2 only, since
     * p1's is claimed. */
    char day[11];
    day_after(31, day);
    set_today(day);
    rectify_filter od = {.state = "overdue", .unit_code = w->ua};
    o = list(w, &od, NULL);
    assert_int_equal(num(o, "total"), 1);
    assert_int_equal(num(json_array_get(json_object_get(o, "items"), 0), "project_id"), p2);
    json_decref(o);

    /* Scope: the unit's own people and its supervisor see it; another
     * unit's leader and another cell's supervisor see nothing. */
    o = list(w, &all, &w->leader_a.scope);
    assert_int_equal(num(o, "total"), 6);
    json_decref(o);
    o = list(w, &all, &w->sup_d01.scope);
    assert_int_equal(num(o, "total"), 6);
    json_decref(o);
    /* The team lead from unit B sees the items it has to verify. */
    o = list(w, &all, &w->lead.scope);
    assert_int_equal(num(o, "total"), 6);
    json_decref(o);
    o = list(w, &all, &w->leader_c.scope);
    assert_int_equal(num(o, "total"), 0);
    assert_int_equal(json_array_size(json_object_get(o, "items")), 0);
    json_decref(o);
    o = list(w, &all, &w->sup_s01.scope);
    assert_int_equal(num(o, "total"), 0);
    json_decref(o);
    refused(rectify_get(w->st, f03, &w->leader_c.scope, &o, &err), AG_ERR_NOTFOUND, &err);
    refused(rectify_get(w->st, 424242, NULL, &o, &err), AG_ERR_NOTFOUND, &err);
    must(rectify_get(w->st, f03, &w->reviewer.scope, &o, &err), &err);
    json_decref(o);
}

static void a_repeat_finding_is_flagged_in_the_ledger(void **state)
{
    world *w = *state;
    ag_error err;
    int64_t p1 = walk_to_rectify(w, "SJ-2026-001");
    int64_t f03 = item_id(w, p1, "F03");
    claim(w, f03, "a.txt");
    must(rectify_verify(w->st, &w->lead, f03, "close", NULL, &err), &err);
    int64_t p2 = walk_to_rectify(w, "SJ-2026-002");
    rectify_filter f = {.project_id = p2};
    json_t *o = list(w, &f, NULL);
    json_t *items = json_object_get(o, "items");
    int repeats = 0;
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *it = json_array_get(items, i);
        if (json_is_true(json_object_get(it, "repeat"))) {
            repeats++;
            assert_string_equal(str(it, "item"), "F03");
            assert_false(json_is_null(json_object_get(it, "repeat_of")));
        }
    }
    assert_int_equal(repeats, 1);
    json_decref(o);
}

static void the_summary_counts_what_is_in_scope(void **state)
{
    world *w = *state;
    ag_error err;
    int64_t pid = walk_to_rectify(w, "SJ-2026-001");
    int64_t f03 = item_id(w, pid, "F03"), f07 = item_id(w, pid, "F07"), k2 = item_id(w, pid, "K2");
    claim(w, f03, "a.txt");
    must(rectify_verify(w->st, &w->lead, f03, "close", NULL, &err), &err);
    claim(w, f07, "b.txt");
    must(rectify_progress(w->st, &w->auditor_a, k2, "进行中", NULL, 0, &err), &err);
    char day[11];
    day_after(400, day);
    set_today(day);

    json_t *o = NULL;
    must(rectify_summary(w->st, NULL, &o, &err), &err);
    assert_int_equal(num(o, "open"), 1); /* K2 in progress */
    assert_int_equal(num(o, "overdue"), 1);
    assert_int_equal(num(o, "claimed"), 1);
    assert_int_equal(num(o, "closed"), 1);
    assert_int_equal(num(o, "continuous"), 0);
    json_t *u = json_object_get(json_object_get(o, "by_unit"), w->ua);
    assert_non_null(u);
    assert_int_equal(num(u, "open"), 1);
    assert_int_equal(num(u, "overdue"), 1);
    json_decref(o);

    must(rectify_summary(w->st, &w->leader_c.scope, &o, &err), &err);
    assert_int_equal(num(o, "open") + num(o, "claimed") + num(o, "closed"), 0);
    assert_int_equal(json_object_size(json_object_get(o, "by_unit")), 0);
    json_decref(o);
    must(rectify_summary(w->st, &w->sup_d01.scope, &o, &err), &err);
    assert_int_equal(num(o, "closed"), 1);
    json_decref(o);
}

static void notifications_reach_each_role_its_own(void **state)
{
    world *w = *state;
    ag_error err;
    walk_to_rectify(w, "SJ-2026-001");
    char day[11];
    day_after(200, day); /* immediate and phased items overdue */
    set_today(day);
    int64_t n = 0;
    must(rectify_escalate(w->st, &n, &err), &err);
    assert_int_equal(n, 2);

    struct {
        const ag_scope *sc;
        int64_t want;
        const char *audience; /* every item's, or NULL for mixed */
    } cases[] = {
        {&w->admin.scope, 4, NULL},        {&w->reviewer.scope, 4, NULL},
        {&w->leader_a.scope, 2, "leader"}, {&w->sup_d01.scope, 2, "supervisor"},
        {&w->liaison.scope, 4, NULL},      {&w->auditor_a.scope, 4, NULL},
        {&w->leader_c.scope, 0, NULL},     {&w->sup_s01.scope, 0, NULL},
        {&w->lead.scope, 0, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *o = NULL;
        must(rectify_notifications(w->st, cases[i].sc, 0, false, &o, &err), &err);
        if (num(o, "total") != cases[i].want)
            fail_msg("case %zu (%s): %lld notifications, want %lld", i,
                     scope_role_name(cases[i].sc->role), (long long)num(o, "total"),
                     (long long)cases[i].want);
        json_t *items = json_object_get(o, "items");
        for (size_t k = 0; cases[i].audience && k < json_array_size(items); k++)
            assert_string_equal(str(json_array_get(items, k), "audience"), cases[i].audience);
        json_decref(o);
    }
    /* A limit pages; newest first (ids break the tie of one run). */
    json_t *o = NULL;
    must(rectify_notifications(w->st, &w->admin.scope, 1, false, &o, &err), &err);
    assert_int_equal(num(o, "total"), 4);
    assert_int_equal(json_array_size(json_object_get(o, "items")), 1);
    assert_int_equal(num(json_array_get(json_object_get(o, "items"), 0), "id"),
                     count(w->st, "SELECT MAX(id) FROM notification"));
    json_decref(o);
}

/* The id of the scope's first notification, and its unread count. */
static int64_t first_notice(world *w, const audit_actor *a, int64_t *unread)
{
    ag_error err;
    json_t *o = NULL;
    must(rectify_notifications(w->st, &a->scope, 0, false, &o, &err), &err);
    int64_t id = num(json_array_get(json_object_get(o, "items"), 0), "id");
    if (unread)
        *unread = num(o, "unread");
    json_decref(o);
    return id;
}

static void a_notice_is_marked_read_only_by_who_sees_it(void **state)
{
    world *w = *state;
    ag_error err;
    int64_t pid = walk_to_rectify(w, "SJ-2026-001");
    int64_t rect = item_id(w, pid, "F03");
    int32_t start = ag_clock_today();
    char day[11], moved[11], after[11];
    day_after(31, day);
    day_after(60, moved);
    ag_date_format(start + 62, after);
    set_today(day);
    int64_t n = -1, unread = -1;
    must(rectify_escalate(w->st, &n, &err), &err);
    assert_int_equal(n, 1);
    int64_t id = first_notice(w, &w->leader_a, &unread);
    assert_int_equal(unread, 1);
    json_t *o = NULL;
    must(rectify_notification_get(w->st, id, &w->leader_a.scope, &o, &err), &err);
    assert_true(json_is_null(json_object_get(o, "read_at")));
    json_decref(o);

    /* Out of scope reads as missing, with the same message; a reviewer
     * sees it but only reads. None of them writes. */
    int64_t log = count(w->st, "SELECT COUNT(*) FROM audit_log");
    refused(rectify_notification_read(w->st, &w->leader_a, id + 1000, &err), AG_ERR_NOTFOUND, &err);
    char want[64];
    snprintf(want, sizeof want, "no notification %lld", (long long)(id + 1000));
    assert_string_equal(err.en, want);
    snprintf(want, sizeof want, "no notification %lld", (long long)id);
    /* Another unit's leader, a supervisor (the leader's copy, or another
     * cell) and a team member from elsewhere. */
    const audit_actor *outside[] = {&w->leader_c, &w->sup_d01, &w->sup_s01, &w->lead};
    for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++) {
        refused(rectify_notification_read(w->st, outside[i], id, &err), AG_ERR_NOTFOUND, &err);
        assert_string_equal(err.en, want);
    }
    refused(rectify_notification_read(w->st, &w->reviewer, id, &err), AG_ERR_DENIED, &err);
    assert_int_equal(count(w->st, "SELECT COUNT(*) FROM audit_log"), log);
    assert_int_equal(count(w->st, "SELECT COUNT(*) FROM notification WHERE read_at IS NULL"), 2);

    /* The leader reads it: stamped now, still listed, no longer unread;
     * the supervisor's own copy stays unread. */
    must(rectify_notification_read(w->st, &w->leader_a, id, &err), &err);
    assert_int_equal(count(w->st, "SELECT COUNT(*) FROM audit_log"), log + 1);
    must(rectify_notifications(w->st, &w->leader_a.scope, 0, false, &o, &err), &err);
    assert_int_equal(num(o, "total"), 1);
    assert_int_equal(num(o, "unread"), 0);
    json_t *m = json_array_get(json_object_get(o, "items"), 0);
    char stamped[32];
    snprintf(stamped, sizeof stamped, "%sT00:00:00Z", day);
    assert_string_equal(str(m, "read_at"), stamped);
    json_decref(o);
    must(rectify_notifications(w->st, &w->leader_a.scope, 0, true, &o, &err), &err);
    assert_int_equal(num(o, "total"), 0);
    assert_int_equal(json_array_size(json_object_get(o, "items")), 0);
    json_decref(o);
    first_notice(w, &w->sup_d01, &unread);
    assert_int_equal(unread, 1);
    must(rectify_notifications(w->st, &w->admin.scope, 0, true, &o, &err), &err);
    assert_int_equal(num(o, "total"), 1);
    assert_int_equal(num(o, "unread"), 1);
    assert_string_equal(str(json_array_get(json_object_get(o, "items"), 0), "audience"),
                        "supervisor");
    json_decref(o);

    /* Idempotent: reading again (even a day later) writes nothing and
     * keeps the first reading time. */
    ag_date_format(start + 33, day);
    set_today(day);
    must(rectify_notification_read(w->st, &w->leader_a, id, &err), &err);
    assert_int_equal(count(w->st, "SELECT COUNT(*) FROM audit_log"), log + 1);
    must(rectify_notification_get(w->st, id, NULL, &o, &err), &err);
    assert_string_equal(str(o, "read_at"), stamped);
    json_decref(o);

    /* A re-escalation after a moved deadline makes it unread again. */
    must(rectify_set_deadline(w->st, &w->lead, rect, moved, "需要财政局批复", &err), &err);
    set_today(after);
    must(rectify_escalate(w->st, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_int_equal(first_notice(w, &w->leader_a, &unread), id);
    assert_int_equal(unread, 1);
    must(rectify_notification_get(w->st, id, &w->leader_a.scope, &o, &err), &err);
    assert_true(json_is_null(json_object_get(o, "read_at")));
    json_decref(o);
    ag_audit_report rep;
    must(store_audit_verify(w->st, &rep, &err), &err);
}

/* ---- issue 13 (usecase): the transition table and the actions it serves ---- */

/* The actions `a` may take on item id, joined "claim,progress,…". */
static const char *actions_of(world *w, const audit_actor *a, int64_t id)
{
    static char buf[256];
    json_t *arr = NULL;
    ag_error err;
    must(rectify_actions(w->st, a, id, &arr, &err), &err);
    buf[0] = '\0';
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *x = json_array_get(arr, i);
        assert_non_null(json_string_value(json_object_get(x, "label")));
        assert_non_null(json_string_value(json_object_get(x, "next")));
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s", i ? "," : "",
                 json_string_value(json_object_get(x, "action")));
    }
    json_decref(arr);
    return buf;
}

static void the_table_serves_each_actor_its_actions(void **state)
{
    world *w = *state;
    ag_error err;
    int64_t pid = walk_to_rectify(w, "SJ-2026-001");
    int64_t f03 = item_id(w, pid, "F03"), f07 = item_id(w, pid, "F07");
    /* Open: the unit reports, the lead moves the deadline, the bureau does both. */
    assert_string_equal(actions_of(w, &w->auditor_a, f03), "measures,progress,claim");
    assert_string_equal(actions_of(w, &w->lead, f03), "deadline");
    assert_string_equal(actions_of(w, &w->member, f03), "");
    assert_string_equal(actions_of(w, &w->reviewer, f03), "");
    assert_string_equal(actions_of(w, &w->admin, f03), "measures,progress,claim,deadline");
    /* Claimed: the team verifies; an immediate item does not become continuous. */
    claim(w, f03, "f03.txt");
    claim(w, f07, "f07.txt");
    assert_string_equal(actions_of(w, &w->auditor_a, f03), "");
    assert_string_equal(actions_of(w, &w->member, f03), "close,reopen");
    assert_string_equal(actions_of(w, &w->member, f07), "close,reopen,continuous");
    assert_string_equal(actions_of(w, &w->lead, f07), "close,reopen,continuous,deadline");
    /* What the table offers is what the writes allow. */
    must(rectify_verify(w->st, &w->member, f07, "continuous", "长期整改", &err), &err);
    assert_string_equal(state_of(w, f07), "continuous");
    assert_string_equal(actions_of(w, &w->auditor_a, f07), "progress");
    refused(rectify_claim(w->st, &w->auditor_a, f07, "已整改", NULL, 0, &err), AG_ERR_INPUT, &err);
    must(rectify_verify(w->st, &w->member, f03, "close", NULL, &err), &err);
    assert_string_equal(actions_of(w, &w->admin, f03), "");
    /* Every row of the table leads to a known state. */
    static const char *const states[] = {"open", "in_progress", "claimed", "continuous", "closed"};
    for (int i = 0; i < rectify_transition_count; i++) {
        bool from = false, to = false;
        for (int k = 0; k < 5; k++) {
            from |= !strcmp(rectify_transitions[i].from, states[k]);
            to |= !strcmp(rectify_transitions[i].to, states[k]);
        }
        assert_true(from && to);
    }
}

/* The stage alone (domain) opens no items; the use case (app) does, in one step. */
static void only_the_use_case_opens_the_ledger(void **state)
{
    world *w = *state;
    ag_error err;
    int64_t pid = walk_to_rectify(w, "SJ-2026-001");
    assert_int_equal(count(w->st, "SELECT COUNT(*) FROM rectification"), 3);
    must(store_exec(w->st, "DELETE FROM rectification", &err), &err);
    must(store_exec(w->st, "UPDATE audit_project SET stage = 'report'", &err), &err);
    const char *stage = NULL;
    must(audit_advance(w->st, &w->admin, pid, &stage, &err), &err);
    assert_string_equal(stage, "rectify");
    assert_int_equal(count(w->st, "SELECT COUNT(*) FROM rectification"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            entering_rectify_creates_one_item_per_finding_with_class_deadlines, setup, teardown),
        cmocka_unit_test_setup_teardown(default_days_are_settings_and_change_only_new_items, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            the_unit_sets_measures_reports_progress_and_claims_with_evidence, setup, teardown),
        cmocka_unit_test_setup_teardown(the_team_closes_reopens_or_continues_a_claim, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(writes_before_the_rectify_stage_are_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(each_role_may_do_only_its_part, setup, teardown),
        cmocka_unit_test_setup_teardown(
            the_audited_unit_never_verifies_its_own_claim_even_on_the_team, setup, teardown),
        cmocka_unit_test_setup_teardown(in_a_self_check_the_claimer_does_not_verify_its_own_claim,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(in_every_external_kind_the_team_or_bureau_verifies, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(nobody_of_the_soe_group_verifies_its_rectification, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(overdue_starts_the_day_after_the_deadline, setup, teardown),
        cmocka_unit_test_setup_teardown(escalation_notifies_leader_and_supervisor_once, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_moved_deadline_escalates_again_when_it_passes, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(the_list_filters_and_keeps_to_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(a_repeat_finding_is_flagged_in_the_ledger, setup, teardown),
        cmocka_unit_test_setup_teardown(the_summary_counts_what_is_in_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(notifications_reach_each_role_its_own, setup, teardown),
        cmocka_unit_test_setup_teardown(the_table_serves_each_actor_its_actions, setup, teardown),
        cmocka_unit_test_setup_teardown(only_the_use_case_opens_the_ledger, setup, teardown),
        cmocka_unit_test_setup_teardown(a_notice_is_marked_read_only_by_who_sees_it, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
