/* cmd_audit.c - `auditgrid audit`: projects through 审前·审中·审后, team, records, findings. */
#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "cli/cli_wf.h"
#include "domain/audit.h"
#include "domain/rectify.h"
#include "util/money.h"
#include "util/banned.h"

#define MAX_ITEMS 40

/* ---- audit create ----------------------------------------------------------- */

static const cli_opt create_opts[] = {
    {"name", "NAME", true, "项目名称", "project name"},
    {"kind", "KIND", true,
     "类型：self_check 自查|cross 交叉互审|special 专项|tracking 跟踪审计|econ_resp 经济责任",
     "kind: self_check|cross|special|tracking|econ_resp"},
    {"unit", "CODE", true, "被审计单位代码", "audited unit's code"},
    {"from", "DATE", true, "审计期间起（YYYY-MM-DD）", "period from (YYYY-MM-DD)"},
    {"to", "DATE", true, "审计期间止（YYYY-MM-DD）", "period to (YYYY-MM-DD)"},
    {"items", "F01,K2,...", true, "审计范围：目录中的事项编号，以逗号分隔",
     "scope: catalog item codes, comma-separated"},
    {"code", "CODE", false, "项目编号（默认自动生成 SJ-年份-序号）",
     "project code (default SJ-<year>-<nnn>)"},
    CLI_OPT_END};

static void print_project(const json_t *p)
{
    printf("审计项目 project #%lld %s %s（%s %s）\n", cli_int(p, "id"), cli_text(p, "code"),
           cli_text(p, "name"), audit_kind_zh(cli_text(p, "kind")), cli_text(p, "kind"));
    printf("被审计单位 unit: %s %s\n", cli_text(p, "unit_code"), cli_text(p, "unit_name"));
    printf("审计期间 period: %s — %s　审计事项 items:", cli_text(p, "period_from"),
           cli_text(p, "period_to"));
    json_t *items = json_object_get(p, "items");
    for (size_t i = 0; i < json_array_size(items); i++)
        printf(" %s", json_string_value(json_array_get(items, i)));
    printf("\n阶段 stage: %s %s（自 since %s）\n", audit_stage_zh(cli_text(p, "stage")),
           cli_text(p, "stage"), cli_text(p, "stage_at"));
    json_t *team = json_object_get(p, "team");
    if (json_array_size(team)) {
        printf("审计组 team:\n");
        for (size_t i = 0; i < json_array_size(team); i++) {
            json_t *m = json_array_get(team, i);
            bool lead = !strcmp(cli_text(m, "role"), "lead");
            printf("  %s #%lld %s（%s）\n", lead ? "组长 lead  " : "组员 member",
                   cli_int(m, "person_id"), cli_text(m, "name"), cli_text(m, "from_unit_name"));
        }
    }
    json_t *recs = json_object_get(p, "records");
    if (json_array_size(recs)) {
        printf("记录 records:\n");
        for (size_t i = 0; i < json_array_size(recs); i++) {
            json_t *x = json_array_get(recs, i);
            const char *doc = cli_text(x, "doc_no");
            printf("  #%lld %-13s %s「%s」%s%s　%s %s\n", cli_int(x, "id"), cli_text(x, "kind"),
                   audit_record_zh(cli_text(x, "kind")), cli_text(x, "title"), *doc ? " " : "", doc,
                   cli_text(x, "created_by"), cli_text(x, "created_at"));
        }
    }
    json_t *fs = json_object_get(p, "findings");
    if (json_array_size(fs)) {
        printf("审计发现 findings:\n");
        for (size_t i = 0; i < json_array_size(fs); i++) {
            json_t *f = json_array_get(fs, i);
            char yuan[24];
            ag_money_format(json_integer_value(json_object_get(f, "amount")), yuan);
            printf("  #%lld 问题%lld [%s] %s　金额 %s 元　严重程度 %s%s\n", cli_int(f, "id"),
                   cli_int(f, "seq"), cli_text(f, "item"), cli_text(f, "title"), yuan,
                   audit_severity_zh(cli_text(f, "severity")),
                   json_is_true(json_object_get(f, "repeat")) ? "　屡审屡犯 repeat" : "");
        }
    }
    json_t *miss = json_object_get(p, "missing");
    if (json_array_size(miss)) {
        printf("进入下一阶段尚缺 still needed to advance:\n");
        for (size_t i = 0; i < json_array_size(miss); i++)
            printf("  - %s / %s\n", cli_text(json_array_get(miss, i), "zh"),
                   cli_text(json_array_get(miss, i), "en"));
    } else if (strcmp(cli_text(p, "stage"), "closed") != 0) {
        printf("可进入下一阶段 ready to advance: auditgrid audit advance %lld\n", cli_int(p, "id"));
    }
}

