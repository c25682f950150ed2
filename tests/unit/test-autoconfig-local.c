/* test-autoconfig-local.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Configuration files installed on this computer: the first folder that has one wins,
 * and nothing outside the folders, nor anything too large, is read.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "mail-autoconfig-local.h"

#define ADDRESS "jane@example.org"

typedef struct
{
  char *root;
  char *dirs[4];
} Fixture;

static const char *
config_for (const char *provider_id)
{
  static char buffer[1024];

  g_snprintf (buffer, sizeof buffer,
              "<?xml version=\"1.0\"?>\n"
              "<clientConfig version=\"1.1\">\n"
              "  <emailProvider id=\"%s\">\n"
              "    <domain>example.org</domain>\n"
              "    <incomingServer type=\"imap\">\n"
              "      <hostname>imap.%s</hostname>\n"
              "      <port>993</port>\n"
              "      <socketType>SSL</socketType>\n"
              "      <username>%%EMAILADDRESS%%</username>\n"
              "      <authentication>password-cleartext</authentication>\n"
              "    </incomingServer>\n"
              "  </emailProvider>\n"
              "</clientConfig>\n",
              provider_id, provider_id);

  return buffer;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr (GError) error = NULL;

  fixture->root = g_dir_make_tmp ("autoconfig-local-XXXXXX", &error);
  g_assert_no_error (error);

  /* The first folder does not exist; the other two do. */
  fixture->dirs[0] = g_build_filename (fixture->root, "missing", NULL);
  fixture->dirs[1] = g_build_filename (fixture->root, "user", NULL);
  fixture->dirs[2] = g_build_filename (fixture->root, "system", NULL);
  fixture->dirs[3] = NULL;
  g_assert_cmpint (g_mkdir (fixture->dirs[1], 0700), ==, 0);
  g_assert_cmpint (g_mkdir (fixture->dirs[2], 0700), ==, 0);
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
    }
  g_remove (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  remove_tree (fixture->root);
  g_free (fixture->root);
  for (guint i = 0; i < 3; i++)
    g_free (fixture->dirs[i]);
}

static void
write_file (const char *dir,
            const char *name,
            const char *contents,
            gssize      length)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
}

typedef struct
{
  MailAutoconfigResult *config;
  char                 *path;
  GError               *error;
  gboolean              done;
} Lookup;

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Lookup *lookup = user_data;

  lookup->config = mail_autoconfig_local_lookup_finish (result, &lookup->path, &lookup->error);
  lookup->done = TRUE;
}

static void
run_lookup (Fixture      *fixture,
            const char   *domain,
            GCancellable *cancellable,
            Lookup       *lookup)
{
  memset (lookup, 0, sizeof *lookup);
  mail_autoconfig_local_lookup_async ((const char * const *) fixture->dirs, domain, ADDRESS,
                                      cancellable, lookup_cb, lookup);
  /* Asynchronous: never answered before the main loop runs. */
  g_assert_false (lookup->done);
  while (!lookup->done)
    g_main_context_iteration (NULL, TRUE);
}

static void
lookup_clear (Lookup *lookup)
{
  g_clear_pointer (&lookup->config, mail_autoconfig_result_free);
  g_clear_pointer (&lookup->path, g_free);
  g_clear_error (&lookup->error);
}

static void
test_first_dir_wins (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autofree char *expected = g_build_filename (fixture->dirs[1], "example.org.xml", NULL);
  MailAutoconfigServer *server;
  Lookup lookup;

  write_file (fixture->dirs[1], "example.org.xml", config_for ("user-provider"), -1);
  write_file (fixture->dirs[2], "example.org.xml", config_for ("system-provider"), -1);

  /* The domain is looked up in lower case. */
  run_lookup (fixture, "Example.ORG", NULL, &lookup);
  g_assert_no_error (lookup.error);
  g_assert_nonnull (lookup.config);
  g_assert_cmpstr (lookup.config->provider_id, ==, "user-provider");
  g_assert_cmpstr (lookup.path, ==, expected);
  g_assert_cmpuint (lookup.config->incoming_servers->len, ==, 1);
  server = g_ptr_array_index (lookup.config->incoming_servers, 0);
  g_assert_cmpstr (server->hostname, ==, "imap.user-provider");
  g_assert_cmpstr (server->username, ==, ADDRESS);
  lookup_clear (&lookup);
}

