/* mail-server-check.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* One call that connects to a server, secures the connection, reads what the server
 * offers, and signs in: the account assistant's "Test settings", the prober's
 * verification, and `mail-tool check` all use it. Every protocol client has the same
 * shape, adapted below.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-imap-client.h"
#include "mail-net-error.h"
#include "mail-pop3-client.h"
#include "mail-protocol-log.h"
#include "mail-secret-buffer.h"
#include "mail-server-check.h"
#include "mail-smtp-client.h"
#include "mail-task.h"

/* Every protocol client has the same shape: created with a host, port, security and trust
 * store, it owns a MailConnection (which holds the pins, timeouts, certificate and log), and
 * connects, signs in and says what the server offers. These adapt the three to that shape. */

static GObject *
client_new (MailProtocol  protocol,
            const char   *host,
            guint16       port,
            MailSecurity  security,
            GTlsDatabase *database)
{
  switch (protocol)
    {
    case MAIL_PROTOCOL_IMAP:
      return G_OBJECT (mail_imap_client_new (host, port, security, database));
    case MAIL_PROTOCOL_POP3:
      return G_OBJECT (mail_pop3_client_new (host, port, security, database));
    case MAIL_PROTOCOL_SMTP:
      return G_OBJECT (mail_smtp_client_new (host, port, security, database));
    default:
      g_return_val_if_reached (NULL);
    }
}

static MailConnection *
client_get_connection (GObject *client)
{
  if (MAIL_IS_IMAP_CLIENT (client))
    return mail_imap_client_get_connection (MAIL_IMAP_CLIENT (client));
  if (MAIL_IS_POP3_CLIENT (client))
    return mail_pop3_client_get_connection (MAIL_POP3_CLIENT (client));
  return mail_smtp_client_get_connection (MAIL_SMTP_CLIENT (client));
}

static void
client_allow_plaintext_password (GObject  *client,
                                 gboolean  allow)
{
  if (MAIL_IS_IMAP_CLIENT (client))
    mail_imap_client_set_allow_plaintext_password (MAIL_IMAP_CLIENT (client), allow);
  else if (MAIL_IS_POP3_CLIENT (client))
    mail_pop3_client_set_allow_plaintext_password (MAIL_POP3_CLIENT (client), allow);
  else
    mail_smtp_client_set_allow_plaintext_password (MAIL_SMTP_CLIENT (client), allow);
}

static gboolean
client_connect (GObject       *client,
                GCancellable  *cancellable,
                GError       **error)
{
  if (MAIL_IS_IMAP_CLIENT (client))
    return mail_imap_client_connect_sync (MAIL_IMAP_CLIENT (client), cancellable, error);
  if (MAIL_IS_POP3_CLIENT (client))
    return mail_pop3_client_connect_sync (MAIL_POP3_CLIENT (client), cancellable, error);
  return mail_smtp_client_connect_sync (MAIL_SMTP_CLIENT (client), cancellable, error);
}

static gboolean
client_login (GObject       *client,
              const char    *user,
              const char    *password,
              GCancellable  *cancellable,
              GError       **error)
{
  if (MAIL_IS_IMAP_CLIENT (client))
    return mail_imap_client_login_sync (MAIL_IMAP_CLIENT (client), user, password, cancellable,
                                        error);
  if (MAIL_IS_POP3_CLIENT (client))
    return mail_pop3_client_login_sync (MAIL_POP3_CLIENT (client), user, password, cancellable,
                                        error);
  return mail_smtp_client_login_sync (MAIL_SMTP_CLIENT (client), user, password, cancellable,
                                      error);
}

static char **
client_dup_capabilities (GObject *client)
{
  if (MAIL_IS_IMAP_CLIENT (client))
    return g_strdupv ((char **) mail_imap_client_get_capabilities (MAIL_IMAP_CLIENT (client)));
  if (MAIL_IS_POP3_CLIENT (client))
    return mail_pop3_client_dup_capabilities (MAIL_POP3_CLIENT (client));
  return mail_smtp_client_dup_capabilities (MAIL_SMTP_CLIENT (client));
}

