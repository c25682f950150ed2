/* mail-sync-engine.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* One engine per account (ARCHITECTURE.md, "The store and the sync engine").
 *
 * The engine runs a thread of its own, iterating a GMainContext of its own, from
 * mail_sync_engine_start() to mail_sync_engine_stop(). That thread is the only owner of
 * the account's IMAP connection (it calls the client's _sync functions, and receives its
 * signals) and the only writer of the account's store. It is not
 * mail_thread_context_new()'s thread, which lives as long as the process: an engine stops
 * when its account is removed, and its thread ends with it.
 *
 * Work reaches it as jobs on a queue (MailSyncJob): a kind, a run on the engine thread, and
 * a matches() that merges a request into a queued job that already covers it (two "sync
 * INBOX" requests become one job that answers both callers). Jobs run one at a time, in
 * order. Their GTasks return on the contexts their callers made them on, and progress is
 * emitted as #MailSyncEngine::progress on the context the engine was created on; the engine
 * thread drops its references to both there, so the engine's last reference is never
 * dropped on its own thread.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "mail-net-error.h"
#include "mail-task.h"

#include "mail-sync-private.h"

enum
{
  SIGNAL_PROGRESS,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (MailSyncEngine, mail_sync_engine, G_TYPE_OBJECT)

/* Progress --------------------------------------------------------------------------- */

MailSyncProgress *
mail_sync_progress_copy (const MailSyncProgress *progress)
{
  MailSyncProgress *copy = g_new0 (MailSyncProgress, 1);

  copy->folder = g_strdup (progress->folder);
  copy->phase = g_strdup (progress->phase);
  copy->done = progress->done;
  copy->total = progress->total;

  return copy;
}

void
mail_sync_progress_free (MailSyncProgress *progress)
{
  if (progress == NULL)
    return;
  g_free (progress->folder);
  g_free (progress->phase);
  g_free (progress);
}

G_DEFINE_BOXED_TYPE (MailSyncProgress, mail_sync_progress, mail_sync_progress_copy,
                     mail_sync_progress_free)

typedef struct
{
  MailSyncEngine   *engine;
  MailSyncProgress *progress;
} ProgressData;

static gboolean
emit_progress_cb (gpointer user_data)
{
  ProgressData *data = user_data;

  g_signal_emit (data->engine, signals[SIGNAL_PROGRESS], 0, data->progress);
  g_object_unref (data->engine);
  mail_sync_progress_free (data->progress);
  g_free (data);

  return G_SOURCE_REMOVE;
}

void
_mail_sync_engine_emit_progress (MailSyncEngine *self,
                                 const char     *folder,
                                 const char     *phase,
                                 guint           done,
                                 guint           total)
{
  ProgressData *data = g_new0 (ProgressData, 1);
  MailSyncProgress progress = { (char *) folder, (char *) phase, done, total };

  data->engine = g_object_ref (self);
  data->progress = mail_sync_progress_copy (&progress);
  g_main_context_invoke (self->owner_context, emit_progress_cb, data);
}

/* Jobs ------------------------------------------------------------------------------- */

void
_mail_sync_engine_job_free (MailSyncJob *job)
{
  g_free (job->folder);
  if (job->data_free != NULL)
    g_clear_pointer (&job->data, job->data_free);
  g_clear_pointer (&job->tasks, g_ptr_array_unref);
  g_free (job);
}

/* How much of the bodies a sync fetches: a queued sync covers a request that asks for
 * no more. */
static guint
body_level (MailSyncFlags flags)
{
  if (flags & MAIL_SYNC_ALL_BODIES)
    return 2;
  if (flags & MAIL_SYNC_HEADERS_ONLY)
    return 0;
  return 1;
}

