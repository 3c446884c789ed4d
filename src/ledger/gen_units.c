/* gen_units.c - synthetic units of the demo district (南开区) with valid credit codes. */
#include "ledger/gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/rng.h"
#include "util/uscc.h"
#include "util/banned.h"

#define NAME_MAX_BYTES 128
#define CODE_BYTES     19

static const char *const ADMIN[] = {
    "教育局",           "人力资源和社会保障局",
    "卫生健康委员会",   "城市管理委员会",
    "文化和旅游局",     "发展和改革委员会",
    "民政局",           "司法局",
    "住房和建设委员会", "商务局",
    "科学技术局",       "市场监督管理局",
    "统计局",           "应急管理局",
    "退役军人事务局",   "生态环境局",
    "体育局",           "水务局",
};
static const char *const STREETS[] = {"长虹",   "鼓楼",   "兴南",   "广开",     "万兴",     "学府",
                                      "向阳路", "嘉陵道", "王顶堤", "水上公园", "体育中心", "华苑"};
static const char *const INST[] = {
    "疾病预防控制中心", "图书馆",       "文化馆",         "公共就业服务中心",
    "市容环境管理中心", "人才服务中心", "体育运动学校",   "妇幼保健计划生育服务中心",
    "职业技能培训中心", "档案馆",       "房屋安全鉴定站", "老年活动中心",
};
static const char *const ENT[] = {
    "城市建设投资集团有限公司", "国有资产经营有限公司", "城市更新发展有限公司",
    "物业管理有限公司",         "文化旅游发展有限公司", "科技园发展有限公司",
    "建设工程有限公司",         "停车管理有限公司",     "公用事业发展有限公司",
};
/* 9 administrative, 7 institutional and 4 enterprise units in every 20. */
static const char PATTERN[] = "AIEAIAIEAIAIAEIAIAAE";

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void unit_name(char *out, size_t n, char kind, size_t rank)
{
    if (kind == 'A') {
        size_t all = COUNT(ADMIN) + COUNT(STREETS);
        size_t r = rank % all, round = rank / all;
        char tail[40] = "";
        if (round)
            snprintf(tail, sizeof tail, "（%zu）", round + 1);
        if (r < COUNT(ADMIN))
            snprintf(out, n, "天津市南开区%s%s", ADMIN[r], tail);
        else
            snprintf(out, n, "天津市南开区%s街道办事处%s", STREETS[r - COUNT(ADMIN)], tail);
    } else if (kind == 'I') {
        /* Schools after the named institutions: numbers never run out. */
        if (rank < COUNT(INST)) {
            snprintf(out, n, "天津市南开区%s", INST[rank]);
        } else {
            size_t k = rank - COUNT(INST);
            static const char *const school[] = {"中学", "小学", "幼儿园"};
            snprintf(out, n, "天津市南开区第%zu%s", k / 3 + 1, school[k % 3]);
        }
    } else {
        size_t r = rank % COUNT(ENT), round = rank / COUNT(ENT);
        if (round)
            snprintf(out, n, "天津南开%s第%zu分公司", ENT[r], round);
        else
            snprintf(out, n, "天津市南开区%s", ENT[r]);
    }
}

static ag_err make_code(char kind, size_t i, uint64_t base, char out[CODE_BYTES], ag_error *err)
{
    char org[10];
    if (kind == 'E')
        snprintf(org, sizeof org, "MA0%05llu", (unsigned long long)((base + i) % 100000u));
    else
        snprintf(org, sizeof org, "0%07llu", (unsigned long long)((base + i) % 10000000u));
    org[8] = uscc_orgcode_check_char(org);
    org[9] = '\0';
    const char *head = kind == 'A' ? "11" : kind == 'I' ? "12" : "91";
    snprintf(out, CODE_BYTES, "%s120104%s", head, org);
    out[17] = uscc_check_char(out);
    out[18] = '\0';
    return uscc_validate(out, "ledger_gen_make_units", err);
}

ag_err ledger_gen_make_units(size_t n, uint64_t seed, ag_gen_unit **out, ag_error *err)
{
    *out = NULL;
    if (n == 0 || n > AG_GEN_MAX_UNITS)
        return ag_fail(err, AG_ERR_USAGE, "units", "单位数量应在1到%d之间",
                       "the number of units must be 1..%d", AG_GEN_MAX_UNITS);
    size_t each = sizeof(ag_gen_unit) + CODE_BYTES + NAME_MAX_BYTES;
    unsigned char *block = calloc(n, each);
    if (!block)
        return ag_fail(err, AG_ERR_NOMEM, "units", "内存不足", "out of memory");
    ag_gen_unit *units = (ag_gen_unit *)(void *)block;
    char *codes = (char *)block + n * sizeof(ag_gen_unit);
    char *names = codes + n * CODE_BYTES;
    ag_rng r;
    ag_rng_seed(&r, seed ^ 0x5EEDu);
    uint64_t base_gov = ag_rng_below(&r, 9000000), base_ent = ag_rng_below(&r, 90000);
    size_t rank[3] = {0, 0, 0};
    /* Units of the same kind keep their order of the district list, but a
     * seed shifts which names come first. */
    size_t shift[3] = {(size_t)ag_rng_below(&r, COUNT(ADMIN)), 0,
                       (size_t)ag_rng_below(&r, COUNT(ENT))};
    for (size_t i = 0; i < n; i++) {
        char kind = PATTERN[i % (sizeof PATTERN - 1)];
        int ki = kind == 'A' ? 0 : kind == 'I' ? 1 : 2;
        char *code = codes + i * CODE_BYTES;
        char *name = names + i * NAME_MAX_BYTES;
        ag_err rc = make_code(kind, i, kind == 'E' ? base_ent : base_gov, code, err);
        if (rc) {
            free(block);
            return rc;
        }
        unit_name(name, NAME_MAX_BYTES, kind, rank[ki]++ + shift[ki]);
        units[i].code = code;
        units[i].name = name;
        units[i].chart = kind == 'E' ? AG_CHART_ENTERPRISE : AG_CHART_GOV2019;
        units[i].admin = kind == 'A';
    }
    *out = units;
    return AG_OK;
}

void ledger_gen_free_units(ag_gen_unit *units)
{
    free(units);
}
