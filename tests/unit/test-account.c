/* test-account.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Accounts without a keyring: the settings file read and written, broken and foreign
 * files, validation, and what happens when there is no Secret Service at all (the session
 * bus address points nowhere): a plain error, and nothing of the account left on disk.
 * The keyring itself is exercised by the live tests, against a real gnome-keyring.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "mail-account-manager.h"
#include "mail-certificate-info.h"
#include "mail-test-certs.h"
#include "mail-test-util.h"

#define GOOD_ID "3f2c1b9e-8d7a-4c6b-9e5f-0a1b2c3d4e5f"

static MailAccount *
make_account (const char *address)
{
  MailAccount *account = mail_account_new (address);
  g_autoptr (MailAccountServer) in = mail_account_server_new (MAIL_PROTOCOL_IMAP,
                                                              "imap.example.test", 0,
                                                              MAIL_SECURITY_TLS);
  g_autoptr (MailAccountServer) out = mail_account_server_new (MAIL_PROTOCOL_SMTP,
                                                               "smtp.example.test", 0,
                                                               MAIL_SECURITY_STARTTLS);

  in->username = g_strdup (address);
  out->username = g_strdup (address);
  mail_account_set_server (account, MAIL_ACCOUNT_INCOMING, in);
  mail_account_set_server (account, MAIL_ACCOUNT_OUTGOING, out);

  return account;
}

static void
assert_servers_equal (const MailAccountServer *a,
                      const MailAccountServer *b)
{
  g_assert_cmpint (a->protocol, ==, b->protocol);
  g_assert_cmpstr (a->host, ==, b->host);
  g_assert_cmpuint (a->port, ==, b->port);
  g_assert_cmpint (a->security, ==, b->security);
  g_assert_cmpstr (a->username, ==, b->username);
  g_assert_cmpstr (a->auth, ==, b->auth);
  g_assert_cmpint (a->allow_plaintext_password, ==, b->allow_plaintext_password);
  g_assert_cmpstr (a->pinned_fingerprint, ==, b->pinned_fingerprint);
  g_assert_cmpstr (a->pinned_pem, ==, b->pinned_pem);
  g_assert_cmpstr (a->ca_file, ==, b->ca_file);
  g_assert_true (mail_account_server_equal (a, b));
}

static MailAccount *
reload (MailAccount *account)
{
  g_autoptr (GKeyFile) written = mail_account_to_key_file (account);
  g_autoptr (GKeyFile) read = g_key_file_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *data = g_key_file_to_data (written, NULL, NULL);
  MailAccount *copy;

  g_assert_true (g_key_file_load_from_data (read, data, -1, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  copy = mail_account_new_from_key_file (read, &error);
  g_assert_no_error (error);
  g_assert_nonnull (copy);

  return copy;
}

/* Every field, including multi-line text, a pinned certificate and POP3, survives the
 * file; the id is kept, and no field is lost or added. */
