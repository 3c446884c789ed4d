/* attach.c - attachments: type told by content, stored once by SHA-256, opened within scope. */
#include "domain/attach.h"

#include <errno.h>
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

#include "util/buf.h"
#include "util/clock.h"
#include "util/encoding.h"
#include "util/hash.h"
#include "util/banned.h"

/* Longest file name kept for download (bytes of UTF-8). */
#define ATTACH_MAX_NAME 200
/* A zip with more members than this is not an office document we accept. */
#define ATTACH_ZIP_MAX_MEMBERS 65536
/* Text is checked for GB18030 in pieces of about this size (cut at line ends). */
#define ATTACH_TEXT_PIECE (1u << 20)

/* ---- Content sniffing ------------------------------------------------------ */

/* One accepted type: its mime type, a short name for messages and the file
 * name extensions that already say it (the first is added when none does). */
typedef struct attach_type {
    const char *mime;
    const char *label;
    const char *const exts[5];
} attach_type;

static const attach_type TYPE_PDF = {"application/pdf", "PDF", {"pdf"}};
static const attach_type TYPE_PNG = {"image/png", "PNG", {"png"}};
static const attach_type TYPE_JPEG = {"image/jpeg", "JPEG", {"jpg", "jpeg", "jpe", "jfif"}};
static const attach_type TYPE_DOCX = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX", {"docx"}};
static const attach_type TYPE_XLSX = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX", {"xlsx"}};
static const attach_type TYPE_OFD = {"application/ofd", "OFD", {"ofd"}};
static const attach_type TYPE_DOC = {"application/msword", "DOC", {"doc", "wps", "dot"}};
static const attach_type TYPE_XLS = {"application/vnd.ms-excel", "XLS", {"xls", "et", "xlt"}};
static const attach_type TYPE_TEXT_UTF8 = {
    "text/plain; charset=utf-8", "UTF-8 text", {"txt", "csv", "tsv", "log", "md"}};
static const attach_type TYPE_TEXT_GB = {
    "text/plain; charset=gb18030", "GB18030 text", {"txt", "csv", "tsv", "log", "md"}};

#define ACCEPTED_ZH                                                                                \
    "PDF、OFD、Word（doc/docx）、Excel（xls/xlsx）、PNG/JPEG 图片或纯文本（UTF-8/GB18030）"
#define ACCEPTED_EN                                                                                \
    "PDF, OFD, Word (doc/docx), Excel (xls/xlsx), PNG/JPEG images or plain text (UTF-8/GB18030)"

static ag_err refuse_type(ag_error *err, const char *where, const char *what_zh,
                          const char *what_en)
{
    return ag_fail(err, AG_ERR_INPUT, where, "不接受的文件类型（%s%.0s）；只接受 " ACCEPTED_ZH,
                   "file type not accepted (%.0s%s); accepted are " ACCEPTED_EN, what_zh, what_en);
}

static bool starts(const unsigned char *p, size_t n, const char *magic, size_t m)
{
    return n >= m && memcmp(p, magic, m) == 0;
}

/* Tells the office zip containers apart by their members. */
static ag_err sniff_zip(const void *data, size_t len, const char *where, const attach_type **out,
                        ag_error *err)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    if (!src) {
        zip_error_fini(&ze);
        return ag_fail(err, AG_ERR_NOMEM, where, "内存不足", "out of memory");
    }
    zip_t *za = zip_open_from_source(src, ZIP_RDONLY, &ze);
    if (!za) {
        zip_source_free(src);
        zip_error_fini(&ze);
        return refuse_type(err, where, "损坏的 zip 压缩包", "a damaged zip archive");
    }
    zip_error_fini(&ze);
    zip_int64_t n = zip_get_num_entries(za, 0);
    bool types = false, word = false, xl = false, ofd = false;
    for (zip_int64_t i = 0; i < n && i < ATTACH_ZIP_MAX_MEMBERS; i++) {
        const char *name = zip_get_name(za, (zip_uint64_t)i, 0);
        if (!name)
            continue;
        if (strcmp(name, "[Content_Types].xml") == 0)
            types = true;
        else if (strncmp(name, "word/", 5) == 0)
            word = true;
        else if (strncmp(name, "xl/", 3) == 0)
            xl = true;
        else if (strcasecmp(name, "OFD.xml") == 0)
            ofd = true;
    }
    zip_discard(za);
    *out = NULL;
    if (n > ATTACH_ZIP_MAX_MEMBERS)
        return refuse_type(err, where, "成员过多的 zip 压缩包",
                           "a zip archive with too many members");
    if (types && word)
        *out = &TYPE_DOCX;
    else if (types && xl)
        *out = &TYPE_XLSX;
    else if (ofd)
        *out = &TYPE_OFD;
    if (*out)
        return AG_OK;
    if (types)
        return refuse_type(err, where, "既不是 Word 也不是 Excel 的 Office 文档（如 pptx）",
                           "an Office document that is neither Word nor Excel (e.g. pptx)");
    return refuse_type(err, where, "zip 压缩包；请解压后逐个上传其中的文件",
                       "a zip archive; unpack it and upload its files one by one");
}

/* ---- OLE2 compound files (Word 97-2003 .doc, Excel 97-2003 .xls) ------------ */

