/* test-assistant.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The account assistant end to end, in a real window under Xvfb and inside the mail
 * harness: the real detection engine against real Dovecot and Postfix, with the
 * harness's test CA given to the app the way a user with a private CA would. Drives the
 * widgets, checks what the pages say and saves what a person would see.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <string.h>
#include <sys/stat.h>

#include "mail-account-assistant.h"
#include "mail-account-manager.h"
#include "mail-application.h"
#include "mail-assistant-manual.h"
#include "mail-assistant-summary.h"
#include "mail-test-util.h"
#include "mail-window.h"

static MailApplication *app;
static GtkWidget *window;
static MailAccountAssistant *assistant;
/* The test's own home: the config and data directories the app saves accounts in. */
static char *home;

/* Helpers ---------------------------------------------------------------------------- */

static void
wait_frames (guint frames)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  gint64 target;

  g_assert_nonnull (clock);
  target = gdk_frame_clock_get_frame_counter (clock) + frames;

  while (gdk_frame_clock_get_frame_counter (clock) < target)
    {
      gtk_widget_queue_draw (window);
      g_main_context_iteration (NULL, TRUE);
    }
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until the assistant leaves @page, or fails after @seconds. */
static gint64
wait_leave_page (const char *page,
                 guint       seconds)
{
  gint64 started = g_get_monotonic_time ();
  gint64 deadline = started + seconds * G_USEC_PER_SEC;
  guint wake = g_timeout_add (50, wake_cb, NULL);

  while (g_strcmp0 (mail_account_assistant_get_page (assistant), page) == 0 &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);

  g_assert_cmpstr (mail_account_assistant_get_page (assistant), !=, page);

  return (g_get_monotonic_time () - started) / 1000;
}

static GtkWidget *
find_widget (GtkWidget  *root,
             GType       type,
             const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type) &&
          (title == NULL ||
           (ADW_IS_PREFERENCES_ROW (child) &&
            g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)), title) == 0)))
        return child;

      found = find_widget (child, type, title);
      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Everything a person can read on screen under @root: the text of every mapped label. */
static void
collect_text (GtkWidget *root,
              GString   *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!gtk_widget_get_mapped (child))
        continue;
      if (GTK_IS_LABEL (child))
        {
          g_string_append (text, gtk_label_get_text (GTK_LABEL (child)));
          g_string_append_c (text, '\n');
        }
      collect_text (child, text);
    }
}

static char *
visible_text (void)
{
  GString *text = g_string_new (NULL);

  collect_text (GTK_WIDGET (assistant), text);

  return g_string_free (text, FALSE);
}

static void
assert_text_contains (const char *text,
                      const char *needle)
{
  if (strstr (text, needle) == NULL)
    g_error ("the page does not say “%s”; it says:\n%s", needle, text);
}

/* A mapped button whose label is @label. */
static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) && gtk_widget_get_mapped (child) &&
          g_strcmp0 (gtk_button_get_label (GTK_BUTTON (child)), label) == 0)
        return child;

      found = find_button (child, label);
      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
wait_checks (GtkWidget *manual)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  g_assert_true (mail_assistant_manual_is_checking (MAIL_ASSISTANT_MANUAL (manual)));
  while (mail_assistant_manual_is_checking (MAIL_ASSISTANT_MANUAL (manual)) &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (mail_assistant_manual_is_checking (MAIL_ASSISTANT_MANUAL (manual)));
  wait_frames (2);
}

/* "Test Settings", then wait for both servers' answers. */
static void
run_manual_check (GtkWidget *manual)
{
  g_assert_true (gtk_widget_activate_action (manual, "manual.test", NULL));
  wait_checks (manual);
}

/* The toast on screen must say @expected; it is closed, as a person would, so that the
 * next screenshots show the page under it. */
static void
dismiss_toast (const char *expected)
{
  GType toast_type = g_type_from_name ("AdwToastWidget");
  GtkWidget *toast;
  GtkWidget *close = NULL;
  g_autoptr (GString) text = g_string_new (NULL);
  gint64 deadline;

  g_assert_true (toast_type != 0);
  wait_frames (2);
  toast = find_widget (window, toast_type, NULL);
  g_assert_nonnull (toast);
  collect_text (toast, text);
  assert_text_contains (text->str, expected);

  for (GtkWidget *child = gtk_widget_get_first_child (toast); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_BUTTON (child) &&
        g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (child)), "window-close-symbolic") == 0)
      close = child;
  g_assert_nonnull (close);
  g_signal_emit_by_name (close, "clicked");

  deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  while (find_widget (window, toast_type, NULL) != NULL && g_get_monotonic_time () < deadline)
    wait_frames (1);
  g_assert_null (find_widget (window, toast_type, NULL));
}

static GdkTexture *
snapshot_widget (GtkWidget  *widget,
                 const char *name)
{
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autofree char *path = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (widget));
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GdkTexture *texture;

  wait_frames (3);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);

  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_nonnull (texture);

  path = mail_test_artifact_path ("screenshots", name);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);

  return texture;
}

static GdkTexture *
snapshot_window (const char *name)
{
  return snapshot_widget (window, name);
}

static void
save_screenshot (const char *name)
{
  g_autoptr (GdkTexture) texture = snapshot_window (name);

  g_assert_cmpint (gdk_texture_get_width (texture), ==, gtk_widget_get_width (window));
}

static void
activate (const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (assistant), action, NULL));
}

