/* guidance.c - guidance opinions and replies, supervision visits, overdue reminders and the
 * department's one view over its units (issue 14 §2). */
#include "domain/guidance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/attach.h"
#include "domain/rowjson.h"
#include "domain/wf_query.h"
#include "util/clock.h"
#include "util/date.h"
#include "util/banned.h"

#define BODY_MAX 65536

/* ---- small helpers ------------------------------------------------------------ */

static json_t *col_text(ag_stmt *s, int c)
{
    const char *t = store_col_text(s, c);
    return t ? json_string(t) : json_null();
}

static const char *actor_of(ag_store *st, const audit_actor *a)
{
    return a && a->name && *a->name ? a->name : store_actor(st);
}

static void today_text(char d[11])
{
    ag_date_format(ag_clock_today(), d);
}

static ag_err check_len(const char *v, const char *field, size_t lo, size_t hi, const char *zh,
                        ag_error *err)
{
    size_t n = v ? strlen(v) : 0;
    if (n < lo || n > hi)
        return ag_fail(err, AG_ERR_INPUT, field, "%s（%s）应为 %zu 到 %zu 字节",
                       "%.0s%s must be %zu to %zu bytes", zh, field, lo, hi);
    return AG_OK;
}

/* A date field YYYY-MM-DD into *day. */
static ag_err check_day(const char *v, const char *field, const char *zh, int32_t *day,
                        ag_error *err)
{
    if (!v || strlen(v) != 10 || !ag_date_parse(v, 10, day))
        return ag_fail(err, AG_ERR_INPUT, field, "%s（%s）应为有效日期，格式 YYYY-MM-DD",
                       "%.0s%s must be a valid date YYYY-MM-DD", zh, field);
    return AG_OK;
}

/* The issuing cell of the actor's guidance and visits: a supervisor's own cell, an admin's
 * named cell (which must exist), else none (the bureau). Refuses the roles that do not guide. */
static ag_err issuer_cell(ag_store *st, const audit_actor *a, const char *named, const char **cell,
                          ag_error *err)
{
    int64_t known = 0;
    if (a->scope.role == AG_ROLE_ADMIN && named && *named) {
        *cell = named;
        ag_err rc = wf_query_int(st, &known, err, "SELECT COUNT(*) FROM grid_cell WHERE id = ?",
                                 "t", named);
        if (!rc && !known)
            rc = ag_fail(err, AG_ERR_NOTFOUND, "cell_id", "网格 %s 不存在", "no grid cell %s",
                         named);
        return rc;
    }
    *cell = NULL;
    switch (a->scope.role) {
    case AG_ROLE_ADMIN:
    case AG_ROLE_LIAISON:
        return AG_OK;
    case AG_ROLE_SUPERVISOR:
        *cell = a->scope.cell_id;
        return AG_OK;
    default:
        return ag_fail(err, AG_ERR_DENIED, "role",
                       "只有主管部门、网格指导员或审计局管理员可以下发指导意见和督导检查",
                       "only a competent department, a grid liaison or a bureau admin may "
                       "issue guidance and record supervision visits");
    }
}

static ag_err unit_visible(ag_store *st, const ag_scope *sc, const char *unit, const char *field,
                           ag_error *err)
{
    bool yes = false;
    ag_err rc = scope_unit_visible(st, sc, unit, &yes, err);
    if (!rc && !yes)
        rc = ag_fail(err, AG_ERR_NOTFOUND, field, "单位 %s 不存在", "no unit %s", unit ? unit : "");
    return rc;
}

/* ---- opinions ------------------------------------------------------------------ */

