/* expr.c - filter expressions: compiled to a negation-free plan, evaluated a block at a time. */
#include "engine/expr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/date.h"
#include "util/money.h"
#include "util/banned.h"

/* Rows per evaluation block: a block of results (4 KiB) stays in L1 while the
 * children of an && / || are combined. */
#define BLOCK 4096
/* Scratch levels block evaluation keeps on the stack before it uses the heap. */
#define STACK_LEVELS 4
/* In-lists up to this size are scanned linearly instead of bisected. */
#define SMALL_SET 8
/* Numeric in-lists whose values span fewer than this become a byte table. */
#define TABLE_SPAN 65536

typedef enum op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE } op;

/* How a numeric operand is read. LD_AMOUNT is the virtual `amount`. */
typedef enum load { LD_I8, LD_I16, LD_I32, LD_I64, LD_AMOUNT } load;

typedef struct operand {
    load ld;
    const void *a; /* the column (debit for LD_AMOUNT) */
    const void *b; /* credit for LD_AMOUNT */
} operand;

/* Plan nodes. `!` never survives compilation: it is pushed down to the
 * leaves (De Morgan), which negate their own test, so evaluation only ever
 * combines with && and ||. */
typedef enum kind {
    K_FALSE,
    K_TRUE,
    K_AND, /* kids, n-ary */
    K_OR,
    K_STR_EQ,     /* ids[r] == id */
    K_STR_NE,     /* ids[r] != id */
    K_STR_MAP,    /* map[ids[r]], one byte per dictionary id */
    K_STR_COL_EQ, /* ids[r] == ids2[r] (one dictionary: equal ids, equal text) */
    K_STR_COL_NE,
    K_NUM_K,     /* x op k, k within the range of x's type */
    K_NUM_COL,   /* x op y */
    K_NUM_TABLE, /* map[x - k] ^ neg, map[nmap] = 0 for x outside [k, k + nmap) */
    K_NUM_SET    /* (x in set[0..nset)) ^ neg, set sorted and distinct */
} kind;

typedef struct node {
    kind kind;
    op op;
    bool neg;
    operand x, y; /* for STR kinds x.a (and y.a) are the uint32 id columns */
    uint32_t id;
    int64_t k;
    uint8_t *map; /* owned */
    size_t nmap;
    int64_t *set; /* owned */
    size_t nset;
    struct node **kids; /* owned */
    size_t nkids;
} node;

struct expr {
    node *root;
    size_t levels; /* BLOCK-sized scratch buffers block evaluation needs */
};

/* ---- the plan ---------------------------------------------------------- */

static void node_free(node *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->nkids; i++)
        node_free(n->kids[i]);
    free(n->kids);
    free(n->map);
    free(n->set);
    free(n);
}

void expr_free(expr *e)
{
    if (!e)
        return;
    node_free(e->root);
    free(e);
}

static op op_not(op o)
{
    switch (o) {
    case OP_EQ:
        return OP_NE;
    case OP_NE:
        return OP_EQ;
    case OP_LT:
        return OP_GE;
    case OP_LE:
        return OP_GT;
    case OP_GT:
        return OP_LE;
    case OP_GE:
        return OP_LT;
    }
    return OP_EQ;
}

static bool holds(op o, int64_t a, int64_t b)
{
    switch (o) {
    case OP_EQ:
        return a == b;
    case OP_NE:
        return a != b;
    case OP_LT:
        return a < b;
    case OP_LE:
        return a <= b;
    case OP_GT:
        return a > b;
    case OP_GE:
        return a >= b;
    }
    return false;
}

/* The line's amount. Both sides are read unconditionally so that the choice
 * compiles to a select rather than a branch that debit/credit lines, mixed
 * at random, would mispredict. */
static inline int64_t pick_amount(int64_t debit, int64_t credit)
{
    return debit != 0 ? debit : credit;
}

static int64_t load_row(const operand *o, size_t r)
{
    switch (o->ld) {
    case LD_I8:
        return ((const int8_t *)o->a)[r];
    case LD_I16:
        return ((const int16_t *)o->a)[r];
    case LD_I32:
        return ((const int32_t *)o->a)[r];
    case LD_I64:
        return ((const int64_t *)o->a)[r];
    case LD_AMOUNT:
        return pick_amount(((const int64_t *)o->a)[r], ((const int64_t *)o->b)[r]);
    }
    return 0;
}

/* Fills dst[0..n) with the operand's values from row r on. */
static void load_block(const operand *o, size_t r, size_t n, int64_t *restrict dst)
{
    switch (o->ld) {
    case LD_I8:
        for (size_t i = 0; i < n; i++)
            dst[i] = ((const int8_t *)o->a)[r + i];
        return;
    case LD_I16:
        for (size_t i = 0; i < n; i++)
            dst[i] = ((const int16_t *)o->a)[r + i];
        return;
    case LD_I32:
        for (size_t i = 0; i < n; i++)
            dst[i] = ((const int32_t *)o->a)[r + i];
        return;
    case LD_I64:
        memcpy(dst, (const int64_t *)o->a + r, n * sizeof *dst);
        return;
    case LD_AMOUNT:
        for (size_t i = 0; i < n; i++)
            dst[i] = pick_amount(((const int64_t *)o->a)[r + i], ((const int64_t *)o->b)[r + i]);
        return;
    }
}

