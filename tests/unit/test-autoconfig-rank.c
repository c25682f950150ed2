/* test-autoconfig-rank.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The priority rule of autodetection, without servers: lookups and their probed
 * candidates are built by hand, and the decision per direction is read back. */

#include "config.h"

#include "mail-autoconfig-private.h"

static void
entry_free (Entry *entry)
{
  mail_autoconfig_candidate_free (entry->candidate);
  g_free (entry);
}

/* A lookup in @state; free it with _mail_autoconfig_lookup_free(). */
static Lookup *
lookup_new (MailAutoconfigSource source,
            LookupState          state)
{
  Lookup *lookup = g_new0 (Lookup, 1);

  lookup->source = source;
  lookup->target = g_strdup ("example.org");
  lookup->state = state;
  lookup->cancellable = g_cancellable_new ();
  lookup->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);

  return lookup;
}

/* Adds a candidate; @reachable is only read when @state is ENTRY_DONE. */
static Entry *
add (Lookup       *lookup,
     MailProtocol  protocol,
     const char   *host,
     MailSecurity  security,
     EntryState    state,
     gboolean      reachable)
{
  MailAutoconfigCandidate *candidate;
  Entry *entry;

  candidate = mail_autoconfig_candidate_new (protocol, host,
                                             mail_protocol_default_port (protocol, security),
                                             security);
  candidate->source = lookup->source;
  candidate->reachable = state == ENTRY_DONE && reachable;
  candidate->probed = state == ENTRY_DONE;
  if (state == ENTRY_DONE && !reachable)
    candidate->error_category = MAIL_ERROR_CATEGORY_NETWORK;
  entry = _mail_autoconfig_lookup_add_candidate (lookup, candidate);
  entry->state = state;

  return entry;
}

static GPtrArray *
lookups_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) _mail_autoconfig_lookup_free);
}

/* A faster lower source never beats a slower higher one: while the HTTPS lookup is
 * pending, a reachable SRV answer must wait; once HTTPS answers, it wins. */
static void
test_priority (void)
{
  g_autoptr (GPtrArray) lookups = lookups_new ();
  Lookup *https = lookup_new (MAIL_AUTOCONFIG_SOURCE_HTTPS, LOOKUP_PENDING);
  Lookup *srv = lookup_new (MAIL_AUTOCONFIG_SOURCE_SRV, LOOKUP_ANSWERED);
  Lookup *winner = NULL;

  g_ptr_array_add (lookups, https);
  g_ptr_array_add (lookups, srv);
  add (srv, MAIL_PROTOCOL_IMAP, "srv.example.org", MAIL_SECURITY_TLS, ENTRY_DONE, TRUE);

  g_assert_cmpint (_mail_autoconfig_decide (lookups, DIRECTION_INCOMING, FALSE, &winner), ==,
                   DECISION_WAIT);
  g_assert_null (winner);

  /* HTTPS answered, but its candidate is still being probed: still waiting. */
  https->state = LOOKUP_ANSWERED;
  {
    Entry *entry = add (https, MAIL_PROTOCOL_IMAP, "imap.example.org", MAIL_SECURITY_TLS,
                        ENTRY_PROBING, FALSE);

    g_assert_cmpint (_mail_autoconfig_decide (lookups, DIRECTION_INCOMING, FALSE, &winner), ==,
                     DECISION_WAIT);
    entry->state = ENTRY_DONE;
    entry->candidate->reachable = TRUE;
  }
  g_assert_cmpint (_mail_autoconfig_decide (lookups, DIRECTION_INCOMING, FALSE, &winner), ==,
                   DECISION_FOUND);
  g_assert_true (winner == https);

  /* A failed higher lookup is passed over. */
  https->state = LOOKUP_FAILED;
  winner = NULL;
  g_assert_cmpint (_mail_autoconfig_decide (lookups, DIRECTION_INCOMING, FALSE, &winner), ==,
                   DECISION_FOUND);
  g_assert_true (winner == srv);

  /* Nothing for the other direction anywhere. */
  g_assert_cmpint (_mail_autoconfig_decide (lookups, DIRECTION_OUTGOING, FALSE, &winner), ==,
                   DECISION_NONE);
}

/* Within the winner: IMAP before POP3, implicit TLS before STARTTLS, then the file's own
 * order; servers that did not answer are dropped, those not probed yet are kept as
 * named, and plaintext only when asked for. */