ag_err guidance_issue(ag_store *st, const audit_actor *a, const guidance_in *in, int64_t *id,
                      ag_error *err)
{
    const char *cell = NULL;
    int32_t due = 0;
    ag_err rc = issuer_cell(st, a, in->cell_id, &cell, err);
    if (!rc)
        rc = check_len(in->subject, "subject", 1, 200, "主题", err);
    if (!rc)
        rc = check_len(in->body, "body", 1, BODY_MAX, "意见正文", err);
    if (!rc)
        rc = check_day(in->due_date, "due_date", "答复期限", &due, err);
    if (!rc && due < ag_clock_today())
        rc = ag_fail(err, AG_ERR_INPUT, "due_date", "答复期限（due_date）不能早于今天",
                     "due_date cannot be before today");
    if (!rc && (in->nunits < 1 || in->nunits > GUIDANCE_MAX_UNITS))
        rc = ag_fail(err, AG_ERR_INPUT, "units", "指导意见应下发给 1 到 %d 个单位",
                     "an opinion goes to 1 to %d units", GUIDANCE_MAX_UNITS);
    for (int i = 0; !rc && i < in->nunits; i++) {
        rc = unit_visible(st, &a->scope, in->units[i], "units", err);
        for (int j = 0; !rc && j < i; j++)
            if (!strcmp(in->units[i], in->units[j]))
                rc = ag_fail(err, AG_ERR_INPUT, "units", "单位 %s 重复列出",
                             "unit %s is listed twice", in->units[i]);
    }
    if (rc)
        return rc;
    char ts[21];
    ag_clock_format(ag_clock_now(), ts);
    ag_field f[] = {ag_field_text("cell_id", cell),
                    ag_field_text("subject", in->subject),
                    ag_field_text("body", in->body),
                    ag_field_text("due_date", in->due_date),
                    ag_field_text("created_by", actor_of(st, a)),
                    ag_field_text("created_at", ts)};
    int64_t nid = 0;
    rc = store_insert(st, "guidance_opinion", "id", f, sizeof f / sizeof f[0], &nid, err);
    for (int i = 0; !rc && i < in->nunits; i++) {
        ag_field t[] = {ag_field_int("opinion_id", nid), ag_field_text("unit_code", in->units[i])};
        rc = store_insert(st, "guidance_target", "id", t, 2, NULL, err);
    }
    if (!rc && in->nattachments > 0)
        rc = attach_claim(st, in->units[0], in->attachment_ids, in->nattachments, "guidance", nid,
                          err);
    if (!rc && id)
        *id = nid;
    return rc;
}

static ag_err no_opinion(int64_t id, ag_error *err)
{
    return ag_fail(err, AG_ERR_NOTFOUND, "id", "指导意见 %lld 不存在", "no guidance opinion %lld",
                   (long long)id);
}

ag_err guidance_reply(ag_store *st, const audit_actor *a, int64_t id, const char *unit_code,
                      const char *reply, const int64_t *attachment_ids, int nattachments,
                      ag_error *err)
{
    ag_err rc = check_len(reply, "reply", 1, BODY_MAX, "答复", err);
    bool owned = a->scope.role == AG_ROLE_ADMIN;
    if (!rc)
        rc = unit_visible(st, &a->scope, unit_code, "unit_code", err);
    if (!rc && !owned)
        rc = scope_unit_owned(st, &a->scope, unit_code, &owned, err);
    if (!rc && !owned)
        rc = ag_fail(err, AG_ERR_DENIED, "unit_code", "只有受文单位（负责人或内审人员）可以答复",
                     "only the addressed unit (its leader or internal auditor) may reply");
    int64_t target = 0;
    if (!rc)
        rc = wf_query_int(st, &target, err,
                          "SELECT id FROM guidance_target WHERE opinion_id = ? AND unit_code = ?",
                          "it", id, unit_code);
    if (!rc && !target)
        rc = no_opinion(id, err);
    if (rc)
        return rc;
    char ts[21];
    ag_clock_format(ag_clock_now(), ts);
    ag_field f[] = {ag_field_text("reply", reply), ag_field_text("replied_by", actor_of(st, a)),
                    ag_field_text("replied_at", ts)};
    rc = store_update(st, "guidance_target", "id", ag_field_int("id", target), f, 3, err);
    if (!rc && nattachments > 0)
        rc = attach_claim(st, unit_code, attachment_ids, nattachments, "guidance_reply", target,
                          err);
    return rc;
}

/* The opinions a scope sees: addressed to one of its units, or (a supervisor) its cell's. */
typedef struct seen {
    scope_sql q;
    char text[700];
} seen;

/* A NULL scope sees every unit (the command line). */
static ag_err seen_build(const ag_scope *sc, const char *unit_col, seen *w, ag_error *err)
{
    static const ag_scope all = {.role = AG_ROLE_ADMIN};
    ag_err rc = scope_predicate(sc ? sc : &all, unit_col, &w->q, err);
    if (!rc)
        snprintf(w->text, sizeof w->text, "(%s)", w->q.text);
    return rc;
}

static ag_err seen_bind(ag_stmt *s, const seen *w, int first, int *next)
{
    return scope_bind(s, &w->q, first, next);
}

/* An opinion summary row: id, cell_id, cell name, subject, due_date, created_by,
 * created_at, units, answered, overdue, body. Counted over the targets in scope. */
#define OPINION_SQL                                                                                \
    "SELECT o.id, o.cell_id, c.name, o.subject, o.due_date, o.created_by, o.created_at,"           \
    " COUNT(t.id), SUM(CASE WHEN t.replied_at IS NOT NULL THEN 1 ELSE 0 END),"                     \
    " SUM(CASE WHEN t.replied_at IS NULL AND o.due_date < ? THEN 1 ELSE 0 END), o.body"            \
    " FROM guidance_opinion o JOIN guidance_target t ON t.opinion_id = o.id"                       \
    " LEFT JOIN grid_cell c ON c.id = o.cell_id WHERE %s%s GROUP BY o.id, o.cell_id, c.name,"      \
    " o.subject, o.due_date, o.created_by, o.created_at, o.body%s"

