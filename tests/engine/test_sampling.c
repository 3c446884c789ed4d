/* test_sampling.c - audit sampling against the AICPA Guide tables and a textbook case. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/sampling.h"
#include "util/banned.h"

/* The published tables below are those of the AICPA Audit Guide "Audit
 * Sampling" (2017 edition; the 2008-2014 editions print the same statistical
 * tables), Appendix A (attributes) and Appendix C (monetary units), as
 * transcribed cell by cell in the test suite of the R package jfa (Derks,
 * tests/testthat/test-validation-appendix-a.R and -appendix-c.R). Where the
 * Guide's printed value differs from the exact computation, the test says so
 * at the cell. */
/* Table A-1, 5% risk of overreliance. Rows: expected population deviation
 * rate (%); columns: tolerable rate 2..10, 15, 20%; 0 where the Guide has no
 * entry. */
static const unsigned TABLE_A1[26][11] = {
    /*  0.00 */ {149, 99, 74, 59, 49, 42, 36, 32, 29, 19, 14},
    /*  0.25 */ {236, 157, 117, 93, 78, 66, 58, 51, 46, 30, 22},
    /*  0.50 */ {313, 157, 117, 93, 78, 66, 58, 51, 46, 30, 22},
    /*  0.75 */ {386, 208, 117, 93, 78, 66, 58, 51, 46, 30, 22},
    /*  1.00 */ {590, 257, 156, 93, 78, 66, 58, 51, 46, 30, 22},
    /*  1.25 */ {1030, 303, 156, 124, 78, 66, 58, 51, 46, 30, 22},
    /*  1.50 */ {0, 392, 192, 124, 103, 66, 58, 51, 46, 30, 22},
    /*  1.75 */ {0, 562, 227, 153, 103, 88, 77, 51, 46, 30, 22},
    /*  2.00 */ {0, 846, 294, 181, 127, 88, 77, 68, 46, 30, 22},
    /*  2.25 */ {0, 1466, 390, 208, 127, 88, 77, 68, 61, 30, 22},
    /*  2.50 */ {0, 0, 513, 234, 150, 109, 77, 68, 61, 30, 22},
    /*  2.75 */ {0, 0, 722, 286, 173, 109, 95, 68, 61, 30, 22},
    /*  3.00 */ {0, 0, 1098, 361, 195, 129, 95, 84, 61, 30, 22},
    /*  3.25 */ {0, 0, 1936, 458, 238, 148, 112, 84, 61, 30, 22},
    /*  3.50 */ {0, 0, 0, 624, 280, 167, 112, 84, 76, 40, 22},
    /*  3.75 */ {0, 0, 0, 877, 341, 185, 129, 100, 76, 40, 22},
    /*  4.00 */ {0, 0, 0, 1348, 421, 221, 146, 100, 89, 40, 22},
    /*  5.00 */ {0, 0, 0, 0, 1580, 478, 240, 158, 116, 40, 30},
    /*  6.00 */ {0, 0, 0, 0, 0, 1832, 532, 266, 179, 50, 30},
    /*  7.00 */ {0, 0, 0, 0, 0, 0, 0, 585, 298, 68, 37},
    /*  8.00 */ {0, 0, 0, 0, 0, 0, 0, 0, 649, 85, 37},
    /*  9.00 */ {0, 0, 0, 0, 0, 0, 0, 0, 0, 110, 44},
    /* 10.00 */ {0, 0, 0, 0, 0, 0, 0, 0, 0, 150, 50},
    /* 12.50 */ {0, 0, 0, 0, 0, 0, 0, 0, 0, 576, 88},
    /* 15.00 */ {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 193},
    /* 17.50 */ {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 720},
};
/* Table A-2, 10% risk of overreliance, laid out as Table A-1. */
static const unsigned TABLE_A2[26][11] = {
    /*  0.00 */ {114, 76, 57, 45, 38, 32, 28, 25, 22, 15, 11},
    /*  0.25 */ {194, 129, 96, 77, 64, 55, 48, 42, 38, 25, 18},
    /*  0.50 */ {194, 129, 96, 77, 64, 55, 48, 42, 38, 25, 18},
    /*  0.75 */ {265, 129, 96, 77, 64, 55, 48, 42, 38, 25, 18},
    /*  1.00 */ {398, 176, 96, 77, 64, 55, 48, 42, 38, 25, 18},
    /*  1.25 */ {708, 221, 132, 77, 64, 55, 48, 42, 38, 25, 18},
    /*  1.50 */ {1463, 265, 132, 105, 64, 55, 48, 42, 38, 25, 18},
    /*  1.75 */ {0, 390, 166, 105, 88, 55, 48, 42, 38, 25, 18},
    /*  2.00 */ {0, 590, 198, 132, 88, 75, 48, 42, 38, 25, 18},
    /*  2.25 */ {0, 974, 262, 132, 88, 75, 65, 42, 38, 25, 18},
    /*  2.50 */ {0, 0, 353, 158, 110, 75, 65, 58, 38, 25, 18},
    /*  2.75 */ {0, 0, 471, 209, 132, 94, 65, 58, 52, 25, 18},
    /*  3.00 */ {0, 0, 730, 258, 132, 94, 65, 58, 52, 25, 18},
    /*  3.25 */ {0, 0, 1258, 306, 153, 112, 82, 58, 52, 25, 18},
    /*  3.50 */ {0, 0, 0, 400, 194, 112, 82, 73, 52, 25, 18},
    /*  3.75 */ {0, 0, 0, 583, 235, 131, 98, 73, 52, 25, 18},
    /*  4.00 */ {0, 0, 0, 873, 274, 149, 98, 73, 65, 25, 18},
    /*  5.00 */ {0, 0, 0, 0, 1019, 318, 160, 115, 78, 34, 18},
    /*  6.00 */ {0, 0, 0, 0, 0, 1150, 349, 182, 116, 43, 25},
    /*  7.00 */ {0, 0, 0, 0, 0, 0, 1300, 385, 199, 52, 25},
    /*  8.00 */ {0, 0, 0, 0, 0, 0, 0, 1437, 424, 60, 25},
    /*  9.00 */ {0, 0, 0, 0, 0, 0, 0, 0, 1577, 77, 32},
    /* 10.00 */ {0, 0, 0, 0, 0, 0, 0, 0, 0, 100, 38},
    /* 12.50 */ {0, 0, 0, 0, 0, 0, 0, 0, 0, 368, 63},
    /* 15.00 */ {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 126},
    /* 17.50 */ {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 457},
};
/* AICPA Table C-1: risk of incorrect acceptance (%), ratio of expected to tolerable
 * misstatement (tenths), then n for tolerable 50, 30, 10, 8, 6, 5, 4, 3, 2, 1, 0.5%. */
