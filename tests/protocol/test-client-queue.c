/* test-client-queue.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The one concurrency model of the clients (HACKING.md, "Asynchronous calls and threads"):
 * _async calls made back to back, without waiting for one another, run one at a time on
 * the client's queue, in the order they were made. Each test makes a whole session of
 * calls at once against a scripted fake server that answers the first command late; the
 * calls must complete in order, the server must see the commands in order (a script step
 * that gets another line fails), and the client's protocol log must show each command
 * sent only after the reply to the one before: never two in flight. Every result carries
 * the task's name, from mail_task_new().
 */

#include "config.h"

#include <string.h>

#include "mail-fake-server.h"
#include "mail-imap-client.h"
#include "mail-pop3-client.h"
#include "mail-smtp-client.h"
#include "mail-test-certs.h"
#include "mail-test-util.h"
#include "mail-tls-database.h"

#define USER     "alice@example.test"
#define PASSWORD "Qu3ue-pa55word"

/* How long the server sits on the first command's reply: ample time for a second command
 * to go out, were the calls not queued. */
#define LATE_REPLY_MS 300

static MailTestCerts *certs;

typedef struct
{
  GTlsDatabase   *database;
  MailFakeServer *server;
  /* What the callbacks got, in the order they ran. */
  GPtrArray      *results;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr (GError) error = NULL;

  fixture->database = mail_tls_database_new (certs->ca_file, &error);
  g_assert_no_error (error);
  fixture->server = mail_fake_server_new (certs->good, TRUE);
  fixture->results = g_ptr_array_new_with_free_func (g_object_unref);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_pointer (&fixture->results, g_ptr_array_unref);
  g_clear_pointer (&fixture->server, mail_fake_server_free);
  mail_test_wait_for_last_ref (fixture->database);
  g_assert_finalize_object (g_steal_pointer (&fixture->database));
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fixture *fixture = user_data;

  /* Named by mail_task_new(), for debuggers and profilers. */
  g_assert_nonnull (g_task_get_name (G_TASK (result)));
  g_ptr_array_add (fixture->results, g_object_ref (result));
}

/* Runs the main context until @n calls have completed, and checks they completed in the
 * order they were made: each result named after its _async function. */
static void
wait_for_results (Fixture            *fixture,
                  const char * const *names)
{
  guint n = g_strv_length ((char **) names);

  while (fixture->results->len < n)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (fixture->results->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (g_task_get_name (g_ptr_array_index (fixture->results, i)), ==, names[i]);
}

static GAsyncResult *
result_at (Fixture *fixture,
           guint    i)
{
  return g_ptr_array_index (fixture->results, i);
}

/* The client's log, from @expected's first line on, is exactly @expected: each command
 * went out only after the reply to the one before. */
static void
assert_log_sequence (MailConnection     *connection,
                     const char * const *expected)
{
  g_auto (GStrv) lines = mail_protocol_log_dup_lines (mail_connection_get_log (connection));
  g_autoptr (GPtrArray) exchange = g_ptr_array_new ();
  guint start = G_MAXUINT;

  /* "TIME C: text": the time stamp off, the notes ("-- ") left out. */
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *entry = strchr (lines[i], ' ');

      g_assert_nonnull (entry);
      entry++;
      if (g_str_has_prefix (entry, "C: ") || g_str_has_prefix (entry, "S: "))
        g_ptr_array_add (exchange, (gpointer) entry);
    }

  for (guint i = 0; i < exchange->len && start == G_MAXUINT; i++)
    if (g_str_equal (g_ptr_array_index (exchange, i), expected[0]))
      start = i;
  g_assert_cmpuint (start, !=, G_MAXUINT);

  for (guint i = 0; expected[i] != NULL; i++)
    {
      g_assert_cmpuint (start + i, <, exchange->len);
      g_assert_cmpstr (g_ptr_array_index (exchange, start + i), ==, expected[i]);
    }
}

