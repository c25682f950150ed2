/* mail-store-folders.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Folders: their roles, the folder list as the server reports it, and each folder's
 * sync state (UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ). */

#include "config.h"

#include <string.h>

#include "mail-store-private.h"

static const struct
{
  const char     *attribute;
  MailFolderRole  role;
} special_uses[] = {
  { "\\Sent", MAIL_FOLDER_ROLE_SENT },
  { "\\Drafts", MAIL_FOLDER_ROLE_DRAFTS },
  { "\\Trash", MAIL_FOLDER_ROLE_TRASH },
  { "\\Junk", MAIL_FOLDER_ROLE_JUNK },
  { "\\Archive", MAIL_FOLDER_ROLE_ARCHIVE },
  { "\\All", MAIL_FOLDER_ROLE_ALL },
  { "\\Flagged", MAIL_FOLDER_ROLE_FLAGGED },
};

/**
 * mail_folder_role_from_special_use:
 * @attribute: a LIST attribute, such as "\Sent"
 *
 * Returns: the role a SPECIAL-USE attribute (RFC 6154) gives, or
 *   %MAIL_FOLDER_ROLE_NONE
 */
MailFolderRole
mail_folder_role_from_special_use (const char *attribute)
{
  for (guint i = 0; attribute != NULL && i < G_N_ELEMENTS (special_uses); i++)
    if (g_ascii_strcasecmp (attribute, special_uses[i].attribute) == 0)
      return special_uses[i].role;

  return MAIL_FOLDER_ROLE_NONE;
}

static const struct
{
  const char     *name;
  MailFolderRole  role;
} role_names[] = {
  { "Sent", MAIL_FOLDER_ROLE_SENT },
  { "Sent Items", MAIL_FOLDER_ROLE_SENT },
  { "Sent Messages", MAIL_FOLDER_ROLE_SENT },
  { "Sent Mail", MAIL_FOLDER_ROLE_SENT },
  { "Gesendet", MAIL_FOLDER_ROLE_SENT },
  { "Gesendete Elemente", MAIL_FOLDER_ROLE_SENT },
  { "Envoyés", MAIL_FOLDER_ROLE_SENT },
  { "Enviados", MAIL_FOLDER_ROLE_SENT },
  { "Drafts", MAIL_FOLDER_ROLE_DRAFTS },
  { "Draft", MAIL_FOLDER_ROLE_DRAFTS },
  { "Entwürfe", MAIL_FOLDER_ROLE_DRAFTS },
  { "Brouillons", MAIL_FOLDER_ROLE_DRAFTS },
  { "Borradores", MAIL_FOLDER_ROLE_DRAFTS },
  { "Trash", MAIL_FOLDER_ROLE_TRASH },
  { "Deleted Items", MAIL_FOLDER_ROLE_TRASH },
  { "Deleted Messages", MAIL_FOLDER_ROLE_TRASH },
  { "Bin", MAIL_FOLDER_ROLE_TRASH },
  { "Papierkorb", MAIL_FOLDER_ROLE_TRASH },
  { "Corbeille", MAIL_FOLDER_ROLE_TRASH },
  { "Papelera", MAIL_FOLDER_ROLE_TRASH },
  { "Junk", MAIL_FOLDER_ROLE_JUNK },
  { "Spam", MAIL_FOLDER_ROLE_JUNK },
  { "Junk E-mail", MAIL_FOLDER_ROLE_JUNK },
  { "Junk Email", MAIL_FOLDER_ROLE_JUNK },
  { "Bulk Mail", MAIL_FOLDER_ROLE_JUNK },
  { "Archive", MAIL_FOLDER_ROLE_ARCHIVE },
  { "Archives", MAIL_FOLDER_ROLE_ARCHIVE },
  { "All Mail", MAIL_FOLDER_ROLE_ALL },
  { "Starred", MAIL_FOLDER_ROLE_FLAGGED },
  { "Flagged", MAIL_FOLDER_ROLE_FLAGGED },
};

/**
 * mail_folder_role_guess:
 * @name: a folder's full name
 * @delimiter: (nullable): the hierarchy delimiter
 *
 * Guesses a folder's role from its name, for servers without SPECIAL-USE: "INBOX", and
 * the usual names of sent, drafts, trash, junk and archive folders at the top level or
 * just below the Inbox (Courier's "INBOX.Sent") or Gmail's "[Gmail]".
 *
 * Returns: the role, or %MAIL_FOLDER_ROLE_NONE
 */
