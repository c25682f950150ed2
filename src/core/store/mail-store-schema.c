/* mail-store-schema.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The database schema and its migrations.
 *
 * `PRAGMA user_version` is the schema version. migrations[i] takes a database from
 * version i to i + 1; all pending ones run in one IMMEDIATE transaction together with the
 * version bump, so a crash leaves the old version or the new one. To change the schema,
 * append a migration and raise MAIL_STORE_SCHEMA_VERSION; never edit a released one.
 * The POP3 and outbox tables (issue #11) will be version 2, e.g.
 *
 *   "CREATE TABLE pop3_uidls (uidl TEXT PRIMARY KEY, message INTEGER REFERENCES ..."
 *
 * A database whose version is higher than this build's was written by a newer Mail: it
 * is refused with MAIL_STORE_ERROR_TOO_NEW before anything is written to it (not even
 * the journal mode).
 *
 * What the triggers keep true, whoever writes (the app's engine or mail-tool):
 * - folders.total and folders.unread count the folder's messages (unread: neither \Seen
 *   nor \Deleted);
 * - messages_fts loses the row of a deleted message (its rows are added by the writer at
 *   commit, mail-store-fts.c, and its body column filled when the body is stored);
 * - every change a view shows is a row of `changes`, whose seq orders them: the models
 *   of other connections and other programs replay them to emit exact items-changed
 *   (mail-message-list.c). old_date/new_date are the row's date before and after in that
 *   folder, NULL when it was not or is no longer there; message 0 is a change to the
 *   folder itself;
 * - the body file of a deleted message, or a replaced one, is listed in orphan_bodies,
 *   removed from disk after the commit.
 */

#include "config.h"

#include "mail-store-private.h"

#define STR(x)  #x
#define XSTR(x) STR (x)

/* The unread mask: \Seen | \Deleted. */
#define UNREAD(row) "((" row ".flags & 9) = 0)"


