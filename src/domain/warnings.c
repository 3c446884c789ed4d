/* warnings.c - recording scan results without duplicates, and listing them. */
#include "domain/warnings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/rowjson.h"
#include "domain/setting.h"
#include "domain/wf_query.h"
#include "util/clock.h"
#include "util/date.h"
#include "util/encoding.h"
#include "util/money.h"
#include "util/banned.h"

static int64_t fen_of(const char *s)
{
    int64_t v = 0;
    return s && ag_money_parse(s, strlen(s), &v) ? v : 0;
}

ag_err warnings_record(ag_store *st, const warnings_run *run, json_t *warnings, int64_t *new_count,
                       int64_t *run_id, ag_error *err)
{
    char ts[21], secs[32];
    ag_clock_format(ag_clock_now(), ts);
    snprintf(secs, sizeof secs, "%.3f", run->seconds);
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    ag_stmt *s = NULL, *upd = NULL;
    bool row = false;
    int64_t id = 0, added = 0;
    /* A run without a fiscal year (0) records none. */
    rc = store_prepare_args(st, &s, err,
                            "INSERT INTO scan_run (started_at, actor, unit_code, fiscal_year,"
                            " catalog_version, rows, warnings, new_warnings, seconds) VALUES"
                            " (?, ?, ?, NULLIF(?, 0), ?, ?, ?, 0, ?) RETURNING id",
                            "tttitiit", ts, store_actor(st), run->unit_code, (int64_t)run->year,
                            run->catalog_version, (int64_t)run->rows,
                            (int64_t)json_array_size(warnings), secs);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row)
        id = store_col_int(s, 0);
    while (!rc && row)
        rc = store_step(s, &row, err);
    store_finalize(s);
    s = NULL;
    if (!rc)
        rc = store_prepare(
            st,
            "INSERT INTO warning (fingerprint, unit_code, item, rule, severity,"
            " warn_date, voucher, line, amount, message, evidence, catalog_version,"
            " first_scan, last_scan) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (fingerprint) DO NOTHING RETURNING id",
            &s, err);
    if (!rc)
        rc = store_prepare(st, "UPDATE warning SET last_scan = ? WHERE fingerprint = ?", &upd, err);
    for (size_t i = 0; !rc && i < json_array_size(warnings); i++) {
        json_t *w = json_array_get(warnings, i);
        const char *fp = json_string_value(json_object_get(w, "fingerprint"));
        char *evidence = json_dumps(json_object_get(w, "evidence"), JSON_COMPACT);
        json_t *line = json_object_get(w, "line");
        rc = store_reset(s, err);
        const char *texts[] = {fp,
                               json_string_value(json_object_get(w, "unit")),
                               json_string_value(json_object_get(w, "item")),
                               json_string_value(json_object_get(w, "rule")),
                               json_string_value(json_object_get(w, "severity")),
                               json_string_value(json_object_get(w, "date")),
                               json_string_value(json_object_get(w, "voucher"))};
        for (int k = 0; !rc && k < 7; k++)
            rc = store_bind_text(s, k + 1, texts[k]);
        if (!rc)
            rc = json_is_integer(line) ? store_bind_int(s, 8, json_integer_value(line))
                                       : store_bind_null(s, 8);
        if (!rc)
            rc = store_bind_int(s, 9, fen_of(json_string_value(json_object_get(w, "amount"))));
        if (!rc)
            rc = store_bind_text(s, 10, json_string_value(json_object_get(w, "message")));
        if (!rc)
            rc = store_bind_text(s, 11, evidence ? evidence : "{}");
        if (!rc)
            rc = store_bind_text(s, 12, run->catalog_version);
        if (!rc)
            rc = store_bind_int(s, 13, id);
        if (!rc)
            rc = store_bind_int(s, 14, id);
        /* A row comes back only when the warning is new. */
        bool inserted = false;
        if (!rc)
            rc = store_step(s, &inserted, err);
        free(evidence);
        if (!rc && inserted) {
            bool more = true;
            while (!rc && more)
                rc = store_step(s, &more, err);
            added++;
        } else if (!rc) {
            rc = store_reset_args(upd, err, "it", id, fp);
            if (!rc)
                rc = store_step(upd, &row, err);
        }
    }
    store_finalize(s);
    store_finalize(upd);
    if (!rc) {
        char sql_id[24], n[24];
        snprintf(sql_id, sizeof sql_id, "%lld", (long long)id);
        snprintf(n, sizeof n, "%lld", (long long)added);
        ag_stmt *u = NULL;
        rc = store_prepare_args(st, &u, err, "UPDATE scan_run SET new_warnings = ? WHERE id = ?",
                                "ii", added, id);
        if (!rc)
            rc = store_step(u, &row, err);
        store_finalize(u);
        if (!rc)
            rc = store_audit_append(st, "scan", "scan_run", sql_id, NULL, NULL, err);
    }
    rc = store_end(st, rc, err);
    if (!rc && new_count)
        *new_count = added;
    if (!rc && run_id)
        *run_id = id;
    return rc;
}

