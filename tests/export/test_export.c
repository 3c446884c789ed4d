/* test_export.c - ledger and certificate XLSX read back with libzip + expat; atomic writes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <expat.h>
#include <stdbool.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "export/export.h"
#include "../testutil.h"

/* The whole file at path, NUL-terminated; fails the test when it cannot be read. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    char *data = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 8192;
            data = realloc(data, cap);
            assert_non_null(data);
        }
        size_t got = fread(data + n, 1, 4096, f);
        n += got;
        if (got < 4096)
            break;
    }
    fclose(f);
    data[n] = '\0';
    *len = n;
    return data;
}

/* ---- A small independent XLSX reader -------------------------------------- */

#define MAX_CELLS  1024
#define MAX_STRS   1024
#define MAX_XF     64
#define MAX_FMT    32
#define MAX_MERGES 64

typedef struct cell {
    char ref[12];
    char t[16];
    int s;
    char *v; /* <v> text, or the inline string */
    bool has_v;
} cell;

typedef struct xf {
    int num_fmt, font, fill, border;
} xf;

typedef struct book {
    char *strings[MAX_STRS];
    int nstrings;
    cell cells[MAX_CELLS];
    int ncells;
    xf xfs[MAX_XF];
    int nxf;
    int fmt_id[MAX_FMT];
    char *fmt_code[MAX_FMT];
    int nfmt;
    bool font_bold[MAX_XF];
    int nfonts;
    char *merges[MAX_MERGES];
    int nmerges;
    char pane_state[16], pane_ysplit[8];
    char paper[8], orientation[16], autofilter[32], fit_to_page[4], centered[4];
    int ncols;
} book;

/* What the parser is inside of. */
typedef struct parse {
    book *bk;
    int part; /* 0 shared strings, 1 sheet, 2 styles */
    char text[65536];
    size_t tlen;
    bool in_t, in_v, in_si, in_cellxfs, in_fonts, in_is;
    cell *cur;
} parse;

static const char *attr(const XML_Char **a, const char *name)
{
    for (int i = 0; a[i]; i += 2)
        if (strcmp(a[i], name) == 0)
            return a[i + 1];
    return NULL;
}

static int attr_int(const XML_Char **a, const char *name)
{
    const char *v = attr(a, name);
    return v ? (int)strtol(v, NULL, 10) : 0;
}

static void copy_attr(char *dst, size_t cap, const XML_Char **a, const char *name)
{
    const char *v = attr(a, name);
    snprintf(dst, cap, "%s", v ? v : "");
}

