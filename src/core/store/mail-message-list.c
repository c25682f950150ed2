/* mail-message-list.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The messages of a folder, or of a search, as a GListModel: newest first, paged in
 * lazily, and kept up to date with exact items-changed.
 *
 * Paging. Rows are read a page (100 positions) at a time on the model's connection,
 * by keyset from the page before when it is cached, else by an OFFSET on the covering
 * index (folder_id, date, id), which skips index entries without touching the rows. A
 * folder's count comes from folders.total, which triggers keep exact. Opening a folder of
 * 100 000 messages reads one number; showing its first rows reads one page. Objects
 * exist only for rows read (at most MAX_PAGES pages are kept, plus whatever the view
 * holds); an object a view holds is the one updated when its row changes, whoever asks
 * for the row again.
 *
 * Changes: mail-message-list-plan.c.
 *
 * Threads: a model belongs to the thread-default main context it was made on (its
 * view's); so do its items.
 */

#include "config.h"

#include "mail-task.h"

#include "mail-message-list-private.h"

#define MAX_PAGES 16

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MailMessageList, mail_message_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

/* ------------------------------------------------------------------ items */

static void
live_gone_cb (gpointer  data,
              GObject  *where_the_object_was)
{
  MailMessageList *self = data;
  /* Weak references are notified after dispose and before finalize: the id is still
   * there. */
  gint64 id = mail_message_summary_get_id ((MailMessageSummary *) where_the_object_was);

  if (g_hash_table_lookup (self->live, &id) == (gpointer) where_the_object_was)
    g_hash_table_remove (self->live, &id);
}

/* The object for the row @stmt is on: the live one, brought up to date, or a new one. */
static MailMessageSummary *
item_for_row (MailMessageList *self,
              MailStoreStmt   *stmt)
{
  gint64 id = sqlite3_column_int64 (stmt, 0);
  MailMessageSummary *item = g_hash_table_lookup (self->live, &id);
  gint64 *key;

  if (item != NULL)
    {
      _mail_message_summary_update_from_stmt (item, stmt);
      return g_object_ref (item);
    }

  item = _mail_message_summary_new_from_stmt (stmt);
  self->n_loaded++;

  key = g_new (gint64, 1);
  *key = id;
  g_hash_table_insert (self->live, key, item);
  g_object_weak_ref (G_OBJECT (item), live_gone_cb, self);

  return item;
}

void
_mail_message_list_drop_pages (MailMessageList *self)
{
  g_hash_table_remove_all (self->pages);
  g_queue_clear (&self->page_order);
}

static void
store_page (MailMessageList *self,
            guint            page,
            GPtrArray       *rows)
{
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (page), rows);
  g_queue_push_tail (&self->page_order, GUINT_TO_POINTER (page));

  while (g_queue_get_length (&self->page_order) > MAX_PAGES)
    g_hash_table_remove (self->pages, g_queue_pop_head (&self->page_order));
}

static GPtrArray *
lookup_page (MailMessageList *self,
             guint            page)
{
  GPtrArray *rows = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));

  if (rows != NULL)
    {
      /* Most recently used goes last. */
      g_queue_remove (&self->page_order, GUINT_TO_POINTER (page));
      g_queue_push_tail (&self->page_order, GUINT_TO_POINTER (page));
    }

  return rows;
}

