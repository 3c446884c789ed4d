/* report.c - the four reports (issue 16): kinds, sections, the transition table, the content
 * document's shape, who may do what, and the writes (create, save, file, review). Reads,
 * deadlines and reminders are in report_store.c, scoring in report_score.c. */
#include "domain/report_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/names.h"
#include "domain/submission.h"
#include "domain/wf_query.h"
#include "util/clock.h"
#include "util/date.h"
#include "util/enumname.h"
#include "util/banned.h"

/* ---- kinds, states, sections ------------------------------------------------ */

const char *const report_kinds[] = {"plan", "audit", "rectification", "summary"};
const int report_kind_count = 4;
static const char *const KIND_ZH[] = {"年度内部审计计划", "审计报告", "整改报告",
                                      "年度内部审计工作总结"};
static const char *const KIND_EN[] = {"annual internal-audit plan", "audit report",
                                      "rectification report", "annual internal-audit summary"};

const char *const report_states[] = {"draft", "filed", "returned", "accepted"};
const int report_state_count = 4;
static const char *const STATE_ZH[] = {"草稿", "已报备", "已退回", "已采纳"};
static const char *const STATE_EN[] = {"draft", "filed", "returned", "accepted"};

const report_transition report_transitions[] = {
    {"draft", "file", "filed", "author"},
    {"filed", "accept", "accepted", "bureau"},
    {"filed", "return", "returned", "bureau"},
    {"returned", "file", "filed", "author"},
};
const int report_transition_count = (int)(sizeof report_transitions / sizeof report_transitions[0]);

static const report_section_def PLAN[] = {
    {"basis", "编制依据和总体目标", "Basis and overall objectives", true, false},
    {"risk", "风险评估与排序", "Risk assessment and ranking", true, false},
    {"projects", "审计项目安排", "Planned audit projects", true, false},
    {"resources", "资源保障", "Resources", true, false},
    {"measures", "保障措施", "Safeguards", false, false},
};
static const report_section_def AUDIT[] = {
    {"basics", "被审计单位基本情况", "The audited unit", true, false},
    {"scope", "审计范围、内容和依据", "Scope, content and basis of the audit", true, false},
    {"opinion", "审计评价意见", "Audit opinion", true, false},
    {"findings", "审计发现的主要问题", "Main findings", true, false},
    {"handling", "处理意见和审计建议", "Handling and recommendations", true, false},
    {"response", "被审计单位书面意见", "The audited unit's written response", true, true},
};
static const report_section_def RECT[] = {
    {"summary", "整改工作总体情况", "Overall rectification", true, false},
    {"items", "问题整改情况", "Rectification of each finding", true, false},
    {"open", "尚未完成整改的事项", "Items not yet rectified", true, false},
    {"next", "下一步工作", "Next steps", false, false},
};
static const report_section_def SUMMARY[] = {
    {"plan_exec", "年度计划执行情况", "Execution of the annual plan", true, false},
    {"findings", "审计发现问题情况", "Findings of the year", true, false},
    {"amounts", "涉及金额与挽回损失", "Amounts involved and losses recovered", true, false},
    {"rect", "整改落实情况", "Rectification", true, false},
    {"system", "制度建设", "Rules and systems", true, false},
    {"next", "下一年度工作重点", "Priorities of the next year", true, false},
};

static int kind_index(const char *kind)
{
    for (int i = 0; kind && i < report_kind_count; i++)
        if (!strcmp(kind, report_kinds[i]))
            return i;
    return -1;
}

const report_section_def *report_sections(const char *kind, int *n)
{
    static const struct {
        const report_section_def *v;
        int n;
    } T[] = {{PLAN, (int)(sizeof PLAN / sizeof PLAN[0])},
             {AUDIT, (int)(sizeof AUDIT / sizeof AUDIT[0])},
             {RECT, (int)(sizeof RECT / sizeof RECT[0])},
             {SUMMARY, (int)(sizeof SUMMARY / sizeof SUMMARY[0])}};
    int k = kind_index(kind);
    if (n)
        *n = k < 0 ? 0 : T[k].n;
    return k < 0 ? NULL : T[k].v;
}

const report_section_def *report_section_find(const char *kind, const char *key)
{
    int n = 0;
    const report_section_def *d = report_sections(kind, &n);
    for (int i = 0; key && i < n; i++)
        if (!strcmp(d[i].key, key))
            return &d[i];
    return NULL;
}

bool report_kind_valid(const char *kind)
{
    return kind_index(kind) >= 0;
}

bool report_kind_is_project(const char *kind)
{
    return kind && (!strcmp(kind, "audit") || !strcmp(kind, "rectification"));
}

const char *report_kind_zh(const char *kind)
{
    int k = kind_index(kind);
    return !kind ? "" : k < 0 ? kind : KIND_ZH[k];
}

const char *report_kind_en(const char *kind)
{
    int k = kind_index(kind);
    return !kind ? "" : k < 0 ? kind : KIND_EN[k];
}

static int state_index(const char *s)
{
    for (int i = 0; s && i < report_state_count; i++)
        if (!strcmp(s, report_states[i]))
            return i;
    return -1;
}