static gboolean
sync_job_matches (const MailSyncJob *queued,
                  const MailSyncJob *request)
{
  return queued->kind == MAIL_SYNC_JOB_SYNC && request->kind == MAIL_SYNC_JOB_SYNC &&
         (queued->folder == NULL || g_strcmp0 (queued->folder, request->folder) == 0) &&
         body_level (queued->flags) >= body_level (request->flags);
}

static gpointer
sync_job_run (MailSyncEngine  *self,
              MailSyncJob     *job,
              GCancellable    *cancellable,
              GError         **error)
{
  g_autoptr (GError) replay_error = NULL;

  /* The queued user actions first, so the sync reads the server after them. A refused
   * action is rolled back and recorded (mail_store_list_actions()); the sync goes on. */
  if (!_mail_sync_imap_ensure_store (self, error) ||
      !_mail_sync_imap_ensure_connected (self, cancellable, error))
    return NULL;
  if (!_mail_sync_actions_replay (self, cancellable, &replay_error))
    {
      if (mail_error_categorize (replay_error) == MAIL_ERROR_CATEGORY_NETWORK ||
          mail_error_categorize (replay_error) == MAIL_ERROR_CATEGORY_TIMEOUT ||
          g_error_matches (replay_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&replay_error));
          return NULL;
        }
      g_debug ("replaying actions before the sync: %s", replay_error->message);
    }
  if (!_mail_sync_imap_run (self, job->folder, job->flags, cancellable, error))
    return NULL;

  return GINT_TO_POINTER (TRUE);
}

static gboolean
fetch_body_job_matches (const MailSyncJob *queued,
                        const MailSyncJob *request)
{
  return queued->kind == MAIL_SYNC_JOB_FETCH_BODY && request->kind == MAIL_SYNC_JOB_FETCH_BODY &&
         queued->message_id == request->message_id;
}

static gpointer
fetch_body_job_run (MailSyncEngine  *self,
                    MailSyncJob     *job,
                    GCancellable    *cancellable,
                    GError         **error)
{
  return _mail_sync_imap_fetch_body (self, job->message_id, cancellable, error);
}

/* Drops a task's reference on the context it returns on, never on the engine thread. */
static gboolean
unref_task_cb (gpointer user_data)
{
  g_object_unref (user_data);

  return G_SOURCE_REMOVE;
}

static void
_mail_sync_engine_complete_job (MailSyncJob  *job,
              gpointer      result,
              const GError *error)
{
  for (guint i = 0; i < job->tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (job->tasks, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else if (job->kind == MAIL_SYNC_JOB_FETCH_BODY)
        g_task_return_pointer (task, g_strdup (result), g_free);
      else
        g_task_return_boolean (task, TRUE);
      /* The queue's reference goes on the task's context. */
      g_main_context_invoke (g_task_get_context (task), unref_task_cb, task);
    }
  g_ptr_array_set_free_func (job->tasks, NULL);
}

/* The engine thread: runs the queued jobs in order, until stopped. */
static gboolean
run_jobs_cb (gpointer user_data)
{
  MailSyncEngine *self = user_data;

  for (;;)
    {
      MailSyncJob *job;
      g_autoptr (GError) error = NULL;
      gpointer result;

      g_mutex_lock (&self->lock);
      job = self->quit ? NULL : g_queue_pop_head (&self->jobs);
      g_mutex_unlock (&self->lock);
      if (job == NULL)
        break;

      g_debug ("%s: running a %s job%s%s", mail_account_get_address (self->account),
               job->kind == MAIL_SYNC_JOB_SYNC ? "sync" :
               job->kind == MAIL_SYNC_JOB_FETCH_BODY ? "body" :
               job->kind == MAIL_SYNC_JOB_ACTION ? "action" :
               job->kind == MAIL_SYNC_JOB_REPLAY ? "replay" : "quota", job->folder ? " for " : "",
               job->folder ? job->folder : "");
      result = job->run (self, job, self->cancellable, &error);
      if (result == NULL && error == NULL)
        g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The job failed"));
      if (error != NULL)
        {
          g_debug ("%s: job failed: %s", mail_account_get_address (self->account),
                   error->message);
          /* A failed command may leave the connection in any state: start afresh. */
          _mail_sync_imap_disconnect (self);
        }
      _mail_sync_engine_complete_job (job, result, error);
      if (job->kind == MAIL_SYNC_JOB_FETCH_BODY)
        g_free (result);
      _mail_sync_engine_job_free (job);
    }

  return G_SOURCE_REMOVE;
}

static gpointer
engine_thread_func (gpointer user_data)
{
  MailSyncEngine *self = user_data;
  GMainContext *context = g_main_context_new ();

  g_main_context_push_thread_default (context);
  g_mutex_lock (&self->lock);
  while (!self->quit)
    {
      gboolean pending = !g_queue_is_empty (&self->jobs);

      g_mutex_unlock (&self->lock);
      if (pending)
        run_jobs_cb (self);
      /* The client's signals and anything else attached to this thread's context. */
      while (g_main_context_iteration (context, FALSE))
        ;
      g_mutex_lock (&self->lock);
      if (!self->quit && g_queue_is_empty (&self->jobs))
        g_cond_wait (&self->cond, &self->lock);
    }
  g_mutex_unlock (&self->lock);

  _mail_sync_imap_disconnect (self);
  g_clear_object (&self->store);
  g_clear_pointer (&self->status, g_hash_table_unref);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);
  g_main_context_unref (context);

  return NULL;
}

