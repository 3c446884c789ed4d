/* gbt19581.c - finding a GB/T 19581 set in a folder, a zip or memory, and reading it in order. */
#include "ledger/gbt19581.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <zip.h>

#include "ledger/gbt19581_internal.h"
#include "util/hash.h"

#include "util/banned.h"

static const char *const kind_names[LEDGER_GBT_NKINDS] = {"DZZB.TXT", "GSSM.TXT", "JZPZ.TXT",
                                                          "KJKM.TXT", "KMYE.TXT"};

#define GBT_MAX_IGNORED 64 /* names kept for notes; the rest are counted */

int ledger_gbt_kind_of(const char *name)
{
    if (!name)
        return -1;
    const char *b = name;
    for (const char *p = name; *p; p++)
        if (*p == '/' || *p == '\\')
            b = p + 1;
    for (int k = 0; k < LEDGER_GBT_NKINDS; k++)
        if (!strcasecmp(b, kind_names[k]))
            return k;
    return -1;
}

const char *ledger_gbt_kind_name(ledger_gbt_kind kind)
{
    return (unsigned)kind < LEDGER_GBT_NKINDS ? kind_names[kind] : "";
}

/* ---- a set of files ----------------------------------------------------- */

enum { SET_MEM, SET_DIR, SET_ZIP };

typedef struct gbt_file {
    bool present;
    char name[256]; /* as found: folder entry name or zip entry name */
    char *path;     /* folder: full path (owned) */
    zip_uint64_t index;
    uint64_t size;
    const void *data; /* memory */
} gbt_file;

typedef struct gbt_set {
    int type;
    const char *path;
    zip_t *zip;
    gbt_file f[LEDGER_GBT_NKINDS];
    char ignored[GBT_MAX_IGNORED][256];
    unsigned nignored, nignored_total;
    uint64_t max_entry, max_total;
    uint32_t max_ratio, max_entries;
} gbt_set;

static void set_limits(gbt_set *s, const ledger_gbt_opts *o)
{
    s->max_entry = o && o->max_entry_bytes ? o->max_entry_bytes : LEDGER_MAX_FILE_BYTES;
    s->max_total = o && o->max_total_bytes ? o->max_total_bytes : LEDGER_GBT_MAX_TOTAL_BYTES;
    s->max_ratio = o && o->max_ratio ? o->max_ratio : LEDGER_GBT_MAX_RATIO;
    s->max_entries = o && o->max_entries ? o->max_entries : LEDGER_GBT_MAX_ENTRIES;
}

static void set_release(gbt_set *s)
{
    for (int k = 0; k < LEDGER_GBT_NKINDS; k++)
        free(s->f[k].path);
    if (s->zip)
        zip_discard(s->zip);
    s->zip = NULL;
}

/* Copies a name for notes, replacing bytes that are not UTF-8 (a folder on
 * Linux may hold GBK names) so that notes stay valid text. */
static void clean_name(char *out, size_t n, const char *name)
{
    size_t o = 0;
    for (size_t i = 0; name[i] && o + 4 < n;) {
        unsigned char c = (unsigned char)name[i];
        size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
        size_t have = 0;
        while (have < len && name[i + have])
            have++;
        if (len && have == len && ag_utf8_valid(name + i, len, false)) {
            memcpy(out + o, name + i, len);
            o += len;
            i += len;
        } else {
            out[o++] = '?';
            i++;
        }
    }
    out[o] = '\0';
}

static void add_ignored(gbt_set *s, const char *name, bool dir)
{
    s->nignored_total++;
    if (s->nignored >= GBT_MAX_IGNORED)
        return;
    char tmp[250];
    clean_name(tmp, sizeof tmp, name);
    snprintf(s->ignored[s->nignored++], sizeof s->ignored[0], "%s%s", tmp, dir ? "/" : "");
}

static ag_err add_file(gbt_set *s, int kind, const char *name, ag_error *err)
{
    if (s->f[kind].present)
        return ag_fail(err, AG_ERR_INPUT, s->path, "有两个 %s 文件：%s 和 %s，无法确定用哪一个",
                       "two %s files, %s and %s: cannot tell which to read", kind_names[kind],
                       s->f[kind].name, name);
    s->f[kind].present = true;
    clean_name(s->f[kind].name, sizeof s->f[kind].name, name);
    return AG_OK;
}

