/* mail-account-assistant.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The account assistant: the address and password page, then automatic setup with live
 * progress and a Cancel that returns at once, then either the summary of what was found
 * or a plain-language error, with manual setup reachable from every page. The pages are a
 * GtkStack: "form", "progress", "summary", "error" and "manual".
 *
 * Automatic setup only signs in to settings the address's own domain vouches for. Anything
 * else is shown for approval first, and only once the user approved it does the assistant
 * send the password: it signs in to both chosen servers at once (the progress page again,
 * with Cancel) and adds the account when both accepted it.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-account-assistant.h"
#include "mail-address.h"
#include "mail-application.h"
#include "mail-assistant-manual.h"
#include "mail-assistant-summary.h"
#include "mail-assistant-text.h"
#include "mail-autoconfig.h"
#include "mail-net-error.h"
#include "mail-server-check.h"

/* Per phase (connect, greeting, command) of the sign-in after approval. */
#define SIGN_IN_TIMEOUT 15

struct _MailAccountAssistant
{
  AdwBin                 parent_instance;

  GSettings             *settings;
  MailAutoconfig        *engine;
  GCancellable          *cancellable;
  MailAutoconfigReport  *report;
  GCancellable          *sign_in_cancellable;
  MailServerCheckResult *sign_in_results[2];
  guint                  sign_in_pending;
  char                  *domain;
  const char            *manual_return_page;
  guint                  pending;
  gboolean               can_continue;
  gboolean               retry_form;
  gboolean               retry_sign_in;
  gboolean               manual_stale;

  /* Template children */
  AdwWindowTitle        *window_title;
  GtkWidget             *back_button;
  GtkStack              *stack;
  AdwEntryRow           *name_row;
  AdwEntryRow           *address_row;
  AdwPasswordEntryRow   *password_row;
  GtkWidget             *continue_button;
  AdwStatusPage         *progress_page;
  GtkWidget             *cancel_button;
  AdwStatusPage         *error_page;
  GtkLabel              *error_instructions_label;
  GtkWidget             *retry_button;
  MailAssistantSummary  *summary;
  MailAssistantManual   *manual;
};

G_DEFINE_FINAL_TYPE (MailAccountAssistant, mail_account_assistant, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_SETUP_REQUESTED,
  SIGNAL_ACCOUNT_READY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_page (MailAccountAssistant *self,
          const char           *page)
{
  gboolean form = g_str_equal (page, "form");

  gtk_stack_set_visible_child_name (self->stack, page);
  gtk_widget_set_visible (self->back_button, !form && !g_str_equal (page, "progress"));
  adw_window_title_set_subtitle (self->window_title,
                                 form ? "" : mail_account_assistant_get_address (self));

  if (g_str_equal (page, "manual"))
    adw_window_title_set_title (self->window_title, _("Manual Setup"));
  else
    adw_window_title_set_title (self->window_title, _("Add Account"));
}

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
  self->manual_stale = TRUE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.continue", self->can_continue);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.manual", self->can_continue);
}

static void
entry_changed_cb (MailAccountAssistant *self)
{
  mail_account_assistant_update (self);
}

