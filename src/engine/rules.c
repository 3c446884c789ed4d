/* rules.c - loading and checking the rule catalog (catalog/rules.json). */
#include "engine/rules.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/banned.h"

extern const unsigned char ag_res_rules_json[];
extern const size_t ag_res_rules_json_len;

#define RULES_MAX      200
#define RULES_FILE_MAX (1u << 20)

static const char *const PRIM_NAMES[PRIM_COUNT] = {
    "unbalanced_voucher", "voucher_gap",     "voucher_reuse",  "same_maker_reviewer",
    "nonworking_day",     "dup_payment",     "near_threshold", "split_payment",
    "large_no_decision",  "cash_over_limit", "round_amount",   "yearend_spike",
    "receivable_aging",   "benford_first2",  "payee_is_staff"};

const char *eng_prim_name(eng_prim p)
{
    return p < PRIM_COUNT ? PRIM_NAMES[p] : "?";
}

void eng_catalog_free(eng_catalog *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        free(c->rules[i].filter);
        free(c->rules[i].message);
        json_decref(c->rules[i].params);
    }
    free(c->rules);
    free(c->source);
    free(c);
}

static bool item_ok(const char *s)
{
    if (!s)
        return false;
    if (s[0] == 'F' && strlen(s) == 3)
        return s[1] >= '0' && s[1] <= '1' && s[2] >= '0' && s[2] <= '9' && strcmp(s, "F00") &&
               strcmp(s, "F14") < 0;
    return s[0] == 'K' && strlen(s) == 2 && s[1] >= '1' && s[1] <= '7';
}

ag_err eng_catalog_parse(const char *text, size_t len, const char *name, eng_catalog **out,
                         ag_error *err)
{
    *out = NULL;
    json_error_t je;
    json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    char where[300];
    if (!doc) {
        snprintf(where, sizeof where, "%s:%d:%d", name, je.line, je.column);
        return ag_fail(err, AG_ERR_INPUT, where, "规则文件 JSON 格式错误：%s", "malformed JSON: %s",
                       je.text);
    }
    json_t *fmt = json_object_get(doc, "format"), *rules = json_object_get(doc, "rules");
    if (!json_is_string(fmt) || strcmp(json_string_value(fmt), "auditgrid-rules/1") != 0 ||
        !json_is_array(rules) || json_array_size(rules) == 0 ||
        json_array_size(rules) > RULES_MAX) {
        json_decref(doc);
        return ag_fail(err, AG_ERR_INPUT, name,
                       "不是规则文件（format 应为 auditgrid-rules/1，rules 为 1-%d 条规则的数组）",
                       "not a rules file (format auditgrid-rules/1 and 1-%d rules expected)",
                       RULES_MAX);
    }
    eng_catalog *c = calloc(1, sizeof *c);
    if (c)
        c->rules = calloc(json_array_size(rules), sizeof *c->rules);
    if (!c || !c->rules) {
        free(c);
        json_decref(doc);
        return ag_fail(err, AG_ERR_NOMEM, name, "内存不足", "out of memory");
    }
    c->source = strdup(name);
    json_t *ver = json_object_get(doc, "version");
    snprintf(c->version, sizeof c->version, "%s",
             json_is_string(ver) ? json_string_value(ver) : "?");
    ag_err rc = AG_OK;
    for (size_t i = 0; !rc && i < json_array_size(rules); i++) {
        json_t *r = json_array_get(rules, i);
        snprintf(where, sizeof where, "%s:rules[%zu]", name, i);
        const char *id = json_string_value(json_object_get(r, "id"));
        const char *item = json_string_value(json_object_get(r, "item"));
        const char *prim = json_string_value(json_object_get(r, "primitive"));
        const char *sev = json_string_value(json_object_get(r, "severity"));
        const char *msg = json_string_value(json_object_get(r, "message"));
        json_t *filter = json_object_get(r, "filter"), *params = json_object_get(r, "params");
        if (!id || !*id || strlen(id) >= sizeof c->rules[i].id) {
            rc = ag_fail(err, AG_ERR_INPUT, where, "规则缺少 id 或 id 过长",
                         "a rule needs an id (at most 47 bytes)");
            break;
        }
        snprintf(where, sizeof where, "%s:%s", name, id);
        int p = -1;
        for (int k = 0; prim && k < PRIM_COUNT; k++)
            if (!strcmp(prim, PRIM_NAMES[k]))
                p = k;
        if (p < 0)
            rc = ag_fail(err, AG_ERR_INPUT, where, "未知的检查原语“%s”", "unknown primitive '%s'",
                         prim ? prim : "");
        else if (!item_ok(item))
            rc = ag_fail(err, AG_ERR_INPUT, where, "事项编号“%s”无效（应为 F01-F13 或 K1-K7）",
                         "item '%s' is not F01-F13 or K1-K7", item ? item : "");
        else if (!sev || (strcmp(sev, "high") && strcmp(sev, "medium") && strcmp(sev, "low")))
            rc = ag_fail(err, AG_ERR_INPUT, where, "严重程度“%s”无效（high、medium 或 low）",
                         "severity '%s' is not high, medium or low", sev ? sev : "");
        else if (!msg || !*msg)
            rc = ag_fail(err, AG_ERR_INPUT, where, "规则缺少 message 模板",
                         "the rule needs a message template");
        else if (filter && !json_is_null(filter) && !json_is_string(filter))
            rc = ag_fail(err, AG_ERR_INPUT, where, "filter 应为字符串", "filter must be a string");
        else if (params && !json_is_object(params))
            rc = ag_fail(err, AG_ERR_INPUT, where, "params 应为对象", "params must be an object");
        for (size_t k = 0; !rc && k < i; k++)
            if (!strcmp(c->rules[k].id, id))
                rc = ag_fail(err, AG_ERR_INPUT, where, "规则 id 重复", "duplicate rule id");
        const char *key;
        json_t *v;
        if (!rc && params)
            json_object_foreach(params, key, v)
            {
                /* Bounded so that yuan-to-fen conversions cannot overflow. */
                bool ok = json_is_number(v) && fabs(json_number_value(v)) <= 1e12;
                if (json_is_array(v)) {
                    ok = json_array_size(v) > 0 && json_array_size(v) <= 32;
                    for (size_t k = 0; ok && k < json_array_size(v); k++)
                        ok = json_is_number(json_array_get(v, k)) &&
                             fabs(json_number_value(json_array_get(v, k))) <= 1e12;
                }
                if (!ok && !rc)
                    rc = ag_fail(err, AG_ERR_INPUT, where,
                                 "参数 %s 应为数字或数字数组（绝对值不超过 1e12，数组至多32项）",
                                 "parameter %s must be a number or an array of up to 32 numbers "
                                 "(at most 1e12 in size)",
                                 key);
            }
        if (rc)
            break;
        eng_rule *e = &c->rules[c->n++];
        snprintf(e->id, sizeof e->id, "%s", id);
        snprintf(e->item, sizeof e->item, "%s", item);
        snprintf(e->severity, sizeof e->severity, "%s", sev);
        e->prim = (eng_prim)p;
        e->message = strdup(msg);
        e->filter = json_is_string(filter) && *json_string_value(filter)
                        ? strdup(json_string_value(filter))
                        : NULL;
        e->params = params ? json_incref(params) : json_object();
    }
    json_decref(doc);
    if (rc) {
        eng_catalog_free(c);
        return rc;
    }
    *out = c;
    return AG_OK;
}

