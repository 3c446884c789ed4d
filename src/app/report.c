/* report.c (app) - the four reports' actions: draft, redraft, section edits, filing, the
 * bureau's review and scores, exports, reminders and the settings (risk weights,
 * deadlines), each in its own transaction (its audited writes are its audit-log entries). */
#include "app/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/export.h"
#include "util/clock.h"
#include "util/banned.h"

/* Commits rc's work or rolls it back, releasing *out on failure. */
static ag_err finish(ag_store *st, ag_err rc, json_t **out, ag_error *err)
{
    rc = store_end(st, rc, err);
    if (rc && out) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

/* The report object as a sees it, into *out when out is set. */
static ag_err get_out(ag_store *st, const audit_actor *a, int64_t id, json_t **out, ag_error *err)
{
    return out ? report_get(st, a, id, out, err) : AG_OK;
}

/* AG_ERR_DENIED unless a is the bureau's administrator (what is refused: zh / en). */
#define only_admin(a, zh, en, err)                                                                 \
    ((a)->scope.role == AG_ROLE_ADMIN ? AG_OK : ag_fail((err), AG_ERR_DENIED, NULL, zh, en))

ag_err app_report_draft(ag_store *st, const audit_actor *a, const char *kind, int64_t project_id,
                        const char *unit_code, int year, json_t **out, ag_error *err)
{
    if (out)
        *out = NULL;
    if (!kind || !report_kind_valid(kind))
        return ag_fail(err, AG_ERR_USAGE, "kind",
                       "报告类型应为 plan、audit、rectification 或 summary",
                       "the kind must be plan, audit, rectification or summary");
    bool per_project = !strcmp(kind, "audit") || !strcmp(kind, "rectification");
    if (per_project && project_id <= 0)
        return ag_fail(err, AG_ERR_USAGE, "project_id", "审计报告和整改报告须给出审计项目",
                       "an audit or rectification report needs its audit project");
    if (!per_project && (!unit_code || !*unit_code || year <= 0))
        return ag_fail(err, AG_ERR_USAGE, !unit_code || !*unit_code ? "unit_code" : "year",
                       "年度计划和工作总结须给出单位和年度",
                       "an annual plan or work summary needs its unit and year");
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    json_t *doc = NULL;
    int64_t id = 0;
    rc = report_draft_build(st, a, kind, per_project ? project_id : 0,
                            per_project ? NULL : unit_code, per_project ? 0 : year, &doc, err);
    if (!rc)
        rc = report_create(st, a, kind, per_project ? project_id : 0,
                           per_project ? NULL : unit_code, per_project ? 0 : year, doc, &id, err);
    json_decref(doc);
    if (!rc)
        rc = get_out(st, a, id, out, err);
    return finish(st, rc, out, err);
}

/* The report's kind, project, unit and year, and whether it may be edited now. */
static ag_err report_key(ag_store *st, const audit_actor *a, int64_t id, json_t **obj,
                         ag_error *err)
{
    ag_err rc = report_get(st, a, id, obj, err);
    if (rc)
        return rc;
    const char *state = json_string_value(json_object_get(*obj, "state"));
    if (!state || (strcmp(state, "draft") && strcmp(state, "returned"))) {
        json_decref(*obj);
        *obj = NULL;
        return ag_fail(err, AG_ERR_INPUT, "state", "报告%s，只有草稿或已退回的报告可以修改",
                       "%.0sonly a draft or a returned report may be changed",
                       report_state_zh(state ? state : ""));
    }
    return AG_OK;
}

ag_err app_report_redraft(ag_store *st, const audit_actor *a, int64_t id, json_t **out,
                          ag_error *err)
{
    if (out)
        *out = NULL;
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    json_t *obj = NULL, *doc = NULL;
    rc = report_key(st, a, id, &obj, err);
    if (!rc) {
        json_t *pid = json_object_get(obj, "project_id");
        const char *kind = json_string_value(json_object_get(obj, "kind"));
        const char *unit = json_string_value(json_object_get(obj, "unit_code"));
        int year = (int)json_integer_value(json_object_get(obj, "year"));
        if (json_is_integer(pid))
            rc = report_draft_build(st, a, kind, json_integer_value(pid), NULL, 0, &doc, err);
        else
            rc = report_draft_build(st, a, kind, 0, unit, year, &doc, err);
    }
    int64_t v = 0;
    if (!rc)
        rc = report_save_doc(st, a, id, doc, &v, err);
    json_decref(doc);
    json_decref(obj);
    if (!rc)
        rc = get_out(st, a, id, out, err);
    return finish(st, rc, out, err);
}

ag_err app_report_save_section(ag_store *st, const audit_actor *a, int64_t id, const char *key,
                               const json_t *blocks, int64_t base_version, json_t **out,
                               ag_error *err)
{
    if (out)
        *out = NULL;
    if (!key || !*key)
        return ag_fail(err, AG_ERR_USAGE, "section", "须给出章节", "give the section");
    if (!json_is_array(blocks))
        return ag_fail(err, AG_ERR_INPUT, "blocks", "章节内容应为段落、标题、表格或事项的数组",
                       "the section's blocks must be an array of paragraphs, headings, tables or "
                       "items");
    if (base_version < 0)
        return ag_fail(err, AG_ERR_USAGE, "base_version", "基准版本应为正整数",
                       "the base version must be a positive integer");
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    int64_t v = 0;
    rc = report_save_section(st, a, id, key, blocks, base_version, &v, err);
    if (!rc)
        rc = get_out(st, a, id, out, err);
    return finish(st, rc, out, err);
}

ag_err app_report_file(ag_store *st, const audit_actor *a, int64_t id, json_t **out, ag_error *err)
{
    if (out)
        *out = NULL;
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = report_file(st, a, id, err);
    if (!rc)
        rc = get_out(st, a, id, out, err);
    return finish(st, rc, out, err);
}

ag_err app_report_review(ag_store *st, const audit_actor *a, int64_t id, const char *action,
                         const char *comment, const json_t *scores, json_t **out, ag_error *err)
{
    if (out)
        *out = NULL;
    if (!action || (strcmp(action, "accept") && strcmp(action, "return")))
        return ag_fail(err, AG_ERR_USAGE, "action", "审核结论应为采纳（accept）或退回（return）",
                       "the review action must be accept or return");
    if (!strcmp(action, "return") && (!comment || !*comment))
        return ag_fail(err, AG_ERR_INPUT, "comment", "退回报告须写明意见",
                       "returning a report needs a comment");
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    if (scores && json_object_size(scores))
        rc = report_score_set(st, a, id, scores, err);
    if (!rc)
        rc = report_review(st, a, id, action, comment, err);
    if (!rc)
        rc = get_out(st, a, id, out, err);
    return finish(st, rc, out, err);
}

ag_err app_report_score_set(ag_store *st, const audit_actor *a, int64_t id, const json_t *scores,
                            json_t **out, ag_error *err)
{
    if (out)
        *out = NULL;
    ag_err rc = only_admin(a, "只有区审计局可以评分", "only the bureau scores reports", err);
    if (!rc && (!json_is_object(scores) || !json_object_size(scores)))
        rc = ag_fail(err, AG_ERR_INPUT, "scores", "评分应为 {评分项: 分数}",
                     "the scores must be {criterion: points}");
    if (rc)
        return rc;
    rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = report_score_set(st, a, id, scores, err);
    if (!rc && out)
        rc = report_score_get(st, a, id, out, err);
    return finish(st, rc, out, err);
}

ag_err app_report_export_doc(ag_store *st, const audit_actor *a, int64_t id, int64_t version,
                             json_t **doc, json_t **report, ag_error *err)
{
    *doc = NULL;
    if (report)
        *report = NULL;
    if (version < 0)
        return ag_fail(err, AG_ERR_USAGE, "version", "版本应为正整数",
                       "the version must be a positive integer");
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    json_t *obj = NULL, *ver = NULL;
    rc = report_get(st, a, id, &obj, err);
    if (!rc && version == 0) {
        json_t *fv = json_object_get(obj, "filed_version");
        version = json_is_integer(fv) ? json_integer_value(fv) : 0;
    }
    if (!rc)
        rc = report_version_get(st, a, id, version, &ver, err);
    if (!rc) {
        *doc = json_incref(json_object_get(ver, "content"));
        if (!*doc)
            rc = ag_fail(err, AG_ERR_INTERNAL, "content", "报告版本缺少内容",
                         "the report version has no content");
    }
    json_decref(ver);
    rc = store_end(st, rc, err);
    if (!rc && report)
        *report = json_incref(obj);
    json_decref(obj);
    if (rc) {
        json_decref(*doc);
        *doc = NULL;
    }
    return rc;
}

/* Writes len bytes of text to path through a temporary file and a rename. */
static ag_err write_file(const char *path, const char *text, size_t len, ag_error *err)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
        return ag_fail(err, AG_ERR_USAGE, "out", "输出路径过长", "the output path is too long");
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return ag_fail(err, AG_ERR_IO, "out", "无法写入文件 %s", "cannot write %s", path);
    bool ok = fwrite(text, 1, len, f) == len;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path)) {
        remove(tmp);
        return ag_fail(err, AG_ERR_IO, "out", "无法写入文件 %s", "cannot write %s", path);
    }
    return AG_OK;
}

