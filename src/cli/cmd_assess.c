/* cmd_assess.c - `auditgrid assess`: the internal-audit performance assessment (内审工作绩效考核,
 * issue 15 §2): results and ranks, the rubric, the self-assessment, the reviews, publication. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/assess.h"
#include "cli/cli_wf.h"
#include "util/banned.h"

#define OPT_YEAR                                                                                   \
    {                                                                                              \
        "year", "YYYY", true, "考核年度", "the assessed year"                                      \
    }

/* The --year option (required by the tables) into *year; false after a usage error. */
static bool get_year(const cli_ctx *c, int *year)
{
    int64_t y = 0;
    if (!cli_get_int(c, "year", ASSESS_YEAR_MIN, ASSESS_YEAR_MAX, 0, &y))
        return false;
    *year = (int)y;
    return true;
}

/* A score as text ("4.5", "-5"). */
static void score_text(const json_t *v, char out[24])
{
    if (json_is_integer(v))
        snprintf(out, 24, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        snprintf(out, 24, "%.1f", json_real_value(v));
    else
        snprintf(out, 24, "—");
}

/* The sum of the scores of the items of group g, as text. */
static void group_sum(const json_t *o, const char *g, char out[24])
{
    json_t *items = json_object_get(o, "items");
    double sum = 0;
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *it = json_array_get(items, i);
        if (!strcmp(cli_text(it, "group"), g))
            sum += json_number_value(json_object_get(it, "score"));
    }
    snprintf(out, 24, "%g", sum);
}

static void ranking_text(const json_t *arr)
{
    static const char *const groups[] = {"A1", "A2", "A3", "A4", "A5", "B", "P"};
    printf("%-4s %-4s %-18s %-8s %-6s %-4s %-4s %-4s %-4s %-4s %-4s %-4s %s\n", "排名", "网格内",
           "单位代码", "总分", "组织", "计划", "报告", "整改", "信息", "加分", "扣分", "状态",
           "单位名称（网格）");
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *o = json_array_get(arr, i);
        char total[24], g[7][24];
        score_text(json_object_get(o, "total"), total);
        for (int k = 0; k < 7; k++)
            group_sum(o, groups[k], g[k]);
        printf("%-4lld %-4lld %-18s %-8s %-6s %-4s %-4s %-4s %-4s %-4s %-4s %-6s %s（%s）\n",
               cli_int(o, "rank_district"), cli_int(o, "rank_cell"), cli_text(o, "unit"), total,
               g[0], g[1], g[2], g[3], g[4], g[5], g[6], cli_text(o, "state_zh"),
               cli_text(o, "unit_name"), cli_text(o, "cell_name"));
    }
    printf("共 %zu 个单位 (%zu units)\n", json_array_size(arr), json_array_size(arr));
}

/* ---- compute ------------------------------------------------------------------------------ */

static const cli_opt compute_opts[] = {OPT_YEAR, CLI_OPT_CELL, CLI_OPT_UNIT, CLI_OPT_END};

static ag_err call_compute(const cli_ctx *c, cli_wf *w, const void *arg, json_t **out)
{
    int year = *(const int *)arg;
    json_t *y = NULL;
    ag_err rc = assess_year_json(w->st, NULL, year, cli_get(c, "cell"), &y, &w->err);
    if (rc)
        return rc;
    json_t *items = json_incref(json_object_get(y, "items"));
    json_decref(y);
    const char *unit = cli_get(c, "unit");
    if (unit) {
        json_t *one = json_array();
        for (size_t i = 0; i < json_array_size(items); i++)
            if (!strcmp(cli_text(json_array_get(items, i), "unit"), unit))
                json_array_append(one, json_array_get(items, i));
        json_decref(items);
        items = one;
        if (!json_array_size(one)) { /* a unit off the roster: computed alone */
            json_t *u = NULL;
            rc = assess_unit_json(w->st, &w->actor, unit, year, &u, &w->err);
            if (!rc)
                json_array_append(one, json_object_get(u, "result"));
            json_decref(u);
        }
    }
    if (rc) {
        json_decref(items);
        return rc;
    }
    *out = items;
    return AG_OK;
}

static int run_compute(cli_ctx *c)
{
    int year = 0;
    if (!get_year(c, &year))
        return 2;
    return cli_wf_call(c, call_compute, &year, ranking_text);
}

/* ---- one unit ----------------------------------------------------------------------------- */

