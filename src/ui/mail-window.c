/* mail-window.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "mail-account-assistant.h"
#include "mail-account-manager.h"
#include "mail-tls-database.h"
#include "mail-window.h"

struct _MailWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;

  /* Template children */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  MailAccountAssistant *assistant;

  gboolean              adding;
};

G_DEFINE_FINAL_TYPE (MailWindow, mail_window, ADW_TYPE_APPLICATION_WINDOW)

/* Adding the account the assistant confirmed -------------------------------------------- */

/* A server the assistant confirmed, as the account keeps it. @manual: the user typed it,
 * and a certificate it carries is one the user chose to trust for exactly that server. */
static MailAccountServer *
server_from_candidate (const MailAutoconfigCandidate *candidate,
                       gboolean                       manual,
                       const char                    *ca_file)
{
  MailAccountServer *server = mail_account_server_new (candidate->protocol, candidate->host,
                                                       candidate->port, candidate->security);

  if (candidate->username != NULL && candidate->username[0] != '\0')
    server->username = g_strdup (candidate->username);
  /* The assistant only confirms an unencrypted server after the user accepted exactly
   * that (the manual page's consent, or the approval naming the missing encryption). */
  server->allow_plaintext_password = candidate->security == MAIL_SECURITY_NONE;
  if (manual && candidate->certificate != NULL)
    {
      server->pinned_fingerprint =
        g_strdup (mail_certificate_info_get_fingerprint (candidate->certificate));
      server->pinned_pem = g_strdup (mail_certificate_info_get_pem (candidate->certificate));
    }
  /* The extra CA the app trusts (--ca-file or the setting) was part of the proof: the
   * account keeps its own copy. */
  server->ca_file = g_strdup (ca_file);

  return server;
}

static MailAccount *
account_from_assistant (MailWindow                    *self,
                        const MailAutoconfigCandidate *incoming,
                        const MailAutoconfigCandidate *outgoing,
                        gboolean                       manual)
{
  MailApplication *app = MAIL_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  GTlsDatabase *database = mail_application_get_tls_database (app);
  const char *ca_file = MAIL_IS_TLS_DATABASE (database)
                        ? mail_tls_database_get_ca_file (MAIL_TLS_DATABASE (database)) : NULL;
  g_autoptr (MailAccount) account = NULL;
  g_autoptr (MailAccountServer) in = server_from_candidate (incoming, manual, ca_file);
  g_autoptr (MailAccountServer) out = server_from_candidate (outgoing, manual, ca_file);

  account = mail_account_new (mail_account_assistant_get_address (self->assistant));
  mail_account_set_display_name (account,
                                 mail_account_assistant_get_display_name (self->assistant));
  mail_account_set_server (account, MAIL_ACCOUNT_INCOMING, in);
  mail_account_set_server (account, MAIL_ACCOUNT_OUTGOING, out);

  /* For POP3 the summary's choices: keep a copy on the server, deleted after N days. */
  if (incoming->protocol == MAIL_PROTOCOL_POP3 && incoming->has_pop3_hints)
    {
      const MailAutoconfigPop3Hints *hints = &incoming->pop3_hints;

      mail_account_set_pop3_leave_on_server (account, hints->leave_messages_on_server);
      mail_account_set_pop3_delete_after_days (account, hints->days_to_leave_messages_on_server);
    }

  return g_steal_pointer (&account);
}

static void
show_add_error (MailWindow   *self,
                const GError *error)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Account Not Added"),
                                                       error->message));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  adw_message_dialog_set_default_response (dialog, "close");
  adw_message_dialog_set_close_response (dialog, "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
account_added_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr (MailWindow) self = user_data;
  g_autoptr (MailAccount) account = NULL;
  g_autoptr (GError) error = NULL;
  AdwToast *toast;

  account = mail_account_manager_add_finish (MAIL_ACCOUNT_MANAGER (object), result, &error);
  self->adding = FALSE;

  /* Nothing was saved: the assistant stays as it is, with the password, to try again. */
  if (account == NULL)
    {
      g_message ("Could not add the account: %s", error->message);
      show_add_error (self, error);
      return;
    }

  /* The manager's account-added signal is where the sync engine starts the first sync. */
  toast = adw_toast_new_format (_("Account added: %s"), mail_account_get_address (account));
  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
assistant_account_ready_cb (MailWindow              *self,
                            MailAutoconfigCandidate *incoming,
                            MailAutoconfigCandidate *outgoing,
                            gboolean                 manual,
                            MailAccountAssistant    *assistant)
{
  MailApplication *app = MAIL_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autoptr (MailAccount) account = NULL;

  if (self->adding || app == NULL)
    return;

  account = account_from_assistant (self, incoming, outgoing, manual);
  /* A second Add Account while this one is saved is ignored; the form may change, as
   * the account was copied. */
  self->adding = TRUE;
  /* The password of the form goes to the keyring and nowhere else. */
  mail_account_manager_add_async (mail_application_get_account_manager (app), account,
                                  mail_account_assistant_get_password (self->assistant), NULL,
                                  NULL, account_added_cb, g_object_ref (self));
}

static void
mail_window_dispose (GObject *object)
{
  MailWindow *self = MAIL_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), MAIL_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (mail_window_parent_class)->dispose (object);
}

static void
mail_window_class_init (MailWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mail_window_dispose;

  g_type_ensure (MAIL_TYPE_ACCOUNT_ASSISTANT);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/Mail/ui/mail-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MailWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, MailWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, MailWindow, assistant);
  gtk_widget_class_bind_template_callback (widget_class, assistant_account_ready_cb);
}

static void
mail_window_init (MailWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized",
                   G_SETTINGS_BIND_DEFAULT);
}

MailWindow *
mail_window_new (MailApplication *application)
{
  return g_object_new (MAIL_TYPE_WINDOW, "application", application, NULL);
}

/**
 * mail_window_get_assistant:
 * @self: a #MailWindow
 *
 * Returns: (transfer none): the account assistant page
 */
GtkWidget *
mail_window_get_assistant (MailWindow *self)
{
  g_return_val_if_fail (MAIL_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->assistant);
}

/**
 * mail_window_get_adding:
 * @self: a #MailWindow
 *
 * Returns: whether an account the assistant confirmed is being saved
 */
gboolean
mail_window_get_adding (MailWindow *self)
{
  g_return_val_if_fail (MAIL_IS_WINDOW (self), FALSE);

  return self->adding;
}
