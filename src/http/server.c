/* server.c - the libmicrohttpd daemon: request lifecycle, auth and CSRF gates, workers, static
 * files, access log. */
#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "app/guidance.h"
#include "app/liaison.h" /* issue 14 §5 (liaison) */
#include "domain/attach.h"
#include "domain/rectify.h"
#include "domain/scope.h"
#include "http/http_internal.h"
#include "util/clock.h"
#include "util/hash.h"
#include "util/map.h"
#include "util/banned.h"

#define COOKIE_NAME      "ag_session"
#define MAX_RESPONSE     (64u * 1024u * 1024u) /* the largest JSON response */
#define MAX_IGNORED_BODY (64u * 1024u)         /* a body sent to a route that takes none */
#define TOUCH_QUEUE      1024

/* ---- the store pool ----------------------------------------------------- */

/* Stores are opened on demand and kept for reuse; each is used by one
 * thread at a time (SQLite connections are not shared between threads). */
typedef struct store_pool {
    pthread_mutex_t mu;
    ag_store **idle;
    size_t nidle, cap;
    const char *path;
} store_pool;

static ag_err pool_get(store_pool *p, ag_store **out, ag_error *err)
{
    pthread_mutex_lock(&p->mu);
    ag_store *st = p->nidle ? p->idle[--p->nidle] : NULL;
    pthread_mutex_unlock(&p->mu);
    if (st) {
        *out = st;
        return AG_OK;
    }
    return store_open(p->path, AG_STORE_SHORT_WAIT, out, err);
}

static void pool_put(store_pool *p, ag_store *st)
{
    if (!st)
        return;
    store_rollback_all(st); /* a handler that forgot; never carry a transaction over */
    pthread_mutex_lock(&p->mu);
    if (p->nidle < p->cap) {
        p->idle[p->nidle++] = st;
        st = NULL;
    }
    pthread_mutex_unlock(&p->mu);
    store_close(st);
}

/* ---- worker queues ------------------------------------------------------ */

/* Requests that must not hold a request thread (Argon2, imports) are
 * suspended and handed to a small pool of workers with a bounded queue. */
typedef struct work_queue {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    http_req **items;
    size_t cap, head, count;
    pthread_t *threads;
    int nthreads;
    bool stop;
    int64_t max_wait_ms; /* 0: wait as long as it takes */
    http_server *srv;
} work_queue;

/* Session last-seen refreshes, written off the request path. */
typedef struct touch_queue {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int64_t ids[TOUCH_QUEUE];
    size_t count;
    bool stop;
    bool started;
    pthread_t thread;
} touch_queue;

/* Responses of read-only routes, keyed by path, query and scope, valid for
 * one generation of the data: the audit log's head sequence, which every
 * change made through the domain advances. */
typedef struct cache_entry {
    int64_t gen;
    char *body;
    size_t len;
} cache_entry;

/* The scheduled escalation of overdue rectification items: once at start,
 * then every ESCALATE_EVERY_S seconds and on the first request of a new
 * (civil, UTC+8) day. rectify_escalate is idempotent, so an extra run costs
 * one query. */
#define ESCALATE_EVERY_S 3600

typedef struct escalator {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop, kick, started;
    pthread_t thread;
    atomic_int day; /* the day of the last run */
} escalator;

typedef struct resp_cache {
    pthread_mutex_t mu;
    ag_map *map;
    size_t bytes, max_bytes;
} resp_cache;

/* One open connection, for the sweeper (issue 12 §7: slow clients). MHD's
 * timeout is an idle timeout that every trickled byte resets; these clocks
 * are totals. Owned by the list; unlinked and freed when MHD closes it. */
typedef struct conn_ent {
    int64_t start_ms; /* the accept, or the end of the previous request */
    int fd;
    int phase; /* CONN_HEADERS, CONN_BODY or CONN_WORK */
    struct conn_ent *prev, *next;
} conn_ent;

enum { CONN_HEADERS, CONN_BODY, CONN_WORK };

typedef struct conn_list {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    conn_ent *head;
    pthread_t thread;
    bool started, stop;
} conn_list;

struct http_server {
    http_config cfg;
    resp_cache cache;
    struct MHD_Daemon *d;
    MHD_socket listen_fd;
    store_pool pool;
    work_queue hashq, slowq;
    /* Writes (POST/PUT/PATCH/DELETE not in a class above) wait for the
     * database lock here, so a held lock never parks every MHD thread and
     * reads keep flowing (issue 12 §7). */
    work_queue writeq;
    conn_list conns;
    touch_queue touch;
    escalator esc;
    throttle *thr;
    char url[160];
    char web_dir[PATH_MAX];
    bool have_web;
    bool tls;
    char *tls_cert_pem, *tls_key_pem;
    atomic_int inflight;
    sigset_t sigs;
};

typedef enum req_state { RQ_NEW, RQ_BODY, RQ_QUEUED, RQ_DONE } req_state;

struct http_req {
    http_server *srv;
    struct MHD_Connection *conn;
    const http_route *route;
    http_params params;
    char method[16];
    char path[HTTP_MAX_PATH];
    char addr[INET6_ADDRSTRLEN + 1];
    struct timespec t0;
    req_state state;
    bool queued;  /* a response went to MHD */
    bool replied; /* http_reply_error was called */
    bool cached;  /* the body came from the response cache */
    /* authentication */
    bool has_user;
    session_user user;
    char token[SESSION_TOKEN_LEN];
    bool has_token;
    /* body */
    ag_buf body;
    uint64_t received;
    uint64_t limit;
    bool too_large;
    json_t *json;
    int upload_fd;
    char upload_dir[PATH_MAX];
    char upload_path[PATH_MAX + 256];
    /* handler */
    ag_store *st;
    int64_t enq_ms;
    /* response */
    int status;
    ag_buf out;
    hj_writer w;
    char *hname[HTTP_MAX_HEADERS_OUT], *hval[HTTP_MAX_HEADERS_OUT];
    int nhdr;
    struct MHD_Response *resp; /* a ready response (static file) */
    uint64_t bytes_out;
};

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- small pieces for handlers ------------------------------------------ */

const char *http_param(const http_req *r, const char *name)
{
    return router_param(&r->params, name);
}

