/* snapshot.c - building the columnar snapshot from CSV files (in parallel) or from the store. */
#include "engine/snapshot.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ledger/csv.h"
#include "ledger/ledger.h"
#include "ledger/read.h"
#include "util/date.h"
#include "util/map.h"
#include "util/banned.h"

/* Columns a builder collects; text columns are dict ids. */
enum col {
    C_UNIT,
    C_YEAR,
    C_PERIOD,
    C_DATE,
    C_VTYPE,
    C_VNO,
    C_VNONUM,
    C_LINE,
    C_ACCOUNT,
    C_DEBIT,
    C_CREDIT,
    C_CPTY,
    C_DECISION,
    C_BILL,
    C_SETTLE,
    C_MAKER,
    C_REVIEWER,
    C_POSTER,
    C_CASHIER,
    C_POSTED,
    C_VOIDED,
    C_SOURCE,
    C_SRCLINE,
    C_SUMMARY,
    C_ACCNAME,
    C_DEPT,
    C_PROJECT,
    C_FUNC,
    C_ECON,
    C_FUND,
    NCOLS
};

static const unsigned char COL_SIZE[NCOLS] = {
    [C_UNIT] = 4,   [C_YEAR] = 2,     [C_PERIOD] = 1,   [C_DATE] = 4,    [C_VTYPE] = 4,
    [C_VNO] = 4,    [C_VNONUM] = 4,   [C_LINE] = 4,     [C_ACCOUNT] = 4, [C_DEBIT] = 8,
    [C_CREDIT] = 8, [C_CPTY] = 4,     [C_DECISION] = 4, [C_BILL] = 4,    [C_SETTLE] = 4,
    [C_MAKER] = 4,  [C_REVIEWER] = 4, [C_POSTER] = 4,   [C_CASHIER] = 4, [C_POSTED] = 1,
    [C_VOIDED] = 1, [C_SOURCE] = 4,   [C_SRCLINE] = 4,  [C_SUMMARY] = 4, [C_ACCNAME] = 4,
    [C_DEPT] = 4,   [C_PROJECT] = 4,  [C_FUNC] = 4,     [C_ECON] = 4,    [C_FUND] = 4,
};

/* Text columns (dict ids to remap when builders merge). */
static const enum col TEXT_COLS[] = {C_UNIT,     C_VTYPE,   C_VNO,     C_ACCOUNT, C_CPTY,
                                     C_DECISION, C_BILL,    C_SETTLE,  C_MAKER,   C_REVIEWER,
                                     C_POSTER,   C_CASHIER, C_SUMMARY, C_ACCNAME, C_DEPT,
                                     C_PROJECT,  C_FUNC,    C_ECON,    C_FUND};
#define NTEXT (sizeof TEXT_COLS / sizeof TEXT_COLS[0])

/* Optional column of each ENG_OPT bit. */
static const struct {
    unsigned bit;
    enum col col;
} OPTIONAL[] = {{ENG_OPT_SUMMARY, C_SUMMARY}, {ENG_OPT_ACCOUNT_NAME, C_ACCNAME},
                {ENG_OPT_DEPT, C_DEPT},       {ENG_OPT_PROJECT, C_PROJECT},
                {ENG_OPT_FUNC_CLASS, C_FUNC}, {ENG_OPT_ECON_CLASS, C_ECON},
                {ENG_OPT_FUND_TYPE, C_FUND}};

/* The last text interned per column: consecutive rows often repeat a value
 * (the unit, the voucher type, the maker of a voucher), so a memcmp saves a
 * hash lookup. */
typedef struct last_val {
    char buf[64];
    size_t len;
    uint32_t id;
    bool valid;
} last_val;

/* Rows of one file (or of the store), before merging. */
typedef struct builder {
    size_t n, cap;
    void *col[NCOLS];
    unsigned optional;
    eng_dict *dict;
    last_val last[NCOLS];
    uint32_t source;
    ag_error err;
    ag_err rc;
} builder;

static ag_err oom(ag_error *err)
{
    return ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
}

static bool col_wanted(const builder *b, enum col c)
{
    for (size_t i = 0; i < sizeof OPTIONAL / sizeof OPTIONAL[0]; i++)
        if (OPTIONAL[i].col == c)
            return (b->optional & OPTIONAL[i].bit) != 0;
    return true;
}