#define CFB_ENDOFCHAIN   0xFFFFFFFEu
#define CFB_HEADER_DIFAT 109u

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

typedef struct cfb {
    const unsigned char *p;
    size_t len;
    size_t ss;       /* sector size: 512 or 4096 */
    uint32_t nsect;  /* sectors that fit in the file */
    uint32_t difat1; /* first DIFAT sector beyond the header's 109 entries */
} cfb;

/* The offset of sector s, or 0 when it lies outside the file. */
static size_t cfb_off(const cfb *c, uint32_t s)
{
    if (s >= c->nsect)
        return 0;
    return ((size_t)s + 1) * c->ss;
}

/* The sector that follows s in its chain, or CFB_ENDOFCHAIN on any fault. */
static uint32_t cfb_next(const cfb *c, uint32_t s)
{
    uint32_t per = (uint32_t)(c->ss / 4);
    uint32_t idx = s / per, fat;
    if (idx < CFB_HEADER_DIFAT) {
        fat = le32(c->p + 76 + 4 * idx);
    } else {
        /* The DIFAT continues in a chain of sectors, each ending in the next one. */
        idx -= CFB_HEADER_DIFAT;
        uint32_t cur = c->difat1;
        for (uint32_t hops = 0; idx >= per - 1; hops++) {
            size_t off = cfb_off(c, cur);
            if (!off || hops > c->nsect)
                return CFB_ENDOFCHAIN;
            cur = le32(c->p + off + c->ss - 4);
            idx -= per - 1;
        }
        size_t off = cfb_off(c, cur);
        if (!off)
            return CFB_ENDOFCHAIN;
        fat = le32(c->p + off + 4 * idx);
    }
    size_t off = cfb_off(c, fat);
    if (!off)
        return CFB_ENDOFCHAIN;
    return le32(c->p + off + 4 * (s % per));
}

/* Whether a directory entry's UTF-16LE name is the ASCII `name` (any case). */
static bool cfb_name_is(const unsigned char *e, const char *name)
{
    size_t n = strlen(name);
    if (le16(e + 64) != (n + 1) * 2)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned ch = le16(e + 2 * i);
        unsigned a = (unsigned char)name[i];
        if (ch >= 'a' && ch <= 'z')
            ch -= 32;
        if (a >= 'a' && a <= 'z')
            a -= 32;
        if (ch != a)
            return false;
    }
    return true;
}

/* Walks the directory of a compound file for the streams that tell Word from Excel. */
static ag_err sniff_ole2(const void *data, size_t len, const char *where, const attach_type **out,
                         ag_error *err)
{
    cfb c = {data, len, 0, 0, 0};
    *out = NULL;
    unsigned shift = len >= 512 ? le16(c.p + 30) : 0;
    if (shift != 9 && shift != 12)
        return refuse_type(err, where, "损坏的 Office 97-2003 文件",
                           "a damaged Office 97-2003 file");
    c.ss = (size_t)1 << shift;
    size_t sectors = len / c.ss;
    c.nsect = sectors > 0 ? (uint32_t)(sectors - 1) : 0;
    c.difat1 = le32(c.p + 68);
    bool word = false, excel = false, encrypted = false, other = false;
    uint32_t s = le32(c.p + 48);
    for (uint32_t hops = 0; s != CFB_ENDOFCHAIN && hops <= c.nsect; hops++) {
        size_t off = cfb_off(&c, s);
        if (!off)
            break;
        for (size_t e = 0; e + 128 <= c.ss; e += 128) {
            const unsigned char *ent = c.p + off + e;
            if (ent[66] != 2) /* streams only */
                continue;
            if (cfb_name_is(ent, "WordDocument"))
                word = true;
            else if (cfb_name_is(ent, "Workbook") || cfb_name_is(ent, "Book"))
                excel = true;
            else if (cfb_name_is(ent, "EncryptedPackage"))
                encrypted = true;
            else if (cfb_name_is(ent, "PowerPoint Document"))
                other = true;
        }
        s = cfb_next(&c, s);
    }
    if (word)
        *out = &TYPE_DOC;
    else if (excel)
        *out = &TYPE_XLS;
    if (*out)
        return AG_OK;
    if (encrypted)
        return refuse_type(err, where, "加密的 Office 文档；请去掉密码后再上传",
                           "an encrypted Office document; remove the password and upload again");
    if (other)
        return refuse_type(err, where, "PowerPoint 文件", "a PowerPoint file");
    return refuse_type(err, where, "既不是 Word 也不是 Excel 的 Office 97-2003 文件",
                       "an Office 97-2003 file that is neither Word nor Excel");
}

/* ---- Plain text -------------------------------------------------------------- */

/* Text is UTF-8 or GB18030 without control characters other than tab, line
 * ends and form feed (in both encodings every byte below 0x80 is ASCII). */
