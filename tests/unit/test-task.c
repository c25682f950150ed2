/* test-task.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The task helper and the per-connection queue: tasks are named and prioritised, run one
 * at a time in the order asked for, report on the caller's main context, and the queue
 * can go with its owner whichever thread drops the owner last. */

#include "config.h"

#include "mail-task.h"

#define N_TASKS 40

typedef struct
{
  GMutex     mutex;
  GArray    *order;
  gint       running;
  gint       max_running;
  guint      done;
  GMainLoop *loop;
  GThread   *main_thread;
} Shared;

static void
record_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Shared *shared = g_object_get_data (source_object, "shared");
  guint index = GPOINTER_TO_UINT (task_data);
  gint running = g_atomic_int_add (&shared->running, 1) + 1;

  g_mutex_lock (&shared->mutex);
  shared->max_running = MAX (shared->max_running, running);
  g_mutex_unlock (&shared->mutex);

  /* Long enough that a second thread, if there were one, would overlap. */
  g_usleep ((index % 3) * 500);

  g_mutex_lock (&shared->mutex);
  g_array_append_val (shared->order, index);
  g_mutex_unlock (&shared->mutex);
  g_atomic_int_add (&shared->running, -1);

  g_task_return_boolean (task, TRUE);
}

static void
recorded_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Shared *shared = user_data;

  g_assert_true (g_thread_self () == shared->main_thread);
  g_assert_true (g_task_propagate_boolean (G_TASK (result), NULL));
  if (++shared->done == N_TASKS)
    g_main_loop_quit (shared->loop);
}

static void
test_new (void)
{
  g_autoptr (GObject) object = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr (GTask) task = NULL;

  task = mail_task_new (object, test_new, "mail-test-task", G_PRIORITY_LOW, NULL, NULL, NULL);
  g_assert_cmpstr (g_task_get_name (task), ==, "mail-test-task");
  g_assert_cmpint (g_task_get_priority (task), ==, G_PRIORITY_LOW);
  g_assert_true (g_task_get_source_tag (task) == test_new);
  g_assert_true (g_task_get_source_object (task) == object);
}

static void
test_queue_order (void)
{
  g_autoptr (GObject) object = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr (MailTaskQueue) queue = mail_task_queue_new ();
  Shared shared = { { 0 } };

  g_mutex_init (&shared.mutex);
  shared.order = g_array_new (FALSE, FALSE, sizeof (guint));
  shared.loop = g_main_loop_new (NULL, FALSE);
  shared.main_thread = g_thread_self ();
  g_object_set_data (object, "shared", &shared);

  for (guint i = 0; i < N_TASKS; i++)
    {
      g_autoptr (GTask) task = mail_task_new (object, test_queue_order, "mail-test-order",
                                              G_PRIORITY_DEFAULT, NULL, recorded_cb, &shared);

      g_task_set_task_data (task, GUINT_TO_POINTER (i), NULL);
      mail_task_queue_run (queue, task, record_thread);
    }
  g_main_loop_run (shared.loop);

  g_assert_cmpint (shared.max_running, ==, 1);
  g_assert_cmpuint (shared.order->len, ==, N_TASKS);
  for (guint i = 0; i < N_TASKS; i++)
    g_assert_cmpuint (g_array_index (shared.order, guint, i), ==, i);

  g_array_unref (shared.order);
  g_main_loop_unref (shared.loop);
  g_mutex_clear (&shared.mutex);
}

static void
noop_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_task_return_boolean (task, TRUE);
}

static void
noop_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_assert_true (g_task_propagate_boolean (G_TASK (result), NULL));
}

/* The owner keeps its queue; its last reference may be dropped on the queue's own thread
 * (by the task finishing there), which must free the queue without waiting for itself. */
static void
test_queue_owner_goes (void)
{
  for (guint round = 0; round < 50; round++)
    {
      GObject *owner = g_object_new (G_TYPE_OBJECT, NULL);
      g_autoptr (GTask) task = NULL;
      gpointer weak = owner;

      g_object_add_weak_pointer (owner, &weak);
      g_object_set_data_full (owner, "queue", mail_task_queue_new (),
                              (GDestroyNotify) mail_task_queue_free);
      task = mail_task_new (owner, test_queue_owner_goes, "mail-test-owner",
                            G_PRIORITY_DEFAULT, NULL, noop_cb, NULL);
      mail_task_queue_run (g_object_get_data (owner, "queue"), task, noop_thread);
      g_clear_object (&task);
      g_object_unref (owner);

      while (g_atomic_pointer_get (&weak) != NULL)
        g_main_context_iteration (NULL, FALSE);
    }
}

static void
failing_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  mail_task_return_boolean (task, FALSE,
                            g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "it failed"));
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The shared return and _finish helpers: an error arrives as it was returned, and a result
 * is refused by a _finish of another operation. */
static void
test_return_propagate (void)
{
  g_autoptr (GObject) object = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr (MailTaskQueue) queue = mail_task_queue_new ();
  g_autoptr (GTask) task = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  task = mail_task_new (object, test_return_propagate, "mail-test-fail", G_PRIORITY_DEFAULT,
                        NULL, store_result_cb, &result);
  mail_task_queue_run (queue, task, failing_thread);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_test_expect_message ("mail-base", G_LOG_LEVEL_CRITICAL, "*source_tag*");
  g_assert_false (mail_task_propagate_boolean (object, result, test_new, NULL));
  g_test_assert_expected_messages ();

  g_assert_false (mail_task_propagate_boolean (object, result, test_return_propagate, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "it failed");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/task/new", test_new);
  g_test_add_func ("/task/queue/order", test_queue_order);
  g_test_add_func ("/task/queue/owner-goes", test_queue_owner_goes);
  g_test_add_func ("/task/return-propagate", test_return_propagate);

  return g_test_run ();
}
