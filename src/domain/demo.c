/* demo.c - builds the demo district: cells, units, people and accounts of a Nankai-like district.
 */
#include "domain/demo.h"

#include <stdio.h>
#include <string.h>

#include "domain/attach.h"
#include "domain/audit.h"
#include "domain/catalog.h"
#include "domain/grid.h"
#include "domain/rectify.h"
#include "domain/scope.h"
#include "domain/user.h"
#include "util/clock.h"
#include "util/date.h"
#include "util/rng.h"
#include "util/uscc.h"
#include "util/banned.h"

#define DIVISION  "120104"
#define MAX_UNITS 200

/* The 22 competent departments (the last is the SOE regulator) and 12 streets. */
static const char *const DEPTS[22] = {"教育局",           "卫生健康委员会",
                                      "财政局",           "发展和改革委员会",
                                      "民政局",           "人力资源和社会保障局",
                                      "住房和建设委员会", "城市管理委员会",
                                      "科学技术局",       "商务局",
                                      "文化和旅游局",     "市场监督管理局",
                                      "生态环境局",       "退役军人事务局",
                                      "医疗保障局",       "体育局",
                                      "司法局",           "应急管理局",
                                      "水务局",           "统计局",
                                      "机关事务管理局",   "人民政府国有资产监督管理委员会"};
static const char *const STREETS[12] = {"长虹",   "鼓楼",     "兴南",     "广开",
                                        "万兴",   "学府",     "向阳路",   "嘉陵道",
                                        "王顶堤", "水上公园", "体育中心", "华苑"};

/* 事业 units per department (index into DEPTS), NULL-separated. */
static const struct {
    int dept;
    const char *name;
} PUBLIC_INSTITUTIONS[] = {
    {2, "财政国库支付中心"},
    {2, "财政投资评审中心"},
    {3, "价格认证中心"},
    {3, "经济信息中心"},
    {4, "社会福利院"},
    {4, "救助管理站"},
    {4, "婚姻登记中心"},
    {5, "就业服务中心"},
    {5, "劳动人事争议仲裁院"},
    {5, "社会保险服务中心"},
    {6, "建设工程质量安全监督站"},
    {6, "房屋安全鉴定站"},
    {7, "市容环境卫生管理所"},
    {7, "园林绿化管理所"},
    {7, "城市管理综合执法大队"},
    {8, "科技创新服务中心"},
    {9, "商务发展服务中心"},
    {10, "图书馆"},
    {10, "文化馆"},
    {10, "文物保护管理所"},
    {11, "市场监管综合执法大队"},
    {11, "计量检定所"},
    {12, "生态环境监测站"},
    {13, "退役军人服务中心"},
    {14, "医疗保障服务中心"},
    {15, "全民健身中心"},
    {16, "公共法律服务中心"},
    {17, "应急管理综合行政执法大队"},
    {18, "排水管理所"},
    {19, "统计普查中心"},
    {20, "机关服务中心"},
    {20, "公务用车服务中心"},
    {0, "教育研究室"},
};

static const char *const HOSPITALS[] = {"人民医院", "中医医院", "妇幼保健计划生育服务中心",
                                        "口腔医院", "精神卫生中心"};

/* SOE groups and their subsidiaries (parent index -1 for a group head). */
static const struct {
    int parent;
    const char *name;
} SOES[] = {
    {-1, "天津市南开区城市建设投资集团有限公司"}, {0, "天津市南开城投置业有限公司"},
    {0, "天津市南开城投建设工程有限公司"},        {0, "天津市南开城投物业管理有限公司"},
    {-1, "天津市南开区国有资产经营管理有限公司"}, {4, "天津市南开国资商业运营有限公司"},
    {4, "天津市南开国资资产管理有限公司"},        {-1, "天津南开科技园发展集团有限公司"},
    {7, "天津南开科技园孵化器管理有限公司"},      {7, "天津南开科创投资有限公司"},
    {-1, "天津市南开区文化旅游发展集团有限公司"}, {10, "天津古文化街旅游开发有限公司"},
    {-1, "天津市南开区市政环卫有限公司"},         {-1, "天津市南开区供热有限公司"},
    {-1, "天津市南开区融资担保有限公司"},         {-1, "天津市南开区农贸市场管理有限公司"},
    {-1, "天津市南开区公共停车管理有限公司"},
};

static const char *const MIDDLE[] = {"第一",     "第二",   "第四",     "第七",
                                     "第九",     "第十五", "第二十一", "第二十五",
                                     "第四十三", "第五十", "第六十三", "第一〇九"};
static const char *const PRIMARY[] = {"中营",   "五马路", "南开",   "华夏未来", "科技实验",
                                      "风湖里", "咸阳路", "嘉陵道", "向阳",     "王顶堤",
                                      "宜宾里", "黄河道", "中心",   "长治里",   "水上",
                                      "东方",   "华苑",   "田家炳", "万兴",     "学府"};

static const char *const SURNAMES[] = {
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高",
    "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧",
    "程", "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾",
    "丁", "魏", "薛", "叶", "阎", "余", "潘", "杜", "戴", "夏", "钟", "汪", "田", "任", "姜"};