static ag_err sniff_text(const void *data, size_t len, const char *where, const attach_type **out,
                         ag_error *err)
{
    const unsigned char *p = data;
    *out = NULL;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = p[i];
        if ((ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r' && ch != '\f') || ch == 0x7F) {
            if (ch == 0 && len >= 2 &&
                ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF)))
                return refuse_type(err, where, "UTF-16 文本；请另存为 UTF-8",
                                   "UTF-16 text; save it as UTF-8");
            return refuse_type(err, where, "无法识别的二进制文件", "an unrecognised binary file");
        }
    }
    if (ag_utf8_valid(data, len, false)) {
        *out = &TYPE_TEXT_UTF8;
        return AG_OK;
    }
    ag_conv *cv = NULL;
    ag_error e2;
    ag_err rc = ag_conv_open(AG_ENC_GB18030, &cv, &e2);
    if (rc)
        return ag_fail(err, rc, where, "%s%.0s", "%.0s%s", e2.zh, e2.en);
    ag_buf out8;
    /* Bounded by what the longest piece can become (4 bytes of UTF-8 per byte). */
    ag_buf_init(&out8, 4 * len + 64);
    size_t pos = 0;
    while (!rc && pos < len) {
        /* Cut after a byte below 0x30 (line end, space, comma): it is never
         * part of a GB18030 sequence. */
        size_t end = len - pos > ATTACH_TEXT_PIECE ? pos + ATTACH_TEXT_PIECE : len;
        while (end < len && p[end - 1] >= 0x30)
            end++;
        size_t bad = 0;
        ag_buf_reset(&out8);
        rc = ag_conv_run(cv, (const char *)p + pos, end - pos, &out8, &bad, &e2);
        if (rc == AG_ERR_INPUT)
            rc = refuse_type(err, where, "既不是 UTF-8 也不是 GB18030 的文本或未知的二进制文件",
                             "neither UTF-8 nor GB18030 text, or an unknown binary file");
        else if (rc)
            rc = ag_fail(err, rc, where, "%s%.0s", "%.0s%s", e2.zh, e2.en);
        pos = end;
    }
    ag_buf_release(&out8);
    ag_conv_close(cv);
    if (!rc)
        *out = &TYPE_TEXT_GB;
    return rc;
}

/* Decides the type from the first bytes (and for containers, their insides). */
static ag_err sniff(const void *data, size_t len, const char *where, const attach_type **out,
                    ag_error *err)
{
    const unsigned char *p = data;
    *out = NULL;
    /* %PDF- must open the file: a PDF marker further in is how polyglots hide. */
    if (starts(p, len, "%PDF-", 5)) {
        *out = &TYPE_PDF;
        return AG_OK;
    }
    if (starts(p, len, "\x89PNG\r\n\x1A\n", 8)) {
        *out = &TYPE_PNG;
        return AG_OK;
    }
    if (starts(p, len, "\xFF\xD8\xFF", 3)) {
        *out = &TYPE_JPEG;
        return AG_OK;
    }
    if (starts(p, len, "PK\x03\x04", 4) || starts(p, len, "PK\x05\x06", 4))
        return sniff_zip(data, len, where, out, err);
    if (starts(p, len, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
        return sniff_ole2(data, len, where, out, err);
    /* Name a few common refusals so the message helps. */
    static const struct {
        const char *magic;
        size_t n;
        const char *zh, *en;
    } known[] = {
        {"Rar!", 4, "RAR 压缩包；请解压后逐个上传",
         "a RAR archive; unpack it and upload its files"},
        {"7z\xBC\xAF", 4, "7z 压缩包；请解压后逐个上传",
         "a 7z archive; unpack it and upload its files"},
        {"\x1F\x8B", 2, "gzip 压缩文件", "a gzip file"},
        {"GIF8", 4, "GIF 图片；请另存为 PNG 或 JPEG", "a GIF image; save it as PNG or JPEG"},
        {"BM", 2, "BMP 图片；请另存为 PNG 或 JPEG", "a BMP image; save it as PNG or JPEG"},
        {"II*\0", 4, "TIFF 图片；请另存为 PDF、PNG 或 JPEG",
         "a TIFF image; save it as PDF, PNG or JPEG"},
        {"MM\0*", 4, "TIFF 图片；请另存为 PDF、PNG 或 JPEG",
         "a TIFF image; save it as PDF, PNG or JPEG"},
        {"MZ", 2, "可执行程序", "an executable program"},
        {"\x7F"
         "ELF",
         4, "可执行程序", "an executable program"},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (starts(p, len, known[i].magic, known[i].n))
            return refuse_type(err, where, known[i].zh, known[i].en);
    return sniff_text(data, len, where, out, err);
}

/* ---- File names ---------------------------------------------------------------- */

/* Checks the name given for download: present, short, UTF-8, no path and no
 * characters that hide or break it. */
static ag_err check_name(const char *name, ag_error *err)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0)
        return ag_fail(err, AG_ERR_INPUT, "filename", "附件缺少文件名；请给出文件名",
                       "the attachment has no file name; give one");
    if (n > ATTACH_MAX_NAME)
        return ag_fail(err, AG_ERR_INPUT, "filename",
                       "文件名过长（%zu 字节，上限 %d 字节）；请改短后再上传",
                       "file name too long (%zu bytes, limit %d); shorten it and upload again", n,
                       ATTACH_MAX_NAME);
    if (!ag_utf8_valid(name, n, false))
        return ag_fail(err, AG_ERR_INPUT, "filename", "文件名不是有效的 UTF-8；请重命名后再上传",
                       "file name is not valid UTF-8; rename the file and upload again");
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return ag_fail(err, AG_ERR_INPUT, "filename", "文件名“%s”无效；请重命名后再上传",
                       "file name \"%s\" is not valid; rename the file and upload again", name);
    const unsigned char *u = (const unsigned char *)name;
    for (size_t i = 0; i < n; i++) {
        bool bad = u[i] < 0x20 || u[i] == 0x7F || u[i] == '/' || u[i] == '\\';
        /* C1 controls (U+0080..U+009F) and the bidirectional overrides
         * (U+202A..U+202E, U+2066..U+2069) that disguise an extension. */
        if (u[i] == 0xC2 && i + 1 < n && u[i + 1] < 0xA0)
            bad = true;
        if (u[i] == 0xE2 && i + 2 < n &&
            ((u[i + 1] == 0x80 && u[i + 2] >= 0xAA && u[i + 2] <= 0xAE) ||
             (u[i + 1] == 0x81 && u[i + 2] >= 0xA6 && u[i + 2] <= 0xA9)))
            bad = true;
        if (bad)
            return ag_fail(err, AG_ERR_INPUT, "filename",
                           "文件名含有路径分隔符或控制字符（第 %zu 字节）；请重命名后再上传",
                           "file name contains a path separator or control character (byte "
                           "%zu); rename the file and upload again",
                           i + 1);
    }
    return AG_OK;
}

/* The name kept for download: the name as given, with the type's extension
 * added when it does not already end in one (so a file saved from a download
 * opens as what it is, never as .html or .exe). */
static void kept_name(const char *name, const attach_type *t, char *out, size_t cap)
{
    size_t n = strlen(name);
    const char *dot = strrchr(name, '.');
    if (dot && dot != name)
        for (int i = 0; i < 5 && t->exts[i]; i++)
            if (strcasecmp(dot + 1, t->exts[i]) == 0) {
                snprintf(out, cap, "%s", name);
                return;
            }
    /* Room for ".ext" within the limit: shorten the stem on a character boundary. */
    size_t ext = strlen(t->exts[0]) + 1, keep = n;
    if (keep + ext > ATTACH_MAX_NAME)
        keep = ATTACH_MAX_NAME - ext;
    char stem[ATTACH_MAX_NAME + 1];
    snprintf(stem, sizeof stem, "%.*s", (int)keep, name);
    ag_utf8_trim_tail(stem);
    snprintf(out, cap, "%s.%s", stem, t->exts[0]);
}

/* ---- The content-addressed folder ---------------------------------------------- */

static ag_err io_fail(ag_error *err, const char *path, const char *what_zh, const char *what_en)
{
    int e = errno;
    return ag_fail(err, AG_ERR_IO, path, "%s%.0s失败：%s；请检查附件目录的权限和磁盘空间",
                   "%.0s%s failed: %s; check the attachment folder's permissions and free space",
                   what_zh, what_en, strerror(e));
}

static ag_err fsync_dir(const char *path, ag_error *err)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return io_fail(err, path, "打开目录", "opening the folder");
    int r = fsync(fd);
    int e = errno;
    close(fd);
    errno = e;
    return r ? io_fail(err, path, "同步目录", "syncing the folder") : AG_OK;
}

