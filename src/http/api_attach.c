/* api_attach.c - attachments: uploads to a unit, metadata and downloads within scope. */
#include "http/api.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/attach.h"
#include "util/banned.h"

static void disposition(http_req *r, const char *type, const char *filename)
{
    /* RFC 6266: an ASCII fallback for old clients (each non-ASCII character,
     * quote or backslash becomes '_'), and filename* with the UTF-8 bytes
     * percent-encoded except RFC 5987's attr-char. */
    static const char attr[] = "!#$&+-.^_`|~";
    static const char hex[] = "0123456789ABCDEF";
    char ascii[256], enc[3 * 256 + 1], header[64 + sizeof ascii + sizeof enc];
    size_t a = 0, e = 0;
    for (const unsigned char *p = (const unsigned char *)filename; *p && a + 1 < sizeof ascii;
         p++) {
        if (*p >= 0x80 && *p < 0xC0)
            continue; /* a continuation byte: its character is already '_' */
        ascii[a++] = *p < 0x20 || *p >= 0x7f || *p == '"' || *p == '\\' ? '_' : (char)*p;
    }
    ascii[a] = '\0';
    for (const unsigned char *p = (const unsigned char *)filename; *p && e + 4 < sizeof enc; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            (*p < 0x80 && strchr(attr, *p))) {
            enc[e++] = (char)*p;
        } else {
            enc[e++] = '%';
            enc[e++] = hex[*p >> 4];
            enc[e++] = hex[*p & 15];
        }
    }
    enc[e] = '\0';
    snprintf(header, sizeof header, "%s; filename=\"%s\"; filename*=UTF-8''%s", type, ascii, enc);
    http_add_header(r, "Content-Disposition", header);
}

void api_content_disposition(http_req *r, const char *filename)
{
    disposition(r, "attachment", filename);
}

void api_content_disposition_inline(http_req *r, const char *filename)
{
    disposition(r, "inline", filename);
}

ag_err api_serve_xlsx(http_req *r, const char *download_name, api_file_writer write, void *ctx,
                      ag_error *err)
{
    const char *base = http_cfg(r)->tmp_dir;
    if (!base)
        base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    char dir[512], path[600];
    snprintf(dir, sizeof dir, "%s/auditgrid-export.XXXXXX", base);
    if (!mkdtemp(dir))
        return ag_fail(err, AG_ERR_IO, "tmp", "无法创建临时目录",
                       "cannot create a temporary folder");
    snprintf(path, sizeof path, "%s/export.xlsx", dir);
    ag_err rc = write(path, ctx, err);
    int fd = -1;
    if (!rc) {
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            rc = ag_fail(err, AG_ERR_IO, NULL, "无法读取导出文件", "cannot read the exported file");
    }
    unlink(path);
    rmdir(dir);
    if (!rc)
        rc = http_reply_fd(
            r, fd, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", err);
    if (!rc)
        api_content_disposition(r, download_name);
    return rc;
}

/* The folder beside the database that holds the files. */
static ag_err files_dir(http_req *r, char *dir, size_t cap, ag_error *err)
{
    return attach_dir_for(http_cfg(r)->db_path, dir, cap, err);
}

/* The body was spooled to a temporary file (HTTP_BODY_UPLOAD, at most
 * ATTACH_MAX_BYTES); attach_put_file decides its type from the content and
 * stores it once by SHA-256. */
ag_err api_attach_upload(http_req *r, ag_error *err)
{
    const char *code = http_param(r, "code");
    char dir[PATH_MAX];
    int64_t id = 0;
    json_t *o = NULL;
    /* Checked again here: the scope could have changed while the body came in. */
    ag_err rc = api_unit_in_scope(r, code, err);
    /* The server refused the request before the body unless ?filename= is a
     * plain file name (upload_name_ok), so name is never NULL here. */
    const char *name = http_query(r, "filename");
    if (!rc)
        rc = files_dir(r, dir, sizeof dir, err);
    if (!rc)
        rc = attach_put_file(http_store(r), dir, code, http_upload_path(r), name, &id, &o, err);
    if (rc)
        return rc;
    api_reply_json(r, 201, o);
    return AG_OK;
}

ag_err api_attachment(http_req *r, ag_error *err)
{
    return api_get_by_id(r, "attachment", attach_get, err);
}

ag_err api_attachment_content(http_req *r, ag_error *err)
{
    int64_t id;
    char dir[PATH_MAX];
    int fd = -1;
    json_t *meta = NULL;
    ag_err rc = api_path_id(r, "attachment", &id, err);
    if (!rc)
        rc = files_dir(r, dir, sizeof dir, err);
    /* The SHA-256 is checked on every download: a file altered on disk is
     * refused (and logged as a server fault), never served. */
    if (!rc)
        rc = attach_open(http_store(r), dir, id, &http_user(r)->scope, true, &fd, &meta, err);
    const char *mime = json_string_value(json_object_get(meta, "mime"));
    const char *name = json_string_value(json_object_get(meta, "filename"));
    if (!rc)
        rc = http_reply_fd(r, fd, mime ? mime : "application/octet-stream", err);
    if (!rc)
        api_content_disposition(r, name ? name : "attachment");
    json_decref(meta);
    return rc;
}
