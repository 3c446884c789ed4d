/* audit.h - audit projects through 审前·审中·审后: team, stage records, findings, evidence. */
#ifndef AG_AUDIT_H
#define AG_AUDIT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/scope.h"
#include "store/store.h"

/* Who is acting, for the permission checks of the workflow: the account's
 * scope (role, unit, cell, person) and the actor text written to the
 * records ("user:alice", "cli:root"). A CLI run acts as admin. */
typedef struct audit_actor {
    ag_scope scope;
    const char *name; /* the actor string; borrowed */
} audit_actor;

/* Project kinds: self_check 自查, cross 交叉互审, special 专项, tracking 跟踪审计,
 * econ_resp 经济责任. */
extern const char *const audit_kinds[];
extern const int audit_kind_count;

/* Stages in order: pre 审前, field 审中, report 审后·报告, rectify 审后·整改,
 * closed 已结项. */
extern const char *const audit_stages[];
extern const int audit_stage_count;

/* Record kinds, each belonging to one stage (audit_record_stage). */
extern const char *const audit_record_kinds[];
extern const int audit_record_kind_count;
/* The stage a record kind is filed in ("pre", "field", "report", "rectify"),
 * NULL for an unknown kind. */
const char *audit_record_stage(const char *kind);

/* Chinese names of the codes above and of finding severities, for people
 * (CLI, exports, messages); an unknown code is returned as it is, NULL as "". */
const char *audit_kind_zh(const char *kind);
const char *audit_stage_zh(const char *stage);
const char *audit_record_zh(const char *kind);
const char *audit_severity_zh(const char *severity);

/* ---- independence (独立性) ---------------------------------------------------
 * The rules that keep an audit independent of the unit it audits. Each rule
 * has a stable code and a short bilingual name that every refusal quotes,
 * e.g. "审计组成员不得来自被审计单位（独立性规则：回避被审计单位）".
 *
 * Who is who: a person "of" a unit is a person whose unit_code is that unit
 * or who is one of its responsible subjects (unit_subject). A unit's SOE
 * group (国企集团) is the topmost 国企 reached by parent_code and every 国企
 * under it; units that are not 国企 have no group. Bureau staff (区审计局人员,
 * e.g. the grid liaisons 网格指导员) are the persons of no unit: registered
 * without a unit and subject of none. A bureau admin account (role admin)
 * stands for the bureau itself. */
typedef enum audit_rule {
    AUDIT_RULE_TEAM_NOT_UNIT,       /* team_not_audited_unit 回避被审计单位 */
    AUDIT_RULE_TEAM_NOT_GROUP,      /* team_not_soe_group 回避同一国企集团 */
    AUDIT_RULE_TEAM_OWN_AUDIT,      /* team_own_internal_audit 自查由本单位内审实施 */
    AUDIT_RULE_APPROVER_NOT_AUTHOR, /* approver_not_author 编审分离 */
    AUDIT_RULE_APPROVER_NOT_TEAM,   /* approver_not_team 审批独立于审计组 */
    AUDIT_RULE_VERIFIER_TEAM,       /* verifier_team_or_bureau 核验由审计组或审计局 */
    AUDIT_RULE_VERIFIER_NOT_UNIT, /* verifier_not_audited_unit 被审计单位不核验自己的整改 */
    AUDIT_RULE_VERIFIER_NOT_CLAIMER, /* verifier_not_claimer 申报与核验分离 */
    AUDIT_RULE_COUNT
} audit_rule;

/* A rule's code ("team_not_audited_unit"), Chinese and English names;
 * static strings. NULL members for an out-of-range rule. */
typedef struct audit_rule_name {
    const char *code, *zh, *en;
} audit_rule_name;
audit_rule_name audit_rule_info(audit_rule r);

/* One row of the independence table: which rules bind projects of `kind`.
 * The table (audit.c, and docs/workflow.md §1) has one row per kind. */
typedef struct audit_independence {
    const char *kind;
    bool rule[AUDIT_RULE_COUNT];
} audit_independence;
/* The row of kind; NULL for an unknown kind. */
const audit_independence *audit_independence_of(const char *kind);
/* The rules binding kind, as [{code, zh, en}] in rule order; an unknown
 * kind gives []. Caller owns the result. */
json_t *audit_independence_json(const char *kind);

/* Fills err with code, where and "<detail>（独立性规则：<rule>）" / "<detail>
 * (independence rule: <rule>)" and returns code. */
ag_err audit_rule_refuse(ag_error *err, ag_err code, const char *where, audit_rule r,
                         const char *detail_zh, const char *detail_en);

/* How a person stands to an audited unit, for the rules above. */
typedef enum audit_relation {
    AUDIT_REL_OTHER = 0, /* of another unit, outside the audited unit's group */
    AUDIT_REL_UNIT,      /* of the audited unit itself */
    AUDIT_REL_GROUP,     /* of another unit of the audited unit's SOE group */
    AUDIT_REL_BUREAU     /* bureau staff: of no unit */
} audit_relation;
/* Sets *rel for person_id and unit_code (the nearest tie wins: unit before
 * group before other). AG_ERR_NOTFOUND when there is no such person. */
