/* crossaudit.c - cross-audit rounds (交叉互审): planner, constraint check, score (pure, in
 * memory); the stored round, its edit, publishing and the 回避声明 (store). */
#include "domain/crossaudit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/training.h"
#include "domain/wf_query.h"
#include "util/clock.h"
#include "util/rng.h"
#include "util/banned.h"

/* ---- the constraints by name ------------------------------------------------------------- */

typedef struct xa_rule {
    const char *code, *zh, *en;
} xa_rule;

static const xa_rule RULES[] = {
    {"own_unit", "回避本单位", "not one's own unit"},
    {"own_group", "回避同一国企集团", "not one's own SOE group"},
    {"former_unit", "回避三年内任职单位", "not a unit one belonged to in the last 3 years"},
    {"mutual", "不得互审", "no two units audit each other"},
    {"repeat_pair", "不得与上轮结对重复", "no pair of the previous round again"},
    {"lead", "组长来自审计单位", "one lead, from the auditing unit"},
    {"team_size", "审计组人数", "team size within bounds"},
    {"one_team", "每人每轮只参加一个审计组", "a person on at most one team per round"},
    {"auditor_role", "审计组成员须为本轮单位的内审人员",
     "members are internal auditors of the round's units"},
    {"missing", "每个被审计单位都须安排审计单位", "every audited unit has an auditing unit"},
    {"too_few_units", "参加单位数量", "number of units"},
    {"team_capacity", "内审人员数量", "number of internal auditors"},
    {"no_candidate", "可选审计单位", "possible auditing units"},
};

static const xa_rule *rule_of(const char *code)
{
    for (size_t i = 0; i < sizeof RULES / sizeof RULES[0]; i++)
        if (!strcmp(RULES[i].code, code))
            return &RULES[i];
    return &RULES[0];
}

/* Appends {code, zh: "<detail>（约束：<rule>）", en, audited} to arr. */
static void add_reason(json_t *arr, const char *code, const char *audited, const char *zh,
                       const char *en)
{
    const xa_rule *r = rule_of(code);
    char z[700], e[700];
    snprintf(z, sizeof z, "%s（约束：%s）", zh, r->zh);
    snprintf(e, sizeof e, "%s (constraint: %s)", en, r->en);
    json_t *o = json_pack("{s:s, s:s, s:s}", "code", code, "zh", z, "en", e);
    json_object_set_new(o, "audited", audited ? json_string(audited) : json_null());
    json_array_append_new(arr, o);
}

/* Fills err with two ready texts. */
static ag_err fail_texts(ag_error *err, ag_err code, const char *where, const char *zh,
                         const char *en)
{
    ag_fail(err, code, where, "%s", "%s", zh);
    if (err) {
        snprintf(err->en, sizeof err->en, "%s", en);
        ag_utf8_trim_tail(err->en);
    }
    return code;
}

/* err from the first reason of arr. */
static ag_err fail_first(json_t *arr, ag_error *err)
{
    json_t *r = json_array_get(arr, 0);
    return fail_texts(err, AG_ERR_INPUT, json_string_value(json_object_get(r, "code")),
                      json_string_value(json_object_get(r, "zh")),
                      json_string_value(json_object_get(r, "en")));
}

/* ---- the model ---------------------------------------------------------------------------- */

ag_err xa_model_init(xa_model *m, int nunits, int npersons, ag_error *err)
{
    memset(m, 0, sizeof *m);
    if (nunits < 0 || nunits > XA_MAX_UNITS || npersons < 0 || npersons > 50 * XA_MAX_UNITS)
        return ag_fail(err, AG_ERR_NOMEM, "units", "一轮最多 %d 个单位", "at most %d units a round",
                       XA_MAX_UNITS);
    m->units = calloc((size_t)nunits + 1, sizeof *m->units);
    m->persons = calloc((size_t)npersons + 1, sizeof *m->persons);
    m->prev = calloc((size_t)nunits + 1, sizeof *m->prev);
    if (!m->units || !m->persons || !m->prev) {
        xa_model_release(m);
        return ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    }
    for (int i = 0; i < nunits; i++)
        m->prev[i] = -1;
    m->nunits = nunits;
    m->npersons = npersons;
    m->team_min = 2;
    m->team_max = 4;
    return AG_OK;
}

void xa_model_release(xa_model *m)
{
    if (!m)
        return;
    free(m->units);
    free(m->persons);
    free(m->prev);
    memset(m, 0, sizeof *m);
}

/* The code of the rule that bars p from a, or NULL: own unit, SOE group, former unit. */
static const char *bars(const xa_model *m, int p, int a)
{
    const xa_person *x = &m->persons[p];
    if (x->unit == a)
        return "own_unit";
    for (int i = 0; i < x->nbar; i++)
        if (x->bar[i] == a)
            return i < x->nown ? "own_unit" : "former_unit";
    const char *g = m->units[a].group;
    for (int i = 0; *g && i < x->ngroup; i++)
        if (!strcmp(x->group[i], g))
            return "own_group";
    return NULL;
}

/* Unit-level: may unit b audit unit a at all (not itself, not its group, not last round's). */
static bool pair_ok(const xa_model *m, int a, int b)
{
    if (a == b || m->prev[a] == b)
        return false;
    const char *ga = m->units[a].group, *gb = m->units[b].group;
    return !(*ga && !strcmp(ga, gb));
}

static bool in_cell(const xa_model *m, int a, int b)
{
    return m->units[a].cell[0] && !strcmp(m->units[a].cell, m->units[b].cell);
}

/* Work space of one planning run. */
typedef struct plan_ws {
    const xa_model *m;
    int n;
    int *pstart, *plist; /* persons by unit, best trained first: plist[pstart[b]..pstart[b+1]) */
    int *cap, *limit, *load;
    unsigned char *ok; /* ok[a * n + b]: b may audit a (pair_ok and enough eligible persons) */
    int *cand, *ncand; /* candidates of a: cand[a * n ..] */
    int *assign;
    unsigned char *vis;
    ag_rng rng;
} plan_ws;

static void ws_free(plan_ws *w)
{
    free(w->pstart);
    free(w->plist);
    free(w->cap);
    free(w->limit);
    free(w->load);
    free(w->ok);
    free(w->cand);
    free(w->ncand);
    free(w->assign);
    free(w->vis);
}

