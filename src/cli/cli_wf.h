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

/* A command's work on the open session w; arg is what the command parsed before (its
 * options). Fills w->err and returns its code; prints its own output. */
typedef ag_err (*cli_wf_fn)(const cli_ctx *c, cli_wf *w, const void *arg);
/* Opens the session, runs fn on it and closes it: the command's exit code (cli_wf_close). */
int cli_wf_run(cli_ctx *c, cli_wf_fn fn, const void *arg);
/* As cli_wf_run for a command on its one positional id (a usage error when it is not one):
 * fn's arg is the id, an int64_t. */
int cli_wf_run_id(cli_ctx *c, cli_wf_fn fn);
/* As cli_wf_run_id with also the positive integer option opt (0 when absent): fn's arg is an
 * int64_t[2], the id and opt's value. */
int cli_wf_run_id_opt(cli_ctx *c, const char *opt, cli_wf_fn fn);

/* Prints an object for a reader (without --json); does not release it. */
typedef void (*cli_wf_text_fn)(const json_t *o);
/* Prints o, its JSON as cli_wf_print_json with --json, else through text; releases o. */
void cli_wf_print(const cli_ctx *c, json_t *o, cli_wf_text_fn text);
/* Prints each of the "items" of list through row, then the line
 * "共 <total> <zh> (<total> <en>)"; does not release list. */
void cli_wf_rows(const json_t *list, cli_wf_text_fn row, const char *zh, const char *en);

/* A command's call of its use case or query on w: the object to show, in *out. */
typedef ag_err (*cli_wf_call_fn)(const cli_ctx *c, cli_wf *w, const void *arg, json_t **out);
/* As cli_wf_run for a command that shows what its call gives, through cli_wf_print. */
int cli_wf_call(cli_ctx *c, cli_wf_call_fn call, const void *arg, cli_wf_text_fn text);

/* A domain getter of one object by id (audit_project_get, rectify_get, ...),
 * called with no scope: the command line sees everything. */
typedef ag_err (*cli_wf_get_fn)(ag_store *st, int64_t id, const ag_scope *scope, json_t **out,
                                ag_error *err);
/* Gets object id through get and prints it through cli_wf_print. */
ag_err cli_wf_show(const cli_ctx *c, cli_wf *w, cli_wf_get_fn get, cli_wf_text_fn text, int64_t id);
/* The command that shows object id: opens the session, gets it through get, prints it through
 * text and closes; the exit code. */
int cli_wf_show_one(cli_ctx *c, cli_wf_get_fn get, cli_wf_text_fn text, int64_t id);
/* As cli_wf_show_one for the object of the one positional id (a usage error when it is not). */
int cli_wf_show_id(cli_ctx *c, cli_wf_get_fn get, cli_wf_text_fn text);

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
