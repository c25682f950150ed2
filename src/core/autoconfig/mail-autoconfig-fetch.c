/* mail-autoconfig-fetch.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Reading a configuration file over HTTP(S). The file tells the application where to
 * send the user's password, so the fetch is careful: redirects are followed here, one by
 * one, so that every hop is seen and an HTTPS request never ends on plain HTTP; the body
 * is read in chunks and given up as soon as it is larger than any configuration file; the
 * certificate is always verified; nothing older than TLS 1.2 is accepted, as for the mail
 * connections; and the whole fetch, redirects included, has a deadline.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "mail-autoconfig-fetch.h"
#include "mail-certificate-info.h"
#include "mail-net-error.h"
#include "mail-task.h"
#include "mail-thread-context.h"

#define MAX_REDIRECTS 5
#define CHUNK_SIZE    (16 * 1024)

/**
 * mail_autoconfig_fetched_free:
 * @fetched: (transfer full) (nullable): a fetched file
 */
void
mail_autoconfig_fetched_free (MailAutoconfigFetched *fetched)
{
  if (fetched == NULL)
    return;

  g_clear_pointer (&fetched->config, mail_autoconfig_result_free);
  g_free (fetched->final_url);
  g_free (fetched);
}

/**
 * mail_autoconfig_session_new:
 * @database: (nullable): the trust store for HTTPS, or %NULL for the system's
 * @timeout_seconds: how long one fetch may take in all, connecting included; 0 for no
 *   limit
 *
 * A session for mail_autoconfig_fetch_async(): no cookies, no cache, certificates
 * always verified, and a User-Agent naming the application.
 *
 * Returns: (transfer full): a new #SoupSession
 */
SoupSession *
mail_autoconfig_session_new (GTlsDatabase *database,
                             guint         timeout_seconds)
{
  SoupSession *session;

  g_return_val_if_fail (database == NULL || G_IS_TLS_DATABASE (database), NULL);

  session = soup_session_new_with_options ("timeout", timeout_seconds,
                                           "idle-timeout", timeout_seconds,
                                           "user-agent", APP_ID "/" PACKAGE_VERSION,
                                           NULL);
  /* Only set when given: an explicit NULL database would leave nothing to verify with. */
  if (database != NULL)
    soup_session_set_tls_database (session, database);

  return session;
}

typedef struct
{
  SoupSession          *session;
  SoupMessage          *message;
  GInputStream         *stream;
  char                 *url;
  char                 *host;
  char                 *email_address;
  GByteArray           *body;
  GCancellable         *hop_cancellable;
  GSource              *cancel_source;
  GSource              *timeout_source;
  GTlsCertificate      *peer_certificate;
  GTlsCertificateFlags  peer_errors;
  GTlsProtocolVersion   refused_version;
  guint                 timeout_seconds;
  guint                 redirects;
  guint16               port;
  gboolean              all_https;
  gboolean              timed_out;
} FetchData;

static void
drop_stream (FetchData *data)
{
  if (data->stream == NULL)
    return;

  /* Cancel first: closing a body that was not read to the end must not wait for (or
   * read) the rest of it. */
  if (data->hop_cancellable != NULL)
    g_cancellable_cancel (data->hop_cancellable);
  g_input_stream_close_async (data->stream, G_PRIORITY_DEFAULT, data->hop_cancellable, NULL,
                              NULL);
  g_clear_object (&data->stream);
}

static void
fetch_data_free (FetchData *data)
{
  drop_stream (data);
  if (data->cancel_source != NULL)
    g_source_destroy (data->cancel_source);
  g_clear_pointer (&data->cancel_source, g_source_unref);
  if (data->timeout_source != NULL)
    g_source_destroy (data->timeout_source);
  g_clear_pointer (&data->timeout_source, g_source_unref);
  g_clear_object (&data->session);
  if (data->message != NULL)
    g_signal_handlers_disconnect_by_data (data->message, data);
  g_clear_object (&data->message);
  g_clear_object (&data->hop_cancellable);
  g_clear_object (&data->peer_certificate);
  g_clear_pointer (&data->body, g_byte_array_unref);
  g_free (data->url);
  g_free (data->host);
  g_free (data->email_address);
  g_free (data);
}

