/* audit.c - audit projects through 审前·审中·审后: the stage machine, who may do what, findings. */
#include "domain/audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/attach.h"
#include "domain/catalog.h"
#include "domain/crossaudit.h"
#include "domain/warnings.h" /* issue 12 §2 (warn) */
#include "domain/wf_query.h"
#include "util/clock.h"
#include "util/date.h"
#include "util/encoding.h"
#include "util/money.h"
#include "util/banned.h"

const char *const audit_kinds[] = {"self_check", "cross", "special", "tracking", "econ_resp"};
const int audit_kind_count = 5;
static const char *const KIND_ZH[] = {"自查", "交叉互审", "专项审计", "跟踪审计", "经济责任审计"};
static const char *const KIND_EN[] = {"self-check", "cross audit", "special audit",
                                      "tracking audit", "economic-responsibility audit"};

const char *const audit_stages[] = {"pre", "field", "report", "rectify", "closed"};
const int audit_stage_count = 5;
static const char *const STAGE_ZH[] = {"审前", "审中", "审后·报告", "审后·整改", "已结项"};
static const char *const STAGE_EN[] = {"pre-audit", "fieldwork", "reporting", "rectification",
                                       "closed"};

const char *const audit_record_kinds[] = {"plan",     "plan_approval", "notice",
                                          "survey",   "working_paper", "draft_report",
                                          "response", "final_report",  "followup"};
const int audit_record_kind_count = 9;
/* Stage and names of each record kind, in the order of audit_record_kinds. */
static const struct {
    const char *stage, *zh, *en;
} RECORD[] = {
    {"pre", "审计实施方案", "audit plan"},
    {"pre", "实施方案审批", "plan approval"},
    {"pre", "审计通知书", "audit notice"},
    {"pre", "审前调查", "pre-audit survey"},
    {"field", "审计工作底稿", "working paper"},
    {"report", "审计报告征求意见稿", "draft report"},
    {"report", "被审计单位书面意见", "audited unit's response"},
    {"report", "审计报告", "final report"},
    {"rectify", "整改跟踪检查记录", "follow-up record"},
};

static const char *const SEVERITIES[] = {"high", "medium", "low"};
static const char *const RECT_CLASSES[] = {"immediate", "phased", "continuous"};
static const char *const EVIDENCE_KINDS[] = {"ledger_line", "warning", "attachment"};

/* Bounds on what one call may write. */
#define NAME_MAX_BYTES   200
#define CODE_MAX_BYTES   32
#define DOCNO_MAX_BYTES  100
#define BODY_MAX_BYTES   20000
#define BASIS_MAX_BYTES  4000
#define NOTE_MAX_BYTES   2000
#define PERSON_MAX_BYTES 64
#define MAX_ITEMS        200
#define MAX_ATTACH       50
#define LIST_MAX         1000
#define AMOUNT_MAX       ((int64_t)1000000000000000) /* 10 万亿元 in fen */
#define ACTOR_DEFAULT    "system"

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

static int find(const char *const *list, int n, const char *v)
{
    for (int i = 0; v && i < n; i++)
        if (strcmp(list[i], v) == 0)
            return i;
    return -1;
}

const char *audit_kind_zh(const char *kind)
{
    int k = kind ? find(audit_kinds, audit_kind_count, kind) : -1;
    return k >= 0 ? KIND_ZH[k] : kind ? kind : "";
}

const char *audit_stage_zh(const char *stage)
{
    int k = stage ? find(audit_stages, audit_stage_count, stage) : -1;
    return k >= 0 ? STAGE_ZH[k] : stage ? stage : "";
}

const char *audit_record_zh(const char *kind)
{
    int k = kind ? find(audit_record_kinds, audit_record_kind_count, kind) : -1;
    return k >= 0 ? RECORD[k].zh : kind ? kind : "";
}

const char *audit_severity_zh(const char *severity)
{
    static const char *const zh[] = {"高", "中", "低"};
    int k = severity ? find(SEVERITIES, COUNT(SEVERITIES), severity) : -1;
    return k >= 0 ? zh[k] : severity ? severity : "";
}

const char *audit_record_stage(const char *kind)
{
    int k = find(audit_record_kinds, audit_record_kind_count, kind);
    return k < 0 ? NULL : RECORD[k].stage;
}

static int stage_index(const char *stage)
{
    return find(audit_stages, audit_stage_count, stage);
}

/* A value safe to echo in a message: short valid UTF-8, else an ellipsis,
 * so an error never carries a broken or huge input back to the caller. */
static const char *shown(const char *v)
{
    if (!v)
        return "";
    size_t n = strlen(v);
    return n <= 64 && ag_utf8_valid(v, n, false) ? v : "…";
}

static bool blank(const char *v)
{
    return !v || strspn(v, " \t\r\n") == strlen(v);
}

/* NULL for a blank optional field, so "" and "  " are stored as absent. */
static const char *opt(const char *v)
{
    return blank(v) ? NULL : v;
}

/* A text field of at most max bytes of UTF-8; single-line fields take no
 * control characters, multi-line ones allow tab, CR and LF. */
static ag_err check_text(const char *v, const char *field, const char *zh, const char *en,
                         size_t max, bool required, bool multiline, ag_error *err)
{
    if (blank(v))
        return required
                   ? ag_fail(err, AG_ERR_INPUT, field, "请填写%s%.0s", "%.0s%s is required", zh, en)
                   : AG_OK;
    size_t n = strlen(v);
    if (n > max)
        return ag_fail(err, AG_ERR_INPUT, field, "%s%.0s过长：最多 %zu 字节，请精简后重试",
                       "%.0s%s is too long: at most %zu bytes; shorten it", zh, en, max);
    if (!ag_utf8_valid(v, n, false))
        return ag_fail(err, AG_ERR_INPUT, field, "%s%.0s不是有效的 UTF-8 文本",
                       "%.0s%s is not valid UTF-8 text", zh, en);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        bool ctl = c < 0x20 || c == 0x7f;
        if (ctl && !(multiline && (c == '\n' || c == '\r' || c == '\t')))
            return ag_fail(err, AG_ERR_INPUT, field, "%s%.0s含有控制字符，请删除后重试",
                           "%.0s%s contains control characters; remove them", zh, en);
    }
    return AG_OK;
}

/* Exactly YYYY-MM-DD and a real calendar day. */
static ag_err check_date(const char *v, const char *field, const char *zh, const char *en,
                         int32_t *days, ag_error *err)
{
    if (!v || strlen(v) != 10 || v[4] != '-' || v[7] != '-' || !ag_date_parse(v, 10, days))
        return ag_fail(err, AG_ERR_INPUT, field, "%s%.0s应为有效日期，格式 YYYY-MM-DD：%s",
                       "%.0s%s must be a valid date YYYY-MM-DD: %s", zh, en, shown(v));
    return AG_OK;
}

static const char *actor_name(ag_store *st, const audit_actor *a)
{
    if (a && a->name && *a->name)
        return a->name;
    const char *s = store_actor(st);
    return s ? s : ACTOR_DEFAULT;
}

static void now_text(char ts[21])
{
    ag_clock_format(ag_clock_now(), ts);
}

static void today_text(char d[11])
{
    ag_date_format(ag_clock_today(), d);
}

/* ---- small query helpers ------------------------------------------------ */

static json_t *col_str(ag_stmt *s, int c)
{
    const char *t = store_col_text(s, c);
    return t ? json_string(t) : json_null();
}

static json_t *col_int_or_null(ag_stmt *s, int c)
{
    return store_col_is_null(s, c) ? json_null() : json_integer(store_col_int(s, c));
}

/* ---- the project and the actor ------------------------------------------ */

typedef struct project {
    int64_t id;
    char code[64];
    char kind[16];
    char unit[32];
    char cell[32]; /* the audited unit's grid cell, "" when it has none */
    char stage[16];
    int64_t catalog_version;
    json_t *items; /* owned: array of item codes */
    bool standing; /* a unit's standing ledger of the year (预警跟踪整改) */
} project;

static void project_release(project *p)
{
    json_decref(p->items);
    p->items = NULL;
}

static ag_err no_project(int64_t id, ag_error *err)
{
    char where[40];
    snprintf(where, sizeof where, "project#%lld", (long long)id);
    return ag_fail(err, AG_ERR_NOTFOUND, where, "审计项目 %lld 不存在，请核对项目编号",
                   "no audit project %lld; check the project id", (long long)id);
}

/* Loads a project whose audited unit is in scope (NULL: any). A project out
 * of scope is reported exactly like a missing one. */
static ag_err project_load(ag_store *st, int64_t id, const ag_scope *scope, project *p,
                           ag_error *err)
{
    memset(p, 0, sizeof *p);
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = scope_prepare(
        st, scope, "p.unit_code",
        "SELECT p.code, p.kind, p.unit_code, u.cell_id, p.stage, p.catalog_version, p.items,"
        " p.standing FROM audit_project p JOIN unit u ON u.code = p.unit_code WHERE p.id = ? AND ",
        "", &s, NULL, err, "i", id);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row) {
        p->id = id;
        snprintf(p->code, sizeof p->code, "%s", store_col_text(s, 0));
        snprintf(p->kind, sizeof p->kind, "%s", store_col_text(s, 1));
        snprintf(p->unit, sizeof p->unit, "%s", store_col_text(s, 2));
        const char *cell = store_col_text(s, 3);
        snprintf(p->cell, sizeof p->cell, "%s", cell ? cell : "");
        snprintf(p->stage, sizeof p->stage, "%s", store_col_text(s, 4));
        p->catalog_version = store_col_int(s, 5);
        p->items = json_loads(store_col_text(s, 6), 0, NULL);
        p->standing = store_col_text(s, 7) != NULL;
        if (!json_is_array(p->items)) {
            json_decref(p->items);
            p->items = json_array();
        }
    }
    store_finalize(s);
    if (!rc && !row)
        rc = no_project(id, err);
    return rc;
}

/* Reviewers read everything and write nothing. */
static ag_err refuse_reviewer(const audit_actor *a, ag_error *err)
{
    if (a->scope.role == AG_ROLE_REVIEWER)
        return ag_fail(err, AG_ERR_DENIED, "role",
                       "审阅账号只能查看，不能修改审计项目；请由审计组或管理员操作",
                       "a reviewer account is read-only; ask the audit team or an admin");
    return AG_OK;
}

static bool is_admin(const audit_actor *a)
{
    return a->scope.role == AG_ROLE_ADMIN;
}

/* Whether person is on the project's team (as lead when lead_only). */
static ag_err on_team(ag_store *st, int64_t project_id, int64_t person, bool lead_only, bool *yes,
                      ag_error *err)
{
    *yes = false;
    if (person <= 0)
        return AG_OK;
    int64_t n = 0;
    ag_err rc =
        wf_query_int(st, &n, err,
                     "SELECT COUNT(*) FROM audit_team WHERE project_id = ? AND person_id = ?"
                     " AND (? = 0 OR role = 'lead')",
                     "iii", project_id, person, (int64_t)lead_only);
    *yes = !rc && n > 0;
    return rc;
}

