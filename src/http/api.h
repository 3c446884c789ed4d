/* api.h - the handlers of API v1, one group per file (api_*.c); the route table is in api.c. */
#ifndef AG_HTTP_API_H
#define AG_HTTP_API_H

#include "http/http_internal.h"

/* api_session.c */
int api_health(http_req *r, ag_error *err);
int api_login_before(http_req *r, ag_error *err);
int api_login(http_req *r, ag_error *err);
int api_logout(http_req *r, ag_error *err);
int api_me(http_req *r, ag_error *err);

/* api_grid.c */
int api_grid(http_req *r, ag_error *err);
int api_units(http_req *r, ag_error *err);
int api_unit(http_req *r, ag_error *err);
int api_unit_persons(http_req *r, ag_error *err);
int api_unit_create(http_req *r, ag_error *err);
int api_person_create(http_req *r, ag_error *err);
int api_catalog(http_req *r, ag_error *err);
int api_ledger(http_req *r, ag_error *err);
int api_import(http_req *r, ag_error *err);

/* api_warnings.c */
int api_warnings(http_req *r, ag_error *err);
int api_warning(http_req *r, ag_error *err);
int api_triage(http_req *r, ag_error *err);

/* api_dashboard.c: the dashboard's figures over the user's scope */
int api_dashboard(http_req *r, ag_error *err);

/* api_admin.c */
int api_users(http_req *r, ag_error *err);
int api_user_create(http_req *r, ag_error *err);
int api_audit_log(http_req *r, ag_error *err);
int api_audit_verify(http_req *r, ag_error *err);

/* Shared by the handlers (api.c). */
/* AG_ERR_NOTFOUND unless the unit exists and is in the user's scope; the
 * message is the same either way. */
ag_err api_unit_in_scope(http_req *r, const char *code, ag_error *err);
/* Writes the signed-in user as an object (no secrets). */
void api_write_user(hj_writer *w, const session_user *u);
/* A positive integer path or query value; false for junk. */
bool api_parse_id(const char *s, int64_t *out);

#endif
