/* cmd_serve.c - `auditgrid serve`: the HTTP JSON API and the web UI's static files. */
#include <stdio.h>
#include <string.h>

#include "app/import.h" /* issue 12 §7 (import): the start-up cleanup */
#include "cli/cli_internal.h"
#include "http/server.h"
#include "util/banned.h"

static const cli_opt serve_opts[] = {
    {"listen", "ADDR:PORT", false, "监听地址（默认 127.0.0.1:8080；端口 0 自动选择空闲端口）",
     "address to listen on (default 127.0.0.1:8080; port 0 picks a free port)"},
    {"threads", "N", false, "请求处理线程数（默认每核一个）",
     "request threads (default one per core)"},
    {"web", "DIR", false, "网页静态文件目录（默认 ./web 或程序旁的 web/）",
     "folder of the web UI's static files (default ./web or web/ beside the binary)"},
    {"tls-cert", "FILE", false, "TLS 证书（PEM），与 --tls-key 同用", "TLS certificate (PEM)"},
    {"tls-key", "FILE", false, "TLS 私钥（PEM）", "TLS private key (PEM)"},
    {"public-origin", "URL", false,
     "浏览器看到的站点来源（经反向代理时，如 https://audit.example.cn）",
     "the site's origin as browsers see it (behind a reverse proxy)"},
    {"proxy", "ADDR", false, "可信反向代理的地址：来自它的请求按 X-Real-IP 计客户端地址",
     "address of a trusted reverse proxy whose X-Real-IP names the client"},
    {"max-body", "KIB", false, "JSON 请求体上限，KiB（默认 1024）",
     "JSON request body limit in KiB (default 1024)"},
    {"max-upload", "MIB", false, "账套上传上限，MiB（默认 512）",
     "ledger upload limit in MiB (default 512)"},
    {"max-connections", "N", false, "最大连接数（默认 1024）", "connection limit (default 1024)"},
    {"per-ip", "N", false, "每个地址的最大连接数（默认 64，至多最大连接数的 1/16）",
     "connections per address (default 64, at most 1/16 of --max-connections)"},
    {"timeout", "SECONDS", false, "空闲连接超时，也是发完请求头的总时限（默认 30 秒）",
     "idle connection timeout, also the total time to send the headers (default 30 s)"},
    {"deadline", "SECONDS", false, "一个请求（请求头和请求体）的总时限（默认 600 秒）",
     "total time for one request, headers and body (default 600 s)"},
    {"session-idle", "MINUTES", false, "会话空闲超时（默认 30 分钟）",
     "session idle timeout (default 30 min)"},
    {"session-max", "HOURS", false, "会话绝对时长（默认 12 小时）",
     "absolute session lifetime (default 12 h)"},
    {"login-failures", "N", false,
     "同一账号在同一地址连续失败几次后开始延时（默认 3；延时 1 秒起逐次加倍，至多 15 分钟）",
     "failures of one account from one address before delays start (default 3; 1 s, doubling, "
     "at most 15 min)"},
    {"login-ceiling", "N", false, "每个地址在窗口内（所有账号合计）允许的失败登录次数（默认 100）",
     "failed sign-ins allowed from one address per window, all accounts together (default 100)"},
    {"login-window", "MINUTES", false, "上述地址上限的计数窗口（默认 15 分钟）",
     "the window of that address ceiling (default 15 min)"},
    {"hash-workers", "N", false, "同时进行的口令校验（Argon2）数（默认 1，多核 2）",
     "concurrent password verifications (Argon2; default 1, 2 on more than 2 cores)"},
    {"tmp-dir", "DIR", false, "上传文件的临时目录（默认 $TMPDIR 或 /tmp）",
     "folder for spooled uploads (default $TMPDIR or /tmp)"},
    {"no-access-log", NULL, false, "不写访问日志", "no access log"},
    {"no-cache", NULL, false, "不缓存只读接口的响应", "do not cache read-only responses"},
    CLI_OPT_END};

