/* mail-store-private.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "mail-store.h"

G_BEGIN_DECLS

/* "MAIL": what PRAGMA application_id says of a store. */
#define MAIL_STORE_APPLICATION_ID 0x4d41494c

#define MAIL_STORE_DB_NAME        "store.db"
#define MAIL_STORE_BODIES_DIR     "bodies"
#define MAIL_STORE_TEMP_PREFIX    ".tmp-"

/* How long a connection waits for another one (usually another program) before
 * MAIL_STORE_ERROR_BUSY, and after how long it says that it is waiting. */
#define MAIL_STORE_BUSY_TIMEOUT_MS 5000
#define MAIL_STORE_BUSY_NOTICE_MS  200

/* ------------------------------------------------------------------ connections */

/* One SQLite connection and its cached statements. Used by one thread at a time: the
 * writer's by the thread holding the write lock, a pooled reader by the thread that
 * took it from the pool, a view's by the thread of its main context. */
typedef struct
{
  sqlite3     *handle;
  char        *path;
  GHashTable  *statements;
  const gint  *busy_timeout_ms;
  guint        read_depth;
  gint64       busy_since;
  gboolean     busy_reported;
} MailStoreDb;

/* A cached statement: "freed" by resetting it, for the connection keeps it. */
typedef sqlite3_stmt MailStoreStmt;

MailStoreDb   *_mail_store_db_open         (const char   *path,
                                            const gint   *busy_timeout_ms,
                                            gboolean      reader,
                                            GError      **error);
void           _mail_store_db_close        (MailStoreDb  *db);
MailStoreStmt *_mail_store_db_prepare      (MailStoreDb  *db,
                                            const char   *sql,
                                            GError      **error);
void           _mail_store_stmt_reset      (MailStoreStmt *stmt);
gboolean       _mail_store_db_exec         (MailStoreDb  *db,
                                            const char   *sql,
                                            GError      **error);
int            _mail_store_db_step         (MailStoreDb  *db,
                                            MailStoreStmt *stmt,
                                            GError      **error);
gboolean       _mail_store_db_run          (MailStoreDb  *db,
                                            MailStoreStmt *stmt,
                                            GError      **error);
/* Binds the parameters of row @row of @data to @stmt (see _mail_store_db_run_rows()). */
typedef void (*MailStoreBindFunc) (MailStoreStmt *stmt,
                                   guint          row,
                                   gconstpointer  data);

gboolean       _mail_store_db_run_rows     (MailStoreDb  *db,
                                            const char   *sql,
                                            guint         n_rows,
                                            MailStoreBindFunc bind,
                                            gconstpointer data,
                                            GError      **error);
void           _mail_store_bind_ids        (MailStoreStmt *stmt,
                                            guint         row,
                                            gconstpointer data);
gboolean       _mail_store_db_get_int      (MailStoreDb  *db,
                                            const char   *sql,
                                            gint64       *value,
                                            GError      **error);
void           _mail_store_db_set_error    (MailStoreDb  *db,
                                            int           rc,
                                            GError      **error);
gboolean       _mail_store_db_begin_read   (MailStoreDb  *db,
                                            GError      **error);
void           _mail_store_db_end_read     (MailStoreDb  *db);
gboolean       _mail_store_db_get_seq      (MailStoreDb  *db,
                                            gint64       *seq,
                                            GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailStoreStmt, _mail_store_stmt_reset)

/* Binds text that lives until the statement is reset. */
#define BIND_TEXT(stmt, i, s) sqlite3_bind_text ((stmt), (i), (s), -1, SQLITE_STATIC)

/* ------------------------------------------------------------------ the store */

typedef struct _MailStoreView MailStoreView;

struct _MailStore
{
  GObject       parent_instance;

  char         *dir;
  char         *db_path;
  char         *bodies_dir;
  gint          busy_timeout_ms;

  /* The one writer connection. write_lock is held from mail_store_begin() to the commit
   * or rollback, so a second thread that writes by mistake waits instead of mixing its
   * statements into the first one's transaction. */
  GRecMutex     write_lock;
  MailStoreDb  *writer;
  GThread      *writer_thread;
  guint         txn_depth;
  MailStoreDurability durability;
  gint64        next_thread_id;
  sqlite3_int64 changes_at_begin;

  /* Search index writes of the open transaction, made at its commit
   * (mail-store-fts.c). */
  GHashTable   *fts_pending;
  gsize         fts_pending_bytes;

  /* Idle reader connections, for whichever thread needs one. */
  GMutex        pool_lock;
  GPtrArray    *pool;

  /* The views (one per main context with models), and the watch on the write-ahead
   * log through which changes made by other programs are noticed. */
  GMutex        views_lock;
  GPtrArray    *views;
  gpointer      monitor;
};

/* What the search index holds of a message's row (MAIL_STORE_FTS_*("new") in a trigger,
 * ("") in a query on messages). */
