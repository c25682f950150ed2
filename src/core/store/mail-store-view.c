/* mail-store-view.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The list models' side of the store: one reader connection per main context that has
 * models (the UI thread's, mail-tool's), and the wake-ups that tell them to catch up.
 *
 * A model never learns what changed from the wake-up itself; it reads the change log
 * (the `changes` table) from where it last was, on its own connection and its own
 * thread, and works out the exact positions from that (mail-message-list.c). So the
 * wake-up only has to be prompt, never precise:
 *
 * - after every commit of this process's writer, each view gets one idle callback on
 *   its main context (coalesced: one pending at a time);
 * - commits by another program (mail-tool while the app runs, or the other way round)
 *   change the write-ahead log, which a file monitor on a thread of its own watches; it
 *   wakes the views up the same way.
 */

#include "config.h"

#include "mail-thread-context.h"

#include "mail-store-private.h"

typedef struct
{
  gpointer          model;
  MailStoreViewFunc changed;
} Listener;

struct _MailStoreView
{
  /* ref_count and scheduled are guarded by the store's views_lock; the rest belongs to
   * the thread of @context. */
  guint         ref_count;
  gboolean      scheduled;
  MailStore    *store;
  GMainContext *context;
  MailStoreDb  *db;
  GArray       *listeners;
};

typedef struct
{
  GWeakRef      store;
  char         *wal_path;
  GFileMonitor *monitor;
} Monitor;

static GMainContext *
monitor_context (void)
{
  static GMainContext *context;

  if (g_once_init_enter (&context))
    g_once_init_leave (&context, mail_thread_context_new ("mail-store-watch"));

  return context;
}

/* Runs @func on the monitor thread, later (never directly, even from that thread). */
static void
monitor_run (GSourceFunc func,
             gpointer    data)
{
  GSource *source = g_idle_source_new ();

  g_source_set_callback (source, func, data, NULL);
  g_source_set_static_name (source, "[mail-store] watch");
  g_source_attach (source, monitor_context ());
  g_source_unref (source);
}

static void
wal_changed_cb (GFileMonitor      *file_monitor,
                GFile             *file,
                GFile             *other,
                GFileMonitorEvent  event,
                gpointer           user_data)
{
  Monitor *monitor = user_data;
  g_autoptr (MailStore) store = g_weak_ref_get (&monitor->store);

  if (store != NULL && event != G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED)
    _mail_store_notify_views (store);
}

static gboolean
monitor_start_cb (gpointer data)
{
  Monitor *monitor = data;
  g_autoptr (GFile) file = g_file_new_for_path (monitor->wal_path);
  g_autoptr (GError) error = NULL;

  monitor->monitor = g_file_monitor_file (file, G_FILE_MONITOR_NONE, NULL, &error);
  if (monitor->monitor == NULL)
    {
      g_debug ("Changes to %s by other programs will not show: %s", monitor->wal_path,
               error->message);
      return G_SOURCE_REMOVE;
    }

  g_file_monitor_set_rate_limit (monitor->monitor, 100);
  g_signal_connect (monitor->monitor, "changed", G_CALLBACK (wal_changed_cb), monitor);

  return G_SOURCE_REMOVE;
}

static gboolean
monitor_stop_cb (gpointer data)
{
  Monitor *monitor = data;

  if (monitor->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (monitor->monitor, monitor);
      g_file_monitor_cancel (monitor->monitor);
      g_clear_object (&monitor->monitor);
    }
  g_weak_ref_clear (&monitor->store);
  g_free (monitor->wal_path);
  g_free (monitor);

  return G_SOURCE_REMOVE;
}

/* With the store's views_lock held. */
static void
start_monitor_locked (MailStore *store)
{
  Monitor *monitor;

  if (store->monitor != NULL)
    return;

  monitor = g_new0 (Monitor, 1);
  g_weak_ref_init (&monitor->store, store);
  monitor->wal_path = g_strconcat (store->db_path, "-wal", NULL);
  store->monitor = monitor;
  monitor_run (monitor_start_cb, monitor);
}

/* The store is going: its watch goes too. */
void
_mail_store_views_shutdown (MailStore *store)
{
  g_warn_if_fail (store->views->len == 0);

  if (store->monitor != NULL)
    monitor_run (monitor_stop_cb, g_steal_pointer (&store->monitor));
}

/**
 * _mail_store_view_get:
 * @store: a store
 * @error: the error
 *
 * The view of the calling thread's thread-default main context, created with its
 * connection the first time. Models hold a reference.
 *
 * Returns: (transfer full): the view, or %NULL
 */