static const unsigned TABLE_C1[38][13] = {
    {5, 0, 6, 10, 30, 38, 50, 60, 75, 100, 150, 300, 600},
    {5, 1, 8, 13, 37, 46, 62, 74, 92, 123, 184, 368, 736},
    {5, 2, 10, 16, 47, 58, 78, 93, 116, 155, 232, 463, 925},
    {5, 3, 12, 20, 60, 75, 100, 120, 150, 200, 300, 600, 1199},
    {5, 4, 17, 27, 81, 102, 135, 162, 203, 270, 405, 809, 1618},
    {5, 5, 24, 39, 116, 145, 193, 231, 289, 385, 577, 1154, 2308},
    {10, 0, 5, 8, 24, 29, 39, 47, 58, 77, 116, 231, 461},
    {10, 2, 7, 12, 35, 43, 57, 69, 86, 114, 171, 341, 682},
    {10, 3, 9, 15, 44, 55, 73, 87, 109, 145, 217, 433, 866},
    {10, 4, 12, 20, 58, 72, 96, 115, 143, 191, 286, 572, 1144},
    {10, 5, 16, 27, 80, 100, 134, 160, 200, 267, 400, 799, 1597},
    {15, 0, 4, 7, 19, 24, 32, 38, 48, 64, 95, 190, 380},
    {15, 2, 6, 10, 28, 35, 46, 55, 69, 91, 137, 273, 545},
    {15, 3, 7, 12, 35, 43, 57, 69, 86, 114, 171, 341, 681},
    {15, 4, 9, 15, 45, 56, 74, 89, 111, 148, 221, 442, 883},
    {15, 5, 13, 21, 61, 76, 101, 121, 151, 202, 302, 604, 1208},
    {20, 0, 4, 6, 17, 21, 27, 33, 41, 54, 81, 161, 322},
    {20, 2, 5, 8, 23, 29, 38, 46, 57, 76, 113, 226, 451},
    {20, 3, 6, 10, 28, 35, 47, 56, 70, 93, 139, 277, 554},
    {20, 4, 8, 12, 36, 45, 59, 71, 89, 118, 177, 354, 707},
    {20, 5, 10, 16, 48, 60, 80, 95, 119, 159, 238, 475, 949},
    {25, 0, 3, 5, 14, 18, 24, 28, 35, 47, 70, 139, 278},
    {25, 2, 4, 7, 19, 24, 32, 38, 48, 64, 95, 190, 380},
    {25, 3, 5, 8, 23, 29, 39, 46, 58, 77, 115, 230, 460},
    {25, 4, 6, 10, 29, 37, 49, 58, 73, 97, 145, 289, 578},
    {25, 5, 8, 13, 38, 48, 64, 76, 95, 127, 190, 380, 760},
    {30, 0, 3, 5, 13, 16, 21, 25, 31, 41, 61, 121, 241},
    {30, 2, 4, 6, 17, 21, 27, 33, 41, 54, 81, 162, 323},
    {30, 4, 5, 8, 24, 30, 40, 48, 60, 80, 120, 239, 477},
    {30, 6, 9, 15, 43, 54, 71, 85, 107, 142, 213, 425, 850},
    {35, 0, 3, 4, 11, 14, 18, 21, 27, 35, 53, 105, 210},
    {35, 2, 3, 5, 14, 18, 23, 28, 35, 46, 69, 138, 276},
    {35, 4, 4, 7, 20, 25, 34, 40, 50, 67, 100, 199, 397},
    {35, 6, 7, 12, 34, 43, 57, 68, 85, 113, 169, 338, 676},
    {50, 0, 2, 3, 7, 9, 12, 14, 18, 24, 35, 70, 139},
    {50, 2, 2, 3, 9, 11, 15, 18, 22, 29, 44, 87, 173},
    {50, 4, 3, 4, 12, 15, 19, 23, 29, 38, 57, 114, 228},
    {50, 6, 4, 6, 17, 22, 29, 34, 43, 57, 85, 170, 340},
};
/* Table A-3, upper limits at 5% risk: n, then the limit (%, rounded up to a
 * tenth) for 0..10 deviations. */