/* Back to an empty first page, as after a fresh start. */
static void
reset_to_form (const char *address,
               const char *password)
{
  GtkWidget *address_row = find_widget (GTK_WIDGET (assistant), ADW_TYPE_ENTRY_ROW,
                                        "Email Address");
  GtkWidget *password_row = find_widget (GTK_WIDGET (assistant), ADW_TYPE_PASSWORD_ENTRY_ROW,
                                         NULL);

  if (g_strcmp0 (mail_account_assistant_get_page (assistant), "form") != 0)
    activate ("assistant.back");
  if (g_strcmp0 (mail_account_assistant_get_page (assistant), "form") != 0)
    activate ("assistant.back");
  g_assert_cmpstr (mail_account_assistant_get_page (assistant), ==, "form");

  g_assert_nonnull (address_row);
  g_assert_nonnull (password_row);
  gtk_editable_set_text (GTK_EDITABLE (address_row), address);
  gtk_editable_set_text (GTK_EDITABLE (password_row), password);
  g_assert_true (mail_account_assistant_can_continue (assistant));
}

/* Enter in the password row, as a person would finish the form. */
static void
press_enter_in_password (void)
{
  GtkWidget *password_row = find_widget (GTK_WIDGET (assistant), ADW_TYPE_PASSWORD_ENTRY_ROW,
                                         NULL);

  g_signal_emit_by_name (password_row, "entry-activated");
}

static char *
alice_password (void)
{
  return mail_test_harness_get ("user alice@example.test", "password");
}

typedef struct
{
  guint                    count;
  MailProtocol             in_protocol;
  char                    *in_host;
  gboolean                 in_verified;
  char                    *out_host;
  gboolean                 out_verified;
  gboolean                 manual;
} Ready;

static void
account_ready_cb (MailAccountAssistant    *self,
                  MailAutoconfigCandidate *incoming,
                  MailAutoconfigCandidate *outgoing,
                  gboolean                 manual,
                  Ready                   *ready)
{
  ready->count++;
  ready->in_protocol = incoming->protocol;
  g_free (ready->in_host);
  ready->in_host = g_strdup (incoming->host);
  ready->in_verified = incoming->verified;
  g_free (ready->out_host);
  ready->out_host = g_strdup (outgoing->host);
  ready->out_verified = outgoing->verified;
  ready->manual = manual;
}


/* Accounts ---------------------------------------------------------------------------- */

static MailAccountManager *
accounts (void)
{
  MailAccountManager *manager = mail_application_get_account_manager (app);

  g_assert_nonnull (manager);
  while (!mail_account_manager_get_loaded (manager))
    g_main_context_iteration (NULL, TRUE);

  return manager;
}

/* Waits until the window saved (or failed to save) what the assistant confirmed. */
static void
wait_added (void)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  guint wake = g_timeout_add (50, wake_cb, NULL);

  while (mail_window_get_adding (MAIL_WINDOW (window)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  g_assert_false (mail_window_get_adding (MAIL_WINDOW (window)));
  wait_frames (2);
}

/* Removes every account, as a clean slate for the next one. */
static void
forget_accounts (void)
{
  MailAccountManager *manager = accounts ();

  while (g_list_model_get_n_items (G_LIST_MODEL (manager)) > 0)
    {
      g_autoptr (MailAccount) account = g_list_model_get_item (G_LIST_MODEL (manager), 0);
      g_autoptr (GError) error = NULL;

      g_assert_true (mail_account_manager_remove_sync (manager, account, NULL, &error));
      g_assert_no_error (error);
    }
}

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

/* Every file the app wrote under the test's home; none may hold @password. */
static guint
assert_password_in_no_file (const char *password)
{
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);

  collect_files (home, files);
  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *contents = NULL;
      gsize length;

      g_assert_true (g_file_get_contents (g_ptr_array_index (files, i), &contents, &length, NULL));
      if (g_strstr_len (contents, length, password) != NULL)
        g_error ("the password is in %s", (char *) g_ptr_array_index (files, i));
    }

  return files->len;
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

/* The account the assistant added: in the manager, in its settings file (private), its
 * password in the keyring and in no file, the app's extra CA copied into its data
 * directory. */