static bool set_has(const int64_t *set, size_t n, int64_t v)
{
    if (n <= SMALL_SET) {
        bool hit = false;
        for (size_t i = 0; i < n; i++)
            hit |= set[i] == v;
        return hit;
    }
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (set[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && set[lo] == v;
}

/* map has nmap + 1 entries, the last 0, so a value outside [k, k + nmap)
 * reads that one without a branch. */
static inline uint8_t table_at(const uint8_t *map, uint64_t nmap, int64_t k, int64_t v)
{
    uint64_t d = (uint64_t)v - (uint64_t)k; /* wraps for v < k: out of the table */
    return map[d < nmap ? d : nmap];
}

static uint8_t map_at(const node *nd, uint32_t id)
{
    return id < nd->nmap ? nd->map[id] : 0;
}

/* ---- row-at-a-time evaluation ------------------------------------------ */

static bool eval_row(const node *nd, size_t r)
{
    const uint32_t *ids = nd->x.a;
    switch (nd->kind) {
    case K_FALSE:
        return false;
    case K_TRUE:
        return true;
    case K_AND:
        for (size_t i = 0; i < nd->nkids; i++)
            if (!eval_row(nd->kids[i], r))
                return false;
        return true;
    case K_OR:
        for (size_t i = 0; i < nd->nkids; i++)
            if (eval_row(nd->kids[i], r))
                return true;
        return false;
    case K_STR_EQ:
        return ids[r] == nd->id;
    case K_STR_NE:
        return ids[r] != nd->id;
    case K_STR_MAP:
        return map_at(nd, ids[r]);
    case K_STR_COL_EQ:
        return ids[r] == ((const uint32_t *)nd->y.a)[r];
    case K_STR_COL_NE:
        return ids[r] != ((const uint32_t *)nd->y.a)[r];
    case K_NUM_K:
        return holds(nd->op, load_row(&nd->x, r), nd->k);
    case K_NUM_COL:
        return holds(nd->op, load_row(&nd->x, r), load_row(&nd->y, r));
    case K_NUM_TABLE:
        return table_at(nd->map, nd->nmap, nd->k, load_row(&nd->x, r)) != nd->neg;
    case K_NUM_SET:
        return set_has(nd->set, nd->nset, load_row(&nd->x, r)) != nd->neg;
    }
    return false;
}

bool expr_eval_row(const expr *e, size_t row)
{
    return eval_row(e->root, row);
}

/* ---- block evaluation -------------------------------------------------- */

/* One tight loop per comparison: VAL is an expression of the loop index i. */
#define CMP_LOOP(o, n, out, VAL, K)                                                                \
    do {                                                                                           \
        switch (o) {                                                                               \
        case OP_EQ:                                                                                \
            for (size_t i = 0; i < (n); i++)                                                       \
                (out)[i] = (VAL) == (K);                                                           \
            break;                                                                                 \
        case OP_NE:                                                                                \
            for (size_t i = 0; i < (n); i++)                                                       \
                (out)[i] = (VAL) != (K);                                                           \
            break;                                                                                 \
        case OP_LT:                                                                                \
            for (size_t i = 0; i < (n); i++)                                                       \
                (out)[i] = (VAL) < (K);                                                            \
            break;                                                                                 \
        case OP_LE:                                                                                \
            for (size_t i = 0; i < (n); i++)                                                       \
                (out)[i] = (VAL) <= (K);                                                           \
            break;                                                                                 \
        case OP_GT:                                                                                \
            for (size_t i = 0; i < (n); i++)                                                       \
                (out)[i] = (VAL) > (K);                                                            \
            break;                                                                                 \
        case OP_GE:                                                                                \
            for (size_t i = 0; i < (n); i++)                                                       \
                (out)[i] = (VAL) >= (K);                                                           \
            break;                                                                                 \
        }                                                                                          \
    } while (0)

static void eval_num_k(const node *nd, size_t r, size_t n, uint8_t *restrict out)
{
    /* k was checked to fit x's own type, so narrow columns compare narrow. */
    switch (nd->x.ld) {
    case LD_I8: {
        const int8_t *v = (const int8_t *)nd->x.a + r;
        int8_t k = (int8_t)nd->k;
        CMP_LOOP(nd->op, n, out, v[i], k);
        break;
    }
    case LD_I16: {
        const int16_t *v = (const int16_t *)nd->x.a + r;
        int16_t k = (int16_t)nd->k;
        CMP_LOOP(nd->op, n, out, v[i], k);
        break;
    }
    case LD_I32: {
        const int32_t *v = (const int32_t *)nd->x.a + r;
        int32_t k = (int32_t)nd->k;
        CMP_LOOP(nd->op, n, out, v[i], k);
        break;
    }
    case LD_I64: {
        const int64_t *v = (const int64_t *)nd->x.a + r;
        int64_t k = nd->k;
        CMP_LOOP(nd->op, n, out, v[i], k);
        break;
    }
    case LD_AMOUNT: {
        const int64_t *d = (const int64_t *)nd->x.a + r;
        const int64_t *c = (const int64_t *)nd->x.b + r;
        int64_t k = nd->k;
        CMP_LOOP(nd->op, n, out, pick_amount(d[i], c[i]), k);
        break;
    }
    }
}

/* Column against column is rare in filters: widen both sides to int64 in
 * small chunks and compare. */
static void eval_num_col(const node *nd, size_t r, size_t n, uint8_t *restrict out)
{
    enum { CHUNK = 256 };
    int64_t a[CHUNK], b[CHUNK];
    for (size_t off = 0; off < n; off += CHUNK) {
        size_t m = n - off < CHUNK ? n - off : CHUNK;
        load_block(&nd->x, r + off, m, a);
        load_block(&nd->y, r + off, m, b);
        uint8_t *o = out + off;
        CMP_LOOP(nd->op, m, o, a[i], b[i]);
    }
}

/* One loop per column width: VAL is an expression of the loop index i. */
#define LOOKUP_LOOP(nd, n, out, VAL)                                                               \
    do {                                                                                           \
        if ((nd)->kind == K_NUM_TABLE) {                                                           \
            const uint8_t *map = (nd)->map;                                                        \
            uint64_t nmap = (nd)->nmap;                                                            \
            int64_t k = (nd)->k;                                                                   \
            uint8_t neg = (nd)->neg;                                                               \
            for (size_t i = 0; i < (n); i++)                                                       \
                (out)[i] = table_at(map, nmap, k, (VAL)) ^ neg;                                    \
        } else {                                                                                   \
            for (size_t i = 0; i < (n); i++)                                                       \
                (out)[i] = set_has((nd)->set, (nd)->nset, (VAL)) != (nd)->neg;                     \
        }                                                                                          \
    } while (0)

static void eval_num_lookup(const node *nd, size_t r, size_t n, uint8_t *restrict out)
{
    switch (nd->x.ld) {
    case LD_I8: {
        const int8_t *v = (const int8_t *)nd->x.a + r;
        LOOKUP_LOOP(nd, n, out, v[i]);
        break;
    }
    case LD_I16: {
        const int16_t *v = (const int16_t *)nd->x.a + r;
        LOOKUP_LOOP(nd, n, out, v[i]);
        break;
    }
    case LD_I32: {
        const int32_t *v = (const int32_t *)nd->x.a + r;
        LOOKUP_LOOP(nd, n, out, v[i]);
        break;
    }
    case LD_I64: {
        const int64_t *v = (const int64_t *)nd->x.a + r;
        LOOKUP_LOOP(nd, n, out, v[i]);
        break;
    }
    case LD_AMOUNT: {
        const int64_t *d = (const int64_t *)nd->x.a + r;
        const int64_t *c = (const int64_t *)nd->x.b + r;
        LOOKUP_LOOP(nd, n, out, pick_amount(d[i], c[i]));
        break;
    }
    }
}

static uint64_t word_at(const uint8_t *p)
{
    uint64_t w;
    memcpy(&w, p, sizeof w);
    return w;
}

static bool any_set(const uint8_t *p, size_t n)
{
    uint64_t acc = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        acc |= word_at(p + i);
    for (; i < n; i++)
        acc |= p[i];
    return acc != 0;
}

static bool all_set(const uint8_t *p, size_t n)
{
    /* Results are 0 or 1, so a word of ones is 0x0101...01. */
    uint64_t acc = UINT64_C(0x0101010101010101);
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        acc &= word_at(p + i);
    uint8_t tail = 1;
    for (; i < n; i++)
        tail &= p[i];
    return acc == UINT64_C(0x0101010101010101) && tail;
}

/* out &= s; returns whether any result is still 1. */
static bool and_into(uint8_t *restrict out, const uint8_t *restrict s, size_t n)
{
    uint64_t acc = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w = word_at(out + i) & word_at(s + i);
        memcpy(out + i, &w, sizeof w);
        acc |= w;
    }
    for (; i < n; i++) {
        out[i] &= s[i];
        acc |= out[i];
    }
    return acc != 0;
}

/* out |= s; returns whether every result is now 1. */
static bool or_into(uint8_t *restrict out, const uint8_t *restrict s, size_t n)
{
    uint64_t acc = UINT64_C(0x0101010101010101);
    uint8_t tail = 1;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w = word_at(out + i) | word_at(s + i);
        memcpy(out + i, &w, sizeof w);
        acc &= w;
    }
    for (; i < n; i++) {
        out[i] |= s[i];
        tail &= out[i];
    }
    return acc == UINT64_C(0x0101010101010101) && tail;
}

