/* submission.c - a unit's filings (报送) to its competent department or the bureau and their
 * decision (accept / return), one transition table for the domain and the pages. */
#include "domain/submission.h"

#include <stdio.h>
#include <string.h>

#include "domain/attach.h"
#include "domain/rowjson.h"
#include "domain/wf_query.h"
#include "util/clock.h"
#include "util/banned.h"

const char *const submission_states[] = {"filed", "accepted", "returned"};
const int submission_state_count = 3;

const submission_transition submission_transitions[] = {
    {"filed", "accept", "accepted", "addressee"},
    {"filed", "return", "returned", "addressee"},
    {"returned", "refile", "filed", "unit"},
};
const int submission_transition_count =
    (int)(sizeof submission_transitions / sizeof submission_transitions[0]);

static const char *const STATE_ZH[] = {"已报送", "已采纳", "已退回"};

const char *submission_state_zh(const char *state)
{
    if (!state)
        return "";
    for (int i = 0; i < submission_state_count; i++)
        if (!strcmp(state, submission_states[i]))
            return STATE_ZH[i];
    return state;
}

const char *submission_kind_zh(const char *kind)
{
    static const char *const known[][2] = {{"soe_quarterly", "国企总审计师季度报告"},
                                           {"annual_plan", "年度内审计划"},
                                           {"rect_report", "整改报告"},
                                           {"annual_summary", "年度工作总结"}};
    if (!kind)
        return "";
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (!strcmp(kind, known[i][0]))
            return known[i][1];
    return kind;
}

/* ---- checks --------------------------------------------------------------- */

