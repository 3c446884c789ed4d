/* liaison.h (app) - the grid liaison's actions (issue 14 §5), each one transaction with its
 * audit-log entries, for the CLI (`auditgrid liaison`) and the server (/api/v1/liaison/…). */
#ifndef AG_APP_LIAISON_H
#define AG_APP_LIAISON_H

#include <jansson.h>
#include <stdint.h>

#include "domain/liaison.h"

/* Records a contact or visit (liaison_log_add) and answers its reminders, in
 * one transaction; *out (may be NULL) receives the new entry as a sees it.
 * Caller owns *out. */
ag_err app_liaison_log(ag_store *st, const audit_actor *a, const liaison_log_in *in, json_t **out,
                       ag_error *err);
/* Sets the bureau's cadence (liaison_cadence_set, all or nothing) and gives
 * the cadence now in force as liaison_cadence_json in *out (may be NULL). */
ag_err app_liaison_set_cadence(ag_store *st, const liaison_cadence *c, json_t **out, ag_error *err);
/* Writes the reminders of today's slips (liaison_remind) in one transaction;
 * idempotent, for the server's daily run and `liaison remind`. */
ag_err app_liaison_remind(ag_store *st, int64_t *created, ag_error *err);

#endif
