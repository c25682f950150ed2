/* mail-assistant-manual.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The manual setup page: the incoming and outgoing server typed in by the user (prefilled
 * from a detection when there was one), with "Test Settings" to sign in to both with the
 * password before anything is added. A server without encryption is only accepted with an
 * explicit consent that names it.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-assistant-manual.h"
#include "mail-assistant-text.h"
#include "mail-net-error.h"
#include "mail-server-check.h"

/* The rows of the security combo boxes, in the order of the template's string lists. */
static const MailSecurity security_by_index[] = {
  MAIL_SECURITY_TLS,
  MAIL_SECURITY_STARTTLS,
  MAIL_SECURITY_NONE,
};

typedef struct
{
  AdwComboRow   *protocol_row;   /* NULL for outgoing */
  AdwEntryRow   *host_row;
  GtkSpinButton *port_spin;
  AdwComboRow   *security_row;
  AdwEntryRow   *user_row;
  AdwActionRow  *result_row;
  GtkImage      *result_icon;
  GtkButton     *trust_button;
  MailCertificateInfo *offered;   /* the certificate the last check refused */
  MailCertificateInfo *pinned;    /* the certificate the user chose to trust */
  MailProtocol   last_protocol;
  MailSecurity   last_security;
  gboolean       checked_ok;
  gboolean       checking;
  gboolean       verified;
} ServerRows;

struct _MailAssistantManual
{
  AdwBin          parent_instance;

  char           *address;
  char           *password;
  GTlsDatabase   *database;
  GCancellable   *cancellable;
  gboolean        confirm_after_check;
  gboolean        filling;
  ServerRows      in;
  ServerRows      out;

  /* Template children */
  GtkWidget      *plaintext_box;
  GtkCheckButton *plaintext_check;
  GtkSpinner     *spinner;
};

G_DEFINE_FINAL_TYPE (MailAssistantManual, mail_assistant_manual, ADW_TYPE_BIN)

enum {
  SIGNAL_CONFIRMED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static MailProtocol
rows_get_protocol (ServerRows *rows)
{
  if (rows->protocol_row == NULL)
    return MAIL_PROTOCOL_SMTP;

  return adw_combo_row_get_selected (rows->protocol_row) == 1 ? MAIL_PROTOCOL_POP3
                                                              : MAIL_PROTOCOL_IMAP;
}

static MailSecurity
rows_get_security (ServerRows *rows)
{
  guint selected = adw_combo_row_get_selected (rows->security_row);

  return selected < G_N_ELEMENTS (security_by_index) ? security_by_index[selected]
                                                     : MAIL_SECURITY_TLS;
}

static void
rows_set_security (ServerRows   *rows,
                   MailSecurity  security)
{
  for (guint i = 0; i < G_N_ELEMENTS (security_by_index); i++)
    if (security_by_index[i] == security)
      adw_combo_row_set_selected (rows->security_row, i);
}

static char *
rows_dup_host (ServerRows *rows)
{
  g_autofree char *host = g_strdup (gtk_editable_get_text (GTK_EDITABLE (rows->host_row)));

  return g_strdup (g_strstrip (host));
}

static gboolean
rows_are_complete (ServerRows *rows)
{
  g_autofree char *host = rows_dup_host (rows);
  const char *user = gtk_editable_get_text (GTK_EDITABLE (rows->user_row));

  return host[0] != '\0' && strpbrk (host, " /@:") == NULL && user[0] != '\0' &&
         gtk_spin_button_get_value_as_int (rows->port_spin) > 0;
}

static void
rows_clear_result (ServerRows *rows)
{
  rows->checked_ok = FALSE;
  rows->verified = FALSE;
  g_clear_object (&rows->offered);
  gtk_widget_set_visible (GTK_WIDGET (rows->result_row), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (rows->trust_button), FALSE);
}

static void
update_state (MailAssistantManual *self)
{
  gboolean in_none = rows_get_security (&self->in) == MAIL_SECURITY_NONE;
  gboolean out_none = rows_get_security (&self->out) == MAIL_SECURITY_NONE;
  gboolean checking = self->in.checking || self->out.checking;
  gboolean complete = mail_assistant_manual_is_complete (self);

  gtk_widget_set_visible (self->plaintext_box, in_none || out_none);
  if (in_none || out_none)
    {
      g_autofree char *in_host = rows_dup_host (&self->in);
      g_autofree char *out_host = rows_dup_host (&self->out);
      g_autofree char *label = NULL;

      if (in_none && out_none && g_strcmp0 (in_host, out_host) != 0)
        /* Translators: the consent to connect without encryption; %s are servers. */
        label = g_strdup_printf (_("Send my password and mail unencrypted to %s and %s"),
                                 in_host, out_host);
      else
        label = g_strdup_printf (_("Send my password and mail unencrypted to %s"),
                                 in_none ? in_host : out_host);
      gtk_check_button_set_label (self->plaintext_check, label);
    }

  gtk_spinner_set_spinning (self->spinner, checking);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), checking);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "manual.test", complete && !checking);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "manual.confirm", complete && !checking);
}

