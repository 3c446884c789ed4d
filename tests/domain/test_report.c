/* test_report.c - the four reports (issue 16): one report per kind and project or unit and year,
 * section saves with the base-version check, every version kept, filing freezes a version and
 * stops edits, the bureau returns (with a comment) or accepts, refiling, who may do what (the
 * audited unit only its written response), the plan's submission filed and refiled, deadlines
 * and lateness under a controlled clock, idempotent reminders, the list's filters and queue, the
 * dashboard's figures and the assessment's report_quality. Documents are built by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "domain/assess.h"
#include "domain/report.h"
#include "domain/submission.h"
#include "dept_world.h"
#include "util/clock.h"
#include "util/date.h"
#include "util/banned.h"

typedef struct rworld {
    dept_world d;
    int64_t p1, p2, team_person;
    audit_actor team; /* an auditor of unit C on project 1's team (project 1 audits B) */
} rworld;

static void sql(ag_store *st, const char *fmt, ...)
{
    char q[4000];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(q, sizeof q, fmt, ap);
    va_end(ap);
    ag_error err;
    must(store_exec(st, q, &err), &err);
}

static int setup(void **state)
{
    dept_setup(state);
    rworld *w = calloc(1, sizeof *w);
    w->d = *(dept_world *)*state;
    free(*state);
    *state = w;
    ag_store *st = w->d.st;
    w->team_person = dept_person(&w->d, "赵审计", w->d.uc, "auditor");
    w->team = dept_actor("auditor", w->d.uc, NULL, w->team_person, "person:赵审计");
    const char *P = "INSERT INTO audit_project (id, code, name, kind, unit_code, period_from,"
                    " period_to, items, catalog_version, stage, stage_at, created_by, created_at)"
                    " VALUES ";
    sql(st,
        "%s(1, 'P1', '第二中学财务收支审计', 'cross', '%s', '2025-01-01', '2025-12-31', '[]', 1,"
        " 'report', '2026-02-20T02:00:00Z', 't', '2026-01-10T02:00:00Z');"
        "%s(2, 'P2', '第一中学自查', 'self_check', '%s', '2025-01-01', '2025-12-31', '[]', 1,"
        " 'field', '2026-02-01T02:00:00Z', 't', '2026-01-12T02:00:00Z');"
        "INSERT INTO audit_team (project_id, person_id, role) VALUES (1, %lld, 'lead');",
        P, w->d.ub, P, w->d.ua, (long long)w->team_person);
    w->p1 = 1;
    w->p2 = 2;
    return 0;
}

static int teardown(void **state)
{
    rworld *w = *state;
    store_close(w->d.st);
    free(w);
    unsetenv("AUDITGRID_NOW");
    ag_clock_clear_today();
    return 0;
}

/* ---- documents built by hand -------------------------------------------------------- */

static json_t *para(const char *text)
{
    return json_pack("[{s:s,s:s}]", "type", "p", "text", text);
}

static json_t *section(const char *key, json_t *blocks)
{
    return json_pack("{s:s,s:s,s:b,s:o}", "key", key, "heading", key, "required", 1, "blocks",
                     blocks);
}

static json_t *doc_of(const char *kind, const char *unit, int year)
{
    json_t *secs = json_array();
    int n = 0;
    const report_section_def *d = report_sections(kind, &n);
    for (int i = 0; i < n; i++) {
        if (!strcmp(d[i].key, "response")) { /* the audited unit writes it */
            json_array_append_new(secs, section(d[i].key, json_array()));
            continue;
        }
        json_array_append_new(secs, section(d[i].key, para("内容")));
    }
    return json_pack("{s:s,s:s,s:s,s:n,s:s,s:s,s:s,s:s,s:i,s:n,s:o}", "format", REPORT_FORMAT,
                     "kind", kind, "title", "关于第一中学的报告", "doc_no", "issuer", "第一中学",
                     "date", "2026-03-02", "unit_code", unit, "unit_name", "第一中学", "year", year,
                     "project_code", "sections", secs);
}

static int64_t create(rworld *w, const audit_actor *a, const char *kind, int64_t project,
                      const char *unit, int year)
{
    json_t *doc = doc_of(kind, unit ? unit : w->d.ub, year);
    int64_t id = 0;
    ag_error err;
    must(report_create(w->d.st, a, kind, project, unit, year, doc, &id, &err), &err);
    json_decref(doc);
    assert_true(id > 0);
    return id;
}

static json_t *get(rworld *w, const audit_actor *a, int64_t id)
{
    json_t *o = NULL;
    ag_error err;
    must(report_get(w->d.st, a, id, &o, &err), &err);
    return o;
}

