/* mail-autoconfig-verify.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Probing candidates (connect, secure, read the capabilities; no password) and signing in
 * to the chosen ones, each sign-in through the one gate of
 * mail_autoconfig_candidate_may_sign_in(). */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-autoconfig-private.h"
#include "mail-autoconfig-dns.h"
#include "mail-autoconfig-prober.h"
#include "mail-net-error.h"
#include "mail-server-check.h"

/* Probing --------------------------------------------------------------------------------- */

static gboolean
certificate_names_usable_host (MailCertificateInfo  *info,
                               const char           *host,
                               char                **proposed)
{
  GTlsCertificate *certificate;
  g_autoptr (GPtrArray) names = NULL;

  if (info == NULL ||
      mail_certificate_info_get_errors (info) != G_TLS_CERTIFICATE_BAD_IDENTITY)
    return FALSE;

  certificate = mail_certificate_info_get_certificate (info);
  names = certificate != NULL ? g_tls_certificate_get_dns_names (certificate) : NULL;
  for (guint i = 0; names != NULL && i < names->len; i++)
    {
      gsize size;
      const char *data = g_bytes_get_data (g_ptr_array_index (names, i), &size);
      g_autofree char *name = g_strndup (data, size);

      if (strlen (name) != size || name[0] == '\0' || strchr (name, ' ') != NULL)
        continue;
      if (g_str_has_prefix (name, "*."))
        {
          const char *dot = strchr (host, '.');
          g_autofree char *first = dot != NULL ? g_strndup (host, dot - host) : g_strdup (host);

          /* *.provider.net for imap.example.com: offer imap.provider.net. */
          g_free (name);
          name = g_strconcat (first, name + 1, NULL);
        }
      if (strchr (name, '*') != NULL || strchr (name, '.') == NULL ||
          g_ascii_strcasecmp (name, host) == 0)
        continue;
      *proposed = g_ascii_strdown (name, -1);
      return TRUE;
    }

  return FALSE;
}

/* Whether a password can sign in where @result connected: some mechanism that takes one,
 * when the server lists any (IMAP has its LOGIN command besides, unless LOGINDISABLED; a
 * server that lists nothing is given the benefit of the doubt). */
static gboolean
offers_password_sign_in (const MailServerCheckResult *result)
{
  const char * const *mechanisms = (const char * const *) result->auth_mechanisms;

  if (mechanisms == NULL || mechanisms[0] == NULL)
    return result->protocol != MAIL_PROTOCOL_IMAP || result->capabilities == NULL ||
           !g_strv_contains ((const char * const *) result->capabilities, "LOGINDISABLED");
  if (g_strv_contains (mechanisms, "PLAIN") || g_strv_contains (mechanisms, "LOGIN"))
    return TRUE;

  return result->protocol == MAIL_PROTOCOL_IMAP && result->capabilities != NULL &&
         !g_strv_contains ((const char * const *) result->capabilities, "LOGINDISABLED");
}

