/* mail-smtp-client-async.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The _async/_finish pairs of MailSmtpClient: each runs its _sync twin on the client's
 * MailTaskQueue, one call at a time in the order they were made, so calls may be made
 * back to back without waiting. Tasks come from mail_task_new(): named after their _async
 * function, at G_PRIORITY_DEFAULT (these calls take no I/O priority). A message is
 * checked (and a GMimeMessage written out) in the calling thread, so an invalid address
 * fails the task without touching the network and the caller may change its
 * GMimeMessage as soon as the _async call returns.
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "mail-smtp"

#include <string.h>

#include "mail-secret-buffer.h"
#include "mail-smtp-client.h"
#include "mail-smtp-private.h"
#include "mail-task.h"

typedef struct
{
  char           *user;
  char           *password;
  MailSmtpPrepared *prepared;
  MailSmtpResult *result;
} Call;

static void
call_free (gpointer data)
{
  Call *call = data;

  g_free (call->user);
  mail_secret_free_string (call->password);
  g_clear_pointer (&call->prepared, _mail_smtp_prepared_free);
  g_clear_object (&call->result);
  g_free (call);
}

static gboolean
finish_boolean (MailSmtpClient  *self,
                GAsyncResult    *result,
                gpointer         source_tag,
                GError         **error)
{
  g_return_val_if_fail (MAIL_IS_SMTP_CLIENT (self), FALSE);
  return mail_task_propagate_boolean (self, result, source_tag, error);
}

static void
connect_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;

  mail_task_return_boolean (task, mail_smtp_client_connect_sync (source_object, cancellable, &error),
                  error);
}

/**
 * mail_smtp_client_connect_async:
 * @self: a #MailSmtpClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs mail_smtp_client_connect_sync() on the client's queue.
 */
void
mail_smtp_client_connect_async (MailSmtpClient      *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (MAIL_IS_SMTP_CLIENT (self));

  task = mail_task_new (self, mail_smtp_client_connect_async, "mail_smtp_client_connect_async",
                        G_PRIORITY_DEFAULT, cancellable, callback, user_data);
  mail_task_queue_run (_mail_smtp_client_get_queue (self), task, connect_thread);
}

/**
 * mail_smtp_client_connect_finish:
 * @self: a #MailSmtpClient
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when connected
 */
gboolean
mail_smtp_client_connect_finish (MailSmtpClient  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  return finish_boolean (self, result, mail_smtp_client_connect_async, error);
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
                  mail_smtp_client_login_sync (source_object, call->user, call->password,
                                               cancellable, &error),
                  error);
}

/**
 * mail_smtp_client_login_async:
 * @self: a #MailSmtpClient
 * @user: the user name
 * @password: the password (copied, and wiped when the call is done)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs mail_smtp_client_login_sync() on the client's queue.
 */
void
mail_smtp_client_login_async (MailSmtpClient      *self,
                              const char          *user,
                              const char          *password,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  Call *call;

  g_return_if_fail (MAIL_IS_SMTP_CLIENT (self));
  g_return_if_fail (user != NULL);
  g_return_if_fail (password != NULL);

  call = g_new0 (Call, 1);
  call->user = g_strdup (user);
  call->password = g_strdup (password);
  task = mail_task_new (self, mail_smtp_client_login_async, "mail_smtp_client_login_async",
                        G_PRIORITY_DEFAULT, cancellable, callback, user_data);
  g_task_set_task_data (task, call, call_free);
  mail_task_queue_run (_mail_smtp_client_get_queue (self), task, login_thread);
}

/**
 * mail_smtp_client_login_finish:
 * @self: a #MailSmtpClient
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when signed in
 */
gboolean
mail_smtp_client_login_finish (MailSmtpClient  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  return finish_boolean (self, result, mail_smtp_client_login_async, error);
}

static void
send_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Call *call = task_data;
  GError *error = NULL;
  gboolean ok;

  ok = _mail_smtp_client_send_prepared (source_object, call->prepared, &call->result,
                                        cancellable, &error);
  mail_task_return_boolean (task, ok, error);
}

