/* mail-sasl.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* SASL for IMAP AUTHENTICATE, POP3 AUTH and SMTP AUTH, as pure functions: which mechanism
 * to use, and the base64 response for each step. The exchange itself (continuation
 * prefixes "+ ", "334 ") belongs to each protocol client, which sends these responses
 * with mail_connection_write_secret_sync() so that they never reach the protocol log.
 *
 * The plaintext that holds a secret before it is base64-encoded is built in a
 * MailSecretBuffer of exactly its size, so it is never moved by a reallocation and is wiped
 * when freed; callers should free responses with mail_sasl_clear_free().
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "mail-net"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-net-error.h"
#include "mail-sasl.h"
#include "mail-secret-buffer.h"

static const char * const mechanism_names[] = {
  [MAIL_SASL_MECHANISM_NONE] = "",
  [MAIL_SASL_MECHANISM_PLAIN] = "PLAIN",
  [MAIL_SASL_MECHANISM_LOGIN] = "LOGIN",
  [MAIL_SASL_MECHANISM_XOAUTH2] = "XOAUTH2",
  [MAIL_SASL_MECHANISM_OAUTHBEARER] = "OAUTHBEARER",
};

/**
 * mail_sasl_clear_free:
 * @response: (nullable) (transfer full): a response from one of the mail_sasl_…_response()
 *   functions
 *
 * Wipes and frees @response.
 */
void
mail_sasl_clear_free (char *response)
{
  mail_secret_free_string (response);
}

/* Base64 of the bytes in @raw, which is then wiped and freed. g_base64_encode() allocates
 * its result once, at its final size. */
static char *
encode_and_wipe (MailSecretBuffer *raw)
{
  gsize length = 0;
  const guint8 *data = mail_secret_buffer_get_data (raw, &length);
  char *encoded = g_base64_encode (data, length);

  mail_secret_buffer_free (raw);

  return encoded;
}

/**
 * mail_sasl_mechanism_to_string:
 * @mechanism: a #MailSaslMechanism
 *
 * Returns: the mechanism's name as servers advertise it ("PLAIN"), "" for
 *   %MAIL_SASL_MECHANISM_NONE
 */
const char *
mail_sasl_mechanism_to_string (MailSaslMechanism mechanism)
{
  if ((guint) mechanism >= G_N_ELEMENTS (mechanism_names))
    return "";

  return mechanism_names[mechanism];
}

/**
 * mail_sasl_mechanism_from_string:
 * @name: a mechanism name, in any case
 *
 * Returns: the mechanism, or %MAIL_SASL_MECHANISM_NONE for one we do not implement
 */
MailSaslMechanism
mail_sasl_mechanism_from_string (const char *name)
{
  g_return_val_if_fail (name != NULL, MAIL_SASL_MECHANISM_NONE);

  for (guint i = 1; i < G_N_ELEMENTS (mechanism_names); i++)
    if (g_ascii_strcasecmp (name, mechanism_names[i]) == 0)
      return (MailSaslMechanism) i;

  return MAIL_SASL_MECHANISM_NONE;
}

/**
 * mail_sasl_mechanism_sends_password:
 * @mechanism: a #MailSaslMechanism
 *
 * Returns: whether @mechanism puts the password itself on the wire (base64 is no
 *   protection), so that it must only be used over an encrypted connection
 */
gboolean
mail_sasl_mechanism_sends_password (MailSaslMechanism mechanism)
{
  return mechanism == MAIL_SASL_MECHANISM_PLAIN || mechanism == MAIL_SASL_MECHANISM_LOGIN;
}

static gboolean
is_offered (const char * const *offered,
            MailSaslMechanism   mechanism)
{
  for (guint i = 0; offered != NULL && offered[i] != NULL; i++)
    if (mail_sasl_mechanism_from_string (offered[i]) == mechanism)
      return TRUE;

  return FALSE;
}