/* The issuer's name: the cell's, or the bureau for none. */
static void issuer_name(json_t *o)
{
    if (json_is_null(json_object_get(o, "issuer")))
        json_object_set_new(o, "issuer", json_string("区审计局"));
}

static json_t *opinion_json(ag_stmt *s)
{
    static const char *const cols[] = {"id",         "cell_id",    "issuer", "subject",  "due_date",
                                       "created_by", "created_at", "units",  "answered", "overdue"};
    json_t *o = rowjson(s, cols,
                        "itttttti"
                        "ii");
    issuer_name(o);
    int64_t units = store_col_int(s, 7), answered = store_col_int(s, 8),
            overdue = store_col_int(s, 9);
    json_object_set_new(o, "state",
                        json_string(answered == units ? "answered"
                                    : overdue         ? "overdue"
                                                      : "open"));
    return o;
}

ag_err guidance_list(ag_store *st, const ag_scope *scope, const guidance_filter *f, json_t **out,
                     ag_error *err)
{
    *out = NULL;
    static const char *const HAVING[] = {"open",
                                         " HAVING SUM(CASE WHEN t.replied_at IS NULL"
                                         " THEN 1 ELSE 0 END) > 0",
                                         "answered",
                                         " HAVING SUM(CASE WHEN t.replied_at IS NULL"
                                         " THEN 1 ELSE 0 END) = 0",
                                         "overdue",
                                         " HAVING SUM(CASE WHEN t.replied_at IS NULL AND"
                                         " o.due_date < ? THEN 1 ELSE 0 END) > 0"};
    const char *having = "";
    bool having_day = false;
    if (f->state) {
        int k = -1;
        for (int i = 0; i < 3; i++)
            if (!strcmp(f->state, HAVING[2 * i]))
                k = i;
        if (k < 0)
            return ag_fail(err, AG_ERR_INPUT, "state", "状态应为 open、answered 或 overdue",
                           "state is open, answered or overdue");
        having = HAVING[2 * k + 1];
        having_day = k == 2;
    }
    seen w;
    ag_err rc = seen_build(scope, "t.unit_code", &w, err);
    if (rc)
        return rc;
    char today[11];
    today_text(today);
    char sql[3000], tail[300];
    snprintf(tail, sizeof tail, "%s ORDER BY o.created_at DESC, o.id DESC", having);
    snprintf(sql, sizeof sql, OPINION_SQL, w.text,
             " AND (? IS NULL OR o.id IN (SELECT opinion_id FROM guidance_target WHERE unit_code"
             " = ?))",
             tail);
    ag_stmt *s = NULL;
    bool row = false;
    int k = 2;
    int64_t limit = f->limit > 0 ? (f->limit > 1000 ? 1000 : f->limit) : 100, n = 0;
    json_t *items = json_array();
    rc = store_prepare(st, sql, &s, err);
    if (!rc)
        rc = store_bind_text(s, 1, today);
    if (!rc)
        rc = seen_bind(s, &w, 2, &k);
    if (!rc)
        rc = store_bind_text(s, k++, f->unit_code);
    if (!rc)
        rc = store_bind_text(s, k++, f->unit_code);
    if (!rc && having_day)
        rc = store_bind_text(s, k++, today);
    /* Paged here: the HAVING makes a COUNT(*) of its own as long as the query. */
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        if (n >= f->offset && n < f->offset + limit)
            json_array_append_new(items, opinion_json(s));
        n++;
    }
    store_finalize(s);
    return rowjson_list(rc, items, n, out);
}

static json_t *target_json(ag_stmt *s)
{
    static const char *const cols[] = {"id",         "unit_code",  "unit_name", "reply",
                                       "replied_by", "replied_at", "state"};
    return rowjson(s, cols, "itttttt");
}

