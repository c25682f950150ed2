/* mail-autoconfig.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The orchestrator of account autodetection: from an address (and a password) to ranked,
 * probed and verified server settings.
 *
 * Lookups. Every source starts at once, each as one or more lookups kept in priority
 * order: local files, the provider's HTTPS autoconfig (autoconfig.DOMAIN, then
 * DOMAIN/.well-known), the ISPDB, the MX-derived lookups (inserted where the MX lookup
 * stands once the MX host is known), SRV, plain-HTTP autoconfig, and guessing. A lookup
 * that answers yields candidates; each candidate is probed (connect, secure the
 * connection as it says, read the capabilities, no password) on a shared pool of worker
 * threads, and identical host/port/security triples are probed once.
 *
 * The priority rule. For each direction (incoming, outgoing) the winner is the first
 * lookup, in priority order, that has a reachable candidate once everything above that
 * candidate (higher lookups, and better-ranked candidates of the same lookup) is finished.
 * A faster lower lookup therefore never beats a slower higher one; once both directions
 * have a winner every other lookup and probe is cancelled. Plaintext candidates only count
 * when no lookup has anything encrypted.
 *
 * Guessing is a lookup like the others, whose candidates are the likely host names and
 * ports, probed with a small stagger in rank order: it is decided as soon as the best
 * possible guess is confirmed.
 *
 * Time. The whole detection has a hard budget; at five seconds, when an HTTPS or SRV
 * lookup has answered, lookups still waiting are given up. Cancelling the caller's
 * GCancellable returns at once and shuts every socket and request down.
 *
 * Verification. With a password, the best incoming and outgoing candidates are signed in
 * to at the same time, with at most two user-name forms each. Nothing carries the password
 * before a TLS connection to the right host is up: probes never send it, and sign-ins
 * only go to encrypted candidates.
 *
 * Everything here runs on the caller's thread-default main context; only the probes and
 * sign-ins run on worker threads, as plain mail_server_check_sync() calls.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-address.h"
#include "mail-secret-buffer.h"
#include "mail-autoconfig-private.h"
#include "mail-task.h"

enum
{
  SIGNAL_STEP,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (MailAutoconfig, mail_autoconfig, G_TYPE_OBJECT)

/* A detection's lifetime ------------------------------------------------------------------ */

static void
probe_free (Probe *probe)
{
  g_free (probe->key);
  g_clear_pointer (&probe->result, mail_server_check_result_free);
  g_ptr_array_unref (probe->waiting);
  g_free (probe);
}

void
_mail_autoconfig_destroy_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
detection_clear (Detection *det)
{
  _mail_autoconfig_destroy_source (&det->cancel_source);
  _mail_autoconfig_destroy_source (&det->budget_source);
  _mail_autoconfig_destroy_source (&det->early_source);
  _mail_autoconfig_destroy_source (&det->guess_source);
  g_clear_object (&det->task);
  g_clear_object (&det->self);
  g_clear_pointer (&det->context, g_main_context_unref);
  g_free (det->address);
  g_free (det->local_part);
  g_free (det->domain);
  g_free (det->domain_ascii);
  for (guint d = 0; d < N_DIRECTIONS; d++)
    g_free (det->approved_hosts[d]);
  mail_secret_free_string (det->password);
  g_clear_object (&det->cancellable);
  g_clear_object (&det->verify_cancellable);
  g_clear_pointer (&det->fetcher, mail_autoconfig_fetcher_free);
  g_clear_pointer (&det->lookups, g_ptr_array_unref);
  g_clear_pointer (&det->probes, g_hash_table_unref);
  for (guint d = 0; d < N_DIRECTIONS; d++)
    g_clear_pointer (&det->chosen[d], g_ptr_array_unref);
  g_clear_pointer (&det->report, mail_autoconfig_report_free);
}

Detection *
_mail_autoconfig_detection_ref (Detection *det)
{
  return g_atomic_rc_box_acquire (det);
}

void
_mail_autoconfig_detection_unref (Detection *det)
{
  g_atomic_rc_box_release_full (det, (GDestroyNotify) detection_clear);
}

gint64
_mail_autoconfig_detection_elapsed_ms (Detection *det)
{
  return (g_get_monotonic_time () - det->started) / 1000;
}

