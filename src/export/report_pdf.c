/* report_pdf.c - the four reports as PDF: the DOCX converted by LibreOffice (soffice --headless)
 * in a private temporary folder with a profile of its own, so conversions share no state. Issue 16.
 */
#include "export/export.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/banned.h"

extern char **environ;

static ag_err io_fail(ag_error *err, const char *path, const char *zh, const char *en)
{
    int e = errno;
    return ag_fail(err, AG_ERR_IO, path,
                   "%s%.0s失败：%s；请检查目标文件夹是否存在、可写以及磁盘空间",
                   "%.0s%s failed: %s; check that the target folder exists, is writable and has "
                   "space",
                   zh, en, strerror(e));
}

/* A conversion takes 5–30 s (the first run of a fresh profile is the slow one). */
#define PDF_TIMEOUT_S 120

static bool executable(const char *p)
{
    struct stat sb;
    return p && *p && stat(p, &sb) == 0 && S_ISREG(sb.st_mode) && access(p, X_OK) == 0;
}

/* The program name on PATH, else in /usr/bin. */
static bool find_exe(const char *name, char *out, size_t cap)
{
    const char *path = getenv("PATH");
    for (const char *p = path; p && *p;) {
        const char *colon = strchr(p, ':');
        size_t n = colon ? (size_t)(colon - p) : strlen(p);
        if (n && (size_t)snprintf(out, cap, "%.*s/%s", (int)n, p, name) < cap && executable(out))
            return true;
        if (!colon)
            break;
        p = colon + 1;
    }
    snprintf(out, cap, "/usr/bin/%s", name);
    return executable(out);
}

/* The soffice to run: $AG_SOFFICE when set (empty: none), else soffice on PATH, else
 * /usr/bin/soffice. */
static bool find_soffice(char *out, size_t cap)
{
    const char *env = getenv("AG_SOFFICE");
    if (env) {
        snprintf(out, cap, "%s", env);
        return executable(out);
    }
    return find_exe("soffice", out, cap);
}

bool export_report_pdf_available(void)
{
    char p[4096];
    return find_soffice(p, sizeof p);
}

static ag_err missing(ag_error *err)
{
    return ag_fail(err, AG_ERR_IO, "soffice",
                   "未找到 LibreOffice（soffice），无法生成 PDF；请安装 libreoffice-writer-nogui"
                   "（apt-get install libreoffice-writer-nogui），或改为导出 DOCX / HTML",
                   "LibreOffice (soffice) was not found, so no PDF can be made; install "
                   "libreoffice-writer-nogui (apt-get install libreoffice-writer-nogui), or export "
                   "DOCX / HTML instead");
}

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    remove(p);
    return 0;
}

static void rm_tree(const char *dir)
{
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* A file: URL of an absolute path, bytes outside the unreserved set percent-encoded. */
static void file_url(const char *path, char *out, size_t cap)
{
    size_t o = (size_t)snprintf(out, cap, "file://");
    for (const unsigned char *p = (const unsigned char *)path; *p && o + 4 < cap; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("/-._~", *p))
            out[o++] = (char)*p;
        else
            o += (size_t)snprintf(out + o, cap - o, "%%%02X", *p);
    }
    out[o] = '\0';
}

/* The last line of LibreOffice's log, for the error message. */
static void log_tail(const char *log, char *out, size_t cap)
{
    out[0] = '\0';
    FILE *f = fopen(log, "re");
    if (!f)
        return;
    char buf[4096];
    size_t n = 0;
    if (fseek(f, -(long)(sizeof buf - 1), SEEK_END) != 0)
        rewind(f);
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
        n--;
    buf[n] = '\0';
    char *last = strrchr(buf, '\n');
    const char *from = last ? last + 1 : buf;
    size_t len = strlen(from) < cap - 1 ? strlen(from) : cap - 1;
    memcpy(out, from, len);
    out[len] = '\0';
    ag_utf8_trim_tail(out);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs argv (stdin /dev/null, stdout and stderr to log) in a process group of its own, so a
 * timeout stops oosplash and soffice.bin together; default signal handling (the server ignores
 * SIGPIPE) and no blocked signals. Waits at most timeout_s: *status is the wait status, -1 when
 * it could not be waited for, -2 after a timeout (the group was killed). */
static int run(char *const argv[], const char *log, int timeout_s, int *status)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&at);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0600);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    sigset_t none, def;
    sigemptyset(&none);
    sigemptyset(&def);
    sigaddset(&def, SIGPIPE);
    sigaddset(&def, SIGCHLD);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setsigdefault(&at, &def);
    posix_spawnattr_setpgroup(&at, 0);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                      POSIX_SPAWN_SETSIGDEF);
    pid_t pid;
    int e = posix_spawn(&pid, argv[0], &fa, &at, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    if (e != 0)
        return e;
    double until = now_s() + timeout_s;
    *status = 0;
    for (;;) {
        pid_t w = waitpid(pid, status, WNOHANG);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR) {
            *status = -1;
            break;
        }
        if (now_s() > until) {
            kill(-pid, SIGKILL);
            while (waitpid(pid, status, 0) < 0 && errno == EINTR)
                ;
            *status = -2;
            break;
        }
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    /* Whatever it left running in its group (normally nothing). */
    kill(-pid, SIGKILL);
    return 0;
}

