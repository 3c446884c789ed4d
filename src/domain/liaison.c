/* liaison.c - the grid liaison's contact and visit log, the cadence and its slips (issue 14 §5). */
#include "domain/liaison.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/setting.h"
#include "domain/wf_query.h"
#include "util/clock.h"
#include "util/date.h"
#include "util/banned.h"

#define KEY_CONTACT "liaison.contact_days"
#define KEY_VISIT   "liaison.visit_days"
#define MAX_PERSON  200
#define MAX_TEXT    4000

const char *liaison_kind_zh(const char *kind)
{
    if (kind && !strcmp(kind, "contact"))
        return "联系";
    if (kind && !strcmp(kind, "visit"))
        return "走访";
    return kind ? kind : "";
}

/* contact | visit for a kind given in either language; NULL for anything else. */
static const char *kind_code(const char *k)
{
    if (!k)
        return NULL;
    if (!strcmp(k, "contact") || !strcmp(k, "联系"))
        return "contact";
    if (!strcmp(k, "visit") || !strcmp(k, "走访"))
        return "visit";
    return NULL;
}

static ag_err bad_kind(ag_error *err, const char *k)
{
    return ag_fail(err, AG_ERR_INPUT, "kind", "方式应为 contact（联系）或 visit（走访）：%s",
                   "kind is contact or visit: %s", k);
}

/* ---- the cadence ------------------------------------------------------------------- */

/* The days under setting key into *v (1-366; *v, the default, otherwise). */
static ag_err setting_days(ag_store *st, const char *key, int *v, ag_error *err)
{
    int64_t n = 0;
    ag_err rc = setting_int(st, key, 1, LIAISON_MAX_DAYS, *v, &n, err);
    if (!rc)
        *v = (int)n;
    return rc;
}

ag_err liaison_cadence_get(ag_store *st, liaison_cadence *c, ag_error *err)
{
    c->contact_days = LIAISON_CONTACT_DAYS;
    c->visit_days = LIAISON_VISIT_DAYS;
    ag_err rc = setting_days(st, KEY_CONTACT, &c->contact_days, err);
    return rc ? rc : setting_days(st, KEY_VISIT, &c->visit_days, err);
}

ag_err liaison_cadence_set(ag_store *st, const liaison_cadence *c, ag_error *err)
{
    if (c->contact_days < 0 || c->contact_days > LIAISON_MAX_DAYS)
        return ag_fail(err, AG_ERR_INPUT, "contact_days", "联系周期应为 1 到 %d 天：%d",
                       "the contact cadence is 1 to %d days: %d", LIAISON_MAX_DAYS,
                       c->contact_days);
    if (c->visit_days < 0 || c->visit_days > LIAISON_MAX_DAYS)
        return ag_fail(err, AG_ERR_INPUT, "visit_days", "走访周期应为 1 到 %d 天：%d",
                       "the visit cadence is 1 to %d days: %d", LIAISON_MAX_DAYS, c->visit_days);
    ag_err rc = AG_OK;
    if (c->contact_days)
        rc = setting_put_int(st, KEY_CONTACT, c->contact_days, err);
    if (!rc && c->visit_days)
        rc = setting_put_int(st, KEY_VISIT, c->visit_days, err);
    return rc;
}

json_t *liaison_cadence_json(const liaison_cadence *c)
{
    return json_pack("{s:i,s:i,s:{s:i,s:i}}", "contact_days", c->contact_days, "visit_days",
                     c->visit_days, "default", "contact_days", LIAISON_CONTACT_DAYS, "visit_days",
                     LIAISON_VISIT_DAYS);
}

/* ---- the log ------------------------------------------------------------------------ */

#define LOG_COLS                                                                                   \
    "SELECT l.id, l.unit_code, u.name, u.cell_id, l.log_date, l.kind, l.person, l.notes,"          \
    " l.followups, l.created_by, l.created_at FROM liaison_log l JOIN unit u ON u.code = "         \
    "l.unit_code"

static json_t *log_row(ag_stmt *s)
{
    const char *kind = store_col_text(s, 5);
    return json_pack("{s:I,s:s,s:s,s:s?,s:s,s:s,s:s,s:s,s:s?,s:s?,s:s,s:s}", "id",
                     (json_int_t)store_col_int(s, 0), "unit_code", store_col_text(s, 1),
                     "unit_name", store_col_text(s, 2), "cell_id", store_col_text(s, 3), "date",
                     store_col_text(s, 4), "kind", kind, "kind_zh", liaison_kind_zh(kind), "person",
                     store_col_text(s, 6), "notes", store_col_text(s, 7), "followups",
                     store_col_text(s, 8), "created_by", store_col_text(s, 9), "created_at",
                     store_col_text(s, 10));
}

