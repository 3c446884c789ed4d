/* cmd_crossaudit.c - `auditgrid crossaudit`: plan a cross-audit round (交叉互审), edit an
 * assignment, publish it, show it, record a member's 回避声明. */
#include <stdio.h>
#include <string.h>

#include "app/crossaudit.h"
#include "cli/cli_wf.h"
#include "util/banned.h"

/* Prints a round: the JSON of the issue with --json, else one block per assignment. */
static void print_round(const cli_ctx *c, json_t *full, json_t *strict)
{
    if (c->json) {
        cli_print_json(json_incref(strict));
        return;
    }
    printf("交叉互审轮次 round「%s」%lld年 year（%s）\n", cli_text(full, "round"),
           cli_int(full, "year"),
           strcmp(cli_text(full, "state"), "published") ? "草案 draft" : "已发布 published");
    json_t *as = json_object_get(full, "assignments");
    for (size_t i = 0; i < json_array_size(as); i++) {
        json_t *x = json_array_get(as, i);
        printf("  %s %s ← %s %s", cli_text(x, "audited"), cli_text(x, "audited_name"),
               cli_text(x, "auditor_unit"), cli_text(x, "auditor_unit_name"));
        if (!json_is_null(json_object_get(x, "project_id")))
            printf("　项目 project %s", cli_text(x, "project_code"));
        printf("\n    审计组 team:");
        json_t *team = json_object_get(x, "team");
        for (size_t k = 0; k < json_array_size(team); k++) {
            json_t *m = json_array_get(team, k);
            printf(" %s#%lld %s", strcmp(cli_text(m, "role"), "lead") ? "" : "组长 lead ",
                   cli_int(m, "person_id"), cli_text(m, "name"));
        }
        printf("\n");
    }
    json_t *s = json_object_get(full, "score");
    printf("评分 score: 组外审计组 outside cell %lld，组内 in cell %lld；负荷上限 load limit %lld，"
           "最大 max %lld，超限单位 over %lld；培训学时 training %.1f h；总分 total %lld\n",
           cli_int(s, "teams_outside_cell"), cli_int(s, "teams_in_cell"), cli_int(s, "load_limit"),
           cli_int(s, "max_load"), cli_int(s, "units_over_load"),
           json_number_value(json_object_get(s, "training_hours")), cli_int(s, "total"));
    json_t *v = json_object_get(full, "violations");
    if (!json_array_size(v))
        printf("硬约束 hard constraints: 全部满足 all kept\n");
    for (size_t i = 0; i < json_array_size(v); i++)
        printf("违反约束 violation: %s\n  %s\n", cli_text(json_array_get(v, i), "zh"),
               cli_text(json_array_get(v, i), "en"));
}

/* Shows round name through print_round. */
static ag_err show_round(const cli_ctx *c, cli_wf *w, const char *name)
{
    json_t *full = NULL, *strict = NULL;
    ag_err rc = app_xa_show(w->st, name, 0, true, &full, &w->err);
    if (!rc)
        rc = app_xa_show(w->st, name, 0, false, &strict, &w->err);
    if (!rc)
        print_round(c, full, strict);
    json_decref(full);
    json_decref(strict);
    return rc;
}

static const cli_opt plan_opts[] = {
    {"round", "NAME", true, "轮次名称，如 2026年交叉互审", "round name, e.g. 2026年交叉互审"},
    {"year", "Y", true, "年度", "year"},
    {"units", "pilot|all|CODE,…", false, "被审计单位：pilot 试点单位（默认）|all 全部|单位代码列表",
     "audited units: pilot (default) | all | unit codes"},
    {"team-min", "N", false, "审计组最少人数（默认2）", "smallest team (default 2)"},
    {"team-max", "N", false, "审计组最多人数（默认4）", "largest team (default 4)"},
    {"seed", "S", false, "随机种子（默认1；同一种子得到同一方案）",
     "seed (default 1; the same seed gives the same plan)"},
    CLI_OPT_END};

static int run_plan(cli_ctx *c)
{
    int64_t year, tmin, tmax, seed;
    if (!cli_get_int(c, "year", 2000, 2100, 0, &year) ||
        !cli_get_int(c, "team-min", 1, XA_MAX_TEAM, 2, &tmin) ||
        !cli_get_int(c, "team-max", 1, XA_MAX_TEAM, 4, &tmax) ||
        !cli_get_int(c, "seed", 1, INT64_MAX, 1, &seed))
        return 2;
    cli_wf w;
    int code;
    if (!cli_wf_open(c, &w, &code))
        return code;
    xa_round_in in = {cli_get(c, "round"),
                      (int)year,
                      cli_get(c, "units"),
                      (int)tmin,
                      (int)tmax,
                      (uint64_t)seed,
                      NULL,
                      0,
                      NULL,
                      NULL};
    json_t *why = NULL;
    ag_err rc = app_xa_plan(w.st, &in, NULL, &why, &w.err);
    if (rc == AG_ERR_INPUT && json_array_size(why)) {
        /* infeasible: every reason, never a partial plan */
        if (c->json)
            cli_print_json(json_pack("{s:s, s:[], s:{}, s:O}", "round", in.name, "assignments",
                                     "score", "violations", why));
        fprintf(stderr, "auditgrid: 无法编排交叉互审 no cross-audit plan is possible:\n");
        for (size_t i = 0; i < json_array_size(why); i++)
            fprintf(stderr, "  %s\n  %s\n", cli_text(json_array_get(why, i), "zh"),
                    cli_text(json_array_get(why, i), "en"));
        json_decref(why);
        cli_finish(w.st, AG_OK, &w.err);
        return 3;
    }
    json_decref(why);
    if (!rc)
        rc = show_round(c, &w, in.name);
    return cli_wf_close(&w, rc);
}

