/* test-connection.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* MailConnection against scripted fake servers: certificates, pins, STARTTLS attacks,
 * timeouts, limits, cancellation and the redacted log. And the one TLS rule the
 * autoconfig fetch shares with it: nothing older than TLS 1.2. */

#include "config.h"

#include <string.h>

#include "mail-autoconfig-fetch.h"
#include "mail-connection.h"
#include "mail-fake-server.h"
#include "mail-test-certs.h"
#include "mail-tls-database.h"

static MailTestCerts *certs;

static GTlsDatabase *
ca_database (void)
{
  g_autoptr (GError) error = NULL;
  GTlsDatabase *database = mail_tls_database_new (certs->ca_file, &error);

  g_assert_no_error (error);

  return database;
}

static MailConnection *
connection_for (MailFakeServer *server,
                const char     *host,
                MailSecurity    security,
                GTlsDatabase   *database)
{
  return mail_connection_new (host, mail_fake_server_get_port (server), security, database);
}

static char *
read_line (MailConnection *connection)
{
  g_autoptr (GError) error = NULL;
  char *line = mail_connection_read_line_sync (connection, MAIL_CONNECTION_IO_NONE, NULL, NULL,
                                               &error);

  g_assert_no_error (error);

  return line;
}

static void
write_line (MailConnection *connection,
            const char     *line)
{
  g_autoptr (GError) error = NULL;

  mail_connection_write_line_sync (connection, line, NULL, &error);
  g_assert_no_error (error);
}

static gboolean
strv_has (char       **strv,
          const char  *item)
{
  return strv != NULL && g_strv_contains ((const char * const *) strv, item);
}

static GError *
connect_expecting_error (MailConnection *connection)
{
  GError *error = NULL;

  g_assert_false (mail_connection_connect_sync (connection, NULL, &error));
  g_assert_nonnull (error);
  g_assert_false (mail_connection_is_connected (connection));
  g_assert_false (mail_connection_is_encrypted (connection));

  return error;
}

/* ---------------------------------------------------------------------------------- */

static void
run_trusted (const char *host)
{
  g_autoptr (MailFakeServer) server = mail_fake_server_new (certs->good, TRUE);
  g_autoptr (GTlsDatabase) database = ca_database ();
  g_autoptr (MailConnection) connection = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *greeting = NULL;
  g_autofree char *bye = NULL;
  g_autofree char *ok = NULL;
  MailCertificateInfo *info;

  mail_fake_server_send (server, "* OK [CAPABILITY IMAP4rev1] ready\r\n");
  mail_fake_server_expect (server, "a1 LOGOUT");
  mail_fake_server_send (server, "* BYE\r\na1 OK done\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  connection = connection_for (server, host, MAIL_SECURITY_TLS, database);
  g_assert_true (mail_connection_connect_sync (connection, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mail_connection_is_encrypted (connection));
  g_assert_cmpint (mail_connection_get_tls_version (connection), >=,
                   G_TLS_PROTOCOL_VERSION_TLS_1_2);
  g_assert_nonnull (mail_connection_get_ciphersuite_name (connection));
  g_assert_false (mail_connection_get_pinned_certificate_used (connection));
  g_assert_cmpint (mail_connection_get_phase (connection), ==, MAIL_CONNECTION_PHASE_GREETING);

  info = mail_connection_get_peer_certificate_info (connection);
  g_assert_nonnull (info);
  g_assert_cmpuint (mail_certificate_info_get_errors (info), ==, 0);

  greeting = read_line (connection);
  g_assert_cmpstr (greeting, ==, "* OK [CAPABILITY IMAP4rev1] ready");
  mail_connection_set_phase (connection, MAIL_CONNECTION_PHASE_COMMAND);
  write_line (connection, "a1 LOGOUT");
  bye = read_line (connection);
  ok = read_line (connection);
  g_assert_cmpstr (ok, ==, "a1 OK done");

  g_assert_true (mail_connection_close_sync (connection, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (mail_connection_is_connected (connection));

  mail_fake_server_assert_finished (server, 1);
}

static void
test_tls_trusted (void)
{
  run_trusted ("127.0.0.1");
}

static void
test_tls_trusted_by_name (void)
{
  run_trusted ("localhost");
}

static void
test_tls_unknown_ca (void)
{
  g_autoptr (MailFakeServer) server = mail_fake_server_new (certs->good, TRUE);
  g_autoptr (GTlsDatabase) database = mail_tls_database_new (NULL, NULL);
  g_autoptr (MailConnection) connection = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *expected_fingerprint = NULL;
  g_autofree char *description = NULL;
  g_auto (GStrv) problems = NULL;
  g_auto (GStrv) names = NULL;
  MailCertificateInfo *info;

  mail_fake_server_send (server, "* OK ready\r\n");
  mail_fake_server_start (server);

  connection = connection_for (server, "127.0.0.1", MAIL_SECURITY_TLS, database);
  error = connect_expecting_error (connection);
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_CERTIFICATE);
  g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_TLS_CERTIFICATE);

  /* The certificate travels with the error... */
  info = mail_net_error_get_certificate_info (error);
  g_assert_nonnull (info);
  g_assert_true (info == mail_connection_get_peer_certificate_info (connection));

  /* ...with what a person needs to judge it. */
  expected_fingerprint = mail_test_certs_openssl_fingerprint (certs, certs->good_file);
  g_assert_nonnull (expected_fingerprint);
  g_assert_cmpstr (mail_certificate_info_get_fingerprint (info), ==, expected_fingerprint);
  g_assert_nonnull (strstr (mail_certificate_info_get_subject (info), "CN=localhost"));
  g_assert_nonnull (strstr (mail_certificate_info_get_issuer (info), "Mail Test CA"));
  g_assert_nonnull (mail_certificate_info_get_not_before (info));
  g_assert_nonnull (mail_certificate_info_get_not_after (info));
  g_assert_true (g_str_has_prefix (mail_certificate_info_get_pem (info),
                                   "-----BEGIN CERTIFICATE-----"));
  g_assert_cmpstr (mail_certificate_info_get_host (info), ==, "127.0.0.1");
  g_assert_true ((mail_certificate_info_get_errors (info) & G_TLS_CERTIFICATE_UNKNOWN_CA) != 0);

  names = mail_certificate_info_dup_problem_names (info);
  g_assert_true (strv_has (names, "unknown-authority"));
  problems = mail_certificate_info_dup_problems (info);
  g_assert_cmpuint (g_strv_length (problems), >=, 1);

  description = mail_error_describe (error);
  g_assert_nonnull (strstr (description, "127.0.0.1"));
  g_assert_nonnull (strstr (description, "authority"));

  /* It survives g_error_copy(), as it must through a GTask. */
  {
    g_autoptr (GError) copy = g_error_copy (error);
    g_assert_true (mail_net_error_get_certificate_info (copy) == info);
  }
}

static void
test_tls_self_signed (void)
{
  g_autoptr (MailFakeServer) server = mail_fake_server_new (certs->self_signed, TRUE);
  g_autoptr (GTlsDatabase) database = ca_database ();
  g_autoptr (MailConnection) connection = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) names = NULL;
  MailCertificateInfo *info;

  mail_fake_server_start (server);

  connection = connection_for (server, "127.0.0.1", MAIL_SECURITY_TLS, database);
  error = connect_expecting_error (connection);
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_CERTIFICATE);

  info = mail_net_error_get_certificate_info (error);
  g_assert_true (mail_certificate_info_is_self_signed (info));
  names = mail_certificate_info_dup_problem_names (info);
  g_assert_true (strv_has (names, "unknown-authority"));
  g_assert_nonnull (strstr (error->message, "self-signed"));
}

