/* mail-imap-client-async.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The _async/_finish wrappers of the IMAP client: each runs its _sync function on a worker
 * thread (IDLE on a thread of its own), which owns the client until it finishes. */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-imap-client-private.h"
#include "mail-secret-buffer.h"

static void
connect_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;

  if (mail_imap_client_connect_sync (source_object, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * mail_imap_client_connect_async:
 * @self: a #MailImapClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs mail_imap_client_connect_sync() on a worker thread, which owns the client until
 * it finishes.
 */
void
mail_imap_client_connect_async (MailImapClient      *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_imap_client_connect_async);
  g_task_run_in_thread (task, connect_thread);
}

/**
 * mail_imap_client_connect_finish:
 * @self: a #MailImapClient
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: %TRUE when connected
 */
gboolean
mail_imap_client_connect_finish (MailImapClient  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mail_imap_client_connect_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  char *user;
  char *password;
} LoginData;

static void
login_data_free (gpointer data)
{
  LoginData *login = data;

  g_free (login->user);
  if (login->password != NULL)
    mail_secret_wipe (login->password, strlen (login->password));
  g_free (login->password);
  g_free (login);
}

static void
login_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  LoginData *login = task_data;
  GError *error = NULL;

  if (mail_imap_client_login_sync (source_object, login->user, login->password, cancellable,
                                   &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * mail_imap_client_login_async:
 * @self: a connected #MailImapClient
 * @user: the user name
 * @password: the password
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs mail_imap_client_login_sync() on a worker thread.
 */
void
mail_imap_client_login_async (MailImapClient      *self,
                              const char          *user,
                              const char          *password,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  LoginData *login;

  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));

  login = g_new0 (LoginData, 1);
  login->user = g_strdup (user);
  login->password = g_strdup (password);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_imap_client_login_async);
  g_task_set_task_data (task, login, login_data_free);
  g_task_run_in_thread (task, login_thread);
}

/**
 * mail_imap_client_login_finish:
 * @self: a #MailImapClient
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: %TRUE when signed in
 */
gboolean
mail_imap_client_login_finish (MailImapClient  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mail_imap_client_login_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  GError *error = NULL;

  if (mail_imap_client_run_sync (source_object, task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * mail_imap_client_run_async:
 * @self: a #MailImapClient
 * @command: a command, not yet submitted
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs mail_imap_client_run_sync() on a worker thread, which owns the client until it
 * finishes; read the command's results in @callback.
 */
void
mail_imap_client_run_async (MailImapClient      *self,
                            MailImapCommand     *command,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));
  g_return_if_fail (command != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_imap_client_run_async);
  g_task_set_task_data (task, mail_imap_command_ref (command),
                        (GDestroyNotify) mail_imap_command_unref);
  g_task_run_in_thread (task, run_thread);
}

/**
 * mail_imap_client_run_finish:
 * @self: a #MailImapClient
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the command ended with OK
 */
gboolean
mail_imap_client_run_finish (MailImapClient  *self,
                             GAsyncResult    *result,
                             GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mail_imap_client_run_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gpointer
idle_thread_main (gpointer data)
{
  g_autoptr (GTask) task = data;
  GError *error = NULL;

  if (mail_imap_client_idle_sync (g_task_get_source_object (task),
                                  g_task_get_cancellable (task), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);

  return NULL;
}

/**
 * mail_imap_client_idle_async:
 * @self: a #MailImapClient with a mailbox selected
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when IDLE ended
 * @user_data: data for @callback
 *
 * Runs mail_imap_client_idle_sync() on a thread of its own (not GTask's shared pool,
 * which it would hold for as long as it idles); that thread owns the client, and emits
 * its signals, until IDLE ends. End it with mail_imap_client_idle_stop().
 */
void
mail_imap_client_idle_async (MailImapClient      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_imap_client_idle_async);
  g_thread_unref (g_thread_new ("mail-imap-idle", idle_thread_main, task));
}

/**
 * mail_imap_client_idle_finish:
 * @self: a #MailImapClient
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: %TRUE when IDLE was stopped
 */
gboolean
mail_imap_client_idle_finish (MailImapClient  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mail_imap_client_idle_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
