/* iabody.c - internal-audit bodies, their supervising leaders and working groups, and who lacks
 * them. */
#include "domain/iabody.h"

#include <stdio.h>
#include <string.h>

#include "domain/soe.h"
#include "domain/wf_query.h"
#include "util/clock.h"
#include "util/banned.h"

const char *const iabody_areas[] = {"leader", "discipline", "personnel", "finance", "audit"};
const int iabody_area_count = (int)(sizeof iabody_areas / sizeof iabody_areas[0]);
static const char *const area_zh[] = {"组长", "纪检监察", "组织人事", "财务管理", "内部审计"};

static int area_index(const char *area)
{
    for (int i = 0; area && i < iabody_area_count; i++)
        if (!strcmp(area, iabody_areas[i]))
            return i;
    return -1;
}

const char *iabody_area_zh(const char *area)
{
    int i = area_index(area);
    return i >= 0 ? area_zh[i] : area ? area : "";
}

/* AG_OK when person_id is an active person of unit_code. */
static ag_err unit_person(ag_store *st, const char *unit_code, int64_t person_id, const char *field,
                          ag_error *err)
{
    int64_t n = 0;
    ag_err rc = wf_query_int(st, &n, err,
                             "SELECT COUNT(*) FROM person WHERE id = ? AND unit_code = ?"
                             " AND disabled = 0",
                             "it", person_id, unit_code);
    if (!rc && !n)
        rc = ag_fail(err, AG_ERR_INPUT, field, "人员 #%lld 不是单位 %s 的在职人员",
                     "person #%lld is not an active person of unit %s", (long long)person_id,
                     unit_code);
    return rc;
}

static ag_err check(ag_store *st, const char *unit_code, const iabody_in *in, ag_error *err)
{
    int64_t n = 0;
    ag_err rc = wf_query_int(st, &n, err, "SELECT COUNT(*) FROM unit WHERE code = ?", "t",
                             unit_code ? unit_code : "");
    if (!rc && !n)
        return ag_fail(err, AG_ERR_NOTFOUND, "unit", "单位 %s 不存在", "no unit %s",
                       unit_code ? unit_code : "");
    if (!rc && in->body_name && strlen(in->body_name) > IABODY_NAME_MAX)
        return ag_fail(err, AG_ERR_INPUT, "body_name", "内审机构名称过长（至多 %d 字节）",
                       "the body's name is too long (at most %d bytes)", IABODY_NAME_MAX);
    if (!rc && in->supervisor_person_id)
        rc = unit_person(st, unit_code, in->supervisor_person_id, "supervisor", err);
    if (!rc && (in->nmembers < 0 || in->nmembers > IABODY_MAX_MEMBERS))
        return ag_fail(err, AG_ERR_INPUT, "members", "内审工作组至多 %d 人",
                       "a working group has at most %d members", IABODY_MAX_MEMBERS);
    int leaders = 0;
    for (int i = 0; !rc && i < in->nmembers; i++) {
        const iabody_member *m = &in->members[i];
        if (area_index(m->area) < 0)
            return ag_fail(err, AG_ERR_INPUT, "members",
                           "未知的工作组分工：%s（应为 leader 组长、discipline 纪检监察、"
                           "personnel 组织人事、finance 财务管理或 audit 内部审计）",
                           "unknown working-group area: %s (leader, discipline, personnel, "
                           "finance or audit)",
                           m->area ? m->area : "");
        leaders += !strcmp(m->area, "leader");
        if (leaders > 1)
            return ag_fail(err, AG_ERR_INPUT, "members", "内审工作组只有一名组长",
                           "a working group has one leader");
        for (int k = 0; k < i; k++)
            if (in->members[k].person_id == m->person_id && !strcmp(in->members[k].area, m->area))
                return ag_fail(err, AG_ERR_INPUT, "members", "人员 #%lld 在同一分工中出现两次",
                               "person #%lld appears twice in one area", (long long)m->person_id);
        rc = unit_person(st, unit_code, m->person_id, "members", err);
    }
    return rc;
}

