/* cli_internal.h - what the command files share: option specs, the context, output helpers. */
#ifndef AG_CLI_INTERNAL_H
#define AG_CLI_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"
#include "util/error.h"

#define CLI_MAX_OPTS 24
#define CLI_MAX_ARGS 64

/* One option of a command: `--name VALUE` when metavar is set, else a flag. */
typedef struct cli_opt {
    const char *name;
    const char *metavar;
    bool required;
    const char *help_zh;
    const char *help_en;
} cli_opt;

/* Option table entries several commands share, spelled once (clang-format would break each
 * brace of a macro onto a line of its own). */
// clang-format off
#define CLI_OPT_END {NULL, NULL, false, NULL, NULL} /* the end of a table */
/* the filters and paging of lists */
#define CLI_OPT_UNIT {"unit", "CODE", false, "单位", "unit"}
#define CLI_OPT_UNIT_REQUIRED {"unit", "CODE", true, "单位", "unit"}
#define CLI_OPT_CELL {"cell", "ID", false, "网格", "grid cell"}
#define CLI_OPT_PROJECT {"project", "ID", false, "审计项目编号", "audit project id"}
#define CLI_OPT_LIMIT {"limit", "N", false, "最多列出（默认 100）", "at most (default 100)"}
#define CLI_OPT_OFFSET {"offset", "N", false, "跳过前 N 条", "skip the first N"}
// clang-format on

typedef struct cli_ctx cli_ctx;

/* what a command writes or files */
// clang-format off
#define CLI_OPT_TITLE {"title", "TEXT", true, "标题", "title"}
#define CLI_OPT_BODY {"body", "TEXT", false, "正文", "text"}
#define CLI_OPT_ATTACH {"attach", "ID,...", false, "附件编号（逗号分隔）", "attachment ids (comma-separated)"}
#define CLI_OPT_XLSX_OUT {"out", "FILE", true, "输出的 XLSX 文件", "the XLSX file to write"}
// clang-format on

/* A command (`unit add`) with its options and its function. */
typedef struct cli_cmd {
    const char *name;
    const char *sub; /* NULL for single-word commands */
    const char *summary_zh;
    const char *summary_en;
    const char *args; /* positional arguments in the usage line, or NULL */
    const cli_opt *opts;
    int (*run)(cli_ctx *c);
    const char *example;
} cli_cmd;

/* The parsed invocation. */
struct cli_ctx {
    const cli_cmd *cmd;
    const char *db;
    bool json;
    const char *values[CLI_MAX_OPTS]; /* per cmd->opts entry; "" for a set flag */
    const char *args[CLI_MAX_ARGS];
    int nargs;
};

/* The option's value, or NULL when absent. */
const char *cli_get(const cli_ctx *c, const char *name);
bool cli_flag(const cli_ctx *c, const char *name);
/* Parses an integer option; absent gives def. Out-of-range or junk prints a
 * usage error and returns false. */
bool cli_get_int(const cli_ctx *c, const char *name, int64_t lo, int64_t hi, int64_t def,
                 int64_t *out);

/* Opens the database named by --db (creating it when `create`), setting the
 * audit actor to "cli:<login name>". Prints the error and returns NULL on
 * failure, with *exit_code set. */
ag_store *cli_open_store(cli_ctx *c, bool create, int *exit_code);

/* Prints err in Chinese and English to stderr and returns the exit code it maps to. */
int cli_report(const ag_error *err);
/* Reads the one file argument of a command (a catalog or rubric) into *buf (NUL-terminated,
 * the caller frees it) and *len. what_zh / what_en name it in the messages: no argument is a
 * usage error (2); an unreadable file or one over max bytes is reported. Returns 0 on success,
 * otherwise the exit code with *buf NULL. */
int cli_read_arg_file(cli_ctx *c, size_t max, const char *what_zh, const char *what_en, char **buf,
                      size_t *len);
/* Exit code for an error code: 2 usage, 3 input rejected, 1 otherwise. */
int cli_exit_code(ag_err code);
/* Prints a usage error (both languages) and returns 2. */
int cli_usage_error(const cli_ctx *c, const char *zh, const char *en);
/* Prints JSON (pretty, UTF-8) to stdout, consuming a reference. */
void cli_print_json(json_t *j);
/* Reads one line (the password) from stdin into out, without the newline. */
bool cli_read_secret(char *out, size_t n);
/* Closes st (the common end of a command) and maps rc to the exit code,
 * printing err when rc is set. */
int cli_finish(ag_store *st, ag_err rc, const ag_error *err);
/* The string member k of o, or "" when absent or not a string. */
const char *cli_text(const json_t *o, const char *k);
/* The integer member k of o, 0 when absent; long long for printf's %lld. */
long long cli_int(const json_t *o, const char *k);

/* The option table of a command that takes none. */
extern const cli_opt cli_no_opts[];

/* Command tables, defined in the cmd_*.c files. */
extern const cli_cmd cli_grid_cmds[];
extern const cli_cmd cli_demo_cmds[];
extern const cli_cmd cli_ledger_cmds[];
extern const cli_cmd cli_scan_cmds[];
extern const cli_cmd cli_stats_cmds[];
extern const cli_cmd cli_serve_cmds[];
extern const cli_cmd cli_audit_cmds[];
extern const cli_cmd cli_rectify_cmds[];
extern const cli_cmd cli_attach_cmds[];
extern const cli_cmd cli_crossaudit_cmds[]; /* issue 14 §1 (xaudit) */
extern const cli_cmd cli_liaison_cmds[];    /* issue 14 §5 (liaison) */
/* issue 14 §2 (dept) */
extern const cli_cmd cli_guidance_cmds[];
extern const cli_cmd cli_soe_cmds[]; /* issue 14 §3–§4 (soe) */
/* issue 15 §1 (rating) */
extern const cli_cmd cli_rating_cmds[];
extern const cli_cmd cli_assess_cmds[]; /* issue 15 §2 (assess) */
extern const cli_cmd cli_report_cmds[]; /* issue 16 (reports) */

#endif