/* Reads page @page of the snapshot the plan targets. In a read transaction. */
static GPtrArray *
load_page (MailMessageList  *self,
           guint             page,
           GError          **error)
{
  MailStoreDb *db = _mail_store_view_get_db (self->view);
  g_autoptr (GPtrArray) rows = g_ptr_array_new_full (MAIL_MESSAGE_LIST_PAGE_SIZE, g_object_unref);
  guint start = page * MAIL_MESSAGE_LIST_PAGE_SIZE;
  int rc = SQLITE_DONE;

  if (self->match != NULL)
    {
      GArray *keys = self->target_keys != NULL ? self->target_keys : self->keys;

      for (guint s = start; s < MIN (start + MAIL_MESSAGE_LIST_PAGE_SIZE, keys->len); s++)
        {
          g_autoptr (MailStoreStmt) stmt = _mail_store_db_prepare (
            db, "SELECT " MAIL_STORE_MESSAGE_COLUMNS " FROM messages WHERE id = ?", error);

          if (stmt == NULL)
            return NULL;
          sqlite3_bind_int64 (stmt, 1, g_array_index (keys, MailStoreKey, s).id);
          rc = _mail_store_db_step (db, stmt, error);
          if (rc == -1)
            return NULL;
          if (rc == SQLITE_ROW)
            g_ptr_array_add (rows, item_for_row (self, stmt));
        }
    }
  else
    {
      GPtrArray *before = page > 0 ? g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page - 1)) : NULL;
      g_autoptr (MailStoreStmt) stmt = NULL;

      if (before != NULL && before->len == MAIL_MESSAGE_LIST_PAGE_SIZE)
        {
          MailMessageSummary *last = g_ptr_array_index (before, before->len - 1);

          stmt = _mail_store_db_prepare (
            db,
            "SELECT " MAIL_STORE_MESSAGE_COLUMNS " FROM messages"
            " WHERE folder_id = ?1 AND (date, id) < (?2, ?3)"
            " ORDER BY date DESC, id DESC LIMIT ?4",
            error);
          if (stmt == NULL)
            return NULL;
          sqlite3_bind_int64 (stmt, 2, mail_message_summary_get_date (last));
          sqlite3_bind_int64 (stmt, 3, mail_message_summary_get_id (last));
        }
      else
        {
          stmt = _mail_store_db_prepare (
            db,
            "SELECT " MAIL_STORE_MESSAGE_COLUMNS " FROM messages WHERE id IN"
            " (SELECT id FROM messages WHERE folder_id = ?1"
            "  ORDER BY date DESC, id DESC LIMIT ?4 OFFSET ?5)"
            " ORDER BY date DESC, id DESC",
            error);
          if (stmt == NULL)
            return NULL;
          sqlite3_bind_int64 (stmt, 5, start);
        }

      sqlite3_bind_int64 (stmt, 1, self->folder_id);
      sqlite3_bind_int64 (stmt, 4, MAIL_MESSAGE_LIST_PAGE_SIZE);
      while ((rc = _mail_store_db_step (db, stmt, error)) == SQLITE_ROW)
        g_ptr_array_add (rows, item_for_row (self, stmt));
      if (rc == -1)
        return NULL;
    }

  return g_steal_pointer (&rows);
}

/* ------------------------------------------------------------------ GListModel */

static GType
get_item_type (GListModel *model)
{
  return MAIL_TYPE_MESSAGE_SUMMARY;
}

static guint
get_n_items (GListModel *model)
{
  return MAIL_MESSAGE_LIST (model)->n_items;
}