/* @task may be %NULL: a job the engine queues for itself (a replay after an action). */
void
_mail_sync_engine_queue_job (MailSyncEngine *self,
                             MailSyncJob    *request,
                             GTask          *task)
{
  g_mutex_lock (&self->lock);
  if ((self->quit || self->thread == NULL) && task == NULL)
    {
      g_mutex_unlock (&self->lock);
      _mail_sync_engine_job_free (request);
      return;
    }
  if (self->quit || self->thread == NULL)
    {
      g_mutex_unlock (&self->lock);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                               _("The account’s sync engine is not running"));
      g_object_unref (task);
      _mail_sync_engine_job_free (request);
      return;
    }

  for (GList *l = self->jobs.head; l != NULL; l = l->next)
    {
      MailSyncJob *queued = l->data;

      if (queued->matches != NULL && queued->matches (queued, request))
        {
          if (task != NULL)
            g_ptr_array_add (queued->tasks, task);
          g_mutex_unlock (&self->lock);
          _mail_sync_engine_job_free (request);
          return;
        }
    }

  request->tasks = g_ptr_array_new_with_free_func (g_object_unref);
  if (task != NULL)
    g_ptr_array_add (request->tasks, task);
  g_queue_push_tail (&self->jobs, request);
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
}

/* The object ------------------------------------------------------------------------- */

static void
mail_sync_engine_dispose (GObject *object)
{
  MailSyncEngine *self = MAIL_SYNC_ENGINE (object);

  mail_sync_engine_stop (self);

  G_OBJECT_CLASS (mail_sync_engine_parent_class)->dispose (object);
}

static void
mail_sync_engine_finalize (GObject *object)
{
  MailSyncEngine *self = MAIL_SYNC_ENGINE (object);

  g_clear_object (&self->account);
  g_clear_pointer (&self->store_dir, g_free);
  g_clear_pointer (&self->owner_context, g_main_context_unref);
  g_clear_object (&self->cancellable);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (mail_sync_engine_parent_class)->finalize (object);
}