static const char *const GIVEN[] = {
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
    "明", "超", "秀", "霞", "平", "刚", "桂", "英", "华", "建", "国", "志", "红", "文", "玲",
    "斌", "鹏", "辉", "宇", "婷", "晨", "凯", "欣", "琳", "浩", "峰", "岩", "昊", "雪", "梅",
    "亮", "颖", "蕾", "帆", "博", "爽", "健", "倩", "海", "宁", "瑞", "悦", "晓", "慧", "鑫"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

typedef struct unit_spec {
    char code[19];
    char name[160];
    const char *type;
    char cell[16];
    int parent; /* index into the spec list, -1 none */
    int pilot;
} unit_spec;

static void person_name(ag_rng *r, char out[32])
{
    const char *s = SURNAMES[ag_rng_below(r, COUNT(SURNAMES))];
    const char *g1 = GIVEN[ag_rng_below(r, COUNT(GIVEN))];
    if (ag_rng_chance(r, 0.3))
        snprintf(out, 32, "%s%s", s, g1);
    else
        snprintf(out, 32, "%s%s%s", s, g1, GIVEN[ag_rng_below(r, COUNT(GIVEN))]);
}

/* A credit code: authority+type, division, an organisation code with its GB
 * 11714 check character, then the GB 32100 check character. */
static void make_code(ag_rng *r, const char *type, char out[19])
{
    static const char alnum[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    const char *head = !strcmp(type, "国企")                              ? "91"
                       : (!strcmp(type, "机关") || !strcmp(type, "街道")) ? "11"
                                                                          : "12";
    char org[9];
    if (head[0] == '9') {
        org[0] = 'M';
        org[1] = 'A';
    } else if (head[1] == '1') {
        org[0] = '0';
        org[1] = '0';
    } else {
        org[0] = 'M';
        org[1] = 'B';
    }
    for (int i = 2; i < 8; i++)
        org[i] = head[1] == '1' ? (char)('0' + ag_rng_below(r, 10))
                                : alnum[ag_rng_below(r, sizeof alnum - 1)];
    org[8] = '\0';
    char c9 = uscc_orgcode_check_char(org);
    snprintf(out, 19, "%s%s%s%c", head, DIVISION, org, c9);
    out[17] = uscc_check_char(out);
    out[18] = '\0';
}

static int add_spec(unit_spec *u, int *n, ag_rng *r, const char *name, const char *type,
                    const char *cell, int parent)
{
    if (*n >= MAX_UNITS)
        return -1;
    unit_spec *s = &u[*n];
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "%s", name);
    s->type = type;
    snprintf(s->cell, sizeof s->cell, "%s", cell);
    s->parent = parent;
    /* Redraw on the (unlikely) collision so every code is unique. */
    for (;;) {
        make_code(r, type, s->code);
        int dup = 0;
        for (int i = 0; i < *n; i++)
            dup |= !strcmp(u[i].code, s->code);
        if (!dup)
            break;
    }
    return (*n)++;
}

static void plan_units(ag_rng *r, unit_spec *u, int *n)
{
    char name[160], cell[16];
    *n = 0;
    for (int d = 0; d < 22; d++) {
        snprintf(name, sizeof name, "天津市南开区%s", DEPTS[d]);
        snprintf(cell, sizeof cell, "D%02d", d + 1);
        add_spec(u, n, r, name, "机关", cell, -1);
    }
    for (int s = 0; s < 12; s++) {
        snprintf(name, sizeof name, "天津市南开区人民政府%s街道办事处", STREETS[s]);
        snprintf(cell, sizeof cell, "S%02d", s + 1);
        add_spec(u, n, r, name, "街道", cell, -1);
    }
    for (size_t i = 0; i < COUNT(MIDDLE); i++) {
        snprintf(name, sizeof name, "天津市南开区%s中学", MIDDLE[i]);
        add_spec(u, n, r, name, "学校", "D01", -1);
    }
    for (size_t i = 0; i < COUNT(PRIMARY); i++) {
        snprintf(name, sizeof name, "天津市南开区%s小学", PRIMARY[i]);
        add_spec(u, n, r, name, "学校", "D01", -1);
    }
    static const char *const KINDER[] = {"第一", "第二", "第三", "第四", "第五", "第六"};
    for (size_t i = 0; i < COUNT(KINDER); i++) {
        snprintf(name, sizeof name, "天津市南开区%s幼儿园", KINDER[i]);
        add_spec(u, n, r, name, "学校", "D01", -1);
    }
    add_spec(u, n, r, "天津市南开区青少年业余体育学校", "学校", "D16", -1);
    add_spec(u, n, r, "天津市南开区职业中等专业学校", "学校", "D01", -1);
    for (size_t i = 0; i < COUNT(HOSPITALS); i++) {
        snprintf(name, sizeof name, "天津市南开区%s", HOSPITALS[i]);
        add_spec(u, n, r, name, "医院", "D02", -1);
    }
    for (int s = 0; s < 6; s++) {
        snprintf(name, sizeof name, "天津市南开区%s街社区卫生服务中心", STREETS[s]);
        add_spec(u, n, r, name, "医院", "D02", -1);
    }
    for (size_t i = 0; i < COUNT(PUBLIC_INSTITUTIONS); i++) {
        snprintf(name, sizeof name, "天津市南开区%s", PUBLIC_INSTITUTIONS[i].name);
        snprintf(cell, sizeof cell, "D%02d", PUBLIC_INSTITUTIONS[i].dept + 1);
        add_spec(u, n, r, name, "事业", cell, -1);
    }
    for (int s = 0; s < 12; s++) {
        snprintf(name, sizeof name, "天津市南开区%s街道党群服务中心", STREETS[s]);
        snprintf(cell, sizeof cell, "S%02d", s + 1);
        add_spec(u, n, r, name, "事业", cell, -1);
    }
    int first_soe = *n;
    for (size_t i = 0; i < COUNT(SOES); i++)
        add_spec(u, n, r, SOES[i].name, "国企", "D22",
                 SOES[i].parent < 0 ? -1 : first_soe + SOES[i].parent);
}

/* Picks the 30 pilot units: a seeded draw within each type, so that every
 * kind of unit takes part in the cross audits. */
static void pick_pilots(ag_rng *r, unit_spec *u, int n)
{
    static const struct {
        const char *type;
        int count;
    } quota[] = {{"机关", 4}, {"街道", 2}, {"学校", 9}, {"医院", 3}, {"事业", 7}, {"国企", 5}};
    int idx[MAX_UNITS];
    for (size_t q = 0; q < COUNT(quota); q++) {
        int m = 0;
        for (int i = 0; i < n; i++)
            if (!strcmp(u[i].type, quota[q].type))
                idx[m++] = i;
        /* Partial Fisher-Yates. */
        for (int k = 0; k < quota[q].count && k < m; k++) {
            int j = k + (int)ag_rng_below(r, (uint64_t)(m - k));
            int t = idx[k];
            idx[k] = idx[j];
            idx[j] = t;
            u[idx[k]].pilot = 1;
        }
    }
}

static const char *principal_title(const char *type)
{
    if (!strcmp(type, "学校"))
        return "校长";
    if (!strcmp(type, "医院"))
        return "院长";
    if (!strcmp(type, "国企"))
        return "董事长";
    if (!strcmp(type, "街道"))
        return "街道办事处主任";
    if (!strcmp(type, "机关"))
        return "局长（主任）";
    return "主任";
}

static ag_err add_person(ag_store *st, ag_rng *r, const char *unit, const char *title,
                         const char *role, int64_t *id, demo_summary *sum, ag_error *err)
{
    char name[32], phone[16];
    person_name(r, name);
    snprintf(phone, sizeof phone, "022-2%07u", (unsigned)ag_rng_below(r, 10000000));
    grid_person_in p = {name, unit, title, phone, NULL, role};
    ag_err rc = grid_person_add(st, &p, id, err);
    if (!rc)
        sum->persons++;
    return rc;
}

static ag_err add_account(ag_store *st, const char *username, const char *role, const char *unit,
                          const char *cell, int64_t person, const char *display, const char *scope,
                          demo_account *acc, size_t max, demo_summary *sum, ag_error *err)
{
    user_in u = {username, role, unit, cell, display, DEMO_PASSWORD, person};
    ag_err rc = user_add(st, &u, NULL, err);
    if (rc)
        return rc;
    if (acc && (size_t)sum->users < max) {
        demo_account *a = &acc[sum->users];
        snprintf(a->username, sizeof a->username, "%s", username);
        snprintf(a->role, sizeof a->role, "%s", role);
        snprintf(a->scope, sizeof a->scope, "%s", scope);
    }
    sum->users++;
    return AG_OK;
}

/* ---- the audit workflow (审前·审中·审后) -------------------------------------- */

/* The units and people the demo's audits are about. */
typedef struct demo_cast {
    const unit_spec *a; /* the 'auditor' account's school, audited twice */
    const unit_spec *b; /* auditor2's unit: leads the cross audit */
    const unit_spec *c; /* the cross audit's second member comes from here */
    const unit_spec *d; /* runs a self-check of its own */
    int64_t principal_a, auditor_a, auditor_b, auditor_c, principal_d, auditor_d;
    int64_t bureau[2]; /* audit-bureau staff (grid liaisons) for the earlier audit */
} demo_cast;

static audit_actor actor(ag_role role, const char *unit, const char *cell, int64_t person,
                         const char *name)
{
    audit_actor a;
    memset(&a, 0, sizeof a);
    a.scope.role = role;
    snprintf(a.scope.unit_code, sizeof a.scope.unit_code, "%s", unit ? unit : "");
    snprintf(a.scope.cell_id, sizeof a.scope.cell_id, "%s", cell ? cell : "");
    a.scope.person_id = person;
    a.name = name;
    return a;
}

/* The demo's audits happened over the past months: each step is written as
 * of `days_ago` days before today (this thread's clock only), so dates,
 * deadlines and overdue days come out as they would have. */
static void on_day(int days_ago)
{
    ag_clock_shift(-(int64_t)days_ago * 86400);
}

static ag_err record(ag_store *st, const audit_actor *a, int64_t project, const char *kind,
                     const char *title, const char *doc_no, const char *body, ag_error *err)
{
    audit_record_in in = {kind, title, doc_no, body, NULL, 0};
    return audit_record_add(st, a, project, &in, NULL, err);
}

/* A short text file stored as an attachment of unit. */
static ag_err text_file(ag_store *st, const char *dir, const char *unit, const char *name,
                        const char *text, int64_t *id, ag_error *err)
{
    return attach_put(st, dir, unit, name, text, strlen(text), id, NULL, err);
}

static ag_err finding(ag_store *st, const audit_actor *a, int64_t project, const char *item,
                      const char *title, const char *description, int64_t amount, const char *basis,
                      const char *severity, const char *recommendation, int64_t responsible,
                      const char *rect_class, int64_t *id, ag_error *err)
{
    audit_finding_in in = {item,     title,          description, amount,      basis,
                           severity, recommendation, NULL,        responsible, rect_class};
    return audit_finding_add(st, a, project, &in, id, err);
}

static ag_err rect_of(ag_store *st, int64_t finding_id, int64_t *id, ag_error *err)
{
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)finding_id);
    return store_query_int(st, id, err,
                           "SELECT id FROM rectification WHERE finding_id = CAST(? AS BIGINT)", key,
                           NULL);
}