static void
test_tls_wrong_host (void)
{
  g_autoptr (MailFakeServer) server = mail_fake_server_new (certs->wrong_host, TRUE);
  g_autoptr (GTlsDatabase) database = ca_database ();
  g_autoptr (MailConnection) connection = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) names = NULL;
  MailCertificateInfo *info;

  mail_fake_server_start (server);

  connection = connection_for (server, "127.0.0.1", MAIL_SECURITY_TLS, database);
  error = connect_expecting_error (connection);
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_CERTIFICATE);

  info = mail_net_error_get_certificate_info (error);
  names = mail_certificate_info_dup_problem_names (info);
  g_assert_true (strv_has (names, "wrong-host-name"));
  g_assert_false (strv_has (names, "unknown-authority"));
  g_assert_nonnull (strstr (mail_certificate_info_get_subject (info), "other.example.test"));
}

static void
test_tls_expired (void)
{
  g_autoptr (MailFakeServer) server = mail_fake_server_new (certs->expired, TRUE);
  g_autoptr (GTlsDatabase) database = ca_database ();
  g_autoptr (MailConnection) connection = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) names = NULL;
  MailCertificateInfo *info;

  mail_fake_server_start (server);

  connection = connection_for (server, "127.0.0.1", MAIL_SECURITY_TLS, database);
  error = connect_expecting_error (connection);
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_CERTIFICATE);

  info = mail_net_error_get_certificate_info (error);
  names = mail_certificate_info_dup_problem_names (info);
  g_assert_true (strv_has (names, "expired"));
  g_assert_false (mail_certificate_info_is_in_validity_period (info, NULL));
  g_assert_nonnull (strstr (error->message, "expired"));
}

/* An openssl s_server that speaks nothing newer than TLS 1.1, with an RSA certificate for
 * 127.0.0.1 from the test CA: with the EC test certificates GnuTLS finds no signature it
 * accepts below TLS 1.2 and gives up before any version check of ours is reached. It
 * answers HTTP requests with a status page (-www), and its standard input stays open:
 * s_server quits at the end of it. */
typedef struct
{
  GSubprocess *process;
  guint16      port;
} OldTlsServer;

static void
old_tls_server_free (OldTlsServer *server)
{
  if (server->process != NULL)
    {
      g_subprocess_force_exit (server->process);
      g_subprocess_wait (server->process, NULL, NULL);
    }
  g_clear_object (&server->process);
  g_free (server);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OldTlsServer, old_tls_server_free)

static gboolean
run_openssl_in_certs (const char * const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autoptr (GError) error = NULL;
  int status = 0;

  g_ptr_array_add (argv, openssl);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_sync (certs->dir, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL
                     | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    {
      g_test_message ("openssl %s: %s", args[0], error->message);
      return FALSE;
    }

  return TRUE;
}

static gboolean
make_rsa_certificate (void)
{
  static const char * const request[] = {
    "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "rsa.key", "-out", "rsa.csr",
    "-subj", "/CN=localhost", NULL,
  };
  static const char * const sign[] = {
    "x509", "-req", "-in", "rsa.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial",
    "0x5253410001", "-out", "rsa.pem", "-days", "30", "-extfile", "rsa.ext", NULL,
  };
  g_autofree char *ext = g_build_filename (certs->dir, "rsa.ext", NULL);
  g_autofree char *pem = g_build_filename (certs->dir, "rsa.pem", NULL);

  if (g_file_test (pem, G_FILE_TEST_EXISTS))
    return TRUE;

  return g_file_set_contents (ext, "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                                   "basicConstraints=CA:FALSE\n"
                                   "extendedKeyUsage=serverAuth\n", -1, NULL)
         && run_openssl_in_certs (request) && run_openssl_in_certs (sign);
}

/* Returns NULL, after g_test_skip(), when openssl cannot provide such a server. */
static OldTlsServer *
old_tls_server_new (void)
{
  g_autoptr (OldTlsServer) server = g_new0 (OldTlsServer, 1);
  g_autoptr (GSocketListener) listener = g_socket_listener_new ();
  g_autoptr (GDataInputStream) output = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autofree char *openssl = g_find_program_in_path ("openssl");

  if (openssl == NULL || !make_rsa_certificate ())
    {
      g_test_skip ("no openssl, or it cannot make an RSA certificate");
      return NULL;
    }

  server->port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);

  g_ptr_array_add (argv, g_steal_pointer (&openssl));
  g_ptr_array_add (argv, g_strdup ("s_server"));
  g_ptr_array_add (argv, g_strdup ("-tls1_1"));
  g_ptr_array_add (argv, g_strdup ("-cipher"));
  g_ptr_array_add (argv, g_strdup ("DEFAULT@SECLEVEL=0"));
  g_ptr_array_add (argv, g_strdup ("-cert"));
  g_ptr_array_add (argv, g_build_filename (certs->dir, "rsa.pem", NULL));
  g_ptr_array_add (argv, g_strdup ("-key"));
  g_ptr_array_add (argv, g_build_filename (certs->dir, "rsa.key", NULL));
  g_ptr_array_add (argv, g_strdup ("-accept"));
  g_ptr_array_add (argv, g_strdup_printf ("127.0.0.1:%u", (guint) server->port));
  g_ptr_array_add (argv, g_strdup ("-www"));
  g_ptr_array_add (argv, NULL);

  server->process = g_subprocess_newv ((const char * const *) argv->pdata,
                                       G_SUBPROCESS_FLAGS_STDIN_PIPE
                                       | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                       | G_SUBPROCESS_FLAGS_STDERR_MERGE, &error);
  g_assert_no_error (error);
  output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line (output, NULL, NULL, NULL);

      if (line == NULL)
        {
          g_test_skip ("openssl s_server -tls1_1 did not start");
          return NULL;
        }
      if (g_str_equal (line, "ACCEPT"))
        break;
    }

  return g_steal_pointer (&server);
}