static gboolean
caller_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  FetchData *data = user_data;

  /* Runs on the task's context: the hop's cancellable cannot change under us. */
  if (data->hop_cancellable != NULL)
    g_cancellable_cancel (data->hop_cancellable);

  return G_SOURCE_REMOVE;
}

static gboolean
timeout_cb (gpointer user_data)
{
  FetchData *data = user_data;

  data->timed_out = TRUE;
  if (data->hop_cancellable != NULL)
    g_cancellable_cancel (data->hop_cancellable);

  return G_SOURCE_REMOVE;
}

static gboolean
accept_certificate_cb (SoupMessage          *message,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  FetchData *data = user_data;

  /* Never accepted: only remembered, to say what was wrong with it. */
  g_set_object (&data->peer_certificate, certificate);
  data->peer_errors = errors;

  return FALSE;
}

/* TLS 1.0 and 1.1 are refused here as they are for mail (mail-connection.c), whatever the
 * TLS backend would agree to: glib-networking may be built with other defaults. */
static gboolean
tls_version_too_old (GTlsProtocolVersion version)
{
  return version == G_TLS_PROTOCOL_VERSION_SSL_3_0 || version == G_TLS_PROTOCOL_VERSION_TLS_1_0 ||
         version == G_TLS_PROTOCOL_VERSION_TLS_1_1;
}

static void
return_tls_version_error (GTask               *task,
                          GTlsProtocolVersion  version)
{
  FetchData *data = g_task_get_task_data (task);
  const char *name = version == G_TLS_PROTOCOL_VERSION_SSL_3_0   ? "SSL 3.0"
                     : version == G_TLS_PROTOCOL_VERSION_TLS_1_0 ? "TLS 1.0"
                                                                 : "TLS 1.1";

  g_task_return_new_error (task, MAIL_NET_ERROR, MAIL_NET_ERROR_TLS_VERSION,
                           _("The web server %s only offers %s, which is no longer secure "
                             "(TLS 1.2 or newer is required)."),
                           data->host, name);
}

/* Right after the handshake, before the request (which names the user's address) goes
 * out: a connection below TLS 1.2 ends the request there. */
static void
network_event_cb (SoupMessage        *message,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  gpointer            user_data)
{
  FetchData *data = user_data;
  GTlsProtocolVersion version;

  if (event != G_SOCKET_CLIENT_TLS_HANDSHAKED || !G_IS_TLS_CONNECTION (connection))
    return;

  version = g_tls_connection_get_protocol_version (G_TLS_CONNECTION (connection));
  if (!tls_version_too_old (version))
    return;

  data->refused_version = version;
  g_cancellable_cancel (data->hop_cancellable);
}

/* Turns a transport failure into the error to report: the caller's cancellation, our
 * deadline, a TLS version or certificate that was refused, or the failure itself with
 * context. */
static void
return_transport_error (GTask  *task,
                        GError *error)
{
  FetchData *data = g_task_get_task_data (task);
  g_autoptr (GError) owned = error;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (data->refused_version != G_TLS_PROTOCOL_VERSION_UNKNOWN)
    {
      return_tls_version_error (task, data->refused_version);
      return;
    }

  if (data->timed_out ||
      g_error_matches (owned, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               _("The web server %s did not answer within %u seconds."),
                               data->host, data->timeout_seconds);
      return;
    }

  if (owned->domain == G_TLS_ERROR && data->peer_certificate != NULL)
    {
      g_autoptr (MailCertificateInfo) info =
        mail_certificate_info_new (data->peer_certificate, data->peer_errors, data->host,
                                   data->port);

      g_task_return_error (task, mail_net_error_new_certificate (info));
      return;
    }

  if (owned->domain == G_TLS_ERROR)
    {
      g_task_return_new_error (task, G_TLS_ERROR, owned->code,
                               _("A secure connection to the web server %s could not be "
                                 "made (%s)."), data->host, owned->message);
      return;
    }

  g_prefix_error (&owned, _("The web server %s could not be reached: "), data->host);
  g_task_return_error (task, g_steal_pointer (&owned));
}