/* After the action's rc, shows project id. */
static ag_err show_project(const cli_ctx *c, cli_wf *w, ag_err rc, int64_t id)
{
    return rc ? rc : cli_wf_show(c, w, audit_project_get, print_project, id);
}

static ag_err create(const cli_ctx *c, cli_wf *w, const void *in)
{
    int64_t id = 0;
    ag_err rc = audit_project_create(w->st, &w->actor, in, &id, &w->err);
    if (!rc && !c->json)
        printf("已创建审计项目 project created: #%lld\n", (long long)id);
    return show_project(c, w, rc, id);
}

static int run_create(cli_ctx *c)
{
    const char *items[MAX_ITEMS];
    char buf[512];
    int n = 0;
    snprintf(buf, sizeof buf, "%s", cli_get(c, "items"));
    for (char *p = buf; *p;) {
        size_t len = strcspn(p, ",");
        if (len == 0 || n >= MAX_ITEMS)
            return cli_usage_error(c, "--items 应为以逗号分隔的事项编号，如 F03,F10,K2",
                                   "--items is a comma-separated list of codes like F03,F10,K2");
        items[n++] = p;
        p += len;
        if (*p == ',')
            *p++ = '\0';
    }
    if (n == 0)
        return cli_usage_error(c, "--items 不能为空", "--items must not be empty");
    audit_project_in in = {cli_get(c, "code"),
                           cli_get(c, "name"),
                           cli_get(c, "kind"),
                           cli_get(c, "unit"),
                           cli_get(c, "from"),
                           cli_get(c, "to"),
                           items,
                           n};
    return cli_wf_run(c, create, &in);
}

/* ---- audit list / show ------------------------------------------------------ */

static const cli_opt list_opts[] = {
    {"unit", "CODE", false, "被审计单位", "audited unit"},
    {"stage", "STAGE", false, "阶段：pre|field|report|rectify|closed",
     "stage: pre|field|report|rectify|closed"},
    {"kind", "KIND", false, "类型：self_check|cross|special|tracking|econ_resp",
     "kind: self_check|cross|special|tracking|econ_resp"},
    CLI_OPT_LIMIT,
    {"offset", "N", false, "跳过前 N 个", "skip the first N"},
    CLI_OPT_END};

static void print_list_row(const json_t *p)
{
    printf("#%-4lld %-12s %-10s %s %s　%s — %s　整改未完 open %lld　逾期 overdue %lld\n",
           cli_int(p, "id"), cli_text(p, "code"), audit_stage_zh(cli_text(p, "stage")),
           audit_kind_zh(cli_text(p, "kind")), cli_text(p, "name"), cli_text(p, "unit_code"),
           cli_text(p, "unit_name"), cli_int(p, "open_rectifications"),
           cli_int(p, "overdue_rectifications"));
}

static void print_list(const json_t *list)
{
    cli_wf_rows(list, print_list_row, "个项目", "projects");
}

static ag_err call_list(const cli_ctx *c, cli_wf *w, const void *f, json_t **out)
{
    (void)c;
    return audit_project_list(w->st, f, NULL, out, &w->err);
}

static int run_list(cli_ctx *c)
{
    int64_t limit, offset;
    if (!cli_get_int(c, "limit", 1, 100000, 100, &limit) ||
        !cli_get_int(c, "offset", 0, INT32_MAX, 0, &offset))
        return 2;
    audit_filter f = {cli_get(c, "unit"), cli_get(c, "stage"), cli_get(c, "kind"), limit, offset};
    return cli_wf_call(c, call_list, &f, print_list);
}

static const cli_opt show_opts[] = {{"finding", "ID", false, "改为显示这条审计发现（含证据）",
                                     "show this finding (with its evidence) instead"},
                                    CLI_OPT_END};

