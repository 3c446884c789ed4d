/* test_attach.c - attachments: types by content, refusals, dedup, tamper, scope, claims. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "domain/attach.h"
#include "domain/grid.h"
#include "domain/scope.h"
#include "util/hash.h"
#include "util/uscc.h"
#include "../testutil.h"

static char UNIT_A[19], UNIT_B[19];

typedef struct fixture {
    ag_store *st;
    char db[1024];
    char dir[1100];
} fixture;

static void code_for(const char *head, int n, char out[19])
{
    snprintf(out, 19, "%s120104MB%07d", head, n);
    out[17] = uscc_check_char(out);
    out[18] = '\0';
}

/* Removes dir and everything under it (two levels: dir/ab/<sha>). */
static void rm_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char p[2048];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
            rm_tree(p);
        else
            unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

/* One district cell with two units. */
static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    ag_error err;
    ag_test_path(fx->db, sizeof fx->db, "attach.db");
    must(attach_dir_for(fx->db, fx->dir, sizeof fx->dir, &err), &err);
    rm_tree(fx->dir);
    must(store_open(fx->db, AG_STORE_CREATE, &fx->st, &err), &err);
    store_set_actor(fx->st, "user:tester");
    must(grid_district_init(fx->st, "120104", "天津市南开区", &err), &err);
    grid_cell_in cells[] = {{"D01", "dept", "区教育局", 0, 1}, {"D02", "dept", "区卫健委", 0, 2}};
    for (int i = 0; i < 2; i++)
        must(grid_cell_add(fx->st, &cells[i], &err), &err);
    code_for("12", 1, UNIT_A);
    code_for("12", 2, UNIT_B);
    grid_unit_in units[] = {{UNIT_A, "第一中学", "学校", "D01", NULL, true, NULL},
                            {UNIT_B, "区人民医院", "医院", "D02", NULL, false, NULL}};
    for (int i = 0; i < 2; i++)
        must(grid_unit_add(fx->st, &units[i], &err), &err);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    store_close(fx->st);
    rm_tree(fx->dir);
    free(fx);
    return 0;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)n + 1);
    assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return p;
}

/* A zip holding the named members (each a few bytes), in memory. */
static char *make_zip(const char *const *names, int n, size_t *len)
{
    char path[1024];
    ag_test_path(path, sizeof path, "member.zip");
    int ze = 0;
    zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &ze);
    assert_non_null(za);
    for (int i = 0; i < n; i++) {
        zip_source_t *s = zip_source_buffer(za, "<x/>", 4, 0);
        assert_true(zip_file_add(za, names[i], s, ZIP_FL_OVERWRITE) >= 0);
    }
    assert_int_equal(zip_close(za), 0);
    char *p = slurp(path, len);
    unlink(path);
    return p;
}

/* A real workbook, written by libxlsxwriter. */
static char *make_xlsx(size_t *len)
{
    char path[1024];
    ag_test_path(path, sizeof path, "real.xlsx");
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    worksheet_write_string(ws, 0, 0, "整改台账", NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    char *p = slurp(path, len);
    unlink(path);
    return p;
}

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static void dir_entry(unsigned char *e, const char *name, unsigned char type)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < n; i++)
        e[2 * i] = (unsigned char)name[i];
    e[64] = (unsigned char)((n + 1) * 2);
    e[66] = type;
}

/* A minimal compound file (OLE2, 512-byte sectors): sector 0 the FAT, then
 * the directory with the root and one stream named `stream`. With `spread`
 * the directory takes two sectors and the stream sits in the second, so the
 * FAT chain has to be followed. */