/* The pre-audit records of a project and the step into fieldwork. */
static ag_err pre_audit(ag_store *st, const audit_actor *team, const audit_actor *approver,
                        int64_t p, int day, const char *plan, const char *notice_no, ag_error *err)
{
    on_day(day);
    ag_err rc = record(st, team, p, "plan", "审计实施方案", NULL, plan, err);
    on_day(day - 3);
    if (!rc)
        rc = record(st, approver, p, "plan_approval", "关于审计实施方案的批复", NULL,
                    "同意该实施方案，请按计划进点实施，审计期间注意保守被审计单位商业和工作秘密。",
                    err);
    on_day(day - 5);
    if (!rc)
        rc = record(st, team, p, "notice", "审计通知书", notice_no,
                    "请被审计单位于进点前提供会计账簿、凭证、银行对账单、“三重一大”会议纪要及"
                    "相关合同资料，并指定联络人配合审计。",
                    err);
    on_day(day - 8);
    if (!rc)
        rc = record(
            st, team, p, "survey", "审前调查记录", NULL,
            "调阅上年度财务报表和预算执行情况，了解内部控制制度、岗位设置及上轮审计整改情况，"
            "确定现金管理、资金支付审批和往来款为审计重点。",
            err);
    on_day(day - 10);
    if (!rc)
        rc = audit_advance(st, team, p, NULL, err);
    return rc;
}