/* The state of the table (warnings.h): a sampled dismissal awaiting review
 * is stored as dismissed with review 'pending'. */
#define WSTATE                                                                                     \
    "(CASE WHEN status = 'dismissed' AND review = 'pending' THEN 'review' ELSE status END)"

#define WARNING_COLS                                                                               \
    "SELECT id, unit_code, item, rule, severity, warn_date, voucher, line, amount,"                \
    " message, evidence, catalog_version, status, status_reason, status_by, status_at,"            \
    " " WSTATE ", review_note, review_by, review_at, finding_id,"                                  \
    " (SELECT name FROM unit WHERE code = warning.unit_code),"                                     \
    " (SELECT title FROM finding WHERE id = warning.finding_id),"                                  \
    " (SELECT p.code FROM finding f JOIN audit_project p ON p.id = f.project_id"                   \
    "  WHERE f.id = warning.finding_id),"                                                          \
    " (SELECT project_id FROM finding WHERE id = warning.finding_id)"

/* One row of WARNING_COLS as the JSON object the list and the API give. */
static json_t *warning_row(ag_stmt *s)
{
    char amount[24];
    ag_money_format(store_col_int(s, 8), amount);
    json_t *ev = json_loads(store_col_text(s, 10), 0, NULL);
    json_t *o = json_pack(
        "{s:I,s:s,s:s,s:s,s:s,s:s,s:s?,s:o,s:s,s:s,s:o,s:s,s:s}", "id",
        (json_int_t)store_col_int(s, 0), "unit", store_col_text(s, 1), "item", store_col_text(s, 2),
        "rule", store_col_text(s, 3), "severity", store_col_text(s, 4), "date",
        store_col_text(s, 5), "voucher", store_col_text(s, 6), "line",
        store_col_is_null(s, 7) ? json_null() : json_integer(store_col_int(s, 7)), "amount", amount,
        "message", store_col_text(s, 9), "evidence", ev ? ev : json_object(), "catalog_version",
        store_col_text(s, 11), "status", store_col_text(s, 12));
    const char *keys[] = {"status_reason", "status_by", "status_at", "state",
                          "review_note",   "review_by", "review_at"};
    for (int k = 0; o && k < 7; k++) {
        const char *t = store_col_text(s, 13 + k);
        json_object_set_new(o, keys[k], t ? json_string(t) : json_null());
    }
    if (!o)
        return NULL;
    const char *rn = warnings_rule_name(store_col_text(s, 3));
    json_object_set_new(o, "rule_name", rn ? json_string(rn) : json_null());
    json_object_set_new(o, "unit_name",
                        store_col_text(s, 21) ? json_string(store_col_text(s, 21)) : json_null());
    if (store_col_is_null(s, 20)) {
        json_object_set_new(o, "finding", json_null());
    } else {
        const char *title = store_col_text(s, 22), *code = store_col_text(s, 23);
        json_object_set_new(o, "finding",
                            json_pack("{s:I,s:s?,s:s?,s:I}", "id", (json_int_t)store_col_int(s, 20),
                                      "title", title, "project_code", code, "project_id",
                                      (json_int_t)store_col_int(s, 24)));
    }
    return o;
}