static void
test_round_trip (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MailTestCerts) certs = mail_test_certs_new (&error);
  g_autoptr (MailAccount) account = make_account ("Ada@example.test");
  g_autoptr (MailAccount) copy = NULL;
  g_autoptr (MailAccountServer) in = NULL;
  g_autoptr (MailAccountServer) out = NULL;
  g_autoptr (GByteArray) der = NULL;
  g_autofree char *pem = NULL;

  g_assert_no_error (error);
  g_object_get (certs->self_signed, "certificate-pem", &pem, NULL);
  g_object_get (certs->self_signed, "certificate", &der, NULL);

  in = mail_account_server_new (MAIL_PROTOCOL_POP3, "pop3.example.test", 0, MAIL_SECURITY_TLS);
  in->username = g_strdup ("ada");
  in->pinned_fingerprint = mail_certificate_fingerprint_from_der (der->data, der->len);
  in->pinned_pem = g_strdup (pem);
  in->ca_file = g_strdup ("/var/lib/mail/ca.pem");
  out = mail_account_server_new (MAIL_PROTOCOL_SMTP, "smtp.example.test", 2525,
                                 MAIL_SECURITY_NONE);
  out->allow_plaintext_password = TRUE;
  out->auth = (g_free (out->auth), g_strdup ("CRAM-MD5"));
  mail_account_set_server (account, MAIL_ACCOUNT_INCOMING, in);
  mail_account_set_server (account, MAIL_ACCOUNT_OUTGOING, out);
  mail_account_set_display_name (account, "Ada Lovelace — Ωmega");
  mail_account_set_signature (account, "-- \nAda\n\tAnalytical Engines [ltd]; #1 = \\o/");
  mail_account_set_sync_window_days (account, 0);
  mail_account_set_pop3_leave_on_server (account, TRUE);
  mail_account_set_pop3_delete_after_days (account, 14);
  g_assert_true (mail_account_validate (account, &error));
  g_assert_no_error (error);

  copy = reload (account);
  g_assert_cmpstr (mail_account_get_id (copy), ==, mail_account_get_id (account));
  g_assert_true (g_uuid_string_is_valid (mail_account_get_id (copy)));
  g_assert_cmpstr (mail_account_get_address (copy), ==, "Ada@example.test");
  g_assert_cmpstr (mail_account_get_display_name (copy), ==, "Ada Lovelace — Ωmega");
  g_assert_cmpstr (mail_account_get_signature (copy), ==,
                   "-- \nAda\n\tAnalytical Engines [ltd]; #1 = \\o/");
  g_assert_cmpuint (mail_account_get_sync_window_days (copy), ==, 0);
  g_assert_true (mail_account_get_pop3_leave_on_server (copy));
  g_assert_cmpuint (mail_account_get_pop3_delete_after_days (copy), ==, 14);
  assert_servers_equal (mail_account_get_server (copy, MAIL_ACCOUNT_INCOMING), in);
  assert_servers_equal (mail_account_get_server (copy, MAIL_ACCOUNT_OUTGOING), out);
  g_assert_cmpuint (mail_account_get_server (copy, MAIL_ACCOUNT_INCOMING)->port, ==, 995);
}

/* What mail_account_new() starts with, and a copy is equal but separate. */
static void
test_defaults_and_copy (void)
{
  g_autoptr (MailAccount) a = make_account ("bob@example.test");
  g_autoptr (MailAccount) b = make_account ("bob@example.test");
  g_autoptr (MailAccount) copy = NULL;
  g_autoptr (MailAccountServer) changed = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *settings = NULL;
  g_autofree char *expected = NULL;

  g_assert_cmpstr (mail_account_get_id (a), !=, mail_account_get_id (b));
  g_assert_cmpuint (mail_account_get_sync_window_days (a), ==, 30);
  g_assert_true (mail_account_get_pop3_leave_on_server (a));
  g_assert_cmpuint (mail_account_get_pop3_delete_after_days (a), ==, 0);
  g_assert_cmpstr (mail_account_get_server (a, MAIL_ACCOUNT_INCOMING)->auth, ==, "password");
  g_assert_cmpuint (mail_account_get_server (a, MAIL_ACCOUNT_INCOMING)->port, ==, 993);
  g_assert_cmpuint (mail_account_get_server (a, MAIL_ACCOUNT_OUTGOING)->port, ==, 587);
  g_assert_cmpstr (mail_account_get_display_name (a), ==, "");

  copy = mail_account_copy (a);
  g_assert_cmpstr (mail_account_get_id (copy), ==, mail_account_get_id (a));
  changed = mail_account_server_copy (mail_account_get_server (copy, MAIL_ACCOUNT_INCOMING));
  g_free (changed->host);
  changed->host = g_strdup ("other.example.test");
  mail_account_set_server (copy, MAIL_ACCOUNT_INCOMING, changed);
  g_assert_cmpstr (mail_account_get_server (a, MAIL_ACCOUNT_INCOMING)->host, ==,
                   "imap.example.test");

  /* Where it lives: by id, under the user's config and data directories. */
  settings = mail_account_dup_settings_path (a);
  expected = g_strdup_printf ("%s/org.example.Mail/accounts/%s.ini", g_get_user_config_dir (),
                              mail_account_get_id (a));
  g_assert_cmpstr (settings, ==, expected);
  g_free (expected);
  data_dir = mail_account_dup_data_dir (a);
  expected = g_strdup_printf ("%s/org.example.Mail/accounts/%s", g_get_user_data_dir (),
                              mail_account_get_id (a));
  g_assert_cmpstr (data_dir, ==, expected);

  g_assert_true (mail_account_address_equal ("Bob@Example.TEST", "bob@example.test"));
  g_assert_false (mail_account_address_equal ("bob@example.test", "bob@example.tes"));
}

