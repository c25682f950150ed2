/* mail-store-actions.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The offline action queue and the quota figures.
 *
 * A user's action is applied to the store and queued in one transaction (begun with
 * MAIL_STORE_DURABILITY_DURABLE, as the user expects it kept):
 *
 *   mail_store_begin (store, MAIL_STORE_DURABILITY_DURABLE, &error);
 *   mail_store_change_flags (store, ids, n, MAIL_MESSAGE_SEEN, 0, &error);
 *   mail_store_enqueue_action (store, MAIL_STORE_ACTION_FLAG, payload, &error);
 *   mail_store_commit (store, &error);
 *
 * The sync engine replays pending actions in id order and completes each once the
 * server did it; a temporary failure leaves it pending with its attempts counted, a
 * permanent one marks it failed until the engine rolled the store back and told the
 * user. What the payload holds (UIDs, Message-IDs to find the messages again after a
 * UIDVALIDITY change, folder names) is the engine's format.
 */

#include "config.h"

#include <string.h>

#include "mail-store-private.h"

static const char *const action_names[] = {
  "flag", "unflag", "move", "copy", "delete", "expunge", "create-folder", "rename-folder",
  "delete-folder", "append",
};

G_STATIC_ASSERT (G_N_ELEMENTS (action_names) == MAIL_STORE_ACTION_APPEND + 1);

/**
 * mail_store_action_kind_to_string:
 * @kind: an action kind
 *
 * Returns: the kind's name as stored ("flag", "move", "create-folder", ...)
 */
const char *
mail_store_action_kind_to_string (MailStoreActionKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (action_names), "");

  return action_names[kind];
}

/**
 * mail_store_action_kind_from_string:
 * @name: a kind's name
 * @kind: (out): the kind
 *
 * Returns: %TRUE when @name names a kind
 */
gboolean
mail_store_action_kind_from_string (const char          *name,
                                    MailStoreActionKind *kind)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (action_names); i++)
    if (strcmp (name, action_names[i]) == 0)
      {
        *kind = (MailStoreActionKind) i;
        return TRUE;
      }

  return FALSE;
}

/**
 * mail_store_action_free:
 * @action: (nullable): an action
 */
void
mail_store_action_free (MailStoreAction *action)
{
  if (action == NULL)
    return;

  g_free (action->payload);
  g_free (action->last_error);
  g_free (action);
}

/**
 * mail_store_quota_free:
 * @quota: (nullable): a quota figure
 */
void
mail_store_quota_free (MailStoreQuota *quota)
{
  if (quota == NULL)
    return;

  g_free (quota->root);
  g_free (quota->resource);
  g_free (quota);
}

/**
 * mail_store_enqueue_action:
 * @self: a store
 * @kind: what the action does
 * @payload: what the engine needs to replay it
 * @error: the error
 *
 * Queues an action, in the calling thread's transaction (with the store change it
 * stands for) or in one of its own.
 *
 * Returns: the action's id, or 0 with @error set
 */
gint64
mail_store_enqueue_action (MailStore            *self,
                           MailStoreActionKind   kind,
                           const char           *payload,
                           GError              **error)
{
  gboolean implicit;
  gboolean ok = FALSE;
  gint64 id = 0;

  g_return_val_if_fail (MAIL_IS_STORE (self), 0);
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (action_names), 0);

  if (!_mail_store_write_enter (self, &implicit, error))
    return 0;

  {
    g_autoptr (MailStoreStmt) stmt = _mail_store_db_prepare (
      self->writer, "INSERT INTO actions (kind, payload, created) VALUES (?, ?, ?)", error);

    if (stmt != NULL)
      {
        BIND_TEXT (stmt, 1, action_names[kind]);
        BIND_TEXT (stmt, 2, payload != NULL ? payload : "");
        sqlite3_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC);
        ok = _mail_store_db_run (self->writer, stmt, error);
        id = sqlite3_last_insert_rowid (self->writer->handle);
      }
  }

  if (!_mail_store_write_leave (self, implicit, ok, error))
    return 0;

  return id;
}

/**
 * mail_store_complete_action:
 * @self: a store
 * @id: an action
 * @error: the error
 *
 * Removes an action the server has carried out (or one the engine rolled back).
 *
 * Returns: %TRUE on success
 */
gboolean
mail_store_complete_action (MailStore  *self,
                            gint64      id,
                            GError    **error)
{
  g_return_val_if_fail (MAIL_IS_STORE (self), FALSE);

  return _mail_store_write_rows (self, "DELETE FROM actions WHERE id = ?", 1,
                                 _mail_store_bind_ids, &id, error);
}

/**
 * mail_store_fail_action:
 * @self: a store
 * @id: an action
 * @message: why it failed, for the user
 * @permanent: %TRUE when the server refused it for good (it is not retried)
 * @error: the error
 *
 * Records a failed attempt to replay an action.
 *
 * Returns: %TRUE on success
 */
gboolean
mail_store_fail_action (MailStore   *self,
                        gint64       id,
                        const char  *message,
                        gboolean     permanent,
                        GError     **error)
{
  gboolean implicit;
  gboolean ok = FALSE;

  g_return_val_if_fail (MAIL_IS_STORE (self), FALSE);

  if (!_mail_store_write_enter (self, &implicit, error))
    return FALSE;

  {
    g_autoptr (MailStoreStmt) stmt = _mail_store_db_prepare (
      self->writer,
      "UPDATE actions SET attempts = attempts + 1, last_error = ?, state = ? WHERE id = ?", error);

    if (stmt != NULL)
      {
        if (message != NULL)
          BIND_TEXT (stmt, 1, message);
        sqlite3_bind_int (stmt, 2, permanent ? MAIL_STORE_ACTION_FAILED : MAIL_STORE_ACTION_PENDING);
        sqlite3_bind_int64 (stmt, 3, id);
        ok = _mail_store_db_run (self->writer, stmt, error);
        if (ok && sqlite3_changes (self->writer->handle) == 0)
          {
            g_set_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_NOT_FOUND,
                         "There is no queued action %" G_GINT64_FORMAT, id);
            ok = FALSE;
          }
      }
  }

  return _mail_store_write_leave (self, implicit, ok, error);
}