/* Creates path (one level) when missing, making the new entry durable in parent. */
static ag_err ensure_dir(const char *path, const char *parent, ag_error *err)
{
    if (mkdir(path, 0750) == 0)
        return parent ? fsync_dir(parent, err) : AG_OK;
    struct stat sb;
    if (errno == EEXIST && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return AG_OK;
    if (errno == EEXIST)
        errno = ENOTDIR;
    return io_fail(err, path, "创建目录", "creating the folder");
}

/* The folder's parent, for making a new folder durable ("." when none). */
static void parent_of(const char *path, char *out, size_t cap)
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

static ag_err write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return AG_ERR_IO;
        p += w;
        len -= (size_t)w;
    }
    return AG_OK;
}

/* Writes dir/<sha[0..1]>/<sha> unless a file of the right size is there;
 * a wrong-sized one is replaced (the name is the content's hash, so the right
 * content is known). Temporary file, fsync, rename, fsync of the folder. */
static ag_err store_file(const char *dir, const char *sha, const void *data, size_t len,
                         ag_error *err)
{
    char parent[4096], sub[4096], path[4096], tmp[4096];
    if ((size_t)snprintf(sub, sizeof sub, "%s/%.2s", dir, sha) >= sizeof sub ||
        (size_t)snprintf(path, sizeof path, "%s/%s", sub, sha) >= sizeof path ||
        (size_t)snprintf(tmp, sizeof tmp, "%s/.tmp-%.16s-XXXXXX", sub, sha) >= sizeof tmp)
        return ag_fail(err, AG_ERR_INPUT, dir, "附件目录路径过长",
                       "attachment folder path too long");
    parent_of(dir, parent, sizeof parent);
    ag_err rc = ensure_dir(dir, parent, err);
    if (!rc)
        rc = ensure_dir(sub, dir, err);
    if (rc)
        return rc;
    struct stat sb;
    if (lstat(path, &sb) == 0 && S_ISREG(sb.st_mode) && (uint64_t)sb.st_size == (uint64_t)len)
        return AG_OK;
    int fd = mkstemp(tmp);
    if (fd < 0)
        return io_fail(err, sub, "创建临时文件", "creating a temporary file");
    if (fchmod(fd, 0640) != 0 || write_all(fd, data, len) || fsync(fd) != 0) {
        rc = io_fail(err, tmp, "写入附件", "writing the attachment");
        close(fd);
        unlink(tmp);
        return rc;
    }
    if (close(fd) != 0) {
        rc = io_fail(err, tmp, "写入附件", "writing the attachment");
        unlink(tmp);
        return rc;
    }
    if (rename(tmp, path) != 0) {
        rc = io_fail(err, path, "保存附件", "saving the attachment");
        unlink(tmp);
        return rc;
    }
    return fsync_dir(sub, err);
}