static void start_request (GTask *task);

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  FetchData *data = g_task_get_task_data (task);
  g_autoptr (GBytes) chunk = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (MailAutoconfigResult) config = NULL;
  MailAutoconfigFetched *fetched;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (chunk == NULL)
    {
      return_transport_error (task, g_steal_pointer (&error));
      return;
    }

  if (g_bytes_get_size (chunk) > 0)
    {
      if (data->body->len + g_bytes_get_size (chunk) > MAIL_AUTOCONFIG_PARSER_MAX_SIZE)
        {
          drop_stream (data);
          g_task_return_new_error (task, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_TOO_LARGE,
                                   _("The file at %s is too large to be a configuration "
                                     "file."), data->url);
          return;
        }

      g_byte_array_append (data->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
      g_input_stream_read_bytes_async (data->stream, CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                       data->hop_cancellable, read_cb, g_steal_pointer (&task));
      return;
    }

  /* The end of the body. */
  g_input_stream_close_async (data->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_clear_object (&data->stream);

  config = mail_autoconfig_parse ((const char *) data->body->data, (gssize) data->body->len,
                                  data->email_address, &error);
  if (config == NULL)
    {
      g_prefix_error (&error, _("The file at %s is not a valid configuration file: "),
                      data->url);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  fetched = g_new0 (MailAutoconfigFetched, 1);
  fetched->config = g_steal_pointer (&config);
  fetched->final_url = g_strdup (data->url);
  fetched->all_https = data->all_https;
  g_task_return_pointer (task, fetched, (GDestroyNotify) mail_autoconfig_fetched_free);
}

static gboolean
is_redirect (guint status)
{
  return status == SOUP_STATUS_MOVED_PERMANENTLY || status == SOUP_STATUS_FOUND ||
         status == SOUP_STATUS_SEE_OTHER || status == SOUP_STATUS_TEMPORARY_REDIRECT ||
         status == SOUP_STATUS_PERMANENT_REDIRECT;
}

static void
follow_redirect (GTask *task)
{
  FetchData *data = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (data->message);
  const char *location = soup_message_headers_get_one (headers, "Location");
  g_autoptr (GUri) target = NULL;
  const char *scheme;

  drop_stream (data);

  if (location == NULL)
    {
      g_task_return_new_error (task, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_HTTP,
                               _("The web server %s redirected the request without saying "
                                 "where to (HTTP status %u)."),
                               data->host, soup_message_get_status (data->message));
      return;
    }

  target = g_uri_parse_relative (soup_message_get_uri (data->message), location,
                                 SOUP_HTTP_URI_FLAGS, NULL);
  scheme = target != NULL ? g_uri_get_scheme (target) : NULL;
  if (scheme == NULL ||
      (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0))
    {
      g_task_return_new_error (task, MAIL_AUTOCONFIG_ERROR,
                               MAIL_AUTOCONFIG_ERROR_INSECURE_REDIRECT,
                               _("The web server %s redirected the request to an address "
                                 "that is not a web page."), data->host);
      return;
    }

  if (g_ascii_strcasecmp (scheme, "http") == 0 &&
      g_ascii_strcasecmp (g_uri_get_scheme (soup_message_get_uri (data->message)), "https") == 0)
    {
      g_task_return_new_error (task, MAIL_AUTOCONFIG_ERROR,
                               MAIL_AUTOCONFIG_ERROR_INSECURE_REDIRECT,
                               _("The web server %s redirected a secure (HTTPS) request to "
                                 "an insecure (HTTP) address; the redirect was not "
                                 "followed."), data->host);
      return;
    }

  if (data->redirects >= MAX_REDIRECTS)
    {
      g_task_return_new_error (task, MAIL_AUTOCONFIG_ERROR,
                               MAIL_AUTOCONFIG_ERROR_TOO_MANY_REDIRECTS,
                               _("The web server %s redirected the request more than %u "
                                 "times."), data->host, MAX_REDIRECTS);
      return;
    }

  data->redirects++;
  g_free (data->url);
  data->url = g_uri_to_string (target);
  g_debug ("autoconfig: redirected to %s", data->url);

  start_request (task);
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  FetchData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  guint status;
  goffset length;

  data->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (data->stream == NULL)
    {
      return_transport_error (task, g_steal_pointer (&error));
      return;
    }

  /* A connection reused from an earlier request was checked when it was made; this
   * covers any that was not. */
  if (tls_version_too_old (soup_message_get_tls_protocol_version (data->message)))
    {
      drop_stream (data);
      return_tls_version_error (task, soup_message_get_tls_protocol_version (data->message));
      return;
    }

  status = soup_message_get_status (data->message);
  if (is_redirect (status))
    {
      follow_redirect (task);
      return;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      drop_stream (data);
      if (status == SOUP_STATUS_NOT_FOUND || status == SOUP_STATUS_GONE)
        g_task_return_new_error (task, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_NOT_FOUND,
                                 _("The web server %s has no configuration file at %s "
                                   "(HTTP status %u)."), data->host, data->url, status);
      else
        g_task_return_new_error (task, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_HTTP,
                                 _("The web server %s answered the request for %s with an "
                                   "error (HTTP status %u %s)."),
                                 data->host, data->url, status,
                                 soup_message_get_reason_phrase (data->message) != NULL
                                   ? soup_message_get_reason_phrase (data->message) : "");
      return;
    }

  /* Refuse an announced size at once, without reading any of it. */
  length = soup_message_headers_get_content_length (
    soup_message_get_response_headers (data->message));
  if (length > MAIL_AUTOCONFIG_PARSER_MAX_SIZE)
    {
      drop_stream (data);
      g_task_return_new_error (task, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_TOO_LARGE,
                               _("The file at %s is too large to be a configuration file."),
                               data->url);
      return;
    }

  data->body = g_byte_array_new ();
  g_input_stream_read_bytes_async (data->stream, CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   data->hop_cancellable, read_cb, g_steal_pointer (&task));
}

static void
start_request (GTask *task)
{
  FetchData *data = g_task_get_task_data (task);
  g_autoptr (GUri) uri = NULL;
  const char *scheme;

  uri = g_uri_parse (data->url, SOUP_HTTP_URI_FLAGS, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (scheme == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("“%s” is not a web address."), data->url);
      return;
    }

  if (g_ascii_strcasecmp (scheme, "https") != 0)
    data->all_https = FALSE;

  g_free (data->host);
  data->host = g_strdup (g_uri_get_host (uri));
  data->port = (guint16) (g_uri_get_port (uri) > 0 ? g_uri_get_port (uri)
                                                   : g_ascii_strcasecmp (scheme, "https") == 0
                                                     ? 443 : 80);
  g_clear_object (&data->peer_certificate);
  data->peer_errors = 0;
  data->refused_version = G_TLS_PROTOCOL_VERSION_UNKNOWN;

  /* Each hop gets its own cancellable: the previous one was cancelled to drop its body. */
  g_clear_object (&data->hop_cancellable);
  data->hop_cancellable = g_cancellable_new ();
  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)) || data->timed_out)
    g_cancellable_cancel (data->hop_cancellable);

  if (data->message != NULL)
    g_signal_handlers_disconnect_by_data (data->message, data);
  g_clear_object (&data->message);
  data->message = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
  soup_message_add_flags (data->message, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (data->message), "Accept",
                                "application/xml, text/xml");
  g_signal_connect (data->message, "accept-certificate", G_CALLBACK (accept_certificate_cb),
                    data);
  g_signal_connect (data->message, "network-event", G_CALLBACK (network_event_cb), data);

  soup_session_send_async (data->session, data->message, G_PRIORITY_DEFAULT,
                           data->hop_cancellable, send_cb, g_object_ref (task));
}

