/* api_guidance.h - the handlers of the department's guidance and supervision, the submissions
 * and the department view (issue 14 §2); routed in api.c. */
#ifndef AG_HTTP_API_GUIDANCE_H
#define AG_HTTP_API_GUIDANCE_H

#include "http/api.h"

ag_err api_guidance_list(http_req *r, ag_error *err);
ag_err api_guidance_issue(http_req *r, ag_error *err);
ag_err api_guidance_get(http_req *r, ag_error *err);
ag_err api_guidance_reply(http_req *r, ag_error *err);
ag_err api_guidance_visits(http_req *r, ag_error *err);
ag_err api_guidance_visit_add(http_req *r, ag_error *err);
ag_err api_guidance_visit(http_req *r, ag_error *err);
ag_err api_guidance_visit_finding(http_req *r, ag_error *err);
ag_err api_submissions(http_req *r, ag_error *err);
ag_err api_submission_file(http_req *r, ag_error *err);
ag_err api_submission(http_req *r, ag_error *err);
ag_err api_submission_accept(http_req *r, ag_error *err);
ag_err api_submission_return(http_req *r, ag_error *err);
ag_err api_submission_refile(http_req *r, ag_error *err);
ag_err api_department(http_req *r, ag_error *err);

/* api_audit.c: the fields of a finding in the body, as POST /audits/{id}/findings takes them. */
ag_err api_read_finding(http_req *r, audit_finding_in *in, ag_error *err);

#endif
