/* warning_review.c (app) - a warning becomes a finding of an audit project, or a
 * rectification item of the unit's standing ledger (预警跟踪整改). */
#include "app/warning_review.h"

#include <stdio.h>
#include <string.h>

#include "domain/rectify.h"
#include "domain/warnings.h"
#include "util/clock.h"
#include "util/date.h"
#include "util/money.h"
#include "util/banned.h"

/* The finding a warning becomes: its item, severity, amount and message,
 * titled by the rule's name and voucher (title is the caller's buffer). */
static audit_finding_in finding_of(const json_t *w, int64_t id, const char *rect_class, char *title,
                                   size_t n)
{
    const char *rn = json_string_value(json_object_get(w, "rule_name"));
    const char *voucher = json_string_value(json_object_get(w, "voucher"));
    snprintf(title, n, "预警 #%lld %s%s%s", (long long)id,
             rn ? rn : json_string_value(json_object_get(w, "rule")), voucher ? " " : "",
             voucher ? voucher : "");
    int64_t fen = 0;
    const char *amount = json_string_value(json_object_get(w, "amount"));
    if (amount && !ag_money_parse(amount, strlen(amount), &fen))
        fen = 0;
    return (audit_finding_in){
        .item = json_string_value(json_object_get(w, "item")),
        .title = title,
        .description = json_string_value(json_object_get(w, "message")),
        .amount = fen < 0 ? -fen : fen,
        .severity = json_string_value(json_object_get(w, "severity")),
        .rect_class = rect_class,
    };
}

/* The one path of both use cases: project_id 0 means the standing ledger,
 * where the finding becomes a rectification item at once (*rect_id). */
static ag_err to_finding(ag_store *st, const audit_actor *a, int64_t id, int64_t project_id,
                         const char *rect_class, int64_t *finding_id, int64_t *rect_id,
                         json_t **out, ag_error *err)
{
    bool direct = project_id == 0;
    const char *action = direct ? "to_rectification" : "to_finding";
    json_t *w = NULL;
    int64_t fid = 0, rid = 0;
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = warnings_get(st, id, &a->scope, &w, err);
    const char *state = rc ? NULL : json_string_value(json_object_get(w, "state"));
    const warnings_transition *t = rc ? NULL : warnings_transition_find(state, action);
    if (!rc && (!t || !(t->who & AG_ROLE_BIT(a->scope.role))))
        rc = ag_fail(err, AG_ERR_DENIED, "action",
                     !direct ? "只有区审计局管理员可将已上报或已确认的预警转为审计发现"
                             : "只有区审计局管理员可将已上报或已确认的预警直接转为整改事项",
                     !direct ? "only the bureau's admin turns an escalated or acknowledged "
                               "warning into a finding"
                             : "only the bureau's admin turns an escalated or acknowledged "
                               "warning into a rectification item");
    const json_t *linked = rc ? NULL : json_object_get(w, "finding");
    if (!rc && direct && json_is_object(linked))
        rc = ag_fail(err, AG_ERR_EXISTS, "action", "该预警已是审计发现“%s”的证据，整改随该发现进行",
                     "the warning is already evidence of the finding '%s', rectified with it",
                     json_string_value(json_object_get(linked, "title")));
    if (!rc && direct) {
        int year = ag_date_from_days(ag_clock_today()).year;
        rc = audit_warning_ledger(st, a, json_string_value(json_object_get(w, "unit")), year,
                                  &project_id, err);
    }
    char title[200];
    audit_finding_in in =
        rc ? (audit_finding_in){0} : finding_of(w, id, rect_class, title, sizeof title);
    if (!rc && !direct)
        rc = audit_finding_add(st, a, project_id, &in, &fid, err);
    else if (!rc)
        rc = audit_ledger_finding_add(st, a, project_id, &in, &fid, err);
    /* Attaching it as evidence acknowledges the warning, naming the finding. */
    if (!rc)
        rc = audit_evidence_add(st, a, fid, "warning", id,
                                direct ? "由预警直接转为整改事项" : "由预警转为审计发现", err);
    if (!rc && direct)
        rc = rectify_create_for_project(st, project_id, NULL, err);
    if (!rc && direct)
        rc = rectify_of_finding(st, fid, &rid, err);
    json_decref(w);
    if (!rc && out)
        rc = warnings_get(st, id, &a->scope, out, err);
    if (rc) {
        store_rollback(st);
        if (out) {
            json_decref(*out);
            *out = NULL;
        }
        return rc;
    }
    rc = store_commit(st, err);
    if (!rc && finding_id)
        *finding_id = fid;
    if (!rc && rect_id)
        *rect_id = rid;
    return rc;
}

ag_err app_warning_to_finding(ag_store *st, const audit_actor *a, int64_t id, int64_t project_id,
                              int64_t *finding_id, json_t **out, ag_error *err)
{
    if (finding_id)
        *finding_id = 0;
    if (out)
        *out = NULL;
    if (project_id <= 0)
        return ag_fail(err, AG_ERR_INPUT, "project_id", "请选择审计项目",
                       "choose an audit project");
    return to_finding(st, a, id, project_id, NULL, finding_id, NULL, out, err);
}

ag_err app_warning_to_rectification(ag_store *st, const audit_actor *a, int64_t id,
                                    const char *rect_class, int64_t *rect_id, json_t **out,
                                    ag_error *err)
{
    if (rect_id)
        *rect_id = 0;
    if (out)
        *out = NULL;
    return to_finding(st, a, id, 0, rect_class ? rect_class : "immediate", NULL, rect_id, out, err);
}