static const cli_opt unit_opts[] = {OPT_YEAR, CLI_OPT_UNIT_REQUIRED, CLI_OPT_END};

static void unit_text(const json_t *o)
{
    json_t *r = json_object_get(o, "result"), *items = json_object_get(r, "items");
    char t[24];
    score_text(json_object_get(r, "total"), t);
    printf("%s %s（%s）%lld 年度　状态 state：%s　总分 total：%s", cli_text(o, "unit"),
           cli_text(o, "unit_name"), cli_text(o, "cell_name"), cli_int(o, "year"),
           cli_text(o, "state_zh"), t);
    if (json_is_integer(json_object_get(r, "rank_district")))
        printf("　区排名 %lld　网格内排名 %lld", cli_int(r, "rank_district"),
               cli_int(r, "rank_cell"));
    printf("\n");
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *it = json_array_get(items, i);
        char s[24], m[24];
        score_text(json_object_get(it, "score"), s);
        score_text(json_object_get(it, !strcmp(cli_text(it, "group"), "P") ? "min" : "max"), m);
        printf("  %-5s %-22s %5s / %-4s %s　%s\n", cli_text(it, "indicator"),
               cli_text(it, "name_zh"), s, m,
               !strcmp(cli_text(it, "source"), "data") ? "数据" : "填报", cli_text(it, "basis"));
    }
    json_t *h = json_object_get(o, "history");
    if (json_array_size(h))
        printf("变更记录 history:\n");
    for (size_t i = 0; i < json_array_size(h); i++) {
        json_t *x = json_array_get(h, i);
        char f[24], to[24];
        score_text(json_object_get(x, "from"), f);
        score_text(json_object_get(x, "to"), to);
        printf("  %s %-6s %-5s %s → %s　%s（%s）\n", cli_text(x, "at"), cli_text(x, "stage"),
               cli_text(x, "indicator"), f, to, cli_text(x, "reason"), cli_text(x, "by"));
    }
}

typedef struct unit_arg {
    int year;
    const char *stage; /* review: dept | bureau */
    bool item;         /* an --indicator was given */
    assess_item_in in;
    int64_t ids[16];
} unit_arg;

static ag_err call_unit(const cli_ctx *c, cli_wf *w, const void *arg, json_t **out)
{
    const unit_arg *u = arg;
    return assess_unit_json(w->st, &w->actor, cli_get(c, "unit"), u->year, out, &w->err);
}

static int run_unit(cli_ctx *c)
{
    unit_arg u = {0};
    if (!get_year(c, &u.year))
        return 2;
    return cli_wf_call(c, call_unit, &u, unit_text);
}

/* --indicator, --score and the text option into u->in; false after a usage error. */
static bool get_item(cli_ctx *c, unit_arg *u, const char *text_opt, bool need)
{
    const char *ind = cli_get(c, "indicator"), *score = cli_get(c, "score");
    if (!ind && !score && !need)
        return true;
    if (!ind || !score)
        return cli_usage_error(c, "--indicator 与 --score 须同时给出",
                               "give --indicator and --score together") == 0;
    char *end = NULL;
    double v = strtod(score, &end);
    if (!*score || *end)
        return cli_usage_error(c, "--score 应为数字，如 2.5", "--score is a number like 2.5") == 0;
    int n = 0;
    if (!cli_wf_ids(c, "attach", u->ids, 16, &n))
        return false;
    u->item = true;
    u->in = (assess_item_in){ind, v, cli_get(c, text_opt), n ? u->ids : NULL, n};
    return true;
}

/* A field of the one item given ("items[0].score") as the option that gave it (--score). */
static ag_err item_field(ag_err rc, ag_error *err)
{
    const char *p = strncmp(err->where, "items[0].", 9) ? NULL : err->where + 9;
    char f[64];
    if (rc && p) {
        snprintf(f, sizeof f, "%s", !strcmp(p, "attachment_ids") ? "attach" : p);
        snprintf(err->where, sizeof err->where, "%s", f);
    }
    return rc;
}

/* ---- the stages --------------------------------------------------------------------------- */

static const cli_opt self_opts[] = {
    OPT_YEAR,
    CLI_OPT_UNIT_REQUIRED,
    {"indicator", "CODE", true, "填报的指标，如 B1（业务竞赛获奖）", "the indicator, e.g. B1"},
    {"score", "N", true, "得分（0.5的整数倍）", "the score (a multiple of 0.5)"},
    {"basis", "TEXT", false, "计分依据（非零得分必填）",
     "the basis (required for a non-zero score)"},
    CLI_OPT_ATTACH,
    CLI_OPT_END};

