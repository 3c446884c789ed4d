/* rectify.c - the rectification ledger (整改台账): items, transitions, overdue and escalation. */
#include "domain/rectify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/attach.h"
#include "domain/setting.h"
#include "domain/wf_query.h"
#include "util/clock.h"
#include "util/date.h"
#include "util/encoding.h"
#include "util/banned.h"

const char *const rectify_states[] = {"open", "in_progress", "claimed", "continuous", "closed"};
const int rectify_state_count = 5;

/* Texts typed by people (measures, progress, result, notes, reasons). */
#define RECT_TEXT_MAX 8000
/* Attachments one event may take over. */
#define RECT_ATTACH_MAX 50

static const char *const classes[] = {"immediate", "phased", "continuous"};
static const int builtin_days[] = {30, 180, 365};

static int class_index(const char *c)
{
    for (int i = 0; c && i < 3; i++)
        if (!strcmp(c, classes[i]))
            return i;
    return -1;
}

const char *rectify_state_zh(const char *s)
{
    static const char *const zh[] = {"未整改", "整改中", "已整改", "持续整改", "已销号"};
    for (int i = 0; s && i < rectify_state_count; i++)
        if (!strcmp(s, rectify_states[i]))
            return zh[i];
    return s ? s : "";
}

const char *rectify_class_zh(const char *c)
{
    static const char *const zh[] = {"立行立改", "分阶段整改", "持续整改"};
    int k = c ? class_index(c) : -1;
    return k >= 0 ? zh[k] : c ? c : "";
}

static void now_text(char ts[21])
{
    ag_clock_format(ag_clock_now(), ts);
}

static void today_text(char out[11])
{
    ag_date_format(ag_clock_today(), out);
}

/* Whitespace alone says nothing, so it counts as missing. */
static bool blank(const char *s)
{
    return !s || s[strspn(s, " \t\r\n")] == '\0';
}

/* A text typed by a person; zh/en name the field in messages. */
static ag_err check_text(const char *v, const char *field, const char *zh, const char *en,
                         bool required, ag_error *err)
{
    if (required && blank(v))
        return ag_fail(err, AG_ERR_INPUT, field, "请填写%s%.0s", "%.0s%s is required", zh, en);
    size_t n = v ? strlen(v) : 0;
    if (n > RECT_TEXT_MAX || (v && !ag_utf8_valid(v, n, false)))
        return ag_fail(err, AG_ERR_INPUT, field, "%s%.0s须为不超过 %d 字节的 UTF-8 文本",
                       "%.0s%s must be UTF-8 text of at most %d bytes", zh, en, RECT_TEXT_MAX);
    return AG_OK;
}

static ag_err check_ids(const int64_t *ids, int n, ag_error *err)
{
    if (n < 0 || n > RECT_ATTACH_MAX || (n > 0 && !ids))
        return ag_fail(err, AG_ERR_INPUT, "attachments", "一次最多附 %d 个证明材料",
                       "at most %d evidence files at a time", RECT_ATTACH_MAX);
    return AG_OK;
}

/* ---- deadline settings --------------------------------------------------- */

static ag_err bad_class(const char *c, ag_error *err)
{
    return ag_fail(
        err, AG_ERR_INPUT, "class",
        "整改类型应为 immediate（立行立改）、phased（分阶段整改）或 continuous（持续整改）：%s",
        "the class is immediate, phased or continuous: %s", c ? c : "");
}

ag_err rectify_deadline_days(ag_store *st, const char *rect_class, int *days, ag_error *err)
{
    int k = class_index(rect_class);
    if (k < 0)
        return bad_class(rect_class, err);
    char key[64];
    snprintf(key, sizeof key, "rectify.days.%s", rect_class);
    int64_t v = 0;
    ag_err rc = setting_int(st, key, 1, 1095, builtin_days[k], &v, err);
    *days = (int)v;
    return rc;
}

ag_err rectify_set_deadline_days(ag_store *st, const char *rect_class, int days, ag_error *err)
{
    if (class_index(rect_class) < 0)
        return bad_class(rect_class, err);
    if (days < 1 || days > 1095)
        return ag_fail(err, AG_ERR_INPUT, "days", "整改期限天数应在 1 到 1095 之间：%d",
                       "the deadline is 1 to 1095 days: %d", days);
    char key[64];
    snprintf(key, sizeof key, "rectify.days.%s", rect_class);
    return setting_put_int(st, key, days, err);
}

ag_err rectify_deadline_settings(ag_store *st, json_t **out, ag_error *err)
{
    *out = NULL;
    json_t *o = json_object();
    for (int k = 0; k < 3; k++) {
        int days = 0;
        ag_err rc = rectify_deadline_days(st, classes[k], &days, err);
        if (rc) {
            json_decref(o);
            return rc;
        }
        json_object_set_new(o, classes[k], json_integer(days));
    }
    *out = o;
    return AG_OK;
}

/* ---- creation ------------------------------------------------------------ */

ag_err rectify_create_for_project(ag_store *st, int64_t project_id, int64_t *created, ag_error *err)
{
    if (created)
        *created = 0;
    int days[3];
    for (int k = 0; k < 3; k++) {
        ag_err rc = rectify_deadline_days(st, classes[k], &days[k], err);
        if (rc)
            return rc;
    }
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    int64_t n = 0, made = 0;
    ag_stmt *s = NULL;
    bool row = false;
    rc = store_prepare_args(st, &s, err, "SELECT COUNT(*) FROM audit_project WHERE id = ?", "i",
                            project_id);
    if (!rc)
        rc = store_step(s, &row, err);
    n = !rc && row ? store_col_int(s, 0) : 0;
    store_finalize(s);
    s = NULL;
    if (!rc && n == 0)
        rc = ag_fail(err, AG_ERR_NOTFOUND, "project", "审计项目 %lld 不存在",
                     "no audit project %lld", (long long)project_id);
    /* The findings without an item, collected first: writing while a read
     * on the same tables is open is legal in SQLite but not something to
     * lean on across backends. */
    json_t *uncovered = json_array();
    if (!rc)
        rc = store_prepare_args(st, &s, err,
                                "SELECT f.id, f.unit_code, f.rect_class FROM finding f"
                                " WHERE f.project_id = ? AND NOT EXISTS"
                                " (SELECT 1 FROM rectification r WHERE r.finding_id = f.id)"
                                " ORDER BY f.seq, f.id",
                                "i", project_id);
    while (!rc && !(rc = store_step(s, &row, err)) && row)
        json_array_append_new(uncovered, json_pack("[I,s,s]", (json_int_t)store_col_int(s, 0),
                                                   store_col_text(s, 1), store_col_text(s, 2)));
    store_finalize(s);
    char ts[21];
    now_text(ts);
    int32_t today = ag_clock_today();
    for (size_t i = 0; !rc && i < json_array_size(uncovered); i++) {
        json_t *t = json_array_get(uncovered, i);
        const char *cls = json_string_value(json_array_get(t, 2));
        int k = class_index(cls);
        char deadline[11];
        ag_date_format(today + days[k < 0 ? 0 : k], deadline);
        ag_field f[] = {ag_field_int("finding_id", json_integer_value(json_array_get(t, 0))),
                        ag_field_int("project_id", project_id),
                        ag_field_text("unit_code", json_string_value(json_array_get(t, 1))),
                        ag_field_text("class", k < 0 ? "immediate" : cls),
                        ag_field_text("deadline", deadline),
                        ag_field_text("state", "open"),
                        ag_field_text("created_at", ts)};
        rc = store_insert(st, "rectification", "id", f, 7, NULL, err);
        if (!rc)
            made++;
    }
    json_decref(uncovered);
    rc = store_end(st, rc, err);
    if (!rc && created)
        *created = made;
    return rc;
}