#define MAIL_STORE_FTS_SENDER(row) \
  "coalesce(" row "sender_name, '') || ' ' || coalesce(" row "sender_address, '')"
#define MAIL_STORE_FTS_RECIPIENTS(row) \
  "coalesce(" row "recipients, '') || ' ' || coalesce(" row "cc, '')"
#define MAIL_STORE_FTS_SUBJECT(row) "coalesce(" row "subject, '')"

gboolean     _mail_store_fts_queue         (MailStore    *self,
                                            gint64        id,
                                            gboolean      insert,
                                            char         *body,
                                            GError      **error);
gboolean     _mail_store_fts_dup_body      (MailStore    *self,
                                            gint64        id,
                                            char        **body,
                                            GError      **error);
gboolean     _mail_store_fts_flush         (MailStore    *self,
                                            GError      **error);
void         _mail_store_fts_discard       (MailStore    *self);

gboolean     _mail_store_schema_migrate    (MailStoreDb  *db,
                                            const char   *path,
                                            GError      **error);

gboolean     _mail_store_write_enter       (MailStore    *self,
                                            gboolean     *implicit,
                                            GError      **error);
gboolean     _mail_store_write_leave       (MailStore    *self,
                                            gboolean      implicit,
                                            gboolean      ok,
                                            GError      **error);
gboolean     _mail_store_write_rows        (MailStore    *self,
                                            const char   *sql,
                                            guint         n_rows,
                                            MailStoreBindFunc bind,
                                            gconstpointer data,
                                            GError      **error);
MailStoreDb *_mail_store_acquire_reader    (MailStore    *self,
                                            GError      **error);
void         _mail_store_release_reader    (MailStore    *self,
                                            MailStoreDb  *db);
gint64       _mail_store_new_thread_id     (MailStore    *self,
                                            GError      **error);
char        *_mail_store_body_path         (MailStore    *self,
                                            const char   *file_name);
void         _mail_store_remove_orphans    (MailStore    *self);
void         _mail_store_remove_stale_temp (MailStore    *self);
gboolean     _mail_store_search_keys       (MailStoreDb  *db,
                                            const char   *match,
                                            gint64        folder_id,
                                            GArray      **keys,
                                            GError      **error);

/* ------------------------------------------------------------------ items */

/* The columns MailMessageSummary reads, in this order. */
#define MAIL_STORE_MESSAGE_COLUMNS \
  "id, folder_id, uid, flags, date, sender_name, sender_address, recipients, subject, " \
  "preview, has_attachments, thread_id, size, body_state, message_id"
#define MAIL_STORE_MESSAGE_COLUMNS_M \
  "m.id, m.folder_id, m.uid, m.flags, m.date, m.sender_name, m.sender_address, " \
  "m.recipients, m.subject, m.preview, m.has_attachments, m.thread_id, m.size, " \
  "m.body_state, m.message_id"

MailMessageSummary *_mail_message_summary_new_from_stmt    (MailStoreStmt      *stmt);
void                _mail_message_summary_update_from_stmt (MailMessageSummary *self,
                                                            MailStoreStmt      *stmt);
MailMessageSummary *_mail_message_summary_new_removed      (gint64              id,
                                                            gint64              date);

#define MAIL_STORE_FOLDER_COLUMNS \
  "id, name, delimiter, role, subscribed, attributes, total, unread"

MailFolderSummary  *_mail_folder_summary_new_from_stmt     (MailStoreStmt      *stmt);
void                _mail_folder_summary_update_from_stmt  (MailFolderSummary  *self,
                                                            MailStoreStmt      *stmt);

/* ------------------------------------------------------------------ views */

/* The position of a message in a list: newest first, then by id. */
typedef struct
{
  gint64 date;
  gint64 id;
} MailStoreKey;

static inline int
mail_store_key_compare (const MailStoreKey *a,
                        const MailStoreKey *b)
{
  if (a->date != b->date)
    return a->date > b->date ? -1 : 1;
  if (a->id != b->id)
    return a->id > b->id ? -1 : 1;
  return 0;
}

typedef void (*MailStoreViewFunc) (gpointer model);

MailStoreView *_mail_store_view_get             (MailStore         *store,
                                                 GError           **error);
MailStoreView *_mail_store_view_ref             (MailStoreView     *view);
void           _mail_store_view_unref           (MailStoreView     *view);
MailStoreDb   *_mail_store_view_get_db          (MailStoreView     *view);
void           _mail_store_view_add_listener    (MailStoreView     *view,
                                                 gpointer           model,
                                                 MailStoreViewFunc  changed);
void           _mail_store_view_remove_listener (MailStoreView     *view,
                                                 gpointer           model);
void           _mail_store_view_schedule        (MailStoreView     *view);
void           _mail_store_notify_views         (MailStore         *store);
void           _mail_store_views_shutdown       (MailStore         *store);

G_END_DECLS
