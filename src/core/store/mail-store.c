/* mail-store.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The local copy of one account: a SQLite database (store.db) and the raw messages as
 * files (bodies/), in the account's data directory.
 *
 * Connections and threads (HACKING.md, "one owner per connection"):
 *
 * - One writer connection, for the account's sync engine on its own thread. Writing
 *   functions run in the transaction opened by mail_store_begin() on that thread, or each
 *   in one of its own. The write lock is held from begin to commit, so writes from a second
 *   thread (a mistake) wait rather than mix into the first one's transaction. Reading
 *   functions called by the thread with an open transaction read through the writer, and
 *   so see its uncommitted changes.
 * - Reader connections for other threads, from a small pool: mail-tool, searches on a
 *   worker thread, the sync engine outside its transactions.
 * - One connection per main context for the list models (mail-store-view.c): the views
 *   page rows in on the UI thread with small indexed reads, and learn of changes after
 *   each commit (and, through a file monitor, of commits by other programs).
 *
 * SQLite runs in WAL mode, so readers never wait for the writer nor the writer for them.
 * Writers of two programs (Mail and mail-tool) take turns: each transaction is BEGIN
 * IMMEDIATE, so it never fails halfway for a lost race, and a writer that finds the
 * other one busy waits up to the busy timeout (5 s), says so after 200 ms (g_message), and
 * then fails with MAIL_STORE_ERROR_BUSY.
 *
 * Durability: synchronous=NORMAL, so a commit survives a crash of the program but may be
 * lost by a power failure right after it (the database is never corrupted). A transaction
 * that a server-side effect depends on is begun with MAIL_STORE_DURABILITY_DURABLE, which
 * commits it with synchronous=FULL: on disk when mail_store_commit() returns.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "mail-task.h"

#include "mail-store-private.h"

/* The change log keeps at least this many entries, and is pruned when it holds twice as
 * many; a model further behind than that starts over (one items-changed for all). */
#define CHANGES_KEEP 20000

/* Temporary body files older than this are left over from a crash. */
#define STALE_TEMP_SECONDS (60 * 60)

#define POOL_SIZE 4

G_DEFINE_FINAL_TYPE (MailStore, mail_store, G_TYPE_OBJECT)

static void
mail_store_finalize (GObject *object)
{
  MailStore *self = MAIL_STORE (object);

  _mail_store_views_shutdown (self);

  if (self->pool != NULL)
    g_ptr_array_unref (self->pool);
  _mail_store_db_close (self->writer);

  g_rec_mutex_clear (&self->write_lock);
  g_mutex_clear (&self->pool_lock);
  g_mutex_clear (&self->views_lock);
  g_clear_pointer (&self->views, g_ptr_array_unref);
  g_clear_pointer (&self->fts_pending, g_hash_table_unref);
  g_free (self->dir);
  g_free (self->db_path);
  g_free (self->bodies_dir);

  G_OBJECT_CLASS (mail_store_parent_class)->finalize (object);
}

static void
mail_store_class_init (MailStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mail_store_finalize;
}

static void
mail_store_init (MailStore *self)
{
  g_rec_mutex_init (&self->write_lock);
  g_mutex_init (&self->pool_lock);
  g_mutex_init (&self->views_lock);
  self->pool = g_ptr_array_new_with_free_func ((GDestroyNotify) _mail_store_db_close);
  self->views = g_ptr_array_new ();
  self->busy_timeout_ms = MAIL_STORE_BUSY_TIMEOUT_MS;
}

