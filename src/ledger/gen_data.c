/* gen_data.c - the generator's Chinese vocabulary: expense kinds, sectors, names. */
#include "ledger/gen_int.h"

#include <string.h>

#include "util/banned.h"

/* Ordinary expenses of gov2019 units, by 部门预算支出经济分类 (302xx). Amount
 * ranges are whole decades so that each kind is Benford-distributed. */
const gen_exp gen_gov_exp[] = {
    {"30201", "办公费", NULL, NULL, CAT_OFFICE, 2, 3, 50, 14, "购买办公用品", "采购办公耗材"},
    {"30202", "印刷费", NULL, NULL, CAT_PRINT, 2, 3, 0, 5, "印刷宣传资料", "印制工作手册"},
    {"30209", "物业管理费", NULL, NULL, CAT_PROPERTY, 4, 5, 0, 5, "支付#月物业管理费",
     "支付办公楼物业服务费"},
    {"30211", "差旅费", NULL, NULL, CAT_TRAVEL, 2, 3, 90, 10, "报销差旅费", "支付出差住宿及交通费"},
    {"30213", "维修（护）费", NULL, NULL, CAT_REPAIR, 3, 5, 10, 6, "办公楼维修", "办公设备维护"},
    {"30214", "租赁费", NULL, NULL, CAT_PROPERTY, 4, 5, 0, 2, "支付场地租赁费", "支付档案库房租金"},
    {"30215", "会议费", NULL, NULL, CAT_HOTEL, 3, 4, 40, 3, "召开工作会议", "支付会议场地费"},
    {"30216", "培训费", NULL, NULL, CAT_TRAINING, 3, 4, 20, 4, "举办业务培训班", "支付干部培训费"},
    {"30217", "公务接待费", NULL, NULL, CAT_CATERING, 2, 3, 80, 2, "公务接待用餐",
     "接待考察调研人员"},
    {"30226", "劳务费", NULL, NULL, CAT_LABOUR, 3, 5, 0, 4, "支付劳务派遣服务费",
     "支付#月外包服务人员劳务费"},
    {"30227", "委托业务费", NULL, NULL, CAT_CONSULT, 4, 5, 0, 5, "委托第三方专项审计",
     "支付政府购买服务费"},
    {"30227", "委托业务费", NULL, NULL, CAT_IT, 4, 5, 0, 4, "支付信息系统运维服务费",
     "支付\"智慧政务\"平台服务费"},
    {"30231", "公务用车运行维护费", NULL, NULL, CAT_AUTO, 2, 3, 50, 4, "公务用车加油",
     "公务用车维修保养"},
    {"30239", "其他交通费用", NULL, NULL, CAT_TRAVEL, 1, 2, 60, 2, "市内交通费",
     "报销公务出行交通费"},
    {"30299", "其他商品和服务支出", NULL, NULL, CAT_TRADE, 2, 4, 10, 4, "购买劳保用品",
     "支付其他商品和服务费,含运费"},
    /* utilities: scheduled monthly, never drawn at random */
    {"30205", "水费", NULL, NULL, CAT_TRADE, 3, 3, 0, 0, "缴纳#月水费", "缴纳#月水费"},
    {"30206", "电费", NULL, NULL, CAT_TRADE, 3, 4, 0, 0, "缴纳#月电费", "缴纳#月电费"},
    {"30207", "邮电费", NULL, NULL, CAT_TRADE, 2, 3, 0, 0, "缴纳#月电话及宽带费", "缴纳#月通信费"},
};
const size_t gen_gov_exp_n = sizeof gen_gov_exp / sizeof gen_gov_exp[0];

/* Ordinary expenses of enterprises, by sub-account of 6601/6602. */
const gen_exp gen_ent_exp[] = {
    {NULL, NULL, "660202", "管理费用-办公费", CAT_OFFICE, 2, 3, 0, 12, "购买办公用品",
     "采购办公耗材"},
    {NULL, NULL, "660203", "管理费用-差旅费", CAT_TRAVEL, 2, 3, 0, 8, "报销差旅费",
     "支付出差住宿费"},
    {NULL, NULL, "660204", "管理费用-业务招待费", CAT_CATERING, 2, 3, 0, 3, "业务招待",
     "接待客户用餐"},
    {NULL, NULL, "660206", "管理费用-物业管理费", CAT_PROPERTY, 4, 5, 0, 4, "支付#月物业管理费",
     "支付办公区物业服务费"},
    {NULL, NULL, "660207", "管理费用-中介机构费", CAT_CONSULT, 4, 5, 0, 4, "支付年度审计费",
     "支付常年法律顾问费"},
    {NULL, NULL, "660208", "管理费用-修理费", CAT_REPAIR, 3, 4, 0, 5, "办公楼维修", "设备维修保养"},
    {NULL, NULL, "660209", "管理费用-车辆使用费", CAT_AUTO, 2, 3, 0, 4, "车辆加油",
     "车辆保险及维修"},
    {NULL, NULL, "660210", "管理费用-信息化费用", CAT_IT, 3, 5, 0, 3, "支付软件服务费",
     "支付\"智慧园区\"系统运维费"},
    {NULL, NULL, "660102", "销售费用-广告宣传费", CAT_PRINT, 3, 4, 0, 4, "制作宣传物料",
     "支付广告投放费"},
    {NULL, NULL, "660103", "销售费用-运输费", CAT_TRADE, 2, 4, 0, 4, "支付运输费",
     "支付物流配送费,含装卸"},
    {NULL, NULL, "660104", "销售费用-劳务费", CAT_LABOUR, 3, 5, 0, 3, "支付劳务外包费",
     "支付#月项目用工劳务费"},
    /* utilities: scheduled monthly, never drawn at random */
    {NULL, NULL, "660211", "管理费用-水电费", CAT_TRADE, 3, 4, 0, 0, "缴纳#月水电费",
     "缴纳#月水电费"},
    {NULL, NULL, "660212", "管理费用-通讯费", CAT_TRADE, 2, 3, 0, 0, "缴纳#月通讯费",
     "缴纳#月通讯费"},
};
const size_t gen_ent_exp_n = sizeof gen_ent_exp / sizeof gen_ent_exp[0];