MailFolderRole
mail_folder_role_guess (const char *name,
                        const char *delimiter)
{
  const char *leaf = name;

  if (name == NULL)
    return MAIL_FOLDER_ROLE_NONE;

  if (g_ascii_strcasecmp (name, "INBOX") == 0)
    return MAIL_FOLDER_ROLE_INBOX;

  if (delimiter != NULL && *delimiter != '\0')
    {
      const char *sep = strstr (name, delimiter);

      if (sep != NULL)
        {
          gsize parent_len = sep - name;

          leaf = sep + strlen (delimiter);
          if (strstr (leaf, delimiter) != NULL)
            return MAIL_FOLDER_ROLE_NONE;
          if (!(parent_len == 5 && g_ascii_strncasecmp (name, "INBOX", 5) == 0) &&
              !(parent_len == 7 && strncmp (name, "[Gmail]", 7) == 0) &&
              !(parent_len == 13 && strncmp (name, "[Google Mail]", 13) == 0))
            return MAIL_FOLDER_ROLE_NONE;
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    {
      g_autofree char *a = g_utf8_casefold (leaf, -1);
      g_autofree char *b = g_utf8_casefold (role_names[i].name, -1);

      if (g_strcmp0 (a, b) == 0)
        return role_names[i].role;
    }

  return MAIL_FOLDER_ROLE_NONE;
}

/**
 * mail_folder_role_to_string:
 * @role: a role
 *
 * Returns: the role's name, for mail-tool and logs ("inbox", "sent", ..., "" for none)
 */
const char *
mail_folder_role_to_string (MailFolderRole role)
{
  static const char *const names[] = {
    "", "inbox", "sent", "drafts", "trash", "junk", "archive", "all", "flagged",
  };

  return (guint) role < G_N_ELEMENTS (names) ? names[role] : "";
}

/**
 * mail_message_flags_from_keyword:
 * @keyword: a flag or keyword as IMAP sends it ("\Seen", "$Forwarded")
 *
 * Returns: its #MailMessageFlags bit, or 0 for a keyword kept as text
 */
guint32
mail_message_flags_from_keyword (const char *keyword)
{
  static const struct
  {
    const char *name;
    guint32     flag;
  } flags[] = {
    { "\\Seen", MAIL_MESSAGE_SEEN },         { "\\Answered", MAIL_MESSAGE_ANSWERED },
    { "\\Flagged", MAIL_MESSAGE_FLAGGED },   { "\\Deleted", MAIL_MESSAGE_DELETED },
    { "\\Draft", MAIL_MESSAGE_DRAFT },       { "$Forwarded", MAIL_MESSAGE_FORWARDED },
    { "$Junk", MAIL_MESSAGE_JUNK },          { "$NotJunk", MAIL_MESSAGE_NOT_JUNK },
  };

  for (guint i = 0; keyword != NULL && i < G_N_ELEMENTS (flags); i++)
    if (g_ascii_strcasecmp (keyword, flags[i].name) == 0)
      return flags[i].flag;

  return 0;
}

/* ------------------------------------------------------------------ writing */

/**
 * mail_store_upsert_folder:
 * @self: a store
 * @info: the folder as the server lists it
 * @folder_id: (out) (optional): the folder's id
 * @error: the error
 *
 * Adds a folder, or updates the one of that name (its delimiter, role, subscription and
 * attributes; its messages and sync state stay).
 *
 * Returns: %TRUE on success
 */
gboolean
mail_store_upsert_folder (MailStore                  *self,
                          const MailStoreFolderInfo  *info,
                          gint64                     *folder_id,
                          GError                    **error)
{
  gboolean implicit;
  gboolean ok = FALSE;

  g_return_val_if_fail (MAIL_IS_STORE (self), FALSE);
  g_return_val_if_fail (info != NULL && info->name != NULL, FALSE);

  if (!_mail_store_write_enter (self, &implicit, error))
    return FALSE;

  {
    g_autoptr (MailStoreStmt) upsert = _mail_store_db_prepare (
      self->writer,
      "INSERT INTO folders (name, delimiter, role, subscribed, attributes)"
      " VALUES (?1, ?2, ?3, ?4, ?5)"
      " ON CONFLICT (name) DO UPDATE SET delimiter = ?2, role = ?3, subscribed = ?4,"
      "  attributes = ?5"
      " WHERE delimiter IS NOT ?2 OR role != ?3 OR subscribed != ?4 OR attributes != ?5",
      error);
    g_autoptr (MailStoreStmt) lookup = NULL;

    if (upsert == NULL)
      goto out;

    BIND_TEXT (upsert, 1, info->name);
    if (info->delimiter != NULL)
      BIND_TEXT (upsert, 2, info->delimiter);
    sqlite3_bind_int (upsert, 3, info->role);
    sqlite3_bind_int (upsert, 4, info->subscribed ? 1 : 0);
    sqlite3_bind_int (upsert, 5, (int) info->attributes);
    if (!_mail_store_db_run (self->writer, upsert, error))
      goto out;

    lookup = _mail_store_db_prepare (self->writer, "SELECT id FROM folders WHERE name = ?",
                                     error);
    if (lookup == NULL)
      goto out;
    BIND_TEXT (lookup, 1, info->name);
    if (_mail_store_db_step (self->writer, lookup, error) != SQLITE_ROW)
      goto out;
    if (folder_id != NULL)
      *folder_id = sqlite3_column_int64 (lookup, 0);
    ok = TRUE;
  }

out:
  return _mail_store_write_leave (self, implicit, ok, error);
}

static gboolean
not_found (GError     **error,
           const char  *what,
           gint64       id)
{
  g_set_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_NOT_FOUND,
               "There is no %s %" G_GINT64_FORMAT " in the mail store", what, id);
  return FALSE;
}

/**
 * mail_store_rename_folder:
 * @self: a store
 * @folder_id: a folder
 * @name: its new full name
 * @error: the error (%MAIL_STORE_ERROR_INVALID when the name is taken)
 *
 * Renames a folder and its subfolders, as IMAP RENAME does. Its messages stay.
 *
 * Returns: %TRUE on success
 */
gboolean
mail_store_rename_folder (MailStore   *self,
                          gint64       folder_id,
                          const char  *name,
                          GError     **error)
{
  gboolean implicit;
  gboolean ok = FALSE;
  g_autofree char *old_name = NULL;
  g_autofree char *delimiter = NULL;

  g_return_val_if_fail (MAIL_IS_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (!_mail_store_write_enter (self, &implicit, error))
    return FALSE;

  {
    g_autoptr (MailStoreStmt) get = _mail_store_db_prepare (
      self->writer, "SELECT name, delimiter FROM folders WHERE id = ?", error);
    g_autoptr (MailStoreStmt) taken = NULL;
    g_autoptr (MailStoreStmt) rename = NULL;
    int rc;

    if (get == NULL)
      goto out;
    sqlite3_bind_int64 (get, 1, folder_id);
    rc = _mail_store_db_step (self->writer, get, error);
    if (rc == -1)
      goto out;
    if (rc == SQLITE_DONE)
      {
        not_found (error, "folder", folder_id);
        goto out;
      }
    old_name = g_strdup ((const char *) sqlite3_column_text (get, 0));
    delimiter = g_strdup ((const char *) sqlite3_column_text (get, 1));

    taken = _mail_store_db_prepare (self->writer,
                                    "SELECT EXISTS (SELECT 1 FROM folders WHERE name = ?)", error);
    if (taken == NULL)
      goto out;
    BIND_TEXT (taken, 1, name);
    if (_mail_store_db_step (self->writer, taken, error) != SQLITE_ROW)
      goto out;
    if (sqlite3_column_int (taken, 0) != 0 && g_strcmp0 (name, old_name) != 0)
      {
        g_set_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_INVALID,
                     "A folder named “%s” exists already", name);
        goto out;
      }

    /* The folder, and each subfolder "old<delimiter>..." as "new<delimiter>...". */
    rename = _mail_store_db_prepare (
      self->writer,
      "UPDATE folders SET name = ?1 || substr (name, length (?2) + 1)"
      " WHERE id = ?3 OR (?4 IS NOT NULL AND substr (name, 1, length (?2) + length (?4)) = ?2 || ?4)",
      error);
    if (rename == NULL)
      goto out;
    BIND_TEXT (rename, 1, name);
    BIND_TEXT (rename, 2, old_name);
    sqlite3_bind_int64 (rename, 3, folder_id);
    if (delimiter != NULL && *delimiter != '\0')
      BIND_TEXT (rename, 4, delimiter);
    ok = _mail_store_db_run (self->writer, rename, error);
  }

out:
  return _mail_store_write_leave (self, implicit, ok, error);
}

/**
 * mail_store_delete_folder:
 * @self: a store
 * @folder_id: a folder
 * @error: the error
 *
 * Removes a folder and its messages (their body files are deleted after the commit).
 * Queued actions stay.
 *
 * Returns: %TRUE on success (also when the folder was gone already)
 */
gboolean
mail_store_delete_folder (MailStore  *self,
                          gint64      folder_id,
                          GError    **error)
{
  g_return_val_if_fail (MAIL_IS_STORE (self), FALSE);

  return _mail_store_write_rows (self, "DELETE FROM folders WHERE id = ?", 1,
                                 _mail_store_bind_ids, &folder_id, error);
}

/**
 * mail_store_set_folder_state:
 * @self: a store
 * @folder_id: a folder
 * @state: its sync state after a sync
 * @error: the error
 *
 * Records how far a folder is synced. Write it in the transaction of the last batch it
 * covers, so that a crash never records more than what was stored.
 *
 * Returns: %TRUE on success
 */
gboolean
mail_store_set_folder_state (MailStore                   *self,
                             gint64                       folder_id,
                             const MailStoreFolderState  *state,
                             GError                     **error)
{
  gboolean implicit;
  gboolean ok = FALSE;

  g_return_val_if_fail (MAIL_IS_STORE (self), FALSE);
  g_return_val_if_fail (state != NULL, FALSE);

  if (!_mail_store_write_enter (self, &implicit, error))
    return FALSE;

  {
    g_autoptr (MailStoreStmt) stmt = _mail_store_db_prepare (
      self->writer,
      "UPDATE folders SET uidvalidity = ?, uidnext = ?, highestmodseq = ? WHERE id = ?", error);

    if (stmt == NULL)
      goto out;
    sqlite3_bind_int64 (stmt, 1, state->uidvalidity);
    sqlite3_bind_int64 (stmt, 2, state->uidnext);
    sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) state->highestmodseq);
    sqlite3_bind_int64 (stmt, 4, folder_id);
    if (!_mail_store_db_run (self->writer, stmt, error))
      goto out;
    ok = sqlite3_changes (self->writer->handle) > 0 || not_found (error, "folder", folder_id);
  }