static void
set_pending (MailAccountAssistant *self,
             guint                 pending)
{
  gboolean was_busy = self->pending > 0;

  self->pending = pending;
  if (was_busy != (pending > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Lets go of the sign-in to approved settings: its connections are cancelled, and what
 * they still report no longer reaches the pages. */
static void
drop_sign_in (MailAccountAssistant *self)
{
  g_cancellable_cancel (self->sign_in_cancellable);
  g_clear_object (&self->sign_in_cancellable);
  g_clear_pointer (&self->sign_in_results[0], mail_server_check_result_free);
  g_clear_pointer (&self->sign_in_results[1], mail_server_check_result_free);
  self->sign_in_pending = 0;
}

/* Lets go of the running detection (and of a sign-in): its socket work is cancelled, and
 * whatever it still reports (steps, the result) no longer reaches the pages. */
static void
drop_detection (MailAccountAssistant *self)
{
  drop_sign_in (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_clear_object (&self->engine);
}

static void
step_cb (MailAutoconfig     *engine,
         MailAutoconfigStep *step,
         gpointer            user_data)
{
  MailAccountAssistant *self = MAIL_ACCOUNT_ASSISTANT (user_data);
  g_autofree char *text = NULL;

  if (engine != self->engine || step == NULL)
    return;

  text = mail_assistant_describe_step (step, self->domain);
  adw_status_page_set_description (self->progress_page, text);
}

static MailAutoconfigReport *
report_copy (const MailAutoconfigReport *report)
{
  MailAutoconfigReport *copy = mail_autoconfig_report_new (report->address);

  for (guint i = 0; i < report->incoming->len; i++)
    g_ptr_array_add (copy->incoming,
                     mail_autoconfig_candidate_copy (g_ptr_array_index (report->incoming, i)));
  for (guint i = 0; i < report->outgoing->len; i++)
    g_ptr_array_add (copy->outgoing,
                     mail_autoconfig_candidate_copy (g_ptr_array_index (report->outgoing, i)));
  for (guint i = 0; i < report->instructions->len; i++)
    g_ptr_array_add (copy->instructions, g_strdup (g_ptr_array_index (report->instructions, i)));
  copy->elapsed_ms = report->elapsed_ms;
  copy->incoming_error = report->incoming_error != NULL ? g_error_copy (report->incoming_error)
                                                        : NULL;
  copy->outgoing_error = report->outgoing_error != NULL ? g_error_copy (report->outgoing_error)
                                                        : NULL;
  copy->incoming_category = report->incoming_category;
  copy->outgoing_category = report->outgoing_category;

  return copy;
}

static void
show_instructions (MailAccountAssistant       *self,
                   const MailAutoconfigReport *report)
{
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint i = 0; report != NULL && i < report->instructions->len; i++)
    {
      g_autofree char *escaped = mail_assistant_linkify (g_ptr_array_index (report->instructions, i));

      if (text->len > 0)
        g_string_append (text, "\n\n");
      g_string_append (text, escaped);
    }

  gtk_label_set_markup (self->error_instructions_label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->error_instructions_label), text->len > 0);
}

static void
show_problem (MailAccountAssistant       *self,
              MailAssistantProblem       *problem,
              const MailAutoconfigReport *report)
{
  adw_status_page_set_title (self->error_page, problem->title);
  adw_status_page_set_description (self->error_page, problem->description);
  adw_status_page_set_icon_name (self->error_page, problem->icon_name);
  self->retry_form = problem->retry_form;
  self->retry_sign_in = FALSE;
  show_instructions (self, report);
  set_page (self, "error");
  gtk_widget_grab_focus (self->retry_button);
}

static void
take_report (MailAccountAssistant *self,
             MailAutoconfigReport *report)
{
  g_clear_pointer (&self->report, mail_autoconfig_report_free);
  self->report = report;
  self->manual_stale = TRUE;

  if (mail_autoconfig_report_is_usable (report))
    {
      mail_assistant_summary_set_report (self->summary, report);
      set_page (self, "summary");
      gtk_widget_grab_focus (GTK_WIDGET (self->summary));
    }
  else
    {
      g_autoptr (MailAssistantProblem) problem = mail_assistant_problem_from_report (report);

      show_problem (self, problem, report);
    }
}

typedef struct
{
  MailAccountAssistant *self;
  GCancellable         *cancellable;
} DetectData;

static void
detect_data_free (DetectData *data)
{
  set_pending (data->self, data->self->pending - 1);
  g_object_unref (data->self);
  g_object_unref (data->cancellable);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DetectData, detect_data_free)

static void
detect_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr (DetectData) data = user_data;
  MailAccountAssistant *self = data->self;
  g_autoptr (MailAutoconfigReport) report = NULL;
  g_autoptr (GError) error = NULL;

  report = mail_autoconfig_detect_finish (MAIL_AUTOCONFIG (source), result, &error);

  /* Cancelled, or replaced by a newer detection: the form is already back. */
  if (g_cancellable_is_cancelled (data->cancellable) || data->cancellable != self->cancellable)
    return;

  drop_detection (self);

  if (report != NULL)
    {
      g_debug ("detection for %s took %" G_GINT64_FORMAT " ms", report->address,
               report->elapsed_ms);
      take_report (self, g_steal_pointer (&report));
    }
  else
    {
      g_autoptr (MailAssistantProblem) problem =
        mail_assistant_problem_from_error (error, mail_account_assistant_get_address (self));

      g_clear_pointer (&self->report, mail_autoconfig_report_free);
      self->manual_stale = TRUE;
      show_problem (self, problem, NULL);
    }
}

static GTlsDatabase *
find_tls_database (MailAccountAssistant *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *app = GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root))
                                             : NULL;

  return MAIL_IS_APPLICATION (app) ? mail_application_get_tls_database (MAIL_APPLICATION (app))
                                   : NULL;
}

