/* mail-pop3-client-async.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The _async/_finish pairs of MailPop3Client: each runs its _sync twin on the client's
 * MailTaskQueue, one call at a time in the order they were made, so calls may be made
 * back to back without waiting; the callback runs in the caller's thread-default main
 * context. Tasks come from mail_task_new(): named after their _async function, at
 * G_PRIORITY_DEFAULT (these calls take no I/O priority).
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "mail-pop3"

#include <string.h>

#include "mail-pop3-client.h"
#include "mail-pop3-client-private.h"
#include "mail-secret-buffer.h"
#include "mail-task.h"

typedef struct
{
  guint               number;
  guint               n_lines;
  char               *user;
  char               *password;
  guint              *numbers;
  guint               n_numbers;
  GPtrArray          *tokens;
} Call;

typedef struct
{
  guint   count;
  guint64 size;
} StatResult;

static void
call_free (gpointer data)
{
  Call *call = data;

  g_free (call->user);
  mail_secret_free_string (call->password);
  g_free (call->numbers);
  g_clear_pointer (&call->tokens, g_ptr_array_unref);
  g_free (call);
}

static gboolean
finish_boolean (MailPop3Client  *self,
                GAsyncResult    *result,
                gpointer         source_tag,
                GError         **error)
{
  g_return_val_if_fail (MAIL_IS_POP3_CLIENT (self), FALSE);

  return mail_task_propagate_boolean (self, result, source_tag, error);
}

static gpointer
finish_pointer (MailPop3Client  *self,
                GAsyncResult    *result,
                gpointer         source_tag,
                GError         **error)
{
  g_return_val_if_fail (MAIL_IS_POP3_CLIENT (self), NULL);

  return mail_task_propagate_pointer (self, result, source_tag, error);
}

/* ---------------------------------------------------------------------------------- */

static void
connect_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;

  mail_task_return_boolean (task, mail_pop3_client_connect_sync (source_object, cancellable, &error),
                  error);
}

/**
 * mail_pop3_client_connect_async:
 * @self: a #MailPop3Client
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs mail_pop3_client_connect_sync() on the client's queue.
 */
void
mail_pop3_client_connect_async (MailPop3Client      *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (MAIL_IS_POP3_CLIENT (self));

  task = mail_task_new (self, mail_pop3_client_connect_async, "mail_pop3_client_connect_async",
                        G_PRIORITY_DEFAULT, cancellable, callback, user_data);
  mail_task_queue_run (self->queue, task, connect_thread);
}

/**
 * mail_pop3_client_connect_finish:
 * @self: a #MailPop3Client
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when connected
 */
gboolean
mail_pop3_client_connect_finish (MailPop3Client  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  return finish_boolean (self, result, mail_pop3_client_connect_async, error);
}

static void
login_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Call *call = task_data;
  GError *error = NULL;

  mail_task_return_boolean (task,
                  mail_pop3_client_login_sync (source_object, call->user, call->password,
                                               cancellable, &error),
                  error);
}

/**
 * mail_pop3_client_login_async:
 * @self: a #MailPop3Client
 * @user: the user name
 * @password: the password (copied, and wiped when the call is done)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs mail_pop3_client_login_sync() on the client's queue.
 */
void
mail_pop3_client_login_async (MailPop3Client      *self,
                              const char          *user,
                              const char          *password,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  Call *call;

  g_return_if_fail (MAIL_IS_POP3_CLIENT (self));
  g_return_if_fail (user != NULL);
  g_return_if_fail (password != NULL);

  call = g_new0 (Call, 1);
  call->user = g_strdup (user);
  call->password = g_strdup (password);
  task = mail_task_new (self, mail_pop3_client_login_async, "mail_pop3_client_login_async",
                        G_PRIORITY_DEFAULT, cancellable, callback, user_data);
  g_task_set_task_data (task, call, call_free);
  mail_task_queue_run (self->queue, task, login_thread);
}

/**
 * mail_pop3_client_login_finish:
 * @self: a #MailPop3Client
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when signed in
 */
gboolean
mail_pop3_client_login_finish (MailPop3Client  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  return finish_boolean (self, result, mail_pop3_client_login_async, error);
}

static void
stat_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  StatResult *stat = g_new0 (StatResult, 1);
  GError *error = NULL;

  if (mail_pop3_client_stat_sync (source_object, &stat->count, &stat->size, cancellable,
                                  &error))
    g_task_return_pointer (task, stat, g_free);
  else
    {
      g_free (stat);
      g_task_return_error (task, error);
    }
}

