/* catalog.h - the versioned catalog of audit items: 13 fund-safety items and 7 key items. */
#ifndef AG_CATALOG_H
#define AG_CATALOG_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* Installs the shipped catalog (catalog/items.json, compiled in) as a new
 * version, unless the latest version already has the same content. *version
 * receives the version in force (may be NULL). */
ag_err catalog_install_default(ag_store *st, int64_t *version, ag_error *err);

/* Installs a catalog from JSON text (format "auditgrid-catalog/1", see
 * docs/formats.md) as a new version. `name` labels errors (a file name).
 * Item codes must be unique, kinds fund|key, names non-empty, params an
 * object. Nothing is written when anything is wrong; items identical to the
 * version in force install nothing and *version is that version. */
ag_err catalog_install_json(ag_store *st, const char *text, size_t len, const char *name,
                            int64_t *version, ag_error *err);

/* The latest version number; AG_ERR_NOTFOUND when none is installed. */
ag_err catalog_latest(ag_store *st, int64_t *version, ag_error *err);

/* {version, source, note, created_at, items: [{code, kind, name_zh, name_en,
 * description_zh, basis, params}]} for `version` (0 = latest). Caller owns
 * *out. */
ag_err catalog_get(ag_store *st, int64_t version, json_t **out, ag_error *err);

#endif