static const xa_model *sort_model;
static int by_training(const void *x, const void *y)
{
    const xa_person *a = &sort_model->persons[*(const int *)x];
    const xa_person *b = &sort_model->persons[*(const int *)y];
    if (a->unit != b->unit)
        return a->unit < b->unit ? -1 : 1;
    if (a->tenths != b->tenths)
        return a->tenths > b->tenths ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

static int eligible(const plan_ws *w, int a, int b)
{
    int k = 0;
    for (int i = w->pstart[b]; i < w->pstart[b + 1]; i++)
        k += bars(w->m, w->plist[i], a) == NULL;
    return k;
}

static ag_err ws_init(plan_ws *w, const xa_model *m, uint64_t seed, ag_error *err)
{
    memset(w, 0, sizeof *w);
    int n = m->nunits;
    w->m = m;
    w->n = n;
    size_t nn = (size_t)n * (size_t)n + 1;
    w->pstart = calloc((size_t)n + 2, sizeof(int));
    w->plist = calloc((size_t)m->npersons + 1, sizeof(int));
    w->cap = calloc((size_t)n + 1, sizeof(int));
    w->limit = calloc((size_t)n + 1, sizeof(int));
    w->load = calloc((size_t)n + 1, sizeof(int));
    w->ok = calloc(nn, 1);
    w->cand = calloc(nn, sizeof(int));
    w->ncand = calloc((size_t)n + 1, sizeof(int));
    w->assign = calloc((size_t)n + 1, sizeof(int));
    w->vis = calloc((size_t)n + 1, 1);
    if (!w->pstart || !w->plist || !w->cap || !w->limit || !w->load || !w->ok || !w->cand ||
        !w->ncand || !w->assign || !w->vis) {
        ws_free(w);
        return ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    }
    int np = 0;
    for (int i = 0; i < m->npersons; i++)
        if (m->persons[i].unit >= 0 && m->persons[i].unit < n)
            w->plist[np++] = i;
    sort_model = m;
    qsort(w->plist, (size_t)np, sizeof(int), by_training);
    for (int i = 0, b = 0; b <= n; b++) {
        while (i < np && m->persons[w->plist[i]].unit < b)
            i++;
        w->pstart[b] = i;
    }
    w->pstart[n + 1] = np;
    for (int b = 0; b < n; b++)
        w->cap[b] = (w->pstart[b + 1] - w->pstart[b]) / (m->team_min > 0 ? m->team_min : 1);
    for (int a = 0; a < n; a++)
        for (int b = 0; b < n; b++)
            w->ok[(size_t)a * n + b] =
                w->cap[b] > 0 && pair_ok(m, a, b) && eligible(w, a, b) >= m->team_min;
    ag_rng_seed(&w->rng, seed ? seed : 1);
    return AG_OK;
}

static void shuffle(ag_rng *r, int *v, int n)
{
    for (int i = n - 1; i > 0; i--) {
        int j = (int)ag_rng_below(r, (uint64_t)i + 1);
        int t = v[i];
        v[i] = v[j];
        v[j] = t;
    }
}

/* Candidates of every audited unit in a seeded order, those outside its cell first. */
static void order_candidates(plan_ws *w)
{
    int n = w->n;
    int *tmp = w->cand; /* filled per row below */
    for (int a = 0; a < n; a++) {
        int *row = tmp + (size_t)a * n, k = 0;
        for (int b = 0; b < n; b++)
            if (w->ok[(size_t)a * n + b])
                row[k++] = b;
        shuffle(&w->rng, row, k);
        /* stable partition: outside the cell first */
        int out = 0;
        for (int i = 0; i < k; i++)
            if (!in_cell(w->m, a, row[i])) {
                int t = row[i];
                memmove(row + out + 1, row + out, (size_t)(i - out) * sizeof(int));
                row[out++] = t;
            }
        w->ncand[a] = k;
    }
}

/* Kuhn's augmenting path with capacities (pairs auditing each other are repaired after). */
static bool augment(plan_ws *w, int a)
{
    int n = w->n;
    const int *row = w->cand + (size_t)a * n;
    for (int i = 0; i < w->ncand[a]; i++) {
        int b = row[i];
        if (w->vis[b])
            continue;
        w->vis[b] = 1;
        if (w->load[b] < w->limit[b]) {
            w->assign[a] = b;
            w->load[b]++;
            return true;
        }
        for (int a2 = 0; a2 < n; a2++) {
            if (w->assign[a2] != b || a2 == a)
                continue;
            w->assign[a2] = -1;
            w->load[b]--;
            if (augment(w, a2)) {
                w->assign[a] = b;
                w->load[b]++;
                return true;
            }
            if (w->assign[a2] == -1) {
                w->assign[a2] = b;
                w->load[b]++;
            }
        }
    }
    return false;
}

static bool swap_ok(const plan_ws *w, int a, int c)
{
    int n = w->n, b = w->assign[a], d = w->assign[c];
    return a != c && w->ok[(size_t)a * n + d] && w->ok[(size_t)c * n + b] && w->assign[d] != a &&
           w->assign[b] != c;
}

/* Breaks any two units auditing each other by swapping auditors with another pair. */
static bool repair_mutual(plan_ws *w)
{
    int n = w->n;
    for (int a = 0; a < n; a++) {
        int b = w->assign[a];
        if (b < 0 || w->assign[b] != a)
            continue;
        bool fixed = false;
        for (int c = 0; c < n && !fixed; c++)
            if (c != b && w->assign[c] >= 0 && swap_ok(w, a, c)) {
                int d = w->assign[c];
                w->assign[a] = d;
                w->assign[c] = b;
                fixed = true;
            }
        if (!fixed)
            return false;
    }
    return true;
}

/* Swaps auditors between pairs while that takes teams out of the audited units' cells. */
static void improve_cells(plan_ws *w)
{
    int n = w->n;
    for (int pass = 0; pass < 2; pass++)
        for (int a = 0; a < n; a++) {
            if (!in_cell(w->m, a, w->assign[a]))
                continue;
            for (int c = 0; c < n; c++) {
                int b = w->assign[a], d = w->assign[c];
                if (c == a || !swap_ok(w, a, c))
                    continue;
                int before = in_cell(w->m, a, b) + in_cell(w->m, c, d);
                int after = in_cell(w->m, a, d) + in_cell(w->m, c, b);
                if (after < before) {
                    w->assign[a] = d;
                    w->assign[c] = b;
                    break;
                }
            }
        }
}

static int by_person_training(const void *x, const void *y)
{
    return by_training(x, y);
}

/* Fills the teams of the units b audits from b's persons: every team first gets team_min
 * eligible persons (the most constrained team first), then the rest of b's persons join teams
 * up to team_max. The lead is the best trained. -1 when all went well, else the audited unit
 * whose team could not be filled. */
static int fill_teams(const plan_ws *w, xa_assign *plan)
{
    const xa_model *m = w->m;
    int n = w->n;
    unsigned char *used = calloc((size_t)m->npersons + 1, 1);
    int *mine = calloc((size_t)n + 1, sizeof(int));
    int bad = -1;
    if (!used || !mine) {
        free(used);
        free(mine);
        return 0;
    }
    for (int a = 0; a < n; a++) {
        plan[a].auditor = w->assign[a];
        plan[a].nteam = 0;
    }
    for (int b = 0; b < n && bad < 0; b++) {
        int k = 0;
        for (int a = 0; a < n; a++)
            if (w->assign[a] == b)
                mine[k++] = a;
        /* most constrained first (fewest eligible persons), ties in index order */
        for (int i = 1; i < k; i++)
            for (int j = i; j > 0 && eligible(w, mine[j], b) < eligible(w, mine[j - 1], b); j--) {
                int t = mine[j];
                mine[j] = mine[j - 1];
                mine[j - 1] = t;
            }
        for (int round = 0; round < 2 && bad < 0; round++)
            for (int i = 0; i < k && bad < 0; i++) {
                xa_assign *x = &plan[mine[i]];
                int want = round == 0 ? m->team_min : m->team_max;
                for (int q = w->pstart[b]; q < w->pstart[b + 1] && x->nteam < want; q++) {
                    int p = w->plist[q];
                    if (used[p] || bars(m, p, mine[i]))
                        continue;
                    used[p] = 1;
                    x->team[x->nteam++] = p;
                    if (round == 1)
                        break; /* one at a time: the rest spread over the teams */
                }
                if (round == 0 && x->nteam < m->team_min)
                    bad = mine[i];
            }
        /* spread the remaining persons one by one while some team takes them */
        for (bool more = true; more && bad < 0;) {
            more = false;
            for (int i = 0; i < k; i++) {
                xa_assign *x = &plan[mine[i]];
                for (int q = w->pstart[b]; q < w->pstart[b + 1] && x->nteam < m->team_max; q++) {
                    int p = w->plist[q];
                    if (!used[p] && !bars(m, p, mine[i])) {
                        used[p] = 1;
                        x->team[x->nteam++] = p;
                        more = true;
                        break;
                    }
                }
            }
        }
    }
    for (int a = 0; a < n && bad < 0; a++)
        qsort(plan[a].team, (size_t)plan[a].nteam, sizeof(int), by_person_training);
    free(used);
    free(mine);
    return bad;
}

/* The reasons no plan can exist, found before searching; [] when none is certain. */
static void precheck(const plan_ws *w, json_t *why)
{
    const xa_model *m = w->m;
    int n = w->n;
    if (n < 2) {
        add_reason(why, "too_few_units", NULL, "交叉互审至少需要三个单位，本轮只有不到两个单位",
                   "a cross audit needs at least three units; the round has fewer than two");
        return;
    }
    if (n == 2) {
        add_reason(why, "mutual", NULL, "只有两个单位，只能互审",
                   "only two units: they could only audit each other");
        return;
    }
    int teams = 0;
    for (int b = 0; b < n; b++)
        teams += w->cap[b];
    if (teams < n) {
        char z[400], e[400];
        snprintf(z, sizeof z, "本轮%d个单位需要%d个审计组，内审人员只够组成%d个", n, n, teams);
        snprintf(e, sizeof e, "%d units need %d teams; the internal auditors make only %d", n, n,
                 teams);
        add_reason(why, "team_capacity", NULL, z, e);
        for (int b = 0; b < n; b++) {
            int have = w->pstart[b + 1] - w->pstart[b];
            if (have >= m->team_min)
                continue;
            snprintf(z, sizeof z, "单位%s（%s）只有%d名内审人员，审计组至少需要%d人",
                     m->units[b].name, m->units[b].code, have, m->team_min);
            snprintf(e, sizeof e, "unit %s has %d internal auditor(s); a team needs at least %d",
                     m->units[b].code, have, m->team_min);
            add_reason(why, "team_capacity", m->units[b].code, z, e);
        }
        return;
    }
    for (int a = 0; a < n; a++) {
        if (w->ncand[a])
            continue;
        int self_group = 0, prev = 0, persons = 0;
        for (int b = 0; b < n; b++) {
            if (b == a || !w->cap[b])
                continue;
            const char *ga = m->units[a].group;
            if (*ga && !strcmp(ga, m->units[b].group))
                self_group++;
            else if (m->prev[a] == b)
                prev++;
            else
                persons++;
        }
        char z[600], e[600];
        snprintf(z, sizeof z,
                 "没有单位可以审计单位%s（%s）：%d个单位同属一个国企集团，%d个为上轮结对，"
                 "%d个单位的内审人员须回避（本单位或三年内任职）",
                 m->units[a].name, m->units[a].code, self_group, prev, persons);
        snprintf(e, sizeof e,
                 "no unit can audit %s: %d of the same SOE group, %d the previous round's pair, %d "
                 "whose auditors are conflicted (own or former unit)",
                 m->units[a].code, self_group, prev, persons);
        add_reason(why, "no_candidate", m->units[a].code, z, e);
    }
}

ag_err xa_plan(const xa_model *m, uint64_t seed, xa_assign *plan, json_t **reasons, ag_error *err)
{
    json_t *why = json_array();
    *reasons = why;
    int n = m->nunits;
    if (m->team_min < 1 || m->team_max < m->team_min || m->team_max > XA_MAX_TEAM) {
        add_reason(why, "team_size", NULL, "审计组人数上下限不合理（1 ≤ 下限 ≤ 上限 ≤ 16）",
                   "team bounds must be 1 <= min <= max <= 16");
        return fail_first(why, err);
    }
    plan_ws w;
    ag_err rc = ws_init(&w, m, seed, err);
    if (rc)
        return rc;
    order_candidates(&w);
    precheck(&w, why);
    int *order = calloc((size_t)n + 1, sizeof(int));
    bool done = false;
    int stuck = -1;
    for (int attempt = 0; order && !json_array_size(why) && !done && attempt < 30; attempt++) {
        int auditing = 0;
        for (int b = 0; b < n; b++)
            auditing += w.cap[b] > 0;
        int lim = (n + auditing - 1) / auditing;
        for (int a = 0; a < n; a++) {
            order[a] = a;
            w.assign[a] = -1;
            w.load[a] = 0;
        }
        shuffle(&w.rng, order, n);
        stuck = -1;
        /* balanced load first; where that cannot work, as many teams as the unit has */
        for (int relax = 0; relax < 2; relax++) {
            for (int b = 0; b < n; b++)
                w.limit[b] = relax ? w.cap[b] : (w.cap[b] < lim ? w.cap[b] : lim);
            stuck = -1;
            for (int i = 0; i < n; i++) {
                int a = order[i];
                if (w.assign[a] >= 0)
                    continue;
                memset(w.vis, 0, (size_t)n);
                if (!augment(&w, a))
                    stuck = a;
            }
            if (stuck < 0)
                break;
        }
        if (stuck >= 0)
            break;
        if (!repair_mutual(&w))
            continue;
        improve_cells(&w);
        int bad = fill_teams(&w, plan);
        if (bad < 0) {
            done = true;
            break;
        }
        /* a team could not be staffed: that pair is out; plan again */
        w.ok[(size_t)bad * n + w.assign[bad]] = 0;
        order_candidates(&w);
    }
    if (!order)
        rc = ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    else if (!done && !json_array_size(why)) {
        char z[600], e[600];
        if (stuck >= 0) {
            snprintf(z, sizeof z,
                     "无法为单位%s（%s）安排审计单位：可以审计它的单位都已满员或与之互审",
                     m->units[stuck].name, m->units[stuck].code);
            snprintf(e, sizeof e,
                     "no auditing unit left for %s: those that may audit it are full or would "
                     "audit each other",
                     m->units[stuck].code);
            add_reason(why, "no_candidate", m->units[stuck].code, z, e);
        } else {
            add_reason(why, "mutual", NULL, "无法避免两个单位互审", "units would audit each other");
        }
    }
    if (!rc && json_array_size(why))
        rc = fail_first(why, err);
    free(order);
    ws_free(&w);
    return rc;
}

ag_err xa_plan_naive(const xa_model *m, uint64_t seed, int max_tries, xa_assign *plan, int *tries,
                     ag_error *err)
{
    plan_ws w;
    ag_err rc = ws_init(&w, m, seed, err);
    if (rc)
        return rc;
    int n = w.n, auditing = 0;
    for (int b = 0; b < n; b++)
        auditing += w.cap[b] > 0;
    int lim = auditing ? (n + auditing - 1) / auditing : 0;
    int *order = calloc((size_t)n + 1, sizeof(int)), *opts = calloc((size_t)n + 1, sizeof(int));
    bool done = false;
    int t = 0;
    for (; order && opts && !done && t < max_tries; t++) {
        for (int a = 0; a < n; a++) {
            order[a] = a;
            w.assign[a] = -1;
            w.load[a] = 0;
        }
        shuffle(&w.rng, order, n);
        bool dead = false;
        for (int i = 0; i < n && !dead; i++) {
            int a = order[i], k = 0;
            for (int b = 0; b < n; b++)
                if (w.ok[(size_t)a * n + b] && w.load[b] < w.cap[b] && w.load[b] < lim &&
                    w.assign[b] != a)
                    opts[k++] = b;
            if (!k) {
                dead = true;
                break;
            }
            int b = opts[ag_rng_below(&w.rng, (uint64_t)k)];
            w.assign[a] = b;
            w.load[b]++;
        }
        done = !dead && fill_teams(&w, plan) < 0;
    }
    *tries = t;
    if (!order || !opts)
        rc = ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    else if (!done)
        rc = ag_fail(err, AG_ERR_INPUT, NULL, "随机重启 %d 次未找到方案", "no plan in %d restarts",
                     t);
    free(order);
    free(opts);
    ws_free(&w);
    return rc;
}

json_t *xa_check(const xa_model *m, const xa_assign *plan)
{
    json_t *v = json_array();
    int n = m->nunits;
    int *seen = calloc((size_t)m->npersons + 1, sizeof(int));
    char z[600], e[600];
    for (int a = 0; a < n; a++) {
        const xa_unit *ua = &m->units[a];
        int b = plan[a].auditor;
        if (b < 0 || b >= n) {
            snprintf(z, sizeof z, "单位%s（%s）尚未安排审计单位", ua->name, ua->code);
            snprintf(e, sizeof e, "unit %s has no auditing unit", ua->code);
            add_reason(v, "missing", ua->code, z, e);
            continue;
        }
        const xa_unit *ub = &m->units[b];
        if (a == b) {
            snprintf(z, sizeof z, "单位%s不能审计本单位", ua->name);
            snprintf(e, sizeof e, "unit %s cannot audit itself", ua->code);
            add_reason(v, "own_unit", ua->code, z, e);
        } else if (*ua->group && !strcmp(ua->group, ub->group)) {
            snprintf(z, sizeof z, "%s与%s同属一个国企集团", ub->name, ua->name);
            snprintf(e, sizeof e, "%s and %s are of the same SOE group", ub->code, ua->code);
            add_reason(v, "own_group", ua->code, z, e);
        }
        if (m->prev[a] == b) {
            snprintf(z, sizeof z, "上一轮已由%s审计%s", ub->name, ua->name);
            snprintf(e, sizeof e, "%s audited %s in the previous round", ub->code, ua->code);
            add_reason(v, "repeat_pair", ua->code, z, e);
        }
        if (plan[b].auditor == a && a < b) {
            snprintf(z, sizeof z, "%s与%s在同一轮中互审", ua->name, ub->name);
            snprintf(e, sizeof e, "%s and %s would audit each other", ua->code, ub->code);
            add_reason(v, "mutual", ua->code, z, e);
        }
        if (plan[a].nteam < m->team_min || plan[a].nteam > m->team_max) {
            snprintf(z, sizeof z, "审计%s的审计组有%d人，须在%d至%d人之间", ua->name, plan[a].nteam,
                     m->team_min, m->team_max);
            snprintf(e, sizeof e, "the team auditing %s has %d members; it must have %d to %d",
                     ua->code, plan[a].nteam, m->team_min, m->team_max);
            add_reason(v, "team_size", ua->code, z, e);
        }
        if (plan[a].nteam > 0 && m->persons[plan[a].team[0]].unit != b) {
            const xa_person *l = &m->persons[plan[a].team[0]];
            snprintf(z, sizeof z, "审计%s的组长%s（#%lld）不是审计单位%s的内审人员", ua->name,
                     l->name, (long long)l->id, ub->name);
            snprintf(e, sizeof e, "the lead of the team auditing %s (#%lld) is not of %s", ua->code,
                     (long long)l->id, ub->code);
            add_reason(v, "lead", ua->code, z, e);
        }
        for (int i = 0; i < plan[a].nteam; i++) {
            int p = plan[a].team[i];
            const xa_person *x = &m->persons[p];
            if (x->unit < 0) {
                snprintf(z, sizeof z, "%s（#%lld）不是本轮单位的内审人员", x->name,
                         (long long)x->id);
                snprintf(e, sizeof e,
                         "person #%lld is not an internal auditor of the round's units",
                         (long long)x->id);
                add_reason(v, "auditor_role", ua->code, z, e);
            }
            const char *why = bars(m, p, a);
            if (why) {
                const char *how = !strcmp(why, "own_unit")    ? "是被审计单位的人员"
                                  : !strcmp(why, "own_group") ? "属于被审计单位的国企集团"
                                                              : "三年内曾在被审计单位任职";
                snprintf(z, sizeof z, "审计组成员%s（#%lld）%s%s", x->name, (long long)x->id, how,
                         ua->name);
                snprintf(e, sizeof e, "team member #%lld may not audit %s", (long long)x->id,
                         ua->code);
                add_reason(v, why, ua->code, z, e);
            }
            if (seen && seen[p]) {
                snprintf(z, sizeof z, "%s（#%lld）已在本轮另一个审计组中", x->name,
                         (long long)x->id);
                snprintf(e, sizeof e, "person #%lld is on another team of the round",
                         (long long)x->id);
                add_reason(v, "one_team", ua->code, z, e);
            }
            if (seen)
                seen[p] = 1;
        }
    }
    free(seen);
    return v;
}

json_t *xa_score(const xa_model *m, const xa_assign *plan)
{
    int n = m->nunits, outside = 0, inside = 0, auditing = 0, maxload = 0, over = 0;
    int64_t tenths = 0;
    int *load = calloc((size_t)n + 1, sizeof(int));
    for (int a = 0; load && a < n; a++) {
        int b = plan[a].auditor;
        if (b < 0 || b >= n)
            continue;
        load[b]++;
        bool cell = false;
        for (int i = 0; i < plan[a].nteam; i++) {
            const xa_person *x = &m->persons[plan[a].team[i]];
            tenths += x->tenths;
            cell |= x->unit >= 0 && in_cell(m, a, x->unit);
        }
        if (cell)
            inside++;
        else
            outside++;
    }
    for (int b = 0; load && b < n; b++)
        auditing += load[b] > 0;
    int limit = auditing ? (n + auditing - 1) / auditing : 0;
    for (int b = 0; load && b < n; b++) {
        if (load[b] > maxload)
            maxload = load[b];
        over += load[b] > limit;
    }
    free(load);
    json_t *s =
        json_pack("{s:i, s:i, s:i, s:i, s:i}", "teams_outside_cell", outside, "teams_in_cell",
                  inside, "load_limit", limit, "max_load", maxload, "units_over_load", over);
    json_object_set_new(s, "training_hours", json_real((double)tenths / 10.0));
    json_object_set_new(s, "total",
                        json_integer((json_int_t)(10 * outside - 20 * over + tenths / 10)));
    return s;
}

/* ---- stored rounds ------------------------------------------------------------------------ */

static const char *const DEFAULT_ITEMS[] = {"F01", "F02", "F03", "F04", "F05", "F06", "F07",
                                            "F08", "F09", "F10", "F11", "F12", "F13", "K1",
                                            "K2",  "K3",  "K4",  "K5",  "K6",  "K7"};

static void now_text(char ts[21])
{
    ag_clock_format(ag_clock_now(), ts);
}

/* A round's row. */
typedef struct round_row {
    int64_t id;
    char name[160];
    int year;
    char state[16];
    json_t *units; /* codes */
    json_t *items;
    int team_min, team_max;
    int64_t seed;
    char field_from[16], field_to[16], created_at[24], published_at[24];
} round_row;

static void row_release(round_row *r)
{
    json_decref(r->units);
    json_decref(r->items);
    r->units = r->items = NULL;
}

static void copy_col(ag_stmt *s, int col, char *out, size_t n)
{
    const char *v = store_col_text(s, col);
    snprintf(out, n, "%s", v ? v : "");
}

/* The round by name (or id when name is NULL). */
static ag_err round_load(ag_store *st, const char *name, int64_t id, round_row *r, ag_error *err)
{
    memset(r, 0, sizeof *r);
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc =
        store_prepare_args(st, &s, err,
                           "SELECT id, name, year, state, units, items, team_min, team_max,"
                           " seed, field_from, field_to, created_at, published_at FROM xa_round"
                           " WHERE (? IS NOT NULL AND name = ?) OR (? IS NULL AND id = ?)",
                           "ttti", name, name, name, id);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && !row) {
        if (name)
            rc = ag_fail(err, AG_ERR_NOTFOUND, "round", "没有名为“%s”的交叉互审轮次",
                         "no cross-audit round named %s", name);
        else
            rc = ag_fail(err, AG_ERR_NOTFOUND, "round", "交叉互审轮次 #%lld 不存在",
                         "no cross-audit round #%lld", (long long)id);
    }
    if (!rc) {
        r->id = store_col_int(s, 0);
        copy_col(s, 1, r->name, sizeof r->name);
        r->year = (int)store_col_int(s, 2);
        copy_col(s, 3, r->state, sizeof r->state);
        r->units = json_loads(store_col_text(s, 4), 0, NULL);
        r->items = json_loads(store_col_text(s, 5), 0, NULL);
        r->team_min = (int)store_col_int(s, 6);
        r->team_max = (int)store_col_int(s, 7);
        r->seed = store_col_int(s, 8);
        copy_col(s, 9, r->field_from, sizeof r->field_from);
        copy_col(s, 10, r->field_to, sizeof r->field_to);
        copy_col(s, 11, r->created_at, sizeof r->created_at);
        copy_col(s, 12, r->published_at, sizeof r->published_at);
        if (!json_is_array(r->units) || !json_is_array(r->items))
            rc = ag_fail(err, AG_ERR_INTERNAL, "xa_round", "轮次数据损坏", "round row is damaged");
    }
    store_finalize(s);
    if (rc)
        row_release(r);
    return rc;
}