static void on_start(void *ud, const XML_Char *el, const XML_Char **a)
{
    parse *p = ud;
    book *b = p->bk;
    if (p->part == 0) {
        if (strcmp(el, "si") == 0) {
            p->in_si = true;
            p->tlen = 0;
        } else if (strcmp(el, "t") == 0) {
            p->in_t = true;
        }
    } else if (p->part == 1) {
        if (strcmp(el, "c") == 0) {
            assert_true(b->ncells < MAX_CELLS);
            p->cur = &b->cells[b->ncells++];
            copy_attr(p->cur->ref, sizeof p->cur->ref, a, "r");
            copy_attr(p->cur->t, sizeof p->cur->t, a, "t");
            p->cur->s = attr_int(a, "s");
        } else if (strcmp(el, "v") == 0 || (strcmp(el, "t") == 0 && p->in_is)) {
            p->in_v = true;
            p->tlen = 0;
        } else if (strcmp(el, "is") == 0) {
            p->in_is = true;
        } else if (strcmp(el, "pane") == 0) {
            copy_attr(b->pane_state, sizeof b->pane_state, a, "state");
            copy_attr(b->pane_ysplit, sizeof b->pane_ysplit, a, "ySplit");
        } else if (strcmp(el, "mergeCell") == 0) {
            assert_true(b->nmerges < MAX_MERGES);
            b->merges[b->nmerges++] = strdup(attr(a, "ref"));
        } else if (strcmp(el, "pageSetup") == 0) {
            copy_attr(b->paper, sizeof b->paper, a, "paperSize");
            copy_attr(b->orientation, sizeof b->orientation, a, "orientation");
        } else if (strcmp(el, "autoFilter") == 0) {
            copy_attr(b->autofilter, sizeof b->autofilter, a, "ref");
        } else if (strcmp(el, "pageSetUpPr") == 0) {
            copy_attr(b->fit_to_page, sizeof b->fit_to_page, a, "fitToPage");
        } else if (strcmp(el, "printOptions") == 0) {
            copy_attr(b->centered, sizeof b->centered, a, "horizontalCentered");
        } else if (strcmp(el, "col") == 0) {
            b->ncols += attr_int(a, "max") - attr_int(a, "min") + 1;
        }
    } else {
        if (strcmp(el, "numFmt") == 0) {
            assert_true(b->nfmt < MAX_FMT);
            b->fmt_id[b->nfmt] = attr_int(a, "numFmtId");
            b->fmt_code[b->nfmt++] = strdup(attr(a, "formatCode"));
        } else if (strcmp(el, "cellXfs") == 0) {
            p->in_cellxfs = true;
        } else if (strcmp(el, "xf") == 0 && p->in_cellxfs) {
            assert_true(b->nxf < MAX_XF);
            xf *x = &b->xfs[b->nxf++];
            x->num_fmt = attr_int(a, "numFmtId");
            x->font = attr_int(a, "fontId");
            x->fill = attr_int(a, "fillId");
            x->border = attr_int(a, "borderId");
        } else if (strcmp(el, "fonts") == 0) {
            p->in_fonts = true;
        } else if (strcmp(el, "font") == 0 && p->in_fonts) {
            assert_true(b->nfonts < MAX_XF);
            b->nfonts++;
        } else if (strcmp(el, "b") == 0 && p->in_fonts) {
            b->font_bold[b->nfonts - 1] = true;
        }
    }
}

static void on_end(void *ud, const XML_Char *el)
{
    parse *p = ud;
    book *b = p->bk;
    if (p->part == 0) {
        if (strcmp(el, "t") == 0) {
            p->in_t = false;
        } else if (strcmp(el, "si") == 0) {
            assert_true(b->nstrings < MAX_STRS);
            b->strings[b->nstrings++] = strndup(p->text, p->tlen);
            p->in_si = false;
        }
    } else if (p->part == 1) {
        if ((strcmp(el, "v") == 0 || strcmp(el, "t") == 0) && p->in_v) {
            p->cur->v = strndup(p->text, p->tlen);
            p->cur->has_v = true;
            p->in_v = false;
        } else if (strcmp(el, "is") == 0) {
            p->in_is = false;
        }
    } else {
        if (strcmp(el, "cellXfs") == 0)
            p->in_cellxfs = false;
        else if (strcmp(el, "fonts") == 0)
            p->in_fonts = false;
    }
}

static void on_text(void *ud, const XML_Char *s, int len)
{
    parse *p = ud;
    if ((p->part == 0 && p->in_si && p->in_t) || (p->part == 1 && p->in_v)) {
        assert_true(p->tlen + (size_t)len < sizeof p->text);
        memcpy(p->text + p->tlen, s, (size_t)len);
        p->tlen += (size_t)len;
    }
}

/* Parses one member of the zip (optional members may be absent). */
static void parse_member(zip_t *za, const char *name, int part, book *bk, bool required)
{
    zip_stat_t zs;
    if (zip_stat(za, name, 0, &zs) != 0) {
        if (required)
            fail_msg("member %s missing", name);
        return;
    }
    char *data = malloc(zs.size + 1);
    zip_file_t *zf = zip_fopen(za, name, 0);
    assert_non_null(zf);
    assert_int_equal(zip_fread(zf, data, zs.size), (zip_int64_t)zs.size);
    zip_fclose(zf);
    parse *p = calloc(1, sizeof *p);
    p->bk = bk;
    p->part = part;
    XML_Parser xp = XML_ParserCreate("UTF-8");
    XML_SetUserData(xp, p);
    XML_SetElementHandler(xp, on_start, on_end);
    XML_SetCharacterDataHandler(xp, on_text);
    if (XML_Parse(xp, data, (int)zs.size, 1) != XML_STATUS_OK)
        fail_msg("%s: %s", name, XML_ErrorString(XML_GetErrorCode(xp)));
    XML_ParserFree(xp);
    free(p);
    free(data);
}

