/* test-imap-hostile.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* MailImapClient against scripted hostile or broken servers: STARTTLS stripping and
 * injection, text sent before TLS, PREAUTH, BYE, dropped connections, absurd literals and
 * lines, deep nesting, stalls, endless and trickled answers, garbage, and the MOVE
 * fallback that must never EXPUNGE without UIDPLUS; and large answers that must still
 * work (a SEARCH of a million UIDs, ESEARCH). Each hostile case must end in a clear error,
 * with no crash, no hang and no password on the wire. */

#include "config.h"

#include <string.h>

#include "mail-fake-server.h"
#include "mail-imap-client.h"
#include "mail-net-error.h"
#include "mail-test-certs.h"
#include "mail-test-util.h"
#include "mail-tls-database.h"

static MailTestCerts *certs;

/* The fake server a test starts with, given as g_test_add()'s test data. */
typedef enum
{
  SERVER_TLS,        /* certificate of the test CA, implicit TLS */
  SERVER_STARTTLS,   /* certificate of the test CA, TLS after STARTTLS */
  SERVER_PLAINTEXT,  /* no certificate at all */
} ServerKind;

/* What every test has: a fake server of its kind, the trust store of a user who added the
 * test CA, and the client, which fixture_client() makes and the fixture alone holds. */
typedef struct
{
  ServerKind      kind;
  GTlsDatabase   *database;
  MailFakeServer *server;
  MailImapClient *client;
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
      MailConnection *connection = mail_imap_client_get_connection (fixture->client);

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

/* For a test that runs several cases one after another: ends the case the fixture holds
 * as the teardown would, so that its client is checked, and starts the next one with a new
 * server of @kind. */
static MailFakeServer *
fixture_next_case (Fixture    *fixture,
                   ServerKind  kind)
{
  fixture_end_case (fixture);
  fixture->kind = kind;
  fixture->server = new_server (kind);

  return fixture->server;
}

/* The fixture's implicit TLS server, which starts its script with @greeting. */
static MailFakeServer *
tls_server (Fixture    *fixture,
            const char *greeting)
{
  g_assert_cmpint (fixture->kind, ==, SERVER_TLS);
  mail_fake_server_send (fixture->server, greeting);

  return fixture->server;
}

/* A client for the fixture's server, kept in the fixture. */
static MailImapClient *
fixture_client (Fixture      *fixture,
                MailSecurity  security)
{
  MailImapClient *client;

  g_assert_null (fixture->client);
  client = mail_imap_client_new ("localhost", mail_fake_server_get_port (fixture->server),
                                 security, fixture->database);
  /* Hostile cases must fail fast, never wait for the default timeouts. */
  mail_connection_set_timeout (mail_imap_client_get_connection (client),
                               MAIL_CONNECTION_PHASE_COMMAND, 5);
  mail_connection_set_timeout (mail_imap_client_get_connection (client),
                               MAIL_CONNECTION_PHASE_GREETING, 5);
  fixture->client = client;

  return client;
}

/* Whatever happened, the password never reached the server. */
static void
assert_no_password (MailFakeServer *server)
{
  g_autofree char *transcript = NULL;

  g_assert_true (mail_fake_server_wait_finished (server, 1, 10000));
  transcript = mail_fake_server_dup_transcript (server);
  mail_fake_server_assert_no_credentials (server, "alice", "secret-password");
  g_assert_null (strstr (transcript, "LOGIN"));
  g_assert_null (strstr (transcript, "AUTHENTICATE"));
}

static void
assert_login_impossible (MailImapClient *client)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (mail_imap_client_login_sync (client, "alice", "secret-password", NULL,
                                               &error));
  g_assert_nonnull (error);
}

static void
run_starttls_failure (Fixture     *fixture,
                      const char  *greeting,
                      const char  *starttls_reply,
                      int          expected)
{
  MailFakeServer *server = fixture->server;
  MailImapClient *client;
  g_autoptr (GError) error = NULL;

  mail_fake_server_send (server, greeting);
  if (starttls_reply != NULL)
    {
      mail_fake_server_expect (server, "a1 STARTTLS");
      mail_fake_server_send (server, starttls_reply);
    }
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_client (fixture, MAIL_SECURITY_STARTTLS);
  g_assert_false (mail_imap_client_connect_sync (client, NULL, &error));
  g_assert_error (error, MAIL_NET_ERROR, expected);
  g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_STARTTLS_UNAVAILABLE);
  g_assert_false (mail_connection_is_connected (mail_imap_client_get_connection (client)));

  assert_login_impossible (client);
  assert_no_password (server);
}

static void
test_starttls_missing (Fixture       *fixture,
                       gconstpointer  user_data)
{
  run_starttls_failure (fixture, "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hi\r\n", NULL,
                        MAIL_NET_ERROR_STARTTLS_NOT_OFFERED);
}

static void
test_starttls_refused (Fixture       *fixture,
                       gconstpointer  user_data)
{
  run_starttls_failure (fixture, "* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] hi\r\n",
                        "a1 NO not today\r\n", MAIL_NET_ERROR_STARTTLS_REFUSED);
}

static void
test_starttls_bad (Fixture       *fixture,
                   gconstpointer  user_data)
{
  run_starttls_failure (fixture, "* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] hi\r\n",
                        "a1 BAD what\r\n", MAIL_NET_ERROR_STARTTLS_REFUSED);
}

static void
test_starttls_injection (Fixture       *fixture,
                         gconstpointer  user_data)
{
  run_starttls_failure (fixture, "* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] hi\r\n",
                        "a1 OK begin TLS\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\na2 OK\r\n",
                        MAIL_NET_ERROR_STARTTLS_INJECTION);
}

/* Injected bytes that break the framing put the parser into its failed state instead of
 * leaving a response behind: they are refused all the same, never silently dropped. */
static void
test_starttls_injection_framing (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  run_starttls_failure (fixture, "* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] hi\r\n",
                        "a1 OK begin TLS\r\n* OK {99999999999}\r\n",
                        MAIL_NET_ERROR_STARTTLS_INJECTION);
  fixture_next_case (fixture, SERVER_STARTTLS);
  run_starttls_failure (fixture, "* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] hi\r\n",
                        "a1 OK begin TLS\r\n* 1 FETCH (BODY[] {-5}\r\n",
                        MAIL_NET_ERROR_STARTTLS_INJECTION);
}

static void
test_starttls_preauth (Fixture       *fixture,
                       gconstpointer  user_data)
{
  run_starttls_failure (fixture, "* PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] come in\r\n", NULL,
                        MAIL_NET_ERROR_STARTTLS_PREAUTH);
}

/* Runs mail_imap_client_connect_sync() against the fixture's server, which must fail; the
 * connection must then be closed, which the server sees (its script ends in a wait for the
 * close). */
static GError *
connect_failure (Fixture       *fixture,
                 MailSecurity   security,
                 char         **log)
{
  MailFakeServer *server = fixture->server;
  MailImapClient *client;
  GError *error = NULL;

  mail_fake_server_start (server);
  client = fixture_client (fixture, security);
  g_assert_false (mail_imap_client_connect_sync (client, NULL, &error));
  g_assert_nonnull (error);
  g_assert_false (mail_connection_is_connected (mail_imap_client_get_connection (client)));
  g_assert_true (mail_fake_server_wait_finished (server, 1, 3000));
  if (log != NULL)
    *log = mail_protocol_log_to_string (mail_connection_get_log (
      mail_imap_client_get_connection (client)));
  assert_no_password (server);

  return error;
}

/* A refusal of STARTTLS comes before TLS: its text could be anyone's, so it never
 * reaches the user; the connection is closed. */
static void
test_starttls_refused_text (Fixture       *fixture,
                            gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  g_autoptr (GError) error = NULL;

  mail_fake_server_send (server, "* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] hi\r\n");
  mail_fake_server_expect (server, "a1 STARTTLS");
  mail_fake_server_send (server, "a1 NO Click http://evil.example to fix your account\r\n");
  mail_fake_server_wait_close (server);

  error = connect_failure (fixture, MAIL_SECURITY_STARTTLS, NULL);
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_STARTTLS_REFUSED);
  g_assert_null (strstr (error->message, "evil"));
}

/* The same for a CAPABILITY refused before STARTTLS: a generic message, the server's text
 * and response code only in the protocol log, and the connection closed. */
static void
test_capability_refused_before_tls (Fixture       *fixture,
                                    gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  g_autoptr (GError) error = NULL;
  g_autofree char *log = NULL;

  mail_fake_server_send (server, "* OK hi\r\n");
  mail_fake_server_expect (server, "a1 CAPABILITY");
  mail_fake_server_send (server, "a1 NO [X-EVIL-CODE] Click http://evil.example now\r\n");
  mail_fake_server_wait_close (server);

  error = connect_failure (fixture, MAIL_SECURITY_STARTTLS, &log);
  g_assert_true (error->domain == MAIL_IMAP_ERROR);
  g_assert_null (strstr (error->message, "evil"));
  g_assert_null (strstr (error->message, "EVIL"));
  g_assert_nonnull (strstr (log, "Click http://evil.example now"));
}

/* An untagged BYE before TLS, in the middle of a command: a generic message. */
static void
test_bye_before_tls (Fixture       *fixture,
                     gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  g_autoptr (GError) error = NULL;

  mail_fake_server_send (server, "* OK hi\r\n");
  mail_fake_server_expect (server, "a1 CAPABILITY");
  mail_fake_server_send (server, "* BYE Visit http://evil.example first\r\n");
  mail_fake_server_wait_close (server);

  error = connect_failure (fixture, MAIL_SECURITY_STARTTLS, NULL);
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_BYE);
  g_assert_null (strstr (error->message, "evil"));
}

