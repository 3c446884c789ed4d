/* cmd_soe.c - `auditgrid soe`, `iabody` and `training`: SOE chief auditors (国企总审计师),
 * internal-audit bodies and working groups, training sessions and hours (issue 14 §3–§4). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/iabody.h"
#include "app/soe.h"
#include "app/training.h"
#include "cli/cli_wf.h"
#include "util/clock.h"
#include "util/date.h"
#include "util/banned.h"

#define MAX_LIST 64 /* ids in one list option */

/* One entry of an "ID[:SCORE],…" option. */
typedef struct id_score {
    int64_t id;
    int64_t score; /* tenths, -1 none */
} id_score;

/* Parses option opt, a comma-separated list of positive ids, each with an
 * optional ":SCORE" when scores is true, into out (at most MAX_LIST). */
static bool parse_list(const cli_ctx *c, const char *opt, bool scores, id_score *out, int *n)
{
    *n = 0;
    const char *v = cli_get(c, opt);
    for (const char *p = v; p && *p;) {
        size_t len = strcspn(p, ",");
        char one[40], *colon, *end;
        snprintf(one, sizeof one, "%.*s", (int)(len < sizeof one ? len : sizeof one - 1), p);
        colon = strchr(one, ':');
        if (colon)
            *colon++ = '\0';
        long long id = strtoll(one, &end, 10);
        bool ok = len > 0 && len < sizeof one && *n < MAX_LIST && end != one && !*end && id > 0;
        out[*n].id = id;
        out[*n].score = -1;
        if (ok && colon)
            ok = scores && training_tenths_parse(colon, &out[*n].score);
        if (!ok) {
            char zh[300], en[300];
            snprintf(zh, sizeof zh, "--%s 应为以逗号分隔的人员编号%s（至多 %d 个）：%s", opt,
                     scores ? "，可带 :成绩" : "", MAX_LIST, v);
            snprintf(en, sizeof en,
                     "--%s is a comma-separated list of person ids%s (%d at most): %s", opt,
                     scores ? ", each with an optional :SCORE" : "", MAX_LIST, v);
            cli_usage_error(c, zh, en);
            return false;
        }
        (*n)++;
        p += len;
        if (*p == ',')
            p++;
    }
    return true;
}

/* ---- soe chief-auditor set|list, soe show, soe quarterly ------------------------------------ */

static const cli_opt chief_opts[] = {
    {"group", "CODE", false, "国企集团（统一社会信用代码；set 必填）",
     "SOE group (credit code; required by set)"},
    {"person", "ID", false, "总审计师（集团的人员编号；set 必填）",
     "the chief auditor (a person of the group; required by set)"},
    {"date", "YYYY-MM-DD", false, "任命日期（set 必填）", "appointment date (required by set)"},
    {"doc", "TEXT", false, "任命文号（set 必填）", "appointment document number (required by set)"},
    CLI_OPT_END};

static void print_group(const json_t *g)
{
    const json_t *ca = json_object_get(g, "chief_auditor");
    printf("%-18s %s　子企业 %lld 家 subsidiaries　", cli_text(g, "code"), cli_text(g, "name"),
           json_is_array(json_object_get(g, "subsidiaries"))
               ? (long long)json_array_size(json_object_get(g, "subsidiaries"))
               : cli_int(g, "subsidiaries"));
    if (json_is_object(ca))
        printf("总审计师 chief auditor: %s (#%lld) 任命 appointed %s 文号 %s\n",
               cli_text(ca, "name"), cli_int(ca, "person_id"), cli_text(ca, "appointed_on"),
               cli_text(ca, "doc_no"));
    else
        printf("未设总审计师 no chief auditor\n");
}

/* A group with its subsidiaries and audits. */
static void print_group_full(const json_t *g)
{
    print_group(g);
    json_t *subs = json_object_get(g, "subsidiaries"), *audits = json_object_get(g, "audits");
    for (size_t i = 0; i < json_array_size(subs); i++) {
        json_t *x = json_array_get(subs, i);
        printf("  子企业 %-18s %s　在审项目 open audits %lld\n", cli_text(x, "code"),
               cli_text(x, "name"), cli_int(x, "audits"));
    }
    for (size_t i = 0; i < json_array_size(audits); i++) {
        json_t *x = json_array_get(audits, i);
        printf("  审计 #%lld %s %s［%s］ %s\n", cli_int(x, "id"), cli_text(x, "code"),
               cli_text(x, "name"), cli_text(x, "unit_name"), cli_text(x, "stage"));
    }
}

