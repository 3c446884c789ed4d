/* demo_rating.c (app) - the demo district's 2025 internal-control grades, published, and a few
 * 2026 drafts (issue 15 §1). */
#include "app/demo_rating.h"

#include <stdio.h>
#include <string.h>

#include "domain/grid.h"
#include "domain/rating.h"
#include "util/clock.h"
#include "util/date.h"
#include "util/rng.h"
#include "util/banned.h"

#define DEMO_YEAR 2025

/* The unit that files late (vetoed), the one without construction projects, the rest by index. */
enum { LATE = 28, NO_PROJECTS = 7 };

/* Points lost in the self-evaluation by the unit at index i of the pilots (by code): a few
 * near-perfect units (5A), then 4A, 3A, 2A and 1A bands. */
static int64_t loss_for(int i, ag_rng *r)
{
    int64_t base = i < 6 ? 100 : i < 13 ? 1000 : i < 20 ? 2000 : i < 25 ? 3000 : 4200;
    return base + (int64_t)ag_rng_below(r, 500);
}

/* Moves this thread's clock to day (YYYY-MM-DD) at 10:00 Beijing time. */
static void on_day(const char *day)
{
    ag_clock_shift(0);
    int32_t d = 0;
    if (!day || !ag_date_parse(day, strlen(day), &d)) {
        return;
    }
    int64_t now = ag_clock_now();
    int64_t target = (int64_t)d * 86400 + 2 * 3600; /* 10:00 UTC+8 */
    ag_clock_shift(target - now);
}

/* The answers: every point at full points, minus loss (hundredths) spread over random points. */
static int fill_answers(const json_t *rubric, int64_t loss, ag_rng *r, rating_answer_in *in)
{
    int n = 0;
    json_t *inds = json_object_get(rubric, "indicators");
    for (size_t i = 0; i < json_array_size(inds); i++) {
        json_t *pl = json_object_get(json_array_get(inds, i), "points_list");
        for (size_t j = 0; j < json_array_size(pl) && n < RATING_MAX_ANSWERS; j++) {
            json_t *p = json_array_get(pl, j);
            in[n].point = json_string_value(json_object_get(p, "code"));
            in[n].score_c = (int64_t)(json_number_value(json_object_get(p, "points")) * 100 + 0.5);
            in[n].note = NULL;
            in[n].attachments = NULL;
            in[n].nattachments = 0;
            n++;
        }
    }
    /* Never the whole of U4 (that would be "no internal-control system"). */
    for (int guard = 0; loss > 0 && n > 0 && guard < 1000; guard++) {
        int k = (int)ag_rng_below(r, (uint64_t)n);
        int64_t take = loss < 100 ? loss : 100;
        if (!strncmp(in[k].point, "U4", 2) && in[k].score_c <= 100)
            continue;
        if (in[k].score_c < take)
            take = in[k].score_c;
        in[k].score_c -= take;
        loss -= take;
    }
    return n;
}

static const char *const NOTES[] = {"已成立内部控制领导小组，主要负责人任组长",
                                    "年内开展内控专题培训2次", "风险评估报告已经党组会审议",
                                    "已完成业务流程梳理并印发流程图"};

ag_err app_demo_rating(ag_store *st, uint64_t seed, ag_error *err)
{
    ag_rng r;
    ag_rng_seed(&r, seed ^ 0x726174696e67u);
    const audit_actor admin = {.scope = {.role = AG_ROLE_ADMIN}, .name = "system:demo"};
    grid_unit_filter f = {true, NULL, NULL};
    json_t *pilots = NULL, *rubric = NULL;
    static rating_answer_in in[RATING_MAX_ANSWERS];
    char day[16];
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = rating_rubric_install_default(st, NULL, err);
    if (!rc)
        rc = grid_unit_list(st, &f, &pilots, err);
    on_day("2026-01-05");
    if (!rc)
        rc = rating_year_start(st, DEMO_YEAR, NULL, err);
    if (!rc)
        rc = rating_rubric_get(st, 0, &rubric, err);
    size_t n = json_array_size(pilots);
    for (size_t i = 0; !rc && i < n; i++) {
        const char *code = json_string_value(json_object_get(json_array_get(pilots, i), "code"));
        int64_t loss = loss_for((int)i, &r);
        /* A unit with a major finding answers near full marks: ≥ 90, but not 5A (its reason). */
        json_t *facts = NULL;
        rc = rating_facts(st, code, DEMO_YEAR, &facts, err);
        json_t *fs = json_object_get(facts, "findings");
        for (size_t k = 0; k < json_array_size(fs); k++)
            if (!strcmp(json_string_value(json_object_get(json_array_get(fs, k), "severity")),
                        "high"))
                loss = 0;
        json_decref(facts);
        if (rc)
            break;
        int na = fill_answers(rubric, loss, &r, in);
        in[0].note = NOTES[ag_rng_below(&r, 4)];
        in[1].note = NOTES[1];
        const char *inap[] = {"B5"};
        snprintf(day, sizeof day, "2026-03-%02u", 2u + (unsigned)ag_rng_below(&r, 20) % 20u);
        on_day(day);
        rc = rating_self_save(st, &admin, code, DEMO_YEAR, in, na, inap, 1, (int)i == NO_PROJECTS,
                              err);
        on_day((int)i == LATE ? "2026-04-10" : day);
        if (!rc)
            rc = rating_self_file(st, &admin, code, DEMO_YEAR, err);
        /* The bureau's review in April: an adjustment on every fifth unit, the rest accepted. */
        snprintf(day, sizeof day, "2026-04-%02u", 15u + (unsigned)ag_rng_below(&r, 10) % 10u);
        on_day(day);
        rating_adjust_in adj[2] = {{"U1.2", 100, "培训签到表与培训材料不全，按1分确认"},
                                   {"B4.1", 200, "资产盘点报告未经领导审签，按2分确认"}};
        if (!rc && (int)i != LATE)
            rc = rating_review_save(st, &admin, code, DEMO_YEAR, adj, i % 5 == 3 ? 2 : 0,
                                    i % 5 == 3 ? "复核调整两项" : "复核确认自评分", err);
    }
    on_day(NULL);
    if (!rc)
        rc = rating_publish(st, &admin, DEMO_YEAR, NULL, err);
    /* 2026 under way: three drafts, nothing filed. */
    for (size_t i = 0; !rc && i < n && i < 3; i++) {
        const char *code = json_string_value(json_object_get(json_array_get(pilots, i), "code"));
        int na = fill_answers(rubric, 300, &r, in);
        rc = rating_self_save(st, &admin, code, DEMO_YEAR + 1, in, na / 2, NULL, 0, false, err);
    }
    json_decref(rubric);
    json_decref(pilots);
    return store_end(st, rc, err);
}
