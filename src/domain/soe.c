/* soe.c - SOE groups, their chief auditors' appointments, and a group as its chief auditor sees it.
 */
#include "domain/soe.h"

#include <stdio.h>
#include <string.h>

#include "domain/grid.h"
#include "domain/iabody.h"
#include "domain/wf_query.h"
#include "util/clock.h"
#include "util/banned.h"

/* A group head: a 国企 whose parent is not a 国企. */
#define GROUP_HEAD                                                                                 \
    "u.type = '国企' AND u.disabled = 0 AND (u.parent_code IS NULL OR u.parent_code NOT IN"      \
    " (SELECT code FROM unit WHERE type = '国企'))"

ag_err soe_group_check(ag_store *st, const char *code, ag_error *err)
{
    int64_t exists = 0, head = 0;
    ag_err rc = wf_query_int(st, &exists, err, "SELECT COUNT(*) FROM unit WHERE code = ?", "t",
                             code ? code : "");
    if (!rc)
        rc = wf_query_int(st, &head, err,
                          "SELECT COUNT(*) FROM unit u WHERE u.code = ? AND " GROUP_HEAD, "t",
                          code ? code : "");
    if (rc)
        return rc;
    if (!exists)
        return ag_fail(err, AG_ERR_NOTFOUND, "group", "单位 %s 不存在", "no unit %s",
                       code ? code : "");
    if (!head)
        return ag_fail(err, AG_ERR_INPUT, "group", "%s 不是区属国企集团（国企且无上级国企）",
                       "%s is no district SOE group (an SOE without a parent SOE)", code);
    return AG_OK;
}

ag_err soe_chief_set(ag_store *st, const soe_chief_in *in, ag_error *err)
{
    ag_err rc = soe_group_check(st, in->group_code, err);
    if (rc)
        return rc;
    int64_t ok = 0;
    rc = wf_query_int(st, &ok, err,
                      "SELECT COUNT(*) FROM person WHERE id = ? AND unit_code = ? AND disabled = 0",
                      "it", in->person_id, in->group_code);
    if (!rc && !ok)
        return ag_fail(err, AG_ERR_INPUT, "person", "人员 #%lld 不是集团 %s 的在职人员",
                       "person #%lld is not an active person of group %s", (long long)in->person_id,
                       in->group_code);
    int32_t day = 0;
    if (!rc && (!in->appointed_on || !ag_clock_parse_today(in->appointed_on, &day)))
        return ag_fail(err, AG_ERR_INPUT, "date", "任命日期应为 YYYY-MM-DD 格式的有效日期",
                       "the appointment date must be a real date as YYYY-MM-DD");
    if (!rc && day > ag_clock_today())
        return ag_fail(err, AG_ERR_INPUT, "date", "任命日期不能晚于今天",
                       "the appointment date cannot be after today");
    if (!rc && (!in->doc_no || !*in->doc_no || strlen(in->doc_no) > SOE_DOC_NO_MAX))
        return ag_fail(err, AG_ERR_INPUT, "doc_no", "缺少任命文号（至多 %d 字节）",
                       "the appointment document number is required (at most %d bytes)",
                       SOE_DOC_NO_MAX);
    if (rc)
        return rc;
    char ts[21];
    ag_clock_format(ag_clock_now(), ts);
    int64_t have = 0, prev = 0;
    rc = wf_query_int(st, &have, err, "SELECT COUNT(*) FROM soe_chief_auditor WHERE group_code = ?",
                      "t", in->group_code);
    const ag_field f[] = {
        ag_field_text("group_code", in->group_code),     ag_field_int("person_id", in->person_id),
        ag_field_text("appointed_on", in->appointed_on), ag_field_text("doc_no", in->doc_no),
        ag_field_text("updated_by", store_actor(st)),    ag_field_text("updated_at", ts),
    };
    if (!rc && have)
        rc = store_update(st, "soe_chief_auditor", "group_code",
                          ag_field_text("group_code", in->group_code), f + 1, 5, err);
    else if (!rc)
        rc = store_insert(st, "soe_chief_auditor", "group_code", f, 6, NULL, err);
    /* One chief auditor subject per group: the previous ones' role ends. */
    while (!rc) {
        rc = wf_query_int(st, &prev, err,
                          "SELECT COALESCE(MIN(id), 0) FROM unit_subject WHERE unit_code = ? AND"
                          " role = 'chief_auditor' AND person_id <> ?",
                          "ti", in->group_code, in->person_id);
        if (rc || !prev)
            break;
        rc = store_delete(st, "unit_subject", "id", ag_field_int("id", prev), err);
    }
    if (!rc)
        rc = wf_query_int(st, &ok, err,
                          "SELECT COUNT(*) FROM unit_subject WHERE unit_code = ? AND person_id = ?"
                          " AND role = 'chief_auditor'",
                          "ti", in->group_code, in->person_id);
    if (!rc && !ok)
        rc = grid_subject_set(st, in->group_code, in->person_id, "chief_auditor", err);
    return rc;
}