static void
test_later_dir (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autofree char *expected = g_build_filename (fixture->dirs[2], "example.org.xml", NULL);
  Lookup lookup;

  write_file (fixture->dirs[1], "other.org.xml", config_for ("other"), -1);
  write_file (fixture->dirs[2], "example.org.xml", config_for ("system-provider"), -1);

  run_lookup (fixture, "example.org", NULL, &lookup);
  g_assert_no_error (lookup.error);
  g_assert_cmpstr (lookup.config->provider_id, ==, "system-provider");
  g_assert_cmpstr (lookup.path, ==, expected);
  lookup_clear (&lookup);
}

static void
test_not_found (Fixture       *fixture,
                gconstpointer  user_data)
{
  Lookup lookup;

  write_file (fixture->dirs[1], "other.org.xml", config_for ("other"), -1);

  run_lookup (fixture, "example.org", NULL, &lookup);
  g_assert_error (lookup.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (lookup.error->message, "example.org.xml"));
  g_assert_null (lookup.config);
  g_assert_null (lookup.path);
  lookup_clear (&lookup);
}

static void
test_too_large (Fixture       *fixture,
                gconstpointer  user_data)
{
  gsize size = MAIL_AUTOCONFIG_PARSER_MAX_SIZE + 1;
  g_autofree char *big = g_malloc (size);
  Lookup lookup;

  /* Larger than any configuration file: refused by its size, not parsed, and the later
   * folder's file is not used instead. */
  memset (big, ' ', size);
  write_file (fixture->dirs[1], "example.org.xml", big, (gssize) size);
  write_file (fixture->dirs[2], "example.org.xml", config_for ("system-provider"), -1);

  run_lookup (fixture, "example.org", NULL, &lookup);
  g_assert_error (lookup.error, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_TOO_LARGE);
  g_assert_null (lookup.config);
  lookup_clear (&lookup);
}

static void
test_invalid_file (Fixture       *fixture,
                   gconstpointer  user_data)
{
  Lookup lookup;

  write_file (fixture->dirs[1], "example.org.xml", "<clientConfig", -1);

  run_lookup (fixture, "example.org", NULL, &lookup);
  g_assert_error (lookup.error, MAIL_AUTOCONFIG_ERROR, MAIL_AUTOCONFIG_ERROR_MALFORMED);
  g_assert_nonnull (strstr (lookup.error->message, "example.org.xml"));
  lookup_clear (&lookup);
}

static void
test_traversal_refused (Fixture       *fixture,
                        gconstpointer  user_data)
{
  const char *domains[] = { "../secret", "..", ".hidden", "a/b", "/etc/passwd", "" };
  g_autofree char *outside = g_build_filename (fixture->root, "secret.xml", NULL);

  /* A file one level up that a traversal would reach. */
  write_file (fixture->root, "secret.xml", config_for ("secret"), -1);
  write_file (fixture->dirs[1], ".hidden.xml", config_for ("hidden"), -1);

  for (guint i = 0; i < G_N_ELEMENTS (domains); i++)
    {
      Lookup lookup;

      run_lookup (fixture, domains[i], NULL, &lookup);
      g_assert_error (lookup.error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_assert_null (lookup.config);
      lookup_clear (&lookup);
    }
  g_assert_true (g_file_test (outside, G_FILE_TEST_EXISTS));
}

static void
test_cancelled (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  Lookup lookup;

  write_file (fixture->dirs[1], "example.org.xml", config_for ("user-provider"), -1);
  g_cancellable_cancel (cancellable);

  run_lookup (fixture, "example.org", cancellable, &lookup);
  g_assert_error (lookup.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (lookup.config);
  lookup_clear (&lookup);
}

int
main (int   argc,
      char *argv[])
{
  /* Not G_TEST_OPTION_ISOLATE_DIRS: the folders are made with g_dir_make_tmp(), and
   * GLib 2.74 leaks the isolated paths of each test case, which fails the ASan build. */
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/mail/autoconfig/local/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)

  ADD ("first-dir-wins", test_first_dir_wins);
  ADD ("later-dir", test_later_dir);
  ADD ("not-found", test_not_found);
  ADD ("too-large", test_too_large);
  ADD ("invalid-file", test_invalid_file);
  ADD ("traversal-refused", test_traversal_refused);
  ADD ("cancelled", test_cancelled);

#undef ADD

  return g_test_run ();
}