/* Whether this TLS backend agrees to TLS 1.1 at all. When it does not, the floor is
 * already there (the backend refuses the handshake) and the checks of our own, kept as a
 * defence in case the backend is built otherwise (another runtime), are not reached. */
static gboolean
backend_speaks_tls_1_1 (guint16 port)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnection) socket = NULL;
  g_autoptr (GSocketConnectable) identity = g_network_address_new ("127.0.0.1", port);
  g_autoptr (GTlsDatabase) database = ca_database ();
  g_autoptr (GIOStream) tls = NULL;
  g_autoptr (GError) error = NULL;
  GTlsProtocolVersion version;

  socket = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  tls = g_tls_client_connection_new (G_IO_STREAM (socket), identity, &error);
  g_assert_no_error (error);
  g_tls_connection_set_database (G_TLS_CONNECTION (tls), database);

  if (!g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, &error))
    {
      g_test_message ("the TLS backend refuses a TLS 1.1 server by itself: %s", error->message);
      return FALSE;
    }

  version = g_tls_connection_get_protocol_version (G_TLS_CONNECTION (tls));
  g_io_stream_close (tls, NULL, NULL);
  g_assert_cmpint (version, ==, G_TLS_PROTOCOL_VERSION_TLS_1_1);

  return TRUE;
}

static void
test_tls_old_version (void)
{
  g_autoptr (OldTlsServer) server = old_tls_server_new ();
  g_autoptr (GTlsDatabase) database = NULL;
  g_autoptr (MailConnection) connection = NULL;
  g_autoptr (GError) error = NULL;
  gboolean negotiated;

  if (server == NULL)
    return;

  negotiated = backend_speaks_tls_1_1 (server->port);
  database = ca_database ();
  connection = mail_connection_new ("127.0.0.1", server->port, MAIL_SECURITY_TLS, database);
  error = connect_expecting_error (connection);
  g_test_message ("TLS 1.1 server: %s", error->message);

  if (negotiated)
    g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_TLS_VERSION);
  else
    g_assert_true (g_error_matches (error, MAIL_NET_ERROR, MAIL_NET_ERROR_TLS_VERSION)
                   || error->domain == G_TLS_ERROR);
  g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_TLS_REQUIRED);
}

static void
fetch_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* An autoconfig file is fetched under the same floor as the mail connections. */
static void
test_autoconfig_fetch_old_version (void)
{
  g_autoptr (OldTlsServer) server = old_tls_server_new ();
  g_autoptr (GTlsDatabase) database = NULL;
  g_autoptr (SoupSession) session = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *url = NULL;
  MailAutoconfigFetched *fetched;
  gboolean negotiated;

  if (server == NULL)
    return;

  negotiated = backend_speaks_tls_1_1 (server->port);
  database = ca_database ();
  session = mail_autoconfig_session_new (database, 10);
  url = g_strdup_printf ("https://127.0.0.1:%u/mail/config-v1.1.xml", (guint) server->port);
  mail_autoconfig_fetch_async (session, url, "alice@example.test", NULL, fetch_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  fetched = mail_autoconfig_fetch_finish (result, &error);
  g_assert_null (fetched);
  g_assert_nonnull (error);
  g_test_message ("TLS 1.1 web server: %s", error->message);

  if (negotiated)
    {
      g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_TLS_VERSION);
      g_assert_nonnull (strstr (error->message, "TLS 1.1"));
    }
  else
    {
      g_assert_true (g_error_matches (error, MAIL_NET_ERROR, MAIL_NET_ERROR_TLS_VERSION)
                     || error->domain == G_TLS_ERROR);
    }
  g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_TLS_REQUIRED);

  soup_session_abort (session);
}

/* Connects to a server presenting @certificate with a pin; returns whether it worked. */
static gboolean
connect_with_pin (GTlsCertificate *certificate,
                  GTlsDatabase    *database,
                  const char      *host,
                  int              port_offset,
                  const char      *fingerprint,
                  GError         **error)
{
  g_autoptr (MailFakeServer) server = mail_fake_server_new (certificate, TRUE);
  g_autoptr (MailConnection) connection = NULL;
  guint16 port = mail_fake_server_get_port (server);
  gboolean ok;

  mail_fake_server_send (server, "+OK pinned\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  connection = mail_connection_new (host, port, MAIL_SECURITY_TLS, database);
  g_assert_true (mail_connection_set_pinned_certificate (connection, host, port + port_offset,
                                                         fingerprint));
  ok = mail_connection_connect_sync (connection, NULL, error);

  if (ok)
    {
      g_autofree char *greeting = read_line (connection);

      g_assert_cmpstr (greeting, ==, "+OK pinned");
      g_assert_true (mail_connection_get_pinned_certificate_used (connection));
      g_assert_true (mail_connection_is_encrypted (connection));
      mail_connection_close_sync (connection, NULL, NULL);
    }

  return ok;
}

static void
test_tls_pinned (void)
{
  g_autoptr (GTlsDatabase) database = ca_database ();
  g_autofree char *self_signed = NULL;
  g_autofree char *good = mail_test_certs_openssl_fingerprint (certs, certs->good_file);
  g_autofree char *lower = NULL;
  g_autoptr (GString) bare = NULL;
  GError *error = NULL;

  self_signed = mail_test_certs_openssl_fingerprint (certs, certs->self_signed_file);
  lower = g_ascii_strdown (self_signed, -1);
  bare = g_string_new (self_signed);

  g_string_replace (bare, ":", "", 0);

  /* The exact certificate, for exactly this host and port: accepted, in any notation. */
  g_assert_true (connect_with_pin (certs->self_signed, database, "127.0.0.1", 0, self_signed,
                                   &error));
  g_assert_no_error (error);
  g_assert_true (connect_with_pin (certs->self_signed, database, "127.0.0.1", 0, lower, &error));
  g_assert_true (connect_with_pin (certs->self_signed, database, "127.0.0.1", 0, bare->str,
                                   &error));

  /* Another port. */
  g_assert_false (connect_with_pin (certs->self_signed, database, "127.0.0.1", 1, self_signed,
                                    &error));
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_CERTIFICATE);
  g_clear_error (&error);

  /* Another certificate. */
  g_assert_false (connect_with_pin (certs->self_signed, database, "127.0.0.1", 0, good, &error));
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_CERTIFICATE);
  g_clear_error (&error);

  /* The wrong-host certificate, pinned: the user accepted exactly it for this server. */
  {
    g_autofree char *wrong = mail_test_certs_openssl_fingerprint (certs, certs->wrong_host_file);

    g_assert_true (connect_with_pin (certs->wrong_host, database, "127.0.0.1", 0, wrong, &error));
    g_assert_no_error (error);
  }

  /* An invalid fingerprint is refused up front. */
  {
    g_autoptr (MailConnection) connection = mail_connection_new ("127.0.0.1", 993,
                                                                 MAIL_SECURITY_TLS, database);
    g_assert_false (mail_connection_set_pinned_certificate (connection, "127.0.0.1", 993,
                                                            "AB:CD"));
  }
}

