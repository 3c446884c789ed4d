/* cmd_grid.c - commands for the grid: init, unit, grid, person, user, catalog, audit-log. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit_log.h"
#include "cli/cli_internal.h"
#include "cli/cli_run.h"
#include "domain/catalog.h"
#include "domain/grid.h"
#include "domain/user.h"
#include "util/banned.h"

#define DEFAULT_DISTRICT_CODE "120104"
#define DEFAULT_DISTRICT_NAME "天津市南开区"
#define CATALOG_FILE_MAX      (4u * 1024u * 1024u)

/* ---- init --------------------------------------------------------------- */

static const cli_opt init_opts[] = {
    {"district", "CODE", false, "行政区划代码（默认 120104）", "division code (default 120104)"},
    {"name", "NAME", false, "区县名称（默认 天津市南开区）",
     "district name (default 天津市南开区)"},
    CLI_OPT_END};

static ag_err init_in(cli_ctx *c, ag_store *st, const void *arg, ag_error *err)
{
    (void)arg;
    const char *dcode = cli_get(c, "district") ? cli_get(c, "district") : DEFAULT_DISTRICT_CODE;
    const char *dname = cli_get(c, "name") ? cli_get(c, "name") : DEFAULT_DISTRICT_NAME;
    int64_t ver = 0;
    ag_err rc = grid_init(st, dcode, dname, &ver, err);
    if (rc)
        return rc;
    if (c->json)
        cli_print_json(json_pack("{s:s,s:s,s:s,s:i,s:I}", "db", c->db, "district", dcode, "name",
                                 dname, "schema_version", store_schema_version(st),
                                 "catalog_version", (json_int_t)ver));
    else
        printf("已初始化 initialised %s：%s（%s），目录版本 catalog version %lld\n", c->db, dname,
               dcode, (long long)ver);
    return AG_OK;
}

static int run_init(cli_ctx *c)
{
    /* Check the district code before the database file is created, so a
     * refused init leaves nothing behind. */
    const char *dc = cli_get(c, "district");
    if (dc && (strlen(dc) != 6 || strspn(dc, "0123456789") != 6)) {
        ag_error e;
        ag_fail(&e, AG_ERR_INPUT, "--district", "行政区划代码应为6位数字：%s",
                "a division code has 6 digits: %s", dc);
        return cli_report(&e);
    }
    return cli_on_store(c, true, init_in, NULL);
}

/* ---- unit ---------------------------------------------------------------- */

static const cli_opt unit_add_opts[] = {
    {"code", "USCC", true, "统一社会信用代码（18位，校验位按 GB 32100 检查）",
     "unified social credit code (18 characters, GB 32100 check character)"},
    {"name", "NAME", true, "单位名称", "unit name"},
    {"type", "TYPE", true, "单位类型：机关|事业|国企|街道|学校|医院",
     "unit type: 机关|事业|国企|街道|学校|医院"},
    {"cell", "ID", false, "所属网格编号（见 grid show）", "grid cell id (see grid show)"},
    {"parent", "CODE", false, "上级单位代码（如国企集团）", "parent unit code (e.g. an SOE group)"},
    {"pilot", NULL, false, "试点单位", "a pilot unit (试点单位)"},
    {"address", "TEXT", false, "地址", "address"},
    CLI_OPT_END};

static ag_err unit_add_in(cli_ctx *c, ag_store *st, const void *arg, ag_error *err)
{
    (void)arg;
    grid_unit_in u = {cli_get(c, "code"),   cli_get(c, "name"),   cli_get(c, "type"),
                      cli_get(c, "cell"),   cli_get(c, "parent"), cli_flag(c, "pilot"),
                      cli_get(c, "address")};
    ag_err rc = grid_unit_add(st, &u, err);
    if (rc || !c->json) {
        if (!rc)
            printf("已添加单位 unit added: %s %s\n", u.code, u.name);
        return rc;
    }
    json_t *o = NULL;
    rc = grid_unit_get(st, u.code, &o, err);
    if (!rc)
        cli_print_json(o);
    return rc;
}

static int run_unit_add(cli_ctx *c)
{
    return cli_on_store(c, false, unit_add_in, NULL);
}

static const cli_opt unit_list_opts[] = {
    {"pilot", NULL, false, "只列试点单位", "pilot units only"},
    {"cell", "ID", false, "只列该网格的单位", "units of this cell only"},
    {"type", "TYPE", false, "只列该类型的单位", "units of this type only"},
    CLI_OPT_END};

