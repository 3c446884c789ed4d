/* user.c - accounts, scope checks and Argon2id password hashing. */
#include "domain/user.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/password.h"
#include "util/clock.h"
#include "util/banned.h"

const char *const user_roles[] = {"admin",  "reviewer", "liaison",      "supervisor",
                                  "leader", "auditor",  "chief_auditor"};
const int user_role_count = 7;

_Static_assert(crypto_pwhash_STRBYTES <= 128, "password hash buffer too small");

ag_err user_hash_password(const char *password, char out[128], ag_error *err)
{
    unsigned long long ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
    size_t mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
    if (sodium_init() < 0 || crypto_pwhash_str_alg(out, password, strlen(password), ops, mem,
                                                   crypto_pwhash_ALG_ARGON2ID13) != 0)
        return ag_fail(err, AG_ERR_NOMEM, NULL, "口令哈希计算失败（内存不足）",
                       "password hashing failed (out of memory)");
    return AG_OK;
}

/* AG_OK for one of user_roles[], else the refusal naming the roles. */
static ag_err check_role(const char *r, ag_error *err)
{
    for (int i = 0; r && i < user_role_count; i++)
        if (strcmp(r, user_roles[i]) == 0)
            return AG_OK;
    return ag_fail(err, AG_ERR_USAGE, "role",
                   "角色“%s”无效，应为 admin、reviewer、liaison、supervisor、leader、auditor、"
                   "chief_auditor 之一",
                   "unknown role '%s'; use admin, reviewer, liaison, supervisor, leader, "
                   "auditor or chief_auditor",
                   r ? r : "");
}

static bool username_ok(const char *u)
{
    size_t n = u ? strlen(u) : 0;
    if (n < 2 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = u[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-'))
            return false;
    }
    return true;
}

/* Looks up a text column of one row by a text key; found=false when absent. */
static ag_err lookup(ag_store *st, const char *sql, const char *key, char *out, size_t n,
                     bool *found, ag_error *err)
{
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = store_prepare(st, sql, &s, err);
    if (!rc)
        rc = store_bind_text(s, 1, key);
    if (!rc)
        rc = store_step(s, &row, err);
    if (!rc && row)
        snprintf(out, n, "%s", store_col_text(s, 0) ? store_col_text(s, 0) : "");
    *found = row;
    store_finalize(s);
    return rc;
}

static ag_err check_scope(ag_store *st, const user_in *u, ag_error *err)
{
    const char *r = u->role;
    bool needs_unit = !strcmp(r, "leader") || !strcmp(r, "auditor") || !strcmp(r, "chief_auditor");
    bool needs_cell = !strcmp(r, "liaison") || !strcmp(r, "supervisor");
    if (needs_unit && !u->unit_code)
        return ag_fail(err, AG_ERR_USAGE, "unit_code", "角色 %s 须指定单位", "role %s needs a unit",
                       r);
    if (needs_cell && !u->cell_id)
        return ag_fail(err, AG_ERR_USAGE, "cell_id", "角色 %s 须指定网格",
                       "role %s needs a grid cell", r);
    if (!needs_unit && u->unit_code)
        return ag_fail(err, AG_ERR_USAGE, "unit_code", "角色 %s 不按单位限定范围，不能指定单位",
                       "role %s is not scoped to a unit; give no unit", r);
    if (!needs_cell && u->cell_id)
        return ag_fail(err, AG_ERR_USAGE, "cell_id", "角色 %s 不按网格限定范围，不能指定网格",
                       "role %s is not scoped to a cell; give no cell", r);
    char val[64];
    bool found;
    ag_err rc;
    if (u->unit_code) {
        rc = lookup(st, "SELECT type FROM unit WHERE code = ?", u->unit_code, val, sizeof val,
                    &found, err);
        if (rc)
            return rc;
        if (!found)
            return ag_fail(err, AG_ERR_NOTFOUND, "unit_code", "单位 %s 不存在（请先添加该单位）",
                           "no unit %s (add the unit first)", u->unit_code);
        if (!strcmp(r, "chief_auditor") && strcmp(val, "国企") != 0)
            return ag_fail(err, AG_ERR_INPUT, "unit_code", "国企总审计师的单位须为国企，%s 是%s",
                           "a chief auditor's unit must be an SOE; %s is a %s", u->unit_code, val);
    }
    if (u->cell_id) {
        rc = lookup(st, "SELECT kind FROM grid_cell WHERE id = ?", u->cell_id, val, sizeof val,
                    &found, err);
        if (rc)
            return rc;
        if (!found)
            return ag_fail(err, AG_ERR_NOTFOUND, "cell_id", "网格 %s 不存在", "no grid cell %s",
                           u->cell_id);
        if (!strcmp(r, "supervisor") && strcmp(val, "dept") != 0 && strcmp(val, "soe") != 0)
            return ag_fail(
                err, AG_ERR_INPUT, "cell_id", "主管部门用户的网格须为主管部门网格，%s 是街道网格",
                "a supervisor's cell must be a department cell; %s is a street", u->cell_id);
    }
    return AG_OK;
}

/* Login names are case-insensitive: stored and looked up in lower case. */
static void lower_ascii(const char *in, char *out, size_t n)
{
    size_t i = 0;
    for (; in && in[i] && i + 1 < n; i++)
        out[i] = in[i] >= 'A' && in[i] <= 'Z' ? (char)(in[i] + 32) : in[i];
    out[i] = '\0';
}

ag_err user_add(ag_store *st, const user_in *in, int64_t *id, ag_error *err)
{
    char uname[80];
    lower_ascii(in->username, uname, sizeof uname);
    user_in copy = *in;
    if (in->username && strlen(in->username) < sizeof uname)
        copy.username = uname;
    const user_in *u = &copy;
    if (!username_ok(u->username))
        return ag_fail(err, AG_ERR_INPUT, "username",
                       "用户名须为2-64个字母、数字、下划线、点或连字符：%s",
                       "a username is 2-64 letters, digits, '_', '.' or '-': %s",
                       u->username ? u->username : "");
    ag_err rc = check_role(u->role, err);
    if (!rc)
        rc = password_check(u->password, err);
    if (rc)
        return rc;
    rc = check_scope(st, u, err);
    if (rc)
        return rc;
    char val[8];
    bool found;
    rc = lookup(st, "SELECT username FROM app_user WHERE username = ?", u->username, val,
                sizeof val, &found, err);
    if (rc)
        return rc;
    if (found)
        return ag_fail(err, AG_ERR_EXISTS, "username", "用户名 %s 已存在", "user %s already exists",
                       u->username);
    char hash[128], ts[21];
    rc = user_hash_password(u->password, hash, err);
    if (rc)
        return rc;
    ag_clock_format(ag_clock_now(), ts);
    ag_field f[] = {ag_field_text("username", u->username),
                    ag_field_text("role", u->role),
                    ag_field_text("unit_code", u->unit_code),
                    ag_field_text("cell_id", u->cell_id),
                    u->person_id ? ag_field_int("person_id", u->person_id)
                                 : ag_field_null("person_id"),
                    ag_field_text("display_name", u->display_name),
                    ag_field_text("password_hash", hash),
                    ag_field_text("created_at", ts)};
    rc = store_insert(st, "app_user", "id", f, sizeof f / sizeof f[0], id, err);
    sodium_memzero(hash, sizeof hash);
    return rc;
}

ag_err user_check_password(ag_store *st, const char *name, const char *password, int64_t *id,
                           ag_error *err)
{
    char username[80];
    lower_ascii(name, username, sizeof username);
    ag_stmt *s = NULL;
    bool row = false;
    ag_err rc = store_prepare_args(
        st, &s, err, "SELECT id, password_hash, disabled FROM app_user WHERE username = ?", "t",
        username);
    if (!rc)
        rc = store_step(s, &row, err);
    bool ok = false;
    if (!rc && row) {
        const char *h = store_col_text(s, 1);
        ok = h && password && store_col_int(s, 2) == 0 &&
             crypto_pwhash_str_verify(h, password, strlen(password)) == 0;
        if (ok && id)
            *id = store_col_int(s, 0);
    } else if (!rc) {
        /* Spend comparable time on unknown users so timing does not tell. */
        char dummy[128];
        if (user_hash_password(password ? password : "", dummy, NULL) == AG_OK)
            sodium_memzero(dummy, sizeof dummy);
    }
    store_finalize(s);
    if (rc)
        return rc;
    return ok ? AG_OK
              : ag_fail(err, AG_ERR_DENIED, NULL, "用户名或口令错误", "wrong username or password");
}

ag_err user_list(ag_store *st, json_t **out, ag_error *err)
{
    *out = NULL;
    ag_stmt *s = NULL;
    ag_err rc = store_prepare(st,
                              "SELECT id, username, role, unit_code, cell_id, display_name,"
                              " disabled, created_at, person_id FROM app_user ORDER BY id",
                              &s, err);
    if (rc)
        return rc;
    json_t *arr = json_array();
    bool row;
    while (!(rc = store_step(s, &row, err)) && row) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(store_col_int(s, 0)));
        const char *keys[] = {"username", "role", "unit_code", "cell_id", "display_name"};
        for (int i = 0; i < 5; i++) {
            const char *t = store_col_text(s, i + 1);
            json_object_set_new(o, keys[i], t ? json_string(t) : json_null());
        }
        json_object_set_new(o, "disabled", json_boolean(store_col_int(s, 6)));
        json_object_set_new(o, "created_at", json_string(store_col_text(s, 7)));
        json_object_set_new(o, "person_id",
                            store_col_is_null(s, 8) ? json_null()
                                                    : json_integer(store_col_int(s, 8)));
        json_array_append_new(arr, o);
    }
    store_finalize(s);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return AG_OK;
}

