/* cmd_ledger.c - `auditgrid import` and `auditgrid ledger ...`: books in, summaries and lines out.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli_run.h"
#include "ledger/gen.h"
#include "ledger/import.h"
#include "ledger/lines.h"
#include "util/money.h"
#include "util/banned.h"

static const cli_opt import_opts[] = {
    {"unit", "CODE", true, "单位代码（单位须已存在）", "unit code (the unit must exist)"},
    {"year", "Y", false, "会计年度（文件中各行须属于该年度）",
     "fiscal year (every row must belong to it)"},
    {"format", "FMT", false, "格式：auto（默认）|gbt19581|csv|xlsx",
     "format: auto (default) | gbt19581 | csv | xlsx"},
    {"sheet", "NAME", false, "XLSX 工作表名（默认第一个）", "XLSX sheet name (default: the first)"},
    {"chart", "ID", false, "科目体系：gov2019|enterprise（默认按单位类型）",
     "chart profile: gov2019 | enterprise (default by unit type)"},
    {"replace", NULL, false, "替换该单位相应年度已有的账套",
     "replace the unit's books for those years"},
    {"append", NULL, false, "追加到已有账套（如按月分批导出的文件）",
     "add to existing books (e.g. monthly exports)"},
    CLI_OPT_END};

static void print_report_text(json_t *r)
{
    const char *status = json_string_value(json_object_get(r, "status"));
    printf("%s\n", json_string_value(json_object_get(r, "path")));
    if (status && !strcmp(status, "already_imported")) {
        printf("  已导入过（%s），未做任何更改 already imported, nothing changed\n",
               json_string_value(json_object_get(r, "imported_at")));
        return;
    }
    printf("  格式 format %s · 编码 encoding %s · SHA-256 %.16s…\n",
           json_string_value(json_object_get(r, "format")),
           json_string_value(json_object_get(r, "encoding")),
           json_string_value(json_object_get(r, "sha256")));
    printf("  凭证 %lld 张 · 分录 %lld 行 · 借方合计 %s · 贷方合计 %s\n",
           (long long)json_integer_value(json_object_get(r, "vouchers")),
           (long long)json_integer_value(json_object_get(r, "lines")),
           json_string_value(json_object_get(r, "debit_total")),
           json_string_value(json_object_get(r, "credit_total")));
    printf("  %lld vouchers, %lld lines, debit %s, credit %s\n",
           (long long)json_integer_value(json_object_get(r, "vouchers")),
           (long long)json_integer_value(json_object_get(r, "lines")),
           json_string_value(json_object_get(r, "debit_total")),
           json_string_value(json_object_get(r, "credit_total")));
    long long nf = (long long)json_integer_value(json_object_get(r, "findings_total"));
    printf("  数据质量发现 %lld 项 data-quality findings: %lld\n", nf, nf);
    const char *kind;
    json_t *n;
    json_object_foreach(json_object_get(r, "findings_by_kind"), kind, n)
        printf("    %-20s %lld\n", kind, (long long)json_integer_value(n));
    json_t *list = json_object_get(r, "findings");
    for (size_t i = 0; i < json_array_size(list) && i < 20; i++) {
        json_t *f = json_array_get(list, i);
        printf("    %s  %s\n", json_string_value(json_object_get(f, "location")),
               json_string_value(json_object_get(f, "message_zh")));
    }
    json_t *notes = json_object_get(r, "notes");
    for (size_t i = 0; i < json_array_size(notes) && i < 10; i++) {
        json_t *note = json_array_get(notes, i);
        printf("  说明 note: %s  %s\n", json_string_value(json_object_get(note, "location")),
               json_string_value(json_object_get(note, "message_zh")));
    }
    if (nf > 20)
        printf("    …（其余见 --json 或网页 see --json for the rest）\n");
}

static int run_import(cli_ctx *c)
{
    int64_t year;
    if (!cli_get_int(c, "year", 1990, 2100, 0, &year))
        return 2;
    if (c->nargs < 1)
        return cli_usage_error(c, "须给出至少一个文件或文件夹", "give at least one file or folder");
    if (cli_flag(c, "replace") && cli_flag(c, "append"))
        return cli_usage_error(c, "--replace 与 --append 不能同时使用",
                               "--replace and --append exclude each other");
    int code;
    ag_store *st = cli_open_store(c, false, &code);
    if (!st)
        return code;
    ledger_import_opts o = {cli_get(c, "unit"),
                            (int)year,
                            cli_get(c, "format"),
                            cli_get(c, "sheet"),
                            cli_get(c, "chart"),
                            cli_flag(c, "replace"),
                            cli_flag(c, "append"),
                            !c->json,
                            NULL};
    json_t *all = json_array();
    int exit_code = 0;
    for (int i = 0; i < c->nargs; i++) {
        ag_error err;
        ag_error_clear(&err);
        json_t *r = NULL;
        ag_err rc = ledger_import(st, c->args[i], &o, &r, &err);
        if (rc) {
            exit_code = cli_report(&err);
            break;
        }
        if (!c->json)
            print_report_text(r);
        json_array_append_new(all, r);
    }
    if (c->json)
        json_dumpf(all, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER), fputc('\n', stdout);
    json_decref(all);
    store_close(st);
    return exit_code;
}

static const cli_opt show_opts[] = {
    {"unit", "CODE", true, "单位代码", "unit code"},
    {"year", "Y", false, "会计年度（默认全部）", "fiscal year (default all)"},
    CLI_OPT_END};

/* The books of --unit in year (0: all); with --json one book asked for is the object itself. */
static ag_err books_get(cli_ctx *c, ag_store *st, const void *year, json_t **out, ag_error *err)
{
    const int y = (int)*(const int64_t *)year;
    ag_err rc = ledger_summary(st, cli_get(c, "unit"), y, out, err);
    if (!rc && c->json && y && json_array_size(*out) == 1) {
        json_t *one = json_incref(json_array_get(*out, 0));
        json_decref(*out);
        *out = one;
    }
    return rc;
}