static ag_err call_self(const cli_ctx *c, cli_wf *w, const void *arg, json_t **out)
{
    const unit_arg *u = arg;
    return item_field(app_assess_self_save(w->st, &w->actor, cli_get(c, "unit"), u->year, &u->in, 1,
                                           out, &w->err),
                      &w->err);
}

static int run_self(cli_ctx *c)
{
    unit_arg u = {0};
    if (!get_year(c, &u.year) || !get_item(c, &u, "basis", true))
        return 2;
    return cli_wf_call(c, call_self, &u, unit_text);
}

static ag_err call_submit(const cli_ctx *c, cli_wf *w, const void *arg, json_t **out)
{
    const unit_arg *u = arg;
    return app_assess_self_submit(w->st, &w->actor, cli_get(c, "unit"), u->year, out, &w->err);
}

static int run_submit(cli_ctx *c)
{
    unit_arg u = {0};
    if (!get_year(c, &u.year))
        return 2;
    return cli_wf_call(c, call_submit, &u, unit_text);
}

static const cli_opt review_opts[] = {
    OPT_YEAR,
    CLI_OPT_UNIT_REQUIRED,
    {"stage", "STAGE", true, "复核环节：dept 主管部门复核|bureau 审计局审定",
     "stage: dept (the department) | bureau (the final score)"},
    {"indicator", "CODE", false, "调整的指标（不给则按原分通过）",
     "the indicator to adjust (none: accepted as it is)"},
    {"score", "N", false, "调整后的得分", "the adjusted score"},
    {"reason", "TEXT", false, "调整理由（改变得分时必填）", "the reason (required for a change)"},
    {"note", "TEXT", false, "复核意见", "the review's note"},
    CLI_OPT_END};

static ag_err call_review(const cli_ctx *c, cli_wf *w, const void *arg, json_t **out)
{
    const unit_arg *u = arg;
    return item_field(app_assess_review(w->st, &w->actor, cli_get(c, "unit"), u->year,
                                        cli_get(c, "stage"), u->item ? &u->in : NULL,
                                        u->item ? 1 : 0, cli_get(c, "note"), out, &w->err),
                      &w->err);
}

static int run_review(cli_ctx *c)
{
    unit_arg u = {0};
    if (!get_year(c, &u.year) || !get_item(c, &u, "reason", false))
        return 2;
    return cli_wf_call(c, call_review, &u, unit_text);
}

static const cli_opt publish_opts[] = {OPT_YEAR, CLI_OPT_END};

static void year_text(const json_t *o)
{
    printf("%lld 年度考核结果已公布 published (%s)\n", cli_int(o, "year"),
           cli_text(o, "published_at"));
    ranking_text(json_object_get(o, "items"));
}

static ag_err call_publish(const cli_ctx *c, cli_wf *w, const void *arg, json_t **out)
{
    (void)c;
    return app_assess_publish(w->st, &w->actor, *(const int *)arg, out, &w->err);
}

static int run_publish(cli_ctx *c)
{
    int year = 0;
    if (!get_year(c, &year))
        return 2;
    return cli_wf_call(c, call_publish, &year, year_text);
}

/* ---- the rubric --------------------------------------------------------------------------- */

static const cli_opt rubric_opts[] = {
    {"version", "N", false, "规则版本（默认最新）", "the rubric version (default the latest)"},
    CLI_OPT_END};

static void rubric_text(const json_t *o)
{
    printf("%s　版本 version %lld（%s）\n", cli_text(o, "name_zh"), cli_int(o, "version"),
           cli_text(o, "source"));
    json_t *inds = json_object_get(o, "indicators"), *groups = json_object_get(o, "groups");
    for (size_t g = 0; g < json_array_size(groups); g++) {
        json_t *gr = json_array_get(groups, g);
        char m[24];
        score_text(json_object_get(gr, !strcmp(cli_text(gr, "kind"), "penalty") ? "min" : "max"),
                   m);
        printf("%s %s %s 分\n", cli_text(gr, "code"), cli_text(gr, "name_zh"), m);
        for (size_t i = 0; i < json_array_size(inds); i++) {
            json_t *ind = json_array_get(inds, i);
            if (strcmp(cli_text(ind, "group"), cli_text(gr, "code")))
                continue;
            score_text(
                json_object_get(ind, !strcmp(cli_text(gr, "kind"), "penalty") ? "min" : "max"), m);
            printf("  %-5s %s %s 分　%s：%s\n", cli_text(ind, "code"), cli_text(ind, "name_zh"), m,
                   !strcmp(cli_text(ind, "source"), "data") ? "数据计算" : "填报",
                   cli_text(ind, "basis_zh"));
        }
    }
}

