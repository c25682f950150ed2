/* mail-pop3-client-auth.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Signing in, part of MailPop3Client (see mail-pop3-client.c): SASL PLAIN and LOGIN with
 * AUTH (RFC 5034), whose steps mail-sasl-exchange.c holds, or USER and PASS (RFC 1939).
 * Every password and SASL response leaves through mail_connection_write_secret_sync()
 * (send_secret(), mail_sasl_write_line()), so the protocol log shows "******" and nothing
 * is sent over a connection that is not encrypted unless the user allowed it;
 * mail_pop3_client_login_sync() checks the same before it starts.
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "mail-pop3"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-pop3-client-private.h"
#include "mail-sasl-exchange.h"

/* RFC 2449 §4: a command line is at most 255 octets, CRLF included. */
#define COMMAND_LINE_MAX   255

static void
set_protocol_error (MailPop3Client  *self,
                    GError         **error,
                    const char      *message)
{
  g_set_error_literal (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_PROTOCOL, message);
}

static gboolean
send_secret (MailPop3Client  *self,
             const char      *data,
             gsize            public_len,
             GCancellable    *cancellable,
             GError         **error)
{
  if (!mail_connection_write_secret_sync (self->connection, data, strlen (data), public_len,
                                          cancellable, error))
    {
      _mail_pop3_client_connection_lost (self);
      return FALSE;
    }

  return TRUE;
}

static gboolean
auth_failed (MailPop3Client       *self,
             const MailPop3Reply  *reply,
             GError              **error)
{
  g_autofree char *message = g_strdup_printf (_("The server %s did not accept the user name "
                                                "or password."),
                                              _mail_pop3_client_server_name (self));

  _mail_pop3_client_set_reply_error (self, reply, MAIL_POP3_ERROR_AUTH_FAILED, message, error);

  return FALSE;
}

/* SASL (mail-sasl-exchange.c) over POP3: "AUTH <mechanism> [<initial response>]", then
 * "+ challenge" lines answered one line each. */

static MailSaslReply
sasl_read_step (gpointer       client,
                gboolean       challenge_expected,
                GCancellable  *cancellable,
                GError       **error)
{
  MailPop3Client *self = client;
  MailSaslReply result = MAIL_SASL_REPLY_FAILURE;
  MailPop3Reply reply;

  if (!_mail_pop3_client_read_reply (self, TRUE, &reply, cancellable, error))
    return MAIL_SASL_REPLY_FAILURE;

  switch (reply.status)
    {
    case MAIL_POP3_REPLY_CONTINUE:
      result = MAIL_SASL_REPLY_CHALLENGE;
      break;

    case MAIL_POP3_REPLY_ERR:
      auth_failed (self, &reply, error);
      break;

    case MAIL_POP3_REPLY_OK:
    default:
      if (!challenge_expected)
        {
          result = MAIL_SASL_REPLY_SUCCESS;
          break;
        }
      set_protocol_error (self, error, _("The server ended the sign-in exchange too early."));
      _mail_pop3_client_abort_session (self);
      break;
    }

  mail_pop3_reply_clear (&reply);

  return result;
}

/* Ends a SASL exchange the server wants to continue beyond what the mechanism has to say. */
static void
sasl_cancel (gpointer       client,
             GCancellable  *cancellable,
             GError       **error)
{
  MailPop3Client *self = client;
  MailPop3Reply reply;

  if (_mail_pop3_client_send_line (self, "*", cancellable, NULL)
      && _mail_pop3_client_read_reply (self, FALSE, &reply, cancellable, NULL))
    mail_pop3_reply_clear (&reply);

  set_protocol_error (self, error, _("The server asked for more than a user name and password "
                                     "while signing in."));
  _mail_pop3_client_abort_session (self);
}

/* The AUTH lines are written by mail-sasl-exchange.c, on the options' connection. */
static const MailSaslTransport sasl_transport = {
  .read_step = sasl_read_step,
  .cancel = sasl_cancel,
};

static gboolean
login_sasl (MailPop3Client     *self,
            MailSaslMechanism   mechanism,
            const char         *user,
            const char         *password,
            GCancellable       *cancellable,
            GError            **error)
{
  /* RFC 5034 §4: an initial response goes with AUTH when the line fits in 255 octets. */
  MailSaslExchangeOptions options = {
    .connection = self->connection,
    .max_line = COMMAND_LINE_MAX,
  };

  if (mail_sasl_exchange_run (&sasl_transport, self, &options, mechanism, user, password,
                              cancellable, error))
    return TRUE;

  /* A write that failed closed the connection. */
  _mail_pop3_client_connection_lost (self);

  return FALSE;
}