/* The smallest file a person could write: the rest takes its defaults. */
static void
test_minimal_file (void)
{
  const char *data =
    "[Account]\nVersion=1\nId=" GOOD_ID "\nAddress=min@example.test\n"
    "[Incoming]\nProtocol=imap\nHost=imap.example.test\nPort=143\nSecurity=starttls\n"
    "Username=min\n"
    "[Outgoing]\nProtocol=smtp\nHost=smtp.example.test\nPort=465\nSecurity=tls\n";
  g_autoptr (GKeyFile) key_file = g_key_file_new ();
  g_autoptr (MailAccount) account = NULL;
  g_autoptr (GError) error = NULL;
  const MailAccountServer *out;

  g_assert_true (g_key_file_load_from_data (key_file, data, -1, G_KEY_FILE_NONE, NULL));
  account = mail_account_new_from_key_file (key_file, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mail_account_get_id (account), ==, GOOD_ID);
  g_assert_cmpuint (mail_account_get_sync_window_days (account), ==, 30);
  g_assert_true (mail_account_get_pop3_leave_on_server (account));
  out = mail_account_get_server (account, MAIL_ACCOUNT_OUTGOING);
  g_assert_null (out->username);
  g_assert_cmpstr (out->auth, ==, "password");
  g_assert_false (out->allow_plaintext_password);
  g_assert_null (out->pinned_fingerprint);
}

/* Each broken file is refused with an error that says what is wrong with it. */
static void
test_invalid_files (void)
{
  static const struct
  {
    const char *what;
    const char *replace;
    const char *with;
    const char *message;
  } cases[] = {
    { "no [Account]", "[Account]", "[Acount]", "[Account]" },
    { "a newer version", "Version=1", "Version=7", "newer version" },
    { "not a number", "Version=1", "Version=one", "Version" },
    { "a bad id", "Id=" GOOD_ID, "Id=../../etc/passwd", "Id" },
    { "no address", "Address=min@example.test\n", "", "Address" },
    { "not an address", "Address=min@example.test", "Address=min", "email address" },
    { "port 0", "Port=143", "Port=0", "Port" },
    { "port too large", "Port=143", "Port=70000", "Port" },
    { "unknown protocol", "Protocol=imap", "Protocol=nntp", "Protocol" },
    { "unknown security", "Security=starttls", "Security=ssl3", "Security" },
    { "SMTP for incoming", "Protocol=imap", "Protocol=smtp", "IMAP or POP3" },
    { "no host", "Host=imap.example.test", "Host=", "host name" },
    { "host with a space", "Host=imap.example.test", "Host=imap example", "host name" },
    { "no user name", "Username=min\n", "", "user name" },
    { "plaintext without consent", "Security=starttls", "Security=none", "unencrypted" },
    { "bad pin", "Username=min\n", "Username=min\nPinnedFingerprint=12:34\n", "fingerprint" },
    { "relative CA file", "Username=min\n", "Username=min\nCaFile=ca.pem\n", "absolute" },
    { "bad auth", "Username=min\n", "Username=min\nAuth=plain text\n", "sign-in method" },
    { "no [Outgoing]", "[Outgoing]", "[Outgoin]", "[Outgoing]" },
    { "window too large", "Address=min@example.test",
      "Address=min@example.test\nSyncWindowDays=99999999", "SyncWindowDays" },
    { "negative days", "[Outgoing]", "[POP3]\nDeleteAfterDays=-1\n[Outgoing]",
      "DeleteAfterDays" },
  };
  const char *good =
    "[Account]\nVersion=1\nId=" GOOD_ID "\nAddress=min@example.test\n"
    "[Incoming]\nProtocol=imap\nHost=imap.example.test\nPort=143\nSecurity=starttls\n"
    "Username=min\n"
    "[Outgoing]\nProtocol=smtp\nHost=smtp.example.test\nPort=465\nSecurity=tls\n";

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GKeyFile) key_file = g_key_file_new ();
      g_autoptr (GString) data = g_string_new (good);
      g_autoptr (MailAccount) account = NULL;
      g_autoptr (GError) error = NULL;

      g_test_message ("%s", cases[i].what);
      g_assert_cmpuint (g_string_replace (data, cases[i].replace, cases[i].with, 1), ==, 1);
      g_assert_true (g_key_file_load_from_data (key_file, data->str, -1, G_KEY_FILE_NONE, NULL));
      account = mail_account_new_from_key_file (key_file, &error);
      g_assert_null (account);
      g_assert_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("%s: “%s” does not mention “%s”", cases[i].what, error->message,
                 cases[i].message);
    }
}

