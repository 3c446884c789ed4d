/* cmd_liaison.c - `auditgrid liaison`: the grid liaison's contact and visit log (联系/走访),
 * the to-do list of units whose cadence slipped, the cadence and the reminders (issue 14 §5). */
#include <stdio.h>
#include <string.h>

#include "app/liaison.h"
#include "cli/cli_wf.h"
#include "util/clock.h"
#include "util/banned.h"

static const cli_opt log_opts[] = {
    CLI_OPT_UNIT_REQUIRED,
    {"kind", "KIND", true, "方式：contact 联系|visit 走访", "kind: contact | visit"},
    {"person", "NAME", true, "联系或走访的单位人员", "whom you spoke to or met at the unit"},
    {"date", "YYYY-MM-DD", false, "日期（默认今天，不能晚于今天）",
     "date (default today, not after today)"},
    {"notes", "TEXT", false, "情况记录", "notes"},
    {"followups", "TEXT", false, "后续事项", "follow-ups"},
    CLI_OPT_END};

static void print_entry(const json_t *x)
{
    printf("#%-4lld %s %s %-18s %s　%s：%s%s%s\n", cli_int(x, "id"), cli_text(x, "date"),
           cli_text(x, "kind_zh"), cli_text(x, "unit_code"), cli_text(x, "unit_name"),
           cli_text(x, "person"), cli_text(x, "notes"), *cli_text(x, "followups") ? "　后续 " : "",
           cli_text(x, "followups"));
}

static void log_text(const json_t *x)
{
    printf("已记录%s recorded: ", cli_text(x, "kind_zh"));
    print_entry(x);
}

static void cadence_text(const json_t *o)
{
    printf("联系周期 contact cadence: %lld 天 days\n走访周期 visit cadence:   %lld 天 days\n",
           cli_int(o, "contact_days"), cli_int(o, "visit_days"));
}

static void remind_text(const json_t *o)
{
    printf("已生成联系走访提醒 %lld 条\n%lld liaison cadence reminders written\n",
           cli_int(o, "created"), cli_int(o, "created"));
}

static void logs_text(const json_t *o)
{
    cli_wf_rows(o, print_entry, "条联系走访记录", "log entries");
}

static void slipped_row(const json_t *x)
{
    printf("%-18s %s［%s］ 逾期未%s %lld 天 overdue %s by %lld days　应于 due %s　上次 last %s\n",
           cli_text(x, "unit_code"), cli_text(x, "unit_name"), cli_text(x, "cell_name"),
           cli_text(x, "kind_zh"), cli_int(x, "days_overdue"), cli_text(x, "kind"),
           cli_int(x, "days_overdue"), cli_text(x, "due"),
           *cli_text(x, "last") ? cli_text(x, "last") : "无 never");
}

static void slipped_text(const json_t *o)
{
    json_t *cad = json_object_get(o, "cadence"), *items = json_object_get(o, "items");
    printf("今天 today %s　周期 cadence：联系 contact %lld 天 days，走访 visit %lld 天 days\n",
           cli_text(o, "today"), cli_int(cad, "contact_days"), cli_int(cad, "visit_days"));
    for (size_t i = 0; i < json_array_size(items); i++)
        slipped_row(json_array_get(items, i));
    printf("待办 %lld 项，涉及 %lld 个单位 (%lld to-dos, %lld units)\n", cli_int(o, "total"),
           cli_int(o, "units"), cli_int(o, "total"), cli_int(o, "units"));
}

static ag_err call_log(const cli_ctx *c, cli_wf *w, const void *arg, json_t **out)
{
    (void)arg;
    liaison_log_in in = {cli_get(c, "unit"),   cli_get(c, "date"),  cli_get(c, "kind"),
                         cli_get(c, "person"), cli_get(c, "notes"), cli_get(c, "followups")};
    return app_liaison_log(w->st, &w->actor, &in, out, &w->err);
}

static int run_log(cli_ctx *c)
{
    return cli_wf_call(c, call_log, NULL, log_text);
}

static const cli_opt logs_opts[] = {
    CLI_OPT_UNIT,
    {"kind", "KIND", false, "方式：contact 联系|visit 走访", "kind: contact | visit"},
    CLI_OPT_LIMIT,
    CLI_OPT_OFFSET,
    CLI_OPT_END};