const char *http_query(const http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

json_t *http_body(const http_req *r)
{
    return r->json;
}

const char *http_upload_path(const http_req *r)
{
    return r->upload_path;
}

ag_store *http_store(http_req *r)
{
    return r->st;
}

const session_user *http_user(const http_req *r)
{
    return r->has_user ? &r->user : NULL;
}

const char *http_cookie_token(const http_req *r)
{
    return r->has_token ? r->token : NULL;
}

const char *http_client_addr(const http_req *r)
{
    return r->addr;
}

const http_config *http_cfg(const http_req *r)
{
    return &r->srv->cfg;
}

throttle *http_throttle(const http_req *r)
{
    return r->srv->thr;
}

hj_writer *http_out(http_req *r)
{
    return &r->w;
}

void http_set_status(http_req *r, int status)
{
    r->status = status;
}

void http_set_user(http_req *r, const session_user *u)
{
    r->user = *u;
    r->has_user = true;
}

bool http_secure(const http_req *r)
{
    const char *o = r->srv->cfg.public_origin;
    return r->srv->tls || (o && strncasecmp(o, "https://", 8) == 0);
}

void http_add_header(http_req *r, const char *name, const char *value)
{
    if (r->nhdr >= HTTP_MAX_HEADERS_OUT)
        return;
    char *n = strdup(name), *v = strdup(value);
    if (!n || !v) {
        free(n);
        free(v);
        return;
    }
    r->hname[r->nhdr] = n;
    r->hval[r->nhdr] = v;
    r->nhdr++;
}

ag_err http_reply_fd(http_req *r, int fd, const char *content_type, ag_error *err)
{
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return ag_fail(err, AG_ERR_IO, NULL, "无法读取文件", "cannot read the file");
    }
    struct MHD_Response *resp = MHD_create_response_from_fd64((uint64_t)sb.st_size, fd);
    if (!resp) {
        close(fd);
        return ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (r->resp)
        MHD_destroy_response(r->resp);
    r->resp = resp;
    r->status = 200;
    r->bytes_out = (uint64_t)sb.st_size;
    return AG_OK;
}

static void write_error(http_req *r, int status, const char *code, const char *zh, const char *en,
                        const char *where)
{
    if (r->resp) {
        /* An error after a file response was prepared replaces it. */
        MHD_destroy_response(r->resp);
        r->resp = NULL;
    }
    ag_buf_reset(&r->out);
    hj_init(&r->w, &r->out);
    r->status = status;
    hj_obj_begin(&r->w);
    hj_key(&r->w, "error");
    hj_obj_begin(&r->w);
    hj_kstr(&r->w, "code", code);
    hj_kstr(&r->w, "message", zh);
    hj_kstr(&r->w, "message_en", en);
    if (where && *where)
        hj_kstr(&r->w, "where", where);
    hj_obj_end(&r->w);
    hj_obj_end(&r->w);
}

ag_err http_reply_error(http_req *r, int status, const char *code, const char *zh, const char *en)
{
    write_error(r, status, code, zh, en, NULL);
    r->replied = true;
    return AG_OK;
}

/* The one place where project errors become HTTP statuses. */
static void status_of(ag_err e, int *status, const char **code)
{
    switch (e) {
    case AG_ERR_USAGE:
        *status = 400;
        *code = "bad_request";
        break;
    case AG_ERR_INPUT:
        *status = 422;
        *code = "validation";
        break;
    case AG_ERR_NOTFOUND:
        *status = 404;
        *code = "not_found";
        break;
    case AG_ERR_EXISTS:
        *status = 409;
        *code = "conflict";
        break;
    case AG_ERR_DENIED:
        *status = 403;
        *code = "forbidden";
        break;
    case AG_ERR_BUSY:
        *status = 503;
        *code = "busy";
        break;
    default:
        *status = 500;
        *code = "internal";
        break;
    }
}

/* Ends a log line written by w into b: one JSON object and a newline to stderr, then frees b. */
static void log_emit(hj_writer *w, ag_buf *b)
{
    if (!hj_finish(w) && !ag_buf_addc(b, '\n')) {
        ssize_t k = write(STDERR_FILENO, b->data, b->len);
        (void)k;
    }
    ag_buf_release(b);
}

static void log_line(const char *level, const char *msg, const char *where)
{
    ag_buf b;
    ag_buf_init(&b, 4096);
    hj_writer w;
    hj_init(&w, &b);
    char ts[21];
    ag_clock_format(ag_clock_now(), ts);
    hj_obj_begin(&w);
    hj_kstr(&w, "ts", ts);
    hj_kstr(&w, "level", level);
    hj_kstr(&w, "msg", msg);
    if (where && *where)
        hj_kstr(&w, "where", where);
    hj_obj_end(&w);
    log_emit(&w, &b);
}

/* Copies in to out (n bytes) for a client (issue 12 §7): without the
 * request's temporary upload folder (an importer names the file it read;
 * the client must not learn where the server spools it). The domain names
 * fields, never command-line options: those are the CLI's own words. */
static void for_client(const http_req *r, const char *in, char *out, size_t n)
{
    size_t dl = strlen(r->upload_dir), o = 0;
    while (*in && o + 1 < n) {
        if (dl && strncmp(in, r->upload_dir, dl) == 0) {
            in += dl;
            if (*in == '/')
                in++;
            continue;
        }
        out[o++] = *in++;
    }
    out[o] = '\0';
    ag_utf8_trim_tail(out);
}

static void reply_ag_error(http_req *r, const ag_error *err)
{
    int status;
    const char *code;
    status_of(err->code, &status, &code);
    if (err->code == AG_ERR_BUSY) {
        /* Another writer (an import) holds the database: nothing was written. */
        log_line("warn", err->en, NULL);
        write_error(r, status, code, "服务器正忙（数据库正在写入），请稍后再试",
                    "the server is busy (the database is being written); try again shortly", NULL);
        http_add_header(r, "Retry-After", "5");
        return;
    }
    if (status >= 500) {
        /* Internals stay in the server log; the client learns only that it failed. */
        log_line("error", err->en[0] ? err->en : ag_err_name(err->code), err->where);
        write_error(r, status, code, "服务器内部错误，请稍后再试或联系管理员",
                    "internal server error; try again later or contact the administrator", NULL);
        return;
    }
    char zh[sizeof err->zh], en[sizeof err->en], where[sizeof err->where];
    for_client(r, err->zh[0] ? err->zh : ag_err_name(err->code), zh, sizeof zh);
    for_client(r, err->en[0] ? err->en : ag_err_name(err->code), en, sizeof en);
    for_client(r, err->where, where, sizeof where);
    /* Any other absolute path keeps only its last part (file:line:field). */
    const char *w = where[0] == '/' ? strrchr(where, '/') + 1 : where;
    write_error(r, status, code, zh, en, w);
}

static bool digits_only(const char *s)
{
    return s && *s && strspn(s, "0123456789") == strlen(s) && strlen(s) <= 9;
}

ag_err http_page(const http_req *r, int64_t *page, int64_t *per_page, ag_error *err)
{
    const char *p = http_query(r, "page"), *pp = http_query(r, "per_page");
    *page = 1;
    *per_page = HTTP_PER_PAGE;
    if (p) {
        if (!digits_only(p) || strtoll(p, NULL, 10) < 1 || strtoll(p, NULL, 10) > 10000000)
            return ag_fail(err, AG_ERR_USAGE, "page", "page 应为 1 起的整数",
                           "page is an integer from 1");
        *page = strtoll(p, NULL, 10);
    }
    if (pp) {
        if (!digits_only(pp) || strtoll(pp, NULL, 10) < 1 ||
            strtoll(pp, NULL, 10) > HTTP_PER_PAGE_MAX)
            return ag_fail(err, AG_ERR_USAGE, "per_page", "per_page 应为 1 到 %d 的整数",
                           "per_page is an integer from 1 to %d", HTTP_PER_PAGE_MAX);
        *per_page = strtoll(pp, NULL, 10);
    }
    return AG_OK;
}

void http_write_page(http_req *r, const json_t *list, int64_t page, int64_t per_page)
{
    hj_writer *w = &r->w;
    hj_obj_begin(w);
    hj_kint(w, "total", json_integer_value(json_object_get(list, "total")));
    hj_kint(w, "page", page);
    hj_kint(w, "per_page", per_page);
    hj_kvalue(w, "items", json_object_get(list, "items"));
    hj_obj_end(w);
}

ag_err http_body_str(const http_req *r, const char *key, bool required, size_t max,
                     const char **out, ag_error *err)
{
    *out = NULL;
    json_t *v = r->json ? json_object_get(r->json, key) : NULL;
    if (!v || json_is_null(v)) {
        if (required)
            return ag_fail(err, AG_ERR_INPUT, key, "缺少字段 %s", "field %s is required", key);
        return AG_OK;
    }
    if (!json_is_string(v))
        return ag_fail(err, AG_ERR_INPUT, key, "字段 %s 应为字符串", "field %s must be a string",
                       key);
    if (json_string_length(v) > max || strlen(json_string_value(v)) != json_string_length(v))
        return ag_fail(err, AG_ERR_INPUT, key, "字段 %s 过长（最多 %zu 字节）",
                       "field %s is too long (%zu bytes at most)", key, max);
    if (required && json_string_length(v) == 0)
        return ag_fail(err, AG_ERR_INPUT, key, "字段 %s 不能为空", "field %s must not be empty",
                       key);
    *out = json_string_value(v);
    return AG_OK;
}

ag_err http_body_only(const http_req *r, const char *const *keys, ag_error *err)
{
    if (!r->json || !json_is_object(r->json))
        return ag_fail(err, AG_ERR_USAGE, "body", "请求体应为 JSON 对象",
                       "the request body must be a JSON object");
    const char *k;
    json_t *v;
    json_object_foreach(r->json, k, v)
    {
        bool known = false;
        for (int i = 0; keys[i] && !known; i++)
            known = strcmp(keys[i], k) == 0;
        if (!known)
            return ag_fail(err, AG_ERR_INPUT, k, "未知字段：%s", "unknown field: %s", k);
    }
    return AG_OK;
}

/* ---- responses ---------------------------------------------------------- */

static void common_headers(http_req *r, struct MHD_Response *resp, bool json)
{
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; frame-ancestors 'none'; base-uri 'none'");
    if (r->srv->tls)
        MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
    if (json) {
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                                "application/json; charset=utf-8");
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    }
}

