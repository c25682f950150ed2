/* test-sasl-protocols.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The shared SASL exchange (mail-sasl-exchange.c) as each protocol carries it, against
 * scripted fake servers: the exact lines a PLAIN response too long for the command line
 * takes in POP3 and SMTP, PLAIN without SASL-IR in IMAP, and an IMAP server that goes on
 * after the client cancelled. The *-hostile suites cover the rest (initial responses,
 * LOGIN, refusals and their error categories). */

#include "config.h"

#include <string.h>

#include "mail-fake-server.h"
#include "mail-imap-client.h"
#include "mail-imap-error.h"
#include "mail-pop3-client.h"
#include "mail-smtp-client.h"
#include "mail-test-certs.h"
#include "mail-test-util.h"
#include "mail-tls-database.h"

#define USER "alice@example.test"

static MailTestCerts *certs;

typedef struct
{
  GTlsDatabase   *database;
  MailFakeServer *server;
  /* A password long enough that no PLAIN response fits on a POP3 or SMTP command line,
   * and that response. */
  char           *password;
  char           *response;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *raw = NULL;
  gsize length;

  fixture->database = mail_tls_database_new (certs->ca_file, &error);
  g_assert_no_error (error);
  fixture->server = mail_fake_server_new (certs->good, TRUE);

  fixture->password = g_strnfill (400, 'p');
  raw = g_strconcat ("#", USER, "#", fixture->password, NULL);
  length = strlen (raw);
  raw[0] = '\0';
  raw[strlen (USER) + 1] = '\0';
  fixture->response = g_base64_encode ((const guchar *) raw, length);
  g_assert_cmpuint (strlen (fixture->response), >, 512);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_pointer (&fixture->server, mail_fake_server_free);
  mail_test_wait_for_last_ref (fixture->database);
  g_assert_finalize_object (g_steal_pointer (&fixture->database));
  g_free (fixture->password);
  g_free (fixture->response);
}

static void
set_timeouts (MailConnection *connection)
{
  mail_connection_set_timeout (connection, MAIL_CONNECTION_PHASE_GREETING, 5);
  mail_connection_set_timeout (connection, MAIL_CONNECTION_PHASE_COMMAND, 5);
}

static void
assert_log_clean (MailConnection *connection,
                  Fixture        *fixture)
{
  g_autofree char *log = mail_protocol_log_to_string (mail_connection_get_log (connection));

  g_assert_null (strstr (log, fixture->password));
  g_assert_null (strstr (log, fixture->response));
}

static void
assert_transcript (MailFakeServer *server,
                   const char     *expected)
{
  g_autofree char *transcript = mail_fake_server_dup_transcript (server);
  g_autofree char *failure = mail_fake_server_dup_failure (server);

  g_assert_null (failure);
  g_assert_cmpstr (transcript, ==, expected);
}

/* RFC 5034 §4: the response goes on its own line after an empty challenge. */
static void
test_pop3_plain_long (Fixture       *fixture,
                      gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  g_autoptr (GError) error = NULL;
  g_autofree char *expected = NULL;
  MailPop3Client *client;
  MailConnection *connection;

  mail_fake_server_send (server, "+OK ready\r\n");
  mail_fake_server_expect (server, "CAPA");
  mail_fake_server_send (server, "+OK\r\nUIDL\r\nSASL PLAIN\r\n.\r\n");
  mail_fake_server_expect (server, "AUTH PLAIN");
  mail_fake_server_send (server, "+ \r\n");
  mail_fake_server_expect (server, fixture->response);
  mail_fake_server_send (server, "+OK signed in\r\n");
  mail_fake_server_expect (server, "CAPA");
  mail_fake_server_send (server, "+OK\r\nUIDL\r\n.\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = mail_pop3_client_new ("127.0.0.1", mail_fake_server_get_port (server),
                                 MAIL_SECURITY_TLS, fixture->database);
  connection = mail_pop3_client_get_connection (client);
  set_timeouts (connection);
  g_assert_true (mail_pop3_client_connect_sync (client, NULL, &error));
  g_assert_true (mail_pop3_client_login_sync (client, USER, fixture->password, NULL, &error));
  g_assert_no_error (error);
  assert_log_clean (connection, fixture);

  mail_pop3_client_disconnect (client);
  mail_test_assert_finalize_client (client, connection);
  mail_fake_server_assert_finished (server, 1);
  expected = g_strconcat ("CAPA\nAUTH PLAIN\n", fixture->response, "\nCAPA\n", NULL);
  assert_transcript (server, expected);
}