static ag_err call_rubric(const cli_ctx *c, cli_wf *w, const void *arg, json_t **out)
{
    (void)c;
    return assess_rubric_get(w->st, *(const int64_t *)arg, out, &w->err);
}

static int run_rubric(cli_ctx *c)
{
    int64_t v = 0;
    if (!cli_get_int(c, "version", 1, INT32_MAX, 0, &v))
        return 2;
    return cli_wf_call(c, call_rubric, &v, rubric_text);
}

typedef struct rubric_file {
    const char *path;
    char *text;
    size_t len;
} rubric_file;

static void installed_text(const json_t *o)
{
    printf("考核规则已安装为版本 %lld (rubric installed as version %lld)\n", cli_int(o, "version"),
           cli_int(o, "version"));
}

static ag_err call_install(const cli_ctx *c, cli_wf *w, const void *arg, json_t **out)
{
    (void)c;
    const rubric_file *f = arg;
    int64_t v = 0;
    ag_err rc = app_assess_rubric_install(w->st, &w->actor, f->text, f->len, f->path, &v, &w->err);
    *out = rc ? NULL : json_pack("{s:I,s:s}", "version", (json_int_t)v, "source", f->path);
    return rc;
}

static int run_install(cli_ctx *c)
{
    char *buf = NULL;
    size_t n = 0;
    int code = cli_read_arg_file(c, ASSESS_MAX_RUBRIC, "考核规则文件", "rubric file", &buf, &n);
    if (code)
        return code;
    rubric_file f = {c->args[0], buf, n};
    code = cli_wf_call(c, call_install, &f, installed_text);
    free(buf);
    return code;
}

const cli_cmd cli_assess_cmds[] = {
    {"assess", "compute", "计算内审工作绩效考核得分与排名（--json：每个单位的各项得分）",
     "compute the performance assessment's scores and ranks (--json: every unit's items)", NULL,
     compute_opts, run_compute, "  auditgrid assess compute --year 2025 --json"},
    {"assess", "unit", "查看单位的考核详情（各项得分、填报、变更记录）",
     "show a unit's assessment (items, entered scores, history)", NULL, unit_opts, run_unit,
     "  auditgrid assess unit --year 2025 --unit 12120104MB1234567X"},
    {"assess", "self", "填报单位自评的一项（加分项等填报指标）",
     "enter one item of a unit's self-assessment (an entered indicator such as a bonus)", NULL,
     self_opts, run_self,
     "  auditgrid assess self --year 2026 --unit 12120104MB1234567X --indicator B1 --score 2 \\\n"
     "      --basis 获区内审技术比武二等奖 --attach 12"},
    {"assess", "submit", "提交单位自评", "submit a unit's self-assessment", NULL, unit_opts,
     run_submit, "  auditgrid assess submit --year 2026 --unit 12120104MB1234567X"},
    {"assess", "review", "主管部门复核或审计局审定（可调整一项并说明理由，不调整则按原分通过）",
     "the department's review or the bureau's final score (adjust one item with a reason, or "
     "accept)",
     NULL, review_opts, run_review,
     "  auditgrid assess review --year 2025 --unit 12120104MB1234567X --stage bureau \\\n"
     "      --indicator P1 --score -5 --reason 经查实报送数据弄虚作假"},
    {"assess", "publish", "公布考核年度的结果（冻结得分与排名）",
     "publish the year's results (freezes scores and ranks)", NULL, publish_opts, run_publish,
     "  auditgrid assess publish --year 2025"},
    {"assess", "rubric", "查看考核规则（指标、分值、计分依据）",
     "show the assessment rubric (indicators, points, basis)", NULL, rubric_opts, run_rubric,
     "  auditgrid assess rubric --json"},
    {"assess", "rubric-install", "安装考核规则文件为新版本（格式 auditgrid-assess-rubric/1）",
     "install a rubric file as a new version (format auditgrid-assess-rubric/1)", "FILE",
     cli_no_opts, run_install, "  auditgrid assess rubric-install my-assess.json"},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL}};
