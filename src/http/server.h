/* server.h - the HTTP server: JSON API v1, static files of web/, sessions, CSRF, role and unit
 * scope. */
#ifndef AG_HTTP_SERVER_H
#define AG_HTTP_SERVER_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/session.h"
#include "util/error.h"

/* Everything `auditgrid serve` can set; http_config_default fills the
 * defaults documented in docs/api.md and docs/operations.md. Strings are
 * borrowed for the server's lifetime. */
typedef struct http_config {
    const char *db_path;
    const char *listen;   /* "HOST:PORT", "[V6]:PORT"; port 0 picks a free one */
    int threads;          /* request threads; 0: one per core */
    const char *web_dir;  /* static files; NULL: ./web or beside the binary */
    const char *tls_cert; /* PEM files: both or neither */
    const char *tls_key;
    const char *public_origin;   /* "https://audit.example.cn": expected Origin; NULL: from Host */
    const char *proxy;           /* address of a trusted reverse proxy (X-Real-IP), or NULL */
    const char *tmp_dir;         /* uploads are spooled here; NULL: $TMPDIR or /tmp */
    int64_t max_body;            /* JSON request bodies, bytes (1 MiB) */
    int64_t max_upload;          /* import uploads, bytes (512 MiB) */
    unsigned max_connections;    /* all clients (1024) */
    unsigned per_ip_connections; /* one address (64), never over 1/16 of max_connections */
    unsigned conn_memory;        /* per-connection buffer, bytes (64 KiB) */
    unsigned timeout;            /* idle connection timeout, seconds (30); also the
                                    total time to send a request's headers */
    unsigned deadline;           /* total time for one request's headers and body, s (600) */
    session_limits session;
    int login_failures;   /* failures of one account from one address before delays (3) */
    int login_ceiling;    /* failures from one address per window, across accounts (100) */
    int64_t login_window; /* the ceiling's window, seconds (900) */
    int hash_workers;     /* concurrent Argon2 verifications (1) */
    int64_t hash_wait_ms; /* longest wait for a hashing slot before 503 (5000) */
    int hash_queue;       /* requests that may wait for a slot (64) */
    bool access_log;      /* one JSON line per request on stderr (on) */
    bool cache;           /* cache read-only responses per data generation (on) */
} http_config;

void http_config_default(http_config *c);

typedef struct http_server http_server;

/* Opens the database (checking the schema), binds the socket and starts the
 * request threads. SIGTERM, SIGINT and SIGPIPE are blocked in the calling
 * thread first (so every thread inherits that) and handled by
 * http_server_wait. *out owns the server: http_server_stop frees it. */
ag_err http_server_start(const http_config *c, http_server **out, ag_error *err);
/* "http://127.0.0.1:8080" as bound (the real port when 0 was asked). */
const char *http_server_url(const http_server *s);
/* Blocks until SIGTERM or SIGINT; returns the signal number. */
int http_server_wait(http_server *s);
/* Graceful stop: no new connections, in-flight requests (imports included)
 * finish within grace_ms, then everything is closed and freed. NULL is fine. */
void http_server_stop(http_server *s, int64_t grace_ms);

#endif
