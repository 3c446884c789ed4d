/* gbt19581_files.c - what each GB/T 19581 file means: book, chart, balances and voucher lines. */
#include "ledger/gbt19581_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/date.h"
#include "util/money.h"

#include "util/banned.h"

/* Field names as `where` shows them; docs/formats.md lists them. */
const char *const gbt_dzzb_fields[GBT_DZZB_NFIELDS] = {
    "book_no",   "book_name", "unit_name", "org_code", "unit_type",     "industry",
    "developer", "version",   "year",      "currency", "code_structure"};
const char *const gbt_kjkm_fields[GBT_KJKM_NFIELDS] = {"code",      "name",  "level", "aux_flag",
                                                       "aux_items", "class", "unit",  "side"};
const char *const gbt_kmye_fields[GBT_KMYE_NFIELDS] = {
    "account", "currency",    "aux",        "opening", "opening_qty", "opening_fc",
    "debit",   "debit_qty",   "debit_fc",   "credit",  "credit_qty",  "credit_fc",
    "closing", "closing_qty", "closing_fc", "period"};
const char *const gbt_jzpz_fields[GBT_JZPZ_NFIELDS] = {
    "date",     "type",        "no",        "line",      "summary",   "account",     "debit",
    "credit",   "currency",    "fc_debit",  "fc_credit", "rate",      "qty",         "price",
    "aux",      "settle_type", "bill_type", "bill_no",   "bill_date", "attachments", "maker",
    "reviewer", "poster",      "cashier",   "posted",    "void"};

/* ---- arena, context, notes -------------------------------------------- */

struct gbt_block {
    struct gbt_block *next;
    size_t used, cap;
    char data[];
};

const char *gbt_arena_strndup(gbt_arena *a, const char *s, size_t n)
{
    struct gbt_block *b = a->head;
    if (n > ((size_t)1 << 30))
        return NULL;
    if (!b || b->cap - b->used < n + 1) {
        size_t cap = n + 1 > 65536 ? n + 1 : 65536;
        b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->next = a->head;
        b->used = 0;
        b->cap = cap;
        a->head = b;
    }
    char *p = b->data + b->used;
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    b->used += n + 1;
    return p;
}

