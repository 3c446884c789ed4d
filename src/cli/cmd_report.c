/* cmd_report.c - `auditgrid report`: the four reports (四类报告, issue 16): 年度内部审计计划,
 * 审计报告, 整改报告 and 年度内部审计工作总结 — drafted from the store, edited section by
 * section, exported in the official layout (DOCX, HTML, PDF), filed to the bureau, returned
 * or accepted, scored; the plan's risk ranking and its weights, the filing deadlines and the
 * reminders of late reports. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/report.h"
#include "cli/cli_wf.h"
#include "util/date.h"
#include "util/banned.h"

#define REPORT_BLOCKS_FILE_MAX (4u * 1024u * 1024u)

// clang-format off
#define OPT_ID {"id", "N", true, "报告编号", "report id"}
#define OPT_KIND_HELP "plan 年度内部审计计划、audit 审计报告、rectification 整改报告、summary 年度内部审计工作总结"
// clang-format on

/* ---- parsing -------------------------------------------------------------------------- */

static bool get_id(const cli_ctx *c, int64_t *id)
{
    return cli_get_int(c, "id", 1, INT64_MAX, 0, id);
}

/* --year (0 when absent) into *year; false after a usage error. */
static bool get_year(const cli_ctx *c, int *year)
{
    int64_t y = 0;
    if (!cli_get_int(c, "year", REPORT_YEAR_MIN, REPORT_YEAR_MAX, 0, &y))
        return false;
    *year = (int)y;
    return true;
}

/* "A=1,B=2.5,C=" into {A: 1, B: 2.5, C: null} (null when empty or "null" and may_null); integers
 * only unless reals. NULL after a usage error (printed). */
static json_t *parse_pairs(const cli_ctx *c, const char *opt, bool reals, bool may_null,
                           const char *zh, const char *en)
{
    const char *v = cli_get(c, opt);
    json_t *o = json_object();
    char *buf = v ? strdup(v) : NULL;
    bool ok = o && buf && *buf;
    for (char *p = buf; ok && p && *p;) {
        char *next = strchr(p, ',');
        if (next)
            *next++ = '\0';
        char *eq = strchr(p, '=');
        if (!eq || eq == p) {
            ok = false;
            break;
        }
        *eq++ = '\0';
        json_t *val = NULL;
        if (may_null && (!*eq || !strcmp(eq, "null"))) {
            val = json_null();
        } else {
            char *end = NULL;
            long long i = strtoll(eq, &end, 10);
            if (*eq && end && !*end) {
                val = json_integer(i);
            } else if (reals) {
                double d = strtod(eq, &end);
                if (*eq && end && !*end)
                    val = json_real(d);
            }
        }
        if (!val) {
            ok = false;
            break;
        }
        json_object_set_new(o, p, val);
        p = next;
    }
    free(buf);
    if (!ok) {
        json_decref(o);
        cli_usage_error(c, zh, en);
        return NULL;
    }
    return o;
}

/* ---- text output ---------------------------------------------------------------------- */

static const char *str_or(const json_t *o, const char *k, const char *dflt)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s && *s ? s : dflt;
}

/* A number as text with one decimal ("85.5"), "—" when not a number. */
static const char *num1(const json_t *v, char *buf, size_t n)
{
    if (!json_is_number(v))
        return "—";
    snprintf(buf, n, "%.1f", json_number_value(v));
    return buf;
}

/* A raw figure: an integer as such, otherwise two decimals; "—" when not a number. */
static const char *numg(const json_t *v, char *buf, size_t n)
{
    if (!json_is_number(v))
        return "—";
    double d = json_number_value(v);
    if (d == (double)(long long)d)
        snprintf(buf, n, "%lld", (long long)d);
    else
        snprintf(buf, n, "%.2f", d);
    return buf;
}

static const char *num2(const json_t *v, char *buf, size_t n)
{
    if (!json_is_number(v))
        return "—";
    snprintf(buf, n, "%.2f", json_number_value(v));
    return buf;
}

/* A stored UTC time "YYYY-MM-DDTHH:MM:SSZ" as Beijing time "YYYY-MM-DD HH:MM" (the day the
 * user lived); anything else as it is, NULL and "" as "—". */
