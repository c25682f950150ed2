/* test-smtp-hostile.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* MailSmtpClient against scripted fake servers, for what Postfix will not do: STARTTLS
 * missing, refused or followed by injected bytes, capabilities that change across TLS,
 * servers that drop, stall, babble or lie about SIZE, partial and total refusals, HELO
 * only, and injection attempts through addresses and headers. In every failure case the
 * transcript shows that the password never left, and that nothing was sent that should
 * not have been. */

#include "config.h"

#include <string.h>

#include "mail-fake-server.h"
#include "mail-net-error.h"
#include "mail-smtp-client.h"
#include "mail-test-certs.h"
#include "mail-test-util.h"
#include "mail-tls-database.h"

#define USER     "alice@example.test"
#define PASSWORD "Sm7p-pa55word-never-sent"

#define EHLO_FULL "250-fake.example.test\r\n250-PIPELINING\r\n250-SIZE 10000000\r\n" \
                  "250-AUTH PLAIN LOGIN\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n" \
                  "250 SMTPUTF8\r\n"

static MailTestCerts *certs;

/* The client's protocol log (passwords removed), as text. */
static char *
log_text (MailSmtpClient *client)
{
  MailConnection *connection = mail_smtp_client_get_connection (client);

  return mail_protocol_log_to_string (mail_connection_get_log (connection));
}

/* The fake server a test starts with, given as g_test_add()'s test data. */
typedef enum
{
  SERVER_TLS,          /* certificate of the test CA, implicit TLS */
  SERVER_STARTTLS,     /* certificate of the test CA, TLS after STARTTLS */
  SERVER_PLAINTEXT,    /* no certificate at all */
  SERVER_SELF_SIGNED,  /* a self-signed certificate, implicit TLS */
  SERVER_NONE,         /* no server: the test only looks at a client */
} ServerKind;

/* What every test has: a fake server of its kind, the trust store of a user who added the
 * test CA, and the client, which fixture_client() makes and the fixture alone holds. */
typedef struct
{
  ServerKind      kind;
  GTlsDatabase   *database;
  MailFakeServer *server;
  MailSmtpClient *client;
} Fixture;

static MailFakeServer *
new_server (ServerKind kind)
{
  switch (kind)
    {
    case SERVER_TLS:
      return mail_fake_server_new (certs->good, TRUE);
    case SERVER_STARTTLS:
      return mail_fake_server_new (certs->good, FALSE);
    case SERVER_PLAINTEXT:
      return mail_fake_server_new (NULL, FALSE);
    case SERVER_SELF_SIGNED:
      return mail_fake_server_new (certs->self_signed, TRUE);
    case SERVER_NONE:
      return NULL;
    default:
      g_assert_not_reached ();
    }
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr (GError) error = NULL;

  fixture->kind = GPOINTER_TO_UINT (user_data);
  fixture->database = mail_tls_database_new (certs->ca_file, &error);
  g_assert_no_error (error);
  fixture->server = new_server (fixture->kind);
}

/* Ends the client, if the test made one, then the server (which may be waiting for the
 * client to close). Dropping the fixture's reference must finalize the client and its
 * connection: a reference leaked by the test or by the client fails here. */
static void
fixture_end_case (Fixture *fixture)
{
  if (fixture->client != NULL)
    {
      MailConnection *connection = mail_smtp_client_get_connection (fixture->client);

      mail_test_assert_finalize_client (g_steal_pointer (&fixture->client), connection);
    }
  g_clear_pointer (&fixture->server, mail_fake_server_free);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  fixture_end_case (fixture);

  /* With every connection gone, nothing holds the trust store any more. */
  mail_test_wait_for_last_ref (fixture->database);
  g_assert_finalize_object (g_steal_pointer (&fixture->database));
}

/* The server for case @i of a test that runs cases one after another: case 0 has the
 * fixture's; each later case ends the one before as the teardown would, so that each
 * case's client is checked, and gets a new server of the same kind. */
static MailFakeServer *
fixture_case (Fixture *fixture,
              guint    i)
{
  if (i > 0)
    {
      fixture_end_case (fixture);
      fixture->server = new_server (fixture->kind);
    }

  return fixture->server;
}

/* A client for the fixture's server, kept in the fixture. */
static MailSmtpClient *
fixture_client (Fixture      *fixture,
                MailSecurity  security)
{
  MailSmtpClient *client;

  g_assert_null (fixture->client);
  client = mail_smtp_client_new ("127.0.0.1", mail_fake_server_get_port (fixture->server),
                                 security, fixture->database);
  mail_connection_set_timeout (mail_smtp_client_get_connection (client),
                               MAIL_CONNECTION_PHASE_GREETING, 5);
  mail_connection_set_timeout (mail_smtp_client_get_connection (client),
                               MAIL_CONNECTION_PHASE_COMMAND, 5);
  fixture->client = client;

  return client;
}

static void
assert_no_password (MailFakeServer *server,
                    MailSmtpClient *client)
{
  g_autofree char *transcript = mail_fake_server_dup_transcript (server);
  g_autofree char *log = log_text (client);

  mail_fake_server_assert_no_credentials (server, USER, PASSWORD);
  g_assert_null (strstr (transcript, "AUTH"));
  g_assert_null (strstr (log, PASSWORD));
  g_assert_cmpuint (mail_fake_server_get_waited_bytes (server), ==, 0);
}

static void
assert_nothing_sent (MailFakeServer *server)
{
  g_autofree char *transcript = mail_fake_server_dup_transcript (server);

  g_assert_null (strstr (transcript, "MAIL FROM"));
  g_assert_null (strstr (transcript, "RCPT TO"));
  g_assert_null (strstr (transcript, "DATA"));
}

/* Greeting, EHLO and AUTH PLAIN. */
static void
script_signed_in (MailFakeServer *server,
                  const char     *ehlo)
{
  mail_fake_server_send (server, "220 fake.example.test ESMTP\r\n");
  mail_fake_server_expect (server, "EHLO *");
  mail_fake_server_send (server, ehlo);
  mail_fake_server_expect (server, "AUTH PLAIN *");
  mail_fake_server_send (server, "235 2.7.0 Authentication successful\r\n");
}

static MailSmtpClient *
fixture_signed_in (Fixture *fixture)
{
  MailSmtpClient *client = fixture_client (fixture, MAIL_SECURITY_TLS);
  g_autoptr (GError) error = NULL;

  g_assert_true (mail_smtp_client_connect_sync (client, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mail_smtp_client_login_sync (client, USER, PASSWORD, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (mail_smtp_client_get_state (client), ==, MAIL_SMTP_STATE_AUTHENTICATED);

  return client;
}

/* Expects exactly the lines @message must arrive as, final "." included. */
static void
expect_data (MailFakeServer *server,
             GBytes         *message)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) wire = mail_smtp_data_encode (g_bytes_get_data (message, NULL),
                                                   g_bytes_get_size (message), NULL, &error);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;

  g_assert_no_error (error);
  text = g_strndup (g_bytes_get_data (wire, NULL), g_bytes_get_size (wire));
  lines = g_strsplit (text, "\r\n", -1);

  /* The text ends in CRLF: the last piece is empty. */
  for (guint i = 0; lines[i] != NULL && lines[i + 1] != NULL; i++)
    mail_fake_server_expect (server, lines[i]);
}

static GBytes *
bytes_from (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

static GBytes *
mime_to_bytes (GMimeObject *object,
               gboolean     seven_bit)
{
  GMimeFormatOptions *options = g_mime_format_options_new ();
  GMimeMessage *copy = NULL;
  char *text;
  GBytes *bytes;

  g_mime_format_options_add_hidden_header (options, "Bcc");
  g_mime_format_options_add_hidden_header (options, "Resent-Bcc");
  g_mime_format_options_set_newline_format (options, GMIME_NEWLINE_FORMAT_DOS);

  text = g_mime_object_to_string (object, options);
  if (seven_bit)
    {
      GMimeStream *stream = g_mime_stream_mem_new_with_buffer (text, strlen (text));
      GMimeParser *parser = g_mime_parser_new_with_stream (stream);

      copy = g_mime_parser_construct_message (parser, NULL);
      g_mime_object_encode (GMIME_OBJECT (copy), GMIME_ENCODING_CONSTRAINT_7BIT);
      g_free (text);
      text = g_mime_object_to_string (GMIME_OBJECT (copy), options);
      g_object_unref (copy);
      g_object_unref (parser);
      g_object_unref (stream);
    }

  bytes = g_bytes_new_take (text, strlen (text));
  g_mime_format_options_free (options);

  return bytes;
}

static GMimeMessage *
new_message (const char *body_text)
{
  GMimeMessage *message = g_mime_message_new (TRUE);
  GMimeTextPart *body = g_mime_text_part_new_with_subtype ("plain");

  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_FROM, "Alice", "alice@example.test");
  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_TO, "Bob", "bob@example.test");
  g_mime_message_set_subject (message, "Hello", NULL);
  g_mime_text_part_set_text (body, body_text);
  g_mime_message_set_mime_part (message, GMIME_OBJECT (body));
  g_object_unref (body);

  return message;
}

/* ---------------------------------------------------------------------------------- */