static const char *sget(const json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "(null)";
}

static int64_t iget(const json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

static void refused(ag_err rc, ag_err want, const ag_error *err, const char *where)
{
    dept_refused(rc, want, err);
    if (where)
        assert_string_equal(err->where, where);
}

/* The actions of o as "a,b". */
static void actions_are(const json_t *o, const char *want)
{
    char got[64] = "";
    json_t *acts = json_object_get(o, "actions");
    for (size_t i = 0; i < json_array_size(acts); i++) {
        strncat(got, i ? "," : "", sizeof got - strlen(got) - 1);
        strncat(got, sget(json_array_get(acts, i), "action"), sizeof got - strlen(got) - 1);
    }
    assert_string_equal(got, want);
}

static void set_now(const char *iso)
{
    setenv("AUDITGRID_NOW", iso, 1);
}

/* ---- tests ------------------------------------------------------------------------ */

static void create_once_per_slot(void **state)
{
    rworld *w = *state;
    ag_store *st = w->d.st;
    ag_error err;
    int64_t id = create(w, &w->d.auditor_a, "plan", 0, w->d.ua, 2026);
    json_t *doc = doc_of("plan", w->d.ua, 2026);
    refused(report_create(st, &w->d.leader_a, "plan", 0, w->d.ua, 2026, doc, NULL, &err),
            AG_ERR_EXISTS, &err, "id");
    char idtext[32];
    snprintf(idtext, sizeof idtext, "%lld", (long long)id);
    assert_non_null(strstr(err.zh, idtext));
    /* another year is another report */
    create(w, &w->d.leader_a, "plan", 0, w->d.ua, 2027);
    /* B's leader does not see A; the bureau's reviewer and the department do not draft */
    refused(report_create(st, &w->d.leader_b, "plan", 0, w->d.ua, 2025, doc, NULL, &err),
            AG_ERR_NOTFOUND, &err, "unit_code");
    refused(report_create(st, &w->d.reviewer, "plan", 0, w->d.ua, 2025, doc, NULL, &err),
            AG_ERR_DENIED, &err, NULL);
    refused(report_create(st, &w->d.sup_d01, "plan", 0, w->d.ua, 2025, doc, NULL, &err),
            AG_ERR_DENIED, &err, NULL);
    /* a bad document names its field; a kind that differs from the report's is refused */
    json_t *bad = json_deep_copy(doc);
    json_object_set_new(
        json_array_get(
            json_object_get(json_array_get(json_object_get(bad, "sections"), 0), "blocks"), 0),
        "type", json_string("img"));
    refused(report_create(st, &w->d.admin, "plan", 0, w->d.ua, 2025, bad, NULL, &err), AG_ERR_INPUT,
            &err, "sections[0].blocks[0].type");
    json_decref(bad);
    refused(report_create(st, &w->d.admin, "summary", 0, w->d.ua, 2025, doc, NULL, &err),
            AG_ERR_INPUT, &err, "kind");
    refused(report_create(st, &w->d.admin, "memo", 0, w->d.ua, 2025, doc, NULL, &err), AG_ERR_INPUT,
            &err, "kind");
    json_decref(doc);
    /* project reports: one per kind and project, the unit and year from the project */
    int64_t a1 = create(w, &w->team, "audit", w->p1, NULL, 0);
    doc = doc_of("audit", w->d.ub, 2026);
    refused(report_create(st, &w->d.admin, "audit", w->p1, NULL, 0, doc, NULL, &err), AG_ERR_EXISTS,
            &err, "id");
    refused(report_create(st, &w->d.admin, "audit", 99, NULL, 0, doc, NULL, &err), AG_ERR_NOTFOUND,
            &err, "project_id");
    json_decref(doc);
    json_t *o = get(w, &w->d.admin, a1);
    assert_string_equal(sget(o, "unit_code"), w->d.ub);
    assert_string_equal(sget(o, "unit_name"), "第二中学");
    assert_string_equal(sget(o, "project_code"), "P1");
    assert_int_equal(iget(o, "year"), 2026);
    assert_string_equal(sget(o, "state"), "draft");
    assert_string_equal(sget(o, "state_zh"), "草稿");
    assert_string_equal(sget(o, "kind_zh"), "审计报告");
    assert_int_equal(iget(o, "version"), 1);
    assert_string_equal(sget(o, "created_by_name"), "赵审计");
    json_decref(o);
}

static void sections_save_as_versions(void **state)
{
    rworld *w = *state;
    ag_store *st = w->d.st;
    ag_error err;
    int64_t id = create(w, &w->d.auditor_a, "plan", 0, w->d.ua, 2026), v = 0;
    json_t *blocks = json_pack("[{s:s,s:s},{s:s,s:s}]", "type", "h2", "text", "总体目标", "type",
                               "p", "text", "以风险为导向。");
    must(report_save_section(st, &w->d.auditor_a, id, "basis", blocks, 1, &v, &err), &err);
    assert_int_equal(v, 2);
    /* someone saving from version 1 again is told the report moved on */
    refused(report_save_section(st, &w->d.leader_a, id, "basis", blocks, 1, NULL, &err),
            AG_ERR_EXISTS, &err, "version");
    assert_non_null(strstr(err.zh, "报告已被他人修改"));
    /* 0 skips the check; an unknown section and bad blocks are refused */
    must(report_save_section(st, &w->d.leader_a, id, "measures", blocks, 0, &v, &err), &err);
    assert_int_equal(v, 3);
    refused(report_save_section(st, &w->d.admin, id, "findings", blocks, 0, NULL, &err),
            AG_ERR_INPUT, &err, "key");
    json_t *badb = json_pack("[{s:s}]", "type", "p");
    refused(report_save_section(st, &w->d.admin, id, "basis", badb, 0, NULL, &err), AG_ERR_INPUT,
            &err, "sections.basis.blocks[0].text");
    json_decref(badb);
    /* every version kept, newest first; an old one reads as it was */
    json_t *o = get(w, &w->d.admin, id);
    json_t *vs = json_object_get(o, "versions");
    assert_int_equal(json_array_size(vs), 3);
    assert_int_equal(iget(json_array_get(vs, 0), "version"), 3);
    assert_int_equal(iget(json_array_get(vs, 2), "version"), 1);
    assert_string_equal(sget(json_array_get(vs, 0), "author_name"), "wang"); /* no account */
    json_t *secs = json_object_get(json_object_get(o, "content"), "sections");
    json_t *basis = json_array_get(secs, 0);
    assert_string_equal(sget(basis, "key"), "basis");
    assert_int_equal(json_array_size(json_object_get(basis, "blocks")), 2);
    json_decref(o);
    must(report_version_get(st, &w->d.admin, id, 1, &o, &err), &err);
    basis = json_array_get(json_object_get(json_object_get(o, "content"), "sections"), 0);
    assert_int_equal(json_array_size(json_object_get(basis, "blocks")), 1);
    assert_false(json_is_true(json_object_get(o, "filed")));
    json_decref(o);
    refused(report_version_get(st, &w->d.admin, id, 9, &o, &err), AG_ERR_NOTFOUND, &err, "version");
    /* a whole new document (redraft) is a version as well */
    json_t *doc = doc_of("plan", w->d.ua, 2026);
    must(report_save_doc(st, &w->d.auditor_a, id, doc, &v, &err), &err);
    assert_int_equal(v, 4);
    json_decref(doc);
    json_decref(blocks);
}

static void filing_freezes_and_the_bureau_decides(void **state)
{
    rworld *w = *state;
    ag_store *st = w->d.st;
    ag_error err;
    int64_t id = create(w, &w->d.auditor_a, "summary", 0, w->d.ua, 2025);
    /* an empty required section stops the filing */
    json_t *empty = json_array();
    must(report_save_section(st, &w->d.auditor_a, id, "next", empty, 0, NULL, &err), &err);
    refused(report_file(st, &w->d.auditor_a, id, &err), AG_ERR_INPUT, &err, "sections.next");
    json_t *blocks = para("加强信息化审计。");
    must(report_save_section(st, &w->d.auditor_a, id, "next", blocks, 0, NULL, &err), &err);
    refused(report_file(st, &w->d.reviewer, id, &err), AG_ERR_DENIED, &err, NULL);
    refused(report_file(st, &w->d.sup_d01, id, &err), AG_ERR_DENIED, &err, NULL);
    must(report_file(st, &w->d.auditor_a, id, &err), &err);
    json_t *o = get(w, &w->d.auditor_a, id);
    assert_string_equal(sget(o, "state"), "filed");
    assert_int_equal(iget(o, "filed_version"), 3);
    const char *first = sget(o, "filed_at");
    char first_at[32];
    snprintf(first_at, sizeof first_at, "%s", first);
    assert_true(
        json_is_true(json_object_get(json_array_get(json_object_get(o, "versions"), 0), "filed")));
    assert_false(json_is_true(json_object_get(o, "editable")));
    actions_are(o, "");
    json_decref(o);
    /* filed: no edits, no second filing */
    refused(report_save_section(st, &w->d.auditor_a, id, "next", blocks, 0, NULL, &err),
            AG_ERR_INPUT, &err, "state");
    refused(report_file(st, &w->d.auditor_a, id, &err), AG_ERR_INPUT, &err, "state");
    /* the bureau: a return needs a comment; only an admin decides */
    o = get(w, &w->d.admin, id);
    actions_are(o, "accept,return");
    json_decref(o);
    refused(report_review(st, &w->d.admin, id, "return", "  ", &err), AG_ERR_INPUT, &err,
            "comment");
    refused(report_review(st, &w->d.reviewer, id, "accept", NULL, &err), AG_ERR_DENIED, &err, NULL);
    refused(report_review(st, &w->d.auditor_a, id, "accept", NULL, &err), AG_ERR_DENIED, &err,
            NULL);
    refused(report_review(st, &w->d.admin, id, "approve", NULL, &err), AG_ERR_INPUT, &err,
            "action");
    set_now("2026-03-05");
    must(report_review(st, &w->d.admin, id, "return", "整改率数据需核实", &err), &err);
    o = get(w, &w->d.auditor_a, id);
    assert_string_equal(sget(o, "state"), "returned");
    assert_true(json_is_true(json_object_get(o, "editable")));
    actions_are(o, "file");
    assert_string_equal(sget(json_array_get(json_object_get(o, "actions"), 0), "label_zh"),
                        "重新报备");
    json_t *cs = json_object_get(o, "comments");
    json_t *ret = json_array_get(cs, json_array_size(cs) - 1);
    assert_string_equal(sget(ret, "action"), "return");
    assert_string_equal(sget(ret, "action_zh"), "退回");
    assert_string_equal(sget(ret, "comment"), "整改率数据需核实");
    assert_int_equal(iget(ret, "version"), 3);
    assert_string_equal(sget(ret, "by"), "user:admin");
    json_decref(o);
    /* edit and refile: a new filed version, the first filing day kept */
    must(report_save_section(st, &w->d.auditor_a, id, "rect", blocks, 0, NULL, &err), &err);
    set_now("2026-03-06");
    must(report_file(st, &w->d.auditor_a, id, &err), &err);
    o = get(w, &w->d.admin, id);
    assert_string_equal(sget(o, "state"), "filed");
    assert_int_equal(iget(o, "filed_version"), 4);
    assert_string_equal(sget(o, "first_filed_at"), first_at);
    assert_string_not_equal(sget(o, "filed_at"), first_at);
    /* version 3 stays marked filed too */
    assert_true(
        json_is_true(json_object_get(json_array_get(json_object_get(o, "versions"), 1), "filed")));
    json_decref(o);
    refused(report_review(st, &w->d.admin, id, "return", NULL, &err), AG_ERR_INPUT, &err,
            "comment");
    must(report_review(st, &w->d.admin, id, "accept", NULL, &err), &err);
    o = get(w, &w->d.admin, id);
    assert_string_equal(sget(o, "state"), "accepted");
    assert_string_equal(sget(o, "state_zh"), "已采纳");
    actions_are(o, "");
    json_decref(o);
    refused(report_review(st, &w->d.admin, id, "accept", NULL, &err), AG_ERR_INPUT, &err, "state");
    /* every write went through the audit log */
    assert_true(dept_count(st, "SELECT COUNT(*) FROM audit_log WHERE tbl = 'report'") >= 5);
    assert_true(dept_count(st, "SELECT COUNT(*) FROM audit_log WHERE tbl = 'report_comment'") == 4);
    json_decref(blocks);
    json_decref(empty);
    set_now("2026-03-02");
}

static void the_audited_unit_writes_its_response(void **state)
{
    rworld *w = *state;
    ag_store *st = w->d.st;
    ag_error err;
    json_t *doc = doc_of("audit", w->d.ub, 2026);
    /* the audited unit does not draft the audit report about itself */
    refused(report_create(st, &w->d.leader_b, "audit", w->p1, NULL, 0, doc, NULL, &err),
            AG_ERR_DENIED, &err, NULL);
    /* nor do the unit of the team member's own unit's leader or the project's outsiders */
    refused(report_create(st, &w->d.auditor_a, "audit", w->p1, NULL, 0, doc, NULL, &err),
            AG_ERR_DENIED, &err, NULL);
    json_decref(doc);
    int64_t id = create(w, &w->team, "audit", w->p1, NULL, 0);
    json_t *o = get(w, &w->d.leader_b, id);
    json_t *keys = json_object_get(o, "editable_sections");
    assert_int_equal(json_array_size(keys), 1);
    assert_string_equal(json_string_value(json_array_get(keys, 0)), "response");
    actions_are(o, "");
    /* response due 10 working days after creation: 2026-03-02 (Mon) → 03-16 */
    assert_string_equal(sget(o, "response_due"), "2026-03-16");
    json_decref(o);
    o = get(w, &w->team, id);
    assert_int_equal(json_array_size(json_object_get(o, "editable_sections")), 6);
    actions_are(o, "file");
    json_decref(o);
    json_t *resp = para("我单位对审计报告无异议，将认真整改。");
    must(report_save_section(st, &w->d.leader_b, id, "response", resp, 1, NULL, &err), &err);
    refused(report_save_section(st, &w->d.leader_b, id, "findings", resp, 0, NULL, &err),
            AG_ERR_DENIED, &err, "key");
    refused(report_file(st, &w->d.leader_b, id, &err), AG_ERR_DENIED, &err, NULL);
    /* a unit with nothing to do with it does not even see it */
    refused(report_save_section(st, &w->d.leader_c, id, "response", resp, 0, NULL, &err),
            AG_ERR_NOTFOUND, &err, "id");
    /* the team files it, with the response in */
    must(report_file(st, &w->team, id, &err), &err);
    must(report_version_get(st, &w->d.admin, id, 0, &o, &err), &err);
    assert_int_equal(iget(o, "version"), 2);
    assert_true(json_is_true(json_object_get(o, "filed")));
    assert_string_equal(sget(o, "author_name"), "chen");
    json_decref(o);
    /* a self-check project: the unit's own auditor is the author side */
    int64_t sc = create(w, &w->d.auditor_a, "audit", w->p2, NULL, 0);
    o = get(w, &w->d.auditor_a, sc);
    actions_are(o, "file");
    json_decref(o);
    json_decref(resp);
}

static void the_plan_files_a_submission(void **state)
{
    rworld *w = *state;
    ag_store *st = w->d.st;
    ag_error err;
    int64_t id = create(w, &w->d.auditor_a, "plan", 0, w->d.ua, 2026);
    must(report_file(st, &w->d.auditor_a, id, &err), &err);
    json_t *o = get(w, &w->d.auditor_a, id);
    json_t *sub = json_object_get(o, "submission");
    assert_true(json_is_object(sub));
    int64_t sid = iget(sub, "id");
    assert_string_equal(sget(sub, "state"), "filed");
    assert_string_equal(sget(sub, "to_cell"), "D01"); /* the unit's department */
    assert_string_equal(sget(sub, "to_cell_name"), "区教育局");
    json_decref(o);
    must(submission_get(st, &w->d.admin, sid, &o, &err), &err);
    assert_string_equal(sget(o, "kind"), "annual_plan");
    assert_string_equal(sget(o, "period"), "2026");
    assert_string_equal(sget(o, "ref_kind"), "report");
    assert_int_equal(iget(o, "ref_id"), id);
    json_decref(o);
    /* the department returns the filing, the bureau the report; the refiling files both again */
    must(submission_decide(st, &w->d.sup_d01, sid, "return", "请补充资源配置", &err), &err);
    must(report_review(st, &w->d.admin, id, "return", "资源保障不足", &err), &err);
    must(report_file(st, &w->d.auditor_a, id, &err), &err);
    assert_int_equal(dept_count(st, "SELECT COUNT(*) FROM submission"), 1);
    must(submission_get(st, &w->d.admin, sid, &o, &err), &err);
    assert_string_equal(sget(o, "state"), "filed");
    json_decref(o);
    assert_int_equal(
        dept_count(st, "SELECT COUNT(*) FROM submission_event WHERE action = 'refile'"), 1);
    /* a summary files no submission */
    int64_t s = create(w, &w->d.auditor_a, "summary", 0, w->d.ua, 2025);
    must(report_file(st, &w->d.auditor_a, s, &err), &err);
    assert_int_equal(dept_count(st, "SELECT COUNT(*) FROM submission"), 1);
}

static void deadlines_and_lateness(void **state)
{
    rworld *w = *state;
    ag_store *st = w->d.st;
    ag_error err;
    json_t *d = NULL;
    must(report_deadlines_get(st, &d, &err), &err);
    assert_string_equal(sget(d, "plan_due"), "01-31");
    assert_string_equal(sget(d, "summary_due"), "01-31");
    assert_int_equal(iget(d, "audit_days"), 30);
    assert_int_equal(iget(d, "rect_days"), 60);
    json_decref(d);
    json_t *in = json_pack("{s:s}", "plan_due", "02-29");
    refused(report_deadlines_set(st, in, &err), AG_ERR_INPUT, &err, "plan_due");
    json_decref(in);
    in = json_pack("{s:i}", "audit_days", 0);
    refused(report_deadlines_set(st, in, &err), AG_ERR_INPUT, &err, "audit_days");
    json_decref(in);
    in = json_pack("{s:i}", "later", 3);
    refused(report_deadlines_set(st, in, &err), AG_ERR_INPUT, &err, "later");
    json_decref(in);
    in = json_pack("{s:s,s:i}", "plan_due", "03-10", "audit_days", 20);
    must(report_deadlines_set(st, in, &err), &err);
    json_decref(in);
    must(report_deadlines_get(st, &d, &err), &err);
    assert_string_equal(sget(d, "plan_due"), "03-10");
    assert_int_equal(iget(d, "audit_days"), 20);
    json_decref(d);
    /* today 2026-03-02: the plan (due 03-10) is not late yet */
    int64_t plan = create(w, &w->d.auditor_a, "plan", 0, w->d.ua, 2026);
    json_t *o = get(w, &w->d.admin, plan);
    assert_string_equal(sget(o, "due"), "2026-03-10");
    assert_false(json_is_true(json_object_get(o, "late")));
    json_decref(o);
    int32_t due = 0;
    must(report_due(st, plan, &due, &err), &err);
    char day[11];
    ag_date_format(due, day);
    assert_string_equal(day, "2026-03-10");
    /* the audit report: fieldwork ended 2026-02-20, + 20 days */
    int64_t audit = create(w, &w->team, "audit", w->p1, NULL, 0);
    o = get(w, &w->d.admin, audit);
    assert_string_equal(sget(o, "due"), "2026-03-12");
    json_decref(o);
    /* the self-check project is still in fieldwork: not known yet */
    int64_t self = create(w, &w->d.auditor_a, "audit", w->p2, NULL, 0);
    o = get(w, &w->d.admin, self);
    assert_true(json_is_null(json_object_get(o, "due")));
    assert_false(json_is_true(json_object_get(o, "late")));
    json_decref(o);
    /* the rectification report: unknown until the audit report is filed */
    int64_t rect = create(w, &w->team, "rectification", w->p1, NULL, 0);
    o = get(w, &w->d.admin, rect);
    assert_true(json_is_null(json_object_get(o, "due")));
    json_decref(o);
    /* the summary of 2025: due 2026-01-31, unfiled: late */
    int64_t sum = create(w, &w->d.auditor_a, "summary", 0, w->d.ua, 2025);
    o = get(w, &w->d.admin, sum);
    assert_string_equal(sget(o, "due"), "2026-01-31");
    assert_true(json_is_true(json_object_get(o, "late")));
    json_decref(o);
    /* the clock moves: on 2026-03-11 the plan is late; filed now it stays late */
    set_now("2026-03-11T02:00:00Z");
    o = get(w, &w->d.admin, plan);
    assert_true(json_is_true(json_object_get(o, "late")));
    json_decref(o);
    /* the audit report filed on 03-12 16:00 UTC is Beijing 03-13: late */
    set_now("2026-03-12T16:30:00Z");
    json_t *resp = para("无异议。");
    must(report_save_section(st, &w->d.admin, audit, "response", resp, 0, NULL, &err), &err);
    json_decref(resp);
    must(report_file(st, &w->team, audit, &err), &err);
    o = get(w, &w->d.admin, audit);
    assert_true(json_is_true(json_object_get(o, "late")));
    json_decref(o);
    /* now the rectification report is due 60 days after that filing (Beijing 03-13) */
    o = get(w, &w->d.admin, rect);
    assert_string_equal(sget(o, "due"), "2026-05-12");
    json_decref(o);
    /* filed before its due day a report is on time, whatever today is */
    set_now("2026-03-20T02:00:00Z");
    must(report_file(st, &w->team, rect, &err), &err);
    set_now("2026-09-01T02:00:00Z");
    o = get(w, &w->d.admin, rect);
    assert_false(json_is_true(json_object_get(o, "late")));
    json_decref(o);
    /* the list's late filter */
    report_filter f = {.late = true};
    must(report_list(st, NULL, &f, &o, &err), &err);
    assert_int_equal(iget(o, "total"), 3); /* plan, audit, summary */
    json_decref(o);
    set_now("2026-03-02");
}

static void reminders_once_per_report(void **state)
{
    rworld *w = *state;
    ag_store *st = w->d.st;
    ag_error err;
    /* today 2026-03-02: A (the pilot) has a 2026 plan not filed (due 01-31) and no 2025
     * summary at all (due 2026-01-31); project 1's audit report is not yet due (03-22) */
    int64_t plan = create(w, &w->d.auditor_a, "plan", 0, w->d.ua, 2026);
    int32_t today = 0;
    ag_date_parse("2026-03-02", 10, &today);
    int64_t n = 0;
    must(report_remind(st, today, &n, &err), &err);
    assert_int_equal(n, 4); /* plan and summary, each to the leader and the bureau */
    assert_int_equal(dept_count(st, "SELECT COUNT(*) FROM notification WHERE kind = 'report_plan'"
                                    " AND audience = 'leader' AND report_due = '2026-01-31'"),
                     1);
    char q[200];
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM notification WHERE report_id = %lld AND audience = 'bureau'",
             (long long)plan);
    assert_int_equal(dept_count(st, q), 1);
    assert_int_equal(dept_count(st, "SELECT COUNT(*) FROM notification WHERE"
                                    " kind = 'report_summary' AND report_id IS NULL"),
                     2);
    /* again: nothing new, also once the missing summary is drafted */
    must(report_remind(st, today, &n, &err), &err);
    assert_int_equal(n, 0);
    create(w, &w->d.auditor_a, "summary", 0, w->d.ua, 2025);
    must(report_remind(st, today + 1, &n, &err), &err);
    assert_int_equal(n, 0);
    /* the audit report is overdue after 03-22 */
    ag_date_parse("2026-03-23", 10, &today);
    must(report_remind(st, today, &n, &err), &err);
    assert_int_equal(n, 2);
    /* a filed report is not reminded */
    must(report_file(st, &w->d.auditor_a, plan, &err), &err);
    must(report_remind(st, today + 1, &n, &err), &err);
    assert_int_equal(n, 0);
    /* the dashboard's figures */
    json_t *fig = NULL;
    must(report_figures(st, NULL, today, &fig, &err), &err);
    assert_int_equal(iget(fig, "queue"), 1);
    assert_int_equal(iget(fig, "returned"), 0);
    assert_int_equal(iget(fig, "late"), 3); /* the plan filed late, the summary, the audit */
    json_decref(fig);
    must(report_figures(st, &w->d.leader_c.scope, today, &fig, &err), &err);
    assert_int_equal(iget(fig, "late"), 0);
    assert_int_equal(iget(fig, "queue"), 0);
    json_decref(fig);
}