/* Runs sql (one optional int or text bind) and calls fn for each row. */
typedef ag_err (*row_fn)(void *ctx, ag_stmt *s, ag_error *err);
static ag_err each_row(ag_store *st, const char *sql, const char *text, int64_t num, row_fn fn,
                       void *ctx, ag_error *err)
{
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = store_prepare(st, sql, &s, err);
    if (!rc && text)
        rc = store_bind_text(s, 1, text);
    else if (!rc && num)
        rc = store_bind_int(s, 1, num);
    while (!rc && !(rc = store_step(s, &row, err)) && row)
        rc = fn(ctx, s, err);
    store_finalize(s);
    return rc;
}

/* What loading a model collects. */
typedef struct load_ctx {
    xa_model *m;
    json_t *uidx;  /* round unit code → index */
    json_t *all;   /* every unit code → [parent, type] */
    json_t *pidx;  /* person id (text) → index */
    json_t *pool;  /* [[id, unit index]] of the pool before the model is allocated */
    json_t *codes; /* out: codes (resolve_units) */
    int year;
} load_ctx;

static int uindex(const load_ctx *c, const char *code)
{
    json_t *v = code ? json_object_get(c->uidx, code) : NULL;
    return v ? (int)json_integer_value(v) : -1;
}

static int pindex(const load_ctx *c, int64_t id)
{
    char k[24];
    snprintf(k, sizeof k, "%lld", (long long)id);
    json_t *v = json_object_get(c->pidx, k);
    return v ? (int)json_integer_value(v) : -1;
}