typedef ag_err (*record_get_fn)(ag_store *st, const char *code, json_t **out, ag_error *err);

/* After the action's rc, gets the record of code and shows it: its JSON with --json, else
 * heading and print. */
static ag_err show_record(const cli_ctx *c, cli_wf *w, ag_err rc, record_get_fn get,
                          const char *code, const char *heading, cli_wf_text_fn print)
{
    json_t *o = NULL;
    if (!rc)
        rc = get(w->st, code, &o, &w->err);
    if (!rc && !c->json)
        printf("%s", heading);
    if (!rc)
        cli_wf_print(c, o, print);
    return rc;
}

static ag_err group_get(ag_store *st, const char *code, json_t **out, ag_error *err)
{
    return soe_group_get(st, NULL, code, out, err);
}

static void print_groups(const json_t *list)
{
    size_t missing = 0;
    for (size_t i = 0; i < json_array_size(list); i++) {
        print_group(json_array_get(list, i));
        missing += !json_is_object(json_object_get(json_array_get(list, i), "chief_auditor"));
    }
    printf("国企集团 %zu 家，未设总审计师 %zu 家 (%zu SOE groups, %zu without a chief "
           "auditor)\n",
           json_array_size(list), missing, json_array_size(list), missing);
}

static ag_err call_groups(const cli_ctx *c, cli_wf *w, const void *arg, json_t **out)
{
    (void)c;
    (void)arg;
    return soe_group_list(w->st, NULL, out, &w->err);
}

static ag_err chief_set(const cli_ctx *c, cli_wf *w, const void *in)
{
    ag_err rc = app_soe_chief_set(w->st, &w->actor, in, &w->err);
    return show_record(c, w, rc, group_get, ((const soe_chief_in *)in)->group_code,
                       "已登记总审计师 chief auditor registered: ", print_group);
}

static int run_chief(cli_ctx *c)
{
    const char *action = c->nargs == 1 ? c->args[0] : "";
    if (strcmp(action, "set") && strcmp(action, "list"))
        return cli_usage_error(c, "须给出 set 或 list", "give set or list");
    int64_t person = 0;
    if (!strcmp(action, "set")) {
        if (!cli_get(c, "group") || !cli_get(c, "person") || !cli_get(c, "date") ||
            !cli_get(c, "doc"))
            return cli_usage_error(c, "set 需要 --group、--person、--date 和 --doc",
                                   "set needs --group, --person, --date and --doc");
        if (!cli_get_int(c, "person", 1, INT64_MAX, 0, &person))
            return 2;
    }
    if (!strcmp(action, "list"))
        return cli_wf_call(c, call_groups, NULL, print_groups);
    soe_chief_in in = {cli_get(c, "group"), person, cli_get(c, "date"), cli_get(c, "doc")};
    return cli_wf_run(c, chief_set, &in);
}

static const cli_opt show_opts[] = {{"group", "CODE", true, "国企集团", "SOE group"}, CLI_OPT_END};

/* The places a unit's set-up still lacks, by their Chinese names with the API's words after:
 * "独立内审机构、纪检监察成员 (body, discipline)". */
static void print_places(const json_t *miss)
{
    static const char *const names[][2] = {
        {"body", "独立内审机构"},      {"supervisor", "分管内审的主要负责人"},
        {"leader", "工作组组长"},      {"discipline", "纪检监察成员"},
        {"personnel", "组织人事成员"}, {"finance", "财务管理成员"},
        {"audit", "内部审计成员"},
    };
    size_t n = json_array_size(miss);
    if (!n) {
        printf("无 none\n");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const char *k = json_string_value(json_array_get(miss, i)), *zh = k;
        for (size_t j = 0; j < sizeof names / sizeof names[0]; j++)
            if (k && !strcmp(k, names[j][0]))
                zh = names[j][1];
        printf("%s%s", i ? "、" : "", zh ? zh : "");
    }
    printf(" (");
    for (size_t i = 0; i < n; i++)
        printf("%s%s", i ? ", " : "", json_string_value(json_array_get(miss, i)));
    printf(")\n");
}