static void
apply_probe_result (Detection                   *det,
                    Entry                       *entry,
                    const MailServerCheckResult *result)
{
  MailAutoconfigCandidate *candidate = entry->candidate;
  g_autofree char *proposed = NULL;

  entry->state = ENTRY_DONE;
  candidate->probed = TRUE;
  candidate->reachable = result->ok;
  if (result->auth_mechanisms != NULL && result->auth_mechanisms[0] != NULL)
    {
      g_strfreev (candidate->auth);
      candidate->auth = g_strdupv (result->auth_mechanisms);
    }
  g_set_object (&candidate->certificate, result->certificate);
  candidate->error_category = result->ok ? MAIL_ERROR_CATEGORY_NONE : result->category;
  g_free (candidate->error_message);
  candidate->error_message = g_strdup (result->message);

  if (result->ok && !offers_password_sign_in (result))
    {
      g_autofree char *mechanisms = g_strjoinv (" ", result->auth_mechanisms);

      /* It answers, but a password cannot sign in there (OAuth only, say). */
      candidate->reachable = FALSE;
      candidate->error_category = MAIL_ERROR_CATEGORY_MISSING_CAPABILITY;
      g_free (candidate->error_message);
      candidate->error_message =
        g_strdup_printf (_("The server %s offers no way of signing in with a password (it "
                           "offers %s)."), candidate->host, mechanisms);
      return;
    }

  if (result->ok)
    return;

  /* The server answered, in plaintext only: keep that as a last resort, never silently.
   * Not when bytes were slipped in after the STARTTLS reply, or the server claimed the
   * user was signed in before TLS: someone is tampering with that connection. */
  if (result->category == MAIL_ERROR_CATEGORY_STARTTLS_UNAVAILABLE &&
      candidate->security == MAIL_SECURITY_STARTTLS &&
      !g_error_matches (result->error, MAIL_NET_ERROR, MAIL_NET_ERROR_STARTTLS_INJECTION) &&
      !g_error_matches (result->error, MAIL_NET_ERROR, MAIL_NET_ERROR_STARTTLS_PREAUTH))
    {
      MailAutoconfigCandidate *plain = mail_autoconfig_candidate_copy (candidate);
      Entry *twin;

      plain->security = MAIL_SECURITY_NONE;
      plain->trust = MAIL_AUTOCONFIG_TRUST_INSECURE;
      plain->reachable = TRUE;
      plain->error_category = MAIL_ERROR_CATEGORY_NONE;
      g_clear_pointer (&plain->error_message, g_free);
      if (!_mail_autoconfig_lookup_accepts (entry->lookup, plain))
        {
          /* The file named the plaintext form itself; its own probe says more. */
          mail_autoconfig_candidate_free (plain);
          return;
        }
      twin = _mail_autoconfig_lookup_add_candidate (entry->lookup, plain);
      twin->state = ENTRY_DONE;
      return;
    }

  /* A valid certificate for another host: propose that host rather than an override. */
  if (result->category == MAIL_ERROR_CATEGORY_TLS_CERTIFICATE &&
      candidate->source != MAIL_AUTOCONFIG_SOURCE_CERTIFICATE &&
      certificate_names_usable_host (result->certificate, candidate->host, &proposed))
    {
      MailAutoconfigCandidate *other = mail_autoconfig_candidate_copy (candidate);
      Entry *entry_other;

      g_free (other->host);
      other->host = g_steal_pointer (&proposed);
      g_free (other->origin);
      other->origin = g_strdup (candidate->host);
      other->source = MAIL_AUTOCONFIG_SOURCE_CERTIFICATE;
      other->probed = other->reachable = FALSE;
      other->error_category = MAIL_ERROR_CATEGORY_NONE;
      g_clear_pointer (&other->error_message, g_free);
      g_clear_object (&other->certificate);
      if (!mail_autoconfig_domain_contains (det->domain_ascii, other->host) &&
          other->trust == MAIL_AUTOCONFIG_TRUST_VERIFIED)
        other->trust = MAIL_AUTOCONFIG_TRUST_PLAUSIBLE;
      _mail_autoconfig_candidate_set_domains (other, candidate->host);
      if (!_mail_autoconfig_host_is_usable (other->host))
        {
          mail_autoconfig_candidate_free (other);
          return;
        }
      entry_other = _mail_autoconfig_lookup_add_candidate (entry->lookup, other);
      /* Rank it right after the host it replaces. */
      entry_other->index = entry->index;
      _mail_autoconfig_entry_start_probe (det, entry_other);
    }
}

