/* mail-assistant-summary.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The page that shows what automatic setup found, in plain language: which servers, how
 * they are secured, where the settings came from and whether the password worked. When a
 * provider offers POP3 next to IMAP it explains the choice; when a setting is not proven to
 * come from the address's own domain, or a connection would not be encrypted, it asks for
 * an explicit approval that names the domains involved.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-assistant-summary.h"
#include "mail-assistant-text.h"

struct _MailAssistantSummary
{
  AdwBin                   parent_instance;

  MailAutoconfigCandidate *imap;
  MailAutoconfigCandidate *pop3;
  MailAutoconfigCandidate *outgoing;
  char                    *address;
  char                    *domain;
  gboolean                 needs_approval;

  /* Template children */
  GtkLabel                *title_label;
  GtkLabel                *subtitle_label;
  AdwActionRow            *incoming_row;
  GtkImage                *incoming_icon;
  AdwActionRow            *outgoing_row;
  GtkImage                *outgoing_icon;
  AdwPreferencesGroup     *pop3_group;
  AdwActionRow            *imap_choice_row;
  AdwActionRow            *pop3_choice_row;
  GtkCheckButton          *imap_check;
  GtkCheckButton          *pop3_check;
  AdwActionRow            *leave_row;
  GtkSwitch               *leave_switch;
  AdwActionRow            *days_row;
  GtkSpinButton           *days_spin;
  AdwActionRow            *incoming_source_row;
  AdwActionRow            *outgoing_source_row;
  AdwPreferencesGroup     *instructions_group;
  GtkLabel                *instructions_label;
  GtkWidget               *approval_box;
  GtkLabel                *approval_heading;
  GtkLabel                *approval_label;
  GtkCheckButton          *approval_check;
  GtkWidget               *confirm_button;
};

G_DEFINE_FINAL_TYPE (MailAssistantSummary, mail_assistant_summary, ADW_TYPE_BIN)

enum {
  SIGNAL_CONFIRMED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const MailAutoconfigCandidate *
chosen_incoming (MailAssistantSummary *self)
{
  if (self->imap != NULL && self->pop3 != NULL)
    return gtk_check_button_get_active (self->pop3_check) ? self->pop3 : self->imap;

  return self->imap != NULL ? self->imap : self->pop3;
}

static gboolean
candidate_needs_approval (const MailAutoconfigCandidate *candidate)
{
  return candidate != NULL && mail_autoconfig_candidate_needs_approval (candidate);
}

static void
add_domains (GPtrArray                     *domains,
             const MailAutoconfigCandidate *candidate)
{
  gboolean any = FALSE;

  for (guint i = 0; candidate->domains != NULL && candidate->domains[i] != NULL; i++)
    {
      g_autofree char *domain = mail_assistant_host_for_display (candidate->domains[i]);

      any = TRUE;
      if (!g_ptr_array_find_with_equal_func (domains, domain, g_str_equal, NULL))
        g_ptr_array_add (domains, g_steal_pointer (&domain));
    }

  if (!any)
    {
      g_autofree char *host = mail_assistant_host_for_display (candidate->host);

      if (!g_ptr_array_find_with_equal_func (domains, host, g_str_equal, NULL))
        g_ptr_array_add (domains, g_steal_pointer (&host));
    }
}

static void
append_approval_reason (GString                       *text,
                        const char                    *side,
                        const MailAutoconfigCandidate *candidate,
                        const char                    *domain)
{
  g_autofree char *server = mail_assistant_describe_server (candidate);
  g_autofree char *source = mail_assistant_describe_source (candidate, domain);

  if (text->len > 0)
    g_string_append (text, "\n\n");

  /* Translators: "Incoming, IMAP at mail.example.net: From the Thunderbird provider
   * database." */
  g_string_append_printf (text, _("%s, %s: %s."), side, server, source);

  switch (candidate->trust)
    {
    case MAIL_AUTOCONFIG_TRUST_PLAUSIBLE:
      g_string_append_c (text, ' ');
      g_string_append_printf (text, _("It was not confirmed by %s itself."), domain);
      break;
    case MAIL_AUTOCONFIG_TRUST_INSECURE:
      g_string_append_c (text, ' ');
      g_string_append_printf (text,
                              _("It was found over an unencrypted connection or through DNS "
                                "records that point outside %s, which someone on your network "
                                "could have changed."), domain);
      break;
    case MAIL_AUTOCONFIG_TRUST_VERIFIED:
    default:
      break;
    }

  if (candidate->security == MAIL_SECURITY_NONE)
    {
      g_string_append_c (text, ' ');
      g_string_append (text, _("This server does not encrypt the connection: your password and "
                               "your mail could be read on the way."));
    }
}

static void
update_approval (MailAssistantSummary *self)
{
  const MailAutoconfigCandidate *incoming = chosen_incoming (self);
  g_autoptr (GPtrArray) domains = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) text = g_string_new (NULL);
  g_autofree char *joined = NULL;
  g_autofree char *label = NULL;