const char *report_state_zh(const char *state)
{
    int k = state_index(state);
    return !state ? "" : k < 0 ? state : STATE_ZH[k];
}

const char *report_state_en(const char *state)
{
    int k = state_index(state);
    return !state ? "" : k < 0 ? state : STATE_EN[k];
}

/* The actions of the comment trail, by index: their Chinese and English names. */
static const char *const ACTIONS[] = {"file", "refile", "accept", "return", "comment"};
static const char *const ACTIONS_ZH[] = {"报备", "重新报备", "采纳", "退回", "意见"};
static const char *const ACTIONS_EN[] = {"file", "file again", "accept", "return", "comment"};

static const char *action_name(const char *action, const char *const *names)
{
    int k = -1;
    if (!action)
        return "";
    return ag_enum_parse(ACTIONS, AG_ENUM_N(ACTIONS), action, &k)
               ? ag_enum_name(names, AG_ENUM_N(ACTIONS), k, action)
               : action;
}

const char *report_action_zh(const char *action)
{
    return action_name(action, ACTIONS_ZH);
}

const char *report_action_en(const char *action)
{
    return action_name(action, ACTIONS_EN);
}

/* ---- the content document ----------------------------------------------------- */

static bool blank(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return false;
    return true;
}

/* Formats a field path into where (vsnprintf: a long path is cut, never overflows). */
static void at(char *where, size_t n, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static void at(char *where, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(where, n, fmt, ap);
    va_end(ap);
}

static ag_err bad(ag_error *err, const char *where, const char *zh, const char *en)
{
    return ag_fail(err, AG_ERR_INPUT, where, "报告内容 %s：%s%.0s", "report content %s: %.0s%s",
                   where, zh, en);
}

/* A string member k of o: required or optional (absent/null), at most max bytes. */
static ag_err str_member(const json_t *o, const char *k, bool required, size_t max,
                         const char *path, ag_error *err)
{
    char where[160];
    at(where, sizeof where, "%s%s%s", path, *path ? "." : "", k);
    json_t *v = json_object_get(o, k);
    if (!v || json_is_null(v)) {
        if (required)
            return bad(err, where, "缺少文字", "missing text");
        return AG_OK;
    }
    if (!json_is_string(v))
        return bad(err, where, "应为文字", "must be a string");
    if (json_string_length(v) > max)
        return bad(err, where, "文字过长", "text too long");
    return AG_OK;
}

static ag_err check_ref(const json_t *ref, const char *path, ag_error *err)
{
    char where[160];
    at(where, sizeof where, "%s.ref", path);
    if (!ref || json_is_null(ref))
        return AG_OK;
    if (!json_is_object(ref))
        return bad(err, where, "应为对象", "must be an object");
    const char *k = json_string_value(json_object_get(ref, "kind"));
    if (!k ||
        (strcmp(k, "finding") && strcmp(k, "unit") && strcmp(k, "project") && strcmp(k, "area")))
        return bad(err, where, "kind 应为 finding、unit、project 或 area",
                   "kind must be finding, unit, project or area");
    json_t *id = json_object_get(ref, "id");
    if (id && !json_is_null(id) && !json_is_integer(id))
        return bad(err, where, "id 应为整数或 null", "id must be an integer or null");
    return str_member(ref, "code", false, 64, where, err);
}

static ag_err check_block(const json_t *b, const char *path, ag_error *err)
{
    char where[160];
    if (!json_is_object(b))
        return bad(err, path, "应为对象", "must be an object");
    const char *t = json_string_value(json_object_get(b, "type"));
    at(where, sizeof where, "%s.type", path);
    if (!t)
        return bad(err, where, "缺少段落类型", "missing block type");
    if (!strcmp(t, "p") || !strcmp(t, "h2") || !strcmp(t, "h3"))
        return str_member(b, "text", true, REPORT_TEXT_MAX, path, err);
    if (!strcmp(t, "table")) {
        ag_err rc = str_member(b, "caption", false, REPORT_TITLE_MAX, path, err);
        if (rc)
            return rc;
        json_t *cols = json_object_get(b, "columns"), *rows = json_object_get(b, "rows");
        at(where, sizeof where, "%s.columns", path);
        if (!json_is_array(cols))
            return bad(err, where, "应为文字列表", "must be an array of strings");
        size_t i, j;
        json_t *c, *r;
        json_array_foreach(cols, i, c)
        {
            if (!json_is_string(c))
                return bad(err, where, "应为文字列表", "must be an array of strings");
        }
        at(where, sizeof where, "%s.rows", path);
        if (!json_is_array(rows))
            return bad(err, where, "应为行的列表", "must be an array of rows");
        json_array_foreach(rows, i, r)
        {
            at(where, sizeof where, "%s.rows[%zu]", path, i);
            if (!json_is_array(r))
                return bad(err, where, "应为文字列表", "must be an array of strings");
            json_array_foreach(r, j, c)
            {
                if (!json_is_string(c) || json_string_length(c) > REPORT_TEXT_MAX)
                    return bad(err, where, "单元格应为文字", "cells must be strings");
            }
        }
        return AG_OK;
    }
    if (!strcmp(t, "item")) {
        ag_err rc = check_ref(json_object_get(b, "ref"), path, err);
        if (!rc)
            rc = str_member(b, "title", true, REPORT_TEXT_MAX, path, err);
        if (rc)
            return rc;
        json_t *fields = json_object_get(b, "fields"), *f;
        at(where, sizeof where, "%s.fields", path);
        if (!json_is_array(fields))
            return bad(err, where, "应为字段列表", "must be an array of fields");
        size_t i;
        json_array_foreach(fields, i, f)
        {
            at(where, sizeof where, "%s.fields[%zu]", path, i);
            if (!json_is_object(f))
                return bad(err, where, "应为对象", "must be an object");
            rc = str_member(f, "key", true, 64, where, err);
            if (!rc)
                rc = str_member(f, "label", false, 200, where, err);
            if (!rc)
                rc = str_member(f, "text", true, REPORT_TEXT_MAX, where, err);
            if (rc)
                return rc;
        }
        return AG_OK;
    }
    return bad(err, where, "段落类型应为 p、h2、h3、table 或 item",
               "block type must be p, h2, h3, table or item");
}

static ag_err check_blocks(const json_t *blocks, const char *path, ag_error *err)
{
    char where[160];
    at(where, sizeof where, "%s.blocks", path);
    if (!json_is_array(blocks))
        return bad(err, where, "应为段落列表", "must be an array of blocks");
    size_t i;
    json_t *b;
    json_array_foreach(blocks, i, b)
    {
        at(where, sizeof where, "%s.blocks[%zu]", path, i);
        ag_err rc = check_block(b, where, err);
        if (rc)
            return rc;
    }
    return AG_OK;
}

ag_err report_doc_check(const json_t *doc, ag_error *err)
{
    if (!json_is_object(doc))
        return bad(err, "document", "应为 JSON 对象", "must be a JSON object");
    const char *fmt = json_string_value(json_object_get(doc, "format"));
    if (!fmt || strcmp(fmt, REPORT_FORMAT))
        return bad(err, "format", "应为 " REPORT_FORMAT, "must be " REPORT_FORMAT);
    const char *kind = json_string_value(json_object_get(doc, "kind"));
    if (!report_kind_valid(kind))
        return bad(err, "kind", "应为 plan、audit、rectification 或 summary",
                   "must be plan, audit, rectification or summary");
    json_t *title = json_object_get(doc, "title");
    if (!json_is_string(title) || blank(json_string_value(title)) ||
        json_string_length(title) > REPORT_TITLE_MAX)
        return bad(err, "title", "标题应为 1 到 200 字节的文字", "title must be 1 to 200 bytes");
    ag_err rc = str_member(doc, "doc_no", false, 100, "", err);
    if (!rc)
        rc = str_member(doc, "issuer", false, 200, "", err);
    if (!rc)
        rc = str_member(doc, "unit_code", false, 64, "", err);
    if (!rc)
        rc = str_member(doc, "unit_name", false, 200, "", err);
    if (!rc)
        rc = str_member(doc, "project_code", false, 64, "", err);
    if (rc)
        return rc;
    json_t *date = json_object_get(doc, "date");
    int32_t day;
    if (date && !json_is_null(date) &&
        (!json_is_string(date) || json_string_length(date) != 10 ||
         !ag_date_parse(json_string_value(date), 10, &day)))
        return bad(err, "date", "日期应为 YYYY-MM-DD", "date must be YYYY-MM-DD");
    json_t *year = json_object_get(doc, "year");
    if (year && !json_is_null(year) && !json_is_integer(year))
        return bad(err, "year", "年度应为整数", "year must be an integer");
    json_t *secs = json_object_get(doc, "sections"), *s;
    if (!json_is_array(secs))
        return bad(err, "sections", "应为章节列表", "must be an array of sections");
    size_t i;
    json_array_foreach(secs, i, s)
    {
        char where[64];
        at(where, sizeof where, "sections[%zu]", i);
        if (!json_is_object(s))
            return bad(err, where, "应为对象", "must be an object");
        const char *key = json_string_value(json_object_get(s, "key"));
        char kw[80];
        at(kw, sizeof kw, "%s.key", where);
        if (!report_section_find(kind, key))
            return bad(err, kw, "不是该类报告的章节", "not a section of this kind of report");
        for (size_t j = 0; j < i; j++)
            if (!strcmp(key, json_string_value(json_object_get(json_array_get(secs, j), "key"))))
                return bad(err, kw, "章节重复", "section repeated");
        rc = str_member(s, "heading", false, 200, where, err);
        if (!rc)
            rc = check_blocks(json_object_get(s, "blocks"), where, err);
        if (rc)
            return rc;
    }
    return AG_OK;
}

bool report_section_has_content(const json_t *section)
{
    json_t *blocks = json_object_get(section, "blocks"), *b;
    size_t i;
    json_array_foreach(blocks, i, b)
    {
        const char *t = json_string_value(json_object_get(b, "type"));
        if (!t)
            continue;
        if (!strcmp(t, "table")) {
            if (json_array_size(json_object_get(b, "rows")) > 0)
                return true;
        } else if (!strcmp(t, "item")) {
            json_t *f;
            size_t j;
            json_array_foreach(json_object_get(b, "fields"), j, f)
            {
                if (!blank(json_string_value(json_object_get(f, "text"))))
                    return true;
            }
        } else if (!blank(json_string_value(json_object_get(b, "text")))) {
            return true;
        }
    }
    return false;
}

/* ---- shared helpers ------------------------------------------------------------- */

bool report_civil_day(const char *iso, int32_t *day)
{
    int32_t d;
    if (!iso || strlen(iso) < 13 || !ag_date_parse(iso, 10, &d))
        return false;
    int hour = (iso[11] - '0') * 10 + (iso[12] - '0');
    *day = d + (hour >= 16);
    return true;
}

const char *report_actor(ag_store *st, const audit_actor *a)
{
    if (a && a->name && *a->name)
        return a->name;
    return store_actor(st);
}

json_t *report_actor_name(ag_store *st, const char *actor)
{
    if (!actor)
        return json_null();
    char name[200];
    ag_error e;
    names_actor(st, actor, name, sizeof name, &e);
    return json_string(name);
}

static void copy(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

ag_err report_row_load(ag_store *st, int64_t id, report_row *r, ag_error *err)
{
    ag_stmt *s = NULL;
    bool row = false;
    memset(r, 0, sizeof *r);
    ag_err rc = wf_prep(st, &s, err,
                        "SELECT id, kind, unit_code, project_id, year, title, state, version,"
                        " filed_version, first_filed_at, filed_at, submission_id, created_by,"
                        " created_at FROM report WHERE id = ?",
                        "i", id);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && !row)
        rc = ag_fail(err, AG_ERR_NOTFOUND, "id", "报告 %lld 不存在", "no report %lld",
                     (long long)id);
    if (!rc) {
        r->id = store_col_int(s, 0);
        copy(r->kind, sizeof r->kind, store_col_text(s, 1));
        copy(r->unit_code, sizeof r->unit_code, store_col_text(s, 2));
        r->project_id = store_col_int(s, 3);
        r->year = store_col_int(s, 4);
        copy(r->title, sizeof r->title, store_col_text(s, 5));
        copy(r->state, sizeof r->state, store_col_text(s, 6));
        r->version = store_col_int(s, 7);
        r->filed_version = store_col_int(s, 8);
        copy(r->first_filed_at, sizeof r->first_filed_at, store_col_text(s, 9));
        copy(r->filed_at, sizeof r->filed_at, store_col_text(s, 10));
        r->submission_id = store_col_int(s, 11);
        copy(r->created_by, sizeof r->created_by, store_col_text(s, 12));
        copy(r->created_at, sizeof r->created_at, store_col_text(s, 13));
    }
    store_finalize(s);
    return rc;
}

static ag_err on_team(ag_store *st, const audit_actor *a, int64_t project_id, bool *yes,
                      ag_error *err)
{
    *yes = false;
    if (!project_id || a->scope.person_id <= 0 || a->scope.role == AG_ROLE_REVIEWER)
        return AG_OK;
    int64_t n = 0;
    ag_err rc = wf_query_int(
        st, &n, err, "SELECT COUNT(*) FROM audit_team WHERE project_id = ? AND person_id = ?", "ii",
        project_id, a->scope.person_id);
    *yes = n > 0;
    return rc;
}

ag_err report_row_visible(ag_store *st, const audit_actor *a, int64_t id, report_row *r,
                          ag_error *err)
{
    ag_err rc = report_row_load(st, id, r, err);
    bool yes = false;
    if (!rc)
        rc = scope_unit_visible(st, &a->scope, r->unit_code, &yes, err);
    if (!rc && !yes)
        rc = on_team(st, a, r->project_id, &yes, err);
    if (!rc && !yes)
        rc = ag_fail(err, AG_ERR_NOTFOUND, "id", "报告 %lld 不存在", "no report %lld",
                     (long long)id);
    return rc;
}

static bool unit_role(const audit_actor *a)
{
    return a->scope.role == AG_ROLE_LEADER || a->scope.role == AG_ROLE_AUDITOR ||
           a->scope.role == AG_ROLE_CHIEF_AUDITOR;
}

/* The author side of a report of kind for unit (and project). */
static ag_err author_of(ag_store *st, const audit_actor *a, const char *kind, const char *unit,
                        int64_t project_id, bool *yes, ag_error *err)
{
    *yes = a->scope.role == AG_ROLE_ADMIN;
    if (*yes || a->scope.role == AG_ROLE_REVIEWER)
        return AG_OK;
    if (!report_kind_is_project(kind)) {
        if (!unit_role(a))
            return AG_OK;
        return scope_unit_owned(st, &a->scope, unit, yes, err);
    }
    ag_err rc = on_team(st, a, project_id, yes, err);
    if (rc || *yes)
        return rc;
    int64_t self = 0;
    rc = wf_query_int(st, &self, err,
                      "SELECT COUNT(*) FROM audit_project WHERE id = ? AND kind = 'self_check'",
                      "i", project_id);
    if (!rc && self && (a->scope.role == AG_ROLE_LEADER || a->scope.role == AG_ROLE_AUDITOR))
        rc = scope_unit_owned(st, &a->scope, unit, yes, err);
    return rc;
}

ag_err report_author_side(ag_store *st, const audit_actor *a, const report_row *r, bool *yes,
                          ag_error *err)
{
    return author_of(st, a, r->kind, r->unit_code, r->project_id, yes, err);
}

ag_err report_audited_side(ag_store *st, const audit_actor *a, const report_row *r, bool *yes,
                           ag_error *err)
{
    *yes = false;
    if (strcmp(r->kind, "audit") || !unit_role(a))
        return AG_OK;
    return scope_unit_owned(st, &a->scope, r->unit_code, yes, err);
}

ag_err report_content_load(ag_store *st, int64_t id, int64_t version, json_t **doc, ag_error *err)
{
    *doc = NULL;
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc =
        version > 0
            ? wf_prep(st, &s, err,
                      "SELECT content FROM report_version WHERE report_id = ? AND version = ?",
                      "ii", id, version)
            : wf_prep(st, &s, err,
                      "SELECT content FROM report_version WHERE report_id = ?"
                      " ORDER BY version DESC LIMIT 1",
                      "i", id);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && !row)
        rc = ag_fail(err, AG_ERR_NOTFOUND, "version", "报告 %lld 没有第 %lld 版",
                     "report %lld has no version %lld", (long long)id, (long long)version);
    if (!rc) {
        json_error_t je;
        *doc = json_loads(store_col_text(s, 0), 0, &je);
        if (!*doc)
            rc = ag_fail(err, AG_ERR_INTERNAL, "content", "报告内容无法读取：%s",
                         "stored report content unreadable: %s", je.text);
    }
    store_finalize(s);
    return rc;
}