ag_err guidance_get(ag_store *st, int64_t id, const ag_scope *scope, json_t **out, ag_error *err)
{
    *out = NULL;
    seen w;
    ag_err rc = seen_build(scope, "t.unit_code", &w, err);
    if (rc)
        return rc;
    char today[11];
    today_text(today);
    char sql[3000];
    snprintf(sql, sizeof sql, OPINION_SQL, w.text, " AND o.id = ?", "");
    ag_stmt *s = NULL;
    bool row = false;
    int k = 2;
    json_t *o = NULL, *targets = NULL, *files = NULL;
    rc = store_prepare(st, sql, &s, err);
    if (!rc)
        rc = store_bind_text(s, 1, today);
    if (!rc)
        rc = seen_bind(s, &w, 2, &k);
    if (!rc)
        rc = store_bind_int(s, k, id);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row) {
        o = opinion_json(s);
        json_object_set_new(o, "body", col_text(s, 10));
    }
    store_finalize(s);
    if (!rc && !o)
        rc = no_opinion(id, err);
    /* A reply's state: late when after the due date's end (UTC+8, 16:00Z the day before
     * is the start of the next civil day; compared on the date part, which is close
     * enough for a flag and stays portable SQL). */
    if (!rc) {
        snprintf(sql, sizeof sql,
                 "SELECT t.id, t.unit_code, u.name, t.reply, t.replied_by, t.replied_at,"
                 " CASE WHEN t.replied_at IS NULL AND o.due_date < ? THEN 'overdue'"
                 " WHEN t.replied_at IS NULL THEN 'waiting'"
                 " WHEN SUBSTR(t.replied_at, 1, 10) > o.due_date THEN 'late' ELSE 'replied' END"
                 " FROM guidance_target t JOIN unit u ON u.code = t.unit_code"
                 " JOIN guidance_opinion o ON o.id = t.opinion_id"
                 " WHERE t.opinion_id = ? AND %s ORDER BY t.unit_code",
                 w.text);
        rc = store_prepare(st, sql, &s, err);
        if (!rc)
            rc = store_bind_text(s, 1, today);
        if (!rc)
            rc = store_bind_int(s, 2, id);
        if (!rc)
            rc = seen_bind(s, &w, 3, &k);
        rc = wf_rows(s, rc, target_json, &targets, err);
    }
    size_t i;
    json_t *t;
    json_array_foreach(targets, i, t)
    {
        json_t *fl = NULL;
        if (!rc)
            rc = attach_list_owned(st, "guidance_reply",
                                   json_integer_value(json_object_get(t, "id")), &fl, err);
        if (fl)
            json_object_set_new(t, "attachments", fl);
    }
    if (!rc)
        rc = attach_list_owned(st, "guidance", id, &files, err);
    if (rc) {
        json_decref(o);
        json_decref(targets);
        return rc;
    }
    json_object_set_new(o, "attachments", files);
    json_object_set_new(o, "targets", targets);
    *out = o;
    return AG_OK;
}

/* ---- reminders -------------------------------------------------------------------- */

/* One notice unless the same audience already has it for this unit and opinion. */
static ag_err notify(ag_store *st, const char *audience, const char *unit, const char *cell,
                     int64_t opinion, const char *zh, const char *en, const char *ts, bool *added,
                     ag_error *err)
{
    int64_t n = 0;
    ag_err rc =
        wf_query_int(st, &n, err,
                     "SELECT COUNT(*) FROM notification WHERE audience = ? AND unit_code = ?"
                     " AND opinion_id = ? AND kind = 'guidance_overdue'",
                     "tti", audience, unit, opinion);
    if (rc || n)
        return rc;
    ag_field f[] = {ag_field_text("audience", audience),
                    ag_field_text("unit_code", unit),
                    ag_field_text("cell_id", cell),
                    ag_field_int("opinion_id", opinion),
                    ag_field_text("kind", "guidance_overdue"),
                    ag_field_text("message_zh", zh),
                    ag_field_text("message_en", en),
                    ag_field_text("created_at", ts)};
    *added = true;
    return store_insert(st, "notification", "id", f, sizeof f / sizeof f[0], NULL, err);
}