static enum MHD_Result send_response(http_req *r)
{
    struct MHD_Response *resp = r->resp;
    bool json = resp == NULL;
    if (json) {
        if (!r->cached && hj_finish(&r->w)) {
            ag_error e;
            ag_fail(&e, AG_ERR_INTERNAL, r->path, "响应过大", "response too large or malformed");
            reply_ag_error(r, &e);
        }
        ag_buf_addc(&r->out, '\n');
        size_t n = r->out.len;
        char *data = ag_buf_detach(&r->out);
        resp = data ? MHD_create_response_from_buffer(n, data, MHD_RESPMEM_MUST_FREE)
                    : MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        if (!resp) {
            free(data);
            return MHD_NO;
        }
        r->bytes_out = data ? n : 0;
    }
    r->resp = NULL;
    common_headers(r, resp, json);
    for (int i = 0; i < r->nhdr; i++)
        MHD_add_response_header(resp, r->hname[i], r->hval[i]);
    enum MHD_Result ok = MHD_queue_response(r->conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    r->queued = true;
    r->state = RQ_DONE;
    return ok;
}

/* ---- static files ------------------------------------------------------- */

static const char *content_type(const char *path)
{
    static const char *const types[][2] = {
        {".html", "text/html; charset=utf-8"},
        {".htm", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json; charset=utf-8"},
        {".map", "application/json; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".jpeg", "image/jpeg"},
        {".gif", "image/gif"},
        {".webp", "image/webp"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".woff", "font/woff"},
        {".ttf", "font/ttf"},
        {".txt", "text/plain; charset=utf-8"},
        {".csv", "text/csv; charset=utf-8"},
        {".pdf", "application/pdf"},
        {".wasm", "application/wasm"},
    };
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (dot && (!slash || dot > slash))
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
            if (strcasecmp(dot, types[i][0]) == 0)
                return types[i][1];
    return "application/octet-stream";
}

/* Segments must be plain names: no empty, ".", ".." or hidden segments, no
 * backslashes. */
static bool static_path_ok(const char *p)
{
    if (p[0] != '/')
        return false;
    if (strchr(p, '\\'))
        return false;
    const char *seg = p + 1;
    while (*seg) {
        size_t n = strcspn(seg, "/");
        if (n == 0 || seg[0] == '.')
            return false;
        seg += n;
        if (*seg == '/')
            seg++;
    }
    return true;
}

static void not_found(http_req *r)
{
    write_error(r, 404, "not_found", "请求的资源不存在", "no such resource", NULL);
}

static void serve_static(http_req *r)
{
    http_server *s = r->srv;
    const char *p = strcmp(r->path, "/") == 0 ? "/index.html" : r->path;
    char full[PATH_MAX + HTTP_MAX_PATH], real[PATH_MAX];
    if (!s->have_web || !static_path_ok(p)) {
        not_found(r);
        return;
    }
    snprintf(full, sizeof full, "%s%s", s->web_dir, p);
    size_t wl = strlen(s->web_dir);
    /* Resolve symlinks and refuse anything that lands outside web/. */
    if (!realpath(full, real) || strncmp(real, s->web_dir, wl) != 0 || real[wl] != '/') {
        not_found(r);
        return;
    }
    int fd = open(real, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        if (fd >= 0)
            close(fd);
        not_found(r);
        return;
    }
    struct MHD_Response *resp = MHD_create_response_from_fd64((uint64_t)sb.st_size, fd);
    if (!resp) {
        close(fd);
        write_error(r, 500, "internal", "服务器内部错误", "internal server error", NULL);
        return;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, content_type(real));
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    r->resp = resp;
    r->status = 200;
    r->bytes_out = (uint64_t)sb.st_size;
}

/* ---- request lifecycle ---------------------------------------------------- */

static void client_addr(http_req *r)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(r->addr, sizeof r->addr, "?");
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, r->addr,
                      sizeof r->addr);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
                      r->addr, sizeof r->addr);
    }
    const char *proxy = r->srv->cfg.proxy;
    if (proxy && strcmp(proxy, r->addr) == 0) {
        const char *real = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Real-IP");
        unsigned char tmp[sizeof(struct in6_addr)];
        if (real && (inet_pton(AF_INET, real, tmp) == 1 || inet_pton(AF_INET6, real, tmp) == 1))
            snprintf(r->addr, sizeof r->addr, "%s", real);
    }
}

static http_req *req_new(http_server *s, struct MHD_Connection *conn, const char *url,
                         const char *method)
{
    http_req *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->srv = s;
    r->conn = conn;
    r->upload_fd = -1;
    r->status = 200;
    clock_gettime(CLOCK_MONOTONIC, &r->t0);
    snprintf(r->method, sizeof r->method, "%s", method);
    snprintf(r->path, sizeof r->path, "%s", url);
    ag_buf_init(&r->body, 0);
    ag_buf_init(&r->out, MAX_RESPONSE);
    hj_init(&r->w, &r->out);
    client_addr(r);
    return r;
}

static void req_free(http_req *r)
{
    if (!r)
        return;
    if (r->resp)
        MHD_destroy_response(r->resp);
    if (r->upload_fd >= 0)
        close(r->upload_fd);
    if (r->upload_path[0])
        unlink(r->upload_path);
    if (r->upload_dir[0])
        rmdir(r->upload_dir);
    json_decref(r->json);
    ag_buf_release(&r->body);
    ag_buf_release(&r->out);
    for (int i = 0; i < r->nhdr; i++) {
        free(r->hname[i]);
        free(r->hval[i]);
    }
    sodium_memzero(r->token, sizeof r->token);
    free(r);
}

static bool state_changing(const char *m)
{
    return !strcmp(m, "POST") || !strcmp(m, "PUT") || !strcmp(m, "PATCH") || !strcmp(m, "DELETE");
}

/* The Origin a browser of ours sends: the configured public origin, or the
 * scheme and Host the client used to reach us. */
static bool origin_ok(http_req *r, const char *origin)
{
    const char *want = r->srv->cfg.public_origin;
    char built[600];
    if (!want) {
        const char *host = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Host");
        if (!host || strlen(host) > 500)
            return false;
        snprintf(built, sizeof built, "%s://%s", r->srv->tls ? "https" : "http", host);
        want = built;
    }
    return strcasecmp(origin, want) == 0;
}

static bool csrf_ok(http_req *r)
{
    const char *t = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-CSRF-Token");
    size_t n = strlen(r->user.csrf);
    return t && n > 0 && strlen(t) == n && sodium_memcmp(t, r->user.csrf, n) == 0;
}

static void touch_enqueue(http_server *s, int64_t session_id);
static void escalate_kick(http_server *s);

/* Looks the session cookie up (own store, released at once). */
static ag_err authenticate(http_req *r, ag_error *err)
{
    const char *tok = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, COOKIE_NAME);
    if (!tok || strlen(tok) != SESSION_TOKEN_LEN - 1)
        return AG_OK;
    memcpy(r->token, tok, SESSION_TOKEN_LEN);
    r->has_token = true;
    ag_store *st = NULL;
    ag_err rc = pool_get(&r->srv->pool, &st, err);
    if (rc)
        return rc;
    session_user u;
    ag_error e2;
    rc = session_lookup(st, r->token, &r->srv->cfg.session, &u, &e2);
    pool_put(&r->srv->pool, st);
    if (rc == AG_OK) {
        r->user = u;
        r->has_user = true;
        if (u.touch_due)
            touch_enqueue(r->srv, u.session_id);
    } else if (rc != AG_ERR_DENIED) {
        *err = e2;
        return rc;
    }
    return AG_OK;
}

static uint64_t content_length(http_req *r, bool *present)
{
    const char *cl =
        MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    *present = cl != NULL;
    if (!cl || !*cl || strspn(cl, "0123456789") != strlen(cl) || strlen(cl) > 18)
        return 0;
    return (uint64_t)strtoull(cl, NULL, 10);
}