static const char *const migrations[] = {
  /* 0 -> 1 */
  "PRAGMA application_id = " XSTR (MAIL_STORE_APPLICATION_ID) ";"

  "CREATE TABLE meta ("
  "  key   TEXT PRIMARY KEY,"
  "  value"
  ") WITHOUT ROWID;"
  "INSERT INTO meta (key, value) VALUES ('next_thread_id', 1), ('changes_pruned', 0);"

  "CREATE TABLE folders ("
  "  id            INTEGER PRIMARY KEY,"
  "  name          TEXT NOT NULL UNIQUE,"
  "  delimiter     TEXT,"
  "  role          INTEGER NOT NULL DEFAULT 0,"
  "  subscribed    INTEGER NOT NULL DEFAULT 0,"
  "  attributes    INTEGER NOT NULL DEFAULT 0,"
  "  uidvalidity   INTEGER NOT NULL DEFAULT 0,"
  "  uidnext       INTEGER NOT NULL DEFAULT 0,"
  "  highestmodseq INTEGER NOT NULL DEFAULT 0,"
  "  total         INTEGER NOT NULL DEFAULT 0,"
  "  unread        INTEGER NOT NULL DEFAULT 0"
  ");"

  /* uid is NULL while a message exists only here (moved, copied or appended, and not
   * yet confirmed by the server); UNIQUE lets any number of those be. */
  "CREATE TABLE messages ("
  "  id              INTEGER PRIMARY KEY,"
  "  folder_id       INTEGER NOT NULL REFERENCES folders (id) ON DELETE CASCADE,"
  "  uid             INTEGER,"
  "  flags           INTEGER NOT NULL DEFAULT 0,"
  "  keywords        TEXT,"
  "  modseq          INTEGER NOT NULL DEFAULT 0,"
  "  internal_date   INTEGER NOT NULL DEFAULT 0,"
  "  date            INTEGER NOT NULL,"
  "  sender_name     TEXT,"
  "  sender_address  TEXT,"
  "  recipients      TEXT,"
  "  cc              TEXT,"
  "  subject         TEXT,"
  "  size            INTEGER NOT NULL DEFAULT 0,"
  "  message_id      TEXT,"
  "  in_reply_to     TEXT,"
  "  refs            TEXT,"
  "  thread_id       INTEGER NOT NULL DEFAULT 0,"
  "  has_attachments INTEGER NOT NULL DEFAULT 0,"
  "  preview         TEXT,"
  "  body_state      INTEGER NOT NULL DEFAULT 0,"
  "  body_file       TEXT,"
  "  UNIQUE (folder_id, uid)"
  ");"
  "CREATE INDEX messages_by_date ON messages (folder_id, date DESC, id DESC);"
  "CREATE INDEX messages_by_thread ON messages (thread_id);"
  "CREATE INDEX messages_by_message_id ON messages (message_id) WHERE message_id IS NOT NULL;"

  /* Every Message-ID seen (a message's own, or one it refers to) and its thread. */
  "CREATE TABLE thread_ids ("
  "  message_id TEXT PRIMARY KEY,"
  "  thread_id  INTEGER NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE INDEX thread_ids_by_thread ON thread_ids (thread_id);"

  "CREATE VIRTUAL TABLE messages_fts USING fts5 ("
  "  sender, recipients, subject, body,"
  "  tokenize = 'unicode61 remove_diacritics 2'"
  ");"

  "CREATE TABLE changes ("
  "  seq       INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  folder_id INTEGER NOT NULL,"
  "  message   INTEGER NOT NULL,"
  "  old_date  INTEGER,"
  "  new_date  INTEGER"
  ");"

  "CREATE TABLE actions ("
  "  id         INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  kind       TEXT NOT NULL,"
  "  payload    TEXT NOT NULL DEFAULT '',"
  "  state      INTEGER NOT NULL DEFAULT 0,"
  "  attempts   INTEGER NOT NULL DEFAULT 0,"
  "  last_error TEXT,"
  "  created    INTEGER NOT NULL"
  ");"

  "CREATE TABLE quota ("
  "  root     TEXT NOT NULL,"
  "  resource TEXT NOT NULL,"
  "  used     INTEGER NOT NULL,"
  "  \"limit\" INTEGER NOT NULL,"
  "  updated  INTEGER NOT NULL,"
  "  PRIMARY KEY (root, resource)"
  ") WITHOUT ROWID;"

  "CREATE TABLE orphan_bodies ("
  "  file TEXT PRIMARY KEY"
  ") WITHOUT ROWID;"

  "CREATE TRIGGER messages_insert AFTER INSERT ON messages BEGIN"
  "  UPDATE folders SET total = total + 1, unread = unread + " UNREAD ("new")
  "   WHERE id = new.folder_id;"
  "  INSERT INTO changes (folder_id, message, new_date) VALUES (new.folder_id, new.id, new.date);"
  "END;"

  "CREATE TRIGGER messages_delete AFTER DELETE ON messages BEGIN"
  "  UPDATE folders SET total = total - 1, unread = unread - " UNREAD ("old")
  "   WHERE id = old.folder_id;"
  "  INSERT INTO changes (folder_id, message, old_date) VALUES (old.folder_id, old.id, old.date);"
  "  DELETE FROM messages_fts WHERE rowid = old.id;"
  "  INSERT OR IGNORE INTO orphan_bodies (file)"
  "   SELECT old.body_file WHERE old.body_file IS NOT NULL;"
  "END;"

  "CREATE TRIGGER messages_move AFTER UPDATE OF folder_id ON messages"
  " WHEN old.folder_id != new.folder_id BEGIN"
  "  UPDATE folders SET total = total - 1, unread = unread - " UNREAD ("old")
  "   WHERE id = old.folder_id;"
  "  UPDATE folders SET total = total + 1, unread = unread + " UNREAD ("new")
  "   WHERE id = new.folder_id;"
  "  INSERT INTO changes (folder_id, message, old_date) VALUES (old.folder_id, old.id, old.date);"
  "  INSERT INTO changes (folder_id, message, new_date) VALUES (new.folder_id, new.id, new.date);"
  "END;"

  "CREATE TRIGGER messages_update AFTER UPDATE ON messages"
  " WHEN old.folder_id = new.folder_id AND ("
  "   old.flags != new.flags OR old.date != new.date OR old.uid IS NOT new.uid OR"
  "   old.keywords IS NOT new.keywords OR old.sender_name IS NOT new.sender_name OR"
  "   old.sender_address IS NOT new.sender_address OR old.recipients IS NOT new.recipients OR"
  "   old.subject IS NOT new.subject OR old.preview IS NOT new.preview OR"
  "   old.has_attachments != new.has_attachments OR old.thread_id != new.thread_id OR"
  "   old.body_state != new.body_state OR old.size != new.size) BEGIN"
  "  UPDATE folders SET unread = unread - " UNREAD ("old") " + " UNREAD ("new")
  "   WHERE id = new.folder_id AND " UNREAD ("old") " != " UNREAD ("new") ";"
  "  INSERT INTO changes (folder_id, message, old_date, new_date)"
  "   VALUES (new.folder_id, new.id, old.date, new.date);"
  "END;"

  "CREATE TRIGGER messages_fts_update"
  " AFTER UPDATE OF sender_name, sender_address, recipients, cc, subject ON messages BEGIN"
  "  UPDATE messages_fts SET sender = " MAIL_STORE_FTS_SENDER ("new.") ","
  "   recipients = " MAIL_STORE_FTS_RECIPIENTS ("new.") ", subject = " MAIL_STORE_FTS_SUBJECT ("new.")
  "   WHERE rowid = new.id;"
  "END;"

  "CREATE TRIGGER messages_body_replaced AFTER UPDATE OF body_file ON messages"
  " WHEN old.body_file IS NOT NULL AND old.body_file IS NOT new.body_file BEGIN"
  "  INSERT OR IGNORE INTO orphan_bodies (file) VALUES (old.body_file);"
  "END;"

  "CREATE TRIGGER folders_insert AFTER INSERT ON folders BEGIN"
  "  INSERT INTO changes (folder_id, message) VALUES (new.id, 0);"
  "END;"
  "CREATE TRIGGER folders_delete AFTER DELETE ON folders BEGIN"
  "  INSERT INTO changes (folder_id, message) VALUES (old.id, 0);"
  "END;"
  "CREATE TRIGGER folders_update"
  " AFTER UPDATE OF name, delimiter, role, subscribed, attributes ON folders BEGIN"
  "  INSERT INTO changes (folder_id, message) VALUES (new.id, 0);"
  "END;",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == MAIL_STORE_SCHEMA_VERSION);

