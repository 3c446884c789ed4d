/* cmd_guidance.c - `auditgrid guidance` (指导意见 and 督导检查) and `auditgrid submission` (报送):
 * the department's guidance and supervision from a terminal (issue 14 §2). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/guidance.h"
#include "app/submission.h"
#include "cli/cli_wf.h"
#include "util/banned.h"

#define MAX_UNITS 500
#define MAX_FILES 50

/* The positional id, for the calls on one record. */
typedef struct id_in {
    int64_t id;
    const int64_t *ids;
    int n;
} id_in;

/* ---- guidance issue ------------------------------------------------------------ */

static const cli_opt issue_opts[] = {
    {"units", "CODE,...", true, "受文单位（逗号分隔）", "addressed units (comma-separated)"},
    {"subject", "TEXT", true, "主题", "subject"},
    {"body", "TEXT", true, "意见正文", "the opinion's text"},
    {"due", "YYYY-MM-DD", true, "答复期限", "reply due date"},
    {"cell", "ID", false, "以该网格主管部门名义下发（默认：区审计局）",
     "issue in the name of this cell's department (default: the bureau)"},
    CLI_OPT_ATTACH,
    CLI_OPT_END};

/* Splits a comma-separated list in place (buf is the caller's copy) into parts. */
static int split(char *buf, const char **parts, int max)
{
    int n = 0;
    for (char *p = buf; p && *p && n < max;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        if (*p)
            parts[n++] = p;
        p = comma ? comma + 1 : NULL;
    }
    return n;
}

static void print_opinion_row(const json_t *x)
{
    static const char *const states[][2] = {
        {"answered", "已全部答复"}, {"overdue", "逾期未答复"}, {"open", "待答复"}};
    const char *st = cli_text(x, "state"), *zh = st;
    for (size_t i = 0; i < 3; i++)
        if (!strcmp(st, states[i][0]))
            zh = states[i][1];
    printf("#%-4lld %-10s 期限 %s　%s　%s　答复 %lld/%lld%s\n", cli_int(x, "id"), zh,
           cli_text(x, "due_date"), cli_text(x, "issuer"), cli_text(x, "subject"),
           cli_int(x, "answered"), cli_int(x, "units"),
           cli_int(x, "overdue") ? "　逾期 overdue" : "");
}

static void print_opinion(const json_t *o)
{
    print_opinion_row(o);
    printf("%s\n", cli_text(o, "body"));
    json_t *ts = json_object_get(o, "targets");
    for (size_t i = 0; i < json_array_size(ts); i++) {
        json_t *t = json_array_get(ts, i);
        printf("  %-20s %-8s %s%s%s\n", cli_text(t, "unit_code"), cli_text(t, "state"),
               cli_text(t, "unit_name"), *cli_text(t, "reply") ? "：" : "", cli_text(t, "reply"));
    }
}

static ag_err call_issue(const cli_ctx *c, cli_wf *w, const void *in, json_t **o)
{
    (void)c;
    return app_guidance_issue(w->st, &w->actor, in, o, &w->err);
}

static int run_issue(cli_ctx *c)
{
    char buf[MAX_UNITS * 32];
    const char *units[MAX_UNITS];
    int64_t ids[MAX_FILES];
    int nfiles = 0;
    snprintf(buf, sizeof buf, "%s", cli_get(c, "units"));
    if (!cli_wf_ids(c, "attach", ids, MAX_FILES, &nfiles))
        return 2;
    guidance_in in = {.cell_id = cli_get(c, "cell"),
                      .subject = cli_get(c, "subject"),
                      .body = cli_get(c, "body"),
                      .due_date = cli_get(c, "due"),
                      .units = units,
                      .nunits = split(buf, units, MAX_UNITS),
                      .attachment_ids = ids,
                      .nattachments = nfiles};
    return cli_wf_call(c, call_issue, &in, print_opinion);
}

/* ---- guidance reply / list / show / remind ------------------------------------------- */

static const cli_opt reply_opts[] = {
    {"unit", "CODE", true, "答复单位", "the replying unit"},
    {"reply", "TEXT", true, "答复内容", "the reply"},
    {"attach", "ID,...", false, "佐证材料附件编号（逗号分隔）", "evidence attachment ids"},
    CLI_OPT_END};

