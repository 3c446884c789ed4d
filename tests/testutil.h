/* testutil.h - helpers shared by the cmocka tests: scratch paths, fresh databases, must(). Include
 * after <cmocka.h>. */
#ifndef AG_TESTUTIL_H
#define AG_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store.h"
#include "util/error.h"

/* Fills out with a fresh path under $AG_TEST_TMP (or /tmp) for `name`,
 * removing any file left there by an earlier run (and its -wal/-shm). */
static inline void ag_test_path(char *out, size_t n, const char *name)
{
    const char *base = getenv("AG_TEST_TMP");
    if (!base || !*base)
        base = "/tmp";
    mkdir(base, 0755);
    snprintf(out, n, "%s/%d-%s", base, (int)getpid(), name);
    char extra[1100];
    unlink(out);
    snprintf(extra, sizeof extra, "%s-wal", out);
    unlink(extra);
    snprintf(extra, sizeof extra, "%s-shm", out);
    unlink(extra);
}

/* Fails the running test unless rc is AG_OK, naming the error's code, its
 * English message and the place at fault. */
static inline void must(ag_err rc, const ag_error *err)
{
    if (rc)
        fail_msg("unexpected error %s: %s (%s)", ag_err_name(rc), err->en, err->where);
}

/* A new, empty database (migrated) at a fresh path for `name`; the test
 * closes it with store_close. */
static inline ag_store *ag_test_fresh_db(const char *name)
{
    char path[1024];
    ag_test_path(path, sizeof path, name);
    ag_store *st = NULL;
    ag_error err;
    must(store_open(path, AG_STORE_CREATE, &st, &err), &err);
    return st;
}

#endif