/* RFC 4954 §4: likewise after an empty 334. */
static void
test_smtp_plain_long (Fixture       *fixture,
                      gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  g_autoptr (GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *transcript = NULL;
  MailSmtpClient *client;
  MailConnection *connection;

  mail_fake_server_send (server, "220 fake ESMTP\r\n");
  mail_fake_server_expect (server, "EHLO *");
  mail_fake_server_send (server, "250-fake\r\n250 AUTH PLAIN\r\n");
  mail_fake_server_expect (server, "AUTH PLAIN");
  mail_fake_server_send (server, "334 \r\n");
  mail_fake_server_expect (server, fixture->response);
  mail_fake_server_send (server, "235 2.7.0 Authentication successful\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = mail_smtp_client_new ("127.0.0.1", mail_fake_server_get_port (server),
                                 MAIL_SECURITY_TLS, fixture->database);
  connection = mail_smtp_client_get_connection (client);
  set_timeouts (connection);
  g_assert_true (mail_smtp_client_connect_sync (client, NULL, &error));
  g_assert_true (mail_smtp_client_login_sync (client, USER, fixture->password, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (mail_smtp_client_get_state (client), ==, MAIL_SMTP_STATE_AUTHENTICATED);
  assert_log_clean (connection, fixture);

  mail_smtp_client_disconnect (client);
  mail_test_assert_finalize_client (client, connection);
  mail_fake_server_assert_finished (server, 1);
  /* After "EHLO <the local host name>". */
  transcript = mail_fake_server_dup_transcript (server);
  expected = g_strconcat ("\nAUTH PLAIN\n", fixture->response, "\n", NULL);
  g_assert_true (g_str_has_prefix (transcript, "EHLO "));
  g_assert_true (g_str_has_suffix (transcript, expected));
}

static MailImapClient *
imap_client (Fixture         *fixture,
             MailConnection **connection)
{
  MailImapClient *client = mail_imap_client_new ("localhost",
                                                 mail_fake_server_get_port (fixture->server),
                                                 MAIL_SECURITY_TLS, fixture->database);

  *connection = mail_imap_client_get_connection (client);
  set_timeouts (*connection);

  return client;
}

/* Without SASL-IR the response answers the empty continuation request. */
static void
test_imap_plain_no_sasl_ir (Fixture       *fixture,
                            gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  g_autoptr (GError) error = NULL;
  g_autofree char *expected = NULL;
  MailImapClient *client;
  MailConnection *connection;

  mail_fake_server_send (server, "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hi\r\n");
  mail_fake_server_expect (server, "a1 AUTHENTICATE PLAIN");
  mail_fake_server_send (server, "+ \r\n");
  mail_fake_server_expect (server, fixture->response);
  mail_fake_server_send (server, "a1 OK [CAPABILITY IMAP4rev1 IDLE] welcome\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = imap_client (fixture, &connection);
  g_assert_true (mail_imap_client_connect_sync (client, NULL, &error));
  g_assert_true (mail_imap_client_login_sync (client, USER, fixture->password, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (mail_imap_client_get_state (client), ==, MAIL_IMAP_CLIENT_AUTHENTICATED);
  assert_log_clean (connection, fixture);

  mail_imap_client_close (client);
  mail_test_assert_finalize_client (client, connection);
  mail_fake_server_assert_finished (server, 1);
  expected = g_strconcat ("a1 AUTHENTICATE PLAIN\n", fixture->response, "\n", NULL);
  assert_transcript (server, expected);
}

/* After the client's "*", only a refusal ends the exchange: another continuation request,
 * or an OK, is a protocol error that closes the connection. */
static void
test_imap_after_cancel (Fixture       *fixture,
                        gconstpointer  user_data)
{
  static const char * const after[] = { "+ again\r\n", "a1 OK fine, come in\r\n" };

  for (guint i = 0; i < G_N_ELEMENTS (after); i++)
    {
      g_autoptr (GError) error = NULL;
      MailImapClient *client;
      MailConnection *connection;
      MailFakeServer *server;

      if (i > 0)
        {
          g_clear_pointer (&fixture->server, mail_fake_server_free);
          fixture->server = mail_fake_server_new (certs->good, TRUE);
        }
      server = fixture->server;

      mail_fake_server_send (server, "* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] hi\r\n");
      mail_fake_server_expect (server, "a1 AUTHENTICATE PLAIN *");
      mail_fake_server_send (server, "+ bW9yZT8=\r\n");
      mail_fake_server_expect (server, "*");
      mail_fake_server_send (server, after[i]);
      mail_fake_server_wait_close (server);
      mail_fake_server_start (server);

      client = imap_client (fixture, &connection);
      g_assert_true (mail_imap_client_connect_sync (client, NULL, &error));
      g_assert_false (mail_imap_client_login_sync (client, USER, "pw", NULL, &error));
      g_test_message ("after \"*\": %s", after[i]);
      g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PROTOCOL);
      g_assert_false (mail_connection_is_connected (connection));
      g_assert_cmpint (mail_imap_client_get_state (client), !=,
                       MAIL_IMAP_CLIENT_AUTHENTICATED);

      mail_test_assert_finalize_client (client, connection);
      mail_fake_server_assert_finished (server, 1);
      assert_transcript (server, "a1 AUTHENTICATE PLAIN AGFsaWNlQGV4YW1wbGUudGVzdABwdw==\n*\n");
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  int status;

  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
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

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/mail/sasl/pop3/plain-long", test_pop3_plain_long);
  ADD ("/mail/sasl/smtp/plain-long", test_smtp_plain_long);
  ADD ("/mail/sasl/imap/plain-no-sasl-ir", test_imap_plain_no_sasl_ir);
  ADD ("/mail/sasl/imap/after-cancel", test_imap_after_cancel);

#undef ADD

  status = g_test_run ();

  g_clear_pointer (&certs, mail_test_certs_free);

  return status;
}
