/* test-pop3-hostile.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* MailPop3Client against scripted fake servers, for what Dovecot will not do: STLS
 * missing, refused or followed by injected bytes, plaintext, dropped connections in the
 * middle of a message, huge lines, stalls, garbage, response codes, duplicate ids, and
 * the rule that nothing is deleted before it is stored. In every failure case the
 * transcript shows that the password never left. */

#include "config.h"

#include <string.h>

#include "mail-fake-server.h"
#include "mail-net-error.h"
#include "mail-pop3-client.h"
#include "mail-test-certs.h"
#include "mail-test-util.h"
#include "mail-tls-database.h"

#define USER     "alice@example.test"
#define PASSWORD "Pa55-w0rd-not-on-the-wire"

static MailTestCerts *certs;

/* The client's protocol log (passwords removed), as text. */
static char *
log_text (MailPop3Client *client)
{
  MailConnection *connection = mail_pop3_client_get_connection (client);

  return mail_protocol_log_to_string (mail_connection_get_log (connection));
}

/* The fake server a test starts with, given as g_test_add()'s test data. */
typedef enum
{
  SERVER_TLS,          /* certificate of the test CA, implicit TLS */
  SERVER_STARTTLS,     /* certificate of the test CA, TLS after STLS */
  SERVER_PLAINTEXT,    /* no certificate at all */
  SERVER_SELF_SIGNED,  /* a self-signed certificate, implicit TLS */
} ServerKind;

/* What every test has: a fake server of its kind, the trust store of a user who added the
 * test CA, and the client, which fixture_client() makes and the fixture alone holds. */
