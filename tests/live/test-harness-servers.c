/* test-harness-servers.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The walking skeleton's integration test: talks to every service the harness starts
 * (Dovecot IMAP and POP3, Postfix submission, dnsmasq, the HTTPS server, gnome-keyring)
 * with plain GIO, libsoup and libsecret, trusting the test CA only through the same
 * extra-CA option a user with a private company CA would use.
 */

#include "config.h"

#include <libsecret/secret.h>
#include <libsoup/soup.h>
#include <string.h>

#include "mail-test-util.h"
#include "mail-tls-database.h"

#define LINE_LIMIT 65536

typedef struct
{
  GIOStream        *stream;   /* the socket connection, or the TLS connection over it */
  GSocketConnection *socket;
  GDataInputStream *input;
} Conn;

static void
conn_free (Conn *conn)
{
  if (conn->stream != NULL)
    g_io_stream_close (conn->stream, NULL, NULL);
  g_clear_object (&conn->input);
  g_clear_object (&conn->stream);
  g_clear_object (&conn->socket);
  g_free (conn);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Conn, conn_free)

static char *
conn_read_line (Conn *conn)
{
  g_autoptr (GError) error = NULL;
  gsize length = 0;
  char *line = g_data_input_stream_read_line (conn->input, &length, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_cmpuint (length, <, LINE_LIMIT);
  if (length > 0 && line[length - 1] == '\r')
    line[length - 1] = '\0';

  return line;
}

static void
conn_write (Conn       *conn,
            const char *text)
{
  g_autoptr (GError) error = NULL;
  GOutputStream *output = g_io_stream_get_output_stream (conn->stream);

  g_output_stream_write_all (output, text, strlen (text), NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
conn_set_stream (Conn      *conn,
                 GIOStream *stream)
{
  g_clear_object (&conn->input);
  g_set_object (&conn->stream, stream);
  conn->input = g_data_input_stream_new (g_io_stream_get_input_stream (stream));
  /* The reader goes away at STARTTLS; the socket under it must stay open. */
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (conn->input), FALSE);
  g_data_input_stream_set_newline_type (conn->input, G_DATA_STREAM_NEWLINE_TYPE_LF);
}

static gboolean
record_certificate_errors_cb (GTlsConnection       *tls,
                              GTlsCertificate      *certificate,
                              GTlsCertificateFlags  errors,
                              gpointer              user_data)
{
  *(GTlsCertificateFlags *) user_data = errors;

  return FALSE;
}

/* Wraps the connection in TLS, verifying the server as @host against @database.
 * Returns the handshake error, if any, and the certificate problems seen. */
static GError *
conn_start_tls (Conn                 *conn,
                const char           *host,
                guint16               port,
                GTlsDatabase         *database,
                GTlsCertificateFlags *problems)
{
  g_autoptr (GSocketConnectable) identity = g_network_address_new (host, port);
  g_autoptr (GIOStream) tls = NULL;
  GError *error = NULL;

  if (problems != NULL)
    *problems = 0;

  tls = g_tls_client_connection_new (G_IO_STREAM (conn->socket), identity, &error);
  g_assert_no_error (error);
  g_tls_connection_set_database (G_TLS_CONNECTION (tls), database);
  if (problems != NULL)
    g_signal_connect (tls, "accept-certificate", G_CALLBACK (record_certificate_errors_cb),
                      problems);

  if (g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, &error))
    {
      g_assert_cmpint (g_tls_connection_get_protocol_version (G_TLS_CONNECTION (tls)), >=,
                       G_TLS_PROTOCOL_VERSION_TLS_1_2);
      conn_set_stream (conn, tls);
    }

  return error;
}

static Conn *
conn_open (const char *host,
           guint16     port)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GError) error = NULL;
  Conn *conn = g_new0 (Conn, 1);

  g_socket_client_set_timeout (client, 10);
  conn->socket = g_socket_client_connect_to_host (client, host, port, NULL, &error);
  g_assert_no_error (error);
  conn_set_stream (conn, G_IO_STREAM (conn->socket));

  return conn;
}

