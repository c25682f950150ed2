/* test-autoconfig-sources.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The network sources of autodetection against the harness's web and DNS servers:
 * autoconfig files over HTTPS and HTTP, certificate failures, MX and SRV records,
 * cancellation and time-outs. What the harness's static web server cannot do (redirect
 * chains, HTTPS to HTTP redirects, endless bodies, servers that never answer) is played
 * by a small scripted HTTP(S) server in this process.
 */

#include "config.h"

#include <string.h>

#include "mail-autoconfig-dns.h"
#include "mail-autoconfig-fetch.h"
#include "mail-net-error.h"
#include "mail-test-certs.h"
#include "mail-test-util.h"
#include "mail-tls-database.h"

#define ADDRESS         "alice@example.test"
#define TIMEOUT_SECONDS 10

/* Waiting for one asynchronous call on the main loop */

typedef struct
{
  GMainLoop *loop;
  gpointer   result;
  GError    *error;
  gint64     finished;
} Wait;

static void
wait_init (Wait *wait)
{
  memset (wait, 0, sizeof *wait);
  wait->loop = g_main_loop_new (NULL, FALSE);
}

static void
wait_clear (Wait *wait)
{
  g_clear_pointer (&wait->loop, g_main_loop_unref);
  g_clear_error (&wait->error);
}

static void
fetch_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = mail_autoconfig_fetch_finish (result, &wait->error);
  wait->finished = g_get_monotonic_time ();
  g_main_loop_quit (wait->loop);
}

static MailAutoconfigFetched *
fetch (SoupSession   *session,
       const char    *url,
       GCancellable  *cancellable,
       GError       **error)
{
  Wait wait;
  MailAutoconfigFetched *fetched;

  wait_init (&wait);
  mail_autoconfig_fetch_async (session, url, ADDRESS, cancellable, fetch_done_cb, &wait);
  /* Never answered before the main loop runs: nothing blocked. */
  g_assert_null (wait.result);
  g_assert_no_error (wait.error);
  g_main_loop_run (wait.loop);

  fetched = wait.result;
  if (wait.error != NULL)
    g_propagate_error (error, g_steal_pointer (&wait.error));
  wait_clear (&wait);

  return fetched;
}

static SoupSession *
harness_session (guint timeout_seconds)
{
  g_autoptr (GTlsDatabase) database = mail_test_tls_database ();

  return mail_autoconfig_session_new (database, timeout_seconds);
}

/* Fetching from the harness's web server */

static void
assert_test_domain_config (MailAutoconfigResult *config)
{
  MailAutoconfigServer *server;

  g_assert_nonnull (config);
  g_assert_cmpstr (config->provider_id, ==, "example.test");
  g_assert_cmpuint (config->incoming_servers->len, ==, 3);
  g_assert_cmpuint (config->outgoing_servers->len, ==, 2);
  server = g_ptr_array_index (config->incoming_servers, 0);
  g_assert_cmpstr (server->hostname, ==, "mail.example.test");
  g_assert_cmpuint (server->port, ==, 993);
  g_assert_cmpint (server->security, ==, MAIL_SECURITY_TLS);
  /* %EMAILADDRESS% was replaced by the address asked for. */
  g_assert_cmpstr (server->username, ==, ADDRESS);
}

static void
test_fetch_https (void)
{
  g_autoptr (SoupSession) session = harness_session (TIMEOUT_SECONDS);
  const char *urls[] = {
    "https://autoconfig.example.test/mail/config-v1.1.xml?emailaddress=alice%40example.test",
    "https://example.test/.well-known/autoconfig/mail/config-v1.1.xml",
  };

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr (MailAutoconfigFetched) fetched = NULL;
      g_autoptr (GError) error = NULL;

      fetched = fetch (session, urls[i], NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (fetched);
      g_assert_true (fetched->all_https);
      g_assert_cmpstr (fetched->final_url, ==, urls[i]);
      assert_test_domain_config (fetched->config);
    }
}

static void
test_fetch_not_found (void)
{
  g_autoptr (SoupSession) session = harness_session (TIMEOUT_SECONDS);
  g_autoptr (MailAutoconfigFetched) fetched = NULL;
  g_autoptr (GError) error = NULL;

  fetched = fetch (session, "https://example.test/.well-known/autoconfig/mail/none.xml", NULL,
                   &error);
  g_assert_null (fetched);
  g_assert_error (error, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "404"));
  g_assert_nonnull (strstr (error->message, "example.test"));
}

