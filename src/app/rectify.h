/* rectify.h (app) - the rectification ledger's settings and its closure certificate, one step
 * each for the CLI and the server. */
#ifndef AG_APP_RECTIFY_H
#define AG_APP_RECTIFY_H

#include <stdint.h>

#include "domain/scope.h"
#include "store/store.h"
#include "util/error.h"

/* The default deadline days of the three classes, in rectify_classes order
 * (immediate, phased, continuous); 0 leaves a class as it is. All or nothing:
 * one value out of range (1-1095) changes none, naming the class. */
ag_err app_rectify_set_deadlines(ag_store *st, const int days[3], ag_error *err);

/* Writes the closure certificate (对账销号单) of item id, as `scope` (NULL:
 * all) sees it, to the XLSX file at path: the item with names beside codes
 * (names_annotate: the item's name, the verifier as a person), so the
 * command line and the server write the same form. AG_ERR_NOTFOUND as for
 * rectify_get; the refusals of export_certificate_xlsx. */
ag_err app_rectify_certificate(ag_store *st, const ag_scope *scope, int64_t id, const char *path,
                               ag_error *err);

#endif
