/* report_fixture.h - a content document (auditgrid-report/1) built by hand for the report export
 * tests: every block type, several sections, text for three pages or more, and the characters
 * that need escaping. Include after <cmocka.h>. */
#ifndef AG_TEST_REPORT_FIXTURE_H
#define AG_TEST_REPORT_FIXTURE_H

#include <jansson.h>
#include <stdio.h>

static inline json_t *rf_p(const char *text)
{
    return json_pack("{s:s,s:s}", "type", "p", "text", text);
}

static inline json_t *rf_h(const char *type, const char *text)
{
    return json_pack("{s:s,s:s}", "type", type, "text", text);
}

/* A body paragraph long enough for several lines of 28 characters. */
#define RF_LONG                                                                                                                                  \
    "经审计，该单位能够贯彻执行国家财经法规，建立健全内部控制制度，会计核算基本规范，"                   \
    "财务收支总体真实、合法，资产管理较为有序，但在预算执行、政府采购和专项资金管理等方面仍存在一" \
    "些"                                                                                                                                        \
    "薄弱环节，需要进一步加强管理、完善制度、落实责任，切实提高资金使用效益和管理水平。"

static inline json_t *rf_doc(void)
{
    json_t *sections = json_array();

    json_t *basics = json_array();
    json_array_append_new(
        basics,
        json_pack("{s:s,s:{s:s,s:i,s:s},s:s,s:[{s:s,s:s,s:s},{s:s,s:s,s:s},{s:s,s:s,"
                  "s:s},{s:s,s:s,s:n}]}",
                  "type", "item", "ref", "kind", "unit", "id", 7, "code", "12120104MB1OL2O442",
                  "title", "第五幼儿园", "fields", "key", "name", "label", "单位名称", "text",
                  "第五幼儿园", "key", "code", "label", "统一社会信用代码", "text",
                  "12120104MB1OL2O442", "key", "funds", "label", "资金规模", "text",
                  "年度支出 12,345,678.90 元", "key", "leader", "label", "单位负责人", "text"));
    json_array_append_new(basics, rf_p(RF_LONG "\n" RF_LONG));
    json_array_append_new(sections,
                          json_pack("{s:s,s:s,s:b,s:o}", "key", "basics", "heading",
                                    "被审计单位基本情况", "required", 1, "blocks", basics));

    json_t *scope = json_array();
    json_array_append_new(scope, rf_h("h2", "审计范围"));
    json_array_append_new(
        scope, rf_p("本次审计范围为 2025 年 1 月 1 日至 2025 年 12 月 31 日的财务收支。"));
    json_array_append_new(scope, rf_h("h3", "重点内容"));
    json_array_append_new(scope, rf_p(RF_LONG));
    json_array_append_new(scope, rf_h("h3", "审计依据"));
    json_array_append_new(scope, rf_p("依据《中华人民共和国审计法》和 A&B <内审> \"规定\"。"));
    json_array_append_new(scope, rf_h("h2", "审计方法"));
    json_array_append_new(scope, rf_h("h3", "抽样与检查"));
    json_array_append_new(scope, rf_p(RF_LONG "\n\n" RF_LONG));
    json_array_append_new(sections,
                          json_pack("{s:s,s:s,s:b,s:o}", "key", "scope", "heading",
                                    "审计范围、内容和依据", "required", 1, "blocks", scope));

    json_t *findings = json_array();
    for (int i = 1; i <= 4; i++) {
        char title[64];
        snprintf(title, sizeof title, "问题%d：政府采购程序不规范", i);
        json_array_append_new(
            findings,
            json_pack("{s:s,s:{s:s,s:i,s:s},s:s,s:[{s:s,s:s,s:s},{s:s,s:s,s:s},{s:s,s:s,s:s},"
                      "{s:s,s:s,s:s}]}",
                      "type", "item", "ref", "kind", "finding", "id", i, "code", "F01", "title",
                      title, "fields", "key", "facts", "label", "问题事实", "text", RF_LONG, "key",
                      "amount", "label", "涉及金额", "text", "1,234.50 元", "key", "basis", "label",
                      "定性依据", "text", "《政府采购法》第二条\n《预算法》第九十三条", "key",
                      "recommendation", "label", "审计建议", "text", ""));
    }
    json_array_append_new(findings,
                          json_pack("{s:s,s:s,s:[s,s,s],s:[[s,s,s],[s,s,s],[s,s]]}", "type",
                                    "table", "caption", "问题汇总表", "columns", "序号", "问题",
                                    "金额（元）", "rows", "1", "采购<未招标> & 拆分", "1,234.50",
                                    "2", "票据不合规", "20,000.00", "3", "多行\n单元格"));
    json_array_append_new(sections,
                          json_pack("{s:s,s:s,s:b,s:o}", "key", "findings", "heading",
                                    "审计发现的主要问题", "required", 1, "blocks", findings));

    json_t *handling = json_array();
    for (int i = 0; i < 4; i++)
        json_array_append_new(handling, rf_p(RF_LONG));
    json_array_append_new(sections,
                          json_pack("{s:s,s:s,s:b,s:o}", "key", "handling", "heading",
                                    "处理意见和审计建议", "required", 1, "blocks", handling));
    json_array_append_new(sections, json_pack("{s:s,s:s,s:b,s:[]}", "key", "response", "heading",
                                              "被审计单位书面意见", "required", 1, "blocks"));

    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:s,s:o}", "format", "auditgrid-report/1",
                     "kind", "audit", "title", "关于第五幼儿园2025年度财务收支情况的审计报告",
                     "doc_no", "教审〔2026〕3号", "issuer", "区教育局内部审计科", "date",
                     "2026-12-06", "unit_code", "12120104MB1OL2O442", "year", 2026, "project_code",
                     "P2026-007", "sections", sections);
}

