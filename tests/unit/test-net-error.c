/* test-net-error.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "mail-net-error.h"

static void
check (GQuark             domain,
       int                code,
       MailErrorCategory  expected)
{
  g_autoptr (GError) error = g_error_new_literal (domain, code, "detail");

  g_assert_cmpstr (mail_error_category_to_string (mail_error_categorize (error)), ==,
                   mail_error_category_to_string (expected));
}

static void
test_categorize (void)
{
  g_assert_cmpint (mail_error_categorize (NULL), ==, MAIL_ERROR_CATEGORY_NONE);

  check (G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, MAIL_ERROR_CATEGORY_NETWORK);
  check (G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND, MAIL_ERROR_CATEGORY_NETWORK);
  check (G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE, MAIL_ERROR_CATEGORY_NETWORK);
  check (G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE, MAIL_ERROR_CATEGORY_NETWORK);
  check (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, MAIL_ERROR_CATEGORY_NETWORK);
  check (G_IO_ERROR, G_IO_ERROR_PROXY_FAILED, MAIL_ERROR_CATEGORY_NETWORK);
  check (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, MAIL_ERROR_CATEGORY_TIMEOUT);
  check (G_IO_ERROR, G_IO_ERROR_CANCELLED, MAIL_ERROR_CATEGORY_NONE);
  check (G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, MAIL_ERROR_CATEGORY_NETWORK);
  check (G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE, MAIL_ERROR_CATEGORY_NETWORK);
  check (G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE, MAIL_ERROR_CATEGORY_TLS_CERTIFICATE);
  check (G_TLS_ERROR, G_TLS_ERROR_NOT_TLS, MAIL_ERROR_CATEGORY_TLS_REQUIRED);
  check (G_TLS_ERROR, G_TLS_ERROR_HANDSHAKE, MAIL_ERROR_CATEGORY_TLS_REQUIRED);
  check (G_TLS_ERROR, G_TLS_ERROR_EOF, MAIL_ERROR_CATEGORY_NETWORK);
  check (MAIL_NET_ERROR, MAIL_NET_ERROR_CERTIFICATE, MAIL_ERROR_CATEGORY_TLS_CERTIFICATE);
  check (MAIL_NET_ERROR, MAIL_NET_ERROR_TLS_VERSION, MAIL_ERROR_CATEGORY_TLS_REQUIRED);
  check (MAIL_NET_ERROR, MAIL_NET_ERROR_PLAINTEXT_REFUSED, MAIL_ERROR_CATEGORY_TLS_REQUIRED);
  check (MAIL_NET_ERROR, MAIL_NET_ERROR_LIMIT, MAIL_ERROR_CATEGORY_PROTOCOL);
  check (MAIL_NET_ERROR, MAIL_NET_ERROR_NO_MECHANISM, MAIL_ERROR_CATEGORY_MISSING_CAPABILITY);
  check (MAIL_NET_ERROR, MAIL_NET_ERROR_STARTTLS_NOT_OFFERED,
         MAIL_ERROR_CATEGORY_STARTTLS_UNAVAILABLE);
  check (MAIL_NET_ERROR, MAIL_NET_ERROR_STARTTLS_REFUSED, MAIL_ERROR_CATEGORY_STARTTLS_UNAVAILABLE);
  check (MAIL_NET_ERROR, MAIL_NET_ERROR_STARTTLS_PREAUTH, MAIL_ERROR_CATEGORY_STARTTLS_UNAVAILABLE);
  check (MAIL_NET_ERROR, MAIL_NET_ERROR_STARTTLS_INJECTION,
         MAIL_ERROR_CATEGORY_STARTTLS_UNAVAILABLE);
  check (g_quark_from_static_string ("some-unknown-domain"), 1, MAIL_ERROR_CATEGORY_PROTOCOL);
}

static MailErrorCategory
categorize_test_domain (const GError *error)
{
  return error->code == 1 ? MAIL_ERROR_CATEGORY_AUTH_FAILED : MAIL_ERROR_CATEGORY_PROTOCOL;
}

static void
test_register_domain (void)
{
  GQuark domain = g_quark_from_static_string ("mail-test-error-quark");

  mail_error_register_domain (domain, categorize_test_domain);
  check (domain, 1, MAIL_ERROR_CATEGORY_AUTH_FAILED);
  check (domain, 2, MAIL_ERROR_CATEGORY_PROTOCOL);
}

static void
test_describe (void)
{
  g_autoptr (GError) sentence = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                                     "The server mail.example.test did not "
                                                     "answer within 15 seconds.");
  g_autoptr (GError) bare = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                                 "Socket I/O timed out");
  g_autoptr (GError) starttls = NULL;
  g_autofree char *a = mail_error_describe (sentence);
  g_autofree char *b = mail_error_describe (bare);
  g_autofree char *c = NULL;

  g_assert_cmpstr (a, ==, "The server mail.example.test did not answer within 15 seconds.");
  g_assert_cmpstr (b, ==, "The server did not answer in time. (Socket I/O timed out)");

  mail_net_error_set_starttls_unavailable (&starttls, MAIL_NET_ERROR_STARTTLS_PREAUTH);
  c = mail_error_describe (starttls);
  g_assert_true (g_str_has_prefix (c, "The connection could not be secured: "));

  for (guint i = MAIL_ERROR_CATEGORY_NONE; i <= MAIL_ERROR_CATEGORY_MISSING_CAPABILITY; i++)
    g_assert_true (g_str_has_suffix (mail_error_category_describe (i), "."));
}

int
main (int   argc,
      char *argv[])
{
  /* Not G_TEST_OPTION_ISOLATE_DIRS: nothing here touches the user's directories, and in
   * GLib 2.74 every isolated test leaks the previous test's directory names, which
   * LeakSanitizer reports (GLib's stack is too short to suppress without slow unwinding). */
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mail/net/error/categorize", test_categorize);
  g_test_add_func ("/mail/net/error/register-domain", test_register_domain);
  g_test_add_func ("/mail/net/error/describe", test_describe);

  return g_test_run ();
}
