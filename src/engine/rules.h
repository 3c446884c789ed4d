/* rules.h - the rule catalog as data: primitives, parameters, filters, severities, messages. */
#ifndef AG_ENGINE_RULES_H
#define AG_ENGINE_RULES_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

/* The primitives the engine knows; a rule picks one and sets its parameters. */
typedef enum eng_prim {
    PRIM_UNBALANCED_VOUCHER,
    PRIM_VOUCHER_GAP,
    PRIM_VOUCHER_REUSE,
    PRIM_SAME_MAKER_REVIEWER,
    PRIM_NONWORKING_DAY,
    PRIM_DUP_PAYMENT,
    PRIM_NEAR_THRESHOLD,
    PRIM_SPLIT_PAYMENT,
    PRIM_LARGE_NO_DECISION,
    PRIM_CASH_OVER_LIMIT,
    PRIM_ROUND_AMOUNT,
    PRIM_YEAREND_SPIKE,
    PRIM_RECEIVABLE_AGING,
    PRIM_BENFORD_FIRST2,
    PRIM_PAYEE_IS_STAFF,
    PRIM_COUNT
} eng_prim;

/* The name of a primitive in rules.json. */
const char *eng_prim_name(eng_prim p);

typedef struct eng_rule {
    char id[48];
    char item[8];     /* catalog item: F01..F13, K1..K7 */
    char severity[8]; /* high | medium | low */
    eng_prim prim;
    char *filter;   /* expression text or NULL (see docs/expr.md) */
    char *message;  /* Chinese template with {placeholders} */
    json_t *params; /* object; owned */
} eng_rule;

typedef struct eng_catalog {
    char version[32];
    char *source; /* "catalog/rules.json" or the file given */
    eng_rule *rules;
    size_t n;
} eng_catalog;

/* The shipped catalog (catalog/rules.json, compiled in). */
ag_err eng_catalog_load_default(eng_catalog **out, ag_error *err);
/* A catalog from JSON text; `name` labels errors. Unknown primitives,
 * duplicate ids, bad severities or items, and non-numeric parameters are
 * AG_ERR_INPUT naming the rule. */
ag_err eng_catalog_parse(const char *text, size_t len, const char *name, eng_catalog **out,
                         ag_error *err);
ag_err eng_catalog_load_file(const char *path, eng_catalog **out, ag_error *err);
void eng_catalog_free(eng_catalog *c);

/* A numeric parameter, or def when absent. */
double eng_rule_num(const eng_rule *r, const char *key, double def);
/* A parameter in yuan as fen (exact for up to 2 decimals), or def_yuan. */
int64_t eng_rule_fen(const eng_rule *r, const char *key, int64_t def_yuan);

#endif