static gpointer
removed_item (MailMessageList *self,
              guint            index)
{
  MailMessageListRemoval *removal = &g_array_index (self->removals, MailMessageListRemoval, index);

  if (removal->item == NULL)
    removal->item = _mail_message_summary_new_removed (removal->key.id, removal->key.date);

  return g_object_ref (removal->item);
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  MailMessageList *self = MAIL_MESSAGE_LIST (model);
  MailStoreDb *db;
  g_autoptr (GError) error = NULL;
  GPtrArray *rows;
  guint s = 0;
  guint removal = 0;
  gpointer item = NULL;

  if (position >= self->n_items || self->view == NULL)
    return NULL;

  if (!_mail_message_list_map_position (self, position, &s, &removal))
    return removed_item (self, removal);

  rows = lookup_page (self, s / MAIL_MESSAGE_LIST_PAGE_SIZE);
  if (rows != NULL && s % MAIL_MESSAGE_LIST_PAGE_SIZE < rows->len)
    return g_object_ref (g_ptr_array_index (rows, s % MAIL_MESSAGE_LIST_PAGE_SIZE));

  db = _mail_store_view_get_db (self->view);
  if (!_mail_store_db_begin_read (db, &error))
    goto out;

  _mail_message_list_catch_up (self);
  if (!_mail_message_list_map_position (self, position, &s, &removal))
    {
      item = removed_item (self, removal);
      _mail_store_db_end_read (db);
      return item;
    }

  rows = lookup_page (self, s / MAIL_MESSAGE_LIST_PAGE_SIZE);
  if (rows == NULL)
    {
      rows = load_page (self, s / MAIL_MESSAGE_LIST_PAGE_SIZE, &error);
      if (rows != NULL)
        store_page (self, s / MAIL_MESSAGE_LIST_PAGE_SIZE, rows);
    }
  _mail_store_db_end_read (db);

  if (rows != NULL && s % MAIL_MESSAGE_LIST_PAGE_SIZE < rows->len)
    return g_object_ref (g_ptr_array_index (rows, s % MAIL_MESSAGE_LIST_PAGE_SIZE));

out:
  if (error != NULL)
    g_warning ("Could not read a message list: %s", error->message);
  else
    g_debug ("Row %u of a message list is missing from the mail store", position);

  /* A list must hand out an item for every position it announced. */
  return _mail_message_summary_new_removed (0, 0);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* The view's wake-up after a commit. */
static void
changed_cb (gpointer model)
{
  _mail_message_list_emit_changes (MAIL_MESSAGE_LIST (model));
}

/* ------------------------------------------------------------------ object */

static void
mail_message_list_dispose (GObject *object)
{
  MailMessageList *self = MAIL_MESSAGE_LIST (object);
  GHashTableIter iter;
  gpointer value;

  if (self->view != NULL)
    {
      _mail_store_view_remove_listener (self->view, self);

      g_hash_table_iter_init (&iter, self->live);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        g_object_weak_unref (value, live_gone_cb, self);
      g_hash_table_remove_all (self->live);

      _mail_message_list_clear_plan (self);
      _mail_message_list_drop_pages (self);
      g_clear_pointer (&self->view, _mail_store_view_unref);
    }

  g_clear_object (&self->store);

  G_OBJECT_CLASS (mail_message_list_parent_class)->dispose (object);
}

static void
mail_message_list_finalize (GObject *object)
{
  MailMessageList *self = MAIL_MESSAGE_LIST (object);

  g_clear_pointer (&self->keys, g_array_unref);
  g_clear_pointer (&self->target_keys, g_array_unref);
  g_array_unref (self->removals);
  g_array_unref (self->additions);
  g_hash_table_unref (self->updated);
  g_hash_table_unref (self->pages);
  g_hash_table_unref (self->live);
  g_free (self->match);

  G_OBJECT_CLASS (mail_message_list_parent_class)->finalize (object);
}

static void
mail_message_list_class_init (MailMessageListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mail_message_list_dispose;
  object_class->finalize = mail_message_list_finalize;
}

static void
mail_message_list_init (MailMessageList *self)
{
  self->removals = g_array_new (FALSE, FALSE, sizeof (MailMessageListRemoval));
  self->additions = g_array_new (FALSE, FALSE, sizeof (MailMessageListAddition));
  self->updated = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->pages = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                       (GDestroyNotify) g_ptr_array_unref);
  self->live = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

static MailMessageList *
list_new (MailStore  *store,
          gint64      folder_id,
          GError    **error)
{
  g_autoptr (MailMessageList) self = g_object_new (MAIL_TYPE_MESSAGE_LIST, NULL);

  self->view = _mail_store_view_get (store, error);
  if (self->view == NULL)
    return NULL;

  self->store = g_object_ref (store);
  self->folder_id = folder_id;

  return g_steal_pointer (&self);
}

/**
 * mail_message_list_new:
 * @store: a store
 * @folder_id: a folder
 * @error: the error (%MAIL_STORE_ERROR_NOT_FOUND)
 *
 * The messages of a folder, newest first, as a #GListModel of #MailMessageSummary that
 * reads rows only when asked for them and follows every change to the folder with exact
 * items-changed signals on the calling thread's thread-default main context (its
 * thread owns the model and its items). Cheap: one small read.
 *
 * Returns: (transfer full): the model, or %NULL
 */
MailMessageList *
mail_message_list_new (MailStore  *store,
                       gint64      folder_id,
                       GError    **error)
{
  g_autoptr (MailMessageList) self = NULL;
  MailStoreDb *db;
  gboolean ok;
  gint64 exists = 0;

  g_return_val_if_fail (MAIL_IS_STORE (store), NULL);
  g_return_val_if_fail (folder_id > 0, NULL);

  self = list_new (store, folder_id, error);
  if (self == NULL)
    return NULL;

  db = _mail_store_view_get_db (self->view);
  if (!_mail_store_db_begin_read (db, error))
    return NULL;

  {
    g_autoptr (MailStoreStmt) stmt =
      _mail_store_db_prepare (db, "SELECT EXISTS (SELECT 1 FROM folders WHERE id = ?)", error);

    ok = stmt != NULL;
    if (ok)
      {
        sqlite3_bind_int64 (stmt, 1, folder_id);
        ok = _mail_store_db_step (db, stmt, error) == SQLITE_ROW;
        exists = ok ? sqlite3_column_int64 (stmt, 0) : 0;
      }
  }
  ok = ok && _mail_store_db_get_seq (db, &self->seq, error) &&
       _mail_message_list_folder_total (self, &self->n_items, error);
  _mail_store_db_end_read (db);

  if (!ok)
    return NULL;
  if (exists == 0)
    {
      g_set_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_NOT_FOUND,
                   "There is no folder %" G_GINT64_FORMAT " in the mail store", folder_id);
      return NULL;
    }

  self->target_seq = self->seq;
  self->n_target = self->n_items;
  _mail_store_view_add_listener (self->view, self, changed_cb);

  return g_steal_pointer (&self);
}