static void print_body(const json_t *o); /* iabody below */

static ag_err call_show(const cli_ctx *c, cli_wf *w, const void *arg, json_t **out)
{
    (void)arg;
    bool group = !strcmp(c->cmd->name, "soe");
    return (group ? group_get : iabody_get)(w->st, cli_get(c, group ? "group" : "unit"), out,
                                            &w->err);
}

/* `soe show --group` and `iabody show --unit`. */
static int run_show(cli_ctx *c)
{
    return cli_wf_call(c, call_show, NULL,
                       strcmp(c->cmd->name, "soe") ? print_body : print_group_full);
}

static const cli_opt quarterly_opts[] = {
    {"group", "CODE", true, "国企集团", "SOE group"},
    {"period", "YYYYQn", true, "季度，如 2026Q3", "the quarter, e.g. 2026Q3"},
    CLI_OPT_TITLE,
    CLI_OPT_BODY,
    CLI_OPT_END};

static ag_err quarterly(const cli_ctx *c, cli_wf *w, const void *arg)
{
    (void)arg;
    int64_t id = 0;
    ag_err rc = app_soe_file_quarterly(w->st, &w->actor, cli_get(c, "group"), cli_get(c, "period"),
                                       cli_get(c, "title"), cli_get(c, "body"), &id, &w->err);
    if (!rc && c->json)
        cli_print_json(json_pack("{s:I, s:s}", "id", (json_int_t)id, "kind", "soe_quarterly"));
    else if (!rc)
        printf("已报送季度报告 #%lld quarterly report #%lld filed to the state-assets cell\n",
               (long long)id, (long long)id);
    return rc;
}

static int run_quarterly(cli_ctx *c)
{
    return cli_wf_run(c, quarterly, NULL);
}

/* ---- iabody set|show|missing ------------------------------------------------------------- */

static const cli_opt iaset_opts[] = {
    CLI_OPT_UNIT_REQUIRED,
    {"independent", "yes|no", true, "是否设立独立内审机构", "an independent internal-audit body"},
    {"name", "TEXT", false, "内审机构名称，如 审计科", "the body's name, e.g. 审计科"},
    {"supervisor", "ID", false, "直接分管内审的主要负责人（人员编号）",
     "the principal leader directly supervising internal audit (person id)"},
    {"leader", "ID", false, "内审工作组组长（党组织书记）",
     "the working group's leader (party secretary)"},
    {"discipline", "ID,…", false, "纪检监察成员", "members from discipline inspection"},
    {"personnel", "ID,…", false, "组织人事成员", "members from organisation and personnel"},
    {"finance", "ID,…", false, "财务管理成员", "members from finance"},
    {"audit", "ID,…", false, "内部审计成员", "members from internal audit"},
    CLI_OPT_END};

static void print_body(const json_t *o)
{
    const json_t *sup = json_object_get(o, "supervisor");
    printf("%s %s\n  独立内审机构 independent body: %s%s%s\n  分管领导 supervising leader: %s\n",
           cli_text(o, "unit_code"), cli_text(o, "unit_name"),
           !json_is_true(json_object_get(o, "recorded"))     ? "未登记 not recorded"
           : json_is_true(json_object_get(o, "independent")) ? "是 yes"
                                                             : "否 no",
           *cli_text(o, "body_name") ? " " : "", cli_text(o, "body_name"),
           json_is_object(sup) ? cli_text(sup, "name") : "无 none");
    json_t *g = json_object_get(o, "group");
    for (size_t i = 0; i < json_array_size(g); i++) {
        json_t *m = json_array_get(g, i);
        printf("  工作组 %s %s: %s (#%lld)\n", cli_text(m, "area_zh"), cli_text(m, "area"),
               cli_text(m, "name"), cli_int(m, "person_id"));
    }
    printf("  缺少 missing: ");
    print_places(json_object_get(o, "missing"));
}

static ag_err iaset(const cli_ctx *c, cli_wf *w, const void *in)
{
    ag_err rc = app_iabody_set(w->st, &w->actor, cli_get(c, "unit"), in, &w->err);
    return show_record(c, w, rc, iabody_get, cli_get(c, "unit"),
                       "已登记内审机构 recorded: ", print_body);
}