static json_t *log_row_ctx(ag_stmt *s, void *ctx)
{
    (void)ctx;
    return log_row(s);
}

ag_err liaison_log_get(ag_store *st, int64_t id, const ag_scope *scope, json_t **out, ag_error *err)
{
    ag_err rc = scope_select_one(st, scope, LOG_COLS, "l.id", "l.unit_code", id, log_row_ctx, NULL,
                                 out, err);
    if (!rc && !*out)
        rc = ag_fail(err, AG_ERR_NOTFOUND, "id", "联系走访记录 %lld 不存在",
                     "no liaison log entry %lld", (long long)id);
    return rc;
}

/* A text field of at most max bytes; required ones must not be empty. */
static ag_err check_text(const char *v, const char *field, bool required, size_t max, ag_error *err)
{
    if (required && (!v || !*v))
        return ag_fail(err, AG_ERR_INPUT, field, "缺少字段 %s", "field %s is required", field);
    if (v && strlen(v) > max)
        return ag_fail(err, AG_ERR_INPUT, field, "字段 %s 过长（至多 %zu 字节）",
                       "field %s is too long (at most %zu bytes)", field, max);
    return AG_OK;
}

static json_t *first_int(ag_stmt *s)
{
    return json_integer((json_int_t)store_col_int(s, 0));
}

/* Marks read the unread reminders of unit for the kinds a log of `kind` answers. */
static ag_err settle_reminders(ag_store *st, const char *unit, const char *kind, ag_error *err)
{
    ag_stmt *s = NULL;
    bool visit = !strcmp(kind, "visit");
    ag_err rc =
        wf_prep(st, &s, err,
                "SELECT id FROM notification WHERE unit_code = ? AND liaison_due IS NOT NULL"
                " AND read_at IS NULL AND (kind = 'liaison_contact' OR kind = ?)",
                "tt", unit, visit ? "liaison_visit" : "liaison_contact");
    json_t *ids = NULL;
    rc = wf_rows(s, rc, first_int, &ids, err);
    char ts[21];
    ag_clock_format(ag_clock_now(), ts);
    for (size_t i = 0; !rc && i < json_array_size(ids); i++) {
        ag_field f = ag_field_text("read_at", ts);
        rc = store_update(st, "notification", "id",
                          ag_field_int("id", json_integer_value(json_array_get(ids, i))), &f, 1,
                          err);
    }
    json_decref(ids);
    return rc;
}

ag_err liaison_log_add(ag_store *st, const audit_actor *a, const liaison_log_in *in, int64_t *id,
                       ag_error *err)
{
    if (id)
        *id = 0;
    if (a->scope.role != AG_ROLE_ADMIN && a->scope.role != AG_ROLE_LIAISON)
        return ag_fail(err, AG_ERR_DENIED, "role", "只有区审计局管理员和网格指导员可记录联系走访",
                       "only the bureau's admin and grid liaisons record contacts and visits");
    ag_err rc = check_text(in->unit_code, "unit_code", true, 64, err);
    const char *kind = kind_code(in->kind);
    if (!rc && !in->kind)
        rc = ag_fail(err, AG_ERR_INPUT, "kind", "缺少字段 kind（contact 联系或 visit 走访）",
                     "field kind is required (contact or visit)");
    else if (!rc && !kind)
        rc = bad_kind(err, in->kind);
    if (!rc)
        rc = check_text(in->person, "person", true, MAX_PERSON, err);
    if (!rc)
        rc = check_text(in->notes, "notes", false, MAX_TEXT, err);
    if (!rc)
        rc = check_text(in->followups, "followups", false, MAX_TEXT, err);
    int32_t today = ag_clock_today(), day = today;
    if (!rc && in->date && *in->date && !ag_clock_parse_today(in->date, &day))
        rc = ag_fail(err, AG_ERR_INPUT, "date", "日期应为 YYYY-MM-DD：%s",
                     "the date is YYYY-MM-DD: %s", in->date);
    if (!rc && day > today)
        rc = ag_fail(err, AG_ERR_INPUT, "date", "联系走访日期不能晚于今天：%s",
                     "a contact or visit cannot be dated after today: %s", in->date);
    bool visible = false;
    if (!rc)
        rc = scope_unit_visible(st, &a->scope, in->unit_code, &visible, err);
    if (!rc && !visible)
        rc = ag_fail(err, AG_ERR_NOTFOUND, "unit_code", "单位 %s 不存在", "no unit %s",
                     in->unit_code);
    if (rc)
        return rc;
    char date[11], ts[21];
    ag_date_format(day, date);
    ag_clock_format(ag_clock_now(), ts);
    ag_field f[] = {
        ag_field_text("unit_code", in->unit_code),
        ag_field_text("log_date", date),
        ag_field_text("kind", kind),
        ag_field_text("person", in->person),
        ag_field_text("notes", in->notes && *in->notes ? in->notes : NULL),
        ag_field_text("followups", in->followups && *in->followups ? in->followups : NULL),
        a->scope.person_id > 0 ? ag_field_int("liaison_person_id", a->scope.person_id)
                               : ag_field_null("liaison_person_id"),
        ag_field_text("created_by", a->name ? a->name : store_actor(st)),
        ag_field_text("created_at", ts)};
    rc = store_insert(st, "liaison_log", "id", f, sizeof f / sizeof f[0], id, err);
    if (!rc)
        rc = settle_reminders(st, in->unit_code, kind, err);
    return rc;
}

