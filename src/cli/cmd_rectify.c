/* cmd_rectify.c - `auditgrid rectify`: the rectification ledger (整改台账) to closure, exports,
 * deadlines and the escalation run for cron. */
#include <stdio.h>
#include <string.h>

#include "app/rectify.h"
#include "cli/cli_wf.h"
#include "domain/rectify.h"
#include "export/export.h"
#include "util/money.h"
#include "util/banned.h"

/* ---- rectify list / show ------------------------------------------------------ */

static const cli_opt list_opts[] = {
    CLI_OPT_UNIT,
    CLI_OPT_PROJECT,
    {"state", "STATE", false, "状态：open|in_progress|claimed|continuous|closed|overdue（逾期）",
     "state: open|in_progress|claimed|continuous|closed|overdue"},
    CLI_OPT_CELL,
    CLI_OPT_LIMIT,
    CLI_OPT_OFFSET,
    CLI_OPT_END};

static void print_row(const json_t *x)
{
    char yuan[24];
    ag_money_format(json_integer_value(json_object_get(x, "amount")), yuan);
    bool overdue = json_is_true(json_object_get(x, "overdue"));
    printf("#%-4lld %-10s %s %-12s [%s] %s　%s 元　%s　期限 %s%s%s\n", cli_int(x, "id"),
           rectify_state_zh(cli_text(x, "state")), cli_text(x, "project_code"),
           cli_text(x, "unit_code"), cli_text(x, "item"), cli_text(x, "title"), yuan,
           rectify_class_zh(cli_text(x, "class")), cli_text(x, "deadline"),
           overdue ? "　逾期 overdue" : "",
           json_is_true(json_object_get(x, "repeat")) ? "　屡审屡犯 repeat" : "");
}

static bool read_filter(cli_ctx *c, rectify_filter *f, bool paged)
{
    int64_t project, limit = -1, offset = 0;
    if (!cli_get_int(c, "project", 1, INT64_MAX, 0, &project))
        return false;
    if (paged && (!cli_get_int(c, "limit", 1, 100000, 100, &limit) ||
                  !cli_get_int(c, "offset", 0, INT32_MAX, 0, &offset)))
        return false;
    rectify_filter x = {cli_get(c, "unit"), project, cli_get(c, "state"),
                        cli_get(c, "cell"), limit,   offset};
    *f = x;
    return true;
}

static void print_rows(const json_t *list)
{
    cli_wf_rows(list, print_row, "条整改事项", "rectification items");
}

static ag_err call_list(const cli_ctx *c, cli_wf *w, const void *f, json_t **out)
{
    (void)c;
    return rectify_list(w->st, f, NULL, out, &w->err);
}

static int run_list(cli_ctx *c)
{
    rectify_filter f;
    if (!read_filter(c, &f, true))
        return 2;
    return cli_wf_call(c, call_list, &f, print_rows);
}

static void print_item(const json_t *x)
{
    char yuan[24];
    ag_money_format(json_integer_value(json_object_get(x, "amount")), yuan);
    printf("整改事项 rectification #%lld　%s（%s）%s\n", cli_int(x, "id"),
           rectify_state_zh(cli_text(x, "state")), cli_text(x, "state"),
           json_is_true(json_object_get(x, "overdue")) ? "　逾期 overdue" : "");
    printf("项目 project: %s %s　通知书号 notice: %s\n", cli_text(x, "project_code"),
           cli_text(x, "project_name"), cli_text(x, "notice_no"));
    printf("被审计单位 unit: %s %s　主要负责人 principal: %s\n", cli_text(x, "unit_code"),
           cli_text(x, "unit_name"), cli_text(x, "principal"));
    printf("问题 finding #%lld [%s] %s　金额 %s 元\n", cli_int(x, "finding_id"),
           cli_text(x, "item"), cli_text(x, "title"), yuan);
    printf("定性依据 basis: %s\n", cli_text(x, "basis"));
    printf("整改类型 class: %s　期限 deadline: %s　责任人 responsible: %s\n",
           rectify_class_zh(cli_text(x, "class")), cli_text(x, "deadline"),
           cli_text(x, "responsible"));
    if (json_is_true(json_object_get(x, "repeat")))
        printf("屡审屡犯 repeat offence（前次发现 earlier finding #%lld）\n",
               cli_int(x, "repeat_of"));
    if (*cli_text(x, "measures"))
        printf("整改措施 measures: %s\n", cli_text(x, "measures"));
    if (*cli_text(x, "result"))
        printf("整改结果 result: %s\n", cli_text(x, "result"));
    json_t *ev = json_object_get(x, "events");
    if (json_array_size(ev)) {
        printf("经过 events:\n");
        for (size_t i = 0; i < json_array_size(ev); i++) {
            json_t *e = json_array_get(ev, i);
            printf("  %s %-10s %s　%s\n", cli_text(e, "created_at"), cli_text(e, "kind"),
                   cli_text(e, "body"), cli_text(e, "created_by"));
            json_t *att = json_object_get(e, "attachments");
            for (size_t j = 0; j < json_array_size(att); j++) {
                json_t *a = json_array_get(att, j);
                printf("      附件 attachment #%lld %s（%s，%lld 字节 bytes）\n", cli_int(a, "id"),
                       cli_text(a, "filename"), cli_text(a, "mime"), cli_int(a, "bytes"));
            }
        }
    }
}