ag_err audit_is_team(ag_store *st, const audit_actor *a, int64_t project_id, bool lead_only,
                     bool *yes, ag_error *err)
{
    *yes = false;
    int64_t n = 0;
    ag_err rc = wf_query_int(st, &n, err, "SELECT COUNT(*) FROM audit_project WHERE id = ?", "i",
                             project_id);
    if (!rc && n == 0)
        rc = no_project(project_id, err);
    if (rc)
        return rc;
    if (is_admin(a)) {
        *yes = true;
        return AG_OK;
    }
    /* A reviewer's account may name a person, but reviewers never act. */
    if (a->scope.role == AG_ROLE_REVIEWER)
        return AG_OK;
    return on_team(st, project_id, a->scope.person_id, lead_only, yes, err);
}

static ag_err team_or_admin(ag_store *st, const audit_actor *a, const project *p, bool lead_only,
                            const char *what_zh, const char *what_en, ag_error *err)
{
    bool yes = is_admin(a);
    ag_err rc = yes ? AG_OK : on_team(st, p->id, a->scope.person_id, lead_only, &yes, err);
    if (rc || yes)
        return rc;
    if (lead_only)
        return ag_fail(err, AG_ERR_DENIED, "role", "只有管理员或本项目审计组组长才能%s%.0s",
                       "only an admin or the project's team lead may %.0s%s", what_zh, what_en);
    return ag_fail(err, AG_ERR_DENIED, "role", "只有管理员或本项目审计组成员才能%s%.0s",
                   "only an admin or a member of the project's audit team may %.0s%s", what_zh,
                   what_en);
}

static ag_err wrong_stage(const project *p, const char *what_zh, const char *what_en,
                          const char *need, ag_error *err)
{
    int have = stage_index(p->stage), want = stage_index(need);
    have = have < 0 ? 0 : have;
    want = want < 0 ? 0 : want;
    return ag_fail(
        err, AG_ERR_INPUT, "stage", "项目当前处于“%s”%.0s阶段，只有在“%s”%.0s阶段才能%s%.0s",
        "the project is in the %.0s%s stage; only in the %.0s%s stage may one %.0s%s",
        STAGE_ZH[have], STAGE_EN[have], STAGE_ZH[want], STAGE_EN[want], what_zh, what_en);
}

/* ---- independence (独立性) ------------------------------------------------ */

/* The rules' names, in the order of audit_rule. */
static const audit_rule_name RULE_NAMES[AUDIT_RULE_COUNT] = {
    {"team_not_audited_unit", "回避被审计单位", "recusal from the audited unit"},
    {"team_not_soe_group", "回避同一国企集团", "recusal from the audited unit's SOE group"},
    {"team_own_internal_audit", "自查由本单位内审实施",
     "a self-check is done by the unit's own internal audit"},
    {"approver_not_author", "编审分离", "whoever writes the plan does not approve it"},
    {"approver_not_team", "审批独立于审计组", "the approver is not on the audit team"},
    {"verifier_team_or_bureau", "核验由审计组或审计局",
     "the audit team or the bureau verifies a closure"},
    {"verifier_not_audited_unit", "被审计单位不核验自己的整改",
     "the audited unit does not verify its own rectification"},
    {"verifier_not_claimer", "申报与核验分离", "whoever claims completion does not verify it"},
};

/* The independence table: one row per project kind, one column per rule.
 * A self-check is the unit's own internal audit at work, so its team comes
 * from the unit (or its group) and bureau staff; what keeps it honest is
 * that others approve its plan and nobody verifies their own claim. Every
 * other kind is an audit from outside: nobody of the audited unit or its
 * group on the team, nor verifying. */
#define T true
#define F false
/* clang-format off */
static const audit_independence INDEPENDENCE[] = {
    /*               team:         approver:     verifier:
     *               unit grp own  author team   team unit claimer */
    {"self_check", { F,   F,  T,   T,     T,     T,   F,   T }},
    {"cross",      { T,   T,  F,   T,     T,     T,   T,   T }},
    {"special",    { T,   T,  F,   T,     T,     T,   T,   T }},
    {"tracking",   { T,   T,  F,   T,     T,     T,   T,   T }},
    {"econ_resp",  { T,   T,  F,   T,     T,     T,   T,   T }},
};
/* clang-format on */
#undef T
#undef F

audit_rule_name audit_rule_info(audit_rule r)
{
    audit_rule_name none = {NULL, NULL, NULL};
    return (int)r >= 0 && r < AUDIT_RULE_COUNT ? RULE_NAMES[r] : none;
}

const audit_independence *audit_independence_of(const char *kind)
{
    for (int i = 0; kind && i < COUNT(INDEPENDENCE); i++)
        if (!strcmp(INDEPENDENCE[i].kind, kind))
            return &INDEPENDENCE[i];
    return NULL;
}

json_t *audit_independence_json(const char *kind)
{
    json_t *arr = json_array();
    const audit_independence *ind = audit_independence_of(kind);
    for (int r = 0; ind && r < AUDIT_RULE_COUNT; r++)
        if (ind->rule[r])
            json_array_append_new(arr, json_pack("{s:s,s:s,s:s}", "code", RULE_NAMES[r].code, "zh",
                                                 RULE_NAMES[r].zh, "en", RULE_NAMES[r].en));
    return arr;
}

ag_err audit_rule_refuse(ag_error *err, ag_err code, const char *where, audit_rule r,
                         const char *detail_zh, const char *detail_en)
{
    audit_rule_name n = audit_rule_info(r);
    return ag_fail(err, code, where, "%s（独立性规则：%s）%.0s%.0s",
                   "%.0s%.0s%s (independence rule: %s)", detail_zh, n.zh ? n.zh : "?", detail_en,
                   n.en ? n.en : "?");
}

/* Whether the requirement of rule r holds for kind (unknown kinds: all rules,
 * the strictest reading). */
static bool binds(const char *kind, audit_rule r)
{
    const audit_independence *ind = audit_independence_of(kind);
    return !ind || ind->rule[r];
}

/* The head of unit's SOE group in head ("" when the unit is not a 国企):
 * parents are followed while they are 国企, at most a bounded depth. */
static ag_err soe_head(ag_store *st, const char *unit, char head[32], ag_error *err)
{
    head[0] = '\0';
    char cur[32];
    snprintf(cur, sizeof cur, "%s", unit);
    for (int depth = 0; depth < 16; depth++) {
        ag_stmt *s = NULL;
        bool row = false;
        ag_err rc = wf_prep(st, &s, err,
                            "SELECT u.type, u.parent_code, p.type FROM unit u"
                            " LEFT JOIN unit p ON p.code = u.parent_code WHERE u.code = ?",
                            "t", cur);
        if (!rc)
            rc = store_step(s, &row, err);
        bool soe = false, up = false;
        char parent[32] = "";
        if (!rc && row) {
            const char *type = store_col_text(s, 0), *pc = store_col_text(s, 1),
                       *ptype = store_col_text(s, 2);
            soe = type && !strcmp(type, "国企");
            up = soe && pc && ptype && !strcmp(ptype, "国企") && strlen(pc) < sizeof parent;
            if (up)
                snprintf(parent, sizeof parent, "%s", pc);
        }
        store_finalize(s);
        if (rc)
            return rc;
        if (!soe)
            return AG_OK; /* not a 国企 (or gone): no group */
        snprintf(head, 32, "%s", cur);
        if (!up)
            return AG_OK;
        snprintf(cur, sizeof cur, "%s", parent);
    }
    return AG_OK;
}

/* How one unit a person belongs to stands to the audited unit. */
static ag_err unit_relation(ag_store *st, const char *unit, const char *audited,
                            const char *audited_head, audit_relation *rel, ag_error *err)
{
    if (!strcmp(unit, audited)) {
        *rel = AUDIT_REL_UNIT;
        return AG_OK;
    }
    *rel = AUDIT_REL_OTHER;
    if (!*audited_head)
        return AG_OK;
    char head[32];
    ag_err rc = soe_head(st, unit, head, err);
    if (!rc && *head && !strcmp(head, audited_head))
        *rel = AUDIT_REL_GROUP;
    return rc;
}

ag_err audit_person_relation(ag_store *st, int64_t person_id, const char *unit_code,
                             audit_relation *rel, ag_error *err)
{
    *rel = AUDIT_REL_OTHER;
    /* The person's own unit first, then the units it is a subject of. */
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = wf_prep(st, &s, err,
                        "SELECT 0, unit_code FROM person WHERE id = ?"
                        " UNION ALL SELECT 1, unit_code FROM unit_subject WHERE person_id = ?",
                        "ii", person_id, person_id);
    char units[8][32];
    int n = 0;
    bool exists = false;
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        exists |= store_col_int(s, 0) == 0;
        const char *u = store_col_text(s, 1);
        if (u && strlen(u) < 32 && n < 8)
            snprintf(units[n++], 32, "%s", u);
    }
    store_finalize(s);
    if (rc)
        return rc;
    if (!exists)
        return ag_fail(err, AG_ERR_NOTFOUND, "person_id",
                       "人员 %lld 不存在，请先在网格中登记该人员",
                       "no person %lld; add the person to the grid first", (long long)person_id);
    if (n == 0) {
        *rel = AUDIT_REL_BUREAU;
        return AG_OK;
    }
    char head[32];
    rc = soe_head(st, unit_code, head, err);
    for (int i = 0; !rc && i < n && *rel != AUDIT_REL_UNIT; i++) {
        audit_relation r = AUDIT_REL_OTHER;
        rc = unit_relation(st, units[i], unit_code, head, &r, err);
        if (!rc && r != AUDIT_REL_OTHER)
            *rel = r == AUDIT_REL_UNIT || *rel == AUDIT_REL_OTHER ? r : *rel;
    }
    return rc;
}

/* Whether person (named name) may join p's team under the table. */
static ag_err check_team_independence(ag_store *st, const project *p, int64_t person,
                                      const char *name, ag_error *err)
{
    audit_relation rel = AUDIT_REL_OTHER;
    ag_err rc = audit_person_relation(st, person, p->unit, &rel, err);
    if (rc)
        return rc;
    char zh[300], en[300];
    const char *kind_zh = audit_kind_zh(p->kind);
    int k = find(audit_kinds, audit_kind_count, p->kind);
    const char *kind_en = k >= 0 ? KIND_EN[k] : "audit";
    if (rel == AUDIT_REL_UNIT && binds(p->kind, AUDIT_RULE_TEAM_NOT_UNIT)) {
        snprintf(zh, sizeof zh,
                 "%s的审计组成员不得来自被审计单位：%s 是被审计单位的人员，请改派其他单位或审计局的"
                 "人员",
                 kind_zh, name);
        snprintf(en, sizeof en,
                 "in a%s %s nobody may come from the audited unit: %s is of it; assign someone of "
                 "another unit or of the bureau",
                 kind_en[0] == 'e' ? "n" : "", kind_en, name);
        return audit_rule_refuse(err, AG_ERR_INPUT, "person_id", AUDIT_RULE_TEAM_NOT_UNIT, zh, en);
    }
    if (rel == AUDIT_REL_GROUP && binds(p->kind, AUDIT_RULE_TEAM_NOT_GROUP)) {
        snprintf(zh, sizeof zh,
                 "%s的审计组成员不得来自被审计单位所在的国企集团：%s 是同一集团的人员，"
                 "请改派集团以外单位或审计局的人员",
                 kind_zh, name);
        snprintf(en, sizeof en,
                 "in a%s %s nobody may come from the audited unit's SOE group: %s is of the same "
                 "group; assign someone from outside the group or of the bureau",
                 kind_en[0] == 'e' ? "n" : "", kind_en, name);
        return audit_rule_refuse(err, AG_ERR_INPUT, "person_id", AUDIT_RULE_TEAM_NOT_GROUP, zh, en);
    }
    if (rel == AUDIT_REL_OTHER && binds(p->kind, AUDIT_RULE_TEAM_OWN_AUDIT)) {
        snprintf(zh, sizeof zh,
                 "自查的审计组由本单位（本集团）的人员和审计局人员组成：%s 是其他单位的人员，"
                 "由其他单位审计请立交叉互审项目",
                 name);
        snprintf(en, sizeof en,
                 "a self-check's team is of the unit (its group) and the bureau: %s is of another "
                 "unit; an audit by another unit is a cross audit",
                 name);
        return audit_rule_refuse(err, AG_ERR_INPUT, "person_id", AUDIT_RULE_TEAM_OWN_AUDIT, zh, en);
    }
    return AG_OK;
}