/* Evaluates rows [r, r + n) (n <= BLOCK) of nd into out. The first child of
 * an && / || writes straight into out; the others into this level's scratch
 * block, and their own children use the blocks after it. */
static void eval_block(const node *nd, size_t r, size_t n, uint8_t *restrict out, uint8_t *scratch)
{
    const uint32_t *ids = nd->x.a, *ids2 = nd->y.a; /* text kinds only */
    switch (nd->kind) {
    case K_FALSE:
        memset(out, 0, n);
        return;
    case K_TRUE:
        memset(out, 1, n);
        return;
    case K_AND:
        eval_block(nd->kids[0], r, n, out, scratch);
        if (!any_set(out, n))
            return;
        for (size_t k = 1; k < nd->nkids; k++) {
            eval_block(nd->kids[k], r, n, scratch, scratch + BLOCK);
            if (!and_into(out, scratch, n))
                return; /* nothing left to narrow in this block */
        }
        return;
    case K_OR:
        eval_block(nd->kids[0], r, n, out, scratch);
        if (all_set(out, n))
            return;
        for (size_t k = 1; k < nd->nkids; k++) {
            eval_block(nd->kids[k], r, n, scratch, scratch + BLOCK);
            if (or_into(out, scratch, n))
                return;
        }
        return;
    case K_STR_EQ: {
        uint32_t id = nd->id;
        ids += r;
        for (size_t i = 0; i < n; i++)
            out[i] = ids[i] == id;
        return;
    }
    case K_STR_NE: {
        uint32_t id = nd->id;
        ids += r;
        for (size_t i = 0; i < n; i++)
            out[i] = ids[i] != id;
        return;
    }
    case K_STR_MAP: {
        const uint8_t *map = nd->map;
        size_t nmap = nd->nmap;
        ids += r;
        for (size_t i = 0; i < n; i++)
            out[i] = ids[i] < nmap ? map[ids[i]] : 0;
        return;
    }
    case K_STR_COL_EQ: {
        ids += r;
        ids2 += r;
        for (size_t i = 0; i < n; i++)
            out[i] = ids[i] == ids2[i];
        return;
    }
    case K_STR_COL_NE: {
        ids += r;
        ids2 += r;
        for (size_t i = 0; i < n; i++)
            out[i] = ids[i] != ids2[i];
        return;
    }
    case K_NUM_K:
        eval_num_k(nd, r, n, out);
        return;
    case K_NUM_COL:
        eval_num_col(nd, r, n, out);
        return;
    case K_NUM_TABLE:
    case K_NUM_SET:
        eval_num_lookup(nd, r, n, out);
        return;
    }
}

void expr_eval(const expr *e, size_t begin, size_t end, uint8_t *out)
{
    if (end <= begin)
        return;
    uint8_t local[STACK_LEVELS * BLOCK];
    uint8_t *scratch = local, *heap = NULL;
    if (e->levels > STACK_LEVELS) {
        heap = malloc(e->levels * BLOCK);
        if (!heap) {
            for (size_t r = begin; r < end; r++)
                out[r - begin] = eval_row(e->root, r);
            return;
        }
        scratch = heap;
    }
    for (size_t r = begin; r < end; r += BLOCK) {
        size_t n = end - r < BLOCK ? end - r : BLOCK;
        eval_block(e->root, r, n, out + (r - begin), scratch);
    }
    free(heap);
}

/* Scratch blocks eval_block needs below nd. */
static size_t levels_of(const node *nd)
{
    if (nd->kind != K_AND && nd->kind != K_OR)
        return 0;
    size_t need = levels_of(nd->kids[0]);
    for (size_t k = 1; k < nd->nkids; k++) {
        size_t l = 1 + levels_of(nd->kids[k]);
        if (l > need)
            need = l;
    }
    return need;
}

/* ---- lexer ------------------------------------------------------------- */

typedef enum tok {
    T_END,
    T_IDENT,
    T_STR,
    T_NUM,
    T_EQ,
    T_NE,
    T_LT,
    T_LE,
    T_GT,
    T_GE,
    T_PREFIX,   /* ^= */
    T_CONTAINS, /* *= */
    T_IN,
    T_NOTIN, /* !in */
    T_AND,
    T_OR,
    T_NOT,
    T_LPAREN,
    T_RPAREN,
    T_LBRACK,
    T_RBRACK,
    T_COMMA
} tok;

typedef struct parser {
    const char *src;
    size_t len;
    size_t pos; /* lexer position */
    const expr_schema *schema;
    ag_error *err;
    tok tok;     /* the current token ... */
    size_t tpos; /* ... is src[tpos, tpos + tlen) */
    size_t tlen;
    int ndec;    /* T_NUM: digits after the point, -1 without a point */
    size_t slen; /* T_STR: the decoded text is sbuf[0..slen) */
    int depth;
    char where[32];
    char sbuf[EXPR_MAX_LEN + 1];
} parser;

/* A resolved column reference. */
typedef struct colref {
    const char *name;
    expr_type type;
    operand x;
} colref;