GSource *
_mail_autoconfig_detection_add_timeout (Detection   *det,
                                        guint        ms,
                                        GSourceFunc  func)
{
  GSource *source = g_timeout_source_new (ms);

  g_source_set_callback (source, func, _mail_autoconfig_detection_ref (det),
                         (GDestroyNotify) _mail_autoconfig_detection_unref);
  g_source_attach (source, det->context);

  return source;
}

void
_mail_autoconfig_add_step (Detection            *det,
                           MailAutoconfigSource  source,
                           const char           *target,
                           gint64                started,
                           const char           *outcome)
{
  MailAutoconfigStep *step = g_new0 (MailAutoconfigStep, 1);

  step->source = source;
  step->target = g_strdup (target);
  step->outcome = g_strdup (outcome);
  step->at_ms = _mail_autoconfig_detection_elapsed_ms (det);
  step->ms = (g_get_monotonic_time () - started) / 1000;
  g_debug ("autoconfig: [%s] %s: %s (%" G_GINT64_FORMAT " ms)",
           mail_autoconfig_source_to_string (source), target, outcome, step->ms);
  g_ptr_array_add (det->report->trace, step);
  g_signal_emit (det->self, signals[SIGNAL_STEP], 0, step);
}

/* Deciding, and the timers that hurry it -------------------------------------------------- */

/* " Its SHA-256 fingerprint is …" after a refused certificate, so that the user can
 * compare it with what the provider publishes; "" otherwise. */
static char *
describe_fingerprint (const MailAutoconfigCandidate *candidate)
{
  const char *fingerprint;

  if (candidate->error_category != MAIL_ERROR_CATEGORY_TLS_CERTIFICATE ||
      candidate->certificate == NULL)
    return g_strdup ("");
  fingerprint = mail_certificate_info_get_fingerprint (candidate->certificate);

  return g_strdup_printf (_(" Its SHA-256 fingerprint is %s."), fingerprint);
}

/* The most telling failure for a direction when nothing is usable: the first server that
 * answered badly (report->rejected, in priority order), or nothing found at all. */
static void
set_not_found (Detection *det,
               guint      direction)
{
  MailAutoconfigReport *report = det->report;
  GError **error = direction == DIRECTION_INCOMING ? &report->incoming_error
                                                    : &report->outgoing_error;
  MailErrorCategory *category = direction == DIRECTION_INCOMING ? &report->incoming_category
                                                                 : &report->outgoing_category;

  for (guint i = 0; i < report->rejected->len; i++)
    {
      MailAutoconfigCandidate *candidate = g_ptr_array_index (report->rejected, i);
      g_autofree char *fingerprint = NULL;

      if (_mail_autoconfig_direction_of (candidate->protocol) != direction)
        continue;
      fingerprint = describe_fingerprint (candidate);
      *category = candidate->error_category;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("%s server %s:%u was found (%s) but could not be used: %s%s"),
                   mail_protocol_to_display_name (candidate->protocol), candidate->host,
                   candidate->port, mail_autoconfig_source_to_string (candidate->source),
                   candidate->error_message != NULL ? candidate->error_message : "",
                   fingerprint);
      return;
    }

  *category = MAIL_ERROR_CATEGORY_NOT_FOUND;
  if (direction == DIRECTION_INCOMING)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 _("No incoming mail server (IMAP or POP3) was found for %s."), det->domain);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 _("No outgoing mail server (SMTP) was found for %s."), det->domain);
}

static void
stop_discovery (Detection *det)
{
  _mail_autoconfig_destroy_source (&det->early_source);
  _mail_autoconfig_destroy_source (&det->guess_source);
  for (guint i = 0; i < det->lookups->len; i++)
    {
      Lookup *lookup = g_ptr_array_index (det->lookups, i);

      _mail_autoconfig_lookup_fail (det, lookup, _("not needed: a better source answered"));
      g_cancellable_cancel (lookup->cancellable);
    }
  g_cancellable_cancel (det->cancellable);
}

