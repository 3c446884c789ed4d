/* cmd_attach.c - `auditgrid attach`: store a file as an attachment of a unit, read it back. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli_wf.h"
#include "domain/attach.h"
#include "util/banned.h"

static void print_meta(const json_t *m)
{
    printf("附件 attachment #%lld %s\n", cli_int(m, "id"), cli_text(m, "filename"));
    printf("  单位 unit: %s　类型 type: %s　大小 size: %lld 字节 bytes\n", cli_text(m, "unit_code"),
           cli_text(m, "mime"), cli_int(m, "bytes"));
    printf("  SHA-256: %s\n", cli_text(m, "sha256"));
    if (*cli_text(m, "owner_kind"))
        printf("  归属 owner: %s #%lld\n", cli_text(m, "owner_kind"), cli_int(m, "owner_id"));
    else if (json_object_get(m, "owner_kind"))
        printf("  尚未使用 not yet attached to a record\n");
    printf("  %s %s\n", cli_text(m, "created_by"), cli_text(m, "created_at"));
}

static const cli_opt add_opts[] = {
    {"unit", "CODE", true, "附件所属单位", "the unit the file belongs to"},
    {"name", "NAME", false, "下载时的文件名（默认取文件本身的名字）",
     "file name for downloads (default: the file's own name)"},
    CLI_OPT_END};

static ag_err add(const cli_ctx *c, cli_wf *w, const void *name)
{
    char dir[PATH_MAX];
    int64_t id = 0;
    json_t *m = NULL;
    ag_err rc = attach_dir_for(c->db, dir, sizeof dir, &w->err);
    if (!rc)
        rc = attach_put_file(w->st, dir, cli_get(c, "unit"), c->args[0], name, &id, &m, &w->err);
    if (!rc && !c->json)
        printf("已保存附件 attachment stored: #%lld\n", (long long)id);
    if (!rc)
        cli_wf_print(c, m, print_meta);
    return rc;
}

static int run_add(cli_ctx *c)
{
    if (c->nargs != 1)
        return cli_usage_error(c, "须给出一个文件", "give one file");
    const char *path = c->args[0];
    const char *slash = strrchr(path, '/');
    return cli_wf_run(c, add, cli_get(c, "name") ? cli_get(c, "name") : slash ? slash + 1 : path);
}

static const cli_opt get_opts[] = {
    {"out", "FILE", false, "把文件内容写到此处（校验 SHA-256）；不给时只显示信息",
     "write the content here (SHA-256 checked); without it, show the metadata"},
    CLI_OPT_END};

/* Copies fd to path through a temporary file and a rename. */
static ag_err copy_out(int fd, const char *path, ag_error *err)
{
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
        return ag_fail(err, AG_ERR_USAGE, "--out", "文件名过长", "file name too long");
    int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out < 0)
        return ag_fail(err, AG_ERR_IO, path, "无法写入文件：%s", "cannot write the file: %s",
                       strerror(errno));
    char buf[65536];
    ssize_t k;
    ag_err rc = AG_OK;
    if (lseek(fd, 0, SEEK_SET) < 0)
        rc = ag_fail(err, AG_ERR_IO, path, "无法读取附件", "cannot read the attachment");
    while (!rc && (k = read(fd, buf, sizeof buf)) != 0) {
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            rc = ag_fail(err, AG_ERR_IO, path, "无法读取附件", "cannot read the attachment");
            break;
        }
        for (ssize_t done = 0; !rc && done < k;) {
            ssize_t w = write(out, buf + done, (size_t)(k - done));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                rc = ag_fail(err, AG_ERR_IO, path, "无法写入文件", "cannot write the file");
            else
                done += w;
        }
    }
    if (close(out) != 0 && !rc)
        rc = ag_fail(err, AG_ERR_IO, path, "无法写入文件", "cannot write the file");
    if (!rc && rename(tmp, path) != 0)
        rc = ag_fail(err, AG_ERR_IO, path, "无法写入文件", "cannot write the file");
    if (rc)
        unlink(tmp);
    return rc;
}

