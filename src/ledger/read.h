/* read.h - reading imported books back out of the store, for the engine: one interface, no SQL
 * above it. */
#ifndef AG_LEDGER_READ_H
#define AG_LEDGER_READ_H

#include <stddef.h>
#include <stdint.h>

#include "ledger/ledger.h"
#include "store/store.h"

/* Called once per voucher line. Every pointer in *row (and the row itself) is
 * borrowed for the call only: copy what must outlive it. source_id names the
 * imported file the line came from (see ledger_read_source_name). A non-OK
 * return stops the walk and is returned by ledger_read_lines. */
typedef ag_err (*ledger_read_fn)(void *ctx, const ledger_row *row, int64_t source_id,
                                 ag_error *err);

/* Walks the stored voucher lines of every unit (unit_code NULL) or one, of
 * every year (0) or one, in unit, year and import order, calling fn for
 * each. Dates that do not parse come as 0; posted/voided as -1 when unknown;
 * extra_json is NULL. */
ag_err ledger_read_lines(ag_store *st, const char *unit_code, int year, ledger_read_fn fn,
                         void *ctx, ag_error *err);

/* The base name of the imported file with this id (never a server path),
 * into buf (truncated to n-1 bytes). AG_ERR_NOTFOUND when there is none. */
ag_err ledger_read_source_name(ag_store *st, int64_t source_id, char *buf, size_t n, ag_error *err);

/* The chart profile of the unit's latest book into buf ("gov2019",
 * "enterprise"), or "" when the unit has no book. */
ag_err ledger_read_chart_profile(ag_store *st, const char *unit_code, char *buf, size_t n,
                                 ag_error *err);

/* Called once per name of a unit's people; name borrowed for the call. */
typedef ag_err (*ledger_read_name_fn)(void *ctx, const char *name, ag_error *err);

/* The names of the unit's persons (the staff list the payee checks join
 * against: a payment to one's own staff), in no particular order. */
ag_err ledger_read_staff(ag_store *st, const char *unit_code, ledger_read_name_fn fn, void *ctx,
                         ag_error *err);

#endif