static int run_iaset(cli_ctx *c)
{
    const char *ind = cli_get(c, "independent");
    if (strcmp(ind, "yes") && strcmp(ind, "no"))
        return cli_usage_error(c, "--independent 应为 yes 或 no", "--independent is yes or no");
    int64_t sup = 0;
    if (!cli_get_int(c, "supervisor", 1, INT64_MAX, 0, &sup))
        return 2;
    static const char *const opts[] = {"leader", "discipline", "personnel", "finance", "audit"};
    iabody_member members[5 * MAX_LIST];
    int n = 0;
    for (int k = 0; k < 5; k++) {
        id_score ids[MAX_LIST];
        int m = 0;
        if (!parse_list(c, opts[k], false, ids, &m))
            return 2;
        for (int i = 0; i < m; i++)
            members[n++] = (iabody_member){ids[i].id, iabody_areas[k]};
    }
    iabody_in in = {!strcmp(ind, "yes"), cli_get(c, "name"), sup, members, n};
    return cli_wf_run(c, iaset, &in);
}

static const cli_opt iashow_opts[] = {CLI_OPT_UNIT_REQUIRED, CLI_OPT_END};

static void print_missing(const json_t *o)
{
    json_t *items = json_object_get(o, "items"), *cnt = json_object_get(o, "counts");
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *x = json_array_get(items, i), *m = json_object_get(x, "missing");
        printf("%-18s %s　缺少 missing: ", cli_text(x, "code"), cli_text(x, "name"));
        print_places(m);
    }
    printf("单位 %lld 家，齐全 %lld 家，不齐 %lld 家：无独立内审机构 %lld，无分管领导 %lld，"
           "工作组不全 %lld\n"
           "%lld units, %lld complete, %lld incomplete: no independent body %lld, no "
           "supervising leader %lld, working group incomplete %lld\n",
           cli_int(o, "units"), cli_int(o, "complete"), cli_int(o, "incomplete"),
           cli_int(cnt, "body"), cli_int(cnt, "supervisor"), cli_int(cnt, "group"),
           cli_int(o, "units"), cli_int(o, "complete"), cli_int(o, "incomplete"),
           cli_int(cnt, "body"), cli_int(cnt, "supervisor"), cli_int(cnt, "group"));
}

static ag_err call_missing(const cli_ctx *c, cli_wf *w, const void *arg, json_t **out)
{
    (void)c;
    (void)arg;
    return iabody_missing(w->st, NULL, out, &w->err);
}

static int run_iamissing(cli_ctx *c)
{
    return cli_wf_call(c, call_missing, NULL, print_missing);
}

/* ---- training add|attend|list|hours --------------------------------------------------------- */

static const cli_opt tadd_opts[] = {
    {"date", "YYYY-MM-DD", true, "培训日期", "date held"},
    {"topic", "TEXT", true, "培训主题", "topic"},
    {"system", "TEXT", true, "所属系统，如 卫健、教育", "the line it belongs to, e.g. 卫健, 教育"},
    {"hours", "H", true, "学时（可带一位小数）", "hours (one decimal at most)"},
    {"competition", NULL, false, "岗位练兵技术比武（参训人员可有成绩）",
     "a skills competition (attendees may have scores)"},
    {"attendees", "ID[:SCORE],…", false, "参训人员编号，比武可带成绩",
     "attending person ids, with scores at a competition"},
    CLI_OPT_END};

/* The attendees of option opt as the use case takes them. */
static bool attendees(const cli_ctx *c, const char *opt, app_training_attendee *att, int *n)
{
    id_score ids[MAX_LIST];
    if (!parse_list(c, opt, true, ids, n))
        return false;
    for (int i = 0; i < *n; i++)
        att[i] = (app_training_attendee){ids[i].id, ids[i].score};
    return true;
}

/* The attendees of a session: a new one (add) or session id's (attend). */
typedef struct attend_in {
    training_session_in session;
    int64_t id;
    app_training_attendee att[MAX_LIST];
    int n;
} attend_in;