/* Prepares sql and binds q's arguments from placeholder 1, then each of the n texts of extra that
 * is not NULL; *next is the first free placeholder. On failure *s may be left for finalizing. */
static ag_err prep_scoped(ag_store *st, const char *sql, const scope_sql *q,
                          const char *const *extra, int n, ag_stmt **s, int *next, ag_error *err)
{
    ag_err rc = store_prepare(st, sql, s, err);
    if (!rc)
        rc = scope_bind(*s, q, 1, next);
    for (int i = 0; !rc && i < n; i++)
        if (extra[i])
            rc = store_bind_text(*s, (*next)++, extra[i]);
    return rc;
}

ag_err liaison_log_list(ag_store *st, const liaison_filter *f, const ag_scope *scope, json_t **out,
                        ag_error *err)
{
    *out = NULL;
    const char *kind = f->kind && *f->kind ? kind_code(f->kind) : NULL;
    if (f->kind && *f->kind && !kind)
        return bad_kind(err, f->kind);
    ag_scope all = {.role = AG_ROLE_ADMIN};
    scope_sql q;
    ag_err rc = scope_predicate(scope ? scope : &all, "l.unit_code", &q, err);
    if (rc)
        return rc;
    bool by_unit = f->unit_code && *f->unit_code;
    char where[700], sql[1400];
    snprintf(where, sizeof where, " WHERE %s%s%s", q.text, by_unit ? " AND l.unit_code = ?" : "",
             kind ? " AND l.kind = ?" : "");
    json_t *items = NULL;
    int64_t total = 0;
    for (int pass = 0; !rc && pass < 2; pass++) {
        snprintf(sql, sizeof sql, "%s%s%s",
                 pass ? LOG_COLS
                      : "SELECT COUNT(*) FROM liaison_log l JOIN unit u ON "
                        "u.code = l.unit_code",
                 where, pass ? " ORDER BY l.log_date DESC, l.id DESC LIMIT ? OFFSET ?" : "");
        ag_stmt *s = NULL;
        int next = 1;
        const char *extra[2] = {by_unit ? f->unit_code : NULL, kind};
        rc = prep_scoped(st, sql, &q, extra, 2, &s, &next, err);
        if (!rc && pass) {
            rc = store_bind_int(s, next++, f->limit > 0 ? f->limit : 100);
            if (!rc)
                rc = store_bind_int(s, next, f->offset > 0 ? f->offset : 0);
            rc = wf_rows(s, rc, log_row, &items, err);
            continue;
        }
        rc = wf_step_int(s, rc, &total, err);
    }
    if (!rc)
        *out = json_pack("{s:I,s:o}", "total", (json_int_t)total, "items", items);
    return rc;
}

/* ---- slips ------------------------------------------------------------------------- */

/* One unit and kind whose cadence slipped. */
typedef struct slip {
    char unit[32], unit_name[256], cell[32], cell_name[256];
    const char *kind; /* static */
    int32_t last;     /* the last log's day; INT32_MIN when never */
    int32_t due;
} slip;