static void
test_session_partial (Fixture       *fixture,
                      gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailSmtpClient *client;
  g_autoptr (GError) error = NULL;
  g_autoptr (MailSmtpResult) result = NULL;
  g_autoptr (GBytes) message = bytes_from ("Subject: test\r\n\r\n.hidden\r\n.\r\nend\n");
  g_autofree char *text = NULL;
  g_autofree char *description = NULL;
  g_autofree char *log = NULL;
  g_auto (GStrv) capabilities = NULL;
  g_auto (GStrv) mechanisms = NULL;
  const char *recipients[] = { "bob@example.test", "nobody@example.test", NULL };

  script_signed_in (server, EHLO_FULL);
  /* All three before any reply: only a pipelining client gets past this. */
  mail_fake_server_expect (server, "MAIL FROM:<alice@example.test> SIZE=34");
  mail_fake_server_expect (server, "RCPT TO:<bob@example.test>");
  mail_fake_server_expect (server, "RCPT TO:<nobody@example.test>");
  mail_fake_server_send (server, "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n"
                                 "550 5.1.1 <nobody@example.test>: Recipient address rejected: "
                                 "User unknown\r\n");
  mail_fake_server_expect (server, "DATA");
  mail_fake_server_send (server, "354 End data with <CR><LF>.<CR><LF>\r\n");
  expect_data (server, message);
  mail_fake_server_send (server, "250 2.0.0 Ok: queued as 4XyZ\r\n");
  mail_fake_server_expect (server, "QUIT");
  mail_fake_server_send (server, "221 2.0.0 Bye\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_signed_in (fixture);

  capabilities = mail_smtp_client_dup_capabilities (client);
  g_assert_true (g_strv_contains ((const char * const *) capabilities, "SIZE 10000000"));
  mechanisms = mail_smtp_client_dup_auth_mechanisms (client);
  g_assert_cmpstr (mechanisms[0], ==, "PLAIN");
  g_assert_cmpuint (mail_smtp_client_get_max_size (client), ==, 10000000);
  g_assert_true (mail_smtp_client_has_extension (client, MAIL_SMTP_EXTENSION_PIPELINING));
  g_assert_false (mail_smtp_client_has_extension (client, MAIL_SMTP_EXTENSION_STARTTLS));
  g_assert_nonnull (mail_connection_get_peer_certificate_info (
                      mail_smtp_client_get_connection (client)));

  g_assert_true (mail_smtp_client_send_sync (client, "alice@example.test", recipients, message,
                                             &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpint (mail_smtp_result_get_outcome (result), ==, MAIL_SMTP_OUTCOME_PARTIAL);
  g_assert_true (mail_smtp_result_get_accepted (result));
  g_assert_cmpuint (mail_smtp_result_get_n_recipients (result), ==, 2);
  g_assert_cmpuint (mail_smtp_result_get_n_accepted (result), ==, 1);
  g_assert_cmpuint (mail_smtp_result_get_n_rejected (result), ==, 1);

  g_assert_cmpstr (mail_smtp_result_get_recipient (result, 0), ==, "bob@example.test");
  g_assert_true (mail_smtp_result_get_recipient_accepted (result, 0));
  g_assert_cmpuint (mail_smtp_result_get_recipient_code (result, 0), ==, 250);
  g_assert_cmpstr (mail_smtp_result_get_recipient_enhanced_code (result, 0), ==, "2.1.5");

  g_assert_false (mail_smtp_result_get_recipient_accepted (result, 1));
  g_assert_cmpuint (mail_smtp_result_get_recipient_code (result, 1), ==, 550);
  g_assert_cmpstr (mail_smtp_result_get_recipient_enhanced_code (result, 1), ==, "5.1.1");
  text = mail_smtp_result_dup_recipient_text (result, 1);
  g_assert_nonnull (strstr (text, "User unknown"));

  g_assert_cmpuint (mail_smtp_reply_get_code (mail_smtp_result_get_data_reply (result)), ==, 250);
  g_assert_cmpuint (mail_smtp_reply_get_code (mail_smtp_result_get_sender_reply (result)), ==,
                    250);
  description = mail_smtp_result_describe (result);
  g_assert_nonnull (strstr (description, "some recipients"));
  g_assert_nonnull (strstr (description, "nobody@example.test"));

  g_assert_true (mail_smtp_client_quit_sync (client, NULL, &error));
  g_assert_no_error (error);
  mail_fake_server_assert_finished (server, 1);

  log = log_text (client);
  g_assert_nonnull (strstr (log, "C: AUTH PLAIN ******"));
  g_assert_null (strstr (log, ".hidden"));
}

static void
test_all_refused (Fixture       *fixture,
                  gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailSmtpClient *client;
  g_autoptr (GError) error = NULL;
  g_autoptr (MailSmtpResult) result = NULL;
  g_autoptr (GBytes) message = bytes_from ("Subject: x\r\n\r\nx\r\n");
  const char *recipients[] = { "a@example.test", "b@example.test", NULL };
  MailSmtpReply *reply;

  script_signed_in (server, EHLO_FULL);
  mail_fake_server_expect (server, "MAIL FROM:<alice@example.test> SIZE=*");
  mail_fake_server_expect (server, "RCPT TO:<a@example.test>");
  mail_fake_server_expect (server, "RCPT TO:<b@example.test>");
  mail_fake_server_send (server, "250 2.1.0 Ok\r\n550 5.1.1 unknown a\r\n"
                                 "450 4.2.0 greylisted b\r\n");
  mail_fake_server_expect (server, "RSET");
  mail_fake_server_send (server, "250 2.0.0 Ok\r\n");
  mail_fake_server_expect (server, "NOOP");
  mail_fake_server_send (server, "250 2.0.0 Ok\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_signed_in (fixture);
  g_assert_false (mail_smtp_client_send_sync (client, "alice@example.test", recipients, message,
                                              &result, NULL, &error));
  /* One of the refusals is temporary: trying later may work. */
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_TRANSIENT);
  g_assert_nonnull (strstr (error->message, "a@example.test"));
  g_assert_nonnull (strstr (error->message, "4.2.0"));
  reply = mail_smtp_error_get_reply (error);
  g_assert_nonnull (reply);

  g_assert_nonnull (result);
  g_assert_cmpint (mail_smtp_result_get_outcome (result), ==, MAIL_SMTP_OUTCOME_NOT_SENT);
  g_assert_cmpuint (mail_smtp_result_get_n_rejected (result), ==, 2);
  g_assert_cmpuint (mail_smtp_result_get_n_accepted (result), ==, 0);
  g_assert_cmpuint (mail_smtp_result_get_recipient_code (result, 1), ==, 450);
  g_assert_null (mail_smtp_result_get_data_reply (result));
  g_clear_error (&error);

  /* The session is still usable. */
  g_assert_true (mail_smtp_client_noop_sync (client, NULL, &error));
  g_assert_no_error (error);

  mail_smtp_client_disconnect (client);
  mail_fake_server_assert_finished (server, 1);
  {
    g_autofree char *transcript = mail_fake_server_dup_transcript (server);

    g_assert_null (strstr (transcript, "DATA"));
  }
}

static void
test_sender_refused (Fixture       *fixture,
                     gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailSmtpClient *client;
  g_autoptr (GError) error = NULL;
  g_autoptr (MailSmtpResult) result = NULL;
  g_autoptr (GBytes) message = bytes_from ("Subject: x\r\n\r\nx\r\n");
  const char *recipients[] = { "bob@example.test", NULL };

  script_signed_in (server, EHLO_FULL);
  mail_fake_server_expect (server, "MAIL FROM:<mallory@example.test> SIZE=*");
  mail_fake_server_expect (server, "RCPT TO:<bob@example.test>");
  mail_fake_server_send (server, "553 5.7.1 <mallory@example.test>: Sender address rejected: "
                                 "not owned by user alice\r\n"
                                 "503 5.5.1 Error: need MAIL command\r\n");
  mail_fake_server_expect (server, "RSET");
  mail_fake_server_send (server, "250 2.0.0 Ok\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_signed_in (fixture);
  g_assert_false (mail_smtp_client_send_sync (client, "mallory@example.test", recipients,
                                              message, &result, NULL, &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_PERMANENT);
  g_assert_cmpstr (mail_smtp_reply_get_enhanced_code (mail_smtp_error_get_reply (error)), ==,
                   "5.7.1");
  g_assert_cmpint (mail_smtp_result_get_outcome (result), ==, MAIL_SMTP_OUTCOME_NOT_SENT);
  g_assert_cmpuint (mail_smtp_reply_get_code (mail_smtp_result_get_sender_reply (result)), ==,
                    553);
  g_assert_cmpuint (mail_smtp_result_get_recipient_code (result, 0), ==, 503);

  mail_smtp_client_disconnect (client);
  mail_fake_server_assert_finished (server, 1);
}

static void
test_starttls_not_offered (Fixture       *fixture,
                           gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailSmtpClient *client;
  g_autoptr (GError) error = NULL;

  mail_fake_server_send (server, "220 fake ESMTP\r\n");
  mail_fake_server_expect (server, "EHLO *");
  mail_fake_server_send (server, "250-fake\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_client (fixture, MAIL_SECURITY_STARTTLS);
  g_assert_false (mail_smtp_client_connect_sync (client, NULL, &error));
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_STARTTLS_NOT_OFFERED);
  g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_STARTTLS_UNAVAILABLE);
  g_assert_cmpint (mail_smtp_client_get_state (client), ==, MAIL_SMTP_STATE_DISCONNECTED);
  g_clear_error (&error);

  g_assert_false (mail_smtp_client_login_sync (client, USER, PASSWORD, NULL, &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_STATE);

  mail_fake_server_assert_finished (server, 1);
  assert_no_password (server, client);
}

static void
test_starttls_refused (Fixture       *fixture,
                       gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailSmtpClient *client;
  g_autoptr (GError) error = NULL;

  mail_fake_server_send (server, "220 fake ESMTP\r\n");
  mail_fake_server_expect (server, "EHLO *");
  mail_fake_server_send (server, "250-fake\r\n250-STARTTLS\r\n250 AUTH PLAIN\r\n");
  mail_fake_server_expect (server, "STARTTLS");
  mail_fake_server_send (server, "454 4.7.0 TLS not available due to local problem\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_client (fixture, MAIL_SECURITY_STARTTLS);
  g_assert_false (mail_smtp_client_connect_sync (client, NULL, &error));
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_STARTTLS_REFUSED);
  g_assert_cmpint (mail_smtp_client_get_state (client), ==, MAIL_SMTP_STATE_DISCONNECTED);

  mail_fake_server_assert_finished (server, 1);
  assert_no_password (server, client);
}

static void
test_starttls_injection (Fixture       *fixture,
                         gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailSmtpClient *client;
  g_autoptr (GError) error = NULL;

  mail_fake_server_send (server, "220 fake ESMTP\r\n");
  mail_fake_server_expect (server, "EHLO *");
  mail_fake_server_send (server, "250-fake\r\n250 STARTTLS\r\n");
  mail_fake_server_expect (server, "STARTTLS");
  /* EAST's SMTP B_1: a forged EHLO answer in the segment of the go-ahead. */
  mail_fake_server_send (server, "220 2.0.0 Ready to start TLS\r\n250-evil\r\n250 AUTH PLAIN\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_client (fixture, MAIL_SECURITY_STARTTLS);
  g_assert_false (mail_smtp_client_connect_sync (client, NULL, &error));
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_STARTTLS_INJECTION);
  g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_STARTTLS_UNAVAILABLE);

  mail_fake_server_assert_finished (server, 1);
  assert_no_password (server, client);
}

/* Whatever follows the go-ahead, even what the line reader would refuse on its own (a
 * line without its end, a line far over the limit), is injected and fails the upgrade. */
static void
test_starttls_injection_unfinished (Fixture       *fixture,
                                    gconstpointer  user_data)
{
  static const char partial[] = "220 go ahead\r\n250-evil";
  gsize huge_length = 2 * 1024 * 1024;
  char *huge = g_malloc (huge_length + 14);
  GBytes *tails[2];

  memcpy (huge, "220 go ahead\r\n", 14);
  memset (huge + 14, 'A', huge_length);
  tails[0] = g_bytes_new_static (partial, strlen (partial));
  tails[1] = g_bytes_new_take (huge, huge_length + 14);

  for (guint i = 0; i < G_N_ELEMENTS (tails); i++)
    {
      MailFakeServer *server = fixture_case (fixture, i);
      MailSmtpClient *client;
      g_autoptr (GError) error = NULL;

      mail_fake_server_send (server, "220 fake ESMTP\r\n");
      mail_fake_server_expect (server, "EHLO *");
      mail_fake_server_send (server, "250-fake\r\n250 STARTTLS\r\n");
      mail_fake_server_expect (server, "STARTTLS");
      mail_fake_server_send_bytes (server, tails[i]);
      mail_fake_server_wait_close (server);
      mail_fake_server_start (server);

      client = fixture_client (fixture, MAIL_SECURITY_STARTTLS);
      g_assert_false (mail_smtp_client_connect_sync (client, NULL, &error));
      g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_STARTTLS_INJECTION);
      g_assert_false (mail_connection_is_connected (mail_smtp_client_get_connection (client)));
      g_assert_cmpint (mail_smtp_client_get_state (client), ==, MAIL_SMTP_STATE_DISCONNECTED);

      /* The server may fail to write all of a huge tail to a closed connection. */
      g_assert_true (mail_fake_server_wait_finished (server, 1, 10000));
      g_assert_cmpuint (mail_fake_server_get_waited_bytes (server), ==, 0);
      g_bytes_unref (tails[i]);
    }
}

static void
test_starttls_capabilities (Fixture       *fixture,
                            gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailSmtpClient *client;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) capabilities = NULL;
  g_auto (GStrv) mechanisms = NULL;
  g_autofree char *user = g_base64_encode ((const guchar *) USER, strlen (USER));
  g_autofree char *password = g_base64_encode ((const guchar *) PASSWORD, strlen (PASSWORD));
  g_autofree char *log = NULL;

  mail_fake_server_send (server, "220 fake ESMTP\r\n");
  mail_fake_server_expect (server, "EHLO *");
  /* Before TLS: a tiny SIZE and PLAIN, which must be forgotten. */
  mail_fake_server_send (server, "250-fake\r\n250-STARTTLS\r\n250-SIZE 10\r\n250 AUTH PLAIN\r\n");
  mail_fake_server_expect (server, "STARTTLS");
  mail_fake_server_send (server, "220 2.0.0 Ready\r\n");
  mail_fake_server_starttls (server);
  mail_fake_server_expect (server, "EHLO *");
  mail_fake_server_send (server, "250-fake\r\n250-SIZE 100000\r\n250 AUTH LOGIN\r\n");
  mail_fake_server_expect (server, "AUTH LOGIN");
  mail_fake_server_send (server, "334 VXNlcm5hbWU6\r\n");
  mail_fake_server_expect (server, user);
  mail_fake_server_send (server, "334 UGFzc3dvcmQ6\r\n");
  mail_fake_server_expect (server, password);
  mail_fake_server_send (server, "235 2.7.0 Ok\r\n");
  mail_fake_server_expect (server, "QUIT");
  mail_fake_server_send (server, "221 Bye\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_client (fixture, MAIL_SECURITY_STARTTLS);
  g_assert_true (mail_smtp_client_connect_sync (client, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mail_connection_is_encrypted (mail_smtp_client_get_connection (client)));

  g_assert_cmpuint (mail_smtp_client_get_max_size (client), ==, 100000);
  g_assert_false (mail_smtp_client_has_extension (client, MAIL_SMTP_EXTENSION_STARTTLS));
  capabilities = mail_smtp_client_dup_capabilities (client);
  g_assert_false (g_strv_contains ((const char * const *) capabilities, "SIZE 10"));
  mechanisms = mail_smtp_client_dup_auth_mechanisms (client);
  g_assert_cmpuint (g_strv_length (mechanisms), ==, 1);
  g_assert_cmpstr (mechanisms[0], ==, "LOGIN");

  g_assert_true (mail_smtp_client_login_sync (client, USER, PASSWORD, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mail_smtp_client_quit_sync (client, NULL, &error));
  mail_fake_server_assert_finished (server, 1);

  log = log_text (client);
  g_assert_null (strstr (log, password));
  g_assert_null (strstr (log, PASSWORD));
}

static void
test_plaintext_refused (Fixture       *fixture,
                        gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailSmtpClient *client;
  g_autoptr (GError) error = NULL;

  mail_fake_server_send (server, "220 fake ESMTP\r\n");
  mail_fake_server_expect (server, "EHLO *");
  mail_fake_server_send (server, "250-fake\r\n250 AUTH PLAIN LOGIN\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_client (fixture, MAIL_SECURITY_NONE);
  g_assert_true (mail_smtp_client_connect_sync (client, NULL, &error));
  g_assert_false (mail_smtp_client_login_sync (client, USER, PASSWORD, NULL, &error));
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_PLAINTEXT_REFUSED);
  g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_TLS_REQUIRED);

  mail_smtp_client_disconnect (client);
  mail_fake_server_assert_finished (server, 1);
  assert_no_password (server, client);
}

static void
test_helo_fallback_and_7bit (Fixture       *fixture,
                             gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailSmtpClient *client;
  g_autoptr (GError) error = NULL;
  g_autoptr (MailSmtpResult) result = NULL;
  g_autoptr (GBytes) raw = bytes_from ("Subject: x\r\n\r\nGr\xc3\xbc\xc3\x9f" "e\r\n");
  g_autoptr (GBytes) seven_bit = NULL;
  g_autofree char *transcript = NULL;
  GMimeMessage *message = new_message ("Gr\xc3\xbc\xc3\x9f" "e aus K\xc3\xb6ln\n");
  const char *recipients[] = { "bob@example.test", NULL };

  g_mime_part_set_content_encoding (GMIME_PART (g_mime_message_get_mime_part (message)),
                                    GMIME_CONTENT_ENCODING_8BIT);
  seven_bit = mime_to_bytes (GMIME_OBJECT (message), TRUE);

  mail_fake_server_send (server, "220 old.example.test SMTP\r\n");
  mail_fake_server_expect (server, "EHLO *");
  mail_fake_server_send (server, "502 5.5.2 Error: command not recognized\r\n");
  mail_fake_server_expect (server, "HELO *");
  mail_fake_server_send (server, "250 old.example.test\r\n");
  /* No PIPELINING, no SIZE, no 8BITMIME: one command at a time, no parameters. */
  mail_fake_server_expect (server, "MAIL FROM:<alice@example.test>");
  mail_fake_server_send (server, "250 Ok\r\n");
  mail_fake_server_expect (server, "RCPT TO:<bob@example.test>");
  mail_fake_server_send (server, "250 Ok\r\n");
  mail_fake_server_expect (server, "DATA");
  mail_fake_server_send (server, "354 go\r\n");
  expect_data (server, seven_bit);
  mail_fake_server_send (server, "250 Ok\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_client (fixture, MAIL_SECURITY_TLS);
  g_assert_true (mail_smtp_client_connect_sync (client, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (mail_smtp_client_get_extensions (client), ==, MAIL_SMTP_EXTENSION_NONE);

  /* Raw 8-bit bytes cannot go to this server... */
  g_assert_false (mail_smtp_client_send_sync (client, "alice@example.test", recipients, raw,
                                              &result, NULL, &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_8BIT_UNSUPPORTED);
  g_assert_null (result);
  g_clear_error (&error);

  /* ...a GMime message is re-encoded to 7 bit (and left unchanged itself). */
  g_assert_true (mail_smtp_client_send_message_sync (client, message, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (mail_smtp_result_get_outcome (result), ==, MAIL_SMTP_OUTCOME_SENT);
  g_assert_cmpint (g_mime_part_get_content_encoding (
                     GMIME_PART (g_mime_message_get_mime_part (message))),
                   ==, GMIME_CONTENT_ENCODING_8BIT);

  mail_smtp_client_disconnect (client);
  mail_fake_server_assert_finished (server, 1);

  transcript = mail_fake_server_dup_transcript (server);
  for (const char *p = transcript; *p != '\0'; p++)
    g_assert_cmpint ((guchar) *p, <, 0x80);
  g_assert_true (strstr (transcript, "Content-Transfer-Encoding: quoted-printable") != NULL
                 || strstr (transcript, "Content-Transfer-Encoding: base64") != NULL);

  g_object_unref (message);
}

static void
test_size_refused_locally (Fixture       *fixture,
                           gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailSmtpClient *client;
  g_autoptr (GError) error = NULL;
  g_autoptr (MailSmtpResult) result = NULL;
  g_autoptr (GString) text = g_string_new ("Subject: big\r\n\r\n");
  g_autoptr (GBytes) message = NULL;
  const char *recipients[] = { "bob@example.test", NULL };

  while (text->len < 5000)
    g_string_append (text, "0123456789012345678901234567890123456789\r\n");
  message = g_bytes_new (text->str, text->len);

  script_signed_in (server, "250-fake\r\n250-PIPELINING\r\n250-SIZE 1000\r\n"
                            "250 AUTH PLAIN\r\n");
  mail_fake_server_expect (server, "NOOP");
  mail_fake_server_send (server, "250 Ok\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_signed_in (fixture);
  g_assert_false (mail_smtp_client_send_sync (client, "alice@example.test", recipients, message,
                                              &result, NULL, &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_MESSAGE_TOO_LARGE);
  g_assert_null (result);
  g_clear_error (&error);

  /* Nothing went out, and the session goes on. */
  g_assert_true (mail_smtp_client_noop_sync (client, NULL, &error));
  mail_smtp_client_disconnect (client);
  mail_fake_server_assert_finished (server, 1);
  assert_nothing_sent (server);
}

static void
test_size_lie (Fixture       *fixture,
               gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailSmtpClient *client;
  g_autoptr (GError) error = NULL;
  g_autoptr (MailSmtpResult) result = NULL;
  g_autoptr (GBytes) message = bytes_from ("Subject: small\r\n\r\nsmall\r\n");
  const char *recipients[] = { "bob@example.test", NULL };
  MailSmtpReply *reply;

  /* The server announces a huge limit, then refuses at MAIL FROM and after the data. */
  script_signed_in (server, "250-fake\r\n250-PIPELINING\r\n250-SIZE 99999999999999999999999\r\n"
                            "250-ENHANCEDSTATUSCODES\r\n250 AUTH PLAIN\r\n");
  mail_fake_server_expect (server, "MAIL FROM:<alice@example.test> SIZE=25");
  mail_fake_server_expect (server, "RCPT TO:<bob@example.test>");
  mail_fake_server_send (server, "552 5.3.4 Message size exceeds fixed limit\r\n"
                                 "503 5.5.1 need MAIL\r\n");
  mail_fake_server_expect (server, "RSET");
  mail_fake_server_send (server, "250 2.0.0 Ok\r\n");
  mail_fake_server_expect (server, "MAIL FROM:<alice@example.test> SIZE=25");
  mail_fake_server_expect (server, "RCPT TO:<bob@example.test>");
  mail_fake_server_send (server, "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n");
  mail_fake_server_expect (server, "DATA");
  mail_fake_server_send (server, "354 go\r\n");
  expect_data (server, message);
  mail_fake_server_send (server, "552 5.3.4 Message size exceeds fixed limit\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_signed_in (fixture);
  /* An absurd SIZE counts as no announced limit. */
  g_assert_cmpuint (mail_smtp_client_get_max_size (client), ==, 0);

  g_assert_false (mail_smtp_client_send_sync (client, "alice@example.test", recipients, message,
                                              &result, NULL, &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_PERMANENT);
  reply = mail_smtp_error_get_reply (error);
  g_assert_cmpuint (mail_smtp_reply_get_code (reply), ==, 552);
  g_assert_cmpstr (mail_smtp_reply_get_enhanced_code (reply), ==, "5.3.4");
  g_assert_nonnull (strstr (error->message, "5.3.4"));
  g_clear_error (&error);
  g_clear_object (&result);

  g_assert_false (mail_smtp_client_send_sync (client, "alice@example.test", recipients, message,
                                              &result, NULL, &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_PERMANENT);
  g_assert_cmpint (mail_smtp_result_get_outcome (result), ==, MAIL_SMTP_OUTCOME_NOT_SENT);
  g_assert_false (mail_smtp_result_get_recipient_accepted (result, 0));
  g_assert_cmpuint (mail_smtp_reply_get_code (mail_smtp_result_get_data_reply (result)), ==, 552);

  mail_smtp_client_disconnect (client);
  mail_fake_server_assert_finished (server, 1);
}

static void
test_address_injection (Fixture       *fixture,
                        gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailSmtpClient *client;
  g_autoptr (GBytes) message = bytes_from ("Subject: x\r\n\r\nx\r\n");
  static const char * const bad[] = {
    "bob@example.test>\r\nRCPT TO:<victim@example.test",
    "bob@example.test\nRCPT TO:<victim@example.test>",
    "bob@example.test\r",
    "bob\x01@example.test",
  };

  /* Refused before connecting. */
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      const char *recipients[] = { "ok@example.test", bad[i], NULL };
      const char *good[] = { "ok@example.test", NULL };

      g_assert_false (mail_smtp_check_envelope ("alice@example.test", recipients, &error));
      g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_INVALID_ADDRESS);
      g_clear_error (&error);

      g_assert_false (mail_smtp_check_envelope (bad[i], good, &error));
      g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_INVALID_ADDRESS);
    }

  /* And refused on a live session, with nothing sent. */
  script_signed_in (server, EHLO_FULL);
  mail_fake_server_expect (server, "NOOP");
  mail_fake_server_send (server, "250 Ok\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_signed_in (fixture);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (MailSmtpResult) result = NULL;
      const char *recipients[] = { "ok@example.test", bad[i], NULL };
      const char *good[] = { "ok@example.test", NULL };

      g_assert_false (mail_smtp_client_send_sync (client, "alice@example.test", recipients,
                                                  message, &result, NULL, &error));
      g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_INVALID_ADDRESS);
      g_assert_null (result);
      g_clear_error (&error);

      g_assert_false (mail_smtp_client_send_sync (client, bad[i], good, message, &result, NULL,
                                                  &error));
      g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_INVALID_ADDRESS);
    }

  {
    g_autoptr (GError) error = NULL;
    const char *none[] = { NULL };

    g_assert_false (mail_smtp_client_send_sync (client, "alice@example.test", none, message,
                                                NULL, NULL, &error));
    g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_INVALID_MESSAGE);
  }

  g_assert_true (mail_smtp_client_noop_sync (client, NULL, NULL));
  mail_smtp_client_disconnect (client);
  mail_fake_server_assert_finished (server, 1);
  assert_nothing_sent (server);
}

static void
test_header_injection (Fixture       *fixture,
                       gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailSmtpClient *client;
  g_autoptr (GError) error = NULL;
  g_autoptr (MailSmtpResult) result = NULL;
  GMimeMessage *message;
  InternetAddressList *to;

  script_signed_in (server, EHLO_FULL);
  mail_fake_server_expect (server, "NOOP");
  mail_fake_server_send (server, "250 Ok\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_signed_in (fixture);

  /* A subject that smuggles a Bcc header. */
  message = new_message ("hi\n");
  g_mime_message_set_subject (message, "Hello\r\nBcc: victim@example.test", NULL);
  g_assert_false (mail_smtp_client_send_message_sync (client, message, &result, NULL, &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_INVALID_MESSAGE);
  g_assert_null (result);
  g_clear_error (&error);
  g_object_unref (message);

  /* A bare LF in a custom header. */
  message = new_message ("hi\n");
  g_mime_object_set_header (GMIME_OBJECT (message), "X-Custom", "a\nX-Injected: 1", NULL);
  g_assert_false (mail_smtp_client_send_message_sync (client, message, &result, NULL, &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_INVALID_MESSAGE);
  g_clear_error (&error);
  g_object_unref (message);

  /* A header of a body part. */
  message = new_message ("hi\n");
  g_mime_object_set_header (g_mime_message_get_mime_part (message), "Content-Description",
                            "x\r\nContent-Type: text/html", NULL);
  g_assert_false (mail_smtp_client_send_message_sync (client, message, &result, NULL, &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_INVALID_MESSAGE);
  g_clear_error (&error);
  g_object_unref (message);

  /* An address that smuggles a recipient. */
  message = new_message ("hi\n");
  to = g_mime_message_get_addresses (message, GMIME_ADDRESS_TYPE_CC);
  /* (GMime cuts "eve@example.test>\r\nRCPT TO:..." down to a clean address itself, but
   * keeps a line break inside the local part.) */
  internet_address_list_add (to, internet_address_mailbox_new ("Eve",
                                                               "eve\r\nRCPT TO:<victim@"
                                                               "example.test>@example.test"));
  g_assert_false (mail_smtp_client_send_message_sync (client, message, &result, NULL, &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_INVALID_ADDRESS);
  g_clear_error (&error);
  g_object_unref (message);

  /* A display name with a line break. */
  message = new_message ("hi\n");
  to = g_mime_message_get_addresses (message, GMIME_ADDRESS_TYPE_CC);
  internet_address_list_add (to, internet_address_mailbox_new ("Eve\r\nBcc: victim@example.test",
                                                               "eve@example.test"));
  g_assert_false (mail_smtp_client_send_message_sync (client, message, &result, NULL, &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_INVALID_ADDRESS);
  g_clear_error (&error);
  g_object_unref (message);

  /* No recipients, no sender. */
  message = g_mime_message_new (TRUE);
  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_FROM, NULL, "alice@example.test");
  g_assert_false (mail_smtp_client_send_message_sync (client, message, &result, NULL, &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_INVALID_MESSAGE);
  g_clear_error (&error);
  g_object_unref (message);

  message = g_mime_message_new (TRUE);
  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_TO, NULL, "bob@example.test");
  g_assert_false (mail_smtp_client_send_message_sync (client, message, &result, NULL, &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_INVALID_MESSAGE);
  g_clear_error (&error);
  g_object_unref (message);

  g_assert_true (mail_smtp_client_noop_sync (client, NULL, NULL));
  mail_smtp_client_disconnect (client);
  mail_fake_server_assert_finished (server, 1);
  assert_nothing_sent (server);
}

static void
test_bcc_and_envelope (Fixture       *fixture,
                       gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailSmtpClient *client;
  g_autoptr (GError) error = NULL;
  g_autoptr (MailSmtpResult) result = NULL;
  g_autoptr (GBytes) expected = NULL;
  g_autofree char *transcript = NULL;
  g_autofree char *from = NULL;
  g_auto (GStrv) recipients = NULL;
  GMimeMessage *message = new_message ("See you.\n");
  InternetAddressList *list;
  InternetAddress *group;

  list = g_mime_message_get_addresses (message, GMIME_ADDRESS_TYPE_CC);
  internet_address_list_add (list, internet_address_mailbox_new (NULL, "carol@example.test"));
  /* The same person twice (case differs): one RCPT. */
  internet_address_list_add (list, internet_address_mailbox_new (NULL, "BOB@example.test"));
  group = internet_address_group_new ("Team");
  internet_address_group_add_member (INTERNET_ADDRESS_GROUP (group),
                                     internet_address_mailbox_new (NULL, "dave@example.test"));
  internet_address_list_add (list, group);
  g_object_unref (group);
  list = g_mime_message_get_addresses (message, GMIME_ADDRESS_TYPE_BCC);
  internet_address_list_add (list, internet_address_mailbox_new ("Secret", "hidden@example.test"));
  /* Sender wins over From for the envelope. */
  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_SENDER, NULL, "list@example.test");

  g_assert_true (mail_smtp_message_get_envelope (message, &from, &recipients, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (from, ==, "list@example.test");
  g_assert_cmpuint (g_strv_length (recipients), ==, 4);
  g_assert_cmpstr (recipients[0], ==, "bob@example.test");
  g_assert_cmpstr (recipients[1], ==, "carol@example.test");
  g_assert_cmpstr (recipients[2], ==, "dave@example.test");
  g_assert_cmpstr (recipients[3], ==, "hidden@example.test");

  expected = mime_to_bytes (GMIME_OBJECT (message), FALSE);

  script_signed_in (server, EHLO_FULL);
  mail_fake_server_expect (server, "MAIL FROM:<list@example.test> SIZE=*");
  mail_fake_server_expect (server, "RCPT TO:<bob@example.test>");
  mail_fake_server_expect (server, "RCPT TO:<carol@example.test>");
  mail_fake_server_expect (server, "RCPT TO:<dave@example.test>");
  mail_fake_server_expect (server, "RCPT TO:<hidden@example.test>");
  mail_fake_server_send (server, "250 Ok\r\n250 Ok\r\n250 Ok\r\n250 Ok\r\n250 Ok\r\n");
  mail_fake_server_expect (server, "DATA");
  mail_fake_server_send (server, "354 go\r\n");
  expect_data (server, expected);
  mail_fake_server_send (server, "250 Ok\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_signed_in (fixture);
  g_assert_true (mail_smtp_client_send_message_sync (client, message, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (mail_smtp_result_get_outcome (result), ==, MAIL_SMTP_OUTCOME_SENT);
  g_assert_cmpuint (mail_smtp_result_get_n_accepted (result), ==, 4);

  mail_smtp_client_disconnect (client);
  mail_fake_server_assert_finished (server, 1);

  transcript = mail_fake_server_dup_transcript (server);
  g_assert_null (strstr (transcript, "Bcc"));
  g_assert_null (strstr (transcript, "Secret"));
  g_assert_nonnull (strstr (transcript, "See you."));
  /* The caller's message still has its Bcc. */
  g_assert_cmpint (internet_address_list_length (
                     g_mime_message_get_addresses (message, GMIME_ADDRESS_TYPE_BCC)), ==, 1);

  g_object_unref (message);
}

static void
test_smtputf8 (Fixture       *fixture,
               gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailSmtpClient *client;
  g_autoptr (GError) error = NULL;
  g_autoptr (MailSmtpResult) result = NULL;
  g_autoptr (GBytes) message = bytes_from ("Subject: x\r\n\r\nx\r\n");
  const char *international[] = { "j\xc3\xb6rg@example.test", NULL };
  const char *idn[] = { "bob@b\xc3\xbc" "cher.example", NULL };

  /* Without SMTPUTF8: the IDN domain goes in ASCII, the non-ASCII local part cannot go. */
  script_signed_in (server, "250-fake\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 AUTH PLAIN\r\n");
  mail_fake_server_expect (server, "MAIL FROM:<alice@example.test>");
  mail_fake_server_expect (server, "RCPT TO:<bob@xn--bcher-kva.example>");
  mail_fake_server_send (server, "250 Ok\r\n250 Ok\r\n");
  mail_fake_server_expect (server, "DATA");
  mail_fake_server_send (server, "354 go\r\n");
  expect_data (server, message);
  mail_fake_server_send (server, "250 Ok\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_signed_in (fixture);
  g_assert_false (mail_smtp_client_send_sync (client, "alice@example.test", international,
                                              message, &result, NULL, &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_SMTPUTF8_UNSUPPORTED);
  g_assert_null (result);
  g_clear_error (&error);

  g_assert_true (mail_smtp_client_send_sync (client, "alice@example.test", idn, message, &result,
                                             NULL, &error));
  g_assert_no_error (error);

  mail_smtp_client_disconnect (client);
  mail_fake_server_assert_finished (server, 1);
}

static void
test_smtputf8_offered (Fixture       *fixture,
                       gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailSmtpClient *client;
  g_autoptr (GError) error = NULL;
  g_autoptr (MailSmtpResult) result = NULL;
  g_autoptr (GBytes) message = bytes_from ("Subject: Gr\xc3\xbc\xc3\x9f" "e\r\n\r\nx\r\n");
  const char *international[] = { "j\xc3\xb6rg@example.test", NULL };

  script_signed_in (server, EHLO_FULL);
  mail_fake_server_expect (server,
                           "MAIL FROM:<alice@example.test> SIZE=23 BODY=8BITMIME SMTPUTF8");
  mail_fake_server_expect (server, "RCPT TO:<j\xc3\xb6rg@example.test>");
  mail_fake_server_send (server, "250 Ok\r\n250 Ok\r\n");
  mail_fake_server_expect (server, "DATA");
  mail_fake_server_send (server, "354 go\r\n");
  expect_data (server, message);
  mail_fake_server_send (server, "250 Ok\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_signed_in (fixture);
  g_assert_true (mail_smtp_client_send_sync (client, "alice@example.test", international,
                                             message, &result, NULL, &error));
  g_assert_no_error (error);

  mail_smtp_client_disconnect (client);
  mail_fake_server_assert_finished (server, 1);
}

static void
test_drop_mid_reply (Fixture       *fixture,
                     gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailSmtpClient *client;
  g_autoptr (GError) error = NULL;

  mail_fake_server_send (server, "220 fake ESMTP\r\n");
  mail_fake_server_expect (server, "EHLO *");
  mail_fake_server_send (server, "250-fake\r\n250-PIPELINING\r\n250-AUTH PL");
  mail_fake_server_close (server);
  mail_fake_server_start (server);

  client = fixture_client (fixture, MAIL_SECURITY_TLS);
  g_assert_false (mail_smtp_client_connect_sync (client, NULL, &error));
  g_assert_nonnull (error);
  g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_NETWORK);
  g_assert_cmpint (mail_smtp_client_get_state (client), ==, MAIL_SMTP_STATE_DISCONNECTED);
  g_clear_error (&error);

  g_assert_false (mail_smtp_client_login_sync (client, USER, PASSWORD, NULL, &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_STATE);

  mail_fake_server_assert_finished (server, 1);
  assert_no_password (server, client);
}

/* The connection dies after the final dot: the message may have been delivered. */
static void
test_drop_after_data (Fixture       *fixture,
                      gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailSmtpClient *client;
  g_autoptr (GError) error = NULL;
  g_autoptr (MailSmtpResult) result = NULL;
  g_autoptr (GBytes) message = bytes_from ("Subject: x\r\n\r\nx\r\n");
  g_autofree char *description = NULL;
  const char *recipients[] = { "bob@example.test", NULL };

  script_signed_in (server, EHLO_FULL);
  mail_fake_server_expect (server, "MAIL FROM:*");
  mail_fake_server_expect (server, "RCPT TO:*");
  mail_fake_server_send (server, "250 Ok\r\n250 Ok\r\n");
  mail_fake_server_expect (server, "DATA");
  mail_fake_server_send (server, "354 go\r\n");
  expect_data (server, message);
  mail_fake_server_close (server);
  mail_fake_server_start (server);

  client = fixture_signed_in (fixture);
  g_assert_false (mail_smtp_client_send_sync (client, "alice@example.test", recipients, message,
                                              &result, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "may have been delivered"));
  g_assert_cmpint (mail_smtp_result_get_outcome (result), ==, MAIL_SMTP_OUTCOME_UNKNOWN);
  g_assert_false (mail_smtp_result_get_accepted (result));
  description = mail_smtp_result_describe (result);
  g_assert_nonnull (strstr (description, "may have been delivered"));

  mail_fake_server_assert_finished (server, 1);
}

static void
test_stall_after_data (Fixture       *fixture,
                       gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailSmtpClient *client;
  g_autoptr (GError) error = NULL;
  g_autoptr (MailSmtpResult) result = NULL;
  g_autoptr (GBytes) message = bytes_from ("Subject: x\r\n\r\nx\r\n");
  const char *recipients[] = { "bob@example.test", NULL };
  gint64 start;

  script_signed_in (server, EHLO_FULL);
  mail_fake_server_expect (server, "MAIL FROM:*");
  mail_fake_server_expect (server, "RCPT TO:*");
  mail_fake_server_send (server, "250 Ok\r\n250 Ok\r\n");
  mail_fake_server_expect (server, "DATA");
  mail_fake_server_send (server, "354 go\r\n");
  expect_data (server, message);
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_signed_in (fixture);
  mail_connection_set_timeout (mail_smtp_client_get_connection (client),
                               MAIL_CONNECTION_PHASE_COMMAND, 1);
  mail_connection_set_timeout (mail_smtp_client_get_connection (client),
                               MAIL_CONNECTION_PHASE_DATA_END, 1);

  start = g_get_monotonic_time ();
  g_assert_false (mail_smtp_client_send_sync (client, "alice@example.test", recipients, message,
                                              &result, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 4 * G_USEC_PER_SEC);
  g_assert_cmpint (mail_smtp_result_get_outcome (result), ==, MAIL_SMTP_OUTCOME_UNKNOWN);

  /* The client gave up without a TLS goodbye, which the server notes as a failure. */
  g_assert_true (mail_fake_server_wait_finished (server, 1, 10000));
}

/* A content filter that takes longer than any other command may: the final reply gets
 * its own, longer wait (RFC 5321 §4.5.3.2.6), here 3 s against a command timeout of 1 s. */
static void
test_slow_data_end (Fixture       *fixture,
                    gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailSmtpClient *client;
  g_autoptr (GError) error = NULL;
  g_autoptr (MailSmtpResult) result = NULL;
  g_autoptr (GBytes) message = bytes_from ("Subject: x\r\n\r\nx\r\n");
  const char *recipients[] = { "bob@example.test", NULL };
  MailConnection *connection;
  gint64 start;

  script_signed_in (server, EHLO_FULL);
  mail_fake_server_expect (server, "MAIL FROM:*");
  mail_fake_server_expect (server, "RCPT TO:*");
  mail_fake_server_send (server, "250 Ok\r\n250 Ok\r\n");
  mail_fake_server_expect (server, "DATA");
  mail_fake_server_send (server, "354 go\r\n");
  expect_data (server, message);
  mail_fake_server_sleep (server, 2000);
  mail_fake_server_send (server, "250 2.0.0 Ok: queued\r\n");
  /* Back to the command timeout: a NOOP answered after 2 s is too late. */
  mail_fake_server_expect (server, "NOOP");
  mail_fake_server_sleep (server, 2000);
  mail_fake_server_send (server, "250 Ok\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_signed_in (fixture);
  connection = mail_smtp_client_get_connection (client);
  mail_connection_set_timeout (connection, MAIL_CONNECTION_PHASE_COMMAND, 1);
  mail_connection_set_timeout (connection, MAIL_CONNECTION_PHASE_DATA_END, 3);

  start = g_get_monotonic_time ();
  g_assert_true (mail_smtp_client_send_sync (client, "alice@example.test", recipients, message,
                                             &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (mail_smtp_result_get_outcome (result), ==, MAIL_SMTP_OUTCOME_SENT);
  g_assert_cmpint (mail_connection_get_phase (connection), ==, MAIL_CONNECTION_PHASE_COMMAND);

  g_assert_false (mail_smtp_client_noop_sync (client, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);

  g_assert_true (mail_fake_server_wait_finished (server, 1, 10000));
}

/* Ten minutes unless told otherwise, while other replies keep their own timeouts. */
static void
test_data_end_default (Fixture       *fixture,
                       gconstpointer  user_data)
{
  MailSmtpClient *client = mail_smtp_client_new ("mail.example.test", 465, MAIL_SECURITY_TLS,
                                                 NULL);
  MailConnection *connection = mail_smtp_client_get_connection (client);

  /* No server, but the fixture holds the client all the same, for the teardown's check. */
  fixture->client = client;

  g_assert_cmpuint (MAIL_CONNECTION_DEFAULT_DATA_END_TIMEOUT, ==, 600);
  g_assert_cmpuint (mail_connection_get_timeout (connection, MAIL_CONNECTION_PHASE_DATA_END), ==,
                    600);
  g_assert_cmpuint (mail_connection_get_timeout (connection, MAIL_CONNECTION_PHASE_COMMAND), ==,
                    MAIL_CONNECTION_DEFAULT_COMMAND_TIMEOUT);
  g_assert_cmpuint (mail_connection_get_timeout (connection, MAIL_CONNECTION_PHASE_GREETING), ==,
                    MAIL_CONNECTION_DEFAULT_GREETING_TIMEOUT);
}

static void
test_stall_ehlo (Fixture       *fixture,
                 gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailSmtpClient *client;
  g_autoptr (GError) error = NULL;
  gint64 start;

  mail_fake_server_send (server, "220 fake ESMTP\r\n");
  mail_fake_server_expect (server, "EHLO *");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_client (fixture, MAIL_SECURITY_STARTTLS);
  mail_connection_set_timeout (mail_smtp_client_get_connection (client),
                               MAIL_CONNECTION_PHASE_COMMAND, 1);

  start = g_get_monotonic_time ();
  g_assert_false (mail_smtp_client_connect_sync (client, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC / 2);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 4 * G_USEC_PER_SEC);
  g_assert_cmpint (mail_smtp_client_get_state (client), ==, MAIL_SMTP_STATE_DISCONNECTED);

  mail_fake_server_assert_finished (server, 1);
  assert_no_password (server, client);
}

static void
test_huge_line (Fixture       *fixture,
                gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailSmtpClient *client;
  g_autoptr (GError) error = NULL;
  g_autofree char *line = g_strnfill (1024 * 1024, 'x');

  memcpy (line, "220 ", 4);
  mail_fake_server_send (server, line);
  mail_fake_server_send (server, "\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_client (fixture, MAIL_SECURITY_TLS);
  g_assert_false (mail_smtp_client_connect_sync (client, NULL, &error));
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_LIMIT);
  g_assert_cmpint (mail_smtp_client_get_state (client), ==, MAIL_SMTP_STATE_DISCONNECTED);

  g_assert_true (mail_fake_server_wait_finished (server, 1, 10000));
  assert_no_password (server, client);
}

static void
test_huge_ehlo (Fixture       *fixture,
                gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailSmtpClient *client;
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) reply = g_string_new ("");

  /* Many short lines: the parser's line count stops it. */
  for (guint i = 0; i < 5000; i++)
    g_string_append (reply, "250-X-FILLER\r\n");
  g_string_append (reply, "250 OK\r\n");

  mail_fake_server_send (server, "220 fake\r\n");
  mail_fake_server_expect (server, "EHLO *");
  mail_fake_server_send (server, reply->str);
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_client (fixture, MAIL_SECURITY_TLS);
  g_assert_false (mail_smtp_client_connect_sync (client, NULL, &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_PROTOCOL);
  g_assert_cmpint (mail_smtp_client_get_state (client), ==, MAIL_SMTP_STATE_DISCONNECTED);

  g_assert_true (mail_fake_server_wait_finished (server, 1, 10000));
  assert_no_password (server, client);
}

static void
test_garbage_greeting (Fixture       *fixture,
                       gconstpointer  user_data)
{
  static const char * const greetings[] = {
    "+OK POP3 ready\r\n",
    "* OK IMAP4rev1\r\n",
    "SSH-2.0-OpenSSH_9.2\r\n",
    "220-first\r\n221 changed code\r\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (greetings); i++)
    {
      MailFakeServer *server = fixture_case (fixture, i);
      MailSmtpClient *client;
      g_autoptr (GError) error = NULL;

      mail_fake_server_send (server, greetings[i]);
      mail_fake_server_wait_close (server);
      mail_fake_server_start (server);

      client = fixture_client (fixture, MAIL_SECURITY_STARTTLS);
      g_assert_false (mail_smtp_client_connect_sync (client, NULL, &error));
      g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_PROTOCOL);
      g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_PROTOCOL);

      g_assert_true (mail_fake_server_wait_finished (server, 1, 10000));
      assert_no_password (server, client);
    }
}

static void
test_refusing_greeting (Fixture       *fixture,
                        gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailSmtpClient *client;
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;

  mail_fake_server_send (server, "554 5.7.1 Call 555-0100, your account is suspended\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_client (fixture, MAIL_SECURITY_STARTTLS);
  g_assert_false (mail_smtp_client_connect_sync (client, NULL, &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_PERMANENT);
  /* Before TLS, the server's own words are not shown. */
  message = mail_error_describe (error);
  g_assert_null (strstr (message, "555-0100"));
  g_assert_cmpuint (mail_smtp_reply_get_code (mail_smtp_error_get_reply (error)), ==, 554);

  g_assert_true (mail_fake_server_wait_finished (server, 1, 10000));
  assert_no_password (server, client);
}

/* ---------------------------------------------------------------------------------- */
/* Server words before TLS                                                             */

#define EVIL "visit http://evil.example"

/* Before TLS anyone on the path could have written what the server said: its words go
 * only to the protocol log, never into the error, and the connection is closed. */
static void
assert_words_hidden (MailFakeServer *server,
                     MailSmtpClient *client,
                     const GError   *error)
{
  g_autofree char *message = mail_error_describe (error);
  g_autofree char *log = log_text (client);

  g_test_message ("%s", message);
  g_assert_null (strstr (message, "evil"));
  g_assert_nonnull (strstr (log, EVIL));
  g_assert_false (mail_connection_is_connected (mail_smtp_client_get_connection (client)));
  g_assert_cmpint (mail_smtp_client_get_state (client), ==, MAIL_SMTP_STATE_DISCONNECTED);
  /* The script ends waiting for the client to close. */
  mail_fake_server_assert_finished (server, 1);
  assert_no_password (server, client);
}

static void
test_words_before_tls (Fixture       *fixture,
                       gconstpointer  user_data)
{
  static const struct {
    const char   *greeting;
    const char   *ehlo_reply;
    const char   *starttls_reply;
    gboolean      net_error;
    int           code;
  } cases[] = {
    { "554 5.7.1 " EVIL "\r\n", NULL, NULL, FALSE, MAIL_SMTP_ERROR_PERMANENT },
    { "421 4.3.2 " EVIL "\r\n", NULL, NULL, FALSE, MAIL_SMTP_ERROR_TRANSIENT },
    { EVIL "\r\n", NULL, NULL, FALSE, MAIL_SMTP_ERROR_PROTOCOL },
    { "220 fake ESMTP\r\n", "421 4.3.0 " EVIL "\r\n", NULL, FALSE, MAIL_SMTP_ERROR_TRANSIENT },
    { "220 fake ESMTP\r\n", EVIL "\r\n", NULL, FALSE, MAIL_SMTP_ERROR_PROTOCOL },
    { "220 fake ESMTP\r\n", NULL, "454 4.7.0 " EVIL "\r\n", TRUE,
      MAIL_NET_ERROR_STARTTLS_REFUSED },
    { "220 fake ESMTP\r\n", NULL, "554 5.7.0 " EVIL "\r\n", TRUE,
      MAIL_NET_ERROR_STARTTLS_REFUSED },
    { "220 fake ESMTP\r\n", NULL, EVIL "\r\n", FALSE, MAIL_SMTP_ERROR_PROTOCOL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      MailFakeServer *server = fixture_case (fixture, i);
      MailSmtpClient *client;
      g_autoptr (GError) error = NULL;

      g_test_message ("case %u", i);
      mail_fake_server_send (server, cases[i].greeting);
      if (cases[i].ehlo_reply != NULL)
        {
          mail_fake_server_expect (server, "EHLO *");
          mail_fake_server_send (server, cases[i].ehlo_reply);
        }
      else if (cases[i].starttls_reply != NULL)
        {
          mail_fake_server_expect (server, "EHLO *");
          mail_fake_server_send (server, "250-fake\r\n250 STARTTLS\r\n");
          mail_fake_server_expect (server, "STARTTLS");
          mail_fake_server_send (server, cases[i].starttls_reply);
        }
      mail_fake_server_wait_close (server);
      mail_fake_server_start (server);

      client = fixture_client (fixture, MAIL_SECURITY_STARTTLS);
      g_assert_false (mail_smtp_client_connect_sync (client, NULL, &error));
      g_assert_nonnull (error);
      g_assert_cmpuint (error->domain, ==, cases[i].net_error ? MAIL_NET_ERROR : MAIL_SMTP_ERROR);
      g_assert_cmpint (error->code, ==, cases[i].code);
      assert_words_hidden (server, client, error);
    }
}

/* An account without encryption: the same words are just as forgeable, but a refused
 * password is still told apart from other failures, and a refusal keeps its reply. */
static void
test_words_without_tls (Fixture       *fixture,
                        gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailSmtpClient *client;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) message = bytes_from ("Subject: x\r\n\r\nx\r\n");
  const char *recipients[] = { "bob@example.test", NULL };

  mail_fake_server_send (server, "220 fake ESMTP\r\n");
  mail_fake_server_expect (server, "EHLO *");
  mail_fake_server_send (server, "250-fake\r\n250 AUTH PLAIN\r\n");
  mail_fake_server_expect (server, "AUTH PLAIN *");
  mail_fake_server_send (server, "535 5.7.8 " EVIL "\r\n");
  mail_fake_server_expect (server, "AUTH PLAIN *");
  mail_fake_server_send (server, "235 2.7.0 Ok\r\n");
  mail_fake_server_expect (server, "MAIL FROM:<alice@example.test>");
  mail_fake_server_send (server, "553 5.7.1 " EVIL "\r\n");
  mail_fake_server_expect (server, "RSET");
  mail_fake_server_send (server, "250 Ok\r\n");
  mail_fake_server_expect (server, "MAIL FROM:<alice@example.test>");
  mail_fake_server_send (server, "250 Ok\r\n");
  mail_fake_server_expect (server, "RCPT TO:<bob@example.test>");
  mail_fake_server_send (server, "550 5.1.1 " EVIL "\r\n");
  mail_fake_server_expect (server, "RSET");
  mail_fake_server_send (server, "250 Ok\r\n");
  mail_fake_server_expect (server, "QUIT");
  mail_fake_server_send (server, "221 Bye\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_client (fixture, MAIL_SECURITY_NONE);
  mail_smtp_client_set_allow_plaintext_password (client, TRUE);
  g_assert_true (mail_smtp_client_connect_sync (client, NULL, &error));
  g_assert_no_error (error);

  g_assert_false (mail_smtp_client_login_sync (client, USER, PASSWORD, NULL, &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_AUTH_FAILED);
  g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_AUTH_FAILED);
  g_assert_null (strstr (error->message, "evil"));
  g_clear_error (&error);
  g_assert_true (mail_smtp_client_login_sync (client, USER, PASSWORD, NULL, &error));
  g_assert_no_error (error);

  g_assert_false (mail_smtp_client_send_sync (client, "alice@example.test", recipients, message,
                                              NULL, NULL, &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_PERMANENT);
  g_assert_null (strstr (error->message, "evil"));
  g_assert_cmpuint (mail_smtp_reply_get_code (mail_smtp_error_get_reply (error)), ==, 553);
  g_clear_error (&error);

  g_assert_false (mail_smtp_client_send_sync (client, "alice@example.test", recipients, message,
                                              NULL, NULL, &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_PERMANENT);
  g_assert_null (strstr (error->message, "evil"));
  g_clear_error (&error);

  g_assert_true (mail_smtp_client_quit_sync (client, NULL, &error));
  mail_fake_server_assert_finished (server, 1);
}

/* Over implicit TLS the server's words are its own, and may help: they are shown. */
static void
test_words_over_tls (Fixture       *fixture,
                     gconstpointer  user_data)
{
  static const char * const greetings[] = {
    "554 5.3.2 " EVIL "\r\n",
    "Busy, " EVIL "\r\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (greetings); i++)
    {
      MailFakeServer *server = fixture_case (fixture, i);
      MailSmtpClient *client;
      g_autoptr (GError) error = NULL;

      mail_fake_server_send (server, greetings[i]);
      mail_fake_server_wait_close (server);
      mail_fake_server_start (server);

      client = fixture_client (fixture, MAIL_SECURITY_TLS);
      g_assert_false (mail_smtp_client_connect_sync (client, NULL, &error));
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, EVIL));
      g_assert_false (mail_connection_is_connected (mail_smtp_client_get_connection (client)));

      mail_fake_server_assert_finished (server, 1);
    }
}

static void
test_garbage_reply (Fixture       *fixture,
                    gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailSmtpClient *client;
  g_autoptr (GError) error = NULL;
  g_autoptr (MailSmtpResult) result = NULL;
  g_autoptr (GBytes) message = bytes_from ("Subject: x\r\n\r\nx\r\n");
  const char *recipients[] = { "bob@example.test", NULL };

  script_signed_in (server, EHLO_FULL);
  mail_fake_server_expect (server, "MAIL FROM:*");
  mail_fake_server_expect (server, "RCPT TO:*");
  mail_fake_server_send (server, "OK sure\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_signed_in (fixture);
  g_assert_false (mail_smtp_client_send_sync (client, "alice@example.test", recipients, message,
                                              &result, NULL, &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_PROTOCOL);
  g_assert_cmpint (mail_smtp_result_get_outcome (result), ==, MAIL_SMTP_OUTCOME_NOT_SENT);
  g_assert_cmpint (mail_smtp_client_get_state (client), ==, MAIL_SMTP_STATE_DISCONNECTED);

  mail_fake_server_assert_finished (server, 1);
}

static void
test_auth_failures (Fixture       *fixture,
                    gconstpointer  user_data)
{
  static const struct {
    const char       *reply;
    MailSmtpError     code;
    MailErrorCategory category;
  } cases[] = {
    { "535 5.7.8 Error: authentication failed: authentication failure",
      MAIL_SMTP_ERROR_AUTH_FAILED, MAIL_ERROR_CATEGORY_AUTH_FAILED },
    { "535 Authentication credentials invalid", MAIL_SMTP_ERROR_AUTH_FAILED,
      MAIL_ERROR_CATEGORY_AUTH_FAILED },
    { "454 4.7.0 Temporary authentication failure", MAIL_SMTP_ERROR_TRANSIENT,
      MAIL_ERROR_CATEGORY_PROTOCOL },
    { "534 5.7.9 Authentication mechanism is too weak", MAIL_SMTP_ERROR_PERMANENT,
      MAIL_ERROR_CATEGORY_PROTOCOL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      MailFakeServer *server = fixture_case (fixture, i);
      MailSmtpClient *client;
      g_autoptr (GError) error = NULL;
      g_autofree char *reply = g_strconcat (cases[i].reply, "\r\n", NULL);
      g_autofree char *log = NULL;

      mail_fake_server_send (server, "220 fake ESMTP\r\n");
      mail_fake_server_expect (server, "EHLO *");
      mail_fake_server_send (server, EHLO_FULL);
      mail_fake_server_expect (server, "AUTH PLAIN *");
      mail_fake_server_send (server, reply);
      mail_fake_server_wait_close (server);
      mail_fake_server_start (server);

      client = fixture_client (fixture, MAIL_SECURITY_TLS);
      g_assert_true (mail_smtp_client_connect_sync (client, NULL, &error));
      g_assert_false (mail_smtp_client_login_sync (client, USER, PASSWORD, NULL, &error));
      g_test_message ("%s", cases[i].reply);
      g_assert_error (error, MAIL_SMTP_ERROR, (int) cases[i].code);
      g_assert_cmpint (mail_error_categorize (error), ==, cases[i].category);
      g_assert_cmpint (mail_smtp_client_get_state (client), ==, MAIL_SMTP_STATE_CONNECTED);

      log = log_text (client);
      g_assert_null (strstr (log, PASSWORD));

      mail_smtp_client_disconnect (client);
      mail_fake_server_assert_finished (server, 1);
    }
}

static void
test_no_mechanism (Fixture       *fixture,
                   gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailSmtpClient *client;
  g_autoptr (GError) error = NULL;

  mail_fake_server_send (server, "220 fake ESMTP\r\n");
  mail_fake_server_expect (server, "EHLO *");
  mail_fake_server_send (server, "250-fake\r\n250 AUTH CRAM-MD5 GSSAPI\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_client (fixture, MAIL_SECURITY_TLS);
  g_assert_true (mail_smtp_client_connect_sync (client, NULL, &error));
  g_assert_false (mail_smtp_client_login_sync (client, USER, PASSWORD, NULL, &error));
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_NO_MECHANISM);
  g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_MISSING_CAPABILITY);

  mail_smtp_client_disconnect (client);
  mail_fake_server_assert_finished (server, 1);
  assert_no_password (server, client);
}

static void
async_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

static void
test_async (Fixture       *fixture,
            gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailSmtpClient *client = fixture_client (fixture, MAIL_SECURITY_TLS);
  g_autoptr (GError) error = NULL;
  g_autoptr (MailSmtpResult) send_result = NULL;
  g_autoptr (GBytes) message = bytes_from ("Subject: x\r\n\r\nx\r\n");
  GAsyncResult *result = NULL;
  const char *recipients[] = { "bob@example.test", "nobody@example.test", NULL };
  const char *bad[] = { "bob@example.test\r\n", NULL };

  script_signed_in (server, EHLO_FULL);
  mail_fake_server_expect (server, "MAIL FROM:*");
  mail_fake_server_expect (server, "RCPT TO:<bob@example.test>");
  mail_fake_server_expect (server, "RCPT TO:<nobody@example.test>");
  mail_fake_server_send (server, "250 Ok\r\n550 5.1.1 no\r\n550 5.1.1 no\r\n");
  mail_fake_server_expect (server, "RSET");
  mail_fake_server_send (server, "250 Ok\r\n");
  mail_fake_server_expect (server, "QUIT");
  mail_fake_server_send (server, "221 Bye\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  mail_smtp_client_connect_async (client, NULL, async_done_cb, &result);
  g_assert_true (mail_smtp_client_connect_finish (client, wait_for (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  mail_smtp_client_login_async (client, USER, PASSWORD, NULL, async_done_cb, &result);
  g_assert_true (mail_smtp_client_login_finish (client, wait_for (&result), &error));
  g_clear_object (&result);

  /* An invalid address fails at once, before the worker thread. */
  mail_smtp_client_send_async (client, "alice@example.test", bad, message, NULL, async_done_cb,
                               &result);
  g_assert_false (mail_smtp_client_send_finish (client, wait_for (&result), &send_result,
                                                &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_INVALID_ADDRESS);
  g_assert_null (send_result);
  g_clear_error (&error);
  g_clear_object (&result);

  /* A refusal still hands out the per-recipient result. */
  mail_smtp_client_send_async (client, "alice@example.test", recipients, message, NULL,
                               async_done_cb, &result);
  g_assert_false (mail_smtp_client_send_finish (client, wait_for (&result), &send_result,
                                                &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_PERMANENT);
  g_assert_nonnull (send_result);
  g_assert_cmpuint (mail_smtp_result_get_n_rejected (send_result), ==, 2);
  g_clear_error (&error);
  g_clear_object (&result);

  mail_smtp_client_quit_async (client, NULL, async_done_cb, &result);
  g_assert_true (mail_smtp_client_quit_finish (client, wait_for (&result), &error));
  g_clear_object (&result);

  mail_fake_server_assert_finished (server, 1);
}

static void
test_pinned_certificate (Fixture       *fixture,
                         gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailSmtpClient *client;
  g_autoptr (GError) error = NULL;
  g_autofree char *fingerprint = NULL;
  MailCertificateInfo *info;

  mail_fake_server_send (server, "220 fake ESMTP\r\n");
  mail_fake_server_expect (server, "EHLO *");
  mail_fake_server_send (server, "250 fake\r\n");
  mail_fake_server_expect (server, "QUIT");
  mail_fake_server_send (server, "221 Bye\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_client (fixture, MAIL_SECURITY_TLS);
  g_assert_false (mail_smtp_client_connect_sync (client, NULL, &error));
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_CERTIFICATE);
  g_clear_error (&error);

  info = mail_connection_get_peer_certificate_info (mail_smtp_client_get_connection (client));
  g_assert_nonnull (info);
  fingerprint = g_strdup (mail_certificate_info_get_fingerprint (info));

  g_assert_true (mail_connection_set_pinned_certificate (mail_smtp_client_get_connection (client),
                                                         mail_certificate_info_get_host (info),
                                                         mail_certificate_info_get_port (info),
                                                         fingerprint));
  g_assert_true (mail_smtp_client_connect_sync (client, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mail_connection_get_pinned_certificate_used (
                   mail_smtp_client_get_connection (client)));
  g_assert_true (mail_smtp_client_quit_sync (client, NULL, &error));

  g_assert_true (mail_fake_server_wait_finished (server, 2, 10000));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  int status;

  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_mime_init ();

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

#define ADD(path, kind, func) \
  g_test_add (path, Fixture, GUINT_TO_POINTER (kind), fixture_set_up, func, fixture_tear_down)

  ADD ("/mail/smtp/hostile/session/partial", SERVER_TLS, test_session_partial);
  ADD ("/mail/smtp/hostile/session/all-refused", SERVER_TLS, test_all_refused);
  ADD ("/mail/smtp/hostile/session/sender-refused", SERVER_TLS, test_sender_refused);
  ADD ("/mail/smtp/hostile/session/async", SERVER_TLS, test_async);
  ADD ("/mail/smtp/hostile/starttls/not-offered", SERVER_STARTTLS, test_starttls_not_offered);
  ADD ("/mail/smtp/hostile/starttls/refused", SERVER_STARTTLS, test_starttls_refused);
  ADD ("/mail/smtp/hostile/starttls/injection", SERVER_STARTTLS, test_starttls_injection);
  ADD ("/mail/smtp/hostile/starttls/injection-unfinished", SERVER_STARTTLS,
       test_starttls_injection_unfinished);
  ADD ("/mail/smtp/hostile/starttls/capabilities", SERVER_STARTTLS, test_starttls_capabilities);
  ADD ("/mail/smtp/hostile/plaintext/refused", SERVER_PLAINTEXT, test_plaintext_refused);
  ADD ("/mail/smtp/hostile/helo-fallback-7bit", SERVER_TLS, test_helo_fallback_and_7bit);
  ADD ("/mail/smtp/hostile/size/refused-locally", SERVER_TLS, test_size_refused_locally);
  ADD ("/mail/smtp/hostile/size/server-lies", SERVER_TLS, test_size_lie);
  ADD ("/mail/smtp/hostile/injection/address", SERVER_TLS, test_address_injection);
  ADD ("/mail/smtp/hostile/injection/header", SERVER_TLS, test_header_injection);
  ADD ("/mail/smtp/hostile/message/bcc-and-envelope", SERVER_TLS, test_bcc_and_envelope);
  ADD ("/mail/smtp/hostile/smtputf8/not-offered", SERVER_TLS, test_smtputf8);
  ADD ("/mail/smtp/hostile/smtputf8/offered", SERVER_TLS, test_smtputf8_offered);
  ADD ("/mail/smtp/hostile/drop/mid-reply", SERVER_TLS, test_drop_mid_reply);
  ADD ("/mail/smtp/hostile/drop/after-data", SERVER_TLS, test_drop_after_data);
  ADD ("/mail/smtp/hostile/timeout/after-data", SERVER_TLS, test_stall_after_data);
  ADD ("/mail/smtp/hostile/timeout/slow-data-end", SERVER_TLS, test_slow_data_end);
  ADD ("/mail/smtp/hostile/timeout/data-end-default", SERVER_NONE, test_data_end_default);
  ADD ("/mail/smtp/hostile/timeout/ehlo", SERVER_STARTTLS, test_stall_ehlo);
  ADD ("/mail/smtp/hostile/limit/huge-line", SERVER_TLS, test_huge_line);
  ADD ("/mail/smtp/hostile/limit/huge-ehlo", SERVER_TLS, test_huge_ehlo);
  ADD ("/mail/smtp/hostile/greeting/garbage", SERVER_STARTTLS, test_garbage_greeting);
  ADD ("/mail/smtp/hostile/greeting/refusing", SERVER_STARTTLS, test_refusing_greeting);
  ADD ("/mail/smtp/hostile/reply/garbage", SERVER_TLS, test_garbage_reply);
  ADD ("/mail/smtp/hostile/words/before-tls", SERVER_STARTTLS, test_words_before_tls);
  ADD ("/mail/smtp/hostile/words/without-tls", SERVER_PLAINTEXT, test_words_without_tls);
  ADD ("/mail/smtp/hostile/words/over-tls", SERVER_TLS, test_words_over_tls);
  ADD ("/mail/smtp/hostile/auth/failures", SERVER_TLS, test_auth_failures);
  ADD ("/mail/smtp/hostile/auth/no-mechanism", SERVER_TLS, test_no_mechanism);
  ADD ("/mail/smtp/hostile/tls/pinned-certificate", SERVER_SELF_SIGNED, test_pinned_certificate);

#undef ADD

  status = g_test_run ();

  g_clear_pointer (&certs, mail_test_certs_free);

  return status;
}
