/* names.h - display names for what the store keeps as codes: the actor strings of the trail
 * ("user:admin", "person:杜宇", "cli:alice", "system:escalate") and unit codes. The read paths
 * of the API pass their answers through names_annotate() so that pages show people and units,
 * never the codes they are stored under. */
#ifndef AG_NAMES_H
#define AG_NAMES_H

#include <jansson.h>
#include <stddef.h>

#include "store/store.h"
#include "util/error.h"

/* What kind of actor a stored actor string names. */
typedef enum {
    NAMES_USER,      /* "user:USERNAME": a signed-in account (web, API) */
    NAMES_PERSON,    /* "person:NAME": a person without an account of its own (demo data) */
    NAMES_CLI,       /* "cli:LOGIN": the command line, LOGIN being the operating-system user */
    NAMES_SYSTEM,    /* "system" or "system:TASK": the server itself (e.g. overdue escalation) */
    NAMES_ANONYMOUS, /* "http:anonymous": a request before sign-in */
    NAMES_OTHER      /* anything else, shown as it is */
} names_kind;

/* Writes the display name of `actor` into out (n > 0 bytes, always terminated, cut on a UTF-8
 * character boundary): for an account the name of its person, else its display name, else the
 * user name; for a person its name; "命令行" for the command line, "系统" for the server,
 * "未登录用户" before sign-in; other strings as they are; "" for NULL. Returns the kind. A store
 * error while looking an account up is reported in err and the user name is written. */
names_kind names_actor(ag_store *st, const char *actor, char *out, size_t n, ag_error *err);

/* The kind as the word the API uses: "user", "person", "cli", "system", "anonymous", "other". */
const char *names_kind_word(names_kind k);

/* Walks v (objects and arrays at any depth) and, next to every string member that holds an
 * actor (created_by, verified_by, imported_by, triaged_by, reviewed_by, updated_by,
 * escalated_by, closed_by, decided_by, actor), adds "<key>_name" (its display name) and
 * "<key>_kind" (names_kind_word); next to every string "parent_code" it adds "parent_name" (the
 * unit's name, null when there is no such unit); next to every string "item" (a catalog item
 * code) without an "item_name" it adds "item_name": its Chinese name in the object's integer
 * "catalog_version", else in the latest version (null when there is no such item). Members
 * already present are kept. Each actor, unit and item is looked up once per call. v stays owned
 * by the caller. */
ag_err names_annotate(ag_store *st, json_t *v, ag_error *err);

#endif
