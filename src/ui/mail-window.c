/* mail-window.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "mail-account-assistant.h"
#include "mail-window.h"

struct _MailWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;

  /* Template children */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  MailAccountAssistant *assistant;
};

G_DEFINE_FINAL_TYPE (MailWindow, mail_window, ADW_TYPE_APPLICATION_WINDOW)

static void
assistant_account_ready_cb (MailWindow           *self,
                            gpointer              incoming,
                            gpointer              outgoing,
                            gboolean              manual,
                            MailAccountAssistant *assistant)
{
  AdwToast *toast;

  /* Keeping accounts is not part of this version yet: confirm what was checked, and say
   * plainly that nothing was saved. */
  toast = adw_toast_new (_("Account settings confirmed. Saving accounts is not available in "
                           "this version yet."));
  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
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
