/* cmd_rating.c - `auditgrid rating`: the 0–5A internal-control grade (内控质量0–5A分级评级,
 * issue 15 §1): compute, publish, the rubric, self-evaluations and the bureau's review. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/rating.h"
#include "cli/cli_wf.h"
#include "util/banned.h"

#define RATING_FILE_MAX (4u * 1024u * 1024u)

// clang-format off
#define OPT_YEAR {"year", "YYYY", true, "评级年度（如 2025）", "the rated year (e.g. 2025)"}
// clang-format on

static bool get_year(const cli_ctx *c, int *year)
{
    int64_t y = 0;
    if (!cli_get_int(c, "year", RATING_YEAR_MIN, RATING_YEAR_MAX, 0, &y))
        return false;
    *year = (int)y;
    return true;
}

static const char *num(const json_t *o, const char *k, char *buf, size_t n)
{
    json_t *v = json_object_get(o, k);
    if (!json_is_number(v))
        return "—";
    snprintf(buf, n, "%.2f", json_number_value(v));
    return buf;
}

/* ---- compute -------------------------------------------------------------- */

static const cli_opt compute_opts[] = {OPT_YEAR, CLI_OPT_UNIT, CLI_OPT_END};

static void result_text(const json_t *x)
{
    char a[32], b[32];
    const char *g = json_string_value(json_object_get(x, "grade"));
    printf("%s（%s） %s　得分 %s（适用分值 %s）", cli_text(x, "unit_name"), cli_text(x, "unit"),
           g ? rating_grade_zh(g) : "待报送", num(x, "score", a, sizeof a),
           num(x, "applicable", b, sizeof b));
    if (*cli_text(x, "veto"))
        printf("　一票否决：%s", cli_text(x, "veto"));
    printf("\n");
    json_t *ds = json_object_get(x, "deductions");
    for (size_t i = 0; i < json_array_size(ds); i++) {
        json_t *d = json_array_get(ds, i);
        printf("    扣分 %s/%s −%s：%s%s\n", cli_text(d, "indicator"), cli_text(d, "point"),
               num(d, "deduct", a, sizeof a), cli_text(d, "reason"),
               json_is_true(json_object_get(d, "capped")) ? "（已达该指标分值上限）" : "");
    }
    json_t *sp = json_object_get(x, "special");
    for (size_t i = 0; i < json_array_size(sp); i++) {
        json_t *s = json_array_get(sp, i);
        if (strcmp(cli_text(s, "kind"), "veto"))
            printf("    特别说明 %s：%s\n", cli_text(s, "name_zh"), cli_text(s, "reason"));
    }
}

static void compute_text(const json_t *arr)
{
    printf("单位（统一社会信用代码） 等级 得分 · unit (USCC), grade, score\n");
    for (size_t i = 0; i < json_array_size(arr); i++)
        result_text(json_array_get(arr, i));
    printf("共 %zu 个单位 (%zu units)\n", json_array_size(arr), json_array_size(arr));
}

static ag_err call_compute(const cli_ctx *c, cli_wf *w, const void *arg, json_t **out)
{
    return rating_compute_year(w->st, NULL, *(const int *)arg, cli_get(c, "unit"), out, &w->err);
}

static int run_compute(cli_ctx *c)
{
    int year = 0;
    if (!get_year(c, &year))
        return 2;
    return cli_wf_call(c, call_compute, &year, compute_text);
}

/* ---- publish --------------------------------------------------------------- */

static const cli_opt publish_opts[] = {OPT_YEAR, CLI_OPT_END};

static void year_text(const json_t *o)
{
    json_t *counts = json_object_get(o, "counts");
    printf("%lld 年度内控评级%s（评级细则第 %lld 版，自评截止 %s）\n", cli_int(o, "year"),
           json_is_true(json_object_get(o, "published")) ? "已发布" : "未发布",
           cli_int(o, "rubric_version"), cli_text(o, "self_eval_due"));
    const char *gs[] = {"5A", "4A", "3A", "2A", "1A", "0", "pending"};
    const char *zh[] = {"5A", "4A", "3A", "2A", "1A", "0级", "待报送"};
    for (int i = 0; i < 7; i++)
        printf("%s %lld　", zh[i], cli_int(counts, gs[i]));
    printf("\n");
}

static ag_err call_publish(const cli_ctx *c, cli_wf *w, const void *arg, json_t **out)
{
    (void)c;
    return app_rating_publish(w->st, &w->actor, *(const int *)arg, out, &w->err);
}

