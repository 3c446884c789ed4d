/* cmd_scan.c - `auditgrid scan` (CSV files or the store) and `auditgrid warnings list`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/scan.h"
#include "cli/cli_run.h"
#include "domain/warnings.h"
#include "engine/rules.h"
#include "engine/scan.h"
#include "engine/snapshot.h"
#include "util/calendar.h"
#include "util/banned.h"

static const cli_opt scan_opts[] = {
    {"csv", NULL, false, "扫描后面列出的 CSV 文件（不用数据库）",
     "scan the CSV files listed after the options (no database)"},
    {"unit", "CODE", false, "只扫描该单位（CSV：无单位列的文件所属单位）",
     "only this unit (CSV: the unit of files without a unit column)"},
    {"year", "Y", false, "只扫描该年度（数据库）", "only this fiscal year (store)"},
    {"catalog", "FILE", false, "规则文件（默认内置 catalog/rules.json）",
     "rules file (default: the built-in catalog/rules.json)"},
    {"staff", "FILE", false, "职工名单 CSV（unit_code,name），用于收款人为职工的检查",
     "staff list CSV (unit_code,name) for the payee-is-staff check"},
    {"threads", "N", false, "线程数（默认每核一个）", "threads (default one per core)"},
    CLI_OPT_END};

static ag_err load_catalog(cli_ctx *c, eng_catalog **cat, ag_error *err)
{
    return cli_get(c, "catalog") ? eng_catalog_load_file(cli_get(c, "catalog"), cat, err)
                                 : eng_catalog_load_default(cat, err);
}

/* Summary on stderr: rows, seconds, warnings per item. */
static void summary(const eng_snapshot *s, const eng_catalog *cat, const eng_result *r,
                    double load_s)
{
    static const char *const items[] = {"F01", "F02", "F03", "F04", "F05", "F06", "F07",
                                        "F08", "F09", "F10", "F11", "F12", "F13", "K1",
                                        "K2",  "K3",  "K4",  "K5",  "K6",  "K7"};
    fprintf(stderr,
            "扫描 scanned %zu 行 rows, %zu 单位 units, %zu 凭证 vouchers; 读取 load %.2f s, "
            "检查 rules %.2f s; 预警 warnings %zu\n",
            s->rows, s->nunits, s->nvouchers, load_s, r->seconds, r->n);
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
        size_t n = 0;
        for (size_t k = 0; k < r->n; k++)
            n += strcmp(cat->rules[r->w[k].rule].item, items[i]) == 0;
        if (n)
            fprintf(stderr, "  %-4s %zu\n", items[i], n);
    }
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The scan's figures on stderr: rows, seconds, warnings per item. */
static void store_summary(const app_scan_stats *r)
{
    fprintf(stderr,
            "扫描 scanned %zu 行 rows, %zu 单位 units, %zu 凭证 vouchers; 读取 load %.2f s, "
            "检查 rules %.2f s; 预警 warnings %zu\n",
            r->rows, r->units, r->vouchers, r->load_seconds, r->rule_seconds, r->warnings);
    for (int i = 0; i < APP_SCAN_ITEMS; i++)
        if (r->by_item[i])
            fprintf(stderr, "  %-4s %zu\n", app_scan_items[i], r->by_item[i]);
}

/* CSV files are scanned without a store: the warnings go to stdout as JSON lines. */
static int scan_csv(cli_ctx *c, int threads)
{
    ag_error err;
    ag_error_clear(&err);
    eng_catalog *cat = NULL;
    ag_calendar *cal = NULL;
    eng_snapshot *s = NULL;
    eng_result res = {0};
    ag_err rc = load_catalog(c, &cat, &err);
    if (!rc)
        rc = calendar_load_default(&cal, &err);
    eng_load_opts lo = {cat ? eng_catalog_columns(cat) : 0, threads, cli_get(c, "unit"), false};
    double t0 = now_s();
    if (!rc)
        rc = eng_snapshot_from_csv((const char *const *)c->args, (size_t)c->nargs,
                                   cli_get(c, "staff"), &lo, &s, &err);
    double load_s = now_s() - t0;
    if (!rc)
        rc = eng_scan(s, cat, cal, threads, &res, &err);
    if (!rc) {
        /* JSON lines on stdout, buffered. */
        for (size_t i = 0; i < res.n; i++) {
            json_t *w = eng_warning_json(s, cat, cal, &res.w[i]);
            json_dumpf(w, stdout, JSON_COMPACT);
            fputc('\n', stdout);
            json_decref(w);
        }
        summary(s, cat, &res, load_s);
    }
    eng_result_release(&res);
    eng_snapshot_free(s);
    eng_catalog_free(cat);
    calendar_free(cal);
    return rc ? cli_report(&err) : 0;
}

/* Scans the books in the store (req) and records the warnings. */
static ag_err scan_store(cli_ctx *c, ag_store *st, const void *req, ag_error *err)
{
    app_scan_stats r;
    ag_err rc = app_scan_run(st, req, &r, err);
    if (!rc) {
        if (c->json)
            cli_print_json(json_pack("{s:I,s:I,s:I,s:I,s:f}", "scan_id", (json_int_t)r.run_id,
                                     "rows", (json_int_t)r.rows, "warnings", (json_int_t)r.warnings,
                                     "new_warnings", (json_int_t)r.new_warnings, "seconds",
                                     r.load_seconds + r.rule_seconds));
        else
            printf("扫描完成 scan %lld：%zu 行 rows，预警 %zu 条 warnings，其中新增 %lld 条 "
                   "new\n",
                   (long long)r.run_id, r.rows, r.warnings, (long long)r.new_warnings);
        store_summary(&r);
    }
    return rc;
}