static bool kind_ok(const char *k)
{
    size_t n = k ? strlen(k) : 0;
    if (n == 0 || n > 32)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = k[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return false;
    }
    return true;
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

static const char *actor_of(ag_store *st, const audit_actor *a)
{
    if (a && a->name && *a->name)
        return a->name;
    return store_actor(st);
}

static ag_err event_add(ag_store *st, const audit_actor *a, int64_t id, const char *action,
                        const char *note, const char *ts, ag_error *err)
{
    ag_field f[] = {ag_field_int("submission_id", id), ag_field_text("action", action),
                    ag_field_text("note", note && *note ? note : NULL),
                    ag_field_text("created_by", actor_of(st, a)), ag_field_text("created_at", ts)};
    return store_insert(st, "submission_event", "id", f, sizeof f / sizeof f[0], NULL, err);
}

static ag_err not_found(int64_t id, ag_error *err)
{
    return ag_fail(err, AG_ERR_NOTFOUND, "id", "报送事项 %lld 不存在", "no submission %lld",
                   (long long)id);
}

ag_err submission_file(ag_store *st, const audit_actor *a, const submission_in *in, int64_t *id,
                       ag_error *err)
{
    if (!kind_ok(in->kind))
        return ag_fail(err, AG_ERR_INPUT, "kind",
                       "报送类别（kind）应为 1 到 32 个小写字母、数字或下划线",
                       "kind must be 1 to 32 lowercase letters, digits or underscores");
    ag_err rc = check_len(in->title, "title", 1, 200, "标题", err);
    if (!rc)
        rc = check_len(in->period, "period", 0, 32, "期间", err);
    if (!rc)
        rc = check_len(in->body, "body", 0, 65536, "正文", err);
    if (!rc && (in->ref_kind == NULL) != (in->ref_id == 0))
        rc = ag_fail(err, AG_ERR_INPUT, "ref_kind", "关联记录的类别与编号应同时给出",
                     "ref_kind and ref_id go together");
    if (rc)
        return rc;
    if (a->scope.role == AG_ROLE_REVIEWER || a->scope.role == AG_ROLE_LIAISON ||
        a->scope.role == AG_ROLE_SUPERVISOR)
        return ag_fail(err, AG_ERR_DENIED, "unit_code", "只有报送单位的人员或管理员可以报送",
                       "only the filing unit's staff or an admin may file a submission");
    bool owned = a->scope.role == AG_ROLE_ADMIN, visible = false;
    rc = scope_unit_visible(st, &a->scope, in->unit_code, &visible, err);
    if (!rc && !visible)
        rc = ag_fail(err, AG_ERR_NOTFOUND, "unit_code", "单位 %s 不存在", "no unit %s",
                     in->unit_code ? in->unit_code : "");
    if (!rc && !owned)
        rc = scope_unit_owned(st, &a->scope, in->unit_code, &owned, err);
    if (!rc && !owned)
        rc = ag_fail(err, AG_ERR_DENIED, "unit_code", "只能以本单位名义报送",
                     "you may file only for your own unit");
    const char *cell = in->to_cell && *in->to_cell ? in->to_cell : NULL;
    int64_t n = 0;
    if (!rc && cell)
        rc = wf_query_int(st, &n, err, "SELECT COUNT(*) FROM grid_cell WHERE id = ?", "t", cell);
    if (!rc && cell && !n)
        rc = ag_fail(err, AG_ERR_NOTFOUND, "to_cell", "报送对象网格 %s 不存在",
                     "no grid cell %s to file to", cell);
    if (rc)
        return rc;
    char ts[21];
    ag_clock_format(ag_clock_now(), ts);
    ag_field f[] = {ag_field_text("kind", in->kind),
                    ag_field_text("unit_code", in->unit_code),
                    ag_field_text("to_cell", cell),
                    ag_field_text("period", in->period && *in->period ? in->period : NULL),
                    ag_field_text("title", in->title),
                    ag_field_text("body", in->body),
                    ag_field_text("ref_kind", in->ref_kind),
                    in->ref_id ? ag_field_int("ref_id", in->ref_id) : ag_field_null("ref_id"),
                    ag_field_text("state", "filed"),
                    ag_field_text("created_by", actor_of(st, a)),
                    ag_field_text("created_at", ts)};
    int64_t nid = 0;
    rc = store_insert(st, "submission", "id", f, sizeof f / sizeof f[0], &nid, err);
    if (!rc && in->nattachments > 0)
        rc = attach_claim(st, in->unit_code, in->attachment_ids, in->nattachments, "submission",
                          nid, err);
    if (!rc)
        rc = event_add(st, a, nid, "file", NULL, ts, err);
    if (!rc && id)
        *id = nid;
    return rc;
}

/* The row's unit, addressee and state. */
typedef struct sub_row {
    char unit[32], cell[32], state[16];
} sub_row;

static ag_err load_row(ag_store *st, int64_t id, sub_row *r, ag_error *err)
{
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = wf_prep(st, &s, err,
                        "SELECT unit_code, to_cell, state FROM submission WHERE id = ?", "i", id);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && !row)
        rc = not_found(id, err);
    if (!rc) {
        snprintf(r->unit, sizeof r->unit, "%s", store_col_text(s, 0));
        snprintf(r->cell, sizeof r->cell, "%s", store_col_text(s, 1) ? store_col_text(s, 1) : "");
        snprintf(r->state, sizeof r->state, "%s", store_col_text(s, 2));
    }
    store_finalize(s);
    return rc;
}

/* Whether scope may decide a submission addressed to cell ("" the bureau). */
static bool may_decide(const ag_scope *sc, const char *cell)
{
    if (sc->role == AG_ROLE_ADMIN)
        return true;
    return sc->role == AG_ROLE_SUPERVISOR && *cell && !strcmp(sc->cell_id, cell);
}

/* Whether the scope sees the row: its unit is in scope or it is addressed to the
 * supervisor's cell. */
static ag_err visible(ag_store *st, const ag_scope *sc, const sub_row *r, bool *yes, ag_error *err)
{
    if (sc->role == AG_ROLE_SUPERVISOR && *r->cell && !strcmp(sc->cell_id, r->cell)) {
        *yes = true;
        return AG_OK;
    }
    return scope_unit_visible(st, sc, r->unit, yes, err);
}

/* The row of id as the scope may see it; AG_ERR_NOTFOUND alike when absent or out of sight. */
static ag_err load(ag_store *st, const ag_scope *sc, int64_t id, sub_row *r, ag_error *err)
{
    bool yes = false;
    ag_err rc = load_row(st, id, r, err);
    if (!rc)
        rc = visible(st, sc, r, &yes, err);
    if (!rc && !yes)
        rc = not_found(id, err);
    return rc;
}

