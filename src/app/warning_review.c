/* warning_review.c (app) - a warning becomes a finding of an audit project. */
#include "app/warning_review.h"

#include <stdio.h>
#include <string.h>

#include "domain/warnings.h"
#include "util/money.h"
#include "util/banned.h"

ag_err app_warning_to_finding(ag_store *st, const audit_actor *a, int64_t id, int64_t project_id,
                              int64_t *finding_id, json_t **out, ag_error *err)
{
    if (finding_id)
        *finding_id = 0;
    if (out)
        *out = NULL;
    json_t *w = NULL;
    int64_t fid = 0;
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = warnings_get(st, id, &a->scope, &w, err);
    const char *state = rc ? NULL : json_string_value(json_object_get(w, "state"));
    const warnings_transition *t = rc ? NULL : warnings_transition_find(state, "to_finding");
    if (!rc && (!t || !(t->who & AG_ROLE_BIT(a->scope.role))))
        rc = ag_fail(err, AG_ERR_DENIED, "action",
                     "只有区审计局管理员可将已上报或已确认的预警转为审计发现",
                     "only the bureau's admin turns an escalated or acknowledged warning into a "
                     "finding");
    if (!rc) {
        const char *rn = json_string_value(json_object_get(w, "rule_name"));
        const char *voucher = json_string_value(json_object_get(w, "voucher"));
        char title[200];
        snprintf(title, sizeof title, "预警 #%lld %s%s%s", (long long)id,
                 rn ? rn : json_string_value(json_object_get(w, "rule")), voucher ? " " : "",
                 voucher ? voucher : "");
        int64_t fen = 0;
        const char *amount = json_string_value(json_object_get(w, "amount"));
        if (amount && !ag_money_parse(amount, strlen(amount), &fen))
            fen = 0;
        audit_finding_in in = {
            .item = json_string_value(json_object_get(w, "item")),
            .title = title,
            .description = json_string_value(json_object_get(w, "message")),
            .amount = fen < 0 ? -fen : fen,
            .severity = json_string_value(json_object_get(w, "severity")),
        };
        rc = audit_finding_add(st, a, project_id, &in, &fid, err);
    }
    /* Attaching it as evidence acknowledges the warning, naming the finding. */
    if (!rc)
        rc = audit_evidence_add(st, a, fid, "warning", id, "由预警转为审计发现", err);
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
    return rc;
}