static char *
settings_dir (void)
{
  g_autofree char *dir = mail_account_dup_settings_dir ();

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);

  return g_steal_pointer (&dir);
}

static void
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
}

static char *
account_file_data (const char *id,
                   const char *address)
{
  return g_strdup_printf ("[Account]\nVersion=1\nId=%s\nAddress=%s\n"
                          "[Incoming]\nProtocol=imap\nHost=mail.example.test\nPort=993\n"
                          "Security=tls\nUsername=%s\n"
                          "[Outgoing]\nProtocol=smtp\nHost=mail.example.test\nPort=465\n"
                          "Security=tls\nUsername=%s\n", id, address, address, address);
}

typedef struct
{
  guint added;
  guint position;
} ItemsChanged;

static void
items_changed_cb (GListModel   *model,
                  guint         position,
                  guint         removed,
                  guint         added,
                  ItemsChanged *changes)
{
  changes->added += added;
  changes->position = position;
}

/* Fills the settings directory with two good files and every kind of bad one. */
static void
write_mixed_directory (void)
{
  g_autofree char *dir = settings_dir ();
  g_autofree char *first = account_file_data ("11111111-1111-4111-8111-111111111111",
                                              "one@example.test");
  g_autofree char *second = account_file_data ("22222222-2222-4222-8222-222222222222",
                                               "two@example.test");
  g_autofree char *misnamed = account_file_data ("33333333-3333-4333-8333-333333333333",
                                                 "three@example.test");
  g_autofree char *duplicate = account_file_data ("44444444-4444-4444-8444-444444444444",
                                                  "ONE@example.test");
  g_autofree char *newer = NULL;

  write_file (dir, "11111111-1111-4111-8111-111111111111.ini", first);
  write_file (dir, "22222222-2222-4222-8222-222222222222.ini", second);
  write_file (dir, "broken.ini", "this is [not a key file\n\x01\x02");
  write_file (dir, "33333333-3333-4333-8333-333333333333-copy.ini", misnamed);
  write_file (dir, "44444444-4444-4444-8444-444444444444.ini", duplicate);
  newer = account_file_data ("55555555-5555-4555-8555-555555555555", "five@example.test");
  newer = (g_free (newer), g_strdup ("[Account]\nVersion=2\n"));
  write_file (dir, "55555555-5555-4555-8555-555555555555.ini", newer);
  /* Not settings files: a temporary file of an interrupted write, and anything else. */
  write_file (dir, "66666666-6666-4666-8666-666666666666.ini.X1Y2Z3", "garbage");
  write_file (dir, "README", "garbage");
}

static void
expect_load_warnings (void)
{
  g_test_expect_message ("mail-account", G_LOG_LEVEL_WARNING,
                         "*33333333-3333-4333-8333-333333333333-copy.ini*does not match*");
  g_test_expect_message ("mail-account", G_LOG_LEVEL_WARNING,
                         "*another file already holds an account for ONE@example.test*");
  g_test_expect_message ("mail-account", G_LOG_LEVEL_WARNING,
                         "*55555555-5555-4555-8555-555555555555.ini*newer version*");
  g_test_expect_message ("mail-account", G_LOG_LEVEL_WARNING, "*broken.ini*");
}

