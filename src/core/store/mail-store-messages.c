/* mail-store-messages.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Messages: header sync in batches, flags, expunges, the local side of the user's
 * actions, threads, and the reads the sync engine and mail-tool make.
 *
 * A message is a row per (folder, UID). Two messages with the same Message-ID are two
 * rows; they share a thread. A message the server has not confirmed yet (moved, copied
 * or appended offline) has no UID until mail_store_set_message_uid().
 *
 * Threads: every Message-ID seen, a message's own or one it refers to (In-Reply-To,
 * References), maps to a thread in thread_ids. A new message joins the thread of any of
 * its IDs; when its IDs name several threads (a reply that arrived before its parent
 * links them) they are merged into the oldest.
 */

#include "config.h"

#include <errno.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "mail-store-private.h"

static const char *
empty_to_null (const char *s)
{
  return s != NULL && *s != '\0' ? s : NULL;
}

/* The thread a new message with these headers joins (merging threads it links). */
static gint64
assign_thread (MailStore              *self,
               const MailMimeSummary  *summary,
               GError                **error)
{
  MailStoreDb *db = self->writer;
  g_autoptr (GPtrArray) ids = g_ptr_array_new ();
  g_autoptr (GArray) found = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 chosen = 0;

  if (summary->message_id != NULL)
    g_ptr_array_add (ids, summary->message_id);
  for (guint i = 0; summary->references != NULL && summary->references[i] != NULL; i++)
    g_ptr_array_add (ids, summary->references[i]);
  if (summary->in_reply_to != NULL)
    g_ptr_array_add (ids, summary->in_reply_to);

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr (MailStoreStmt) lookup =
        _mail_store_db_prepare (db, "SELECT thread_id FROM thread_ids WHERE message_id = ?", error);
      int rc;

      if (lookup == NULL)
        return 0;
      BIND_TEXT (lookup, 1, g_ptr_array_index (ids, i));
      rc = _mail_store_db_step (db, lookup, error);
      if (rc == -1)
        return 0;
      if (rc == SQLITE_ROW)
        {
          gint64 thread = sqlite3_column_int64 (lookup, 0);

          g_array_append_val (found, thread);
          if (chosen == 0 || thread < chosen)
            chosen = thread;
        }
    }

  if (chosen == 0)
    chosen = _mail_store_new_thread_id (self, error);
  if (chosen == 0)
    return 0;

  for (guint i = 0; i < found->len; i++)
    {
      gint64 other = g_array_index (found, gint64, i);
      g_autoptr (MailStoreStmt) merge_messages = NULL;
      g_autoptr (MailStoreStmt) merge_ids = NULL;

      if (other == chosen)
        continue;

      merge_messages = _mail_store_db_prepare (
        db, "UPDATE messages SET thread_id = ?1 WHERE thread_id = ?2", error);
      merge_ids = _mail_store_db_prepare (
        db, "UPDATE thread_ids SET thread_id = ?1 WHERE thread_id = ?2", error);
      if (merge_messages == NULL || merge_ids == NULL)
        return 0;
      sqlite3_bind_int64 (merge_messages, 1, chosen);
      sqlite3_bind_int64 (merge_messages, 2, other);
      sqlite3_bind_int64 (merge_ids, 1, chosen);
      sqlite3_bind_int64 (merge_ids, 2, other);
      if (!_mail_store_db_run (db, merge_messages, error) || !_mail_store_db_run (db, merge_ids, error))
        return 0;

      /* Later duplicates of the same thread need no second merge. */
      for (guint j = i + 1; j < found->len; j++)
        if (g_array_index (found, gint64, j) == other)
          g_array_index (found, gint64, j) = chosen;
    }

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr (MailStoreStmt) add = _mail_store_db_prepare (
        db, "INSERT INTO thread_ids (message_id, thread_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
        error);

      if (add == NULL)
        return 0;
      BIND_TEXT (add, 1, g_ptr_array_index (ids, i));
      sqlite3_bind_int64 (add, 2, chosen);
      if (!_mail_store_db_run (db, add, error))
        return 0;
    }

  return chosen;
}

