/* mail-message-list-plan.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* How a message list catches up with the database, with exact items-changed.
 *
 * The model has announced a state (n_items, and the change seq it
 * reflects). The database moves on: the writer commits, another program commits. The
 * model finds out either from a wake-up after a commit (mail-store-view.c) or because it
 * needs to read a page and sees a newer seq. Either way it makes a plan: from the change
 * log since its seq it works out which announced rows are gone (removals, with their
 * positions in the announced state) and which rows of the current snapshot are new
 * (additions, with their positions in the snapshot), counting index ranges between the
 * sorted keys so that every position is exact. Until the plan is emitted, the model still
 * shows the announced state, served from the new snapshot through the plan: positions
 * before, between and after the changed rows map onto snapshot positions, and a removed
 * row is the object the view already holds. Emission (on the model's main context, from
 * the wake-up) announces removals from the bottom up and then additions from the top
 * down, runs coalesced, and every intermediate state is served the same way; then rows
 * that changed in place are re-read into their objects, which notify.
 *
 * A plan too large (MAX_CHANGES log entries, MAX_MOVES moved rows), or a log pruned
 * past the model's seq, becomes one items-changed over the whole list.
 */

#include "config.h"

#include "mail-message-list-private.h"

#define MAX_CHANGES 5000
#define MAX_MOVES   2000

/* ------------------------------------------------------------------ the plan */

void
_mail_message_list_clear_plan (MailMessageList *self)
{
  for (guint i = 0; i < self->removals->len; i++)
    g_clear_object (&g_array_index (self->removals, MailMessageListRemoval, i).item);
  g_array_set_size (self->removals, 0);
  g_array_set_size (self->additions, 0);
  g_clear_pointer (&self->target_keys, g_array_unref);
  g_hash_table_remove_all (self->updated);
  self->reset = FALSE;
  self->n_present = 0;
  self->n_revealed = 0;
}

static int
compare_removals (gconstpointer a,
                  gconstpointer b)
{
  guint pa = ((const MailMessageListRemoval *) a)->pos;
  guint pb = ((const MailMessageListRemoval *) b)->pos;

  return pa < pb ? -1 : pa > pb;
}

static int
compare_additions (gconstpointer a,
                   gconstpointer b)
{
  guint pa = ((const MailMessageListAddition *) a)->pos;
  guint pb = ((const MailMessageListAddition *) b)->pos;

  return pa < pb ? -1 : pa > pb;
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  return mail_store_key_compare (a, b);
}