/* Draft, the unit's response (8 days later), the final report (5 days
 * after that), and into rectification: from `day` days ago. */
static ag_err report(ag_store *st, const audit_actor *team, const audit_actor *unit, int64_t p,
                     int day, const char *draft_no, const char *final_no, ag_error *err)
{
    on_day(day);
    ag_err rc = audit_advance(st, team, p, NULL, err);
    if (!rc)
        rc = record(st, team, p, "draft_report", "审计报告（征求意见稿）", draft_no,
                    "现将审计报告征求意见稿送达，请于10个工作日内提出书面意见。", err);
    on_day(day - 8);
    if (!rc)
        rc = record(
            st, unit, p, "response", "关于审计报告征求意见稿的书面意见", NULL,
            "我单位对审计报告反映的问题无异议，已召开专题会议研究部署整改，将按期完成整改并报送"
            "整改报告。",
            err);
    on_day(day - 13);
    if (!rc)
        rc = record(st, team, p, "final_report", "审计报告", final_no,
                    "审计发现问题及整改要求详见附表，请在规定期限内完成整改并报送整改结果。", err);
    if (!rc)
        rc = audit_advance(st, team, p, NULL, err);
    /* issue 13 (usecase): entering 审后·整改 opens the ledger, as app_audit_advance does. */
    if (!rc)
        rc = rectify_create_for_project(st, p, NULL, err);
    return rc;
}

/* The unit reports measures, then claims completion with a file; the team
 * closes the item (close true) or leaves it awaiting verification. */
static ag_err rectified(ag_store *st, const char *dir, const char *unit_code,
                        const audit_actor *unit, const audit_actor *team, int64_t rect,
                        const int days[3], const char *measures, const char *result,
                        const char *file_name, bool close, ag_error *err)
{
    int64_t file = 0;
    char text[1024];
    snprintf(text, sizeof text, "%s\n整改措施：%s\n整改结果：%s\n", file_name, measures, result);
    on_day(days[0]);
    ag_err rc = rectify_set_measures(st, unit, rect, measures, err);
    on_day(days[1]);
    if (!rc)
        rc = text_file(st, dir, unit_code, file_name, text, &file, err);
    if (!rc)
        rc = rectify_claim(st, unit, rect, result, &file, 1, err);
    on_day(days[2]);
    if (!rc && close)
        rc = rectify_verify(st, team, rect, "close",
                            "经核查相关凭证和制度文件，整改到位，同意销号。", err);
    return rc;
}

/* An earlier special audit (previous year) of A that found cash payments
 * (F02) and saw them rectified and closed: the reason a current F02 finding
 * at A is 屡审屡犯. */
