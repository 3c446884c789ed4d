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

ag_err cli_wf_show(const cli_ctx *c, cli_wf *w, cli_wf_get_fn get, cli_wf_print_fn print,
                   int64_t id)
{
    json_t *o = NULL;
    ag_err rc = get(w->st, id, NULL, &o, &w->err);
    if (!rc)
        print(c, o);
    return rc;
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
