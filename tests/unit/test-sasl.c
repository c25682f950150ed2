/* test-sasl.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "mail-net-error.h"
#include "mail-sasl.h"
#include "mail-secret-buffer-private.h"

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

/* What secret buffers gave back while watched: how many blocks, their sizes, and whether
 * every byte of them was wiped. */
typedef struct
{
  guint    n_released;
  gsize    sizes[8];
  gboolean all_wiped;
} Released;

static void
released_cb (const guint8 *data,
             gsize         size,
             gpointer      user_data)
{
  Released *released = user_data;

  if (released->n_released < G_N_ELEMENTS (released->sizes))
    released->sizes[released->n_released] = size;
  released->n_released++;

  for (gsize i = 0; i < size; i++)
    if (data[i] != 0)
      released->all_wiped = FALSE;
}

static void
watch_releases (Released *released)
{
  memset (released, 0, sizeof *released);
  released->all_wiped = TRUE;
  _mail_secret_buffer_set_release_func (released_cb, released);
}

static void
unwatch_releases (void)
{
  _mail_secret_buffer_set_release_func (NULL, NULL);
}

/* Sized once, a buffer never moves its bytes, and gives back one wiped block. */
static void
test_secret_buffer_sized (void)
{
  Released released;
  MailSecretBuffer *buffer;
  const guint8 *start;
  const guint8 *data;
  gsize length = 0;

  watch_releases (&released);

  buffer = mail_secret_buffer_new (11);
  start = mail_secret_buffer_get_data (buffer, NULL);
  mail_secret_buffer_append_str (buffer, "Pa55");
  mail_secret_buffer_append_c (buffer, '\0');
  mail_secret_buffer_append (buffer, "secret", 6);
  data = mail_secret_buffer_get_data (buffer, &length);
  g_assert_true (data == start);
  g_assert_cmpmem (data, length, "Pa55\0secret", 11);
  g_assert_cmpuint (released.n_released, ==, 0);

  mail_secret_buffer_free (buffer);
  g_assert_cmpuint (released.n_released, ==, 1);
  g_assert_cmpuint (released.sizes[0], ==, 11);
  g_assert_true (released.all_wiped);

  unwatch_releases ();
}

/* Grown beyond its size, a buffer copies its bytes and wipes the block it leaves. */
static void
test_secret_buffer_growth (void)
{
  Released released;
  MailSecretBuffer *buffer;
  const guint8 *data;
  gsize length = 0;

  watch_releases (&released);

  buffer = mail_secret_buffer_new (4);
  mail_secret_buffer_append_str (buffer, "abcd");
  g_assert_cmpuint (released.n_released, ==, 0);
  mail_secret_buffer_append_str (buffer, "efghij");
  g_assert_cmpuint (released.n_released, ==, 1);
  g_assert_cmpuint (released.sizes[0], ==, 4);
  g_assert_true (released.all_wiped);

  data = mail_secret_buffer_get_data (buffer, &length);
  g_assert_cmpmem (data, length, "abcdefghij", 10);

  mail_secret_buffer_free (buffer);
  g_assert_cmpuint (released.n_released, ==, 2);
  g_assert_cmpuint (released.sizes[1], >=, 10);
  g_assert_true (released.all_wiped);

  unwatch_releases ();
}

/* Each response's plaintext is built in one secret buffer of exactly its size (so it never
 * grew, leaving a copy behind), and wiped. Long names that no fixed slack covers. */
static void
test_responses_wiped (void)
{
  g_autofree char *long_name = g_strnfill (300, 'n');
  g_autofree char *long_user = g_strconcat (long_name, ",=@example.test", NULL);
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (GBytes) decoded = NULL;
      Released released;
      char *response = NULL;

      watch_releases (&released);
      switch (i)
        {
        case 0:
          response = mail_sasl_plain_response (long_name, long_user, "Pa55-w0rd", &error);
          break;

        case 1:
          response = mail_sasl_xoauth2_response (long_user, "ya29.token", &error);
          break;

        default:
          response = mail_sasl_oauthbearer_response (long_user, long_name, 993, "ya29.token",
                                                     &error);
          break;
        }
      unwatch_releases ();
      g_assert_no_error (error);
      g_assert_nonnull (response);

      decoded = mail_sasl_decode_challenge (response, &error);
      g_assert_no_error (error);
      g_test_message ("response %u: %" G_GSIZE_FORMAT " bytes, %u blocks given back", i,
                      g_bytes_get_size (decoded), released.n_released);
      g_assert_cmpuint (released.n_released, ==, 1);
      g_assert_cmpuint (released.sizes[0], ==, g_bytes_get_size (decoded));
      g_assert_true (released.all_wiped);

      mail_sasl_clear_free (response);
    }
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
  g_test_add_func ("/mail/net/sasl/responses-wiped", test_responses_wiped);
  g_test_add_func ("/mail/net/secret-buffer/sized", test_secret_buffer_sized);
  g_test_add_func ("/mail/net/secret-buffer/growth", test_secret_buffer_growth);
  g_test_add_func ("/mail/net/sasl/decode-challenge", test_decode_challenge);
  g_test_add_func ("/mail/net/sasl/mechanism-names", test_mechanism_names);
  g_test_add_func ("/mail/net/sasl/choose", test_choose);
  g_test_add_func ("/mail/net/sasl/choose-plaintext", test_choose_plaintext);

  return g_test_run ();
}