ag_err iabody_set(ag_store *st, const char *unit_code, const iabody_in *in, ag_error *err)
{
    ag_err rc = check(st, unit_code, in, err);
    if (rc)
        return rc;
    char ts[21];
    ag_clock_format(ag_clock_now(), ts);
    int64_t have = 0, old = 0;
    rc = wf_query_int(st, &have, err, "SELECT COUNT(*) FROM ia_body WHERE unit_code = ?", "t",
                      unit_code);
    const ag_field f[] = {
        ag_field_text("unit_code", unit_code),
        ag_field_int("independent", in->independent ? 1 : 0),
        ag_field_text("body_name", in->body_name && *in->body_name ? in->body_name : NULL),
        in->supervisor_person_id ? ag_field_int("supervisor_person_id", in->supervisor_person_id)
                                 : ag_field_null("supervisor_person_id"),
        ag_field_text("updated_by", store_actor(st)),
        ag_field_text("updated_at", ts),
    };
    if (!rc && have)
        rc = store_update(st, "ia_body", "unit_code", f[0], f + 1, 5, err);
    else if (!rc)
        rc = store_insert(st, "ia_body", "unit_code", f, 6, NULL, err);
    /* The group is replaced as a whole: its old rows go, one audited delete each. */
    while (!rc) {
        rc = wf_query_int(st, &old, err,
                          "SELECT COALESCE(MIN(id), 0) FROM ia_group_member WHERE unit_code = ?",
                          "t", unit_code);
        if (rc || !old)
            break;
        rc = store_delete(st, "ia_group_member", "id", ag_field_int("id", old), err);
    }
    for (int i = 0; !rc && i < in->nmembers; i++) {
        const ag_field m[] = {ag_field_text("unit_code", unit_code),
                              ag_field_int("person_id", in->members[i].person_id),
                              ag_field_text("area", in->members[i].area)};
        rc = store_insert(st, "ia_group_member", "id", m, 3, NULL, err);
    }
    return rc;
}

/* What a unit lacks from its body row (independent, supervisor; -1 when no
 * row) and the count of members per area. */
static json_t *missing_of(int64_t independent, bool supervised, const int64_t per_area[])
{
    json_t *m = json_array();
    if (independent != 1)
        json_array_append_new(m, json_string("body"));
    if (!supervised)
        json_array_append_new(m, json_string("supervisor"));
    for (int i = 0; i < iabody_area_count; i++)
        if (!per_area[i])
            json_array_append_new(m, json_string(iabody_areas[i]));
    return m;
}

static json_t *text_or_null(ag_stmt *s, int col)
{
    const char *v = store_col_text(s, col);
    return v ? json_string(v) : json_null();
}

static json_t *member_row(ag_stmt *s)
{
    const char *area = store_col_text(s, 3);
    return json_pack("{s:I, s:o, s:o, s:s, s:s}", "person_id", (json_int_t)store_col_int(s, 0),
                     "name", text_or_null(s, 1), "title", text_or_null(s, 2), "area", area,
                     "area_zh", iabody_area_zh(area));
}

