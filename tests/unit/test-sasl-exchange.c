/* test-sasl-exchange.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* mail_sasl_exchange_run() over a scripted transport in memory: no sockets. The script is
 * what the server answers, one reply a read: "+ text" a challenge, "OK" a success, "NO" a
 * refusal. The transport keeps what was sent (secrets in the clear, for the assertions) and
 * what it would have shown in a protocol log (secrets as "******"). */

#include "config.h"

#include <string.h>

#include "mail-net-error.h"
#include "mail-sasl-exchange.h"
#include "mail-secret-buffer-private.h"

#define TEST_ERROR (test_error_quark ())
GQuark test_error_quark (void);
G_DEFINE_QUARK (test-sasl-exchange-error, test_error)

enum
{
  TEST_ERROR_AUTH_FAILED,
  TEST_ERROR_CANCELLED,
  TEST_ERROR_WRITE,
  TEST_ERROR_SCRIPT,
};

#define USER     "alice@example.com"
#define PASSWORD "pässwörd-42"
#define TOKEN    "ya29.token-ABC"

/* base64 ("\0alice@example.com\0pässwörd-42") */
#define PLAIN_RESPONSE "AGFsaWNlQGV4YW1wbGUuY29tAHDDpHNzd8O2cmQtNDI="
/* base64 ("alice@example.com"), base64 ("pässwörd-42") */
#define LOGIN_USER     "YWxpY2VAZXhhbXBsZS5jb20="
#define LOGIN_PASSWORD "cMOkc3N3w7ZyZC00Mg=="

typedef struct
{
  const char * const *script;
  guint               next;
  /* Fail the write of this line (1 is the start), 0 for none. */
  guint               fail_write;
  GPtrArray          *sent;
  /* The secrets among what was sent: initial responses and responses. */
  GPtrArray          *secrets;
  GString            *public_log;
  /* The challenge_expected of each read, as "1" and "0". */
  GString            *expected;
  guint               n_cancelled;
} Transport;

static void
transport_init (Transport          *transport,
                const char * const *script)
{
  memset (transport, 0, sizeof *transport);
  transport->script = script;
  transport->sent = g_ptr_array_new_with_free_func (g_free);
  transport->secrets = g_ptr_array_new_with_free_func (g_free);
  transport->public_log = g_string_new (NULL);
  transport->expected = g_string_new (NULL);
}

static void
transport_clear (Transport *transport)
{
  g_ptr_array_unref (transport->sent);
  g_ptr_array_unref (transport->secrets);
  g_string_free (transport->public_log, TRUE);
  g_string_free (transport->expected, TRUE);
}

static gboolean
record (Transport   *transport,
        char        *line,
        const char  *public_line,
        const char  *secret,
        GError     **error)
{
  g_ptr_array_add (transport->sent, line);
  if (secret != NULL && secret[0] != '\0')
    g_ptr_array_add (transport->secrets, g_strdup (secret));
  g_string_append_printf (transport->public_log, "C: %s\n", public_line);

  if (transport->sent->len == transport->fail_write)
    {
      g_set_error_literal (error, TEST_ERROR, TEST_ERROR_WRITE, "write failed");
      return FALSE;
    }

  return TRUE;
}

static gboolean
start (gpointer       client,
       const char    *mechanism,
       const char    *initial_response,
       GCancellable  *cancellable,
       GError       **error)
{
  Transport *transport = client;
  g_autofree char *command = g_strconcat ("AUTH ", mechanism, NULL);
  g_autofree char *public_line = NULL;

  g_assert_cmpuint (transport->sent->len, ==, 0);

  if (initial_response == NULL)
    return record (transport, g_strdup (command), command, NULL, error);

  public_line = g_strconcat (command, " ******", NULL);
  return record (transport, g_strconcat (command, " ", initial_response, NULL), public_line,
                 initial_response, error);
}

static gboolean
respond (gpointer       client,
         const char    *response,
         GCancellable  *cancellable,
         GError       **error)
{
  Transport *transport = client;

  g_assert_cmpuint (transport->sent->len, >, 0);

  return record (transport, g_strdup (response), "******", response, error);
}