static const char *when(const char *ts, char out[24])
{
    int32_t day = 0;
    if (!ts || !*ts)
        return "—";
    if (strlen(ts) < 16 || ts[10] != 'T' || ts[13] != ':' || !ag_date_parse(ts, 10, &day) ||
        ts[11] < '0' || ts[11] > '9' || ts[12] < '0' || ts[12] > '9')
        return ts;
    int hour = (ts[11] - '0') * 10 + (ts[12] - '0') + 8;
    if (hour >= 24) {
        hour -= 24;
        day++;
    }
    char d[11];
    ag_date_format(day, d);
    snprintf(out, 24, "%s %02d:%.2s", d, hour, ts + 14);
    return out;
}

/* An actor name ("user:admin", "cli:root") without its kind. */
static const char *who(const char *actor)
{
    const char *colon = actor ? strchr(actor, ':') : NULL;
    return colon ? colon + 1 : actor ? actor : "";
}

/* What the report is about: "单位名（代码）2026 年度" or "项目 P-…（名称）". */
static void subject_text(const json_t *o)
{
    if (json_is_integer(json_object_get(o, "project_id")))
        printf("%s（%s）　审计项目 %s %s", str_or(o, "unit_name", "—"), cli_text(o, "unit_code"),
               str_or(o, "project_code", "—"), cli_text(o, "project_name"));
    else
        printf("%s（%s）　%lld 年度", str_or(o, "unit_name", "—"), cli_text(o, "unit_code"),
               cli_int(o, "year"));
}

static void score_text(const json_t *s)
{
    char a[32], b[32];
    printf("质量评分 score：%s 分（第 %lld 版）\n", num1(json_object_get(s, "total"), a, sizeof a),
           cli_int(s, "version"));
    json_t *cr = json_object_get(s, "criteria");
    for (size_t i = 0; i < json_array_size(cr); i++) {
        json_t *x = json_array_get(cr, i);
        json_t *by = json_object_get(x, "by");
        json_t *pts = json_object_get(x, "points");
        printf("  %-8s %s / %s　%s%s%s%s\n", cli_text(x, "name_zh"),
               json_is_number(pts) ? num1(pts, a, sizeof a) : "—",
               num1(json_object_get(x, "max"), b, sizeof b),
               !json_is_number(pts)                       ? "待评审"
               : json_is_true(json_object_get(x, "auto")) ? "自动"
                                                          : "评审",
               json_is_string(by) ? "（" : "", json_is_string(by) ? who(json_string_value(by)) : "",
               json_is_string(by) ? " 评定）" : "");
        if (*cli_text(x, "basis_zh"))
            printf("           %s\n", cli_text(x, "basis_zh"));
    }
}