static void
rows_update_port (ServerRows *rows)
{
  MailProtocol protocol = rows_get_protocol (rows);
  MailSecurity security = rows_get_security (rows);
  int port = gtk_spin_button_get_value_as_int (rows->port_spin);

  /* Follow the standard port as long as the user has not typed another one. */
  if (port == 0 || port == mail_protocol_default_port (rows->last_protocol, rows->last_security))
    gtk_spin_button_set_value (rows->port_spin, mail_protocol_default_port (protocol, security));

  rows->last_protocol = protocol;
  rows->last_security = security;
}

static void
field_changed_cb (MailAssistantManual *self)
{
  if (self->filling)
    return;

  /* Results are about the values they were made with. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->in.checking = self->out.checking = FALSE;
  self->confirm_after_check = FALSE;
  rows_clear_result (&self->in);
  rows_clear_result (&self->out);
  /* A trusted certificate belongs to exactly the server it was shown for. */
  g_clear_object (&self->in.pinned);
  g_clear_object (&self->out.pinned);
  rows_update_port (&self->in);
  rows_update_port (&self->out);
  update_state (self);
}

typedef struct
{
  MailAssistantManual *self;
  GCancellable        *cancellable;
  gboolean             incoming;
} CheckData;

static void
check_data_free (CheckData *data)
{
  g_object_unref (data->self);
  g_object_unref (data->cancellable);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CheckData, check_data_free)

static void
show_result (ServerRows                  *rows,
             const MailServerCheckResult *result)
{
  g_autofree char *host = mail_assistant_host_for_display (result->host);
  g_autofree char *title = NULL;
  GtkWidget *icon = GTK_WIDGET (rows->result_icon);

  gtk_widget_remove_css_class (icon, "success");
  gtk_widget_remove_css_class (icon, "error");

  if (result->ok && result->authenticated)
    {
      g_autofree char *subtitle = NULL;

      /* Translators: "Signed in to mail.example.com". */
      title = g_strdup_printf (_("Signed in to %s"), host);
      if (rows->pinned != NULL)
        subtitle = g_strdup_printf (_("%s · the certificate you trusted, SHA-256 %s"),
                                    result->tls_version != NULL ? result->tls_version : "TLS",
                                    mail_certificate_info_get_fingerprint (rows->pinned));
      else
        subtitle = g_strdup (result->tls_version != NULL ? result->tls_version : "");
      adw_action_row_set_subtitle (rows->result_row, subtitle);
      gtk_image_set_from_icon_name (rows->result_icon, "emblem-ok-symbolic");
      gtk_widget_add_css_class (icon, "success");
    }
  else
    {
      g_autoptr (GString) subtitle = g_string_new (result->message != NULL
                                                     ? result->message
                                                     : mail_error_category_describe (result->category));

      if (result->category == MAIL_ERROR_CATEGORY_TLS_CERTIFICATE && result->certificate != NULL)
        {
          g_string_append_printf (subtitle, " %s %s", _("SHA-256 fingerprint:"),
                                  mail_certificate_info_get_fingerprint (result->certificate));
          /* Offer to trust exactly this certificate, never to turn checking off. */
          g_set_object (&rows->offered, result->certificate);
          gtk_widget_set_visible (GTK_WIDGET (rows->trust_button), TRUE);
        }
      title = g_strdup_printf (_("%s did not work"), host);
      adw_action_row_set_subtitle (rows->result_row, subtitle->str);
      gtk_image_set_from_icon_name (rows->result_icon, "dialog-error-symbolic");
      gtk_widget_add_css_class (icon, "error");
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (rows->result_row), title);
  gtk_widget_set_visible (GTK_WIDGET (rows->result_row), TRUE);
}