static void
test_fetch_http (void)
{
  g_autoptr (SoupSession) session = harness_session (TIMEOUT_SECONDS);
  g_autoptr (MailAutoconfigFetched) fetched = NULL;
  g_autoptr (GError) error = NULL;
  const char *url = "http://autoconfig.example.test/mail/config-v1.1.xml";

  fetched = fetch (session, url, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (fetched->all_https);
  g_assert_cmpstr (fetched->final_url, ==, url);
  assert_test_domain_config (fetched->config);
}

static void
assert_certificate_error (const char           *url,
                          const char           *host,
                          GTlsCertificateFlags  expected_flag)
{
  g_autoptr (SoupSession) session = harness_session (TIMEOUT_SECONDS);
  g_autoptr (MailAutoconfigFetched) fetched = NULL;
  g_autoptr (GError) error = NULL;
  MailCertificateInfo *info;

  fetched = fetch (session, url, NULL, &error);
  g_assert_null (fetched);
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_CERTIFICATE);
  g_test_message ("%s: %s", url, error->message);
  g_assert_nonnull (strstr (error->message, host));
  g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_TLS_CERTIFICATE);
  info = mail_net_error_get_certificate_info (error);
  g_assert_nonnull (info);
  g_assert_cmpstr (mail_certificate_info_get_host (info), ==, host);
  g_assert_true (mail_certificate_info_get_errors (info) & expected_flag);
}

static void
test_fetch_certificate_errors (void)
{
  g_autofree char *wrong_host = mail_test_harness_get ("bad-certs", "wrong-host");
  g_autofree char *self_signed = mail_test_harness_get ("bad-certs", "self-signed-host");
  g_autofree char *wrong_url = g_strdup_printf ("https://%s:993/mail/config-v1.1.xml",
                                                wrong_host);
  g_autofree char *self_signed_url = g_strdup_printf ("https://%s:993/mail/config-v1.1.xml",
                                                      self_signed);

  /* Those hosts speak IMAP, but the TLS handshake, and its failure, comes first. */
  assert_certificate_error (wrong_url, wrong_host, G_TLS_CERTIFICATE_BAD_IDENTITY);
  assert_certificate_error (self_signed_url, self_signed, G_TLS_CERTIFICATE_UNKNOWN_CA);
}

static void
test_fetch_system_trust (void)
{
  g_autoptr (SoupSession) session = mail_autoconfig_session_new (NULL, TIMEOUT_SECONDS);
  g_autoptr (MailAutoconfigFetched) fetched = NULL;
  g_autoptr (GError) error = NULL;

  /* Without the test CA the harness's certificate is refused: verification is never
   * switched off. */
  fetched = fetch (session, "https://autoconfig.example.test/mail/config-v1.1.xml", NULL,
                   &error);
  g_assert_null (fetched);
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_CERTIFICATE);
  g_assert_true (mail_certificate_info_get_errors (mail_net_error_get_certificate_info (error)) &
                 G_TLS_CERTIFICATE_UNKNOWN_CA);
}

static gint64 cancelled_at;

static gboolean
cancel_cb (gpointer user_data)
{
  cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (user_data);

  return G_SOURCE_REMOVE;
}

static void
test_fetch_cancel (void)
{
  g_autofree char *silent = mail_test_harness_get ("silent", "host");
  g_autofree char *url = g_strdup_printf ("https://%s:993/mail/config-v1.1.xml", silent);
  g_autoptr (SoupSession) session = harness_session (30);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  Wait wait;

  /* The silent host accepts and never starts TLS: only Cancel ends this before 30 s. */
  wait_init (&wait);
  cancelled_at = 0;
  mail_autoconfig_fetch_async (session, url, ADDRESS, cancellable, fetch_done_cb, &wait);
  g_timeout_add (300, cancel_cb, cancellable);
  g_main_loop_run (wait.loop);

  g_assert_cmpint (cancelled_at, >, 0);
  g_test_message ("reported %" G_GINT64_FORMAT " ms after Cancel",
                  (wait.finished - cancelled_at) / 1000);
  g_assert_cmpint (wait.finished - cancelled_at, <, 200 * 1000);
  g_assert_null (wait.result);
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  wait_clear (&wait);
}

