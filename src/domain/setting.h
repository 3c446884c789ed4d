/* setting.h - the bureau's settings (table setting: key → text value), one
 * reader and one writer for every module that keeps a number there
 * (rectification deadlines, the review share of dismissals, liaison cadence). */
#ifndef AG_SETTING_H
#define AG_SETTING_H

#include <stdint.h>

#include "store/store.h"
#include "util/error.h"

/* The integer setting `key` into *out: def when absent, and also when the
 * stored text is not an integer within lo..hi (a hand-edited, unreadable
 * value must not break what reads it). */
ag_err setting_int(ag_store *st, const char *key, int64_t lo, int64_t hi, int64_t def, int64_t *out,
                   ag_error *err);

/* Stores `value` under `key` (insert or update, updated_at = now), in its
 * own transaction; store_insert/store_update write the audit log. The
 * caller checks the range and names the field. */
ag_err setting_put_int(ag_store *st, const char *key, int64_t value, ag_error *err);

#endif