static void builder_release(builder *b)
{
    for (int c = 0; c < NCOLS; c++) {
        free(b->col[c]);
        b->col[c] = NULL;
    }
    eng_dict_free(b->dict);
    b->dict = NULL;
}

static ag_err builder_init(builder *b, unsigned optional, uint32_t source)
{
    memset(b, 0, sizeof *b);
    b->optional = optional;
    b->source = source;
    b->dict = eng_dict_new();
    return b->dict ? AG_OK : AG_ERR_NOMEM;
}

static bool builder_grow(builder *b)
{
    if (b->n < b->cap)
        return true;
    size_t cap = b->cap ? b->cap * 2 : 65536;
    for (int c = 0; c < NCOLS; c++) {
        if (!col_wanted(b, (enum col)c))
            continue;
        void *p = realloc(b->col[c], cap * COL_SIZE[c]);
        if (!p)
            return false;
        b->col[c] = p;
    }
    b->cap = cap;
    return true;
}

static uint32_t intern(builder *b, enum col c, const char *s)
{
    if (!s || !*s)
        return 0;
    size_t len = strlen(s);
    last_val *lv = &b->last[c];
    if (lv->valid && lv->len == len && memcmp(lv->buf, s, len) == 0)
        return lv->id;
    uint32_t id = eng_dict_intern(b->dict, s, len);
    if (len <= sizeof lv->buf && id != UINT32_MAX) {
        memcpy(lv->buf, s, len);
        lv->len = len;
        lv->id = id;
        lv->valid = true;
    }
    return id;
}

#define SET(b, c, type, v) (((type *)(b)->col[c])[(b)->n] = (type)(v))

static int32_t vno_number(const char *s)
{
    if (!s || !*s)
        return -1;
    int64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > 100000000)
            return -1;
        v = v * 10 + (*s - '0');
    }
    return (int32_t)v;
}

static ag_err builder_add(builder *b, const ledger_row *r, const char *unit_default)
{
    if (!builder_grow(b))
        return AG_ERR_NOMEM;
    const char *unit = r->unit_code && *r->unit_code ? r->unit_code : unit_default;
    ag_date d = ag_date_from_days(r->date);
    uint32_t ids[NTEXT];
    const char *texts[NTEXT] = {unit,
                                r->voucher_type && *r->voucher_type ? r->voucher_type : "记",
                                r->voucher_no,
                                r->account_code,
                                r->counterparty,
                                r->decision_ref,
                                r->bill_no,
                                r->settle_type,
                                r->maker,
                                r->reviewer,
                                r->poster,
                                r->cashier,
                                r->summary,
                                r->account_name,
                                r->dept,
                                r->project,
                                r->func_class,
                                r->econ_class,
                                r->fund_type};
    for (size_t i = 0; i < NTEXT; i++) {
        ids[i] = 0;
        if (!col_wanted(b, TEXT_COLS[i]))
            continue;
        ids[i] = intern(b, TEXT_COLS[i], texts[i]);
        if (ids[i] == UINT32_MAX)
            return AG_ERR_NOMEM;
        SET(b, TEXT_COLS[i], uint32_t, ids[i]);
    }
    SET(b, C_YEAR, int16_t, r->fiscal_year ? r->fiscal_year : d.year);
    SET(b, C_PERIOD, int8_t, r->period ? r->period : d.month);
    SET(b, C_DATE, int32_t, r->date);
    SET(b, C_VNONUM, int32_t, vno_number(r->voucher_no));
    SET(b, C_LINE, int32_t, r->line_no);
    SET(b, C_DEBIT, int64_t, r->debit);
    SET(b, C_CREDIT, int64_t, r->credit);
    SET(b, C_POSTED, int8_t, r->posted);
    SET(b, C_VOIDED, int8_t, r->voided);
    SET(b, C_SOURCE, uint32_t, b->source);
    SET(b, C_SRCLINE, uint32_t, r->src_line > UINT32_MAX ? UINT32_MAX : r->src_line);
    b->n++;
    return AG_OK;
}

/* ---- loading CSV files ---------------------------------------------------- */

typedef struct csv_job {
    const char *path;
    builder b;
    const eng_load_opts *o;
} csv_job;

