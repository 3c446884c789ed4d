/* cli.c - `auditgrid <command> [options]`: global options, dispatch, help and exit codes. */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli_internal.h"
#include "util/clock.h"
#include "util/banned.h"

static const cli_cmd *const tables[] = {cli_grid_cmds,
                                        cli_ledger_cmds,
                                        cli_scan_cmds,
                                        cli_stats_cmds,
                                        cli_audit_cmds,
                                        cli_rectify_cmds,
                                        cli_attach_cmds,
                                        cli_liaison_cmds,
                                        cli_demo_cmds,
                                        cli_serve_cmds,
                                        cli_crossaudit_cmds /* issue 14 §1 (xaudit) */,
                                        cli_guidance_cmds /* issue 14 §2 (dept) */,
                                        cli_soe_cmds /* issue 14 §3–§4 (soe) */,
                                        cli_rating_cmds /* issue 15 §1 (rating) */,
                                        cli_assess_cmds /* issue 15 §2 (assess) */,
                                        cli_report_cmds /* issue 16 (reports) */};

/* ---- output ------------------------------------------------------------- */

int cli_exit_code(ag_err code)
{
    switch (code) {
    case AG_OK:
        return 0;
    case AG_ERR_USAGE:
        return 2;
    case AG_ERR_INPUT:
    case AG_ERR_EXISTS:
    case AG_ERR_NOTFOUND:
        return 3;
    default:
        return 1;
    }
}

/* The command being run, so that an error's field can be named as its option. */
static const cli_cmd *running;

/* The option of the running command that a field of the domain stands for:
 * the same name ("code" → --code), with '_' as '-' ("visit_days" →
 * --visit-days), without its "_code" or "_id" ("unit_code" → --unit,
 * "cell_id" → --cell), or an option the field begins ("password" →
 * --password-stdin). The domain and the API speak of fields; only the
 * command line knows options. NULL when none fits. */
static const char *option_of(const char *field)
{
    if (!running || !running->opts || !*field || strlen(field) > 60 || strpbrk(field, "/. :"))
        return NULL;
    char want[3][64];
    snprintf(want[0], sizeof want[0], "%s", field);
    for (char *p = want[0]; *p; p++)
        if (*p == '_')
            *p = '-';
    size_t n = strlen(want[0]);
    memcpy(want[1], want[0], n + 1);
    memcpy(want[2], want[0], n);
    want[2][n] = '-';
    want[2][n + 1] = '\0';
    if (n > 5 && !strcmp(want[1] + n - 5, "-code"))
        want[1][n - 5] = '\0';
    else if (n > 3 && !strcmp(want[1] + n - 3, "-id"))
        want[1][n - 3] = '\0';
    for (int round = 0; round < 3; round++)
        for (const cli_opt *o = running->opts; o->name; o++)
            if (round < 2 ? !strcmp(o->name, want[round])
                          : !strncmp(o->name, want[2], strlen(want[2])))
                return o->name;
    return NULL;
}

int cli_report(const ag_error *err)
{
    char opt[80];
    const char *w = err->where[0] ? err->where : NULL;
    const char *o = w ? option_of(w) : NULL;
    if (o) {
        snprintf(opt, sizeof opt, "--%s", o);
        w = opt;
    }
    fprintf(stderr, "auditgrid: 错误%s%s%s：%s\n", w ? "（" : "", w ? w : "", w ? "）" : "",
            err->zh[0] ? err->zh : ag_err_name(err->code));
    fprintf(stderr, "auditgrid: error%s%s%s: %s\n", w ? " [" : "", w ? w : "", w ? "]" : "",
            err->en[0] ? err->en : ag_err_name(err->code));
    return cli_exit_code(err->code);
}

int cli_read_arg_file(cli_ctx *c, size_t max, const char *what_zh, const char *what_en, char **buf,
                      size_t *len)
{
    *buf = NULL;
    *len = 0;
    char zh[120], en[120];
    if (c->nargs != 1) {
        snprintf(zh, sizeof zh, "须给出一个%s", what_zh);
        snprintf(en, sizeof en, "give one %s", what_en);
        return cli_usage_error(c, zh, en);
    }
    ag_error err;
    ag_error_clear(&err);
    FILE *f = fopen(c->args[0], "rb");
    if (!f) {
        ag_fail(&err, AG_ERR_INPUT, c->args[0], "无法读取文件", "cannot read the file");
        return cli_report(&err);
    }
    char *b = malloc(max + 1);
    size_t n = b ? fread(b, 1, max + 1, f) : 0;
    fclose(f);
    if (!b || n > max) {
        free(b);
        ag_fail(&err, AG_ERR_INPUT, c->args[0], "%s", "%s", "");
        snprintf(err.zh, sizeof err.zh, "%s超过 %zu KiB", what_zh, max / 1024);
        snprintf(err.en, sizeof err.en, "the %s is over %zu KiB", what_en, max / 1024);
        return cli_report(&err);
    }
    b[n] = '\0';
    *buf = b;
    *len = n;
    return 0;
}

