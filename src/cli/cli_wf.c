/* cli_wf.c - the session, id parsing and money output the workflow commands share. */
#include "cli/cli_wf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/wf_query.h"
#include "util/banned.h"

bool cli_wf_open(cli_ctx *c, cli_wf *w, int *exit_code)
{
    w->st = cli_open_store(c, false, exit_code);
    if (!w->st)
        return false;
    ag_error_clear(&w->err);
    memset(&w->actor, 0, sizeof w->actor);
    w->actor.scope.role = AG_ROLE_ADMIN;
    w->actor.name = store_actor(w->st);
    return true;
}

int cli_wf_close(cli_wf *w, ag_err rc)
{
    return cli_finish(w->st, rc, &w->err);
}

/* Either fn (work that prints its own output) or call and text (a thing to show). */
static int frame(cli_ctx *c, cli_wf_fn fn, cli_wf_call_fn call, cli_wf_text_fn text,
                 const void *arg)
{
    cli_wf w;
    int code;
    if (!cli_wf_open(c, &w, &code))
        return code;
    json_t *o = NULL;
    ag_err rc = fn ? fn(c, &w, arg) : call(c, &w, arg, &o);
    if (!rc && o)
        cli_wf_print(c, o, text);
    return cli_wf_close(&w, rc);
}

int cli_wf_run(cli_ctx *c, cli_wf_fn fn, const void *arg)
{
    return frame(c, fn, NULL, NULL, arg);
}

int cli_wf_run_id(cli_ctx *c, cli_wf_fn fn)
{
    int64_t id;
    if (!cli_wf_id_arg(c, &id))
        return 2;
    return cli_wf_run(c, fn, &id);
}

int cli_wf_run_id_opt(cli_ctx *c, const char *opt, cli_wf_fn fn)
{
    int64_t ids[2];
    if (!cli_wf_id_arg(c, &ids[0]) || !cli_get_int(c, opt, 1, INT64_MAX, 0, &ids[1]))
        return 2;
    return cli_wf_run(c, fn, ids);
}

int cli_wf_call(cli_ctx *c, cli_wf_call_fn call, const void *arg, cli_wf_text_fn text)
{
    return frame(c, NULL, call, text, arg);
}

void cli_wf_print(const cli_ctx *c, json_t *o, cli_wf_text_fn text)
{
    if (c->json) {
        cli_wf_print_json(o);
        return;
    }
    text(o);
    json_decref(o);
}

void cli_wf_rows(const json_t *list, cli_wf_text_fn row, const char *zh, const char *en)
{
    json_t *items = json_object_get(list, "items");
    for (size_t i = 0; i < json_array_size(items); i++)
        row(json_array_get(items, i));
    printf("共 %lld %s (%lld %s)\n", cli_int(list, "total"), zh, cli_int(list, "total"), en);
}

ag_err cli_wf_show(const cli_ctx *c, cli_wf *w, cli_wf_get_fn get, cli_wf_text_fn text, int64_t id)
{
    json_t *o = NULL;
    ag_err rc = get(w->st, id, NULL, &o, &w->err);
    if (!rc)
        cli_wf_print(c, o, text);
    return rc;
}

typedef struct show_in {
    cli_wf_get_fn get;
    cli_wf_text_fn text;
    int64_t id;
} show_in;

static ag_err show_one(const cli_ctx *c, cli_wf *w, const void *arg)
{
    const show_in *in = arg;
    return cli_wf_show(c, w, in->get, in->text, in->id);
}

int cli_wf_show_one(cli_ctx *c, cli_wf_get_fn get, cli_wf_text_fn text, int64_t id)
{
    show_in in = {get, text, id};
    return cli_wf_run(c, show_one, &in);
}

int cli_wf_show_id(cli_ctx *c, cli_wf_get_fn get, cli_wf_text_fn text)
{
    int64_t id;
    if (!cli_wf_id_arg(c, &id))
        return 2;
    return cli_wf_show_one(c, get, text, id);
}

void cli_wf_print_json(json_t *v)
{
    wf_amounts_to_yuan(v);
    cli_print_json(v);
}

static bool parse_pos_id(const char *s, int64_t *id)
{
    if (!s || !*s || strlen(s) > 18 || strspn(s, "0123456789") != strlen(s))
        return false;
    *id = strtoll(s, NULL, 10);
    return *id > 0;
}

bool cli_wf_id_arg(const cli_ctx *c, int64_t *id)
{
    if (c->nargs != 1 || !parse_pos_id(c->args[0], id)) {
        char zh[200], en[200];
        snprintf(zh, sizeof zh, "须给出一个编号 %s（正整数）", c->cmd->args ? c->cmd->args : "ID");
        snprintf(en, sizeof en, "give one %s (a positive integer)",
                 c->cmd->args ? c->cmd->args : "ID");
        cli_usage_error(c, zh, en);
        return false;
    }
    return true;
}

bool cli_wf_ids(const cli_ctx *c, const char *opt, int64_t *ids, int max, int *n)
{
    *n = 0;
    const char *v = cli_get(c, opt);
    if (!v)
        return true;
    const char *p = v;
    while (*p) {
        size_t len = strcspn(p, ",");
        char one[24];
        int64_t id;
        snprintf(one, sizeof one, "%.*s", (int)(len < sizeof one ? len : sizeof one - 1), p);
        if (len == 0 || len >= sizeof one || !parse_pos_id(one, &id) || *n >= max) {
            char zh[300], en[300];
            snprintf(zh, sizeof zh, "--%s 应为以逗号分隔的附件编号（至多 %d 个）：%s", opt, max, v);
            snprintf(en, sizeof en,
                     "--%s is a comma-separated list of attachment ids (%d at most): %s", opt, max,
                     v);
            cli_usage_error(c, zh, en);
            return false;
        }
        ids[(*n)++] = id;
        p += len;
        if (*p == ',')
            p++;
    }
    return true;
}