static MailSaslReply
read_step (gpointer       client,
           gboolean       challenge_expected,
           GCancellable  *cancellable,
           GError       **error)
{
  Transport *transport = client;
  const char *reply = transport->script[transport->next];

  g_string_append_c (transport->expected, challenge_expected ? '1' : '0');

  if (reply == NULL)
    {
      g_set_error_literal (error, TEST_ERROR, TEST_ERROR_SCRIPT, "read past the script");
      return MAIL_SASL_REPLY_FAILURE;
    }
  transport->next++;
  g_string_append_printf (transport->public_log, "S: %s\n", reply);

  if (g_str_has_prefix (reply, "+"))
    return MAIL_SASL_REPLY_CHALLENGE;
  if (g_str_equal (reply, "OK"))
    return MAIL_SASL_REPLY_SUCCESS;

  g_set_error_literal (error, TEST_ERROR, TEST_ERROR_AUTH_FAILED, "refused");
  return MAIL_SASL_REPLY_FAILURE;
}

static void
cancel (gpointer       client,
        GCancellable  *cancellable,
        GError       **error)
{
  Transport *transport = client;

  transport->n_cancelled++;
  if (!record (transport, g_strdup ("*"), "*", NULL, error))
    return;

  /* Whatever the server answers to "*", the exchange failed. */
  if (transport->script[transport->next] != NULL)
    g_string_append_printf (transport->public_log, "S: %s\n",
                            transport->script[transport->next++]);
  g_set_error_literal (error, TEST_ERROR, TEST_ERROR_CANCELLED, "cancelled");
}

static const MailSaslTransport scripted = {
  .start = start,
  .respond = respond,
  .read_step = read_step,
  .cancel = cancel,
};

static gboolean
run (Transport          *transport,
     gsize               max_initial_response,
     MailSaslMechanism   mechanism,
     const char         *secret,
     GError            **error)
{
  /* Only for its host and port: nothing connects. */
  g_autoptr (MailConnection) connection = mail_connection_new ("mail.example.com", 993,
                                                               MAIL_SECURITY_TLS, NULL);
  MailSaslExchangeOptions options = {
    .connection = connection,
    .max_initial_response = max_initial_response,
  };

  return mail_sasl_exchange_run (&scripted, transport, &options, mechanism, USER, secret, NULL,
                                 error);
}

/* Compares what was sent with @first and the lines after it, up to NULL. */
static void
assert_sent (Transport  *transport,
             const char *first,
             ...)
{
  va_list args;
  guint i = 0;

  va_start (args, first);
  for (const char *line = first; line != NULL; line = va_arg (args, const char *), i++)
    {
      g_assert_cmpuint (i, <, transport->sent->len);
      g_assert_cmpstr (g_ptr_array_index (transport->sent, i), ==, line);
    }
  va_end (args);

  g_assert_cmpuint (transport->sent->len, ==, i);
}

/* Nothing the transport was told to show holds a response or the secret. */
static void
assert_public_log_clean (Transport  *transport,
                         const char *secret)
{
  const char *log = transport->public_log->str;

  g_assert_cmpuint (transport->secrets->len, >, 0);
  g_assert_null (strstr (log, secret));
  for (guint i = 0; i < transport->secrets->len; i++)
    g_assert_null (strstr (log, g_ptr_array_index (transport->secrets, i)));
}

static void
test_plain_initial_response (void)
{
  static const char * const script[] = { "OK", NULL };
  g_autoptr (GError) error = NULL;
  Transport transport;

  transport_init (&transport, script);
  g_assert_true (run (&transport, G_MAXSIZE, MAIL_SASL_MECHANISM_PLAIN, PASSWORD, &error));
  g_assert_no_error (error);
  assert_sent (&transport, "AUTH PLAIN " PLAIN_RESPONSE, NULL);
  g_assert_cmpstr (transport.expected->str, ==, "0");
  g_assert_cmpstr (transport.public_log->str, ==, "C: AUTH PLAIN ******\nS: OK\n");
  assert_public_log_clean (&transport, PASSWORD);
  transport_clear (&transport);
}

static void
test_plain_no_initial_response (void)
{
  static const char * const script[] = { "+ ", "OK", NULL };
  g_autoptr (GError) error = NULL;
  Transport transport;

  transport_init (&transport, script);
  g_assert_true (run (&transport, 0, MAIL_SASL_MECHANISM_PLAIN, PASSWORD, &error));
  g_assert_no_error (error);
  assert_sent (&transport, "AUTH PLAIN", PLAIN_RESPONSE, NULL);
  g_assert_cmpstr (transport.expected->str, ==, "10");
  assert_public_log_clean (&transport, PASSWORD);
  transport_clear (&transport);
}