/**
 * mail_store_open:
 * @dir: the account's data directory, which must exist
 *   (`g_get_user_data_dir()/org.example.Mail/accounts/<id>/`)
 * @error: the error
 *
 * Opens the store in @dir, creating `store.db` and `bodies/` if they are missing and
 * migrating an older schema. A store written by a newer version of Mail is refused
 * (%MAIL_STORE_ERROR_TOO_NEW) and left untouched. Blocks on file I/O (and on another
 * program migrating the same store): call it off the UI thread.
 *
 * Any number of stores may be open on the same directory, in this process and others.
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
MailStore *
mail_store_open (const char  *dir,
                 GError     **error)
{
  g_autoptr (MailStore) self = NULL;

  g_return_val_if_fail (dir != NULL, NULL);

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_NOT_FOUND,
                   "The mail store's directory %s does not exist", dir);
      return NULL;
    }

  self = g_object_new (MAIL_TYPE_STORE, NULL);
  self->dir = g_strdup (dir);
  self->db_path = g_build_filename (dir, MAIL_STORE_DB_NAME, NULL);
  self->bodies_dir = g_build_filename (dir, MAIL_STORE_BODIES_DIR, NULL);

  if (g_mkdir_with_parents (self->bodies_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_IO,
                   "Could not create %s: %s", self->bodies_dir, g_strerror (saved_errno));
      return NULL;
    }

  /* Mail is private: the database (and so its -wal and -shm, which SQLite gives the same
   * mode) is readable by its owner only. */
  if (!g_file_test (self->db_path, G_FILE_TEST_EXISTS))
    {
      int fd = g_open (self->db_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

      if (fd >= 0)
        close (fd);
    }

  self->writer = _mail_store_db_open (self->db_path, &self->busy_timeout_ms, FALSE, error);
  if (self->writer == NULL)
    return NULL;

  if (!_mail_store_schema_migrate (self->writer, self->db_path, error) ||
      !_mail_store_db_exec (self->writer, "PRAGMA synchronous = NORMAL", error))
    return NULL;

  _mail_store_remove_stale_temp (self);

  return g_steal_pointer (&self);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  MailStore *store = mail_store_open (task_data, &error);

  if (store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, store, g_object_unref);
}

/**
 * mail_store_open_async:
 * @dir: the account's data directory, which must exist
 * @cancellable: (nullable): a cancellable (the open itself is not interrupted)
 * @callback: called on the calling thread's thread-default main context
 * @user_data: for @callback
 *
 * mail_store_open() on a worker thread, for the UI thread.
 */
void
mail_store_open_async (const char          *dir,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (dir != NULL);

  task = mail_task_new (NULL, mail_store_open_async, "mail-store-open", G_PRIORITY_DEFAULT,
                        cancellable, callback, user_data);
  g_task_set_task_data (task, g_strdup (dir), g_free);
  g_task_run_in_thread (task, open_thread);
}

/**
 * mail_store_open_finish:
 * @result: the result
 * @error: the error
 *
 * Returns: (transfer full): the store, or %NULL
 */
MailStore *
mail_store_open_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mail_store_open_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * mail_store_get_dir:
 * @self: a store
 *
 * Returns: the directory of the store
 */
const char *
mail_store_get_dir (MailStore *self)
{
  g_return_val_if_fail (MAIL_IS_STORE (self), NULL);

  return self->dir;
}

/**
 * mail_store_set_busy_timeout:
 * @self: a store
 * @milliseconds: how long to wait for another program before %MAIL_STORE_ERROR_BUSY
 *
 * Changes the busy timeout (5 s by default) of all the store's connections.
 */
void
mail_store_set_busy_timeout (MailStore *self,
                             guint      milliseconds)
{
  g_return_if_fail (MAIL_IS_STORE (self));

  g_atomic_int_set (&self->busy_timeout_ms, (gint) MIN (milliseconds, G_MAXINT));
}

/**
 * mail_store_check_integrity:
 * @self: a store
 * @error: the error, describing the damage
 *
 * Runs SQLite's integrity check over the whole database (slow: for tests and repair).
 *
 * Returns: %TRUE when the database is intact
 */
gboolean
mail_store_check_integrity (MailStore  *self,
                            GError    **error)
{
  MailStoreDb *db;
  g_autoptr (GString) problems = g_string_new (NULL);
  gboolean ok = TRUE;
  int rc;

  g_return_val_if_fail (MAIL_IS_STORE (self), FALSE);

  db = _mail_store_acquire_reader (self, error);
  if (db == NULL)
    return FALSE;

  {
    g_autoptr (MailStoreStmt) stmt = _mail_store_db_prepare (db, "PRAGMA integrity_check", error);

    if (stmt == NULL)
      ok = FALSE;
    while (ok && (rc = _mail_store_db_step (db, stmt, error)) == SQLITE_ROW)
      {
        const char *line = (const char *) sqlite3_column_text (stmt, 0);

        if (g_strcmp0 (line, "ok") != 0)
          g_string_append_printf (problems, "%s%s", problems->len > 0 ? "; " : "", line);
      }
    if (ok && rc == -1)
      ok = FALSE;
  }
  _mail_store_release_reader (self, db);

  if (ok && problems->len > 0)
    {
      g_set_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_CORRUPT,
                   "The mail store %s is damaged: %s", self->db_path, problems->str);
      return FALSE;
    }

  return ok;
}