static ag_err earlier_audit(ag_store *st, const char *dir, const demo_cast *c, ag_error *err)
{
    audit_actor admin = actor(AG_ROLE_ADMIN, NULL, NULL, 0, "user:admin");
    audit_actor unit = actor(AG_ROLE_AUDITOR, c->a->code, NULL, c->auditor_a, "user:auditor");
    const char *items[] = {"F02", "F03", "K2"};
    audit_project_in in = {"NK-ZX-2025-03", "2024年度资金安全专项审计",
                           "special",       c->a->code,
                           "2024-01-01",    "2024-12-31",
                           items,           3};
    int64_t p = 0, f = 0, rect = 0;
    on_day(400);
    ag_err rc = audit_project_create(st, &admin, &in, &p, err);
    if (!rc)
        rc = audit_team_add(st, &admin, p, c->bureau[0], "lead", err);
    if (!rc)
        rc = audit_team_add(st, &admin, p, c->bureau[1], "member", err);
    if (!rc)
        rc = pre_audit(
            st, &admin, &admin, p, 398,
            "审计范围：现金与公务卡（F02）、资金支付审批（F03）、预算执行与财务收支（K2）；"
            "审计期间：2024年1月1日至12月31日。",
            "南审通〔2025〕8号", err);
    on_day(380);
    if (!rc)
        rc = finding(st, &admin, p, "F02", "以现金支付大额劳务费，超出现金使用范围",
                     "2024年6月至11月，学校以现金向校外培训机构人员支付课后服务劳务费8笔，合计"
                     "64,800.00元，单笔最高12,000.00元，未通过银行转账或公务卡结算。",
                     6480000, "《现金管理暂行条例》第五条；《中央预算单位公务卡强制结算目录》",
                     "medium", "严格执行现金管理规定，劳务费一律通过银行转账发放。", c->principal_a,
                     "immediate", &f, err);
    if (!rc)
        rc = record(st, &admin, p, "working_paper", "现金收支审计工作底稿", NULL,
                    "抽查2024年现金日记账及付款凭证，发现以现金支付劳务费8笔。", err);
    if (!rc)
        rc = report(st, &admin, &unit, p, 372, "南审征〔2025〕11号", "南审报〔2025〕15号", err);
    if (!rc)
        rc = rect_of(st, f, &rect, err);
    static const int fixed_days[3] = {352, 340, 335};
    if (!rc)
        rc = rectified(st, dir, c->a->code, &unit, &admin, rect, fixed_days,
                       "修订《现金管理办法》，劳务费改由银行代发，出纳每日核对库存现金。",
                       "已修订制度并执行，2025年1月起未再以现金支付劳务费。",
                       "2024年度专项审计整改报告.txt", true, err);
    on_day(320);
    if (!rc)
        rc = record(st, &admin, p, "followup", "整改跟踪检查记录", NULL,
                    "抽查2025年1—3月现金日记账，未发现以现金支付劳务费，整改到位。", err);
    if (!rc)
        rc = audit_advance(st, &admin, p, NULL, err);
    return rc;
}

/* The cross audit (交叉互审) of A led by B's auditor (account auditor2) with
 * C's auditor, now in rectification with one item per state. */
