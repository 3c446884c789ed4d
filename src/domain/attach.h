/* attach.h - attachments: files stored once by SHA-256 beside the database, scoped by unit. */
#ifndef AG_ATTACH_H
#define AG_ATTACH_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/scope.h"
#include "store/store.h"

/* Largest attachment accepted (bytes). */
#define ATTACH_MAX_BYTES (20u * 1024u * 1024u)

/* The folder that holds the files of the database at db_path:
 * "<db_path>.files" (e.g. demo/auditgrid.db.files). Written into out;
 * AG_ERR_INPUT when it does not fit. */
ag_err attach_dir_for(const char *db_path, char *out, size_t cap, ag_error *err);

/* Stores `len` bytes as an attachment of unit_code, not yet owned by any
 * record (owner_kind NULL). The type is decided from the content, not the
 * name: PDF, PNG, JPEG, OFD/DOCX/XLSX (zip containers, told apart by their
 * members), DOC/XLS (OLE2) and UTF-8 or GB18030 plain text; anything else is
 * AG_ERR_INPUT, as are empty files, files over ATTACH_MAX_BYTES and names
 * with path separators or control characters (the name is kept for
 * download, at most 200 bytes). The file is written to
 * dir/<sha[0..1]>/<sha> through a temporary file, fsync and rename, once per
 * content; the row is an audited insert. *id and *out (may be NULL) receive
 * the new row ({id, sha256, bytes, mime, filename, unit_code, created_by,
 * created_at}); caller owns *out. */
ag_err attach_put(ag_store *st, const char *dir, const char *unit_code, const char *filename,
                  const void *data, size_t len, int64_t *id, json_t **out, ag_error *err);

/* The same for a file on disk (read whole, same limits). */
ag_err attach_put_file(ag_store *st, const char *dir, const char *unit_code, const char *path,
                       const char *filename, int64_t *id, json_t **out, ag_error *err);

/* Metadata of one attachment as in attach_put plus owner_kind and owner_id.
 * AG_ERR_NOTFOUND when absent or its unit is out of scope (NULL: all).
 * Caller owns *out. */
ag_err attach_get(ag_store *st, int64_t id, const ag_scope *scope, json_t **out, ag_error *err);

/* Opens the stored file of attachment id for reading after the same scope
 * check, verifying its size (and SHA-256 when verify is true) against the
 * row: AG_ERR_TAMPER when the file was altered, AG_ERR_NOTFOUND when it is
 * gone. *fd receives an open descriptor (caller closes), *meta (may be NULL)
 * the metadata. */
ag_err attach_open(ag_store *st, const char *dir, int64_t id, const ag_scope *scope, bool verify,
                   int *fd, json_t **meta, ag_error *err);

/* Makes unowned attachments of unit_code owned by (owner_kind, owner_id).
 * AG_ERR_NOTFOUND for an id that is missing, of another unit or already
 * owned (the same message for each). Used by audit.c and rectify.c inside
 * their transactions. */
ag_err attach_claim(ag_store *st, const char *unit_code, const int64_t *ids, int n,
                    const char *owner_kind, int64_t owner_id, ag_error *err);

/* [{id, sha256, bytes, mime, filename, created_by, created_at}] of one owner.
 * Caller owns *out. */
ag_err attach_list_owned(ag_store *st, const char *owner_kind, int64_t owner_id, json_t **out,
                         ag_error *err);

/* What attach_gc removed. */
typedef struct attach_gc_report {
    int64_t files; /* stored files no attachment row refers to */
    int64_t temps; /* temporary files left by interrupted uploads */
    int64_t bytes; /* their size */
    int64_t kept;  /* stored files still referenced */
} attach_gc_report;

/* Removes from dir the stored files that no attachment row refers to (a
 * failed insert after the file was written leaves one) and the temporary
 * files of interrupted uploads — only those last modified at least
 * min_age_s seconds ago, so an upload in progress is never touched. Rows
 * are never deleted. Safe to run while the server runs. */
ag_err attach_gc(ag_store *st, const char *dir, int64_t min_age_s, attach_gc_report *rep,
                 ag_error *err);

/* The prefix of the folders the server spools uploads into (in its --tmp-dir,
 * else $TMPDIR, else /tmp): "auditgrid-upload.XXXXXX". */
#define ATTACH_SPOOL_PREFIX "auditgrid-upload."

/* Removes the spooled-upload folders (ATTACH_SPOOL_PREFIX…) of tmp_dir (NULL:
 * $TMPDIR, else /tmp) that a crash or a kill mid-upload left behind: folders
 * of this user in which nothing was modified for at least min_age_s seconds
 * (an upload in progress writes its file all the time), with the regular
 * files in them. Anything else (a symlink, a subfolder, another user's
 * folder) is left alone. *folders and *bytes (may be NULL) receive what was
 * removed. Safe to run while a server runs. */
ag_err attach_spool_clean(const char *tmp_dir, int64_t min_age_s, int64_t *folders, int64_t *bytes,
                          ag_error *err);

#endif