static void
test_tls_pinned_other_host (void)
{
  g_autoptr (MailFakeServer) server = mail_fake_server_new (certs->self_signed, TRUE);
  g_autoptr (GTlsDatabase) database = ca_database ();
  g_autoptr (MailConnection) connection = NULL;
  g_autofree char *fingerprint = NULL;
  g_autoptr (GError) error = NULL;
  guint16 port = mail_fake_server_get_port (server);

  fingerprint = mail_test_certs_openssl_fingerprint (certs, certs->self_signed_file);
  mail_fake_server_start (server);

  /* A pin made for "localhost" does not count for "127.0.0.1", even on the same port. */
  connection = mail_connection_new ("127.0.0.1", port, MAIL_SECURITY_TLS, database);
  mail_connection_set_pinned_certificate (connection, "localhost", port, fingerprint);
  error = connect_expecting_error (connection);
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_CERTIFICATE);
  g_assert_false (mail_connection_get_pinned_certificate_used (connection));
}

static void
test_tls_pinned_expired (void)
{
  g_autoptr (GTlsDatabase) database = ca_database ();
  g_autofree char *fingerprint = mail_test_certs_openssl_fingerprint (certs, certs->expired_file);
  g_autoptr (GError) error = NULL;

  /* Even the exact pinned certificate is refused once it has expired. */
  g_assert_false (connect_with_pin (certs->expired, database, "127.0.0.1", 0, fingerprint,
                                    &error));
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_CERTIFICATE);
  g_assert_nonnull (strstr (error->message, "expired"));
}

/* ---------------------------------------------------------------------------------- */

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  guint *n = user_data;

  (*n)++;
}

static void
test_starttls (void)
{
  g_autoptr (MailFakeServer) server = mail_fake_server_new (certs->good, FALSE);
  g_autoptr (GTlsDatabase) database = ca_database ();
  g_autoptr (MailConnection) connection = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *greeting = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *caps = NULL;
  g_autofree char *caps_ok = NULL;
  g_autofree char *login_ok = NULL;
  g_autofree char *log = NULL;
  const char *login = "a3 LOGIN tim hunter2\r\n";
  guint n_notifies = 0;

  mail_fake_server_send (server, "* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] hi\r\n");
  mail_fake_server_expect (server, "a1 STARTTLS");
  mail_fake_server_send (server, "a1 OK Begin TLS negotiation now\r\n");
  mail_fake_server_starttls (server);
  mail_fake_server_expect (server, "a2 CAPABILITY");
  mail_fake_server_send (server, "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\na2 OK\r\n");
  mail_fake_server_expect (server, "a3 LOGIN tim hunter2");
  mail_fake_server_send (server, "a3 OK logged in\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  connection = connection_for (server, "127.0.0.1", MAIL_SECURITY_STARTTLS, database);
  g_signal_connect (connection, "notify::encrypted", G_CALLBACK (count_notify_cb), &n_notifies);
  g_assert_true (mail_connection_connect_sync (connection, NULL, &error));
  g_assert_false (mail_connection_is_encrypted (connection));

  greeting = read_line (connection);
  g_assert_true (g_str_has_prefix (greeting, "* OK"));

  /* No secret leaves before TLS. */
  g_assert_false (mail_connection_write_secret_sync (connection, login, strlen (login),
                                                     strlen ("a3 LOGIN "), NULL, &error));
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_PLAINTEXT_REFUSED);
  g_clear_error (&error);
  g_assert_true (mail_connection_is_connected (connection));

  mail_connection_set_phase (connection, MAIL_CONNECTION_PHASE_COMMAND);
  write_line (connection, "a1 STARTTLS");
  reply = read_line (connection);
  g_assert_cmpstr (reply, ==, "a1 OK Begin TLS negotiation now");

  g_assert_true (mail_connection_start_tls_sync (connection, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mail_connection_is_encrypted (connection));
  g_assert_cmpuint (n_notifies, ==, 1);
  g_assert_cmpuint (mail_certificate_info_get_errors (
                      mail_connection_get_peer_certificate_info (connection)), ==, 0);

  write_line (connection, "a2 CAPABILITY");
  caps = read_line (connection);
  g_assert_cmpstr (caps, ==, "* CAPABILITY IMAP4rev1 AUTH=PLAIN");
  caps_ok = read_line (connection);

  g_assert_true (mail_connection_write_secret_sync (connection, login, strlen (login),
                                                    strlen ("a3 LOGIN "), NULL, &error));
  g_assert_no_error (error);
  login_ok = read_line (connection);
  g_assert_cmpstr (login_ok, ==, "a3 OK logged in");

  log = mail_protocol_log_to_string (mail_connection_get_log (connection));
  g_assert_nonnull (strstr (log, "C: a1 STARTTLS\n"));
  g_assert_nonnull (strstr (log, "C: a3 LOGIN ******\n"));
  g_assert_nonnull (strstr (log, "S: a3 OK logged in\n"));
  g_assert_nonnull (strstr (log, "-- TLS 1."));
  g_assert_null (strstr (log, "hunter2"));

  mail_connection_close_sync (connection, NULL, NULL);
  mail_fake_server_assert_finished (server, 1);
}

static void
test_starttls_injection (void)
{
  g_autoptr (MailFakeServer) server = mail_fake_server_new (certs->good, FALSE);
  g_autoptr (GTlsDatabase) database = ca_database ();
  g_autoptr (MailConnection) connection = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *greeting = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *log = NULL;

  mail_fake_server_send (server, "* OK [CAPABILITY IMAP4rev1 STARTTLS] hi\r\n");
  mail_fake_server_expect (server, "a1 STARTTLS");
  /* One segment: the OK, then a forged answer to the next command. */
  mail_fake_server_send (server, "a1 OK Begin TLS\r\n"
                                 "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\na2 OK\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  connection = connection_for (server, "127.0.0.1", MAIL_SECURITY_STARTTLS, database);
  g_assert_true (mail_connection_connect_sync (connection, NULL, &error));
  greeting = read_line (connection);
  write_line (connection, "a1 STARTTLS");
  reply = read_line (connection);
  g_assert_cmpstr (reply, ==, "a1 OK Begin TLS");

  g_assert_false (mail_connection_start_tls_sync (connection, NULL, &error));
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_STARTTLS_INJECTION);
  g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_STARTTLS_UNAVAILABLE);
  g_assert_true (g_str_has_prefix (error->message, "The connection could not be secured: "));
  g_assert_false (mail_connection_is_connected (connection));
  g_assert_false (mail_connection_is_encrypted (connection));

  /* Nothing was sent after STARTTLS: not even a TLS hello. */
  g_assert_true (mail_fake_server_wait_finished (server, 1, 10000));
  g_assert_cmpuint (mail_fake_server_get_waited_bytes (server), ==, 0);

  log = mail_protocol_log_to_string (mail_connection_get_log (connection));
  g_assert_nonnull (strstr (log, "injection"));
}