static void
mail_sync_engine_class_init (MailSyncEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mail_sync_engine_dispose;
  object_class->finalize = mail_sync_engine_finalize;

  /**
   * MailSyncEngine::progress:
   * @self: the engine
   * @progress: a #MailSyncProgress
   *
   * Where a sync is, emitted on the main context the engine was created on.
   */
  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, MAIL_TYPE_SYNC_PROGRESS | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
mail_sync_engine_init (MailSyncEngine *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  g_queue_init (&self->jobs);
}

/**
 * mail_sync_engine_new:
 * @account: the account; the engine keeps a copy, so later edits do not reach a running
 *   sync
 * @store_dir: the account's store directory (mail_account_dup_data_dir())
 *
 * Makes the engine of an account. Its signals are emitted on the thread-default main
 * context of the caller. Nothing runs before mail_sync_engine_start().
 *
 * Returns: (transfer full): the engine
 */
MailSyncEngine *
mail_sync_engine_new (MailAccount *account,
                      const char  *store_dir)
{
  MailSyncEngine *self;

  g_return_val_if_fail (MAIL_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (store_dir != NULL, NULL);

  self = g_object_new (MAIL_TYPE_SYNC_ENGINE, NULL);
  self->account = mail_account_copy (account);
  self->store_dir = g_strdup (store_dir);
  self->owner_context = g_main_context_ref_thread_default ();

  return self;
}

MailAccount *
mail_sync_engine_get_account (MailSyncEngine *self)
{
  g_return_val_if_fail (MAIL_IS_SYNC_ENGINE (self), NULL);

  return self->account;
}

const char *
mail_sync_engine_get_store_dir (MailSyncEngine *self)
{
  g_return_val_if_fail (MAIL_IS_SYNC_ENGINE (self), NULL);

  return self->store_dir;
}

/**
 * mail_sync_engine_start:
 * @self: an engine
 *
 * Starts the engine's thread. Does nothing when it runs already.
 */
void
mail_sync_engine_start (MailSyncEngine *self)
{
  g_autofree char *name = NULL;

  g_return_if_fail (MAIL_IS_SYNC_ENGINE (self));

  g_mutex_lock (&self->lock);
  if (self->thread != NULL)
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  self->quit = FALSE;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  name = g_strdup_printf ("mail-sync %s", mail_account_get_address (self->account));
  self->thread = g_thread_new (name, engine_thread_func, self);
  g_mutex_unlock (&self->lock);
}

/**
 * mail_sync_engine_stop:
 * @self: an engine
 *
 * Cancels what runs, fails what is queued with %G_IO_ERROR_CANCELLED, closes the
 * connection and waits for the engine's thread to end. Call it on the context the engine
 * was created on.
 */
void
mail_sync_engine_stop (MailSyncEngine *self)
{
  GThread *thread;
  GQueue jobs = G_QUEUE_INIT;

  g_return_if_fail (MAIL_IS_SYNC_ENGINE (self));

  g_mutex_lock (&self->lock);
  thread = g_steal_pointer (&self->thread);
  if (thread == NULL)
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  g_return_if_fail (thread != g_thread_self ());
  self->quit = TRUE;
  jobs = self->jobs;
  g_queue_init (&self->jobs);
  g_cancellable_cancel (self->cancellable);
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);

  g_thread_join (thread);

  for (GList *l = jobs.head; l != NULL; l = l->next)
    {
      MailSyncJob *job = l->data;
      g_autoptr (GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                      _("The sync engine was stopped"));

      _mail_sync_engine_complete_job (job, NULL, error);
      _mail_sync_engine_job_free (job);
    }
  g_queue_clear (&jobs);
}

static void
stop_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  mail_sync_engine_stop (MAIL_SYNC_ENGINE (source_object));
  g_task_return_boolean (task, TRUE);
}

/**
 * mail_sync_engine_stop_async:
 * @self: an engine
 * @callback: (nullable): called once the engine's thread has ended
 * @user_data: for @callback
 *
 * mail_sync_engine_stop() without blocking the caller: waiting for the engine's thread
 * (which may be closing a connection) happens on a worker thread. The task holds @self
 * until then, so the caller may drop its own reference at once.
 */