ag_err rectify_of_finding(ag_store *st, int64_t finding_id, int64_t *id, ag_error *err)
{
    *id = 0;
    return wf_query_int(st, id, err, "SELECT id FROM rectification WHERE finding_id = ?", "i",
                        finding_id);
}

/* ---- one item and who may act on it --------------------------------------- */

/* What the transitions need to know about an item. */
typedef struct rect_row {
    int64_t id;
    int64_t project_id;
    char unit_code[64];
    char state[16];
    char rect_class[16];
    char deadline[16];
    char stage[16];
    char project_code[64];
    char kind[16];        /* the project's kind */
    char claimed_by[128]; /* actor of the pending claim, "" when none */
} rect_row;

static ag_err not_found(int64_t id, ag_error *err)
{
    char where[48];
    snprintf(where, sizeof where, "rectification#%lld", (long long)id);
    return ag_fail(err, AG_ERR_NOTFOUND, where, "整改事项 %lld 不存在",
                   "no rectification item %lld", (long long)id);
}

static ag_err load_row(ag_store *st, int64_t id, rect_row *r, ag_error *err)
{
    memset(r, 0, sizeof *r);
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc =
        store_prepare_args(st, &s, err,
                           "SELECT r.id, r.project_id, r.unit_code, r.state, r.class, r.deadline,"
                           " p.stage, p.code, p.kind, r.claimed_by FROM rectification r"
                           " JOIN audit_project p ON p.id = r.project_id WHERE r.id = ?",
                           "i", id);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row) {
        r->id = store_col_int(s, 0);
        r->project_id = store_col_int(s, 1);
        snprintf(r->unit_code, sizeof r->unit_code, "%s", store_col_text(s, 2));
        snprintf(r->state, sizeof r->state, "%s", store_col_text(s, 3));
        snprintf(r->rect_class, sizeof r->rect_class, "%s", store_col_text(s, 4));
        snprintf(r->deadline, sizeof r->deadline, "%s", store_col_text(s, 5));
        snprintf(r->stage, sizeof r->stage, "%s", store_col_text(s, 6));
        snprintf(r->project_code, sizeof r->project_code, "%s", store_col_text(s, 7));
        snprintf(r->kind, sizeof r->kind, "%s", store_col_text(s, 8));
        const char *claimer = store_col_text(s, 9);
        snprintf(r->claimed_by, sizeof r->claimed_by, "%s", claimer ? claimer : "");
    }
    store_finalize(s);
    if (!rc && !row)
        rc = not_found(id, err);
    return rc;
}

static ag_err reviewer_reads_only(ag_error *err)
{
    return ag_fail(err, AG_ERR_DENIED, "role", "审阅角色只能查看整改台账，不能修改",
                   "a reviewer reads the rectification ledger but does not change it");
}

/* Whether the actor may see the item at all: its unit is in scope, or the
 * actor is on the project's team. Outside both the item "does not exist". */
static ag_err may_see(ag_store *st, const audit_actor *a, const rect_row *r, bool *yes,
                      ag_error *err)
{
    ag_err rc = scope_unit_visible(st, &a->scope, r->unit_code, yes, err);
    if (!rc && !*yes)
        rc = audit_is_team(st, a, r->project_id, false, yes, err);
    return rc;
}

/* The audited unit's side: admin, or a leader/auditor/chief auditor acting
 * for its own unit (scope_unit_owned). */
static ag_err check_unit_side(ag_store *st, const audit_actor *a, const rect_row *r, ag_error *err)
{
    if (a->scope.role == AG_ROLE_ADMIN)
        return AG_OK;
    bool owned = false, seen = false;
    ag_err rc = scope_unit_owned(st, &a->scope, r->unit_code, &owned, err);
    if (rc || owned)
        return rc;
    rc = may_see(st, a, r, &seen, err);
    if (rc)
        return rc;
    if (!seen)
        return not_found(r->id, err);
    if (a->scope.role == AG_ROLE_REVIEWER)
        return reviewer_reads_only(err);
    bool team = false;
    rc = audit_is_team(st, a, r->project_id, false, &team, err);
    if (rc)
        return rc;
    if (team)
        return ag_fail(err, AG_ERR_DENIED, "role",
                       "审计组成员不能代被审计单位填报整改；整改由被审计单位负责人或内审人员填报",
                       "an audit team member may not act for the audited unit; its leader or "
                       "internal auditor reports the rectification");
    return ag_fail(err, AG_ERR_DENIED, "role",
                   "只有被审计单位的负责人或内审人员可以填报整改（当前角色：%s）",
                   "only the audited unit's leader or internal auditor reports rectification "
                   "(role: %s)",
                   scope_role_name(a->scope.role));
}

/* The audit team's side: admin, or a team member (the lead when lead_only).
 * With verify (a closure's verification) the independence table of the
 * project's kind applies too: whoever claimed does not verify the claim;
 * outside a self-check nobody of the audited unit or its SOE group verifies,
 * not even from the team (a team staffed before the rules, or an account of
 * the unit); and the verifier is on the team or is the bureau (admin). A
 * self-check's team is the unit's own internal audit, so there only the
 * claimer is kept out. Admin is the bureau and may verify any claim. */
static ag_err check_team_side(ag_store *st, const audit_actor *a, const rect_row *r, bool lead_only,
                              bool verify, ag_error *err)
{
    if (a->scope.role == AG_ROLE_ADMIN)
        return AG_OK;
    bool seen = false, team = false, owned = false;
    ag_err rc = may_see(st, a, r, &seen, err);
    if (rc)
        return rc;
    if (!seen)
        return not_found(r->id, err);
    if (a->scope.role == AG_ROLE_REVIEWER)
        return reviewer_reads_only(err);
    const audit_independence *ind = audit_independence_of(r->kind);
    bool strict = !ind; /* an unknown kind gets every rule */
    if (verify && (strict || ind->rule[AUDIT_RULE_VERIFIER_NOT_UNIT])) {
        audit_relation rel = AUDIT_REL_OTHER;
        rc = scope_unit_owned(st, &a->scope, r->unit_code, &owned, err);
        if (!rc && !owned && a->scope.person_id > 0) {
            rc = audit_person_relation(st, a->scope.person_id, r->unit_code, &rel, err);
            if (rc == AG_ERR_NOTFOUND) /* an account whose person is gone */
                rc = AG_OK;
        }
        if (rc)
            return rc;
        if (owned || rel == AUDIT_REL_UNIT || rel == AUDIT_REL_GROUP)
            return audit_rule_refuse(
                err, AG_ERR_DENIED, "role", AUDIT_RULE_VERIFIER_NOT_UNIT,
                rel == AUDIT_REL_GROUP
                    ? "被审计单位所在国企集团的人员不能核验其整改；由审计组（集团以外人员）或审计局"
                      "核验"
                    : "被审计单位不能核验自己的整改；由审计组（非本单位人员）或审计局核验",
                rel == AUDIT_REL_GROUP
                    ? "a person of the audited unit's SOE group may not verify its rectification; "
                      "the audit team (from outside the group) or the bureau verifies it"
                    : "the audited unit may not verify its own rectification; the audit team "
                      "(from outside the unit) or the bureau verifies it");
    }
    if (verify && (strict || ind->rule[AUDIT_RULE_VERIFIER_NOT_CLAIMER]) && a->name &&
        !strcmp(a->name, r->claimed_by))
        return audit_rule_refuse(
            err, AG_ERR_DENIED, "role", AUDIT_RULE_VERIFIER_NOT_CLAIMER,
            "申报整改完成的人不能核验自己的申报；请由审计组其他成员或审计局核验",
            "whoever claimed completion may not verify that claim; another team member or the "
            "bureau verifies it");
    rc = audit_is_team(st, a, r->project_id, lead_only, &team, err);
    if (rc)
        return rc;
    if (!team && lead_only)
        return ag_fail(err, AG_ERR_DENIED, "role", "只有审计组组长或管理员可以调整整改期限",
                       "only the audit team lead or an admin may move a deadline");
    if (!team)
        return audit_rule_refuse(err, AG_ERR_DENIED, "role", AUDIT_RULE_VERIFIER_TEAM,
                                 "只有本项目审计组成员或审计局（管理员）可以核验整改",
                                 "only a member of the project's audit team or the bureau (an "
                                 "admin) verifies rectification");
    return AG_OK;
}