ag_err guidance_remind(ag_store *st, int64_t *count, ag_error *err)
{
    char today[11], ts[21];
    today_text(today);
    ag_clock_format(ag_clock_now(), ts);
    ag_stmt *s = NULL;
    /* Read everything first: inserting while a SELECT is open on the same tables is
     * backend-dependent. */
    ag_err rc = wf_prep(st, &s, err,
                        "SELECT o.id, o.subject, o.due_date, t.unit_code, u.name, u.cell_id,"
                        " COALESCE(c.name, '区审计局')"
                        " FROM guidance_target t JOIN guidance_opinion o ON o.id = t.opinion_id"
                        " JOIN unit u ON u.code = t.unit_code"
                        " LEFT JOIN grid_cell c ON c.id = o.cell_id"
                        " WHERE t.replied_at IS NULL AND o.due_date < ? ORDER BY o.id, t.unit_code",
                        "t", today);
    json_t *rows = json_array();
    bool row = false;
    while (!rc && !(rc = store_step(s, &row, err)) && row)
        json_array_append_new(rows,
                              json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?, s:s}", "id",
                                        (json_int_t)store_col_int(s, 0), "subject",
                                        store_col_text(s, 1), "due", store_col_text(s, 2), "unit",
                                        store_col_text(s, 3), "name", store_col_text(s, 4), "cell",
                                        store_col_text(s, 5), "issuer", store_col_text(s, 6)));
    store_finalize(s);
    int64_t n = 0;
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        if (rc)
            break;
        const char *unit = json_string_value(json_object_get(r, "unit"));
        const char *cell = json_string_value(json_object_get(r, "cell"));
        int64_t op = json_integer_value(json_object_get(r, "id"));
        char zh[600], en[600];
        snprintf(zh, sizeof zh, "指导意见逾期未答复：%s 未在 %s 前答复%s的指导意见“%s”",
                 json_string_value(json_object_get(r, "name")),
                 json_string_value(json_object_get(r, "due")),
                 json_string_value(json_object_get(r, "issuer")),
                 json_string_value(json_object_get(r, "subject")));
        snprintf(en, sizeof en,
                 "Guidance overdue: unit %s has not replied to opinion #%lld (due %s)", unit,
                 (long long)op, json_string_value(json_object_get(r, "due")));
        bool added = false;
        rc = notify(st, "leader", unit, cell, op, zh, en, ts, &added, err);
        if (!rc && cell)
            rc = notify(st, "supervisor", unit, cell, op, zh, en, ts, &added, err);
        n += added;
    }
    json_decref(rows);
    if (!rc && count)
        *count = n;
    return rc;
}

static json_t *overdue_json(ag_stmt *s)
{
    static const char *const cols[] = {"opinion_id", "subject", "due_date", "unit_code",
                                       "unit_name"};
    return rowjson(s, cols, "itttt");
}

ag_err guidance_dashboard(ag_store *st, const ag_scope *scope, json_t **out, ag_error *err)
{
    *out = NULL;
    seen w;
    ag_err rc = seen_build(scope, "t.unit_code", &w, err);
    if (rc)
        return rc;
    char today[11], sql[1500];
    today_text(today);
    snprintf(sql, sizeof sql,
             "SELECT o.id, o.subject, o.due_date, t.unit_code, u.name"
             " FROM guidance_target t JOIN guidance_opinion o ON o.id = t.opinion_id"
             " JOIN unit u ON u.code = t.unit_code"
             " WHERE t.replied_at IS NULL AND o.due_date < ? AND %s"
             " ORDER BY o.due_date, o.id, t.unit_code",
             w.text);
    ag_stmt *s = NULL;
    bool row = false;
    int k = 2;
    int64_t n = 0;
    json_t *list = json_array();
    rc = store_prepare(st, sql, &s, err);
    if (!rc)
        rc = store_bind_text(s, 1, today);
    if (!rc)
        rc = seen_bind(s, &w, 2, &k);
    while (!rc && !(rc = store_step(s, &row, err)) && row)
        if (n++ < 20)
            json_array_append_new(list, overdue_json(s));
    store_finalize(s);
    if (rc) {
        json_decref(list);
        return rc;
    }
    *out = json_pack("{s:I, s:o}", "overdue_opinions", (json_int_t)n, "overdue", list);
    return AG_OK;
}

/* ---- supervision visits ----------------------------------------------------------- */

ag_err guidance_visit_add(ag_store *st, const audit_actor *a, const guidance_visit_in *in,
                          int64_t *id, ag_error *err)
{
    const char *cell = NULL;
    int32_t day = 0;
    ag_err rc = issuer_cell(st, a, in->cell_id, &cell, err);
    if (!rc)
        rc = unit_visible(st, &a->scope, in->unit_code, "unit_code", err);
    if (!rc)
        rc = check_day(in->visit_date, "visit_date", "检查日期", &day, err);
    if (!rc && day > ag_clock_today())
        rc = ag_fail(err, AG_ERR_INPUT, "visit_date", "检查日期（visit_date）不能晚于今天",
                     "visit_date cannot be after today");
    if (!rc)
        rc = check_len(in->subject, "subject", 1, 200, "检查主题", err);
    if (!rc)
        rc = check_len(in->notes, "notes", 0, BODY_MAX, "检查情况", err);
    if (rc)
        return rc;
    char ts[21];
    ag_clock_format(ag_clock_now(), ts);
    ag_field f[] = {ag_field_text("cell_id", cell),
                    ag_field_text("unit_code", in->unit_code),
                    ag_field_text("visit_date", in->visit_date),
                    ag_field_text("subject", in->subject),
                    ag_field_text("notes", in->notes && *in->notes ? in->notes : NULL),
                    ag_field_text("created_by", actor_of(st, a)),
                    ag_field_text("created_at", ts)};
    return store_insert(st, "supervision_visit", "id", f, sizeof f / sizeof f[0], id, err);
}

