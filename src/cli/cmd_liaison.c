/* cmd_liaison.c - `auditgrid liaison`: the grid liaison's contact and visit log (联系/走访),
 * the to-do list of units whose cadence slipped, the cadence and the reminders (issue 14 §5). */
#include <stdio.h>
#include <string.h>

#include "app/liaison.h"
#include "cli/cli_wf.h"
#include "util/clock.h"
#include "util/banned.h"

static const cli_opt log_opts[] = {
    {"unit", "CODE", true, "单位", "unit"},
    {"kind", "KIND", true, "方式：contact 联系|visit 走访", "kind: contact | visit"},
    {"person", "NAME", true, "联系或走访的单位人员", "whom you spoke to or met at the unit"},
    {"date", "YYYY-MM-DD", false, "日期（默认今天，不能晚于今天）",
     "date (default today, not after today)"},
    {"notes", "TEXT", false, "情况记录", "notes"},
    {"followups", "TEXT", false, "后续事项", "follow-ups"},
    {NULL, NULL, false, NULL, NULL}};

static void print_entry(const json_t *x)
{
    printf("#%-4lld %s %s %-18s %s　%s：%s%s%s\n", cli_int(x, "id"), cli_text(x, "date"),
           cli_text(x, "kind_zh"), cli_text(x, "unit_code"), cli_text(x, "unit_name"),
           cli_text(x, "person"), cli_text(x, "notes"), *cli_text(x, "followups") ? "　后续 " : "",
           cli_text(x, "followups"));
}