void
_mail_autoconfig_advance (Detection *det)
{
  if (det->phase != PHASE_DISCOVERY)
    return;

  if (!det->guess_started && _mail_autoconfig_published_sources_exhausted (det))
    _mail_autoconfig_start_guessing (det);

  for (guint d = 0; d < N_DIRECTIONS; d++)
    {
      Lookup *winner = NULL;
      Decision decision;
      gboolean plain = FALSE;

      if (det->decided[d])
        continue;

      decision = _mail_autoconfig_decide (det->lookups, d, FALSE, &winner);
      if (decision == DECISION_NONE)
        {
          plain = TRUE;
          decision = _mail_autoconfig_decide (det->lookups, d, TRUE, &winner);
        }
      if (decision == DECISION_WAIT)
        continue;

      det->decided[d] = TRUE;
      det->winner[d] = winner;
      if (decision == DECISION_FOUND)
        det->chosen[d] = _mail_autoconfig_chosen_candidates (winner, d, plain);
      else
        det->chosen[d] = g_ptr_array_new_with_free_func (CANDIDATE_FREE);
    }

  if (!det->decided[DIRECTION_INCOMING] || !det->decided[DIRECTION_OUTGOING])
    return;

  stop_discovery (det);
  _mail_autoconfig_collect_rejected (det->lookups, det->guess, det->report->rejected);
  for (guint d = 0; d < N_DIRECTIONS; d++)
    if (det->chosen[d]->len == 0)
      set_not_found (det, d);

  det->phase = PHASE_VERIFICATION;
  _mail_autoconfig_start_verification (det);
}

/* Gives up on whatever has not answered yet and decides with the rest. */
static void
give_up_pending (Detection  *det,
                 const char *reason)
{
  for (guint i = 0; i < det->lookups->len; i++)
    {
      Lookup *lookup = g_ptr_array_index (det->lookups, i);

      if (_mail_autoconfig_lookup_is_pending (lookup))
        _mail_autoconfig_lookup_fail (det, lookup, reason);
    }
}

/* Gives up on the probes of @lookup that have not answered yet. */
static void
give_up_entries (Detection *det,
                 Lookup    *lookup)
{
  if (lookup == NULL)
    return;

  for (guint j = 0; j < lookup->entries->len; j++)
    {
      Entry *entry = g_ptr_array_index (lookup->entries, j);
      EntryState was = entry->state;

      if (was == ENTRY_DONE)
        continue;
      entry->state = ENTRY_DONE;
      entry->candidate->reachable = FALSE;
      if (was == ENTRY_PROBING)
        {
          entry->candidate->error_category = MAIL_ERROR_CATEGORY_TIMEOUT;
          g_free (entry->candidate->error_message);
          entry->candidate->error_message = g_strdup (_("No answer within the time limit."));
        }
    }
}

/* Gives up on every lookup and probe still running: what has not answered by now counts
 * as not answering. */
static void
give_up_everything (Detection  *det,
                    const char *reason)
{
  give_up_pending (det, reason);
  for (guint i = 0; i < det->lookups->len; i++)
    give_up_entries (det, g_ptr_array_index (det->lookups, i));
}

static gboolean
early_answer_cb (gpointer data)
{
  Detection *det = data;
  gboolean have_answer = FALSE;

  g_clear_pointer (&det->early_source, g_source_unref);

  for (guint i = 0; i < det->lookups->len; i++)
    {
      Lookup *lookup = g_ptr_array_index (det->lookups, i);

      if (lookup->state == LOOKUP_ANSWERED &&
          (lookup->source == MAIL_AUTOCONFIG_SOURCE_HTTPS ||
           lookup->source == MAIL_AUTOCONFIG_SOURCE_ISPDB ||
           lookup->source == MAIL_AUTOCONFIG_SOURCE_MX ||
           lookup->source == MAIL_AUTOCONFIG_SOURCE_SRV))
        have_answer = TRUE;
    }

  /* What answered goes on being probed (each probe has its own short timeouts); what has
   * not answered by now, and guessing, are given up. */
  if (have_answer)
    {
      give_up_pending (det, _("given up: a settings file or SRV record answered, and the "
                              "answer is due within five seconds"));
      give_up_entries (det, det->guess);
      _mail_autoconfig_destroy_source (&det->guess_source);
      _mail_autoconfig_advance (det);
    }

  return G_SOURCE_REMOVE;
}

static gboolean
budget_cb (gpointer data)
{
  Detection *det = data;

  g_clear_pointer (&det->budget_source, g_source_unref);

  if (det->phase == PHASE_DISCOVERY)
    {
      give_up_everything (det, _("given up: the time limit was reached"));
      _mail_autoconfig_advance (det);
    }
  else if (det->phase == PHASE_VERIFICATION)
    {
      g_cancellable_cancel (det->verify_cancellable);
    }

  return G_SOURCE_REMOVE;
}