/* The optional conditions, each with its value bound twice ("? IS NULL OR
 * ..."), in the order of filter_values(). */
static const char filter_where[] =
    " FROM warning WHERE (? IS NULL OR unit_code = ?) AND (? IS NULL OR item = ?)"
    " AND (? IS NULL OR rule = ?) AND (? IS NULL OR status = ?)"
    " AND (? IS NULL OR severity = ?)"
    " AND (? IS NULL OR unit_code IN (SELECT code FROM unit WHERE cell_id = ?))"
    " AND (? IS NULL OR warn_date >= ?) AND (? IS NULL OR warn_date <= ?)"
    " AND (? IS NULL OR " WSTATE " = ?)";
#define FILTER_VALUES 9

static void filter_values(const warnings_filter *f, const char *vals[FILTER_VALUES])
{
    vals[0] = f->unit_code;
    vals[1] = f->item;
    vals[2] = f->rule;
    vals[3] = f->status;
    vals[4] = f->severity;
    vals[5] = f->cell_id;
    vals[6] = f->date_from;
    vals[7] = f->date_to;
    vals[8] = f->state;
}

/* The sort keys and their ORDER BY; every order ends in the default one so
 * that pages never overlap. Severity ranks low < medium < high. */
static const struct {
    const char *key;
    const char *order;
} sorts[] = {
    {"unit", "unit_code, warn_date, id"},
    {"-unit", "unit_code DESC, warn_date, id"},
    {"date", "warn_date, unit_code, id"},
    {"-date", "warn_date DESC, unit_code, id"},
    {"amount", "amount, unit_code, warn_date, id"},
    {"-amount", "amount DESC, unit_code, warn_date, id"},
    {"severity", "CASE severity WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END,"
                 " unit_code, warn_date, id"},
    {"-severity", "CASE severity WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END DESC,"
                  " unit_code, warn_date, id"},
};

static const char *sort_order(const char *key)
{
    if (!key)
        return sorts[0].order;
    for (size_t i = 0; i < sizeof sorts / sizeof sorts[0]; i++)
        if (!strcmp(key, sorts[i].key))
            return sorts[i].order;
    return NULL;
}

static bool warnings_state_known(const char *state);

/* True for exactly YYYY-MM-DD naming a real day. */
static bool iso_date(const char *s, int32_t *days)
{
    return strlen(s) == 10 && s[4] == '-' && s[7] == '-' && ag_date_parse(s, 10, days);
}

ag_err warnings_filter_check(const warnings_filter *f, ag_error *err)
{
    int32_t from = 0, to = 0;
    if (f->date_from && !iso_date(f->date_from, &from))
        return ag_fail(err, AG_ERR_USAGE, "from", "from 应为 YYYY-MM-DD 格式的有效日期",
                       "from is a valid date as YYYY-MM-DD");
    if (f->date_to && !iso_date(f->date_to, &to))
        return ag_fail(err, AG_ERR_USAGE, "to", "to 应为 YYYY-MM-DD 格式的有效日期",
                       "to is a valid date as YYYY-MM-DD");
    if (f->date_from && f->date_to && from > to)
        return ag_fail(err, AG_ERR_USAGE, "from", "起始日期 %s 晚于截止日期 %s",
                       "from %s is after to %s", f->date_from, f->date_to);
    if (f->state && !warnings_state_known(f->state))
        return ag_fail(err, AG_ERR_USAGE, "state",
                       "state 应为 open、acknowledged、escalated、review 或 dismissed",
                       "state is open, acknowledged, escalated, review or dismissed");
    if (!sort_order(f->sort))
        return ag_fail(err, AG_ERR_USAGE, "sort", "sort 应为 %s 之一", "sort is one of %s",
                       WARNINGS_SORTS);
    return AG_OK;
}