/* ---- administration (issue 12 §5) --------------------------------------- */

ag_err user_update(ag_store *st, int64_t id, const user_in *u, ag_error *err)
{
    ag_err rc = check_role(u->role, err);
    if (!rc)
        rc = check_scope(st, u, err);
    if (rc)
        return rc;
    ag_field f[] = {ag_field_text("role", u->role), ag_field_text("unit_code", u->unit_code),
                    ag_field_text("cell_id", u->cell_id),
                    u->person_id ? ag_field_int("person_id", u->person_id)
                                 : ag_field_null("person_id"),
                    ag_field_text("display_name", u->display_name)};
    rc = store_update(st, "app_user", "id", ag_field_int("id", id), f, sizeof f / sizeof f[0], err);
    if (rc == AG_ERR_NOTFOUND)
        return ag_fail(err, rc, "id", "账号 %lld 或所关联的人员不存在",
                       "no account %lld, or no such person", (long long)id);
    return rc;
}

ag_err user_set_disabled(ag_store *st, int64_t id, bool disabled, int64_t acting_id, ag_error *err)
{
    if (disabled && id == acting_id)
        return ag_fail(err, AG_ERR_INPUT, "id", "不能停用自己正在使用的账号",
                       "you cannot disable the account you are signed in with");
    ag_field f = ag_field_int("disabled", disabled ? 1 : 0);
    ag_err rc = store_update(st, "app_user", "id", ag_field_int("id", id), &f, 1, err);
    if (rc == AG_ERR_NOTFOUND)
        return ag_fail(err, rc, "id", "账号 %lld 不存在", "no account %lld", (long long)id);
    return rc;
}