/* ---- Rows ----------------------------------------------------------------------- */

ag_err attach_dir_for(const char *db_path, char *out, size_t cap, ag_error *err)
{
    if (!db_path || !*db_path || cap == 0)
        return ag_fail(err, AG_ERR_INPUT, "db", "未给出数据库路径", "no database path given");
    int n = snprintf(out, cap, "%s.files", db_path);
    if (n < 0 || (size_t)n >= cap) {
        out[0] = '\0';
        return ag_fail(err, AG_ERR_INPUT, db_path,
                       "数据库路径过长，放不下附件目录名；请换用较短的路径",
                       "the database path is too long for the attachment folder name; use a "
                       "shorter path");
    }
    return AG_OK;
}

static bool is_sha_hex(const char *s)
{
    if (!s || strlen(s) != 64)
        return false;
    for (int i = 0; i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

ag_err attach_put(ag_store *st, const char *dir, const char *unit_code, const char *filename,
                  const void *data, size_t len, int64_t *id, json_t **out, ag_error *err)
{
    if (id)
        *id = 0;
    if (out)
        *out = NULL;
    ag_err rc = check_name(filename, err);
    if (rc)
        return rc;
    const char *where = filename;
    if (len == 0)
        return ag_fail(err, AG_ERR_INPUT, where, "附件是空文件；请选择有内容的文件",
                       "the attachment is empty; choose a file with content");
    if (len > ATTACH_MAX_BYTES)
        return ag_fail(err, AG_ERR_INPUT, where,
                       "附件过大（%zu 字节，上限 %u MB）；请压缩或拆分后再上传",
                       "attachment too large (%zu bytes, limit %u MB); compress or split it", len,
                       ATTACH_MAX_BYTES / (1024u * 1024u));
    const attach_type *t = NULL;
    rc = sniff(data, len, where, &t, err);
    if (rc)
        return rc;
    char name[ATTACH_MAX_NAME + 8];
    kept_name(filename, t, name, sizeof name);
    int64_t known = 0;
    rc = unit_code ? store_query_int(st, &known, err, "SELECT 1 FROM unit WHERE code = ?",
                                     unit_code, NULL)
                   : AG_ERR_NOTFOUND;
    if (rc == AG_ERR_NOTFOUND)
        return ag_fail(err, AG_ERR_NOTFOUND, "unit_code", "单位 %s 不存在；请检查单位代码",
                       "unit %s does not exist; check the unit code",
                       unit_code ? unit_code : "(null)");
    if (rc)
        return rc;
    if (ag_crypto_init())
        return ag_fail(err, AG_ERR_INTERNAL, NULL, "libsodium 初始化失败",
                       "libsodium failed to initialise");
    char sha[AG_SHA256_HEX], ts[21];
    ag_sha256_hex(data, len, sha);
    /* The file first: a row never points at a file that is not there; a file
     * without a row (the insert failed) is harmless and reused next time. */
    rc = store_file(dir, sha, data, len, err);
    if (rc)
        return rc;
    ag_clock_format(ag_clock_now(), ts);
    ag_field f[] = {
        ag_field_text("sha256", sha),          ag_field_int("bytes", (int64_t)len),
        ag_field_text("mime", t->mime),        ag_field_text("filename", name),
        ag_field_text("unit_code", unit_code), ag_field_text("created_by", store_actor(st)),
        ag_field_text("created_at", ts)};
    int64_t new_id = 0;
    rc = store_insert(st, "attachment", "id", f, sizeof f / sizeof f[0], &new_id, err);
    if (rc)
        return rc;
    if (id)
        *id = new_id;
    if (out) {
        *out = json_pack("{s:I,s:s,s:I,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)new_id, "sha256",
                         sha, "bytes", (json_int_t)len, "mime", t->mime, "filename", name,
                         "unit_code", unit_code, "created_by", store_actor(st), "created_at", ts);
        if (!*out)
            return ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    }
    return AG_OK;
}

ag_err attach_put_file(ag_store *st, const char *dir, const char *unit_code, const char *path,
                       const char *filename, int64_t *id, json_t **out, ag_error *err)
{
    if (id)
        *id = 0;
    if (out)
        *out = NULL;
    if (!filename) {
        const char *slash = strrchr(path, '/');
        filename = slash ? slash + 1 : path;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        return ag_fail(err, e == ENOENT ? AG_ERR_NOTFOUND : AG_ERR_IO, path, "无法打开文件：%s",
                       "cannot open the file: %s", strerror(e));
    }
    struct stat sb;
    ag_err rc = AG_OK;
    char *data = NULL;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        rc = ag_fail(err, AG_ERR_INPUT, path, "不是普通文件；请选择一个文件",
                     "not a regular file; choose a file");
        goto out;
    }
    if ((uint64_t)sb.st_size > ATTACH_MAX_BYTES) {
        rc = ag_fail(err, AG_ERR_INPUT, path,
                     "附件过大（%lld 字节，上限 %u MB）；请压缩或拆分后再上传",
                     "attachment too large (%lld bytes, limit %u MB); compress or split it",
                     (long long)sb.st_size, ATTACH_MAX_BYTES / (1024u * 1024u));
        goto out;
    }
    size_t len = (size_t)sb.st_size, got = 0;
    data = malloc(len ? len : 1);
    if (!data) {
        rc = ag_fail(err, AG_ERR_NOMEM, path, "内存不足", "out of memory");
        goto out;
    }
    while (got < len) {
        ssize_t r = read(fd, data + got, len - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = io_fail(err, path, "读取文件", "reading the file");
            goto out;
        }
        if (r == 0) /* shrank while being read */
            break;
        got += (size_t)r;
    }
    rc = attach_put(st, dir, unit_code, filename, data, got, id, out, err);
out:
    free(data);
    close(fd);
    return rc;
}

#define ATTACH_COLS                                                                                \
    "SELECT id, sha256, bytes, mime, filename, unit_code, created_by, created_at, owner_kind,"     \
    " owner_id FROM attachment"

static ag_err not_found(ag_error *err, int64_t id)
{
    return ag_fail(err, AG_ERR_NOTFOUND, "attachment", "附件 %lld 不存在或不在您的权限范围内",
                   "attachment %lld does not exist or is outside your scope", (long long)id);
}

ag_err attach_get(ag_store *st, int64_t id, const ag_scope *scope, json_t **out, ag_error *err)
{
    *out = NULL;
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = store_prepare_args(st, &s, err, ATTACH_COLS " WHERE id = ?", "i", id);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && !row)
        rc = not_found(err, id);
    json_t *o = NULL;
    if (!rc) {
        o = json_pack("{s:I,s:s,s:I,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)store_col_int(s, 0),
                      "sha256", store_col_text(s, 1), "bytes", (json_int_t)store_col_int(s, 2),
                      "mime", store_col_text(s, 3), "filename", store_col_text(s, 4), "unit_code",
                      store_col_text(s, 5), "created_by", store_col_text(s, 6), "created_at",
                      store_col_text(s, 7));
        if (o) {
            const char *ok = store_col_text(s, 8);
            json_object_set_new(o, "owner_kind", ok ? json_string(ok) : json_null());
            json_object_set_new(o, "owner_id",
                                store_col_is_null(s, 9) ? json_null()
                                                        : json_integer(store_col_int(s, 9)));
        } else {
            rc = ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
        }
    }
    store_finalize(s);
    if (!rc && scope) {
        bool visible = false;
        rc = scope_unit_visible(st, scope, json_string_value(json_object_get(o, "unit_code")),
                                &visible, err);
        if (!rc && !visible)
            rc = not_found(err, id);
    }
    if (rc) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return AG_OK;
}