/* ------------------------------------------------------------------ transactions */

static gboolean
in_own_transaction (MailStore *self)
{
  return g_atomic_pointer_get (&self->writer_thread) == g_thread_self ();
}

static void
end_transaction (MailStore *self)
{
  if (self->durability == MAIL_STORE_DURABILITY_DURABLE)
    _mail_store_db_exec (self->writer, "PRAGMA synchronous = NORMAL", NULL);

  self->txn_depth = 0;
  self->next_thread_id = 0;
  _mail_store_fts_discard (self);
  g_atomic_pointer_set (&self->writer_thread, NULL);
}

static gboolean
begin_transaction (MailStore            *self,
                   MailStoreDurability   durability,
                   GError              **error)
{
  /* The safety level cannot change inside a transaction. */
  if (durability == MAIL_STORE_DURABILITY_DURABLE &&
      !_mail_store_db_exec (self->writer, "PRAGMA synchronous = FULL", error))
    return FALSE;

  self->durability = durability;
  if (!_mail_store_db_exec (self->writer, "BEGIN IMMEDIATE", error))
    {
      end_transaction (self);
      return FALSE;
    }

  self->txn_depth = 1;
  self->next_thread_id = 0;
  self->changes_at_begin = sqlite3_total_changes64 (self->writer->handle);
  g_atomic_pointer_set (&self->writer_thread, g_thread_self ());

  return TRUE;
}

/* Trims the change log once it is twice as long as what the views may still need. */
static gboolean
prune_changes (MailStore  *self,
               GError    **error)
{
  g_autoptr (MailStoreStmt) prune = NULL;
  g_autoptr (MailStoreStmt) mark = NULL;
  gint64 seq = 0;
  gint64 pruned = 0;

  if (!_mail_store_db_get_seq (self->writer, &seq, error) ||
      !_mail_store_db_get_int (self->writer,
                               "SELECT value FROM meta WHERE key = 'changes_pruned'",
                               &pruned, error))
    return FALSE;

  if (seq - pruned <= 2 * CHANGES_KEEP)
    return TRUE;

  prune = _mail_store_db_prepare (self->writer, "DELETE FROM changes WHERE seq <= ?", error);
  mark = _mail_store_db_prepare (self->writer,
                                 "UPDATE meta SET value = ? WHERE key = 'changes_pruned'", error);
  if (prune == NULL || mark == NULL)
    return FALSE;

  sqlite3_bind_int64 (prune, 1, seq - CHANGES_KEEP);
  sqlite3_bind_int64 (mark, 1, seq - CHANGES_KEEP);

  return _mail_store_db_run (self->writer, prune, error) &&
         _mail_store_db_run (self->writer, mark, error);
}

static gboolean
flush_thread_id (MailStore  *self,
                 GError    **error)
{
  g_autoptr (MailStoreStmt) stmt = NULL;

  if (self->next_thread_id == 0)
    return TRUE;

  stmt = _mail_store_db_prepare (self->writer,
                                 "UPDATE meta SET value = ? WHERE key = 'next_thread_id'", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, self->next_thread_id);
  return _mail_store_db_run (self->writer, stmt, error);
}

static gboolean
commit_transaction (MailStore  *self,
                    GError    **error)
{
  gboolean changed;

  if (!_mail_store_fts_flush (self, error) || !flush_thread_id (self, error) ||
      !prune_changes (self, error) || !_mail_store_db_exec (self->writer, "COMMIT", error))
    {
      _mail_store_db_exec (self->writer, "ROLLBACK", NULL);
      end_transaction (self);
      return FALSE;
    }

  changed = sqlite3_total_changes64 (self->writer->handle) != self->changes_at_begin;
  end_transaction (self);

  if (changed)
    {
      _mail_store_remove_orphans (self);
      _mail_store_notify_views (self);
    }

  return TRUE;
}