static Conn *
conn_open_tls (const char   *host,
               guint16       port,
               GTlsDatabase *database)
{
  g_autoptr (Conn) conn = conn_open (host, port);
  g_autoptr (GError) error = conn_start_tls (conn, host, port, database, NULL);

  g_assert_no_error (error);

  return g_steal_pointer (&conn);
}

/* STARTTLS may begin only when nothing the server sent before its go-ahead is still
 * unread: bytes buffered here would be plaintext an attacker injected. */
static void
conn_assert_nothing_buffered (Conn *conn)
{
  g_assert_cmpuint (g_buffered_input_stream_get_available (G_BUFFERED_INPUT_STREAM (conn->input)),
                    ==, 0);
}

/* Sends an IMAP command and returns its untagged lines joined by "\n"; asserts OK. */
static char *
imap_command (Conn       *conn,
              const char *tag,
              const char *command)
{
  g_autoptr (GString) untagged = g_string_new (NULL);
  g_autofree char *line = NULL;
  g_autofree char *text = g_strdup_printf ("%s %s\r\n", tag, command);
  gsize tag_length = strlen (tag);

  conn_write (conn, text);
  for (;;)
    {
      g_clear_pointer (&line, g_free);
      line = conn_read_line (conn);
      if (strncmp (line, tag, tag_length) == 0 && line[tag_length] == ' ')
        break;
      g_string_append_printf (untagged, "%s\n", line);
    }

  if (!g_str_has_prefix (line + tag_length + 1, "OK"))
    g_error ("IMAP %s failed: %s", command, line);

  return g_string_free (g_steal_pointer (&untagged), FALSE);
}

static gboolean
capability_has (const char *capabilities,
                const char *name)
{
  g_auto (GStrv) words = g_strsplit_set (capabilities, " \n]", -1);

  for (guint i = 0; words[i] != NULL; i++)
    if (g_ascii_strcasecmp (words[i], name) == 0)
      return TRUE;

  return FALSE;
}

static void
test_imap_implicit_tls (void)
{
  g_autofree char *host = mail_test_harness_get ("imap", "host");
  guint16 port = mail_test_harness_get_port ("imap", "tls-port");
  g_autoptr (GTlsDatabase) database = mail_test_tls_database ();
  g_autoptr (Conn) conn = conn_open_tls (host, port, database);
  g_autofree char *greeting = conn_read_line (conn);
  g_autofree char *capabilities = NULL;
  g_autofree char *login = NULL;
  g_autofree char *quota = NULL;

  g_assert_true (g_str_has_prefix (greeting, "* OK"));

  capabilities = imap_command (conn, "a1", "CAPABILITY");
  g_assert_true (capability_has (capabilities, "IMAP4rev1"));
  g_assert_true (capability_has (capabilities, "AUTH=PLAIN"));
  g_assert_false (capability_has (capabilities, "LOGINDISABLED"));
  g_assert_false (capability_has (capabilities, "STARTTLS"));

  login = imap_command (conn, "a2", "LOGIN \"alice@example.test\" \"alice-password\"");
  capabilities = (g_free (capabilities), imap_command (conn, "a3", "CAPABILITY"));
  g_assert_true (capability_has (capabilities, "QUOTA"));
  g_assert_true (capability_has (capabilities, "IDLE"));

  /* The quota plugin is on: the user has a storage limit. */
  quota = imap_command (conn, "a4", "GETQUOTAROOT INBOX");
  g_assert_nonnull (strstr (quota, "* QUOTA "));
  g_assert_nonnull (strstr (quota, "STORAGE"));

  g_free (imap_command (conn, "a5", "LOGOUT"));
}