/* Binds the optional filters (each twice) and then the scope from index 1. */
static ag_err bind_filter(ag_stmt *s, const char *const vals[FILTER_VALUES], const scope_sql *q,
                          int *next)
{
    ag_err rc = AG_OK;
    for (int k = 0; !rc && k < FILTER_VALUES; k++) {
        rc = store_bind_text(s, 2 * k + 1, vals[k]);
        if (!rc)
            rc = store_bind_text(s, 2 * k + 2, vals[k]);
    }
    if (!rc)
        rc = scope_bind(s, q, 2 * FILTER_VALUES + 1, next);
    return rc;
}

ag_err warnings_list(ag_store *st, const warnings_filter *f, json_t **out, ag_error *err)
{
    return warnings_list_scoped(st, f, NULL, out, err);
}

ag_err warnings_list_scoped(ag_store *st, const warnings_filter *f, const ag_scope *scope,
                            json_t **out, ag_error *err)
{
    *out = NULL;
    ag_err rc = warnings_filter_check(f, err);
    if (rc)
        return rc;
    char sql[4096];
    const char *vals[FILTER_VALUES];
    filter_values(f, vals);
    scope_sql q;
    ag_scope all = {.role = AG_ROLE_ADMIN};
    rc = scope_predicate(scope ? scope : &all, "unit_code", &q, err);
    if (rc)
        return rc;
    int64_t total = 0;
    ag_stmt *s = NULL;
    int next = 0;
    snprintf(sql, sizeof sql, "SELECT COUNT(*)%s AND %s", filter_where, q.text);
    rc = store_prepare(st, sql, &s, err);
    if (!rc)
        rc = bind_filter(s, vals, &q, &next);
    rc = wf_step_int(s, rc, &total, err);
    s = NULL;
    snprintf(sql, sizeof sql, WARNING_COLS "%s AND %s ORDER BY %s LIMIT ? OFFSET ?", filter_where,
             q.text, sort_order(f->sort));
    if (!rc)
        rc = store_prepare(st, sql, &s, err);
    if (!rc)
        rc = bind_filter(s, vals, &q, &next);
    if (!rc)
        rc = store_bind_int(s, next, f->limit > 0 ? f->limit : 100);
    if (!rc)
        rc = store_bind_int(s, next + 1, f->offset > 0 ? f->offset : 0);
    json_t *items = NULL;
    rc = wf_rows(s, rc, warning_row, &items, err);
    return rowjson_list(rc, items, total, out);
}

static ag_err no_warning(int64_t id, ag_error *err)
{
    char where[32];
    snprintf(where, sizeof where, "warning#%lld", (long long)id);
    return ag_fail(err, AG_ERR_NOTFOUND, where, "预警 %lld 不存在", "no warning %lld",
                   (long long)id);
}

static json_t *warning_row_of(ag_stmt *s, void *ctx)
{
    (void)ctx;
    return warning_row(s);
}

ag_err warnings_get(ag_store *st, int64_t id, const ag_scope *scope, json_t **out, ag_error *err)
{
    ag_err rc = scope_select_one(st, scope, WARNING_COLS " FROM warning", "id", "unit_code", id,
                                 warning_row_of, NULL, out, err);
    if (!rc && !*out)
        rc = no_warning(id, err);
    return rc;
}

/* ---- a warning's life (issue 12 §2) ---------------------------------------- */

#define UNIT_ROLES                                                                                 \
    (AG_ROLE_BIT(AG_ROLE_AUDITOR) | AG_ROLE_BIT(AG_ROLE_CHIEF_AUDITOR) |                           \
     AG_ROLE_BIT(AG_ROLE_LIAISON))
#define BUREAU (AG_ROLE_BIT(AG_ROLE_ADMIN) | AG_ROLE_BIT(AG_ROLE_REVIEWER))
/* A dismissal is reviewed by the bureau or the cell's liaison. */
#define DISMISSAL_REVIEWERS (BUREAU | AG_ROLE_BIT(AG_ROLE_LIAISON))