ag_err submission_decide(ag_store *st, const audit_actor *a, int64_t id, const char *action,
                         const char *note, ag_error *err)
{
    bool accept = action && !strcmp(action, "accept");
    if (!accept && !(action && !strcmp(action, "return")))
        return ag_fail(err, AG_ERR_INPUT, "action", "处理方式应为 accept（采纳）或 return（退回）",
                       "action is accept or return");
    if (!accept && (!note || !*note))
        return ag_fail(err, AG_ERR_INPUT, "note", "退回时须写明退回意见（note）",
                       "a return needs a note saying why");
    ag_err rc = check_len(note, "note", 0, 4000, "意见", err);
    sub_row r;
    if (!rc)
        rc = load(st, &a->scope, id, &r, err);
    if (!rc && !may_decide(&a->scope, r.cell))
        rc = ag_fail(err, AG_ERR_DENIED, "action",
                     *r.cell ? "只有报送对象（该网格的主管部门）可以采纳或退回"
                             : "报送审计局的事项只能由审计局管理员采纳或退回",
                     *r.cell ? "only the addressed department (the cell's supervisor) may decide"
                             : "a submission to the bureau is decided by a bureau admin");
    if (!rc && strcmp(r.state, "filed") != 0)
        rc = ag_fail(err, AG_ERR_INPUT, "state", "该报送事项%s%.0s，不能再%s%.0s",
                     "the submission is %.0s%s; it cannot be %.0s%s", submission_state_zh(r.state),
                     r.state, accept ? "采纳" : "退回", accept ? "accepted" : "returned");
    if (rc)
        return rc;
    char ts[21];
    ag_clock_format(ag_clock_now(), ts);
    ag_field f[] = {ag_field_text("state", accept ? "accepted" : "returned"),
                    ag_field_text("note", note && *note ? note : NULL),
                    ag_field_text("decided_by", actor_of(st, a)), ag_field_text("decided_at", ts)};
    rc = store_update(st, "submission", "id", ag_field_int("id", id), f, sizeof f / sizeof f[0],
                      err);
    if (!rc)
        rc = event_add(st, a, id, action, note, ts, err);
    return rc;
}

ag_err submission_refile(ag_store *st, const audit_actor *a, int64_t id, const char *title,
                         const char *body, ag_error *err)
{
    sub_row r;
    bool owned = a->scope.role == AG_ROLE_ADMIN;
    ag_err rc = title ? check_len(title, "title", 1, 200, "标题", err) : AG_OK;
    if (!rc)
        rc = check_len(body, "body", 0, 65536, "正文", err);
    if (!rc)
        rc = load(st, &a->scope, id, &r, err);
    if (!rc && !owned)
        rc = scope_unit_owned(st, &a->scope, r.unit, &owned, err);
    if (!rc && !owned)
        rc = ag_fail(err, AG_ERR_DENIED, "id", "只有报送单位可以重新报送",
                     "only the filing unit may file it again");
    if (!rc && strcmp(r.state, "returned") != 0)
        rc = ag_fail(err, AG_ERR_INPUT, "state", "只有已退回的报送事项可以重新报送（当前：%s）",
                     "only a returned submission can be filed again (now %s)",
                     submission_state_zh(r.state));
    if (rc)
        return rc;
    ag_field f[4];
    size_t n = 0;
    f[n++] = ag_field_text("state", "filed");
    if (title)
        f[n++] = ag_field_text("title", title);
    if (body)
        f[n++] = ag_field_text("body", body);
    rc = store_update(st, "submission", "id", ag_field_int("id", id), f, n, err);
    char ts[21];
    ag_clock_format(ag_clock_now(), ts);
    if (!rc)
        rc = event_add(st, a, id, "refile", NULL, ts, err);
    return rc;
}

/* ---- reading ----------------------------------------------------------------- */

#define SUB_COLS                                                                                   \
    "SELECT s.id, s.kind, s.unit_code, u.name, s.to_cell, c.name, s.period, s.title, s.state,"     \
    " s.created_by, s.created_at, s.decided_by, s.decided_at, s.note, s.ref_kind, s.ref_id,"       \
    " s.body FROM submission s JOIN unit u ON u.code = s.unit_code"                                \
    " LEFT JOIN grid_cell c ON c.id = s.to_cell"

