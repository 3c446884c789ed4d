/* testutil.h - helpers shared by the cmocka tests: scratch paths. */
#ifndef AG_TESTUTIL_H
#define AG_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

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

#endif
