/* test-account-live.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `mail-tool account` against the harness: real Dovecot and Postfix to sign in to, and
 * the harness's real gnome-keyring on its private session bus. Each case runs the tool as a
 * user would, then looks for itself: in the keyring (through libsecret, by the schema's
 * name and attributes), at the files under the config and data directories (none may hold
 * the password), and at what the tool printed.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <string.h>
#include <sys/stat.h>

#include "mail-account-manager.h"
#include "mail-test-util.h"

#define ALICE "alice@example.test"

static char *tool;
static char *root;
static char *ca_file;
static char *password;
static char *mail_host;

/* Running the tool --------------------------------------------------------------------- */

typedef struct
{
  int       status;
  char     *out;
  char     *err;
  JsonNode *json;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
  g_clear_pointer (&run->json, json_node_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs `mail-tool ARGS…` with @input on standard input; @no_keyring points the session bus
 * nowhere, as on a system without a Secret Service. Parses standard output as JSON when it
 * is JSON. The password must never appear in anything it prints. */
static void
run_tool (Run               *run,
          const char        *input,
          gboolean           no_keyring,
          const char * const *args)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();

  g_ptr_array_add (argv, tool);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (no_keyring)
    {
      g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS",
                                    "unix:path=/nonexistent/mail-test-bus", TRUE);
      g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
    }
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input != NULL ? input : "", NULL, &run->out, &run->err,
                                 &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);

  g_test_message ("mail-tool %s → %d\n%s%s", args[0], run->status, run->out, run->err);
  g_assert_null (strstr (run->out, password));
  g_assert_null (strstr (run->err, password));
  g_assert_null (strstr (run->err, "CRITICAL"));
  g_assert_null (strstr (run->err, "AddressSanitizer"));

  if (run->out[0] == '{' || run->out[0] == '[')
    {
      json_parser_load_from_data (parser, run->out, -1, &error);
      g_assert_no_error (error);
      run->json = json_node_copy (json_parser_get_root (parser));
    }
}

static char *
with_newline (const char *text)
{
  return g_strconcat (text, "\n", NULL);
}

static const char *
object_string (JsonObject *object,
               const char *member)
{
  g_assert_true (json_object_has_member (object, member));

  return json_object_get_string_member (object, member);
}

static void
assert_failure (Run        *run,
                int         status,
                const char *category)
{
  g_autofree char *prefix = g_strdup_printf (": %s: ", category);

  g_assert_cmpint (run->status, ==, status);
  if (category != NULL && strstr (run->err, prefix) == NULL)
    g_error ("expected the category “%s” in: %s", category, run->err);
}

/* The keyring, looked at directly ------------------------------------------------------ */

static const SecretSchema *
schema (void)
{
  /* The schema by name: libsecret matches xdg:schema = org.example.Mail.Account. */
  static const SecretSchema s = {
    "org.example.Mail.Account", SECRET_SCHEMA_NONE,
    {
      { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "protocol", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "host", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &s;
}

/* Every item of Mail's schema (for @account_id, or all when %NULL), with their secrets. */
static GList *
keyring_items (const char *account_id)
{
  g_autoptr (SecretService) service = NULL;
  g_autoptr (GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GError) error = NULL;
  GList *items;

  service = secret_service_get_sync (SECRET_SERVICE_OPEN_SESSION, NULL, &error);
  g_assert_no_error (error);
  if (account_id != NULL)
    g_hash_table_insert (attributes, (gpointer) "account", (gpointer) account_id);
  items = secret_service_search_sync (service, schema (), attributes,
                                      SECRET_SEARCH_ALL | SECRET_SEARCH_LOAD_SECRETS, NULL,
                                      &error);
  g_assert_no_error (error);

  return items;
}

/* The account's item for @protocol holds the password, and its attributes identify the
 * account and the server and nothing else. */
static void
assert_keyring_item (GList      *items,
                     const char *account_id,
                     const char *protocol,
                     const char *host,
                     const char *user)
{
  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr (GHashTable) attributes = secret_item_get_attributes (l->data);
      g_autoptr (SecretValue) value = secret_item_get_secret (l->data);
      g_autofree char *label = secret_item_get_label (l->data);
      GHashTableIter iter;
      gpointer key, attribute;

      if (g_strcmp0 (g_hash_table_lookup (attributes, "protocol"), protocol) != 0)
        continue;

      g_assert_cmpstr (g_hash_table_lookup (attributes, "account"), ==, account_id);
      g_assert_cmpstr (g_hash_table_lookup (attributes, "host"), ==, host);
      g_assert_cmpstr (g_hash_table_lookup (attributes, "user"), ==, user);
      g_assert_cmpstr (g_hash_table_lookup (attributes, "xdg:schema"), ==,
                       "org.example.Mail.Account");
      g_assert_cmpuint (g_hash_table_size (attributes), ==, 5);
      g_hash_table_iter_init (&iter, attributes);
      while (g_hash_table_iter_next (&iter, &key, &attribute))
        g_assert_null (strstr (attribute, password));
      g_assert_null (strstr (label, password));

      g_assert_nonnull (value);
      g_assert_cmpstr (secret_value_get_text (value), ==, password);
      return;
    }

  g_error ("no keyring item for %s at %s", protocol, host);
}

/* The files ---------------------------------------------------------------------------- */

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

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        collect_files (path, files);
      else
        g_ptr_array_add (files, g_steal_pointer (&path));
    }
}

