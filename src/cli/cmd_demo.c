/* cmd_demo.c - `auditgrid demo`: the demo district, built in one go. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli_internal.h"
#include "domain/demo.h"
#include "util/banned.h"

static const cli_opt demo_opts[] = {
    {"seed", "N", false, "随机种子（默认 2026；同一种子生成完全相同的数据）",
     "random seed (default 2026; the same seed gives identical data)"},
    {"force", NULL, false, "数据库文件已存在时删除重建", "replace the database file if it exists"},
    {"no-serve", NULL, false, "建好后不启动网页服务", "do not start the web server afterwards"},
    {NULL, NULL, false, NULL, NULL}};

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

static int run_demo(cli_ctx *c)
{
    int64_t seed;
    if (!cli_get_int(c, "seed", 0, INT64_MAX, 2026, &seed))
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
    int code;
    ag_store *st = cli_open_store(c, true, &code);
    if (!st)
        return code;
    demo_summary sum;
    demo_account acc[8];
    memset(acc, 0, sizeof acc);
    fprintf(stderr, "正在生成演示区县 building the demo district (seed %lld)…\n", (long long)seed);
    ag_err rc = demo_build(st, (uint64_t)seed, &sum, acc, 8, &err);
    store_close(st);
    if (rc)
        return cli_report(&err);
    if (c->json) {
        json_t *o = json_pack("{s:s,s:I,s:i,s:i,s:i,s:i,s:i,s:I}", "db", c->db, "seed",
                              (json_int_t)seed, "cells", sum.cells, "units", sum.units,
                              "pilot_units", sum.pilot_units, "persons", sum.persons, "users",
                              sum.users, "catalog_version", (json_int_t)sum.catalog_version);
        json_t *a = json_array();
        for (int i = 0; i < sum.users && i < 8; i++)
            json_array_append_new(a, json_pack("{s:s,s:s,s:s}", "username", acc[i].username,
                                               "role", acc[i].role, "scope", acc[i].scope));
        json_object_set_new(o, "accounts", a);
        cli_print_json(o);
    } else {
        printf("演示区县已建成 demo district ready: %s\n"
               "  天津市南开区（120104）：网格 %d 个，单位 %d 个（试点单位 %d 个），人员 %d 名，"
               "目录版本 %lld\n"
               "  %d cells, %d units (%d pilot), %d persons, catalog version %lld\n\n"
               "演示账号 demo accounts（口令 password: %s）:\n",
               c->db, sum.cells, sum.units, sum.pilot_units, sum.persons,
               (long long)sum.catalog_version, sum.cells, sum.units, sum.pilot_units, sum.persons,
               (long long)sum.catalog_version, DEMO_PASSWORD);
        for (int i = 0; i < sum.users && i < 8; i++)
            printf("  %-11s %-14s %s\n", acc[i].username, acc[i].role, acc[i].scope);
        printf("\n试一试 try: auditgrid --db %s grid show\n", c->db);
    }
    if (!cli_flag(c, "no-serve"))
        fprintf(stderr, "网页服务尚未包含在此版本中；数据已就绪。\n"
                        "the web server is not part of this version yet; the data is ready.\n");
    return 0;
}

const cli_cmd cli_demo_cmds[] = {
    {"demo", NULL, "生成演示区县（仿天津市南开区，确定性数据）",
     "build the demo district (modelled on 天津市南开区, deterministic)", NULL, demo_opts, run_demo,
     "  auditgrid demo --db demo/auditgrid.db --seed 2026 --force --no-serve"},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL}};