static void
assert_mixed_loaded (MailAccountManager *manager)
{
  g_autoptr (MailAccount) first = NULL;

  g_assert_true (mail_account_manager_get_loaded (manager));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (manager)), ==, 2);
  first = g_list_model_get_item (G_LIST_MODEL (manager), 0);
  g_assert_cmpstr (mail_account_get_address (first), ==, "one@example.test");
  g_assert_true (mail_account_manager_lookup_by_address (manager, "One@Example.test") == first);
  g_assert_true (mail_account_manager_lookup (manager, "11111111-1111-4111-8111-111111111111") ==
                 first);
  g_assert_true (mail_account_manager_find (manager, "one@example.test") == first);
  g_assert_true (mail_account_manager_find (manager, "11111111-1111-4111-8111-111111111111") ==
                 first);
  g_assert_nonnull (mail_account_manager_lookup_by_address (manager, "two@example.test"));
  g_assert_null (mail_account_manager_find (manager, "three@example.test"));
  g_assert_null (mail_account_manager_find (manager, "ONE@example.tes"));
}

/* A broken settings file is skipped with a warning naming it; the others load. */
static void
test_load_skips_broken (void)
{
  g_autoptr (MailAccountManager) manager = mail_account_manager_new ();
  g_autoptr (GError) error = NULL;
  ItemsChanged changes = { 0 };

  write_mixed_directory ();
  g_signal_connect (manager, "items-changed", G_CALLBACK (items_changed_cb), &changes);
  g_assert_false (mail_account_manager_get_loaded (manager));

  expect_load_warnings ();
  g_assert_true (mail_account_manager_load_sync (manager, NULL, &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_cmpuint (changes.added, ==, 2);
  g_assert_cmpuint (changes.position, ==, 0);
  assert_mixed_loaded (manager);
}

static void
load_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr (GError) error = NULL;
  gboolean *done = user_data;

  g_assert_true (mail_account_manager_load_finish (MAIL_ACCOUNT_MANAGER (object), result,
                                                   &error));
  g_assert_no_error (error);
  /* The list is complete before the callback runs. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (object)), ==, 2);
  *done = TRUE;
}

static void
test_load_async (void)
{
  g_autoptr (MailAccountManager) manager = mail_account_manager_new ();
  gboolean done = FALSE;

  write_mixed_directory ();
  expect_load_warnings ();
  mail_account_manager_load_async (manager, NULL, load_done_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_test_assert_expected_messages ();
  assert_mixed_loaded (manager);
  g_assert_true (mail_test_wait_for_last_ref (manager));
  g_assert_finalize_object (g_steal_pointer (&manager));
}

/* No settings directory at all: no accounts, no error. */
static void
test_load_empty (void)
{
  g_autoptr (MailAccountManager) manager = mail_account_manager_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (mail_account_manager_load_sync (manager, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (manager)), ==, 0);
  g_assert_true (mail_account_manager_get_loaded (manager));
}

/* Every file under @dir, recursively. */
static void
collect_files (const char *dir,
               GPtrArray  *files)
{
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL)
    return;
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        collect_files (path, files);
      else
        g_ptr_array_add (files, g_steal_pointer (&path));
    }
}