int64_t report_scored_version(const report_row *r)
{
    return r->filed_version > 0 ? r->filed_version : r->version;
}

/* ---- writes ------------------------------------------------------------------- */

static void now_ts(char ts[21])
{
    ag_clock_format(ag_clock_now(), ts);
}

static ag_err version_add(ag_store *st, const audit_actor *a, int64_t id, int64_t version,
                          const json_t *doc, ag_error *err)
{
    char *text = json_dumps(doc, JSON_COMPACT);
    if (!text)
        return ag_fail(err, AG_ERR_NOMEM, "content", "内存不足", "out of memory");
    if (strlen(text) > REPORT_DOC_MAX) {
        free(text);
        return ag_fail(err, AG_ERR_INPUT, "content", "报告内容超过 4 MiB",
                       "the report content exceeds 4 MiB");
    }
    char ts[21];
    now_ts(ts);
    ag_field f[] = {ag_field_int("report_id", id), ag_field_int("version", version),
                    ag_field_text("content", text), ag_field_text("author", report_actor(st, a)),
                    ag_field_text("created_at", ts)};
    ag_err rc = store_insert(st, "report_version", "id", f, sizeof f / sizeof f[0], NULL, err);
    free(text);
    return rc;
}

static ag_err year_ok(int year, ag_error *err)
{
    if (year < REPORT_YEAR_MIN || year > REPORT_YEAR_MAX)
        return ag_fail(err, AG_ERR_INPUT, "year", "年度应在 %d-%d 之间：%d",
                       "the year must be %d-%d: %d", REPORT_YEAR_MIN, REPORT_YEAR_MAX, year);
    return AG_OK;
}