static ag_err collect_unit(void *ctx, ag_stmt *s, ag_error *err)
{
    load_ctx *c = ctx;
    (void)err;
    const char *parent = store_col_text(s, 1);
    const char *cell = store_col_text(s, 4);
    json_object_set_new(
        c->all, store_col_text(s, 0),
        json_pack("[s?, s, s, s?]", parent, store_col_text(s, 2), store_col_text(s, 3), cell));
    return AG_OK;
}

/* The SOE group head of code into out ("" when not a 国企). */
static void group_of(const load_ctx *c, const char *code, char out[24])
{
    out[0] = '\0';
    for (int depth = 0; code && depth < 20; depth++) {
        json_t *u = json_object_get(c->all, code);
        if (!u || strcmp(json_string_value(json_array_get(u, 1)), "国企"))
            return;
        snprintf(out, 24, "%s", code);
        code = json_string_value(json_array_get(u, 0));
    }
}

static ag_err collect_code(void *ctx, ag_stmt *s, ag_error *err)
{
    (void)err;
    json_array_append_new(((load_ctx *)ctx)->codes, json_string(store_col_text(s, 0)));
    return AG_OK;
}

static ag_err collect_chosen(void *ctx, ag_stmt *s, ag_error *err)
{
    load_ctx *c = ctx;
    if (json_object_get(c->pidx, store_col_text(s, 0)))
        return collect_code(ctx, s, err);
    return AG_OK;
}

/* The audited units of spec ("pilot", "all", "CODE,…") as a sorted array of codes. */
static ag_err resolve_units(ag_store *st, const char *spec, json_t **codes, ag_error *err)
{
    load_ctx c = {.codes = json_array()};
    *codes = c.codes;
    if (!spec || !*spec || !strcmp(spec, "pilot") || !strcmp(spec, "all"))
        return each_row(
            st,
            spec && !strcmp(spec, "all")
                ? "SELECT code FROM unit WHERE disabled = 0 ORDER BY code"
                : "SELECT code FROM unit WHERE disabled = 0 AND pilot = 1 ORDER BY code",
            NULL, 0, collect_code, &c, err);
    char buf[8192];
    if (strlen(spec) >= sizeof buf)
        return ag_fail(err, AG_ERR_INPUT, "units", "单位列表过长", "the unit list is too long");
    snprintf(buf, sizeof buf, "%s", spec);
    json_t *seen = json_object();
    ag_err rc = AG_OK;
    for (char *p = buf, *next; !rc && p; p = next) {
        next = strchr(p, ',');
        if (next)
            *next++ = '\0';
        while (*p == ' ')
            p++;
        if (!*p || json_object_get(seen, p))
            continue;
        int64_t n = 0;
        rc = store_query_int(st, &n, err, "SELECT COUNT(*) FROM unit WHERE code = ?", p, NULL);
        if (!rc && !n)
            rc = ag_fail(err, AG_ERR_NOTFOUND, "units", "单位 %s 不存在", "no unit %s", p);
        json_object_set_new(seen, p, json_true());
    }
    c.pidx = seen; /* the chosen codes, kept in code order below */
    if (!rc)
        rc = each_row(st, "SELECT code FROM unit ORDER BY code", NULL, 0, collect_chosen, &c, err);
    json_decref(seen);
    return rc;
}