/* A BYE greeting on a STARTTLS account is plaintext: a generic message. Over implicit TLS
 * it is the server's own word, and is shown. */
static void
test_greeting_bye_text (Fixture       *fixture,
                        gconstpointer  user_data)
{
  MailFakeServer *plain = fixture->server;
  MailFakeServer *tls;
  g_autoptr (GError) error = NULL;

  mail_fake_server_send (plain, "* BYE evil text from http://evil.example\r\n");
  mail_fake_server_wait_close (plain);
  error = connect_failure (fixture, MAIL_SECURITY_STARTTLS, NULL);
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_BYE);
  g_assert_null (strstr (error->message, "evil"));
  g_clear_error (&error);

  fixture_next_case (fixture, SERVER_TLS);
  tls = tls_server (fixture, "* BYE too many connections from your address\r\n");
  mail_fake_server_wait_close (tls);
  error = connect_failure (fixture, MAIL_SECURITY_TLS, NULL);
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_BYE);
  g_assert_nonnull (strstr (error->message, "too many connections"));
}

/* Once TLS is up the server's words are its own and are kept; whatever makes connecting
 * fail, the connection is closed, never left open. */
static void
test_capability_refused_after_tls (Fixture       *fixture,
                                   gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  g_autoptr (GError) error = NULL;

  mail_fake_server_send (server, "* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] hi\r\n");
  mail_fake_server_expect (server, "a1 STARTTLS");
  mail_fake_server_send (server, "a1 OK begin TLS\r\n");
  mail_fake_server_starttls (server);
  mail_fake_server_expect (server, "a2 CAPABILITY");
  mail_fake_server_send (server, "a2 NO [UNAVAILABLE] down for maintenance\r\n");
  mail_fake_server_wait_close (server);

  /* [UNAVAILABLE]: a refusal for now, to be tried again later. */
  error = connect_failure (fixture, MAIL_SECURITY_STARTTLS, NULL);
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_TEMPORARY);
  g_assert_nonnull (strstr (error->message, "down for maintenance"));
}

/* A good STARTTLS: the capabilities from before are forgotten and asked again; the login
 * happens only over TLS; the capabilities after login come from the OK. */