/* The fonts the DOCX names (report_docx.c) and what LibreOffice shows where one is not
 * installed: the free Noto CJK faces (fonts-noto-cjk). Without the pairs it falls back to one
 * sans-serif face for everything. */
static const struct {
    const char *font, *with;
} FONT_PAIRS[] = {
    {"方正小标宋简体", "Noto Serif CJK SC"},
    {"小标宋", "Noto Serif CJK SC"},
    {"仿宋_GB2312", "Noto Serif CJK SC"},
    {"仿宋", "Noto Serif CJK SC"},
    {"楷体_GB2312", "Noto Serif CJK SC"},
    {"楷体", "Noto Serif CJK SC"},
    {"黑体", "Noto Sans CJK SC"},
    {"宋体", "Noto Serif CJK SC"},
};

/* True when fontconfig has the family (fc-list -q exits 0); false when it has not or fc-list
 * is missing. */
static bool font_installed(const char *fc_list, const char *family, const char *log)
{
    if (!*fc_list)
        return false;
    char pattern[128];
    snprintf(pattern, sizeof pattern, "%s", family);
    char *argv[] = {(char *)fc_list, (char *)"-q", pattern, NULL};
    int status = 0;
    return run(argv, log, 10, &status) == 0 && status >= 0 && WIFEXITED(status) &&
           WEXITSTATUS(status) == 0;
}

/* Seeds the private profile with the font replacement table (Tools > Options > Fonts) for the
 * fonts this machine lacks; LibreOffice merges the rest of its settings in on first start. */
static ag_err seed_profile(const char *profile, const char *log, ag_error *err)
{
    char dir[4096 + 128], file[4096 + 192], fc_list[4096];
    snprintf(dir, sizeof dir, "%s", profile);
    if (mkdir(dir, 0700) != 0)
        return io_fail(err, dir, "创建 LibreOffice 配置目录", "creating the LibreOffice profile");
    snprintf(dir, sizeof dir, "%s/user", profile);
    if (mkdir(dir, 0700) != 0)
        return io_fail(err, dir, "创建 LibreOffice 配置目录", "creating the LibreOffice profile");
    if (!find_exe("fc-list", fc_list, sizeof fc_list))
        fc_list[0] = '\0';
    snprintf(file, sizeof file, "%s/registrymodifications.xcu", dir);
    FILE *f = fopen(file, "we");
    if (!f)
        return io_fail(err, file, "写入 LibreOffice 配置", "writing the LibreOffice profile");
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<oor:items "
          "xmlns:oor=\"http://openoffice.org/2001/registry\" "
          "xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" "
          "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n"
          "<item oor:path=\"/org.openoffice.Office.Common/Font/Substitution\"><prop "
          "oor:name=\"Replacement\" oor:op=\"fuse\"><value>true</value></prop></item>\n",
          f);
    for (size_t i = 0; i < sizeof FONT_PAIRS / sizeof FONT_PAIRS[0]; i++) {
        if (font_installed(fc_list, FONT_PAIRS[i].font, log))
            continue;
        /* Always: LibreOffice applies a pair only so; it is written only for missing fonts. */
        fprintf(f,
                "<item oor:path=\"/org.openoffice.Office.Common/Font/Substitution/FontPairs\">"
                "<node oor:name=\"_%zu\" oor:op=\"replace\">"
                "<prop oor:name=\"Always\" oor:op=\"fuse\"><value>true</value></prop>"
                "<prop oor:name=\"OnScreenOnly\" oor:op=\"fuse\"><value>false</value></prop>"
                "<prop oor:name=\"ReplaceFont\" oor:op=\"fuse\"><value>%s</value></prop>"
                "<prop oor:name=\"SubstituteFont\" oor:op=\"fuse\"><value>%s</value></prop>"
                "</node></item>\n",
                i, FONT_PAIRS[i].font, FONT_PAIRS[i].with);
    }
    fputs("</oor:items>\n", f);
    if (fclose(f) != 0)
        return io_fail(err, file, "写入 LibreOffice 配置", "writing the LibreOffice profile");
    return AG_OK;
}