/* No file under the config, data and cache directories holds the password (nor its
 * base64 form, as a careless SASL log would write it). Returns the number of files. */
static guint
assert_password_nowhere (void)
{
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *encoded = g_base64_encode ((const guchar *) password, strlen (password));

  collect_files (root, files);
  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      g_autofree char *contents = NULL;
      gsize length;

      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      if (g_strstr_len (contents, length, password) != NULL ||
          g_strstr_len (contents, length, encoded) != NULL)
        g_error ("the password is in %s", path);
    }

  return files->len;
}

/* The files under the config and data directories, where Mail saves accounts. */
static guint
count_files (void)
{
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);

  collect_files (g_get_user_config_dir (), files);
  collect_files (g_get_user_data_dir (), files);
  for (guint i = 0; i < files->len; i++)
    g_test_message ("file: %s", (char *) g_ptr_array_index (files, i));

  return files->len;
}

/* Nothing of any account is anywhere: no files, no keyring items. */
static void
assert_nothing_saved (void)
{
  GList *items = keyring_items (NULL);

  g_assert_cmpuint (count_files (), ==, 0);
  g_assert_null (items);
}

static JsonObject *
single_listed_account (void)
{
  g_auto (Run) run = { 0 };
  JsonArray *array;

  run_tool (&run, NULL, FALSE, (const char *[]) { "account", "list", "--json", NULL });
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (run.json);
  array = json_node_get_array (run.json);
  g_assert_cmpuint (json_array_get_length (array), ==, 1);

  return json_object_ref (json_array_get_object_element (array, 0));
}

static void
remove_account (const char *name)
{
  g_auto (Run) run = { 0 };

  run_tool (&run, NULL, FALSE, (const char *[]) { "account", "remove", name, NULL });
  g_assert_cmpint (run.status, ==, 0);
}

/* Checks the account a `--json` add printed: what `list` says, the files, the keyring; then
 * removes it by @remove_by ("address" or "id") and checks that everything is gone. */