static void print_finding(const json_t *f)
{
    char yuan[24];
    ag_money_format(json_integer_value(json_object_get(f, "amount")), yuan);
    printf("审计发现 finding #%lld（%s 问题%lld）[%s] %s\n", cli_int(f, "id"),
           cli_text(f, "project_code"), cli_int(f, "seq"), cli_text(f, "item"),
           cli_text(f, "title"));
    printf("被审计单位 unit: %s %s\n", cli_text(f, "unit_code"), cli_text(f, "unit_name"));
    printf("金额 amount: %s 元　严重程度 severity: %s　整改类型 class: %s\n", yuan,
           audit_severity_zh(cli_text(f, "severity")), rectify_class_zh(cli_text(f, "rect_class")));
    printf("问题描述 description: %s\n", cli_text(f, "description"));
    printf("定性依据 basis: %s\n", cli_text(f, "basis"));
    if (*cli_text(f, "recommendation"))
        printf("审计建议 recommendation: %s\n", cli_text(f, "recommendation"));
    if (*cli_text(f, "responsible"))
        printf("责任人 responsible: %s\n", cli_text(f, "responsible"));
    if (json_is_true(json_object_get(f, "repeat")))
        printf("屡审屡犯 repeat offence: 同一单位同一事项已有销号的发现 #%lld\n",
               cli_int(f, "repeat_of"));
    if (json_is_integer(json_object_get(f, "rectification_id")))
        printf("整改事项 rectification: #%lld\n", cli_int(f, "rectification_id"));
    json_t *ev = json_object_get(f, "evidence");
    if (json_array_size(ev)) {
        printf("证据 evidence:\n");
        for (size_t i = 0; i < json_array_size(ev); i++) {
            json_t *e = json_array_get(ev, i);
            printf("  %-11s #%lld %s%s%s\n", cli_text(e, "kind"), cli_int(e, "ref_id"),
                   cli_text(e, "summary"), *cli_text(e, "note") ? "　" : "", cli_text(e, "note"));
        }
    }
}

static int run_show(cli_ctx *c)
{
    int64_t id = 0, fid = 0;
    if (!cli_get_int(c, "finding", 1, INT64_MAX, 0, &fid))
        return 2;
    if (!fid && !cli_wf_id_arg(c, &id))
        return 2;
    if (fid && c->nargs)
        return cli_usage_error(c, "--finding 与项目编号只能给一个",
                               "give either a project id or --finding, not both");
    return fid ? cli_wf_show_one(c, audit_finding_get, print_finding, fid)
               : cli_wf_show_one(c, audit_project_get, print_project, id);
}

/* ---- audit team / record / advance ----------------------------------------------- */

static const cli_opt team_opts[] = {{"person", "ID", true, "人员编号（auditgrid unit show 可查）",
                                     "person id (see auditgrid unit show)"},
                                    {"role", "ROLE", false, "lead 组长|member 组员（默认 member）",
                                     "lead | member (default member)"},
                                    CLI_OPT_END};

/* ids: the project and the person. */
static ag_err team(const cli_ctx *c, cli_wf *w, const void *ids)
{
    const int64_t id = ((const int64_t *)ids)[0], person = ((const int64_t *)ids)[1];
    const char *role = cli_get(c, "role") ? cli_get(c, "role") : "member";
    ag_err rc = audit_team_add(w->st, &w->actor, id, person, role, &w->err);
    if (!rc && !c->json)
        printf("已加入审计组 added to the team: #%lld（%s）\n", (long long)person, role);
    return show_project(c, w, rc, id);
}

static int run_team(cli_ctx *c)
{
    return cli_wf_run_id_opt(c, "person", team);
}

static const cli_opt record_opts[] = {
    {"kind", "KIND", true,
     "记录类型：审前 plan|plan_approval|notice|survey；审中 working_paper；审后 "
     "draft_report|response|final_report|followup",
     "record kind: pre plan|plan_approval|notice|survey; field working_paper; after "
     "draft_report|response|final_report|followup"},
    CLI_OPT_TITLE,
    {"doc-no", "NO", false, "文号，如 南审通〔2026〕12号", "document number"},
    {"body", "TEXT", false, "正文或摘要", "text or summary"},
    {"attach", "IDS", false, "附件编号（auditgrid attach add 所得），以逗号分隔",
     "attachment ids (from auditgrid attach add), comma-separated"},
    CLI_OPT_END};

/* A record for project id. */
typedef struct record_arg {
    int64_t id;
    audit_record_in in;
} record_arg;