static const double TABLE_A3[21][12] = {
    {20, 14.0, 21.7, 28.3, 34.4, 40.2, 45.6, 50.8, 55.9, 60.7, 65.4, 69.9},
    {25, 11.3, 17.7, 23.2, 28.2, 33.0, 37.6, 42.0, 46.3, 50.4, 54.4, 58.4},
    {30, 9.6, 14.9, 19.6, 23.9, 28.0, 31.9, 35.8, 39.4, 43.0, 46.6, 50.0},
    {35, 8.3, 12.9, 17.0, 20.7, 24.3, 27.8, 31.1, 34.4, 37.5, 40.6, 43.7},
    {40, 7.3, 11.4, 15.0, 18.3, 21.5, 24.6, 27.5, 30.4, 33.3, 36.0, 38.8},
    {45, 6.5, 10.2, 13.4, 16.4, 19.2, 22.0, 24.7, 27.3, 29.8, 32.4, 34.8},
    {50, 5.9, 9.2, 12.1, 14.8, 17.4, 19.9, 22.4, 24.7, 27.1, 29.4, 31.6},
    {55, 5.4, 8.4, 11.1, 13.5, 15.9, 18.2, 20.5, 22.6, 24.8, 26.9, 28.9},
    {60, 4.9, 7.7, 10.2, 12.5, 14.7, 16.8, 18.8, 20.8, 22.8, 24.8, 26.7},
    {65, 4.6, 7.1, 9.4, 11.5, 13.6, 15.5, 17.5, 19.3, 21.2, 23.0, 24.7},
    {70, 4.2, 6.6, 8.8, 10.8, 12.7, 14.5, 16.3, 18.0, 19.7, 21.4, 23.1},
    {75, 4.0, 6.2, 8.2, 10.1, 11.8, 13.6, 15.2, 16.9, 18.5, 20.1, 21.6},
    {80, 3.7, 5.8, 7.7, 9.5, 11.1, 12.7, 14.3, 15.9, 17.4, 18.9, 20.3},
    {90, 3.3, 5.2, 6.9, 8.4, 9.9, 11.4, 12.8, 14.2, 15.5, 16.9, 18.2},
    {100, 3.0, 4.7, 6.2, 7.6, 9.0, 10.3, 11.5, 12.8, 14.0, 15.2, 16.4},
    {125, 2.4, 3.8, 5.0, 6.1, 7.2, 8.3, 9.3, 10.3, 11.3, 12.3, 13.2},
    {150, 2.0, 3.2, 4.2, 5.1, 6.0, 6.9, 7.8, 8.6, 9.5, 10.3, 11.1},
    {200, 1.5, 2.4, 3.2, 3.9, 4.6, 5.2, 5.9, 6.5, 7.2, 7.8, 8.4},
    {300, 1.0, 1.6, 2.1, 2.6, 3.1, 3.5, 4.0, 4.4, 4.8, 5.2, 5.6},
    {400, 0.8, 1.2, 1.6, 2.0, 2.3, 2.7, 3.0, 3.3, 3.6, 3.9, 4.3},
    {500, 0.6, 1.0, 1.3, 1.6, 1.9, 2.1, 2.4, 2.7, 2.9, 3.2, 3.4},
};
/* Table A-4, the same at 10% risk. */
static const double TABLE_A4[21][12] = {
    {20, 10.9, 18.1, 24.5, 30.5, 36.1, 41.5, 46.8, 51.9, 56.8, 61.6, 66.2},
    {25, 8.8, 14.7, 20.0, 24.9, 29.5, 34.0, 38.4, 42.6, 46.8, 50.8, 54.8},
    {30, 7.4, 12.4, 16.8, 21.0, 24.9, 28.8, 32.5, 36.2, 39.7, 43.2, 46.7},
    {35, 6.4, 10.7, 14.5, 18.2, 21.6, 24.9, 28.2, 31.4, 34.5, 37.6, 40.6},
    {40, 5.6, 9.4, 12.8, 16.0, 19.0, 22.0, 24.9, 27.7, 30.5, 33.2, 35.9},
    {45, 5.0, 8.4, 11.4, 14.3, 17.0, 19.7, 22.3, 24.8, 27.3, 29.8, 32.2},
    {50, 4.6, 7.6, 10.3, 12.9, 15.4, 17.8, 20.2, 22.5, 24.7, 27.0, 29.2},
    {55, 4.2, 6.9, 9.4, 11.8, 14.1, 16.3, 18.4, 20.5, 22.6, 24.6, 26.7},
    {60, 3.8, 6.4, 8.7, 10.8, 12.9, 15.0, 16.9, 18.9, 20.8, 22.7, 24.6},
    {65, 3.5, 5.9, 8.0, 10.0, 12.0, 13.9, 15.7, 17.5, 19.3, 21.0, 22.8},
    {70, 3.3, 5.5, 7.5, 9.3, 11.1, 12.9, 14.6, 16.3, 18.0, 19.6, 21.2},
    {75, 3.1, 5.1, 7.0, 8.7, 10.4, 12.1, 13.7, 15.2, 16.8, 18.3, 19.8},
    {80, 2.9, 4.8, 6.6, 8.2, 9.8, 11.3, 12.8, 14.3, 15.8, 17.2, 18.7},
    {90, 2.6, 4.3, 5.9, 7.3, 8.7, 10.1, 11.5, 12.8, 14.1, 15.4, 16.7},
    {100, 2.3, 3.9, 5.3, 6.6, 7.9, 9.1, 10.3, 11.5, 12.7, 13.9, 15.0},
    {125, 1.9, 3.1, 4.3, 5.3, 6.3, 7.3, 8.3, 9.3, 10.2, 11.2, 12.1},
    {150, 1.6, 2.6, 3.6, 4.4, 5.3, 6.1, 7.0, 7.8, 8.6, 9.4, 10.1},
    {200, 1.2, 2.0, 2.7, 3.4, 4.0, 4.6, 5.3, 5.9, 6.5, 7.1, 7.6},
    {300, 0.8, 1.3, 1.8, 2.3, 2.7, 3.1, 3.5, 3.9, 4.3, 4.7, 5.1},
    {400, 0.6, 1.0, 1.4, 1.7, 2.0, 2.4, 2.7, 3.0, 3.3, 3.6, 3.9},
    {500, 0.5, 0.8, 1.1, 1.4, 1.6, 1.9, 2.1, 2.4, 2.6, 2.9, 3.1},
};

static const int EXPECTED_BP[26] = {0,   25,  50,  75,  100,  125,  150,  175, 200,
                                    225, 250, 275, 300, 325,  350,  375,  400, 500,
                                    600, 700, 800, 900, 1000, 1250, 1500, 1750};
static const int TOLERABLE_PCT[11] = {2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 20};

static eng_plan plan(eng_model model, double conf, double t, double e, uint64_t population)
{
    eng_plan_opts o;
    eng_plan_opts_init(&o);
    o.model = model;
    o.confidence = conf;
    o.tolerable = t;
    o.expected_rate = e;
    o.population = population;
    eng_plan p;
    ag_error err;
    ag_error_clear(&err);
    ag_err rc = eng_plan_sample(&o, &p, &err);
    if (rc)
        fprintf(stderr, "plan T=%g E=%g: %s\n", t, e, err.en);
    assert_int_equal(rc, AG_OK);
    return p;
}

/* Checks every cell of a Table style matrix; returns the cells compared. */
static int check_attribute_table(const unsigned tab[26][11], double conf, int skip_row,
                                 int skip_col)
{
    int cells = 0;
    for (int c = 0; c < 11; c++) {
        for (int r = 0; r < 26; r++) {
            if (!tab[r][c] || (r == skip_row && c == skip_col))
                continue;
            double t = TOLERABLE_PCT[c] / 100.0, e = EXPECTED_BP[r] / 10000.0;
            eng_plan p = plan(ENG_MODEL_BINOMIAL, conf, t, e, 0);
            if (p.n != tab[r][c])
                fprintf(stderr, "T=%d%% E=%.2f%%: got %llu, table %u\n", TOLERABLE_PCT[c],
                        EXPECTED_BP[r] / 100.0, (unsigned long long)p.n, tab[r][c]);
            assert_int_equal(p.n, tab[r][c]);
            /* The number in parentheses in the Guide: ceil(E * n). */
            assert_true(p.expected_errors == ceil(e * (double)p.n - 1e-9));
            assert_true(p.risk <= 1.0 - conf);
            assert_true(p.upper_bound <= t);
            cells++;
        }
    }
    return cells;
}

