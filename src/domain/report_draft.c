/* report_draft.c - the first draft of each of the four reports (issue 16): the content document
 * ("auditgrid-report/1") with every section of report_sections() filled from the store — the
 * unit's facts, projects, findings with their evidence, rectification items and their events,
 * warnings, the grade, the internal-audit set-up, training and the risk ranking. Texts carry
 * their figures; amounts have thousands separators; dates are Beijing days. */
#include "domain/report_draft.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/rating.h"
#include "domain/rectify.h"
#include "domain/report.h"
#include "domain/rowjson.h"
#include "domain/wf_query.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/date.h"
#include "util/money.h"
#include "util/banned.h"

/* What every section reads: the unit (and project) and the figures gathered once. */
typedef struct draft_ctx {
    ag_store *st;
    const char *kind;
    int year;
    char today[11], ys[32], ye[32];
    char unit[64], uname[256], utype[32], parent[256], leader[128], district[128];
    int64_t pid, pversion;
    char pcode[64], pname[256], pkind[32], pfrom[16], pto[16], pstage[16];
    json_t *unit_row, *project, *findings, *auditors, *rank;
} draft_ctx;

typedef ag_err (*fill_fn)(draft_ctx *c, json_t *blocks, ag_error *err);

/* ---- small helpers ---------------------------------------------------------------------- */

