/* test-tls-database.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "mail-tls-database.h"

static void
test_system_only (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GTlsDatabase) database = mail_tls_database_new (NULL, &error);

  g_assert_no_error (error);
  g_assert_true (MAIL_IS_TLS_DATABASE (database));
  g_assert_null (mail_tls_database_get_ca_file (MAIL_TLS_DATABASE (database)));
}

static void
test_missing_file (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GTlsDatabase) database = mail_tls_database_new ("/nonexistent/ca.pem", &error);

  g_assert_null (database);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "/nonexistent/ca.pem"));
}

static void
test_garbage_file (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GTlsDatabase) database = NULL;
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "garbage.pem", NULL);

  g_assert_true (g_file_set_contents (path, "-----BEGIN CERTIFICATE-----\nnot base64 at all\n"
                                      "-----END CERTIFICATE-----\n", -1, NULL));
  database = mail_tls_database_new (path, &error);
  g_assert_null (database);
  g_assert_nonnull (error);
  g_unlink (path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mail/net/tls-database/system-only", test_system_only);
  g_test_add_func ("/mail/net/tls-database/missing-file", test_missing_file);
  g_test_add_func ("/mail/net/tls-database/garbage-file", test_garbage_file);

  return g_test_run ();
}
