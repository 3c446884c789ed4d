/* assess_stage.c - the assessment's stages: the unit's self-assessment, the department's and the
 * bureau's reviews, publication; each change recorded with who, why and when (issue 15 §2). */
#include "domain/assess_internal.h"

#include <stdio.h>
#include <string.h>

#include "domain/attach.h"
#include "domain/wf_query.h"
#include "util/clock.h"
#include "util/banned.h"

static const char *jstr(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* The year row (created with the latest rubric, the shipped one installed when none is), so the
 * year keeps its version from its first write on; refused once published. */
static ag_err year_open(ag_store *st, int year, assess_yr *y, ag_error *err)
{
    ag_err rc = assess_yr_load(st, year, y, err);
    if (!rc && y->published)
        rc = ag_fail(err, AG_ERR_INPUT, "year", "%d 年度考核结果已公布，不能再修改",
                     "the %d assessment is published and can no longer change", year);
    if (rc || y->exists)
        return rc;
    int64_t v = 0;
    char ts[21];
    rc = assess_rubric_ensure(st, &v, err);
    ag_clock_format(ag_clock_now(), ts);
    ag_field f[] = {ag_field_int("year", year), ag_field_int("rubric_version", v),
                    ag_field_text("created_at", ts)};
    if (!rc)
        rc = store_insert(st, "assess_year", "year", f, 3, NULL, err);
    assess_yr_release(y);
    if (!rc)
        rc = assess_yr_load(st, year, y, err);
    return rc;
}

/* The unit's cell into cell ("" without one); AG_ERR_NOTFOUND when a may not see the unit. */
static ag_err unit_of(ag_store *st, const audit_actor *a, const char *unit, char cell[32],
                      ag_error *err)
{
    bool visible = false;
    cell[0] = '\0';
    if (!unit || !*unit)
        return ag_fail(err, AG_ERR_INPUT, "unit_code", "缺少单位代码", "the unit code is required");
    ag_err rc = scope_unit_visible(st, &a->scope, unit, &visible, err);
    if (!rc && !visible)
        return ag_fail(err, AG_ERR_NOTFOUND, "unit_code", "单位 %s 不存在", "no unit %s", unit);
    ag_stmt *s = NULL;
    bool row = false;
    if (!rc)
        rc = wf_prep(st, &s, err, "SELECT cell_id FROM unit WHERE code = ?", "t", unit);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row && store_col_text(s, 0))
        snprintf(cell, 32, "%s", store_col_text(s, 0));
    store_finalize(s);
    return rc;
}

static ag_err wrong_stage(ag_error *err, const char *unit, const char *state, const char *action)
{
    static const char *const zh[][2] = {{"save", "保存自评"},
                                        {"submit", "提交自评"},
                                        {"dept", "主管部门复核"},
                                        {"bureau", "审计局审定"}};
    const char *what = action;
    for (size_t i = 0; i < sizeof zh / sizeof zh[0]; i++)
        if (!strcmp(zh[i][0], action))
            what = zh[i][1];
    return ag_fail(err, AG_ERR_INPUT, "stage", "单位 %s 的考核处于“%s”%.0s，现在不能%s%.0s",
                   "the assessment of unit %s is at stage %.0s%s; %.0s%s is not possible now", unit,
                   assess_state_zh(state), state, what, action);
}