/**
 * mail_sasl_choose_mechanism:
 * @offered: (array zero-terminated=1) (nullable): the mechanism names the server offers
 *   (without IMAP's "AUTH=" prefix)
 * @credential: what kind of secret the account has
 * @encrypted: whether the connection is encrypted (TLS or a successful STARTTLS)
 * @allow_plaintext_password: the user explicitly allowed sending the password over an
 *   unencrypted connection for this account
 * @error: return location for a #GError
 *
 * Picks the mechanism to sign in with. For a password: PLAIN (one round trip, works with
 * SASL-IR), else LOGIN; both put the password on the wire, so on an unencrypted
 * connection they are refused unless @allow_plaintext_password is set. For an OAuth 2.0
 * token: OAUTHBEARER, else XOAUTH2, and never without encryption.
 *
 * Returns: the mechanism, or %MAIL_SASL_MECHANISM_NONE with
 *   %MAIL_NET_ERROR_PLAINTEXT_REFUSED or %MAIL_NET_ERROR_NO_MECHANISM
 */
MailSaslMechanism
mail_sasl_choose_mechanism (const char * const  *offered,
                            MailSaslCredential   credential,
                            gboolean             encrypted,
                            gboolean             allow_plaintext_password,
                            GError             **error)
{
  static const MailSaslMechanism password_order[] = {
    MAIL_SASL_MECHANISM_PLAIN,
    MAIL_SASL_MECHANISM_LOGIN,
  };
  static const MailSaslMechanism token_order[] = {
    MAIL_SASL_MECHANISM_OAUTHBEARER,
    MAIL_SASL_MECHANISM_XOAUTH2,
  };
  const MailSaslMechanism *order;
  guint n_order;

  if (credential == MAIL_SASL_CREDENTIAL_OAUTH2)
    {
      if (!encrypted)
        {
          g_set_error_literal (error, MAIL_NET_ERROR, MAIL_NET_ERROR_PLAINTEXT_REFUSED,
                               _("The sign-in token would have been sent over an unencrypted "
                                 "connection, so it was not sent."));
          return MAIL_SASL_MECHANISM_NONE;
        }
      order = token_order;
      n_order = G_N_ELEMENTS (token_order);
    }
  else
    {
      if (!encrypted && !allow_plaintext_password)
        {
          g_set_error_literal (error, MAIL_NET_ERROR, MAIL_NET_ERROR_PLAINTEXT_REFUSED,
                               _("The password would have been sent over an unencrypted "
                                 "connection, so it was not sent."));
          return MAIL_SASL_MECHANISM_NONE;
        }
      order = password_order;
      n_order = G_N_ELEMENTS (password_order);
    }

  for (guint i = 0; i < n_order; i++)
    if (is_offered (offered, order[i]))
      return order[i];

  g_set_error_literal (error, MAIL_NET_ERROR, MAIL_NET_ERROR_NO_MECHANISM,
                       credential == MAIL_SASL_CREDENTIAL_OAUTH2
                       ? _("The server does not offer a way to sign in with an OAuth token.")
                       : _("The server does not offer a way to sign in with a password that "
                           "this application supports."));

  return MAIL_SASL_MECHANISM_NONE;
}

static gboolean
check_text (const char  *text,
            gboolean     forbid_separators,
            GError     **error)
{
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, MAIL_NET_ERROR, MAIL_NET_ERROR_FAILED,
                           _("The user name or password is not valid UTF-8 text."));
      return FALSE;
    }

  if (forbid_separators && strchr (text, '\x01') != NULL)
    {
      g_set_error_literal (error, MAIL_NET_ERROR, MAIL_NET_ERROR_FAILED,
                           _("The user name or token contains a character that cannot be sent."));
      return FALSE;
    }

  return TRUE;
}

/**
 * mail_sasl_plain_response:
 * @authzid: (nullable): the identity to act as, normally %NULL (empty)
 * @user: the user name
 * @password: the password
 * @error: return location for a #GError
 *
 * The PLAIN response of RFC 4616: base64 of authzid NUL user NUL password. It can go
 * with the command as an initial response (SASL-IR, "AUTH PLAIN <response>").
 *
 * Returns: (transfer full) (nullable): the base64 response; free it with
 *   mail_sasl_clear_free()
 */