static void the_list_filters(void **state)
{
    rworld *w = *state;
    ag_store *st = w->d.st;
    ag_error err;
    int64_t p = create(w, &w->d.auditor_a, "plan", 0, w->d.ua, 2026);
    set_now("2026-03-03");
    int64_t s = create(w, &w->d.auditor_a, "summary", 0, w->d.ua, 2025);
    set_now("2026-03-04");
    int64_t a = create(w, &w->team, "audit", w->p1, NULL, 0);
    json_t *resp = para("无异议。");
    must(report_save_section(st, &w->d.leader_b, a, "response", resp, 0, NULL, &err), &err);
    json_decref(resp);
    set_now("2026-03-05");
    must(report_file(st, &w->team, a, &err), &err);
    set_now("2026-03-06");
    must(report_file(st, &w->d.auditor_a, p, &err), &err);
    json_t *o = NULL;
    must(report_list(st, NULL, NULL, &o, &err), &err);
    assert_int_equal(iget(o, "total"), 3);
    json_t *items = json_object_get(o, "items");
    assert_int_equal(iget(json_array_get(items, 0), "id"), a); /* newest first */
    json_t *it = json_array_get(items, 0);
    assert_null(json_object_get(it, "content"));
    assert_null(json_object_get(it, "versions"));
    assert_true(json_is_number(json_object_get(it, "score_total")));
    json_decref(o);
    report_filter f = {.kind = "plan"};
    must(report_list(st, NULL, &f, &o, &err), &err);
    assert_int_equal(iget(o, "total"), 1);
    json_decref(o);
    f = (report_filter){.state = "draft"};
    must(report_list(st, NULL, &f, &o, &err), &err);
    assert_int_equal(iget(o, "total"), 1);
    assert_int_equal(iget(json_array_get(json_object_get(o, "items"), 0), "id"), s);
    json_decref(o);
    f = (report_filter){.unit_code = w->d.ub};
    must(report_list(st, NULL, &f, &o, &err), &err);
    assert_int_equal(iget(o, "total"), 1);
    json_decref(o);
    f = (report_filter){.year = 2025};
    must(report_list(st, NULL, &f, &o, &err), &err);
    assert_int_equal(iget(o, "total"), 1);
    json_decref(o);
    /* the bureau's queue: filed ones, the earliest filing first */
    f = (report_filter){.queue = true};
    must(report_list(st, &w->d.admin.scope, &f, &o, &err), &err);
    assert_int_equal(iget(o, "total"), 2);
    items = json_object_get(o, "items");
    assert_int_equal(iget(json_array_get(items, 0), "id"), a);
    assert_int_equal(iget(json_array_get(items, 1), "id"), p);
    actions_are(json_array_get(items, 0), "accept,return");
    json_decref(o);
    /* paging */
    f = (report_filter){.limit = 1, .offset = 1};
    must(report_list(st, NULL, &f, &o, &err), &err);
    assert_int_equal(iget(o, "total"), 3);
    assert_int_equal(json_array_size(json_object_get(o, "items")), 1);
    json_decref(o);
    /* scopes: C's leader sees none, B's leader sees the audit report about B */
    must(report_list(st, &w->d.leader_c.scope, NULL, &o, &err), &err);
    assert_int_equal(iget(o, "total"), 0);
    json_decref(o);
    must(report_list(st, &w->d.leader_b.scope, NULL, &o, &err), &err);
    assert_int_equal(iget(o, "total"), 1);
    json_decref(o);
    f = (report_filter){.kind = "memo"};
    refused(report_list(st, NULL, &f, &o, &err), AG_ERR_INPUT, &err, "kind");
    f = (report_filter){.state = "lost"};
    refused(report_list(st, NULL, &f, &o, &err), AG_ERR_INPUT, &err, "state");
    set_now("2026-03-02");
}