const char *const gen_surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高",
    "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧",
    "程", "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾",
    "丁", "魏", "薛", "叶", "阎", "余", "潘", "杜", "戴", "夏", "钟", "汪", "田", "任", "姜",
    "范", "方", "石", "姚", "谭", "廖", "邹", "熊", "金", "陆", "郝", "孔", "白", "崔", "康",
    "毛", "邱", "秦", "江", "史", "顾", "侯", "邵", "孟", "龙", "万", "段", "雷", "钱", "汤",
};
const size_t gen_surnames_n = sizeof gen_surnames / sizeof gen_surnames[0];

/* Given names of staff and of outside persons are disjoint, so that a clean
 * payment to a person never names someone on a staff list. */
const char *const gen_staff_given[] = {
    "建华", "丽",   "伟",   "敏",   "静",   "秀英", "军",   "磊",   "洋",   "勇",   "艳",   "杰",
    "娟",   "涛",   "明",   "超",   "秀兰", "霞",   "平",   "刚",   "桂英", "志强", "晓燕", "海燕",
    "文博", "子涵", "浩然", "雨萱", "思远", "佳怡", "宇航", "欣怡", "俊杰", "梦琪", "一鸣", "诗涵",
    "天宇", "雅琴", "志刚", "春梅", "玉兰", "红霞", "国庆", "建国", "卫东", "立新", "淑珍", "凤英",
    "金凤", "振华", "德明", "海涛", "晓东", "晓梅", "丹",   "宁",   "颖",   "鹏",   "飞",   "斌",
    "琳",   "健",   "婷",   "博",   "萍",   "雪",   "慧",   "倩",   "帆",   "凯",   "琦",   "楠",
    "悦",   "璐",   "阳",   "昊",   "晨",   "嘉怡", "子轩", "梓萱",
};
const size_t gen_staff_given_n = sizeof gen_staff_given / sizeof gen_staff_given[0];

const char *const gen_person_given[] = {
    "守仁", "鹤年", "墨林", "砚秋", "庭芳", "景行", "乐天", "怀瑾", "慕白", "若谷",
    "知远", "思齐", "致和", "云舒", "松涛", "竹青", "宏亮", "树林", "保国", "福生",
    "桂芝", "素芳", "庆丰", "永福", "士杰", "连生", "德胜", "玉珍", "凤兰", "长林",
    "洪涛", "金山", "银凤", "学文", "占元", "广田", "秋菊", "春生", "满仓", "润生",
};
const size_t gen_person_given_n = sizeof gen_person_given / sizeof gen_person_given[0];

/* Function classifications (政府收支分类科目, 7 digits) per sector; the
 * first sector is the default. */
const gen_sector gen_sectors[] = {
    {{NULL},
     "2010301",
     "2010302",
     "2010350",
     {"信息化运维项目", "办公楼维修改造项目", "政府购买服务项目", "业务培训项目",
      "档案数字化项目"}},
    {{"教育", "学校", "小学", "中学", "幼儿园", NULL},
     "2050101",
     "2050102",
     "2050202",
     {"校舍维修项目", "教学设备购置项目", "智慧校园建设项目", "教师培训项目", "课后服务项目"}},
    {{"人力", "社会保障", "就业", "人才", NULL},
     "2080101",
     "2080102",
     "2080150",
     {"就业见习补贴项目", "职业技能培训项目", "人才服务项目", "社保经办信息化项目",
      "劳动监察专项"}},
    {{"卫生", "医院", "疾病", "疾控", "健康", NULL},
     "2100101",
     "2100102",
     "2100301",
     {"基本公共卫生服务项目", "医疗设备购置项目", "家庭医生签约服务项目", "健康教育项目",
      "应急物资储备项目"}},
    {{"城市管理", "市容", "环境", "住房", "建设", NULL},
     "2120101",
     "2120102",
     "2120501",
     {"环境卫生保洁项目", "老旧小区改造项目", "市容整治项目", "垃圾分类项目", "道路维修养护项目"}},
    {{"文化", "旅游", "体育", "图书", NULL},
     "2070101",
     "2070102",
     "2070109",
     {"公共文化服务项目", "全民健身项目", "图书采购项目", "非遗保护项目", "文化活动项目"}},
};
const size_t gen_sectors_n = sizeof gen_sectors / sizeof gen_sectors[0];