/* The one table of the warning states: state × action → state, and who. */
const warnings_transition warnings_transitions[] = {
    /* The unit's triage (内审人员, 国企总审计师, 网格指导员). */
    {"open", "acknowledge", "acknowledged", UNIT_ROLES, false},
    {"open", "dismiss", "dismissed", UNIT_ROLES, true},
    {"open", "escalate", "escalated", UNIT_ROLES, false},
    {"acknowledged", "escalate", "escalated", UNIT_ROLES, false},
    {"acknowledged", "dismiss", "dismissed", UNIT_ROLES, true},
    /* The unit withdraws an escalation by dismissing: sampled like any. */
    {"escalated", "dismiss", "dismissed", UNIT_ROLES | BUREAU, true},
    {"escalated", "acknowledge", "acknowledged", UNIT_ROLES, false},
    /* Escalating always reaches the bureau, so the unit may still do it after dismissing. */
    {"review", "escalate", "escalated", UNIT_ROLES, false},
    {"dismissed", "escalate", "escalated", UNIT_ROLES, false},
    /* The bureau's review of an escalation (待局复核). */
    {"escalated", "reopen", "open", BUREAU, true},
    {"escalated", "to_finding", "acknowledged", AG_ROLE_BIT(AG_ROLE_ADMIN), false},
    {"acknowledged", "to_finding", "acknowledged", AG_ROLE_BIT(AG_ROLE_ADMIN), false},
    {"open", "to_finding", "acknowledged", AG_ROLE_BIT(AG_ROLE_ADMIN), false},
    /* ... or straight into a rectification item of the unit's standing ledger. */
    {"escalated", "to_rectification", "acknowledged", AG_ROLE_BIT(AG_ROLE_ADMIN), false},
    {"acknowledged", "to_rectification", "acknowledged", AG_ROLE_BIT(AG_ROLE_ADMIN), false},
    {"open", "to_rectification", "acknowledged", AG_ROLE_BIT(AG_ROLE_ADMIN), false},
    /* The review of a sampled dismissal (待复核). */
    {"review", "accept", "dismissed", DISMISSAL_REVIEWERS, false},
    {"review", "reopen", "open", DISMISSAL_REVIEWERS, true},
};
const int warnings_transition_count =
    (int)(sizeof warnings_transitions / sizeof warnings_transitions[0]);

static const char *const states[] = {"open", "acknowledged", "escalated", "review", "dismissed"};

static bool warnings_state_known(const char *state)
{
    for (size_t i = 0; i < sizeof states / sizeof states[0]; i++)
        if (!strcmp(state, states[i]))
            return true;
    return false;
}

const warnings_transition *warnings_transition_find(const char *state, const char *action)
{
    for (int i = 0; state && action && i < warnings_transition_count; i++)
        if (!strcmp(warnings_transitions[i].from, state) &&
            !strcmp(warnings_transitions[i].action, action))
            return &warnings_transitions[i];
    return NULL;
}

static bool action_known(const char *action)
{
    for (int i = 0; action && i < warnings_transition_count; i++)
        if (!strcmp(warnings_transitions[i].action, action))
            return true;
    return false;
}

/* May an account of this scope named `by` take transition t on w? */
static bool may_take(const warnings_transition *t, const json_t *w, const ag_scope *scope,
                     const char *by)
{
    if (!(t->who & AG_ROLE_BIT(scope->role)))
        return false;
    /* Nobody reviews their own dismissal. */
    const char *dismisser = json_string_value(json_object_get(w, "status_by"));
    if (!strcmp(t->from, "review") && by && dismisser && !strcmp(by, dismisser))
        return false;
    /* A warning already evidence of a finding has its item through it. */
    if (!strcmp(t->action, "to_rectification") && json_is_object(json_object_get(w, "finding")))
        return false;
    return true;
}

json_t *warnings_actions(const json_t *w, const ag_scope *scope, const char *by)
{
    json_t *a = json_array();
    const char *state = json_string_value(json_object_get(w, "state"));
    for (int i = 0; state && scope && i < warnings_transition_count; i++) {
        const warnings_transition *t = &warnings_transitions[i];
        if (!strcmp(t->from, state) && may_take(t, w, scope, by))
            json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "action", t->action, "to", t->to,
                                               "reason_required", t->reason));
    }
    return a;
}