  if (candidate_needs_approval (incoming))
    {
      append_approval_reason (text, _("Incoming"), incoming, self->domain);
      add_domains (domains, incoming);
    }
  if (candidate_needs_approval (self->outgoing))
    {
      append_approval_reason (text, _("Outgoing"), self->outgoing, self->domain);
      add_domains (domains, self->outgoing);
    }

  self->needs_approval = domains->len > 0;
  gtk_widget_set_visible (self->approval_box, self->needs_approval);
  gtk_check_button_set_active (self->approval_check, FALSE);
  if (!self->needs_approval)
    return;

  g_ptr_array_add (domains, NULL);
  joined = g_strjoinv (", ", (char **) domains->pdata);
  gtk_label_set_text (self->approval_label, text->str);
  /* Translators: the check button that approves settings; %s lists domains. */
  label = g_strdup_printf (_("I trust %s with my password and my mail"), joined);
  gtk_check_button_set_label (self->approval_check, label);
}

static gboolean
chosen_verified (MailAssistantSummary *self)
{
  const MailAutoconfigCandidate *incoming = chosen_incoming (self);

  return incoming != NULL && incoming->verified && self->outgoing != NULL &&
         self->outgoing->verified;
}

static void
add_unverified_host (GPtrArray                     *hosts,
                     const MailAutoconfigCandidate *candidate)
{
  g_autofree char *host = NULL;

  if (candidate == NULL || candidate->verified)
    return;

  host = mail_assistant_host_for_display (candidate->host);
  if (!g_ptr_array_find_with_equal_func (hosts, host, g_str_equal, NULL))
    g_ptr_array_add (hosts, g_steal_pointer (&host));
}

/* The headline never claims more than happened: "works" only once both chosen servers
 * accepted the password. Settings the user has to approve were not signed in to at all,
 * so the page says the password has not been sent yet. */