static ag_err collect_pool(void *ctx, ag_stmt *s, ag_error *err)
{
    load_ctx *c = ctx;
    (void)err;
    int u = uindex(c, store_col_text(s, 1));
    if (u < 0 || pindex(c, store_col_int(s, 0)) >= 0)
        return AG_OK;
    char k[24];
    snprintf(k, sizeof k, "%lld", (long long)store_col_int(s, 0));
    json_object_set_new(c->pidx, k, json_integer((json_int_t)json_array_size(c->pool)));
    json_array_append_new(c->pool, json_pack("[I, i]", (json_int_t)store_col_int(s, 0), u));
    return AG_OK;
}

static ag_err collect_prev(void *ctx, ag_stmt *s, ag_error *err)
{
    load_ctx *c = ctx;
    (void)err;
    int a = uindex(c, store_col_text(s, 0)), b = uindex(c, store_col_text(s, 1));
    if (a >= 0 && b >= 0)
        c->m->prev[a] = b;
    return AG_OK;
}

/* Fills person p's name, own and former units (3 years before the round's year), groups and
 * training hours. */
static ag_err person_fill(ag_store *st, load_ctx *c, xa_person *x, ag_error *err)
{
    char since[24];
    snprintf(since, sizeof since, "%04d-01-01", c->year - 3);
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = store_prepare(
        st,
        "SELECT p.name, p.unit_code, 0 FROM person p WHERE p.id = ?"
        " UNION ALL SELECT NULL, unit_code, 0 FROM unit_subject WHERE person_id = ?"
        " UNION ALL SELECT NULL, unit_code, 1 FROM person_unit_history WHERE person_id = ?"
        " AND until IS NOT NULL AND until >= ? ORDER BY 3",
        &s, err);
    for (int i = 1; !rc && i <= 3; i++)
        rc = store_bind_int(s, i, x->id);
    if (!rc)
        rc = store_bind_text(s, 4, since);
    bool found = false;
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        if (store_col_text(s, 0)) {
            snprintf(x->name, sizeof x->name, "%s", store_col_text(s, 0));
            found = true;
        }
        const char *code = store_col_text(s, 1);
        bool former = store_col_int(s, 2) != 0;
        if (!code)
            continue;
        int u = uindex(c, code);
        bool dup = false;
        for (int i = 0; i < x->nbar; i++)
            dup |= x->bar[i] == u;
        if (u >= 0 && !dup && x->nbar < (int)(sizeof x->bar / sizeof x->bar[0])) {
            x->bar[x->nbar++] = u;
            x->nown += !former;
        }
        char g[24];
        group_of(c, code, g);
        bool have = false;
        for (int i = 0; i < x->ngroup; i++)
            have |= !strcmp(x->group[i], g);
        if (!former && *g && !have && x->ngroup < 2)
            snprintf(x->group[x->ngroup++], 24, "%s", g);
    }
    store_finalize(s);
    if (!rc && !found)
        rc = ag_fail(err, AG_ERR_NOTFOUND, "team", "人员 #%lld 不存在", "no person #%lld",
                     (long long)x->id);
    if (!rc)
        rc = training_person_hours(st, x->id, c->year, &x->tenths, err);
    return rc;
}

/* Builds the model of the units codes for year: the units, their internal auditors (plus the
 * persons extra, ids that may be of no unit of the round), and the pairs of the latest published
 * round other than round_id. */
static ag_err model_load(ag_store *st, const json_t *codes, int year, int team_min, int team_max,
                         int64_t round_id, const int64_t *extra, int nextra, xa_model *m,
                         ag_error *err)
{
    load_ctx c = {.m = m,
                  .uidx = json_object(),
                  .all = json_object(),
                  .pidx = json_object(),
                  .pool = json_array(),
                  .year = year};
    memset(m, 0, sizeof *m);
    int n = (int)json_array_size(codes);
    for (int i = 0; i < n; i++)
        json_object_set_new(c.uidx, json_string_value(json_array_get(codes, (size_t)i)),
                            json_integer(i));
    ag_err rc = each_row(st, "SELECT code, parent_code, type, name, cell_id FROM unit", NULL, 0,
                         collect_unit, &c, err);
    if (!rc)
        rc = each_row(st,
                      "SELECT us.person_id, us.unit_code FROM unit_subject us"
                      " JOIN person p ON p.id = us.person_id"
                      " WHERE us.role IN ('auditor', 'chief_auditor') AND p.disabled = 0"
                      " ORDER BY us.unit_code, us.person_id",
                      NULL, 0, collect_pool, &c, err);
    for (int i = 0; !rc && i < nextra; i++)
        if (pindex(&c, extra[i]) < 0) {
            char k[24];
            snprintf(k, sizeof k, "%lld", (long long)extra[i]);
            json_object_set_new(c.pidx, k, json_integer((json_int_t)json_array_size(c.pool)));
            json_array_append_new(c.pool, json_pack("[I, i]", (json_int_t)extra[i], -1));
        }
    if (!rc)
        rc = xa_model_init(m, n, (int)json_array_size(c.pool), err);
    if (!rc) {
        m->team_min = team_min;
        m->team_max = team_max;
    }
    for (int i = 0; !rc && i < n; i++) {
        const char *code = json_string_value(json_array_get(codes, (size_t)i));
        json_t *u = json_object_get(c.all, code);
        xa_unit *x = &m->units[i];
        snprintf(x->code, sizeof x->code, "%s", code);
        snprintf(x->name, sizeof x->name, "%s", json_string_value(json_array_get(u, 2)));
        const char *cell = json_string_value(json_array_get(u, 3));
        snprintf(x->cell, sizeof x->cell, "%s", cell ? cell : "");
        group_of(&c, code, x->group);
    }
    for (int i = 0; !rc && i < m->npersons; i++) {
        json_t *e = json_array_get(c.pool, (size_t)i);
        m->persons[i].id = json_integer_value(json_array_get(e, 0));
        m->persons[i].unit = (int)json_integer_value(json_array_get(e, 1));
        rc = person_fill(st, &c, &m->persons[i], err);
    }
    int64_t prev = 0;
    if (!rc)
        rc = wf_query_int(st, &prev, err,
                          "SELECT id FROM xa_round WHERE state = 'published' AND id <> ?"
                          " ORDER BY year DESC, id DESC LIMIT 1",
                          "i", round_id);
    if (!rc && prev)
        rc = each_row(st, "SELECT audited, auditor_unit FROM xa_assignment WHERE round_id = ?",
                      NULL, prev, collect_prev, &c, err);
    json_decref(c.uidx);
    json_decref(c.all);
    json_decref(c.pidx);
    json_decref(c.pool);
    if (rc)
        xa_model_release(m);
    return rc;
}

/* The index of person id in m, -1 when absent. */
static int model_person(const xa_model *m, int64_t id)
{
    for (int i = 0; i < m->npersons; i++)
        if (m->persons[i].id == id)
            return i;
    return -1;
}

static int model_unit(const xa_model *m, const char *code)
{
    for (int i = 0; code && i < m->nunits; i++)
        if (!strcmp(m->units[i].code, code))
            return i;
    return -1;
}

/* A stored round loaded: its row, model and plan (assignment ids alongside). */
typedef struct loaded {
    round_row r;
    xa_model m;
    xa_assign *plan;
    int64_t *aid;     /* xa_assignment.id per audited unit, 0 none */
    int64_t *project; /* project_id per audited unit, 0 none */
} loaded;

static void loaded_release(loaded *l)
{
    row_release(&l->r);
    xa_model_release(&l->m);
    free(l->plan);
    free(l->aid);
    free(l->project);
    l->plan = NULL;
    l->aid = l->project = NULL;
}

typedef struct plan_ctx {
    loaded *l;
    json_t *team_ids;
} plan_ctx;

static ag_err collect_team_id(void *ctx, ag_stmt *s, ag_error *err)
{
    (void)err;
    json_array_append_new(((plan_ctx *)ctx)->team_ids, json_integer(store_col_int(s, 0)));
    return AG_OK;
}

static ag_err collect_assignment(void *ctx, ag_stmt *s, ag_error *err)
{
    loaded *l = ((plan_ctx *)ctx)->l;
    (void)err;
    int a = model_unit(&l->m, store_col_text(s, 1));
    if (a < 0)
        return AG_OK;
    l->aid[a] = store_col_int(s, 0);
    l->plan[a].auditor = model_unit(&l->m, store_col_text(s, 2));
    l->project[a] = store_col_is_null(s, 3) ? 0 : store_col_int(s, 3);
    return AG_OK;
}

static ag_err collect_member(void *ctx, ag_stmt *s, ag_error *err)
{
    loaded *l = ((plan_ctx *)ctx)->l;
    (void)err;
    int64_t aid = store_col_int(s, 0);
    int p = model_person(&l->m, store_col_int(s, 1));
    for (int a = 0; p >= 0 && a < l->m.nunits; a++)
        if (l->aid[a] == aid && l->plan[a].nteam < XA_MAX_TEAM)
            l->plan[a].team[l->plan[a].nteam++] = p;
    return AG_OK;
}