static gboolean
refuse_newer (const char  *path,
              gint64       version,
              GError     **error)
{
  g_set_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_TOO_NEW,
               "The mail store %s was written by a newer version of Mail (schema version "
               "%" G_GINT64_FORMAT "; this version reads up to %d). It was left untouched: "
               "update Mail to use it.",
               path, version, MAIL_STORE_SCHEMA_VERSION);
  return FALSE;
}

/* Checks that @db is a store this build can open, without writing to it. */
static gboolean
check (MailStoreDb  *db,
       const char   *path,
       gint64       *version,
       GError      **error)
{
  gint64 application_id = 0;
  gint64 n_tables = 0;

  if (!_mail_store_db_get_int (db, "PRAGMA user_version", version, error) ||
      !_mail_store_db_get_int (db, "PRAGMA application_id", &application_id, error))
    return FALSE;

  if (application_id != 0 && application_id != MAIL_STORE_APPLICATION_ID)
    {
      g_set_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_NOT_A_STORE,
                   "%s belongs to another application", path);
      return FALSE;
    }

  if (*version > MAIL_STORE_SCHEMA_VERSION)
    return refuse_newer (path, *version, error);

  if (*version == 0)
    {
      if (!_mail_store_db_get_int (db, "SELECT count(*) FROM sqlite_master", &n_tables, error))
        return FALSE;
      if (n_tables > 0)
        {
          g_set_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_NOT_A_STORE,
                       "%s is a database, but not a mail store", path);
          return FALSE;
        }
    }

  return TRUE;
}

/* Opens the store's schema on the writer connection: refuses a database from a newer
 * version or another application, switches to WAL and runs the pending migrations. */
gboolean
_mail_store_schema_migrate (MailStoreDb  *db,
                            const char   *path,
                            GError      **error)
{
  g_autoptr (MailStoreStmt) journal = NULL;
  gint64 version = 0;

  if (!check (db, path, &version, error))
    return FALSE;

  journal = _mail_store_db_prepare (db, "PRAGMA journal_mode = WAL", error);
  if (journal == NULL || _mail_store_db_step (db, journal, error) != SQLITE_ROW)
    return FALSE;
  if (g_ascii_strcasecmp ((const char *) sqlite3_column_text (journal, 0), "wal") != 0)
    {
      g_set_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_IO,
                   "The mail store %s cannot use a write-ahead log (the file system may not "
                   "support shared memory)", path);
      return FALSE;
    }
  _mail_store_stmt_reset (journal);

  if (version == MAIL_STORE_SCHEMA_VERSION)
    return TRUE;

  if (!_mail_store_db_exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;

  /* Another program may have migrated it while this one waited for the lock. */
  if (!_mail_store_db_get_int (db, "PRAGMA user_version", &version, error))
    goto fail;
  if (version > MAIL_STORE_SCHEMA_VERSION)
    {
      refuse_newer (path, version, error);
      goto fail;
    }

  for (gint64 v = version; v < MAIL_STORE_SCHEMA_VERSION; v++)
    {
      g_autofree char *bump = NULL;

      g_debug ("Migrating %s from schema version %" G_GINT64_FORMAT, path, v);
      if (!_mail_store_db_exec (db, migrations[v], error))
        goto fail;

      bump = g_strdup_printf ("PRAGMA user_version = %" G_GINT64_FORMAT, v + 1);
      if (!_mail_store_db_exec (db, bump, error))
        goto fail;
    }

  if (!_mail_store_db_exec (db, "COMMIT", error))
    goto fail;

  return TRUE;

fail:
  _mail_store_db_exec (db, "ROLLBACK", NULL);
  return FALSE;
}