/* The paragraphs every format must show for rf_doc(), in order, numbering included. */
static const char *const RF_TEXT[] = {
    "教审〔2026〕3号",
    "关于第五幼儿园2025年度财务收支情况的审计报告",
    "一、被审计单位基本情况",
    "（一）第五幼儿园",
    "单位名称：第五幼儿园",
    "统一社会信用代码：12120104MB1OL2O442",
    "资金规模：年度支出 12,345,678.90 元",
    RF_LONG,
    RF_LONG,
    "二、审计范围、内容和依据",
    "（一）审计范围",
    "本次审计范围为 2025 年 1 月 1 日至 2025 年 12 月 31 日的财务收支。",
    "1.重点内容",
    RF_LONG,
    "2.审计依据",
    "依据《中华人民共和国审计法》和 A&B <内审> \"规定\"。",
    "（二）审计方法",
    "1.抽样与检查",
    RF_LONG,
    RF_LONG,
    "三、审计发现的主要问题",
    "（一）问题1：政府采购程序不规范",
    "问题事实：" RF_LONG,
    "涉及金额：1,234.50 元",
    "定性依据：《政府采购法》第二条",
    "《预算法》第九十三条",
    "（二）问题2：政府采购程序不规范",
    "问题事实：" RF_LONG,
    "涉及金额：1,234.50 元",
    "定性依据：《政府采购法》第二条",
    "《预算法》第九十三条",
    "（三）问题3：政府采购程序不规范",
    "问题事实：" RF_LONG,
    "涉及金额：1,234.50 元",
    "定性依据：《政府采购法》第二条",
    "《预算法》第九十三条",
    "（四）问题4：政府采购程序不规范",
    "问题事实：" RF_LONG,
    "涉及金额：1,234.50 元",
    "定性依据：《政府采购法》第二条",
    "《预算法》第九十三条",
    "问题汇总表",
    "序号",
    "问题",
    "金额（元）",
    "1",
    "采购<未招标> & 拆分",
    "1,234.50",
    "2",
    "票据不合规",
    "20,000.00",
    "3",
    "多行\n单元格",
    "四、处理意见和审计建议",
    RF_LONG,
    RF_LONG,
    RF_LONG,
    RF_LONG,
    "五、被审计单位书面意见",
    "区教育局内部审计科",
    "2026年12月6日",
};

#endif
