/* import.c (app) - the import use case: the replace rule, then ledger_import. */
#include "app/import.h"

#include "domain/attach.h"
#include "util/banned.h"

ag_err app_import_may_replace(ag_store *st, const ag_scope *who, const char *unit_code, bool *may,
                              ag_error *err)
{
    *may = false;
    if (who->role == AG_ROLE_ADMIN) {
        *may = true;
        return AG_OK;
    }
    if (who->role != AG_ROLE_AUDITOR && who->role != AG_ROLE_CHIEF_AUDITOR)
        return AG_OK;
    return scope_unit_owned(st, who, unit_code, may, err);
}

ag_err app_import(ag_store *st, const ag_scope *who, const char *path, const ledger_import_opts *o,
                  json_t **report, ag_error *err)
{
    *report = NULL;
    if (who && o->replace) {
        bool may = false;
        ag_err rc = app_import_may_replace(st, who, o->unit_code, &may, err);
        if (rc)
            return rc;
        if (!may)
            return ag_fail(err, AG_ERR_DENIED, "replace",
                           "只有单位 %s 本单位的内审人员或审计局可以替换其账套；审计组成员可以"
                           "查阅被审计单位的账套，但不能替换",
                           "only the internal auditors of unit %s itself or the audit bureau may "
                           "replace its books; audit team members may read the audited unit's "
                           "books but not replace them",
                           o->unit_code);
    }
    return ledger_import(st, path, o, report, err);
}

ag_err app_import_startup_clean(ag_store *st, const char *tmp_dir, int *imports, int64_t *uploads,
                                ag_error *err)
{
    ag_err rc = ledger_import_cleanup(st, imports, err);
    if (!rc)
        rc = attach_spool_clean(tmp_dir, 3600, uploads, NULL, err);
    return rc;
}