/* The assessment's A3.1 scores A's plan: its quality score × 5 / 100, halved when late. */
static void the_assessment_scores_the_plan(void **state)
{
    rworld *w = *state;
    ag_store *st = w->d.st;
    ag_error err;
    set_now("2026-01-20T02:00:00Z");
    int64_t p = create(w, &w->d.auditor_a, "plan", 0, w->d.ua, 2026);
    must(report_file(st, &w->d.auditor_a, p, &err), &err);
    json_t *scores = json_pack("{s:i,s:i}", "opinion", 15, "use", 10);
    must(report_score_set(st, &w->d.admin, p, scores, &err), &err);
    json_decref(scores);
    json_t *sc = NULL;
    must(report_score_get(st, &w->d.admin, p, &sc, &err), &err);
    double total = json_number_value(json_object_get(sc, "total"));
    json_decref(sc);
    assert_true(total > 0 && total <= 100);
    /* the department returned the plan's submission: the report's own filing still counts */
    must(store_exec(st, "UPDATE submission SET state = 'returned'", &err), &err);
    json_t *y = NULL;
    set_now("2026-06-01T02:00:00Z");
    must(assess_year_json(st, NULL, 2026, NULL, &y, &err), &err);
    json_t *items = json_object_get(y, "items"), *mine = NULL;
    for (size_t i = 0; i < json_array_size(items); i++)
        if (!strcmp(sget(json_array_get(items, i), "unit"), w->d.ua))
            mine = json_array_get(items, i);
    assert_non_null(mine);
    double a31 = NAN, a21 = NAN;
    json_t *its = json_object_get(mine, "items");
    for (size_t i = 0; i < json_array_size(its); i++) {
        json_t *it = json_array_get(its, i);
        if (!strcmp(sget(it, "indicator"), "A3.1"))
            a31 = json_number_value(json_object_get(it, "score"));
        if (!strcmp(sget(it, "indicator"), "A2.1"))
            a21 = json_number_value(json_object_get(it, "score"));
    }
    /* half points, rounded half up */
    assert_float_equal(a31, floor(total / 100.0 * 10.0 + 0.5) / 2.0, 1e-9);
    /* plan_filed counts the report's filing (on time, 01-20): full marks */
    assert_float_equal(a21, 8, 1e-9);
    json_decref(y);
    set_now("2026-03-02");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(create_once_per_slot, setup, teardown),
        cmocka_unit_test_setup_teardown(sections_save_as_versions, setup, teardown),
        cmocka_unit_test_setup_teardown(filing_freezes_and_the_bureau_decides, setup, teardown),
        cmocka_unit_test_setup_teardown(the_audited_unit_writes_its_response, setup, teardown),
        cmocka_unit_test_setup_teardown(the_plan_files_a_submission, setup, teardown),
        cmocka_unit_test_setup_teardown(deadlines_and_lateness, setup, teardown),
        cmocka_unit_test_setup_teardown(reminders_once_per_report, setup, teardown),
        cmocka_unit_test_setup_teardown(the_list_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(the_assessment_scores_the_plan, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