static void too_large(http_req *r)
{
    char zh[160], en[160];
    snprintf(zh, sizeof zh, "请求体超过上限（%llu 字节）", (unsigned long long)r->limit);
    snprintf(en, sizeof en, "the request body exceeds the limit (%llu bytes)",
             (unsigned long long)r->limit);
    write_error(r, 413, "payload_too_large", zh, en, NULL);
    http_add_header(r, "Connection", "close");
}

/* Upload names keep their extension (the importer picks its reader by it)
 * and become a plain file name; anything odd is refused. */
static bool upload_name_ok(const char *n)
{
    size_t len = n ? strlen(n) : 0;
    if (len == 0 || len > 200 || n[0] == '.' || strchr(n, '/') || strchr(n, '\\'))
        return false;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)n[i] < 0x20 || n[i] == 0x7f)
            return false;
    return true;
}

static ag_err open_upload(http_req *r, ag_error *err)
{
    const char *name = NULL;
    size_t name_len = 0;
    if (MHD_lookup_connection_value_n(r->conn, MHD_GET_ARGUMENT_KIND, "filename", 8, &name,
                                      &name_len) == MHD_YES &&
        name && name_len != strlen(name))
        /* `a%00.pdf` would otherwise be cut to `a` without a word. */
        return ag_fail(err, AG_ERR_USAGE, "filename", "文件名含有控制字符（如 %%00），已拒绝",
                       "the file name contains a control character (such as %%00); refused");
    if (!upload_name_ok(name))
        return ag_fail(err, AG_ERR_USAGE, "filename",
                       "须用 ?filename= 给出文件名（不含路径，如 ledger-2025.csv）",
                       "give the file name with ?filename= (no path, e.g. ledger-2025.csv)");
    const char *base = r->srv->cfg.tmp_dir;
    if (!base)
        base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    snprintf(r->upload_dir, sizeof r->upload_dir, "%s/auditgrid-upload.XXXXXX", base);
    if (!mkdtemp(r->upload_dir)) {
        r->upload_dir[0] = '\0';
        return ag_fail(err, AG_ERR_IO, "tmp", "无法创建临时目录",
                       "cannot create a temporary folder");
    }
    snprintf(r->upload_path, sizeof r->upload_path, "%s/%s", r->upload_dir, name);
    r->upload_fd = open(r->upload_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (r->upload_fd < 0) {
        r->upload_path[0] = '\0';
        return ag_fail(err, AG_ERR_IO, "tmp", "无法创建临时文件", "cannot create a temporary file");
    }
    return AG_OK;
}

/* Everything decided from the request line and headers, before any body is
 * read: route, session, CSRF, role, size. Sets RQ_DONE with a response when
 * the request stops here. */
static void begin(http_req *r)
{
    http_server *s = r->srv;
    ag_error err;
    ag_error_clear(&err);
    if (MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH) &&
        MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING)) {
        /* RFC 9112 §6.1: both framings at once is how requests are smuggled
         * past a proxy; refuse and close the connection. */
        write_error(r, 400, "bad_request",
                    "请求同时带有 Content-Length 和 Transfer-Encoding，已拒绝",
                    "the request has both Content-Length and Transfer-Encoding; refused", NULL);
        http_add_header(r, "Connection", "close");
        r->state = RQ_DONE;
        return;
    }
    if (strncmp(r->path, "/api/", 5) != 0 && strcmp(r->path, "/api") != 0) {
        if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) {
            write_error(r, 405, "method_not_allowed", "该路径只支持 GET、HEAD",
                        "this path allows GET and HEAD only", NULL);
            http_add_header(r, "Allow", "GET, HEAD");
        } else {
            serve_static(r);
        }
        r->state = RQ_DONE;
        return;
    }
    char allow[128];
    router_result m = router_match(http_api_routes, http_api_route_count, r->method, r->path,
                                   &r->route, &r->params, allow, sizeof allow);
    if (m == ROUTE_NO_PATH) {
        not_found(r);
        r->state = RQ_DONE;
        return;
    }
    if (m == ROUTE_NO_METHOD) {
        write_error(r, 405, "method_not_allowed", "该路径不支持此方法",
                    "this method is not allowed on this path", NULL);
        http_add_header(r, "Allow", allow);
        r->state = RQ_DONE;
        return;
    }
    unsigned fl = r->route->flags;
    r->limit = fl & HTTP_BODY_UPLOAD ? (uint64_t)s->cfg.max_upload
               : fl & HTTP_BODY_JSON ? (uint64_t)s->cfg.max_body
                                     : MAX_IGNORED_BODY;
    if ((fl & HTTP_UPLOAD_ATTACH) && r->limit > ATTACH_MAX_BYTES)
        r->limit = ATTACH_MAX_BYTES;
    bool has_cl;
    if (content_length(r, &has_cl) > r->limit) {
        too_large(r);
        r->state = RQ_DONE;
        return;
    }
    if (authenticate(r, &err)) {
        reply_ag_error(r, &err);
        r->state = RQ_DONE;
        return;
    }
    bool public_route = fl & HTTP_PUBLIC;
    if (!public_route && !r->has_user) {
        write_error(r, 401, "unauthenticated", "未登录或会话已过期，请重新登录",
                    "not signed in or the session has expired; sign in again", NULL);
        r->state = RQ_DONE;
        return;
    }
    if (state_changing(r->method)) {
        const char *origin = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Origin");
        if (origin && !origin_ok(r, origin)) {
            write_error(r, 403, "csrf", "请求来源（Origin）不是本站，已拒绝",
                        "the request's Origin is not this site; refused", NULL);
            r->state = RQ_DONE;
            return;
        }
        if (!public_route && !csrf_ok(r)) {
            write_error(r, 403, "csrf", "缺少或错误的 X-CSRF-Token 请求头",
                        "missing or wrong X-CSRF-Token header", NULL);
            r->state = RQ_DONE;
            return;
        }
    }
    if (s->esc.started && atomic_load(&s->esc.day) != (int)ag_clock_today())
        escalate_kick(s);
    if (!public_route && !(r->route->roles & AG_ROLE_BIT(r->user.scope.role))) {
        write_error(r, 403, "forbidden", "当前角色无权执行此操作", "your role may not do this",
                    NULL);
        r->state = RQ_DONE;
        return;
    }
    if (fl & HTTP_BODY_UPLOAD) {
        /* Refuse an out-of-scope unit before taking hundreds of megabytes. */
        const char *code = http_param(r, "code");
        bool visible = false;
        ag_store *st = NULL;
        ag_err rc = pool_get(&s->pool, &st, &err);
        if (!rc)
            rc = scope_unit_visible(st, &r->user.scope, code, &visible, &err);
        pool_put(&s->pool, st);
        if (!rc && !visible)
            rc = ag_fail(&err, AG_ERR_NOTFOUND, "code", "单位 %s 不存在", "no unit %s", code);
        if (!rc)
            rc = open_upload(r, &err);
        if (rc) {
            reply_ag_error(r, &err);
            r->state = RQ_DONE;
            return;
        }
    }
    ag_buf_init(&r->body, fl & HTTP_BODY_JSON ? (size_t)s->cfg.max_body : MAX_IGNORED_BODY);
    r->state = RQ_BODY;
}

/* Takes a chunk of the body; false closes the connection (a client that
 * keeps sending far past the limit). */
static bool take_body(http_req *r, const char *data, size_t n)
{
    r->received += n;
    if (r->too_large || r->received > r->limit) {
        if (!r->too_large && r->upload_fd >= 0 && ftruncate(r->upload_fd, 0) != 0)
            return false; /* the spooled part is freed at once; req_free removes the file */
        r->too_large = true;
        /* Drain to be able to answer 413 (MHD cannot answer mid-body; an
         * upload over the limit is chunked, or its Content-Length was
         * refused already); past the allowance, hang up. */
        uint64_t allowance = r->route->flags & HTTP_BODY_UPLOAD ? r->limit : MAX_IGNORED_BODY;
        return r->received - r->limit <= allowance;
    }
    if (r->route->flags & HTTP_BODY_UPLOAD) {
        while (n > 0) {
            ssize_t k = write(r->upload_fd, data, n);
            if (k < 0 && errno == EINTR)
                continue;
            if (k <= 0)
                return false;
            data += k;
            n -= (size_t)k;
        }
        return true;
    }
    if (r->route->flags & HTTP_BODY_JSON)
        return ag_buf_add(&r->body, data, n) == AG_OK;
    return true; /* a body where none is expected: read and ignored */
}