static book *read_xlsx(const char *path)
{
    int ze = 0;
    zip_t *za = zip_open(path, ZIP_RDONLY, &ze);
    if (!za)
        fail_msg("%s is not a zip (%d)", path, ze);
    book *bk = calloc(1, sizeof *bk);
    parse_member(za, "xl/sharedStrings.xml", 0, bk, false);
    parse_member(za, "xl/worksheets/sheet1.xml", 1, bk, true);
    parse_member(za, "xl/styles.xml", 2, bk, true);
    zip_close(za);
    return bk;
}

static void book_free(book *bk)
{
    for (int i = 0; i < bk->nstrings; i++)
        free(bk->strings[i]);
    for (int i = 0; i < bk->ncells; i++)
        free(bk->cells[i].v);
    for (int i = 0; i < bk->nfmt; i++)
        free(bk->fmt_code[i]);
    for (int i = 0; i < bk->nmerges; i++)
        free(bk->merges[i]);
    free(bk);
}

static const cell *cell_at(const book *bk, const char *ref)
{
    for (int i = 0; i < bk->ncells; i++)
        if (strcmp(bk->cells[i].ref, ref) == 0)
            return &bk->cells[i];
    return NULL;
}

/* The text shown in a string cell; NULL when the cell is absent, empty or a number. */
static const char *text_at(const book *bk, const char *ref)
{
    const cell *c = cell_at(bk, ref);
    if (!c || !c->has_v)
        return NULL;
    if (strcmp(c->t, "s") == 0) {
        int i = (int)strtol(c->v, NULL, 10);
        assert_true(i >= 0 && i < bk->nstrings);
        return bk->strings[i];
    }
    if (strcmp(c->t, "inlineStr") == 0 || strcmp(c->t, "str") == 0)
        return c->v;
    return NULL;
}

static void expect_text(const book *bk, const char *ref, const char *want)
{
    const char *got = text_at(bk, ref);
    if (!got || strcmp(got, want) != 0)
        fail_msg("%s: expected \"%s\", got \"%s\"", ref, want, got ? got : "(none)");
}

/* A number cell's value; fails when the cell is not a number. */
static double number_at(const book *bk, const char *ref)
{
    const cell *c = cell_at(bk, ref);
    if (!c || !c->has_v || (c->t[0] && strcmp(c->t, "n") != 0))
        fail_msg("%s is not a number cell", ref);
    return strtod(c->v, NULL);
}

/* The number format of a cell's style, as its format code. */
static const char *num_format_of(const book *bk, const char *ref)
{
    const cell *c = cell_at(bk, ref);
    assert_non_null(c);
    assert_true(c->s < bk->nxf);
    int id = bk->xfs[c->s].num_fmt;
    if (id == 4)
        return "#,##0.00"; /* the built-in format of that code */
    for (int i = 0; i < bk->nfmt; i++)
        if (bk->fmt_id[i] == id)
            return bk->fmt_code[i];
    return "General";
}

/* Whether any string in the book contains `part`. */
static bool has_string(const book *bk, const char *part)
{
    for (int i = 0; i < bk->nstrings; i++)
        if (strstr(bk->strings[i], part))
            return true;
    for (int i = 0; i < bk->ncells; i++)
        if (strcmp(bk->cells[i].t, "inlineStr") == 0 && strstr(bk->cells[i].v, part))
            return true;
    return false;
}

/* ---- Fixtures ------------------------------------------------------------- */

/* The folder of path holds no leftover temporary file of an export. */
static void expect_no_temp(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)))
        if (strstr(e->d_name, ".tmp-"))
            fail_msg("temporary file left behind: %s/%s", dir, e->d_name);
    closedir(d);
}

static void scratch_dir(char *out, size_t cap, const char *name)
{
    ag_test_path(out, cap, name);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", out);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(mkdir(out, 0755), 0);
}