static void
assert_nothing_saved (MailAccount *account)
{
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *settings = mail_account_dup_settings_path (account);
  g_autofree char *data_dir = mail_account_dup_data_dir (account);

  g_assert_false (g_file_test (settings, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (data_dir, G_FILE_TEST_EXISTS));
  collect_files (g_get_user_config_dir (), files);
  collect_files (g_get_user_data_dir (), files);
  for (guint i = 0; i < files->len; i++)
    g_test_message ("left behind: %s", (char *) g_ptr_array_index (files, i));
  g_assert_cmpuint (files->len, ==, 0);
}

static void
count_cb (guint *count)
{
  (*count)++;
}

/* No Secret Service: the error says so in plain words, and nothing of the account is
 * left, not even the CA file copied before the password was to be stored. */
static void
test_no_keyring (void)
{
  g_autoptr (MailAccountManager) manager = mail_account_manager_new ();
  g_autoptr (MailAccount) account = make_account ("nokeyring@example.test");
  g_autoptr (MailAccountServer) in = NULL;
  g_autoptr (MailAccount) added = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (MailTestCerts) certs = mail_test_certs_new (&error);
  guint added_signals = 0;
  ItemsChanged changes = { 0 };

  g_assert_no_error (error);
  in = mail_account_server_copy (mail_account_get_server (account, MAIL_ACCOUNT_INCOMING));
  in->ca_file = g_strdup (certs->ca_file);
  mail_account_set_server (account, MAIL_ACCOUNT_INCOMING, in);
  g_signal_connect_swapped (manager, "account-added", G_CALLBACK (count_cb), &added_signals);
  g_signal_connect (manager, "items-changed", G_CALLBACK (items_changed_cb), &changes);

  added = mail_account_manager_add_sync (manager, account, "secret-password", NULL, NULL, &error);
  g_assert_null (added);
  g_assert_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_KEYRING_UNAVAILABLE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "No keyring is available"));
  g_assert_nonnull (strstr (error->message, "never in a file"));
  g_assert_null (strstr (error->message, "secret-password"));
  g_assert_cmpstr (mail_account_error_category (error), ==, "keyring-unavailable");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (manager)), ==, 0);
  g_assert_cmpuint (added_signals, ==, 0);
  g_assert_cmpuint (changes.added, ==, 0);
  assert_nothing_saved (account);

  /* The keyring calls on their own say the same. */
  g_clear_error (&error);
  g_assert_false (mail_account_store_password_sync (account, MAIL_ACCOUNT_INCOMING, "pw", NULL,
                                                    &error));
  g_assert_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_KEYRING_UNAVAILABLE);
  g_clear_error (&error);
  g_assert_null (mail_account_lookup_password_sync (account, MAIL_ACCOUNT_INCOMING, NULL,
                                                    &error));
  g_assert_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_KEYRING_UNAVAILABLE);
}

static void
add_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GError **error = user_data;
  g_autoptr (MailAccount) added = NULL;

  added = mail_account_manager_add_finish (MAIL_ACCOUNT_MANAGER (object), result, error);
  g_assert_null (added);
  g_assert_nonnull (*error);
}

static void
test_no_keyring_async (void)
{
  g_autoptr (MailAccountManager) manager = mail_account_manager_new ();
  g_autoptr (MailAccount) account = make_account ("nokeyring@example.test");
  GError *error = NULL;

  mail_account_manager_add_async (manager, account, "secret-password", NULL, NULL, add_done_cb,
                                  &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_KEYRING_UNAVAILABLE);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (manager)), ==, 0);
  assert_nothing_saved (account);
  g_assert_true (mail_test_wait_for_last_ref (manager));
  g_assert_finalize_object (g_steal_pointer (&manager));
}

/* What is refused before the keyring is asked: incomplete settings, no password, and an
 * address that already has an account on disk (written by another process). */
