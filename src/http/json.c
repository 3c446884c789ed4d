/* json.c - streaming JSON writer with correct escaping, and the bounded request-body parser. */
#include "http/json.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "util/banned.h"

void hj_init(hj_writer *w, ag_buf *out)
{
    memset(w, 0, sizeof *w);
    w->out = out;
}

static void put(hj_writer *w, const char *p, size_t n)
{
    if (!w->rc)
        w->rc = ag_buf_add(w->out, p, n);
}

/* Separator before a value (or a key) at the current level. */
static bool before_value(hj_writer *w)
{
    if (w->rc)
        return false;
    if (w->after_key) {
        w->after_key = false;
        return true;
    }
    if (w->in_object[w->depth] && w->depth > 0) {
        w->rc = AG_ERR_INTERNAL; /* a value inside an object needs a key */
        return false;
    }
    if (w->depth == 0 && w->need_comma[0]) {
        w->rc = AG_ERR_INTERNAL; /* one document only */
        return false;
    }
    if (w->need_comma[w->depth])
        put(w, ",", 1);
    w->need_comma[w->depth] = true;
    return !w->rc;
}

static void open_container(hj_writer *w, char c, bool object)
{
    if (!before_value(w))
        return;
    if (w->depth >= HJ_MAX_DEPTH) {
        w->rc = AG_ERR_INTERNAL;
        return;
    }
    put(w, &c, 1);
    w->depth++;
    w->need_comma[w->depth] = false;
    w->in_object[w->depth] = object;
}

static void close_container(hj_writer *w, char c, bool object)
{
    if (w->rc)
        return;
    if (w->depth == 0 || w->in_object[w->depth] != object || w->after_key) {
        w->rc = AG_ERR_INTERNAL;
        return;
    }
    w->depth--;
    put(w, &c, 1);
}

void hj_obj_begin(hj_writer *w)
{
    open_container(w, '{', true);
}

void hj_obj_end(hj_writer *w)
{
    close_container(w, '}', true);
}

void hj_arr_begin(hj_writer *w)
{
    open_container(w, '[', false);
}

void hj_arr_end(hj_writer *w)
{
    close_container(w, ']', false);
}

/* Length of the valid UTF-8 sequence at p (n bytes left), 0 if invalid:
 * no overlong forms, no surrogates, nothing above U+10FFFF. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
    unsigned char c = p[0];
    if (c < 0x80)
        return 1;
    size_t len;
    uint32_t cp;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

/* The characters JSON escapes with a backslash and a letter (RFC 8259 §7), by code. */
static const char *const short_escapes['\\' + 1] = {
    ['"'] = "\\\"", ['\\'] = "\\\\", ['\n'] = "\\n", ['\r'] = "\\r",
    ['\t'] = "\\t", ['\b'] = "\\b",  ['\f'] = "\\f"};

static void put_string(hj_writer *w, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    put(w, "\"", 1);
    size_t run = 0; /* bytes copied as they are, flushed in one go */
    for (size_t i = 0; i < n && !w->rc;) {
        unsigned char c = p[i];
        const char *esc = NULL;
        char ubuf[8];
        size_t step = 1;
        if (c < sizeof short_escapes / sizeof short_escapes[0] && short_escapes[c])
            esc = short_escapes[c];
        else if (c < 0x20) {
            snprintf(ubuf, sizeof ubuf, "\\u%04x", c);
            esc = ubuf;
        } else if (c >= 0x80) {
            step = utf8_seq(p + i, n - i);
            if (step == 0) {
                esc = "\\ufffd";
                step = 1;
            } else if (step == 3 && c == 0xe2 && p[i + 1] == 0x80 &&
                       (p[i + 2] == 0xa8 || p[i + 2] == 0xa9)) {
                /* U+2028/U+2029 end a line in JavaScript source. */
                esc = p[i + 2] == 0xa8 ? "\\u2028" : "\\u2029";
            }
        }
        if (esc) {
            put(w, s + i - run, run);
            run = 0;
            put(w, esc, strlen(esc));
        } else {
            run += step;
        }
        i += step;
    }
    put(w, s + n - run, run);
    put(w, "\"", 1);
}

void hj_key(hj_writer *w, const char *key)
{
    if (w->rc)
        return;
    if (w->depth == 0 || !w->in_object[w->depth] || w->after_key) {
        w->rc = AG_ERR_INTERNAL;
        return;
    }
    if (w->need_comma[w->depth])
        put(w, ",", 1);
    w->need_comma[w->depth] = true;
    put_string(w, key, strlen(key));
    put(w, ":", 1);
    w->after_key = true;
}

void hj_strn(hj_writer *w, const char *s, size_t n)
{
    if (!s) {
        hj_null(w);
        return;
    }
    if (before_value(w))
        put_string(w, s, n);
}

void hj_str(hj_writer *w, const char *s)
{
    hj_strn(w, s, s ? strlen(s) : 0);
}