/* The initial response goes with the command only when it fits. */
static void
test_plain_line_limit (void)
{
  static const char * const ok[] = { "OK", NULL };
  static const char * const challenge_ok[] = { "+ ", "OK", NULL };
  g_autoptr (GError) error = NULL;
  Transport transport;

  transport_init (&transport, ok);
  g_assert_true (run (&transport, strlen (PLAIN_RESPONSE), MAIL_SASL_MECHANISM_PLAIN, PASSWORD,
                      &error));
  g_assert_no_error (error);
  assert_sent (&transport, "AUTH PLAIN " PLAIN_RESPONSE, NULL);
  transport_clear (&transport);

  transport_init (&transport, challenge_ok);
  g_assert_true (run (&transport, strlen (PLAIN_RESPONSE) - 1, MAIL_SASL_MECHANISM_PLAIN,
                      PASSWORD, &error));
  g_assert_no_error (error);
  assert_sent (&transport, "AUTH PLAIN", PLAIN_RESPONSE, NULL);
  transport_clear (&transport);
}

static void
test_login (void)
{
  static const char * const script[] = { "+ VXNlcm5hbWU6", "+ UGFzc3dvcmQ6", "OK", NULL };
  g_autoptr (GError) error = NULL;
  Transport transport;

  /* LOGIN has no initial response, whatever the protocol allows. */
  transport_init (&transport, script);
  g_assert_true (run (&transport, G_MAXSIZE, MAIL_SASL_MECHANISM_LOGIN, PASSWORD, &error));
  g_assert_no_error (error);
  assert_sent (&transport, "AUTH LOGIN", LOGIN_USER, LOGIN_PASSWORD, NULL);
  g_assert_cmpstr (transport.expected->str, ==, "110");
  g_assert_cmpuint (transport.n_cancelled, ==, 0);
  assert_public_log_clean (&transport, PASSWORD);
  transport_clear (&transport);
}

/* A server that keeps challenging gets "*" once the mechanism has said all it has. */
static void
test_too_many_rounds (void)
{
  static const char * const plain_script[] = { "+ bW9yZT8=", "NO cancelled", "+ again", NULL };
  static const char * const login_script[] = { "+ VXNlcm5hbWU6", "+ UGFzc3dvcmQ6",
                                               "+ bW9yZT8=", "NO cancelled", "+ again", NULL };
  g_autoptr (GError) error = NULL;
  Transport transport;

  transport_init (&transport, plain_script);
  g_assert_false (run (&transport, G_MAXSIZE, MAIL_SASL_MECHANISM_PLAIN, PASSWORD, &error));
  g_assert_error (error, TEST_ERROR, TEST_ERROR_CANCELLED);
  assert_sent (&transport, "AUTH PLAIN " PLAIN_RESPONSE, "*", NULL);
  g_assert_cmpuint (transport.n_cancelled, ==, 1);
  g_assert_cmpuint (transport.next, ==, 2);
  assert_public_log_clean (&transport, PASSWORD);
  transport_clear (&transport);
  g_clear_error (&error);

  transport_init (&transport, login_script);
  g_assert_false (run (&transport, G_MAXSIZE, MAIL_SASL_MECHANISM_LOGIN, PASSWORD, &error));
  g_assert_error (error, TEST_ERROR, TEST_ERROR_CANCELLED);
  assert_sent (&transport, "AUTH LOGIN", LOGIN_USER, LOGIN_PASSWORD, "*", NULL);
  g_assert_cmpstr (transport.expected->str, ==, "110");
  g_assert_cmpuint (transport.n_cancelled, ==, 1);
  g_assert_cmpuint (transport.next, ==, 4);
  transport_clear (&transport);
}