static void report_text(const json_t *o)
{
    printf("%s #%lld　%s\n", str_or(o, "kind_zh", report_kind_zh(cli_text(o, "kind"))),
           cli_int(o, "id"), cli_text(o, "title"));
    subject_text(o);
    printf("\n状态 state：%s　当前第 %lld 版",
           str_or(o, "state_zh", report_state_zh(cli_text(o, "state"))), cli_int(o, "version"));
    char t[24];
    if (json_is_integer(json_object_get(o, "filed_version")))
        printf("　报备版本 第 %lld 版（%s 报备）", cli_int(o, "filed_version"),
               when(cli_text(o, "filed_at"), t));
    printf("\n报备期限 due：%s%s", str_or(o, "due", "尚未确定"),
           json_is_true(json_object_get(o, "late")) ? "　已逾期 late" : "");
    if (json_is_string(json_object_get(o, "response_due")))
        printf("　被审计单位书面意见截止：%s", cli_text(o, "response_due"));
    printf("\n起草 created：%s　%s\n", str_or(o, "created_by_name", who(cli_text(o, "created_by"))),
           when(cli_text(o, "created_at"), t));
    json_t *sub = json_object_get(o, "submission");
    if (json_is_object(sub))
        printf("报送主管部门 submission #%lld：%s　%s\n", cli_int(sub, "id"),
               str_or(sub, "to_cell_name", "—"), cli_text(sub, "state_zh"));
    json_t *content = json_object_get(o, "content");
    json_t *secs = json_object_get(content, "sections");
    if (json_array_size(secs)) {
        printf("章节 sections：\n");
        for (size_t i = 0; i < json_array_size(secs); i++) {
            json_t *s = json_array_get(secs, i);
            printf("  %-10s %s（内容 %zu 项）%s%s\n", cli_text(s, "key"), cli_text(s, "heading"),
                   json_array_size(json_object_get(s, "blocks")),
                   json_is_true(json_object_get(s, "required")) ? "　必备" : "",
                   report_section_has_content(s) ? "" : "　尚无内容");
        }
    }
    json_t *vs = json_object_get(o, "versions");
    if (json_array_size(vs)) {
        printf("版本 versions：\n");
        for (size_t i = 0; i < json_array_size(vs); i++) {
            json_t *v = json_array_get(vs, i);
            printf("  第 %lld 版　%s　%s%s\n", cli_int(v, "version"),
                   str_or(v, "author_name", who(cli_text(v, "author"))),
                   when(cli_text(v, "created_at"), t),
                   json_is_true(json_object_get(v, "filed")) ? "　已报备" : "");
        }
    }
    json_t *cs = json_object_get(o, "comments");
    if (json_array_size(cs)) {
        printf("审核意见 comments：\n");
        for (size_t i = 0; i < json_array_size(cs); i++) {
            json_t *x = json_array_get(cs, i);
            printf("  第 %lld 版　%s　%s　%s：%s\n", cli_int(x, "version"),
                   str_or(x, "action_zh", report_action_zh(cli_text(x, "action"))),
                   str_or(x, "by_name", who(cli_text(x, "by"))), when(cli_text(x, "at"), t),
                   str_or(x, "comment", "（无）"));
        }
    }
    json_t *score = json_object_get(o, "score");
    if (json_is_object(score))
        score_text(score);
    json_t *acts = json_object_get(o, "actions");
    if (json_array_size(acts)) {
        printf("可进行的操作 actions：");
        for (size_t i = 0; i < json_array_size(acts); i++)
            printf("%s%s", i ? "、" : "", cli_text(json_array_get(acts, i), "label_zh"));
        printf("\n");
    }
}

static void row_text(const json_t *o)
{
    char a[32];
    printf("#%-4lld %-12s ", cli_int(o, "id"),
           str_or(o, "kind_zh", report_kind_zh(cli_text(o, "kind"))));
    subject_text(o);
    printf("　%s　第 %lld 版　期限 %s%s　得分 %s\n",
           str_or(o, "state_zh", report_state_zh(cli_text(o, "state"))), cli_int(o, "version"),
           str_or(o, "due", "—"), json_is_true(json_object_get(o, "late")) ? "（逾期）" : "",
           num1(json_object_get(o, "score_total"), a, sizeof a));
}

static void list_text(const json_t *o)
{
    cli_wf_rows(o, row_text, "份报告", "reports");
}

static void risk_text(const json_t *o)
{
    char a[32], b[32];
    printf("%s（%s）%lld 年度风险评估与排序（%s）\n", cli_text(o, "unit_name"),
           cli_text(o, "unit_code"), cli_int(o, "year"),
           !strcmp(cli_text(o, "basis"), "units") ? "按所属单位" : "按业务领域");
    json_t *fs = json_object_get(o, "factors");
    printf("风险因素及权重 factors：");
    for (size_t i = 0; i < json_array_size(fs); i++) {
        json_t *f = json_array_get(fs, i);
        printf("%s%s %lld", i ? "；" : "", cli_text(f, "name_zh"), cli_int(f, "weight"));
    }
    printf("\n");
    json_t *es = json_object_get(o, "entries");
    for (size_t i = 0; i < json_array_size(es); i++) {
        json_t *e = json_array_get(es, i);
        printf("%2lld. %s（%s）　风险分 %s\n", cli_int(e, "rank"), cli_text(e, "name"),
               cli_text(e, "code"), num2(json_object_get(e, "score"), a, sizeof a));
        json_t *ef = json_object_get(e, "factors");
        printf("    ");
        for (size_t k = 0; k < json_array_size(fs); k++) {
            json_t *f = json_array_get(fs, k);
            json_t *x = json_object_get(ef, cli_text(f, "code"));
            const char *name = cli_text(f, "name_zh");
            const char *paren = strstr(name, "（");
            printf("%s%.*s %s→%s", k ? "　" : "",
                   (int)(paren ? (size_t)(paren - name) : strlen(name)), name,
                   numg(json_object_get(x, "raw"), a, sizeof a),
                   num2(json_object_get(x, "points"), b, sizeof b));
        }
        printf("\n");
        if (*cli_text(e, "reason_zh"))
            printf("    理由：%s\n", cli_text(e, "reason_zh"));
    }
    printf("共 %zu 项 (%zu entries)\n", json_array_size(es), json_array_size(es));
}