static json_t *sub_json(ag_stmt *s)
{
    static const char *const cols[] = {"id",         "kind",       "unit_code",  "unit_name",
                                       "to_cell",    "to_name",    "period",     "title",
                                       "state",      "created_by", "created_at", "decided_by",
                                       "decided_at", "note",       "ref_kind",   "ref_id"};
    json_t *o = rowjson(s, cols,
                        "itttttttttttttt"
                        "n");
    const char *kind = store_col_text(s, 1), *state = store_col_text(s, 8);
    json_object_set_new(o, "kind_zh", json_string(submission_kind_zh(kind)));
    json_object_set_new(o, "state_zh", json_string(submission_state_zh(state)));
    if (json_is_null(json_object_get(o, "to_name")))
        json_object_set_new(o, "to_name", json_string("区审计局"));
    return o;
}

/* Adds "actions" to o: what the scope may do with it now. */
static ag_err add_actions(ag_store *st, const ag_scope *sc, json_t *o, ag_error *err)
{
    json_t *acts = json_array();
    json_object_set_new(o, "actions", acts);
    const char *state = json_string_value(json_object_get(o, "state"));
    const char *cell = json_string_value(json_object_get(o, "to_cell"));
    if (!strcmp(state, "filed") && may_decide(sc, cell ? cell : "")) {
        json_array_append_new(acts, json_string("accept"));
        json_array_append_new(acts, json_string("return"));
    }
    if (!strcmp(state, "returned")) {
        bool owned = sc->role == AG_ROLE_ADMIN;
        ag_err rc =
            owned ? AG_OK
                  : scope_unit_owned(st, sc, json_string_value(json_object_get(o, "unit_code")),
                                     &owned, err);
        if (rc)
            return rc;
        if (owned)
            json_array_append_new(acts, json_string("refile"));
    }
    return AG_OK;
}

/* The WHERE text of the scope (and the supervisor's addressed cell), bound from `first`. */
typedef struct sub_where {
    scope_sql q;
    char text[600];
} sub_where;

static ag_err where_build(const ag_scope *sc, sub_where *w, ag_error *err)
{
    ag_err rc = scope_predicate(sc, "s.unit_code", &w->q, err);
    if (rc)
        return rc;
    if (sc->role == AG_ROLE_SUPERVISOR)
        snprintf(w->text, sizeof w->text, "((%s) OR s.to_cell = ?)", w->q.text);
    else
        snprintf(w->text, sizeof w->text, "(%s)", w->q.text);
    return AG_OK;
}

static ag_err where_bind(ag_stmt *s, const ag_scope *sc, const sub_where *w, int first, int *next)
{
    int k = first;
    ag_err rc = scope_bind(s, &w->q, k, &k);
    if (!rc && sc->role == AG_ROLE_SUPERVISOR)
        rc = store_bind_text(s, k++, sc->cell_id);
    *next = k;
    return rc;
}