static void
test_chosen_order (void)
{
  g_autoptr (GPtrArray) lookups = lookups_new ();
  Lookup *local = lookup_new (MAIL_AUTOCONFIG_SOURCE_LOCAL, LOOKUP_ANSWERED);
  g_autoptr (GPtrArray) chosen = NULL;
  g_autoptr (GPtrArray) plain = NULL;
  const char *expected[] = { "b.example.org", "a.example.org", "e.example.org",
                             "c.example.org" };

  g_ptr_array_add (lookups, local);
  add (local, MAIL_PROTOCOL_POP3, "c.example.org", MAIL_SECURITY_TLS, ENTRY_DONE, TRUE);
  add (local, MAIL_PROTOCOL_IMAP, "a.example.org", MAIL_SECURITY_STARTTLS, ENTRY_DONE, TRUE);
  add (local, MAIL_PROTOCOL_IMAP, "b.example.org", MAIL_SECURITY_TLS, ENTRY_DONE, TRUE);
  add (local, MAIL_PROTOCOL_IMAP, "d.example.org", MAIL_SECURITY_TLS, ENTRY_DONE, FALSE);
  add (local, MAIL_PROTOCOL_IMAP, "e.example.org", MAIL_SECURITY_STARTTLS, ENTRY_WAITING, FALSE);
  add (local, MAIL_PROTOCOL_IMAP, "f.example.org", MAIL_SECURITY_NONE, ENTRY_DONE, TRUE);
  add (local, MAIL_PROTOCOL_SMTP, "smtp.example.org", MAIL_SECURITY_TLS, ENTRY_DONE, TRUE);

  chosen = _mail_autoconfig_chosen_candidates (local, DIRECTION_INCOMING, FALSE);
  g_assert_cmpuint (chosen->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < chosen->len; i++)
    g_assert_cmpstr (((MailAutoconfigCandidate *) g_ptr_array_index (chosen, i))->host, ==,
                     expected[i]);

  plain = _mail_autoconfig_chosen_candidates (local, DIRECTION_INCOMING, TRUE);
  g_assert_cmpuint (plain->len, ==, G_N_ELEMENTS (expected) + 1);
}

/* Plaintext counts only when nothing encrypted exists: without @allow_plain a lookup whose
 * only reachable server is plaintext has nothing. */
static void
test_plaintext_last (void)
{
  g_autoptr (GPtrArray) lookups = lookups_new ();
  Lookup *http = lookup_new (MAIL_AUTOCONFIG_SOURCE_HTTP, LOOKUP_ANSWERED);
  Lookup *winner = NULL;

  g_ptr_array_add (lookups, http);
  add (http, MAIL_PROTOCOL_IMAP, "imap.example.org", MAIL_SECURITY_NONE, ENTRY_DONE, TRUE);

  g_assert_cmpint (_mail_autoconfig_decide (lookups, DIRECTION_INCOMING, FALSE, &winner), ==,
                   DECISION_NONE);
  g_assert_cmpint (_mail_autoconfig_decide (lookups, DIRECTION_INCOMING, TRUE, &winner), ==,
                   DECISION_FOUND);
  g_assert_true (winner == http);
}

/* Rejected: every failed server a source named, once; of the guesses only those that
 * exist but cannot be used as they are. */
static void
test_rejected (void)
{
  g_autoptr (GPtrArray) lookups = lookups_new ();
  g_autoptr (GPtrArray) rejected = g_ptr_array_new_with_free_func (CANDIDATE_FREE);
  Lookup *local = lookup_new (MAIL_AUTOCONFIG_SOURCE_LOCAL, LOOKUP_ANSWERED);
  Lookup *srv = lookup_new (MAIL_AUTOCONFIG_SOURCE_SRV, LOOKUP_ANSWERED);
  Lookup *guess = lookup_new (MAIL_AUTOCONFIG_SOURCE_GUESS, LOOKUP_ANSWERED);
  Entry *certificate;

  g_ptr_array_add (lookups, local);
  g_ptr_array_add (lookups, srv);
  g_ptr_array_add (lookups, guess);
  add (local, MAIL_PROTOCOL_IMAP, "down.example.org", MAIL_SECURITY_TLS, ENTRY_DONE, FALSE);
  add (local, MAIL_PROTOCOL_IMAP, "up.example.org", MAIL_SECURITY_TLS, ENTRY_DONE, TRUE);
  add (srv, MAIL_PROTOCOL_IMAP, "down.example.org", MAIL_SECURITY_TLS, ENTRY_DONE, FALSE);
  add (guess, MAIL_PROTOCOL_IMAP, "imap.example.org", MAIL_SECURITY_TLS, ENTRY_DONE, FALSE);
  certificate = add (guess, MAIL_PROTOCOL_IMAP, "mail.example.org", MAIL_SECURITY_TLS,
                     ENTRY_DONE, FALSE);
  certificate->candidate->error_category = MAIL_ERROR_CATEGORY_TLS_CERTIFICATE;

  _mail_autoconfig_collect_rejected (lookups, guess, rejected);
  g_assert_cmpuint (rejected->len, ==, 2);
  g_assert_cmpstr (((MailAutoconfigCandidate *) g_ptr_array_index (rejected, 0))->host, ==,
                   "down.example.org");
  g_assert_cmpstr (((MailAutoconfigCandidate *) g_ptr_array_index (rejected, 1))->host, ==,
                   "mail.example.org");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/autoconfig/rank/priority", test_priority);
  g_test_add_func ("/autoconfig/rank/chosen-order", test_chosen_order);
  g_test_add_func ("/autoconfig/rank/plaintext-last", test_plaintext_last);
  g_test_add_func ("/autoconfig/rank/rejected", test_rejected);

  return g_test_run ();
}