static ag_err tadd(const cli_ctx *c, cli_wf *w, const void *arg)
{
    const attend_in *a = arg;
    int64_t id = 0;
    ag_err rc = app_training_add(w->st, &w->actor, &a->session, a->att, a->n, &id, &w->err);
    if (!rc && c->json)
        cli_print_json(json_pack("{s:I, s:i}", "id", (json_int_t)id, "attendees", a->n));
    else if (!rc)
        printf("已登记培训 #%lld，参训 %d 人\nsession #%lld recorded, %d attendees\n",
               (long long)id, a->n, (long long)id, a->n);
    return rc;
}

static int run_tadd(cli_ctx *c)
{
    attend_in a = {.session = {cli_get(c, "date"), cli_get(c, "topic"), cli_get(c, "system"), 0,
                               cli_flag(c, "competition")}};
    if (!training_tenths_parse(cli_get(c, "hours"), &a.session.hours_tenths))
        return cli_usage_error(c, "--hours 应为学时，如 3 或 3.5",
                               "--hours is hours, e.g. 3 or 3.5");
    if (!attendees(c, "attendees", a.att, &a.n))
        return 2;
    return cli_wf_run(c, tadd, &a);
}

static const cli_opt tattend_opts[] = {{"session", "ID", true, "培训场次编号", "session id"},
                                       {"persons", "ID[:SCORE],…", true,
                                        "参训人员编号，比武可带成绩",
                                        "attending person ids, with scores at a competition"},
                                       CLI_OPT_END};

static ag_err tattend(const cli_ctx *c, cli_wf *w, const void *arg)
{
    const attend_in *a = arg;
    ag_err rc = app_training_attend(w->st, &w->actor, a->id, a->att, a->n, &w->err);
    if (!rc && c->json)
        cli_print_json(json_pack("{s:I, s:i}", "session", (json_int_t)a->id, "attendees", a->n));
    else if (!rc)
        printf("已登记参训 %d 人 %d attendees recorded\n", a->n, a->n);
    return rc;
}

static int run_tattend(cli_ctx *c)
{
    attend_in a = {.n = 0};
    if (!cli_get_int(c, "session", 1, INT64_MAX, 0, &a.id) || !attendees(c, "persons", a.att, &a.n))
        return 2;
    return cli_wf_run(c, tattend, &a);
}

static const cli_opt year_opts[] = {
    {"year", "YYYY", false, "年度（默认今年）", "year (default this year)"},
    {"person", "ID", false, "只看此人（hours）", "this person only (hours)"},
    CLI_OPT_END};

static bool year_of(const cli_ctx *c, int64_t *year)
{
    return cli_get_int(c, "year", 1900, 9999, ag_date_from_days(ag_clock_today()).year, year);
}

static ag_err tlist(const cli_ctx *c, cli_wf *w, const void *arg)
{
    const int64_t year = *(const int64_t *)arg;
    json_t *list = NULL;
    ag_err rc = training_session_list(w->st, NULL, (int)year, &list, &w->err);
    if (!rc && c->json) {
        cli_print_json(list);
    } else if (!rc) {
        for (size_t i = 0; i < json_array_size(list); i++) {
            json_t *x = json_array_get(list, i);
            printf("#%-4lld %s %s［%s］ %s 学时 hours　参训 %lld 人 attendees%s\n",
                   cli_int(x, "id"), cli_text(x, "held_on"), cli_text(x, "topic"),
                   cli_text(x, "system"), cli_text(x, "hours"), cli_int(x, "attendees"),
                   json_is_true(json_object_get(x, "competition")) ? "　技术比武 competition" : "");
        }
        printf("%lld 年培训 %zu 场 (%zu sessions in %lld)\n", (long long)year,
               json_array_size(list), json_array_size(list), (long long)year);
        json_decref(list);
    }
    return rc;
}

static int run_tlist(cli_ctx *c)
{
    int64_t year;
    if (!year_of(c, &year))
        return 2;
    return cli_wf_run(c, tlist, &year);
}