static void
update_title (MailAssistantSummary *self)
{
  g_autoptr (GPtrArray) hosts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *subtitle = NULL;
  g_autofree char *joined = NULL;

  if (chosen_verified (self))
    {
      gtk_label_set_text (self->title_label, _("Your Account Works"));
      if (self->needs_approval)
        subtitle = g_strdup_printf (_("Mail signed in to both servers of %s with the settings "
                                      "you approved."), self->address);
      else
        subtitle = g_strdup_printf (_("Mail signed in to both servers of %s. Check the settings "
                                      "and add the account."), self->address);
      gtk_label_set_text (self->subtitle_label, subtitle);
      gtk_label_set_text (self->approval_heading, _("You Approved These Settings"));
      gtk_button_set_label (GTK_BUTTON (self->confirm_button), _("_Add Account"));
      return;
    }

  gtk_label_set_text (self->approval_heading, _("Check Before You Continue"));

  add_unverified_host (hosts, chosen_incoming (self));
  add_unverified_host (hosts, self->outgoing);
  g_ptr_array_add (hosts, NULL);
  joined = g_strjoinv (", ", (char **) hosts->pdata);

  if (self->needs_approval)
    {
      const MailAutoconfigCandidate *incoming = chosen_incoming (self);
      gboolean untrusted = (incoming != NULL &&
                            incoming->trust != MAIL_AUTOCONFIG_TRUST_VERIFIED) ||
                           (self->outgoing != NULL &&
                            self->outgoing->trust != MAIL_AUTOCONFIG_TRUST_VERIFIED);

      gtk_label_set_text (self->title_label, _("Check These Settings"));
      if (untrusted)
        /* Translators: the first %s lists servers, the second is the address's domain. */
        subtitle = g_strdup_printf (_("Mail has not signed in yet: your password has not been "
                                      "sent to %s. These settings were not published by %s "
                                      "itself. If you approve them, Mail signs in to both "
                                      "servers and then adds the account."),
                                    joined, self->domain);
      else
        /* Translators: %s lists servers. */
        subtitle = g_strdup_printf (_("Mail has not signed in yet: your password has not been "
                                      "sent to %s. If you approve these settings, Mail signs "
                                      "in to both servers and then adds the account."),
                                    joined);
    }
  else
    {
      gtk_label_set_text (self->title_label, _("Settings Found"));
      subtitle = g_strdup_printf (_("These are the settings found for %s. Mail has not signed "
                                    "in to %s yet; it does so before adding the account."),
                                  self->address, joined);
    }
  gtk_label_set_text (self->subtitle_label, subtitle);
  gtk_button_set_label (GTK_BUTTON (self->confirm_button), _("_Sign In and Add Account"));
}

static void
update_actions (MailAssistantSummary *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "summary.confirm",
                                 mail_assistant_summary_get_can_confirm (self));
}

static void
set_server_row (AdwActionRow                  *row,
                GtkImage                      *icon,
                const MailAutoconfigCandidate *candidate)
{
  g_autofree char *title = mail_assistant_describe_server (candidate);
  g_autofree char *details = mail_assistant_describe_details (candidate);
  GtkWidget *icon_widget = GTK_WIDGET (icon);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (row, details);

  gtk_widget_remove_css_class (icon_widget, "success");
  gtk_widget_remove_css_class (icon_widget, "warning");
  if (candidate->verified)
    {
      gtk_image_set_from_icon_name (icon, "emblem-ok-symbolic");
      gtk_widget_add_css_class (icon_widget, "success");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Signed in"), -1);
    }
  else
    {
      gtk_image_set_from_icon_name (icon, "dialog-warning-symbolic");
      gtk_widget_add_css_class (icon_widget, "warning");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Not signed in"), -1);
    }
}

static void
set_source_row (MailAssistantSummary          *self,
                AdwActionRow                  *row,
                const MailAutoconfigCandidate *candidate)
{
  g_autofree char *source = mail_assistant_describe_source (candidate, self->domain);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), source);
  adw_action_row_set_subtitle (row, candidate->origin != NULL ? candidate->origin : "");
}

static gboolean
same_source (const MailAutoconfigCandidate *a,
             const MailAutoconfigCandidate *b)
{
  return a->source == b->source && g_strcmp0 (a->origin, b->origin) == 0;
}