static void
probe_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr (Detection) det = user_data;
  g_autoptr (GPtrArray) results = mail_autoconfig_prober_run_finish (result, NULL);
  Probe *probe;
  g_autofree char *key = NULL;
  g_autoptr (GPtrArray) waiting = NULL;
  MailServerCheckResult *check;
  g_autofree char *outcome = NULL;
  g_autofree char *target = NULL;
  MailAutoconfigSource source;

  if (det->phase != PHASE_DISCOVERY || results == NULL || results->len == 0)
    return;

  check = g_ptr_array_index (results, 0);
  key = _mail_autoconfig_make_probe_key (check->protocol, check->host, check->port,
                                         check->security);
  probe = g_hash_table_lookup (det->probes, key);
  if (probe == NULL || probe->done)
    return;

  check = g_ptr_array_steal_index (results, 0);
  probe->done = TRUE;
  probe->result = check;
  waiting = g_steal_pointer (&probe->waiting);
  probe->waiting = g_ptr_array_new ();

  if (check->ok)
    {
      g_autofree char *mechanisms = check->auth_mechanisms != NULL
                                    ? g_strjoinv (" ", check->auth_mechanisms) : g_strdup ("");

      if (check->tls_version != NULL)
        outcome = g_strdup_printf (_("answered over %s; sign-in: %s"), check->tls_version,
                                   *mechanisms != '\0' ? mechanisms : _("no mechanism listed"));
      else
        outcome = g_strdup_printf (_("answered without encryption; sign-in: %s"),
                                   *mechanisms != '\0' ? mechanisms : _("no mechanism listed"));
    }
  else
    {
      outcome = g_strdup_printf ("%s: %s", mail_error_category_to_string (check->category),
                                 check->message != NULL ? check->message : "");
    }

  /* Several sources may have named this server; the step belongs to the best of them. */
  source = MAIL_AUTOCONFIG_SOURCE_CERTIFICATE;
  for (guint i = 0; i < waiting->len; i++)
    source = MIN (source, ((Entry *) g_ptr_array_index (waiting, i))->candidate->source);
  target = g_strdup_printf ("%s %s:%u (%s)", mail_protocol_to_display_name (check->protocol),
                            check->host, check->port, mail_security_to_string (check->security));
  _mail_autoconfig_add_step (det, source, target, probe->started, outcome);

  for (guint i = 0; i < waiting->len; i++)
    apply_probe_result (det, g_ptr_array_index (waiting, i), check);

  /* A name that does not exist does not exist on the other ports either. */
  if (g_error_matches (check->error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND) &&
      det->guess != NULL)
    for (guint i = 0; i < det->guess->entries->len; i++)
      {
        Entry *entry = g_ptr_array_index (det->guess->entries, i);

        if (entry->state == ENTRY_WAITING &&
            g_ascii_strcasecmp (entry->candidate->host, check->host) == 0)
          apply_probe_result (det, entry, check);
      }

  _mail_autoconfig_advance (det);
}

void
_mail_autoconfig_entry_start_probe (Detection *det,
                                    Entry     *entry)
{
  g_autofree char *key = _mail_autoconfig_probe_key (entry->candidate);
  Probe *probe = g_hash_table_lookup (det->probes, key);

  if (entry->state != ENTRY_WAITING)
    return;

  entry->state = ENTRY_PROBING;

  if (probe != NULL && probe->done)
    {
      apply_probe_result (det, entry, probe->result);
      return;
    }
  if (probe != NULL)
    {
      g_ptr_array_add (probe->waiting, entry);
      return;
    }

  probe = g_new0 (Probe, 1);
  probe->key = g_strdup (key);
  probe->waiting = g_ptr_array_new ();
  probe->started = g_get_monotonic_time ();
  g_ptr_array_add (probe->waiting, entry);
  g_hash_table_insert (det->probes, probe->key, probe);

  mail_autoconfig_prober_run_async (entry->candidate, NULL, NULL, det->self->database,
                                    PROBE_TIMEOUT_SECONDS, det->cancellable, probe_done_cb,
                                    _mail_autoconfig_detection_ref (det));
}

/* Signing in ------------------------------------------------------------------------------ */

typedef struct
{
  Detection *det;
  guint      direction;
  guint      index;
  gint64     started;
} VerifyCall;

static void verify_candidate (Detection *det, guint direction, guint index);

static char **
username_forms (Detection                     *det,
                const MailAutoconfigCandidate *candidate)
{
  const char *forms[] = { candidate->username, det->address, det->local_part };
  GPtrArray *users = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (forms) && users->len < 2; i++)
    {
      gboolean seen = FALSE;

      if (forms[i] == NULL || *forms[i] == '\0')
        continue;
      for (guint j = 0; j < users->len; j++)
        seen = seen || strcmp (g_ptr_array_index (users, j), forms[i]) == 0;
      if (!seen)
        g_ptr_array_add (users, g_strdup (forms[i]));
    }
  g_ptr_array_add (users, NULL);

  return (char **) g_ptr_array_free (users, FALSE);
}