static ag_err check_stage(const rect_row *r, ag_error *err)
{
    if (!strcmp(r->stage, "rectify"))
        return AG_OK;
    return ag_fail(err, AG_ERR_INPUT, "stage",
                   "审计项目 %s 处于 %s 阶段；整改事项只能在“审后·整改”阶段办理",
                   "audit project %s is in stage %s; rectification is handled only in stage "
                   "rectify",
                   r->project_code, r->stage);
}

/* ---- the state machine: state × action → next state, and who ------------ */

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const rectify_transition rectify_transitions[] = {
    {"open", "measures", "open", RECTIFY_SIDE_UNIT},
    {"in_progress", "measures", "in_progress", RECTIFY_SIDE_UNIT},
    /* Continuous items are long-term work that is still tracked, so they
     * keep reporting progress; a claimed item waits for the team. */
    {"open", "progress", "in_progress", RECTIFY_SIDE_UNIT},
    {"in_progress", "progress", "in_progress", RECTIFY_SIDE_UNIT},
    {"continuous", "progress", "continuous", RECTIFY_SIDE_UNIT},
    {"open", "claim", "claimed", RECTIFY_SIDE_UNIT},
    {"in_progress", "claim", "claimed", RECTIFY_SIDE_UNIT},
    {"claimed", "close", "closed", RECTIFY_SIDE_VERIFY},
    {"claimed", "reopen", "in_progress", RECTIFY_SIDE_VERIFY},
    /* Not for an immediate (立行立改) item: see rectify_verify. */
    {"claimed", "continuous", "continuous", RECTIFY_SIDE_VERIFY},
    {"open", "deadline", "open", RECTIFY_SIDE_LEAD},
    {"in_progress", "deadline", "in_progress", RECTIFY_SIDE_LEAD},
    {"claimed", "deadline", "claimed", RECTIFY_SIDE_LEAD},
    {"continuous", "deadline", "continuous", RECTIFY_SIDE_LEAD},
};
const int rectify_transition_count = (int)COUNT(rectify_transitions);

/* Each action's label (the page's button) and its phrase in a refusal. */
static const struct {
    const char *action, *label_zh, *label_en, *refuse_zh, *refuse_en;
} ACTIONS[] = {
    {"measures", "填写整改措施", "set measures", "填写整改措施", "set measures"},
    {"progress", "报送整改进展", "report progress", "报送整改进展", "report progress"},
    {"claim", "申报整改完成", "claim completion", "申报整改完成", "claim completion"},
    {"close", "核验销号", "verify and close", "核验（须先由被审计单位申报整改完成）",
     "verify it (the audited unit claims completion first)"},
    {"reopen", "退回重新整改", "reopen", "核验（须先由被审计单位申报整改完成）",
     "verify it (the audited unit claims completion first)"},
    {"continuous", "转为持续整改", "make continuous", "核验（须先由被审计单位申报整改完成）",
     "verify it (the audited unit claims completion first)"},
    {"deadline", "调整期限", "move the deadline", "调整期限", "move its deadline"},
};

/* The next state of action in the item's state, NULL when the table has no such row. */
static const char *next_state(const char *state, const char *action)
{
    for (int i = 0; i < rectify_transition_count; i++)
        if (!strcmp(rectify_transitions[i].from, state) &&
            !strcmp(rectify_transitions[i].action, action))
            return rectify_transitions[i].to;
    return NULL;
}

/* Refuses unless the table lets action go from the item's state; *next is
 * the state it leads to. Both formats take every argument; %.0s skips the
 * other language's. */
static ag_err check_state(const rect_row *r, const char *action, const char **next, ag_error *err)
{
    *next = next_state(r->state, action);
    if (*next)
        return AG_OK;
    const char *zh = action, *en = action;
    for (size_t i = 0; i < COUNT(ACTIONS); i++)
        if (!strcmp(ACTIONS[i].action, action)) {
            zh = ACTIONS[i].refuse_zh;
            en = ACTIONS[i].refuse_en;
        }
    return ag_fail(err, AG_ERR_INPUT, "state", "整改事项 %lld 当前为“%s”（%s），不能%s%.0s",
                   "rectification item %lld is %.0s%s; cannot %.0s%s", (long long)r->id,
                   rectify_state_zh(r->state), r->state, zh, en);
}

/* Whether the actor is on the side that may take an action of that side. */
static ag_err check_side(ag_store *st, const audit_actor *a, const rect_row *r, rectify_side side,
                         ag_error *err)
{
    return side == RECTIFY_SIDE_UNIT ? check_unit_side(st, a, r, err)
                                     : check_team_side(st, a, r, side == RECTIFY_SIDE_LEAD,
                                                       side == RECTIFY_SIDE_VERIFY, err);
}

/* Whether the actor is on the side that may take the action (the same
 * checks as the write, without their refusal). */
static bool may_take(ag_store *st, const audit_actor *a, const rect_row *r, rectify_side side)
{
    ag_error scratch;
    ag_error_clear(&scratch);
    return check_side(st, a, r, side, &scratch) == AG_OK;
}

ag_err rectify_actions(ag_store *st, const audit_actor *a, int64_t id, json_t **out, ag_error *err)
{
    *out = NULL;
    rect_row r;
    ag_err rc = load_row(st, id, &r, err);
    if (rc)
        return rc;
    json_t *arr = json_array();
    if (!arr)
        return ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    bool in_stage = !strcmp(r.stage, "rectify");
    for (size_t k = 0; in_stage && k < COUNT(ACTIONS); k++) {
        const char *act = ACTIONS[k].action;
        for (int i = 0; i < rectify_transition_count; i++) {
            const rectify_transition *t = &rectify_transitions[i];
            if (strcmp(t->from, r.state) || strcmp(t->action, act))
                continue;
            if (!strcmp(act, "continuous") && !strcmp(r.rect_class, "immediate"))
                break;
            if (may_take(st, a, &r, t->side))
                json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s}", "action", act, "label",
                                                     ACTIONS[k].label_zh, "label_en",
                                                     ACTIONS[k].label_en, "next", t->to));
            break;
        }
    }
    *out = arr;
    return AG_OK;
}

/* Opens the write's transaction, loads the item and runs the checks every write shares: the
 * actor's side, the stage, and that action may be taken in the item's state (*next: the state
 * it leads to). On failure the transaction is rolled back again. */
static ag_err begin_write(ag_store *st, const audit_actor *a, int64_t id, rectify_side side,
                          const char *action, rect_row *r, const char **next, ag_error *err)
{
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = load_row(st, id, r, err);
    if (!rc)
        rc = check_side(st, a, r, side, err);
    if (!rc)
        rc = check_stage(r, err);
    if (!rc)
        rc = check_state(r, action, next, err);
    if (rc)
        store_rollback(st);
    return rc;
}

static ag_err add_event(ag_store *st, const audit_actor *a, int64_t rect_id, const char *kind,
                        const char *body, int64_t *event_id, ag_error *err)
{
    char ts[21];
    now_text(ts);
    ag_field f[] = {ag_field_int("rect_id", rect_id), ag_field_text("kind", kind),
                    ag_field_text("body", blank(body) ? NULL : body),
                    ag_field_text("created_by", a->name ? a->name : store_actor(st)),
                    ag_field_text("created_at", ts)};
    return store_insert(st, "rect_event", "id", f, 5, event_id, err);
}