static char **
client_dup_auth_mechanisms (GObject *client)
{
  if (MAIL_IS_IMAP_CLIENT (client))
    {
      const char * const *capabilities =
        mail_imap_client_get_capabilities (MAIL_IMAP_CLIENT (client));
      g_autoptr (GStrvBuilder) mechanisms = g_strv_builder_new ();

      /* IMAP announces them as AUTH=<mechanism> capabilities (RFC 9051 §7.2.2). */
      for (guint i = 0; capabilities != NULL && capabilities[i] != NULL; i++)
        if (g_ascii_strncasecmp (capabilities[i], "AUTH=", 5) == 0)
          g_strv_builder_add (mechanisms, capabilities[i] + 5);

      return g_strv_builder_end (mechanisms);
    }
  if (MAIL_IS_POP3_CLIENT (client))
    return mail_pop3_client_dup_auth_mechanisms (MAIL_POP3_CLIENT (client));
  return mail_smtp_client_dup_auth_mechanisms (MAIL_SMTP_CLIENT (client));
}

static void
client_quit (GObject      *client,
             GCancellable *cancellable)
{
  /* Saying goodbye is a courtesy: its failure changes nothing about the check. */
  if (MAIL_IS_IMAP_CLIENT (client))
    mail_imap_client_logout_sync (MAIL_IMAP_CLIENT (client), cancellable, NULL);
  else if (MAIL_IS_POP3_CLIENT (client))
    mail_pop3_client_quit_sync (MAIL_POP3_CLIENT (client), cancellable, NULL);
  else
    mail_smtp_client_quit_sync (MAIL_SMTP_CLIENT (client), cancellable, NULL);
}

/**
 * mail_server_check_result_free:
 * @result: (transfer full): a result
 */
void
mail_server_check_result_free (MailServerCheckResult *result)
{
  if (result == NULL)
    return;

  g_free (result->host);
  g_strfreev (result->capabilities);
  g_strfreev (result->auth_mechanisms);
  g_free (result->tls_version);
  g_clear_object (&result->certificate);
  g_free (result->message);
  g_clear_error (&result->error);
  g_free (result->log);
  g_free (result);
}

static char *
describe_tls_version (GTlsProtocolVersion version)
{
  switch (version)
    {
    case G_TLS_PROTOCOL_VERSION_TLS_1_0:
      return g_strdup ("TLS 1.0");
    case G_TLS_PROTOCOL_VERSION_TLS_1_1:
      return g_strdup ("TLS 1.1");
    case G_TLS_PROTOCOL_VERSION_TLS_1_2:
      return g_strdup ("TLS 1.2");
    case G_TLS_PROTOCOL_VERSION_TLS_1_3:
      return g_strdup ("TLS 1.3");
    case G_TLS_PROTOCOL_VERSION_UNKNOWN:
    case G_TLS_PROTOCOL_VERSION_SSL_3_0:
    case G_TLS_PROTOCOL_VERSION_DTLS_1_0:
    case G_TLS_PROTOCOL_VERSION_DTLS_1_2:
    default:
      return NULL;
    }
}

/**
 * mail_server_check_text_asks_for_app_password:
 * @text: (nullable): what a server said when it refused a sign-in
 *
 * Providers that want an app password, or IMAP/POP3 turned on in their web settings,
 * refuse the ordinary password with a telling text (Gmail's "[ALERT] Application-specific
 * password required", Yahoo's and Outlook's "web login required", ...).
 *
 * Returns: whether @text says so
 */