typedef struct
{
  ServerKind      kind;
  GTlsDatabase   *database;
  MailFakeServer *server;
  MailPop3Client *client;
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
      MailConnection *connection = mail_pop3_client_get_connection (fixture->client);

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
static MailPop3Client *
fixture_client (Fixture      *fixture,
                MailSecurity  security)
{
  MailPop3Client *client;

  g_assert_null (fixture->client);
  client = mail_pop3_client_new ("127.0.0.1", mail_fake_server_get_port (fixture->server),
                                 security, fixture->database);
  mail_connection_set_timeout (mail_pop3_client_get_connection (client),
                               MAIL_CONNECTION_PHASE_GREETING, 5);
  mail_connection_set_timeout (mail_pop3_client_get_connection (client),
                               MAIL_CONNECTION_PHASE_COMMAND, 5);
  fixture->client = client;

  return client;
}

/* Neither the password nor any SASL response holding it reached the server. */
static void
assert_no_password (MailFakeServer *server,
                    MailPop3Client *client)
{
  g_autofree char *transcript = mail_fake_server_dup_transcript (server);
  g_autofree char *log = log_text (client);

  mail_fake_server_assert_no_credentials (server, USER, PASSWORD);
  g_assert_null (strstr (transcript, "PASS"));
  g_assert_null (strstr (transcript, "AUTH"));
  g_assert_null (strstr (transcript, "USER"));
  g_assert_null (strstr (log, PASSWORD));
  /* Nothing at all went out after the point of failure. */
  g_assert_cmpuint (mail_fake_server_get_waited_bytes (server), ==, 0);
}

static void
script_capa (MailFakeServer *server,
             const char     *capabilities)
{
  g_autofree char *reply = g_strdup_printf ("+OK Capability list follows\r\n%s.\r\n",
                                            capabilities);

  mail_fake_server_expect (server, "CAPA");
  mail_fake_server_send (server, reply);
}

#define STANDARD_CAPA "TOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nUSER\r\nSASL PLAIN LOGIN\r\n"

/* Greeting, CAPA and a successful AUTH PLAIN, with CAPA after it. */
static void
script_signed_in (MailFakeServer *server,
                  const char     *capabilities)
{
  mail_fake_server_send (server, "+OK POP3 ready <1.2@example.test>\r\n");
  script_capa (server, capabilities);
  mail_fake_server_expect (server, "AUTH PLAIN *");
  mail_fake_server_send (server, "+OK Logged in.\r\n");
  script_capa (server, capabilities);
}

static MailPop3Client *
fixture_signed_in (Fixture *fixture)
{
  MailPop3Client *client = fixture_client (fixture, MAIL_SECURITY_TLS);
  g_autoptr (GError) error = NULL;

  g_assert_true (mail_pop3_client_connect_sync (client, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mail_pop3_client_login_sync (client, USER, PASSWORD, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (mail_pop3_client_get_state (client), ==, MAIL_POP3_STATE_TRANSACTION);

  return client;
}

static gboolean
bytes_equal_str (GBytes     *bytes,
                 const char *text)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);

  return length == strlen (text) && memcmp (data, text, length) == 0;
}

/* ---------------------------------------------------------------------------------- */

static void
test_session (Fixture       *fixture,
              gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailPop3Client *client;
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) list = NULL;
  g_autoptr (GArray) uids = NULL;
  g_autoptr (GBytes) top = NULL;
  g_autoptr (GPtrArray) tokens = NULL;
  g_autofree char *transcript = NULL;
  g_autofree char *log = NULL;
  g_auto (GStrv) capabilities = NULL;
  g_auto (GStrv) mechanisms = NULL;
  g_autofree char *plain = g_base64_encode ((const guchar *) "\0" USER "\0" PASSWORD,
                                            strlen (USER) + strlen (PASSWORD) + 2);
  MailPop3Retrieved *first;
  guint numbers[] = { 1, 2 };
  guint count = 0;
  guint64 size = 0;

  script_signed_in (server, STANDARD_CAPA);
  mail_fake_server_expect (server, "STAT");
  mail_fake_server_send (server, "+OK 2 320\r\n");
  mail_fake_server_expect (server, "LIST");
  mail_fake_server_send (server, "+OK 2 messages\r\n1 120\r\n2 200\r\n.\r\n");
  mail_fake_server_expect (server, "UIDL");
  mail_fake_server_send (server, "+OK\r\n1 uid-one\r\n2 uid-two\r\n.\r\n");
  mail_fake_server_expect (server, "TOP 1 0");
  mail_fake_server_send (server, "+OK\r\nSubject: one\r\n\r\n.\r\n");
  /* Both RETR before any answer: this only passes if the client pipelines. */
  mail_fake_server_expect (server, "RETR 1");
  mail_fake_server_expect (server, "RETR 2");
  mail_fake_server_send (server, "+OK 120 octets\r\nSubject: one\r\n\r\n..leading dot\r\n"
                                 "...\r\nlast line\r\n.\r\n"
                                 "+OK\r\nSubject: two\r\n\r\nbody\r\n.\r\n");
  mail_fake_server_expect (server, "DELE 1");
  mail_fake_server_send (server, "+OK marked\r\n");
  mail_fake_server_expect (server, "QUIT");
  mail_fake_server_send (server, "+OK bye\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_signed_in (fixture);

  capabilities = mail_pop3_client_dup_capabilities (client);
  g_assert_true (g_strv_contains ((const char * const *) capabilities, "PIPELINING"));
  g_assert_true (g_strv_contains ((const char * const *) capabilities, "SASL PLAIN LOGIN"));
  mechanisms = mail_pop3_client_dup_auth_mechanisms (client);
  g_assert_cmpuint (g_strv_length (mechanisms), ==, 2);
  g_assert_cmpstr (mechanisms[0], ==, "PLAIN");
  g_assert_true (mail_pop3_client_has_capability (client, "top"));
  g_assert_false (mail_pop3_client_has_capability (client, "STLS"));
  g_assert_nonnull (mail_connection_get_peer_certificate_info (
                      mail_pop3_client_get_connection (client)));

  g_assert_true (mail_pop3_client_stat_sync (client, &count, &size, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 2);
  g_assert_cmpuint (size, ==, 320);

  list = mail_pop3_client_list_sync (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpuint (g_array_index (list, MailPop3ListEntry, 1).number, ==, 2);
  g_assert_cmpuint (g_array_index (list, MailPop3ListEntry, 1).size, ==, 200);

  uids = mail_pop3_client_uidl_sync (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (uids->len, ==, 2);
  g_assert_cmpstr (g_array_index (uids, MailPop3UidlEntry, 0).uid, ==, "uid-one");

  top = mail_pop3_client_top_sync (client, 1, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (bytes_equal_str (top, "Subject: one\r\n\r\n"));

  tokens = mail_pop3_client_retrieve_many_sync (client, numbers, 2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tokens->len, ==, 2);
  first = g_ptr_array_index (tokens, 0);
  g_assert_cmpuint (mail_pop3_retrieved_get_number (first), ==, 1);
  g_assert_cmpstr (mail_pop3_retrieved_get_uid (first), ==, "uid-one");
  g_assert_true (bytes_equal_str (mail_pop3_retrieved_get_bytes (first),
                                  "Subject: one\r\n\r\n.leading dot\r\n..\r\nlast line\r\n"));
  g_assert_cmpuint (mail_pop3_retrieved_get_size (first), ==, 45);
  g_assert_cmpstr (mail_pop3_retrieved_get_uid (g_ptr_array_index (tokens, 1)), ==, "uid-two");

  /* Not stored yet: a programming error, and nothing goes to the server. */
  g_test_expect_message ("mail-pop3", G_LOG_LEVEL_CRITICAL, "*not been marked stored*");
  g_assert_false (mail_pop3_client_delete_sync (client, first, NULL, &error));
  g_test_assert_expected_messages ();
  g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_NOT_STORED);
  g_clear_error (&error);

  /* Stored: deleted. */
  mail_pop3_retrieved_mark_stored (first);
  g_assert_true (mail_pop3_retrieved_is_stored (first));
  g_assert_true (mail_pop3_client_delete_sync (client, first, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (mail_pop3_client_quit_sync (client, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (mail_pop3_client_get_state (client), ==, MAIL_POP3_STATE_DISCONNECTED);

  /* A token outlives its session, but cannot delete in another one. */
  g_assert_false (mail_pop3_client_delete_sync (client, first, NULL, &error));
  g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_STATE);

  mail_fake_server_assert_finished (server, 1);
  transcript = mail_fake_server_dup_transcript (server);
  g_assert_null (strstr (transcript, "DELE 2"));
  g_assert_nonnull (strstr (transcript, plain));

  /* The log has the exchange, with the password redacted and bodies by size only. */
  log = log_text (client);
  g_assert_nonnull (strstr (log, "C: AUTH PLAIN ******"));
  g_assert_null (strstr (log, plain));
  g_assert_null (strstr (log, "leading dot"));
}

static void
test_retrieve_single_and_sequential (Fixture       *fixture,
                                     gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailPop3Client *client;
  g_autoptr (GError) error = NULL;
  g_autoptr (MailPop3Retrieved) retrieved = NULL;
  g_autoptr (GPtrArray) tokens = NULL;
  g_autoptr (GBytes) stolen = NULL;
  guint numbers[] = { 3, 4 };

  /* No PIPELINING: one RETR at a time. */
  script_signed_in (server, "UIDL\r\nTOP\r\nSASL PLAIN\r\n");
  mail_fake_server_expect (server, "RETR 2");
  mail_fake_server_send (server, "+OK\r\nline\r\n.\r\n");
  mail_fake_server_expect (server, "RETR 3");
  mail_fake_server_send (server, "+OK\r\nthree\r\n.\r\n");
  mail_fake_server_expect (server, "RETR 4");
  mail_fake_server_send (server, "+OK\r\nfour\r\n.\r\n");
  mail_fake_server_expect (server, "QUIT");
  mail_fake_server_send (server, "+OK\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_signed_in (fixture);

  retrieved = mail_pop3_client_retrieve_sync (client, 2, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (mail_pop3_retrieved_get_uid (retrieved));
  stolen = mail_pop3_retrieved_steal_bytes (retrieved);
  g_assert_true (bytes_equal_str (stolen, "line\r\n"));
  g_assert_null (mail_pop3_retrieved_get_bytes (retrieved));

  tokens = mail_pop3_client_retrieve_many_sync (client, numbers, 2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tokens->len, ==, 2);

  g_assert_true (mail_pop3_client_quit_sync (client, NULL, &error));
  mail_fake_server_assert_finished (server, 1);
}

static void
test_stls_not_offered (Fixture       *fixture,
                       gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailPop3Client *client;
  g_autoptr (GError) error = NULL;

  mail_fake_server_send (server, "+OK ready\r\n");
  script_capa (server, "USER\r\nSASL PLAIN\r\nUIDL\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_client (fixture, MAIL_SECURITY_STARTTLS);
  g_assert_false (mail_pop3_client_connect_sync (client, NULL, &error));
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_STARTTLS_NOT_OFFERED);
  g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_STARTTLS_UNAVAILABLE);
  g_assert_cmpint (mail_pop3_client_get_state (client), ==, MAIL_POP3_STATE_DISCONNECTED);
  g_clear_error (&error);

  /* And no way to sign in on what is left. */
  g_assert_false (mail_pop3_client_login_sync (client, USER, PASSWORD, NULL, &error));
  g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_STATE);

  mail_fake_server_assert_finished (server, 1);
  assert_no_password (server, client);
}

static void
test_stls_capa_unsupported (Fixture       *fixture,
                            gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailPop3Client *client;
  g_autoptr (GError) error = NULL;

  mail_fake_server_send (server, "+OK ready\r\n");
  mail_fake_server_expect (server, "CAPA");
  mail_fake_server_send (server, "-ERR unknown command\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_client (fixture, MAIL_SECURITY_STARTTLS);
  g_assert_false (mail_pop3_client_connect_sync (client, NULL, &error));
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_STARTTLS_NOT_OFFERED);

  mail_fake_server_assert_finished (server, 1);
  assert_no_password (server, client);
}

static void
test_stls_refused (Fixture       *fixture,
                   gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailPop3Client *client;
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;

  mail_fake_server_send (server, "+OK ready\r\n");
  script_capa (server, "STLS\r\nUSER\r\n");
  mail_fake_server_expect (server, "STLS");
  mail_fake_server_send (server, "-ERR [SYS/TEMP] Call 555-0100 to fix your account\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_client (fixture, MAIL_SECURITY_STARTTLS);
  g_assert_false (mail_pop3_client_connect_sync (client, NULL, &error));
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_STARTTLS_REFUSED);
  g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_STARTTLS_UNAVAILABLE);
  /* Plaintext words of the server are not shown: anyone could have written them. */
  message = mail_error_describe (error);
  g_assert_null (strstr (message, "555-0100"));

  mail_fake_server_assert_finished (server, 1);
  assert_no_password (server, client);
}

static void
test_stls_injection (Fixture       *fixture,
                     gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailPop3Client *client;
  g_autoptr (GError) error = NULL;

  mail_fake_server_send (server, "+OK ready\r\n");
  script_capa (server, "STLS\r\n");
  mail_fake_server_expect (server, "STLS");
  /* EAST's POP3 B_1: a forged CAPA answer in the same segment as the go-ahead. */
  mail_fake_server_send (server, "+OK Begin TLS\r\n+OK\r\nSASL PLAIN\r\n.\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_client (fixture, MAIL_SECURITY_STARTTLS);
  g_assert_false (mail_pop3_client_connect_sync (client, NULL, &error));
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_STARTTLS_INJECTION);
  g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_STARTTLS_UNAVAILABLE);
  g_assert_cmpint (mail_pop3_client_get_state (client), ==, MAIL_POP3_STATE_DISCONNECTED);

  mail_fake_server_assert_finished (server, 1);
  /* Not even a TLS hello went out. */
  assert_no_password (server, client);
}

/* Whatever follows the go-ahead, even what the line reader would refuse on its own (a
 * line without its end, a line far over the limit), is injected and fails the upgrade. */
static void
test_stls_injection_unfinished (Fixture       *fixture,
                                gconstpointer  user_data)
{
  static const char partial[] = "+OK Begin TLS\r\n+OK\r\nSASL PL";
  gsize huge_length = 2 * 1024 * 1024;
  char *huge = g_malloc (huge_length + 5);
  GBytes *tails[2];

  memcpy (huge, "+OK\r\n", 5);
  memset (huge + 5, 'A', huge_length);
  tails[0] = g_bytes_new_static (partial, strlen (partial));
  tails[1] = g_bytes_new_take (huge, huge_length + 5);

  for (guint i = 0; i < G_N_ELEMENTS (tails); i++)
    {
      MailFakeServer *server = fixture_case (fixture, i);
      MailPop3Client *client;
      g_autoptr (GError) error = NULL;
      g_autofree char *transcript = NULL;

      mail_fake_server_send (server, "+OK ready\r\n");
      script_capa (server, "STLS\r\n");
      mail_fake_server_expect (server, "STLS");
      mail_fake_server_send_bytes (server, tails[i]);
      mail_fake_server_wait_close (server);
      mail_fake_server_start (server);

      client = fixture_client (fixture, MAIL_SECURITY_STARTTLS);
      g_assert_false (mail_pop3_client_connect_sync (client, NULL, &error));
      g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_STARTTLS_INJECTION);
      g_assert_false (mail_connection_is_connected (mail_pop3_client_get_connection (client)));
      g_assert_cmpint (mail_pop3_client_get_state (client), ==, MAIL_POP3_STATE_DISCONNECTED);

      /* The server may fail to write all of a huge tail to a closed connection. */
      g_assert_true (mail_fake_server_wait_finished (server, 1, 10000));
      transcript = mail_fake_server_dup_transcript (server);
      g_assert_null (strstr (transcript, "CAPA\nCAPA"));
      g_assert_cmpuint (mail_fake_server_get_waited_bytes (server), ==, 0);
      g_bytes_unref (tails[i]);
    }
}

static void
test_stls_capabilities_after_tls (Fixture       *fixture,
                                  gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailPop3Client *client;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) capabilities = NULL;
  g_auto (GStrv) mechanisms = NULL;
  g_autofree char *user = g_base64_encode ((const guchar *) USER, strlen (USER));
  g_autofree char *password = g_base64_encode ((const guchar *) PASSWORD, strlen (PASSWORD));
  g_autofree char *expect_user = NULL;
  g_autofree char *expect_password = NULL;

  expect_user = g_strdup (user);
  expect_password = g_strdup (password);

  mail_fake_server_send (server, "+OK ready\r\n");
  /* Before TLS: what an attacker would like the client to believe. */
  script_capa (server, "STLS\r\nSASL PLAIN\r\nX-PRE-TLS\r\nUSER\r\n");
  mail_fake_server_expect (server, "STLS");
  mail_fake_server_send (server, "+OK Begin TLS\r\n");
  mail_fake_server_starttls (server);
  script_capa (server, "SASL LOGIN\r\nUIDL\r\n");
  mail_fake_server_expect (server, "AUTH LOGIN");
  mail_fake_server_send (server, "+ VXNlcm5hbWU6\r\n");
  mail_fake_server_expect (server, expect_user);
  mail_fake_server_send (server, "+ UGFzc3dvcmQ6\r\n");
  mail_fake_server_expect (server, expect_password);
  mail_fake_server_send (server, "+OK Logged in\r\n");
  script_capa (server, "SASL LOGIN\r\nUIDL\r\nTOP\r\n");
  mail_fake_server_expect (server, "QUIT");
  mail_fake_server_send (server, "+OK\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_client (fixture, MAIL_SECURITY_STARTTLS);
  g_assert_true (mail_pop3_client_connect_sync (client, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mail_connection_is_encrypted (mail_pop3_client_get_connection (client)));

  capabilities = mail_pop3_client_dup_capabilities (client);
  g_assert_false (g_strv_contains ((const char * const *) capabilities, "X-PRE-TLS"));
  g_assert_false (g_strv_contains ((const char * const *) capabilities, "STLS"));
  mechanisms = mail_pop3_client_dup_auth_mechanisms (client);
  g_assert_cmpuint (g_strv_length (mechanisms), ==, 1);
  g_assert_cmpstr (mechanisms[0], ==, "LOGIN");

  g_assert_true (mail_pop3_client_login_sync (client, USER, PASSWORD, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mail_pop3_client_has_capability (client, "TOP"));
  g_assert_true (mail_pop3_client_quit_sync (client, NULL, &error));

  mail_fake_server_assert_finished (server, 1);
}

static void
test_plaintext_refused (Fixture       *fixture,
                        gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailPop3Client *client;
  g_autoptr (GError) error = NULL;

  mail_fake_server_send (server, "+OK ready\r\n");
  script_capa (server, "USER\r\nSASL PLAIN LOGIN\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_client (fixture, MAIL_SECURITY_NONE);
  g_assert_true (mail_pop3_client_connect_sync (client, NULL, &error));
  g_assert_no_error (error);

  g_assert_false (mail_pop3_client_login_sync (client, USER, PASSWORD, NULL, &error));
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_PLAINTEXT_REFUSED);
  g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_TLS_REQUIRED);
  g_clear_error (&error);

  /* Whatever the method. */
  mail_pop3_client_set_auth (client, MAIL_POP3_AUTH_USER);
  g_assert_false (mail_pop3_client_login_sync (client, USER, PASSWORD, NULL, &error));
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_PLAINTEXT_REFUSED);

  mail_pop3_client_disconnect (client);
  mail_fake_server_assert_finished (server, 1);
  assert_no_password (server, client);
}

static void
test_plaintext_allowed (Fixture       *fixture,
                        gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailPop3Client *client;
  g_autoptr (GError) error = NULL;
  g_autofree char *log = NULL;

  /* A server without CAPA: USER/PASS. */
  mail_fake_server_send (server, "+OK ready\r\n");
  mail_fake_server_expect (server, "CAPA");
  mail_fake_server_send (server, "-ERR what?\r\n");
  mail_fake_server_expect (server, "USER " USER);
  mail_fake_server_send (server, "+OK\r\n");
  mail_fake_server_expect (server, "PASS " PASSWORD);
  mail_fake_server_send (server, "+OK\r\n");
  mail_fake_server_expect (server, "CAPA");
  mail_fake_server_send (server, "-ERR what?\r\n");
  mail_fake_server_expect (server, "TOP 1 5");
  mail_fake_server_send (server, "+OK\r\nSubject: x\r\n\r\n.\r\n");
  mail_fake_server_expect (server, "QUIT");
  mail_fake_server_send (server, "+OK\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_client (fixture, MAIL_SECURITY_NONE);
  mail_pop3_client_set_allow_plaintext_password (client, TRUE);
  g_assert_true (mail_pop3_client_connect_sync (client, NULL, &error));
  g_assert_true (mail_pop3_client_login_sync (client, USER, PASSWORD, NULL, &error));
  g_assert_no_error (error);

  /* Without CAPA, TOP is tried rather than assumed missing. */
  {
    g_autoptr (GBytes) top = mail_pop3_client_top_sync (client, 1, 5, NULL, &error);

    g_assert_no_error (error);
    g_assert_nonnull (top);
  }

  g_assert_true (mail_pop3_client_quit_sync (client, NULL, &error));
  mail_fake_server_assert_finished (server, 1);

  log = log_text (client);
  g_assert_nonnull (strstr (log, "C: PASS ******"));
  g_assert_null (strstr (log, PASSWORD));
}

static void
test_drop_mid_retr (Fixture       *fixture,
                    gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailPop3Client *client;
  g_autoptr (GError) error = NULL;
  g_autoptr (MailPop3Retrieved) retrieved = NULL;

  script_signed_in (server, STANDARD_CAPA);
  mail_fake_server_expect (server, "RETR 1");
  mail_fake_server_send (server, "+OK\r\nSubject: cut short\r\n\r\nhalf a mess");
  mail_fake_server_close (server);
  mail_fake_server_start (server);

  client = fixture_signed_in (fixture);
  retrieved = mail_pop3_client_retrieve_sync (client, 1, NULL, &error);
  g_assert_null (retrieved);
  g_assert_nonnull (error);
  g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_NETWORK);
  g_assert_cmpint (mail_pop3_client_get_state (client), ==, MAIL_POP3_STATE_DISCONNECTED);
  g_clear_error (&error);

  /* The session is gone: nothing can be deleted, nothing was QUIT. */
  g_assert_false (mail_pop3_client_noop_sync (client, NULL, &error));
  g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_STATE);

  mail_fake_server_assert_finished (server, 1);
}

static void
test_drop_mid_pipelined_retr (Fixture       *fixture,
                              gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailPop3Client *client;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) tokens = NULL;
  g_autofree char *transcript = NULL;
  guint numbers[] = { 1, 2, 3 };

  script_signed_in (server, STANDARD_CAPA);
  mail_fake_server_expect (server, "RETR 1");
  mail_fake_server_expect (server, "RETR 2");
  mail_fake_server_expect (server, "RETR 3");
  mail_fake_server_send (server, "+OK\r\nwhole\r\n.\r\n+OK\r\nhalf");
  mail_fake_server_close (server);
  mail_fake_server_start (server);

  client = fixture_signed_in (fixture);
  tokens = mail_pop3_client_retrieve_many_sync (client, numbers, 3, NULL, &error);
  g_assert_null (tokens);
  g_assert_nonnull (error);
  g_assert_cmpint (mail_pop3_client_get_state (client), ==, MAIL_POP3_STATE_DISCONNECTED);

  mail_fake_server_assert_finished (server, 1);
  transcript = mail_fake_server_dup_transcript (server);
  g_assert_null (strstr (transcript, "DELE"));
  g_assert_null (strstr (transcript, "QUIT"));
}

static void
test_err_in_batch (Fixture       *fixture,
                   gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailPop3Client *client;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) tokens = NULL;
  guint numbers[] = { 1, 2, 3 };

  script_signed_in (server, STANDARD_CAPA);
  mail_fake_server_expect (server, "RETR 1");
  mail_fake_server_expect (server, "RETR 2");
  mail_fake_server_expect (server, "RETR 3");
  mail_fake_server_send (server, "+OK\r\none\r\n.\r\n-ERR no such message\r\n"
                                 "+OK\r\nthree\r\n.\r\n");
  mail_fake_server_expect (server, "NOOP");
  mail_fake_server_send (server, "+OK\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_signed_in (fixture);
  tokens = mail_pop3_client_retrieve_many_sync (client, numbers, 3, NULL, &error);
  g_assert_null (tokens);
  g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "message 2"));
  g_clear_error (&error);

  /* The session stayed in step. */
  g_assert_true (mail_pop3_client_noop_sync (client, NULL, &error));
  g_assert_no_error (error);

  mail_pop3_client_disconnect (client);
  mail_fake_server_assert_finished (server, 1);
}

static void
test_huge_line (Fixture       *fixture,
                gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailPop3Client *client;
  g_autoptr (GError) error = NULL;
  g_autoptr (MailPop3Retrieved) retrieved = NULL;
  g_autofree char *line = g_strnfill (2 * 1024 * 1024, 'A');
  g_autoptr (GBytes) bytes = g_bytes_new_take (g_steal_pointer (&line), 2 * 1024 * 1024);

  script_signed_in (server, STANDARD_CAPA);
  mail_fake_server_expect (server, "RETR 1");
  mail_fake_server_send (server, "+OK\r\nSubject: long\r\n\r\n");
  mail_fake_server_send_bytes (server, bytes);
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_signed_in (fixture);
  retrieved = mail_pop3_client_retrieve_sync (client, 1, NULL, &error);
  g_assert_null (retrieved);
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_LIMIT);
  g_assert_cmpint (mail_pop3_client_get_state (client), ==, MAIL_POP3_STATE_DISCONNECTED);

  g_assert_true (mail_fake_server_wait_finished (server, 1, 10000));
}