static ag_err denied(ag_error *err, const char *kind, const char *what_zh, const char *what_en)
{
    if (report_kind_is_project(kind))
        return ag_fail(err, AG_ERR_DENIED, "role", "只有管理员或本项目审计组成员才能%s%.0s",
                       "only an admin or a member of the project's audit team may %.0s%s", what_zh,
                       what_en);
    return ag_fail(err, AG_ERR_DENIED, "role", "只有管理员或本单位负责人、内审人员才能%s%.0s",
                   "only an admin or the unit's leader or internal auditor may %.0s%s", what_zh,
                   what_en);
}

ag_err report_create(ag_store *st, const audit_actor *a, const char *kind, int64_t project_id,
                     const char *unit_code, int year, const json_t *doc, int64_t *id, ag_error *err)
{
    if (!report_kind_valid(kind))
        return ag_fail(err, AG_ERR_INPUT, "kind",
                       "报告类别应为 plan、audit、rectification 或 summary：%s",
                       "kind must be plan, audit, rectification or summary: %s", kind ? kind : "");
    bool proj = report_kind_is_project(kind);
    char unit[32] = "", slot[96];
    ag_err rc = AG_OK;
    if (proj) {
        ag_stmt *s = NULL;
        bool row = false;
        if (project_id <= 0)
            return ag_fail(err, AG_ERR_INPUT, "project_id", "%s%.0s须指定审计项目",
                           "%.0sa %s needs a project", report_kind_zh(kind), report_kind_en(kind));
        rc = wf_prep(st, &s, err, "SELECT unit_code, created_at FROM audit_project WHERE id = ?",
                     "i", project_id);
        if (!rc)
            rc = store_step(s, &row, err);
        if (!rc && !row)
            rc = ag_fail(err, AG_ERR_NOTFOUND, "project_id", "审计项目 %lld 不存在",
                         "no audit project %lld", (long long)project_id);
        int32_t day = 0;
        if (!rc) {
            copy(unit, sizeof unit, store_col_text(s, 0));
            year = report_civil_day(store_col_text(s, 1), &day) ? ag_date_from_days(day).year : 0;
        }
        store_finalize(s);
        snprintf(slot, sizeof slot, "%s:p%lld", kind, (long long)project_id);
    } else {
        rc = year_ok(year, err);
        bool vis = false;
        if (!rc)
            rc = scope_unit_visible(st, &a->scope, unit_code, &vis, err);
        if (!rc && !vis)
            rc = ag_fail(err, AG_ERR_NOTFOUND, "unit_code", "单位 %s 不存在", "no unit %s",
                         unit_code ? unit_code : "");
        copy(unit, sizeof unit, unit_code);
        snprintf(slot, sizeof slot, "%s:%s:%d", kind, unit, year);
    }
    bool yes = false;
    if (!rc)
        rc = author_of(st, a, kind, unit, project_id, &yes, err);
    if (!rc && !yes)
        rc = denied(err, kind, "起草该报告", "draft this report");
    if (!rc)
        rc = report_doc_check(doc, err);
    if (!rc && strcmp(json_string_value(json_object_get(doc, "kind")), kind))
        rc = ag_fail(err, AG_ERR_INPUT, "kind", "报告内容的类别与报告不符",
                     "the content's kind differs from the report's");
    int64_t there = 0;
    if (!rc)
        rc = wf_query_int(st, &there, err, "SELECT id FROM report WHERE slot = ?", "t", slot);
    if (!rc && there)
        rc = ag_fail(err, AG_ERR_EXISTS, "id", "该%s%.0s已存在（报告 %lld）",
                     "%.0sthe %s exists already (report %lld)", report_kind_zh(kind),
                     report_kind_en(kind), (long long)there);
    if (rc)
        return rc;
    char ts[21];
    now_ts(ts);
    ag_field f[] = {ag_field_text("kind", kind),
                    ag_field_text("slot", slot),
                    ag_field_text("unit_code", unit),
                    proj ? ag_field_int("project_id", project_id) : ag_field_null("project_id"),
                    ag_field_int("year", year),
                    ag_field_text("title", json_string_value(json_object_get(doc, "title"))),
                    ag_field_text("state", "draft"),
                    ag_field_int("version", 1),
                    ag_field_text("created_by", report_actor(st, a)),
                    ag_field_text("created_at", ts)};
    int64_t nid = 0;
    rc = store_insert(st, "report", "id", f, sizeof f / sizeof f[0], &nid, err);
    if (!rc)
        rc = version_add(st, a, nid, 1, doc, err);
    if (!rc && id)
        *id = nid;
    return rc;
}