static const char *const cores[] = {
    "鑫泰", "华正", "恒通", "瑞丰", "博远", "宏达", "金鼎", "润和", "嘉禾", "永信", "盛世", "中天",
    "海纳", "德信", "汇通", "立达", "正元", "天成", "百川", "广源", "宝利", "华盛", "兴业", "东方",
    "金桥", "信诚", "万和", "长城", "和润", "安泰", "新华", "同创", "卓越", "启明", "明德", "泰和",
    "鸿运", "聚源", "宏图", "凯达", "祥瑞", "联创", "星辰", "海河", "津门", "北辰", "渤海", "华北",
    "蓝天", "绿源", "金诚", "弘毅", "致远", "思创", "云图", "数港", "智联", "精工", "鼎盛", "元亨",
    "利通", "佳诚", "友邦", "富达", "腾飞", "天宇", "晨光", "瀚海", "君安", "世纪", "恒信", "诚达",
    "国泰", "志诚", "顺达", "新元", "润泽", "昊天", "景程", "华瑞", "兆丰", "通达", "康华", "亿通",
    "美达", "天诚", "合众", "普惠", "正信", "光华", "泰丰", "远航", "银河", "骏马", "长青", "荣盛",
    "万通", "金泰", "宏远", "中博",
};
#define NCORES (sizeof cores / sizeof cores[0])

static const char *const prefixes[] = {"天津", "天津市",   "天津南开", "北京",
                                       "河北", "天津滨海", "山东",     "天津津南"};
#define NPREFIX (sizeof prefixes / sizeof prefixes[0])

/* Trade words per category; every word belongs to one category only, so
 * that the reserved (planted) payees never share a name with clean ones. */
static const char *const words[GEN_NCAT][3] = {
    [CAT_OFFICE] = {"办公用品", "文化用品", "文具"},
    [CAT_PRINT] = {"印务", "广告", "文化传媒"},
    [CAT_PROPERTY] = {"物业管理", "物业服务", "房地产经营"},
    [CAT_TRAVEL] = {"酒店管理", "商务酒店", "国际旅行社"},
    [CAT_HOTEL] = {"会议服务", "宾馆", "会展"},
    [CAT_REPAIR] = {"装饰工程", "机电设备维修", "建筑修缮"},
    [CAT_TRAINING] = {"教育咨询", "职业培训", "人才发展"},
    [CAT_CATERING] = {"餐饮管理", "餐饮服务", "饭店"},
    [CAT_LABOUR] = {"人力资源服务", "劳务服务", "保安服务"},
    [CAT_CONSULT] = {"管理咨询", "工程咨询", "税务师事务所"},
    [CAT_IT] = {"信息技术", "软件", "网络科技"},
    [CAT_AUTO] = {"汽车服务", "汽车维修", "石油销售"},
    [CAT_EQUIP] = {"电子设备", "办公设备", "家具"},
    [CAT_BUILD] = {"建设工程", "市政工程", "建筑工程"},
    [CAT_TRADE] = {"商贸", "贸易", "物流"},
    [CAT_CUSTOMER] = {"置业", "实业", "投资管理"},
    [CAT_PERSON] = {NULL, NULL, NULL},
    [CAT_PLANT] = {"工贸", "物资", "经贸"},
};

size_t gen_company_capacity(int cat)
{
    if (cat == CAT_PERSON)
        return gen_surnames_n * gen_person_given_n;
    return NCORES * NPREFIX * 3;
}

static void cat2(char *out, size_t n, const char *a, const char *b, const char *c, const char *d)
{
    snprintf(out, n, "%s%s%s%s", a, b, c, d);
}

void gen_company_name(int cat, size_t i, unsigned salt, char *out, size_t n)
{
    if (cat == CAT_PERSON) {
        size_t s = (i + salt) % gen_surnames_n;
        size_t g = (i / gen_surnames_n + salt / 3) % gen_person_given_n;
        cat2(out, n, gen_surnames[s], gen_person_given[g], "", "");
        return;
    }
    size_t c = (i + salt) % NCORES;
    size_t rest = i / NCORES;
    size_t p = (rest + salt / 7) % NPREFIX;
    size_t w = (rest / NPREFIX) % 3;
    const char *suffix = (i % 7 == 3) ? "有限责任公司" : "有限公司";
    if (cat == CAT_CONSULT && w == 2)
        suffix = "有限公司";
    cat2(out, n, prefixes[p], cores[c], words[cat][w], suffix);
}