ag_err eng_catalog_load_default(eng_catalog **out, ag_error *err)
{
    return eng_catalog_parse((const char *)ag_res_rules_json, ag_res_rules_json_len,
                             "catalog/rules.json", out, err);
}

ag_err eng_catalog_load_file(const char *path, eng_catalog **out, ag_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return ag_fail(err, AG_ERR_IO, path, "无法读取规则文件", "cannot read the rules file");
    char *buf = malloc(RULES_FILE_MAX + 1);
    size_t n = buf ? fread(buf, 1, RULES_FILE_MAX + 1, f) : 0;
    fclose(f);
    if (!buf)
        return ag_fail(err, AG_ERR_NOMEM, path, "内存不足", "out of memory");
    ag_err rc = n > RULES_FILE_MAX ? ag_fail(err, AG_ERR_INPUT, path, "规则文件超过 1 MiB",
                                             "the rules file is over 1 MiB")
                                   : eng_catalog_parse(buf, n, path, out, err);
    free(buf);
    return rc;
}

double eng_rule_num(const eng_rule *r, const char *key, double def)
{
    json_t *v = json_object_get(r->params, key);
    return json_is_number(v) ? json_number_value(v) : def;
}

int64_t eng_rule_fen(const eng_rule *r, const char *key, int64_t def_yuan)
{
    json_t *v = json_object_get(r->params, key);
    if (json_is_integer(v))
        return (int64_t)json_integer_value(v) * 100;
    if (json_is_real(v))
        return (int64_t)llround(json_real_value(v) * 100.0);
    return def_yuan * 100;
}
