/* cli_run.h - the frame of a command that works on the database: open, work, show, close. */
#ifndef AG_CLI_RUN_H
#define AG_CLI_RUN_H

#include <jansson.h>
#include <stdbool.h>

#include "cli/cli_internal.h"

/* A command's work on the open store st; arg is what the command handed to cli_on_store (its
 * parsed options). Fills err and returns its code; prints its own success output. */
typedef ag_err (*cli_store_fn)(cli_ctx *c, ag_store *st, const void *arg, ag_error *err);
/* A getter of what a command shows; the caller owns *out. */
typedef ag_err (*cli_get_fn)(cli_ctx *c, ag_store *st, const void *arg, json_t **out,
                             ag_error *err);
/* Prints what a getter gave, for a reader (without --json); does not release v. */
typedef void (*cli_print_fn)(const cli_ctx *c, const json_t *v);

/* Opens the database named by --db (creating it when `create`), runs fn on it and closes it:
 * the command's exit code, with the error printed as cli_finish does. */
int cli_on_store(cli_ctx *c, bool create, cli_store_fn fn, const void *arg);
/* As cli_on_store for a command that shows one thing: gets it through get and prints it, as
 * JSON with --json, else through print. */
int cli_show_store(cli_ctx *c, cli_get_fn get, cli_print_fn print, const void *arg);

#endif
