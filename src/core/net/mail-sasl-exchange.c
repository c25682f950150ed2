/* mail-sasl-exchange.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* One SASL exchange, for IMAP AUTHENTICATE, POP3 AUTH and SMTP AUTH alike: the steps of
 * each mechanism live here, and each protocol supplies a MailSaslTransport that knows only
 * how its replies read and how its lines are sent. POP3 and SMTP frame them alike ("AUTH
 * <mechanism> [<initial response>]", then bare response lines), which is written here for
 * a transport that leaves start and respond unset; IMAP sends its own.
 *
 *  - PLAIN, XOAUTH2 and OAUTHBEARER have one response, which goes with the command when
 *    the protocol allows it (SASL-IR, or a short enough line), else answers the server's
 *    first, empty, challenge.
 *  - LOGIN answers two challenges: the user name, then the password.
 *  - A failed OAuth exchange ends with an error challenge (RFC 7628 §3.2.3), answered with
 *    a dummy response so that the server sends its final failure: "AQ==" for OAUTHBEARER,
 *    an empty line for XOAUTH2.
 *  - A challenge beyond what the mechanism has to say cancels the exchange.
 *
 * Every response is built before the first line goes out, each in a buffer sized once and
 * wiped when freed, so a user name or password that cannot be sent fails the exchange
 * before it starts.
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "mail-net"

#include <string.h>

#include "mail-sasl-exchange.h"
#include "mail-secret-buffer.h"

/* LOGIN has the most responses. */
#define MAX_RESPONSES 2

/* What starts the exchange in POP3 and SMTP, before the mechanism's name. */
#define AUTH_PREFIX "AUTH "

typedef struct
{
  /* The mechanism's responses, in the order they are sent. */
  char       *responses[MAX_RESPONSES];
  guint       n_responses;
  /* Whether the first response may go with the command. */
  gboolean    client_first;
  /* What answers an error challenge once every response was sent (OAuth), or NULL. */
  const char *error_answer;
} Steps;

static void
steps_clear (Steps *steps)
{
  for (guint i = 0; i < steps->n_responses; i++)
    g_clear_pointer (&steps->responses[i], mail_sasl_clear_free);
}

/* Takes @response, which is %NULL when it could not be built. */
static gboolean
steps_add (Steps *steps,
           char  *response)
{
  if (response == NULL)
    return FALSE;

  g_assert (steps->n_responses < MAX_RESPONSES);
  steps->responses[steps->n_responses++] = response;

  return TRUE;
}

static gboolean
steps_init (Steps                          *steps,
            MailSaslMechanism               mechanism,
            const char                     *user,
            const char                     *secret,
            const MailSaslExchangeOptions  *options,
            GError                        **error)
{
  MailConnection *connection = options != NULL ? options->connection : NULL;
  const char *host = connection != NULL ? mail_connection_get_host (connection) : NULL;
  guint16 port = connection != NULL ? mail_connection_get_port (connection) : 0;
  gboolean ok;

  memset (steps, 0, sizeof *steps);

  switch (mechanism)
    {
    case MAIL_SASL_MECHANISM_PLAIN:
      steps->client_first = TRUE;
      ok = steps_add (steps, mail_sasl_plain_response (NULL, user, secret, error));
      break;

    case MAIL_SASL_MECHANISM_LOGIN:
      ok = steps_add (steps, mail_sasl_login_response (0, user, secret, error))
           && steps_add (steps, mail_sasl_login_response (1, user, secret, error));
      break;

    case MAIL_SASL_MECHANISM_XOAUTH2:
      steps->client_first = TRUE;
      steps->error_answer = "";
      ok = steps_add (steps, mail_sasl_xoauth2_response (user, secret, error));
      break;

    case MAIL_SASL_MECHANISM_OAUTHBEARER:
      steps->client_first = TRUE;
      steps->error_answer = MAIL_SASL_OAUTH_ERROR_RESPONSE;
      ok = steps_add (steps, mail_sasl_oauthbearer_response (user, host, port, secret, error));
      break;

    case MAIL_SASL_MECHANISM_NONE:
    default:
      g_return_val_if_reached (FALSE);
    }

  if (!ok)
    steps_clear (steps);

  return ok;
}

static gboolean
send_start (const MailSaslTransport        *transport,
            gpointer                        client,
            const MailSaslExchangeOptions  *options,
            MailSaslMechanism               mechanism,
            const char                     *initial_response,
            GCancellable                   *cancellable,
            GError                        **error)
{
  const char *name = mail_sasl_mechanism_to_string (mechanism);
  g_autofree char *command = NULL;

  if (transport->start != NULL)
    return transport->start (client, name, initial_response, cancellable, error);

  command = g_strconcat (AUTH_PREFIX, name, NULL);

  return mail_sasl_write_line (options->connection, command, initial_response, cancellable,
                               error);
}

static gboolean
send_response (const MailSaslTransport        *transport,
               gpointer                        client,
               const MailSaslExchangeOptions  *options,
               const char                     *response,
               GCancellable                   *cancellable,
               GError                        **error)
{
  if (transport->respond != NULL)
    return transport->respond (client, response, cancellable, error);

  return mail_sasl_write_line (options->connection, NULL, response, cancellable, error);
}