static int run_scan(cli_ctx *c)
{
    int64_t threads, year;
    if (!cli_get_int(c, "threads", 0, 64, 0, &threads) ||
        !cli_get_int(c, "year", 0, 2100, 0, &year))
        return 2;
    bool csv = cli_flag(c, "csv");
    if (csv && c->nargs == 0)
        return cli_usage_error(c, "--csv 后须给出至少一个文件", "--csv needs at least one file");
    if (!csv && c->nargs > 0)
        return cli_usage_error(c, "给出文件时须加 --csv", "add --csv to scan files");
    if (csv)
        return scan_csv(c, (int)threads);
    app_scan_req req = {.unit_code = cli_get(c, "unit"),
                        .year = (int)year,
                        .threads = (int)threads,
                        .catalog_path = cli_get(c, "catalog")};
    return cli_on_store(c, false, scan_store, &req);
}

static const cli_opt list_opts[] = {
    CLI_OPT_UNIT,
    {"item", "ITEM", false, "事项（F01-F13、K1-K7）", "catalog item (F01-F13, K1-K7)"},
    {"rule", "RULE", false, "规则编号", "rule id"},
    {"status", "S", false, "状态：open|acknowledged|dismissed|escalated",
     "status: open | acknowledged | dismissed | escalated"},
    {"severity", "S", false, "严重程度：high|medium|low", "severity: high | medium | low"},
    {"cell", "ID", false, "网格（其下全部单位）", "grid cell (all its units)"},
    {"from", "DATE", false, "预警日期不早于（YYYY-MM-DD）",
     "warning date on or after (YYYY-MM-DD)"},
    {"to", "DATE", false, "预警日期不晚于（YYYY-MM-DD）", "warning date on or before (YYYY-MM-DD)"},
    {"sort", "KEY", false, "排序：" WARNINGS_SORTS "（- 为降序）",
     "order: " WARNINGS_SORTS " (- descending)"},
    {"limit", "N", false, "每页条数（默认 100）", "page size (default 100)"},
    {"offset", "N", false, "跳过条数", "rows to skip"},
    CLI_OPT_END};

static ag_err list_get(cli_ctx *c, ag_store *st, const void *f, json_t **out, ag_error *err)
{
    (void)c;
    return warnings_list(st, f, out, err);
}

static void print_list(const cli_ctx *c, const json_t *out)
{
    (void)c;
    json_t *items = json_object_get(out, "items");
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *w = json_array_get(items, i);
        printf("#%lld %s %-4s %-6s %s %s\n    %s\n", cli_int(w, "id"), cli_text(w, "date"),
               cli_text(w, "item"), cli_text(w, "severity"), cli_text(w, "unit"),
               cli_text(w, "status"), cli_text(w, "message"));
    }
    printf("共 %lld 条 (%lld warnings)\n", cli_int(out, "total"), cli_int(out, "total"));
}

static int run_warnings_list(cli_ctx *c)
{
    int64_t limit, offset;
    if (!cli_get_int(c, "limit", 1, 100000, 100, &limit) ||
        !cli_get_int(c, "offset", 0, INT64_MAX, 0, &offset))
        return 2;
    const char *status = cli_get(c, "status");
    if (status && strcmp(status, "open") && strcmp(status, "acknowledged") &&
        strcmp(status, "dismissed") && strcmp(status, "escalated"))
        return cli_usage_error(c, "--status 应为 open、acknowledged、dismissed 或 escalated",
                               "--status is open, acknowledged, dismissed or escalated");
    const char *sev = cli_get(c, "severity");
    if (sev && strcmp(sev, "high") && strcmp(sev, "medium") && strcmp(sev, "low"))
        return cli_usage_error(c, "--severity 应为 high、medium 或 low",
                               "--severity is high, medium or low");
    warnings_filter f = {.unit_code = cli_get(c, "unit"),
                         .item = cli_get(c, "item"),
                         .rule = cli_get(c, "rule"),
                         .status = status,
                         .severity = cli_get(c, "severity"),
                         .limit = limit,
                         .offset = offset,
                         .cell_id = cli_get(c, "cell"),
                         .date_from = cli_get(c, "from"),
                         .date_to = cli_get(c, "to"),
                         .sort = cli_get(c, "sort")};
    return cli_show_store(c, list_get, print_list, &f);
}

const cli_cmd cli_scan_cmds[] = {
    {"scan", NULL, "运行预警规则：扫描 CSV 文件（--csv）或数据库中的账套",
     "run the warning rules over CSV files (--csv) or the books in the database", "[FILE...]",
     scan_opts, run_scan,
     "  auditgrid scan --csv ledgers/*.csv --staff ledgers/staff.csv > warnings.jsonl\n"
     "  auditgrid --db nankai.db scan --year 2025"},
    {"warnings", "list", "列出预警", "list warnings", NULL, list_opts, run_warnings_list,
     "  auditgrid warnings list --item F03 --status open --json"},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL}};
