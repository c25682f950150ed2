/* mail-store-body.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Message bodies as files: bodies/<random>.eml, the raw RFC 5322 message as the server
 * sent it.
 *
 * A body is written by a MailStoreBodyWriter chunk by chunk as it arrives (the IMAP
 * client's literal sink, or a GInputStream), to a temporary name (".tmp-...", never taken
 * for a body), then fsynced, renamed to its final name and the directory fsynced: a crash
 * leaves either no file or the whole one, never a partial file under a body's name.
 * Temporary files left by a crash are removed at the next open. Only then does
 * mail_store_set_body() record the file, its preview and its search text; a file whose
 * record was lost to a crash is an orphan that mail_store_collect_garbage() removes.
 *
 * Writing a body takes no database lock, so a large one can stream while the sync
 * engine keeps committing headers; the writer is used by one thread at a time.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "mail-store-body-writer.h"
#include "mail-store-private.h"

#define BUFFER_SIZE (64 * 1024)

/* Files in bodies/ that no message refers to are removed once this old: younger ones
 * may belong to a writer that has not called mail_store_set_body() yet. */
#define ORPHAN_GRACE_SECONDS (60 * 60)

struct _MailStoreBodyWriter
{
  GObject    parent_instance;

  MailStore *store;
  char      *temp_path;
  char      *name;
  int        fd;
  char      *buffer;
  gsize      buffered;
  guint64    size;
};

G_DEFINE_FINAL_TYPE (MailStoreBodyWriter, mail_store_body_writer, G_TYPE_OBJECT)

static void
mail_store_body_writer_finalize (GObject *object)
{
  MailStoreBodyWriter *self = MAIL_STORE_BODY_WRITER (object);

  mail_store_body_writer_abort (self);
  g_clear_object (&self->store);
  g_free (self->temp_path);
  g_free (self->name);
  g_free (self->buffer);

  G_OBJECT_CLASS (mail_store_body_writer_parent_class)->finalize (object);
}

static void
mail_store_body_writer_class_init (MailStoreBodyWriterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mail_store_body_writer_finalize;
}

static void
mail_store_body_writer_init (MailStoreBodyWriter *self)
{
  self->fd = -1;
}

static gboolean
set_io_error (GError     **error,
              int          saved_errno,
              const char  *what,
              const char  *path)
{
  if (saved_errno == ENOSPC || saved_errno == EDQUOT)
    g_set_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_FULL,
                 "The disk is full: could not %s %s", what, path);
  else
    g_set_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_IO,
                 "Could not %s %s: %s", what, path, g_strerror (saved_errno));
  return FALSE;
}

/**
 * mail_store_body_writer_new:
 * @store: a store
 * @error: the error
 *
 * Starts writing a message body to a new temporary file in the store's bodies/.
 *
 * Returns: (transfer full): a writer, or %NULL
 */
MailStoreBodyWriter *
mail_store_body_writer_new (MailStore  *store,
                            GError    **error)
{
  g_autoptr (MailStoreBodyWriter) self = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *temp_name = NULL;

  g_return_val_if_fail (MAIL_IS_STORE (store), NULL);

  self = g_object_new (MAIL_TYPE_STORE_BODY_WRITER, NULL);
  self->store = g_object_ref (store);
  self->name = g_strconcat (uuid, ".eml", NULL);
  temp_name = g_strconcat (MAIL_STORE_TEMP_PREFIX, uuid, NULL);
  self->temp_path = _mail_store_body_path (store, temp_name);

  self->fd = g_open (self->temp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (self->fd < 0)
    {
      set_io_error (error, errno, "create", self->temp_path);
      return NULL;
    }

  self->buffer = g_malloc (BUFFER_SIZE);

  return g_steal_pointer (&self);
}

static gboolean
write_all (MailStoreBodyWriter  *self,
           const char           *data,
           gsize                 len,
           GError              **error)
{
  while (len > 0)
    {
      gssize n = write (self->fd, data, len);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return set_io_error (error, errno, "write", self->temp_path);
        }
      data += n;
      len -= (gsize) n;
    }

  return TRUE;
}

