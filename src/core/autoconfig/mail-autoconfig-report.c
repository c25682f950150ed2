/* mail-autoconfig-report.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The plain data a detection produces: candidates, the trace and the report. */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-autoconfig-report.h"

G_DEFINE_BOXED_TYPE (MailAutoconfigCandidate, mail_autoconfig_candidate,
                     mail_autoconfig_candidate_copy, mail_autoconfig_candidate_free)
G_DEFINE_BOXED_TYPE (MailAutoconfigStep, mail_autoconfig_step, mail_autoconfig_step_copy,
                     mail_autoconfig_step_free)

static const char * const source_names[] = {
  [MAIL_AUTOCONFIG_SOURCE_LOCAL] = "local",
  [MAIL_AUTOCONFIG_SOURCE_HTTPS] = "https",
  [MAIL_AUTOCONFIG_SOURCE_ISPDB] = "ispdb",
  [MAIL_AUTOCONFIG_SOURCE_MX] = "mx",
  [MAIL_AUTOCONFIG_SOURCE_SRV] = "srv",
  [MAIL_AUTOCONFIG_SOURCE_HTTP] = "http",
  [MAIL_AUTOCONFIG_SOURCE_GUESS] = "guess",
  [MAIL_AUTOCONFIG_SOURCE_CERTIFICATE] = "certificate",
};

G_STATIC_ASSERT (G_N_ELEMENTS (source_names) == MAIL_AUTOCONFIG_N_SOURCES);

/**
 * mail_autoconfig_source_to_string:
 * @source: a source
 *
 * Returns: the stable name of @source, for JSON and the trace
 */
const char *
mail_autoconfig_source_to_string (MailAutoconfigSource source)
{
  g_return_val_if_fail (source < MAIL_AUTOCONFIG_N_SOURCES, "unknown");

  return source_names[source];
}

/**
 * mail_autoconfig_trust_to_string:
 * @trust: a trust level
 *
 * Returns: "verified", "plausible" or "insecure"
 */
const char *
mail_autoconfig_trust_to_string (MailAutoconfigTrust trust)
{
  switch (trust)
    {
    case MAIL_AUTOCONFIG_TRUST_VERIFIED:
      return "verified";
    case MAIL_AUTOCONFIG_TRUST_PLAUSIBLE:
      return "plausible";
    case MAIL_AUTOCONFIG_TRUST_INSECURE:
      return "insecure";
    default:
      g_return_val_if_reached ("insecure");
    }
}

/**
 * mail_autoconfig_candidate_new:
 * @protocol: the protocol
 * @host: the host name, in Unicode or ASCII; it is kept in lower-case ASCII (IDNA)
 * @port: the port
 * @security: the connection security
 *
 * Returns: (transfer full): a candidate with no source details yet
 */
MailAutoconfigCandidate *
mail_autoconfig_candidate_new (MailProtocol  protocol,
                               const char   *host,
                               guint16       port,
                               MailSecurity  security)
{
  MailAutoconfigCandidate *candidate = g_new0 (MailAutoconfigCandidate, 1);

  g_return_val_if_fail (host != NULL, NULL);

  candidate->protocol = protocol;
  /* Files may name hosts in Unicode (or get them from %EMAILDOMAIN%); DNS and TLS want the
   * ASCII form, and so do comparisons. */
  candidate->host = g_hostname_to_ascii (host);
  if (candidate->host == NULL)
    candidate->host = g_strdup (host);
  else
    {
      char *lower = g_ascii_strdown (candidate->host, -1);

      g_free (candidate->host);
      candidate->host = lower;
    }
  /* "imap.example.com." is the same host as "imap.example.com". */
  while (candidate->host[0] != '\0' && g_str_has_suffix (candidate->host, "."))
    candidate->host[strlen (candidate->host) - 1] = '\0';
  candidate->port = port;
  candidate->security = security;
  candidate->auth = g_new0 (char *, 1);
  candidate->domains = g_new0 (char *, 1);
  candidate->trust = MAIL_AUTOCONFIG_TRUST_INSECURE;

  return candidate;
}