static void
test_starttls_injection_late (void)
{
  g_autoptr (MailFakeServer) server = mail_fake_server_new (certs->good, FALSE);
  g_autoptr (GTlsDatabase) database = ca_database ();
  g_autoptr (MailConnection) connection = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *greeting = NULL;
  g_autofree char *reply = NULL;

  mail_fake_server_send (server, "220 mail.example.test ESMTP\r\n");
  mail_fake_server_expect (server, "STARTTLS");
  mail_fake_server_send (server, "220 Ready to start TLS\r\n");
  mail_fake_server_sleep (server, 20);
  /* A second segment, which the reader has not seen when STARTTLS starts. */
  mail_fake_server_send (server, "250-AUTH PLAIN\r\n250 OK\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  connection = connection_for (server, "127.0.0.1", MAIL_SECURITY_STARTTLS, database);
  g_assert_true (mail_connection_connect_sync (connection, NULL, &error));
  greeting = read_line (connection);
  write_line (connection, "STARTTLS");
  reply = read_line (connection);
  g_assert_cmpstr (reply, ==, "220 Ready to start TLS");
  g_usleep (200 * 1000);

  g_assert_false (mail_connection_start_tls_sync (connection, NULL, &error));
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_STARTTLS_INJECTION);
  g_assert_false (mail_connection_is_connected (connection));

  g_assert_true (mail_fake_server_wait_finished (server, 1, 10000));
  g_assert_cmpuint (mail_fake_server_get_waited_bytes (server), ==, 0);
}

static void
test_starttls_refused (void)
{
  g_autoptr (MailFakeServer) server = mail_fake_server_new (NULL, FALSE);
  g_autoptr (MailConnection) connection = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *greeting = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *description = NULL;
  g_autofree char *log = NULL;

  mail_fake_server_send (server, "+OK POP3 ready\r\n");
  mail_fake_server_expect (server, "STLS");
  mail_fake_server_send (server, "-ERR Call 555-0100 to upgrade your account\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  connection = connection_for (server, "127.0.0.1", MAIL_SECURITY_STARTTLS, NULL);
  g_assert_true (mail_connection_connect_sync (connection, NULL, &error));
  greeting = read_line (connection);
  write_line (connection, "STLS");
  reply = read_line (connection);
  g_assert_true (g_str_has_prefix (reply, "-ERR"));

  /* What a protocol client does on a refusal: report it and close, no plaintext. */
  mail_net_error_set_starttls_unavailable (&error, MAIL_NET_ERROR_STARTTLS_REFUSED);
  mail_connection_close_sync (connection, NULL, NULL);

  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_STARTTLS_REFUSED);
  g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_STARTTLS_UNAVAILABLE);
  description = mail_error_describe (error);
  g_assert_true (g_str_has_prefix (description, "The connection could not be secured: "));
  /* The plaintext server's words are not shown to the user, only logged. */
  g_assert_null (strstr (description, "555-0100"));
  log = mail_protocol_log_to_string (mail_connection_get_log (connection));
  g_assert_nonnull (strstr (log, "S: -ERR Call 555-0100"));

  g_assert_true (mail_fake_server_wait_finished (server, 1, 10000));
  g_assert_cmpuint (mail_fake_server_get_waited_bytes (server), ==, 0);
}

static void
test_starttls_helper_messages (void)
{
  MailNetError codes[] = {
    MAIL_NET_ERROR_STARTTLS_NOT_OFFERED,
    MAIL_NET_ERROR_STARTTLS_REFUSED,
    MAIL_NET_ERROR_STARTTLS_PREAUTH,
    MAIL_NET_ERROR_STARTTLS_INJECTION,
  };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autoptr (GError) error = NULL;

      mail_net_error_set_starttls_unavailable (&error, codes[i]);
      g_assert_error (error, MAIL_NET_ERROR, (int) codes[i]);
      g_assert_true (g_str_has_prefix (error->message, "The connection could not be secured: "));
      g_assert_cmpint (mail_error_categorize (error), ==,
                       MAIL_ERROR_CATEGORY_STARTTLS_UNAVAILABLE);
    }
}

/* ---------------------------------------------------------------------------------- */

static void
run_greeting_timeout (gboolean tls)
{
  g_autoptr (MailFakeServer) server = mail_fake_server_new (tls ? certs->good : NULL, tls);
  g_autoptr (GTlsDatabase) database = ca_database ();
  g_autoptr (MailConnection) connection = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *description = NULL;
  gint64 start;
  gint64 elapsed;
  char *line;

  /* A tarpit: accepts, never speaks. */
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  connection = connection_for (server, "127.0.0.1", tls ? MAIL_SECURITY_TLS : MAIL_SECURITY_NONE,
                               database);
  mail_connection_set_timeout (connection, MAIL_CONNECTION_PHASE_GREETING, 1);
  g_assert_true (mail_connection_connect_sync (connection, NULL, &error));

  start = g_get_monotonic_time ();
  line = mail_connection_read_line_sync (connection, MAIL_CONNECTION_IO_NONE, NULL, NULL, &error);
  elapsed = g_get_monotonic_time () - start;

  g_assert_null (line);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (elapsed, >=, 900 * 1000);
  g_assert_cmpint (elapsed, <, 3 * G_USEC_PER_SEC);
  g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_TIMEOUT);
  description = mail_error_describe (error);
  g_assert_cmpstr (description, ==, "The server 127.0.0.1 did not answer within 1 second.");
  g_assert_false (mail_connection_is_connected (connection));

  g_assert_true (mail_fake_server_wait_finished (server, 1, 10000));
}

static void
test_timeout_greeting (void)
{
  run_greeting_timeout (FALSE);
}

static void
test_timeout_greeting_tls (void)
{
  run_greeting_timeout (TRUE);
}

static void
test_timeout_tls_handshake (void)
{
  g_autoptr (MailFakeServer) server = mail_fake_server_new (NULL, FALSE);
  g_autoptr (GTlsDatabase) database = ca_database ();
  g_autoptr (MailConnection) connection = NULL;
  g_autoptr (GError) error = NULL;
  gint64 start;
  gint64 elapsed;

  /* Accepts, but never answers the TLS hello. */
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  connection = connection_for (server, "127.0.0.1", MAIL_SECURITY_TLS, database);
  mail_connection_set_timeout (connection, MAIL_CONNECTION_PHASE_CONNECT, 1);

  start = g_get_monotonic_time ();
  g_assert_false (mail_connection_connect_sync (connection, NULL, &error));
  elapsed = g_get_monotonic_time () - start;

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (elapsed, >=, 900 * 1000);
  g_assert_cmpint (elapsed, <, 3 * G_USEC_PER_SEC);
  g_assert_false (mail_connection_is_connected (connection));

  /* The client hello reached the server, and nothing else. */
  g_assert_true (mail_fake_server_wait_finished (server, 1, 10000));
  g_assert_cmpuint (mail_fake_server_get_waited_bytes (server), >, 0);
}