static void
set_direction_error (Detection         *det,
                     guint              direction,
                     MailErrorCategory  category,
                     const char        *message)
{
  MailAutoconfigReport *report = det->report;

  if (direction == DIRECTION_INCOMING)
    {
      g_clear_error (&report->incoming_error);
      report->incoming_error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, message);
      report->incoming_category = category;
    }
  else
    {
      g_clear_error (&report->outgoing_error);
      report->outgoing_error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, message);
      report->outgoing_category = category;
    }
}

/* Whether the password may go to @candidate: the same gate for the first sign-in and for
 * every fallback. When not, the trace says why it was not tried. */
static gboolean
may_sign_in (Detection                     *det,
             const MailAutoconfigCandidate *candidate)
{
  g_autofree char *target = NULL;

  /* The password never goes over an unencrypted connection from here, nor to a server
   * that only someone else's word (the ISPDB, DNS, plain HTTP, another host's certificate)
   * named, unless the caller approved exactly that host. */
  if (mail_autoconfig_candidate_may_sign_in (candidate,
                                             (const char * const *) det->approved_hosts, FALSE))
    return TRUE;

  target = g_strdup_printf (_("sign in to %s:%u"), candidate->host, candidate->port);
  _mail_autoconfig_add_step (det, candidate->source, target, g_get_monotonic_time (),
                             candidate->security == MAIL_SECURITY_NONE
                             ? _("not attempted: the connection is not encrypted")
                             : _("not attempted: these settings need your approval first"));

  return FALSE;
}

/* The first chosen candidate of @direction from @from on that may be signed in to, or -1. */
static int
next_sign_in (Detection *det,
              guint      direction,
              guint      from)
{
  GPtrArray *chosen = det->chosen[direction];

  for (guint i = from; i < chosen->len && i < MAX_LOGIN_CANDIDATES; i++)
    if (may_sign_in (det, g_ptr_array_index (chosen, i)))
      return (int) i;

  return -1;
}

static void
verify_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  VerifyCall *call = user_data;
  g_autoptr (Detection) det = call->det;
  g_autoptr (GPtrArray) results = mail_autoconfig_prober_run_finish (result, NULL);
  guint direction = call->direction;
  guint index = call->index;
  MailAutoconfigCandidate *candidate;
  MailServerCheckResult *last;
  gint64 started = call->started;
  g_auto (GStrv) users = NULL;
  int next;

  g_free (call);
  if (det->phase != PHASE_VERIFICATION)
    return;

  candidate = g_ptr_array_index (det->chosen[direction], index);
  users = username_forms (det, candidate);
  for (guint i = 0; results != NULL && i < results->len; i++)
    {
      MailServerCheckResult *attempt = g_ptr_array_index (results, i);
      g_autofree char *target = g_strdup_printf (_("sign in to %s:%u"), candidate->host,
                                                 candidate->port);
      g_autofree char *outcome = NULL;

      if (attempt->authenticated)
        outcome = g_strdup_printf (_("signed in as “%s”"), users[i]);
      else if (attempt->category == MAIL_ERROR_CATEGORY_AUTH_FAILED)
        outcome = g_strdup_printf (_("refused “%s”: %s"), users[i],
                                   attempt->message != NULL ? attempt->message : "");
      else
        outcome = g_strdup_printf ("%s: %s", mail_error_category_to_string (attempt->category),
                                   attempt->message != NULL ? attempt->message : "");
      _mail_autoconfig_add_step (det, candidate->source, target, started, outcome);
    }

  last = results != NULL && results->len > 0 ? g_ptr_array_index (results, results->len - 1) : NULL;

  if (last != NULL && last->authenticated)
    {
      candidate->verified = TRUE;
      g_free (candidate->username);
      candidate->username = g_strdup (users[results->len - 1]);
      if (last->auth_mechanisms != NULL && last->auth_mechanisms[0] != NULL)
        {
          g_strfreev (candidate->auth);
          candidate->auth = g_strdupv (last->auth_mechanisms);
        }
      /* The best candidate works: it goes first. */
      if (index > 0)
        {
          MailAutoconfigCandidate *moved = g_ptr_array_steal_index (det->chosen[direction], index);

          g_ptr_array_insert (det->chosen[direction], 0, moved);
        }
    }
  else if (last == NULL || g_cancellable_is_cancelled (det->verify_cancellable))
    {
      set_direction_error (det, direction, MAIL_ERROR_CATEGORY_TIMEOUT,
                           _("Signing in took longer than the time limit."));
    }
  else if (last->category == MAIL_ERROR_CATEGORY_AUTH_FAILED ||
           last->category == MAIL_ERROR_CATEGORY_APP_PASSWORD)
    {
      g_autofree char *message = NULL;
      gboolean app = last->category == MAIL_ERROR_CATEGORY_APP_PASSWORD;

      candidate->error_category = app ? MAIL_ERROR_CATEGORY_APP_PASSWORD : last->category;
      g_free (candidate->error_message);
      candidate->error_message = g_strdup (last->message);
      if (app)
        message = g_strdup_printf (_("%s does not let mail applications sign in with this "
                                     "password: it asks for an app password, or for mail "
                                     "access to be turned on in its web settings (%s)."),
                                   candidate->host, last->message);
      else if (results->len > 1)
        message = g_strdup_printf (_("The %s server %s did not accept the password for %s "
                                     "(tried as “%s” and as “%s”)."),
                                   mail_protocol_to_display_name (candidate->protocol),
                                   candidate->host, det->address, users[0], users[1]);
      else
        message = g_strdup_printf (_("The %s server %s did not accept the password for %s."),
                                   mail_protocol_to_display_name (candidate->protocol),
                                   candidate->host, det->address);
      set_direction_error (det, direction, candidate->error_category, message);
    }
  else if ((next = next_sign_in (det, direction, index + 1)) >= 0)
    {
      /* That server failed for another reason; the next candidate may work, if the
       * password may go there as well. */
      candidate->error_category = last->category;
      g_free (candidate->error_message);
      candidate->error_message = g_strdup (last->message);
      verify_candidate (det, direction, next);
      return;
    }
  else
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("Could not sign in to the %s server %s: %s"),
                                 mail_protocol_to_display_name (candidate->protocol),
                                 candidate->host, last->message != NULL ? last->message : "");

      candidate->error_category = last->category;
      set_direction_error (det, direction, last->category, message);
    }

  if (--det->verifying == 0)
    _mail_autoconfig_finish (det);
}