ag_err app_report_export(ag_store *st, const audit_actor *a, int64_t id, int64_t version,
                         const char *format, const char *path, ag_error *err)
{
    bool docx = format && !strcmp(format, "docx"), html = format && !strcmp(format, "html"),
         pdf = format && !strcmp(format, "pdf");
    if (!docx && !html && !pdf)
        return ag_fail(err, AG_ERR_USAGE, "format", "导出格式应为 docx、html 或 pdf",
                       "the format must be docx, html or pdf");
    if (!path || !*path)
        return ag_fail(err, AG_ERR_USAGE, "out", "须给出输出文件", "give the output file");
    json_t *doc = NULL;
    ag_err rc = app_report_export_doc(st, a, id, version, &doc, NULL, err);
    if (rc)
        return rc;
    if (pdf && !export_report_pdf_available()) {
        json_decref(doc);
        return ag_fail(err, AG_ERR_IO, "format",
                       "未安装 LibreOffice（libreoffice-writer-nogui），无法导出 PDF",
                       "LibreOffice (libreoffice-writer-nogui) is not installed: no PDF export");
    }
    if (docx) {
        rc = export_report_docx(doc, path, err);
    } else if (pdf) {
        rc = export_report_pdf(doc, path, err);
    } else {
        char *text = NULL;
        size_t len = 0;
        rc = export_report_html(doc, &text, &len, err);
        if (!rc)
            rc = write_file(path, text, len, err);
        free(text);
    }
    json_decref(doc);
    return rc;
}