MailStoreView *
_mail_store_view_get (MailStore  *store,
                      GError    **error)
{
  g_autoptr (GMainContext) context = g_main_context_ref_thread_default ();
  MailStoreView *view = NULL;
  MailStoreDb *db;

  g_mutex_lock (&store->views_lock);
  for (guint i = 0; i < store->views->len; i++)
    {
      MailStoreView *candidate = g_ptr_array_index (store->views, i);

      if (candidate->context == context)
        {
          view = candidate;
          view->ref_count++;
          break;
        }
    }
  g_mutex_unlock (&store->views_lock);

  if (view != NULL)
    return view;

  db = _mail_store_db_open (store->db_path, &store->busy_timeout_ms, TRUE, error);
  if (db == NULL)
    return NULL;

  view = g_new0 (MailStoreView, 1);
  view->ref_count = 1;
  view->store = g_object_ref (store);
  view->context = g_steal_pointer (&context);
  view->db = db;
  view->listeners = g_array_new (FALSE, FALSE, sizeof (Listener));

  g_mutex_lock (&store->views_lock);
  g_ptr_array_add (store->views, view);
  start_monitor_locked (store);
  g_mutex_unlock (&store->views_lock);

  return view;
}

MailStoreView *
_mail_store_view_ref (MailStoreView *view)
{
  g_mutex_lock (&view->store->views_lock);
  view->ref_count++;
  g_mutex_unlock (&view->store->views_lock);

  return view;
}

void
_mail_store_view_unref (MailStoreView *view)
{
  MailStore *store;
  gboolean last;

  if (view == NULL)
    return;

  store = view->store;
  g_mutex_lock (&store->views_lock);
  last = --view->ref_count == 0;
  if (last)
    g_ptr_array_remove (store->views, view);
  g_mutex_unlock (&store->views_lock);

  if (!last)
    return;

  g_warn_if_fail (view->listeners->len == 0);
  g_array_unref (view->listeners);
  _mail_store_db_close (view->db);
  g_main_context_unref (view->context);
  g_free (view);
  g_object_unref (store);
}

MailStoreDb *
_mail_store_view_get_db (MailStoreView *view)
{
  return view->db;
}

void
_mail_store_view_add_listener (MailStoreView     *view,
                               gpointer           model,
                               MailStoreViewFunc  changed)
{
  Listener listener = { model, changed };

  g_array_append_val (view->listeners, listener);
}

void
_mail_store_view_remove_listener (MailStoreView *view,
                                  gpointer       model)
{
  for (guint i = 0; i < view->listeners->len; i++)
    if (g_array_index (view->listeners, Listener, i).model == model)
      {
        g_array_remove_index (view->listeners, i);
        return;
      }
}

static gboolean
dispatch_cb (gpointer data)
{
  MailStoreView *view = data;
  g_autoptr (GArray) listeners = NULL;

  g_mutex_lock (&view->store->views_lock);
  view->scheduled = FALSE;
  g_mutex_unlock (&view->store->views_lock);

  /* A listener may go (or come) while another one emits. */
  listeners = g_array_copy (view->listeners);
  for (guint i = 0; i < listeners->len; i++)
    g_object_ref (g_array_index (listeners, Listener, i).model);

  for (guint i = 0; i < listeners->len; i++)
    {
      Listener *listener = &g_array_index (listeners, Listener, i);

      listener->changed (listener->model);
    }

  for (guint i = 0; i < listeners->len; i++)
    g_object_unref (g_array_index (listeners, Listener, i).model);

  return G_SOURCE_REMOVE;
}

/* With the store's views_lock held. */
static void
schedule_locked (MailStoreView *view)
{
  GSource *source;

  if (view->scheduled)
    return;

  view->scheduled = TRUE;
  view->ref_count++;

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (source, dispatch_cb, view, (GDestroyNotify) _mail_store_view_unref);
  g_source_set_static_name (source, "[mail-store] catch up");
  g_source_attach (source, view->context);
  g_source_unref (source);
}

/* Makes the view's models catch up with the database soon, on their main context. */
void
_mail_store_view_schedule (MailStoreView *view)
{
  g_mutex_lock (&view->store->views_lock);
  schedule_locked (view);
  g_mutex_unlock (&view->store->views_lock);
}

/* After a commit (from any thread) or a change by another program: every view of the
 * store catches up. */
void
_mail_store_notify_views (MailStore *store)
{
  g_mutex_lock (&store->views_lock);
  for (guint i = 0; i < store->views->len; i++)
    schedule_locked (g_ptr_array_index (store->views, i));
  g_mutex_unlock (&store->views_lock);
}