static unsigned char *make_ole2(const char *stream, bool spread, size_t *len)
{
    int dirs = spread ? 2 : 1;
    *len = 512u * (size_t)(2 + dirs);
    unsigned char *p = calloc(1, *len);
    memcpy(p, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
    p[0x18] = 0x3E;
    p[0x1A] = 3;
    p[0x1C] = 0xFE;
    p[0x1D] = 0xFF;
    p[0x1E] = 9;
    p[0x20] = 6;
    put32(p + 0x2C, 1);          /* FAT sectors */
    put32(p + 0x30, 1);          /* first directory sector */
    put32(p + 0x38, 4096);       /* mini stream cutoff */
    put32(p + 0x3C, 0xFFFFFFFE); /* no mini FAT */
    put32(p + 0x44, 0xFFFFFFFE); /* no DIFAT sectors */
    put32(p + 0x4C, 0);          /* DIFAT[0]: the FAT is sector 0 */
    for (int i = 1; i < 109; i++)
        put32(p + 0x4C + 4 * i, 0xFFFFFFFF);
    unsigned char *fat = p + 512;
    for (int i = 0; i < 128; i++)
        put32(fat + 4 * i, 0xFFFFFFFF);
    put32(fat, 0xFFFFFFFD);
    put32(fat + 4, spread ? 2 : 0xFFFFFFFE);
    if (spread)
        put32(fat + 8, 0xFFFFFFFE);
    dir_entry(p + 1024, "Root Entry", 5);
    dir_entry(p + 512u * (size_t)(1 + dirs) + (spread ? 0 : 128), stream, 2);
    return p;
}

static ag_err put(fixture *fx, const char *name, const void *data, size_t len, int64_t *id,
                  json_t **out, ag_error *err)
{
    return attach_put(fx->st, fx->dir, UNIT_A, name, data, len, id, out, err);
}

static void test_dir_for(void **state)
{
    (void)state;
    char out[64];
    ag_error err;
    must(attach_dir_for("demo/auditgrid.db", out, sizeof out, &err), &err);
    assert_string_equal(out, "demo/auditgrid.db.files");
    char small[8];
    assert_int_equal(attach_dir_for("demo/auditgrid.db", small, sizeof small, &err), AG_ERR_INPUT);
    assert_non_null(strstr(err.en, "too long"));
}

/* One accepted sample: its name, bytes (owned) and the mime type expected. */
typedef struct sample {
    const char *name;
    char *data;
    size_t len;
    const char *mime;
} sample;

static sample sample_of(const char *name, const void *data, size_t len, const char *mime)
{
    sample s = {name, malloc(len), len, mime};
    memcpy(s.data, data, len);
    return s;
}

static sample sample_owned(const char *name, void *data, size_t len, const char *mime)
{
    sample s = {name, data, len, mime};
    return s;
}

/* Every accepted type, decided by the content. */
static void test_accepted_types(void **state)
{
    fixture *fx = *state;
    ag_error err;
    size_t n;
    sample cases[12];
    int k = 0;
    const char *pdf = "%PDF-1.7\n1 0 obj\n%%EOF\n";
    cases[k++] = sample_of("报告.pdf", pdf, strlen(pdf), "application/pdf");
    cases[k++] = sample_of("现场.png", "\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16, "image/png");
    cases[k++] = sample_of("发票.jpg", "\xFF\xD8\xFF\xE0\0\x10JF", 8, "image/jpeg");
    const char *docx[] = {"[Content_Types].xml", "_rels/.rels", "word/document.xml"};
    char *z = make_zip(docx, 3, &n);
    cases[k++] =
        sample_owned("整改报告.docx", z, n,
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    z = make_xlsx(&n);
    cases[k++] = sample_owned("台账.xlsx", z, n,
                              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const char *ofd[] = {"OFD.xml", "Doc_0/Document.xml"};
    z = make_zip(ofd, 2, &n);
    cases[k++] = sample_owned("电子发票.ofd", z, n, "application/ofd");
    unsigned char *ole = make_ole2("WordDocument", false, &n);
    cases[k++] = sample_owned("旧文档.doc", ole, n, "application/msword");
    ole = make_ole2("Workbook", true, &n);
    cases[k++] = sample_owned("旧表格.xls", ole, n, "application/vnd.ms-excel");
    ole = make_ole2("Book", false, &n);
    cases[k++] = sample_owned("Excel5.xls", ole, n, "application/vnd.ms-excel");
    const char *txt = "整改说明：\r\n\t已退回资金。\n";
    cases[k++] = sample_of("说明.txt", txt, strlen(txt), "text/plain; charset=utf-8");
    /* 审计整改 in GB18030 (GBK range). */
    cases[k++] =
        sample_of("gb.txt", "\xC9\xF3\xBC\xC6\xD5\xFB\xB8\xC4\n", 9, "text/plain; charset=gb18030");
    for (int i = 0; i < k; i++) {
        int64_t id = 0;
        json_t *o = NULL;
        ag_error_clear(&err);
        ag_err rc = put(fx, cases[i].name, cases[i].data, cases[i].len, &id, &o, &err);
        if (rc)
            fail_msg("%s refused: %s", cases[i].name, err.en);
        assert_true(id > 0);
        assert_string_equal(json_string_value(json_object_get(o, "mime")), cases[i].mime);
        assert_string_equal(json_string_value(json_object_get(o, "filename")), cases[i].name);
        assert_int_equal(json_integer_value(json_object_get(o, "bytes")), cases[i].len);
        assert_string_equal(json_string_value(json_object_get(o, "unit_code")), UNIT_A);
        assert_string_equal(json_string_value(json_object_get(o, "created_by")), "user:tester");
        char sha[AG_SHA256_HEX];
        ag_sha256_hex(cases[i].data, cases[i].len, sha);
        assert_string_equal(json_string_value(json_object_get(o, "sha256")), sha);
        json_decref(o);
        free(cases[i].data);
    }
    /* Each insert is an audited write; the chain stays intact. */
    ag_audit_report rep;
    must(store_audit_verify(fx->st, &rep, &err), &err);
    int64_t logged = 0;
    must(store_query_int(fx->st, &logged, &err,
                         "SELECT count(*) FROM audit_log WHERE tbl = 'attachment'", NULL),
         &err);
    assert_int_equal(logged, k);
}

static void expect_refused(fixture *fx, const char *name, const void *data, size_t len,
                           const char *en_part)
{
    ag_error err;
    int64_t id = 7;
    json_t *o = NULL;
    ag_error_clear(&err);
    ag_err rc = put(fx, name, data, len, &id, &o, &err);
    if (rc != AG_ERR_INPUT)
        fail_msg("%s: expected input rejected, got %s (%s)", name, ag_err_name(rc), err.en);
    assert_int_equal(id, 0);
    assert_null(o);
    assert_true(err.zh[0] != '\0');
    if (!strstr(err.en, en_part))
        fail_msg("%s: message \"%s\" lacks \"%s\"", name, err.en, en_part);
}

static void test_refusals(void **state)
{
    fixture *fx = *state;
    size_t n;
    expect_refused(fx, "空.pdf", "", 0, "empty");
    char *big = calloc(1, (size_t)ATTACH_MAX_BYTES + 1);
    memcpy(big, "%PDF-1.4\n", 9);
    expect_refused(fx, "大.pdf", big, (size_t)ATTACH_MAX_BYTES + 1, "too large");
    expect_refused(fx, "动图.gif", "GIF89a\x01\0\x01\0", 10, "GIF");
    expect_refused(fx, "程序.exe", "MZ\x90\0\x03\0\0\0", 8, "executable");
    expect_refused(fx, "bin.dat", "\x01\x02\x03\x04garbage", 11, "binary");
    expect_refused(fx, "u16.txt", "\xFF\xFE\x61\0\x62\0", 6, "UTF-16");
    expect_refused(fx, "bad.txt", "abc\xFF\xFF\n", 6, "neither UTF-8 nor GB18030");
    const char *plain[] = {"readme.txt", "data/a.csv"};
    char *z = make_zip(plain, 2, &n);
    expect_refused(fx, "材料.zip", z, n, "zip archive");
    free(z);
    const char *pptx[] = {"[Content_Types].xml", "ppt/presentation.xml"};
    z = make_zip(pptx, 2, &n);
    expect_refused(fx, "汇报.pptx", z, n, "neither Word nor Excel");
    free(z);
    expect_refused(fx, "坏.zip", "PK\x03\x04\0\0\0\0", 8, "damaged zip");
    unsigned char *ole = make_ole2("PowerPoint Document", false, &n);
    expect_refused(fx, "old.ppt", ole, n, "PowerPoint");
    free(ole);
    ole = make_ole2("EncryptedPackage", false, &n);
    expect_refused(fx, "secret.docx", ole, n, "encrypted");
    free(ole);
    ole = make_ole2("Contents", false, &n);
    expect_refused(fx, "other.doc", ole, n, "neither Word nor Excel");
    free(ole);
    expect_refused(fx, "short.doc", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8, "damaged");

    /* Bad names, with content that would be accepted. */
    const char pdf[] = "%PDF-1.4\n%%EOF\n";
    const char *bad[] = {"../etc/passwd.pdf",
                         "a/b.pdf",
                         "a\\b.pdf",
                         "tab\there.pdf",
                         "line\nbreak.pdf",
                         "del\x7F.pdf",
                         "c1\xC2\x85.pdf",
                         ".",
                         "..",
                         "evil\342\200\256fdp.exe", /* U+202E */
                         "\xFF\xFE.pdf"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_refused(fx, bad[i], pdf, sizeof pdf - 1, "rename");
    expect_refused(fx, "", pdf, sizeof pdf - 1, "no file name");
    expect_refused(fx, NULL, pdf, sizeof pdf - 1, "no file name");
    char longname[202];
    memset(longname, 'x', 201);
    longname[201] = '\0';
    expect_refused(fx, longname, pdf, sizeof pdf - 1, "too long");

    /* Nothing was stored: no row, no file. */
    int64_t rows = -1;
    ag_error err;
    must(store_query_int(fx->st, &rows, &err, "SELECT count(*) FROM attachment", NULL), &err);
    assert_int_equal(rows, 0);
    struct stat sb;
    assert_int_not_equal(stat(fx->dir, &sb), 0);

    /* An unknown unit is refused after the content checks. */
    int64_t id = 0;
    assert_int_equal(
        attach_put(fx->st, fx->dir, "NOSUCHUNIT", "a.pdf", pdf, sizeof pdf - 1, &id, NULL, &err),
        AG_ERR_NOTFOUND);
    assert_non_null(strstr(err.en, "NOSUCHUNIT"));

    /* Exactly the limit is fine. */
    json_t *o = NULL;
    must(put(fx, "大.pdf", big, ATTACH_MAX_BYTES, &id, &o, &err), &err);
    assert_int_equal(json_integer_value(json_object_get(o, "bytes")), ATTACH_MAX_BYTES);
    json_decref(o);
    free(big);
}

/* The name is kept; the type's extension is added when the name does not say it. */
static void test_names(void **state)
{
    fixture *fx = *state;
    ag_error err;
    const char pdf[] = "%PDF-1.4\n%%EOF\n";
    struct {
        const char *in, *kept;
        const char *data;
    } cases[] = {
        {"整改报告.PDF", "整改报告.PDF", pdf},
        {"report.exe", "report.exe.pdf", pdf},
        {"无扩展名", "无扩展名.pdf", pdf},
        {".hidden", ".hidden.pdf", pdf},
        {"page.html", "page.html.txt", "<script>alert(1)</script>\n"},
        {"明细.csv", "明细.csv", "a,b\n1,2\n"},
        {"名字 带空格 (1).jpeg", "名字 带空格 (1).jpeg", "\xFF\xD8\xFF\xDB"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *o = NULL;
        must(put(fx, cases[i].in, cases[i].data, strlen(cases[i].data), NULL, &o, &err), &err);
        assert_string_equal(json_string_value(json_object_get(o, "filename")), cases[i].kept);
        json_decref(o);
    }
    /* At the limit, the stem gives way to the extension, on a character boundary. */
    char name[201];
    memset(name, 'a', 199);
    memcpy(name + 195, "审", 3); /* bytes 195..197 */
    name[198] = 'b';
    name[199] = '\0';
    json_t *o = NULL;
    must(put(fx, name, pdf, sizeof pdf - 1, NULL, &o, &err), &err);
    const char *kept = json_string_value(json_object_get(o, "filename"));
    assert_true(strlen(kept) <= 200);
    assert_int_equal(strlen(kept), 195 + 4);
    assert_string_equal(kept + 195, ".pdf");
    json_decref(o);
}

static int count_files(const char *dir, int *temps)
{
    int n = 0;
    *temps = 0;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' && (e->d_name[1] == '\0' || strcmp(e->d_name, "..") == 0))
            continue;
        char p[2048];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (lstat(p, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode)) {
            int t = 0;
            n += count_files(p, &t);
            *temps += t;
        } else if (strncmp(e->d_name, ".tmp-", 5) == 0) {
            (*temps)++;
        } else {
            n++;
        }
    }
    closedir(d);
    return n;
}

static void stored_path(const fixture *fx, const char *sha, char *out, size_t cap)
{
    snprintf(out, cap, "%s/%.2s/%s", fx->dir, sha, sha);
}

/* Two uploads of the same content: two rows, one file. */
static void test_dedup(void **state)
{
    fixture *fx = *state;
    ag_error err;
    const char body[] = "%PDF-1.5\n同一份整改证明\n%%EOF\n";
    int64_t a = 0, b = 0;
    json_t *oa = NULL, *ob = NULL;
    must(put(fx, "证明.pdf", body, sizeof body - 1, &a, &oa, &err), &err);
    must(put(fx, "证明（副本）.pdf", body, sizeof body - 1, &b, &ob, &err), &err);
    assert_true(a != b);
    const char *sha = json_string_value(json_object_get(oa, "sha256"));
    assert_string_equal(sha, json_string_value(json_object_get(ob, "sha256")));
    int temps = 0;
    assert_int_equal(count_files(fx->dir, &temps), 1);
    assert_int_equal(temps, 0);
    char path[2048];
    stored_path(fx, sha, path, sizeof path);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_size, sizeof body - 1);

    /* A stored file of the wrong size is replaced by the next upload of that content. */
    assert_int_equal(truncate(path, 3), 0);
    int64_t c = 0;
    must(put(fx, "证明.pdf", body, sizeof body - 1, &c, NULL, &err), &err);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_size, sizeof body - 1);
    int fd = -1;
    must(attach_open(fx->st, fx->dir, a, NULL, true, &fd, NULL, &err), &err);
    close(fd);
    assert_int_equal(count_files(fx->dir, &temps), 1);
    json_decref(oa);
    json_decref(ob);

    /* From a file on disk: the name defaults to the file's own. */
    char src[1024];
    ag_test_path(src, sizeof src, "upload.txt");
    FILE *f = fopen(src, "wb");
    fputs("从磁盘上传的说明\n", f);
    fclose(f);
    json_t *o = NULL;
    must(attach_put_file(fx->st, fx->dir, UNIT_A, src, NULL, &c, &o, &err), &err);
    const char *base = strrchr(src, '/') + 1;
    assert_string_equal(json_string_value(json_object_get(o, "filename")), base);
    json_decref(o);
    /* Too big is refused before reading. */
    f = fopen(src, "wb");
    fclose(f);
    assert_int_equal(truncate(src, (off_t)ATTACH_MAX_BYTES + 1), 0);
    assert_int_equal(attach_put_file(fx->st, fx->dir, UNIT_A, src, "big.pdf", &c, NULL, &err),
                     AG_ERR_INPUT);
    assert_non_null(strstr(err.en, "too large"));
    unlink(src);
    assert_int_equal(attach_put_file(fx->st, fx->dir, UNIT_A, src, "x.pdf", &c, NULL, &err),
                     AG_ERR_NOTFOUND);
}

/* The stored file is checked on opening: size always, SHA-256 when asked. */
static void test_tamper(void **state)
{
    fixture *fx = *state;
    ag_error err;
    const char body[] = "%PDF-1.4\n原始的审计证据\n%%EOF\n";
    int64_t id = 0;
    json_t *o = NULL;
    must(put(fx, "证据.pdf", body, sizeof body - 1, &id, &o, &err), &err);
    char path[2048];
    stored_path(fx, json_string_value(json_object_get(o, "sha256")), path, sizeof path);
    json_decref(o);

    int fd = -1;
    json_t *meta = NULL;
    must(attach_open(fx->st, fx->dir, id, NULL, true, &fd, &meta, &err), &err);
    char buf[128];
    ssize_t r = read(fd, buf, sizeof buf);
    close(fd);
    assert_int_equal(r, sizeof body - 1);
    assert_memory_equal(buf, body, sizeof body - 1);
    assert_string_equal(json_string_value(json_object_get(meta, "filename")), "证据.pdf");
    assert_true(json_is_null(json_object_get(meta, "owner_kind")));
    json_decref(meta);

    /* One byte changed, same size: only the hash notices. */
    int w = open(path, O_WRONLY);
    assert_true(w >= 0);
    assert_int_equal(pwrite(w, "X", 1, 10), 1);
    close(w);
    must(attach_open(fx->st, fx->dir, id, NULL, false, &fd, NULL, &err), &err);
    close(fd);
    fd = 5;
    assert_int_equal(attach_open(fx->st, fx->dir, id, NULL, true, &fd, NULL, &err), AG_ERR_TAMPER);
    assert_int_equal(fd, -1);
    assert_non_null(strstr(err.en, "SHA-256"));

    /* Grown: the size is enough. */
    w = open(path, O_WRONLY | O_APPEND);
    assert_int_equal(write(w, "!", 1), 1);
    close(w);
    assert_int_equal(attach_open(fx->st, fx->dir, id, NULL, false, &fd, NULL, &err), AG_ERR_TAMPER);
    assert_non_null(strstr(err.en, "size"));

    /* Gone. */
    unlink(path);
    assert_int_equal(attach_open(fx->st, fx->dir, id, NULL, true, &fd, NULL, &err),
                     AG_ERR_NOTFOUND);
    assert_non_null(strstr(err.en, "missing"));

    /* A row whose hash was edited never leads outside the folder. */
    char sql[256];
    snprintf(sql, sizeof sql,
             "UPDATE attachment SET sha256 = '../../../etc/passwd' WHERE id = %lld", (long long)id);
    must(store_exec(fx->st, sql, &err), &err);
    assert_int_equal(attach_open(fx->st, fx->dir, id, NULL, false, &fd, NULL, &err), AG_ERR_TAMPER);
}

static ag_scope scope_of(const char *role, const char *unit, const char *cell)
{
    ag_scope sc;
    ag_error err;
    must(scope_init(&sc, role, unit, cell, 0, &err), &err);
    return sc;
}

/* Replaces the first occurrence of `from` in s by `to` (for comparing messages). */
static void swap_id(char *s, size_t cap, long long from, long long to)
{
    char f[32], t[32], out[1024];
    snprintf(f, sizeof f, "%lld", from);
    snprintf(t, sizeof t, "%lld", to);
    char *p = strstr(s, f);
    assert_non_null(p);
    snprintf(out, sizeof out, "%.*s%s%s", (int)(p - s), s, t, p + strlen(f));
    assert_true(strlen(out) < cap);
    memcpy(s, out, strlen(out) + 1);
}

/* Out of scope looks exactly like missing. */
static void test_scope(void **state)
{
    fixture *fx = *state;
    ag_error err;
    const char body[] = "医院的证明材料\n";
    int64_t id_b = 0;
    must(attach_put(fx->st, fx->dir, UNIT_B, "医院.txt", body, sizeof body - 1, &id_b, NULL, &err),
         &err);
    ag_scope auditor_a = scope_of("auditor", UNIT_A, NULL);
    ag_scope auditor_b = scope_of("auditor", UNIT_B, NULL);
    ag_scope sup_b = scope_of("supervisor", NULL, "D02");
    ag_scope sup_a = scope_of("supervisor", NULL, "D01");
    ag_scope admin = scope_of("admin", NULL, NULL);

    json_t *o = NULL;
    must(attach_get(fx->st, id_b, &auditor_b, &o, &err), &err);
    json_decref(o);
    must(attach_get(fx->st, id_b, &sup_b, &o, &err), &err);
    json_decref(o);
    must(attach_get(fx->st, id_b, &admin, &o, &err), &err);
    json_decref(o);

    ag_error hidden, missing;
    assert_int_equal(attach_get(fx->st, id_b, &auditor_a, &o, &hidden), AG_ERR_NOTFOUND);
    assert_null(o);
    long long absent = 987654;
    assert_int_equal(attach_get(fx->st, absent, &auditor_a, &o, &missing), AG_ERR_NOTFOUND);
    swap_id(missing.en, sizeof missing.en, absent, (long long)id_b);
    swap_id(missing.zh, sizeof missing.zh, absent, (long long)id_b);
    assert_string_equal(hidden.en, missing.en);
    assert_string_equal(hidden.zh, missing.zh);
    assert_string_equal(hidden.where, missing.where);
    assert_int_equal(attach_get(fx->st, id_b, &sup_a, &o, &err), AG_ERR_NOTFOUND);

    int fd = 9;
    ag_error opened;
    assert_int_equal(attach_open(fx->st, fx->dir, id_b, &auditor_a, true, &fd, NULL, &opened),
                     AG_ERR_NOTFOUND);
    assert_int_equal(fd, -1);
    assert_string_equal(opened.en, hidden.en);
    must(attach_open(fx->st, fx->dir, id_b, &sup_b, true, &fd, NULL, &err), &err);
    close(fd);
}

/* Claiming: only unowned attachments of the same unit, all or nothing. */
static void test_claim(void **state)
{
    fixture *fx = *state;
    ag_error err;
    int64_t a1 = 0, a2 = 0, b1 = 0;
    must(put(fx, "一.txt", "第一份\n", strlen("第一份\n"), &a1, NULL, &err), &err);
    must(put(fx, "二.txt", "第二份\n", strlen("第二份\n"), &a2, NULL, &err), &err);
    must(attach_put(fx->st, fx->dir, UNIT_B, "乙.txt", "乙单位\n", strlen("乙单位\n"), &b1, NULL,
                    &err),
         &err);

    /* Another unit's attachment: refused, and nothing of the batch is claimed. */
    int64_t mixed[] = {a1, b1};
    assert_int_equal(attach_claim(fx->st, UNIT_A, mixed, 2, "rect_event", 41, &err),
                     AG_ERR_NOTFOUND);
    char other[512];
    snprintf(other, sizeof other, "%s", err.en);
    json_t *o = NULL;
    must(attach_get(fx->st, a1, NULL, &o, &err), &err);
    assert_true(json_is_null(json_object_get(o, "owner_kind")));
    json_decref(o);

    int64_t ids[] = {a1, a2};
    must(attach_claim(fx->st, UNIT_A, ids, 2, "rect_event", 41, &err), &err);
    must(attach_get(fx->st, a2, NULL, &o, &err), &err);
    assert_string_equal(json_string_value(json_object_get(o, "owner_kind")), "rect_event");
    assert_int_equal(json_integer_value(json_object_get(o, "owner_id")), 41);
    json_decref(o);

    /* Already owned, missing and foreign give the same message shape. */
    assert_int_equal(attach_claim(fx->st, UNIT_A, &a1, 1, "finding", 3, &err), AG_ERR_NOTFOUND);
    swap_id(err.en, sizeof err.en, (long long)a1, (long long)b1);
    assert_string_equal(err.en, other);
    int64_t none = 99999;
    assert_int_equal(attach_claim(fx->st, UNIT_A, &none, 1, "finding", 3, &err), AG_ERR_NOTFOUND);
    assert_int_equal(attach_claim(fx->st, UNIT_A, &a2, 1, "nonsense", 3, &err), AG_ERR_INTERNAL);
    must(attach_claim(fx->st, UNIT_A, NULL, 0, "finding", 3, &err), &err);

    json_t *list = NULL;
    /* Every owner the schema's CHECK allows can claim a file (guidance opinions, their replies,
     * submissions, rating answers and assessment items once failed here with "unknown kind"). */
    static const char *const kinds[] = {"record",         "finding",    "guidance",
                                        "guidance_reply", "submission", "rating_answer",
                                        "assess_item"};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        int64_t k = 0;
        must(put(fx, "三.txt", kinds[i], strlen(kinds[i]), &k, NULL, &err), &err);
        must(attach_claim(fx->st, UNIT_A, &k, 1, kinds[i], 500 + (int64_t)i, &err), &err);
        must(attach_list_owned(fx->st, kinds[i], 500 + (int64_t)i, &list, &err), &err);
        assert_int_equal(json_array_size(list), 1);
        json_decref(list);
    }

    must(attach_list_owned(fx->st, "rect_event", 41, &list, &err), &err);
    assert_int_equal(json_array_size(list), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "id")), a1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 1), "filename")),
                        "二.txt");
    assert_non_null(json_object_get(json_array_get(list, 0), "sha256"));
    json_decref(list);
    must(attach_list_owned(fx->st, "finding", 3, &list, &err), &err);
    assert_int_equal(json_array_size(list), 0);
    json_decref(list);

    ag_audit_report rep;
    must(store_audit_verify(fx->st, &rep, &err), &err);
}