/* The 1-based character (not byte) position of byte offset `at`. */
static size_t char_pos(const char *s, size_t at)
{
    size_t n = 1;
    for (size_t i = 0; i < at; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

static const char *where_at(parser *p, size_t at)
{
    snprintf(p->where, sizeof p->where, "filter:%zu", char_pos(p->src, at));
    return p->where;
}

/* Input errors point at a byte offset of the source. */
#define PFAIL(p, at, ...) ag_fail((p)->err, AG_ERR_INPUT, where_at((p), (at)), __VA_ARGS__)

static ag_err nomem(parser *p)
{
    return ag_fail(p->err, AG_ERR_NOMEM, "filter", "内存不足", "out of memory");
}

/* How the current token reads in a message. */
typedef struct tokdesc {
    char zh[96];
    char en[96];
} tokdesc;

static void describe(const parser *p, tokdesc *d)
{
    if (p->tok == T_END) {
        snprintf(d->zh, sizeof d->zh, "表达式结尾");
        snprintf(d->en, sizeof d->en, "the end of the filter");
        return;
    }
    size_t n = p->tlen;
    if (n > 40) {
        n = 40;
        while (n > 0 && ((unsigned char)p->src[p->tpos + n] & 0xC0) == 0x80)
            n--;
    }
    const char *q = p->tok == T_STR ? "" : "\""; /* a string shows its own quotes */
    snprintf(d->zh, sizeof d->zh, "%s%.*s%s%s", q, (int)n, p->src + p->tpos, q,
             n < p->tlen ? "…" : "");
    snprintf(d->en, sizeof d->en, "%s", d->zh);
}

static bool ident_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool ident_char(unsigned char c)
{
    return ident_start(c) || (c >= '0' && c <= '9');
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* The error for a character no token starts with; names full-width
 * punctuation, which Chinese input methods produce easily. */
static ag_err bad_char(parser *p, size_t at)
{
    const unsigned char *s = (const unsigned char *)p->src + at;
    size_t avail = p->len - at, n = 1;
    uint32_t cp = s[0];
    if (s[0] >= 0xC2 && s[0] <= 0xF4) {
        n = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : 2;
        cp = s[0] & (0x7F >> n);
        for (size_t i = 1; i < n; i++) {
            if (i >= avail || (s[i] & 0xC0) != 0x80)
                return PFAIL(p, at, "无法识别的字节 0x%02X（不是有效的 UTF-8）",
                             "unexpected byte 0x%02X (not valid UTF-8)", s[0]);
            cp = (cp << 6) | (s[i] & 0x3F);
        }
    } else if (s[0] >= 0x80) {
        return PFAIL(p, at, "无法识别的字节 0x%02X（不是有效的 UTF-8）",
                     "unexpected byte 0x%02X (not valid UTF-8)", s[0]);
    } else if (s[0] < 0x20 || s[0] == 0x7F) {
        return PFAIL(p, at, "无法识别的控制字符 0x%02X", "unexpected control character 0x%02X",
                     s[0]);
    }
    bool wide = (cp >= 0xFF01 && cp <= 0xFF5E) || cp == 0x3000 || cp == 0x3001 ||
                (cp >= 0x2018 && cp <= 0x201D);
    const char *zh = wide         ? "（这是全角符号，请改用半角符号）"
                     : cp >= 0x80 ? "（列名是英文，例如 summary；文字要写在双引号里）"
                                  : "";
    const char *en = wide ? " (a full-width character: type the ASCII one)"
                     : cp >= 0x80
                         ? " (column names are English, e.g. summary; text goes in double quotes)"
                         : "";
    return PFAIL(p, at, "无法识别的字符 \"%.*s\"%s%.0s", "unexpected character \"%.*s\"%.0s%s",
                 (int)n, (const char *)s, zh, en);
}

/* Reads a string literal starting at the opening quote into sbuf. */
static ag_err lex_string(parser *p)
{
    size_t i = p->tpos + 1, n = 0;
    for (;;) {
        if (i >= p->len)
            return PFAIL(p, p->tpos, "字符串没有结束的双引号",
                         "unterminated string: no closing \"");
        char c = p->src[i];
        if (c == '"')
            break;
        if (c == '\\') {
            if (i + 1 >= p->len)
                return PFAIL(p, p->tpos, "字符串没有结束的双引号",
                             "unterminated string: no closing \"");
            char e = p->src[i + 1];
            if (e != '"' && e != '\\')
                return PFAIL(p, i, "字符串中只能用 \\\" 和 \\\\ 两种转义",
                             "only the escapes \\\" and \\\\ are allowed in strings");
            c = e;
            i++;
        }
        p->sbuf[n++] = c; /* n <= len <= EXPR_MAX_LEN */
        i++;
    }
    p->sbuf[n] = '\0';
    p->slen = n;
    p->tlen = i + 1 - p->tpos;
    p->tok = T_STR;
    return AG_OK;
}

static ag_err lex_number(parser *p)
{
    size_t i = p->tpos;
    if (p->src[i] == '-')
        i++;
    while (i < p->len && is_digit((unsigned char)p->src[i]))
        i++;
    p->ndec = -1;
    if (i < p->len && p->src[i] == '.') {
        size_t f = ++i;
        while (i < p->len && is_digit((unsigned char)p->src[i]))
            i++;
        p->ndec = (int)(i - f);
    }
    p->tlen = i - p->tpos;
    if (p->ndec == 0 ||
        (i < p->len && (ident_char((unsigned char)p->src[i]) || p->src[i] == '.'))) {
        while (i < p->len && (ident_char((unsigned char)p->src[i]) || p->src[i] == '.'))
            i++;
        return PFAIL(p, p->tpos, "数字 %.*s 的写法不对", "malformed number %.*s",
                     (int)(i - p->tpos), p->src + p->tpos);
    }
    p->tok = T_NUM;
    return AG_OK;
}

/* Advances to the next token. */
static ag_err lex(parser *p)
{
    const char *s = p->src;
    while (p->pos < p->len &&
           (s[p->pos] == ' ' || s[p->pos] == '\t' || s[p->pos] == '\r' || s[p->pos] == '\n'))
        p->pos++;
    p->tpos = p->pos;
    p->tlen = 1;
    if (p->pos >= p->len) {
        p->tok = T_END;
        p->tlen = 0;
        return AG_OK;
    }
    unsigned char c = (unsigned char)s[p->pos];
    char c2 = p->pos + 1 < p->len ? s[p->pos + 1] : '\0';
    ag_err rc = AG_OK;
    if (ident_start(c)) {
        size_t i = p->pos;
        while (i < p->len && ident_char((unsigned char)s[i]))
            i++;
        p->tlen = i - p->pos;
        p->tok = p->tlen == 2 && memcmp(s + p->pos, "in", 2) == 0 ? T_IN : T_IDENT;
    } else if (is_digit(c) || (c == '-' && is_digit((unsigned char)c2))) {
        rc = lex_number(p);
    } else if (c == '"') {
        rc = lex_string(p);
    } else if (c == '!' && c2 == 'i' && p->pos + 2 < p->len && s[p->pos + 2] == 'n' &&
               (p->pos + 3 >= p->len || !ident_char((unsigned char)s[p->pos + 3]))) {
        p->tok = T_NOTIN;
        p->tlen = 3;
    } else if (c2 == '=' &&
               (c == '=' || c == '!' || c == '<' || c == '>' || c == '^' || c == '*')) {
        static const char first[] = "=!<>^*";
        static const tok pair_tok[] = {T_EQ, T_NE, T_LE, T_GE, T_PREFIX, T_CONTAINS};
        p->tok = pair_tok[strchr(first, c) - first];
        p->tlen = 2;
    } else if ((c == '&' && c2 == '&') || (c == '|' && c2 == '|')) {
        p->tok = c == '&' ? T_AND : T_OR;
        p->tlen = 2;
    } else if (c == '=') {
        return PFAIL(p, p->pos, "比较相等要写 ==，不是 =", "use == to compare, not =");
    } else if (c == '&') {
        return PFAIL(p, p->pos, "“并且”要写成 &&", "write && for \"and\"");
    } else if (c == '|') {
        return PFAIL(p, p->pos, "“或者”要写成 ||", "write || for \"or\"");
    } else {
        static const char single[] = "<>!()[],";
        static const tok single_tok[] = {T_LT,     T_GT,     T_NOT,    T_LPAREN,
                                         T_RPAREN, T_LBRACK, T_RBRACK, T_COMMA};
        const char *hit = c ? strchr(single, c) : NULL;
        if (!hit)
            return bad_char(p, p->pos);
        p->tok = single_tok[hit - single];
    }
    if (rc)
        return rc;
    p->pos = p->tpos + p->tlen;
    return AG_OK;
}

/* ---- columns ----------------------------------------------------------- */

static const char *type_zh(expr_type t)
{
    switch (t) {
    case EXPR_STR:
        return "文本";
    case EXPR_INT:
        return "整数";
    case EXPR_MONEY:
        return "金额";
    case EXPR_DATE:
        return "日期";
    }
    return "?";
}

static const char *type_en(expr_type t)
{
    switch (t) {
    case EXPR_STR:
        return "text";
    case EXPR_INT:
        return "integers";
    case EXPR_MONEY:
        return "amounts";
    case EXPR_DATE:
        return "dates";
    }
    return "?";
}

static const expr_column *find_col(const expr_schema *s, const char *name, size_t len)
{
    for (size_t i = 0; i < s->ncols; i++) {
        const char *n = s->cols[i].name;
        if (n && strlen(n) == len && memcmp(n, name, len) == 0)
            return &s->cols[i];
    }
    return NULL;
}

/* Checks a schema column before a plan reads it. */
static ag_err check_col(parser *p, const expr_column *c)
{
    int w = c->width;
    bool ok = c->type == EXPR_STR     ? w == 4
              : c->type == EXPR_INT   ? w == 1 || w == 2 || w == 4
              : c->type == EXPR_MONEY ? w == 8
              : c->type == EXPR_DATE  ? w == 4
                                      : false;
    if (!ok)
        return ag_fail(p->err, AG_ERR_INTERNAL, "filter", "列 \"%s\" 的宽度 %d 与其类型不符",
                       "column \"%s\": width %d does not fit its type", c->name, w);
    if (!c->data)
        return ag_fail(p->err, AG_ERR_INTERNAL, "filter", "列 \"%s\" 没有数据",
                       "column \"%s\" has no data", c->name);
    if (c->type == EXPR_STR && !p->schema->dict)
        return ag_fail(p->err, AG_ERR_INTERNAL, "filter", "文本列 \"%s\" 没有字典",
                       "text column \"%s\" but the schema has no dictionary", c->name);
    return AG_OK;
}

static bool virtual_amount(const expr_schema *s, const expr_column **debit,
                           const expr_column **credit)
{
    *debit = find_col(s, "debit", 5);
    *credit = find_col(s, "credit", 6);
    return *debit && *credit && (*debit)->type == EXPR_MONEY && (*credit)->type == EXPR_MONEY &&
           !find_col(s, "amount", 6);
}

/* Edit distance, for "did you mean". */
static size_t edit_distance(const char *a, size_t na, const char *b, size_t nb)
{
    size_t row[65];
    if (na > 64 || nb > 64)
        return SIZE_MAX;
    for (size_t j = 0; j <= nb; j++)
        row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[nb];
}

static ag_err unknown_column(parser *p, size_t at, const char *name, size_t len)
{
    const char *best = NULL;
    size_t best_d = 3; /* suggest only close names */
    const expr_schema *s = p->schema;
    const expr_column *d, *c;
    for (size_t i = 0; i <= s->ncols; i++) {
        const char *n = i < s->ncols                ? s->cols[i].name
                        : virtual_amount(s, &d, &c) ? "amount"
                                                    : NULL;
        if (!n)
            continue;
        size_t dist = edit_distance(name, len, n, strlen(n));
        if (dist < best_d && dist < len) {
            best = n;
            best_d = dist;
        }
    }
    char zh[384] = "", en[384] = "";
    if (best) {
        snprintf(zh, sizeof zh, "；是否想写 \"%s\"？", best);
        snprintf(en, sizeof en, "; did you mean \"%s\"?", best);
    } else { /* nothing close: list what there is */
        char names[320] = "";
        size_t used = 0;
        for (size_t i = 0; i <= s->ncols && used < sizeof names; i++) {
            const char *n = i < s->ncols                ? s->cols[i].name
                            : virtual_amount(s, &d, &c) ? "amount"
                                                        : NULL;
            if (n)
                used += (size_t)snprintf(names + used, sizeof names - used, "%s%s",
                                         used ? ", " : "", n);
        }
        snprintf(zh, sizeof zh, "；可用的列：%s", names);
        snprintf(en, sizeof en, "; the columns are: %s", names);
    }
    int shown = len > 64 ? 64 : (int)len;
    return PFAIL(p, at, "未知列 \"%.*s\"%s%.0s", "unknown column \"%.*s\"%.0s%s", shown, name, zh,
                 en);
}

/* Resolves the identifier token at the current position. */
static ag_err resolve(parser *p, colref *out)
{
    const char *name = p->src + p->tpos;
    size_t len = p->tlen;
    const expr_column *c = find_col(p->schema, name, len), *debit, *credit;
    if (!c) {
        if (len == 6 && memcmp(name, "amount", 6) == 0 &&
            virtual_amount(p->schema, &debit, &credit)) {
            ag_err rc = check_col(p, debit);
            if (!rc)
                rc = check_col(p, credit);
            if (rc)
                return rc;
            *out = (colref){"amount", EXPR_MONEY, {LD_AMOUNT, debit->data, credit->data}};
            return AG_OK;
        }
        return unknown_column(p, p->tpos, name, len);
    }
    ag_err rc = check_col(p, c);
    if (rc)
        return rc;
    load ld = c->width == 1 ? LD_I8 : c->width == 2 ? LD_I16 : c->width == 4 ? LD_I32 : LD_I64;
    *out = (colref){c->name, c->type, {ld, c->data, NULL}};
    return AG_OK;
}

/* ---- literals ---------------------------------------------------------- */

static bool parse_int(const char *s, size_t n, int64_t *v)
{
    bool neg = s[0] == '-';
    uint64_t acc = 0, lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (size_t i = neg; i < n; i++) {
        unsigned d = (unsigned)(s[i] - '0');
        if (acc > (lim - d) / 10)
            return false;
        acc = acc * 10 + d;
    }
    *v = neg ? (acc ? -(int64_t)(acc - 1) - 1 : 0) : (int64_t)acc;
    return true;
}

/* The current token as a value of column c's (non-text) type. */
static ag_err literal_value(parser *p, const colref *c, int64_t *v)
{
    const char *t = p->src + p->tpos;
    int tl = (int)p->tlen;
    switch (c->type) {
    case EXPR_STR:
        break;
    case EXPR_INT:
        if (p->tok == T_STR)
            return PFAIL(p, p->tpos, "列 \"%s\" 是整数，不能与字符串 %.*s 比较；数字不加引号",
                         "column \"%s\" holds integers and cannot be compared with the string "
                         "%.*s; write numbers without quotes",
                         c->name, tl, t);
        if (p->tok != T_NUM)
            break;
        if (p->ndec >= 0)
            return PFAIL(p, p->tpos, "列 \"%s\" 是整数，%.*s 不是整数",
                         "column \"%s\" holds integers; %.*s is not an integer", c->name, tl, t);
        if (!parse_int(t, p->tlen, v))
            return PFAIL(p, p->tpos, "数字 %.*s 超出范围（列 \"%s\"）",
                         "the number %.*s is out of range (column \"%s\")", tl, t, c->name);
        return AG_OK;
    case EXPR_MONEY:
        if (p->tok == T_STR)
            return PFAIL(p, p->tpos,
                         "列 \"%s\" 是金额，不能与字符串 %.*s 比较；金额以元为单位直接写数字，"
                         "例如 50000 或 49999.99",
                         "column \"%s\" holds amounts and cannot be compared with the string "
                         "%.*s; write the amount in yuan as a number, e.g. 50000 or 49999.99",
                         c->name, tl, t);
        if (p->tok != T_NUM)
            break;
        if (p->ndec > 2)
            return PFAIL(p, p->tpos, "列 \"%s\" 是金额，%.*s 的小数超过两位（分）",
                         "column \"%s\" holds amounts; %.*s has more than 2 decimal places (fen)",
                         c->name, tl, t);
        if (!ag_money_parse(t, p->tlen, v))
            return PFAIL(p, p->tpos, "金额 %.*s 超出范围（列 \"%s\"）",
                         "the amount %.*s is out of range (column \"%s\")", tl, t, c->name);
        return AG_OK;
    case EXPR_DATE: {
        if (p->tok == T_NUM)
            return PFAIL(p, p->tpos, "列 \"%s\" 是日期，%.*s 要写成带引号的 \"YYYY-MM-DD\"",
                         "column \"%s\" holds dates; write %.*s as a quoted \"YYYY-MM-DD\"",
                         c->name, tl, t);
        if (p->tok != T_STR)
            break;
        int32_t days;
        if (!ag_date_parse(p->sbuf, p->slen, &days))
            return PFAIL(p, p->tpos, "列 \"%s\"：%.*s 不是有效日期（应为 \"YYYY-MM-DD\"）",
                         "column \"%s\": %.*s is not a valid date (expected \"YYYY-MM-DD\")",
                         c->name, tl, t);
        *v = days;
        return AG_OK;
    }
    }
    tokdesc d;
    describe(p, &d);
    return PFAIL(p, p->tpos, "此处应为列 \"%s\" 的值，却是 %s%.0s",
                 "expected a value for column \"%s\" but found %.0s%s", c->name, d.zh, d.en);
}

/* The current token must be a string literal for text column c. */
static ag_err want_string(parser *p, const colref *c)
{
    if (p->tok == T_STR)
        return AG_OK;
    if (p->tok == T_NUM)
        return PFAIL(p, p->tpos, "列 \"%s\" 是文本，不能与数字 %.*s 比较；请写成 \"%.*s\"",
                     "column \"%s\" holds text and cannot be compared with the number %.*s; "
                     "write \"%.*s\"",
                     c->name, (int)p->tlen, p->src + p->tpos, (int)p->tlen, p->src + p->tpos);
    tokdesc d;
    describe(p, &d);
    return PFAIL(p, p->tpos, "此处应为列 \"%s\" 的值（带双引号的字符串），却是 %s%.0s",
                 "expected a string in double quotes for column \"%s\" but found %.0s%s", c->name,
                 d.zh, d.en);
}

/* ---- leaves ------------------------------------------------------------ */

static ag_err new_node(parser *p, kind k, node **out)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return nomem(p);
    (*out)->kind = k;
    return AG_OK;
}

static ag_err const_node(parser *p, bool v, node **out)
{
    return new_node(p, v ? K_TRUE : K_FALSE, out);
}

/* A text test as a byte per dictionary id (taken over). Negates it if asked,
 * and turns it into something cheaper when it selects none, all, one id or
 * all but one. */
static ag_err map_node(parser *p, const colref *c, uint8_t *map, size_t n, bool neg, node **out)
{
    size_t ones = 0, one = 0, zero = 0;
    for (size_t i = 0; i < n; i++) {
        map[i] ^= (uint8_t)neg;
        ones += map[i];
        if (map[i])
            one = i;
        else
            zero = i;
    }
    ag_err rc;
    if (ones == 0 || ones == n) {
        free(map);
        return const_node(p, ones != 0, out);
    }
    if (ones == 1 || ones == n - 1) {
        free(map);
        rc = new_node(p, ones == 1 ? K_STR_EQ : K_STR_NE, out);
        if (rc)
            return rc;
        (*out)->id = (uint32_t)(ones == 1 ? one : zero);
        (*out)->x = c->x;
        return AG_OK;
    }
    rc = new_node(p, K_STR_MAP, out);
    if (rc) {
        free(map);
        return rc;
    }
    (*out)->map = map;
    (*out)->nmap = n;
    (*out)->x = c->x;
    return AG_OK;
}

static int bytes_cmp(const char *a, size_t na, const char *b, size_t nb)
{
    int r = memcmp(a, b, na < nb ? na : nb);
    if (r)
        return r;
    return na < nb ? -1 : na > nb;
}

/* column (op | ^= | *=) "literal": tok is T_EQ .. T_GE, T_PREFIX or T_CONTAINS. */
static ag_err str_test(parser *p, const colref *c, tok t, bool neg, node **out)
{
    const eng_dict *dict = p->schema->dict;
    const char *lit = p->sbuf;
    size_t ln = p->slen;
    if (t == T_EQ || t == T_NE) {
        uint32_t id = eng_dict_find(dict, lit, ln);
        bool eq = (t == T_EQ) != neg;
        if (id == UINT32_MAX) /* no row can hold a text the dictionary lacks */
            return const_node(p, !eq, out);
        ag_err rc = new_node(p, eq ? K_STR_EQ : K_STR_NE, out);
        if (rc)
            return rc;
        (*out)->id = id;
        (*out)->x = c->x;
        return AG_OK;
    }
    size_t n = eng_dict_count(dict);
    uint8_t *map = malloc(n ? n : 1);
    if (!map)
        return nomem(p);
    for (size_t id = 0; id < n; id++) {
        const char *s = eng_dict_str(dict, (uint32_t)id);
        size_t sl = eng_dict_len(dict, (uint32_t)id);
        bool hit;
        if (t == T_PREFIX)
            hit = sl >= ln && memcmp(s, lit, ln) == 0;
        else if (t == T_CONTAINS)
            hit = ln == 0 || memmem(s, sl, lit, ln) != NULL;
        else
            hit = holds(t == T_LT   ? OP_LT
                        : t == T_LE ? OP_LE
                        : t == T_GT ? OP_GT
                                    : OP_GE,
                        bytes_cmp(s, sl, lit, ln), 0);
        map[id] = hit;
    }
    return map_node(p, c, map, n, neg, out);
}

static op tok_op(tok t)
{
    switch (t) {
    case T_EQ:
        return OP_EQ;
    case T_NE:
        return OP_NE;
    case T_LT:
        return OP_LT;
    case T_LE:
        return OP_LE;
    case T_GT:
        return OP_GT;
    default:
        return OP_GE;
    }
}

static void load_range(load ld, int64_t *lo, int64_t *hi)
{
    switch (ld) {
    case LD_I8:
        *lo = INT8_MIN, *hi = INT8_MAX;
        return;
    case LD_I16:
        *lo = INT16_MIN, *hi = INT16_MAX;
        return;
    case LD_I32:
        *lo = INT32_MIN, *hi = INT32_MAX;
        return;
    case LD_I64:
    case LD_AMOUNT:
        *lo = INT64_MIN, *hi = INT64_MAX;
        return;
    }
}

/* column op k for a numeric column. */
static ag_err num_test(parser *p, const colref *c, op o, bool neg, int64_t k, node **out)
{
    if (neg)
        o = op_not(o);
    int64_t lo = INT64_MIN, hi = INT64_MAX;
    load_range(c->x.ld, &lo, &hi);
    if (k < lo || k > hi) {  /* every value of the column is on one side of k */
        bool below = k > hi; /* the values are all below k */
        bool v = o == OP_NE || (below ? o == OP_LT || o == OP_LE : o == OP_GT || o == OP_GE);
        return const_node(p, v, out);
    }
    ag_err rc = new_node(p, K_NUM_K, out);
    if (rc)
        return rc;
    (*out)->op = o;
    (*out)->k = k;
    (*out)->x = c->x;
    return AG_OK;
}

/* column op column. */
static ag_err col_test(parser *p, const colref *a, op o, bool neg, node **out)
{
    size_t at = p->tpos;
    colref b;
    ag_err rc = resolve(p, &b);
    if (rc)
        return rc;
    if (a->type != b.type)
        return PFAIL(p, at, "列 \"%s\"（%s%.0s）不能与列 \"%s\"（%s%.0s）比较",
                     "column \"%s\" (%.0s%s) cannot be compared with column \"%s\" (%.0s%s)",
                     a->name, type_zh(a->type), type_en(a->type), b.name, type_zh(b.type),
                     type_en(b.type));
    if (neg)
        o = op_not(o);
    if (a->type == EXPR_STR) {
        if (o != OP_EQ && o != OP_NE)
            return PFAIL(p, at, "文本列 \"%s\" 与 \"%s\" 之间只能用 == 或 != 比较",
                         "text columns \"%s\" and \"%s\" can only be compared with == or !=",
                         a->name, b.name);
        rc = new_node(p, o == OP_EQ ? K_STR_COL_EQ : K_STR_COL_NE, out);
    } else {
        rc = new_node(p, K_NUM_COL, out);
    }
    if (rc)
        return rc;
    (*out)->op = o;
    (*out)->x = a->x;
    (*out)->y = b.x;
    return AG_OK;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* A numeric in-list (values[0..n), taken over) as a byte table when its
 * values lie close together, a sorted set otherwise. */
static ag_err num_in(parser *p, const colref *c, int64_t *values, size_t n, bool neg, node **out)
{
    if (n == 0) {
        free(values);
        return const_node(p, neg, out);
    }
    qsort(values, n, sizeof *values, cmp_i64);
    size_t m = 1;
    for (size_t i = 1; i < n; i++)
        if (values[i] != values[m - 1])
            values[m++] = values[i];
    ag_err rc;
    uint64_t span = (uint64_t)values[m - 1] - (uint64_t)values[0];
    if (span < TABLE_SPAN) {
        uint8_t *map = calloc(span + 2, 1); /* + the 0 sentinel */
        if (!map) {
            free(values);
            return nomem(p);
        }
        for (size_t i = 0; i < m; i++)
            map[(uint64_t)values[i] - (uint64_t)values[0]] = 1;
        rc = new_node(p, K_NUM_TABLE, out);
        if (rc) {
            free(map);
            free(values);
            return rc;
        }
        (*out)->map = map;
        (*out)->nmap = span + 1;
        (*out)->k = values[0];
        free(values);
    } else {
        rc = new_node(p, K_NUM_SET, out);
        if (rc) {
            free(values);
            return rc;
        }
        (*out)->set = values;
        (*out)->nset = m;
    }
    (*out)->neg = neg;
    (*out)->x = c->x;
    return AG_OK;
}

/* column in [ ... ] with the current token on '['. */
static ag_err in_list(parser *p, const colref *c, bool neg, node **out)
{
    if (p->tok != T_LBRACK) {
        tokdesc d;
        describe(p, &d);
        return PFAIL(p, p->tpos, "列 \"%s\" 的 in 后应为 [，却是 %s%.0s",
                     "expected [ after in on column \"%s\" but found %.0s%s", c->name, d.zh, d.en);
    }
    bool text = c->type == EXPR_STR;
    size_t n = 0, nmap = text ? eng_dict_count(p->schema->dict) : 0;
    uint8_t *map = NULL;
    int64_t *values = NULL;
    if (text)
        map = calloc(nmap ? nmap : 1, 1);
    else
        values = malloc(EXPR_MAX_IN * sizeof *values);
    if (!map && !values)
        return nomem(p);
    ag_err rc = lex(p);
    bool more = !rc && p->tok != T_RBRACK; /* "[]" is an empty list; "[1,]" is an error */
    while (more) {
        if (n == EXPR_MAX_IN) {
            rc = PFAIL(p, p->tpos, "列 \"%s\" 的 in 列表超过 %d 项",
                       "the in list on column \"%s\" has more than %d items", c->name, EXPR_MAX_IN);
            break;
        }
        if (text) {
            rc = want_string(p, c);
            uint32_t id = rc ? UINT32_MAX : eng_dict_find(p->schema->dict, p->sbuf, p->slen);
            if (id < nmap)
                map[id] = 1;
        } else {
            rc = literal_value(p, c, &values[n]);
        }
        n++;
        if (!rc)
            rc = lex(p);
        if (rc || p->tok == T_RBRACK)
            break;
        if (p->tok != T_COMMA) {
            tokdesc d;
            describe(p, &d);
            rc = PFAIL(p, p->tpos, "列 \"%s\" 的 in 列表中应为 , 或 ]，却是 %s%.0s",
                       "expected , or ] in the in list on column \"%s\" but found %.0s%s", c->name,
                       d.zh, d.en);
            break;
        }
        rc = lex(p);
        more = !rc;
    }
    if (!rc)
        rc = lex(p); /* past ']' */
    if (rc) {
        free(map);
        free(values);
        return rc;
    }
    return text ? map_node(p, c, map, nmap, neg, out) : num_in(p, c, values, n, neg, out);
}

/* ---- parser ------------------------------------------------------------ */

static ag_err parse_or(parser *p, bool neg, node **out);

/* A condition on one column, with the current token on the column name. */
static ag_err parse_pred(parser *p, bool neg, node **out)
{
    if (p->tok != T_IDENT) {
        tokdesc d;
        describe(p, &d);
        if (p->tok == T_STR || p->tok == T_NUM)
            return PFAIL(p, p->tpos, "条件要以列名开头（例如 amount >= 50000），却是 %s%.0s",
                         "a condition starts with a column name (e.g. amount >= 50000), not "
                         "%.0s%s",
                         d.zh, d.en);
        return PFAIL(p, p->tpos, "此处应为条件（列名），却是 %s%.0s",
                     "expected a condition (a column name) but found %.0s%s", d.zh, d.en);
    }
    colref c;
    size_t cpos = p->tpos;
    ag_err rc = resolve(p, &c);
    if (!rc)
        rc = lex(p);
    if (rc)
        return rc;
    tok t = p->tok;
    switch (t) {
    case T_EQ:
    case T_NE:
    case T_LT:
    case T_LE:
    case T_GT:
    case T_GE:
        rc = lex(p);
        if (rc)
            return rc;
        if (p->tok == T_IDENT)
            rc = col_test(p, &c, tok_op(t), neg, out);
        else if (c.type == EXPR_STR) {
            rc = want_string(p, &c);
            if (!rc)
                rc = str_test(p, &c, t, neg, out);
        } else {
            int64_t v = 0;
            rc = literal_value(p, &c, &v);
            if (!rc)
                rc = num_test(p, &c, tok_op(t), neg, v, out);
        }
        return rc ? rc : lex(p);
    case T_PREFIX:
    case T_CONTAINS:
        if (c.type != EXPR_STR)
            return PFAIL(p, p->tpos, "运算符 %s 只能用于文本列，列 \"%s\" 是%s%.0s",
                         "%s works on text columns only; column \"%s\" holds %.0s%s",
                         t == T_PREFIX ? "^=" : "*=", c.name, type_zh(c.type), type_en(c.type));
        rc = lex(p);
        if (!rc)
            rc = want_string(p, &c);
        if (!rc)
            rc = str_test(p, &c, t, neg, out);
        return rc ? rc : lex(p);
    case T_IN:
    case T_NOTIN:
        rc = lex(p);
        return rc ? rc : in_list(p, &c, neg != (t == T_NOTIN), out);
    case T_AND:
    case T_OR:
    case T_RPAREN:
    case T_END:
        /* A bare text column asks whether it has a value. */
        if (c.type == EXPR_STR) {
            rc = new_node(p, neg ? K_STR_EQ : K_STR_NE, out);
            if (!rc) {
                (*out)->id = 0;
                (*out)->x = c.x;
            }
            return rc;
        }
        {
            const char *eg = c.type == EXPR_INT     ? " == 1"
                             : c.type == EXPR_MONEY ? " != 0"
                                                    : " >= \"2024-01-01\"";
            return PFAIL(p, cpos, "列 \"%s\" 是%s%.0s，不能单独作为条件；请写比较，例如 %s%s",
                         "column \"%s\" holds %.0s%s and is not a condition by itself; compare it, "
                         "e.g. %s%s",
                         c.name, type_zh(c.type), type_en(c.type), c.name, eg);
        }
    default: {
        tokdesc d;
        describe(p, &d);
        return PFAIL(p, p->tpos,
                     "列 \"%s\" 后应为比较运算符（== != < <= > >= ^= *= in !in），却是 %s%.0s",
                     "expected an operator (== != < <= > >= ^= *= in !in) after column \"%s\" "
                     "but found %.0s%s",
                     c.name, d.zh, d.en);
    }
    }
}

static ag_err enter(parser *p)
{
    if (++p->depth > EXPR_MAX_DEPTH)
        return PFAIL(p, p->tpos, "括号和 ! 的嵌套超过 %d 层",
                     "parentheses and ! nest deeper than %d", EXPR_MAX_DEPTH);
    return lex(p);
}

static ag_err parse_unary(parser *p, bool neg, node **out)
{
    ag_err rc;
    if (p->tok == T_NOT) {
        rc = enter(p);
        if (!rc)
            rc = parse_unary(p, !neg, out);
        p->depth--;
        return rc;
    }
    if (p->tok == T_LPAREN) {
        rc = enter(p);
        if (!rc)
            rc = parse_or(p, neg, out);
        p->depth--;
        if (!rc && p->tok != T_RPAREN) {
            tokdesc d;
            describe(p, &d);
            rc = PFAIL(p, p->tpos, "缺少右括号 )，却是 %s%.0s", "expected ) but found %.0s%s", d.zh,
                       d.en);
        }
        if (!rc)
            rc = lex(p);
        if (rc) {
            node_free(*out);
            *out = NULL;
        }
        return rc;
    }
    return parse_pred(p, neg, out);
}

/* The children of an n-ary && or || being built. */
typedef struct kids {
    node **v;
    size_t n, cap;
    bool absorbed; /* a false child of && (a true one of ||) decides it */
} kids;

static void kids_release(kids *l)
{
    for (size_t i = 0; i < l->n; i++)
        node_free(l->v[i]);
    free(l->v);
}

/* Adds child c (taken over) to a `kind` node: constants fold, a child of the
 * same kind is flattened into this one. */
static ag_err kids_add(parser *p, kids *l, kind k, node *c)
{
    kind absorbing = k == K_AND ? K_FALSE : K_TRUE;
    kind neutral = k == K_AND ? K_TRUE : K_FALSE;
    if (c->kind == absorbing || c->kind == neutral || l->absorbed) {
        l->absorbed |= c->kind == absorbing;
        node_free(c);
        return AG_OK;
    }
    size_t add = c->kind == k ? c->nkids : 1;
    if (l->n + add > l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4;
        while (cap < l->n + add)
            cap *= 2;
        node **v = realloc(l->v, cap * sizeof *v);
        if (!v) {
            node_free(c);
            return nomem(p);
        }
        l->v = v;
        l->cap = cap;
    }
    if (c->kind == k) {
        memcpy(l->v + l->n, c->kids, c->nkids * sizeof *c->kids);
        l->n += c->nkids;
        c->nkids = 0;
        node_free(c);
    } else {
        l->v[l->n++] = c;
    }
    return AG_OK;
}

static ag_err kids_finish(parser *p, kids *l, kind k, node **out)
{
    if (l->absorbed || l->n == 0) {
        bool v = l->absorbed ? k == K_OR : k == K_AND;
        kids_release(l);
        return const_node(p, v, out);
    }
    if (l->n == 1) {
        *out = l->v[0];
        free(l->v);
        return AG_OK;
    }
    ag_err rc = new_node(p, k, out);
    if (rc) {
        kids_release(l);
        return rc;
    }
    (*out)->kids = l->v;
    (*out)->nkids = l->n;
    return AG_OK;
}

typedef ag_err (*operand_parser)(parser *p, bool neg, node **out);

/* operand op operand op ...: one flat node of kind k over the operands. */
static ag_err parse_chain(parser *p, bool neg, kind k, tok joiner, operand_parser sub, node **out)
{
    kids l = {0};
    ag_err rc = AG_OK;
    *out = NULL;
    for (;;) {
        node *c = NULL;
        rc = sub(p, neg, &c);
        if (rc)
            node_free(c);
        else
            rc = kids_add(p, &l, k, c);
        if (rc || p->tok != joiner)
            break;
        rc = lex(p);
        if (rc)
            break;
    }
    if (rc) {
        kids_release(&l);
        return rc;
    }
    return kids_finish(p, &l, k, out);
}

/* a && b && ... (an || when negated: !(a && b) is !a || !b). */
static ag_err parse_and(parser *p, bool neg, node **out)
{
    return parse_chain(p, neg, neg ? K_OR : K_AND, T_AND, parse_unary, out);
}

/* a || b || ... (an && when negated). */
static ag_err parse_or(parser *p, bool neg, node **out)
{
    return parse_chain(p, neg, neg ? K_AND : K_OR, T_OR, parse_and, out);
}

ag_err expr_compile(const char *src, const expr_schema *schema, expr **out, ag_error *err)
{
    *out = NULL;
    size_t len = strnlen(src, EXPR_MAX_LEN + 1);
    if (len > EXPR_MAX_LEN)
        return ag_fail(err, AG_ERR_INPUT, "filter", "过滤表达式超过 %d 字节的上限",
                       "the filter is longer than the limit of %d bytes", EXPR_MAX_LEN);
    parser *p = calloc(1, sizeof *p);
    expr *e = calloc(1, sizeof *e);
    ag_err rc = AG_OK;
    if (!p || !e) {
        rc = ag_fail(err, AG_ERR_NOMEM, "filter", "内存不足", "out of memory");
        goto out;
    }
    p->src = src;
    p->len = len;
    p->schema = schema;
    p->err = err;
    rc = lex(p);
    if (rc)
        goto out;
    if (p->tok == T_END) {
        rc = PFAIL(p, 0, "过滤表达式为空", "the filter is empty");
        goto out;
    }
    rc = parse_or(p, false, &e->root);
    if (!rc && p->tok != T_END) {
        tokdesc d;
        describe(p, &d);
        rc = PFAIL(p, p->tpos, "此处应为 &&、|| 或表达式结尾，却是 %s%.0s",
                   "expected &&, || or the end of the filter but found %.0s%s", d.zh, d.en);
    }
    if (rc)
        goto out;
    e->levels = levels_of(e->root);
    *out = e;
    e = NULL;
out:
    expr_free(e);
    free(p);
    return rc;
}