static void
check_saved_and_remove (JsonObject *added,
                        const char *incoming_protocol,
                        const char *remove_by)
{
  g_autoptr (JsonObject) listed = single_listed_account ();
  JsonObject *incoming = json_object_get_object_member (added, "incoming");
  JsonObject *outgoing = json_object_get_object_member (added, "outgoing");
  const char *id = object_string (added, "id");
  const char *settings = object_string (added, "settings_file");
  const char *data_dir = object_string (added, "data_dir");
  g_autofree char *settings_dir = g_path_get_dirname (settings);
  g_autofree char *copied_ca = g_build_filename (data_dir, "ca.pem", NULL);
  g_autofree char *copied = NULL;
  g_autofree char *original = NULL;
  g_autolist (SecretItem) items = NULL;
  GStatBuf st;

  g_assert_true (g_uuid_string_is_valid (id));
  g_assert_cmpstr (object_string (listed, "id"), ==, id);
  g_assert_cmpstr (object_string (listed, "address"), ==, ALICE);
  g_assert_true (json_object_has_member (listed, "incoming"));
  g_assert_cmpstr (object_string (json_object_get_object_member (listed, "incoming"), "protocol"),
                   ==, incoming_protocol);
  g_assert_true (json_object_has_member (listed, "sync_window_days"));

  /* The settings file: private, under the config directory, named by the id. */
  g_assert_true (g_str_has_prefix (settings, root));
  g_assert_true (g_str_has_suffix (settings_dir, "/config/org.example.Mail/accounts"));
  g_assert_cmpint (g_stat (settings, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (settings_dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);

  /* The extra CA: a private copy in the account's data directory, used from then on. */
  g_assert_cmpstr (object_string (incoming, "ca_file"), ==, copied_ca);
  g_assert_cmpstr (object_string (outgoing, "ca_file"), ==, copied_ca);
  g_assert_true (g_file_get_contents (copied_ca, &copied, NULL, NULL));
  g_assert_true (g_file_get_contents (ca_file, &original, NULL, NULL));
  g_assert_cmpstr (copied, ==, original);
  g_assert_cmpint (g_stat (copied_ca, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* The password: in the keyring, one item per server, and in no file. */
  items = keyring_items (id);
  g_assert_cmpuint (g_list_length (items), ==, 2);
  assert_keyring_item (items, id, incoming_protocol, mail_host, ALICE);
  assert_keyring_item (items, id, "smtp", mail_host, ALICE);
  g_assert_cmpuint (assert_password_nowhere (), >=, 2);

  /* The core reads it back as the sync engine will. */
  {
    g_autoptr (MailAccountManager) manager = mail_account_manager_new ();
    g_autoptr (GError) error = NULL;
    MailAccount *account;
    char *kept;

    g_assert_true (mail_account_manager_load_sync (manager, NULL, &error));
    account = mail_account_manager_lookup (manager, id);
    g_assert_nonnull (account);
    kept = mail_account_lookup_password_sync (account, MAIL_ACCOUNT_OUTGOING, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (kept, ==, password);
    mail_account_password_free (kept);
  }

  remove_account (g_str_equal (remove_by, "id") ? id : ALICE);
  g_assert_false (g_file_test (settings, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (data_dir, G_FILE_TEST_EXISTS));
  g_assert_null (keyring_items (id));
  {
    g_auto (Run) run = { 0 };

    run_tool (&run, NULL, FALSE, (const char *[]) { "account", "list", "--json", NULL });
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (run.json)), ==, 0);
  }
  assert_nothing_saved ();
}

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

/* The core API itself, as the app and the sync engine use it ----------------------------- */

static void
async_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

static MailAccount *
make_alice (void)
{
  MailAccount *account = mail_account_new (ALICE);
  g_autoptr (MailAccountServer) in = mail_account_server_new (MAIL_PROTOCOL_IMAP, mail_host, 0,
                                                              MAIL_SECURITY_TLS);
  g_autoptr (MailAccountServer) out = mail_account_server_new (MAIL_PROTOCOL_SMTP, mail_host, 0,
                                                               MAIL_SECURITY_TLS);

  in->username = g_strdup (ALICE);
  in->ca_file = g_strdup (ca_file);
  out->username = g_strdup (ALICE);
  out->ca_file = g_strdup (ca_file);
  mail_account_set_server (account, MAIL_ACCOUNT_INCOMING, in);
  mail_account_set_server (account, MAIL_ACCOUNT_OUTGOING, out);

  return account;
}

static char *
lookup (MailAccount          *account,
        MailAccountDirection  direction)
{
  g_autoptr (GError) error = NULL;
  char *kept = mail_account_lookup_password_sync (account, direction, NULL, &error);

  if (kept == NULL)
    g_assert_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_NOT_FOUND);

  return kept;
}

static void
count_cb (guint *count)
{
  (*count)++;
}

/* The hook of the first sync: the account is in the list, saved, when the signal comes. */
static void
account_added_cb (MailAccountManager *manager,
                  MailAccount        *account,
                  guint              *count)
{
  g_autofree char *settings = mail_account_dup_settings_path (account);

  g_assert_true (mail_account_manager_lookup (manager, mail_account_get_id (account)) == account);
  g_assert_true (g_file_test (settings, G_FILE_TEST_IS_REGULAR));
  (*count)++;
}

/* Adding and removing through the manager's queue, with its signals and list. */
static void
test_manager_async (void)
{
  g_autoptr (MailAccountManager) manager = mail_account_manager_new ();
  g_autoptr (MailAccount) account = make_alice ();
  g_autoptr (MailAccount) added = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *data_dir = NULL;
  guint signals = 0;

  mail_account_manager_load_async (manager, NULL, async_done_cb, &result);
  g_assert_true (mail_account_manager_load_finish (manager, wait_result (&result), &error));
  g_clear_object (&result);
  g_signal_connect (manager, "account-added", G_CALLBACK (account_added_cb), &signals);

  mail_account_manager_add_async (manager, account, password, NULL, NULL, async_done_cb,
                                  &result);
  added = mail_account_manager_add_finish (manager, wait_result (&result), &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  g_assert_nonnull (added);
  g_assert_true (mail_account_manager_lookup (manager, mail_account_get_id (account)) == added);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (manager)), ==, 1);
  g_assert_cmpuint (signals, ==, 1);

  /* The password, through the async keyring calls. */
  mail_account_lookup_password_async (added, MAIL_ACCOUNT_INCOMING, NULL, async_done_cb, &result);
  {
    char *kept = mail_account_lookup_password_finish (added, wait_result (&result), &error);

    g_assert_no_error (error);
    g_assert_cmpstr (kept, ==, password);
    mail_account_password_free (kept);
  }
  g_clear_object (&result);

  data_dir = mail_account_dup_data_dir (added);
  mail_account_manager_remove_async (manager, added, NULL, async_done_cb, &result);
  g_assert_true (mail_account_manager_remove_finish (manager, wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (manager)), ==, 0);
  g_assert_false (g_file_test (data_dir, G_FILE_TEST_EXISTS));
  assert_nothing_saved ();
  g_assert_true (mail_test_wait_for_last_ref (manager));
}

/* The keyring calls on their own, asynchronously: store, read, clear. */
static void
test_password_async (void)
{
  g_autoptr (MailAccount) account = make_alice ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autolist (SecretItem) items = NULL;
  char *kept;

  mail_account_store_password_async (account, MAIL_ACCOUNT_OUTGOING, password, NULL,
                                     async_done_cb, &result);
  g_assert_true (mail_account_store_password_finish (account, wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  items = keyring_items (mail_account_get_id (account));
  g_assert_cmpuint (g_list_length (items), ==, 1);
  assert_keyring_item (items, mail_account_get_id (account), "smtp", mail_host, ALICE);

  kept = lookup (account, MAIL_ACCOUNT_INCOMING);
  g_assert_null (kept);
  kept = lookup (account, MAIL_ACCOUNT_OUTGOING);
  g_assert_cmpstr (kept, ==, password);
  mail_account_password_free (kept);

  mail_account_clear_passwords_async (account, NULL, async_done_cb, &result);
  g_assert_true (mail_account_clear_passwords_finish (account, wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_null (keyring_items (mail_account_get_id (account)));
  g_assert_true (mail_test_wait_for_last_ref (account));
}

/* Editing: the password follows a new user name, a new password replaces the old one, and
 * the passwords of servers no longer used leave the keyring. */
static void
test_update (void)
{
  g_autoptr (MailAccountManager) manager = mail_account_manager_new ();
  g_autoptr (MailAccount) account = make_alice ();
  g_autoptr (MailAccount) added = NULL;
  g_autoptr (MailAccount) edit = NULL;
  g_autoptr (MailAccountServer) in = NULL;
  g_autoptr (MailAccountServer) out = NULL;
  g_autoptr (GError) error = NULL;
  g_autolist (SecretItem) items = NULL;
  guint changed = 0;
  char *kept;

  g_assert_true (mail_account_manager_load_sync (manager, NULL, &error));
  added = mail_account_manager_add_sync (manager, account, password, "smtp-secret", NULL, &error);
  g_assert_no_error (error);
  g_signal_connect_swapped (manager, "account-changed", G_CALLBACK (count_cb), &changed);

  /* Only the name: the passwords stay as they are. */
  edit = mail_account_copy (added);
  mail_account_set_display_name (edit, "Alice L.");
  g_assert_true (mail_account_manager_update_sync (manager, edit, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpstr (mail_account_get_display_name (added), ==, "Alice L.");
  kept = lookup (added, MAIL_ACCOUNT_OUTGOING);
  g_assert_cmpstr (kept, ==, "smtp-secret");
  mail_account_password_free (kept);

  /* Another user name for the incoming server: its password moves with it. */
  in = mail_account_server_copy (mail_account_get_server (edit, MAIL_ACCOUNT_INCOMING));
  g_free (in->username);
  in->username = g_strdup ("alice");
  mail_account_set_server (edit, MAIL_ACCOUNT_INCOMING, in);
  g_assert_true (mail_account_manager_update_sync (manager, edit, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  kept = lookup (added, MAIL_ACCOUNT_INCOMING);
  g_assert_cmpstr (kept, ==, password);
  mail_account_password_free (kept);
  items = keyring_items (mail_account_get_id (added));
  g_assert_cmpuint (g_list_length (items), ==, 2);
  assert_keyring_item (items, mail_account_get_id (added), "imap", mail_host, "alice");
  g_clear_list (&items, g_object_unref);

  /* A new password for both; the outgoing server stops signing in: its item goes. */
  out = mail_account_server_copy (mail_account_get_server (edit, MAIL_ACCOUNT_OUTGOING));
  g_clear_pointer (&out->username, g_free);
  mail_account_set_server (edit, MAIL_ACCOUNT_OUTGOING, out);
  g_assert_true (mail_account_manager_update_sync (manager, edit, "new-secret", NULL, NULL,
                                                   &error));
  g_assert_no_error (error);
  kept = lookup (added, MAIL_ACCOUNT_INCOMING);
  g_assert_cmpstr (kept, ==, "new-secret");
  mail_account_password_free (kept);
  items = keyring_items (mail_account_get_id (added));
  g_assert_cmpuint (g_list_length (items), ==, 1);
  g_clear_list (&items, g_object_unref);
  g_assert_cmpuint (changed, ==, 3);

  /* An address another account has is refused, and nothing changes. */
  {
    g_autoptr (MailAccount) bob = make_alice ();
    g_autoptr (MailAccount) bob_added = NULL;

    mail_account_set_address (bob, "bob@example.test");
    bob_added = mail_account_manager_add_sync (manager, bob, "bob-secret", NULL, NULL, &error);
    g_assert_no_error (error);
    mail_account_set_address (edit, "BOB@example.test");
    g_assert_false (mail_account_manager_update_sync (manager, edit, NULL, NULL, NULL, &error));
    g_assert_error (error, MAIL_ACCOUNT_ERROR, MAIL_ACCOUNT_ERROR_EXISTS);
    g_clear_error (&error);
    g_assert_cmpstr (mail_account_get_address (added), ==, ALICE);
    g_assert_true (mail_account_manager_remove_sync (manager, bob_added, NULL, &error));
  }

  g_assert_true (mail_account_manager_remove_sync (manager, added, NULL, &error));
  g_assert_no_error (error);
  assert_nothing_saved ();
}

/* Cases -------------------------------------------------------------------------------- */

/* Manual settings: signed in to first, then saved; listed; the password only in the
 * keyring; a second account for the address refused; removed by address. */
static void
test_add_manual (void)
{
  g_autofree char *input = with_newline (password);
  g_auto (Run) run = { 0 };
  g_auto (Run) again = { 0 };
  JsonObject *added;
  JsonObject *incoming;

  run_tool (&run, input, FALSE, (const char *[]) {
    "account", "add", "--imap", mail_host, "--smtp", mail_host, "--address", ALICE,
    "--name", "Alice Liddell", "--ca-file", ca_file, "--password-stdin", "--json", NULL });
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (run.json);
  added = json_node_get_object (run.json);
  g_assert_cmpstr (object_string (added, "address"), ==, ALICE);
  g_assert_cmpstr (object_string (added, "name"), ==, "Alice Liddell");
  g_assert_cmpint (json_object_get_int_member (added, "sync_window_days"), ==, 30);
  g_assert_false (json_object_has_member (added, "pop3"));
  incoming = json_object_get_object_member (added, "incoming");
  g_assert_cmpstr (object_string (incoming, "protocol"), ==, "imap");
  g_assert_cmpstr (object_string (incoming, "host"), ==, mail_host);
  g_assert_cmpint (json_object_get_int_member (incoming, "port"), ==, 993);
  g_assert_cmpstr (object_string (incoming, "security"), ==, "tls");
  g_assert_cmpstr (object_string (incoming, "username"), ==, ALICE);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (added, "outgoing"),
                                               "port"), ==, 465);

  run_tool (&again, input, FALSE, (const char *[]) {
    "account", "add", "--imap", mail_host, "--smtp", mail_host, "--address", "ALICE@example.test",
    "--ca-file", ca_file, "--password-stdin", NULL });
  assert_failure (&again, 1, "exists");

  check_saved_and_remove (added, "imap", "address");
}

/* The same detection as `mail-tool detect` (the harness publishes example.test's settings
 * over HTTPS); removed by id. */
static void
test_add_from_detect (void)
{
  g_autofree char *input = with_newline (password);
  g_auto (Run) run = { 0 };
  g_auto (Run) readable = { 0 };
  JsonObject *added;

  run_tool (&run, input, FALSE, (const char *[]) {
    "account", "add", "--from-detect", ALICE, "--ca-file", ca_file, "--ispdb-url", "",
    "--password-stdin", "--json", NULL });
  g_assert_cmpint (run.status, ==, 0);
  added = json_node_get_object (run.json);
  g_assert_cmpstr (object_string (added, "address"), ==, ALICE);
  g_assert_cmpstr (object_string (json_object_get_object_member (added, "incoming"), "host"), ==,
                   mail_host);
  check_saved_and_remove (added, "imap", "id");

  /* Without --json: what was added, in words. */
  run_tool (&readable, input, FALSE, (const char *[]) {
    "account", "add", "--from-detect", ALICE, "--ca-file", ca_file, "--ispdb-url", "",
    "--name", "Alice", "--password-stdin", NULL });
  g_assert_cmpint (readable.status, ==, 0);
  g_assert_nonnull (strstr (readable.out, "Added the account " ALICE));
  g_assert_nonnull (strstr (readable.out, "IMAP mail.example.test:993"));
  remove_account (ALICE);
  assert_nothing_saved ();
}

/* POP3, with its policy. */
static void
test_add_pop3 (void)
{
  g_autofree char *input = with_newline (password);
  g_auto (Run) run = { 0 };
  JsonObject *added;
  JsonObject *pop3;

  run_tool (&run, input, FALSE, (const char *[]) {
    "account", "add", "--pop3", mail_host, "--smtp", "mail.example.test:587", "--security-out",
    "starttls", "--address", ALICE, "--pop3-delete-after", "7", "--sync-window", "90",
    "--ca-file", ca_file, "--password-stdin", "--json", NULL });
  g_assert_cmpint (run.status, ==, 0);
  added = json_node_get_object (run.json);
  pop3 = json_object_get_object_member (added, "pop3");
  g_assert_nonnull (pop3);
  g_assert_true (json_object_get_boolean_member (pop3, "leave_on_server"));
  g_assert_cmpint (json_object_get_int_member (pop3, "delete_after_days"), ==, 7);
  g_assert_cmpint (json_object_get_int_member (added, "sync_window_days"), ==, 90);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (added, "incoming"),
                                               "port"), ==, 995);
  g_assert_cmpstr (object_string (json_object_get_object_member (added, "outgoing"), "security"),
                   ==, "starttls");
  check_saved_and_remove (added, "pop3", "address");
}

/* Whatever fails before the password is stored leaves nothing behind. */
static void
test_refused (void)
{
  g_autofree char *wrong = g_strdup ("not-alices-password\n");
  g_autofree char *input = with_newline (password);
  g_auto (Run) auth = { 0 };
  g_auto (Run) plaintext = { 0 };
  g_auto (Run) consented = { 0 };
  g_auto (Run) unknown = { 0 };
  g_auto (Run) no_password = { 0 };
  g_auto (Run) nothing = { 0 };

  run_tool (&auth, wrong, FALSE, (const char *[]) {
    "account", "add", "--imap", mail_host, "--smtp", mail_host, "--address", ALICE,
    "--ca-file", ca_file, "--password-stdin", NULL });
  assert_failure (&auth, 1, "auth-failed");
  assert_nothing_saved ();

  /* No encryption: only with explicit consent, and then the check still decides (Dovecot
   * refuses plaintext logins before TLS). */
  run_tool (&plaintext, input, FALSE, (const char *[]) {
    "account", "add", "--imap", "mail.example.test:143", "--security-in", "none", "--smtp",
    mail_host, "--address", ALICE, "--ca-file", ca_file, "--password-stdin", NULL });
  g_assert_cmpint (plaintext.status, ==, 2);
  g_assert_nonnull (strstr (plaintext.err, "--allow-plaintext"));
  run_tool (&consented, input, FALSE, (const char *[]) {
    "account", "add", "--imap", "mail.example.test:143", "--security-in", "none",
    "--allow-plaintext", "--smtp", mail_host, "--address", ALICE, "--ca-file", ca_file,
    "--password-stdin", NULL });
  g_assert_cmpint (consented.status, ==, 1);
  assert_nothing_saved ();

  run_tool (&unknown, input, FALSE, (const char *[]) {
    "account", "add", "--from-detect", "bob@nowhere.example.test", "--ca-file", ca_file,
    "--ispdb-url", "", "--timeout", "5", "--password-stdin", NULL });
  assert_failure (&unknown, 1, "not-found");
  assert_nothing_saved ();

  run_tool (&no_password, NULL, FALSE, (const char *[]) {
    "account", "add", "--imap", mail_host, "--smtp", mail_host, "--address", ALICE, NULL });
  g_assert_cmpint (no_password.status, ==, 2);

  run_tool (&nothing, NULL, FALSE, (const char *[]) { "account", "remove", ALICE, NULL });
  assert_failure (&nothing, 1, "not-found");
  assert_nothing_saved ();
}

/* A broken settings file: `list` names it and lists the others. */
static void
test_broken_file (void)
{
  g_autofree char *input = with_newline (password);
  g_autofree char *dir = g_build_filename (root, "config", "org.example.Mail", "accounts", NULL);
  g_autofree char *broken = g_build_filename (dir, "broken.ini", NULL);
  g_auto (Run) add = { 0 };
  g_auto (Run) list = { 0 };

  run_tool (&add, input, FALSE, (const char *[]) {
    "account", "add", "--imap", mail_host, "--smtp", mail_host, "--address", ALICE,
    "--ca-file", ca_file, "--password-stdin", NULL });
  g_assert_cmpint (add.status, ==, 0);
  g_assert_true (g_file_set_contents (broken, "[Account\nnonsense", -1, NULL));

  run_tool (&list, NULL, FALSE, (const char *[]) { "account", "list", NULL });
  g_assert_cmpint (list.status, ==, 0);
  g_assert_nonnull (strstr (list.out, ALICE));
  g_assert_nonnull (strstr (list.err, broken));

  g_assert_cmpint (g_unlink (broken), ==, 0);
  remove_account (ALICE);
  assert_nothing_saved ();
}

/* No Secret Service at all: a clear message, exit 1, and nothing saved anywhere. */
static void
test_no_secret_service (void)
{
  g_autofree char *input = with_newline (password);
  g_auto (Run) run = { 0 };
  g_auto (Run) json = { 0 };
  JsonObject *error;

  run_tool (&run, input, TRUE, (const char *[]) {
    "account", "add", "--imap", mail_host, "--smtp", mail_host, "--address", ALICE,
    "--ca-file", ca_file, "--password-stdin", NULL });
  assert_failure (&run, 1, "keyring-unavailable");
  g_assert_nonnull (strstr (run.err, "No keyring is available"));
  assert_nothing_saved ();

  run_tool (&json, input, TRUE, (const char *[]) {
    "account", "add", "--from-detect", ALICE, "--ca-file", ca_file, "--ispdb-url", "",
    "--password-stdin", "--json", NULL });
  g_assert_cmpint (json.status, ==, 1);
  error = json_object_get_object_member (json_node_get_object (json.json), "error");
  g_assert_cmpstr (object_string (error, "category"), ==, "keyring-unavailable");
  assert_nothing_saved ();
}

/* A locked keyring that stays locked (the harness has no prompter to unlock it): a clear
 * message, nothing saved. Runs last: the keyring stays locked. */
static void
test_keyring_locked (void)
{
  g_autofree char *input = with_newline (password);
  g_autoptr (SecretService) service = NULL;
  g_autoptr (SecretCollection) collection = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (Run) run = { 0 };
  GList objects = { NULL };

  service = secret_service_get_sync (SECRET_SERVICE_OPEN_SESSION, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (collection);
  objects.data = collection;
  g_assert_cmpint (secret_service_lock_sync (service, &objects, NULL, NULL, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_true (secret_collection_get_locked (collection));

  run_tool (&run, input, FALSE, (const char *[]) {
    "account", "add", "--imap", mail_host, "--smtp", mail_host, "--address", ALICE,
    "--ca-file", ca_file, "--password-stdin", NULL });
  assert_failure (&run, 1, "keyring-locked");
  g_assert_nonnull (strstr (run.err, "The keyring is locked"));
  g_assert_cmpuint (count_files (), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *config = NULL;
  g_autofree char *data = NULL;
  g_autofree char *cache = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  mail_test_harness_load ();

  /* The tool and this test share one temporary home: config, data and cache. */
  root = g_dir_make_tmp ("mail-account-live-XXXXXX", NULL);
  g_assert_nonnull (root);
  config = g_build_filename (root, "config", NULL);
  data = g_build_filename (root, "data", NULL);
  cache = g_build_filename (root, "cache", NULL);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_setenv ("XDG_CONFIG_DIRS", root, TRUE);
  g_unsetenv ("G_MESSAGES_DEBUG");

  tool = g_test_build_filename (G_TEST_BUILT, "..", "src", "tool", "mail-tool", NULL);
  ca_file = mail_test_harness_get ("harness", "ca-file");
  password = mail_test_harness_get ("user " ALICE, "password");
  mail_host = mail_test_harness_get ("imap", "host");
  g_assert_true (g_file_test (tool, G_FILE_TEST_IS_EXECUTABLE));

  g_test_add_func ("/mail/account/live/add-manual", test_add_manual);
  g_test_add_func ("/mail/account/live/add-from-detect", test_add_from_detect);
  g_test_add_func ("/mail/account/live/add-pop3", test_add_pop3);
  g_test_add_func ("/mail/account/live/refused", test_refused);
  g_test_add_func ("/mail/account/live/broken-file", test_broken_file);
  g_test_add_func ("/mail/account/live/manager-async", test_manager_async);
  g_test_add_func ("/mail/account/live/password-async", test_password_async);
  g_test_add_func ("/mail/account/live/update", test_update);
  g_test_add_func ("/mail/account/live/no-secret-service", test_no_secret_service);
  g_test_add_func ("/mail/account/live/keyring-locked", test_keyring_locked);

  status = g_test_run ();

  delete_tree (root);
  g_free (tool);
  g_free (ca_file);
  g_free (password);
  g_free (mail_host);
  g_free (root);

  return status;
}