static void print_books(const cli_ctx *c, const json_t *books)
{
    for (size_t i = 0; i < json_array_size(books); i++) {
        json_t *b = json_array_get(books, i);
        printf("%s %lld 年度（%s）\n", cli_get(c, "unit"),
               (long long)json_integer_value(json_object_get(b, "year")),
               json_string_value(json_object_get(b, "chart_profile")));
        printf("  凭证 %lld 张 · 分录 %lld 行 · 科目 %lld 个 · 借方 %s · 贷方 %s · 数据质量发现 "
               "%lld\n",
               (long long)json_integer_value(json_object_get(b, "vouchers")),
               (long long)json_integer_value(json_object_get(b, "lines")),
               (long long)json_integer_value(json_object_get(b, "accounts")),
               json_string_value(json_object_get(b, "debit_total")),
               json_string_value(json_object_get(b, "credit_total")),
               (long long)json_integer_value(json_object_get(b, "findings")));
        json_t *src = json_object_get(b, "sources");
        for (size_t k = 0; k < json_array_size(src); k++) {
            json_t *s = json_array_get(src, k);
            printf("  来源 source #%lld %s（%s，%s）\n",
                   (long long)json_integer_value(json_object_get(s, "id")),
                   json_string_value(json_object_get(s, "path")),
                   json_string_value(json_object_get(s, "format")),
                   json_string_value(json_object_get(s, "imported_at")));
        }
    }
}

static int run_ledger_show(cli_ctx *c)
{
    int64_t year;
    if (!cli_get_int(c, "year", 1990, 2100, 0, &year))
        return 2;
    return cli_show_store(c, books_get, print_books, &year);
}

static const cli_opt lines_opts[] = {
    {"unit", "CODE", true, "单位代码", "unit code"},
    {"year", "Y", false, "会计年度", "fiscal year"},
    {"period", "N", false, "会计期间（月份，1–13）", "accounting period (month, 1-13)"},
    {"voucher", "V", false, "凭证：凭证字-凭证号（如 记-12）或仅凭证号",
     "voucher: type-number as shown (记-12) or the number alone"},
    {"account", "CODE", false, "科目代码前缀（1002 含 100201）",
     "account-code prefix (1002 finds 100201)"},
    {"counterparty", "TEXT", false, "往来单位包含此文字", "counterparty contains this text"},
    {"summary", "TEXT", false, "摘要包含此文字", "summary contains this text"},
    {"amount", "YUAN", false, "借方或贷方金额恰为此数（元）",
     "debit or credit is exactly this amount (yuan)"},
    {"min-amount", "YUAN", false, "借方或贷方金额不低于此数（元）",
     "debit or credit is at least this amount (yuan)"},
    {"from", "DATE", false, "凭证日期起（YYYY-MM-DD，含）",
     "voucher date from (YYYY-MM-DD, inclusive)"},
    {"to", "DATE", false, "凭证日期止（YYYY-MM-DD，含）",
     "voucher date to (YYYY-MM-DD, inclusive)"},
    {"limit", "N", false, "最多显示行数（默认 50，最多 500）",
     "lines to show (default 50, at most 500)"},
    {"offset", "N", false, "跳过前 N 行（翻页）", "skip the first N lines (paging)"},
    CLI_OPT_END};