static MailAccount *
assert_account_saved (const char   *address,
                      MailProtocol  protocol,
                      const char   *incoming_host)
{
  g_autofree char *password = alice_password ();
  MailAccountManager *manager = accounts ();
  MailAccount *account = mail_account_manager_lookup_by_address (manager, address);
  g_autofree char *settings = NULL;
  g_autofree char *data_dir = NULL;
  g_autoptr (GError) error = NULL;
  const MailAccountServer *in;
  char *kept;
  GStatBuf st;

  g_assert_nonnull (account);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (manager)), ==, 1);
  in = mail_account_get_server (account, MAIL_ACCOUNT_INCOMING);
  g_assert_cmpint (in->protocol, ==, protocol);
  g_assert_cmpstr (in->host, ==, incoming_host);
  g_assert_cmpstr (in->username, ==, address);
  g_assert_cmpstr (mail_account_get_server (account, MAIL_ACCOUNT_OUTGOING)->host, ==,
                   "mail.example.test");

  settings = mail_account_dup_settings_path (account);
  g_assert_true (g_str_has_prefix (settings, home));
  g_assert_cmpint (g_stat (settings, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  data_dir = mail_account_dup_data_dir (account);
  g_assert_nonnull (in->ca_file);
  g_assert_true (g_str_has_prefix (in->ca_file, data_dir));
  g_assert_true (g_file_test (in->ca_file, G_FILE_TEST_IS_REGULAR));

  kept = mail_account_lookup_password_sync (account, MAIL_ACCOUNT_INCOMING, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kept, ==, password);
  mail_account_password_free (kept);
  g_assert_cmpuint (assert_password_in_no_file (password), >=, 2);

  return account;
}

/* The message dialog on screen: it must say @expected; saved as @screenshot, then closed. */
static void
close_error_dialog (const char *expected,
                    const char *screenshot)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  AdwMessageDialog *dialog = NULL;
  g_autofree char *text = NULL;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  GtkWidget *close;

  while (dialog == NULL && g_get_monotonic_time () < deadline)
    {
      for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
        {
          g_autoptr (GtkWidget) widget = g_list_model_get_item (toplevels, i);

          if (ADW_IS_MESSAGE_DIALOG (widget) && gtk_widget_get_mapped (widget))
            dialog = ADW_MESSAGE_DIALOG (widget);
        }
      if (dialog == NULL)
        g_main_context_iteration (NULL, FALSE);
    }
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));

  text = g_strdup_printf ("%s\n%s", adw_message_dialog_get_heading (dialog),
                          adw_message_dialog_get_body (dialog));
  g_test_message ("dialog:\n%s", text);
  assert_text_contains (text, "Account Not Added");
  assert_text_contains (text, expected);
  {
    g_autoptr (GdkTexture) texture = NULL;

    while (!gtk_widget_get_mapped (GTK_WIDGET (dialog)))
      g_main_context_iteration (NULL, TRUE);
    wait_frames (3);
    texture = snapshot_widget (GTK_WIDGET (dialog), screenshot);
  }

  /* Close, as a person would: the dialog goes away. */
  close = find_button (GTK_WIDGET (dialog), "_Close");
  g_assert_nonnull (close);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_signal_emit_by_name (close, "clicked");
  deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  while (dialog != NULL && gtk_widget_get_mapped (GTK_WIDGET (dialog)) &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (dialog == NULL || !gtk_widget_get_mapped (GTK_WIDGET (dialog)));
  if (dialog != NULL)
    g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
}

/* Tests ------------------------------------------------------------------------------ */

/* alice's real address and password: the engine finds the harness's published settings,
 * signs in to Dovecot and Postfix, and the summary says so in plain words. */
static void
test_summary (void)
{
  g_autofree char *password = alice_password ();
  g_autofree char *text = NULL;
  Ready ready = { 0 };
  GtkWidget *summary;
  gint64 ms;
  gulong handler;

  reset_to_form ("alice@example.test", password);
  press_enter_in_password ();
  g_assert_cmpstr (mail_account_assistant_get_page (assistant), ==, "progress");
  g_assert_true (mail_account_assistant_get_busy (assistant));

  ms = wait_leave_page ("progress", 30);
  g_test_message ("detection took %" G_GINT64_FORMAT " ms", ms);
  if (g_strcmp0 (mail_account_assistant_get_page (assistant), "summary") != 0)
    {
      g_autofree char *error_text = visible_text ();
      save_screenshot ("assistant-summary-failed.png");
      g_error ("expected the summary, got the %s page:\n%s",
               mail_account_assistant_get_page (assistant), error_text);
    }
  g_assert_false (mail_account_assistant_get_busy (assistant));

  wait_frames (2);
  text = visible_text ();
  g_test_message ("summary:\n%s", text);
  assert_text_contains (text, "IMAP at mail.example.test");
  assert_text_contains (text, "SMTP at mail.example.test");
  assert_text_contains (text, "Signed in successfully");
  assert_text_contains (text, "Encrypted (TLS), port 993");
  assert_text_contains (text, "Settings published by example.test");
  /* The harness's file offers POP3 too: the choice is explained, IMAP recommended. */
  assert_text_contains (text, "IMAP (recommended)");
  assert_text_contains (text, "POP3");
  save_screenshot ("assistant-summary.png");

  /* Everything came from example.test itself over HTTPS: no approval is needed, the
   * keyboard focus is on Add Account, and it hands over the signed-in servers. */
  summary = find_widget (GTK_WIDGET (assistant), MAIL_TYPE_ASSISTANT_SUMMARY, NULL);
  g_assert_nonnull (summary);
  g_assert_true (find_button (summary, "_Add Account") ==
                 gtk_root_get_focus (GTK_ROOT (window)));
  g_assert_false (mail_assistant_summary_get_needs_approval (MAIL_ASSISTANT_SUMMARY (summary)));
  handler = g_signal_connect (assistant, "account-ready", G_CALLBACK (account_ready_cb), &ready);
  g_assert_true (gtk_widget_activate_action (summary, "summary.confirm", NULL));
  g_signal_handler_disconnect (assistant, handler);
  g_assert_cmpuint (ready.count, ==, 1);
  g_assert_cmpint (ready.in_protocol, ==, MAIL_PROTOCOL_IMAP);
  g_assert_cmpstr (ready.in_host, ==, "mail.example.test");
  g_assert_true (ready.in_verified);
  g_assert_cmpstr (ready.out_host, ==, "mail.example.test");
  g_assert_true (ready.out_verified);
  g_assert_false (ready.manual);

  /* Add Account saved it: settings, password in the keyring, and the app says so. */
  wait_added ();
  assert_account_saved ("alice@example.test", MAIL_PROTOCOL_IMAP, "mail.example.test");
  save_screenshot ("assistant-account-added.png");
  dismiss_toast ("Account added: alice@example.test");
  g_free (ready.in_host);
  g_free (ready.out_host);
}