/**
 * mail_autoconfig_fetch_async:
 * @session: a session from mail_autoconfig_session_new()
 * @url: the http or https address of the file, query included
 * @email_address: the address whose settings are looked for, substituted into the file
 * @cancellable: (nullable): cancels the fetch at once
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Reads and parses the configuration file at @url. Up to five redirects are followed,
 * but never from HTTPS to HTTP. The session's timeout bounds the whole fetch, redirects
 * included.
 */
void
mail_autoconfig_fetch_async (SoupSession         *session,
                             const char          *url,
                             const char          *email_address,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  FetchData *data;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (url != NULL);
  g_return_if_fail (email_address != NULL);

  task = mail_task_new (NULL, mail_autoconfig_fetch_async, "mail_autoconfig_fetch_async",
                        G_PRIORITY_DEFAULT, cancellable, callback, user_data);

  data = g_new0 (FetchData, 1);
  data->session = g_object_ref (session);
  data->url = g_strdup (url);
  data->host = g_strdup (url);
  data->email_address = g_strdup (email_address);
  data->all_https = TRUE;
  data->timeout_seconds = soup_session_get_timeout (session);
  g_task_set_task_data (task, data, (GDestroyNotify) fetch_data_free);

  if (cancellable != NULL)
    {
      data->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (data->cancel_source, G_SOURCE_FUNC (caller_cancelled_cb), data,
                             NULL);
      g_source_attach (data->cancel_source, g_task_get_context (task));
    }

  if (data->timeout_seconds > 0)
    {
      data->timeout_source = g_timeout_source_new (data->timeout_seconds * 1000);
      g_source_set_callback (data->timeout_source, timeout_cb, data, NULL);
      g_source_attach (data->timeout_source, g_task_get_context (task));
    }

  start_request (task);
}