static void weights_text(const json_t *o)
{
    json_t *fs = json_object_get(o, "factors");
    printf("风险因素权重 risk factor weights：\n");
    for (size_t i = 0; i < json_array_size(fs); i++) {
        json_t *f = json_array_get(fs, i);
        printf("  %-8s %3lld（默认 %lld）　%s\n", cli_text(f, "code"), cli_int(f, "weight"),
               cli_int(f, "default"), cli_text(f, "name_zh"));
    }
}

static void deadlines_text(const json_t *o)
{
    printf("报备期限 filing deadlines：\n"
           "  年度内部审计计划：当年 %s 前（plan_due）\n"
           "  年度内部审计工作总结：次年 %s 前（summary_due）\n"
           "  审计报告：现场审计结束后 %lld 天内（audit_days）\n"
           "  整改报告：审计报告报备后 %lld 天内（rect_days）\n",
           cli_text(o, "plan_due"), cli_text(o, "summary_due"), cli_int(o, "audit_days"),
           cli_int(o, "rect_days"));
}

/* ---- draft ---------------------------------------------------------------------------- */

static const cli_opt draft_opts[] = {
    {"kind", "K", true, "报告类型：" OPT_KIND_HELP,
     "kind: plan (annual plan), audit (audit report), rectification, summary (work summary)"},
    {"project", "ID", false, "审计项目编号（审计报告、整改报告）",
     "audit project id (audit and rectification reports)"},
    {"unit", "CODE", false, "单位（年度计划、工作总结）", "unit (annual plan, work summary)"},
    {"year", "YYYY", false, "年度（年度计划、工作总结）", "year (annual plan, work summary)"},
    CLI_OPT_END};

typedef struct draft_args {
    const char *kind;
    int64_t project;
    int year;
} draft_args;

static ag_err call_draft(const cli_ctx *c, cli_wf *w, const void *arg, json_t **out)
{
    const draft_args *d = arg;
    return app_report_draft(w->st, &w->actor, d->kind, d->project, cli_get(c, "unit"), d->year, out,
                            &w->err);
}

static int run_draft(cli_ctx *c)
{
    draft_args d = {cli_get(c, "kind"), 0, 0};
    if (!report_kind_valid(d.kind))
        return cli_usage_error(c, "--kind 应为 plan、audit、rectification 或 summary",
                               "--kind must be plan, audit, rectification or summary");
    if (!cli_get_int(c, "project", 1, INT64_MAX, 0, &d.project) || !get_year(c, &d.year))
        return 2;
    if (report_kind_is_project(d.kind)) {
        if (!d.project || cli_get(c, "unit") || d.year)
            return cli_usage_error(c, "审计报告和整改报告须给出 --project（不带 --unit、--year）",
                                   "audit and rectification reports take --project (not --unit, "
                                   "--year)");
    } else if (d.project || !cli_get(c, "unit") || !d.year) {
        return cli_usage_error(c, "年度计划和工作总结须给出 --unit 和 --year（不带 --project）",
                               "annual plans and work summaries take --unit and --year (not "
                               "--project)");
    }
    return cli_wf_call(c, call_draft, &d, report_text);
}

/* ---- show, redraft, file -------------------------------------------------------------- */

static const cli_opt id_opts[] = {OPT_ID, CLI_OPT_END};

static ag_err call_show(const cli_ctx *c, cli_wf *w, const void *arg, json_t **out)
{
    (void)c;
    return report_get(w->st, &w->actor, *(const int64_t *)arg, out, &w->err);
}

static int run_id(cli_ctx *c, cli_wf_call_fn call)
{
    int64_t id = 0;
    if (!get_id(c, &id))
        return 2;
    return cli_wf_call(c, call, &id, report_text);
}

static int run_show(cli_ctx *c)
{
    return run_id(c, call_show);
}

static ag_err call_redraft(const cli_ctx *c, cli_wf *w, const void *arg, json_t **out)
{
    (void)c;
    return app_report_redraft(w->st, &w->actor, *(const int64_t *)arg, out, &w->err);
}

static int run_redraft(cli_ctx *c)
{
    return run_id(c, call_redraft);
}