typedef struct loader {
    csv_job *jobs;
    size_t njobs;
    size_t next;
    pthread_mutex_t mu;
    size_t done;
    bool progress;
} loader;

static ag_err csv_row(void *ctx, const ledger_row *r, ag_error *err)
{
    csv_job *j = ctx;
    if (builder_add(&j->b, r, j->o->unit) != AG_OK)
        return oom(err);
    return AG_OK;
}

static void *load_worker(void *arg)
{
    loader *l = arg;
    for (;;) {
        pthread_mutex_lock(&l->mu);
        size_t i = l->next++;
        pthread_mutex_unlock(&l->mu);
        if (i >= l->njobs)
            break;
        csv_job *j = &l->jobs[i];
        ag_error_clear(&j->b.err);
        ledger_sink sink = {j, NULL, NULL, NULL, csv_row, NULL, NULL};
        ledger_csv_opts co = {j->o->unit, 0, true};
        j->b.rc = ledger_read_csv(j->path, &co, &sink, NULL, &j->b.err);
        pthread_mutex_lock(&l->mu);
        l->done++;
        if (l->progress)
            fprintf(stderr, "\r读取 loading %zu/%zu 文件 files", l->done, l->njobs);
        pthread_mutex_unlock(&l->mu);
    }
    return NULL;
}