static void
test_fetch_timeout_silent_host (void)
{
  g_autofree char *silent = mail_test_harness_get ("silent", "host");
  g_autofree char *url = g_strdup_printf ("https://%s:993/mail/config-v1.1.xml", silent);
  g_autoptr (SoupSession) session = harness_session (2);
  g_autoptr (MailAutoconfigFetched) fetched = NULL;
  g_autoptr (GError) error = NULL;
  gint64 started = g_get_monotonic_time ();
  gint64 elapsed;

  fetched = fetch (session, url, NULL, &error);
  elapsed = g_get_monotonic_time () - started;
  g_test_message ("timed out after %" G_GINT64_FORMAT " ms", elapsed / 1000);
  g_assert_null (fetched);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_nonnull (strstr (error->message, silent));
  g_assert_cmpint (elapsed, >=, 1500 * 1000);
  g_assert_cmpint (elapsed, <, 4000 * 1000);
}

/* DNS */

static void
lookup_mx_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = mail_autoconfig_dns_lookup_mx_finish (result, &wait->error);
  wait->finished = g_get_monotonic_time ();
  g_main_loop_quit (wait->loop);
}

static void
lookup_srv_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = mail_autoconfig_dns_lookup_srv_finish (result, &wait->error);
  wait->finished = g_get_monotonic_time ();
  g_main_loop_quit (wait->loop);
}

static char *
lookup_mx (const char  *domain,
           GError     **error)
{
  Wait wait;
  char *host;

  wait_init (&wait);
  mail_autoconfig_dns_lookup_mx_async (NULL, domain, NULL, lookup_mx_cb, &wait);
  g_main_loop_run (wait.loop);
  host = wait.result;
  if (wait.error != NULL)
    g_propagate_error (error, g_steal_pointer (&wait.error));
  wait_clear (&wait);

  return host;
}

static MailAutoconfigSrvAnswer *
lookup_srv (const char  *domain,
            GError     **error)
{
  Wait wait;
  MailAutoconfigSrvAnswer *answer;

  wait_init (&wait);
  mail_autoconfig_dns_lookup_srv_async (NULL, domain, NULL, lookup_srv_cb, &wait);
  g_main_loop_run (wait.loop);
  answer = wait.result;
  if (wait.error != NULL)
    g_propagate_error (error, g_steal_pointer (&wait.error));
  wait_clear (&wait);

  return answer;
}

static void
test_mx (void)
{
  g_autofree char *host = NULL;
  g_autofree char *upper = NULL;
  g_autoptr (GError) error = NULL;

  host = lookup_mx ("example.test", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (host, ==, "mail.example.test");

  /* Case and a trailing dot in the question change nothing. */
  upper = lookup_mx ("Example.TEST.", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (upper, ==, "mail.example.test");
}

static void
test_mx_missing (void)
{
  g_autofree char *host = NULL;
  g_autofree char *no_mx = NULL;
  g_autoptr (GError) error = NULL;

  /* NXDOMAIN. */
  host = lookup_mx ("nonexistent.test", &error);
  g_assert_null (host);
  g_assert_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "nonexistent.test"));
  g_assert_nonnull (strstr (error->message, "MX"));
  g_clear_error (&error);

  /* The name exists (an A record), but has no MX record. */
  no_mx = lookup_mx ("mail.example.test", &error);
  g_assert_null (no_mx);
  g_assert_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND);
}