static ag_err call_file(const cli_ctx *c, cli_wf *w, const void *arg, json_t **out)
{
    (void)c;
    return app_report_file(w->st, &w->actor, *(const int64_t *)arg, out, &w->err);
}

static int run_file(cli_ctx *c)
{
    return run_id(c, call_file);
}

/* ---- review --------------------------------------------------------------------------- */

static const cli_opt review_opts[] = {
    OPT_ID,
    {"accept", NULL, false, "采纳", "accept"},
    {"return", NULL, false, "退回（须写明意见）", "return (needs a comment)"},
    {"comment", "TEXT", false, "审核意见", "review comment"},
    CLI_OPT_END};

static ag_err call_review(const cli_ctx *c, cli_wf *w, const void *arg, json_t **out)
{
    return app_report_review(w->st, &w->actor, *(const int64_t *)arg,
                             cli_flag(c, "accept") ? "accept" : "return", cli_get(c, "comment"),
                             NULL, out, &w->err);
}

static int run_review(cli_ctx *c)
{
    int64_t id = 0;
    if (!get_id(c, &id))
        return 2;
    if (cli_flag(c, "accept") == cli_flag(c, "return"))
        return cli_usage_error(c, "须给出 --accept 或 --return 之一",
                               "give one of --accept and --return");
    return cli_wf_call(c, call_review, &id, report_text);
}

/* ---- edit ----------------------------------------------------------------------------- */

static const cli_opt edit_opts[] = {
    OPT_ID,
    {"section", "KEY", true, "章节（如 findings、response）", "section key (e.g. findings)"},
    {"file", "BLOCKS.json", true, "章节内容文件：块的 JSON 数组，或带 blocks 的对象",
     "the section's content: a JSON array of blocks, or an object with \"blocks\""},
    {"base", "V", false, "修改所依据的版本（不是最新版本则拒绝）",
     "the version the edit is based on (refused when not the latest)"},
    CLI_OPT_END};

typedef struct edit_args {
    int64_t id, base;
    json_t *blocks;
} edit_args;

static ag_err call_edit(const cli_ctx *c, cli_wf *w, const void *arg, json_t **out)
{
    const edit_args *e = arg;
    ag_err rc = app_report_save_section(w->st, &w->actor, e->id, cli_get(c, "section"), e->blocks,
                                        e->base, out, &w->err);
    /* The domain names the version field; on the command line it is --base. */
    if (rc && (!strcmp(w->err.where, "version") || !strcmp(w->err.where, "base_version")))
        snprintf(w->err.where, sizeof w->err.where, "base");
    if (rc && !strcmp(w->err.where, "key"))
        snprintf(w->err.where, sizeof w->err.where, "section");
    return rc;
}

static int run_edit(cli_ctx *c)
{
    edit_args e = {0, 0, NULL};
    if (!get_id(c, &e.id) || !cli_get_int(c, "base", 1, INT64_MAX, 0, &e.base))
        return 2;
    const char *path = cli_get(c, "file");
    json_error_t je;
    json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    ag_error err;
    ag_error_clear(&err);
    if (!j) {
        if (je.line > 0)
            ag_fail(&err, AG_ERR_INPUT, "file", "章节内容文件 %s 不是有效的 JSON（第 %d 行：%s）",
                    "the section file %s is not valid JSON (line %d: %s)", path, je.line, je.text);
        else
            ag_fail(&err, AG_ERR_INPUT, "file", "无法读取章节内容文件 %s",
                    "cannot read the section file %s", path);
        return cli_report(&err);
    }
    e.blocks = json_is_object(j) ? json_object_get(j, "blocks") : j;
    if (!json_is_array(e.blocks)) {
        json_decref(j);
        ag_fail(&err, AG_ERR_INPUT, "file", "章节内容文件应为块的 JSON 数组，或带 blocks 的对象",
                "the section file must be a JSON array of blocks or an object with \"blocks\"");
        return cli_report(&err);
    }
    int code = cli_wf_call(c, call_edit, &e, report_text);
    json_decref(j);
    return code;
}

/* ---- export --------------------------------------------------------------------------- */

