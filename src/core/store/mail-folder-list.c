/* mail-folder-list.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The folders of the account as a GListModel of MailFolderSummary: Inbox and the other
 * special folders first, then by name (so subfolders follow their parent).
 *
 * An account has tens or hundreds of folders, not thousands: the list is read whole, and
 * again after each change (a small read on the model's thread). Objects are kept by id,
 * so a view's rows stay and their counts notify; what moved is announced with one
 * items-changed over the span between the unchanged head and tail.
 */

#include "config.h"

#include "mail-folder-list.h"
#include "mail-store-private.h"

struct _MailFolderList
{
  GObject        parent_instance;

  MailStore     *store;
  MailStoreView *view;
  GPtrArray     *folders;
  gint64         seq;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MailFolderList, mail_folder_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type (GListModel *model)
{
  return MAIL_TYPE_FOLDER_SUMMARY;
}

static guint
get_n_items (GListModel *model)
{
  return MAIL_FOLDER_LIST (model)->folders->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  MailFolderList *self = MAIL_FOLDER_LIST (model);

  if (position >= self->folders->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->folders, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* Reads the folders, reusing (and updating) the objects of those already listed. */
static GPtrArray *
read_folders (MailFolderList  *self,
              GError         **error)
{
  MailStoreDb *db = _mail_store_view_get_db (self->view);
  g_autoptr (GPtrArray) folders = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GHashTable) known =
    g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr (MailStoreStmt) stmt = NULL;
  int rc;

  for (guint i = 0; self->folders != NULL && i < self->folders->len; i++)
    {
      MailFolderSummary *folder = g_ptr_array_index (self->folders, i);
      gint64 id = mail_folder_summary_get_id (folder);

      g_hash_table_insert (known, g_memdup2 (&id, sizeof id), folder);
    }

  stmt = _mail_store_db_prepare (
    db,
    "SELECT " MAIL_STORE_FOLDER_COLUMNS " FROM folders"
    " ORDER BY CASE role WHEN 1 THEN 0 WHEN 3 THEN 1 WHEN 2 THEN 2 WHEN 6 THEN 3"
    "  WHEN 5 THEN 4 WHEN 4 THEN 5 WHEN 7 THEN 6 WHEN 8 THEN 7 ELSE 8 END,"
    "  name COLLATE NOCASE, name",
    error);
  if (stmt == NULL)
    return NULL;

  while ((rc = _mail_store_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      MailFolderSummary *folder = g_hash_table_lookup (known, &id);

      if (folder != NULL)
        {
          g_object_ref (folder);
          _mail_folder_summary_update_from_stmt (folder, stmt);
        }
      else
        folder = _mail_folder_summary_new_from_stmt (stmt);
      g_ptr_array_add (folders, folder);
    }

  return rc == SQLITE_DONE ? g_steal_pointer (&folders) : NULL;
}

static void
changed_cb (gpointer model)
{
  MailFolderList *self = model;
  MailStoreDb *db;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) old = NULL;
  GPtrArray *folders = NULL;
  gint64 seq = 0;
  guint head = 0;
  guint tail = 0;

  if (self->view == NULL)
    return;

  db = _mail_store_view_get_db (self->view);
  if (!_mail_store_db_begin_read (db, &error))
    goto out;
  if (_mail_store_db_get_seq (db, &seq, &error) && seq != self->seq)
    folders = read_folders (self, &error);
  _mail_store_db_end_read (db);

  if (folders == NULL)
    goto out;

  self->seq = seq;
  old = g_steal_pointer (&self->folders);
  self->folders = folders;

  while (head < old->len && head < folders->len &&
         g_ptr_array_index (old, head) == g_ptr_array_index (folders, head))
    head++;
  while (tail < old->len - head && tail < folders->len - head &&
         g_ptr_array_index (old, old->len - 1 - tail) ==
           g_ptr_array_index (folders, folders->len - 1 - tail))
    tail++;

  if (head < old->len || head < folders->len)
    g_list_model_items_changed (G_LIST_MODEL (self), head, old->len - head - tail,
                                folders->len - head - tail);

out:
  if (error != NULL)
    g_warning ("Could not read the folders of the mail store: %s", error->message);
}

static void
mail_folder_list_dispose (GObject *object)
{
  MailFolderList *self = MAIL_FOLDER_LIST (object);

  if (self->view != NULL)
    {
      _mail_store_view_remove_listener (self->view, self);
      g_clear_pointer (&self->view, _mail_store_view_unref);
    }
  g_clear_object (&self->store);

  G_OBJECT_CLASS (mail_folder_list_parent_class)->dispose (object);
}

static void
mail_folder_list_finalize (GObject *object)
{
  MailFolderList *self = MAIL_FOLDER_LIST (object);

  g_clear_pointer (&self->folders, g_ptr_array_unref);

  G_OBJECT_CLASS (mail_folder_list_parent_class)->finalize (object);
}

static void
mail_folder_list_class_init (MailFolderListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mail_folder_list_dispose;
  object_class->finalize = mail_folder_list_finalize;
}

static void
mail_folder_list_init (MailFolderList *self)
{
}

/**
 * mail_folder_list_new:
 * @store: a store
 * @error: the error
 *
 * The account's folders as a #GListModel of #MailFolderSummary, following changes with
 * items-changed on the calling thread's thread-default main context.
 *
 * Returns: (transfer full): the model, or %NULL
 */
MailFolderList *
mail_folder_list_new (MailStore  *store,
                      GError    **error)
{
  g_autoptr (MailFolderList) self = NULL;
  MailStoreDb *db;

  g_return_val_if_fail (MAIL_IS_STORE (store), NULL);

  self = g_object_new (MAIL_TYPE_FOLDER_LIST, NULL);
  self->view = _mail_store_view_get (store, error);
  if (self->view == NULL)
    return NULL;
  self->store = g_object_ref (store);

  db = _mail_store_view_get_db (self->view);
  if (!_mail_store_db_begin_read (db, error))
    return NULL;
  if (_mail_store_db_get_seq (db, &self->seq, error))
    self->folders = read_folders (self, error);
  _mail_store_db_end_read (db);

  if (self->folders == NULL)
    return NULL;

  _mail_store_view_add_listener (self->view, self, changed_cb);

  return g_steal_pointer (&self);
}