/* Whether the actor may approve p's plan under the table: neither on the
 * team nor the plan's author. A bureau admin account without a person is
 * the bureau itself and records the bureau's approval. */
static ag_err check_approval_independence(ag_store *st, const audit_actor *a, const project *p,
                                          const char *actor, ag_error *err)
{
    int64_t authored = 0;
    ag_err rc = wf_query_int(st, &authored, err,
                             "SELECT COUNT(*) FROM audit_record WHERE project_id = ?"
                             " AND kind = 'plan' AND created_by = ?",
                             "it", p->id, actor);
    bool bureau = is_admin(a) && a->scope.person_id <= 0;
    if (!rc && authored > 0 && !bureau && binds(p->kind, AUDIT_RULE_APPROVER_NOT_AUTHOR))
        return audit_rule_refuse(
            err, AG_ERR_DENIED, "role", AUDIT_RULE_APPROVER_NOT_AUTHOR,
            "实施方案的审批人不得是方案的编写人；请由方案编写人以外的审批人审批",
            "the plan's approver may not be its author; another approver "
            "approves it");
    bool team = false;
    if (!rc)
        rc = on_team(st, p->id, a->scope.person_id, false, &team, err);
    if (!rc && team && binds(p->kind, AUDIT_RULE_APPROVER_NOT_TEAM))
        return audit_rule_refuse(err, AG_ERR_DENIED, "role", AUDIT_RULE_APPROVER_NOT_TEAM,
                                 "实施方案的审批人不得是本项目审计组成员",
                                 "the plan's approver may not be a member of the project's team");
    return rc;
}

/* ---- projects ------------------------------------------------------------ */

static ag_err next_code(ag_store *st, char out[CODE_MAX_BYTES + 1], ag_error *err)
{
    int year = ag_date_from_days(ag_clock_today()).year % 10000;
    char like[20];
    snprintf(like, sizeof like, "SJ-%04d-%%", year);
    int64_t n = 0;
    ag_err rc = wf_query_int(st, &n, err, "SELECT COUNT(*) FROM audit_project WHERE code LIKE ?",
                             "t", like);
    /* Codes given by hand may sit in the sequence: step past them. */
    int start = n < 1000000 ? (int)n + 1 : 1000000;
    for (int k = start; !rc && k < start + 10000; k++) {
        snprintf(out, CODE_MAX_BYTES + 1, "SJ-%04d-%03d", year, k);
        int64_t taken = 0;
        rc = wf_query_int(st, &taken, err, "SELECT COUNT(*) FROM audit_project WHERE code = ?", "t",
                          out);
        if (!rc && !taken)
            return AG_OK;
    }
    return rc ? rc
              : ag_fail(err, AG_ERR_INTERNAL, "code", "无法生成项目编号，请手工指定",
                        "could not generate a project code; give one");
}

static bool code_ok(const char *c)
{
    size_t n = strlen(c);
    if (n == 0 || n > CODE_MAX_BYTES)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((c[i] >= 'a' && c[i] <= 'z') || (c[i] >= 'A' && c[i] <= 'Z') ||
              (c[i] >= '0' && c[i] <= '9') || c[i] == '-' || c[i] == '_' || c[i] == '.'))
            return false;
    return true;
}

static ag_err unit_not_found(const char *code, ag_error *err)
{
    return ag_fail(err, AG_ERR_NOTFOUND, "unit_code", "单位 %s 不存在，请核对统一社会信用代码",
                   "no unit %s; check the credit code", shown(code));
}

/* Checks the fields of a new project that need no database. */
static ag_err project_validate(const audit_project_in *in, ag_error *err)
{
    if (opt(in->code) && !code_ok(in->code))
        return ag_fail(err, AG_ERR_INPUT, "code", "项目编号应为1-%d个字母、数字或 - _ . 字符：%s",
                       "a project code is 1 to %d letters, digits or - _ . : %s", CODE_MAX_BYTES,
                       shown(in->code));
    ag_err rc = check_text(in->name, "name", "项目名称", "the project name", NAME_MAX_BYTES, true,
                           false, err);
    if (rc)
        return rc;
    if (find(audit_kinds, audit_kind_count, in->kind) < 0)
        return ag_fail(
            err, AG_ERR_INPUT, "kind",
            "项目类型“%s”无效，应为 self_check（自查）、cross（交叉互审）、special（专项）、"
            "tracking（跟踪审计）或 econ_resp（经济责任）",
            "unknown project kind '%s'; use self_check, cross, special, tracking or "
            "econ_resp",
            shown(in->kind));
    if (blank(in->unit_code) || strlen(in->unit_code) >= 32)
        return ag_fail(err, AG_ERR_INPUT, "unit_code", "请填写被审计单位的统一社会信用代码",
                       "the audited unit's credit code is required");
    int32_t from = 0, to = 0;
    rc = check_date(in->period_from, "period_from", "审计期间起始日", "the period start", &from,
                    err);
    if (!rc)
        rc = check_date(in->period_to, "period_to", "审计期间截止日", "the period end", &to, err);
    if (rc)
        return rc;
    if (from > to)
        return ag_fail(err, AG_ERR_INPUT, "period_to", "审计期间截止日 %s 早于起始日 %s",
                       "the period end %s is before its start %s", in->period_to, in->period_from);
    if (in->nitems < 1 || !in->items)
        return ag_fail(err, AG_ERR_INPUT, "items",
                       "请至少选择一项审计事项（资金安全 F01–F13 或重点审计 K1–K7）",
                       "choose at least one catalog item (F01-F13, K1-K7)");
    if (in->nitems > MAX_ITEMS)
        return ag_fail(err, AG_ERR_INPUT, "items", "审计事项过多：最多 %d 项",
                       "too many items: at most %d", MAX_ITEMS);
    for (int i = 0; i < in->nitems; i++) {
        if (blank(in->items[i]))
            return ag_fail(err, AG_ERR_INPUT, "items", "第 %d 项审计事项为空",
                           "catalog item %d is empty", i + 1);
        for (int j = 0; j < i; j++)
            if (strcmp(in->items[i], in->items[j]) == 0)
                return ag_fail(err, AG_ERR_INPUT, "items", "审计事项 %s 重复，请只选一次",
                               "catalog item %s is listed twice", shown(in->items[i]));
    }
    return AG_OK;
}

ag_err audit_project_create(ag_store *st, const audit_actor *a, const audit_project_in *in,
                            int64_t *id, ag_error *err)
{
    if (id)
        *id = 0;
    ag_role role = a->scope.role;
    ag_err rc = refuse_reviewer(a, err);
    if (rc)
        return rc;
    if (role != AG_ROLE_ADMIN && role != AG_ROLE_AUDITOR && role != AG_ROLE_CHIEF_AUDITOR)
        return ag_fail(err, AG_ERR_DENIED, "role",
                       "审计项目由区审计局管理员立项；内审人员和国企总审计师可为本单位建立自查项目",
                       "audit projects are created by a bureau admin; internal auditors and chief "
                       "auditors may create self-checks of their own unit");
    rc = project_validate(in, err);
    if (rc)
        return rc;
    if (role != AG_ROLE_ADMIN && strcmp(in->kind, "self_check") != 0)
        return ag_fail(err, AG_ERR_DENIED, "kind",
                       "内审人员和国企总审计师只能建立自查项目；%s项目请由区审计局管理员立项",
                       "internal auditors and chief auditors may only create self-checks; a %s "
                       "project is created by a bureau admin",
                       KIND_ZH[find(audit_kinds, audit_kind_count, in->kind)]);
    char code[CODE_MAX_BYTES + 1], ts[21];
    char *items_text = NULL;
    int64_t version = 0, n = 0, pid = 0;
    json_t *items = json_array();
    rc = store_begin(st, err);
    if (rc) {
        json_decref(items);
        return rc;
    }
    bool visible = false;
    rc = scope_unit_visible(st, &a->scope, in->unit_code, &visible, err);
    if (!rc && !visible)
        rc = unit_not_found(in->unit_code, err);
    /* A unit the administrator disabled (停用) gets no new project. */
    if (!rc)
        rc = wf_query_int(st, &n, err, "SELECT disabled FROM unit WHERE code = ?", "t",
                          in->unit_code);
    if (!rc && n)
        rc = ag_fail(err, AG_ERR_INPUT, "unit_code", "单位 %s 已停用，不能再为其立项",
                     "unit %s is disabled; no new project can be opened for it", in->unit_code);
    if (!rc && role != AG_ROLE_ADMIN) {
        /* Seeing a unit as its auditor is not owning it: a self-check is of
         * one's own unit (or group). */
        bool owned = false;
        rc = scope_unit_owned(st, &a->scope, in->unit_code, &owned, err);
        if (!rc && !owned)
            rc = ag_fail(err, AG_ERR_DENIED, "unit_code", "只能为本单位（本集团）建立自查项目",
                         "a self-check is only of your own unit (or group)");
    }
    if (!rc)
        rc = catalog_latest(st, &version, err);
    for (int i = 0; !rc && i < in->nitems; i++) {
        rc = wf_query_int(st, &n, err,
                          "SELECT COUNT(*) FROM catalog_item WHERE version = ? AND code = ?", "it",
                          version, in->items[i]);
        if (!rc && n == 0)
            rc = ag_fail(err, AG_ERR_INPUT, "items", "审计事项 %s 不在现行目录（第 %lld 版）中",
                         "catalog item %s is not in the current catalog (version %lld)",
                         shown(in->items[i]), (long long)version);
        if (!rc)
            json_array_append_new(items, json_string(in->items[i]));
    }
    if (!rc && opt(in->code)) {
        snprintf(code, sizeof code, "%s", in->code);
        rc = wf_query_int(st, &n, err, "SELECT COUNT(*) FROM audit_project WHERE code = ?", "t",
                          code);
        if (!rc && n > 0)
            rc = ag_fail(err, AG_ERR_EXISTS, "code", "项目编号 %s 已被占用，请换一个或留空自动编号",
                         "project code %s is taken; choose another or leave it empty", code);
    } else if (!rc) {
        rc = next_code(st, code, err);
    }
    if (!rc) {
        items_text = json_dumps(items, JSON_COMPACT);
        if (!items_text)
            rc = ag_fail(err, AG_ERR_NOMEM, "items", "内存不足", "out of memory");
    }
    if (!rc) {
        now_text(ts);
        ag_field f[] = {ag_field_text("code", code),
                        ag_field_text("name", in->name),
                        ag_field_text("kind", in->kind),
                        ag_field_text("unit_code", in->unit_code),
                        ag_field_text("period_from", in->period_from),
                        ag_field_text("period_to", in->period_to),
                        ag_field_text("items", items_text),
                        ag_field_int("catalog_version", version),
                        ag_field_text("stage", "pre"),
                        ag_field_text("stage_at", ts),
                        ag_field_text("created_by", actor_name(st, a)),
                        ag_field_text("created_at", ts)};
        rc = store_insert(st, "audit_project", "id", f, COUNT(f), &pid, err);
    }
    free(items_text);
    json_decref(items);
    rc = store_end(st, rc, err);
    if (!rc && id)
        *id = pid;
    return rc;
}