static gboolean
upsert_one (MailStore                   *self,
            gint64                       folder_id,
            const MailStoreMessageInfo  *info,
            gint64                      *id,
            GError                     **error)
{
  MailStoreDb *db = self->writer;
  const MailMimeSummary *summary = info->summary;
  const char *keywords = empty_to_null (info->keywords);
  g_autoptr (MailStoreStmt) insert = NULL;
  g_autofree char *to = NULL;
  g_autofree char *cc = NULL;
  g_autofree char *refs = NULL;
  gint64 thread;

  {
    g_autoptr (MailStoreStmt) existing = _mail_store_db_prepare (
      db, "SELECT id FROM messages WHERE folder_id = ? AND uid = ?", error);
    int rc;

    if (existing == NULL)
      return FALSE;
    sqlite3_bind_int64 (existing, 1, folder_id);
    sqlite3_bind_int64 (existing, 2, info->uid);
    rc = _mail_store_db_step (db, existing, error);
    if (rc == -1)
      return FALSE;

    if (rc == SQLITE_ROW)
      {
        g_autoptr (MailStoreStmt) update = NULL;

        *id = sqlite3_column_int64 (existing, 0);
        update = _mail_store_db_prepare (
          db,
          "UPDATE messages SET flags = ?1, keywords = ?2, modseq = ?3 WHERE id = ?4"
          " AND (flags != ?1 OR keywords IS NOT ?2 OR modseq != ?3)",
          error);
        if (update == NULL)
          return FALSE;
        sqlite3_bind_int64 (update, 1, info->flags);
        if (keywords != NULL)
          BIND_TEXT (update, 2, keywords);
        sqlite3_bind_int64 (update, 3, (sqlite3_int64) info->modseq);
        sqlite3_bind_int64 (update, 4, *id);
        return _mail_store_db_run (db, update, error);
      }
  }

  thread = assign_thread (self, summary, error);
  if (thread == 0)
    return FALSE;

  to = mail_mime_format_addresses (summary->to);
  cc = mail_mime_format_addresses (summary->cc);
  refs = summary->references != NULL ? g_strjoinv (" ", summary->references) : NULL;

  insert = _mail_store_db_prepare (
    db,
    "INSERT INTO messages (folder_id, uid, flags, keywords, modseq, internal_date, date,"
    " sender_name, sender_address, recipients, cc, subject, size, message_id, in_reply_to,"
    " refs, thread_id, has_attachments)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    error);
  if (insert == NULL)
    return FALSE;

  sqlite3_bind_int64 (insert, 1, folder_id);
  sqlite3_bind_int64 (insert, 2, info->uid);
  sqlite3_bind_int64 (insert, 3, info->flags);
  if (keywords != NULL)
    BIND_TEXT (insert, 4, keywords);
  sqlite3_bind_int64 (insert, 5, (sqlite3_int64) info->modseq);
  sqlite3_bind_int64 (insert, 6, info->internal_date);
  sqlite3_bind_int64 (insert, 7, summary->date);
  if (summary->from != NULL)
    {
      if (summary->from->name != NULL)
        BIND_TEXT (insert, 8, summary->from->name);
      BIND_TEXT (insert, 9, summary->from->address);
    }
  if (*to != '\0')
    BIND_TEXT (insert, 10, to);
  if (*cc != '\0')
    BIND_TEXT (insert, 11, cc);
  BIND_TEXT (insert, 12, summary->subject != NULL ? summary->subject : "");
  sqlite3_bind_int64 (insert, 13, (sqlite3_int64) info->size);
  if (summary->message_id != NULL)
    BIND_TEXT (insert, 14, summary->message_id);
  if (summary->in_reply_to != NULL)
    BIND_TEXT (insert, 15, summary->in_reply_to);
  if (refs != NULL && *refs != '\0')
    BIND_TEXT (insert, 16, refs);
  sqlite3_bind_int64 (insert, 17, thread);
  sqlite3_bind_int (insert, 18, summary->has_attachments ? 1 : 0);

  if (!_mail_store_db_run (db, insert, error))
    return FALSE;

  *id = sqlite3_last_insert_rowid (db->handle);
  return _mail_store_fts_queue (self, *id, TRUE, NULL, error);
}

/**
 * mail_store_upsert_messages:
 * @self: a store
 * @folder_id: the folder the messages are in
 * @messages: (array length=n_messages): the messages, as a header sync fetched them
 * @n_messages: how many
 * @ids: (element-type gint64) (nullable): where to append the messages' ids, in order
 * @error: the error
 *
 * Stores a batch of messages: new UIDs are added (joining their thread), known ones get
 * their flags, keywords and MODSEQ updated (their headers do not change). Call it in a
 * transaction per batch of a few hundred: the views show each batch once it is
 * committed.
 *
 * Returns: %TRUE on success
 */
gboolean
mail_store_upsert_messages (MailStore                   *self,
                            gint64                       folder_id,
                            const MailStoreMessageInfo  *messages,
                            guint                        n_messages,
                            GArray                      *ids,
                            GError                     **error)
{
  gboolean implicit;
  gboolean ok = TRUE;

  g_return_val_if_fail (MAIL_IS_STORE (self), FALSE);
  g_return_val_if_fail (messages != NULL || n_messages == 0, FALSE);

  if (!_mail_store_write_enter (self, &implicit, error))
    return FALSE;

  for (guint i = 0; ok && i < n_messages; i++)
    {
      gint64 id = 0;

      if (messages[i].summary == NULL)
        {
          g_set_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_INVALID,
                       "Message UID %u has no headers", messages[i].uid);
          ok = FALSE;
          break;
        }

      ok = upsert_one (self, folder_id, &messages[i], &id, error);
      if (ok && ids != NULL)
        g_array_append_val (ids, id);
    }

  return _mail_store_write_leave (self, implicit, ok, error);
}