static ag_err open_dir(gbt_set *s, ag_error *err)
{
    DIR *d = opendir(s->path);
    if (!d)
        return ag_fail(err, AG_ERR_IO, s->path, "无法打开文件夹：%s", "cannot open the folder: %s",
                       strerror(errno));
    ag_err rc = AG_OK;
    struct dirent *de;
    while (!rc && (de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        size_t n = strlen(s->path) + strlen(de->d_name) + 2;
        char *full = malloc(n);
        if (!full) {
            rc = ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
            break;
        }
        snprintf(full, n, "%s/%s", s->path, de->d_name);
        struct stat st;
        int kind = ledger_gbt_kind_of(de->d_name);
        if (stat(full, &st) != 0 || !S_ISREG(st.st_mode)) {
            add_ignored(s, de->d_name, stat(full, &st) == 0 && S_ISDIR(st.st_mode));
            free(full);
            continue;
        }
        if (kind < 0) {
            add_ignored(s, de->d_name, false);
            free(full);
            continue;
        }
        if ((rc = add_file(s, kind, de->d_name, err))) {
            free(full);
            break;
        }
        if ((uint64_t)st.st_size > s->max_entry) {
            rc = ag_fail(err, AG_ERR_INPUT, s->f[kind].name, "文件过大（%llu 字节，上限 %llu）",
                         "file too large (%llu bytes, limit %llu)", (unsigned long long)st.st_size,
                         (unsigned long long)s->max_entry);
            free(full);
            break;
        }
        s->f[kind].path = full;
        s->f[kind].size = (uint64_t)st.st_size;
    }
    closedir(d);
    return rc;
}

static ag_err open_zip(gbt_set *s, ag_error *err)
{
    int ze = 0;
    s->zip = zip_open(s->path, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    if (!s->zip) {
        zip_error_t e;
        zip_error_init_with_code(&e, ze);
        ag_err rc = ag_fail(err, AG_ERR_INPUT, s->path, "不是文件夹，也不是可读的 zip 文件：%s",
                            "neither a folder nor a readable zip file: %s", zip_error_strerror(&e));
        zip_error_fini(&e);
        return rc;
    }
    zip_int64_t n = zip_get_num_entries(s->zip, 0);
    if (n < 0 || (uint64_t)n > s->max_entries)
        return ag_fail(err, AG_ERR_INPUT, s->path, "zip 文件的条目过多（%lld，上限 %u）",
                       "too many entries in the zip (%lld, limit %u)", (long long)n,
                       s->max_entries);
    uint64_t total = 0;
    for (zip_int64_t i = 0; i < n; i++) {
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(s->zip, (zip_uint64_t)i, 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME) ||
            !(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE))
            return ag_fail(err, AG_ERR_INPUT, s->path, "zip 条目 %lld 无法读取",
                           "zip entry %lld cannot be read", (long long)i);
        char name[256];
        clean_name(name, sizeof name, st.name);
        size_t len = strlen(st.name);
        bool dir = len > 0 && (st.name[len - 1] == '/' || st.name[len - 1] == '\\');
        /* The declared sizes are all we have before inflating: refuse what
         * looks like a bomb, and count the real bytes again while reading. */
        if (st.size > s->max_entry)
            return ag_fail(err, AG_ERR_INPUT, name, "zip 条目过大（%llu 字节，上限 %llu）",
                           "zip entry too large (%llu bytes, limit %llu)",
                           (unsigned long long)st.size, (unsigned long long)s->max_entry);
        if (st.size >= LEDGER_GBT_RATIO_FLOOR &&
            (st.comp_size == 0 || st.size / st.comp_size > s->max_ratio))
            return ag_fail(err, AG_ERR_INPUT, name,
                           "zip 条目压缩比异常（%llu / %llu 字节，上限 %u 倍），疑似压缩炸弹",
                           "zip entry compression ratio too high (%llu / %llu bytes, limit %u): "
                           "a zip bomb?",
                           (unsigned long long)st.size, (unsigned long long)st.comp_size,
                           s->max_ratio);
        if (st.size > s->max_total - total)
            return ag_fail(err, AG_ERR_INPUT, s->path, "zip 解压后总大小超过上限 %llu 字节",
                           "zip uncompressed size over the limit of %llu bytes",
                           (unsigned long long)s->max_total);
        total += st.size;
        int kind = dir ? -1 : ledger_gbt_kind_of(st.name);
        if (kind < 0) {
            add_ignored(s, st.name, false);
            continue;
        }
        if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
            return ag_fail(err, AG_ERR_INPUT, name, "zip 条目已加密，无法读取",
                           "zip entry is encrypted");
        ag_err rc = add_file(s, kind, st.name, err);
        if (rc)
            return rc;
        s->f[kind].index = (zip_uint64_t)i;
        s->f[kind].size = st.size;
    }
    return AG_OK;
}

/* ---- sources ------------------------------------------------------------ */

/* A file of a folder or an entry of a zip, read to at most limit bytes
 * (the per-file cap; for an entry its declared size). */
typedef struct part_h {
    FILE *fp;       /* the folder's file, or NULL */
    zip_file_t *zf; /* the zip's entry, or NULL */
    const char *name;
    uint64_t limit, got;
} part_h;

static ag_err part_read(void *h, char *buf, size_t cap, size_t *got, ag_error *err)
{
    part_h *p = h;
    size_t n;
    if (p->zf) {
        zip_int64_t z = zip_fread(p->zf, buf, cap);
        if (z < 0)
            return ag_fail(err, AG_ERR_INPUT, p->name, "zip 条目解压失败：%s",
                           "zip entry cannot be inflated: %s", zip_file_strerror(p->zf));
        n = (size_t)z;
    } else {
        n = fread(buf, 1, cap, p->fp);
        if (n == 0 && ferror(p->fp))
            return ag_fail(err, AG_ERR_IO, p->name, "读取失败：%s", "read failed: %s",
                           strerror(errno));
    }
    p->got += n;
    if (p->got > p->limit)
        return p->zf ? ag_fail(err, AG_ERR_INPUT, p->name, "zip 条目比声明的大，疑似压缩炸弹",
                               "zip entry larger than declared: a zip bomb?")
                     : ag_fail(err, AG_ERR_INPUT, p->name, "文件在读取中变大，超过上限",
                               "file grew past its limit while being read");
    *got = n;
    return AG_OK;
}

/* An open source for one file of the set; closed by src_close. */
typedef struct gbt_open {
    gbt_src src;
    part_h ph;
    gbt_mem_src mh;
} gbt_open;

static ag_err src_open(gbt_set *s, int kind, gbt_open *o, ag_error *err)
{
    memset(o, 0, sizeof *o);
    gbt_file *f = &s->f[kind];
    if (s->type == SET_MEM) {
        o->src = gbt_src_mem(&o->mh, f->data, (size_t)f->size);
        return AG_OK;
    }
    if (s->type == SET_DIR) {
        o->ph.fp = fopen(f->path, "rb");
        if (!o->ph.fp)
            return ag_fail(err, AG_ERR_IO, f->name, "无法打开：%s", "cannot open: %s",
                           strerror(errno));
        o->ph.limit = s->max_entry;
    } else {
        o->ph.zf = zip_fopen_index(s->zip, f->index, 0);
        if (!o->ph.zf)
            return ag_fail(err, AG_ERR_INPUT, f->name, "zip 条目无法打开：%s",
                           "zip entry cannot be opened: %s", zip_strerror(s->zip));
        o->ph.limit = f->size;
    }
    o->ph.name = f->name;
    o->src = (gbt_src){part_read, &o->ph, f->size};
    return AG_OK;
}

static void src_close(gbt_open *o)
{
    if (o->ph.fp)
        fclose(o->ph.fp);
    if (o->ph.zf)
        zip_fclose(o->ph.zf);
    memset(o, 0, sizeof *o);
}

/* ---- checksum ----------------------------------------------------------- */

static ag_err hash_path(const char *path, ag_sha256 *h, uint64_t *bytes, ag_error *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return ag_fail(err, AG_ERR_IO, path, "无法打开：%s", "cannot open: %s", strerror(errno));
    char *buf = malloc(1u << 16);
    if (!buf) {
        fclose(fp);
        return ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    }
    size_t n;
    while ((n = fread(buf, 1, 1u << 16, fp)) > 0) {
        ag_sha256_update(h, buf, n);
        *bytes += n;
    }
    ag_err rc = ferror(fp) ? ag_fail(err, AG_ERR_IO, path, "读取失败", "read failed") : AG_OK;
    free(buf);
    fclose(fp);
    return rc;
}

/* Zip: the zip's bytes. Folder and memory: the five files' bytes one after
 * the other in the order of their upper-cased names. */
static ag_err checksum(gbt_set *s, ledger_file_info *info, ag_error *err)
{
    ag_sha256 h;
    uint64_t bytes = 0;
    ag_err rc = ag_crypto_init();
    if (rc)
        return ag_fail(err, rc, NULL, "无法初始化加密库", "cannot initialise libsodium");
    ag_sha256_init(&h);
    if (s->type == SET_ZIP) {
        rc = hash_path(s->path, &h, &bytes, err);
    } else {
        for (int k = 0; k < LEDGER_GBT_NKINDS && !rc; k++) {
            if (!s->f[k].present)
                continue;
            if (s->type == SET_MEM) {
                if (s->f[k].size)
                    ag_sha256_update(&h, s->f[k].data, (size_t)s->f[k].size);
                bytes += s->f[k].size;
            } else {
                rc = hash_path(s->f[k].path, &h, &bytes, err);
            }
        }
    }
    if (rc)
        return rc;
    ag_sha256_final_hex(&h, info->sha256);
    info->bytes = bytes;
    return AG_OK;
}

/* ---- the read ------------------------------------------------------------ */

typedef ag_err (*step_fn)(gbt_ctx *c, gbt_text *t, ag_error *err);

static ag_err run_file(gbt_set *s, gbt_ctx *c, int kind, step_fn step, ag_error *err)
{
    static const char *const *const layouts[LEDGER_GBT_NKINDS] = {
        gbt_dzzb_fields, NULL, gbt_jzpz_fields, gbt_kjkm_fields, gbt_kmye_fields};
    static const int widths[LEDGER_GBT_NKINDS] = {GBT_DZZB_NFIELDS, 1, GBT_JZPZ_NFIELDS,
                                                  GBT_KJKM_NFIELDS, GBT_KMYE_NFIELDS};
    gbt_open o;
    gbt_text t;
    ag_err rc = src_open(s, kind, &o, err);
    if (rc)
        return rc;
    rc = gbt_text_open(&t, s->f[kind].name, o.src, layouts[kind], widths[kind],
                       kind == LEDGER_GBT_GSSM, err);
    if (!rc)
        rc = step(c, &t, err);
    if (!rc && kind == LEDGER_GBT_JZPZ)
        c->jzpz_encoding = gbt_text_encoding(&t);
    gbt_text_close(&t);
    src_close(&o);
    return rc;
}

static ag_err run(gbt_set *s, const ledger_gbt_opts *opts, const ledger_sink *sink,
                  ledger_file_info *info, bool whole_set, ag_error *err)
{
    static const ledger_sink none = {0};
    if (!sink)
        sink = &none;
    if (info) {
        memset(info, 0, sizeof *info);
        snprintf(info->format, sizeof info->format, "gbt19581");
        snprintf(info->encoding, sizeof info->encoding, "utf-8");
    }
    if (whole_set && !s->f[LEDGER_GBT_JZPZ].present)
        return ag_fail(err, AG_ERR_INPUT, s->path ? s->path : "JZPZ.TXT",
                       "缺少记账凭证文件 JZPZ.TXT，这不是完整的 GB/T 19581 数据",
                       "JZPZ.TXT (the voucher lines) is missing: not a complete GB/T 19581 set");
    ag_err rc = AG_OK;
    if (info && (rc = checksum(s, info, err)))
        return rc;

    gbt_ctx c;
    gbt_ctx_init(&c, opts, sink);
    for (unsigned i = 0; i < s->nignored && !rc; i++)
        rc = gbt_note(&c, "gbt_ignored_file", s->ignored[i], err,
                      "未读取：%s（不是本读取器使用的文件）",
                      "not read: %s (not a file this reader uses)", s->ignored[i]);
    if (!rc && s->nignored_total > s->nignored)
        rc = gbt_note(&c, "gbt_ignored_file", "", err, "另有 %u 个文件未读取",
                      "%u more files not read", s->nignored_total - s->nignored);
    if (whole_set) {
        if (!rc && !s->f[LEDGER_GBT_KJKM].present)
            rc = gbt_note(&c, "gbt_missing_file", "KJKM.TXT", err,
                          "缺少会计科目文件 KJKM.TXT：科目名称、级次和余额方向未知",
                          "KJKM.TXT is missing: account names, levels and sides are unknown");
        if (!rc && !s->f[LEDGER_GBT_KMYE].present)
            rc = gbt_note(&c, "gbt_missing_file", "KMYE.TXT", err,
                          "缺少科目余额文件 KMYE.TXT：没有期初余额可供核对",
                          "KMYE.TXT is missing: no balances to check the lines against");
        if (!rc && !s->f[LEDGER_GBT_DZZB].present)
            rc = gbt_note(&c, "gbt_missing_file", "DZZB.TXT", err,
                          "缺少电子账簿文件 DZZB.TXT：单位名称和会计年度未知",
                          "DZZB.TXT is missing: the unit name and fiscal year are unknown");
    }
    if (!rc && s->f[LEDGER_GBT_DZZB].present)
        rc = run_file(s, &c, LEDGER_GBT_DZZB, gbt_read_dzzb, err);
    if (!rc && s->f[LEDGER_GBT_GSSM].present)
        rc = run_file(s, &c, LEDGER_GBT_GSSM, gbt_read_gssm, err);
    if (!rc && (whole_set || s->f[LEDGER_GBT_DZZB].present || s->f[LEDGER_GBT_GSSM].present))
        rc = gbt_push_book(&c, err);
    if (!rc && s->f[LEDGER_GBT_KJKM].present) {
        rc = run_file(s, &c, LEDGER_GBT_KJKM, gbt_read_kjkm, err);
        if (!rc)
            rc = gbt_push_accounts(&c, err);
    }
    if (!rc && s->f[LEDGER_GBT_KMYE].present)
        rc = run_file(s, &c, LEDGER_GBT_KMYE, gbt_read_kmye, err);
    if (!rc && s->f[LEDGER_GBT_JZPZ].present)
        rc = run_file(s, &c, LEDGER_GBT_JZPZ, gbt_read_jzpz, err);
    if (!rc)
        rc = gbt_note_flush(&c, err);
    if (info) {
        info->rows = c.rows;
        if (c.jzpz_encoding)
            snprintf(info->encoding, sizeof info->encoding, "%s", c.jzpz_encoding);
    }
    gbt_ctx_release(&c);
    return rc;
}

ag_err ledger_read_gbt19581(const char *path, const ledger_gbt_opts *opts, const ledger_sink *sink,
                            ledger_file_info *info, ag_error *err)
{
    if (!path || !*path)
        return ag_fail(err, AG_ERR_USAGE, NULL, "未给出文件夹或 zip 文件",
                       "no folder or zip file given");
    gbt_set s;
    memset(&s, 0, sizeof s);
    s.path = path;
    set_limits(&s, opts);
    struct stat st;
    if (stat(path, &st) != 0)
        return ag_fail(err, AG_ERR_IO, path, "无法打开：%s", "cannot open: %s", strerror(errno));
    ag_err rc;
    if (S_ISDIR(st.st_mode)) {
        s.type = SET_DIR;
        rc = open_dir(&s, err);
    } else {
        s.type = SET_ZIP;
        rc = open_zip(&s, err);
    }
    if (!rc)
        rc = run(&s, opts, sink, info, true, err);
    set_release(&s);
    return rc;
}

ag_err ledger_read_gbt19581_mem(const ledger_gbt_mem files[LEDGER_GBT_NKINDS],
                                const ledger_gbt_opts *opts, const ledger_sink *sink,
                                ledger_file_info *info, ag_error *err)
{
    gbt_set s;
    memset(&s, 0, sizeof s);
    set_limits(&s, opts);
    s.type = SET_MEM;
    for (int k = 0; k < LEDGER_GBT_NKINDS; k++) {
        if (!files[k].present)
            continue;
        if ((uint64_t)files[k].len > s.max_entry)
            return ag_fail(err, AG_ERR_INPUT, kind_names[k], "文件过大", "file too large");
        s.f[k].present = true;
        clean_name(s.f[k].name, sizeof s.f[k].name, files[k].name ? files[k].name : kind_names[k]);
        s.f[k].data = files[k].data;
        s.f[k].size = files[k].len;
    }
    return run(&s, opts, sink, info, true, err);
}

ag_err ledger_gbt19581_parse(ledger_gbt_kind kind, const char *name, const void *data, size_t len,
                             const ledger_gbt_opts *opts, const ledger_sink *sink, ag_error *err)
{
    if ((unsigned)kind >= LEDGER_GBT_NKINDS)
        return ag_fail(err, AG_ERR_USAGE, NULL, "未知的文件种类", "unknown file kind");
    gbt_set s;
    memset(&s, 0, sizeof s);
    set_limits(&s, opts);
    s.type = SET_MEM;
    s.f[kind].present = true;
    clean_name(s.f[kind].name, sizeof s.f[kind].name, name ? name : kind_names[kind]);
    s.f[kind].data = data;
    s.f[kind].size = data ? len : 0;
    return run(&s, opts, sink, NULL, false, err);
}