static int run_show(cli_ctx *c)
{
    return cli_wf_show_id(c, rectify_get, print_item);
}

/* ---- the audited unit's side and the team's verification ------------------------ */

static const cli_opt measures_opts[] = {{"text", "TEXT", true, "整改措施", "the measures"},
                                        CLI_OPT_END};

static const cli_opt progress_opts[] = {{"text", "TEXT", true, "整改进展", "progress note"},
                                        {"attach", "IDS", false, "证明材料附件编号，以逗号分隔",
                                         "evidence attachment ids, comma-separated"},
                                        CLI_OPT_END};

static const cli_opt claim_opts[] = {
    {"result", "TEXT", true, "整改结果", "the result"},
    {"attach", "IDS", false, "证明材料附件编号，以逗号分隔（此前未上传时必填）",
     "evidence attachment ids, comma-separated (required unless given earlier)"},
    CLI_OPT_END};

static const cli_opt verify_opts[] = {
    {"decision", "DECISION", true, "核验结论：close 销号|reopen 退回重新整改|continuous 转持续整改",
     "decision: close | reopen | continuous"},
    {"note", "TEXT", false, "核验意见（reopen、continuous 必填）",
     "note (required for reopen and continuous)"},
    CLI_OPT_END};

static const cli_opt deadline_opts[] = {
    {"date", "YYYY-MM-DD", true, "新的整改期限", "new deadline"},
    {"reason", "TEXT", true, "调整理由", "reason"},
    CLI_OPT_END};

typedef enum { ACT_MEASURES, ACT_PROGRESS, ACT_CLAIM, ACT_VERIFY, ACT_DEADLINE } act_kind;

/* An action on item id, with the evidence ids of progress and claim. */
typedef struct act_in {
    act_kind kind;
    int64_t id;
    int64_t ids[50];
    int n;
} act_in;

static ag_err act_on(const cli_ctx *c, cli_wf *w, const void *arg)
{
    const act_in *a = arg;
    const int64_t id = a->id, *ids = a->n ? a->ids : NULL;
    ag_err rc = AG_OK;
    switch (a->kind) {
    case ACT_MEASURES:
        rc = rectify_set_measures(w->st, &w->actor, id, cli_get(c, "text"), &w->err);
        break;
    case ACT_PROGRESS:
        rc = rectify_progress(w->st, &w->actor, id, cli_get(c, "text"), ids, a->n, &w->err);
        break;
    case ACT_CLAIM:
        rc = rectify_claim(w->st, &w->actor, id, cli_get(c, "result"), ids, a->n, &w->err);
        break;
    case ACT_VERIFY:
        rc = rectify_verify(w->st, &w->actor, id, cli_get(c, "decision"), cli_get(c, "note"),
                            &w->err);
        break;
    case ACT_DEADLINE:
        rc = rectify_set_deadline(w->st, &w->actor, id, cli_get(c, "date"), cli_get(c, "reason"),
                                  &w->err);
        break;
    }
    json_t *x = NULL;
    if (!rc && c->json)
        rc = cli_wf_show(c, w, rectify_get, print_item, id);
    else if (!rc)
        rc = rectify_get(w->st, id, NULL, &x, &w->err);
    if (x) {
        printf("整改事项 rectification #%lld：%s（%s）　期限 deadline %s%s\n", (long long)id,
               rectify_state_zh(cli_text(x, "state")), cli_text(x, "state"),
               cli_text(x, "deadline"),
               json_is_true(json_object_get(x, "overdue")) ? "　逾期 overdue" : "");
        json_decref(x);
    }
    return rc;
}

static int act(cli_ctx *c, act_kind k)
{
    act_in a = {.kind = k};
    if (!cli_wf_id_arg(c, &a.id))
        return 2;
    if ((k == ACT_PROGRESS || k == ACT_CLAIM) && !cli_wf_ids(c, "attach", a.ids, 50, &a.n))
        return 2;
    return cli_wf_run(c, act_on, &a);
}