static ag_err editable_state(const report_row *r, ag_error *err)
{
    if (!strcmp(r->state, "draft") || !strcmp(r->state, "returned"))
        return AG_OK;
    return ag_fail(err, AG_ERR_INPUT, "state",
                   "报告%s%.0s，不能再修改（只有草稿或已退回的报告可以修改）",
                   "the report is %.0s%s; only a draft or a returned report can be edited",
                   report_state_zh(r->state), report_state_en(r->state));
}

/* Writes doc as the next version of r (r->version + 1). */
static ag_err next_version(ag_store *st, const audit_actor *a, const report_row *r,
                           const json_t *doc, int64_t *version, ag_error *err)
{
    int64_t v = r->version + 1;
    ag_err rc = version_add(st, a, r->id, v, doc, err);
    ag_field f[] = {ag_field_int("version", v),
                    ag_field_text("title", json_string_value(json_object_get(doc, "title")))};
    if (!rc)
        rc = store_update(st, "report", "id", ag_field_int("id", r->id), f, 2, err);
    if (!rc && version)
        *version = v;
    return rc;
}

ag_err report_save_section(ag_store *st, const audit_actor *a, int64_t id, const char *key,
                           const json_t *blocks, int64_t base_version, int64_t *version,
                           ag_error *err)
{
    report_row r;
    ag_err rc = report_row_visible(st, a, id, &r, err);
    if (rc)
        return rc;
    const report_section_def *def = report_section_find(r.kind, key);
    if (!def)
        return ag_fail(err, AG_ERR_INPUT, "key", "%s%.0s没有章节 %s", "%.0sa %s has no section %s",
                       report_kind_zh(r.kind), report_kind_en(r.kind), key ? key : "");
    bool author = false, audited = false;
    rc = report_author_side(st, a, &r, &author, err);
    if (!rc && !author && def->audited_edits)
        rc = report_audited_side(st, a, &r, &audited, err);
    if (!rc && !author && !audited) {
        if (!strcmp(r.kind, "audit") && unit_role(a))
            rc = report_audited_side(st, a, &r, &audited, err);
        if (!rc && audited)
            rc = ag_fail(err, AG_ERR_DENIED, "key", "被审计单位只能填写“被审计单位书面意见”一节",
                         "the audited unit may edit only the section response");
        else if (!rc)
            rc = denied(err, r.kind, "修改该报告", "edit this report");
    }
    if (!rc)
        rc = editable_state(&r, err);
    if (!rc && base_version > 0 && base_version != r.version)
        rc = ag_fail(err, AG_ERR_EXISTS, "version",
                     "报告已被他人修改（当前为第 %lld 版，您编辑的是第 %lld 版），请刷新后再改",
                     "the report was changed by someone else (now version %lld, yours is %lld);"
                     " reload it",
                     (long long)r.version, (long long)base_version);
    if (!rc) {
        char path[80];
        snprintf(path, sizeof path, "sections.%s", key);
        rc = check_blocks(blocks, path, err);
    }
    json_t *doc = NULL;
    if (!rc)
        rc = report_content_load(st, id, 0, &doc, err);
    if (rc)
        return rc;
    /* Replace the section's blocks, or add it in the kind's order. */
    json_t *secs = json_object_get(doc, "sections");
    if (!json_is_array(secs)) {
        secs = json_array();
        json_object_set_new(doc, "sections", secs);
    }
    bool done = false;
    size_t i;
    json_t *s;
    json_array_foreach(secs, i, s)
    {
        if (!strcmp(json_string_value(json_object_get(s, "key")), key)) {
            json_object_set_new(s, "blocks", json_deep_copy(blocks));
            done = true;
            break;
        }
    }
    if (!done) {
        int n = 0;
        const report_section_def *defs = report_sections(r.kind, &n);
        int want = (int)(def - defs);
        size_t at = json_array_size(secs);
        json_array_foreach(secs, i, s)
        {
            const report_section_def *d =
                report_section_find(r.kind, json_string_value(json_object_get(s, "key")));
            if (d && (int)(d - defs) > want) {
                at = i;
                break;
            }
        }
        json_array_insert_new(secs, at,
                              json_pack("{s:s,s:s,s:b,s:O}", "key", def->key, "heading",
                                        def->heading_zh, "required", def->required, "blocks",
                                        blocks));
    }
    rc = report_doc_check(doc, err);
    if (!rc)
        rc = next_version(st, a, &r, doc, version, err);
    json_decref(doc);
    return rc;
}