static void
test_imap_starttls (void)
{
  g_autofree char *host = mail_test_harness_get ("imap", "host");
  guint16 port = mail_test_harness_get_port ("imap", "starttls-port");
  g_autoptr (GTlsDatabase) database = mail_test_tls_database ();
  g_autoptr (Conn) conn = conn_open (host, port);
  g_autofree char *greeting = conn_read_line (conn);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (g_str_has_prefix (greeting, "* OK"));

  /* Before TLS the server offers STARTTLS and refuses to take a password. */
  before = imap_command (conn, "a1", "CAPABILITY");
  g_assert_true (capability_has (before, "STARTTLS"));
  g_assert_true (capability_has (before, "LOGINDISABLED"));

  g_free (imap_command (conn, "a2", "STARTTLS"));
  conn_assert_nothing_buffered (conn);
  error = conn_start_tls (conn, host, port, database, NULL);
  g_assert_no_error (error);

  /* Capabilities are asked again after TLS, never carried over. */
  after = imap_command (conn, "a3", "CAPABILITY");
  g_assert_false (capability_has (after, "STARTTLS"));
  g_assert_false (capability_has (after, "LOGINDISABLED"));
  g_assert_true (capability_has (after, "AUTH=PLAIN"));

  g_free (imap_command (conn, "a4", "LOGIN \"alice@example.test\" \"alice-password\""));
  g_free (imap_command (conn, "a5", "LOGOUT"));
}

/* Reads a POP3 multi-line answer after "+OK", until the lone ".". */
static char *
pop3_read_multiline (Conn *conn)
{
  g_autoptr (GString) lines = g_string_new (NULL);

  for (;;)
    {
      g_autofree char *line = conn_read_line (conn);

      if (g_str_equal (line, "."))
        break;
      g_string_append_printf (lines, "%s\n", line);
    }

  return g_string_free (g_steal_pointer (&lines), FALSE);
}

static char *
pop3_command (Conn       *conn,
              const char *command)
{
  g_autofree char *text = g_strdup_printf ("%s\r\n", command);
  char *line;

  conn_write (conn, text);
  line = conn_read_line (conn);
  if (!g_str_has_prefix (line, "+OK"))
    g_error ("POP3 %s failed: %s", command, line);

  return line;
}

static void
test_pop3 (void)
{
  g_autofree char *host = mail_test_harness_get ("pop3", "host");
  g_autoptr (GTlsDatabase) database = mail_test_tls_database ();
  g_autoptr (GError) error = NULL;
  g_autoptr (Conn) tls = NULL;
  g_autoptr (Conn) plain = NULL;
  g_autofree char *greeting = NULL;
  g_autofree char *capa = NULL;

  /* Implicit TLS. */
  tls = conn_open_tls (host, mail_test_harness_get_port ("pop3", "tls-port"), database);
  greeting = conn_read_line (tls);
  g_assert_true (g_str_has_prefix (greeting, "+OK"));
  g_free (pop3_command (tls, "CAPA"));
  capa = pop3_read_multiline (tls);
  g_assert_true (capability_has (capa, "UIDL"));
  g_assert_true (capability_has (capa, "USER"));
  g_assert_false (capability_has (capa, "STLS"));
  g_free (pop3_command (tls, "USER alice@example.test"));
  g_free (pop3_command (tls, "PASS alice-password"));
  g_free (pop3_command (tls, "STAT"));
  g_free (pop3_command (tls, "QUIT"));

  /* STLS on the plain port: offered before, gone after. */
  plain = conn_open (host, mail_test_harness_get_port ("pop3", "starttls-port"));
  g_free (greeting);
  greeting = conn_read_line (plain);
  g_assert_true (g_str_has_prefix (greeting, "+OK"));
  g_free (pop3_command (plain, "CAPA"));
  g_free (capa);
  capa = pop3_read_multiline (plain);
  g_assert_true (capability_has (capa, "STLS"));
  g_free (pop3_command (plain, "STLS"));
  conn_assert_nothing_buffered (plain);
  error = conn_start_tls (plain, host, mail_test_harness_get_port ("pop3", "starttls-port"),
                          database, NULL);
  g_assert_no_error (error);
  g_free (pop3_command (plain, "CAPA"));
  g_free (capa);
  capa = pop3_read_multiline (plain);
  g_assert_false (capability_has (capa, "STLS"));
  g_assert_true (capability_has (capa, "USER"));
  g_free (pop3_command (plain, "QUIT"));
}

/* Reads an SMTP reply (all its lines) and returns it; asserts the expected code. */
static char *
smtp_read_reply (Conn       *conn,
                 const char *code)
{
  g_autoptr (GString) reply = g_string_new (NULL);

  for (;;)
    {
      g_autofree char *line = conn_read_line (conn);

      g_assert_cmpuint (strlen (line), >=, 3);
      if (strncmp (line, code, 3) != 0)
        g_error ("SMTP: expected %s, got: %s", code, line);
      g_string_append_printf (reply, "%s\n", line + 4 - (line[3] == '\0'));
      if (line[3] != '-')
        break;
    }

  return g_string_free (g_steal_pointer (&reply), FALSE);
}