typedef struct
{
  gint64                      folder_id;
  const MailStoreFlagsUpdate *updates;
} FlagsRows;

static void
bind_flags_row (MailStoreStmt *stmt,
                guint          row,
                gconstpointer  data)
{
  const FlagsRows *rows = data;
  const MailStoreFlagsUpdate *update = &rows->updates[row];
  const char *keywords = empty_to_null (update->keywords);

  sqlite3_bind_int64 (stmt, 1, update->flags);
  if (keywords != NULL)
    BIND_TEXT (stmt, 2, keywords);
  sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) update->modseq);
  sqlite3_bind_int64 (stmt, 4, rows->folder_id);
  sqlite3_bind_int64 (stmt, 5, update->uid);
}

/**
 * mail_store_update_flags:
 * @self: a store
 * @folder_id: the folder
 * @updates: (array length=n_updates): flags as the server reports them
 * @n_updates: how many
 * @error: the error
 *
 * Sets the flags of messages to what the server says (a flag refresh, a FETCH FLAGS
 * during IDLE). Unknown UIDs are ignored.
 *
 * Returns: %TRUE on success
 */
gboolean
mail_store_update_flags (MailStore                   *self,
                         gint64                       folder_id,
                         const MailStoreFlagsUpdate  *updates,
                         guint                        n_updates,
                         GError                     **error)
{
  FlagsRows rows = { folder_id, updates };

  g_return_val_if_fail (MAIL_IS_STORE (self), FALSE);

  return _mail_store_write_rows (self,
                                 "UPDATE messages SET flags = ?1, keywords = ?2,"
                                 " modseq = CASE WHEN ?3 > 0 THEN ?3 ELSE modseq END"
                                 " WHERE folder_id = ?4 AND uid = ?5"
                                 " AND (flags != ?1 OR keywords IS NOT ?2"
                                 " OR (?3 > 0 AND modseq != ?3))",
                                 n_updates, bind_flags_row, &rows, error);
}

typedef struct
{
  gint64         folder_id;
  const guint32 *uids;
} UidRows;