/* Add Account once more for the same address: a clear error, the assistant stays as it
 * was, and still one account. */
static void
test_add_twice (void)
{
  GtkWidget *summary = find_widget (GTK_WIDGET (assistant), MAIL_TYPE_ASSISTANT_SUMMARY, NULL);

  g_assert_cmpstr (mail_account_assistant_get_page (assistant), ==, "summary");
  g_assert_true (gtk_widget_activate_action (summary, "summary.confirm", NULL));
  wait_added ();
  close_error_dialog ("An account for alice@example.test already exists",
                      "assistant-account-exists.png");
  g_assert_cmpstr (mail_account_assistant_get_page (assistant), ==, "summary");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (accounts ())), ==, 1);
}

/* Manual setup, prefilled from the detection just made; Test Settings signs in to both
 * servers; "None" asks for consent before anything can be added. */
static void
test_manual (void)
{
  g_autofree char *text = NULL;
  const MailAccountServer *in;
  MailAccount *account;
  GtkWidget *manual;
  GtkWidget *host_row;
  GtkWidget *security_row;
  GtkWidget *trust_button;

  g_assert_cmpstr (mail_account_assistant_get_page (assistant), ==, "summary");
  activate ("assistant.manual");
  g_assert_cmpstr (mail_account_assistant_get_page (assistant), ==, "manual");

  manual = find_widget (GTK_WIDGET (assistant), MAIL_TYPE_ASSISTANT_MANUAL, NULL);
  g_assert_nonnull (manual);
  host_row = find_widget (manual, ADW_TYPE_ENTRY_ROW, "Server");
  g_assert_nonnull (host_row);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (host_row)), ==, "mail.example.test");
  g_assert_true (mail_assistant_manual_is_complete (MAIL_ASSISTANT_MANUAL (manual)));

  run_manual_check (manual);
  text = visible_text ();
  g_test_message ("manual:\n%s", text);
  /* One result row per server. */
  g_assert_nonnull (strstr (text, "Signed in to mail.example.test"));
  g_assert_nonnull (strstr (strstr (text, "Signed in to mail.example.test") + 1,
                            "Signed in to mail.example.test"));
  save_screenshot ("assistant-manual.png");

  /* No encryption: a warning naming the server, and no Add Account without consent. */
  security_row = find_widget (manual, ADW_TYPE_COMBO_ROW, "Security");
  g_assert_nonnull (security_row);
  adw_combo_row_set_selected (ADW_COMBO_ROW (security_row), 2);
  g_assert_false (mail_assistant_manual_is_complete (MAIL_ASSISTANT_MANUAL (manual)));
  wait_frames (2);
  g_free (text);
  text = visible_text ();
  assert_text_contains (text, "Send my password and mail unencrypted to mail.example.test");
  save_screenshot ("assistant-manual-plaintext.png");
  adw_combo_row_set_selected (ADW_COMBO_ROW (security_row), 0);
  g_assert_true (mail_assistant_manual_is_complete (MAIL_ASSISTANT_MANUAL (manual)));

  /* A self-signed server: the check fails with the fingerprint, and offers to trust
   * exactly that certificate; trusted, the same server signs in. */
  gtk_editable_set_text (GTK_EDITABLE (host_row), "selfsigned.example.test");
  run_manual_check (manual);
  g_free (text);
  text = visible_text ();
  g_test_message ("manual, self-signed:\n%s", text);
  assert_text_contains (text, "selfsigned.example.test did not work");
  assert_text_contains (text, "SHA-256 fingerprint:");
  assert_text_contains (text, "Trust This Certificate");
  trust_button = find_button (manual, "_Trust This Certificate");
  g_assert_nonnull (trust_button);
  g_signal_emit_by_name (trust_button, "clicked");
  wait_checks (manual);
  g_free (text);
  text = visible_text ();
  assert_text_contains (text, "Signed in to selfsigned.example.test");
  assert_text_contains (text, "the certificate you trusted, SHA-256");
  save_screenshot ("assistant-manual-certificate.png");

  /* Added: the certificate the user trusted is pinned, for exactly that server. */
  forget_accounts ();
  g_assert_true (gtk_widget_activate_action (manual, "manual.confirm", NULL));
  wait_added ();
  account = assert_account_saved ("alice@example.test", MAIL_PROTOCOL_IMAP,
                                  "selfsigned.example.test");
  in = mail_account_get_server (account, MAIL_ACCOUNT_INCOMING);
  g_assert_nonnull (in->pinned_fingerprint);
  assert_text_contains (text, in->pinned_fingerprint);
  g_assert_true (g_str_has_prefix (in->pinned_pem, "-----BEGIN CERTIFICATE-----"));
  g_assert_null (mail_account_get_server (account, MAIL_ACCOUNT_OUTGOING)->pinned_fingerprint);
  dismiss_toast ("Account added: alice@example.test");
}