static void table_a1_five_percent_risk(void **state)
{
    (void)state;
    /* All 194 cells of Table A-1 ("Statistical Sample Sizes for Tests of
     * Controls - 5 Percent Risk of Overreliance"). */
    assert_int_equal(check_attribute_table(TABLE_A1, 0.95, -1, -1), 194);

    /* The cells everyone quotes, with the expected deviations in parentheses. */
    eng_plan p = plan(ENG_MODEL_BINOMIAL, 0.95, 0.05, 0, 0);
    assert_int_equal(p.n, 59);
    assert_true(p.expected_errors == 0);
    p = plan(ENG_MODEL_BINOMIAL, 0.95, 0.10, 0, 0);
    assert_int_equal(p.n, 29);
    p = plan(ENG_MODEL_BINOMIAL, 0.95, 0.05, 0.01, 0);
    assert_int_equal(p.n, 93);
    assert_true(p.expected_errors == 1);
    p = plan(ENG_MODEL_BINOMIAL, 0.95, 0.04, 0.0175, 0);
    assert_int_equal(p.n, 227);
    assert_true(p.expected_errors == 4);
    p = plan(ENG_MODEL_BINOMIAL, 0.95, 0.10, 0.06, 0);
    assert_int_equal(p.n, 179);
    assert_true(p.expected_errors == 11);
}

static void table_a2_ten_percent_risk(void **state)
{
    (void)state;
    /* Table A-2 (10 percent risk of overreliance): 198 cells. Two are
     * checked apart: at a tolerable 7% and expected 3.25% and 3.5% the Guide
     * prints 112, but with 4 deviations P(X <= 4 | 112, 0.07) = 0.1007 is
     * above the 10% risk; 113 is the smallest size that meets it (jfa notes
     * the same). The Guide's 400 (T 5%, E 3.5%) and 1300 (T 8%, E 7%) need
     * E * n counted exactly (14 and 91 deviations); counted in binary
     * floating point they come out 423 and 1313. */
    int cells = 0;
    for (int r = 13; r <= 14; r++) {
        eng_plan p = plan(ENG_MODEL_BINOMIAL, 0.90, 0.07, EXPECTED_BP[r] / 10000.0, 0);
        assert_int_equal(TABLE_A2[r][5], 112);
        assert_int_equal(p.n, 113);
        assert_true(p.expected_errors == 4);
        assert_true(eng_binom_cdf(4, 112, 0.07) > 0.10);
        assert_true(eng_binom_cdf(4, 113, 0.07) <= 0.10);
    }
    unsigned t2[26][11];
    memcpy(t2, TABLE_A2, sizeof t2);
    t2[13][5] = t2[14][5] = 0;
    cells = check_attribute_table((const unsigned(*)[11])t2, 0.90, -1, -1);
    assert_int_equal(cells + 2, 198);
    assert_int_equal(plan(ENG_MODEL_BINOMIAL, 0.90, 0.05, 0.035, 0).n, 400);
    assert_int_equal(plan(ENG_MODEL_BINOMIAL, 0.90, 0.08, 0.07, 0).n, 1300);
    assert_int_equal(plan(ENG_MODEL_BINOMIAL, 0.90, 0.07, 0.03, 0).n, 94);
    assert_int_equal(plan(ENG_MODEL_BINOMIAL, 0.90, 0.08, 0.04, 0).n, 98);
}

static void table_c1_monetary_unit_sizes(void **state)
{
    (void)state;
    /* Table C-1 ("Monetary Unit Sample Size Determination Tables"): Poisson
     * with the expected misstatement unrounded, k = E * n (E = ratio * T). */
    static const double T[11] = {0.5, 0.3, 0.1, 0.08, 0.06, 0.05, 0.04, 0.03, 0.02, 0.01, 0.005};
    int cells = 0;
    for (int r = 0; r < 38; r++) {
        double conf = 1.0 - TABLE_C1[r][0] / 100.0, ratio = TABLE_C1[r][1] / 10.0;
        for (int c = 0; c < 11; c++) {
            eng_plan p = plan(ENG_MODEL_POISSON, conf, T[c], ratio * T[c], 0);
            if (p.n != TABLE_C1[r][c + 2])
                fprintf(stderr, "risk %u%% ratio %.1f T %g: got %llu, table %u\n", TABLE_C1[r][0],
                        ratio, T[c], (unsigned long long)p.n, TABLE_C1[r][c + 2]);
            assert_int_equal(p.n, TABLE_C1[r][c + 2]);
            cells++;
        }
    }
    assert_int_equal(cells, 418);

    /* The same plan from amounts: book 2,500,000, tolerable 125,000 (5%),
     * none expected, 95%: 3.00 / 0.05 -> 60, interval 41,666.66. */
    eng_plan p;
    int64_t interval = 0;
    ag_error err;
    assert_int_equal(
        eng_plan_mus(250000000, 12500000, 0, 0.95, ENG_MODEL_POISSON, &p, &interval, &err), AG_OK);
    assert_int_equal(p.n, 60);
    assert_int_equal(interval, 4166666);
    /* Expected 20% of tolerable at 5% risk: the table's 93 at T = 5%. */
    assert_int_equal(
        eng_plan_mus(250000000, 12500000, 2500000, 0.95, ENG_MODEL_POISSON, &p, &interval, &err),
        AG_OK);
    assert_int_equal(p.n, 93);
}

