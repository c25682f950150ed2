/* test-imap-sync.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What a sync engine needs of MailImapClient, against scripted servers: temporary
 * refusals ([INUSE], [UNAVAILABLE]) told apart from permanent ones. */

#include "config.h"

#include <string.h>

#include "mail-fake-server.h"
#include "mail-imap-client.h"
#include "mail-test-certs.h"
#include "mail-test-util.h"
#include "mail-tls-database.h"

static MailTestCerts *certs;

typedef struct
{
  GTlsDatabase   *database;
  MailFakeServer *server;
  MailImapClient *client;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr (GError) error = NULL;

  fixture->database = mail_tls_database_new (certs->ca_file, &error);
  g_assert_no_error (error);
  fixture->server = mail_fake_server_new (certs->good, TRUE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  if (fixture->client != NULL)
    {
      MailConnection *connection = mail_imap_client_get_connection (fixture->client);

      mail_test_assert_finalize_client (g_steal_pointer (&fixture->client), connection);
    }
  g_clear_pointer (&fixture->server, mail_fake_server_free);
  mail_test_wait_for_last_ref (fixture->database);
  g_assert_finalize_object (g_steal_pointer (&fixture->database));
}

/* Starts the fixture's server, whose script must be complete, and a client for it. */
static MailImapClient *
fixture_client (Fixture *fixture)
{
  MailImapClient *client;

  mail_fake_server_start (fixture->server);
  client = mail_imap_client_new ("localhost", mail_fake_server_get_port (fixture->server),
                                 MAIL_SECURITY_TLS, fixture->database);
  mail_connection_set_timeout (mail_imap_client_get_connection (client),
                               MAIL_CONNECTION_PHASE_COMMAND, 10);
  mail_connection_set_timeout (mail_imap_client_get_connection (client),
                               MAIL_CONNECTION_PHASE_GREETING, 10);
  fixture->client = client;

  return client;
}

static MailImapClient *
fixture_connected (Fixture *fixture)
{
  g_autoptr (GError) error = NULL;
  MailImapClient *client = fixture_client (fixture);

  g_assert_true (mail_imap_client_connect_sync (client, NULL, &error));
  g_assert_no_error (error);

  return client;
}

static void
assert_temporary (const GError *error)
{
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_TEMPORARY);
  g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_TEMPORARY);
  g_assert_cmpstr (mail_error_category_to_string (mail_error_categorize (error)), ==,
                   "temporary");
}

/* [INUSE] and [UNAVAILABLE] are refusals for now, to be retried; a NO without them is
 * not, and neither is [OVERQUOTA]. */
static void
test_temporary (Fixture       *fixture,
                gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  g_autoptr (GError) error = NULL;
  MailImapClient *client;

  mail_fake_server_send (server, "* PREAUTH [CAPABILITY IMAP4rev1] hi\r\n");
  mail_fake_server_expect (server, "a1 SELECT INBOX");
  mail_fake_server_send (server, "a1 NO [INUSE] Mailbox in use by another session\r\n");
  mail_fake_server_expect (server, "a2 CREATE Archive");
  mail_fake_server_send (server, "a2 NO [UNAVAILABLE] Backend down\r\n");
  mail_fake_server_expect (server, "a3 CREATE Archive");
  mail_fake_server_send (server, "a3 NO [OVERQUOTA] Full\r\n");
  mail_fake_server_expect (server, "a4 CREATE Archive");
  mail_fake_server_send (server, "a4 NO No\r\n");
  mail_fake_server_wait_close (server);

  client = fixture_connected (fixture);
  g_assert_false (mail_imap_client_select_sync (client, "INBOX", FALSE, NULL, NULL, NULL,
                                                &error));
  assert_temporary (error);
  g_assert_nonnull (strstr (error->message, "INUSE"));
  g_clear_error (&error);

  g_assert_false (mail_imap_client_create_sync (client, "Archive", NULL, &error));
  assert_temporary (error);
  g_clear_error (&error);

  g_assert_false (mail_imap_client_create_sync (client, "Archive", NULL, &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_OVERQUOTA);
  g_assert_cmpint (mail_error_categorize (error), !=, MAIL_ERROR_CATEGORY_TEMPORARY);
  g_clear_error (&error);

  g_assert_false (mail_imap_client_create_sync (client, "Archive", NULL, &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_NO);
  g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_PROTOCOL);

  g_assert_true (g_str_has_suffix (mail_error_category_describe (MAIL_ERROR_CATEGORY_TEMPORARY),
                                   "."));
  g_assert_cmpint (mail_error_category_from_string ("temporary"), ==,
                   MAIL_ERROR_CATEGORY_TEMPORARY);
  mail_imap_client_close (client);
}

/* An authentication service that is down is not a wrong password: the user must not be
 * asked for it again. */
static void
test_login_unavailable (Fixture       *fixture,
                        gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  g_autoptr (GError) error = NULL;
  MailImapClient *client;

  mail_fake_server_send (server, "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] hi\r\n");
  mail_fake_server_expect (server, "a1 AUTHENTICATE PLAIN *");
  mail_fake_server_send (server, "a1 NO [UNAVAILABLE] Authentication backend down\r\n");
  mail_fake_server_wait_close (server);

  client = fixture_connected (fixture);
  g_assert_false (mail_imap_client_login_sync (client, "alice", "pw", NULL, &error));
  assert_temporary (error);
  mail_imap_client_close (client);
}

/* A server too busy to take the connection says so in its greeting. */
static void
test_greeting_unavailable (Fixture       *fixture,
                           gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  g_autoptr (GError) error = NULL;
  MailImapClient *client;

  mail_fake_server_send (server, "* BYE [UNAVAILABLE] Too many connections, try later\r\n");
  mail_fake_server_wait_close (server);

  client = fixture_client (fixture);
  g_assert_false (mail_imap_client_connect_sync (client, NULL, &error));
  assert_temporary (error);
  g_assert_nonnull (strstr (error->message, "Too many connections"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  int status;

  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

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

  ADD ("/mail/imap/sync/temporary", test_temporary);
  ADD ("/mail/imap/sync/login-unavailable", test_login_unavailable);
  ADD ("/mail/imap/sync/greeting-unavailable", test_greeting_unavailable);

#undef ADD

  status = g_test_run ();
  mail_test_certs_free (certs);

  return status;
}