out:
  return _mail_store_write_leave (self, implicit, ok, error);
}

/**
 * mail_store_reset_folder:
 * @self: a store
 * @folder_id: a folder
 * @uidvalidity: the folder's new UIDVALIDITY
 * @error: the error
 *
 * Forgets every message of a folder that the server knew by UID, because the server
 * changed the folder's UIDVALIDITY: the folder is then fetched again. What exists only
 * here stays: the queued actions, and the messages without a UID yet (moved, copied or
 * appended offline). The sync state is reset to @uidvalidity with no UIDNEXT or
 * HIGHESTMODSEQ.
 *
 * Returns: %TRUE on success
 */
gboolean
mail_store_reset_folder (MailStore  *self,
                         gint64      folder_id,
                         guint32     uidvalidity,
                         GError    **error)
{
  gboolean implicit;
  gboolean ok = FALSE;

  g_return_val_if_fail (MAIL_IS_STORE (self), FALSE);

  if (!_mail_store_write_enter (self, &implicit, error))
    return FALSE;

  {
    g_autoptr (MailStoreStmt) forget = _mail_store_db_prepare (
      self->writer, "DELETE FROM messages WHERE folder_id = ? AND uid IS NOT NULL", error);
    MailStoreFolderState state = { uidvalidity, 0, 0 };

    if (forget == NULL)
      goto out;
    sqlite3_bind_int64 (forget, 1, folder_id);
    ok = _mail_store_db_run (self->writer, forget, error) &&
         mail_store_set_folder_state (self, folder_id, &state, error);
  }

out:
  return _mail_store_write_leave (self, implicit, ok, error);
}