ag_err audit_person_relation(ag_store *st, int64_t person_id, const char *unit_code,
                             audit_relation *rel, ag_error *err);

/* A project to create. code is generated when NULL ("SJ-<year>-<nnn>").
 * items: catalog item codes (at least one, each in the current catalog
 * version, which the project keeps). period_from <= period_to, YYYY-MM-DD. */
typedef struct audit_project_in {
    const char *code;
    const char *name;
    const char *kind;
    const char *unit_code;
    const char *period_from;
    const char *period_to;
    const char *const *items;
    int nitems;
} audit_project_in;

/* Creates a project in stage "pre". Allowed: admin for any kind and unit;
 * auditor and chief_auditor only kind self_check on a unit in their scope.
 * AG_ERR_DENIED otherwise, AG_ERR_NOTFOUND for a unit outside the actor's
 * scope (same message as a missing unit), AG_ERR_INPUT for bad fields,
 * AG_ERR_EXISTS for a taken code. */
ag_err audit_project_create(ag_store *st, const audit_actor *a, const audit_project_in *in,
                            int64_t *id, ag_error *err);

/* Adds a person to the team as "lead" (one per project) or "member"; the
 * person's own unit is recorded as from_unit. The independence table
 * decides who may join (AG_ERR_INPUT naming the rule otherwise): in every
 * kind but a self-check nobody of the audited unit or its SOE group; a
 * self-check's team is the unit's (group's) own internal audit; bureau
 * staff may join any project. Allowed: admin, or the project's lead (and
 * for a self-check without a lead yet, the unit's own auditor or chief
 * auditor). Only before the project is closed. */
ag_err audit_team_add(ag_store *st, const audit_actor *a, int64_t project_id, int64_t person_id,
                      const char *role, ag_error *err);

/* Files a stage record (see audit_record_kinds). A record can only be filed
 * while the project is in the record's stage. Who may file which kind:
 *   plan, notice, survey, working_paper, draft_report, final_report,
 *   followup: admin or a team member;
 *   plan_approval: admin, the supervisor of the audited unit's cell, or for
 *   a self_check the audited unit's leader; and never (AG_ERR_DENIED naming
 *   the rule) an account that filed a plan of the project, nor one whose
 *   person is on the team. A bureau admin account without a person stands
 *   for the bureau and may record the bureau's approval of a plan it filed;
 *   response (the audited unit's reply to the draft): the audited unit's
 *   leader or auditor, or admin.
 * attachment_ids (may be NULL/0) are attachments of the audited unit not yet
 * attached to anything; they become owned by the record. */
typedef struct audit_record_in {
    const char *kind;
    const char *title;
    const char *doc_no; /* 文号, e.g. the notice number 南审通〔2026〕12号; optional */
    const char *body;
    const int64_t *attachment_ids;
    int nattachments;
} audit_record_in;
ag_err audit_record_add(ag_store *st, const audit_actor *a, int64_t project_id,
                        const audit_record_in *in, int64_t *id, ag_error *err);

/* What the project still lacks to leave its stage, as a JSON array of
 * {"code": "...", "zh": "...", "en": "..."} (empty when it may advance).
 * Requirements: pre → a team lead, plan, plan_approval, notice and survey;
 * field → at least one working_paper, and every finding has a basis;
 * report → draft_report, response and final_report (the final report after
 * the response); rectify → every rectification item closed or continuous,
 * and a followup record. Caller owns *out. */
ag_err audit_stage_missing(ag_store *st, int64_t project_id, json_t **out, ag_error *err);

/* Moves the project to the next stage when nothing is missing (else
 * AG_ERR_INPUT naming the first missing record) and the actor is admin or
 * the team lead (else AG_ERR_DENIED). The stage only: entering "rectify"
 * with its rectification items is app_audit_advance (app/audit.h). Returns
 * the new stage name in *stage (static string; may be NULL). */
ag_err audit_advance(ag_store *st, const audit_actor *a, int64_t project_id, const char **stage,
                     ag_error *err);

/* The stage machine (issue 13 §4): in stage `from`, `action` leads to `to`.
 * Who: an admin or the project's team lead (audit_advance). */
typedef struct audit_stage_transition {
    const char *from, *action, *to;
} audit_stage_transition;
extern const audit_stage_transition audit_stage_transitions[];
extern const int audit_stage_transition_count;

/* The stage actions the actor may take on the project now:
 * [{"action": "advance", "label": "进入“审中”阶段", "label_en": "…", "next": "field"}], empty
 * when closed, for a reviewer and for anyone but an admin or the lead (the
 * missing records are the project's "missing", checked on the advance). The
 * project as the actor's scope sees it, else AG_ERR_NOTFOUND. Caller owns *out. */
ag_err audit_actions(ag_store *st, const audit_actor *a, int64_t project_id, json_t **out,
                     ag_error *err);

typedef struct audit_filter {
    const char *unit_code;
    const char *stage;
    const char *kind;
    int64_t limit; /* 0: 100 */
    int64_t offset;
} audit_filter;