static json_t *text_or_null(ag_stmt *s, int col)
{
    const char *v = store_col_text(s, col);
    return v ? json_string(v) : json_null();
}

/* The columns every group object is built from (group_row). */
#define GROUP_COLS                                                                                 \
    "SELECT u.code, u.name, u.cell_id, c.name, u.pilot,"                                           \
    " (SELECT COUNT(*) FROM unit k WHERE k.parent_code = u.code AND k.disabled = 0),"              \
    " ca.person_id, p.name, ca.appointed_on, ca.doc_no"                                            \
    " FROM unit u LEFT JOIN grid_cell c ON c.id = u.cell_id"                                       \
    " LEFT JOIN soe_chief_auditor ca ON ca.group_code = u.code"                                    \
    " LEFT JOIN person p ON p.id = ca.person_id WHERE " GROUP_HEAD " AND "

static json_t *group_row(ag_stmt *s)
{
    json_t *chief =
        store_col_is_null(s, 6)
            ? json_null()
            : json_pack("{s:I, s:o, s:o, s:o}", "person_id", (json_int_t)store_col_int(s, 6),
                        "name", text_or_null(s, 7), "appointed_on", text_or_null(s, 8), "doc_no",
                        text_or_null(s, 9));
    return json_pack("{s:s, s:s, s:o, s:o, s:b, s:I, s:o}", "code", store_col_text(s, 0), "name",
                     store_col_text(s, 1), "cell_id", text_or_null(s, 2), "cell_name",
                     text_or_null(s, 3), "pilot", (int)store_col_int(s, 4), "subsidiaries",
                     (json_int_t)store_col_int(s, 5), "chief_auditor", chief);
}

ag_err soe_group_list(ag_store *st, const ag_scope *scope, json_t **out, ag_error *err)
{
    ag_stmt *s = NULL;
    ag_err rc =
        scope_prepare(st, scope, "u.code", GROUP_COLS, " ORDER BY u.code", &s, NULL, err, "");
    return wf_rows(s, rc, group_row, out, err);
}

static json_t *sub_row(ag_stmt *s)
{
    return json_pack("{s:s, s:s, s:s, s:b, s:I}", "code", store_col_text(s, 0), "name",
                     store_col_text(s, 1), "type", store_col_text(s, 2), "pilot",
                     (int)store_col_int(s, 3), "audits", (json_int_t)store_col_int(s, 4));
}

static json_t *audit_row(ag_stmt *s)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)store_col_int(s, 0),
                     "code", store_col_text(s, 1), "name", store_col_text(s, 2), "kind",
                     store_col_text(s, 3), "unit_code", store_col_text(s, 4), "unit_name",
                     store_col_text(s, 5), "stage", store_col_text(s, 6));
}