/* ------------------------------------------------------------------ reading */

/**
 * mail_store_list_folders:
 * @self: a store
 * @error: the error
 *
 * Returns: (transfer full) (element-type MailFolderSummary): the folders, Inbox and the
 *   other special folders first, then by name
 */
GPtrArray *
mail_store_list_folders (MailStore  *self,
                         GError    **error)
{
  g_autoptr (GPtrArray) folders = g_ptr_array_new_with_free_func (g_object_unref);
  MailStoreDb *db;
  gboolean ok = TRUE;

  g_return_val_if_fail (MAIL_IS_STORE (self), NULL);

  db = _mail_store_acquire_reader (self, error);
  if (db == NULL)
    return NULL;

  {
    g_autoptr (MailStoreStmt) stmt = _mail_store_db_prepare (
      db,
      "SELECT " MAIL_STORE_FOLDER_COLUMNS " FROM folders"
      " ORDER BY CASE role WHEN 1 THEN 0 WHEN 3 THEN 1 WHEN 2 THEN 2 WHEN 6 THEN 3"
      "  WHEN 5 THEN 4 WHEN 4 THEN 5 WHEN 7 THEN 6 WHEN 8 THEN 7 ELSE 8 END,"
      "  name COLLATE NOCASE, name",
      error);
    int rc = -1;

    while (stmt != NULL && (rc = _mail_store_db_step (db, stmt, error)) == SQLITE_ROW)
      g_ptr_array_add (folders, _mail_folder_summary_new_from_stmt (stmt));
    ok = rc == SQLITE_DONE;
  }

  _mail_store_release_reader (self, db);

  return ok ? g_steal_pointer (&folders) : NULL;
}