static ag_err record(const cli_ctx *c, cli_wf *w, const void *arg)
{
    const int64_t id = ((const record_arg *)arg)->id;
    const audit_record_in *in = &((const record_arg *)arg)->in;
    int64_t rid = 0;
    ag_err rc = audit_record_add(w->st, &w->actor, id, in, &rid, &w->err);
    if (!rc && c->json) {
        cli_print_json(json_pack("{s:I,s:I,s:s}", "id", (json_int_t)rid, "project_id",
                                 (json_int_t)id, "kind", in->kind));
    } else if (!rc) {
        printf("已登记 filed: 记录 record #%lld %s（%s）\n", (long long)rid,
               audit_record_zh(in->kind), in->kind);
        json_t *miss = NULL;
        if (audit_stage_missing(w->st, id, &miss, &w->err) == AG_OK) {
            if (json_array_size(miss))
                printf("本阶段尚缺 still needed: %s / %s\n",
                       cli_text(json_array_get(miss, 0), "zh"),
                       cli_text(json_array_get(miss, 0), "en"));
            else
                printf("本阶段记录已齐 the stage is complete: auditgrid audit advance %lld\n",
                       (long long)id);
            json_decref(miss);
        }
        ag_error_clear(&w->err);
    }
    return rc;
}

static int run_record(cli_ctx *c)
{
    int64_t ids[50];
    int n;
    record_arg a;
    if (!cli_wf_id_arg(c, &a.id) || !cli_wf_ids(c, "attach", ids, 50, &n))
        return 2;
    a.in = (audit_record_in){cli_get(c, "kind"), cli_get(c, "title"), cli_get(c, "doc-no"),
                             cli_get(c, "body"), n ? ids : NULL,      n};
    return cli_wf_run(c, record, &a);
}

static ag_err advance(const cli_ctx *c, cli_wf *w, const void *arg)
{
    const int64_t id = *(const int64_t *)arg;
    const char *stage = NULL;
    ag_err rc = app_audit_advance(w->st, &w->actor, id, &stage, &w->err);
    if (!rc && c->json)
        cli_print_json(json_pack("{s:I,s:s}", "id", (json_int_t)id, "stage", stage ? stage : ""));
    else if (!rc)
        printf("项目 #%lld 进入 %s（%s）\nproject #%lld is now in stage %s\n", (long long)id,
               audit_stage_zh(stage ? stage : ""), stage ? stage : "", (long long)id,
               stage ? stage : "");
    return rc;
}

static int run_advance(cli_ctx *c)
{
    return cli_wf_run_id(c, advance);
}

/* ---- audit finding / evidence ------------------------------------------------------ */

static const cli_opt finding_opts[] = {
    {"item", "CODE", true, "审计事项（须在项目范围内，如 F03）",
     "catalog item (one of the project's, e.g. F03)"},
    {"title", "TEXT", true, "问题摘要", "summary of the problem"},
    {"description", "TEXT", true, "问题描述", "description"},
    {"amount", "YUAN", false, "涉及金额（元，至多两位小数；默认 0）",
     "amount involved in yuan (at most 2 decimals; default 0)"},
    {"basis", "TEXT", false, "定性依据（法规条款）", "legal basis"},
    {"severity", "LEVEL", true, "严重程度：high 高|medium 中|low 低", "high | medium | low"},
    {"recommendation", "TEXT", false, "审计建议", "recommendation"},
    {"responsible", "NAME", false, "责任人（按审计报告的写法）", "responsible person as written"},
    {"responsible-person", "ID", false, "责任人的人员编号", "the responsible person's id"},
    {"class", "CLASS", false,
     "整改类型：immediate 立行立改（默认）|phased 分阶段整改|continuous 持续整改",
     "rectification class: immediate (default) | phased | continuous"},
    CLI_OPT_END};

/* After the action's rc, gets finding fid into *f; with --json prints it instead (*f NULL). */
static ag_err get_finding(const cli_ctx *c, cli_wf *w, ag_err rc, int64_t fid, json_t **f)
{
    if (!rc)
        rc = audit_finding_get(w->st, fid, NULL, f, &w->err);
    if (!rc && c->json) {
        cli_wf_print_json(*f);
        *f = NULL;
    }
    return rc;
}

/* A finding for project id. */
typedef struct finding_arg {
    int64_t id;
    audit_finding_in in;
} finding_arg;

static ag_err finding(const cli_ctx *c, cli_wf *w, const void *arg)
{
    const finding_arg *a = arg;
    int64_t fid = 0;
    json_t *f = NULL;
    ag_err rc = audit_finding_add(w->st, &w->actor, a->id, &a->in, &fid, &w->err);
    rc = get_finding(c, w, rc, fid, &f);
    if (f) {
        printf("已记录审计发现 finding recorded: #%lld（问题%lld）%s\n", (long long)fid,
               cli_int(f, "seq"),
               json_is_true(json_object_get(f, "repeat")) ? "　屡审屡犯 repeat offence" : "");
        json_decref(f);
    }
    return rc;
}