bool warnings_sampled(int64_t id, const char *severity, int share)
{
    if (severity && !strcmp(severity, "high"))
        return true;
    /* splitmix64: consecutive ids spread evenly over the hundred buckets. */
    uint64_t z = (uint64_t)id + 0x9e3779b97f4a7c15u;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    z ^= z >> 31;
    return (int)(z % 100u) < share;
}

#define SHARE_KEY "warnings.review_share"

ag_err warnings_review_share(ag_store *st, int *share, ag_error *err)
{
    int64_t v = 0;
    ag_err rc = setting_int(st, SHARE_KEY, 0, 100, WARNINGS_REVIEW_SHARE, &v, err);
    *share = (int)v;
    return rc;
}

ag_err warnings_set_review_share(ag_store *st, int share, ag_error *err)
{
    if (share < 0 || share > 100)
        return ag_fail(err, AG_ERR_INPUT, "share", "抽样复核比例应在 0 到 100（%%）之间：%d",
                       "the review share is 0 to 100 (%%): %d", share);
    return setting_put_int(st, SHARE_KEY, share, err);
}

/* A notice for the bureau about warning w (kind warning_escalated or
 * warning_review), addressed to the unit and its cell. */
static ag_err notify_bureau(ag_store *st, const json_t *w, const char *kind, const char *ts,
                            ag_error *err)
{
    const char *unit = json_string_value(json_object_get(w, "unit"));
    const char *uname = json_string_value(json_object_get(w, "unit_name"));
    const char *rname = json_string_value(json_object_get(w, "rule_name"));
    const char *rule = json_string_value(json_object_get(w, "rule"));
    char cell[64] = "";
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc =
        store_prepare_args(st, &s, err, "SELECT cell_id FROM unit WHERE code = ?", "t", unit);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row && store_col_text(s, 0))
        snprintf(cell, sizeof cell, "%s", store_col_text(s, 0));
    store_finalize(s);
    if (rc)
        return rc;
    bool esc = !strcmp(kind, "warning_escalated");
    char zh[512], en[512];
    snprintf(zh, sizeof zh, "%s %s预警（%s %s）%s", uname ? uname : unit, esc ? "上报" : "排除了",
             json_string_value(json_object_get(w, "item")), rname ? rname : rule,
             esc ? "，待区审计局复核" : "，已抽中复核，待复核");
    snprintf(en, sizeof en, "%s %s a warning (%s %s)%s", unit, esc ? "escalated" : "dismissed",
             json_string_value(json_object_get(w, "item")), rule,
             esc ? "; awaiting the bureau's review" : "; sampled for review");
    ag_field f[] = {ag_field_text("audience", "bureau"),
                    ag_field_text("unit_code", unit),
                    *cell ? ag_field_text("cell_id", cell) : ag_field_null("cell_id"),
                    ag_field_text("kind", kind),
                    ag_field_int("warning_id", json_integer_value(json_object_get(w, "id"))),
                    ag_field_text("message_zh", zh),
                    ag_field_text("message_en", en),
                    ag_field_text("created_at", ts)};
    return store_insert(st, "notification", "id", f, sizeof f / sizeof f[0], NULL, err);
}

/* The words of a state and an action, for refusals. */
static const char *state_zh(const char *s)
{
    static const char *const zh[][2] = {{"open", "未处理"},
                                        {"acknowledged", "已确认"},
                                        {"escalated", "已上报·待局复核"},
                                        {"review", "已排除·待复核"},
                                        {"dismissed", "已排除"}};
    for (size_t i = 0; s && i < sizeof zh / sizeof zh[0]; i++)
        if (!strcmp(s, zh[i][0]))
            return zh[i][1];
    return s ? s : "";
}