static void
check_cb (GObject      *source,
          GAsyncResult *res,
          gpointer      user_data)
{
  g_autoptr (CheckData) data = user_data;
  g_autoptr (MailServerCheckResult) result = NULL;
  g_autoptr (GError) error = NULL;
  MailAssistantManual *self = data->self;
  ServerRows *rows;

  result = mail_server_check_finish (res, &error);
  if (g_cancellable_is_cancelled (data->cancellable))
    return;

  rows = data->incoming ? &self->in : &self->out;
  rows->checking = FALSE;

  if (result == NULL)
    {
      MailServerCheckResult failed = {
        .host = rows_dup_host (rows),
        .category = mail_error_categorize (error),
        .message = error->message,
      };

      show_result (rows, &failed);
      g_free (failed.host);
    }
  else
    {
      rows->checked_ok = result->ok && result->authenticated;
      rows->verified = rows->checked_ok;
      show_result (rows, result);
    }

  update_state (self);

  if (!self->in.checking && !self->out.checking && self->confirm_after_check)
    {
      self->confirm_after_check = FALSE;
      if (self->in.checked_ok && self->out.checked_ok)
        g_signal_emit (self, signals[SIGNAL_CONFIRMED], 0);
    }
}

static void
start_check (MailAssistantManual *self,
             ServerRows          *rows,
             gboolean             incoming)
{
  g_autofree char *host = rows_dup_host (rows);
  g_autofree char *ascii = g_hostname_to_ascii (host);
  MailServerCheckOptions options = {
    .user = gtk_editable_get_text (GTK_EDITABLE (rows->user_row)),
    .password = self->password,
    .database = self->database,
    .allow_plaintext_password = gtk_check_button_get_active (self->plaintext_check),
    .pinned_fingerprint = rows->pinned != NULL ? mail_certificate_info_get_fingerprint (rows->pinned)
                                               : NULL,
  };
  CheckData *data = g_new0 (CheckData, 1);

  data->self = g_object_ref (self);
  data->cancellable = g_object_ref (self->cancellable);
  data->incoming = incoming;
  rows->checking = TRUE;
  rows_clear_result (rows);

  mail_server_check_async (rows_get_protocol (rows), ascii != NULL ? ascii : host,
                           (guint16) gtk_spin_button_get_value_as_int (rows->port_spin),
                           rows_get_security (rows), &options, self->cancellable, check_cb,
                           data);
}

static void
start_checks (MailAssistantManual *self,
              gboolean             confirm)
{
  if (!mail_assistant_manual_is_complete (self))
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->confirm_after_check = confirm;

  start_check (self, &self->in, TRUE);
  start_check (self, &self->out, FALSE);
  update_state (self);
}

static void
trust_clicked (MailAssistantManual *self,
               ServerRows          *rows)
{
  if (rows->offered == NULL)
    return;

  g_set_object (&rows->pinned, rows->offered);
  start_checks (self, FALSE);
}

static void
in_trust_clicked_cb (MailAssistantManual *self)
{
  trust_clicked (self, &self->in);
}

static void
out_trust_clicked_cb (MailAssistantManual *self)
{
  trust_clicked (self, &self->out);
}

static void
test_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  start_checks (MAIL_ASSISTANT_MANUAL (widget), FALSE);
}

static void
confirm_action_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  MailAssistantManual *self = MAIL_ASSISTANT_MANUAL (widget);

  /* Settings are only added once both servers accepted the password with exactly these
   * values; a fresh successful test is enough. */
  if (self->in.checked_ok && self->out.checked_ok)
    g_signal_emit (self, signals[SIGNAL_CONFIRMED], 0);
  else
    start_checks (self, TRUE);
}