char *
mail_sasl_plain_response (const char  *authzid,
                          const char  *user,
                          const char  *password,
                          GError     **error)
{
  MailSecretBuffer *raw;

  g_return_val_if_fail (user != NULL, NULL);
  g_return_val_if_fail (password != NULL, NULL);

  if ((authzid != NULL && !check_text (authzid, FALSE, error))
      || !check_text (user, FALSE, error) || !check_text (password, FALSE, error))
    return NULL;

  raw = mail_secret_buffer_new ((authzid != NULL ? strlen (authzid) : 0) + 1 + strlen (user)
                                + 1 + strlen (password));
  if (authzid != NULL)
    mail_secret_buffer_append_str (raw, authzid);
  mail_secret_buffer_append_c (raw, '\0');
  mail_secret_buffer_append_str (raw, user);
  mail_secret_buffer_append_c (raw, '\0');
  mail_secret_buffer_append_str (raw, password);

  return encode_and_wipe (raw);
}

/**
 * mail_sasl_login_response:
 * @step: 0 for the answer to the first challenge ("Username:"), 1 for the second
 *   ("Password:")
 * @user: the user name
 * @password: the password
 * @error: return location for a #GError
 *
 * The LOGIN responses: base64 of the user name, then of the password. Servers' prompts
 * vary, so the answer depends on the step, not on the challenge text.
 *
 * Returns: (transfer full) (nullable): the base64 response; free it with
 *   mail_sasl_clear_free()
 */
char *
mail_sasl_login_response (guint        step,
                          const char  *user,
                          const char  *password,
                          GError     **error)
{
  const char *text;

  g_return_val_if_fail (user != NULL, NULL);
  g_return_val_if_fail (password != NULL, NULL);

  if (step > 1)
    {
      g_set_error_literal (error, MAIL_NET_ERROR, MAIL_NET_ERROR_FAILED,
                           _("The server asked for more than a user name and a password."));
      return NULL;
    }

  text = step == 0 ? user : password;
  if (!check_text (text, FALSE, error))
    return NULL;

  /* Straight from the caller's string: no copy to wipe. */
  return g_base64_encode ((const guchar *) text, strlen (text));
}

/**
 * mail_sasl_xoauth2_response:
 * @user: the user name (the e-mail address)
 * @token: the OAuth 2.0 access token
 * @error: return location for a #GError
 *
 * The XOAUTH2 response: base64 of "user=U ^A auth=Bearer T ^A ^A".
 *
 * Returns: (transfer full) (nullable): the base64 response; free it with
 *   mail_sasl_clear_free()
 */
char *
mail_sasl_xoauth2_response (const char  *user,
                            const char  *token,
                            GError     **error)
{
  static const char user_key[] = "user=";
  static const char auth_key[] = "\001auth=Bearer ";
  MailSecretBuffer *raw;

  g_return_val_if_fail (user != NULL, NULL);
  g_return_val_if_fail (token != NULL, NULL);

  if (!check_text (user, TRUE, error) || !check_text (token, TRUE, error))
    return NULL;

  /* Piece by piece, not with a printf, whose own buffer would keep a copy of the token. */
  raw = mail_secret_buffer_new (strlen (user_key) + strlen (user) + strlen (auth_key)
                                + strlen (token) + 2);
  mail_secret_buffer_append_str (raw, user_key);
  mail_secret_buffer_append_str (raw, user);
  mail_secret_buffer_append_str (raw, auth_key);
  mail_secret_buffer_append_str (raw, token);
  mail_secret_buffer_append_str (raw, "\001\001");

  return encode_and_wipe (raw);
}

/**
 * mail_sasl_oauthbearer_response:
 * @user: the user name (the e-mail address)
 * @host: (nullable): the server's host name
 * @port: the server's port, or 0 to leave it out
 * @token: the OAuth 2.0 access token
 * @error: return location for a #GError
 *
 * The OAUTHBEARER client response of RFC 7628: a GS2 header naming @user ("," and "="
 * escaped), then host, port and "auth=Bearer T", separated by ^A.
 *
 * Returns: (transfer full) (nullable): the base64 response; free it with
 *   mail_sasl_clear_free()
 */