/* Finishing ------------------------------------------------------------------------------- */

static void
add_instructions (Detection *det,
                  Lookup    *lookup)
{
  GPtrArray *instructions = det->report->instructions;

  if (lookup == NULL || lookup->config == NULL)
    return;

  for (guint pass = 0; pass < 2; pass++)
    {
      GPtrArray *links = pass == 0 ? lookup->config->instructions : lookup->config->documentation;

      for (guint i = 0; i < links->len; i++)
        {
          MailAutoconfigLink *link = g_ptr_array_index (links, i);
          const char *text = NULL;
          g_autofree char *line = NULL;
          gboolean seen = FALSE;

          if (link->texts != NULL && link->texts->len > 0)
            text = ((MailAutoconfigText *) g_ptr_array_index (link->texts, 0))->text;
          if (text != NULL && link->url != NULL)
            line = g_strdup_printf ("%s (%s)", text, link->url);
          else
            line = g_strdup (text != NULL ? text : link->url);
          if (line == NULL)
            continue;
          for (guint j = 0; j < instructions->len; j++)
            seen = seen || strcmp (g_ptr_array_index (instructions, j), line) == 0;
          if (!seen)
            g_ptr_array_add (instructions, g_steal_pointer (&line));
        }
    }
}

void
_mail_autoconfig_finish (Detection *det)
{
  MailAutoconfigReport *report;
  GTask *task;

  if (det->phase == PHASE_FINISHED)
    return;
  if (det->phase == PHASE_DISCOVERY)
    stop_discovery (det);
  det->phase = PHASE_FINISHED;
  g_cancellable_cancel (det->verify_cancellable);
  _mail_autoconfig_destroy_source (&det->cancel_source);
  _mail_autoconfig_destroy_source (&det->budget_source);
  _mail_autoconfig_destroy_source (&det->early_source);
  _mail_autoconfig_destroy_source (&det->guess_source);

  report = det->report;
  for (guint d = 0; d < N_DIRECTIONS; d++)
    {
      GPtrArray *target = d == DIRECTION_INCOMING ? report->incoming : report->outgoing;

      if (det->chosen[d] != NULL)
        for (guint i = 0; i < det->chosen[d]->len; i++)
          g_ptr_array_add (target,
                           mail_autoconfig_candidate_copy (g_ptr_array_index (det->chosen[d], i)));
    }
  add_instructions (det, det->winner[DIRECTION_INCOMING]);
  if (det->winner[DIRECTION_OUTGOING] != det->winner[DIRECTION_INCOMING])
    add_instructions (det, det->winner[DIRECTION_OUTGOING]);
  report->elapsed_ms = _mail_autoconfig_detection_elapsed_ms (det);
  det->report = NULL;

  task = g_steal_pointer (&det->task);
  g_task_return_pointer (task, report, (GDestroyNotify) mail_autoconfig_report_free);
  g_object_unref (task);
}

static gboolean
cancelled_cb (GCancellable *cancellable,
              gpointer      data)
{
  Detection *det = data;
  GTask *task;

  g_clear_pointer (&det->cancel_source, g_source_unref);
  if (det->phase == PHASE_FINISHED)
    return G_SOURCE_REMOVE;

  det->phase = PHASE_FINISHED;
  g_cancellable_cancel (det->cancellable);
  g_cancellable_cancel (det->verify_cancellable);
  for (guint i = 0; i < det->lookups->len; i++)
    g_cancellable_cancel (((Lookup *) g_ptr_array_index (det->lookups, i))->cancellable);
  _mail_autoconfig_destroy_source (&det->budget_source);
  _mail_autoconfig_destroy_source (&det->early_source);
  _mail_autoconfig_destroy_source (&det->guess_source);

  task = g_steal_pointer (&det->task);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           _("Automatic setup was cancelled."));
  g_object_unref (task);

  return G_SOURCE_REMOVE;
}

/* GObject --------------------------------------------------------------------------------- */

static void
mail_autoconfig_finalize (GObject *object)
{
  MailAutoconfig *self = MAIL_AUTOCONFIG (object);

  g_clear_object (&self->database);
  g_free (self->ispdb_url);
  g_strfreev (self->local_dirs);

  G_OBJECT_CLASS (mail_autoconfig_parent_class)->finalize (object);
}

