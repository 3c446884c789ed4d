/* cli_wf.h - what the audit-workflow commands (audit, rectify, attach) share. */
#ifndef AG_CLI_WF_H
#define AG_CLI_WF_H

#include "cli/cli_internal.h"
#include "domain/audit.h"

/* A workflow command's session: the open store, its error slot and the actor.
 * The command line acts as the bureau's administrator, named by the store's
 * actor ("cli:<user>"): whoever can write the database file can do
 * everything. */
typedef struct cli_wf {
    ag_store *st;
    ag_error err;
    audit_actor actor;
} cli_wf;

/* Opens the database named by --db into w. Prints the error and returns
 * false, with *exit_code set, when it cannot. */
bool cli_wf_open(cli_ctx *c, cli_wf *w, int *exit_code);
/* Closes w's store and maps rc to the exit code, printing w->err when set. */
int cli_wf_close(cli_wf *w, ag_err rc);

/* A domain getter of one object by id (audit_project_get, rectify_get, ...),
 * called with no scope: the command line sees everything. */
typedef ag_err (*cli_wf_get_fn)(ag_store *st, int64_t id, const ag_scope *scope, json_t **out,
                                ag_error *err);
/* Prints an object (or its JSON with --json) and releases it. */
typedef void (*cli_wf_print_fn)(const cli_ctx *c, json_t *o);
/* Gets object id through get and prints it through print. */
ag_err cli_wf_show(const cli_ctx *c, cli_wf *w, cli_wf_get_fn get, cli_wf_print_fn print,
                   int64_t id);

/* Prints v as JSON (pretty, UTF-8) with every integer "amount" (fen), at any
 * depth, as its decimal string in yuan; consumes the reference. */
void cli_wf_print_json(json_t *v);
/* The one positional argument as a positive id; prints a usage error and
 * returns false otherwise. */
bool cli_wf_id_arg(const cli_ctx *c, int64_t *id);
/* The comma-separated ids of option opt (at most max) into ids; absent
 * gives *n = 0. Prints a usage error and returns false on junk. */
bool cli_wf_ids(const cli_ctx *c, const char *opt, int64_t *ids, int max, int *n);

#endif
