/* money.h - amounts as int64 fen (分), parsed and printed exactly. */
#ifndef AG_MONEY_H
#define AG_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parses a decimal amount in yuan with at most 2 decimals, an optional sign
 * (or parentheses for a negative), thousands separators (',') and padding
 * spaces; empty or all-space text is 0. Returns false on anything else or on
 * overflow. */
bool ag_money_parse(const char *s, size_t len, int64_t *fen);
/* Writes fen as a plain decimal ("-1234.50") into out (at least 24 bytes). */
void ag_money_format(int64_t fen, char out[24]);
/* Same with thousands separators ("1,234.50"), at least 32 bytes. */
void ag_money_format_grouped(int64_t fen, char out[32]);

#endif