static void
test_huge_greeting (Fixture       *fixture,
                    gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailPop3Client *client;
  g_autoptr (GError) error = NULL;
  g_autofree char *line = g_strnfill (1024 * 1024, 'x');

  line[0] = '+';
  line[1] = 'O';
  line[2] = 'K';
  line[3] = ' ';
  mail_fake_server_send (server, line);
  mail_fake_server_send (server, "\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_client (fixture, MAIL_SECURITY_TLS);
  g_assert_false (mail_pop3_client_connect_sync (client, NULL, &error));
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_LIMIT);
  g_assert_cmpint (mail_pop3_client_get_state (client), ==, MAIL_POP3_STATE_DISCONNECTED);

  g_assert_true (mail_fake_server_wait_finished (server, 1, 10000));
  assert_no_password (server, client);
}

static void
test_message_too_large (Fixture       *fixture,
                        gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailPop3Client *client;
  g_autoptr (GError) error = NULL;
  g_autoptr (MailPop3Retrieved) retrieved = NULL;
  g_autoptr (GString) body = g_string_new ("+OK\r\n");

  for (guint i = 0; i < 200; i++)
    g_string_append (body, "0123456789012345678901234567890123456789\r\n");
  g_string_append (body, ".\r\n");

  script_signed_in (server, STANDARD_CAPA);
  mail_fake_server_expect (server, "RETR 1");
  mail_fake_server_send (server, body->str);
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_signed_in (fixture);
  mail_pop3_client_set_max_message_size (client, 1000);
  retrieved = mail_pop3_client_retrieve_sync (client, 1, NULL, &error);
  g_assert_null (retrieved);
  g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_TOO_LARGE);
  g_assert_cmpint (mail_pop3_client_get_state (client), ==, MAIL_POP3_STATE_DISCONNECTED);

  mail_fake_server_assert_finished (server, 1);
}

