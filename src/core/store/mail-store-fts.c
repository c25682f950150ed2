/* mail-store-fts.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The search index's writes, gathered per transaction and made together at its commit.
 *
 * FTS5 keeps what it is given in memory and writes it out as one new segment when told
 * to sync, which every statement that opens a savepoint does (any write to messages,
 * whose triggers need one). Written row by row between those statements, the index
 * would get one tiny segment per message and spend its time merging them: a batch of
 * 500 new messages, or 500 bodies, indexed in row order after the batch's other writes
 * makes one segment instead (three times faster here).
 *
 * So the writer queues, per message id, "add its row" (a new message or a copy) and
 * "its body text is now this", and _mail_store_fts_flush() runs them in ascending id
 * order just before COMMIT (or earlier, past PENDING_MAX bytes of text). A row is added
 * from what the messages table holds then, so a message deleted in the meantime gets
 * none. Deleting a message removes its row by trigger, and a header change updates it
 * by trigger: both are rare.
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "mail-store-private.h"

/* Flush before the queued body texts hold more than this. */
#define PENDING_MAX (16 * 1024 * 1024)

typedef struct
{
  gboolean  insert;
  char     *body;
} Pending;

static void
pending_free (gpointer data)
{
  Pending *pending = data;

  g_free (pending->body);
  g_free (pending);
}

/* Queues an index write for message @id in the writer's open transaction: adding its row
 * (@insert) and/or setting its body text (@body, taken). */
gboolean
_mail_store_fts_queue (MailStore  *self,
                       gint64      id,
                       gboolean    insert,
                       char       *body,
                       GError    **error)
{
  Pending *pending;

  if (self->fts_pending == NULL)
    self->fts_pending = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, pending_free);

  pending = g_hash_table_lookup (self->fts_pending, &id);
  if (pending == NULL)
    {
      pending = g_new0 (Pending, 1);
      g_hash_table_insert (self->fts_pending, g_memdup2 (&id, sizeof id), pending);
    }

  pending->insert = pending->insert || insert;
  if (body != NULL)
    {
      if (pending->body != NULL)
        self->fts_pending_bytes -= strlen (pending->body);
      g_free (pending->body);
      pending->body = body;
      self->fts_pending_bytes += strlen (body);
    }

  if (self->fts_pending_bytes > PENDING_MAX)
    return _mail_store_fts_flush (self, error);

  return TRUE;
}

/* The body text the index has (or will have at commit) for message @id. */
gboolean
_mail_store_fts_dup_body (MailStore  *self,
                          gint64      id,
                          char      **body,
                          GError    **error)
{
  Pending *pending = self->fts_pending != NULL ? g_hash_table_lookup (self->fts_pending, &id) : NULL;
  g_autoptr (MailStoreStmt) stmt = NULL;
  int rc;

  *body = NULL;
  if (pending != NULL && pending->body != NULL)
    {
      *body = g_strdup (pending->body);
      return TRUE;
    }

  stmt = _mail_store_db_prepare (self->writer, "SELECT body FROM messages_fts WHERE rowid = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = _mail_store_db_step (self->writer, stmt, error);
  if (rc == SQLITE_ROW)
    *body = g_strdup ((const char *) sqlite3_column_text (stmt, 0));

  return rc != -1;
}

static int
compare_ids (const void *a,
             const void *b)
{
  gint64 x = **(const gint64 **) a;
  gint64 y = **(const gint64 **) b;

  return x < y ? -1 : x > y;
}

/* Adds the row of message @id, from what the messages table holds now (nothing if it was
 * deleted). A single-row INSERT ... VALUES, so that FTS5 is not told to sync: an INSERT
 * ... SELECT would open a savepoint. */
static gboolean
insert_row (MailStore   *self,
            gint64       id,
            const char  *body,
            GError     **error)
{
  g_autoptr (MailStoreStmt) read = _mail_store_db_prepare (
    self->writer,
    "SELECT " MAIL_STORE_FTS_SENDER ("") ", " MAIL_STORE_FTS_RECIPIENTS ("") ", "
    MAIL_STORE_FTS_SUBJECT ("") " FROM messages WHERE id = ?",
    error);
  g_autoptr (MailStoreStmt) insert = NULL;
  int rc;

  if (read == NULL)
    return FALSE;
  sqlite3_bind_int64 (read, 1, id);
  rc = _mail_store_db_step (self->writer, read, error);
  if (rc != SQLITE_ROW)
    return rc != -1;

  insert = _mail_store_db_prepare (
    self->writer,
    "INSERT INTO messages_fts (rowid, sender, recipients, subject, body) VALUES (?, ?, ?, ?, ?)",
    error);
  if (insert == NULL)
    return FALSE;
  sqlite3_bind_int64 (insert, 1, id);
  for (int column = 0; column < 3; column++)
    sqlite3_bind_value (insert, column + 2, sqlite3_column_value (read, column));
  BIND_TEXT (insert, 5, body != NULL ? body : "");

  return _mail_store_db_run (self->writer, insert, error);
}

static gboolean
set_body (MailStore   *self,
          gint64       id,
          const char  *body,
          GError     **error)
{
  g_autoptr (MailStoreStmt) stmt =
    _mail_store_db_prepare (self->writer, "UPDATE messages_fts SET body = ? WHERE rowid = ?", error);

  if (stmt == NULL)
    return FALSE;
  BIND_TEXT (stmt, 1, body);
  sqlite3_bind_int64 (stmt, 2, id);

  return _mail_store_db_run (self->writer, stmt, error);
}

/* Makes the queued index writes, in id order. In the writer's transaction. */
gboolean
_mail_store_fts_flush (MailStore  *self,
                       GError    **error)
{
  g_autofree gpointer *ids = NULL;
  guint n = 0;
  gboolean ok = TRUE;

  if (self->fts_pending == NULL || g_hash_table_size (self->fts_pending) == 0)
    return TRUE;

  ids = g_hash_table_get_keys_as_array (self->fts_pending, &n);
  qsort (ids, n, sizeof (gpointer), compare_ids);

  for (guint i = 0; ok && i < n; i++)
    {
      gint64 id = *(gint64 *) ids[i];
      Pending *pending = g_hash_table_lookup (self->fts_pending, &id);

      if (pending->insert)
        ok = insert_row (self, id, pending->body, error);
      else if (pending->body != NULL)
        ok = set_body (self, id, pending->body, error);
    }

  _mail_store_fts_discard (self);
  return ok;
}

void
_mail_store_fts_discard (MailStore *self)
{
  if (self->fts_pending != NULL)
    g_hash_table_remove_all (self->fts_pending);
  self->fts_pending_bytes = 0;
}