gboolean
mail_server_check_text_asks_for_app_password (const char *text)
{
  static const char * const hints[] = {
    "application-specific password", "app password", "app-specific password",
    "apppassword", "webalert", "web login required", "log in via your web browser",
    "enable imap", "imap access is disabled", "imap is disabled", "not enabled for imap",
    "pop access is disabled", "enable pop", "less secure app",
  };
  g_autofree char *lower = NULL;

  if (text == NULL)
    return FALSE;
  lower = g_utf8_strdown (text, -1);
  for (guint i = 0; i < G_N_ELEMENTS (hints); i++)
    if (strstr (lower, hints[i]) != NULL)
      return TRUE;

  return FALSE;
}

static void
result_set_error (MailServerCheckResult *result,
                  GError                *error)
{
  MailCertificateInfo *info = mail_net_error_get_certificate_info (error);

  result->ok = FALSE;
  result->category = mail_error_categorize (error);
  result->message = mail_error_describe (error);
  /* A refusal that asks for something else than the password: say so, rather than that
   * the password was wrong. */
  if (result->category == MAIL_ERROR_CATEGORY_AUTH_FAILED &&
      mail_server_check_text_asks_for_app_password (result->message))
    result->category = MAIL_ERROR_CATEGORY_APP_PASSWORD;
  if (info != NULL && result->certificate == NULL)
    result->certificate = g_object_ref (info);
  result->error = error;
}

/**
 * mail_server_check_sync:
 * @protocol: the protocol to speak
 * @host: the server's host name (or address)
 * @port: its port; 0 for the protocol's standard port for @security
 * @security: how to secure the connection
 * @options: (nullable): user, password, trust and timeouts
 * @cancellable: (nullable): a #GCancellable
 *
 * Connects, secures the connection as @security demands (never falling back to less),
 * reads the capabilities, and signs in when @options has a user. Blocks: call it from a
 * worker thread, or use mail_server_check_async().
 *
 * Returns: (transfer full): the outcome; never %NULL, failures are in it
 */
MailServerCheckResult *
mail_server_check_sync (MailProtocol                  protocol,
                        const char                   *host,
                        guint16                       port,
                        MailSecurity                  security,
                        const MailServerCheckOptions *options,
                        GCancellable                 *cancellable)
{
  static const MailServerCheckOptions no_options = { NULL };
  g_autoptr (MailServerCheckResult) result = g_new0 (MailServerCheckResult, 1);
  g_autoptr (GObject) client = NULL;
  g_autoptr (GError) error = NULL;
  MailConnection *connection;
  MailCertificateInfo *certificate;
  MailProtocolLog *log;
  gint64 started = g_get_monotonic_time ();

  g_return_val_if_fail (host != NULL, NULL);

  if (options == NULL)
    options = &no_options;
  if (port == 0)
    port = mail_protocol_default_port (protocol, security);

  result->protocol = protocol;
  result->host = g_strdup (host);
  result->port = port;
  result->security = security;
  result->ok = TRUE;

  client = client_new (protocol, host, port, security, options->database);
  connection = client_get_connection (client);
  if (options->timeout_seconds > 0)
    {
      mail_connection_set_timeout (connection, MAIL_CONNECTION_PHASE_CONNECT,
                                   options->timeout_seconds);
      mail_connection_set_timeout (connection, MAIL_CONNECTION_PHASE_GREETING,
                                   options->timeout_seconds);
      mail_connection_set_timeout (connection, MAIL_CONNECTION_PHASE_COMMAND,
                                   options->timeout_seconds);
    }
  client_allow_plaintext_password (client, options->allow_plaintext_password);
  if (options->pinned_fingerprint != NULL &&
      !mail_connection_set_pinned_certificate (connection, host, port, options->pinned_fingerprint))
    g_set_error (&error, MAIL_NET_ERROR, MAIL_NET_ERROR_FAILED,
                 _("“%s” is not a SHA-256 certificate fingerprint"), options->pinned_fingerprint);

  if (error == NULL && client_connect (client, cancellable, &error))
    {
      /* Read now: the connection is gone after the goodbye. */
      result->tls_version = describe_tls_version (mail_connection_get_tls_version (connection));
      result->capabilities = client_dup_capabilities (client);
      result->auth_mechanisms = client_dup_auth_mechanisms (client);

      if (options->user != NULL)
        {
          result->authenticated = client_login (client, options->user,
                                                options->password != NULL ? options->password : "",
                                                cancellable, &error);
          if (result->authenticated)
            {
              /* Some servers only show everything once signed in. */
              g_strfreev (result->capabilities);
              result->capabilities = client_dup_capabilities (client);
            }
        }

      if (error == NULL)
        client_quit (client, cancellable);
    }

  log = mail_connection_get_log (connection);
  if (log != NULL)
    result->log = mail_protocol_log_to_string (log);
  certificate = mail_connection_get_peer_certificate_info (connection);
  if (certificate != NULL)
    result->certificate = g_object_ref (certificate);

  if (error != NULL)
    result_set_error (result, g_steal_pointer (&error));

  result->elapsed_ms = (g_get_monotonic_time () - started) / 1000;

  return g_steal_pointer (&result);
}

