/* api_lines.c - finding a unit's voucher lines (分录) by year, voucher, account, amount, text. */
#include "http/api.h"

#include <stdlib.h>
#include <string.h>

#include "ledger/lines.h"
#include "util/money.h"
#include "util/banned.h"

/* An optional small non-negative integer query argument; false for junk. */
static bool query_int(const char *s, int *out)
{
    if (!s)
        return true;
    if (!*s || strlen(s) > 6 || strspn(s, "0123456789") != strlen(s))
        return false;
    *out = (int)strtol(s, NULL, 10);
    return true;
}

/* An optional amount in yuan ("1280.00") as fen; false for junk. */
static bool query_yuan(const char *s, bool *has, int64_t *fen)
{
    if (!s)
        return true;
    *has = true;
    return *s && ag_money_parse(s, strlen(s), fen);
}

/* Replaces the integer debit and credit (fen) of every item by yuan strings,
 * and a source that older versions stored as a server path by its base name. */
static void lines_to_yuan(json_t *items)
{
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *o = json_array_get(items, i);
        const char *src = json_string_value(json_object_get(o, "source"));
        const char *slash = src ? strrchr(src, '/') : NULL;
        if (slash && slash[1])
            json_object_set_new(o, "source", json_string(slash + 1));
    }
    static const char *const keys[] = {"debit", "credit"};
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *o = json_array_get(items, i);
        for (int k = 0; k < 2; k++) {
            char yuan[24];
            ag_money_format(json_integer_value(json_object_get(o, keys[k])), yuan);
            json_object_set_new(o, keys[k], json_string(yuan));
        }
    }
}

ag_err api_ledger_lines(http_req *r, ag_error *err)
{
    const char *code = http_param(r, "code");
    int64_t page, per;
    ag_err rc = http_page(r, &page, &per, err);
    if (rc)
        return rc;
    if ((page - 1) * per > LEDGER_LINES_OFFSET_MAX)
        return ag_fail(err, AG_ERR_USAGE, "page", "page 过大", "page is too large");
    ledger_lines_filter f = {
        .voucher = http_query(r, "voucher"),
        .account = http_query(r, "account"),
        .counterparty = http_query(r, "counterparty"),
        .summary = http_query(r, "summary"),
        .date_from = http_query(r, "from"),
        .date_to = http_query(r, "to"),
        .limit = per,
        .offset = (page - 1) * per,
    };
    if (!query_int(http_query(r, "year"), &f.year))
        return ag_fail(err, AG_ERR_USAGE, "year", "year 应为四位年份", "year is a 4-digit year");
    if (!query_int(http_query(r, "period"), &f.period))
        return ag_fail(err, AG_ERR_USAGE, "period", "period 应为 1 至 13 的会计期间",
                       "period is an accounting period from 1 to 13");
    if (!query_yuan(http_query(r, "amount"), &f.has_amount, &f.amount))
        return ag_fail(err, AG_ERR_USAGE, "amount", "amount 应为以元为单位的金额，如 1280.00",
                       "amount is an amount in yuan, such as 1280.00");
    if (!query_yuan(http_query(r, "min_amount"), &f.has_min_amount, &f.min_amount))
        return ag_fail(err, AG_ERR_USAGE, "min_amount",
                       "min_amount 应为以元为单位的金额，如 1280.00",
                       "min_amount is an amount in yuan, such as 1280.00");
    /* A bad filter is 400 whoever asks; the unit is then 404 alike when it
     * is missing or outside the scope. */
    rc = ledger_lines_check(&f, err);
    if (!rc)
        rc = api_unit_in_scope(r, code, err);
    json_t *list = NULL;
    if (!rc)
        rc = ledger_lines_search(http_store(r), code, &f, &list, err);
    if (rc)
        return rc;
    lines_to_yuan(json_object_get(list, "items"));
    http_write_page(r, list, page, per);
    json_decref(list);
    return AG_OK;
}
