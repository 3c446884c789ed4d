/* test_gen_out.c - the generator's buffered output: CSV quoting, numbers, money and dates as
 * written, and files that appear only when committed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ledger/gen_int.h"
#include "util/date.h"
#include "../testutil.h"

static void scratch_dir(char *out, size_t n, const char *name)
{
    ag_test_path(out, n, name);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", out);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(mkdir(out, 0755), 0);
}

/* The file's bytes, NUL-terminated; the caller frees. */
static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        fail_msg("cannot open %s", path);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    assert_non_null(s);
    assert_int_equal(fread(s, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    s[n] = '\0';
    *len = (size_t)n;
    return s;
}

/* Entries of dir other than . and .. */
static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

static void fields_numbers_money_and_dates_are_written_as_csv(void **state)
{
    (void)state;
    char dir[1024], path[1200];
    scratch_dir(dir, sizeof dir, "genout-csv");
    gen_file f;
    ag_error err;
    must(gen_file_open(&f, dir, "a.csv", &err), &err);
    /* Nothing under the final name until commit; the temporary is hidden. */
    snprintf(path, sizeof path, "%s/a.csv", dir);
    struct stat sb;
    assert_int_not_equal(stat(path, &sb), 0);
    assert_int_equal(entries(dir), 1);

    gen_put_field(&f, "plain");
    gen_putc(&f, ',');
    gen_put_field(&f, "a,b");
    gen_putc(&f, ',');
    gen_put_field(&f, "say \"hi\"");
    gen_putc(&f, ',');
    gen_put_field(&f, "two\nlines");
    gen_putc(&f, ',');
    gen_put_field(&f, NULL);
    gen_putc(&f, ',');
    gen_put_field(&f, "");
    gen_putc(&f, ',');
    gen_put_int(&f, 0);
    gen_putc(&f, ',');
    gen_put_int(&f, -42);
    gen_putc(&f, ',');
    gen_put_int(&f, INT64_MIN);
    gen_putc(&f, ',');
    gen_put_money(&f, 0);
    gen_putc(&f, ',');
    gen_put_money(&f, 5);
    gen_putc(&f, ',');
    gen_put_money(&f, -123450);
    gen_putc(&f, ',');
    gen_put_money(&f, INT64_MAX);
    gen_putc(&f, ',');
    gen_put_date(&f, ag_date_to_days((ag_date){2024, 2, 29}));
    gen_puts(&f, "\n");
    gen_puts(&f, NULL);
    int64_t bytes = f.bytes;
    must(gen_file_commit(&f, &err), &err);

    size_t len = 0;
    char *s = slurp(path, &len);
    assert_string_equal(s, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,,0,-42,"
                           "-9223372036854775808,0.00,0.05,-1234.50,92233720368547758.07,"
                           "2024-02-29\n");
    assert_int_equal((int64_t)len, bytes);
    free(s);
    assert_int_equal(entries(dir), 1); /* the temporary was renamed, not copied */
}

static void output_larger_than_the_buffer_arrives_whole_and_in_order(void **state)
{
    (void)state;
    char dir[1024], path[1200];
    scratch_dir(dir, sizeof dir, "genout-big");
    gen_file f;
    ag_error err;
    must(gen_file_open(&f, dir, "big.csv", &err), &err);
    /* 3 MiB of numbered lines, plus one write larger than the whole buffer. */
    int64_t want = 0;
    for (int i = 0; i < 300000; i++) {
        gen_put_int(&f, i);
        gen_putc(&f, '\n');
        want += snprintf(NULL, 0, "%d\n", i);
    }
    size_t huge = f.cap + 10;
    char *blob = malloc(huge);
    assert_non_null(blob);
    memset(blob, 'z', huge);
    gen_put(&f, blob, huge);
    want += (int64_t)huge;
    free(blob);
    must(gen_file_commit(&f, &err), &err);
    snprintf(path, sizeof path, "%s/big.csv", dir);
    size_t len = 0;
    char *s = slurp(path, &len);
    assert_int_equal((int64_t)len, want);
    char *p = s;
    for (int i = 0; i < 300000; i++) {
        char *end = NULL;
        long v = strtol(p, &end, 10);
        assert_int_equal(v, i);
        assert_int_equal(*end, '\n');
        p = end + 1;
    }
    assert_int_equal((size_t)(p - s) + huge, len);
    assert_int_equal(p[0], 'z');
    assert_int_equal(s[len - 1], 'z');
    free(s);
}

static void abort_leaves_nothing_and_is_safe_twice(void **state)
{
    (void)state;
    char dir[1024];
    scratch_dir(dir, sizeof dir, "genout-abort");
    gen_file f;
    ag_error err;
    must(gen_file_open(&f, dir, "x.csv", &err), &err);
    gen_puts(&f, "half a line");
    gen_file_abort(&f);
    gen_file_abort(&f);
    assert_int_equal(entries(dir), 0);
    gen_file z;
    memset(&z, 0, sizeof z);
    gen_file_abort(&z);
}

static void a_missing_folder_or_an_over_long_path_is_refused(void **state)
{
    (void)state;
    char dir[1024], path[1200];
    scratch_dir(dir, sizeof dir, "genout-bad");
    gen_file f;
    ag_error err;
    snprintf(path, sizeof path, "%s/no/such/dir", dir);
    assert_int_equal(gen_file_open(&f, path, "a.csv", &err), AG_ERR_IO);
    assert_non_null(strstr(err.en, "cannot create the file"));
    char *longdir = malloc(GEN_PATH + 16);
    assert_non_null(longdir);
    memset(longdir, 'd', GEN_PATH + 15);
    longdir[GEN_PATH + 15] = '\0';
    assert_int_equal(gen_file_open(&f, longdir, "a.csv", &err), AG_ERR_USAGE);
    assert_non_null(strstr(err.en, "too long"));
    free(longdir);

    /* A commit whose rename fails (the final name is a folder) removes the temporary. */
    must(gen_file_open(&f, dir, "taken", &err), &err);
    snprintf(path, sizeof path, "%s/taken", dir);
    assert_int_equal(mkdir(path, 0755), 0);
    assert_int_equal(mkdir(strcat(path, "/keep"), 0755), 0);
    gen_puts(&f, "x");
    assert_int_equal(gen_file_commit(&f, &err), AG_ERR_IO);
    assert_non_null(strstr(err.en, "rename failed"));
    assert_int_equal(entries(dir), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fields_numbers_money_and_dates_are_written_as_csv),
        cmocka_unit_test(output_larger_than_the_buffer_arrives_whole_and_in_order),
        cmocka_unit_test(abort_leaves_nothing_and_is_safe_twice),
        cmocka_unit_test(a_missing_folder_or_an_over_long_path_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