static void
test_srv (void)
{
  static const struct
  {
    const char   *service;
    MailProtocol  protocol;
    MailSecurity  security;
    guint16       port;
  } expected[] = {
    { "submissions", MAIL_PROTOCOL_SMTP, MAIL_SECURITY_TLS, 465 },
    { "submission", MAIL_PROTOCOL_SMTP, MAIL_SECURITY_STARTTLS, 587 },
    { "imaps", MAIL_PROTOCOL_IMAP, MAIL_SECURITY_TLS, 993 },
    { "imap", MAIL_PROTOCOL_IMAP, MAIL_SECURITY_STARTTLS, 143 },
    { "pop3s", MAIL_PROTOCOL_POP3, MAIL_SECURITY_TLS, 995 },
    { "pop3", MAIL_PROTOCOL_POP3, MAIL_SECURITY_STARTTLS, 110 },
  };
  g_autoptr (MailAutoconfigSrvAnswer) answer = NULL;
  g_autoptr (GError) error = NULL;

  answer = lookup_srv ("example.test", &error);
  g_assert_no_error (error);
  g_assert_nonnull (answer);
  g_assert_cmpuint (answer->not_offered->len, ==, 0);
  g_assert_cmpuint (answer->records->len, ==, G_N_ELEMENTS (expected));

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      MailAutoconfigSrv *srv = g_ptr_array_index (answer->records, i);

      g_assert_cmpstr (srv->service, ==, expected[i].service);
      g_assert_cmpint (srv->protocol, ==, expected[i].protocol);
      g_assert_cmpint (srv->security, ==, expected[i].security);
      g_assert_cmpuint (srv->port, ==, expected[i].port);
      g_assert_cmpstr (srv->host, ==, "mail.example.test");
      g_assert_cmpuint (srv->priority, ==, 0);
      g_assert_cmpuint (srv->weight, ==, 1);
    }
}

static void
test_srv_missing (void)
{
  g_autoptr (MailAutoconfigSrvAnswer) answer = NULL;
  g_autoptr (GError) error = NULL;

  /* A domain without the records is an empty answer, not an error. */
  answer = lookup_srv ("nonexistent.test", &error);
  g_assert_no_error (error);
  g_assert_nonnull (answer);
  g_assert_cmpuint (answer->records->len, ==, 0);
  g_assert_cmpuint (answer->not_offered->len, ==, 0);
}

static void
test_dns_cancel (void)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  Wait wait;

  /* Already cancelled: reported as such, and not before the main loop runs. */
  g_cancellable_cancel (cancellable);
  wait_init (&wait);
  mail_autoconfig_dns_lookup_srv_async (NULL, "example.test", cancellable, lookup_srv_cb, &wait);
  g_assert_null (wait.result);
  g_main_loop_run (wait.loop);
  g_assert_null (wait.result);
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  wait_clear (&wait);

  wait_init (&wait);
  mail_autoconfig_dns_lookup_mx_async (NULL, "example.test", cancellable, lookup_mx_cb, &wait);
  g_main_loop_run (wait.loop);
  g_assert_null (wait.result);
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  wait_clear (&wait);
}

/* The scripted HTTP(S) server: one request per connection, each in its own thread. */

typedef struct
{
  GSocketService  *service;
  GTlsCertificate *certificate;
  char            *base_url;
  char            *redirect_base_url;
  GMutex           mutex;
  char            *last_user_agent;
  char            *last_accept;
  gboolean         saw_cookie;
  gint             requests;
  gint64           body_bytes_written;
} Script;

static const char config_xml[] =
  "<?xml version=\"1.0\"?>\n"
  "<clientConfig version=\"1.1\">\n"
  "  <emailProvider id=\"scripted.test\">\n"
  "    <domain>scripted.test</domain>\n"
  "    <incomingServer type=\"imap\">\n"
  "      <hostname>imap.scripted.test</hostname>\n"
  "      <port>993</port>\n"
  "      <socketType>SSL</socketType>\n"
  "      <username>%EMAILADDRESS%</username>\n"
  "      <authentication>password-cleartext</authentication>\n"
  "    </incomingServer>\n"
  "  </emailProvider>\n"
  "</clientConfig>\n";

static gboolean
write_string (GOutputStream *out,
              const char    *text)
{
  return g_output_stream_write_all (out, text, strlen (text), NULL, NULL, NULL);
}

static void
respond_redirect (GOutputStream *out,
                  guint          status,
                  const char    *location)
{
  g_autofree char *head = g_strdup_printf ("HTTP/1.1 %u Redirect\r\n"
                                           "Location: %s\r\n"
                                           "Content-Length: 0\r\n"
                                           "Connection: close\r\n\r\n",
                                           status, location);

  write_string (out, head);
}