/* The last lines the server read are @expected, one a line. */
static void
assert_transcript_ends (MailFakeServer *server,
                        const char     *expected)
{
  g_autofree char *transcript = mail_fake_server_dup_transcript (server);

  g_assert_true (g_str_has_suffix (transcript, expected));
}

/* ---------------------------------------------------------------------------------- */
/* POP3                                                                                */

static void
test_pop3 (Fixture       *fixture,
           gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailPop3Client *client;
  MailConnection *connection;
  g_autoptr (GError) error = NULL;
  guint count = 0;
  guint64 size = 0;
  const char *names[] = {
    "mail_pop3_client_connect_async",
    "mail_pop3_client_login_async",
    "mail_pop3_client_noop_async",
    "mail_pop3_client_stat_async",
    "mail_pop3_client_quit_async",
    NULL,
  };
  const char *exchange[] = {
    "C: NOOP",
    "S: +OK",
    "C: STAT",
    "S: +OK 2 20",
    "C: QUIT",
    "S: +OK bye",
    NULL,
  };

  mail_fake_server_send (server, "+OK POP3 ready\r\n");
  mail_fake_server_expect (server, "CAPA");
  mail_fake_server_send (server, "+OK\r\nUIDL\r\nSASL PLAIN\r\n.\r\n");
  mail_fake_server_expect (server, "AUTH PLAIN *");
  mail_fake_server_send (server, "+OK Logged in.\r\n");
  mail_fake_server_expect (server, "CAPA");
  mail_fake_server_send (server, "+OK\r\nUIDL\r\n.\r\n");
  mail_fake_server_expect (server, "NOOP");
  mail_fake_server_sleep (server, LATE_REPLY_MS);
  mail_fake_server_send (server, "+OK\r\n");
  mail_fake_server_expect (server, "STAT");
  mail_fake_server_send (server, "+OK 2 20\r\n");
  mail_fake_server_expect (server, "QUIT");
  mail_fake_server_send (server, "+OK bye\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = mail_pop3_client_new ("127.0.0.1", mail_fake_server_get_port (server),
                                 MAIL_SECURITY_TLS, fixture->database);
  connection = mail_pop3_client_get_connection (client);

  /* The whole session at once. */
  mail_pop3_client_connect_async (client, NULL, done_cb, fixture);
  mail_pop3_client_login_async (client, USER, PASSWORD, NULL, done_cb, fixture);
  mail_pop3_client_noop_async (client, NULL, done_cb, fixture);
  mail_pop3_client_stat_async (client, NULL, done_cb, fixture);
  mail_pop3_client_quit_async (client, NULL, done_cb, fixture);
  wait_for_results (fixture, names);

  g_assert_true (mail_pop3_client_connect_finish (client, result_at (fixture, 0), &error));
  g_assert_no_error (error);
  g_assert_true (mail_pop3_client_login_finish (client, result_at (fixture, 1), &error));
  g_assert_no_error (error);
  g_assert_true (mail_pop3_client_noop_finish (client, result_at (fixture, 2), &error));
  g_assert_no_error (error);
  g_assert_true (mail_pop3_client_stat_finish (client, result_at (fixture, 3), &count, &size,
                                               &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 2);
  g_assert_cmpuint (size, ==, 20);
  g_assert_true (mail_pop3_client_quit_finish (client, result_at (fixture, 4), &error));
  g_assert_no_error (error);

  mail_fake_server_assert_finished (server, 1);
  assert_transcript_ends (server, "NOOP\nSTAT\nQUIT\n");
  assert_log_sequence (connection, exchange);

  g_ptr_array_set_size (fixture->results, 0);
  mail_test_assert_finalize_client (client, connection);
}

/* ---------------------------------------------------------------------------------- */
/* SMTP                                                                                */

static GBytes *
bytes_from (const char *text)
{
  return g_bytes_new_static (text, strlen (text));
}

static void
expect_message (MailFakeServer *server,
                const char     *subject,
                guint           late_ms)
{
  g_autofree char *subject_line = g_strdup_printf ("Subject: %s", subject);

  mail_fake_server_expect (server, "MAIL FROM:<alice@example.test>*");
  mail_fake_server_send (server, "250 2.1.0 Ok\r\n");
  mail_fake_server_expect (server, "RCPT TO:<bob@example.test>");
  mail_fake_server_send (server, "250 2.1.5 Ok\r\n");
  mail_fake_server_expect (server, "DATA");
  mail_fake_server_send (server, "354 go ahead\r\n");
  mail_fake_server_expect (server, subject_line);
  mail_fake_server_expect (server, "");
  mail_fake_server_expect (server, "body");
  mail_fake_server_expect (server, ".");
  if (late_ms > 0)
    mail_fake_server_sleep (server, late_ms);
  mail_fake_server_send (server, "250 2.0.0 Ok: queued\r\n");
}

static void
test_smtp (Fixture       *fixture,
           gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailSmtpClient *client;
  MailConnection *connection;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) first = bytes_from ("Subject: first\r\n\r\nbody\r\n");
  g_autoptr (GBytes) second = bytes_from ("Subject: second\r\n\r\nbody\r\n");
  const char *recipients[] = { "bob@example.test", NULL };
  const char *names[] = {
    "mail_smtp_client_connect_async",
    "mail_smtp_client_login_async",
    "mail_smtp_client_send_async",
    "mail_smtp_client_send_async",
    "mail_smtp_client_quit_async",
    NULL,
  };
  const char *exchange[] = {
    "S: 250 2.0.0 Ok: queued",
    "C: MAIL FROM:<alice@example.test>",
    "S: 250 2.1.0 Ok",
    NULL,
  };

  /* No PIPELINING: one command, one reply. */
  mail_fake_server_send (server, "220 fake.example.test ESMTP\r\n");
  mail_fake_server_expect (server, "EHLO *");
  mail_fake_server_send (server, "250-fake.example.test\r\n250 AUTH PLAIN\r\n");
  mail_fake_server_expect (server, "AUTH PLAIN *");
  mail_fake_server_send (server, "235 2.7.0 Authentication successful\r\n");
  expect_message (server, "first", LATE_REPLY_MS);
  expect_message (server, "second", 0);
  mail_fake_server_expect (server, "QUIT");
  mail_fake_server_send (server, "221 2.0.0 Bye\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = mail_smtp_client_new ("127.0.0.1", mail_fake_server_get_port (server),
                                 MAIL_SECURITY_TLS, fixture->database);
  connection = mail_smtp_client_get_connection (client);

  mail_smtp_client_connect_async (client, NULL, done_cb, fixture);
  mail_smtp_client_login_async (client, USER, PASSWORD, NULL, done_cb, fixture);
  mail_smtp_client_send_async (client, "alice@example.test", recipients, first, NULL, done_cb,
                               fixture);
  mail_smtp_client_send_async (client, "alice@example.test", recipients, second, NULL, done_cb,
                               fixture);
  mail_smtp_client_quit_async (client, NULL, done_cb, fixture);
  wait_for_results (fixture, names);

  g_assert_true (mail_smtp_client_connect_finish (client, result_at (fixture, 0), &error));
  g_assert_no_error (error);
  g_assert_true (mail_smtp_client_login_finish (client, result_at (fixture, 1), &error));
  g_assert_no_error (error);
  for (guint i = 2; i <= 3; i++)
    {
      g_autoptr (MailSmtpResult) send_result = NULL;

      g_assert_true (mail_smtp_client_send_finish (client, result_at (fixture, i), &send_result,
                                                   &error));
      g_assert_no_error (error);
      g_assert_cmpint (mail_smtp_result_get_outcome (send_result), ==, MAIL_SMTP_OUTCOME_SENT);
    }
  g_assert_true (mail_smtp_client_quit_finish (client, result_at (fixture, 4), &error));
  g_assert_no_error (error);

  mail_fake_server_assert_finished (server, 1);
  assert_transcript_ends (server, "Subject: second\n\nbody\n.\nQUIT\n");
  /* The second message began only once the first was accepted. */
  assert_log_sequence (connection, exchange);

  g_ptr_array_set_size (fixture->results, 0);
  mail_test_assert_finalize_client (client, connection);
}