/* A file at dir/<name[0..1]>/<name> with `text`, last modified `age` seconds ago. */
static void plant(const fixture *fx, const char *name, const char *text, time_t age, char *path,
                  size_t cap)
{
    char sub[1200];
    if ((size_t)snprintf(sub, sizeof sub, "%s/%.2s", fx->dir, name[0] == '.' ? "ab" : name) >=
            sizeof sub ||
        (size_t)snprintf(path, cap, "%s/%s", sub, name) >= cap)
        fail_msg("path too long");
    mkdir(fx->dir, 0750);
    mkdir(sub, 0750);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    struct timespec t[2] = {{time(NULL) - age, 0}, {time(NULL) - age, 0}};
    assert_int_equal(utimensat(AT_FDCWD, path, t, 0), 0);
}

/* gc removes old unreferenced files and temporaries, and nothing else. */
static void test_gc(void **state)
{
    fixture *fx = *state;
    ag_error err;
    attach_gc_report rep;
    /* Nothing attached yet: no folder, nothing to do. */
    must(attach_gc(fx->st, fx->dir, 3600, &rep, &err), &err);
    assert_int_equal(rep.files + rep.temps + rep.kept, 0);

    int64_t id = 0;
    json_t *meta = NULL;
    must(put(fx, "说明.txt", "整改说明\n", 13, &id, &meta, &err), &err);
    char used[1200];
    const char *sha = json_string_value(json_object_get(meta, "sha256"));
    snprintf(used, sizeof used, "%s/%.2s/%s", fx->dir, sha, sha);
    struct timespec old[2] = {{time(NULL) - 86400, 0}, {time(NULL) - 86400, 0}};
    assert_int_equal(utimensat(AT_FDCWD, used, old, 0), 0); /* old, but referenced */
    json_decref(meta);

    char orphan[1200], fresh[1200], temp[1200], foreign[1200];
    const char *o = "ab00000000000000000000000000000000000000000000000000000000000000";
    const char *f = "ab11111111111111111111111111111111111111111111111111111111111111";
    plant(fx, o, "orphan", 7200, orphan, sizeof orphan);
    plant(fx, f, "uploading", 10, fresh, sizeof fresh);
    plant(fx, ".tmp-ab22222222-XXXXXX", "half", 7200, temp, sizeof temp);
    plant(fx, "abnotes.txt", "someone else's", 7200, foreign, sizeof foreign);

    must(attach_gc(fx->st, fx->dir, 3600, &rep, &err), &err);
    assert_int_equal(rep.files, 1);
    assert_int_equal(rep.temps, 1);
    assert_int_equal(rep.bytes, 6 + 4);
    assert_int_equal(rep.kept, 1);
    assert_int_equal(access(orphan, F_OK), -1);
    assert_int_equal(access(temp, F_OK), -1);
    assert_int_equal(access(fresh, F_OK), 0);   /* maybe an upload in progress */
    assert_int_equal(access(foreign, F_OK), 0); /* not named like ours */
    assert_int_equal(access(used, F_OK), 0);

    /* The kept attachment still opens and verifies. */
    int fd = -1;
    must(attach_open(fx->st, fx->dir, id, NULL, true, &fd, NULL, &err), &err);
    close(fd);
    /* Age 0 takes the fresh orphan too; a second run finds nothing more. */
    must(attach_gc(fx->st, fx->dir, 0, &rep, &err), &err);
    assert_int_equal(rep.files, 1);
    must(attach_gc(fx->st, fx->dir, 0, &rep, &err), &err);
    assert_int_equal(rep.files + rep.temps, 0);
    assert_int_equal(rep.kept, 1);
}

