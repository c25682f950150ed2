/* mail-store-db.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* One SQLite connection: its settings, its cache of prepared statements, the busy
 * handler that waits for another program and says so, and SQLite's result codes turned
 * into MAIL_STORE_ERROR with a message a user can act on.
 *
 * Connections are opened in SQLite's multi-thread mode (SQLITE_OPEN_NOMUTEX): each is
 * used by one thread at a time, which the store guarantees (see mail-store-private.h).
 */

#include "config.h"

#include "mail-store-private.h"

static int
busy_handler (void *data,
              int   count)
{
  MailStoreDb *db = data;
  gint64 now = g_get_monotonic_time ();
  gint64 waited;

  if (count == 0)
    {
      db->busy_since = now;
      db->busy_reported = FALSE;
    }

  waited = (now - db->busy_since) / 1000;
  if (waited >= g_atomic_int_get (db->busy_timeout_ms))
    return 0;

  if (!db->busy_reported && waited >= MAIL_STORE_BUSY_NOTICE_MS)
    {
      g_message ("Waiting for the mail store %s: another program (Mail or mail-tool) is "
                 "writing to it", db->path);
      db->busy_reported = TRUE;
    }

  g_usleep (count < 10 ? 1000 * (count + 1) : 20000);
  return 1;
}

void
_mail_store_db_set_error (MailStoreDb  *db,
                          int           rc,
                          GError      **error)
{
  const char *detail = db != NULL && db->handle != NULL ? sqlite3_errmsg (db->handle) : sqlite3_errstr (rc);
  const char *path = db != NULL ? db->path : "";

  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_BUSY,
                   "The mail store %s is busy: another program (Mail or mail-tool) kept it "
                   "locked for more than %d seconds. Try again once it has finished.",
                   path, db != NULL ? g_atomic_int_get (db->busy_timeout_ms) / 1000 : 5);
      break;
    case SQLITE_FULL:
      g_set_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_FULL,
                   "The disk holding the mail store %s is full", path);
      break;
    case SQLITE_CORRUPT:
      g_set_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_CORRUPT,
                   "The mail store %s is damaged (%s)", path, detail);
      break;
    case SQLITE_NOTADB:
      g_set_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_NOT_A_STORE,
                   "%s is not a mail store database", path);
      break;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_AUTH:
      g_set_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_IO,
                   "Could not read or write the mail store %s: %s", path, detail);
      break;
    default:
      g_set_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_FAILED,
                   "The mail store %s reported an error: %s", path, detail);
      break;
    }
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

/* Opens a connection to the database at @path (created if missing, for the writer),
 * with the settings every connection shares. Does not change the file: the journal
 * mode and the schema are the writer's business once the version is known. */
MailStoreDb *
_mail_store_db_open (const char  *path,
                     const gint  *busy_timeout_ms,
                     gboolean     reader,
                     GError     **error)
{
  MailStoreDb *db = g_new0 (MailStoreDb, 1);
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  int rc;

  if (!reader)
    flags |= SQLITE_OPEN_CREATE;

  db->path = g_strdup (path);
  db->busy_timeout_ms = busy_timeout_ms;
  db->statements = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                          finalize_statement);

  rc = sqlite3_open_v2 (path, &db->handle, flags, NULL);
  if (rc != SQLITE_OK)
    {
      _mail_store_db_set_error (db, rc, error);
      _mail_store_db_close (db);
      return NULL;
    }

  sqlite3_extended_result_codes (db->handle, TRUE);
  sqlite3_busy_handler (db->handle, busy_handler, db);

  /* Page caches: 8 MiB for the writer, whose batches touch the indexes all over (more
   * buys nothing measurable at 100 000 messages and keeps memory flat), 4 MiB for the
   * readers' small reads. */
  if (!_mail_store_db_exec (db, "PRAGMA foreign_keys = ON", error) ||
      !_mail_store_db_exec (db, "PRAGMA temp_store = MEMORY", error) ||
      !_mail_store_db_exec (db, reader ? "PRAGMA cache_size = -4096" : "PRAGMA cache_size = -8192",
                            error) ||
      (reader && !_mail_store_db_exec (db, "PRAGMA query_only = ON", error)))
    {
      _mail_store_db_close (db);
      return NULL;
    }

  return db;
}

void
_mail_store_db_close (MailStoreDb *db)
{
  if (db == NULL)
    return;

  g_hash_table_destroy (db->statements);
  if (db->handle != NULL)
    sqlite3_close (db->handle);
  g_free (db->path);
  g_free (db);
}

