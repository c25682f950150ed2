/* test-smtp-live.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* MailSmtpClient against the harness's Postfix (465 with implicit TLS, 587 with
 * STARTTLS; AUTH through Dovecot, offered only after TLS; delivery to Dovecot over LMTP).
 * Every message sent is read back over POP3 with MailPop3Client, so a test sees what a
 * recipient sees: the headers (no Bcc), the body byte for byte after two rounds of
 * dot-stuffing, and exactly one message where smuggling would have made two. */

#include "config.h"

#include <string.h>

#include "mail-connection.h"
#include "mail-net-error.h"
#include "mail-pop3-client.h"
#include "mail-smtp-client.h"
#include "mail-test-util.h"

#define ALICE "alice@example.test"
#define BOB   "bob@example.test"

/* The client's protocol log (passwords removed), as text. */
static char *
log_text (MailSmtpClient *client)
{
  MailConnection *connection = mail_smtp_client_get_connection (client);

  return mail_protocol_log_to_string (mail_connection_get_log (connection));
}

static MailSmtpClient *
smtp_client (GTlsDatabase *database,
             MailSecurity  security)
{
  g_autofree char *host = mail_test_harness_get ("smtp", "host");
  guint16 port = mail_test_harness_get_port ("smtp", security == MAIL_SECURITY_TLS
                                                      ? "tls-port" : "starttls-port");
  MailSmtpClient *client = mail_smtp_client_new (host, port, security, database);

  mail_connection_set_timeout (mail_smtp_client_get_connection (client),
                               MAIL_CONNECTION_PHASE_COMMAND, 30);

  return client;
}

static char *
password_of (const char *user)
{
  g_autofree char *group = g_strconcat ("user ", user, NULL);

  return mail_test_harness_get (group, "password");
}