static void
respond_endless (Script        *script,
                 GOutputStream *out)
{
  g_autofree char *chunk = g_malloc (64 * 1024);
  gint64 written = 0;

  /* No Content-Length: the body ends when the connection does, or after 1 GiB. */
  memset (chunk, 'x', 64 * 1024);
  if (!write_string (out, "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\n"
                          "Connection: close\r\n\r\n<clientConfig>"))
    return;

  while (written < G_GINT64_CONSTANT (1) << 30)
    {
      if (!g_output_stream_write_all (out, chunk, 64 * 1024, NULL, NULL, NULL))
        break;
      written += 64 * 1024;
      g_mutex_lock (&script->mutex);
      script->body_bytes_written = written;
      g_mutex_unlock (&script->mutex);
    }
}

static void
wait_for_close (GInputStream *in)
{
  char buffer[256];

  /* Never answer; return once the client has given up and closed. */
  while (g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL) > 0)
    ;
}

static gboolean
script_run_cb (GThreadedSocketService *service,
               GSocketConnection      *connection,
               GObject                *source_object,
               gpointer                user_data)
{
  Script *script = user_data;
  g_autoptr (GIOStream) stream = NULL;
  g_autoptr (GDataInputStream) in = NULL;
  g_autofree char *request = NULL;
  g_auto (GStrv) parts = NULL;
  GOutputStream *out;
  const char *path;

  if (script->certificate != NULL)
    {
      stream = g_tls_server_connection_new (G_IO_STREAM (connection), script->certificate,
                                            NULL);
      if (stream == NULL || !g_tls_connection_handshake (G_TLS_CONNECTION (stream), NULL, NULL))
        return TRUE;
    }
  else
    {
      stream = g_object_ref (G_IO_STREAM (connection));
    }

  in = g_data_input_stream_new (g_io_stream_get_input_stream (stream));
  g_data_input_stream_set_newline_type (in, G_DATA_STREAM_NEWLINE_TYPE_CR_LF);
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (in), FALSE);
  out = g_io_stream_get_output_stream (stream);

  request = g_data_input_stream_read_line (in, NULL, NULL, NULL);
  if (request == NULL)
    return TRUE;

  /* The headers, up to the empty line. */
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line (in, NULL, NULL, NULL);

      if (line == NULL || *line == '\0')
        break;

      g_mutex_lock (&script->mutex);
      if (g_ascii_strncasecmp (line, "User-Agent:", 11) == 0)
        {
          g_free (script->last_user_agent);
          script->last_user_agent = g_strstrip (g_strdup (line + 11));
        }
      else if (g_ascii_strncasecmp (line, "Accept:", 7) == 0)
        {
          g_free (script->last_accept);
          script->last_accept = g_strstrip (g_strdup (line + 7));
        }
      else if (g_ascii_strncasecmp (line, "Cookie:", 7) == 0)
        {
          script->saw_cookie = TRUE;
        }
      g_mutex_unlock (&script->mutex);
    }

  g_atomic_int_inc (&script->requests);
  parts = g_strsplit (request, " ", 3);
  path = parts[0] != NULL && parts[1] != NULL ? parts[1] : "/";

  if (g_str_has_prefix (path, "/chain/"))
    {
      guint64 left = g_ascii_strtoull (path + 7, NULL, 10);

      if (left > 0)
        {
          g_autofree char *next = g_strdup_printf ("/chain/%" G_GUINT64_FORMAT, left - 1);

          /* Relative, as many servers send it. */
          respond_redirect (out, 301, next);
          return TRUE;
        }
      path = "/config";
    }

  if (g_str_equal (path, "/config"))
    {
      g_autofree char *response = NULL;

      response = g_strdup_printf ("HTTP/1.1 200 OK\r\n"
                                  "Content-Type: application/xml\r\n"
                                  "Set-Cookie: tracking=1; Path=/\r\n"
                                  "Content-Length: %zu\r\n"
                                  "Connection: close\r\n\r\n%s",
                                  strlen (config_xml), config_xml);
      write_string (out, response);
    }
  else if (g_str_equal (path, "/to-other"))
    {
      g_autofree char *location = g_strconcat (script->redirect_base_url, "/config", NULL);

      respond_redirect (out, 302, location);
    }
  else if (g_str_equal (path, "/to-ftp"))
    {
      respond_redirect (out, 302, "ftp://127.0.0.1/config");
    }
  else if (g_str_equal (path, "/announced-huge"))
    {
      write_string (out, "HTTP/1.1 200 OK\r\nContent-Length: 5000000000\r\n"
                         "Connection: close\r\n\r\n<clientConfig>");
      wait_for_close (G_INPUT_STREAM (in));
    }
  else if (g_str_equal (path, "/endless"))
    {
      respond_endless (script, out);
    }
  else if (g_str_equal (path, "/silent"))
    {
      wait_for_close (G_INPUT_STREAM (in));
    }
  else if (g_str_equal (path, "/server-error"))
    {
      write_string (out, "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
                         "Connection: close\r\n\r\n");
    }
  else
    {
      write_string (out, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
                         "Connection: close\r\n\r\n");
    }

  g_io_stream_close (stream, NULL, NULL);

  return TRUE;
}

