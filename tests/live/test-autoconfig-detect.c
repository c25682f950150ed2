/* test-autoconfig-detect.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The detection engine as the account assistant drives it, against the harness's real
 * servers: steps and the result arrive on the caller's context, a local provider file beats
 * everything else, Cancel ends a detection at once, and the budget holds even when every
 * server keeps silent.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "mail-autoconfig.h"
#include "mail-test-util.h"

typedef struct
{
  GMainLoop            *loop;
  MailAutoconfigReport *report;
  GError               *error;
  gint64                finished;
  guint                 steps;
  gboolean              steps_off_thread;
} Wait;

static void
step_cb (MailAutoconfig     *autoconfig,
         MailAutoconfigStep *step,
         gpointer            user_data)
{
  Wait *wait = user_data;

  g_assert_nonnull (step->target);
  g_assert_nonnull (step->outcome);
  wait->steps++;
  if (!g_main_context_is_owner (g_main_context_default ()))
    wait->steps_off_thread = TRUE;
}

static void
detect_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Wait *wait = user_data;

  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  wait->report = mail_autoconfig_detect_finish (MAIL_AUTOCONFIG (object), result, &wait->error);
  wait->finished = g_get_monotonic_time ();
  g_main_loop_quit (wait->loop);
}

static MailAutoconfig *
new_autoconfig (void)
{
  g_autoptr (GTlsDatabase) database = mail_test_tls_database ();
  MailAutoconfig *autoconfig = mail_autoconfig_new ();
  const char * const no_dirs[] = { NULL };

  mail_autoconfig_set_tls_database (autoconfig, database);
  mail_autoconfig_set_ispdb_url (autoconfig, "");
  mail_autoconfig_set_local_dirs (autoconfig, no_dirs);

  return autoconfig;
}

static void
run_detect (MailAutoconfig *autoconfig,
            const char     *address,
            const char     *password,
            GCancellable   *cancellable,
            Wait           *wait)
{
  wait->loop = g_main_loop_new (NULL, FALSE);
  g_signal_connect (autoconfig, "step", G_CALLBACK (step_cb), wait);
  mail_autoconfig_detect_async (autoconfig, address, password, cancellable, detect_done_cb, wait);
  g_main_loop_run (wait->loop);
  g_signal_handlers_disconnect_by_func (autoconfig, step_cb, wait);
  g_main_loop_unref (wait->loop);
}

static const MailAutoconfigCandidate *
first (GPtrArray *candidates)
{
  g_assert_cmpuint (candidates->len, >, 0);

  return g_ptr_array_index (candidates, 0);
}

static void
test_detect_and_verify (void)
{
  g_autoptr (MailAutoconfig) autoconfig = new_autoconfig ();
  g_autofree char *password = mail_test_harness_get ("user alice@example.test", "password");
  g_autofree char *host = mail_test_harness_get ("imap", "host");
  const MailAutoconfigCandidate *incoming, *outgoing;
  Wait wait = { NULL };

  run_detect (autoconfig, "alice@example.test", password, NULL, &wait);

  g_assert_no_error (wait.error);
  g_assert_nonnull (wait.report);
  g_assert_true (mail_autoconfig_report_is_usable (wait.report));
  g_assert_false (mail_autoconfig_report_needs_approval (wait.report));

  incoming = first (wait.report->incoming);
  g_assert_cmpint (incoming->protocol, ==, MAIL_PROTOCOL_IMAP);
  g_assert_cmpstr (incoming->host, ==, host);
  g_assert_cmpuint (incoming->port, ==, 993);
  g_assert_cmpint (incoming->security, ==, MAIL_SECURITY_TLS);
  g_assert_cmpint (incoming->source, ==, MAIL_AUTOCONFIG_SOURCE_HTTPS);
  g_assert_cmpint (incoming->trust, ==, MAIL_AUTOCONFIG_TRUST_VERIFIED);
  g_assert_true (incoming->verified);
  g_assert_cmpstr (incoming->username, ==, "alice@example.test");
  g_assert_true (g_strv_contains ((const char * const *) incoming->auth, "PLAIN"));

  outgoing = first (wait.report->outgoing);
  g_assert_cmpint (outgoing->protocol, ==, MAIL_PROTOCOL_SMTP);
  g_assert_cmpuint (outgoing->port, ==, 465);
  g_assert_true (outgoing->verified);

  /* Every step was told on the caller's context, and is in the trace. */
  g_assert_false (wait.steps_off_thread);
  g_assert_cmpuint (wait.steps, ==, wait.report->trace->len);
  g_assert_cmpuint (wait.steps, >, 3);

  mail_autoconfig_report_free (wait.report);
}