ag_err submission_list(ag_store *st, const audit_actor *a, const submission_filter *f, json_t **out,
                       ag_error *err)
{
    *out = NULL;
    if (f->state && !(strcmp(f->state, "filed") == 0 || strcmp(f->state, "accepted") == 0 ||
                      strcmp(f->state, "returned") == 0))
        return ag_fail(err, AG_ERR_INPUT, "state", "状态应为 filed、accepted 或 returned",
                       "state is filed, accepted or returned");
    sub_where w;
    ag_err rc = where_build(&a->scope, &w, err);
    if (rc)
        return rc;
    char cond[900];
    snprintf(cond, sizeof cond,
             " WHERE %s AND (? IS NULL OR s.kind = ?) AND (? IS NULL OR s.unit_code = ?)"
             " AND (? IS NULL OR COALESCE(s.to_cell, '') = ?)",
             w.text);
    const char *filters[3] = {f->kind, f->unit_code, f->to_cell};
    int64_t limit = f->limit > 0 ? (f->limit > 1000 ? 1000 : f->limit) : 100;
    json_t *res = json_object(), *counts = json_object(), *items = json_array();
    json_object_set_new(res, "counts", counts);
    json_object_set_new(res, "items", items);
    for (int i = 0; i < submission_state_count; i++)
        json_object_set_new(counts, submission_states[i], json_integer(0));
    char sql[2000];
    /* Counts by state (of the other filters), then the page of the state asked for. */
    snprintf(sql, sizeof sql, "SELECT s.state, COUNT(*) FROM submission s%s GROUP BY s.state",
             cond);
    ag_stmt *s = NULL;
    bool row = false;
    int k = 1;
    rc = store_prepare(st, sql, &s, err);
    if (!rc)
        rc = where_bind(s, &a->scope, &w, 1, &k);
    for (int i = 0; !rc && i < 3; i++) {
        rc = store_bind_text(s, k++, filters[i]);
        if (!rc)
            rc = store_bind_text(s, k++, filters[i]);
    }
    while (!rc && !(rc = store_step(s, &row, err)) && row)
        json_object_set_new(counts, store_col_text(s, 0), json_integer(store_col_int(s, 1)));
    store_finalize(s);
    s = NULL;
    int64_t total = 0;
    const char *key;
    json_t *v;
    json_object_foreach(counts, key, v)
    {
        if (!f->state || !strcmp(key, f->state))
            total += json_integer_value(v);
    }
    json_object_set_new(res, "total", json_integer(total));
    snprintf(sql, sizeof sql,
             SUB_COLS "%s AND (? IS NULL OR s.state = ?)"
                      " ORDER BY s.created_at DESC, s.id DESC LIMIT ? OFFSET ?",
             cond);
    if (!rc)
        rc = store_prepare(st, sql, &s, err);
    if (!rc)
        rc = where_bind(s, &a->scope, &w, 1, &k);
    for (int i = 0; !rc && i < 4; i++) {
        const char *fv = i < 3 ? filters[i] : f->state;
        rc = store_bind_text(s, k++, fv);
        if (!rc)
            rc = store_bind_text(s, k++, fv);
    }
    if (!rc)
        rc = store_bind_int(s, k++, limit);
    if (!rc)
        rc = store_bind_int(s, k++, f->offset > 0 ? f->offset : 0);
    while (!rc && !(rc = store_step(s, &row, err)) && row)
        json_array_append_new(items, sub_json(s));
    store_finalize(s);
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        if (!rc)
            rc = add_actions(st, &a->scope, it, err);
    }
    if (rc) {
        json_decref(res);
        return rc;
    }
    *out = res;
    return AG_OK;
}

static json_t *event_json(ag_stmt *s)
{
    static const char *const cols[] = {"action", "note", "created_by", "created_at"};
    return rowjson(s, cols, "tttt");
}

ag_err submission_get(ag_store *st, const audit_actor *a, int64_t id, json_t **out, ag_error *err)
{
    *out = NULL;
    sub_row r;
    ag_err rc = load(st, &a->scope, id, &r, err);
    ag_stmt *s = NULL;
    bool row = false;
    json_t *o = NULL, *hist = NULL, *files = NULL;
    if (!rc)
        rc = wf_prep(st, &s, err, SUB_COLS " WHERE s.id = ?", "i", id);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row) {
        o = sub_json(s);
        json_object_set_new(
            o, "body", store_col_text(s, 16) ? json_string(store_col_text(s, 16)) : json_null());
    }
    store_finalize(s);
    if (!rc && !o)
        rc = not_found(id, err);
    if (!rc)
        rc = wf_prep(st, &s, err,
                     "SELECT action, note, created_by, created_at FROM submission_event"
                     " WHERE submission_id = ? ORDER BY id",
                     "i", id);
    rc = wf_rows(s, rc, event_json, &hist, err);
    if (!rc)
        rc = attach_list_owned(st, "submission", id, &files, err);
    if (!rc)
        rc = add_actions(st, &a->scope, o, err);
    if (rc) {
        json_decref(o);
        json_decref(hist);
        json_decref(files);
        return rc;
    }
    json_object_set_new(o, "history", hist);
    json_object_set_new(o, "attachments", files);
    *out = o;
    return AG_OK;
}
