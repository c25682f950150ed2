/* mail-task.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The one way the core's _async/_finish pairs are made.
 *
 * mail_task_new() names every task and gives it its I/O priority and source tag, as
 * libsoup's and Camel's asynchronous calls do, so that a task shows up by name in a
 * debugger or sysprof and its callback is dispatched at the priority asked for.
 *
 * A MailTaskQueue is the owner of one connection: the _sync functions a client's _async
 * wrappers call run there one after another, in the order they were asked for, never two
 * at once. That is the concurrency model of the whole core (see HACKING.md): a connection
 * is driven by exactly one thread at a time, work reaches it through a queue, and nothing
 * but a GCancellable crosses from other threads. The queue's thread is lent by a pool, one
 * at a time, so an idle client holds no thread.
 */

#include "config.h"

#include "mail-task.h"

struct _MailTaskQueue
{
  GThreadPool *pool;
};

typedef struct
{
  GTask           *task;
  GTaskThreadFunc  func;
} Job;

/**
 * mail_task_new:
 * @source_object: (type GObject): the object the operation is on
 * @source_tag: the _async function, checked again by its _finish
 * @name: what the task is called in debuggers and profilers (a static string)
 * @io_priority: the priority of the operation, such as %G_PRIORITY_DEFAULT
 * @cancellable: (nullable): cancels the operation
 * @callback: called on the caller's thread-default main context
 * @user_data: for @callback
 *
 * Returns: (transfer full): a task for an _async function
 */
GTask *
mail_task_new (gpointer             source_object,
               gpointer             source_tag,
               const char          *name,
               int                  io_priority,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  GTask *task = g_task_new (source_object, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_name (task, name);
  g_task_set_priority (task, io_priority);

  return task;
}

/**
 * mail_task_return_boolean:
 * @task: a task
 * @ok: what a _sync function returned
 * @error: (transfer full) (nullable): its error, set when @ok is %FALSE
 *
 * Completes @task with the outcome of a _sync call.
 */
void
mail_task_return_boolean (GTask    *task,
                          gboolean  ok,
                          GError   *error)
{
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * mail_task_return_pointer:
 * @task: a task
 * @pointer: (transfer full) (nullable): what a _sync function returned
 * @destroy: frees @pointer
 * @error: (transfer full) (nullable): its error, set when @pointer is %NULL
 *
 * Completes @task with the outcome of a _sync call that returns a pointer.
 */
void
mail_task_return_pointer (GTask          *task,
                          gpointer        pointer,
                          GDestroyNotify  destroy,
                          GError         *error)
{
  if (pointer != NULL)
    g_task_return_pointer (task, pointer, destroy);
  else
    g_task_return_error (task, error);
}

/**
 * mail_task_propagate_boolean:
 * @source_object: (type GObject): the object the operation was on
 * @result: the result given to the callback
 * @source_tag: the _async function that made the task
 * @error: return location for its error
 *
 * What every boolean _finish does: checks that @result is a task of @source_object made
 * by @source_tag, and propagates its outcome.
 *
 * Returns: the outcome
 */
gboolean
mail_task_propagate_boolean (gpointer       source_object,
                             GAsyncResult  *result,
                             gpointer       source_tag,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source_object), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * mail_task_propagate_pointer:
 * @source_object: (type GObject): the object the operation was on
 * @result: the result given to the callback
 * @source_tag: the _async function that made the task
 * @error: return location for its error
 *
 * The pointer twin of mail_task_propagate_boolean().
 *
 * Returns: (transfer full) (nullable): the result, or %NULL with @error set
 */
gpointer
mail_task_propagate_pointer (gpointer       source_object,
                             GAsyncResult  *result,
                             gpointer       source_tag,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source_object), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
job_run (gpointer data,
         gpointer user_data)
{
  Job *job = data;
  GTask *task = job->task;

  job->func (task, g_task_get_source_object (task), g_task_get_task_data (task),
             g_task_get_cancellable (task));
  g_object_unref (task);
  g_free (job);
}

/**
 * mail_task_queue_new:
 *
 * Returns: (transfer full): a queue that runs one task at a time, in order
 */
MailTaskQueue *
mail_task_queue_new (void)
{
  MailTaskQueue *self = g_new0 (MailTaskQueue, 1);
  g_autoptr (GError) error = NULL;

  /* One thread at most, shared with GLib's other pools while idle: strictly in order. */
  self->pool = g_thread_pool_new (job_run, NULL, 1, FALSE, &error);
  g_assert_no_error (error);

  return self;
}

/**
 * mail_task_queue_run:
 * @self: a queue
 * @task: the task, which @func completes with one of the g_task_return functions
 * @func: the blocking work, given the task's source object, task data and cancellable
 *
 * Runs @func on the queue's thread once every task queued before has finished, as
 * g_task_run_in_thread() would run it on any thread. Holds a reference to @task (and so to
 * its source object) until @func has returned.
 */
void
mail_task_queue_run (MailTaskQueue   *self,
                     GTask           *task,
                     GTaskThreadFunc  func)
{
  Job *job;

  g_return_if_fail (self != NULL);
  g_return_if_fail (G_IS_TASK (task));
  g_return_if_fail (func != NULL);

  job = g_new0 (Job, 1);
  job->task = g_object_ref (task);
  job->func = func;
  g_thread_pool_push (self->pool, job, NULL);
}

/**
 * mail_task_queue_free:
 * @self: (nullable): a queue
 *
 * Lets the queue go. Tasks still queued run first (each holds its source object, so a
 * queue owned by that object is only freed once they all have); this does not wait for
 * them, so it may be called from the queue's own thread.
 */
void
mail_task_queue_free (MailTaskQueue *self)
{
  if (self == NULL)
    return;

  g_thread_pool_free (self->pool, FALSE, FALSE);
  g_free (self);
}