/* An event of the audited unit with its evidence files, which become owned
 * by the event (unowned attachments of the item's unit only). */
static ag_err add_event_with_files(ag_store *st, const audit_actor *a, const rect_row *r,
                                   const char *kind, const char *body, const int64_t *ids, int n,
                                   ag_error *err)
{
    int64_t ev = 0;
    ag_err rc = add_event(st, a, r->id, kind, body, &ev, err);
    if (!rc && n > 0)
        rc = attach_claim(st, r->unit_code, ids, n, "rect_event", ev, err);
    return rc;
}

/* ---- the audited unit's side ---------------------------------------------- */

ag_err rectify_set_measures(ag_store *st, const audit_actor *a, int64_t id, const char *measures,
                            ag_error *err)
{
    rect_row r;
    const char *next = NULL;
    ag_err rc = check_text(measures, "measures", "整改措施", "the measures", true, err);
    if (!rc)
        rc = begin_write(st, a, id, RECTIFY_SIDE_UNIT, "measures", &r, &next, err);
    if (rc)
        return rc;
    rc = add_event(st, a, id, "measures", measures, NULL, err);
    if (!rc) {
        ag_field f[] = {ag_field_text("measures", measures)};
        rc = store_update(st, "rectification", "id", ag_field_int("id", id), f, 1, err);
    }
    return store_end(st, rc, err);
}

ag_err rectify_progress(ag_store *st, const audit_actor *a, int64_t id, const char *text,
                        const int64_t *attachment_ids, int nattachments, ag_error *err)
{
    rect_row r;
    const char *next = NULL;
    ag_err rc = check_text(text, "progress", "整改进展", "the progress note", true, err);
    if (!rc)
        rc = check_ids(attachment_ids, nattachments, err);
    if (!rc)
        rc = begin_write(st, a, id, RECTIFY_SIDE_UNIT, "progress", &r, &next, err);
    if (rc)
        return rc;
    rc = add_event_with_files(st, a, &r, "progress", text, attachment_ids, nattachments, err);
    if (!rc && strcmp(r.state, next)) {
        ag_field f[] = {ag_field_text("state", next)};
        rc = store_update(st, "rectification", "id", ag_field_int("id", id), f, 1, err);
    }
    return store_end(st, rc, err);
}

/* Attachments already owned by the item's events. */
static ag_err evidence_count(ag_store *st, int64_t id, int64_t *n, ag_error *err)
{
    return wf_query_int(st, n, err,
                        "SELECT COUNT(*) FROM attachment a JOIN rect_event e"
                        " ON a.owner_kind = 'rect_event' AND a.owner_id = e.id"
                        " WHERE e.rect_id = ?",
                        "i", id);
}

ag_err rectify_claim(ag_store *st, const audit_actor *a, int64_t id, const char *result,
                     const int64_t *attachment_ids, int nattachments, ag_error *err)
{
    rect_row r;
    const char *next = NULL;
    int64_t have = 0;
    ag_err rc = check_text(result, "result", "整改结果", "the result", true, err);
    if (!rc)
        rc = check_ids(attachment_ids, nattachments, err);
    if (!rc)
        rc = begin_write(st, a, id, RECTIFY_SIDE_UNIT, "claim", &r, &next, err);
    if (rc)
        return rc;
    if (nattachments == 0)
        rc = evidence_count(st, id, &have, err);
    if (!rc && nattachments == 0 && have == 0)
        rc = ag_fail(err, AG_ERR_INPUT, "attachments",
                     "申报整改完成须至少附一份证明材料（本次上传或此前进展所附）",
                     "claiming completion needs at least one evidence file (attached now or to "
                     "earlier progress)");
    if (!rc)
        rc = add_event_with_files(st, a, &r, "claim", result, attachment_ids, nattachments, err);
    if (!rc) {
        char ts[21];
        now_text(ts);
        ag_field f[] = {ag_field_text("state", next), ag_field_text("result", result),
                        ag_field_text("claimed_by", a->name ? a->name : store_actor(st)),
                        ag_field_text("claimed_at", ts)};
        rc = store_update(st, "rectification", "id", ag_field_int("id", id), f, 4, err);
    }
    return store_end(st, rc, err);
}

/* ---- the audit team's side ------------------------------------------------ */

ag_err rectify_verify(ag_store *st, const audit_actor *a, int64_t id, const char *decision,
                      const char *note, ag_error *err)
{
    bool close = decision && !strcmp(decision, "close");
    bool reopen = decision && !strcmp(decision, "reopen");
    bool cont = decision && !strcmp(decision, "continuous");
    if (!close && !reopen && !cont)
        return ag_fail(
            err, AG_ERR_INPUT, "decision",
            "核验结论应为 close（销号）、reopen（退回重新整改）或 continuous（转持续整改）",
            "the decision is close, reopen or continuous");
    if ((reopen || cont) && blank(note))
        return ag_fail(err, AG_ERR_INPUT, "note", "%s%.0s须写明核验意见（理由）",
                       "%.0s%s needs a note saying why", reopen ? "退回重新整改" : "转为持续整改",
                       reopen ? "reopening" : "making an item continuous");
    rect_row r;
    const char *next = NULL;
    ag_err rc = check_text(note, "note", "核验意见", "a verification note", false, err);
    if (!rc)
        rc = begin_write(st, a, id, RECTIFY_SIDE_VERIFY, decision, &r, &next, err);
    if (rc)
        return rc;
    if (cont && !strcmp(r.rect_class, "immediate"))
        rc = ag_fail(err, AG_ERR_INPUT, "decision",
                     "立行立改事项不能转为持续整改；只有分阶段整改或持续整改类事项可以",
                     "an immediate (立行立改) item cannot become continuous; only phased or "
                     "continuous items can");
    if (!rc)
        rc = add_event(st, a, id, decision, note, NULL, err);
    if (!rc) {
        char ts[21];
        now_text(ts);
        const char *by = a->name ? a->name : store_actor(st);
        if (close) {
            ag_field f[] = {ag_field_text("state", next), ag_field_text("verified_by", by),
                            ag_field_text("verified_at", ts), ag_field_text("closed_at", ts)};
            rc = store_update(st, "rectification", "id", ag_field_int("id", id), f, 4, err);
        } else if (cont) {
            ag_field f[] = {ag_field_text("state", next), ag_field_text("verified_by", by),
                            ag_field_text("verified_at", ts)};
            rc = store_update(st, "rectification", "id", ag_field_int("id", id), f, 3, err);
        } else {
            /* The refused claim stays in the events; the ledger row shows
             * the item as in progress again, without the stale result. */
            ag_field f[] = {ag_field_text("state", next),     ag_field_null("result"),
                            ag_field_null("claimed_by"),      ag_field_null("claimed_at"),
                            ag_field_text("verified_by", by), ag_field_text("verified_at", ts)};
            rc = store_update(st, "rectification", "id", ag_field_int("id", id), f, 6, err);
        }
    }
    return store_end(st, rc, err);
}