static void poisson_confidence_factors(void **state)
{
    (void)state;
    /* AICPA Table C-2 (confidence factors for monetary-unit sample
     * evaluation), risk of incorrect acceptance 5% and 10%, 0..20
     * overstatements: each printed factor is qgamma(1 - risk, k + 1) rounded
     * up to two decimals. */
    static const double F5[21] = {3.00,  4.75,  6.30,  7.76,  9.16,  10.52, 11.85,
                                  13.15, 14.44, 15.71, 16.97, 18.21, 19.45, 20.67,
                                  21.89, 23.10, 24.31, 25.50, 26.70, 27.88, 29.07};
    static const double F10[21] = {2.31,  3.89,  5.33,  6.69,  8.00,  9.28,  10.54,
                                   11.78, 13.00, 14.21, 15.41, 16.60, 17.79, 18.96,
                                   20.13, 21.30, 22.46, 23.61, 24.76, 25.91, 27.05};
    static const double F20[6] = {1.61, 3.00, 4.28, 5.52, 6.73, 7.91};
    static const double F50[6] = {0.70, 1.68, 2.68, 3.68, 4.68, 5.68};
    for (int k = 0; k <= 20; k++) {
        assert_float_equal(eng_round_up2(eng_poisson_factor(0.95, k)), F5[k], 1e-9);
        assert_float_equal(eng_round_up2(eng_poisson_factor(0.90, k)), F10[k], 1e-9);
    }
    for (int k = 0; k < 6; k++) {
        assert_float_equal(eng_round_up2(eng_poisson_factor(0.80, k)), F20[k], 1e-9);
        assert_float_equal(eng_round_up2(eng_poisson_factor(0.50, k)), F50[k], 1e-9);
    }
    /* The exact values behind 3.00, 4.75, 6.30 (mpmath, 30 digits). */
    assert_float_equal(eng_poisson_factor(0.95, 0), 2.99573227355399, 1e-12);
    assert_float_equal(eng_poisson_factor(0.95, 1), 4.74386451839057, 1e-11);
    assert_float_equal(eng_poisson_factor(0.95, 2), 6.29579362187, 1e-10);
    assert_float_equal(eng_poisson_factor(0.90, 0), 2.30258509299405, 1e-12);

    /* Poisson evaluation: UB = qgamma(C, K + 1) / n. */
    eng_eval e;
    ag_error err;
    assert_int_equal(eng_evaluate(ENG_MODEL_POISSON, 100, 0, 0, 0.95, 0.05, &e, &err), AG_OK);
    assert_float_equal(e.upper, 0.0299573227355399, 1e-14);
    assert_true(e.within);
    assert_int_equal(eng_evaluate(ENG_MODEL_POISSON, 100, 2, 0, 0.95, 0.05, &e, &err), AG_OK);
    assert_float_equal(e.upper, 0.0629579362187, 1e-12);
    assert_float_equal(e.mle, 0.02, 1e-15);
    assert_false(e.within);
}

static void clopper_pearson_bounds(void **state)
{
    (void)state;
    /* Known cases (mpmath, 30 digits): 0 of 20 is 1 - 0.05^(1/20). */
    static const struct {
        unsigned k, n;
        double ub;
    } known[] = {{0, 20, 0.1391083406682652},     {1, 100, 0.046559811453538946},
                 {2, 50, 0.12061415542204414},    {5, 200, 0.051843339120290533},
                 {10, 500, 0.033688272331144478}, {3, 59, 0.12620655673085027}};
    eng_eval e;
    ag_error err;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        assert_int_equal(
            eng_evaluate(ENG_MODEL_BINOMIAL, known[i].n, known[i].k, 0, 0.95, 0, &e, &err), AG_OK);
        assert_float_equal(e.upper, known[i].ub, 1e-13);
    }
    /* Tables A-3 and A-4 (upper limits at 5% and 10% risk, 0..10 deviations,
     * 20..500 items), printed in percent rounded up to a tenth: all 462 cells. */
    for (int t = 0; t < 2; t++) {
        const double(*tab)[12] = t == 0 ? TABLE_A3 : TABLE_A4;
        double conf = t == 0 ? 0.95 : 0.90;
        for (int r = 0; r < 21; r++) {
            for (int k = 0; k <= 10; k++) {
                assert_int_equal(
                    eng_evaluate(ENG_MODEL_BINOMIAL, (uint64_t)tab[r][0], k, 0, conf, 0, &e, &err),
                    AG_OK);
                double shown = ceil(e.upper * 1000.0 - 1e-9) / 10.0;
                if (fabs(shown - tab[r][k + 1]) > 1e-9)
                    fprintf(stderr, "A-%d n=%g k=%d: %.1f vs %.1f\n", 3 + t, tab[r][0], k, shown,
                            tab[r][k + 1]);
                assert_float_equal(shown, tab[r][k + 1], 1e-9);
            }
        }
    }
    /* k = n: nothing is ruled out. */
    assert_int_equal(eng_evaluate(ENG_MODEL_BINOMIAL, 10, 10, 0, 0.95, 0, &e, &err), AG_OK);
    assert_float_equal(e.upper, 1.0, 0);
}

static void hypergeometric_plans_and_bounds(void **state)
{
    (void)state;
    /* Reference values from exact rational arithmetic (Python fractions):
     * smallest n with P(X <= ceil(E n) | N, ceil(T N), n) <= 5%. */
    static const struct {
        uint64_t N;
        double t, e;
        uint64_t n, k, ktol;
    } cases[] = {{1000, 0.05, 0, 57, 0, 50},
                 {1000, 0.05, 0.01, 90, 1, 50},
                 {500, 0.10, 0.02, 44, 1, 50},
                 {200, 0.05, 0, 51, 0, 10},
                 {5000, 0.03, 0.005, 155, 1, 150}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        eng_plan p = plan(ENG_MODEL_HYPERGEOMETRIC, 0.95, cases[i].t, cases[i].e, cases[i].N);
        assert_int_equal(p.n, cases[i].n);
        assert_true(p.expected_errors == (double)cases[i].k);
        assert_int_equal(p.tolerable_errors, cases[i].ktol);
    }
    /* Smaller than the binomial 59 for the same T: the finite population helps. */
    eng_plan_opts o;
    eng_plan_opts_init(&o);
    o.model = ENG_MODEL_HYPERGEOMETRIC;
    o.tolerable = 0.05;
    o.population = 1000;
    o.expected_count = 2;
    eng_plan p;
    ag_error err;
    assert_int_equal(eng_plan_sample(&o, &p, &err), AG_OK);
    assert_int_equal(p.n, 119);

    /* Upper bounds: the largest population error count not ruled out. */
    eng_eval e;
    assert_int_equal(eng_evaluate(ENG_MODEL_HYPERGEOMETRIC, 59, 0, 1000, 0.95, 0.05, &e, &err),
                     AG_OK);
    assert_int_equal(e.upper_count, 48);
    assert_true(e.within);
    assert_int_equal(eng_evaluate(ENG_MODEL_HYPERGEOMETRIC, 93, 1, 1000, 0.95, 0, &e, &err), AG_OK);
    assert_int_equal(e.upper_count, 48);
    assert_int_equal(eng_evaluate(ENG_MODEL_HYPERGEOMETRIC, 60, 2, 500, 0.95, 0, &e, &err), AG_OK);
    assert_int_equal(e.upper_count, 48);
    /* A census of 100 with no error: the bound is exactly 0. */
    assert_int_equal(eng_evaluate(ENG_MODEL_HYPERGEOMETRIC, 100, 0, 100, 0.95, 0, &e, &err), AG_OK);
    assert_int_equal(e.upper_count, 0);

    /* Without N the model is refused. */
    o.population = 0;
    assert_int_equal(eng_plan_sample(&o, &p, &err), AG_ERR_INPUT);
}