char *
mail_sasl_oauthbearer_response (const char  *user,
                                const char  *host,
                                guint16      port,
                                const char  *token,
                                GError     **error)
{
  static const char host_key[] = "\001host=";
  static const char port_key[] = "\001port=";
  static const char auth_key[] = "\001auth=Bearer ";
  char port_text[8] = "";
  MailSecretBuffer *raw;
  gsize size;

  g_return_val_if_fail (user != NULL, NULL);
  g_return_val_if_fail (token != NULL, NULL);

  if (!check_text (user, TRUE, error) || !check_text (token, TRUE, error)
      || (host != NULL && !check_text (host, TRUE, error)))
    return NULL;

  if (port != 0)
    g_snprintf (port_text, sizeof port_text, "%u", (guint) port);

  /* The exact size first, so that the buffer never grows: "n,a=" and the user name, with
   * each "," and "=" written as three bytes, then ",", host, port and the token. */
  size = strlen ("n,a=") + 1 + strlen (auth_key) + strlen (token) + 2;
  for (const char *p = user; *p != '\0'; p++)
    size += *p == ',' || *p == '=' ? 3 : 1;
  if (host != NULL)
    size += strlen (host_key) + strlen (host);
  if (port != 0)
    size += strlen (port_key) + strlen (port_text);

  /* Piece by piece, not with a printf, whose own buffer would keep a copy of the token. */
  raw = mail_secret_buffer_new (size);
  mail_secret_buffer_append_str (raw, "n,a=");
  for (const char *p = user; *p != '\0'; p++)
    {
      if (*p == ',')
        mail_secret_buffer_append_str (raw, "=2C");
      else if (*p == '=')
        mail_secret_buffer_append_str (raw, "=3D");
      else
        mail_secret_buffer_append_c (raw, *p);
    }
  mail_secret_buffer_append_c (raw, ',');
  if (host != NULL)
    {
      mail_secret_buffer_append_str (raw, host_key);
      mail_secret_buffer_append_str (raw, host);
    }
  if (port != 0)
    {
      mail_secret_buffer_append_str (raw, port_key);
      mail_secret_buffer_append_str (raw, port_text);
    }
  mail_secret_buffer_append_str (raw, auth_key);
  mail_secret_buffer_append_str (raw, token);
  mail_secret_buffer_append_str (raw, "\001\001");

  return encode_and_wipe (raw);
}

/**
 * mail_sasl_decode_challenge:
 * @challenge: a base64 challenge from the server (the text after "+ " or "334 ")
 * @error: return location for a #GError
 *
 * Decodes a server challenge strictly: only the base64 alphabet, padded to a multiple
 * of four. An OAuth failure arrives this way as a JSON document.
 *
 * Returns: (transfer full) (nullable): the decoded challenge, or %NULL with @error set
 */
GBytes *
mail_sasl_decode_challenge (const char  *challenge,
                            GError     **error)
{
  gsize len;
  gsize decoded_len = 0;
  guchar *decoded;

  g_return_val_if_fail (challenge != NULL, NULL);

  len = strlen (challenge);
  for (gsize i = 0; i < len; i++)
    {
      char c = challenge[i];
      gboolean padding = c == '=' && i + 2 >= len && (i + 1 == len || challenge[i + 1] == '=');

      if (!g_ascii_isalnum (c) && c != '+' && c != '/' && !padding)
        {
          g_set_error_literal (error, MAIL_NET_ERROR, MAIL_NET_ERROR_FAILED,
                               _("The server sent a sign-in challenge that is not valid base64."));
          return NULL;
        }
    }

  if (len % 4 != 0)
    {
      g_set_error_literal (error, MAIL_NET_ERROR, MAIL_NET_ERROR_FAILED,
                           _("The server sent a sign-in challenge that is not valid base64."));
      return NULL;
    }

  if (len == 0)
    return g_bytes_new (NULL, 0);

  decoded = g_base64_decode (challenge, &decoded_len);

  return g_bytes_new_take (decoded, decoded_len);
}