/**
 * mail_pop3_client_stat_async:
 * @self: a #MailPop3Client
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs mail_pop3_client_stat_sync() on the client's queue.
 */
void
mail_pop3_client_stat_async (MailPop3Client      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (MAIL_IS_POP3_CLIENT (self));

  task = mail_task_new (self, mail_pop3_client_stat_async, "mail_pop3_client_stat_async",
                        G_PRIORITY_DEFAULT, cancellable, callback, user_data);
  mail_task_queue_run (self->queue, task, stat_thread);
}

/**
 * mail_pop3_client_stat_finish:
 * @self: a #MailPop3Client
 * @result: the result passed to the callback
 * @count: (out) (optional): the number of messages
 * @size: (out) (optional): their total size in octets
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
mail_pop3_client_stat_finish (MailPop3Client  *self,
                              GAsyncResult    *result,
                              guint           *count,
                              guint64         *size,
                              GError         **error)
{
  g_autofree StatResult *stat = finish_pointer (self, result, mail_pop3_client_stat_async,
                                                error);

  if (stat == NULL)
    return FALSE;

  if (count != NULL)
    *count = stat->count;
  if (size != NULL)
    *size = stat->size;

  return TRUE;
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  GArray *entries = mail_pop3_client_list_sync (source_object, cancellable, &error);

  mail_task_return_pointer (task, entries, (GDestroyNotify) g_array_unref, error);
}

/**
 * mail_pop3_client_list_async:
 * @self: a #MailPop3Client
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs mail_pop3_client_list_sync() on the client's queue.
 */
void
mail_pop3_client_list_async (MailPop3Client      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (MAIL_IS_POP3_CLIENT (self));

  task = mail_task_new (self, mail_pop3_client_list_async, "mail_pop3_client_list_async",
                        G_PRIORITY_DEFAULT, cancellable, callback, user_data);
  mail_task_queue_run (self->queue, task, list_thread);
}

/**
 * mail_pop3_client_list_finish:
 * @self: a #MailPop3Client
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type MailPop3ListEntry) (nullable): the listing
 */
GArray *
mail_pop3_client_list_finish (MailPop3Client  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  return finish_pointer (self, result, mail_pop3_client_list_async, error);
}

static void
uidl_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  GArray *entries = mail_pop3_client_uidl_sync (source_object, cancellable, &error);

  mail_task_return_pointer (task, entries, (GDestroyNotify) g_array_unref, error);
}

/**
 * mail_pop3_client_uidl_async:
 * @self: a #MailPop3Client
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs mail_pop3_client_uidl_sync() on the client's queue.
 */
void
mail_pop3_client_uidl_async (MailPop3Client      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (MAIL_IS_POP3_CLIENT (self));

  task = mail_task_new (self, mail_pop3_client_uidl_async, "mail_pop3_client_uidl_async",
                        G_PRIORITY_DEFAULT, cancellable, callback, user_data);
  mail_task_queue_run (self->queue, task, uidl_thread);
}

/**
 * mail_pop3_client_uidl_finish:
 * @self: a #MailPop3Client
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type MailPop3UidlEntry) (nullable): the listing
 */
GArray *
mail_pop3_client_uidl_finish (MailPop3Client  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  return finish_pointer (self, result, mail_pop3_client_uidl_async, error);
}

static void
top_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Call *call = task_data;
  GError *error = NULL;
  GBytes *bytes = mail_pop3_client_top_sync (source_object, call->number, call->n_lines,
                                             cancellable, &error);

  mail_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref, error);
}

/**
 * mail_pop3_client_top_async:
 * @self: a #MailPop3Client
 * @number: a message number
 * @n_lines: how many lines of the body to include
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs mail_pop3_client_top_sync() on the client's queue.
 */
void
mail_pop3_client_top_async (MailPop3Client      *self,
                            guint                number,
                            guint                n_lines,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  Call *call;

  g_return_if_fail (MAIL_IS_POP3_CLIENT (self));

  call = g_new0 (Call, 1);
  call->number = number;
  call->n_lines = n_lines;
  task = mail_task_new (self, mail_pop3_client_top_async, "mail_pop3_client_top_async",
                        G_PRIORITY_DEFAULT, cancellable, callback, user_data);
  g_task_set_task_data (task, call, call_free);
  mail_task_queue_run (self->queue, task, top_thread);
}

/**
 * mail_pop3_client_top_finish:
 * @self: a #MailPop3Client
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the header and the first lines of the body
 */
GBytes *
mail_pop3_client_top_finish (MailPop3Client  *self,
                             GAsyncResult    *result,
                             GError         **error)
{
  return finish_pointer (self, result, mail_pop3_client_top_async, error);
}