static void
mail_autoconfig_class_init (MailAutoconfigClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mail_autoconfig_finalize;

  /**
   * MailAutoconfig::step:
   * @self: the detector
   * @step: (type MailAutoconfigStep): the step that just ended, valid during the emission
   *
   * Emitted on the detection's main context as each step of a detection ends: for a
   * progress display.
   */
  signals[SIGNAL_STEP] = g_signal_new ("step", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                       MAIL_TYPE_AUTOCONFIG_STEP | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
mail_autoconfig_init (MailAutoconfig *self)
{
  self->ispdb_url = g_strdup (MAIL_AUTOCONFIG_DEFAULT_ISPDB_URL);
  self->local_dirs = mail_autoconfig_default_local_dirs ();
  self->budget = MAIL_AUTOCONFIG_DEFAULT_BUDGET;
  self->verify = TRUE;
}

/**
 * mail_autoconfig_new:
 *
 * Returns: (transfer full): a detector with the default ISPDB, local directories and budget
 */
MailAutoconfig *
mail_autoconfig_new (void)
{
  return g_object_new (MAIL_TYPE_AUTOCONFIG, NULL);
}

/**
 * mail_autoconfig_set_tls_database:
 * @self: a detector
 * @database: (nullable): the certificate authorities to trust; %NULL for the system's
 */
void
mail_autoconfig_set_tls_database (MailAutoconfig *self,
                                  GTlsDatabase   *database)
{
  g_return_if_fail (MAIL_IS_AUTOCONFIG (self));

  g_set_object (&self->database, database);
}

/**
 * mail_autoconfig_set_ispdb_url:
 * @self: a detector
 * @url: (nullable): the ISPDB base URL (the domain is appended, or replaces `{{domain}}`);
 *   %NULL or "" to not ask the ISPDB
 */
void
mail_autoconfig_set_ispdb_url (MailAutoconfig *self,
                               const char     *url)
{
  g_return_if_fail (MAIL_IS_AUTOCONFIG (self));

  g_free (self->ispdb_url);
  self->ispdb_url = g_strdup (url);
}

/**
 * mail_autoconfig_set_local_dirs:
 * @self: a detector
 * @dirs: (array zero-terminated=1): directories of `DOMAIN.xml` provider files, first wins
 */
void
mail_autoconfig_set_local_dirs (MailAutoconfig     *self,
                                const char * const *dirs)
{
  g_return_if_fail (MAIL_IS_AUTOCONFIG (self));

  g_strfreev (self->local_dirs);
  self->local_dirs = g_strdupv ((char **) dirs);
}

/**
 * mail_autoconfig_set_budget:
 * @self: a detector
 * @seconds: the hard limit of a detection; 0 for the default
 */
void
mail_autoconfig_set_budget (MailAutoconfig *self,
                            guint           seconds)
{
  g_return_if_fail (MAIL_IS_AUTOCONFIG (self));

  self->budget = seconds > 0 ? seconds : MAIL_AUTOCONFIG_DEFAULT_BUDGET;
}

/**
 * mail_autoconfig_set_verify:
 * @self: a detector
 * @verify: whether to sign in with the password given to a detection
 */
void
mail_autoconfig_set_verify (MailAutoconfig *self,
                            gboolean        verify)
{
  g_return_if_fail (MAIL_IS_AUTOCONFIG (self));

  self->verify = verify;
}

/**
 * mail_autoconfig_set_approved:
 * @self: a detector
 * @approved: whether the user approves, in advance, settings that are less than verified
 *
 * Without approval a detection signs in only to servers whose settings are verified (see
 * #MailAutoconfigTrust); the others come back unverified, for the user to approve and then
 * check. `mail-tool detect --approve` sets this. The approval covers the host chosen first
 * for each direction, the one the user is shown, over an encrypted connection: when signing
 * in there fails, a fallback to another host whose settings are less than verified is not
 * tried (see mail_autoconfig_candidate_may_sign_in()).
 */
void
mail_autoconfig_set_approved (MailAutoconfig *self,
                              gboolean        approved)
{
  g_return_if_fail (MAIL_IS_AUTOCONFIG (self));

  self->approved = approved;
}

/**
 * mail_autoconfig_default_local_dirs:
 *
 * The user's provider directory, then each system configuration directory's, then the
 * one installed with the application.
 *
 * Returns: (transfer full): the directories searched for `DOMAIN.xml`
 */
char **
mail_autoconfig_default_local_dirs (void)
{
  const char * const *system_dirs = g_get_system_config_dirs ();
  GPtrArray *dirs = g_ptr_array_new ();

  g_ptr_array_add (dirs, g_build_filename (g_get_user_data_dir (), APP_ID, "providers", NULL));
  for (guint i = 0; system_dirs[i] != NULL; i++)
    g_ptr_array_add (dirs, g_build_filename (system_dirs[i], APP_ID, "providers", NULL));
  g_ptr_array_add (dirs, g_build_filename (PKGDATADIR, "providers", NULL));
  g_ptr_array_add (dirs, NULL);

  return (char **) g_ptr_array_free (dirs, FALSE);
}

/**
 * mail_autoconfig_detect_async:
 * @self: a detector
 * @address: the email address, as the user typed it
 * @password: (nullable): the password, to verify the result by signing in
 * @cancellable: (nullable): cancels the whole detection at once
 * @callback: called on the caller's thread-default main context
 * @user_data: for @callback
 *
 * Finds the server settings for @address (see the top of this file for how). A report is
 * returned whenever the detection ran, even when nothing usable was found: its errors
 * say why.
 */
void
mail_autoconfig_detect_async (MailAutoconfig      *self,
                              const char          *address,
                              const char          *password,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (Detection) det = NULL;
  g_autofree char *local_part = NULL;
  g_autofree char *domain = NULL;

  g_return_if_fail (MAIL_IS_AUTOCONFIG (self));
  g_return_if_fail (address != NULL);

  task = mail_task_new (self, mail_autoconfig_detect_async, "mail_autoconfig_detect_async",
                        G_PRIORITY_DEFAULT, cancellable, callback, user_data);
  g_task_set_check_cancellable (task, FALSE);

  if (!mail_address_parse (address, &local_part, &domain))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("“%s” is not an email address."), address);
      return;
    }

  det = g_atomic_rc_box_new0 (Detection);
  det->self = g_object_ref (self);
  det->task = g_object_ref (task);
  det->context = g_main_context_ref_thread_default ();
  det->address = g_strdup (address);
  det->local_part = g_steal_pointer (&local_part);
  det->domain = g_hostname_to_unicode (domain);
  det->domain_ascii = g_hostname_to_ascii (domain);
  if (det->domain == NULL)
    det->domain = g_strdup (domain);
  if (det->domain_ascii == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("“%s” is not a valid domain name."), domain);
      return;
    }
  {
    char *lower = g_ascii_strdown (det->domain_ascii, -1);

    g_free (det->domain_ascii);
    det->domain_ascii = lower;
  }
  det->password = g_strdup (password);
  det->verify = self->verify;
  det->started = g_get_monotonic_time ();
  det->cancellable = g_cancellable_new ();
  det->verify_cancellable = g_cancellable_new ();
  det->fetcher = mail_autoconfig_fetcher_new (self->database, MIN (HTTP_TIMEOUT_SECONDS,
                                                                   self->budget));
  det->lookups = g_ptr_array_new_with_free_func ((GDestroyNotify) _mail_autoconfig_lookup_free);
  det->probes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) probe_free);
  det->report = mail_autoconfig_report_new (address);

  if (cancellable != NULL)
    {
      det->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (det->cancel_source, G_SOURCE_FUNC (cancelled_cb),
                             _mail_autoconfig_detection_ref (det),
                             (GDestroyNotify) _mail_autoconfig_detection_unref);
      g_source_attach (det->cancel_source, det->context);
    }
  det->budget_source = _mail_autoconfig_detection_add_timeout (det, self->budget * 1000, budget_cb);
  det->early_source = _mail_autoconfig_detection_add_timeout (det, EARLY_ANSWER_MS,
                                                              early_answer_cb);

  _mail_autoconfig_start_lookups (det);
}

/**
 * mail_autoconfig_detect_finish:
 * @self: a detector
 * @result: the result given to the callback
 * @error: return location for an error: cancelled, or an invalid address
 *
 * Returns: (transfer full): the report, or %NULL with @error set
 */
MailAutoconfigReport *
mail_autoconfig_detect_finish (MailAutoconfig  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mail_autoconfig_detect_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
