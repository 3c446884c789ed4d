/* api_report.c - /api/v1/reports/… and the reports' settings: the four reports (四类报告, issue
 * 16) listed, drafted, read with their versions, edited section by section (409 when the base
 * version is stale), redrafted, filed, reviewed and scored, exported as DOCX / HTML / PDF; the
 * annual plan's risk ranking and weights, the filing deadlines and the reminders. The domain
 * and the use cases (app/report.h) decide who may do what. */
#include "http/api.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/report.h"
#include "export/export.h"
#include "util/banned.h"

#define MIME_DOCX "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#define MIME_PDF  "application/pdf"
#define MIME_HTML "text/html; charset=utf-8"

/* The {id} path parameter as a report id; AG_ERR_NOTFOUND otherwise. */
static ag_err path_report(http_req *r, int64_t *id, ag_error *err)
{
    const char *s = http_param(r, "id");
    if (api_parse_id(s, id))
        return AG_OK;
    return ag_fail(err, AG_ERR_NOTFOUND, "id", "报告 %s 不存在", "no report %s", s ? s : "");
}

/* ---- lists and reading --------------------------------------------------------------- */

static ag_err query_year(http_req *r, bool required, int *year, ag_error *err)
{
    const char *q = http_query(r, "year");
    int64_t y = 0;
    *year = 0;
    if (!q && !required)
        return AG_OK;
    if (!q || !api_parse_id(q, &y) || y < REPORT_YEAR_MIN || y > REPORT_YEAR_MAX)
        return ag_fail(err, AG_ERR_USAGE, "year", "year 应为 %d 到 %d 之间的年份",
                       "year must be a year from %d to %d", REPORT_YEAR_MIN, REPORT_YEAR_MAX);
    *year = (int)y;
    return AG_OK;
}

static bool query_flag(http_req *r, const char *name)
{
    const char *q = http_query(r, name);
    return q && (!strcmp(q, "1") || !strcmp(q, "true"));
}

static ag_err list_reports(http_req *r, int64_t limit, int64_t offset, json_t **out, ag_error *err)
{
    report_filter f = {http_query(r, "kind"),
                       http_query(r, "state"),
                       http_query(r, "unit"),
                       0,
                       query_flag(r, "queue"),
                       query_flag(r, "late"),
                       limit,
                       offset};
    if (f.kind && *f.kind && !report_kind_valid(f.kind))
        return ag_fail(err, AG_ERR_USAGE, "kind", "kind 应为 plan、audit、rectification 或 summary",
                       "kind must be plan, audit, rectification or summary");
    bool known = !f.state || !*f.state;
    for (int i = 0; !known && i < report_state_count; i++)
        known = !strcmp(f.state, report_states[i]);
    if (!known)
        return ag_fail(err, AG_ERR_USAGE, "state", "state 应为 draft、filed、returned 或 accepted",
                       "state must be draft, filed, returned or accepted");
    ag_err rc = query_year(r, false, &f.year, err);
    return rc ? rc : report_list(http_store(r), &http_user(r)->scope, &f, out, err);
}

ag_err api_reports(http_req *r, ag_error *err)
{
    return api_list_page(r, list_reports, err);
}

ag_err api_report(http_req *r, ag_error *err)
{
    int64_t id = 0;
    json_t *o = NULL;
    api_actor_buf ab;
    ag_err rc = path_report(r, &id, err);
    if (!rc)
        rc = report_get(http_store(r), api_actor(r, &ab), id, &o, err);
    return api_reply_result(r, rc, 200, o);
}

ag_err api_report_version(http_req *r, ag_error *err)
{
    int64_t id = 0, v = 0;
    json_t *o = NULL;
    api_actor_buf ab;
    ag_err rc = path_report(r, &id, err);
    if (!rc && !api_parse_id(http_param(r, "version"), &v))
        rc = ag_fail(err, AG_ERR_NOTFOUND, "version", "报告没有这一版本",
                     "the report has no such version");
    if (!rc)
        rc = report_version_get(http_store(r), api_actor(r, &ab), id, v, &o, err);
    return api_reply_result(r, rc, 200, o);
}

/* ---- writes ---------------------------------------------------------------------------- */