ag_err report_save_doc(ag_store *st, const audit_actor *a, int64_t id, const json_t *doc,
                       int64_t *version, ag_error *err)
{
    report_row r;
    bool author = false;
    ag_err rc = report_row_visible(st, a, id, &r, err);
    if (!rc)
        rc = report_author_side(st, a, &r, &author, err);
    if (!rc && !author)
        rc = denied(err, r.kind, "修改该报告", "edit this report");
    if (!rc)
        rc = editable_state(&r, err);
    if (!rc)
        rc = report_doc_check(doc, err);
    if (!rc && strcmp(json_string_value(json_object_get(doc, "kind")), r.kind))
        rc = ag_fail(err, AG_ERR_INPUT, "kind", "报告内容的类别与报告不符",
                     "the content's kind differs from the report's");
    if (!rc)
        rc = next_version(st, a, &r, doc, version, err);
    return rc;
}

static ag_err comment_add(ag_store *st, const audit_actor *a, int64_t id, int64_t version,
                          const char *action, const char *comment, ag_error *err)
{
    char ts[21];
    now_ts(ts);
    ag_field f[] = {ag_field_int("report_id", id),
                    ag_field_int("version", version),
                    ag_field_text("action", action),
                    ag_field_text("comment", comment && *comment ? comment : NULL),
                    ag_field_text("created_by", report_actor(st, a)),
                    ag_field_text("created_at", ts)};
    return store_insert(st, "report_comment", "id", f, sizeof f / sizeof f[0], NULL, err);
}