static gboolean
flush (MailStoreBodyWriter  *self,
       GError              **error)
{
  gsize n = self->buffered;

  self->buffered = 0;
  return write_all (self, self->buffer, n, error);
}

/**
 * mail_store_body_writer_write:
 * @self: a writer
 * @data: (array length=len): the next bytes of the message
 * @len: how many
 * @error: the error (%MAIL_STORE_ERROR_FULL when the disk is full)
 *
 * Appends to the body. Memory use does not depend on the size of the message.
 *
 * Returns: %TRUE on success
 */
gboolean
mail_store_body_writer_write (MailStoreBodyWriter  *self,
                              const void           *data,
                              gsize                 len,
                              GError              **error)
{
  g_return_val_if_fail (MAIL_IS_STORE_BODY_WRITER (self), FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  if (self->fd < 0)
    {
      g_set_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_INVALID,
                   "The body was committed or abandoned already");
      return FALSE;
    }

  self->size += len;

  if (self->buffered + len <= BUFFER_SIZE)
    {
      memcpy (self->buffer + self->buffered, data, len);
      self->buffered += len;
      return TRUE;
    }

  return flush (self, error) && write_all (self, data, len, error);
}

/**
 * mail_store_body_writer_write_stream:
 * @self: a writer
 * @stream: the message, read to its end
 * @cancellable: (nullable): cancels reading
 * @error: the error
 *
 * Appends all of @stream to the body, 64 KiB at a time. Blocks.
 *
 * Returns: %TRUE on success
 */
gboolean
mail_store_body_writer_write_stream (MailStoreBodyWriter  *self,
                                     GInputStream         *stream,
                                     GCancellable         *cancellable,
                                     GError              **error)
{
  g_autofree char *chunk = g_malloc (BUFFER_SIZE);

  g_return_val_if_fail (MAIL_IS_STORE_BODY_WRITER (self), FALSE);
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), FALSE);

  for (;;)
    {
      gssize n = g_input_stream_read (stream, chunk, BUFFER_SIZE, cancellable, error);

      if (n < 0)
        return FALSE;
      if (n == 0)
        return TRUE;
      if (!mail_store_body_writer_write (self, chunk, (gsize) n, error))
        return FALSE;
    }
}

/**
 * mail_store_body_writer_get_size:
 * @self: a writer
 *
 * Returns: how many bytes were written so far
 */
guint64
mail_store_body_writer_get_size (MailStoreBodyWriter *self)
{
  g_return_val_if_fail (MAIL_IS_STORE_BODY_WRITER (self), 0);

  return self->size;
}

static gboolean
sync_directory (const char  *dir,
                GError     **error)
{
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  int rc;

  if (fd < 0)
    return set_io_error (error, errno, "open", dir);

  rc = fsync (fd);
  if (rc != 0)
    {
      int saved_errno = errno;

      close (fd);
      return set_io_error (error, saved_errno, "sync", dir);
    }

  close (fd);
  return TRUE;
}

/**
 * mail_store_body_writer_commit:
 * @self: a writer
 * @error: the error; the temporary file is then removed
 *
 * Makes the body durable under its final name: flush, fsync, rename, fsync of the
 * directory. Then record it with mail_store_set_body().
 *
 * Returns: (transfer full): the body's file name in bodies/, or %NULL
 */
