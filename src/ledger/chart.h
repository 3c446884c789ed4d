/* chart.h - the chart profiles (政府会计制度 gov2019, 企业会计准则 enterprise): level-1 accounts
 * and roles. */
#ifndef AG_CHART_H
#define AG_CHART_H

#include <stdbool.h>
#include <stddef.h>

/* Roles the engine and the import checks ask about. A *payment* is a line
 * that credits a CASH or BANK role account (DESIGN.md §4). */
enum {
    CHART_ROLE_CASH = 1u << 0, /* 库存现金 */
    CHART_ROLE_BANK = 1u << 1, /* 银行存款, 零余额账户用款额度, 其他货币资金 */
    CHART_ROLE_OTHER_RECEIVABLE = 1u << 2, /* 其他应收款 */
    CHART_ROLE_OTHER_PAYABLE = 1u << 3,    /* 其他应付款 */
    CHART_ROLE_EXPENSE = 1u << 4,          /* 费用 / 成本费用 */
    CHART_ROLE_BUDGET = 1u << 5            /* 预算会计 (budget basis) */
};

/* A level-1 account of a profile. */
typedef struct chart_account {
    const char *code; /* 4 digits */
    const char *name;
    char normal_side; /* 'D' or 'C' */
    const char *class_name;
    unsigned roles;
} chart_account;

typedef struct chart_profile {
    const char *id;      /* "gov2019", "enterprise" */
    const char *name_zh; /* 政府会计制度 / 企业会计准则 */
    const chart_account *accounts;
    size_t count;
} chart_profile;

/* The profile with this id, or NULL. */
const chart_profile *chart_profile_get(const char *id);
/* The default profile for a unit type: enterprise for 国企, gov2019 otherwise. */
const chart_profile *chart_profile_for_unit_type(const char *unit_type);
/* The level-1 account an account code belongs to (by its first 4 digits), or
 * NULL when the code is not in the profile. */
const chart_account *chart_lookup(const chart_profile *p, const char *code);
/* Roles of an account code (0 when unknown). */
unsigned chart_roles(const chart_profile *p, const char *code);

#endif