static void
verify_candidate (Detection *det,
                  guint      direction,
                  guint      index)
{
  MailAutoconfigCandidate *candidate = g_ptr_array_index (det->chosen[direction], index);
  g_auto (GStrv) users = username_forms (det, candidate);
  VerifyCall *call = g_new0 (VerifyCall, 1);
  gint64 left;
  guint timeout;

  call->det = _mail_autoconfig_detection_ref (det);
  call->direction = direction;
  call->index = index;
  call->started = g_get_monotonic_time ();
  /* What is left of the budget, but time for a slow server to say hello all the same. */
  left = (gint64) det->self->budget - _mail_autoconfig_detection_elapsed_ms (det) / 1000;
  timeout = (guint) CLAMP (left, 2, LOGIN_TIMEOUT_SECONDS);
  mail_autoconfig_prober_run_async (candidate, (const char * const *) users, det->password,
                                    det->self->database, timeout, det->verify_cancellable,
                                    verify_done_cb, call);
}

void
_mail_autoconfig_start_verification (Detection *det)
{
  if (det->password == NULL || !det->verify)
    {
      _mail_autoconfig_finish (det);
      return;
    }

  /* Approving in advance approves what the user is shown: the first choice of each
   * direction, by its host. A fallback to another host is not covered. */
  for (guint d = 0; d < N_DIRECTIONS; d++)
    if (det->self->approved && det->chosen[d]->len > 0)
      {
        MailAutoconfigCandidate *best = g_ptr_array_index (det->chosen[d], 0);

        if (best->security != MAIL_SECURITY_NONE)
          det->approved_hosts[d] = g_strdup (best->host);
      }

  for (guint d = 0; d < N_DIRECTIONS; d++)
    {
      /* When the first choice may not be signed in to, the next is not tried in its place:
       * the first choice is what the user will be asked to approve. */
      if (det->chosen[d]->len == 0 || !may_sign_in (det, g_ptr_array_index (det->chosen[d], 0)))
        continue;
      det->verifying++;
      verify_candidate (det, d, 0);
    }

  if (det->verifying == 0)
    _mail_autoconfig_finish (det);
}
