/* mail-account-assistant.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The first page of the account assistant: name, address and password. Continue becomes
 * available as soon as the address is plausible and a password is there; what happens next
 * (detection, verification, summary) belongs to the pages that follow.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-account-assistant.h"
#include "mail-address.h"

struct _MailAccountAssistant
{
  AdwBin                parent_instance;

  /* Template children */
  AdwEntryRow          *name_row;
  AdwEntryRow          *address_row;
  AdwPasswordEntryRow  *password_row;
  gboolean              can_continue;
};

G_DEFINE_FINAL_TYPE (MailAccountAssistant, mail_account_assistant, ADW_TYPE_BIN)

enum {
  SIGNAL_SETUP_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
mail_account_assistant_update (MailAccountAssistant *self)
{
  const char *address = gtk_editable_get_text (GTK_EDITABLE (self->address_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  gboolean address_ok = mail_address_parse (address, NULL, NULL);

  /* Flag the address only once it has been typed in full: no red row while typing the
   * local part. */
  if (address_ok || address[0] == '\0' || strchr (address, '@') == NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self->address_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->address_row), "error");

  self->can_continue = address_ok && password[0] != '\0';
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.continue", self->can_continue);
}

static void
entry_changed_cb (MailAccountAssistant *self)
{
  mail_account_assistant_update (self);
}

static void
continue_action_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  MailAccountAssistant *self = MAIL_ACCOUNT_ASSISTANT (widget);

  if (mail_account_assistant_can_continue (self))
    g_signal_emit (self, signals[SIGNAL_SETUP_REQUESTED], 0);
}

static void
entry_activated_cb (MailAccountAssistant *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "assistant.continue", NULL);
}

static void
mail_account_assistant_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), MAIL_TYPE_ACCOUNT_ASSISTANT);

  G_OBJECT_CLASS (mail_account_assistant_parent_class)->dispose (object);
}

static void
mail_account_assistant_class_init (MailAccountAssistantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mail_account_assistant_dispose;

  /**
   * MailAccountAssistant::setup-requested:
   *
   * Emitted when the user asks to set up the account they entered.
   */
  signals[SIGNAL_SETUP_REQUESTED] =
    g_signal_new ("setup-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/Mail/ui/mail-account-assistant.ui");
  gtk_widget_class_bind_template_child (widget_class, MailAccountAssistant, name_row);
  gtk_widget_class_bind_template_child (widget_class, MailAccountAssistant, address_row);
  gtk_widget_class_bind_template_child (widget_class, MailAccountAssistant, password_row);
  gtk_widget_class_bind_template_callback (widget_class, entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);

  gtk_widget_class_install_action (widget_class, "assistant.continue", NULL, continue_action_cb);
}

static void
mail_account_assistant_init (MailAccountAssistant *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  mail_account_assistant_update (self);
}

GtkWidget *
mail_account_assistant_new (void)
{
  return g_object_new (MAIL_TYPE_ACCOUNT_ASSISTANT, NULL);
}

/**
 * mail_account_assistant_get_address:
 * @self: a #MailAccountAssistant
 *
 * Returns: (transfer none): the address as typed
 */
const char *
mail_account_assistant_get_address (MailAccountAssistant *self)
{
  g_return_val_if_fail (MAIL_IS_ACCOUNT_ASSISTANT (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->address_row));
}

/**
 * mail_account_assistant_can_continue:
 * @self: a #MailAccountAssistant
 *
 * Returns: whether the page holds enough to start looking for the account's settings
 */
gboolean
mail_account_assistant_can_continue (MailAccountAssistant *self)
{
  g_return_val_if_fail (MAIL_IS_ACCOUNT_ASSISTANT (self), FALSE);

  return self->can_continue;
}