/* Loads round name (or id) with its model and plan; extra: person ids to include. */
static ag_err round_open(ag_store *st, const char *name, int64_t id, const int64_t *extra,
                         int nextra, loaded *l, ag_error *err)
{
    memset(l, 0, sizeof *l);
    ag_err rc = round_load(st, name, id, &l->r, err);
    if (rc)
        return rc;
    plan_ctx pc = {l, json_array()};
    rc = each_row(st, "SELECT person_id FROM xa_team WHERE round_id = ? ORDER BY id", NULL, l->r.id,
                  collect_team_id, &pc, err);
    size_t nt = json_array_size(pc.team_ids);
    int64_t *ids = calloc(nt + (size_t)nextra + 1, sizeof *ids);
    for (size_t i = 0; ids && i < nt; i++)
        ids[i] = json_integer_value(json_array_get(pc.team_ids, i));
    for (int i = 0; ids && i < nextra; i++)
        ids[nt + (size_t)i] = extra[i];
    if (!rc && !ids)
        rc = ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    if (!rc)
        rc = model_load(st, l->r.units, l->r.year, l->r.team_min, l->r.team_max, l->r.id, ids,
                        (int)nt + nextra, &l->m, err);
    free(ids);
    json_decref(pc.team_ids);
    size_t n = (size_t)l->m.nunits + 1;
    if (!rc) {
        l->plan = calloc(n, sizeof *l->plan);
        l->aid = calloc(n, sizeof *l->aid);
        l->project = calloc(n, sizeof *l->project);
        if (!l->plan || !l->aid || !l->project)
            rc = ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    }
    for (int a = 0; !rc && a < l->m.nunits; a++)
        l->plan[a].auditor = -1;
    if (!rc)
        rc = each_row(st,
                      "SELECT id, audited, auditor_unit, project_id FROM xa_assignment"
                      " WHERE round_id = ?",
                      NULL, l->r.id, collect_assignment, &pc, err);
    if (!rc)
        rc = each_row(st,
                      "SELECT assignment_id, person_id FROM xa_team WHERE round_id = ?"
                      " ORDER BY assignment_id, CASE role WHEN 'lead' THEN 0 ELSE 1 END, id",
                      NULL, l->r.id, collect_member, &pc, err);
    if (rc)
        loaded_release(l);
    return rc;
}

/* Deletes every row of table whose column col equals v (each through the audited delete). */
static ag_err delete_where(ag_store *st, const char *table, const char *col, int64_t v,
                           ag_error *err)
{
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE %s = ?", table, col);
    plan_ctx pc = {NULL, json_array()};
    ag_err rc = each_row(st, sql, NULL, v, collect_team_id, &pc, err);
    for (size_t i = 0; !rc && i < json_array_size(pc.team_ids); i++)
        rc = store_delete(st, table, "id",
                          ag_field_int("id", json_integer_value(json_array_get(pc.team_ids, i))),
                          err);
    json_decref(pc.team_ids);
    return rc;
}

/* Writes the team of audited unit a (assignment aid) of round rid. */
static ag_err team_write(ag_store *st, int64_t rid, int64_t aid, const xa_model *m,
                         const xa_assign *x, ag_error *err)
{
    ag_err rc = AG_OK;
    for (int i = 0; !rc && i < x->nteam; i++) {
        ag_field f[] = {ag_field_int("assignment_id", aid), ag_field_int("round_id", rid),
                        ag_field_int("person_id", m->persons[x->team[i]].id),
                        ag_field_text("role", i == 0 ? "lead" : "member")};
        rc = store_insert(st, "xa_team", "id", f, 4, NULL, err);
    }
    return rc;
}