typedef struct
{
  MailProtocol  protocol;
  char         *host;
  guint16       port;
  MailSecurity  security;
  char         *user;
  char         *password;
  char         *pinned_fingerprint;
  GTlsDatabase *database;
  gboolean      allow_plaintext_password;
  guint         timeout_seconds;
} CheckData;

static void
check_data_free (CheckData *data)
{
  g_free (data->host);
  g_free (data->user);
  mail_secret_free_string (data->password);
  g_free (data->pinned_fingerprint);
  g_clear_object (&data->database);
  g_free (data);
}

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CheckData *data = task_data;
  MailServerCheckOptions options = {
    data->user, data->password, data->database, data->pinned_fingerprint,
    data->allow_plaintext_password, data->timeout_seconds,
  };

  g_task_return_pointer (task,
                         mail_server_check_sync (data->protocol, data->host, data->port,
                                                 data->security, &options, cancellable),
                         (GDestroyNotify) mail_server_check_result_free);
}

/**
 * mail_server_check_async:
 * @protocol: the protocol to speak
 * @host: the server
 * @port: its port, or 0 for the standard one
 * @security: how to secure the connection
 * @options: (nullable): user, password, trust and timeouts (copied)
 * @cancellable: (nullable): cancels the check and closes its socket at once
 * @callback: called on the caller's main context when done
 * @user_data: data for @callback
 *
 * Runs mail_server_check_sync() in a worker thread.
 */
void
mail_server_check_async (MailProtocol                  protocol,
                         const char                   *host,
                         guint16                       port,
                         MailSecurity                  security,
                         const MailServerCheckOptions *options,
                         GCancellable                 *cancellable,
                         GAsyncReadyCallback           callback,
                         gpointer                      user_data)
{
  g_autoptr (GTask) task = NULL;
  CheckData *data;

  g_return_if_fail (host != NULL);

  data = g_new0 (CheckData, 1);
  data->protocol = protocol;
  data->host = g_strdup (host);
  data->port = port;
  data->security = security;
  if (options != NULL)
    {
      data->user = g_strdup (options->user);
      data->password = g_strdup (options->password);
      data->pinned_fingerprint = g_strdup (options->pinned_fingerprint);
      data->database = options->database != NULL ? g_object_ref (options->database) : NULL;
      data->allow_plaintext_password = options->allow_plaintext_password;
      data->timeout_seconds = options->timeout_seconds;
    }

  task = mail_task_new (NULL, mail_server_check_async, "mail_server_check_async",
                        G_PRIORITY_DEFAULT, cancellable, callback, user_data);
  g_task_set_task_data (task, data, (GDestroyNotify) check_data_free);
  g_task_run_in_thread (task, check_thread);
}

/**
 * mail_server_check_finish:
 * @result: the #GAsyncResult
 * @error: set only when the check could not run at all (e.g. cancelled)
 *
 * Returns: (transfer full): the outcome
 */
MailServerCheckResult *
mail_server_check_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mail_server_check_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