static gboolean
mail_assistant_manual_grab_focus (GtkWidget *widget)
{
  MailAssistantManual *self = MAIL_ASSISTANT_MANUAL (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->in.host_row));
}

static void
mail_assistant_manual_dispose (GObject *object)
{
  MailAssistantManual *self = MAIL_ASSISTANT_MANUAL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->database);
  g_clear_object (&self->in.offered);
  g_clear_object (&self->in.pinned);
  g_clear_object (&self->out.offered);
  g_clear_object (&self->out.pinned);
  gtk_widget_dispose_template (GTK_WIDGET (object), MAIL_TYPE_ASSISTANT_MANUAL);

  G_OBJECT_CLASS (mail_assistant_manual_parent_class)->dispose (object);
}

static void
mail_assistant_manual_finalize (GObject *object)
{
  MailAssistantManual *self = MAIL_ASSISTANT_MANUAL (object);

  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->password, g_free);

  G_OBJECT_CLASS (mail_assistant_manual_parent_class)->finalize (object);
}

static void
mail_assistant_manual_class_init (MailAssistantManualClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mail_assistant_manual_dispose;
  object_class->finalize = mail_assistant_manual_finalize;
  widget_class->grab_focus = mail_assistant_manual_grab_focus;

  /**
   * MailAssistantManual::confirmed:
   *
   * Emitted when both servers accepted the password with the settings on the page and the
   * user asked to add the account.
   */
  signals[SIGNAL_CONFIRMED] =
    g_signal_new ("confirmed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/Mail/ui/mail-assistant-manual.ui");
  gtk_widget_class_bind_template_child_full (widget_class, "in_protocol_row", FALSE,
                                             G_STRUCT_OFFSET (MailAssistantManual, in.protocol_row));
  gtk_widget_class_bind_template_child_full (widget_class, "in_host_row", FALSE,
                                             G_STRUCT_OFFSET (MailAssistantManual, in.host_row));
  gtk_widget_class_bind_template_child_full (widget_class, "in_port_spin", FALSE,
                                             G_STRUCT_OFFSET (MailAssistantManual, in.port_spin));
  gtk_widget_class_bind_template_child_full (widget_class, "in_security_row", FALSE,
                                             G_STRUCT_OFFSET (MailAssistantManual, in.security_row));
  gtk_widget_class_bind_template_child_full (widget_class, "in_user_row", FALSE,
                                             G_STRUCT_OFFSET (MailAssistantManual, in.user_row));
  gtk_widget_class_bind_template_child_full (widget_class, "in_result_row", FALSE,
                                             G_STRUCT_OFFSET (MailAssistantManual, in.result_row));
  gtk_widget_class_bind_template_child_full (widget_class, "in_result_icon", FALSE,
                                             G_STRUCT_OFFSET (MailAssistantManual, in.result_icon));
  gtk_widget_class_bind_template_child_full (widget_class, "out_host_row", FALSE,
                                             G_STRUCT_OFFSET (MailAssistantManual, out.host_row));
  gtk_widget_class_bind_template_child_full (widget_class, "out_port_spin", FALSE,
                                             G_STRUCT_OFFSET (MailAssistantManual, out.port_spin));
  gtk_widget_class_bind_template_child_full (widget_class, "out_security_row", FALSE,
                                             G_STRUCT_OFFSET (MailAssistantManual, out.security_row));
  gtk_widget_class_bind_template_child_full (widget_class, "out_user_row", FALSE,
                                             G_STRUCT_OFFSET (MailAssistantManual, out.user_row));
  gtk_widget_class_bind_template_child_full (widget_class, "out_result_row", FALSE,
                                             G_STRUCT_OFFSET (MailAssistantManual, out.result_row));
  gtk_widget_class_bind_template_child_full (widget_class, "out_result_icon", FALSE,
                                             G_STRUCT_OFFSET (MailAssistantManual, out.result_icon));
  gtk_widget_class_bind_template_child_full (widget_class, "in_trust_button", FALSE,
                                             G_STRUCT_OFFSET (MailAssistantManual, in.trust_button));
  gtk_widget_class_bind_template_child_full (widget_class, "out_trust_button", FALSE,
                                             G_STRUCT_OFFSET (MailAssistantManual, out.trust_button));
  gtk_widget_class_bind_template_child (widget_class, MailAssistantManual, plaintext_box);
  gtk_widget_class_bind_template_child (widget_class, MailAssistantManual, plaintext_check);
  gtk_widget_class_bind_template_child (widget_class, MailAssistantManual, spinner);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, in_trust_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, out_trust_clicked_cb);

  gtk_widget_class_install_action (widget_class, "manual.test", NULL, test_action_cb);
  gtk_widget_class_install_action (widget_class, "manual.confirm", NULL, confirm_action_cb);
}