static int run_measures(cli_ctx *c)
{
    return act(c, ACT_MEASURES);
}
static int run_progress(cli_ctx *c)
{
    return act(c, ACT_PROGRESS);
}
static int run_claim(cli_ctx *c)
{
    return act(c, ACT_CLAIM);
}
static int run_verify(cli_ctx *c)
{
    return act(c, ACT_VERIFY);
}
static int run_deadline(cli_ctx *c)
{
    return act(c, ACT_DEADLINE);
}

/* ---- the bureau's side ------------------------------------------------------------ */

static ag_err escalate(const cli_ctx *c, cli_wf *w, const void *arg)
{
    (void)arg;
    int64_t n = 0;
    ag_err rc = rectify_escalate(w->st, &n, &w->err);
    if (!rc && c->json)
        cli_print_json(json_pack("{s:I}", "escalated", (json_int_t)n));
    else if (!rc)
        printf("已督办逾期整改事项 %lld 条（通知单位主要负责人及主管部门）\n"
               "%lld overdue items escalated (principal leader and supervisor notified)\n",
               (long long)n, (long long)n);
    return rc;
}

static int run_escalate(cli_ctx *c)
{
    return cli_wf_run(c, escalate, NULL);
}

static const cli_opt notif_opts[] = {
    {"unread", NULL, false, "只列未读提醒", "unread notifications only"},
    CLI_OPT_LIMIT,
    CLI_OPT_END};

static void print_notifications(const json_t *o)
{
    json_t *items = json_object_get(o, "items");
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *x = json_array_get(items, i);
        bool unread = json_is_null(json_object_get(x, "read_at"));
        printf("#%-4lld %s %-10s %-18s %s%s\n", cli_int(x, "id"), cli_text(x, "created_at"),
               cli_text(x, "audience"), cli_text(x, "unit_code"), unread ? "[未读 unread] " : "",
               cli_text(x, "message_zh"));
    }
    printf("共 %lld 条提醒，未读 %lld 条 (%lld notifications, %lld unread)\n", cli_int(o, "total"),
           cli_int(o, "unread"), cli_int(o, "total"), cli_int(o, "unread"));
}

static ag_err call_notifications(const cli_ctx *c, cli_wf *w, const void *limit, json_t **out)
{
    return rectify_notifications(w->st, NULL, *(const int64_t *)limit, cli_flag(c, "unread"), out,
                                 &w->err);
}

/* All notifications, as the bureau sees them; marking read is the web's. */
static int run_notifications(cli_ctx *c)
{
    int64_t limit;
    if (!cli_get_int(c, "limit", 1, 100000, 100, &limit))
        return 2;
    return cli_wf_call(c, call_notifications, &limit, print_notifications);
}

static const cli_opt export_opts[] = {
    CLI_OPT_XLSX_OUT,
    CLI_OPT_UNIT,
    CLI_OPT_PROJECT,
    {"state", "STATE", false, "状态：open|in_progress|claimed|continuous|closed|overdue",
     "state: open|in_progress|claimed|continuous|closed|overdue"},
    CLI_OPT_CELL,
    {"title", "TEXT", false, "表头标题（默认 整改台账）", "title row (default 整改台账)"},
    CLI_OPT_END};

static ag_err export(const cli_ctx *c, cli_wf *w, const void *f)
{
    json_t *list = NULL;
    ag_err rc = rectify_list(w->st, f, NULL, &list, &w->err);
    const char *title = cli_get(c, "title") ? cli_get(c, "title") : "整改台账";
    if (!rc)
        rc = export_rectify_xlsx(json_object_get(list, "items"), title, cli_get(c, "out"), &w->err);
    size_t n = json_array_size(json_object_get(list, "items"));
    if (!rc && c->json)
        cli_print_json(json_pack("{s:s,s:I}", "path", cli_get(c, "out"), "items", (json_int_t)n));
    else if (!rc)
        printf("已导出整改台账 ledger exported: %s（%zu 条 items）\n", cli_get(c, "out"), n);
    json_decref(list);
    return rc;
}

static int run_export(cli_ctx *c)
{
    rectify_filter f;
    if (!read_filter(c, &f, false))
        return 2;
    return cli_wf_run(c, export, &f);
}

static const cli_opt cert_opts[] = {CLI_OPT_XLSX_OUT, CLI_OPT_END};