static char *
smtp_command (Conn       *conn,
              const char *command,
              const char *code)
{
  g_autofree char *text = g_strdup_printf ("%s\r\n", command);

  conn_write (conn, text);

  return smtp_read_reply (conn, code);
}

static char *
plain_auth_response (const char *user,
                     const char *password)
{
  g_autoptr (GByteArray) blob = g_byte_array_new ();
  g_autofree char *encoded = NULL;

  g_byte_array_append (blob, (const guint8 *) "", 1);
  g_byte_array_append (blob, (const guint8 *) user, strlen (user) + 1);
  g_byte_array_append (blob, (const guint8 *) password, strlen (password));
  encoded = g_base64_encode (blob->data, blob->len);

  return g_strdup_printf ("AUTH PLAIN %s", encoded);
}

static void
smtp_send_to_bob (Conn       *conn,
                  const char *subject)
{
  g_autofree char *auth = plain_auth_response ("alice@example.test", "alice-password");
  g_autofree char *message = NULL;

  g_free (smtp_command (conn, auth, "235"));
  g_free (smtp_command (conn, "MAIL FROM:<alice@example.test>", "250"));
  g_free (smtp_command (conn, "RCPT TO:<bob@example.test>", "250"));
  g_free (smtp_command (conn, "DATA", "354"));
  message = g_strdup_printf ("From: Alice <alice@example.test>\r\n"
                             "To: Bob <bob@example.test>\r\n"
                             "Subject: %s\r\n"
                             "Message-ID: <%s@example.test>\r\n"
                             "\r\n"
                             "Hello Bob.\r\n"
                             "..a line that starts with a dot\r\n"
                             ".\r\n",
                             subject, subject);
  conn_write (conn, message);
  g_free (smtp_read_reply (conn, "250"));
  g_free (smtp_command (conn, "QUIT", "221"));
}

static gboolean
bob_has_message (const char *subject)
{
  g_autofree char *host = mail_test_harness_get ("imap", "host");
  g_autoptr (GTlsDatabase) database = mail_test_tls_database ();
  g_autoptr (Conn) conn = conn_open_tls (host, mail_test_harness_get_port ("imap", "tls-port"),
                                         database);
  g_autofree char *search = g_strdup_printf ("UID SEARCH SUBJECT \"%s\"", subject);
  g_autofree char *found = NULL;

  g_free (conn_read_line (conn));
  g_free (imap_command (conn, "b1", "LOGIN \"bob@example.test\" \"bob-password\""));
  g_free (imap_command (conn, "b2", "EXAMINE INBOX"));
  found = imap_command (conn, "b3", search);
  g_free (imap_command (conn, "b4", "LOGOUT"));

  /* "* SEARCH" alone means nothing matched. */
  return g_str_has_prefix (found, "* SEARCH ") && strlen (found) > strlen ("* SEARCH \n");
}

static void
wait_for_delivery (const char *subject)
{
  for (guint i = 0; i < 100; i++)
    {
      if (bob_has_message (subject))
        return;
      g_usleep (G_USEC_PER_SEC / 10);
    }

  g_error ("the message “%s” never reached Bob's INBOX", subject);
}

static void
test_smtp_implicit_tls (void)
{
  g_autofree char *host = mail_test_harness_get ("smtp", "host");
  g_autoptr (GTlsDatabase) database = mail_test_tls_database ();
  g_autoptr (Conn) conn = conn_open_tls (host, mail_test_harness_get_port ("smtp", "tls-port"),
                                         database);
  g_autofree char *ehlo = NULL;
  g_autofree char *subject = g_strdup_printf ("implicit-tls-%u", g_random_int ());

  g_free (smtp_read_reply (conn, "220"));
  ehlo = smtp_command (conn, "EHLO client.example.test", "250");
  g_assert_nonnull (strstr (ehlo, "AUTH"));
  g_assert_nonnull (strstr (ehlo, "PLAIN"));
  g_assert_null (strstr (ehlo, "STARTTLS"));

  smtp_send_to_bob (conn, subject);
  wait_for_delivery (subject);
}