static void
test_starttls_ok (Fixture       *fixture,
                  gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailImapClient *client;
  g_autoptr (GError) error = NULL;
  g_autofree char *failure = NULL;

  mail_fake_server_send (server, "* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED "
                                 "X-PLAINTEXT-ONLY] hi\r\n");
  mail_fake_server_expect (server, "a1 STARTTLS");
  mail_fake_server_send (server, "a1 OK begin TLS\r\n");
  mail_fake_server_starttls (server);
  mail_fake_server_expect (server, "a2 CAPABILITY");
  mail_fake_server_send (server, "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\na2 OK\r\n");
  mail_fake_server_expect (server, "a3 AUTHENTICATE PLAIN");
  mail_fake_server_send (server, "+ \r\n");
  mail_fake_server_expect (server, "*");
  mail_fake_server_send (server, "a3 OK [CAPABILITY IMAP4rev1 IDLE MOVE] welcome\r\n");
  mail_fake_server_expect (server, "a4 LOGOUT");
  mail_fake_server_send (server, "* BYE\r\na4 OK\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_client (fixture, MAIL_SECURITY_STARTTLS);
  g_assert_true (mail_imap_client_connect_sync (client, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mail_connection_is_encrypted (mail_imap_client_get_connection (client)));
  g_assert_false (mail_imap_client_has_capability (client, "X-PLAINTEXT-ONLY"));
  g_assert_false (mail_imap_client_has_capability (client, "STARTTLS"));
  g_assert_true (mail_imap_client_has_capability (client, "AUTH=PLAIN"));

  g_assert_true (mail_imap_client_login_sync (client, "alice", "secret-password", NULL,
                                              &error));
  g_assert_no_error (error);
  g_assert_true (mail_imap_client_has_capability (client, "IDLE"));
  g_assert_false (mail_imap_client_has_capability (client, "AUTH=PLAIN"));
  g_assert_cmpint (mail_imap_client_get_state (client), ==, MAIL_IMAP_CLIENT_AUTHENTICATED);

  g_assert_true (mail_imap_client_logout_sync (client, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (mail_fake_server_wait_finished (server, 1, 10000));
  failure = mail_fake_server_dup_failure (server);
  g_assert_null (failure);
}

/* A client for the fixture's implicit TLS server, kept in the fixture and connected. */
static MailImapClient *
fixture_connected (Fixture *fixture)
{
  g_autoptr (GError) error = NULL;
  MailImapClient *client;

  client = fixture_client (fixture, MAIL_SECURITY_TLS);
  g_assert_true (mail_imap_client_connect_sync (client, NULL, &error));
  g_assert_no_error (error);

  return client;
}

static void
test_bye_mid_command (Fixture       *fixture,
                      gconstpointer  user_data)
{
  MailFakeServer *server = tls_server (fixture, "* PREAUTH [CAPABILITY IMAP4rev1] hi\r\n");
  MailImapClient *client;
  g_autoptr (GError) error = NULL;

  mail_fake_server_expect (server, "a1 NOOP");
  mail_fake_server_send (server, "* BYE going down for maintenance\r\n");
  mail_fake_server_close (server);
  mail_fake_server_start (server);

  client = fixture_connected (fixture);
  g_assert_false (mail_imap_client_noop_sync (client, NULL, &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_BYE);
  g_assert_nonnull (strstr (error->message, "maintenance"));
  g_assert_cmpint (mail_imap_client_get_state (client), ==, MAIL_IMAP_CLIENT_DISCONNECTED);
}

/* The server sends @reply to a UID FETCH and then does @close_after. */
static GError *
run_fetch_reply (Fixture  *fixture,
                 GBytes   *reply,
                 gboolean  close_after)
{
  MailFakeServer *server = tls_server (fixture, "* PREAUTH [CAPABILITY IMAP4rev1] hi\r\n");
  MailImapClient *client;
  g_autoptr (GPtrArray) fetched = NULL;
  MailImapFetchOptions options = { MAIL_IMAP_FETCH_ATTR_BODY, };
  GError *error = NULL;

  mail_fake_server_expect (server, "a1 UID FETCH 1 (UID BODY.PEEK[])");
  mail_fake_server_send_bytes (server, reply);
  if (close_after)
    mail_fake_server_close (server);
  else
    mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_connected (fixture);
  fetched = mail_imap_client_uid_fetch_sync (client, "1", &options, NULL, NULL, NULL, &error);
  g_assert_null (fetched);
  g_assert_nonnull (error);
  g_assert_false (mail_connection_is_connected (mail_imap_client_get_connection (client)));
  g_assert_cmpint (mail_imap_client_get_state (client), ==, MAIL_IMAP_CLIENT_DISCONNECTED);
  g_assert_true (mail_fake_server_wait_finished (server, 1, 10000));

  return error;
}

static GBytes *
bytes_from_string (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

static void
test_drop_in_literal (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr (GBytes) reply = bytes_from_string ("* 1 FETCH (UID 1 BODY[] {100}\r\nonly a few");
  g_autoptr (GError) error = run_fetch_reply (fixture, reply, TRUE);

  g_assert_true (error->domain == G_IO_ERROR);
}

static void
test_literal_huge (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr (GBytes) reply = bytes_from_string ("* 1 FETCH (UID 1 BODY[] {4294967296}\r\n");
  g_autoptr (GError) error = run_fetch_reply (fixture, reply, FALSE);

  g_assert_true (error->domain == MAIL_IMAP_ERROR);
}

static void
test_literal_negative (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr (GBytes) reply = bytes_from_string ("* 1 FETCH (UID 1 BODY[] {-1}\r\nx)\r\n"
                                                "a1 OK done\r\n");
  g_autoptr (GError) error = run_fetch_reply (fixture, reply, FALSE);

  g_assert_true (error->domain == MAIL_IMAP_ERROR);
}

static void
test_long_line (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr (GString) text = g_string_new ("* OK ");
  g_autoptr (GBytes) reply = NULL;
  g_autoptr (GError) error = NULL;

  /* Past the parser's 24 MiB: lines are bounded even though a SEARCH may be long. */
  for (guint i = 0; i < 24 * 1024 * 1024 / 8 + 1; i++)
    g_string_append (text, "xxxxxxxx");
  g_string_append (text, "\r\na1 OK done\r\n");
  reply = g_bytes_new (text->str, text->len);

  error = run_fetch_reply (fixture, reply, FALSE);
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_LIMIT_EXCEEDED);
}

static void
test_deep_nesting (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr (GString) text = g_string_new ("* 1 FETCH (UID 1 BODYSTRUCTURE ");
  g_autoptr (GBytes) reply = NULL;
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < 10000; i++)
    g_string_append_c (text, '(');
  for (guint i = 0; i < 10000; i++)
    g_string_append_c (text, ')');
  g_string_append (text, ")\r\na1 OK done\r\n");
  reply = g_bytes_new (text->str, text->len);

  error = run_fetch_reply (fixture, reply, FALSE);
  g_assert_true (error->domain == MAIL_IMAP_ERROR);
}

static void
test_garbage_greeting (Fixture       *fixture,
                       gconstpointer  user_data)
{
  MailFakeServer *server = tls_server (fixture, "HTTP/1.1 400 Bad Request\r\n\r\n");
  MailImapClient *client;
  g_autoptr (GError) error = NULL;

  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_client (fixture, MAIL_SECURITY_TLS);
  g_assert_false (mail_imap_client_connect_sync (client, NULL, &error));
  g_assert_true (error->domain == MAIL_IMAP_ERROR);
  g_assert_false (mail_connection_is_connected (mail_imap_client_get_connection (client)));
  assert_no_password (server);
}

static void
test_stall (Fixture       *fixture,
            gconstpointer  user_data)
{
  MailFakeServer *server = tls_server (fixture, "* PREAUTH [CAPABILITY IMAP4rev1] hi\r\n");
  MailImapClient *client;
  g_autoptr (GError) error = NULL;
  gint64 start;

  mail_fake_server_expect (server, "a1 NOOP");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_connected (fixture);
  mail_connection_set_timeout (mail_imap_client_get_connection (client),
                               MAIL_CONNECTION_PHASE_COMMAND, 1);
  start = g_get_monotonic_time ();
  g_assert_false (mail_imap_client_noop_sync (client, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 4 * G_USEC_PER_SEC);
  g_assert_cmpint (mail_imap_client_get_state (client), ==, MAIL_IMAP_CLIENT_DISCONNECTED);
}

static void
test_invalid_utf7 (Fixture       *fixture,
                   gconstpointer  user_data)
{
  MailFakeServer *server = tls_server (fixture, "* PREAUTH [CAPABILITY IMAP4rev1] hi\r\n");
  MailImapClient *client;
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GError) error = NULL;

  mail_fake_server_expect (server, "a1 LIST \"\" \"*\"");
  mail_fake_server_send (server, "* LIST () \"/\" \"&AGE-\"\r\n"
                                 "* LIST () \"/\" \"open&ZeVnLIqe\"\r\n"
                                 "* LIST () \"/\" \"&-&2D3eAA-\"\r\n"
                                 "* LIST () \"/\" \"Entw&APw-rfe\"\r\n"
                                 "a1 OK done\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_connected (fixture);
  list = mail_imap_client_list_sync (client, "", "*", MAIL_IMAP_LIST_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (list);
  g_assert_cmpuint (list->len, ==, 4);
  for (guint i = 0; i < list->len; i++)
    {
      const MailImapResponse *r = g_ptr_array_index (list, i);

      g_assert_cmpint (r->kind, ==, MAIL_IMAP_RESPONSE_LIST);
      g_assert_nonnull (r->list.mailbox.raw);
      if (r->list.mailbox.name != NULL)
        g_assert_true (g_utf8_validate (r->list.mailbox.name, -1, NULL));
    }
  g_assert_cmpstr (((const MailImapResponse *) g_ptr_array_index (list, 3))->list.mailbox.name,
                   ==, "Entwürfe");
  g_assert_true (((const MailImapResponse *) g_ptr_array_index (list, 0))->list.mailbox.invalid);
}

static void
select_inbox (MailFakeServer *server,
              guint           tag)
{
  g_autofree char *line = g_strdup_printf ("a%u SELECT INBOX", tag);
  g_autofree char *reply = g_strdup_printf ("* 2 EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\n"
                                            "a%u OK [READ-WRITE] selected\r\n", tag);

  mail_fake_server_expect (server, line);
  mail_fake_server_send (server, reply);
}

/* Without MOVE and UIDPLUS a move cannot be done safely: nothing is sent at all, and
 * certainly never a plain EXPUNGE. */
static void
test_move_without_uidplus (Fixture       *fixture,
                           gconstpointer  user_data)
{
  MailFakeServer *server = tls_server (fixture, "* PREAUTH [CAPABILITY IMAP4rev1] hi\r\n");
  MailImapClient *client;
  g_autoptr (GError) error = NULL;
  g_autofree char *transcript = NULL;
  g_autofree char *failure = NULL;
  MailImapMailboxInfo info;
  MailImapCopyResult result;

  select_inbox (server, 1);
  mail_fake_server_expect (server, "a2 LOGOUT");
  mail_fake_server_send (server, "* BYE\r\na2 OK\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_connected (fixture);
  g_assert_true (mail_imap_client_select_sync (client, "INBOX", FALSE, NULL, &info, NULL,
                                               &error));
  g_assert_no_error (error);
  g_assert_cmpuint (info.exists, ==, 2);
  g_assert_cmpuint (info.uidvalidity, ==, 7);
  g_assert_true (info.read_write);

  g_assert_false (mail_imap_client_uid_move_sync (client, "1", "Trash", &result, NULL, &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  g_assert_false (mail_imap_client_uid_expunge_sync (client, "1", NULL, &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_UNSUPPORTED);
  g_clear_error (&error);

  g_assert_true (mail_imap_client_logout_sync (client, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (mail_fake_server_wait_finished (server, 1, 10000));
  failure = mail_fake_server_dup_failure (server);
  g_assert_null (failure);
  transcript = mail_fake_server_dup_transcript (server);
  g_assert_null (strstr (transcript, "EXPUNGE"));
  g_assert_null (strstr (transcript, "COPY"));
  g_assert_null (strstr (transcript, "STORE"));
}

/* With UIDPLUS but no MOVE: COPY, STORE \Deleted, UID EXPUNGE of exactly those UIDs. */
static void
test_move_fallback (Fixture       *fixture,
                    gconstpointer  user_data)
{
  MailFakeServer *server = tls_server (fixture, "* PREAUTH [CAPABILITY IMAP4rev1 UIDPLUS] hi\r\n");
  MailImapClient *client;
  g_autoptr (GError) error = NULL;
  g_autofree char *failure = NULL;
  MailImapCopyResult result;

  select_inbox (server, 1);
  mail_fake_server_expect (server, "a2 UID COPY 2 Trash");
  mail_fake_server_send (server, "a2 OK [COPYUID 9 2 31] copied\r\n");
  mail_fake_server_expect (server, "a3 UID STORE 2 +FLAGS.SILENT (\\Deleted)");
  mail_fake_server_send (server, "a3 OK stored\r\n");
  mail_fake_server_expect (server, "a4 UID EXPUNGE 2");
  mail_fake_server_send (server, "* 2 EXPUNGE\r\na4 OK expunged\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_connected (fixture);
  g_assert_true (mail_imap_client_select_sync (client, "INBOX", FALSE, NULL, NULL, NULL,
                                               &error));
  g_assert_true (mail_imap_client_uid_move_sync (client, "2", "Trash", &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.uidvalidity, ==, 9);
  g_assert_cmpstr (result.dest_uids, ==, "31");
  mail_imap_copy_result_clear (&result);
  mail_imap_client_close (client);

  g_assert_true (mail_fake_server_wait_finished (server, 1, 10000));
  failure = mail_fake_server_dup_failure (server);
  g_assert_null (failure);
}

/* Without LITERAL+, a literal waits for the server's "+"; a refusal instead of "+" fails
 * only that command, and a tagged OK before the literal was sent ends the connection. */
static void
test_sync_literal (Fixture       *fixture,
                   gconstpointer  user_data)
{
  MailFakeServer *server = tls_server (fixture, "* PREAUTH [CAPABILITY IMAP4rev1] hi\r\n");
  MailImapClient *client;
  g_autoptr (GBytes) message = bytes_from_string ("Subject: x\r\n\r\nhello\r\n");
  g_autoptr (GError) error = NULL;
  g_autofree char *failure = NULL;

  mail_fake_server_expect (server, "a1 APPEND INBOX {21}");
  mail_fake_server_send (server, "+ go ahead\r\n");
  mail_fake_server_expect (server, "Subject: x");
  mail_fake_server_expect (server, "");
  mail_fake_server_expect (server, "hello");
  mail_fake_server_expect (server, "");
  mail_fake_server_send (server, "a1 OK appended\r\n");
  mail_fake_server_expect (server, "a2 APPEND INBOX {21}");
  mail_fake_server_send (server, "a2 NO [OVERQUOTA] too big\r\n");
  mail_fake_server_expect (server, "a3 NOOP");
  mail_fake_server_send (server, "a3 OK\r\n");
  mail_fake_server_expect (server, "a4 APPEND INBOX {21}");
  mail_fake_server_send (server, "a4 OK early\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_connected (fixture);
  g_assert_true (mail_imap_client_append_sync (client, "INBOX", NULL, NULL, message, NULL, NULL,
                                               &error));
  g_assert_no_error (error);

  g_assert_false (mail_imap_client_append_sync (client, "INBOX", NULL, NULL, message, NULL,
                                                NULL, &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_OVERQUOTA);
  g_clear_error (&error);
  g_assert_true (mail_imap_client_noop_sync (client, NULL, &error));
  g_assert_no_error (error);

  g_assert_false (mail_imap_client_append_sync (client, "INBOX", NULL, NULL, message, NULL,
                                                NULL, &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PROTOCOL);
  g_assert_false (mail_connection_is_connected (mail_imap_client_get_connection (client)));

  g_assert_true (mail_fake_server_wait_finished (server, 1, 10000));
  failure = mail_fake_server_dup_failure (server);
  g_assert_null (failure);
}

/* A tagged response to a command never sent is an injection or a broken server. */
static void
test_unknown_tag (Fixture       *fixture,
                  gconstpointer  user_data)
{
  MailFakeServer *server = tls_server (fixture, "* PREAUTH [CAPABILITY IMAP4rev1] hi\r\n");
  MailImapClient *client;
  g_autoptr (GError) error = NULL;

  mail_fake_server_expect (server, "a1 NOOP");
  mail_fake_server_send (server, "a7 OK what\r\na1 OK\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_connected (fixture);
  g_assert_false (mail_imap_client_noop_sync (client, NULL, &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PROTOCOL);
}

static void
count_fetch_cb (MailImapClient   *client,
                MailImapResponse *response,
                gpointer          user_data)
{
  (*(guint *) user_data)++;
}

static void
count_exists_cb (MailImapClient *client,
                 guint           count,
                 gpointer        user_data)
{
  (*(guint *) user_data)++;
}

/* Mailbox updates sent before authentication are ignored. */
static void
test_preauth_untagged_ignored (Fixture       *fixture,
                               gconstpointer  user_data)
{
  MailFakeServer *server = tls_server (fixture, "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hi\r\n"
                                                "* 1 FETCH (UID 5 FLAGS (\\Deleted))\r\n"
                                                "* 16777217 EXISTS\r\n");
  MailImapClient *client;
  g_autoptr (GError) error = NULL;
  guint signals = 0;

  mail_fake_server_expect (server, "a1 AUTHENTICATE PLAIN");
  mail_fake_server_send (server, "a1 NO [AUTHENTICATIONFAILED] wrong\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_client (fixture, MAIL_SECURITY_TLS);
  g_signal_connect (client, "fetch", G_CALLBACK (count_fetch_cb), &signals);
  g_signal_connect (client, "exists", G_CALLBACK (count_exists_cb), &signals);
  g_assert_true (mail_imap_client_connect_sync (client, NULL, &error));
  g_assert_false (mail_imap_client_login_sync (client, "alice", "pw", NULL, &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_AUTH_FAILED);
  g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_AUTH_FAILED);
  g_assert_cmpuint (signals, ==, 0);
}

/* The password goes only where it may, and the log never shows it. */
static void
test_login_command (Fixture       *fixture,
                    gconstpointer  user_data)
{
  MailFakeServer *server = tls_server (fixture, "* OK [CAPABILITY IMAP4rev1] hi\r\n");
  MailImapClient *client;
  g_autoptr (GError) error = NULL;
  g_autofree char *log = NULL;
  g_autofree char *failure = NULL;

  mail_fake_server_expect (server, "a1 LOGIN \"alice\" \"secret \\\"password\\\"\"");
  mail_fake_server_send (server, "a1 OK signed in\r\n");
  mail_fake_server_expect (server, "a2 CAPABILITY");
  mail_fake_server_send (server, "* CAPABILITY IMAP4rev1 IDLE\r\na2 OK\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_client (fixture, MAIL_SECURITY_TLS);
  g_assert_true (mail_imap_client_connect_sync (client, NULL, &error));
  g_assert_true (mail_imap_client_login_sync (client, "alice", "secret \"password\"", NULL,
                                              &error));
  g_assert_no_error (error);
  g_assert_true (mail_imap_client_has_capability (client, "IDLE"));
  mail_imap_client_close (client);

  log = mail_protocol_log_to_string (mail_connection_get_log (
    mail_imap_client_get_connection (client)));
  g_assert_null (strstr (log, "secret"));
  g_assert_nonnull (strstr (log, "a1 LOGIN "));
  g_assert_true (mail_fake_server_wait_finished (server, 1, 10000));
  failure = mail_fake_server_dup_failure (server);
  g_assert_null (failure);
}

static void
test_sasl_ir (Fixture       *fixture,
              gconstpointer  user_data)
{
  MailFakeServer *server =
    tls_server (fixture, "* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN AUTH=LOGIN] hi\r\n");
  MailImapClient *client;
  g_autoptr (GError) error = NULL;
  g_autofree char *log = NULL;
  g_autofree char *failure = NULL;

  /* base64 ("\0alice\0pw") */
  mail_fake_server_expect (server, "a1 AUTHENTICATE PLAIN AGFsaWNlAHB3");
  mail_fake_server_send (server, "a1 NO [AUTHENTICATIONFAILED] no\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_client (fixture, MAIL_SECURITY_TLS);
  g_assert_true (mail_imap_client_connect_sync (client, NULL, &error));
  g_assert_false (mail_imap_client_login_sync (client, "alice", "pw", NULL, &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_AUTH_FAILED);
  g_assert_cmpint (mail_imap_client_get_state (client), ==, MAIL_IMAP_CLIENT_NOT_AUTHENTICATED);
  mail_imap_client_close (client);

  log = mail_protocol_log_to_string (mail_connection_get_log (
    mail_imap_client_get_connection (client)));
  g_assert_null (strstr (log, "AGFsaWNlAHB3"));
  g_assert_true (mail_fake_server_wait_finished (server, 1, 10000));
  failure = mail_fake_server_dup_failure (server);
  g_assert_null (failure);
}

/* No encryption and no explicit permission: nothing secret is sent. */
static void
test_plaintext_refused (Fixture       *fixture,
                        gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailImapClient *client;
  g_autoptr (GError) error = NULL;

  mail_fake_server_send (server, "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hi\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_client (fixture, MAIL_SECURITY_NONE);
  g_assert_true (mail_imap_client_connect_sync (client, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (mail_imap_client_login_sync (client, "alice", "secret-password", NULL,
                                               &error));
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_PLAINTEXT_REFUSED);
  mail_imap_client_close (client);
  assert_no_password (server);
}

static void
test_logindisabled (Fixture       *fixture,
                    gconstpointer  user_data)
{
  MailFakeServer *server = tls_server (fixture, "* OK [CAPABILITY IMAP4rev1 LOGINDISABLED] hi\r\n");
  MailImapClient *client;
  g_autoptr (GError) error = NULL;

  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_client (fixture, MAIL_SECURITY_TLS);
  g_assert_true (mail_imap_client_connect_sync (client, NULL, &error));
  g_assert_false (mail_imap_client_login_sync (client, "alice", "secret-password", NULL,
                                               &error));
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_NO_MECHANISM);
  mail_imap_client_close (client);
  assert_no_password (server);
}

/* Bytes that arrive after the STARTTLS OK, in a later segment but before the handshake. */
static void
test_starttls_injection_late (Fixture       *fixture,
                              gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailImapClient *client;
  g_autoptr (GError) error = NULL;

  mail_fake_server_send (server, "* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] hi\r\n");
  mail_fake_server_expect (server, "a1 STARTTLS");
  mail_fake_server_send (server, "a1 OK begin TLS\r\n");
  mail_fake_server_sleep (server, 100);
  mail_fake_server_send (server, "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_client (fixture, MAIL_SECURITY_STARTTLS);
  g_assert_false (mail_imap_client_connect_sync (client, NULL, &error));
  g_assert_nonnull (error);
  g_assert_false (mail_connection_is_connected (mail_imap_client_get_connection (client)));
  assert_login_impossible (client);
  assert_no_password (server);
}

/* A pipelined command waits behind a synchronizing literal. */
static void
test_pipeline_behind_literal (Fixture       *fixture,
                              gconstpointer  user_data)
{
  MailFakeServer *server = tls_server (fixture, "* PREAUTH [CAPABILITY IMAP4rev1] hi\r\n");
  MailImapClient *client;
  g_autoptr (MailImapCommand) append = NULL;
  g_autoptr (MailImapCommand) noop = NULL;
  g_autoptr (GBytes) message = bytes_from_string ("abc");
  g_autoptr (GError) error = NULL;
  g_autofree char *failure = NULL;

  mail_fake_server_expect (server, "a1 APPEND INBOX {3}");
  mail_fake_server_sleep (server, 200);
  mail_fake_server_send (server, "+ go\r\n");
  mail_fake_server_expect (server, "abc");
  mail_fake_server_expect (server, "a2 NOOP");
  mail_fake_server_send (server, "a1 OK [APPENDUID 5 9] done\r\na2 OK\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_connected (fixture);
  append = mail_imap_client_new_command (client, "APPEND");
  g_assert_true (mail_imap_command_add_mailbox (append, "INBOX", &error));
  mail_imap_command_add_literal (append, message);
  noop = mail_imap_client_new_command (client, "NOOP");
  g_assert_true (mail_imap_client_submit (client, append, NULL, &error));
  g_assert_true (mail_imap_client_submit (client, noop, NULL, &error));
  g_assert_true (mail_imap_client_wait_sync (client, noop, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mail_imap_command_is_done (append));
  g_assert_true (mail_imap_command_check (append, &error));
  g_assert_cmpint (mail_imap_command_get_tagged (append)->code.kind, ==,
                   MAIL_IMAP_CODE_APPENDUID);
  mail_imap_client_close (client);

  g_assert_true (mail_fake_server_wait_finished (server, 1, 10000));
  failure = mail_fake_server_dup_failure (server);
  g_assert_null (failure);
}

static void
test_utf8_accept (Fixture       *fixture,
                  gconstpointer  user_data)
{
  static const char * const utf8[] = { "UTF8=ACCEPT", NULL };
  MailFakeServer *server =
    tls_server (fixture, "* PREAUTH [CAPABILITY IMAP4rev1 ENABLE UTF8=ACCEPT] hi\r\n");
  MailImapClient *client;
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *failure = NULL;

  mail_fake_server_expect (server, "a1 ENABLE UTF8=ACCEPT");
  mail_fake_server_send (server, "* ENABLED UTF8=ACCEPT\r\na1 OK\r\n");
  mail_fake_server_expect (server, "a2 CREATE \"Entwürfe\"");
  mail_fake_server_send (server, "a2 OK\r\n");
  mail_fake_server_expect (server, "a3 LIST \"\" \"*\"");
  mail_fake_server_send (server, "* LIST () \"/\" \"Entwürfe\"\r\n"
                                 "* LIST () \"/\" \"&AOQ-\"\r\na3 OK\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_connected (fixture);
  g_assert_true (mail_imap_client_enable_sync (client, utf8, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mail_imap_client_is_enabled (client, "UTF8=ACCEPT"));
  g_assert_true (mail_imap_client_create_sync (client, "Entwürfe", NULL, &error));
  g_assert_no_error (error);
  list = mail_imap_client_list_sync (client, "", "*", MAIL_IMAP_LIST_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (((MailImapResponse *) g_ptr_array_index (list, 0))->list.mailbox.name, ==,
                   "Entwürfe");
  g_assert_cmpstr (((MailImapResponse *) g_ptr_array_index (list, 1))->list.mailbox.name, ==,
                   "&AOQ-");
  mail_imap_client_close (client);

  g_assert_true (mail_fake_server_wait_finished (server, 1, 10000));
  failure = mail_fake_server_dup_failure (server);
  g_assert_null (failure);
}

typedef struct
{
  MailImapClient *client;
  GCancellable   *cancellable;
  guint           delay_ms;
} StopLater;

static gpointer
stop_later_thread (gpointer data)
{
  StopLater *stop = data;

  g_usleep (stop->delay_ms * 1000);
  if (stop->cancellable != NULL)
    g_cancellable_cancel (stop->cancellable);
  else
    mail_imap_client_idle_stop (stop->client);

  return NULL;
}

static void
idle_exists_cb (MailImapClient *client,
                guint           count,
                gpointer        user_data)
{
  *(guint *) user_data = count;
}

/* IDLE is renewed when its time is up, sees updates, and ends with DONE when another
 * thread asks, or when the cancellable is cancelled; the connection stays usable. */
static void
test_idle (Fixture       *fixture,
           gconstpointer  user_data)
{
  MailFakeServer *server = tls_server (fixture, "* PREAUTH [CAPABILITY IMAP4rev1 IDLE] hi\r\n");
  MailImapClient *client;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *failure = NULL;
  StopLater stop = { NULL, NULL, 3000 };
  GThread *thread;
  guint exists = 0;

  select_inbox (server, 1);
  mail_fake_server_expect (server, "a2 IDLE");
  mail_fake_server_send (server, "+ idling\r\n");
  mail_fake_server_expect (server, "DONE");
  mail_fake_server_send (server, "a2 OK renew\r\n");
  mail_fake_server_expect (server, "a3 IDLE");
  mail_fake_server_send (server, "+ idling\r\n* 3 EXISTS\r\n");
  mail_fake_server_expect (server, "DONE");
  mail_fake_server_send (server, "a3 OK done\r\n");
  mail_fake_server_expect (server, "a4 NOOP");
  mail_fake_server_send (server, "a4 OK\r\n");
  mail_fake_server_expect (server, "a5 IDLE");
  mail_fake_server_send (server, "+ idling\r\n");
  mail_fake_server_expect (server, "DONE");
  mail_fake_server_send (server, "a5 OK done\r\n");
  mail_fake_server_expect (server, "a6 NOOP");
  mail_fake_server_send (server, "a6 OK\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_connected (fixture);
  g_signal_connect (client, "exists", G_CALLBACK (idle_exists_cb), &exists);
  g_assert_true (mail_imap_client_select_sync (client, "INBOX", FALSE, NULL, NULL, NULL,
                                               &error));
  g_assert_cmpuint (exists, ==, 2);
  mail_imap_client_set_idle_restart (client, 2);

  stop.client = client;
  thread = g_thread_new ("idle-stop", stop_later_thread, &stop);
  g_assert_true (mail_imap_client_idle_sync (client, NULL, &error));
  g_assert_no_error (error);
  g_thread_join (thread);
  g_assert_cmpuint (exists, ==, 3);
  g_assert_true (mail_imap_client_noop_sync (client, NULL, &error));
  g_assert_no_error (error);

  mail_imap_client_set_idle_restart (client, 60);
  stop.cancellable = cancellable;
  stop.delay_ms = 300;
  thread = g_thread_new ("idle-cancel", stop_later_thread, &stop);
  g_assert_false (mail_imap_client_idle_sync (client, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_thread_join (thread);
  g_assert_true (mail_imap_client_noop_sync (client, NULL, &error));
  g_assert_no_error (error);
  mail_imap_client_close (client);

  g_assert_true (mail_fake_server_wait_finished (server, 1, 10000));
  failure = mail_fake_server_dup_failure (server);
  g_assert_null (failure);
}

static void
count_streamed_cb (const MailImapFetch *fetch,
                   gpointer             user_data)
{
  guint *count = user_data;

  g_assert_cmpuint (fetch->uid, ==, *count + 1);
  g_assert_true (fetch->flags.bits & MAIL_IMAP_FLAG_SEEN);
  (*count)++;
}

/* 50 000 FETCH results stream through the callback; none is kept. */
static void
test_fetch_streaming (Fixture       *fixture,
                      gconstpointer  user_data)
{
  MailFakeServer *server = tls_server (fixture, "* PREAUTH [CAPABILITY IMAP4rev1] hi\r\n");
  MailImapClient *client;
  g_autoptr (GString) reply = g_string_new (NULL);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GPtrArray) kept = NULL;
  g_autoptr (GError) error = NULL;
  MailImapFetchOptions options = { MAIL_IMAP_FETCH_ATTR_FLAGS, };
  guint count = 0;

  select_inbox (server, 1);
  mail_fake_server_expect (server, "a2 UID FETCH 1:* (UID FLAGS)");
  for (guint i = 1; i <= 50000; i++)
    g_string_append_printf (reply, "* %u FETCH (UID %u FLAGS (\\Seen))\r\n", i, i);
  g_string_append (reply, "a2 OK done\r\n");
  bytes = g_bytes_new (reply->str, reply->len);
  mail_fake_server_send_bytes (server, bytes);
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_connected (fixture);
  g_assert_true (mail_imap_client_select_sync (client, "INBOX", FALSE, NULL, NULL, NULL,
                                               &error));
  kept = mail_imap_client_uid_fetch_sync (client, "1:*", &options, count_streamed_cb, &count,
                                          NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (kept);
  g_assert_cmpuint (kept->len, ==, 0);
  g_assert_cmpuint (count, ==, 50000);
  mail_imap_client_close (client);
}

/* A plain SEARCH that finds a million messages with ten-digit UIDs is one line of about
 * 11 MB: it must fit, not end the connection. */
static void
test_search_million (Fixture       *fixture,
                     gconstpointer  user_data)
{
  MailFakeServer *server = tls_server (fixture, "* PREAUTH [CAPABILITY IMAP4rev1] hi\r\n");
  MailImapClient *client;
  g_autoptr (GString) reply = g_string_sized_new (12 * 1024 * 1024);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GArray) uids = NULL;
  g_autoptr (GError) error = NULL;

  mail_fake_server_expect (server, "a1 UID SEARCH ALL");
  g_string_append (reply, "* SEARCH");
  for (guint i = 0; i < 1000000; i++)
    g_string_append_printf (reply, " %u", 4000000000u + 2 * i);
  g_string_append (reply, "\r\na1 OK done\r\n");
  bytes = g_bytes_new (reply->str, reply->len);
  mail_fake_server_send_bytes (server, bytes);
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_connected (fixture);
  uids = mail_imap_client_uid_search_sync (client, "ALL", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (uids);
  g_assert_cmpuint (uids->len, ==, 1000000);
  g_assert_cmpuint (g_array_index (uids, guint32, 0), ==, 4000000000u);
  g_assert_cmpuint (g_array_index (uids, guint32, 999999), ==, 4000000000u + 2 * 999999);
  g_assert_true (mail_connection_is_connected (mail_imap_client_get_connection (client)));
  mail_imap_client_close (client);
}

static GArray *
uids_of (const guint32 *values,
         guint          n_values)
{
  GArray *uids = g_array_new (FALSE, FALSE, sizeof (guint32));

  g_array_append_vals (uids, values, n_values);

  return uids;
}

static void
assert_uids (GArray        *uids,
             const guint32 *expected,
             guint          n_expected)
{
  g_autoptr (GArray) want = uids_of (expected, n_expected);

  g_assert_nonnull (uids);
  g_assert_cmpmem (uids->data, uids->len * sizeof (guint32), want->data,
                   want->len * sizeof (guint32));
}

/* With ESEARCH the client asks for RETURN (MIN MAX COUNT ALL), takes only the ESEARCH
 * that names its own tag, expands the set (up to a limit) or keeps it as ranges, and
 * refuses an answer that is not about UIDs. */
static void
test_esearch (Fixture       *fixture,
              gconstpointer  user_data)
{
  static const guint32 expected[] = { 1, 2, 3, 4, 5, 7, 9, 10, 11, 12 };
  MailFakeServer *server = tls_server (fixture, "* PREAUTH [CAPABILITY IMAP4rev1 ESEARCH] hi\r\n");
  MailImapClient *client;
  g_autoptr (GArray) uids = NULL;
  g_autoptr (GArray) none = NULL;
  g_autoptr (GArray) all = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *set = NULL;
  g_autofree char *failure = NULL;
  MailImapSearchResult result;

  mail_fake_server_expect (server, "a1 UID SEARCH RETURN (MIN MAX COUNT ALL) UNSEEN");
  mail_fake_server_send (server, "* ESEARCH (TAG \"a0\") UID ALL 100:200\r\n"
                                 "* ESEARCH (TAG \"a1\") UID MIN 1 MAX 12 COUNT 10 "
                                 "ALL 1:5,7,9:12\r\na1 OK done\r\n");
  mail_fake_server_expect (server, "a2 UID SEARCH RETURN (MIN MAX COUNT ALL) DELETED");
  mail_fake_server_send (server, "* ESEARCH (TAG \"a2\") UID COUNT 0\r\na2 OK\r\n");
  mail_fake_server_expect (server, "a3 UID SEARCH RETURN (MIN MAX COUNT ALL) ALL");
  mail_fake_server_send (server, "* ESEARCH (TAG \"a3\") UID MIN 1 MAX 4294967295 "
                                 "COUNT 4294967295 ALL 1:4294967295\r\na3 OK\r\n");
  mail_fake_server_expect (server, "a4 UID SEARCH RETURN (MIN MAX COUNT ALL) ALL");
  mail_fake_server_send (server, "* ESEARCH (TAG \"a4\") UID MIN 1 MAX 4294967295 "
                                 "COUNT 4294967295 ALL 1:4294967295\r\na4 OK\r\n");
  mail_fake_server_expect (server, "a5 UID SEARCH RETURN (MIN MAX COUNT ALL) SEEN");
  mail_fake_server_send (server, "* ESEARCH (TAG \"a5\") MIN 3 MAX 3 COUNT 1 ALL 3\r\n"
                                 "a5 OK\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_connected (fixture);
  uids = mail_imap_client_uid_search_sync (client, "UNSEEN", NULL, NULL, &error);
  g_assert_no_error (error);
  assert_uids (uids, expected, G_N_ELEMENTS (expected));

  none = mail_imap_client_uid_search_sync (client, "DELETED", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (none);
  g_assert_cmpuint (none->len, ==, 0);

  /* Four billion UIDs are never listed one by one... */
  all = mail_imap_client_uid_search_sync (client, "ALL", NULL, NULL, &error);
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_LIMIT_EXCEEDED);
  g_assert_null (all);
  g_clear_error (&error);

  /* ...but they are one range. */
  g_assert_true (mail_imap_client_uid_search_ranges_sync (client, "ALL", NULL, &result, NULL,
                                                          &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.count, ==, G_MAXUINT32);
  g_assert_cmpuint (result.min, ==, 1);
  g_assert_cmpuint (result.max, ==, G_MAXUINT32);
  set = mail_imap_search_result_to_set (&result);
  g_assert_cmpstr (set, ==, "1:4294967295");
  mail_imap_search_result_clear (&result);

  /* Message numbers are not UIDs. */
  g_assert_null (mail_imap_client_uid_search_sync (client, "SEEN", NULL, NULL, &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PROTOCOL);
  g_assert_true (mail_connection_is_connected (mail_imap_client_get_connection (client)));
  mail_imap_client_close (client);

  g_assert_true (mail_fake_server_wait_finished (server, 1, 10000));
  failure = mail_fake_server_dup_failure (server);
  g_assert_null (failure);
}

/* Two searches in flight, answered out of order: each ESEARCH goes to the command whose
 * tag it names. */
static void
test_esearch_pipelined (Fixture       *fixture,
                        gconstpointer  user_data)
{
  MailFakeServer *server = tls_server (fixture, "* PREAUTH [CAPABILITY IMAP4rev1 ESEARCH] hi\r\n");
  MailImapClient *client;
  g_autoptr (MailImapCommand) first = NULL;
  g_autoptr (MailImapCommand) second = NULL;
  g_autoptr (GError) error = NULL;
  const MailImapResponse *r;

  mail_fake_server_expect (server, "a1 UID SEARCH RETURN (ALL) UNSEEN");
  mail_fake_server_expect (server, "a2 UID SEARCH RETURN (ALL) FLAGGED");
  mail_fake_server_send (server, "* ESEARCH (TAG \"a2\") UID ALL 7\r\n"
                                 "* ESEARCH (TAG \"a1\") UID ALL 3\r\n"
                                 "a1 OK\r\na2 OK\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_connected (fixture);
  first = mail_imap_client_new_command (client, "UID SEARCH RETURN (ALL) UNSEEN");
  mail_imap_command_collect (first, MAIL_IMAP_RESPONSE_ESEARCH);
  second = mail_imap_client_new_command (client, "UID SEARCH RETURN (ALL) FLAGGED");
  mail_imap_command_collect (second, MAIL_IMAP_RESPONSE_ESEARCH);
  g_assert_true (mail_imap_client_submit (client, first, NULL, &error));
  g_assert_true (mail_imap_client_submit (client, second, NULL, &error));
  g_assert_true (mail_imap_client_wait_sync (client, second, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mail_imap_command_check (first, &error));

  g_assert_cmpuint (mail_imap_command_get_responses (first)->len, ==, 1);
  r = g_ptr_array_index (mail_imap_command_get_responses (first), 0);
  g_assert_cmpstr (r->esearch.all.raw, ==, "3");
  g_assert_cmpuint (mail_imap_command_get_responses (second)->len, ==, 1);
  r = g_ptr_array_index (mail_imap_command_get_responses (second), 0);
  g_assert_cmpstr (r->esearch.all.raw, ==, "7");
  mail_imap_client_close (client);
}

typedef enum
{
  ENDLESS_STATUS,
  ENDLESS_LIST,
  ENDLESS_FETCH,
} EndlessKind;

/* A server answers a command with @n valid responses of @kind and never completes it; the
 * client, with small budgets (@max_responses responses, @max_size bytes kept), must give
 * up well before the server has sent them all, and close the connection. */
static GError *
run_endless (Fixture     *fixture,
             EndlessKind  kind,
             guint        n,
             guint        max_responses,
             guint64      max_size)
{
  MailFakeServer *server = tls_server (fixture, "* PREAUTH [CAPABILITY IMAP4rev1] hi\r\n");
  MailImapClient *client;
  g_autoptr (GString) reply = g_string_new (NULL);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (MailImapResponse) status = NULL;
  g_autoptr (GPtrArray) list = NULL;
  MailImapFetchOptions options = { MAIL_IMAP_FETCH_ATTR_FLAGS, };
  MailImapClientLimits limits;
  GError *error = NULL;
  gint64 start;

  switch (kind)
    {
    case ENDLESS_STATUS:
      mail_fake_server_expect (server, "a1 STATUS INBOX (MESSAGES)");
      for (guint i = 0; i < n; i++)
        g_string_append_printf (reply, "* STATUS INBOX (MESSAGES %u)\r\n", i);
      break;
    case ENDLESS_LIST:
      mail_fake_server_expect (server, "a1 LIST \"\" \"*\"");
      for (guint i = 0; i < n; i++)
        g_string_append_printf (reply, "* LIST () \"/\" \"folder %u\"\r\n", i);
      break;
    case ENDLESS_FETCH:
    default:
      mail_fake_server_expect (server, "a1 UID FETCH 1:* (UID FLAGS)");
      for (guint i = 1; i <= n; i++)
        g_string_append_printf (reply, "* %u FETCH (UID %u FLAGS (\\Seen))\r\n", i, i);
      break;
    }
  bytes = g_bytes_new (reply->str, reply->len);
  mail_fake_server_send_bytes (server, bytes);
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_connected (fixture);
  mail_imap_client_get_limits (client, &limits);
  limits.max_responses = max_responses;
  limits.max_collected_size = max_size;
  mail_imap_client_set_limits (client, &limits);

  start = g_get_monotonic_time ();
  switch (kind)
    {
    case ENDLESS_STATUS:
      status = mail_imap_client_status_sync (client, "INBOX", MAIL_IMAP_STATUS_ITEM_MESSAGES,
                                             NULL, &error);
      g_assert_null (status);
      break;
    case ENDLESS_LIST:
      list = mail_imap_client_list_sync (client, "", "*", MAIL_IMAP_LIST_NONE, NULL, &error);
      g_assert_null (list);
      break;
    case ENDLESS_FETCH:
    default:
      list = mail_imap_client_uid_fetch_sync (client, "1:*", &options, NULL, NULL, NULL,
                                              &error);
      g_assert_null (list);
      break;
    }

  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_LIMIT_EXCEEDED);
  g_assert_nonnull (strstr (error->message, "in reply to one command"));
  g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_PROTOCOL);
  /* Long before the 5 s read timeout, which is all that stopped it before. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
  g_assert_false (mail_connection_is_connected (mail_imap_client_get_connection (client)));
  g_assert_cmpint (mail_imap_client_get_state (client), ==, MAIL_IMAP_CLIENT_DISCONNECTED);
  g_assert_true (mail_fake_server_wait_finished (server, 1, 10000));

  return error;
}

static void
test_budget_count (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr (GError) status = NULL;
  g_autoptr (GError) list = NULL;
  g_autoptr (GError) fetch = NULL;

  status = run_endless (fixture, ENDLESS_STATUS, 20000, 1000, G_MAXUINT64);
  fixture_next_case (fixture, SERVER_TLS);
  list = run_endless (fixture, ENDLESS_LIST, 20000, 1000, G_MAXUINT64);
  fixture_next_case (fixture, SERVER_TLS);
  fetch = run_endless (fixture, ENDLESS_FETCH, 20000, 1000, G_MAXUINT64);

  g_assert_nonnull (strstr (status->message, "more than 1000 responses"));
  g_assert_nonnull (strstr (list->message, "more than 1000 responses"));
  g_assert_nonnull (strstr (fetch->message, "more than 1000 responses"));
}

static void
test_budget_size (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr (GError) status = NULL;
  g_autoptr (GError) list = NULL;
  g_autoptr (GError) fetch = NULL;

  status = run_endless (fixture, ENDLESS_STATUS, 20000, G_MAXUINT, 256 * 1024);
  fixture_next_case (fixture, SERVER_TLS);
  list = run_endless (fixture, ENDLESS_LIST, 20000, G_MAXUINT, 256 * 1024);
  fixture_next_case (fixture, SERVER_TLS);
  fetch = run_endless (fixture, ENDLESS_FETCH, 20000, G_MAXUINT, 256 * 1024);

  /* g_format_size() puts a no-break space before the unit. */
  g_assert_nonnull (strstr (status->message, "more than 256.0\u00a0KiB"));
  g_assert_nonnull (strstr (list->message, "more than 256.0\u00a0KiB"));
  g_assert_nonnull (strstr (fetch->message, "more than 256.0\u00a0KiB"));
}

/* @n steps of @text, one every @interval_ms, then @last. */
static void
trickle (MailFakeServer *server,
         guint           n,
         guint           interval_ms,
         const char     *text,
         const char     *last)
{
  for (guint i = 0; i < n; i++)
    {
      mail_fake_server_sleep (server, interval_ms);
      mail_fake_server_send (server, text);
    }
  mail_fake_server_send (server, last);
  mail_fake_server_wait_close (server);
}

static MailImapClient *
client_with_time_limits (Fixture *fixture,
                         guint    deadline,
                         guint    window,
                         guint64  min_progress)
{
  MailImapClient *client = fixture_connected (fixture);
  MailImapClientLimits limits;

  mail_imap_client_get_limits (client, &limits);
  limits.command_deadline = deadline;
  limits.progress_window = window;
  limits.min_progress = min_progress;
  mail_imap_client_set_limits (client, &limits);

  return client;
}

/* A server that keeps every read within the timeout by trickling, a few bytes at a time,
 * cannot hold a command past its deadline. */
static void
test_deadline_trickle (Fixture       *fixture,
                       gconstpointer  user_data)
{
  MailFakeServer *server = tls_server (fixture, "* PREAUTH [CAPABILITY IMAP4rev1] hi\r\n");
  MailImapClient *client;
  g_autoptr (GError) error = NULL;
  gint64 start;

  mail_fake_server_expect (server, "a1 NOOP");
  /* "* OK" a piece at a time, four pieces a second, for four seconds: then the answer. */
  for (guint i = 0; i < 16; i++)
    {
      static const char * const pieces[] = { "*", " ", "O", "K\r\n" };

      mail_fake_server_sleep (server, 250);
      mail_fake_server_send (server, pieces[i % G_N_ELEMENTS (pieces)]);
    }
  mail_fake_server_send (server, "a1 OK done\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = client_with_time_limits (fixture, 1, 0, 0);
  start = g_get_monotonic_time ();
  g_assert_false (mail_imap_client_noop_sync (client, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_nonnull (strstr (error->message, "within 1 second"));
  g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
  g_assert_false (mail_connection_is_connected (mail_imap_client_get_connection (client)));
  g_assert_true (mail_fake_server_wait_finished (server, 1, 10000));
}

/* A command's own deadline overrides the client's: without one it is held to the progress
 * rule only, which a steady trickle meets. */
static void
test_deadline_per_command (Fixture       *fixture,
                           gconstpointer  user_data)
{
  MailFakeServer *server = tls_server (fixture, "* PREAUTH [CAPABILITY IMAP4rev1] hi\r\n");
  MailImapClient *client;
  g_autoptr (MailImapCommand) command = NULL;
  g_autoptr (GError) error = NULL;

  mail_fake_server_expect (server, "a1 NOOP");
  trickle (server, 8, 250, "* OK working\r\n", "a1 OK done\r\n");
  mail_fake_server_start (server);

  client = client_with_time_limits (fixture, 1, 1, 16);
  command = mail_imap_client_new_command (client, "NOOP");
  mail_imap_command_set_deadline (command, 0);
  g_assert_true (mail_imap_client_run_sync (client, command, NULL, &error));
  g_assert_no_error (error);
  mail_imap_client_close (client);
}

static void
count_fetch_only_cb (const MailImapFetch *fetch,
                     gpointer             user_data)
{
  (*(guint *) user_data)++;
}

/* A command that streams its results has no deadline: a long, steady stream is fine... */
static void
test_streaming_no_deadline (Fixture       *fixture,
                            gconstpointer  user_data)
{
  MailFakeServer *server = tls_server (fixture, "* PREAUTH [CAPABILITY IMAP4rev1] hi\r\n");
  MailImapClient *client;
  g_autoptr (GString) burst = g_string_new (NULL);
  g_autoptr (GPtrArray) kept = NULL;
  g_autoptr (GError) error = NULL;
  MailImapFetchOptions options = { MAIL_IMAP_FETCH_ATTR_FLAGS, };
  guint count = 0;

  mail_fake_server_expect (server, "a1 UID FETCH 1:* (UID FLAGS)");
  for (guint i = 1; i <= 100; i++)
    g_string_append_printf (burst, "* %u FETCH (UID %u FLAGS (\\Seen))\r\n", i, i);
  trickle (server, 10, 250, burst->str, "a1 OK done\r\n");
  mail_fake_server_start (server);

  client = client_with_time_limits (fixture, 1, 1, 1024);
  kept = mail_imap_client_uid_fetch_sync (client, "1:*", &options, count_fetch_only_cb, &count,
                                          NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (kept);
  g_assert_cmpuint (count, ==, 1000);
  mail_imap_client_close (client);
}

/* ...but a trickle is not: it must bring a minimum of bytes per window. */
static void
test_streaming_trickle (Fixture       *fixture,
                        gconstpointer  user_data)
{
  MailFakeServer *server = tls_server (fixture, "* PREAUTH [CAPABILITY IMAP4rev1] hi\r\n");
  MailImapClient *client;
  g_autoptr (GPtrArray) kept = NULL;
  g_autoptr (GError) error = NULL;
  MailImapFetchOptions options = { MAIL_IMAP_FETCH_ATTR_FLAGS, };
  guint count = 0;
  gint64 start;

  mail_fake_server_expect (server, "a1 UID FETCH 1:* (UID FLAGS)");
  trickle (server, 16, 250, "* 1 FETCH (UID 1 FLAGS (\\Seen))\r\n", "a1 OK done\r\n");
  mail_fake_server_start (server);

  client = client_with_time_limits (fixture, 1, 1, 1024);
  start = g_get_monotonic_time ();
  kept = mail_imap_client_uid_fetch_sync (client, "1:*", &options, count_fetch_only_cb, &count,
                                          NULL, &error);
  g_assert_null (kept);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_nonnull (strstr (error->message, "sent less than 1.0\u00a0KiB in 1 second"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
  g_assert_false (mail_connection_is_connected (mail_imap_client_get_connection (client)));
  g_assert_true (mail_fake_server_wait_finished (server, 1, 10000));
}

static void
async_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *result;
}

static void
test_async (Fixture       *fixture,
            gconstpointer  user_data)
{
  MailFakeServer *server = tls_server (fixture, "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hi\r\n");
  MailImapClient *client;
  g_autoptr (MailImapCommand) noop = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *result = NULL;

  mail_fake_server_expect (server, "a1 AUTHENTICATE PLAIN");
  mail_fake_server_send (server, "+ \r\n");
  mail_fake_server_expect (server, "*");
  mail_fake_server_send (server, "a1 OK [CAPABILITY IMAP4rev1 IDLE] welcome\r\n");
  mail_fake_server_expect (server, "a2 NOOP");
  mail_fake_server_send (server, "a2 OK\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_client (fixture, MAIL_SECURITY_TLS);
  mail_imap_client_connect_async (client, NULL, async_done_cb, &result);
  g_assert_true (mail_imap_client_connect_finish (client, wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  mail_imap_client_login_async (client, "alice", "pw", NULL, async_done_cb, &result);
  g_assert_true (mail_imap_client_login_finish (client, wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  noop = mail_imap_client_new_command (client, "NOOP");
  mail_imap_client_run_async (client, noop, NULL, async_done_cb, &result);
  g_assert_true (mail_imap_client_run_finish (client, wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  mail_imap_client_close (client);
}

/* The server says BYE and hangs up in the middle of IDLE. */
static void
test_idle_bye (Fixture       *fixture,
               gconstpointer  user_data)
{
  MailFakeServer *server = tls_server (fixture, "* PREAUTH [CAPABILITY IMAP4rev1 IDLE] hi\r\n");
  MailImapClient *client;
  g_autoptr (GError) error = NULL;

  select_inbox (server, 1);
  mail_fake_server_expect (server, "a2 IDLE");
  mail_fake_server_send (server, "+ idling\r\n");
  mail_fake_server_sleep (server, 200);
  mail_fake_server_send (server, "* BYE idle too long\r\n");
  mail_fake_server_close (server);
  mail_fake_server_start (server);

  client = fixture_connected (fixture);
  g_assert_true (mail_imap_client_select_sync (client, "INBOX", FALSE, NULL, NULL, NULL,
                                               &error));
  g_assert_false (mail_imap_client_idle_sync (client, NULL, &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_BYE);
  g_assert_cmpint (mail_imap_client_get_state (client), ==, MAIL_IMAP_CLIENT_DISCONNECTED);
}

/* Cancelling a command from another thread ends it at once; the connection is closed. */
static void
test_cancel_command (Fixture       *fixture,
                     gconstpointer  user_data)
{
  MailFakeServer *server = tls_server (fixture, "* PREAUTH [CAPABILITY IMAP4rev1] hi\r\n");
  MailImapClient *client;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  StopLater stop = { NULL, NULL, 200 };
  GThread *thread;
  gint64 start;

  mail_fake_server_expect (server, "a1 NOOP");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_connected (fixture);
  stop.client = client;
  stop.cancellable = cancellable;
  thread = g_thread_new ("cancel", stop_later_thread, &stop);
  start = g_get_monotonic_time ();
  g_assert_false (mail_imap_client_noop_sync (client, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
  g_assert_false (mail_connection_is_connected (mail_imap_client_get_connection (client)));
  g_thread_join (thread);
}

static GBytes *
deflate_flushed (const char *text)
{
  g_autoptr (GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW,
                                                                  -1);
  g_autoptr (GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr (GOutputStream) output = g_converter_output_stream_new (memory,
                                                                    G_CONVERTER (compressor));
  g_autoptr (GError) error = NULL;

  g_filter_output_stream_set_close_base_stream (G_FILTER_OUTPUT_STREAM (output), FALSE);
  g_assert_true (g_output_stream_write_all (output, text, strlen (text), NULL, NULL, &error));
  g_assert_true (g_output_stream_flush (output, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (memory, NULL, &error));

  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

/* After COMPRESS DEFLATE the client reads and writes raw DEFLATE. */
static void
test_compress (Fixture       *fixture,
               gconstpointer  user_data)
{
  MailFakeServer *server =
    tls_server (fixture, "* PREAUTH [CAPABILITY IMAP4rev1 IDLE COMPRESS=DEFLATE] hi\r\n");
  MailImapClient *client;
  g_autoptr (GBytes) reply = deflate_flushed ("* 1 EXISTS\r\na2 OK still here\r\n");
  g_autoptr (GBytes) idling = deflate_flushed ("+ idling\r\n");
  g_autoptr (GBytes) done = deflate_flushed ("a3 OK idle done\r\n");
  g_autoptr (GError) error = NULL;
  g_autofree char *log = NULL;
  StopLater stop = { NULL, NULL, 1000 };
  GThread *thread;

  mail_fake_server_expect (server, "a1 COMPRESS DEFLATE");
  mail_fake_server_send (server, "a1 OK DEFLATE active\r\n");
  mail_fake_server_sleep (server, 300);
  mail_fake_server_send_bytes (server, reply);
  /* Then IDLE, which waits for data on the compressed stream. */
  mail_fake_server_sleep (server, 300);
  mail_fake_server_send_bytes (server, idling);
  mail_fake_server_sleep (server, 1500);
  mail_fake_server_send_bytes (server, done);
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_connected (fixture);
  g_assert_true (mail_imap_client_compress_sync (client, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mail_connection_is_compressed (mail_imap_client_get_connection (client)));
  g_assert_true (mail_imap_client_noop_sync (client, NULL, &error));
  g_assert_no_error (error);

  stop.client = client;
  thread = g_thread_new ("idle-stop", stop_later_thread, &stop);
  g_assert_true (mail_imap_client_idle_sync (client, NULL, &error));
  g_assert_no_error (error);
  g_thread_join (thread);
  mail_imap_client_close (client);

  g_assert_true (mail_fake_server_wait_finished (server, 1, 10000));
  /* The NOOP reached the server compressed, not as its text. */
  g_assert_cmpuint (mail_fake_server_get_waited_bytes (server), >, 0);
  log = mail_protocol_log_to_string (mail_connection_get_log (
    mail_imap_client_get_connection (client)));
  g_assert_nonnull (strstr (log, "S: a2 OK still here"));
  g_assert_nonnull (strstr (log, "S: a3 OK idle done"));
}

/* Data right behind the COMPRESS OK is refused: it cannot be told apart. */
static void
test_compress_injection (Fixture       *fixture,
                         gconstpointer  user_data)
{
  MailFakeServer *server =
    tls_server (fixture, "* PREAUTH [CAPABILITY IMAP4rev1 COMPRESS=DEFLATE] hi\r\n");
  MailImapClient *client;
  g_autoptr (GError) error = NULL;

  mail_fake_server_expect (server, "a1 COMPRESS DEFLATE");
  mail_fake_server_send (server, "a1 OK DEFLATE active\r\n* 3 EXISTS\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = fixture_connected (fixture);
  g_assert_false (mail_imap_client_compress_sync (client, NULL, &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PROTOCOL);
  g_assert_false (mail_connection_is_connected (mail_imap_client_get_connection (client)));
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

  ADD ("/mail/imap/hostile/starttls/missing", SERVER_STARTTLS, test_starttls_missing);
  ADD ("/mail/imap/hostile/starttls/refused", SERVER_STARTTLS, test_starttls_refused);
  ADD ("/mail/imap/hostile/starttls/bad", SERVER_STARTTLS, test_starttls_bad);
  ADD ("/mail/imap/hostile/starttls/injection", SERVER_STARTTLS, test_starttls_injection);
  ADD ("/mail/imap/hostile/starttls/injection-framing", SERVER_STARTTLS,
       test_starttls_injection_framing);
  ADD ("/mail/imap/hostile/starttls/preauth", SERVER_STARTTLS, test_starttls_preauth);
  ADD ("/mail/imap/hostile/starttls/ok", SERVER_STARTTLS, test_starttls_ok);
  ADD ("/mail/imap/hostile/starttls/refused-text", SERVER_STARTTLS, test_starttls_refused_text);
  ADD ("/mail/imap/hostile/starttls/capability-refused-before-tls", SERVER_STARTTLS,
       test_capability_refused_before_tls);
  ADD ("/mail/imap/hostile/starttls/bye-before-tls", SERVER_STARTTLS, test_bye_before_tls);
  ADD ("/mail/imap/hostile/starttls/greeting-bye-text", SERVER_STARTTLS, test_greeting_bye_text);
  ADD ("/mail/imap/hostile/starttls/capability-refused-after-tls", SERVER_STARTTLS,
       test_capability_refused_after_tls);
  ADD ("/mail/imap/hostile/bye-mid-command", SERVER_TLS, test_bye_mid_command);
  ADD ("/mail/imap/hostile/drop-in-literal", SERVER_TLS, test_drop_in_literal);
  ADD ("/mail/imap/hostile/literal-huge", SERVER_TLS, test_literal_huge);
  ADD ("/mail/imap/hostile/literal-negative", SERVER_TLS, test_literal_negative);
  ADD ("/mail/imap/hostile/long-line", SERVER_TLS, test_long_line);
  ADD ("/mail/imap/hostile/deep-nesting", SERVER_TLS, test_deep_nesting);
  ADD ("/mail/imap/hostile/garbage-greeting", SERVER_TLS, test_garbage_greeting);
  ADD ("/mail/imap/hostile/stall", SERVER_TLS, test_stall);
  ADD ("/mail/imap/hostile/invalid-utf7", SERVER_TLS, test_invalid_utf7);
  ADD ("/mail/imap/hostile/move-without-uidplus", SERVER_TLS, test_move_without_uidplus);
  ADD ("/mail/imap/hostile/move-fallback", SERVER_TLS, test_move_fallback);
  ADD ("/mail/imap/hostile/sync-literal", SERVER_TLS, test_sync_literal);
  ADD ("/mail/imap/hostile/unknown-tag", SERVER_TLS, test_unknown_tag);
  ADD ("/mail/imap/hostile/preauth-untagged-ignored", SERVER_TLS, test_preauth_untagged_ignored);
  ADD ("/mail/imap/hostile/starttls/injection-late", SERVER_STARTTLS, test_starttls_injection_late);
  ADD ("/mail/imap/hostile/login/command", SERVER_TLS, test_login_command);
  ADD ("/mail/imap/hostile/login/sasl-ir", SERVER_TLS, test_sasl_ir);
  ADD ("/mail/imap/hostile/login/plaintext-refused", SERVER_PLAINTEXT, test_plaintext_refused);
  ADD ("/mail/imap/hostile/login/logindisabled", SERVER_TLS, test_logindisabled);
  ADD ("/mail/imap/hostile/pipeline-behind-literal", SERVER_TLS, test_pipeline_behind_literal);
  ADD ("/mail/imap/hostile/utf8-accept", SERVER_TLS, test_utf8_accept);
  ADD ("/mail/imap/hostile/idle", SERVER_TLS, test_idle);
  ADD ("/mail/imap/hostile/fetch-streaming", SERVER_TLS, test_fetch_streaming);
  ADD ("/mail/imap/hostile/search-million", SERVER_TLS, test_search_million);
  ADD ("/mail/imap/hostile/esearch", SERVER_TLS, test_esearch);
  ADD ("/mail/imap/hostile/esearch-pipelined", SERVER_TLS, test_esearch_pipelined);
  ADD ("/mail/imap/hostile/budget/count", SERVER_TLS, test_budget_count);
  ADD ("/mail/imap/hostile/budget/size", SERVER_TLS, test_budget_size);
  ADD ("/mail/imap/hostile/deadline/trickle", SERVER_TLS, test_deadline_trickle);
  ADD ("/mail/imap/hostile/deadline/per-command", SERVER_TLS, test_deadline_per_command);
  ADD ("/mail/imap/hostile/deadline/streaming-exempt", SERVER_TLS, test_streaming_no_deadline);
  ADD ("/mail/imap/hostile/deadline/streaming-trickle", SERVER_TLS, test_streaming_trickle);
  ADD ("/mail/imap/hostile/async", SERVER_TLS, test_async);
  ADD ("/mail/imap/hostile/idle-bye", SERVER_TLS, test_idle_bye);
  ADD ("/mail/imap/hostile/cancel-command", SERVER_TLS, test_cancel_command);
  ADD ("/mail/imap/hostile/compress", SERVER_TLS, test_compress);
  ADD ("/mail/imap/hostile/compress-injection", SERVER_TLS, test_compress_injection);

#undef ADD

  status = g_test_run ();
  mail_test_certs_free (certs);

  return status;
}