/* yp: the year and the person (0: everyone). */
static ag_err thours(const cli_ctx *c, cli_wf *w, const void *yp)
{
    const int64_t year = ((const int64_t *)yp)[0], person = ((const int64_t *)yp)[1];
    json_t *list = NULL;
    int64_t tenths = 0;
    char h[24];
    ag_err rc = person ? training_person_hours(w->st, person, (int)year, &tenths, &w->err)
                       : training_hours_list(w->st, NULL, (int)year, &list, &w->err);
    training_tenths_format(tenths, h);
    if (!rc && person && c->json) {
        cli_print_json(json_pack("{s:I, s:I, s:s}", "person_id", (json_int_t)person, "year",
                                 (json_int_t)year, "hours", h));
    } else if (!rc && person) {
        printf("%lld 年培训学时 %s（hours in %lld: %s）\n", (long long)year, h, (long long)year, h);
    } else if (!rc && c->json) {
        cli_print_json(list);
    } else if (!rc) {
        for (size_t i = 0; i < json_array_size(list); i++) {
            json_t *x = json_array_get(list, i);
            printf("#%-5lld %-8s %-18s %s　%s 学时 hours（%lld 场 sessions）\n",
                   cli_int(x, "person_id"), cli_text(x, "name"), cli_text(x, "unit"),
                   cli_text(x, "unit_name"), cli_text(x, "hours"), cli_int(x, "sessions"));
        }
        json_decref(list);
    }
    return rc;
}

static int run_thours(cli_ctx *c)
{
    int64_t yp[2];
    if (!year_of(c, &yp[0]) || !cli_get_int(c, "person", 1, INT64_MAX, 0, &yp[1]))
        return 2;
    return cli_wf_run(c, thours, yp);
}

const cli_cmd cli_soe_cmds[] = {
    {"soe", "chief-auditor", "登记或列出国企集团总审计师（set|list）",
     "register or list the SOE groups' chief auditors (set|list)", "set|list", chief_opts,
     run_chief,
     "  auditgrid soe chief-auditor set --group 91120104MA05K1234X --person 17 \\\n"
     "      --date 2026-03-01 --doc 南开国资任〔2026〕3号\n"
     "  auditgrid soe chief-auditor list"},
    {"soe", "show", "查看国企集团：子企业和审计项目", "show an SOE group: subsidiaries and audits",
     NULL, show_opts, run_show, "  auditgrid soe show --group 91120104MA05K1234X"},
    {"soe", "quarterly", "总审计师向国资监管网格报送季度报告",
     "file the chief auditor's quarterly report to the state-assets cell", NULL, quarterly_opts,
     run_quarterly,
     "  auditgrid soe quarterly --group 91120104MA05K1234X --period 2026Q3 \\\n"
     "      --title 2026年第三季度总审计师工作报告 --body …"},
    {"iabody", "set", "登记单位内审机构、分管领导和内审工作组",
     "record a unit's internal-audit body, supervising leader and working group", NULL, iaset_opts,
     run_iaset,
     "  auditgrid iabody set --unit 12120104MB1234567X --independent yes --name 审计科 \\\n"
     "      --supervisor 12 --leader 13 --discipline 14 --personnel 15 --finance 16 --audit 17"},
    {"iabody", "show", "查看单位内审机构", "show a unit's internal-audit set-up", NULL, iashow_opts,
     run_show, "  auditgrid iabody show --unit 12120104MB1234567X"},
    {"iabody", "missing", "列出内审机构、分管领导或工作组不全的单位",
     "list the units missing a body, supervising leader or working-group place", NULL, cli_no_opts,
     run_iamissing, "  auditgrid iabody missing"},
    {"training", "add", "登记一场培训（或岗位练兵技术比武）",
     "record a training session (or a skills competition)", NULL, tadd_opts, run_tadd,
     "  auditgrid training add --date 2026-05-12 --topic 政府采购审计实务 --system 教育 \\\n"
     "      --hours 3.5 --attendees 21,22,23"},
    {"training", "attend", "登记参训人员（比武可带成绩）",
     "record attendance (with scores at a competition)", NULL, tattend_opts, run_tattend,
     "  auditgrid training attend --session 3 --persons 21:92.5,22:88"},
    {"training", "list", "列出一年的培训场次", "list a year's training sessions", NULL, year_opts,
     run_tlist, "  auditgrid training list --year 2026"},
    {"training", "hours", "内审人员年度培训学时", "internal auditors' training hours of a year",
     NULL, year_opts, run_thours, "  auditgrid training hours --year 2026 [--person 21]"},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL}};