typedef struct slip_list {
    slip *v;
    size_t n, cap;
} slip_list;

/* The civil (UTC+8) day of an ISO-8601 UTC time, *day left alone when it is not one. */
static void civil_day_of(const char *iso, int32_t *day)
{
    int32_t d;
    if (!iso || strlen(iso) < 13 || !ag_date_parse(iso, 10, &d))
        return;
    int hour = (iso[11] - '0') * 10 + (iso[12] - '0');
    *day = d + (hour >= 16);
}

static ag_err slip_push(slip_list *l, ag_stmt *s, const char *kind, int32_t last, int32_t due,
                        ag_error *err)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        slip *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
        l->v = v;
        l->cap = cap;
    }
    slip *x = &l->v[l->n++];
    snprintf(x->unit, sizeof x->unit, "%s", store_col_text(s, 0));
    snprintf(x->unit_name, sizeof x->unit_name, "%s", store_col_text(s, 1));
    snprintf(x->cell, sizeof x->cell, "%s", store_col_text(s, 2));
    snprintf(x->cell_name, sizeof x->cell_name, "%s", store_col_text(s, 3));
    x->kind = kind;
    x->last = last;
    x->due = due;
    return AG_OK;
}

static int by_due(const void *a, const void *b)
{
    const slip *x = a, *y = b;
    if (x->due != y->due)
        return x->due < y->due ? -1 : 1;
    int c = strcmp(x->unit, y->unit);
    return c ? c : strcmp(x->kind, y->kind);
}

/* The slips as of today under the cadence in force (into *cad) over the active units with a cell
 * in scope (and in cell, when given), most overdue first. The caller frees l->v. */
static ag_err slips(ag_store *st, const ag_scope *scope, const char *cell, int32_t today,
                    liaison_cadence *cad, slip_list *l, ag_error *err)
{
    memset(l, 0, sizeof *l);
    ag_scope all = {.role = AG_ROLE_ADMIN};
    scope_sql q;
    ag_err rc = liaison_cadence_get(st, cad, err);
    if (!rc)
        rc = scope_predicate(scope ? scope : &all, "u.code", &q, err);
    if (rc)
        return rc;
    char sql[1600];
    snprintf(sql, sizeof sql,
             "SELECT u.code, u.name, u.cell_id, c.name, u.created_at,"
             " (SELECT MAX(l.log_date) FROM liaison_log l WHERE l.unit_code = u.code),"
             " (SELECT MAX(l.log_date) FROM liaison_log l WHERE l.unit_code = u.code"
             "  AND l.kind = 'visit')"
             " FROM unit u JOIN grid_cell c ON c.id = u.cell_id"
             " WHERE u.disabled = 0 AND c.disabled = 0 AND %s%s ORDER BY u.code",
             q.text, cell && *cell ? " AND u.cell_id = ?" : "");
    ag_stmt *s = NULL;
    int next = 1;
    bool row = false;
    const char *extra[1] = {cell && *cell ? cell : NULL};
    rc = prep_scoped(st, sql, &q, extra, 1, &s, &next, err);
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        int32_t since = today, contact = INT32_MIN, visit = INT32_MIN;
        civil_day_of(store_col_text(s, 4), &since);
        if (store_col_text(s, 5))
            ag_date_parse(store_col_text(s, 5), 10, &contact);
        if (store_col_text(s, 6))
            ag_date_parse(store_col_text(s, 6), 10, &visit);
        int32_t due = (contact == INT32_MIN ? since : contact) + cad->contact_days;
        if (today > due)
            rc = slip_push(l, s, "contact", contact, due, err);
        due = (visit == INT32_MIN ? since : visit) + cad->visit_days;
        if (!rc && today > due)
            rc = slip_push(l, s, "visit", visit, due, err);
    }
    store_finalize(s);
    if (rc) {
        free(l->v);
        memset(l, 0, sizeof *l);
        return rc;
    }
    if (l->n)
        qsort(l->v, l->n, sizeof *l->v, by_due);
    return AG_OK;
}

/* How many distinct units the (sorted by due, so not by unit) list names. */
static int64_t distinct_units(const slip_list *l)
{
    int64_t n = 0;
    for (size_t i = 0; i < l->n; i++) {
        size_t j = 0;
        while (j < i && strcmp(l->v[j].unit, l->v[i].unit))
            j++;
        n += j == i;
    }
    return n;
}