/**
 * mail_autoconfig_candidate_copy:
 * @candidate: a candidate
 *
 * Returns: (transfer full): a deep copy of @candidate
 */
MailAutoconfigCandidate *
mail_autoconfig_candidate_copy (const MailAutoconfigCandidate *candidate)
{
  MailAutoconfigCandidate *copy;

  g_return_val_if_fail (candidate != NULL, NULL);

  copy = g_memdup2 (candidate, sizeof *candidate);
  copy->host = g_strdup (candidate->host);
  copy->username = g_strdup (candidate->username);
  copy->auth = g_strdupv (candidate->auth);
  copy->origin = g_strdup (candidate->origin);
  copy->domains = g_strdupv (candidate->domains);
  copy->certificate = candidate->certificate != NULL ? g_object_ref (candidate->certificate) : NULL;
  copy->error_message = g_strdup (candidate->error_message);

  return copy;
}

/**
 * mail_autoconfig_candidate_free:
 * @candidate: (nullable): a candidate
 */
void
mail_autoconfig_candidate_free (MailAutoconfigCandidate *candidate)
{
  if (candidate == NULL)
    return;

  g_free (candidate->host);
  g_free (candidate->username);
  g_strfreev (candidate->auth);
  g_free (candidate->origin);
  g_strfreev (candidate->domains);
  g_clear_object (&candidate->certificate);
  g_free (candidate->error_message);
  g_free (candidate);
}

/**
 * mail_autoconfig_candidate_describe:
 * @candidate: a candidate
 *
 * Returns: (transfer full): "IMAP mail.example.com:993 (TLS)", for logs and the trace
 */
char *
mail_autoconfig_candidate_describe (const MailAutoconfigCandidate *candidate)
{
  g_return_val_if_fail (candidate != NULL, NULL);

  return g_strdup_printf ("%s %s:%u (%s)", mail_protocol_to_string (candidate->protocol),
                          candidate->host, candidate->port,
                          mail_security_to_string (candidate->security));
}

/**
 * mail_autoconfig_step_copy:
 * @step: a step
 *
 * Returns: (transfer full): a copy of @step
 */
MailAutoconfigStep *
mail_autoconfig_step_copy (const MailAutoconfigStep *step)
{
  MailAutoconfigStep *copy;

  g_return_val_if_fail (step != NULL, NULL);

  copy = g_memdup2 (step, sizeof *step);
  copy->target = g_strdup (step->target);
  copy->outcome = g_strdup (step->outcome);

  return copy;
}

/**
 * mail_autoconfig_step_free:
 * @step: (nullable): a step
 */
void
mail_autoconfig_step_free (MailAutoconfigStep *step)
{
  if (step == NULL)
    return;

  g_free (step->target);
  g_free (step->outcome);
  g_free (step);
}

/**
 * mail_autoconfig_candidate_needs_approval:
 * @candidate: a candidate
 *
 * Returns: whether the user has to approve @candidate before a password goes to it: its
 *   settings are less than verified, or its connection is not encrypted
 */
gboolean
mail_autoconfig_candidate_needs_approval (const MailAutoconfigCandidate *candidate)
{
  g_return_val_if_fail (candidate != NULL, TRUE);

  return candidate->trust != MAIL_AUTOCONFIG_TRUST_VERIFIED ||
         candidate->security == MAIL_SECURITY_NONE;
}