static void
test_stall (Fixture       *fixture,
            gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailPop3Client *client;
  g_autoptr (GError) error = NULL;
  g_autoptr (MailPop3Retrieved) retrieved = NULL;
  gint64 start;
  gint64 elapsed;

  script_signed_in (server, STANDARD_CAPA);
  mail_fake_server_expect (server, "RETR 1");
  mail_fake_server_send (server, "+OK\r\nSubject: slow\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_signed_in (fixture);
  mail_connection_set_timeout (mail_pop3_client_get_connection (client),
                               MAIL_CONNECTION_PHASE_COMMAND, 1);

  start = g_get_monotonic_time ();
  retrieved = mail_pop3_client_retrieve_sync (client, 1, NULL, &error);
  elapsed = g_get_monotonic_time () - start;

  g_assert_null (retrieved);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_TIMEOUT);
  g_assert_cmpint (elapsed, >=, G_USEC_PER_SEC / 2);
  g_assert_cmpint (elapsed, <, 4 * G_USEC_PER_SEC);
  g_assert_cmpint (mail_pop3_client_get_state (client), ==, MAIL_POP3_STATE_DISCONNECTED);

  g_assert_true (mail_fake_server_wait_finished (server, 1, 10000));
}

static void
test_silent_greeting (Fixture       *fixture,
                      gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailPop3Client *client;
  g_autoptr (GError) error = NULL;
  gint64 start;

  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_client (fixture, MAIL_SECURITY_STARTTLS);
  mail_connection_set_timeout (mail_pop3_client_get_connection (client),
                               MAIL_CONNECTION_PHASE_GREETING, 1);

  start = g_get_monotonic_time ();
  g_assert_false (mail_pop3_client_connect_sync (client, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 4 * G_USEC_PER_SEC);

  g_assert_true (mail_fake_server_wait_finished (server, 1, 10000));
  assert_no_password (server, client);
}

static void
test_garbage_greeting (Fixture       *fixture,
                       gconstpointer  user_data)
{
  static const char * const greetings[] = {
    "220 smtp.example.test ESMTP\r\n",
    "* OK IMAP4rev1\r\n",
    "\x16\x03\x03\x01\x02garbage\r\n",
    "HTTP/1.1 400 Bad Request\r\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (greetings); i++)
    {
      MailFakeServer *server = fixture_case (fixture, i);
      MailPop3Client *client;
      g_autoptr (GError) error = NULL;

      mail_fake_server_send (server, greetings[i]);
      mail_fake_server_wait_close (server);
      mail_fake_server_start (server);

      client = fixture_client (fixture, MAIL_SECURITY_STARTTLS);
      g_assert_false (mail_pop3_client_connect_sync (client, NULL, &error));
      g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_PROTOCOL);
      g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_PROTOCOL);
      g_assert_cmpint (mail_pop3_client_get_state (client), ==, MAIL_POP3_STATE_DISCONNECTED);

      g_assert_true (mail_fake_server_wait_finished (server, 1, 10000));
      assert_no_password (server, client);
    }
}