char *
mail_store_body_writer_commit (MailStoreBodyWriter  *self,
                               GError              **error)
{
  g_autofree char *path = NULL;
  int fd;

  g_return_val_if_fail (MAIL_IS_STORE_BODY_WRITER (self), NULL);

  if (self->fd < 0)
    {
      g_set_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_INVALID,
                   "The body was committed or abandoned already");
      return NULL;
    }

  if (!flush (self, error))
    goto fail;

  if (fsync (self->fd) != 0)
    {
      set_io_error (error, errno, "sync", self->temp_path);
      goto fail;
    }

  fd = self->fd;
  self->fd = -1;
  if (close (fd) != 0)
    {
      set_io_error (error, errno, "close", self->temp_path);
      g_unlink (self->temp_path);
      return NULL;
    }

  path = _mail_store_body_path (self->store, self->name);
  if (g_rename (self->temp_path, path) != 0)
    {
      set_io_error (error, errno, "rename", self->temp_path);
      g_unlink (self->temp_path);
      return NULL;
    }

  if (!sync_directory (self->store->bodies_dir, error))
    {
      g_unlink (path);
      return NULL;
    }

  return g_strdup (self->name);

fail:
  mail_store_body_writer_abort (self);
  return NULL;
}

/**
 * mail_store_body_writer_abort:
 * @self: a writer
 *
 * Abandons the body and removes its temporary file (the download failed or was
 * cancelled). Done by the last unref if neither this nor the commit was.
 */
void
mail_store_body_writer_abort (MailStoreBodyWriter *self)
{
  g_return_if_fail (MAIL_IS_STORE_BODY_WRITER (self));

  if (self->fd < 0)
    return;

  close (self->fd);
  self->fd = -1;
  g_unlink (self->temp_path);
}

/* ------------------------------------------------------------------ the store's side */

static gboolean
valid_file_name (const char *name)
{
  return name != NULL && *name != '\0' && *name != '.' && strchr (name, '/') == NULL;
}

/**
 * mail_store_set_body:
 * @self: a store
 * @id: a message
 * @file_name: the body's file, from mail_store_body_writer_commit()
 * @state: %MAIL_STORE_BODY_COMPLETE for the whole message, %MAIL_STORE_BODY_PARTIAL
 *   for part of it (its text)
 * @summary: (nullable): the parsed body, when the caller has it; else the file is
 *   parsed here (before any lock is taken)
 * @error: the error (%MAIL_STORE_ERROR_NOT_FOUND when the message was expunged
 *   meanwhile: the file is then removed)
 *
 * Records a message's body: its file, preview and attachment flag, and its text in the
 * search index. A body the message had before is deleted after the commit. Parsing a
 * large message takes a while: call it outside your batch transaction.
 *
 * Returns: %TRUE on success
 */
gboolean
mail_store_set_body (MailStore               *self,
                     gint64                   id,
                     const char              *file_name,
                     MailStoreBodyState       state,
                     const MailMimeSummary   *summary,
                     GError                 **error)
{
  g_autoptr (MailMimeSummary) parsed = NULL;
  g_autofree char *path = NULL;
  gboolean implicit;
  gboolean ok = FALSE;
  gboolean missing = FALSE;

  g_return_val_if_fail (MAIL_IS_STORE (self), FALSE);
  g_return_val_if_fail (valid_file_name (file_name), FALSE);

  path = _mail_store_body_path (self, file_name);
  if (summary == NULL)
    {
      parsed = mail_mime_parse_file (path, 0, error);
      if (parsed == NULL)
        return FALSE;
      summary = parsed;
    }

  if (!_mail_store_write_enter (self, &implicit, error))
    return FALSE;

  {
    g_autoptr (MailStoreStmt) update = _mail_store_db_prepare (
      self->writer,
      "UPDATE messages SET body_state = ?1, body_file = ?2, preview = coalesce (?3, preview),"
      " has_attachments = CASE WHEN ?1 = 2 THEN ?4 ELSE has_attachments END WHERE id = ?5",
      error);

    if (update == NULL)
      goto out;
    sqlite3_bind_int (update, 1, state);
    BIND_TEXT (update, 2, file_name);
    if (summary->preview != NULL)
      BIND_TEXT (update, 3, summary->preview);
    sqlite3_bind_int (update, 4, summary->has_attachments ? 1 : 0);
    sqlite3_bind_int64 (update, 5, id);
    if (!_mail_store_db_run (self->writer, update, error))
      goto out;

    if (sqlite3_changes (self->writer->handle) == 0)
      {
        missing = TRUE;
        g_set_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_NOT_FOUND,
                     "There is no message %" G_GINT64_FORMAT " in the mail store", id);
        goto out;
      }

    ok = _mail_store_fts_queue (self, id, FALSE,
                                g_strdup (summary->body_text != NULL ? summary->body_text : ""),
                                error);
  }