/**
 * mail_autoconfig_candidate_may_sign_in:
 * @candidate: a candidate
 * @approved_hosts: (nullable) (array zero-terminated=1): the hosts the user approved,
 *   each by name, for exactly these settings
 * @plaintext_approved: whether that approval named, and accepted, a connection without
 *   encryption
 *
 * The one gate every sign-in with a password passes, the first and every fallback, in
 * detection as in the assistant: the connection is encrypted (or the user accepted that it
 * is not), and the settings are verified or the user approved exactly this host. Whoever
 * named the host otherwise (the ISPDB, DNS, plain HTTP, another host's certificate) could
 * be someone on the network who wants the password.
 *
 * Returns: whether the password may be sent to @candidate
 */
gboolean
mail_autoconfig_candidate_may_sign_in (const MailAutoconfigCandidate *candidate,
                                       const char * const            *approved_hosts,
                                       gboolean                       plaintext_approved)
{
  gboolean approved = FALSE;

  g_return_val_if_fail (candidate != NULL, FALSE);

  if (candidate->host == NULL || candidate->host[0] == '\0')
    return FALSE;

  for (guint i = 0; approved_hosts != NULL && approved_hosts[i] != NULL; i++)
    approved = approved || g_ascii_strcasecmp (approved_hosts[i], candidate->host) == 0;

  if (candidate->security == MAIL_SECURITY_NONE)
    return approved && plaintext_approved;

  return candidate->trust == MAIL_AUTOCONFIG_TRUST_VERIFIED || approved;
}

/**
 * mail_autoconfig_report_new:
 * @address: the address as typed
 *
 * Returns: (transfer full): an empty report
 */
MailAutoconfigReport *
mail_autoconfig_report_new (const char *address)
{
  MailAutoconfigReport *report = g_new0 (MailAutoconfigReport, 1);

  report->address = g_strdup (address);
  report->incoming = g_ptr_array_new_with_free_func ((GDestroyNotify) mail_autoconfig_candidate_free);
  report->outgoing = g_ptr_array_new_with_free_func ((GDestroyNotify) mail_autoconfig_candidate_free);
  report->instructions = g_ptr_array_new_with_free_func (g_free);
  report->trace = g_ptr_array_new_with_free_func ((GDestroyNotify) mail_autoconfig_step_free);
  report->rejected = g_ptr_array_new_with_free_func ((GDestroyNotify) mail_autoconfig_candidate_free);

  return report;
}

/**
 * mail_autoconfig_report_free:
 * @report: (nullable): a report
 */
void
mail_autoconfig_report_free (MailAutoconfigReport *report)
{
  if (report == NULL)
    return;

  g_free (report->address);
  g_ptr_array_unref (report->incoming);
  g_ptr_array_unref (report->outgoing);
  g_ptr_array_unref (report->instructions);
  g_ptr_array_unref (report->trace);
  g_ptr_array_unref (report->rejected);
  g_clear_error (&report->incoming_error);
  g_clear_error (&report->outgoing_error);
  g_free (report);
}

/**
 * mail_autoconfig_report_is_usable:
 * @report: a report
 *
 * Returns: whether there is an incoming and an outgoing server and no error
 */
gboolean
mail_autoconfig_report_is_usable (const MailAutoconfigReport *report)
{
  g_return_val_if_fail (report != NULL, FALSE);

  return report->incoming->len > 0 && report->outgoing->len > 0 &&
         report->incoming_error == NULL && report->outgoing_error == NULL;
}

/**
 * mail_autoconfig_report_needs_approval:
 * @report: a report
 *
 * Returns: whether the first incoming or outgoing candidate is less than verified, or
 *   has no encryption, so the user has to approve it
 */
gboolean
mail_autoconfig_report_needs_approval (const MailAutoconfigReport *report)
{
  g_return_val_if_fail (report != NULL, FALSE);

  for (guint i = 0; i < 2; i++)
    {
      GPtrArray *list = i == 0 ? report->incoming : report->outgoing;
      const MailAutoconfigCandidate *best;

      if (list->len == 0)
        continue;
      best = g_ptr_array_index (list, 0);
      if (mail_autoconfig_candidate_needs_approval (best))
        return TRUE;
    }

  return FALSE;
}