static ag_err no_visit(int64_t id, ag_error *err)
{
    return ag_fail(err, AG_ERR_NOTFOUND, "id", "督导检查 %lld 不存在", "no supervision visit %lld",
                   (long long)id);
}

ag_err guidance_visit_check(ag_store *st, const audit_actor *a, int64_t id, char unit_code[32],
                            int *year, ag_error *err)
{
    const char *cell = NULL;
    ag_err rc = issuer_cell(st, a, NULL, &cell, err);
    ag_stmt *s = NULL;
    bool row = false, yes = false;
    if (!rc)
        rc = wf_prep(st, &s, err,
                     "SELECT unit_code, visit_date FROM supervision_visit WHERE id = ?", "i", id);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row) {
        snprintf(unit_code, 32, "%s", store_col_text(s, 0));
        *year = (int)strtol(store_col_text(s, 1), NULL, 10);
    }
    store_finalize(s);
    if (!rc && !row)
        return no_visit(id, err);
    if (!rc)
        rc = scope_unit_visible(st, &a->scope, unit_code, &yes, err);
    if (!rc && !yes)
        rc = no_visit(id, err);
    return rc;
}

ag_err guidance_visit_link(ag_store *st, int64_t id, int64_t finding_id, ag_error *err)
{
    ag_field f[] = {ag_field_int("visit_id", id), ag_field_int("finding_id", finding_id)};
    return store_insert(st, "supervision_finding", "id", f, 2, NULL, err);
}

#define VISIT_SQL                                                                                  \
    "SELECT v.id, v.cell_id, c.name, v.unit_code, u.name, v.visit_date, v.subject, v.created_by,"  \
    " v.created_at, (SELECT COUNT(*) FROM supervision_finding f WHERE f.visit_id = v.id), v.notes" \
    " FROM supervision_visit v JOIN unit u ON u.code = v.unit_code"                                \
    " LEFT JOIN grid_cell c ON c.id = v.cell_id WHERE %s"

static json_t *visit_json(ag_stmt *s)
{
    static const char *const cols[] = {"id",         "cell_id",    "issuer",  "unit_code",
                                       "unit_name",  "visit_date", "subject", "created_by",
                                       "created_at", "findings"};
    json_t *o = rowjson(s, cols, "itttttttti");
    issuer_name(o);
    return o;
}

/* Runs VISIT_SQL over the scope and `extra`: " AND v.id = ?" bound to id when id is not 0,
 * else a condition on two copies of text. */
static ag_err visit_query(ag_store *st, const ag_scope *scope, const char *extra, const char *text,
                          int64_t id, json_t **rows, bool notes, ag_error *err)
{
    seen w;
    ag_err rc = seen_build(scope, "v.unit_code", &w, err);
    if (rc)
        return rc;
    char sql[2000], where[900];
    snprintf(where, sizeof where, "%s%s ORDER BY v.visit_date DESC, v.id DESC", w.text, extra);
    snprintf(sql, sizeof sql, VISIT_SQL, where);
    ag_stmt *s = NULL;
    int k = 1;
    bool row = false;
    *rows = json_array();
    rc = store_prepare(st, sql, &s, err);
    if (!rc)
        rc = seen_bind(s, &w, 1, &k);
    if (!rc && id)
        rc = store_bind_int(s, k, id);
    else if (!rc && !(rc = store_bind_text(s, k, text)))
        rc = store_bind_text(s, k + 1, text);
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        json_t *o = visit_json(s);
        if (notes)
            json_object_set_new(o, "notes", col_text(s, 10));
        json_array_append_new(*rows, o);
    }
    store_finalize(s);
    return rc;
}

ag_err guidance_visit_list(ag_store *st, const ag_scope *scope, const char *unit_code, json_t **out,
                           ag_error *err)
{
    json_t *rows = NULL;
    ag_err rc = visit_query(st, scope, " AND (? IS NULL OR v.unit_code = ?)", unit_code, 0, &rows,
                            false, err);
    return rowjson_list(rc, rows, (int64_t)json_array_size(rows), out);
}

static json_t *vfinding_json(ag_stmt *s)
{
    static const char *const cols[] = {"finding_id",       "title",      "item",    "severity",
                                       "rectification_id", "rect_state", "deadline"};
    return rowjson(s, cols, "itttntt");
}

