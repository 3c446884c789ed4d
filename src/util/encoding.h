/* encoding.h - telling UTF-8 from GB18030 and converting to UTF-8 with iconv. */
#ifndef AG_ENCODING_H
#define AG_ENCODING_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"
#include "util/error.h"

typedef enum ag_encoding { AG_ENC_UTF8, AG_ENC_GB18030 } ag_encoding;

/* True when p[0..n) is valid UTF-8 (a sequence cut at the very end counts
 * as valid when `partial_tail` is set, for sniffing a prefix). */
bool ag_utf8_valid(const char *p, size_t n, bool partial_tail);

/* Guesses the encoding of a sample (the start of a file): UTF-8 when the
 * sample is valid UTF-8 (a BOM also says so), otherwise GB18030. */
ag_encoding ag_encoding_sniff(const char *p, size_t n);
const char *ag_encoding_name(ag_encoding e);

/* A converter from an encoding to UTF-8. Owns an iconv handle: release with
 * ag_conv_close (NULL fine). */
typedef struct ag_conv ag_conv;
ag_err ag_conv_open(ag_encoding from, ag_conv **out, ag_error *err);
void ag_conv_close(ag_conv *c);
/* Converts p[0..n) (a complete piece: whole lines) and appends the UTF-8 to
 * out. Bytes that are invalid in the source encoding give AG_ERR_INPUT with
 * the byte offset (relative to p) in *bad_at. For AG_ENC_UTF8 the input is
 * validated and copied. */
ag_err ag_conv_run(ag_conv *c, const char *p, size_t n, ag_buf *out, size_t *bad_at, ag_error *err);

#endif
