/* apitest.h - the real server on a loopback port for the cmocka tests of
 * src/http/api_*.c: a demo district in a fresh SQLite file, http_server_start
 * on 127.0.0.1:0, and a small HTTP/1.1 client that signs in as a demo account
 * and keeps its cookie and CSRF token. Include after <cmocka.h> and testutil.h.
 */
#ifndef AG_APITEST_H
#define AG_APITEST_H

#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../testutil.h"
#include "app/demo.h"
#include "domain/attach.h"
#include "http/server.h"
#include "store/store.h"

/* One server on a demo district. */
typedef struct apit_server {
    char db[1024];
    char tmp[1100];
    http_server *srv;
    int port;
} apit_server;

/* One signed-in client (or anonymous: empty cookie). */
typedef struct apit_client {
    char cookie[160];
    char csrf[96];
} apit_client;

/* One response: status, the headers as received, the body (NUL-terminated). */
typedef struct apit_resp {
    int status;
    char *headers;
    char *body;
    size_t body_len;
} apit_resp;

static inline void apit_resp_free(apit_resp *r)
{
    free(r->headers);
    free(r->body);
    memset(r, 0, sizeof *r);
}

/* A demo district (seed 7; with `lines` voucher lines of pilot books, imported
 * and scanned, when lines > 0) in a fresh file for `name`, served. */
static inline void apit_start(apit_server *s, const char *name, int64_t lines)
{
    memset(s, 0, sizeof *s);
    ag_test_path(s->db, sizeof s->db, name);
    ag_error err;
    ag_store *st = NULL;
    must(store_open(s->db, AG_STORE_CREATE, &st, &err), &err);
    char files[1100];
    must(attach_dir_for(s->db, files, sizeof files, &err), &err);
    char books[1100];
    snprintf(books, sizeof books, "%s.books", s->db);
    demo_summary sum;
    app_demo_req req = {7, lines, files, books, false};
    must(app_demo_build(st, &req, &sum, NULL, 0, NULL, &err), &err);
    store_close(st);

    snprintf(s->tmp, sizeof s->tmp, "%s.spool", s->db);
    mkdir(s->tmp, 0700);
    http_config c;
    http_config_default(&c);
    c.db_path = s->db;
    c.listen = "127.0.0.1:0";
    c.threads = 2;
    c.tmp_dir = s->tmp;
    c.access_log = false;
    static char web[1024];
    const char *src = getenv("AG_SOURCE_DIR");
    snprintf(web, sizeof web, "%s/web", src && *src ? src : ".");
    c.web_dir = web;
    must(http_server_start(&c, &s->srv, &err), &err);
    const char *url = http_server_url(s->srv);
    const char *colon = strrchr(url, ':');
    assert_non_null(colon);
    s->port = (int)strtol(colon + 1, NULL, 10);
    assert_true(s->port > 0);
}

static inline void apit_stop(apit_server *s)
{
    http_server_stop(s->srv, 2000);
    s->srv = NULL;
}

/* Decodes a chunked body in place; returns its length. */
static inline size_t apit_unchunk(char *b, size_t n)
{
    size_t in = 0, out = 0;
    while (in < n) {
        char *end = NULL;
        unsigned long len = strtoul(b + in, &end, 16);
        char *crlf = strstr(b + in, "\r\n");
        if (!crlf || len == 0)
            break;
        in = (size_t)(crlf - b) + 2;
        if (in + len > n)
            len = n - in;
        memmove(b + out, b + in, len);
        out += len;
        in += len + 2;
        (void)end;
    }
    b[out] = '\0';
    return out;
}