ag_err guidance_visit_get(ag_store *st, int64_t id, const ag_scope *scope, json_t **out,
                          ag_error *err)
{
    *out = NULL;
    json_t *rows = NULL, *fs = NULL;
    ag_err rc = visit_query(st, scope, " AND v.id = ?", NULL, id, &rows, true, err);
    if (!rc && json_array_size(rows) == 0)
        rc = no_visit(id, err);
    ag_stmt *s = NULL;
    if (!rc)
        rc = wf_prep(st, &s, err,
                     "SELECT f.id, f.title, f.item, f.severity, r.id, r.state, r.deadline"
                     " FROM supervision_finding sf JOIN finding f ON f.id = sf.finding_id"
                     " LEFT JOIN rectification r ON r.finding_id = f.id"
                     " WHERE sf.visit_id = ? ORDER BY f.id",
                     "i", id);
    rc = wf_rows(s, rc, vfinding_json, &fs, err);
    if (rc) {
        json_decref(rows);
        return rc;
    }
    json_t *o = json_incref(json_array_get(rows, 0));
    json_decref(rows);
    json_object_set_new(o, "finding_list", fs);
    *out = o;
    return AG_OK;
}

/* ---- the department view ------------------------------------------------------------ */

/* Whether the actor may look at cell as a department. */
static ag_err department_cell(ag_store *st, const audit_actor *a, const char *cell_id,
                              const char **cell, ag_error *err)
{
    const ag_scope *sc = &a->scope;
    int64_t n = 0;
    *cell = sc->role == AG_ROLE_SUPERVISOR ? sc->cell_id : cell_id;
    if (!*cell || !**cell)
        return ag_fail(err, AG_ERR_INPUT, "cell", "请指定网格（cell）", "name the cell");
    ag_err rc =
        wf_query_int(st, &n, err, "SELECT COUNT(*) FROM grid_cell WHERE id = ?", "t", *cell);
    if (!rc && n && sc->role == AG_ROLE_LIAISON && strcmp(sc->cell_id, *cell) != 0)
        rc = wf_query_int(st, &n, err,
                          "SELECT COUNT(*) FROM cell_liaison WHERE cell_id = ? AND person_id = ?",
                          "ti", *cell, sc->person_id);
    bool allowed = sc->role == AG_ROLE_ADMIN || sc->role == AG_ROLE_REVIEWER ||
                   sc->role == AG_ROLE_SUPERVISOR || sc->role == AG_ROLE_LIAISON;
    if (!rc && (!n || !allowed))
        rc = ag_fail(err, AG_ERR_NOTFOUND, "cell", "网格 %s 不存在", "no grid cell %s", *cell);
    return rc;
}

/* Per-unit counts of the cell's units: the columns of the units list. */
#define DEPT_UNITS_SQL                                                                             \
    "SELECT u.code, u.name,"                                                                       \
    " (SELECT COUNT(*) FROM warning w WHERE w.unit_code = u.code"                                  \
    "  AND w.status IN ('open', 'escalated')),"                                                    \
    " (SELECT COUNT(*) FROM finding f WHERE f.unit_code = u.code),"                                \
    " (SELECT COUNT(*) FROM rectification r WHERE r.unit_code = u.code"                            \
    "  AND r.state IN ('open', 'in_progress')),"                                                   \
    " (SELECT COUNT(*) FROM rectification r WHERE r.unit_code = u.code"                            \
    "  AND r.state IN ('open', 'in_progress') AND r.deadline < ?),"                                \
    " (SELECT COUNT(*) FROM submission s WHERE s.unit_code = u.code AND s.state = 'filed'),"       \
    " (SELECT COUNT(*) FROM guidance_target t WHERE t.unit_code = u.code"                          \
    "  AND t.replied_at IS NULL),"                                                                 \
    " (SELECT COUNT(*) FROM guidance_target t JOIN guidance_opinion o ON o.id = t.opinion_id"      \
    "  WHERE t.unit_code = u.code AND t.replied_at IS NULL AND o.due_date < ?)"                    \
    " FROM unit u WHERE u.cell_id = ? AND u.disabled = 0 ORDER BY u.code"

static const char *const DEPT_COUNTS[] = {
    "open_warnings",     "findings",      "open_rectifications", "overdue_rectifications",
    "filed_submissions", "open_opinions", "overdue_opinions"};
#define DEPT_NCOUNTS 7

static json_t *dept_warning(ag_stmt *s)
{
    static const char *const cols[] = {"id",       "unit_code", "item",   "rule",
                                       "severity", "warn_date", "amount", "status"};
    return rowjson(s, cols, "itttttit");
}

static json_t *dept_finding(ag_stmt *s)
{
    static const char *const cols[] = {"id",    "unit_code", "project_code", "item",
                                       "title", "severity",  "created_at"};
    return rowjson(s, cols, "itttttt");
}

static json_t *dept_rect(ag_stmt *s)
{
    static const char *const cols[] = {"id",       "unit_code", "finding_title", "class",
                                       "deadline", "state",     "overdue"};
    return rowjson(s, cols,
                   "ittttt"
                   "b");
}

