/* cmd_demo.c - `auditgrid demo`: the demo district, built in one go. */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/demo.h"
#include "cli/cli_internal.h"
#include "ledger/gen.h"
#include "domain/attach.h"
#include "http/server.h"
#include "util/banned.h"

static const cli_opt demo_opts[] = {
    {"seed", "N", false, "随机种子（默认 2026；同一种子生成完全相同的数据）",
     "random seed (default 2026; the same seed gives identical data)"},
    {"force", NULL, false, "数据库文件已存在时删除重建", "replace the database file if it exists"},
    {"lines", "N", false, "试点单位两年账套的分录总行数（默认 1000000；0 不生成账套）",
     "voucher lines over the pilot units' two years of books (default 1000000; 0: no ledgers)"},
    {"no-serve", NULL, false, "建好后不启动网页服务", "do not start the web server afterwards"},
    {"listen", "ADDR", false, "网页服务地址（默认 127.0.0.1:8080）",
     "address of the web server (default 127.0.0.1:8080)"},
    CLI_OPT_END};

static bool file_exists(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0;
}

static int remove_db(const char *db)
{
    char p[4200];
    const char *suffix[] = {"", "-wal", "-shm", "-journal"};
    for (int i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s%s", db, suffix[i]);
        if (unlink(p) != 0 && errno != ENOENT)
            return -1;
    }
    return 0;
}

/* The folder beside the database where the demo writes its ledger files. */
static void ledger_dir(const char *db, char *out, size_t n)
{
    const char *slash = strrchr(db, '/');
    if (slash)
        snprintf(out, n, "%.*s/ledgers", (int)(slash - db), db);
    else
        snprintf(out, n, "ledgers");
}