ag_err rectify_set_deadline(ag_store *st, const audit_actor *a, int64_t id, const char *deadline,
                            const char *reason, ag_error *err)
{
    int32_t day = 0;
    if (!deadline || strlen(deadline) != 10 || deadline[4] != '-' ||
        !ag_date_parse(deadline, 10, &day))
        return ag_fail(err, AG_ERR_INPUT, "deadline", "整改期限应为 YYYY-MM-DD 格式的有效日期：%s",
                       "the deadline is a valid date YYYY-MM-DD: %s", deadline ? deadline : "");
    ag_err rc = check_text(reason, "reason", "调整理由", "a reason", true, err);
    if (rc)
        return rc;
    char today[11];
    today_text(today);
    if (day < ag_clock_today())
        return ag_fail(err, AG_ERR_INPUT, "deadline", "新的整改期限 %s 早于今天（%s）",
                       "the new deadline %s is before today (%s)", deadline, today);
    rect_row r;
    const char *next = NULL;
    if ((rc = begin_write(st, a, id, RECTIFY_SIDE_LEAD, "deadline", &r, &next, err)))
        return rc;
    if (!strcmp(r.deadline, deadline))
        rc = ag_fail(err, AG_ERR_INPUT, "deadline", "整改期限已是 %s", "the deadline is already %s",
                     deadline);
    if (!rc) {
        char body[RECT_TEXT_MAX + 64];
        snprintf(body, sizeof body, "%s → %s：%s", r.deadline, deadline, reason);
        rc = add_event(st, a, id, "deadline", body, NULL, err);
    }
    if (!rc) {
        /* A cleared escalation lets the next overdue escalate afresh. */
        ag_field f[] = {ag_field_text("deadline", deadline), ag_field_null("escalated_at")};
        rc = store_update(st, "rectification", "id", ag_field_int("id", id), f, 2, err);
    }
    return store_end(st, rc, err);
}

/* ---- escalation ------------------------------------------------------------ */

/* Writes (or, after a deadline move, refreshes) one overdue notification.
 * UNIQUE (audience, rect_id, kind) keeps one "overdue" row per audience and
 * item; a re-escalation rewrites it as new and unread, while rect_event keeps
 * every escalation. */
static ag_err notify(ag_store *st, const char *audience, const char *unit_code, const char *cell_id,
                     int64_t project_id, int64_t rect_id, int64_t person_id, const char *zh,
                     const char *en, const char *ts, ag_error *err)
{
    int64_t existing = 0;
    ag_err rc = wf_query_int(st, &existing, err,
                             "SELECT id FROM notification WHERE audience = ? AND rect_id = ?"
                             " AND kind = 'overdue'",
                             "ti", audience, rect_id);
    if (rc)
        return rc;
    ag_field person = person_id ? ag_field_int("person_id", person_id) : ag_field_null("person_id");
    if (existing) {
        ag_field f[] = {ag_field_text("cell_id", cell_id), person,
                        ag_field_text("message_zh", zh),   ag_field_text("message_en", en),
                        ag_field_text("created_at", ts),   ag_field_null("read_at")};
        return store_update(st, "notification", "id", ag_field_int("id", existing), f, 6, err);
    }
    ag_field f[] = {ag_field_text("audience", audience),
                    ag_field_text("unit_code", unit_code),
                    ag_field_text("cell_id", cell_id),
                    ag_field_int("project_id", project_id),
                    ag_field_int("rect_id", rect_id),
                    ag_field_text("kind", "overdue"),
                    person,
                    ag_field_text("message_zh", zh),
                    ag_field_text("message_en", en),
                    ag_field_text("created_at", ts)};
    return store_insert(st, "notification", "id", f, 10, NULL, err);
}

ag_err rectify_escalate(ag_store *st, int64_t *count, ag_error *err)
{
    if (count)
        *count = 0;
    char today[11], ts[21];
    today_text(today);
    now_text(ts);
    int32_t tday = ag_clock_today();
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    ag_stmt *s = NULL;
    bool row = false;
    json_t *due = json_array();
    rc = store_prepare_args(
        st, &s, err,
        "SELECT r.id, r.project_id, r.unit_code, u.name, u.cell_id, f.title, r.deadline, p.code,"
        " (SELECT us.person_id FROM unit_subject us WHERE us.unit_code = r.unit_code"
        "  AND us.role = 'principal' ORDER BY us.id DESC LIMIT 1)"
        " FROM rectification r JOIN finding f ON f.id = r.finding_id"
        " JOIN unit u ON u.code = r.unit_code JOIN audit_project p ON p.id = r.project_id"
        " WHERE r.state IN ('open', 'in_progress') AND r.deadline < ? AND r.escalated_at IS NULL"
        " ORDER BY r.deadline, r.id",
        "t", today);
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        json_t *o = json_pack(
            "{s:I,s:I,s:s,s:s,s:s?,s:s,s:s,s:s,s:I}", "id", (json_int_t)store_col_int(s, 0),
            "project_id", (json_int_t)store_col_int(s, 1), "unit", store_col_text(s, 2),
            "unit_name", store_col_text(s, 3), "cell", store_col_text(s, 4), "title",
            store_col_text(s, 5), "deadline", store_col_text(s, 6), "project", store_col_text(s, 7),
            "person", (json_int_t)(store_col_is_null(s, 8) ? 0 : store_col_int(s, 8)));
        json_array_append_new(due, o);
    }
    store_finalize(s);
    int64_t done = 0;
    for (size_t i = 0; !rc && i < json_array_size(due); i++) {
        json_t *o = json_array_get(due, i);
        int64_t id = json_integer_value(json_object_get(o, "id"));
        int64_t pid = json_integer_value(json_object_get(o, "project_id"));
        const char *unit = json_string_value(json_object_get(o, "unit"));
        const char *uname = json_string_value(json_object_get(o, "unit_name"));
        const char *cell = json_string_value(json_object_get(o, "cell"));
        const char *title = json_string_value(json_object_get(o, "title"));
        const char *deadline = json_string_value(json_object_get(o, "deadline"));
        const char *pcode = json_string_value(json_object_get(o, "project"));
        int32_t dl = 0;
        ag_date_parse(deadline, strlen(deadline), &dl);
        int late = (int)(tday - dl);
        char zh[1024], en[1024];
        snprintf(zh, sizeof zh,
                 "整改逾期：%s 的整改事项“%s”（项目 %s，期限 %s）已逾期 %d 天，请作为整改第一"
                 "责任人督促落实。",
                 uname, title, pcode, deadline, late);
        snprintf(en, sizeof en,
                 "Rectification overdue: %s, \"%s\" (project %s, deadline %s) is %d days "
                 "overdue; as the first responsible person, please see it through.",
                 uname, title, pcode, deadline, late);
        ag_utf8_trim_tail(zh);
        rc = notify(st, "leader", unit, cell, pid, id,
                    json_integer_value(json_object_get(o, "person")), zh, en, ts, err);
        if (!rc) {
            snprintf(zh, sizeof zh,
                     "整改逾期：所属单位 %s 的整改事项“%s”（项目 %s，期限 %s）已逾期 %d 天，"
                     "请督促整改。",
                     uname, title, pcode, deadline, late);
            snprintf(en, sizeof en,
                     "Rectification overdue: %s, a unit under your supervision, has \"%s\" "
                     "(project %s, deadline %s) %d days overdue; please follow up.",
                     uname, title, pcode, deadline, late);
            ag_utf8_trim_tail(zh);
            rc = notify(st, "supervisor", unit, cell, pid, id, 0, zh, en, ts, err);
        }
        if (!rc) {
            char body[256];
            snprintf(body, sizeof body,
                     "逾期 %d 天，已通知单位主要负责人和主管部门 / %d days overdue; principal "
                     "and supervisor notified",
                     late, late);
            audit_actor sys = {.scope = {.role = AG_ROLE_ADMIN}, .name = NULL};
            rc = add_event(st, &sys, id, "escalate", body, NULL, err);
        }
        if (!rc) {
            ag_field f[] = {ag_field_text("escalated_at", ts)};
            rc = store_update(st, "rectification", "id", ag_field_int("id", id), f, 1, err);
        }
        if (!rc)
            done++;
    }
    json_decref(due);
    rc = store_end(st, rc, err);
    if (!rc && count)
        *count = done;
    return rc;
}