static void
test_err_greeting (Fixture       *fixture,
                   gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailPop3Client *client;
  g_autoptr (GError) error = NULL;

  mail_fake_server_send (server, "-ERR [SYS/TEMP] too many connections\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_client (fixture, MAIL_SECURITY_TLS);
  g_assert_false (mail_pop3_client_connect_sync (client, NULL, &error));
  g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_SYS_TEMP);
  g_assert_true (mail_pop3_error_is_temporary (error));
  /* Over TLS, the server's words may be shown. */
  g_assert_nonnull (strstr (error->message, "too many connections"));

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
                     MailPop3Client *client,
                     const GError   *error)
{
  g_autofree char *message = mail_error_describe (error);
  g_autofree char *log = log_text (client);

  g_test_message ("%s", message);
  g_assert_null (strstr (message, "evil"));
  g_assert_nonnull (strstr (log, EVIL));
  g_assert_false (mail_connection_is_connected (mail_pop3_client_get_connection (client)));
  g_assert_cmpint (mail_pop3_client_get_state (client), ==, MAIL_POP3_STATE_DISCONNECTED);
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
    const char   *capa_reply;
    const char   *stls_reply;
    gboolean      net_error;
    int           code;
  } cases[] = {
    { "-ERR " EVIL "\r\n", NULL, NULL, FALSE, MAIL_POP3_ERROR_FAILED },
    { "-ERR [SYS/TEMP] " EVIL "\r\n", NULL, NULL, FALSE, MAIL_POP3_ERROR_SYS_TEMP },
    { EVIL "\r\n", NULL, NULL, FALSE, MAIL_POP3_ERROR_PROTOCOL },
    { "+OK ready\r\n", EVIL "\r\n", NULL, FALSE, MAIL_POP3_ERROR_PROTOCOL },
    { "+OK ready\r\n", NULL, "-ERR " EVIL "\r\n", TRUE, MAIL_NET_ERROR_STARTTLS_REFUSED },
    { "+OK ready\r\n", NULL, EVIL "\r\n", FALSE, MAIL_POP3_ERROR_PROTOCOL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      MailFakeServer *server = fixture_case (fixture, i);
      MailPop3Client *client;
      g_autoptr (GError) error = NULL;

      g_test_message ("case %u", i);
      mail_fake_server_send (server, cases[i].greeting);
      if (cases[i].capa_reply != NULL)
        {
          mail_fake_server_expect (server, "CAPA");
          mail_fake_server_send (server, cases[i].capa_reply);
        }
      else if (cases[i].stls_reply != NULL)
        {
          script_capa (server, "STLS\r\nUSER\r\n");
          mail_fake_server_expect (server, "STLS");
          mail_fake_server_send (server, cases[i].stls_reply);
        }
      mail_fake_server_wait_close (server);
      mail_fake_server_start (server);

      client = fixture_client (fixture, MAIL_SECURITY_STARTTLS);
      g_assert_false (mail_pop3_client_connect_sync (client, NULL, &error));
      g_assert_nonnull (error);
      g_assert_cmpuint (error->domain, ==, cases[i].net_error ? MAIL_NET_ERROR : MAIL_POP3_ERROR);
      g_assert_cmpint (error->code, ==, cases[i].code);
      assert_words_hidden (server, client, error);
    }
}