static const cli_opt export_opts[] = {
    OPT_ID,
    {"format", "docx|html|pdf", true, "格式：docx（公文格式）、html（打印版）、pdf",
     "format: docx (official layout), html (printable), pdf"},
    {"out", "FILE", true, "输出文件", "the file to write"},
    {"version", "V", false, "版本（默认：已报备的版本，从未报备则为最新版本）",
     "version (default: the filed one, else the latest)"},
    CLI_OPT_END};

typedef struct export_args {
    int64_t id, version;
} export_args;

static ag_err do_export(const cli_ctx *c, cli_wf *w, const void *arg)
{
    const export_args *e = arg;
    ag_err rc = app_report_export(w->st, &w->actor, e->id, e->version, cli_get(c, "format"),
                                  cli_get(c, "out"), &w->err);
    if (rc)
        return rc;
    if (c->json) {
        json_t *o = json_pack("{sI so ss ss}", "id", (json_int_t)e->id, "version",
                              e->version ? json_integer(e->version) : json_null(), "format",
                              cli_get(c, "format"), "out", cli_get(c, "out"));
        cli_wf_print_json(o);
    } else {
        printf("已导出报告 #%lld 至 %s\nreport #%lld exported to %s\n", (long long)e->id,
               cli_get(c, "out"), (long long)e->id, cli_get(c, "out"));
    }
    return AG_OK;
}

static int run_export(cli_ctx *c)
{
    export_args e = {0, 0};
    if (!get_id(c, &e.id) || !cli_get_int(c, "version", 1, INT64_MAX, 0, &e.version))
        return 2;
    const char *f = cli_get(c, "format");
    if (strcmp(f, "docx") && strcmp(f, "html") && strcmp(f, "pdf"))
        return cli_usage_error(c, "--format 应为 docx、html 或 pdf",
                               "--format must be docx, html or pdf");
    return cli_wf_run(c, do_export, &e);
}

/* ---- score ---------------------------------------------------------------------------- */

static const cli_opt score_opts[] = {
    OPT_ID,
    {"set", "CODE=POINTS,...", false,
     "评审给分，如 opinion=12,facts=14（空值清除）；评分项 completeness basics opinion facts "
     "characterisation recommendation use",
     "the reviewer's points, e.g. opinion=12,facts=14 (empty clears)"},
    CLI_OPT_END};

typedef struct score_args {
    int64_t id;
    json_t *set;
} score_args;

static ag_err call_score(const cli_ctx *c, cli_wf *w, const void *arg, json_t **out)
{
    (void)c;
    const score_args *s = arg;
    if (s->set)
        return app_report_score_set(w->st, &w->actor, s->id, s->set, out, &w->err);
    return report_score_get(w->st, &w->actor, s->id, out, &w->err);
}

static int run_score(cli_ctx *c)
{
    score_args s = {0, NULL};
    if (!get_id(c, &s.id))
        return 2;
    if (cli_get(c, "set")) {
        s.set = parse_pairs(c, "set", true, true, "--set 应为 评分项=分数,…（如 opinion=12）",
                            "--set must be criterion=points,... (e.g. opinion=12)");
        if (!s.set)
            return 2;
    }
    int code = cli_wf_call(c, call_score, &s, score_text);
    json_decref(s.set);
    return code;
}

/* ---- list ----------------------------------------------------------------------------- */

static const cli_opt list_opts[] = {
    {"kind", "K", false, "报告类型：" OPT_KIND_HELP, "kind: plan, audit, rectification, summary"},
    {"state", "S", false, "状态：draft 草稿、filed 已报备、returned 已退回、accepted 已采纳",
     "state: draft, filed, returned, accepted"},
    CLI_OPT_UNIT,
    {"year", "YYYY", false, "年度", "year"},
    {"queue", NULL, false, "区审计局待审核的报备（已报备，先报先审）",
     "the bureau's filing queue (filed, oldest first)"},
    CLI_OPT_END};

static ag_err call_list(const cli_ctx *c, cli_wf *w, const void *arg, json_t **out)
{
    report_filter f = {cli_get(c, "kind"),
                       cli_get(c, "state"),
                       cli_get(c, "unit"),
                       *(const int *)arg,
                       cli_flag(c, "queue"),
                       false,
                       1000,
                       0};
    return report_list(w->st, NULL, &f, out, &w->err);
}