static json_t *dept_submission(ag_stmt *s)
{
    static const char *const cols[] = {"id",    "kind",       "unit_code",  "title",    "period",
                                       "state", "created_by", "created_at", "unit_name"};
    return rowjson(s, cols,
                   "ittttttt"
                   "t");
}

/* The department view's lists: each query takes two text parameters, (today or the cell)
 * and the cell. */
typedef struct dept_list {
    const char *key, *sql;
    bool today; /* the first parameter is today, else the cell again */
    json_t *(*row)(ag_stmt *s);
} dept_list;

static const dept_list DEPT_LISTS[] = {
    {"warnings",
     "SELECT w.id, w.unit_code, w.item, w.rule, w.severity, w.warn_date, w.amount,"
     " w.status FROM warning w JOIN unit u ON u.code = w.unit_code"
     " WHERE (u.cell_id = ? OR u.cell_id = ?) AND w.status IN ('open', 'escalated')"
     " ORDER BY w.warn_date DESC, w.id DESC LIMIT 50",
     false, dept_warning},
    {"findings",
     "SELECT f.id, f.unit_code, p.code, f.item, f.title, f.severity, f.created_at"
     " FROM finding f JOIN unit u ON u.code = f.unit_code"
     " JOIN audit_project p ON p.id = f.project_id WHERE (u.cell_id = ? OR u.cell_id = ?)"
     " ORDER BY f.created_at DESC, f.id DESC LIMIT 50",
     false, dept_finding},
    {"rectifications",
     "SELECT r.id, r.unit_code, f.title, r.class, r.deadline, r.state,"
     " CASE WHEN r.state IN ('open', 'in_progress') AND r.deadline < ? THEN 1"
     " ELSE 0 END FROM rectification r JOIN finding f ON f.id = r.finding_id"
     " JOIN unit u ON u.code = r.unit_code WHERE u.cell_id = ?"
     " AND r.state <> 'closed' ORDER BY r.deadline, r.id LIMIT 50",
     true, dept_rect},
    {"submissions",
     "SELECT s.id, s.kind, s.unit_code, s.title, s.period, s.state, s.created_by,"
     " s.created_at, u.name FROM submission s JOIN unit u ON u.code = s.unit_code"
     " WHERE (u.cell_id = ? OR s.to_cell = ?) AND s.state = 'filed'"
     " ORDER BY s.created_at DESC, s.id DESC LIMIT 50",
     false, dept_submission},
};

ag_err guidance_department(ag_store *st, const audit_actor *a, const char *cell_id, json_t **out,
                           ag_error *err)
{
    *out = NULL;
    const char *cell = NULL;
    ag_err rc = department_cell(st, a, cell_id, &cell, err);
    if (rc)
        return rc;
    char today[11];
    today_text(today);
    json_t *res = json_object(), *counts = json_object(), *units = json_array(), *list = NULL;
    json_object_set_new(res, "counts", counts);
    json_object_set_new(res, "units", units);
    int64_t name_n = 0;
    ag_stmt *s = NULL;
    bool row = false;
    rc = wf_prep(st, &s, err, "SELECT id, name FROM grid_cell WHERE id = ?", "t", cell);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row)
        json_object_set_new(
            res, "cell",
            json_pack("{s:s, s:s}", "id", store_col_text(s, 0), "name", store_col_text(s, 1)));
    store_finalize(s);
    int64_t tot[DEPT_NCOUNTS] = {0};
    if (!rc)
        rc = wf_prep(st, &s, err, DEPT_UNITS_SQL, "ttt", today, today, cell);
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        json_t *u =
            json_pack("{s:s, s:s}", "code", store_col_text(s, 0), "name", store_col_text(s, 1));
        for (int i = 0; i < DEPT_NCOUNTS; i++) {
            json_object_set_new(u, DEPT_COUNTS[i], json_integer(store_col_int(s, 2 + i)));
            tot[i] += store_col_int(s, 2 + i);
        }
        json_array_append_new(units, u);
        name_n++;
    }
    store_finalize(s);
    json_object_set_new(counts, "units", json_integer(name_n));
    for (int i = 0; i < DEPT_NCOUNTS; i++)
        json_object_set_new(counts, DEPT_COUNTS[i], json_integer(tot[i]));
    for (size_t k = 0; !rc && k < sizeof DEPT_LISTS / sizeof DEPT_LISTS[0]; k++) {
        const dept_list *l = &DEPT_LISTS[k];
        rc = wf_prep(st, &s, err, l->sql, "tt", l->today ? today : cell, cell);
        rc = wf_rows(s, rc, l->row, &list, err);
        if (!rc)
            json_object_set_new(res, l->key, list);
    }
    if (rc) {
        json_decref(res);
        return rc;
    }
    *out = res;
    return AG_OK;
}
