/* mail-test-util.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "mail-test-util.h"
#include "mail-tls-database.h"

static GKeyFile *harness;

/**
 * mail_test_harness_load:
 *
 * Reads the description of the running test harness (tests/harness/mail-harness writes it
 * and names it in `MAIL_TEST_HARNESS`). A test run outside the harness cannot talk to any
 * server: it reports itself skipped (call this before g_test_run()), unless
 * `MAIL_TEST_REQUIRE_SERVERS` is set (as in CI), where that is a failure.
 *
 * Returns: (transfer none): the harness description
 */
GKeyFile *
mail_test_harness_load (void)
{
  const char *path = g_getenv ("MAIL_TEST_HARNESS");
  g_autoptr (GError) error = NULL;

  if (harness != NULL)
    return harness;

  if (path == NULL)
    {
      if (g_getenv ("MAIL_TEST_REQUIRE_SERVERS") != NULL)
        g_error ("MAIL_TEST_HARNESS is not set: run this test through tests/harness/mail-harness");

      /* TAP's way of saying "skipped": an empty plan with a reason. */
      g_print ("1..0 # SKIP not run inside the test harness\n");
      exit (0);
    }

  harness = g_key_file_new ();
  if (!g_key_file_load_from_file (harness, path, G_KEY_FILE_NONE, &error))
    g_error ("cannot read the harness description %s: %s", path, error->message);

  return harness;
}

/**
 * mail_test_harness_get:
 * @group: a group of harness.ini, such as "imap"
 * @key: a key in it, such as "host"
 *
 * Returns: (transfer full): the value; aborts the test when it is missing
 */
char *
mail_test_harness_get (const char *group,
                       const char *key)
{
  g_autoptr (GError) error = NULL;
  char *value = g_key_file_get_string (mail_test_harness_load (), group, key, &error);

  if (value == NULL)
    g_error ("harness.ini has no [%s] %s: %s", group, key, error->message);

  return value;
}

guint16
mail_test_harness_get_port (const char *group,
                            const char *key)
{
  g_autofree char *value = mail_test_harness_get (group, key);
  guint64 port = 0;

  if (!g_ascii_string_to_unsigned (value, 10, 1, G_MAXUINT16, &port, NULL))
    g_error ("harness.ini [%s] %s is not a port: %s", group, key, value);

  return (guint16) port;
}

/**
 * mail_test_tls_database:
 *
 * Returns: (transfer full): the trust store a user with a private CA would configure,
 *   with the harness's test CA as that private CA
 */
GTlsDatabase *
mail_test_tls_database (void)
{
  g_autofree char *ca_file = mail_test_harness_get ("harness", "ca-file");
  g_autoptr (GError) error = NULL;
  GTlsDatabase *database = mail_tls_database_new (ca_file, &error);

  g_assert_no_error (error);
  g_assert_nonnull (database);

  return database;
}

/**
 * mail_test_artifact_path:
 * @subdir: a folder under the artifacts folder, such as "screenshots"
 * @name: a file name
 *
 * Test artifacts (screenshots, logs) land in `MAIL_TEST_ARTIFACTS` (meson sets it to
 * `<build>/test-artifacts`), or in the current folder when it is not set.
 *
 * Returns: (transfer full): the path, its folder created
 */
char *
mail_test_artifact_path (const char *subdir,
                         const char *name)
{
  const char *base = g_getenv ("MAIL_TEST_ARTIFACTS");
  g_autofree char *dir = g_build_filename (base != NULL ? base : ".", subdir, NULL);

  g_mkdir_with_parents (dir, 0755);

  return g_build_filename (dir, name, NULL);
}

/* Long enough for any worker thread to let go, short enough that a leak fails quickly. */
#define LAST_REF_TIMEOUT_USEC (2 * G_USEC_PER_SEC)

/**
 * mail_test_wait_for_last_ref:
 * @object: (type GObject): an object the caller holds a reference to
 *
 * Waits, dispatching what is pending on the thread-default main context, until the
 * caller's reference to @object is the only one left, for at most two seconds. A #GTask
 * that ran in a worker thread (every `_async` call of the clients, and a TLS handshake
 * in glib-networking) drops its reference to its source object in that thread, just
 * after its callback may already have run in the test's thread: without this wait,
 * g_assert_finalize_object() right after an `_async`/`_finish` pair could fail for a
 * reference that goes away a moment later. A leaked reference never goes away, so the
 * wait ends and the assertion that follows fails.
 *
 * Returns: whether the caller now holds the only reference
 */
gboolean
mail_test_wait_for_last_ref (gpointer object)
{
  GObject *gobject = object;
  gint64 deadline = g_get_monotonic_time () + LAST_REF_TIMEOUT_USEC;

  g_return_val_if_fail (G_IS_OBJECT (gobject), FALSE);

  for (;;)
    {
      guint count;

      while (g_main_context_iteration (g_main_context_get_thread_default (), FALSE))
        ;

      count = (guint) g_atomic_int_get (&gobject->ref_count);
      if (count == 1)
        return TRUE;

      if (g_get_monotonic_time () >= deadline)
        {
          g_test_message ("%s %p still has %u references", G_OBJECT_TYPE_NAME (gobject),
                          object, count);
          return FALSE;
        }

      g_usleep (1000);
    }
}

/**
 * mail_test_assert_finalize_client:
 * @client: (transfer full) (type GObject): a protocol client (#MailPop3Client,
 *   #MailSmtpClient, #MailImapClient) whose last reference the caller holds
 * @connection: (transfer none): the client's connection, from its get_connection accessor
 *
 * Drops the caller's reference to @client and asserts with g_assert_finalize_object()
 * that the client is finalized, and then that its connection went with it: the
 * connection is held here by an extra reference taken while the client still owned it,
 * so the assertion fails when anyone else (the test, the client, a worker thread that
 * never finished) still holds one. This is libsoup's soup_test_session_abort_unref() for
 * our clients.
 */
void
mail_test_assert_finalize_client (gpointer        client,
                                  MailConnection *connection)
{
  g_assert_true (G_IS_OBJECT (client));
  g_assert_true (MAIL_IS_CONNECTION (connection));

  g_object_ref (connection);

  mail_test_wait_for_last_ref (client);
  g_assert_finalize_object (client);

  mail_test_wait_for_last_ref (connection);
  g_assert_finalize_object (connection);
}
