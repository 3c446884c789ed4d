/* test_ground_truth.c - the engine finds every planted irregularity of the generator, and nothing
 * else. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>
#include <sys/stat.h>

#include "../testutil.h"
#include "engine/rules.h"
#include "engine/scan.h"
#include "engine/snapshot.h"
#include "ledger/gen.h"
#include "util/calendar.h"

/* One planted row of ground_truth.csv. */
typedef struct gt_row {
    char case_id[16], rule[32], unit[24], vtype[8], vno[16];
    int year, period;
} gt_row;

typedef struct fixture {
    char dir[1024];
    gt_row *gt;
    size_t ngt;
    char **files;
    size_t nfiles;
    char staff[1100];
} fixture;

static fixture fx;

static void split_csv(char *line, char **f, int max)
{
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < max; p++)
        if (*p == ',') {
            *p = '\0';
            f[n++] = p + 1;
        }
    while (n < max)
        f[n++] = (char *)"";
}

static int setup(void **state)
{
    (void)state;
    ag_test_path(fx.dir, sizeof fx.dir, "gt-ledgers");
    ag_gen_unit *units = NULL;
    ag_error err;
    assert_int_equal(ledger_gen_make_units(12, 11, &units, &err), AG_OK);
    ag_gen_opts o = {11, 300000, 2024, 2, fx.dir, 0};
    ag_gen_result res;
    assert_int_equal(ledger_gen_run(&o, units, 12, &res, &err), AG_OK);
    ledger_gen_free_units(units);
    assert_true(res.planted > 20);

    char path[1200];
    snprintf(path, sizeof path, "%s/ground_truth.csv", fx.dir);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[4096];
    fx.gt = calloc(4096, sizeof *fx.gt);
    assert_non_null(fgets(line, sizeof line, f)); /* header */
    while (fgets(line, sizeof line, f) && fx.ngt < 4096) {
        char *c[14];
        line[strcspn(line, "\r\n")] = '\0';
        split_csv(line, c, 14);
        gt_row *g = &fx.gt[fx.ngt++];
        snprintf(g->case_id, sizeof g->case_id, "%s", c[0]);
        snprintf(g->rule, sizeof g->rule, "%s", c[1]);
        snprintf(g->unit, sizeof g->unit, "%s", c[3]);
        g->year = (int)strtol(c[4], NULL, 10);
        g->period = (int)strtol(c[5], NULL, 10);
        snprintf(g->vtype, sizeof g->vtype, "%s", c[6]);
        snprintf(g->vno, sizeof g->vno, "%s", c[7]);
    }
    fclose(f);
    snprintf(fx.staff, sizeof fx.staff, "%s/staff.csv", fx.dir);

    DIR *d = opendir(fx.dir);
    assert_non_null(d);
    struct dirent *e;
    fx.files = calloc(256, sizeof *fx.files);
    while ((e = readdir(d)) != NULL && fx.nfiles < 256) {
        size_t n = strlen(e->d_name);
        if (n > 9 && !strcmp(e->d_name + n - 4, ".csv") && e->d_name[0] != '.' &&
            strcmp(e->d_name, "staff.csv") && strcmp(e->d_name, "ground_truth.csv")) {
            size_t len = strlen(fx.dir) + n + 2;
            char *p = malloc(len);
            snprintf(p, len, "%s/%s", fx.dir, e->d_name);
            fx.files[fx.nfiles++] = p;
        }
    }
    closedir(d);
    /* Argument order must not matter for the result; sort for a stable run. */
    for (size_t i = 1; i < fx.nfiles; i++)
        for (size_t j = i; j > 0 && strcmp(fx.files[j - 1], fx.files[j]) > 0; j--) {
            char *t = fx.files[j];
            fx.files[j] = fx.files[j - 1];
            fx.files[j - 1] = t;
        }
    assert_int_equal(fx.nfiles, 24);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (size_t i = 0; i < fx.nfiles; i++)
        free(fx.files[i]);
    free(fx.files);
    free(fx.gt);
    return 0;
}

static void scan(int threads, eng_snapshot **s, eng_catalog **cat, ag_calendar **cal,
                 eng_result *res)
{
    ag_error err;
    assert_int_equal(eng_catalog_load_default(cat, &err), AG_OK);
    assert_int_equal(calendar_load_default(cal, &err), AG_OK);
    eng_load_opts lo = {0, threads, NULL, false};
    assert_int_equal(
        eng_snapshot_from_csv((const char *const *)fx.files, fx.nfiles, fx.staff, &lo, s, &err),
        AG_OK);
    assert_int_equal(eng_scan(*s, *cat, *cal, threads, res, &err), AG_OK);
}

