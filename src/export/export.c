/* export.c - helpers of the XLSX exports: atomic write beside the target, yuan cells, labels. */
#include "export/export.h"
#include "export/export_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/clock.h"
#include "util/date.h"
#include "util/money.h"
#include "util/banned.h"

static ag_err io_fail(ag_error *err, const char *path, const char *zh, const char *en)
{
    int e = errno;
    return ag_fail(err, AG_ERR_IO, path,
                   "%s%.0s失败：%s；请检查目标文件夹是否存在、可写以及磁盘空间",
                   "%.0s%s failed: %s; check that the target folder exists, is writable and has "
                   "space",
                   zh, en, strerror(e));
}

/* The folder part of path ("." when none), for syncing it after a rename. */
static void folder_of(const char *path, char *out, size_t cap)
{
    snprintf(out, cap, "%s", path);
    char *slash = strrchr(out, '/');
    if (!slash)
        snprintf(out, cap, ".");
    else if (slash == out)
        out[1] = '\0';
    else
        *slash = '\0';
}

ag_err export_book_open(export_book *b, const char *path, const char *title, ag_error *err)
{
    memset(b, 0, sizeof *b);
    if (!path || !*path)
        return ag_fail(err, AG_ERR_USAGE, "path", "未给出导出文件的路径", "no export path given");
    if ((size_t)snprintf(b->path, sizeof b->path, "%s", path) >= sizeof b->path ||
        (size_t)snprintf(b->tmp, sizeof b->tmp, "%s.tmp-XXXXXX", path) >= sizeof b->tmp)
        return ag_fail(err, AG_ERR_USAGE, path, "导出文件路径过长", "export path too long");
    int fd = mkstemp(b->tmp);
    if (fd < 0) {
        ag_err rc = io_fail(err, path, "创建导出文件", "creating the export file");
        b->tmp[0] = '\0';
        return rc;
    }
    /* mkstemp makes it 0600; an export is shared like the attachments (0640). */
    fchmod(fd, 0640);
    close(fd);
    /* libxlsxwriter opens the file by name when the workbook is closed. */
    b->wb = workbook_new(b->tmp);
    if (!b->wb) {
        unlink(b->tmp);
        b->tmp[0] = '\0';
        return ag_fail(err, AG_ERR_NOMEM, path, "内存不足", "out of memory");
    }
    lxw_doc_properties props;
    memset(&props, 0, sizeof props);
    props.title = (char *)(title ? title : "");
    props.author = (char *)"auditgrid";
    props.created = (time_t)ag_clock_now();
    export_put(b, workbook_set_properties(b->wb, &props));
    return AG_OK;
}

void export_book_abort(export_book *b)
{
    if (!b)
        return;
    if (b->wb) {
        /* Closing is the only way to free a workbook; it writes the temporary file. */
        workbook_close(b->wb);
        b->wb = NULL;
    }
    if (b->tmp[0]) {
        unlink(b->tmp);
        b->tmp[0] = '\0';
    }
}

void export_put(export_book *b, lxw_error e)
{
    if (e != LXW_NO_ERROR && b->first == LXW_NO_ERROR)
        b->first = e;
}

ag_err export_book_close(export_book *b, ag_error *err)
{
    if (b->first != LXW_NO_ERROR) {
        ag_err rc = ag_fail(err, AG_ERR_INTERNAL, b->path, "生成 XLSX 失败：%s",
                            "building the XLSX failed: %s", lxw_strerror(b->first));
        export_book_abort(b);
        return rc;
    }
    lxw_error e = workbook_close(b->wb);
    b->wb = NULL;
    ag_err rc = AG_OK;
    if (e != LXW_NO_ERROR) {
        rc = ag_fail(err, AG_ERR_IO, b->path, "写入 XLSX 失败：%s；请检查磁盘空间和临时目录",
                     "writing the XLSX failed: %s; check free space and the temporary folder",
                     lxw_strerror(e));
        goto fail;
    }
    int fd = open(b->tmp, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0) {
        rc = io_fail(err, b->path, "写入导出文件", "writing the export file");
        if (fd >= 0)
            close(fd);
        goto fail;
    }
    close(fd);
    if (rename(b->tmp, b->path) != 0) {
        rc = io_fail(err, b->path, "保存导出文件", "saving the export file");
        goto fail;
    }
    b->tmp[0] = '\0';
    char dir[4096];
    folder_of(b->path, dir, sizeof dir);
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        /* The file is complete either way; this makes the rename durable. */
        fsync(fd);
        close(fd);
    }
    return AG_OK;
fail:
    unlink(b->tmp);
    b->tmp[0] = '\0';
    return rc;
}