static void stringer_textbook_example(void **state)
{
    (void)state;
    /* PPS evaluation example (Chapter 16, problem 7 of the course text, as
     * worked in the lecture notes "L12 Notes Part 13", ACG 5637, University of
     * Florida, 2008): book value 2,500,000, n = 59, interval 42,373, 10% risk
     * of incorrect acceptance. Misstatements (book -> audited): 71,330 ->
     * 60,631 (at or above the interval: 10,699 as is); 3,555 -> 1,422 (60%);
     * 30,081 -> 21,057 (30%); 18,996 -> 17,096 (10%). The notes use the
     * factors 2.31 and increments 1.6, 1.4, 1.4 and get an upper misstatement
     * limit of 172,988. */
    static const eng_mus_item items[] = {
        {7133000, 6063100}, {1899600, 1709600}, {3008100, 2105700}, {355500, 142200}};
    static const double book[] = {2.31, 3.91, 5.31, 6.71};
    eng_mus_eval e;
    ag_error err;
    assert_int_equal(eng_mus_evaluate(items, 4, 4237300, 0.90, book, 4, &e, &err), AG_OK);
    assert_int_equal(e.errors, 3);
    assert_int_equal(e.top_errors, 1);
    assert_int_equal(llround(e.upper_limit / 100.0), 172988);
    assert_int_equal(llround(e.basic_precision / 100.0), 97882);
    assert_float_equal(e.top_misstatement, 1069900, 1e-6);

    /* With the printed AICPA factors (2.31, 3.89, 5.33, 6.69) and with the
     * exact Poisson factors (mpmath: 172,818.70 and 172,585.33). */
    static const double aicpa[] = {2.31, 3.89, 5.33, 6.69};
    assert_int_equal(eng_mus_evaluate(items, 4, 4237300, 0.90, aicpa, 4, &e, &err), AG_OK);
    assert_float_equal(e.upper_limit / 100.0, 172818.702933186, 1e-6);
    assert_int_equal(eng_mus_evaluate(items, 4, 4237300, 0.90, NULL, 0, &e, &err), AG_OK);
    assert_float_equal(e.basic_precision / 100.0, 97567.4381454367, 1e-6);
    assert_float_equal(e.projected / 100.0, 53072.4696619905, 1e-6);
    assert_float_equal(e.incremental / 100.0, 21945.4259968593, 1e-6);
    assert_float_equal(e.upper_limit / 100.0, 172585.333804287, 1e-6);
    /* Too few factors for the taints. */
    assert_int_equal(eng_mus_evaluate(items, 4, 4237300, 0.90, aicpa, 3, &e, &err), AG_ERR_INPUT);

    /* The same bound as a rate: BV * bound equals BP + PM + IA less the
     * top stratum, with interval = BV / n. */
    double taints[] = {0.1, 0.6, 0.3}, mle = 0;
    double ub = eng_stringer_bound(taints, 3, 59, 0.90, ENG_MODEL_POISSON, &mle);
    double f0 = eng_poisson_factor(0.9, 0), f1 = eng_poisson_factor(0.9, 1),
           f2 = eng_poisson_factor(0.9, 2), f3 = eng_poisson_factor(0.9, 3);
    assert_float_equal(ub, (f0 + 0.6 * (f1 - f0) + 0.3 * (f2 - f1) + 0.1 * (f3 - f2)) / 59, 1e-14);
    assert_float_equal(mle, 1.0 / 59, 1e-15);
    /* Stringer's original binomial form is a little tighter than Poisson. */
    double ubb = eng_stringer_bound(taints, 3, 59, 0.90, ENG_MODEL_BINOMIAL, NULL);
    assert_true(ubb < ub && ubb > 0.9 * ub);
    /* No misstatement: the basic precision alone. */
    assert_float_equal(eng_stringer_bound(NULL, 0, 100, 0.95, ENG_MODEL_POISSON, NULL),
                       0.0299573227355399, 1e-14);
}

static int64_t *payments(size_t n, uint64_t seed)
{
    int64_t *v = malloc(n * sizeof *v);
    assert_non_null(v);
    uint64_t x = seed;
    for (size_t i = 0; i < n; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        v[i] = (int64_t)(x >> 40) % 500000 + 1; /* up to 5,000 yuan */
    }
    return v;
}