/* ---- reading the ledger ---------------------------------------------------- */

/* The columns of one ledger row; ITEM_FROM joins what they need. */
#define ITEM_COLS                                                                                  \
    "SELECT r.id, r.finding_id, r.project_id, p.code, p.name,"                                     \
    " (SELECT ar.doc_no FROM audit_record ar WHERE ar.project_id = r.project_id"                   \
    "  AND ar.kind = 'notice' ORDER BY ar.id DESC LIMIT 1),"                                       \
    " r.unit_code, u.name, u.cell_id, f.item, f.title, f.amount, f.basis, r.class, r.measures,"    \
    " r.deadline, r.state, f.responsible,"                                                         \
    " (SELECT e.body FROM rect_event e WHERE e.rect_id = r.id AND e.kind = 'progress'"             \
    "  ORDER BY e.id DESC LIMIT 1),"                                                               \
    " r.result, f.repeat_of, r.escalated_at, r.claimed_at, r.verified_by, r.verified_at,"          \
    " r.closed_at, f.description, f.recommendation, f.severity,"                                   \
    " (SELECT pe.name FROM unit_subject us JOIN person pe ON pe.id = us.person_id"                 \
    "  WHERE us.unit_code = r.unit_code AND us.role = 'principal' ORDER BY us.id DESC LIMIT 1),"   \
    " (SELECT pe.name FROM audit_team t JOIN person pe ON pe.id = t.person_id"                     \
    "  WHERE t.project_id = r.project_id AND t.role = 'lead' ORDER BY t.id LIMIT 1)"
#define ITEM_FROM                                                                                  \
    " FROM rectification r JOIN finding f ON f.id = r.finding_id"                                  \
    " JOIN audit_project p ON p.id = r.project_id JOIN unit u ON u.code = r.unit_code"

static json_t *text_or_null(ag_stmt *s, int col)
{
    const char *t = store_col_text(s, col);
    return t ? json_string(t) : json_null();
}

/* Days an item in state/deadline is past due as of `today` (0 when not). */
static int64_t days_late(const char *state, const char *deadline, int32_t today)
{
    if (strcmp(state, "open") && strcmp(state, "in_progress"))
        return 0;
    int32_t d = 0;
    if (!deadline || !ag_date_parse(deadline, strlen(deadline), &d))
        return 0;
    return d < today ? (int64_t)(today - d) : 0;
}

/* One ledger row from ITEM_COLS; `full` adds what rectify_get shows. */
static json_t *item_row(ag_stmt *s, int32_t today, bool full)
{
    static const char *const keys[] = {
        "id",          "finding_id", "project_id",  "project_code",   "project_name", "notice_no",
        "unit_code",   "unit_name",  "cell_id",     "item",           "title",        "amount",
        "basis",       "class",      "measures",    "deadline",       "state",        "responsible",
        "progress",    "result",     "repeat_of",   "escalated_at",   "claimed_at",   "verified_by",
        "verified_at", "closed_at",  "description", "recommendation", "severity",     "principal",
        "team_lead"};
    int ncols = full ? 31 : 26;
    json_t *o = json_object();
    for (int c = 0; c < ncols; c++) {
        bool is_int = c == 0 || c == 1 || c == 2 || c == 11 || c == 20;
        json_t *v = store_col_is_null(s, c) ? json_null()
                    : is_int                ? json_integer(store_col_int(s, c))
                                            : text_or_null(s, c);
        json_object_set_new(o, keys[c], v);
    }
    int64_t late = days_late(store_col_text(s, 16), store_col_text(s, 15), today);
    json_object_set_new(o, "overdue", json_boolean(late > 0));
    json_object_set_new(o, "days_overdue", json_integer(late));
    json_object_set_new(o, "repeat", json_boolean(!store_col_is_null(s, 20)));
    return o;
}

/* Adds evidence_count and evidence [file names] to each row of items. */
static ag_err add_evidence(ag_store *st, json_t *items, ag_error *err)
{
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = store_prepare(st,
                              "SELECT a.filename FROM rect_event e JOIN attachment a"
                              " ON a.owner_kind = 'rect_event' AND a.owner_id = e.id"
                              " WHERE e.rect_id = ? ORDER BY a.id",
                              &s, err);
    for (size_t i = 0; !rc && i < json_array_size(items); i++) {
        json_t *it = json_array_get(items, i);
        json_t *names = json_array();
        rc = store_reset_args(s, err, "i", (int64_t)json_integer_value(json_object_get(it, "id")));
        while (!rc && !(rc = store_step(s, &row, err)) && row)
            json_array_append_new(names, json_string(store_col_text(s, 0)));
        json_object_set_new(it, "evidence_count", json_integer((json_int_t)json_array_size(names)));
        json_object_set_new(it, "evidence", names);
    }
    store_finalize(s);
    return rc;
}

/* The filter's WHERE text after ITEM_FROM; binds follow in bind_list. */
static ag_err list_where(const rectify_filter *f, const ag_scope *scope, scope_sql *q, char *out,
                         size_t cap, ag_error *err)
{
    ag_scope all = {.role = AG_ROLE_ADMIN};
    ag_err rc = scope_predicate(scope ? scope : &all, "r.unit_code", q, err);
    if (rc)
        return rc;
    bool overdue = f->state && !strcmp(f->state, "overdue");
    snprintf(out, cap,
             " WHERE (? IS NULL OR r.unit_code = ?) AND (? = 0 OR r.project_id = ?)"
             " AND (? IS NULL OR u.cell_id = ?) AND %s AND %s",
             overdue ? "r.state IN ('open', 'in_progress') AND r.deadline < ?"
                     : "(? IS NULL OR r.state = ?)",
             q->text);
    return AG_OK;
}

static ag_err bind_list(ag_stmt *s, const rectify_filter *f, const scope_sql *q, const char *today,
                        int *next)
{
    bool overdue = f->state && !strcmp(f->state, "overdue");
    ag_err rc = store_bind_text(s, 1, f->unit_code);
    if (!rc)
        rc = store_bind_text(s, 2, f->unit_code);
    if (!rc)
        rc = store_bind_int(s, 3, f->project_id);
    if (!rc)
        rc = store_bind_int(s, 4, f->project_id);
    if (!rc)
        rc = store_bind_text(s, 5, f->cell_id);
    if (!rc)
        rc = store_bind_text(s, 6, f->cell_id);
    int idx = 7;
    if (!rc && overdue)
        rc = store_bind_text(s, idx++, today);
    else if (!rc) {
        rc = store_bind_text(s, idx++, f->state);
        if (!rc)
            rc = store_bind_text(s, idx++, f->state);
    }
    if (!rc)
        rc = scope_bind(s, q, idx, next);
    return rc;
}