ag_err iabody_get(ag_store *st, const char *unit_code, json_t **out, ag_error *err)
{
    *out = NULL;
    ag_stmt *s = NULL;
    bool row = false;
    json_t *o = NULL, *group = NULL;
    ag_err rc = wf_prep(st, &s, err,
                        "SELECT u.code, u.name, b.unit_code, b.independent, b.body_name,"
                        " b.supervisor_person_id, p.name, p.title FROM unit u"
                        " LEFT JOIN ia_body b ON b.unit_code = u.code"
                        " LEFT JOIN person p ON p.id = b.supervisor_person_id WHERE u.code = ?",
                        "t", unit_code ? unit_code : "");
    if (!rc)
        rc = store_step(s, &row, err);
    int64_t independent = -1;
    if (!rc && row) {
        bool recorded = !store_col_is_null(s, 2);
        independent = recorded ? store_col_int(s, 3) : -1;
        json_t *sup =
            store_col_is_null(s, 5)
                ? json_null()
                : json_pack("{s:I, s:o, s:o}", "person_id", (json_int_t)store_col_int(s, 5), "name",
                            text_or_null(s, 6), "title", text_or_null(s, 7));
        o = json_pack("{s:s, s:s, s:b, s:b, s:o, s:o}", "unit_code", store_col_text(s, 0),
                      "unit_name", store_col_text(s, 1), "recorded", recorded, "independent",
                      independent == 1, "body_name", text_or_null(s, 4), "supervisor", sup);
    }
    store_finalize(s);
    if (!rc && !row)
        return ag_fail(err, AG_ERR_NOTFOUND, "unit", "单位 %s 不存在", "no unit %s",
                       unit_code ? unit_code : "");
    if (!rc) {
        rc = wf_prep(st, &s, err,
                     "SELECT m.person_id, p.name, p.title, m.area FROM ia_group_member m"
                     " JOIN person p ON p.id = m.person_id WHERE m.unit_code = ?"
                     " ORDER BY CASE m.area WHEN 'leader' THEN 0 WHEN 'discipline' THEN 1"
                     " WHEN 'personnel' THEN 2 WHEN 'finance' THEN 3 ELSE 4 END, m.id",
                     "t", unit_code);
        rc = wf_rows(s, rc, member_row, &group, err);
    }
    if (rc) {
        json_decref(o);
        return rc;
    }
    int64_t per_area[8] = {0};
    for (size_t i = 0; i < json_array_size(group); i++)
        per_area[area_index(
            json_string_value(json_object_get(json_array_get(group, i), "area")))]++;
    json_object_set_new(o, "group", group);
    json_object_set_new(
        o, "missing",
        missing_of(independent, json_is_object(json_object_get(o, "supervisor")), per_area));
    *out = o;
    return AG_OK;
}

ag_err iabody_missing(ag_store *st, const ag_scope *scope, json_t **out, ag_error *err)
{
    *out = NULL;
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = scope_prepare(
        st, scope, "u.code",
        "SELECT u.code, u.name, u.type, u.cell_id, COALESCE(b.independent, -1),"
        " b.supervisor_person_id,"
        " (SELECT COUNT(*) FROM ia_group_member m WHERE m.unit_code = u.code AND m.area = "
        "'leader'),"
        " (SELECT COUNT(*) FROM ia_group_member m WHERE m.unit_code = u.code"
        " AND m.area = 'discipline'),"
        " (SELECT COUNT(*) FROM ia_group_member m WHERE m.unit_code = u.code"
        " AND m.area = 'personnel'),"
        " (SELECT COUNT(*) FROM ia_group_member m WHERE m.unit_code = u.code"
        " AND m.area = 'finance'),"
        " (SELECT COUNT(*) FROM ia_group_member m WHERE m.unit_code = u.code AND m.area = 'audit')"
        " FROM unit u LEFT JOIN ia_body b ON b.unit_code = u.code WHERE u.disabled = 0 AND ",
        " ORDER BY u.code", &s, NULL, err, "");
    int64_t units = 0, body = 0, sup = 0, group = 0;
    json_t *items = json_array();
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        int64_t per_area[5];
        bool group_gap = false;
        for (int i = 0; i < 5; i++) {
            per_area[i] = store_col_int(s, 6 + i);
            group_gap |= per_area[i] == 0;
        }
        int64_t independent = store_col_int(s, 4);
        bool supervised = !store_col_is_null(s, 5);
        units++;
        body += independent != 1;
        sup += !supervised;
        group += group_gap;
        json_t *m = missing_of(independent, supervised, per_area);
        if (json_array_size(m) == 0) {
            json_decref(m);
            continue;
        }
        json_array_append_new(items,
                              json_pack("{s:s, s:s, s:s, s:o, s:o}", "code", store_col_text(s, 0),
                                        "name", store_col_text(s, 1), "type", store_col_text(s, 2),
                                        "cell_id", text_or_null(s, 3), "missing", m));
    }
    store_finalize(s);
    if (rc) {
        json_decref(items);
        return rc;
    }
    json_int_t incomplete = (json_int_t)json_array_size(items);
    *out = json_pack("{s:I, s:I, s:I, s:{s:I, s:I, s:I}, s:o}", "units", (json_int_t)units,
                     "complete", (json_int_t)units - incomplete, "incomplete", incomplete, "counts",
                     "body", (json_int_t)body, "supervisor", (json_int_t)sup, "group",
                     (json_int_t)group, "items", items);
    return AG_OK;
}