/* A wrong password: the error page says it was the password, and at which server. */
static void
test_wrong_password (void)
{
  g_autofree char *text = NULL;
  GtkWidget *password_row;

  reset_to_form ("alice@example.test", "not-alices-password");
  activate ("assistant.continue");
  g_assert_cmpstr (mail_account_assistant_get_page (assistant), ==, "progress");
  wait_leave_page ("progress", 30);
  g_assert_cmpstr (mail_account_assistant_get_page (assistant), ==, "error");

  wait_frames (2);
  text = visible_text ();
  g_test_message ("error page:\n%s", text);
  assert_text_contains (text, "Password Not Accepted");
  assert_text_contains (text, "mail.example.test did not accept the password for "
                              "alice@example.test");
  assert_text_contains (text, "Try Again");
  assert_text_contains (text, "Set Up Manually");
  save_screenshot ("assistant-wrong-password.png");

  /* Try Again goes back to the password, to correct it. */
  activate ("assistant.retry");
  g_assert_cmpstr (mail_account_assistant_get_page (assistant), ==, "form");
  password_row = find_widget (GTK_WIDGET (assistant), ADW_TYPE_PASSWORD_ENTRY_ROW, NULL);
  wait_frames (1);
  g_assert_true (gtk_widget_has_focus (password_row) ||
                 gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), password_row));
}

/* A server whose certificate no trusted authority signed: the error page names the
 * problem and the server, and offers manual setup rather than an override. */
static void
test_certificate (void)
{
  g_autofree char *text = NULL;

  reset_to_form ("bob@selfsigned.example.test", "secret");
  activate ("assistant.continue");
  wait_leave_page ("progress", 30);
  g_assert_cmpstr (mail_account_assistant_get_page (assistant), ==, "error");

  wait_frames (2);
  text = visible_text ();
  g_test_message ("error page:\n%s", text);
  assert_text_contains (text, "Certificate Problem");
  assert_text_contains (text, "selfsigned.example.test");
  assert_text_contains (text, "self-signed");
  assert_text_contains (text, "Mail did not send your password");
  assert_text_contains (text, "Set Up Manually");
  save_screenshot ("assistant-certificate.png");
}

/* A domain with no mail servers at all: the error page says so and names the domain;
 * Try Again looks once more. */
static void
test_not_found (void)
{
  g_autofree char *text = NULL;

  reset_to_form ("dave@nowhere.example.test", "secret");
  activate ("assistant.continue");
  wait_leave_page ("progress", 30);
  g_assert_cmpstr (mail_account_assistant_get_page (assistant), ==, "error");

  wait_frames (2);
  text = visible_text ();
  g_test_message ("error page:\n%s", text);
  assert_text_contains (text, "No Settings Found");
  assert_text_contains (text, "Mail could not find the mail servers of nowhere.example.test");
  save_screenshot ("assistant-not-found.png");

  /* Nothing to correct in the form: Try Again runs the detection again. */
  activate ("assistant.retry");
  g_assert_cmpstr (mail_account_assistant_get_page (assistant), ==, "progress");
  wait_leave_page ("progress", 30);
  g_assert_cmpstr (mail_account_assistant_get_page (assistant), ==, "error");
}

/* silent.example.test has no published settings and a host that accepts connections and
 * never answers: the detection runs for long. Cancel brings the form back at once, and
 * the engine winds down quickly behind it. */
static void
test_cancel (void)
{
  g_autofree char *text = NULL;
  gint64 started;
  gint64 form_ms;
  gint64 idle_ms;

  reset_to_form ("bob@silent.example.test", "secret");
  activate ("assistant.continue");
  g_assert_cmpstr (mail_account_assistant_get_page (assistant), ==, "progress");

  /* Long enough for the engine to be busy with the silent host. */
  spin (1500);
  g_assert_cmpstr (mail_account_assistant_get_page (assistant), ==, "progress");
  g_assert_true (mail_account_assistant_get_busy (assistant));
  /* The engine's steps show up as they end. */
  text = visible_text ();
  g_test_message ("progress:\n%s", text);
  assert_text_contains (text, "Looking for Your Settings");
  assert_text_contains (text, "silent.example.test");
  g_assert_null (strstr (text, "Looking for the mail servers of silent.example.test"));
  save_screenshot ("assistant-progress.png");

  started = g_get_monotonic_time ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (assistant), "assistant.cancel", NULL));
  while (g_strcmp0 (mail_account_assistant_get_page (assistant), "form") != 0 &&
         g_get_monotonic_time () - started < G_USEC_PER_SEC)
    g_main_context_iteration (NULL, FALSE);
  form_ms = (g_get_monotonic_time () - started) / 1000;
  g_assert_cmpstr (mail_account_assistant_get_page (assistant), ==, "form");
  g_assert_cmpint (form_ms, <, 200);

  while (mail_account_assistant_get_busy (assistant) &&
         g_get_monotonic_time () - started < 5 * G_USEC_PER_SEC)
    g_main_context_iteration (NULL, TRUE);
  idle_ms = (g_get_monotonic_time () - started) / 1000;
  g_test_message ("form back after %" G_GINT64_FORMAT " ms, engine idle after %" G_GINT64_FORMAT
                  " ms", form_ms, idle_ms);
  g_assert_false (mail_account_assistant_get_busy (assistant));
  g_assert_cmpint (idle_ms, <, 1000);

  /* Nothing that the cancelled detection still reported reached the pages. */
  spin (300);
  g_assert_cmpstr (mail_account_assistant_get_page (assistant), ==, "form");
}

/* Plausible settings, as the ISPDB would give them for alice's real servers: the engine
 * did not send the password to them (verified is FALSE), so the summary must ask first and
 * the assistant signs in only after the approval. The report is made here, as the harness
 * has no such provider; its servers are the harness's real Dovecot and Postfix. */