void hj_int(hj_writer *w, int64_t v)
{
    if (!before_value(w))
        return;
    char b[24];
    int k = snprintf(b, sizeof b, "%" PRId64, v);
    put(w, b, (size_t)k);
}

void hj_bool(hj_writer *w, bool v)
{
    if (before_value(w))
        put(w, v ? "true" : "false", v ? 4 : 5);
}

void hj_null(hj_writer *w)
{
    if (before_value(w))
        put(w, "null", 4);
}

void hj_number(hj_writer *w, const char *num)
{
    size_t n = strlen(num);
    const char *p = num;
    if (*p == '-')
        p++;
    bool ok = *p >= '0' && *p <= '9' && strspn(num, "-+.eE0123456789") == n;
    if (!ok) {
        if (!w->rc)
            w->rc = AG_ERR_INTERNAL;
        return;
    }
    if (before_value(w))
        put(w, num, n);
}

static void value_at(hj_writer *w, const json_t *v, int depth)
{
    if (depth > HJ_MAX_DEPTH) {
        w->rc = AG_ERR_INTERNAL;
        return;
    }
    switch (v ? json_typeof(v) : JSON_NULL) {
    case JSON_OBJECT: {
        hj_obj_begin(w);
        const char *k;
        json_t *x;
        /* Cast: jansson's iteration macro takes a non-const object. */
        json_object_foreach((json_t *)v, k, x)
        {
            hj_key(w, k);
            value_at(w, x, depth + 1);
        }
        hj_obj_end(w);
        break;
    }
    case JSON_ARRAY:
        hj_arr_begin(w);
        for (size_t i = 0; i < json_array_size(v); i++)
            value_at(w, json_array_get(v, i), depth + 1);
        hj_arr_end(w);
        break;
    case JSON_STRING:
        hj_strn(w, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        hj_int(w, json_integer_value(v));
        break;
    case JSON_REAL: {
        if (!before_value(w))
            return;
        char b[40];
        int k = snprintf(b, sizeof b, "%.17g", json_real_value(v));
        put(w, b, (size_t)k);
        break;
    }
    case JSON_TRUE:
        hj_bool(w, true);
        break;
    case JSON_FALSE:
        hj_bool(w, false);
        break;
    default:
        hj_null(w);
        break;
    }
}

void hj_value(hj_writer *w, const json_t *v)
{
    value_at(w, v, 0);
}

void hj_kstr(hj_writer *w, const char *key, const char *s)
{
    hj_key(w, key);
    hj_str(w, s);
}

void hj_kint(hj_writer *w, const char *key, int64_t v)
{
    hj_key(w, key);
    hj_int(w, v);
}

void hj_kbool(hj_writer *w, const char *key, bool v)
{
    hj_key(w, key);
    hj_bool(w, v);
}

void hj_kvalue(hj_writer *w, const char *key, const json_t *v)
{
    hj_key(w, key);
    hj_value(w, v);
}

ag_err hj_finish(hj_writer *w)
{
    if (!w->rc && (w->depth != 0 || w->after_key || !w->need_comma[0]))
        w->rc = AG_ERR_INTERNAL;
    return w->rc;
}

/* ---- parsing ------------------------------------------------------------ */

int hj_depth(const char *p, size_t n, int limit)
{
    int depth = 0, max = 0;
    bool in_str = false, esc = false;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (in_str) {
            if (esc)
                esc = false;
            else if (c == '\\')
                esc = true;
            else if (c == '"')
                in_str = false;
            continue;
        }
        if (c == '"') {
            in_str = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max) {
                max = depth;
                if (max > limit)
                    return limit + 1;
            }
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        }
    }
    return max;
}

ag_err hj_parse(const char *p, size_t n, int max_depth, json_t **out, ag_error *err)
{
    *out = NULL;
    if (n == 0)
        return ag_fail(err, AG_ERR_USAGE, "body", "请求体为空，应为 JSON",
                       "the request body is empty; JSON expected");
    if (hj_depth(p, n, max_depth) > max_depth)
        return ag_fail(err, AG_ERR_USAGE, "body", "JSON 嵌套超过 %d 层",
                       "JSON nested deeper than %d levels", max_depth);
    json_error_t je;
    json_t *v = json_loadb(p, n, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
    if (!v) {
        char where[64];
        snprintf(where, sizeof where, "body:%d:%d", je.line, je.column);
        /* Only the position, in our words: jansson's text quotes the body
         * near the error, and a body can hold a password. */
        if (json_error_code(&je) == json_error_duplicate_key)
            return ag_fail(err, AG_ERR_USAGE, where, "请求体中有重复的键（第 %d 行第 %d 列）",
                           "the request body has a duplicate key (line %d, column %d)", je.line,
                           je.column);
        return ag_fail(err, AG_ERR_USAGE, where, "请求体不是有效的 JSON（第 %d 行第 %d 列）",
                       "the request body is not valid JSON (line %d, column %d)", je.line,
                       je.column);
    }
    *out = v;
    return AG_OK;
}