static ag_err cross_audit(ag_store *st, const char *dir, const demo_cast *c, ag_error *err)
{
    audit_actor admin = actor(AG_ROLE_ADMIN, NULL, NULL, 0, "user:admin");
    audit_actor sup = actor(AG_ROLE_SUPERVISOR, NULL, c->a->cell, 0, "user:supervisor");
    audit_actor lead = actor(AG_ROLE_AUDITOR, c->b->code, NULL, c->auditor_b, "user:auditor2");
    audit_actor leader = actor(AG_ROLE_LEADER, c->a->code, NULL, c->principal_a, "user:leader");
    audit_actor unit = actor(AG_ROLE_AUDITOR, c->a->code, NULL, c->auditor_a, "user:auditor");
    const char *items[] = {"F02", "F03", "F07", "K2"};
    audit_project_in in = {"NK-JCHS-2026-01",
                           "2026年试点单位资金安全交叉互审（第一组）",
                           "cross",
                           c->a->code,
                           "2025-01-01",
                           "2025-12-31",
                           items,
                           4};
    int64_t p = 0, f[4] = {0}, rect[4] = {0};
    on_day(150);
    ag_err rc = audit_project_create(st, &admin, &in, &p, err);
    if (!rc)
        rc = audit_team_add(st, &admin, p, c->auditor_b, "lead", err);
    if (!rc)
        rc = audit_team_add(st, &lead, p, c->auditor_c, "member", err);
    if (!rc)
        rc = pre_audit(st, &lead, &sup, p, 148,
                       "审计范围：现金与公务卡（F02）、资金支付审批（F03）、往来款清理（F07）、"
                       "预算执行与财务收支（K2）；审计期间：2025年1月1日至12月31日；方式：查阅账簿"
                       "凭证、盘点库存现金、核对银行对账单、询问相关人员。",
                       "南审通〔2026〕5号", err);
    on_day(120);
    if (!rc)
        rc = finding(st, &lead, p, "F02", "食堂食材采购以现金结算，超出现金使用范围",
                     "2025年3月至10月，学校食堂向个体菜商采购食材以现金结算23笔，合计186,450.00元；"
                     "库存现金日终余额多次超过核定限额5,000.00元，最高达38,200.00元。",
                     18645000, "《现金管理暂行条例》第五条、第十一条", "high",
                     "食材采购改为银行转账或公务卡结算，严格执行库存现金限额，出纳每日盘点。",
                     c->principal_a, "immediate", &f[0], err);
    if (!rc)
        rc = finding(
            st, &lead, p, "F03", "校舍维修款拆分支付，规避集体决策",
            "2025年8月，学校将教学楼屋面防水维修工程款498,000.00元拆分为两笔（256,000.00元、"
            "242,000.00元）分别审批支付，单笔均低于“三重一大”集体决策标准（30万元），"
            "未经校务会集体研究。",
            49800000, "《行政事业单位内部控制规范（试行）》第十四条、第二十九条", "high",
            "重大经济事项一律提交领导班子集体研究，完善支付审批权限，禁止拆分审批。",
            c->principal_a, "immediate", &f[1], err);
    if (!rc)
        rc = finding(st, &lead, p, "K2", "项目支出预算执行率偏低，结转资金未按规定清理",
                     "2025年度项目支出预算3,860,000.00元，实际支出2,624,000.00元，执行率68.0%；"
                     "“智慧校园”项目资金1,236,000.00元年末未形成实际支出，作为结转资金挂账。",
                     123600000, "《中华人民共和国预算法》第五十七条；审计署令第11号第十二条（二）",
                     "medium", "加快项目实施进度，按规定清理结转结余资金，完善项目预算绩效管理。",
                     c->principal_a, "phased", &f[2], err);
    if (!rc)
        rc = finding(st, &lead, p, "F07", "其他应付款长期挂账未清理",
                     "截至2025年12月31日，“其他应付款”科目挂账三年以上款项12笔，合计352,718.40元，"
                     "主要为2019—2021年收取的工程质量保证金和代收代付款项，未及时清理退付。",
                     35271840,
                     "《政府会计制度——行政事业单位会计科目和报表》“2307 其他应付款”科目使用说明",
                     "medium", "逐笔核实挂账原因，到期保证金及时退付，无法支付的款项按规定处理。",
                     0, "immediate", &f[3], err);
    on_day(112);
    if (!rc)
        rc = record(
            st, &lead, p, "working_paper", "现金收支及库存现金盘点审计工作底稿", NULL,
            "抽查2025年现金日记账及付款凭证46笔，盘点库存现金；发现以现金结算食材采购23笔。", err);
    if (!rc)
        rc = record(st, &lead, p, "working_paper", "资金支付审批及往来款审计工作底稿", NULL,
                    "核对大额支付的审批单和会议纪要；分析其他应付款账龄，列出三年以上挂账明细。",
                    err);
    if (!rc)
        rc = report(st, &lead, &leader, p, 98, "南审征〔2026〕5号", "南审报〔2026〕5号", err);
    for (int k = 0; !rc && k < 4; k++)
        rc = rect_of(st, f[k], &rect[k], err);
    /* In rectification since 85 days ago: immediate items were due 55 days
     * ago, phased ones in 95 days. 已销号: the old payables, settled in time. */
    static const int payables_days[3] = {82, 62, 60};
    static const int budget_days[3] = {75, 10, 0};
    if (!rc)
        rc = rectified(
            st, dir, c->a->code, &unit, &lead, rect[3], payables_days,
            "逐笔核实挂账原因，到期工程质量保证金退付施工单位，无法支付的款项报主管部门批准后"
            "转入其他收入。",
            "12笔挂账款项已全部清理：退付保证金9笔298,600.00元，其余3笔54,118.40元经批准"
            "转入其他收入，相关凭证附后。",
            "往来款清理整改报告.txt", true, err);
    /* 已整改, awaiting the team's verification: the carry-over funds. */
    if (!rc)
        rc = rectified(st, dir, c->a->code, &unit, &lead, rect[2], budget_days,
                       "制定“智慧校园”项目实施进度表，按月通报预算执行情况。",
                       "项目已完成招标并支付首期款，结转资金按规定清理。", "预算执行整改报告.txt",
                       false, err);
    /* 整改中: the cash payments, the repeat offence; the lead granted more
     * time for the suppliers to switch to bank transfers. */
    on_day(80);
    if (!rc)
        rc = rectify_set_measures(
            st, &unit, rect[0],
            "开通公务卡和对公转账结算，停止食堂现金采购；出纳每日盘点库存现金。", err);
    on_day(65);
    if (!rc)
        rc = rectify_progress(st, &unit, rect[0],
                              "已与3家供应商签订转账结算协议，其余供应商正在办理。", NULL, 0, err);
    on_day(60);
    char later[11];
    ag_date_format(ag_clock_today() + 80, later);
    if (!rc)
        rc = rectify_set_deadline(st, &lead, rect[0], later,
                                  "个体菜商开立对公账户需时间，经审计组研究同意延期", err);
    on_day(15);
    if (!rc)
        rc =
            rectify_progress(st, &unit, rect[0],
                             "食堂现金采购已停止，剩余2家供应商本月内完成对公结算。", NULL, 0, err);
    /* 逾期: the split payment, due 55 days ago, measures set and then
     * nothing; today's escalation notifies the leader and the supervisor. */
    on_day(78);
    if (!rc)
        rc = rectify_set_measures(
            st, &unit, rect[1],
            "召开校务会补充审议维修事项，修订《资金支付审批办法》，明确30万元以上支出须集体决策。",
            err);
    on_day(0);
    if (!rc)
        rc = rectify_escalate(st, NULL, err);
    return rc;
}

/* A self-check (自查) at D still in fieldwork: a working paper and a draft
 * finding whose legal basis is yet to be written. */