ag_err soe_group_get(ag_store *st, const ag_scope *scope, const char *code, json_t **out,
                     ag_error *err)
{
    *out = NULL;
    ag_stmt *s = NULL;
    json_t *list = NULL, *subs = NULL, *audits = NULL;
    ag_err rc = scope_prepare(st, scope, "u.code", GROUP_COLS "u.code = ? AND ", "", &s, NULL, err,
                              "t", code ? code : "");
    rc = wf_rows(s, rc, group_row, &list, err);
    if (!rc && json_array_size(list) == 0)
        rc = ag_fail(err, AG_ERR_NOTFOUND, "group", "国企集团 %s 不存在", "no SOE group %s",
                     code ? code : "");
    if (!rc) {
        rc = scope_prepare(st, scope, "u.code",
                           "SELECT u.code, u.name, u.type, u.pilot, (SELECT COUNT(*) FROM"
                           " audit_project ap WHERE ap.unit_code = u.code AND ap.stage <>"
                           " 'closed') FROM unit u WHERE u.parent_code = ? AND u.disabled = 0"
                           " AND ",
                           " ORDER BY u.code", &s, NULL, err, "t", code);
        rc = wf_rows(s, rc, sub_row, &subs, err);
    }
    if (!rc) {
        rc = scope_prepare(st, scope, "u.code",
                           "SELECT ap.id, ap.code, ap.name, ap.kind, u.code, u.name, ap.stage"
                           " FROM audit_project ap JOIN unit u ON u.code = ap.unit_code"
                           " WHERE (u.code = ? OR u.parent_code = ?) AND ",
                           " ORDER BY ap.id DESC", &s, NULL, err, "tt", code, code);
        rc = wf_rows(s, rc, audit_row, &audits, err);
    }
    if (!rc) {
        *out = json_incref(json_array_get(list, 0));
        json_object_set_new(*out, "subsidiaries", subs);
        json_object_set_new(*out, "audits", audits);
        subs = audits = NULL;
    }
    json_decref(list);
    json_decref(subs);
    json_decref(audits);
    return rc;
}

static json_t *missing_row(ag_stmt *s)
{
    return json_pack("{s:s, s:s}", "code", store_col_text(s, 0), "name", store_col_text(s, 1));
}

ag_err soe_groups_missing(ag_store *st, const ag_scope *scope, json_t **out, ag_error *err)
{
    ag_stmt *s = NULL;
    ag_err rc = scope_prepare(st, scope, "u.code",
                              "SELECT u.code, u.name FROM unit u WHERE " GROUP_HEAD
                              " AND u.code NOT IN (SELECT group_code FROM soe_chief_auditor)"
                              " AND ",
                              " ORDER BY u.code", &s, NULL, err, "");
    return wf_rows(s, rc, missing_row, out, err);
}

ag_err soe_state_assets_cell(ag_store *st, const char *group_code, char out[32], ag_error *err)
{
    ag_stmt *s = NULL;
    bool row = false;
    out[0] = '\0';
    ag_err rc = wf_prep(st, &s, err,
                        "SELECT id FROM grid_cell WHERE kind = 'soe' AND disabled = 0"
                        " ORDER BY CASE WHEN id = (SELECT cell_id FROM unit WHERE code = ?)"
                        " THEN 0 ELSE 1 END, sort_order, id",
                        "t", group_code ? group_code : "");
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row)
        snprintf(out, 32, "%s", store_col_text(s, 0));
    store_finalize(s);
    if (!rc && !row)
        rc = ag_fail(err, AG_ERR_NOTFOUND, "to_cell", "网格中没有国资监管网格（类型 soe）",
                     "the grid has no state-assets cell (kind soe)");
    return rc;
}

bool soe_quarter_valid(const char *s)
{
    if (!s || strlen(s) != 6)
        return false;
    for (int i = 0; i < 4; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return s[4] == 'Q' && s[5] >= '1' && s[5] <= '4';
}

ag_err soe_dashboard(ag_store *st, const ag_scope *scope, json_t *dash, ag_error *err)
{
    json_t *groups = NULL, *ia = NULL;
    ag_err rc = soe_groups_missing(st, scope, &groups, err);
    if (!rc)
        rc = iabody_missing(st, scope, &ia, err);
    if (!rc) {
        json_object_set_new(dash, "soe_without_chief", groups);
        json_object_set_new(dash, "ia_missing", ia);
        return AG_OK;
    }
    json_decref(groups);
    return rc;
}