/* Prints o as JSON or through text; releases o. */
static void print_one(const cli_ctx *c, json_t *o, void (*text)(const json_t *))
{
    if (c->json) {
        cli_print_json(o);
        return;
    }
    text(o);
    json_decref(o);
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

/* Prints o as JSON, or its head line, each of its items and its tail line; releases o. */
static void print_list(const cli_ctx *c, json_t *o, void (*head)(const json_t *),
                       void (*row)(const json_t *), void (*tail)(const json_t *))
{
    if (c->json) {
        cli_print_json(o);
        return;
    }
    if (head)
        head(o);
    json_t *items = json_object_get(o, "items");
    for (size_t i = 0; i < json_array_size(items); i++)
        row(json_array_get(items, i));
    tail(o);
    json_decref(o);
}

static void logs_tail(const json_t *o)
{
    printf("共 %lld 条联系走访记录 (%lld log entries)\n", cli_int(o, "total"), cli_int(o, "total"));
}

static void todo_head(const json_t *o)
{
    json_t *cad = json_object_get(o, "cadence");
    printf("今天 today %s　周期 cadence：联系 contact %lld 天 days，走访 visit %lld 天 days\n",
           cli_text(o, "today"), cli_int(cad, "contact_days"), cli_int(cad, "visit_days"));
}

static void todo_row(const json_t *x)
{
    printf("%-18s %s［%s］ 逾期未%s %lld 天 overdue %s by %lld days　应于 due %s　上次 last %s\n",
           cli_text(x, "unit_code"), cli_text(x, "unit_name"), cli_text(x, "cell_name"),
           cli_text(x, "kind_zh"), cli_int(x, "days_overdue"), cli_text(x, "kind"),
           cli_int(x, "days_overdue"), cli_text(x, "due"),
           *cli_text(x, "last") ? cli_text(x, "last") : "无 never");
}

static void todo_tail(const json_t *o)
{
    printf("待办 %lld 项，涉及 %lld 个单位 (%lld to-dos, %lld units)\n", cli_int(o, "total"),
           cli_int(o, "units"), cli_int(o, "total"), cli_int(o, "units"));
}

static int run_log(cli_ctx *c)
{
    cli_wf w;
    int code;
    if (!cli_wf_open(c, &w, &code))
        return code;
    liaison_log_in in = {cli_get(c, "unit"),   cli_get(c, "date"),  cli_get(c, "kind"),
                         cli_get(c, "person"), cli_get(c, "notes"), cli_get(c, "followups")};
    json_t *x = NULL;
    ag_err rc = app_liaison_log(w.st, &w.actor, &in, &x, &w.err);
    if (!rc)
        print_one(c, x, log_text);
    return cli_wf_close(&w, rc);
}

static const cli_opt logs_opts[] = {
    {"unit", "CODE", false, "单位", "unit"},
    {"kind", "KIND", false, "方式：contact 联系|visit 走访", "kind: contact | visit"},
    {"limit", "N", false, "最多列出（默认 100）", "at most (default 100)"},
    {"offset", "N", false, "跳过前 N 条", "skip the first N"},
    {NULL, NULL, false, NULL, NULL}};

static int run_logs(cli_ctx *c)
{
    liaison_filter f = {cli_get(c, "unit"), cli_get(c, "kind"), 100, 0};
    if (!cli_get_int(c, "limit", 1, 100000, 100, &f.limit) ||
        !cli_get_int(c, "offset", 0, INT32_MAX, 0, &f.offset))
        return 2;
    cli_wf w;
    int code;
    if (!cli_wf_open(c, &w, &code))
        return code;
    json_t *o = NULL;
    ag_err rc = liaison_log_list(w.st, &f, NULL, &o, &w.err);
    if (!rc)
        print_list(c, o, NULL, print_entry, logs_tail);
    return cli_wf_close(&w, rc);
}

static const cli_opt todo_opts[] = {{"cell", "ID", false, "只列此网格", "this cell only"},
                                    {NULL, NULL, false, NULL, NULL}};

static int run_todo(cli_ctx *c)
{
    cli_wf w;
    int code;
    if (!cli_wf_open(c, &w, &code))
        return code;
    json_t *o = NULL;
    ag_err rc = liaison_todo(w.st, NULL, cli_get(c, "cell"), ag_clock_today(), &o, &w.err);
    if (!rc)
        print_list(c, o, todo_head, todo_row, todo_tail);
    return cli_wf_close(&w, rc);
}

static const cli_opt cadence_opts[] = {
    {"contact-days", "N", false, "联系周期（天，1-366，默认 30 即每月）",
     "contact cadence in days (1-366, default 30: monthly)"},
    {"visit-days", "N", false, "走访周期（天，1-366，默认 90 即每季度）",
     "visit cadence in days (1-366, default 90: quarterly)"},
    {NULL, NULL, false, NULL, NULL}};

static int run_cadence(cli_ctx *c)
{
    int64_t contact, visit;
    if (!cli_get_int(c, "contact-days", 1, LIAISON_MAX_DAYS, 0, &contact) ||
        !cli_get_int(c, "visit-days", 1, LIAISON_MAX_DAYS, 0, &visit))
        return 2;
    cli_wf w;
    int code;
    if (!cli_wf_open(c, &w, &code))
        return code;
    liaison_cadence cad = {(int)contact, (int)visit};
    json_t *o = NULL;
    ag_err rc = AG_OK;
    if (contact || visit) {
        rc = app_liaison_set_cadence(w.st, &cad, &o, &w.err);
    } else {
        rc = liaison_cadence_get(w.st, &cad, &w.err);
        o = rc ? NULL : liaison_cadence_json(&cad);
    }
    if (!rc)
        print_one(c, o, cadence_text);
    return cli_wf_close(&w, rc);
}

static int run_remind(cli_ctx *c)
{
    cli_wf w;
    int code;
    if (!cli_wf_open(c, &w, &code))
        return code;
    int64_t n = 0;
    ag_err rc = app_liaison_remind(w.st, &n, &w.err);
    if (!rc)
        print_one(c, json_pack("{s:I}", "created", (json_int_t)n), remind_text);
    return cli_wf_close(&w, rc);
}

const cli_cmd cli_liaison_cmds[] = {
    {"liaison", "log", "记录一次联系或走访", "record a contact or visit", NULL, log_opts, run_log,
     "  auditgrid liaison log --unit 12120104MB1234567X --kind visit --person 王芳 \\\n"
     "      --notes 检查内审制度落实 --followups 两周内补齐内审台账"},
    {"liaison", "logs", "列出联系走访记录", "list the contact and visit log", NULL, logs_opts,
     run_logs, "  auditgrid liaison logs --unit 12120104MB1234567X"},
    {"liaison", "todo", "列出联系走访周期已逾期的单位（待办）",
     "list the units whose contact or visit cadence slipped", NULL, todo_opts, run_todo,
     "  auditgrid --today 2026-12-07 liaison todo --cell S01"},
    {"liaison", "cadence", "查看或设置联系走访周期（区审计局）",
     "show or set the contact and visit cadence (the bureau)", NULL, cadence_opts, run_cadence,
     "  auditgrid liaison cadence --contact-days 30 --visit-days 90"},
    {"liaison", "remind", "生成逾期联系走访提醒（供 cron 每日运行，可重复运行）",
     "write the cadence reminders (for a daily cron job; idempotent)", NULL, cli_no_opts,
     run_remind, "  auditgrid liaison remind"},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL}};