static void
bind_uid_row (MailStoreStmt *stmt,
              guint          row,
              gconstpointer  data)
{
  const UidRows *rows = data;

  sqlite3_bind_int64 (stmt, 1, rows->folder_id);
  sqlite3_bind_int64 (stmt, 2, rows->uids[row]);
}

/**
 * mail_store_expunge_uids:
 * @self: a store
 * @folder_id: the folder
 * @uids: (array length=n_uids): UIDs the server expunged (EXPUNGE, VANISHED, or missing
 *   from a UID SEARCH)
 * @n_uids: how many
 * @error: the error
 *
 * Removes messages the server no longer has; their body files are deleted after the
 * commit. Unknown UIDs are ignored.
 *
 * Returns: %TRUE on success
 */
gboolean
mail_store_expunge_uids (MailStore      *self,
                         gint64          folder_id,
                         const guint32  *uids,
                         guint           n_uids,
                         GError        **error)
{
  UidRows rows = { folder_id, uids };

  g_return_val_if_fail (MAIL_IS_STORE (self), FALSE);

  return _mail_store_write_rows (self, "DELETE FROM messages WHERE folder_id = ? AND uid = ?",
                                 n_uids, bind_uid_row, &rows, error);
}

typedef struct
{
  guint32       add;
  guint32       remove;
  const gint64 *ids;
} ChangeRows;

static void
bind_change_row (MailStoreStmt *stmt,
                 guint          row,
                 gconstpointer  data)
{
  const ChangeRows *rows = data;

  sqlite3_bind_int64 (stmt, 1, rows->add);
  sqlite3_bind_int64 (stmt, 2, rows->remove);
  sqlite3_bind_int64 (stmt, 3, rows->ids[row]);
}

/**
 * mail_store_change_flags:
 * @self: a store
 * @ids: (array length=n_ids): messages
 * @n_ids: how many
 * @add: #MailMessageFlags to set
 * @remove: #MailMessageFlags to clear
 * @error: the error
 *
 * The local side of a user's flag change (read, unread, star). Queue the action in the
 * same transaction (mail_store_enqueue_action()).
 *
 * Returns: %TRUE on success
 */
gboolean
mail_store_change_flags (MailStore     *self,
                         const gint64  *ids,
                         guint          n_ids,
                         guint32        add,
                         guint32        remove,
                         GError       **error)
{
  ChangeRows rows = { add, remove, ids };

  g_return_val_if_fail (MAIL_IS_STORE (self), FALSE);

  return _mail_store_write_rows (self,
                                 "UPDATE messages SET flags = (flags | ?1) & ~?2"
                                 " WHERE id = ?3 AND flags != ((flags | ?1) & ~?2)",
                                 n_ids, bind_change_row, &rows, error);
}

typedef struct
{
  gint64        folder_id;
  const gint64 *ids;
} MoveRows;

static void
bind_move_row (MailStoreStmt *stmt,
               guint          row,
               gconstpointer  data)
{
  const MoveRows *rows = data;

  sqlite3_bind_int64 (stmt, 1, rows->folder_id);
  sqlite3_bind_int64 (stmt, 2, rows->ids[row]);
}

/**
 * mail_store_move_messages:
 * @self: a store
 * @ids: (array length=n_ids): messages
 * @n_ids: how many
 * @folder_id: the folder to move them to
 * @error: the error
 *
 * The local side of a move: the messages (with their bodies) go to @folder_id, without a
 * UID until the server reports the new one (COPYUID, or the next sync and
 * mail_store_set_message_uid()). Queue the action in the same transaction.
 *
 * Returns: %TRUE on success
 */
gboolean
mail_store_move_messages (MailStore     *self,
                          const gint64  *ids,
                          guint          n_ids,
                          gint64         folder_id,
                          GError       **error)
{
  MoveRows rows = { folder_id, ids };

  g_return_val_if_fail (MAIL_IS_STORE (self), FALSE);

  return _mail_store_write_rows (
    self, "UPDATE messages SET folder_id = ?1, uid = NULL WHERE id = ?2 AND folder_id != ?1",
    n_ids, bind_move_row, &rows, error);
}