void
mail_sync_engine_stop_async (MailSyncEngine      *self,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (MAIL_IS_SYNC_ENGINE (self));

  task = mail_task_new (self, mail_sync_engine_stop_async, "mail_sync_engine_stop_async",
                        G_PRIORITY_DEFAULT, NULL, callback, user_data);
  g_task_run_in_thread (task, stop_thread);
}

/**
 * mail_sync_engine_stop_finish:
 * @self: an engine
 * @result: the result given to the callback
 */
void
mail_sync_engine_stop_finish (MailSyncEngine *self,
                              GAsyncResult   *result)
{
  g_return_if_fail (g_task_is_valid (result, self));
  g_return_if_fail (g_task_get_source_tag (G_TASK (result)) == mail_sync_engine_stop_async);

  g_task_propagate_boolean (G_TASK (result), NULL);
}

gboolean
mail_sync_engine_is_running (MailSyncEngine *self)
{
  gboolean running;

  g_return_val_if_fail (MAIL_IS_SYNC_ENGINE (self), FALSE);

  g_mutex_lock (&self->lock);
  running = self->thread != NULL;
  g_mutex_unlock (&self->lock);

  return running;
}

/**
 * mail_sync_engine_sync_async:
 * @self: an engine
 * @folder: (nullable): a folder's full name, or %NULL for the folder list and every
 *   folder (the Inbox first)
 * @flags: what to fetch beyond headers and flags
 * @cancellable: (nullable): not yet honoured once the job runs (the engine's own
 *   cancellable is, at mail_sync_engine_stop())
 * @callback: called on the caller's thread-default context
 * @user_data: its data
 *
 * Queues a sync. A request that a queued sync already covers joins it.
 */
void
mail_sync_engine_sync_async (MailSyncEngine      *self,
                             const char          *folder,
                             MailSyncFlags        flags,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;
  MailSyncJob *job;

  g_return_if_fail (MAIL_IS_SYNC_ENGINE (self));

  task = mail_task_new (self, mail_sync_engine_sync_async, "mail_sync_engine_sync_async",
                        G_PRIORITY_DEFAULT, cancellable, callback, user_data);
  job = g_new0 (MailSyncJob, 1);
  job->kind = MAIL_SYNC_JOB_SYNC;
  job->folder = g_strdup (folder);
  job->flags = flags;
  job->run = sync_job_run;
  job->matches = sync_job_matches;
  _mail_sync_engine_queue_job (self, job, task);
}

gboolean
mail_sync_engine_sync_finish (MailSyncEngine  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mail_sync_engine_sync_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * mail_sync_engine_fetch_body_async:
 * @self: an engine
 * @message_id: a message of the store
 * @cancellable: (nullable): see mail_sync_engine_sync_async()
 * @callback: called on the caller's thread-default context
 * @user_data: its data
 *
 * Fetches one message's whole body into the store (when it is not there already), ahead
 * of the syncs queued after it are not: jobs run in order.
 */
void
mail_sync_engine_fetch_body_async (MailSyncEngine      *self,
                                   gint64               message_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;
  MailSyncJob *job;

  g_return_if_fail (MAIL_IS_SYNC_ENGINE (self));

  task = mail_task_new (self, mail_sync_engine_fetch_body_async,
                        "mail_sync_engine_fetch_body_async", G_PRIORITY_DEFAULT, cancellable,
                        callback, user_data);
  job = g_new0 (MailSyncJob, 1);
  job->kind = MAIL_SYNC_JOB_FETCH_BODY;
  job->message_id = message_id;
  job->run = fetch_body_job_run;
  job->matches = fetch_body_job_matches;
  _mail_sync_engine_queue_job (self, job, task);
}

/**
 * mail_sync_engine_fetch_body_finish:
 * @self: an engine
 * @result: the result
 * @error: the error
 *
 * Returns: (transfer full): the path of the message's body file, or %NULL
 */
char *
mail_sync_engine_fetch_body_finish (MailSyncEngine  *self,
                                    GAsyncResult    *result,
                                    GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                          mail_sync_engine_fetch_body_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
