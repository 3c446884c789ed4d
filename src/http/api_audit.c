/* api_audit.c - audit projects through 审前·审中·审后: team, stage records, findings, evidence. */
#include "http/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "domain/audit.h"
#include "domain/wf_query.h"
#include "util/money.h"
#include "util/banned.h"

#define MAX_ITEMS 40 /* catalog items of one project */

/* ---- projects ------------------------------------------------------------- */

static ag_err list_audits(http_req *r, int64_t limit, int64_t offset, json_t **out, ag_error *err)
{
    audit_filter f = {.unit_code = http_query(r, "unit"),
                      .stage = http_query(r, "stage"),
                      .kind = http_query(r, "kind"),
                      .limit = limit,
                      .offset = offset};
    if (f.stage && !api_one_of(f.stage, audit_stages, audit_stage_count))
        return ag_fail(err, AG_ERR_USAGE, "stage",
                       "stage 应为 pre、field、report、rectify 或 closed",
                       "stage is pre, field, report, rectify or closed");
    if (f.kind && !api_one_of(f.kind, audit_kinds, audit_kind_count))
        return ag_fail(err, AG_ERR_USAGE, "kind",
                       "kind 应为 self_check、cross、special、tracking 或 econ_resp",
                       "kind is self_check, cross, special, tracking or econ_resp");
    return audit_project_list(http_store(r), &f, &http_user(r)->scope, out, err);
}

ag_err api_audits(http_req *r, ag_error *err)
{
    return api_list_page_yuan(r, list_audits, err);
}

/* The project with the stage actions the signed-in user may take now (issue 13 §4). */
ag_err api_audit(http_req *r, ag_error *err)
{
    return api_get_with_actions(r, "audit", audit_project_get, audit_actions, err);
}

ag_err api_read_project(http_req *r, audit_project_in *in, bool need_kind, ag_error *err)
{
    static const char *const keys[] = {"code",        "name",      "kind",  "unit_code",
                                       "period_from", "period_to", "items", NULL};
    memset(in, 0, sizeof *in);
    const api_field fields[] = {api_str("code", false, 40, &in->code),
                                api_str("name", true, 200, &in->name),
                                api_str("kind", need_kind, 16, &in->kind),
                                api_str("unit_code", true, 32, &in->unit_code),
                                api_str("period_from", true, 10, &in->period_from),
                                api_str("period_to", true, 10, &in->period_to),
                                api_end()};
    return api_body_read(r, keys, fields, err);
}

ag_err api_audit_create(http_req *r, ag_error *err)
{
    audit_project_in in;
    const char *items[MAX_ITEMS];
    ag_err rc = api_read_project(r, &in, true, err);
    json_t *arr = json_object_get(http_body(r), "items");
    if (!rc &&
        (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > MAX_ITEMS))
        rc = ag_fail(err, AG_ERR_INPUT, "items", "items 应为 1 到 %d 个审计事项编号的数组",
                     "items must be an array of 1 to %d catalog item codes", MAX_ITEMS);
    for (size_t i = 0; !rc && i < json_array_size(arr); i++) {
        json_t *x = json_array_get(arr, i);
        if (!json_is_string(x) || json_string_length(x) == 0 || json_string_length(x) > 16)
            rc = ag_fail(err, AG_ERR_INPUT, "items", "items 的元素应为审计事项编号（如 F03）",
                         "the elements of items are catalog item codes (e.g. F03)");
        else
            items[in.nitems++] = json_string_value(x);
    }
    in.items = items;
    api_actor_buf ab;
    const audit_actor *a = api_actor(r, &ab);
    int64_t id = 0;
    if (!rc)
        rc = audit_project_create(http_store(r), a, &in, &id, err);
    if (!rc)
        rc = api_reply_get(r, 201, audit_project_get, id, err);
    return rc;
}

ag_err api_audit_team(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"person_id", "role", NULL};
    int64_t id, person = 0;
    const char *role = NULL;
    const api_field fields[] = {api_id("person_id", true, &person),
                                api_str("role", false, 16, &role), api_end()};
    ag_err rc = api_path_body(r, "audit", &id, keys, fields, err);
    api_actor_buf ab;
    const audit_actor *a = api_actor(r, &ab);
    if (!rc)
        rc = audit_team_add(http_store(r), a, id, person, role ? role : "member", err);
    if (!rc)
        rc = api_reply_get(r, 201, audit_project_get, id, err);
    return rc;
}