static void mus_selection_is_deterministic_with_top_stratum(void **state)
{
    (void)state;
    size_t n = 2000;
    int64_t *v = payments(n, 7);
    v[10] = 90000000; /* three items at or above the interval */
    v[500] = 10000000;
    v[1999] = 10000000;
    v[20] = 0; /* not selectable */
    v[21] = -5000;
    int64_t interval = 10000000; /* 100,000 yuan */
    eng_selection a, b, c;
    eng_selection_init(&a);
    eng_selection_init(&b);
    eng_selection_init(&c);
    ag_error err;
    assert_int_equal(eng_select_mus(v, n, interval, ENG_SELECT_INTERVAL, 42, &a, &err), AG_OK);
    assert_int_equal(eng_select_mus(v, n, interval, ENG_SELECT_INTERVAL, 42, &b, &err), AG_OK);
    assert_int_equal(eng_select_mus(v, n, interval, ENG_SELECT_INTERVAL, 43, &c, &err), AG_OK);
    assert_int_equal(a.count, b.count);
    assert_memory_equal(a.index, b.index, a.count * sizeof *a.index);
    assert_int_equal(a.start, b.start);
    assert_true(a.start != c.start || memcmp(a.index, c.index, a.count * sizeof *a.index));

    /* The top stratum comes first, ascending, and is not sampled again. */
    assert_int_equal(a.top_count, 3);
    assert_int_equal(a.index[0], 10);
    assert_int_equal(a.index[1], 500);
    assert_int_equal(a.index[2], 1999);
    assert_int_equal(a.top_fen, 110000000);
    assert_int_equal(a.skipped, 2);
    int64_t rest = 0;
    for (size_t i = 0; i < n; i++)
        if (v[i] > 0 && v[i] < interval)
            rest += v[i];
    assert_int_equal(a.rest_fen, rest);
    /* One point per interval from the start: floor((rest - start) / I) + 1. */
    assert_int_equal(a.count - a.top_count, (size_t)((rest - a.start) / interval + 1));
    /* Each sampled item holds its point start + j * I. */
    int64_t end = 0, point = a.start;
    size_t j = a.top_count;
    for (size_t i = 0; i < n; i++) {
        if (v[i] <= 0 || v[i] >= interval)
            continue;
        end += v[i];
        if (point <= end) {
            assert_true(j < a.count);
            assert_int_equal(a.index[j], i);
            assert_int_equal(a.hits[j], 1);
            j++;
            point += interval;
        }
    }
    assert_int_equal(j, a.count);
    for (size_t i = a.top_count + 1; i < a.count; i++)
        assert_true(a.index[i] > a.index[i - 1]);

    /* Cell selection: one point in every full cell, so as many units as cells
     * (the last, partial cell may hold none). */
    eng_selection cell;
    eng_selection_init(&cell);
    assert_int_equal(eng_select_mus(v, n, interval, ENG_SELECT_CELL, 42, &cell, &err), AG_OK);
    assert_int_equal(cell.top_count, 3);
    size_t units = 0;
    for (size_t i = cell.top_count; i < cell.count; i++)
        units += cell.hits[i];
    size_t full = (size_t)(rest / interval), cells = (size_t)((rest + interval - 1) / interval);
    assert_true(units >= full && units <= cells);
    eng_selection cell2;
    eng_selection_init(&cell2);
    assert_int_equal(eng_select_mus(v, n, interval, ENG_SELECT_CELL, 42, &cell2, &err), AG_OK);
    assert_int_equal(cell.count, cell2.count);
    assert_memory_equal(cell.index, cell2.index, cell.count * sizeof *cell.index);

    json_t *js = eng_selection_to_json(&a);
    assert_non_null(js);
    assert_string_equal(json_string_value(json_object_get(js, "interval")), "100000.00");
    assert_int_equal(json_array_size(json_object_get(js, "items")), a.count);
    assert_true(
        json_is_true(json_object_get(json_array_get(json_object_get(js, "items"), 0), "top")));
    json_decref(js);

    assert_int_equal(eng_select_mus(v, n, 0, ENG_SELECT_INTERVAL, 1, &c, &err), AG_ERR_INPUT);
    eng_selection_release(&a);
    eng_selection_release(&b);
    eng_selection_release(&c);
    eng_selection_release(&cell);
    eng_selection_release(&cell2);
    eng_selection_release(&cell2); /* idempotent */
    eng_selection_release(NULL);
    free(v);
}

static void mus_selection_probability_is_proportional_to_value(void **state)
{
    (void)state;
    /* Three items of 1, 2 and 7 yuan with a 5-yuan interval: over many seeds
     * the fixed-interval method picks each with probability value / interval
     * (20%, 40%, and the 7-yuan item is top stratum, always). */
    int64_t v[] = {100, 200, 700, 300};
    int hits[4] = {0};
    eng_selection s;
    eng_selection_init(&s);
    ag_error err;
    for (uint64_t seed = 0; seed < 5000; seed++) {
        assert_int_equal(eng_select_mus(v, 4, 500, ENG_SELECT_INTERVAL, seed, &s, &err), AG_OK);
        for (size_t i = 0; i < s.count; i++)
            hits[s.index[i]]++;
    }
    eng_selection_release(&s);
    assert_int_equal(hits[2], 5000);
    assert_in_range(hits[0], 900, 1100);  /* 1/5 of 5000 */
    assert_in_range(hits[1], 1900, 2100); /* 2/5 */
    assert_in_range(hits[3], 2900, 3100); /* 3/5 */
}

static void random_selection(void **state)
{
    (void)state;
    eng_selection a, b;
    eng_selection_init(&a);
    eng_selection_init(&b);
    ag_error err;
    assert_int_equal(eng_select_random(1000, 60, 2024, &a, &err), AG_OK);
    assert_int_equal(eng_select_random(1000, 60, 2024, &b, &err), AG_OK);
    assert_int_equal(a.count, 60);
    assert_memory_equal(a.index, b.index, 60 * sizeof *a.index);
    for (size_t i = 1; i < a.count; i++)
        assert_true(a.index[i] > a.index[i - 1]); /* distinct and ascending */
    assert_true(a.index[59] < 1000);
    assert_int_equal(eng_select_random(1000, 60, 2025, &b, &err), AG_OK);
    assert_true(memcmp(a.index, b.index, 60 * sizeof *a.index) != 0);

    /* All of it, and none of it. */
    assert_int_equal(eng_select_random(5, 5, 1, &a, &err), AG_OK);
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(a.index[i], i);
    assert_int_equal(eng_select_random(5, 0, 1, &a, &err), AG_OK);
    assert_int_equal(a.count, 0);
    assert_int_equal(eng_select_random(5, 6, 1, &a, &err), AG_ERR_INPUT);

    /* Uniform: each of 20 items is chosen about 5/20 of the time. */
    int seen[20] = {0};
    for (uint64_t seed = 0; seed < 4000; seed++) {
        assert_int_equal(eng_select_random(20, 5, seed, &a, &err), AG_OK);
        for (size_t i = 0; i < 5; i++)
            seen[a.index[i]]++;
    }
    for (int i = 0; i < 20; i++)
        assert_in_range(seen[i], 850, 1150);
    eng_selection_release(&a);
    eng_selection_release(&b);
}