/* A refusal or a broken write mid-way ends the exchange: nothing more is sent. */
static void
test_failure_midway (void)
{
  static const char * const refused[] = { "+ VXNlcm5hbWU6", "NO go away", "+ UGFzc3dvcmQ6",
                                          NULL };
  static const char * const challenges[] = { "+ VXNlcm5hbWU6", "+ UGFzc3dvcmQ6", "OK", NULL };
  g_autoptr (GError) error = NULL;
  Transport transport;

  transport_init (&transport, refused);
  g_assert_false (run (&transport, 0, MAIL_SASL_MECHANISM_LOGIN, PASSWORD, &error));
  g_assert_error (error, TEST_ERROR, TEST_ERROR_AUTH_FAILED);
  assert_sent (&transport, "AUTH LOGIN", LOGIN_USER, NULL);
  g_assert_cmpuint (transport.n_cancelled, ==, 0);
  transport_clear (&transport);
  g_clear_error (&error);

  /* The user name's line fails to go out: the password is never sent. */
  transport_init (&transport, challenges);
  transport.fail_write = 2;
  g_assert_false (run (&transport, 0, MAIL_SASL_MECHANISM_LOGIN, PASSWORD, &error));
  g_assert_error (error, TEST_ERROR, TEST_ERROR_WRITE);
  assert_sent (&transport, "AUTH LOGIN", LOGIN_USER, NULL);
  g_assert_cmpuint (transport.next, ==, 1);
  transport_clear (&transport);
  g_clear_error (&error);

  /* The command fails to go out: nothing is read. */
  transport_init (&transport, challenges);
  transport.fail_write = 1;
  g_assert_false (run (&transport, 0, MAIL_SASL_MECHANISM_PLAIN, PASSWORD, &error));
  g_assert_error (error, TEST_ERROR, TEST_ERROR_WRITE);
  g_assert_cmpuint (transport.next, ==, 0);
  transport_clear (&transport);
}

/* A password that cannot be sent fails before anything goes out. */
static void
test_invalid_secret (void)
{
  static const char * const script[] = { "+ VXNlcm5hbWU6", "+ UGFzc3dvcmQ6", "OK", NULL };
  g_autoptr (GError) error = NULL;
  Transport transport;

  transport_init (&transport, script);
  g_assert_false (run (&transport, 0, MAIL_SASL_MECHANISM_LOGIN, "\xff\xfe", &error));
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_FAILED);
  g_assert_cmpuint (transport.sent->len, ==, 0);
  g_assert_cmpuint (transport.next, ==, 0);
  transport_clear (&transport);
  g_clear_error (&error);

  transport_init (&transport, script);
  g_assert_false (run (&transport, G_MAXSIZE, MAIL_SASL_MECHANISM_XOAUTH2, "tok\001en", &error));
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_FAILED);
  g_assert_cmpuint (transport.sent->len, ==, 0);
  transport_clear (&transport);
}