/* ---- the team ------------------------------------------------------------ */

ag_err audit_team_add(ag_store *st, const audit_actor *a, int64_t project_id, int64_t person_id,
                      const char *role, ag_error *err)
{
    ag_err rc = refuse_reviewer(a, err);
    if (rc)
        return rc;
    if (!role || (strcmp(role, "lead") && strcmp(role, "member")))
        return ag_fail(err, AG_ERR_INPUT, "role",
                       "审计组角色应为 lead（组长）或 member（组员）：%s",
                       "a team role is lead or member: %s", shown(role));
    project p;
    rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = project_load(st, project_id, &a->scope, &p, err);
    int64_t leads = 0;
    if (!rc)
        rc = wf_query_int(st, &leads, err,
                          "SELECT COUNT(*) FROM audit_team WHERE project_id = ? AND role = 'lead'",
                          "i", project_id);
    if (!rc && !is_admin(a)) {
        bool ok = false;
        rc = on_team(st, project_id, a->scope.person_id, true, &ok, err);
        /* A unit staffs its own self-check: until it has a lead, the
         * unit's auditor (or group's chief auditor) may name the team. */
        if (!rc && !ok && leads == 0 && !strcmp(p.kind, "self_check") &&
            (a->scope.role == AG_ROLE_AUDITOR || a->scope.role == AG_ROLE_CHIEF_AUDITOR))
            rc = scope_unit_owned(st, &a->scope, p.unit, &ok, err);
        if (!rc && !ok)
            rc = ag_fail(err, AG_ERR_DENIED, "role", "只有管理员或本项目审计组组长才能调整审计组",
                         "only an admin or the project's team lead may change the team");
    }
    if (!rc && !strcmp(p.stage, "closed"))
        rc = ag_fail(err, AG_ERR_INPUT, "stage", "项目 %s 已结项，不能再调整审计组",
                     "project %s is closed; its team can no longer change", p.code);
    ag_stmt *s = NULL;
    bool row = false;
    char from[32] = "", name[PERSON_MAX_BYTES * 2] = "";
    bool disabled = false;
    if (!rc)
        rc = wf_prep(st, &s, err, "SELECT unit_code, name, disabled FROM person WHERE id = ?", "i",
                     person_id);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row) {
        const char *u = store_col_text(s, 0);
        snprintf(from, sizeof from, "%s", u ? u : "");
        snprintf(name, sizeof name, "%s", store_col_text(s, 1));
        disabled = store_col_int(s, 2) != 0;
    }
    store_finalize(s);
    if (!rc && !row)
        rc = ag_fail(err, AG_ERR_NOTFOUND, "person_id", "人员 %lld 不存在，请先在网格中登记该人员",
                     "no person %lld; add the person to the grid first", (long long)person_id);
    /* A person the administrator disabled (停用) joins no new team. */
    if (!rc && disabled)
        rc = ag_fail(err, AG_ERR_INPUT, "person_id", "%s 已停用，不能加入审计组",
                     "%s is disabled and cannot join a team", name);
    /* Independence (独立性): the table of the project's kind decides. */
    if (!rc)
        rc = check_team_independence(st, &p, person_id, name, err);
    int64_t n = 0;
    if (!rc)
        rc = wf_query_int(st, &n, err,
                          "SELECT COUNT(*) FROM audit_team WHERE project_id = ? AND person_id = ?",
                          "ii", project_id, person_id);
    if (!rc && n > 0)
        rc = ag_fail(err, AG_ERR_EXISTS, "person_id", "%s 已在项目 %s 的审计组中",
                     "%s is already on the team of project %s", name, p.code);
    if (!rc && !strcmp(role, "lead") && leads > 0)
        rc = ag_fail(err, AG_ERR_EXISTS, "role", "项目 %s 已有组长；一个项目只有一名组长",
                     "project %s already has a team lead; a project has one", p.code);
    if (!rc) {
        ag_field f[] = {ag_field_int("project_id", project_id),
                        ag_field_int("person_id", person_id), ag_field_text("role", role),
                        ag_field_text("from_unit", *from ? from : NULL)};
        rc = store_insert(st, "audit_team", "id", f, COUNT(f), NULL, err);
    }
    project_release(&p);
    return store_end(st, rc, err);
}

/* ---- stage records -------------------------------------------------------- */

/* Whether the actor may file a record of kind k (index into RECORD) for p. */
static ag_err may_file(ag_store *st, const audit_actor *a, const project *p, int k, bool *ok,
                       ag_error *err)
{
    *ok = is_admin(a);
    if (*ok)
        return AG_OK;
    const char *kind = audit_record_kinds[k];
    if (!strcmp(kind, "plan_approval")) {
        /* Approval comes from outside the team: the competent department of
         * the unit's cell, or for a self-check the unit's own leader. */
        *ok = (a->scope.role == AG_ROLE_SUPERVISOR && *p->cell &&
               !strcmp(a->scope.cell_id, p->cell)) ||
              (a->scope.role == AG_ROLE_LEADER && !strcmp(p->kind, "self_check") &&
               !strcmp(a->scope.unit_code, p->unit));
        return AG_OK;
    }
    if (!strcmp(kind, "response")) {
        /* The audited unit answers for itself: its leader or auditor. */
        if (a->scope.role != AG_ROLE_LEADER && a->scope.role != AG_ROLE_AUDITOR &&
            a->scope.role != AG_ROLE_CHIEF_AUDITOR)
            return AG_OK;
        return scope_unit_owned(st, &a->scope, p->unit, ok, err);
    }
    return on_team(st, p->id, a->scope.person_id, false, ok, err);
}

static ag_err deny_record(int k, ag_error *err)
{
    const char *kind = audit_record_kinds[k];
    if (!strcmp(kind, "plan_approval"))
        return ag_fail(
            err, AG_ERR_DENIED, "role",
            "实施方案由管理员、被审计单位所在网格的主管部门审批；自查项目由本单位负责人审批",
            "a plan is approved by an admin or the competent department of the audited "
            "unit's cell; a self-check's plan by the unit's own leader");
    if (!strcmp(kind, "response"))
        return ag_fail(err, AG_ERR_DENIED, "role",
                       "书面意见由被审计单位的负责人或内审人员（或管理员）提交",
                       "the response is filed by the audited unit's leader or auditor (or an "
                       "admin)");
    return ag_fail(err, AG_ERR_DENIED, "role", "只有管理员或本项目审计组成员才能登记%s%.0s",
                   "only an admin or a member of the project's audit team may file the %.0s%s",
                   RECORD[k].zh, RECORD[k].en);
}

/* Record counts and latest ids per kind, in the order of audit_record_kinds. */
typedef struct record_tally {
    int64_t count[9];
    int64_t last[9];
} record_tally;

static ag_err tally_records(ag_store *st, int64_t project_id, record_tally *t, ag_error *err)
{
    memset(t, 0, sizeof *t);
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = wf_prep(st, &s, err,
                        "SELECT kind, COUNT(*), MAX(id) FROM audit_record WHERE project_id = ?"
                        " GROUP BY kind",
                        "i", project_id);
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        int k = find(audit_record_kinds, audit_record_kind_count, store_col_text(s, 0));
        if (k >= 0) {
            t->count[k] = store_col_int(s, 1);
            t->last[k] = store_col_int(s, 2);
        }
    }
    store_finalize(s);
    return rc;
}

enum { R_PLAN, R_APPROVAL, R_NOTICE, R_SURVEY, R_PAPER, R_DRAFT, R_RESPONSE, R_FINAL, R_FOLLOWUP };

ag_err audit_record_add(ag_store *st, const audit_actor *a, int64_t project_id,
                        const audit_record_in *in, int64_t *id, ag_error *err)
{
    if (id)
        *id = 0;
    ag_err rc = refuse_reviewer(a, err);
    if (rc)
        return rc;
    int k = find(audit_record_kinds, audit_record_kind_count, in->kind);
    if (k < 0)
        return ag_fail(err, AG_ERR_INPUT, "kind",
                       "资料类型“%s”无效，应为 plan、plan_approval、notice、survey、working_paper、"
                       "draft_report、response、final_report 或 followup",
                       "unknown record kind '%s'; use plan, plan_approval, notice, survey, "
                       "working_paper, draft_report, response, final_report or followup",
                       shown(in->kind));
    rc = check_text(in->title, "title", "资料标题", "the title", NAME_MAX_BYTES, true, false, err);
    if (!rc)
        rc = check_text(in->doc_no, "doc_no", "文号", "the document number", DOCNO_MAX_BYTES, false,
                        false, err);
    if (!rc)
        rc = check_text(in->body, "body", "正文", "the body", BODY_MAX_BYTES, false, true, err);
    if (!rc && (in->nattachments < 0 || in->nattachments > MAX_ATTACH ||
                (in->nattachments > 0 && !in->attachment_ids)))
        rc = ag_fail(err, AG_ERR_INPUT, "attachment_ids", "附件数量应为0-%d个",
                     "0 to %d attachments per record", MAX_ATTACH);
    if (rc)
        return rc;
    project p;
    rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = project_load(st, project_id, &a->scope, &p, err);
    bool ok = false;
    if (!rc)
        rc = may_file(st, a, &p, k, &ok, err);
    if (!rc && !ok)
        rc = deny_record(k, err);
    if (!rc && k == R_APPROVAL)
        rc = check_approval_independence(st, a, &p, actor_name(st, a), err);
    if (!rc && strcmp(p.stage, RECORD[k].stage) != 0) {
        char zh[80], en[80];
        snprintf(zh, sizeof zh, "登记%s", RECORD[k].zh);
        snprintf(en, sizeof en, "file the %s", RECORD[k].en);
        rc = wrong_stage(&p, zh, en, RECORD[k].stage, err);
    }
    /* Documents answer each other: the approval needs a plan, the response
     * a draft to answer, the final report the unit's response. */
    record_tally t;
    if (!rc)
        rc = tally_records(st, project_id, &t, err);
    int needs = k == R_APPROVAL   ? R_PLAN
                : k == R_RESPONSE ? R_DRAFT
                : k == R_FINAL    ? R_RESPONSE
                                  : -1;
    if (!rc && needs >= 0 && t.count[needs] == 0)
        rc = ag_fail(err, AG_ERR_INPUT, "kind", "须先登记%s%.0s，才能登记%s%.0s",
                     "the %.0s%s must be filed before the %.0s%s", RECORD[needs].zh,
                     RECORD[needs].en, RECORD[k].zh, RECORD[k].en);
    char ts[21];
    int64_t rid = 0;
    now_text(ts);
    if (!rc) {
        ag_field f[] = {
            ag_field_int("project_id", project_id), ag_field_text("kind", in->kind),
            ag_field_text("title", in->title),      ag_field_text("doc_no", opt(in->doc_no)),
            ag_field_text("body", opt(in->body)),   ag_field_text("created_by", actor_name(st, a)),
            ag_field_text("created_at", ts)};
        rc = store_insert(st, "audit_record", "id", f, COUNT(f), &rid, err);
    }
    if (!rc && in->nattachments > 0)
        rc = attach_claim(st, p.unit, in->attachment_ids, in->nattachments, "record", rid, err);
    project_release(&p);
    rc = store_end(st, rc, err);
    if (!rc && id)
        *id = rid;
    return rc;
}