static int run_publish(cli_ctx *c)
{
    int year = 0;
    if (!get_year(c, &year))
        return 2;
    return cli_wf_call(c, call_publish, &year, year_text);
}

static const cli_opt year_opts[] = {OPT_YEAR, CLI_OPT_END};

static ag_err call_year(const cli_ctx *c, cli_wf *w, const void *arg, json_t **out)
{
    (void)c;
    return rating_year_json(w->st, NULL, *(const int *)arg, out, &w->err);
}

static int run_year(cli_ctx *c)
{
    int year = 0;
    if (!get_year(c, &year))
        return 2;
    return cli_wf_call(c, call_year, &year, year_text);
}

/* ---- the rubric ------------------------------------------------------------ */

static const cli_opt rubric_opts[] = {
    {"version", "N", false, "版本（默认最新）", "version (default the latest)"}, CLI_OPT_END};

static void rubric_text(const json_t *o)
{
    char a[32];
    printf("内控评级细则 第 %lld 版（%s）\n%s\n", cli_int(o, "version"),
           *cli_text(o, "installed_at") ? cli_text(o, "installed_at") : "内置默认，尚未写入",
           cli_text(o, "note"));
    json_t *inds = json_object_get(o, "indicators");
    for (size_t i = 0; i < json_array_size(inds); i++) {
        json_t *x = json_array_get(inds, i);
        printf("%-4s %s（%s分）%s\n", cli_text(x, "code"), cli_text(x, "name_zh"),
               num(x, "points", a, sizeof a),
               json_is_true(json_object_get(x, "may_be_inapplicable")) ? "　可不适用" : "");
        json_t *pl = json_object_get(x, "points_list");
        for (size_t j = 0; j < json_array_size(pl); j++) {
            json_t *p = json_array_get(pl, j);
            printf("     %-6s %s（%s分）\n", cli_text(p, "code"), cli_text(p, "name_zh"),
                   num(p, "points", a, sizeof a));
        }
    }
    json_t *bands = json_object_get(o, "bands");
    printf("等级：");
    for (size_t i = 0; i < json_array_size(bands); i++)
        printf("%s ≥ %s　", cli_text(json_array_get(bands, i), "grade"),
               num(json_array_get(bands, i), "min", a, sizeof a));
    printf("\n一票否决：");
    json_t *v = json_object_get(o, "vetoes");
    for (size_t i = 0; i < json_array_size(v); i++)
        printf("%s%s", i ? "；" : "", cli_text(json_array_get(v, i), "name_zh"));
    printf("\n");
}

static ag_err call_rubric(const cli_ctx *c, cli_wf *w, const void *arg, json_t **out)
{
    (void)c;
    return rating_rubric_get(w->st, *(const int64_t *)arg, out, &w->err);
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
    char *buf;
    size_t n;
} rubric_file;

static ag_err call_install(const cli_ctx *c, cli_wf *w, const void *arg, json_t **out)
{
    (void)c;
    const rubric_file *f = arg;
    return app_rating_rubric_install(w->st, &w->actor, f->buf, f->n, f->path, out, &w->err);
}

static void installed_text(const json_t *o)
{
    printf("已安装内控评级细则第 %lld 版 rating rubric version %lld installed\n",
           cli_int(o, "version"), cli_int(o, "version"));
}

static int run_install(cli_ctx *c)
{
    char *buf = NULL;
    size_t n = 0;
    int code = cli_read_arg_file(c, RATING_FILE_MAX, "评级细则文件", "rubric file", &buf, &n);
    if (code)
        return code;
    rubric_file rf = {c->args[0], buf, n};
    code = cli_wf_call(c, call_install, &rf, installed_text);
    free(buf);
    return code;
}

/* ---- self-evaluation and review -------------------------------------------- */

static void unit_text(const json_t *o)
{
    json_t *self = json_object_get(o, "self"), *rev = json_object_get(o, "review");
    printf("%s %s　%lld 年度　自评：%s%s　复核：%s\n", cli_text(o, "unit"),
           cli_text(o, "unit_name"), cli_int(o, "year"),
           rating_self_state_zh(cli_text(self, "state")),
           json_is_true(json_object_get(self, "late")) ? "（逾期）" : "",
           rating_self_state_zh(!strcmp(cli_text(rev, "state"), "none") ? "待复核" : "reviewed"));
    result_text(json_object_get(o, "result"));
}