static Script *
script_new (GTlsCertificate *certificate)
{
  Script *script = g_new0 (Script, 1);
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GError) error = NULL;

  g_mutex_init (&script->mutex);
  script->certificate = certificate != NULL ? g_object_ref (certificate) : NULL;
  script->service = g_threaded_socket_service_new (8);
  g_socket_listener_add_address (G_SOCKET_LISTENER (script->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, &bound,
                                 &error);
  g_assert_no_error (error);
  script->base_url = g_strdup_printf (
    "%s://127.0.0.1:%u", certificate != NULL ? "https" : "http",
    g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_signal_connect (script->service, "run", G_CALLBACK (script_run_cb), script);
  g_socket_service_start (script->service);

  return script;
}

static void
script_free (Script *script)
{
  g_socket_service_stop (script->service);
  g_socket_listener_close (G_SOCKET_LISTENER (script->service));
  g_clear_object (&script->service);
  g_clear_object (&script->certificate);
  g_free (script->base_url);
  g_free (script->redirect_base_url);
  g_free (script->last_user_agent);
  g_free (script->last_accept);
  g_mutex_clear (&script->mutex);
  g_free (script);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Script, script_free)

static MailAutoconfigFetched *
fetch_path (SoupSession  *session,
            Script       *script,
            const char   *path,
            GError      **error)
{
  g_autofree char *url = g_strconcat (script->base_url, path, NULL);

  return fetch (session, url, NULL, error);
}

static void
test_script_headers (void)
{
  g_autoptr (Script) script = script_new (NULL);
  g_autoptr (SoupSession) session = mail_autoconfig_session_new (NULL, TIMEOUT_SECONDS);
  g_autoptr (MailAutoconfigFetched) fetched = NULL;
  g_autoptr (MailAutoconfigFetched) again = NULL;
  g_autoptr (GError) error = NULL;

  fetched = fetch_path (session, script, "/config", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fetched->config->provider_id, ==, "scripted.test");
  again = fetch_path (session, script, "/config", &error);
  g_assert_no_error (error);

  g_assert_cmpstr (script->last_user_agent, ==, APP_ID "/" PACKAGE_VERSION);
  g_assert_nonnull (script->last_accept);
  g_assert_nonnull (strstr (script->last_accept, "application/xml"));
  g_assert_nonnull (strstr (script->last_accept, "text/xml"));
  /* The cookie set by the first answer was not kept. */
  g_assert_false (script->saw_cookie);
  g_assert_cmpint (g_atomic_int_get (&script->requests), ==, 2);
}

static void
test_script_redirect_chain (void)
{
  g_autoptr (Script) script = script_new (NULL);
  g_autoptr (SoupSession) session = mail_autoconfig_session_new (NULL, TIMEOUT_SECONDS);
  g_autoptr (MailAutoconfigFetched) fetched = NULL;
  g_autoptr (MailAutoconfigFetched) too_many = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *final_url = g_strconcat (script->base_url, "/chain/0", NULL);

  /* Five redirects are followed, each one seen. */
  fetched = fetch_path (session, script, "/chain/5", &error);
  g_assert_no_error (error);
  g_assert_nonnull (fetched);
  g_assert_cmpstr (fetched->final_url, ==, final_url);
  g_assert_false (fetched->all_https);
  g_assert_cmpstr (fetched->config->provider_id, ==, "scripted.test");
  g_assert_cmpint (g_atomic_int_get (&script->requests), ==, 6);

  /* The sixth is not. */
  too_many = fetch_path (session, script, "/chain/6", &error);
  g_assert_null (too_many);
  g_assert_error (error, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_TOO_MANY_REDIRECTS);
  g_assert_cmpint (g_atomic_int_get (&script->requests), ==, 6 + 6);
}

static void
test_script_https_to_http (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MailTestCerts) certs = mail_test_certs_new (&error);
  g_autoptr (Script) plain = NULL;
  g_autoptr (Script) secure = NULL;
  g_autoptr (GTlsDatabase) database = NULL;
  g_autoptr (SoupSession) session = NULL;
  g_autoptr (MailAutoconfigFetched) fetched = NULL;
  g_autoptr (MailAutoconfigFetched) refused = NULL;
  g_autoptr (MailAutoconfigFetched) upgraded = NULL;
  g_autoptr (MailAutoconfigFetched) ftp = NULL;
  g_autofree char *config_url = NULL;

  g_assert_no_error (error);
  database = mail_tls_database_new (certs->ca_file, &error);
  g_assert_no_error (error);
  session = mail_autoconfig_session_new (database, TIMEOUT_SECONDS);
  plain = script_new (NULL);
  secure = script_new (certs->good);
  secure->redirect_base_url = g_strdup (plain->base_url);
  plain->redirect_base_url = g_strdup (secure->base_url);

  /* HTTPS on its own works. */
  fetched = fetch_path (session, secure, "/config", &error);
  g_assert_no_error (error);
  g_assert_true (fetched->all_https);

  /* HTTPS to HTTP is refused, and the HTTP server is never asked. */
  refused = fetch_path (session, secure, "/to-other", &error);
  g_assert_null (refused);
  g_assert_error (error, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_INSECURE_REDIRECT);
  g_assert_cmpint (g_atomic_int_get (&plain->requests), ==, 0);
  g_clear_error (&error);

  /* HTTP to HTTPS is followed, but the chain did not start secure. */
  upgraded = fetch_path (session, plain, "/to-other", &error);
  g_assert_no_error (error);
  config_url = g_strconcat (secure->base_url, "/config", NULL);
  g_assert_cmpstr (upgraded->final_url, ==, config_url);
  g_assert_false (upgraded->all_https);

  /* Only http and https are followed. */
  ftp = fetch_path (session, plain, "/to-ftp", &error);
  g_assert_null (ftp);
  g_assert_error (error, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_INSECURE_REDIRECT);
}