void gbt_arena_release(gbt_arena *a)
{
    struct gbt_block *b = a->head;
    while (b) {
        struct gbt_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
}

void gbt_ctx_init(gbt_ctx *c, const ledger_gbt_opts *opts, const ledger_sink *sink)
{
    memset(c, 0, sizeof *c);
    c->opts = opts;
    c->sink = sink;
}

void gbt_ctx_release(gbt_ctx *c)
{
    if (!c)
        return;
    gbt_arena_release(&c->arena);
    free(c->acc);
    free(c->slots);
    c->acc = NULL;
    c->slots = NULL;
}

static ag_err nomem(ag_error *err)
{
    return ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
}

ag_err gbt_note(gbt_ctx *c, const char *kind, const char *where, ag_error *err, const char *zh,
                const char *en, ...)
{
    gbt_note_count *nc = NULL;
    for (int i = 0; i < c->nnotes; i++)
        if (!strcmp(c->notes[i].kind, kind))
            nc = &c->notes[i];
    if (!nc && c->nnotes < (int)(sizeof c->notes / sizeof c->notes[0])) {
        nc = &c->notes[c->nnotes++];
        nc->kind = kind;
        nc->n = 0;
    }
    if (nc && ++nc->n > LEDGER_GBT_MAX_NOTES_PER_KIND)
        return AG_OK;
    if (!c->sink || !c->sink->note)
        return AG_OK;
    char z[512], e[512];
    va_list ap;
    va_start(ap, en);
    ag_vformat2(z, sizeof z, e, sizeof e, zh, en, ap);
    va_end(ap);
    ledger_note n = {kind, where ? where : "", z, e};
    return c->sink->note(c->sink->ctx, &n, err);
}

ag_err gbt_note_flush(gbt_ctx *c, ag_error *err)
{
    for (int i = 0; i < c->nnotes; i++) {
        gbt_note_count *nc = &c->notes[i];
        if (nc->n <= LEDGER_GBT_MAX_NOTES_PER_KIND || !c->sink || !c->sink->note)
            continue;
        char z[160], e[160];
        unsigned more = nc->n - LEDGER_GBT_MAX_NOTES_PER_KIND;
        snprintf(z, sizeof z, "另有 %u 条同类提示（%s）未逐条列出", more, nc->kind);
        snprintf(e, sizeof e, "%u more notes of kind %s not listed one by one", more, nc->kind);
        ledger_note n = {nc->kind, "", z, e};
        ag_err rc = c->sink->note(c->sink->ctx, &n, err);
        if (rc)
            return rc;
        nc->n = LEDGER_GBT_MAX_NOTES_PER_KIND;
    }
    return AG_OK;
}

/* ---- the chart as a hash table of codes --------------------------------- */

static uint64_t hash_n(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

static long find_n(const gbt_ctx *c, const char *s, size_t n)
{
    if (!c->nslots)
        return -1;
    size_t mask = c->nslots - 1;
    for (size_t i = (size_t)hash_n(s, n) & mask;; i = (i + 1) & mask) {
        uint32_t v = c->slots[i];
        if (!v)
            return -1;
        const char *code = c->acc[v - 1].code;
        if (!strncmp(code, s, n) && code[n] == '\0')
            return (long)(v - 1);
    }
}

long gbt_account_find(const gbt_ctx *c, const char *code)
{
    return find_n(c, code, strlen(code));
}

static void slot_put(uint32_t *slots, size_t nslots, const char *code, uint32_t v)
{
    size_t mask = nslots - 1;
    size_t i = (size_t)hash_n(code, strlen(code)) & mask;
    while (slots[i])
        i = (i + 1) & mask;
    slots[i] = v;
}

static ag_err account_add(gbt_ctx *c, const gbt_account *a, ag_error *err)
{
    if (c->nacc >= (size_t)UINT32_MAX - 1 || c->nacc >= (size_t)LEDGER_MAX_ROWS)
        return ag_fail(err, AG_ERR_NOMEM, NULL, "科目过多", "too many accounts");
    if (c->nacc == c->capacc) {
        size_t cap = c->capacc ? c->capacc * 2 : 256;
        gbt_account *p = realloc(c->acc, cap * sizeof *p);
        if (!p)
            return nomem(err);
        c->acc = p;
        c->capacc = cap;
    }
    if ((c->nacc + 1) * 2 > c->nslots) {
        size_t ns = c->nslots ? c->nslots * 2 : 512;
        uint32_t *s = calloc(ns, sizeof *s);
        if (!s)
            return nomem(err);
        for (size_t i = 0; i < c->nacc; i++)
            slot_put(s, ns, c->acc[i].code, (uint32_t)(i + 1));
        free(c->slots);
        c->slots = s;
        c->nslots = ns;
    }
    c->acc[c->nacc] = *a;
    slot_put(c->slots, c->nslots, a->code, (uint32_t)(c->nacc + 1));
    c->nacc++;
    return AG_OK;
}

/* ---- helpers ------------------------------------------------------------ */

static const char *keep(gbt_ctx *c, const gbt_field *f)
{
    if (!f->n)
        return NULL;
    return gbt_arena_strndup(&c->arena, f->s, f->n);
}

/* The borrowed text of a field, NULL when empty. */
static const char *opt(const gbt_field *f)
{
    return f->n ? f->s : NULL;
}

static bool has(const char *s, const char *needle)
{
    return s && strstr(s, needle);
}

static bool digits_only(const char *s, size_t n)
{
    if (!n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* "4-2-2", "4,2,2", "4.2.2" or "4222": the lengths of the code's segments. */
static bool parse_structure(gbt_ctx *c, const char *s, size_t n)
{
    int seg[16], nseg = 0;
    bool sep = false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            sep = true;
    if (!sep) {
        if (n > 16)
            return false;
        for (size_t i = 0; i < n; i++)
            seg[nseg++] = s[i] - '0';
    } else {
        size_t i = 0;
        while (i < n) {
            while (i < n && (s[i] < '0' || s[i] > '9'))
                i++;
            if (i == n)
                break;
            int v = 0;
            while (i < n && s[i] >= '0' && s[i] <= '9') {
                v = v * 10 + (s[i] - '0');
                if (v > 40)
                    return false;
                i++;
            }
            if (nseg == 16)
                return false;
            seg[nseg++] = v;
        }
    }
    if (!nseg)
        return false;
    for (int i = 0; i < nseg; i++)
        if (seg[i] < 1)
            return false;
    memcpy(c->seg, seg, sizeof seg);
    c->nseg = nseg;
    return true;
}

static int four_digits(const char *s)
{
    return (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
}

/* ---- GSSM and DZZB ------------------------------------------------------ */

/* GSSM is free text describing the export. The standard fixes no layout for
 * it, so only "key: value" lines with a few well-known keys are used, to fill
 * what DZZB leaves empty; a fault in GSSM is a note, never a rejection. */
ag_err gbt_read_gssm(gbt_ctx *c, gbt_text *t, ag_error *err)
{
    static const struct {
        const char *key;
        int slot; /* 0 unit name, 1 unit code, 2 year, 3 currency, 4 software */
    } keys[] = {
        {"会计核算单位", 0},     {"核算单位名称", 0}, {"单位名称", 0}, {"组织机构代码", 1},
        {"统一社会信用代码", 1}, {"单位代码", 1},     {"会计年度", 2}, {"年度", 2},
        {"本位币", 3},           {"记账本位币", 3},   {"软件名称", 4}, {"开发单位", 4},
    };
    for (;;) {
        bool more = false;
        ag_error e2;
        ag_error_clear(&e2);
        ag_err rc = gbt_text_next(t, &more, &e2);
        if (rc == AG_ERR_INPUT)
            return gbt_note(c, "gssm_unreadable", e2.where, err, "格式说明文件未能读取，已忽略：%s",
                            "format description file ignored: %s", e2.en);
        if (rc) {
            if (err)
                *err = e2;
            return rc;
        }
        if (!more)
            return AG_OK;
        const char *s = t->f[0].s;
        size_t n = t->f[0].n;
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
            size_t kl = strlen(keys[k].key);
            if (n <= kl || memcmp(s, keys[k].key, kl))
                continue;
            size_t i = kl;
            while (i < n && s[i] == ' ')
                i++;
            if (i < n && (s[i] == ':' || s[i] == '=' || s[i] == '\t'))
                i++;
            else if (n - i >= 3 && !memcmp(s + i, "：", 3))
                i += 3;
            else
                continue;
            while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '"'))
                i++;
            size_t e = n;
            while (e > i && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '"'))
                e--;
            if (e == i)
                break;
            const char *v = s + i;
            size_t vn = e - i;
            switch (keys[k].slot) {
            case 0:
                if (!c->unit_name)
                    c->unit_name = gbt_arena_strndup(&c->arena, v, vn);
                break;
            case 1:
                if (!c->unit_code)
                    c->unit_code = gbt_arena_strndup(&c->arena, v, vn);
                break;
            case 2:
                if (!c->year && vn >= 4 && digits_only(v, 4)) {
                    int y = four_digits(v);
                    if (y >= 1900 && y <= 2200 && (vn == 4 || !memcmp(v + 4, "年", 3)))
                        c->year = y;
                }
                break;
            case 3:
                if (!c->currency)
                    c->currency = gbt_arena_strndup(&c->arena, v, vn);
                break;
            default:
                if (!c->software)
                    c->software = gbt_arena_strndup(&c->arena, v, vn);
                break;
            }
            break;
        }
    }
}

static bool is_year(const gbt_field *f, int *y)
{
    size_t n = f->n;
    if (n == 7 && !memcmp(f->s + 4, "年", 3))
        n = 4;
    if (n != 4 || !digits_only(f->s, 4))
        return false;
    int v = four_digits(f->s);
    if (v < 1900 || v > 2200)
        return false;
    *y = v;
    return true;
}

/* What kind of chart the unit keeps, as far as DZZB tells: a field naming a
 * 准则/制度 wins; else the unit type (企业 / 行政 / 事业) and the year decide. */
static const char *chart_hint_of(const char *unit_type, const char *industry, int year)
{
    if (has(industry, "准则") || has(industry, "制度"))
        return industry;
    if (has(unit_type, "准则") || has(unit_type, "制度"))
        return unit_type;
    if (has(unit_type, "企业"))
        return "企业会计准则";
    if (has(unit_type, "行政") || has(unit_type, "事业")) {
        if (year >= 2019 || year == 0)
            return "政府会计制度";
        return has(unit_type, "行政") ? "行政单位会计制度" : "事业单位会计制度";
    }
    return NULL;
}

ag_err gbt_read_dzzb(gbt_ctx *c, gbt_text *t, ag_error *err)
{
    bool more = false;
    ag_err rc = gbt_text_next(t, &more, err);
    if (rc)
        return rc;
    if (!more)
        return gbt_note(c, "dzzb_empty", t->name, err, "电子账簿文件为空", "DZZB.TXT is empty");
    const gbt_field *f = t->f;
    int y = 0;
    const gbt_field *cur = &f[9];
    if (is_year(&f[8], &y)) {
        c->year = y;
    } else if (is_year(&f[9], &y)) {
        /* Some exports put the currency before the year. */
        c->year = y;
        cur = &f[8];
    } else if (f[8].n) {
        return gbt_fail_at(t, 8, err, "会计年度不是四位年份",
                           "the fiscal year is not a 4-digit year");
    }
    if (cur->n)
        c->currency = keep(c, cur);
    c->unit_name = keep(c, f[2].n ? &f[2] : &f[1]);
    c->unit_code = keep(c, &f[3]);
    if (f[6].n || f[7].n) {
        char sw[512];
        snprintf(sw, sizeof sw, "%s%s%s", f[6].s, f[6].n && f[7].n ? " " : "", f[7].s);
        ag_utf8_trim_tail(sw);
        c->software = gbt_arena_strndup(&c->arena, sw, strlen(sw));
    }
    const char *hint = chart_hint_of(opt(&f[4]), opt(&f[5]), c->year);
    if (hint)
        c->chart_hint = gbt_arena_strndup(&c->arena, hint, strlen(hint));
    if (f[10].n && !parse_structure(c, f[10].s, f[10].n)) {
        char where[160];
        snprintf(where, sizeof where, "%s:%lld:code_structure", t->name, (long long)t->line);
        if ((rc = gbt_note(
                 c, "dzzb_structure", where, err, "科目结构“%s”无法识别，科目级次由上级科目推算",
                 "code structure \"%s\" not understood; levels follow the parent codes", f[10].s)))
            return rc;
    }
    rc = gbt_text_next(t, &more, err);
    if (rc)
        return rc;
    if (more) {
        char where[160];
        snprintf(where, sizeof where, "%s:%lld", t->name, (long long)t->line);
        return gbt_note(c, "dzzb_extra_rows", where, err, "电子账簿文件有多行，只用第一行",
                        "DZZB.TXT has more than one row; only the first is used");
    }
    return AG_OK;
}

ag_err gbt_push_book(gbt_ctx *c, ag_error *err)
{
    if (!c->sink->book)
        return AG_OK;
    ledger_book_info b = {
        .unit_name = c->unit_name,
        .unit_code = c->unit_code,
        .fiscal_year = c->year ? c->year : (c->opts ? c->opts->default_year : 0),
        .currency = c->currency,
        .software = c->software,
        .chart_hint = c->chart_hint,
    };
    return c->sink->book(c->sink->ctx, &b, err);
}

/* ---- KJKM --------------------------------------------------------------- */

/* 余额方向: 借/贷, 1/-1, D/C, Dr/Cr, 借方/贷方, and 2 for 贷 (a common
 * internal code). 0 when not understood. */
static char side_of(const gbt_field *f)
{
    static const char *const d[] = {"借", "借方", "1",     "+1",    "D",    "d",
                                    "Dr", "DR",   "DEBIT", "Debit", "debit"};
    static const char *const cr[] = {"贷", "贷方", "-1",     "2",      "C",     "c",
                                     "Cr", "CR",   "CREDIT", "Credit", "credit"};
    for (size_t i = 0; i < sizeof d / sizeof d[0]; i++)
        if (f->n == strlen(d[i]) && !memcmp(f->s, d[i], f->n))
            return 'D';
    for (size_t i = 0; i < sizeof cr / sizeof cr[0]; i++)
        if (f->n == strlen(cr[i]) && !memcmp(f->s, cr[i], f->n))
            return 'C';
    return 0;
}

static void where_line(const gbt_text *t, char *out, size_t n)
{
    snprintf(out, n, "%s:%lld", t->name, (long long)t->line);
}

ag_err gbt_read_kjkm(gbt_ctx *c, gbt_text *t, ag_error *err)
{
    for (;;) {
        bool more = false;
        ag_err rc = gbt_text_next(t, &more, err);
        if (rc)
            return rc;
        if (!more)
            return AG_OK;
        const gbt_field *f = t->f;
        if (!f[0].n)
            return gbt_fail_at(t, 0, err, "科目编号为空", "the account code is empty");
        int64_t level = 0;
        bool given = false;
        if ((rc = gbt_int(t, 2, 1, 99, &level, &given, err)))
            return rc;
        char where[160];
        where_line(t, where, sizeof where);
        if (gbt_account_find(c, f[0].s) >= 0) {
            if ((rc = gbt_note(c, "kjkm_duplicate", where, err, "科目 %s 重复，只用第一次出现的",
                               "account %s appears twice; the first one is used", f[0].s)))
                return rc;
            continue;
        }
        gbt_account a = {0};
        a.side = side_of(&f[7]);
        if (!a.side && f[7].n &&
            (rc = gbt_note(c, "kjkm_side", where, err, "科目 %s 的余额方向“%s”无法识别",
                           "account %s: balance direction \"%s\" not understood", f[0].s, f[7].s)))
            return rc;
        a.code = keep(c, &f[0]);
        a.name = keep(c, &f[1]);
        a.class_name = keep(c, &f[5]);
        if (!a.code || (f[1].n && !a.name) || (f[5].n && !a.class_name))
            return nomem(err);
        a.level = (int)level;
        a.level_given = given;
        a.line = t->line;
        if ((rc = account_add(c, &a, err)))
            return rc;
    }
}

/* Code length for the structure test: separators like "1002.01" don't count. */
static size_t code_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (*s != '.' && *s != '-' && *s != ' ' && *s != '_')
            n++;
    return n;
}