static void print_subject_line(const json_t *u)
{
    json_t *p = json_object_get(u, "principal");
    json_t *aud = json_object_get(u, "auditors");
    json_t *chief = json_object_get(u, "chief_auditor");
    printf("负责人 %s", json_is_object(p) ? cli_text(p, "name") : "（未设）");
    printf(" · 内审 ");
    if (json_array_size(aud) == 0)
        printf("（未设）");
    for (size_t i = 0; i < json_array_size(aud); i++)
        printf("%s%s", i ? "、" : "", cli_text(json_array_get(aud, i), "name"));
    if (json_is_object(chief))
        printf(" · 总审计师 %s", cli_text(chief, "name"));
}

static ag_err units_get(cli_ctx *c, ag_store *st, const void *arg, json_t **out, ag_error *err)
{
    (void)arg;
    grid_unit_filter f = {cli_flag(c, "pilot"), cli_get(c, "cell"), cli_get(c, "type")};
    return grid_unit_list(st, &f, out, err);
}

static void print_units(const cli_ctx *c, const json_t *arr)
{
    (void)c;
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *u = json_array_get(arr, i);
        printf("%s  %-4s %s%s  [%s]\n", cli_text(u, "code"), cli_text(u, "type"),
               cli_text(u, "name"), json_is_true(json_object_get(u, "pilot")) ? " ★试点" : "",
               cli_text(u, "cell_id"));
    }
    printf("共 %zu 个单位 (%zu units)\n", json_array_size(arr), json_array_size(arr));
}

static int run_unit_list(cli_ctx *c)
{
    return cli_show_store(c, units_get, print_units, NULL);
}

static const cli_opt unit_show_opts[] = {{"code", "USCC", true, "单位代码", "unit code"},
                                         CLI_OPT_END};

static ag_err unit_get(cli_ctx *c, ag_store *st, const void *arg, json_t **out, ag_error *err)
{
    (void)arg;
    ag_err rc = grid_unit_get(st, cli_get(c, "code"), out, err);
    if (rc == AG_ERR_NOTFOUND) /* the command line can name the command that lists them */
        rc = ag_fail(err, rc, "--code", "单位 %s 不存在（可用 auditgrid unit list 查看）",
                     "no unit %s (see `auditgrid unit list`)", cli_get(c, "code"));
    return rc;
}

static void print_unit(const cli_ctx *c, const json_t *u)
{
    (void)c;
    printf("%s\n  代码 code: %s\n  类型 type: %s%s\n  网格 cell: %s %s\n", cli_text(u, "name"),
           cli_text(u, "code"), cli_text(u, "type"),
           json_is_true(json_object_get(u, "pilot")) ? "（试点单位 pilot）" : "",
           cli_text(u, "cell_id"), cli_text(u, "cell_name"));
    if (*cli_text(u, "parent_code"))
        printf("  上级 parent: %s\n", cli_text(u, "parent_code"));
    printf("  两个主体 subjects: ");
    print_subject_line(u);
    printf("\n");
    json_t *ch = json_object_get(u, "children");
    for (size_t i = 0; i < json_array_size(ch); i++)
        printf("  下属 child: %s %s\n", cli_text(json_array_get(ch, i), "code"),
               cli_text(json_array_get(ch, i), "name"));
}

static int run_unit_show(cli_ctx *c)
{
    return cli_show_store(c, unit_get, print_unit, NULL);
}

/* ---- grid --------------------------------------------------------------- */

static const char *kind_zh(const char *k)
{
    return !strcmp(k, "dept") ? "主管部门" : !strcmp(k, "street") ? "街道" : "国资";
}

static ag_err tree_get(cli_ctx *c, ag_store *st, const void *arg, json_t **out, ag_error *err)
{
    (void)c, (void)arg;
    return grid_tree(st, out, err);
}

