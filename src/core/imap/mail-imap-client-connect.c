/* mail-imap-client-connect.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Connecting an IMAP client: the greeting, the capabilities, STARTTLS, signing in with
 * AUTHENTICATE (SASL) or LOGIN, and at the end LOGOUT and closing. The security rules these
 * follow are described at the top of mail-imap-client.c. */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-imap-client-private.h"
#include "mail-net-error.h"
#include "mail-sasl-exchange.h"

static void
forget_session (MailImapClient *self)
{
  _mail_imap_client_log_reset (self);
  g_clear_pointer (&self->capabilities, g_strfreev);
  self->capabilities_fresh = FALSE;
  g_ptr_array_set_size (self->enabled, 0);
  g_clear_pointer (&self->bye_text, g_free);
  g_clear_pointer (&self->continuation, mail_imap_response_unref);
  g_clear_pointer (&self->selected, g_free);
  self->want_continuation = FALSE;
  if (self->parser != NULL)
    {
      mail_imap_parser_reset (self->parser);
      mail_imap_parser_set_utf8_accept (self->parser, FALSE);
    }
}

static gboolean
starttls_unavailable (MailImapClient  *self,
                      MailNetError     code,
                      GError         **error)
{
  GError *local_error = NULL;

  mail_net_error_set_starttls_unavailable (&local_error, code);

  return _mail_imap_client_fail_all_take (self, local_error, error);
}