/* An account without encryption: the same words are just as forgeable, but a refused
 * password is still told apart from other failures. */
static void
test_words_without_tls (Fixture       *fixture,
                        gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailPop3Client *client;
  g_autoptr (GError) error = NULL;

  mail_fake_server_send (server, "+OK ready\r\n");
  script_capa (server, "USER\r\n");
  mail_fake_server_expect (server, "USER " USER);
  mail_fake_server_send (server, "+OK\r\n");
  mail_fake_server_expect (server, "PASS " PASSWORD);
  mail_fake_server_send (server, "-ERR [AUTH] " EVIL "\r\n");
  mail_fake_server_expect (server, "USER " USER);
  mail_fake_server_send (server, "+OK\r\n");
  mail_fake_server_expect (server, "PASS " PASSWORD);
  mail_fake_server_send (server, "+OK\r\n");
  script_capa (server, "USER\r\n");
  mail_fake_server_expect (server, "STAT");
  mail_fake_server_send (server, "+OK " EVIL "\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_client (fixture, MAIL_SECURITY_NONE);
  mail_pop3_client_set_allow_plaintext_password (client, TRUE);
  g_assert_true (mail_pop3_client_connect_sync (client, NULL, &error));
  g_assert_no_error (error);

  g_assert_false (mail_pop3_client_login_sync (client, USER, PASSWORD, NULL, &error));
  g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_AUTH_FAILED);
  g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_AUTH_FAILED);
  g_assert_null (strstr (error->message, "evil"));
  g_clear_error (&error);

  g_assert_true (mail_pop3_client_login_sync (client, USER, PASSWORD, NULL, &error));
  g_assert_no_error (error);

  /* A STAT answer that is not POP3. */
  g_assert_false (mail_pop3_client_stat_sync (client, NULL, NULL, NULL, &error));
  g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_PROTOCOL);
  g_assert_null (strstr (error->message, "evil"));
  g_assert_cmpint (mail_pop3_client_get_state (client), ==, MAIL_POP3_STATE_DISCONNECTED);

  mail_fake_server_assert_finished (server, 1);
}

/* Over implicit TLS the server's words are its own, and may help: they are shown. */
static void
test_words_over_tls (Fixture       *fixture,
                     gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailPop3Client *client;
  g_autoptr (GError) error = NULL;

  mail_fake_server_send (server, "Mailbox locked, " EVIL "\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_client (fixture, MAIL_SECURITY_TLS);
  g_assert_false (mail_pop3_client_connect_sync (client, NULL, &error));
  g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, EVIL));
  g_assert_false (mail_connection_is_connected (mail_pop3_client_get_connection (client)));

  mail_fake_server_assert_finished (server, 1);
}

static void
test_auth_codes (Fixture       *fixture,
                 gconstpointer  user_data)
{
  static const struct {
    const char      *reply;
    MailPop3Error    code;
    MailErrorCategory category;
  } cases[] = {
    { "-ERR [AUTH] Authentication failed.", MAIL_POP3_ERROR_AUTH_FAILED,
      MAIL_ERROR_CATEGORY_AUTH_FAILED },
    { "-ERR Authentication failed.", MAIL_POP3_ERROR_AUTH_FAILED,
      MAIL_ERROR_CATEGORY_AUTH_FAILED },
    { "-ERR [IN-USE] Mailbox locked by another session", MAIL_POP3_ERROR_IN_USE,
      MAIL_ERROR_CATEGORY_PROTOCOL },
    { "-ERR [SYS/TEMP] Try again", MAIL_POP3_ERROR_SYS_TEMP, MAIL_ERROR_CATEGORY_PROTOCOL },
    { "-ERR [SYS/PERM] Account disabled", MAIL_POP3_ERROR_SYS_PERM,
      MAIL_ERROR_CATEGORY_PROTOCOL },
    { "-ERR [LOGIN-DELAY] Wait", MAIL_POP3_ERROR_LOGIN_DELAY, MAIL_ERROR_CATEGORY_PROTOCOL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      for (guint method = 0; method < 2; method++)
        {
          MailFakeServer *server = fixture_case (fixture, 2 * i + method);
          MailPop3Client *client;
          g_autoptr (GError) error = NULL;
          g_autofree char *reply = g_strconcat (cases[i].reply, "\r\n", NULL);
          g_autofree char *log = NULL;

          mail_fake_server_send (server, "+OK ready\r\n");
          script_capa (server, method == 0 ? "SASL PLAIN\r\n" : "USER\r\n");
          if (method == 0)
            {
              mail_fake_server_expect (server, "AUTH PLAIN *");
            }
          else
            {
              mail_fake_server_expect (server, "USER " USER);
              mail_fake_server_send (server, "+OK\r\n");
              mail_fake_server_expect (server, "PASS *");
            }
          mail_fake_server_send (server, reply);
          mail_fake_server_wait_close (server);
          mail_fake_server_start (server);

          client = fixture_client (fixture, MAIL_SECURITY_TLS);
          g_assert_true (mail_pop3_client_connect_sync (client, NULL, &error));
          g_assert_false (mail_pop3_client_login_sync (client, USER, PASSWORD, NULL, &error));
          g_test_message ("%s (%s)", cases[i].reply, method == 0 ? "AUTH PLAIN" : "USER/PASS");
          g_assert_error (error, MAIL_POP3_ERROR, (int) cases[i].code);
          g_assert_cmpint (mail_error_categorize (error), ==, cases[i].category);
          g_assert_true (g_str_has_prefix (error->message, "The "));
          /* The session is still there: another attempt is possible. */
          g_assert_cmpint (mail_pop3_client_get_state (client), ==,
                           MAIL_POP3_STATE_AUTHORIZATION);

          log = log_text (client);
          g_assert_null (strstr (log, PASSWORD));

          mail_pop3_client_disconnect (client);
          mail_fake_server_assert_finished (server, 1);
        }
    }
}

static void
test_sasl_extra_challenge (Fixture       *fixture,
                           gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailPop3Client *client;
  g_autoptr (GError) error = NULL;

  mail_fake_server_send (server, "+OK ready\r\n");
  script_capa (server, "SASL PLAIN\r\n");
  mail_fake_server_expect (server, "AUTH PLAIN *");
  mail_fake_server_send (server, "+ bW9yZT8=\r\n");
  mail_fake_server_expect (server, "*");
  mail_fake_server_send (server, "-ERR cancelled\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_client (fixture, MAIL_SECURITY_TLS);
  g_assert_true (mail_pop3_client_connect_sync (client, NULL, &error));
  g_assert_false (mail_pop3_client_login_sync (client, USER, PASSWORD, NULL, &error));
  g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_PROTOCOL);
  g_assert_cmpint (mail_pop3_client_get_state (client), ==, MAIL_POP3_STATE_DISCONNECTED);

  mail_fake_server_assert_finished (server, 1);
}

static gboolean
stored_in_set_cb (const char *uid,
                  gpointer    user_data)
{
  return g_hash_table_contains (user_data, uid);
}

static void
test_delete_by_uid (Fixture       *fixture,
                    gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailPop3Client *client;
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) stored = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *transcript = NULL;

  script_signed_in (server, STANDARD_CAPA);
  mail_fake_server_expect (server, "UIDL");
  mail_fake_server_send (server, "+OK\r\n1 old-stored\r\n2 dup\r\n3 dup\r\n4 not-stored\r\n.\r\n");
  mail_fake_server_expect (server, "DELE 1");
  mail_fake_server_send (server, "+OK\r\n");
  mail_fake_server_expect (server, "RSET");
  mail_fake_server_send (server, "+OK\r\n");
  mail_fake_server_expect (server, "QUIT");
  mail_fake_server_send (server, "+OK\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  g_hash_table_add (stored, (gpointer) "old-stored");
  g_hash_table_add (stored, (gpointer) "dup");

  client = fixture_signed_in (fixture);

  /* The session has no UIDL yet: the call fetches it. */
  g_assert_true (mail_pop3_client_delete_by_uid_sync (client, "old-stored", stored_in_set_cb,
                                                      stored, NULL, &error));
  g_assert_no_error (error);

  g_assert_false (mail_pop3_client_delete_by_uid_sync (client, "not-stored", stored_in_set_cb,
                                                       stored, NULL, &error));
  g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_NOT_STORED);
  g_clear_error (&error);

  g_assert_false (mail_pop3_client_delete_by_uid_sync (client, "dup", stored_in_set_cb, stored,
                                                       NULL, &error));
  g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_PROTOCOL);
  g_clear_error (&error);

  g_assert_false (mail_pop3_client_delete_by_uid_sync (client, "gone", stored_in_set_cb, stored,
                                                       NULL, &error));
  g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_NO_SUCH_MESSAGE);
  g_clear_error (&error);

  g_assert_true (mail_pop3_client_reset_sync (client, NULL, &error));
  g_assert_true (mail_pop3_client_quit_sync (client, NULL, &error));
  g_assert_no_error (error);

  mail_fake_server_assert_finished (server, 1);
  transcript = mail_fake_server_dup_transcript (server);
  g_assert_null (strstr (transcript, "DELE 2"));
  g_assert_null (strstr (transcript, "DELE 3"));
  g_assert_null (strstr (transcript, "DELE 4"));
}