static void cache_free_all(ag_map *m)
{
    for (size_t i = 0; m && i < ag_map_count(m); i++) {
        const char *k;
        size_t kl;
        void *v;
        ag_map_entry(m, i, &k, &kl, &v);
        free(((cache_entry *)v)->body);
    }
    ag_map_free(m);
}

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value)
{
    (void)kind;
    ag_buf *b = cls;
    return ag_buf_printf(b, "%s=%s&", key, value ? value : "") == AG_OK ? MHD_YES : MHD_NO;
}

/* path?args#scope@day; false when it does not fit (then nothing is cached).
 * The day is in the key because answers that say "overdue" change at
 * midnight without any write. */
static bool cache_key(http_req *r, ag_buf *key)
{
    const ag_scope *sc = &r->user.scope;
    if (ag_buf_printf(key, "%s?", r->path))
        return false;
    int n = MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, add_arg, key);
    (void)n;
    return ag_buf_printf(key, "#%d|%s|%s|%lld@%ld", (int)sc->role, sc->unit_code, sc->cell_id,
                         (long long)sc->person_id, (long)ag_clock_today()) == AG_OK;
}

static int64_t data_generation(ag_store *st)
{
    int64_t gen = -1;
    if (store_data_generation(st, &gen, NULL))
        gen = -1; /* not cached */
    return gen;
}

/* A hit copies the body into the response. */
static bool cache_get(http_server *s, const ag_buf *key, int64_t gen, http_req *r)
{
    bool hit = false;
    pthread_mutex_lock(&s->cache.mu);
    cache_entry *e = s->cache.map ? ag_map_get(s->cache.map, key->data, key->len) : NULL;
    if (e && e->body && e->gen == gen) {
        ag_buf_reset(&r->out);
        hit = ag_buf_add(&r->out, e->body, e->len) == AG_OK;
    }
    pthread_mutex_unlock(&s->cache.mu);
    return hit;
}

static void cache_put(http_server *s, const ag_buf *key, int64_t gen, const ag_buf *body)
{
    char *copy = malloc(body->len ? body->len : 1);
    if (!copy)
        return;
    memcpy(copy, body->data, body->len);
    pthread_mutex_lock(&s->cache.mu);
    if (s->cache.bytes + body->len > s->cache.max_bytes) {
        /* Full: start over rather than track ages. */
        cache_free_all(s->cache.map);
        s->cache.map = ag_map_new(sizeof(cache_entry));
        s->cache.bytes = 0;
    }
    cache_entry *e = s->cache.map ? ag_map_put(s->cache.map, key->data, key->len, NULL) : NULL;
    if (e) {
        if (e->body)
            s->cache.bytes -= e->len;
        free(e->body);
        e->body = copy;
        e->len = body->len;
        e->gen = gen;
        s->cache.bytes += body->len;
        copy = NULL;
    }
    pthread_mutex_unlock(&s->cache.mu);
    free(copy);
}

static void run_handler(http_req *r)
{
    http_server *s = r->srv;
    ag_error err;
    ag_error_clear(&err);
    ag_err rc = pool_get(&s->pool, &r->st, &err);
    if (!rc) {
        char actor[128];
        if (r->has_user)
            snprintf(actor, sizeof actor, "user:%s", r->user.username);
        else
            snprintf(actor, sizeof actor, "http:anonymous");
        store_set_actor(r->st, actor);
        ag_buf_reset(&r->out);
        hj_init(&r->w, &r->out);
        ag_buf key;
        ag_buf_init(&key, 4096);
        int64_t gen = -1;
        bool cacheable = (r->route->flags & HTTP_CACHE) && s->cfg.cache && r->has_user &&
                         cache_key(r, &key) && (gen = data_generation(r->st)) >= 0;
        if (cacheable && cache_get(s, &key, gen, r)) {
            r->cached = true;
        } else {
            rc = r->route->fn(r, &err);
            if (!rc && r->out.len == 0 && r->status != 204) {
                hj_obj_begin(&r->w);
                hj_obj_end(&r->w);
            }
            if (!rc && cacheable && r->status == 200 && r->nhdr == 0 && !r->resp &&
                !hj_finish(&r->w))
                cache_put(s, &key, gen, &r->out);
        }
        ag_buf_release(&key);
    }
    if (rc)
        reply_ag_error(r, &err);
    pool_put(&s->pool, r->st);
    r->st = NULL;
}

static void *worker_main(void *arg)
{
    work_queue *q = arg;
    for (;;) {
        pthread_mutex_lock(&q->mu);
        while (!q->count && !q->stop)
            pthread_cond_wait(&q->cv, &q->mu);
        if (!q->count && q->stop) {
            pthread_mutex_unlock(&q->mu);
            return NULL;
        }
        http_req *r = q->items[q->head];
        q->head = (q->head + 1) % q->cap;
        q->count--;
        bool stopping = q->stop;
        pthread_mutex_unlock(&q->mu);
        if (stopping || (q->max_wait_ms && mono_ms() - r->enq_ms > q->max_wait_ms)) {
            write_error(r, 503, "busy", "服务器繁忙，请稍后再试", "the server is busy; try again",
                        NULL);
            http_add_header(r, "Retry-After", "2");
        } else {
            run_handler(r);
        }
        r->state = RQ_DONE;
        MHD_resume_connection(r->conn);
    }
}

static bool enqueue(work_queue *q, http_req *r)
{
    bool ok = false;
    pthread_mutex_lock(&q->mu);
    if (!q->stop && q->count < q->cap) {
        r->enq_ms = mono_ms();
        q->items[(q->head + q->count) % q->cap] = r;
        q->count++;
        ok = true;
        pthread_cond_signal(&q->cv);
    }
    pthread_mutex_unlock(&q->mu);
    return ok;
}

static ag_err queue_start(work_queue *q, http_server *s, int threads, size_t cap,
                          int64_t max_wait_ms, ag_error *err)
{
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->cv, NULL);
    q->srv = s;
    q->cap = cap;
    q->max_wait_ms = max_wait_ms;
    q->items = calloc(cap, sizeof *q->items);
    q->threads = calloc((size_t)threads, sizeof *q->threads);
    if (!q->items || !q->threads)
        return ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    for (int i = 0; i < threads; i++) {
        if (pthread_create(&q->threads[i], NULL, worker_main, q) != 0)
            return ag_fail(err, AG_ERR_INTERNAL, NULL, "无法创建线程", "cannot start a thread");
        q->nthreads++;
    }
    return AG_OK;
}

/* Tells the threads waiting on cv (under mu) to stop: sets *stop and wakes them all. */
static void signal_stop(pthread_mutex_t *mu, pthread_cond_t *cv, bool *stop)
{
    pthread_mutex_lock(mu);
    *stop = true;
    pthread_cond_broadcast(cv);
    pthread_mutex_unlock(mu);
}

/* Stops a background thread (when it was started) and destroys its lock and condition. */
static void thread_stop(pthread_mutex_t *mu, pthread_cond_t *cv, bool *stop, bool started,
                        pthread_t thread)
{
    if (started) {
        signal_stop(mu, cv, stop);
        pthread_join(thread, NULL);
    }
    pthread_cond_destroy(cv);
    pthread_mutex_destroy(mu);
}

static void queue_stop(work_queue *q)
{
    if (!q->srv)
        return;
    signal_stop(&q->mu, &q->cv, &q->stop);
    for (int i = 0; i < q->nthreads; i++)
        pthread_join(q->threads[i], NULL);
    free(q->threads);
    free(q->items);
    pthread_cond_destroy(&q->cv);
    pthread_mutex_destroy(&q->mu);
    q->srv = NULL;
}

