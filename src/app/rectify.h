/* rectify.h (app) - the rectification ledger's settings as one step for the CLI and the server. */
#ifndef AG_APP_RECTIFY_H
#define AG_APP_RECTIFY_H

#include "store/store.h"
#include "util/error.h"

/* The default deadline days of the three classes, in rectify_classes order
 * (immediate, phased, continuous); 0 leaves a class as it is. All or nothing:
 * one value out of range (1-1095) changes none, naming the class. */
ag_err app_rectify_set_deadlines(ag_store *st, const int days[3], ag_error *err);

#endif