static char *
decode (const char *response)
{
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;
  gsize size = 0;
  const char *data;

  bytes = mail_sasl_decode_challenge (response, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (bytes, &size);

  return g_strndup (data, size);
}

static void
test_xoauth2 (void)
{
  /* base64 ('{"status":"401","schemes":"bearer","scope":"https://mail.google.com/"}') */
  static const char * const refused[] = {
    "+ eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiYmVhcmVyIiwic2NvcGUiOiJodHRwczovL21haWwuZ29v"
    "Z2xlLmNvbS8ifQ==",
    "NO [AUTHENTICATIONFAILED] Invalid credentials",
    NULL,
  };
  static const char * const accepted[] = { "OK", NULL };
  static const char * const persistent[] = { "+ e30=", "+ e30=", "NO", NULL };
  g_autoptr (GError) error = NULL;
  g_autofree char *decoded = NULL;
  const char *line;
  Transport transport;

  transport_init (&transport, accepted);
  g_assert_true (run (&transport, G_MAXSIZE, MAIL_SASL_MECHANISM_XOAUTH2, TOKEN, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (transport.sent->len, ==, 1);
  line = g_ptr_array_index (transport.sent, 0);
  g_assert_true (g_str_has_prefix (line, "AUTH XOAUTH2 "));
  decoded = decode (line + strlen ("AUTH XOAUTH2 "));
  g_assert_cmpstr (decoded, ==, "user=" USER "\001auth=Bearer " TOKEN "\001\001");
  assert_public_log_clean (&transport, TOKEN);
  transport_clear (&transport);

  /* The error challenge is answered with an empty line; the server's refusal follows. */
  transport_init (&transport, refused);
  g_assert_false (run (&transport, G_MAXSIZE, MAIL_SASL_MECHANISM_XOAUTH2, TOKEN, &error));
  g_assert_error (error, TEST_ERROR, TEST_ERROR_AUTH_FAILED);
  g_assert_cmpuint (transport.sent->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (transport.sent, 1), ==, "");
  g_assert_cmpstr (transport.expected->str, ==, "00");
  g_assert_cmpuint (transport.n_cancelled, ==, 0);
  assert_public_log_clean (&transport, TOKEN);
  transport_clear (&transport);
  g_clear_error (&error);

  /* A second error challenge is one too many. */
  transport_init (&transport, persistent);
  g_assert_false (run (&transport, G_MAXSIZE, MAIL_SASL_MECHANISM_XOAUTH2, TOKEN, &error));
  g_assert_error (error, TEST_ERROR, TEST_ERROR_CANCELLED);
  g_assert_cmpuint (transport.sent->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (transport.sent, 1), ==, "");
  g_assert_cmpstr (g_ptr_array_index (transport.sent, 2), ==, "*");
  transport_clear (&transport);
}

static void
test_oauthbearer (void)
{
  /* base64 ('{"status":"invalid_token"}') */
  static const char * const refused[] = { "+ ", "+ eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIn0=",
                                          "NO invalid token", NULL };
  g_autoptr (GError) error = NULL;
  g_autofree char *decoded = NULL;
  Transport transport;

  /* No initial response allowed: the token answers the empty challenge, and the error
   * challenge is answered with base64 (0x01). */
  transport_init (&transport, refused);
  g_assert_false (run (&transport, 0, MAIL_SASL_MECHANISM_OAUTHBEARER, TOKEN, &error));
  g_assert_error (error, TEST_ERROR, TEST_ERROR_AUTH_FAILED);
  g_assert_cmpuint (transport.sent->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (transport.sent, 0), ==, "AUTH OAUTHBEARER");
  decoded = decode (g_ptr_array_index (transport.sent, 1));
  g_assert_cmpstr (decoded, ==,
                   "n,a=" USER ",\001host=mail.example.com\001port=993\001auth=Bearer " TOKEN
                   "\001\001");
  g_assert_cmpstr (g_ptr_array_index (transport.sent, 2), ==, MAIL_SASL_OAUTH_ERROR_RESPONSE);
  g_assert_cmpstr (transport.expected->str, ==, "100");
  g_assert_cmpuint (transport.n_cancelled, ==, 0);
  assert_public_log_clean (&transport, TOKEN);
  transport_clear (&transport);
}

typedef struct
{
  guint    n_released;
  gboolean all_wiped;
} Released;

static void
released_cb (const guint8 *data,
             gsize         size,
             gpointer      user_data)
{
  Released *released = user_data;

  released->n_released++;
  for (gsize i = 0; i < size; i++)
    if (data[i] != 0)
      released->all_wiped = FALSE;
}

/* The plaintext behind each response is built in a secret buffer and wiped. */
static void
test_secrets_wiped (void)
{
  static const char * const script[] = { "OK", NULL };
  g_autoptr (GError) error = NULL;
  Released released = { 0, TRUE };
  Transport transport;

  _mail_secret_buffer_set_release_func (released_cb, &released);
  transport_init (&transport, script);
  g_assert_true (run (&transport, G_MAXSIZE, MAIL_SASL_MECHANISM_OAUTHBEARER, TOKEN, &error));
  g_assert_no_error (error);
  transport_clear (&transport);
  _mail_secret_buffer_set_release_func (NULL, NULL);

  g_assert_cmpuint (released.n_released, ==, 1);
  g_assert_true (released.all_wiped);
}

int
main (int   argc,
      char *argv[])
{
  /* Not G_TEST_OPTION_ISOLATE_DIRS: see test-sasl.c. */
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mail/net/sasl-exchange/plain/initial-response",
                   test_plain_initial_response);
  g_test_add_func ("/mail/net/sasl-exchange/plain/no-initial-response",
                   test_plain_no_initial_response);
  g_test_add_func ("/mail/net/sasl-exchange/plain/line-limit", test_plain_line_limit);
  g_test_add_func ("/mail/net/sasl-exchange/login", test_login);
  g_test_add_func ("/mail/net/sasl-exchange/too-many-rounds", test_too_many_rounds);
  g_test_add_func ("/mail/net/sasl-exchange/failure-midway", test_failure_midway);
  g_test_add_func ("/mail/net/sasl-exchange/invalid-secret", test_invalid_secret);
  g_test_add_func ("/mail/net/sasl-exchange/xoauth2", test_xoauth2);
  g_test_add_func ("/mail/net/sasl-exchange/oauthbearer", test_oauthbearer);
  g_test_add_func ("/mail/net/sasl-exchange/secrets-wiped", test_secrets_wiped);

  return g_test_run ();
}