/* The body is complete: parse it and run the handler here or on a worker. */
static void dispatch(http_req *r)
{
    http_server *s = r->srv;
    unsigned fl = r->route->flags;
    if (r->too_large) {
        too_large(r);
        r->state = RQ_DONE;
        return;
    }
    if ((fl & HTTP_BODY_JSON) && r->body.len > 0) {
        ag_error err;
        if (hj_parse(r->body.data, r->body.len, HTTP_JSON_DEPTH, &r->json, &err)) {
            write_error(r, 400, "bad_json", err.zh, err.en, err.where);
            r->state = RQ_DONE;
            return;
        }
    }
    if (r->upload_fd >= 0) {
        close(r->upload_fd);
        r->upload_fd = -1;
    }
    work_queue *q = fl & HTTP_WORK_AUTH ? &s->hashq : fl & HTTP_WORK_SLOW ? &s->slowq : NULL;
    bool classed = q != NULL;
    if (!q && state_changing(r->method))
        q = &s->writeq;
    if (classed && r->route->before) {
        ag_error err;
        ag_error_clear(&err);
        ag_err rc = r->route->before(r, &err);
        if (rc)
            reply_ag_error(r, &err);
        if (rc || r->replied) {
            r->state = RQ_DONE;
            return;
        }
    }
    if (!q) {
        run_handler(r);
        r->state = RQ_DONE;
        return;
    }
    /* Suspend first, so a fast worker's resume always finds it suspended. */
    r->state = RQ_QUEUED;
    MHD_suspend_connection(r->conn);
    if (!enqueue(q, r)) {
        write_error(r, 503, "busy", "服务器繁忙，请稍后再试", "the server is busy; try again",
                    NULL);
        http_add_header(r, "Retry-After", "2");
        r->state = RQ_DONE;
        MHD_resume_connection(r->conn);
    }
}

static bool has_body(http_req *r)
{
    bool present;
    uint64_t n = content_length(r, &present);
    return (present && n > 0) ||
           MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
                                       MHD_HTTP_HEADER_TRANSFER_ENCODING) != NULL;
}

static conn_ent *conn_of(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

/* Moves the connection to `phase`; a new request (CONN_HEADERS) restarts
 * its clock. */
static void conn_phase(http_server *s, struct MHD_Connection *conn, int phase)
{
    conn_ent *e = conn_of(conn);
    if (!e)
        return;
    pthread_mutex_lock(&s->conns.mu);
    e->phase = phase;
    if (phase == CONN_HEADERS)
        e->start_ms = mono_ms();
    pthread_mutex_unlock(&s->conns.mu);
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    http_server *s = cls;
    conn_list *l = &s->conns;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        conn_ent *e = ci ? calloc(1, sizeof *e) : NULL;
        if (e) {
            e->start_ms = mono_ms();
            e->fd = ci->connect_fd;
            e->phase = CONN_HEADERS;
            pthread_mutex_lock(&l->mu);
            e->next = l->head;
            if (l->head)
                l->head->prev = e;
            l->head = e;
            pthread_mutex_unlock(&l->mu);
        }
        *socket_context = e;
        return;
    }
    /* Unlinked under the lock before MHD closes the socket, so the sweeper
     * never shuts down a reused descriptor. */
    conn_ent *e = *socket_context;
    if (e) {
        pthread_mutex_lock(&l->mu);
        if (e->prev)
            e->prev->next = e->next;
        else
            l->head = e->next;
        if (e->next)
            e->next->prev = e->prev;
        pthread_mutex_unlock(&l->mu);
        free(e);
    }
    *socket_context = NULL;
}

/* Once a second: a connection that has sent headers for longer than
 * --timeout, or one request's body for longer than --deadline, is shut down
 * (MHD then sees the end of the stream and closes it). */
static void *sweep_main(void *arg)
{
    http_server *s = arg;
    conn_list *l = &s->conns;
    int64_t head_ms = (int64_t)s->cfg.timeout * 1000, body_ms = (int64_t)s->cfg.deadline * 1000;
    pthread_mutex_lock(&l->mu);
    while (!l->stop) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += 1;
        pthread_cond_timedwait(&l->cv, &l->mu, &ts);
        int64_t now = mono_ms();
        for (conn_ent *e = l->head; e && !l->stop; e = e->next) {
            int64_t age = now - e->start_ms;
            if ((e->phase == CONN_HEADERS && age > head_ms) ||
                (e->phase == CONN_BODY && age > body_ms)) {
                shutdown(e->fd, SHUT_RDWR);
                e->phase = CONN_WORK; /* once */
            }
        }
    }
    pthread_mutex_unlock(&l->mu);
    return NULL;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)version;
    http_server *s = cls;
    http_req *r = *con_cls;
    if (!r) {
        conn_phase(s, conn, CONN_BODY);
        r = req_new(s, conn, url, method);
        if (!r)
            return MHD_NO;
        *con_cls = r;
        atomic_fetch_add(&s->inflight, 1);
        begin(r);
        /* Answering before the whole request is in makes MHD close the
         * connection; without a body, answer on the next call and keep it. */
        if (r->state == RQ_DONE && has_body(r))
            return send_response(r);
        return MHD_YES;
    }
    if (r->queued)
        return MHD_YES;
    if (r->state == RQ_DONE && *upload_data_size) {
        *upload_data_size = 0; /* cannot happen without a body; be safe */
        return MHD_YES;
    }
    if (r->state == RQ_BODY) {
        if (*upload_data_size) {
            bool ok = take_body(r, upload_data, *upload_data_size);
            *upload_data_size = 0;
            return ok ? MHD_YES : MHD_NO;
        }
        conn_phase(s, conn, CONN_WORK);
        dispatch(r);
    }
    return r->state == RQ_DONE ? send_response(r) : MHD_YES;
}

static void access_log(http_req *r, enum MHD_RequestTerminationCode toe)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms =
        (double)(t1.tv_sec - r->t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - r->t0.tv_nsec) / 1e6;
    char ts[21], msbuf[32];
    ag_clock_format(ag_clock_now(), ts);
    ag_buf b;
    ag_buf_init(&b, 8192);
    hj_writer w;
    hj_init(&w, &b);
    hj_obj_begin(&w);
    hj_kstr(&w, "ts", ts);
    hj_kstr(&w, "method", r->method);
    /* The path only: query values (names, filters) stay out of the log. */
    hj_kstr(&w, "path", r->path);
    hj_kint(&w, "status", r->queued ? r->status : 0);
    hj_kint(&w, "bytes", (int64_t)r->bytes_out);
    hj_key(&w, "ms");
    snprintf(msbuf, sizeof msbuf, "%.3f", ms);
    hj_number(&w, msbuf);
    hj_key(&w, "user");
    if (r->has_user)
        hj_int(&w, r->user.user_id);
    else
        hj_null(&w);
    if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK)
        hj_kbool(&w, "aborted", true);
    hj_obj_end(&w);
    log_emit(&w, &b);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    http_server *s = cls;
    http_req *r = *con_cls;
    conn_phase(s, conn, CONN_HEADERS); /* the next request on this connection */
    if (!r)
        return;
    if (s->cfg.access_log)
        access_log(r, toe);
    req_free(r);
    *con_cls = NULL;
    atomic_fetch_sub(&s->inflight, 1);
}

/* ---- session touches ------------------------------------------------------ */

static void touch_enqueue(http_server *s, int64_t session_id)
{
    touch_queue *t = &s->touch;
    pthread_mutex_lock(&t->mu);
    bool dup = false;
    for (size_t i = 0; i < t->count && !dup; i++)
        dup = t->ids[i] == session_id;
    if (!dup && t->count < TOUCH_QUEUE) {
        t->ids[t->count++] = session_id;
        pthread_cond_signal(&t->cv);
    }
    pthread_mutex_unlock(&t->mu);
}

static void *touch_main(void *arg)
{
    http_server *s = arg;
    touch_queue *t = &s->touch;
    int64_t ids[TOUCH_QUEUE];
    for (;;) {
        pthread_mutex_lock(&t->mu);
        while (!t->count && !t->stop)
            pthread_cond_wait(&t->cv, &t->mu);
        size_t n = t->count;
        memcpy(ids, t->ids, n * sizeof ids[0]);
        t->count = 0;
        bool stop = t->stop;
        pthread_mutex_unlock(&t->mu);
        ag_store *st = NULL;
        ag_error err;
        if (n && pool_get(&s->pool, &st, &err) == AG_OK) {
            int64_t now = ag_clock_now();
            for (size_t i = 0; i < n; i++)
                if (session_touch(st, ids[i], now, &err))
                    log_line("warn", err.en, "session_touch");
            pool_put(&s->pool, st);
        }
        if (stop)
            return NULL;
    }
}