ag_err api_report_create(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"kind", "project_id", "unit_code", "year", NULL};
    const char *kind = NULL, *unit = NULL;
    int64_t project = 0, year = 0;
    api_field fields[] = {api_str("kind", true, 32, &kind), api_id("project_id", false, &project),
                          api_opt_str("unit_code", 64, &unit),
                          api_int("year", false, REPORT_YEAR_MIN, REPORT_YEAR_MAX, &year),
                          api_end()};
    ag_err rc = api_body_read(r, keys, fields, err);
    if (!rc && !report_kind_valid(kind))
        rc =
            ag_fail(err, AG_ERR_INPUT, "kind", "报告类型应为 plan、audit、rectification 或 summary",
                    "the kind must be plan, audit, rectification or summary");
    if (!rc && report_kind_is_project(kind) && !project)
        rc = ag_fail(err, AG_ERR_INPUT, "project_id", "审计报告和整改报告须给出审计项目",
                     "an audit or rectification report needs its audit project");
    if (!rc && !report_kind_is_project(kind) && (!unit || !year))
        rc = ag_fail(err, AG_ERR_INPUT, unit ? "year" : "unit_code",
                     "年度计划和工作总结须给出单位和年度",
                     "an annual plan or work summary needs its unit and year");
    if (!rc && !report_kind_is_project(kind))
        rc = api_unit_in_scope(r, unit, err);
    api_actor_buf ab;
    json_t *o = NULL;
    if (!rc)
        rc = app_report_draft(http_store(r), api_actor(r, &ab), kind, project, unit, (int)year, &o,
                              err);
    return api_reply_result(r, rc, 201, o);
}

ag_err api_report_section(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"blocks", "base_version", NULL};
    int64_t id = 0, base = 0;
    api_field fields[] = {api_int("base_version", false, 0, INT64_MAX, &base), api_end()};
    ag_err rc = path_report(r, &id, err);
    if (!rc)
        rc = api_body_read(r, keys, fields, err);
    json_t *blocks = json_object_get(http_body(r), "blocks");
    if (!rc && !json_is_array(blocks))
        rc = ag_fail(err, AG_ERR_INPUT, "blocks", "blocks 应为块的数组",
                     "blocks must be an array of blocks");
    api_actor_buf ab;
    json_t *o = NULL;
    if (!rc)
        rc = app_report_save_section(http_store(r), api_actor(r, &ab), id, http_param(r, "key"),
                                     blocks, base, &o, err);
    return api_reply_result(r, rc, 200, o);
}

/* A POST on one report without fields (the body, when given, must be an empty object). */
typedef ag_err (*report_action_fn)(ag_store *st, const audit_actor *a, int64_t id, json_t **out,
                                   ag_error *err);

static ag_err report_action(http_req *r, report_action_fn fn, ag_error *err)
{
    static const char *const keys[] = {NULL};
    int64_t id = 0;
    ag_err rc = path_report(r, &id, err);
    if (!rc && http_body(r))
        rc = http_body_only(r, keys, err);
    api_actor_buf ab;
    json_t *o = NULL;
    if (!rc)
        rc = fn(http_store(r), api_actor(r, &ab), id, &o, err);
    return api_reply_result(r, rc, 200, o);
}

ag_err api_report_redraft(http_req *r, ag_error *err)
{
    return report_action(r, app_report_redraft, err);
}

ag_err api_report_file(http_req *r, ag_error *err)
{
    return report_action(r, app_report_file, err);
}

/* The body's "scores" ({code: number|null}); NULL when absent. */
static ag_err body_scores(http_req *r, bool required, json_t **scores, ag_error *err)
{
    *scores = json_object_get(http_body(r), "scores");
    if (!*scores && !required)
        return AG_OK;
    if (!json_is_object(*scores))
        return ag_fail(err, AG_ERR_INPUT, "scores", "scores 应为 {评分项: 分数}",
                       "scores must be {criterion: points}");
    const char *k;
    json_t *v;
    json_object_foreach(*scores, k, v)
    {
        if (!json_is_number(v) && !json_is_null(v)) {
            char w[96];
            snprintf(w, sizeof w, "scores.%.80s", k);
            return ag_fail(err, AG_ERR_INPUT, w, "分数应为数字", "the points must be a number");
        }
    }
    return AG_OK;
}