static void
test_timeout_connect (void)
{
  g_autoptr (GSocket) listener = NULL;
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GPtrArray) fillers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (MailConnection) connection = NULL;
  g_autoptr (GError) error = NULL;
  gint64 start;
  gint64 elapsed;
  guint16 port;

  /* A listener that never accepts, with its queue full: further SYNs are dropped, so a
   * connect hangs, as towards a firewalled host. */
  listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                           &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (listener, address, TRUE, &error));
  g_socket_set_listen_backlog (listener, 0);
  g_assert_true (g_socket_listen (listener, &error));
  bound = g_socket_get_local_address (listener, &error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  for (guint i = 0; i < 4; i++)
    {
      GSocket *filler = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL);

      g_socket_set_blocking (filler, FALSE);
      g_socket_connect (filler, bound, NULL, NULL);
      g_ptr_array_add (fillers, filler);
    }
  g_usleep (100 * 1000);

  connection = mail_connection_new ("127.0.0.1", port, MAIL_SECURITY_TLS, NULL);
  mail_connection_set_timeout (connection, MAIL_CONNECTION_PHASE_CONNECT, 1);

  start = g_get_monotonic_time ();
  g_assert_false (mail_connection_connect_sync (connection, NULL, &error));
  elapsed = g_get_monotonic_time () - start;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    {
      g_test_skip ("this kernel refuses rather than drops connections to a full queue");
      return;
    }

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpstr (error->message, ==, "The server 127.0.0.1 did not answer within 1 second.");
  g_assert_cmpint (elapsed, >=, 900 * 1000);
  g_assert_cmpint (elapsed, <, 3 * G_USEC_PER_SEC);
}

static void
test_closed_mid_line (void)
{
  g_autoptr (MailFakeServer) server = mail_fake_server_new (NULL, FALSE);
  g_autoptr (MailConnection) connection = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *first = NULL;
  char *line;

  mail_fake_server_send (server, "* OK hello\r\n* 1 FETCH (FLAGS (\\Se");
  mail_fake_server_close (server);
  mail_fake_server_start (server);

  connection = connection_for (server, "127.0.0.1", MAIL_SECURITY_NONE, NULL);
  g_assert_true (mail_connection_connect_sync (connection, NULL, &error));
  first = read_line (connection);
  line = mail_connection_read_line_sync (connection, MAIL_CONNECTION_IO_NONE, NULL, NULL, &error);
  g_assert_null (line);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_NETWORK);
  g_assert_false (mail_connection_is_connected (connection));
  g_clear_error (&error);

  /* Later calls fail cleanly too. */
  line = mail_connection_read_line_sync (connection, MAIL_CONNECTION_IO_NONE, NULL, NULL, &error);
  g_assert_null (line);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED);
}

static void
test_huge_line (void)
{
  g_autoptr (MailFakeServer) server = mail_fake_server_new (NULL, FALSE);
  g_autoptr (MailConnection) connection = NULL;
  g_autoptr (GError) error = NULL;
  gsize size = 1024 * 1024 + 2;
  char *data = g_malloc (size);
  g_autoptr (GBytes) bytes = NULL;
  char *line;

  memset (data, 'x', size);
  data[0] = '*';
  data[size - 2] = '\r';
  data[size - 1] = '\n';
  bytes = g_bytes_new_take (data, size);

  mail_fake_server_send_bytes (server, bytes);
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  connection = connection_for (server, "127.0.0.1", MAIL_SECURITY_NONE, NULL);
  g_assert_true (mail_connection_connect_sync (connection, NULL, &error));
  g_assert_cmpuint (mail_line_reader_get_max_line_length (mail_connection_get_reader (connection)),
                    ==, MAIL_LINE_READER_DEFAULT_MAX_LINE_LENGTH);

  line = mail_connection_read_line_sync (connection, MAIL_CONNECTION_IO_NONE, NULL, NULL, &error);
  g_assert_null (line);
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_LIMIT);
  g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_PROTOCOL);
  g_assert_false (mail_connection_is_connected (connection));

  g_assert_true (mail_fake_server_wait_finished (server, 1, 10000));
}

typedef struct
{
  GCancellable *cancellable;
  guint         delay_ms;
  gint64        cancelled_at;
} CancelData;

static gpointer
cancel_thread (gpointer data)
{
  CancelData *cancel = data;

  g_usleep (cancel->delay_ms * 1000);
  cancel->cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (cancel->cancellable);

  return NULL;
}

static void
run_cancel_blocked_read (gboolean tls)
{
  g_autoptr (MailFakeServer) server = mail_fake_server_new (tls ? certs->good : NULL, tls);
  g_autoptr (GTlsDatabase) database = ca_database ();
  g_autoptr (MailConnection) connection = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  CancelData cancel = { cancellable, 150, 0 };
  GThread *thread;
  gint64 returned_at;
  char *line;

  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  connection = connection_for (server, "127.0.0.1", tls ? MAIL_SECURITY_TLS : MAIL_SECURITY_NONE,
                               database);
  g_assert_true (mail_connection_connect_sync (connection, NULL, &error));

  thread = g_thread_new ("cancel", cancel_thread, &cancel);
  line = mail_connection_read_line_sync (connection, MAIL_CONNECTION_IO_NONE, NULL, cancellable,
                                         &error);
  returned_at = g_get_monotonic_time ();
  g_thread_join (thread);

  g_assert_null (line);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_NONE);
  g_assert_cmpint (returned_at - cancel.cancelled_at, <, 200 * 1000);
  g_assert_false (mail_connection_is_connected (connection));

  /* The socket really is closed: the server sees the end of the stream. */
  g_assert_true (mail_fake_server_wait_finished (server, 1, 5000));
}

static void
test_cancel_blocked_read (void)
{
  run_cancel_blocked_read (FALSE);
}

static void
test_cancel_blocked_read_tls (void)
{
  run_cancel_blocked_read (TRUE);
}