/* Three rows as rectify_list gives them: an overdue repeat offence with an
 * amount, a closed one with evidence and no amount, one in progress. */
static json_t *ledger_items(void)
{
    json_t *items = json_array();
    json_array_append_new(
        items,
        json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:s,s:s,s:n,s:s,s:s,s:s,s:b,s:I,s:s,s:n,"
                  "s:n,s:I,s:[],s:b}",
                  "id", (json_int_t)11, "project_id", (json_int_t)2, "project_code", "JC-2025-02",
                  "project_name", "2025年度财务收支交叉审计", "notice_no", "南开审通〔2025〕3号",
                  "unit_code", "12120104MB0000001X", "unit_name", "第一中学", "title",
                  "公务卡报销缺少审批", "amount", (json_int_t)123456789, "basis",
                  "《中华人民共和国预算法》第五十七条", "class", "immediate", "measures",
                  "deadline", "2025-03-01", "responsible", "张会计", "state", "open", "overdue", 1,
                  "days_overdue", (json_int_t)12, "item", "F02", "progress", "result",
                  "evidence_count", (json_int_t)0, "evidence", "repeat", 1));
    json_array_append_new(
        items,
        json_pack("{s:I,s:s,s:s,s:n,s:s,s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:b,s:I,s:s,s:s,s:I,"
                  "s:[s,s],s:b}",
                  "id", (json_int_t)12, "project_code", "JC-2025-02", "project_name",
                  "2025年度财务收支交叉审计", "notice_no", "unit_name", "第一中学", "title",
                  "往来款长期挂账未清理", "amount", (json_int_t)0, "basis", "《政府会计制度》",
                  "class", "phased", "measures", "逐笔核对并清理", "deadline", "2025-06-30",
                  "state", "closed", "overdue", 0, "days_overdue", (json_int_t)0, "progress",
                  "已清理 80%", "result", "已全部清理", "evidence_count", (json_int_t)2, "evidence",
                  "退款凭证.pdf", "银行回单.png", "repeat", 0));
    json_array_append_new(
        items,
        json_pack("{s:I,s:s,s:s,s:s,s:I,s:s,s:s,s:s,s:b,s:I}", "id", (json_int_t)13, "project_name",
                  "2025年度财务收支交叉审计", "unit_name", "第一中学", "title", "固定资产账实不符",
                  "amount", (json_int_t)5, "class", "continuous", "deadline", "2026-03-01", "state",
                  "in_progress", "overdue", 0, "evidence_count", (json_int_t)3));
    return items;
}

static const char *const HEADS[] = {"序号",       "通知书号", "项目",     "被审计单位", "问题摘要",
                                    "金额（元）", "定性依据", "整改类型", "整改措施",   "整改期限",
                                    "责任人",     "整改进展", "整改结果", "证明材料",   "状态"};