/**
 * mail_store_begin:
 * @self: a store
 * @durability: how durable the commit must be
 * @error: the error (%MAIL_STORE_ERROR_BUSY when another program kept the store locked
 *   past the busy timeout)
 *
 * Begins a write transaction on the calling thread; every writing function called by this
 * thread until mail_store_commit() or mail_store_rollback() belongs to it, and its reading
 * functions see its changes. Other threads' writing functions wait for it to end; other
 * connections see nothing of it until it is committed.
 *
 * Keep transactions short (a batch of a few hundred messages): another program's writer
 * waits for them. Not on the UI thread.
 *
 * Returns: %TRUE when the transaction is open
 */
gboolean
mail_store_begin (MailStore            *self,
                  MailStoreDurability   durability,
                  GError              **error)
{
  g_return_val_if_fail (MAIL_IS_STORE (self), FALSE);

  g_rec_mutex_lock (&self->write_lock);
  if (self->txn_depth > 0)
    {
      g_rec_mutex_unlock (&self->write_lock);
      g_set_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_INVALID,
                   "A transaction is already open on the mail store");
      return FALSE;
    }

  if (!begin_transaction (self, durability, error))
    {
      g_rec_mutex_unlock (&self->write_lock);
      return FALSE;
    }

  return TRUE;
}

/**
 * mail_store_commit:
 * @self: a store
 * @error: the error; the transaction is then rolled back
 *
 * Commits the transaction begun by mail_store_begin() on this thread. Then the body files
 * of the messages it removed are deleted, and the list models of every main context are
 * told to catch up.
 *
 * Returns: %TRUE when the changes are committed (and, for
 *   %MAIL_STORE_DURABILITY_DURABLE, on disk)
 */
gboolean
mail_store_commit (MailStore  *self,
                   GError    **error)
{
  gboolean ok;

  g_return_val_if_fail (MAIL_IS_STORE (self), FALSE);
  g_return_val_if_fail (in_own_transaction (self), FALSE);

  ok = commit_transaction (self, error);
  g_rec_mutex_unlock (&self->write_lock);

  return ok;
}

/**
 * mail_store_rollback:
 * @self: a store
 *
 * Abandons the transaction begun by mail_store_begin() on this thread.
 */
void
mail_store_rollback (MailStore *self)
{
  g_return_if_fail (MAIL_IS_STORE (self));
  g_return_if_fail (in_own_transaction (self));

  _mail_store_db_exec (self->writer, "ROLLBACK", NULL);
  end_transaction (self);
  g_rec_mutex_unlock (&self->write_lock);
}

/* Every writing function starts with this: it joins the calling thread's transaction, or
 * opens one of its own (@implicit) that _mail_store_write_leave() ends. */
gboolean
_mail_store_write_enter (MailStore  *self,
                         gboolean   *implicit,
                         GError    **error)
{
  g_rec_mutex_lock (&self->write_lock);

  *implicit = self->txn_depth == 0;
  if (*implicit && !begin_transaction (self, MAIL_STORE_DURABILITY_NORMAL, error))
    {
      g_rec_mutex_unlock (&self->write_lock);
      return FALSE;
    }

  return TRUE;
}

/* Ends what _mail_store_write_enter() began: commits an implicit transaction when @ok,
 * rolls it back otherwise. An error inside an explicit transaction leaves it to its owner
 * to roll back. */
gboolean
_mail_store_write_leave (MailStore  *self,
                         gboolean    implicit,
                         gboolean    ok,
                         GError    **error)
{
  if (implicit)
    {
      if (ok)
        ok = commit_transaction (self, error);
      else
        {
          _mail_store_db_exec (self->writer, "ROLLBACK", NULL);
          end_transaction (self);
        }
    }

  g_rec_mutex_unlock (&self->write_lock);
  return ok;
}

/* _mail_store_db_run_rows() on the writer, in a transaction of its own unless one is
 * open. */
gboolean
_mail_store_write_rows (MailStore          *self,
                        const char         *sql,
                        guint               n_rows,
                        MailStoreBindFunc   bind,
                        gconstpointer       data,
                        GError            **error)
{
  gboolean implicit;
  gboolean ok;

  if (!_mail_store_write_enter (self, &implicit, error))
    return FALSE;

  ok = _mail_store_db_run_rows (self->writer, sql, n_rows, bind, data, error);
  return _mail_store_write_leave (self, implicit, ok, error);
}