static void print_usage_line(FILE *f, const cli_cmd *cmd)
{
    fprintf(f, "auditgrid %s%s%s", cmd->name, cmd->sub ? " " : "", cmd->sub ? cmd->sub : "");
    for (const cli_opt *o = cmd->opts; o && o->name; o++) {
        if (o->metavar)
            fprintf(f, o->required ? " --%s %s" : " [--%s %s]", o->name, o->metavar);
        else
            fprintf(f, " [--%s]", o->name);
    }
    if (cmd->args)
        fprintf(f, " %s", cmd->args);
    fputc('\n', f);
}

int cli_usage_error(const cli_ctx *c, const char *zh, const char *en)
{
    fprintf(stderr, "auditgrid: 用法错误：%s\nauditgrid: usage error: %s\n", zh, en);
    if (c && c->cmd) {
        fprintf(stderr, "用法 usage: ");
        print_usage_line(stderr, c->cmd);
        fprintf(stderr, "详见 see: auditgrid help %s%s%s\n", c->cmd->name, c->cmd->sub ? " " : "",
                c->cmd->sub ? c->cmd->sub : "");
    }
    return 2;
}

void cli_print_json(json_t *j)
{
    json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', stdout);
    json_decref(j);
}

bool cli_read_secret(char *out, size_t n)
{
    if (!fgets(out, (int)n, stdin))
        return false;
    size_t len = strlen(out);
    if (len && out[len - 1] == '\n')
        out[--len] = '\0';
    if (len && out[len - 1] == '\r')
        out[--len] = '\0';
    return true;
}

/* ---- options ------------------------------------------------------------ */

static int opt_index(const cli_cmd *cmd, const char *name)
{
    for (int i = 0; cmd->opts && cmd->opts[i].name; i++)
        if (strcmp(cmd->opts[i].name, name) == 0)
            return i;
    return -1;
}

const char *cli_get(const cli_ctx *c, const char *name)
{
    int i = opt_index(c->cmd, name);
    return i >= 0 ? c->values[i] : NULL;
}

bool cli_flag(const cli_ctx *c, const char *name)
{
    return cli_get(c, name) != NULL;
}

bool cli_get_int(const cli_ctx *c, const char *name, int64_t lo, int64_t hi, int64_t def,
                 int64_t *out)
{
    const char *v = cli_get(c, name);
    if (!v) {
        *out = def;
        return true;
    }
    char *end;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    if (errno || end == v || *end || x < lo || x > hi) {
        char zh[200], en[200];
        snprintf(zh, sizeof zh, "--%s 应为 %lld 到 %lld 之间的整数：%s", name, (long long)lo,
                 (long long)hi, v);
        snprintf(en, sizeof en, "--%s must be an integer from %lld to %lld: %s", name,
                 (long long)lo, (long long)hi, v);
        cli_usage_error(c, zh, en);
        return false;
    }
    *out = x;
    return true;
}

ag_store *cli_open_store(cli_ctx *c, bool create, int *exit_code)
{
    ag_store *st = NULL;
    ag_error err;
    ag_error_clear(&err);
    if (store_open(c->db, create ? AG_STORE_CREATE : 0, &st, &err)) {
        *exit_code = cli_report(&err);
        return NULL;
    }
    char actor[96];
    const char *who = getenv("USER");
    if (!who || !*who)
        who = getlogin();
    snprintf(actor, sizeof actor, "cli:%s", who && *who ? who : "unknown");
    store_set_actor(st, actor);
    return st;
}

int cli_finish(ag_store *st, ag_err rc, const ag_error *err)
{
    store_close(st);
    return rc ? cli_report(err) : 0;
}