static void test_ledger(void **state)
{
    (void)state;
    char dir[1024], path[1400];
    scratch_dir(dir, sizeof dir, "ledger");
    snprintf(path, sizeof path, "%s/台账.xlsx", dir);
    json_t *items = ledger_items();
    ag_error err;
    must(export_rectify_xlsx(items, "南开区2025年度审计整改台账", path, &err), &err);
    json_decref(items);
    expect_no_temp(dir);

    book *bk = read_xlsx(path);
    expect_text(bk, "A1", "南开区2025年度审计整改台账");
    const char *info = text_at(bk, "A2");
    assert_non_null(info);
    assert_non_null(strstr(info, "制表日期：2025-03-13"));
    assert_non_null(strstr(info, "共 3 项，其中逾期 1 项"));
    char ref[8];
    for (int c = 0; c < 15; c++) {
        snprintf(ref, sizeof ref, "%c3", 'A' + c);
        expect_text(bk, ref, HEADS[c]);
        /* Bold with borders. */
        const cell *h = cell_at(bk, ref);
        assert_true(bk->font_bold[bk->xfs[h->s].font]);
        assert_true(bk->xfs[h->s].border > 0);
    }

    /* Row 4: the overdue repeat offence. */
    assert_true(number_at(bk, "A4") == 1.0);
    expect_text(bk, "B4", "南开审通〔2025〕3号");
    expect_text(bk, "C4", "2025年度财务收支交叉审计");
    expect_text(bk, "D4", "第一中学");
    expect_text(bk, "E4", "【屡审屡犯】公务卡报销缺少审批");
    assert_true(number_at(bk, "F4") == 1234567.89);
    assert_string_equal(num_format_of(bk, "F4"), "#,##0.00");
    expect_text(bk, "G4", "《中华人民共和国预算法》第五十七条");
    expect_text(bk, "H4", "立行立改");
    assert_null(text_at(bk, "I4"));
    expect_text(bk, "J4", "2025-03-01");
    expect_text(bk, "K4", "张会计");
    expect_text(bk, "O4", "未整改\n逾期 12 天");

    /* Row 5: closed, no amount, evidence listed. */
    assert_true(number_at(bk, "A5") == 2.0);
    assert_null(text_at(bk, "B5"));
    const cell *f5 = cell_at(bk, "F5");
    assert_true(f5 == NULL || !f5->has_v);
    expect_text(bk, "H5", "分阶段整改");
    expect_text(bk, "I5", "逐笔核对并清理");
    expect_text(bk, "L5", "已清理 80%");
    expect_text(bk, "M5", "已全部清理");
    expect_text(bk, "N5", "退款凭证.pdf\n银行回单.png");
    expect_text(bk, "O5", "已销号");

    /* Row 6: five fen, evidence only counted. */
    assert_true(number_at(bk, "F6") == 0.05);
    expect_text(bk, "H6", "持续整改");
    expect_text(bk, "N6", "3 份");
    expect_text(bk, "O6", "整改中");

    /* The total, exact in fen. */
    expect_text(bk, "A7", "合计");
    assert_true(number_at(bk, "F7") == 1234567.94);

    /* Overdue rows are highlighted; others are not. */
    int late = bk->xfs[cell_at(bk, "E4")->s].fill, plain = bk->xfs[cell_at(bk, "E5")->s].fill;
    assert_true(late > 1);
    assert_true(late != plain);
    assert_int_equal(bk->xfs[cell_at(bk, "F4")->s].fill, late);

    /* Frozen under the header, filter on it, printed landscape on A4. */
    assert_string_equal(bk->pane_state, "frozen");
    assert_string_equal(bk->pane_ysplit, "3");
    assert_string_equal(bk->autofilter, "A3:O6");
    assert_string_equal(bk->paper, "9");
    assert_string_equal(bk->orientation, "landscape");
    assert_int_equal(bk->ncols, 15);
    book_free(bk);

    /* A zip container on disk, of the size written. */
    size_t len = 0;
    char *data = slurp(path, &len);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(len, (size_t)sb.st_size);
    assert_memory_equal(data, "PK", 2);
    free(data);
}

/* Amounts beyond Excel's 15 digits are text, so no digit is lost; an empty ledger still has its
 * header. */
static void test_ledger_edges(void **state)
{
    (void)state;
    char dir[1024], path[1400];
    scratch_dir(dir, sizeof dir, "edges");
    snprintf(path, sizeof path, "%s/big.xlsx", dir);
    json_t *items = json_pack("[{s:s,s:I,s:s}]", "title", "巨额", "amount",
                              (json_int_t)1000000000000000LL, "state", "open");
    ag_error err;
    must(export_rectify_xlsx(items, NULL, path, &err), &err);
    json_decref(items);
    book *bk = read_xlsx(path);
    expect_text(bk, "A1", "审计整改台账");
    expect_text(bk, "F4", "10,000,000,000,000.00");
    expect_text(bk, "F5", "10,000,000,000,000.00");
    book_free(bk);

    items = json_array();
    must(export_rectify_xlsx(items, "空台账", path, &err), &err);
    json_decref(items);
    bk = read_xlsx(path);
    expect_text(bk, "A1", "空台账");
    expect_text(bk, "E3", "问题摘要");
    assert_null(cell_at(bk, "A4"));
    book_free(bk);
    expect_no_temp(dir);
}