static void
start_detection (MailAccountAssistant *self)
{
  g_autofree char *address = g_strstrip (g_strdup (mail_account_assistant_get_address (self)));
  g_autofree char *ispdb_url = g_settings_get_string (self->settings, "ispdb-url");
  g_autofree char *description = NULL;
  DetectData *data;

  drop_detection (self);

  g_free (self->domain);
  self->domain = NULL;
  mail_address_parse (address, NULL, &self->domain);

  self->engine = mail_autoconfig_new ();
  mail_autoconfig_set_tls_database (self->engine, find_tls_database (self));
  mail_autoconfig_set_ispdb_url (self->engine, ispdb_url);
  mail_autoconfig_set_budget (self->engine,
                              g_settings_get_uint (self->settings, "autodetect-timeout"));

  /* Live progress. */
  g_signal_connect_object (self->engine, "step", G_CALLBACK (step_cb), self, G_CONNECT_DEFAULT);

  self->cancellable = g_cancellable_new ();
  data = g_new0 (DetectData, 1);
  data->self = g_object_ref (self);
  data->cancellable = g_object_ref (self->cancellable);
  set_pending (self, self->pending + 1);

  description = g_strdup_printf (_("Looking for the mail servers of %s…"), self->domain);
  adw_status_page_set_title (self->progress_page, _("Looking for Your Settings"));
  adw_status_page_set_description (self->progress_page, description);
  set_page (self, "progress");
  gtk_widget_grab_focus (self->cancel_button);

  mail_autoconfig_detect_async (self->engine, address,
                                gtk_editable_get_text (GTK_EDITABLE (self->password_row)),
                                self->cancellable, detect_cb, data);
}

static void
continue_action_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  MailAccountAssistant *self = MAIL_ACCOUNT_ASSISTANT (widget);

  if (!mail_account_assistant_can_continue (self))
    return;

  g_signal_emit (self, signals[SIGNAL_SETUP_REQUESTED], 0);
  start_detection (self);
}

static void
cancel_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  MailAccountAssistant *self = MAIL_ACCOUNT_ASSISTANT (widget);

  /* Cancelling the sign-in after approval goes back to the settings, still approved. */
  if (self->sign_in_cancellable != NULL)
    {
      drop_sign_in (self);
      set_page (self, "summary");
      gtk_widget_grab_focus (GTK_WIDGET (self->summary));
      return;
    }

  drop_detection (self);
  set_page (self, "form");
  gtk_widget_grab_focus (GTK_WIDGET (self->continue_button));
}

static void
back_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  MailAccountAssistant *self = MAIL_ACCOUNT_ASSISTANT (widget);
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  if (g_strcmp0 (page, "progress") == 0)
    {
      cancel_action_cb (widget, NULL, NULL);
      return;
    }

  if (g_strcmp0 (page, "manual") == 0 && self->manual_return_page != NULL)
    set_page (self, self->manual_return_page);
  else if (g_strcmp0 (page, "error") == 0 && self->retry_sign_in)
    set_page (self, "summary");
  else if (g_strcmp0 (page, "form") != 0)
    set_page (self, "form");
}

static void
manual_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  MailAccountAssistant *self = MAIL_ACCOUNT_ASSISTANT (widget);
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  if (!self->can_continue)
    return;

  drop_detection (self);
  self->manual_return_page = g_strcmp0 (page, "summary") == 0 ? "summary"
                             : g_strcmp0 (page, "error") == 0 ? "error"
                                                              : "form";

  if (self->manual_stale)
    {
      g_autofree char *address = g_strstrip (g_strdup (mail_account_assistant_get_address (self)));

      mail_assistant_manual_set_account (self->manual, address,
                                         gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
      mail_assistant_manual_set_tls_database (self->manual, find_tls_database (self));
      /* Only what was found for this very address. */
      mail_assistant_manual_prefill (self->manual,
                                     self->report != NULL &&
                                     g_strcmp0 (self->report->address, address) == 0
                                       ? self->report : NULL);
      self->manual_stale = FALSE;
    }

  set_page (self, "manual");
  gtk_widget_grab_focus (GTK_WIDGET (self->manual));
}