static void
test_smtp_starttls (void)
{
  g_autofree char *host = mail_test_harness_get ("smtp", "host");
  guint16 port = mail_test_harness_get_port ("smtp", "starttls-port");
  g_autoptr (GTlsDatabase) database = mail_test_tls_database ();
  g_autoptr (Conn) conn = conn_open (host, port);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *subject = g_strdup_printf ("starttls-%u", g_random_int ());
  g_autoptr (GError) error = NULL;

  g_free (smtp_read_reply (conn, "220"));
  before = smtp_command (conn, "EHLO client.example.test", "250");
  g_assert_nonnull (strstr (before, "STARTTLS"));
  /* No authentication is offered before the connection is encrypted. */
  g_assert_null (strstr (before, "AUTH"));

  g_free (smtp_command (conn, "STARTTLS", "220"));
  conn_assert_nothing_buffered (conn);
  error = conn_start_tls (conn, host, port, database, NULL);
  g_assert_no_error (error);

  after = smtp_command (conn, "EHLO client.example.test", "250");
  g_assert_null (strstr (after, "STARTTLS"));
  g_assert_nonnull (strstr (after, "AUTH"));

  smtp_send_to_bob (conn, subject);
  wait_for_delivery (subject);
}

static void
test_dns (void)
{
  GResolver *resolver = g_resolver_get_default ();
  g_autofree char *mail_address = mail_test_harness_get ("imap", "address");
  g_autoptr (GError) error = NULL;
  GList *records;
  GList *addresses;
  gboolean found = FALSE;

  /* A: the mail host resolves to the harness's address for it, through the system resolver. */
  addresses = g_resolver_lookup_by_name (resolver, "mail.example.test", NULL, &error);
  g_assert_no_error (error);
  for (GList *l = addresses; l != NULL; l = l->next)
    {
      g_autofree char *text = g_inet_address_to_string (l->data);

      found |= g_str_equal (text, mail_address);
    }
  g_assert_true (found);
  g_resolver_free_addresses (addresses);

  /* SRV (RFC 6186 / 8314). */
  records = g_resolver_lookup_records (resolver, "_imaps._tcp.example.test",
                                       G_RESOLVER_RECORD_SRV, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (records);
  {
    guint16 priority, weight, port;
    const char *target;

    g_variant_get (records->data, "(qqq&s)", &priority, &weight, &port, &target);
    g_assert_cmpuint (port, ==, 993);
    g_assert_cmpstr (target, ==, "mail.example.test");
  }
  g_list_free_full (records, (GDestroyNotify) g_variant_unref);

  /* MX. */
  records = g_resolver_lookup_records (resolver, "example.test", G_RESOLVER_RECORD_MX, NULL,
                                       &error);
  g_assert_no_error (error);
  g_assert_nonnull (records);
  {
    guint16 preference;
    const char *exchange;

    g_variant_get (records->data, "(q&s)", &preference, &exchange);
    g_assert_cmpstr (exchange, ==, "mail.example.test");
  }
  g_list_free_full (records, (GDestroyNotify) g_variant_unref);

  /* Names the test zone does not hold fail at once instead of leaking to the world. */
  addresses = g_resolver_lookup_by_name (resolver, "nowhere.example.test", NULL, &error);
  g_assert_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND);
  g_assert_null (addresses);

  g_object_unref (resolver);
}

static GBytes *
https_get (GTlsDatabase *database,
           const char   *url,
           guint        *status,
           GError      **error)
{
  g_autoptr (SoupSession) session = soup_session_new_with_options ("tls-database", database,
                                                                  "timeout", 10, NULL);
  g_autoptr (SoupMessage) message = soup_message_new ("GET", url);
  GBytes *body;

  body = soup_session_send_and_read (session, message, NULL, error);
  *status = soup_message_get_status (message);

  return body;
}