/* A second name for a body file, for a copy, so that deleting either message leaves the
 * other's body. NULL when the file system cannot link (the copy's body is fetched again
 * when needed). */
static char *
link_body (MailStore  *self,
           const char *file_name)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *name = g_strconcat (uuid, ".eml", NULL);
  g_autofree char *from = _mail_store_body_path (self, file_name);
  g_autofree char *to = _mail_store_body_path (self, name);

  if (link (from, to) != 0)
    {
      g_debug ("Could not link %s to %s: %s", from, to, g_strerror (errno));
      return NULL;
    }

  return g_steal_pointer (&name);
}

/**
 * mail_store_copy_messages:
 * @self: a store
 * @ids: (array length=n_ids): messages
 * @n_ids: how many
 * @folder_id: the folder to copy them to
 * @new_ids: (element-type gint64) (nullable): where to append the copies' ids
 * @error: the error
 *
 * The local side of a copy: new messages in @folder_id, without a UID until the server
 * reports one. Queue the action in the same transaction.
 *
 * Returns: %TRUE on success
 */
gboolean
mail_store_copy_messages (MailStore     *self,
                          const gint64  *ids,
                          guint          n_ids,
                          gint64         folder_id,
                          GArray        *new_ids,
                          GError       **error)
{
  MailStoreDb *db;
  gboolean implicit;
  gboolean ok = TRUE;

  g_return_val_if_fail (MAIL_IS_STORE (self), FALSE);

  if (!_mail_store_write_enter (self, &implicit, error))
    return FALSE;
  db = self->writer;

  for (guint i = 0; ok && i < n_ids; i++)
    {
      g_autoptr (MailStoreStmt) body = _mail_store_db_prepare (
        db, "SELECT body_file, body_state FROM messages WHERE id = ?", error);
      g_autoptr (MailStoreStmt) copy = NULL;
      g_autofree char *file = NULL;
      char *text = NULL;
      int state = MAIL_STORE_BODY_NONE;
      gint64 new_id;
      int rc;

      ok = body != NULL;
      if (!ok)
        break;
      sqlite3_bind_int64 (body, 1, ids[i]);
      rc = _mail_store_db_step (db, body, error);
      if (rc == -1)
        {
          ok = FALSE;
          break;
        }
      if (rc == SQLITE_DONE)
        continue;
      if (sqlite3_column_type (body, 0) != SQLITE_NULL)
        {
          file = link_body (self, (const char *) sqlite3_column_text (body, 0));
          if (file != NULL)
            state = sqlite3_column_int (body, 1);
        }
      _mail_store_stmt_reset (body);

      copy = _mail_store_db_prepare (
        db,
        "INSERT INTO messages (folder_id, uid, flags, keywords, internal_date, date,"
        " sender_name, sender_address, recipients, cc, subject, size, message_id,"
        " in_reply_to, refs, thread_id, has_attachments, preview, body_state, body_file)"
        " SELECT ?1, NULL, flags, keywords, internal_date, date, sender_name,"
        "  sender_address, recipients, cc, subject, size, message_id, in_reply_to, refs,"
        "  thread_id, has_attachments, preview, ?2, ?3 FROM messages WHERE id = ?4",
        error);
      if (copy == NULL)
        {
          ok = FALSE;
          break;
        }
      sqlite3_bind_int64 (copy, 1, folder_id);
      sqlite3_bind_int (copy, 2, state);
      if (file != NULL)
        BIND_TEXT (copy, 3, file);
      sqlite3_bind_int64 (copy, 4, ids[i]);
      if (!_mail_store_db_run (db, copy, error))
        {
          ok = FALSE;
          break;
        }
      new_id = sqlite3_last_insert_rowid (db->handle);

      /* The copy is found by its text like the original. */
      ok = _mail_store_fts_dup_body (self, ids[i], &text, error) &&
           _mail_store_fts_queue (self, new_id, TRUE, text, error);
      if (ok && new_ids != NULL)
        g_array_append_val (new_ids, new_id);
    }

  return _mail_store_write_leave (self, implicit, ok, error);
}

