/* demo.c - builds the demo district: cells, units, people and accounts of a Nankai-like district.
 */
#include "domain/demo.h"

#include <stdio.h>
#include <string.h>

#include "domain/catalog.h"
#include "domain/grid.h"
#include "domain/user.h"
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
                          const char *cell, const char *display, const char *scope,
                          demo_account *acc, size_t max, demo_summary *sum, ag_error *err)
{
    user_in u = {username, role, unit, cell, display, DEMO_PASSWORD, 0};
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

static ag_err build(ag_store *st, ag_rng *r, demo_summary *sum, demo_account *acc, size_t max,
                    ag_error *err)
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
     * auditors in each pilot unit and one in a third of the others; a chief
     * auditor at each SOE group head. */
    for (int i = 0; !rc && i < n; i++) {
        int64_t pid;
        rc = add_person(st, r, units[i].code, principal_title(units[i].type), "principal", &pid,
                        sum, err);
        int auditors = units[i].pilot ? 1 + (int)ag_rng_below(r, 3) : ag_rng_chance(r, 0.33);
        for (int k = 0; !rc && k < auditors; k++)
            rc = add_person(st, r, units[i].code, k == 0 ? "内审负责人" : "内审专员", "auditor",
                            &pid, sum, err);
        bool group_head = !strcmp(units[i].type, "国企") && units[i].parent < 0;
        bool has_children = false;
        for (int j = 0; group_head && j < n; j++)
            has_children |= units[j].parent == i;
        if (!rc && group_head && has_children)
            rc = add_person(st, r, units[i].code, "总审计师", "chief_auditor", &pid, sum, err);
    }
    /* One account per role, scoped to real places in the grid. */
    int school = -1, soe_head = -1;
    for (int i = 0; i < n; i++) {
        if (school < 0 && units[i].pilot && !strcmp(units[i].type, "学校"))
            school = i;
        if (soe_head < 0 && !strcmp(units[i].type, "国企") && units[i].parent < 0 && i + 1 < n &&
            units[i + 1].parent == i)
            soe_head = i;
    }
    char scope[200];
    if (!rc)
        rc = add_account(st, "admin", "admin", NULL, NULL, "审计局管理员", "全区 whole district",
                         acc, max, sum, err);
    if (!rc)
        rc = add_account(st, "reviewer", "reviewer", NULL, NULL, "区委审计办审阅员",
                         "全区（只读）whole district, read-only", acc, max, sum, err);
    if (!rc)
        rc = add_account(st, "liaison", "liaison", NULL, "S01", "网格指导员",
                         "S01 长虹街道网格 cell S01", acc, max, sum, err);
    if (!rc)
        rc = add_account(st, "supervisor", "supervisor", NULL, "D01", "区教育局审计科",
                         "D01 区教育局所属单位 units under D01", acc, max, sum, err);
    if (!rc && school >= 0) {
        snprintf(scope, sizeof scope, "%s %s", units[school].code, units[school].name);
        rc = add_account(st, "leader", "leader", units[school].code, NULL, "学校负责人", scope, acc,
                         max, sum, err);
        if (!rc)
            rc = add_account(st, "auditor", "auditor", units[school].code, NULL, "学校内审人员",
                             scope, acc, max, sum, err);
    }
    if (!rc && soe_head >= 0) {
        snprintf(scope, sizeof scope, "%s %s", units[soe_head].code, units[soe_head].name);
        rc = add_account(st, "chief", "chief_auditor", units[soe_head].code, NULL, "国企总审计师",
                         scope, acc, max, sum, err);
    }
    return rc;
}

ag_err demo_build(ag_store *st, uint64_t seed, demo_summary *sum, demo_account *accounts,
                  size_t max_accounts, ag_error *err)
{
    memset(sum, 0, sizeof *sum);
    ag_rng r;
    ag_rng_seed(&r, seed);
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = build(st, &r, sum, accounts, max_accounts, err);
    if (rc) {
        store_rollback(st);
        return rc;
    }
    return store_commit(st, err);
}