static void
retrieve_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Call *call = task_data;
  GError *error = NULL;
  MailPop3Retrieved *retrieved;

  retrieved = mail_pop3_client_retrieve_sync (source_object, call->number, cancellable, &error);
  mail_task_return_pointer (task, retrieved, g_object_unref, error);
}

/**
 * mail_pop3_client_retrieve_async:
 * @self: a #MailPop3Client
 * @number: a message number
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs mail_pop3_client_retrieve_sync() on the client's queue.
 */
void
mail_pop3_client_retrieve_async (MailPop3Client      *self,
                                 guint                number,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  Call *call;

  g_return_if_fail (MAIL_IS_POP3_CLIENT (self));

  call = g_new0 (Call, 1);
  call->number = number;
  task = mail_task_new (self, mail_pop3_client_retrieve_async, "mail_pop3_client_retrieve_async",
                        G_PRIORITY_DEFAULT, cancellable, callback, user_data);
  g_task_set_task_data (task, call, call_free);
  mail_task_queue_run (self->queue, task, retrieve_thread);
}

/**
 * mail_pop3_client_retrieve_finish:
 * @self: a #MailPop3Client
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the retrieved message
 */
MailPop3Retrieved *
mail_pop3_client_retrieve_finish (MailPop3Client  *self,
                                  GAsyncResult    *result,
                                  GError         **error)
{
  return finish_pointer (self, result, mail_pop3_client_retrieve_async, error);
}

static void
retrieve_many_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  Call *call = task_data;
  GError *error = NULL;
  GPtrArray *tokens;

  tokens = mail_pop3_client_retrieve_many_sync (source_object, call->numbers, call->n_numbers,
                                                cancellable, &error);
  mail_task_return_pointer (task, tokens, (GDestroyNotify) g_ptr_array_unref, error);
}

/**
 * mail_pop3_client_retrieve_many_async:
 * @self: a #MailPop3Client
 * @numbers: (array length=n_numbers): message numbers (copied)
 * @n_numbers: how many
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs mail_pop3_client_retrieve_many_sync() on the client's queue.
 */
void
mail_pop3_client_retrieve_many_async (MailPop3Client      *self,
                                      const guint         *numbers,
                                      guint                n_numbers,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  Call *call;

  g_return_if_fail (MAIL_IS_POP3_CLIENT (self));
  g_return_if_fail (numbers != NULL || n_numbers == 0);

  call = g_new0 (Call, 1);
  call->numbers = g_memdup2 (numbers, sizeof (guint) * n_numbers);
  call->n_numbers = n_numbers;
  task = mail_task_new (self, mail_pop3_client_retrieve_many_async,
                        "mail_pop3_client_retrieve_many_async", G_PRIORITY_DEFAULT, cancellable,
                        callback, user_data);
  g_task_set_task_data (task, call, call_free);
  mail_task_queue_run (self->queue, task, retrieve_many_thread);
}

/**
 * mail_pop3_client_retrieve_many_finish:
 * @self: a #MailPop3Client
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type MailPop3Retrieved) (nullable): the tokens
 */
GPtrArray *
mail_pop3_client_retrieve_many_finish (MailPop3Client  *self,
                                       GAsyncResult    *result,
                                       GError         **error)
{
  return finish_pointer (self, result, mail_pop3_client_retrieve_many_async, error);
}

static void
delete_many_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  Call *call = task_data;
  GError *error = NULL;

  mail_task_return_boolean (task,
                  mail_pop3_client_delete_many_sync (source_object,
                                                     (MailPop3Retrieved **) call->tokens->pdata,
                                                     call->tokens->len, cancellable, &error),
                  error);
}

/* The messages to delete, referenced until the call is done. */
static Call *
delete_call_new (MailPop3Retrieved **retrieved,
                 guint               n_retrieved)
{
  Call *call = g_new0 (Call, 1);

  call->tokens = g_ptr_array_new_full (n_retrieved, g_object_unref);
  for (guint i = 0; i < n_retrieved; i++)
    g_ptr_array_add (call->tokens, g_object_ref (retrieved[i]));

  return call;
}

/**
 * mail_pop3_client_delete_async:
 * @self: a #MailPop3Client
 * @retrieved: a message retrieved in this session and marked stored
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs mail_pop3_client_delete_sync() on the client's queue.
 */