ag_err attach_open(ag_store *st, const char *dir, int64_t id, const ag_scope *scope, bool verify,
                   int *fd, json_t **meta, ag_error *err)
{
    *fd = -1;
    if (meta)
        *meta = NULL;
    json_t *m = NULL;
    ag_err rc = attach_get(st, id, scope, &m, err);
    if (rc)
        return rc;
    const char *sha = json_string_value(json_object_get(m, "sha256"));
    int64_t bytes = json_integer_value(json_object_get(m, "bytes"));
    char path[4096];
    int f = -1;
    /* The hash names the file: an altered row must not lead outside the folder. */
    if (!is_sha_hex(sha)) {
        rc = ag_fail(err, AG_ERR_TAMPER, "attachment",
                     "附件 %lld 的记录已被改动（SHA-256 无效）；请从备份恢复数据库",
                     "the record of attachment %lld was altered (invalid SHA-256); restore the "
                     "database from a backup",
                     (long long)id);
        goto out;
    }
    if ((size_t)snprintf(path, sizeof path, "%s/%.2s/%s", dir, sha, sha) >= sizeof path) {
        rc = ag_fail(err, AG_ERR_INPUT, dir, "附件目录路径过长", "attachment folder path too long");
        goto out;
    }
    f = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (f < 0) {
        int e = errno;
        if (e == ENOENT)
            rc = ag_fail(err, AG_ERR_NOTFOUND, path,
                         "附件 %lld 的文件不见了；请从备份恢复附件目录 %s",
                         "the file of attachment %lld is missing; restore the attachment folder "
                         "%s from a backup",
                         (long long)id, dir);
        else
            rc = ag_fail(err, AG_ERR_IO, path, "无法打开附件 %lld 的文件：%s",
                         "cannot open the file of attachment %lld: %s", (long long)id, strerror(e));
        goto out;
    }
    struct stat sb;
    if (fstat(f, &sb) != 0 || !S_ISREG(sb.st_mode) || (int64_t)sb.st_size != bytes) {
        rc = ag_fail(err, AG_ERR_TAMPER, path,
                     "附件 %lld 的文件已被改动（大小应为 %lld 字节）；请从备份恢复该文件",
                     "the file of attachment %lld was altered (its size should be %lld bytes); "
                     "restore it from a backup",
                     (long long)id, (long long)bytes);
        goto out;
    }
    if (verify) {
        ag_sha256 h;
        ag_sha256_init(&h);
        char buf[65536], got[AG_SHA256_HEX];
        for (;;) {
            ssize_t r = read(f, buf, sizeof buf);
            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0) {
                rc = io_fail(err, path, "读取附件", "reading the attachment");
                goto out;
            }
            if (r == 0)
                break;
            ag_sha256_update(&h, buf, (size_t)r);
        }
        ag_sha256_final_hex(&h, got);
        if (strcmp(got, sha) != 0) {
            rc = ag_fail(err, AG_ERR_TAMPER, path,
                         "附件 %lld 的文件内容已被改动（SHA-256 不符）；请从备份恢复该文件",
                         "the content of attachment %lld was altered (SHA-256 differs); restore "
                         "it from a backup",
                         (long long)id);
            goto out;
        }
        if (lseek(f, 0, SEEK_SET) != 0) {
            rc = io_fail(err, path, "读取附件", "reading the attachment");
            goto out;
        }
    }