/**
 * mail_store_delete_messages:
 * @self: a store
 * @ids: (array length=n_ids): messages
 * @n_ids: how many
 * @error: the error
 *
 * Removes messages from the store (the local side of an expunge in Trash; a delete to
 * Trash is a move). Their body files are deleted after the commit.
 *
 * Returns: %TRUE on success
 */
gboolean
mail_store_delete_messages (MailStore     *self,
                            const gint64  *ids,
                            guint          n_ids,
                            GError       **error)
{
  g_return_val_if_fail (MAIL_IS_STORE (self), FALSE);

  return _mail_store_write_rows (self, "DELETE FROM messages WHERE id = ?", n_ids,
                                 _mail_store_bind_ids, ids, error);
}

/**
 * mail_store_set_message_uid:
 * @self: a store
 * @id: a message without a UID (moved, copied or appended here)
 * @uid: the UID the server gave it (COPYUID, APPENDUID)
 * @error: the error (%MAIL_STORE_ERROR_INVALID when another message of the folder has
 *   that UID already: the sync found it first, and this row is the duplicate)
 *
 * Returns: %TRUE on success
 */
gboolean
mail_store_set_message_uid (MailStore  *self,
                            gint64      id,
                            guint32     uid,
                            GError    **error)
{
  gboolean implicit;
  gboolean ok = FALSE;

  g_return_val_if_fail (MAIL_IS_STORE (self), FALSE);

  if (!_mail_store_write_enter (self, &implicit, error))
    return FALSE;

  {
    g_autoptr (MailStoreStmt) stmt =
      _mail_store_db_prepare (self->writer, "UPDATE messages SET uid = ? WHERE id = ?", error);
    int rc;

    if (stmt != NULL)
      {
        sqlite3_bind_int64 (stmt, 1, uid);
        sqlite3_bind_int64 (stmt, 2, id);
        rc = sqlite3_step (stmt);
        _mail_store_stmt_reset (stmt);
        if ((rc & 0xff) == SQLITE_CONSTRAINT)
          g_set_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_INVALID,
                       "Another message of the folder has UID %u already", uid);
        else if (rc != SQLITE_DONE)
          _mail_store_db_set_error (self->writer, rc, error);
        else if (sqlite3_changes (self->writer->handle) == 0)
          g_set_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_NOT_FOUND,
                       "There is no message %" G_GINT64_FORMAT " in the mail store", id);
        else
          ok = TRUE;
      }
  }

  return _mail_store_write_leave (self, implicit, ok, error);
}

/* ------------------------------------------------------------------ reading */

/**
 * mail_store_get_message:
 * @self: a store
 * @id: a message
 * @error: the error (%MAIL_STORE_ERROR_NOT_FOUND)
 *
 * Returns: (transfer full): the message, or %NULL
 */
MailMessageSummary *
mail_store_get_message (MailStore  *self,
                        gint64      id,
                        GError    **error)
{
  MailMessageSummary *message = NULL;
  MailStoreDb *db;

  g_return_val_if_fail (MAIL_IS_STORE (self), NULL);

  db = _mail_store_acquire_reader (self, error);
  if (db == NULL)
    return NULL;

  {
    g_autoptr (MailStoreStmt) stmt = _mail_store_db_prepare (
      db, "SELECT " MAIL_STORE_MESSAGE_COLUMNS " FROM messages WHERE id = ?", error);
    int rc;

    if (stmt != NULL)
      {
        sqlite3_bind_int64 (stmt, 1, id);
        rc = _mail_store_db_step (db, stmt, error);
        if (rc == SQLITE_ROW)
          message = _mail_message_summary_new_from_stmt (stmt);
        else if (rc == SQLITE_DONE)
          g_set_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_NOT_FOUND,
                       "There is no message %" G_GINT64_FORMAT " in the mail store", id);
      }
  }

  _mail_store_release_reader (self, db);
  return message;
}

