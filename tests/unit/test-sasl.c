/* test-sasl.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "mail-net-error.h"
#include "mail-sasl.h"

static void
test_plain_rfc4616 (void)
{
  g_autoptr (GError) error = NULL;
  char *response;

  /* RFC 4616 §4: no authorization identity. */
  response = mail_sasl_plain_response (NULL, "tim", "tanstaaftanstaaf", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (response, ==, "AHRpbQB0YW5zdGFhZnRhbnN0YWFm");
  mail_sasl_clear_free (response);

  /* RFC 4616 §4: Kurt acting as Ursel. */
  response = mail_sasl_plain_response ("Ursel", "Kurt", "xipj3plmq", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (response, ==, "VXJzZWwAS3VydAB4aXBqM3BsbXE=");
  mail_sasl_clear_free (response);

  /* An empty authzid is the same as none. */
  response = mail_sasl_plain_response ("", "tim", "tanstaaftanstaaf", &error);
  g_assert_cmpstr (response, ==, "AHRpbQB0YW5zdGFhZnRhbnN0YWFm");
  mail_sasl_clear_free (response);
}

static void
test_plain_utf8 (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) decoded = NULL;
  char *response;

  response = mail_sasl_plain_response (NULL, "jörg", "pässwörd \"quoted\" \\", &error);
  g_assert_no_error (error);
  decoded = mail_sasl_decode_challenge (response, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (decoded, NULL), g_bytes_get_size (decoded),
                   "\0jörg\0pässwörd \"quoted\" \\",
                   strlen ("jörg") + strlen ("pässwörd \"quoted\" \\") + 2);
  mail_sasl_clear_free (response);

  response = mail_sasl_plain_response (NULL, "user", "\xff\xfe", &error);
  g_assert_null (response);
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_FAILED);
}

static void
test_login (void)
{
  g_autoptr (GError) error = NULL;
  char *response;

  response = mail_sasl_login_response (0, "tim", "tanstaaftanstaaf", &error);
  g_assert_cmpstr (response, ==, "dGlt");
  mail_sasl_clear_free (response);

  response = mail_sasl_login_response (1, "tim", "tanstaaftanstaaf", &error);
  g_assert_cmpstr (response, ==, "dGFuc3RhYWZ0YW5zdGFhZg==");
  mail_sasl_clear_free (response);

  response = mail_sasl_login_response (2, "tim", "tanstaaftanstaaf", &error);
  g_assert_null (response);
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_FAILED);
}

static void
test_xoauth2 (void)
{
  g_autoptr (GError) error = NULL;
  char *response;

  /* The example of Google's XOAUTH2 documentation. */
  response = mail_sasl_xoauth2_response ("someuser@example.com",
                                         "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (response, ==,
                   "dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52"
                   "YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ==");
  mail_sasl_clear_free (response);

  response = mail_sasl_xoauth2_response ("user\001auth=Bearer evil", "token", &error);
  g_assert_null (response);
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_FAILED);
}

static void
test_oauthbearer (void)
{
  g_autoptr (GError) error = NULL;
  char *response;

  /* RFC 7628 §4.1. */
  response = mail_sasl_oauthbearer_response ("user@example.com", "server.example.com", 143,
                                             "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (response, ==,
                   "bixhPXVzZXJAZXhhbXBsZS5jb20sAWhvc3Q9c2VydmVyLmV4YW1wbGUuY29tAXBvcnQ9MTQzAWF1"
                   "dGg9QmVhcmVyIHZGOWRmdDRxbVRjMk52YjNSbGNrQmhiSFJoZG1semRHRXVZMjl0Q2c9PQEB");
  mail_sasl_clear_free (response);

  /* "=" and "," in the user name are escaped in the GS2 header. */
  response = mail_sasl_oauthbearer_response ("a=b,c", NULL, 0, "t", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (response, ==, "bixhPWE9M0RiPTJDYywBYXV0aD1CZWFyZXIgdAEB");
  mail_sasl_clear_free (response);

  g_assert_cmpstr (MAIL_SASL_OAUTH_ERROR_RESPONSE, ==, "AQ==");
}

static void
test_decode_challenge (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) json = NULL;
  g_autoptr (GBytes) empty = NULL;
  GBytes *bad;
  const char *expected = "{\"status\":\"invalid_token\",\"scope\":\"example_scope\"}";

  json = mail_sasl_decode_challenge ("eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIiwic2NvcGUiOiJleGFtcGxl"
                                     "X3Njb3BlIn0=",
                                     &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (json, NULL), g_bytes_get_size (json), expected,
                   strlen (expected));

  empty = mail_sasl_decode_challenge ("", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (empty), ==, 0);

  bad = mail_sasl_decode_challenge ("not base64!", &error);
  g_assert_null (bad);
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_FAILED);
  g_clear_error (&error);

  bad = mail_sasl_decode_challenge ("abc", &error);
  g_assert_null (bad);
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_FAILED);
  g_clear_error (&error);

  bad = mail_sasl_decode_challenge ("a=bc", &error);
  g_assert_null (bad);
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_FAILED);
}

