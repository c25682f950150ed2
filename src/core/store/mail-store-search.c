/* mail-store-search.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Full-text search over the FTS5 index (messages_fts: sender, recipients, subject and
 * the text of the stored bodies; unicode61 tokenizer without diacritics).
 *
 * What a user types is never handed to FTS5's query syntax as is: mail_store_build_match()
 * turns it into quoted terms, so that "C++", "O'Brien" or an unbalanced quote search for
 * what they say instead of failing. The results are local; messages whose bodies are not
 * stored are found by their headers only (the sync engine asks the server for the rest).
 */

#include "config.h"

#include <string.h>

#include "mail-store-private.h"

static const struct
{
  const char *prefix;
  const char *column;
} fields[] = {
  { "from:", "sender" },
  { "to:", "recipients" },
  { "cc:", "recipients" },
  { "subject:", "subject" },
  { "body:", "body" },
};

static gboolean
has_word_character (const char *text,
                    gsize       len)
{
  const char *end = text + len;

  for (const char *p = text; p < end; p = g_utf8_next_char (p))
    if (g_unichar_isalnum (g_utf8_get_char (p)))
      return TRUE;

  return FALSE;
}

static gboolean
is_word (const char *text,
         gsize       len)
{
  const char *end = text + len;

  for (const char *p = text; p < end; p = g_utf8_next_char (p))
    if (!g_unichar_isalnum (g_utf8_get_char (p)))
      return FALSE;

  return TRUE;
}

static void
append_term (GString    *match,
             const char *column,
             const char *text,
             gsize       len,
             gboolean    phrase)
{
  if (!has_word_character (text, len))
    return;

  if (match->len > 0)
    g_string_append_c (match, ' ');
  if (column != NULL)
    g_string_append_printf (match, "%s : ", column);

  g_string_append_c (match, '"');
  for (gsize i = 0; i < len; i++)
    {
      if (text[i] == '"')
        g_string_append_c (match, '"');
      g_string_append_c (match, text[i]);
    }
  g_string_append_c (match, '"');

  /* A word of three letters or digits or more also matches as a prefix (what is typed
   * into a search entry is often unfinished); shorter prefixes would match half the
   * index, and "C++" is a word, not the prefix "c". */
  if (!phrase && g_utf8_strlen (text, len) >= 3 && is_word (text, len))
    g_string_append_c (match, '*');
}

/**
 * mail_store_build_match:
 * @text: what the user typed: words, "quoted phrases", and words or phrases after
 *   from:, to:, cc:, subject: or body:
 *
 * Builds the FTS5 query for a search: every word must match (a word of three letters
 * or more also as a prefix), a phrase as a phrase.
 *
 * Returns: (transfer full) (nullable): the query, or %NULL when @text has no word
 */
char *
mail_store_build_match (const char *text)
{
  g_autoptr (GString) match = g_string_new (NULL);
  const char *p = text;

  g_return_val_if_fail (text != NULL, NULL);
  if (!g_utf8_validate (text, -1, NULL))
    return NULL;

  while (*p != '\0')
    {
      const char *column = NULL;
      const char *start;

      while (*p != '\0' && g_unichar_isspace (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (*p == '\0')
        break;

      for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
        if (g_ascii_strncasecmp (p, fields[i].prefix, strlen (fields[i].prefix)) == 0)
          {
            column = fields[i].column;
            p += strlen (fields[i].prefix);
            break;
          }

      if (*p == '"')
        {
          const char *close = strchr (p + 1, '"');
          const char *end = close != NULL ? close : p + strlen (p);

          append_term (match, column, p + 1, end - p - 1, TRUE);
          p = close != NULL ? close + 1 : end;
          continue;
        }

      start = p;
      while (*p != '\0' && !g_unichar_isspace (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      append_term (match, column, start, p - start, FALSE);
    }

  if (match->len == 0)
    return NULL;

  return g_string_free (g_steal_pointer (&match), FALSE);
}

/* The keys (date, id) of the messages matching @match, in list order. In a read
 * transaction, for a consistent snapshot with the change seq. */
gboolean
_mail_store_search_keys (MailStoreDb  *db,
                         const char   *match,
                         gint64        folder_id,
                         GArray      **keys,
                         GError      **error)
{
  g_autoptr (GArray) found = g_array_new (FALSE, FALSE, sizeof (MailStoreKey));
  g_autoptr (MailStoreStmt) stmt = NULL;
  int rc;

  if (folder_id > 0)
    stmt = _mail_store_db_prepare (
      db,
      "SELECT m.date, m.id FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid"
      " WHERE messages_fts MATCH ?1 AND m.folder_id = ?2 ORDER BY m.date DESC, m.id DESC",
      error);
  else
    stmt = _mail_store_db_prepare (
      db,
      "SELECT m.date, m.id FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid"
      " WHERE messages_fts MATCH ?1 ORDER BY m.date DESC, m.id DESC",
      error);
  if (stmt == NULL)
    return FALSE;

  BIND_TEXT (stmt, 1, match);
  if (folder_id > 0)
    sqlite3_bind_int64 (stmt, 2, folder_id);

  while ((rc = _mail_store_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      MailStoreKey key = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1) };

      g_array_append_val (found, key);
    }
  if (rc == -1)
    return FALSE;

  *keys = g_steal_pointer (&found);
  return TRUE;
}

/**
 * mail_store_search:
 * @self: a store
 * @text: what the user typed (see mail_store_build_match())
 * @folder_id: a folder to search, or 0 for all
 * @limit: the most results, or 0 for all
 * @error: the error (%MAIL_STORE_ERROR_INVALID when @text has no word)
 *
 * Searches the full-text index, for mail-tool and other callers off the UI thread (the
 * views use mail_message_list_new_search()).
 *
 * Returns: (transfer full) (element-type MailMessageSummary): the results, newest first
 */
GPtrArray *
mail_store_search (MailStore   *self,
                   const char  *text,
                   gint64       folder_id,
                   guint        limit,
                   GError     **error)
{
  g_autoptr (GPtrArray) results = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *match = NULL;
  MailStoreDb *db;
  int rc = -1;

  g_return_val_if_fail (MAIL_IS_STORE (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  match = mail_store_build_match (text);
  if (match == NULL)
    {
      g_set_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_INVALID,
                   "There is nothing to search for in “%s”", text);
      return NULL;
    }

  db = _mail_store_acquire_reader (self, error);
  if (db == NULL)
    return NULL;

  {
    g_autoptr (MailStoreStmt) stmt = _mail_store_db_prepare (
      db,
      "SELECT " MAIL_STORE_MESSAGE_COLUMNS_M " FROM messages_fts"
      " JOIN messages m ON m.id = messages_fts.rowid"
      " WHERE messages_fts MATCH ?1 AND (?2 = 0 OR m.folder_id = ?2)"
      " ORDER BY m.date DESC, m.id DESC LIMIT ?3",
      error);

    if (stmt != NULL)
      {
        BIND_TEXT (stmt, 1, match);
        sqlite3_bind_int64 (stmt, 2, folder_id);
        sqlite3_bind_int64 (stmt, 3, limit > 0 ? (gint64) limit : -1);
        while ((rc = _mail_store_db_step (db, stmt, error)) == SQLITE_ROW)
          g_ptr_array_add (results, _mail_message_summary_new_from_stmt (stmt));
      }
  }

  _mail_store_release_reader (self, db);
  return rc == SQLITE_DONE ? g_steal_pointer (&results) : NULL;
}