static int run_list(cli_ctx *c)
{
    int year = 0;
    if (!get_year(c, &year))
        return 2;
    const char *k = cli_get(c, "kind");
    if (k && !report_kind_valid(k))
        return cli_usage_error(c, "--kind 应为 plan、audit、rectification 或 summary",
                               "--kind must be plan, audit, rectification or summary");
    const char *s = cli_get(c, "state");
    if (s && strcmp(s, "draft") && strcmp(s, "filed") && strcmp(s, "returned") &&
        strcmp(s, "accepted"))
        return cli_usage_error(c, "--state 应为 draft、filed、returned 或 accepted",
                               "--state must be draft, filed, returned or accepted");
    return cli_wf_call(c, call_list, &year, list_text);
}

/* ---- risk and weights ----------------------------------------------------------------- */

static const cli_opt risk_opts[] = {
    CLI_OPT_UNIT_REQUIRED, {"year", "YYYY", true, "计划年度", "the planned year"}, CLI_OPT_END};

static ag_err call_risk(const cli_ctx *c, cli_wf *w, const void *arg, json_t **out)
{
    return report_risk_rank(w->st, cli_get(c, "unit"), *(const int *)arg, NULL, out, &w->err);
}

static int run_risk(cli_ctx *c)
{
    int year = 0;
    if (!get_year(c, &year))
        return 2;
    return cli_wf_call(c, call_risk, &year, risk_text);
}

static const cli_opt weights_opts[] = {
    {"set", "CODE=W,...", false,
     "设置权重（0–100），如 warnings=30,funds=10；因素 warnings findings repeat grade years funds",
     "set weights (0-100), e.g. warnings=30,funds=10"},
    CLI_OPT_END};

static ag_err call_weights(const cli_ctx *c, cli_wf *w, const void *arg, json_t **out)
{
    (void)c;
    const json_t *set = arg;
    if (set)
        return app_report_weights_set(w->st, &w->actor, set, out, &w->err);
    return report_risk_weights_get(w->st, out, &w->err);
}

static int run_weights(cli_ctx *c)
{
    json_t *set = NULL;
    if (cli_get(c, "set")) {
        set = parse_pairs(c, "set", false, false, "--set 应为 因素=权重,…（如 warnings=30）",
                          "--set must be factor=weight,... (e.g. warnings=30)");
        if (!set)
            return 2;
    }
    int code = cli_wf_call(c, call_weights, set, weights_text);
    json_decref(set);
    return code;
}

/* ---- deadlines and reminders ---------------------------------------------------------- */

static const cli_opt deadlines_opts[] = {
    {"set", "KEY=VALUE,...", false,
     "设置期限，如 plan_due=01-31,summary_due=01-31,audit_days=30,rect_days=60",
     "set deadlines, e.g. plan_due=01-31,summary_due=01-31,audit_days=30,rect_days=60"},
    CLI_OPT_END};

/* "plan_due=02-15,audit_days=20" into {plan_due: "02-15", audit_days: 20}: the *_days values
 * are integers (left as text when not one, for the domain to refuse), the others text. */
static json_t *parse_deadlines(const cli_ctx *c)
{
    json_t *o = json_object();
    char *buf = strdup(cli_get(c, "set"));
    bool ok = o && buf && *buf;
    for (char *p = buf; ok && p && *p;) {
        char *next = strchr(p, ',');
        if (next)
            *next++ = '\0';
        char *eq = strchr(p, '=');
        if (!eq || eq == p) {
            ok = false;
            break;
        }
        *eq++ = '\0';
        size_t n = strlen(p);
        char *end = NULL;
        long long v = strtoll(eq, &end, 10);
        if (n > 5 && !strcmp(p + n - 5, "_days") && *eq && !*end)
            json_object_set_new(o, p, json_integer(v));
        else
            json_object_set_new(o, p, json_string(eq));
        p = next;
    }
    free(buf);
    if (!ok) {
        json_decref(o);
        cli_usage_error(c, "--set 应为 键=值,…（如 plan_due=01-31,audit_days=30）",
                        "--set must be key=value,... (e.g. plan_due=01-31,audit_days=30)");
        return NULL;
    }
    return o;
}

static ag_err call_deadlines(const cli_ctx *c, cli_wf *w, const void *arg, json_t **out)
{
    const json_t *set = arg;
    ag_err rc = set ? app_report_deadlines_set(w->st, &w->actor, set, out, &w->err)
                    : report_deadlines_get(w->st, out, &w->err);
    /* The domain names the key ("audit_days"); on the command line it is a key of --set. */
    if (rc && set && json_object_get(set, w->err.where)) {
        char key[sizeof w->err.where];
        memcpy(key, w->err.where, sizeof key);
        snprintf(w->err.where, sizeof w->err.where, "--set %.200s", key);
    }
    (void)c;
    return rc;
}