static int run_serve(cli_ctx *c)
{
    http_config cfg;
    http_config_default(&cfg);
    cfg.db_path = c->db;
    if (cli_get(c, "listen"))
        cfg.listen = cli_get(c, "listen");
    cfg.web_dir = cli_get(c, "web");
    cfg.tls_cert = cli_get(c, "tls-cert");
    cfg.tls_key = cli_get(c, "tls-key");
    cfg.public_origin = cli_get(c, "public-origin");
    cfg.proxy = cli_get(c, "proxy");
    cfg.tmp_dir = cli_get(c, "tmp-dir");
    cfg.access_log = !cli_flag(c, "no-access-log");
    cfg.cache = !cli_flag(c, "no-cache");
    int64_t threads, body, upload, conns, perip, timeout, idle, maxh, fails, ceiling, lwin, hashers;
    int64_t deadline;
    if (!cli_get_int(c, "threads", 0, 256, 0, &threads) ||
        !cli_get_int(c, "max-body", 1, 64 * 1024, 1024, &body) ||
        !cli_get_int(c, "max-upload", 1, 16 * 1024, 512, &upload) ||
        !cli_get_int(c, "max-connections", 1, 65536, 1024, &conns) ||
        !cli_get_int(c, "per-ip", 1, 65536, 64, &perip) ||
        !cli_get_int(c, "deadline", 1, 24 * 3600, 600, &deadline) ||
        !cli_get_int(c, "timeout", 1, 3600, 30, &timeout) ||
        !cli_get_int(c, "session-idle", 1, 24 * 60, 30, &idle) ||
        !cli_get_int(c, "session-max", 1, 24 * 30, 12, &maxh) ||
        !cli_get_int(c, "login-failures", 1, 1000, 3, &fails) ||
        !cli_get_int(c, "login-ceiling", 1, 1000000000, 100, &ceiling) ||
        !cli_get_int(c, "login-window", 1, 24 * 60, 15, &lwin) ||
        !cli_get_int(c, "hash-workers", 0, 64, 0, &hashers))
        return 2;
    if (!cfg.tls_cert != !cfg.tls_key)
        return cli_usage_error(c, "--tls-cert 与 --tls-key 须同时给出",
                               "--tls-cert and --tls-key go together");
    if (cfg.public_origin && strncmp(cfg.public_origin, "http://", 7) != 0 &&
        strncmp(cfg.public_origin, "https://", 8) != 0)
        return cli_usage_error(c, "--public-origin 应形如 https://主机[:端口]",
                               "--public-origin looks like https://host[:port]");
    cfg.threads = (int)threads;
    cfg.max_body = body * 1024;
    cfg.max_upload = upload * 1024 * 1024;
    cfg.max_connections = (unsigned)conns;
    cfg.per_ip_connections = (unsigned)perip;
    cfg.timeout = (unsigned)timeout;
    cfg.deadline = (unsigned)deadline;
    cfg.session.idle = idle * 60;
    cfg.session.absolute = maxh * 3600;
    cfg.login_failures = (int)fails;
    cfg.login_ceiling = (int)ceiling;
    cfg.login_window = lwin * 60;
    cfg.hash_workers = (int)hashers;

    ag_error err;
    ag_error_clear(&err);
    /* issue 12 §7 (import): what crashed imports and uploads left behind goes first. */
    {
        int code, imports = 0;
        int64_t uploads = 0;
        ag_store *st = cli_open_store(c, false, &code);
        if (!st)
            return code;
        if (app_import_startup_clean(st, cfg.tmp_dir, &imports, &uploads, &err))
            cli_report(&err); /* not a reason to stay down */
        else if (imports || uploads)
            fprintf(stderr,
                    "auditgrid: 已清理中断的导入 %d 个、上传临时目录 %lld 个 removed %d unfinished "
                    "imports and %lld upload folders\n",
                    imports, (long long)uploads, imports, (long long)uploads);
        store_close(st);
        ag_error_clear(&err);
    }
    /* end issue 12 §7 (import) */
    http_server *srv = NULL;
    if (http_server_start(&cfg, &srv, &err))
        return cli_report(&err);
    printf("auditgrid: 正在服务 listening on %s\n", http_server_url(srv));
    fflush(stdout);
    int sig = http_server_wait(srv);
    fprintf(stderr,
            "auditgrid: 收到信号 %d，处理完进行中的请求后停止 stopping after in-flight requests\n",
            sig);
    http_server_stop(srv, 30000);
    return 0;
}

const cli_cmd cli_serve_cmds[] = {
    {"serve", NULL, "启动网页服务：JSON API（/api/v1）与网页界面",
     "run the web server: the JSON API (/api/v1) and the web UI", NULL, serve_opts, run_serve,
     "  auditgrid --db demo/auditgrid.db serve --listen 127.0.0.1:8080\n"
     "  curl -s http://127.0.0.1:8080/api/v1/health"},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL}};