/* Does the warning point at this ground-truth row? */
static bool matches(const eng_snapshot *s, const eng_catalog *cat, const eng_warning *w,
                    const gt_row *g)
{
    const eng_rule *r = &cat->rules[w->rule];
    if (strcmp(r->id, g->rule) != 0 ||
        strcmp(eng_dict_str(s->dict, s->units[w->unit].code), g->unit) != 0)
        return false;
    if (r->prim == PRIM_YEAREND_SPIKE)
        return w->year == g->year;
    if (w->row == ENG_NO_ROW)
        return false;
    if (s->year[w->row] != g->year || s->period[w->row] != g->period ||
        strcmp(eng_dict_str(s->dict, s->vtype[w->row]), g->vtype) != 0)
        return false;
    if (r->prim == PRIM_VOUCHER_GAP)
        return w->aux == (int)strtol(g->vno, NULL, 10);
    /* Any row of the warning's evidence in the planted voucher counts. */
    for (uint8_t i = 0; i < w->nrows; i++) {
        uint32_t row = w->rows[i];
        if (s->period[row] == g->period && !strcmp(eng_dict_str(s->dict, s->vno[row]), g->vno))
            return true;
    }
    return !strcmp(eng_dict_str(s->dict, s->vno[w->row]), g->vno);
}

static void every_planted_case_is_found_and_nothing_else(void **state)
{
    (void)state;
    eng_snapshot *s;
    eng_catalog *cat;
    ag_calendar *cal;
    eng_result res;
    scan(2, &s, &cat, &cal, &res);

    size_t cases = 0, found = 0;
    for (size_t i = 0; i < fx.ngt; i++) {
        if (i > 0 && !strcmp(fx.gt[i].case_id, fx.gt[i - 1].case_id))
            continue; /* one case, several rows */
        cases++;
        bool hit = false;
        for (size_t j = i; j < fx.ngt && !strcmp(fx.gt[j].case_id, fx.gt[i].case_id) && !hit; j++)
            for (size_t k = 0; k < res.n && !hit; k++)
                hit = matches(s, cat, &res.w[k], &fx.gt[j]);
        if (!hit)
            print_message("missed: %s %s %s %d-%02d %s-%s\n", fx.gt[i].case_id, fx.gt[i].rule,
                          fx.gt[i].unit, fx.gt[i].year, fx.gt[i].period, fx.gt[i].vtype,
                          fx.gt[i].vno);
        found += hit;
    }
    size_t false_pos = 0;
    for (size_t k = 0; k < res.n; k++) {
        bool hit = false;
        for (size_t i = 0; i < fx.ngt && !hit; i++)
            hit = matches(s, cat, &res.w[k], &fx.gt[i]);
        if (!hit) {
            json_t *j = eng_warning_json(s, cat, cal, &res.w[k]);
            char *text = json_dumps(j, JSON_COMPACT);
            print_message("not planted: %s\n", text);
            free(text);
            json_decref(j);
        }
        false_pos += !hit;
    }
    print_message("planted cases %zu, found %zu, warnings %zu, false positives %zu\n", cases, found,
                  res.n, false_pos);
    assert_true(cases > 20);
    assert_int_equal(found, cases);
    assert_int_equal(false_pos, 0);
    eng_result_release(&res);
    eng_snapshot_free(s);
    eng_catalog_free(cat);
    calendar_free(cal);
}

static void the_result_does_not_depend_on_the_thread_count(void **state)
{
    (void)state;
    char(*fps[3])[65] = {NULL, NULL, NULL};
    size_t counts[3];
    int threads[3] = {1, 2, 5};
    for (int t = 0; t < 3; t++) {
        eng_snapshot *s;
        eng_catalog *cat;
        ag_calendar *cal;
        eng_result res;
        scan(threads[t], &s, &cat, &cal, &res);
        counts[t] = res.n;
        fps[t] = malloc((res.n + 1) * sizeof *fps[t]);
        for (size_t k = 0; k < res.n; k++)
            eng_warning_fingerprint(s, cat, &res.w[k], fps[t][k]);
        eng_result_release(&res);
        eng_snapshot_free(s);
        eng_catalog_free(cat);
        calendar_free(cal);
    }
    assert_int_equal(counts[0], counts[1]);
    assert_int_equal(counts[0], counts[2]);
    for (size_t k = 0; k < counts[0]; k++) {
        assert_string_equal(fps[0][k], fps[1][k]);
        assert_string_equal(fps[0][k], fps[2][k]);
    }
    for (int t = 0; t < 3; t++)
        free(fps[t]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_planted_case_is_found_and_nothing_else),
        cmocka_unit_test(the_result_does_not_depend_on_the_thread_count),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