/**
 * mail_autoconfig_fetch_finish:
 * @result: the #GAsyncResult
 * @error: return location for a #GError: %MAIL_AUTOCONFIG_ERROR for a missing, refused,
 *   too large or invalid file, %MAIL_NET_ERROR_CERTIFICATE for a certificate that was not
 *   accepted, %MAIL_NET_ERROR_TLS_VERSION for a server older than TLS 1.2,
 *   %G_IO_ERROR_TIMED_OUT, %G_IO_ERROR_CANCELLED, or a transport error
 *
 * Returns: (transfer full): the parsed file, where it was finally read from, and whether
 *   every request was HTTPS
 */
MailAutoconfigFetched *
mail_autoconfig_fetch_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mail_autoconfig_fetch_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The fetcher: the same fetches, off the caller's thread.
 *
 * libsoup sets up each TLS connection on the thread that runs its session, and
 * glib-networking reads the system's whole trust store for every new TLS client
 * connection: tens of milliseconds each. Run on the caller's (the window's) main context,
 * a detection's handful of HTTPS requests would freeze the interface and delay Cancel. So
 * the sessions live on one thread of their own, and only the results come back. */

struct _MailAutoconfigFetcher
{
  SoupSession  *session;
  GTlsDatabase *database;
  guint         timeout_seconds;
};

typedef struct
{
  MailAutoconfigFetcher *fetcher;
  GTask                 *task;
  char                  *url;
  char                  *email_address;
} FetcherRequest;

static GMainContext *
fetcher_context (void)
{
  static gsize initialized;
  static GMainContext *context;

  if (g_once_init_enter (&initialized))
    {
      context = mail_thread_context_new ("mail-autoconfig-http");
      g_once_init_leave (&initialized, 1);
    }

  return context;
}

static void
fetcher_unref (MailAutoconfigFetcher *fetcher)
{
  g_atomic_rc_box_release_full (fetcher, NULL);
}

static gboolean
fetcher_create_session_cb (gpointer data)
{
  MailAutoconfigFetcher *fetcher = data;

  fetcher->session = mail_autoconfig_session_new (fetcher->database, fetcher->timeout_seconds);

  return G_SOURCE_REMOVE;
}

static gboolean
fetcher_destroy_session_cb (gpointer data)
{
  MailAutoconfigFetcher *fetcher = data;

  if (fetcher->session != NULL)
    soup_session_abort (fetcher->session);
  g_clear_object (&fetcher->session);
  g_clear_object (&fetcher->database);

  return G_SOURCE_REMOVE;
}

/**
 * mail_autoconfig_fetcher_new:
 * @database: (nullable): the certificate authorities to trust
 * @timeout_seconds: the limit of one fetch, redirects included
 *
 * Returns: (transfer full): a fetcher whose requests run on a thread of their own
 */