/* Checks the state machine and the actor for action on unit; *id receives the unit's row. */
static ag_err step_check(ag_store *st, const audit_actor *a, const char *unit, int year,
                         const char *action, assess_yr *y, char cell[32], char state[12],
                         int64_t *id, ag_error *err)
{
    bool draft = false, ok = false;
    memset(y, 0, sizeof *y);
    *id = 0;
    snprintf(state, 12, "none");
    ag_err rc = unit_of(st, a, unit, cell, err);
    if (!rc)
        rc = year_open(st, year, y, err);
    if (!rc)
        rc = assess_unit_state(st, year, unit, state, &draft, id, err);
    const assess_transition *t = NULL, *any = NULL;
    for (int i = 0; i < assess_transition_count; i++)
        if (!strcmp(assess_transitions[i].action, action)) {
            any = &assess_transitions[i];
            if (!strcmp(assess_transitions[i].from, state))
                t = any;
        }
    if (!any)
        return ag_fail(err, AG_ERR_INTERNAL, "stage", "未知操作：%s", "unknown action: %s", action);
    /* who first, then when: a supervisor asking for the bureau's stage is refused as such */
    if (!rc)
        rc = assess_may(st, a, unit, *cell ? cell : NULL, NULL, action, &ok, err);
    if (!rc && !ok) {
        t = any;
        if (!strcmp(t->who, "dept"))
            rc = ag_fail(err, AG_ERR_DENIED, "role",
                         "只有单位所属网格的主管部门（或区审计局）可复核",
                         "only the supervisor of the unit's cell (or the bureau) reviews it");
        else if (!strcmp(t->who, "bureau"))
            rc = ag_fail(err, AG_ERR_DENIED, "role", "只有区审计局管理员可审定",
                         "only the bureau's admin gives the final score");
        else
            rc = ag_fail(err, AG_ERR_DENIED, "role", "只有本单位负责人或内审人员可填报自评",
                         "only the unit's leader or internal auditor fills in its self-assessment");
    } else if (!rc && !t)
        rc = wrong_stage(err, unit, state, action);
    if (!rc && !*id) {
        ag_field f[] = {ag_field_int("year", year), ag_field_text("unit_code", unit),
                        ag_field_text("state", "none")};
        rc = store_insert(st, "assess_unit", "id", f, 3, id, err);
    }
    return rc;
}

/* Who is acting, for the history: the actor string and the account's display name. */
static ag_err actor_name(ag_store *st, const audit_actor *a, char *name, size_t cap, ag_error *err)
{
    const char *who = a->name ? a->name : store_actor(st);
    name[0] = '\0';
    if (strncmp(who, "user:", 5))
        return AG_OK;
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc =
        wf_prep(st, &s, err, "SELECT display_name FROM app_user WHERE username = ?", "t", who + 5);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row && store_col_text(s, 0))
        snprintf(name, cap, "%s", store_col_text(s, 0));
    store_finalize(s);
    return rc;
}

/* The entered value of indicator at stage (*have false when none) and its row id. */
static ag_err entry_at(ag_store *st, int year, const char *unit, const char *ind, const char *stage,
                       int64_t *x2, int64_t *id, ag_error *err)
{
    ag_stmt *s = NULL;
    bool row = false;
    *id = 0;
    *x2 = 0;
    ag_err rc = wf_prep(st, &s, err,
                        "SELECT id, score_x2 FROM assess_entry WHERE year = ? AND unit_code = ?"
                        " AND indicator = ? AND stage = ?",
                        "ittt", (int64_t)year, unit, ind, stage);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row) {
        *id = store_col_int(s, 0);
        *x2 = store_col_int(s, 1);
    }
    store_finalize(s);
    return rc;
}

/* Writes the entry of indicator at stage and its history row (from → to, reason). */
static ag_err put_entry(ag_store *st, const audit_actor *a, int year, const char *unit,
                        const char *ind, const char *stage, bool had_from, int64_t from, int64_t to,
                        const char *basis, const char *reason, int64_t *entry_id, ag_error *err)
{
    char ts[21], name[128];
    const char *who = a->name ? a->name : store_actor(st);
    ag_clock_format(ag_clock_now(), ts);
    int64_t id = 0, old = 0;
    ag_err rc = entry_at(st, year, unit, ind, stage, &old, &id, err);
    ag_field f[] = {ag_field_int("year", year),       ag_field_text("unit_code", unit),
                    ag_field_text("indicator", ind),  ag_field_text("stage", stage),
                    ag_field_int("score_x2", to),     ag_field_text("basis", basis),
                    ag_field_text("updated_by", who), ag_field_text("updated_at", ts)};
    if (!rc && id)
        rc = store_update(st, "assess_entry", "id", ag_field_int("id", id), f + 4, 4, err);
    else if (!rc)
        rc = store_insert(st, "assess_entry", "id", f, 8, &id, err);
    if (entry_id)
        *entry_id = id;
    if (!rc)
        rc = actor_name(st, a, name, sizeof name, err);
    ag_field h[] = {ag_field_int("year", year),
                    ag_field_text("unit_code", unit),
                    ag_field_text("stage", stage),
                    ag_field_text("indicator", ind),
                    had_from ? ag_field_int("from_x2", from) : ag_field_null("from_x2"),
                    ag_field_int("to_x2", to),
                    ag_field_text("reason", reason),
                    ag_field_text("by_user", who),
                    ag_field_text("by_name", *name ? name : NULL),
                    ag_field_text("at", ts)};
    if (!rc)
        rc = store_insert(st, "assess_change", "id", h, sizeof h / sizeof h[0], NULL, err);
    return rc;
}