static int run_finding(cli_ctx *c)
{
    int64_t id, person;
    if (!cli_wf_id_arg(c, &id) || !cli_get_int(c, "responsible-person", 1, INT64_MAX, 0, &person))
        return 2;
    int64_t fen = 0;
    const char *amount = cli_get(c, "amount");
    if (amount && (!ag_money_parse(amount, strlen(amount), &fen) || fen < 0)) {
        ag_error e;
        ag_fail(&e, AG_ERR_INPUT, "--amount", "金额应为以元计、至多两位小数的非负数：%s",
                "the amount is a non-negative number of yuan with at most 2 decimals: %s", amount);
        return cli_report(&e);
    }
    finding_arg a = {id,
                     {cli_get(c, "item"), cli_get(c, "title"), cli_get(c, "description"), fen,
                      cli_get(c, "basis"), cli_get(c, "severity"), cli_get(c, "recommendation"),
                      cli_get(c, "responsible"), person, cli_get(c, "class")}};
    return cli_wf_run(c, finding, &a);
}

static const cli_opt evidence_opts[] = {
    {"kind", "KIND", true, "证据类型：ledger_line 账簿分录|warning 预警|attachment 附件",
     "evidence kind: ledger_line | warning | attachment"},
    {"ref", "ID", true, "分录、预警或附件的编号", "id of the ledger line, warning or attachment"},
    {"note", "TEXT", false, "说明", "note"},
    CLI_OPT_END};

/* ids: the finding and the evidence's ref. */
static ag_err evidence(const cli_ctx *c, cli_wf *w, const void *ids)
{
    const int64_t fid = ((const int64_t *)ids)[0], ref = ((const int64_t *)ids)[1];
    json_t *f = NULL;
    ag_err rc = audit_evidence_add(w->st, &w->actor, fid, cli_get(c, "kind"), ref,
                                   cli_get(c, "note"), &w->err);
    rc = get_finding(c, w, rc, fid, &f);
    if (f) {
        printf("已添加证据 evidence added: %s #%lld → 发现 finding #%lld（共 %zu 项证据）\n",
               cli_get(c, "kind"), (long long)ref, (long long)fid,
               json_array_size(json_object_get(f, "evidence")));
        json_decref(f);
    }
    return rc;
}

static int run_evidence(cli_ctx *c)
{
    return cli_wf_run_id_opt(c, "ref", evidence);
}

const cli_cmd cli_audit_cmds[] = {
    {"audit", "create", "创建审计项目（审前阶段）", "create an audit project (stage pre)", NULL,
     create_opts, run_create,
     "  auditgrid audit create --name 2026年交叉互审 --kind cross --unit 12120104MBKX0792XX \\\n"
     "      --from 2025-01-01 --to 2025-12-31 --items F03,F10,K2"},
    {"audit", "list", "列出审计项目", "list audit projects", NULL, list_opts, run_list,
     "  auditgrid audit list --stage rectify"},
    {"audit", "show", "显示审计项目（审计组、记录、发现、尚缺材料）或一条审计发现",
     "show a project (team, records, findings, what is missing) or a finding", "[ID]", show_opts,
     run_show, "  auditgrid audit show 1\n  auditgrid audit show --finding 3"},
    {"audit", "team", "把人员加入审计组（交叉互审不得来自被审计单位）",
     "add a person to the team (in a cross audit not from the audited unit)", "ID", team_opts,
     run_team, "  auditgrid audit team 1 --person 73 --role lead"},
    {"audit", "record", "登记本阶段的记录（方案、通知书、底稿、报告等）",
     "file a stage record (plan, notice, working paper, report, ...)", "ID", record_opts,
     run_record,
     "  auditgrid audit record 1 --kind notice --title 审计通知书 --doc-no 南审通〔2026〕12号"},
    {"audit", "advance", "进入下一阶段（所需记录齐全时）",
     "move to the next stage (when its records are complete)", "ID", cli_no_opts, run_advance,
     "  auditgrid audit advance 1"},
    {"audit", "finding", "记录审计发现（审中阶段）", "record a finding (stage field)", "ID",
     finding_opts, run_finding,
     "  auditgrid audit finding 1 --item F03 --title 大额支付无集体决策 \\\n"
     "      --description '…' --amount 95000.00 --basis '…' --severity high --class phased"},
    {"audit", "evidence", "为审计发现添加证据（分录、预警或附件）",
     "add evidence to a finding (ledger line, warning or attachment)", "FINDING_ID", evidence_opts,
     run_evidence, "  auditgrid audit evidence 3 --kind warning --ref 122 --note 支付凭证"},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL}};