typedef struct
{
  MailAccountAssistant *self;
  GCancellable         *cancellable;
  guint                 index;
} SignInData;

static void
sign_in_data_free (SignInData *data)
{
  set_pending (data->self, data->self->pending - 1);
  g_object_unref (data->self);
  g_object_unref (data->cancellable);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SignInData, sign_in_data_free)

static void
emit_account_ready (MailAccountAssistant    *self,
                    MailAutoconfigCandidate *incoming,
                    MailAutoconfigCandidate *outgoing,
                    gboolean                 manual);

/* Both sign-ins ended: the rows show how each went, then either the account is added or
 * the first failure (incoming first) gets the error page. */
static void
sign_in_finished (MailAccountAssistant *self)
{
  const char *address = self->report != NULL ? self->report->address
                                             : mail_account_assistant_get_address (self);
  MailServerCheckResult *failed = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (self->sign_in_results); i++)
    {
      MailServerCheckResult *result = self->sign_in_results[i];

      if (result == NULL)
        continue;
      mail_assistant_summary_set_sign_in_result (self->summary, result);
      if (failed == NULL && !(result->ok && result->authenticated))
        failed = result;
    }

  if (failed != NULL)
    {
      g_autoptr (MailAutoconfigCandidate) candidate =
        failed->protocol == MAIL_PROTOCOL_SMTP
          ? mail_assistant_summary_dup_outgoing (self->summary)
          : mail_assistant_summary_dup_incoming (self->summary);
      g_autoptr (MailAssistantProblem) problem =
        mail_assistant_problem_from_check (failed, candidate != NULL ? candidate->username : NULL,
                                           address);

      g_debug ("sign-in to %s:%u failed: %s", failed->host, failed->port,
               failed->message != NULL ? failed->message : "");
      drop_sign_in (self);
      show_problem (self, problem, self->report);
      /* A refused password is corrected on the form; anything else is tried again on the
       * same approved servers, and Back returns to them. */
      self->retry_sign_in = TRUE;
      return;
    }

  drop_sign_in (self);
  set_page (self, "summary");
  gtk_widget_grab_focus (GTK_WIDGET (self->summary));
  emit_account_ready (self, mail_assistant_summary_dup_incoming (self->summary),
                      mail_assistant_summary_dup_outgoing (self->summary), FALSE);
}

static void
sign_in_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr (SignInData) data = user_data;
  MailAccountAssistant *self = data->self;
  g_autoptr (MailServerCheckResult) check = NULL;
  g_autoptr (GError) error = NULL;

  check = mail_server_check_finish (result, &error);

  /* Cancelled, or replaced by a newer sign-in or detection. */
  if (g_cancellable_is_cancelled (data->cancellable) ||
      data->cancellable != self->sign_in_cancellable)
    return;

  if (check == NULL)
    {
      /* The check reports failures in its result; an error here is a bug or a
       * cancellation, shown like a failed check all the same. */
      check = g_new0 (MailServerCheckResult, 1);
      check->category = mail_error_categorize (error);
      check->message = g_strdup (error->message);
      check->error = g_steal_pointer (&error);
    }

  g_clear_pointer (&self->sign_in_results[data->index], mail_server_check_result_free);
  self->sign_in_results[data->index] = g_steal_pointer (&check);

  if (--self->sign_in_pending == 0)
    sign_in_finished (self);
}