static void distribution_functions(void **state)
{
    (void)state;
    /* Chi-square upper tails at the NIST/SEMATECH 5% critical values and
     * closed forms; references from mpmath at 40 digits. */
    assert_float_equal(eng_chisq_upper(3.841459, 1), 0.049999994653195765, 1e-13);
    assert_float_equal(eng_chisq_upper(15.507, 8), 0.050005219283280788, 1e-13);
    assert_float_equal(eng_chisq_upper(112.022, 89), 0.049999905425663948, 1e-12);
    assert_float_equal(eng_chisq_upper(89, 89), 0.48006297779218125, 1e-12);
    assert_float_equal(eng_chisq_upper(60, 89), 0.99216864996519525, 1e-12);
    assert_float_equal(eng_chisq_upper(969.865, 899), 0.049999616575273375, 1e-11);
    assert_float_equal(eng_chisq_upper(900, 899), 0.48432711868661929, 1e-11);
    assert_float_equal(eng_chisq_upper(10, 2), exp(-5.0), 1e-15);
    assert_float_equal(eng_chisq_upper(200, 89) / 1.6267246955039629e-10, 1.0, 1e-9);
    assert_float_equal(eng_chisq_upper(0, 5), 1.0, 0);
    /* P + Q = 1 on both sides of the series/fraction switch. */
    for (double a = 0.5; a < 200; a *= 1.7)
        for (double x = 0.1; x < 400; x *= 2.3)
            assert_float_equal(eng_gamma_p(a, x) + eng_gamma_q(a, x), 1.0, 1e-13);
    /* Quantile inverts P. */
    for (double a = 1; a < 100; a *= 2.5)
        for (double p = 0.05; p < 1; p += 0.15)
            assert_float_equal(eng_gamma_p(a, eng_gamma_quantile(p, a)), p, 1e-13);
    /* Binomial by sum and by incomplete beta agree. */
    assert_float_equal(eng_binom_cdf(4, 112, 0.07), 1.0 - eng_beta_inc(5, 108, 0.07), 1e-13);
    assert_float_equal(eng_binom_cdf(1500, 20000, 0.08), eng_beta_inc(20000 - 1500, 1501, 0.92),
                       1e-12);
    /* Hypergeometric: the exact 0.0989... of 14 of 400 is binomial, here a
     * small case by hand: 2 of 5 with 2 errors, P(X = 0) = C(3,2)/C(5,2). */
    assert_float_equal(eng_hyper_cdf(0, 5, 2, 2), 0.3, 1e-15);
    assert_float_equal(eng_hyper_cdf(1, 5, 2, 2), 0.9, 1e-15);
    assert_true(isnan(eng_gamma_p(-1, 1)));
    assert_true(isnan(eng_gamma_quantile(1.0, 2)));
}

static void bad_plans_are_refused(void **state)
{
    (void)state;
    eng_plan_opts o;
    eng_plan_opts_init(&o);
    eng_plan p;
    ag_error err;
    ag_error_clear(&err);
    o.tolerable = 0.05;
    o.expected_rate = 0.05;
    assert_int_equal(eng_plan_sample(&o, &p, &err), AG_ERR_INPUT);
    assert_non_null(strstr(err.en, "below the tolerable"));
    assert_non_null(strstr(err.zh, "可容忍"));
    o.expected_rate = 0;
    o.confidence = 1.5;
    assert_int_equal(eng_plan_sample(&o, &p, &err), AG_ERR_INPUT);
    o.confidence = 0.95;
    o.tolerable = 0;
    assert_int_equal(eng_plan_sample(&o, &p, &err), AG_ERR_INPUT);
    /* A rate so close to the tolerable one that the plan passes the cap. */
    o.model = ENG_MODEL_BINOMIAL;
    o.tolerable = 0.05;
    o.expected_rate = 0.04999;
    assert_int_equal(eng_plan_sample(&o, &p, &err), AG_ERR_INPUT);
    assert_non_null(strstr(err.en, "too close"));
    /* A whole number of expected errors. */
    o.expected_rate = 0;
    o.expected_count = 1;
    assert_int_equal(eng_plan_sample(&o, &p, &err), AG_OK);
    assert_int_equal(p.n, 93);
    assert_int_equal(eng_plan_mus(100, 200, 0, 0.95, ENG_MODEL_POISSON, &p, NULL, &err),
                     AG_ERR_INPUT);
    eng_eval e;
    assert_int_equal(eng_evaluate(ENG_MODEL_BINOMIAL, 10, 1.5, 0, 0.95, 0, &e, &err), AG_ERR_INPUT);
    assert_int_equal(eng_evaluate(ENG_MODEL_BINOMIAL, 10, 11, 0, 0.95, 0, &e, &err), AG_ERR_INPUT);
}

static void plan_json(void **state)
{
    (void)state;
    eng_plan_opts o;
    eng_plan_opts_init(&o);
    o.model = ENG_MODEL_BINOMIAL;
    o.tolerable = 0.05;
    o.expected_rate = 0.01;
    eng_plan p;
    ag_error err;
    assert_int_equal(eng_plan_sample(&o, &p, &err), AG_OK);
    json_t *j = eng_plan_to_json(&o, &p);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "model")), "binomial");
    assert_int_equal(json_integer_value(json_object_get(j, "n")), 93);
    assert_float_equal(json_real_value(json_object_get(j, "expected_errors")), 1.0, 0);
    json_decref(j);
    eng_eval e;
    assert_int_equal(eng_evaluate(ENG_MODEL_BINOMIAL, 93, 1, 0, 0.95, 0.05, &e, &err), AG_OK);
    j = eng_eval_to_json(&e);
    assert_true(json_is_true(json_object_get(j, "within")));
    json_decref(j);
    static const eng_mus_item items[] = {{355500, 142200}};
    eng_mus_eval m;
    assert_int_equal(eng_mus_evaluate(items, 1, 4237300, 0.90, NULL, 0, &m, &err), AG_OK);
    j = eng_mus_eval_to_json(&m);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "interval")), "42373.00");
    assert_int_equal(json_array_size(json_object_get(j, "factors")), 2);
    json_decref(j);
    eng_model model;
    assert_true(eng_model_parse("hyper", &model));
    assert_int_equal(model, ENG_MODEL_HYPERGEOMETRIC);
    assert_false(eng_model_parse("normal", &model));
    eng_select_method sm;
    assert_true(eng_select_method_parse("cell", &sm));
    assert_int_equal(sm, ENG_SELECT_CELL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_a1_five_percent_risk),
        cmocka_unit_test(table_a2_ten_percent_risk),
        cmocka_unit_test(table_c1_monetary_unit_sizes),
        cmocka_unit_test(poisson_confidence_factors),
        cmocka_unit_test(clopper_pearson_bounds),
        cmocka_unit_test(hypergeometric_plans_and_bounds),
        cmocka_unit_test(stringer_textbook_example),
        cmocka_unit_test(mus_selection_is_deterministic_with_top_stratum),
        cmocka_unit_test(mus_selection_probability_is_proportional_to_value),
        cmocka_unit_test(random_selection),
        cmocka_unit_test(distribution_functions),
        cmocka_unit_test(bad_plans_are_refused),
        cmocka_unit_test(plan_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
