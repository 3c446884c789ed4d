/* training.c - training sessions of internal auditors, attendance with optional scores, hours per
 * year. */
#include "domain/training.h"

#include <stdio.h>
#include <string.h>

#include "domain/soe.h"
#include "domain/wf_query.h"
#include "util/clock.h"
#include "util/banned.h"

void training_tenths_format(int64_t tenths, char out[24])
{
    if (tenths % 10)
        snprintf(out, 24, "%lld.%lld", (long long)(tenths / 10), (long long)(tenths % 10));
    else
        snprintf(out, 24, "%lld", (long long)(tenths / 10));
}

bool training_tenths_parse(const char *s, int64_t *tenths)
{
    int64_t v = 0;
    size_t i = 0, digits = 0;
    if (!s)
        return false;
    for (; s[i] >= '0' && s[i] <= '9'; i++, digits++) {
        if (digits >= 9)
            return false;
        v = v * 10 + (s[i] - '0');
    }
    v *= 10;
    if (!digits)
        return false;
    if (s[i] == '.') {
        if (!(s[i + 1] >= '0' && s[i + 1] <= '9') || s[i + 2])
            return false;
        v += s[i + 1] - '0';
        i += 2;
    }
    if (s[i])
        return false;
    *tenths = v;
    return true;
}

/* A text field that must be present and shorter than max bytes. */
static ag_err need_text(const char *v, size_t max, const char *field, const char *zh,
                        const char *en, ag_error *err)
{
    /* Each language names the field in its own words: %.0s skips the other one. */
    if (!v || !*v)
        return ag_fail(err, AG_ERR_INPUT, field, "缺少%s%.0s", "missing %.0s%s", zh, en);
    if (strlen(v) >= max)
        return ag_fail(err, AG_ERR_INPUT, field, "%s%.0s过长（最多 %zu 字节）",
                       "%.0s%s is too long (at most %zu bytes)", zh, en, max - 1);
    return AG_OK;
}

ag_err training_session_add(ag_store *st, const training_session_in *in, int64_t *id, ag_error *err)
{
    int32_t day = 0;
    if (!in->held_on || !ag_clock_parse_today(in->held_on, &day))
        return ag_fail(err, AG_ERR_INPUT, "date", "培训日期应为 YYYY-MM-DD 格式的有效日期",
                       "the session date must be a real date as YYYY-MM-DD");
    ag_err rc = need_text(in->topic, TRAINING_TOPIC_MAX, "topic", "培训主题", "topic", err);
    if (!rc)
        rc = need_text(in->system, TRAINING_SYSTEM_MAX, "system", "所属系统", "system", err);
    if (rc)
        return rc;
    if (in->hours_tenths <= 0 || in->hours_tenths > TRAINING_MAX_TENTHS)
        return ag_fail(err, AG_ERR_INPUT, "hours", "培训学时应在 0.1 到 24 小时之间",
                       "hours must be between 0.1 and 24");
    char ts[21];
    ag_clock_format(ag_clock_now(), ts);
    const ag_field f[] = {
        ag_field_text("held_on", in->held_on),
        ag_field_text("topic", in->topic),
        ag_field_text("system", in->system),
        ag_field_int("hours_tenths", in->hours_tenths),
        ag_field_int("competition", in->competition ? 1 : 0),
        ag_field_text("created_by", store_actor(st)),
        ag_field_text("created_at", ts),
    };
    return store_insert(st, "training_session", "id", f, sizeof f / sizeof f[0], id, err);
}