static ag_err certificate(const cli_ctx *c, cli_wf *w, const void *arg)
{
    const int64_t id = *(const int64_t *)arg;
    ag_err rc = app_rectify_certificate(w->st, NULL, id, cli_get(c, "out"), &w->err);
    if (!rc && c->json)
        cli_print_json(json_pack("{s:s,s:I}", "path", cli_get(c, "out"), "id", (json_int_t)id));
    else if (!rc)
        printf("已生成对账销号单 closure certificate written: %s\n", cli_get(c, "out"));
    return rc;
}

static int run_certificate(cli_ctx *c)
{
    return cli_wf_run_id(c, certificate);
}

static const cli_opt settings_opts[] = {
    {"immediate", "DAYS", false, "立行立改的默认期限（天，1-1095）",
     "default days for immediate (1-1095)"},
    {"phased", "DAYS", false, "分阶段整改的默认期限（天）", "default days for phased"},
    {"continuous", "DAYS", false, "持续整改的默认期限（天）", "default days for continuous"},
    CLI_OPT_END};

static const char *const classes[] = {"immediate", "phased", "continuous"};

static void print_settings(const json_t *o)
{
    printf("整改期限默认值 default deadlines (days after the final report):\n");
    for (int i = 0; i < 3; i++)
        printf("  %-10s %-6s %lld 天 days\n", classes[i], rectify_class_zh(classes[i]),
               cli_int(o, classes[i]));
}

/* Sets the days given (0: unchanged) and gives the settings. */
static ag_err call_settings(const cli_ctx *c, cli_wf *w, const void *days, json_t **out)
{
    (void)c;
    ag_err rc = app_rectify_set_deadlines(w->st, days, &w->err);
    return rc ? rc : rectify_deadline_settings(w->st, out, &w->err);
}

static int run_settings(cli_ctx *c)
{
    int64_t v;
    int days[3];
    for (int i = 0; i < 3; i++) {
        if (!cli_get_int(c, classes[i], 1, 1095, 0, &v))
            return 2;
        days[i] = (int)v;
    }
    return cli_wf_call(c, call_settings, days, print_settings);
}

const cli_cmd cli_rectify_cmds[] = {
    {"rectify", "list", "列出整改台账（可筛选逾期）", "list the rectification ledger", NULL,
     list_opts, run_list, "  auditgrid rectify list --state overdue"},
    {"rectify", "show", "显示整改事项及其经过", "show a rectification item and its events", "ID",
     cli_no_opts, run_show, NULL},
    {"rectify", "measures", "填报整改措施", "set the rectification measures", "ID", measures_opts,
     run_measures, "  auditgrid rectify measures 3 --text 修订资金支付审批制度"},
    {"rectify", "progress", "报送整改进展（可附证明材料）",
     "report progress (with evidence attachments)", "ID", progress_opts, run_progress, NULL},
    {"rectify", "claim", "申报整改完成（须有证明材料）", "claim completion (evidence required)",
     "ID", claim_opts, run_claim,
     "  auditgrid rectify claim 3 --result 已追回资金并修订制度 --attach 12"},
    {"rectify", "verify", "审计组核验：销号、退回或转持续整改",
     "the audit team's verification: close, reopen or continuous", "ID", verify_opts, run_verify,
     "  auditgrid rectify verify 3 --decision close"},
    {"rectify", "deadline", "调整整改期限（须说明理由）", "move the deadline (with a reason)", "ID",
     deadline_opts, run_deadline, NULL},
    {"rectify", "escalate", "督办逾期整改事项（供 cron 每日运行）",
     "escalate overdue items (for a daily cron job)", NULL, cli_no_opts, run_escalate,
     "  auditgrid --db /var/lib/auditgrid/auditgrid.db rectify escalate"},
    {"rectify", "notifications", "列出逾期督办提醒（可只列未读）",
     "list the overdue notifications (unread only with --unread)", NULL, notif_opts,
     run_notifications, "  auditgrid rectify notifications --unread"},
    {"rectify", "export", "导出整改台账 XLSX", "export the ledger as XLSX", NULL, export_opts,
     run_export, "  auditgrid rectify export --out 整改台账.xlsx --state overdue"},
    {"rectify", "certificate", "生成已销号事项的对账销号单 XLSX",
     "write the closure certificate of a closed item as XLSX", "ID", cert_opts, run_certificate,
     "  auditgrid rectify certificate 3 --out 销号单-3.xlsx"},
    {"rectify", "settings", "查看或设置各整改类型的默认期限",
     "show or set the default deadline of each class", NULL, settings_opts, run_settings,
     "  auditgrid rectify settings --phased 120"},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL}};