ag_err api_audit_record(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"kind", "title", "doc_no", "body", "attachment_ids", NULL};
    int64_t id, rid = 0;
    audit_record_in in;
    memset(&in, 0, sizeof in);
    int64_t *ids = NULL;
    const api_field fields[] = {api_str("kind", true, 32, &in.kind),
                                api_str("title", true, 400, &in.title),
                                api_str("doc_no", false, 100, &in.doc_no),
                                api_str("body", false, 100000, &in.body), api_end()};
    ag_err rc = api_path_body(r, "audit", &id, keys, fields, err);
    if (!rc)
        rc = api_body_ids(r, "attachment_ids", &ids, &in.nattachments, err);
    in.attachment_ids = ids;
    api_actor_buf ab;
    const audit_actor *a = api_actor(r, &ab);
    if (!rc)
        rc = audit_record_add(http_store(r), a, id, &in, &rid, err);
    free(ids);
    json_t *p = NULL;
    if (!rc)
        rc = audit_project_get(http_store(r), id, &http_user(r)->scope, &p, err);
    if (rc)
        return rc;
    /* The record as the project shows it, with the stage's remaining needs. */
    json_t *recs = json_object_get(p, "records"), *rec = NULL;
    for (size_t i = 0; !rec && i < json_array_size(recs); i++)
        if (json_integer_value(json_object_get(json_array_get(recs, i), "id")) == rid)
            rec = json_array_get(recs, i);
    json_t *o = rec ? json_deep_copy(rec) : json_pack("{s:I}", "id", (json_int_t)rid);
    json_object_set(o, "project_stage", json_object_get(p, "stage"));
    json_object_set(o, "missing", json_object_get(p, "missing"));
    json_object_set(o, "may_advance", json_object_get(p, "may_advance"));
    json_decref(p);
    api_reply_json(r, 201, o);
    return AG_OK;
}

ag_err api_audit_advance(http_req *r, ag_error *err)
{
    int64_t id;
    const char *stage = NULL;
    api_actor_buf ab;
    const audit_actor *a = api_actor(r, &ab);
    ag_err rc = api_path_id(r, "audit", &id, err);
    if (!rc)
        rc = app_audit_advance(http_store(r), a, id, &stage, err);
    if (!rc)
        rc = api_reply_get(r, 200, audit_project_get, id, err);
    return rc;
}

/* ---- findings ------------------------------------------------------------- */

/* The fields of a finding from the body (add and update take the same). */
static ag_err read_finding(http_req *r, audit_finding_in *in, ag_error *err)
{
    static const char *const keys[] = {
        "item",           "title",       "description",           "amount",     "basis", "severity",
        "recommendation", "responsible", "responsible_person_id", "rect_class", NULL};
    memset(in, 0, sizeof *in);
    const char *amount = NULL;
    /* The amount is checked where it stands, between the fields before and after it. */
    const api_field before[] = {api_str("item", true, 16, &in->item),
                                api_str("title", true, 400, &in->title),
                                api_str("description", true, 20000, &in->description),
                                api_str("amount", false, 24, &amount), api_end()};
    const api_field after[] = {api_str("basis", false, 4000, &in->basis),
                               api_str("severity", true, 16, &in->severity),
                               api_str("recommendation", false, 20000, &in->recommendation),
                               api_str("responsible", false, 100, &in->responsible),
                               api_id("responsible_person_id", false, &in->responsible_person_id),
                               api_str("rect_class", false, 16, &in->rect_class),
                               api_end()};
    ag_err rc = api_body_read(r, keys, before, err);
    if (!rc && amount && (!ag_money_parse(amount, strlen(amount), &in->amount) || in->amount < 0))
        rc = ag_fail(err, AG_ERR_INPUT, "amount", "amount 应为以元计、至多两位小数的非负金额字符串",
                     "amount is a non-negative decimal string in yuan with at most 2 decimals");
    if (!rc)
        rc = api_body_read(r, NULL, after, err);
    return rc;
}

ag_err api_path_finding(http_req *r, const char *what, int64_t *id, audit_finding_in *in,
                        ag_error *err)
{
    ag_err rc = api_path_id(r, what, id, err);
    return rc ? rc : read_finding(r, in, err);
}

ag_err api_audit_finding_add(http_req *r, ag_error *err)
{
    int64_t id, fid = 0;
    audit_finding_in in;
    ag_err rc = api_path_finding(r, "audit", &id, &in, err);
    api_actor_buf ab;
    const audit_actor *a = api_actor(r, &ab);
    if (!rc)
        rc = audit_finding_add(http_store(r), a, id, &in, &fid, err);
    if (!rc)
        rc = api_reply_get(r, 201, audit_finding_get, fid, err);
    return rc;
}

ag_err api_finding_update(http_req *r, ag_error *err)
{
    int64_t id;
    audit_finding_in in;
    ag_err rc = api_path_finding(r, "finding", &id, &in, err);
    api_actor_buf ab;
    const audit_actor *a = api_actor(r, &ab);
    if (!rc)
        rc = audit_finding_update(http_store(r), a, id, &in, err);
    if (!rc)
        rc = api_reply_get(r, 200, audit_finding_get, id, err);
    return rc;
}

ag_err api_finding(http_req *r, ag_error *err)
{
    return api_get_by_id(r, "finding", audit_finding_get, err);
}

ag_err api_finding_evidence(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"kind", "ref_id", "note", NULL};
    int64_t id, ref = 0;
    const char *kind = NULL, *note = NULL;
    const api_field fields[] = {api_str("kind", true, 16, &kind), api_id("ref_id", true, &ref),
                                api_str("note", false, 2000, &note), api_end()};
    ag_err rc = api_path_body(r, "finding", &id, keys, fields, err);
    api_actor_buf ab;
    const audit_actor *a = api_actor(r, &ab);
    if (!rc)
        rc = audit_evidence_add(http_store(r), a, id, kind, ref, note, err);
    if (!rc)
        rc = api_reply_get(r, 201, audit_finding_get, id, err);
    return rc;
}