/* A closed item as rectify_get gives it, with its events. */
static json_t *closed_item(const char *state)
{
    json_t *item = json_pack(
        "{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,"
        "s:s,s:b,s:[s]}",
        "id", (json_int_t)11, "project_code", "JC-2025-02", "project_name",
        "2025年度财务收支交叉审计", "notice_no", "南开审通〔2025〕3号", "unit_name", "第一中学",
        "item", "F02", "title", "公务卡报销缺少审批", "description",
        "2024年有12笔公务卡报销未经审批，合计1,234,567.89元。", "basis",
        "《中华人民共和国预算法》第五十七条", "amount", (json_int_t)123456789, "class", "immediate",
        "severity", "high", "recommendation", "建立公务卡报销审批制度", "measures",
        "补办审批并修订制度", "result", "已补办全部审批手续", "deadline", "2025-03-01", "state",
        state, "responsible", "张会计", "principal", "王校长", "team_lead", "李审计", "verified_by",
        "user:li", "claimed_at", "2025-02-20T02:00:00Z", "repeat", 0, "evidence", "审批单.pdf");
    json_object_set_new(item, "verified_at", json_string("2025-03-10T17:30:00Z"));
    json_object_set_new(item, "closed_at", json_string("2025-03-10T17:30:00Z"));
    json_t *events = json_pack(
        "[{s:I,s:s,s:s,s:s,s:s,s:[{s:I,s:s,s:s,s:I,s:s}]},{s:I,s:s,s:s,s:s,s:s,s:[]}]", "id",
        (json_int_t)1, "kind", "claim", "body", "已补办全部审批手续", "created_by", "user:zhang",
        "created_at", "2025-02-20T02:00:00Z", "attachments", "id", (json_int_t)5, "filename",
        "审批单.pdf", "mime", "application/pdf", "bytes", (json_int_t)20480, "sha256",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "id", (json_int_t)2,
        "kind", "close", "body", "资料齐全，同意销号", "created_by", "user:li", "created_at",
        "2025-03-10T17:30:00Z", "attachments");
    json_object_set_new(item, "events", events);
    return item;
}

static void test_certificate(void **state)
{
    (void)state;
    char dir[1024], path[1400];
    scratch_dir(dir, sizeof dir, "cert");
    snprintf(path, sizeof path, "%s/销号单.xlsx", dir);
    json_t *item = closed_item("closed");
    ag_error err;
    must(export_certificate_xlsx(item, path, &err), &err);
    json_decref(item);
    expect_no_temp(dir);

    book *bk = read_xlsx(path);
    expect_text(bk, "A1", "审计整改对账销号单");
    const char *want[] = {"第一中学",
                          "公务卡报销缺少审批",
                          "被审计单位主要负责人（签字）",
                          "审计组组长（签字）",
                          "南开审通〔2025〕3号",
                          "立行立改",
                          "审批单.pdf（20.0 KB，SHA-256 0123456789abcdef…）",
                          "资料齐全，同意销号",
                          "核验人：li",
                          "王校长",
                          "李审计",
                          "2025-03-11", /* 17:30Z is the next day in the district */
                          "编号：JC-2025-02-11"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!has_string(bk, want[i]))
            fail_msg("certificate lacks \"%s\"", want[i]);
    /* The amount is a number in yuan beside its label. */
    int amount_row = 0;
    for (int r = 1; r < 40 && !amount_row; r++) {
        char ref[8];
        snprintf(ref, sizeof ref, "A%d", r);
        const char *t = text_at(bk, ref);
        if (t && strcmp(t, "涉及金额（元）") == 0)
            amount_row = r;
    }
    assert_true(amount_row > 0);
    char ref[8];
    snprintf(ref, sizeof ref, "B%d", amount_row);
    assert_true(number_at(bk, ref) == 1234567.89);
    assert_string_equal(num_format_of(bk, ref), "#,##0.00");
    /* A printable one-page A4 form with merged cells. */
    assert_true(bk->nmerges >= 5);
    bool title_merged = false;
    for (int i = 0; i < bk->nmerges; i++)
        title_merged |= strcmp(bk->merges[i], "A1:D1") == 0;
    assert_true(title_merged);
    assert_string_equal(bk->paper, "9");
    assert_string_equal(bk->orientation, "portrait");
    assert_string_equal(bk->fit_to_page, "1");
    assert_string_equal(bk->centered, "1");
    book_free(bk);
}