/* Checks items[i] against the rubric: known, allowed at this stage, score in range. */
static ag_err check_item(const assess_yr *y, const assess_item_in *it, int i, const char *stage,
                         const assess_item_in *items, const json_t **ind_out, int64_t *x2,
                         ag_error *err)
{
    char f[48];
    snprintf(f, sizeof f, "items[%d].indicator", i);
    const json_t *ind = assess_indicator(y->rubric, it->indicator, NULL);
    if (!it->indicator || !*it->indicator)
        return ag_fail(err, AG_ERR_INPUT, f, "缺少指标代码", "the indicator is required");
    if (!ind)
        return ag_fail(err, AG_ERR_INPUT, f, "考核规则中没有指标 %s",
                       "no indicator %s in the rubric", it->indicator);
    for (int j = 0; j < i; j++)
        if (items[j].indicator && !strcmp(items[j].indicator, it->indicator))
            return ag_fail(err, AG_ERR_INPUT, f, "指标 %s 重复", "indicator %s is given twice",
                           it->indicator);
    bool data = !strcmp(jstr(ind, "source"), "data");
    bool bureau_only = !strcmp(jstr(ind, "entered_by"), "bureau");
    if (!strcmp(stage, "self") && data)
        return ag_fail(err, AG_ERR_INPUT, f, "指标 %s 由系统数据计算，不能自评填报",
                       "indicator %s is computed from data and not entered", it->indicator);
    if (strcmp(stage, "bureau") && bureau_only)
        return ag_fail(err, AG_ERR_INPUT, f, "指标 %s 只能由区审计局填报",
                       "indicator %s is entered by the bureau only", it->indicator);
    *ind_out = ind;
    snprintf(f, sizeof f, "items[%d].score", i);
    int64_t mn = assess_ind_min_x2(ind), mx = assess_ind_max_x2(ind);
    if (!assess_double_x2(it->score, x2))
        return ag_fail(err, AG_ERR_INPUT, f, "指标 %s 的分值应为0.5的整数倍：%g",
                       "the score of %s is a multiple of 0.5: %g", it->indicator, it->score);
    if (*x2 < mn || *x2 > mx)
        return ag_fail(err, AG_ERR_INPUT, f, "指标 %s 的分值应在 %g 到 %g 之间：%g",
                       "the score of %s is %g to %g: %g", it->indicator, (double)mn / 2,
                       (double)mx / 2, it->score);
    snprintf(f, sizeof f, "items[%d].%s", i, !strcmp(stage, "self") ? "basis" : "reason");
    if (it->text && strlen(it->text) > ASSESS_MAX_TEXT)
        return ag_fail(err, AG_ERR_INPUT, f, "说明过长（至多 %d 字节）",
                       "the text is too long (at most %d bytes)", ASSESS_MAX_TEXT);
    return AG_OK;
}

