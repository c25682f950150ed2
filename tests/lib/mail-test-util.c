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
 * server: it reports itself skipped (call this before g_test_run()), unless `MAIL_TEST_REQUIRE_SERVERS` is set (as in CI), where
 * that is a failure.
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