void
mail_pop3_client_delete_async (MailPop3Client      *self,
                               MailPop3Retrieved   *retrieved,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (MAIL_IS_POP3_CLIENT (self));
  g_return_if_fail (MAIL_IS_POP3_RETRIEVED (retrieved));

  task = mail_task_new (self, mail_pop3_client_delete_async, "mail_pop3_client_delete_async",
                        G_PRIORITY_DEFAULT, cancellable, callback, user_data);
  g_task_set_task_data (task, delete_call_new (&retrieved, 1), call_free);
  mail_task_queue_run (self->queue, task, delete_many_thread);
}

/**
 * mail_pop3_client_delete_finish:
 * @self: a #MailPop3Client
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the server marked the message deleted
 */
gboolean
mail_pop3_client_delete_finish (MailPop3Client  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  return finish_boolean (self, result, mail_pop3_client_delete_async, error);
}

/**
 * mail_pop3_client_delete_many_async:
 * @self: a #MailPop3Client
 * @retrieved: (array length=n_retrieved): messages retrieved in this session and marked
 *   stored
 * @n_retrieved: how many
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs mail_pop3_client_delete_many_sync() on the client's queue.
 */
void
mail_pop3_client_delete_many_async (MailPop3Client      *self,
                                    MailPop3Retrieved  **retrieved,
                                    guint                n_retrieved,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (MAIL_IS_POP3_CLIENT (self));
  g_return_if_fail (retrieved != NULL || n_retrieved == 0);

  task = mail_task_new (self, mail_pop3_client_delete_many_async,
                        "mail_pop3_client_delete_many_async", G_PRIORITY_DEFAULT, cancellable,
                        callback, user_data);
  g_task_set_task_data (task, delete_call_new (retrieved, n_retrieved), call_free);
  mail_task_queue_run (self->queue, task, delete_many_thread);
}

/**
 * mail_pop3_client_delete_many_finish:
 * @self: a #MailPop3Client
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the server marked every message deleted
 */
gboolean
mail_pop3_client_delete_many_finish (MailPop3Client  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  return finish_boolean (self, result, mail_pop3_client_delete_many_async, error);
}

static void
reset_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;

  mail_task_return_boolean (task, mail_pop3_client_reset_sync (source_object, cancellable, &error), error);
}

/**
 * mail_pop3_client_reset_async:
 * @self: a #MailPop3Client
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs mail_pop3_client_reset_sync() on the client's queue.
 */
void
mail_pop3_client_reset_async (MailPop3Client      *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (MAIL_IS_POP3_CLIENT (self));

  task = mail_task_new (self, mail_pop3_client_reset_async, "mail_pop3_client_reset_async",
                        G_PRIORITY_DEFAULT, cancellable, callback, user_data);
  mail_task_queue_run (self->queue, task, reset_thread);
}

/**
 * mail_pop3_client_reset_finish:
 * @self: a #MailPop3Client
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
mail_pop3_client_reset_finish (MailPop3Client  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  return finish_boolean (self, result, mail_pop3_client_reset_async, error);
}

static void
noop_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;

  mail_task_return_boolean (task, mail_pop3_client_noop_sync (source_object, cancellable, &error), error);
}

/**
 * mail_pop3_client_noop_async:
 * @self: a #MailPop3Client
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs mail_pop3_client_noop_sync() on the client's queue.
 */
void
mail_pop3_client_noop_async (MailPop3Client      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (MAIL_IS_POP3_CLIENT (self));

  task = mail_task_new (self, mail_pop3_client_noop_async, "mail_pop3_client_noop_async",
                        G_PRIORITY_DEFAULT, cancellable, callback, user_data);
  mail_task_queue_run (self->queue, task, noop_thread);
}

/**
 * mail_pop3_client_noop_finish:
 * @self: a #MailPop3Client
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
mail_pop3_client_noop_finish (MailPop3Client  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  return finish_boolean (self, result, mail_pop3_client_noop_async, error);
}

static void
quit_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;

  mail_task_return_boolean (task, mail_pop3_client_quit_sync (source_object, cancellable, &error), error);
}

/**
 * mail_pop3_client_quit_async:
 * @self: a #MailPop3Client
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs mail_pop3_client_quit_sync() on the client's queue.
 */
void
mail_pop3_client_quit_async (MailPop3Client      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (MAIL_IS_POP3_CLIENT (self));

  task = mail_task_new (self, mail_pop3_client_quit_async, "mail_pop3_client_quit_async",
                        G_PRIORITY_DEFAULT, cancellable, callback, user_data);
  mail_task_queue_run (self->queue, task, quit_thread);
}

/**
 * mail_pop3_client_quit_finish:
 * @self: a #MailPop3Client
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the server confirmed the end of the session
 */
gboolean
mail_pop3_client_quit_finish (MailPop3Client  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  return finish_boolean (self, result, mail_pop3_client_quit_async, error);
}
