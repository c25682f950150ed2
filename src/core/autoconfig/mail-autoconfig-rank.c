/* mail-autoconfig-rank.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The priority rule, without I/O: candidates ranked within a lookup (IMAP before POP3,
 * implicit TLS before STARTTLS before nothing, then the source's own order), the decision
 * per direction over the lookups in priority order, the candidates chosen from the winner,
 * and what answered badly. */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-autoconfig-private.h"

static Entry *
entry_at (GPtrArray *entries,
          guint      index)
{
  return g_ptr_array_index (entries, index);
}

guint
_mail_autoconfig_direction_of (MailProtocol protocol)
{
  return protocol == MAIL_PROTOCOL_SMTP ? DIRECTION_OUTGOING : DIRECTION_INCOMING;
}

static guint
security_rank (MailSecurity security)
{
  switch (security)
    {
    case MAIL_SECURITY_TLS:
      return 0;
    case MAIL_SECURITY_STARTTLS:
      return 1;
    case MAIL_SECURITY_NONE:
    default:
      return 2;
    }
}

/* IMAP before POP3, then implicit TLS before STARTTLS before nothing, then the source's
 * own order. */
static int
entry_compare (gconstpointer a,
               gconstpointer b)
{
  const Entry *x = *(const Entry * const *) a;
  const Entry *y = *(const Entry * const *) b;

  if (x->candidate->protocol != y->candidate->protocol)
    return x->candidate->protocol < y->candidate->protocol ? -1 : 1;
  if (x->candidate->security != y->candidate->security)
    return security_rank (x->candidate->security) < security_rank (y->candidate->security) ? -1 : 1;
  if (x->index != y->index)
    return x->index < y->index ? -1 : 1;
  return 0;
}

/* One probe per protocol, host, port and security, however many sources name it. */
char *
_mail_autoconfig_make_probe_key (MailProtocol  protocol,
                                 const char   *host,
                                 guint16       port,
                                 MailSecurity  security)
{
  return g_strdup_printf ("%s %s %u %s", mail_protocol_to_string (protocol), host, port,
                          mail_security_to_string (security));
}

char *
_mail_autoconfig_probe_key (const MailAutoconfigCandidate *candidate)
{
  return _mail_autoconfig_make_probe_key (candidate->protocol, candidate->host, candidate->port,
                                          candidate->security);
}

/* @lookup's candidates for @direction (without plaintext ones unless @allow_plain), best
 * first. */
static GPtrArray *
ranked_entries (Lookup   *lookup,
                guint     direction,
                gboolean  allow_plain)
{
  GPtrArray *ranked = g_ptr_array_new ();

  for (guint j = 0; j < lookup->entries->len; j++)
    {
      Entry *entry = g_ptr_array_index (lookup->entries, j);

      if (_mail_autoconfig_direction_of (entry->candidate->protocol) == direction &&
          (allow_plain || entry->candidate->security != MAIL_SECURITY_NONE))
        g_ptr_array_add (ranked, entry);
    }
  g_ptr_array_sort (ranked, entry_compare);

  return ranked;
}

Decision
_mail_autoconfig_decide (GPtrArray  *lookups,
                         guint       direction,
                         gboolean    allow_plain,
                         Lookup    **winner)
{
  for (guint i = 0; i < lookups->len; i++)
    {
      Lookup *lookup = g_ptr_array_index (lookups, i);
      g_autoptr (GPtrArray) ranked = NULL;

      if (lookup->state == LOOKUP_PENDING)
        return DECISION_WAIT;
      if (lookup->state == LOOKUP_FAILED)
        continue;

      ranked = ranked_entries (lookup, direction, allow_plain);
      for (guint j = 0; j < ranked->len; j++)
        {
          Entry *entry = g_ptr_array_index (ranked, j);

          if (entry->state != ENTRY_DONE)
            return DECISION_WAIT;
          if (entry->candidate->reachable)
            {
              *winner = lookup;
              return DECISION_FOUND;
            }
        }
    }

  return DECISION_NONE;
}

GPtrArray *
_mail_autoconfig_chosen_candidates (Lookup   *lookup,
                                    guint     direction,
                                    gboolean  allow_plain)
{
  g_autoptr (GPtrArray) ranked = ranked_entries (lookup, direction, allow_plain);
  GPtrArray *chosen = g_ptr_array_new_with_free_func (CANDIDATE_FREE);

  for (guint j = 0; j < ranked->len; j++)
    {
      Entry *entry = entry_at (ranked, j);

      /* What a source named but was not probed before the decision stays, as named. */
      if (entry->state == ENTRY_DONE ? entry->candidate->reachable
                                     : lookup->source != MAIL_AUTOCONFIG_SOURCE_GUESS)
        g_ptr_array_add (chosen, mail_autoconfig_candidate_copy (entry->candidate));
    }

  return chosen;
}

/* What answered badly: every failed server a source named, and the guessed ones that
 * exist but could not be used as they are (a certificate, no TLS). */
void
_mail_autoconfig_collect_rejected (GPtrArray *lookups,
                                   Lookup    *guess,
                                   GPtrArray *rejected)
{
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < lookups->len; i++)
    {
      Lookup *lookup = g_ptr_array_index (lookups, i);

      for (guint j = 0; j < lookup->entries->len; j++)
        {
          Entry *entry = g_ptr_array_index (lookup->entries, j);
          MailAutoconfigCandidate *candidate = entry->candidate;
          MailErrorCategory category = candidate->error_category;
          char *key;

          if (entry->state != ENTRY_DONE || category == MAIL_ERROR_CATEGORY_NONE)
            continue;
          if (lookup == guess && category != MAIL_ERROR_CATEGORY_TLS_CERTIFICATE &&
              category != MAIL_ERROR_CATEGORY_TLS_REQUIRED &&
              category != MAIL_ERROR_CATEGORY_STARTTLS_UNAVAILABLE)
            continue;
          key = _mail_autoconfig_probe_key (candidate);
          if (!g_hash_table_add (seen, key))
            continue;
          g_ptr_array_add (rejected, mail_autoconfig_candidate_copy (candidate));
        }
    }
}