ag_err assess_self_save(ag_store *st, const audit_actor *a, const char *unit_code, int year,
                        const assess_item_in *items, int n, ag_error *err)
{
    assess_yr y;
    char cell[32], state[12];
    int64_t id = 0;
    if (n < 0 || n > ASSESS_MAX_ITEMS)
        return ag_fail(err, AG_ERR_INPUT, "items", "一次至多填报 %d 项", "at most %d items at once",
                       ASSESS_MAX_ITEMS);
    ag_err rc = step_check(st, a, unit_code, year, "save", &y, cell, state, &id, err);
    for (int i = 0; !rc && i < n; i++) {
        const json_t *ind = NULL;
        int64_t x2 = 0, old = 0, eid = 0;
        rc = check_item(&y, &items[i], i, "self", items, &ind, &x2, err);
        bool has_text = items[i].text && *items[i].text;
        if (!rc && x2 && !has_text) {
            char f[40];
            snprintf(f, sizeof f, "items[%d].basis", i);
            rc = ag_fail(err, AG_ERR_INPUT, f, "指标 %s 的自评得分须说明依据",
                         "a self-assessed score of %s needs its basis", items[i].indicator);
        }
        if (!rc)
            rc = entry_at(st, year, unit_code, items[i].indicator, "self", &old, &eid, err);
        if (!rc && (!eid || old != x2))
            rc = put_entry(st, a, year, unit_code, items[i].indicator, "self", eid != 0, old, x2,
                           has_text ? items[i].text : NULL, has_text ? items[i].text : "自评", &eid,
                           err);
        else if (!rc && has_text) {
            ag_field f = ag_field_text("basis", items[i].text);
            rc = store_update(st, "assess_entry", "id", ag_field_int("id", eid), &f, 1, err);
        }
        if (!rc && items[i].nattachments > 0) {
            char f[48];
            snprintf(f, sizeof f, "items[%d].attachment_ids", i);
            rc = attach_claim(st, unit_code, items[i].attachment_ids, items[i].nattachments,
                              "assess_item", eid, err);
            if (rc == AG_ERR_NOTFOUND || rc == AG_ERR_INPUT)
                snprintf(err->where, sizeof err->where, "%s", f);
        }
    }
    char ts[21];
    ag_clock_format(ag_clock_now(), ts);
    ag_field f[] = {ag_field_text("saved_at", ts),
                    ag_field_text("saved_by", a->name ? a->name : store_actor(st))};
    if (!rc)
        rc = store_update(st, "assess_unit", "id", ag_field_int("id", id), f, 2, err);
    assess_yr_release(&y);
    return rc;
}

ag_err assess_self_submit(ag_store *st, const audit_actor *a, const char *unit_code, int year,
                          ag_error *err)
{
    assess_yr y;
    char cell[32], state[12], ts[21];
    int64_t id = 0;
    ag_err rc = step_check(st, a, unit_code, year, "submit", &y, cell, state, &id, err);
    ag_clock_format(ag_clock_now(), ts);
    ag_field f[] = {ag_field_text("state", "self"), ag_field_text("self_at", ts),
                    ag_field_text("self_by", a->name ? a->name : store_actor(st))};
    if (!rc)
        rc = store_update(st, "assess_unit", "id", ag_field_int("id", id), f, 3, err);
    assess_yr_release(&y);
    return rc;
}

/* The score in force of indicator for the unit before this review: the latest stage's entry or
 * the computed value (entered ones: 0). */
static ag_err in_force(ag_store *st, const assess_yr *y, const char *unit, const char *ind,
                       int64_t *x2, ag_error *err)
{
    json_t *o = NULL;
    *x2 = 0;
    ag_err rc = assess_unit_items(st, y, unit, &o, err);
    json_t *items = json_object_get(o, "items");
    for (size_t k = 0; !rc && k < json_array_size(items); k++) {
        json_t *it = json_array_get(items, k);
        if (!strcmp(jstr(it, "indicator"), ind)) {
            json_t *v = json_object_get(it, "score");
            *x2 = assess_score_x2(v);
        }
    }
    json_decref(o);
    return rc;
}