/* One request over a new connection; extra_headers end in "\r\n" (or NULL). */
static inline void apit_raw(apit_server *s, const apit_client *c, const char *method,
                            const char *path, const char *ctype, const char *body, size_t body_len,
                            const char *extra_headers, apit_resp *out)
{
    memset(out, 0, sizeof *out);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)s->port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);

    size_t cap = 4096 + body_len, len = 0;
    char *req = malloc(cap);
    assert_non_null(req);
    len += (size_t)snprintf(req + len, cap - len,
                            "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n", method,
                            path, s->port);
    if (c && c->cookie[0])
        len += (size_t)snprintf(req + len, cap - len, "Cookie: %s\r\n", c->cookie);
    if (c && c->csrf[0] && strcmp(method, "GET") != 0)
        len += (size_t)snprintf(req + len, cap - len, "X-CSRF-Token: %s\r\n", c->csrf);
    if (body) {
        len += (size_t)snprintf(req + len, cap - len, "Content-Type: %s\r\nContent-Length: %zu\r\n",
                                ctype ? ctype : "application/json", body_len);
    }
    if (extra_headers)
        len += (size_t)snprintf(req + len, cap - len, "%s", extra_headers);
    len += (size_t)snprintf(req + len, cap - len, "\r\n");
    if (body) {
        memcpy(req + len, body, body_len);
        len += body_len;
    }
    /* A server that has answered early (413) may close before the body is all sent: the
     * answer is still read. */
    for (size_t sent = 0; sent < len;) {
        ssize_t k = send(fd, req + sent, len - sent, MSG_NOSIGNAL);
        if (k <= 0)
            break;
        sent += (size_t)k;
    }
    free(req);

    size_t rcap = 65536, rlen = 0;
    char *resp = malloc(rcap + 1);
    assert_non_null(resp);
    for (;;) {
        if (rlen == rcap) {
            rcap *= 2;
            resp = realloc(resp, rcap + 1);
            assert_non_null(resp);
        }
        ssize_t k = recv(fd, resp + rlen, rcap - rlen, 0);
        if (k <= 0)
            break;
        rlen += (size_t)k;
    }
    close(fd);
    resp[rlen] = '\0';
    char *sep = strstr(resp, "\r\n\r\n");
    assert_non_null(sep);
    assert_int_equal(sscanf(resp, "HTTP/1.%*d %d", &out->status), 1);
    size_t hlen = (size_t)(sep - resp);
    out->headers = strndup(resp, hlen);
    size_t blen = rlen - hlen - 4;
    out->body = malloc(blen + 1);
    assert_non_null(out->body);
    memcpy(out->body, sep + 4, blen);
    out->body[blen] = '\0';
    out->body_len = blen;
    if (strcasestr(out->headers, "transfer-encoding: chunked"))
        out->body_len = apit_unchunk(out->body, blen);
    free(resp);
}

/* A JSON request (body may be NULL); the status is returned, the parsed body in
 * *json (NULL when the body is not JSON or json is NULL). */
static inline int apit_json(apit_server *s, const apit_client *c, const char *method,
                            const char *path, const char *body, json_t **json)
{
    apit_resp r;
    apit_raw(s, c, method, path, NULL, body, body ? strlen(body) : 0, NULL, &r);
    if (json)
        *json = json_loads(r.body, 0, NULL);
    int status = r.status;
    apit_resp_free(&r);
    return status;
}

/* The "total" of a list the client GETs (asserting 200). */
static inline long long apit_total(apit_server *s, const apit_client *c, const char *path)
{
    json_t *j = NULL;
    assert_int_equal(apit_json(s, c, "GET", path, NULL, &j), 200);
    long long n = json_integer_value(json_object_get(j, "total"));
    json_decref(j);
    return n;
}

/* Signs in a demo account (password DEMO_PASSWORD unless given). */
static inline void apit_login(apit_server *s, const char *user, const char *password,
                              apit_client *c)
{
    memset(c, 0, sizeof *c);
    char body[300];
    snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\"}", user,
             password ? password : DEMO_PASSWORD);
    apit_resp r;
    apit_raw(s, NULL, "POST", "/api/v1/session", NULL, body, strlen(body), NULL, &r);
    if (r.status != 200)
        fail_msg("sign-in of %s: %d %s", user, r.status, r.body);
    const char *ck = strcasestr(r.headers, "set-cookie: ag_session=");
    assert_non_null(ck);
    ck += strlen("set-cookie: ");
    size_t n = strcspn(ck, ";\r\n");
    assert_true(n < sizeof c->cookie);
    memcpy(c->cookie, ck, n);
    json_t *j = json_loads(r.body, 0, NULL);
    assert_non_null(j);
    const char *tok = json_string_value(json_object_get(j, "csrf_token"));
    assert_non_null(tok);
    snprintf(c->csrf, sizeof c->csrf, "%s", tok);
    json_decref(j);
    apit_resp_free(&r);
}

/* The string at key of obj, or "" (never NULL, for assert_string_equal). */
static inline const char *apit_str(const json_t *obj, const char *key)
{
    const char *v = json_string_value(json_object_get(obj, key));
    return v ? v : "";
}

/* One value from the database (a test reads what the API wrote). */
static inline long long apit_sql_int(apit_server *s, const char *sql)
{
    ag_store *st = NULL;
    ag_error err;
    must(store_open(s->db, 0, &st, &err), &err);
    ag_stmt *q = NULL;
    must(store_prepare(st, sql, &q, &err), &err);
    bool row = false;
    must(store_step(q, &row, &err), &err);
    long long v = row ? (long long)store_col_int(q, 0) : -1;
    store_finalize(q);
    store_close(st);
    return v;
}

#endif