static void
test_local_file_wins (void)
{
  g_autoptr (MailAutoconfig) autoconfig = new_autoconfig ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mail-providers-XXXXXX", &error);
  g_autofree char *path = NULL;
  const char *dirs[] = { NULL, NULL };
  const char *xml =
    "<?xml version=\"1.0\"?>\n"
    "<clientConfig version=\"1.1\"><emailProvider id=\"example.test\">\n"
    "<domain>example.test</domain>\n"
    "<incomingServer type=\"imap\"><hostname>imap.example.test</hostname><port>143</port>"
    "<socketType>STARTTLS</socketType><username>%EMAILADDRESS%</username>"
    "<authentication>password-cleartext</authentication></incomingServer>\n"
    "<outgoingServer type=\"smtp\"><hostname>smtp.example.test</hostname><port>587</port>"
    "<socketType>STARTTLS</socketType><username>%EMAILADDRESS%</username>"
    "<authentication>password-cleartext</authentication></outgoingServer>\n"
    "</emailProvider></clientConfig>\n";
  const MailAutoconfigCandidate *incoming;
  Wait wait = { NULL };

  g_assert_no_error (error);
  path = g_build_filename (dir, "example.test.xml", NULL);
  g_file_set_contents (path, xml, -1, &error);
  g_assert_no_error (error);
  dirs[0] = dir;
  mail_autoconfig_set_local_dirs (autoconfig, dirs);

  run_detect (autoconfig, "alice@example.test", NULL, NULL, &wait);

  g_assert_no_error (wait.error);
  incoming = first (wait.report->incoming);
  g_assert_cmpint (incoming->source, ==, MAIL_AUTOCONFIG_SOURCE_LOCAL);
  g_assert_cmpint (incoming->trust, ==, MAIL_AUTOCONFIG_TRUST_VERIFIED);
  g_assert_cmpstr (incoming->host, ==, "imap.example.test");
  g_assert_cmpuint (incoming->port, ==, 143);
  g_assert_cmpint (incoming->security, ==, MAIL_SECURITY_STARTTLS);
  /* Probed (STARTTLS really upgraded), not signed in: no password was given. */
  g_assert_true (incoming->probed);
  g_assert_true (incoming->reachable);
  g_assert_false (incoming->verified);
  g_assert_cmpint (first (wait.report->outgoing)->source, ==, MAIL_AUTOCONFIG_SOURCE_LOCAL);

  mail_autoconfig_report_free (wait.report);
  g_unlink (path);
  g_rmdir (dir);
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));

  return G_SOURCE_REMOVE;
}

/* silent.example.test: every name of the domain but the bare one is unknown, and the bare
 * one accepts connections on the mail ports and never says a word. */
static void
test_cancel (void)
{
  g_autoptr (MailAutoconfig) autoconfig = new_autoconfig ();
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  gint64 started = g_get_monotonic_time ();
  Wait wait = { NULL };

  g_timeout_add (1000, cancel_cb, cancellable);
  run_detect (autoconfig, "bob@silent.example.test", "secret", cancellable, &wait);

  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Cancelled at 1 s; the answer must come within 200 ms of that. */
  g_assert_cmpint (wait.finished - started, <, 1200 * 1000);
  g_clear_error (&wait.error);
}

/* Right at the start, while the HTTPS requests set up their TLS connections: that work
 * must not hold up the caller's main loop, so Cancel is still prompt. */
static void
test_cancel_early (void)
{
  g_autoptr (MailAutoconfig) autoconfig = new_autoconfig ();
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  gint64 started = g_get_monotonic_time ();
  Wait wait = { NULL };

  g_timeout_add (50, cancel_cb, cancellable);
  run_detect (autoconfig, "alice@example.test", "secret", cancellable, &wait);

  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (wait.finished - started, <, 250 * 1000);
  g_clear_error (&wait.error);
}

static void
test_budget (void)
{
  g_autoptr (MailAutoconfig) autoconfig = new_autoconfig ();
  gint64 started = g_get_monotonic_time ();
  Wait wait = { NULL };

  mail_autoconfig_set_budget (autoconfig, 2);
  run_detect (autoconfig, "bob@silent.example.test", NULL, NULL, &wait);

  g_assert_no_error (wait.error);
  g_assert_nonnull (wait.report);
  g_assert_cmpint (wait.finished - started, <, 2500 * 1000);
  g_assert_cmpint (wait.finished - started, >=, 1900 * 1000);
  g_assert_false (mail_autoconfig_report_is_usable (wait.report));
  g_assert_nonnull (wait.report->incoming_error);
  g_assert_cmpuint (wait.report->incoming->len, ==, 0);
  /* The silent host is named with what went wrong, not just "nothing found". */
  g_assert_true (wait.report->incoming_category == MAIL_ERROR_CATEGORY_TIMEOUT ||
                 wait.report->incoming_category == MAIL_ERROR_CATEGORY_NOT_FOUND);
  mail_autoconfig_report_free (wait.report);
}

static void
test_invalid_address (void)
{
  g_autoptr (MailAutoconfig) autoconfig = new_autoconfig ();
  Wait wait = { NULL };

  run_detect (autoconfig, "not an address", NULL, NULL, &wait);

  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_null (wait.report);
  g_clear_error (&wait.error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  g_test_add_func ("/autoconfig/detect/verify", test_detect_and_verify);
  g_test_add_func ("/autoconfig/detect/local-file-wins", test_local_file_wins);
  g_test_add_func ("/autoconfig/detect/cancel-timing", test_cancel);
  g_test_add_func ("/autoconfig/detect/cancel-early", test_cancel_early);
  g_test_add_func ("/autoconfig/detect/budget", test_budget);
  g_test_add_func ("/autoconfig/detect/invalid-address", test_invalid_address);

  return g_test_run ();
}