ag_err api_report_review(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"action", "comment", "scores", NULL};
    const char *action = NULL, *comment = NULL;
    int64_t id = 0;
    api_field fields[] = {api_str("action", true, 16, &action),
                          api_opt_str("comment", REPORT_COMMENT_MAX, &comment), api_end()};
    ag_err rc = path_report(r, &id, err);
    if (!rc)
        rc = api_body_read(r, keys, fields, err);
    json_t *scores = NULL;
    if (!rc)
        rc = body_scores(r, false, &scores, err);
    if (!rc && strcmp(action, "accept") && strcmp(action, "return"))
        rc = ag_fail(err, AG_ERR_INPUT, "action", "审核结论应为 accept（采纳）或 return（退回）",
                     "the action must be accept or return");
    api_actor_buf ab;
    json_t *o = NULL;
    if (!rc)
        rc = app_report_review(http_store(r), api_actor(r, &ab), id, action, comment, scores, &o,
                               err);
    return api_reply_result(r, rc, 200, o);
}

ag_err api_report_score(http_req *r, ag_error *err)
{
    int64_t id = 0;
    json_t *o = NULL;
    api_actor_buf ab;
    ag_err rc = path_report(r, &id, err);
    if (!rc)
        rc = report_score_get(http_store(r), api_actor(r, &ab), id, &o, err);
    return api_reply_result(r, rc, 200, o);
}

ag_err api_report_score_put(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"scores", NULL};
    int64_t id = 0;
    json_t *scores = NULL, *o = NULL;
    ag_err rc = path_report(r, &id, err);
    if (!rc)
        rc = http_body_only(r, keys, err);
    if (!rc)
        rc = body_scores(r, true, &scores, err);
    api_actor_buf ab;
    if (!rc)
        rc = app_report_score_set(http_store(r), api_actor(r, &ab), id, scores, &o, err);
    return api_reply_result(r, rc, 200, o);
}

/* ---- export ------------------------------------------------------------------------------ */

/* The download name: 审计报告-单位名-2026-12-06.docx (kind, unit name, the document's date).
 * A '/' or '\' of the unit name becomes '_'. */
static void download_name(const json_t *doc, const char *ext, char *out, size_t n)
{
    const char *kind = json_string_value(json_object_get(doc, "kind"));
    const char *unit = json_string_value(json_object_get(doc, "unit_name"));
    const char *date = json_string_value(json_object_get(doc, "date"));
    snprintf(out, n, "%s-%.120s-%.10s.%s", report_kind_zh(kind ? kind : "report"),
             unit && *unit ? unit : "单位", date && *date ? date : "undated", ext);
    for (char *p = out; *p; p++)
        if (*p == '/' || *p == '\\')
            *p = '_';
}

/* Writes the format's file of doc at path. */
static ag_err write_export(const json_t *doc, const char *format, const char *path, ag_error *err)
{
    if (!strcmp(format, "docx"))
        return export_report_docx(doc, path, err);
    if (!strcmp(format, "pdf"))
        return export_report_pdf(doc, path, err);
    char *html = NULL;
    size_t len = 0;
    ag_err rc = export_report_html(doc, &html, &len, err);
    if (rc)
        return rc;
    FILE *f = fopen(path, "wb");
    bool ok = f && fwrite(html, 1, len, f) == len;
    if (f)
        ok = fclose(f) == 0 && ok;
    free(html);
    return ok ? AG_OK
              : ag_fail(err, AG_ERR_IO, NULL, "无法写入导出文件", "cannot write the export");
}