static void
test_refused_before_keyring (void)
{
  g_autoptr (MailAccountManager) manager = mail_account_manager_new ();
  g_autoptr (MailAccount) account = make_account ("dup@example.test");
  g_autoptr (MailAccount) invalid = make_account ("not an address");
  g_autoptr (MailAccount) added = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = settings_dir ();
  g_autofree char *existing = account_file_data ("77777777-7777-4777-8777-777777777777",
                                                 "DUP@example.test");

  added = mail_account_manager_add_sync (manager, invalid, "pw", NULL, NULL, &error);
  g_assert_null (added);
  g_assert_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID);
  g_clear_error (&error);

  added = mail_account_manager_add_sync (manager, account, "", NULL, NULL, &error);
  g_assert_null (added);
  g_assert_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_INVALID);
  g_clear_error (&error);

  write_file (dir, "77777777-7777-4777-8777-777777777777.ini", existing);
  added = mail_account_manager_add_sync (manager, account, "pw", NULL, NULL, &error);
  g_assert_null (added);
  g_assert_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "dup@example.test"));
  g_assert_cmpstr (mail_account_error_category (error), ==, "exists");
  g_clear_error (&error);

  /* Loaded, the manager refuses it itself. */
  g_assert_true (mail_account_manager_load_sync (manager, NULL, &error));
  added = mail_account_manager_add_sync (manager, account, "pw", NULL, NULL, &error);
  g_assert_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_EXISTS);
  g_clear_error (&error);

  /* Updating or removing an account the manager does not have. */
  g_assert_false (mail_account_manager_update_sync (manager, account, NULL, NULL, NULL, &error));
  g_assert_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (mail_account_manager_remove_sync (manager, account, NULL, &error));
  g_assert_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_NOT_FOUND);
}

/* Without a keyring nothing can be removed either: the settings stay, to try again. */
static void
test_remove_without_keyring (void)
{
  g_autoptr (MailAccountManager) manager = mail_account_manager_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = settings_dir ();
  g_autofree char *data = account_file_data ("88888888-8888-4888-8888-888888888888",
                                             "keep@example.test");
  g_autofree char *path = g_build_filename (dir, "88888888-8888-4888-8888-888888888888.ini",
                                            NULL);
  MailAccount *account;

  write_file (dir, "88888888-8888-4888-8888-888888888888.ini", data);
  g_assert_true (mail_account_manager_load_sync (manager, NULL, &error));
  account = mail_account_manager_find (manager, "keep@example.test");
  g_assert_nonnull (account);
  g_assert_false (mail_account_manager_remove_sync (manager, account, NULL, &error));
  g_assert_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_KEYRING_UNAVAILABLE);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (manager)), ==, 1);
}

/* One temporary home for the whole run (not G_TEST_OPTION_ISOLATE_DIRS, which GLib 2.74
 * leaks under AddressSanitizer), emptied before each test. */
static char *home;

static void
delete_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        delete_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
run_in_empty_home (gconstpointer data)
{
  GTestFunc test = (GTestFunc) data;

  delete_tree (home);
  g_assert_cmpint (g_mkdir_with_parents (home, 0700), ==, 0);
  test ();
}

static void
add_test (const char *path,
          GTestFunc   test)
{
  g_test_add_data_func (path, (gconstpointer) test, run_in_empty_home);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *config = NULL;
  g_autofree char *data = NULL;
  int status;

  /* A session bus that is not there, and no display to start one for: libsecret finds no
   * Secret Service, as on a system without a keyring. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/mail-test-bus", TRUE);
  g_unsetenv ("DISPLAY");

  home = g_dir_make_tmp ("mail-test-account-XXXXXX", NULL);
  g_assert_nonnull (home);
  config = g_build_filename (home, "config", NULL);
  data = g_build_filename (home, "data", NULL);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("XDG_DATA_HOME", data, TRUE);

  g_test_init (&argc, &argv, NULL);

  add_test ("/mail/account/key-file/round-trip", test_round_trip);
  add_test ("/mail/account/key-file/defaults-and-copy", test_defaults_and_copy);
  add_test ("/mail/account/key-file/minimal", test_minimal_file);
  add_test ("/mail/account/key-file/invalid", test_invalid_files);
  add_test ("/mail/account/manager/load-skips-broken", test_load_skips_broken);
  add_test ("/mail/account/manager/load-async", test_load_async);
  add_test ("/mail/account/manager/load-empty", test_load_empty);
  add_test ("/mail/account/manager/no-keyring", test_no_keyring);
  add_test ("/mail/account/manager/no-keyring-async", test_no_keyring_async);
  add_test ("/mail/account/manager/refused-before-keyring", test_refused_before_keyring);
  add_test ("/mail/account/manager/remove-without-keyring", test_remove_without_keyring);

  status = g_test_run ();

  delete_tree (home);
  g_free (home);

  return status;
}
