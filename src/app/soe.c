/* soe.c (app) - the chief auditor's actions, each one transaction: appointment, an audit of a
 * subsidiary through the audit workflow, the quarterly report through the generic submission. */
#include "app/soe.h"

#include <stdio.h>
#include <string.h>

#include "domain/submission.h"
#include "domain/wf_query.h"
#include "util/banned.h"

/* Only admin, or a chief auditor whose own group this is; a group out of the actor's scope is
 * "not found", as if it did not exist. */
static ag_err chief_of(ag_store *st, const audit_actor *a, const char *group_code, ag_error *err)
{
    ag_err rc = soe_group_check(st, group_code, err);
    if (rc || a->scope.role == AG_ROLE_ADMIN)
        return rc;
    bool visible = false;
    rc = scope_unit_visible(st, &a->scope, group_code, &visible, err);
    if (!rc && !visible)
        return ag_fail(err, AG_ERR_NOTFOUND, "group", "国企集团 %s 不存在", "no SOE group %s",
                       group_code);
    if (!rc && (a->scope.role != AG_ROLE_CHIEF_AUDITOR || strcmp(a->scope.unit_code, group_code)))
        rc = ag_fail(err, AG_ERR_DENIED, "group", "只有该集团的总审计师或区审计局管理员可以办理",
                     "only the group's chief auditor or the bureau's admin may do this");
    return rc;
}

ag_err app_soe_chief_set(ag_store *st, const audit_actor *a, const soe_chief_in *in, ag_error *err)
{
    if (a->scope.role != AG_ROLE_ADMIN)
        return ag_fail(err, AG_ERR_DENIED, "role", "只有区审计局管理员可以登记总审计师",
                       "only the bureau's admin registers chief auditors");
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    return store_end(st, soe_chief_set(st, in, err), err);
}

ag_err app_soe_plan_audit(ag_store *st, const audit_actor *a, const char *group_code,
                          const audit_project_in *in, int64_t *id, ag_error *err)
{
    int64_t pid = 0, in_group = 0, lead = a->scope.person_id;
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = chief_of(st, a, group_code, err);
    if (!rc)
        rc = wf_query_int(st, &in_group, err,
                          "SELECT COUNT(*) FROM unit WHERE code = ? AND (code = ? OR"
                          " parent_code = ?)",
                          "ttt", in->unit_code ? in->unit_code : "", group_code, group_code);
    if (!rc && !in_group)
        rc = ag_fail(err, AG_ERR_INPUT, "unit_code", "被审计单位应为集团 %s 或其所属子企业",
                     "the audited unit must be group %s or one of its subsidiaries", group_code);
    if (!rc && a->scope.role == AG_ROLE_ADMIN)
        rc = wf_query_int(st, &lead, err,
                          "SELECT COALESCE(MAX(person_id), 0) FROM soe_chief_auditor"
                          " WHERE group_code = ?",
                          "t", group_code);
    audit_project_in p = *in;
    if (!p.kind || !*p.kind)
        p.kind = "self_check";
    if (!rc)
        rc = audit_project_create(st, a, &p, &pid, err);
    if (!rc && lead > 0)
        rc = audit_team_add(st, a, pid, lead, "lead", err);
    rc = store_end(st, rc, err);
    if (!rc && id)
        *id = pid;
    return rc;
}

ag_err app_soe_file_quarterly(ag_store *st, const audit_actor *a, const char *group_code,
                              const char *period, const char *title, const char *body, int64_t *id,
                              ag_error *err)
{
    char cell[32];
    if (!soe_quarter_valid(period))
        return ag_fail(err, AG_ERR_INPUT, "period", "季度应写作 YYYYQn，如 2026Q3",
                       "the quarter is written YYYYQn, e.g. 2026Q3");
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = chief_of(st, a, group_code, err);
    if (!rc)
        rc = soe_state_assets_cell(st, group_code, cell, err);
    submission_in in = {.kind = "soe_quarterly",
                        .unit_code = group_code,
                        .to_cell = cell,
                        .period = period,
                        .title = title,
                        .body = body};
    if (!rc)
        rc = submission_file(st, a, &in, id, err);
    return store_end(st, rc, err);
}