out:
    if (rc) {
        if (f >= 0)
            close(f);
        json_decref(m);
        return rc;
    }
    *fd = f;
    if (meta)
        *meta = m;
    else
        json_decref(m);
    return AG_OK;
}

/* The owners an attachment can have: the CHECK of attachment.owner_kind (store/migrations.c). */
static bool owner_kind_known(const char *kind)
{
    static const char *const kinds[] = {"record",        "finding",        "rect_event",
                                        "guidance",      "guidance_reply", "submission",
                                        "rating_answer", "assess_item"};
    for (size_t i = 0; kind && i < sizeof kinds / sizeof kinds[0]; i++)
        if (!strcmp(kind, kinds[i]))
            return true;
    return false;
}

ag_err attach_claim(ag_store *st, const char *unit_code, const int64_t *ids, int n,
                    const char *owner_kind, int64_t owner_id, ag_error *err)
{
    if (n <= 0)
        return AG_OK;
    if (!owner_kind_known(owner_kind))
        return ag_fail(err, AG_ERR_INTERNAL, "owner_kind", "未知的附件归属类型 %s",
                       "unknown attachment owner kind %s", owner_kind ? owner_kind : "(null)");
    ag_err rc = store_begin(st, err);
    if (rc)
        return rc;
    ag_stmt *s = NULL;
    rc = store_prepare(st, "SELECT unit_code, owner_kind FROM attachment WHERE id = ?", &s, err);
    for (int i = 0; !rc && i < n; i++) {
        bool row = false, free_here = false;
        rc = store_reset_args(s, err, "i", ids[i]);
        if (!rc)
            rc = store_step(s, &row, err);
        if (!rc && row) {
            const char *u = store_col_text(s, 0);
            free_here = unit_code && u && strcmp(u, unit_code) == 0 && store_col_is_null(s, 1);
        }
        if (!rc)
            rc = store_reset(s, err);
        if (!rc && !free_here)
            rc = ag_fail(err, AG_ERR_NOTFOUND, "attachment_ids",
                         "附件 %lld 不存在、不属于本单位或已被使用；请重新上传",
                         "attachment %lld does not exist, belongs to another unit or is already "
                         "used; upload it again",
                         (long long)ids[i]);
        ag_field f[] = {ag_field_text("owner_kind", owner_kind),
                        ag_field_int("owner_id", owner_id)};
        if (!rc)
            rc = store_update(st, "attachment", "id", ag_field_int("id", ids[i]), f, 2, err);
    }
    store_finalize(s);
    return store_end(st, rc, err);
}

ag_err attach_list_owned(ag_store *st, const char *owner_kind, int64_t owner_id, json_t **out,
                         ag_error *err)
{
    *out = NULL;
    json_t *arr = json_array();
    if (!arr)
        return ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc =
        store_prepare_args(st, &s, err,
                           "SELECT id, sha256, bytes, mime, filename, created_by, created_at"
                           " FROM attachment WHERE owner_kind = ? AND owner_id = ? ORDER BY id",
                           "ti", owner_kind, owner_id);
    if (!rc)
        rc = store_step(s, &row, err);
    while (!rc && row) {
        json_t *o =
            json_pack("{s:I,s:s,s:I,s:s,s:s,s:s,s:s}", "id", (json_int_t)store_col_int(s, 0),
                      "sha256", store_col_text(s, 1), "bytes", (json_int_t)store_col_int(s, 2),
                      "mime", store_col_text(s, 3), "filename", store_col_text(s, 4), "created_by",
                      store_col_text(s, 5), "created_at", store_col_text(s, 6));
        if (!o || json_array_append_new(arr, o)) {
            rc = ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
            break;
        }
        rc = store_step(s, &row, err);
    }
    store_finalize(s);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return AG_OK;
}

/* Whether a row refers to the stored file named sha. */
static ag_err sha_referenced(ag_stmt *q, const char *sha, bool *yes, ag_error *err)
{
    ag_err rc = store_reset_args(q, err, "t", sha);
    if (!rc)
        rc = store_step(q, yes, err);
    return rc;
}

