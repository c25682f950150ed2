/* mail-sasl-exchange.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mail-connection.h"
#include "mail-sasl.h"

G_BEGIN_DECLS

/**
 * MailSaslReply:
 * @MAIL_SASL_REPLY_CHALLENGE: the server sent a challenge and waits for a response
 * @MAIL_SASL_REPLY_SUCCESS: the server accepted the exchange
 * @MAIL_SASL_REPLY_FAILURE: the exchange failed; the error, in the protocol's own domain,
 *   says why
 *
 * What the server answered to a step of a SASL exchange.
 */
typedef enum
{
  MAIL_SASL_REPLY_CHALLENGE,
  MAIL_SASL_REPLY_SUCCESS,
  MAIL_SASL_REPLY_FAILURE,
} MailSaslReply;

/**
 * MailSaslTransport:
 * @start: (nullable): sends the command that begins the exchange for @mechanism (its
 *   name as servers advertise it), with @initial_response, a secret, when it is not %NULL;
 *   %NULL to write "AUTH <mechanism> [<initial response>]" on the options' connection, as
 *   POP3 (RFC 5034) and SMTP (RFC 4954) both frame it
 * @respond: (nullable): sends one response line, a secret, without its CRLF; %NULL to
 *   write it on the options' connection
 * @read_step: reads the server's next reply. @challenge_expected says whether the
 *   mechanism still has a response to give; a protocol that takes an early success for a
 *   broken exchange reports %MAIL_SASL_REPLY_FAILURE then. A failure sets @error, mapped
 *   to the protocol's domain (a refused password is its "auth failed" code).
 * @cancel: ends an exchange the server wants to take further than the mechanism goes
 *   (POP3, SMTP and IMAP all answer "*"), reads the final reply and sets @error
 *
 * How one protocol carries a SASL exchange: what it sends, and how it reads the server's
 * replies. mail_sasl_exchange_run() holds the steps of each mechanism and calls these.
 * Each function gets the @client given to mail_sasl_exchange_run().
 */
typedef struct
{
  gboolean      (*start)     (gpointer       client,
                              const char    *mechanism,
                              const char    *initial_response,
                              GCancellable  *cancellable,
                              GError       **error);
  gboolean      (*respond)   (gpointer       client,
                              const char    *response,
                              GCancellable  *cancellable,
                              GError       **error);
  MailSaslReply (*read_step) (gpointer       client,
                              gboolean       challenge_expected,
                              GCancellable  *cancellable,
                              GError       **error);
  void          (*cancel)    (gpointer       client,
                              GCancellable  *cancellable,
                              GError       **error);
} MailSaslTransport;

/**
 * MailSaslExchangeOptions:
 * @connection: (nullable): the connection to the server: its host and port go into an
 *   OAUTHBEARER response, and the lines go there when the transport has no @start or
 *   @respond of its own
 * @max_line: for the "AUTH" lines written when the transport has no @start: the longest
 *   command line the protocol allows, CRLF included; an initial response that would make
 *   it longer goes on a line of its own
 * @max_initial_response: for a transport's own @start: the longest initial response it
 *   can carry (with SASL-IR, say); 0 for none
 *
 * What an exchange needs to know of the protocol and the server besides the transport.
 */
typedef struct
{
  MailConnection *connection;
  gsize           max_line;
  gsize           max_initial_response;
} MailSaslExchangeOptions;

gboolean mail_sasl_exchange_run (const MailSaslTransport        *transport,
                                 gpointer                        client,
                                 const MailSaslExchangeOptions  *options,
                                 MailSaslMechanism               mechanism,
                                 const char                     *user,
                                 const char                     *secret,
                                 GCancellable                   *cancellable,
                                 GError                        **error);

gboolean mail_sasl_write_line   (MailConnection                 *connection,
                                 const char                     *command,
                                 const char                     *response,
                                 GCancellable                   *cancellable,
                                 GError                        **error);

G_END_DECLS