static void
start_one_sign_in (MailAccountAssistant          *self,
                   const MailAutoconfigCandidate *candidate,
                   guint                          index,
                   GTlsDatabase                  *database)
{
  MailServerCheckOptions options = {
    .user = candidate->username,
    .password = gtk_editable_get_text (GTK_EDITABLE (self->password_row)),
    .database = database,
    /* Only reached through the gate, where a server without encryption needs the user's
     * approval, whose text names the missing encryption. */
    .allow_plaintext_password = candidate->security == MAIL_SECURITY_NONE,
    .timeout_seconds = SIGN_IN_TIMEOUT,
  };
  SignInData *data = g_new0 (SignInData, 1);

  data->self = g_object_ref (self);
  data->cancellable = g_object_ref (self->sign_in_cancellable);
  data->index = index;
  set_pending (self, self->pending + 1);
  self->sign_in_pending++;

  mail_server_check_async (candidate->protocol, candidate->host, candidate->port,
                           candidate->security, &options, self->sign_in_cancellable, sign_in_cb,
                           data);
}

/* Signs in to both chosen servers at the same time, with the password of the form; only
 * called once the user approved the settings (or the engine signed in to them already,
 * which the summary then shows as such and is skipped here). */
static void
start_sign_in (MailAccountAssistant *self)
{
  g_autoptr (MailAutoconfigCandidate) incoming = NULL;
  g_autoptr (MailAutoconfigCandidate) outgoing = NULL;
  GTlsDatabase *database = find_tls_database (self);
  const char *approved_hosts[3] = { NULL, NULL, NULL };
  g_autoptr (GPtrArray) hosts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *joined = NULL;
  g_autofree char *description = NULL;

  incoming = mail_assistant_summary_dup_incoming (self->summary);
  outgoing = mail_assistant_summary_dup_outgoing (self->summary);
  if (incoming == NULL || outgoing == NULL ||
      !mail_assistant_summary_get_can_confirm (self->summary))
    return;

  /* The user approved exactly the two servers the summary shows, when it asked. */
  if (mail_assistant_summary_get_needs_approval (self->summary))
    {
      approved_hosts[0] = incoming->host;
      approved_hosts[1] = outgoing->host;
    }

  drop_sign_in (self);
  self->sign_in_cancellable = g_cancellable_new ();

  for (guint i = 0; i < 2; i++)
    {
      MailAutoconfigCandidate *candidate = i == 0 ? incoming : outgoing;
      g_autofree char *host = NULL;

      if (candidate->verified)
        continue;
      /* The same gate as the engine's: the password only goes where it may. */
      if (!mail_autoconfig_candidate_may_sign_in (candidate, approved_hosts, TRUE))
        {
          g_warning ("Not signing in to %s: it was not approved", candidate->host);
          continue;
        }

      start_one_sign_in (self, candidate, i, database);
      host = mail_assistant_host_for_display (candidate->host);
      if (!g_ptr_array_find_with_equal_func (hosts, host, g_str_equal, NULL))
        g_ptr_array_add (hosts, g_steal_pointer (&host));
    }

  if (self->sign_in_pending == 0)
    {
      drop_sign_in (self);
      return;
    }

  g_ptr_array_add (hosts, NULL);
  joined = g_strjoinv (", ", (char **) hosts->pdata);
  description = g_strdup_printf (_("Signing in to %s with your password…"), joined);
  adw_status_page_set_title (self->progress_page, _("Signing In"));
  adw_status_page_set_description (self->progress_page, description);
  set_page (self, "progress");
  gtk_widget_grab_focus (self->cancel_button);
}

static void
retry_action_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  MailAccountAssistant *self = MAIL_ACCOUNT_ASSISTANT (widget);

  /* A refused password is corrected on the form; anything else may be passing (the
   * network, a busy server), so the same detection runs again. */
  if (self->retry_form || !self->can_continue)
    {
      set_page (self, "form");
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return;
    }

  /* The approved servers did not answer: sign in to them once more. */
  if (self->retry_sign_in)
    {
      start_sign_in (self);
      return;
    }

  start_detection (self);
}

static void
emit_account_ready (MailAccountAssistant    *self,
                    MailAutoconfigCandidate *incoming,
                    MailAutoconfigCandidate *outgoing,
                    gboolean                 manual)
{
  g_signal_emit (self, signals[SIGNAL_ACCOUNT_READY], 0, incoming, outgoing, manual);
  mail_autoconfig_candidate_free (incoming);
  mail_autoconfig_candidate_free (outgoing);
}