/* ---- stages ---------------------------------------------------------------- */

static void missing_add(json_t *arr, const char *code, const char *zh, const char *en)
{
    json_array_append_new(arr, json_pack("{s:s,s:s,s:s}", "code", code, "zh", zh, "en", en));
}

static void missing_record(json_t *arr, int k)
{
    char zh[160], en[160];
    snprintf(zh, sizeof zh, "缺少%s（%s）", RECORD[k].zh, audit_record_kinds[k]);
    snprintf(en, sizeof en, "the %s (%s) is missing", RECORD[k].en, audit_record_kinds[k]);
    missing_add(arr, audit_record_kinds[k], zh, en);
}

/* What p lacks to leave its stage, appended to arr. */
/* A cross-audit round's project leaves 审前 once every member of its team has signed the
 * 回避声明: the unsigned ones are one thing missing. */
static ag_err declarations_missing(ag_store *st, int64_t project_id, json_t *arr, ag_error *err)
{
    ag_error gate;
    ag_error_clear(&gate);
    ag_err rc = xa_declarations_gate(st, project_id, &gate);
    if (rc == AG_ERR_INPUT) {
        missing_add(arr, "declarations", gate.zh, gate.en);
        return AG_OK;
    }
    if (rc && err)
        *err = gate;
    return rc;
}

static ag_err missing_of(ag_store *st, const project *p, json_t *arr, ag_error *err)
{
    record_tally t;
    ag_err rc = tally_records(st, p->id, &t, err);
    if (rc)
        return rc;
    int64_t n = 0;
    char zh[200], en[200];
    switch (stage_index(p->stage)) {
    case 0: /* pre */
        rc = wf_query_int(st, &n, err,
                          "SELECT COUNT(*) FROM audit_team WHERE project_id = ? AND role = 'lead'",
                          "i", p->id);
        if (!rc && n == 0)
            missing_add(arr, "team_lead", "尚未确定审计组组长", "the audit team has no lead");
        if (!rc)
            rc = declarations_missing(st, p->id, arr, err);
        for (int k = R_PLAN; !rc && k <= R_SURVEY; k++)
            if (t.count[k] == 0)
                missing_record(arr, k);
        break;
    case 1: { /* field */
        if (t.count[R_PAPER] == 0)
            missing_record(arr, R_PAPER);
        ag_stmt *s = NULL;
        bool row = false;
        rc = wf_prep(
            st, &s, err,
            "SELECT seq FROM finding WHERE project_id = ? AND TRIM(basis) = '' ORDER BY seq", "i",
            p->id);
        while (!rc && !(rc = store_step(s, &row, err)) && row) {
            long long seq = (long long)store_col_int(s, 0);
            snprintf(zh, sizeof zh, "第 %lld 号审计发现缺少定性依据", seq);
            snprintf(en, sizeof en, "finding #%lld has no legal basis (定性依据)", seq);
            missing_add(arr, "finding_basis", zh, en);
        }
        store_finalize(s);
        break;
    }
    case 2: /* report */
        for (int k = R_DRAFT; k <= R_FINAL; k++)
            if (t.count[k] == 0)
                missing_record(arr, k);
        /* The final report takes the unit's (latest) response into account. */
        if (t.count[R_FINAL] && t.count[R_RESPONSE] && t.last[R_FINAL] < t.last[R_RESPONSE])
            missing_add(arr, "final_after_response",
                        "审计报告须在被审计单位书面意见之后出具，请重新登记审计报告",
                        "the final report must follow the audited unit's response; file it again");
        break;
    case 3: /* rectify */
        rc = wf_query_int(st, &n, err,
                          "SELECT COUNT(*) FROM rectification WHERE project_id = ?"
                          " AND state NOT IN ('closed', 'continuous')",
                          "i", p->id);
        if (!rc && n > 0) {
            snprintf(zh, sizeof zh, "尚有 %lld 项整改事项未销号或转为持续整改", (long long)n);
            snprintf(en, sizeof en, "%lld rectification item(s) are neither closed nor continuous",
                     (long long)n);
            missing_add(arr, "rectification_open", zh, en);
        }
        if (!rc && t.count[R_FOLLOWUP] == 0)
            missing_record(arr, R_FOLLOWUP);
        break;
    default: /* closed: there is no next stage */
        missing_add(arr, "closed", "项目已结项，没有下一阶段", "the project is closed");
        break;
    }
    return rc;
}

ag_err audit_stage_missing(ag_store *st, int64_t project_id, json_t **out, ag_error *err)
{
    *out = NULL;
    project p;
    ag_err rc = project_load(st, project_id, NULL, &p, err);
    if (rc)
        return rc;
    json_t *arr = json_array();
    rc = missing_of(st, &p, arr, err);
    project_release(&p);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return AG_OK;
}

/* ---- the stage machine (issue 13 §4): one table, served to the web UI ---- */

const audit_stage_transition audit_stage_transitions[] = {
    {"pre", "advance", "field"},
    {"field", "advance", "report"},
    {"report", "advance", "rectify"},
    {"rectify", "advance", "closed"},
};
const int audit_stage_transition_count = COUNT(audit_stage_transitions);

/* The stage `action` leads to from `stage`, NULL when the table has none. */
static const char *stage_next(const char *stage, const char *action)
{
    for (int i = 0; i < audit_stage_transition_count; i++)
        if (!strcmp(audit_stage_transitions[i].from, stage) &&
            !strcmp(audit_stage_transitions[i].action, action))
            return audit_stage_transitions[i].to;
    return NULL;
}

ag_err audit_actions(ag_store *st, const audit_actor *a, int64_t project_id, json_t **out,
                     ag_error *err)
{
    *out = NULL;
    project p;
    ag_err rc = project_load(st, project_id, &a->scope, &p, err);
    if (rc)
        return rc;
    json_t *arr = json_array();
    const char *next = stage_next(p.stage, "advance");
    ag_error scratch;
    ag_error_clear(&scratch);
    if (arr && next && a->scope.role != AG_ROLE_REVIEWER &&
        !team_or_admin(st, a, &p, true, "推进项目阶段", "advance the project", &scratch)) {
        char zh[96], en[96];
        snprintf(zh, sizeof zh, "进入“%s”阶段", audit_stage_zh(next));
        snprintf(en, sizeof en, "advance to %s", STAGE_EN[stage_index(next)]);
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s}", "action", "advance", "label", zh,
                                             "label_en", en, "next", next));
    }
    project_release(&p);
    if (!arr)
        return ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    *out = arr;
    return AG_OK;
}

ag_err audit_advance(ag_store *st, const audit_actor *a, int64_t project_id, const char **stage,
                     ag_error *err)
{
    if (stage)
        *stage = NULL;
    ag_err rc = refuse_reviewer(a, err);
    if (rc)
        return rc;
    project p;
    rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = project_load(st, project_id, &a->scope, &p, err);
    if (!rc)
        rc = team_or_admin(st, a, &p, true, "推进项目阶段", "advance the project", err);
    const char *next = rc ? NULL : stage_next(p.stage, "advance");
    if (!rc && !next)
        rc = ag_fail(err, AG_ERR_INPUT, "stage", "项目 %s 已结项，没有下一阶段",
                     "project %s is closed; there is no next stage", p.code);
    json_t *miss = json_array();
    if (!rc)
        rc = missing_of(st, &p, miss, err);
    if (!rc && json_array_size(miss) > 0) {
        json_t *first = json_array_get(miss, 0);
        rc = ag_fail(err, AG_ERR_INPUT, json_string_value(json_object_get(first, "code")),
                     "项目 %s 还不能进入下一阶段：%s%.0s（共缺 %zu 项，详见项目页面）",
                     "project %s cannot advance yet: %.0s%s (%zu thing(s) missing; see the "
                     "project page)",
                     p.code, json_string_value(json_object_get(first, "zh")),
                     json_string_value(json_object_get(first, "en")), json_array_size(miss));
    }
    json_decref(miss);
    if (!rc) {
        char ts[21];
        now_text(ts);
        ag_field f[] = {ag_field_text("stage", next), ag_field_text("stage_at", ts)};
        rc = store_update(st, "audit_project", "id", ag_field_int("id", project_id), f, 2, err);
    }
    /* 审后·整改: the findings become rectification items in app_audit_advance (app/audit.h),
     * which composes this step with the rectification ledger. */
    project_release(&p);
    rc = store_end(st, rc, err);
    if (!rc && stage)
        *stage = next;
    return rc;
}

/* ---- findings -------------------------------------------------------------- */

static ag_err finding_validate(const audit_finding_in *in, ag_error *err)
{
    ag_err rc = check_text(in->item, "item", "审计事项", "the catalog item", 8, true, false, err);
    if (!rc)
        rc = check_text(in->title, "title", "问题摘要", "the summary", NAME_MAX_BYTES, true, false,
                        err);
    if (!rc)
        rc = check_text(in->description, "description", "问题描述", "the description",
                        BODY_MAX_BYTES, true, true, err);
    if (!rc)
        rc = check_text(in->basis, "basis", "定性依据", "the legal basis", BASIS_MAX_BYTES, false,
                        true, err);
    if (!rc)
        rc = check_text(in->recommendation, "recommendation", "审计建议", "the recommendation",
                        BODY_MAX_BYTES, false, true, err);
    if (!rc)
        rc = check_text(in->responsible, "responsible", "责任人", "the responsible person",
                        PERSON_MAX_BYTES, false, false, err);
    if (rc)
        return rc;
    if (in->amount < 0 || in->amount > AMOUNT_MAX)
        return ag_fail(err, AG_ERR_INPUT, "amount", "涉及金额应在 0 到 10 万亿元之间（以分计）",
                       "the amount is between 0 and 10 trillion yuan (in fen)");
    if (find(SEVERITIES, COUNT(SEVERITIES), in->severity) < 0)
        return ag_fail(err, AG_ERR_INPUT, "severity",
                       "严重程度“%s”无效，应为 high（高）、medium（中）或 low（低）",
                       "unknown severity '%s'; use high, medium or low", shown(in->severity));
    if (in->rect_class && find(RECT_CLASSES, COUNT(RECT_CLASSES), in->rect_class) < 0)
        return ag_fail(err, AG_ERR_INPUT, "rect_class",
                       "整改类型“%s”无效，应为 immediate（立行立改）、phased（分阶段整改）或 "
                       "continuous（持续整改）",
                       "unknown rectification class '%s'; use immediate, phased or continuous",
                       shown(in->rect_class));
    if (in->responsible_person_id < 0)
        return ag_fail(err, AG_ERR_INPUT, "responsible_person_id", "责任人编号无效",
                       "bad responsible person id");
    return AG_OK;
}

