/* gbt19581_internal.h - what the GB/T 19581 reader's source files share; not a public API. */
#ifndef AG_LEDGER_GBT19581_INTERNAL_H
#define AG_LEDGER_GBT19581_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ledger/gbt19581.h"
#include "ledger/ledger.h"
#include "util/buf.h"
#include "util/encoding.h"
#include "util/error.h"

/* ---- byte sources ------------------------------------------------------ */

/* A stream of a file's bytes: a FILE, a zip entry or memory. read() sets
 * *got to 0 at the end. */
typedef struct gbt_src {
    ag_err (*read)(void *h, char *buf, size_t cap, size_t *got, ag_error *err);
    void *h;
    uint64_t total; /* size in bytes, 0 unknown */
} gbt_src;

/* A source over memory; the struct must outlive the source. */
typedef struct gbt_mem_src {
    const char *p;
    size_t len, off;
} gbt_mem_src;
gbt_src gbt_src_mem(gbt_mem_src *m, const void *p, size_t len);

/* ---- records and fields ------------------------------------------------ */

#define GBT_MAX_LAYOUT 26 /* JZPZ, the widest file */

typedef struct gbt_field {
    const char *s; /* NUL-terminated, unquoted, trimmed of spaces */
    size_t n;
} gbt_field;

/* Splits one file into records (TAB-separated fields, "..." quoting with ""
 * for a quote, a quoted field may hold TABs and line breaks) and converts
 * each record to UTF-8. The encoding is decided at the first record holding
 * a non-ASCII byte (or by a UTF-8 BOM). */
typedef struct gbt_text {
    const char *name;               /* file name for `where` */
    const char *const *field_names; /* the layout */
    int nfields;
    bool plain; /* GSSM: whole physical lines, no quotes, one field */
    gbt_src src;
    char *raw;
    size_t cap, start, end;
    bool eof, bom_checked;
    uint64_t done; /* raw bytes consumed */
    int enc;       /* -1 undecided, else ag_encoding */
    ag_conv *conv;
    ag_buf utf8; /* the current record in UTF-8 */
    ag_buf vals; /* its field values, NUL-separated */
    int64_t next_line;
    int64_t line;  /* physical line where the current record starts */
    int64_t nrecs; /* records returned */
    gbt_field f[GBT_MAX_LAYOUT];
} gbt_text;

ag_err gbt_text_open(gbt_text *t, const char *name, gbt_src src, const char *const *field_names,
                     int nfields, bool plain, ag_error *err);
/* Advances to the next non-blank record; *more is false at the end. */
ag_err gbt_text_next(gbt_text *t, bool *more, ag_error *err);
/* The loop form of gbt_text_next: true while a record is read into t->f;
 * false at the end (*rc AG_OK) or on a fault (*rc says which). */
bool gbt_text_more(gbt_text *t, ag_err *rc, ag_error *err);
void gbt_text_close(gbt_text *t);
/* "utf-8" or "gb18030" once decided ("utf-8" for a pure ASCII file). */
const char *gbt_text_encoding(const gbt_text *t);

/* Field readers: they fail with AG_ERR_INPUT and where "FILE:line:field". */
ag_err gbt_fail_at(const gbt_text *t, int field, ag_error *err, const char *zh, const char *en);
/* Money in fen; empty is 0. More than 2 decimals are accepted when the extra
 * digits are zeros. */
ag_err gbt_money(const gbt_text *t, int field, int64_t *fen, ag_error *err);
/* A plain decimal (sign, thousands separators, exponent allowed); empty sets
 * *present false. The normalised text (no spaces, no commas) goes to out. */
ag_err gbt_decimal(const gbt_text *t, int field, char *out, size_t outsz, bool *present,
                   ag_error *err);
/* An integer in [lo, hi]; empty sets *present false and *v = 0. */
ag_err gbt_int(const gbt_text *t, int field, int64_t lo, int64_t hi, int64_t *v, bool *present,
               ag_error *err);
/* A date YYYYMMDD, YYYY-MM-DD or YYYY/MM/DD, optionally followed by a time
 * of day that is ignored; empty sets *present false. */
ag_err gbt_date(const gbt_text *t, int field, int32_t *days, bool *present, ag_error *err);
/* A yes/no flag (1/0, Y/N, T/F, 是/否, true/false); empty gives -1. */
ag_err gbt_flag(const gbt_text *t, int field, int *v, ag_error *err);

/* ---- the read of one set ----------------------------------------------- */

/* A bump allocator for strings that live as long as the read. */
typedef struct gbt_arena {
    struct gbt_block *head;
} gbt_arena;
const char *gbt_arena_strndup(gbt_arena *a, const char *s, size_t n);
void gbt_arena_release(gbt_arena *a);

typedef struct gbt_account {
    const char *code, *name, *class_name, *parent;
    int level;
    bool level_given;
    char side; /* 'D', 'C', 0 */
    int64_t line;
} gbt_account;

typedef struct gbt_balance {
    const char *code;
    int period;
    int64_t opening, debit, credit, closing, line;
} gbt_balance;

typedef struct gbt_note_count {
    const char *kind;
    unsigned n;
} gbt_note_count;

typedef struct gbt_ctx {
    const ledger_gbt_opts *opts;
    const ledger_sink *sink;
    gbt_arena arena;

    /* Book facts (arena strings or NULL). */
    const char *unit_name, *unit_code, *currency, *software, *chart_hint;
    int year;
    int seg[16]; /* 科目结构 segment lengths */
    int nseg;

    gbt_account *acc;
    size_t nacc, capacc;
    uint32_t *slots; /* open addressing: index + 1, 0 empty */
    size_t nslots;

    gbt_note_count notes[16];
    int nnotes;

    int64_t rows;
    const char *jzpz_encoding;
} gbt_ctx;

void gbt_ctx_init(gbt_ctx *c, const ledger_gbt_opts *opts, const ledger_sink *sink);
void gbt_ctx_release(gbt_ctx *c);
/* Passes a note to the sink, at most LEDGER_GBT_MAX_NOTES_PER_KIND per kind;
 * zh and en are printf formats over the same arguments. */
ag_err gbt_note(gbt_ctx *c, const char *kind, const char *where, ag_error *err, const char *zh,
                const char *en, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;
/* Sums up the notes held back. */
ag_err gbt_note_flush(gbt_ctx *c, ag_error *err);
/* Index of an account by code, or -1. */
long gbt_account_find(const gbt_ctx *c, const char *code);

/* The per-file steps, in the order the reader runs them. */
ag_err gbt_read_gssm(gbt_ctx *c, gbt_text *t, ag_error *err);
ag_err gbt_read_dzzb(gbt_ctx *c, gbt_text *t, ag_error *err);
ag_err gbt_push_book(gbt_ctx *c, ag_error *err);
ag_err gbt_read_kjkm(gbt_ctx *c, gbt_text *t, ag_error *err);
ag_err gbt_push_accounts(gbt_ctx *c, ag_error *err);
ag_err gbt_read_kmye(gbt_ctx *c, gbt_text *t, ag_error *err);
ag_err gbt_read_jzpz(gbt_ctx *c, gbt_text *t, ag_error *err);

/* Field layouts (names used in `where`). */
extern const char *const gbt_dzzb_fields[];
extern const char *const gbt_kjkm_fields[];
extern const char *const gbt_kmye_fields[];
extern const char *const gbt_jzpz_fields[];
#define GBT_DZZB_NFIELDS 11
#define GBT_KJKM_NFIELDS 8
#define GBT_KMYE_NFIELDS 16
#define GBT_JZPZ_NFIELDS 26

#endif