static void
update_incoming (MailAssistantSummary *self)
{
  const MailAutoconfigCandidate *incoming = chosen_incoming (self);
  gboolean pop3 = incoming != NULL && incoming->protocol == MAIL_PROTOCOL_POP3;

  if (incoming == NULL)
    return;

  set_server_row (self->incoming_row, self->incoming_icon, incoming);
  set_source_row (self, self->incoming_source_row, incoming);

  gtk_widget_set_visible (GTK_WIDGET (self->leave_row), pop3);
  gtk_widget_set_visible (GTK_WIDGET (self->days_row), pop3);

  if (self->outgoing != NULL)
    {
      gboolean same = same_source (incoming, self->outgoing);

      /* One row when both servers came from the same place, one per server otherwise. */
      gtk_widget_set_visible (GTK_WIDGET (self->outgoing_source_row), !same);
      if (!same)
        {
          g_autofree char *in = g_strdup_printf (_("Incoming server · %s"),
                                                 incoming->origin != NULL ? incoming->origin : "");
          g_autofree char *out = g_strdup_printf (_("Outgoing server · %s"),
                                                  self->outgoing->origin != NULL
                                                    ? self->outgoing->origin : "");

          adw_action_row_set_subtitle (self->incoming_source_row, in);
          adw_action_row_set_subtitle (self->outgoing_source_row, out);
        }
    }

  update_approval (self);
  update_title (self);
  update_actions (self);
}

static void
choice_toggled_cb (MailAssistantSummary *self)
{
  update_incoming (self);
}

static void
approval_toggled_cb (MailAssistantSummary *self)
{
  update_actions (self);
}

static void
leave_changed_cb (MailAssistantSummary *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->days_row),
                            gtk_switch_get_active (self->leave_switch));
}

static void
confirm_action_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  MailAssistantSummary *self = MAIL_ASSISTANT_SUMMARY (widget);

  if (mail_assistant_summary_get_can_confirm (self))
    g_signal_emit (self, signals[SIGNAL_CONFIRMED], 0);
}

/* Keyboard users land on what needs them: the approval when one is asked, otherwise
 * Add Account. */
static gboolean
mail_assistant_summary_grab_focus (GtkWidget *widget)
{
  MailAssistantSummary *self = MAIL_ASSISTANT_SUMMARY (widget);

  if (self->needs_approval && !gtk_check_button_get_active (self->approval_check))
    return gtk_widget_grab_focus (GTK_WIDGET (self->approval_check));

  return gtk_widget_grab_focus (self->confirm_button);
}

static void
mail_assistant_summary_clear (MailAssistantSummary *self)
{
  g_clear_pointer (&self->imap, mail_autoconfig_candidate_free);
  g_clear_pointer (&self->pop3, mail_autoconfig_candidate_free);
  g_clear_pointer (&self->outgoing, mail_autoconfig_candidate_free);
  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->domain, g_free);
}

static void
mail_assistant_summary_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), MAIL_TYPE_ASSISTANT_SUMMARY);

  G_OBJECT_CLASS (mail_assistant_summary_parent_class)->dispose (object);
}

static void
mail_assistant_summary_finalize (GObject *object)
{
  mail_assistant_summary_clear (MAIL_ASSISTANT_SUMMARY (object));

  G_OBJECT_CLASS (mail_assistant_summary_parent_class)->finalize (object);
}