/* The plan's submission: filed on the first filing, refiled when it was returned. */
static ag_err plan_submission(ag_store *st, const audit_actor *a, const report_row *r,
                              ag_error *err)
{
    char sstate[16] = "";
    ag_err rc = AG_OK;
    if (r->submission_id > 0) {
        ag_stmt *s = NULL;
        bool row = false;
        rc = wf_prep(st, &s, err, "SELECT state FROM submission WHERE id = ?", "i",
                     r->submission_id);
        if (!rc)
            rc = store_step(s, &row, err);
        if (!rc && row)
            copy(sstate, sizeof sstate, store_col_text(s, 0));
        store_finalize(s);
        if (rc)
            return rc;
        if (!strcmp(sstate, "returned"))
            return submission_refile(st, a, r->submission_id, r->title, NULL, err);
        if (*sstate)
            return AG_OK; /* still filed or accepted: nothing to file again */
    }
    char cell[32] = "", period[8], body[512];
    ag_stmt *s = NULL;
    bool row = false;
    rc = wf_prep(st, &s, err,
                 "SELECT c.id FROM unit u JOIN grid_cell c ON c.id = u.cell_id"
                 " WHERE u.code = ? AND c.kind = 'dept'",
                 "t", r->unit_code);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row)
        copy(cell, sizeof cell, store_col_text(s, 0));
    store_finalize(s);
    if (rc)
        return rc;
    snprintf(period, sizeof period, "%04d", (int)r->year);
    snprintf(body, sizeof body, "%s（报告 %lld，第 %lld 版）", r->title, (long long)r->id,
             (long long)r->version);
    submission_in in = {.kind = "annual_plan",
                        .unit_code = r->unit_code,
                        .to_cell = *cell ? cell : NULL,
                        .period = period,
                        .title = r->title,
                        .body = body,
                        .ref_kind = "report",
                        .ref_id = r->id};
    int64_t sid = 0;
    rc = submission_file(st, a, &in, &sid, err);
    ag_field f[] = {ag_field_int("submission_id", sid)};
    if (!rc)
        rc = store_update(st, "report", "id", ag_field_int("id", r->id), f, 1, err);
    return rc;
}