static const char *js(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static int64_t ji(const json_t *o, const char *k)
{
    return (int64_t)json_integer_value(json_object_get(o, k));
}

static json_t *vtext(const char *fmt, va_list ap)
{
    ag_buf b;
    ag_buf_init(&b, REPORT_TEXT_MAX - 1);
    json_t *s = ag_buf_vprintf(&b, fmt, ap) ? json_string("") : json_string(ag_buf_str(&b));
    ag_buf_release(&b);
    return s ? s : json_string("");
}

static json_t *text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static json_t *text(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    json_t *s = vtext(fmt, ap);
    va_end(ap);
    return s;
}

static void para(json_t *blocks, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void para(json_t *blocks, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    json_array_append_new(blocks, json_pack("{s:s,s:o}", "type", "p", "text", vtext(fmt, ap)));
    va_end(ap);
}

/* The length of s without a closing full stop (。 or .), for text that goes on after it. */
static int unstop(const char *s)
{
    size_t n = strlen(s);
    if (n >= 3 && !strcmp(s + n - 3, "。"))
        n -= 3;
    else if (n >= 1 && s[n - 1] == '.')
        n--;
    return (int)n;
}

static void money(int64_t fen, char out[32])
{
    ag_money_format_grouped(fen, out);
}

/* The Beijing day of an ISO-8601 UTC time into out ("" when it is not one). */
static void bj_day(const char *iso, char out[11])
{
    int32_t d = 0;
    out[0] = '\0';
    if (!iso || strlen(iso) < 10 || !ag_date_parse(iso, 10, &d))
        return;
    if (strlen(iso) >= 13 && (iso[11] - '0') * 10 + (iso[12] - '0') >= 16)
        d++;
    ag_date_format(d, out);
}

/* "2026-03-05" → "2026年3月5日" (the text as it is when it is no date). */
static void cn_date(const char *ymd, char out[32])
{
    int y = 0, m = 0, d = 0;
    if (ymd && sscanf(ymd, "%4d-%2d-%2d", &y, &m, &d) == 3)
        snprintf(out, 32, "%d年%d月%d日", y, m, d);
    else
        snprintf(out, 32, "%s", ymd ? ymd : "");
}

static void pct(int64_t num, int64_t den, char out[16])
{
    if (den <= 0)
        snprintf(out, 16, "—");
    else
        snprintf(out, 16, "%.1f%%", 100.0 * (double)num / (double)den);
}

/* Rows of sql (arguments as wf_prep) as objects named by names/types (rowjson). */
static ag_err rows(ag_store *st, json_t **out, const char *const *names, const char *types,
                   ag_error *err, const char *sql, const char *argt, ...)
{
    ag_stmt *s = NULL;
    bool row = false;
    va_list ap;
    va_start(ap, argt);
    ag_err rc = wf_vprep(st, &s, err, sql, argt, ap);
    va_end(ap);
    *out = json_array();
    while (!rc && !(rc = store_step(s, &row, err)) && row)
        json_array_append_new(*out, rowjson(s, names, types));
    store_finalize(s);
    if (rc) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

/* Joins member k of each object of arr with sep ("" for an empty array). */
static json_t *join(const json_t *arr, const char *k, const char *sep)
{
    ag_buf b;
    ag_buf_init(&b, REPORT_TEXT_MAX - 1);
    for (size_t i = 0; i < json_array_size(arr); i++) {
        if (i)
            ag_buf_adds(&b, sep);
        ag_buf_adds(&b, js(json_array_get(arr, i), k));
    }
    json_t *s = json_string(ag_buf_str(&b) ? ag_buf_str(&b) : "");
    ag_buf_release(&b);
    return s;
}

static json_t *field(const char *key, const char *label, json_t *txt)
{
    return json_pack("{s:s,s:s,s:o}", "key", key, "label", label, "text", txt);
}

static json_t *item(const char *ref_kind, int64_t id, const char *code, const char *title)
{
    json_t *ref =
        json_pack("{s:s,s:o,s:o}", "kind", ref_kind, "id", id ? json_integer(id) : json_null(),
                  "code", code && *code ? json_string(code) : json_null());
    return json_pack("{s:s,s:o,s:s,s:[]}", "type", "item", "ref", ref, "title", title, "fields");
}

static void add_field(json_t *it, const char *key, const char *label, json_t *txt)
{
    json_array_append_new(json_object_get(it, "fields"), field(key, label, txt));
}

static json_t *table(const char *caption, const char *const *cols, int ncols)
{
    json_t *c = json_array();
    for (int i = 0; i < ncols; i++)
        json_array_append_new(c, json_string(cols[i]));
    return json_pack("{s:s,s:o,s:o,s:[]}", "type", "table", "caption",
                     caption ? json_string(caption) : json_null(), "columns", c, "rows");
}

/* ---- the facts -------------------------------------------------------------------------- */

static const char *const UNIT_N[] = {"code", "name", "type", "parent_name", "leader"};

static ag_err load_unit(draft_ctx *c, const char *code, ag_error *err)
{
    json_t *r = NULL;
    ag_err rc = rows(c->st, &r, UNIT_N, "ttttt", err,
                     "SELECT u.code, u.name, u.type, p.name, (SELECT pe.name FROM unit_subject s"
                     " JOIN person pe ON pe.id = s.person_id WHERE s.unit_code = u.code"
                     " AND s.role = 'principal' ORDER BY s.id DESC LIMIT 1) FROM unit u"
                     " LEFT JOIN unit p ON p.code = u.parent_code WHERE u.code = ?",
                     "t", code);
    if (!rc && !json_array_size(r))
        rc = ag_fail(err, AG_ERR_NOTFOUND, "unit_code", "单位不存在：%s", "no such unit: %s",
                     code ? code : "");
    if (!rc) {
        json_t *u = json_array_get(r, 0);
        snprintf(c->unit, sizeof c->unit, "%s", js(u, "code"));
        snprintf(c->uname, sizeof c->uname, "%s", js(u, "name"));
        snprintf(c->utype, sizeof c->utype, "%s", js(u, "type"));
        snprintf(c->parent, sizeof c->parent, "%s", js(u, "parent_name"));
        snprintf(c->leader, sizeof c->leader, "%s", js(u, "leader"));
        c->unit_row = json_incref(u);
    }
    json_decref(r);
    json_t *d = NULL;
    static const char *const DN[] = {"name"};
    if (!rc)
        rc = rows(c->st, &d, DN, "t", err, "SELECT name FROM district LIMIT 1", "");
    if (!rc)
        snprintf(c->district, sizeof c->district, "%s", js(json_array_get(d, 0), "name"));
    json_decref(d);
    return rc;
}

static const char *const PROJ_N[] = {"code", "name",  "kind",       "unit_code",      "from",
                                     "to",   "stage", "created_at", "catalog_version"};

static ag_err load_project(draft_ctx *c, int64_t pid, ag_error *err)
{
    json_t *r = NULL;
    ag_err rc = rows(c->st, &r, PROJ_N, "tttttttti", err,
                     "SELECT code, name, kind, unit_code, period_from, period_to, stage,"
                     " created_at, catalog_version FROM audit_project WHERE id = ?",
                     "i", pid);
    if (!rc && !json_array_size(r))
        rc = ag_fail(err, AG_ERR_NOTFOUND, "project_id", "审计项目不存在：%lld",
                     "no such audit project: %lld", (long long)pid);
    if (rc) {
        json_decref(r);
        return rc;
    }
    json_t *p = json_array_get(r, 0);
    char day[11];
    c->pid = pid;
    c->pversion = ji(p, "catalog_version");
    snprintf(c->pcode, sizeof c->pcode, "%s", js(p, "code"));
    snprintf(c->pname, sizeof c->pname, "%s", js(p, "name"));
    snprintf(c->pkind, sizeof c->pkind, "%s", js(p, "kind"));
    snprintf(c->pfrom, sizeof c->pfrom, "%s", js(p, "from"));
    snprintf(c->pto, sizeof c->pto, "%s", js(p, "to"));
    snprintf(c->pstage, sizeof c->pstage, "%s", js(p, "stage"));
    bj_day(js(p, "created_at"), day);
    c->year = (int)strtol(day, NULL, 10);
    c->project = json_incref(p);
    json_decref(r);
    return load_unit(c, js(c->project, "unit_code"), err);
}

#define FINDING_COLS                                                                               \
    "SELECT f.id, f.seq, f.item, ci.name_zh, f.title, f.description, f.amount, f.basis,"           \
    " f.severity, f.recommendation, f.repeat_of, r.id, r.state, r.deadline, r.measures, r.result," \
    " r.class, p.code FROM finding f JOIN audit_project p ON p.id = f.project_id"                  \
    " LEFT JOIN catalog_item ci ON ci.version = f.catalog_version AND ci.code = f.item"            \
    " LEFT JOIN rectification r ON r.finding_id = f.id"
#define YEAR_PROJECTS                                                                              \
    " p.unit_code = ? AND p.standing IS NULL AND p.created_at >= ? AND p.created_at < ?"

static const char *const FIND_N[] = {
    "id",         "seq",      "item",     "item_name",      "title",      "description",
    "amount",     "basis",    "severity", "recommendation", "repeat_of",  "rect_id",
    "rect_state", "deadline", "measures", "result",         "rect_class", "project_code"};
#define FIND_T "iittttitttnntttttt"

static ag_err load_findings(draft_ctx *c, ag_error *err)
{
    if (c->pid)
        return rows(c->st, &c->findings, FIND_N, FIND_T, err,
                    FINDING_COLS " WHERE f.project_id = ? ORDER BY f.seq", "i", c->pid);
    return rows(c->st, &c->findings, FIND_N, FIND_T, err,
                FINDING_COLS " WHERE" YEAR_PROJECTS " ORDER BY p.code, f.seq", "ttt", c->unit,
                c->ys, c->ye);
}

static const char *const AUD_N[] = {"name", "role"};

static ag_err load_auditors(draft_ctx *c, ag_error *err)
{
    return rows(c->st, &c->auditors, AUD_N, "tt", err,
                "SELECT p.name, MAX(s.role) FROM unit_subject s JOIN person p ON p.id = s.person_id"
                " WHERE s.unit_code = ? AND p.disabled = 0 AND s.role IN ('auditor',"
                " 'chief_auditor') GROUP BY p.id ORDER BY MAX(s.role = 'chief_auditor') DESC, p.id",
                "t", c->unit);
}

/* Figures over the findings loaded. */
typedef struct fig {
    int64_t n, amount, high, medium, low, repeat;
    int64_t rect, closed, continuous, claimed, open, overdue, closed_amount;
} fig;

static bool overdue(const json_t *f, const char *today)
{
    const char *st = js(f, "rect_state");
    return (!strcmp(st, "open") || !strcmp(st, "in_progress")) && *js(f, "deadline") &&
           strcmp(js(f, "deadline"), today) < 0;
}

static fig figures(const draft_ctx *c)
{
    fig g = {0};
    for (size_t i = 0; i < json_array_size(c->findings); i++) {
        json_t *f = json_array_get(c->findings, i);
        const char *sev = js(f, "severity"), *st = js(f, "rect_state");
        g.n++;
        g.amount += ji(f, "amount");
        g.high += !strcmp(sev, "high");
        g.medium += !strcmp(sev, "medium");
        g.low += !strcmp(sev, "low");
        g.repeat += json_is_integer(json_object_get(f, "repeat_of"));
        if (!json_is_integer(json_object_get(f, "rect_id")))
            continue;
        g.rect++;
        g.closed += !strcmp(st, "closed");
        g.continuous += !strcmp(st, "continuous");
        g.claimed += !strcmp(st, "claimed");
        g.open += !strcmp(st, "open") || !strcmp(st, "in_progress");
        g.overdue += overdue(f, c->today);
        if (!strcmp(st, "closed"))
            g.closed_amount += ji(f, "amount");
    }
    return g;
}

/* The names of a project's catalog items ("A、B"), in catalog order. */
static ag_err project_items(draft_ctx *c, json_t **out, ag_error *err)
{
    static const char *const N[] = {"name"};
    json_t *r = NULL;
    ag_err rc = rows(c->st, &r, N, "t", err,
                     "SELECT ci.name_zh FROM catalog_item ci WHERE ci.version = ?"
                     " AND (SELECT items FROM audit_project WHERE id = ?) LIKE"
                     " '%\"' || ci.code || '\"%' ORDER BY ci.sort_order",
                     "ii", c->pversion, c->pid);
    *out = rc ? NULL : join(r, "name", "、");
    json_decref(r);
    return rc;
}

/* ---- plan ------------------------------------------------------------------------------- */

static ag_err ensure_rank(draft_ctx *c, ag_error *err)
{
    return c->rank ? AG_OK : report_risk_rank(c->st, c->unit, c->year, NULL, &c->rank, err);
}

static int capacity(const draft_ctx *c)
{
    int n = (int)json_array_size(c->auditors) / 2,
        e = (int)json_array_size(json_object_get(c->rank, "entries"));
    n = n < 1 ? 1 : n > 6 ? 6 : n;
    return n < e ? n : e;
}

/* The unit's rectification items not yet done (all years) and those of them overdue. */
static ag_err open_items(draft_ctx *c, int64_t *open, int64_t *over, ag_error *err)
{
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = wf_prep(c->st, &s, err,
                        "SELECT COUNT(*), COALESCE(SUM(deadline < ? AND state IN ('open',"
                        " 'in_progress')), 0) FROM rectification WHERE unit_code = ?"
                        " AND state NOT IN ('closed', 'continuous')",
                        "tt", c->today, c->unit);
    if (!rc)
        rc = store_step(s, &row, err);
    *open = !rc && row ? store_col_int(s, 0) : 0;
    *over = !rc && row ? store_col_int(s, 1) : 0;
    store_finalize(s);
    return rc;
}

/* The number of the unit's projects of the year that [ys, ye) bound. */
static ag_err year_projects(draft_ctx *c, const char *ys, const char *ye, int64_t *n, ag_error *err)
{
    return wf_query_int(c->st, n, err, "SELECT COUNT(*) FROM audit_project p WHERE" YEAR_PROJECTS,
                        "ttt", c->unit, ys, ye);
}

/* Figures of the unit's previous year, for the plan's basis. */
static ag_err last_year(draft_ctx *c, fig *g, int64_t *projects, ag_error *err)
{
    draft_ctx prev = *c;
    prev.pid = 0;
    snprintf(prev.ys, sizeof prev.ys, "%04d-12-31T16:00:00Z", c->year - 2);
    snprintf(prev.ye, sizeof prev.ye, "%04d-12-31T16:00:00Z", c->year - 1);
    ag_err rc = load_findings(&prev, err);
    if (!rc)
        *g = figures(&prev);
    json_decref(prev.findings);
    return rc ? rc : year_projects(c, prev.ys, prev.ye, projects, err);
}

static ag_err plan_basis(draft_ctx *c, json_t *b, ag_error *err)
{
    fig g;
    int64_t np = 0, open = 0, over = 0;
    char m[32], grade[4] = "";
    ag_err rc = ensure_rank(c, err);
    if (!rc)
        rc = last_year(c, &g, &np, err);
    if (!rc)
        rc = open_items(c, &open, &over, err);
    if (!rc)
        rc = rating_latest_grade(c->st, c->unit, grade, err);
    if (rc)
        return rc;
    money(g.amount, m);
    para(
        b,
        "根据《中华人民共和国审计法》《审计署关于内部审计工作的规定》（审计署令第11号）和%s内部审计"
        "工作的有关要求，结合本单位%d年度内部审计工作情况和风险评估结果，编制%s%"
        "d年度内部审计计划。",
        *c->district ? c->district : "本区", c->year - 1, c->uname, c->year);
    para(b,
         "%d年本单位共实施内部审计项目 %lld 个，发现问题 %lld 个，涉及金额 %s 元；目前尚有 %lld "
         "项问题未完成整改（其中逾期 %lld 项）；最近一次内控评级：%s。",
         c->year - 1, (long long)np, (long long)g.n, m, (long long)open, (long long)over,
         rating_grade_zh(*grade ? grade : NULL));
    para(b,
         "总体目标：坚持以风险为导向，围绕资金安全和重点领域，%d年计划实施内部审计项目 %d 个，"
         "对风险评估排名靠前的%s实现审计全覆盖，推动问题整改落实，提升内部控制水平。",
         c->year, capacity(c), !strcmp(js(c->rank, "basis"), "units") ? "所属单位" : "审计领域");
    return AG_OK;
}

static const char *const RISK_COLS[] = {"排名",       "名称",       "风险得分",
                                        "未处理预警", "未整改问题", "屡审屡犯",
                                        "内控评级",   "审计间隔",   "资金规模"};

static ag_err plan_risk(draft_ctx *c, json_t *b, ag_error *err)
{
    ag_err rc = ensure_rank(c, err);
    if (rc)
        return rc;
    json_t *factors = json_object_get(c->rank, "factors"),
           *entries = json_object_get(c->rank, "entries");
    bool units = !strcmp(js(c->rank, "basis"), "units");
    ag_buf w;
    ag_buf_init(&w, 4096);
    for (size_t i = 0; i < json_array_size(factors); i++) {
        json_t *f = json_array_get(factors, i);
        ag_buf_printf(&w, "%s%s %lld", i ? "、" : "", js(f, "name_zh"), (long long)ji(f, "weight"));
    }
    para(b,
         "本计划按未处理预警、未整改及逾期问题、屡审屡犯、内控评级、距上次审计年数、资金规模六项因"
         "素对"
         "%s的 %zu 个%s进行风险评估。各因素取值按参评对象中的最大值归一（0–1），乘以权重得分，"
         "风险得分 = 各因素得分之和 ÷ 权重之和 × 100。权重：%s。",
         c->uname, json_array_size(entries), units ? "单位（本单位及所属单位）" : "审计领域",
         ag_buf_str(&w) ? ag_buf_str(&w) : "");
    ag_buf_release(&w);
    json_t *t = table("风险评估排序表", RISK_COLS, 9);
    json_t *trows = json_object_get(t, "rows");
    for (size_t i = 0; i < json_array_size(entries); i++) {
        json_t *e = json_array_get(entries, i), *fx = json_object_get(e, "factors");
        json_t *r = json_pack("[o,s,o]", text("%lld", (long long)ji(e, "rank")), js(e, "name"),
                              text("%.2f", json_number_value(json_object_get(e, "score"))));
        for (size_t k = 0; k < json_array_size(factors); k++) {
            json_t *pts = json_object_get(
                json_object_get(fx, js(json_array_get(factors, k), "code")), "points");
            json_array_append_new(r, json_is_number(pts) ? text("%.2f", json_number_value(pts))
                                                         : json_string("—"));
        }
        json_array_append_new(trows, r);
    }
    json_array_append_new(b, t);
    json_t *top = json_array_get(entries, 0);
    if (top)
        para(b, "风险最高的是%s：%s。", js(top, "name"), js(top, "reason_zh"));
    return AG_OK;
}

/* The riskiest items of a unit (open warnings and unrectified findings), else the 13
 * fund-safety items; an area entry is its own scope. */
static ag_err entry_scope(draft_ctx *c, const json_t *e, bool units, json_t **out, ag_error *err)
{
    static const char *const N[] = {"name"};
    json_t *r = NULL;
    ag_err rc = AG_OK;
    if (!units) {
        *out = text("审计内容：%s（%s）相关业务及其内部控制", js(e, "name"), js(e, "code"));
        return AG_OK;
    }
    rc = rows(c->st, &r, N, "t", err,
              "SELECT ci.name_zh FROM catalog_item ci WHERE ci.version = (SELECT MAX(version)"
              " FROM catalog_version) AND ((SELECT COUNT(*) FROM warning w WHERE w.unit_code = ?"
              " AND w.item = ci.code AND w.status = 'open') + (SELECT COUNT(*) FROM rectification"
              " x JOIN finding f ON f.id = x.finding_id WHERE x.unit_code = ? AND f.item = ci.code"
              " AND x.state NOT IN ('closed', 'continuous'))) > 0 ORDER BY ((SELECT COUNT(*)"
              " FROM warning w WHERE w.unit_code = ? AND w.item = ci.code AND w.status = 'open')"
              " + (SELECT COUNT(*) FROM rectification x JOIN finding f ON f.id = x.finding_id"
              " WHERE x.unit_code = ? AND f.item = ci.code AND x.state NOT IN ('closed',"
              " 'continuous'))) DESC, ci.sort_order LIMIT 5",
              "tttt", js(e, "code"), js(e, "code"), js(e, "code"), js(e, "code"));
    if (!rc && !json_array_size(r)) {
        json_decref(r);
        rc = rows(c->st, &r, N, "t", err,
                  "SELECT name_zh FROM catalog_item WHERE version = (SELECT MAX(version) FROM"
                  " catalog_version) AND kind = 'fund' ORDER BY sort_order",
                  "");
    }
    if (!rc) {
        json_t *names = join(r, "name", "、");
        *out = text("审计对象：%s；审计期间：%d年1月1日至%d年12月31日；审计内容：%s", js(e, "name"),
                    c->year - 1, c->year - 1, json_string_value(names));
        json_decref(names);
    }
    json_decref(r);
    return rc;
}

static json_t *entry_timing(int rank, int cap)
{
    static const char *const Q[] = {"第一季度（1月至3月）", "第二季度（4月至6月）",
                                    "第三季度（7月至9月）", "第四季度（10月至12月）"};
    int q = (rank - 1) * 4 / (cap > 0 ? cap : 1);
    return text("%s实施", Q[q > 3 ? 3 : q]);
}

/* Two auditors per project, taken in turn from the unit's internal auditors. */
static json_t *entry_resources(const draft_ctx *c, int rank)
{
    size_t n = json_array_size(c->auditors);
    if (!n)
        return json_string(
            "本单位暂无登记的内审人员，由内部审计机构统筹安排，必要时聘请中介机构协助");
    size_t a = (size_t)(2 * (rank - 1)) % n, b = (a + 1) % n;
    const char *na = js(json_array_get(c->auditors, a), "name");
    if (n == 1)
        return text("审计组：%s（组长），共 1 人", na);
    return text("审计组：%s（组长）、%s，共 2 人", na, js(json_array_get(c->auditors, b), "name"));
}

static ag_err plan_projects(draft_ctx *c, json_t *b, ag_error *err)
{
    ag_err rc = ensure_rank(c, err);
    json_t *entries = json_object_get(c->rank, "entries");
    bool units = !strcmp(js(c->rank, "basis"), "units");
    int cap = rc ? 0 : capacity(c);
    for (int i = 0; !rc && i < cap; i++) {
        json_t *e = json_array_get(entries, (size_t)i), *scope = NULL;
        rc = entry_scope(c, e, units, &scope, err);
        if (rc)
            break;
        char title[400];
        snprintf(title, sizeof title, units ? "%s财务收支及内部控制审计" : "%s专项审计",
                 js(e, "name"));
        json_t *it = item(units ? "unit" : "area", 0, js(e, "code"), title);
        add_field(it, "scope", "审计范围", scope);
        add_field(it, "timing", "时间安排", entry_timing(i + 1, cap));
        add_field(it, "resources", "资源配置", entry_resources(c, i + 1));
        add_field(it, "reason", "列入理由", json_string(js(e, "reason_zh")));
        json_array_append_new(b, it);
    }
    return rc;
}

static ag_err plan_resources(draft_ctx *c, json_t *b, ag_error *err)
{
    static const char *const N[] = {"body", "independent", "supervisor"};
    json_t *r = NULL, *names = join(c->auditors, "name", "、");
    int64_t tenths = 0;
    char y[16];
    snprintf(y, sizeof y, "%d-%%", c->year - 1);
    ag_err rc = rows(c->st, &r, N, "tit", err,
                     "SELECT i.body_name, i.independent, p.name FROM ia_body i LEFT JOIN person p"
                     " ON p.id = i.supervisor_person_id WHERE i.unit_code = ?",
                     "t", c->unit);
    if (!rc)
        rc = wf_query_int(c->st, &tenths, err,
                          "SELECT COALESCE(SUM(t.hours_tenths), 0) FROM training_attendance a"
                          " JOIN training_session t ON t.id = a.session_id WHERE t.held_on LIKE ?"
                          " AND a.person_id IN (SELECT person_id FROM unit_subject WHERE"
                          " unit_code = ? AND role IN ('auditor', 'chief_auditor'))",
                          "tt", y, c->unit);
    if (!rc) {
        json_t *ia = json_array_get(r, 0);
        size_t n = json_array_size(c->auditors);
        para(b, "本单位现有内部审计人员 %zu 人%s%s。", n, n ? "：" : "", json_string_value(names));
        if (ia)
            para(b, "内部审计机构：%s（%s）；分管内部审计工作的单位领导：%s。",
                 *js(ia, "body") ? js(ia, "body") : "已登记",
                 ji(ia, "independent") ? "独立设置" : "非独立设置",
                 *js(ia, "supervisor") ? js(ia, "supervisor") : "尚未明确");
        else
            para(b, "本单位尚未登记内部审计机构，应于年内明确内审机构或内审工作组。");
        para(b,
             "%d年内审人员参加业务培训共 %lld.%lld 学时。按每个项目配备 2 名审计人员测算，本年度"
             "安排审计项目 %d 个；人员不足时可聘请中介机构或申请交叉互审协助。",
             c->year - 1, (long long)(tenths / 10), (long long)(tenths % 10), capacity(c));
    }
    json_decref(names);
    json_decref(r);
    return rc;
}

static ag_err plan_measures(draft_ctx *c, json_t *b, ag_error *err)
{
    int64_t open = 0, over = 0;
    ag_err rc = open_items(c, &open, &over, err);
    if (rc)
        return rc;
    para(b,
         "加强组织领导：单位主要负责人%s对内部审计工作负总责，定期听取内部审计工作汇报，"
         "及时研究解决审计工作中的重大问题。",
         *c->leader ? c->leader : "");
    para(b,
         "强化整改落实：对尚未完成整改的 %lld 项问题（其中逾期 %lld 项）逐项跟踪，"
         "明确责任人和整改期限，整改结果纳入年度考核。",
         (long long)open, (long long)over);
    para(b, "提升队伍能力：组织内审人员参加业务培训，运用大数据预警开展日常监督，"
            "计划执行情况按季度报送上级主管部门和区审计局。");
    return AG_OK;
}

/* ---- audit ------------------------------------------------------------------------------ */

static ag_err funds_text(draft_ctx *c, json_t **out, ag_error *err)
{
    int64_t fy = 0, fen = 0;
    ag_err rc = wf_query_int(c->st, &fy, err,
                             "SELECT MAX(fiscal_year) FROM ledger_book WHERE unit_code = ?"
                             " AND fiscal_year BETWEEN 1 AND ?",
                             "ti", c->unit, (int64_t)c->year);
    if (!rc && fy)
        rc = wf_query_int(c->st, &fen, err,
                          "SELECT COALESCE(SUM(l.debit), 0) FROM ledger_line l JOIN ledger_book b"
                          " ON b.id = l.book_id WHERE b.unit_code = ? AND b.fiscal_year = ?",
                          "ti", c->unit, fy);
    char m[32];
    money(fen, m);
    *out = rc   ? NULL
           : fy ? text("%lld年度账套借方发生额 %s 元", (long long)fy, m)
                : json_string("尚未导入账套数据");
    return rc;
}

static ag_err audit_basics(draft_ctx *c, json_t *b, ag_error *err)
{
    json_t *funds = NULL;
    ag_err rc = funds_text(c, &funds, err);
    if (rc)
        return rc;
    json_t *it = item("unit", 0, c->unit, c->uname);
    add_field(it, "name", "单位名称", json_string(c->uname));
    add_field(it, "code", "统一社会信用代码", json_string(c->unit));
    add_field(it, "kind", "单位类型", json_string(c->utype));
    add_field(it, "leader", "单位负责人", json_string(c->leader));
    add_field(it, "parent", "上级单位", json_string(*c->parent ? c->parent : "无"));
    add_field(it, "funds", "资金规模", funds);
    json_array_append_new(b, it);
    return AG_OK;
}

static ag_err audit_scope(draft_ctx *c, json_t *b, ag_error *err)
{
    static const char *const TN[] = {"name", "role", "from"};
    static const char *const RN[] = {"title", "doc_no", "at"};
    json_t *items = NULL, *team = NULL, *recs = NULL;
    ag_err rc = project_items(c, &items, err);
    if (!rc)
        rc = rows(c->st, &team, TN, "ttt", err,
                  "SELECT p.name || CASE t.role WHEN 'lead' THEN '（组长）' ELSE '' END, t.role,"
                  " u.name FROM audit_team t JOIN person p ON p.id = t.person_id LEFT JOIN unit u"
                  " ON u.code = t.from_unit WHERE t.project_id = ? ORDER BY t.role = 'lead' DESC,"
                  " t.id",
                  "i", c->pid);
    if (!rc)
        rc = rows(c->st, &recs, RN, "ttt", err,
                  "SELECT title, doc_no, created_at FROM audit_record WHERE project_id = ?"
                  " AND kind = 'notice' ORDER BY id",
                  "i", c->pid);
    if (!rc) {
        char f[32], t[32];
        json_t *names = join(team, "name", "、");
        cn_date(c->pfrom, f);
        cn_date(c->pto, t);
        para(b, "审计项目：%s（%s，%s）。审计期间：%s至%s。", c->pname, c->pcode,
             audit_kind_zh(c->pkind), f, t);
        para(b, "审计内容：%s。",
             *json_string_value(items) ? json_string_value(items) : "财务收支及内部控制");
        para(b, "审计组成员：%s。",
             *json_string_value(names) ? json_string_value(names) : "（未登记）");
        for (size_t i = 0; i < json_array_size(recs); i++) {
            json_t *r = json_array_get(recs, i);
            char d[11];
            bj_day(js(r, "at"), d);
            para(b, "%s 送达审计通知书《%s》%s%s。", d, js(r, "title"),
                 *js(r, "doc_no") ? "，文号 " : "", js(r, "doc_no"));
        }
        para(b, "审计依据：《中华人民共和国审计法》《审计署关于内部审计工作的规定》及国家有关财经"
                "法规和本单位内部控制制度。");
        json_decref(names);
    }
    json_decref(items);
    json_decref(team);
    json_decref(recs);
    return rc;
}

static ag_err audit_opinion(draft_ctx *c, json_t *b, ag_error *err)
{
    (void)err;
    fig g = figures(c);
    char m[32];
    money(g.amount, m);
    if (!g.n) {
        para(b, "审计未发现%s在审计范围内存在重大问题，财务收支总体真实、合法，内部控制总体有效。",
             c->uname);
        return AG_OK;
    }
    para(
        b,
        "审计发现问题 %lld 个，涉及金额 %s 元，其中高风险 %lld 个、中风险 %lld 个、低风险 %lld 个；"
        "屡审屡犯问题 %lld 个。",
        (long long)g.n, m, (long long)g.high, (long long)g.medium, (long long)g.low,
        (long long)g.repeat);
    json_t *areas = json_array();
    for (size_t i = 0; i < json_array_size(c->findings) && json_array_size(areas) < 3; i++) {
        const char *name = js(json_array_get(c->findings, i), "item_name");
        bool seen = false;
        for (size_t k = 0; k < json_array_size(areas); k++)
            seen |= !strcmp(name, js(json_array_get(areas, k), "n"));
        if (!seen && *name)
            json_array_append_new(areas, json_pack("{s:s}", "n", name));
    }
    json_t *names = join(areas, "n", "、");
    para(b, "审计认为，%s财务收支总体%s，但在%s等方面存在问题，内部控制有待进一步加强。", c->uname,
         g.high ? "基本规范" : "规范", json_string_value(names));
    json_decref(names);
    json_decref(areas);
    return AG_OK;
}

static const char *const EVN[] = {"kind", "ref", "note",  "date",   "vtype",   "vno",
                                  "line", "sum", "debit", "credit", "message", "file"};

static json_t *evidence_line(const json_t *e)
{
    const char *k = js(e, "kind");
    const char *note = js(e, "note");
    char d[32], cr[32];
    money(ji(e, "debit"), d);
    money(ji(e, "credit"), cr);
    json_t *t;
    if (!strcmp(k, "ledger_line"))
        t = text("凭证 %s %s-%s 第%lld行 %s（借方 %s 元，贷方 %s 元）", js(e, "date"),
                 js(e, "vtype"), js(e, "vno"), (long long)ji(e, "line"), js(e, "sum"), d, cr);
    else if (!strcmp(k, "warning"))
        t = text("预警 %lld：%s", (long long)ji(e, "ref"), js(e, "message"));
    else
        t = text("附件 %s", js(e, "file"));
    if (*note) {
        json_t *n = text("%s（%s）", json_string_value(t), note);
        json_decref(t);
        t = n;
    }
    return t;
}

static ag_err finding_evidence(draft_ctx *c, int64_t fid, json_t **out, ag_error *err)
{
    json_t *r = NULL;
    ag_err rc =
        rows(c->st, &r, EVN, "titttttttitt", err,
             "SELECT e.kind, e.ref_id, e.note, l.voucher_date, l.voucher_type, l.voucher_no,"
             " l.line_no, l.summary, l.debit, l.credit, w.message, a.filename"
             " FROM finding_evidence e LEFT JOIN ledger_line l ON e.kind = 'ledger_line'"
             " AND l.id = e.ref_id LEFT JOIN warning w ON e.kind = 'warning' AND w.id ="
             " e.ref_id LEFT JOIN attachment a ON e.kind = 'attachment' AND a.id ="
             " e.ref_id WHERE e.finding_id = ? ORDER BY e.id",
             "i", fid);
    if (rc)
        return rc;
    json_t *lines = json_array();
    for (size_t i = 0; i < json_array_size(r); i++)
        json_array_append_new(lines, json_pack("{s:o}", "t", evidence_line(json_array_get(r, i))));
    *out = join(lines, "t", "；");
    json_decref(lines);
    json_decref(r);
    return AG_OK;
}

static json_t *amount_text(int64_t fen)
{
    char m[32];
    money(fen, m);
    return fen > 0 ? text("%s 元", m) : json_string("");
}

static ag_err audit_findings(draft_ctx *c, json_t *b, ag_error *err)
{
    ag_err rc = AG_OK;
    for (size_t i = 0; !rc && i < json_array_size(c->findings); i++) {
        json_t *f = json_array_get(c->findings, i), *ev = NULL;
        rc = finding_evidence(c, ji(f, "id"), &ev, err);
        if (rc)
            break;
        char code[96];
        snprintf(code, sizeof code, "%s-%lld", js(f, "project_code"), (long long)ji(f, "seq"));
        json_t *it = item("finding", ji(f, "id"), code, js(f, "title"));
        add_field(it, "facts", "问题事实",
                  text("%.*s（%s，%s风险%s）。", unstop(js(f, "description")), js(f, "description"),
                       js(f, "item_name"), audit_severity_zh(js(f, "severity")),
                       json_is_integer(json_object_get(f, "repeat_of")) ? "，屡审屡犯" : ""));
        add_field(it, "amount", "涉及金额", amount_text(ji(f, "amount")));
        add_field(it, "evidence", "证据", ev);
        add_field(it, "basis", "定性依据", json_string(js(f, "basis")));
        add_field(it, "recommendation", "审计建议", json_string(js(f, "recommendation")));
        json_array_append_new(b, it);
    }
    if (!rc && !json_array_size(c->findings))
        para(b, "本次审计未发现需要报告的问题。");
    return rc;
}

static ag_err audit_handling(draft_ctx *c, json_t *b, ag_error *err)
{
    (void)err;
    fig g = figures(c);
    para(b, "针对审计发现的 %lld 个问题，提出如下处理意见和审计建议：", (long long)g.n);
    for (size_t i = 0; i < json_array_size(c->findings); i++) {
        json_t *f = json_array_get(c->findings, i);
        const char *rec = *js(f, "recommendation") ? js(f, "recommendation") : "限期整改";
        if (*js(f, "deadline"))
            para(b, "%zu. “%s”：%.*s（%s，整改期限 %s）。", i + 1, js(f, "title"), unstop(rec), rec,
                 rectify_class_zh(js(f, "rect_class")), js(f, "deadline"));
        else
            para(b, "%zu. “%s”：%.*s。", i + 1, js(f, "title"), unstop(rec), rec);
    }
    para(b, "%s应当自收到本报告之日起按期完成整改，并将整改结果书面报送审计组和上级主管部门。",
         c->uname);
    return AG_OK;
}

static ag_err audit_response(draft_ctx *c, json_t *b, ag_error *err)
{
    static const char *const N[] = {"body", "at"};
    json_t *r = NULL;
    ag_err rc = rows(c->st, &r, N, "tt", err,
                     "SELECT body, created_at FROM audit_record WHERE project_id = ?"
                     " AND kind = 'response' ORDER BY id DESC LIMIT 1",
                     "i", c->pid);
    if (rc)
        return rc;
    json_t *x = json_array_get(r, 0);
    if (x && *js(x, "body")) {
        char d[11];
        bj_day(js(x, "at"), d);
        para(b, "%s于%s提出书面意见如下：", c->uname, d);
        para(b, "%s", js(x, "body"));
    } else {
        para(b,
             "（%s收到审计报告征求意见稿后，应在 10 个工作日内提出书面意见；逾期未提出的，视同无"
             "异议。）",
             c->uname);
    }
    json_decref(r);
    return AG_OK;
}

/* ---- rectification ---------------------------------------------------------------------- */

static const char *event_zh(const char *k)
{
    static const char *const K[] = {"measures", "progress", "claim",      "close",
                                    "reopen",   "deadline", "continuous", "escalate"};
    static const char *const Z[] = {"整改措施",     "整改进展", "申请销号",     "核验销号",
                                    "退回重新整改", "调整期限", "转为持续整改", "逾期督办"};
    for (size_t i = 0; i < sizeof K / sizeof K[0]; i++)
        if (!strcmp(k, K[i]))
            return Z[i];
    return k;
}

static ag_err rect_evidence(draft_ctx *c, int64_t rid, json_t **out, ag_error *err)
{
    static const char *const N[] = {"kind", "body", "at", "files"};
    json_t *r = NULL;
    ag_err rc = rows(c->st, &r, N, "tttt", err,
                     "SELECT e.kind, e.body, e.created_at, (SELECT GROUP_CONCAT(a.filename, '、')"
                     " FROM attachment a WHERE a.owner_kind = 'rect_event' AND a.owner_id = e.id)"
                     " FROM rect_event e WHERE e.rect_id = ? ORDER BY e.id",
                     "i", rid);
    if (rc)
        return rc;
    json_t *lines = json_array();
    for (size_t i = 0; i < json_array_size(r); i++) {
        json_t *e = json_array_get(r, i);
        char d[11];
        bj_day(js(e, "at"), d);
        json_array_append_new(
            lines,
            json_pack("{s:o}", "t",
                      text("%s %s%s%s%s%s", d, event_zh(js(e, "kind")), *js(e, "body") ? "：" : "",
                           js(e, "body"), *js(e, "files") ? "，附件：" : "", js(e, "files"))));
    }
    *out = join(lines, "t", "；");
    json_decref(lines);
    json_decref(r);
    return AG_OK;
}

static ag_err rect_summary(draft_ctx *c, json_t *b, ag_error *err)
{
    (void)err;
    fig g = figures(c);
    char m[32], cm[32], rate[16], d[32];
    money(g.amount, m);
    money(g.closed_amount, cm);
    pct(g.closed, g.rect, rate);
    cn_date(c->today, d);
    para(b,
         "%s对%s（%s）审计发现的 %lld 个问题（涉及金额 %s 元）高度重视，逐项制定整改措施，"
         "明确责任人和整改期限。",
         c->uname, c->pname, c->pcode, (long long)g.n, m);
    para(b,
         "截至%s，纳入整改台账 %lld 项，已销号 %lld 项，已整改待核验 %lld 项，持续整改 %lld 项，"
         "尚未完成 %lld 项（其中逾期 %lld 项），整改完成率 %s；已整改问题涉及金额 %s 元。",
         d, (long long)g.rect, (long long)g.closed, (long long)g.claimed, (long long)g.continuous,
         (long long)g.open, (long long)g.overdue, rate, cm);
    return AG_OK;
}

static ag_err rect_items(draft_ctx *c, json_t *b, ag_error *err)
{
    ag_err rc = AG_OK;
    for (size_t i = 0; !rc && i < json_array_size(c->findings); i++) {
        json_t *f = json_array_get(c->findings, i), *ev = json_string("");
        bool has = json_is_integer(json_object_get(f, "rect_id"));
        if (has) {
            json_decref(ev);
            rc = rect_evidence(c, ji(f, "rect_id"), &ev, err);
            if (rc)
                break;
        }
        char code[96];
        snprintf(code, sizeof code, "%s-%lld", js(f, "project_code"), (long long)ji(f, "seq"));
        json_t *it = item("finding", ji(f, "id"), code, js(f, "title"));
        char am[32];
        money(ji(f, "amount"), am);
        add_field(it, "facts", "问题",
                  ji(f, "amount") ? text("%s（涉及金额 %s 元）", js(f, "description"), am)
                                  : json_string(js(f, "description")));
        add_field(it, "measures", "整改措施", json_string(js(f, "measures")));
        add_field(it, "result", "整改结果", json_string(js(f, "result")));
        add_field(it, "evidence", "整改证据", ev);
        add_field(it, "state", "整改状态",
                  has ? text("%s%s", rectify_state_zh(js(f, "rect_state")),
                             overdue(f, c->today) ? "（已逾期）" : "")
                      : json_string("尚未建立整改事项"));
        add_field(it, "deadline", "整改期限",
                  has ? text("%s（%s）", js(f, "deadline"), rectify_class_zh(js(f, "rect_class")))
                      : json_string(""));
        json_array_append_new(b, it);
    }
    if (!rc && !json_array_size(c->findings))
        para(b, "本项目审计未发现需要整改的问题。");
    return rc;
}

static ag_err rect_open(draft_ctx *c, json_t *b, ag_error *err)
{
    (void)err;
    size_t n = 0;
    for (size_t i = 0; i < json_array_size(c->findings); i++) {
        json_t *f = json_array_get(c->findings, i);
        const char *st = js(f, "rect_state");
        if (!strcmp(st, "closed"))
            continue;
        n++;
        para(b, "%zu. “%s”：整改期限 %s，当前%s%s。%s", n, js(f, "title"),
             *js(f, "deadline") ? js(f, "deadline") : "未定",
             *st ? rectify_state_zh(st) : "尚未建立整改事项",
             overdue(f, c->today) ? "，已逾期" : "",
             !strcmp(st, "continuous") ? "该问题需长期坚持，纳入持续整改跟踪。"
                                       : "将按期推进整改并报送整改结果。");
    }
    if (!n)
        para(b, "审计发现的问题均已完成整改并销号，无尚未完成整改的事项。");
    return AG_OK;
}

static ag_err rect_next(draft_ctx *c, json_t *b, ag_error *err)
{
    (void)err;
    fig g = figures(c);
    para(b,
         "对尚未完成整改的 %lld 项问题（其中逾期 %lld 项）实行台账管理、挂账销号，按月跟踪进展；",
         (long long)(g.rect - g.closed), (long long)g.overdue);
    para(b, "举一反三，完善相关内部控制制度，防止屡审屡犯，整改结果纳入年度内部审计工作总结。");
    return AG_OK;
}

/* ---- summary ---------------------------------------------------------------------------- */

static const char *const YP_N[] = {"code", "name", "kind", "stage", "findings"};

static ag_err sum_plan_exec(draft_ctx *c, json_t *b, ag_error *err)
{
    static const char *const COLS[] = {"项目编号", "项目名称", "项目类型", "所处阶段", "发现问题"};
    json_t *r = NULL;
    ag_err rc = rows(c->st, &r, YP_N, "tttti", err,
                     "SELECT p.code, p.name, p.kind, p.stage, (SELECT COUNT(*) FROM finding f"
                     " WHERE f.project_id = p.id) FROM audit_project p WHERE" YEAR_PROJECTS
                     " ORDER BY p.code",
                     "ttt", c->unit, c->ys, c->ye);
    if (rc)
        return rc;
    int64_t done = 0;
    json_t *t = table("年度审计项目执行情况", COLS, 5), *trows = json_object_get(t, "rows");
    for (size_t i = 0; i < json_array_size(r); i++) {
        json_t *p = json_array_get(r, i);
        done += !strcmp(js(p, "stage"), "rectify") || !strcmp(js(p, "stage"), "closed");
        json_array_append_new(trows, json_pack("[s,s,s,s,o]", js(p, "code"), js(p, "name"),
                                               audit_kind_zh(js(p, "kind")),
                                               audit_stage_zh(js(p, "stage")),
                                               text("%lld", (long long)ji(p, "findings"))));
    }
    fig g = figures(c);
    char m[32];
    money(g.amount, m);
    para(b,
         "%d年共实施内部审计项目 %zu 个，已出具审计报告进入整改或办结 %lld 个，其余 %lld 个"
         "正在实施；发现问题 %lld 个，涉及金额 %s 元。",
         c->year, json_array_size(r), (long long)done,
         (long long)((int64_t)json_array_size(r) - done), (long long)g.n, m);
    if (json_array_size(r))
        json_array_append_new(b, t);
    else
        json_decref(t);
    json_decref(r);
    return AG_OK;
}

static const char *const BY_N[] = {"item", "name", "n", "amount", "high", "closed"};

static ag_err sum_findings(draft_ctx *c, json_t *b, ag_error *err)
{
    static const char *const COLS[] = {"审计事项", "问题数", "涉及金额（元）", "高风险", "已销号"};
    json_t *r = NULL;
    ag_err rc =
        rows(c->st, &r, BY_N, "ttiiii", err,
             "SELECT f.item, MAX(ci.name_zh), COUNT(*), SUM(f.amount),"
             " SUM(f.severity = 'high'), SUM(COALESCE(x.state = 'closed', 0)) FROM finding f"
             " JOIN audit_project p ON p.id = f.project_id LEFT JOIN catalog_item ci ON"
             " ci.version = f.catalog_version AND ci.code = f.item LEFT JOIN rectification"
             " x ON x.finding_id = f.id WHERE" YEAR_PROJECTS
             " GROUP BY f.item ORDER BY MIN(ci.sort_order), f.item",
             "ttt", c->unit, c->ys, c->ye);
    int64_t np = 0;
    if (!rc)
        rc = year_projects(c, c->ys, c->ye, &np, err);
    if (rc) {
        json_decref(r);
        return rc;
    }
    fig g = figures(c);
    char m[32];
    money(g.amount, m);
    para(b,
         "年内共实施内部审计项目 %lld 个，发现问题 %lld 个，涉及金额 %s 元，其中高风险 %lld 个、"
         "中风险 %lld 个、低风险 %lld 个，屡审屡犯 %lld 个，分布于 %zu 个审计事项。",
         (long long)np, (long long)g.n, m, (long long)g.high, (long long)g.medium, (long long)g.low,
         (long long)g.repeat, json_array_size(r));
    json_t *t = table("审计发现问题分类统计", COLS, 5), *trows = json_object_get(t, "rows");
    for (size_t i = 0; i < json_array_size(r); i++) {
        json_t *x = json_array_get(r, i);
        char a[32];
        money(ji(x, "amount"), a);
        json_array_append_new(trows,
                              json_pack("[o,o,s,o,o]", text("%s %s", js(x, "item"), js(x, "name")),
                                        text("%lld", (long long)ji(x, "n")), a,
                                        text("%lld", (long long)ji(x, "high")),
                                        text("%lld", (long long)ji(x, "closed"))));
    }
    json_array_append_new(b, t);
    json_decref(r);
    return AG_OK;
}

static ag_err sum_amounts(draft_ctx *c, json_t *b, ag_error *err)
{
    (void)err;
    fig g = figures(c);
    char m[32], cm[32], rest[32];
    money(g.amount, m);
    money(g.closed_amount, cm);
    money(g.amount - g.closed_amount, rest);
    para(b,
         "审计发现问题涉及金额 %s 元；其中已完成整改销号的问题涉及金额 %s 元（挽回和规范资金），"
         "尚在整改中的问题涉及金额 %s 元。",
         m, cm, rest);
    return AG_OK;
}

static ag_err sum_rect(draft_ctx *c, json_t *b, ag_error *err)
{
    (void)err;
    fig g = figures(c);
    char rate[16], d[32];
    pct(g.closed, g.rect, rate);
    cn_date(c->today, d);
    if (!g.rect) {
        para(b, "截至%s，年内审计发现的问题无纳入整改台账的事项。", d);
        return AG_OK;
    }
    para(b,
         "截至%s，年内审计发现问题纳入整改台账 %lld 项，已销号 %lld 项，已整改待核验 %lld 项，"
         "持续整改 %lld 项，尚未完成 %lld 项（其中逾期 %lld 项），整改完成率 %s。",
         d, (long long)g.rect, (long long)g.closed, (long long)g.claimed, (long long)g.continuous,
         (long long)g.open, (long long)g.overdue, rate);
    return AG_OK;
}

static ag_err sum_system(draft_ctx *c, json_t *b, ag_error *err)
{
    static const char *const N[] = {"body", "independent", "supervisor", "group"};
    json_t *r = NULL;
    int64_t sessions = 0, tenths = 0;
    char y[16];
    snprintf(y, sizeof y, "%d-%%", c->year);
    ag_err rc =
        rows(c->st, &r, N, "titi", err,
             "SELECT i.body_name, i.independent, p.name, (SELECT COUNT(DISTINCT g.area) FROM"
             " ia_group_member g WHERE g.unit_code = i.unit_code) FROM ia_body i LEFT JOIN"
             " person p ON p.id = i.supervisor_person_id WHERE i.unit_code = ?",
             "t", c->unit);
#define AUD_ATT                                                                                    \
    " FROM training_attendance a JOIN training_session t ON t.id = a.session_id WHERE"             \
    " t.held_on LIKE ? AND a.person_id IN (SELECT person_id FROM unit_subject WHERE unit_code = ?" \
    " AND role IN ('auditor', 'chief_auditor'))"
    if (!rc)
        rc = wf_query_int(c->st, &sessions, err, "SELECT COUNT(DISTINCT t.id)" AUD_ATT, "tt", y,
                          c->unit);
    if (!rc)
        rc = wf_query_int(c->st, &tenths, err, "SELECT COALESCE(SUM(t.hours_tenths), 0)" AUD_ATT,
                          "tt", y, c->unit);
    if (rc) {
        json_decref(r);
        return rc;
    }
    json_t *ia = json_array_get(r, 0);
    if (ia)
        para(b, "内部审计机构：%s（%s），分管领导：%s；内审工作组已配备 %lld/5 个分工。",
             *js(ia, "body") ? js(ia, "body") : "已登记",
             ji(ia, "independent") ? "独立设置" : "非独立设置",
             *js(ia, "supervisor") ? js(ia, "supervisor") : "尚未明确", (long long)ji(ia, "group"));
    else
        para(b, "本单位尚未登记内部审计机构和内审工作组，需在下一年度予以明确。");
    para(b, "现有内审人员 %zu 人，年内参加业务培训 %lld 场次、共 %lld.%lld 学时。",
         json_array_size(c->auditors), (long long)sessions, (long long)(tenths / 10),
         (long long)(tenths % 10));
    para(b, "结合审计发现问题，督促相关部门修订完善内部控制制度，健全“三重一大”决策、资金支付审批和"
            "合同管理等制度。");
    json_decref(r);
    return AG_OK;
}

static ag_err sum_next(draft_ctx *c, json_t *b, ag_error *err)
{
    static const char *const N[] = {"name"};
    json_t *r = NULL;
    ag_err rc = rows(c->st, &r, N, "t", err,
                     "SELECT MAX(ci.name_zh) FROM finding f JOIN audit_project p ON p.id ="
                     " f.project_id LEFT JOIN catalog_item ci ON ci.version = f.catalog_version AND"
                     " ci.code = f.item WHERE" YEAR_PROJECTS
                     " GROUP BY f.item ORDER BY COUNT(*) DESC, f.item LIMIT 3",
                     "ttt", c->unit, c->ys, c->ye);
    if (rc)
        return rc;
    fig g = figures(c);
    json_t *names = join(r, "name", "、");
    para(b, "%d年将以风险为导向编制年度审计计划，%s%s。", c->year + 1,
         *json_string_value(names) ? "重点关注" : "继续围绕资金安全开展审计",
         json_string_value(names));
    para(b,
         "持续跟踪尚未完成整改的 %lld 项问题（其中逾期 %lld 项），推动整改到位；加强内审队伍建设和"
         "业务培训，运用预警数据开展日常监督。",
         (long long)(g.rect - g.closed), (long long)g.overdue);
    json_decref(names);
    json_decref(r);
    return AG_OK;
}

/* ---- the document ----------------------------------------------------------------------- */

static const struct {
    const char *kind, *key;
    fill_fn fill;
} FILLERS[] = {
    {"plan", "basis", plan_basis},          {"plan", "risk", plan_risk},
    {"plan", "projects", plan_projects},    {"plan", "resources", plan_resources},
    {"plan", "measures", plan_measures},    {"audit", "basics", audit_basics},
    {"audit", "scope", audit_scope},        {"audit", "opinion", audit_opinion},
    {"audit", "findings", audit_findings},  {"audit", "handling", audit_handling},
    {"audit", "response", audit_response},  {"rectification", "summary", rect_summary},
    {"rectification", "items", rect_items}, {"rectification", "open", rect_open},
    {"rectification", "next", rect_next},   {"summary", "plan_exec", sum_plan_exec},
    {"summary", "findings", sum_findings},  {"summary", "amounts", sum_amounts},
    {"summary", "rect", sum_rect},          {"summary", "system", sum_system},
    {"summary", "next", sum_next},
};

static fill_fn filler(const char *kind, const char *key)
{
    for (size_t i = 0; i < sizeof FILLERS / sizeof FILLERS[0]; i++)
        if (!strcmp(kind, FILLERS[i].kind) && !strcmp(key, FILLERS[i].key))
            return FILLERS[i].fill;
    return NULL;
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n >= k && !strcmp(s + n - k, tail);
}

/* The title, cut to REPORT_TITLE_MAX bytes on a character boundary. */
static json_t *doc_title(const draft_ctx *c)
{
    json_t *full;
    if (!strcmp(c->kind, "plan"))
        full = text("%s%d年度内部审计计划", c->uname, c->year);
    else if (!strcmp(c->kind, "summary"))
        full = text("%s%d年度内部审计工作总结", c->uname, c->year);
    else if (!strcmp(c->kind, "audit"))
        full = text("关于%s的审计报告", c->pname);
    else
        full = text("关于%s%s发现问题整改情况的报告", c->pname,
                    ends_with(c->pname, "审计") ? "" : "审计");
    char t[REPORT_TITLE_MAX + 1];
    size_t n = json_string_length(full);
    n = n > REPORT_TITLE_MAX ? REPORT_TITLE_MAX : n;
    memcpy(t, json_string_value(full), n);
    t[n] = '\0';
    ag_utf8_trim_tail(t);
    json_decref(full);
    return json_string(t);
}

/* The issuer: the unit itself, for an audit report its internal-audit body when named. */
static ag_err issuer(draft_ctx *c, json_t **out, ag_error *err)
{
    static const char *const N[] = {"name"};
    json_t *r = NULL;
    ag_err rc = AG_OK;
    *out = NULL;
    if (!strcmp(c->kind, "audit"))
        rc = rows(c->st, &r, N, "t", err,
                  "SELECT COALESCE(NULLIF(body_name, ''), NULL) FROM ia_body WHERE unit_code = ?",
                  "t", c->unit);
    if (!rc) {
        const char *b = js(json_array_get(r, 0), "name");
        *out = *b ? text("%s%s", strstr(b, c->uname) ? "" : c->uname, b) : json_string(c->uname);
    }
    json_decref(r);
    return rc;
}

static ag_err build_sections(draft_ctx *c, json_t *sections, ag_error *err)
{
    int n = 0;
    const report_section_def *defs = report_sections(c->kind, &n);
    ag_err rc = AG_OK;
    for (int i = 0; !rc && i < n; i++) {
        json_t *blocks = json_array();
        fill_fn f = filler(c->kind, defs[i].key);
        if (f)
            rc = f(c, blocks, err);
        if (!rc && !json_array_size(blocks))
            para(blocks, "（待补充）");
        json_array_append_new(sections, json_pack("{s:s,s:s,s:b,s:o}", "key", defs[i].key,
                                                  "heading", defs[i].heading_zh, "required",
                                                  defs[i].required, "blocks", blocks));
    }
    return rc;
}

static ag_err load(draft_ctx *c, int64_t project_id, const char *unit_code, int year, ag_error *err)
{
    ag_err rc;
    if (report_kind_is_project(c->kind)) {
        rc = load_project(c, project_id, err);
    } else {
        if (year < REPORT_YEAR_MIN || year > REPORT_YEAR_MAX)
            return ag_fail(err, AG_ERR_INPUT, "year", "年度应在 %d 到 %d 之间：%d",
                           "the year is %d to %d: %d", REPORT_YEAR_MIN, REPORT_YEAR_MAX, year);
        c->year = year;
        rc = load_unit(c, unit_code, err);
    }
    snprintf(c->ys, sizeof c->ys, "%04d-12-31T16:00:00Z", c->year - 1);
    snprintf(c->ye, sizeof c->ye, "%04d-12-31T16:00:00Z", c->year);
    if (!rc)
        rc = load_findings(c, err);
    if (!rc)
        rc = load_auditors(c, err);
    return rc;
}

static void release(draft_ctx *c)
{
    json_decref(c->unit_row);
    json_decref(c->project);
    json_decref(c->findings);
    json_decref(c->auditors);
    json_decref(c->rank);
}

ag_err report_draft_build(ag_store *st, const audit_actor *a, const char *kind, int64_t project_id,
                          const char *unit_code, int year, json_t **doc, ag_error *err)
{
    (void)a;
    *doc = NULL;
    if (!report_kind_valid(kind))
        return ag_fail(err, AG_ERR_INPUT, "kind", "未知的报告类型：%s", "unknown report kind: %s",
                       kind ? kind : "");
    draft_ctx c;
    memset(&c, 0, sizeof c);
    c.st = st;
    c.kind = kind;
    ag_date_format(ag_clock_today(), c.today);
    ag_err rc = load(&c, project_id, unit_code, year, err);
    json_t *sections = json_array(), *iss = NULL;
    if (!rc)
        rc = build_sections(&c, sections, err);
    if (!rc)
        rc = issuer(&c, &iss, err);
    if (!rc)
        *doc = json_pack("{s:s,s:s,s:o,s:n,s:o,s:s,s:s,s:s,s:i,s:o,s:o}", "format", REPORT_FORMAT,
                         "kind", kind, "title", doc_title(&c), "doc_no", "issuer", iss, "date",
                         c.today, "unit_code", c.unit, "unit_name", c.uname, "year", c.year,
                         "project_code", c.pid ? json_string(c.pcode) : json_null(), "sections",
                         sections);
    else
        json_decref(sections);
    release(&c);
    return rc;
}