/* ---- scheduled escalation ------------------------------------------------- */

static void escalate_once(http_server *s)
{
    ag_store *st = NULL;
    ag_error err;
    ag_error_clear(&err);
    int64_t n = 0;
    atomic_store(&s->esc.day, (int)ag_clock_today());
    ag_err rc = pool_get(&s->pool, &st, &err);
    if (!rc) {
        store_set_actor(st, "system:escalate");
        rc = rectify_escalate(st, &n, &err);
        /* issue 14 §5 (liaison): the day's cadence reminders, idempotent like the escalation */
        int64_t reminded = 0;
        if (!rc)
            rc = app_liaison_remind(st, &reminded, &err);
        if (!rc) /* issue 14 §2 (dept): 提醒 of overdue guidance opinions */
            rc = app_guidance_remind(st, NULL, &err);
    }
    pool_put(&s->pool, st);
    if (rc) {
        log_line("warn", err.en[0] ? err.en : ag_err_name(rc), "rectify_escalate");
    } else if (n > 0) {
        char msg[96];
        snprintf(msg, sizeof msg, "escalated %lld overdue rectification items", (long long)n);
        log_line("info", msg, "rectify_escalate");
    }
}

static void escalate_kick(http_server *s)
{
    pthread_mutex_lock(&s->esc.mu);
    if (!s->esc.kick) {
        s->esc.kick = true;
        pthread_cond_signal(&s->esc.cv);
    }
    pthread_mutex_unlock(&s->esc.mu);
}

static void *escalate_main(void *arg)
{
    http_server *s = arg;
    escalator *e = &s->esc;
    for (;;) {
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += ESCALATE_EVERY_S;
        pthread_mutex_lock(&e->mu);
        while (!e->stop && !e->kick)
            if (pthread_cond_timedwait(&e->cv, &e->mu, &until) == ETIMEDOUT)
                break;
        bool stop = e->stop;
        e->kick = false;
        pthread_mutex_unlock(&e->mu);
        if (stop)
            return NULL;
        escalate_once(s);
    }
}

/* Runs the first escalation now (so a server started after a deadline has
 * notified before it answers) and starts the periodic one. A failure is
 * logged, never fatal: serving matters more than a late notice. */
static void escalate_start(http_server *s)
{
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&s->esc.mu, NULL);
    pthread_cond_init(&s->esc.cv, &ca);
    pthread_condattr_destroy(&ca);
    escalate_once(s);
    s->esc.started = pthread_create(&s->esc.thread, NULL, escalate_main, s) == 0;
    if (!s->esc.started)
        log_line("warn", "cannot start the escalation thread", "rectify_escalate");
}

static void escalate_stop(http_server *s)
{
    if (!s->esc.started)
        return;
    thread_stop(&s->esc.mu, &s->esc.cv, &s->esc.stop, true, s->esc.thread);
    s->esc.started = false;
}

/* ---- start and stop ------------------------------------------------------- */

void http_config_default(http_config *c)
{
    memset(c, 0, sizeof *c);
    c->db_path = "auditgrid.db";
    c->listen = "127.0.0.1:8080";
    c->max_body = 1 << 20;
    c->max_upload = (int64_t)512 << 20;
    c->max_connections = 1024;
    c->per_ip_connections = 64;
    c->conn_memory = 64 * 1024;
    c->timeout = 30;
    c->deadline = 600;
    session_limits_default(&c->session);
    c->login_failures = 3;
    c->login_ceiling = 100;
    c->login_window = 15 * 60;
    c->hash_workers = 0;
    c->hash_wait_ms = 5000;
    c->hash_queue = 64;
    c->access_log = true;
    c->cache = true;
}

/* libmicrohttpd's own messages: its format strings are its own. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 0)))
#endif
static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    msg[strcspn(msg, "\n")] = '\0';
    log_line("warn", msg, "libmicrohttpd");
}

static char *read_pem(const char *path, ag_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        ag_fail(err, AG_ERR_IO, path, "无法读取证书或私钥文件",
                "cannot read the certificate or key");
        return NULL;
    }
    ag_buf b;
    ag_buf_init(&b, 1 << 20);
    char chunk[4096];
    size_t n;
    ag_err rc = AG_OK;
    while (!rc && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = ag_buf_add(&b, chunk, n);
    fclose(f);
    if (rc || b.len == 0) {
        ag_buf_release(&b);
        ag_fail(err, AG_ERR_INPUT, path, "证书或私钥文件为空或过大（上限 1 MiB）",
                "the certificate or key file is empty or too large (1 MiB at most)");
        return NULL;
    }
    return ag_buf_detach(&b);
}

static bool is_dir(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* --web, else ./web, else web/ beside the binary or one level up. */
static void find_web(http_server *s)
{
    char cand[3][PATH_MAX];
    int n = 0;
    if (s->cfg.web_dir) {
        snprintf(cand[n++], PATH_MAX, "%s", s->cfg.web_dir);
    } else {
        snprintf(cand[n++], PATH_MAX, "web");
        char exe[PATH_MAX];
        ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (k > 0) {
            exe[k] = '\0';
            char *slash = strrchr(exe, '/');
            if (slash) {
                *slash = '\0';
                snprintf(cand[n++], PATH_MAX, "%.*s/web", PATH_MAX - 8, exe);
                snprintf(cand[n++], PATH_MAX, "%.*s/../web", PATH_MAX - 8, exe);
            }
        }
    }
    for (int i = 0; i < n; i++)
        if (is_dir(cand[i]) && realpath(cand[i], s->web_dir)) {
            s->have_web = true;
            return;
        }
}

static ag_err parse_listen(const char *spec, struct sockaddr_storage *ss, char *host,
                           size_t hostlen, ag_error *err)
{
    char h[128], port[16];
    const char *colon;
    if (spec[0] == '[') {
        const char *end = strchr(spec, ']');
        if (!end || end[1] != ':' || (size_t)(end - spec - 1) >= sizeof h)
            goto bad;
        snprintf(h, sizeof h, "%.*s", (int)(end - spec - 1), spec + 1);
        colon = end + 1;
    } else {
        colon = strrchr(spec, ':');
        if (!colon || (size_t)(colon - spec) >= sizeof h)
            goto bad;
        snprintf(h, sizeof h, "%.*s", (int)(colon - spec), spec);
    }
    if (strlen(colon + 1) == 0 || strlen(colon + 1) > 5 ||
        strspn(colon + 1, "0123456789") != strlen(colon + 1) || strtol(colon + 1, NULL, 10) > 65535)
        goto bad;
    snprintf(port, sizeof port, "%s", colon + 1);
    if (!h[0] || !strcmp(h, "localhost"))
        snprintf(h, sizeof h, "%s", !h[0] ? "0.0.0.0" : "127.0.0.1");
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(h, port, &hints, &res) != 0 || !res)
        goto bad;
    memcpy(ss, res->ai_addr, res->ai_addrlen);
    freeaddrinfo(res);
    snprintf(host, hostlen, "%s", h);
    return AG_OK;
bad:
    return ag_fail(err, AG_ERR_USAGE, "--listen",
                   "--listen 应为 地址:端口（如 127.0.0.1:8080 或 [::1]:8080）：%s",
                   "--listen is ADDRESS:PORT (e.g. 127.0.0.1:8080 or [::1]:8080): %s", spec);
}