static void
mail_assistant_manual_init (MailAssistantManual *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->in.last_protocol = MAIL_PROTOCOL_IMAP;
  self->in.last_security = MAIL_SECURITY_TLS;
  self->out.last_protocol = MAIL_PROTOCOL_SMTP;
  self->out.last_security = MAIL_SECURITY_TLS;
  rows_clear_result (&self->in);
  rows_clear_result (&self->out);
  update_state (self);
}

GtkWidget *
mail_assistant_manual_new (void)
{
  return g_object_new (MAIL_TYPE_ASSISTANT_MANUAL, NULL);
}

/**
 * mail_assistant_manual_set_account:
 * @self: a #MailAssistantManual
 * @address: the address from the first page
 * @password: the password from the first page, for "Test Settings"
 */
void
mail_assistant_manual_set_account (MailAssistantManual *self,
                                   const char          *address,
                                   const char          *password)
{
  g_return_if_fail (MAIL_IS_ASSISTANT_MANUAL (self));

  g_free (self->address);
  self->address = g_strdup (address);
  g_free (self->password);
  self->password = g_strdup (password);
}

/**
 * mail_assistant_manual_set_tls_database:
 * @self: a #MailAssistantManual
 * @database: (nullable): the trust store the checks use
 */
void
mail_assistant_manual_set_tls_database (MailAssistantManual *self,
                                        GTlsDatabase        *database)
{
  g_return_if_fail (MAIL_IS_ASSISTANT_MANUAL (self));

  g_set_object (&self->database, database);
}

static void
rows_fill (ServerRows                    *rows,
           const MailAutoconfigCandidate *candidate,
           MailProtocol                   protocol,
           const char                    *host,
           const char                    *user)
{
  g_autofree char *display = NULL;

  if (candidate != NULL)
    {
      protocol = candidate->protocol;
      host = candidate->host;
      if (candidate->username != NULL && candidate->username[0] != '\0')
        user = candidate->username;
    }

  display = mail_assistant_host_for_display (host);
  if (rows->protocol_row != NULL)
    adw_combo_row_set_selected (rows->protocol_row, protocol == MAIL_PROTOCOL_POP3 ? 1 : 0);
  rows_set_security (rows, candidate != NULL ? candidate->security : MAIL_SECURITY_TLS);
  gtk_editable_set_text (GTK_EDITABLE (rows->host_row), display);
  gtk_editable_set_text (GTK_EDITABLE (rows->user_row), user != NULL ? user : "");
  gtk_spin_button_set_value (rows->port_spin,
                             candidate != NULL ? candidate->port
                                               : mail_protocol_default_port (protocol,
                                                                             MAIL_SECURITY_TLS));
  rows->last_protocol = rows_get_protocol (rows);
  rows->last_security = rows_get_security (rows);
  rows_clear_result (rows);
}

/**
 * mail_assistant_manual_prefill:
 * @self: a #MailAssistantManual
 * @report: (nullable): what a detection found, or %NULL
 *
 * Fills the page with the best servers of @report, or with the usual names under the
 * address's domain when there is no report or it found nothing.
 */