/* Sets the times of path age_s seconds into the past (a symlink itself, not its target). */
static void age(const char *path, time_t age_s)
{
    struct timespec ts[2];
    ts[0].tv_sec = ts[1].tv_sec = time(NULL) - age_s;
    ts[0].tv_nsec = ts[1].tv_nsec = 0;
    assert_int_equal(utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW), 0);
}

static void put_file(const char *path)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("voucher_date,voucher_no\n", f);
    fclose(f);
}

/* issue 12 §7: the spool folders a crash mid-upload leaves are removed once stale; an upload
 * in progress, other names and symlinks are left alone. */
static void test_spool_clean(void **state)
{
    (void)state;
    char base[1024], stale[1100], fresh[1100], other[1100], link[1100], target[1100], f[1200];
    ag_test_path(base, sizeof base, "spool");
    assert_int_equal(mkdir(base, 0700), 0);
    snprintf(stale, sizeof stale, "%s/" ATTACH_SPOOL_PREFIX "St4le1", base);
    snprintf(fresh, sizeof fresh, "%s/" ATTACH_SPOOL_PREFIX "Fr3sh1", base);
    snprintf(other, sizeof other, "%s/other-upload.x", base);
    snprintf(link, sizeof link, "%s/" ATTACH_SPOOL_PREFIX "L1nk00", base);
    snprintf(target, sizeof target, "%s-target", base);
    assert_int_equal(mkdir(stale, 0700), 0);
    assert_int_equal(mkdir(fresh, 0700), 0);
    assert_int_equal(mkdir(other, 0700), 0);
    assert_int_equal(mkdir(target, 0700), 0);
    assert_int_equal(symlink(target, link), 0);
    snprintf(f, sizeof f, "%s/ledger.csv", stale);
    put_file(f);
    age(f, 7200);
    age(stale, 7200);
    /* The fresh folder is old but its file is still being written. */
    snprintf(f, sizeof f, "%s/ledger.csv", fresh);
    put_file(f);
    age(fresh, 7200);
    age(other, 7200);
    age(link, 7200);
    age(target, 7200);

    int64_t n = -1, bytes = -1;
    ag_error err;
    must(attach_spool_clean(base, 3600, &n, &bytes, &err), &err);
    assert_int_equal(n, 1);
    assert_int_equal(bytes, 24);
    assert_int_equal(access(stale, F_OK), -1);
    assert_int_equal(access(fresh, F_OK), 0);
    assert_int_equal(access(other, F_OK), 0);
    assert_int_equal(access(target, F_OK), 0);
    struct stat sb;
    assert_int_equal(lstat(link, &sb), 0);
    /* Age 0 takes the fresh one too (never the symlink); a missing folder is fine. */
    must(attach_spool_clean(base, 0, &n, NULL, &err), &err);
    assert_int_equal(n, 1);
    assert_int_equal(access(fresh, F_OK), -1);
    assert_int_equal(lstat(link, &sb), 0);
    char missing[1100];
    snprintf(missing, sizeof missing, "%s/none", base);
    must(attach_spool_clean(missing, 0, &n, NULL, &err), &err);
    assert_int_equal(n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dir_for),
        cmocka_unit_test_setup_teardown(test_accepted_types, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dedup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tamper, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_claim, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gc, setup, teardown),
        cmocka_unit_test(test_spool_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