ag_err rectify_list(ag_store *st, const rectify_filter *f, const ag_scope *scope, json_t **out,
                    ag_error *err)
{
    *out = NULL;
    rectify_filter none = {0};
    if (!f)
        f = &none;
    bool known = !f->state || !strcmp(f->state, "overdue");
    for (int i = 0; !known && i < rectify_state_count; i++)
        known = !strcmp(f->state, rectify_states[i]);
    if (!known)
        return ag_fail(err, AG_ERR_INPUT, "state",
                       "状态应为 open、in_progress、claimed、continuous、closed 或 overdue：%s",
                       "the state is open, in_progress, claimed, continuous, closed or overdue: %s",
                       f->state);
    char today[11], where[1024], sql[4096];
    today_text(today);
    int32_t tday = ag_clock_today();
    scope_sql q;
    ag_err rc = list_where(f, scope, &q, where, sizeof where, err);
    if (rc)
        return rc;
    ag_stmt *s = NULL;
    bool row = false;
    int next = 0;
    int64_t total = 0;
    snprintf(sql, sizeof sql, "SELECT COUNT(*)" ITEM_FROM "%s", where);
    rc = store_prepare(st, sql, &s, err);
    if (!rc)
        rc = bind_list(s, f, &q, today, &next);
    rc = wf_step_int(s, rc, &total, err);
    s = NULL;
    snprintf(sql, sizeof sql, ITEM_COLS ITEM_FROM "%s ORDER BY r.deadline, r.id LIMIT ? OFFSET ?",
             where);
    if (!rc)
        rc = store_prepare(st, sql, &s, err);
    if (!rc)
        rc = bind_list(s, f, &q, today, &next);
    /* -1 (exports) is "everything"; a bigint bound works on both backends
     * where a negative LIMIT does not. */
    if (!rc)
        rc = store_bind_int(s, next, f->limit < 0 ? INT64_MAX : f->limit > 0 ? f->limit : 100);
    if (!rc)
        rc = store_bind_int(s, next + 1, f->offset > 0 ? f->offset : 0);
    json_t *items = json_array();
    while (!rc && !(rc = store_step(s, &row, err)) && row)
        json_array_append_new(items, item_row(s, tday, false));
    store_finalize(s);
    if (!rc)
        rc = add_evidence(st, items, err);
    if (rc) {
        json_decref(items);
        return rc;
    }
    *out = json_pack("{s:I,s:o}", "total", (json_int_t)total, "items", items);
    return AG_OK;
}

static json_t *event_row(ag_stmt *s)
{
    return json_pack("{s:I,s:s,s:o,s:s,s:s,s:[]}", "id", (json_int_t)store_col_int(s, 0), "kind",
                     store_col_text(s, 1), "body", text_or_null(s, 2), "created_by",
                     store_col_text(s, 3), "created_at", store_col_text(s, 4), "attachments");
}

/* The events of one item with their attachments. */
static ag_err item_events(ag_store *st, int64_t id, json_t **out, ag_error *err)
{
    ag_stmt *s = NULL, *att = NULL;
    bool row = false;
    json_t *events = NULL;
    ag_err rc = wf_prep(st, &s, err,
                        "SELECT id, kind, body, created_by, created_at FROM rect_event"
                        " WHERE rect_id = ? ORDER BY id",
                        "i", id);
    rc = wf_rows(s, rc, event_row, &events, err);
    if (!rc)
        rc = store_prepare(st,
                           "SELECT id, filename, mime, bytes, sha256 FROM attachment"
                           " WHERE owner_kind = 'rect_event' AND owner_id = ? ORDER BY id",
                           &att, err);
    for (size_t i = 0; !rc && i < json_array_size(events); i++) {
        json_t *ev = json_array_get(events, i);
        json_t *list = json_object_get(ev, "attachments");
        rc =
            store_reset_args(att, err, "i", (int64_t)json_integer_value(json_object_get(ev, "id")));
        while (!rc && !(rc = store_step(att, &row, err)) && row)
            json_array_append_new(
                list, json_pack("{s:I,s:s,s:s,s:I,s:s}", "id", (json_int_t)store_col_int(att, 0),
                                "filename", store_col_text(att, 1), "mime", store_col_text(att, 2),
                                "bytes", (json_int_t)store_col_int(att, 3), "sha256",
                                store_col_text(att, 4)));
    }
    store_finalize(att);
    if (rc) {
        json_decref(events);
        return rc;
    }
    *out = events;
    return AG_OK;
}

/* One item with the detail fields, for rectify_get; ctx is today's day. */
static json_t *item_detail_row(ag_stmt *s, void *ctx)
{
    return item_row(s, *(const int32_t *)ctx, true);
}

ag_err rectify_get(ag_store *st, int64_t id, const ag_scope *scope, json_t **out, ag_error *err)
{
    *out = NULL;
    json_t *item = NULL, *events = NULL;
    int32_t today = ag_clock_today();
    ag_err rc = scope_select_one(st, scope, ITEM_COLS ITEM_FROM, "r.id", "r.unit_code", id,
                                 item_detail_row, &today, &item, err);
    if (!rc && !item)
        rc = not_found(id, err);
    json_t *one = json_array();
    if (item)
        json_array_append(one, item);
    if (!rc)
        rc = add_evidence(st, one, err);
    json_decref(one);
    if (!rc)
        rc = item_events(st, id, &events, err);
    if (rc) {
        json_decref(item);
        return rc;
    }
    json_object_set_new(item, "events", events);
    *out = item;
    return AG_OK;
}

ag_err rectify_summary(ag_store *st, const ag_scope *scope, json_t **out, ag_error *err)
{
    *out = NULL;
    char today[11];
    today_text(today);
    ag_stmt *s = NULL;
    bool row = false;
    /* One pass grouped by unit and state; overdue is counted beside it. */
    ag_err rc = scope_prepare(st, scope, "r.unit_code",
                              "SELECT r.unit_code, r.state, COUNT(*),"
                              " SUM(CASE WHEN r.state IN ('open', 'in_progress') AND r.deadline < ?"
                              " THEN 1 ELSE 0 END) FROM rectification r WHERE ",
                              " GROUP BY r.unit_code, r.state ORDER BY r.unit_code, r.state", &s,
                              NULL, err, "t", today);
    int64_t open = 0, overdue = 0, claimed = 0, closed = 0, cont = 0;
    json_t *by_unit = json_object();
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        const char *unit = store_col_text(s, 0), *state = store_col_text(s, 1);
        int64_t n = store_col_int(s, 2), late = store_col_int(s, 3);
        json_t *u = json_object_get(by_unit, unit);
        if (!u) {
            u = json_pack("{s:I,s:I}", "open", (json_int_t)0, "overdue", (json_int_t)0);
            json_object_set_new(by_unit, unit, u);
        }
        /* "open" is everything the unit still has to finish: 未整改 and 整改中. */
        if (!strcmp(state, "open") || !strcmp(state, "in_progress")) {
            open += n;
            overdue += late;
            json_object_set_new(
                u, "open",
                json_integer(json_integer_value(json_object_get(u, "open")) + (json_int_t)n));
            json_object_set_new(
                u, "overdue",
                json_integer(json_integer_value(json_object_get(u, "overdue")) + (json_int_t)late));
        } else if (!strcmp(state, "claimed"))
            claimed += n;
        else if (!strcmp(state, "closed"))
            closed += n;
        else if (!strcmp(state, "continuous"))
            cont += n;
    }
    store_finalize(s);
    if (rc) {
        json_decref(by_unit);
        return rc;
    }
    *out = json_pack("{s:I,s:I,s:I,s:I,s:I,s:o}", "open", (json_int_t)open, "overdue",
                     (json_int_t)overdue, "claimed", (json_int_t)claimed, "closed",
                     (json_int_t)closed, "continuous", (json_int_t)cont, "by_unit", by_unit);
    return AG_OK;
}

/* One role's slice of the notifications, as an SQL predicate over alias n
 * with its arguments: texts first, then the person id when `person`. */
typedef struct notif_scope {
    const char *pred;
    const char *args[2];
    int nargs;
    bool person;
    int64_t person_id;
} notif_scope;