/* Runs soffice on docx with the profile and output in dir; AG_OK when it made pdf. */
static ag_err convert(const char *soffice, const char *dir, const char *docx, const char *pdf,
                      ag_error *err)
{
    char profile[4096 + 64], url[3 * 4096 + 64], env_arg[3 * 4096 + 96], log[4096 + 32];
    snprintf(profile, sizeof profile, "%s/profile", dir);
    file_url(profile, url, sizeof url);
    snprintf(env_arg, sizeof env_arg, "-env:UserInstallation=%s", url);
    snprintf(log, sizeof log, "%s/soffice.log", dir);
    ag_err rc = seed_profile(profile, log, err);
    if (rc)
        return rc;
    char *argv[] = {(char *)soffice,        env_arg,
                    (char *)"--headless",   (char *)"--invisible",
                    (char *)"--norestore",  (char *)"--nologo",
                    (char *)"--nodefault",  (char *)"--nolockcheck",
                    (char *)"--convert-to", (char *)"pdf:writer_pdf_Export",
                    (char *)"--outdir",     (char *)dir,
                    (char *)docx,           NULL};
    int status = 0, e = run(argv, log, PDF_TIMEOUT_S, &status);
    if (e != 0)
        return ag_fail(err, AG_ERR_IO, soffice, "无法启动 LibreOffice：%s",
                       "cannot start LibreOffice: %s", strerror(e));
    if (status == -2)
        return ag_fail(err, AG_ERR_IO, soffice,
                       "LibreOffice 在 %d 秒内未完成转换，已停止；请稍后重试",
                       "LibreOffice did not finish the conversion within %d s and was stopped; "
                       "try again later",
                       PDF_TIMEOUT_S);
    if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char tail[256];
        log_tail(log, tail, sizeof tail);
        return ag_fail(err, AG_ERR_IO, soffice,
                       "LibreOffice 转换 PDF 失败（状态 %d）：%s；请检查 libreoffice-writer-nogui "
                       "是否完整安装",
                       "LibreOffice failed to convert to PDF (status %d): %s; check that "
                       "libreoffice-writer-nogui is fully installed",
                       status, tail);
    }
    struct stat sb;
    if (stat(pdf, &sb) != 0 || sb.st_size == 0) {
        char tail[256];
        log_tail(log, tail, sizeof tail);
        return ag_fail(err, AG_ERR_IO, soffice, "LibreOffice 未生成 PDF：%s",
                       "LibreOffice made no PDF: %s", tail);
    }
    return AG_OK;
}

/* Copies from into a temporary file beside path, syncs it and renames it onto path (the PDF
 * may sit on another file system than the destination, so no plain rename). */
static ag_err move_into_place(const char *from, const char *path, ag_error *err)
{
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path) >= sizeof tmp)
        return ag_fail(err, AG_ERR_USAGE, path, "导出文件路径过长", "export path too long");
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return ag_fail(err, AG_ERR_IO, path, "LibreOffice 未生成 PDF 文件",
                       "LibreOffice made no PDF file");
    int out = mkstemp(tmp);
    if (out < 0) {
        ag_err rc = io_fail(err, path, "创建导出文件", "creating the export file");
        close(in);
        return rc;
    }
    fchmod(out, 0640);
    char buf[65536];
    ssize_t n;
    ag_err rc = AG_OK;
    size_t total = 0;
    while ((n = read(in, buf, sizeof buf)) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            rc = io_fail(err, path, "读取 PDF", "reading the PDF");
            break;
        }
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(out, buf + off, (size_t)(n - off));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) {
                rc = io_fail(err, path, "写入导出文件", "writing the export file");
                break;
            }
            off += w;
        }
        if (rc)
            break;
        total += (size_t)n;
    }
    close(in);
    if (!rc && total == 0)
        rc = ag_fail(err, AG_ERR_IO, path, "LibreOffice 生成的 PDF 为空",
                     "LibreOffice made an empty PDF");
    if (!rc && fsync(out) != 0)
        rc = io_fail(err, path, "写入导出文件", "writing the export file");
    close(out);
    if (!rc && rename(tmp, path) != 0)
        rc = io_fail(err, path, "保存导出文件", "saving the export file");
    if (rc) {
        unlink(tmp);
        return rc;
    }
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    return AG_OK;
}

ag_err export_report_pdf(const json_t *doc, const char *path, ag_error *err)
{
    if (!path || !*path)
        return ag_fail(err, AG_ERR_USAGE, "path", "未给出导出文件的路径", "no export path given");
    char soffice[4096];
    if (!find_soffice(soffice, sizeof soffice))
        return missing(err);
    const char *base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    char dir[2048];
    if ((size_t)snprintf(dir, sizeof dir, "%s/auditgrid-pdf-XXXXXX", base) >= sizeof dir)
        return ag_fail(err, AG_ERR_USAGE, "TMPDIR", "临时目录路径过长",
                       "the temporary folder's path is too long");
    if (!mkdtemp(dir))
        return io_fail(err, dir, "创建临时目录", "creating a temporary folder");
    char docx[2048 + 32], pdf[2048 + 32];
    snprintf(docx, sizeof docx, "%s/report.docx", dir);
    snprintf(pdf, sizeof pdf, "%s/report.pdf", dir);
    ag_err rc = export_report_docx(doc, docx, err);
    if (!rc)
        rc = convert(soffice, dir, docx, pdf, err);
    if (!rc)
        rc = move_into_place(pdf, path, err);
    rm_tree(dir);
    return rc;
}