ag_err assess_review(ag_store *st, const audit_actor *a, const char *unit_code, int year,
                     const char *stage, const assess_item_in *items, int n, const char *note,
                     ag_error *err)
{
    if (!stage || (strcmp(stage, "dept") && strcmp(stage, "bureau")))
        return ag_fail(err, AG_ERR_INPUT, "stage",
                       "复核环节应为 dept（主管部门）或 bureau（审计局）：%s",
                       "stage is dept or bureau: %s", stage ? stage : "");
    if (n < 0 || n > ASSESS_MAX_ITEMS)
        return ag_fail(err, AG_ERR_INPUT, "items", "一次至多调整 %d 项", "at most %d items at once",
                       ASSESS_MAX_ITEMS);
    if (note && strlen(note) > ASSESS_MAX_TEXT)
        return ag_fail(err, AG_ERR_INPUT, "note", "意见过长（至多 %d 字节）",
                       "the note is too long (at most %d bytes)", ASSESS_MAX_TEXT);
    assess_yr y;
    char cell[32], state[12], ts[21];
    int64_t id = 0;
    ag_err rc = step_check(st, a, unit_code, year, stage, &y, cell, state, &id, err);
    for (int i = 0; !rc && i < n; i++) {
        const json_t *ind = NULL;
        int64_t x2 = 0, from = 0;
        rc = check_item(&y, &items[i], i, stage, items, &ind, &x2, err);
        if (!rc)
            rc = in_force(st, &y, unit_code, items[i].indicator, &from, err);
        if (rc || from == x2)
            continue;
        if (!items[i].text || !*items[i].text) {
            char f[40];
            snprintf(f, sizeof f, "items[%d].reason", i);
            rc = ag_fail(err, AG_ERR_INPUT, f, "调整指标 %s 的得分须说明理由",
                         "changing the score of %s needs a reason", items[i].indicator);
            break;
        }
        rc = put_entry(st, a, year, unit_code, items[i].indicator, stage, true, from, x2,
                       items[i].text, items[i].text, NULL, err);
    }
    ag_clock_format(ag_clock_now(), ts);
    bool dept = !strcmp(stage, "dept");
    ag_field f[] = {
        ag_field_text("state", stage), ag_field_text(dept ? "dept_at" : "bureau_at", ts),
        ag_field_text(dept ? "dept_by" : "bureau_by", a->name ? a->name : store_actor(st)),
        ag_field_text(dept ? "dept_note" : "bureau_note", note && *note ? note : NULL)};
    if (!rc)
        rc = store_update(st, "assess_unit", "id", ag_field_int("id", id), f, 4, err);
    assess_yr_release(&y);
    return rc;
}

ag_err assess_publish(ag_store *st, const audit_actor *a, int year, ag_error *err)
{
    if (a->scope.role != AG_ROLE_ADMIN)
        return ag_fail(err, AG_ERR_DENIED, "role", "只有区审计局管理员可公布考核结果",
                       "only the bureau's admin publishes the assessment");
    assess_yr y;
    json_t *all = NULL;
    ag_err rc = year_open(st, year, &y, err);
    if (!rc)
        rc = assess_roster_compute(st, &y, &all, err);
    if (!rc && !json_array_size(all))
        rc = ag_fail(err, AG_ERR_INPUT, "year", "%d 年度没有参加考核的单位",
                     "no unit is assessed for %d", year);
    for (size_t i = 0; !rc && i < json_array_size(all); i++) {
        json_t *o = json_array_get(all, i);
        if (strcmp(jstr(o, "state"), "bureau"))
            rc = ag_fail(err, AG_ERR_INPUT, "year", "单位 %s（%s）尚未经审计局审定，不能公布%.0s",
                         "unit %s%.0s%.0s has no final score of the bureau yet", jstr(o, "unit"),
                         jstr(o, "unit_name"), assess_state_zh(jstr(o, "state")));
    }
    char ts[21];
    ag_clock_format(ag_clock_now(), ts);
    for (size_t i = 0; !rc && i < json_array_size(all); i++) {
        json_t *o = json_array_get(all, i), *t = json_object_get(o, "total");
        json_object_set_new(o, "state", json_string("published"));
        char *body = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        int64_t x2 = assess_score_x2(t);
        ag_field f[] = {
            ag_field_int("year", year),
            ag_field_text("unit_code", jstr(o, "unit")),
            ag_field_text("cell_id", json_string_value(json_object_get(o, "cell_id"))),
            ag_field_int("total_x2", x2),
            ag_field_int("rank_district",
                         (int64_t)json_integer_value(json_object_get(o, "rank_district"))),
            ag_field_int("rank_cell", (int64_t)json_integer_value(json_object_get(o, "rank_cell"))),
            ag_field_text("result", body)};
        rc = store_insert(st, "assess_result", "id", f, sizeof f / sizeof f[0], NULL, err);
        free(body);
    }
    ag_field f[] = {ag_field_text("published_at", ts),
                    ag_field_text("published_by", a->name ? a->name : store_actor(st))};
    if (!rc)
        rc = store_update(st, "assess_year", "year", ag_field_int("year", year), f, 2, err);
    json_decref(all);
    assess_yr_release(&y);
    return rc;
}