static MailAutoconfigReport *
make_plausible_report (void)
{
  MailAutoconfigReport *report = mail_autoconfig_report_new ("alice@example.test");
  MailAutoconfigCandidate *imap = mail_autoconfig_candidate_new (MAIL_PROTOCOL_IMAP,
                                                                 "mail.example.test",
                                                                 993, MAIL_SECURITY_TLS);
  MailAutoconfigCandidate *pop3 = mail_autoconfig_candidate_new (MAIL_PROTOCOL_POP3,
                                                                 "mail.example.test",
                                                                 995, MAIL_SECURITY_TLS);
  MailAutoconfigCandidate *smtp = mail_autoconfig_candidate_new (MAIL_PROTOCOL_SMTP,
                                                                 "mail.example.test",
                                                                 465, MAIL_SECURITY_TLS);
  const char *domains[] = { "autoconfig.thunderbird.net", "example.test", NULL };

  for (guint i = 0; i < 3; i++)
    {
      MailAutoconfigCandidate *c = i == 0 ? imap : i == 1 ? pop3 : smtp;

      c->source = MAIL_AUTOCONFIG_SOURCE_ISPDB;
      c->origin = g_strdup ("https://autoconfig.thunderbird.net/v1.1/example.test");
      c->trust = MAIL_AUTOCONFIG_TRUST_PLAUSIBLE;
      g_strfreev (c->domains);
      c->domains = g_strdupv ((char **) domains);
      c->username = g_strdup ("alice@example.test");
      /* Reached and secured, but not signed in to: what the engine reports now. */
      c->probed = c->reachable = TRUE;
      c->verified = FALSE;
    }
  pop3->has_pop3_hints = TRUE;
  pop3->pop3_hints.leave_messages_on_server = TRUE;
  pop3->pop3_hints.days_to_leave_messages_on_server = 30;
  g_ptr_array_add (report->incoming, imap);
  g_ptr_array_add (report->incoming, pop3);
  g_ptr_array_add (report->outgoing, smtp);
  g_ptr_array_add (report->instructions,
                   g_strdup ("Turn on IMAP access in the web settings first: "
                             "https://help.example.test/imap"));

  g_assert_true (mail_autoconfig_report_is_usable (report));
  g_assert_true (mail_autoconfig_report_needs_approval (report));

  return report;
}

/* The summary of settings that need approval, before it is given: the domains and why,
 * no claim of a sign-in, and no way to add the account. */
static GtkWidget *
show_plausible_report (const char *password)
{
  g_autoptr (MailAutoconfigReport) report = make_plausible_report ();
  g_autofree char *text = NULL;
  GtkWidget *summary;

  reset_to_form ("alice@example.test", password);
  mail_account_assistant_show_report (assistant, report);
  g_assert_cmpstr (mail_account_assistant_get_page (assistant), ==, "summary");
  summary = find_widget (GTK_WIDGET (assistant), MAIL_TYPE_ASSISTANT_SUMMARY, NULL);
  g_assert_nonnull (summary);

  g_assert_true (mail_assistant_summary_get_needs_approval (MAIL_ASSISTANT_SUMMARY (summary)));
  g_assert_false (mail_assistant_summary_get_can_confirm (MAIL_ASSISTANT_SUMMARY (summary)));

  wait_frames (2);
  text = visible_text ();
  g_test_message ("summary needing approval:\n%s", text);
  assert_text_contains (text, "Check These Settings");
  assert_text_contains (text, "your password has not been sent to mail.example.test");
  assert_text_contains (text, "From the Thunderbird provider database");
  assert_text_contains (text, "It was not confirmed by example.test itself");
  assert_text_contains (text, "I trust autoconfig.thunderbird.net, example.test");
  assert_text_contains (text, "Turn on IMAP access in the web settings first");
  assert_text_contains (text, "not signed in yet");
  /* Nothing on the page may claim a sign-in that did not happen. */
  g_assert_null (strstr (text, "Signed in successfully"));
  g_assert_null (strstr (text, "Your Account Works"));
  g_assert_null (strstr (text, "signed in to both"));
  g_assert_nonnull (find_button (summary, "_Sign In and Add Account"));

  return summary;
}

/* Settings from outside the address's domain: the summary names the domains and why,
 * and nothing is added, or signed in to, until the user approves. Then the assistant
 * signs in to the chosen servers (POP3 here, chosen after a first approval, so asked
 * again) and adds the account. */