lxw_format *export_format(export_book *b, double size, bool border, bool wrap)
{
    lxw_format *f = workbook_add_format(b->wb);
    if (!f) {
        export_put(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return NULL;
    }
    format_set_font_name(f, "宋体");
    format_set_font_size(f, size);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    if (border)
        format_set_border(f, LXW_BORDER_THIN);
    if (wrap)
        format_set_text_wrap(f);
    return f;
}

/* Copies s into out cut to EXPORT_CELL_MAX with a note; returns s itself when it fits. */
static const char *fit_cell(const char *s, char **owned)
{
    *owned = NULL;
    size_t n = strlen(s);
    if (n <= EXPORT_CELL_MAX)
        return s;
    static const char note[] = "……（内容过长，已截断）";
    char *c = malloc(EXPORT_CELL_MAX + sizeof note);
    if (!c)
        return NULL;
    memcpy(c, s, EXPORT_CELL_MAX);
    c[EXPORT_CELL_MAX] = '\0';
    ag_utf8_trim_tail(c);
    memcpy(c + strlen(c), note, sizeof note);
    *owned = c;
    return c;
}

void export_text(export_book *b, lxw_worksheet *ws, uint32_t row, uint16_t col, const char *s,
                 lxw_format *f)
{
    if (!s || !*s) {
        export_put(b, worksheet_write_blank(ws, row, col, f));
        return;
    }
    char *owned;
    const char *t = fit_cell(s, &owned);
    export_put(b, t ? worksheet_write_string(ws, row, col, t, f) : LXW_ERROR_MEMORY_MALLOC_FAILED);
    free(owned);
}

void export_merge_text(export_book *b, lxw_worksheet *ws, uint32_t r1, uint16_t c1, uint32_t r2,
                       uint16_t c2, const char *s, lxw_format *f)
{
    char *owned;
    const char *t = fit_cell(s ? s : "", &owned);
    export_put(b, t ? worksheet_merge_range(ws, r1, c1, r2, c2, t, f)
                    : LXW_ERROR_MEMORY_MALLOC_FAILED);
    free(owned);
}

double export_fen_to_yuan(int64_t fen)
{
    /* Two exact integer parts, joined as decimal text; strtod rounds once. */
    uint64_t mag = fen < 0 ? 0u - (uint64_t)fen : (uint64_t)fen;
    char txt[40];
    snprintf(txt, sizeof txt, "%s%llu.%02u", fen < 0 ? "-" : "", (unsigned long long)(mag / 100u),
             (unsigned)(mag % 100u));
    return strtod(txt, NULL);
}

void export_yuan(export_book *b, lxw_worksheet *ws, uint32_t row, uint16_t col, int64_t fen,
                 lxw_format *num, lxw_format *text)
{
    /* Excel keeps 15 significant digits: 9,999,999,999,999.99 yuan. */
    const int64_t exact = 999999999999999LL;
    if (fen > exact || fen < -exact) {
        char g[32];
        ag_money_format_grouped(fen, g);
        export_put(b, worksheet_write_string(ws, row, col, g, text));
        return;
    }
    export_put(b, worksheet_write_number(ws, row, col, export_fen_to_yuan(fen), num));
}

void export_date(const char *iso, char out[24])
{
    out[0] = '\0';
    if (!iso)
        return;
    size_t n = strlen(iso);
    int32_t days;
    if (n >= 10 && ag_date_parse(iso, 10, &days) && iso[4] == '-') {
        /* A UTC time stamp from ag_clock: the district's day starts at 16:00Z. */
        if (n >= 13 && iso[10] == 'T' && iso[11] >= '0' && iso[11] <= '9' && iso[12] >= '0' &&
            iso[12] <= '9' && (iso[11] - '0') * 10 + (iso[12] - '0') >= 16)
            days++;
        ag_date_format(days, out);
        return;
    }
    snprintf(out, 24, "%s", iso);
    ag_utf8_trim_tail(out);
}

const char *export_str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

double export_row_height(const char *text, double width, double pt, double min_pt)
{
    if (!text || !*text)
        return min_pt;
    double usable = width > 2 ? width - 1 : 1, line = 0;
    int lines = 1;
    for (const unsigned char *p = (const unsigned char *)text; *p;) {
        if (*p == '\n') {
            lines++;
            line = 0;
            p++;
            continue;
        }
        /* Lead bytes of three- and four-byte UTF-8 sequences are CJK and wider. */
        double w = *p >= 0xE0 ? 2.0 : 1.0;
        p++;
        while ((*p & 0xC0) == 0x80)
            p++;
        if (line + w > usable) {
            lines++;
            line = 0;
        }
        line += w;
    }
    double h = lines * pt * 1.35 + 4;
    if (h < min_pt)
        h = min_pt;
    return h > 409 ? 409 : h;
}

bool export_sheet_formats(export_book *b, export_sheet_fmt *f)
{
    f->title = export_format(b, 16, false, false);
    f->info = export_format(b, 10, false, false);
    f->head = export_format(b, 11, true, true);
    f->text = export_format(b, 10, true, true);
    f->center = export_format(b, 10, true, true);
    f->num = export_format(b, 10, true, false);
    f->total = export_format(b, 10, true, false);
    if (b->first != LXW_NO_ERROR || !f->title || !f->info || !f->head || !f->text || !f->center ||
        !f->num || !f->total)
        return false;
    format_set_bold(f->title);
    format_set_align(f->title, LXW_ALIGN_CENTER);
    format_set_bold(f->head);
    format_set_align(f->head, LXW_ALIGN_CENTER);
    format_set_pattern(f->head, LXW_PATTERN_SOLID);
    format_set_bg_color(f->head, 0xD9E1F2);
    format_set_align(f->center, LXW_ALIGN_CENTER);
    format_set_align(f->num, LXW_ALIGN_RIGHT);
    format_set_align(f->total, LXW_ALIGN_RIGHT);
    format_set_bold(f->total);
    return true;
}