static ag_err score_write(ag_store *st, int64_t rid, const xa_model *m, const xa_assign *plan,
                          ag_error *err)
{
    json_t *sc = xa_score(m, plan);
    char *text = json_dumps(sc, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(sc);
    ag_field f[] = {ag_field_text("score", text ? text : "{}")};
    ag_err rc = store_update(st, "xa_round", "id", ag_field_int("id", rid), f, 1, err);
    free(text);
    return rc;
}

/* Refuses a bad name, year or team bounds. */
static ag_err round_in_check(const xa_round_in *in, int tmin, int tmax, ag_error *err)
{
    if (!in->name || !*in->name || strlen(in->name) > 100)
        return ag_fail(err, AG_ERR_INPUT, "round", "轮次名称不能为空，最长100字节",
                       "the round needs a name of at most 100 bytes");
    if (in->year < 2000 || in->year > 2100)
        return ag_fail(err, AG_ERR_INPUT, "year", "年度须在2000至2100之间",
                       "the year must be between 2000 and 2100");
    if (tmin < 1 || tmax < tmin || tmax > XA_MAX_TEAM)
        return ag_fail(err, AG_ERR_INPUT, "team_min",
                       "审计组人数上下限不合理：须 1 ≤ 下限（%d） ≤ 上限（%d） ≤ %d",
                       "team bounds must be 1 <= min (%d) <= max (%d) <= %d", tmin, tmax,
                       XA_MAX_TEAM);
    return AG_OK;
}

ag_err xa_round_plan(ag_store *st, const xa_round_in *in, int64_t *round_id, json_t **reasons,
                     ag_error *err)
{
    *reasons = NULL;
    int tmin = in->team_min ? in->team_min : 2, tmax = in->team_max ? in->team_max : 4;
    uint64_t seed = in->seed ? in->seed : 1;
    ag_err rc = round_in_check(in, tmin, tmax, err);
    if (rc)
        return rc;
    json_t *codes = NULL, *items = json_array();
    rc = resolve_units(st, in->units, &codes, err);
    for (int i = 0; i < (in->items ? in->nitems : 20); i++)
        json_array_append_new(items, json_string(in->items ? in->items[i] : DEFAULT_ITEMS[i]));
    /* an existing draft of the name is planned again; a published round stays */
    int64_t rid = 0;
    round_row old;
    memset(&old, 0, sizeof old);
    if (!rc) {
        ag_error miss;
        ag_err lr = round_load(st, in->name, 0, &old, &miss);
        if (lr && lr != AG_ERR_NOTFOUND)
            rc = fail_texts(err, lr, miss.where, miss.zh, miss.en);
        else if (!lr && !strcmp(old.state, "published"))
            rc = ag_fail(err, AG_ERR_EXISTS, "round", "轮次“%s”已发布，不能重新编排",
                         "round %s is published and cannot be planned again", in->name);
        else if (!lr)
            rid = old.id;
        row_release(&old);
    }
    xa_model m;
    memset(&m, 0, sizeof m);
    xa_assign *plan = NULL;
    if (!rc)
        rc = model_load(st, codes, in->year, tmin, tmax, rid, NULL, 0, &m, err);
    if (!rc) {
        plan = calloc((size_t)m.nunits + 1, sizeof *plan);
        if (!plan)
            rc = ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    }
    if (!rc)
        rc = xa_plan(&m, seed, plan, reasons, err);
    if (!rc && rid) {
        rc = delete_where(st, "xa_team", "round_id", rid, err);
        if (!rc)
            rc = delete_where(st, "xa_assignment", "round_id", rid, err);
    }
    char *units_text = json_dumps(codes, JSON_COMPACT),
         *items_text = json_dumps(items, JSON_COMPACT);
    char ts[21], from[24], to[24];
    now_text(ts);
    snprintf(from, sizeof from, "%04d-04-01", in->year);
    snprintf(to, sizeof to, "%04d-06-30", in->year);
    ag_field f[] = {ag_field_text("name", in->name),
                    ag_field_int("year", in->year),
                    ag_field_text("units", units_text),
                    ag_field_text("items", items_text),
                    ag_field_int("team_min", tmin),
                    ag_field_int("team_max", tmax),
                    ag_field_int("seed", (int64_t)seed),
                    ag_field_text("field_from", in->field_from ? in->field_from : from),
                    ag_field_text("field_to", in->field_to ? in->field_to : to),
                    ag_field_text("created_by", store_actor(st)),
                    ag_field_text("created_at", ts)};
    if (!rc && rid)
        rc = store_update(st, "xa_round", "id", ag_field_int("id", rid), f + 1, 8, err);
    else if (!rc)
        rc = store_insert(st, "xa_round", "id", f, sizeof f / sizeof f[0], &rid, err);
    for (int a = 0; !rc && a < m.nunits; a++) {
        int64_t aid = 0;
        ag_field g[] = {ag_field_int("round_id", rid), ag_field_text("audited", m.units[a].code),
                        ag_field_text("auditor_unit", m.units[plan[a].auditor].code)};
        rc = store_insert(st, "xa_assignment", "id", g, 3, &aid, err);
        if (!rc)
            rc = team_write(st, rid, aid, &m, &plan[a], err);
    }
    if (!rc)
        rc = score_write(st, rid, &m, plan, err);
    if (!rc && round_id)
        *round_id = rid;
    free(units_text);
    free(items_text);
    free(plan);
    xa_model_release(&m);
    json_decref(codes);
    json_decref(items);
    return rc;
}

/* Refuses with the first of the broken constraints v (consumed); AG_OK when none. */
static ag_err refuse_violations(json_t *v, ag_error *err)
{
    ag_err rc = json_array_size(v) ? fail_first(v, err) : AG_OK;
    json_decref(v);
    return rc;
}

ag_err xa_round_assign(ag_store *st, const char *round, const char *audited,
                       const char *auditor_unit, const int64_t *team, int nteam, ag_error *err)
{
    if (nteam > XA_MAX_TEAM)
        return ag_fail(err, AG_ERR_INPUT, "team", "审计组最多 %d 人", "at most %d members",
                       XA_MAX_TEAM);
    loaded l;
    ag_err rc = round_open(st, round, 0, team, nteam, &l, err);
    if (rc)
        return rc;
    int a = model_unit(&l.m, audited), b = model_unit(&l.m, auditor_unit);
    if (strcmp(l.r.state, "draft"))
        rc = ag_fail(err, AG_ERR_INPUT, "round", "轮次“%s”已发布，不能再调整",
                     "round %s is published", l.r.name);
    else if (a < 0)
        rc = ag_fail(err, AG_ERR_NOTFOUND, "audited", "单位 %s 不是本轮的被审计单位",
                     "unit %s is not audited in this round", audited ? audited : "");
    else if (b < 0)
        rc = ag_fail(err, AG_ERR_INPUT, "auditor_unit", "审计单位 %s 不在本轮单位中",
                     "auditing unit %s is not a unit of this round",
                     auditor_unit ? auditor_unit : "");
    xa_assign x = {b, 0, {0}};
    for (int i = 0; !rc && i < nteam; i++)
        x.team[x.nteam++] = model_person(&l.m, team[i]);
    if (!rc && !nteam) {
        /* the auditing unit's free, eligible auditors, best trained first */
        for (int p = 0; p < l.m.npersons && x.nteam < l.m.team_min; p++) {
            bool busy = false;
            for (int o = 0; o < l.m.nunits; o++)
                for (int i = 0; o != a && i < l.plan[o].nteam; i++)
                    busy |= l.plan[o].team[i] == p;
            if (l.m.persons[p].unit == b && !busy && !bars(&l.m, p, a))
                x.team[x.nteam++] = p;
        }
        sort_model = &l.m;
        qsort(x.team, (size_t)x.nteam, sizeof(int), by_training);
    }
    if (!rc) {
        l.plan[a] = x;
        rc = refuse_violations(xa_check(&l.m, l.plan), err);
    }
    if (!rc) {
        ag_field f[] = {ag_field_text("auditor_unit", l.m.units[b].code)};
        rc = store_update(st, "xa_assignment", "id", ag_field_int("id", l.aid[a]), f, 1, err);
    }
    if (!rc)
        rc = delete_where(st, "xa_team", "assignment_id", l.aid[a], err);
    if (!rc)
        rc = team_write(st, l.r.id, l.aid[a], &l.m, &x, err);
    if (!rc)
        rc = score_write(st, l.r.id, &l.m, l.plan, err);
    loaded_release(&l);
    return rc;
}

/* The principal leader of a unit (0 none), whom the notice names. */
static int64_t principal_of(ag_store *st, const char *unit)
{
    int64_t id = 0;
    ag_error e;
    if (store_query_int(st, &id, &e,
                        "SELECT person_id FROM unit_subject WHERE unit_code = ? AND role ="
                        " 'principal' ORDER BY id DESC LIMIT 1",
                        unit, NULL))
        id = 0;
    return id;
}

static ag_err notify(ag_store *st, const loaded *l, int unit, int64_t project, const char *zh,
                     const char *en, const char *ts, ag_error *err)
{
    const xa_unit *u = &l->m.units[unit];
    int64_t who = principal_of(st, u->code);
    ag_field f[] = {ag_field_text("audience", "leader"),
                    ag_field_text("unit_code", u->code),
                    *u->cell ? ag_field_text("cell_id", u->cell) : ag_field_null("cell_id"),
                    ag_field_int("project_id", project),
                    ag_field_text("kind", "cross_audit"),
                    who ? ag_field_int("person_id", who) : ag_field_null("person_id"),
                    ag_field_text("message_zh", zh),
                    ag_field_text("message_en", en),
                    ag_field_text("created_at", ts),
                    ag_field_int("round_id", l->r.id)};
    return store_insert(st, "notification", "id", f, sizeof f / sizeof f[0], NULL, err);
}

ag_err xa_round_publish(ag_store *st, const audit_actor *a, const char *round, int *projects,
                        ag_error *err)
{
    if (projects)
        *projects = 0;
    if (a->scope.role != AG_ROLE_ADMIN)
        return ag_fail(err, AG_ERR_DENIED, "round", "只有审计局管理员可以发布交叉互审轮次",
                       "only the bureau's administrator publishes a round");
    loaded l;
    ag_err rc = round_open(st, round, 0, NULL, 0, &l, err);
    if (rc)
        return rc;
    if (strcmp(l.r.state, "draft"))
        rc = ag_fail(err, AG_ERR_EXISTS, "round", "轮次“%s”已发布", "round %s is published already",
                     l.r.name);
    if (!rc)
        rc = refuse_violations(xa_check(&l.m, l.plan), err);
    size_t ni = json_array_size(l.r.items);
    const char **items = calloc(ni + 1, sizeof *items);
    for (size_t i = 0; items && i < ni; i++)
        items[i] = json_string_value(json_array_get(l.r.items, i));
    char from[24], to[24], ts[21];
    snprintf(from, sizeof from, "%04d-01-01", l.r.year - 1);
    snprintf(to, sizeof to, "%04d-12-31", l.r.year - 1);
    now_text(ts);
    for (int u = 0; !rc && u < l.m.nunits; u++) {
        const xa_unit *au = &l.m.units[u], *bu = &l.m.units[l.plan[u].auditor];
        char name[400], zh[600], en[600];
        snprintf(name, sizeof name, "%s：%s", l.r.name, au->name);
        audit_project_in in = {NULL, name, "cross", au->code, from, to, items, (int)ni};
        int64_t pid = 0;
        rc = audit_project_create(st, a, &in, &pid, err);
        for (int i = 0; !rc && i < l.plan[u].nteam; i++)
            rc = audit_team_add(st, a, pid, l.m.persons[l.plan[u].team[i]].id,
                                i == 0 ? "lead" : "member", err);
        if (!rc) {
            ag_field f[] = {ag_field_int("project_id", pid)};
            rc = store_update(st, "xa_assignment", "id", ag_field_int("id", l.aid[u]), f, 1, err);
        }
        const xa_person *lead = &l.m.persons[l.plan[u].team[0]];
        snprintf(zh, sizeof zh, "%s：贵单位由%s交叉审计，组长%s；请配合审计组工作", l.r.name,
                 bu->name, lead->name);
        snprintf(en, sizeof en, "%s: your unit is audited by %s", l.r.name, bu->code);
        if (!rc)
            rc = notify(st, &l, u, pid, zh, en, ts, err);
        snprintf(zh, sizeof zh, "%s：贵单位审计%s，组长%s；审计组成员须先签署回避声明", l.r.name,
                 au->name, lead->name);
        snprintf(en, sizeof en, "%s: your unit audits %s; the team signs its declarations first",
                 l.r.name, au->code);
        if (!rc)
            rc = notify(st, &l, l.plan[u].auditor, pid, zh, en, ts, err);
        if (!rc && projects)
            (*projects)++;
    }
    if (!rc) {
        ag_field f[] = {ag_field_text("state", "published"), ag_field_text("published_at", ts)};
        rc = store_update(st, "xa_round", "id", ag_field_int("id", l.r.id), f, 2, err);
    }
    free(items);
    loaded_release(&l);
    return rc;
}

/* True when person signed the declaration of project. */
static bool declared(ag_store *st, int64_t project, int64_t person)
{
    int64_t n = 0;
    char p[24], q[24];
    snprintf(p, sizeof p, "%lld", (long long)project);
    snprintf(q, sizeof q, "%lld", (long long)person);
    ag_error e;
    if (!project || store_query_int(st, &n, &e,
                                    "SELECT COUNT(*) FROM xa_declaration WHERE project_id = ?"
                                    " AND person_id = ?",
                                    p, q, NULL))
        return false;
    return n > 0;
}

/* One assignment as JSON (full: with names, cells, project and declarations). */
static json_t *assignment_json(ag_store *st, const loaded *l, int a, bool full)
{
    const xa_model *m = &l->m;
    const xa_assign *x = &l->plan[a];
    const xa_unit *au = &m->units[a];
    const xa_unit *bu = x->auditor >= 0 ? &m->units[x->auditor] : NULL;
    json_t *team = json_array();
    bool all_signed = x->nteam > 0;
    for (int i = 0; i < x->nteam; i++) {
        const xa_person *p = &m->persons[x->team[i]];
        const xa_unit *pu = p->unit >= 0 ? &m->units[p->unit] : NULL;
        json_t *o =
            json_pack("{s:I, s:s, s:s?, s:s}", "person_id", (json_int_t)p->id, "name", p->name,
                      "unit", pu ? pu->code : NULL, "role", i == 0 ? "lead" : "member");
        if (full) {
            bool d = declared(st, l->project[a], p->id);
            all_signed &= d;
            json_object_set_new(o, "unit_name", pu ? json_string(pu->name) : json_null());
            json_object_set_new(o, "declared", json_boolean(d));
        }
        json_array_append_new(team, o);
    }
    json_t *o = json_pack("{s:s, s:s?}", "audited", au->code, "auditor_unit", bu ? bu->code : NULL);
    if (full) {
        json_object_set_new(o, "audited_name", json_string(au->name));
        json_object_set_new(o, "audited_cell", *au->cell ? json_string(au->cell) : json_null());
        json_object_set_new(o, "auditor_unit_name", bu ? json_string(bu->name) : json_null());
        json_object_set_new(o, "auditor_cell",
                            bu && *bu->cell ? json_string(bu->cell) : json_null());
        json_object_set_new(o, "project_id",
                            l->project[a] ? json_integer(l->project[a]) : json_null());
        json_t *code = json_null(), *stage = json_null();
        ag_stmt *s = NULL;
        bool row = false;
        ag_error e;
        if (l->project[a] &&
            !store_prepare(st, "SELECT code, stage FROM audit_project WHERE id = ?", &s, &e) &&
            !store_bind_int(s, 1, l->project[a]) && !store_step(s, &row, &e) && row) {
            code = json_string(store_col_text(s, 0));
            stage = json_string(store_col_text(s, 1));
        }
        store_finalize(s);
        json_object_set_new(o, "project_code", code);
        json_object_set_new(o, "stage", stage);
        json_object_set_new(o, "declared", json_boolean(l->project[a] && all_signed));
    }
    json_object_set_new(o, "team", team);
    return o;
}

ag_err xa_round_get(ag_store *st, const char *name, int64_t id, bool full, json_t **out,
                    ag_error *err)
{
    *out = NULL;
    loaded l;
    ag_err rc = round_open(st, name, id, NULL, 0, &l, err);
    if (rc)
        return rc;
    json_t *as = json_array();
    for (int a = 0; a < l.m.nunits; a++)
        json_array_append_new(as, assignment_json(st, &l, a, full));
    json_t *o = json_pack("{s:s}", "round", l.r.name);
    if (full) {
        json_object_set_new(o, "id", json_integer(l.r.id));
        json_object_set_new(o, "year", json_integer(l.r.year));
        json_object_set_new(o, "state", json_string(l.r.state));
        json_object_set_new(o, "units", json_incref(l.r.units));
        json_object_set_new(o, "items", json_incref(l.r.items));
        json_object_set_new(o, "team_min", json_integer(l.r.team_min));
        json_object_set_new(o, "team_max", json_integer(l.r.team_max));
        json_object_set_new(o, "seed", json_integer(l.r.seed));
        json_object_set_new(o, "field_from", json_string(l.r.field_from));
        json_object_set_new(o, "field_to", json_string(l.r.field_to));
        json_object_set_new(o, "created_at", json_string(l.r.created_at));
        json_object_set_new(o, "published_at",
                            *l.r.published_at ? json_string(l.r.published_at) : json_null());
    }
    json_object_set_new(o, "assignments", as);
    json_object_set_new(o, "score", xa_score(&l.m, l.plan));
    json_object_set_new(o, "violations", xa_check(&l.m, l.plan));
    loaded_release(&l);
    *out = o;
    return AG_OK;
}

static ag_err collect_round(void *ctx, ag_stmt *s, ag_error *err)
{
    (void)err;
    json_t *units = json_loads(store_col_text(s, 4), 0, NULL);
    json_t *o =
        json_pack("{s:I, s:s, s:I, s:s, s:i, s:s, s:s?}", "id", (json_int_t)store_col_int(s, 0),
                  "round", store_col_text(s, 1), "year", (json_int_t)store_col_int(s, 2), "state",
                  store_col_text(s, 3), "units", (int)json_array_size(units), "created_at",
                  store_col_text(s, 5), "published_at", store_col_text(s, 6));
    json_decref(units);
    json_array_append_new(ctx, o);
    return AG_OK;
}

ag_err xa_round_list(ag_store *st, json_t **out, ag_error *err)
{
    *out = json_array();
    return each_row(st,
                    "SELECT id, name, year, state, units, created_at, published_at FROM xa_round"
                    " ORDER BY year DESC, id DESC",
                    NULL, 0, collect_round, *out, err);
}

ag_err xa_round_name(ag_store *st, int64_t id, char out[160], ag_error *err)
{
    round_row r;
    ag_err rc = round_load(st, NULL, id, &r, err);
    if (!rc)
        snprintf(out, 160, "%s", r.name);
    row_release(&r);
    return rc;
}

/* The members of project (a round's) who have not signed, as [[id, name]]. */
static ag_err collect_unsigned(void *ctx, ag_stmt *s, ag_error *err)
{
    (void)err;
    json_array_append_new(
        ctx, json_pack("[I, s]", (json_int_t)store_col_int(s, 0), store_col_text(s, 1)));
    return AG_OK;
}

static ag_err unsigned_members(ag_store *st, int64_t project, json_t **out, ag_error *err)
{
    *out = json_array();
    return each_row(st,
                    "SELECT t.person_id, p.name FROM audit_team t JOIN person p ON p.id ="
                    " t.person_id WHERE t.project_id = ? AND NOT EXISTS (SELECT 1 FROM"
                    " xa_declaration d WHERE d.project_id = t.project_id AND d.person_id ="
                    " t.person_id) ORDER BY t.id",
                    NULL, project, collect_unsigned, *out, err);
}

/* True when project is one of a round's. */
static ag_err round_project(ag_store *st, int64_t project, bool *yes, ag_error *err)
{
    int64_t n = 0;
    char p[24];
    snprintf(p, sizeof p, "%lld", (long long)project);
    ag_err rc = store_query_int(st, &n, err,
                                "SELECT COUNT(*) FROM xa_assignment WHERE project_id = ?", p, NULL);
    *yes = !rc && n > 0;
    return rc;
}

ag_err xa_declare(ag_store *st, const audit_actor *a, int64_t project_id, int64_t person_id,
                  const char *statement, ag_error *err)
{
    bool yes = false;
    ag_err rc = round_project(st, project_id, &yes, err);
    if (rc)
        return rc;
    if (!yes)
        return ag_fail(err, AG_ERR_NOTFOUND, "project_id", "审计项目 #%lld 不是交叉互审轮次的项目",
                       "project #%lld is not a project of a cross-audit round",
                       (long long)project_id);
    if (a->scope.role != AG_ROLE_ADMIN && a->scope.person_id != person_id)
        return ag_fail(err, AG_ERR_DENIED, "person_id", "回避声明须由审计组成员本人签署",
                       "a member signs their own declaration");
    char p[24], q[24];
    snprintf(p, sizeof p, "%lld", (long long)project_id);
    snprintf(q, sizeof q, "%lld", (long long)person_id);
    int64_t on = 0;
    rc = store_query_int(st, &on, err,
                         "SELECT COUNT(*) FROM audit_team WHERE project_id = ? AND person_id = ?",
                         p, q, NULL);
    if (!rc && !on)
        rc = ag_fail(err, AG_ERR_NOTFOUND, "person_id", "人员 #%lld 不在该项目的审计组中",
                     "person #%lld is not on the project's team", (long long)person_id);
    if (!rc && declared(st, project_id, person_id))
        rc = ag_fail(err, AG_ERR_EXISTS, "person_id", "人员 #%lld 已签署回避声明",
                     "person #%lld has signed already", (long long)person_id);
    if (rc)
        return rc;
    char ts[21];
    now_text(ts);
    const char *text = statement && *statement
                           ? statement
                           : "本人与被审计单位及其主要负责人不存在需要回避的关系，"
                             "承诺依法独立、客观、公正开展审计。";
    ag_field f[] = {ag_field_int("project_id", project_id), ag_field_int("person_id", person_id),
                    ag_field_text("statement", text), ag_field_text("signed_by", a->name),
                    ag_field_text("signed_at", ts)};
    return store_insert(st, "xa_declaration", "id", f, 5, NULL, err);
}

ag_err xa_declarations_gate(ag_store *st, int64_t project_id, ag_error *err)
{
    bool yes = false;
    char p[24];
    snprintf(p, sizeof p, "%lld", (long long)project_id);
    int64_t pre = 0;
    ag_err rc = round_project(st, project_id, &yes, err);
    if (!rc && yes)
        rc = store_query_int(st, &pre, err,
                             "SELECT COUNT(*) FROM audit_project WHERE id = ? AND stage = 'pre'", p,
                             NULL);
    if (rc || !yes || !pre)
        return rc;
    json_t *missing = NULL;
    rc = unsigned_members(st, project_id, &missing, err);
    if (!rc && json_array_size(missing)) {
        json_t *m0 = json_array_get(missing, 0);
        rc = ag_fail(
            err, AG_ERR_INPUT, "declarations", "审计组成员%s（#%lld）等%zu人尚未签署回避声明",
            "team member %s (#%lld) and others, %zu in all, have not signed the "
            "declaration of interests",
            json_string_value(json_array_get(m0, 1)),
            (long long)json_integer_value(json_array_get(m0, 0)), json_array_size(missing));
    }
    json_decref(missing);
    return rc;
}