ag_err http_server_start(const http_config *c, http_server **out, ag_error *err)
{
    *out = NULL;
    if (ag_crypto_init())
        return ag_fail(err, AG_ERR_INTERNAL, NULL, "libsodium 初始化失败",
                       "libsodium failed to initialise");
    if (!c->tls_cert != !c->tls_key)
        return ag_fail(err, AG_ERR_USAGE, "--tls-cert", "--tls-cert 与 --tls-key 须同时给出",
                       "--tls-cert and --tls-key go together");
    if (c->tls_cert && MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
        return ag_fail(err, AG_ERR_USAGE, "--tls-cert",
                       "此 libmicrohttpd 不支持 TLS；请改用反向代理（见 docs/operations.md）",
                       "this libmicrohttpd has no TLS; use a reverse proxy (docs/operations.md)");
    struct sockaddr_storage ss;
    char host[128];
    ag_err rc = parse_listen(c->listen, &ss, host, sizeof host, err);
    if (rc)
        return rc;
    http_server *s = calloc(1, sizeof *s);
    if (!s)
        return ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    s->cfg = *c;
    s->listen_fd = MHD_INVALID_SOCKET;
    int cores = (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (cores < 1)
        cores = 1;
    int threads = c->threads > 0 ? c->threads : cores;
    int hashers = c->hash_workers > 0 ? c->hash_workers : (cores <= 2 ? 1 : 2);
    s->cfg.threads = threads;
    s->cfg.hash_workers = hashers;
    pthread_mutex_init(&s->pool.mu, NULL);
    s->pool.path = c->db_path;
    s->pool.cap = (size_t)threads + (size_t)hashers + 4;
    s->pool.idle = calloc(s->pool.cap, sizeof *s->pool.idle);
    pthread_mutex_init(&s->touch.mu, NULL);
    pthread_cond_init(&s->touch.cv, NULL);
    pthread_mutex_init(&s->cache.mu, NULL);
    pthread_mutex_init(&s->conns.mu, NULL);
    pthread_cond_init(&s->conns.cv, NULL);
    s->cache.max_bytes = 64u << 20;
    s->cache.map = ag_map_new(sizeof(cache_entry));
    throttle_limits lim;
    throttle_limits_default(&lim);
    lim.free_failures = c->login_failures;
    lim.addr_ceiling = c->login_ceiling;
    lim.addr_window = c->login_window * 1000;
    s->thr = throttle_new(&lim);
    if (!s->pool.idle || !s->thr) {
        http_server_stop(s, 0);
        return ag_fail(err, AG_ERR_NOMEM, NULL, "内存不足", "out of memory");
    }
    /* Open once now: a missing database or schema fails here, not per request. */
    ag_store *st = NULL;
    rc = pool_get(&s->pool, &st, err);
    if (rc) {
        http_server_stop(s, 0);
        return rc;
    }
    pool_put(&s->pool, st);
    find_web(s);
    if (c->web_dir && !s->have_web) {
        http_server_stop(s, 0);
        return ag_fail(err, AG_ERR_NOTFOUND, "--web", "静态文件目录不存在：%s",
                       "no such folder for static files: %s", c->web_dir);
    }
    if (c->tls_cert) {
        s->tls = true;
        s->tls_cert_pem = read_pem(c->tls_cert, err);
        s->tls_key_pem = s->tls_cert_pem ? read_pem(c->tls_key, err) : NULL;
        if (!s->tls_key_pem) {
            http_server_stop(s, 0);
            return err ? err->code : AG_ERR_IO;
        }
    }
    rc = queue_start(&s->hashq, s, hashers, (size_t)(c->hash_queue > 0 ? c->hash_queue : 1),
                     c->hash_wait_ms, err);
    if (!rc)
        rc = queue_start(&s->slowq, s, 1, 16, 0, err);
    if (!rc)
        rc = queue_start(&s->writeq, s, 2, 64, 0, err);
    if (!rc && pthread_create(&s->touch.thread, NULL, touch_main, s) != 0)
        rc = ag_fail(err, AG_ERR_INTERNAL, NULL, "无法创建线程", "cannot start a thread");
    s->touch.started = !rc;
    if (rc) {
        http_server_stop(s, 0);
        return rc;
    }
    /* Signals are taken by http_server_wait; every thread started from here
     * on inherits the mask. */
    sigemptyset(&s->sigs);
    sigaddset(&s->sigs, SIGTERM);
    sigaddset(&s->sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &s->sigs, NULL);
    signal(SIGPIPE, SIG_IGN);
    escalate_start(s);
    s->conns.started = pthread_create(&s->conns.thread, NULL, sweep_main, s) == 0;

    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
                     MHD_USE_ERROR_LOG;
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    if (s->tls)
        flags |= MHD_USE_TLS;
    struct MHD_OptionItem opts[16];
    int no = 0;
    opts[no++] = (struct MHD_OptionItem){MHD_OPTION_THREAD_POOL_SIZE, threads, NULL};
    opts[no++] =
        (struct MHD_OptionItem){MHD_OPTION_CONNECTION_LIMIT, (intptr_t)c->max_connections, NULL};
    /* Fair shares: one address never takes more than 1/16 of the budget, so
     * a handful of addresses cannot fill it (issue 12 §7). */
    unsigned share = c->max_connections / 16 ? c->max_connections / 16 : 1;
    unsigned per_ip = c->per_ip_connections < share ? c->per_ip_connections : share;
    opts[no++] =
        (struct MHD_OptionItem){MHD_OPTION_PER_IP_CONNECTION_LIMIT, (intptr_t)per_ip, NULL};
    opts[no++] =
        (struct MHD_OptionItem){MHD_OPTION_CONNECTION_MEMORY_LIMIT, (intptr_t)c->conn_memory, NULL};
    opts[no++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_TIMEOUT, (intptr_t)c->timeout, NULL};
    opts[no++] = (struct MHD_OptionItem){MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024, NULL};
    opts[no++] = (struct MHD_OptionItem){MHD_OPTION_STRICT_FOR_CLIENT, 1, NULL};
    if (s->tls) {
        opts[no++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, s->tls_cert_pem};
        opts[no++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, s->tls_key_pem};
        /* TLS 1.2 or later only (issue 12 §7): 1.0 and 1.1 are refused. */
        opts[no++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_PRIORITIES, 0,
                                             (void *)"NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"};
    }
    opts[no++] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
    s->d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, s, MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
    if (!s->d) {
        http_server_stop(s, 0);
        return ag_fail(err, AG_ERR_IO, c->listen, "无法在 %s 上启动服务（端口被占用或无权限？）",
                       "cannot serve on %s (port in use or not permitted?)", c->listen);
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = di ? di->port : 0;
    bool v6 = ss.ss_family == AF_INET6;
    snprintf(s->url, sizeof s->url, "%s://%s%s%s:%u", s->tls ? "https" : "http", v6 ? "[" : "",
             host, v6 ? "]" : "", port);
    *out = s;
    return AG_OK;
}

const char *http_server_url(const http_server *s)
{
    return s->url;
}

int http_server_wait(http_server *s)
{
    int sig = 0;
    while (sigwait(&s->sigs, &sig) != 0)
        ;
    return sig;
}

void http_server_stop(http_server *s, int64_t grace_ms)
{
    if (!s)
        return;
    if (s->d) {
        s->listen_fd = MHD_quiesce_daemon(s->d);
        int64_t until = mono_ms() + grace_ms;
        while (atomic_load(&s->inflight) > 0 && mono_ms() < until) {
            struct timespec ts = {0, 10 * 1000000};
            nanosleep(&ts, NULL);
        }
    }
    /* Workers answer what is still queued (503) and resume those requests. */
    queue_stop(&s->hashq);
    queue_stop(&s->slowq);
    queue_stop(&s->writeq);
    if (s->d) {
        int64_t until = mono_ms() + 1000;
        while (atomic_load(&s->inflight) > 0 && mono_ms() < until) {
            struct timespec ts = {0, 10 * 1000000};
            nanosleep(&ts, NULL);
        }
        MHD_stop_daemon(s->d);
        if (s->listen_fd != MHD_INVALID_SOCKET)
            close(s->listen_fd);
    }
    escalate_stop(s);
    thread_stop(&s->conns.mu, &s->conns.cv, &s->conns.stop, s->conns.started, s->conns.thread);
    thread_stop(&s->touch.mu, &s->touch.cv, &s->touch.stop, s->touch.started, s->touch.thread);
    for (size_t i = 0; i < s->pool.nidle; i++)
        store_close(s->pool.idle[i]);
    free(s->pool.idle);
    pthread_mutex_destroy(&s->pool.mu);
    throttle_free(s->thr);
    cache_free_all(s->cache.map);
    pthread_mutex_destroy(&s->cache.mu);
    if (s->tls_key_pem)
        sodium_memzero(s->tls_key_pem, strlen(s->tls_key_pem));
    free(s->tls_cert_pem);
    free(s->tls_key_pem);
    free(s);
}