static int run_demo(cli_ctx *c)
{
    int64_t seed, lines;
    if (!cli_get_int(c, "seed", 0, INT64_MAX, 2026, &seed) ||
        !cli_get_int(c, "lines", 0, AG_GEN_MAX_LINES, 1000000, &lines))
        return 2;
    ag_error err;
    ag_error_clear(&err);
    if (file_exists(c->db)) {
        if (!cli_flag(c, "force")) {
            ag_fail(&err, AG_ERR_EXISTS, c->db,
                    "数据库文件已存在；演示会新建数据库，如确需覆盖请加 --force",
                    "the database file exists; the demo builds a new one: add --force to "
                    "replace it");
            return cli_report(&err);
        }
        if (remove_db(c->db) != 0) {
            ag_fail(&err, AG_ERR_IO, c->db, "无法删除旧数据库文件", "cannot remove the old file");
            return cli_report(&err);
        }
    }
    /* The demo puts its database (and ledgers beside it) in a folder it makes. */
    char parent[4200];
    snprintf(parent, sizeof parent, "%s", c->db);
    char *slash = strrchr(parent, '/');
    if (slash && slash != parent) {
        *slash = '\0';
        for (char *p = parent + 1; *p; p++)
            if (*p == '/') {
                *p = '\0';
                mkdir(parent, 0755);
                *p = '/';
            }
        mkdir(parent, 0755);
    }
    int code;
    ag_store *st = cli_open_store(c, true, &code);
    if (!st)
        return code;
    demo_summary sum;
    demo_account acc[DEMO_MAX_ACCOUNTS];
    memset(acc, 0, sizeof acc);
    char files[4200];
    fprintf(stderr, "正在生成演示区县 building the demo district (seed %lld)…\n", (long long)seed);
    char dir[4200];
    ledger_dir(c->db, dir, sizeof dir);
    json_t *ledgers = NULL;
    ag_err rc = attach_dir_for(c->db, files, sizeof files, &err);
    if (!rc) {
        app_demo_req req = {(uint64_t)seed, lines, files, dir, true};
        rc = app_demo_build(st, &req, &sum, acc, DEMO_MAX_ACCOUNTS, &ledgers, &err);
    }
    store_close(st);
    if (rc) {
        json_decref(ledgers);
        return cli_report(&err);
    }
    if (c->json) {
        json_t *o = json_pack("{s:s,s:I,s:i,s:i,s:i,s:i,s:i,s:I}", "db", c->db, "seed",
                              (json_int_t)seed, "cells", sum.cells, "units", sum.units,
                              "pilot_units", sum.pilot_units, "persons", sum.persons, "users",
                              sum.users, "catalog_version", (json_int_t)sum.catalog_version);
        json_t *a = json_array();
        for (int i = 0; i < sum.users && i < DEMO_MAX_ACCOUNTS; i++)
            json_array_append_new(a, json_pack("{s:s,s:s,s:s}", "username", acc[i].username, "role",
                                               acc[i].role, "scope", acc[i].scope));
        json_object_set_new(o, "accounts", a);
        json_object_set_new(o, "audits",
                            json_pack("{s:I,s:I,s:I}", "projects", (json_int_t)sum.audits,
                                      "rectifications", (json_int_t)sum.rectifications, "overdue",
                                      (json_int_t)sum.overdue));
        json_object_set_new(o, "ledgers", ledgers);
        cli_print_json(o);
    } else {
        sum.persons += (int)json_integer_value(json_object_get(ledgers, "staff_persons"));
        printf("演示区县已建成 demo district ready: %s\n"
               "  天津市南开区（120104）：网格 %d 个，单位 %d 个（试点单位 %d 个），人员 %d 名，"
               "目录版本 %lld\n"
               "  %d cells, %d units (%d pilot), %d persons, catalog version %lld\n\n"
               "演示账号 demo accounts（口令 password: %s）:\n",
               c->db, sum.cells, sum.units, sum.pilot_units, sum.persons,
               (long long)sum.catalog_version, sum.cells, sum.units, sum.pilot_units, sum.persons,
               (long long)sum.catalog_version, DEMO_PASSWORD);
        for (int i = 0; i < sum.users && i < DEMO_MAX_ACCOUNTS; i++)
            printf("  %-11s %-14s %s\n", acc[i].username, acc[i].role, acc[i].scope);
        if (json_object_get(ledgers, "ledger_lines"))
            printf("\n试点单位账套 pilot ledgers: %lld 行分录已导入 lines imported（%s），"
                   "埋设问题 %lld 处 planted irregularities\n",
                   (long long)json_integer_value(json_object_get(ledgers, "ledger_lines")),
                   json_string_value(json_object_get(ledgers, "ledger_dir")),
                   (long long)json_integer_value(json_object_get(ledgers, "planted")));
        if (json_object_get(ledgers, "warnings"))
            printf("预警 warnings: %lld 条（auditgrid --db %s warnings list）\n",
                   (long long)json_integer_value(json_object_get(ledgers, "warnings")), c->db);
        json_decref(ledgers);
        printf("审计项目 audit projects: %lld 个，整改事项 %lld 条（逾期 %lld 条）"
               "（auditgrid --db %s audit list；rectify list）\n"
               "  %lld projects, %lld rectification items (%lld overdue)\n",
               (long long)sum.audits, (long long)sum.rectifications, (long long)sum.overdue, c->db,
               (long long)sum.audits, (long long)sum.rectifications, (long long)sum.overdue);
        printf("\n试一试 try: auditgrid --db %s grid show\n", c->db);
    }
    if (cli_flag(c, "no-serve"))
        return 0;
    http_config cfg;
    http_config_default(&cfg);
    cfg.db_path = c->db;
    if (cli_get(c, "listen"))
        cfg.listen = cli_get(c, "listen");
    http_server *srv = NULL;
    if (http_server_start(&cfg, &srv, &err))
        return cli_report(&err);
    printf("\n正在服务 listening on %s（API：%s/api/v1，Ctrl-C 停止 to stop）\n"
           "浏览器打开 open in a browser: %s/#/login（演示账号见上 demo accounts above，口令 "
           "password: %s）\n",
           http_server_url(srv), http_server_url(srv), http_server_url(srv), DEMO_PASSWORD);
    fflush(stdout);
    http_server_wait(srv);
    http_server_stop(srv, 30000);
    return 0;
}

const cli_cmd cli_demo_cmds[] = {
    {"demo", NULL, "生成演示区县（仿天津市南开区，确定性数据）",
     "build the demo district (modelled on 天津市南开区, deterministic)", NULL, demo_opts, run_demo,
     "  auditgrid demo --db demo/auditgrid.db --seed 2026 --force --no-serve"},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL}};
