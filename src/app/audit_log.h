/* audit_log.h (app) - reading the audit log and checking its hash chain, also against an anchor
 * kept outside the database (issue 12 §5, §7). */
#ifndef AG_APP_AUDIT_LOG_H
#define AG_APP_AUDIT_LOG_H

#include <jansson.h>
#include <stdint.h>

#include "store/store.h"
#include "util/error.h"

/* A page of the log, newest first, optionally of one actor ("user:admin") and/or one table
 * (NULL: all): {total, items: [{seq, ts, actor, action, table, key, hash}]}. Caller owns *out. */
ag_err app_audit_log_page(ag_store *st, const char *actor, const char *table, int64_t limit,
                          int64_t offset, json_t **out, ag_error *err);

/* Checks the chain (store_audit_verify, filling *rep) and, when expect is not NULL, that the
 * anchor expect - a head hash printed earlier by `audit-log head` - is still in it: either the
 * head itself, or an entry the log has grown past since. *anchor_seq (may be NULL) receives the
 * anchor's entry. Deleting the newest entries and moving audit_head back leaves an intact chain
 * that no longer holds the anchor: AG_ERR_TAMPER, with rep->reason saying so. expect that is not
 * 64 hex digits is AG_ERR_USAGE. */
ag_err app_audit_log_verify(ag_store *st, const char *expect, ag_audit_report *rep,
                            int64_t *anchor_seq, ag_error *err);

#endif