static gboolean
login_user_pass (MailPop3Client  *self,
                 const char      *user,
                 const char      *password,
                 GCancellable    *cancellable,
                 GError         **error)
{
  g_autofree char *user_command = NULL;
  MailPop3Reply reply;
  char *pass_command;
  gboolean ok;

  if (strpbrk (user, "\r\n") != NULL || strpbrk (password, "\r\n") != NULL)
    {
      g_set_error_literal (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_AUTH_FAILED,
                           _("The user name or password contains a line break, which this "
                             "server’s sign-in method cannot carry."));
      return FALSE;
    }

  user_command = g_strconcat ("USER ", user, NULL);
  if (!_mail_pop3_client_send_line (self, user_command, cancellable, error)
      || !_mail_pop3_client_read_reply (self, FALSE, &reply, cancellable, error))
    return FALSE;

  if (reply.status != MAIL_POP3_REPLY_OK)
    {
      auth_failed (self, &reply, error);
      mail_pop3_reply_clear (&reply);
      return FALSE;
    }
  mail_pop3_reply_clear (&reply);

  pass_command = g_strconcat ("PASS ", password, "\r\n", NULL);
  ok = send_secret (self, pass_command, strlen ("PASS "), cancellable, error);
  mail_sasl_clear_free (pass_command);
  if (!ok || !_mail_pop3_client_read_reply (self, FALSE, &reply, cancellable, error))
    return FALSE;

  ok = reply.status == MAIL_POP3_REPLY_OK || auth_failed (self, &reply, error);
  mail_pop3_reply_clear (&reply);

  return ok;
}

static MailPop3Auth
choose_auth (MailPop3Client  *self,
             gboolean         encrypted,
             GError         **error)
{
  g_auto (GStrv) offered = NULL;
  MailSaslMechanism mechanism;

  if (self->auth != MAIL_POP3_AUTH_AUTO)
    return self->auth;

  offered = mail_pop3_client_dup_auth_mechanisms (self);
  if (g_strv_contains ((const char * const *) offered, "PLAIN")
      || g_strv_contains ((const char * const *) offered, "LOGIN"))
    {
      mechanism = mail_sasl_choose_mechanism ((const char * const *) offered,
                                              MAIL_SASL_CREDENTIAL_PASSWORD, encrypted,
                                              self->allow_plaintext_password, error);
      if (mechanism == MAIL_SASL_MECHANISM_PLAIN)
        return MAIL_POP3_AUTH_PLAIN;
      if (mechanism == MAIL_SASL_MECHANISM_LOGIN)
        return MAIL_POP3_AUTH_LOGIN;
      return MAIL_POP3_AUTH_AUTO;
    }

  return MAIL_POP3_AUTH_USER;
}

/**
 * mail_pop3_client_login_sync:
 * @self: a #MailPop3Client
 * @user: the user name
 * @password: the password
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Signs in with SASL PLAIN (with an initial response) or LOGIN when the server lists
 * them, otherwise with USER and PASS (see mail_pop3_client_set_auth()), then reads the
 * capabilities again. On a connection that is not encrypted nothing is sent and the call
 * fails with %MAIL_NET_ERROR_PLAINTEXT_REFUSED, unless the account uses no encryption and
 * mail_pop3_client_set_allow_plaintext_password() allowed it.
 *
 * A refusal is %MAIL_POP3_ERROR_AUTH_FAILED, or %MAIL_POP3_ERROR_IN_USE,
 * %MAIL_POP3_ERROR_LOGIN_DELAY, %MAIL_POP3_ERROR_SYS_TEMP or %MAIL_POP3_ERROR_SYS_PERM
 * when the server says so with a response code; the session then stays in
 * %MAIL_POP3_STATE_AUTHORIZATION.
 *
 * Returns: %TRUE when signed in
 */
gboolean
mail_pop3_client_login_sync (MailPop3Client  *self,
                             const char      *user,
                             const char      *password,
                             GCancellable    *cancellable,
                             GError         **error)
{
  GError *local_error = NULL;
  gboolean encrypted;
  MailPop3Auth auth;
  gboolean ok;

  g_return_val_if_fail (MAIL_IS_POP3_CLIENT (self), FALSE);
  g_return_val_if_fail (user != NULL, FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  if (!_mail_pop3_client_require_state (self, MAIL_POP3_STATE_AUTHORIZATION, error))
    return FALSE;

  encrypted = mail_connection_is_encrypted (self->connection);
  if (!encrypted
      && !(mail_connection_get_security (self->connection) == MAIL_SECURITY_NONE
           && self->allow_plaintext_password))
    {
      mail_protocol_log_add_info (mail_connection_get_log (self->connection),
                                  "not signing in without encryption");
      g_set_error_literal (error, MAIL_NET_ERROR, MAIL_NET_ERROR_PLAINTEXT_REFUSED,
                           _("The password would have been sent over an unencrypted "
                             "connection, so it was not sent."));
      return FALSE;
    }

  auth = choose_auth (self, encrypted, &local_error);
  switch (auth)
    {
    case MAIL_POP3_AUTH_PLAIN:
      ok = login_sasl (self, MAIL_SASL_MECHANISM_PLAIN, user, password, cancellable, error);
      break;

    case MAIL_POP3_AUTH_LOGIN:
      ok = login_sasl (self, MAIL_SASL_MECHANISM_LOGIN, user, password, cancellable, error);
      break;

    case MAIL_POP3_AUTH_USER:
      ok = login_user_pass (self, user, password, cancellable, error);
      break;

    case MAIL_POP3_AUTH_AUTO:
    default:
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  g_clear_error (&local_error);
  if (!ok)
    return FALSE;

  _mail_pop3_client_set_state (self, MAIL_POP3_STATE_TRANSACTION);

  /* RFC 2449 §5: the capabilities may change once signed in. */
  return _mail_pop3_client_read_capabilities (self, cancellable, error);
}
