/* api_admin.c - accounts and the audit log, for the bureau's administrator. */
#include "http/api.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "domain/user.h"
#include "util/banned.h"

int api_users(http_req *r, ag_error *err)
{
    int64_t page, per;
    ag_err rc = http_page(r, &page, &per, err);
    json_t *all = NULL;
    if (!rc)
        rc = user_list(http_store(r), &all, err);
    if (rc)
        return rc;
    /* Accounts are few: page the list in memory. */
    json_t *items = json_array();
    size_t from = (size_t)((page - 1) * per);
    for (size_t i = from; i < json_array_size(all) && i < from + (size_t)per; i++)
        json_array_append(items, json_array_get(all, i));
    json_t *list =
        json_pack("{s:I,s:o}", "total", (json_int_t)json_array_size(all), "items", items);
    http_write_page(r, list, page, per);
    json_decref(list);
    json_decref(all);
    return AG_OK;
}

/* On a hashing worker: creating an account hashes its password. */
int api_user_create(http_req *r, ag_error *err)
{
    static const char *const keys[] = {"username",     "role",     "unit_code", "cell_id",
                                       "display_name", "password", "person_id", NULL};
    user_in u;
    memset(&u, 0, sizeof u);
    ag_err rc = http_body_only(r, keys, err);
    if (!rc)
        rc = http_body_str(r, "username", true, 64, &u.username, err);
    if (!rc)
        rc = http_body_str(r, "role", true, 16, &u.role, err);
    if (!rc)
        rc = http_body_str(r, "unit_code", false, 32, &u.unit_code, err);
    if (!rc)
        rc = http_body_str(r, "cell_id", false, 16, &u.cell_id, err);
    if (!rc)
        rc = http_body_str(r, "display_name", false, 100, &u.display_name, err);
    if (!rc)
        rc = http_body_str(r, "password", true, 128, &u.password, err);
    json_t *pid = json_object_get(http_body(r), "person_id");
    if (!rc && pid && !json_is_null(pid)) {
        if (!json_is_integer(pid) || json_integer_value(pid) <= 0)
            rc = ag_fail(err, AG_ERR_INPUT, "person_id", "person_id 应为正整数",
                         "person_id is a positive integer");
        else
            u.person_id = json_integer_value(pid);
    }
    int64_t id = 0;
    if (!rc)
        rc = user_add(http_store(r), &u, &id, err);
    /* The password is no longer needed: wipe it from the parsed body. */
    json_t *pw = json_object_get(http_body(r), "password");
    if (json_is_string(pw))
        sodium_memzero((void *)json_string_value(pw), json_string_length(pw));
    if (rc)
        return rc;
    http_set_status(r, 201);
    hj_writer *w = http_out(r);
    hj_obj_begin(w);
    hj_kint(w, "id", id);
    hj_kstr(w, "username", u.username);
    hj_kstr(w, "role", u.role);
    hj_kstr(w, "unit_code", u.unit_code);
    hj_kstr(w, "cell_id", u.cell_id);
    hj_kstr(w, "display_name", u.display_name);
    hj_obj_end(w);
    return AG_OK;
}

int api_audit_log(http_req *r, ag_error *err)
{
    int64_t page, per;
    ag_err rc = http_page(r, &page, &per, err);
    if (rc)
        return rc;
    const char *actor = http_query(r, "actor"), *table = http_query(r, "table");
    static const char where[] = " FROM audit_log WHERE (? IS NULL OR actor = ?)"
                                " AND (? IS NULL OR tbl = ?)";
    char sql[400];
    ag_store *st = http_store(r);
    int64_t total = 0;
    ag_stmt *s = NULL;
    bool row = false;
    snprintf(sql, sizeof sql, "SELECT COUNT(*)%s", where);
    rc = store_prepare(st, sql, &s, err);
    for (int i = 0; !rc && i < 2; i++) {
        const char *v = i ? table : actor;
        rc = store_bind_text(s, 2 * i + 1, v);
        if (!rc)
            rc = store_bind_text(s, 2 * i + 2, v);
    }
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row)
        total = store_col_int(s, 0);
    store_finalize(s);
    s = NULL;
    snprintf(sql, sizeof sql,
             "SELECT seq, ts, actor, action, tbl, row_key, hash%s ORDER BY seq DESC LIMIT ? "
             "OFFSET ?",
             where);
    if (!rc)
        rc = store_prepare(st, sql, &s, err);
    for (int i = 0; !rc && i < 2; i++) {
        const char *v = i ? table : actor;
        rc = store_bind_text(s, 2 * i + 1, v);
        if (!rc)
            rc = store_bind_text(s, 2 * i + 2, v);
    }
    if (!rc)
        rc = store_bind_int(s, 5, per);
    if (!rc)
        rc = store_bind_int(s, 6, (page - 1) * per);
    hj_writer *w = http_out(r);
    hj_obj_begin(w);
    hj_kint(w, "total", total);
    hj_kint(w, "page", page);
    hj_kint(w, "per_page", per);
    hj_key(w, "items");
    hj_arr_begin(w);
    static const char *const cols[] = {"ts", "actor", "action", "table", "key", "hash"};
    while (!rc && !(rc = store_step(s, &row, err)) && row) {
        hj_obj_begin(w);
        hj_kint(w, "seq", store_col_int(s, 0));
        for (int i = 0; i < 6; i++)
            hj_kstr(w, cols[i], store_col_text(s, i + 1));
        hj_obj_end(w);
    }
    hj_arr_end(w);
    hj_obj_end(w);
    store_finalize(s);
    return rc;
}

int api_audit_verify(http_req *r, ag_error *err)
{
    ag_audit_report rep;
    ag_error e2;
    ag_err rc = store_audit_verify(http_store(r), &rep, &e2);
    if (rc && rc != AG_ERR_TAMPER) {
        *err = e2;
        return rc;
    }
    /* A broken chain is the answer to the question, not a failure to ask it. */
    hj_writer *w = http_out(r);
    hj_obj_begin(w);
    hj_kbool(w, "ok", rc == AG_OK);
    hj_kint(w, "entries", rep.entries);
    if (rc) {
        hj_kint(w, "bad_seq", rep.bad_seq);
        hj_kstr(w, "reason", rep.reason_zh);
        hj_kstr(w, "reason_en", rep.reason);
    }
    hj_obj_end(w);
    return AG_OK;
}