static int run_deadlines(cli_ctx *c)
{
    json_t *set = NULL;
    if (cli_get(c, "set") && !(set = parse_deadlines(c)))
        return 2;
    int code = cli_wf_call(c, call_deadlines, set, deadlines_text);
    json_decref(set);
    return code;
}

static ag_err do_remind(const cli_ctx *c, cli_wf *w, const void *arg)
{
    (void)arg;
    int64_t n = 0;
    ag_err rc = app_report_remind(w->st, &n, &w->err);
    if (rc)
        return rc;
    if (c->json)
        cli_wf_print_json(json_pack("{sI}", "reminded", (json_int_t)n));
    else
        printf("已生成报告报备提醒 %lld 条\n%lld report filing reminders written\n", (long long)n,
               (long long)n);
    return AG_OK;
}

static int run_remind(cli_ctx *c)
{
    return cli_wf_run(c, do_remind, NULL);
}

const cli_cmd cli_report_cmds[] = {
    {"report", "draft", "起草报告（从系统数据生成初稿）",
     "draft a report (a first draft from the system's data)", NULL, draft_opts, run_draft,
     "  auditgrid report draft --kind plan --unit 12120104MBKX0792XX --year 2026\n"
     "  auditgrid report draft --kind audit --project 3 --json"},
    {"report", "list", "列出报告（可按类型、状态、单位、年度筛选）",
     "list reports (by kind, state, unit, year)", NULL, list_opts, run_list,
     "  auditgrid report list --queue\n  auditgrid report list --kind audit --state draft"},
    {"report", "show", "查看报告（状态、版本、审核意见、评分）",
     "show a report (state, versions, comments, score)", NULL, id_opts, run_show,
     "  auditgrid report show --id 3 --json"},
    {"report", "edit", "修改报告的一个章节（从 JSON 文件读入）",
     "edit one section of a report (read from a JSON file)", NULL, edit_opts, run_edit,
     "  auditgrid report edit --id 3 --section response --file response.json --base 2"},
    {"report", "redraft", "按系统当前数据重新生成报告（新版本）",
     "redraft a report from the current data (a new version)", NULL, id_opts, run_redraft,
     "  auditgrid report redraft --id 3"},
    {"report", "export", "导出报告（DOCX 公文格式、HTML 打印版、PDF）",
     "export a report (DOCX in the official layout, printable HTML, PDF)", NULL, export_opts,
     run_export, "  auditgrid report export --id 3 --format docx --out 审计报告.docx"},
    {"report", "file", "向区审计局报备报告（已退回的报告重新报备）",
     "file a report to the bureau (refile a returned one)", NULL, id_opts, run_file,
     "  auditgrid report file --id 3"},
    {"report", "review", "区审计局审核报备的报告：采纳或退回",
     "the bureau's review of a filed report: accept or return", NULL, review_opts, run_review,
     "  auditgrid report review --id 3 --return --comment \"问题定性依据不足，请补充\""},
    {"report", "score", "查看或评定报告质量评分", "show or set a report's quality score", NULL,
     score_opts, run_score, "  auditgrid report score --id 3 --set opinion=12 --json"},
    {"report", "risk", "年度审计计划的风险评估与排序", "the risk ranking of an annual plan", NULL,
     risk_opts, run_risk, "  auditgrid report risk --unit 12120104MBKX0792XX --year 2026"},
    {"report", "weights", "查看或设置风险因素权重（区审计局）",
     "show or set the risk factor weights (the bureau)", NULL, weights_opts, run_weights,
     "  auditgrid report weights --set warnings=30,funds=10"},
    {"report", "deadlines", "查看或设置报告报备期限（区审计局）",
     "show or set the report filing deadlines (the bureau)", NULL, deadlines_opts, run_deadlines,
     "  auditgrid report deadlines --set plan_due=02-15,audit_days=20"},
    {"report", "remind", "为逾期未报备的报告生成提醒", "write reminders of late reports", NULL,
     cli_no_opts, run_remind, "  AG_TODAY=2026-02-10 auditgrid report remind"},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL}};