/* A new thread id, counted in meta.next_thread_id (written back at commit). */
gint64
_mail_store_new_thread_id (MailStore  *self,
                           GError    **error)
{
  if (self->next_thread_id == 0 &&
      !_mail_store_db_get_int (self->writer,
                               "SELECT value FROM meta WHERE key = 'next_thread_id'",
                               &self->next_thread_id, error))
    return 0;

  if (self->next_thread_id <= 0)
    self->next_thread_id = 1;

  return self->next_thread_id++;
}

/* ------------------------------------------------------------------ readers */

/* A connection to read with, for the calling thread until it is released: the writer if
 * this thread has a transaction open, else one from the pool. */
MailStoreDb *
_mail_store_acquire_reader (MailStore  *self,
                            GError    **error)
{
  MailStoreDb *db = NULL;

  if (in_own_transaction (self))
    return self->writer;

  g_mutex_lock (&self->pool_lock);
  if (self->pool->len > 0)
    db = g_ptr_array_steal_index_fast (self->pool, self->pool->len - 1);
  g_mutex_unlock (&self->pool_lock);

  if (db == NULL)
    db = _mail_store_db_open (self->db_path, &self->busy_timeout_ms, TRUE, error);

  return db;
}

void
_mail_store_release_reader (MailStore   *self,
                            MailStoreDb *db)
{
  if (db == NULL || db == self->writer)
    return;

  g_warn_if_fail (db->read_depth == 0);

  g_mutex_lock (&self->pool_lock);
  if (self->pool->len < POOL_SIZE)
    {
      g_ptr_array_add (self->pool, db);
      db = NULL;
    }
  g_mutex_unlock (&self->pool_lock);

  _mail_store_db_close (db);
}

/* ------------------------------------------------------------------ body files */

char *
_mail_store_body_path (MailStore  *self,
                       const char *file_name)
{
  return g_build_filename (self->bodies_dir, file_name, NULL);
}

/* Deletes the body files of messages removed by committed transactions. A crash before
 * this leaves them listed for the next commit. Holds the write lock. */
void
_mail_store_remove_orphans (MailStore *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  gint64 any = 0;

  if (!_mail_store_db_get_int (self->writer, "SELECT EXISTS (SELECT 1 FROM orphan_bodies)",
                               &any, &error) || any == 0)
    return;

  {
    g_autoptr (MailStoreStmt) stmt =
      _mail_store_db_prepare (self->writer, "SELECT file FROM orphan_bodies", &error);

    while (stmt != NULL && _mail_store_db_step (self->writer, stmt, &error) == SQLITE_ROW)
      g_ptr_array_add (files, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  }

  for (guint i = 0; i < files->len; i++)
    {
      const char *name = g_ptr_array_index (files, i);
      g_autofree char *path = NULL;

      /* Only plain names inside bodies/. */
      if (strchr (name, '/') != NULL || name[0] == '.')
        continue;

      path = _mail_store_body_path (self, name);
      if (g_unlink (path) != 0 && errno != ENOENT)
        g_warning ("Could not remove %s: %s", path, g_strerror (errno));
    }

  if (!_mail_store_db_exec (self->writer, "BEGIN IMMEDIATE", &error))
    goto out;

  for (guint i = 0; i < files->len; i++)
    {
      g_autoptr (MailStoreStmt) stmt =
        _mail_store_db_prepare (self->writer, "DELETE FROM orphan_bodies WHERE file = ?", &error);

      if (stmt == NULL)
        break;
      BIND_TEXT (stmt, 1, g_ptr_array_index (files, i));
      if (!_mail_store_db_run (self->writer, stmt, &error))
        break;
    }

  if (error != NULL || !_mail_store_db_exec (self->writer, "COMMIT", &error))
    _mail_store_db_exec (self->writer, "ROLLBACK", NULL);

out:
  if (error != NULL)
    g_debug ("Could not clear the removed bodies of %s: %s", self->db_path, error->message);
}

/* Removes temporary body files a crash left behind (old enough that no writer of another
 * program can still be filling them). */
void
_mail_store_remove_stale_temp (MailStore *self)
{
  g_autoptr (GDir) dir = g_dir_open (self->bodies_dir, 0, NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      GStatBuf st;

      if (!g_str_has_prefix (name, MAIL_STORE_TEMP_PREFIX))
        continue;

      path = _mail_store_body_path (self, name);
      if (g_stat (path, &st) == 0 && now - st.st_mtime > STALE_TEMP_SECONDS)
        g_unlink (path);
    }
}