static MailSmtpClient *
signed_in (GTlsDatabase *database,
           MailSecurity  security)
{
  MailSmtpClient *client = smtp_client (database, security);
  g_autoptr (GError) error = NULL;
  g_autofree char *password = password_of (ALICE);

  g_assert_true (mail_smtp_client_connect_sync (client, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mail_smtp_client_login_sync (client, ALICE, password, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (mail_smtp_client_get_state (client), ==, MAIL_SMTP_STATE_AUTHENTICATED);

  return client;
}

static char *
new_test_id (const char *what)
{
  return g_strdup_printf ("%s-%08x", what, g_random_int ());
}

static gboolean
bytes_contain (GBytes     *bytes,
               const char *text)
{
  return g_strstr_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), text) != NULL;
}

/* Reads @user's mailbox over POP3 and returns every message whose header has
 * "X-Test-Id: @test_id", waiting up to 30 s until at least @n have arrived. */
static GPtrArray *
wait_for_messages (GTlsDatabase *database,
                   const char   *user,
                   const char   *test_id,
                   guint         n)
{
  g_autofree char *host = mail_test_harness_get ("pop3", "host");
  g_autofree char *password = password_of (user);
  g_autofree char *header = g_strdup_printf ("\r\nX-Test-Id: %s\r\n", test_id);
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  for (;;)
    {
      MailPop3Client *client;
      g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
      g_autoptr (GError) error = NULL;
      guint count = 0;

      client = mail_pop3_client_new (host, mail_test_harness_get_port ("pop3", "tls-port"),
                                     MAIL_SECURITY_TLS, database);
      g_assert_true (mail_pop3_client_connect_sync (client, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (mail_pop3_client_login_sync (client, user, password, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (mail_pop3_client_stat_sync (client, &count, NULL, NULL, &error));

      for (guint number = 1; number <= count; number++)
        {
          g_autoptr (GBytes) top = mail_pop3_client_top_sync (client, number, 0, NULL, &error);
          g_autoptr (MailPop3Retrieved) retrieved = NULL;

          g_assert_no_error (error);
          if (!bytes_contain (top, header))
            continue;

          retrieved = mail_pop3_client_retrieve_sync (client, number, NULL, &error);
          g_assert_no_error (error);
          g_ptr_array_add (found, mail_pop3_retrieved_steal_bytes (retrieved));
        }
      mail_pop3_client_quit_sync (client, NULL, NULL);
      mail_test_assert_finalize_client (client, mail_pop3_client_get_connection (client));

      if (found->len >= n)
        return g_steal_pointer (&found);

      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (200 * 1000);
    }
}

static GBytes *
wait_for_message (GTlsDatabase *database,
                  const char   *user,
                  const char   *test_id)
{
  g_autoptr (GPtrArray) found = wait_for_messages (database, user, test_id, 1);

  g_assert_cmpuint (found->len, ==, 1);

  return g_bytes_ref (g_ptr_array_index (found, 0));
}

static char *
dup_body (GBytes *message)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (message, &length);
  const char *separator = g_strstr_len (data, length, "\r\n\r\n");

  g_assert_nonnull (separator);
  separator += 4;

  return g_strndup (separator, length - (separator - data));
}

static char *
dup_header_block (GBytes *message)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (message, &length);
  const char *separator = g_strstr_len (data, length, "\r\n\r\n");

  g_assert_nonnull (separator);

  return g_strndup (data, separator - data + 2);
}

/* What every test has: the trust store of a user who added the harness's CA, and the
 * test's client, which only the fixture holds; for the test that speaks SMTP itself, also
 * its bare connection. */
typedef struct
{
  GTlsDatabase   *database;
  MailSmtpClient *client;
  MailConnection *connection;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->database = mail_test_tls_database ();
}

/* Ends the test's client, if there is one, as the teardown does: it must take its
 * connection with it, and a leaked reference fails here. */
static void
fixture_end_client (Fixture *fixture)
{
  if (fixture->client != NULL)
    {
      MailConnection *connection = mail_smtp_client_get_connection (fixture->client);

      mail_test_assert_finalize_client (g_steal_pointer (&fixture->client), connection);
    }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  fixture_end_client (fixture);

  if (fixture->connection != NULL)
    {
      mail_test_wait_for_last_ref (fixture->connection);
      g_assert_finalize_object (g_steal_pointer (&fixture->connection));
    }

  /* With every connection gone, nothing holds the trust store any more. */
  mail_test_wait_for_last_ref (fixture->database);
  g_assert_finalize_object (g_steal_pointer (&fixture->database));
}

/* A client for the harness's Postfix, kept in the fixture, which ends (and checks) the one
 * it held before: a test with one session after another has each of them checked. */
static MailSmtpClient *
fixture_client (Fixture      *fixture,
                MailSecurity  security)
{
  fixture_end_client (fixture);
  fixture->client = smtp_client (fixture->database, security);

  return fixture->client;
}

static MailSmtpClient *
fixture_signed_in (Fixture      *fixture,
                   MailSecurity  security)
{
  fixture_end_client (fixture);
  fixture->client = signed_in (fixture->database, security);

  return fixture->client;
}

/* ---------------------------------------------------------------------------------- */

static void
test_implicit_tls (Fixture       *fixture,
                   gconstpointer  user_data)
{
  MailSmtpClient *client = fixture_client (fixture, MAIL_SECURITY_TLS);
  g_autoptr (GError) error = NULL;
  g_autoptr (MailSmtpResult) result = NULL;
  g_autoptr (GBytes) bob_copy = NULL;
  g_autoptr (GBytes) alice_copy = NULL;
  g_autofree char *password = password_of (ALICE);
  g_autofree char *test_id = new_test_id ("tls");
  g_autofree char *bob_headers = NULL;
  g_autofree char *alice_headers = NULL;
  g_autofree char *body = NULL;
  g_auto (GStrv) capabilities = NULL;
  g_auto (GStrv) mechanisms = NULL;
  GMimeMessage *message;
  GMimeTextPart *part;
  MailCertificateInfo *certificate;

  g_assert_true (mail_smtp_client_connect_sync (client, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mail_connection_is_encrypted (mail_smtp_client_get_connection (client)));
  certificate =
    mail_connection_get_peer_certificate_info (mail_smtp_client_get_connection (client));
  g_assert_nonnull (certificate);
  g_assert_cmpuint (mail_certificate_info_get_errors (certificate), ==, 0);

  capabilities = mail_smtp_client_dup_capabilities (client);
  g_assert_true (g_strv_contains ((const char * const *) capabilities, "PIPELINING"));
  g_assert_true (g_strv_contains ((const char * const *) capabilities, "8BITMIME"));
  g_assert_true (g_strv_contains ((const char * const *) capabilities, "ENHANCEDSTATUSCODES"));
  g_assert_true (mail_smtp_client_has_extension (client, MAIL_SMTP_EXTENSION_SMTPUTF8));
  g_assert_cmpuint (mail_smtp_client_get_max_size (client), ==, 26214400);
  mechanisms = mail_smtp_client_dup_auth_mechanisms (client);
  g_assert_true (g_strv_contains ((const char * const *) mechanisms, "PLAIN"));
  g_assert_true (g_strv_contains ((const char * const *) mechanisms, "LOGIN"));

  g_assert_true (mail_smtp_client_login_sync (client, ALICE, password, NULL, &error));
  g_assert_no_error (error);

  message = g_mime_message_new (TRUE);
  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_FROM, "Alice", ALICE);
  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_TO, "Bob", BOB);
  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_BCC, "Alice (copy)", ALICE);
  g_mime_message_set_subject (message, "Gr\xc3\xbc\xc3\x9f" "e over 465", "utf-8");
  g_mime_object_set_header (GMIME_OBJECT (message), "X-Test-Id", test_id, NULL);
  part = g_mime_text_part_new_with_subtype ("plain");
  g_mime_text_part_set_text (part, "Hello Bob,\n.\nthe line above is a lone dot.\n");
  g_mime_message_set_mime_part (message, GMIME_OBJECT (part));
  g_object_unref (part);

  g_assert_true (mail_smtp_client_send_message_sync (client, message, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (mail_smtp_result_get_outcome (result), ==, MAIL_SMTP_OUTCOME_SENT);
  g_assert_cmpuint (mail_smtp_result_get_n_accepted (result), ==, 2);
  g_assert_cmpuint (mail_smtp_reply_get_code (mail_smtp_result_get_data_reply (result)), ==, 250);
  g_assert_cmpstr (mail_smtp_reply_get_enhanced_code (mail_smtp_result_get_data_reply (result)),
                   ==, "2.0.0");
  g_object_unref (message);

  g_assert_true (mail_smtp_client_quit_sync (client, NULL, &error));
  g_assert_no_error (error);

  /* Bob has it, without the Bcc header. */
  bob_copy = wait_for_message (fixture->database, BOB, test_id);
  bob_headers = dup_header_block (bob_copy);
  g_assert_nonnull (strstr (bob_headers, "\r\nTo: Bob <" BOB ">\r\n"));
  g_assert_nonnull (strstr (bob_headers, "Subject: =?"));
  g_assert_null (strstr (bob_headers, "Bcc"));
  g_assert_null (strstr (bob_headers, "copy"));
  body = dup_body (bob_copy);
  g_assert_cmpstr (body, ==, "Hello Bob,\r\n.\r\nthe line above is a lone dot.\r\n");

  /* Alice got her blind copy through the envelope alone. */
  alice_copy = wait_for_message (fixture->database, ALICE, test_id);
  alice_headers = dup_header_block (alice_copy);
  g_assert_null (strstr (alice_headers, "Bcc"));
}

static void
test_starttls (Fixture       *fixture,
               gconstpointer  user_data)
{
  MailSmtpClient *client = fixture_client (fixture, MAIL_SECURITY_STARTTLS);
  g_autoptr (GError) error = NULL;
  g_autoptr (MailSmtpResult) result = NULL;
  g_autoptr (GBytes) message = NULL;
  g_autoptr (GPtrArray) arrived = NULL;
  g_autoptr (GPtrArray) smuggled = NULL;
  g_autofree char *password = password_of (ALICE);
  g_autofree char *test_id = new_test_id ("starttls");
  g_autofree char *smuggled_id = new_test_id ("smuggled");
  g_autofree char *text = NULL;
  g_autofree char *body = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *log = NULL;
  g_auto (GStrv) mechanisms = NULL;
  g_auto (GStrv) lines = NULL;
  const char *recipients[] = { BOB, NULL };
  gboolean tls_started = FALSE;

  g_assert_true (mail_smtp_client_connect_sync (client, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mail_connection_is_encrypted (mail_smtp_client_get_connection (client)));

  /* After TLS, AUTH is offered; the capabilities are the ones of the second EHLO. */
  mechanisms = mail_smtp_client_dup_auth_mechanisms (client);
  g_assert_true (g_strv_contains ((const char * const *) mechanisms, "PLAIN"));
  g_assert_false (mail_smtp_client_has_extension (client, MAIL_SMTP_EXTENSION_STARTTLS));

  g_assert_true (mail_smtp_client_login_sync (client, ALICE, password, NULL, &error));
  g_assert_no_error (error);

  /* Every way a body can try to end the data early (SMTP smuggling). */
  text = g_strdup_printf ("From: " ALICE "\r\nTo: " BOB "\r\nSubject: smuggling\r\n"
                          "X-Test-Id: %s\r\n\r\n"
                          "line one\n.\nMAIL FROM:<" ALICE ">\nRCPT TO:<" BOB ">\nDATA\n"
                          "X-Test-Id: %s\n\nsmuggled LF\n.\n"
                          "two\r.\rMAIL FROM:<" ALICE ">\r"
                          "three\r\n.\nfour\n.\r\nfive\r\n..\r\nsix",
                          test_id, smuggled_id);
  message = g_bytes_new (text, strlen (text));

  g_assert_true (mail_smtp_client_send_sync (client, ALICE, recipients, message, &result, NULL,
                                             &error));
  g_assert_no_error (error);
  g_assert_cmpint (mail_smtp_result_get_outcome (result), ==, MAIL_SMTP_OUTCOME_SENT);
  g_assert_true (mail_smtp_client_quit_sync (client, NULL, &error));

  /* No AUTH before TLS: not in the server's first EHLO, and nothing secret sent. */
  log = log_text (client);
  lines = g_strsplit (log, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (strstr (lines[i], "-- starting TLS") != NULL)
        tls_started = TRUE;
      if (!tls_started)
        {
          g_assert_null (strstr (lines[i], "AUTH"));
          g_assert_null (strstr (lines[i], "******"));
        }
    }
  g_assert_true (tls_started);
  g_assert_null (strstr (log, password));

  /* Exactly one message arrived, with every line of the body in it, and no second one
   * was cut out of it. */
  arrived = wait_for_messages (fixture->database, BOB, test_id, 1);
  g_assert_cmpuint (arrived->len, ==, 1);
  body = dup_body (g_ptr_array_index (arrived, 0));
  expected = g_strdup_printf ("line one\r\n.\r\nMAIL FROM:<" ALICE ">\r\nRCPT TO:<" BOB ">\r\n"
                              "DATA\r\nX-Test-Id: %s\r\n\r\nsmuggled LF\r\n.\r\n"
                              "two\r\n.\r\nMAIL FROM:<" ALICE ">\r\n"
                              "three\r\n.\r\nfour\r\n.\r\nfive\r\n..\r\nsix\r\n",
                              smuggled_id);
  g_assert_cmpstr (body, ==, expected);

  smuggled = wait_for_messages (fixture->database, BOB, smuggled_id, 0);
  g_assert_cmpuint (smuggled->len, ==, 0);
}

static void
test_partial_acceptance (Fixture       *fixture,
                         gconstpointer  user_data)
{
  MailSmtpClient *client = fixture_signed_in (fixture, MAIL_SECURITY_TLS);
  g_autoptr (GError) error = NULL;
  g_autoptr (MailSmtpResult) result = NULL;
  g_autoptr (GBytes) message = NULL;
  g_autoptr (GBytes) copy = NULL;
  g_autofree char *test_id = new_test_id ("partial");
  g_autofree char *text = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *description = NULL;
  const char *recipients[] = { BOB, "nobody@example.test", NULL };

  text = g_strdup_printf ("From: " ALICE "\r\nTo: " BOB ", nobody@example.test\r\n"
                          "Subject: partial\r\nX-Test-Id: %s\r\n\r\nhello\r\n",
                          test_id);
  message = g_bytes_new (text, strlen (text));

  g_assert_true (mail_smtp_client_send_sync (client, ALICE, recipients, message, &result, NULL,
                                             &error));
  g_assert_no_error (error);

  /* Reported, not hidden: accepted for Bob, refused for nobody. */
  g_assert_cmpint (mail_smtp_result_get_outcome (result), ==, MAIL_SMTP_OUTCOME_PARTIAL);
  g_assert_true (mail_smtp_result_get_accepted (result));
  g_assert_cmpuint (mail_smtp_result_get_n_accepted (result), ==, 1);
  g_assert_cmpuint (mail_smtp_result_get_n_rejected (result), ==, 1);
  g_assert_true (mail_smtp_result_get_recipient_accepted (result, 0));
  g_assert_false (mail_smtp_result_get_recipient_accepted (result, 1));
  g_assert_cmpuint (mail_smtp_result_get_recipient_code (result, 1), ==, 550);
  g_assert_cmpstr (mail_smtp_result_get_recipient_enhanced_code (result, 1), ==, "5.1.1");
  reason = mail_smtp_result_dup_recipient_text (result, 1);
  g_assert_nonnull (strstr (reason, "nobody@example.test"));
  description = mail_smtp_result_describe (result);
  g_assert_nonnull (strstr (description, "550 5.1.1"));

  g_assert_true (mail_smtp_client_quit_sync (client, NULL, &error));
  copy = wait_for_message (fixture->database, BOB, test_id);
}

static void
test_size_limit (Fixture       *fixture,
                 gconstpointer  user_data)
{
  MailSmtpClient *client = fixture_signed_in (fixture, MAIL_SECURITY_STARTTLS);
  g_autoptr (GError) error = NULL;
  g_autoptr (MailSmtpResult) result = NULL;
  g_autoptr (GBytes) message = NULL;
  g_autoptr (GString) text = g_string_sized_new (27 * 1024 * 1024);
  g_autofree char *log = NULL;
  const char *recipients[] = { BOB, NULL };
  guint64 limit = mail_smtp_client_get_max_size (client);
  gsize length;

  /* Postfix announces its message_size_limit as SIZE. */
  g_assert_cmpuint (limit, ==, 26214400);

  g_string_append (text, "From: " ALICE "\r\nTo: " BOB "\r\nSubject: too big\r\n\r\n");
  while (text->len <= limit)
    g_string_append (text, "0123456789012345678901234567890123456789012345678901234567890123"
                           "456789\r\n");
  length = text->len;
  message = g_bytes_new_take (g_string_free (g_steal_pointer (&text), FALSE), length);

  mail_protocol_log_clear (mail_connection_get_log (mail_smtp_client_get_connection (client)));
  g_assert_false (mail_smtp_client_send_sync (client, ALICE, recipients, message, &result, NULL,
                                              &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_MESSAGE_TOO_LARGE);
  /* Sizes this close are given in bytes too. */
  g_assert_nonnull (strstr (error->message, "26.2"));
  g_assert_nonnull (strstr (error->message, "bytes)"));
  g_assert_null (result);
  g_clear_error (&error);

  /* Refused here: not a byte of it went to the server. */
  log = log_text (client);
  g_assert_null (strstr (log, "MAIL FROM"));
  g_assert_true (mail_smtp_client_noop_sync (client, NULL, &error));
  g_assert_no_error (error);
  mail_smtp_client_quit_sync (client, NULL, NULL);
}

static void
test_wrong_password (Fixture       *fixture,
                     gconstpointer  user_data)
{
  for (guint i = 0; i < 2; i++)
    {
      MailSecurity security = i == 0 ? MAIL_SECURITY_TLS : MAIL_SECURITY_STARTTLS;
      MailSmtpClient *client = fixture_client (fixture, security);
      g_autoptr (GError) error = NULL;
      g_autofree char *log = NULL;

      g_assert_true (mail_smtp_client_connect_sync (client, NULL, &error));
      g_assert_no_error (error);
      g_assert_false (mail_smtp_client_login_sync (client, ALICE, "not-the-password", NULL,
                                                   &error));
      g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_AUTH_FAILED);
      g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_AUTH_FAILED);
      g_assert_cmpstr (mail_smtp_reply_get_enhanced_code (mail_smtp_error_get_reply (error)), ==,
                       "5.7.8");
      g_assert_cmpint (mail_smtp_client_get_state (client), ==, MAIL_SMTP_STATE_CONNECTED);

      log = log_text (client);
      g_assert_null (strstr (log, "not-the-password"));
      mail_smtp_client_quit_sync (client, NULL, NULL);
    }
}

/* Postfix offers AUTH on 587 only after STARTTLS: seen with a bare connection, and with a
 * client that was allowed plaintext and still finds nothing to sign in with. */
static void
test_no_auth_before_tls (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autofree char *host = mail_test_harness_get ("smtp", "host");
  guint16 port = mail_test_harness_get_port ("smtp", "starttls-port");
  g_autofree char *password = password_of (ALICE);
  MailConnection *connection = mail_connection_new (host, port, MAIL_SECURITY_NONE, NULL);
  MailSmtpClient *client = fixture_client (fixture, MAIL_SECURITY_NONE);
  g_autoptr (GError) error = NULL;
  g_autofree char *greeting = NULL;
  gboolean starttls = FALSE;

  /* The fixture holds the bare connection too, for the teardown's check. */
  fixture->connection = connection;

  g_assert_true (mail_connection_connect_sync (connection, NULL, &error));
  g_assert_no_error (error);
  greeting = mail_connection_read_line_sync (connection, MAIL_CONNECTION_IO_NONE, NULL, NULL,
                                             &error);
  g_assert_true (g_str_has_prefix (greeting, "220 "));
  g_assert_true (mail_connection_write_line_sync (connection, "EHLO [127.0.0.1]", NULL, &error));
  for (;;)
    {
      g_autofree char *line = mail_connection_read_line_sync (connection,
                                                              MAIL_CONNECTION_IO_NONE, NULL,
                                                              NULL, &error);

      g_assert_no_error (error);
      g_assert_true (g_str_has_prefix (line, "250"));
      g_assert_null (strstr (line, "AUTH"));
      if (strstr (line, "STARTTLS") != NULL)
        starttls = TRUE;
      if (line[3] == ' ')
        break;
    }
  g_assert_true (starttls);
  mail_connection_close_sync (connection, NULL, NULL);

  mail_smtp_client_set_allow_plaintext_password (client, TRUE);
  g_assert_true (mail_smtp_client_connect_sync (client, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mail_smtp_client_has_extension (client, MAIL_SMTP_EXTENSION_STARTTLS));
  g_assert_false (mail_smtp_client_has_extension (client, MAIL_SMTP_EXTENSION_AUTH));
  g_assert_false (mail_smtp_client_login_sync (client, ALICE, password, NULL, &error));
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_NO_MECHANISM);
  mail_smtp_client_quit_sync (client, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  mail_test_harness_load ();
  g_test_init (&argc, &argv, NULL);
  g_mime_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/mail/smtp/live/implicit-tls", test_implicit_tls);
  ADD ("/mail/smtp/live/starttls-smuggling", test_starttls);
  ADD ("/mail/smtp/live/partial-acceptance", test_partial_acceptance);
  ADD ("/mail/smtp/live/size-limit", test_size_limit);
  ADD ("/mail/smtp/live/wrong-password", test_wrong_password);
  ADD ("/mail/smtp/live/no-auth-before-tls", test_no_auth_before_tls);

#undef ADD

  return g_test_run ();
}