/* The index of the first key of @keys (in list order) not before @key. */
static guint
lower_bound (GArray             *keys,
             const MailStoreKey *key)
{
  guint lo = 0;
  guint hi = keys->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (mail_store_key_compare (&g_array_index (keys, MailStoreKey, mid), key) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

static gboolean
keys_contain (GArray             *keys,
              const MailStoreKey *key)
{
  guint i = lower_bound (keys, key);

  return i < keys->len && mail_store_key_compare (&g_array_index (keys, MailStoreKey, i), key) == 0;
}

/* Whether message @id is a result of the search. */
static gboolean
search_matches (MailMessageList  *self,
                gint64            id,
                gboolean         *matches,
                GError          **error)
{
  MailStoreDb *db = _mail_store_view_get_db (self->view);
  g_autoptr (MailStoreStmt) stmt = _mail_store_db_prepare (
    db, "SELECT 1 FROM messages_fts WHERE messages_fts MATCH ? AND rowid = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  BIND_TEXT (stmt, 1, self->match);
  sqlite3_bind_int64 (stmt, 2, id);
  rc = _mail_store_db_step (db, stmt, error);
  *matches = rc == SQLITE_ROW;

  return rc != -1;
}

/* A row of a message in the change log, reduced to where it was when the model last
 * announced its state and where it is in the snapshot. */
typedef struct
{
  gboolean in_old;
  gint64   old_date;
  gboolean in_new;
  gint64   new_date;
} Net;

/* Reads the changes (self->seq, @seq] into @net; FALSE when there are too many. */
static gboolean
read_changes (MailMessageList  *self,
              gint64            seq,
              GHashTable       *net,
              GError          **error)
{
  MailStoreDb *db = _mail_store_view_get_db (self->view);
  g_autoptr (MailStoreStmt) stmt = NULL;
  guint n = 0;
  int rc;

  if (self->folder_id > 0)
    stmt = _mail_store_db_prepare (
      db,
      "SELECT message, old_date, new_date FROM changes"
      " WHERE seq > ?1 AND seq <= ?2 AND folder_id = ?3 AND message != 0 ORDER BY seq",
      error);
  else
    stmt = _mail_store_db_prepare (
      db,
      "SELECT message, old_date, new_date FROM changes"
      " WHERE seq > ?1 AND seq <= ?2 AND message != 0 ORDER BY seq",
      error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, self->seq);
  sqlite3_bind_int64 (stmt, 2, seq);
  if (self->folder_id > 0)
    sqlite3_bind_int64 (stmt, 3, self->folder_id);

  while ((rc = _mail_store_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      Net *entry = g_hash_table_lookup (net, &id);

      if (++n > MAX_CHANGES)
        return FALSE;

      if (entry == NULL)
        {
          gint64 *key = g_new (gint64, 1);

          *key = id;
          entry = g_new0 (Net, 1);
          entry->in_old = sqlite3_column_type (stmt, 1) != SQLITE_NULL;
          entry->old_date = sqlite3_column_int64 (stmt, 1);
          g_hash_table_insert (net, key, entry);
        }

      entry->in_new = sqlite3_column_type (stmt, 2) != SQLITE_NULL;
      entry->new_date = sqlite3_column_int64 (stmt, 2);
    }

  return rc != -1;
}

/* How many rows of the folder's snapshot come before @key, given @known rows before
 * @known_key (which comes before @key), counting only the index range between. */
static gboolean
count_before (MailMessageList     *self,
              const MailStoreKey  *known_key,
              gint64               known,
              const MailStoreKey  *key,
              gint64              *count,
              GError             **error)
{
  MailStoreDb *db = _mail_store_view_get_db (self->view);
  g_autoptr (MailStoreStmt) stmt = NULL;
  int rc;

  if (known_key == NULL)
    stmt = _mail_store_db_prepare (
      db, "SELECT count(*) FROM messages WHERE folder_id = ?1 AND (date, id) > (?2, ?3)", error);
  else
    stmt = _mail_store_db_prepare (
      db,
      "SELECT count(*) FROM messages WHERE folder_id = ?1 AND (date, id) > (?2, ?3)"
      " AND (date, id) <= (?4, ?5)",
      error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, self->folder_id);
  sqlite3_bind_int64 (stmt, 2, key->date);
  sqlite3_bind_int64 (stmt, 3, key->id);
  if (known_key != NULL)
    {
      sqlite3_bind_int64 (stmt, 4, known_key->date);
      sqlite3_bind_int64 (stmt, 5, known_key->id);
    }

  rc = _mail_store_db_step (db, stmt, error);
  if (rc != SQLITE_ROW)
    return FALSE;

  *count = known + sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

gboolean
_mail_message_list_folder_total (MailMessageList  *self,
              guint            *total,
              GError          **error)
{
  MailStoreDb *db = _mail_store_view_get_db (self->view);
  g_autoptr (MailStoreStmt) stmt =
    _mail_store_db_prepare (db, "SELECT total FROM folders WHERE id = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, self->folder_id);
  rc = _mail_store_db_step (db, stmt, error);
  if (rc == -1)
    return FALSE;

  *total = rc == SQLITE_ROW ? (guint) MAX (0, sqlite3_column_int64 (stmt, 0)) : 0;
  return TRUE;
}

/* A plan with no detail: the whole list is replaced. */
static gboolean
plan_reset (MailMessageList  *self,
            GError          **error)
{
  _mail_message_list_clear_plan (self);
  self->reset = TRUE;

  if (self->match != NULL)
    {
      if (!_mail_store_search_keys (_mail_store_view_get_db (self->view), self->match,
                                    self->folder_id, &self->target_keys, error))
        return FALSE;
      self->n_target = self->target_keys->len;
      return TRUE;
    }

  return _mail_message_list_folder_total (self, &self->n_target, error);
}

typedef struct
{
  MailStoreKey key;
  gboolean     added;
  guint        index;
} Tagged;

/* Makes the plan from the announced state to the snapshot at @seq. In a read
 * transaction at @seq. */
static gboolean
plan (MailMessageList  *self,
      gint64            seq,
      GError          **error)
{
  MailStoreDb *db = _mail_store_view_get_db (self->view);
  g_autoptr (GHashTable) net = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr (GArray) tagged = g_array_new (FALSE, FALSE, sizeof (Tagged));
  GHashTableIter iter;
  gpointer key;
  gpointer value;
  gint64 pruned = 0;
  gint64 s_before = 0;
  guint n_removed = 0;
  guint n_added = 0;

  _mail_message_list_drop_pages (self);
  _mail_message_list_clear_plan (self);
  self->target_seq = seq;

  if (!_mail_store_db_get_int (db, "SELECT value FROM meta WHERE key = 'changes_pruned'",
                               &pruned, error))
    return FALSE;
  if (self->seq < pruned)
    return plan_reset (self, error);

  if (!read_changes (self, seq, net, error))
    return error != NULL && *error != NULL ? FALSE : plan_reset (self, error);

  g_hash_table_iter_init (&iter, net);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      gint64 id = *(gint64 *) key;
      Net *entry = value;
      MailStoreKey old_key = { entry->old_date, id };
      MailStoreKey new_key = { entry->new_date, id };
      gboolean in_old = entry->in_old;
      gboolean in_new = entry->in_new;

      if (self->match != NULL)
        {
          in_old = in_old && keys_contain (self->keys, &old_key);
          if (in_new && !search_matches (self, id, &in_new, error))
            return FALSE;
        }

      if (in_old && in_new && entry->old_date == entry->new_date)
        {
          g_hash_table_add (self->updated, g_memdup2 (&id, sizeof id));
          continue;
        }

      if (in_old)
        {
          MailMessageListRemoval removal = { old_key, 0, NULL };
          Tagged t = { old_key, FALSE, self->removals->len };

          g_array_append_val (self->removals, removal);
          g_array_append_val (tagged, t);
        }
      if (in_new)
        {
          MailMessageListAddition addition = { new_key, 0 };
          Tagged t = { new_key, TRUE, self->additions->len };

          g_array_append_val (self->additions, addition);
          g_array_append_val (tagged, t);
        }
    }

  if (tagged->len > MAX_MOVES)
    return plan_reset (self, error);

  g_array_sort (tagged, compare_keys);

  /* For a search, the snapshot's keys: the announced ones, less the removed, plus the
   * added. */
  if (self->match != NULL)
    {
      g_autoptr (GArray) removed = g_array_new (FALSE, FALSE, sizeof (MailStoreKey));
      g_autoptr (GArray) added = g_array_new (FALSE, FALSE, sizeof (MailStoreKey));
      guint i = 0;
      guint r = 0;
      guint a = 0;

      for (guint t = 0; t < tagged->len; t++)
        g_array_append_val (g_array_index (tagged, Tagged, t).added ? added : removed,
                            g_array_index (tagged, Tagged, t).key);

      self->target_keys = g_array_sized_new (FALSE, FALSE, sizeof (MailStoreKey),
                                             self->keys->len + added->len);
      while (i < self->keys->len || a < added->len)
        {
          MailStoreKey *k = i < self->keys->len ? &g_array_index (self->keys, MailStoreKey, i) : NULL;
          MailStoreKey *n = a < added->len ? &g_array_index (added, MailStoreKey, a) : NULL;

          if (k != NULL && r < removed->len &&
              mail_store_key_compare (k, &g_array_index (removed, MailStoreKey, r)) == 0)
            {
              i++;
              r++;
            }
          else if (n != NULL && (k == NULL || mail_store_key_compare (n, k) < 0))
            {
              g_array_append_val (self->target_keys, *n);
              a++;
            }
          else
            {
              g_array_append_val (self->target_keys, *k);
              i++;
            }
        }
      self->n_target = self->target_keys->len;
    }
  else if (!_mail_message_list_folder_total (self, &self->n_target, error))
    return FALSE;

  /* Positions, walking the changed keys in list order. s_before counts the snapshot's
   * rows before the current key; n_removed and n_added the changed ones before it. */
  for (guint t = 0; t < tagged->len; t++)
    {
      Tagged *current = &g_array_index (tagged, Tagged, t);

      if (self->match != NULL)
        s_before = lower_bound (self->target_keys, &current->key);
      else if (!count_before (self, t > 0 ? &g_array_index (tagged, Tagged, t - 1).key : NULL,
                              s_before, &current->key, &s_before, error))
        return FALSE;

      if (current->added)
        {
          g_array_index (self->additions, MailMessageListAddition, current->index).pos = (guint) s_before;
          n_added++;
        }
      else
        {
          MailMessageListRemoval *removal = &g_array_index (self->removals, MailMessageListRemoval, current->index);

          removal->pos = (guint) (s_before - n_added + n_removed);
          removal->item = g_hash_table_lookup (self->live, &removal->key.id);
          if (removal->item != NULL)
            g_object_ref (removal->item);
          n_removed++;
        }
    }

  if ((gint64) self->n_items - n_removed + n_added != self->n_target)
    {
      g_debug ("A list of %u rows, less %u plus %u, is not the %u of the snapshot: starting over",
               self->n_items, n_removed, n_added, self->n_target);
      return plan_reset (self, error);
    }

  g_array_sort (self->removals, compare_removals);
  g_array_sort (self->additions, compare_additions);
  self->n_present = self->removals->len;
  self->n_revealed = 0;

  return TRUE;
}

/* Brings the plan to the current snapshot. In a read transaction. */
void
_mail_message_list_catch_up (MailMessageList *self)
{
  g_autoptr (GError) error = NULL;
  gint64 seq = 0;

  if (!_mail_store_db_get_seq (_mail_store_view_get_db (self->view), &seq, &error))
    {
      g_warning ("Could not read the mail store: %s", error->message);
      return;
    }

  if (seq == self->target_seq)
    return;

  if (!plan (self, seq, &error))
    {
      g_warning ("Could not follow the changes of the mail store: %s", error->message);
      _mail_message_list_clear_plan (self);
      self->reset = TRUE;
      self->n_target = self->n_items;
    }

  if (!self->emitting)
    _mail_store_view_schedule (self->view);
}

/* Where announced position @v is in the snapshot: TRUE with *s, or FALSE with the index
 * of the removal it is. */
gboolean
_mail_message_list_map_position (MailMessageList *self,
              guint            v,
              guint           *s,
              guint           *removal)
{
  guint lo = 0;
  guint hi = self->n_present;
  guint pos;

  if (self->reset)
    {
      *s = v;
      return TRUE;
    }

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (self->removals, MailMessageListRemoval, mid).pos < v)
        lo = mid + 1;
      else
        hi = mid;
    }

  if (lo < self->n_present && g_array_index (self->removals, MailMessageListRemoval, lo).pos == v)
    {
      *removal = lo;
      return FALSE;
    }

  pos = v - lo;
  for (guint j = self->n_revealed; j < self->additions->len; j++)
    {
      if (g_array_index (self->additions, MailMessageListAddition, j).pos <= pos)
        pos++;
      else
        break;
    }

  *s = pos;
  return TRUE;
}

/* ------------------------------------------------------------------ emission */

/* Re-reads the rows that changed in place (or all of them, after a reset) into the
 * objects the views hold. In a read transaction. */
static void
update_live (MailMessageList *self,
             gboolean         all)
{
  MailStoreDb *db = _mail_store_view_get_db (self->view);
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, all ? self->live : self->updated);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (all || g_hash_table_contains (self->live, key))
      g_array_append_val (ids, *(gint64 *) key);

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      g_autoptr (GError) error = NULL;
      g_autoptr (MailStoreStmt) stmt = _mail_store_db_prepare (
        db, "SELECT " MAIL_STORE_MESSAGE_COLUMNS " FROM messages WHERE id = ?", &error);
      MailMessageSummary *item = g_hash_table_lookup (self->live, &id);

      if (stmt == NULL || item == NULL)
        continue;
      sqlite3_bind_int64 (stmt, 1, id);
      if (_mail_store_db_step (db, stmt, &error) == SQLITE_ROW)
        _mail_message_summary_update_from_stmt (item, stmt);
    }
}

/* Announces the plan. */
void
_mail_message_list_emit_changes (MailMessageList *self)
{
  MailStoreDb *db;
  g_autoptr (GError) error = NULL;
  gboolean reset;
  guint i;

  if (self->view == NULL)
    return;

  if (self->emitting)
    {
      /* A handler ran a main loop: finish this emission first. */
      _mail_store_view_schedule (self->view);
      return;
    }

  db = _mail_store_view_get_db (self->view);
  if (!_mail_store_db_begin_read (db, &error))
    {
      g_warning ("Could not read the mail store: %s", error->message);
      return;
    }

  g_object_ref (self);
  self->emitting = TRUE;
  _mail_message_list_catch_up (self);
  reset = self->reset;

  if (reset)
    {
      guint removed = self->n_items;

      self->n_items = self->n_target;
      self->seq = self->target_seq;
      if (self->target_keys != NULL)
        {
          g_clear_pointer (&self->keys, g_array_unref);
          self->keys = g_steal_pointer (&self->target_keys);
        }
      _mail_message_list_clear_plan (self);
      _mail_message_list_drop_pages (self);
      if (removed > 0 || self->n_items > 0)
        g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->n_items);
    }
  else
    {
      /* Removals from the bottom up: those above keep their positions. */
      i = self->removals->len;
      while (i > 0)
        {
          guint j = i - 1;
          guint pos;

          while (j > 0 && g_array_index (self->removals, MailMessageListRemoval, j - 1).pos + 1 ==
                            g_array_index (self->removals, MailMessageListRemoval, j).pos)
            j--;

          pos = g_array_index (self->removals, MailMessageListRemoval, j).pos;
          self->n_present = j;
          self->n_items -= i - j;
          g_list_model_items_changed (G_LIST_MODEL (self), pos, i - j, 0);
          i = j;
        }

      /* Additions from the top down: each lands at its place in the snapshot. */
      i = 0;
      while (i < self->additions->len)
        {
          guint j = i + 1;

          while (j < self->additions->len && g_array_index (self->additions, MailMessageListAddition, j).pos ==
                                               g_array_index (self->additions, MailMessageListAddition, j - 1).pos + 1)
            j++;

          self->n_revealed = j;
          self->n_items += j - i;
          g_list_model_items_changed (G_LIST_MODEL (self),
                                      g_array_index (self->additions, MailMessageListAddition, i).pos, 0, j - i);
          i = j;
        }

      g_warn_if_fail (self->n_items == self->n_target);
      self->seq = self->target_seq;
      if (self->target_keys != NULL)
        {
          g_clear_pointer (&self->keys, g_array_unref);
          self->keys = g_steal_pointer (&self->target_keys);
        }
    }

  update_live (self, reset);
  _mail_message_list_clear_plan (self);
  self->emitting = FALSE;
  _mail_store_db_end_read (db);
  g_object_unref (self);
}