/**
 * mail_store_lookup_uid:
 * @self: a store
 * @folder_id: a folder
 * @uid: a UID
 * @id: (out): the message's id
 * @error: the error (%MAIL_STORE_ERROR_NOT_FOUND)
 *
 * Returns: %TRUE when the folder has a message with that UID
 */
gboolean
mail_store_lookup_uid (MailStore  *self,
                       gint64      folder_id,
                       guint32     uid,
                       gint64     *id,
                       GError    **error)
{
  MailStoreDb *db;
  gboolean found = FALSE;

  g_return_val_if_fail (MAIL_IS_STORE (self), FALSE);

  db = _mail_store_acquire_reader (self, error);
  if (db == NULL)
    return FALSE;

  {
    g_autoptr (MailStoreStmt) stmt = _mail_store_db_prepare (
      db, "SELECT id FROM messages WHERE folder_id = ? AND uid = ?", error);
    int rc;

    if (stmt != NULL)
      {
        sqlite3_bind_int64 (stmt, 1, folder_id);
        sqlite3_bind_int64 (stmt, 2, uid);
        rc = _mail_store_db_step (db, stmt, error);
        if (rc == SQLITE_ROW)
          {
            *id = sqlite3_column_int64 (stmt, 0);
            found = TRUE;
          }
        else if (rc == SQLITE_DONE)
          g_set_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_NOT_FOUND,
                       "The folder has no message with UID %u", uid);
      }
  }

  _mail_store_release_reader (self, db);
  return found;
}

/**
 * mail_store_lookup_message_id:
 * @self: a store
 * @folder_id: a folder, or 0 for all
 * @message_id: a Message-ID, without angle brackets
 * @error: the error
 *
 * The messages with this Message-ID (there may be several: the same message in two
 * folders, or two messages that share an ID). For the sync engine to recognise a message
 * it moved or appended offline (no UID yet) when the server did not say its new UID.
 *
 * Returns: (transfer full) (element-type gint64): their ids, oldest first
 */
GArray *
mail_store_lookup_message_id (MailStore   *self,
                              gint64       folder_id,
                              const char  *message_id,
                              GError     **error)
{
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  MailStoreDb *db;
  int rc = -1;

  g_return_val_if_fail (MAIL_IS_STORE (self), NULL);
  g_return_val_if_fail (message_id != NULL, NULL);

  db = _mail_store_acquire_reader (self, error);
  if (db == NULL)
    return NULL;

  {
    g_autoptr (MailStoreStmt) stmt = _mail_store_db_prepare (
      db,
      "SELECT id FROM messages WHERE message_id = ?1 AND (?2 = 0 OR folder_id = ?2) ORDER BY id",
      error);

    if (stmt != NULL)
      {
        BIND_TEXT (stmt, 1, message_id);
        sqlite3_bind_int64 (stmt, 2, folder_id);
        while ((rc = _mail_store_db_step (db, stmt, error)) == SQLITE_ROW)
          {
            gint64 id = sqlite3_column_int64 (stmt, 0);

            g_array_append_val (ids, id);
          }
      }
  }

  _mail_store_release_reader (self, db);
  return rc == SQLITE_DONE ? g_steal_pointer (&ids) : NULL;
}

/**
 * mail_store_list_uids:
 * @self: a store
 * @folder_id: a folder
 * @error: the error
 *
 * The UIDs stored for a folder, for a resync without QRESYNC to compare with the
 * server's (UID SEARCH) and expunge what it no longer has.
 *
 * Returns: (transfer full) (element-type guint32): the UIDs, ascending
 */
GArray *
mail_store_list_uids (MailStore  *self,
                      gint64      folder_id,
                      GError    **error)
{
  g_autoptr (GArray) uids = g_array_new (FALSE, FALSE, sizeof (guint32));
  MailStoreDb *db;
  int rc = -1;

  g_return_val_if_fail (MAIL_IS_STORE (self), NULL);

  db = _mail_store_acquire_reader (self, error);
  if (db == NULL)
    return NULL;

  {
    g_autoptr (MailStoreStmt) stmt = _mail_store_db_prepare (
      db, "SELECT uid FROM messages WHERE folder_id = ? AND uid IS NOT NULL ORDER BY uid", error);

    if (stmt != NULL)
      {
        sqlite3_bind_int64 (stmt, 1, folder_id);
        while ((rc = _mail_store_db_step (db, stmt, error)) == SQLITE_ROW)
          {
            guint32 uid = (guint32) sqlite3_column_int64 (stmt, 0);

            g_array_append_val (uids, uid);
          }
      }
  }

  _mail_store_release_reader (self, db);
  return rc == SQLITE_DONE ? g_steal_pointer (&uids) : NULL;
}