static void
test_delete_many_unstored (Fixture       *fixture,
                           gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailPop3Client *client;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) tokens = NULL;
  g_autofree char *transcript = NULL;
  guint numbers[] = { 1, 2, 3 };

  script_signed_in (server, STANDARD_CAPA);
  mail_fake_server_expect (server, "RETR 1");
  mail_fake_server_expect (server, "RETR 2");
  mail_fake_server_expect (server, "RETR 3");
  mail_fake_server_send (server, "+OK\r\na\r\n.\r\n+OK\r\nb\r\n.\r\n+OK\r\nc\r\n.\r\n");
  mail_fake_server_expect (server, "DELE 1");
  mail_fake_server_expect (server, "DELE 2");
  mail_fake_server_expect (server, "DELE 3");
  mail_fake_server_send (server, "+OK\r\n-ERR already deleted\r\n+OK\r\n");
  mail_fake_server_expect (server, "QUIT");
  mail_fake_server_send (server, "+OK\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_signed_in (fixture);
  tokens = mail_pop3_client_retrieve_many_sync (client, numbers, 3, NULL, &error);
  g_assert_no_error (error);

  /* One of three not stored: none is deleted. */
  mail_pop3_retrieved_mark_stored (g_ptr_array_index (tokens, 0));
  mail_pop3_retrieved_mark_stored (g_ptr_array_index (tokens, 2));
  g_test_expect_message ("mail-pop3", G_LOG_LEVEL_CRITICAL, "*message 2 has not been marked*");
  g_assert_false (mail_pop3_client_delete_many_sync (client,
                                                     (MailPop3Retrieved **) tokens->pdata, 3,
                                                     NULL, &error));
  g_test_assert_expected_messages ();
  g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_NOT_STORED);
  g_clear_error (&error);

  /* All stored: pipelined, and a -ERR in the middle is reported. */
  mail_pop3_retrieved_mark_stored (g_ptr_array_index (tokens, 1));
  g_assert_false (mail_pop3_client_delete_many_sync (client,
                                                     (MailPop3Retrieved **) tokens->pdata, 3,
                                                     NULL, &error));
  g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_FAILED);
  g_clear_error (&error);

  g_assert_true (mail_pop3_client_quit_sync (client, NULL, &error));
  mail_fake_server_assert_finished (server, 1);

  transcript = mail_fake_server_dup_transcript (server);
  /* Each DELE once: the refused batch sent nothing. */
  g_assert_nonnull (strstr (transcript, "DELE 1\n"));
  g_assert_null (strstr (strstr (transcript, "DELE 1\n") + 1, "DELE 1\n"));
}

static void
test_bad_uidl (Fixture       *fixture,
               gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailPop3Client *client;
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) uids = NULL;

  script_signed_in (server, STANDARD_CAPA);
  mail_fake_server_expect (server, "UIDL");
  mail_fake_server_send (server, "+OK\r\n1 good\r\n2 bad id with spaces\r\n.\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_signed_in (fixture);
  uids = mail_pop3_client_uidl_sync (client, NULL, &error);
  g_assert_null (uids);
  g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_PROTOCOL);
  g_assert_cmpint (mail_pop3_client_get_state (client), ==, MAIL_POP3_STATE_DISCONNECTED);

  mail_fake_server_assert_finished (server, 1);
}