static gboolean
starttls_sync (MailImapClient  *self,
               GCancellable    *cancellable,
               GError         **error)
{
  g_autoptr (MailImapCommand) command = NULL;
  g_autoptr (GError) local_error = NULL;

  if (!mail_imap_client_has_capability (self, "STARTTLS"))
    return starttls_unavailable (self, MAIL_NET_ERROR_STARTTLS_NOT_OFFERED, error);

  command = mail_imap_client_new_command (self, "STARTTLS");
  if (!mail_imap_client_run_sync (self, command, cancellable, &local_error))
    {
      if (local_error->domain == MAIL_IMAP_ERROR && mail_imap_command_get_tagged (command) != NULL)
        return starttls_unavailable (self, MAIL_NET_ERROR_STARTTLS_REFUSED, error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  /* Whatever came with the OK came before TLS: an injection. */
  if (_mail_imap_client_has_unread_input (self))
    {
      mail_protocol_log_add_info (mail_connection_get_log (self->connection),
                                  "data followed the STARTTLS reply: possible response "
                                  "injection, closing");
      return starttls_unavailable (self, MAIL_NET_ERROR_STARTTLS_INJECTION, error);
    }

  if (!mail_connection_start_tls_sync (self->connection, cancellable, &local_error))
    return _mail_imap_client_fail_all_take (self, g_steal_pointer (&local_error), error);

  /* Nothing learned in plaintext counts. */
  forget_session (self);
  self->encrypted = TRUE;

  return mail_imap_client_capability_sync (self, cancellable, error);
}

static gboolean
connect_steps_sync (MailImapClient  *self,
                    GCancellable    *cancellable,
                    GError         **error)
{
  g_autoptr (MailImapResponse) greeting = NULL;
  MailImapParserLimits limits;
  MailSecurity security;

  /* The parser's own limits apply, not the line reader's: IMAP reads bypass the reader's
   * line splitting (_mail_imap_client_read_response_sync() feeds the parser whatever
   * arrives), and a plain SEARCH over a large mailbox needs a line far longer than the
   * reader's 1 MiB. */
  mail_imap_parser_limits_init (&limits);
  g_clear_pointer (&self->parser, mail_imap_parser_free);
  self->parser = mail_imap_parser_new (&limits);
  _mail_imap_client_install_sink (self);
  forget_session (self);
  self->state = MAIL_IMAP_CLIENT_DISCONNECTED;
  self->head_waiting = FALSE;

  if (!mail_connection_connect_sync (self->connection, cancellable, error))
    return FALSE;
  _mail_imap_client_restart_clock (self);

  security = mail_connection_get_security (self->connection);
  self->encrypted = mail_connection_is_encrypted (self->connection);
  mail_connection_set_phase (self->connection, MAIL_CONNECTION_PHASE_GREETING);

  greeting = _mail_imap_client_read_response_sync (self, cancellable, error);
  if (greeting == NULL)
    return FALSE;

  if (greeting->kind != MAIL_IMAP_RESPONSE_STATUS
      || (greeting->status != MAIL_IMAP_STATUS_OK && greeting->status != MAIL_IMAP_STATUS_PREAUTH
          && greeting->status != MAIL_IMAP_STATUS_BYE))
    return _mail_imap_client_protocol_error (self, error,
                                             _("The server did not greet like an IMAP "
                                               "server."));

  if (greeting->status == MAIL_IMAP_STATUS_BYE)
    {
      /* A server too busy to take the connection says so with [UNAVAILABLE] or [INUSE]
       * (RFC 5530): worth trying again later, unlike other refusals. */
      MailImapError code = MAIL_IMAP_ERROR_BYE;

      if (mail_connection_is_encrypted (self->connection)
          && (greeting->code.kind == MAIL_IMAP_CODE_UNAVAILABLE
              || greeting->code.kind == MAIL_IMAP_CODE_INUSE))
        code = MAIL_IMAP_ERROR_TEMPORARY;

      /* A plaintext greeting's text is not shown: anyone could have written it. */
      if (mail_connection_is_encrypted (self->connection) && greeting->text != NULL
          && greeting->text[0] != '\0')
        return _mail_imap_client_fail_all_take (self,
                                                g_error_new (MAIL_IMAP_ERROR, code,
                                                             _("The server refused the "
                                                               "connection: %s"),
                                                             greeting->text),
                                                error);
      return _mail_imap_client_fail_all_take (self,
                                              g_error_new_literal (MAIL_IMAP_ERROR, code,
                                                                   _("The server refused the "
                                                                     "connection.")),
                                              error);
    }

  if (greeting->status == MAIL_IMAP_STATUS_PREAUTH && security == MAIL_SECURITY_STARTTLS)
    {
      mail_protocol_log_add_info (mail_connection_get_log (self->connection),
                                  "PREAUTH greeting on a STARTTLS account: closing");
      return starttls_unavailable (self, MAIL_NET_ERROR_STARTTLS_PREAUTH, error);
    }

  if (greeting->code.kind == MAIL_IMAP_CODE_CAPABILITY && greeting->code.atoms != NULL)
    _mail_imap_client_set_capabilities (self, greeting->code.atoms);

  mail_connection_set_phase (self->connection, MAIL_CONNECTION_PHASE_COMMAND);
  self->state = greeting->status == MAIL_IMAP_STATUS_PREAUTH ? MAIL_IMAP_CLIENT_AUTHENTICATED
                                                              : MAIL_IMAP_CLIENT_NOT_AUTHENTICATED;

  if (self->capabilities == NULL && !mail_imap_client_capability_sync (self, cancellable, error))
    return FALSE;

  if (security == MAIL_SECURITY_STARTTLS && !starttls_sync (self, cancellable, error))
    return FALSE;

  return TRUE;
}

/**
 * mail_imap_client_connect_sync:
 * @self: a #MailImapClient
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Connects, reads the greeting, upgrades with STARTTLS when the account says so and
 * learns the capabilities. Fails with the STARTTLS errors of mail-net-error.h when the
 * upgrade is impossible (not offered, refused, PREAUTH greeting, injected data): nothing
 * else is sent then. Whatever the server says before TLS (a BYE greeting, the text of a
 * refusal) is only shown in the protocol log; the error has a generic message. On any
 * failure the connection is closed.
 *
 * Returns: %TRUE when connected (not yet authenticated, unless the server sent PREAUTH
 *   over TLS)
 */
gboolean
mail_imap_client_connect_sync (MailImapClient  *self,
                               GCancellable    *cancellable,
                               GError         **error)
{
  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);

  if (mail_connection_is_connected (self->connection))
    mail_imap_client_close (self);

  if (!connect_steps_sync (self, cancellable, error))
    {
      /* A refused CAPABILITY, for one, fails only its command: do not leave a half-set-up
       * session open behind the error. */
      mail_imap_client_close (self);
      return FALSE;
    }

  return TRUE;
}

static gboolean
auth_failed (MailImapClient  *self,
             GError          *local_error,
             GError         **error)
{
  if (local_error->domain == MAIL_IMAP_ERROR && local_error->code == MAIL_IMAP_ERROR_NO)
    local_error->code = MAIL_IMAP_ERROR_AUTH_FAILED;

  g_propagate_error (error, local_error);

  return FALSE;
}

/* SASL (mail-sasl-exchange.c) over IMAP: "AUTHENTICATE <mechanism> [<initial response>]"
 * (RFC 3501 §6.2.2, SASL-IR of RFC 4959), then "+ challenge" continuation requests answered
 * one line each, until the tagged reply. */
typedef struct
{
  MailImapClient  *self;
  MailImapCommand *command;
} Authenticate;

static gboolean
sasl_start (gpointer       client,
            const char    *mechanism,
            const char    *initial_response,
            GCancellable  *cancellable,
            GError       **error)
{
  Authenticate *auth = client;

  auth->command = mail_imap_client_new_command (auth->self, "AUTHENTICATE");
  mail_imap_command_add_atom (auth->command, mechanism);
  if (initial_response != NULL)
    {
      MailImapSegment *segment = &g_array_index (auth->command->segments, MailImapSegment, 0);

      segment->secret = TRUE;
      segment->public_len = segment->data->len + 1;
      g_byte_array_append (segment->data, (const guint8 *) " ", 1);
      g_byte_array_append (segment->data, (const guint8 *) initial_response,
                           strlen (initial_response));
    }

  auth->self->want_continuation = TRUE;

  return mail_imap_client_submit (auth->self, auth->command, cancellable, error);
}

static gboolean
sasl_respond (gpointer       client,
              const char    *response,
              GCancellable  *cancellable,
              GError       **error)
{
  Authenticate *auth = client;
  GError *local_error = NULL;

  if (!mail_sasl_write_line (auth->self->connection, NULL, response, cancellable,
                             &local_error))
    return _mail_imap_client_fail_all_take (auth->self, local_error, error);

  return TRUE;
}

/* The next continuation request, or the tagged reply. An early OK is a success. */
static MailSaslReply
sasl_read_step (gpointer       client,
                gboolean       challenge_expected,
                GCancellable  *cancellable,
                GError       **error)
{
  Authenticate *auth = client;
  MailImapClient *self = auth->self;
  GError *local_error = NULL;

  while (!auth->command->done)
    {
      if (self->continuation != NULL)
        {
          g_clear_pointer (&self->continuation, mail_imap_response_unref);
          return MAIL_SASL_REPLY_CHALLENGE;
        }
      if (!_mail_imap_client_process_one_sync (self, cancellable, NULL))
        break;
    }

  if (!mail_imap_command_check (auth->command, &local_error))
    {
      auth_failed (self, local_error, error);
      return MAIL_SASL_REPLY_FAILURE;
    }

  return MAIL_SASL_REPLY_SUCCESS;
}

/* "*" ends the exchange (RFC 3501 §6.2.2), and the server's BAD is the error. */
static void
sasl_cancel (gpointer       client,
             GCancellable  *cancellable,
             GError       **error)
{
  Authenticate *auth = client;

  if (!sasl_respond (client, "*", cancellable, error)
      || sasl_read_step (client, FALSE, cancellable, error) == MAIL_SASL_REPLY_FAILURE)
    return;

  /* It challenged again, or let us in after all. */
  _mail_imap_client_protocol_error (auth->self, error,
                                    _("The server asked for more than a user name and "
                                      "password while signing in."));
}

static const MailSaslTransport sasl_transport = {
  .start = sasl_start,
  .respond = sasl_respond,
  .read_step = sasl_read_step,
  .cancel = sasl_cancel,
};

static gboolean
authenticate_sync (MailImapClient     *self,
                   MailSaslMechanism   mechanism,
                   const char         *user,
                   const char         *password,
                   GCancellable       *cancellable,
                   GError            **error)
{
  Authenticate auth = { self, NULL };
  gboolean sasl_ir = mail_imap_client_has_capability (self, "SASL-IR")
                     && (self->options & MAIL_IMAP_CLIENT_OPTION_IGNORE_LITERAL_PLUS) == 0;
  MailSaslExchangeOptions options = {
    .connection = self->connection,
    .max_initial_response = sasl_ir ? G_MAXSIZE : 0,
  };
  gboolean ok;

  ok = mail_sasl_exchange_run (&sasl_transport, &auth, &options, mechanism, user, password,
                               cancellable, error);

  self->want_continuation = FALSE;
  g_clear_pointer (&self->continuation, mail_imap_response_unref);
  g_clear_pointer (&auth.command, mail_imap_command_unref);

  return ok;
}

static gboolean
login_command_sync (MailImapClient  *self,
                    const char      *user,
                    const char      *password,
                    GCancellable    *cancellable,
                    GError         **error)
{
  g_autoptr (MailImapCommand) command = mail_imap_client_new_command (self, "LOGIN");
  GError *local_error = NULL;

  if (!mail_imap_command_add_string (command, user, error))
    return FALSE;
  mail_imap_command_add_secret (command, password);

  if (!mail_imap_client_run_sync (self, command, cancellable, &local_error))
    return auth_failed (self, local_error, error);

  return TRUE;
}

/**
 * mail_imap_client_login_sync:
 * @self: a connected #MailImapClient
 * @user: the user name
 * @password: the password
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Signs in with AUTHENTICATE PLAIN (with SASL-IR when offered) or LOGIN, else the LOGIN
 * command unless LOGINDISABLED. The password is sent only over an encrypted connection,
 * unless plaintext was allowed for the account. A refusal is %MAIL_IMAP_ERROR_AUTH_FAILED.
 * The capabilities are read again afterwards.
 *
 * Returns: %TRUE when signed in
 */
gboolean
mail_imap_client_login_sync (MailImapClient  *self,
                             const char      *user,
                             const char      *password,
                             GCancellable    *cancellable,
                             GError         **error)
{
  g_autoptr (GPtrArray) offered = g_ptr_array_new ();
  g_autoptr (GError) local_error = NULL;
  MailSaslMechanism mechanism;
  gboolean encrypted;
  gboolean ok;

  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (user != NULL, FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  if (!_mail_imap_client_check_connected (self, error))
    return FALSE;

  if (self->state != MAIL_IMAP_CLIENT_NOT_AUTHENTICATED)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The client is already signed in."));
      return FALSE;
    }

  for (guint i = 0; self->capabilities != NULL && self->capabilities[i] != NULL; i++)
    if (g_ascii_strncasecmp (self->capabilities[i], "AUTH=", 5) == 0)
      g_ptr_array_add (offered, self->capabilities[i] + 5);
  g_ptr_array_add (offered, NULL);

  encrypted = mail_connection_is_encrypted (self->connection);
  mechanism = mail_sasl_choose_mechanism ((const char * const *) offered->pdata,
                                          MAIL_SASL_CREDENTIAL_PASSWORD, encrypted,
                                          self->allow_plaintext, &local_error);

  if (mechanism == MAIL_SASL_MECHANISM_NONE)
    {
      if (!g_error_matches (local_error, MAIL_NET_ERROR, MAIL_NET_ERROR_NO_MECHANISM))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (mail_imap_client_has_capability (self, "LOGINDISABLED"))
        {
          g_set_error_literal (error, MAIL_NET_ERROR, MAIL_NET_ERROR_NO_MECHANISM,
                               _("The server does not allow signing in with a password "
                                 "here."));
          return FALSE;
        }
      if (!encrypted && !self->allow_plaintext)
        {
          g_set_error_literal (error, MAIL_NET_ERROR, MAIL_NET_ERROR_PLAINTEXT_REFUSED,
                               _("The password would have been sent over an unencrypted "
                                 "connection, so it was not sent."));
          return FALSE;
        }
    }

  self->capabilities_fresh = FALSE;

  if (mechanism == MAIL_SASL_MECHANISM_NONE)
    ok = login_command_sync (self, user, password, cancellable, error);
  else
    ok = authenticate_sync (self, mechanism, user, password, cancellable, error);

  if (!ok)
    return FALSE;

  self->state = MAIL_IMAP_CLIENT_AUTHENTICATED;

  if (!self->capabilities_fresh)
    return mail_imap_client_capability_sync (self, cancellable, error);

  return TRUE;
}

/**
 * mail_imap_client_logout_sync:
 * @self: a #MailImapClient
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Says LOGOUT and closes the connection.
 *
 * Returns: %TRUE when the server confirmed
 */
gboolean
mail_imap_client_logout_sync (MailImapClient  *self,
                              GCancellable    *cancellable,
                              GError         **error)
{
  gboolean ok;

  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);

  ok = _mail_imap_client_simple_sync (self, "LOGOUT", cancellable, error);
  self->state = MAIL_IMAP_CLIENT_LOGGED_OUT;
  mail_imap_client_close (self);

  return ok;
}

/**
 * mail_imap_client_close:
 * @self: a #MailImapClient
 *
 * Closes the connection at once; commands in flight fail.
 */
void
mail_imap_client_close (MailImapClient *self)
{
  g_autoptr (GError) error = NULL;

  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));

  error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CLOSED, _("The connection was closed."));
  if (self->in_flight != NULL)
    _mail_imap_client_fail_all (self, error);
}