/* --amount / --min-amount in yuan as fen; prints a usage error for junk. */
static bool yuan_opt(cli_ctx *c, const char *name, bool *has, int64_t *fen)
{
    const char *v = cli_get(c, name);
    if (!v)
        return true;
    *has = true;
    if (*v && ag_money_parse(v, strlen(v), fen))
        return true;
    char zh[160], en[160];
    snprintf(zh, sizeof zh, "--%s 应为以元为单位的金额，如 1280.00", name);
    snprintf(en, sizeof en, "--%s is an amount in yuan, such as 1280.00", name);
    cli_usage_error(c, zh, en);
    return false;
}

static void print_lines_text(const json_t *list, int64_t offset)
{
    json_t *items = json_object_get(list, "items");
    long long total = cli_int(list, "total");
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *l = json_array_get(items, i);
        char d[32], cr[32];
        ag_money_format_grouped(cli_int(l, "debit"), d);
        ag_money_format_grouped(cli_int(l, "credit"), cr);
        printf("#%-8lld %s %-10s 第%lld行 %s %s 借 %s 贷 %s %s %s\n", cli_int(l, "id"),
               cli_text(l, "voucher_date"), cli_text(l, "voucher"), cli_int(l, "line_no"),
               cli_text(l, "account_code"), cli_text(l, "account_name"), d, cr,
               cli_text(l, "counterparty"), cli_text(l, "summary"));
    }
    size_t n = json_array_size(items);
    if (n)
        printf("第 %lld–%lld 行，共 %lld 行 lines %lld-%lld of %lld\n", (long long)offset + 1,
               (long long)offset + (long long)n, total, (long long)offset + 1,
               (long long)offset + (long long)n, total);
    else
        printf("没有符合条件的分录（共 %lld 行） no matching lines (%lld in all)\n", total, total);
}

/* Finds the lines of --unit through filter f and shows them, amounts in yuan. */
static ag_err lines_show(cli_ctx *c, ag_store *st, const void *f, ag_error *err)
{
    json_t *list = NULL;
    ag_err rc = ledger_lines_search(st, cli_get(c, "unit"), f, &list, err);
    if (rc)
        return rc;
    if (c->json) {
        json_t *items = json_object_get(list, "items");
        for (size_t i = 0; i < json_array_size(items); i++) {
            json_t *l = json_array_get(items, i);
            char d[24], cr[24];
            ag_money_format(cli_int(l, "debit"), d);
            ag_money_format(cli_int(l, "credit"), cr);
            json_object_set_new(l, "debit", json_string(d));
            json_object_set_new(l, "credit", json_string(cr));
        }
        cli_print_json(list);
        return AG_OK;
    }
    print_lines_text(list, ((const ledger_lines_filter *)f)->offset);
    json_decref(list);
    return AG_OK;
}

static int run_ledger_lines(cli_ctx *c)
{
    int64_t year, period, limit, offset;
    if (!cli_get_int(c, "year", 1900, 2100, 0, &year) ||
        !cli_get_int(c, "period", 1, 13, 0, &period) ||
        !cli_get_int(c, "limit", 1, LEDGER_LINES_LIMIT_MAX, LEDGER_LINES_LIMIT, &limit) ||
        !cli_get_int(c, "offset", 0, LEDGER_LINES_OFFSET_MAX, 0, &offset))
        return 2;
    ledger_lines_filter f = {
        .year = (int)year,
        .period = (int)period,
        .voucher = cli_get(c, "voucher"),
        .account = cli_get(c, "account"),
        .counterparty = cli_get(c, "counterparty"),
        .summary = cli_get(c, "summary"),
        .date_from = cli_get(c, "from"),
        .date_to = cli_get(c, "to"),
        .limit = limit,
        .offset = offset,
    };
    if (!yuan_opt(c, "amount", &f.has_amount, &f.amount) ||
        !yuan_opt(c, "min-amount", &f.has_min_amount, &f.min_amount))
        return 2;
    ag_error err;
    ag_error_clear(&err);
    /* Refused filters before the database is even opened. */
    if (ledger_lines_check(&f, &err))
        return cli_report(&err);
    return cli_on_store(c, false, lines_show, &f);
}