static void print_tree(const cli_ctx *c, const json_t *t)
{
    (void)c;
    json_t *d = json_object_get(t, "district");
    json_t *cells = json_object_get(t, "cells");
    size_t nunits = 0, npilot = 0;
    printf("%s（%s）审计监督一张网\n", cli_text(d, "name"), cli_text(d, "code"));
    for (size_t i = 0; i < json_array_size(cells); i++) {
        json_t *cell = json_array_get(cells, i);
        bool last_cell = i + 1 == json_array_size(cells);
        json_t *lia = json_object_get(cell, "liaisons");
        printf("%s %s %s［%s］", last_cell ? "└─" : "├─", cli_text(cell, "id"),
               cli_text(cell, "name"), kind_zh(cli_text(cell, "kind")));
        if (json_array_size(lia)) {
            printf(" 网格指导员 ");
            for (size_t j = 0; j < json_array_size(lia); j++)
                printf("%s%s", j ? "、" : "", cli_text(json_array_get(lia, j), "name"));
        }
        printf("\n");
        json_t *units = json_object_get(cell, "units");
        for (size_t j = 0; j < json_array_size(units); j++) {
            json_t *u = json_array_get(units, j);
            bool last = j + 1 == json_array_size(units);
            bool pilot = json_is_true(json_object_get(u, "pilot"));
            nunits++;
            npilot += pilot;
            printf("%s  %s %s（%s，%s）%s\n", last_cell ? "  " : "│ ", last ? "└─" : "├─",
                   cli_text(u, "name"), cli_text(u, "type"), cli_text(u, "code"),
                   pilot ? " ★试点" : "");
            printf("%s  %s   ", last_cell ? "  " : "│ ", last ? "  " : "│ ");
            print_subject_line(u);
            printf("\n");
        }
    }
    json_t *un = json_object_get(t, "unassigned");
    for (size_t j = 0; j < json_array_size(un); j++) {
        json_t *u = json_array_get(un, j);
        nunits++;
        npilot += json_is_true(json_object_get(u, "pilot"));
        printf("（未入网格 no cell）%s（%s，%s）\n", cli_text(u, "name"), cli_text(u, "type"),
               cli_text(u, "code"));
    }
    printf("网格 %zu 个 · 单位 %zu 个 · 试点单位 %zu 个 (%zu cells, %zu units, %zu pilot)\n",
           json_array_size(cells), nunits, npilot, json_array_size(cells), nunits, npilot);
}

static int run_grid_show(cli_ctx *c)
{
    return cli_show_store(c, tree_get, print_tree, NULL);
}

static const cli_opt cell_add_opts[] = {
    {"id", "ID", true, "网格编号（如 D23）", "cell id (e.g. D23)"},
    {"kind", "KIND", true, "类型：dept（主管部门）|street（街道）|soe（国资）",
     "kind: dept | street | soe"},
    {"name", "NAME", true, "网格名称", "cell name"},
    {"visit-days", "N", false, "网格指导员走访周期（天，默认30）",
     "liaison visit cadence in days (default 30)"},
    CLI_OPT_END};

/* arg: the visit cadence in days (int64_t). */
static ag_err cell_add_in(cli_ctx *c, ag_store *st, const void *arg, ag_error *err)
{
    int64_t n = 0;
    grid_cell_count(st, &n, NULL);
    grid_cell_in cell = {cli_get(c, "id"), cli_get(c, "kind"), cli_get(c, "name"),
                         (int)*(const int64_t *)arg, (int)n + 1};
    ag_err rc = grid_cell_add(st, &cell, err);
    if (!rc && !c->json)
        printf("已添加网格 cell added: %s %s\n", cell.id, cell.name);
    else if (!rc)
        cli_print_json(
            json_pack("{s:s,s:s,s:s}", "id", cell.id, "kind", cell.kind, "name", cell.name));
    return rc;
}

static int run_cell_add(cli_ctx *c)
{
    int64_t days;
    if (!cli_get_int(c, "visit-days", 1, 366, 30, &days))
        return 2;
    return cli_on_store(c, false, cell_add_in, &days);
}

/* ---- person ------------------------------------------------------------- */

static const cli_opt person_add_opts[] = {
    {"name", "NAME", true, "姓名", "name"},
    {"unit", "CODE", false, "所在单位代码", "unit code"},
    {"title", "TEXT", false, "职务", "title"},
    {"phone", "PHONE", false, "电话（不写入日志）", "phone (never logged)"},
    {"email", "EMAIL", false, "电子邮箱", "email"},
    {"role", "ROLE", false,
     "在该单位的主体角色：principal（主要负责同志）|auditor（内审人员）|chief_"
     "auditor（国企总审计师）",
     "subject role at the unit: principal | auditor | chief_auditor"},
    {"liaison-of", "CELL", false, "任该网格的网格指导员", "make the person liaison of this cell"},
    CLI_OPT_END};