typedef struct len_idx {
    size_t len;
    uint32_t idx;
} len_idx;

static int by_len(const void *a, const void *b)
{
    const len_idx *x = a, *y = b;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

ag_err gbt_push_accounts(gbt_ctx *c, ag_error *err)
{
    /* Parent: the longest other code that prefixes this one. */
    for (size_t i = 0; i < c->nacc; i++) {
        gbt_account *a = &c->acc[i];
        a->parent = NULL;
        if (a->level_given && a->level == 1)
            continue;
        for (size_t n = strlen(a->code); n-- > 1;) {
            long p = find_n(c, a->code, n);
            if (p >= 0) {
                a->parent = c->acc[p].code;
                break;
            }
        }
    }
    /* Levels the file leaves out: from 科目结构 when the code fits it, else one
     * below the parent, taking parents before children (shorter codes first). */
    len_idx *ord = malloc((c->nacc ? c->nacc : 1) * sizeof *ord);
    if (!ord)
        return nomem(err);
    for (size_t i = 0; i < c->nacc; i++) {
        ord[i].len = strlen(c->acc[i].code);
        ord[i].idx = (uint32_t)i;
    }
    qsort(ord, c->nacc, sizeof *ord, by_len);
    for (size_t k = 0; k < c->nacc; k++) {
        gbt_account *a = &c->acc[ord[k].idx];
        if (a->level_given)
            continue;
        a->level = 0;
        size_t len = code_len(a->code), cum = 0;
        for (int s = 0; s < c->nseg; s++) {
            cum += (size_t)c->seg[s];
            if (cum == len) {
                a->level = s + 1;
                break;
            }
        }
        if (!a->level) {
            long p = a->parent ? gbt_account_find(c, a->parent) : -1;
            a->level = p >= 0 ? c->acc[p].level + 1 : 1;
        }
    }
    free(ord);
    if (!c->sink->account)
        return AG_OK;
    for (size_t i = 0; i < c->nacc; i++) {
        const gbt_account *a = &c->acc[i];
        ledger_account la = {
            .code = a->code,
            .name = a->name,
            .level = a->level,
            .parent_code = a->parent,
            .normal_side = a->side,
            .class_name = a->class_name,
            .src_line = a->line,
        };
        ag_err rc = c->sink->account(c->sink->ctx, &la, err);
        if (rc)
            return rc;
    }
    return AG_OK;
}

/* ---- KMYE --------------------------------------------------------------- */

/* 会计期间: "1", "01", "202401" or "2024-01"; 0 is the year's opening. */
static ag_err kmye_period(const gbt_text *t, int *period, ag_error *err)
{
    const gbt_field *f = &t->f[15];
    const char *s = f->s;
    size_t n = f->n;
    if (!n)
        return gbt_fail_at(t, 15, err, "会计期间为空", "the accounting period is empty");
    int64_t v = 0;
    if (n == 6 && digits_only(s, 6)) {
        v = (s[4] - '0') * 10 + (s[5] - '0');
    } else if (n == 7 && digits_only(s, 4) && (s[4] == '-' || s[4] == '.' || s[4] == '/') &&
               digits_only(s + 5, 2)) {
        v = (s[5] - '0') * 10 + (s[6] - '0');
    } else {
        bool present = false;
        ag_err rc = gbt_int(t, 15, 0, 16, &v, &present, err);
        if (rc)
            return rc;
    }
    if (v < 0 || v > 16)
        return gbt_fail_at(t, 15, err, "会计期间超出 0–16", "the accounting period is not in 0-16");
    *period = (int)v;
    return AG_OK;
}

/* opening + debit - credit == closing (debit-positive, or a debit-normal
 * account signed by its side), or opening - debit + credit == closing (a
 * credit-normal account signed by its side). */
static bool continuous(int64_t o, int64_t d, int64_t cr, int64_t cl, bool credit_signed)
{
    int64_t x;
    if (credit_signed) {
        if (__builtin_sub_overflow(o, d, &x) || __builtin_add_overflow(x, cr, &x))
            return false;
    } else {
        if (__builtin_add_overflow(o, d, &x) || __builtin_sub_overflow(x, cr, &x))
            return false;
    }
    return x == cl;
}

ag_err gbt_read_kmye(gbt_ctx *c, gbt_text *t, ag_error *err)
{
    gbt_balance *v = NULL;
    size_t n = 0, cap = 0;
    int64_t discr = 0, holds_dp = 0, holds_ns = 0, aux_rows = 0;
    ag_err rc = AG_OK;
    while (gbt_text_more(t, &rc, err)) {
        const gbt_field *f = t->f;
        if (!f[0].n) {
            rc = gbt_fail_at(t, 0, err, "科目编号为空", "the account code is empty");
            goto out;
        }
        gbt_balance b = {0};
        char num[64];
        bool present;
        static const int money_fields[] = {3, 6, 9, 12};
        static const int dec_fields[] = {4, 5, 7, 8, 10, 11, 13, 14};
        int64_t *dst[] = {&b.opening, &b.debit, &b.credit, &b.closing};
        for (int k = 0; k < 4; k++)
            if ((rc = gbt_money(t, money_fields[k], dst[k], err)))
                goto out;
        for (int k = 0; k < 8; k++)
            if ((rc = gbt_decimal(t, dec_fields[k], num, sizeof num, &present, err)))
                goto out;
        if ((rc = kmye_period(t, &b.period, err)))
            goto out;
        b.line = t->line;
        long ai = gbt_account_find(c, f[0].s);
        char side = ai >= 0 ? c->acc[ai].side : 0;
        if (side == 'C' && b.debit != b.credit) {
            discr++;
            holds_dp += continuous(b.opening, b.debit, b.credit, b.closing, false);
            holds_ns += continuous(b.opening, b.debit, b.credit, b.closing, true);
        }
        if (f[2].n) {
            /* A balance per 辅助核算 item: the canonical balance has no such
             * dimension, so it only helps tell the sign convention. */
            aux_rows++;
            continue;
        }
        if ((uint64_t)n >= (uint64_t)LEDGER_MAX_ROWS) {
            rc = gbt_fail_at(t, -1, err, "余额行数超过上限", "too many balance rows");
            goto out;
        }
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 1024;
            gbt_balance *p = realloc(v, nc * sizeof *p);
            if (!p) {
                rc = nomem(err);
                goto out;
            }
            v = p;
            cap = nc;
        }
        b.code = gbt_arena_strndup(&c->arena, f[0].s, f[0].n);
        if (!b.code) {
            rc = nomem(err);
            goto out;
        }
        v[n++] = b;
    }
    if (rc)
        goto out;

    /* The convention that holds on more discriminating rows (credit-normal
     * accounts that moved) wins; a tie or no evidence means debit-positive. */
    bool normal_signed = holds_ns > holds_dp;
    if (n || aux_rows) {
        if (holds_ns != holds_dp) {
            rc = gbt_note(
                c, "kmye_sign", t->name, err,
                normal_signed
                    ? "科目余额按余额方向记正负（%lld 行可判别，%lld 行符合），已转为借方为正"
                    : "科目余额以借方为正（%lld 行可判别，%lld 行符合）",
                normal_signed ? "KMYE balances are signed by the normal side (%lld telling "
                                "rows, %lld fit); converted to debit-positive"
                              : "KMYE balances are debit-positive (%lld telling rows, %lld fit)",
                (long long)discr, (long long)(normal_signed ? holds_ns : holds_dp));
        } else if (!c->nacc) {
            rc = gbt_note(c, "kmye_sign", t->name, err,
                          "没有会计科目文件，无法判断科目余额的正负约定，按借方为正处理",
                          "no KJKM.TXT, so the KMYE sign convention cannot be told; taken as "
                          "debit-positive");
        } else {
            rc = gbt_note(c, "kmye_sign", t->name, err,
                          "无法判断科目余额的正负约定（%lld 行可判别，两种约定各符合 %lld "
                          "行），按借方为正处理",
                          "the KMYE sign convention cannot be told (%lld telling rows, %lld fit "
                          "either way); taken as debit-positive",
                          (long long)discr, (long long)holds_dp);
        }
        if (rc)
            goto out;
    }
    if (aux_rows &&
        (rc = gbt_note(c, "kmye_aux", t->name, err, "%lld 行辅助核算余额未导入（只导入科目级余额）",
                       "%lld balance rows per auxiliary item not passed on (account level only)",
                       (long long)aux_rows)))
        goto out;

    for (size_t i = 0; i < n; i++) {
        gbt_balance b = v[i];
        long ai = gbt_account_find(c, b.code);
        bool credit_signed = normal_signed && ai >= 0 && c->acc[ai].side == 'C';
        if (!continuous(b.opening, b.debit, b.credit, b.closing, credit_signed)) {
            char where[160], o[24], d[24], cr[24], cl[24];
            snprintf(where, sizeof where, "%s:%lld", t->name, (long long)b.line);
            ag_money_format(b.opening, o);
            ag_money_format(b.debit, d);
            ag_money_format(b.credit, cr);
            ag_money_format(b.closing, cl);
            rc = gbt_note(c, "kmye_continuity", where, err,
                          credit_signed ? "科目 %s 第 %d 期：期初 %s − 借方 %s + 贷方 %s ≠ 期末 %s"
                                        : "科目 %s 第 %d 期：期初 %s + 借方 %s − 贷方 %s ≠ 期末 %s",
                          credit_signed ? "account %s period %d: opening %s - debit %s + credit %s "
                                          "!= closing %s"
                                        : "account %s period %d: opening %s + debit %s - credit %s "
                                          "!= closing %s",
                          b.code, b.period, o, d, cr, cl);
            if (rc)
                goto out;
        }
        if (credit_signed) {
            b.opening = -b.opening;
            b.closing = -b.closing;
        }
        if (c->sink->balance) {
            ledger_balance lb = {b.code, b.period, b.opening, b.debit, b.credit, b.closing, b.line};
            if ((rc = c->sink->balance(c->sink->ctx, &lb, err)))
                goto out;
        }
    }
out:
    free(v);
    return rc;
}