ag_err training_attend(ag_store *st, int64_t session_id, int64_t person_id, int64_t score_tenths,
                       ag_error *err)
{
    int64_t competition = -1, person = 0, have = 0;
    ag_err rc = wf_query_int(st, &competition, err,
                             "SELECT COALESCE(MAX(competition), -1) FROM training_session"
                             " WHERE id = ?",
                             "i", session_id);
    if (!rc && competition < 0)
        return ag_fail(err, AG_ERR_NOTFOUND, "session", "培训场次 #%lld 不存在",
                       "training session #%lld does not exist", (long long)session_id);
    if (!rc)
        rc = wf_query_int(st, &person, err, "SELECT COUNT(*) FROM person WHERE id = ?", "i",
                          person_id);
    if (!rc && !person)
        return ag_fail(err, AG_ERR_NOTFOUND, "person", "人员 #%lld 不存在",
                       "person #%lld does not exist", (long long)person_id);
    if (!rc && score_tenths >= 0 && !competition)
        return ag_fail(err, AG_ERR_INPUT, "score", "只有岗位练兵技术比武才记录成绩",
                       "only a skills competition records scores");
    if (!rc && score_tenths > 1000)
        return ag_fail(err, AG_ERR_INPUT, "score", "成绩应在 0 到 100 之间",
                       "a score must be between 0 and 100");
    if (!rc)
        rc = wf_query_int(st, &have, err,
                          "SELECT COALESCE(MAX(id), 0) FROM training_attendance"
                          " WHERE session_id = ? AND person_id = ?",
                          "ii", session_id, person_id);
    if (rc)
        return rc;
    ag_field score = score_tenths >= 0 ? ag_field_int("score_tenths", score_tenths)
                                       : ag_field_null("score_tenths");
    if (have)
        return store_update(st, "training_attendance", "id", ag_field_int("id", have), &score, 1,
                            err);
    const ag_field f[] = {ag_field_int("session_id", session_id),
                          ag_field_int("person_id", person_id), score};
    return store_insert(st, "training_attendance", "id", f, 3, NULL, err);
}

ag_err training_person_hours(ag_store *st, int64_t person_id, int year, int64_t *tenths,
                             ag_error *err)
{
    int64_t person = 0;
    *tenths = 0;
    ag_err rc =
        wf_query_int(st, &person, err, "SELECT COUNT(*) FROM person WHERE id = ?", "i", person_id);
    if (!rc && !person)
        return ag_fail(err, AG_ERR_NOTFOUND, "person", "人员 #%lld 不存在",
                       "person #%lld does not exist", (long long)person_id);
    char from[16], to[16];
    snprintf(from, sizeof from, "%04d-01-01", year);
    snprintf(to, sizeof to, "%04d-12-31", year);
    if (!rc)
        rc = wf_query_int(st, tenths, err,
                          "SELECT COALESCE(SUM(s.hours_tenths), 0) FROM training_attendance a"
                          " JOIN training_session s ON s.id = a.session_id"
                          " WHERE a.person_id = ? AND s.held_on >= ? AND s.held_on <= ?",
                          "itt", person_id, from, to);
    return rc;
}

/* The year's bounds as text for a held_on range; year 0 covers every date. */
static void year_bounds(int year, char from[16], char to[16])
{
    snprintf(from, 16, "%04d-01-01", year ? year : 1);
    snprintf(to, 16, "%04d-12-31", year ? year : 9999);
}

static json_t *tenths_json(ag_stmt *s, int col)
{
    if (store_col_is_null(s, col))
        return json_null();
    char buf[24];
    training_tenths_format(store_col_int(s, col), buf);
    return json_string(buf);
}

static json_t *text_json(ag_stmt *s, int col)
{
    const char *v = store_col_text(s, col);
    return v ? json_string(v) : json_null();
}

static json_t *session_row(ag_stmt *s)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:o, s:b, s:I, s:[]}", "id",
                     (json_int_t)store_col_int(s, 0), "held_on", store_col_text(s, 1), "topic",
                     store_col_text(s, 2), "system", store_col_text(s, 3), "hours",
                     tenths_json(s, 4), "competition", (int)store_col_int(s, 5), "attendees",
                     (json_int_t)store_col_int(s, 6), "attendance");
}

