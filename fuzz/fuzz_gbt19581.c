/* fuzz_gbt19581.c - libFuzzer target: GB/T 19581 files (one kind, or a JZPZ/KJKM/KMYE set) from
 * memory. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ledger/gbt19581.h"
#include "util/encoding.h"

#include "util/banned.h"

/* What the reader hands over must be valid UTF-8 whatever the input was. */
static void check_text(const char *s)
{
    if (s && !ag_utf8_valid(s, strlen(s), false))
        __builtin_trap();
}

static ag_err on_book(void *ctx, const ledger_book_info *b, ag_error *err)
{
    (void)ctx;
    (void)err;
    check_text(b->unit_name);
    check_text(b->unit_code);
    check_text(b->currency);
    check_text(b->software);
    check_text(b->chart_hint);
    return AG_OK;
}

static ag_err on_account(void *ctx, const ledger_account *a, ag_error *err)
{
    (void)ctx;
    (void)err;
    if (!a->code || !*a->code || a->level < 1)
        __builtin_trap();
    if (a->parent_code && strncmp(a->parent_code, a->code, strlen(a->parent_code)))
        __builtin_trap();
    check_text(a->code);
    check_text(a->name);
    check_text(a->class_name);
    return AG_OK;
}

static ag_err on_balance(void *ctx, const ledger_balance *b, ag_error *err)
{
    (void)ctx;
    (void)err;
    if (!b->account_code || b->period < 0 || b->period > 16)
        __builtin_trap();
    check_text(b->account_code);
    return AG_OK;
}

static ag_err on_row(void *ctx, const ledger_row *r, ag_error *err)
{
    (void)err;
    int64_t *rows = ctx;
    ++*rows;
    if (!r->voucher_no || !*r->voucher_no || !r->account_code || !*r->account_code)
        __builtin_trap();
    const char *all[] = {r->voucher_type, r->voucher_no, r->summary,     r->account_code,
                         r->account_name, r->bill_no,    r->settle_type, r->maker,
                         r->reviewer,     r->poster,     r->cashier,     r->extra_json};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        check_text(all[i]);
    if (r->extra_json) {
        size_t n = strlen(r->extra_json);
        if (n < 2 || r->extra_json[0] != '{' || r->extra_json[n - 1] != '}')
            __builtin_trap();
    }
    if (r->posted < -1 || r->posted > 1 || r->voided < -1 || r->voided > 1)
        __builtin_trap();
    return AG_OK;
}

static ag_err on_note(void *ctx, const ledger_note *n, ag_error *err)
{
    (void)ctx;
    (void)err;
    if (!n->kind || !n->where || !n->message_zh || !n->message_en)
        __builtin_trap();
    check_text(n->where);
    check_text(n->message_zh);
    check_text(n->message_en);
    return AG_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int64_t rows = 0;
    ledger_sink sink = {&rows, on_book, on_account, on_balance, on_row, on_note, NULL};
    ag_error err;
    ag_error_clear(&err);
    uint8_t mode = data[0];
    data++;
    size--;
    ag_err rc;
    if (mode < 0xC0) {
        /* One file on its own. */
        rc = ledger_gbt19581_parse((ledger_gbt_kind)(mode % LEDGER_GBT_NKINDS), NULL, data, size,
                                   NULL, &sink, &err);
    } else {
        /* A set: DZZB, KJKM, KMYE and JZPZ separated by 0x1E bytes, so that
         * the sign detection and the chart lookups see related files. */
        static const int order[] = {LEDGER_GBT_DZZB, LEDGER_GBT_KJKM, LEDGER_GBT_KMYE,
                                    LEDGER_GBT_JZPZ};
        ledger_gbt_mem m[LEDGER_GBT_NKINDS];
        memset(m, 0, sizeof m);
        size_t start = 0;
        for (int part = 0; part < 4; part++) {
            const uint8_t *sep = start < size ? memchr(data + start, 0x1E, size - start) : NULL;
            size_t end = sep && part < 3 ? (size_t)(sep - data) : size;
            m[order[part]].present = 1;
            m[order[part]].data = data + start;
            m[order[part]].len = end - start;
            start = end < size ? end + 1 : size;
        }
        ledger_file_info info;
        rc = ledger_read_gbt19581_mem(m, NULL, &sink, &info, &err);
        if (!rc && (info.rows != rows || strlen(info.sha256) != 64))
            __builtin_trap();
    }
    if (rc) {
        if (!err.zh[0] || !err.en[0])
            __builtin_trap();
        check_text(err.where);
        check_text(err.zh);
        check_text(err.en);
    }
    return 0;
}