static ag_err person_add_in(cli_ctx *c, ag_store *st, const void *arg, ag_error *err)
{
    (void)arg;
    grid_person_in p = {cli_get(c, "name"),  cli_get(c, "unit"),  cli_get(c, "title"),
                        cli_get(c, "phone"), cli_get(c, "email"), cli_get(c, "role")};
    int64_t id = 0;
    ag_err rc = grid_person_add_with_liaison(st, &p, cli_get(c, "liaison-of"), &id, err);
    if (rc)
        return rc;
    if (c->json)
        cli_print_json(json_pack("{s:I,s:s}", "id", (json_int_t)id, "name", p.name));
    else
        printf("已添加人员 person added: #%lld %s\n", (long long)id, p.name);
    return AG_OK;
}

static int run_person_add(cli_ctx *c)
{
    return cli_on_store(c, false, person_add_in, NULL);
}

/* ---- user --------------------------------------------------------------- */

static const cli_opt user_add_opts[] = {
    {"username", "U", true, "登录名", "login name"},
    {"role", "ROLE", true,
     "角色：admin 审计局管理员|reviewer 审计局/审计办审阅|liaison 网格指导员|supervisor "
     "主管部门|leader 单位负责人|auditor 内审人员|chief_auditor 国企总审计师",
     "role: admin|reviewer|liaison|supervisor|leader|auditor|chief_auditor"},
    {"unit", "CODE", false, "单位（leader、auditor、chief_auditor 必填）",
     "unit (required for leader, auditor, chief_auditor)"},
    {"cell", "ID", false, "网格（liaison、supervisor 必填）",
     "cell (required for liaison, supervisor)"},
    {"display-name", "NAME", false, "显示姓名", "display name"},
    {"person", "ID", false, "账号对应的人员编号（审计组成员、网格指导员须关联）",
     "the person this account belongs to (needed for audit teams and liaisons)"},
    {"password-stdin", NULL, false, "从标准输入读取口令（一行，8-128字节）",
     "read the password from standard input (one line, 8-128 bytes)"},
    CLI_OPT_END};

/* arg: the account to add (user_in), its password included. */
static ag_err user_add_in(cli_ctx *c, ag_store *st, const void *arg, ag_error *err)
{
    const user_in *u = arg;
    int64_t id = 0;
    ag_err rc = user_add(st, u, &id, err);
    if (rc)
        return rc;
    if (c->json)
        cli_print_json(json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "username", u->username,
                                 "role", u->role));
    else
        printf("已添加用户 user added: %s（%s）\n", u->username, u->role);
    return AG_OK;
}

static int run_user_add(cli_ctx *c)
{
    int64_t person;
    if (!cli_get_int(c, "person", 1, INT64_MAX, 0, &person))
        return 2;
    if (!cli_flag(c, "password-stdin"))
        return cli_usage_error(c, "须用 --password-stdin 提供口令（口令不得出现在命令行上）",
                               "give the password with --password-stdin (never on the command "
                               "line)");
    char pw[256];
    if (!cli_read_secret(pw, sizeof pw))
        return cli_usage_error(c, "标准输入中没有口令", "no password on standard input");
    user_in u = {cli_get(c, "username"),
                 cli_get(c, "role"),
                 cli_get(c, "unit"),
                 cli_get(c, "cell"),
                 cli_get(c, "display-name"),
                 pw,
                 person};
    int code = cli_on_store(c, false, user_add_in, &u);
    sodium_memzero(pw, sizeof pw);
    return code;
}

static ag_err users_get(cli_ctx *c, ag_store *st, const void *arg, json_t **out, ag_error *err)
{
    (void)c, (void)arg;
    return user_list(st, out, err);
}

static void print_users(const cli_ctx *c, const json_t *arr)
{
    (void)c;
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *u = json_array_get(arr, i);
        printf("%-16s %-14s %s%s\n", cli_text(u, "username"), cli_text(u, "role"),
               cli_text(u, "unit_code"), cli_text(u, "cell_id"));
    }
}

static int run_user_list(cli_ctx *c)
{
    return cli_show_store(c, users_get, print_users, NULL);
}

/* ---- catalog ------------------------------------------------------------ */

static const cli_opt catalog_list_opts[] = {
    {"version", "N", false, "目录版本（默认最新）", "catalog version (default latest)"},
    CLI_OPT_END};

/* arg: the catalog version (int64_t, 0 for the latest). */
static ag_err catalog_get_in(cli_ctx *c, ag_store *st, const void *arg, json_t **out, ag_error *err)
{
    (void)c;
    return catalog_get(st, *(const int64_t *)arg, out, err);
}