static ag_err call_reply(const cli_ctx *c, cli_wf *w, const void *in, json_t **o)
{
    const id_in *x = in;
    return app_guidance_reply(w->st, &w->actor, x->id, cli_get(c, "unit"), cli_get(c, "reply"),
                              x->ids, x->n, o, &w->err);
}

static int run_reply(cli_ctx *c)
{
    int64_t ids[MAX_FILES];
    id_in x = {0, ids, 0};
    if (!cli_wf_id_arg(c, &x.id) || !cli_wf_ids(c, "attach", ids, MAX_FILES, &x.n))
        return 2;
    return cli_wf_call(c, call_reply, &x, print_opinion);
}

static const cli_opt glist_opts[] = {{"unit", "CODE", false, "受文单位", "addressed unit"},
                                     {"state", "STATE", false,
                                      "状态：open（待答复）|answered（已答复）|overdue（逾期）",
                                      "state: open|answered|overdue"},
                                     CLI_OPT_END};

static void print_opinions(const json_t *list)
{
    cli_wf_rows(list, print_opinion_row, "条指导意见", "guidance opinions");
}

static ag_err call_glist(const cli_ctx *c, cli_wf *w, const void *in, json_t **o)
{
    (void)in;
    guidance_filter f = {.unit_code = cli_get(c, "unit"), .state = cli_get(c, "state")};
    return guidance_list(w->st, NULL, &f, o, &w->err);
}

static int run_glist(cli_ctx *c)
{
    return cli_wf_call(c, call_glist, NULL, print_opinions);
}

static int run_gshow(cli_ctx *c)
{
    return cli_wf_show_id(c, guidance_get, print_opinion);
}

static ag_err call_remind(const cli_ctx *c, cli_wf *w, const void *in, json_t **o)
{
    (void)c;
    (void)in;
    int64_t n = 0;
    ag_err rc = app_guidance_remind(w->st, &n, &w->err);
    if (!rc)
        *o = json_pack("{s:I}", "reminded", (json_int_t)n);
    return rc;
}

static void print_reminded(const json_t *o)
{
    printf("已提醒 %lld 个逾期未答复的单位 (%lld units reminded)\n", cli_int(o, "reminded"),
           cli_int(o, "reminded"));
}

static int run_remind(cli_ctx *c)
{
    return cli_wf_call(c, call_remind, NULL, print_reminded);
}

/* ---- submission file / accept / return / list ---------------------------------------- */

static const cli_opt file_opts[] = {
    {"kind", "KIND", true, "报送类别，如 soe_quarterly、annual_plan",
     "kind, e.g. soe_quarterly, annual_plan"},
    {"unit", "CODE", true, "报送单位", "filing unit"},
    {"to", "CELL", false, "报送对象网格（默认：区审计局）", "addressed cell (default: the bureau)"},
    {"period", "TEXT", false, "期间，如 2026Q3", "period, e.g. 2026Q3"},
    CLI_OPT_TITLE,
    CLI_OPT_BODY,
    CLI_OPT_ATTACH,
    CLI_OPT_END};

static void print_sub_row(const json_t *x)
{
    printf("#%-4lld %-6s %-14s %s　%s　%s → %s%s%s\n", cli_int(x, "id"), cli_text(x, "state_zh"),
           cli_text(x, "kind"), cli_text(x, "period"), cli_text(x, "title"),
           cli_text(x, "unit_code"), cli_text(x, "to_name"), *cli_text(x, "note") ? "　意见：" : "",
           cli_text(x, "note"));
}

static ag_err call_file(const cli_ctx *c, cli_wf *w, const void *in, json_t **o)
{
    (void)c;
    return app_submission_file(w->st, &w->actor, in, o, &w->err);
}

static int run_file(cli_ctx *c)
{
    int64_t ids[MAX_FILES];
    int n = 0;
    if (!cli_wf_ids(c, "attach", ids, MAX_FILES, &n))
        return 2;
    submission_in in = {.kind = cli_get(c, "kind"),
                        .unit_code = cli_get(c, "unit"),
                        .to_cell = cli_get(c, "to"),
                        .period = cli_get(c, "period"),
                        .title = cli_get(c, "title"),
                        .body = cli_get(c, "body"),
                        .attachment_ids = ids,
                        .nattachments = n};
    return cli_wf_call(c, call_file, &in, print_sub_row);
}