static int default_threads(int want)
{
    if (want > 0)
        return want > 64 ? 64 : want;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

/* ---- merging builders into the snapshot ----------------------------------- */

static eng_snapshot *snapshot_alloc(size_t rows, unsigned optional)
{
    eng_snapshot *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->rows = rows;
    s->optional = optional;
    size_t n = rows ? rows : 1;
#define ALLOC(f) ((s->f = malloc(n * sizeof *s->f)) != NULL)
    bool ok = ALLOC(unit) && ALLOC(year) && ALLOC(period) && ALLOC(date) && ALLOC(vtype) &&
              ALLOC(vno) && ALLOC(vno_num) && ALLOC(line_no) && ALLOC(account) && ALLOC(debit) &&
              ALLOC(credit) && ALLOC(counterparty) && ALLOC(decision_ref) && ALLOC(bill_no) &&
              ALLOC(settle_type) && ALLOC(maker) && ALLOC(reviewer) && ALLOC(poster) &&
              ALLOC(cashier) && ALLOC(posted) && ALLOC(voided) && ALLOC(flags) && ALLOC(voucher) &&
              ALLOC(source) && ALLOC(src_line);
    if (ok && (optional & ENG_OPT_SUMMARY))
        ok = ALLOC(summary);
    if (ok && (optional & ENG_OPT_ACCOUNT_NAME))
        ok = ALLOC(account_name);
    if (ok && (optional & ENG_OPT_DEPT))
        ok = ALLOC(dept);
    if (ok && (optional & ENG_OPT_PROJECT))
        ok = ALLOC(project);
    if (ok && (optional & ENG_OPT_FUNC_CLASS))
        ok = ALLOC(func_class);
    if (ok && (optional & ENG_OPT_ECON_CLASS))
        ok = ALLOC(econ_class);
    if (ok && (optional & ENG_OPT_FUND_TYPE))
        ok = ALLOC(fund_type);
#undef ALLOC
    if (!ok) {
        eng_snapshot_free(s);
        return NULL;
    }
    return s;
}

/* The snapshot's destination array for a builder column. */
static void *dest_of(eng_snapshot *s, enum col c)
{
    switch (c) {
    case C_UNIT:
        return s->unit;
    case C_YEAR:
        return s->year;
    case C_PERIOD:
        return s->period;
    case C_DATE:
        return s->date;
    case C_VTYPE:
        return s->vtype;
    case C_VNO:
        return s->vno;
    case C_VNONUM:
        return s->vno_num;
    case C_LINE:
        return s->line_no;
    case C_ACCOUNT:
        return s->account;
    case C_DEBIT:
        return s->debit;
    case C_CREDIT:
        return s->credit;
    case C_CPTY:
        return s->counterparty;
    case C_DECISION:
        return s->decision_ref;
    case C_BILL:
        return s->bill_no;
    case C_SETTLE:
        return s->settle_type;
    case C_MAKER:
        return s->maker;
    case C_REVIEWER:
        return s->reviewer;
    case C_POSTER:
        return s->poster;
    case C_CASHIER:
        return s->cashier;
    case C_POSTED:
        return s->posted;
    case C_VOIDED:
        return s->voided;
    case C_SOURCE:
        return s->source;
    case C_SRCLINE:
        return s->src_line;
    case C_SUMMARY:
        return s->summary;
    case C_ACCNAME:
        return s->account_name;
    case C_DEPT:
        return s->dept;
    case C_PROJECT:
        return s->project;
    case C_FUNC:
        return s->func_class;
    case C_ECON:
        return s->econ_class;
    case C_FUND:
        return s->fund_type;
    default:
        return NULL;
    }
}

/* Chart of a unit code: enterprises (registration authority 9) keep the
 * enterprise chart, everyone else the government one. */
static const chart_profile *chart_for_code(const char *code)
{
    return chart_profile_get(code && code[0] == '9' ? "enterprise" : "gov2019");
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Merges builders (in order) into one snapshot: one dictionary, rows grouped
 * by unit in order of first appearance, file order within a unit. Frees
 * each builder as soon as it is copied. `charts` (may be NULL) names each
 * unit code's chart profile. */
static ag_err merge(builder *bs, size_t nb, unsigned optional, eng_snapshot **out, ag_error *err)
{
    size_t rows = 0;
    for (size_t i = 0; i < nb; i++)
        rows += bs[i].n;
    if (rows > UINT32_MAX - 1)
        return ag_fail(err, AG_ERR_NOMEM, NULL, "快照超过 %u 行",
                       "a snapshot holds at most %u rows", UINT32_MAX - 1);
    eng_snapshot *s = snapshot_alloc(rows, optional);
    if (!s || !(s->dict = eng_dict_new()))
        goto nomem;
    /* Global ids for each builder's dictionary, and the units. */
    uint32_t **remap = calloc(nb ? nb : 1, sizeof *remap);
    ag_map *unit_ix = ag_map_new(sizeof(uint32_t)); /* global dict id -> unit index */
    if (!remap || !unit_ix) {
        free(remap);
        ag_map_free(unit_ix);
        goto nomem;
    }
    size_t *unit_count = NULL, nunits = 0, cap_units = 0;
    ag_err rc = AG_OK;
    for (size_t i = 0; !rc && i < nb; i++) {
        uint32_t nd = eng_dict_count(bs[i].dict);
        remap[i] = malloc((size_t)nd * sizeof **remap);
        if (!remap[i]) {
            rc = AG_ERR_NOMEM;
            break;
        }
        for (uint32_t k = 0; k < nd; k++) {
            remap[i][k] =
                eng_dict_intern(s->dict, eng_dict_str(bs[i].dict, k), eng_dict_len(bs[i].dict, k));
            if (remap[i][k] == UINT32_MAX)
                rc = AG_ERR_NOMEM;
        }
        const uint32_t *u = bs[i].col[C_UNIT];
        for (size_t r = 0; !rc && r < bs[i].n; r++) {
            uint32_t g = remap[i][u[r]];
            bool created;
            uint32_t *ix = ag_map_put(unit_ix, &g, sizeof g, &created);
            if (!ix) {
                rc = AG_ERR_NOMEM;
                break;
            }
            if (created) {
                if (nunits == cap_units) {
                    cap_units = cap_units ? cap_units * 2 : 64;
                    size_t *p = realloc(unit_count, cap_units * sizeof *p);
                    if (!p) {
                        rc = AG_ERR_NOMEM;
                        break;
                    }
                    unit_count = p;
                }
                unit_count[nunits] = 0;
                *ix = (uint32_t)nunits++;
            }
            unit_count[*ix]++;
        }
    }
    if (!rc) {
        s->nunits = nunits;
        s->units = calloc(nunits ? nunits : 1, sizeof *s->units);
        s->unit_first = calloc(nunits + 1, sizeof *s->unit_first);
        if (!s->units || !s->unit_first)
            rc = AG_ERR_NOMEM;
    }
    size_t *pos = NULL;
    if (!rc) {
        pos = malloc((nunits ? nunits : 1) * sizeof *pos);
        if (!pos)
            rc = AG_ERR_NOMEM;
    }
    if (!rc) {
        for (size_t u = 0; u < nunits; u++) {
            s->unit_first[u + 1] = s->unit_first[u] + unit_count[u];
            pos[u] = s->unit_first[u];
        }
        for (size_t e = 0; e < ag_map_count(unit_ix); e++) {
            const char *key;
            size_t klen;
            void *val;
            ag_map_entry(unit_ix, e, &key, &klen, &val);
            uint32_t code;
            memcpy(&code, key, sizeof code);
            eng_unit *un = &s->units[*(uint32_t *)val];
            un->code = code;
            un->chart = chart_for_code(eng_dict_str(s->dict, code));
        }
    }
    /* Scatter each builder's rows to their unit's slots, column by column:
     * first the destination of every row, then one tight loop per column
     * (a builder of one unit, the usual case, is a block copy). */
    size_t *dst = NULL;
    for (size_t i = 0; !rc && i < nb; i++) {
        builder *b = &bs[i];
        const uint32_t *u = b->col[C_UNIT];
        size_t *d2 = realloc(dst, (b->n ? b->n : 1) * sizeof *dst);
        if (!d2) {
            rc = AG_ERR_NOMEM;
            break;
        }
        dst = d2;
        bool contiguous = true;
        for (size_t r = 0; r < b->n; r++) {
            uint32_t g = remap[i][u[r]];
            uint32_t ux = *(uint32_t *)ag_map_get(unit_ix, &g, sizeof g);
            dst[r] = pos[ux]++;
            s->unit[dst[r]] = ux;
            contiguous = contiguous && (r == 0 || dst[r] == dst[r - 1] + 1);
        }
        for (int c = 1; c < NCOLS; c++) {
            char *d = dest_of(s, (enum col)c);
            const char *src = b->col[c];
            size_t w = COL_SIZE[c];
            if (!d || !src || b->n == 0)
                continue;
            if (contiguous)
                memcpy(d + dst[0] * w, src, b->n * w);
            else
                for (size_t r = 0; r < b->n; r++)
                    memcpy(d + dst[r] * w, src + r * w, w);
        }
        for (size_t t = 1; t < NTEXT; t++) {
            uint32_t *d = dest_of(s, TEXT_COLS[t]);
            if (!d || !b->col[TEXT_COLS[t]])
                continue;
            const uint32_t *map = remap[i];
            for (size_t r = 0; r < b->n; r++)
                d[dst[r]] = map[d[dst[r]]];
        }
        builder_release(b);
    }
    free(dst);
    for (size_t i = 0; i < nb; i++)
        free(remap[i]);
    free(remap);
    free(pos);
    free(unit_count);
    ag_map_free(unit_ix);
    if (rc) {
        eng_snapshot_free(s);
        return rc == AG_ERR_NOMEM ? oom(err) : rc;
    }
    *out = s;
    return AG_OK;
nomem:
    eng_snapshot_free(s);
    return oom(err);
}

/* Voucher ids (unit, year, period, type, number), rows grouped by voucher,
 * and the per-row flags from each unit's chart. */
static ag_err finish(eng_snapshot *s, ag_error *err)
{
    typedef struct vkey {
        uint32_t unit, vtype, vno;
        int16_t year;
        int8_t period, pad;
    } vkey;
    ag_map *vm = ag_map_new(sizeof(uint32_t));
    uint32_t *counts = NULL;
    size_t cap = 0;
    ag_err rc = vm ? AG_OK : AG_ERR_NOMEM;
    vkey prev;
    memset(&prev, 0, sizeof prev);
    uint32_t prev_id = UINT32_MAX;
    for (size_t r = 0; !rc && r < s->rows; r++) {
        vkey k;
        memset(&k, 0, sizeof k);
        k.unit = s->unit[r];
        k.vtype = s->vtype[r];
        k.vno = s->vno[r];
        k.year = s->year[r];
        k.period = s->period[r];
        if (prev_id != UINT32_MAX && memcmp(&k, &prev, sizeof k) == 0) {
            s->voucher[r] = prev_id;
            counts[prev_id]++;
            continue;
        }
        bool created;
        uint32_t *id = ag_map_put(vm, &k, sizeof k, &created);
        if (!id) {
            rc = AG_ERR_NOMEM;
            break;
        }
        if (created) {
            *id = (uint32_t)(ag_map_count(vm) - 1);
            if (*id >= cap) {
                cap = cap ? cap * 2 : 65536;
                uint32_t *p = realloc(counts, cap * sizeof *p);
                if (!p) {
                    rc = AG_ERR_NOMEM;
                    break;
                }
                counts = p;
            }
            counts[*id] = 0;
        }
        s->voucher[r] = *id;
        counts[*id]++;
        prev = k;
        prev_id = *id;
    }
    size_t nv = vm ? ag_map_count(vm) : 0;
    ag_map_free(vm);
    if (!rc) {
        s->nvouchers = nv;
        s->vouchers = malloc((nv ? nv : 1) * sizeof *s->vouchers);
        s->voucher_rows = malloc((s->rows ? s->rows : 1) * sizeof *s->voucher_rows);
        if (!s->vouchers || !s->voucher_rows)
            rc = AG_ERR_NOMEM;
    }
    if (!rc) {
        uint32_t at = 0;
        for (size_t v = 0; v < nv; v++) {
            s->vouchers[v].first = at;
            s->vouchers[v].nrows = 0;
            at += counts[v];
        }
        for (size_t r = 0; r < s->rows; r++) {
            eng_voucher *v = &s->vouchers[s->voucher[r]];
            s->voucher_rows[v->first + v->nrows++] = (uint32_t)r;
        }
    }
    free(counts);
    if (rc)
        return oom(err);

    /* Flags, with the account roles looked up once per (chart, account). */
    uint32_t nd = eng_dict_count(s->dict);
    uint8_t *roles[2] = {malloc(nd), malloc(nd)};
    if (!roles[0] || !roles[1]) {
        free(roles[0]);
        free(roles[1]);
        return oom(err);
    }
    memset(roles[0], 0xFF, nd);
    memset(roles[1], 0xFF, nd);
    uint32_t cash_settle = eng_dict_find(s->dict, "现金", strlen("现金"));
    for (size_t u = 0; u < s->nunits; u++) {
        const chart_profile *ch = s->units[u].chart;
        int ci = strcmp(ch->id, "enterprise") == 0;
        for (size_t r = s->unit_first[u]; r < s->unit_first[u + 1]; r++) {
            uint32_t a = s->account[r];
            if (roles[ci][a] == 0xFF)
                roles[ci][a] = (uint8_t)chart_roles(ch, eng_dict_str(s->dict, a));
            unsigned ro = roles[ci][a];
            uint8_t f = 0;
            if (s->credit[r] > 0 && (ro & (CHART_ROLE_CASH | CHART_ROLE_BANK))) {
                f |= ENG_F_PAYMENT;
                if ((ro & CHART_ROLE_CASH) || s->settle_type[r] == cash_settle)
                    f |= ENG_F_CASH;
            }
            if (ro & CHART_ROLE_EXPENSE)
                f |= ENG_F_EXPENSE;
            if (ro & CHART_ROLE_OTHER_RECEIVABLE)
                f |= ENG_F_OTHER_RCV;
            if (s->voided[r] == 1)
                f |= ENG_F_VOID;
            s->flags[r] = f;
        }
    }
    free(roles[0]);
    free(roles[1]);
    return AG_OK;
}

/* Reads a staff list CSV (unit_code,name[,...]; header row) into the units. */
static ag_err load_staff(eng_snapshot *s, const char *path, ag_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return ag_fail(err, AG_ERR_IO, path, "无法读取职工名单文件", "cannot read the staff file");
    char line[1024];
    int64_t ln = 0;
    ag_err rc = AG_OK;
    while (!rc && fgets(line, sizeof line, f)) {
        ln++;
        if (ln == 1)
            continue;
        line[strcspn(line, "\r\n")] = '\0';
        char *comma = strchr(line, ',');
        if (!comma)
            continue;
        *comma = '\0';
        char *name = comma + 1;
        char *end = strchr(name, ',');
        if (end)
            *end = '\0';
        uint32_t code = eng_dict_find(s->dict, line, strlen(line));
        if (code == UINT32_MAX || !*name)
            continue;
        for (size_t u = 0; u < s->nunits; u++) {
            if (s->units[u].code != code)
                continue;
            uint32_t id = eng_dict_intern(s->dict, name, strlen(name));
            uint32_t *p = realloc(s->units[u].staff, (s->units[u].nstaff + 1) * sizeof *p);
            if (id == UINT32_MAX || !p) {
                free(p == s->units[u].staff ? NULL : p);
                rc = oom(err);
                break;
            }
            p[s->units[u].nstaff++] = id;
            s->units[u].staff = p;
        }
    }
    fclose(f);
    for (size_t u = 0; u < s->nunits; u++)
        if (s->units[u].nstaff)
            qsort(s->units[u].staff, s->units[u].nstaff, sizeof(uint32_t), cmp_u32);
    return rc;
}

bool eng_unit_has_staff(const eng_unit *u, uint32_t name)
{
    size_t lo = 0, hi = u->nstaff;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (u->staff[mid] == name)
            return true;
        if (u->staff[mid] < name)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

ag_err eng_snapshot_from_csv(const char *const *paths, size_t npaths, const char *staff_csv,
                             const eng_load_opts *o, eng_snapshot **out, ag_error *err)
{
    *out = NULL;
    loader l;
    memset(&l, 0, sizeof l);
    l.jobs = calloc(npaths ? npaths : 1, sizeof *l.jobs);
    if (!l.jobs)
        return oom(err);
    l.njobs = npaths;
    l.progress = o->progress;
    ag_err rc = AG_OK;
    for (size_t i = 0; !rc && i < npaths; i++) {
        l.jobs[i].path = paths[i];
        l.jobs[i].o = o;
        if (builder_init(&l.jobs[i].b, o->optional, (uint32_t)i))
            rc = oom(err);
    }
    pthread_mutex_init(&l.mu, NULL);
    int nt = default_threads(o->threads);
    if ((size_t)nt > npaths)
        nt = (int)(npaths ? npaths : 1);
    pthread_t th[64];
    int started = 0;
    for (int t = 1; !rc && t < nt; t++)
        if (pthread_create(&th[started], NULL, load_worker, &l) == 0)
            started++;
    if (!rc)
        load_worker(&l);
    for (int t = 0; t < started; t++)
        pthread_join(th[t], NULL);
    pthread_mutex_destroy(&l.mu);
    if (o->progress && npaths)
        fprintf(stderr, "\n");
    /* The first failing file (in argument order) decides the error. */
    for (size_t i = 0; !rc && i < npaths; i++)
        if (l.jobs[i].b.rc) {
            rc = l.jobs[i].b.rc;
            if (err)
                *err = l.jobs[i].b.err;
        }
    builder *bs = NULL;
    if (!rc) {
        bs = malloc((npaths ? npaths : 1) * sizeof *bs);
        if (!bs)
            rc = oom(err);
    }
    eng_snapshot *s = NULL;
    if (!rc) {
        for (size_t i = 0; i < npaths; i++)
            bs[i] = l.jobs[i].b;
        rc = merge(bs, npaths, o->optional, &s, err);
    } else {
        for (size_t i = 0; i < npaths; i++)
            builder_release(&l.jobs[i].b);
    }
    free(bs);
    free(l.jobs);
    if (!rc) {
        s->sources = calloc(npaths ? npaths : 1, sizeof *s->sources);
        s->nsources = npaths;
        for (size_t i = 0; s->sources && i < npaths; i++) {
            const char *base = strrchr(paths[i], '/');
            s->sources[i] = strdup(base ? base + 1 : paths[i]);
        }
        rc = finish(s, err);
    }
    if (!rc && staff_csv)
        rc = load_staff(s, staff_csv, err);
    if (rc) {
        eng_snapshot_free(s);
        return rc;
    }
    *out = s;
    return AG_OK;
}

/* ---- loading from the store -------------------------------------------------- */

/* The walk over the stored lines: the builder, and the import sources seen
 * so far (store id -> the snapshot's source index). */
typedef struct store_load {
    builder b;
    ag_map *srcmap;
    int64_t *src_ids;
    size_t nsrc;
} store_load;

static ag_err store_line(void *ctx, const ledger_row *r, int64_t sid, ag_error *err)
{
    store_load *l = ctx;
    bool created;
    uint32_t *ix = l->srcmap ? ag_map_put(l->srcmap, &sid, sizeof sid, &created) : NULL;
    if (!ix)
        return oom(err);
    if (created) {
        int64_t *p = realloc(l->src_ids, (l->nsrc + 1) * sizeof *p);
        if (!p)
            return oom(err);
        l->src_ids = p;
        l->src_ids[l->nsrc] = sid;
        *ix = (uint32_t)l->nsrc++;
    }
    l->b.source = *ix;
    return builder_add(&l->b, r, NULL) ? oom(err) : AG_OK;
}

/* Adds one name to a unit's staff list. */
static ag_err store_staff(void *ctx, const char *name, ag_error *err)
{
    void **c = ctx;
    eng_snapshot *s = c[0];
    eng_unit *u = c[1];
    uint32_t id = eng_dict_intern(s->dict, name, strlen(name));
    if (id == UINT32_MAX)
        return oom(err);
    uint32_t *arr = realloc(u->staff, (u->nstaff + 1) * sizeof *arr);
    if (!arr)
        return oom(err);
    arr[u->nstaff++] = id;
    u->staff = arr;
    return AG_OK;
}

ag_err eng_snapshot_from_store(ag_store *st, const char *unit_code, int year,
                               const eng_load_opts *o, eng_snapshot **out, ag_error *err)
{
    *out = NULL;
    store_load l = {.srcmap = ag_map_new(sizeof(uint32_t))};
    if (builder_init(&l.b, o->optional, 0)) {
        ag_map_free(l.srcmap);
        return oom(err);
    }
    ag_err rc = ledger_read_lines(st, unit_code, year, store_line, &l, err);
    ag_map_free(l.srcmap);
    eng_snapshot *s = NULL;
    if (!rc)
        rc = merge(&l.b, 1, o->optional, &s, err);
    else
        builder_release(&l.b);
    if (!rc) {
        s->sources = calloc(l.nsrc ? l.nsrc : 1, sizeof *s->sources);
        s->nsources = l.nsrc;
        if (!s->sources)
            rc = oom(err);
        for (size_t i = 0; !rc && i < l.nsrc; i++) {
            char name[256];
            if (ledger_read_source_name(st, l.src_ids[i], name, sizeof name, NULL))
                snprintf(name, sizeof name, "%lld", (long long)l.src_ids[i]);
            s->sources[i] = strdup(name);
            if (!s->sources[i])
                rc = oom(err);
        }
        /* Charts from the books, staff from the units' persons. */
        for (size_t u = 0; !rc && u < s->nunits; u++) {
            const char *code = eng_dict_str(s->dict, s->units[u].code);
            char profile[64];
            rc = ledger_read_chart_profile(st, code, profile, sizeof profile, err);
            if (!rc && *profile) {
                const chart_profile *ch = chart_profile_get(profile);
                if (ch)
                    s->units[u].chart = ch;
            }
            void *c[2] = {s, &s->units[u]};
            if (!rc)
                rc = ledger_read_staff(st, code, store_staff, c, err);
            if (s->units[u].nstaff)
                qsort(s->units[u].staff, s->units[u].nstaff, sizeof(uint32_t), cmp_u32);
        }
        if (!rc)
            rc = finish(s, err);
    }
    free(l.src_ids);
    if (rc) {
        eng_snapshot_free(s);
        return rc;
    }
    *out = s;
    return AG_OK;
}

void eng_snapshot_free(eng_snapshot *s)
{
    if (!s)
        return;
    void *arrays[] = {
        s->unit,       s->year,         s->period,       s->date,     s->vtype,
        s->vno,        s->vno_num,      s->line_no,      s->account,  s->debit,
        s->credit,     s->counterparty, s->decision_ref, s->bill_no,  s->settle_type,
        s->maker,      s->reviewer,     s->poster,       s->cashier,  s->posted,
        s->voided,     s->flags,        s->voucher,      s->source,   s->src_line,
        s->summary,    s->account_name, s->dept,         s->project,  s->func_class,
        s->econ_class, s->fund_type,    s->unit_first,   s->vouchers, s->voucher_rows};
    for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++)
        free(arrays[i]);
    for (size_t u = 0; s->units && u < s->nunits; u++)
        free(s->units[u].staff);
    free(s->units);
    for (size_t i = 0; s->sources && i < s->nsources; i++)
        free(s->sources[i]);
    free(s->sources);
    eng_dict_free(s->dict);
    free(s);
}