/* {total, items: [project summary]} of the projects whose audited unit is in
 * scope (NULL scope: all). A summary: id, code, name, kind, unit_code,
 * unit_name, period_from, period_to, items [codes], stage, stage_at, lead
 * (name or null), findings, open_rectifications, overdue_rectifications,
 * created_at. Caller owns *out. */
ag_err audit_project_list(ag_store *st, const audit_filter *f, const ag_scope *scope, json_t **out,
                          ag_error *err);

/* One project: the summary plus independence (audit_independence_json of
 * its kind), team [{person_id, name, role, from_unit,
 * from_unit_name}], records [{id, kind, stage, title, doc_no, body,
 * created_by, created_at, attachments: [...]}], findings [as audit_finding_get
 * without evidence], missing (audit_stage_missing) and may_advance. today
 * decides overdue. AG_ERR_NOTFOUND when absent or out of scope. */
ag_err audit_project_get(ag_store *st, int64_t id, const ag_scope *scope, json_t **out,
                         ag_error *err);

/* A finding (审计发现). amount in fen (>= 0). severity high|medium|low.
 * rect_class immediate 立行立改 | phased 分阶段整改 | continuous 持续整改
 * (default immediate). item must be one of the project's items. */
typedef struct audit_finding_in {
    const char *item;
    const char *title; /* 问题摘要 */
    const char *description;
    int64_t amount;
    const char *basis; /* 定性依据 */
    const char *severity;
    const char *recommendation;
    const char *responsible;       /* 责任人 name as written in the report */
    int64_t responsible_person_id; /* 0: none */
    const char *rect_class;
} audit_finding_in;

/* Records a finding while the project is in "field" (admin or a team
 * member). It is numbered within the project (seq 1, 2, ...). When the same
 * unit has a finding on the same item from an earlier project whose
 * rectification was closed (已销号), the new one is marked 屡审屡犯 (repeat_of
 * = that finding's id). */
ag_err audit_finding_add(ag_store *st, const audit_actor *a, int64_t project_id,
                         const audit_finding_in *in, int64_t *id, ag_error *err);

/* Corrects a finding while its project is in "field" (admin or a team
 * member), e.g. to add the basis of a draft: every field of in replaces the
 * stored one, with the checks of audit_finding_add, and the 屡审屡犯 mark is
 * worked out again. seq and evidence stay. AG_ERR_NOTFOUND when absent or
 * out of scope. */
ag_err audit_finding_update(ag_store *st, const audit_actor *a, int64_t id,
                            const audit_finding_in *in, ag_error *err);

/* The unit's standing ledger of `year` (预警跟踪整改): a tracking project
 * named "YYYY年预警跟踪整改", code YJ-YYYY-<unit>, every catalog item in
 * scope, in stage "rectify" from the start (standing "warning" in the
 * project's JSON). It holds the rectification items the bureau raises
 * directly from warnings, without an audit's 审前·审中. Found, or created
 * (audited) on first use; admin only (AG_ERR_DENIED), the unit must be
 * visible (AG_ERR_NOTFOUND). *project_id receives its id. */
ag_err audit_warning_ledger(ag_store *st, const audit_actor *a, const char *unit_code, int year,
                            int64_t *project_id, ag_error *err);

/* Records a finding in a standing ledger (audit_warning_ledger), with the
 * checks of audit_finding_add but in stage "rectify"; audit_finding_add
 * refuses a standing ledger and this refuses any other project. The caller
 * makes it a rectification item (rectify_create_for_project). */
ag_err audit_ledger_finding_add(ag_store *st, const audit_actor *a, int64_t project_id,
                                const audit_finding_in *in, int64_t *id, ag_error *err);

/* Adds evidence to a finding while the project is in "field" (a standing
 * ledger: "rectify"): kind
 * "ledger_line" (a ledger_line id of the audited unit), "warning" (a warning
 * of the audited unit) or "attachment" (an unowned attachment of the
 * audited unit, which becomes owned by the finding). Admin or a team member.
 * AG_ERR_NOTFOUND when the referenced thing is missing or of another unit;
 * AG_ERR_EXISTS when already attached. */
ag_err audit_evidence_add(ag_store *st, const audit_actor *a, int64_t finding_id, const char *kind,
                          int64_t ref_id, const char *note, ag_error *err);

/* One finding: id, project_id, project_code, project_name, seq, unit_code,
 * unit_name, item, title, description, amount (fen), basis, severity,
 * recommendation, responsible, rect_class, repeat_of (id or null), repeat
 * (bool), created_by, created_at, rectification_id (or null), evidence
 * [{id, kind, ref_id, note, summary: text describing the line / warning /
 * file}]. AG_ERR_NOTFOUND when absent or out of scope. */
ag_err audit_finding_get(ag_store *st, int64_t id, const ag_scope *scope, json_t **out,
                         ag_error *err);

/* True when the actor may act as the project's team (admin or a team member
 * whose person_id is on the team); lead_only asks for the lead. */
ag_err audit_is_team(ag_store *st, const audit_actor *a, int64_t project_id, bool lead_only,
                     bool *yes, ag_error *err);

#endif