static void
mail_assistant_summary_class_init (MailAssistantSummaryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mail_assistant_summary_dispose;
  object_class->finalize = mail_assistant_summary_finalize;
  widget_class->grab_focus = mail_assistant_summary_grab_focus;

  /**
   * MailAssistantSummary::confirmed:
   *
   * Emitted when the user accepts the settings shown (and approved them when asked).
   */
  signals[SIGNAL_CONFIRMED] =
    g_signal_new ("confirmed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/Mail/ui/mail-assistant-summary.ui");
  gtk_widget_class_bind_template_child (widget_class, MailAssistantSummary, title_label);
  gtk_widget_class_bind_template_child (widget_class, MailAssistantSummary, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, MailAssistantSummary, incoming_row);
  gtk_widget_class_bind_template_child (widget_class, MailAssistantSummary, incoming_icon);
  gtk_widget_class_bind_template_child (widget_class, MailAssistantSummary, outgoing_row);
  gtk_widget_class_bind_template_child (widget_class, MailAssistantSummary, outgoing_icon);
  gtk_widget_class_bind_template_child (widget_class, MailAssistantSummary, pop3_group);
  gtk_widget_class_bind_template_child (widget_class, MailAssistantSummary, imap_choice_row);
  gtk_widget_class_bind_template_child (widget_class, MailAssistantSummary, pop3_choice_row);
  gtk_widget_class_bind_template_child (widget_class, MailAssistantSummary, imap_check);
  gtk_widget_class_bind_template_child (widget_class, MailAssistantSummary, pop3_check);
  gtk_widget_class_bind_template_child (widget_class, MailAssistantSummary, leave_row);
  gtk_widget_class_bind_template_child (widget_class, MailAssistantSummary, leave_switch);
  gtk_widget_class_bind_template_child (widget_class, MailAssistantSummary, days_row);
  gtk_widget_class_bind_template_child (widget_class, MailAssistantSummary, days_spin);
  gtk_widget_class_bind_template_child (widget_class, MailAssistantSummary, incoming_source_row);
  gtk_widget_class_bind_template_child (widget_class, MailAssistantSummary, outgoing_source_row);
  gtk_widget_class_bind_template_child (widget_class, MailAssistantSummary, instructions_group);
  gtk_widget_class_bind_template_child (widget_class, MailAssistantSummary, instructions_label);
  gtk_widget_class_bind_template_child (widget_class, MailAssistantSummary, approval_box);
  gtk_widget_class_bind_template_child (widget_class, MailAssistantSummary, approval_heading);
  gtk_widget_class_bind_template_child (widget_class, MailAssistantSummary, approval_label);
  gtk_widget_class_bind_template_child (widget_class, MailAssistantSummary, approval_check);
  gtk_widget_class_bind_template_child (widget_class, MailAssistantSummary, confirm_button);
  gtk_widget_class_bind_template_callback (widget_class, choice_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, approval_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, leave_changed_cb);

  gtk_widget_class_install_action (widget_class, "summary.confirm", NULL, confirm_action_cb);
}

static void
mail_assistant_summary_init (MailAssistantSummary *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_actions (self);
}

GtkWidget *
mail_assistant_summary_new (void)
{
  return g_object_new (MAIL_TYPE_ASSISTANT_SUMMARY, NULL);
}

static MailAutoconfigCandidate *
first_of (GPtrArray    *list,
          MailProtocol  protocol)
{
  for (guint i = 0; i < list->len; i++)
    {
      MailAutoconfigCandidate *candidate = g_ptr_array_index (list, i);

      if (candidate->protocol == protocol)
        return mail_autoconfig_candidate_copy (candidate);
    }

  return NULL;
}

/**
 * mail_assistant_summary_set_report:
 * @self: a #MailAssistantSummary
 * @report: a usable report
 *
 * Shows the best incoming and outgoing servers of @report, the first POP3 server as an
 * alternative to IMAP, and the provider's instructions. Nothing of @report is kept.
 */
