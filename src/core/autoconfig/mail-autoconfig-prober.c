/* mail-autoconfig-prober.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Probes and sign-ins for autodetection, on worker threads of their own.
 *
 * A detection probes two dozen servers at once, and most of that time is spent waiting on
 * the network. GTask's shared pool grows by one thread every so often once ten are busy,
 * which would serialise those probes; this pool starts a thread per job up to a limit.
 * Each job is a plain mail_server_check_sync() call (or two, for two user names), so the
 * connection layer's timeouts and cancellation apply unchanged.
 */

#include "config.h"

#include <string.h>

#include "mail-secret-buffer.h"
#include "mail-autoconfig-prober.h"
#include "mail-server-check.h"
#include "mail-task.h"

#define MAX_WORKERS 64

typedef struct
{
  GTask         *task;
  MailProtocol   protocol;
  char          *host;
  guint16        port;
  MailSecurity   security;
  GTlsDatabase  *database;
  char         **users;
  char          *password;
  guint          timeout;
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->task);
  g_free (job->host);
  g_clear_object (&job->database);
  g_strfreev (job->users);
  mail_secret_free_string (job->password);
  g_free (job);
}

static void
job_run (gpointer data,
         gpointer user_data)
{
  Job *job = data;
  GCancellable *cancellable = g_task_get_cancellable (job->task);
  GPtrArray *results;
  guint n_users = job->users != NULL ? g_strv_length (job->users) : 0;

  results = g_ptr_array_new_with_free_func ((GDestroyNotify) mail_server_check_result_free);
  for (guint i = 0; i == 0 || i < n_users; i++)
    {
      MailServerCheckOptions options = {
        .user = n_users > 0 ? job->users[i] : NULL,
        .password = job->password,
        .database = job->database,
        .allow_plaintext_password = FALSE,
        .timeout_seconds = job->timeout,
      };
      MailServerCheckResult *result;

      result = mail_server_check_sync (job->protocol, job->host, job->port, job->security,
                                       &options, cancellable);
      g_ptr_array_add (results, result);
      /* Only a refused password is worth another user name. Not when the provider asks
       * for an app password (MAIL_ERROR_CATEGORY_APP_PASSWORD): that would only count as
       * one more failed sign-in against the account. */
      if (result->ok || result->category != MAIL_ERROR_CATEGORY_AUTH_FAILED ||
          g_cancellable_is_cancelled (cancellable))
        break;
    }

  g_task_return_pointer (job->task, results, (GDestroyNotify) g_ptr_array_unref);
  job_free (job);
}

static GThreadPool *
job_pool (void)
{
  static gsize initialized;
  static GThreadPool *pool;

  if (g_once_init_enter (&initialized))
    {
      pool = g_thread_pool_new (job_run, NULL, MAX_WORKERS, FALSE, NULL);
      g_once_init_leave (&initialized, 1);
    }

  return pool;
}

/**
 * mail_autoconfig_prober_run_async:
 * @candidate: the server
 * @users: (nullable) (array zero-terminated=1): user names to sign in with, in order; %NULL
 *   only to connect, secure the connection and read what the server offers
 * @password: (nullable): the password, with @users
 * @database: (nullable): the certificate authorities to trust
 * @timeout_seconds: the connect, greeting and command timeout
 * @cancellable: (nullable): shuts the connection down at once
 * @callback: called on the caller's thread-default main context
 * @user_data: for @callback
 *
 * Connects to @candidate as it says (never with less security), and signs in with each
 * of @users in turn until one is not refused for its name or password. The password never
 * goes over a connection without TLS.
 */
void
mail_autoconfig_prober_run_async (const MailAutoconfigCandidate *candidate,
                                  const char * const            *users,
                                  const char                    *password,
                                  GTlsDatabase                  *database,
                                  guint                          timeout_seconds,
                                  GCancellable                  *cancellable,
                                  GAsyncReadyCallback            callback,
                                  gpointer                       user_data)
{
  Job *job = g_new0 (Job, 1);

  g_return_if_fail (candidate != NULL);

  job->task = mail_task_new (NULL, mail_autoconfig_prober_run_async,
                             "mail_autoconfig_prober_run_async", G_PRIORITY_DEFAULT, cancellable,
                             callback, user_data);
  job->protocol = candidate->protocol;
  job->host = g_strdup (candidate->host);
  job->port = candidate->port;
  job->security = candidate->security;
  job->database = database != NULL ? g_object_ref (database) : NULL;
  job->users = g_strdupv ((char **) users);
  job->password = users != NULL ? g_strdup (password) : NULL;
  job->timeout = timeout_seconds;

  g_thread_pool_push (job_pool (), job, NULL);
}

/**
 * mail_autoconfig_prober_run_finish:
 * @result: the result given to the callback
 * @error: return location for an error: only cancellation
 *
 * Returns: (transfer full) (element-type MailServerCheckResult): one result per
 *   connection made, in order; failures are in the results
 */
GPtrArray *
mail_autoconfig_prober_run_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        mail_autoconfig_prober_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