static const cli_opt show_opts[] = {CLI_OPT_UNIT_REQUIRED, OPT_YEAR, CLI_OPT_END};

typedef struct unit_year {
    int year;
} unit_year;

static ag_err call_show(const cli_ctx *c, cli_wf *w, const void *arg, json_t **out)
{
    return rating_unit_json(w->st, &w->actor, cli_get(c, "unit"), *(const int *)arg, out, &w->err);
}

static int run_show(cli_ctx *c)
{
    int year = 0;
    if (!get_year(c, &year))
        return 2;
    return cli_wf_call(c, call_show, &year, unit_text);
}

static const cli_opt self_opts[] = {
    CLI_OPT_UNIT_REQUIRED,
    OPT_YEAR,
    {"answers", "P=S,...", false, "各评价要点得分，如 U1.1=4,U1.2=3",
     "scores per evaluation point, e.g. U1.1=4,U1.2=3"},
    {"inapplicable", "CODE,...", false, "不适用的指标，如 B5（空串清除）",
     "inapplicable indicators, e.g. B5 (\"\" clears)"},
    {"full", NULL, false, "未给出的评价要点均按满分填写",
     "score every point not given at full points"},
    CLI_OPT_END};

typedef struct self_args {
    int year;
    rating_answer_in in[RATING_MAX_ANSWERS];
    char *answers_buf;
    int n;
    const char *inap[32];
    char *inap_buf;
    int ninap;
    bool set_inap;
} self_args;

/* Splits "U1.1=4,U1.2=3.5" into a->in; false (a usage error) on junk. */
static bool parse_answers(cli_ctx *c, self_args *a)
{
    const char *v = cli_get(c, "answers");
    if (!v || !*v)
        return true;
    a->answers_buf = strdup(v);
    for (char *p = a->answers_buf; p && *p && a->n < RATING_MAX_ANSWERS;) {
        char *next = strchr(p, ',');
        if (next)
            *next++ = '\0';
        char *eq = strchr(p, '=');
        int64_t sc = 0;
        if (eq)
            *eq++ = '\0';
        json_t *js = eq ? json_string(eq) : NULL;
        bool ok = js && rating_score_parse(js, &sc) && *p;
        json_decref(js);
        if (!ok) {
            cli_usage_error(c, "--answers 应为 要点=得分,…（如 U1.1=4,U1.2=3）",
                            "--answers must be point=score,... (e.g. U1.1=4,U1.2=3)");
            return false;
        }
        a->in[a->n++] = (rating_answer_in){p, sc, NULL, NULL, 0};
        p = next;
    }
    return true;
}

static bool parse_inap(cli_ctx *c, self_args *a)
{
    const char *v = cli_get(c, "inapplicable");
    if (!v)
        return true;
    a->set_inap = true;
    a->inap_buf = strdup(v);
    for (char *p = a->inap_buf; p && *p && a->ninap < 32;) {
        char *next = strchr(p, ',');
        if (next)
            *next++ = '\0';
        if (*p)
            a->inap[a->ninap++] = p;
        p = next;
    }
    return true;
}

static ag_err call_self(const cli_ctx *c, cli_wf *w, const void *arg, json_t **out)
{
    self_args *a = (self_args *)arg;
    if (cli_flag(c, "full")) {
        json_t *rub = NULL;
        json_t *info = NULL;
        ag_err rc = rating_year_info(w->st, a->year, &info, &w->err);
        if (!rc)
            rc = rating_rubric_get(
                w->st, json_integer_value(json_object_get(info, "rubric_version")), &rub, &w->err);
        json_decref(info);
        if (rc)
            return rc;
        json_t *inds = json_object_get(rub, "indicators");
        for (size_t i = 0; i < json_array_size(inds); i++) {
            json_t *pl = json_object_get(json_array_get(inds, i), "points_list");
            for (size_t j = 0; j < json_array_size(pl) && a->n < RATING_MAX_ANSWERS; j++) {
                json_t *p = json_array_get(pl, j);
                const char *code = json_string_value(json_object_get(p, "code"));
                bool given = false;
                for (int k = 0; k < a->n; k++)
                    given = given || !strcmp(a->in[k].point, code);
                if (!given)
                    a->in[a->n++] = (rating_answer_in){
                        code,
                        (int64_t)(json_number_value(json_object_get(p, "points")) * 100 + 0.5),
                        NULL, NULL, 0};
            }
        }
        ag_err r2 = app_rating_self_save(w->st, &w->actor, cli_get(c, "unit"), a->year, a->in, a->n,
                                         a->inap, a->ninap, a->set_inap, out, &w->err);
        json_decref(rub);
        return r2;
    }
    return app_rating_self_save(w->st, &w->actor, cli_get(c, "unit"), a->year, a->in, a->n, a->inap,
                                a->ninap, a->set_inap, out, &w->err);
}

