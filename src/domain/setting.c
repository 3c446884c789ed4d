/* setting.c - integer settings of the bureau. */
#include "domain/setting.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "domain/wf_query.h"
#include "util/clock.h"
#include "util/banned.h"

ag_err setting_int(ag_store *st, const char *key, int64_t lo, int64_t hi, int64_t def, int64_t *out,
                   ag_error *err)
{
    *out = def;
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = wf_prep(st, &s, err, "SELECT value FROM setting WHERE key = ?", "t", key);
    if (!rc)
        rc = store_step(s, &row, err);
    const char *v = !rc && row ? store_col_text(s, 0) : NULL;
    if (v) {
        char *end = NULL;
        long long n = strtoll(v, &end, 10);
        if (end != v && *end == '\0' && n >= lo && n <= hi)
            *out = n;
    }
    store_finalize(s);
    return rc;
}

ag_err setting_put_int(ag_store *st, const char *key, int64_t value, ag_error *err)
{
    char val[24], ts[21];
    snprintf(val, sizeof val, "%" PRId64, value);
    ag_clock_format(ag_clock_now(), ts);
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    int64_t there = 0;
    rc = wf_query_int(st, &there, err, "SELECT COUNT(*) FROM setting WHERE key = ?", "t", key);
    ag_field f[] = {ag_field_text("key", key), ag_field_text("value", val),
                    ag_field_text("updated_at", ts)};
    if (!rc && there)
        rc = store_update(st, "setting", "key", f[0], f + 1, 2, err);
    else if (!rc)
        rc = store_insert(st, "setting", "key", f, 3, NULL, err);
    return store_end(st, rc, err);
}