static void
test_approval (void)
{
  g_autofree char *password = alice_password ();
  g_autofree char *text = NULL;
  MailAccount *account;
  GtkWidget *summary;
  Ready ready = { 0 };
  gulong handler;
  gint64 ms;

  forget_accounts ();
  summary = show_plausible_report (password);

  /* Choose POP3: its file hints are the defaults, and the approval is asked again. */
  mail_assistant_summary_set_approved (MAIL_ASSISTANT_SUMMARY (summary), TRUE);
  mail_assistant_summary_set_use_pop3 (MAIL_ASSISTANT_SUMMARY (summary), TRUE);
  g_assert_false (mail_assistant_summary_get_can_confirm (MAIL_ASSISTANT_SUMMARY (summary)));
  wait_frames (2);
  text = visible_text ();
  assert_text_contains (text, "Leave a copy on the server");
  assert_text_contains (text, "POP3 at mail.example.test");
  assert_text_contains (text, "Check These Settings");
  g_assert_null (strstr (text, "Signed in successfully"));
  save_screenshot ("assistant-approval.png");

  /* The button is inert until approved. */
  handler = g_signal_connect (assistant, "account-ready", G_CALLBACK (account_ready_cb), &ready);
  gtk_widget_activate_action (summary, "summary.confirm", NULL);
  g_assert_cmpuint (ready.count, ==, 0);
  g_assert_cmpstr (mail_account_assistant_get_page (assistant), ==, "summary");

  /* Approved: only now is the password sent, to both chosen servers at once. */
  mail_assistant_summary_set_approved (MAIL_ASSISTANT_SUMMARY (summary), TRUE);
  g_assert_true (mail_assistant_summary_get_can_confirm (MAIL_ASSISTANT_SUMMARY (summary)));
  g_assert_true (gtk_widget_activate_action (summary, "summary.confirm", NULL));
  g_assert_cmpuint (ready.count, ==, 0);
  g_assert_cmpstr (mail_account_assistant_get_page (assistant), ==, "progress");
  g_assert_true (mail_account_assistant_get_busy (assistant));
  g_free (text);
  text = visible_text ();
  assert_text_contains (text, "Signing In");
  assert_text_contains (text, "Signing in to mail.example.test");

  ms = wait_leave_page ("progress", 60);
  g_test_message ("sign-in after approval took %" G_GINT64_FORMAT " ms", ms);
  g_signal_handler_disconnect (assistant, handler);
  if (g_strcmp0 (mail_account_assistant_get_page (assistant), "summary") != 0)
    {
      g_autofree char *error_text = visible_text ();
      save_screenshot ("assistant-approval-failed.png");
      g_error ("expected the summary, got the %s page:\n%s",
               mail_account_assistant_get_page (assistant), error_text);
    }
  g_assert_false (mail_account_assistant_get_busy (assistant));
  g_assert_cmpuint (ready.count, ==, 1);
  g_assert_cmpint (ready.in_protocol, ==, MAIL_PROTOCOL_POP3);
  g_assert_cmpstr (ready.in_host, ==, "mail.example.test");
  g_assert_true (ready.in_verified);
  g_assert_cmpstr (ready.out_host, ==, "mail.example.test");
  g_assert_true (ready.out_verified);
  g_assert_false (ready.manual);

  /* Saved as POP3, with the policy the summary offered (the file's hints). */
  wait_added ();
  account = assert_account_saved ("alice@example.test", MAIL_PROTOCOL_POP3, "mail.example.test");
  g_assert_true (mail_account_get_pop3_leave_on_server (account));
  g_assert_cmpuint (mail_account_get_pop3_delete_after_days (account), ==, 30);
  dismiss_toast ("Account added: alice@example.test");
  g_free (text);
  text = visible_text ();
  g_test_message ("summary after signing in:\n%s", text);
  assert_text_contains (text, "Your Account Works");
  assert_text_contains (text, "with the settings you approved");
  assert_text_contains (text, "You Approved These Settings");
  assert_text_contains (text, "POP3 at mail.example.test");
  assert_text_contains (text, "Encrypted (TLS), port 995 · Signed in successfully");
  assert_text_contains (text, "Encrypted (TLS), port 465 · Signed in successfully");
  save_screenshot ("assistant-approval-signed-in.png");
  g_free (ready.in_host);
  g_free (ready.out_host);
}

/* The same approved settings with a wrong password: the sign-in after approval fails,
 * and the error page says it was the password, and at which server. Try Again goes to
 * the password. */
static void
test_approval_wrong_password (void)
{
  g_autofree char *text = NULL;
  GtkWidget *summary;
  Ready ready = { 0 };
  gulong handler;

  summary = show_plausible_report ("not-alices-password");
  mail_assistant_summary_set_approved (MAIL_ASSISTANT_SUMMARY (summary), TRUE);

  handler = g_signal_connect (assistant, "account-ready", G_CALLBACK (account_ready_cb), &ready);
  g_assert_true (gtk_widget_activate_action (summary, "summary.confirm", NULL));
  g_assert_cmpstr (mail_account_assistant_get_page (assistant), ==, "progress");
  wait_leave_page ("progress", 60);
  g_signal_handler_disconnect (assistant, handler);
  g_assert_cmpuint (ready.count, ==, 0);
  g_assert_cmpstr (mail_account_assistant_get_page (assistant), ==, "error");
  g_assert_false (mail_account_assistant_get_busy (assistant));

  wait_frames (2);
  text = visible_text ();
  g_test_message ("error page after approval:\n%s", text);
  assert_text_contains (text, "Password Not Accepted");
  assert_text_contains (text, "mail.example.test did not accept the password for "
                              "alice@example.test");
  save_screenshot ("assistant-approval-wrong-password.png");

  /* Back shows the approved settings again, now saying which server refused. */
  activate ("assistant.back");
  g_assert_cmpstr (mail_account_assistant_get_page (assistant), ==, "summary");
  wait_frames (2);
  g_free (text);
  text = visible_text ();
  assert_text_contains (text, "The password was not accepted");
  g_assert_null (strstr (text, "Your Account Works"));

  /* Still approved: signing in again fails the same way; Try Again goes to the password. */
  g_assert_true (gtk_widget_activate_action (summary, "summary.confirm", NULL));
  wait_leave_page ("progress", 60);
  g_assert_cmpstr (mail_account_assistant_get_page (assistant), ==, "error");
  activate ("assistant.retry");
  g_assert_cmpstr (mail_account_assistant_get_page (assistant), ==, "form");
}