out:
  ok = _mail_store_write_leave (self, implicit, ok, error);
  if (missing)
    g_unlink (path);

  return ok;
}

/**
 * mail_store_dup_body_path:
 * @self: a store
 * @id: a message
 * @error: the error (%MAIL_STORE_ERROR_NOT_FOUND when no body is stored)
 *
 * Returns: (transfer full): the path of the message's body file, or %NULL
 */
char *
mail_store_dup_body_path (MailStore  *self,
                          gint64      id,
                          GError    **error)
{
  MailStoreDb *db;
  char *path = NULL;

  g_return_val_if_fail (MAIL_IS_STORE (self), NULL);

  db = _mail_store_acquire_reader (self, error);
  if (db == NULL)
    return NULL;

  {
    g_autoptr (MailStoreStmt) stmt =
      _mail_store_db_prepare (db, "SELECT body_file FROM messages WHERE id = ?", error);
    int rc;

    if (stmt != NULL)
      {
        sqlite3_bind_int64 (stmt, 1, id);
        rc = _mail_store_db_step (db, stmt, error);
        if (rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
          path = _mail_store_body_path (self, (const char *) sqlite3_column_text (stmt, 0));
        else if (rc != -1)
          g_set_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_NOT_FOUND,
                       "The body of message %" G_GINT64_FORMAT " is not stored", id);
      }
  }

  _mail_store_release_reader (self, db);
  return path;
}

/**
 * mail_store_collect_garbage:
 * @self: a store
 * @error: the error
 *
 * Removes files in bodies/ that nothing refers to: temporary files and bodies whose
 * record a crash lost (older than an hour, so no writer still needs them), and bodies of
 * removed messages not deleted yet. For the sync engine's idle time.
 *
 * Returns: %TRUE on success
 */
gboolean
mail_store_collect_garbage (MailStore  *self,
                            GError    **error)
{
  g_autoptr (GHashTable) referenced = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GDir) dir = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  MailStoreDb *db;
  const char *name;
  int rc = -1;

  g_return_val_if_fail (MAIL_IS_STORE (self), FALSE);

  _mail_store_remove_stale_temp (self);

  g_rec_mutex_lock (&self->write_lock);
  if (self->txn_depth == 0)
    _mail_store_remove_orphans (self);
  g_rec_mutex_unlock (&self->write_lock);

  db = _mail_store_acquire_reader (self, error);
  if (db == NULL)
    return FALSE;

  {
    g_autoptr (MailStoreStmt) stmt = _mail_store_db_prepare (
      db, "SELECT body_file FROM messages WHERE body_file IS NOT NULL", error);

    while (stmt != NULL && (rc = _mail_store_db_step (db, stmt, error)) == SQLITE_ROW)
      g_hash_table_add (referenced, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  }
  _mail_store_release_reader (self, db);

  if (rc != SQLITE_DONE)
    return FALSE;

  dir = g_dir_open (self->bodies_dir, 0, error);
  if (dir == NULL)
    return FALSE;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      GStatBuf st;

      if (!g_str_has_suffix (name, ".eml") || g_hash_table_contains (referenced, name))
        continue;

      path = _mail_store_body_path (self, name);
      if (g_stat (path, &st) == 0 && now - st.st_mtime > ORPHAN_GRACE_SECONDS)
        {
          g_debug ("Removing the unreferenced body %s", path);
          g_unlink (path);
        }
    }

  return TRUE;
}
