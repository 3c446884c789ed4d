/* bench.c - times the cross-audit planner (xa_plan) on a seeded district of N units against the
 * naive baseline xa_plan_naive (random restarts), both on the same in-memory model; see
 * bench/crossaudit.sh. Prints one line per method and the ratio. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/crossaudit.h"
#include "util/rng.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* N units in 20 cells, every tenth unit of an SOE group of three, 2-4 auditors each, one person
 * in twenty formerly of another unit, and a previous round (a plan of another seed). */
static void build(xa_model *m, int n, uint64_t seed)
{
    ag_rng r;
    ag_rng_seed(&r, seed);
    int *k = calloc((size_t)n, sizeof *k), np = 0;
    for (int i = 0; i < n; i++)
        np += k[i] = 2 + (int)ag_rng_below(&r, 3);
    ag_error err;
    if (xa_model_init(m, n, np, &err)) {
        fprintf(stderr, "%s\n", err.en);
        exit(1);
    }
    for (int i = 0, p = 0; i < n; i++) {
        snprintf(m->units[i].code, sizeof m->units[i].code, "U%04d", i);
        snprintf(m->units[i].name, sizeof m->units[i].name, "单位%04d", i);
        snprintf(m->units[i].cell, sizeof m->units[i].cell, "C%02d", (int)ag_rng_below(&r, 20));
        if (i % 10 < 3 && i < n / 3)
            snprintf(m->units[i].group, sizeof m->units[i].group, "G%d", i / 10);
        for (int j = 0; j < k[i]; j++, p++) {
            xa_person *x = &m->persons[p];
            x->id = p + 1;
            snprintf(x->name, sizeof x->name, "P%d", p);
            x->unit = i;
            x->tenths = (int64_t)ag_rng_below(&r, 600);
            if (*m->units[i].group) {
                x->ngroup = 1;
                snprintf(x->group[0], sizeof x->group[0], "%s", m->units[i].group);
            }
            if (ag_rng_chance(&r, 0.05))
                x->bar[x->nbar++] = (int)ag_rng_below(&r, (uint64_t)n);
        }
    }
    free(k);
    xa_assign *prev = calloc((size_t)n, sizeof *prev);
    json_t *why = NULL;
    if (xa_plan(m, seed + 1000, prev, &why, &err)) {
        fprintf(stderr, "no previous round: %s\n", err.en);
        exit(1);
    }
    json_decref(why);
    for (int a = 0; a < n; a++)
        m->prev[a] = prev[a].auditor;
    free(prev);
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 300;
    int runs = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 5;
    int max_tries = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 200000;
    if (runs < 1 || runs > 50)
        runs = 5;
    xa_model m;
    build(&m, n, 2026);
    xa_assign *plan = calloc((size_t)n, sizeof *plan);
    double tp[50], tn[50];
    int tries_sum = 0, naive_ok = 0;
    long in_cell_plan = 0, in_cell_naive = 0;
    ag_error err;
    for (int i = 0; i < runs; i++) {
        json_t *why = NULL;
        double t0 = now();
        ag_err rc = xa_plan(&m, (uint64_t)i + 1, plan, &why, &err);
        tp[i] = now() - t0;
        json_decref(why);
        json_t *v = rc ? NULL : xa_check(&m, plan);
        if (rc || json_array_size(v)) {
            fprintf(stderr, "xa_plan failed or broke a constraint: %s\n", rc ? err.en : "");
            return 1;
        }
        json_decref(v);
        json_t *s1 = xa_score(&m, plan);
        in_cell_plan += (long)json_integer_value(json_object_get(s1, "teams_in_cell"));
        json_decref(s1);
        int tries = 0;
        t0 = now();
        rc = xa_plan_naive(&m, (uint64_t)i + 1, max_tries, plan, &tries, &err);
        tn[i] = now() - t0;
        tries_sum += tries;
        naive_ok += rc == AG_OK;
        json_t *s2 = rc ? NULL : xa_score(&m, plan);
        in_cell_naive += (long)json_integer_value(json_object_get(s2, "teams_in_cell"));
        json_decref(s2);
    }
    qsort(tp, (size_t)runs, sizeof tp[0], cmp);
    qsort(tn, (size_t)runs, sizeof tn[0], cmp);
    printf("units %d, persons %d, runs %d\n", n, m.npersons, runs);
    printf("xa_plan (matching + repair + soft goals): median %.4f s (target < 1 s)\n",
           tp[runs / 2]);
    printf(
        "naive random restarts (no soft goals): median %.4f s, %d/%d found a plan, %.0f restarts "
        "on average\n",
        tn[runs / 2], naive_ok, runs, (double)tries_sum / runs);
    printf("ratio naive / xa_plan: %.1fx\n",
           tn[runs / 2] / (tp[runs / 2] > 0 ? tp[runs / 2] : 1e-9));
    printf("soft goal, teams from the audited unit's own cell (mean): xa_plan %.1f, naive %.1f\n",
           (double)in_cell_plan / runs, (double)in_cell_naive / runs);
    free(plan);
    xa_model_release(&m);
    return 0;
}