ag_err warnings_triage(ag_store *st, int64_t id, const ag_scope *scope, const char *action,
                       const char *reason, const char *by, json_t **out, ag_error *err)
{
    if (out)
        *out = NULL;
    if (!action_known(action) || !strcmp(action, "to_finding") ||
        !strcmp(action, "to_rectification"))
        return ag_fail(err, AG_ERR_INPUT, "action",
                       "处理方式应为 acknowledge（确认）、dismiss（排除）、escalate（上报）、"
                       "accept（维持排除）或 reopen（退回重新处理）",
                       "action is acknowledge, dismiss, escalate, accept or reopen");
    size_t rlen = reason ? strlen(reason) : 0;
    /* Whitespace alone is no reason. */
    bool blank = rlen == 0 || strspn(reason, " \t\r\n") == rlen;
    if (rlen > 2000 || (reason && !ag_utf8_valid(reason, rlen, false)))
        return ag_fail(err, AG_ERR_INPUT, "reason", "理由须为不超过2000字节的 UTF-8 文本",
                       "the reason is UTF-8 text of at most 2000 bytes");
    if (!strcmp(action, "dismiss") && blank)
        return ag_fail(err, AG_ERR_INPUT, "reason", "排除预警须说明理由",
                       "dismissing a warning needs a reason");
    if (!strcmp(action, "reopen") && blank)
        return ag_fail(err, AG_ERR_INPUT, "reason", "退回重新处理须写明复核意见",
                       "reopening a warning needs a note");
    ag_scope all = {.role = AG_ROLE_ADMIN};
    const ag_scope *sc = scope ? scope : &all;
    json_t *cur = NULL;
    char ts[21];
    ag_clock_format(ag_clock_now(), ts);
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = warnings_get(st, id, scope, &cur, err);
    const char *state = rc ? NULL : json_string_value(json_object_get(cur, "state"));
    const warnings_transition *t = rc ? NULL : warnings_transition_find(state, action);
    if (!rc && !t) {
        /* Asking for the state it is in is a conflict, as it always was. */
        bool same = false;
        for (int i = 0; i < warnings_transition_count; i++)
            if (!strcmp(warnings_transitions[i].action, action) &&
                !strcmp(warnings_transitions[i].to, state))
                same = true;
        rc = same ? ag_fail(err, AG_ERR_EXISTS, "status", "预警 %lld 已是该状态（%s）",
                            "warning %lld already has status %s", (long long)id, state_zh(state))
                  : ag_fail(err, AG_ERR_DENIED, "status",
                            "预警 %lld 处于“%s”状态，不能执行该操作（%s）",
                            "warning %lld is in state “%s”, which does not allow %s", (long long)id,
                            state_zh(state), action);
    }
    if (!rc && !may_take(t, cur, sc, by))
        rc = ag_fail(err, AG_ERR_DENIED, "role",
                     "当前角色不能对“%s”状态的预警执行该操作（%s）；复核人不能复核自己的排除",
                     "this role may not act on a warning in state “%s” (%s); nobody reviews "
                     "their own dismissal",
                     state_zh(state), action);
    bool decision = !rc && (!strcmp(t->action, "dismiss") || !strcmp(t->action, "acknowledge") ||
                            !strcmp(t->action, "escalate"));
    if (decision) {
        /* A decision of the unit's triage (or the bureau's on an escalation). */
        bool review = false;
        /* The bureau's own dismissal is its review: final. */
        if (!strcmp(t->action, "dismiss") && !(BUREAU & AG_ROLE_BIT(sc->role))) {
            int share = WARNINGS_REVIEW_SHARE;
            rc = warnings_review_share(st, &share, err);
            review = !rc && warnings_sampled(
                                id, json_string_value(json_object_get(cur, "severity")), share);
        }
        const char *status = !strcmp(t->action, "dismiss")       ? "dismissed"
                             : !strcmp(t->action, "acknowledge") ? "acknowledged"
                                                                 : "escalated";
        ag_field f[] = {ag_field_text("status", status),
                        ag_field_text("status_reason", blank ? NULL : reason),
                        ag_field_text("status_by", by), ag_field_text("status_at", ts),
                        review ? ag_field_text("review", "pending") : ag_field_null("review")};
        if (!rc)
            rc = store_update(st, "warning", "id", ag_field_int("id", id), f, 5, err);
        if (!rc && (review || !strcmp(status, "escalated")))
            rc = notify_bureau(st, cur, review ? "warning_review" : "warning_escalated", ts, err);
    } else if (!rc && !strcmp(t->action, "accept")) {
        ag_field f[] = {ag_field_text("review", "accepted"),
                        ag_field_text("review_note", blank ? NULL : reason),
                        ag_field_text("review_by", by), ag_field_text("review_at", ts)};
        rc = store_update(st, "warning", "id", ag_field_int("id", id), f, 4, err);
    } else if (!rc) { /* reopen: back to 未处理 with the reviewer's note */
        ag_field f[] = {ag_field_text("status", "open"), ag_field_null("review"),
                        ag_field_text("review_note", reason), ag_field_text("review_by", by),
                        ag_field_text("review_at", ts)};
        rc = store_update(st, "warning", "id", ag_field_int("id", id), f, 5, err);
    }
    json_decref(cur);
    if (!rc && out)
        rc = warnings_get(st, id, scope, out, err);
    if (rc) {
        store_rollback(st);
        if (out) {
            json_decref(*out);
            *out = NULL;
        }
        return rc;
    }
    return store_commit(st, err);
}