static void print_catalog(const cli_ctx *c, const json_t *cat)
{
    (void)c;
    json_t *items = json_object_get(cat, "items");
    printf("审计事项目录 catalog version %lld（%s）\n",
           (long long)json_integer_value(json_object_get(cat, "version")), cli_text(cat, "source"));
    const char *last_kind = "";
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *it = json_array_get(items, i);
        if (strcmp(last_kind, cli_text(it, "kind")) != 0) {
            last_kind = cli_text(it, "kind");
            printf(!strcmp(last_kind, "fund") ? "资金安全事项 fund-safety items:\n"
                                              : "重点审计内容 key audit items:\n");
        }
        printf("  %-4s %s — %s\n", cli_text(it, "code"), cli_text(it, "name_zh"),
               cli_text(it, "name_en"));
    }
}

static int run_catalog_list(cli_ctx *c)
{
    int64_t ver;
    if (!cli_get_int(c, "version", 1, INT32_MAX, 0, &ver))
        return 2;
    return cli_show_store(c, catalog_get_in, print_catalog, &ver);
}

static const cli_opt catalog_import_opts[] = {CLI_OPT_END};

/* A catalog file read into memory. */
typedef struct catalog_file {
    const char *path;
    const char *buf;
    size_t n;
} catalog_file;

static ag_err catalog_import_in(cli_ctx *c, ag_store *st, const void *arg, ag_error *err)
{
    const catalog_file *f = arg;
    int64_t ver = 0;
    ag_err rc = catalog_install_json(st, f->buf, f->n, f->path, &ver, err);
    if (rc)
        return rc;
    if (c->json)
        cli_print_json(json_pack("{s:I}", "version", (json_int_t)ver));
    else
        printf("已安装目录版本 catalog version installed: %lld\n", (long long)ver);
    return AG_OK;
}

static int run_catalog_import(cli_ctx *c)
{
    char *buf = NULL;
    size_t n = 0;
    int code = cli_read_arg_file(c, CATALOG_FILE_MAX, "目录文件", "catalog file", &buf, &n);
    if (code)
        return code;
    catalog_file cf = {c->args[0], buf, n};
    code = cli_on_store(c, false, catalog_import_in, &cf);
    free(buf);
    return code;
}

/* ---- audit log ------------------------------------------------------------ */

static const cli_opt auditlog_verify_opts[] = {
    {"expect", "HASH", false, "锚点：此前 audit-log head 输出并另行保存的链头哈希；日志须仍包含它",
     "anchor: a head hash printed earlier by audit-log head and kept elsewhere; the log must "
     "still hold it"},
    CLI_OPT_END};

/* A broken chain (AG_ERR_TAMPER) is reported too: with --json on stdout, and as exit code 1. */
static ag_err verify_in(cli_ctx *c, ag_store *st, const void *arg, ag_error *err)
{
    (void)arg;
    ag_audit_report rep;
    int64_t anchor = 0;
    const char *expect = cli_get(c, "expect");
    ag_err rc = app_audit_log_verify(st, expect, &rep, &anchor, err);
    if (c->json && (rc == AG_OK || rc == AG_ERR_TAMPER)) {
        json_t *o =
            json_pack("{s:b,s:I,s:I,s:s}", "ok", rc == AG_OK, "entries", (json_int_t)rep.entries,
                      "head_seq", (json_int_t)rep.head_seq, "head_hash", rep.head_hash);
        if (expect && !rc)
            json_object_set_new(o, "anchor_seq", json_integer(anchor));
        if (rc) {
            json_object_set_new(o, "first_bad_entry", json_integer(rep.bad_seq));
            json_object_set_new(o, "reason", json_string(rep.reason));
            json_object_set_new(o, "reason_zh", json_string(rep.reason_zh));
        }
        cli_print_json(o);
    } else if (!rc) {
        printf("审计日志完整：%lld 条记录，哈希链校验通过\naudit log intact: %lld entries, hash "
               "chain verified\n链头 head: %lld %s\n",
               (long long)rep.entries, (long long)rep.entries, (long long)rep.head_seq,
               rep.head_hash);
        if (expect && anchor == rep.head_seq)
            printf("与锚点一致 matches the anchor: 链头即锚点 the head is the anchor\n");
        else if (expect)
            printf("与锚点一致 matches the anchor: 锚点为第 %lld 条，其后新增 %lld 条 "
                   "(anchor is entry %lld, %lld entries added since)\n",
                   (long long)anchor, (long long)(rep.head_seq - anchor), (long long)anchor,
                   (long long)(rep.head_seq - anchor));
    }
    return rc;
}