void
mail_assistant_manual_prefill (MailAssistantManual        *self,
                               const MailAutoconfigReport *report)
{
  const MailAutoconfigCandidate *incoming = NULL;
  const MailAutoconfigCandidate *outgoing = NULL;
  g_autofree char *imap_host = NULL;
  g_autofree char *smtp_host = NULL;
  const char *at;

  g_return_if_fail (MAIL_IS_ASSISTANT_MANUAL (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->in.checking = self->out.checking = FALSE;
  self->confirm_after_check = FALSE;

  if (report != NULL && report->incoming->len > 0)
    incoming = g_ptr_array_index (report->incoming, 0);
  if (report != NULL && report->outgoing->len > 0)
    outgoing = g_ptr_array_index (report->outgoing, 0);

  at = self->address != NULL ? strrchr (self->address, '@') : NULL;
  imap_host = g_strconcat ("imap.", at != NULL ? at + 1 : "", NULL);
  smtp_host = g_strconcat ("smtp.", at != NULL ? at + 1 : "", NULL);

  g_clear_object (&self->in.pinned);
  g_clear_object (&self->out.pinned);
  self->filling = TRUE;
  rows_fill (&self->in, incoming, MAIL_PROTOCOL_IMAP, imap_host, self->address);
  rows_fill (&self->out, outgoing, MAIL_PROTOCOL_SMTP, smtp_host, self->address);
  gtk_check_button_set_active (self->plaintext_check, FALSE);
  self->filling = FALSE;

  update_state (self);
}

/**
 * mail_assistant_manual_is_complete:
 * @self: a #MailAssistantManual
 *
 * Returns: whether every field is filled in, and a server without encryption was
 *   explicitly allowed
 */
gboolean
mail_assistant_manual_is_complete (MailAssistantManual *self)
{
  gboolean plaintext;

  g_return_val_if_fail (MAIL_IS_ASSISTANT_MANUAL (self), FALSE);

  plaintext = rows_get_security (&self->in) == MAIL_SECURITY_NONE ||
              rows_get_security (&self->out) == MAIL_SECURITY_NONE;

  return rows_are_complete (&self->in) && rows_are_complete (&self->out) &&
         (!plaintext || gtk_check_button_get_active (self->plaintext_check));
}

/**
 * mail_assistant_manual_is_checking:
 * @self: a #MailAssistantManual
 *
 * Returns: whether a test of the settings is running
 */
gboolean
mail_assistant_manual_is_checking (MailAssistantManual *self)
{
  g_return_val_if_fail (MAIL_IS_ASSISTANT_MANUAL (self), FALSE);

  return self->in.checking || self->out.checking;
}

static MailAutoconfigCandidate *
rows_dup_candidate (ServerRows *rows)
{
  g_autofree char *host = rows_dup_host (rows);
  g_autofree char *ascii = g_hostname_to_ascii (host);
  MailAutoconfigCandidate *candidate;

  candidate = mail_autoconfig_candidate_new (rows_get_protocol (rows),
                                             ascii != NULL ? ascii : host,
                                             (guint16) gtk_spin_button_get_value_as_int (rows->port_spin),
                                             rows_get_security (rows));
  candidate->username = g_strdup (gtk_editable_get_text (GTK_EDITABLE (rows->user_row)));
  /* The user typed these settings: they vouch for them, and the test proved them. */
  candidate->trust = MAIL_AUTOCONFIG_TRUST_VERIFIED;
  candidate->probed = rows->checked_ok;
  candidate->reachable = rows->checked_ok;
  candidate->verified = rows->verified;
  /* The certificate the user chose to trust for this server, to be pinned. */
  if (rows->pinned != NULL)
    candidate->certificate = g_object_ref (rows->pinned);

  return candidate;
}

/**
 * mail_assistant_manual_dup_incoming:
 * @self: a #MailAssistantManual
 *
 * Returns: (transfer full): the incoming server as entered
 */
MailAutoconfigCandidate *
mail_assistant_manual_dup_incoming (MailAssistantManual *self)
{
  g_return_val_if_fail (MAIL_IS_ASSISTANT_MANUAL (self), NULL);

  return rows_dup_candidate (&self->in);
}

/**
 * mail_assistant_manual_dup_outgoing:
 * @self: a #MailAssistantManual
 *
 * Returns: (transfer full): the outgoing server as entered
 */
MailAutoconfigCandidate *
mail_assistant_manual_dup_outgoing (MailAssistantManual *self)
{
  g_return_val_if_fail (MAIL_IS_ASSISTANT_MANUAL (self), NULL);

  return rows_dup_candidate (&self->out);
}