static const cli_opt assign_opts[] = {
    {"round", "NAME", true, "轮次名称", "round name"},
    {"audited", "USCC", true, "被审计单位代码", "audited unit's code"},
    {"auditor-unit", "USCC", true, "审计单位代码", "auditing unit's code"},
    {"team", "ID,…", false, "审计组人员编号，第一个为组长（默认自动选）",
     "team person ids, the first the lead (default: chosen)"},
    CLI_OPT_END};

/* The team of an assignment. */
typedef struct team_in {
    int64_t ids[XA_MAX_TEAM];
    int n;
} team_in;

static ag_err assign(const cli_ctx *c, cli_wf *w, const void *arg)
{
    const team_in *t = arg;
    ag_err rc = app_xa_assign(w->st, cli_get(c, "round"), cli_get(c, "audited"),
                              cli_get(c, "auditor-unit"), t->ids, t->n, &w->err);
    return rc ? rc : show_round(c, w, cli_get(c, "round"));
}

static int run_assign(cli_ctx *c)
{
    team_in t = {.n = 0};
    if (!cli_wf_ids(c, "team", t.ids, XA_MAX_TEAM, &t.n))
        return 2;
    return cli_wf_run(c, assign, &t);
}

static const cli_opt round_opts[] = {{"round", "NAME", true, "轮次名称", "round name"},
                                     CLI_OPT_END};

static ag_err publish(const cli_ctx *c, cli_wf *w, const void *arg)
{
    (void)arg;
    int projects = 0;
    ag_err rc = app_xa_publish(w->st, &w->actor, cli_get(c, "round"), &projects, &w->err);
    if (!rc && !c->json)
        printf("已发布 published: %d 个交叉互审项目 cross-audit projects，已通知各单位 units "
               "notified\n",
               projects);
    return rc ? rc : show_round(c, w, cli_get(c, "round"));
}

static int run_publish(cli_ctx *c)
{
    return cli_wf_run(c, publish, NULL);
}

static ag_err show(const cli_ctx *c, cli_wf *w, const void *arg)
{
    (void)arg;
    return show_round(c, w, cli_get(c, "round"));
}

static int run_show(cli_ctx *c)
{
    return cli_wf_run(c, show, NULL);
}

static const cli_opt declare_opts[] = {
    {"project", "ID", true, "交叉互审项目编号", "the cross-audit project's id"},
    {"person", "ID", true, "签署人（审计组成员）编号", "the signing team member's person id"},
    {"statement", "TEXT", false, "声明内容（默认标准文本）",
     "statement (default: the standard text)"},
    CLI_OPT_END};

/* ids: the project and the person. */
static ag_err declare(const cli_ctx *c, cli_wf *w, const void *ids)
{
    const int64_t project = ((const int64_t *)ids)[0], person = ((const int64_t *)ids)[1];
    ag_err rc = app_xa_declare(w->st, &w->actor, project, person, cli_get(c, "statement"), &w->err);
    if (!rc)
        printf("已签署回避声明 declaration signed: 项目 project #%lld，人员 person #%lld\n",
               (long long)project, (long long)person);
    return rc;
}

static int run_declare(cli_ctx *c)
{
    int64_t ids[2];
    if (!cli_get_int(c, "project", 1, INT64_MAX, 0, &ids[0]) ||
        !cli_get_int(c, "person", 1, INT64_MAX, 0, &ids[1]))
        return 2;
    return cli_wf_run(c, declare, ids);
}

const cli_cmd cli_crossaudit_cmds[] = {
    {"crossaudit", "plan", "编排交叉互审轮次（保存为草案）", "plan a cross-audit round (a draft)",
     NULL, plan_opts, run_plan,
     "  auditgrid crossaudit plan --round 2026年交叉互审 --year 2026 --units pilot --seed 7"},
    {"crossaudit", "assign", "调整一个被审计单位的审计单位和审计组（重新校验）",
     "set one audited unit's auditing unit and team (re-checked)", NULL, assign_opts, run_assign,
     "  auditgrid crossaudit assign --round 2026年交叉互审 --audited 12120104MB0000001X \\\n"
     "      --auditor-unit 12120104MB0000002X --team 41,42"},
    {"crossaudit", "publish", "发布轮次：每个被审计单位一个交叉互审项目，并通知各单位",
     "publish: one cross-audit project per audited unit, units notified", NULL, round_opts,
     run_publish, "  auditgrid crossaudit publish --round 2026年交叉互审"},
    {"crossaudit", "show", "显示轮次（分配、评分、违反的约束）",
     "show a round (assignments, score, violations)", NULL, round_opts, run_show,
     "  auditgrid crossaudit show --round 2026年交叉互审 --json"},
    {"crossaudit", "declare", "登记审计组成员的回避声明",
     "record a member's declaration of interests", NULL, declare_opts, run_declare,
     "  auditgrid crossaudit declare --project 12 --person 41"},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL}};