static const cli_opt generate_opts[] = {
    {"out", "DIR", true, "输出文件夹（不存在则创建）", "output folder (created if missing)"},
    {"lines", "N", false, "分录总行数（默认 1000000）", "voucher lines in all (default 1000000)"},
    {"units", "N", false, "合成单位数（默认 30）", "number of synthetic units (default 30)"},
    {"seed", "N", false, "随机种子（默认 2026）", "random seed (default 2026)"},
    {"first-year", "Y", false, "首个会计年度（默认 2024）", "first fiscal year (default 2024)"},
    {"years", "N", false, "年度数（默认 2）", "number of fiscal years (default 2)"},
    CLI_OPT_END};

static int run_generate(cli_ctx *c)
{
    int64_t lines, units, seed, first, years;
    if (!cli_get_int(c, "lines", 1, AG_GEN_MAX_LINES, 1000000, &lines) ||
        !cli_get_int(c, "units", 1, AG_GEN_MAX_UNITS, 30, &units) ||
        !cli_get_int(c, "seed", 0, INT64_MAX, 2026, &seed) ||
        !cli_get_int(c, "first-year", 1990, 2100, 2024, &first) ||
        !cli_get_int(c, "years", 1, AG_GEN_MAX_YEARS, 2, &years))
        return 2;
    ag_error err;
    ag_error_clear(&err);
    ag_gen_unit *u = NULL;
    ag_err rc = ledger_gen_make_units((size_t)units, (uint64_t)seed, &u, &err);
    ag_gen_opts o = {(uint64_t)seed, lines, (int)first, (int)years, cli_get(c, "out"), !c->json};
    ag_gen_result res;
    memset(&res, 0, sizeof res);
    if (!rc)
        rc = ledger_gen_run(&o, u, (size_t)units, &res, &err);
    ledger_gen_free_units(u);
    if (rc)
        return cli_report(&err);
    if (c->json)
        cli_print_json(json_pack("{s:s,s:I,s:I,s:I,s:I,s:i,s:I}", "out", o.out_dir, "lines",
                                 (json_int_t)res.lines, "vouchers", (json_int_t)res.vouchers,
                                 "planted", (json_int_t)res.planted, "ground_truth_rows",
                                 (json_int_t)res.gt_rows, "files", res.files, "bytes",
                                 (json_int_t)res.bytes));
    else
        printf("已生成 generated %lld 行分录 lines，%lld 张凭证 vouchers，%d 个文件 files，"
               "埋设问题 %lld 处 planted irregularities → %s\n",
               (long long)res.lines, (long long)res.vouchers, res.files, (long long)res.planted,
               o.out_dir);
    return 0;
}

const cli_cmd cli_ledger_cmds[] = {
    {"import", NULL, "导入账套：GB/T 19581 文本（文件夹或 zip）、CSV、XLSX",
     "import books: GB/T 19581 text (folder or zip), CSV, XLSX", "PATH...", import_opts, run_import,
     "  auditgrid import --unit 12120104MB1234567K --year 2024 ledger-2024.csv"},
    {"ledger", "generate", "生成合成账套（演示与基准测试用，含埋设问题及其答案文件）",
     "generate synthetic ledgers (demo and benchmarks) with planted irregularities and ground "
     "truth",
     NULL, generate_opts, run_generate,
     "  auditgrid ledger generate --out /tmp/ledgers --lines 10000000"},
    {"ledger", "show", "显示单位账套概况", "show a unit's books", NULL, show_opts, run_ledger_show,
     "  auditgrid ledger show --unit 12120104MB1234567K --year 2024 --json"},
    {"ledger", "lines", "查找单位的凭证分录（取得分录 id，用作审计证据）",
     "find a unit's voucher lines (their ids are cited as audit evidence)", NULL, lines_opts,
     run_ledger_lines,
     "  auditgrid ledger lines --unit 12120104MB1234567K --year 2024 --voucher 记-12\n"
     "  auditgrid ledger lines --unit 12120104MB1234567K --counterparty 物业 --min-amount 10000"},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL}};
