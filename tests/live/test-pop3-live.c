/* test-pop3-live.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* MailPop3Client against the harness's Dovecot (POP3 on 995 with implicit TLS and on 110
 * with STLS). The mailbox is filled through Postfix with MailSmtpClient first, so the
 * messages went through a real submission, a real LMTP delivery and a real maildir.
 * Checks capabilities, sign-in with every method, STAT/LIST/UIDL/TOP/RETR, the
 * dot-stuffing round trip, and that DELE happens only for stored messages, is undone by
 * RSET, and takes effect at QUIT. */

#include "config.h"

#include <string.h>

#include "mail-net-error.h"
#include "mail-pop3-client.h"
#include "mail-smtp-client.h"
#include "mail-test-util.h"

#define ALICE "alice@example.test"
#define N_MESSAGES 6

/* The body every test message has: lines that need dot-stuffing on both protocols. */
#define BODY "First line\r\n.\r\n..two dots\r\n.leading dot\r\nlast line\r\n"

static char *alice_password;

static MailPop3Client *
pop3_client (GTlsDatabase *database,
             MailSecurity  security)
{
  g_autofree char *host = mail_test_harness_get ("pop3", "host");
  guint16 port = mail_test_harness_get_port ("pop3", security == MAIL_SECURITY_TLS
                                                      ? "tls-port" : "starttls-port");
  MailPop3Client *client = mail_pop3_client_new (host, port, security, database);

  mail_connection_set_timeout (mail_pop3_client_get_connection (client),
                               MAIL_CONNECTION_PHASE_COMMAND, 20);

  return client;
}

/* Drops @client, which must take its connection with it: a leaked reference fails here. */
static void
assert_finalize_client (MailPop3Client *client)
{
  mail_test_assert_finalize_client (client, mail_pop3_client_get_connection (client));
}

/* The client's protocol log (passwords removed), as text. */
static char *
log_text (MailPop3Client *client)
{
  MailConnection *connection = mail_pop3_client_get_connection (client);

  return mail_protocol_log_to_string (mail_connection_get_log (connection));
}