static bool project_has_item(const project *p, const char *item)
{
    for (size_t i = 0; i < json_array_size(p->items); i++)
        if (!strcmp(json_string_value(json_array_get(p->items, i)), item))
            return true;
    return false;
}

static ag_err no_finding(int64_t id, ag_error *err)
{
    char where[40];
    snprintf(where, sizeof where, "finding#%lld", (long long)id);
    return ag_fail(err, AG_ERR_NOTFOUND, where, "审计发现 %lld 不存在，请核对编号",
                   "no finding %lld; check the id", (long long)id);
}

/* The stage in which a project takes findings and evidence: a standing
 * ledger (预警跟踪整改) is in 整改 from the start, any other is in 审中. */
static const char *writing_stage(const project *p)
{
    return p->standing ? "rectify" : "field";
}

/* Adds (finding_id 0) or rewrites a finding of project_id: the checks and
 * the 屡审屡犯 mark are the same either way. A standing ledger takes findings
 * only through audit_ledger_finding_add (ledger), which makes each one a
 * rectification item; an audit project only through the others. */
static ag_err finding_save(ag_store *st, const audit_actor *a, int64_t project_id,
                           int64_t finding_id, const audit_finding_in *in, bool ledger, int64_t *id,
                           ag_error *err)
{
    project p;
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = project_load(st, project_id, &a->scope, &p, err);
    /* A finding of a project out of scope is as absent as a missing one. */
    if (rc == AG_ERR_NOTFOUND && finding_id)
        rc = no_finding(finding_id, err);
    const char *zh = finding_id ? "修改审计发现" : "登记审计发现";
    const char *en = finding_id ? "change a finding" : "record a finding";
    if (!rc)
        rc = team_or_admin(st, a, &p, false, zh, en, err);
    if (!rc && p.standing != ledger)
        rc = ag_fail(err, AG_ERR_INPUT, "project_id",
                     p.standing ? "项目 %s 是预警跟踪整改台账，其事项只能由预警转入"
                                : "项目 %s 不是预警跟踪整改台账，请在审中阶段登记审计发现",
                     p.standing ? "project %s is a standing warning ledger; its items come "
                                  "from warnings only"
                                : "project %s is not a standing warning ledger; record findings "
                                  "in fieldwork",
                     p.code);
    if (!rc && strcmp(p.stage, writing_stage(&p)) != 0)
        rc = wrong_stage(&p, zh, en, writing_stage(&p), err);
    if (!rc && !project_has_item(&p, in->item))
        rc = ag_fail(err, AG_ERR_INPUT, "item",
                     "审计事项 %s 不在项目 %s 的审计范围内；请选择项目范围内的事项",
                     "catalog item %s is not in the scope of project %s; choose one of its items",
                     shown(in->item), p.code);
    /* The responsible person answers for the audited unit, so must be of it. */
    char pname[PERSON_MAX_BYTES * 2] = "";
    if (!rc && in->responsible_person_id > 0) {
        ag_stmt *s = NULL;
        bool row = false;
        rc = wf_prep(st, &s, err, "SELECT name FROM person WHERE id = ? AND unit_code = ?", "it",
                     in->responsible_person_id, p.unit);
        if (!rc)
            rc = store_step(s, &row, err);
        if (!rc && row)
            snprintf(pname, sizeof pname, "%s", store_col_text(s, 0));
        store_finalize(s);
        if (!rc && !row)
            rc = ag_fail(err, AG_ERR_NOTFOUND, "responsible_person_id",
                         "被审计单位没有编号为 %lld 的人员；责任人应为被审计单位的人员",
                         "the audited unit has no person %lld; the responsible person must "
                         "belong to it",
                         (long long)in->responsible_person_id);
    }
    int64_t seq = 0, repeat_of = 0, fid = finding_id;
    if (!rc && !finding_id)
        rc = wf_query_int(st, &seq, err, "SELECT MAX(seq) FROM finding WHERE project_id = ?", "i",
                          project_id);
    /* 屡审屡犯: the same item at the same unit was found before, rectified
     * and closed (已销号) — and here it is again. */
    if (!rc)
        rc = wf_query_int(st, &repeat_of, err,
                          "SELECT f.id FROM finding f JOIN rectification r ON r.finding_id = f.id"
                          " WHERE f.unit_code = ? AND f.item = ? AND f.project_id <> ?"
                          " AND r.state = 'closed' ORDER BY r.closed_at DESC, f.id DESC LIMIT 1",
                          "tti", p.unit, in->item, project_id);
    char ts[21];
    now_text(ts);
    const char *responsible = opt(in->responsible) ? in->responsible : (*pname ? pname : NULL);
    ag_field f[] = {
        ag_field_text("item", in->item), ag_field_text("title", in->title),
        ag_field_text("description", in->description), ag_field_int("amount", in->amount),
        ag_field_text("basis", opt(in->basis) ? in->basis : ""),
        ag_field_text("severity", in->severity),
        ag_field_text("recommendation", opt(in->recommendation)),
        ag_field_text("responsible", responsible),
        in->responsible_person_id > 0
            ? ag_field_int("responsible_person_id", in->responsible_person_id)
            : ag_field_null("responsible_person_id"),
        ag_field_text("rect_class", in->rect_class ? in->rect_class : "immediate"),
        repeat_of > 0 ? ag_field_int("repeat_of", repeat_of) : ag_field_null("repeat_of"),
        /* Only a new finding uses the fields from here on. */
        ag_field_int("project_id", project_id), ag_field_int("seq", seq + 1),
        ag_field_text("unit_code", p.unit), ag_field_int("catalog_version", p.catalog_version),
        ag_field_text("created_by", actor_name(st, a)), ag_field_text("created_at", ts)};
    if (!rc && finding_id)
        rc = store_update(st, "finding", "id", ag_field_int("id", finding_id), f, 11, err);
    else if (!rc)
        rc = store_insert(st, "finding", "id", f, COUNT(f), &fid, err);
    project_release(&p);
    rc = store_end(st, rc, err);
    if (!rc && id)
        *id = fid;
    return rc;
}

/* A new finding of the project (ledger: of a standing ledger) after the checks every writer of
 * findings makes. */
static ag_err finding_add(ag_store *st, const audit_actor *a, int64_t project_id,
                          const audit_finding_in *in, bool ledger, int64_t *id, ag_error *err)
{
    if (id)
        *id = 0;
    ag_err rc = refuse_reviewer(a, err);
    if (!rc)
        rc = finding_validate(in, err);
    return rc ? rc : finding_save(st, a, project_id, 0, in, ledger, id, err);
}

ag_err audit_finding_add(ag_store *st, const audit_actor *a, int64_t project_id,
                         const audit_finding_in *in, int64_t *id, ag_error *err)
{
    return finding_add(st, a, project_id, in, false, id, err);
}

ag_err audit_finding_update(ag_store *st, const audit_actor *a, int64_t id,
                            const audit_finding_in *in, ag_error *err)
{
    ag_err rc = refuse_reviewer(a, err);
    if (!rc)
        rc = finding_validate(in, err);
    int64_t project_id = 0;
    if (!rc)
        rc = wf_query_int(st, &project_id, err, "SELECT project_id FROM finding WHERE id = ?", "i",
                          id);
    if (!rc && project_id == 0)
        rc = no_finding(id, err);
    return rc ? rc : finding_save(st, a, project_id, id, in, false, NULL, err);
}

/* ---- the standing ledger (预警跟踪整改, issue 12 §2) ------------------------- */

ag_err audit_warning_ledger(ag_store *st, const audit_actor *a, const char *unit_code, int year,
                            int64_t *project_id, ag_error *err)
{
    *project_id = 0;
    if (a->scope.role != AG_ROLE_ADMIN)
        return ag_fail(err, AG_ERR_DENIED, "role", "预警跟踪整改台账由区审计局管理员建立",
                       "a standing warning ledger is opened by a bureau admin");
    if (year < 2000 || year > 9999)
        return ag_fail(err, AG_ERR_INPUT, "year", "年度 %d 无效", "year %d is invalid", year);
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    char code[CODE_MAX_BYTES + 1], name[NAME_MAX_BYTES], from[11], to[11], ts[21];
    snprintf(code, sizeof code, "YJ-%04d-%.24s", year, unit_code);
    snprintf(from, sizeof from, "%04d-01-01", year);
    int64_t pid = 0, version = 0;
    rc = wf_query_int(st, &pid, err,
                      "SELECT id FROM audit_project WHERE unit_code = ? AND standing = 'warning'"
                      " AND period_from = ?",
                      "tt", unit_code, from);
    bool visible = false;
    if (!rc && !pid)
        rc = scope_unit_visible(st, &a->scope, unit_code, &visible, err);
    if (!rc && !pid && !visible)
        rc = unit_not_found(unit_code, err);
    if (!rc && !pid)
        rc = catalog_latest(st, &version, err);
    /* Every item of the catalog is in scope: a warning may be on any of them. */
    json_t *items = json_array();
    ag_stmt *s = NULL;
    bool row = false;
    if (!rc && !pid)
        rc = wf_prep(st, &s, err, "SELECT code FROM catalog_item WHERE version = ? ORDER BY code",
                     "i", version);
    while (!rc && s && !(rc = store_step(s, &row, err)) && row)
        json_array_append_new(items, json_string(store_col_text(s, 0)));
    store_finalize(s);
    char *items_text = !rc && !pid ? json_dumps(items, JSON_COMPACT) : NULL;
    json_decref(items);
    if (!rc && !pid && !items_text)
        rc = ag_fail(err, AG_ERR_NOMEM, "items", "内存不足", "out of memory");
    if (!rc && !pid) {
        snprintf(name, sizeof name, "%04d年预警跟踪整改", year);
        snprintf(to, sizeof to, "%04d-12-31", year);
        now_text(ts);
        ag_field f[] = {
            ag_field_text("code", code),          ag_field_text("name", name),
            ag_field_text("kind", "tracking"),    ag_field_text("unit_code", unit_code),
            ag_field_text("period_from", from),   ag_field_text("period_to", to),
            ag_field_text("items", items_text),   ag_field_int("catalog_version", version),
            ag_field_text("stage", "rectify"),    ag_field_text("stage_at", ts),
            ag_field_text("standing", "warning"), ag_field_text("created_by", actor_name(st, a)),
            ag_field_text("created_at", ts)};
        rc = store_insert(st, "audit_project", "id", f, COUNT(f), &pid, err);
    }
    free(items_text);
    rc = store_end(st, rc, err);
    if (!rc)
        *project_id = pid;
    return rc;
}

ag_err audit_ledger_finding_add(ag_store *st, const audit_actor *a, int64_t project_id,
                                const audit_finding_in *in, int64_t *id, ag_error *err)
{
    return finding_add(st, a, project_id, in, true, id, err);
}