static int run_self(cli_ctx *c)
{
    self_args *a = calloc(1, sizeof *a);
    if (!a)
        return 1;
    int code = 2;
    if (get_year(c, &a->year) && parse_answers(c, a) && parse_inap(c, a))
        code = cli_wf_call(c, call_self, a, unit_text);
    free(a->answers_buf);
    free(a->inap_buf);
    free(a);
    return code;
}

static ag_err call_file(const cli_ctx *c, cli_wf *w, const void *arg, json_t **out)
{
    return app_rating_self_file(w->st, &w->actor, cli_get(c, "unit"), *(const int *)arg, out,
                                &w->err);
}

static int run_file(cli_ctx *c)
{
    int year = 0;
    if (!get_year(c, &year))
        return 2;
    return cli_wf_call(c, call_file, &year, unit_text);
}

static const cli_opt evidence_opts[] = {
    CLI_OPT_UNIT_REQUIRED,
    OPT_YEAR,
    {"point", "CODE", true, "评价要点（如 U1.1）", "evaluation point (e.g. U1.1)"},
    {"attach", "ID,...", true, "附件编号（先用 attach add 上传）",
     "attachment ids (upload them first with attach add)"},
    CLI_OPT_END};

typedef struct evidence_args {
    int year;
    int64_t ids[RATING_MAX_ATTACH];
    int n;
} evidence_args;

static ag_err call_evidence(const cli_ctx *c, cli_wf *w, const void *arg, json_t **out)
{
    const evidence_args *e = arg;
    return app_rating_attach(w->st, &w->actor, cli_get(c, "unit"), e->year, cli_get(c, "point"),
                             e->ids, e->n, out, &w->err);
}

static int run_evidence(cli_ctx *c)
{
    evidence_args e = {0};
    if (!get_year(c, &e.year) || !cli_wf_ids(c, "attach", e.ids, RATING_MAX_ATTACH, &e.n))
        return 2;
    return cli_wf_call(c, call_evidence, &e, unit_text);
}

static const cli_opt review_opts[] = {
    CLI_OPT_UNIT_REQUIRED,
    OPT_YEAR,
    {"adjust", "P=S:REASON;...", false, "调整得分及理由，如 \"U1.2=1:培训记录不全\"（分号分隔）",
     "adjusted scores with reasons, e.g. \"U1.2=1:training records incomplete\" (;-separated)"},
    {"note", "TEXT", false, "复核意见", "review note"},
    CLI_OPT_END};

typedef struct review_args {
    int year;
    rating_adjust_in adj[RATING_MAX_ANSWERS];
    int n;
    char *buf;
} review_args;

static bool parse_adjust(cli_ctx *c, review_args *r)
{
    const char *v = cli_get(c, "adjust");
    if (!v || !*v)
        return true;
    r->buf = strdup(v);
    for (char *p = r->buf; p && *p && r->n < RATING_MAX_ANSWERS;) {
        char *next = strchr(p, ';');
        if (next)
            *next++ = '\0';
        char *eq = strchr(p, '='), *colon = eq ? strchr(eq, ':') : NULL;
        int64_t sc = 0;
        if (eq)
            *eq++ = '\0';
        if (colon)
            *colon++ = '\0';
        json_t *js = eq ? json_string(eq) : NULL;
        bool ok = js && rating_score_parse(js, &sc) && *p && colon && *colon;
        json_decref(js);
        if (!ok) {
            cli_usage_error(c, "--adjust 应为 要点=得分:理由;…（如 \"U1.2=1:培训记录不全\"）",
                            "--adjust must be point=score:reason;... (e.g. \"U1.2=1:reason\")");
            return false;
        }
        r->adj[r->n++] = (rating_adjust_in){p, sc, colon};
        p = next;
    }
    return true;
}