/**
 * mail_store_list_messages:
 * @self: a store
 * @folder_id: a folder
 * @offset: how many of the newest messages to skip
 * @limit: the most messages to return
 * @error: the error
 *
 * A page of a folder, newest first, for mail-tool (the views use #MailMessageList).
 *
 * Returns: (transfer full) (element-type MailMessageSummary): the messages
 */
GPtrArray *
mail_store_list_messages (MailStore  *self,
                          gint64      folder_id,
                          guint       offset,
                          guint       limit,
                          GError    **error)
{
  g_autoptr (GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  MailStoreDb *db;
  int rc = -1;

  g_return_val_if_fail (MAIL_IS_STORE (self), NULL);

  db = _mail_store_acquire_reader (self, error);
  if (db == NULL)
    return NULL;

  {
    g_autoptr (MailStoreStmt) stmt = _mail_store_db_prepare (
      db,
      "SELECT " MAIL_STORE_MESSAGE_COLUMNS " FROM messages WHERE folder_id = ?"
      " ORDER BY date DESC, id DESC LIMIT ? OFFSET ?",
      error);

    if (stmt != NULL)
      {
        sqlite3_bind_int64 (stmt, 1, folder_id);
        sqlite3_bind_int64 (stmt, 2, limit);
        sqlite3_bind_int64 (stmt, 3, offset);
        while ((rc = _mail_store_db_step (db, stmt, error)) == SQLITE_ROW)
          g_ptr_array_add (messages, _mail_message_summary_new_from_stmt (stmt));
      }
  }

  _mail_store_release_reader (self, db);
  return rc == SQLITE_DONE ? g_steal_pointer (&messages) : NULL;
}

/**
 * mail_store_list_missing_bodies:
 * @self: a store
 * @folder_id: a folder
 * @since: the oldest date wanted, in seconds since the epoch (the sync window)
 * @limit: the most ids to return
 * @error: the error
 *
 * The messages of a folder whose whole body is not stored yet, newest first: what a
 * body sync fetches next.
 *
 * Returns: (transfer full) (element-type gint64): their ids
 */
GArray *
mail_store_list_missing_bodies (MailStore  *self,
                                gint64      folder_id,
                                gint64      since,
                                guint       limit,
                                GError    **error)
{
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  MailStoreDb *db;
  int rc = -1;

  g_return_val_if_fail (MAIL_IS_STORE (self), NULL);

  db = _mail_store_acquire_reader (self, error);
  if (db == NULL)
    return NULL;

  {
    g_autoptr (MailStoreStmt) stmt = _mail_store_db_prepare (
      db,
      "SELECT id FROM messages WHERE folder_id = ?1 AND date >= ?2 AND body_state != ?3"
      " AND uid IS NOT NULL ORDER BY date DESC, id DESC LIMIT ?4",
      error);

    if (stmt != NULL)
      {
        sqlite3_bind_int64 (stmt, 1, folder_id);
        sqlite3_bind_int64 (stmt, 2, since);
        sqlite3_bind_int (stmt, 3, MAIL_STORE_BODY_COMPLETE);
        sqlite3_bind_int64 (stmt, 4, limit);
        while ((rc = _mail_store_db_step (db, stmt, error)) == SQLITE_ROW)
          {
            gint64 id = sqlite3_column_int64 (stmt, 0);

            g_array_append_val (ids, id);
          }
      }
  }

  _mail_store_release_reader (self, db);
  return rc == SQLITE_DONE ? g_steal_pointer (&ids) : NULL;
}