static void
test_mechanism_names (void)
{
  g_assert_cmpint (mail_sasl_mechanism_from_string ("plain"), ==, MAIL_SASL_MECHANISM_PLAIN);
  g_assert_cmpint (mail_sasl_mechanism_from_string ("LOGIN"), ==, MAIL_SASL_MECHANISM_LOGIN);
  g_assert_cmpint (mail_sasl_mechanism_from_string ("XOAUTH2"), ==, MAIL_SASL_MECHANISM_XOAUTH2);
  g_assert_cmpint (mail_sasl_mechanism_from_string ("OAuthBearer"), ==,
                   MAIL_SASL_MECHANISM_OAUTHBEARER);
  g_assert_cmpint (mail_sasl_mechanism_from_string ("CRAM-MD5"), ==, MAIL_SASL_MECHANISM_NONE);
  g_assert_cmpstr (mail_sasl_mechanism_to_string (MAIL_SASL_MECHANISM_PLAIN), ==, "PLAIN");
  g_assert_true (mail_sasl_mechanism_sends_password (MAIL_SASL_MECHANISM_LOGIN));
  g_assert_false (mail_sasl_mechanism_sends_password (MAIL_SASL_MECHANISM_XOAUTH2));
}

static void
test_choose (void)
{
  const char *both[] = { "CRAM-MD5", "login", "PLAIN", "GSSAPI", NULL };
  const char *login_only[] = { "LOGIN", NULL };
  const char *oauth[] = { "XOAUTH2", "OAUTHBEARER", "PLAIN", NULL };
  const char *unknown[] = { "CRAM-MD5", "SCRAM-SHA-256-PLUS", NULL };
  g_autoptr (GError) error = NULL;
  MailSaslMechanism mechanism;

  mechanism = mail_sasl_choose_mechanism (both, MAIL_SASL_CREDENTIAL_PASSWORD, TRUE, FALSE,
                                          &error);
  g_assert_no_error (error);
  g_assert_cmpint (mechanism, ==, MAIL_SASL_MECHANISM_PLAIN);

  mechanism = mail_sasl_choose_mechanism (login_only, MAIL_SASL_CREDENTIAL_PASSWORD, TRUE,
                                          FALSE, &error);
  g_assert_cmpint (mechanism, ==, MAIL_SASL_MECHANISM_LOGIN);

  mechanism = mail_sasl_choose_mechanism (oauth, MAIL_SASL_CREDENTIAL_OAUTH2, TRUE, FALSE,
                                          &error);
  g_assert_cmpint (mechanism, ==, MAIL_SASL_MECHANISM_OAUTHBEARER);

  mechanism = mail_sasl_choose_mechanism (oauth + 1, MAIL_SASL_CREDENTIAL_OAUTH2, TRUE, FALSE,
                                          &error);
  g_assert_cmpint (mechanism, ==, MAIL_SASL_MECHANISM_OAUTHBEARER);

  mechanism = mail_sasl_choose_mechanism (unknown, MAIL_SASL_CREDENTIAL_PASSWORD, TRUE, FALSE,
                                          &error);
  g_assert_cmpint (mechanism, ==, MAIL_SASL_MECHANISM_NONE);
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_NO_MECHANISM);
  g_clear_error (&error);

  mechanism = mail_sasl_choose_mechanism (NULL, MAIL_SASL_CREDENTIAL_PASSWORD, TRUE, FALSE,
                                          &error);
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_NO_MECHANISM);
  g_clear_error (&error);

  mechanism = mail_sasl_choose_mechanism (login_only, MAIL_SASL_CREDENTIAL_OAUTH2, TRUE, FALSE,
                                          &error);
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_NO_MECHANISM);
  g_clear_error (&error);
}

static void
test_choose_plaintext (void)
{
  const char *offered[] = { "PLAIN", "LOGIN", "XOAUTH2", NULL };
  g_autoptr (GError) error = NULL;
  MailSaslMechanism mechanism;

  /* No password over an unencrypted connection... */
  mechanism = mail_sasl_choose_mechanism (offered, MAIL_SASL_CREDENTIAL_PASSWORD, FALSE, FALSE,
                                          &error);
  g_assert_cmpint (mechanism, ==, MAIL_SASL_MECHANISM_NONE);
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_PLAINTEXT_REFUSED);
  g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_TLS_REQUIRED);
  g_clear_error (&error);

  /* ...unless the user explicitly allowed it for this account... */
  mechanism = mail_sasl_choose_mechanism (offered, MAIL_SASL_CREDENTIAL_PASSWORD, FALSE, TRUE,
                                          &error);
  g_assert_no_error (error);
  g_assert_cmpint (mechanism, ==, MAIL_SASL_MECHANISM_PLAIN);

  /* ...and never a token. */
  mechanism = mail_sasl_choose_mechanism (offered, MAIL_SASL_CREDENTIAL_OAUTH2, FALSE, TRUE,
                                          &error);
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_PLAINTEXT_REFUSED);
}

int
main (int   argc,
      char *argv[])
{
  /* Not G_TEST_OPTION_ISOLATE_DIRS: nothing here touches the user's directories, and in
   * GLib 2.74 every isolated test leaks the previous test's directory names, which
   * LeakSanitizer reports (GLib's stack is too short to suppress without slow unwinding). */
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mail/net/sasl/plain-rfc4616", test_plain_rfc4616);
  g_test_add_func ("/mail/net/sasl/plain-utf8", test_plain_utf8);
  g_test_add_func ("/mail/net/sasl/login", test_login);
  g_test_add_func ("/mail/net/sasl/xoauth2", test_xoauth2);
  g_test_add_func ("/mail/net/sasl/oauthbearer-rfc7628", test_oauthbearer);
  g_test_add_func ("/mail/net/sasl/decode-challenge", test_decode_challenge);
  g_test_add_func ("/mail/net/sasl/mechanism-names", test_mechanism_names);
  g_test_add_func ("/mail/net/sasl/choose", test_choose);
  g_test_add_func ("/mail/net/sasl/choose-plaintext", test_choose_plaintext);

  return g_test_run ();
}