void
mail_assistant_summary_set_report (MailAssistantSummary       *self,
                                   const MailAutoconfigReport *report)
{
  const char *at;
  gboolean both;

  g_return_if_fail (MAIL_IS_ASSISTANT_SUMMARY (self));
  g_return_if_fail (report != NULL);

  mail_assistant_summary_clear (self);

  self->address = g_strdup (report->address);
  at = report->address != NULL ? strrchr (report->address, '@') : NULL;
  self->domain = mail_assistant_host_for_display (at != NULL ? at + 1 : "");
  self->imap = first_of (report->incoming, MAIL_PROTOCOL_IMAP);
  self->pop3 = first_of (report->incoming, MAIL_PROTOCOL_POP3);
  self->outgoing = report->outgoing->len > 0
                     ? mail_autoconfig_candidate_copy (g_ptr_array_index (report->outgoing, 0))
                     : NULL;

  /* IMAP is recommended whenever there is one; POP3 is an informed choice. */
  both = self->imap != NULL && self->pop3 != NULL;
  g_signal_handlers_block_by_func (self->imap_check, choice_toggled_cb, self);
  g_signal_handlers_block_by_func (self->pop3_check, choice_toggled_cb, self);
  gtk_check_button_set_active (self->imap_check, TRUE);
  g_signal_handlers_unblock_by_func (self->imap_check, choice_toggled_cb, self);
  g_signal_handlers_unblock_by_func (self->pop3_check, choice_toggled_cb, self);
  gtk_widget_set_visible (GTK_WIDGET (self->imap_choice_row), both);
  gtk_widget_set_visible (GTK_WIDGET (self->pop3_choice_row), both);
  gtk_widget_set_visible (GTK_WIDGET (self->pop3_group), self->pop3 != NULL);
  adw_preferences_group_set_description (self->pop3_group,
                                         both ? _("Your provider offers two ways of receiving "
                                                  "mail.")
                                              : _("Your provider offers only POP3: mail is "
                                                  "downloaded to this computer, and this copy "
                                                  "is the one to back up."));

  if (self->pop3 != NULL)
    {
      MailAutoconfigPop3Hints hints = self->pop3->pop3_hints;

      if (!self->pop3->has_pop3_hints)
        {
          hints.leave_messages_on_server = TRUE;
          hints.days_to_leave_messages_on_server = 14;
        }
      gtk_switch_set_active (self->leave_switch, hints.leave_messages_on_server);
      gtk_spin_button_set_value (self->days_spin, hints.days_to_leave_messages_on_server);
      leave_changed_cb (self);
    }

  if (self->outgoing != NULL)
    {
      set_server_row (self->outgoing_row, self->outgoing_icon, self->outgoing);
      set_source_row (self, self->outgoing_source_row, self->outgoing);
    }

  if (report->instructions->len > 0)
    {
      g_autoptr (GString) markup = g_string_new (NULL);

      for (guint i = 0; i < report->instructions->len; i++)
        {
          g_autofree char *linked = mail_assistant_linkify (g_ptr_array_index (report->instructions, i));

          if (markup->len > 0)
            g_string_append (markup, "\n\n");
          g_string_append (markup, linked);
        }
      gtk_label_set_markup (self->instructions_label, markup->str);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->instructions_group), report->instructions->len > 0);

  update_incoming (self);
}

/**
 * mail_assistant_summary_dup_incoming:
 * @self: a #MailAssistantSummary
 *
 * Returns: (transfer full) (nullable): the incoming server the user chose; for POP3 its
 *   hints hold the user's choices (leave a copy on the server, for how many days)
 */
MailAutoconfigCandidate *
mail_assistant_summary_dup_incoming (MailAssistantSummary *self)
{
  const MailAutoconfigCandidate *incoming;
  MailAutoconfigCandidate *copy;

  g_return_val_if_fail (MAIL_IS_ASSISTANT_SUMMARY (self), NULL);

  incoming = chosen_incoming (self);
  if (incoming == NULL)
    return NULL;

  copy = mail_autoconfig_candidate_copy (incoming);
  if (copy->protocol == MAIL_PROTOCOL_POP3)
    {
      copy->has_pop3_hints = TRUE;
      copy->pop3_hints.leave_messages_on_server = gtk_switch_get_active (self->leave_switch);
      copy->pop3_hints.days_to_leave_messages_on_server =
        (guint) gtk_spin_button_get_value_as_int (self->days_spin);
    }

  return copy;
}

/**
 * mail_assistant_summary_dup_outgoing:
 * @self: a #MailAssistantSummary
 *
 * Returns: (transfer full) (nullable): the outgoing server
 */
MailAutoconfigCandidate *
mail_assistant_summary_dup_outgoing (MailAssistantSummary *self)
{
  g_return_val_if_fail (MAIL_IS_ASSISTANT_SUMMARY (self), NULL);

  return self->outgoing != NULL ? mail_autoconfig_candidate_copy (self->outgoing) : NULL;
}