static void
test_quit_err (Fixture       *fixture,
               gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailPop3Client *client;
  g_autoptr (GError) error = NULL;

  script_signed_in (server, STANDARD_CAPA);
  mail_fake_server_expect (server, "QUIT");
  mail_fake_server_send (server, "-ERR [SYS/TEMP] some deleted messages not removed\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_signed_in (fixture);
  g_assert_false (mail_pop3_client_quit_sync (client, NULL, &error));
  g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_SYS_TEMP);
  g_assert_cmpint (mail_pop3_client_get_state (client), ==, MAIL_POP3_STATE_DISCONNECTED);

  mail_fake_server_assert_finished (server, 1);
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
  MailPop3Client *client = fixture_client (fixture, MAIL_SECURITY_TLS);
  g_autoptr (GError) error = NULL;
  g_autoptr (MailPop3Retrieved) retrieved = NULL;
  g_autoptr (GArray) uids = NULL;
  GAsyncResult *result = NULL;
  guint count = 0;

  script_signed_in (server, STANDARD_CAPA);
  mail_fake_server_expect (server, "STAT");
  mail_fake_server_send (server, "+OK 1 10\r\n");
  mail_fake_server_expect (server, "UIDL");
  mail_fake_server_send (server, "+OK\r\n1 only\r\n.\r\n");
  mail_fake_server_expect (server, "RETR 1");
  mail_fake_server_send (server, "+OK\r\nbody\r\n.\r\n");
  mail_fake_server_expect (server, "DELE 1");
  mail_fake_server_send (server, "+OK\r\n");
  mail_fake_server_expect (server, "QUIT");
  mail_fake_server_send (server, "+OK\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  mail_pop3_client_connect_async (client, NULL, async_done_cb, &result);
  g_assert_true (mail_pop3_client_connect_finish (client, wait_for (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  mail_pop3_client_login_async (client, USER, PASSWORD, NULL, async_done_cb, &result);
  g_assert_true (mail_pop3_client_login_finish (client, wait_for (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  mail_pop3_client_stat_async (client, NULL, async_done_cb, &result);
  g_assert_true (mail_pop3_client_stat_finish (client, wait_for (&result), &count, NULL, &error));
  g_assert_cmpuint (count, ==, 1);
  g_clear_object (&result);

  mail_pop3_client_uidl_async (client, NULL, async_done_cb, &result);
  uids = mail_pop3_client_uidl_finish (client, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (uids->len, ==, 1);
  g_clear_object (&result);

  mail_pop3_client_retrieve_async (client, 1, NULL, async_done_cb, &result);
  retrieved = mail_pop3_client_retrieve_finish (client, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mail_pop3_retrieved_get_uid (retrieved), ==, "only");
  g_clear_object (&result);

  mail_pop3_retrieved_mark_stored (retrieved);
  mail_pop3_client_delete_async (client, retrieved, NULL, async_done_cb, &result);
  g_assert_true (mail_pop3_client_delete_finish (client, wait_for (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  mail_pop3_client_quit_async (client, NULL, async_done_cb, &result);
  g_assert_true (mail_pop3_client_quit_finish (client, wait_for (&result), &error));
  g_clear_object (&result);

  mail_fake_server_assert_finished (server, 1);
}

static void
test_pinned_certificate (Fixture       *fixture,
                         gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailPop3Client *client;
  g_autoptr (GError) error = NULL;
  g_autofree char *fingerprint = NULL;
  MailCertificateInfo *info;

  /* Two connections: the first is refused at the handshake, the second is pinned. */
  mail_fake_server_send (server, "+OK ready\r\n");
  script_capa (server, "USER\r\n");
  mail_fake_server_expect (server, "QUIT");
  mail_fake_server_send (server, "+OK\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_client (fixture, MAIL_SECURITY_TLS);
  g_assert_false (mail_pop3_client_connect_sync (client, NULL, &error));
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_CERTIFICATE);
  g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_TLS_CERTIFICATE);
  g_clear_error (&error);

  /* The certificate to show the user... */
  info = mail_connection_get_peer_certificate_info (mail_pop3_client_get_connection (client));
  g_assert_nonnull (info);
  g_assert_true (mail_certificate_info_is_self_signed (info));
  fingerprint = g_strdup (mail_certificate_info_get_fingerprint (info));

  /* ...and once accepted, exactly that one is. */
  g_assert_true (mail_connection_set_pinned_certificate (mail_pop3_client_get_connection (client),
                                                         mail_certificate_info_get_host (info),
                                                         mail_certificate_info_get_port (info),
                                                         fingerprint));
  g_assert_true (mail_pop3_client_connect_sync (client, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mail_connection_get_pinned_certificate_used (
                   mail_pop3_client_get_connection (client)));
  g_assert_true (mail_pop3_client_quit_sync (client, NULL, &error));

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

  ADD ("/mail/pop3/hostile/session", SERVER_TLS, test_session);
  ADD ("/mail/pop3/hostile/retrieve-sequential", SERVER_TLS, test_retrieve_single_and_sequential);
  ADD ("/mail/pop3/hostile/stls/not-offered", SERVER_STARTTLS, test_stls_not_offered);
  ADD ("/mail/pop3/hostile/stls/capa-unsupported", SERVER_STARTTLS, test_stls_capa_unsupported);
  ADD ("/mail/pop3/hostile/stls/refused", SERVER_STARTTLS, test_stls_refused);
  ADD ("/mail/pop3/hostile/stls/injection", SERVER_STARTTLS, test_stls_injection);
  ADD ("/mail/pop3/hostile/stls/injection-unfinished", SERVER_STARTTLS,
       test_stls_injection_unfinished);
  ADD ("/mail/pop3/hostile/stls/capabilities-after-tls", SERVER_STARTTLS,
       test_stls_capabilities_after_tls);
  ADD ("/mail/pop3/hostile/plaintext/refused", SERVER_PLAINTEXT, test_plaintext_refused);
  ADD ("/mail/pop3/hostile/plaintext/allowed", SERVER_PLAINTEXT, test_plaintext_allowed);
  ADD ("/mail/pop3/hostile/drop/mid-retr", SERVER_TLS, test_drop_mid_retr);
  ADD ("/mail/pop3/hostile/drop/mid-pipelined-retr", SERVER_TLS, test_drop_mid_pipelined_retr);
  ADD ("/mail/pop3/hostile/err-in-batch", SERVER_TLS, test_err_in_batch);
  ADD ("/mail/pop3/hostile/limit/huge-line", SERVER_TLS, test_huge_line);
  ADD ("/mail/pop3/hostile/limit/huge-greeting", SERVER_TLS, test_huge_greeting);
  ADD ("/mail/pop3/hostile/limit/message-size", SERVER_TLS, test_message_too_large);
  ADD ("/mail/pop3/hostile/timeout/stall", SERVER_TLS, test_stall);
  ADD ("/mail/pop3/hostile/timeout/silent-greeting", SERVER_STARTTLS, test_silent_greeting);
  ADD ("/mail/pop3/hostile/greeting/garbage", SERVER_STARTTLS, test_garbage_greeting);
  ADD ("/mail/pop3/hostile/greeting/err", SERVER_TLS, test_err_greeting);
  ADD ("/mail/pop3/hostile/words/before-tls", SERVER_STARTTLS, test_words_before_tls);
  ADD ("/mail/pop3/hostile/words/without-tls", SERVER_PLAINTEXT, test_words_without_tls);
  ADD ("/mail/pop3/hostile/words/over-tls", SERVER_TLS, test_words_over_tls);
  ADD ("/mail/pop3/hostile/auth/response-codes", SERVER_TLS, test_auth_codes);
  ADD ("/mail/pop3/hostile/auth/extra-challenge", SERVER_TLS, test_sasl_extra_challenge);
  ADD ("/mail/pop3/hostile/delete/by-uid", SERVER_TLS, test_delete_by_uid);
  ADD ("/mail/pop3/hostile/delete/many-unstored", SERVER_TLS, test_delete_many_unstored);
  ADD ("/mail/pop3/hostile/uidl/malformed", SERVER_TLS, test_bad_uidl);
  ADD ("/mail/pop3/hostile/quit/err", SERVER_TLS, test_quit_err);
  ADD ("/mail/pop3/hostile/tls/pinned-certificate", SERVER_SELF_SIGNED, test_pinned_certificate);
  ADD ("/mail/pop3/hostile/async", SERVER_TLS, test_async);

#undef ADD

  status = g_test_run ();

  g_clear_pointer (&certs, mail_test_certs_free);

  return status;
}
