/* api_soe.h - the handlers of issue 14 §3–§4 (api_soe.c): SOE groups and chief auditors, units'
 * internal-audit bodies, training sessions and hours. */
#ifndef AG_HTTP_API_SOE_H
#define AG_HTTP_API_SOE_H

#include "http/http_internal.h"

ag_err api_soe_groups(http_req *r, ag_error *err);     /* GET  /soe/groups */
ag_err api_soe_group(http_req *r, ag_error *err);      /* GET  /soe/groups/{code} */
ag_err api_soe_chief_put(http_req *r, ag_error *err);  /* PUT  /soe/groups/{code}/chief-auditor */
ag_err api_soe_plan_audit(http_req *r, ag_error *err); /* POST /soe/groups/{code}/audits */
ag_err api_soe_quarterly(http_req *r, ag_error *err);  /* POST /soe/groups/{code}/quarterly */
ag_err api_iabody(http_req *r, ag_error *err);         /* GET  /units/{code}/ia-body */
ag_err api_iabody_put(http_req *r, ag_error *err);     /* PUT  /units/{code}/ia-body */
ag_err api_iabody_missing(http_req *r, ag_error *err); /* GET  /ia-bodies/missing */
ag_err api_training_sessions(http_req *r, ag_error *err); /* GET  /training/sessions */
ag_err api_training_add(http_req *r, ag_error *err);      /* POST /training/sessions */
ag_err api_training_attend(http_req *r,
                           ag_error *err);             /* POST /training/sessions/{id}/attendance */
ag_err api_training_hours(http_req *r, ag_error *err); /* GET  /training/hours */

#endif