static void
summary_confirmed_cb (MailAccountAssistant *self)
{
  g_autoptr (MailAutoconfigCandidate) incoming = NULL;
  g_autoptr (MailAutoconfigCandidate) outgoing = NULL;

  incoming = mail_assistant_summary_dup_incoming (self->summary);
  outgoing = mail_assistant_summary_dup_outgoing (self->summary);
  if (incoming == NULL || outgoing == NULL)
    return;

  /* Settings the engine signed in to are added as they are; anything else was approved
   * by the user just now and is signed in to first. */
  if (incoming->verified && outgoing->verified)
    emit_account_ready (self, g_steal_pointer (&incoming), g_steal_pointer (&outgoing), FALSE);
  else
    start_sign_in (self);
}

static void
manual_confirmed_cb (MailAccountAssistant *self)
{
  emit_account_ready (self, mail_assistant_manual_dup_incoming (self->manual),
                      mail_assistant_manual_dup_outgoing (self->manual), TRUE);
}

static void
entry_activated_cb (MailAccountAssistant *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "assistant.continue", NULL);
}

static void
mail_account_assistant_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  MailAccountAssistant *self = MAIL_ACCOUNT_ASSISTANT (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, mail_account_assistant_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mail_account_assistant_dispose (GObject *object)
{
  MailAccountAssistant *self = MAIL_ACCOUNT_ASSISTANT (object);

  drop_detection (self);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (object), MAIL_TYPE_ACCOUNT_ASSISTANT);

  G_OBJECT_CLASS (mail_account_assistant_parent_class)->dispose (object);
}

static void
mail_account_assistant_finalize (GObject *object)
{
  MailAccountAssistant *self = MAIL_ACCOUNT_ASSISTANT (object);

  g_clear_pointer (&self->report, mail_autoconfig_report_free);
  g_clear_pointer (&self->domain, g_free);
  g_clear_pointer (&self->sign_in_results[0], mail_server_check_result_free);
  g_clear_pointer (&self->sign_in_results[1], mail_server_check_result_free);

  G_OBJECT_CLASS (mail_account_assistant_parent_class)->finalize (object);
}