static const cli_opt accept_opts[] = {{"note", "TEXT", false, "意见", "note"}, CLI_OPT_END};
static const cli_opt return_opts[] = {{"note", "TEXT", true, "退回意见", "why it is returned"},
                                      CLI_OPT_END};

/* The decision's action travels as the call's input. */
static ag_err call_decide(const cli_ctx *c, cli_wf *w, const void *in, json_t **o)
{
    const id_in *x = in;
    return app_submission_decide(w->st, &w->actor, x->id, x->n ? "accept" : "return",
                                 cli_get(c, "note"), o, &w->err);
}

static int decide(cli_ctx *c, const char *action)
{
    id_in x = {0, NULL, !strcmp(action, "accept")};
    if (!cli_wf_id_arg(c, &x.id))
        return 2;
    return cli_wf_call(c, call_decide, &x, print_sub_row);
}

static int run_accept(cli_ctx *c)
{
    return decide(c, "accept");
}

static int run_return(cli_ctx *c)
{
    return decide(c, "return");
}

static const cli_opt slist_opts[] = {{"state", "STATE", false,
                                      "状态：filed（已报送）|accepted（已采纳）|returned（已退回）",
                                      "state: filed|accepted|returned"},
                                     {"kind", "KIND", false, "报送类别", "kind"},
                                     {"unit", "CODE", false, "报送单位", "filing unit"},
                                     {"to", "CELL", false, "报送对象网格", "addressed cell"},
                                     CLI_OPT_END};

static void print_subs(const json_t *list)
{
    cli_wf_rows(list, print_sub_row, "条报送事项", "submissions");
}

static ag_err call_slist(const cli_ctx *c, cli_wf *w, const void *in, json_t **o)
{
    (void)in;
    submission_filter f = {.state = cli_get(c, "state"),
                           .kind = cli_get(c, "kind"),
                           .unit_code = cli_get(c, "unit"),
                           .to_cell = cli_get(c, "to")};
    return submission_list(w->st, &w->actor, &f, o, &w->err);
}

static int run_slist(cli_ctx *c)
{
    return cli_wf_call(c, call_slist, NULL, print_subs);
}

const cli_cmd cli_guidance_cmds[] = {
    {"guidance", "issue", "下发指导意见（主管部门指导监督）", "issue a guidance opinion to units",
     NULL, issue_opts, run_issue,
     "  auditgrid guidance issue --units 12120104MB0000001X --subject 加强资金支付审批 \\\n"
     "    --body 请于期限前报送整改情况 --due 2026-12-31 --cell CELL-EDU"},
    {"guidance", "reply", "受文单位答复指导意见（可附佐证材料）",
     "a unit replies to an opinion (with evidence)", "ID", reply_opts, run_reply, NULL},
    {"guidance", "list", "列出指导意见（可筛选逾期）", "list guidance opinions", NULL, glist_opts,
     run_glist, "  auditgrid guidance list --state overdue"},
    {"guidance", "show", "显示指导意见及各单位答复", "show an opinion and its replies", "ID",
     cli_no_opts, run_gshow, NULL},
    {"guidance", "remind", "提醒逾期未答复的单位（供 cron 每日运行）",
     "remind the units overdue with a reply (for a daily cron job)", NULL, cli_no_opts, run_remind,
     NULL},
    {"submission", "file", "报送事项（报主管部门或审计局）",
     "file a submission to the competent department or the bureau", NULL, file_opts, run_file,
     "  auditgrid submission file --kind soe_quarterly --unit CODE --to CELL-SOE \\\n"
     "    --period 2026Q3 --title 2026年第三季度总审计师工作报告"},
    {"submission", "accept", "采纳报送事项", "accept a submission", "ID", accept_opts, run_accept,
     NULL},
    {"submission", "return", "退回报送事项（须写明意见）", "return a submission (with a note)",
     "ID", return_opts, run_return, NULL},
    {"submission", "list", "列出报送事项（按状态）", "list submissions by state", NULL, slist_opts,
     run_slist, "  auditgrid submission list --state filed"},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL}};