static ag_err call_review(const cli_ctx *c, cli_wf *w, const void *arg, json_t **out)
{
    const review_args *r = arg;
    return app_rating_review(w->st, &w->actor, cli_get(c, "unit"), r->year, r->adj, r->n,
                             cli_get(c, "note"), out, &w->err);
}

static int run_review(cli_ctx *c)
{
    review_args *r = calloc(1, sizeof *r);
    if (!r)
        return 1;
    int code = 2;
    if (get_year(c, &r->year) && parse_adjust(c, r))
        code = cli_wf_call(c, call_review, r, unit_text);
    free(r->buf);
    free(r);
    return code;
}

static const cli_opt history_opts[] = {CLI_OPT_UNIT_REQUIRED, CLI_OPT_END};

static void history_text(const json_t *o)
{
    json_t *items = json_object_get(o, "items");
    char a[32];
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *x = json_array_get(items, i);
        const char *g = json_string_value(json_object_get(x, "grade"));
        printf("%lld 年度　%-10s 得分 %s　%s（细则第 %lld 版）\n", cli_int(x, "year"),
               g ? rating_grade_zh(g) : "待报送", num(x, "score", a, sizeof a),
               json_is_true(json_object_get(x, "published")) ? "已发布" : "未发布",
               cli_int(x, "rubric_version"));
    }
}

static ag_err call_history(const cli_ctx *c, cli_wf *w, const void *arg, json_t **out)
{
    (void)arg;
    return rating_history(w->st, cli_get(c, "unit"), out, &w->err);
}

static int run_history(cli_ctx *c)
{
    return cli_wf_call(c, call_history, NULL, history_text);
}

const cli_cmd cli_rating_cmds[] = {
    {"rating", "compute", "计算内控质量0–5A等级（已发布年度取冻结结果）",
     "compute the 0-5A internal-control grades (a published year: its frozen results)", NULL,
     compute_opts, run_compute, "  auditgrid rating compute --year 2025 --json"},
    {"rating", "year", "查看年度评级概况（各等级单位数）",
     "show the year's grading (units per grade)", NULL, year_opts, run_year,
     "  auditgrid rating year --year 2025"},
    {"rating", "publish", "发布并冻结年度评级结果（区审计局）",
     "publish and freeze the year's grades (the bureau)", NULL, publish_opts, run_publish,
     "  auditgrid rating publish --year 2025"},
    {"rating", "rubric", "查看内控评级细则（指标、评价要点、等级、一票否决）",
     "show the rating rubric (indicators, evaluation points, bands, vetoes)", NULL, rubric_opts,
     run_rubric, "  auditgrid rating rubric --json"},
    {"rating", "rubric-install", "安装评级细则文件（每次生成新版本）",
     "install a rating rubric file (a new version each time)", "FILE", cli_no_opts, run_install,
     "  auditgrid rating rubric-install my-rating.json"},
    {"rating", "show", "查看单位的年度自评、复核与结果",
     "show a unit's self-evaluation, review and result", NULL, show_opts, run_show,
     "  auditgrid rating show --unit 12120104MBKX0792XX --year 2025"},
    {"rating", "self", "保存单位内控自评草稿", "save a unit's self-evaluation draft", NULL,
     self_opts, run_self,
     "  auditgrid rating self --unit 12120104MBKX0792XX --year 2025 --full --answers U1.2=2 \\\n"
     "      --inapplicable B5"},
    {"rating", "file", "报送单位内控自评（截止日后报送记为逾期）",
     "file a unit's self-evaluation (after the due date it is recorded late)", NULL, show_opts,
     run_file, "  auditgrid rating file --unit 12120104MBKX0792XX --year 2025"},
    {"rating", "evidence", "为自评的评价要点附上佐证材料",
     "attach evidence to an evaluation point of the self-evaluation", NULL, evidence_opts,
     run_evidence,
     "  auditgrid rating evidence --unit 12120104MBKX0792XX --year 2025 --point U1.1 --attach 12"},
    {"rating", "review", "区审计局复核自评（不带 --adjust 即确认自评分）",
     "the bureau's review (without --adjust: accept the self scores)", NULL, review_opts,
     run_review,
     "  auditgrid rating review --unit 12120104MBKX0792XX --year 2025 \\\n"
     "      --adjust \"U1.2=1:培训签到记录不全\" --note 复核通过"},
    {"rating", "history", "查看单位历年等级", "show a unit's grade history", NULL, history_opts,
     run_history, "  auditgrid rating history --unit 12120104MBKX0792XX"},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL}};