ag_err liaison_todo(ag_store *st, const ag_scope *scope, const char *cell_id, int32_t today,
                    json_t **out, ag_error *err)
{
    *out = NULL;
    liaison_cadence cad;
    slip_list l;
    ag_err rc = slips(st, scope, cell_id, today, &cad, &l, err);
    if (rc)
        return rc;
    json_t *items = json_array();
    for (size_t i = 0; i < l.n; i++) {
        const slip *x = &l.v[i];
        char last[11], due[11];
        if (x->last != INT32_MIN)
            ag_date_format(x->last, last);
        ag_date_format(x->due, due);
        json_array_append_new(items, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s?,s:s,s:I}",
                                               "unit_code", x->unit, "unit_name", x->unit_name,
                                               "cell_id", x->cell, "cell_name", x->cell_name,
                                               "kind", x->kind, "kind_zh", liaison_kind_zh(x->kind),
                                               "last", x->last != INT32_MIN ? last : NULL, "due",
                                               due, "days_overdue", (json_int_t)(today - x->due)));
    }
    char day[11];
    ag_date_format(today, day);
    *out = json_pack("{s:s,s:o,s:I,s:I,s:o}", "today", day, "cadence", liaison_cadence_json(&cad),
                     "units", (json_int_t)distinct_units(&l), "total", (json_int_t)l.n, "items",
                     items);
    free(l.v);
    return AG_OK;
}

ag_err liaison_figures(ag_store *st, const ag_scope *scope, int32_t today, json_t **out,
                       ag_error *err)
{
    *out = NULL;
    liaison_cadence cad;
    slip_list l;
    ag_err rc = slips(st, scope, NULL, today, &cad, &l, err);
    if (rc)
        return rc;
    int64_t contact = 0;
    for (size_t i = 0; i < l.n; i++)
        contact += !strcmp(l.v[i].kind, "contact");
    *out = json_pack("{s:I,s:I,s:I}", "contact", (json_int_t)contact, "visit",
                     (json_int_t)((int64_t)l.n - contact), "units", (json_int_t)distinct_units(&l));
    free(l.v);
    return AG_OK;
}

/* Inserts the reminder of slip x unless it is there already; *added is set when it was not. */
static ag_err remind_one(ag_store *st, const slip *x, int32_t today, bool *added, ag_error *err)
{
    char due[11], last[11] = "", ts[21], kind[24], zh[768], en[512];
    ag_date_format(x->due, due);
    snprintf(kind, sizeof kind, "liaison_%s", x->kind);
    int64_t there = 0;
    *added = false;
    ag_err rc = wf_query_int(st, &there, err,
                             "SELECT COUNT(*) FROM notification WHERE unit_code = ? AND kind = ?"
                             " AND liaison_due = ?",
                             "ttt", x->unit, kind, due);
    if (rc || there)
        return rc;
    if (x->last != INT32_MIN)
        ag_date_format(x->last, last);
    bool visit = !strcmp(x->kind, "visit");
    const char *w = visit ? "走访" : "联系";
    snprintf(zh, sizeof zh, "%s %s已逾期 %d 天（应于 %s 前%s，上次：%s）", x->unit_name, w,
             (int)(today - x->due), due, w, *last ? last : "无记录");
    snprintf(en, sizeof en, "%s: no %s for %d days past the cadence (due by %s; last %s)", x->unit,
             visit ? "visit" : "contact", (int)(today - x->due), due, *last ? last : "never");
    ag_clock_format(ag_clock_now(), ts);
    ag_field f[] = {ag_field_text("audience", "bureau"), ag_field_text("unit_code", x->unit),
                    ag_field_text("cell_id", x->cell),   ag_field_text("kind", kind),
                    ag_field_text("liaison_due", due),   ag_field_text("message_zh", zh),
                    ag_field_text("message_en", en),     ag_field_text("created_at", ts)};
    rc = store_insert(st, "notification", "id", f, sizeof f / sizeof f[0], NULL, err);
    *added = !rc;
    return rc;
}

ag_err liaison_remind(ag_store *st, int32_t today, int64_t *created, ag_error *err)
{
    *created = 0;
    liaison_cadence cad;
    slip_list l;
    ag_err rc = slips(st, NULL, NULL, today, &cad, &l, err);
    if (rc)
        return rc;
    for (size_t i = 0; !rc && i < l.n; i++) {
        bool added = false;
        rc = remind_one(st, &l.v[i], today, &added, err);
        *created += added;
    }
    free(l.v);
    return rc;
}