/**
 * mail_store_get_folder:
 * @self: a store
 * @folder_id: a folder
 * @error: the error (%MAIL_STORE_ERROR_NOT_FOUND)
 *
 * Returns: (transfer full): the folder, or %NULL
 */
MailFolderSummary *
mail_store_get_folder (MailStore  *self,
                       gint64      folder_id,
                       GError    **error)
{
  MailFolderSummary *folder = NULL;
  MailStoreDb *db;

  g_return_val_if_fail (MAIL_IS_STORE (self), NULL);

  db = _mail_store_acquire_reader (self, error);
  if (db == NULL)
    return NULL;

  {
    g_autoptr (MailStoreStmt) stmt = _mail_store_db_prepare (
      db, "SELECT " MAIL_STORE_FOLDER_COLUMNS " FROM folders WHERE id = ?", error);
    int rc;

    if (stmt != NULL)
      {
        sqlite3_bind_int64 (stmt, 1, folder_id);
        rc = _mail_store_db_step (db, stmt, error);
        if (rc == SQLITE_ROW)
          folder = _mail_folder_summary_new_from_stmt (stmt);
        else if (rc == SQLITE_DONE)
          not_found (error, "folder", folder_id);
      }
  }

  _mail_store_release_reader (self, db);
  return folder;
}

/**
 * mail_store_lookup_folder:
 * @self: a store
 * @name: a folder's full name
 * @folder_id: (out): its id
 * @error: the error (%MAIL_STORE_ERROR_NOT_FOUND)
 *
 * Returns: %TRUE when the folder exists
 */
gboolean
mail_store_lookup_folder (MailStore   *self,
                          const char  *name,
                          gint64      *folder_id,
                          GError     **error)
{
  MailStoreDb *db;
  gboolean found = FALSE;

  g_return_val_if_fail (MAIL_IS_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  db = _mail_store_acquire_reader (self, error);
  if (db == NULL)
    return FALSE;

  {
    g_autoptr (MailStoreStmt) stmt =
      _mail_store_db_prepare (db, "SELECT id FROM folders WHERE name = ?", error);
    int rc;

    if (stmt != NULL)
      {
        BIND_TEXT (stmt, 1, name);
        rc = _mail_store_db_step (db, stmt, error);
        if (rc == SQLITE_ROW)
          {
            *folder_id = sqlite3_column_int64 (stmt, 0);
            found = TRUE;
          }
        else if (rc == SQLITE_DONE)
          g_set_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_NOT_FOUND,
                       "There is no folder “%s” in the mail store", name);
      }
  }

  _mail_store_release_reader (self, db);
  return found;
}

/**
 * mail_store_get_folder_state:
 * @self: a store
 * @folder_id: a folder
 * @state: (out caller-allocates): its sync state
 * @error: the error (%MAIL_STORE_ERROR_NOT_FOUND)
 *
 * Returns: %TRUE when the folder exists
 */
gboolean
mail_store_get_folder_state (MailStore             *self,
                             gint64                 folder_id,
                             MailStoreFolderState  *state,
                             GError               **error)
{
  MailStoreDb *db;
  gboolean found = FALSE;

  g_return_val_if_fail (MAIL_IS_STORE (self), FALSE);
  g_return_val_if_fail (state != NULL, FALSE);

  db = _mail_store_acquire_reader (self, error);
  if (db == NULL)
    return FALSE;

  {
    g_autoptr (MailStoreStmt) stmt = _mail_store_db_prepare (
      db, "SELECT uidvalidity, uidnext, highestmodseq FROM folders WHERE id = ?", error);
    int rc;

    if (stmt != NULL)
      {
        sqlite3_bind_int64 (stmt, 1, folder_id);
        rc = _mail_store_db_step (db, stmt, error);
        if (rc == SQLITE_ROW)
          {
            state->uidvalidity = (guint32) sqlite3_column_int64 (stmt, 0);
            state->uidnext = (guint32) sqlite3_column_int64 (stmt, 1);
            state->highestmodseq = (guint64) sqlite3_column_int64 (stmt, 2);
            found = TRUE;
          }
        else if (rc == SQLITE_DONE)
          not_found (error, "folder", folder_id);
      }
  }

  _mail_store_release_reader (self, db);
  return found;
}