static void
mail_account_assistant_class_init (MailAccountAssistantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = mail_account_assistant_get_property;
  object_class->dispose = mail_account_assistant_dispose;
  object_class->finalize = mail_account_assistant_finalize;

  /**
   * MailAccountAssistant:busy:
   *
   * Whether a detection, or the sign-in to approved settings, is still running,
   * including one that was cancelled and has not wound down yet.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MailAccountAssistant::setup-requested:
   *
   * Emitted when the user asks to set up the account they entered, just before
   * automatic setup starts.
   */
  signals[SIGNAL_SETUP_REQUESTED] =
    g_signal_new ("setup-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  /**
   * MailAccountAssistant::account-ready:
   * @self: the assistant
   * @incoming: (type MailAutoconfigCandidate): the incoming server; for POP3 its hints
   *   hold the user's choices
   * @outgoing: (type MailAutoconfigCandidate): the outgoing server
   * @manual: whether the user typed the settings on the manual page (then the
   *   candidates' source and origin carry no meaning, and a candidate's certificate,
   *   when set, is one the user chose to trust for exactly that server: pin it)
   *
   * Emitted when the user confirmed settings that work: both servers were signed in to
   * with the password, or the user approved what could not be proven. The candidates
   * are only valid during the emission.
   */
  signals[SIGNAL_ACCOUNT_READY] =
    g_signal_new ("account-ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 3,
                  MAIL_TYPE_AUTOCONFIG_CANDIDATE | G_SIGNAL_TYPE_STATIC_SCOPE,
                  MAIL_TYPE_AUTOCONFIG_CANDIDATE | G_SIGNAL_TYPE_STATIC_SCOPE, G_TYPE_BOOLEAN);

  g_type_ensure (MAIL_TYPE_ASSISTANT_SUMMARY);
  g_type_ensure (MAIL_TYPE_ASSISTANT_MANUAL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/Mail/ui/mail-account-assistant.ui");
  gtk_widget_class_bind_template_child (widget_class, MailAccountAssistant, window_title);
  gtk_widget_class_bind_template_child (widget_class, MailAccountAssistant, back_button);
  gtk_widget_class_bind_template_child (widget_class, MailAccountAssistant, stack);
  gtk_widget_class_bind_template_child (widget_class, MailAccountAssistant, name_row);
  gtk_widget_class_bind_template_child (widget_class, MailAccountAssistant, address_row);
  gtk_widget_class_bind_template_child (widget_class, MailAccountAssistant, password_row);
  gtk_widget_class_bind_template_child (widget_class, MailAccountAssistant, continue_button);
  gtk_widget_class_bind_template_child (widget_class, MailAccountAssistant, progress_page);
  gtk_widget_class_bind_template_child (widget_class, MailAccountAssistant, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, MailAccountAssistant, error_page);
  gtk_widget_class_bind_template_child (widget_class, MailAccountAssistant,
                                        error_instructions_label);
  gtk_widget_class_bind_template_child (widget_class, MailAccountAssistant, retry_button);
  gtk_widget_class_bind_template_child (widget_class, MailAccountAssistant, summary);
  gtk_widget_class_bind_template_child (widget_class, MailAccountAssistant, manual);
  gtk_widget_class_bind_template_callback (widget_class, entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, summary_confirmed_cb);
  gtk_widget_class_bind_template_callback (widget_class, manual_confirmed_cb);

  gtk_widget_class_install_action (widget_class, "assistant.continue", NULL, continue_action_cb);
  gtk_widget_class_install_action (widget_class, "assistant.cancel", NULL, cancel_action_cb);
  gtk_widget_class_install_action (widget_class, "assistant.back", NULL, back_action_cb);
  gtk_widget_class_install_action (widget_class, "assistant.manual", NULL, manual_action_cb);
  gtk_widget_class_install_action (widget_class, "assistant.retry", NULL, retry_action_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "assistant.back", NULL);
}

static void
mail_account_assistant_init (MailAccountAssistant *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  mail_account_assistant_update (self);
  set_page (self, "form");
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
 * mail_account_assistant_get_display_name:
 * @self: a #MailAccountAssistant
 *
 * Returns: (transfer none): the name as typed (may be empty)
 */
const char *
mail_account_assistant_get_display_name (MailAccountAssistant *self)
{
  g_return_val_if_fail (MAIL_IS_ACCOUNT_ASSISTANT (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->name_row));
}

/**
 * mail_account_assistant_get_password:
 * @self: a #MailAccountAssistant
 *
 * The password of the form, for the handler of #MailAccountAssistant::account-ready to
 * hand to the keyring. Never store it anywhere else.
 *
 * Returns: (transfer none): the password as typed
 */
const char *
mail_account_assistant_get_password (MailAccountAssistant *self)
{
  g_return_val_if_fail (MAIL_IS_ACCOUNT_ASSISTANT (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->password_row));
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

/**
 * mail_account_assistant_get_page:
 * @self: a #MailAccountAssistant
 *
 * Returns: (transfer none): the page shown: "form", "progress", "summary", "error" or
 *   "manual"
 */
const char *
mail_account_assistant_get_page (MailAccountAssistant *self)
{
  g_return_val_if_fail (MAIL_IS_ACCOUNT_ASSISTANT (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

/**
 * mail_account_assistant_get_busy:
 * @self: a #MailAccountAssistant
 *
 * Returns: whether a detection is still running (see #MailAccountAssistant:busy)
 */
gboolean
mail_account_assistant_get_busy (MailAccountAssistant *self)
{
  g_return_val_if_fail (MAIL_IS_ACCOUNT_ASSISTANT (self), FALSE);

  return self->pending > 0;
}

/**
 * mail_account_assistant_show_report:
 * @self: a #MailAccountAssistant
 * @report: what a detection found
 *
 * Shows @report as a finished detection does: the summary when it is usable, the error
 * page otherwise. A running detection is cancelled. @report is copied.
 */
void
mail_account_assistant_show_report (MailAccountAssistant       *self,
                                    const MailAutoconfigReport *report)
{
  g_return_if_fail (MAIL_IS_ACCOUNT_ASSISTANT (self));
  g_return_if_fail (report != NULL);

  drop_detection (self);
  g_free (self->domain);
  self->domain = NULL;
  mail_address_parse (report->address, NULL, &self->domain);
  take_report (self, report_copy (report));
}