ag_err api_report_export(http_req *r, ag_error *err)
{
    int64_t id = 0, v = 0;
    ag_err rc = path_report(r, &id, err);
    const char *format = http_query(r, "format");
    if (!format)
        format = "docx";
    const char *qv = http_query(r, "version");
    if (!rc && strcmp(format, "docx") && strcmp(format, "html") && strcmp(format, "pdf"))
        rc = ag_fail(err, AG_ERR_USAGE, "format", "format 应为 docx、html 或 pdf",
                     "format must be docx, html or pdf");
    if (!rc && qv && !api_parse_id(qv, &v))
        rc = ag_fail(err, AG_ERR_USAGE, "version", "version 应为正整数",
                     "version must be a positive integer");
    json_t *doc = NULL;
    api_actor_buf ab;
    if (!rc)
        rc = app_report_export_doc(http_store(r), api_actor(r, &ab), id, v, &doc, NULL, err);
    if (rc)
        return rc;
    if (!strcmp(format, "pdf") && !export_report_pdf_available()) {
        json_decref(doc);
        return http_reply_error(
            r, 503, "unavailable",
            "服务器未安装 LibreOffice（libreoffice-writer-nogui），无法生成 PDF",
            "LibreOffice (libreoffice-writer-nogui) is not installed on the "
            "server: no PDF");
    }
    const char *base = http_cfg(r)->tmp_dir;
    if (!base)
        base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    char dir[512], path[600], name[320];
    snprintf(dir, sizeof dir, "%s/auditgrid-report.XXXXXX", base);
    if (!mkdtemp(dir)) {
        json_decref(doc);
        return ag_fail(err, AG_ERR_IO, "tmp", "无法创建临时目录",
                       "cannot create a temporary folder");
    }
    snprintf(path, sizeof path, "%s/report.%s", dir, format);
    rc = write_export(doc, format, path, err);
    int fd = -1;
    if (!rc) {
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            rc = ag_fail(err, AG_ERR_IO, NULL, "无法读取导出文件", "cannot read the exported file");
    }
    unlink(path);
    rmdir(dir);
    download_name(doc, format, name, sizeof name);
    json_decref(doc);
    if (rc)
        return rc;
    bool html = !strcmp(format, "html");
    rc = http_reply_fd(r, fd,
                       html                     ? MIME_HTML
                       : !strcmp(format, "pdf") ? MIME_PDF
                                                : MIME_DOCX,
                       err);
    if (!rc) {
        if (html)
            api_content_disposition_inline(r, name);
        else
            api_content_disposition(r, name);
    }
    return rc;
}

/* ---- risk, settings, reminders ------------------------------------------------------------ */

ag_err api_report_risk(http_req *r, ag_error *err)
{
    const char *unit = http_query(r, "unit");
    int year = 0;
    ag_err rc = unit && *unit
                    ? AG_OK
                    : ag_fail(err, AG_ERR_USAGE, "unit", "须给出单位 unit", "give the unit");
    if (!rc)
        rc = query_year(r, true, &year, err);
    if (!rc)
        rc = api_unit_in_scope(r, unit, err);
    json_t *o = NULL;
    if (!rc)
        rc = report_risk_rank(http_store(r), unit, year, NULL, &o, err);
    return api_reply_result(r, rc, 200, o);
}

ag_err api_report_weights(http_req *r, ag_error *err)
{
    json_t *o = NULL;
    ag_err rc = report_risk_weights_get(http_store(r), &o, err);
    return api_reply_result(r, rc, 200, o);
}

ag_err api_report_weights_put(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"weights", NULL};
    ag_err rc = http_body_only(r, keys, err);
    json_t *w = json_object_get(http_body(r), "weights");
    if (!rc && !json_is_object(w))
        rc = ag_fail(err, AG_ERR_INPUT, "weights", "weights 应为 {因素: 权重}",
                     "weights must be {factor: weight}");
    api_actor_buf ab;
    json_t *o = NULL;
    if (!rc)
        rc = app_report_weights_set(http_store(r), api_actor(r, &ab), w, &o, err);
    return api_reply_result(r, rc, 200, o);
}

ag_err api_report_deadlines(http_req *r, ag_error *err)
{
    json_t *o = NULL;
    ag_err rc = report_deadlines_get(http_store(r), &o, err);
    return api_reply_result(r, rc, 200, o);
}

ag_err api_report_deadlines_put(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"plan_due", "summary_due", "audit_days", "rect_days", NULL};
    ag_err rc = http_body_only(r, keys, err);
    json_t *body = http_body(r);
    if (!rc && !json_is_object(body))
        rc = ag_fail(err, AG_ERR_USAGE, "body", "请求体应为报备期限对象",
                     "the body must be the deadlines object");
    api_actor_buf ab;
    json_t *o = NULL;
    if (!rc)
        rc = app_report_deadlines_set(http_store(r), api_actor(r, &ab), body, &o, err);
    return api_reply_result(r, rc, 200, o);
}

ag_err api_report_remind(http_req *r, ag_error *err)
{
    static const char *const keys[] = {NULL};
    ag_err rc = http_body(r) ? http_body_only(r, keys, err) : AG_OK;
    int64_t n = 0;
    if (!rc)
        rc = app_report_remind(http_store(r), &n, err);
    if (rc)
        return rc;
    api_reply_json(r, 200, json_pack("{sI}", "reminded", (json_int_t)n));
    return AG_OK;
}