static ag_err call_logs(const cli_ctx *c, cli_wf *w, const void *f, json_t **out)
{
    (void)c;
    return liaison_log_list(w->st, f, NULL, out, &w->err);
}

static int run_logs(cli_ctx *c)
{
    liaison_filter f = {cli_get(c, "unit"), cli_get(c, "kind"), 100, 0};
    if (!cli_get_int(c, "limit", 1, 100000, 100, &f.limit) ||
        !cli_get_int(c, "offset", 0, INT32_MAX, 0, &f.offset))
        return 2;
    return cli_wf_call(c, call_logs, &f, logs_text);
}

static const cli_opt slipped_opts[] = {{"cell", "ID", false, "只列此网格", "this cell only"},
                                       CLI_OPT_END};

static ag_err call_slipped(const cli_ctx *c, cli_wf *w, const void *arg, json_t **out)
{
    (void)arg;
    return liaison_todo(w->st, NULL, cli_get(c, "cell"), ag_clock_today(), out, &w->err);
}

static int run_slipped(cli_ctx *c)
{
    return cli_wf_call(c, call_slipped, NULL, slipped_text);
}

static const cli_opt cadence_opts[] = {
    {"contact-days", "N", false, "联系周期（天，1-366，默认 30 即每月）",
     "contact cadence in days (1-366, default 30: monthly)"},
    {"visit-days", "N", false, "走访周期（天，1-366，默认 90 即每季度）",
     "visit cadence in days (1-366, default 90: quarterly)"},
    CLI_OPT_END};

/* Sets the cadence given (0: unchanged), or gives it when none is. */
static ag_err call_cadence(const cli_ctx *c, cli_wf *w, const void *arg, json_t **out)
{
    (void)c;
    liaison_cadence cad = *(const liaison_cadence *)arg;
    if (cad.contact_days || cad.visit_days)
        return app_liaison_set_cadence(w->st, &cad, out, &w->err);
    ag_err rc = liaison_cadence_get(w->st, &cad, &w->err);
    *out = rc ? NULL : liaison_cadence_json(&cad);
    return rc;
}

static int run_cadence(cli_ctx *c)
{
    int64_t contact, visit;
    if (!cli_get_int(c, "contact-days", 1, LIAISON_MAX_DAYS, 0, &contact) ||
        !cli_get_int(c, "visit-days", 1, LIAISON_MAX_DAYS, 0, &visit))
        return 2;
    liaison_cadence cad = {(int)contact, (int)visit};
    return cli_wf_call(c, call_cadence, &cad, cadence_text);
}

static ag_err call_remind(const cli_ctx *c, cli_wf *w, const void *arg, json_t **out)
{
    (void)c;
    (void)arg;
    int64_t n = 0;
    ag_err rc = app_liaison_remind(w->st, &n, &w->err);
    *out = rc ? NULL : json_pack("{s:I}", "created", (json_int_t)n);
    return rc;
}

static int run_remind(cli_ctx *c)
{
    return cli_wf_call(c, call_remind, NULL, remind_text);
}

const cli_cmd cli_liaison_cmds[] = {
    {"liaison", "log", "记录一次联系或走访", "record a contact or visit", NULL, log_opts, run_log,
     "  auditgrid liaison log --unit 12120104MB1234567X --kind visit --person 王芳 \\\n"
     "      --notes 检查内审制度落实 --followups 两周内补齐内审台账"},
    {"liaison", "logs", "列出联系走访记录", "list the contact and visit log", NULL, logs_opts,
     run_logs, "  auditgrid liaison logs --unit 12120104MB1234567X"},
    {"liaison", "todo", "列出联系走访周期已逾期的单位（待办）",
     "list the units whose contact or visit cadence slipped", NULL, slipped_opts, run_slipped,
     "  auditgrid --today 2026-12-07 liaison todo --cell S01"},
    {"liaison", "cadence", "查看或设置联系走访周期（区审计局）",
     "show or set the contact and visit cadence (the bureau)", NULL, cadence_opts, run_cadence,
     "  auditgrid liaison cadence --contact-days 30 --visit-days 90"},
    {"liaison", "remind", "生成逾期联系走访提醒（供 cron 每日运行，可重复运行）",
     "write the cadence reminders (for a daily cron job; idempotent)", NULL, cli_no_opts,
     run_remind, "  auditgrid liaison remind"},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL}};