/**
 * mail_store_list_actions:
 * @self: a store
 * @error: the error
 *
 * Returns: (transfer full) (element-type MailStoreAction): every queued action, in the
 *   order they were queued
 */
GPtrArray *
mail_store_list_actions (MailStore  *self,
                         GError    **error)
{
  g_autoptr (GPtrArray) actions =
    g_ptr_array_new_with_free_func ((GDestroyNotify) mail_store_action_free);
  MailStoreDb *db;
  int rc = -1;

  g_return_val_if_fail (MAIL_IS_STORE (self), NULL);

  db = _mail_store_acquire_reader (self, error);
  if (db == NULL)
    return NULL;

  {
    g_autoptr (MailStoreStmt) stmt = _mail_store_db_prepare (
      db,
      "SELECT id, kind, payload, state, attempts, last_error, created FROM actions ORDER BY id",
      error);

    while (stmt != NULL && (rc = _mail_store_db_step (db, stmt, error)) == SQLITE_ROW)
      {
        MailStoreAction *action = g_new0 (MailStoreAction, 1);

        action->id = sqlite3_column_int64 (stmt, 0);
        if (!mail_store_action_kind_from_string ((const char *) sqlite3_column_text (stmt, 1),
                                                 &action->kind))
          {
            /* A kind from a newer version cannot be: its schema would be newer. */
            mail_store_action_free (action);
            continue;
          }
        action->payload = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
        action->state = sqlite3_column_int (stmt, 3);
        action->attempts = (guint) sqlite3_column_int (stmt, 4);
        action->last_error = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
        action->created = sqlite3_column_int64 (stmt, 6);
        g_ptr_array_add (actions, action);
      }
  }

  _mail_store_release_reader (self, db);
  return rc == SQLITE_DONE ? g_steal_pointer (&actions) : NULL;
}

/**
 * mail_store_set_quota:
 * @self: a store
 * @root: the quota root ("" when unnamed)
 * @resource: the resource ("STORAGE", "MESSAGE")
 * @used: its usage
 * @limit: its limit
 * @error: the error
 *
 * Records a quota figure as GETQUOTAROOT reported it.
 *
 * Returns: %TRUE on success
 */
gboolean
mail_store_set_quota (MailStore   *self,
                      const char  *root,
                      const char  *resource,
                      guint64      used,
                      guint64      limit,
                      GError     **error)
{
  gboolean implicit;
  gboolean ok = FALSE;

  g_return_val_if_fail (MAIL_IS_STORE (self), FALSE);
  g_return_val_if_fail (resource != NULL, FALSE);

  if (!_mail_store_write_enter (self, &implicit, error))
    return FALSE;

  {
    g_autoptr (MailStoreStmt) stmt = _mail_store_db_prepare (
      self->writer,
      "INSERT INTO quota (root, resource, used, \"limit\", updated) VALUES (?1, ?2, ?3, ?4, ?5)"
      " ON CONFLICT (root, resource) DO UPDATE SET used = ?3, \"limit\" = ?4, updated = ?5",
      error);

    if (stmt != NULL)
      {
        BIND_TEXT (stmt, 1, root != NULL ? root : "");
        BIND_TEXT (stmt, 2, resource);
        sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) used);
        sqlite3_bind_int64 (stmt, 4, (sqlite3_int64) limit);
        sqlite3_bind_int64 (stmt, 5, g_get_real_time () / G_USEC_PER_SEC);
        ok = _mail_store_db_run (self->writer, stmt, error);
      }
  }

  return _mail_store_write_leave (self, implicit, ok, error);
}

/**
 * mail_store_list_quota:
 * @self: a store
 * @error: the error
 *
 * Returns: (transfer full) (element-type MailStoreQuota): the account's quota figures
 */
GPtrArray *
mail_store_list_quota (MailStore  *self,
                       GError    **error)
{
  g_autoptr (GPtrArray) quota =
    g_ptr_array_new_with_free_func ((GDestroyNotify) mail_store_quota_free);
  MailStoreDb *db;
  int rc = -1;

  g_return_val_if_fail (MAIL_IS_STORE (self), NULL);

  db = _mail_store_acquire_reader (self, error);
  if (db == NULL)
    return NULL;

  {
    g_autoptr (MailStoreStmt) stmt = _mail_store_db_prepare (
      db, "SELECT root, resource, used, \"limit\", updated FROM quota ORDER BY root, resource",
      error);

    while (stmt != NULL && (rc = _mail_store_db_step (db, stmt, error)) == SQLITE_ROW)
      {
        MailStoreQuota *q = g_new0 (MailStoreQuota, 1);

        q->root = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
        q->resource = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
        q->used = (guint64) sqlite3_column_int64 (stmt, 2);
        q->limit = (guint64) sqlite3_column_int64 (stmt, 3);
        q->updated = sqlite3_column_int64 (stmt, 4);
        g_ptr_array_add (quota, q);
      }
  }

  _mail_store_release_reader (self, db);
  return rc == SQLITE_DONE ? g_steal_pointer (&quota) : NULL;
}
