/* test-server-check.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The asynchronous server check, as the account assistant drives it from the main loop:
 * it reports on the caller's context, and Cancel ends it at once even when the server
 * never answers.
 */

#include "config.h"

#include <string.h>

#include "mail-server-check.h"
#include "mail-test-util.h"

typedef struct
{
  GMainLoop             *loop;
  MailServerCheckResult *result;
  GError                *error;
  gint64                 finished;
} Wait;

static void
check_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Wait *wait = user_data;

  /* Reported on the thread that started the check, not the worker's. */
  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  wait->result = mail_server_check_finish (result, &wait->error);
  wait->finished = g_get_monotonic_time ();
  g_main_loop_quit (wait->loop);
}

static void
test_async_sign_in (void)
{
  g_autofree char *host = mail_test_harness_get ("imap", "host");
  g_autofree char *password = mail_test_harness_get ("user alice@example.test", "password");
  g_autoptr (GTlsDatabase) database = mail_test_tls_database ();
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  MailServerCheckOptions options = { "alice@example.test", password, database, NULL, FALSE, 10 };
  Wait wait = { loop, NULL, NULL, 0 };

  mail_server_check_async (MAIL_PROTOCOL_IMAP, host, 0, MAIL_SECURITY_TLS, &options, NULL,
                           check_done_cb, &wait);
  /* The options were copied: the caller may forget them at once. */
  memset (&options, 0, sizeof options);
  g_main_loop_run (loop);

  g_assert_no_error (wait.error);
  g_assert_nonnull (wait.result);
  g_assert_true (wait.result->ok);
  g_assert_true (wait.result->authenticated);
  g_assert_cmpuint (wait.result->port, ==, 993);
  g_assert_cmpint (wait.result->category, ==, MAIL_ERROR_CATEGORY_NONE);
  g_assert_nonnull (wait.result->certificate);
  g_assert_nonnull (wait.result->log);
  g_assert_null (strstr (wait.result->log, password));
  mail_server_check_result_free (wait.result);
}

static gint64 cancelled_at;

static gboolean
cancel_cb (gpointer user_data)
{
  cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (user_data);

  return G_SOURCE_REMOVE;
}

static void
test_cancel_silent_server (void)
{
  g_autofree char *host = mail_test_harness_get ("silent", "host");
  g_autoptr (GTlsDatabase) database = mail_test_tls_database ();
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  MailServerCheckOptions options = { NULL, NULL, database, NULL, FALSE, 30 };
  Wait wait = { loop, NULL, NULL, 0 };

  /* The server accepts and never greets; only Cancel can end this before 30 s. */
  mail_server_check_async (MAIL_PROTOCOL_IMAP, host, 993, MAIL_SECURITY_TLS, &options,
                           cancellable, check_done_cb, &wait);
  g_timeout_add (300, cancel_cb, cancellable);
  g_main_loop_run (loop);

  /* The callback comes only once the worker has returned, so an early callback means the
   * socket really was given up, not left blocked in the background. */
  g_assert_cmpint (cancelled_at, >, 0);
  g_test_message ("reported %" G_GINT64_FORMAT " ms after Cancel",
                  (wait.finished - cancelled_at) / 1000);
  g_assert_cmpint (wait.finished - cancelled_at, <, 200 * 1000);
  g_assert_null (wait.result);
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&wait.error);
}

int
main (int   argc,
      char *argv[])
{
  mail_test_harness_load ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mail/server-check/async-sign-in", test_async_sign_in);
  g_test_add_func ("/mail/server-check/cancel-silent-server", test_cancel_silent_server);

  return g_test_run ();
}