static void
test_wait_for_data (void)
{
  g_autoptr (MailFakeServer) server = mail_fake_server_new (certs->good, TRUE);
  g_autoptr (GTlsDatabase) database = ca_database ();
  g_autoptr (MailConnection) connection = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *idling = NULL;
  g_autofree char *exists = NULL;
  g_autofree char *done = NULL;
  CancelData cancel = { cancellable, 50, 0 };
  GThread *thread;

  mail_fake_server_send (server, "+ idling\r\n");
  mail_fake_server_sleep (server, 400);
  mail_fake_server_send (server, "* 3 EXISTS\r\n");
  mail_fake_server_expect (server, "DONE");
  mail_fake_server_send (server, "a1 OK IDLE done\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  connection = connection_for (server, "127.0.0.1", MAIL_SECURITY_TLS, database);
  g_assert_true (mail_connection_connect_sync (connection, NULL, &error));
  idling = read_line (connection);
  mail_connection_set_phase (connection, MAIL_CONNECTION_PHASE_IDLE);

  /* Cancelling the wait leaves the connection usable. */
  thread = g_thread_new ("cancel", cancel_thread, &cancel);
  g_assert_false (mail_connection_wait_for_data_sync (connection, cancellable, &error));
  g_thread_join (thread);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_true (mail_connection_is_connected (connection));

  g_assert_true (mail_connection_wait_for_data_sync (connection, NULL, &error));
  g_assert_no_error (error);
  exists = read_line (connection);
  g_assert_cmpstr (exists, ==, "* 3 EXISTS");

  mail_connection_set_phase (connection, MAIL_CONNECTION_PHASE_COMMAND);
  write_line (connection, "DONE");
  done = read_line (connection);
  g_assert_cmpstr (done, ==, "a1 OK IDLE done");

  mail_connection_close_sync (connection, NULL, NULL);
  mail_fake_server_assert_finished (server, 1);
}

static void
test_wait_for_data_timeout (void)
{
  g_autoptr (MailFakeServer) server = mail_fake_server_new (NULL, FALSE);
  g_autoptr (MailConnection) connection = NULL;
  g_autoptr (GError) error = NULL;

  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  connection = connection_for (server, "127.0.0.1", MAIL_SECURITY_NONE, NULL);
  mail_connection_set_timeout (connection, MAIL_CONNECTION_PHASE_IDLE, 1);
  g_assert_true (mail_connection_connect_sync (connection, NULL, &error));
  mail_connection_set_phase (connection, MAIL_CONNECTION_PHASE_IDLE);

  g_assert_false (mail_connection_wait_for_data_sync (connection, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  /* An idle timeout is the client's cue to renew IDLE, not a broken connection. */
  g_assert_true (mail_connection_is_connected (connection));
}

static void
test_log_redaction (void)
{
  g_autoptr (MailFakeServer) server = mail_fake_server_new (certs->good, TRUE);
  g_autoptr (GTlsDatabase) database = ca_database ();
  g_autoptr (MailConnection) connection = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autofree char *head = NULL;
  g_autofree char *tail = NULL;
  g_autofree char *plus = NULL;
  g_autofree char *ok = NULL;
  g_autofree char *log = NULL;
  g_autofree char *body_entry = NULL;
  const char *message = "Subject: secret plans\r\n\r\nAttack at dawn.\r\n";
  g_autofree char *append = g_strdup_printf ("a3 APPEND INBOX {%" G_GSIZE_FORMAT "+}\r\n",
                                             strlen (message));
  const char *auth = "a2 AUTHENTICATE PLAIN\r\n";
  const char *response = "AHRpbQBodW50ZXIy\r\n";

  mail_fake_server_send (server, "* OK ready\r\n");
  mail_fake_server_expect (server, "a2 AUTHENTICATE PLAIN");
  mail_fake_server_send (server, "+ \r\n");
  mail_fake_server_expect (server, "AHRpbQBodW50ZXIy");
  mail_fake_server_send (server, "a2 OK\r\n");
  mail_fake_server_expect (server, "a3 APPEND INBOX {*");
  mail_fake_server_expect (server, "Subject: secret plans");
  mail_fake_server_expect (server, "");
  mail_fake_server_expect (server, "Attack at dawn.");
  mail_fake_server_expect (server, "");
  mail_fake_server_send (server, "a3 OK\r\n* 1 FETCH (BODY[] {15}\r\nAttack at dawn.)\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  connection = connection_for (server, "127.0.0.1", MAIL_SECURITY_TLS, database);
  g_assert_true (mail_connection_connect_sync (connection, NULL, &error));
  g_free (read_line (connection));

  g_assert_true (mail_connection_write_all_sync (connection, auth, strlen (auth),
                                                 MAIL_CONNECTION_IO_NONE, NULL, &error));
  plus = read_line (connection);
  g_assert_true (mail_connection_write_secret_sync (connection, response, strlen (response), 0,
                                                    NULL, &error));
  ok = read_line (connection);
  g_assert_cmpstr (ok, ==, "a2 OK");

  /* APPEND with LITERAL+: the command line, then the message, then CRLF. */
  g_assert_true (mail_connection_write_all_sync (connection, append, strlen (append),
                                                 MAIL_CONNECTION_IO_NONE, NULL, &error));
  g_assert_true (mail_connection_write_all_sync (connection, message, strlen (message),
                                                 MAIL_CONNECTION_IO_BODY, NULL, &error));
  write_line (connection, "");
  g_free (read_line (connection));

  head = read_line (connection);
  g_assert_cmpstr (head, ==, "* 1 FETCH (BODY[] {15}");
  body = mail_connection_read_bytes_sync (connection, 15, MAIL_CONNECTION_IO_BODY, NULL, &error);
  g_assert_no_error (error);
  tail = read_line (connection);
  g_assert_cmpstr (tail, ==, ")");

  log = mail_protocol_log_to_string (mail_connection_get_log (connection));
  g_test_message ("%s", log);
  g_assert_nonnull (strstr (log, "C: a2 AUTHENTICATE PLAIN\n"));
  g_assert_nonnull (strstr (log, "C: ******\n"));
  body_entry = g_strdup_printf ("C: [%" G_GSIZE_FORMAT " bytes]\n", strlen (message));
  g_assert_nonnull (strstr (log, body_entry));
  g_assert_nonnull (strstr (log, "S: [15 bytes]\n"));
  g_assert_null (strstr (log, "AHRpbQBodW50ZXIy"));
  g_assert_null (strstr (log, "secret plans"));
  g_assert_null (strstr (log, "Attack at dawn"));

  mail_connection_close_sync (connection, NULL, NULL);
  mail_fake_server_assert_finished (server, 1);
}

static void
test_line_injection_refused (void)
{
  g_autoptr (MailFakeServer) server = mail_fake_server_new (NULL, FALSE);
  g_autoptr (MailConnection) connection = NULL;
  g_autoptr (GError) error = NULL;

  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  connection = connection_for (server, "127.0.0.1", MAIL_SECURITY_NONE, NULL);
  g_assert_true (mail_connection_connect_sync (connection, NULL, &error));
  g_assert_false (mail_connection_write_line_sync (connection, "a1 SELECT \"x\r\na2 DELETE INBOX\"",
                                                   NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_true (mail_connection_is_connected (connection));
  mail_connection_close_sync (connection, NULL, NULL);

  g_assert_true (mail_fake_server_wait_finished (server, 1, 5000));
  g_assert_cmpuint (mail_fake_server_get_waited_bytes (server), ==, 0);
}

static void
test_plaintext_secret_allowed (void)
{
  g_autoptr (MailFakeServer) server = mail_fake_server_new (NULL, FALSE);
  g_autoptr (MailConnection) connection = NULL;
  g_autoptr (GError) error = NULL;
  const char *user = "USER tim\r\n";
  const char *pass = "PASS hunter2\r\n";

  mail_fake_server_expect (server, "USER tim");
  mail_fake_server_expect (server, "PASS hunter2");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  connection = connection_for (server, "127.0.0.1", MAIL_SECURITY_NONE, NULL);
  g_assert_true (mail_connection_connect_sync (connection, NULL, &error));
  g_assert_true (mail_connection_write_all_sync (connection, user, strlen (user),
                                                 MAIL_CONNECTION_IO_NONE, NULL, &error));

  /* Without the user's consent, not even on a "none" connection. */
  g_assert_false (mail_connection_write_secret_sync (connection, pass, strlen (pass), 5, NULL,
                                                     &error));
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_PLAINTEXT_REFUSED);
  g_clear_error (&error);

  mail_connection_set_allow_plaintext_secrets (connection, TRUE);
  g_assert_true (mail_connection_write_secret_sync (connection, pass, strlen (pass), 5, NULL,
                                                    &error));
  mail_connection_close_sync (connection, NULL, NULL);
  mail_fake_server_assert_finished (server, 1);
}

static void
test_connect_refused (void)
{
  g_autoptr (GSocketListener) listener = g_socket_listener_new ();
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (MailConnection) connection = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *description = NULL;
  guint16 port;

  /* A port that was free a moment ago. */
  g_assert_true (g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_TCP, NULL, &bound, NULL));
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_listener_close (listener);

  connection = mail_connection_new ("127.0.0.1", port, MAIL_SECURITY_TLS, NULL);
  g_assert_false (mail_connection_connect_sync (connection, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_NETWORK);
  description = mail_error_describe (error);
  g_assert_nonnull (strstr (description, "refused the connection"));
}

static void
connect_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GError **error = user_data;

  mail_connection_connect_finish (MAIL_CONNECTION (object), result, error);
  if (*error == NULL)
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "no error");
}

static void
test_connect_async (void)
{
  g_autoptr (MailFakeServer) server = mail_fake_server_new (certs->good, TRUE);
  g_autoptr (GTlsDatabase) database = ca_database ();
  g_autoptr (MailConnection) connection = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *greeting = NULL;

  mail_fake_server_send (server, "* OK async\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  connection = connection_for (server, "127.0.0.1", MAIL_SECURITY_TLS, database);
  mail_connection_connect_async (connection, NULL, connect_done_cb, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);

  /* connect_done_cb marks success with this placeholder. */
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "no error");
  g_assert_true (mail_connection_is_encrypted (connection));
  greeting = read_line (connection);
  g_assert_cmpstr (greeting, ==, "* OK async");
  mail_connection_close_sync (connection, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  int status;

  /* Hermetic: no system proxy (the GNOME proxy resolver would look for its settings
   * schema in the isolated data directories and abort). */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  /* Not G_TEST_OPTION_ISOLATE_DIRS: nothing here touches the user's directories, and in
   * GLib 2.74 every isolated test leaks the previous test's directory names, which
   * LeakSanitizer reports (GLib's stack is too short to suppress without slow unwinding). */
  g_test_init (&argc, &argv, NULL);

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_print ("1..0 # SKIP no TLS backend (glib-networking)\n");
      return 0;
    }

  certs = mail_test_certs_new (&error);
  if (certs == NULL)
    {
      g_print ("1..0 # SKIP cannot make test certificates: %s\n", error->message);
      return 0;
    }

  g_test_add_func ("/mail/net/connection/tls/trusted", test_tls_trusted);
  g_test_add_func ("/mail/net/connection/tls/trusted-by-name", test_tls_trusted_by_name);
  g_test_add_func ("/mail/net/connection/tls/unknown-ca", test_tls_unknown_ca);
  g_test_add_func ("/mail/net/connection/tls/self-signed", test_tls_self_signed);
  g_test_add_func ("/mail/net/connection/tls/wrong-host", test_tls_wrong_host);
  g_test_add_func ("/mail/net/connection/tls/expired", test_tls_expired);
  g_test_add_func ("/mail/net/connection/tls/old-version", test_tls_old_version);
  g_test_add_func ("/mail/net/autoconfig-fetch/tls-old-version",
                   test_autoconfig_fetch_old_version);
  g_test_add_func ("/mail/net/connection/tls/pinned", test_tls_pinned);
  g_test_add_func ("/mail/net/connection/tls/pinned-other-host", test_tls_pinned_other_host);
  g_test_add_func ("/mail/net/connection/tls/pinned-expired", test_tls_pinned_expired);
  g_test_add_func ("/mail/net/connection/starttls/ok", test_starttls);
  g_test_add_func ("/mail/net/connection/starttls/injection", test_starttls_injection);
  g_test_add_func ("/mail/net/connection/starttls/injection-late", test_starttls_injection_late);
  g_test_add_func ("/mail/net/connection/starttls/refused", test_starttls_refused);
  g_test_add_func ("/mail/net/connection/starttls/helper-messages",
                   test_starttls_helper_messages);
  g_test_add_func ("/mail/net/connection/timeout/greeting", test_timeout_greeting);
  g_test_add_func ("/mail/net/connection/timeout/greeting-tls", test_timeout_greeting_tls);
  g_test_add_func ("/mail/net/connection/timeout/tls-handshake", test_timeout_tls_handshake);
  g_test_add_func ("/mail/net/connection/timeout/connect", test_timeout_connect);
  g_test_add_func ("/mail/net/connection/closed-mid-line", test_closed_mid_line);
  g_test_add_func ("/mail/net/connection/limit/huge-line", test_huge_line);
  g_test_add_func ("/mail/net/connection/cancel/blocked-read", test_cancel_blocked_read);
  g_test_add_func ("/mail/net/connection/cancel/blocked-read-tls", test_cancel_blocked_read_tls);
  g_test_add_func ("/mail/net/connection/idle/wait-for-data", test_wait_for_data);
  g_test_add_func ("/mail/net/connection/idle/timeout", test_wait_for_data_timeout);
  g_test_add_func ("/mail/net/connection/log/redaction", test_log_redaction);
  g_test_add_func ("/mail/net/connection/write/line-injection", test_line_injection_refused);
  g_test_add_func ("/mail/net/connection/write/plaintext-secret", test_plaintext_secret_allowed);
  g_test_add_func ("/mail/net/connection/connect/refused", test_connect_refused);
  g_test_add_func ("/mail/net/connection/connect/async", test_connect_async);

  status = g_test_run ();

  g_clear_pointer (&certs, mail_test_certs_free);

  return status;
}