static gboolean
finish_send (MailSmtpClient   *self,
             GAsyncResult     *result,
             gpointer          source_tag,
             MailSmtpResult  **send_result,
             GError          **error)
{
  Call *call;

  if (send_result != NULL)
    *send_result = NULL;

  g_return_val_if_fail (MAIL_IS_SMTP_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  call = g_task_get_task_data (G_TASK (result));
  if (send_result != NULL && call != NULL && call->result != NULL)
    *send_result = g_object_ref (call->result);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * mail_smtp_client_send_async:
 * @self: a #MailSmtpClient
 * @from: the envelope sender, "" for the null sender
 * @recipients: (array zero-terminated=1): the envelope recipients
 * @message: the message
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs mail_smtp_client_send_sync() on the client's queue. The addresses are checked at
 * once: an invalid one fails the task without touching the network.
 */
void
mail_smtp_client_send_async (MailSmtpClient      *self,
                             const char          *from,
                             const char * const  *recipients,
                             GBytes              *message,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  GError *error = NULL;
  Call *call;

  g_return_if_fail (MAIL_IS_SMTP_CLIENT (self));
  g_return_if_fail (from != NULL);
  g_return_if_fail (message != NULL);

  call = g_new0 (Call, 1);
  task = mail_task_new (self, mail_smtp_client_send_async, "mail_smtp_client_send_async",
                        G_PRIORITY_DEFAULT, cancellable, callback, user_data);
  g_task_set_task_data (task, call, call_free);

  call->prepared = _mail_smtp_prepared_new_raw (from, recipients, message, &error);
  if (call->prepared == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  mail_task_queue_run (_mail_smtp_client_get_queue (self), task, send_thread);
}

/**
 * mail_smtp_client_send_finish:
 * @self: a #MailSmtpClient
 * @result: the result passed to the callback
 * @send_result: (out) (optional) (nullable) (transfer full): what became of the message
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the server accepted the message
 */
gboolean
mail_smtp_client_send_finish (MailSmtpClient   *self,
                              GAsyncResult     *result,
                              MailSmtpResult  **send_result,
                              GError          **error)
{
  return finish_send (self, result, mail_smtp_client_send_async, send_result, error);
}

/**
 * mail_smtp_client_send_message_async:
 * @self: a #MailSmtpClient
 * @message: the message
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs mail_smtp_client_send_message_sync() on the client's queue. @message is checked and
 * written out at once, in the calling thread, so it may be changed as soon as this
 * returns.
 */
void
mail_smtp_client_send_message_async (MailSmtpClient      *self,
                                     GMimeMessage        *message,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  GError *error = NULL;
  Call *call;

  g_return_if_fail (MAIL_IS_SMTP_CLIENT (self));
  g_return_if_fail (GMIME_IS_MESSAGE (message));

  call = g_new0 (Call, 1);
  task = mail_task_new (self, mail_smtp_client_send_message_async,
                        "mail_smtp_client_send_message_async", G_PRIORITY_DEFAULT, cancellable,
                        callback, user_data);
  g_task_set_task_data (task, call, call_free);

  call->prepared = _mail_smtp_prepared_new_message (message, &error);
  if (call->prepared == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  mail_task_queue_run (_mail_smtp_client_get_queue (self), task, send_thread);
}

/**
 * mail_smtp_client_send_message_finish:
 * @self: a #MailSmtpClient
 * @result: the result passed to the callback
 * @send_result: (out) (optional) (nullable) (transfer full): what became of the message
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the server accepted the message
 */
gboolean
mail_smtp_client_send_message_finish (MailSmtpClient   *self,
                                      GAsyncResult     *result,
                                      MailSmtpResult  **send_result,
                                      GError          **error)
{
  return finish_send (self, result, mail_smtp_client_send_message_async, send_result, error);
}

static void
quit_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;

  mail_task_return_boolean (task, mail_smtp_client_quit_sync (source_object, cancellable, &error), error);
}

/**
 * mail_smtp_client_quit_async:
 * @self: a #MailSmtpClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs mail_smtp_client_quit_sync() on the client's queue.
 */
void
mail_smtp_client_quit_async (MailSmtpClient      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (MAIL_IS_SMTP_CLIENT (self));

  task = mail_task_new (self, mail_smtp_client_quit_async, "mail_smtp_client_quit_async",
                        G_PRIORITY_DEFAULT, cancellable, callback, user_data);
  mail_task_queue_run (_mail_smtp_client_get_queue (self), task, quit_thread);
}

/**
 * mail_smtp_client_quit_finish:
 * @self: a #MailSmtpClient
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the server said goodbye
 */
gboolean
mail_smtp_client_quit_finish (MailSmtpClient  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  return finish_boolean (self, result, mail_smtp_client_quit_async, error);
}