ag_err app_report_remind(ag_store *st, int64_t *created, ag_error *err)
{
    int64_t n = 0;
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = report_remind(st, ag_clock_today(), &n, err);
    rc = store_end(st, rc, err);
    if (created)
        *created = rc ? 0 : n;
    return rc;
}

ag_err app_report_weights_set(ag_store *st, const audit_actor *a, const json_t *weights,
                              json_t **out, ag_error *err)
{
    if (out)
        *out = NULL;
    ag_err rc = only_admin(a, "只有区审计局可以修改风险权重",
                           "only the bureau changes the risk weights", err);
    if (rc)
        return rc;
    rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = report_risk_weights_set(st, weights, err);
    if (!rc && out)
        rc = report_risk_weights_get(st, out, err);
    return finish(st, rc, out, err);
}

ag_err app_report_deadlines_set(ag_store *st, const audit_actor *a, const json_t *in, json_t **out,
                                ag_error *err)
{
    if (out)
        *out = NULL;
    ag_err rc = only_admin(a, "只有区审计局可以修改报备期限",
                           "only the bureau changes the filing deadlines", err);
    if (rc)
        return rc;
    rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = report_deadlines_set(st, in, err);
    if (!rc && out)
        rc = report_deadlines_get(st, out, err);
    return finish(st, rc, out, err);
}