ag_err report_file(ag_store *st, const audit_actor *a, int64_t id, ag_error *err)
{
    report_row r;
    bool author = false;
    ag_err rc = report_row_visible(st, a, id, &r, err);
    if (!rc)
        rc = report_author_side(st, a, &r, &author, err);
    if (!rc && !author)
        rc = denied(err, r.kind, "报备该报告", "file this report");
    if (!rc && strcmp(r.state, "draft") && strcmp(r.state, "returned"))
        rc = ag_fail(err, AG_ERR_INPUT, "state",
                     "报告%s%.0s，不能报备（只有草稿或已退回的报告可以报备）",
                     "the report is %.0s%s; only a draft or a returned report can be filed",
                     report_state_zh(r.state), report_state_en(r.state));
    json_t *doc = NULL;
    if (!rc)
        rc = report_content_load(st, id, 0, &doc, err);
    if (rc)
        return rc;
    int n = 0;
    const report_section_def *defs = report_sections(r.kind, &n);
    json_t *secs = json_object_get(doc, "sections");
    for (int k = 0; !rc && k < n; k++) {
        if (!defs[k].required)
            continue;
        bool has = false;
        size_t i;
        json_t *s;
        json_array_foreach(secs, i, s)
        {
            if (!strcmp(json_string_value(json_object_get(s, "key")), defs[k].key))
                has = report_section_has_content(s);
        }
        if (!has) {
            char where[64];
            at(where, sizeof where, "sections.%s", defs[k].key);
            rc = ag_fail(err, AG_ERR_INPUT, where, "“%s%.0s”一节尚无内容，不能报备",
                         "the section \"%.0s%s\" is empty; the report cannot be filed",
                         defs[k].heading_zh, defs[k].heading_en);
        }
    }
    json_decref(doc);
    if (rc)
        return rc;
    bool refile = !strcmp(r.state, "returned");
    char ts[21];
    now_ts(ts);
    ag_field f[4];
    size_t nf = 0;
    f[nf++] = ag_field_text("state", "filed");
    f[nf++] = ag_field_int("filed_version", r.version);
    f[nf++] = ag_field_text("filed_at", ts);
    if (!*r.first_filed_at)
        f[nf++] = ag_field_text("first_filed_at", ts);
    rc = store_update(st, "report", "id", ag_field_int("id", id), f, nf, err);
    if (!rc)
        rc = comment_add(st, a, id, r.version, refile ? "refile" : "file", NULL, err);
    if (!rc && !strcmp(r.kind, "plan"))
        rc = plan_submission(st, a, &r, err);
    return rc;
}

ag_err report_review(ag_store *st, const audit_actor *a, int64_t id, const char *action,
                     const char *comment, ag_error *err)
{
    bool accept = action && !strcmp(action, "accept");
    if (!accept && !(action && !strcmp(action, "return")))
        return ag_fail(err, AG_ERR_INPUT, "action", "审核方式应为 accept（采纳）或 return（退回）",
                       "action is accept or return");
    if (!accept && blank(comment))
        return ag_fail(err, AG_ERR_INPUT, "comment", "退回报告须写明退回意见",
                       "returning a report needs a comment saying why");
    if (comment && strlen(comment) > REPORT_COMMENT_MAX)
        return ag_fail(err, AG_ERR_INPUT, "comment", "意见不能超过 %d 字节",
                       "the comment must be at most %d bytes", REPORT_COMMENT_MAX);
    report_row r;
    ag_err rc = report_row_visible(st, a, id, &r, err);
    if (!rc && a->scope.role != AG_ROLE_ADMIN)
        rc = ag_fail(err, AG_ERR_DENIED, "role", "只有审计局管理员可以采纳或退回报告",
                     "only a bureau admin may accept or return a report");
    if (!rc && strcmp(r.state, "filed"))
        rc = ag_fail(err, AG_ERR_INPUT, "state",
                     "报告%s%.0s，不能%s%.0s（只有已报备的报告可以审核）",
                     "the report is %.0s%s; it cannot be %.0s%s (only a filed report is reviewed)",
                     report_state_zh(r.state), report_state_en(r.state), accept ? "采纳" : "退回",
                     accept ? "accepted" : "returned");
    if (rc)
        return rc;
    ag_field f[] = {ag_field_text("state", accept ? "accepted" : "returned")};
    rc = store_update(st, "report", "id", ag_field_int("id", id), f, 1, err);
    if (!rc)
        rc = comment_add(st, a, id, r.filed_version, accept ? "accept" : "return", comment, err);
    return rc;
}