typedef struct
{
  char   *match;
  gint64  folder_id;
  gint64  seq;
  GArray *keys;
} Search;

static void
search_free (Search *search)
{
  g_free (search->match);
  g_clear_pointer (&search->keys, g_array_unref);
  g_free (search);
}

static void
search_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  MailStore *store = source_object;
  Search *search = task_data;
  GError *error = NULL;
  MailStoreDb *db = _mail_store_acquire_reader (store, &error);
  gboolean ok;

  if (db == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  ok = _mail_store_db_begin_read (db, &error);
  if (ok)
    {
      ok = _mail_store_db_get_seq (db, &search->seq, &error) &&
           _mail_store_search_keys (db, search->match, search->folder_id, &search->keys, &error);
      _mail_store_db_end_read (db);
    }
  _mail_store_release_reader (store, db);

  if (!ok)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * mail_message_list_new_search:
 * @store: a store
 * @text: what the user typed (see mail_store_build_match())
 * @folder_id: a folder to search, or 0 for all
 * @cancellable: (nullable): cancels the search
 * @callback: called on the calling thread's thread-default main context
 * @user_data: for @callback
 *
 * Searches the full-text index (sender, recipients, subject, and the text of the
 * bodies stored) on a worker thread. The result is a list like a folder's, newest
 * first, that follows changes to its messages (and adds those that come to match, such
 * as a body being indexed).
 */
void
mail_message_list_new_search (MailStore           *store,
                              const char          *text,
                              gint64               folder_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  Search *search;

  g_return_if_fail (MAIL_IS_STORE (store));
  g_return_if_fail (text != NULL);

  task = mail_task_new (store, mail_message_list_new_search, "mail-message-list-search",
                        G_PRIORITY_DEFAULT, cancellable, callback, user_data);

  search = g_new0 (Search, 1);
  search->match = mail_store_build_match (text);
  search->folder_id = folder_id;
  g_task_set_task_data (task, search, (GDestroyNotify) search_free);

  if (search->match == NULL)
    {
      g_task_return_new_error (task, MAIL_STORE_ERROR, MAIL_STORE_ERROR_INVALID, "%s",
                               "There is nothing to search for");
      return;
    }

  g_task_run_in_thread (task, search_thread);
}

/**
 * mail_message_list_new_search_finish:
 * @result: the result
 * @error: the error (%MAIL_STORE_ERROR_INVALID for a search without any word)
 *
 * Returns: (transfer full): the results, or %NULL
 */
MailMessageList *
mail_message_list_new_search_finish (GAsyncResult  *result,
                                     GError       **error)
{
  g_autoptr (MailMessageList) self = NULL;
  MailStore *store;
  Search *search;

  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mail_message_list_new_search, NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;

  store = g_task_get_source_object (G_TASK (result));
  search = g_task_get_task_data (G_TASK (result));

  self = list_new (store, search->folder_id, error);
  if (self == NULL)
    return NULL;

  self->match = g_strdup (search->match);
  self->keys = g_steal_pointer (&search->keys);
  self->n_items = self->keys->len;
  self->seq = search->seq;
  self->target_seq = self->seq;
  self->n_target = self->n_items;
  _mail_store_view_add_listener (self->view, self, changed_cb);

  /* Commits between the search and now are caught up with like any other. */
  _mail_store_view_schedule (self->view);

  return g_steal_pointer (&self);
}

/**
 * mail_message_list_get_folder_id:
 * @self: a list
 *
 * Returns: the folder listed or searched, or 0 for a search of all folders
 */
gint64
mail_message_list_get_folder_id (MailMessageList *self)
{
  g_return_val_if_fail (MAIL_IS_MESSAGE_LIST (self), 0);

  return self->folder_id;
}

/**
 * mail_message_list_get_match:
 * @self: a list
 *
 * Returns: (nullable): the full-text query of a search, %NULL for a folder
 */
const char *
mail_message_list_get_match (MailMessageList *self)
{
  g_return_val_if_fail (MAIL_IS_MESSAGE_LIST (self), NULL);

  return self->match;
}

/**
 * mail_message_list_get_n_loaded:
 * @self: a list
 *
 * Returns: how many items the list has created so far (for tests and benchmarks: it
 *   grows with the rows asked for, not with the size of the folder)
 */
guint
mail_message_list_get_n_loaded (MailMessageList *self)
{
  g_return_val_if_fail (MAIL_IS_MESSAGE_LIST (self), 0);

  return self->n_loaded;
}