/* ---------------------------------------------------------------------------------- */
/* IMAP                                                                                */

static MailImapClient *
imap_client (Fixture *fixture)
{
  MailImapClient *client;

  client = mail_imap_client_new ("localhost", mail_fake_server_get_port (fixture->server),
                                 MAIL_SECURITY_TLS, fixture->database);
  mail_connection_set_timeout (mail_imap_client_get_connection (client),
                               MAIL_CONNECTION_PHASE_COMMAND, 5);
  mail_connection_set_timeout (mail_imap_client_get_connection (client),
                               MAIL_CONNECTION_PHASE_GREETING, 5);

  return client;
}

static void
script_imap_signed_in (MailFakeServer *server)
{
  mail_fake_server_send (server, "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hi\r\n");
  mail_fake_server_expect (server, "a1 AUTHENTICATE PLAIN");
  mail_fake_server_send (server, "+ \r\n");
  mail_fake_server_expect (server, "*");
  mail_fake_server_send (server, "a1 OK [CAPABILITY IMAP4rev1 IDLE] welcome\r\n");
}

static void
test_imap (Fixture       *fixture,
           gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailImapClient *client;
  MailConnection *connection;
  g_autoptr (MailImapCommand) first = NULL;
  g_autoptr (MailImapCommand) second = NULL;
  g_autoptr (GError) error = NULL;
  const char *names[] = {
    "mail_imap_client_connect_async",
    "mail_imap_client_login_async",
    "mail_imap_client_run_async",
    "mail_imap_client_run_async",
    NULL,
  };
  const char *exchange[] = {
    "C: a2 NOOP",
    "S: a2 OK first",
    "C: a3 NOOP",
    "S: a3 OK second",
    NULL,
  };

  script_imap_signed_in (server);
  mail_fake_server_expect (server, "a2 NOOP");
  mail_fake_server_sleep (server, LATE_REPLY_MS);
  mail_fake_server_send (server, "a2 OK first\r\n");
  mail_fake_server_expect (server, "a3 NOOP");
  mail_fake_server_send (server, "a3 OK second\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = imap_client (fixture);
  connection = mail_imap_client_get_connection (client);
  first = mail_imap_client_new_command (client, "NOOP");
  second = mail_imap_client_new_command (client, "NOOP");

  mail_imap_client_connect_async (client, NULL, done_cb, fixture);
  mail_imap_client_login_async (client, "alice", "pw", NULL, done_cb, fixture);
  mail_imap_client_run_async (client, first, NULL, done_cb, fixture);
  mail_imap_client_run_async (client, second, NULL, done_cb, fixture);
  wait_for_results (fixture, names);

  g_assert_true (mail_imap_client_connect_finish (client, result_at (fixture, 0), &error));
  g_assert_no_error (error);
  g_assert_true (mail_imap_client_login_finish (client, result_at (fixture, 1), &error));
  g_assert_no_error (error);
  g_assert_true (mail_imap_client_run_finish (client, result_at (fixture, 2), &error));
  g_assert_no_error (error);
  g_assert_true (mail_imap_client_run_finish (client, result_at (fixture, 3), &error));
  g_assert_no_error (error);
  /* Tagged when their turn came, in the order they were queued. */
  g_assert_cmpstr (mail_imap_command_get_tag (first), ==, "a2");
  g_assert_cmpstr (mail_imap_command_get_tag (second), ==, "a3");

  mail_imap_client_close (client);
  mail_fake_server_assert_finished (server, 1);
  assert_transcript_ends (server, "a2 NOOP\na3 NOOP\n");
  assert_log_sequence (connection, exchange);

  g_ptr_array_set_size (fixture->results, 0);
  mail_test_assert_finalize_client (client, connection);
}

/* IDLE queues like any other call: a command queued after it waits until IDLE is
 * stopped, and never goes out in the middle of it. */
static void
test_imap_idle (Fixture       *fixture,
                gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  MailImapClient *client;
  MailConnection *connection;
  g_autoptr (MailImapCommand) noop = NULL;
  g_autoptr (GError) error = NULL;
  const char *names[] = {
    "mail_imap_client_connect_async",
    "mail_imap_client_login_async",
    "mail_imap_client_idle_async",
    "mail_imap_client_run_async",
    NULL,
  };
  const char *exchange[] = {
    "C: a2 IDLE",
    "S: + idling",
    "C: DONE",
    "S: a2 OK done",
    "C: a3 NOOP",
    "S: a3 OK",
    NULL,
  };

  script_imap_signed_in (server);
  mail_fake_server_expect (server, "a2 IDLE");
  mail_fake_server_send (server, "+ idling\r\n");
  mail_fake_server_expect (server, "DONE");
  mail_fake_server_send (server, "a2 OK done\r\n");
  mail_fake_server_expect (server, "a3 NOOP");
  mail_fake_server_send (server, "a3 OK\r\n");
  mail_fake_server_wait_close (server);
  mail_fake_server_start (server);

  client = imap_client (fixture);
  connection = mail_imap_client_get_connection (client);
  noop = mail_imap_client_new_command (client, "NOOP");

  mail_imap_client_connect_async (client, NULL, done_cb, fixture);
  mail_imap_client_login_async (client, "alice", "pw", NULL, done_cb, fixture);
  mail_imap_client_idle_async (client, NULL, done_cb, fixture);
  mail_imap_client_run_async (client, noop, NULL, done_cb, fixture);

  /* Stop IDLE once it runs (a stop before that would be for no IDLE at all), and a
   * moment later, so that the NOOP would have had every chance to go out. */
  for (gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;;)
    {
      g_autofree char *transcript = mail_fake_server_dup_transcript (server);

      if (strstr (transcript, "a2 IDLE") != NULL)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_usleep (LATE_REPLY_MS * 1000);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (fixture->results->len, ==, 2);
  mail_imap_client_idle_stop (client);
  wait_for_results (fixture, names);

  g_assert_true (mail_imap_client_connect_finish (client, result_at (fixture, 0), &error));
  g_assert_no_error (error);
  g_assert_true (mail_imap_client_login_finish (client, result_at (fixture, 1), &error));
  g_assert_no_error (error);
  g_assert_true (mail_imap_client_idle_finish (client, result_at (fixture, 2), &error));
  g_assert_no_error (error);
  g_assert_true (mail_imap_client_run_finish (client, result_at (fixture, 3), &error));
  g_assert_no_error (error);
  g_assert_cmpstr (mail_imap_command_get_tag (noop), ==, "a3");

  mail_imap_client_close (client);
  mail_fake_server_assert_finished (server, 1);
  assert_transcript_ends (server, "a2 IDLE\nDONE\na3 NOOP\n");
  assert_log_sequence (connection, exchange);

  g_ptr_array_set_size (fixture->results, 0);
  mail_test_assert_finalize_client (client, connection);
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

  ADD ("/mail/client-queue/pop3", test_pop3);
  ADD ("/mail/client-queue/smtp", test_smtp);
  ADD ("/mail/client-queue/imap", test_imap);
  ADD ("/mail/client-queue/imap-idle", test_imap_idle);

#undef ADD

  status = g_test_run ();

  g_clear_pointer (&certs, mail_test_certs_free);

  return status;
}