/* ---- JZPZ --------------------------------------------------------------- */

static ag_err json_key(ag_buf *b, const char *key)
{
    ag_err rc = ag_buf_adds(b, b->len ? ",\"" : "{\"");
    if (!rc)
        rc = ag_buf_adds(b, key);
    if (!rc)
        rc = ag_buf_adds(b, "\":");
    return rc;
}

static ag_err json_str(ag_buf *b, const char *key, const char *s)
{
    ag_err rc = json_key(b, key);
    if (!rc)
        rc = ag_buf_addc(b, '"');
    for (; *s && !rc; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\') {
            rc = ag_buf_addc(b, '\\');
            if (!rc)
                rc = ag_buf_addc(b, (char)ch);
        } else if (ch < 0x20) {
            rc = ag_buf_printf(b, "\\u%04x", ch);
        } else {
            rc = ag_buf_addc(b, (char)ch);
        }
    }
    if (!rc)
        rc = ag_buf_addc(b, '"');
    return rc;
}

static bool dec_zero(const char *s)
{
    for (; *s && *s != 'e' && *s != 'E'; s++)
        if (*s >= '1' && *s <= '9')
            return false;
    return true;
}

ag_err gbt_read_jzpz(gbt_ctx *c, gbt_text *t, ag_error *err)
{
    const int year = c->year ? c->year : (c->opts ? c->opts->default_year : 0);
    const char *unit = c->opts ? c->opts->unit_code : NULL;
    const ledger_sink *s = c->sink;
    ag_buf js;
    ag_buf_init(&js, 4u * LEDGER_MAX_LINE_BYTES + 4096u);
    uint64_t next_progress = 1u << 20;
    ag_err rc = AG_OK;
    if (s->progress)
        s->progress(s->ctx, 0, t->src.total);
    while (gbt_text_more(t, &rc, err)) {
        const gbt_field *f = t->f;
        ledger_row r = {0};
        bool present = false;
        if ((rc = gbt_date(t, 0, &r.date, &present, err)))
            goto out;
        if (!present) {
            rc = gbt_fail_at(t, 0, err, "凭证日期为空", "the voucher date is empty");
            goto out;
        }
        if (!f[2].n) {
            rc = gbt_fail_at(t, 2, err, "凭证编号为空", "the voucher number is empty");
            goto out;
        }
        if (!f[5].n) {
            rc = gbt_fail_at(t, 5, err, "科目编号为空", "the account code is empty");
            goto out;
        }
        int64_t line_no = 0, attach = 0;
        if ((rc = gbt_int(t, 3, 0, 999999999, &line_no, &present, err)))
            goto out;
        if ((rc = gbt_money(t, 6, &r.debit, err)) || (rc = gbt_money(t, 7, &r.credit, err)))
            goto out;
        char fcd[64], fcc[64], rate[64], qty[64], price[64];
        bool p_fcd, p_fcc, p_rate, p_qty, p_price, p_bill, p_att;
        if ((rc = gbt_decimal(t, 9, fcd, sizeof fcd, &p_fcd, err)) ||
            (rc = gbt_decimal(t, 10, fcc, sizeof fcc, &p_fcc, err)) ||
            (rc = gbt_decimal(t, 11, rate, sizeof rate, &p_rate, err)) ||
            (rc = gbt_decimal(t, 12, qty, sizeof qty, &p_qty, err)) ||
            (rc = gbt_decimal(t, 13, price, sizeof price, &p_price, err)))
            goto out;
        int32_t bill_date = 0;
        if ((rc = gbt_date(t, 18, &bill_date, &p_bill, err)))
            goto out;
        if ((rc = gbt_int(t, 19, 0, 999999, &attach, &p_att, err)))
            goto out;
        if ((rc = gbt_flag(t, 24, &r.posted, err)) || (rc = gbt_flag(t, 25, &r.voided, err)))
            goto out;

        /* What the canonical row has no column for goes to extra_json. */
        ag_buf_reset(&js);
        ag_err jr = AG_OK;
        if (f[14].n)
            jr = json_str(&js, "aux", f[14].s);
        if (!jr && ((p_fcd && !dec_zero(fcd)) || (p_fcc && !dec_zero(fcc)))) {
            if (f[8].n)
                jr = json_str(&js, "currency", f[8].s);
            if (!jr && p_fcd)
                jr = json_str(&js, "fc_debit", fcd);
            if (!jr && p_fcc)
                jr = json_str(&js, "fc_credit", fcc);
            if (!jr && p_rate)
                jr = json_str(&js, "rate", rate);
        }
        if (!jr && ((p_qty && !dec_zero(qty)) || (p_price && !dec_zero(price)))) {
            if (p_qty)
                jr = json_str(&js, "qty", qty);
            if (!jr && p_price)
                jr = json_str(&js, "price", price);
        }
        if (!jr && f[16].n)
            jr = json_str(&js, "bill_type", f[16].s);
        if (!jr && p_bill) {
            char d[11];
            ag_date_format(bill_date, d);
            jr = json_str(&js, "bill_date", d);
        }
        if (!jr && attach > 0) {
            jr = json_key(&js, "attachments");
            if (!jr)
                jr = ag_buf_printf(&js, "%lld", (long long)attach);
        }
        if (!jr && js.len)
            jr = ag_buf_addc(&js, '}');
        if (jr) {
            rc = nomem(err);
            goto out;
        }

        long ai = gbt_account_find(c, f[5].s);
        r.unit_code = unit;
        r.fiscal_year = year;
        r.period = 0;
        r.voucher_type = opt(&f[1]);
        r.voucher_no = f[2].s;
        r.line_no = (int)line_no;
        r.summary = opt(&f[4]);
        r.account_code = f[5].s;
        r.account_name = ai >= 0 ? c->acc[ai].name : NULL;
        r.bill_no = opt(&f[17]);
        r.settle_type = opt(&f[15]);
        r.maker = opt(&f[20]);
        r.reviewer = opt(&f[21]);
        r.poster = opt(&f[22]);
        r.cashier = opt(&f[23]);
        r.extra_json = js.len ? js.data : NULL;
        r.src_line = t->line;
        if (c->rows >= LEDGER_MAX_ROWS) {
            rc = gbt_fail_at(t, -1, err, "凭证行数超过上限", "too many voucher lines");
            goto out;
        }
        if (s->row && (rc = s->row(s->ctx, &r, err)))
            goto out;
        c->rows++;
        if (s->progress && t->done >= next_progress) {
            s->progress(s->ctx, t->done, t->src.total);
            next_progress = t->done + (1u << 20);
        }
    }
    if (rc)
        goto out;
    if (s->progress)
        s->progress(s->ctx, t->done, t->src.total);
out:
    ag_buf_release(&js);
    return rc;
}