/* Returns the statement for @sql, which must be a string constant: statements are
 * cached by address. The statement is reset with its bindings cleared; reset it again
 * (g_autoptr (MailStoreStmt)) once done, so that it holds no read transaction open. */
MailStoreStmt *
_mail_store_db_prepare (MailStoreDb  *db,
                        const char   *sql,
                        GError      **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (db->statements, sql);
  int rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (db->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _mail_store_db_set_error (db, rc, error);
      return NULL;
    }

  g_hash_table_insert (db->statements, (gpointer) sql, stmt);
  return stmt;
}

void
_mail_store_stmt_reset (MailStoreStmt *stmt)
{
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
    }
}

gboolean
_mail_store_db_exec (MailStoreDb  *db,
                     const char   *sql,
                     GError      **error)
{
  char *message = NULL;
  int rc = sqlite3_exec (db->handle, sql, NULL, NULL, &message);

  sqlite3_free (message);
  if (rc != SQLITE_OK)
    {
      _mail_store_db_set_error (db, rc, error);
      return FALSE;
    }

  return TRUE;
}

/* Steps @stmt: SQLITE_ROW or SQLITE_DONE, or -1 with @error set. */
int
_mail_store_db_step (MailStoreDb   *db,
                     MailStoreStmt *stmt,
                     GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return rc;

  _mail_store_db_set_error (db, rc, error);
  sqlite3_reset (stmt);
  return -1;
}

/* Runs a statement that returns no rows, and resets it. */
gboolean
_mail_store_db_run (MailStoreDb   *db,
                    MailStoreStmt *stmt,
                    GError       **error)
{
  int rc = _mail_store_db_step (db, stmt, error);

  _mail_store_stmt_reset (stmt);
  return rc != -1;
}

/* Runs @sql (a constant that returns no rows) once per row: @bind binds row 0 to
 * @n_rows - 1 of @data, and the statement is reset with its bindings cleared between
 * rows. Stops at the first error. Prepares nothing when @n_rows is 0. */
gboolean
_mail_store_db_run_rows (MailStoreDb       *db,
                         const char        *sql,
                         guint              n_rows,
                         MailStoreBindFunc  bind,
                         gconstpointer      data,
                         GError           **error)
{
  g_autoptr (MailStoreStmt) stmt = NULL;

  if (n_rows == 0)
    return TRUE;

  stmt = _mail_store_db_prepare (db, sql, error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < n_rows; i++)
    {
      bind (stmt, i, data);
      if (!_mail_store_db_run (db, stmt, error))
        return FALSE;
    }

  return TRUE;
}

/* A MailStoreBindFunc for an array of gint64 ids: binds the row's id to ?1. */
void
_mail_store_bind_ids (MailStoreStmt *stmt,
                      guint          row,
                      gconstpointer  data)
{
  const gint64 *ids = data;

  sqlite3_bind_int64 (stmt, 1, ids[row]);
}

/* The integer in the first column of the first row of @sql (a constant), or 0 when it
 * returns no row. */
gboolean
_mail_store_db_get_int (MailStoreDb  *db,
                        const char   *sql,
                        gint64       *value,
                        GError      **error)
{
  g_autoptr (MailStoreStmt) stmt = _mail_store_db_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  rc = _mail_store_db_step (db, stmt, error);
  if (rc == -1)
    return FALSE;

  *value = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  return TRUE;
}

/* A read transaction: every query until the matching _end_read() sees the same
 * snapshot of the database. Nests. */
gboolean
_mail_store_db_begin_read (MailStoreDb  *db,
                           GError      **error)
{
  if (db->read_depth++ > 0)
    return TRUE;

  if (!_mail_store_db_exec (db, "BEGIN", error))
    {
      db->read_depth--;
      return FALSE;
    }

  return TRUE;
}

void
_mail_store_db_end_read (MailStoreDb *db)
{
  g_return_if_fail (db->read_depth > 0);

  if (--db->read_depth > 0)
    return;

  if (sqlite3_get_autocommit (db->handle) == 0)
    _mail_store_db_exec (db, "COMMIT", NULL);
}

/* The sequence number of the last change recorded (the `changes` table), which names
 * the snapshot a reader sees. */
gboolean
_mail_store_db_get_seq (MailStoreDb  *db,
                        gint64       *seq,
                        GError      **error)
{
  return _mail_store_db_get_int (db, "SELECT seq FROM sqlite_sequence WHERE name = 'changes'",
                                 seq, error);
}