static void
test_script_too_large (void)
{
  g_autoptr (Script) script = script_new (NULL);
  g_autoptr (SoupSession) session = mail_autoconfig_session_new (NULL, TIMEOUT_SECONDS);
  g_autoptr (MailAutoconfigFetched) announced = NULL;
  g_autoptr (MailAutoconfigFetched) endless = NULL;
  g_autoptr (GError) error = NULL;
  gint64 started = g_get_monotonic_time ();
  gint64 written;

  /* A Content-Length over the limit is refused before any of the body is read. */
  announced = fetch_path (session, script, "/announced-huge", &error);
  g_assert_null (announced);
  g_assert_error (error, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* A body without a length is read only up to the limit; the server, which would send
   * 1 GiB, is cut off soon after. */
  endless = fetch_path (session, script, "/endless", &error);
  g_assert_null (endless);
  g_assert_error (error, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_TOO_LARGE);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 5 * G_USEC_PER_SEC);

  /* Give the server's thread a moment to notice the closed connection. */
  for (guint i = 0; i < 20; i++)
    g_usleep (50 * 1000);
  g_mutex_lock (&script->mutex);
  written = script->body_bytes_written;
  g_mutex_unlock (&script->mutex);
  g_test_message ("the server wrote %" G_GINT64_FORMAT " bytes", written);
  g_assert_cmpint (written, >=, MAIL_AUTOCONFIG_PARSER_MAX_SIZE - 64 * 1024);
  g_assert_cmpint (written, <, 64 * 1024 * 1024);
}

static void
test_script_http_errors (void)
{
  g_autoptr (Script) script = script_new (NULL);
  g_autoptr (SoupSession) session = mail_autoconfig_session_new (NULL, TIMEOUT_SECONDS);
  g_autoptr (MailAutoconfigFetched) missing = NULL;
  g_autoptr (MailAutoconfigFetched) failing = NULL;
  g_autoptr (GError) error = NULL;

  missing = fetch_path (session, script, "/nothing-here", &error);
  g_assert_null (missing);
  g_assert_error (error, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_NOT_FOUND);
  g_clear_error (&error);

  failing = fetch_path (session, script, "/server-error", &error);
  g_assert_null (failing);
  g_assert_error (error, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_HTTP);
  g_assert_nonnull (strstr (error->message, "503"));
}

