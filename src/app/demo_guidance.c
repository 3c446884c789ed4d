/* demo_guidance.c (app) - the demo district's guidance and supervision: opinions answered, one
 * overdue, one open; a supervision visit with a finding; a submission to decide (issue 14 §2). */
#include "app/demo_guidance.h"

#include <string.h>

#include "app/guidance.h"
#include "app/submission.h"
#include "domain/grid.h"
#include "util/clock.h"
#include "util/date.h"
#include "util/banned.h"

#define DAY 86400

/* The first unit of cell (by code) that is not a pilot: the visited one, whose books the demo
 * does not scan, so the visit's item stands apart from the warnings' standing ledgers. */
static const char *first_non_pilot(json_t *units, const char *cell)
{
    for (size_t i = 0; i < json_array_size(units); i++) {
        json_t *u = json_array_get(units, i);
        const char *c = json_string_value(json_object_get(u, "cell_id"));
        if (c && !strcmp(c, cell) && !json_is_true(json_object_get(u, "pilot")))
            return json_string_value(json_object_get(u, "code"));
    }
    return NULL;
}

/* The first n unit codes of cell (by code) into out; returns how many. */
static int units_of(json_t *units, const char *cell, const char **out, int n)
{
    int k = 0;
    for (size_t i = 0; i < json_array_size(units) && k < n; i++) {
        json_t *u = json_array_get(units, i);
        const char *c = json_string_value(json_object_get(u, "cell_id"));
        if (c && !strcmp(c, cell))
            out[k++] = json_string_value(json_object_get(u, "code"));
    }
    return k;
}

/* An opinion of cell's department to units, issued `ago` days before today, due in `due`
 * days from then; units[0..replied-1] reply `ago - 3` days before today. */
static ag_err opinion(ag_store *st, const audit_actor *a, const char *cell, const char **units,
                      int n, int replied, int ago, int due, const char *subject, const char *body,
                      ag_error *err)
{
    char date[11];
    ag_date_format(ag_clock_today() - ago + due, date);
    int64_t was = ag_clock_shift(-(int64_t)ago * DAY);
    guidance_in in = {.cell_id = cell,
                      .subject = subject,
                      .body = body,
                      .due_date = date,
                      .units = units,
                      .nunits = n};
    json_t *o = NULL;
    ag_err rc = app_guidance_issue(st, a, &in, &o, err);
    int64_t id = rc ? 0 : json_integer_value(json_object_get(o, "id"));
    json_decref(o);
    ag_clock_shift(-(int64_t)(ago - 3) * DAY);
    for (int i = 0; !rc && i < replied; i++)
        rc = app_guidance_reply(st, a, id, units[i],
                                i % 2 ? "已组织自查，未发现问题，相关制度已汇编备查。"
                                      : "已按意见逐项核查，整改情况及佐证材料另行报送。",
                                NULL, 0, NULL, err);
    ag_clock_shift(was);
    return rc;
}

ag_err app_demo_guidance(ag_store *st, uint64_t seed, ag_error *err)
{
    (void)seed; /* everything here is fixed; the units come from the seeded grid */
    audit_actor a;
    memset(&a, 0, sizeof a);
    a.scope.role = AG_ROLE_ADMIN;
    a.name = "system:demo";
    grid_unit_filter f = {false, NULL, NULL};
    json_t *units = NULL;
    ag_err rc = grid_unit_list(st, &f, &units, err);
    const char *edu[64] = {0}, *health[3] = {0};
    int ne = rc ? 0 : units_of(units, "D01", edu, 64);
    int nh = rc ? 0 : units_of(units, "D02", health, 3);
    const char *visited = rc ? NULL : first_non_pilot(units, "D01");
    if (!rc && (ne < 4 || nh < 2 || !visited))
        rc = ag_fail(err, AG_ERR_INTERNAL, "demo", "演示网格 D01/D02 的单位不足",
                     "the demo cells D01/D02 have too few units");
    if (!rc)
        rc = opinion(st, &a, "D02", health, nh, nh, 40, 20, "关于做好医保基金使用自查的指导意见",
                     "请各单位对照医保基金使用管理规定开展自查，于期限前报送自查报告。", err);
    if (!rc)
        rc = opinion(st, &a, "D01", edu + 1, 3, 2, 30, 21, "关于规范学校食堂资金管理的指导意见",
                     "请各学校核查食堂收支两条线执行情况、伙食费专户管理和对账记录，"
                     "于期限前书面答复并附佐证材料。",
                     err);
    if (!rc)
        rc = opinion(st, &a, "D01", edu, ne, 0, 3, 25, "关于开展2026年度内部审计计划编制的指导意见",
                     "请于期限前完成年度内部审计计划编制，报主管部门备案。", err);
    /* A supervision visit with a finding, 12 days ago. */
    json_t *v = NULL;
    char day[11];
    ag_date_format(ag_clock_today() - 12, day);
    int64_t was = ag_clock_shift(-12 * (int64_t)DAY);
    guidance_visit_in vi = {.cell_id = "D01",
                            .unit_code = visited,
                            .visit_date = day,
                            .subject = "资金支付审批督导检查",
                            .notes = "抽查2025年度大额资金支付凭证30笔。"};
    if (!rc)
        rc = app_guidance_visit_add(st, &a, &vi, &v, err);
    audit_finding_in fi = {.item = "F03",
                           .title = "大额资金支付缺少集体决策记录",
                           .description = "抽查的30笔大额支付中有3笔未见“三重一大”集体决策记录。",
                           .amount = 38600000,
                           .basis = "《行政事业单位内部控制规范（试行）》第四十条",
                           .severity = "medium",
                           .recommendation = "补充决策程序，完善资金支付审批制度。",
                           .rect_class = "phased"};
    if (!rc)
        rc = app_guidance_visit_finding(st, &a, json_integer_value(json_object_get(v, "id")), &fi,
                                        NULL, NULL, err);
    json_decref(v);
    ag_clock_shift(was);
    /* A quarterly report filed to the department, awaiting its decision. */
    submission_in si = {.kind = "annual_summary",
                        .unit_code = edu[1],
                        .to_cell = "D01",
                        .period = "2025",
                        .title = "2025年度内部审计工作总结",
                        .body = "全年完成内部审计项目4个，发现问题12个，已整改10个。"};
    if (!rc)
        rc = app_submission_file(st, &a, &si, NULL, err);
    if (!rc)
        rc = app_guidance_remind(st, NULL, err);
    json_decref(units);
    return rc;
}