/* Only a closed item gets a certificate; the refusal writes nothing. */
static void test_certificate_refused(void **state)
{
    (void)state;
    char dir[1024], path[1400];
    scratch_dir(dir, sizeof dir, "cert-refused");
    snprintf(path, sizeof path, "%s/销号单.xlsx", dir);
    const char *states[] = {"open", "in_progress", "claimed", "continuous"};
    for (int i = 0; i < 4; i++) {
        json_t *item = closed_item(states[i]);
        ag_error err;
        assert_int_equal(export_certificate_xlsx(item, path, &err), AG_ERR_INPUT);
        assert_non_null(strstr(err.en, "not closed"));
        assert_non_null(strstr(err.zh, "尚未销号"));
        json_decref(item);
    }
    struct stat sb;
    assert_int_not_equal(stat(path, &sb), 0);
    expect_no_temp(dir);
}

/* Failures leave no temporary file and never a partial or replaced target. */
static void test_atomic(void **state)
{
    (void)state;
    char dir[1024], path[1400];
    scratch_dir(dir, sizeof dir, "atomic");
    json_t *items = ledger_items();
    ag_error err;

    /* A folder that does not exist. */
    snprintf(path, sizeof path, "%s/missing/台账.xlsx", dir);
    assert_int_equal(export_rectify_xlsx(items, "t", path, &err), AG_ERR_IO);
    assert_non_null(strstr(err.en, "target folder"));

    /* The target is a folder: the workbook is written, the rename fails, the temp goes. */
    snprintf(path, sizeof path, "%s/is-a-dir.xlsx", dir);
    assert_int_equal(mkdir(path, 0755), 0);
    assert_int_equal(export_rectify_xlsx(items, "t", path, &err), AG_ERR_IO);
    expect_no_temp(dir);

    /* A refused input leaves an earlier export untouched. */
    snprintf(path, sizeof path, "%s/台账.xlsx", dir);
    FILE *f = fopen(path, "wb");
    fputs("earlier", f);
    fclose(f);
    json_t *bad = json_pack("[{s:s}]", "amount", "12.50");
    assert_int_equal(export_rectify_xlsx(bad, "t", path, &err), AG_ERR_INPUT);
    json_decref(bad);
    json_t *notarray = json_object();
    assert_int_equal(export_rectify_xlsx(notarray, "t", path, &err), AG_ERR_INPUT);
    json_decref(notarray);
    size_t len = 0;
    char *data = slurp(path, &len);
    assert_string_equal(data, "earlier");
    free(data);

    /* A folder we may not write to (meaningless for root, who may). */
    if (geteuid() != 0) {
        char ro[1100];
        snprintf(ro, sizeof ro, "%s/readonly", dir);
        assert_int_equal(mkdir(ro, 0555), 0);
        snprintf(path, sizeof path, "%s/台账.xlsx", ro);
        assert_int_equal(export_rectify_xlsx(items, "t", path, &err), AG_ERR_IO);
        expect_no_temp(ro);
        chmod(ro, 0755);
    }

    /* And a success replaces the earlier file whole. */
    snprintf(path, sizeof path, "%s/台账.xlsx", dir);
    must(export_rectify_xlsx(items, "t", path, &err), &err);
    book *bk = read_xlsx(path);
    expect_text(bk, "A1", "t");
    book_free(bk);
    expect_no_temp(dir);
    json_decref(items);
}

int main(void)
{
    /* The date in the title row comes from the controllable clock. */
    setenv("AUDITGRID_NOW", "2025-03-13T02:00:00Z", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ledger),      cmocka_unit_test(test_ledger_edges),
        cmocka_unit_test(test_certificate), cmocka_unit_test(test_certificate_refused),
        cmocka_unit_test(test_atomic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
