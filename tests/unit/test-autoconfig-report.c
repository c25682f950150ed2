/* test-autoconfig-report.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The pure parts of autodetection's result: names for JSON, when the user has to approve,
 * and when a candidate may be signed in to. */

#include "config.h"

#include "mail-autoconfig-private.h"
#include "mail-autoconfig-report.h"

static void
test_names (void)
{
  g_assert_cmpstr (mail_autoconfig_source_to_string (MAIL_AUTOCONFIG_SOURCE_LOCAL), ==, "local");
  g_assert_cmpstr (mail_autoconfig_source_to_string (MAIL_AUTOCONFIG_SOURCE_HTTPS), ==, "https");
  g_assert_cmpstr (mail_autoconfig_source_to_string (MAIL_AUTOCONFIG_SOURCE_ISPDB), ==, "ispdb");
  g_assert_cmpstr (mail_autoconfig_source_to_string (MAIL_AUTOCONFIG_SOURCE_MX), ==, "mx");
  g_assert_cmpstr (mail_autoconfig_source_to_string (MAIL_AUTOCONFIG_SOURCE_SRV), ==, "srv");
  g_assert_cmpstr (mail_autoconfig_source_to_string (MAIL_AUTOCONFIG_SOURCE_HTTP), ==, "http");
  g_assert_cmpstr (mail_autoconfig_source_to_string (MAIL_AUTOCONFIG_SOURCE_GUESS), ==, "guess");
  g_assert_cmpstr (mail_autoconfig_trust_to_string (MAIL_AUTOCONFIG_TRUST_VERIFIED), ==, "verified");
  g_assert_cmpstr (mail_autoconfig_trust_to_string (MAIL_AUTOCONFIG_TRUST_PLAUSIBLE), ==, "plausible");
  g_assert_cmpstr (mail_autoconfig_trust_to_string (MAIL_AUTOCONFIG_TRUST_INSECURE), ==, "insecure");
}

static MailAutoconfigCandidate *
candidate (MailProtocol        protocol,
           MailSecurity        security,
           MailAutoconfigTrust trust)
{
  MailAutoconfigCandidate *c = mail_autoconfig_candidate_new (protocol, "mail.example.com",
                                                              993, security);

  c->trust = trust;
  return c;
}

static void
test_approval (void)
{
  g_autoptr (MailAutoconfigReport) report = mail_autoconfig_report_new ("a@example.com");
  g_autoptr (MailAutoconfigCandidate) copy = NULL;

  g_assert_false (mail_autoconfig_report_is_usable (report));

  g_ptr_array_add (report->incoming, candidate (MAIL_PROTOCOL_IMAP, MAIL_SECURITY_TLS,
                                                MAIL_AUTOCONFIG_TRUST_VERIFIED));
  g_assert_false (mail_autoconfig_report_is_usable (report));
  g_ptr_array_add (report->outgoing, candidate (MAIL_PROTOCOL_SMTP, MAIL_SECURITY_STARTTLS,
                                                MAIL_AUTOCONFIG_TRUST_VERIFIED));
  g_assert_true (mail_autoconfig_report_is_usable (report));
  g_assert_false (mail_autoconfig_report_needs_approval (report));

  /* Only the first of each list counts: it is what would be used. */
  g_ptr_array_add (report->outgoing, candidate (MAIL_PROTOCOL_SMTP, MAIL_SECURITY_NONE,
                                                MAIL_AUTOCONFIG_TRUST_INSECURE));
  g_assert_false (mail_autoconfig_report_needs_approval (report));

  g_ptr_array_insert (report->outgoing, 0, candidate (MAIL_PROTOCOL_SMTP, MAIL_SECURITY_TLS,
                                                      MAIL_AUTOCONFIG_TRUST_PLAUSIBLE));
  g_assert_true (mail_autoconfig_report_needs_approval (report));
  g_ptr_array_remove_index (report->outgoing, 0);

  /* Verified but unencrypted still needs consent. */
  ((MailAutoconfigCandidate *) g_ptr_array_index (report->incoming, 0))->security = MAIL_SECURITY_NONE;
  g_assert_true (mail_autoconfig_report_needs_approval (report));

  report->incoming_error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "refused");
  g_assert_false (mail_autoconfig_report_is_usable (report));

  copy = mail_autoconfig_candidate_copy (g_ptr_array_index (report->incoming, 0));
  g_assert_cmpstr (copy->host, ==, "mail.example.com");
  g_assert_cmpint (copy->security, ==, MAIL_SECURITY_NONE);
}

/* The gate before every sign-in: encrypted, and verified or approved by exact host. */
static void
test_may_sign_in (void)
{
  g_autoptr (MailAutoconfigCandidate) candidate = NULL;
  const char *approved[] = { "imap.provider.example", NULL };
  const char *other[] = { "smtp.provider.example", "provider.example", NULL };

  candidate = mail_autoconfig_candidate_new (MAIL_PROTOCOL_IMAP, "imap.provider.example", 993,
                                             MAIL_SECURITY_TLS);

  candidate->trust = MAIL_AUTOCONFIG_TRUST_VERIFIED;
  g_assert_true (mail_autoconfig_candidate_may_sign_in (candidate, NULL, FALSE));

  for (int trust = MAIL_AUTOCONFIG_TRUST_PLAUSIBLE; trust <= MAIL_AUTOCONFIG_TRUST_INSECURE;
       trust++)
    {
      candidate->trust = trust;
      g_assert_false (mail_autoconfig_candidate_may_sign_in (candidate, NULL, FALSE));
      g_assert_false (mail_autoconfig_candidate_may_sign_in (candidate, NULL, TRUE));
      /* Approving another host, or the domain, does not approve this one. */
      g_assert_false (mail_autoconfig_candidate_may_sign_in (candidate, other, TRUE));
      g_assert_true (mail_autoconfig_candidate_may_sign_in (candidate, approved, FALSE));
    }

  /* Host names compare without regard to case. */
  g_free (candidate->host);
  candidate->host = g_strdup ("IMAP.Provider.Example");
  g_assert_true (mail_autoconfig_candidate_may_sign_in (candidate, approved, FALSE));

  /* No encryption: never without an approval that names it, whatever the trust. */
  candidate->security = MAIL_SECURITY_NONE;
  candidate->trust = MAIL_AUTOCONFIG_TRUST_VERIFIED;
  g_assert_false (mail_autoconfig_candidate_may_sign_in (candidate, NULL, FALSE));
  g_assert_false (mail_autoconfig_candidate_may_sign_in (candidate, NULL, TRUE));
  g_assert_false (mail_autoconfig_candidate_may_sign_in (candidate, approved, FALSE));
  g_assert_true (mail_autoconfig_candidate_may_sign_in (candidate, approved, TRUE));
  g_assert_true (mail_autoconfig_candidate_needs_approval (candidate));

  candidate->security = MAIL_SECURITY_STARTTLS;
  g_assert_false (mail_autoconfig_candidate_needs_approval (candidate));
  candidate->trust = MAIL_AUTOCONFIG_TRUST_PLAUSIBLE;
  g_assert_true (mail_autoconfig_candidate_needs_approval (candidate));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/autoconfig/report/names", test_names);
  g_test_add_func ("/autoconfig/report/approval", test_approval);
  g_test_add_func ("/autoconfig/report/may-sign-in", test_may_sign_in);

  return g_test_run ();
}