const char *cli_text(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

long long cli_int(const json_t *o, const char *k)
{
    return (long long)json_integer_value(json_object_get(o, k));
}

const cli_opt cli_no_opts[] = {CLI_OPT_END};

/* ---- help --------------------------------------------------------------- */

static void print_overview(FILE *f)
{
    fprintf(f,
            "auditgrid %s — 审计监督一张网（经济安全审计监督网格化治理）\n"
            "grid-based economic-security audit supervision\n\n"
            "用法 usage: auditgrid <命令 command> [选项 options]\n\n"
            "命令 commands:\n",
            AG_VERSION);
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
        for (const cli_cmd *cmd = tables[t]; cmd->name; cmd++) {
            char name[48];
            snprintf(name, sizeof name, "%s%s%s", cmd->name, cmd->sub ? " " : "",
                     cmd->sub ? cmd->sub : "");
            fprintf(f, "  %-20s %s  %s\n", name, cmd->summary_zh, cmd->summary_en);
        }
    fprintf(f, "\n全局选项 global options:\n"
               "  --db FILE     数据库文件（默认 ./auditgrid.db，环境变量 AUDITGRID_DB）\n"
               "                database file (default ./auditgrid.db, env AUDITGRID_DB)\n"
               "  --json        以 JSON 输出  machine-readable output\n"
               "  --today DATE  以 DATE（YYYY-MM-DD）为今天（环境变量 AG_TODAY）\n"
               "                take DATE as today (env AG_TODAY)\n"
               "  --help, -h    帮助  help\n"
               "  --version     版本  version\n\n"
               "退出码 exit codes: 0 成功 ok · 2 用法错误 usage · 3 输入被拒绝、未写入 input "
               "rejected, nothing written · 1 其他失败 other failure\n"
               "详见 see: auditgrid help <命令 command>, docs/cli.md\n");
}

static void print_cmd_help(FILE *f, const cli_cmd *cmd)
{
    fprintf(f, "%s\n%s\n\n用法 usage: ", cmd->summary_zh, cmd->summary_en);
    print_usage_line(f, cmd);
    if (cmd->opts && cmd->opts[0].name) {
        fprintf(f, "\n选项 options:\n");
        for (const cli_opt *o = cmd->opts; o->name; o++) {
            char lhs[64];
            snprintf(lhs, sizeof lhs, "--%s%s%s", o->name, o->metavar ? " " : "",
                     o->metavar ? o->metavar : "");
            fprintf(f, "  %-24s %s%s\n  %-24s %s\n", lhs, o->help_zh, o->required ? "（必填）" : "",
                    "", o->help_en);
        }
    }
    fprintf(f, "\n全局选项 global: --db FILE, --json, --help\n");
    if (cmd->example)
        fprintf(f, "\n示例 example:\n%s\n", cmd->example);
}

static const cli_cmd *find_cmd(const char *name, const char *sub, bool *name_known)
{
    *name_known = false;
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
        for (const cli_cmd *cmd = tables[t]; cmd->name; cmd++) {
            if (strcmp(cmd->name, name) != 0)
                continue;
            *name_known = true;
            if (!cmd->sub || (sub && strcmp(cmd->sub, sub) == 0))
                return cmd;
        }
    return NULL;
}

static void print_subs(FILE *f, const char *name)
{
    fprintf(f, "可用子命令 subcommands of %s:\n", name);
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
        for (const cli_cmd *cmd = tables[t]; cmd->name; cmd++)
            if (!strcmp(cmd->name, name) && cmd->sub)
                fprintf(f, "  auditgrid %s %-10s %s  %s\n", name, cmd->sub, cmd->summary_zh,
                        cmd->summary_en);
}

static int do_help(int argc, char **argv)
{
    if (argc == 0) {
        print_overview(stdout);
        return 0;
    }
    bool known;
    const cli_cmd *cmd = find_cmd(argv[0], argc > 1 ? argv[1] : NULL, &known);
    if (cmd) {
        print_cmd_help(stdout, cmd);
        return 0;
    }
    if (known) {
        print_subs(stdout, argv[0]);
        return 0;
    }
    fprintf(stderr, "auditgrid: 未知命令：%s\nauditgrid: unknown command: %s\n", argv[0], argv[0]);
    return 2;
}

/* ---- dispatch ----------------------------------------------------------- */

/* --today YYYY-MM-DD (issue 14 §5, liaison): that day is today for the whole run. */
static bool set_today(const char *v)
{
    int32_t day;
    if (!ag_clock_parse_today(v, &day)) {
        fprintf(stderr,
                "auditgrid: 用法错误：--today 应为日期 YYYY-MM-DD：%s\n"
                "auditgrid: usage error: --today takes a date YYYY-MM-DD: %s\n",
                v ? v : "", v ? v : "");
        return false;
    }
    ag_clock_set_today(day);
    return true;
}

int cli_main(int argc, char **argv)
{
    cli_ctx c;
    memset(&c, 0, sizeof c);
    c.db = getenv("AUDITGRID_DB");
    if (!c.db || !*c.db)
        c.db = "auditgrid.db";

    /* Global options may come before the command. */
    int i = 1;
    bool want_help = false;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--version")) {
            printf("auditgrid %s\n", AG_VERSION);
            return 0;
        } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            want_help = true;
        } else if (!strcmp(a, "--json")) {
            c.json = true;
        } else if (!strcmp(a, "--db") && i + 1 < argc) {
            c.db = argv[++i];
        } else if (!strncmp(a, "--db=", 5)) {
            c.db = a + 5;
        } else if (!strcmp(a, "--today") || !strncmp(a, "--today=", 8)) {
            /* issue 14 §5 (liaison): the civil day, for tests and for looking back */
            const char *v = a[7] == '=' ? a + 8 : i + 1 < argc ? argv[++i] : NULL;
            if (!set_today(v))
                return 2;
        } else {
            fprintf(stderr, "auditgrid: 未知的全局选项：%s\nauditgrid: unknown global option: %s\n",
                    a, a);
            return 2;
        }
    }
    if (i >= argc) {
        print_overview(want_help ? stdout : stderr);
        return want_help ? 0 : 2;
    }
    const char *name = argv[i++];
    if (!strcmp(name, "help"))
        return do_help(argc - i, argv + i);
    const char *sub = i < argc && argv[i][0] != '-' ? argv[i] : NULL;
    bool known;
    const cli_cmd *cmd = find_cmd(name, sub, &known);
    if (!cmd) {
        if (known) {
            if (sub)
                fprintf(stderr,
                        "auditgrid: 未知子命令：%s %s\nauditgrid: unknown subcommand: %s %s\n",
                        name, sub, name, sub);
            print_subs(stderr, name);
            return 2;
        }
        fprintf(stderr,
                "auditgrid: 未知命令：%s（运行 auditgrid help 查看全部命令）\n"
                "auditgrid: unknown command: %s (run `auditgrid help`)\n",
                name, name);
        return 2;
    }
    if (cmd->sub)
        i++;
    c.cmd = cmd;
    if (want_help) {
        print_cmd_help(stdout, cmd);
        return 0;
    }
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            print_cmd_help(stdout, cmd);
            return 0;
        }
        if (!strcmp(a, "--json")) {
            c.json = true;
            continue;
        }
        if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
            if (!strcmp(a, "--")) {
                for (i++; i < argc && c.nargs < CLI_MAX_ARGS; i++)
                    c.args[c.nargs++] = argv[i];
                break;
            }
            if (c.nargs >= CLI_MAX_ARGS || !cmd->args) {
                char zh[300], en[300];
                snprintf(zh, sizeof zh, "多余的参数：%s", a);
                snprintf(en, sizeof en, "unexpected argument: %s", a);
                return cli_usage_error(&c, zh, en);
            }
            c.args[c.nargs++] = a;
            continue;
        }
        char optname[64];
        const char *eq = strchr(a + 2, '=');
        size_t nlen = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
        snprintf(optname, sizeof optname, "%.*s", (int)nlen, a + 2);
        if (!strcmp(optname, "db")) {
            if (eq)
                c.db = eq + 1;
            else if (i + 1 < argc)
                c.db = argv[++i];
            else
                return cli_usage_error(&c, "--db 缺少文件名", "--db needs a file name");
            continue;
        }
        if (!strcmp(optname, "today")) { /* issue 14 §5 (liaison) */
            if (!set_today(eq ? eq + 1 : i + 1 < argc ? argv[++i] : NULL))
                return 2;
            continue;
        }
        int k = opt_index(cmd, optname);
        if (k < 0) {
            char zh[300], en[300];
            snprintf(zh, sizeof zh, "未知选项：--%s", optname);
            snprintf(en, sizeof en, "unknown option: --%s", optname);
            return cli_usage_error(&c, zh, en);
        }
        if (cmd->opts[k].metavar) {
            if (eq) {
                c.values[k] = eq + 1;
            } else if (i + 1 < argc) {
                c.values[k] = argv[++i];
            } else {
                char zh[300], en[300];
                snprintf(zh, sizeof zh, "--%s 缺少取值 %s", optname, cmd->opts[k].metavar);
                snprintf(en, sizeof en, "--%s needs a value %s", optname, cmd->opts[k].metavar);
                return cli_usage_error(&c, zh, en);
            }
        } else {
            if (eq) {
                char zh[300], en[300];
                snprintf(zh, sizeof zh, "--%s 不带取值", optname);
                snprintf(en, sizeof en, "--%s takes no value", optname);
                return cli_usage_error(&c, zh, en);
            }
            c.values[k] = "";
        }
    }
    for (int k = 0; cmd->opts && cmd->opts[k].name; k++) {
        if (cmd->opts[k].required && !c.values[k]) {
            char zh[300], en[300];
            snprintf(zh, sizeof zh, "缺少必填选项 --%s %s", cmd->opts[k].name,
                     cmd->opts[k].metavar ? cmd->opts[k].metavar : "");
            snprintf(en, sizeof en, "missing required option --%s %s", cmd->opts[k].name,
                     cmd->opts[k].metavar ? cmd->opts[k].metavar : "");
            return cli_usage_error(&c, zh, en);
        }
    }
    running = cmd;
    return cmd->run(&c);
}