ag_err warnings_link_finding(ag_store *st, int64_t id, int64_t finding_id, const char *by,
                             ag_error *err)
{
    json_t *cur = NULL;
    ag_err rc = warnings_get(st, id, NULL, &cur, err);
    if (rc)
        return rc;
    bool linked = !json_is_null(json_object_get(cur, "finding"));
    bool acked = !strcmp(json_string_value(json_object_get(cur, "status")), "acknowledged");
    json_decref(cur);
    if (linked && acked)
        return AG_OK;
    /* The trail's actor "user:NAME" is stored as the user name, as triage does. */
    if (by && !strncmp(by, "user:", 5))
        by += 5;
    char ts[21];
    ag_clock_format(ag_clock_now(), ts);
    ag_field f[] = {ag_field_text("status", "acknowledged"), ag_field_null("review"),
                    ag_field_text("status_by", by), ag_field_text("status_at", ts),
                    linked ? ag_field_null("finding_id") : ag_field_int("finding_id", finding_id)};
    /* A warning naming a finding already keeps it (the last field is left out). */
    return store_update(st, "warning", "id", ag_field_int("id", id), f, linked ? 4 : 5, err);
}

/* The engine's rules by their Chinese names, in catalog/rules.json's order. */
static const char *const rule_names[][2] = {{"unbalanced_voucher", "凭证借贷不平"},
                                            {"voucher_gap", "凭证断号"},
                                            {"voucher_reuse", "凭证号重复使用"},
                                            {"same_maker_reviewer", "制单审核同一人"},
                                            {"nonworking_day", "非工作日记账"},
                                            {"dup_payment", "重复支付"},
                                            {"near_threshold", "临界金额支付"},
                                            {"split_payment", "拆分支付"},
                                            {"large_no_decision", "大额支付无决策依据"},
                                            {"cash_over_limit", "现金超限额"},
                                            {"round_amount", "整数金额支付"},
                                            {"yearend_spike", "年末突击支出"},
                                            {"receivable_aging", "往来款长期挂账"},
                                            {"benford_first2", "本福特首两位数异常"},
                                            {"payee_is_staff", "收款人为本单位职工"}};

const char *warnings_rule_name(const char *rule)
{
    for (size_t i = 0; rule && i < sizeof rule_names / sizeof rule_names[0]; i++)
        if (!strcmp(rule, rule_names[i][0]))
            return rule_names[i][1];
    return NULL;
}

json_t *warnings_rules(void)
{
    json_t *a = json_array();
    for (size_t i = 0; i < sizeof rule_names / sizeof rule_names[0]; i++)
        json_array_append_new(
            a, json_pack("{s:s,s:s}", "id", rule_names[i][0], "name", rule_names[i][1]));
    return a;
}