static void
test_script_timeout (void)
{
  g_autoptr (Script) script = script_new (NULL);
  g_autoptr (SoupSession) session = mail_autoconfig_session_new (NULL, 2);
  g_autoptr (MailAutoconfigFetched) fetched = NULL;
  g_autoptr (GError) error = NULL;
  gint64 started = g_get_monotonic_time ();
  gint64 elapsed;

  /* The server reads the request and never answers. */
  fetched = fetch_path (session, script, "/silent", &error);
  elapsed = g_get_monotonic_time () - started;
  g_test_message ("timed out after %" G_GINT64_FORMAT " ms", elapsed / 1000);
  g_assert_null (fetched);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_cmpint (elapsed, >=, 1500 * 1000);
  g_assert_cmpint (elapsed, <, 4000 * 1000);
}

static void
test_script_cancel (void)
{
  g_autoptr (Script) script = script_new (NULL);
  g_autoptr (SoupSession) session = mail_autoconfig_session_new (NULL, 30);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *url = g_strconcat (script->base_url, "/silent", NULL);
  Wait wait;

  /* Connected and waiting for the answer when Cancel comes. */
  wait_init (&wait);
  cancelled_at = 0;
  mail_autoconfig_fetch_async (session, url, ADDRESS, cancellable, fetch_done_cb, &wait);
  g_timeout_add (300, cancel_cb, cancellable);
  g_main_loop_run (wait.loop);

  g_assert_cmpint (g_atomic_int_get (&script->requests), ==, 1);
  g_assert_cmpint (cancelled_at, >, 0);
  g_test_message ("reported %" G_GINT64_FORMAT " ms after Cancel",
                  (wait.finished - cancelled_at) / 1000);
  g_assert_cmpint (wait.finished - cancelled_at, <, 200 * 1000);
  g_assert_null (wait.result);
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  wait_clear (&wait);
}

int
main (int   argc,
      char *argv[])
{
  mail_test_harness_load ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mail/autoconfig/sources/fetch/https", test_fetch_https);
  g_test_add_func ("/mail/autoconfig/sources/fetch/not-found", test_fetch_not_found);
  g_test_add_func ("/mail/autoconfig/sources/fetch/http", test_fetch_http);
  g_test_add_func ("/mail/autoconfig/sources/fetch/certificate-errors",
                   test_fetch_certificate_errors);
  g_test_add_func ("/mail/autoconfig/sources/fetch/system-trust", test_fetch_system_trust);
  g_test_add_func ("/mail/autoconfig/sources/fetch/cancel", test_fetch_cancel);
  g_test_add_func ("/mail/autoconfig/sources/fetch/timeout-silent-host",
                   test_fetch_timeout_silent_host);
  g_test_add_func ("/mail/autoconfig/sources/dns/mx", test_mx);
  g_test_add_func ("/mail/autoconfig/sources/dns/mx-missing", test_mx_missing);
  g_test_add_func ("/mail/autoconfig/sources/dns/srv", test_srv);
  g_test_add_func ("/mail/autoconfig/sources/dns/srv-missing", test_srv_missing);
  g_test_add_func ("/mail/autoconfig/sources/dns/cancel", test_dns_cancel);
  g_test_add_func ("/mail/autoconfig/sources/scripted/headers", test_script_headers);
  g_test_add_func ("/mail/autoconfig/sources/scripted/redirect-chain",
                   test_script_redirect_chain);
  g_test_add_func ("/mail/autoconfig/sources/scripted/https-to-http", test_script_https_to_http);
  g_test_add_func ("/mail/autoconfig/sources/scripted/too-large", test_script_too_large);
  g_test_add_func ("/mail/autoconfig/sources/scripted/http-errors", test_script_http_errors);
  g_test_add_func ("/mail/autoconfig/sources/scripted/timeout", test_script_timeout);
  g_test_add_func ("/mail/autoconfig/sources/scripted/cancel", test_script_cancel);

  return g_test_run ();
}