MailAutoconfigFetcher *
mail_autoconfig_fetcher_new (GTlsDatabase *database,
                             guint         timeout_seconds)
{
  MailAutoconfigFetcher *fetcher = g_atomic_rc_box_new0 (MailAutoconfigFetcher);

  fetcher->database = database != NULL ? g_object_ref (database) : NULL;
  fetcher->timeout_seconds = timeout_seconds;
  /* Sources of one context at one priority run in the order they were added, so the
   * session exists before any request reaches it. */
  g_main_context_invoke_full (fetcher_context (), G_PRIORITY_DEFAULT, fetcher_create_session_cb,
                              g_atomic_rc_box_acquire (fetcher), (GDestroyNotify) fetcher_unref);

  return fetcher;
}

/**
 * mail_autoconfig_fetcher_free:
 * @fetcher: (nullable): a fetcher
 *
 * Aborts what it still runs (their callbacks still come, with an error) and lets it go.
 */
void
mail_autoconfig_fetcher_free (MailAutoconfigFetcher *fetcher)
{
  if (fetcher == NULL)
    return;

  g_main_context_invoke_full (fetcher_context (), G_PRIORITY_DEFAULT, fetcher_destroy_session_cb,
                              fetcher, (GDestroyNotify) fetcher_unref);
}

static void
fetcher_request_free (FetcherRequest *request)
{
  fetcher_unref (request->fetcher);
  g_clear_object (&request->task);
  g_free (request->url);
  g_free (request->email_address);
  g_free (request);
}

static void
fetcher_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  FetcherRequest *request = user_data;
  GError *error = NULL;
  MailAutoconfigFetched *fetched = mail_autoconfig_fetch_finish (result, &error);

  /* Returned from this thread, the callback runs on the caller's context. */
  if (fetched != NULL)
    g_task_return_pointer (request->task, fetched, (GDestroyNotify) mail_autoconfig_fetched_free);
  else
    g_task_return_error (request->task, error);
  fetcher_request_free (request);
}

static gboolean
fetcher_start_cb (gpointer data)
{
  FetcherRequest *request = data;
  GCancellable *cancellable = g_task_get_cancellable (request->task);

  if (request->fetcher->session == NULL)
    {
      g_task_return_new_error (request->task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The request was cancelled."));
      fetcher_request_free (request);
      return G_SOURCE_REMOVE;
    }

  mail_autoconfig_fetch_async (request->fetcher->session, request->url, request->email_address,
                               cancellable, fetcher_done_cb, request);

  return G_SOURCE_REMOVE;
}

/**
 * mail_autoconfig_fetcher_fetch_async:
 * @fetcher: a fetcher
 * @url: the http or https URL of a config-v1.1 file
 * @email_address: the address, for the file's placeholders
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's thread-default main context
 * @user_data: for @callback
 *
 * mail_autoconfig_fetch_async() on the fetcher's thread.
 */
void
mail_autoconfig_fetcher_fetch_async (MailAutoconfigFetcher *fetcher,
                                     const char            *url,
                                     const char            *email_address,
                                     GCancellable          *cancellable,
                                     GAsyncReadyCallback    callback,
                                     gpointer               user_data)
{
  FetcherRequest *request = g_new0 (FetcherRequest, 1);

  g_return_if_fail (fetcher != NULL);
  g_return_if_fail (url != NULL);

  request->fetcher = g_atomic_rc_box_acquire (fetcher);
  request->task = mail_task_new (NULL, mail_autoconfig_fetcher_fetch_async,
                                 "mail_autoconfig_fetcher_fetch_async", G_PRIORITY_DEFAULT,
                                 cancellable, callback, user_data);
  request->url = g_strdup (url);
  request->email_address = g_strdup (email_address);

  g_main_context_invoke_full (fetcher_context (), G_PRIORITY_DEFAULT, fetcher_start_cb, request,
                              NULL);
}

/**
 * mail_autoconfig_fetcher_fetch_finish:
 * @result: the #GAsyncResult
 * @error: return location for a #GError, as for mail_autoconfig_fetch_finish()
 *
 * Returns: (transfer full): the parsed file and where it came from
 */
MailAutoconfigFetched *
mail_autoconfig_fetcher_fetch_finish (GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        mail_autoconfig_fetcher_fetch_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