static ag_err self_check(ag_store *st, const demo_cast *c, ag_error *err)
{
    audit_actor aud = actor(AG_ROLE_AUDITOR, c->d->code, NULL, c->auditor_d, "user:admin");
    audit_actor leader = actor(AG_ROLE_LEADER, c->d->code, NULL, c->principal_d, "user:admin");
    char name_a[64] = "demo", name_l[64] = "demo";
    const char *items[] = {"F01", "F04", "F06"};
    audit_project_in in = {"NK-ZC-2026-02", "2026年度资金安全自查（银行账户与岗位分离）",
                           "self_check",    c->d->code,
                           "2025-01-01",    "2025-12-31",
                           items,           3};
    int64_t p = 0;
    ag_stmt *s = NULL;
    bool row = false;
    /* Without accounts of their own, the unit's people act under their names. */
    ag_err rc = store_prepare_args(st, &s, err, "SELECT id, name FROM person WHERE id IN (?, ?)",
                                   "ii", c->auditor_d, c->principal_d);
    while (!rc && !(rc = store_step(s, &row, err)) && row)
        snprintf(store_col_int(s, 0) == c->auditor_d ? name_a : name_l, 64, "person:%s",
                 store_col_text(s, 1));
    store_finalize(s);
    aud.name = name_a;
    leader.name = name_l;
    on_day(40);
    if (!rc)
        rc = audit_project_create(st, &aud, &in, &p, err);
    if (!rc)
        rc = audit_team_add(st, &aud, p, c->auditor_d, "lead", err);
    if (!rc)
        rc = pre_audit(
            st, &aud, &leader, p, 40,
            "自查范围：银行账户管理（F01）、不相容岗位分离（F04）、银行对账与账实相符（F06）。",
            NULL, err);
    on_day(20);
    if (!rc)
        rc = record(st, &aud, p, "working_paper", "银行账户及财务岗位设置自查底稿", NULL,
                    "核对开户许可及备案资料5户；检查财务室岗位分工和近三个月银行存款余额调节表。",
                    err);
    on_day(18);
    if (!rc)
        rc = finding(st, &aud, p, "F04", "出纳兼任稽核并登记银行存款日记账",
                     "财务室出纳人员同时承担凭证稽核和银行存款日记账登记工作，不相容岗位未分离。",
                     0, NULL, "medium", "调整岗位分工，出纳不得兼管稽核和账目登记。", 0,
                     "immediate", NULL, err);
    return rc;
}

static ag_err build_workflow(ag_store *st, const char *dir, const demo_cast *c, ag_error *err)
{
    ag_err rc = earlier_audit(st, dir, c, err);
    if (!rc)
        rc = cross_audit(st, dir, c, err);
    if (!rc)
        rc = self_check(st, c, err);
    on_day(0); /* also after a failure: the clock is this thread's again */
    return rc;
}