/**
 * mail_assistant_summary_get_needs_approval:
 * @self: a #MailAssistantSummary
 *
 * Returns: whether the chosen settings need the user's explicit approval
 */
gboolean
mail_assistant_summary_get_needs_approval (MailAssistantSummary *self)
{
  g_return_val_if_fail (MAIL_IS_ASSISTANT_SUMMARY (self), FALSE);

  return self->needs_approval;
}

/**
 * mail_assistant_summary_get_can_confirm:
 * @self: a #MailAssistantSummary
 *
 * Returns: whether "Add Account" is available: there are both servers and, when needed,
 *   the user approved them
 */
gboolean
mail_assistant_summary_get_can_confirm (MailAssistantSummary *self)
{
  g_return_val_if_fail (MAIL_IS_ASSISTANT_SUMMARY (self), FALSE);

  return chosen_incoming (self) != NULL && self->outgoing != NULL &&
         (!self->needs_approval || gtk_check_button_get_active (self->approval_check));
}

/**
 * mail_assistant_summary_set_use_pop3:
 * @self: a #MailAssistantSummary
 * @use_pop3: whether to choose the POP3 server over the IMAP one
 *
 * Makes the choice the radio buttons make, when both are offered.
 */
void
mail_assistant_summary_set_use_pop3 (MailAssistantSummary *self,
                                     gboolean              use_pop3)
{
  g_return_if_fail (MAIL_IS_ASSISTANT_SUMMARY (self));

  gtk_check_button_set_active (use_pop3 ? self->pop3_check : self->imap_check, TRUE);
}

/**
 * mail_assistant_summary_set_approved:
 * @self: a #MailAssistantSummary
 * @approved: the state of the approval check button
 */
void
mail_assistant_summary_set_approved (MailAssistantSummary *self,
                                     gboolean              approved)
{
  g_return_if_fail (MAIL_IS_ASSISTANT_SUMMARY (self));

  gtk_check_button_set_active (self->approval_check, approved);
}

/**
 * mail_assistant_summary_set_sign_in_result:
 * @self: a #MailAssistantSummary
 * @result: the sign-in to the chosen incoming or outgoing server
 *
 * Records how signing in to one of the chosen servers went, after the user approved
 * them: the server's row and the headline follow, and the candidates handed out by
 * mail_assistant_summary_dup_incoming() and _dup_outgoing() carry it.
 */
void
mail_assistant_summary_set_sign_in_result (MailAssistantSummary        *self,
                                           const MailServerCheckResult *result)
{
  MailAutoconfigCandidate *candidate;

  g_return_if_fail (MAIL_IS_ASSISTANT_SUMMARY (self));
  g_return_if_fail (result != NULL);

  candidate = (MailAutoconfigCandidate *) (result->protocol == MAIL_PROTOCOL_SMTP
                                             ? self->outgoing
                                             : chosen_incoming (self));
  if (candidate == NULL || candidate->protocol != result->protocol ||
      g_strcmp0 (candidate->host, result->host) != 0 || candidate->port != result->port)
    return;

  candidate->probed = TRUE;
  candidate->reachable = result->category != MAIL_ERROR_CATEGORY_NETWORK &&
                         result->category != MAIL_ERROR_CATEGORY_TIMEOUT;
  candidate->verified = result->ok && result->authenticated;
  candidate->error_category = candidate->verified ? MAIL_ERROR_CATEGORY_NONE : result->category;
  g_free (candidate->error_message);
  candidate->error_message = candidate->verified ? NULL : g_strdup (result->message);
  if (result->certificate != NULL)
    g_set_object (&candidate->certificate, result->certificate);

  if (candidate == self->outgoing)
    set_server_row (self->outgoing_row, self->outgoing_icon, candidate);
  else
    set_server_row (self->incoming_row, self->incoming_icon, candidate);
  update_title (self);
}