static ag_err evidence_missing(const char *kind, int64_t ref, ag_error *err)
{
    if (!strcmp(kind, "ledger_line"))
        return ag_fail(err, AG_ERR_NOTFOUND, "ref_id", "被审计单位的账套中没有编号为 %lld 的分录行",
                       "the audited unit's ledger has no line %lld", (long long)ref);
    if (!strcmp(kind, "warning"))
        return ag_fail(err, AG_ERR_NOTFOUND, "ref_id", "被审计单位没有编号为 %lld 的预警",
                       "the audited unit has no warning %lld", (long long)ref);
    return ag_fail(err, AG_ERR_NOTFOUND, "ref_id",
                   "没有可用的附件 %lld（须是被审计单位上传、尚未归属其他资料的附件）",
                   "no usable attachment %lld (it must be the audited unit's and not yet used)",
                   (long long)ref);
}

ag_err audit_evidence_add(ag_store *st, const audit_actor *a, int64_t finding_id, const char *kind,
                          int64_t ref_id, const char *note, ag_error *err)
{
    ag_err rc = refuse_reviewer(a, err);
    if (rc)
        return rc;
    if (find(EVIDENCE_KINDS, COUNT(EVIDENCE_KINDS), kind) < 0)
        return ag_fail(err, AG_ERR_INPUT, "kind",
                       "证据类型“%s”无效，应为 ledger_line（分录行）、warning（预警）或 "
                       "attachment（附件）",
                       "unknown evidence kind '%s'; use ledger_line, warning or attachment",
                       shown(kind));
    rc = check_text(note, "note", "证据说明", "the note", NOTE_MAX_BYTES, false, true, err);
    if (rc)
        return rc;
    int64_t project_id = 0;
    rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = wf_query_int(st, &project_id, err, "SELECT project_id FROM finding WHERE id = ?", "i",
                      finding_id);
    project p = {0};
    if (!rc && project_id == 0)
        rc = no_finding(finding_id, err);
    /* A finding of a project out of scope is as absent as a missing one. */
    if (!rc && (rc = project_load(st, project_id, &a->scope, &p, err)) == AG_ERR_NOTFOUND)
        rc = no_finding(finding_id, err);
    if (!rc)
        rc =
            team_or_admin(st, a, &p, false, "为审计发现添加证据", "add evidence to a finding", err);
    if (!rc && strcmp(p.stage, writing_stage(&p)) != 0)
        rc = wrong_stage(&p, "为审计发现添加证据", "add evidence to a finding", writing_stage(&p),
                         err);
    int64_t n = 0;
    if (!rc)
        rc = wf_query_int(st, &n, err,
                          "SELECT COUNT(*) FROM finding_evidence WHERE finding_id = ? AND kind = ?"
                          " AND ref_id = ?",
                          "iti", finding_id, kind, ref_id);
    if (!rc && n > 0)
        rc = ag_fail(err, AG_ERR_EXISTS, "ref_id", "该证据（%s %lld）已附在这个审计发现上",
                     "this evidence (%s %lld) is already attached to the finding", kind,
                     (long long)ref_id);
    /* Evidence must be the audited unit's own: a line of its books, one of
     * its warnings, or a file it uploaded. */
    if (!rc && !strcmp(kind, "ledger_line")) {
        rc =
            wf_query_int(st, &n, err,
                         "SELECT COUNT(*) FROM ledger_line l JOIN ledger_book b ON b.id = l.book_id"
                         " WHERE l.id = ? AND b.unit_code = ?",
                         "it", ref_id, p.unit);
        if (!rc && n == 0)
            rc = evidence_missing(kind, ref_id, err);
    } else if (!rc && !strcmp(kind, "warning")) {
        rc =
            wf_query_int(st, &n, err, "SELECT COUNT(*) FROM warning WHERE id = ? AND unit_code = ?",
                         "it", ref_id, p.unit);
        if (!rc && n == 0)
            rc = evidence_missing(kind, ref_id, err);
    } else if (!rc) {
        rc = attach_claim(st, p.unit, &ref_id, 1, "finding", finding_id, err);
        if (rc == AG_ERR_NOTFOUND)
            rc = evidence_missing(kind, ref_id, err);
    }
    if (!rc) {
        char ts[21];
        now_text(ts);
        ag_field f[] = {ag_field_int("finding_id", finding_id),
                        ag_field_text("kind", kind),
                        ag_field_int("ref_id", ref_id),
                        ag_field_text("note", opt(note)),
                        ag_field_text("created_by", actor_name(st, a)),
                        ag_field_text("created_at", ts)};
        rc = store_insert(st, "finding_evidence", "id", f, COUNT(f), NULL, err);
    }
    /* issue 12 §2 (warn): a warning used as evidence is acknowledged, naming the finding. */
    if (!rc && !strcmp(kind, "warning"))
        rc = warnings_link_finding(st, ref_id, finding_id, a->name, err);
    project_release(&p);
    return store_end(st, rc, err);
}

/* ---- reading ---------------------------------------------------------------- */

#define FINDING_COLS                                                                               \
    "SELECT f.id, f.project_id, p.code, p.name, f.seq, f.unit_code, u.name, f.item, f.title,"      \
    " f.description, f.amount, f.basis, f.severity, f.recommendation, f.responsible,"              \
    " f.rect_class, f.repeat_of, f.created_by, f.created_at, r.id, f.responsible_person_id,"       \
    " ci.name_zh, (SELECT COUNT(*) FROM finding_evidence e WHERE e.finding_id = f.id), r.state,"   \
    " (SELECT rp.code FROM finding rf JOIN audit_project rp ON rp.id = rf.project_id"              \
    "  WHERE rf.id = f.repeat_of), f.catalog_version"                                              \
    " FROM finding f JOIN audit_project p ON p.id = f.project_id"                                  \
    " JOIN unit u ON u.code = f.unit_code LEFT JOIN rectification r ON r.finding_id = f.id"        \
    " LEFT JOIN catalog_item ci ON ci.version = f.catalog_version AND ci.code = f.item"

static json_t *finding_row(ag_stmt *s)
{
    json_t *o = json_object();
    static const struct {
        const char *key;
        int col;
        char type; /* 'i' integer, 's' text, 'n' integer or null */
    } cols[] = {
        {"id", 0, 'i'},
        {"project_id", 1, 'i'},
        {"project_code", 2, 's'},
        {"project_name", 3, 's'},
        {"seq", 4, 'i'},
        {"unit_code", 5, 's'},
        {"unit_name", 6, 's'},
        {"item", 7, 's'},
        {"item_name", 21, 's'},
        {"catalog_version", 25, 'i'},
        {"title", 8, 's'},
        {"description", 9, 's'},
        {"amount", 10, 'i'},
        {"basis", 11, 's'},
        {"severity", 12, 's'},
        {"recommendation", 13, 's'},
        {"responsible", 14, 's'},
        {"responsible_person_id", 20, 'n'},
        {"rect_class", 15, 's'},
        {"repeat_of", 16, 'n'},
        {"repeat_project_code", 24, 's'},
        {"created_by", 17, 's'},
        {"created_at", 18, 's'},
        {"rectification_id", 19, 'n'},
        {"rectification_state", 23, 's'},
        {"evidence_count", 22, 'i'},
    };
    for (int i = 0; i < COUNT(cols); i++) {
        json_t *v = cols[i].type == 's'   ? col_str(s, cols[i].col)
                    : cols[i].type == 'n' ? col_int_or_null(s, cols[i].col)
                                          : json_integer(store_col_int(s, cols[i].col));
        json_object_set_new(o, cols[i].key, v);
    }
    json_object_set_new(o, "repeat", json_boolean(!store_col_is_null(s, 16)));
    return o;
}

/* A line of text naming what a piece of evidence is. */
static json_t *evidence_summary(ag_stmt *s)
{
    const char *kind = store_col_text(s, 1);
    char buf[1200], d[32], c[32];
    if (!strcmp(kind, "ledger_line") && !store_col_is_null(s, 6)) {
        const char *summary = store_col_text(s, 10), *name = store_col_text(s, 14);
        ag_money_format_grouped(store_col_int(s, 12), d);
        ag_money_format_grouped(store_col_int(s, 13), c);
        snprintf(buf, sizeof buf, "%s %s-%s 第%lld行 %s%s%s %s 借 %s 贷 %s", store_col_text(s, 6),
                 store_col_text(s, 7), store_col_text(s, 8), (long long)store_col_int(s, 9),
                 store_col_text(s, 11), name ? " " : "", name ? name : "", summary ? summary : "",
                 d, c);
    } else if (!strcmp(kind, "warning") && !store_col_is_null(s, 15)) {
        ag_money_format_grouped(store_col_int(s, 19), d);
        snprintf(buf, sizeof buf, "%s %s（%s，%s 元）：%s", store_col_text(s, 15),
                 store_col_text(s, 16), store_col_text(s, 17), d, store_col_text(s, 18));
    } else if (!strcmp(kind, "attachment") && !store_col_is_null(s, 20)) {
        snprintf(buf, sizeof buf, "%s（%s，%lld 字节）", store_col_text(s, 20),
                 store_col_text(s, 21), (long long)store_col_int(s, 22));
    } else {
        return json_null();
    }
    ag_utf8_trim_tail(buf);
    return json_string(buf);
}

static json_t *evidence_row(ag_stmt *s)
{
    return json_pack("{s:I,s:s,s:I,s:o,s:o,s:s,s:s}", "id", (json_int_t)store_col_int(s, 0), "kind",
                     store_col_text(s, 1), "ref_id", (json_int_t)store_col_int(s, 2), "note",
                     col_str(s, 3), "summary", evidence_summary(s), "created_by",
                     store_col_text(s, 4), "created_at", store_col_text(s, 5));
}

static ag_err evidence_list(ag_store *st, int64_t finding_id, json_t **out, ag_error *err)
{
    ag_stmt *s = NULL;
    ag_err rc = wf_prep(
        st, &s, err,
        "SELECT e.id, e.kind, e.ref_id, e.note, e.created_by, e.created_at,"
        " l.voucher_date, l.voucher_type, l.voucher_no, l.line_no, l.account_code, l.summary,"
        " l.debit, l.credit, l.account_name,"
        " w.item, w.rule, w.severity, w.message, w.amount,"
        " a.filename, a.mime, a.bytes"
        " FROM finding_evidence e"
        " LEFT JOIN ledger_line l ON e.kind = 'ledger_line' AND l.id = e.ref_id"
        " LEFT JOIN warning w ON e.kind = 'warning' AND w.id = e.ref_id"
        " LEFT JOIN attachment a ON e.kind = 'attachment' AND a.id = e.ref_id"
        " WHERE e.finding_id = ? ORDER BY e.id",
        "i", finding_id);
    return wf_rows(s, rc, evidence_row, out, err);
}

static json_t *finding_row_of(ag_stmt *s, void *ctx)
{
    (void)ctx;
    return finding_row(s);
}

ag_err audit_finding_get(ag_store *st, int64_t id, const ag_scope *scope, json_t **out,
                         ag_error *err)
{
    *out = NULL;
    json_t *o = NULL, *ev = NULL;
    ag_err rc = scope_select_one(st, scope, FINDING_COLS, "f.id", "f.unit_code", id, finding_row_of,
                                 NULL, &o, err);
    if (!rc && !o)
        rc = no_finding(id, err);
    if (!rc)
        rc = evidence_list(st, id, &ev, err);
    if (rc) {
        json_decref(o);
        return rc;
    }
    json_object_set_new(o, "evidence", ev);
    *out = o;
    return AG_OK;
}