/* Deny by default: a role not named here sees nothing. */
static void notif_scope_of(const ag_scope *sc, notif_scope *q)
{
    memset(q, 0, sizeof *q);
    q->pred = "1 = 0";
    q->person_id = sc->person_id;
    switch (sc->role) {
    case AG_ROLE_ADMIN:
    case AG_ROLE_REVIEWER:
        q->pred = "1 = 1";
        break;
    case AG_ROLE_LEADER:
        q->pred = "n.audience = 'leader' AND n.unit_code = ?";
        q->args[q->nargs++] = sc->unit_code;
        break;
    case AG_ROLE_SUPERVISOR:
        q->pred = "n.audience = 'supervisor' AND n.cell_id = ?";
        q->args[q->nargs++] = sc->cell_id;
        break;
    case AG_ROLE_LIAISON:
        q->pred = "n.unit_code IN (SELECT code FROM unit WHERE cell_id = ? OR cell_id IN"
                  " (SELECT cell_id FROM cell_liaison WHERE person_id = ?))";
        q->args[q->nargs++] = sc->cell_id;
        q->person = true;
        break;
    case AG_ROLE_AUDITOR: /* issue 12 §2 (warn): the bureau's notices are the bureau's */
        q->pred = "n.unit_code = ? AND n.audience <> 'bureau'";
        q->args[q->nargs++] = sc->unit_code;
        break;
    case AG_ROLE_CHIEF_AUDITOR:
        q->pred = "n.unit_code IN (SELECT code FROM unit WHERE code = ? OR parent_code = ?)"
                  " AND n.audience <> 'bureau'";
        q->args[q->nargs++] = sc->unit_code;
        q->args[q->nargs++] = sc->unit_code;
        break;
    default:
        break;
    }
}

/* Binds q's arguments from parameter *idx on; *idx ends past them. */
static ag_err notif_scope_bind(ag_stmt *s, const notif_scope *q, int *idx)
{
    ag_err rc = AG_OK;
    for (int i = 0; !rc && i < q->nargs; i++)
        rc = store_bind_text(s, (*idx)++, q->args[i]);
    if (!rc && q->person)
        rc = store_bind_int(s, (*idx)++, q->person_id);
    return rc;
}

/* SELECT COUNT(*) over the scope's notifications and an extra condition. */
static ag_err notif_count(ag_store *st, const notif_scope *q, const char *extra, int64_t *n,
                          ag_error *err)
{
    char sql[1024];
    ag_stmt *s = NULL;
    int idx = 1;
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM notification n WHERE (%s)%s", q->pred, extra);
    ag_err rc = store_prepare(st, sql, &s, err);
    if (!rc)
        rc = notif_scope_bind(s, q, &idx);
    return wf_step_int(s, rc, n, err);
}

/* The columns of one notification; NOTIF_FROM joins what they need. */
#define NOTIF_COLS                                                                                 \
    "SELECT n.id, n.audience, n.unit_code, u.name, n.kind, n.rect_id, n.project_id,"               \
    " pe.name, n.message_zh, n.message_en, n.created_at, n.read_at,"                               \
    " n.warning_id" /* issue 12 §2 (warn) */
#define NOTIF_FROM                                                                                 \
    " FROM notification n JOIN unit u ON u.code = n.unit_code"                                     \
    " LEFT JOIN person pe ON pe.id = n.person_id"

static json_t *notif_row(ag_stmt *s)
{
    json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s}", "id", (json_int_t)store_col_int(s, 0),
                          "audience", store_col_text(s, 1), "unit_code", store_col_text(s, 2),
                          "unit_name", store_col_text(s, 3), "kind", store_col_text(s, 4));
    json_object_set_new(o, "rect_id",
                        store_col_is_null(s, 5) ? json_null() : json_integer(store_col_int(s, 5)));
    json_object_set_new(o, "project_id",
                        store_col_is_null(s, 6) ? json_null() : json_integer(store_col_int(s, 6)));
    json_object_set_new(o, "person_name", text_or_null(s, 7));
    json_object_set_new(o, "message_zh", text_or_null(s, 8));
    json_object_set_new(o, "message_en", text_or_null(s, 9));
    json_object_set_new(o, "created_at", text_or_null(s, 10));
    json_object_set_new(o, "read_at", text_or_null(s, 11));
    /* issue 12 §2 (warn): a notice for the bureau about a warning names it. */
    json_object_set_new(o, "warning_id",
                        store_col_is_null(s, 12) ? json_null()
                                                 : json_integer(store_col_int(s, 12)));
    return o;
}

ag_err rectify_notifications(ag_store *st, const ag_scope *scope, int64_t limit, bool unread_only,
                             json_t **out, ag_error *err)
{
    *out = NULL;
    ag_scope all = {.role = AG_ROLE_ADMIN};
    notif_scope q;
    notif_scope_of(scope ? scope : &all, &q);
    const char *extra = unread_only ? " AND n.read_at IS NULL" : "";
    char sql[1024];
    ag_stmt *s = NULL;
    int64_t total = 0, unread = 0;
    int idx = 1;
    ag_err rc = notif_count(st, &q, extra, &total, err);
    if (!rc)
        rc = notif_count(st, &q, " AND n.read_at IS NULL", &unread, err);
    snprintf(sql, sizeof sql,
             NOTIF_COLS NOTIF_FROM " WHERE (%s)%s ORDER BY n.created_at DESC, n.id DESC LIMIT ?",
             q.pred, extra);
    if (!rc)
        rc = store_prepare(st, sql, &s, err);
    if (!rc)
        rc = notif_scope_bind(s, &q, &idx);
    if (!rc)
        rc = store_bind_int(s, idx, limit < 0 ? INT64_MAX : limit > 0 ? limit : 100);
    json_t *items = NULL;
    rc = wf_rows(s, rc, notif_row, &items, err);
    if (rc)
        return rc;
    *out = json_pack("{s:I,s:I,s:o}", "total", (json_int_t)total, "unread", (json_int_t)unread,
                     "items", items);
    return AG_OK;
}

/* Loads notification id as the scope may see it into *out (may be NULL);
 * AG_ERR_NOTFOUND, with one message, when it is missing or out of scope. */
static ag_err notif_load(ag_store *st, const ag_scope *sc, int64_t id, json_t **out, ag_error *err)
{
    notif_scope q;
    notif_scope_of(sc, &q);
    char sql[1024];
    ag_stmt *s = NULL;
    bool row = false;
    int idx = 1;
    if (out)
        *out = NULL;
    snprintf(sql, sizeof sql, NOTIF_COLS NOTIF_FROM " WHERE (%s) AND n.id = ?", q.pred);
    ag_err rc = store_prepare(st, sql, &s, err);
    if (!rc)
        rc = notif_scope_bind(s, &q, &idx);
    if (!rc)
        rc = store_bind_int(s, idx, id);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row && out)
        *out = notif_row(s);
    store_finalize(s);
    if (!rc && !row)
        rc = ag_fail(err, AG_ERR_NOTFOUND, "id", "提醒 %lld 不存在", "no notification %lld",
                     (long long)id);
    return rc;
}

ag_err rectify_notification_get(ag_store *st, int64_t id, const ag_scope *scope, json_t **out,
                                ag_error *err)
{
    ag_scope all = {.role = AG_ROLE_ADMIN};
    return notif_load(st, scope ? scope : &all, id, out, err);
}

ag_err rectify_notification_read(ag_store *st, const audit_actor *a, int64_t id, ag_error *err)
{
    json_t *o = NULL;
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = notif_load(st, &a->scope, id, &o, err);
    if (!rc && a->scope.role == AG_ROLE_REVIEWER)
        rc = ag_fail(err, AG_ERR_DENIED, "role", "审阅角色只能查看提醒，不能标为已读",
                     "a reviewer reads notifications but does not mark them read");
    /* Already read: nothing to write, and the first reading time stays. */
    if (!rc && json_is_null(json_object_get(o, "read_at"))) {
        char ts[21];
        now_text(ts);
        ag_field f[] = {ag_field_text("read_at", ts)};
        rc = store_update(st, "notification", "id", ag_field_int("id", id), f, 1, err);
    }
    json_decref(o);
    return store_end(st, rc, err);
}