static ag_err build(ag_store *st, ag_rng *r, const char *dir, demo_summary *sum, demo_account *acc,
                    size_t max, ag_error *err)
{
    ag_err rc = grid_district_init(st, DIVISION, "天津市南开区", err);
    if (!rc)
        rc = catalog_install_default(st, &sum->catalog_version, err);
    char id[16], name[160];
    for (int d = 0; !rc && d < 22; d++) {
        snprintf(id, sizeof id, "D%02d", d + 1);
        snprintf(name, sizeof name, "区%s", DEPTS[d]);
        grid_cell_in c = {id, d == 21 ? "soe" : "dept", d == 21 ? "区国资委" : name, 30, d + 1};
        rc = grid_cell_add(st, &c, err);
        sum->cells += !rc;
    }
    for (int s = 0; !rc && s < 12; s++) {
        snprintf(id, sizeof id, "S%02d", s + 1);
        snprintf(name, sizeof name, "%s街道", STREETS[s]);
        grid_cell_in c = {id, "street", name, 30, 23 + s};
        rc = grid_cell_add(st, &c, err);
        sum->cells += !rc;
    }
    /* Grid liaisons from the audit bureau, each looking after a few cells. */
    int64_t liaison[12] = {0};
    for (int i = 0; !rc && i < 12; i++)
        rc = add_person(st, r, NULL, "区审计局网格指导员", NULL, &liaison[i], sum, err);
    for (int cidx = 0; !rc && cidx < 34; cidx++) {
        if (cidx < 22)
            snprintf(id, sizeof id, "D%02d", cidx + 1);
        else
            snprintf(id, sizeof id, "S%02d", cidx - 21);
        rc = grid_liaison_add(st, id, liaison[cidx % 12], err);
    }

    static unit_spec units[MAX_UNITS];
    int n = 0;
    plan_units(r, units, &n);
    pick_pilots(r, units, n);
    for (int i = 0; !rc && i < n; i++) {
        grid_unit_in u = {units[i].code,
                          units[i].name,
                          units[i].type,
                          units[i].cell,
                          units[i].parent >= 0 ? units[units[i].parent].code : NULL,
                          units[i].pilot != 0,
                          NULL};
        rc = grid_unit_add(st, &u, err);
        sum->units += !rc;
        sum->pilot_units += !rc && units[i].pilot;
    }
    /* Two responsible subjects: a principal leader everywhere; 1-3 internal
     * auditors in each pilot unit and one in a third of the others (the
     * rest get one at the end, see below); a chief
     * auditor at each SOE group head. */
    static int64_t principal[MAX_UNITS], auditor[MAX_UNITS], chief[MAX_UNITS];
    for (int i = 0; !rc && i < n; i++) {
        int64_t pid;
        rc = add_person(st, r, units[i].code, principal_title(units[i].type), "principal",
                        &principal[i], sum, err);
        int auditors = units[i].pilot ? 1 + (int)ag_rng_below(r, 3) : ag_rng_chance(r, 0.33);
        auditor[i] = 0;
        for (int k = 0; !rc && k < auditors; k++) {
            rc = add_person(st, r, units[i].code, k == 0 ? "内审负责人" : "内审专员", "auditor",
                            &pid, sum, err);
            if (k == 0)
                auditor[i] = pid;
        }
        bool group_head = !strcmp(units[i].type, "国企") && units[i].parent < 0;
        bool has_children = false;
        for (int j = 0; group_head && j < n; j++)
            has_children |= units[j].parent == i;
        chief[i] = 0;
        if (!rc && group_head && has_children)
            rc = add_person(st, r, units[i].code, "总审计师", "chief_auditor", &chief[i], sum, err);
    }
    /* One account per role, scoped to real places in the grid, linked to
     * the person behind it where there is one; and a second internal
     * auditor, of another pilot unit, who leads the cross audit. The units
     * of the audits are the first pilot units of their types. */
    int school = -1, soe_head = -1, hospital = -1, street = -1, inst = -1;
    for (int i = 0; i < n; i++) {
        if (school < 0 && units[i].pilot && !strcmp(units[i].type, "学校"))
            school = i;
        if (hospital < 0 && units[i].pilot && !strcmp(units[i].type, "医院"))
            hospital = i;
        if (street < 0 && units[i].pilot && !strcmp(units[i].type, "街道"))
            street = i;
        if (inst < 0 && units[i].pilot && !strcmp(units[i].type, "事业"))
            inst = i;
        if (soe_head < 0 && !strcmp(units[i].type, "国企") && units[i].parent < 0 && i + 1 < n &&
            units[i + 1].parent == i)
            soe_head = i;
    }
    char scope[200];
    if (!rc)
        rc = add_account(st, "admin", "admin", NULL, NULL, 0, "审计局管理员", "全区 whole district",
                         acc, max, sum, err);
    if (!rc)
        rc = add_account(st, "reviewer", "reviewer", NULL, NULL, 0, "区委审计办审阅员",
                         "全区（只读）whole district, read-only", acc, max, sum, err);
    if (!rc)
        rc = add_account(st, "liaison", "liaison", NULL, "S01", 0, "网格指导员",
                         "S01 长虹街道网格 cell S01", acc, max, sum, err);
    if (!rc)
        rc = add_account(st, "supervisor", "supervisor", NULL, "D01", 0, "区教育局审计科",
                         "D01 区教育局所属单位 units under D01", acc, max, sum, err);
    if (!rc && school >= 0) {
        snprintf(scope, sizeof scope, "%s %s", units[school].code, units[school].name);
        rc = add_account(st, "leader", "leader", units[school].code, NULL, principal[school],
                         "学校负责人", scope, acc, max, sum, err);
        if (!rc)
            rc = add_account(st, "auditor", "auditor", units[school].code, NULL, auditor[school],
                             "学校内审人员", scope, acc, max, sum, err);
    }
    if (!rc && soe_head >= 0) {
        snprintf(scope, sizeof scope, "%s %s", units[soe_head].code, units[soe_head].name);
        rc = add_account(st, "chief", "chief_auditor", units[soe_head].code, NULL, chief[soe_head],
                         "国企总审计师", scope, acc, max, sum, err);
    }
    if (!rc && school >= 0 && hospital >= 0 && street >= 0 && inst >= 0) {
        char lead_scope[400];
        snprintf(lead_scope, sizeof lead_scope, "%s %s；交叉互审组长 cross-audit lead",
                 units[hospital].code, units[hospital].name);
        rc = add_account(st, "auditor2", "auditor", units[hospital].code, NULL, auditor[hospital],
                         "交叉互审组长", lead_scope, acc, max, sum, err);
        demo_cast c = {&units[school],    &units[hospital],        &units[street],
                       &units[inst],      principal[school],       auditor[school],
                       auditor[hospital], auditor[street],         principal[inst],
                       auditor[inst],     {liaison[0], liaison[1]}};
        if (!rc)
            rc = build_workflow(st, dir, &c, err);
    }
    /* Every unit has an internal auditor (内审人员), so no unit page shows 无: the units the
     * draw above left without one get theirs last, so that every earlier draw (names, the
     * workflow's cast) is the same as before. */
    for (int i = 0; !rc && i < n; i++) {
        int64_t pid;
        if (!auditor[i])
            rc = add_person(st, r, units[i].code, "内审负责人", "auditor", &pid, sum, err);
    }
    char today[11];
    ag_date_format(ag_clock_today(), today);
    if (!rc)
        rc = store_query_int(st, &sum->audits, err, "SELECT COUNT(*) FROM audit_project", NULL);
    if (!rc)
        rc = store_query_int(st, &sum->rectifications, err, "SELECT COUNT(*) FROM rectification",
                             NULL);
    if (!rc)
        rc = store_query_int(st, &sum->overdue, err,
                             "SELECT COUNT(*) FROM rectification WHERE deadline < ?"
                             " AND state IN ('open', 'in_progress')",
                             today, NULL);
    return rc;
}

ag_err demo_build(ag_store *st, uint64_t seed, const char *files_dir, demo_summary *sum,
                  demo_account *accounts, size_t max_accounts, ag_error *err)
{
    memset(sum, 0, sizeof *sum);
    ag_rng r;
    ag_rng_seed(&r, seed);
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = build(st, &r, files_dir, sum, accounts, max_accounts, err);
    return store_end(st, rc, err);
}