static void
test_https (void)
{
  g_autoptr (GTlsDatabase) database = mail_test_tls_database ();
  g_autoptr (GTlsDatabase) system_only = mail_tls_database_new (NULL, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GBytes) untrusted = NULL;
  const char *url = "https://autoconfig.example.test/mail/config-v1.1.xml";
  guint status = 0;

  body = https_get (database, url, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                  "<clientConfig"));

  /* Without the test CA the same server is not trusted: verification is really on. */
  untrusted = https_get (system_only, url, &status, &error);
  g_assert_null (untrusted);
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
}

static const SecretSchema test_schema = {
  "org.example.Mail.Test", SECRET_SCHEMA_NONE,
  {
    { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

static void
test_keyring (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *bus = mail_test_harness_get ("keyring", "bus-address");
  g_autofree char *found = NULL;
  gboolean ok;

  /* libsecret talks to the harness's own gnome-keyring, never the user's. */
  g_assert_cmpstr (g_getenv ("DBUS_SESSION_BUS_ADDRESS"), ==, bus);

  ok = secret_password_store_sync (&test_schema, SECRET_COLLECTION_DEFAULT, "Mail test",
                                   "s3cret, with spaces", NULL, &error,
                                   "account", "alice@example.test", NULL);
  g_assert_no_error (error);
  g_assert_true (ok);

  found = secret_password_lookup_sync (&test_schema, NULL, &error,
                                       "account", "alice@example.test", NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, "s3cret, with spaces");

  ok = secret_password_clear_sync (&test_schema, NULL, &error,
                                   "account", "alice@example.test", NULL);
  g_assert_no_error (error);
  g_assert_true (ok);

  g_clear_pointer (&found, g_free);
  found = secret_password_lookup_sync (&test_schema, NULL, &error,
                                       "account", "alice@example.test", NULL);
  g_assert_no_error (error);
  g_assert_null (found);
}

static void
assert_bad_certificate (const char           *host_key,
                        GTlsCertificateFlags  expected)
{
  g_autofree char *host = mail_test_harness_get ("bad-certs", host_key);
  g_autoptr (GTlsDatabase) database = mail_test_tls_database ();
  g_autoptr (Conn) conn = conn_open (host, 993);
  g_autoptr (GError) error = NULL;
  GTlsCertificateFlags problems = 0;

  error = conn_start_tls (conn, host, 993, database, &problems);
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  g_assert_cmpuint (problems & expected, ==, expected);
}

static void
test_bad_certificates (void)
{
  assert_bad_certificate ("expired-host", G_TLS_CERTIFICATE_EXPIRED);
  assert_bad_certificate ("wrong-host", G_TLS_CERTIFICATE_BAD_IDENTITY);
  assert_bad_certificate ("self-signed-host", G_TLS_CERTIFICATE_UNKNOWN_CA);
}

static void
test_silent_server_times_out (void)
{
  g_autofree char *host = mail_test_harness_get ("silent", "host");
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnection) connection = NULL;
  g_autoptr (GError) error = NULL;
  char byte;
  gssize n;

  /* A host that accepts and never greets: only a timeout ends the wait. */
  g_socket_client_set_timeout (client, 1);
  connection = g_socket_client_connect_to_host (client, host, 993, NULL, &error);
  g_assert_no_error (error);
  n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)), &byte, 1,
                           NULL, &error);
  g_assert_cmpint (n, ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
}

int
main (int   argc,
      char *argv[])
{
  mail_test_harness_load ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mail/harness/imap/implicit-tls", test_imap_implicit_tls);
  g_test_add_func ("/mail/harness/imap/starttls", test_imap_starttls);
  g_test_add_func ("/mail/harness/pop3", test_pop3);
  g_test_add_func ("/mail/harness/smtp/implicit-tls", test_smtp_implicit_tls);
  g_test_add_func ("/mail/harness/smtp/starttls", test_smtp_starttls);
  g_test_add_func ("/mail/harness/dns", test_dns);
  g_test_add_func ("/mail/harness/https", test_https);
  g_test_add_func ("/mail/harness/keyring", test_keyring);
  g_test_add_func ("/mail/harness/tls/bad-certificates", test_bad_certificates);
  g_test_add_func ("/mail/harness/silent-server", test_silent_server_times_out);

  return g_test_run ();
}