ag_err attach_gc(ag_store *st, const char *dir, int64_t min_age_s, attach_gc_report *rep,
                 ag_error *err)
{
    memset(rep, 0, sizeof *rep);
    DIR *top = opendir(dir);
    if (!top) {
        if (errno == ENOENT) /* nothing was ever attached */
            return AG_OK;
        return io_fail(err, dir, "读取附件目录", "reading the attachment folder");
    }
    ag_stmt *q = NULL;
    ag_err rc = store_prepare(st, "SELECT 1 FROM attachment WHERE sha256 = ? LIMIT 1", &q, err);
    /* Compared with the file system's times, so the wall clock, not ag_clock. */
    time_t cutoff = time(NULL) - (time_t)min_age_s;
    struct dirent *d;
    while (!rc && (d = readdir(top)) != NULL) {
        if (strlen(d->d_name) != 2 || !isxdigit((unsigned char)d->d_name[0]) ||
            !isxdigit((unsigned char)d->d_name[1]))
            continue;
        char sub[4096];
        if ((size_t)snprintf(sub, sizeof sub, "%s/%s", dir, d->d_name) >= sizeof sub)
            continue;
        DIR *in = opendir(sub);
        if (!in)
            continue;
        struct dirent *f;
        while (!rc && (f = readdir(in)) != NULL) {
            bool temp = !strncmp(f->d_name, ".tmp-", 5);
            if (!temp && !is_sha_hex(f->d_name))
                continue; /* not ours: leave it */
            char path[4200];
            struct stat sb;
            if ((size_t)snprintf(path, sizeof path, "%s/%s", sub, f->d_name) >= sizeof path ||
                lstat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
                continue;
            bool used = false;
            if (!temp)
                rc = sha_referenced(q, f->d_name, &used, err);
            if (rc)
                break;
            if (used) {
                rep->kept++;
                continue;
            }
            if (sb.st_mtime > cutoff)
                continue; /* maybe an upload in progress */
            if (unlink(path) != 0) {
                rc = io_fail(err, path, "删除无用的附件文件", "removing an unused attachment file");
                break;
            }
            *(temp ? &rep->temps : &rep->files) += 1;
            rep->bytes += (int64_t)sb.st_size;
        }
        closedir(in);
    }
    closedir(top);
    store_finalize(q);
    return rc;
}

/* ---- spooled uploads ------------------------------------------------------ */

/* Whether folder `dir` (lstat'ed as *sb) is a stale spool folder: nothing in
 * it modified since cutoff and only regular files inside; *bytes their size. */
static bool spool_stale(const char *dir, const struct stat *sb, time_t cutoff, int64_t *bytes)
{
    *bytes = 0;
    if (sb->st_mtime > cutoff)
        return false;
    DIR *in = opendir(dir);
    if (!in)
        return false;
    bool stale = true;
    struct dirent *f;
    while (stale && (f = readdir(in)) != NULL) {
        if (!strcmp(f->d_name, ".") || !strcmp(f->d_name, ".."))
            continue;
        char path[4200];
        struct stat fs;
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, f->d_name) >= sizeof path ||
            lstat(path, &fs) != 0 || !S_ISREG(fs.st_mode) || fs.st_mtime > cutoff)
            stale = false;
        else
            *bytes += (int64_t)fs.st_size;
    }
    closedir(in);
    return stale;
}

ag_err attach_spool_clean(const char *tmp_dir, int64_t min_age_s, int64_t *folders, int64_t *bytes,
                          ag_error *err)
{
    if (folders)
        *folders = 0;
    if (bytes)
        *bytes = 0;
    const char *base = tmp_dir && *tmp_dir ? tmp_dir : getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    DIR *top = opendir(base);
    if (!top) {
        if (errno == ENOENT)
            return AG_OK;
        return io_fail(err, base, "读取临时目录", "reading the temporary folder");
    }
    /* Compared with the file system's times, so the wall clock, not ag_clock. */
    time_t cutoff = time(NULL) - (time_t)min_age_s;
    size_t plen = strlen(ATTACH_SPOOL_PREFIX);
    ag_err rc = AG_OK;
    struct dirent *d;
    while (!rc && (d = readdir(top)) != NULL) {
        if (strncmp(d->d_name, ATTACH_SPOOL_PREFIX, plen) != 0 || !d->d_name[plen])
            continue;
        char dir[4096];
        struct stat sb;
        int64_t size = 0;
        if ((size_t)snprintf(dir, sizeof dir, "%s/%s", base, d->d_name) >= sizeof dir ||
            lstat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode) || sb.st_uid != geteuid() ||
            !spool_stale(dir, &sb, cutoff, &size))
            continue;
        DIR *in = opendir(dir);
        struct dirent *f;
        while (in && (f = readdir(in)) != NULL) {
            char path[4200];
            if (strcmp(f->d_name, ".") && strcmp(f->d_name, "..") &&
                (size_t)snprintf(path, sizeof path, "%s/%s", dir, f->d_name) < sizeof path)
                unlink(path);
        }
        if (in)
            closedir(in);
        if (rmdir(dir) != 0) {
            rc = io_fail(err, d->d_name, "删除中断上传留下的临时目录",
                         "removing the temporary folder of an interrupted upload");
            break;
        }
        if (folders)
            (*folders)++;
        if (bytes)
            *bytes += size;
    }
    closedir(top);
    return rc;
}
