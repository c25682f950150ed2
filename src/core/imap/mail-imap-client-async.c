/* mail-imap-client-async.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The _async/_finish wrappers of the IMAP client: each runs its _sync function on the
 * client's MailTaskQueue, one call at a time in the order they were made, so calls may be
 * made back to back without waiting; the queue's thread owns the client while a call
 * runs. Tasks come from mail_task_new(): named after their _async function, at
 * G_PRIORITY_DEFAULT (these calls take no I/O priority).
 *
 * IDLE queues like any other call: it runs once the calls before it are done, and the
 * calls after it wait until mail_imap_client_idle_stop() (or its cancellable) ends it. The
 * queue's thread is the client's own while IDLE lasts, not one of GTask's shared pool. */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-imap-client-private.h"
#include "mail-secret-buffer.h"
#include "mail-task.h"

static void
connect_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  gboolean ok;

  ok = mail_imap_client_connect_sync (source_object, cancellable, &error);
  mail_task_return_boolean (task, ok, error);
}

/**
 * mail_imap_client_connect_async:
 * @self: a #MailImapClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs mail_imap_client_connect_sync() on the client's queue, whose thread owns the
 * client until it finishes.
 */
void
mail_imap_client_connect_async (MailImapClient      *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));

  task = mail_task_new (self, mail_imap_client_connect_async, "mail_imap_client_connect_async",
                        G_PRIORITY_DEFAULT, cancellable, callback, user_data);
  mail_task_queue_run (self->queue, task, connect_thread);
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
  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);

  return mail_task_propagate_boolean (self, result, mail_imap_client_connect_async, error);
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
  mail_secret_free_string (login->password);
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
  gboolean ok;

  ok = mail_imap_client_login_sync (source_object, login->user, login->password, cancellable,
                                    &error);
  mail_task_return_boolean (task, ok, error);
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
 * Runs mail_imap_client_login_sync() on the client's queue.
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

  task = mail_task_new (self, mail_imap_client_login_async, "mail_imap_client_login_async",
                        G_PRIORITY_DEFAULT, cancellable, callback, user_data);
  g_task_set_task_data (task, login, login_data_free);
  mail_task_queue_run (self->queue, task, login_thread);
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
  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);

  return mail_task_propagate_boolean (self, result, mail_imap_client_login_async, error);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  GError *error = NULL;
  gboolean ok;

  ok = mail_imap_client_run_sync (source_object, task_data, cancellable, &error);
  mail_task_return_boolean (task, ok, error);
}

/**
 * mail_imap_client_run_async:
 * @self: a #MailImapClient
 * @command: a command, not yet submitted
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs mail_imap_client_run_sync() on the client's queue, whose thread owns the client
 * until it finishes; read the command's results in @callback.
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

  task = mail_task_new (self, mail_imap_client_run_async, "mail_imap_client_run_async",
                        G_PRIORITY_DEFAULT, cancellable, callback, user_data);
  g_task_set_task_data (task, mail_imap_command_ref (command),
                        (GDestroyNotify) mail_imap_command_unref);
  mail_task_queue_run (self->queue, task, run_thread);
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
  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);

  return mail_task_propagate_boolean (self, result, mail_imap_client_run_async, error);
}

typedef struct
{
  char             *uids;
  char             *section;
  MailImapBodySink  sink;
  gpointer          user_data;
} BodyFetchData;

static void
body_fetch_data_free (gpointer data)
{
  BodyFetchData *fetch = data;

  g_free (fetch->uids);
  g_free (fetch->section);
  g_free (fetch);
}

static void
body_fetch_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  BodyFetchData *fetch = task_data;
  GError *error = NULL;
  gboolean ok;

  ok = mail_imap_client_uid_fetch_body_sync (source_object, fetch->uids, fetch->section,
                                             &fetch->sink, fetch->user_data, cancellable,
                                             &error);
  mail_task_return_boolean (task, ok, error);
}

/**
 * mail_imap_client_uid_fetch_body_async:
 * @self: a #MailImapClient with a mailbox selected
 * @uids: a UID set
 * @section: the section, "" for the whole message
 * @sink: where the content goes, copied
 * @user_data: data for @sink, which must stay valid until @callback
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @callback_data: data for @callback
 *
 * Runs mail_imap_client_uid_fetch_body_sync() on the client's queue. The functions of
 * @sink are called on the queue's thread, not the caller's: they must not touch what
 * only the caller's thread may (widgets, a main-context-bound object).
 */
void
mail_imap_client_uid_fetch_body_async (MailImapClient         *self,
                                       const char             *uids,
                                       const char             *section,
                                       const MailImapBodySink *sink,
                                       gpointer                user_data,
                                       GCancellable           *cancellable,
                                       GAsyncReadyCallback     callback,
                                       gpointer                callback_data)
{
  g_autoptr (GTask) task = NULL;
  BodyFetchData *fetch;

  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));
  g_return_if_fail (uids != NULL && section != NULL && sink != NULL);

  fetch = g_new0 (BodyFetchData, 1);
  fetch->uids = g_strdup (uids);
  fetch->section = g_strdup (section);
  fetch->sink = *sink;
  fetch->user_data = user_data;

  task = mail_task_new (self, mail_imap_client_uid_fetch_body_async,
                        "mail_imap_client_uid_fetch_body_async", G_PRIORITY_DEFAULT,
                        cancellable, callback, callback_data);
  g_task_set_task_data (task, fetch, body_fetch_data_free);
  mail_task_queue_run (self->queue, task, body_fetch_thread);
}

/**
 * mail_imap_client_uid_fetch_body_finish:
 * @self: a #MailImapClient
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: %TRUE when every message the server sent was committed
 */
gboolean
mail_imap_client_uid_fetch_body_finish (MailImapClient  *self,
                                        GAsyncResult    *result,
                                        GError         **error)
{
  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);

  return mail_task_propagate_boolean (self, result, mail_imap_client_uid_fetch_body_async, error);
}

static void
idle_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  gboolean ok;

  ok = mail_imap_client_idle_sync (source_object, cancellable, &error);
  mail_task_return_boolean (task, ok, error);
}

/**
 * mail_imap_client_idle_async:
 * @self: a #MailImapClient with a mailbox selected
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when IDLE ended
 * @user_data: data for @callback
 *
 * Runs mail_imap_client_idle_sync() on the client's queue, after the calls made before
 * it; the queue's thread (not one of GTask's shared pool, which it would hold for as long
 * as it idles) owns the client, and emits its signals, until IDLE ends. End it with
 * mail_imap_client_idle_stop(); calls made after this one wait until then.
 */
void
mail_imap_client_idle_async (MailImapClient      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));

  task = mail_task_new (self, mail_imap_client_idle_async, "mail_imap_client_idle_async",
                        G_PRIORITY_DEFAULT, cancellable, callback, user_data);
  mail_task_queue_run (self->queue, task, idle_thread);
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
  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);

  return mail_task_propagate_boolean (self, result, mail_imap_client_idle_async, error);
}