static MailPop3Client *
signed_in (GTlsDatabase *database,
           MailSecurity  security)
{
  MailPop3Client *client = pop3_client (database, security);
  g_autoptr (GError) error = NULL;

  g_assert_true (mail_pop3_client_connect_sync (client, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mail_pop3_client_login_sync (client, ALICE, alice_password, NULL, &error));
  g_assert_no_error (error);

  return client;
}

static guint
count_messages (GTlsDatabase *database)
{
  MailPop3Client *client = signed_in (database, MAIL_SECURITY_TLS);
  g_autoptr (GError) error = NULL;
  guint count = 0;

  g_assert_true (mail_pop3_client_stat_sync (client, &count, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mail_pop3_client_quit_sync (client, NULL, &error));
  assert_finalize_client (client);

  return count;
}

/* Sends N_MESSAGES to alice through Postfix, once, and waits until Dovecot has them. */
static void
ensure_delivered (GTlsDatabase *database)
{
  static gboolean delivered;
  g_autofree char *host = NULL;
  MailSmtpClient *smtp = NULL;
  g_autoptr (GError) error = NULL;
  const char *recipients[] = { ALICE, NULL };
  gint64 deadline;

  if (delivered)
    return;

  host = mail_test_harness_get ("smtp", "host");
  smtp = mail_smtp_client_new (host, mail_test_harness_get_port ("smtp", "tls-port"),
                               MAIL_SECURITY_TLS, database);
  g_assert_true (mail_smtp_client_connect_sync (smtp, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mail_smtp_client_login_sync (smtp, ALICE, alice_password, NULL, &error));
  g_assert_no_error (error);

  for (guint i = 1; i <= N_MESSAGES; i++)
    {
      g_autofree char *text = g_strdup_printf ("From: Alice <" ALICE ">\r\n"
                                               "To: Alice <" ALICE ">\r\n"
                                               "Subject: POP3 test %u\r\n"
                                               "Message-ID: <pop3-live-%u@example.test>\r\n"
                                               "X-Test-Id: pop3-live-%u\r\n"
                                               "\r\n" BODY,
                                               i, i, i);
      g_autoptr (GBytes) message = g_bytes_new (text, strlen (text));
      g_autoptr (MailSmtpResult) result = NULL;

      g_assert_true (mail_smtp_client_send_sync (smtp, ALICE, recipients, message, &result, NULL,
                                                 &error));
      g_assert_no_error (error);
      g_assert_cmpint (mail_smtp_result_get_outcome (result), ==, MAIL_SMTP_OUTCOME_SENT);
    }
  g_assert_true (mail_smtp_client_quit_sync (smtp, NULL, &error));
  mail_test_assert_finalize_client (smtp, mail_smtp_client_get_connection (smtp));

  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (count_messages (database) < N_MESSAGES)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (200 * 1000);
    }

  delivered = TRUE;
}

static gboolean
strv_has_prefix (char       **strv,
                 const char  *prefix)
{
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    if (g_str_has_prefix (strv[i], prefix))
      return TRUE;

  return FALSE;
}

/* The body of a message (GBytes are not NUL-terminated). */
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

/* What every test has: the trust store of a user who added the harness's CA, and the
 * test's client, which only the fixture holds. */
typedef struct
{
  GTlsDatabase   *database;
  MailPop3Client *client;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->database = mail_test_tls_database ();
}

/* Ends the test's client, if there is one, as the teardown does. */
static void
fixture_end_client (Fixture *fixture)
{
  if (fixture->client != NULL)
    assert_finalize_client (g_steal_pointer (&fixture->client));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  fixture_end_client (fixture);

  /* With every connection gone, nothing holds the trust store any more. */
  mail_test_wait_for_last_ref (fixture->database);
  g_assert_finalize_object (g_steal_pointer (&fixture->database));
}

/* Gives @client to the fixture, ending (and checking) the one it held before: a test with
 * one session after another has each of them checked. */
static MailPop3Client *
fixture_take_client (Fixture        *fixture,
                     MailPop3Client *client)
{
  fixture_end_client (fixture);
  fixture->client = client;

  return client;
}

static MailPop3Client *
fixture_client (Fixture      *fixture,
                MailSecurity  security)
{
  return fixture_take_client (fixture, pop3_client (fixture->database, security));
}

static MailPop3Client *
fixture_signed_in (Fixture      *fixture,
                   MailSecurity  security)
{
  return fixture_take_client (fixture, signed_in (fixture->database, security));
}

/* ---------------------------------------------------------------------------------- */

static void
test_tls_capabilities (Fixture       *fixture,
                       gconstpointer  user_data)
{
  MailPop3Client *client = fixture_client (fixture, MAIL_SECURITY_TLS);
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) capabilities = NULL;
  g_auto (GStrv) mechanisms = NULL;
  MailCertificateInfo *certificate;

  g_assert_true (mail_pop3_client_connect_sync (client, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (mail_pop3_client_get_state (client), ==, MAIL_POP3_STATE_AUTHORIZATION);
  g_assert_true (mail_connection_is_encrypted (mail_pop3_client_get_connection (client)));

  certificate =
    mail_connection_get_peer_certificate_info (mail_pop3_client_get_connection (client));
  g_assert_nonnull (certificate);
  g_assert_cmpuint (mail_certificate_info_get_errors (certificate), ==, 0);

  capabilities = mail_pop3_client_dup_capabilities (client);
  g_assert_true (g_strv_contains ((const char * const *) capabilities, "USER"));
  g_assert_true (g_strv_contains ((const char * const *) capabilities, "UIDL"));
  g_assert_true (g_strv_contains ((const char * const *) capabilities, "TOP"));
  g_assert_true (strv_has_prefix (capabilities, "SASL "));
  g_assert_false (g_strv_contains ((const char * const *) capabilities, "STLS"));

  mechanisms = mail_pop3_client_dup_auth_mechanisms (client);
  g_assert_true (g_strv_contains ((const char * const *) mechanisms, "PLAIN"));
  g_assert_true (g_strv_contains ((const char * const *) mechanisms, "LOGIN"));

  g_assert_true (mail_pop3_client_login_sync (client, ALICE, alice_password, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (mail_pop3_client_get_state (client), ==, MAIL_POP3_STATE_TRANSACTION);
  g_assert_true (mail_pop3_client_has_capability (client, "UIDL"));

  g_assert_true (mail_pop3_client_quit_sync (client, NULL, &error));
  g_assert_no_error (error);
}

static void
test_read_mailbox (Fixture       *fixture,
                   gconstpointer  user_data)
{
  MailPop3Client *client;
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) list = NULL;
  g_autoptr (GArray) uids = NULL;
  g_autoptr (GBytes) top = NULL;
  g_autoptr (GPtrArray) tokens = NULL;
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree guint *numbers = NULL;
  g_autofree char *log = NULL;
  guint count = 0;
  guint64 size = 0;
  guint64 total = 0;

  ensure_delivered (fixture->database);
  client = fixture_signed_in (fixture, MAIL_SECURITY_TLS);

  g_assert_true (mail_pop3_client_stat_sync (client, &count, &size, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, >=, 1);

  list = mail_pop3_client_list_sync (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, count);
  for (guint i = 0; i < list->len; i++)
    total += g_array_index (list, MailPop3ListEntry, i).size;
  g_assert_cmpuint (total, ==, size);

  uids = mail_pop3_client_uidl_sync (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (uids->len, ==, count);
  for (guint i = 0; i < uids->len; i++)
    g_assert_true (g_hash_table_add (seen, g_array_index (uids, MailPop3UidlEntry, i).uid));

  top = mail_pop3_client_top_sync (client, 1, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (top, NULL), g_bytes_get_size (top),
                                  "Subject: POP3 test"));
  /* Only the header: nothing after the blank line. */
  {
    g_autofree char *body = dup_body (top);

    g_assert_cmpstr (body, ==, "");
  }

  numbers = g_new (guint, count);
  for (guint i = 0; i < count; i++)
    numbers[i] = g_array_index (list, MailPop3ListEntry, i).number;

  /* Dovecot offers PIPELINING, so these go out in one write. */
  g_assert_true (mail_pop3_client_has_capability (client, "PIPELINING"));
  tokens = mail_pop3_client_retrieve_many_sync (client, numbers, count, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tokens->len, ==, count);

  for (guint i = 0; i < tokens->len; i++)
    {
      MailPop3Retrieved *retrieved = g_ptr_array_index (tokens, i);
      g_autofree char *body = dup_body (mail_pop3_retrieved_get_bytes (retrieved));

      g_assert_cmpuint (mail_pop3_retrieved_get_number (retrieved), ==, numbers[i]);
      /* The session listed UIDL first, so every token knows its id. */
      g_assert_true (g_hash_table_contains (seen, mail_pop3_retrieved_get_uid (retrieved)));
      /* LIST sizes count the message as stored, as RETR sends it. */
      g_assert_cmpuint (mail_pop3_retrieved_get_size (retrieved), ==,
                        g_array_index (list, MailPop3ListEntry, i).size);
      /* Stuffed twice (SMTP and POP3), unstuffed twice: the body is intact. */
      g_assert_cmpstr (body, ==, BODY);
      g_assert_false (mail_pop3_retrieved_is_stored (retrieved));
    }

  g_assert_true (mail_pop3_client_noop_sync (client, NULL, &error));
  g_assert_true (mail_pop3_client_quit_sync (client, NULL, &error));
  g_assert_no_error (error);

  log = log_text (client);
  g_assert_null (strstr (log, alice_password));
  g_assert_null (strstr (log, "two dots"));
}

static void
test_starttls (Fixture       *fixture,
               gconstpointer  user_data)
{
  for (guint method = 0; method < 3; method++)
    {
      static const MailPop3Auth methods[] = {
        MAIL_POP3_AUTH_AUTO, MAIL_POP3_AUTH_LOGIN, MAIL_POP3_AUTH_USER,
      };
      MailPop3Client *client = fixture_client (fixture, MAIL_SECURITY_STARTTLS);
      g_autoptr (GError) error = NULL;
      g_auto (GStrv) capabilities = NULL;
      g_autofree char *log = NULL;
      guint count = 0;

      mail_pop3_client_set_auth (client, methods[method]);
      g_assert_true (mail_pop3_client_connect_sync (client, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (mail_connection_is_encrypted (mail_pop3_client_get_connection (client)));

      /* The capabilities are the ones asked over TLS: no STLS any more. */
      capabilities = mail_pop3_client_dup_capabilities (client);
      g_assert_false (g_strv_contains ((const char * const *) capabilities, "STLS"));
      g_assert_true (g_strv_contains ((const char * const *) capabilities, "USER"));

      g_assert_true (mail_pop3_client_login_sync (client, ALICE, alice_password, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (mail_pop3_client_stat_sync (client, &count, NULL, NULL, &error));
      g_assert_true (mail_pop3_client_quit_sync (client, NULL, &error));
      g_assert_no_error (error);

      log = log_text (client);
      g_assert_nonnull (strstr (log, "C: STLS"));
      g_assert_nonnull (strstr (log, "-- starting TLS"));
      g_assert_null (strstr (log, alice_password));
      /* Nothing secret before TLS. */
      g_assert_cmpint (strstr (log, "******") - log, >, strstr (log, "-- starting TLS") - log);
    }
}

static void
test_delete_needs_stored_and_rset (Fixture       *fixture,
                                   gconstpointer  user_data)
{
  MailPop3Client *client;
  g_autoptr (MailPop3Retrieved) retrieved = NULL;
  g_autoptr (GError) error = NULL;
  guint before;

  ensure_delivered (fixture->database);
  before = count_messages (fixture->database);
  g_assert_cmpuint (before, >=, 1);

  client = fixture_signed_in (fixture, MAIL_SECURITY_TLS);
  retrieved = mail_pop3_client_retrieve_sync (client, 1, NULL, &error);
  g_assert_no_error (error);

  g_test_expect_message ("mail-pop3", G_LOG_LEVEL_CRITICAL, "*not been marked stored*");
  g_assert_false (mail_pop3_client_delete_sync (client, retrieved, NULL, &error));
  g_test_assert_expected_messages ();
  g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_NOT_STORED);
  g_clear_error (&error);

  mail_pop3_retrieved_mark_stored (retrieved);
  g_assert_true (mail_pop3_client_delete_sync (client, retrieved, NULL, &error));
  g_assert_no_error (error);

  /* RSET undoes it: after QUIT the message is still there. */
  g_assert_true (mail_pop3_client_reset_sync (client, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mail_pop3_client_quit_sync (client, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (count_messages (fixture->database), ==, before);
}

static void
test_delete_quit_removes (Fixture       *fixture,
                          gconstpointer  user_data)
{
  MailPop3Client *client;
  g_autoptr (MailPop3Retrieved) retrieved = NULL;
  g_autoptr (GArray) uids = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *uid = NULL;
  guint before;

  ensure_delivered (fixture->database);
  before = count_messages (fixture->database);
  g_assert_cmpuint (before, >=, 1);

  client = fixture_signed_in (fixture, MAIL_SECURITY_TLS);
  uids = mail_pop3_client_uidl_sync (client, NULL, &error);
  g_assert_no_error (error);
  retrieved = mail_pop3_client_retrieve_sync (client, 1, NULL, &error);
  g_assert_no_error (error);
  uid = g_strdup (mail_pop3_retrieved_get_uid (retrieved));
  g_assert_nonnull (uid);

  /* "Stored" (a test has nothing to fsync), deleted, committed by QUIT. */
  mail_pop3_retrieved_mark_stored (retrieved);
  g_assert_true (mail_pop3_client_delete_sync (client, retrieved, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mail_pop3_client_quit_sync (client, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (count_messages (fixture->database), ==, before - 1);

  /* The unique-id is gone from the listing. */
  g_clear_pointer (&uids, g_array_unref);
  client = fixture_signed_in (fixture, MAIL_SECURITY_TLS);
  uids = mail_pop3_client_uidl_sync (client, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < uids->len; i++)
    g_assert_cmpstr (g_array_index (uids, MailPop3UidlEntry, i).uid, !=, uid);
  mail_pop3_client_quit_sync (client, NULL, NULL);
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
  MailPop3Client *client;
  g_autoptr (GArray) uids = NULL;
  g_autoptr (GHashTable) stored = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *uid = NULL;
  guint before;

  ensure_delivered (fixture->database);
  before = count_messages (fixture->database);
  g_assert_cmpuint (before, >=, 2);

  /* Session 1: "download" the last message and remember its id as stored. */
  client = fixture_signed_in (fixture, MAIL_SECURITY_TLS);
  uids = mail_pop3_client_uidl_sync (client, NULL, &error);
  g_assert_no_error (error);
  uid = g_strdup (g_array_index (uids, MailPop3UidlEntry, uids->len - 1).uid);
  g_assert_true (mail_pop3_client_quit_sync (client, NULL, &error));
  fixture_end_client (fixture);

  /* Session 2, days later: not in the store yet, so not deleted. */
  client = fixture_signed_in (fixture, MAIL_SECURITY_STARTTLS);
  g_assert_false (mail_pop3_client_delete_by_uid_sync (client, uid, stored_in_set_cb, stored,
                                                       NULL, &error));
  g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_NOT_STORED);
  g_clear_error (&error);

  g_hash_table_add (stored, g_strdup (uid));
  g_assert_true (mail_pop3_client_delete_by_uid_sync (client, uid, stored_in_set_cb, stored,
                                                      NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mail_pop3_client_quit_sync (client, NULL, &error));
  fixture_end_client (fixture);

  g_assert_cmpuint (count_messages (fixture->database), ==, before - 1);

  /* Session 3: the id is gone. */
  client = fixture_signed_in (fixture, MAIL_SECURITY_TLS);
  g_assert_false (mail_pop3_client_delete_by_uid_sync (client, uid, stored_in_set_cb, stored,
                                                       NULL, &error));
  g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_NO_SUCH_MESSAGE);
  mail_pop3_client_quit_sync (client, NULL, NULL);
}

static void
test_disconnect_without_quit_keeps (Fixture       *fixture,
                                    gconstpointer  user_data)
{
  MailPop3Client *client;
  g_autoptr (MailPop3Retrieved) retrieved = NULL;
  g_autoptr (GError) error = NULL;
  guint before;

  ensure_delivered (fixture->database);
  before = count_messages (fixture->database);

  client = fixture_signed_in (fixture, MAIL_SECURITY_TLS);
  retrieved = mail_pop3_client_retrieve_sync (client, 1, NULL, &error);
  g_assert_no_error (error);
  mail_pop3_retrieved_mark_stored (retrieved);
  g_assert_true (mail_pop3_client_delete_sync (client, retrieved, NULL, &error));

  /* The session ends without QUIT (a crash, a lost network): nothing is deleted. */
  mail_pop3_client_disconnect (client);
  g_assert_cmpuint (count_messages (fixture->database), ==, before);
}

static void
test_wrong_password (Fixture       *fixture,
                     gconstpointer  user_data)
{
  for (guint method = 0; method < 2; method++)
    {
      MailPop3Client *client = fixture_client (fixture, MAIL_SECURITY_TLS);
      g_autoptr (GError) error = NULL;
      g_autofree char *description = NULL;

      mail_pop3_client_set_auth (client, method == 0 ? MAIL_POP3_AUTH_PLAIN : MAIL_POP3_AUTH_USER);
      g_assert_true (mail_pop3_client_connect_sync (client, NULL, &error));
      g_assert_false (mail_pop3_client_login_sync (client, ALICE, "wrong-password", NULL,
                                                   &error));
      g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_AUTH_FAILED);
      g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_AUTH_FAILED);
      description = mail_error_describe (error);
      g_assert_nonnull (strstr (description, "did not accept the user name or password"));
      g_assert_cmpint (mail_pop3_client_get_state (client), ==, MAIL_POP3_STATE_AUTHORIZATION);

      /* The same session may try again. */
      g_clear_error (&error);
      g_assert_true (mail_pop3_client_login_sync (client, ALICE, alice_password, NULL, &error));
      g_assert_no_error (error);
      mail_pop3_client_quit_sync (client, NULL, NULL);
    }
}

static void
test_plaintext_refused (Fixture       *fixture,
                        gconstpointer  user_data)
{
  MailPop3Client *client = fixture_client (fixture, MAIL_SECURITY_NONE);
  g_autoptr (GError) error = NULL;
  g_autofree char *log = NULL;

  g_assert_true (mail_pop3_client_connect_sync (client, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (mail_connection_is_encrypted (mail_pop3_client_get_connection (client)));

  g_assert_false (mail_pop3_client_login_sync (client, ALICE, alice_password, NULL, &error));
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_PLAINTEXT_REFUSED);
  mail_pop3_client_quit_sync (client, NULL, NULL);

  log = log_text (client);
  g_assert_null (strstr (log, "C: USER"));
  g_assert_null (strstr (log, "C: AUTH"));
  g_assert_null (strstr (log, "C: PASS"));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  mail_test_harness_load ();
  g_test_init (&argc, &argv, NULL);

  alice_password = mail_test_harness_get ("user " ALICE, "password");

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/mail/pop3/live/tls-capabilities", test_tls_capabilities);
  ADD ("/mail/pop3/live/read-mailbox", test_read_mailbox);
  ADD ("/mail/pop3/live/starttls", test_starttls);
  ADD ("/mail/pop3/live/delete-needs-stored-and-rset", test_delete_needs_stored_and_rset);
  ADD ("/mail/pop3/live/delete-quit-removes", test_delete_quit_removes);
  ADD ("/mail/pop3/live/delete-by-uid", test_delete_by_uid);
  ADD ("/mail/pop3/live/disconnect-without-quit", test_disconnect_without_quit_keeps);
  ADD ("/mail/pop3/live/wrong-password", test_wrong_password);
  ADD ("/mail/pop3/live/plaintext-refused", test_plaintext_refused);

#undef ADD

  return g_test_run ();
}