/* How long an initial response may be to go with the command. */
static gsize
initial_response_room (const MailSaslTransport        *transport,
                       const MailSaslExchangeOptions  *options,
                       MailSaslMechanism               mechanism)
{
  gsize framing = strlen (AUTH_PREFIX) + strlen (mail_sasl_mechanism_to_string (mechanism))
                  + strlen (" \r\n");

  if (options == NULL)
    return 0;

  if (transport->start != NULL)
    return options->max_initial_response;

  return options->max_line > framing ? options->max_line - framing : 0;
}

static gboolean
exchange (const MailSaslTransport        *transport,
          gpointer                        client,
          const MailSaslExchangeOptions  *options,
          MailSaslMechanism               mechanism,
          Steps                          *steps,
          GCancellable                   *cancellable,
          GError                        **error)
{
  gsize max_initial = initial_response_room (transport, options, mechanism);
  const char *initial = NULL;
  gboolean error_answered = FALSE;
  guint next = 0;

  if (steps->client_first && strlen (steps->responses[0]) <= max_initial)
    initial = steps->responses[next++];

  if (!send_start (transport, client, options, mechanism, initial, cancellable, error))
    return FALSE;

  for (;;)
    {
      const char *response;

      switch (transport->read_step (client, next < steps->n_responses, cancellable, error))
        {
        case MAIL_SASL_REPLY_SUCCESS:
          return TRUE;

        case MAIL_SASL_REPLY_CHALLENGE:
          break;

        case MAIL_SASL_REPLY_FAILURE:
        default:
          return FALSE;
        }

      if (next < steps->n_responses)
        response = steps->responses[next++];
      else if (steps->error_answer != NULL && !error_answered)
        {
          response = steps->error_answer;
          error_answered = TRUE;
        }
      else
        {
          /* Too many rounds. */
          transport->cancel (client, cancellable, error);
          return FALSE;
        }

      if (!send_response (transport, client, options, response, cancellable, error))
        return FALSE;
    }
}

/**
 * mail_sasl_exchange_run:
 * @transport: how the protocol sends and reads the exchange's lines
 * @client: the protocol client, handed to @transport's functions
 * @options: (nullable): the server's connection and how long an initial response may be;
 *   %NULL for a transport with its own @start and @respond, without initial response
 * @mechanism: the mechanism, as chosen by mail_sasl_choose_mechanism()
 * @user: the user name
 * @secret: the password, or the OAuth 2.0 access token for XOAUTH2 and OAUTHBEARER
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Signs in with @mechanism over @transport: starts the exchange, answers the server's
 * challenges with the mechanism's responses, and cancels the exchange when the server asks
 * for more. The responses are built first: a user name or secret that cannot be sent fails
 * with %MAIL_NET_ERROR_FAILED before anything goes out. Other errors are @transport's.
 *
 * Returns: %TRUE when the server accepted the exchange
 */
gboolean
mail_sasl_exchange_run (const MailSaslTransport        *transport,
                        gpointer                        client,
                        const MailSaslExchangeOptions  *options,
                        MailSaslMechanism               mechanism,
                        const char                     *user,
                        const char                     *secret,
                        GCancellable                   *cancellable,
                        GError                        **error)
{
  Steps steps;
  gboolean ok;

  g_return_val_if_fail (transport != NULL, FALSE);
  g_return_val_if_fail ((transport->start != NULL && transport->respond != NULL)
                        || (options != NULL && MAIL_IS_CONNECTION (options->connection)),
                        FALSE);
  g_return_val_if_fail (user != NULL, FALSE);
  g_return_val_if_fail (secret != NULL, FALSE);

  if (!steps_init (&steps, mechanism, user, secret, options, error))
    return FALSE;

  ok = exchange (transport, client, options, mechanism, &steps, cancellable, error);
  steps_clear (&steps);

  return ok;
}

/**
 * mail_sasl_write_line:
 * @connection: a #MailConnection
 * @command: (nullable): the command that starts an exchange ("AUTH PLAIN"), or %NULL for a
 *   response line
 * @response: (nullable): a SASL response, a secret; %NULL for a command without an initial
 *   response
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes "@command SP @response CRLF", or either part alone, in one write. A line with a
 * @response goes through mail_connection_write_secret_sync(), built in a buffer sized once
 * and wiped afterwards: the protocol log shows @command and hides the response.
 *
 * Returns: %TRUE when the line was written
 */
gboolean
mail_sasl_write_line (MailConnection  *connection,
                      const char      *command,
                      const char      *response,
                      GCancellable    *cancellable,
                      GError         **error)
{
  g_autoptr (MailSecretBuffer) line = NULL;
  gsize public_len = 0;
  const guint8 *data;
  gsize length = 0;

  g_return_val_if_fail (MAIL_IS_CONNECTION (connection), FALSE);
  g_return_val_if_fail (command != NULL || response != NULL, FALSE);

  if (response == NULL)
    return mail_connection_write_line_sync (connection, command, cancellable, error);

  if (command != NULL)
    public_len = strlen (command) + 1;

  line = mail_secret_buffer_new (public_len + strlen (response) + 2);
  if (command != NULL)
    {
      mail_secret_buffer_append_str (line, command);
      mail_secret_buffer_append_c (line, ' ');
    }
  mail_secret_buffer_append_str (line, response);
  mail_secret_buffer_append_str (line, "\r\n");
  data = mail_secret_buffer_get_data (line, &length);

  return mail_connection_write_secret_sync (connection, data, length, public_len, cancellable,
                                            error);
}
