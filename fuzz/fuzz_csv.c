/* fuzz_csv.c - libFuzzer target: arbitrary bytes through the CSV reader and the table pipeline. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/csv.h"
#include "util/date.h"

#include "util/banned.h"

/* Checks what the reader promises about every row it hands over. */
static ag_err check_row(void *ctx, const ledger_row *r, ag_error *err)
{
    (void)ctx;
    (void)err;
    const char *strs[] = {r->unit_code,    r->voucher_type, r->voucher_no,   r->summary,
                          r->account_code, r->account_name, r->counterparty, r->dept,
                          r->project,      r->func_class,   r->econ_class,   r->fund_type,
                          r->decision_ref, r->bill_no,      r->settle_type,  r->maker,
                          r->reviewer,     r->poster,       r->cashier};
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
        if (strs[i] && strlen(strs[i]) > LEDGER_MAX_FIELD_BYTES)
            abort();
    if (!r->voucher_no || !r->account_code || r->period < 0 || r->period > 13)
        abort();
    if (r->posted < -1 || r->posted > 1 || r->voided < -1 || r->voided > 1)
        abort();
    if (!ag_date_valid(ag_date_from_days(r->date)) || r->src_line < 1)
        abort();
    if (r->extra_json) {
        json_t *j = json_loads(r->extra_json, 0, NULL);
        if (!j || !json_is_object(j))
            abort();
        json_decref(j);
    }
    return AG_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ledger_sink sink = {.row = check_row};
    ag_error err;
    ledger_file_info info;

    /* As given, with and without a unit from the caller. */
    ledger_read_csv_mem((const char *)data, size, "fuzz.csv", NULL, &sink, &info, &err);
    ledger_csv_opts o = {.unit_code = "U1", .default_year = 2024};
    ledger_read_csv_mem((const char *)data, size, "fuzz.csv", &o, &sink, &info, &err);

    /* Behind a valid header, so that the fuzzer reaches the rows quickly. */
    static const char header[] = "voucher_date,voucher_no,account_code,debit,credit,summary,"
                                 "period,posted,备注\n";
    char *buf = malloc(sizeof header - 1 + size);
    if (!buf)
        return 0;
    memcpy(buf, header, sizeof header - 1);
    if (size)
        memcpy(buf + sizeof header - 1, data, size);
    ledger_read_csv_mem(buf, sizeof header - 1 + size, "fuzz.csv", &o, &sink, &info, &err);
    free(buf);
    return 0;
}