/* Writes attachment id to --out. */
static ag_err get_out(const cli_ctx *c, cli_wf *w, const void *arg)
{
    const int64_t id = *(const int64_t *)arg;
    json_t *m = NULL;
    char dir[PATH_MAX];
    int fd = -1;
    ag_err rc = attach_dir_for(c->db, dir, sizeof dir, &w->err);
    if (!rc)
        rc = attach_open(w->st, dir, id, NULL, true, &fd, &m, &w->err);
    if (!rc)
        rc = copy_out(fd, cli_get(c, "out"), &w->err);
    if (fd >= 0)
        close(fd);
    if (!rc && c->json)
        cli_print_json(json_pack("{s:I,s:s,s:O}", "id", (json_int_t)id, "path", cli_get(c, "out"),
                                 "sha256", json_object_get(m, "sha256")));
    else if (!rc)
        printf("已写出附件 written: %s（%s，SHA-256 校验通过 verified）\n", cli_get(c, "out"),
               cli_text(m, "filename"));
    json_decref(m);
    return rc;
}

static int run_get(cli_ctx *c)
{
    int64_t id;
    if (!cli_wf_id_arg(c, &id))
        return 2;
    return cli_get(c, "out") ? cli_wf_run(c, get_out, &id)
                             : cli_wf_show_one(c, attach_get, print_meta, id);
}

static const cli_opt gc_opts[] = {
    {"min-age-minutes", "N", false,
     "只删除至少 N 分钟未改动的文件（默认 60，避免删到正在上传的文件）",
     "only files untouched for at least N minutes (default 60, so uploads in progress are safe)"},
    {"tmp-dir", "DIR", false,
     "服务的上传临时目录（同 serve --tmp-dir；默认 $TMPDIR 或 /tmp），清理其中中断上传留下的 "
     "auditgrid-upload.* 目录",
     "the server's upload folder (as serve --tmp-dir; default $TMPDIR or /tmp): its "
     "auditgrid-upload.* folders left by interrupted uploads are removed"},
    CLI_OPT_END};

static ag_err gc(const cli_ctx *c, cli_wf *w, const void *arg)
{
    const int64_t minutes = *(const int64_t *)arg;
    char dir[PATH_MAX];
    attach_gc_report rep;
    ag_err rc = attach_dir_for(c->db, dir, sizeof dir, &w->err);
    if (!rc)
        rc = attach_gc(w->st, dir, minutes * 60, &rep, &w->err);
    /* The server's spooled uploads a crash left behind count as temporary files too. */
    int64_t uploads = 0, upload_bytes = 0;
    if (!rc)
        rc = attach_spool_clean(cli_get(c, "tmp-dir"), minutes * 60, &uploads, &upload_bytes,
                                &w->err);
    rep.temps += uploads;
    rep.bytes += upload_bytes;
    if (!rc && c->json)
        cli_print_json(json_pack("{s:s,s:I,s:I,s:I,s:I,s:I}", "dir", dir, "files",
                                 (json_int_t)rep.files, "temps", (json_int_t)rep.temps, "uploads",
                                 (json_int_t)uploads, "bytes", (json_int_t)rep.bytes, "kept",
                                 (json_int_t)rep.kept));
    else if (!rc)
        printf("已清理 %s：无用文件 %lld 个、中断上传的临时文件 %lld 个（其中上传临时目录 %lld "
               "个），共 %lld 字节；在用文件 %lld 个\n"
               "cleaned %s: %lld unused files, %lld temporary files (%lld of them upload "
               "folders), %lld bytes; %lld files in use\n",
               dir, (long long)rep.files, (long long)rep.temps, (long long)uploads,
               (long long)rep.bytes, (long long)rep.kept, dir, (long long)rep.files,
               (long long)rep.temps, (long long)uploads, (long long)rep.bytes, (long long)rep.kept);
    return rc;
}

static int run_gc(cli_ctx *c)
{
    int64_t minutes;
    if (!cli_get_int(c, "min-age-minutes", 0, 525600, 60, &minutes))
        return 2;
    return cli_wf_run(c, gc, &minutes);
}

const cli_cmd cli_attach_cmds[] = {
    {"attach", "add", "保存附件（按内容判定类型，按 SHA-256 只存一份）",
     "store an attachment (type from its content, stored once by SHA-256)", "FILE", add_opts,
     run_add, "  auditgrid attach add --unit 12120104MBKX0792XX 整改报告.pdf"},
    {"attach", "get", "显示附件信息，或以 --out 取出文件",
     "show an attachment, or write its file with --out", "ID", get_opts, run_get,
     "  auditgrid attach get 12 --out 整改报告.pdf"},
    {"attach", "gc", "清理附件目录中无人引用的文件和中断上传留下的临时文件（不删除任何记录）",
     "remove files no attachment refers to and temporary files of interrupted uploads (rows are "
     "never deleted)",
     NULL, gc_opts, run_gc, "  auditgrid attach gc --min-age-minutes 120"},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL}};