/* The summary of a project; the first placeholder is today (for overdue). */
#define PROJECT_COLS                                                                               \
    "SELECT p.id, p.code, p.name, p.kind, p.unit_code, u.name, p.period_from, p.period_to,"        \
    " p.items, p.stage, p.stage_at,"                                                               \
    " (SELECT pe.name FROM audit_team t JOIN person pe ON pe.id = t.person_id"                     \
    "  WHERE t.project_id = p.id AND t.role = 'lead' ORDER BY t.id LIMIT 1),"                      \
    " (SELECT COUNT(*) FROM finding f WHERE f.project_id = p.id),"                                 \
    " (SELECT COUNT(*) FROM rectification r WHERE r.project_id = p.id AND r.state <> 'closed'),"   \
    " (SELECT COUNT(*) FROM rectification r WHERE r.project_id = p.id"                             \
    "  AND r.state IN ('open', 'in_progress') AND r.deadline < ?),"                                \
    " p.created_at, p.catalog_version,"                                                            \
    " (SELECT n.doc_no FROM audit_record n WHERE n.project_id = p.id AND n.kind = 'notice'"        \
    "  AND n.doc_no IS NOT NULL ORDER BY n.id DESC LIMIT 1),"                                      \
    " u.cell_id, p.created_by, p.standing"                                                         \
    " FROM audit_project p JOIN unit u ON u.code = p.unit_code"

static json_t *project_row(ag_stmt *s)
{
    json_t *items = json_loads(store_col_text(s, 8), 0, NULL);
    if (!json_is_array(items)) {
        json_decref(items);
        items = json_array();
    }
    int k = stage_index(store_col_text(s, 9));
    int kind = find(audit_kinds, audit_kind_count, store_col_text(s, 3));
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(store_col_int(s, 0)));
    json_object_set_new(o, "code", col_str(s, 1));
    json_object_set_new(o, "name", col_str(s, 2));
    json_object_set_new(o, "kind", col_str(s, 3));
    json_object_set_new(o, "kind_zh", json_string(kind >= 0 ? KIND_ZH[kind] : ""));
    json_object_set_new(o, "unit_code", col_str(s, 4));
    json_object_set_new(o, "unit_name", col_str(s, 5));
    json_object_set_new(o, "cell_id", col_str(s, 18));
    json_object_set_new(o, "period_from", col_str(s, 6));
    json_object_set_new(o, "period_to", col_str(s, 7));
    json_object_set_new(o, "items", items);
    json_object_set_new(o, "catalog_version", json_integer(store_col_int(s, 16)));
    json_object_set_new(o, "stage", col_str(s, 9));
    json_object_set_new(o, "stage_zh", json_string(k >= 0 ? STAGE_ZH[k] : ""));
    json_object_set_new(o, "stage_at", col_str(s, 10));
    json_object_set_new(o, "lead", col_str(s, 11));
    json_object_set_new(o, "notice_no", col_str(s, 17));
    json_object_set_new(o, "findings", json_integer(store_col_int(s, 12)));
    json_object_set_new(o, "open_rectifications", json_integer(store_col_int(s, 13)));
    json_object_set_new(o, "overdue_rectifications", json_integer(store_col_int(s, 14)));
    json_object_set_new(o, "created_by", col_str(s, 19));
    json_object_set_new(o, "created_at", col_str(s, 15));
    /* issue 12 §2: "warning" for a unit's standing ledger (预警跟踪整改), else null. */
    json_object_set_new(o, "standing", col_str(s, 20));
    return o;
}

ag_err audit_project_list(ag_store *st, const audit_filter *f, const ag_scope *scope, json_t **out,
                          ag_error *err)
{
    *out = NULL;
    audit_filter none = {0};
    if (!f)
        f = &none;
    if (f->stage && stage_index(f->stage) < 0)
        return ag_fail(
            err, AG_ERR_INPUT, "stage", "阶段“%s”无效，应为 pre、field、report、rectify 或 closed",
            "unknown stage '%s'; use pre, field, report, rectify or closed", shown(f->stage));
    if (f->kind && find(audit_kinds, audit_kind_count, f->kind) < 0)
        return ag_fail(err, AG_ERR_INPUT, "kind",
                       "项目类型“%s”无效，应为 self_check、cross、special、tracking 或 econ_resp",
                       "unknown kind '%s'; use self_check, cross, special, tracking or econ_resp",
                       shown(f->kind));
    if (f->limit < 0 || f->offset < 0)
        return ag_fail(err, AG_ERR_INPUT, "limit", "limit 和 offset 不能为负数",
                       "limit and offset cannot be negative");
    scope_sql q;
    ag_scope all = {.role = AG_ROLE_ADMIN};
    ag_err rc = scope_predicate(scope ? scope : &all, "p.unit_code", &q, err);
    if (rc)
        return rc;
    static const char where[] =
        " WHERE (? IS NULL OR p.unit_code = ?) AND (? IS NULL OR p.stage = ?)"
        " AND (? IS NULL OR p.kind = ?)";
    const char *vals[3] = {f->unit_code, f->stage, f->kind};
    char sql[4096], today[11];
    today_text(today);
    ag_stmt *s = NULL;
    int64_t total = 0;
    int next = 0;
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit_project p JOIN unit u ON u.code = p.unit_code%s AND %s",
             where, q.text);
    rc = store_prepare(st, sql, &s, err);
    for (int k = 0; !rc && k < 3; k++) {
        rc = store_bind_text(s, 2 * k + 1, vals[k]);
        if (!rc)
            rc = store_bind_text(s, 2 * k + 2, vals[k]);
    }
    if (!rc)
        rc = scope_bind(s, &q, 7, NULL);
    rc = wf_step_int(s, rc, &total, err);
    s = NULL;
    snprintf(sql, sizeof sql, PROJECT_COLS "%s AND %s ORDER BY p.id DESC LIMIT ? OFFSET ?", where,
             q.text);
    if (!rc)
        rc = store_prepare(st, sql, &s, err);
    if (!rc)
        rc = store_bind_text(s, 1, today);
    for (int k = 0; !rc && k < 3; k++) {
        rc = store_bind_text(s, 2 * k + 2, vals[k]);
        if (!rc)
            rc = store_bind_text(s, 2 * k + 3, vals[k]);
    }
    if (!rc)
        rc = scope_bind(s, &q, 8, &next);
    int64_t limit = f->limit == 0 ? 100 : f->limit > LIST_MAX ? LIST_MAX : f->limit;
    if (!rc)
        rc = store_bind_int(s, next, limit);
    if (!rc)
        rc = store_bind_int(s, next + 1, f->offset);
    json_t *items = NULL;
    rc = wf_rows(s, rc, project_row, &items, err);
    if (rc)
        return rc;
    *out = json_pack("{s:I,s:o}", "total", (json_int_t)total, "items", items);
    return AG_OK;
}

static json_t *team_row(ag_stmt *s)
{
    return json_pack("{s:I,s:s,s:s,s:o,s:o,s:o}", "person_id", (json_int_t)store_col_int(s, 0),
                     "name", store_col_text(s, 1), "role", store_col_text(s, 2), "from_unit",
                     col_str(s, 3), "from_unit_name", col_str(s, 4), "title", col_str(s, 5));
}

static ag_err team_list(ag_store *st, int64_t project_id, json_t **out, ag_error *err)
{
    ag_stmt *s = NULL;
    ag_err rc = wf_prep(st, &s, err,
                        "SELECT t.person_id, pe.name, t.role, t.from_unit, fu.name, pe.title"
                        " FROM audit_team t JOIN person pe ON pe.id = t.person_id"
                        " LEFT JOIN unit fu ON fu.code = t.from_unit WHERE t.project_id = ?"
                        " ORDER BY CASE t.role WHEN 'lead' THEN 0 ELSE 1 END, t.id",
                        "i", project_id);
    return wf_rows(s, rc, team_row, out, err);
}

static json_t *record_row(ag_stmt *s)
{
    int k = find(audit_record_kinds, audit_record_kind_count, store_col_text(s, 1));
    return json_pack("{s:I,s:s,s:s,s:s,s:s,s:o,s:o,s:s,s:s}", "id", (json_int_t)store_col_int(s, 0),
                     "kind", store_col_text(s, 1), "kind_zh", k >= 0 ? RECORD[k].zh : "", "stage",
                     k >= 0 ? RECORD[k].stage : "", "title", store_col_text(s, 2), "doc_no",
                     col_str(s, 3), "body", col_str(s, 4), "created_by", store_col_text(s, 5),
                     "created_at", store_col_text(s, 6));
}

static ag_err record_list(ag_store *st, int64_t project_id, json_t **out, ag_error *err)
{
    ag_stmt *s = NULL;
    ag_err rc = wf_prep(st, &s, err,
                        "SELECT id, kind, title, doc_no, body, created_by, created_at"
                        " FROM audit_record WHERE project_id = ? ORDER BY id",
                        "i", project_id);
    rc = wf_rows(s, rc, record_row, out, err);
    for (size_t i = 0; !rc && i < json_array_size(*out); i++) {
        json_t *r = json_array_get(*out, i), *att = NULL;
        rc = attach_list_owned(st, "record", json_integer_value(json_object_get(r, "id")), &att,
                               err);
        if (!rc)
            json_object_set_new(r, "attachments", att);
    }
    return rc;
}

static ag_err finding_list(ag_store *st, int64_t project_id, json_t **out, ag_error *err)
{
    ag_stmt *s = NULL;
    ag_err rc = wf_prep(st, &s, err, FINDING_COLS " WHERE f.project_id = ? ORDER BY f.seq", "i",
                        project_id);
    return wf_rows(s, rc, finding_row, out, err);
}

ag_err audit_project_get(ag_store *st, int64_t id, const ag_scope *scope, json_t **out,
                         ag_error *err)
{
    *out = NULL;
    project p;
    ag_err rc = project_load(st, id, scope, &p, err);
    if (rc)
        return rc;
    char today[11];
    today_text(today);
    ag_stmt *s = NULL;
    bool row = false;
    json_t *o = NULL, *team = NULL, *records = NULL, *findings = NULL, *missing = json_array();
    rc = wf_prep(st, &s, err, PROJECT_COLS " WHERE p.id = ?", "ti", today, id);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row)
        o = project_row(s);
    store_finalize(s);
    if (!rc && !row)
        rc = no_project(id, err);
    if (!rc)
        rc = team_list(st, id, &team, err);
    if (!rc)
        rc = record_list(st, id, &records, err);
    if (!rc)
        rc = finding_list(st, id, &findings, err);
    if (!rc)
        rc = missing_of(st, &p, missing, err);
    project_release(&p);
    if (rc) {
        json_decref(o);
        json_decref(team);
        json_decref(records);
        json_decref(findings);
        json_decref(missing);
        return rc;
    }
    json_object_set_new(o, "team", team);
    json_object_set_new(o, "independence", audit_independence_json(p.kind));
    json_object_set_new(o, "records", records);
    /* The summary's count gives way to the findings themselves. */
    json_object_set_new(o, "finding_count",
                        json_integer(json_integer_value(json_object_get(o, "findings"))));
    json_object_set_new(o, "findings", findings);
    json_object_set_new(o, "may_advance",
                        json_boolean(json_array_size(missing) == 0 && strcmp(p.stage, "closed")));
    json_object_set_new(o, "missing", missing);
    *out = o;
    return AG_OK;
}