/* Cancel during the sign-in after approval returns to the settings at once. */
static void
test_approval_cancel (void)
{
  g_autofree char *password = alice_password ();
  GtkWidget *summary;
  gint64 deadline;

  summary = show_plausible_report (password);
  mail_assistant_summary_set_approved (MAIL_ASSISTANT_SUMMARY (summary), TRUE);
  g_assert_true (gtk_widget_activate_action (summary, "summary.confirm", NULL));
  g_assert_cmpstr (mail_account_assistant_get_page (assistant), ==, "progress");
  g_assert_true (mail_account_assistant_get_busy (assistant));
  activate ("assistant.cancel");
  g_assert_cmpstr (mail_account_assistant_get_page (assistant), ==, "summary");

  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (mail_account_assistant_get_busy (assistant) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (mail_account_assistant_get_busy (assistant));
  /* What the cancelled sign-in still reported reached nothing. */
  spin (300);
  g_assert_cmpstr (mail_account_assistant_get_page (assistant), ==, "summary");
}

/* A locked keyring that stays locked (the harness has no prompter): Add Account says so,
 * nothing is saved, and the assistant keeps everything to try again. Runs last: the
 * keyring stays locked. */
static void
test_keyring_locked (void)
{
  g_autofree char *password = alice_password ();
  g_autoptr (MailAutoconfigReport) report = make_plausible_report ();
  g_autoptr (SecretService) service = NULL;
  g_autoptr (SecretCollection) collection = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  GList objects = { NULL };
  GtkWidget *summary;

  forget_accounts ();
  /* Settings the engine signed in to: Add Account hands them over at once. */
  for (guint i = 0; i < report->incoming->len + report->outgoing->len; i++)
    {
      MailAutoconfigCandidate *c = i < report->incoming->len
        ? g_ptr_array_index (report->incoming, i)
        : g_ptr_array_index (report->outgoing, i - report->incoming->len);

      c->source = MAIL_AUTOCONFIG_SOURCE_HTTPS;
      c->trust = MAIL_AUTOCONFIG_TRUST_VERIFIED;
      c->verified = TRUE;
    }
  reset_to_form ("alice@example.test", password);
  mail_account_assistant_show_report (assistant, report);
  summary = find_widget (GTK_WIDGET (assistant), MAIL_TYPE_ASSISTANT_SUMMARY, NULL);
  g_assert_true (mail_assistant_summary_get_can_confirm (MAIL_ASSISTANT_SUMMARY (summary)));

  service = secret_service_get_sync (SECRET_SERVICE_OPEN_SESSION, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  objects.data = collection;
  g_assert_cmpint (secret_service_lock_sync (service, &objects, NULL, NULL, &error), ==, 1);

  g_assert_true (gtk_widget_activate_action (summary, "summary.confirm", NULL));
  wait_added ();
  close_error_dialog ("The keyring is locked", "assistant-keyring-locked.png");

  g_assert_cmpstr (mail_account_assistant_get_page (assistant), ==, "summary");
  g_assert_cmpstr (mail_account_assistant_get_password (assistant), ==, password);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (accounts ())), ==, 0);
  collect_files (home, files);
  g_assert_cmpuint (files->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GSettings) settings = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *ca_file = NULL;
  g_autofree char *config = NULL;
  g_autofree char *data = NULL;
  int status;

  /* Accounts are saved under a home of the test's own, never the user's. Set before
   * anything asks GLib for these directories. */
  home = g_dir_make_tmp ("mail-ui-assistant-XXXXXX", NULL);
  g_assert_nonnull (home);
  config = g_build_filename (home, "config", NULL);
  data = g_build_filename (home, "data", NULL);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("XDG_DATA_HOME", data, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  mail_test_harness_load ();

  /* Screenshots show the settled state, not a frame of a transition. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  /* The app trusts the test CA as a user's extra CA, and asks no public database. */
  ca_file = mail_test_harness_get ("harness", "ca-file");
  settings = g_settings_new (APP_ID);
  g_settings_set_string (settings, "extra-ca-file", ca_file);
  g_settings_set_string (settings, "ispdb-url", "");
  g_settings_set_uint (settings, "autodetect-timeout", 15);

  app = mail_application_new ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));

  window = GTK_WIDGET (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_true (MAIL_IS_WINDOW (window));
  gtk_window_set_default_size (GTK_WINDOW (window), 960, 760);
  while (!gtk_widget_get_mapped (window))
    g_main_context_iteration (NULL, TRUE);
  wait_frames (3);
  assistant = MAIL_ACCOUNT_ASSISTANT (mail_window_get_assistant (MAIL_WINDOW (window)));

  g_test_add_func ("/mail/ui/assistant/summary", test_summary);
  g_test_add_func ("/mail/ui/assistant/add-twice", test_add_twice);
  g_test_add_func ("/mail/ui/assistant/manual", test_manual);
  g_test_add_func ("/mail/ui/assistant/wrong-password", test_wrong_password);
  g_test_add_func ("/mail/ui/assistant/certificate", test_certificate);
  g_test_add_func ("/mail/ui/assistant/not-found", test_not_found);
  g_test_add_func ("/mail/ui/assistant/cancel", test_cancel);
  g_test_add_func ("/mail/ui/assistant/approval", test_approval);
  g_test_add_func ("/mail/ui/assistant/approval-wrong-password", test_approval_wrong_password);
  g_test_add_func ("/mail/ui/assistant/approval-cancel", test_approval_cancel);
  g_test_add_func ("/mail/ui/assistant/keyring-locked", test_keyring_locked);

  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&app);
  delete_tree (home);
  g_clear_pointer (&home, g_free);

  return status;
}
