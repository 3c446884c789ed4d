/* soe.h - the chief-auditor system of the district's SOE groups (国企总审计师制度): who the groups
 * are, their appointed chief auditors, and what a chief auditor sees of a group. */
#ifndef AG_SOE_H
#define AG_SOE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/scope.h"
#include "store/store.h"
#include "util/error.h"

#define SOE_DOC_NO_MAX 100 /* bytes of a document number (任命文号) */

/* AG_OK when code is an SOE group: a unit of type 国企 whose parent is not a
 * 国企 (or that has no parent), and not disabled. AG_ERR_NOTFOUND for no such
 * unit, AG_ERR_INPUT (field "group") for a unit that is no SOE group. */
ag_err soe_group_check(ag_store *st, const char *code, ag_error *err);

/* An appointment: the person (of the group's own unit), the appointment date
 * YYYY-MM-DD (not after today) and the document number (任命文号). */
typedef struct soe_chief_in {
    const char *group_code;
    int64_t person_id;
    const char *appointed_on;
    const char *doc_no;
} soe_chief_in;

/* Registers the group's chief auditor: validates every field first (naming
 * it: group, person, date, doc_no), then records the appointment (one per
 * group: a new one replaces the old, the audit log keeps it) and makes the
 * person the group's chief_auditor subject, ending that role of a previous
 * one. Audited writes; the caller owns the transaction. */
ag_err soe_chief_set(ag_store *st, const soe_chief_in *in, ag_error *err);

/* The SOE groups in scope (NULL: all), by code: [{code, name, cell_id,
 * cell_name, pilot, subsidiaries (count), chief_auditor: {person_id, name,
 * appointed_on, doc_no} or null}]. Caller owns *out. */
ag_err soe_group_list(ag_store *st, const ag_scope *scope, json_t **out, ag_error *err);

/* One group as in the list, with "subsidiaries": [{code, name, type, pilot,
 * audits (not closed)}] and "audits": [{id, code, name, kind, unit_code,
 * unit_name, stage}] over the group and the subsidiaries, both limited to the
 * scope. AG_ERR_NOTFOUND when no such group is in scope. Caller owns *out. */
ag_err soe_group_get(ag_store *st, const ag_scope *scope, const char *code, json_t **out,
                     ag_error *err);

/* The groups in scope without a chief auditor: [{code, name}]. Caller owns *out. */
ag_err soe_groups_missing(ag_store *st, const ag_scope *scope, json_t **out, ag_error *err);

/* The state-assets cell (国资) a group reports to: its own cell when that is
 * of kind soe, otherwise the first cell of kind soe. AG_ERR_NOTFOUND when the
 * grid has none. out holds at least 32 bytes. */
ag_err soe_state_assets_cell(ag_store *st, const char *group_code, char out[32], ag_error *err);

/* The dashboard's figures of issue 14 §3–§4 over the scope (NULL: all), set
 * into dash: "soe_without_chief" (soe_groups_missing) and "ia_missing"
 * (iabody_missing). */
ag_err soe_dashboard(ag_store *st, const ag_scope *scope, json_t *dash, ag_error *err);

/* True when s is a quarter "YYYYQn" (n 1..4). */
bool soe_quarter_valid(const char *s);

#endif