/* The attendance of the listed sessions, appended to each session by id. */
static ag_err attach_attendance(ag_store *st, const ag_scope *scope, json_t *sessions,
                                const char *from, const char *to, ag_error *err)
{
    ag_stmt *s = NULL;
    ag_err rc = scope_prepare(st, scope, "p.unit_code",
                              "SELECT a.session_id, a.person_id, p.name, p.unit_code, u.name,"
                              " a.score_tenths FROM training_attendance a"
                              " JOIN training_session ts ON ts.id = a.session_id"
                              " JOIN person p ON p.id = a.person_id"
                              " LEFT JOIN unit u ON u.code = p.unit_code"
                              " WHERE ts.held_on >= ? AND ts.held_on <= ? AND ",
                              " ORDER BY a.session_id, a.score_tenths DESC, p.id", &s, NULL, err,
                              "tt", from, to);
    bool row = false;
    size_t i = 0, n = json_array_size(sessions);
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        int64_t sid = store_col_int(s, 0);
        json_t *sess = NULL;
        for (size_t k = 0; k < n && !sess; k++, i = (i + 1) % n)
            if (json_integer_value(json_object_get(json_array_get(sessions, i), "id")) == sid)
                sess = json_array_get(sessions, i);
        if (!sess)
            continue;
        json_array_append_new(json_object_get(sess, "attendance"),
                              json_pack("{s:I, s:o, s:o, s:o, s:o}", "person_id",
                                        (json_int_t)store_col_int(s, 1), "name", text_json(s, 2),
                                        "unit", text_json(s, 3), "unit_name", text_json(s, 4),
                                        "score", tenths_json(s, 5)));
    }
    store_finalize(s);
    return rc;
}

ag_err training_session_list(ag_store *st, const ag_scope *scope, int year, json_t **out,
                             ag_error *err)
{
    char from[16], to[16];
    year_bounds(year, from, to);
    ag_stmt *s = NULL;
    ag_err rc = wf_prep(st, &s, err,
                        "SELECT s.id, s.held_on, s.topic, s.system, s.hours_tenths, s.competition,"
                        " (SELECT COUNT(*) FROM training_attendance a WHERE a.session_id = s.id)"
                        " FROM training_session s WHERE s.held_on >= ? AND s.held_on <= ?"
                        " ORDER BY s.held_on DESC, s.id DESC",
                        "tt", from, to);
    rc = wf_rows(s, rc, session_row, out, err);
    if (!rc)
        rc = attach_attendance(st, scope, *out, from, to, err);
    if (rc) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

static json_t *hours_row(ag_stmt *s)
{
    return json_pack("{s:I, s:o, s:o, s:o, s:o, s:I}", "person_id", (json_int_t)store_col_int(s, 0),
                     "name", text_json(s, 1), "unit", text_json(s, 2), "unit_name", text_json(s, 3),
                     "hours", tenths_json(s, 4), "sessions", (json_int_t)store_col_int(s, 5));
}

ag_err training_hours_list(ag_store *st, const ag_scope *scope, int year, json_t **out,
                           ag_error *err)
{
    char from[16], to[16];
    year_bounds(year, from, to);
    ag_stmt *s = NULL;
    ag_err rc = scope_prepare(
        st, scope, "p.unit_code",
        "SELECT p.id, p.name, p.unit_code, u.name,"
        " COALESCE(SUM(ts.hours_tenths), 0), COUNT(ts.id) FROM person p"
        " LEFT JOIN unit u ON u.code = p.unit_code"
        " LEFT JOIN training_attendance a ON a.person_id = p.id"
        " LEFT JOIN training_session ts ON ts.id = a.session_id AND ts.held_on >= ?"
        " AND ts.held_on <= ?"
        " WHERE p.disabled = 0 AND p.id IN (SELECT person_id FROM unit_subject WHERE role IN"
        " ('auditor', 'chief_auditor')) AND ",
        " GROUP BY p.id, p.name, p.unit_code, u.name"
        " ORDER BY COALESCE(SUM(ts.hours_tenths), 0) DESC, p.id",
        &s, NULL, err, "tt", from, to);
    return wf_rows(s, rc, hours_row, out, err);
}
