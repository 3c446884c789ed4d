/* expr.h - the filter-expression language: compiled once, evaluated over snapshot columns. */
#ifndef AG_ENGINE_EXPR_H
#define AG_ENGINE_EXPR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/dict.h"
#include "util/error.h"

/* A filter such as `account ^= "5001" && amount >= 50000` is compiled against
 * a schema (the snapshot's columns and string dictionary) into a plan whose
 * string tests are already resolved to dictionary ids, then evaluated over
 * rows a block at a time. The language is described in docs/expr.md. */

/* Bounds on the source text. */
#define EXPR_MAX_LEN   4096 /* bytes of source */
#define EXPR_MAX_DEPTH 64   /* nested parentheses and `!` */
#define EXPR_MAX_IN    1000 /* items of one `in [...]` list */

typedef enum expr_type {
    EXPR_STR,   /* uint32 ids into the schema's dictionary; id 0 = empty/absent */
    EXPR_INT,   /* signed integers of 1, 2 or 4 bytes */
    EXPR_MONEY, /* int64 fen */
    EXPR_DATE   /* int32 days since 1970-01-01 */
} expr_type;

typedef struct expr_column {
    const char *name; /* e.g. "account", "debit", "date", "period" */
    expr_type type;
    int width;        /* bytes per value: STR 4, INT 1/2/4, MONEY 8, DATE 4 */
    const void *data; /* column array, row-indexed; borrowed */
} expr_column;

/* Everything is borrowed and must outlive every expr compiled against it.
 * The dictionary must not change after compilation (compiled string tests
 * are tables over its ids), and every id in a STR column must be below
 * eng_dict_count(dict). When the schema has MONEY columns `debit` and
 * `credit` but none named `amount`, filters may also use the virtual column
 * `amount` = (debit != 0 ? debit : credit). */
typedef struct expr_schema {
    const expr_column *cols;
    size_t ncols;
    const eng_dict *dict; /* may be NULL when no STR column is used */
} expr_schema;

typedef struct expr expr;

/* Compiles src (NUL-terminated UTF-8) into *out, which the caller frees with
 * expr_free. Syntax and type errors fail with AG_ERR_INPUT, err->where set
 * to "filter:N" (N the 1-based character position of the offending token)
 * and messages naming the column involved; over-long input also fails with
 * AG_ERR_INPUT; a malformed schema (bad width, NULL data or dictionary) with
 * AG_ERR_INTERNAL; memory with AG_ERR_NOMEM. *out is NULL on failure. */
ag_err expr_compile(const char *src, const expr_schema *schema, expr **out, ag_error *err);
void expr_free(expr *e);

/* Rows [begin, end): out[i - begin] = 1 where the expression holds, 0
 * elsewhere. The caller guarantees the rows exist in every column. The
 * compiled expr is not modified: any number of threads may evaluate it at
 * once. Uses a little stack, or a heap buffer for deeply nested filters (and
 * falls back to row-at-a-time evaluation if that allocation fails). */
void expr_eval(const expr *e, size_t begin, size_t end, uint8_t *out);
/* The same for one row (for rules that look at a few rows). */
bool expr_eval_row(const expr *e, size_t row);

#endif