static int run_auditlog_verify(cli_ctx *c)
{
    return cli_on_store(c, false, verify_in, NULL);
}

/* The chain head, to keep outside the database (a printout, a mail to the bureau) and check
 * later with verify --expect. The chain is verified first: a broken chain has no head to keep. */
static ag_err head_in(cli_ctx *c, ag_store *st, const void *arg, ag_error *err)
{
    (void)arg;
    ag_audit_report rep;
    ag_err rc = app_audit_log_verify(st, NULL, &rep, NULL, err);
    if (!rc && c->json)
        cli_print_json(json_pack("{s:I,s:I,s:s}", "entries", (json_int_t)rep.entries, "head_seq",
                                 (json_int_t)rep.head_seq, "head_hash", rep.head_hash));
    else if (!rc)
        printf("%s\n条数 entries: %lld\n链头 head: 第 %lld 条 entry %lld\n"
               "请另行保存此哈希，日后用 auditgrid audit-log verify --expect HASH 核对\n"
               "keep this hash elsewhere and check it later with auditgrid audit-log verify "
               "--expect HASH\n",
               rep.head_hash, (long long)rep.entries, (long long)rep.head_seq,
               (long long)rep.head_seq);
    return rc;
}

static int run_auditlog_head(cli_ctx *c)
{
    return cli_on_store(c, false, head_in, NULL);
}

const cli_cmd cli_grid_cmds[] = {
    {"init", NULL, "创建数据库并初始化区县与审计事项目录",
     "create the database with its district and the audit-item catalog", NULL, init_opts, run_init,
     "  auditgrid init --db nankai.db"},
    {"unit", "add", "添加单位（统一社会信用代码按 GB 32100 校验）",
     "add a unit (credit code checked per GB 32100)", NULL, unit_add_opts, run_unit_add,
     "  auditgrid unit add --code 12120104MB1234567K --name 南开区某中学 --type 学校 --cell D01 "
     "--pilot"},
    {"unit", "list", "列出单位", "list units", NULL, unit_list_opts, run_unit_list,
     "  auditgrid unit list --pilot --json"},
    {"unit", "show", "显示单位及其两个主体", "show a unit and its responsible subjects", NULL,
     unit_show_opts, run_unit_show, NULL},
    {"grid", "show", "以树形显示一张网：网格 → 单位 → 主体",
     "show the grid as a tree: cells → units → subjects", NULL, cli_no_opts, run_grid_show, NULL},
    {"grid", "add-cell", "添加网格", "add a grid cell", NULL, cell_add_opts, run_cell_add, NULL},
    {"person", "add", "添加人员（可同时设为单位主体或网格指导员）",
     "add a person (optionally as a unit's subject or a cell's liaison)", NULL, person_add_opts,
     run_person_add, "  auditgrid person add --name 王丽 --unit 12120104MB1234567K --role auditor"},
    {"user", "add", "添加用户账号（口令以 Argon2id 存储）",
     "add a user account (password stored as Argon2id)", NULL, user_add_opts, run_user_add,
     "  printf '%s\\n' \"$PW\" | auditgrid user add --username li --role auditor --unit "
     "12120104MB1234567K --password-stdin"},
    {"user", "list", "列出用户账号", "list user accounts", NULL, cli_no_opts, run_user_list, NULL},
    {"catalog", "list", "列出审计事项目录（资金安全13项、重点审计7项）",
     "list the audit-item catalog (13 fund-safety and 7 key items)", NULL, catalog_list_opts,
     run_catalog_list, NULL},
    {"catalog", "import", "从 JSON 文件安装新版本目录", "install a new catalog version from JSON",
     "FILE", catalog_import_opts, run_catalog_import, "  auditgrid catalog import my-items.json"},
    {"audit-log", "verify", "校验审计日志哈希链（--expect：并核对另行保存的链头锚点）",
     "verify the audit log's hash chain (--expect: and against a head kept elsewhere)", NULL,
     auditlog_verify_opts, run_auditlog_verify,
     "  auditgrid audit-log verify --expect 3f5c…（audit-log head 输出的哈希 the hash audit-log "
     "head printed）"},
    {"audit-log", "head", "输出审计日志链头哈希与条数，供另行保存（外部锚点）",
     "print the audit log's head hash and entry count, to keep elsewhere (an external anchor)",
     NULL, cli_no_opts, run_auditlog_head, "  auditgrid audit-log head --json > anchor.json"},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL}};
