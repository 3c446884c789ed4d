/* iabody.c (app) - a unit records its internal-audit set-up, in one transaction. */
#include "app/iabody.h"

#include "util/banned.h"

ag_err app_iabody_set(ag_store *st, const audit_actor *a, const char *unit_code,
                      const iabody_in *in, ag_error *err)
{
    bool visible = false, owned = false;
    ag_err rc = scope_unit_visible(st, &a->scope, unit_code, &visible, err);
    if (!rc && !visible)
        return ag_fail(err, AG_ERR_NOTFOUND, "unit", "单位 %s 不存在", "no unit %s",
                       unit_code ? unit_code : "");
    if (!rc && a->scope.role != AG_ROLE_ADMIN)
        rc = scope_unit_owned(st, &a->scope, unit_code, &owned, err);
    if (!rc && a->scope.role != AG_ROLE_ADMIN && !owned)
        return ag_fail(err, AG_ERR_DENIED, "unit",
                       "只有本单位负责人、内审人员、总审计师或区审计局管理员可以登记内审机构",
                       "only the unit's own leader, internal auditor, chief auditor or the "
                       "bureau's admin records its internal-audit body");
    if (!rc)
        rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = iabody_set(st, unit_code, in, err);
    return store_end(st, rc, err);
}
