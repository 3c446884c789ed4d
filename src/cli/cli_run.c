/* cli_run.c - the frame of a command that works on the database: open, work, show, close. */
#include "cli/cli_run.h"

#include "util/banned.h"

/* Either fn (work that prints its own output) or get and print (a thing to show). */
static int frame(cli_ctx *c, bool create, cli_store_fn fn, cli_get_fn get, cli_print_fn print,
                 const void *arg)
{
    ag_error err;
    ag_error_clear(&err);
    json_t *v = NULL;
    int code;
    ag_store *st = cli_open_store(c, create, &code);
    if (!st)
        return code;
    ag_err rc = fn ? fn(c, st, arg, &err) : get(c, st, arg, &v, &err);
    if (!rc && v && c->json) {
        cli_print_json(v);
    } else if (!rc && v) {
        print(c, v);
        json_decref(v);
    }
    return cli_finish(st, rc, &err);
}

int cli_on_store(cli_ctx *c, bool create, cli_store_fn fn, const void *arg)
{
    return frame(c, create, fn, NULL, NULL, arg);
}

int cli_show_store(cli_ctx *c, cli_get_fn get, cli_print_fn print, const void *arg)
{
    return frame(c, false, NULL, get, print, arg);
}
